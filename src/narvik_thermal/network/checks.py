"""Checks of a solved network state: the balances of its circuits and its flags.

:func:`circuit_balances` and :func:`physics_flags` make the ``balance`` and the
``flags`` (:class:`Flag`) of a :class:`~narvik_thermal.network.result.Result` from the
compiled network and the solved state (:class:`~narvik_thermal.solvers.state.SteadyState`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from ..components.cold_plate import CHIP_COOLANT_MARGIN
from ..components.hydraulics import valve_kv_effective
from ..components.kinds import EdgeKind, HeatPumpMode, HydraulicLaw, RiseBasis
from ..components.pump import G
from ..errors import user_api
from ..fluids.fluid import Fluid
from ..fluids.table_set import table_set
from . import _kernel_modules as network_kernels
from ..solvers.thermal import STAGNANT_FLOW, stagnant_limit

__all__ = ["Flag", "circuit_balances", "physics_flags", "P_ATMOSPHERE", "MAX_PUMP_RISE",
           "STARVED_RISE", "PUMP_REVERSE_TRICKLE"]


#: Standard atmosphere [Pa]: the reference of gauge pressures.
P_ATMOSPHERE = 101325.0

#: Pressure rise beyond any physical pump [Pa] (1000 bar): a fixed-flow pump that
#: needs more, or a shut (or reverse-blocked) valve whose leakage law carries flow
#: against more, is an impossible operating point (``impossible_operating_point``).
MAX_PUMP_RISE = 1e8

#: Reverse flow of a curve pump, as a share of its curve's largest flow, below which it
#: is standing still, not running in reverse (``pump_off_curve``): a shut check valve in
#: series leaks 1e-5 kg/s per bar (``CHECK_VALVE_BACK_RESISTANCE``), parts per million
PUMP_REVERSE_TRICKLE = 1e-4

#: Temperature change [K] across one heated or cooled edge beyond which its flow is
#: taken for a leak, not a flow (``starved_heat``): a liquid-cooling or district-heating
#: unit changes its stream by a few to some tens of kelvin; more than this means a shut
#: valve, a stopped pump or a closed branch leaves the unit only a trickle, and its
#: temperatures are those of a state the plant cannot reach.
STARVED_RISE = 100.0

_CAPACITY, _OFF = int(HeatPumpMode.CAPACITY), int(HeatPumpMode.OFF)


@user_api
@dataclass(frozen=True)
class Flag:
    """An unphysical or alarming state found in a solved network.

    Attributes
    ----------
    kind : str
        ``"freezing"``, ``"boiling"``, ``"property_range"``, ``"chip_over_limit"``,
        ``"chip_below_coolant"``, ``"reversed_flow"``, ``"effectiveness_limited"``,
        ``"pump_off_curve"``, ``"no_flow_heat"``, ``"starved_heat"``,
        ``"negative_pressure"``, ``"impossible_operating_point"``, ….
    elements : tuple of str
        Names of the nodes or edges concerned (the worst first, at most 20).
    count : int
        How many physical units are concerned: for edge flags the sum of the
        ``count`` (multiplicity) of the flagged edges — 10,728 GPUs, not the
        144 replicated cold-plate edges that stand for them; for node flags
        the number of nodes (a node has no multiplicity). A float only if
        fractional ``count`` values were given.
    message : str
        A sentence a person can act on (it states units, and the edges when
        they differ).
    n_elements : int
        How many network elements (edges, or nodes) are flagged; equals
        ``count`` when no flagged edge is replicated (default: ``count``).
    """

    kind: str
    elements: tuple
    count: int
    message: str
    n_elements: int | None = None

    def __post_init__(self) -> None:
        if self.n_elements is None:
            object.__setattr__(self, "n_elements", int(self.count))


class _Topology:
    """What the checks read of a compiled network's topology (boundary nodes, circuits,
    exchangers), gathered once per compiled network and kept in its cache; used only
    while the arrays it was gathered from are the network's (:func:`_topology` checks
    them at every use)."""

    __slots__ = ("sources", "open_node", "bc", "flow_nodes", "flow_is_mass", "n_c1",
                 "cp_tables", "circuit_fluid", "tank_node", "any_tank", "hx", "limits",
                 "fluid_bounds", "boiling_groups")

    def __init__(self, cn, sources: tuple) -> None:
        nc = cn.node_circuit
        self.sources = sources
        # the nodes of pressure boundaries other than expansion tanks, and those with
        # flow boundaries
        self.open_node = np.zeros(cn.n_nodes, bool)
        self.open_node[cn.fixed_nodes[~cn.is_tank]] = True
        self.bc = self.open_node.copy()
        self.bc[cn.flow_nodes] = True
        self.flow_nodes = np.ascontiguousarray(cn.flow_nodes, dtype=np.int64)
        self.flow_is_mass = np.ascontiguousarray(cn.flow_is_mass, dtype=np.bool_)
        self.n_c1 = np.maximum(np.bincount(nc, minlength=cn.n_circuits), 1)
        # the circuits' fluids as a table set (one compiled lookup of every circuit's
        # specific heat, bit for bit each fluid's own cp_pT: tests/test_fluids_table_kernels)
        place: dict[int, int] = {}
        uniq: list = []
        self.circuit_fluid = np.empty(cn.n_circuits, dtype=np.int64)
        for c, fl in enumerate(cn.circuit_fluid):
            if id(fl) not in place:
                place[id(fl)] = len(uniq)
                uniq.append(fl)
            self.circuit_fluid[c] = place[id(fl)]
        self.cp_tables = table_set(tuple(uniq))
        tank = np.zeros(cn.n_circuits, bool)
        tank[nc[cn.fixed_nodes[cn.is_tank]]] = True
        tank[nc[cn.fixed_nodes[~cn.is_tank]]] = False
        self.tank_node = tank[nc]
        self.any_tank = bool(self.tank_node.any())
        self.hx = np.concatenate([cn.hx_hot, cn.hx_cold])
        # the operating limits per node, with the arrays they were taken from
        # (Network.set_dew_point and set_pressure_rating replace those arrays)
        self.limits = None
        # each node's fluid bounds (_fluid_bounds), with the fluid map and values
        self.fluid_bounds = None
        # the fluids of one saturation curve (_boiling_temperatures), with the fluid map
        self.boiling_groups = None


def _topology(cn) -> _Topology:
    """The compiled network's :class:`_Topology`, made anew where any array or fluid it
    was gathered from is no longer the network's."""
    sources = (cn.node_circuit, cn.fixed_nodes, cn.is_tank, cn.flow_nodes, cn.flow_is_mass,
               cn.hx_hot, cn.hx_cold, *cn.circuit_fluid)
    top = cn.cache.get("checks_topology")
    if top is None or len(top.sources) != len(sources) or not all(
            map(operator.is_, top.sources, sources)):
        top = cn.cache["checks_topology"] = _Topology(cn, sources)
    return top


def _node_limits(cn, top: _Topology) -> tuple:
    """The dew point + margin and the pressure rating of each node's circuit [K, Pa]."""
    src = (cn.circuit_dew_point, cn.circuit_dew_margin, cn.circuit_pressure_rating)
    got = top.limits
    if got is None or not all(map(operator.is_, got[0], src)):
        nc = cn.node_circuit
        got = top.limits = (src, (cn.circuit_dew_point + cn.circuit_dew_margin)[nc],
                            cn.circuit_pressure_rating[nc])
    return got[1], got[2]


def circuit_balances(cn, s) -> dict:
    """Mass and energy balance of each circuit of a solved state (``Result.balance``).

    Heat lost by edges carrying no flow never reaches the fluid: it is counted.
    Enthalpies are relative to each circuit's lowest node enthalpy: the reference
    cancels by mass conservation, and round-off then scales with the enthalpy
    *changes*, not with the absolute enthalpy of the stream. The energy scale is the
    heat and enthalpy flows of the circuit, but at least the enthalpy flow of a 1 K
    change on its largest flow (an isothermal circuit has no other scale; a residual
    below that is a temperature error far below 1 K). Mass: at every node without a
    pressure reference (pressure boundaries take or give flow; an expansion tank cannot
    in steady state, so a net flow there is an imbalance of its closed circuit). The
    sums in one compiled pass (:func:`._check_kernels.balance_sums`)."""
    top = _topology(cn)
    A = cn.incidence
    heat, e_in, e_out, resid, mmax, t_sum, scale, mres = network_kernels.checks().balance_sums(
        cn.n_circuits, cn.edge_circuit, cn.node_circuit, s.heat, s.mass_flow, s.supply,
        top.bc, s.enthalpy, s.external_inflow, s.external_enthalpy, s.temperature,
        A.indptr, A.indices, A.data, top.flow_nodes, top.flow_is_mass,
        np.ascontiguousarray(cn.flow_value, dtype=float), s.density_node, top.open_node)
    # each circuit's fluid's cp_pT at its mean temperature, in one lookup
    cp_c = top.cp_tables.values(t_sum / top.n_c1, top.circuit_fluid, ("cp",))[0]
    scale = np.maximum(scale, mmax * cp_c * 1.0)
    out = {}
    # (as Python floats: the same numbers, without a NumPy scalar each)
    for lab, mr, ms, r, sc, q, ei, eo in zip(cn.circuit_label, mres.tolist(), mmax.tolist(),
                                             resid.tolist(), scale.tolist(), heat.tolist(),
                                             e_in.tolist(), e_out.tolist()):
        out[lab] = dict(mass_residual=mr, mass_relative=mr / ms if ms > 0 else 0.0,
                        energy_residual=r, energy_relative=abs(r) / sc if sc > 0 else 0.0,
                        heat_into_fluid=q, enthalpy_in=ei, enthalpy_out=eo)
    return out


def physics_flags(cn, fm, s, chip) -> list[Flag]:
    """The flags of a solved state (``Result.flags``): ``fm`` its fluid map
    (:class:`~narvik_thermal.solvers.coupled.FluidMap`), ``chip`` the chip temperature
    of every cold plate [K]."""
    flags: list[Flag] = []
    T, p, m = s.temperature, s.pressure, s.mass_flow
    am = np.abs(m)
    top = _topology(cn)
    nn = cn.node_names
    en = cn.edge_names

    def add(kind, mask_idx, names, values, fmt, msg):
        # counts in physical units: an edge stands for `count` units in parallel
        if mask_idx.size == 0:
            return
        order = np.argsort(values)[::-1][:20]
        els = tuple(names[k] for k in mask_idx[order])
        worst = fmt(values[order[0]])
        units = float(np.sum(cn.count[mask_idx])) if names is en else float(mask_idx.size)
        units = int(units) if units.is_integer() else units
        on = (f" ({mask_idx.size:,} edge{'s' if mask_idx.size > 1 else ''})"
              if units != mask_idx.size else "")
        flags.append(Flag(kind, els, units,
                          msg.format(n=f"{units:,}", on=on, first=els[0], worst=worst),
                          int(mask_idx.size)))

    # which checks find anything, in one compiled pass (_check_kernels.screen: their own
    # comparisons, element by element); each makes its flags only where it does
    K = network_kernels.checks()
    hit = _screen(K, cn, top, s, chip)
    # (x.nonzero()[0] is np.flatnonzero(x) of a 1-D x, without its dispatch)
    # below absolute zero: heat taken from a stream too small to carry it (a consumer
    # of fixed flow and heat, a fixed heat load on a trickle); no state at all
    if hit[K.COLD]:
        cold = (T <= 0.0).nonzero()[0]
        add("impossible_operating_point", cold, nn, -T[cold], lambda v: f"{v:.3g} K",
            "{n} node(s) (worst {first}, {worst} below absolute zero) would have to be "
            "colder than absolute zero: more heat is taken out of a stream than its flow "
            "can give (a fixed heat on a tiny fixed flow); give the flow, or let the heat "
            "follow it (a consumer controlled by delta_t or return_temperature).")
    _fluid_flags(fm, top, T, p, nn, add)
    if hit[K.NEGATIVE_PRESSURE]:
        bad = (p <= 0).nonzero()[0]
        add("negative_pressure", bad, nn, -p[bad], lambda v: f"{v:.4g} Pa",
            "{n} node(s) have a non-positive absolute pressure (worst {first}, {worst} below "
            "zero): raise the system's pressure (an expansion tank's or a pressure "
            "boundary's), check pump heads and suction lifts, or open the path of a fixed "
            "flow forced through a shut valve (impossible_operating_point).")
    _limit_flags(cn, top, T, p, add, hit, K)
    grp = cn.kgroups[EdgeKind.COLD_PLATE]
    if hit[K.CHIP_OVER] or hit[K.PLATE_REVERSED] or hit[K.CHIP_BELOW]:
        i = grp.idx
        over = chip > grp.params["t_chip_max"]
        if over.any():
            add("chip_over_limit", i[over], en, (chip - grp.params["t_chip_max"])[over],
                lambda v: f"{v:.3g} K", "{n} chip(s){on} exceed their limit (worst {first}, "
                "{worst} over): more flow, a colder supply or a better cold plate is needed.")
        mi = m[i]
        rev = mi < 0
        if rev.any():
            add("reversed_flow", i[rev], en, -mi[rev], lambda v: f"{v:.3g} kg/s",
                "reversed flow through {n} cold plate(s){on} (worst {first}, {worst}): check "
                "manifold pressures and pump direction.")
        # the case-to-inlet law at a trickle of flow: R(V) below 1/(m cp) puts the chip
        # below the coolant it heats (its resistance extended beyond its data)
        out_i = s.outlet_temperature[i]
        low = chip < out_i - CHIP_COOLANT_MARGIN
        if low.any():
            add("chip_below_coolant", i[low], en,
                (out_i - chip)[low], lambda v: f"{v:.3g} K",
                "{n} chip(s){on} come out colder than the coolant leaving their plate (worst "
                "{first}, {worst} below): at this low flow the cold plate's resistance law is "
                "outside its validity and the chip temperature is a lower bound; give the "
                "plate's datasheet curve down to this flow, or more flow.")
    hx = top.hx
    if hit[K.HX_REVERSED]:
        mh = m[hx]
        rev = mh < 0
        add("reversed_flow", hx[rev], en, -mh[rev], lambda v: f"{v:.3g} kg/s",
            "reversed flow through {n} heat-exchanger side(s){on} (worst {first}, {worst}): the "
            "arrangement assumed (e.g. counterflow) no longer holds.")
    lim = s.heat_exchangers.get("effectiveness_limited") if s.heat_exchangers else None
    if lim is not None and np.asarray(lim).any():
        k = np.flatnonzero(lim)
        add("effectiveness_limited", cn.hx_hot[k], en, s.heat_exchangers["effectiveness"][k],
            lambda v: f"ε = {v:.3g}",
            "{n} heat exchanger(s){on} (worst {first}, held at {worst}) were given an "
            "effectiveness their arrangement cannot reach at these capacity rates (a "
            "parallel-flow exchanger reaches at most 1/(1 + Cmin/Cmax)): held at that "
            "limit; give a lower effectiveness, or ua= and the arrangement.")
    _pump_flags(cn, s, p, m, add, hit, K)
    if hit[K.HEAT_PUMPS]:
        hpd = s.heat_pumps
        mode = hpd["mode"]
        src = hpd.get("source_limited")
        if src is None:
            src = np.zeros(mode.size, bool)
        i = cn.hp_cond[(mode == _CAPACITY) & ~src]
        if i.size:
            add("capacity_limited", i, en, s.heat[i], lambda v: f"{v / 1e3:.4g} kW",
                "{n} heat pump(s){on} run at capacity and cannot hold their supply temperature "
                "(worst {first}, {worst}): add capacity or a peak boiler.")
        flags.extend(_heat_pump_limit_flags(cn.hp_names, hpd))
        # (not those idle because nothing flows through their condensers; |m| is its own
        # magnitude, so the stagnant limit of am is that of m)
        idle = am[cn.hp_cond] <= stagnant_limit(am)
        i = cn.hp_cond[(mode == _OFF) & ~idle]
        if i.size:
            add("heat_pump_off", i, en, np.zeros(i.size), lambda v: "",
                "{n} heat pump(s){on} are off because their sink already arrives at or above the "
                "supply temperature ({first}).")
    grp = cn.kgroups[EdgeKind.CONSUMER]
    if hit[K.CONSUMER_PRESSURE] or hit[K.CONSUMER_HEAT]:
        i = grp.idx
        dp = p[cn.start[i]] - p[cn.end[i]]
        short = dp < grp.params["min_pressure_difference"]
        if short.any():
            add("consumer_underpressure", i[short], en,
                (grp.params["min_pressure_difference"] - dp)[short], lambda v: f"{v / 1e5:.3g} bar",
                "{n} consumer(s){on} get less differential pressure than their control valve needs "
                "(worst {first}, {worst} short; a negative differential means the network would "
                "have to pump through the substation): raise the pump head or enlarge pipes.")
        delivered = -s.heat[i]
        demand = grp.params["demand"] * cn.count[i]
        short = delivered < demand * (1 - 1e-6) - 1e-6
        if short.any():
            add("consumer_heat_not_met", i[short], en, (demand - delivered)[short],
                lambda v: f"{v / 1e3:.4g} kW",
                "{n} consumer(s){on} get less heat than they demand (worst {first}, {worst} short): "
                "the supply is too cold for their return set-point; raise the supply "
                "temperature.")
    if not (hit[K.NO_FLOW_HEAT] or hit[K.STARVED_HEAT]):
        return flags
    heating = np.abs(s.heat) > 0
    heated = ((am == 0) & heating).nonzero()[0]
    if heated.size:
        add("no_flow_heat", heated, en, np.abs(s.heat[heated]), lambda v: f"{v:.3g} W",
            "{n} unit(s){on} add heat but carry no flow (worst {first}, {worst}); their temperature "
            "has no steady state.")
    with np.errstate(invalid="ignore"):
        change = np.abs(s.outlet_temperature - T[s.upstream])
        trickle = ((am > 0) & heating & (change > STARVED_RISE)).nonzero()[0]
    if trickle.size:
        add("starved_heat", trickle, en, change[trickle], lambda v: f"{v:.3g} K",
            "{n} unit(s){on} add or take heat on a mere trickle of flow (worst {first}, "
            "{worst} across it, more than " + f"{STARVED_RISE:.0f}" + " K): a shut valve, a "
            "stopped pump or a closed branch leaves them no flow path; their temperatures are "
            "not a state the plant can reach. Open the path, or take their heat away.")
    return flags


def _screen(K, cn, top: _Topology, s, chip) -> np.ndarray:
    """:func:`._check_kernels.screen` of a solved state: which of the checks below find
    anything (the groups' arrays as the checks read them; empty where a group is)."""
    plates = cn.kgroups[EdgeKind.COLD_PLATE]
    curve = cn.hgroups[HydraulicLaw.PUMP_CURVE]
    consumers = cn.kgroups[EdgeKind.CONSUMER]
    limits = cn.circuit_dew_point is not None
    none = np.empty(0)
    dew, rating = _node_limits(cn, top) if limits else (none, none)
    return K.screen(
        s.temperature, s.pressure, s.mass_flow, s.heat, s.outlet_temperature, s.upstream,
        cn.start, cn.end, cn.count, s.density_edge, s.rise, limits, dew, rating,
        top.tank_node, P_ATMOSPHERE,
        np.asarray(chip, dtype=float), plates.idx, plates.params["t_chip_max"],
        CHIP_COOLANT_MARGIN, top.hx, curve.idx, curve.params["q_max"], curve.params["speed"],
        PUMP_REVERSE_TRICKLE, cn.hgroups[HydraulicLaw.FIXED_FLOW].idx,
        cn.hgroups[HydraulicLaw.VALVE_KV].idx, MAX_PUMP_RISE, consumers.idx,
        consumers.params["min_pressure_difference"], consumers.params["demand"],
        STARVED_RISE, *_heat_pump_arrays(cn, s))


def _heat_pump_arrays(cn, s) -> tuple:
    """The heat pumps' arguments of :func:`._check_kernels.screen` (none where the
    state has no heat pumps: the checks then skip them)."""
    hpd = s.heat_pumps
    if not (cn.hp_cond.size and hpd):
        none, no = np.empty(0), np.empty(0, np.int64)
        return (no, no, _CAPACITY, _OFF, np.empty(0, bool), none, none, none, none,
                STAGNANT_FLOW)
    mode = hpd["mode"]
    src = hpd.get("source_limited")
    limits = [(hpd[key], hpd[top]) if key in hpd else (np.empty(0), np.empty(0))
              for key, top in (("discharge_temperature", "max_discharge_temperature"),
                               ("condensing_pressure", "max_condensing_pressure"))]
    src = np.zeros(mode.size, bool) if src is None else src
    return (cn.hp_cond, mode, _CAPACITY, _OFF, src, *limits[0], *limits[1], STAGNANT_FLOW)


def _fluid_bounds(fm, top: _Topology, n_nodes: int) -> tuple | None:
    """Each node's bounds of its circuit fluid: ``lo`` (below it a node is frozen or below
    the property tables: the larger of the freezing point and the tables' lower end),
    the tables' upper end and largest pressure (NaN for a node of no fluid); None where
    a fluid's freezing point or lower end is NaN (then :func:`_fluid_flags` checks each
    fluid's nodes in full). Kept with the fluid map and the values it was made of."""
    vals = []
    for fl, sel in zip(fm.fluids, fm.node_sel):
        if not sel.size:
            continue
        tmin = float(getattr(fl, "t_min", 0.0))
        tf = getattr(fl, "freezing_temperature", None)
        tf = tmin if tf is None else float(tf)
        vals.append((tf, tmin, float(getattr(fl, "t_max", np.inf)),
                     float(getattr(fl, "p_max", np.inf))))
    got = top.fluid_bounds
    if got is not None and got[0] is fm and got[1] == vals:
        return got[2]
    bounds = None
    sels = [sel for sel in fm.node_sel if sel.size]
    one_each = not sels or np.bincount(np.concatenate(sels), minlength=n_nodes).max() <= 1
    if one_each and not any(np.isnan(tf) or np.isnan(tmin) for tf, tmin, _, _ in vals):
        bounds = np.full((3, n_nodes), np.nan)
        for sel, (tf, tmin, tmax, pmax) in zip(sels, vals):
            bounds[:, sel] = np.array([[max(tf, tmin)], [tmax], [pmax]])
        bounds = (bounds[0], bounds[1], bounds[2])
    top.fluid_bounds = (fm, vals, bounds)
    return bounds


def _fluid_flags(fm, top: _Topology, T, p, nn, add) -> None:
    """The flags of each fluid's nodes: freezing, below or above its property tables,
    above their pressure, boiling; fluid after fluid, in that order.

    A node is below its fluid's freezing point or below its tables (``T < tf`` or
    ``tf <= T < t_min``) exactly where ``T < max(tf, t_min)``: where no node is outside
    its fluid's bounds (:func:`_fluid_bounds`, one pass over all nodes), boiling is the
    only one of these flags that can be found, and only it is checked, fluid after
    fluid."""
    bounds = _fluid_bounds(fm, top, T.size)
    if bounds is not None:
        lo, hi, pmax = bounds
        if not ((T < lo) | (T > hi) | (p > pmax)).any():
            boiling = _boiling_temperatures(fm, top, p, T)
            for fl, sel in zip(fm.fluids, fm.node_sel):
                tb = boiling.get(id(fl))
                if sel.size and hasattr(fl, "boiling_temperature_p") and tb is not _NONE_BOILS:
                    _boiling_flags(fl, sel, T, p, nn, add, tb)
            return
    for fl, sel in zip(fm.fluids, fm.node_sel):
        if not sel.size:
            continue
        tmin = float(getattr(fl, "t_min", 0.0))
        tmax = float(getattr(fl, "t_max", np.inf))
        # the freezing point where the fluid has one, else the table's lower end
        tf = getattr(fl, "freezing_temperature", None)
        tf = tmin if tf is None else float(tf)
        Ts, ps = T[sel], p[sel]
        bad = sel[Ts < tf]
        if bad.size:
            add("freezing", bad, nn, tf - T[bad], lambda v: f"{v:.3g} K",
                f"{{n}} node(s) of {getattr(fl, 'name', fl)} are below its freezing point "
                f"{tf - 273.15:.2f} °C (worst {{first}}, {{worst}} below); the coolant would "
                "freeze.")
        bad = sel[(Ts < tmin) & (Ts >= tf)]
        if bad.size:
            add("property_range", bad, nn, tmin - T[bad], lambda v: f"{v:.3g} K",
                f"{{n}} node(s) are below the property tables of {getattr(fl, 'name', fl)} "
                f"({tmin - 273.15:.2f} °C; worst {{first}}, {{worst}} below) though above its "
                "freezing point; properties were clamped there.")
        if hasattr(fl, "boiling_temperature_p"):
            _boiling_flags(fl, sel, T, p, nn, add)
        bad = sel[Ts > tmax]
        if bad.size:
            add("property_range", bad, nn, T[bad] - tmax, lambda v: f"{v:.3g} K",
                f"{{n}} node(s) exceed the property tables of {getattr(fl, 'name', fl)} "
                f"({tmax - 273.15:.1f} °C; worst {{first}}, {{worst}} above); properties were "
                "clamped there.")
        pmax = float(getattr(fl, "p_max", np.inf))
        bad = sel[ps > pmax]
        if bad.size:
            add("property_range", bad, nn, p[bad] - pmax, lambda v: f"{v / 1e5:.4g} bar",
                f"{{n}} node(s) are above the pressure the property tables of "
                f"{getattr(fl, 'name', fl)} cover ({pmax / 1e5:.4g} bar; worst {{first}}, "
                "{worst} above); its properties there are those of the table's pressure.")


def _boiling_flags(fl, sel, T, p, nn, add, tb=None) -> None:
    """The ``boiling`` flag of the nodes ``sel`` of fluid ``fl`` (``tb``: their boiling
    temperatures, where already evaluated)."""
    if tb is None:
        tb = np.asarray(fl.boiling_temperature_p(np.maximum(p[sel], 1.0), check=False),
                        dtype=float)
    over = T[sel] >= tb
    if over.any():
        bad = sel[over]
        add("boiling", bad, nn, T[bad] - tb[over], lambda v: f"{v:.3g} K",
            f"{{n}} node(s) of {getattr(fl, 'name', fl)} are at or above boiling at "
            "their pressure (worst {first}, {worst} above); raise the system pressure "
            "or lower the temperature.")


#: what :func:`_boiling_temperatures` gives for a fluid none of whose nodes boils
_NONE_BOILS = "none boils"


def _boiling_temperatures(fm, top: _Topology, p, T) -> dict:
    """The boiling temperatures of the nodes of the fluids (by ``id``) that share their
    saturation curve with another (:attr:`~narvik_thermal.fluids.Fluid.boiling_curve`
    arrays equal: water, glycols and seawater boil by water's curve), in one evaluation
    of the first one's :meth:`~narvik_thermal.fluids.Fluid.boiling_temperature_p` over
    all their nodes: it interpolates each pressure alone, in equal tables, so each node
    gets the temperature its own fluid gives it. The groups are kept with the fluid map
    and the curves' arrays (read-only) they were found from. The fluids of a group none
    of whose nodes is at or above its boiling temperature (``T``, one comparison over
    all of them: the comparisons of each fluid's) are :data:`_NONE_BOILS`."""
    curves = [(fl, sel, fl.boiling_curve) for fl, sel in zip(fm.fluids, fm.node_sel)
              if sel.size and isinstance(fl, Fluid) and isinstance(fl.boiling_curve, tuple)]
    got = top.boiling_groups
    if (got is None or got[0] is not fm or len(got[1]) != len(curves)
            or not all(a is c[2] for a, c in zip(got[1], curves))):
        groups: list[list] = []
        for k, (_, _, curve) in enumerate(curves):
            for g in groups:
                first = curves[g[0]][2]
                if all(np.array_equal(a, b) for a, b in zip(first, curve)):
                    g.append(k)
                    break
            else:
                groups.append([k])
        # each group of several fluids with all their nodes, in the order of its fluids
        got = top.boiling_groups = (fm, [c[2] for c in curves],
                                    [(g, np.concatenate([curves[k][1] for k in g]))
                                     for g in groups if len(g) > 1])
    out = {}
    for g, nodes in got[2]:
        tb = curves[g[0]][0].boiling_temperature_p(np.maximum(p[nodes], 1.0), check=False)
        if not (T[nodes] >= tb).any():
            out.update((id(curves[k][0]), _NONE_BOILS) for k in g)
            continue
        start = 0
        for k in g:
            size = curves[k][1].size
            out[id(curves[k][0])] = tb[start:start + size]
            start += size
    return out


def _pump_flags(cn, s, p, m, add, hit, K) -> None:
    """``pump_off_curve`` (curve and constant-power pumps) and the
    ``impossible_operating_point`` of fixed flows forced through shut valves (``hit``:
    the screen's answer, :mod:`._check_kernels` ``K``)."""
    en = cn.edge_names
    grp = cn.hgroups[HydraulicLaw.PUMP_CURVE]
    if hit[K.PUMP_OFF_CURVE]:
        i = grp.idx
        Q = m[i] / (cn.count[i] * s.density_edge[i])
        qmax = grp.params["q_max"] * grp.params["speed"]
        # (a reverse trickle is the leakage of a shut check valve in series: the pump
        # stands still, it does not run in reverse)
        off = (Q > qmax * 1.0000001) | (Q < -PUMP_REVERSE_TRICKLE * qmax) | (s.rise[i] < 0)
        if off.any():
            add("pump_off_curve", i[off], en, np.abs(Q[off] - qmax[off]), lambda v: f"{v:.3g} m³/s",
                "{n} pump(s){on} run off their curve (beyond the last curve point, in reverse or "
                "with negative head; worst {first}): the curve was extrapolated.")
    grp = cn.hgroups[HydraulicLaw.CONSTANT_POWER]
    if len(grp):
        i = grp.idx
        P = grp.params
        Q = m[i] / (cn.count[i] * s.density_edge[i])
        to_pa = np.where(P["rise_basis"] == int(RiseBasis.PRESSURE), 1.0, s.density_edge[i] * G)
        qc = 2.0 * P["power"] * P["speed"] / (to_pa * P["shutoff_rise"])
        off = Q < qc * (1 - 1e-9)
        if off.any():
            add("pump_off_curve", i[off], en, (qc - Q)[off], lambda v: f"{v:.3g} m³/s",
                "{n} constant-power pump(s){on} run below the flow at which their head reaches "
                "half the shut-off head, on the cap of the law (nearly dead-headed or in "
                "reverse; worst {first}, {worst} short): they no longer deliver their power.")
    # impossible operating points: a fixed-flow pump pushing against a shut valve
    # needs an unbounded rise, and the shut valve's leakage law carries the flow
    if not (hit[K.FIXED_FLOW_RISE] or hit[K.VALVE_DROP]):
        return
    grp = cn.hgroups[HydraulicLaw.FIXED_FLOW]
    i = grp.idx
    too_high = i[np.abs(s.rise[i]) > MAX_PUMP_RISE]
    grp = cn.hgroups[HydraulicLaw.VALVE_KV]
    if len(grp):
        j = grp.idx
        dp = p[cn.start[j]] - p[cn.end[j]]
        big = np.abs(dp) > MAX_PUMP_RISE
        if big.any():               # (the valves' Kv only where it can matter)
            P = grp.params
            kv = valve_kv_effective(P["kvs"], P["opening"], P["characteristic"],
                                    P["rangeability"])
            blocked = (kv <= 0) | ((P["check"] == 1) & (m[j] < 0))
            too_high = np.concatenate([too_high, j[blocked & big]])
    if too_high.size:
        drop = np.abs(p[cn.start[too_high]] - p[cn.end[too_high]])
        add("impossible_operating_point", too_high, en, drop, lambda v: f"{v / 1e5:.4g} bar",
            "{n} element(s) are forced to an impossible operating point (worst {first}, "
            f"{{worst}} across it, more than {MAX_PUMP_RISE / 1e5:.0f} bar): a fixed flow (a "
            "fixed-flow pump, a consumer or a flow boundary's demand) forced through a shut or "
            "reverse-blocked valve, whose leakage law then carries it, or through an absurdly "
            "resistive path; the network cannot deliver it that way (EPANET calls such nodes "
            "disconnected), and the pressures beyond it (negative, boiling) follow from that. "
            "Open the valve or turn the check valve round, give the flow another path, or give "
            "a pump a curve or a head instead of a fixed flow.")


def _limit_flags(cn, top: _Topology, T, p, add, hit, K) -> None:
    """Flags of the circuits' operating limits (``Network.set_dew_point``,
    ``set_pressure_rating``) and of closed circuits below 1 atm (``hit``: the screen's
    answer, :mod:`._check_kernels` ``K``)."""
    nn = cn.node_names
    if cn.circuit_dew_point is not None and (hit[K.CONDENSATION] or hit[K.OVER_PRESSURE]):
        lim, rating = _node_limits(cn, top)
        over = p - P_ATMOSPHERE - rating
        with np.errstate(invalid="ignore"):
            cold, high = T < lim, over > 0
        bad = cold.nonzero()[0]
        if bad.size:
            add("condensation", bad, nn, lim[bad] - T[bad], lambda v: f"{v:.3g} K",
                "{n} node(s) are colder than the room dew point + margin of their circuit "
                "(worst {first}, {worst} below): pipes and cold plates would sweat; raise the "
                "supply temperature or dry the room air.")
        bad = high.nonzero()[0]
        if bad.size:
            add("over_pressure", bad, nn, over[bad], lambda v: f"{v / 1e5:.3g} bar",
                "{n} node(s) exceed the (gauge) pressure rating of their circuit (worst "
                "{first}, {worst} over): lower the pump head or the expansion-tank pressure, "
                "or rate the pipes higher.")
    # a closed circuit (held by an expansion tank, no pressure boundary) is sealed:
    # below 1 atm air enters at vents, seals and high points. Open circuits are not
    # checked: their pressure level is the user's boundaries (a free surface, a
    # siphon by design); see result.nodes["gauge_pressure"].
    if not (top.any_tank and hit[K.SUB_ATMOSPHERIC]):
        return
    bad = (top.tank_node & (p > 0) & (p < P_ATMOSPHERE)).nonzero()[0]
    if bad.size:
        add("sub_atmospheric", bad, nn, P_ATMOSPHERE - p[bad], lambda v: f"{v / 1e5:.3g} bar",
            "{n} node(s) of closed circuits are below atmospheric pressure (worst {first}, "
            "{worst} below 1 atm): air would enter at vents, seals and high points; raise the "
            "expansion-tank pressure or put the tank at the pump suction.")


def _heat_pump_limit_flags(names, hpd: dict) -> list[Flag]:
    """``heat_pump_limit`` flags: a source held at its minimum outlet (freeze
    protection) and cycles over their compressor limits, one flag per limit."""
    out = []
    names = list(names)
    src = hpd.get("source_limited")
    src = np.zeros(0, np.intp) if src is None else np.flatnonzero(src)
    if src.size:
        k = src[0]
        out.append(Flag("heat_pump_limit", tuple(names[j] for j in src), int(src.size),
                        f"{src.size} heat pump(s) limited by their source (first {names[k]!r}): "
                        "the evaporator may not cool it below min_source_outlet "
                        f"{hpd['min_source_outlet'][k] - 273.15:.2f} °C (freeze protection), "
                        f"so it delivers {hpd['heat_sink'][k] / 1e3:.4g} kW"
                        + (f" of its rated {hpd['rated_capacity'][k] / 1e3:.4g} kW"
                           if np.isfinite(hpd['rated_capacity'][k]) else "")
                        + "; more source flow or a warmer source is needed (or a peak boiler "
                        "for the rest)."))
    limits = [(key, lim, what, fmt) for key, lim, what, fmt in (
        ("discharge_temperature", "max_discharge_temperature", "discharge temperature",
         lambda v: f"{v - 273.15:.1f} °C"),
        ("condensing_pressure", "max_condensing_pressure", "condensing pressure",
         lambda v: f"{v / 1e5:.2f} bar")) if key in hpd]
    with np.errstate(invalid="ignore"):
        beyond = [np.flatnonzero(hpd[key] > hpd[lim]) for key, lim, _, _ in limits]
    for (key, lim, what, fmt), over in zip(limits, beyond):
        if not over.size:
            continue
        val, top = hpd[key], hpd[lim]
        k = over[np.argmax((val - top)[over])]
        out.append(Flag("heat_pump_limit", tuple(names[j] for j in over), int(over.size),
                        f"{over.size} heat pump(s) run their compressors beyond the {what} "
                        f"limit (worst {names[k]!r}: {fmt(val[k])}, limit {fmt(top[k])}): "
                        "use two stages, another refrigerant or a lower supply temperature."))
    return out

