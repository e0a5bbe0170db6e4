"""The compiled steps of the coupled solve's outer iteration
(narvik_thermal.solvers._outer_kernels, the fused heat laws and consumer states of
narvik_thermal.components, the simultaneous controls' fused steps): each must give, bit
for bit, what the NumPy expressions and smaller compiled calls it replaced give, on
states of solved networks (a heat-export plant with a heat pump, consumers and an
exchanger; a loop with every hydraulic law; racks on an exchanger) and on random
arrays; and a solve through them must equal, bit for bit, one through the general
paths they fall back to."""

from __future__ import annotations

import numpy as np
import pytest
from test_hydraulic_fused_steps import mixed_network

from narvik_thermal import Q_
from narvik_thermal.components import thermal as TH
from narvik_thermal.components.kinds import HydraulicLaw, ThermalLaw
from narvik_thermal.components.pump import G
from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.plant.district_heating import Consumer, district_heating_network
from narvik_thermal.plant.heat_export import HeatExportPlant
from narvik_thermal.solvers import _control_kernels as KC
from narvik_thermal.solvers import _hydraulic_kernels as KH
from narvik_thermal.solvers import _outer_kernels as KO
from narvik_thermal.solvers import _thermal_kernels as KT
from narvik_thermal.solvers import control_steps as CS
from narvik_thermal.solvers import coupled as C
from narvik_thermal.solvers.thermal import STAGNANT_FLOW, stagnant_limit


def _bits(a) -> bytes:
    return np.ascontiguousarray(a).tobytes()


def _solved(name):
    """``(cn, fm, state)`` of a solved network."""
    if name == "heat_export":
        dh = district_heating_network([Consumer("a", Q_(1, "MW")),
                                       Consumer("b", Q_(2, "MW"), upstream="a"),
                                       Consumer("c", Q_(0.5, "MW"), upstream="a")])
        res = HeatExportPlant(dh=dh).solve().network_result
    elif name == "mixed":
        res = mixed_network().solve(warn=False)
    else:
        res = rack_loop_network(3, plates_per_rack=4).solve(warn=False)
    cn = res.compiled
    return cn, cn.cache["fluid_map"], res.state


NETWORKS = ["heat_export", "mixed", "racks"]


def _outlet_edges(cn):
    """The exchangers' sides, and those with the heat pumps' evaporators (sorted)."""
    hx = np.concatenate([cn.hx_hot, cn.hx_cold])
    return hx, np.unique(np.concatenate([hx, cn.hp_evap])).astype(np.int64)


@pytest.fixture(scope="module", params=NETWORKS)
def solved(request):
    return _solved(request.param)


def _perturbed(x, rng, scale):
    return x + scale * rng.standard_normal(x.size)


def test_edge_states_are_the_expressions_they_replace(solved):
    cn, fm, st = solved
    rng = np.random.default_rng(1)
    hx, _ = _outlet_edges(cn)
    boundary, T_bc = C.boundary_temperatures(cn)
    h_bc = fm.node("enthalpy_T", T_bc)
    look = fm.tables.lookup_arguments()
    rows = fm.tables.row("enthalpy"), fm.tables.row("cp")
    amb = cn.tgroups[ThermalLaw.AMBIENT]
    ambient = (np.ascontiguousarray(amb.idx, dtype=np.int64) if len(amb)
               else np.zeros(0, np.int64))
    # a state, one with some flows reversed and temperatures beyond the tables, and one
    # with the ambient pipes stagnant
    m2 = st.mass_flow * np.where(rng.random(cn.n_edges) < 0.3, -1.0, 1.0)
    T2 = _perturbed(st.temperature, rng, 40.0)
    m3 = st.mass_flow.copy()
    m3[ambient[::2]] = 0.0
    for m, T in ((st.mass_flow, st.temperature), (m2, T2), (m3, st.temperature)):
        for t_out in (np.zeros(0), _perturbed(st.outlet_temperature, rng, 1.0)):
            for kernel in (KO.edge_states.serial, KO.edge_states.parallel):
                (up_, dn_), (rise_, cp_e_), nodes, no_flow, still = kernel(
                    m, cn.start, cn.end, st.pressure, st.density_edge, G, cn.elevation, T,
                    fm.node_f, fm.t_min, fm.t_max, *look, *rows, hx, fm.edge_f, t_out,
                    boundary, h_bc, ambient, STAGNANT_FLOW)
                up, dn, rise = KT.flow_directions(m, cn.start, cn.end, st.pressure,
                                                  st.density_edge * G, cn.elevation)
                Tc, (h_k, cp_k), _ = fm.clamped(T, ("enthalpy", "cp"))
                cp_e = np.zeros(cn.n_edges)
                if hx.size:
                    Te = (0.5 * (Tc[up[hx]] + t_out[hx]) if t_out.size
                          else 0.5 * (Tc[cn.start[hx]] + Tc[cn.end[hx]]))
                    cp_e[hx] = fm.edge_at("cp_pT", Te, hx)
                got = (up_, dn_, rise_, cp_e_, *nodes)
                want = (up, dn, rise, cp_e, Tc, h_k, cp_k, np.where(boundary, h_bc, h_k))
                for a, b in zip(got, want):
                    assert _bits(a) == _bits(b)
                assert no_flow == stagnant_limit(m)
                want_still = KT.stagnant_among(m, ambient, stagnant_limit(m))
                assert _bits(still) == _bits(want_still)
    if ambient.size:
        assert still.size


def test_property_states_are_the_relaxation_and_the_clamped_look_up(solved):
    cn, fm, st = solved
    rng = np.random.default_rng(2)
    look = fm.tables.lookup_arguments()
    rows = fm.tables.row("density"), fm.tables.row("viscosity")
    T_prop = _perturbed(st.temperature, rng, 30.0)
    T_new = _perturbed(st.temperature, rng, 30.0)
    for T_n, omega in ((np.zeros(0), 1.0), (T_new, 1.0), (T_new, 0.5)):
        for kernel in (KO.property_states.serial, KO.property_states.parallel):
            T, rho_n, rho_e, mu_e = kernel(T_prop, T_n, omega, fm.node_f, fm.t_min, fm.t_max,
                                           *look, *rows, *fm.ends, fm.edge_f)
            want_T = T_prop + omega * (T_n - T_prop) if T_n.size else T_prop
            _, (w_rho_n,), (w_rho_e, w_mu_e) = fm.clamped(want_T, ("density",),
                                                          ("density", "viscosity"))
            for a, b in ((T, want_T), (rho_n, w_rho_n), (rho_e, w_rho_e), (mu_e, w_mu_e)):
                assert _bits(a) == _bits(b)


def test_outer_temperatures_are_the_inverse_at_nodes_and_outlets(solved):
    cn, fm, st = solved
    rng = np.random.default_rng(3)
    _, need = _outlet_edges(cn)
    need = np.unique(np.concatenate([need, rng.integers(0, cn.n_edges, 3)])).astype(np.int64)
    T_last = _perturbed(st.temperature, rng, 0.1)
    h = st.enthalpy.copy()
    h[0] = np.nan                                      # NaN stays NaN, the change is NaN
    for hh in (st.enthalpy, _perturbed(st.enthalpy, rng, 5e5), h):
        T, T_out, change = KO.outer_temperatures(hh, fm.node_f, st.outlet_enthalpy, need,
                                                 fm.edge_f, T_last,
                                                 *fm.tables.inverse_arguments())
        want = fm.node("temperature_h", hh)
        want_out = np.zeros(cn.n_edges)
        want_out[need] = fm.edge_at("temperature_h", st.outlet_enthalpy[need], need)
        assert _bits(T) == _bits(want)
        assert _bits(T_out) == _bits(want_out)
        assert _bits(change) == _bits(KT.max_abs_difference(want, T_last))


def test_heat_laws_with_the_heat_pumps_in_one_call(solved):
    cn, fm, st = solved
    rng = np.random.default_rng(4)
    up = st.upstream
    Tc, (h_k, cp_k), _ = fm.clamped(st.temperature, ("enthalpy", "cp"))
    cp_e = fm.edge("cp_pT", st.temperature[up])
    h_set = C.setpoint_enthalpies(cn, fm)
    n = cn.hp_evap.size
    for mode in range(3):
        hp = (fm.edge_at("enthalpy_T", cn.hp_t_supply, cn.hp_cond), 2.0 + rng.random(n),
              np.full(n, mode, np.int64), 1e5 * (1.0 + rng.random(n)))
        args = (cn, st.mass_flow, up, h_k, Tc, cp_k, cp_e, st.rise, st.density_edge, h_set)
        got = TH.edge_heat_coefficients(*args, heat_pumps=hp if n else None)
        kept = TH.edge_heat_coefficients(*args, heat_pumps=hp if n else None,
                                         arguments=TH.heat_law_arguments(cn))
        # the laws without the heat pumps, and the heat pumps' own coefficients added
        # to them (as the two separate calls gave them)
        want = TH.edge_heat_coefficients(*args)
        if n:
            own = TH.heat_pump_coefficients(cn, st.mass_flow, *hp)
            for q, k in zip(want[:3], ("q0", "q1", "q2")):
                q += own[k]
        for g in (got, kept):
            for a, b in zip(g[:3], want[:3]):
                assert _bits(a) == _bits(b)
            assert g[3].keys() == want[3].keys()
            for k in want[3]:
                assert _bits(g[3][k]) == _bits(want[3][k])
    if n:
        assert np.any(got[0][cn.hp_cond] != 0.0)


def test_consumer_flows_at_a_state_are_the_look_ups_and_the_law():
    cn, fm, st = _solved("heat_export")
    g = cn.hgroups[HydraulicLaw.CONSUMER]
    assert g.idx.size
    tr = g.params["return_temperature"]
    h_ret = np.full(g.idx.size, np.nan)
    has = ~np.isnan(tr)
    h_ret[has] = fm.edge_at("enthalpy_T", tr[has], g.idx[has])
    assert has.any()
    rng = np.random.default_rng(5)
    m2 = st.mass_flow * np.where(rng.random(cn.n_edges) < 0.5, -1.0, 1.0)
    for m, T in ((st.mass_flow, st.temperature), (m2, _perturbed(st.temperature, rng, 30.0))):
        T_in, h_in = KT.inlet_states(m, g.idx, cn.start[g.idx], cn.end[g.idx], T, st.enthalpy)
        want = TH.consumer_flows(cn, h_in, h_ret, fm.edge_at("cp_pT", T_in, g.idx),
                                 st.density_edge[g.idx])
        for arguments in (None, TH.consumer_law_arguments(cn, fm.tables)):
            flow, delivering = TH.consumer_flows_at(
                cn, m, g.idx, cn.start[g.idx], cn.end[g.idx], T, st.enthalpy,
                st.density_edge, fm.edge_f, fm.tables, h_ret, arguments=arguments)
            assert _bits(flow) == _bits(want[0])
            assert _bits(delivering) == _bits(want[1])


def _mix_numpy(x, g, g0, r0, gamma_max):
    """The NumPy expressions of the coupled solve's mixer's step before."""
    r = g - x
    dr = r - r0
    den = float(KH.dot(dr, dr))
    gam = float(KH.dot(dr, r)) / den if den > 0.0 else None
    if gam is None or not abs(gam) <= gamma_max:
        return r, g
    return r, g - gam * (g - g0)


@pytest.mark.parametrize("gamma_max", [10.0, 0.5])
def test_anderson_mix_is_the_mixers_expressions(gamma_max):
    rng = np.random.default_rng(6)
    mixed = 0
    for trial in range(300):
        n = int(rng.integers(1, 12))
        x, g, g0, r0 = (rng.standard_normal(n) for _ in range(4))
        if trial % 7 == 0:
            r0 = g - x                                 # Δr = 0: no step
        if trial % 11 == 0:
            g[0] = np.nan
        r, out = KO.anderson_mix(x, g, g0, r0, gamma_max)
        w_r, w_out = _mix_numpy(x, g, g0, r0, gamma_max)
        assert _bits(r) == _bits(w_r)
        assert _bits(out) == _bits(w_out)
        mixed += not np.array_equal(out, g)
    assert mixed > 50


def test_simultaneous_steps_are_the_kernels_in_turn():
    rng = np.random.default_rng(8)
    kinds = set()
    for trial in range(400):
        n = int(rng.integers(1, 5))
        J = rng.standard_normal((n, n)) + 2 * np.eye(n)
        x = rng.random(n)
        x[rng.random(n) < 0.2] = 1.0
        e = 0.3 * rng.standard_normal(n)
        d = np.sign(np.diag(J))
        s = rng.standard_normal(n) * 0.05 if trial % 3 else np.zeros(0)
        e_last = e + 0.01 * rng.standard_normal(n) if s.size else np.zeros(0)
        Jn, F, clamped, held, phi = KC.secant_residual(J, s, e_last, x, e, d)
        J_want = KC.broyden_update(J, s, e - e_last) if s.size else J
        want = CS.natural_residual(x, e, d)
        assert _bits(Jn) == _bits(J_want)
        for a, b in zip((F, clamped, held), want[:3]):
            assert _bits(a) == _bits(b)
        assert float(phi) == want[3]
        step = KC.simultaneous_step(Jn, F, x, clamped, held, d, 0.2, 1e-9)
        w_step = None
        if not clamped.any():
            w_step, inside = KC.gauss_newton_step(J_want, F, x, 0.2, 1e-9)
            if not inside:
                w_step = None
        kinds.add((bool(clamped.any()), w_step is not None))
        if w_step is None:
            w_step = CS.bounded_step(CS.model_jacobian(J_want, clamped, d), F, x, held,
                                     0.2, 1e-9)
        assert _bits(step) == _bits(w_step)
    assert kinds == {(True, False), (False, True), (False, False)}


@pytest.mark.parametrize("name", NETWORKS)
def test_a_solve_through_the_fused_inverse_is_the_parallel_paths(name, monkeypatch):
    """The node and outlet temperatures of an outer iteration by ``outer_temperatures``
    (below ``_FUSED_MAX`` nodes) or by the fluid map's look-ups (above): the same
    states, iterations and records."""
    def states():
        cn, fm, st = _solved(name)
        return st
    fused = states()
    monkeypatch.setattr(C, "_FUSED_MAX", 0)
    general = states()
    for k in ("temperature", "mass_flow", "pressure", "enthalpy", "heat", "outlet_temperature"):
        assert _bits(getattr(fused, k)) == _bits(getattr(general, k)), k
    rec = {k: v for k, v in fused.record.items() if k != "seconds"}
    assert rec == {k: v for k, v in general.record.items() if k != "seconds"}


def _heat_pump_network():
    import narvik_thermal as nt
    W = nt.fluids.water()
    n = nt.Network("hp", fluid=W)
    n.add_pump("p1", "a", "b", head=Q_(5, "m"))
    n.add_pipe("s_pipe", "b", "b2", length=Q_(50, "m"), diameter=Q_(50, "mm"))
    n.add_heat_pump("hp", ("b2", "c"), ("x2", "y"), supply_temperature=Q_(70, "degC"),
                    model="carnot_fraction", capacity=Q_(200, "kW"))
    n.add_setpoint("src", "c", "a", outlet_temperature=Q_(30, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    n.add_pump("p2", "w", "x", head=Q_(5, "m"))
    n.add_pipe("k_pipe", "x", "x2", length=Q_(50, "m"), diameter=Q_(50, "mm"))
    n.add_setpoint("snk", "y", "w", outlet_temperature=Q_(40, "degC"))
    n.add_expansion_tank("w", pressure=Q_(2, "bar"))
    return n


def test_heat_pump_constants_are_kept_while_the_heat_pumps_are_the_same():
    net = _heat_pump_network()
    r0 = net.solve(warn=False)
    cn = net.compile()
    fm = cn.cache["fluid_map"]
    kept = C.heat_pump_constants(cn, fm)
    assert C.heat_pump_constants(cn, fm) is kept          # the same, kept
    assert kept[0][0] == cn.hp_parameter("min_source_outlet")[0] or np.isnan(
        cn.hp_parameter("min_source_outlet")[0])
    # another component updated (and a boundary): the heat pump's constants are kept
    net.update("p1", head=Q_(6, "m"))
    r1 = net.solve(warn=False, initial=r0)
    cn = net.compile()
    assert C.heat_pump_constants(cn, cn.cache["fluid_map"]) is kept
    # the heat pump updated: gathered anew, with its new limit
    net.update("hp", min_source_outlet=Q_(8, "degC"))
    net.solve(warn=False, initial=r1)
    cn = net.compile()
    fm = cn.cache["fluid_map"]
    got = C.heat_pump_constants(cn, fm)
    assert got is not kept
    assert got[0][0] == 273.15 + 8.0
    assert _bits(got[1]) == _bits(fm.edge_at("enthalpy_T", got[0], cn.hp_evap))
    assert cn.cache["heat_pump_constants"][3] is got
    # what a fresh gathering gives
    cn.cache.pop("heat_pump_constants")
    fresh = C.heat_pump_constants(cn, fm)
    for a, b in zip(fresh[:4], got[:4]):
        assert _bits(a) == _bits(b)
    # kept arrays are shared by the solves: read-only
    with pytest.raises(ValueError):
        got[0][0] = 0.0
