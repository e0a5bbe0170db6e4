"""Components (narvik_thermal.components): one shape for every kind.

What every kind shares is checked on every kind: validation however the
component is made (from Quantities, from file data, by an update), immutability
(an update returns a new object, a failed one changes nothing), enums stored as
codes, round trips through plain data, and what each declares for transients.
The numbers of each law are checked against the physics elsewhere
(tests/test_network_validation.py, tests/test_components_laws.py); here only
that the components hand the right parameters on.
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal import components as C
from narvik_thermal.components.kinds import (Arrangement, ConsumerControl, FlowBasis,
                                             FrictionLaw, HeatPumpModel, HydraulicLaw,
                                             RiseBasis, ThermalLaw, ValveCharacteristic)
from narvik_thermal.errors import InputError, TopologyError

CURVE = (Q_([0, 100, 200], "m^3/h"), Q_([30, 25, 12], "m"))


def examples():
    """One component of every kind, two units each."""
    return {
        "Pipes": C.Pipes.from_quantities(["a", "b"], length=Q_([2, 3], "m"),
                                         diameter=Q_(40, "mm"), friction="colebrook",
                                         u_value=Q_(0.3, "W/(m*K)"), ambient=Q_(5, "degC")),
        "Pumps": C.Pumps.from_quantities(["a", "b"], curve=CURVE, efficiency=0.7),
        "Valves": C.Valves.from_quantities(["a", "b"], kvs=Q_(40, "m^3/h"), opening=0.5,
                                           characteristic="equal_percentage"),
        "PressureBreakers": C.PressureBreakers.from_quantities(["a", "b"], drop=Q_(5, "m")),
        "ColdPlates": C.ColdPlates.from_quantities(
            ["a", "b"], heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.02, "K/W"),
            rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa")),
        "HeatLoads": C.HeatLoads.from_quantities(["a", "b"], heat=Q_([1, -2], "kW"),
                                                 pressure_drop=Q_(10, "kPa"),
                                                 rated_flow=Q_(1, "kg/s")),
        "SetPoints": C.SetPoints.from_quantities(["a", "b"], outlet_temperature=Q_(20, "degC")),
        "HeatExchangers": C.HeatExchangers.from_quantities(
            ["a", "b"], ua=Q_(400, "kW/K"), arrangement="crossflow_unmixed",
            hot_pressure_drop=Q_(30, "kPa"), hot_rated_flow=Q_(10, "kg/s")),
        "HeatPumps": C.HeatPumps.from_quantities(["a", "b"], supply_temperature=Q_(85, "degC"),
                                                 capacity=Q_(5, "MW")),
        "Consumers": C.Consumers.from_quantities(["a", "b"], heat=Q_(100, "kW"),
                                                 return_temperature=Q_(45, "degC")),
    }


def test_every_kind_is_listed_and_shaped_alike():
    ex = examples()
    assert set(ex) == set(C.COMPONENT_TYPES)
    for name, comp in ex.items():
        assert len(comp) == 2
        assert comp.names == ("a", "b")
        sides = comp.edge_sides()
        assert len(sides) == len(comp.sides) == len(comp.edge_names()) // 2
        for side in sides:
            for key, arr in side.params.items():
                assert np.shape(arr) == (2,), (name, key)
        # transient declarations: one value per edge, finite, non-negative
        for decl in (comp.fluid_volume(), comp.metal_heat_capacity()):
            assert decl.shape == (len(comp.sides), 2)
            assert np.all(np.isfinite(decl)) and np.all(decl >= 0)


def test_arrays_are_read_only():
    comp = examples()["Pipes"]
    with pytest.raises(ValueError, match="read-only"):
        comp.length[0] = 5.0
    with pytest.raises(AttributeError):
        comp.length = np.ones(2)


@pytest.mark.parametrize("kind", sorted(C.COMPONENT_TYPES))
def test_plain_data_round_trip(kind):
    comp = examples()[kind]
    data = comp.to_data()
    back = type(comp).from_data(data)
    for key, value in data.items():
        assert back.to_data()[key] == value, key


def test_categories_are_enum_codes_not_floats():
    ex = examples()
    assert ex["Pipes"].friction.dtype == np.int8
    assert FrictionLaw(int(ex["Pipes"].friction[0])) is FrictionLaw.COLEBROOK
    assert ValveCharacteristic(int(ex["Valves"].characteristic[0])) is \
        ValveCharacteristic.EQUAL_PERCENTAGE
    assert Arrangement(int(ex["HeatExchangers"].arrangement[0])) is Arrangement.CROSSFLOW_UNMIXED
    assert HydraulicLaw(int(ex["Pumps"].mode[0])) is HydraulicLaw.PUMP_CURVE
    assert RiseBasis(int(ex["Pumps"].rise_basis[0])) is RiseBasis.HEAD
    assert FlowBasis(int(ex["ColdPlates"].rated_basis[0])) is FlowBasis.VOLUME
    assert HeatPumpModel(int(ex["HeatPumps"].model[0])) is HeatPumpModel.CARNOT_FRACTION
    assert ex["Consumers"].mode is ConsumerControl.RETURN_TEMPERATURE
    # and the files store their names
    assert ex["Pipes"].to_data()["friction"] == ["colebrook", "colebrook"]


def test_file_data_is_validated_like_add():
    data = examples()["Pipes"].to_data()
    bad = dict(data, length=[2.0, -1.0])
    with pytest.raises(InputError, match=r"pipes\.yaml: length=-1 m for 'b' must be positive"):
        C.Pipes.from_data(bad, "pipes.yaml")
    with pytest.raises(InputError, match="missing \\['diameter'\\]"):
        C.Pipes.from_data({k: v for k, v in data.items() if k != "diameter"}, "f")
    with pytest.raises(InputError, match="unknown \\['colour'\\]"):
        C.Pipes.from_data(dict(data, colour=[1, 2]), "f")
    with pytest.raises(InputError, match="'friction' has 'moody'"):
        C.Pipes.from_data(dict(data, friction=["moody", "churchill"]), "f")
    with pytest.raises(InputError, match="shape \\(3,\\)"):
        C.Pipes.from_data(dict(data, length=[1.0, 2.0, 3.0]), "f")
    with pytest.raises(InputError, match="not a list of numbers"):
        C.Pipes.from_data(dict(data, length=["x", 2.0]), "f")


def test_updated_returns_a_new_validated_object():
    cp = examples()["ColdPlates"]
    new = cp.updated(np.array([1]), heat=Q_(2, "kW"))
    assert new is not cp
    np.testing.assert_array_equal(new.heat, [1400.0, 2000.0])
    np.testing.assert_array_equal(cp.heat, [1400.0, 1400.0])       # unchanged
    with pytest.raises(InputError, match="heat=-1000 W for 'b' must be non-negative"):
        cp.updated(np.array([1]), heat=Q_(-1, "kW"))
    with pytest.raises(InputError, match="heat contains non-finite values"):
        cp.updated(np.array([1]), heat=Q_(np.nan, "kW"))
    with pytest.raises(InputError, match="has no 'opening' parameter"):
        cp.updated(np.array([0]), opening=0.5)
    # the copy made without dataclasses.replace: its arrays are read-only like every
    # component's, the others shared with the original, the names the same
    assert not new.heat.flags.writeable
    with pytest.raises(ValueError):
        new.heat[0] = 0.0
    assert new.names == cp.names and new.count is cp.count
    assert type(new) is type(cp)
    assert cp.updated(np.array([1]), heat=Q_(1.4, "kW")) is cp     # the values it has
    hx = examples()["HeatExchangers"]
    eps = hx.updated(np.array([0]), effectiveness=0.6)
    assert np.isnan(eps.ua[0]) and eps.effectiveness[0] == 0.6 and eps.ua[1] == 400e3
    with pytest.raises(InputError, match="in \\(0, 1\\]"):
        hx.updated(np.array([0]), effectiveness=1.5)


@pytest.mark.parametrize("kind, kwargs, match", [
    ("Pumps", dict(flow=Q_(-1, "kg/s")), "flow=-1 .* must be positive"),
    ("Pumps", dict(flow=Q_(1, "kg/s"), head=Q_(2, "m")),
     "exactly one of curve=, flow=, head= or power="),
    ("Pumps", dict(power=Q_(-1, "kW")), "power=-1000 W .* positive and finite"),
    ("PressureBreakers", dict(drop=Q_(-2, "m")), "drop=-2 .* positive and finite"),
    ("PressureBreakers", dict(drop=Q_(2, "kg")), "drop"),
    ("Valves", dict(kvs=Q_(40, "m^3/h"), opening=1.2), "opening=1.2 for 'x' must be in \\[0, 1\\]"),
    ("Valves", dict(kvs=Q_(40, "m^3/h"), characteristic="butterfly"), "characteristic='butterfly'"),
    ("HeatExchangers", dict(ua=Q_(1, "kW/K"), arrangement="spiral"), "arrangement='spiral'"),
    ("HeatPumps", dict(supply_temperature=Q_(85, "degC"), stages=3), "stages=3 .* 1 or 2"),
    ("Consumers", dict(heat=Q_(1, "kW")), "exactly one of delta_t="),
    ("Consumers", dict(heat=Q_(1, "kW"), delta_t=Q_(-5, "K")), "delta_t=-5 K .* positive"),
    ("Pipes", dict(length=Q_(1, "m"), diameter=Q_(40, "mm"), friction="moody"),
     "friction='moody' is not one of"),
    ("Pipes", dict(length=Q_(1, "m"), diameter=Q_(40, "mm"), outer_diameter=Q_(30, "mm")),
     "outer_diameter=.* larger than the inner diameter"),
    ("Pipes", dict(length=Q_(1, "m"), diameter=Q_(40, "mm"), u_value=Q_(1, "W/(m^2*K)"),
                   ambient=Q_(5, "degC"), u_value_area="outer"), "needs outer_diameter"),
])
def test_bad_values_name_the_argument(kind, kwargs, match):
    with pytest.raises(InputError, match=match):
        C.COMPONENT_TYPES[kind].from_quantities("x", **kwargs)


def test_duplicate_names_within_one_component():
    with pytest.raises(TopologyError, match="duplicate edge name 'x' within one call"):
        C.Pipes.from_quantities(["x", "x"], length=Q_(1, "m"), diameter=Q_(40, "mm"))


def test_component_sides_and_laws():
    ex = examples()
    hx = ex["HeatExchangers"].edge_sides()
    assert [s.suffix for s in hx] == [":hot", ":cold"]
    assert hx[0].hydraulic is HydraulicLaw.POWER_LAW and hx[1].hydraulic is HydraulicLaw.IDEAL
    assert all(s.thermal is ThermalLaw.HX for s in hx)
    (pipe,) = ex["Pipes"].edge_sides()
    assert pipe.thermal is ThermalLaw.AMBIENT
    np.testing.assert_allclose(pipe.params["ua"], [0.6, 0.9])      # 0.3 W/(m K) × L
    (cons,) = ex["Consumers"].edge_sides()
    assert cons.hydraulic is HydraulicLaw.CONSUMER and cons.thermal is ThermalLaw.SETPOINT
    np.testing.assert_allclose(cons.params["heat"], [-1e5, -1e5])  # heat into the fluid


def test_fluid_volume_from_geometry_and_network_totals():
    net = nt.Network("v", fluid=nt.fluids.water())
    net.add_pipe("p", "a", "b", length=Q_(10, "m"), diameter=Q_(0.1, "m"), count=3)
    net.add_cold_plate("g", "b", "c", heat=Q_(1, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"),
                       volume=Q_(50, "mL"), metal_heat_capacity=Q_(100, "J/K"), count=4)
    v = net.fluid_volume()
    assert v[0] == pytest.approx(3 * np.pi / 4 * 0.1 ** 2 * 10, rel=1e-15)
    assert v[1] == pytest.approx(4 * 50e-6, rel=1e-12)
    np.testing.assert_allclose(net.metal_heat_capacity(), [0.0, 400.0])


def test_cold_plate_defaults_are_one_set_with_the_plant():
    from narvik_thermal.components import cold_plate
    from narvik_thermal.plant import defaults as D
    assert D.PLATE_PRESSURE_EXPONENT.value == cold_plate.DEFAULT_PRESSURE_EXPONENT
    assert D.PLATE_CONVECTIVE_FRACTION.value == cold_plate.DEFAULT_CONVECTIVE_FRACTION
    assert D.PLATE_RESISTANCE_EXPONENT.value == cold_plate.DEFAULT_RESISTANCE_EXPONENT
    net = nt.Network("d")
    net.add_cold_plate("g", "a", "b", heat=Q_(1, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
    comp = net.component("g")
    assert comp.dp_exponent[0] == D.PLATE_PRESSURE_EXPONENT.value
    assert comp.r_exponent[0] == D.PLATE_RESISTANCE_EXPONENT.value
    assert comp.r_conv[0] == pytest.approx(0.02 * D.PLATE_CONVECTIVE_FRACTION.value)
