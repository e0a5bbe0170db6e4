"""The fused Newton steps of the hydraulics (narvik_thermal.solvers.hydraulic): a warm
solve whose laws are all compiled takes each step in two or three compiled calls
(``gga_begin``, ``gga_advance``, ``gga_finish``), the polish's solve inside them when
the nodal system was solved directly by the compiled LDLᵀ. Each network here is
solved three ways — as it runs, with the polish solved by ``NodalSolver.resolve``
(no direct factors), and by the general steps only (no compiled laws) — and the
states must agree to the last bit, with the same iterations; networks the fused steps
must decline (constant-power pumps, a Darcy group large enough for threads) solve as
before. Beside them: the parameters the compiled laws read (``law_arguments``, kept
while the groups are), the rated points' reuse of their neighbour's values, the
floor of the derivatives and the nodal solver's kept factorisation."""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.components import _hydraulic_kernels as KC
from narvik_thermal.components.hydraulics import compiled_laws, law_arguments
from narvik_thermal.components.kinds import HydraulicLaw
from narvik_thermal.correlations._cold_plate_kernels import (power_law_array,
                                                             power_law_inverse_array)
from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.plant.district_heating import Consumer, district_heating_network
from narvik_thermal.plant.heat_export import HeatExportPlant
from narvik_thermal.solvers import _hydraulic_kernels as KH
from narvik_thermal.solvers._ldl_kernels import ldl_solve
from narvik_thermal.solvers import hydraulic as H
from narvik_thermal.solvers import nodal as N

PG25 = nt.fluids.propylene_glycol(0.25)


# ------------------------------------------------------------------ networks
def mixed_network(n_pipes: int = 3, power_pump: bool = False) -> nt.Network:
    """A loop with every compiled law: a pump on a curve (or of constant power), pipes
    of each friction law (``n_pipes`` of them in a chain), cold plates side by side
    (identical pairs, and one of its own), a check valve, a throttled valve under a
    control, a shut valve, a fixed-flow pump in a branch, static heads, a set-point
    cooler and the loop's expansion tank; a second circuit with a flow boundary into
    a pressure boundary."""
    net = nt.Network("mixed", fluid=PG25)
    net.add_node("a", elevation=Q_(3, "m"))
    net.add_node("c", elevation=Q_(-2, "m"))
    if power_pump:
        net.add_pump("pump", "s0", "a", power=Q_(400, "W"))
    else:
        net.add_pump("pump", "s0", "a", curve=(Q_([0, 60, 120], "L/min"), Q_([18, 15, 8], "m")))
    laws = ("churchill", "colebrook", "swamee_jain", "haaland")
    nodes = ["a"] + [f"p{k}" for k in range(n_pipes - 1)] + ["b"]
    for k in range(n_pipes):
        net.add_pipe(f"pipe{k}", nodes[k], nodes[k + 1], length=Q_(20, "m"),
                     diameter=Q_(32, "mm"), friction=laws[k % 4], minor_loss=1.5 * (k % 2))
    plate = dict(thermal_resistance=Q_(0.025, "K/W"), rated_flow=Q_(2, "L/min"),
                 rated_pressure_drop=Q_(20, "kPa"))
    net.add_cold_plates(["g0", "g1", "g2", "g3", "g4"], ["b"] * 5, ["c"] * 5,
                        heat=Q_([1.4, 1.4, 1.0, 1.0, 0.7], "kW"), **plate)
    net.add_cold_plates(["h0", "h1"], ["b", "b"], ["c", "c"], heat=Q_(1.2, "kW"),
                        pressure_exponent=2.0, **plate)
    net.add_valve("check", "c", "d", kvs=Q_(6, "m^3/h"), check=True)
    net.add_valve("throttle", "d", "e", kvs=Q_(4, "m^3/h"), opening=0.6,
                  characteristic="equal_percentage")
    net.add_valve("shut", "b", "e", kvs=Q_(2, "m^3/h"), opening=0.0)
    net.add_pump("booster", "e", "f", flow=Q_(0.05, "kg/s"))
    net.add_pipe("bypass", "e", "f", length=Q_(5, "m"), diameter=Q_(25, "mm"))
    net.add_setpoint("cooler", "f", "s0", outlet_temperature=Q_(25, "degC"))
    net.add_expansion_tank("s0", pressure=Q_(2, "bar"))
    net.add_control("dT", actuator=("valve_opening", "throttle"),
                    target=("flow", "throttle"), setpoint=Q_(0.4, "kg/s"), bounds=(0.05, 1.0))
    net.add_pipe("fw", "fw_in", "fw_out", length=Q_(5, "m"), diameter=Q_(20, "mm"))
    net.add_flow_boundary("fw_in", mass_flow=Q_(0.05, "kg/s"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("fw_out", pressure=Q_(1, "atm"), temperature=Q_(20, "degC"))
    net.set_fluid("fw_in", nt.fluids.water())
    return net


def _heat_export():
    dh = district_heating_network([Consumer("a", Q_(1, "MW")),
                                   Consumer("b", Q_(2, "MW"), upstream="a"),
                                   Consumer("c", Q_(0.5, "MW"), upstream="a")])
    return HeatExportPlant(dh=dh)


# ------------------------------------------------------------------ three ways
def _states(results) -> list:
    out = []
    for r in results:
        conv = {k: v for k, v in r.convergence.items() if k != "seconds"}
        out.append(({k: v.values for k, v in r.nodes.data_vars.items()},
                    {k: v.values for k, v in r.edges.data_vars.items()}, repr(conv)))
    return out


def _same(a, b) -> None:
    assert len(a) == len(b)
    for (na, ea, ca), (nb, eb, cb) in zip(a, b):
        for x, y in ((na, nb), (ea, eb)):
            assert x.keys() == y.keys()
            for k in x:
                np.testing.assert_array_equal(x[k], y[k], err_msg=k)
        assert ca == cb


def _run(solves, monkeypatch, way):
    """The results of ``solves()`` solved ``way``: "fused" as it runs, "resolve" with the
    polish solved by NodalSolver.resolve, "general" without the fused steps; and how
    many times each fused kernel ran."""
    calls = {"gga_begin": 0, "gga_advance": 0, "gga_finish": 0}

    class Counted:
        # the kernels as the solver reaches them, the fused ones counted (the module's
        # own are left alone: a kernel that calls another one, gga_advance calling
        # gga_finish, must find a compiled function there when it compiles)
        def __getattr__(self, name):
            kernel = getattr(KH, name)
            if name not in calls:
                return kernel

            def counted(*args):
                calls[name] += 1
                return kernel(*args)
            return counted
    with monkeypatch.context() as mp:
        mp.setattr(H.kernels, "hydraulic", lambda: Counted())
        if way == "resolve":
            mp.setattr(N.NodalSolver, "direct_factors", lambda self: None)
        elif way == "general":
            mp.setattr(H, "compiled_laws", lambda cn: False)
        return solves(), calls


def _three_ways(solves, monkeypatch):
    fused, c_fused = _run(solves, monkeypatch, "fused")
    resolve, c_resolve = _run(solves, monkeypatch, "resolve")
    general, c_general = _run(solves, monkeypatch, "general")
    _same(_states(fused), _states(general))
    _same(_states(resolve), _states(general))
    assert not any(c_general.values())
    return c_fused, c_resolve


def _network_solves(build, change):
    """A cold solve, a warm one after ``change`` (an update), and a warm one again."""
    def solves():
        net = build()
        r0 = net.solve(warn=False)
        change(net)
        r1 = net.solve(initial=r0, warn=False)
        return [r0, r1, net.solve(initial=r1, warn=False)]
    return solves


def test_mixed_network_three_ways(monkeypatch):
    def change(net):
        net.update("throttle", opening=0.9)
        net.update(["g0", "g1"], heat=Q_(2.0, "kW"))
    c_fused, c_resolve = _three_ways(_network_solves(mixed_network, change), monkeypatch)
    assert c_fused["gga_begin"] > 5 and c_fused["gga_advance"] >= c_fused["gga_begin"]
    assert c_fused["gga_finish"] < c_fused["gga_advance"]          # mostly in one call
    assert c_resolve["gga_finish"] == c_resolve["gga_advance"]      # never in one


def test_rack_loop_three_ways(monkeypatch):
    def change(net):
        net.update(["r0.gpu0", "r0.gpu1"], heat=Q_(2.0, "kW"))
    c_fused, _ = _three_ways(_network_solves(lambda: rack_loop_network(3, 4), change),
                             monkeypatch)
    assert c_fused["gga_begin"] > 0


def test_heat_export_plant_three_ways(monkeypatch):
    # consumers' imposed flows, a regulated fixed-rise pump, buried pipes with heat loss
    def solves():
        return [_heat_export().solve(warn=False).network_result]
    c_fused, _ = _three_ways(solves, monkeypatch)
    assert c_fused["gga_begin"] > 0


@pytest.mark.parametrize("build", [lambda: mixed_network(power_pump=True),
                                   lambda: mixed_network(n_pipes=520)],
                         ids=["constant-power-pump", "darcy-group-on-threads"])
def test_fused_steps_decline(build, monkeypatch):
    net = build()
    assert not compiled_laws(net.compile())

    def change(net):
        net.update("throttle", opening=0.9)
    c_fused, _ = _three_ways(_network_solves(build, change), monkeypatch)
    assert not any(c_fused.values())


def test_plain_networks_take_the_fused_steps():
    cn = mixed_network().compile()
    assert compiled_laws(cn) and compiled_laws(rack_loop_network(2, 3).compile())


# ------------------------------------------------------------------ law arguments
def test_law_arguments_are_kept_while_the_groups_are():
    net = mixed_network()
    cn = net.compile()
    args = law_arguments(cn)
    assert law_arguments(cn) is args
    # an actuator moved in place (the controls do) is read through the same arrays
    valves = cn.hgroups[HydraulicLaw.VALVE_KV]
    k = int(np.flatnonzero(valves.idx == cn.edge_index["throttle"])[0])
    valves.params["opening"][k] = 0.3
    assert law_arguments(cn)[12][k] == 0.3
    # Network.update gathers new groups at the next compile: the arguments follow
    net.update("throttle", opening=0.7)
    cn2 = net.compile()
    assert cn2.hgroups is not args and law_arguments(cn2) is not args
    valves = cn2.hgroups[HydraulicLaw.VALVE_KV]
    k = int(np.flatnonzero(valves.idx == cn2.edge_index["throttle"])[0])
    assert law_arguments(cn2)[12][k] == 0.7
    assert law_arguments(cn2) is law_arguments(cn2)


def test_law_arguments_of_converted_parameters_are_not_kept():
    cn = mixed_network().compile()
    valves = cn.hgroups[HydraulicLaw.VALVE_KV]
    valves.params["opening"] = valves.params["opening"].astype(np.float32)
    cn.cache.pop("law_arguments", None)
    a, b = law_arguments(cn), law_arguments(cn)
    assert a is not b and a[12].dtype == np.float64
    np.testing.assert_array_equal(a[12], valves.params["opening"])


# ------------------------------------------------------------------ rated points
def _rated(n, rng, dup):
    """Rated-point factors and flows with runs of identical units (``dup``), zeros of
    both signs, reverse flows and a NaN among them."""
    inv = rng.uniform(1e-4, 1e-3, n)
    dpr = rng.uniform(1e4, 4e4, n)
    Vr = rng.uniform(1e-5, 1e-4, n)
    ex = rng.choice([1.8, 2.0, 1.75], n)
    m = rng.uniform(-0.05, 0.3, n)
    for k in range(1, n):
        if dup[k]:
            for x in (inv, dpr, Vr, ex, m):
                x[k] = x[k - 1]
    m[3], m[4] = 0.0, -0.0
    inv[4], dpr[4], Vr[4], ex[4] = inv[3], dpr[3], Vr[3], ex[3]
    m[9] = np.nan
    m[10], inv[10], dpr[10], Vr[10], ex[10] = np.nan, inv[9], dpr[9], Vr[9], ex[9]
    return inv, dpr, Vr, ex, m


def test_rated_points_reuse_their_neighbours_values_to_the_bit():
    rng = np.random.default_rng(7)
    n = 400
    inv, dpr, Vr, ex, m = _rated(n, rng, rng.random(n) < 0.6)
    idx = np.arange(n, dtype=np.int64)
    r, d = np.zeros(n), np.zeros(n)
    KC.power_law_losses(m, idx, inv, dpr, Vr, ex, r, d)
    dp, dd = power_law_array(m * inv, dpr, Vr, ex)
    np.testing.assert_array_equal(r.view(np.int64), dp.view(np.int64))
    np.testing.assert_array_equal(d.view(np.int64), (dd * inv).view(np.int64))


def test_rated_point_overshoot_reuses_its_neighbours_flow_to_the_bit():
    rng = np.random.default_rng(11)
    n, nodes = 300, 40
    inv, dpr, Vr, ex, _ = _rated(n, rng, rng.random(n) < 0.6)
    idx = np.arange(n, dtype=np.int64)
    start = rng.integers(0, nodes, n).astype(np.int64)
    end = (start + rng.integers(1, nodes, n)) % nodes
    dup = rng.random(n) < 0.6
    for k in range(1, n):                  # identical units between the same nodes
        if dup[k]:
            start[k], end[k] = start[k - 1], end[k - 1]
    free_pos = np.where(rng.random(n) < 0.1, -1, np.arange(n)).astype(np.int64)
    p = rng.uniform(-3e4, 3e4, nodes)
    b = rng.uniform(-100, 100, n)
    b[dup] = np.roll(b, 1)[dup]
    m_new = rng.uniform(-0.2, 0.6, n)
    res = rng.standard_normal(nodes)
    m1, res1 = m_new.copy(), res.copy()
    cnt = KH.rated_point_overshoot(idx, free_pos, start, end, p, b, dpr, Vr, ex, inv, 1.5,
                                   m1, res1)
    # the reference: every law's flow evaluated, the replacement applied in order
    loss = b - (p[end] - p[start])
    m_law = power_law_inverse_array(loss, dpr, Vr, ex) / inv
    sel = (free_pos >= 0) & (m_new * m_law > 0.0) & (np.abs(m_new) > 1.5 * np.abs(m_law))
    m2, res2 = m_new.copy(), res.copy()
    dms = (m_law - m_new)[sel]
    m2[sel] += dms
    for e, x in zip(idx[sel], dms):
        res2[end[e]] += x
    for e, x in zip(idx[sel], dms):
        res2[start[e]] -= x
    assert cnt == int(sel.sum()) > 10
    np.testing.assert_array_equal(m1.view(np.int64), m2.view(np.int64))
    np.testing.assert_array_equal(res1.view(np.int64), res2.view(np.int64))


# ------------------------------------------------------------------ the floor
@pytest.mark.parametrize("by_flow", [True, False])
def test_floor_reference_is_the_numpy_median(by_flow):
    rng = np.random.default_rng(5)
    E = 300
    for trial in range(30):
        d = rng.standard_normal(E) * 10.0 ** rng.integers(-6, 12, E)
        m = rng.standard_normal(E) * 10.0 ** rng.integers(-40, 2, E)
        if trial % 7 == 3:
            m[rng.integers(E)] = np.nan
        free = np.sort(rng.choice(E, 250, replace=False)).astype(np.int64)
        resistive = rng.random(E) < 0.8
        sel = free[resistive[free]]
        if by_flow and sel.size:
            am = np.abs(m[sel])
            sel = sel[am > 1e-6 * float(np.max(am))]
        vals = d[sel]
        pos = vals[(vals > 0) & (vals < 1e9)]
        want = 1e-5 * (float(np.median(pos)) if pos.size else 1.0)
        assert KH.floor_reference(d, m, free, resistive, by_flow, 1e-6, 1e9) == want


# ------------------------------------------------------------------ the nodal solver
def _nodal_system(seed):
    """A small rack network, random conductances and right-hand side, a fresh solver."""
    cn = rack_loop_network(3, 4).compile()
    rng = np.random.default_rng(seed)
    w, b = rng.uniform(0.5, 2.0, cn.free_edges.size), rng.random(cn.unknown_nodes.size)
    return cn, rng, w, b, N.NodalSolver(cn, "ldl")


def test_a_second_solve_with_the_same_matrix_keeps_the_kept_copy():
    cn, rng, w, b, s = _nodal_system(3)
    x = s.solve(w, b)
    kept = cn.cache["nodal_factor"]
    assert kept.w is not w and np.array_equal(kept.w, w)
    factors = s.direct_factors()
    assert factors is not None
    y = s.resolve(2 * b)
    assert cn.cache["nodal_factor"] is kept
    np.testing.assert_array_equal(y, ldl_solve(*factors, 2 * b))
    np.testing.assert_array_equal(x, ldl_solve(*factors, b))
    # another solver's factorisation replaces it; this one's next solve keeps its own
    other = N.NodalSolver(cn, "ldl")
    other.solve(w * rng.uniform(0.1, 10.0, w.size), b)
    assert cn.cache["nodal_factor"] is not kept
    w3 = w * rng.uniform(0.1, 10.0, w.size)
    s.solve(w3, b)
    assert cn.cache["nodal_factor"].w is not w3 and np.array_equal(cn.cache["nodal_factor"].w, w3)


def test_direct_factors_only_after_a_direct_solve():
    cn, rng, w, b, s = _nodal_system(4)
    assert s.direct_factors() is None                     # no system yet
    s.solve(w, b)
    assert s.direct_factors() is not None
    # a nearby matrix: solved by iterations preconditioned with the kept factorisation
    t = N.NodalSolver(cn, "ldl")
    w2 = w * (1.0 + 1e-6 * rng.standard_normal(w.size))
    t.solve(w2, b)
    assert not t.direct and t.direct_factors() is None
    for method in ("splu", "qdldl"):
        u = N.NodalSolver(cn, method)
        u.solve(w, b)
        assert u.direct_factors() is None


def test_fixed_flows_follow_the_pumps_moved_in_place_and_updated():
    # the imposed flows' arguments are kept while the groups are: a fixed-flow pump's
    # flow moved in place (a pump_flow control) and one updated are both read
    net = mixed_network()
    cn = net.compile()
    rho_e, rho_n = np.full(cn.n_edges, 1000.0), np.full(cn.n_nodes, 1000.0)
    grp = cn.hgroups[HydraulicLaw.FIXED_FLOW]
    k = int(np.flatnonzero(cn.fixed_flow_edges == cn.edge_index["booster"])[0])
    assert H.fixed_flows(cn, rho_e, rho_n)[0][k] == 0.05
    grp.params["fixed_flow"][0] = 0.07
    assert H.fixed_flows(cn, rho_e, rho_n)[0][k] == 0.07
    net.update("booster", flow=Q_(0.03, "kg/s"))
    cn2 = net.compile()
    assert H.fixed_flows(cn2, rho_e, rho_n)[0][k] == 0.03


def test_factorise_and_solve_in_one_call_is_the_two_calls():
    # the compiled LDLᵀ's factorisation with the solve of its right-hand side in one call
    # (the decline path of the nodal solver) gives the factors and the solution of the
    # two calls to the bit; after a pivot that is not positive, no solution
    from narvik_thermal.solvers import _ldl_kernels as KL
    cn, rng, w, b, s = _nodal_system(6)
    s.solve(w, b)
    a = N.ldl_analysis(cn)
    one = KL.ldl_refactor_solve(a.n, a.Ap, a.Ai, a.Lp, a.parent, a.Ax.size, *a.terms, w,
                                a.order, b)
    k, Li, Lx, D = KL.ldl_refactor(a.n, a.Ap, a.Ai, a.Lp, a.parent, a.Ax.size, *a.terms, w)
    assert one[0] == k == a.n
    for x, y in zip(one[1:4], (Li, Lx, D)):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(one[4], ldl_solve(a.n, a.Lp, Li, Lx, D, a.order, b))
    bad = w.copy()
    bad[:] = -1.0
    k, *_, x = KL.ldl_refactor_solve(a.n, a.Ap, a.Ai, a.Lp, a.parent, a.Ax.size, *a.terms,
                                     bad, a.order, b)
    assert k < a.n and x.size == 0


def test_boundary_inflows_are_the_fixed_flows_q():
    # the flow boundaries' inflows alone (what the heat transport needs) are the q of
    # fixed_flows to the bit: a mass flow and volume flows at the nodes' densities
    net = mixed_network()
    net.add_pipe("v", "v_in", "v_out", length=Q_(3, "m"), diameter=Q_(15, "mm"))
    net.add_flow_boundary("v_in", mass_flow=Q_(0.2, "L/s"), temperature=Q_(30, "degC"))
    net.add_pressure_boundary("v_out", pressure=Q_(1, "atm"), temperature=Q_(30, "degC"))
    cn = net.compile()
    rng = np.random.default_rng(9)
    rho_e, rho_n = rng.uniform(990, 1030, cn.n_edges), rng.uniform(990, 1030, cn.n_nodes)
    q = H.fixed_flows(cn, rho_e, rho_n, np.zeros(0))[1]
    assert np.count_nonzero(q) == 2
    np.testing.assert_array_equal(H.boundary_inflows(cn, rho_n), q)


# ------------------------------------------------------------------ kept constants
@pytest.mark.parametrize("build", [mixed_network, lambda: rack_loop_network(3, 4),
                                   lambda: _heat_export().build()],
                         ids=["mixed", "rack-loop", "heat-export"])
def test_kept_constants_are_the_law_constants_to_the_bit(build):
    # the laws' constants gga_begin keeps in the caller's buffers for the later steps
    # read back (as views) to the bit, with the groups of each network, empty ones too
    cn = build().compile()
    rng = np.random.default_rng(2)
    rho, mu = rng.uniform(990, 1030, cn.n_edges), rng.uniform(4e-4, 2e-3, cn.n_edges)
    count = np.asarray(cn.count, dtype=float)
    law = law_arguments(cn)
    want = KC.law_constants(count, rho, mu, *law[:25])
    sizes = [law[k].size for k in (0, 5, 8, 10, 16)]
    nd, npl, nc, nv, nf = sizes
    kept, flags = np.full(5 * nd + 2 * npl + nc + nv + nf, np.nan), np.empty(2 * nv, np.bool_)
    KC.keep_constants(want, kept, flags)
    assert not np.isnan(kept).any()
    got = KC.kept_constants(kept, flags, *sizes)
    assert len(got) == len(want)
    for x, y in zip(got, want):
        assert x.dtype == y.dtype and x.shape == y.shape
        np.testing.assert_array_equal(x.view(np.uint8), y.view(np.uint8))
