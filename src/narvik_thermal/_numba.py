"""The numba decorators shared by every compiled kernel of the library.

Kernels live beside the physics they compute (``correlations/_*_kernels.py``,
``components/_hydraulic_kernels.py``, ``fluids/_table_kernels.py``,
``solvers/_*_kernels.py``); only the decorators are shared, so that every kernel
is compiled with the same options. Importing this module imports numba, so the
kernel modules are imported lazily by their callers: ``import narvik_thermal``
stays cheap, and the first call in a process loads the kernels from numba's
on-disk cache (compiling them once per installation).

- :data:`jit` — ``cache=True`` (compiled once, kept on disk), ``nogil=True`` (the
  solver runs its symbolic analysis on a second thread while the first
  evaluates kernels), ``error_model="numpy"`` (float division by zero gives
  inf/nan as in NumPy instead of raising; the callers guard their own domains).
- :data:`pjit` — the same with ``parallel=True``, for loops whose iterations are
  independent (``prange``).
"""

from __future__ import annotations

import numba as nb

__all__ = ["jit", "pjit"]

jit = nb.njit(cache=True, nogil=True, error_model="numpy")
pjit = nb.njit(cache=True, nogil=True, error_model="numpy", parallel=True)
