"""``Component.validate_update`` (the checks after an update, which may skip those
reading no changed field) raises exactly what a full ``validate`` raises, for every
kind, field and bad value, alone and in pairs; and an update that fails changes
nothing."""

from __future__ import annotations

import copy
import itertools
from dataclasses import fields

import numpy as np
import pytest

from narvik_thermal import Q_
from narvik_thermal import components as C
from narvik_thermal.errors import InputError

CURVE = (Q_([0, 100, 200], "m^3/h"), Q_([30, 25, 12], "m"))


def _examples():
    """Components of every kind, and every mode of the kinds whose checks depend on it."""
    two = ["a", "b", "c"]
    return [
        C.Pipes.from_quantities(two, length=Q_([2, 3, 4], "m"), diameter=Q_(40, "mm"),
                                friction="colebrook", u_value=Q_(0.3, "W/(m*K)"),
                                ambient=Q_(5, "degC")),
        C.Pumps.from_quantities(two, curve=CURVE, efficiency=0.7),
        C.Pumps.from_quantities(two, flow=Q_(2, "kg/s")),
        C.Pumps.from_quantities(two, head=Q_(20, "m"), efficiency=0.6),
        C.Pumps.from_quantities(two, power=Q_(3, "kW")),
        C.Valves.from_quantities(two, kvs=Q_(40, "m^3/h"), opening=0.5,
                                 characteristic="equal_percentage", check=True),
        C.PressureBreakers.from_quantities(two, drop=Q_(5, "m")),
        C.ColdPlates.from_quantities(two, heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                                     rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"),
                                     max_chip_temperature=Q_(85, "degC")),
        C.ColdPlates.from_quantities(two, heat=Q_(1.4, "kW"),
                                     thermal_resistance=(Q_([1, 2, 4], "L/min"),
                                                         Q_([0.03, 0.02, 0.015], "K/W")),
                                     rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa")),
        C.HeatLoads.from_quantities(two, heat=Q_([1, -2, 3], "kW"), pressure_drop=Q_(10, "kPa"),
                                    rated_flow=Q_(1, "kg/s")),
        C.SetPoints.from_quantities(two, outlet_temperature=Q_(20, "degC")),
        C.HeatExchangers.from_quantities(two, ua=Q_(400, "kW/K"), arrangement="crossflow_unmixed",
                                         hot_pressure_drop=Q_(30, "kPa"),
                                         hot_rated_flow=Q_(10, "kg/s")),
        C.HeatPumps.from_quantities(two, supply_temperature=Q_(85, "degC"), capacity=Q_(5, "MW")),
        C.Consumers.from_quantities(two, heat=Q_(100, "kW"), return_temperature=Q_(45, "degC")),
        C.Consumers.from_quantities(two, heat=Q_(100, "kW"), delta_t=Q_(30, "K")),
        C.Consumers.from_quantities(two, heat=Q_(100, "kW"), mass_flow=Q_(1, "kg/s")),
    ]


FLOATS = (np.nan, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 1e9, np.inf, -np.inf)
CODES = (-1, 0, 1, 2, 3, 9)


def _variants(comp, name):
    """``comp``'s field ``name`` with bad (or good) values, at one unit or at all."""
    old = getattr(comp, name)
    if not isinstance(old, np.ndarray) or old.size == 0:
        return
    for v in (CODES if old.dtype.kind in "iub" else FLOATS):
        for where in (slice(1, 2), slice(None)):
            arr = np.array(old, copy=True)
            arr[where] = v
            arr.flags.writeable = False
            yield arr


def _with(comp, **values):
    """A copy of ``comp`` holding ``values`` as they are (no checks)."""
    new = copy.copy(comp)
    for k, v in values.items():
        object.__setattr__(new, k, v)
    return new


def _outcome(check):
    try:
        check()
    except Exception as exc:            # noqa: BLE001 - compared, whatever it is
        return type(exc), str(exc)
    return None


@pytest.mark.parametrize("comp", _examples(), ids=lambda c: type(c).__name__)
def test_update_checks_raise_what_validate_raises(comp):
    comp.validate()
    names = [f.name for f in fields(comp) if f.name != "names"]
    raised = 0
    for f in names:
        for arr in _variants(comp, f):
            bad = _with(comp, **{f: arr})
            full = _outcome(bad.validate)
            assert _outcome(lambda: bad.validate_update(frozenset({f}))) == full, f
            raised += full is not None
    assert raised
    # two fields changed at once: the first failing check, in validate's order
    for f, g in itertools.combinations(names, 2):
        for a, b in itertools.product(list(_variants(comp, f))[::3], list(_variants(comp, g))[::3]):
            bad = _with(comp, **{f: a, g: b})
            assert (_outcome(lambda: bad.validate_update(frozenset({f, g})))
                    == _outcome(bad.validate)), (f, g)


@pytest.mark.parametrize("kind, key, value", [
    ("Pumps", "speed", -1.0), ("Valves", "opening", 1.5), ("Valves", "kvs", Q_(-3, "m^3/h")),
    ("ColdPlates", "heat", Q_(-1, "kW")), ("Consumers", "heat", Q_(-5, "kW")),
    ("Consumers", "delta_t", Q_(-2, "K"))])
def test_failed_update_changes_nothing_and_says_what_add_says(kind, key, value):
    comp = {"Pumps": _examples()[1], "Valves": _examples()[5], "ColdPlates": _examples()[7],
            "Consumers": _examples()[14]}[kind]
    before = {f.name: np.array(getattr(comp, f.name), copy=True) for f in fields(comp)
              if isinstance(getattr(comp, f.name), np.ndarray)}
    with pytest.raises(InputError) as got:
        comp.updated(np.array([1]), **{key: value})
    # the message a full validation of the same values gives
    field = {"opening": "opening", "kvs": "kvs", "heat": "heat", "speed": "speed",
             "delta_t": "delta_t"}[key]
    arr = np.array(getattr(comp, field), copy=True)
    si = value.to_base_units().magnitude if hasattr(value, "to_base_units") else value
    if key == "kvs":
        si = value.magnitude                    # (kept in m³/h)
    arr[1] = si
    assert _outcome(_with(comp, **{field: arr}).validate) == (InputError, str(got.value))
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(comp, k), v)
