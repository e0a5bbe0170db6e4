"""Compiled kernels of :mod:`narvik_thermal.correlations.hx` (numba): the only
implementations of the off-design UA (:func:`~narvik_thermal.correlations.hx.ua_off_design`)
and of the closed-form effectiveness of each flow arrangement
(:func:`~narvik_thermal.correlations.hx.effectiveness_from_NTU`). Imported lazily (they
load numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['ua_off_design_point', 'ua_off_design_array', 'effectiveness_point',
           'effectiveness_array']


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


#: the flow arrangements' codes, their positions in
#: :data:`narvik_thermal.correlations.hx.ARRANGEMENTS`; every one but the exact cross
#: flow (a series of regularised incomplete gamma functions, NumPy and SciPy) is here
(COUNTERFLOW, PARALLEL, CROSSFLOW_UNMIXED, CROSSFLOW_UNMIXED_EXACT, CROSSFLOW_CMAX_MIXED,
 CROSSFLOW_CMIN_MIXED, SHELL_AND_TUBE_1_2) = range(7)

@_jit
def effectiveness_point(N, Cr, code, tiny_cr):
    """Effectiveness of arrangement ``code`` at ``NTU = N`` and ``Cr`` (the closed forms
    of :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`, whose references
    they follow), the Cr = 0 limit below ``tiny_cr``
    (:data:`narvik_thermal.correlations.hx.TINY_CR`); NaN for the exact cross flow and
    an unknown code."""
    zero = Cr < tiny_cr
    Cs = 1.0 if zero else Cr
    if code == COUNTERFLOW:
        if Cr == 1.0:
            return N / (1.0 + N)
        one_m = 1.0 - Cr
        em = np.expm1(-N * one_m)                # e^{-N(1-Cr)} - 1  (<= 0)
        return -em / (one_m - Cr * em)           # over 1 - Cr e^{-N(1-Cr)}
    if code == PARALLEL:
        return -np.expm1(-N * (1.0 + Cr)) / (1.0 + Cr)
    if code == CROSSFLOW_UNMIXED:
        # Incropera's approximation: 1 − exp(N^0.22 (exp(−Cr N^0.78) − 1)/Cr)
        g = -N if zero else N ** 0.22 * np.expm1(-Cs * N ** 0.78) / Cs
        return -np.expm1(g)
    if code == CROSSFLOW_CMAX_MIXED:
        e1 = -np.expm1(-N)
        return e1 if zero else -np.expm1(-Cs * e1) / Cs
    if code == CROSSFLOW_CMIN_MIXED:
        return -np.expm1(-N) if zero else -np.expm1(np.expm1(-Cs * N) / Cs)
    if code == SHELL_AND_TUBE_1_2:
        S = np.sqrt(1.0 + Cr * Cr)
        t = np.tanh(0.5 * N * S)
        return 2.0 * t / ((1.0 + Cr) * t + S)
    return np.nan


@_jit
def effectiveness_array(N, Cr, code, tiny_cr):
    """:func:`effectiveness_point` over 1-D float arrays of one length."""
    out = np.empty(N.size)
    for i in range(N.size):
        out[i] = effectiveness_point(N[i], Cr[i], code, tiny_cr)
    return out
