"""The compiled kernel modules of this package, each imported at its first use.

Importing a kernel module loads numba (see :mod:`narvik_thermal._numba`), so its
callers load it when they first need it, through one cached loader per module here:
a loader costs a cache lookup, where an import statement in the caller's body cost
about 1.4 µs at every call (some 270 times an operating point of the 290 MW campus).
"""

from __future__ import annotations

import functools

__all__ = ["control", "hydraulic", "ldl", "outer", "sparse", "supernodal", "thermal"]


@functools.cache
def control():
    """:mod:`._control_kernels`."""
    from . import _control_kernels

    return _control_kernels


@functools.cache
def hydraulic():
    """:mod:`._hydraulic_kernels`."""
    from . import _hydraulic_kernels

    return _hydraulic_kernels


@functools.cache
def ldl():
    """:mod:`._ldl_kernels`."""
    from . import _ldl_kernels

    return _ldl_kernels


@functools.cache
def outer():
    """:mod:`._outer_kernels`."""
    from . import _outer_kernels

    return _outer_kernels


@functools.cache
def sparse():
    """:mod:`._sparse_kernels`."""
    from . import _sparse_kernels

    return _sparse_kernels


@functools.cache
def supernodal():
    """:mod:`._supernodal_kernels`."""
    from . import _supernodal_kernels

    return _supernodal_kernels


@functools.cache
def thermal():
    """:mod:`._thermal_kernels`."""
    from . import _thermal_kernels

    return _thermal_kernels
