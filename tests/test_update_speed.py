"""What the speed-ups of the parameter updates of a warm operating point must not change:
the unit converters' shortcut for units converted before gives what their general path
gives (values, types and errors), and Quantities made or indexed without pint's
constructor are pint's."""

from __future__ import annotations


import numpy as np
import pint
import pytest

from narvik_thermal import Q_
from narvik_thermal import units as U
from narvik_thermal.errors import InputError, UnitError

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


def test_converted_arrays_are_new():
    mag = np.array([1.0, 2.0])
    q = Q_(mag, "W")
    for _ in range(2):
        out = U.to_si(q, "W", "x")
        assert out is not mag and not np.shares_memory(out, mag)
