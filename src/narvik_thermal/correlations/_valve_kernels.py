"""Compiled kernel of the valve characteristics of
:mod:`narvik_thermal.correlations.minor_loss` (numba): the only implementation of
them. Imported lazily (it loads numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['valve_kv', 'valve_kv_array']


@_jit
def valve_kv(h, Kvs, code, R):
    """Kv at relative travel ``h`` of a valve of ``Kvs`` and rangeability ``R``; the
    characteristic by ``code``: 0 linear, 1 equal percentage, else quick opening."""
    inv = 1.0 / R
    if code == 0:
        return Kvs * (inv + (1.0 - inv) * h)
    if code == 1:
        return Kvs * R ** (h - 1.0)
    return Kvs * (inv + (1.0 - inv) * np.sqrt(max(h, 0.0)))


@_jit
def valve_kv_array(h, Kvs, code, R):
    """:func:`valve_kv` over 1-D arrays of one length."""
    out = np.empty(h.size)
    for i in range(h.size):
        out[i] = valve_kv(h[i], Kvs[i], code[i], R[i])
    return out
