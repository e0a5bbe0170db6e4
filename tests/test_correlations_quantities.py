"""The correlations take plain SI numbers and refuse a pint Quantity instead of dropping
its unit (a probe found ``Reynolds_mass_flow(1, D=Q_(40, "mm"), mu=1e-3)`` = 31.8 for
31 831, and ``cop_carnot_heating(Q_(85, "degC"), Q_(35, "degC"))`` = 1.7 for 7.16).

Every public function of every public module of :mod:`narvik_thermal.correlations` is
found by introspection, so a function added later is covered too."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.correlations import cold_plate, friction, heat_pump, heat_pump_part_load, hx
from narvik_thermal.errors import InputError

Q_ = nt.Q_

#: The solvers' variants, called at every outer iteration on values the network
#: validated: the first four have no argument checks (by contract) and do not look for
#: Quantities; the last passes anything but plain floats to the checked function (its
#: own test below).
SOLVER_VARIANTS = {"mapped_performance", "mapped_series", "valve_Kv_coded",
                   "effectiveness_unchecked", "part_load_cop_modulating_unit"}


def public_functions():
    """(module, name, function) of every function a public correlations module defines
    and lists in its ``__all__``."""
    found = []
    for info in pkgutil.iter_modules(nt.correlations.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"narvik_thermal.correlations.{info.name}")
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(inspect.unwrap(obj)) and obj.__module__ == mod.__name__:
                found.append((info.name, name, obj))
    return found


FUNCTIONS = public_functions()


def test_the_functions_are_found():
    names = {name for _, name, _ in FUNCTIONS}
    assert len(FUNCTIONS) > 90
    assert {"Reynolds_mass_flow", "cop_carnot_heating", "nusselt_gnielinski",
            "fit_thermal_resistance_curve", "chiller_operate"} <= names
    assert SOLVER_VARIANTS <= names


@pytest.mark.parametrize("module, name, func", FUNCTIONS,
                         ids=[f"{m}.{n}" for m, n, _ in FUNCTIONS])
def test_every_public_function_refuses_a_quantity(module, name, func):
    params = list(inspect.signature(func).parameters.values())
    if name in SOLVER_VARIANTS or not params:
        pytest.skip("a solver variant without checks" if params else "takes no argument")
    first = params[0]
    q = Q_(40.0, "mm")
    positional = first.kind in (first.POSITIONAL_ONLY, first.POSITIONAL_OR_KEYWORD)
    args, kwargs = ((q,), {}) if positional else ((), {first.name: q})
    with pytest.raises(InputError) as err:
        func(*args, **kwargs)
    msg = str(err.value)
    assert msg.startswith(f"{name}: {first.name}=<Quantity(40.0, 'millimeter')> is a pint "
                          "Quantity"), msg
    assert f"pass {first.name}.to_base_units().magnitude" in msg and "0.04 m" in msg, msg


def test_the_probes_cases():
    with pytest.raises(InputError, match=r"Reynolds_mass_flow: D=<Quantity\(40, 'millimeter'\)> "
                       r"is a pint Quantity; nt.correlations take plain SI numbers .* pass "
                       r"D.to_base_units\(\).magnitude — here .* → 0.04 m\.$"):
        friction.Reynolds_mass_flow(1, D=Q_(40, "mm"), mu=1e-3)
    assert friction.Reynolds_mass_flow(1, D=0.04, mu=1e-3) == pytest.approx(31831, abs=0.5)
    with pytest.raises(InputError, match=r"cop_carnot_heating: T_sink=.* → 358.15 K; a "
                       r"temperature in °C or °F gives its base magnitude in kelvin"):
        heat_pump.cop_carnot_heating(Q_(85, "degC"), Q_(35, "degC"))
    with pytest.raises(InputError, match="T_source=.* → 308.15 K"):
        heat_pump.cop_carnot_heating(358.15, T_source=Q_(35, "degC"))
    assert heat_pump.cop_carnot_heating(358.15, 308.15) == pytest.approx(7.163)


def test_a_quantity_inside_a_list_tuple_or_array():
    flows = [1e-4, Q_(2e-4, "m^3/s"), 3e-4]
    with pytest.raises(InputError, match=r"fit_thermal_resistance_curve: V holds "
                       r"<Quantity\(0.0002, 'meter \*\* 3 / second'\)>, a pint Quantity"):
        cold_plate.fit_thermal_resistance_curve(flows, [0.03, 0.02, 0.015], 2e-4)
    with pytest.raises(InputError, match="R holds"):                 # nested in a tuple
        cold_plate.fit_thermal_resistance_curve([1e-4, 2e-4, 3e-4],
                                                ((0.03,), (Q_(0.02, "K/W"),), (0.015,)), 2e-4)
    with pytest.raises(InputError, match="Re holds"):
        friction.friction_factor(np.array([1e4, Q_(2e4, "")], dtype=object))
    with pytest.raises(InputError, match="Re=<Quantity"):           # one of an array
        friction.friction_factor(Q_(np.array([1e4, 2e4]), ""))


def test_plain_numbers_pass():
    assert friction.friction_factor([1e4, 2e4], np.array(1e-4)).shape == (2,)
    assert hx.lmtd(80.0, 60.0, 20.0, 40.0) == pytest.approx(40.0)
    assert hx.effectiveness_from_NTU(np.float64(2.0), 0.5, arrangement="counterflow") > 0


def test_the_solvers_part_load_form_is_the_same_number_and_refuses_a_quantity():
    for cop, plr, mm, cd in [(3.0, 0.5, 0.25, 0.9), (3.0, 0.1, 0.25, 0.9), (4.2, 0.0, 0.3, 0.8),
                             (2.0, 0.01, 0.25, 0.9), (3.0, 1.0, 1.0, 0.0)]:
        assert (heat_pump_part_load.part_load_cop_modulating_unit(cop, plr, mm, cd)
                == heat_pump.part_load_cop_modulating(cop, plr, mm, cd))
    with pytest.raises(InputError, match="part_load_ratio must be in"):
        heat_pump_part_load.part_load_cop_modulating_unit(3.0, 1.5, 0.25, 0.9)
    with pytest.raises(InputError, match="part_load_cop_modulating: part_load_ratio=<Quantity"):
        heat_pump_part_load.part_load_cop_modulating_unit(3.0, Q_(50, "percent"), 0.25, 0.9)


def test_range_warnings_still_point_at_the_callers_line():
    # the check adds a frame between the caller and the function: a RangeWarning must
    # still name the caller's file (here, this test), not the correlations' own code
    import warnings

    from narvik_thermal.correlations import convection, heat_pump_cycle
    calls = [lambda: convection.nusselt_gnielinski(2000.0, 5.0),
             lambda: convection.nusselt(2000.0, 5.0, method="gnielinski"),
             lambda: friction.friction_factor(1e3, 1e-4, method="colebrook"),
             lambda: heat_pump_cycle.optimal_gas_cooler_pressure_liao(253.15, 313.15)]
    for call in calls:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        assert caught and all(w.filename == __file__ for w in caught), \
            [(w.filename, str(w.message)[:60]) for w in caught]


#: The input classes of the correlations (designs, configurations, curves, maps): their
#: constructors and public methods refuse Quantities; the results the modules return
#: (NamedTuples and result dataclasses the modules make themselves) are not checked.
INPUT_CLASSES = {("dry_cooler", "DryCoolerDesign"), ("cooling_tower_unit", "CoolingTowerDesign"),
                 ("chiller", "ChillerDesign"), ("chiller", "PerformanceCurve"),
                 ("heat_pump", "HeatPumpConfiguration"), ("heat_pump_limits", "CompressorLimits"),
                 ("heat_pump_map", "CyclePerformanceMap"), ("cooling_tower", "TabulatedProperty")}


def _classes():
    found = []
    for module, name in sorted(INPUT_CLASSES):
        cls = getattr(importlib.import_module(f"narvik_thermal.correlations.{module}"), name)
        found.append((f"{name}", cls, cls))
        for attr, v in vars(cls).items():
            if not attr.startswith("_") and inspect.isfunction(v) and (name, attr) not in (
                    ("CyclePerformanceMap", "unit"),      # the solvers' lookups, unchecked
                    ("CyclePerformanceMap", "series"),
                    ("ChillerDesign", "cycle_unchecked")):   # chiller_operate's iterations
                found.append((f"{name}.{attr}", cls, v))
    return found


@pytest.mark.parametrize("label, cls, func", _classes(), ids=[c[0] for c in _classes()])
def test_input_classes_refuse_a_quantity(label, cls, func):
    q = Q_(40.0, "mm")
    target = cls.__init__ if func is cls else func
    params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
    if not params:
        pytest.skip("takes no argument")
    args = [q] + [1.0] * sum(1 for p in params[1:] if p.default is p.empty
                             and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    with pytest.raises(InputError) as err:
        if func is cls:
            cls(*args)
        else:
            func(object.__new__(cls), *args)
    msg = str(err.value)
    assert msg.startswith(f"{label}: {params[0].name}=<Quantity(40.0, 'millimeter')> is a pint "
                          "Quantity"), msg


def test_the_classes_take_plain_numbers_as_before():
    from narvik_thermal.correlations.chiller import PerformanceCurve
    assert PerformanceCurve((0.222903, 0.313387, 0.463710))(0.5) == pytest.approx(0.495524)
    with pytest.raises(InputError, match=r"^PerformanceCurve: coefficients holds <Quantity"):
        PerformanceCurve((Q_(0.2, ""), 0.3, 0.4))


# ----------------------------------------------- the argument checks' float paths
@pytest.mark.parametrize("check, args", [("as_array", ()), ("positive", ()),
                                         ("nonnegative", ()), ("in_closed", (0.0, 1.0)),
                                         ("finite", ())])
def test_checks_of_a_float_are_those_of_its_array(check, args):
    # a plain float skips NumPy's reductions: the same 0-d array, the same errors
    from narvik_thermal.correlations import _checks
    f = getattr(_checks, check)
    for x in (0.5, 0.0, -0.0, 1.0, 2.0, -1e-300, 1e300, float("nan"), float("inf"),
              float("-inf")):
        try:
            want = f(np.array(x), "x", "fn", *args)
        except InputError:
            with pytest.raises(InputError, match=r"^fn: .*\bx\b"):
                f(x, "x", "fn", *args)
            continue
        got = f(x, "x", "fn", *args)
        assert type(got) is np.ndarray and got.shape == () and got.dtype == np.float64
        assert got.tobytes() == want.tobytes()
