"""EPANET networks (``wntr.network.WaterNetworkModel``) as narvik_thermal networks.

A test helper, not library code: it converts the networks that ship with
wntr (``wntr/library/networks/*.inp``) so that both tools solve the same
equations at t = 0, runs EPANET 2.2 through ``wntr.sim.EpanetSimulator`` and
compares heads and flows.

The mapping (SI throughout)
---------------------------
Fluid
    EPANET's water: kinematic viscosity 1.1e-5 ft²/s times the VISCOSITY
    option, a constant-property tabulated fluid (density 998.2 kg/m³; heads do
    not depend on it).
Gravity
    EPANET's heads use g_E = 32.2 ft/s², our static head ρ G Δz uses standard
    gravity G. Pressures are p = p_atm + ρ g_E (H − z), pump heads and
    reservoir heads enter as ρ g_E H [Pa], and each node gets the elevation
    z g_E / G, so that ρ G z' = ρ g_E z: the two sets of head equations are
    the same (H = z + (p − p_atm) / (ρ g_E) is read back).
Head loss
    Every network is converted to Darcy–Weisbach *in wntr* before EPANET runs.
    Hazen–Williams C (or Manning n) becomes the sand roughness ε at which
    EPANET's D-W (Swamee–Jain) loss equals the H-W (Manning) loss at 1 m/s in
    that pipe, at least 1.5 µm (wntr rejects ε = 0); the same ε goes to both
    tools. Our pipes use Churchill's friction factor (EPANET: Swamee–Jain in
    turbulent flow, Hagen–Poiseuille below Re 2000, Dunlop's cubic between);
    the minor-loss coefficient K carries over unchanged.
Nodes
    Junction demands at t = 0 (base × pattern × DEMAND MULTIPLIER) → volume
    flow boundaries (withdrawal negative); reservoirs (head pattern at t = 0)
    and tanks (elevation + initial level) → pressure boundaries.
Links
    Closed links are omitted (their flow is compared as zero). Pipes with a
    check valve (CV) → the pipe and a check valve in series. Pumps → a pump
    and a check valve in series (an EPANET pump never runs backwards: it is
    closed when it cannot deliver the head). Check valves have Kvs = 1e6 m³/h
    (1.3 Pa at 1 m³/s) and, shut, a back-flow resistance of 1e10 Pa s/kg.
Pump curves
    EPANET fits 1-point curves (through (0, 1.33334 h₁), (q₁, h₁), (2 q₁, 0))
    and 3-point curves starting at Q = 0 to H = A − B Qᶜ, and interpolates any
    other curve piecewise linearly. We give the same three points to our
    quadratic (exact for the 1-point form, c ≈ 2); a 2-point curve gets its
    midpoint as well (our quadratic is then EPANET's line); longer curves are
    least-squares fitted. :attr:`Converted.curve_error` states the largest head
    difference of the two curve forms between shut-off and the last point.
    Speed: the speed pattern's value at t = 0 (EPANET replaces the setting by
    it), else the initial setting.
Constant-power pumps
    → ``add_pump(power=)`` (rise P/Q) with EPANET's head: 8.814 P[hp] / Q[cfs]
    ft, i.e. 550 ft·lbf/s per hp over EPANET's specific weight 62.4 lbf/ft³
    (not ρ g_E: the power handed to our pump is scaled by ρ g_E / 62.4 lbf/ft³,
    :func:`power_of`), the speed as for curves (power ∝ speed³ in both). Our
    pump caps the head below the flow at which it reaches half of the
    default shut-off head (1000 m), far below every operating point here;
    EPANET closes such a pump instead.
Valves
    TCV → Kv valve of the same loss coefficient, Kv = 3600 A √(200 / K) (A of
    the valve diameter); a valve whose status is fixed OPEN → Kv valve with
    its minor-loss coefficient (at least 1e-3); FCV (active) → an ideal
    fixed-flow element of its setting. PRV (active) →
    ``add_pressure_reducing_valve``: a Kv check valve (EPANET closes a PRV
    on reverse flow) whose opening a control adjusts so that the absolute
    pressure at its outlet node is at most the setting (p_atm + ρ g_E ×
    setting): fully open when it cannot reach it (EPANET's OPEN), shut when
    the outlet is above it even so (EPANET's CLOSED). Fully open it has its
    minor-loss coefficient; its equal-percentage trim has rangeability 1e12
    (ky10's valves are 25.4 m wide: the Kv of the largest reduction at the
    smallest flow is 1e-9 of Kvs). PSV (active) →
    ``add_pressure_sustaining_valve``, holding its inlet at least at the
    setting. PBV (active) → ``add_pressure_breaker_valve`` of the setting's
    drop (EPANET opens a PBV whose minor loss exceeds it: not modelled).
    GPV, emitters and pressure-driven demand have no element in the library:
    they are listed in :attr:`Converted.unrepresentable`.
Controls
    EPANET applies its simple controls once before the t = 0 solve (tank level
    at the initial level, inclusive; a timer at 0 s); :func:`bake_initial_controls`
    does the same to the initial statuses and settings and removes the
    controls, so that both tools see the statuses EPANET used. Rules act only
    between time steps.
"""

from __future__ import annotations

import glob
import math
import os
import re
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.components.pump import G as G_OURS

NU_WATER = 1.1e-5 * 0.3048**2          # EPANET's kinematic viscosity of water, m²/s
G_EPANET = 32.2 * 0.3048                # m/s²
RHO = 998.2                             # kg/m³ (heads do not depend on it)
P_ATM = 101325.0
T_REF = Q_(20.0, "degC")
CV_KVS = 1e6                            # m³/h, check valves in series
K_OPEN_MIN = 1e-3                       # loss coefficient of a lossless open valve
PRV_RANGEABILITY = 1e12                 # Kvs/Kv0 of a regulating valve's equal-percentage trim
EPANET_1POINT = 1.33334                 # EPANET's shut-off head / design head (1-point curves)
HP_W = 745.699872                       # W per horsepower (wntr's conversion)
EPANET_HP_HEAD = 8.814                  # EPANET's power pump: head [ft] = 8.814 P [hp] / Q [cfs]


def network_files() -> list[str]:
    """The .inp files that ship with wntr, sorted by name."""
    import wntr

    d = os.path.join(os.path.dirname(wntr.__file__), "library", "networks")
    return sorted(glob.glob(os.path.join(d, "*.inp")))


def const_fluid(nu: float = NU_WATER, rho: float = RHO):
    """EPANET's water: constant density and viscosity."""
    return nt.fluids.tabulated(
        "epanet-water", temperature=Q_([-20.0, 150.0], "degC"), density=Q_([rho, rho], "kg/m^3"),
        specific_heat=Q_([4182.0, 4182.0], "J/(kg*K)"), viscosity=Q_([nu * rho, nu * rho], "Pa*s"),
        conductivity=Q_([0.6, 0.6], "W/(m*K)"))


# ----------------------------------------------------------------------------
# EPANET side
# ----------------------------------------------------------------------------
def _roughness_matching(f: float, D: float, v: float, nu: float) -> float:
    """ε at which Swamee–Jain gives the friction factor ``f`` at velocity ``v``."""
    Re = v * D / nu
    x = 10.0 ** (-0.5 / math.sqrt(f)) - 5.74 / Re**0.9
    return max(1.5e-6, 3.7 * D * x)


def roughness_from_hazen_williams(C: float, D: float, v: float = 1.0,
                                  nu: float = NU_WATER) -> float:
    """D-W roughness [m] with the Hazen–Williams loss of coefficient C at ``v`` [m/s]."""
    hl = 10.667 * (v * math.pi * D * D / 4) ** 1.852 / (C**1.852 * D**4.871)
    return _roughness_matching(hl * 2 * G_EPANET * D / v**2, D, v, nu)


def roughness_from_manning(n: float, D: float, v: float = 1.0, nu: float = NU_WATER) -> float:
    """D-W roughness [m] with the Manning loss of coefficient n at ``v`` [m/s]."""
    hl = n * n * v * v / (D / 4) ** (4.0 / 3.0)
    return _roughness_matching(hl * 2 * G_EPANET * D / v**2, D, v, nu)


def load(path: str):
    """Read an .inp file, convert it to Darcy–Weisbach and set up a t = 0 run."""
    import wntr

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wn = wntr.network.WaterNetworkModel(path)
        opts = wn.options.hydraulic
        nu = NU_WATER * (opts.viscosity or 1.0)
        if opts.headloss in ("H-W", "C-M"):
            conv = (roughness_from_hazen_williams if opts.headloss == "H-W"
                    else roughness_from_manning)
            for _, p in wn.pipes():
                p.roughness = conv(p.roughness, p.diameter, nu=nu)
            opts.headloss = "D-W"
    wn.options.time.duration = 0
    opts.accuracy = 1e-8
    opts.trials = 500
    wn.options.report.status = "YES"
    return wn


def bake_initial_controls(wn) -> list[str]:
    """Apply the simple controls that EPANET applies before its t = 0 solve to
    the initial statuses and settings, then remove all simple controls.

    EPANET 2.2 (``hydraul.c``, ``controls()``) checks, before the first
    solution, tank-level controls against the initial levels (LOW: level ≤
    threshold, HIGH: level ≥ threshold) and timer controls against t = 0, in
    input order. Controls on junction pressure depend on the solution and
    are not supported here (ValueError).
    """
    import wntr
    from wntr.network.controls import (Comparison, Control, SimTimeCondition,
                                       TankLevelCondition, TimeOfDayCondition)

    applied = []
    for name, c in list(wn.controls()):
        if not isinstance(c, Control):
            continue                                   # rules act between time steps
        cond = c.condition
        if isinstance(cond, TankLevelCondition):
            tank = cond._source_obj
            level = getattr(tank, cond._source_attr)
            thr = cond._threshold
            below = cond._relation in (Comparison.lt, Comparison.le)
            fire = level <= thr if below else level >= thr
        elif isinstance(cond, SimTimeCondition):
            fire = cond._threshold == 0
        elif isinstance(cond, TimeOfDayCondition):
            fire = cond._threshold == wn.options.time.start_clocktime % 86400
        else:
            raise ValueError(f"control {name!r} ({c}) depends on the solution at t = 0; "
                             "it cannot be applied before the solve")
        if fire:
            for a in c.actions():
                link, attr = a.target()
                value = a._value
                if attr == "status":
                    link.initial_status = wntr.network.LinkStatus(int(value))
                elif attr in ("base_speed", "setting"):
                    link.initial_setting = float(value)
                    if isinstance(link, wntr.network.Pump):
                        link.initial_status = wntr.network.LinkStatus(1 if value > 0 else 0)
                    else:
                        link.initial_status = wntr.network.LinkStatus.Active
                else:
                    raise ValueError(f"control {name!r}: action on {attr!r} not supported")
                applied.append(str(c))
        wn.remove_control(name)
    return applied


@dataclass
class EpanetRun:
    """EPANET's t = 0 state (SI) and whether it balanced."""

    head: dict
    flow: dict
    demand: dict
    status: dict
    balanced: bool
    trials: int | None
    seconds: float


def run_epanet(wn, file_prefix: str) -> EpanetRun:
    """Solve ``wn`` with EPANET 2.2 (through wntr) at t = 0."""
    import wntr

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=file_prefix)
    seconds = time.perf_counter() - t0
    with open(file_prefix + ".rpt", errors="replace") as fh:
        rpt = fh.read()
    m = re.search(r"0:00:00: Balanced after (\d+) trials", rpt)
    balanced = m is not None and "unbalanced" not in rpt.lower()
    return EpanetRun(head=res.node["head"].iloc[0].to_dict(),
                     flow=res.link["flowrate"].iloc[0].to_dict(),
                     demand=res.node["demand"].iloc[0].to_dict(),
                     status=res.link["status"].iloc[0].to_dict(),
                     balanced=balanced, trials=int(m.group(1)) if m else None, seconds=seconds)


def substitute_unrepresentable(wn, run: EpanetRun) -> list[str]:
    """Replace the elements the library cannot represent by their state in
    EPANET's t = 0 solution ``run`` (for a variant solved by both tools).

    A GPV (the one valve :func:`to_network` cannot represent) becomes a TCV
    whose loss coefficient gives its solved head loss at its solved flow, or
    a closed valve where EPANET closed it. (Constant-power pumps, PRVs, PSVs
    and PBVs used to be substituted too, by a 1-point curve through the
    pump's operating point and a TCV of the valve's solved loss; the library
    represents them now.)
    """
    import wntr

    out = []
    for name, v in list(wn.valves()):
        if v.valve_type != "GPV" or v.initial_status == wntr.network.LinkStatus.Closed:
            continue
        q = run.flow[name]
        dh = run.head[v.start_node_name] - run.head[v.end_node_name]
        if run.status[name] == 0:
            v.initial_status = wntr.network.LinkStatus.Closed
            out.append(f"GPV {name!r} → closed (EPANET closed it)")
            continue
        A = math.pi * v.diameter**2 / 4
        K = max(dh, 0.0) * 2 * G_EPANET * A * A / max(q * q, 1e-30)
        s, e, D = v.start_node_name, v.end_node_name, v.diameter
        wn.remove_link(name, force=True)
        wn.add_valve(name, s, e, diameter=D, valve_type="TCV", minor_loss=0.0,
                     initial_setting=K, initial_status="ACTIVE")
        out.append(f"GPV {name!r} → TCV K = {K:.4g} ({dh:.4g} m at {q:.4g} m³/s)")
    return out


# ----------------------------------------------------------------------------
# our side
# ----------------------------------------------------------------------------
@dataclass
class Converted:
    """A converted network and what the conversion could not represent."""

    net: nt.Network | None
    edge_of: dict                       # EPANET link → our edge (None: omitted, closed)
    nodes: list                         # EPANET nodes present in our network
    elevation: dict                     # EPANET node → elevation [m] (EPANET's)
    unrepresentable: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    curve_error: dict = field(default_factory=dict)   # pump → max |ΔH| [m] of the curve forms
    rho: float = RHO

    def reason(self) -> str:
        """The unrepresentable elements, grouped by kind, for an xfail reason."""
        groups: dict = {}
        for u in self.unrepresentable:
            kind = u.split(" '")[0] if " '" in u and not u[0].isdigit() else u
            groups.setdefault(kind, []).append(u)
        parts = []
        for kind, items in groups.items():
            more = f" and {len(items) - 2} more" if len(items) > 2 else ""
            if kind == items[0]:
                parts.append(kind)
            else:
                parts.append(f"{len(items)} × {kind}: " + "; ".join(items[:2]) + more)
        return " | ".join(parts)


def _pump_points(points):
    """The points we hand to our quadratic, and EPANET's curve for comparison."""
    q = np.array([p[0] for p in points], float)
    h = np.array([p[1] for p in points], float)
    if q.size == 1:
        q, h = np.array([0.0, q[0], 2 * q[0]]), np.array([EPANET_1POINT * h[0], h[0], 0.0])
    if q.size == 3 and q[0] == 0.0 and h[0] > h[1] > h[2] and q[2] > q[1] > 0:
        c = math.log((h[0] - h[2]) / (h[0] - h[1])) / math.log(q[2] / q[1])
        b = (h[0] - h[1]) / q[1] ** c
        return q, h, (lambda x: h[0] - b * x**c)
    ref = (lambda x, q=q, h=h: np.interp(x, q, h))
    if q.size == 2:
        q, h = np.array([q[0], q.mean(), q[1]]), np.array([h[0], h.mean(), h[1]])
    return q, h, ref


def power_of(power_w: float, rg: float) -> float:
    """Hydraulic power [W] of our constant-power pump that gives EPANET's head
    of a POWER pump of ``power_w`` [W]: EPANET's head is 8.814 P[hp] / Q[cfs]
    ft (8.814 = 550 / 62.4: its specific weight of water, 62.4 lbf/ft³, not
    ρ g_E; both scale by speed³), our rise P'/Q = ρ g_E H."""
    return power_w / HP_W * EPANET_HP_HEAD * 0.3048**4 * rg


def to_network(wn, pump_check_valves: bool = True) -> Converted:
    """Build the narvik_thermal network of ``wn`` at t = 0 (see the module notes)."""
    import wntr
    from narvik_thermal.components.pump import curve_head, fit_quadratic_curve

    LS = wntr.network.LinkStatus
    opts = wn.options.hydraulic
    nu = NU_WATER * (opts.viscosity or 1.0)
    unrep, notes, curve_err = [], [], {}
    if str(opts.demand_model).upper() in ("PDD", "PDA"):
        unrep.append("pressure-driven demand model (demands depend on the solved pressure)")
    rg = RHO * G_EPANET

    z = {n: float(getattr(nd, "elevation", 0.0) or 0.0) for n, nd in wn.nodes()}
    fixed = {}
    for n, r in wn.reservoirs():
        fixed[n] = z[n] = float(r.head_timeseries.at(0))     # open water surface
    for n, t in wn.tanks():
        fixed[n] = t.elevation + t.init_level
    demand = {}
    for n, j in wn.junctions():
        d = float(j.demand_timeseries_list.at(0, multiplier=opts.demand_multiplier))
        if d != 0.0:
            demand[n] = d
        if j.emitter_coefficient:
            unrep.append(f"emitter at junction {n!r} (outflow depends on the solved pressure)")

    edges = []          # (kind, name, start, end, kwargs)
    edge_of = {}
    mid_z = {}

    def series_cv(link, s, e):
        mid = f"{link}:cv"
        mid_z[mid] = z[e]
        edges.append(("valve", f"{link}:check", mid, e, dict(kvs=Q_(CV_KVS, "m^3/h"), check=True)))
        return mid

    for name, p in wn.pipes():
        edge_of[name] = None
        if p.initial_status == LS.Closed:
            continue
        s, e = p.start_node_name, p.end_node_name
        if p.check_valve:
            e = series_cv(name, s, e)
        edges.append(("pipe", name, s, e, dict(
            length=Q_(p.length, "m"), diameter=Q_(p.diameter, "m"),
            roughness=Q_(p.roughness, "m"), minor_loss=float(p.minor_loss or 0.0))))
        edge_of[name] = name
    for name, p in wn.pumps():
        edge_of[name] = None
        if p.initial_status == LS.Closed:
            continue
        if p.speed_timeseries.pattern is not None:
            speed = float(p.speed_timeseries.pattern.at(0))
        elif isinstance(p.initial_setting, (int, float)):
            speed = float(p.initial_setting)
        else:
            speed = float(p.speed_timeseries.base_value)
        if speed <= 0:
            continue
        s, e = p.start_node_name, p.end_node_name
        if pump_check_valves:
            e = series_cv(name, s, e)
        if p.pump_type == "POWER":
            edges.append(("pump", name, s, e, dict(power=Q_(power_of(p.power, rg), "W"),
                                                   speed=speed, heat_to_fluid=False)))
            edge_of[name] = name
            continue
        q, h, ref = _pump_points(p.get_pump_curve().points)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)      # the fit reports its deviation
            c = fit_quadratic_curve(q, h)
        x = np.linspace(0.0, q[-1], 201)
        curve_err[name] = float(np.max(np.abs(curve_head(c.a0, c.a1, c.a2, x, 1.0)
                                              - ref(x))))
        edges.append(("pump", name, s, e, dict(curve=(Q_(q, "m^3/s"), Q_(rg * h, "Pa")),
                                               speed=speed, heat_to_fluid=False)))
        edge_of[name] = name
    for name, v in wn.valves():
        edge_of[name] = None
        st, vt = v.initial_status, v.valve_type
        if st == LS.Closed:
            continue
        s, e = v.start_node_name, v.end_node_name
        A = math.pi * v.diameter**2 / 4
        if vt == "TCV" or (st == LS.Open and vt in ("PRV", "PSV", "PBV", "FCV")):
            K = float(v.initial_setting) if vt == "TCV" and st != LS.Open else float(v.minor_loss)
            K = max(K, K_OPEN_MIN)
            edges.append(("valve", name, s, e, dict(kvs=Q_(3600 * A * math.sqrt(200 / K),
                                                          "m^3/h"))))
        elif vt in ("PRV", "PSV"):
            K = max(float(v.minor_loss), K_OPEN_MIN)
            edges.append((vt, name, s, e, dict(
                kvs=Q_(3600 * A * math.sqrt(200 / K), "m^3/h"),
                setting=Q_(P_ATM + rg * float(v.initial_setting), "Pa"),
                rangeability=PRV_RANGEABILITY)))
        elif vt == "PBV":
            edges.append(("PBV", name, s, e, dict(drop=Q_(rg * float(v.initial_setting), "Pa"))))
        elif vt == "FCV":
            edges.append(("fixed_flow", name, s, e,
                          dict(flow=Q_(float(v.initial_setting), "m^3/s"), heat_to_fluid=False)))
            notes.append(f"FCV {name!r} imposes its setting {v.initial_setting:.4g} m³/s (an "
                         "EPANET FCV opens fully when the network cannot deliver it)")
        else:
            unrep.append(f"{vt} {name!r} (status {st.name}, setting {v.initial_setting:.4g}): "
                         "no head-curve valve in the library")
            continue
        edge_of[name] = name

    # islands left by closed links: keep components with a fixed head
    names = sorted({n for _, _, s, e, _ in edges for n in (s, e)})
    idx = {n: i for i, n in enumerate(names)}
    parent = list(range(len(names)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, _, s, e, _ in edges:
        parent[root(idx[s])] = root(idx[e])
    anchored = {root(idx[n]) for n in fixed if n in idx}
    keep = {n for n in names if root(idx[n]) in anchored}
    lost = [n for n in demand if n not in keep]
    if lost:
        unrep.append(f"{len(lost)} junction(s) with demand cut off from every tank and "
                     f"reservoir by closed links or the elements above (e.g. {lost[0]!r})")
    dropped = [n for n in wn.node_name_list if n not in keep]
    if dropped:
        notes.append(f"{len(dropped)} node(s) cut off from every fixed head are left out "
                     f"(e.g. {dropped[0]!r})")

    net = None
    if not unrep:
        net = nt.Network(getattr(wn, "name", "epanet") or "epanet", fluid=const_fluid(nu))
        zz = {**z, **mid_z}
        for n in names:
            if n in keep:
                net.add_node(n, elevation=Q_(zz[n] * G_EPANET / G_OURS, "m"))
        for kind, name, s, e, kw in edges:
            if s not in keep:
                edge_of[name] = None
                continue
            if kind == "pipe":
                net.add_pipe(name, s, e, **kw)
            elif kind == "pump":
                net.add_pump(name, s, e, **kw)
            elif kind == "fixed_flow":
                net.add_pump(name, s, e, **kw)
            elif kind == "PRV":
                net.add_pressure_reducing_valve(name, s, e, **kw)
            elif kind == "PSV":
                net.add_pressure_sustaining_valve(name, s, e, **kw)
            elif kind == "PBV":
                net.add_pressure_breaker_valve(name, s, e, **kw)
            else:
                net.add_valve(name, s, e, **kw)
        for n, H in fixed.items():
            if n in keep:
                net.add_pressure_boundary(n, pressure=Q_(P_ATM + rg * (H - z[n]), "Pa"),
                                          temperature=T_REF)
        for n, d in demand.items():
            net.add_flow_boundary(n, mass_flow=Q_(-d, "m^3/s"), temperature=T_REF)

    return Converted(net=net, edge_of=edge_of, nodes=[n for n in wn.node_name_list if n in keep],
                     elevation=z, unrepresentable=unrep, notes=notes, curve_error=curve_err)


def heads(conv: Converted, result) -> dict:
    """Our heads [m] at the EPANET nodes, H = z + (p − p_atm) / (ρ g_E)."""
    p = result.nodes["pressure"].to_series()
    return {n: conv.elevation[n] + (float(p[n]) - P_ATM) / (conv.rho * G_EPANET)
            for n in conv.nodes}


def flows(conv: Converted, result) -> dict:
    """Our volume flows [m³/s] of the EPANET links (0 for omitted links)."""
    q = result.edges["volume_flow"].to_series()
    return {link: (float(q[e]) if e is not None else 0.0) for link, e in conv.edge_of.items()}


def compare(conv: Converted, result, run: EpanetRun) -> dict:
    """Largest head deviation over the head range and flow deviation over the
    largest flow, with where they occur."""
    h = heads(conv, result)
    dh = {n: abs(h[n] - run.head[n]) for n in conv.nodes}
    h_ep = np.array([run.head[n] for n in conv.nodes])
    q = flows(conv, result)
    dq = {k: abs(q[k] - run.flow[k]) for k in q}
    n_h = max(dh, key=dh.get)
    n_q = max(dq, key=dq.get)
    return dict(dh=dh[n_h], node=n_h, h_range=float(np.ptp(h_ep)),
                dq=dq[n_q], link=n_q, q_max=max(abs(v) for v in run.flow.values()))
