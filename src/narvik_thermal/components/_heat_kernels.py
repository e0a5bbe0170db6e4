"""Compiled kernels of the edge heat laws (:mod:`.thermal`), numba. Imported lazily
(they load numba).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import jit as _jit
from ..correlations._hx_kernels import effectiveness_point, ua_off_design_point
from ..fluids._table_kernels import table_cell

__all__ = ['local_heat_laws', 'hx_ua', 'consumer_flows', 'hx_effectiveness', 'hx_coefficients',
           'hx_laws', 'heat_pump_laws', 'edge_heat_laws', 'consumer_states']


@_jit
def local_heat_laws(m, up, h_k, T_k, cp_k, rise, rho_edge, h_set, count, fixed, heat, pumps,
                    pump_heat, ambient, ua, t_ambient, setpoints, q0, q1):
    """The heat laws of the edges that depend only on their own flow and inlet, added
    to ``q0, q1`` (see :func:`narvik_thermal.components.thermal.edge_heat_coefficients`):

    - ``fixed`` (heat loads): ``Q = heat × count``;
    - ``pumps``: ``Q = pump_heat ṁ/ρ Δp`` (their hydraulic power, where it heats the
      fluid);
    - ``ambient`` (pipes losing heat): ``Q = −G (T_in − T_amb)`` with
      ``G = C (1 − e^{−NTU})``, ``C = |ṁ| cp``, ``NTU = UA/C`` (``G = UA`` without
      flow), ``T_in`` linear in the inlet enthalpy about the linearisation point;
    - ``setpoints``: the outlet held at ``h_set``, ``Q = |ṁ| (h_set − h_in)``; none
      where ``h_set`` is NaN."""
    for k in range(fixed.size):
        i = fixed[k]
        q0[i] += heat[k] * count[i]
    for k in range(pumps.size):
        i = pumps[k]
        q0[i] += pump_heat[k] * m[i] / rho_edge[i] * rise[i]
    for k in range(ambient.size):
        i = ambient[k]
        g = ua[k] * count[i]
        u = up[i]
        c = cp_k[u]
        C = abs(m[i]) * c
        if C > 0:
            G = C * -math.expm1(-(g / C))
        else:
            G = g
        q0[i] += -G * (T_k[u] - h_k[u] / c - t_ambient[k])
        q1[i] += -G / c
    for k in range(setpoints.size):
        i = setpoints[k]
        hs = h_set[i]
        if hs == hs:
            am = abs(m[i])
            q0[i] += am * hs
            q1[i] += -am


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


@_jit
def hx_effectiveness(eh, ec, m, cp_e, ua, eps_given, code, ntu_limit, tiny_cr):
    """Capacity rates, effectiveness and NTU of heat exchangers (hot sides ``eh``, cold
    sides ``ec``; see :func:`narvik_thermal.components.thermal.edge_heat_coefficients`):
    ``(eps, ntu, cmin, cr, limited)``. ``code``: each exchanger's arrangement as its
    position in :data:`narvik_thermal.correlations.hx.ARRANGEMENTS`. The effectiveness
    is the arrangement's closed form where none is given
    (:func:`~narvik_thermal.correlations._hx_kernels.effectiveness_point`), a given one
    held at what the arrangement reaches at ``NTU = ntu_limit`` (``limited``), 0 where
    a side has no flow and none is given; ``tiny_cr``: see ``effectiveness_point``."""
    n = eh.size
    eps = np.empty(n)
    ntu = np.empty(n)
    cmin = np.empty(n)
    cr = np.empty(n)
    limited = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        ch = abs(m[eh[i]]) * cp_e[eh[i]]
        cc = abs(m[ec[i]]) * cp_e[ec[i]]
        if np.isnan(ch) or np.isnan(cc):            # NumPy's minimum and maximum
            lo = hi = np.nan
        else:
            lo, hi = (ch, cc) if ch <= cc else (cc, ch)
        cmin[i] = lo
        cr[i] = lo / hi if hi > 0.0 else 0.0
        ntu[i] = ua[i] / lo if lo > 0.0 else 0.0
        g = eps_given[i]
        e = 0.0 if np.isnan(g) else g
        if lo > 0.0:
            if np.isnan(g):
                e = effectiveness_point(ntu[i], cr[i], code[i], tiny_cr)
            else:
                top = effectiveness_point(ntu_limit, cr[i], code[i], tiny_cr)
                if e > top * (1 + 1e-12):
                    e = top
                    limited[i] = True
        eps[i] = e
    return eps, ntu, cmin, cr, limited


@_jit
def hx_coefficients(eh, ec, up, h_k, T_k, cp_k, eps, cmin, q0, q1, q2):
    """Add the heat exchangers' linear heat laws to ``q0, q1, q2`` (in place):
    ``Q = ε C_min (T_in,hot − T_in,cold)`` from the hot side to the cold, with each
    inlet temperature linear in its enthalpy about the linearisation point."""
    for i in range(eh.size):
        uh, uc = up[eh[i]], up[ec[i]]
        k = eps[i] * cmin[i]                        # W/K
        cph, cpc = cp_k[uh], cp_k[uc]
        const = T_k[uh] - h_k[uh] / cph - T_k[uc] + h_k[uc] / cpc
        # Q (hot -> cold) = k * (const + h_uh/cph - h_uc/cpc)
        q0[eh[i]] += -k * const
        q1[eh[i]] += -k / cph
        q2[eh[i]] += k / cpc
        q0[ec[i]] += k * const
        q1[ec[i]] += -k / cpc
        q2[ec[i]] += k / cph


@_jit
def hx_laws(eh, ec, m, up, h_k, T_k, cp_k, cp_edge, rho_edge, count, ua, hot_design,
            cold_design, hot_basis, cold_basis, volume, exponent, hot_share, wall_share,
            eps_given, code, ntu_limit, tiny_cr, q0, q1, q2):
    """The heat exchangers' laws in one call (see
    :func:`narvik_thermal.components.thermal.edge_heat_coefficients`): :func:`hx_ua` at
    the flows, densities and counts of their sides (hot sides ``eh``, cold ``ec``;
    ``count`` of the hot side), :func:`hx_effectiveness` and :func:`hx_coefficients`
    (added to ``q0, q1, q2``), the same kernels in the same order. Returns
    ``(eps, ntu, cmin, cr, ua, limited)``, ``ua`` at the solved flows, all units."""
    n = eh.size
    m_hot, m_cold = np.empty(n), np.empty(n)
    rho_hot, rho_cold, cnt = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        m_hot[i], m_cold[i] = m[eh[i]], m[ec[i]]
        rho_hot[i], rho_cold[i] = rho_edge[eh[i]], rho_edge[ec[i]]
        cnt[i] = count[eh[i]]
    ua_now = hx_ua(ua, hot_design, cold_design, hot_basis, cold_basis, volume, exponent,
                   hot_share, wall_share, m_hot, m_cold, rho_hot, rho_cold, cnt)
    eps, ntu, cmin, cr, limited = hx_effectiveness(eh, ec, m, cp_edge, ua_now, eps_given,
                                                   code, ntu_limit, tiny_cr)
    hx_coefficients(eh, ec, up, h_k, T_k, cp_k, eps, cmin, q0, q1, q2)
    return eps, ntu, cmin, cr, ua_now, limited


@_jit
def heat_pump_laws(ev, co, m, h_supply, cop, mode, capacity, setpoint, at_capacity, q0, q1,
                   q2):
    """The heat pumps' linear heat laws into ``q0, q1, q2`` (see
    :func:`narvik_thermal.components.thermal.heat_pump_coefficients`): a condenser
    holding its supply (``mode`` ``setpoint``) ``Q = ṁ (h_supply − h_in)``, one at
    capacity (``at_capacity``) its capacity, one off nothing; its evaporator takes
    ``1 − 1/COP`` of the condenser's heat (``q2`` couples it to the condenser inlet)."""
    for k in range(ev.size):
        mc = abs(m[co[k]])
        frac = 1.0 - 1.0 / cop[k]
        sp = mode[k] == setpoint
        if sp:
            q = mc * h_supply[k]
        elif mode[k] == at_capacity:
            q = capacity[k]
        else:
            q = 0.0
        q0[co[k]] = q
        q1[co[k]] = -mc if sp else 0.0
        q0[ev[k]] = -frac * q
        q2[ev[k]] = frac * mc if sp else 0.0


@_jit
def edge_heat_laws(m, up, h_k, T_k, cp_k, rise, rho_edge, h_set, count, fixed, heat, pumps,
                   pump_heat, ambient, ua_ambient, t_ambient, setpoints, eh, ec, cp_edge, ua,
                   hot_design, cold_design, hot_basis, cold_basis, volume, exponent,
                   hot_share, wall_share, eps_given, code, ntu_limit, tiny_cr, ev, co,
                   h_supply, cop, mode, capacity, setpoint, at_capacity):
    """Every edge's linear heat law in one call (see
    :func:`narvik_thermal.components.thermal.edge_heat_coefficients`): ``q0, q1, q2``
    zero, :func:`local_heat_laws`, :func:`hx_laws` where there are exchangers (``eh``
    not empty) and, where there are heat pumps (``ev`` not empty), their
    :func:`heat_pump_laws` into arrays of their own that are then added to ``q0, q1,
    q2`` (as their coefficients are added), the same kernels in the same order.
    Returns ``q`` (rows ``q0, q1, q2``), the floats of :func:`hx_laws` (rows ``eps, ntu,
    cmin, cr, ua``) and its ``limited`` (empty without exchangers): stacked, as each
    array a kernel returns costs its boxing (about half a microsecond)."""
    E = m.size
    q = np.zeros((3, E))
    q0, q1, q2 = q[0], q[1], q[2]
    local_heat_laws(m, up, h_k, T_k, cp_k, rise, rho_edge, h_set, count, fixed, heat, pumps,
                    pump_heat, ambient, ua_ambient, t_ambient, setpoints, q0, q1)
    hx = np.empty((5, eh.size))
    if eh.size:
        eps, ntu, cmin, cr, ua_now, limited = hx_laws(
            eh, ec, m, up, h_k, T_k, cp_k, cp_edge, rho_edge, count, ua, hot_design,
            cold_design, hot_basis, cold_basis, volume, exponent, hot_share, wall_share,
            eps_given, code, ntu_limit, tiny_cr, q0, q1, q2)
        for i in range(eh.size):
            hx[0, i], hx[1, i], hx[2, i], hx[3, i], hx[4, i] = (eps[i], ntu[i], cmin[i],
                                                                cr[i], ua_now[i])
    else:
        limited = np.zeros(0, np.bool_)
    if ev.size:
        p = np.zeros((3, E))
        heat_pump_laws(ev, co, m, h_supply, cop, mode, capacity, setpoint, at_capacity, p[0],
                       p[1], p[2])
        for r in range(3):
            for j in range(E):
                q[r, j] += p[r, j]
    return q, hx, limited


@_jit
def consumer_states(m, idx, start, end, T, h, rho_e, edge_f, x0, inv_dx, n, tabs, dtabs,
                    row_cp, ctrl, demand, delta_t, min_drop, flow_basis, mass_flow, count,
                    h_return, c_delta_t, c_return, c_mass, mass_basis):
    """The flows the consumers at the edges ``idx`` take at a state: the temperature
    and enthalpy at each one's inlet (``start[k]`` where ``m[idx[k]] ≥ 0``, else
    ``end[k]``, as :func:`narvik_thermal.solvers._thermal_kernels.inlet_states`), the
    specific heat there in its fluid's table (row ``row_cp`` of the tables ``x0`` …
    ``dtabs``, as :func:`narvik_thermal.fluids._table_kernels.multi_lookup`), its density
    ``rho_e[idx[k]]`` and their law (:func:`consumer_flows`, whose arguments follow
    ``row_cp``), in one call. Returns ``flow, delivering``."""
    c = idx.size
    h_in = np.empty(c)
    cp = np.empty(c)
    rho = np.empty(c)
    for k in range(c):
        i = idx[k]
        u = start[k] if m[i] >= 0 else end[k]
        h_in[k] = h[u]
        f = edge_f[i]
        cell, w = table_cell(T[u], x0[f], inv_dx[f], n[f])
        cp[k] = tabs[f, row_cp, cell] + w * dtabs[f, row_cp, cell]
        rho[k] = rho_e[i]
    return consumer_flows(ctrl, demand, delta_t, min_drop, flow_basis, mass_flow, count,
                          h_in, h_return, cp, rho, c_delta_t, c_return, c_mass, mass_basis)
