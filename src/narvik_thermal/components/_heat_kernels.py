"""Compiled kernels of the edge heat laws (:mod:`.thermal`), numba. Imported lazily
(they load numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit
from ..correlations._hx_kernels import ua_off_design_point

__all__ = ['hx_ua']


@_jit
def hx_ua(ua, hot_design, cold_design, hot_basis, cold_basis, volume, exponent, hot_share,
          wall_share, m_hot, m_cold, rho_hot, rho_cold, count):
    """UA of heat exchangers at their flows, all ``count`` units [W/K] (see
    :func:`narvik_thermal.components.thermal.hx_ua`): the design UA per unit where no
    design flows are given (``hot_design`` NaN) or an effectiveness is (``ua`` NaN),
    else the off-design UA (``ua_off_design_point``) of the per-unit flow ratios
    ``|ṁ|/(count ṁ₀)``, a design flow of basis ``volume`` being ``V₀ ρ``."""
    out = np.empty(ua.size)
    for k in range(ua.size):
        u = ua[k]
        dh = hot_design[k]
        if not (np.isnan(dh) or np.isnan(u)):
            dc = cold_design[k]
            mh0 = dh * rho_hot[k] if hot_basis[k] == volume else dh
            mc0 = dc * rho_cold[k] if cold_basis[k] == volume else dc
            n = count[k]
            u = ua_off_design_point(u, abs(m_hot[k]) / (n * mh0), abs(m_cold[k]) / (n * mc0),
                                    exponent[k], hot_share[k], wall_share[k])
        out[k] = u * count[k]
    return out
