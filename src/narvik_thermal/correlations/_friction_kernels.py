"""Compiled kernels of :mod:`narvik_thermal.correlations.friction` (numba).

The only implementation of Churchill's friction factor: the public
:func:`~narvik_thermal.correlations.friction.friction_churchill` and the pipe law of
the network (:mod:`narvik_thermal.components._hydraulic_kernels`) both call it.
Imported lazily (it loads numba).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import jit as _jit

_LN7_09 = 0.9 * math.log(7.0)

__all__ = ['churchill', 'churchill_array']


@_jit
def churchill(Re, eD):
    """Churchill (1977) Darcy friction factor and ``df/dRe`` at ``Re > 0``.

    Integer powers by repeated squaring, one exp/log pair per fractional
    power. ``f = 8 S^(1/12)``, ``S = (8/Re)^12 + (A + B)^-1.5``,
    ``A = (2.457 ln(1/w))^16``, ``w = (7/Re)^0.9 + 0.27 eD``,
    ``B = (37530/Re)^16``. For ``Re`` below ~1e-15, ``B`` overflows to inf,
    which the formulas below tolerate (``(A + B)^-1.5 → 0``).
    """
    inv = 1.0 / Re
    u = math.exp(_LN7_09 - 0.9 * math.log(Re))     # (7/Re)^0.9
    w = u + 0.27 * eD
    x = -2.457 * math.log(w)                         # 2.457 ln(1/w)
    x2 = x * x
    x4 = x2 * x2
    x8 = x4 * x4
    a15 = x8 * x4 * x2 * x
    A = a15 * x
    b = 37530.0 * inv
    b *= b
    b *= b
    b *= b
    B = b * b
    AB = A + B
    t = 1.0 / (AB * math.sqrt(AB))                   # (A+B)^-1.5
    r = 8.0 * inv
    r3 = r * r * r
    r6 = r3 * r3
    r12 = r6 * r6
    if B <= 1e-17 * A and r12 <= 1e-17 * t:
        # fully turbulent: S = A^-1.5 to round-off, so f = 8 A^(-1/8) = 8/x² and
        # df/dRe = -(f/8) A'/A = -1.8 f u/(Re w ln(1/w)), without the last exp/log
        f = 8.0 / x2
        return f, -1.8 * 2.457 * f * u * inv / (w * x)
    S = r12 + t
    f = 8.0 * math.exp(math.log(S) * (1.0 / 12.0))
    # A' = 16 A/L dL/dRe with dL/dRe = 0.9 u/(Re w); A/L = 2.457 (2.457 L)^15
    # avoids 0/0 where L = 0. B' = -16 B/Re. q = (A' + B')/(A + B), written so
    # that B = inf is safe.
    dA = (16.0 * 2.457 * 0.9) * a15 * (u * inv / w)
    frac_B = 1.0 / (1.0 + A / B)
    q = dA / AB - 16.0 * inv * frac_B
    dS = -12.0 * r12 * inv - 1.5 * t * q
    return f, f / (12.0 * S) * dS


@_jit
def churchill_array(Re, eD):
    """:func:`churchill` over 1-D float arrays of equal length: ``(f, df/dRe)``."""
    n = Re.size
    f = np.empty(n)
    d = np.empty(n)
    for i in range(n):
        f[i], d[i] = churchill(Re[i], eD[i])
    return f, d
