"""What the annual run's speed-ups must not change (issue "Annual…"): the cached unit
conversions equal pint's, the lazily built PlantResult attributes are those of their
own operating point, a network update that changes nothing keeps the component, the
accelerated coupled solve agrees with plain fixed-point iteration, and the coupling's
stopping test (its contraction estimate, a warm first iteration within the full
hydraulic tolerance) stays within temperature_tol."""

from __future__ import annotations

import copy

import numpy as np
import pint
import pytest

import narvik_thermal as nt
from narvik_thermal.units import Q_, magnitude, quantity

# ------------------------------------------------------------------ units


@pytest.mark.parametrize("value, unit, target", [
    (3.6, "m^3/h", "m^3/s"), (1.5, "L/min", "m^3/s"), (2.0, "kg/s", "kg/h"),
    (7.0, "kW", "W"), (25.0, "degC", "K"), (77.0, "degF", "degC"), (3.0, "delta_degC", "K"),
    (1.0, "bar", "Pa"), (np.array([1.0, 2.5]), "L/s", "m^3/s"), (0.4, "", ""),
])
def test_magnitude_equals_pint(value, unit, target):
    q = Q_(value, unit)
    np.testing.assert_allclose(magnitude(q, target), q.m_as(target), rtol=1e-15, atol=0)


def test_magnitude_keeps_unit_strings_apart():
    # the same magnitude in units that differ only in part is never given one factor
    for u, v in (("m^3/s", "m^3/h"), ("L/min", "L/s"), ("kg/s", "kg/h"), ("kW", "MW")):
        assert magnitude(Q_(1.0, u), "m^3/s" if "m^3" in u or "L" in u else
                         ("kg/s" if "kg" in u else "W")) != \
            magnitude(Q_(1.0, v), "m^3/s" if "m^3" in v or "L" in v else
                      ("kg/s" if "kg" in v else "W"))
    # and a second call (cached) gives what the first gave
    assert magnitude(Q_(2.0, "L/min"), "m^3/s") == magnitude(Q_(2.0, "L/min"), "m^3/s")
    assert magnitude(Q_(2.0, "L/min"), "L/s") == pytest.approx(2.0 / 60, rel=1e-15)


def test_magnitude_refuses_other_dimensions():
    with pytest.raises(pint.errors.DimensionalityError):
        magnitude(Q_(1.0, "kg/s"), "m^3/s")


@pytest.mark.parametrize("unit", ["kg/s", "m^3/s", "L/min", "degC", "W", "Pa", ""])
def test_quantity_equals_Q_(unit):
    a, b = quantity(1.25, unit), Q_(1.25, unit)
    assert a.units == b.units and a.magnitude == b.magnitude and type(a) is type(b)
    assert (a - b).magnitude == 0.0 or unit == "degC"     # one registry: they combine


def test_result_accessors_are_quantities_of_the_application_registry(two_tank_result):
    r = two_tank_result
    q = r.mass_flow(r.compiled.edge_names[0])
    assert q.units == Q_(1, "kg/s").units and type(q) is type(Q_(1, "kg/s"))
    assert (q + Q_(1, "kg/s")).m_as("kg/s") == pytest.approx(q.m_as("kg/s") + 1)


@pytest.fixture(scope="module")
def two_tank_result():
    net = nt.Network("u", fluid=nt.fluids.water())
    net.add_pressure_boundary("a", Q_(2, "bar"), Q_(20, "degC"))
    net.add_pressure_boundary("b", Q_(1, "bar"), Q_(20, "degC"))
    net.add_pipe("p", "a", "b", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    return net.solve()


# ------------------------------------------------------------------ network update


def test_update_with_unchanged_values_keeps_the_component():
    net = nt.Network("u", fluid=nt.fluids.water())
    net.add_heat_load("load", "a", "b", heat=nt.Q_(1, "kW"))
    before = net.component("load")
    net.update("load", heat=Q_(1000.0, "W"))
    assert net.component("load") is before
    net.update("load", heat=Q_(2, "kW"))
    assert net.component("load") is not before
    assert float(net.component("load").heat[0]) == 2000.0
    net.update(["load"], heat=Q_(2, "kW"))          # same names, cached place
    assert float(net.component("load").heat[0]) == 2000.0


# ------------------------------------------------------------------ campus


@pytest.fixture(scope="module")
def export_campus():
    c = nt.plant.Campus(Q_(20, "MW"), site=nt.climate.site("narvik"),
                        heat_export=nt.plant.town_heat_export(Q_(5, "MW")))
    c.operate(0.9, sea_temperature=Q_(6, "degC"), outdoor_temperature=Q_(-5, "degC"),
              warn=False)
    return c


def _lazy(r) -> dict:
    """The lazily built attributes, as plain numbers."""
    m = lambda v: np.asarray(v.magnitude) if hasattr(v, "magnitude") else v  # noqa: E731
    return dict(
        chips={k: m(v) for k, v in r.chips.items()},
        cdus=[{k: m(v) for k, v in d.items() if k != "rack_reports"} for d in r.cdus],
        pump_power={k: m(v) for k, v in r.pump_power.items()},
        energy={k: m(v) for k, v in r.energy.items()},
        facility_flow=m(r.facility_flow), seawater_flow=m(r.seawater_flow))


def test_lazy_plant_result_attributes_are_those_of_their_point(export_campus):
    c = export_campus
    r = c.operate(0.8, sea_temperature=Q_(7, "degC"), outdoor_temperature=Q_(-3, "degC"),
                  warn=False)
    untouched = copy.copy(r)          # shares the solve; nothing built yet
    hottest = r.hottest_chip_temperature       # before chips is built
    now = _lazy(r)
    assert hottest == r.chips["hottest_temperature"]
    # what they are computed from, read from the network result directly
    res = r.result
    assert r.facility_flow == res.mass_flow("fac.pump")
    assert r.chips["hottest"] == res.hottest_chip().name
    assert r.chips["hottest_temperature"].m_as("degC") == pytest.approx(
        res.hottest_chip().temperature.m_as("degC"), abs=1e-12)
    assert r.pump_power["facility"].m_as("W") == pytest.approx(
        res.pump_power("fac.pump").m_as("W"), rel=1e-12)
    assert r.energy["heat_exported"].m_as("W") == pytest.approx(
        r.heat["exported"].m_as("W"), rel=1e-12)
    # later operating points (controls move valves) change nothing of this one
    for load in (0.5, 0.7):
        c.operate(load, sea_temperature=Q_(12, "degC"), outdoor_temperature=Q_(10, "degC"),
                  warn=False)
    later = _lazy(untouched)
    assert repr(later) == repr(now)


def test_accelerated_coupled_solve_equals_plain(export_campus):
    net = export_campus.operating_network
    plain = net.solve(accelerate_coupling=False, warn=False)
    fast = net.solve(accelerate_coupling=True, warn=False)
    assert plain.converged and fast.converged
    # the same convergence test: temperatures agree to the controls' tolerance
    # (control_rtol 1e-6 of a 100 K scale) and the coupling's (1e-6 K)
    dT = np.max(np.abs(fast.state.temperature - plain.state.temperature))
    assert dT < 1e-4
    m = np.max(np.abs(fast.state.mass_flow - plain.state.mass_flow))
    assert m <= 1e-5 * np.max(np.abs(plain.state.mass_flow))
    # the plain iteration may stop one iteration earlier by its contraction estimate
    # (temperature_tol), which an extrapolated start defers by an iteration
    assert fast.convergence["outer"] <= plain.convergence["outer"] + 2


def test_accelerate_coupling_is_a_bool_option():
    assert nt.SolverOptions().accelerate_coupling is False        # off by default
    with pytest.raises(nt.errors.InputError, match="accelerate_coupling"):
        nt.SolverOptions(accelerate_coupling="yes")


# ------------------------------------------------ the coupling's stopping test
def test_coupling_stops_on_its_contraction_estimate():
    from narvik_thermal.solvers.coupled import coupling_within
    tol = 1e-6
    assert coupling_within([1e-3, 8e-7], False, tol)            # the last change within
    # contracting 170-fold: the remaining error q/(1-q)·δ = 3.6e-8 K
    assert coupling_within([1e-3, 6e-6], True, tol)
    assert not coupling_within([1e-3, 6e-6], False, tol)         # after an extrapolation
    assert not coupling_within([1e-2, 2e-5], True, tol)          # a lag over 10 tol
    assert not coupling_within([1e-5, 8e-6], True, tol)          # contracting too slowly
    assert not coupling_within([6e-6], True, tol)                # one change: no ratio


def _campus_2mw(load: float):
    """A 2 MW campus operated once at ``load`` (7 °C sea)."""
    from narvik_thermal.plant.campus import Campus
    c = Campus(Q_(2, "MW"))
    c.operate(load, sea_temperature=Q_(7, "degC"), warn=False)
    return c


def test_coupling_stopped_by_its_estimate_is_within_the_tolerance():
    # the plain iteration on the 2 MW campus stops with a last change of a few µK (the
    # estimate says 1e-8 K remain); a solve to 1e-9 K agrees within temperature_tol
    net = _campus_2mw(0.9).operating_network
    r = net.solve(accelerate_coupling=False, warn=False)
    tight = net.solve(accelerate_coupling=False, temperature_tol=1e-9, warn=False)
    tc = r.convergence["temperature_change"]
    assert 1e-6 < tc[-1] <= 1e-5                 # stopped by the estimate, not the change
    assert len(tight.convergence["temperature_change"]) > len(tc)
    assert np.max(np.abs(r.state.temperature - tight.state.temperature)) <= 1e-6
    # every circuit's balances close as tightly as ever: the heat transport is exact
    # for the flows it was solved with
    assert max(b["energy_relative"] for b in r.balance.values()) <= 1e-9
    assert max(b["mass_relative"] for b in r.balance.values()) <= 1e-9


def test_warm_resolve_at_an_unchanged_point_takes_one_outer_iteration():
    # the loose first hydraulic solve of a warm start lands within the full tolerance:
    # one outer iteration (two before), the same state
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import meets_tolerance
    from narvik_thermal.solvers.options import SolveResult, SolverOptions
    net = rack_loop_network(20)
    r = net.solve()
    w = net.solve(initial=r)
    assert w.convergence["outer"] == 1
    np.testing.assert_allclose(w.state.temperature, r.state.temperature, rtol=0, atol=1e-6)
    opts = SolverOptions()
    ok = SolveResult(converged=True, iterations=1, residual=1e-10, flow_change=1e-10)
    assert meets_tolerance(ok, opts)
    assert not meets_tolerance(SolveResult(True, 1, 1e-8, flow_change=1e-10), opts)
    assert not meets_tolerance(SolveResult(True, 1, 1e-10, flow_change=1e-6), opts)
    assert meets_tolerance(SolveResult(True, 1, 1e-13, flow_change=1e-6), opts)   # round-off
    assert not meets_tolerance(SolveResult(False, 1, 1e-13, flow_change=0.0), opts)


def test_solver_options_replace_is_shared_and_still_validated():
    o = nt.SolverOptions()
    assert o.replace(max_newton=1) is o.replace(max_newton=1)
    assert o.replace(max_newton=1).max_newton == 1 and o.max_newton == 50
    with pytest.raises(nt.errors.InputError, match="accelerate_coupling=1 must be True"):
        o.replace(accelerate_coupling=1)            # 1 == True, but not a flag
    with pytest.raises(nt.errors.InputError, match="Did you mean 'max_newton'"):
        o.replace(max_newtn=1)


def test_refresh_rebuilds_only_the_sides_of_changed_components():
    # an update makes a new component; the others' edge sides are kept, and the groups
    # are new arrays (the solve of the old values' result keeps its own)
    from narvik_thermal.network.synthetic import rack_loop_network
    net = rack_loop_network(3)
    cn = net.compile()
    r0 = net.solve()
    sides = dict(cn.cache["edge_sides"]) if "edge_sides" in cn.cache else {}
    net.update("r0.gpu0", heat=Q_(900, "W"))
    cn = net.compile()
    kept = cn.cache["edge_sides"]
    changed = [c for c in kept if c not in sides]
    assert len(changed) == 1 and "r0.gpu0" in changed[0].names
    assert all(kept[c] is sides[c] for c in kept if c in sides)
    r1 = net.solve(initial=r0)
    fresh = rack_loop_network(3)
    fresh.update("r0.gpu0", heat=Q_(900, "W"))
    np.testing.assert_allclose(r1.state.temperature, fresh.solve().state.temperature,
                               rtol=0, atol=1e-6)


def test_operate_at_an_unchanged_load_sets_it_again_only_after_a_change():
    # an annual run at a constant load does not set the chips' heat every hour; a
    # change to the network in between (a user's update) makes the next point set it
    c = _campus_2mw(0.8)
    net = c.operating_network
    gpu = "cdu0.rack0.t0.gpu0"
    q = float(net.component(gpu).heat[0])
    rev = net.revision
    sea = Q_(7.5, "degC")
    c.operate(0.8, sea_temperature=sea, warn=False)
    assert float(net.component(gpu).heat[0]) == q
    net.update(gpu, heat=Q_(1.0, "W"))                       # a user's change
    r = c.operate(0.8, sea_temperature=sea, warn=False)
    assert float(net.component(gpu).heat[0]) == q              # set again
    assert net.revision > rev
    r2 = c.operate(0.6, sea_temperature=sea, warn=False)
    assert float(net.component(gpu).heat[0]) == pytest.approx(q * 0.6 / 0.8, rel=1e-12)
    assert r.energy_closure <= 1e-9 and r2.energy_closure <= 1e-9
