"""Compiled kernels of :mod:`narvik_thermal.correlations.friction` (numba).

The only implementation of the friction factors with their derivative
``df/dRe`` that the network's pipe law needs: Churchill (all regimes), and
Colebrook, Swamee–Jain and Haaland joined to the laminar law through Dunlop's
cubic (as EPANET 2.2 does). The public functions of
:mod:`~narvik_thermal.correlations.friction` (``friction_churchill``,
``friction_all_regimes``) and the pipe law of the network
(:mod:`narvik_thermal.components._hydraulic_kernels`) all call them.
Imported lazily (it loads numba).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import jit as _jit

_LN7_09 = 0.9 * math.log(7.0)

__all__ = ['churchill', 'churchill_array', 'friction_law', 'friction_law_array',
           'CHURCHILL', 'COLEBROOK', 'SWAMEE_JAIN', 'HAALAND']

#: law codes (the values of :class:`narvik_thermal.components.kinds.FrictionLaw`)
CHURCHILL, COLEBROOK, SWAMEE_JAIN, HAALAND = 0, 1, 2, 3
_INV_LN10 = 1.0 / math.log(10.0)
#: laminar below, turbulent law above, Dunlop's cubic between (EPANET 2.2)
RE_LAMINAR, RE_TURBULENT = 2000.0, 4000.0


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


@_jit
def _turbulent(Re, eD, law):
    """Turbulent friction factor of ``law`` (Colebrook, Swamee–Jain, Haaland) and
    ``df/dRe``, at ``Re > 0``."""
    if law == SWAMEE_JAIN:
        # f = 0.25 / L², L = log10(eD/3.7 + 5.74 Re^-0.9)
        t = 5.74 * math.exp(-0.9 * math.log(Re))
        u = eD / 3.7 + t
        L = math.log(u) * _INV_LN10
        f = 0.25 / (L * L)
        dL = _INV_LN10 * (-0.9 * t / Re) / u
        return f, -2.0 * f / L * dL
    if law == HAALAND:
        # 1/sqrt(f) = x = -1.8 log10((eD/3.7)^1.11 + 6.9/Re)
        a = (eD / 3.7) ** 1.11 if eD > 0.0 else 0.0
        u = a + 6.9 / Re
        x = -1.8 * math.log(u) * _INV_LN10
        f = 1.0 / (x * x)
        dx = -1.8 * _INV_LN10 * (-6.9 / (Re * Re)) / u
        return f, -2.0 * f / x * dx
    # Colebrook: g(x) = x + 2 log10(eD/3.7 + 2.51 x/Re) = 0 with x = 1/sqrt(f); Newton
    # from Swamee–Jain (g increasing and concave: monotone after one step)
    a = eD / 3.7
    b = 2.51 / Re
    L0 = math.log(a + 5.74 * math.exp(-0.9 * math.log(Re))) * _INV_LN10
    x = -2.0 * L0
    for _ in range(50):
        arg = a + b * x
        g = x + 2.0 * math.log(arg) * _INV_LN10
        dg = 1.0 + 2.0 * b * _INV_LN10 / arg
        x_new = x - g / dg
        if not x_new > 0.0:
            x_new = 0.5 * x
        if abs(x_new - x) <= 1e-15 * x_new:
            x = x_new
            break
        x = x_new
    arg = a + b * x
    gx = 1.0 + 2.0 * b * _INV_LN10 / arg
    gRe = 2.0 * _INV_LN10 * x / arg * (-b / Re)
    dx = -gRe / gx
    f = 1.0 / (x * x)
    return f, -2.0 * f / x * dx


@_jit
def friction_law(Re, eD, law):
    """Darcy friction factor of pipe law ``law`` and ``df/dRe`` at ``Re > 0``.

    ``CHURCHILL``: Churchill (1977) over all regimes. The others: ``64/Re``
    below ``RE_LAMINAR``, the turbulent law above ``RE_TURBULENT``, and between
    them Dunlop's cubic in ``Re`` matching value and slope at both ends (the
    interpolation of EPANET 2.2, ``hydcoeffs.c``), so the law is C¹ for Newton.
    """
    if law == CHURCHILL:
        return churchill(Re, eD)
    if Re <= RE_LAMINAR:
        return 64.0 / Re, -64.0 / (Re * Re)
    if Re >= RE_TURBULENT:
        return _turbulent(Re, eD, law)
    # r = Re/2000 in (1, 2): f = x1 + r (x2 + r (x3 + r x4)) with f(1) = 0.032 and
    # f'(1) = -0.032 (laminar), f(2) = fa and f'(2) = 2000 f_turb'(4000) = fb/2 - fa
    fa, da = _turbulent(RE_TURBULENT, eD, law)
    fb = 2.0 * (fa + RE_LAMINAR * da)
    r = Re / RE_LAMINAR
    x1 = 7.0 * fa - fb
    x2 = 0.128 - 17.0 * fa + 2.5 * fb
    x3 = -0.128 + 13.0 * fa - 2.0 * fb
    x4 = 0.032 - 3.0 * fa + 0.5 * fb
    f = x1 + r * (x2 + r * (x3 + r * x4))
    return f, (x2 + r * (2.0 * x3 + r * 3.0 * x4)) / RE_LAMINAR


@_jit
def friction_law_array(Re, eD, law):
    """:func:`friction_law` over 1-D arrays of equal length (``law`` an int array)."""
    n = Re.size
    f = np.empty(n)
    d = np.empty(n)
    for i in range(n):
        f[i], d[i] = friction_law(Re[i], eD[i], law[i])
    return f, d
