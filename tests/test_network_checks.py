"""The checks of a solved state (``narvik_thermal.network.checks``) are the checks they
were before their shortcuts: the fluids' ranges checked in one pass over all nodes
before fluid after fluid, and the topology they read gathered once per compiled network.

The fluids' flags are compared with the per-fluid loop they replaced (kept here as the
reference), on many random states and fluid bounds; the gathered topology is shown to
follow the compiled network's arrays.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.components.cold_plate import chip_temperatures
from narvik_thermal.network.checks import Flag, circuit_balances, physics_flags
from narvik_thermal.solvers.coupled import FluidMap

Q_ = nt.Q_
FLUID_KINDS = ("freezing", "property_range", "boiling")


def two_fluids(fw_flow=Q_(0.05, "kg/s")):
    """A glycol loop (cold plate, curve pump, expansion tank) cooled by a heat exchanger
    to a once-through water stream (``fw_flow``, mass or volume): two circuits of two
    fluids."""
    net = nt.Network("two-fluids")
    net.add_pipe("p1", "s0", "s1", length=Q_(2, "m"), diameter=Q_(40, "mm"))
    net.add_cold_plate("gpu", "s1", "r1", heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
    net.add_heat_exchanger("hx", hot=("r1", "hx_out"), cold=("fw_in", "fw_out"),
                           ua=Q_(0.4, "kW/K"))
    net.add_pump("pump", "hx_out", "s0", curve=(Q_([0, 2, 4], "L/min"), Q_([3, 2.5, 1.2], "m")))
    net.add_expansion_tank("s0", pressure=Q_(2, "bar"))
    net.set_fluid("s0", nt.fluids.propylene_glycol(0.25))
    net.add_pipe("fw", "fw_out", "fw_sink", length=Q_(5, "m"), diameter=Q_(20, "mm"))
    net.add_pressure_boundary("fw_sink", pressure=Q_(1, "atm"), temperature=Q_(20, "degC"))
    net.add_flow_boundary("fw_in", mass_flow=fw_flow, temperature=Q_(20, "degC"))
    net.set_fluid("fw_in", nt.fluids.water())
    return net


def flag_rows(flags, kinds=FLUID_KINDS):
    """The flags (of ``kinds``; None: all) as comparable tuples."""
    return [(f.kind, f.elements, f.count, f.message, f.n_elements) for f in flags
            if kinds is None or f.kind in kinds]


def reference_fluid_flags(fm, T, p, node_names):
    """The fluids' flags as the checks made them before, fluid after fluid."""
    flags = []

    def add(kind, mask_idx, names, values, fmt, msg):
        if mask_idx.size == 0:
            return
        order = np.argsort(values)[::-1][:20]
        els = tuple(names[k] for k in mask_idx[order])
        worst = fmt(values[order[0]])
        units = int(float(mask_idx.size))
        flags.append(Flag(kind, els, units,
                          msg.format(n=f"{units:,}", on="", first=els[0], worst=worst),
                          int(mask_idx.size)))

    nn = node_names
    for fl, sel in zip(fm.fluids, fm.node_sel):
        if not sel.size:
            continue
        tmin = float(getattr(fl, "t_min", 0.0))
        tmax = float(getattr(fl, "t_max", np.inf))
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
    return flag_rows(flags)


class StandIn:
    """A fluid as the checks read it: bounds, a name and (optionally) a boiling curve
    rising with pressure."""

    def __init__(self, name, t_min, t_max, freezing, p_max, boils):
        self.name, self.t_min, self.t_max, self.p_max = name, t_min, t_max, p_max
        if freezing is not None:
            self.freezing_temperature = freezing
        if boils:
            self.boiling_temperature_p = lambda p, check=True: 373.15 + 20.0 * np.log(p / 1e5)


@pytest.fixture(scope="module")
def solved():
    res = two_fluids().solve(warn=False)
    cn, st = res.compiled, res.state
    return cn, st, chip_temperatures(cn, st)


def random_fluids(rng, n_nodes):
    """Two to four stand-in fluids over a random partition of the nodes (one may have
    none), with bounds that are sometimes NaN, freezing points above and below the
    tables' lower ends, and without a boiling curve or a freezing point now and then."""
    k = int(rng.integers(2, 5))
    owner = rng.integers(0, k, n_nodes)
    if rng.random() < 0.3:
        owner[owner == k - 1] = 0                        # a fluid of no node
    fluids = []
    for j in range(k):
        t_min = 260.0 + 20.0 * rng.random()
        freezing = (None if rng.random() < 0.3 else
                    t_min + rng.choice([-5.0, 0.0, 3.0]) if rng.random() < 0.9 else np.nan)
        t_max = np.nan if rng.random() < 0.05 else 360.0 + 40.0 * rng.random()
        p_max = np.inf if rng.random() < 0.5 else 3e5 + 3e5 * rng.random()
        if rng.random() < 0.05:
            t_min = np.nan
        fluids.append(StandIn(f"fluid{j}", t_min, t_max, freezing, p_max, rng.random() < 0.8))
    return SimpleNamespace(fluids=fluids,
                           node_sel=[np.flatnonzero(owner == j) for j in range(k)])


def test_fluid_flags_equal_the_per_fluid_loop(solved):
    cn, st, chip = solved
    rng = np.random.default_rng(20)
    n = cn.n_nodes
    seen = set()
    for trial in range(400):
        fm = random_fluids(rng, n)
        # mostly inside every bound (the one-pass shortcut), else a few nodes pushed
        # below freezing or the tables, above them, above their pressure, or boiling
        T = 290.0 + 40.0 * rng.random(n)
        p = 1.5e5 + 1e5 * rng.random(n)
        if rng.random() < 0.6:
            hit = rng.choice(n, size=int(rng.integers(1, 4)), replace=False)
            T[hit] = rng.choice([250.0, 262.0, 268.0, 275.0, 395.0, 420.0, np.nan], hit.size)
            p[hit] = rng.choice([5e4, 2e5, 7e5, 2e6], hit.size)
        state = dataclasses.replace(st, temperature=T, pressure=p)
        want = reference_fluid_flags(fm, T, p, cn.node_names)
        got = flag_rows(physics_flags(cn, fm, state, chip))
        assert got == want, trial
        seen.update(r[0] for r in want)
        # again with the bounds kept from the call before (the same fluids and values)
        assert flag_rows(physics_flags(cn, fm, state, chip)) == want
    assert seen == set(FLUID_KINDS)           # every kind was found in some trial


def test_checks_of_a_copy_read_its_own_arrays(solved):
    # a compiled network copied with other arrays shares the cache of the original (the
    # same dict): the checks gather the copy's own topology, not the original's
    cn, st, chip = solved
    fm = FluidMap(cn)
    p = st.pressure.copy()
    p[cn.node_index["s1"]] = 0.5e5                    # a glycol node below 1 atm
    low = dataclasses.replace(st, pressure=p)
    assert "sub_atmospheric" in {f.kind for f in physics_flags(cn, fm, low, chip)}
    base = circuit_balances(cn, low)
    # the expansion tank taken for a pressure boundary: its circuit is open, not checked,
    # and it takes or gives flow
    opened = dataclasses.replace(cn, is_tank=np.zeros_like(cn.is_tank))
    assert opened.cache is cn.cache
    fresh = dataclasses.replace(opened, cache={})
    assert "sub_atmospheric" not in {f.kind for f in physics_flags(opened, fm, low, chip)}
    assert flag_rows(physics_flags(opened, fm, low, chip), None) == \
        flag_rows(physics_flags(fresh, fm, low, chip), None)
    assert circuit_balances(opened, low) == circuit_balances(fresh, low)
    # and the original is still checked with its own
    assert "sub_atmospheric" in {f.kind for f in physics_flags(cn, fm, low, chip)}
    assert circuit_balances(cn, low) == base


def test_mass_balance_is_the_incidence_product():
    # the nodes' imbalance A @ m is accumulated column by column as SciPy's product is:
    # the same residuals to the bit, for any flows (racks on headers: nodes of many
    # edges, where another order of the sum would round otherwise)
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import fixed_flows
    res = rack_loop_network(2, plates_per_rack=12).solve(warn=False)
    cn, st = res.compiled, res.state
    rng = np.random.default_rng(3)
    open_fixed = cn.fixed_nodes[~cn.is_tank]
    _, qn = fixed_flows(cn, st.density_edge, st.density_node, st.consumers.get("flow"))
    for _ in range(50):
        m = st.mass_flow * np.exp(3 * rng.standard_normal(st.mass_flow.size))
        state = dataclasses.replace(st, mass_flow=m)
        node = np.abs(cn.incidence @ m + qn)
        node[open_fixed] = 0.0
        got = circuit_balances(cn, state)
        for c, lab in enumerate(cn.circuit_label):
            assert got[lab]["mass_residual"] == max(float(node[cn.node_circuit == c].max()), 0.0)


def test_boiling_of_fluids_of_one_curve_is_each_fluids_own():
    # water, glycol and seawater boil by water's curve: their nodes' boiling temperatures
    # are evaluated together, and must be those each fluid gives its own nodes, to the
    # bit: nodes exactly at their own fluid's boiling temperature boil, those one ulp
    # below do not (every other trial none: no flag, the group's one comparison)
    from narvik_thermal.network.synthetic import rack_loop_network
    res = rack_loop_network(2, plates_per_rack=12).solve(warn=False)
    cn, st = res.compiled, res.state
    chip = chip_temperatures(cn, st)
    fluids = [nt.fluids.water(), nt.fluids.propylene_glycol(0.25), nt.fluids.seawater(),
              nt.fluids.propylene_glycol(0.4)]
    assert all(np.array_equal(a, b) for f in fluids[1:]
               for a, b in zip(f.boiling_curve, fluids[0].boiling_curve))
    rng = np.random.default_rng(7)
    n = cn.n_nodes
    boiled = 0
    for trial in range(60):
        owner = rng.integers(0, len(fluids), n)
        fm = SimpleNamespace(fluids=fluids,
                             node_sel=[np.flatnonzero(owner == k) for k in range(len(fluids))])
        p = 3e4 + 7e4 * rng.random(n)               # boiling below the glycols' tables' end
        T = np.empty(n)
        for fl, sel in zip(fm.fluids, fm.node_sel):
            tb = fl.boiling_temperature_p(np.maximum(p[sel], 1.0), check=False)
            share = 0.3 if trial % 2 else 0.0
            T[sel] = np.where(rng.random(sel.size) < share, tb, np.nextafter(tb, -np.inf))
        state = dataclasses.replace(st, temperature=T, pressure=p)
        want = reference_fluid_flags(fm, T, p, cn.node_names)
        assert flag_rows(physics_flags(cn, fm, state, chip)) == want
        assert bool(want) == bool(trial % 2)
        boiled += sum(r[2] for r in want)
    assert boiled > 0


def test_the_screen_finds_what_each_check_finds():
    # the compiled screen says which checks find anything; each answer must be what the
    # check's own NumPy comparison finds (any element), on random states with NaN,
    # infinities, zeros and values on each threshold
    from narvik_thermal.network import _kernel_modules as kernels
    from narvik_thermal.components.kinds import HeatPumpMode
    from narvik_thermal.network.checks import (MAX_PUMP_RISE, P_ATMOSPHERE,
                                               PUMP_REVERSE_TRICKLE, STARVED_RISE)
    from narvik_thermal.solvers.thermal import STAGNANT_FLOW, stagnant_limit
    K = kernels.checks()
    CAP, OFF = int(HeatPumpMode.CAPACITY), int(HeatPumpMode.OFF)
    rng = np.random.default_rng(11)
    seen = np.zeros(K.N_SCREENS, int)

    def pick(n, values, share):
        """``values`` at a random ``share`` of ``n`` places, else 1."""
        x = np.ones(n)
        k = rng.random(n) < share
        x[k] = rng.choice(values, k.sum())
        return x

    for trial in range(300):
        N, E, share = int(rng.integers(2, 30)), int(rng.integers(2, 40)), rng.random() * 0.2
        odd = [np.nan, np.inf, -np.inf, 0.0, -0.0, -1.0, 1e-300]
        T = 300.0 + 20 * rng.standard_normal(N) * pick(N, odd, share)
        p = 2e5 * rng.random(N) * pick(N, odd + [P_ATMOSPHERE / 2e5], share)
        m = rng.standard_normal(E) * pick(E, odd, share)
        heat = rng.standard_normal(E) * pick(E, odd, share)
        out_T = 300.0 + 150 * rng.standard_normal(E) * pick(E, odd, share)
        upstream = rng.integers(0, N, E)
        start, end = rng.integers(0, N, E), rng.integers(0, N, E)
        count = rng.choice([1.0, 2.0, 72.0], E)
        rho = 1000.0 * pick(E, odd, share / 4)
        rise = 1e5 * rng.standard_normal(E) * pick(E, odd + [1e4], share)
        limits = bool(rng.random() < 0.7)
        dew = (290.0 + 20 * rng.standard_normal(N)) * pick(N, [np.nan], 0.3)
        rating = 1e5 * rng.random(N) * pick(N, [np.nan], 0.3)
        tank = rng.random(N) < 0.5
        sub = lambda k: np.sort(rng.choice(E, min(k, E), replace=False))  # noqa: E731
        plates, curve, ff = sub(int(rng.integers(0, 8))), sub(3), sub(2)
        valves, consumers, hx = sub(3), sub(4), sub(2)
        with np.errstate(all="ignore"):             # (inf - inf: NaN chips too)
            chip = out_T[plates] + 5 * rng.standard_normal(plates.size) * pick(plates.size,
                                                                                odd, share)
        chip_max = 340.0 * pick(plates.size, [np.nan, np.inf], share)
        q_max = 0.01 * pick(curve.size, odd, share)
        speed = rng.random(curve.size)
        min_dp = 5e4 * rng.random(consumers.size) * pick(consumers.size, odd, share)
        demand = 1e3 * rng.random(consumers.size) * pick(consumers.size, odd, share)
        if rng.random() < 0.5:              # delivered about what they demand, or more
            heat[consumers] = -demand * count[consumers] * rng.choice([0.999999, 1.0, 2.0])
        if rng.random() < 0.3:              # exactly the least that is not short
            heat[consumers] = -(demand * count[consumers] * (1 - 1e-6) - 1e-6)
        cond = sub(int(rng.integers(0, 3)))
        mode = rng.integers(0, 3, cond.size)
        src = rng.random(cond.size) < share
        if rng.random() < 0.5:                      # the compressor limits modelled
            dis, cpr = 350 + 40 * rng.random((2, cond.size)) * pick(cond.size, odd, share)
            dis_max, cpr_max = np.full(cond.size, 380.0), np.full(cond.size, 375.0)
        else:
            dis = cpr = dis_max = cpr_max = np.empty(0)
        if rng.random() < 0.3:                      # a condenser at the stagnant limit
            m[cond] = stagnant_limit(m) * rng.choice([1.0, 1.0000001], cond.size)
        got = K.screen(T, p, m, heat, out_T, upstream, start, end, count, rho, rise, limits,
                       dew if limits else np.empty(0), rating if limits else np.empty(0),
                       tank, P_ATMOSPHERE, chip, plates, chip_max, 1.0, hx, curve, q_max,
                       speed, PUMP_REVERSE_TRICKLE, ff, valves, MAX_PUMP_RISE, consumers,
                       min_dp, demand, STARVED_RISE, cond, mode, CAP, OFF, src, dis, dis_max,
                       cpr, cpr_max, STAGNANT_FLOW)
        with np.errstate(all="ignore"):
            Q = m[curve] / (count[curve] * rho[curve])
            qmax = q_max * speed
            dpv = p[start[valves]] - p[end[valves]]
            dpc = p[start[consumers]] - p[end[consumers]]
            want = {
                K.COLD: T <= 0.0, K.NEGATIVE_PRESSURE: p <= 0,
                K.CONDENSATION: (T < dew) if limits else np.zeros(0, bool),
                K.OVER_PRESSURE: (p - P_ATMOSPHERE - rating > 0) if limits else np.zeros(0, bool),
                K.SUB_ATMOSPHERIC: tank & (p > 0) & (p < P_ATMOSPHERE),
                K.CHIP_OVER: chip > chip_max, K.PLATE_REVERSED: m[plates] < 0,
                K.CHIP_BELOW: chip < out_T[plates] - 1.0, K.HX_REVERSED: m[hx] < 0,
                K.PUMP_OFF_CURVE: (Q > qmax * 1.0000001) | (Q < -PUMP_REVERSE_TRICKLE * qmax)
                | (rise[curve] < 0),
                K.FIXED_FLOW_RISE: np.abs(rise[ff]) > MAX_PUMP_RISE,
                K.VALVE_DROP: np.abs(dpv) > MAX_PUMP_RISE,
                K.CONSUMER_PRESSURE: dpc < min_dp,
                K.CONSUMER_HEAT: -heat[consumers] < demand * count[consumers] * (1 - 1e-6) - 1e-6,
                K.NO_FLOW_HEAT: (np.abs(m) == 0) & (np.abs(heat) > 0),
                K.STARVED_HEAT: (np.abs(m) > 0) & (np.abs(heat) > 0)
                & (np.abs(out_T - T[upstream]) > STARVED_RISE),
                K.HEAT_PUMPS: np.concatenate([
                    (mode == CAP) & ~src, src, dis > dis_max, cpr > cpr_max,
                    (mode == OFF) & ~(np.abs(m[cond]) <= stagnant_limit(m))])}
        for k, mask in want.items():
            assert got[k] == mask.any(), (trial, k)
        seen += got
    assert seen.all() and (seen < 300).all()      # every answer both ways


def reference_balances(cn, s):
    """The circuits' balances as NumPy computed them before their compiled sums."""
    from narvik_thermal.solvers import _kernel_modules as kernels
    from narvik_thermal.solvers.hydraulic import fixed_flows
    K = kernels.sparse()
    nc = cn.n_circuits
    Q, m, T = s.heat, s.mass_flow, s.temperature
    heat = np.bincount(cn.edge_circuit, weights=Q, minlength=nc)
    bc = np.zeros(cn.n_nodes, bool)
    bc[cn.fixed_nodes[~cn.is_tank]] = True
    bc[cn.flow_nodes] = True
    ext_out = np.where(bc, np.maximum(-s.supply, 0.0), 0.0)
    hr = K.group_min(s.enthalpy, cn.node_circuit, nc)[cn.node_circuit]
    h = s.enthalpy - hr
    h_ext = np.where(s.external_inflow > 0, s.external_enthalpy - hr, 0.0)
    e_in = np.bincount(cn.node_circuit, weights=s.external_inflow * h_ext, minlength=nc)
    e_out = np.bincount(cn.node_circuit, weights=ext_out * h, minlength=nc)
    resid = e_in + heat - e_out
    mmax = np.maximum(K.group_max(np.abs(m), cn.edge_circuit, nc), 0.0)
    n_c = np.bincount(cn.node_circuit, minlength=nc)
    T_c = np.bincount(cn.node_circuit, weights=T, minlength=nc) / np.maximum(n_c, 1)
    cp_c = np.array([fl.cp_pT(np.array([t]), check=False)[0]
                     for fl, t in zip(cn.circuit_fluid, T_c)])
    scale = (np.bincount(cn.edge_circuit, weights=np.abs(Q), minlength=nc)
             + np.bincount(cn.node_circuit, weights=s.external_inflow * np.abs(h_ext)
                           + ext_out * np.abs(h), minlength=nc))
    scale = np.maximum(scale, mmax * cp_c * 1.0)
    _, qn = fixed_flows(cn, s.density_edge, s.density_node, s.consumers.get("flow"))
    node_res = np.abs(cn.incidence @ m + qn)
    node_res[cn.fixed_nodes[~cn.is_tank]] = 0.0
    mres = np.maximum(K.group_max(node_res, cn.node_circuit, nc), 0.0)
    return {cn.circuit_label[c]: dict(
        mass_residual=float(mres[c]),
        mass_relative=float(mres[c] / mmax[c]) if mmax[c] > 0 else 0.0,
        energy_residual=float(resid[c]),
        energy_relative=float(abs(resid[c]) / scale[c]) if scale[c] > 0 else 0.0,
        heat_into_fluid=float(heat[c]), enthalpy_in=float(e_in[c]),
        enthalpy_out=float(e_out[c])) for c in range(nc)}


def test_balances_are_the_numpy_sums(solved):
    # the compiled sums of the balances against NumPy's, to the bit (NaN where NumPy
    # gives NaN), on states perturbed with NaN, infinities, zeros and signs
    from narvik_thermal.network.synthetic import rack_loop_network
    rack = rack_loop_network(2, plates_per_rack=12).solve(warn=False)
    volume = two_fluids(Q_(3, "L/min")).solve(warn=False)         # a volume flow boundary
    assert not volume.compiled.flow_is_mass.any()
    rng = np.random.default_rng(5)
    odd = [np.nan, np.inf, -np.inf, 0.0, -0.0, -1.0, 1e-9, 1e9]
    for cn, st in ((solved[0], solved[1]), (rack.compiled, rack.state),
                   (volume.compiled, volume.state)):
        for trial in range(60):
            share = 0.3 * rng.random() if trial % 3 else 0.0

            def shake(x):
                x = x * np.exp(rng.standard_normal(x.size))
                k = rng.random(x.size) < share
                x[k] = rng.choice(odd, k.sum())
                return x

            state = dataclasses.replace(
                st, heat=shake(st.heat), mass_flow=shake(st.mass_flow),
                density_node=shake(st.density_node),
                supply=shake(st.supply + 1e-3), enthalpy=shake(st.enthalpy),
                external_inflow=shake(st.external_inflow + 1e-3),
                external_enthalpy=shake(st.external_enthalpy),
                temperature=st.temperature - 273.15 + shake(np.full(st.temperature.size, 273.15)))
            with np.errstate(all="ignore"):
                want = reference_balances(cn, state)
            got = circuit_balances(cn, state)
            assert got.keys() == want.keys()
            for lab in want:
                for k, v in want[lab].items():
                    assert got[lab][k] == v or (np.isnan(v) and np.isnan(got[lab][k])), \
                        (trial, lab, k, got[lab][k], v)
