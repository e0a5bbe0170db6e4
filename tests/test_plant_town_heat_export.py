"""plant.town_heat_export: the town heat export of the demo, the annual command and the
benchmarks (substations on a district-heating network fed by the default heat pumps)."""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError


def test_town_heat_export_builds_the_stated_network():
    he = nt.plant.town_heat_export(Q_(12, "MW"), substations=4, trunk_length=Q_(3, "km"),
                                   pressure_rating=Q_(25, "bar"))
    assert isinstance(he, nt.plant.HeatExport)
    assert len(he.dh.consumers) == 4
    assert sum(c.heat.m_as("MW") for c in he.dh.consumers) == pytest.approx(12.0, rel=1e-12)
    assert he.dh.trunk_length == pytest.approx(3000.0)
    assert he.dh.pressure_rating == pytest.approx(25e5)
    assert he.dh.supply_temperature == pytest.approx(358.15)
    assert he.dh.return_temperature == pytest.approx(318.15)
    assert he.heat_pumps == nt.plant.HeatPumpSpec()
    hp = nt.plant.HeatPumpSpec(model="carnot_fraction", efficiency=0.5)
    assert nt.plant.town_heat_export(Q_(5, "MW"), heat_pumps=hp).heat_pumps is hp


def test_town_heat_export_bad_input():
    with pytest.raises(InputError):
        nt.plant.town_heat_export(Q_(-5, "MW"))
    with pytest.raises(InputError):
        nt.plant.town_heat_export(Q_(5, "MW"), substations=0)


def test_a_town_far_larger_than_the_data_centre_runs_source_limited():
    # 5 MW of IT under a 72 MW town: the heat pumps are held by their source's freeze
    # protection and the peak boiler covers the rest. The source-side capacity, read
    # from the source inlet of the last iteration, alternated 18.4 ↔ 0 MW (inlet
    # 32 ↔ −12 °C) and the design solve of the operating network failed with a
    # ConvergenceError; it is now mixed and converges
    import numpy as np
    campus = nt.plant.Campus(Q_(5, "MW"), site=nt.climate.site("narvik"),
                             heat_export=nt.plant.town_heat_export(Q_(72, "MW")))
    op = campus.operate(0.9, warn=False)
    assert op.energy_closure <= 1e-9
    kinds = {f.kind for f in op.result.flags}
    assert "heat_pump_limit" in kinds
    hp = op.result.state.heat_pumps
    assert bool(np.all(hp["source_limited"]))
    # the evaporator takes what the freeze protection allows: its outlet at 2 °C
    t_min = float(hp["min_source_outlet"][0])
    cn = op.result.compiled
    ev = cn.hp_evap[0]
    t_out = float(op.result.state.outlet_temperature[ev])
    assert t_out == pytest.approx(t_min, abs=1e-3)
    # the heat pumps deliver far less than the town takes; the boiler the rest
    delivered = float(hp["heat_sink"].sum())
    assert 1e6 < delivered < 20e6


@pytest.mark.parametrize("demand_mw", [0.0, 1e-3])
def test_no_or_tiny_town_demand_closes_the_balance(demand_mw):
    """A summer night without town demand: the district-heating network stands still.

    Before: at 0 MW the stagnant trunk still "lost" heat at its inlet temperature
    (energy closure 4.3e-3, flag ``no_flow_heat``); at 1 kW the return arrived at
    ground temperature, below the facility water, and the first of the four heat
    pumps in series had a negative lift: ``InputError`` from the refrigerant cycle
    inside the solve."""
    import numpy as np
    campus = nt.plant.Campus(Q_(20, "MW"), heat_export=nt.plant.town_heat_export(Q_(8, "MW")))
    op = campus.operate(0.9, month=1, heat_demand=Q_(demand_mw, "MW"), warn=False)
    assert op.energy_closure <= 1e-9
    kinds = {f.kind for f in op.result.flags}
    assert "no_flow_heat" not in kinds
    losses = op.heat["network_losses"].m_as("W")
    if demand_mw == 0.0:
        # nothing flows: the pipes sit at ground temperature and lose nothing
        assert losses == 0.0 and op.heat["delivered"].m_as("W") == 0.0
        assert op.power["heat_pumps"].m_as("W") < 1e-9       # round-off of no flow
        # idle for want of flow: off, and not flagged as off for a hot sink (the
        # stagnant condenser inlet's temperature is a neighbour's, whatever the
        # points before left it; the flag came and went with them)
        from narvik_thermal.components.kinds import HeatPumpMode
        assert np.all(op.result.state.heat_pumps["mode"] == HeatPumpMode.OFF)
        assert "heat_pump_off" not in kinds
        cn = op.result.compiled
        t_ground = float(cn.tgroups[nt.components.kinds.ThermalLaw.AMBIENT]
                         .params["ambient"][0])
        sup = op.result.temperature("plant:supply").m_as("K")
        far = [op.result.temperature(n).m_as("K") for n in cn.node_names
               if n.startswith("sup:")]
        assert np.allclose(far, t_ground, atol=1e-9)
        assert np.isfinite(sup)
    else:
        # a trickle cannot carry 1 kW through 5 km of trunk: flagged, not faked
        assert "consumer_heat_not_met" in kinds
        assert 0.0 < losses


@pytest.mark.parametrize("path", [
    [(0.5, 7, 12.0), (1.1, 1, 0.0), (1.0, 12, 0.5), (0.3, 11, 4.0), (0.3, 10, 0.5),
     (0.5, 8, 8.0), (0.1, 1, 16.0), (1.0, 11, 8.0)],
    [(1.0, 12, 16.0), (0.8, 12, 16.0), (1.1, 1, 4.0), (0.8, 4, 4.0), (0.8, 10, 8.0),
     (0.3, 9, 16.0), (0.3, 7, 4.0)],
])
def test_a_point_does_not_depend_on_the_points_before_it(path):
    """Operating points far apart, each warm-started from the last (IT load, month,
    town demand in MW): the last one equals the same point on a fresh campus.

    Before: the controls took the sign of each actuator's own effect from the kept
    Jacobian, whose secant updates had turned the seawater loop's (the loop rests at
    its lowest flow for hours): the seawater pumps ran at full flow with the facility
    water far below its set-point, 2–10 % more electricity, a sub-atmospheric pump
    suction flagged as boiling — in 11 of 120 such points, and one ConvergenceError."""
    def point(c, load, month, demand):
        return c.operate(load, month=month, heat_demand=Q_(demand, "MW"), warn=False)

    def make():
        return nt.plant.Campus(Q_(20, "MW"), heat_export=nt.plant.town_heat_export(Q_(8, "MW")))

    c = make()
    for p in path:
        warm = point(c, *p)
    fresh = point(make(), *path[-1])
    assert warm.power["total"].m_as("W") == pytest.approx(fresh.power["total"].m_as("W"),
                                                           rel=1e-6)
    for name, ctl in fresh.result.controls.items():
        assert warm.result.controls[name]["actuator"].m == pytest.approx(ctl["actuator"].m,
                                                                         abs=1e-4)
    assert {f.kind for f in warm.result.flags} == {f.kind for f in fresh.result.flags}
    assert warm.energy_closure <= 1e-9


def _export_campus():
    return nt.plant.Campus(Q_(20, "MW"), heat_export=nt.plant.town_heat_export(Q_(8, "MW")))


def test_a_warm_start_whose_controls_fail_starts_again_from_the_design_point():
    """10 % load with 16 MW of town demand (the CDU valves shut at their bound), then 50 %
    load with 0.5 MW: the controls' first step from there overshot, their local steps
    walked a CDU valve wide open (the facility water warms with its flow while the
    seawater pumps rest at their lowest: a local minimum of the errors) and the operate
    raised "no step lowers the control errors", where a new campus solves the point.
    Now the failed warm start is solved again from the design point of the operating
    plant, as a new campus is: the same answer, and the first failure on record.
    (Solved step by step, ``simultaneous_control=False``, as when this was found; with the
    actuators moved within the first solve, the default, the same point from the same
    start reaches the same answer too.)"""
    import copy
    c = _export_campus()
    c.operate(0.1, month=10, heat_demand=Q_(16, "MW"), warn=False, simultaneous_control=False)
    twin = copy.deepcopy(c)
    warm = c.operate(0.5, month=10, heat_demand=Q_(0.5, "MW"), warn=False,
                     simultaneous_control=False)
    assert "no step lowers the control errors" in warm.result.convergence["restarted"]
    fresh = _export_campus().operate(0.5, month=10, heat_demand=Q_(0.5, "MW"), warn=False,
                                     simultaneous_control=False)
    direct = twin.operate(0.5, month=10, heat_demand=Q_(0.5, "MW"), warn=False)
    assert direct.power["total"].m_as("W") == pytest.approx(fresh.power["total"].m_as("W"),
                                                             rel=1e-6)
    assert all(v["met"] for v in direct.result.controls.values())
    assert "restarted" not in fresh.result.convergence
    assert warm.power["total"].m_as("W") == pytest.approx(fresh.power["total"].m_as("W"),
                                                           rel=1e-9)
    for name, ctl in fresh.result.controls.items():
        assert warm.result.controls[name]["actuator"].m == pytest.approx(ctl["actuator"].m,
                                                                         abs=1e-6)
    assert warm.energy_closure <= 1e-9
    # the next point warm-starts from the restarted one as from any other
    nxt = c.operate(0.55, month=10, heat_demand=Q_(0.5, "MW"), warn=False)
    assert "restarted" not in nxt.result.convergence


def test_a_restart_that_fails_too_raises_the_first_failure_and_keeps_the_actuators(
        monkeypatch):
    """If the solve from the design point fails as well (and, at part load, the steps in
    the load from the design's), the first failure is raised and the network's
    actuators are where the failed warm start left them (as every failed solve leaves
    them)."""
    from narvik_thermal.network.solve import controls_snapshot
    from narvik_thermal.plant.campus import Campus

    c = _export_campus()
    c.operate(0.8, month=3, heat_demand=Q_(4, "MW"), warn=False)
    net = c.operating_network
    before = controls_snapshot(net)["actuators"]
    calls = []

    def failing(self, op, options, init, head, slope):
        calls.append(init)
        raise nt.ConvergenceError(f"failure {len(calls)}")

    monkeypatch.setattr(Campus, "_solve_from", failing)
    with pytest.raises(nt.ConvergenceError, match="failure 1"):
        c.operate(0.6, month=3, heat_demand=Q_(4, "MW"), warn=False)
    # the warm start, the design point, then the steps in the load from the design's:
    # 0.8, 0.9, 0.95, 0.975 (each failed step halved, down to 0.02 of the load), each
    # from the design point, since none succeeded
    assert len(calls) == 6
    assert all(x is calls[1] for x in calls[2:])
    assert controls_snapshot(net)["actuators"] == before


def test_a_tiny_town_demand_at_the_end_of_the_line_settles():
    """1 % of a 2 MW town's design demand: along the 5 km trunk the supply cools below
    the return set-point of some substations at the flows they take when delivering,
    and rises above it at the flow they take when not. Every outer iteration swung
    between the two (a ConvergenceError after 30); the consumers' flows are now mixed
    across the alternation (the map is continuous there), the point settles, and what
    is not delivered is flagged."""
    from narvik_thermal.plant.campus import Campus

    c = Campus(Q_(20, "MW"), site="narvik",
               heat_export=nt.plant.town_heat_export(Q_(2, "MW")))
    c.operate(1.0, warn=False)
    r = c.operate(1.0, heat_demand=Q_(20, "kW"), warn=False)
    assert r.energy_closure <= 1e-9
    assert 0 < r.heat["delivered"].m_as("kW") < 20
    short = [f for f in r.flags if f.kind == "consumer_heat_not_met"]
    assert short and r.result.convergence["outer"] < 30


def test_a_town_twice_the_campus_is_source_limited_not_a_failure():
    """A 40 MW town on a 20 MW campus: the heat pump cannot take more from the
    facility water than freeze protection allows. Its capacity alternated every outer
    iteration between limited (24.5 MW, the source then warmer) and not (46.7 MW) and
    the design solve raised a ConvergenceError about CDU hydraulics; the capacity is
    now mixed across the alternation, the pump settles at its source's limit, flagged,
    and the boiler covers the rest."""
    from narvik_thermal.plant.campus import Campus

    c = Campus(Q_(20, "MW"), site="narvik",
               heat_export=nt.plant.town_heat_export(Q_(40, "MW")))
    r = c.solve(warn=False)
    hp = r.heat_export.heat_pump["heat_sink"].m_as("MW")
    assert 30 < hp < 40
    assert any(f.kind == "heat_pump_limit" and "source" in f.message for f in r.flags)
    # the town's heat and the line's losses: the heat pump's, the rest the boiler's (and
    # the district-heating pumps' heat, 0.1 MW)
    need = r.heat["delivered"].m_as("MW") + r.heat["network_losses"].m_as("MW")
    assert r.heat["boiler"].m_as("MW") == pytest.approx(need - hp, abs=0.2)
    assert r.energy_closure <= 1e-9


def test_the_sea_as_a_heat_source_is_flagged():
    """A 5 MW town on a 2 MW campus: the heat pumps take 2.1 MW from the facility water,
    more than the campus rejects into it, so the seawater exchanger warms the facility
    water from the fjord (heat["to_sea"] −0.29 MW). The balance held but nothing said
    so; the point now carries ``heat_drawn_from_sea`` with the heat drawn, issued once
    as a warning. A 1 MW town at the same campus draws nothing and is not flagged."""
    import warnings
    c = nt.plant.Campus(Q_(2, "MW"), heat_export=nt.plant.town_heat_export(Q_(5, "MW")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        op = c.operate(1.0, month=1)
    drawn = -op.heat["to_sea"].m_as("MW")
    assert drawn > 0.1 and op.energy_closure <= 1e-9
    flag = [f for f in op.flags if f.kind == "heat_drawn_from_sea"]
    assert len(flag) == 1 and f"{drawn:.3f} MW of it is drawn from the fjord" in flag[0].message
    assert sum("drawn from the fjord" in str(w.message) for w in caught) == 1
    small = c.operate(1.0, month=1, heat_demand=Q_(1, "MW"), warn=False)
    assert small.heat["to_sea"].m_as("MW") > 0
    assert not any(f.kind == "heat_drawn_from_sea" for f in small.flags)
