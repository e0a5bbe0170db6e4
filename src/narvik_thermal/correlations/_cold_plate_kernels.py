"""Compiled kernels of :mod:`narvik_thermal.correlations.cold_plate` (numba):
the rated-point (power-law) pressure drop and its inverse, the only implementation
of them.
Imported lazily (it loads numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['power_law', 'power_law_array', 'power_law_inverse', 'power_law_inverse_array']


@_jit
def power_law(V, dp_rated, V_rated, n):
    """Rated-point pressure drop ``Δp_r sign(V) |V/V_r|^n`` and ``dΔp/dV``."""
    s = abs(V) / V_rated
    sn1 = s if n == 2.0 else s ** (n - 1.0)
    dp = dp_rated * s * sn1
    if V < 0.0:
        dp = -dp
    elif V == 0.0:
        dp = 0.0
    return dp, n * dp_rated / V_rated * sn1


@_jit
def power_law_array(V, dp_rated, V_rated, n):
    """:func:`power_law` over 1-D float arrays of equal length: ``(Δp, dΔp/dV)``."""
    dp = np.empty(V.size)
    d = np.empty(V.size)
    for i in range(V.size):
        dp[i], d[i] = power_law(V[i], dp_rated[i], V_rated[i], n[i])
    return dp, d


@_jit
def power_law_inverse(dp, dp_rated, V_rated, n):
    """Volume flow of the rated-point law at a pressure drop: ``V_r sign(Δp)
    |Δp/Δp_r|^(1/n)`` (the inverse of :func:`power_law`)."""
    sg = 1.0 if dp > 0.0 else (-1.0 if dp < 0.0 else 0.0)
    return sg * V_rated * (abs(dp) / dp_rated) ** (1.0 / n)


@_jit
def power_law_inverse_array(dp, dp_rated, V_rated, n):
    """:func:`power_law_inverse` over 1-D float arrays of equal length."""
    V = np.empty(dp.size)
    for i in range(dp.size):
        V[i] = power_law_inverse(dp[i], dp_rated[i], V_rated[i], n[i])
    return V
