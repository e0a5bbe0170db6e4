"""Thermal laws of network edges: how each edge's heat depends on the enthalpies.

Every edge's heat into the fluid is linear in the enthalpy of its own inlet and,
for a heat exchanger or heat pump, of its partner's inlet,

.. math:: \\dot Q_e = q_{0,e} + q_{1,e} h_{up(e)} + q_{2,e} h_{up(partner(e))},

with laws that depend on temperature (ε-NTU, heat loss to ambient) linearised
about the last iterate (:func:`edge_heat_coefficients`). The heat-transport
solver (:mod:`narvik_thermal.solvers.thermal`) solves the node enthalpies for
these coefficients. The laws call :mod:`narvik_thermal.correlations`:

- fixed heat (heat loads, cold plates, consumers at a given ΔT or flow);
- heat loss to ambient, an exponential decay with NTU = UA/(ṁ c_p);
- a set-point outlet (ideal heaters/coolers, return-temperature consumers);
- pump heat (the hydraulic power dissipated in the fluid);
- heat exchangers by :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`,
  with a UA that follows the flows (:func:`narvik_thermal.correlations.hx.ua_off_design`)
  where design flows are given;
- heat pumps (:func:`heat_pump_coefficients`);
- consumer flows (:func:`consumer_flows`), set by the substations' control valves.
"""

from __future__ import annotations

import numpy as np

from ..correlations.hx import ARRANGEMENTS as _HX_ARRANGEMENTS
from ..correlations.hx import TINY_CR
from .kinds import ARRANGEMENTS, ConsumerControl, FlowBasis, HeatPumpMode, HydraulicLaw, ThermalLaw
from . import _kernel_modules as kernels

#: codes as plain ints for the compiled laws
_VOLUME, _MASS = int(FlowBasis.VOLUME), int(FlowBasis.MASS)
_CONSUMER = int(HydraulicLaw.CONSUMER)
_DELTA_T, _RETURN_TEMPERATURE, _MASS_FLOW = (int(ConsumerControl.DELTA_T),
                                             int(ConsumerControl.RETURN_TEMPERATURE),
                                             int(ConsumerControl.MASS_FLOW))
_SETPOINT, _CAPACITY = int(HeatPumpMode.SETPOINT), int(HeatPumpMode.CAPACITY)
#: a network's arrangements (by their code in components.kinds) as codes of correlations.hx
_HX_CODES = np.array([_HX_ARRANGEMENTS.index(a) for a in ARRANGEMENTS], dtype=np.int64)

__all__ = ["edge_heat_coefficients", "heat_law_arguments", "hx_ua", "heat_pump_coefficients",
           "consumer_flows", "consumer_flows_at", "consumer_law_arguments"]


def _local_params(cn, g):
    """Edge indices and parameters of the heat laws :func:`edge_heat_coefficients`
    compiles in one call (heat loads, pump heat, heat loss to ambient, set-points) as
    contiguous arrays; gathered once per set of groups (an update makes new ones) and
    kept in ``cn.cache``."""
    groups = (g[ThermalLaw.FIXED_HEAT], g[ThermalLaw.PUMP_HEAT], g[ThermalLaw.AMBIENT],
              g[ThermalLaw.SETPOINT])
    kept = cn.cache.get("local_heat_params")
    if kept is not None and all(a is b for a, b in zip(kept[0], groups)):
        return kept[1]
    f = np.ascontiguousarray
    fixed, pump, amb, sp = groups

    def idx(grp):
        return f(grp.idx, dtype=np.int64) if len(grp) else np.zeros(0, np.int64)

    def par(grp, key):
        return f(grp.params[key], dtype=float) if len(grp) else np.zeros(0)

    params = (idx(fixed), par(fixed, "heat"), idx(pump), par(pump, "pump_heat"), idx(amb),
              par(amb, "ua"), par(amb, "ambient"), idx(sp))
    cn.cache["local_heat_params"] = (groups, params)
    return params


def _hx_params(cn, grp):
    """The ``ThermalLaw.HX`` parameters of each heat exchanger, in the order of
    ``cn.hx_hot`` (with ``hx_code``, the arrangement's position in
    :data:`narvik_thermal.correlations.hx.ARRANGEMENTS`, and the effectiveness given as
    contiguous floats, and ``kernel_args``, the arguments of
    :func:`narvik_thermal.components._heat_kernels.hx_laws` after the flows and states,
    for the compiled laws); gathered once per parameter group
    (``Network.update`` makes a new group; no actuator is a heat-exchanger parameter)
    and kept in ``cn.cache``."""
    kept = cn.cache.get("hx_params")
    if kept is not None and kept[0] is grp:
        return kept[1]
    # parameters by edge (the hot side carries the same parameters as the cold side)
    pos = np.empty(cn.n_edges, dtype=np.int64)
    pos[grp.idx] = np.arange(grp.idx.size)
    at = pos[cn.hx_hot]
    params = {k: v[at] for k, v in grp.params.items()}
    # the arrangement as its code in correlations.hx (the compiled closed forms)
    params["hx_code"] = _HX_CODES[params["arrangement"].astype(np.int64)]
    params["hx_eps"] = np.ascontiguousarray(params["hx_eps"], dtype=float)
    # the arguments of the compiled laws (:func:`edge_heat_coefficients`), as
    # :func:`hx_ua` passes them
    params["kernel_args"] = _hx_ua_args(params) + (params["hx_eps"], params["hx_code"],
                                                    EPS_NTU_LIMIT, TINY_CR)
    cn.cache["hx_params"] = (grp, params)
    return params


def hx_ua(params, m_hot, m_cold, rho_hot, rho_cold, count):
    """UA of heat exchangers at their solved flows [W/K] (all ``count`` units).

    Parameters
    ----------
    params : dict
        The ``ThermalLaw.HX`` parameters of the exchangers (one value each):
        ``hx_ua`` per unit, the design flows and their bases, ``hx_flow_exponent``,
        ``hx_hot_film_share``, ``hx_wall_share``.
    m_hot, m_cold : numpy.ndarray
        Mass flow through each side, all units [kg/s] (the sign is not used).
    rho_hot, rho_cold : numpy.ndarray
        Density of each side [kg/m³] (design flows given as volume flows).
    count : numpy.ndarray
        Units in parallel.

    Returns
    -------
    numpy.ndarray
        ``hx_ua × count`` where no design flows are given (constant UA), else
        :func:`narvik_thermal.correlations.hx.ua_off_design` of the per-unit flow
        ratios :math:`x = |\\dot m|/(\\mathrm{count}\\,\\dot m_0)` times ``count``; NaN
        where an effectiveness is given instead.
    """
    kernel = kernels.heat().hx_ua

    f = np.ascontiguousarray
    return kernel(*_hx_ua_args(params), f(m_hot, dtype=float), f(m_cold, dtype=float),
                  f(rho_hot, dtype=float), f(rho_cold, dtype=float), f(count, dtype=float))


def _hx_ua_args(params) -> tuple:
    """The parameters of the compiled UA law
    (:func:`narvik_thermal.components._heat_kernels.hx_ua`) from the ``ThermalLaw.HX``
    parameters, contiguous, in its order (validated when the exchangers were added or
    updated)."""
    f = np.ascontiguousarray
    return (f(params["hx_ua"], dtype=float), f(params["hx_hot_design"], dtype=float),
            f(params["hx_cold_design"], dtype=float), f(params["hx_hot_design_basis"]),
            f(params["hx_cold_design_basis"]), _VOLUME,
            f(params["hx_flow_exponent"], dtype=float),
            f(params["hx_hot_film_share"], dtype=float), f(params["hx_wall_share"], dtype=float))


#: NTU standing for unlimited area: the effectiveness an arrangement reaches at best.
EPS_NTU_LIMIT = 1e6

_NO_INT, _NO_FLOAT = np.zeros(0, np.int64), np.zeros(0)
#: the exchanger and heat-pump arguments of the compiled laws of a network without them
_NO_HX = (_NO_INT, _NO_INT, _NO_FLOAT, _NO_FLOAT, _NO_FLOAT, _NO_INT, _NO_INT, _VOLUME,
          _NO_FLOAT, _NO_FLOAT, _NO_FLOAT, _NO_FLOAT, _NO_INT, EPS_NTU_LIMIT, TINY_CR)
_NO_HEAT_PUMPS = (_NO_INT, _NO_INT, _NO_FLOAT, _NO_FLOAT, _NO_INT, _NO_FLOAT)


def edge_heat_coefficients(cn, m, up, h_k, T_k, cp_k, cp_edge, rise, rho_edge, h_set,
                           heat_pumps=None, arguments=None):
    """Coefficients of the linear heat law of every edge.

    Parameters
    ----------
    cn : CompiledNetwork
    m : numpy.ndarray
        Edge mass flows [kg/s].
    up : numpy.ndarray
        Upstream node of each edge (by the sign of the flow).
    h_k, T_k, cp_k : numpy.ndarray
        Node enthalpy [J/kg], temperature [K] and specific heat [J/(kg K)] of
        the linearisation point.
    cp_edge : numpy.ndarray
        Specific heat at each edge's mean temperature [J/(kg K)] (heat capacity
        rates of heat exchangers).
    rise : numpy.ndarray
        Pressure rise of each edge [Pa] (pumps: hydraulic power = V Δp).
    rho_edge : numpy.ndarray
        Density at each edge [kg/m³].
    h_set : numpy.ndarray
        Enthalpy of the set-point temperature of set-point edges [J/kg]; NaN on a
        set-point edge that holds nothing (a consumer that cannot deliver).
    heat_pumps : tuple, optional
        ``(h_supply, cop, mode, capacity)`` of the heat pumps (as
        :func:`heat_pump_coefficients` takes them): their laws computed and added in
        the same compiled call as the others (the same numbers as adding
        :func:`heat_pump_coefficients` to the coefficients without them). The coupled
        solve and the transient both pass them so.
    arguments : tuple, optional
        :func:`heat_law_arguments` of ``cn``, gathered once by a caller that calls
        this many times with the same law groups (gathered here when not given).

    Returns
    -------
    q0, q1, q2 : numpy.ndarray
        ``Q_e = q0 + q1 h_up(e) + q2 h_up(partner(e))`` [W, kg/s, kg/s].
    hx_info : dict
        Effectiveness, NTU, Cmin, Cr and UA (at the solved flows, all units; NaN
        where an effectiveness is given) of each heat exchanger (for results).

    Notes
    -----
    One compiled call (:func:`narvik_thermal.components._heat_kernels.edge_heat_laws`):
    the local laws, the heat exchangers' UA at the solved flows, effectiveness and
    coefficients (a given effectiveness beyond what the arrangement reaches with
    unlimited area at these capacity rates — parallel flow: 1/(1 + Cr) — would cross
    the outlet temperatures: it is held at that limit, NTU = ``EPS_NTU_LIMIT``, and
    flagged), and the heat pumps' laws where ``heat_pumps`` is given.
    """
    f = np.ascontiguousarray
    laws, hx = arguments if arguments is not None else heat_law_arguments(cn)
    if heat_pumps is not None and cn.hp_evap.size:
        h_supply, cop, mode, capacity = heat_pumps
        hp = (cn.hp_evap, cn.hp_cond, f(h_supply, dtype=float), f(cop, dtype=float),
              f(mode, dtype=np.int64), f(capacity, dtype=float))
    else:
        hp = _NO_HEAT_PUMPS
    eh, ec, ua, hot_design, cold_design, hot_basis, cold_basis, volume, exponent, \
        hot_share, wall_share, eps_given, code, ntu_limit, tiny_cr = hx
    (q0, q1, q2), hx_floats, limited = kernels.heat().edge_heat_laws(
        f(m, dtype=float), f(up, dtype=np.int64), f(h_k, dtype=float), f(T_k, dtype=float),
        f(cp_k, dtype=float), f(rise, dtype=float), f(rho_edge, dtype=float),
        f(h_set, dtype=float), *laws, eh, ec,
        f(cp_edge, dtype=float), ua, hot_design, cold_design, hot_basis, cold_basis, volume,
        exponent, hot_share, wall_share, eps_given, code, ntu_limit, tiny_cr, *hp,
        _SETPOINT, _CAPACITY)
    hx_info = {}
    if cn.hx_hot.size:
        eps, ntu, Cmin, cr, ua = hx_floats
        hx_info = dict(effectiveness=eps, ntu=ntu, cmin=Cmin, cr=cr, ua=ua,
                       effectiveness_limited=limited)
    return q0, q1, q2, hx_info


def heat_law_arguments(cn) -> tuple:
    """The parameters of the edges' heat laws as :func:`edge_heat_coefficients` passes
    them to its compiled laws: the unit counts and the local laws' groups, and the heat
    exchangers' (their sides and :func:`_hx_params`' arguments). Valid while ``cn``
    keeps its law groups: a coupled solve gathers them once for its outer iterations
    (the controls move hydraulic parameters between them, in place: valve openings,
    pump speeds and flows, flow boundaries, none of these; a ``Network.update`` makes
    new groups, and a new solve gathers again)."""
    g = cn.tgroups
    laws = (np.ascontiguousarray(cn.count, dtype=float),) + _local_params(cn, g)
    if cn.hx_hot.size:
        return laws, (cn.hx_hot, cn.hx_cold) + _hx_params(cn, g[ThermalLaw.HX])["kernel_args"]
    return laws, _NO_HX


def heat_pump_coefficients(cn, m, h_supply, cop, mode, capacity):
    """Linear heat-law coefficients of heat-pump evaporators and condensers.

    Condenser (sink side): holds its outlet at ``h_supply`` (mode 0),
    delivers its capacity (mode 1) or is off (mode 2). Evaporator (source
    side): takes ``Q_cond (1 − 1/COP)``, which couples it to the condenser
    inlet (``q2``), so condenser heat = evaporator heat + electric power exactly.

    Parameters
    ----------
    cn : CompiledNetwork
    m : numpy.ndarray
        Edge mass flows [kg/s].
    h_supply, cop, capacity : numpy.ndarray
        Per heat pump: supply enthalpy [J/kg], COP [-], capacity of all units [W].
    mode : numpy.ndarray
        Per heat pump: 0 set-point, 1 at capacity, 2 off.

    Returns
    -------
    dict
        ``q0``, ``q1``, ``q2`` arrays over all edges.
    """
    E = m.size
    q0, q1, q2 = np.zeros(E), np.zeros(E), np.zeros(E)
    if cn.hp_evap.size:
        heat_pump_laws = kernels.heat().heat_pump_laws

        f = np.ascontiguousarray
        heat_pump_laws(cn.hp_evap, cn.hp_cond, f(m, dtype=float), f(h_supply, dtype=float),
                       f(cop, dtype=float), f(mode, dtype=np.int64), f(capacity, dtype=float),
                       _SETPOINT, _CAPACITY, q0, q1, q2)
    return dict(q0=q0, q1=q1, q2=q2)




def consumer_flows(cn, h_in, h_return, cp, rho):
    """Primary flows the consumers' control valves set, from their inlet state.

    Parameters
    ----------
    cn : CompiledNetwork
    h_in : numpy.ndarray
        Inlet enthalpy of each consumer edge [J/kg] (aligned with the
        ``CONSUMER`` hydraulic group).
    h_return : numpy.ndarray
        Enthalpy of each return set-point [J/kg] (NaN where none).
    cp, rho : numpy.ndarray
        Specific heat [J/(kg K)] and density [kg/m³] at each consumer.

    Returns
    -------
    m : numpy.ndarray
        Total mass flow of each consumer edge [kg/s] (``count`` units).
    delivering : numpy.ndarray of bool
        False where a return-temperature consumer's supply does not exceed its
        return set-point (it takes no heat then).

    Notes
    -----
    ``delta_t``: :math:`\\dot m = Q/(c_p \\Delta T)`; ``return_temperature``:
    :math:`\\dot m = \\min\\big(Q/(h_{in} - h_{ret}),\\; Q/(c_p \\Delta T_{min})\\big)`
    (the cap when the supply is too cold, flagged by the result); ``mass_flow``:
    the given flow (volume × ρ).
    """
    f = np.ascontiguousarray
    return kernels.heat().consumer_flows(
        *_consumer_params(cn, cn.hgroups[_CONSUMER]), f(h_in, dtype=float),
        f(h_return, dtype=float), f(cp, dtype=float), f(rho, dtype=float), _DELTA_T,
        _RETURN_TEMPERATURE, _MASS_FLOW, _MASS)


def consumer_flows_at(cn, m, idx, start, end, T, h, rho_edge, edge_fluid, tables, h_return,
                      arguments=None):
    """:func:`consumer_flows` at a state of the network: each consumer's inlet (by the
    sign of its flow), its enthalpy, its specific heat in its fluid's table and its
    density, and the flows, in one compiled call
    (:func:`narvik_thermal.components._heat_kernels.consumer_states`; the coupled
    solve's outer iteration, where the look-ups and the law were four calls).

    Parameters
    ----------
    cn : CompiledNetwork
    m : numpy.ndarray
        Edge mass flows [kg/s].
    idx, start, end : numpy.ndarray
        The consumers' edges (the ``CONSUMER`` hydraulic group) and their ends.
    T, h : numpy.ndarray
        Node temperatures [K] and enthalpies [J/kg].
    rho_edge : numpy.ndarray
        Density at each edge [kg/m³].
    edge_fluid : numpy.ndarray
        Each edge's fluid in ``tables``.
    tables : TableSet
        The fluids' tables (:class:`narvik_thermal.fluids.table_set.TableSet`).
    h_return : numpy.ndarray
        Enthalpy of each return set-point [J/kg] (NaN where none).
    arguments : tuple, optional
        :func:`consumer_law_arguments` of ``cn`` and ``tables``, gathered once by a
        caller that calls this many times with the same groups (gathered here when
        not given).

    Returns
    -------
    m, delivering : numpy.ndarray
        As :func:`consumer_flows`, the same numbers as its call on the inlet states.
    """
    tabs, law = arguments if arguments is not None else consumer_law_arguments(cn, tables)
    return kernels.heat().consumer_states(m, idx, start, end, T, h, rho_edge, edge_fluid,
                                          *tabs, *law[:7], h_return, *law[7:])


def consumer_law_arguments(cn, tables) -> tuple:
    """The tables (and the specific heat's row) and the consumers' parameters and codes
    as :func:`consumer_flows_at` passes them to its compiled call, valid while ``cn``
    keeps its groups (a coupled solve gathers them once; a ``Network.update`` makes
    new groups)."""
    return ((*tables.lookup_arguments(), tables.row("cp")),
            _consumer_params(cn, cn.hgroups[_CONSUMER])
            + (_DELTA_T, _RETURN_TEMPERATURE, _MASS_FLOW, _MASS))


def _consumer_params(cn, grp):
    """The consumers' parameters as :func:`consumer_flows` passes them to its compiled
    law (controls, demands, ΔT, least drops, flow bases and flows, units: contiguous,
    counts gathered); gathered once per parameter group (``Network.update`` makes a
    new group) and unit counts, and kept in ``cn.cache``."""
    kept = cn.cache.get("consumer_params")
    if kept is not None and kept[0] is grp and kept[1] is cn.count:
        return kept[2]
    P = grp.params
    f = np.ascontiguousarray
    params = (P["control"], f(P["demand"], dtype=float), f(P["delta_t"], dtype=float),
              f(P["min_temperature_drop"], dtype=float), P["flow_basis"],
              f(P["mass_flow"], dtype=float), f(cn.count[grp.idx], dtype=float))
    cn.cache["consumer_params"] = (grp, cn.count, params)
    return params
