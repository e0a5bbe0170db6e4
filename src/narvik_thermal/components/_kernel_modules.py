"""The compiled kernel modules of this package, each imported at its first use.

Importing a kernel module loads numba (see :mod:`narvik_thermal._numba`), so its
callers load it when they first need it, through one cached loader per module here:
a loader costs a cache lookup, where an import statement in the caller's body cost
about 1.4 µs at every call (some 270 times an operating point of the 290 MW campus).
"""

from __future__ import annotations

import functools

__all__ = ["heat", "hydraulic"]


@functools.cache
def heat():
    """:mod:`._heat_kernels`."""
    from . import _heat_kernels

    return _heat_kernels


@functools.cache
def hydraulic():
    """:mod:`._hydraulic_kernels`."""
    from . import _hydraulic_kernels

    return _hydraulic_kernels
