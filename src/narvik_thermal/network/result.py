"""The :class:`Result` of a steady network solve.

Accessors return pint Quantities; :attr:`Result.nodes` and :attr:`Result.edges`
are xarray Datasets whose variables carry ``units`` and ``long_name`` (CF
style) and whose attributes name the library version and the solver options
(``solver_*``), so a NetCDF file of them says how it was made. Temperatures are
reported in degC, everything else in SI.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .._metadata import provenance
from ..components.cold_plate import CHIP_COOLANT_MARGIN, chip_temperatures
from ..components.hydraulics import valve_kv_effective
from ..components.kinds import (Arrangement, EdgeKind, HeatPumpMode, HydraulicLaw, RiseBasis,
                               ThermalLaw)
from ..components.pump import G
from ..errors import InputError, PhysicsWarning, user_api
from ..solvers.thermal import stagnant_limit
from ..units import quantity
from .compiled import unknown_name_message
from ..solvers import _kernel_modules as solvers_kernels

__all__ = ["Result", "Flag", "HottestChip", "P_ATMOSPHERE", "MAX_PUMP_RISE", "STARVED_RISE",
           "PUMP_REVERSE_TRICKLE"]


#: Standard atmosphere [Pa]: the reference of gauge pressures.
P_ATMOSPHERE = 101325.0


class HottestChip(NamedTuple):
    """The hottest chip of a solved network or group (:meth:`Result.hottest_chip`)."""

    name: str
    temperature: Any
    limit: Any
    margin: Any

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

    # -------------------------------------------------------------- physics
    def _chip_temperatures(self) -> np.ndarray:
        return chip_temperatures(self.compiled, self.state)

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
        _kernels = solvers_kernels.sparse()

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
        # (one lookup per fluid, not per circuit)
        cp_c = np.empty(nc)
        by_fluid: dict[int, tuple] = {}
        for c, fl in enumerate(cn.circuit_fluid):
            by_fluid.setdefault(id(fl), (fl, []))[1].append(c)
        for fl, cs in by_fluid.values():
            cp_c[cs] = fl.cp_pT(T_c[cs], check=False)
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

        nn = cn.node_names
        en = cn.edge_names
        # below absolute zero: heat taken from a stream too small to carry it (a consumer
        # of fixed flow and heat, a fixed heat load on a trickle); no state at all
        cold = np.flatnonzero(T <= 0.0)
        if cold.size:
            add("impossible_operating_point", cold, nn, -T[cold], lambda v: f"{v:.3g} K",
                "{n} node(s) (worst {first}, {worst} below absolute zero) would have to be "
                "colder than absolute zero: more heat is taken out of a stream than its flow "
                "can give (a fixed heat on a tiny fixed flow); give the flow, or let the heat "
                "follow it (a consumer controlled by delta_t or return_temperature).")
        for fl, sel in zip(self._fm.fluids, self._fm.node_sel):
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
                tb = np.asarray(fl.boiling_temperature_p(np.maximum(ps, 1.0), check=False),
                                dtype=float)
                over = Ts >= tb
                bad = sel[over]
                if bad.size:
                    add("boiling", bad, nn, T[bad] - tb[over], lambda v: f"{v:.3g} K",
                        f"{{n}} node(s) of {getattr(fl, 'name', fl)} are at or above boiling at "
                        "their pressure (worst {first}, {worst} above); raise the system pressure "
                        "or lower the temperature.")
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
        bad = np.flatnonzero(p <= 0)
        if bad.size:
            add("negative_pressure", bad, nn, -p[bad], lambda v: f"{v:.4g} Pa",
                "{n} node(s) have a non-positive absolute pressure (worst {first}, {worst} below "
                "zero): raise the system's pressure (an expansion tank's or a pressure "
                "boundary's), check pump heads and suction lifts, or open the path of a fixed "
                "flow forced through a shut valve (impossible_operating_point).")
        self._check_limits(add)
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        if len(grp):
            i = grp.idx
            over = self._chip > grp.params["t_chip_max"]
            if over.any():
                add("chip_over_limit", i[over], en, (self._chip - grp.params["t_chip_max"])[over],
                    lambda v: f"{v:.3g} K", "{n} chip(s){on} exceed their limit (worst {first}, "
                    "{worst} over): more flow, a colder supply or a better cold plate is needed.")
            rev = self._m[i] < 0
            if rev.any():
                add("reversed_flow", i[rev], en, -self._m[i][rev], lambda v: f"{v:.3g} kg/s",
                    "reversed flow through {n} cold plate(s){on} (worst {first}, {worst}): check "
                    "manifold pressures and pump direction.")
            # the case-to-inlet law at a trickle of flow: R(V) below 1/(m cp) puts the chip
            # below the coolant it heats (its resistance extended beyond its data)
            low = self._chip < self.state.outlet_temperature[i] - CHIP_COOLANT_MARGIN
            if low.any():
                add("chip_below_coolant", i[low], en,
                    (self.state.outlet_temperature[i] - self._chip)[low], lambda v: f"{v:.3g} K",
                    "{n} chip(s){on} come out colder than the coolant leaving their plate (worst "
                    "{first}, {worst} below): at this low flow the cold plate's resistance law is "
                    "outside its validity and the chip temperature is a lower bound; give the "
                    "plate's datasheet curve down to this flow, or more flow.")
        hx = np.concatenate([cn.hx_hot, cn.hx_cold])
        rev = self._m[hx] < 0
        if rev.any():
            add("reversed_flow", hx[rev], en, -self._m[hx][rev], lambda v: f"{v:.3g} kg/s",
                "reversed flow through {n} heat-exchanger side(s){on} (worst {first}, {worst}): the "
                "arrangement assumed (e.g. counterflow) no longer holds.")
        lim = s.heat_exchangers.get("effectiveness_limited") if s.heat_exchangers else None
        if lim is not None and np.any(lim):
            k = np.flatnonzero(lim)
            add("effectiveness_limited", cn.hx_hot[k], en, s.heat_exchangers["effectiveness"][k],
                lambda v: f"ε = {v:.3g}",
                "{n} heat exchanger(s){on} (worst {first}, held at {worst}) were given an "
                "effectiveness their arrangement cannot reach at these capacity rates (a "
                "parallel-flow exchanger reaches at most 1/(1 + Cmin/Cmax)): held at that "
                "limit; give a lower effectiveness, or ua= and the arrangement.")
        grp = cn.hgroups[HydraulicLaw.PUMP_CURVE]
        if len(grp):
            i = grp.idx
            Q = self._m[i] / (cn.count[i] * s.density_edge[i])
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
            Q = self._m[i] / (cn.count[i] * s.density_edge[i])
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
                blocked = (kv <= 0) | ((P["check"] == 1) & (self._m[j] < 0))
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
        if cn.hp_cond.size and s.heat_pumps:
            hpd = s.heat_pumps
            mode = hpd["mode"]
            src = hpd.get("source_limited", np.zeros(mode.size, bool))
            i = cn.hp_cond[(mode == int(HeatPumpMode.CAPACITY)) & ~src]
            if i.size:
                add("capacity_limited", i, en, s.heat[i], lambda v: f"{v / 1e3:.4g} kW",
                    "{n} heat pump(s){on} run at capacity and cannot hold their supply temperature "
                    "(worst {first}, {worst}): add capacity or a peak boiler.")
            flags.extend(_heat_pump_limit_flags(cn.hp_names, hpd))
            # (not those idle because nothing flows through their condensers)
            idle = np.abs(self._m[cn.hp_cond]) <= stagnant_limit(self._m)
            i = cn.hp_cond[(mode == int(HeatPumpMode.OFF)) & ~idle]
            if i.size:
                add("heat_pump_off", i, en, np.zeros(i.size), lambda v: "",
                    "{n} heat pump(s){on} are off because their sink already arrives at or above the "
                    "supply temperature ({first}).")
        grp = cn.kgroups[EdgeKind.CONSUMER]
        if len(grp):
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
        heated = np.flatnonzero((np.abs(self._m) == 0) & (np.abs(s.heat) > 0))
        if heated.size:
            add("no_flow_heat", heated, en, np.abs(s.heat[heated]), lambda v: f"{v:.3g} W",
                "{n} unit(s){on} add heat but carry no flow (worst {first}, {worst}); their temperature "
                "has no steady state.")
        with np.errstate(invalid="ignore"):
            change = np.abs(s.outlet_temperature - T[s.upstream])
            trickle = np.flatnonzero((np.abs(self._m) > 0) & (np.abs(s.heat) > 0)
                                     & (change > STARVED_RISE))
        if trickle.size:
            add("starved_heat", trickle, en, change[trickle], lambda v: f"{v:.3g} K",
                "{n} unit(s){on} add or take heat on a mere trickle of flow (worst {first}, "
                "{worst} across it, more than " + f"{STARVED_RISE:.0f}" + " K): a shut valve, a "
                "stopped pump or a closed branch leaves them no flow path; their temperatures are "
                "not a state the plant can reach. Open the path, or take their heat away.")
        return flags

    def _check_limits(self, add) -> None:
        """Flags of the circuits' operating limits (``Network.set_dew_point``,
        ``set_pressure_rating``) and of closed circuits below 1 atm."""
        cn = self.compiled
        T, p, nn, nc = self._T, self._p, cn.node_names, cn.node_circuit
        if cn.circuit_dew_point is not None:
            lim = (cn.circuit_dew_point + cn.circuit_dew_margin)[nc]
            with np.errstate(invalid="ignore"):
                bad = np.flatnonzero(T < lim)
            if bad.size:
                add("condensation", bad, nn, lim[bad] - T[bad], lambda v: f"{v:.3g} K",
                    "{n} node(s) are colder than the room dew point + margin of their circuit "
                    "(worst {first}, {worst} below): pipes and cold plates would sweat; raise the "
                    "supply temperature or dry the room air.")
            over = p - P_ATMOSPHERE - cn.circuit_pressure_rating[nc]
            with np.errstate(invalid="ignore"):
                bad = np.flatnonzero(over > 0)
            if bad.size:
                add("over_pressure", bad, nn, over[bad], lambda v: f"{v / 1e5:.3g} bar",
                    "{n} node(s) exceed the (gauge) pressure rating of their circuit (worst "
                    "{first}, {worst} over): lower the pump head or the expansion-tank pressure, "
                    "or rate the pipes higher.")
        # a closed circuit (held by an expansion tank, no pressure boundary) is sealed:
        # below 1 atm air enters at vents, seals and high points. Open circuits are not
        # checked: their pressure level is the user's boundaries (a free surface, a
        # siphon by design); see result.nodes["gauge_pressure"].
        tank = np.zeros(cn.n_circuits, bool)
        tank[nc[cn.fixed_nodes[cn.is_tank]]] = True
        tank[nc[cn.fixed_nodes[~cn.is_tank]]] = False
        bad = np.flatnonzero(tank[nc] & (p > 0) & (p < P_ATMOSPHERE))
        if bad.size:
            add("sub_atmospheric", bad, nn, P_ATMOSPHERE - p[bad], lambda v: f"{v / 1e5:.3g} bar",
                "{n} node(s) of closed circuits are below atmospheric pressure (worst {first}, "
                "{worst} below 1 atm): air would enter at vents, seals and high points; raise the "
                "expansion-tank pressure or put the tank at the pump suction.")

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


def _heat_pump_limit_flags(names, hpd: dict) -> list[Flag]:
    """``heat_pump_limit`` flags: a source held at its minimum outlet (freeze
    protection) and cycles over their compressor limits, one flag per limit."""
    out = []
    names = list(names)
    src = np.flatnonzero(hpd.get("source_limited", np.zeros(len(names), bool)))
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
    for key, lim, what, fmt in (
            ("discharge_temperature", "max_discharge_temperature", "discharge temperature",
             lambda v: f"{v - 273.15:.1f} °C"),
            ("condensing_pressure", "max_condensing_pressure", "condensing pressure",
             lambda v: f"{v / 1e5:.2f} bar")):
        if key not in hpd:
            continue
        val, top = hpd[key], hpd[lim]
        with np.errstate(invalid="ignore"):
            over = np.flatnonzero(val > top)
        if not over.size:
            continue
        k = over[np.argmax((val - top)[over])]
        out.append(Flag("heat_pump_limit", tuple(names[j] for j in over), int(over.size),
                        f"{over.size} heat pump(s) run their compressors beyond the {what} "
                        f"limit (worst {names[k]!r}: {fmt(val[k])}, limit {fmt(top[k])}): "
                        "use two stages, another refrigerant or a lower supply temperature."))
    return out
