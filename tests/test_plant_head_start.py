"""The district-heating pump head's start in operation: the first step's slope
(``solve_regulated(initial_slope=)``, ``result.convergence["head_slope"]``) and the
campus' start head from the last two points (``Campus._head_estimate``).

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
from narvik_thermal.plant.heat_export_network import HeatPumpSpec, solve_regulated

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


@pytest.fixture(scope="module")
def exporting():
    cs = town_consumers(Q_(10, "MW"), 4, branches=2, spacing=Q_(200, "m"))
    dh = district_heating_network(list(cs), trunk_length=Q_(5, "km"))
    return Campus(Q_(20, "MW"), heat_export=HeatExport(dh=dh, heat_pumps=HP))


def test_the_start_head_follows_the_demand_as_a_power_law(exporting):
    c = exporting
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        c.operate(1.0, heat_demand=Q_(4, "MW"))
        h4 = c._operating["dh_head"]
        c.operate(1.0, heat_demand=Q_(8, "MW"))
        h8 = c._operating["dh_head"]
    op = c._operating
    assert [q for q, _ in op["dh_reference"]] == pytest.approx([4e6, 8e6])
    # the two points themselves are reproduced exactly
    assert c._head_estimate(op, 4e6) == pytest.approx(h4, rel=1e-12)
    assert c._head_estimate(op, 8e6) == pytest.approx(h8, rel=1e-12)
    # a third demand: the estimate lies within 1 % of the head the solve settles on, and
    # much closer than the last head
    est = c._head_estimate(op, 6e6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        c.operate(1.0, heat_demand=Q_(6, "MW"))
    h6 = c._operating["dh_head"]
    assert est == pytest.approx(h6, rel=1e-2)
    assert abs(est - h6) < 0.2 * abs(h8 - h6)
    # nothing to go by: no estimate
    assert c._head_estimate(dict(op, dh_reference=[]), 6e6) is None
    assert c._head_estimate(op, 0.0) is None


def test_the_settled_head_does_not_depend_on_where_it_started(exporting):
    c = exporting
    heads, power = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        for before in (Q_(2, "MW"), Q_(9, "MW")):
            c.operate(0.8, heat_demand=before)
            r = c.operate(0.8, heat_demand=Q_(6, "MW"))
            assert r.energy_closure <= 1e-9
            heads.append(c._operating["dh_head"])
            power.append(r.power["total"].m_as("W"))
    assert heads[0] == pytest.approx(heads[1], rel=2e-7)
    assert power[0] == pytest.approx(power[1], rel=1e-7)
