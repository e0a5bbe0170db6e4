"""The compiled kernel modules of this package, each imported at its first use.

Importing a kernel module loads numba (see :mod:`narvik_thermal._numba`), so its
callers load it when they first need it, through one cached loader per module here
(as :mod:`narvik_thermal.solvers._kernel_modules` does for the solvers').
"""

from __future__ import annotations

import functools

__all__ = ["checks"]


@functools.cache
def checks():
    """:mod:`._check_kernels`."""
    from . import _check_kernels

    return _check_kernels
