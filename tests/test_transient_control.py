"""Control loops in time (``simulate(controls=...)``, :class:`nt.transient.PI`) and pump
run-down (:func:`nt.transient.trip`).

Every run's energy closure is checked (:func:`_closed`): (stored + rejected −
injected)/injected within 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import transient as tr
from narvik_thermal.errors import InputError

Q_ = nt.Q_
WATER = nt.fluids.water()
TIGHT = {"temperature_tol": 1e-10}
PLATES = [f"gpu{k}" for k in range(4)]


def _closed(run, tol=1e-6):
    assert abs(run.attrs["energy_closure"]) < tol, run.attrs
    return run


def _cdu(setpoint=30.0, standby=False, control=True):
    """A CDU (tank, pump, four cold-plate groups of 10 × 1 kW, a heat exchanger) whose
    facility side is throttled by the valve ``fv``; the loop ``tcs`` holds the TCS supply
    (node ``s``) at ``setpoint`` °C with the valve's opening in [0.02, 1]."""
    net = nt.Network("cdu", fluid=WATER)
    net.add_expansion_tank("r", Q_(2, "bar"))
    curve = (Q_([0, 2, 4], "L/s"), Q_([20, 17, 10], "m"))
    net.add_pump("pump", "r", "pa", curve=curve)
    net.add_valve("check_a", "pa", "ps", kvs=Q_(60, "m^3/h"), check=True)
    if standby:
        net.add_pump("pump_b", "r", "pb", curve=curve, speed=0.0)
        net.add_valve("check_b", "pb", "ps", kvs=Q_(60, "m^3/h"), check=True)
    net.add_pipe("sup", "ps", "s", length=Q_(20, "m"), diameter=Q_(50, "mm"))
    for p in PLATES:
        net.add_cold_plate(p, "s", "rr", heat=Q_(1.0, "kW"),
                           thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(1.5, "L/min"),
                           rated_pressure_drop=Q_(30, "kPa"),
                           max_chip_temperature=Q_(85, "degC"), count=10)
    net.add_pipe("ret", "rr", "hx_in", length=Q_(20, "m"), diameter=Q_(50, "mm"))
    net.add_heat_exchanger("hx", hot=("hx_in", "r"), cold=("fi", "fm"), ua=Q_(5, "kW/K"))
    net.add_valve("fv", "fm", "fv_out", kvs=Q_(10, "m^3/h"))
    net.add_pipe("fpipe", "fv_out", "fo", length=Q_(5, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("fi", Q_(3, "bar"), Q_(20, "degC"))
    net.add_pressure_boundary("fo", Q_(2.5, "bar"), Q_(20, "degC"))
    if control:
        net.add_control("tcs", actuator=("valve_opening", "fv"), target=("temperature", "s"),
                        setpoint=Q_(setpoint, "degC"), bounds=(0.02, 1.0))
    return net


def _load(t, kw):
    return [tr.at(Q_(t, "s"), p, heat=Q_(kw, "kW")) for p in PLATES]


def _series(run, var, loop="tcs"):
    return run[var].sel(control=loop).values


def test_pi_holds_the_supply_through_a_load_step():
    """The loads step 1.0 → 1.1 kW per plate at 20 s: the PI loop (default tuning, λ =
    120 s) brings the TCS supply back to 30 °C; the integral term removes the
    steady-state error, and the run ends at the steady controlled solve of the new load
    (the same opening, the same temperatures)."""
    net = _cdu()
    run = _closed(tr.simulate(net, duration=Q_(2400, "s"), step=Q_(2, "s"), controls="pi",
                              events=_load(20, 1.1), solve_options=TIGHT))
    y, u, t = _series(run, "control_target"), _series(run, "control_actuator"), run["time"].values
    assert run.attrs["controls"] == "pi"
    assert run["control_target"].attrs["units"] == "degC"
    # the gain measured at the start: opening the valve cools the supply
    K = run.attrs["control_steady_gain"][0]
    assert K < 0
    assert run.attrs["control_gain_kp"][0] == pytest.approx(0.5 / abs(K))
    assert run.attrs["control_gain_ki_dt"][0] == pytest.approx(0.5 / abs(K) * 2.0 / 60.0)
    # the disturbance shows (0.44 K at 160 s), then is rejected: it settles to 2 % of
    # its peak in 774 s (the loop's own lag is about 100 s)
    dev = np.abs(y - 30.0)
    assert dev.max() > 0.2
    settle = t[np.flatnonzero(dev > 0.02 * dev.max())[-1]]
    assert 100.0 < settle < 900.0, settle
    assert abs(y[-1] - 30.0) < 1e-6                    # no steady-state error (1.4e-7 K)
    assert u[-1] > u[0] + 0.1                          # more facility water for more heat
    # the end equals the steady controlled solve of the new load
    after = _cdu()
    after.update(PLATES, heat=Q_(1.1, "kW"))
    st = after.solve(warn=False, **TIGHT)
    # (the steady loop meets its set-point to its own tolerance, 3e-5 K here: the
    # differences are 7e-6 in opening and 6e-5 K, within the steady controller's)
    assert abs(u[-1] - st.controls["tcs"]["actuator"].m) < 5e-5
    T_end = run["temperature"].isel(time=-1).values + 273.15
    assert np.max(np.abs(T_end - st.state.temperature)) < 2e-4
    chips = np.array([st.chip_temperature(p).m for p in PLATES])
    assert np.max(np.abs(run["chip_temperature"].isel(time=-1).values - chips)) < 2e-4
    # proportional only: a steady-state error remains
    p_only = _closed(tr.simulate(net, duration=Q_(2400, "s"), step=Q_(2, "s"),
                                 controls={"tcs": tr.PI(kp=0.5 / abs(K))}, events=_load(20, 1.1)))
    assert _series(p_only, "control_target")[-1] - 30.0 > 0.3          # 0.65 K


def test_pi_pump_speed_holds_the_hottest_chip():
    """A pump's speed keeps the hottest chip at most 48 °C (``sense="at_most"``): at the
    start the chips are cooler with the pump at its lowest speed (met, clamped); after
    a load step the loop speeds the pump up until the chip is at 48 °C, measured from
    the run's chip lumps, and ends at the steady controlled solve."""
    def net_():
        n = _cdu(control=False)
        n.add_control("chips", actuator=("pump_speed", "pump"), target=("hottest_chip",),
                      setpoint=Q_(48, "degC"), bounds=(0.3, 1.2), sense="at_most")
        return n
    run = _closed(tr.simulate(net_(), duration=Q_(2000, "s"), step=Q_(2, "s"),
                              controls={"chips": tr.PI(time_constant=Q_(20, "s"))},
                              events=_load(20, 1.1), solve_options=TIGHT))
    y, u = _series(run, "control_target", "chips"), _series(run, "control_actuator", "chips")
    np.testing.assert_allclose(y, run["chip_temperature"].max("cold_plate").values, atol=1e-12)
    assert u[0] == 0.3 and y[0] < 47.5 and np.all(u[:10] == 0.3)
    after = net_()
    after.update(PLATES, heat=Q_(1.1, "kW"))
    st = after.solve(warn=False, **TIGHT)
    assert abs(y[-1] - 48.0) < 1e-5
    assert abs(u[-1] - st.controls["chips"]["actuator"].m) < 1e-4


def test_steady_mode_follows_a_setpoint_event():
    """In the default mode a set-point event re-solves the loop steadily: the valve
    moves at once and the supply follows with the loop's thermal lag."""
    run = _closed(tr.simulate(_cdu(), duration=Q_(600, "s"), step=Q_(2, "s"),
                              events=[tr.at(Q_(20, "s"), "tcs", setpoint=Q_(32, "degC"))]))
    T = run["temperature"].sel(node="s").values
    assert abs(T[0] - 30.0) < 1e-3 and 30.0 < T[11] < 31.0 and abs(T[-1] - 32.0) < 0.05


def test_anti_windup_recovers_at_once():
    """The loads step to 1.3 kW (the set-point cannot be held: the valve opens fully and
    stays at its bound) then back to 1.0 kW at 400 s: the valve leaves its bound within
    the loop's lag (the actuator is the integral: clamping it is the anti-windup) and the
    loop settles at the set-point again. A set-point change (an event naming the loop)
    is followed the same way."""
    net = _cdu()
    ev = _load(20, 1.3) + _load(400, 1.0)
    run = _closed(tr.simulate(net, duration=Q_(1600, "s"), step=Q_(2, "s"), controls="pi",
                              events=ev))
    y, u, t = _series(run, "control_target"), _series(run, "control_actuator"), run["time"].values
    held = (t > 300) & (t <= 400)
    assert np.all(u[held] == 1.0)                       # clamped at the bound …
    assert y[t == 400.0][0] > 30.8                     # … the set-point not met
    # it leaves the bound no later than the target comes back to the set-point (a
    # wound-up integral would hold it there long after); that takes the loop's lag
    leave = t[(t > 400) & (u < 1.0)][0]
    back = t[(t > 400) & (y < 30.0)][0]
    assert leave <= back and leave - 400.0 < 40.0, (leave, back)
    assert abs(y[-1] - 30.0) < 2e-3
    # the set-point: 25 °C cannot be reached (bound), 32 °C can
    run2 = _closed(tr.simulate(net, duration=Q_(1600, "s"), step=Q_(2, "s"), controls="pi",
                               events=[tr.at(Q_(20, "s"), "tcs", setpoint=Q_(25, "degC")),
                                       tr.at(Q_(400, "s"), "tcs", setpoint=Q_(32, "degC"))]))
    y2, u2, r2 = (_series(run2, v) for v in ("control_target", "control_actuator",
                                             "control_setpoint"))
    assert r2[0] == 30.0 and r2[100] == 25.0 and r2[-1] == 32.0
    assert np.all(u2[(t > 300) & (t < 400)] == 1.0)
    # the error changes sign with the set-point: the valve leaves its bound at once
    assert t[(t >= 400) & (u2 < 1.0)][0] == 400.0
    assert abs(y2[-1] - 32.0) < 2e-3


def test_zero_gains_and_frozen_hold_the_actuator():
    """kp = 0 freezes the actuator (a load step then moves the target away), as
    ``controls="frozen"`` does; ``"steady"`` (the default) re-solves the loop at the
    event, so the supply stays at the set-point."""
    net = _cdu()
    u0 = net.solve(warn=False).controls["tcs"]["actuator"].m
    runs = {name: _closed(tr.simulate(net, duration=Q_(600, "s"), step=Q_(2, "s"),
                                      controls=c, events=_load(20, 1.1)))
            for name, c in [("zero", {"tcs": tr.PI(kp=0.0, ti=Q_(30, "s"))}),
                            ("frozen", "frozen"), ("steady", "steady")]}
    for name in ("zero", "frozen"):
        u = _series(runs[name], "control_actuator")
        assert np.all(u == u0), name
        assert _series(runs[name], "control_target")[-1] > 30.3
    assert "control" not in runs["steady"].dims
    T_s = runs["steady"]["temperature"].sel(node="s").values
    assert T_s[-1] == pytest.approx(30.0, abs=1e-3)
    np.testing.assert_array_equal(runs["zero"]["temperature"].values,
                                  runs["frozen"]["temperature"].values)


def test_explicit_gains_with_units():
    """Gains as Quantities (opening per kelvin) equal the same gains in SI."""
    net = _cdu()
    a = tr.simulate(net, duration=Q_(200, "s"), step=Q_(2, "s"), events=_load(20, 1.1),
                    controls={"tcs": tr.PI(kp=Q_(0.05, "1/delta_degC"), ti=Q_(1, "min"))})
    b = tr.simulate(net, duration=Q_(200, "s"), step=Q_(2, "s"), events=_load(20, 1.1),
                    controls={"tcs": tr.PI(kp=0.05, ti=Q_(60, "s"))})
    _closed(a), _closed(b)
    np.testing.assert_allclose(_series(a, "control_actuator"), _series(b, "control_actuator"),
                               rtol=0, atol=1e-12)
    assert a.attrs["control_gain_ki_dt"][0] == pytest.approx(0.05 * 2 / 60)


@pytest.mark.parametrize("kwargs, match", [
    (dict(controls="fast"), "controls='fast' is not a mode"),
    (dict(controls=3), "must be one of"),
    (dict(controls={"nope": tr.PI()}), "'nope', which is not a control loop"),
    (dict(controls={"tcs": 0.5}), r"must be nt.transient.PI"),
    (dict(controls={"tcs": tr.PI(kp=Q_(0.05, "1/Pa"))}), "kp of control 'tcs'"),
    (dict(events=[tr.at(Q_(5, "s"), "tcs", setpoint=Q_(3, "bar"))]), "refused"),
])
def test_bad_control_input_is_refused(kwargs, match):
    with pytest.raises((InputError, nt.errors.UnitError), match=match):
        tr.simulate(_cdu(), duration=Q_(10, "s"), step=Q_(1, "s"), **kwargs)


@pytest.mark.parametrize("make, match", [
    (lambda: tr.PI(kp=-1.0), "finite and ≥ 0"),
    (lambda: tr.PI(kp="x"), "must be a number"),
    (lambda: tr.PI(ti=Q_(30, "s")), "without kp"),
    (lambda: tr.PI(kp=0.1, ti=Q_(-1, "s")), "positive time"),
    (lambda: tr.PI(kp=0.1, time_constant=Q_(60, "s")), "not both"),
    (lambda: tr.PI(time_constant=Q_(0, "s")), "positive, finite"),
])
def test_bad_pi_is_refused(make, match):
    with pytest.raises(InputError, match=match):
        make()


def test_a_loop_without_effect_needs_gains():
    """A valve whose opening does not change its target (a second, idle branch) has no
    default tuning: the error says so and what to give."""
    net = _cdu(control=False)
    net.add_valve("idle", "fi", "x", kvs=Q_(1, "m^3/h"))
    net.add_pipe("xp", "x", "fo", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    net.add_control("tcs", actuator=("valve_opening", "idle"), target=("temperature", "s"),
                    setpoint=Q_(30, "degC"), bounds=(0.02, 1.0), sense="at_most")
    with pytest.raises(InputError, match="no steady effect.*PI\\(kp="):
        tr.simulate(net, duration=Q_(10, "s"), step=Q_(1, "s"), controls="pi")
    # zero gains need no direction
    _closed(tr.simulate(net, duration=Q_(10, "s"), step=Q_(1, "s"), controls="frozen"))


def test_remove_control_keeps_the_actuator():
    net = _cdu()
    u = net.solve(warn=False).controls["tcs"]["actuator"].m
    net.remove_control("tcs")
    assert net.controls == ()
    assert net.component("fv").opening[0] == pytest.approx(u)
    with pytest.raises(InputError, match="tcs"):
        net.remove_control("tcs")


# ------------------------------------------------------------------ pump run-down
def test_run_down_law_and_time_constant():
    """ω(t) = ω₀/(1 + t/τ), τ = J ω₀²/P₀ (rigid rotor, load torque ∝ ω²): the speeds
    scheduled at every step are the law's, and the rotor stops below 1 % of ω₀."""
    tau = tr.run_down_time_constant(Q_(0.05, "kg*m^2"), Q_(2900, "rpm"), Q_(500, "W"))
    w0 = 2900 * 2 * np.pi / 60
    assert tau.m == pytest.approx(0.05 * w0 ** 2 / 500, rel=1e-12)
    trip = tr.trip(Q_(10, "s"), "pump", run_down=tau)
    evs = trip.events(0.5)
    t = np.array([e.time for e in evs]) - 10.0
    s = np.array([e.changes["speed"] for e in evs])
    np.testing.assert_allclose(s[:-1], 1.0 / (1.0 + t[:-1] / tau.m), rtol=1e-14)
    assert s[-1] == 0.0 and s[-2] >= 0.01 and 1.0 / (1.0 + t[-1] / tau.m) < 0.01
    # the rotor decelerates as J dω/dt = −T₀ (ω/ω₀)²: check the ODE on the law
    w = w0 * np.asarray(trip.speed_at(np.array([1.0, 1.0 + 1e-6])))
    T0 = 500.0 / w0
    assert 0.05 * (w[1] - w[0]) / 1e-6 == pytest.approx(-T0 * (w[0] / w0) ** 2, rel=1e-5)
    assert isinstance(tr.trip(Q_(1, "s"), "pump"), tr.Event)          # instant
    assert len(trip.events(0.5, until=12.0)) == 4                      # cut at the run's end


def test_run_down_flows_follow_the_speed_and_delay_the_chips():
    """A trip with a 6 s run-down, the standby pump starting 20 s later: at every step
    the flow is the steady flow at the law's speed (quasi-steady hydraulics), and the
    chips peak lower and reach 85 °C later than after an instant trip."""
    net = _cdu(standby=True, control=False)
    start = [tr.at(Q_(30, "s"), "pump_b", speed=1.0)]
    inst = _closed(tr.simulate(net, duration=Q_(60, "s"), step=Q_(0.5, "s"),
                               events=[tr.trip(Q_(10, "s"), "pump")] + start))
    trip = tr.trip(Q_(10, "s"), "pump", run_down=Q_(6, "s"))
    down = _closed(tr.simulate(net, duration=Q_(60, "s"), step=Q_(0.5, "s"),
                               events=[trip] + start))
    m = down["mass_flow"].sel(edge="sup").values
    t = down["time"].values
    for tk in (10.0, 13.0, 18.0, 25.0):
        probe = _cdu(standby=True, control=False)
        probe.update("pump", speed=float(trip.speed_at(tk - 10.0)))
        ref = probe.solve(warn=False).state.mass_flow[probe.compile().edge_id("sup", "t")]
        # the flow over the step from tk is the steady flow at the speed at tk
        assert m[t == tk + 0.5][0] == pytest.approx(ref, rel=1e-6), tk
    pk_i, pk_d = tr.peak_chip_temperature(inst), tr.peak_chip_temperature(down)
    assert pk_d["temperature"].m < pk_i["temperature"].m - 5.0
    ttl_i = tr.time_to_limit(inst, after=Q_(10, "s")).m
    ttl_d = tr.time_to_limit(down, after=Q_(10, "s")).m
    assert ttl_d > ttl_i + 3.0 or np.isnan(ttl_d)


@pytest.mark.parametrize("make, match", [
    (lambda: tr.trip(Q_(1, "s"), "pump", run_down=Q_(-1, "s")), "finite time"),
    (lambda: tr.trip(Q_(1, "s"), "", run_down=Q_(1, "s")), "pump name"),
    (lambda: tr.trip(Q_(1, "s"), "pump", speed=0.0), "positive speed ratio"),
    (lambda: tr.trip(Q_(1, "s"), "pump", stop_below=1.5), "fraction"),
    (lambda: tr.run_down_time_constant(Q_(0, "kg*m^2"), Q_(1, "rpm"), Q_(1, "W")),
     "positive"),
])
def test_bad_trips_are_refused(make, match):
    with pytest.raises(InputError, match=match):
        make()


def test_a_steady_state_with_heat_on_no_flow_is_not_used_after_an_event():
    # The CDU of the user guide (a facility valve holding the TCS supply), with a standby
    # pump: the duty pump trips at 60 s, the standby starts at 75 s. The controls'
    # simultaneous first solve
    # "converged" after the trip at flows of 1e-35 kg/s (flagged starved_heat or
    # no_flow_heat: heat on no flow has no steady state); the run warm-started the
    # restart from it and met a nodal matrix singular to round-off (ConvergenceError).
    # Such a state is not used: the hydraulics alone at the run's temperatures are.
    ev = [tr.at(Q_(60, "s"), "pump", speed=0.0), tr.at(Q_(75, "s"), "pump_b", speed=1.0)]
    run = _closed(tr.simulate(_cdu(standby=True), duration=Q_(3, "min"), step=Q_(1, "s"),
                              events=ev))
    assert run.attrs["hydraulic_only_solves"] >= 1
    assert float(run["mass_flow"].sel(edge="pump_b", time=80.0)) > 1.0
    assert np.all(np.isfinite(run["temperature"].values))


def test_a_restarted_pump_warm_started_from_the_stopped_loop_solves():
    # the standby pump started and the network warm-started from the tripped state,
    # whose loop flows are 1e-35 kg/s: the conductance floor came from the derivatives
    # at those flows (1e-27 Pa s/kg), the cold plates' conductances (1e21) cancelled the
    # return pipe's (0.02) in the factorisation, and the solve raised "not positive
    # definite at node 'rr'"; it now gives the cold solve's answer
    net = _cdu(standby=True)
    first = net.solve(warn=False)
    net.update("pump", speed=0.0)
    tripped = net.solve(initial=first, warn=False)
    assert float(np.max(np.abs(tripped.state.mass_flow[:5]))) < 1e-20
    net.update("pump_b", speed=1.0)
    warm = net.solve(initial=tripped, warn=False)
    cold = net.solve(warn=False)
    assert warm.mass_flow("pump_b").m == pytest.approx(cold.mass_flow("pump_b").m, rel=1e-6)
    assert warm.temperature("s").m == pytest.approx(cold.temperature("s").m, abs=1e-3)
