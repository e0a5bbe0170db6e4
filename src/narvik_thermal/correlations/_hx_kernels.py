"""Compiled kernel of :func:`narvik_thermal.correlations.hx.ua_off_design` (numba):
the only implementation of the off-design UA. Imported lazily (it loads numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['ua_off_design_point', 'ua_off_design_array']


@_jit
def ua_off_design_point(ua0, xh, xc, n, s, w):
    """UA at the flow ratios ``xh``, ``xc``: ``UA₀/(R_h x_h^−n + R_c x_c^−n + w)`` with
    ``R_h = (1 − w) s`` and ``R_c = (1 − w)(1 − s)``; 0 where a side with a film
    resistance has no flow."""
    rh = (1.0 - w) * s
    rc = (1.0 - w) * (1.0 - s)
    th = rh * (xh if xh > 0.0 else 1.0) ** -n if rh > 0.0 else 0.0
    tc = rc * (xc if xc > 0.0 else 1.0) ** -n if rc > 0.0 else 0.0
    if (xh <= 0.0 and rh > 0.0) or (xc <= 0.0 and rc > 0.0):
        return 0.0
    return ua0 / (th + tc + w)


@_jit
def ua_off_design_array(ua0, xh, xc, n, s, w):
    """:func:`ua_off_design_point` over 1-D float arrays of one length."""
    out = np.empty(ua0.size)
    for i in range(ua0.size):
        out[i] = ua_off_design_point(ua0[i], xh[i], xc[i], n[i], s[i], w[i])
    return out
