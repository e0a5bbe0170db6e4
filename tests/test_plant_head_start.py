"""The district-heating pump head's start in operation: the first step's slope
(``solve_regulated(initial_slope=)``, ``result.convergence["head_slope"]``) and the
start head and slope from the last two points (``head_start``), as the campus uses them.

Both change where the head iteration starts, never where it ends: the head is
settled to the same tolerance (the critical consumer between ``valve_dp_min``
and ``valve_dp_min`` + 1e-7·ρgH) from any start.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.errors import PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
from narvik_thermal.plant.heat_export import HeatExport, heat_export_plant
from narvik_thermal.plant.heat_export_network import HeatPumpSpec, head_start, solve_regulated

Q_ = nt.Q_
HP = HeatPumpSpec(model="carnot_fraction", efficiency=0.5)


@pytest.fixture(scope="module")
def plant():
    dh = district_heating_network(town_consumers(Q_(6, "MW"), 6, branches=2),
                                  trunk_length=Q_(3, "km"))
    return heat_export_plant(source_return_temperature=Q_(40, "degC"),
                             source_heat=Q_(20, "MW"), dh=dh, heat_pumps=HP)


def _critical(res, dh):
    p = res.state.pressure
    cn = res.compiled
    cid = np.array([cn.edge_id(c.name) for c in dh.consumers])
    return float(np.min(p[cn.start[cid]] - p[cn.end[cid]]))


def _rho_g(dh):
    return float(dh.fluid.density_pT(np.array([dh.supply_temperature]))[0]) * 9.80665


def test_the_secant_slope_is_reported_and_starts_the_next_iteration(plant):
    dh = plant.dh
    rho_g = _rho_g(dh)
    net = plant.build(60.0)
    res, it, head, net = solve_regulated(net, dh, warn=False)
    slope = res.convergence["head_slope"]
    assert it >= 2
    # the consumers impose their flows: the critical differential rises with the head as
    # ρg, a little faster (the pump heat warms the supply, less flow, less loss)
    assert rho_g < slope < 1.1 * rho_g
    # from a head 3 cm off (a start as close as the campus' estimate), the reported
    # slope lands the first step on the head (within the 1e-7 band); ρg alone leaves
    # it 2 % of the 3 cm off, and takes a third solve
    with_slope = solve_regulated(net, dh, warn=False, initial=res, initial_head=head + 0.03,
                                 initial_slope=slope)
    without = solve_regulated(net, dh, warn=False, initial=res, initial_head=head + 0.03)
    assert with_slope[1] == 2 and without[1] == 3
    for r, _, h, _ in (with_slope, without):
        band = 1e-7 * rho_g * h
        assert 0.0 <= _critical(r, dh) - dh.valve_dp_min <= band
        assert h == pytest.approx(head, rel=1e-6)


@pytest.mark.parametrize("bad", [-1.0, 0.0, 1e9, float("nan")])
def test_an_implausible_slope_is_not_used(plant, bad):
    # outside [0.5, 2] ρg (or not a number) the step takes ρg, as without one
    dh = plant.dh
    net = plant.build(60.0)
    res, _, head, net = solve_regulated(net, dh, warn=False)
    a = solve_regulated(net, dh, warn=False, initial=res, initial_head=head + 3.0,
                        initial_slope=bad)
    b = solve_regulated(net, dh, warn=False, initial=res, initial_head=head + 3.0)
    assert a[1] == b[1]
    assert a[2] == b[2]


def test_a_given_head_is_one_solve_without_a_slope(plant):
    dh = replace(plant.dh, pump_head=80.0)
    net = plant.build(80.0)
    res, it, head, _ = solve_regulated(net, dh, warn=False, initial_slope=1e4)
    assert it == 1 and head == 80.0
    assert "head_slope" not in res.convergence


def test_head_start_reproduces_the_points_and_follows_a_power_law(plant):
    dh = plant.dh
    rho_g = _rho_g(dh)
    H0 = dh.valve_dp_min / rho_g
    # losses exactly b·Q^1.8: the two points themselves, and any third demand, exactly
    heads = {q: H0 + 3e-11 * q ** 1.8 for q in (2e6, 4e6, 6e6, 9e6)}
    pts = [(4e6, heads[4e6], None), (9e6, heads[9e6], None)]
    for q, h in heads.items():
        assert head_start(dh, pts, q)[0] == pytest.approx(h, rel=1e-12)
    # one point, or two of the same demand: the quadratic law
    one = [(4e6, heads[4e6], None)]
    assert head_start(dh, one, 8e6)[0] == pytest.approx(H0 + 4 * (heads[4e6] - H0), rel=1e-12)
    assert head_start(dh, one * 2, 8e6)[0] == head_start(dh, one, 8e6)[0]
    # only the last two points count
    assert head_start(dh, [(1e6, 500.0, None)] + pts, 6e6) == head_start(dh, pts, 6e6)
    # the exponent is kept within [1.5, 2.5]
    steep = [(4e6, H0 + 1.0, None), (8e6, H0 + 100.0, None)]
    assert head_start(dh, steep, 16e6)[0] == pytest.approx(H0 + 100.0 * 2 ** 2.5, rel=1e-12)
    # nothing to go by
    assert head_start(dh, [], 6e6) == (None, None)
    assert head_start(dh, pts, 0.0) == (None, None)
    assert head_start(dh, [(4e6, 0.5 * H0, None)], 6e6) == (None, None)


def test_head_start_scales_the_slope_with_the_losses(plant):
    dh = plant.dh
    rho_g = _rho_g(dh)
    H0 = dh.valve_dp_min / rho_g
    pts = [(4e6, H0 + 10.0, None), (8e6, H0 + 40.0, rho_g + 20.0)]
    H, s = head_start(dh, pts, 6e6)
    assert s == pytest.approx(rho_g + 20.0 * (H - H0) / 40.0, rel=1e-12)
    # no slope at the last point, or an implausible one: none
    assert head_start(dh, pts[::-1], 6e6)[1] is None
    assert head_start(dh, [pts[0], (8e6, H0 + 40.0, 5.0 * rho_g)], 6e6)[1] is None


def test_the_slope_follows_the_losses_in_the_network(plant):
    # the model of head_start on the network itself: (slope − ρg)/(losses) is nearly
    # the same at a half and at the full town demand
    dh = plant.dh
    rho_g = _rho_g(dh)
    H0 = dh.valve_dp_min / rho_g
    ratio = []
    for share in (0.5, 1.0):
        net = plant.build(60.0)
        names = [c.name for c in dh.consumers]
        heat = [share * float(c.heat.m_as("W")) for c in dh.consumers]
        net.update(names, heat=Q_(heat, "W"))
        res, it, head, _ = solve_regulated(net, dh, warn=False)
        assert it >= 2
        ratio.append((res.convergence["head_slope"] - rho_g) / (head - H0))
    assert ratio[0] == pytest.approx(ratio[1], rel=0.05)


@pytest.fixture(scope="module")
def exporting():
    cs = town_consumers(Q_(10, "MW"), 4, branches=2, spacing=Q_(200, "m"))
    dh = district_heating_network(list(cs), trunk_length=Q_(5, "km"))
    return Campus(Q_(20, "MW"), heat_export=HeatExport(dh=dh, heat_pumps=HP))


def _operate(c, load, demand):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r = c.operate(load, heat_demand=demand)
    assert r.energy_closure <= 1e-9
    return r


def test_the_campus_starts_the_head_where_the_last_points_say(exporting):
    c = exporting
    dh = c.heat_export.dh
    h4 = _operate(c, 1.0, Q_(4, "MW")).heat_export.pump_head.m_as("m")
    h8 = _operate(c, 1.0, Q_(8, "MW")).heat_export.pump_head.m_as("m")
    est, _ = head_start(dh, [(4e6, h4, None), (8e6, h8, None)], 6e6)
    r6 = _operate(c, 1.0, Q_(6, "MW"))
    h6 = r6.heat_export.pump_head.m_as("m")
    # the estimate lies within 1 % of the head the solve settles on, much closer than
    # the last head, and the campus needs at most the Newton and one more step
    assert est == pytest.approx(h6, rel=1e-2)
    assert abs(est - h6) < 0.2 * abs(h8 - h6)
    assert r6.heat_export.iterations <= 3


def test_the_settled_head_does_not_depend_on_where_it_started(exporting):
    c = exporting
    heads, power = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        for before in (Q_(2, "MW"), Q_(9, "MW")):
            _operate(c, 0.8, before)
            r = _operate(c, 0.8, Q_(6, "MW"))
            heads.append(r.heat_export.pump_head.m_as("m"))
            power.append(r.power["total"].m_as("W"))
    # both within the band the head settles to (the campus' HeatExport.tol, 1e-5 of the
    # head: 0.2 mm here); the other loops' actuators settle to their own tolerance
    # along their own path from each start (control_rtol 1e-6 of a 100 K scale: 1e-4 K
    # on each CDU's supply, about 1e-5 of its facility flow; a few watts of the pumps'
    # few hundred kW, 3.5 W measured: 2e-7 of the total)
    assert heads[0] == pytest.approx(heads[1], rel=c.heat_export.tol)
    assert power[0] == pytest.approx(power[1], rel=1e-6)


# ------------------------------------------ the head settled alongside the controls
def _critical_of(r, dh):
    nr = r.result
    return min((nr.pressure(f"{c.name}:in") - nr.pressure(f"ret:{c.name}")).m_as("Pa")
               for c in dh.consumers)


def test_with_controls_the_head_settles_in_the_one_controlled_solve(exporting):
    # the campus' operating network has controls: the head is settled alongside them
    # (one network solve), to the same band as the iteration around the solve
    c = exporting
    dh = c.heat_export.dh
    rho_g = _rho_g(dh)
    for load, demand in ((0.9, Q_(3, "MW")), (0.6, Q_(9, "MW")), (1.0, Q_(5, "MW"))):
        r = _operate(c, load, demand)
        head = r.heat_export.pump_head.m_as("m")
        assert r.heat_export.iterations == 1
        # the campus' head tolerance (HeatExport.tol, 1e-5: 0.5 mm of a 50 m head)
        assert 0.0 <= _critical_of(r, dh) - dh.valve_dp_min <= c.heat_export.tol * rho_g * head
        assert not [f for f in r.flags if f.kind == "consumer_underpressure"]
        # the other loops are held as before, and the network keeps the settled head
        assert all(v["met"] for v in r.controls.values())
        assert c.operating_network.component("dh_pump").fixed_rise[0] == pytest.approx(
            head, rel=1e-12)


def test_the_regulator_keeps_the_consumers_and_pump_place_checked(exporting):
    # what the head regulator reads of the compiled network (the consumers' edges and
    # their nodes, the pump's place in its group) is kept in its cache; a place that
    # is wrong (a stale cache) is searched again, and the head is the same
    c = exporting
    dh = c.heat_export.dh
    r = _operate(c, 0.9, Q_(5, "MW"))
    cn = c.operating_network.compile()
    names = tuple(x.name for x in dh.consumers)
    cid, start, end = cn.cache[("dh_consumer_ends", names)]
    # (found by the consumers' tuple while it is the district heating's)
    assert cn.cache["dh_consumers"][0] is dh.consumers
    assert cn.cache["dh_consumers"][1] is cn.cache[("dh_consumer_ends", names)]
    np.testing.assert_array_equal(cid, [cn.edge_id(n) for n in names])
    np.testing.assert_array_equal(start, cn.start[cid])
    np.testing.assert_array_equal(end, cn.end[cid])
    e = cn.edge_id("dh_pump")
    law = nt.components.kinds.HydraulicLaw.FIXED_RISE
    k = cn.cache[("dh_pump_place", e)]
    assert cn.hgroups[law].idx[k] == e
    again = _operate(c, 0.9, Q_(5, "MW"))
    cn.cache[("dh_pump_place", e)] = k + 1 if k + 1 < len(cn.hgroups[law]) else 10 ** 6
    stale = _operate(c, 0.9, Q_(5, "MW"))
    assert cn.cache[("dh_pump_place", e)] == k
    # (the same point from another warm start: the same head, to round-off)
    assert stale.heat_export.pump_head.m_as("m") == pytest.approx(
        again.heat_export.pump_head.m_as("m"), rel=1e-9)
    assert _critical_of(stale, dh) == pytest.approx(_critical_of(again, dh), rel=1e-9)
    assert r.heat_export.iterations == stale.heat_export.iterations == 1


def test_the_regulated_head_is_the_iterated_one(plant):
    # the same condition as the iteration around the solve: a heat-export plant solved
    # as built (no controls: the head iterated around the solve) and with a control
    # added that is met where it starts (the source flow held at its own value: the
    # solve is controlled, so the head is regulated alongside it) settle on one head
    dh = plant.dh
    rho_g = _rho_g(dh)
    res_i, it_i, head_i, _ = solve_regulated(plant.build(60.0), dh, warn=False)
    net = plant.build(60.0)
    m_src = abs(res_i.mass_flow("heat_pump:evap").m_as("kg/s"))
    net.update_boundary("src:in", mass_flow=Q_(m_src, "kg/s"))
    net.add_control("source_flow", actuator=("boundary_flow", "src:in"),
                    target=("flow", "heat_pump:evap"), setpoint=Q_(m_src, "kg/s"),
                    bounds=(Q_(0.5 * m_src, "kg/s"), Q_(2 * m_src, "kg/s")))
    res_r, it_r, head_r, _ = solve_regulated(net, dh, warn=False)
    assert it_i >= 2 and it_r == 1
    assert res_r.controls["source_flow"]["met"]
    for res, head in ((res_i, head_i), (res_r, head_r)):
        assert 0.0 <= _critical(res, dh) - dh.valve_dp_min <= 1e-7 * rho_g * head
    assert head_r == pytest.approx(head_i, rel=3e-7)
    assert res_r.heat_pump("heat_pump")["electric_power"].m_as("W") == pytest.approx(
        res_i.heat_pump("heat_pump")["electric_power"].m_as("W"), rel=1e-6)


def test_a_regulator_needs_controls_and_is_restored_on_failure(plant):
    from narvik_thermal.errors import ConvergenceError, InputError
    from narvik_thermal.network.solve import solve
    net = plant.build(60.0)

    class Reg:
        def start(self, cn):
            raise AssertionError("not started without controls")

    with pytest.raises(InputError, match="regulator is iterated with the network's controls"):
        solve(net, regulator=Reg(), warn=False)
    # a regulator that never settles: the control iteration gives up (max_control)
    # and the regulator puts its actuator back
    net.add_control("source_flow", actuator=("boundary_flow", "src:in"),
                    target=("flow", "heat_pump:evap"), setpoint=Q_(100, "kg/s"),
                    bounds=(Q_(50, "kg/s"), Q_(200, "kg/s")))
    calls = []

    class Never:
        def start(self, cn):
            calls.append("start")

        def observe(self, st, move=True):
            calls.append("observe")
            return False

        def hold(self, st):
            calls.append("hold")

        def release(self):
            calls.append("release")

        def finish(self, st):
            calls.append("finish")

        def restore(self):
            calls.append("restore")

        def write_back(self, net):
            calls.append("write_back")

    with pytest.raises(ConvergenceError, match="regulated loop did not settle"):
        solve(net, regulator=Never(), warn=False, max_control=6)
    assert calls[0] == "start" and calls[-1] == "restore"
    assert "finish" not in calls and "write_back" not in calls
    assert calls.count("observe") >= 6
