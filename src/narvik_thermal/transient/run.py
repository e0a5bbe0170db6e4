"""``nt.transient.simulate``: a network over time, events applied as they fall due.

The run works on a copy of the network (the caller's network is never
changed). It starts from the network's steady state, then steps the heat
transport with storage by backward Euler (:mod:`.stepper`) over the flow field
of the last steady hydraulic solve. An event is a ``Network.update`` (edge
name) or ``Network.update_boundary`` (node name) of the copy, followed by a
warm steady solve whose flows (and the linearisation of the heat laws) the
following steps use: the hydraulics are quasi-steady, the heat transport is
dynamic.
"""

from __future__ import annotations

import copy
import math
import time as _time
import warnings
from typing import Any, Sequence

import numpy as np

from .. import units as U
from .._metadata import provenance
from ..components.hydraulics import volume_flow_rated
from ..components.base import require_bool
from ..components.cold_plate import CHIP_COOLANT_MARGIN
from ..components.kinds import EdgeKind, HydraulicLaw
from ..components.thermal import edge_heat_coefficients
from ..correlations.cold_plate import thermal_resistance_flow
from ..errors import ConvergenceError, InputError, NarvikError, PhysicsWarning, user_api
from ..network import Network
from ..solvers.fluid_map import FluidMap, boundary_temperatures, setpoint_enthalpies
from ..units import Q_
from .cells import auto_cells, check_pipe_cells, pipe_names, split_pipes
from .control import PI, Controllers, check_spec
from .events import Event, expand
from .hydraulics import hydraulics_at
from .stepper import Stepper, node_capacity

__all__ = ["simulate", "peak_chip_temperature", "time_to_limit", "RECORDABLE"]

#: Variables ``record=`` may name.
RECORDABLE = ("temperature", "mass_flow", "chip_temperature")


def _network_of(system: Any, events: Any = ()) -> Network:
    """The network a run starts from: ``system`` itself, or a plant's operating network.
    A plant that represents identical CDU rows once (``cdu0x14``) gives, for events
    naming one of those CDUs (``"cdu3.pump"``), its operating network with them on
    their own (``operating_network_for``, at its last operating point)."""
    if isinstance(system, Network):
        return system
    net = getattr(system, "operating_network", None)
    if isinstance(net, Network):
        split = getattr(system, "operating_network_for", None)
        if split is not None:
            # (a single event or a sequence; anything else is refused by expand() later)
            evs = [events] if hasattr(events, "name") else (
                events if isinstance(events, (list, tuple)) else ())
            return split([getattr(ev, "name", None) for ev in evs])
        return net
    raise InputError(f"simulate: system={type(system).__name__} must be a narvik_thermal.Network "
                     "or a plant with an operating_network (e.g. nt.plant.Campus).")


def _seconds(value: Any, name: str) -> float:
    v = float(U.to_si(value, "s", name))
    if not (math.isfinite(v) and v > 0):
        raise InputError(f"simulate: {name}={value} must be a positive, finite time "
                         f"(e.g. Q_(1, 's')).")
    return v


def _check_events(net: Network, events: Sequence[Event], duration: float) -> list[Event]:
    """Events sorted by time, each name known and each change accepted (tried, in
    order, on a copy of the network)."""
    if isinstance(events, Event):
        events = [events]
    events = list(events)
    for ev in events:
        if not isinstance(ev, Event):
            raise InputError(f"simulate: events must be made by nt.transient.at(time, name, "
                             f"**changes), nt.transient.ramp(start, end, name, **changes) or "
                             f"nt.transient.trip(time, pump, run_down=...); got "
                             f"{type(ev).__name__}.")
        if not (0.0 <= ev.time < duration):
            raise InputError(f"simulate: event {ev.describe()} is outside the run: its time must "
                             f"be in [0, {duration:g}) s (duration); schedule it inside the run "
                             "or lengthen duration=.")
    events = sorted(events, key=lambda e: e.time)
    trial = copy.deepcopy(net)
    nodes = set(trial.boundaries)
    loops = {c.name for c in trial.controls}
    for ev in events:
        try:
            _apply(trial, ev, nodes, loops)
        except NarvikError as exc:
            raise InputError(f"simulate: event {ev.describe()} is refused: {exc}") from None
    return events


def _apply(net: Network, ev: Event, boundary_nodes, loops=(), ctl=None, segments=None) -> None:
    if segments and ev.name in segments:
        for seg in segments[ev.name]:        # a pipe split into cells: every segment
            net.update(seg, **ev.changes)
        return
    if ev.name in boundary_nodes:
        net.update_boundary(ev.name, **ev.changes)
        return
    if ev.name in loops and set(ev.changes) <= {"setpoint", "bounds"}:
        if ctl is not None:
            ctl.change(ev.name, ev.changes)      # a loop run in time (PI)
        else:
            net.update_control(ev.name, **ev.changes)
        return
    try:
        net.component(ev.name)
    except NarvikError:
        import difflib  # noqa: PLC0415
        near = difflib.get_close_matches(ev.name, list(net.edge_names) + sorted(boundary_nodes),
                                         n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(map(repr, near))}?" if near else ""
        raise InputError(f"{ev.name!r} is not an edge, heat exchanger, heat pump or node with a "
                         "boundary; events name edges, heat exchangers and heat pumps of the "
                         f"network (Network.edge_names), or nodes with a boundary "
                         f"({sorted(boundary_nodes)[:6]}).{hint}") from None
    net.update(ev.name, **ev.changes)


class _Model:
    """What the steps need from one steady (hydraulic) solve of the network."""

    def __init__(self, net: Network, fm: FluidMap, boundary: np.ndarray, h_bc: np.ndarray,
                 C: np.ndarray, chip_C: np.ndarray, res, T_now: np.ndarray, dt: float,
                 hp_report: dict):
        cn = net.compile()
        st = res.state
        m = st.mass_flow
        up = np.where(m >= 0, cn.start, cn.end)
        # the heat laws, linearised about the steady state of these flows (or about
        # the run's temperatures when there is none, e.g. heat without flow)
        T_lin = st.temperature if res.converged else T_now
        Tc, (h_k, cp_k), _ = fm.clamped(T_lin, ("enthalpy", "cp"))
        E = cn.n_edges
        cp_e = np.zeros(E)
        hx = np.concatenate([cn.hx_hot, cn.hx_cold]).astype(np.int64)
        if hx.size:
            dn = np.where(m >= 0, cn.end, cn.start)
            T_out = st.outlet_temperature[hx] if res.converged else Tc[dn[hx]]
            cp_e[hx] = fm.edge_at("cp_pT", 0.5 * (Tc[up[hx]] + T_out), hx)
        h_set = setpoint_enthalpies(cn, fm)
        ci = cn.hgroups[HydraulicLaw.CONSUMER].idx
        deliv = st.consumers.get("delivering") if st.consumers else None
        if ci.size and deliv is not None and np.size(deliv) == ci.size:
            h_set[ci] = np.where(deliv, h_set[ci], np.nan)
        heat_pumps = None
        if cn.hp_evap.size:
            tf = np.full(E, 293.15)
            tf[cn.hp_cond] = cn.hp_t_supply
            h_sup = fm.edge("enthalpy_T", tf)[cn.hp_cond]
            hp = st.heat_pumps if st.heat_pumps else hp_report
            heat_pumps = (h_sup, hp["cop"], hp["mode"], hp["capacity"])
        self.heat_pumps = st.heat_pumps if st.heat_pumps else hp_report
        q0, q1, q2, _ = edge_heat_coefficients(cn, m, up, h_k, Tc, cp_k, cp_e, st.rise,
                                               st.density_edge, h_set,
                                               heat_pumps=heat_pumps)
        # cold plates: the chip behind its flow-dependent resistance
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        chip = None
        if len(grp):
            i = grp.idx
            P = grp.params
            n = cn.count[i]
            rho = st.density_edge[i]
            Vr = volume_flow_rated(P["flow_rated"], P["rated_basis"], rho)
            R = thermal_resistance_flow(np.abs(m[i]) / (n * rho), P["r_cond"], P["r_conv"], Vr,
                                        P["r_exponent"])
            with np.errstate(divide="ignore"):
                G = np.where(np.isfinite(R), n / R, 0.0)
            u = up[i]
            chip = dict(idx=i, P=P["heat"] * n, C=chip_C, G=G, T_k=Tc[u], h_k=h_k[u],
                        cp_k=cp_k[u], R=R, limit=P["t_chip_max"])
        fixed = np.zeros(cn.n_nodes, bool)
        self.stepper = Stepper(m, cn.start, cn.end, cn.partner, q0, q1, q2,
                               st.external_inflow, st.external_enthalpy, C, dt, fixed, h_bc,
                               chip=chip)
        self.chip = chip
        self.m = m
        self.cold_plate = np.zeros(E, bool)
        if chip is not None:
            self.cold_plate[chip["idx"]] = True


#: flags of a converged steady solve whose state the run does not pass through
#: (:func:`_resolve`)
_NO_STEADY_STATE = ("property_range", "no_flow_heat", "starved_heat")


def _resolve(work: Network, fm: FluidMap, last_ok, T: np.ndarray, sopts: dict, t: float,
             what: str):
    """The flows after events: a warm steady solve; where the network has no steady
    state (heat without flow, buoyancy in a stopped loop, control loops that diverge
    at temperatures without a steady state), the hydraulics alone at the run's current
    temperatures (:func:`.hydraulics.hydraulics_at`), with the actuators where they
    are. The result of a steady solve that did not converge is never used: its flows
    may come from diverged controls or temperatures (a campus pump trip reached a
    supply of 1.5e14 °C that way). Nor is a converged one whose temperatures leave
    the fluid tables (flagged ``property_range``): its properties were clamped, and
    its temperatures are not a state the run will pass through (a loop whose pump is
    turned down to 1e-3 m³/h under 20 kW "converges" at 16,000 °C), nor one flagged
    ``no_flow_heat`` or ``starved_heat`` (heat on no flow or a trickle: its
    temperatures have no steady state; the stopped pump of a CDU whose controls
    moved within their first solve "converged" at flows of 1e-35 kg/s, and the
    restart from there met a nodal matrix singular to round-off). Hydraulics that
    do not converge raise ConvergenceError."""
    try:
        res = work.solve(initial=last_ok, warn=False, **sopts)
    except NarvikError:
        pass                  # no steady state, or a law at the diverging temperatures
    else:
        if not any(f.kind in _NO_STEADY_STATE for f in res.flags):
            return res
    try:
        return hydraulics_at(work.compile(), fm, T, last_ok.state, sopts)
    except ConvergenceError as exc:
        raise ConvergenceError(
            f"transient: the hydraulics after {what} at {t:g} s did not converge: "
            f"{exc}") from None


@user_api
def simulate(system: Any, *, duration: Any, step: Any, events: Sequence[Event] = (),
             record: Sequence[str] | None = None, initial_temperature: Any = None,
             solve_options: dict | None = None, controls: Any = "steady",
             pipe_cells: Any = None, record_cells: bool = False, progress: bool = False,
             warn: bool = True):
    """Run a network (or a plant's operating network) over time.

    Parameters
    ----------
    system : Network or plant
        A :class:`narvik_thermal.Network`, or a plant with an ``operating_network``
        (:class:`narvik_thermal.plant.Campus`). It is not changed: the run works
        on a copy.
    duration : Quantity
        Length of the run [time]; a whole number of steps.
    step : Quantity
        Time step [time] (backward Euler: stable at any step, first-order
        accurate).
    events : sequence of Event or Ramp
        Changes made by :func:`narvik_thermal.transient.at` (each applies at the
        start of the first step at or after its time) or
        :func:`narvik_thermal.transient.ramp` (one change per step).
    record : sequence of str, optional
        Variables to keep, from ``("temperature", "mass_flow",
        "chip_temperature")``; all by default (a large network may keep only
        ``("chip_temperature",)``).
    initial_temperature : Quantity, optional
        Start every node that is not a boundary (and every chip) at this
        temperature instead of the steady state.
    solve_options : dict, optional
        Keyword arguments of :meth:`narvik_thermal.Network.solve` for the steady
        solves (e.g. ``{"temperature_tol": 1e-9}``).
    controls : {"steady", "pi", "frozen"} or dict, optional
        How the network's control loops act in time. ``"steady"`` (default): they are
        solved steadily at the start and after every event (instant, perfect
        control). ``"pi"``: each loop is a discrete PI controller sampled every step
        with the default tuning (:mod:`narvik_thermal.transient.control`);
        ``{"loop": nt.transient.PI(kp=..., ti=...)}``: those loops with these gains,
        the others with the default tuning. ``"frozen"``: the actuators stay where the
        steady start left them. The start is the steady controlled state in every
        mode. An event naming a loop (``at(t, "loop", setpoint=Q_(...))``, or
        ``bounds=``) changes its set-point or bounds.
    pipe_cells : None, int or "auto", optional
        Transport delay in long pipes (:mod:`narvik_thermal.transient.cells`).
        ``None`` (default): each pipe is one cell (half its fluid at each end node:
        a long pipe answers like a first-order lag). ``n``: the run splits every
        pipe into ``n`` equal segments in series (nodes ``"pipe:cell1"``, …): a step
        leaves after the plug-flow delay ρAL/ṁ with a 10–90 % front of about
        2.563 ρAL/(ṁ√n). ``"auto"``: per pipe ``min(42, ⌈δ/step⌉)`` cells (δ the transit
        time at the steady start; 42 brings the front to 40 % of δ), at most 5000
        cells in all. The result keeps the original nodes and edges (a split pipe's
        flow is its first segment's); events naming a split pipe change every
        segment.
    record_cells : bool, optional
        With ``pipe_cells``: record ``temperature`` and ``mass_flow`` over every node
        and edge of the run, the cells and segments included (default False: the
        original nodes and edges only).

    progress : bool, optional
        Show a progress bar of the time steps (tqdm, on stderr). Default False.
    warn : bool, optional
        Issue the run's flags (``attrs["flags"]``) as a
        :class:`~narvik_thermal.errors.PhysicsWarning` (default True); False keeps
        them in the result only.

    Returns
    -------
    xarray.Dataset
        Dimension ``time`` [s]; ``temperature`` (time, node) [degC], ``mass_flow``
        (time, edge) [kg/s], ``chip_temperature`` (time, cold_plate) [degC] and
        ``chip_limit`` (cold_plate) [degC] when there are cold plates, each with
        ``units`` and ``long_name`` attributes. ``attrs``: ``energy_closure`` = (stored +
        rejected − injected) / injected over the run, its terms ``energy_injected``
        (chips, heat loads, pump heat, inflows: what enters the circuits; heat
        exchangers pass heat between circuits and count in neither),
        ``energy_rejected``, ``energy_stored`` [J], ``peak_chip_temperature`` [degC],
        ``peak_chip`` and ``peak_chip_time`` [s], ``steps_per_second`` (of the
        stepping, without the hydraulic solves at events), ``seconds`` (the whole run),
        ``hydraulic_solves`` and of them ``hydraulic_only_solves`` (after an event
        without a usable steady state: the hydraulics alone at the run's
        temperatures), ``factorisations``, ``events``, ``controls`` (the mode),
        ``flags`` (``"; "``-joined: nodes whose coolant rose above its property tables,
        ``property_range``, or fell below its freezing point, ``freezing``, at any time
        of the run; ``chip_below_coolant``: from when the coolant in a cold plate was
        hotter than its chip, where the chip law is outside its validity and the chip's
        temperature a lower bound; ``""`` for none),
        and the provenance every result Dataset has (``Conventions``, ``source``,
        ``narvik_thermal_version``, ``generator``, the steady start's solver options
        ``solver_*``). Every variable and coordinate has a ``long_name``.
        With loops run in time (``"pi"``, ``"frozen"``): ``control_actuator``,
        ``control_target`` and ``control_setpoint`` (time, control), SI but
        temperatures in degC, each loop's units in the coordinates
        ``actuator_units`` and ``target_units`` (control); the actuator at a time is
        the one in effect from that time on. ``attrs``: ``control_gain_kp``,
        ``control_gain_ki_dt`` (the PI gains per step, SI, loop order) and
        ``control_steady_gain`` (dy/du measured at the start).

    Raises
    ------
    InputError
        A step or duration that is not a positive time, a duration that is not a
        whole number of steps, an event outside the run, an unknown event name
        or a change the network refuses; a ``controls=`` that is not a mode or names
        an unknown loop, bad PI gains, a loop whose actuator has no steady effect on
        its target with gains that are not zero; a ``pipe_cells`` that is not None, a
        whole number >= 1 or ``"auto"``.
    ConvergenceError
        The steady start, or the hydraulics after an event, did not converge.

    Notes
    -----
    The heat transport is dynamic (storage in the fluid, the metal and the
    chips); the hydraulics are quasi-steady (re-solved at each event and after
    every move of a PI loop's actuator; a pump run-down is a sequence of speeds,
    :func:`narvik_thermal.transient.trip`). See :mod:`narvik_thermal.transient`.
    """
    import xarray as xr

    net = _network_of(system, events)
    dt = _seconds(step, "step")
    T_end = _seconds(duration, "duration")
    if T_end < dt * (1 - 1e-9):
        raise InputError(f"simulate: duration={duration} is shorter than step={step}; give a "
                         "duration of at least one step.")
    n_steps = int(round(T_end / dt))
    if abs(n_steps * dt - T_end) > 1e-9 * T_end:
        raise InputError(f"simulate: duration={duration} is not a whole number of steps of "
                         f"{step} ({T_end / dt:.6g} steps); choose a step that divides it.")
    if record is None:
        record = RECORDABLE
    record = (record,) if isinstance(record, str) else tuple(record)
    for r in record:
        if r not in RECORDABLE:
            raise InputError(f"simulate: record={r!r} is not a variable of a run; choose from "
                             f"{RECORDABLE}.")
    if solve_options is not None and not isinstance(solve_options, dict):
        raise InputError("simulate: solve_options must be a dict of Network.solve keyword "
                         f"arguments; got {type(solve_options).__name__}.")
    sopts = dict(solve_options or {})
    mode, spec = check_spec(controls, {c.name for c in net.controls})
    if mode == "frozen":
        spec = {c.name: PI(kp=0.0) for c in net.controls}
    pipe_cells = check_pipe_cells(pipe_cells)
    require_bool(warn, "warn", "simulate")
    if not isinstance(record_cells, bool):
        raise InputError(f"simulate: record_cells={record_cells!r} must be True (record the "
                         "pipes' cells too) or False (the original nodes and edges only).")
    events = _check_events(net, expand(events, dt, T_end), T_end)
    t0 = _time.perf_counter()
    work, segments = _in_cells(net, pipe_cells, dt, sopts)
    boundary_nodes = set(work.boundaries)
    try:
        res = work.solve(warn=False, **sopts)
    except ConvergenceError as exc:
        raise ConvergenceError(f"transient start: the steady state of {net.name!r} did not "
                               f"converge: {exc}", result=exc.result) from None
    solver = res.options
    loops = {c.name for c in work.controls}
    ctl = None
    if mode != "steady" and work.controls:
        ctl = Controllers(work, res, spec, dt, sopts)
    cn = work.compile()
    fm = FluidMap(cn)
    N, E = cn.n_nodes, cn.n_edges
    boundary, T_bc = boundary_temperatures(cn)
    h_bc = fm.node("enthalpy_T", T_bc)

    # storage: frozen at the start (properties of the start state)
    st = res.state
    T = st.temperature.copy()
    cp_n = fm.clamped(T, ("cp",))[1][0]
    volume = work.fluid_volume()
    metal = work.metal_heat_capacity()
    cpg = cn.kgroups[EdgeKind.COLD_PLATE]
    chip_C = metal[cpg.idx].copy() if len(cpg) else np.zeros(0)
    if len(cpg):
        metal[cpg.idx] = 0.0          # the plate's metal sits with its chip
    C, _, _ = node_capacity(cn.start, cn.end, volume, metal, st.density_edge, cp_n, boundary)

    h = st.enthalpy.copy()
    if initial_temperature is not None:
        T0 = float(U.to_temperature(initial_temperature, "initial_temperature"))
        T = np.where(boundary, T, T0)
        h = np.where(boundary, h, fm.node("enthalpy_T", np.full(N, T0)))
    model = _Model(work, fm, boundary, h_bc, C, chip_C, res, T, dt, {})
    Tc = None
    if model.chip is not None:
        ch = model.chip
        T_in = T[np.where(model.m[ch["idx"]] >= 0, cn.start[ch["idx"]], cn.end[ch["idx"]])]
        # the steady chip law T_in + P R (per unit), as the steady result has it
        Tc = T_in + ch["P"] / cn.count[ch["idx"]] * ch["R"]
        if initial_temperature is not None:
            Tc = np.full(ch["idx"].size, T0)

    keep_T, keep_m, keep_c = ("temperature" in record, "mass_flow" in record,
                              "chip_temperature" in record and Tc is not None)
    n_rec = n_steps + 1
    T_rec = np.empty((n_rec, N)) if keep_T else None
    m_rec = np.empty((n_rec, E)) if keep_m else None
    c_rec = np.empty((n_rec, Tc.size)) if keep_c else None
    peak = (-np.inf, -1, 0.0)
    if ctl is not None:
        n_c = len(ctl.names)
        u_rec, y_rec, r_rec = (np.empty((n_rec, n_c)) for _ in range(3))
        u_rec[0], y_rec[0], r_rec[0] = ctl.u, ctl.y0, ctl.setpoints()

    def store(k, T, m, Tc):
        nonlocal peak
        if keep_T:
            T_rec[k] = T
        if keep_m:
            m_rec[k] = m
        if Tc is not None:
            if keep_c:
                c_rec[k] = Tc
            if Tc.size:
                j = int(np.argmax(Tc))
                if Tc[j] > peak[0]:
                    peak = (float(Tc[j]), j, k * dt)

    E0 = float(C @ h) + (float(chip_C @ Tc) if Tc is not None else 0.0)
    injected = rejected = 0.0
    # heat exchangers pass heat between circuits (the two sides' heats cancel): neither
    # injected nor rejected (counted, a 2 MW campus "injected" 5.5 MW)
    internal = np.zeros(cn.n_edges, dtype=bool)
    internal[cn.hx_hot] = True
    internal[cn.hx_cold] = True
    store(0, T, model.m, Tc)
    # the chip law cools a chip by its inlet's coolant: where the coolant in its plate
    # gets hotter than the chip (a stopped pump's stagnant coolant, heated on), the law
    # is outside its validity; the first time and the plates it happened to are flagged
    plate_nodes = (np.unique(np.concatenate([cn.start[cpg.idx], cn.end[cpg.idx]]))
                   if Tc is not None and len(cpg) else np.zeros(0, np.int64))
    plate_pos = (np.searchsorted(plate_nodes, cn.start[cpg.idx]),
                 np.searchsorted(plate_nodes, cn.end[cpg.idx])) if plate_nodes.size else None
    over_chip = np.zeros(len(cpg), bool) if plate_nodes.size else None
    first_over = None
    # the hottest and coldest enthalpy each node reached (its fluid's range checked at
    # the end: a run that leaves the property tables or boils says so)
    h_hi, h_lo = np.array(h, dtype=float, copy=True), np.array(h, dtype=float, copy=True)
    by_step: dict[int, list[Event]] = {}
    for ev in events:
        by_step.setdefault(int(math.ceil(ev.time / dt - 1e-9)), []).append(ev)
    last_ok = res
    hyd_solves, factorisations = 1, 1
    hyd_only = 0                # re-solves without a usable steady state (hydraulics alone)
    t_steps = 0.0
    y = None if ctl is None else ctl.y0
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=n_steps, unit="step", desc="transient", mininterval=0.5)
    for k in range(n_steps):
        if bar is not None:
            bar.update(1)
        evs = by_step.get(k, [])
        for ev in evs:
            _apply(work, ev, boundary_nodes, loops, ctl, segments)
        moved = False
        if ctl is not None and k > 0:
            moved = ctl.apply(work, ctl.update(y))
            u_rec[k], r_rec[k] = ctl.u, ctl.setpoints()
        if evs or moved:
            what = "; ".join(e.describe() for e in evs) or "the controls' move"
            res = _resolve(work, fm, last_ok, T, sopts, k * dt, what)
            if res.converged:
                last_ok = res
            else:
                hyd_only += 1
            hyd_solves += 1
            model = _Model(work, fm, boundary, h_bc, C, chip_C, res, T, dt, model.heat_pumps)
            factorisations += 1
        ts = _time.perf_counter()
        h, Tc_new, Q, b_out = model.stepper.step(h, Tc)
        other = ~model.cold_plate & ~internal
        Qo = Q[other]
        inj = float(Qo[Qo > 0].sum())
        rej = float(-Qo[Qo < 0].sum()) + b_out
        if model.chip is not None:
            inj += float(model.chip["P"].sum())
            Tc = Tc_new
        injected += inj * dt
        rejected += rej * dt
        fresh_T = keep_T or ctl is not None or (k + 1) in by_step or k + 1 == n_steps
        if fresh_T:
            T = fm.node("temperature_h", h)       # (only where it is used)
        if ctl is not None:
            y = ctl.measure(T, Tc, model.m, h, Q, res.state, fm, cn)
            y_rec[k + 1] = y
        store(k + 1, T, model.m, Tc)
        if over_chip is not None:
            Tp = T[plate_nodes] if fresh_T else fm.node_at("temperature_h", h[plate_nodes],
                                                            plate_nodes)
            T_fluid = np.maximum(Tp[plate_pos[0]], Tp[plate_pos[1]])
            over = T_fluid > Tc + CHIP_COOLANT_MARGIN
            if over.any():
                if first_over is None:
                    j = int(np.argmax(T_fluid - Tc))
                    first_over = ((k + 1) * dt, j, float(Tc[j]), float(T_fluid[j]))
                over_chip |= over
        np.maximum(h_hi, h, out=h_hi)
        np.minimum(h_lo, h, out=h_lo)
        t_steps += _time.perf_counter() - ts
    if bar is not None:
        bar.close()
    if ctl is not None:
        u_rec[n_steps], r_rec[n_steps] = ctl.update(y), ctl.setpoints()
    stored = float(C @ h) + (float(chip_C @ Tc) if Tc is not None else 0.0) - E0
    scale = max(abs(injected), abs(rejected), abs(stored))
    closure = (stored + rejected - injected) / (abs(injected) if injected != 0 else
                                                 (scale if scale > 0 else 1.0))
    times = np.arange(n_rec) * dt
    data = {}
    node_names, edge_names = list(cn.node_names), list(cn.edge_names)
    if segments and not record_cells:      # the user's view: the original nodes, edges
        n_at = {n: i for i, n in enumerate(node_names)}
        e_at = {n: i for i, n in enumerate(edge_names)}
        node_names, edge_names = list(net.node_names), list(net.edge_names)
        if keep_T:
            T_rec = T_rec[:, [n_at[n] for n in node_names]]
        if keep_m:
            m_rec = m_rec[:, [e_at[n] for n in edge_names]]
    if keep_T:
        data["temperature"] = (("time", "node"), T_rec - 273.15,
                               {"units": "degC", "long_name": "node temperature"})
    if keep_m:
        data["mass_flow"] = (("time", "edge"), m_rec, {
            "units": "kg/s", "long_name": "mass flow from start to end node"})
    coords = {"time": ("time", times, {"units": "s",
                                       "long_name": "time since the start of the run"})}
    if keep_T:
        coords["node"] = ("node", node_names, {"long_name": "node name"})
    if keep_m:
        coords["edge"] = ("edge", edge_names, {"long_name": "edge name"})
    cp_names = [cn.edge_names[i] for i in cpg.idx] if len(cpg) else []
    if Tc is not None:
        coords["cold_plate"] = ("cold_plate", cp_names, {"long_name": "cold-plate edge"})
        data["chip_limit"] = (("cold_plate",), cpg.params["t_chip_max"] - 273.15,
                              {"units": "degC", "long_name": "chip temperature limit"})
        if keep_c:
            data["chip_temperature"] = (("time", "cold_plate"), c_rec - 273.15,
                                        {"units": "degC", "long_name": "chip temperature"})
    if ctl is not None:
        _control_data(ctl, u_rec, y_rec, r_rec, data, coords)
    wall = _time.perf_counter() - t0
    attrs = dict(
        title=f"transient run of network {net.name!r}", network=net.name, duration=T_end, step=dt, energy_closure=float(closure),
        energy_injected=injected, energy_rejected=rejected, energy_stored=stored,
        events="; ".join(e.describe() for e in events),
        hydraulic_solves=hyd_solves, hydraulic_only_solves=hyd_only,
        factorisations=factorisations, controls=mode,
        steps_per_second=n_steps / t_steps if t_steps > 0 else float("inf"),
        seconds=wall, pipe_cells="none" if pipe_cells is None else str(pipe_cells),
        pipe_segments=sum(len(s) for s in segments.values()),
        pipes_split=len(segments),
        units_note="time [s]; energies [J]; temperatures [degC]")
    if ctl is not None:
        attrs.update(control_gain_kp=ctl.kp.tolist(), control_gain_ki_dt=ctl.ki.tolist(),
                     control_steady_gain=ctl.K.tolist())
    if Tc is not None and peak[1] >= 0:
        attrs.update(peak_chip_temperature=peak[0] - 273.15, peak_chip=cp_names[peak[1]],
                     peak_chip_time=peak[2])
    flags = _range_flags(fm, cn, fm.node("temperature_h", h_hi), fm.node("temperature_h", h_lo))
    if first_over is not None:
        t_over, j, T_chip, T_cool = first_over
        flags.append(
            f"chip_below_coolant: from t = {t_over:.6g} s the coolant in "
            f"{int(over_chip.sum())} cold plate(s) was hotter than its chip (first "
            f"{cp_names[j]}: coolant {T_cool - 273.15:.1f} °C, chip {T_chip - 273.15:.1f} "
            "°C): the chip law (the chip cooled by its inlet's coolant through the plate's "
            "resistance at its flow) is outside its validity there, as in stagnant coolant "
            "heated on: those chips' temperatures from then on are lower bounds")
    attrs["flags"] = "; ".join(flags)
    if flags and warn:
        warnings.warn(f"transient run of {net.name!r}: " + "; ".join(flags), PhysicsWarning,
                      stacklevel=3)
    return xr.Dataset(data, coords=coords,
                      attrs=provenance("narvik_thermal.transient.simulate", solver, **attrs))


#: what a temperature at or below absolute zero in a run means (added to its flag)
_NO_VOLUME_HINT = (
    ", below absolute zero: no fluid can be there. A fixed heat (a heat load, a set-point's "
    "or a pump's heat) on an edge without fluid volume went into a node that holds almost "
    "none while the flow stopped or trickled; give such edges their volume (volume=) or "
    "model a loss that follows the temperature (a pipe's u_value and ambient)")


def _range_flags(fm, cn, T_hi: np.ndarray, T_lo: np.ndarray) -> list[str]:
    """What the nodes' temperature extremes of a run say about their fluids' property
    tables (above their end, below the freezing point or the tables' start)."""
    out = []
    for fl, sel in zip(fm.fluids, fm.node_sel):
        if not sel.size:
            continue
        name = getattr(fl, "name", fl)
        tmax = float(getattr(fl, "t_max", np.inf))
        tmin = float(getattr(fl, "t_min", 0.0))
        tf = getattr(fl, "freezing_temperature", None)
        tf = tmin if tf is None else float(tf)
        hot = sel[T_hi[sel] > tmax]
        if hot.size:
            k = hot[int(np.argmax(T_hi[hot]))]
            out.append(f"property_range: {hot.size} node(s) of {name} rose above its property "
                       f"tables ({tmax - 273.15:.1f} °C; {cn.node_names[k]} reached "
                       f"{T_hi[k] - 273.15:.1f} °C): properties clamped, the coolant would "
                       "boil there")
        cold = sel[T_lo[sel] < tf]
        if cold.size:
            k = cold[int(np.argmin(T_lo[cold]))]
            out.append(f"freezing: {cold.size} node(s) of {name} fell below its freezing "
                       f"point ({tf - 273.15:.2f} °C; {cn.node_names[k]} reached "
                       f"{T_lo[k] - 273.15:.2f} °C)" + (_NO_VOLUME_HINT if T_lo[k] <= 0.0
                                                         else ""))
    return out


def _in_cells(net: Network, pipe_cells: Any, dt: float, sopts: dict):
    """The run's copy of the network, its pipes in cells (``pipe_cells``), and the
    segments of each split pipe (none: the plain copy)."""
    work = copy.deepcopy(net)
    if pipe_cells is None or pipe_cells == 1:
        return work, {}
    if pipe_cells == "auto":
        try:
            st = work.solve(warn=False, **sopts).state
        except ConvergenceError as exc:
            raise ConvergenceError(f"transient start: the steady state of {net.name!r} did "
                                   f"not converge: {exc}", result=exc.result) from None
        cells = auto_cells(work, st.mass_flow, st.density_edge, dt)
    else:
        cells = {p: pipe_cells for p in pipe_names(work)}
    if all(n <= 1 for n in cells.values()):
        return work, {}
    return split_pipes(work, cells)


def _control_data(ctl, u_rec, y_rec, r_rec, data: dict, coords: dict) -> None:
    """The loops' records as Dataset variables over ``control`` (degC for temperatures)."""
    coords["control"] = ("control", ctl.names, {"long_name": "control loop"})
    a_units, t_units = ctl.units()
    coords["actuator_units"] = ("control", a_units,
                                {"long_name": "units of the loop's actuator"})
    coords["target_units"] = ("control", t_units, {"long_name": "units of the loop's target"})
    t_off = np.array([273.15 if u == "degC" else 0.0 for u in t_units])
    a_off = np.array([273.15 if u == "degC" else 0.0 for u in a_units])

    def one(units):
        return units[0] if len(set(units)) == 1 else "per control: see its units coordinate"
    data["control_actuator"] = (("time", "control"), u_rec - a_off, {
        "units": one(a_units), "long_name": "actuator of the loop (in effect from this time on)"})
    data["control_target"] = (("time", "control"), y_rec - t_off, {
        "units": one(t_units), "long_name": "measured target of the loop"})
    data["control_setpoint"] = (("time", "control"), r_rec - t_off, {
        "units": one(t_units), "long_name": "set-point of the loop"})


@user_api
def _require_run(run: Any, what: str) -> None:
    """``run`` must be the Dataset :func:`simulate` returns."""
    if not (hasattr(run, "attrs") and hasattr(run, "data_vars") and "time" in getattr(
            run, "coords", {})):
        raise InputError(f"{what}: run={run!r} is not the result of nt.transient.simulate(...) "
                         "(an xarray Dataset with a time coordinate).")


def peak_chip_temperature(run) -> dict:
    """The hottest chip of a run: ``name``, ``temperature`` [degC] and ``time`` [s].

    Parameters
    ----------
    run : xarray.Dataset
        A result of :func:`simulate` with cold plates.
    """
    _require_run(run, "peak_chip_temperature")
    if "peak_chip" not in run.attrs:
        raise InputError("peak_chip_temperature: the run has no cold plates (no chip "
                         "temperatures); simulate a network with cold plates.")
    return dict(name=run.attrs["peak_chip"],
                temperature=Q_(run.attrs["peak_chip_temperature"], "degC"),
                time=Q_(run.attrs["peak_chip_time"], "s"))


@user_api
def time_to_limit(run, limit: Any = None, after: Any = None):
    """Time until the hottest chip first reaches its limit.

    Parameters
    ----------
    run : xarray.Dataset
        A result of :func:`simulate` that recorded ``chip_temperature``.
    limit : Quantity, optional
        One limit for every chip [temperature]; by default each cold plate's
        ``max_chip_temperature`` (``run["chip_limit"]``).
    after : Quantity, optional
        Count from this time of the run (e.g. the event's) [time]; 0 by default.

    Returns
    -------
    Quantity
        Seconds from ``after`` until a chip first reaches its limit, linearly
        interpolated between recorded steps; NaN s if none does within the run.
    """
    _require_run(run, "time_to_limit")
    if "chip_temperature" not in run:
        raise InputError("time_to_limit: the run did not record chip_temperature; simulate "
                         "with record=None or record=('chip_temperature',).")
    t = run["time"].values
    Tc = run["chip_temperature"].values
    if limit is None:
        lim = run["chip_limit"].values
        if not np.any(np.isfinite(lim)):
            raise InputError("time_to_limit: no cold plate has a max_chip_temperature; give "
                             "limit=Q_(..., 'degC').")
    else:
        lim = np.full(Tc.shape[1], float(U.to_temperature(limit, "limit")) - 273.15)
    t_after = 0.0 if after is None else float(U.to_si(after, "s", "after"))
    sel = t >= t_after - 1e-12
    t, Tc = t[sel], Tc[sel]
    over = np.where(np.isfinite(lim), Tc - lim, -np.inf).max(axis=1)
    hit = np.flatnonzero(over >= 0)
    if hit.size == 0:
        return Q_(float("nan"), "s")
    k = int(hit[0])
    if k == 0:
        return Q_(0.0, "s")
    a, b = over[k - 1], over[k]
    tk = t[k - 1] + (t[k] - t[k - 1]) * (-a) / (b - a) if b != a else t[k]
    return Q_(float(tk - t_after), "s")
