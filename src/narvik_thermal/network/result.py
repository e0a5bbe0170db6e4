"""The :class:`Result` of a steady network solve.

Accessors return pint Quantities; :attr:`Result.nodes` and :attr:`Result.edges`
are xarray Datasets whose variables carry ``units`` and ``long_name`` (CF
style) and whose attributes name the library version and the solver options
(``solver_*``), so a NetCDF file of them says how it was made. Temperatures are
reported in degC, everything else in SI.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np

from .._metadata import provenance
from ..components.cold_plate import chip_temperatures
from ..components.kinds import Arrangement, EdgeKind, ThermalLaw
from ..components.pump import G
from ..errors import InputError, PhysicsWarning, user_api
from ..units import quantity
from .checks import (MAX_PUMP_RISE, P_ATMOSPHERE, PUMP_REVERSE_TRICKLE, STARVED_RISE, Flag,
                     circuit_balances, physics_flags)
from .compiled import unknown_name_message

__all__ = ["Result", "Flag", "HottestChip", "P_ATMOSPHERE", "MAX_PUMP_RISE", "STARVED_RISE",
           "PUMP_REVERSE_TRICKLE"]


class HottestChip(NamedTuple):
    """The hottest chip of a solved network or group (:meth:`Result.hottest_chip`)."""

    name: str
    temperature: Any
    limit: Any
    margin: Any


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
        self._chip = chip_temperatures(cn, state)
        self.balance = circuit_balances(cn, state)
        self.flags = physics_flags(cn, fm, state, self._chip) if opts.check_physics else []
        if warn:
            self._issue(self.flags, stacklevel=5)

    def issue_flags(self) -> None:
        """Issue every flag as a :class:`PhysicsWarning`, as a solve with ``warn=True``
        does: for a caller that solved quietly (``warn=False``) on its way to this result
        (an iteration of several solves) and reports only the result it returns."""
        self._issue(self.flags, stacklevel=4)

    def _issue(self, flags, stacklevel: int) -> None:
        for f in flags:
            warnings.warn(f"{self.compiled.name}: {f.message}", PhysicsWarning,
                          stacklevel=stacklevel)

    def add_flag(self, flag: "Flag", warn: bool = True) -> None:
        """Add a flag found outside the physics checks (e.g. a control that cannot
        meet its set-point), issuing it as a :class:`PhysicsWarning`."""
        if not isinstance(flag, Flag):
            raise InputError(f"add_flag: {flag!r} is not a Flag; give "
                             "nt.network.Flag(kind, where, count, message).")
        self.flags.append(flag)
        if warn:
            self._issue([flag], stacklevel=4)

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
        return quantity(float(self._m[self._e(edge)]), "kg/s")

    def volume_flow(self, edge: str):
        """Volume flow through an edge [m³/s] at the edge's mean temperature."""
        i = self._e(edge)
        return quantity(float(self._m[i] / self.state.density_edge[i]), "m^3/s")

    def pressure(self, node: str, gauge: bool = False):
        """Pressure at a node [Pa]: absolute, or relative to the standard atmosphere
        (101,325 Pa) with ``gauge=True``."""
        p = float(self._p[self._n(node)])
        return quantity(p - P_ATMOSPHERE if gauge else p, "Pa")

    def temperature(self, node: str):
        """Temperature at a node (perfectly mixed) [degC]."""
        return quantity(float(self._T[self._n(node)]) - 273.15, "degC")

    def outlet_temperature(self, edge: str):
        """Temperature at an edge's outlet, before mixing [degC]."""
        return quantity(float(self.state.outlet_temperature[self._e(edge)]) - 273.15, "degC")

    def pressure_drop(self, edge: str):
        """p_start − p_end of an edge [Pa] (includes static head; negative across a pump)."""
        i = self._e(edge)
        return quantity(float(self._p[self.compiled.start[i]] - self._p[self.compiled.end[i]]),
                        "Pa")

    def heat_flow(self, name: str):
        """Heat into the fluid of an edge [W]; for a heat exchanger name, its duty
        (hot → cold) [W]."""
        cn = self.compiled
        if name in cn.hx_names:
            k = cn.hx_names.index(name)
            return quantity(float(self.state.heat[cn.hx_cold[k]]), "W")
        if name in cn.hp_names:
            k = cn.hp_names.index(name)
            return quantity(float(self.state.heat[cn.hp_cond[k]]), "W")
        return quantity(float(self.state.heat[self._e(name)]), "W")

    def heat_pump(self, name: str) -> dict:
        """Operating point of a heat pump: COP [-], electric power, heat to the sink
        (condenser) and from the source (evaporator) [W], and its mode
        (``"setpoint"``, ``"capacity"`` or ``"off"``); and ``cop_full`` (at full
        load), ``part_load_ratio`` (heat over rated capacity), ``source_limited``
        (its heat held by ``min_source_outlet``, freeze protection), ``capacity``
        (effective) [W], ``min_source_outlet`` [degC], ``discharge_temperature``
        [degC] and ``condensing_pressure`` [Pa] of its cycle (NaN for the
        fraction models) and the compressor limits ``max_discharge_temperature``,
        ``max_condensing_pressure``."""
        cn = self.compiled
        k = self._unit(name, cn.hp_names, "heat pump", (":evap", ":cond"))
        hp = self.state.heat_pumps
        if not hp:        # a partial result (hydraulics did not converge)
            nan = float("nan")
            return dict(cop=quantity(nan, ""), electric_power=quantity(nan, "W"),
                        heat_sink=quantity(nan, "W"),
                        heat_source=quantity(nan, "W"), mode="unknown")
        out = dict(cop=quantity(float(hp["cop"][k]), ""),
                   electric_power=quantity(float(hp["electric_power"][k]), "W"),
                   heat_sink=quantity(float(hp["heat_sink"][k]), "W"),
                   heat_source=quantity(float(hp["heat_source"][k]), "W"),
                   mode=("setpoint", "capacity", "off")[int(hp["mode"][k])])
        if "cop_full" in hp:
            out.update(
                cop_full=quantity(float(hp["cop_full"][k]), ""),
                part_load_ratio=quantity(float(hp["part_load_ratio"][k]), ""),
                source_limited=bool(hp["source_limited"][k]),
                capacity=quantity(float(hp["capacity"][k]), "W"),
                min_source_outlet=quantity(float(hp["min_source_outlet"][k]) - 273.15, "degC"),
                discharge_temperature=quantity(float(hp["discharge_temperature"][k]) - 273.15,
                                               "degC"),
                condensing_pressure=quantity(float(hp["condensing_pressure"][k]), "Pa"),
                max_discharge_temperature=quantity(
                    float(hp["max_discharge_temperature"][k]) - 273.15, "degC"),
                max_condensing_pressure=quantity(float(hp["max_condensing_pressure"][k]), "Pa"))
        return out

    def chip_temperature(self, edge: str):
        """Chip (case) temperature of a cold plate [degC]."""
        i = self._e(edge)
        grp = self._kgroups[EdgeKind.COLD_PLATE]
        k = np.flatnonzero(grp.idx == i)
        if k.size == 0:
            raise InputError(f"{edge!r} is not a cold plate; chip_temperature needs a cold plate.")
        return quantity(float(self._chip[k[0]]) - 273.15, "degC")

    def pump_head(self, edge: str):
        """Head of a pump [m] (pressure rise over ρg)."""
        i = self._e(edge)
        if self.compiled.kind[i] != EdgeKind.PUMP:
            raise InputError(f"{edge!r} is a {EdgeKind(int(self.compiled.kind[i])).name.lower()}"
                             ", not a pump; pump_head needs a pump.")
        return quantity(float(self.state.rise[i] / (self.state.density_edge[i] * G)), "m")

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
            return quantity(float(hyd), "W")
        grp = self._kgroups[EdgeKind.PUMP]
        k = np.flatnonzero(grp.idx == i)[0]
        eta = grp.params["efficiency"][k]
        if np.isnan(eta):
            raise InputError(f"pump {edge!r} has no efficiency; give efficiency= to add_pump "
                             "for shaft and electric power.")
        shaft = hyd / eta
        if kind == "shaft":
            return quantity(float(shaft), "W")
        if kind == "electric":
            return quantity(float(shaft / grp.params["motor_efficiency"][k]), "W")
        raise InputError(f"kind={kind!r} must be 'hydraulic', 'shaft' or 'electric'.")

    def hottest_chip(self, names: Any = None) -> "HottestChip":
        """The hottest chip of all cold plates, or of the cold-plate edges ``names``.

        Parameters
        ----------
        names : str or sequence of str, optional
            Cold-plate edge names (a group, e.g. one rack's); all by default.

        Returns
        -------
        HottestChip
            ``name``, ``temperature`` [degC], ``limit`` [degC] (NaN: none given) and
            ``margin`` = limit − temperature [K] (NaN without a limit).

        Raises
        ------
        InputError
            No cold plates in the network, or a name that is not a cold plate.
        """
        cn = self.compiled
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        if not len(grp) or not self._chip.size:
            raise InputError(f"network {cn.name!r} has no cold plates (or no solved "
                             "temperatures); hottest_chip needs cold plates.")
        if names is None:
            k = np.arange(len(grp))
        else:
            if not isinstance(names, (str, list, tuple, np.ndarray)) or not (
                    isinstance(names, str) or len(names)):
                raise InputError(f"hottest_chip: names={names!r} must be a cold-plate name or "
                                 "a non-empty list of them (or nothing: all cold plates).")
            names = [names] if isinstance(names, str) else list(names)
            pos = np.full(cn.n_edges, -1, dtype=np.int64)
            pos[grp.idx] = np.arange(len(grp))
            k = np.array([pos[self._e(n)] for n in names], dtype=np.int64)
            if np.any(k < 0):
                bad = names[int(np.flatnonzero(k < 0)[0])]
                raise InputError(f"{bad!r} is not a cold plate; hottest_chip takes cold-plate "
                                 "edge names.")
        j = k[int(np.nanargmax(self._chip[k]))]
        t = float(self._chip[j]) - 273.15
        lim = float(grp.params["t_chip_max"][j])
        lim_c = lim - 273.15 if np.isfinite(lim) else float("nan")
        return HottestChip(cn.edge_names[grp.idx[j]], quantity(t, "degC"), quantity(lim_c, "degC"),
                           quantity(lim_c - t, "delta_degC"))

    def heat_exchanger(self, name: str) -> dict:
        """Operating point of a heat exchanger.

        Returns
        -------
        dict
            ``duty`` [W] (hot → cold), ``effectiveness`` and ``ntu`` [-], ``ua``
            [W/K] at the solved flows (all units; it follows the flows where
            design flows are given; NaN for a given effectiveness), the four
            terminal temperatures ``hot_in``, ``hot_out``, ``cold_in``, ``cold_out``
            [degC], the end differences ``hot_end`` and ``cold_end`` [K] (for
            parallel flow: inlet end and outlet end), ``approach`` (the smaller
            of them) [K] and the log-mean temperature difference ``lmtd`` [K].
        """
        cn = self.compiled
        if name not in cn.hx_names:
            raise InputError(unknown_name_message("heat exchanger", name,
                                                  {h: 0 for h in cn.hx_names}))
        k = cn.hx_names.index(name)
        s = self.state
        eh, ec = int(cn.hx_hot[k]), int(cn.hx_cold[k])
        hi, ho = float(self._T[s.upstream[eh]]), float(s.outlet_temperature[eh])
        ci, co = float(self._T[s.upstream[ec]]), float(s.outlet_temperature[ec])
        arr = cn.tgroups[ThermalLaw.HX]
        a = int(arr.params["arrangement"][int(np.flatnonzero(arr.idx == eh)[0])])
        if a == Arrangement.PARALLEL:
            d1, d2 = hi - ci, ho - co
        else:
            d1, d2 = hi - co, ho - ci
        if d1 > 0 and d2 > 0 and abs(d1 - d2) > 1e-9 * max(d1, d2):
            lmtd = (d1 - d2) / np.log(d1 / d2)
        else:
            lmtd = 0.5 * (d1 + d2) if d1 > 0 and d2 > 0 else float("nan")
        info = s.heat_exchangers or {}
        eff = float(info["effectiveness"][k]) if "effectiveness" in info else float("nan")
        ntu = float(info["ntu"][k]) if "ntu" in info else float("nan")
        ua = float(info["ua"][k]) if "ua" in info else float("nan")
        c = lambda T: quantity(T - 273.15, "degC")  # noqa: E731
        d = lambda x: quantity(x, "delta_degC")  # noqa: E731
        return dict(duty=quantity(float(s.heat[ec]), "W"), effectiveness=eff, ntu=ntu,
                    ua=quantity(ua, "W/K"),
                    hot_in=c(hi), hot_out=c(ho), cold_in=c(ci), cold_out=c(co),
                    hot_end=d(d1), cold_end=d(d2), approach=d(min(d1, d2)),
                    lmtd=d(float(lmtd)))

    def heat_by_kind(self) -> dict:
        """Heat into the fluid of each circuit, by edge kind [W].

        Returns
        -------
        dict
            ``{circuit label: {kind: Quantity}}`` with kinds ``"cold_plate"``,
            ``"heat_load"``, ``"pump"``, ``"pipe"`` (heat loss), ``"hx_hot"``,
            ``"hx_cold"``, ``"setpoint"``, ``"hp_evaporator"``, ``"hp_condenser"``,
            ``"consumer"``, … (only kinds present in the circuit), and ``"boundaries"``:
            the enthalpy that flows in minus out through boundaries. In a
            closed loop the kinds sum to zero: what the chips and pumps put in,
            the heat exchangers take out.
        """
        cn = self.compiled
        s = self.state
        out: dict = {}
        for c in range(cn.n_circuits):
            esel = cn.edge_circuit == c
            d: dict = {}
            for kd in np.unique(cn.kind[esel]):
                q = float(np.sum(s.heat[esel & (cn.kind == kd)]))
                d[EdgeKind(int(kd)).name.lower()] = quantity(q, "W")
            b = self.balance.get(cn.circuit_label[c])
            if b and (b["enthalpy_in"] or b["enthalpy_out"]):
                d["boundaries"] = quantity(b["enthalpy_in"] - b["enthalpy_out"], "W")
            out[cn.circuit_label[c]] = d
        return out

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

    # -------------------------------------------------------------- datasets
    @property
    def nodes(self):
        """xarray Dataset over dimension ``node``: pressure and gauge_pressure [Pa],
        temperature [degC], elevation [m], circuit; ``units`` and ``long_name`` on
        every variable. Attributes: the network, ``converged`` (1/0), ``Conventions``,
        ``source``, ``narvik_thermal_version``, ``generator`` and the solver options
        (``solver_max_newton``, …)."""
        if self._nodes_ds is None:
            import xarray as xr
            cn = self.compiled
            ds = xr.Dataset(
                dict(pressure=("node", self._p, {"units": "Pa", "long_name": "absolute pressure"}),
                     gauge_pressure=("node", self._p - P_ATMOSPHERE,
                                     {"units": "Pa", "long_name": "pressure above 101325 Pa"}),
                     temperature=("node", self._T - 273.15, {"units": "degC",
                                                             "long_name": "mixed temperature"}),
                     elevation=("node", cn.elevation, {"units": "m",
                                                       "long_name": "elevation of the node"}),
                     circuit=("node", cn.node_circuit,
                              {"units": "1", "long_name": "index of the node's fluid circuit"})),
                coords=dict(node=("node", np.array(cn.node_names, dtype=object),
                                  {"long_name": "node name"})),
                attrs=self._attrs("nodes"))
            self._nodes_ds = ds
        return self._nodes_ds

    @property
    def edge_chip_temperature(self) -> np.ndarray:
        """Chip temperature of every edge [°C], NaN for edges that are not cold plates:
        ``edges["chip_temperature"].values`` without building the Dataset (a new array
        at every call)."""
        chip = np.full(self.compiled.n_edges, np.nan)
        grp = self._kgroups[EdgeKind.COLD_PLATE]
        if len(grp) and self._chip.size:
            chip[grp.idx] = self._chip - 273.15
        return chip

    @property
    def edges(self):
        """xarray Dataset over dimension ``edge``: mass and volume flow, pressure
        drop, heat into the fluid, inlet/outlet temperatures, kind, and chip
        temperature (NaN for edges that are not cold plates); ``units`` and
        ``long_name`` on every variable, the attributes of :attr:`nodes`."""
        if self._edges_ds is None:
            import xarray as xr
            cn = self.compiled
            s = self.state
            chip = self.edge_chip_temperature
            kinds = np.array([EdgeKind(k).name.lower() for k in range(len(EdgeKind))],
                             dtype=object)[cn.kind]
            names = np.array(cn.node_names, dtype=object)
            ds = xr.Dataset(
                dict(mass_flow=("edge", self._m, {
                         "units": "kg/s", "long_name": "mass flow from start to end node"}),
                     volume_flow=("edge", self._m / s.density_edge, {
                         "units": "m^3/s", "long_name": "volume flow from start to end node"}),
                     pressure_drop=("edge", self._p[cn.start] - self._p[cn.end], {
                         "units": "Pa", "long_name": "pressure at start minus pressure at end"}),
                     heat_flow=("edge", s.heat, {"units": "W",
                                                 "long_name": "heat into the fluid"}),
                     temperature_in=("edge", self._T[s.upstream] - 273.15, {
                         "units": "degC", "long_name": "inlet temperature (upstream node)"}),
                     temperature_out=("edge", s.outlet_temperature - 273.15, {
                         "units": "degC", "long_name": "outlet temperature"}),
                     chip_temperature=("edge", chip, {
                         "units": "degC", "long_name": "chip temperature (cold plates only)"}),
                     count=("edge", cn.count, {
                         "units": "1", "long_name": "identical units in parallel"}),
                     kind=("edge", kinds, {"long_name": "kind of edge"})),
                coords=dict(edge=("edge", np.array(cn.edge_names, dtype=object),
                                  {"long_name": "edge name"}),
                            start=("edge", names[cn.start], {"long_name": "start node"}),
                            end=("edge", names[cn.end], {"long_name": "end node"})),
                attrs=self._attrs("edges"))
            self._edges_ds = ds
        return self._edges_ds

    def _attrs(self, what: str) -> dict:
        """The Datasets' attributes: CF provenance, the solver options, the network."""
        return provenance("narvik_thermal.Network.solve", self.options,
                          title=f"steady solve of network {self.compiled.name!r}: {what}",
                          network=self.compiled.name, converged=self.converged)

    # --------------------------------------------------------------- summary
    def summary(self) -> str:
        """A plain-text summary a person can read (also of a failed solve's iterate)."""
        cn = self.compiled
        rec = self.convergence
        s = self.state
        lines = [f"Network {cn.name!r}: {cn.n_nodes} nodes, {cn.n_edges} edges, "
                 f"{cn.n_circuits} circuit(s), {len(cn.hx_names)} heat exchanger(s)",
                 f"  converged: {self.converged} — {rec.get('outer', 0)} outer iteration(s), "
                 f"Newton {rec.get('newton', [])}, {rec.get('seconds', 0.0) * 1e3:.1f} ms"]
        if not self.converged:
            lines.append(f"  NOT CONVERGED: {self.message}" if self.message else
                         "  NOT CONVERGED")
        if s.partial:
            lines.append("  (the hydraulics did not converge: flows and pressures are the "
                         "last Newton iterate, temperatures the start values; heat flows "
                         "are not available and no physics flags were checked)")
        by_kind = self.heat_by_kind() if not s.partial else {}
        for c in range(cn.n_circuits):
            lab = cn.circuit_label[c]
            sel = cn.node_circuit == c
            esel = cn.edge_circuit == c
            b = self.balance.get(lab, {})
            fl = cn.circuit_fluid[c]
            lines.append(f"  {lab}: {getattr(fl, 'name', fl)}")
            lines.append(f"    temperature {np.nanmin(self._T[sel]) - 273.15:.2f} … "
                         f"{np.nanmax(self._T[sel]) - 273.15:.2f} °C, pressure "
                         f"{np.nanmin(self._p[sel]) / 1e5:.3f} … "
                         f"{np.nanmax(self._p[sel]) / 1e5:.3f} bar (absolute), "
                         f"largest flow {np.nanmax(np.abs(self._m[esel])):.4g} kg/s")
            if b:
                parts = ", ".join(f"{k.replace('_', ' ')} {v.m / 1e3:+.4g}"
                                  for k, v in by_kind.get(lab, {}).items()
                                  if abs(v.m) > 1e-9 * max(1.0, abs(b["heat_into_fluid"])))
                lines.append(f"    heat into the fluid [kW]: {parts or 'none'}")
                lines.append(f"    balance: mass {b['mass_relative']:.1e}, energy "
                             f"{b['energy_relative']:.1e} (relative)")
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        if len(grp) and self._chip.size and np.any(np.isfinite(self._chip)):
            hc = self.hottest_chip()
            lim = "" if not np.isfinite(hc.limit.m) else \
                f", limit {hc.limit.m:.1f} °C, margin {hc.margin.m:.2f} K"
            lines.append(f"  hottest chip: {hc.name} at {hc.temperature.m:.2f} °C{lim} "
                         f"(of {len(grp)} cold-plate edges)")
        if s.heat_pumps:
            for k, nm in enumerate(cn.hp_names):
                hp = s.heat_pumps
                extra = ""
                if "part_load_ratio" in hp:
                    if np.isfinite(hp["rated_capacity"][k]):
                        extra += f", part load {hp['part_load_ratio'][k]:.2f}"
                    if np.isfinite(hp["discharge_temperature"][k]):
                        extra += (f", discharge {hp['discharge_temperature'][k] - 273.15:.0f} °C, "
                                  f"condensing {hp['condensing_pressure'][k] / 1e5:.1f} bar")
                    if hp["source_limited"][k]:
                        extra += ", held by its source (min_source_outlet)"
                lines.append(f"  heat pump {nm}: {hp['heat_sink'][k] / 1e3:.4g} kW to the sink, "
                             f"COP {hp['cop'][k]:.3f}, electric "
                             f"{hp['electric_power'][k] / 1e3:.4g} kW{extra}")
        if not s.partial:
            for nm in cn.hx_names:
                h = self.heat_exchanger(nm)
                lines.append(f"  heat exchanger {nm}: duty {h['duty'].m / 1e3:.4g} kW, "
                             f"effectiveness {h['effectiveness']:.4f}, approach "
                             f"{h['approach'].m:.2f} K")
        if self.flags:
            lines.append("  FLAGS:")
            lines.extend(f"    [{f.kind}] {f.message}" for f in self.flags)
        elif not s.partial:
            lines.append("  no flags (no freezing, boiling, chip over limit, reversed flow, "
                         "pump off curve)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Result of {self.compiled.name!r}: converged={self.converged}, flags={len(self.flags)}>"
