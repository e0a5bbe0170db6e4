"""The :class:`Result` of a steady network solve.

Accessors return pint Quantities; :attr:`Result.nodes` and :attr:`Result.edges`
are xarray Datasets whose variables carry ``attrs["units"]`` (CF style).
Temperatures are reported in degC, everything else in SI.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..components.hydraulics import valve_kv_effective, volume_flow_rated
from ..components.kinds import EdgeKind, HeatPumpMode, HydraulicLaw
from ..components.pump import G
from ..correlations.cold_plate import chip_temperature, thermal_resistance_flow
from ..errors import InputError, PhysicsWarning, user_api
from ..units import Q_

__all__ = ["Result", "Flag", "MAX_PUMP_RISE"]

#: Pressure rise beyond any physical pump [Pa] (1000 bar): a fixed-flow pump that
#: needs more, or a shut (or reverse-blocked) valve whose leakage law carries flow
#: against more, is an impossible operating point (``impossible_operating_point``).
MAX_PUMP_RISE = 1e8


@user_api
@dataclass(frozen=True)
class Flag:
    """An unphysical or alarming state found in a solved network.

    Attributes
    ----------
    kind : str
        ``"freezing"``, ``"boiling"``, ``"property_range"``, ``"chip_over_limit"``,
        ``"reversed_flow"``, ``"pump_off_curve"``, ``"no_flow_heat"``,
        ``"negative_pressure"``, ``"impossible_operating_point"``, ….
    elements : tuple of str
        Names of the nodes or edges concerned (the worst first, at most 20).
    count : int
        How many elements are concerned.
    message : str
        A sentence a person can act on.
    """

    kind: str
    elements: tuple
    count: int
    message: str


@user_api
class Result:
    """Solved steady state of a :class:`~narvik_thermal.network.Network`.

    Attributes
    ----------
    converged : bool
    convergence : dict
        Outer iterations, Newton iterations per outer iteration, residual
        history, temperature changes, seconds, factorisations.
    balance : dict
        Per circuit: ``mass_residual`` (largest nodal imbalance) [kg/s] and
        ``mass_relative`` (over the largest edge flow) [-]; ``energy_residual`` =
        enthalpy in + heat into the fluid − enthalpy out [W] (enthalpies relative
        to the circuit's lowest node enthalpy) and ``energy_relative``, over the
        larger of the circuit's heat and enthalpy flows and the enthalpy flow of
        a 1 K change on its largest flow [-].
    flags : list of Flag
        Unphysical or alarming states (also issued as :class:`PhysicsWarning`).
    controls : dict
        Per control loop (``Network.add_control``): actuator value, achieved
        target, set-point, ``met`` and ``saturated``.
    state : SteadyState
        The solution as SI arrays by node and edge index
        (:class:`narvik_thermal.solvers.state.SteadyState`), for code that works by index.
    compiled : CompiledNetwork
        The compiled network the arrays refer to (``edge_index``, ``node_index``,
        ``start``, ``end``, law groups).
    """

    def __init__(self, cn, fm, state, opts, warn: bool = True):
        self.compiled = cn
        self.state = state
        self._fm = fm
        self.convergence = state.record
        self.converged = bool(state.converged)
        self.controls: dict = {}
        self.options = opts
        #: why the solve did not converge ("" when it did)
        self.message = getattr(state, "message", "")
        # the parameter groups as solved: a later Network.update replaces the
        # compiled network's groups, and must not change this result
        self._kgroups = cn.kgroups
        self._nodes_ds = None
        self._edges_ds = None
        if state.partial:
            # hydraulics did not converge: no heat state (NaN, not an error)
            self._chip = np.full(len(cn.kgroups[EdgeKind.COLD_PLATE]), np.nan)
            self.balance: dict = {}
            self.flags: list[Flag] = []
            return
        self._chip = self._chip_temperatures()
        self.balance = self._balances()
        self.flags = self._check_physics() if opts.check_physics else []
        if warn:
            for f in self.flags:
                warnings.warn(f"{cn.name}: {f.message}", PhysicsWarning, stacklevel=4)

    def add_flag(self, flag: "Flag", warn: bool = True) -> None:
        """Add a flag found outside the physics checks (e.g. a control that cannot
        meet its set-point), issuing it as a :class:`PhysicsWarning`."""
        self.flags.append(flag)
        if warn:
            warnings.warn(f"{self.compiled.name}: {flag.message}", PhysicsWarning, stacklevel=3)

    # shorthand for the arrays
    @property
    def _m(self):
        return self.state.mass_flow

    @property
    def _p(self):
        return self.state.pressure

    @property
    def _T(self):
        return self.state.temperature

    # ----------------------------------------------------------- accessors
    def _e(self, name: str) -> int:
        return self.compiled.edge_id(name)

    def _n(self, name: str) -> int:
        return self.compiled.node_id(name)

    def mass_flow(self, edge: str):
        """Mass flow through an edge [kg/s] (positive start → end; total of ``count`` units)."""
        return Q_(float(self._m[self._e(edge)]), "kg/s")

    def volume_flow(self, edge: str):
        """Volume flow through an edge [m³/s] at the edge's mean temperature."""
        i = self._e(edge)
        return Q_(float(self._m[i] / self.state.density_edge[i]), "m^3/s")

    def pressure(self, node: str):
        """Absolute pressure at a node [Pa]."""
        return Q_(float(self._p[self._n(node)]), "Pa")

    def temperature(self, node: str):
        """Temperature at a node (perfectly mixed) [degC]."""
        return Q_(float(self._T[self._n(node)]) - 273.15, "degC")

    def outlet_temperature(self, edge: str):
        """Temperature at an edge's outlet, before mixing [degC]."""
        return Q_(float(self.state.outlet_temperature[self._e(edge)]) - 273.15, "degC")

    def pressure_drop(self, edge: str):
        """p_start − p_end of an edge [Pa] (includes static head; negative across a pump)."""
        i = self._e(edge)
        return Q_(float(self._p[self.compiled.start[i]] - self._p[self.compiled.end[i]]), "Pa")

    def heat_flow(self, name: str):
        """Heat into the fluid of an edge [W]; for a heat exchanger name, its duty
        (hot → cold) [W]."""
        cn = self.compiled
        if name in cn.hx_names:
            k = cn.hx_names.index(name)
            return Q_(float(self.state.heat[cn.hx_cold[k]]), "W")
        if name in cn.hp_names:
            k = cn.hp_names.index(name)
            return Q_(float(self.state.heat[cn.hp_cond[k]]), "W")
        return Q_(float(self.state.heat[self._e(name)]), "W")

    def heat_pump(self, name: str) -> dict:
        """Operating point of a heat pump: COP [-], electric power, heat to the sink
        (condenser) and from the source (evaporator) [W], and its mode
        (``"setpoint"``, ``"capacity"`` or ``"off"``)."""
        cn = self.compiled
        k = self._unit(name, cn.hp_names, "heat pump", (":evap", ":cond"))
        hp = self.state.heat_pumps
        if not hp:        # a partial result (hydraulics did not converge)
            nan = float("nan")
            return dict(cop=Q_(nan, ""), electric_power=Q_(nan, "W"), heat_sink=Q_(nan, "W"),
                        heat_source=Q_(nan, "W"), mode="unknown")
        return dict(cop=Q_(float(hp["cop"][k]), ""),
                    electric_power=Q_(float(hp["electric_power"][k]), "W"),
                    heat_sink=Q_(float(hp["heat_sink"][k]), "W"),
                    heat_source=Q_(float(hp["heat_source"][k]), "W"),
                    mode=("setpoint", "capacity", "off")[int(hp["mode"][k])])

    def chip_temperature(self, edge: str):
        """Chip (case) temperature of a cold plate [degC]."""
        i = self._e(edge)
        grp = self._kgroups[EdgeKind.COLD_PLATE]
        k = np.flatnonzero(grp.idx == i)
        if k.size == 0:
            raise InputError(f"{edge!r} is not a cold plate; chip_temperature needs a cold plate.")
        return Q_(float(self._chip[k[0]]) - 273.15, "degC")

    def pump_head(self, edge: str):
        """Head of a pump [m] (pressure rise over ρg)."""
        i = self._e(edge)
        if self.compiled.kind[i] != EdgeKind.PUMP:
            raise InputError(f"{edge!r} is a {EdgeKind(int(self.compiled.kind[i])).name.lower()}"
                             ", not a pump; pump_head needs a pump.")
        return Q_(float(self.state.rise[i] / (self.state.density_edge[i] * G)), "m")

    def pump_power(self, edge: str, kind: str = "electric"):
        """Power of a pump [W]: ``"hydraulic"``, ``"shaft"`` or ``"electric"``.

        Shaft and electric power need the pump efficiency given to ``add_pump``.
        """
        i = self._e(edge)
        if self.compiled.kind[i] != EdgeKind.PUMP:
            raise InputError(f"{edge!r} is a {EdgeKind(int(self.compiled.kind[i])).name.lower()}"
                             ", not a pump; pump_power needs a pump.")
        hyd = self._m[i] / self.state.density_edge[i] * self.state.rise[i]
        if kind == "hydraulic":
            return Q_(float(hyd), "W")
        grp = self._kgroups[EdgeKind.PUMP]
        k = np.flatnonzero(grp.idx == i)[0]
        eta = grp.params["efficiency"][k]
        if np.isnan(eta):
            raise InputError(f"pump {edge!r} has no efficiency; give efficiency= to add_pump "
                             "for shaft and electric power.")
        shaft = hyd / eta
        if kind == "shaft":
            return Q_(float(shaft), "W")
        if kind == "electric":
            return Q_(float(shaft / grp.params["motor_efficiency"][k]), "W")
        raise InputError(f"kind={kind!r} must be 'hydraulic', 'shaft' or 'electric'.")

    def effectiveness(self, hx: str) -> float:
        """Effectiveness ε of a heat exchanger [-]."""
        k = self._unit(hx, self.compiled.hx_names, "heat exchanger", (":hot", ":cold"))
        eps = self.state.heat_exchangers.get("effectiveness")
        return float("nan") if eps is None else float(eps[k])

    def _unit(self, name, names: list, what: str, sides: tuple) -> int:
        """Index of a heat exchanger or heat pump; an error that says what ``name`` is."""
        if isinstance(name, str) and name in names:
            return names.index(name)
        cn = self.compiled
        for sfx in sides:
            if isinstance(name, str) and name.endswith(sfx) and name[:-len(sfx)] in names:
                raise InputError(f"{name!r} is one side of {what} {name[:-len(sfx)]!r}; give "
                                 f"the {what} name {name[:-len(sfx)]!r}.")
        known = f"{what}s: {names[:10]}" if names else f"the network has no {what}"
        if isinstance(name, str) and name in cn.edge_index:
            kind = EdgeKind(int(cn.kind[cn.edge_index[name]])).name.lower()
            raise InputError(f"{name!r} is an edge ({kind}), not a {what}; {known}.")
        if isinstance(name, str) and name in cn.node_index:
            raise InputError(f"{name!r} is a node, not a {what}; {known}.")
        raise InputError(f"unknown {what} {name!r}; {known}.")

    # -------------------------------------------------------------- physics
    def _chip_temperatures(self) -> np.ndarray:
        cn = self.compiled
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        if not len(grp):
            return np.empty(0)
        i = grp.idx
        P = grp.params
        rho = self.state.density_edge[i]
        V = np.abs(self._m[i]) / (cn.count[i] * rho)
        Vr = volume_flow_rated(P["flow_rated"], P["rated_basis"], rho)
        R = thermal_resistance_flow(V, P["r_cond"], P["r_conv"], Vr, P["r_exponent"])
        T_in = self._T[self.state.upstream[i]]
        T_mean = 0.5 * (T_in + self.state.outlet_temperature[i])
        with np.errstate(invalid="ignore"):
            return chip_temperature(T_mean, P["heat"], R)

    def _balances(self) -> dict:
        cn = self.compiled
        s = self.state
        nc = cn.n_circuits
        Q = s.heat
        am = np.abs(self._m)
        # heat lost by edges carrying no flow never reaches the fluid: count it
        heat = np.bincount(cn.edge_circuit, weights=Q, minlength=nc)
        supply = s.supply
        bc = np.zeros(cn.n_nodes, bool)
        bc[cn.fixed_nodes[~cn.is_tank]] = True
        bc[cn.flow_nodes] = True
        ext_out = np.where(bc, np.maximum(-supply, 0.0), 0.0)
        # enthalpy relative to each circuit's lowest node enthalpy: the reference
        # cancels by mass conservation, and round-off then scales with the enthalpy
        # *changes*, not with the absolute enthalpy of the stream
        from ..solvers import _sparse_kernels as _kernels

        h_ref = _kernels.group_min(s.enthalpy, cn.node_circuit, nc)
        hr = h_ref[cn.node_circuit]
        h = s.enthalpy - hr
        h_ext = np.where(s.external_inflow > 0, s.external_enthalpy - hr, 0.0)
        e_in = np.bincount(cn.node_circuit, weights=s.external_inflow * h_ext, minlength=nc)
        e_out = np.bincount(cn.node_circuit, weights=ext_out * h, minlength=nc)
        resid = e_in + heat - e_out
        # scale: the heat flows and enthalpy flows of the circuit, but at least the
        # enthalpy flow of a 1 K change on its largest flow (an isothermal circuit
        # has no other scale; a residual below that is a temperature error far
        # below 1 K)
        mmax = np.maximum(_kernels.group_max(am, cn.edge_circuit, nc), 0.0)
        n_c = np.bincount(cn.node_circuit, minlength=nc)
        T_c = np.bincount(cn.node_circuit, weights=self._T, minlength=nc) / np.maximum(n_c, 1)
        cp_c = np.array([float(fl.cp_pT(np.array([T_c[c]]), check=False)[0])
                         for c, fl in enumerate(cn.circuit_fluid)])
        scale = (np.bincount(cn.edge_circuit, weights=np.abs(Q), minlength=nc)
                 + np.bincount(cn.node_circuit, weights=s.external_inflow * np.abs(h_ext) + ext_out * np.abs(h),
                               minlength=nc))
        scale = np.maximum(scale, mmax * cp_c * 1.0)
        # mass: at every node without a pressure reference
        inc_m = cn.incidence @ self._m
        from ..solvers.hydraulic import fixed_flows
        _, qn = fixed_flows(cn, s.density_edge, s.density_node, s.consumers.get("flow"))
        node_res = np.abs(inc_m + qn)
        # pressure boundaries take or give flow; an expansion tank cannot in steady
        # state, so a net flow there is an imbalance of its closed circuit
        node_res[cn.fixed_nodes[~cn.is_tank]] = 0.0
        mres = np.maximum(_kernels.group_max(node_res, cn.node_circuit, nc), 0.0)
        mscale = mmax
        out = {}
        for c in range(nc):
            out[cn.circuit_label[c]] = dict(
                mass_residual=float(mres[c]),
                mass_relative=float(mres[c] / mscale[c]) if mscale[c] > 0 else 0.0,
                energy_residual=float(resid[c]),
                energy_relative=float(abs(resid[c]) / scale[c]) if scale[c] > 0 else 0.0,
                heat_into_fluid=float(heat[c]),
                enthalpy_in=float(e_in[c]), enthalpy_out=float(e_out[c]))
        return out

    def _check_physics(self) -> list[Flag]:
        cn = self.compiled
        s = self.state
        flags: list[Flag] = []
        T, p = self._T, self._p

        def add(kind, mask_idx, names, values, fmt, msg):
            if mask_idx.size == 0:
                return
            order = np.argsort(values)[::-1][:20]
            els = tuple(names[k] for k in mask_idx[order])
            worst = fmt(values[order[0]])
            flags.append(Flag(kind, els, int(mask_idx.size),
                              msg.format(n=mask_idx.size, first=els[0], worst=worst)))

        nn = cn.node_names
        en = cn.edge_names
        for fl, sel in zip(self._fm.fluids, self._fm.node_sel):
            if not sel.size:
                continue
            tmin = float(getattr(fl, "t_min", 0.0))
            tmax = float(getattr(fl, "t_max", np.inf))
            # the freezing point where the fluid has one, else the table's lower end
            tf = getattr(fl, "freezing_temperature", None)
            tf = tmin if tf is None else float(tf)
            bad = sel[T[sel] < tf]
            add("freezing", bad, nn, tf - T[bad], lambda v: f"{v:.3g} K",
                f"{{n}} node(s) of {getattr(fl, 'name', fl)} are below its freezing point "
                f"{tf - 273.15:.2f} °C (worst {{first}}, {{worst}} below); the coolant would "
                "freeze.")
            bad = sel[(T[sel] < tmin) & (T[sel] >= tf)]
            add("property_range", bad, nn, tmin - T[bad], lambda v: f"{v:.3g} K",
                f"{{n}} node(s) are below the property tables of {getattr(fl, 'name', fl)} "
                f"({tmin - 273.15:.2f} °C; worst {{first}}, {{worst}} below) though above its "
                "freezing point; properties were clamped there.")
            if hasattr(fl, "boiling_temperature_p"):
                tb = np.asarray(fl.boiling_temperature_p(np.maximum(p[sel], 1.0), check=False),
                                dtype=float)
                over = T[sel] >= tb
                bad = sel[over]
                add("boiling", bad, nn, T[bad] - tb[over], lambda v: f"{v:.3g} K",
                    f"{{n}} node(s) of {getattr(fl, 'name', fl)} are at or above boiling at "
                    "their pressure (worst {first}, {worst} above); raise the system pressure "
                    "or lower the temperature.")
            bad = sel[T[sel] > tmax]
            add("property_range", bad, nn, T[bad] - tmax, lambda v: f"{v:.3g} K",
                f"{{n}} node(s) exceed the property tables of {getattr(fl, 'name', fl)} "
                f"({tmax - 273.15:.1f} °C; worst {{first}}, {{worst}} above); properties were "
                "clamped there.")
        bad = np.flatnonzero(p <= 0)
        add("negative_pressure", bad, nn, -p[bad], lambda v: f"{v:.4g} Pa",
            "{n} node(s) have a non-positive absolute pressure (worst {first}, {worst} below "
            "zero): raise the expansion-tank pressure or check pump heads.")
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        if len(grp):
            i = grp.idx
            over = self._chip > grp.params["t_chip_max"]
            add("chip_over_limit", i[over], en, (self._chip - grp.params["t_chip_max"])[over],
                lambda v: f"{v:.3g} K", "{n} chip(s) exceed their limit (worst {first}, "
                "{worst} over): more flow, a colder supply or a better cold plate is needed.")
            rev = self._m[i] < 0
            add("reversed_flow", i[rev], en, -self._m[i][rev], lambda v: f"{v:.3g} kg/s",
                "reversed flow through {n} cold plate(s) (worst {first}, {worst}): check "
                "manifold pressures and pump direction.")
        hx = np.concatenate([cn.hx_hot, cn.hx_cold])
        rev = self._m[hx] < 0
        add("reversed_flow", hx[rev], en, -self._m[hx][rev], lambda v: f"{v:.3g} kg/s",
            "reversed flow through {n} heat-exchanger side(s) (worst {first}, {worst}): the "
            "arrangement assumed (e.g. counterflow) no longer holds.")
        grp = cn.hgroups[HydraulicLaw.PUMP_CURVE]
        if len(grp):
            i = grp.idx
            Q = self._m[i] / (cn.count[i] * s.density_edge[i])
            qmax = grp.params["q_max"] * grp.params["speed"]
            off = (Q > qmax * 1.0000001) | (Q < 0) | (s.rise[i] < 0)
            add("pump_off_curve", i[off], en, np.abs(Q[off] - qmax[off]), lambda v: f"{v:.3g} m³/s",
                "{n} pump(s) run off their curve (beyond the last curve point, in reverse or "
                "with negative head; worst {first}): the curve was extrapolated.")
        # impossible operating points: a fixed-flow pump pushing against a shut valve
        # needs an unbounded rise, and the shut valve's leakage law carries the flow
        grp = cn.hgroups[HydraulicLaw.FIXED_FLOW]
        i = grp.idx
        too_high = i[np.abs(s.rise[i]) > MAX_PUMP_RISE]
        grp = cn.hgroups[HydraulicLaw.VALVE_KV]
        if len(grp):
            j = grp.idx
            P = grp.params
            kv = valve_kv_effective(P["kvs"], P["opening"], P["characteristic"],
                                    P["rangeability"])
            blocked = (kv <= 0) | ((P["check"] == 1) & (self._m[j] < 0))
            dp = p[cn.start[j]] - p[cn.end[j]]
            too_high = np.concatenate([too_high, j[blocked & (np.abs(dp) > MAX_PUMP_RISE)]])
        drop = np.abs(p[cn.start[too_high]] - p[cn.end[too_high]])
        add("impossible_operating_point", too_high, en, drop, lambda v: f"{v / 1e5:.4g} bar",
            "{n} element(s) are forced to an impossible operating point (worst {first}, "
            f"{{worst}} across it, more than {MAX_PUMP_RISE / 1e5:.0f} bar): a fixed-flow pump "
            "pushing against a shut or reverse-blocked valve (whose leakage law then carries the "
            "flow) or an absurdly resistive path. Open the path, or give the pump a curve or a "
            "head instead of a fixed flow.")
        if cn.hp_cond.size and s.heat_pumps:
            mode = s.heat_pumps["mode"]
            i = cn.hp_cond[mode == HeatPumpMode.CAPACITY]
            add("capacity_limited", i, en, s.heat[i], lambda v: f"{v / 1e3:.4g} kW",
                "{n} heat pump(s) run at capacity and cannot hold their supply temperature "
                "(worst {first}, {worst}): add capacity or a peak boiler.")
            i = cn.hp_cond[mode == HeatPumpMode.OFF]
            add("heat_pump_off", i, en, np.zeros(i.size), lambda v: "",
                "{n} heat pump(s) are off because their sink already arrives at or above the "
                "supply temperature ({first}).")
        grp = cn.kgroups[EdgeKind.CONSUMER]
        if len(grp):
            i = grp.idx
            dp = p[cn.start[i]] - p[cn.end[i]]
            short = dp < grp.params["min_pressure_difference"]
            add("consumer_underpressure", i[short], en,
                (grp.params["min_pressure_difference"] - dp)[short], lambda v: f"{v / 1e5:.3g} bar",
                "{n} consumer(s) get less differential pressure than their control valve needs "
                "(worst {first}, {worst} short; a negative differential means the network would "
                "have to pump through the substation): raise the pump head or enlarge pipes.")
            delivered = -s.heat[i]
            demand = grp.params["demand"] * cn.count[i]
            short = delivered < demand * (1 - 1e-6) - 1e-6
            add("consumer_heat_not_met", i[short], en, (demand - delivered)[short],
                lambda v: f"{v / 1e3:.4g} kW",
                "{n} consumer(s) get less heat than they demand (worst {first}, {worst} short): "
                "the supply is too cold for their return set-point; raise the supply "
                "temperature.")
        heated = np.flatnonzero((np.abs(self._m) == 0) & (np.abs(s.heat) > 0))
        add("no_flow_heat", heated, en, np.abs(s.heat[heated]), lambda v: f"{v:.3g} W",
            "{n} edge(s) add heat but carry no flow (worst {first}, {worst}); their temperature "
            "has no steady state.")
        return flags

    # -------------------------------------------------------------- datasets
    @property
    def nodes(self):
        """xarray Dataset over dimension ``node``: pressure [Pa], temperature [degC],
        elevation [m], circuit."""
        if self._nodes_ds is None:
            import xarray as xr
            cn = self.compiled
            ds = xr.Dataset(
                dict(pressure=("node", self._p, {"units": "Pa", "long_name": "absolute pressure"}),
                     temperature=("node", self._T - 273.15, {"units": "degC",
                                                             "long_name": "mixed temperature"}),
                     elevation=("node", cn.elevation, {"units": "m"}),
                     circuit=("node", cn.node_circuit, {"units": "1"})),
                coords=dict(node=np.array(cn.node_names, dtype=object)))
            self._nodes_ds = ds
        return self._nodes_ds

    @property
    def edges(self):
        """xarray Dataset over dimension ``edge``: mass and volume flow, pressure
        drop, heat into the fluid, inlet/outlet temperatures, kind, and chip
        temperature (NaN for edges that are not cold plates)."""
        if self._edges_ds is None:
            import xarray as xr
            cn = self.compiled
            s = self.state
            chip = np.full(cn.n_edges, np.nan)
            grp = self._kgroups[EdgeKind.COLD_PLATE]
            if len(grp) and self._chip.size:
                chip[grp.idx] = self._chip - 273.15
            kinds = np.array([EdgeKind(k).name.lower() for k in range(len(EdgeKind))],
                             dtype=object)[cn.kind]
            ds = xr.Dataset(
                dict(mass_flow=("edge", self._m, {"units": "kg/s"}),
                     volume_flow=("edge", self._m / s.density_edge, {"units": "m^3/s"}),
                     pressure_drop=("edge", self._p[cn.start] - self._p[cn.end], {"units": "Pa"}),
                     heat_flow=("edge", s.heat, {"units": "W",
                                                 "long_name": "heat into the fluid"}),
                     temperature_in=("edge", self._T[s.upstream] - 273.15, {"units": "degC"}),
                     temperature_out=("edge", s.outlet_temperature - 273.15, {"units": "degC"}),
                     chip_temperature=("edge", chip, {"units": "degC"}),
                     count=("edge", cn.count, {"units": "1"}),
                     kind=("edge", kinds)),
                coords=dict(edge=np.array(cn.edge_names, dtype=object),
                            start=("edge", np.array(cn.node_names, dtype=object)[cn.start]),
                            end=("edge", np.array(cn.node_names, dtype=object)[cn.end])))
            self._edges_ds = ds
        return self._edges_ds

    # --------------------------------------------------------------- summary
    def summary(self) -> str:
        """A plain-text summary a person can read."""
        cn = self.compiled
        rec = self.convergence
        lines = [f"Network {cn.name!r}: {cn.n_nodes} nodes, {cn.n_edges} edges, "
                 f"{cn.n_circuits} circuit(s), {len(cn.hx_names)} heat exchanger(s)",
                 f"  converged: {self.converged} — {rec.get('outer', 0)} outer iteration(s), "
                 f"Newton {rec.get('newton', [])}, {rec.get('seconds', 0.0) * 1e3:.1f} ms"]
        for c in range(cn.n_circuits):
            lab = cn.circuit_label[c]
            sel = cn.node_circuit == c
            esel = cn.edge_circuit == c
            b = self.balance.get(lab, {})
            fl = cn.circuit_fluid[c]
            lines.append(f"  {lab}: {getattr(fl, 'name', fl)}")
            lines.append(f"    temperature {self._T[sel].min() - 273.15:.2f} … "
                         f"{self._T[sel].max() - 273.15:.2f} °C, pressure "
                         f"{self._p[sel].min() / 1e5:.3f} … {self._p[sel].max() / 1e5:.3f} bar, "
                         f"largest flow {np.abs(self._m[esel]).max():.4g} kg/s")
            if b:
                lines.append(f"    heat into fluid {b['heat_into_fluid'] / 1e3:.4g} kW; balance: "
                             f"mass {b['mass_relative']:.1e}, energy {b['energy_relative']:.1e} (relative)")
        grp = self._kgroups[EdgeKind.COLD_PLATE]
        if len(grp) and np.any(np.isfinite(self._chip)):
            k = int(np.nanargmax(self._chip))
            lines.append(f"  hottest chip: {cn.edge_names[grp.idx[k]]} at "
                         f"{self._chip[k] - 273.15:.2f} °C (of {len(grp)} cold-plate edges)")
        for k, nm in enumerate(cn.hp_names if self.state.heat_pumps else []):
            hp = self.state.heat_pumps
            lines.append(f"  heat pump {nm}: {hp['heat_sink'][k] / 1e3:.4g} kW to the sink, COP "
                         f"{hp['cop'][k]:.3f}, electric {hp['electric_power'][k] / 1e3:.4g} kW")
        for k, nm in enumerate(cn.hx_names if self.state.heat_exchangers else []):
            lines.append(f"  heat exchanger {nm}: duty {self.state.heat[cn.hx_cold[k]] / 1e3:.4g} kW, "
                         f"effectiveness {self.state.heat_exchangers['effectiveness'][k]:.4f}")
        if not self.converged:
            lines.append(f"  NOT CONVERGED: {self.message}" if self.message else
                         "  NOT CONVERGED")
            if self.state.partial:
                lines.append("  (the hydraulics did not converge: flows and pressures are the "
                             "last Newton iterate, temperatures the start values; heat flows "
                             "are not available and no physics flags were checked)")
                return "\n".join(lines)
        if self.flags:
            lines.append("  FLAGS:")
            lines.extend(f"    [{f.kind}] {f.message}" for f in self.flags)
        else:
            lines.append("  no flags (no freezing, boiling, chip over limit, reversed flow, "
                         "pump off curve)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Result of {self.compiled.name!r}: converged={self.converged}, flags={len(self.flags)}>"
