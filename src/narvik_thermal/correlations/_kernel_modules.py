"""The compiled kernel modules of this package, each imported at its first use.

Importing a kernel module loads numba (see :mod:`narvik_thermal._numba`), so its
callers load it when they first need it, through one cached loader per module here:
a loader costs a cache lookup, where an import statement in the caller's body cost
about 1.4 µs at every call (some 270 times an operating point of the 290 MW campus).
"""

from __future__ import annotations

import functools

__all__ = ["cold_plate", "friction", "hx", "map", "valve"]


@functools.cache
def cold_plate():
    """:mod:`._cold_plate_kernels`."""
    from . import _cold_plate_kernels

    return _cold_plate_kernels


@functools.cache
def friction():
    """:mod:`._friction_kernels`."""
    from . import _friction_kernels

    return _friction_kernels


@functools.cache
def hx():
    """:mod:`._hx_kernels`."""
    from . import _hx_kernels

    return _hx_kernels


@functools.cache
def map():
    """:mod:`._map_kernels`."""
    from . import _map_kernels

    return _map_kernels


@functools.cache
def valve():
    """:mod:`._valve_kernels`."""
    from . import _valve_kernels

    return _valve_kernels
