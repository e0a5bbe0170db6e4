"""Compiled kernels of the edge heat laws (:mod:`.thermal`), numba. Imported lazily
(they load numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit
from ..correlations._hx_kernels import ua_off_design_point

__all__ = ['hx_ua', 'consumer_flows']


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


@_jit
def consumer_flows(ctrl, demand, delta_t, min_drop, flow_basis, mass_flow, count, h_in,
                   h_return, cp, rho, c_delta_t, c_return, c_mass, mass_basis):
    """Primary flows of consumers (see :func:`narvik_thermal.components.thermal.
    consumer_flows`), one per consumer, all ``count`` units, and whether each delivers;
    ``c_*`` the control codes, ``mass_basis`` the code of a flow given as mass."""
    n = ctrl.size
    m = np.zeros(n)
    delivering = np.ones(n, np.bool_)
    for k in range(n):
        c = ctrl[k]
        if c == c_delta_t:
            m[k] = demand[k] / (cp[k] * delta_t[k])
        elif c == c_return:
            cap = demand[k] / (cp[k] * min_drop[k])
            dh = h_in[k] - h_return[k]
            if dh > 0:
                a = demand[k] / dh
                # NumPy's minimum: NaN if either is
                m[k] = a if (a != a or (cap == cap and a <= cap)) else cap
            else:
                m[k] = cap
                delivering[k] = False
        elif c == c_mass:
            m[k] = mass_flow[k] if flow_basis[k] == mass_basis else mass_flow[k] * rho[k]
        m[k] = m[k] * count[k]
    return m, delivering
