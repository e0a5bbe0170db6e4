"""The control iteration (narvik_thermal.solvers.control) on small networks of its own.

Two CDU-like heat exchangers on one fixed-speed facility pump, cooled by a
seawater exchanger of finite UA: opening both valves barely changes the CDU
supply temperatures (more facility flow, but warmer facility water; along the
diagonal the temperature even has a minimum near 40 % opening), while either
valve alone changes its own strongly. A set-point above that minimum is
reachable only by closing both valves together, which a local step from the
starting openings does not find (the Broyden iteration before the trust region
and weak-mode search ended with one valve falsely reported saturated, fully
open). Checks:

- reachable set-points are met, and an uncontrolled solve at the actuators
  found gives the same targets (nothing is faked);
- unreachable set-points are reported as saturated at a bound, with the
  targets an uncontrolled solve gives there;
- the merit of the accepted iterates (``record["control_errors"]``) falls
  strictly: no step that does not improve is accepted;
- a cascade (pump speed holding the facility flow, valves holding the CDU
  supply temperatures) converges;
- a loop whose actuator cannot move its target raises ConvergenceError naming
  the loop, its target and set-point, and leaves the actuator as it was.

Tolerances: targets to 1e-4 K / 1e-6 relative (the control tolerance is 1e-6
of the target scale: 100 K for temperatures, the set-point for flows); the
uncontrolled re-solve to the same (it solves the same equations).
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.errors import ConvergenceError, PhysicsWarning

Q_ = nt.Q_
WATER = nt.fluids.water()


def two_cdus(setpoint=Q_(20, "degC"), heat=(Q_(100, "kW"), Q_(100, "kW")), opening=0.7,
             controls=True, cascade=False):
    """A facility loop (fixed-speed pump, seawater exchanger, main) feeding two
    CDU exchangers through valves; each CDU's secondary loop carries ``heat`` at
    a fixed 3 kg/s. Controls: each valve holds its CDU's supply temperature;
    with ``cascade`` a bypass joins the facility supply and return, and the
    pump's speed holds the facility flow at 7 L/s."""
    net = nt.Network("two_cdus", fluid=WATER)
    net.add_pump("fpump", "f_r", "f_p", curve=(Q_([0, 8, 16], "L/s"), Q_([12, 10, 5], "m")))
    net.add_heat_exchanger("sink", hot=("f_p", "f_c"), cold=("sea_in", "sea_out"),
                           ua=Q_(40, "kW/K"), hot_pressure_drop=Q_(20, "kPa"),
                           hot_rated_flow=Q_(8, "L/s"))
    net.add_pipe("main", "f_c", "f_s", length=Q_(50, "m"), diameter=Q_(80, "mm"))
    net.add_flow_boundary("sea_in", mass_flow=Q_(5, "kg/s"), temperature=Q_(8, "degC"))
    net.add_pressure_boundary("sea_out", pressure=Q_(1, "atm"), temperature=Q_(8, "degC"))
    net.add_expansion_tank("f_r", pressure=Q_(2, "bar"))
    for i in (0, 1):
        net.add_valve(f"v{i}", "f_s", f"a{i}", kvs=Q_(30, "m^3/h"), opening=opening)
        net.add_heat_exchanger(f"hx{i}", hot=(f"s{i}_2", f"s{i}_0"), cold=(f"a{i}", f"b{i}"),
                               ua=Q_(30, "kW/K"), cold_pressure_drop=Q_(30, "kPa"),
                               cold_rated_flow=Q_(4, "L/s"))
        net.add_pipe(f"ret{i}", f"b{i}", "f_r", length=Q_(20, "m"), diameter=Q_(65, "mm"))
        net.add_pump(f"sp{i}", f"s{i}_0", f"s{i}_1", flow=Q_(3, "kg/s"))
        net.add_heat_load(f"load{i}", f"s{i}_1", f"s{i}_2", heat=heat[i])
        net.add_expansion_tank(f"s{i}_0", pressure=Q_(2, "bar"))
        if controls:
            net.add_control(f"cdu{i}", actuator=("valve_opening", f"v{i}"),
                            target=("outlet_temperature", f"hx{i}:hot"), setpoint=setpoint,
                            bounds=(0.01, 1.0))
    if cascade:
        net.add_pipe("bypass", "f_s", "f_r", length=Q_(20, "m"), diameter=Q_(40, "mm"))
    if cascade and controls:
        net.add_control("facility_flow", actuator=("pump_speed", "fpump"),
                        target=("flow", "main"), setpoint=Q_(7, "L/s"), bounds=(0.3, 1.5))
    return net


def _supply(res, i):
    return res.state.outlet_temperature[res.compiled.edge_id(f"hx{i}:hot")] - 273.15


def _uncontrolled(res, **kwargs):
    """The same network without controls, at the actuators the controls left."""
    net = two_cdus(controls=False, cascade="facility_flow" in res.controls, **kwargs)
    net.update(["v0", "v1"], opening=[res.controls[f"cdu{i}"]["actuator"].m for i in (0, 1)])
    if "facility_flow" in res.controls:
        net.update("fpump", speed=res.controls["facility_flow"]["actuator"].m)
    return net.solve()


def _strictly_falling(res):
    hist = np.asarray(res.convergence["control_errors"])
    assert hist.size >= 2
    assert np.all(np.diff(hist) < 0), hist


# ------------------------------------------------------------------- reachable
def test_common_mode_setpoint_is_met_by_closing_both_valves():
    res = two_cdus().solve()
    for i in (0, 1):
        c = res.controls[f"cdu{i}"]
        assert c["met"] and not c["saturated"]
        assert _supply(res, i) == pytest.approx(20.0, abs=1e-4)
        # both valves had to close together, far from the 0.7 they started at
        assert c["actuator"].m < 0.3
    steps = res.convergence["control_steps"]
    assert steps["weak_mode_steps"] >= 1
    _strictly_falling(res)
    ref = _uncontrolled(res)
    for i in (0, 1):
        assert _supply(ref, i) == pytest.approx(_supply(res, i), abs=1e-6)


def test_uneven_loads_need_different_openings():
    heat = (Q_(100, "kW"), Q_(60, "kW"))
    res = two_cdus(heat=heat).solve()
    assert all(c["met"] for c in res.controls.values())
    a0, a1 = (res.controls[f"cdu{i}"]["actuator"].m for i in (0, 1))
    assert a0 > a1            # the larger load needs more facility water
    ref = _uncontrolled(res, heat=heat)
    for i in (0, 1):
        assert _supply(res, i) == pytest.approx(20.0, abs=1e-4)
        assert _supply(ref, i) == pytest.approx(20.0, abs=1e-4)
    _strictly_falling(res)


@pytest.mark.parametrize("setpoint", [18.0, 25.0, 40.0])
@pytest.mark.parametrize("opening", [1.0, 0.7, 0.05])
def test_reachable_setpoints_from_any_start(setpoint, opening):
    res = two_cdus(setpoint=Q_(setpoint, "degC"), opening=opening).solve()
    assert all(c["met"] for c in res.controls.values())
    for i in (0, 1):
        assert _supply(res, i) == pytest.approx(setpoint, abs=1e-4)
    hist = np.asarray(res.convergence["control_errors"])
    assert np.all(np.diff(hist) < 0), hist


# ----------------------------------------------------------------- unreachable
@pytest.mark.parametrize("setpoint", [12.0, 16.0])
def test_unreachable_setpoint_is_reported_saturated_not_faked(setpoint):
    # fully open, both CDUs reach about 17.5 °C; no opening gives less than
    # about 17.2 °C on both at once (the minimum near 40 %), and either valve
    # closing warms its own CDU
    net = two_cdus(setpoint=Q_(setpoint, "degC"))
    with pytest.warns(PhysicsWarning, match="cannot meet its set-point"):
        res = net.solve()
    for i in (0, 1):
        c = res.controls[f"cdu{i}"]
        assert not c["met"] and c["saturated"]
        assert c["actuator"].m == 1.0                      # exactly at the bound
        assert c["target"].m_as("degC") > setpoint + 1.0
    assert sum(f.kind == "setpoint_not_met" for f in res.flags) == 2
    _strictly_falling(res)
    assert res.convergence["control_errors"][-1] == 0.0    # both held: nothing left
    ref = _uncontrolled(res, setpoint=Q_(setpoint, "degC"))
    for i in (0, 1):
        assert _supply(ref, i) == pytest.approx(_supply(res, i), abs=1e-6)
    # the network keeps the controlled openings
    assert net.component("v0").opening[0] == pytest.approx(1.0)


def test_a_setpoint_met_inside_the_range_is_found_from_the_wrong_bound():
    """CDU 0's valve may open only to 0.1 (its CDU then warms to about 26.5 °C).
    With it nearly shut, CDU 1's supply falls as its valve opens from shut, and
    rises again beyond about half open: the facility water through the seawater
    exchanger warms faster than the extra flow cools (16.0 °C fully open, 15.5 °C
    half open, 20 °C at 0.137). From 0.7 the own effect is positive and the local
    steps held valve 1 fully open at 16 °C, flagged unreachable. The bound probe
    (its valve alone moved to the other bound) brackets the set-point inside the
    range, and the iteration ends there."""
    net = two_cdus(heat=(Q_(110, "kW"), Q_(100, "kW")))
    net.remove_control("cdu0")
    net.add_control("cdu0", actuator=("valve_opening", "v0"),
                    target=("outlet_temperature", "hx0:hot"), setpoint=Q_(20, "degC"),
                    bounds=(0.01, 0.1))
    with pytest.warns(PhysicsWarning, match="'cdu0' cannot meet its set-point"):
        res = net.solve()
    c0, c1 = res.controls["cdu0"], res.controls["cdu1"]
    assert c1["met"] and not c1["saturated"]
    assert _supply(res, 1) == pytest.approx(20.0, abs=1e-4)
    assert 0.12 < c1["actuator"].m < 0.16
    # CDU 0 stays held at its bound: shut further it only warms
    assert not c0["met"] and c0["saturated"] and c0["actuator"].m == pytest.approx(0.1)
    assert [f.elements for f in res.flags if f.kind == "setpoint_not_met"] == [("cdu0",)]
    steps = res.convergence["control_steps"]
    assert steps["bound_probes"] == 2 and steps["bound_probe_steps"] == 1
    ref = _uncontrolled(res, heat=(Q_(110, "kW"), Q_(100, "kW")))
    assert _supply(ref, 1) == pytest.approx(20.0, abs=1e-4)


# ---------------------------------------------------------------------- cascade
def test_cascade_pump_speed_holds_flow_while_valves_hold_temperatures():
    res = two_cdus(cascade=True).solve()
    assert all(c["met"] for c in res.controls.values()), res.controls
    assert res.volume_flow("main").m_as("L/s") == pytest.approx(7.0, rel=1e-5)
    for i in (0, 1):
        assert _supply(res, i) == pytest.approx(20.0, abs=1e-4)
    _strictly_falling(res)
    ref = _uncontrolled(res)
    assert ref.volume_flow("main").m_as("L/s") == pytest.approx(7.0, rel=1e-5)
    for i in (0, 1):
        assert _supply(ref, i) == pytest.approx(20.0, abs=1e-4)


# ----------------------------------------------------------------------- errors
def test_loop_without_authority_raises_naming_it_and_restores_actuators():
    # a fixed-flow pump imposes the flow: the valve in series cannot change it, so
    # no step lowers the error and no bound holds it (the valve has no own effect);
    # the iteration says so instead of stopping anywhere
    net = nt.Network("futile", fluid=WATER)
    net.add_pump("p", "a", "b", flow=Q_(2, "kg/s"))
    net.add_valve("v", "b", "c", kvs=Q_(20, "m^3/h"), opening=0.5)
    net.add_setpoint("cooler", "c", "a", outlet_temperature=Q_(30, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.add_control("futile", actuator=("valve_opening", "v"), target=("flow", "v"),
                    setpoint=Q_(3, "kg/s"), bounds=(0.1, 1.0))
    with pytest.raises(ConvergenceError,
                       match=r"no step lowers the control errors.*futile \(valve_opening 0\.5\): "
                             r"flow 2 kg/s for the set-point 3 kg/s") as info:
        net.solve()
    assert info.value.result is not None
    assert net.component("v").opening[0] == pytest.approx(0.5)


# ------------------------------------------------------------ natural residual
def test_natural_residual_is_the_error_inside_and_zero_when_held():
    from narvik_thermal.solvers.control import natural_residual
    d = np.array([-1.0, -1.0, 1.0, 1.0, 0.0])
    # inside; at the upper bound pushed out (held); near the upper bound pushed
    # out (clamped, F the distance); at the lower bound pushed in; no own effect
    x = np.array([0.5, 1.0, 0.9, 0.0, 1.0])
    e = np.array([0.1, 0.3, -0.5, -0.2, 0.4])
    F, clamped, held, phi = natural_residual(x, e, d)
    np.testing.assert_allclose(F, [0.1, 0.0, -0.1, -0.2, 0.4])
    assert clamped.tolist() == [False, True, True, False, False]
    assert held.tolist() == [False, True, False, False, False]
    assert phi == pytest.approx(np.linalg.norm(F))
    # continuous where a loop becomes clamped (its own step z = x − e/d reaches
    # the bound): opening cools (d < 0), 0.3 too warm at 0.7 open
    x0, d0 = np.array([0.7]), np.array([-1.0])
    F_in, c_in = natural_residual(x0, np.array([0.3 - 1e-12]), d0)[:2]
    F_out, c_out = natural_residual(x0, np.array([0.3 + 1e-12]), d0)[:2]
    assert not c_in[0] and c_out[0]
    assert F_in[0] == pytest.approx(F_out[0], abs=1e-9)



def test_gauss_newton_step_is_taken_only_regular_short_and_inside_the_box():
    from narvik_thermal.solvers import _control_kernels as CK
    J = np.array([[-2.0, 0.5], [0.3, -1.0]])
    F = np.array([0.04, -0.02])
    x = np.array([0.5, 0.5])
    s, ok = CK.gauss_newton_step(J, F, x, 0.2, 1e-9)
    assert ok
    np.testing.assert_allclose(s, -np.linalg.solve(J, F), rtol=1e-14)
    assert not CK.gauss_newton_step(J, 100 * F, x, 0.2, 1e-9)[1]        # longer than 0.2
    assert not CK.gauss_newton_step(J, F, np.array([0.99, 0.5]), 0.2, 1e-9)[1]  # leaves the box
    assert not CK.gauss_newton_step(np.zeros((2, 2)), F, x, 0.2, 1e-9)[1]       # singular
    assert not CK.gauss_newton_step(J, np.array([np.nan, 0.0]), x, 0.2, 1e-9)[1]


def test_broyden_update_meets_the_secant_condition_and_changes_only_along_the_step():
    from narvik_thermal.solvers import _control_kernels as CK
    rng = np.random.default_rng(3)
    J, s, y = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
    J0 = J.copy()
    B = CK.broyden_update(J, s, y)
    np.testing.assert_allclose(B, J + np.outer(y - J @ s, s) / (s @ s), rtol=1e-13)
    np.testing.assert_allclose(B @ s, y, rtol=1e-12)                 # secant condition
    w = np.cross(s, rng.normal(size=3))                               # a direction ⟂ s
    np.testing.assert_allclose(B @ w, J @ w, rtol=1e-12)
    np.testing.assert_array_equal(J, J0)                              # J itself unchanged

def _next_point_twice(options: dict, twin_options: dict):
    """The 2 MW campus operated at full load with the sea at 7 °C, copied, and both
    operated at 90 % with the sea at 8 °C, with ``options`` and ``twin_options``:
    (the campus, its result, the copy's result)."""
    import copy
    import warnings

    from narvik_thermal.plant.campus import Campus

    c = Campus(Q_(2, "MW"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        c.operate(1.0, sea_temperature=Q_(7, "degC"))
        twin = copy.deepcopy(c)
        r = c.operate(0.9, sea_temperature=Q_(8, "degC"), **options)
        other = twin.operate(0.9, sea_temperature=Q_(8, "degC"), **twin_options)
    return c, r, other


def test_inexact_trials_end_on_a_full_solve():
    # A warm-started controlled solve with a kept Jacobian solves its first point and
    # the trials far from the set-points loosely (a temperature tolerance from the
    # predicted merit, the hydraulics with it where every loop holds a temperature);
    # the state it returns is always a full-tolerance solve, and it is the state a
    # solve without loose trials (inexact_control=False) finds, to the control
    # tolerance (1e-6 of 100 K: 1e-4 K; 2e-4 K allowed for the two paths).
    # (one coupled solve per step: the simultaneous first solve is tested below)
    _, r, exact = _next_point_twice(dict(simultaneous_control=False),
                                    dict(inexact_control=False))
    rec = r.result.convergence
    assert rec["control_steps"]["loose_solves"] >= 1
    assert rec["control_steps"]["simultaneous_moves"] == 0
    assert "loose" not in rec
    # the full temperature tolerance, 1e-6 K: the last change within it, or within ten
    # times it and contracting so that the remaining error it implies is (the stopping
    # test of solve_network)
    tc = rec["temperature_change"]
    q = tc[-1] / tc[-2] if len(tc) > 1 else 1.0
    assert tc[-1] <= 1e-6 or (tc[-1] <= 1e-5 and q <= 0.5 and q / (1 - q) * tc[-1] <= 1e-6)
    assert exact.result.convergence["control_steps"]["loose_solves"] == 0
    for name, loop in r.controls.items():
        a, b = loop["target"], exact.controls[name]["target"]
        assert abs((a - b).m_as("delta_degC")) <= 2e-4, name
    assert r.power["total"].m_as("W") == pytest.approx(exact.power["total"].m_as("W"),
                                                        rel=1e-6)
    assert r.energy_closure <= 1e-9


def test_simultaneous_first_solve_moves_the_actuators_within_one_coupled_solve():
    # A warm start with a kept Jacobian (the next point of a year) moves the actuators
    # between the outer iterations of its first coupled solve
    # (SolverOptions.simultaneous_control): fewer coupled solves than a solve per step,
    # the same answer to the control tolerance (1e-6 of 100 K: 1e-4 K; 2e-4 K allowed
    # for the two paths), and the final state solved in full at its actuators: solved
    # again there with nothing changed, it is one coupled solve that moves nothing.
    c, r, step = _next_point_twice({}, dict(simultaneous_control=False))
    rec, rs = r.result.convergence, step.result.convergence
    assert rec["control_steps"]["simultaneous_moves"] >= 1
    assert not rec["control_steps"]["simultaneous_failed"]
    assert rs["control_steps"]["simultaneous_moves"] == 0
    assert rec["control_solves"] < rs["control_solves"]
    assert rec["temperature_change"][-1] <= 1e-5 and "loose" not in rec
    for name, loop in r.controls.items():
        assert loop["met"], name
        a, b = loop["target"], step.controls[name]["target"]
        assert abs((a - b).m_as("delta_degC")) <= 2e-4, name
    assert r.power["total"].m_as("W") == pytest.approx(step.power["total"].m_as("W"),
                                                        rel=1e-6)
    assert r.energy_closure <= 1e-9
    net = c.operating_network
    again = net.solve(initial=r.result, warn=False)
    assert again.convergence["control_solves"] == 1
    for name, loop in again.controls.items():
        assert loop["actuator"].m == pytest.approx(r.controls[name]["actuator"].m,
                                                   rel=1e-6, abs=1e-9)


def test_simultaneous_moves_that_go_astray_end_in_the_usual_iteration(monkeypatch):
    # A kept Jacobian 100 times too weak (steps of the whole trust radius, 0.2 of each
    # valve's range) or a single move allowed: the moves stop (at the actuators of the
    # lowest merit seen), the solve converges there and the trust-region iteration
    # goes on from it to the same answer as one solve per step.
    import narvik_thermal.solvers.control_steps as C

    for case in ("weak", "one_move"):
        net = two_cdus(setpoint=Q_(20, "degC"))
        first = net.solve()
        ref_net = two_cdus(setpoint=Q_(20, "degC"))
        ref_first = ref_net.solve()
        for n in (net, ref_net):
            n.update("load0", heat=Q_(130, "kW"))
        cn = net.compile()
        if case == "weak":
            keys = [k for k in cn.cache if isinstance(k, tuple)
                    and k[:1] == ("control_jacobian",) and k[-1] != "signs"]
            assert keys
            for k in keys:
                cn.cache[k] = cn.cache[k] * 0.01
        else:
            monkeypatch.setattr(C, "_SIMULTANEOUS_MOVES", 1)
        got = net.solve(initial=first, warn=False)
        ref = ref_net.solve(initial=ref_first, warn=False, simultaneous_control=False)
        steps = got.convergence["control_steps"]
        assert steps["simultaneous_moves"] >= 1, case
        if case == "one_move":
            assert steps["simultaneous_moves"] == 1 and got.convergence["control_solves"] >= 2
        for i in (0, 1):
            assert got.controls[f"cdu{i}"]["met"], case
            assert abs(_supply(got, i) - _supply(ref, i)) <= 2e-4, case
        assert got.converged


def _valve_moved_after_first_outer(opening_of):
    """The two-CDU network (no controls) solved warm by ``solve_network`` with a
    ``between`` hook that sets valve v0 to ``opening_of(its opening)`` after the first
    outer iteration (checking the outlet temperatures it is given are finite): the
    network, the options, the state and the opening set."""
    from narvik_thermal.components.kinds import HydraulicLaw
    from narvik_thermal.solvers.coupled import solve_network
    from narvik_thermal.solvers.fluid_map import FluidMap
    from narvik_thermal.solvers.options import SolverOptions

    net = two_cdus(controls=False)
    first = net.solve()
    cn = net.compile()
    grp = cn.hgroups[HydraulicLaw.VALVE_KV]
    k = int(np.flatnonzero(grp.idx == cn.edge_id("v0"))[0])
    opening = opening_of(float(grp.params["opening"][k]))

    class Hook:
        outlet_edges = np.array([cn.edge_id("hx0:hot")])
        calls = 0

        def __call__(self, it):
            self.calls += 1
            assert np.isfinite(it.outlet_temperature[self.outlet_edges]).all()
            if self.calls == 1:
                grp.params["opening"][k] = opening
                return True
            return False

    opts = SolverOptions()
    st = solve_network(cn, opts, initial=first.state, fm=FluidMap(cn), between=Hook())
    return net, opts, st, opening


def test_a_parameter_moved_between_outer_iterations_is_solved_in_full():
    # solve_network's `between` hook moves a valve after the first outer iteration: that
    # iteration cannot end the solve, and the state returned is the one a fresh solve
    # finds at the moved opening (temperatures to 1e-5 K, flows to 1e-7).
    net, _, st, _ = _valve_moved_after_first_outer(lambda h: 0.35)
    assert st.converged and st.record["moved"] == 1 and st.record["outer"] >= 2
    net.refresh_compiled()
    net.update("v0", opening=0.35)
    fresh = net.solve()
    assert np.max(np.abs(st.temperature - fresh.state.temperature)) <= 1e-5
    m0 = np.max(np.abs(fresh.state.mass_flow))
    assert np.max(np.abs(st.mass_flow - fresh.state.mass_flow)) <= 1e-7 * m0


def test_after_a_move_the_next_two_changes_measure_the_contraction():
    # the first change after a move is a step of the moved map from the last output, so
    # the second one measures its contraction: a valve opened by 0.3 % after the first
    # outer iteration changes the temperatures by 6.7 mK, then by 3.1 µK (a contraction
    # of 5e-4, leaving about 1.5 nK): the solve stops there, at outer iteration 3 (it
    # waited for one more change, 1.2 nK, before), within the tolerance of a fresh solve
    from narvik_thermal.solvers.coupled import coupling_within

    net, opts, st, opening = _valve_moved_after_first_outer(lambda h: h * 1.003)
    tc, tol = st.record["temperature_change"], opts.temperature_tol
    assert st.converged and st.record["moved"] == 1
    assert st.record["outer"] == 3 and tol < tc[-1] <= 10 * tol   # stopped by the bound
    assert coupling_within(tc, True, tol)
    net.refresh_compiled()
    net.update("v0", opening=opening)
    fresh = net.solve()
    assert np.max(np.abs(st.temperature - fresh.state.temperature)) <= tol


def test_simultaneous_first_solve_starts_from_actuators_within_changed_bounds():
    # Bounds narrowed below the actuator's value since the last solve: every solve of
    # the control iteration starts from the value clipped into them, the simultaneous
    # first solve too (it solved at the old value and reported the clipped one: the
    # 20 MW campus's seawater pumps at 0.0375 m³/s reported as their lower bound,
    # 0.0414, 0.6 % off in total power on one of 15 random paths of operating
    # points). The same answer as the step-by-step path from the same start.
    def changed(net):
        # both valves held at their new upper bounds: nothing moves within the solve
        net.update_control("cdu0", bounds=(0.01, 0.1))
        net.update_control("cdu1", bounds=(0.01, 0.1))
        net.update("load0", heat=Q_(110, "kW"))
        return net

    net, twin = two_cdus(setpoint=Q_(20, "degC")), two_cdus(setpoint=Q_(20, "degC"))
    first, twin_first = net.solve(), twin.solve()
    assert min(first.controls[f"cdu{i}"]["actuator"].m for i in (0, 1)) > 0.12
    got = changed(net).solve(initial=first, warn=False)
    ref = changed(twin).solve(initial=twin_first, warn=False, simultaneous_control=False)
    assert got.convergence["control_steps"]["kept_jacobian"]
    for i in (0, 1):
        assert got.controls[f"cdu{i}"]["actuator"].m == pytest.approx(0.1, abs=1e-9)
        assert got.controls[f"cdu{i}"]["actuator"].m == pytest.approx(
            ref.controls[f"cdu{i}"]["actuator"].m, abs=1e-5)
        assert abs(_supply(got, i) - _supply(ref, i)) <= 2e-4
    assert got.mass_flow("v0").m == pytest.approx(ref.mass_flow("v0").m, rel=1e-5)


def test_a_loose_first_point_within_the_tolerance_is_solved_again_in_full():
    # A point that barely changed (the sea 1e-7 K warmer): the second controlled solve's
    # first point (loose, warm from the kept Jacobian) is already within the control
    # tolerance; it is solved again to the full tolerance before it is returned, at the
    # same actuators.
    import warnings

    from narvik_thermal.plant.campus import Campus

    c = Campus(Q_(2, "MW"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        first = c.operate(0.8, sea_temperature=Q_(7, "degC"))
        again = c.operate(0.8, sea_temperature=Q_(7 + 1e-7, "degC"),
                          simultaneous_control=False)
    rec = again.result.convergence
    assert rec["control_steps"]["kept_jacobian"]
    assert rec["control_steps"]["loose_solves"] == 1
    assert rec["control_solves"] == 2 and rec["control_steps"]["accepted"] == 0
    assert "loose" not in rec and rec["temperature_change"][-1] <= 1e-6
    for name, loop in again.controls.items():
        assert loop["met"], name
        assert loop["actuator"].m == pytest.approx(first.controls[name]["actuator"].m,
                                                   rel=1e-6, abs=1e-9)


def test_a_warm_solve_with_nothing_changed_solves_its_first_point_in_full():
    # Network.revision counts every change; a solve warm-started from a result of the
    # same revision (nothing changed since, the actuators written back included) solves
    # its first point in full: one coupled solve, none loose. After an update the
    # first point moves the actuators within it again (or, solving step by step, is
    # solved loosely).
    import warnings

    from narvik_thermal.plant.campus import Campus

    c = Campus(Q_(2, "MW"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        last = c.operate(0.8, sea_temperature=Q_(7, "degC")).result
    net = c.operating_network
    assert last.convergence["revision"] == net.revision
    again = net.solve(initial=last, warn=False)
    rec = again.convergence
    assert rec["control_solves"] == 1 and rec["control_steps"]["loose_solves"] == 0
    assert rec["revision"] == net.revision
    for name, loop in again.controls.items():
        assert loop["met"], name
        assert loop["actuator"].m == pytest.approx(last.controls[name]["actuator"].m,
                                                   rel=1e-6, abs=1e-9)
    intake = c.operating_design["fjord"]["intake_node"]
    rev = net.revision
    net.update_boundary(intake, temperature=Q_(7.5, "degC"))
    assert net.revision == rev + 1
    changed = net.solve(initial=again, warn=False)
    # (moved within its first solve: the kept Jacobian's simultaneous steps)
    assert changed.convergence["control_steps"]["simultaneous_moves"] >= 1
    stepwise = net.solve(initial=again, warn=False, simultaneous_control=False)
    assert stepwise.convergence["control_steps"]["loose_solves"] >= 1
    rev = net.revision                     # the same values again are not a change
    net.update_boundary(intake, temperature=Q_(7.5, "degC"))
    net.update_control("seawater.facility_supply_temperature", setpoint=Q_(22, "degC"))
    assert net.revision == rev
    net.update_control("seawater.facility_supply_temperature", setpoint=Q_(21.5, "degC"))
    assert net.revision == rev + 1


def test_a_snapshot_of_the_controls_puts_the_solve_after_it_back_on_its_path():
    # controls_snapshot keeps the actuators and the kept control Jacobians; restored
    # after other solves moved both, a warm start from the result solved before the
    # snapshot repeats the solve that followed it (the same steps, the same answer)
    from narvik_thermal.network.solve import controls_snapshot, restore_controls

    net = two_cdus(setpoint=Q_(20, "degC"))
    first = net.solve()
    snap = controls_snapshot(net)
    assert set(snap["actuators"]) == {"cdu0", "cdu1"} and snap["kept"]
    net.update("load0", heat=Q_(120, "kW"))
    after = net.solve(initial=first)
    net.update("load0", heat=Q_(60, "kW"))
    net.solve(initial=after)                          # actuators and Jacobians move on
    moved = controls_snapshot(net)
    assert moved["actuators"] != snap["actuators"]
    restore_controls(net, snap)
    assert controls_snapshot(net)["actuators"] == snap["actuators"]
    assert all(np.array_equal(v, snap["kept"][k])
               for k, v in controls_snapshot(net)["kept"].items())
    net.update("load0", heat=Q_(120, "kW"))
    again = net.solve(initial=first)
    assert again.convergence["control_errors"] == after.convergence["control_errors"]
    for name, loop in after.controls.items():
        assert again.controls[name]["actuator"].m == loop["actuator"].m
    # a network without controls has nothing to keep
    plain = two_cdus(controls=False)
    assert controls_snapshot(plain) == dict(actuators={}, kept={})
    restore_controls(plain, snap)                      # nothing to put back
