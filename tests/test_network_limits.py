"""Operating limits of the circuits, flagged on solved networks:
``condensation`` (Network.set_dew_point), ``over_pressure``
(Network.set_pressure_rating; PN16 on district heating) and
``sub_atmospheric`` (closed circuits below one standard atmosphere).

Every case is an analytic loop of constant-property water, so each expected
temperature and pressure follows by hand: ρ = 1000 kg/m³, g = 9.80665 m/s².
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.errors import InputError, PhysicsWarning, TopologyError, UnitError
from narvik_thermal.network.limits import DewPoint, PressureRating
from narvik_thermal.network.result import P_ATMOSPHERE

Q_ = nt.Q_
G = 9.80665


def water():
    T = Q_([0.0, 100.0], "degC")
    return nt.fluids.tabulated("const-water", temperature=T,
                               density=Q_([1000.0, 1000.0], "kg/m^3"),
                               specific_heat=Q_([4180.0, 4180.0], "J/(kg*K)"),
                               viscosity=Q_([1e-3, 1e-3], "Pa*s"),
                               conductivity=Q_([0.6, 0.6], "W/(m*K)"))


def tcs(supply="12 degC", tank="2 bar", riser=None):
    """A closed TCS loop: pump a→b (fixed flow), cold plate b→c (1.4 kW), set-point
    c→a holding the supply; the tank at a. ``riser``: the plate node c lifted."""
    net = nt.Network("tcs", fluid=water())
    if riser is not None:
        net.add_node("b", elevation=Q_(riser, "m"))
        net.add_node("c", elevation=Q_(riser, "m"))
    net.add_pump("pump", "a", "b", flow=Q_(2, "L/min"))
    net.add_cold_plate("gpu", "b", "c", heat=Q_(1400, "W"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
    net.add_setpoint("cdu", "c", "a", outlet_temperature=supply)
    net.add_expansion_tank("a", pressure=tank)
    return net


def kinds(r):
    return {f.kind for f in r.flags}


def quiet(net):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PhysicsWarning)
        return net.solve()


# ------------------------------------------------------------ condensation
def test_condensation_flag_below_dew_point_plus_margin():
    # supply 12 °C, plate outlet 12 + 1400/(0.0333·4180) = 22.05 °C. Room dew point
    # 14 °C + 2 K margin: the two supply-side nodes (a, b) are below 16 °C, the
    # return (c) is not.
    net = tcs("12 degC")
    assert "condensation" not in kinds(quiet(net))          # no dew point: no check
    cn = net.compile()
    net.set_dew_point("b", Q_(14, "degC"))
    assert net.compile() is cn                               # no recompile
    with pytest.warns(PhysicsWarning, match=r"2 node\(s\) are colder than the room dew point"):
        r = net.solve()
    f = next(f for f in r.flags if f.kind == "condensation")
    assert set(f.elements) == {"a", "b"} and f.count == 2
    assert "4 K below" in f.message                           # 16 − 12 °C
    # the room dries (dew point 8 °C): no flag, still no recompile
    net.set_dew_point("b", Q_(8, "degC"))
    assert "condensation" not in kinds(quiet(net)) and net.compile() is cn
    # a tighter margin, then cleared
    net.set_dew_point("b", Q_(11, "degC"), margin=Q_(0.5, "K"))
    assert net.dew_points["b"] == DewPoint(284.15, 0.5)
    assert "condensation" not in kinds(quiet(net))           # 12 > 11.5
    net.set_dew_point("b", None)
    assert net.dew_points == {}


def test_dew_point_is_one_per_circuit_and_validated():
    net = tcs()
    with pytest.raises(TopologyError, match="unknown node name 'bb'.*Did you mean 'b'"):
        net.set_dew_point("bb", Q_(14, "degC"))
    with pytest.raises(UnitError, match="margin"):
        net.set_dew_point("b", Q_(14, "degC"), margin=Q_(2, "degC"))    # a difference
    with pytest.raises(InputError, match="non-negative"):
        net.set_dew_point("b", Q_(14, "degC"), margin=Q_(-1, "K"))
    with pytest.raises(UnitError):
        net.set_dew_point("b", 14.0)
    assert net.dew_points == {}                               # refused calls change nothing
    # two nodes of one circuit: refused at once when compiled, at compile otherwise
    net.set_dew_point("b", Q_(14, "degC"))
    net.set_dew_point("c", Q_(15, "degC"))
    with pytest.raises(TopologyError, match="dew point set at two nodes, 'b' and 'c'"):
        net.compile()
    net.set_dew_point("c", None)
    net.compile()
    with pytest.raises(InputError, match="two nodes"):
        net.set_dew_point("a", Q_(10, "degC"))
    assert set(net.dew_points) == {"b"}


# ---------------------------------------------------------- over_pressure
def test_over_pressure_flag_against_gauge_rating():
    # a fixed-rise pump (3 bar) after the tank (2 bar abs): its outlet b is at
    # 5 bar abs = 3.99 bar gauge; the pipe drops the 3 bar back to the tank.
    net = nt.Network("dh", fluid=water())
    net.add_pump("pump", "a", "b", head=Q_(3, "bar"))
    net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(20, "mm"))
    net.add_setpoint("boiler", "c", "a", outlet_temperature=Q_(80, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    assert "over_pressure" not in kinds(quiet(net))
    net.set_pressure_rating("a", Q_(4, "bar"))                  # 3.99 bar gauge is within
    assert "over_pressure" not in kinds(quiet(net))
    net.set_pressure_rating("a", Q_(3.5, "bar"))
    with pytest.warns(PhysicsWarning, match=r"exceed the \(gauge\) pressure rating"):
        r = net.solve()
    f = next(f for f in r.flags if f.kind == "over_pressure")
    assert f.elements[0] == "b"
    p_b = r.pressure("b").m_as("Pa")
    assert p_b == pytest.approx(5e5, rel=1e-9)
    assert f"{(p_b - P_ATMOSPHERE - 3.5e5) / 1e5:.3g} bar over" in f.message
    with pytest.raises(InputError, match="positive gauge pressure"):
        net.set_pressure_rating("a", Q_(0, "bar"))
    assert net.pressure_ratings["a"] == PressureRating(3.5e5)


def test_district_heating_builder_sets_pn16():
    from narvik_thermal.plant.district_heating import Consumer, district_heating_network
    from narvik_thermal.plant.heat_export_network import add_district_heating
    dh = district_heating_network([Consumer("school", Q_(1, "MW"), length=Q_(100, "m"))],
                                  trunk_length=Q_(0, "m"))
    assert dh.pressure_rating == pytest.approx(16e5)
    net = nt.Network("town")
    add_district_heating(net, dh)
    assert net.pressure_ratings == {"plant:return": PressureRating(16e5)}
    r = net.solve()
    assert "over_pressure" not in kinds(r)
    # a 1 bar rating is exceeded by the 3 bar tank alone
    dh1 = district_heating_network([Consumer("school", Q_(1, "MW"), length=Q_(100, "m"))],
                                   trunk_length=Q_(0, "m"), pressure_rating=Q_(1, "bar"))
    net = nt.Network("town")
    add_district_heating(net, dh1)
    with pytest.warns(PhysicsWarning, match="pressure rating"):
        r = net.solve()
    assert "over_pressure" in kinds(r)


# -------------------------------------------------------- sub_atmospheric
def test_sub_atmospheric_flag_in_a_closed_circuit():
    # tank at a (1.2 bar abs, elevation 0); the plate lifted 5 m: p(c) ≈ 1.2 bar −
    # ρ g 5 m = 0.71 bar, below 1 atm: air would be drawn in at its high point.
    net = tcs("25 degC", tank="1.2 bar", riser=5.0)
    with pytest.warns(PhysicsWarning, match=r"of closed circuits are below atmospheric"):
        r = net.solve()
    f = next(f for f in r.flags if f.kind == "sub_atmospheric")
    assert "c" in f.elements and "a" not in f.elements
    assert r.pressure("c").m_as("Pa") == pytest.approx(1.2e5 - 1000 * G * 5.0, rel=1e-6)
    # the tank raised to 2 bar: every node above 1 atm
    net.update_boundary("a", pressure=Q_(2, "bar"))
    assert "sub_atmospheric" not in kinds(quiet(net))


def test_open_circuits_are_not_checked_for_sub_atmospheric_pressure():
    # an open circuit below 1 atm is the user's boundary (a siphon by design, a
    # free surface): not flagged; nor is a negative pressure flagged twice
    net = nt.Network("siphon", fluid=water())
    net.add_node("top", elevation=Q_(6, "m"))
    net.add_pipe("up", "in", "top", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pipe("down", "top", "out", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("in", pressure=Q_(1, "atm"), temperature=Q_(10, "degC"))
    net.add_pressure_boundary("out", pressure=Q_(0.95, "atm"), temperature=Q_(10, "degC"))
    r = quiet(net)
    assert r.pressure("top").m_as("Pa") < P_ATMOSPHERE
    assert r.flags == []


def test_limits_are_saved_and_loaded(tmp_path):
    net = tcs()
    net.set_dew_point("b", Q_(14, "degC"), margin=Q_(3, "K"))
    net.set_pressure_rating("a", Q_(6, "bar"))
    for suffix in ("yaml", "json"):
        path = tmp_path / f"tcs.{suffix}"
        nt.save_network(net, path)
        back = nt.load_network(path)
        assert back.dew_points == net.dew_points
        assert back.pressure_ratings == net.pressure_ratings
    d = nt.network.io.network_to_dict(net)
    d["dew_points"]["b"]["margin"] = -1.0
    with pytest.raises(InputError, match=r"dew_points\['b'\].*non-negative"):
        nt.network.io.network_from_dict(d, "file")
    del d["dew_points"], d["pressure_ratings"]              # files written before limits
    assert nt.network.io.network_from_dict(d, "old").dew_points == {}


def test_limit_records_are_typed_and_validated():
    assert DewPoint.from_quantities(Q_(14, "degC")).limit == pytest.approx(289.15)
    with pytest.raises(InputError, match="absolute temperature"):
        DewPoint(float("nan"))
    with pytest.raises(InputError, match="mapping of numbers"):
        PressureRating.from_data({"rating": "x"})
    assert PressureRating.from_data(PressureRating(16e5).to_data()) == PressureRating(16e5)
    assert np.isclose(PressureRating.from_quantities("16 bar").rating, 16e5)
