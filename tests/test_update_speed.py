"""What the speed-ups of the parameter updates of a warm operating point must not change:
the unit converters' shortcut for units converted before gives what their general path
gives (values, types and errors), Quantities made or indexed without pint's constructor
are pint's, an update reads each value once and a tuple of names given again once, and
the boundaries, controls and pumps copied without ``dataclasses.replace`` are those it
makes."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pint
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal import components as C
from narvik_thermal import units as U
from narvik_thermal.components.base import broadcast
from narvik_thermal.components.kinds import ConsumerControl, FlowBasis, HydraulicLaw
from narvik_thermal.errors import InputError, TopologyError, UnitError
from narvik_thermal.network.controls import Control
from narvik_thermal.network.update_values import per_name, take, value_at
from narvik_thermal.plant.fjord import discharge_temperatures

WATER = nt.fluids.water()

# ------------------------------------------------------------------ quantities


def _same_quantity(a, b) -> None:
    assert type(a) is type(b)
    assert a.units == b.units and str(a.units) == str(b.units)
    assert type(a.magnitude) is type(b.magnitude)
    np.testing.assert_array_equal(a.magnitude, b.magnitude)
    assert np.asarray(a.magnitude).dtype == np.asarray(b.magnitude).dtype


@pytest.mark.parametrize("value", [1.25, 3, np.float64(2.5), np.array([1.0, 2.0]),
                                   np.array(4.0), [1.0, 2.5], [1, 2]])
@pytest.mark.parametrize("unit", ["W", "m^3/s", "degC", "K", "", "L/min"])
def test_quantity_is_what_pint_makes(value, unit):
    made = U.quantity(value, unit)
    _same_quantity(made, Q_(value, unit))
    if isinstance(value, np.ndarray):
        assert made.magnitude is value             # pint keeps an array as it is


def test_quantity_refuses_what_pint_refuses():
    for bad in (True, None, {"a": 1}):
        with pytest.raises(TypeError):
            Q_(bad, "W")
        with pytest.raises(TypeError):
            U.quantity(bad, "W")


def test_quantity_follows_a_registry_forcing_arrays():
    reg = U.ureg
    old = reg.force_ndarray
    try:
        reg.force_ndarray = True
        q = U.quantity(2.0, "W")
        assert isinstance(q.magnitude, np.ndarray) and q.magnitude.ndim == 0
        s = U.subset(Q_(np.array([1.0, 2.0]), "W"), 1)
        assert isinstance(s.magnitude, np.ndarray)
    finally:
        reg.force_ndarray = old
    assert type(U.quantity(2.0, "W").magnitude) is float


@pytest.mark.parametrize("index", [np.array([2, 0]), np.array([1]), 1, slice(0, 2),
                                   np.array([], dtype=np.int64)])
def test_subset_is_pint_indexing(index):
    q = Q_(np.array([1.0, 2.0, 3.0]), "kW")
    _same_quantity(U.subset(q, index), q[index])
    arr = np.array([4.0, 5.0, 6.0])
    np.testing.assert_array_equal(U.subset(arr, index), arr[index])


# ------------------------------------------------------------------ converters

CASES = [
    ("to_si", (Q_(1.5, "L/min"), "m^3/s")), ("to_si", (Q_([1.0, 2.0], "kW"), "W")),
    ("to_si", (Q_(3.0, "delta_degC"), "K")), ("to_si", (Q_(2.0, "bar"), "Pa")),
    ("to_si", (Q_(25.0, "degC"), "K")), ("to_si", (Q_(np.array([1.0, np.nan]), "W"), "W")),
    ("to_si", (Q_(np.inf, "W"), "W")), ("to_si", (Q_(2.0, "kg/s"), "m^3/s")),
    ("to_si", (Q_(0.5, ""), "")), ("to_si", (Q_(0.5, "percent"), "")),
    ("to_temperature", (Q_(25.0, "degC"),)), ("to_temperature", (Q_([5.0, 300.0], "K"),)),
    ("to_temperature", (Q_(-300.0, "degC"),)), ("to_temperature", (Q_([5.0, -5.0], "K"),)),
    ("to_temperature", (Q_(3.0, "delta_degC"),)), ("to_temperature", (Q_(77.0, "degF"),)),
    ("to_temperature", (Q_(np.nan, "degC"),)), ("to_temperature", (Q_(2.0, "m"),)),
    ("to_temperature_difference", (Q_(3.0, "delta_degC"),)),
    ("to_temperature_difference", (Q_([3.0, 4.0], "K"),)),
    ("to_temperature_difference", (Q_(3.0, "degC"),)),
    ("to_temperature_difference", (Q_(np.inf, "K"),)),
    ("to_flow", (Q_(2.0, "kg/s"),)), ("to_flow", (Q_([1.0, 2.0], "L/min"),)),
    ("to_flow", (Q_(3.6, "m^3/h"),)), ("to_flow", (Q_(2.0, "W"),)),
    ("to_flow", (Q_(np.nan, "kg/s"),)), ("to_flow", (Q_(1.0, "t/h"),)),
]


def _outcome(fn, args):
    try:
        out = fn(*args, "x")
    except (UnitError, InputError, pint.errors.PintError) as exc:
        return type(exc), str(exc)
    if isinstance(out, tuple):
        return tuple(np.asarray(v).tolist() if not isinstance(v, str) else v for v in out), \
            tuple(type(v) for v in out)
    return np.asarray(out).tolist(), type(out)


#: a Quantity class the converters' shortcut does not take (it takes Q_ only): the
#: general path, to compare with
GENERAL = type("General", (Q_,), {})


@pytest.mark.parametrize("name, args", CASES)
def test_converters_shortcut_gives_what_the_general_path_gives(name, args):
    # the shortcut for units converted before: values, types and errors as the general
    # path gives them (the first call may take either; the later ones take the shortcut
    # where the units are cached)
    fn = getattr(U, name)
    mag = args[0].magnitude
    general = _outcome(fn, (GENERAL(np.array(mag, copy=True) if isinstance(mag, np.ndarray)
                                    else mag, args[0].units),) + args[1:])
    for _ in range(3):
        assert _outcome(fn, args) == general


def test_converters_equal_pint():
    for _ in range(2):
        assert U.to_si(Q_(1.5, "L/min"), "m^3/s", "x") == Q_(1.5, "L/min").m_as("m^3/s")
        assert U.to_temperature(Q_(25.0, "degC"), "x") == Q_(25.0, "degC").m_as("K")
        assert U.to_temperature_difference(Q_(5.0, "delta_degF"), "x") == \
            Q_(5.0, "delta_degF").m_as("K")
        v, kind = U.to_flow(Q_([1.0, 2.0], "L/min"), "x")
        np.testing.assert_array_equal(v, Q_([1.0, 2.0], "L/min").m_as("m^3/s"))
        assert kind == "volume"
        v, kind = U.to_flow(Q_(7.2, "t/h"), "x")
        assert v == Q_(7.2, "t/h").m_as("kg/s") and kind == "mass"


def test_converters_tell_units_apart_however_made():
    # units objects made anew by every Q_(..., unit), one per unit by quantity(): what is
    # known of each is its own (also after the memo has been emptied for its size)
    for _ in range(400):
        for q, unit, expect in ((Q_(1.0, "kW"), "W", 1000.0), (U.quantity(1.0, "W"), "W", 1.0),
                                (Q_(2.0, "MW"), "W", 2e6), (U.quantity(3.0, "kW"), "W", 3000.0),
                                (Q_(6.0, "L/min"), "m^3/s", 1e-4)):
            assert U.to_si(q, unit, "x") == pytest.approx(expect, rel=1e-15)
        assert U.to_flow(U.quantity(7.2, "t/h"), "x") == (pytest.approx(2.0, rel=1e-15), "mass")
        assert U.to_temperature(Q_(25.0, "degC"), "x") == pytest.approx(298.15, rel=1e-15)
        assert U.has_dimension(U.quantity(1.0, "bar"), "[pressure]")
        assert not U.has_dimension(Q_(1.0, "m"), "[pressure]")


def test_converted_arrays_are_new():
    mag = np.array([1.0, 2.0])
    q = Q_(mag, "W")
    for _ in range(2):
        out = U.to_si(q, "W", "x")
        assert out is not mag and not np.shares_memory(out, mag)


# ------------------------------------------------------------------ components


def _two_blocks():
    net = nt.Network("u", fluid=WATER)
    net.add_heat_loads(["a", "b"], ["n1", "n2"], ["n2", "n3"], heat=Q_([1, 2], "kW"))
    net.add_heat_loads(["c"], ["n3"], ["n4"], heat=Q_(3, "kW"))
    return net


def test_updated_arrays_are_read_only():
    net = _two_blocks()
    net.update("a", heat=Q_(9, "kW"))
    assert not net.component("a").heat.flags.writeable


@pytest.mark.parametrize("value, dtype", [(1.5, float), (True, bool), (3, np.int8),
                                          (np.float64(2.0), float)])
def test_broadcast_of_one_value_is_np_full(value, dtype):
    out = broadcast(value, 3, "x", dtype=dtype)
    ref = np.full(3, np.asarray(value, dtype=dtype).item(), dtype=dtype)
    assert out.dtype == ref.dtype and out.tolist() == ref.tolist()


@pytest.mark.parametrize("boundary, changes", [
    (C.ExpansionTank(2e5), {"pressure": 3e5}),
    (C.PressureBoundary(1e5, 280.0), {"temperature": 285.0}),
    (C.PressureBoundary(1e5, 280.0), {"pressure": 2e5, "temperature": 290.0}),
    (C.FlowBoundary(2.0, FlowBasis.MASS, 280.0), {"flow": -1.0}),
])
def test_boundary_copies_are_dataclasses_replace(boundary, changes):
    keys = {"pressure": "pressure", "temperature": "temperature", "flow": "mass_flow"}
    units = {"pressure": "Pa", "temperature": "K", "flow": "kg/s"}
    given = {keys[k]: Q_(v, units[k]) for k, v in changes.items()}
    new = boundary.updated("n", **given)
    ref = dataclasses.replace(boundary, **changes)
    assert new == ref and type(new) is type(ref) and vars(new) == vars(ref)
    assert all(f.init for f in dataclasses.fields(type(boundary)))


def test_boundary_copies_are_checked():
    with pytest.raises(InputError, match=r"update_boundary\('n'\): pressure boundary: "
                                         r"pressure=-5.0 Pa must be a positive"):
        C.PressureBoundary(1e5, 280.0).updated("n", pressure=Q_(-5.0, "Pa"))
    with pytest.raises(InputError, match=r"update_boundary\('n'\): expansion tank: "
                                         r"pressure=0.0 Pa must be a positive"):
        C.ExpansionTank(2e5).updated("n", pressure=Q_(0.0, "bar"))
    with pytest.raises(UnitError, match=r"update_boundary\('n'\): mass_flow contains "
                                        r"non-finite values"):
        C.FlowBoundary(2.0, FlowBasis.MASS, 280.0).updated(
            "n", mass_flow=Q_(float("inf"), "kg/s"))


def test_control_copies_are_dataclasses_replace():
    c = Control("c", ("valve_opening", "v"), ("temperature", "n"), 300.0, "K", (0.1, 0.9))
    new = c.with_setpoint(Q_(30, "degC"), (0.2, 0.8))
    ref = dataclasses.replace(c, setpoint=U.to_temperature(Q_(30, "degC"), "x"), bounds=(0.2, 0.8),
                              bounds_unit="")
    assert new == ref and vars(new) == vars(ref)
    assert all(f.init for f in dataclasses.fields(Control))
    with pytest.raises(InputError, match=r"valve opening bounds must lie in \[0, 1\]"):
        c.with_setpoint(bounds=(0.2, 1.5))
    with pytest.raises(InputError, match=r"must be finite and satisfy low < high"):
        c.with_setpoint(bounds=(0.8, 0.2))


@pytest.mark.parametrize("kw", [dict(curve=(Q_([0, 100, 200], "m^3/h"), Q_([30, 25, 12], "m"))),
                                dict(flow=Q_(2, "kg/s")), dict(head=Q_(20, "m")),
                                dict(power=Q_(3, "kW"))])
def test_pump_law_is_its_code(kw):
    p = C.Pumps.from_quantities(["a", "b"], **kw)
    assert p.law is HydraulicLaw(int(p.mode[0]))


@pytest.mark.parametrize("kw", [dict(delta_t=Q_(30, "K")), dict(return_temperature=Q_(45, "degC")),
                                dict(mass_flow=Q_(1, "kg/s"))])
def test_consumer_mode_is_its_code(kw):
    c = C.Consumers.from_quantities(["a", "b"], heat=Q_(100, "kW"), **kw)
    assert c.mode is ConsumerControl(int(c.control[0]))


# ------------------------------------------------------------------ update values


def test_per_name_reads_a_value_once():
    assert per_name(Q_(3.0, "kW"), 4, "heat") == (Q_(3.0, "kW"), False)
    v, each = per_name([1.0, 2.0], 2, "opening")
    assert each and isinstance(v, np.ndarray) and v.tolist() == [1.0, 2.0]
    v, each = per_name([Q_(1.0, "kW"), Q_(2000.0, "W")], 2, "heat")
    assert each and v.m_as("W").tolist() == [1000.0, 2000.0]
    v, each = per_name(["1 kW", "2 kW"], 2, "heat")
    assert each and v.m_as("kW").tolist() == [1.0, 2.0]
    curve = (Q_([0, 1], "m^3/s"), Q_([2, 1], "m"))
    assert per_name(curve, 2, "curve") == (curve, False)
    assert per_name([1.0, 2.0], 1, "opening")[1] is False         # one name: as given
    assert per_name("3 kW", 2, "heat") == ("3 kW", False)
    with pytest.raises(InputError, match=r"update: heat has 3 values for 2 names"):
        per_name(Q_([1.0, 2.0, 3.0], "kW"), 2, "heat")
    with pytest.raises(UnitError):
        per_name([Q_(1.0, "kW"), 2.0], 2, "heat")


def test_value_at_and_take_pick_the_names_of_a_component():
    q = Q_([1.0, 2.0, 3.0], "kW")
    assert value_at(q, None) is q
    assert value_at(q, np.array([2, 0])).m_as("kW").tolist() == [3.0, 1.0]
    assert take(q, np.array([1]), 3, "heat").m_as("kW").tolist() == [2.0]
    assert take(q, 1, 3, "heat").m_as("kW") == 2.0
    assert take(Q_(5.0, "kW"), np.array([1]), 3, "heat") == Q_(5.0, "kW")


def test_update_checks_values_before_any_component_sees_them():
    net = _two_blocks()
    before = [net.component(n) for n in "abc"]
    with pytest.raises(InputError, match=r"heat has 2 values for 3 names"):
        net.update(("a", "b", "c"), heat=Q_([1, 2], "kW"))
    with pytest.raises(InputError, match=r"'c' \(heat load\) has no 'opening'"):
        net.update(("c", "a"), opening=[0.5, 0.5])
    assert [net.component(n) for n in "abc"] == before
    net.update([], heat=Q_([1, 2, 3], "kW"))            # no names: nothing read, as before
    net.update(("c", "a"), heat=Q_([30, 10], "kW"))
    assert [float(net.component(n).heat[i]) for n, i in (("a", 0), ("b", 1), ("c", 0))] \
        == [10000.0, 2000.0, 30000.0]


def test_a_tuple_of_names_given_again_updates_the_same_units():
    net = _two_blocks()
    names = ("c", "a")
    for k in range(3):
        net.update(names, heat=Q_([k + 1.0, k + 5.0], "kW"))
        assert float(net.component("c").heat[0]) == 1000.0 * (k + 1)
        assert float(net.component("a").heat[0]) == 1000.0 * (k + 5)
    # the network grows: the same tuple still names the same units
    net.add_heat_loads(["d"], ["n4"], ["n5"], heat=Q_(4, "kW"))
    net.update(names, heat=Q_([7.0, 8.0], "kW"))
    assert float(net.component("c").heat[0]) == 7000.0
    assert float(net.component("a").heat[0]) == 8000.0
    # a bad value through a tuple seen before is refused, and changes nothing
    rev = net.revision
    with pytest.raises(UnitError, match="non-finite"):
        net.update(names, heat=Q_([np.nan, 8.0], "kW"))
    with pytest.raises(UnitError, match="no units"):
        net.update(names, heat=[1.0, 2.0])
    assert net.revision == rev and float(net.component("c").heat[0]) == 7000.0


def test_tuples_of_names_are_checked_every_time_they_are_not_plain():
    net = _two_blocks()

    class Name(str):
        pass

    twice = ("a", "a")
    for _ in range(2):
        with pytest.raises(InputError, match=r"'a' and 'a' name the same component twice"):
            net.update(twice, heat=Q_(1, "kW"))
    for _ in range(2):
        with pytest.raises(InputError, match=r"'' is not a name|not a name"):
            net.update(("a", ""), heat=Q_(1, "kW"))
    odd = (Name("a"), "b")
    for k in range(2):
        net.update(odd, heat=Q_(k + 1.0, "kW"))
        assert float(net.component("a").heat[0]) == 1000.0 * (k + 1)
    with pytest.raises(TopologyError):
        net.update(("a", "zz"), heat=Q_(1, "kW"))


# ------------------------------------------------------------------ fjord


def test_discharge_temperatures_find_each_boundary_once_per_compiled_network():
    def result(fixed, bc):
        cn = SimpleNamespace(fixed_nodes=np.array(fixed), bc_temperature=np.array(bc),
                             cache={}, node_id={"in": 4, "out": 7}.__getitem__,
                             edge_id={"pipe": 1}.__getitem__)
        return SimpleNamespace(compiled=cn, state=SimpleNamespace(
            outlet_temperature=np.array([0.0, 290.0])))
    info = dict(outfall_pipe="pipe", intake_node="in", outfall_node="out")
    a = result([7, 2, 4], [281.0, 0.0, 279.0])
    b = result([4, 7], [278.0, 283.0])
    for _ in range(2):
        assert discharge_temperatures(a, info) == (290.0, 279.0, 281.0)
        assert discharge_temperatures(b, info) == (290.0, 278.0, 283.0)
    with pytest.raises(IndexError):
        discharge_temperatures(result([2], [280.0]), info)


# ------------------------------------------------------------------ network blocks, controls


def test_a_block_holding_an_updated_component_is_dataclasses_replace():
    from narvik_thermal.network.compiled import EdgeBlock
    net = nt.Network("b", fluid=WATER)
    net.add_heat_load("load", "a", "b", heat=Q_(1, "kW"))
    blk = net.blocks[0]
    new_comp = blk.component.updated(np.array([0]), heat=Q_(2, "kW"))
    new = blk.holding(new_comp)
    ref = dataclasses.replace(blk, component=new_comp)
    assert type(new) is EdgeBlock and vars(new) == vars(ref)
    assert new.start is blk.start and new.end is blk.end and blk.component is not new_comp
    with pytest.raises(dataclasses.FrozenInstanceError):
        new.offset = 3
    net.update("load", heat=Q_(3, "kW"))          # the network's own update makes one
    assert type(net.blocks[0]) is EdgeBlock and net.blocks[0].offset == blk.offset
    assert float(net.component("load").heat[0]) == 3000.0


def test_a_solve_without_options_takes_the_default_options():
    net = nt.Network("o", fluid=WATER)
    net.add_pump("pump", "a", "b", head=Q_(10, "m"))
    net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
    net.add_setpoint("cool", "c", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    res = net.solve(warn=False)
    assert res.options == nt.SolverOptions()
    assert net.solve(warn=False, max_newton=60).options == nt.SolverOptions(max_newton=60)


def test_control_targets_are_kept_per_compiled_network():
    # a control's target is resolved once per compiled network: the same indices at the
    # next solve, and those of a new compiled network (other indices) after an edge is added
    from narvik_thermal.network.controls import resolve_controls
    net = nt.Network("t", fluid=WATER)
    net.add_pump("pump", "a", "b", curve=(Q_([0, 10, 20], "m^3/h"), Q_([30, 25, 12], "m")))
    net.add_valve("valve", "b", "c", kvs=Q_(20, "m^3/h"), opening=0.7)
    net.add_heat_load("load", "c", "d", heat=Q_(20, "kW"))
    net.add_setpoint("cool", "d", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.add_control("flow", actuator=("valve_opening", "valve"), target=("flow", "load"),
                    setpoint=Q_(8, "m^3/h"), bounds=(0.05, 1.0))
    net.add_control("dt", actuator=("pump_speed", "pump"),
                    target=("temperature_difference", "c", "d"),
                    setpoint=Q_(1.5, "K"), bounds=(0.3, 1.2))
    cn = net.compile()
    first = resolve_controls(net.controls, cn)
    assert set(cn.cache["control_targets"]) == {c.target for c in net.controls}
    again = resolve_controls(net.controls, cn)
    assert [(lp.t_idx, lp.pos, lp.array is first[k].array) for k, lp in enumerate(again)] == \
        [(lp.t_idx, lp.pos, True) for lp in first]
    assert first[0].t_idx == (cn.edge_id("load"),)
    assert first[1].t_idx == (cn.node_id("c"), cn.node_id("d"))
    net.add_pipe("bypass", "b", "d", length=Q_(10, "m"), diameter=Q_(20, "mm"))
    net.add_node("z")                   # (a node first in no edge: other node indices)
    net.add_pipe("spur", "z", "a", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    cn2 = net.compile()
    assert cn2 is not cn and "control_targets" not in cn2.cache
    loops = resolve_controls(net.controls, cn2)
    assert loops[0].t_idx == (cn2.edge_id("load"),)
    assert loops[1].t_idx == (cn2.node_id("c"), cn2.node_id("d"))
    # a chip target's positions are found at every call (not kept)
    plates = nt.Network("p", fluid=WATER)
    plates.add_pump("pump", "a", "b", flow=Q_(1, "m^3/h"))
    plates.add_cold_plate("gpu", "b", "c", heat=Q_(1, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                          rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
    plates.add_setpoint("cool", "c", "a", outlet_temperature=Q_(20, "degC"))
    plates.add_expansion_tank("a", pressure=Q_(2, "bar"))
    plates.add_control("chip", actuator=("pump_flow", "pump"), target=("chip_temperature", "gpu"),
                       setpoint=Q_(60, "degC"), bounds=(Q_(0.1, "m^3/h"), Q_(3, "m^3/h")))
    cnp = plates.compile()
    lp, = resolve_controls(plates.controls, cnp)
    assert lp.chips[0] is cnp and lp.chips[1].tolist() == [0]
    assert cnp.cache["control_targets"] == {}
