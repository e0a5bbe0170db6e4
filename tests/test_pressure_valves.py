"""Pressure-reducing, pressure-sustaining and pressure-breaker valves: their
states (EPANET's active, open, closed), the ``("pressure", node)`` control
target they rest on, updates and files."""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.components.hydraulics import KV_TO_SI
from narvik_thermal.errors import InputError
from narvik_thermal.network.controls import resolve_controls

WATER = nt.fluids.water()
T = Q_(20, "degC")
KVS = 40.0                      # m³/h


def bar(r, node):
    return float(r.nodes["pressure"].to_series()[node]) / 1e5


def flow(r, edge):
    return float(r.edges["mass_flow"].to_series()[edge])


def prv_line(setting, inlet=8.0, demand=2.0, **kw):
    """Reservoir a (``inlet`` bar) → PRV → b → pipe → c, ``demand`` kg/s drawn at c."""
    net = nt.Network("prv", fluid=WATER)
    net.add_pressure_boundary("a", pressure=Q_(inlet, "bar"), temperature=T)
    net.add_pressure_reducing_valve("prv", "a", "b", setting=Q_(setting, "bar"),
                                    kvs=Q_(KVS, "m^3/h"), **kw)
    net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
    net.add_flow_boundary("c", mass_flow=Q_(-demand, "kg/s"), temperature=T)
    return net


def kv_drop(r, edge, m):
    """Pressure drop of the fully open Kv valve at mass flow ``m`` [Pa]."""
    rho = m / float(r.edges["volume_flow"].to_series()[edge])
    return KV_TO_SI * m * m / (rho * KVS**2)


def test_prv_active_holds_its_outlet_at_the_setting():
    r = prv_line(3.0).solve()
    assert bar(r, "b") == pytest.approx(3.0, rel=1e-5)
    c = r.controls["prv"]
    assert c["met"] and 0 < c["actuator"].magnitude < 1
    assert flow(r, "prv") == pytest.approx(2.0, rel=1e-9)
    assert not r.flags


def test_prv_open_when_the_inlet_cannot_reach_the_setting():
    # setting above the supply: fully open, an upper limit that is met
    r = prv_line(9.0).solve()
    c = r.controls["prv"]
    assert c["met"] and c["actuator"].magnitude == 1.0
    assert (8.0 - bar(r, "b")) * 1e5 == pytest.approx(kv_drop(r, "prv", 2.0), rel=1e-6)
    assert not r.flags


def test_prv_shut_when_its_outlet_is_above_the_setting_anyway():
    # a second supply holds b at 5 bar: the PRV (3 bar) shuts and says so
    net = prv_line(3.0)
    net.add_pipe("feed", "d", "b", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("d", pressure=Q_(5, "bar"), temperature=T)
    r = net.solve(warn=False)
    c = r.controls["prv"]
    assert c["actuator"].magnitude == 0.0 and not c["met"] and c["saturated"]
    assert abs(flow(r, "prv")) < 1e-4
    assert bar(r, "b") > 3.0
    assert "setpoint_not_met" in {f.kind for f in r.flags}


def test_prv_blocks_reverse_flow():
    # the outlet side at 9 bar, the inlet at 8: a PRV is a check valve too
    net = prv_line(3.0)
    net.update_boundary("c", mass_flow=Q_(0, "kg/s"))
    net.add_pipe("feed", "d", "c", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("d", pressure=Q_(9, "bar"), temperature=T)
    r = net.solve(warn=False)
    assert -1e-4 < flow(r, "prv") <= 0.0
    assert bar(r, "b") > 8.0


def sustaining_line(setting):
    """Reservoir a (6 bar) → pipe → b → PSV → c (1 bar)."""
    net = nt.Network("psv", fluid=WATER)
    net.add_pressure_boundary("a", pressure=Q_(6, "bar"), temperature=T)
    net.add_pipe("pipe", "a", "b", length=Q_(200, "m"), diameter=Q_(40, "mm"))
    net.add_pressure_sustaining_valve("psv", "b", "c", setting=Q_(setting, "bar"),
                                      kvs=Q_(KVS, "m^3/h"))
    net.add_pressure_boundary("c", pressure=Q_(1, "bar"), temperature=T)
    return net


def test_psv_active_holds_its_inlet_at_the_setting():
    r = sustaining_line(4.0).solve()
    assert bar(r, "b") == pytest.approx(4.0, rel=1e-5)
    assert r.controls["psv"]["met"] and 0 < r.controls["psv"]["actuator"].magnitude < 1
    assert flow(r, "psv") > 0


def test_psv_open_when_its_inlet_stays_above_the_setting():
    r = sustaining_line(1.05).solve()        # fully open, b is at 1.11 bar
    c = r.controls["psv"]
    assert c["met"] and c["actuator"].magnitude == 1.0
    assert bar(r, "b") > 1.05
    assert (bar(r, "b") - 1.0) * 1e5 == pytest.approx(kv_drop(r, "psv", flow(r, "psv")),
                                                      rel=1e-6)


def test_psv_setting_can_be_updated_through_its_control():
    net = sustaining_line(4.0)
    net.update_control("psv", setpoint=Q_(3, "bar"))
    assert bar(net.solve(), "b") == pytest.approx(3.0, rel=1e-5)


@pytest.mark.parametrize("a, c, sign", [(6.0, 1.0, 1), (1.0, 6.0, -1)],
                         ids=["forward", "reverse"])
def test_pressure_breaker_imposes_its_drop_either_way(a, c, sign):
    net = nt.Network("pbv", fluid=WATER)
    net.add_pressure_boundary("a", pressure=Q_(a, "bar"), temperature=T)
    net.add_pipe("p1", "a", "b", length=Q_(100, "m"), diameter=Q_(40, "mm"))
    net.add_pressure_breaker_valve("pbv", "b", "c", drop=Q_(1.5, "bar"))
    net.add_pipe("p2", "c", "d", length=Q_(100, "m"), diameter=Q_(40, "mm"))
    net.add_pressure_boundary("d", pressure=Q_(c, "bar"), temperature=T)
    r = net.solve()
    assert bar(r, "b") - bar(r, "c") == pytest.approx(1.5, rel=1e-9)
    assert sign * flow(r, "pbv") > 0
    # a head drop, and its update
    net.update("pbv", drop=Q_(1.0, "bar"))
    assert bar(net.solve(), "b") - bar(net.solve(), "c") == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(InputError, match=r"was given a pressure drop; give the same kind"):
        net.update("pbv", drop=Q_(10, "m"))


def test_pressure_breaker_head_drop_uses_the_fluid_density():
    net = nt.Network("pbv", fluid=WATER)
    net.add_pressure_boundary("a", pressure=Q_(6, "bar"), temperature=T)
    net.add_pressure_breaker_valve("pbv", "a", "b", drop=Q_(10, "m"))
    net.add_pipe("p", "b", "c", length=Q_(100, "m"), diameter=Q_(40, "mm"))
    net.add_pressure_boundary("c", pressure=Q_(1, "bar"), temperature=T)
    r = net.solve()
    rho = flow(r, "pbv") / float(r.edges["volume_flow"].to_series()["pbv"])
    assert (6.0 - bar(r, "b")) * 1e5 == pytest.approx(rho * 9.80665 * 10.0, rel=1e-9)


def test_regulators_round_trip_through_a_file(tmp_path):
    net = prv_line(3.0)
    net.add_pressure_breaker_valve("pbv", "c", "e", drop=Q_(0.5, "bar"))
    net.add_pressure_boundary("e", pressure=Q_(1, "bar"), temperature=T)
    f = tmp_path / "regulators.yaml"
    nt.save_network(net, f)
    back = nt.load_network(f)
    assert [c.target for c in back.controls] == [("pressure", "b")]
    assert bar(back.solve(), "b") == pytest.approx(bar(net.solve(), "b"), rel=1e-9)


def test_pressure_target_names_one_node():
    net = prv_line(3.0)
    for target in (("pressure",), ("pressure", "a", "b")):
        with pytest.raises(InputError, match=r"must name 1 element"):
            net.add_control("x", actuator=("valve_opening", "prv"), target=target,
                            setpoint=Q_(2, "bar"), bounds=(0, 1))
    with pytest.raises(nt.UnitError):
        net.add_control("x", actuator=("valve_opening", "prv"), target=("pressure", "b"),
                        setpoint=Q_(20, "m"), bounds=(0, 1))


def test_a_check_valve_opening_raises_its_outlet_and_lowers_its_inlet_pressure():
    # the sign the control solver takes instead of a finite difference's
    from narvik_thermal.network.controls import Control

    net = prv_line(3.0)
    # other targets for the same valve, as loops of their own (a network takes one control
    # per actuator: these are resolved beside its own, never added to it)
    other = [Control.from_quantities(nm, actuator=("valve_opening", "prv"),
                                     target=("pressure", node), setpoint=Q_(2, "bar"),
                                     bounds=(0, 1)) for nm, node in (("in", "a"), ("far", "c"))]
    # a valve without a check can pass reverse flow: no sign is fixed
    net.add_valve("plain", "c", "e", kvs=Q_(10, "m^3/h"))
    net.add_pressure_boundary("e", pressure=Q_(1, "bar"), temperature=T)
    net.add_control("plain", actuator=("valve_opening", "plain"), target=("pressure", "e"),
                    setpoint=Q_(2, "bar"), bounds=(0, 1))
    loops = {c.name: c for c in resolve_controls(list(net.controls) + other, net.compile())}
    assert [loops[k].effect_sign for k in ("prv", "in", "far", "plain")] == [1, -1, 0, 0]


def test_a_shut_wide_range_regulator_is_held_shut():
    # an equal-percentage trim of rangeability 1e12 is flat near shut: the first
    # finite difference sees no effect, the physical sign holds it shut
    net = prv_line(3.0, rangeability=1e12)
    net.add_pipe("feed", "d", "b", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("d", pressure=Q_(5, "bar"), temperature=T)
    net.update("prv", opening=0.0)
    r = net.solve(warn=False)
    assert r.controls["prv"]["saturated"] and r.controls["prv"]["actuator"].magnitude == 0.0
