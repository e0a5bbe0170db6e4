"""A refresh of the compiled network's values (``Network.update`` then a solve)
gathers anew only the law groups whose components changed, and those a solve writes
into (:data:`~narvik_thermal.network.compiled.ACTUATED_LAWS`); its groups must equal
those of a network compiled afresh, and the groups it keeps must never be written."""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.network.compiled import ACTUATED_LAWS, compile_network
from narvik_thermal.network.controls import actuator_law
from narvik_thermal.plant.campus import Campus


def _all_groups(cn):
    return {("hydraulic", k): g for k, g in cn.hgroups.items()} | \
        {("thermal", k): g for k, g in cn.tgroups.items()} | \
        {("kind", k): g for k, g in cn.kgroups.items()}


def _assert_as_compiled_afresh(net):
    cn = net.compile()
    fresh = compile_network(net.topology())
    got, want = _all_groups(cn), _all_groups(fresh)
    assert got.keys() == want.keys()
    for key, g in want.items():
        np.testing.assert_array_equal(got[key].idx, g.idx, err_msg=str(key))
        assert got[key].params.keys() == g.params.keys()
        for p, v in g.params.items():
            assert got[key].params[p].dtype == v.dtype, (key, p)
            np.testing.assert_array_equal(got[key].params[p], v, err_msg=f"{key} {p}")
    np.testing.assert_array_equal(cn.hp_t_supply, fresh.hp_t_supply)
    return cn


def _freeze_kept(cn):
    """Make the groups a refresh may keep read-only: a solve writing into one fails."""
    for key, g in _all_groups(cn).items():
        if key not in ACTUATED_LAWS:
            g.idx.flags.writeable = False
            for v in g.params.values():
                v.flags.writeable = False


def test_every_edge_actuator_law_is_gathered_anew():
    side = {"h": "hydraulic", "t": "thermal"}
    for kind in ("pump_speed", "pump_flow", "valve_opening", "setpoint_temperature"):
        s, law, _ = actuator_law(kind)
        assert (side[s], law) in ACTUATED_LAWS, kind
    # the heat-export plant regulates a fixed-rise pump's head in place
    assert ("hydraulic", nt.components.kinds.HydraulicLaw.FIXED_RISE) in ACTUATED_LAWS


def _loop():
    net = nt.Network("refresh", fluid=nt.fluids.water())
    net.add_pump("pump", "a", "b", curve=(Q_([0, 10, 20], "m^3/h"), Q_([30, 25, 12], "m")))
    net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
    net.add_valve("valve", "c", "d", kvs=Q_(20, "m^3/h"), opening=0.7)
    net.add_heat_load("load", "d", "e", heat=Q_(20, "kW"))
    net.add_heat_load("load2", "e", "f", heat=Q_(5, "kW"), pressure_drop=Q_(10, "kPa"),
                      rated_flow=Q_(1, "kg/s"))
    net.add_setpoint("cool", "f", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.add_control("flow", actuator=("valve_opening", "valve"), target=("flow", "pipe"),
                    setpoint=Q_(8, "m^3/h"), bounds=(0.05, 1.0))
    return net


def test_refresh_gathers_what_a_fresh_compile_gathers():
    net = _loop()
    res = net.solve(warn=False)
    cn = _assert_as_compiled_afresh(net)
    before = _all_groups(cn)
    opening = float(cn.hgroups[nt.components.kinds.HydraulicLaw.VALVE_KV].params["opening"][0])
    net.update("load", heat=Q_(30, "kW"))
    cn = _assert_as_compiled_afresh(net)
    after = _all_groups(cn)
    # the pipe's group is kept; the heat loads' and the actuated groups are new
    law = nt.components.kinds
    darcy = ("hydraulic", law.HydraulicLaw.DARCY)
    assert after[darcy] is before[darcy]
    assert after[("thermal", law.ThermalLaw.FIXED_HEAT)] is not \
        before[("thermal", law.ThermalLaw.FIXED_HEAT)]
    for key in ACTUATED_LAWS:
        assert after[key] is not before[key]
    _freeze_kept(cn)
    res2 = net.solve(initial=res, warn=False)
    assert res2.converged
    # the result solved before keeps the valve opening it was solved with
    assert float(res.compiled.hgroups[law.HydraulicLaw.VALVE_KV].params["opening"][0]) == opening
    for key, value in (("heat", Q_(12, "kW")), ("speed", 0.9), ("opening", 0.4)):
        name = {"heat": "load2", "speed": "pump", "opening": "valve"}[key]
        net.update(name, **{key: value})
        cn = _assert_as_compiled_afresh(net)
        _freeze_kept(cn)
        assert net.solve(initial=res2, warn=False).converged
    # a refresh after a failed or interrupted solve drops the trial actuators
    cn.hgroups[law.HydraulicLaw.VALVE_KV].params["opening"][0] = 0.123
    net.refresh_compiled()
    _assert_as_compiled_afresh(net)


@pytest.mark.parametrize("heat_export", [False, True])
def test_operating_points_keep_groups_that_no_solve_writes(heat_export):
    kw = {"heat_export": nt.plant.town_heat_export(Q_(15, "MW"))} if heat_export else {}
    campus = Campus(Q_(290 if heat_export else 20, "MW"), **kw)
    extra = {"heat_demand": Q_(12, "MW")} if heat_export else {}
    campus.operate(0.9, month=1, warn=False, **extra)
    net = campus.operating_network
    for load in (0.8, 0.95, 0.85):
        cn = _assert_as_compiled_afresh(net)
        _freeze_kept(cn)
        if heat_export:
            extra = {"heat_demand": Q_(15 * load, "MW")}
        campus.operate(load, month=1, warn=False, **extra)
    _assert_as_compiled_afresh(net)


def test_a_regathered_group_reuses_the_arrays_its_changes_leave():
    # a cold plate's heat updated: its sides are new objects, so every group of a cold
    # plate is gathered again; the parameters the update did not change (the rated point,
    # the thermal resistance) are the arrays gathered before, the heat a new one; a group
    # none of whose parameters changed (the rated point's) is the group kept
    law = nt.components.kinds
    net = nt.Network("plates", fluid=nt.fluids.water())
    net.add_pump("pump", "a", "b", curve=(Q_([0, 10, 20], "m^3/h"), Q_([30, 25, 12], "m")))
    for k, load in enumerate((1.0, 1.2)):
        net.add_cold_plate(f"gpu{k}", "b", "c", heat=Q_(load, "kW"),
                           thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(2, "L/min"),
                           rated_pressure_drop=Q_(20, "kPa"), count=4)
    net.add_setpoint("cool", "c", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.solve(warn=False)
    before = _all_groups(net.compile())
    net.update("gpu1", heat=Q_(1.5, "kW"))
    cn = _assert_as_compiled_afresh(net)
    after = _all_groups(cn)
    plates = ("kind", law.EdgeKind.COLD_PLATE)
    assert after[plates] is not before[plates]
    assert after[plates].idx is before[plates].idx
    for key, v in after[plates].params.items():
        assert (v is before[plates].params[key]) == (key != "heat"), key
    rated = ("hydraulic", law.HydraulicLaw.POWER_LAW)
    assert after[rated] is before[rated]
    np.testing.assert_array_equal(after[plates].params["heat"], [1e3, 1.5e3])
    # an actuated group is a copy at every refresh, of values no solve wrote into
    curve = ("hydraulic", law.HydraulicLaw.PUMP_CURVE)
    assert all(v is not before[curve].params[k] for k, v in after[curve].params.items())
    after[curve].params["speed"][0] = 0.5
    net.refresh_compiled()
    assert net.compile().hgroups[law.HydraulicLaw.PUMP_CURVE].params["speed"][0] == 1.0
    _freeze_kept(cn)
    assert net.solve(warn=False).converged


def test_a_refresh_sorts_the_sides_again_where_a_law_changed():
    # a refresh keeps where each law's sides sit among all sides while every new side
    # has the laws of the one it replaces; a component of another law in its place (as
    # refresh_values would be given it) sorts the sides again: the groups are those of
    # a fresh compile either way
    from narvik_thermal.network.compiled import refresh_values

    def loop(**pump):
        net = nt.Network("swap", fluid=nt.fluids.water())
        net.add_pump("pump", "a", "b", **pump)
        net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
        net.add_heat_load("load", "c", "d", heat=Q_(20, "kW"))
        net.add_setpoint("cool", "d", "a", outlet_temperature=Q_(20, "degC"))
        net.add_expansion_tank("a", pressure=Q_(2, "bar"))
        return net

    curve = loop(curve=(Q_([0, 10, 20], "m^3/h"), Q_([30, 25, 12], "m")))
    fixed = loop(flow=Q_(8, "m^3/h"))
    cn = compile_network(curve.topology())
    law = nt.components.kinds.HydraulicLaw
    for net in (fixed, curve, fixed):
        refresh_values(cn, net.topology().blocks)
        want = _all_groups(compile_network(net.topology()))
        got = _all_groups(cn)
        for key, g in want.items():
            np.testing.assert_array_equal(got[key].idx, g.idx, err_msg=str(key))
            for p, v in g.params.items():
                np.testing.assert_array_equal(got[key].params[p], v, err_msg=f"{key} {p}")
    assert len(cn.hgroups[law.FIXED_FLOW]) == 1 and len(cn.hgroups[law.PUMP_CURVE]) == 0
