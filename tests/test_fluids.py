"""Tests of narvik_thermal.fluids: published values, accuracy against CoolProp,
array handling, invariants (hypothesis) and every error path."""

from __future__ import annotations

import importlib.util
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import narvik_thermal as nt
from narvik_thermal import Q_, fluids
from narvik_thermal.errors import InputError, PropertyError, RangeWarning, UnitError
from narvik_thermal.fluids.coolprop_backend import CoolPropLiquid

ZERO_C = 273.15


def _load_data_module(name):
    path = Path(__file__).parent / "data" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


unesco = _load_data_module("seawater_unesco")


# -- published values ----------------------------------------------------------
# The vendor glycol table (R33), water at 30 °C (R33), seawater density (§3) and
# freezing point (UNESCO), and the accuracy of every table against CoolProp
# (tests/data/fluid_accuracy.py) are validation cases: tests/validation_cases.py.
# PG25, vendor glycol table (narvik-facts R33, Airedale DeltaChill manual p. 53).
# CoolProp uses Melinder's (2007) correlations; they differ from the vendor
# table by up to 0.3 % in cp and 0.5 % in density, so the tolerance is 1 %.


def test_pg25_freezing_point():
    # R33: PG25 freezes at -9.6 °C; Melinder/CoolProp give -9.79 °C.
    pg = fluids.propylene_glycol(0.25)
    assert pg.freezing_point.m_as("degC") == pytest.approx(-9.6, abs=0.3)
    assert pg.t_min == pytest.approx(pg.freezing_temperature)


def test_seawater_freezing_point_unesco():
    # UNESCO (1983) check value -2.588567 °C at S = 40, 500 dbar (-1.922 °C at S = 35:
    # validation case fluids.seawater.freezing)
    tf = fluids.freezing_temperature_unesco(40.0, 500 * 1e4)
    assert tf - ZERO_C == pytest.approx(-2.588567, abs=1e-6)


def test_seawater_range_starts_at_its_freezing_point():
    # The tables used to start at 0 °C, CoolProp's MITSW limit, so a −1.5 °C
    # inflow (liquid, and real in a Norwegian winter) was clamped to 0 °C without
    # a word. They now reach the UNESCO freezing point.
    sw = fluids.seawater("35 g/kg")
    assert sw.t_min == pytest.approx(sw.freezing_temperature, abs=1e-12)
    assert sw.t_min - ZERO_C == pytest.approx(-1.922, abs=5e-4)
    assert "extrapolated below 0.00 °C" in sw.source
    with pytest.warns(RangeWarning):
        assert fluids.seawater("0 g/kg").t_min == pytest.approx(ZERO_C)


@pytest.mark.parametrize("S", [4.0, 20.0, 35.0, 40.0])
def test_seawater_extension_below_coolprop(S):
    """The extension below 0 °C: (1) the same quadratic extrapolation over the same
    distance, inside CoolProp's range, reproduces CoolProp; (2) at the freezing
    point the tables agree with UNESCO's EOS-80 density (valid from −2 °C,
    standard error 3.6e-3 kg/m³) and Millero's specific heat, independent of
    CoolProp. Tolerances: (1) 1e-5 (ρ, cp, k), 2e-4 (μ, steeper); (2) density
    2e-4, the CoolProp–EOS-80 offset at 0 °C being up to 1.1e-4, and cp 3e-3, the
    CoolProp–UNESCO offset at 0 °C being up to 1.8e-3 (Sharqawy et al. 2010 fit
    other data)."""
    sw = fluids.seawater(Q_(S, "g/kg"))
    ref = CoolPropLiquid("INCOMP", "MITSW", S / 1000.0)
    t_lo = ref.temperature_limits()[0]
    d = t_lo - sw.t_min
    assert d > 0
    x = np.linspace(t_lo + d, t_lo + d + 5.0, 26)
    cp_ref = ref.properties_pT(x, 101325.0)
    want = ref.properties_pT(np.array([t_lo]), 101325.0)
    for k, tol in (("density", 1e-5), ("cp", 1e-5), ("conductivity", 1e-5),
                   ("viscosity", 2e-4)):
        y = np.log(cp_ref[k]) if k == "viscosity" else cp_ref[k]
        v = np.polyval(np.polyfit(x - x[0], y, 2), t_lo - x[0])
        v = np.exp(v) if k == "viscosity" else v
        assert v / want[k][0] - 1 == pytest.approx(0.0, abs=tol), k
    tc = sw.t_min - ZERO_C
    assert sw.density_pT(sw.t_min) / unesco.density_eos80(S, tc) - 1 == pytest.approx(0, abs=2e-4)
    assert sw.cp_pT(sw.t_min) / unesco.cp_unesco(S, tc) - 1 == pytest.approx(0, abs=3e-3)
    # colder is denser and more viscous, smoothly through 0 °C
    T = np.linspace(sw.t_min, ZERO_C + 1.0, 40)
    assert np.all(np.diff(sw.density_pT(T)) < 0) and np.all(np.diff(sw.viscosity_pT(T)) < 0)
    h = sw.enthalpy_T(T)
    assert np.all(np.diff(h) > 0)
    # the enthalpy keeps CoolProp's reference state above 0 °C
    assert sw.enthalpy_T(t_lo + 1.0) == pytest.approx(
        float(ref.enthalpy_pT(t_lo + 1.0, 101325.0)), abs=0.5)


def test_unesco_reference_check_values():
    # EOS-80 check values (UNESCO 1983), IPTS-68 temperatures 5 and 25 °C.
    assert unesco.density_eos80(35.0, 5.0 / unesco.T68) == pytest.approx(1027.67547, abs=1e-5)
    assert unesco.density_eos80(35.0, 25.0 / unesco.T68) == pytest.approx(1023.34306, abs=1e-5)
    assert unesco.density_eos80(0.0, 5.0 / unesco.T68) == pytest.approx(999.96675, abs=1e-5)


def test_water_range_starts_at_its_freezing_point():
    w = fluids.water()
    assert w.t_min == pytest.approx(ZERO_C) and w.freezing_temperature == pytest.approx(ZERO_C)
    ref = CoolPropLiquid("HEOS", "Water")
    assert w.density_pT(ZERO_C) == pytest.approx(float(ref.density_pT(ZERO_C, 101325.0)),
                                                  rel=1e-6)


def test_water_boiling_point():
    w = fluids.water()
    assert w.boiling_temperature_p(101325.0) - ZERO_C == pytest.approx(99.974, abs=1e-3)
    assert w.boiling_point("2 bar").m_as("degC") == pytest.approx(120.21, abs=0.01)


def test_boiling_beyond_the_saturation_curve_is_its_end_and_nan_stays_nan():
    # check=False clamps the pressure to the curve's ends (the triple point and near the
    # critical point), elementwise, and keeps NaN (a failed state is flagged, not hidden)
    w = fluids.water()
    lo, hi = w.boiling_temperature_p(np.array([1e-3, 1e12]), check=False)
    assert lo == pytest.approx(ZERO_C + 0.01, abs=1e-6)
    assert 645.0 < hi < 647.1
    p = np.array([np.nan, -1.0, 0.0, 1e-3, 2e5, 1e12, np.inf])
    tb = w.boiling_temperature_p(p, check=False)
    assert np.isnan(tb[0]) and np.all(tb[1:4] == lo) and np.all(tb[5:] == hi)
    assert tb[4] == w.boiling_temperature_p(2e5, check=False) and lo < tb[4] < hi
    assert w.boiling_temperature_p(np.float64(1e-3), check=False) == lo


def test_the_boiling_curve_is_what_boiling_temperature_p_reads():
    # water's saturation curve, read-only; glycol and seawater share it (equal arrays:
    # the same boiling temperature at every pressure); a heat-transfer oil has none
    w, pg, sw = fluids.water(), fluids.propylene_glycol(0.25), fluids.seawater()
    lnp, T = w.boiling_curve
    assert not lnp.flags.writeable and not T.flags.writeable
    assert np.all(np.diff(lnp) > 0) and np.all(np.diff(T) > 0)
    p = np.exp(lnp[[0, 1000, 3000, -1]])
    np.testing.assert_array_equal(w.boiling_temperature_p(p, check=False),
                                  np.interp(np.log(p), lnp, T))
    for f in (pg, sw):
        assert all(np.array_equal(a, b) for a, b in zip(f.boiling_curve, w.boiling_curve))
    assert fluids.coolprop("INCOMP::T66").boiling_curve is None


def test_glycol_boiling_uses_water_curve():
    w, pg = fluids.water(), fluids.propylene_glycol(0.4)
    p = np.array([1e5, 3e5])
    np.testing.assert_allclose(pg.boiling_temperature_p(p), w.boiling_temperature_p(p))


# -- accuracy against CoolProp (acceptance criterion: <= 0.1 %): validation cases
# fluids.coolprop.* in tests/validation_cases.py ------------------------------------


def test_water_density_pressure_correction():
    w = fluids.water()
    ref = CoolPropLiquid("HEOS", "Water")
    T = np.array([275.0, 300.0, 330.0, 360.0])
    for p in (1e5, 5e5, 20e5):
        np.testing.assert_allclose(w.density_pT(T, p), ref.density_pT(T, p), rtol=1e-4)
    # compression really is applied: 20 bar is denser than 1 bar by about 0.09 %
    assert w.density_pT(300.0, 20e5) / w.density_pT(300.0, 1e5) - 1 == pytest.approx(
        8.6e-4, rel=0.05)


def test_incompressible_fluids_ignore_pressure():
    pg = fluids.propylene_glycol(0.25)
    assert pg.density_pT(300.0, 20e5) == pg.density_pT(300.0)
    assert not pg.pressure_dependent and fluids.water().pressure_dependent


def test_enthalpy_derivative_is_cp():
    for f in (fluids.water(), fluids.propylene_glycol(0.25), fluids.seawater()):
        T = np.linspace(f.t_min + 1.0, f.t_max - 1.0, 50)
        dhdT = (f.enthalpy_T(T + 0.5) - f.enthalpy_T(T - 0.5)) / 1.0
        np.testing.assert_allclose(dhdT, f.cp_pT(T), rtol=1e-4)


# -- scalar, array, broadcast ---------------------------------------------------
def test_scalar_in_float_out():
    w = fluids.water()
    for method in (w.density_pT, w.cp_pT, w.viscosity_pT, w.conductivity_pT, w.prandtl_pT):
        assert type(method(300.0)) is float
        assert type(method(300.0, 2e5)) is float
    assert type(w.enthalpy_T(300.0)) is float
    assert type(w.temperature_h(1e5)) is float


def test_array_and_broadcast():
    pg = fluids.propylene_glycol(0.25)
    w = fluids.water()
    T = np.array([[280.0], [300.0], [320.0]])
    p = np.array([1e5, 2e5, 5e5, 10e5])
    for f in (pg, w):
        for method in (f.density_pT, f.cp_pT, f.viscosity_pT, f.conductivity_pT,
                       f.prandtl_pT):
            out = method(T, p)
            assert out.shape == (3, 4)
            np.testing.assert_allclose(out[:, 0], [method(t, 1e5) for t in T[:, 0]])
            assert method(T[:, 0]).shape == (3,)
    # pressure array with scalar temperature
    assert pg.density_pT(300.0, p).shape == (4,)
    np.testing.assert_allclose(pg.density_pT(300.0, p), pg.density_pT(300.0))
    assert w.enthalpy_T(T).shape == (3, 1)
    props = w.properties_pT(T, p)
    assert all(np.shape(v) == (3, 4) for v in props.values())


def test_prandtl_consistent():
    f = fluids.ethylene_glycol(0.3)
    T = np.linspace(f.t_min, f.t_max, 7)
    np.testing.assert_allclose(f.prandtl_pT(T),
                               f.cp_pT(T) * f.viscosity_pT(T) / f.conductivity_pT(T))


def test_quantity_properties():
    pg = fluids.propylene_glycol(0.25)
    s = pg.properties(Q_(25, "degC"), "2 bar")
    assert s.density.check("[mass]/[length]**3")
    assert s.viscosity.m_as("mPa*s") == pytest.approx(pg.viscosity_pT(298.15) * 1e3)
    assert s.prandtl.dimensionless
    assert set(s.as_dict()) >= {"density", "specific_heat", "viscosity", "conductivity",
                                "prandtl", "enthalpy"}
    arr = pg.properties(Q_([10, 20, 30], "degC"))
    assert arr.specific_heat.magnitude.shape == (3,)


def test_properties_rejects_bare_numbers():
    pg = fluids.propylene_glycol(0.25)
    with pytest.raises(UnitError, match="temperature"):
        pg.properties(25.0)
    with pytest.raises(UnitError, match="pressure"):
        pg.properties("25 degC", 2e5)
    with pytest.raises(UnitError, match="temperature difference"):
        pg.properties(Q_(25, "delta_degC"))
    with pytest.raises(UnitError, match="pressure"):
        pg.boiling_point(1e5)


def test_properties_boiling_is_an_error():
    w = fluids.water()
    with pytest.raises(PropertyError, match="boils"):
        w.properties("120 degC", "1 atm")
    assert w.properties("120 degC", "3 bar").density.m_as("kg/m^3") == pytest.approx(943.2,
                                                                                     abs=0.2)


# -- valid range: check=True raises, check=False clamps ---------------------------
def test_out_of_range_raises_with_details():
    pg = fluids.propylene_glycol(0.25)
    with pytest.raises(PropertyError, match=r"propylene_glycol\(0\.25\).*-20 °C.*"
                       r"valid temperature range is -9\.79 °C to 100\.00 °C") as info:
        pg.density_pT(np.array([300.0, 253.15]))
    err = info.value
    assert err.fluid == "propylene_glycol(0.25)" and err.quantity == "temperature"
    assert err.values.tolist() == [253.15]
    assert err.valid_range == pytest.approx((pg.t_min, pg.t_max), abs=1e-6)
    assert "check=False" in str(err)
    for method in (pg.cp_pT, pg.viscosity_pT, pg.conductivity_pT, pg.prandtl_pT,
                   pg.enthalpy_T):
        with pytest.raises(PropertyError, match="outside the valid range"):
            method(400.0)
    with pytest.raises(PropertyError, match="temperature"):
        pg.properties("-30 degC")


def test_out_of_range_clamped_without_error():
    w = fluids.water()
    T = np.array([250.0, 300.0, 600.0])
    rho = w.density_pT(T, check=False)
    assert np.all(np.isfinite(rho))
    assert rho[0] == w.density_pT(w.t_min) and rho[2] == w.density_pT(w.t_max)
    assert np.all(np.isfinite(w.temperature_h(np.array([-1e9, 1e9]), check=False)))
    assert w.temperature_h(-1e9, check=False) == pytest.approx(w.t_min)


def test_non_finite_temperature_raises():
    with pytest.raises(PropertyError, match="nan"):
        fluids.water().cp_pT(np.array([300.0, np.nan]))
    # check=False: no exception; NaN in gives NaN out, finite values stay finite
    w = fluids.water()
    out = w.cp_pT(np.array([300.0, np.nan, np.inf]), check=False)
    assert np.isfinite(out[0]) and np.isnan(out[1]) and np.isfinite(out[2])
    T = w.temperature_h(np.array([1e5, np.nan]), check=False)
    assert np.isfinite(T[0]) and np.isnan(T[1])


def test_pressure_out_of_range():
    w = fluids.water()
    with pytest.raises(PropertyError, match="pressure"):
        w.density_pT(300.0, -1e5)
    with pytest.raises(PropertyError, match="pressure"):
        w.density_pT(300.0, 100e5)
    assert np.isfinite(w.density_pT(300.0, 100e5, check=False))


def test_temperature_h_out_of_range():
    pg = fluids.propylene_glycol(0.25)
    with pytest.raises(PropertyError, match="enthalpy"):
        pg.temperature_h(pg.enthalpy_T(pg.t_max) + 1e3)


# -- invariants (hypothesis) ----------------------------------------------------
_FLUIDS = [fluids.water, lambda: fluids.propylene_glycol(0.25),
           lambda: fluids.ethylene_glycol(0.3), fluids.seawater]


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, len(_FLUIDS) - 1), u=st.floats(0.0, 1.0))
def test_enthalpy_round_trip(which, u):
    f = _FLUIDS[which]()
    T = f.t_min + u * (f.t_max - f.t_min)
    assert abs(f.temperature_h(f.enthalpy_T(T)) - T) <= 1e-9


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, len(_FLUIDS) - 1), u=st.floats(0.0, 1.0),
       v=st.floats(0.0, 1.0))
def test_enthalpy_monotone_and_inverse_round_trip(which, u, v):
    f = _FLUIDS[which]()
    T1 = f.t_min + min(u, v) * (f.t_max - f.t_min)
    T2 = f.t_min + max(u, v) * (f.t_max - f.t_min)
    h1, h2 = f.enthalpy_T(T1), f.enthalpy_T(T2)
    assert h1 <= h2 and (T1 == T2 or h1 < h2)
    h = h1 + 0.37 * (h2 - h1)
    assert f.enthalpy_T(f.temperature_h(h)) == pytest.approx(h, abs=1e-6)


def test_enthalpy_round_trip_vectorised():
    f = fluids.water()
    T = np.random.default_rng(3).uniform(f.t_min, f.t_max, 100_000)
    assert np.max(np.abs(f.temperature_h(f.enthalpy_T(T)) - T)) <= 1e-9


# -- construction: caching, equality, immutability ---------------------------------
def test_cache_and_equality():
    a = fluids.propylene_glycol(0.25)
    assert a is fluids.propylene_glycol(Q_(25, "percent"))
    assert a == fluids.propylene_glycol(0.25) and hash(a) == hash(fluids.propylene_glycol(0.25))
    assert a != fluids.propylene_glycol(0.3)
    assert a != fluids.ethylene_glycol(0.25)
    assert fluids.coolprop("INCOMP::MPG-25%") is a
    assert fluids.coolprop("Water") is fluids.water()
    assert fluids.coolprop("INCOMP::MITSW[0.035]") == fluids.seawater("35 g/kg")
    assert len({a, fluids.propylene_glycol(0.25), fluids.water()}) == 2


def test_immutable_and_picklable():
    f = fluids.propylene_glycol(0.25)
    with pytest.raises(AttributeError, match="immutable"):
        f.t_min = 0.0
    with pytest.raises(ValueError):
        f.table("density")[0] = 1.0  # read-only tables
    g = pickle.loads(pickle.dumps(f))
    assert g == f and g.density_pT(300.0) == f.density_pT(300.0)


def test_repr_and_attributes():
    f = fluids.propylene_glycol(0.25)
    assert repr(f) == ("<Fluid propylene_glycol(0.25): CoolProp INCOMP::MPG[0.25], "
                       "valid -9.79 °C to 100.00 °C>")
    assert f.name == "propylene_glycol(0.25)" and f.kind == "propylene_glycol"
    assert isinstance(f, fluids.LiquidModel)
    assert fluids.seawater().kind == "seawater" and fluids.water().kind == "water"


def test_import_does_not_load_coolprop():
    code = ("import sys, narvik_thermal, narvik_thermal.fluids as f; "
            "assert 'CoolProp' not in sys.modules, 'CoolProp imported at import time'")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- constructor errors -------------------------------------------------------------
@pytest.mark.parametrize("ctor", [fluids.propylene_glycol, fluids.ethylene_glycol])
def test_bad_mass_fraction(ctor):
    with pytest.raises(InputError, match=r"mass_fraction=0\.7 is outside .* 0 to 0\.6"):
        ctor(0.7)
    with pytest.raises(InputError, match="mass_fraction=-0.1"):
        ctor(-0.1)
    with pytest.raises(InputError, match="percentage"):
        ctor(25)
    with pytest.raises(InputError, match="single value"):
        ctor(np.array([0.2, 0.3]))
    with pytest.raises(UnitError, match="mass_fraction"):
        ctor(Q_(0.25, "kg"))


def test_bad_salinity():
    with pytest.raises(UnitError, match="salinity"):
        fluids.seawater(35)
    with pytest.raises(InputError, match=r"salinity=150 g/kg is outside"):
        fluids.seawater("150 g/kg")
    with pytest.warns(RangeWarning, match="UNESCO"):
        fluids.seawater("2 g/kg")


def test_seawater_accepts_dimensionless_forms():
    assert fluids.seawater(Q_(0.035, "dimensionless")) is fluids.seawater("35 g/kg")


def test_bad_coolprop_names():
    with pytest.raises(InputError, match="CoolProp does not know"):
        fluids.coolprop("Unobtainium")
    with pytest.raises(InputError, match="Mixtures"):
        fluids.coolprop("Water&Ethanol")
    with pytest.raises(InputError, match="backend 'REFPROP'"):
        fluids.coolprop("REFPROP::Water")
    with pytest.raises(InputError, match="must be a CoolProp fluid string"):
        fluids.coolprop(3)
    with pytest.raises(InputError, match="only meaningful for INCOMP"):
        fluids.coolprop("Ethanol[0.2]")


def test_pure_incomp_has_no_boiling_curve():
    t66 = fluids.coolprop("INCOMP::T66")
    assert t66.boiling_point() is None
    assert t66.boiling_temperature_p(1e5) == np.inf
    assert t66.freezing_point is None


# -- tabulated fluids ----------------------------------------------------------------
def _table(**over):
    kw = dict(temperature=Q_([0.0, 20.0, 40.0, 80.0], "degC"),
              density=Q_([1800.0, 1770.0, 1740.0, 1680.0], "kg/m^3"),
              specific_heat=Q_([1.05, 1.08, 1.11, 1.17], "kJ/(kg*K)"),
              viscosity=Q_([1.6, 1.1, 0.8, 0.5], "mPa*s"),
              conductivity=Q_([0.066, 0.064, 0.062, 0.058], "W/(m*K)"))
    kw.update(over)
    return kw


def test_tabulated_reproduces_table():
    f = fluids.tabulated("fc-x", **_table(boiling_point=Q_(128, "degC")))
    T = Q_([0.0, 20.0, 40.0, 80.0], "degC").m_as("K")
    np.testing.assert_allclose(f.density_pT(T), [1800, 1770, 1740, 1680], rtol=1e-12)
    np.testing.assert_allclose(f.viscosity_pT(T), [1.6e-3, 1.1e-3, 0.8e-3, 0.5e-3],
                               rtol=1e-12)
    assert f.enthalpy_T(f.t_min) == 0.0
    assert f.boiling_point("3 bar").m_as("degC") == pytest.approx(128.0)
    assert f.kind == "tabulated" and not f.pressure_dependent
    # equality by content, not identity
    assert f == fluids.tabulated("fc-x", **_table(boiling_point=Q_(128, "degC")))
    assert f != fluids.tabulated("fc-x", **_table())


def test_tabulated_freezing_point_limits_range():
    f = fluids.tabulated("fc-x", **_table(freezing_point=Q_(5, "degC")))
    assert f.t_min == pytest.approx(278.15)
    with pytest.raises(PropertyError, match="fc-x"):
        f.cp_pT(275.0)


def test_tabulated_errors():
    with pytest.raises(InputError, match=r"strictly increasing; value 2 \(20 °C\)"):
        fluids.tabulated("x", **_table(temperature=Q_([0, 20, 20, 80], "degC")))
    with pytest.raises(InputError, match="strictly increasing"):
        fluids.tabulated("x", **_table(temperature=Q_([0, 40, 20, 80], "degC")))
    with pytest.raises(InputError, match=r"viscosity must be positive; got -0\.0008"):
        fluids.tabulated("x", **_table(viscosity=Q_([1.6, 1.1, -0.8, 0.5], "mPa*s")))
    with pytest.raises(InputError, match="density must be positive"):
        fluids.tabulated("x", **_table(density=Q_([1800.0, 0.0, 1740.0, 1680.0], "kg/m^3")))
    with pytest.raises(InputError, match="conductivity has 3 values but temperature has 4"):
        fluids.tabulated("x", **_table(conductivity=Q_([0.066, 0.064, 0.062], "W/(m*K)")))
    with pytest.raises(UnitError, match="density"):
        fluids.tabulated("x", **_table(density=[1800.0, 1770.0, 1740.0, 1680.0]))
    with pytest.raises(UnitError, match="specific_heat"):
        fluids.tabulated("x", **_table(specific_heat=Q_([1, 1, 1, 1], "kg")))
    with pytest.raises(InputError, match="at least 2"):
        fluids.tabulated("x", **_table(temperature=Q_([0.0], "degC"), density=Q_([1.0], "kg/m^3"),
                                       specific_heat=Q_([1.0], "J/(kg*K)"),
                                       viscosity=Q_([1.0], "Pa*s"),
                                       conductivity=Q_([1.0], "W/(m*K)")))
    with pytest.raises(InputError, match="not below the last table temperature"):
        fluids.tabulated("x", **_table(freezing_point=Q_(90, "degC")))
    with pytest.raises(InputError, match="non-empty string"):
        fluids.tabulated("", **_table())


def test_public_names():
    for name in ("water", "propylene_glycol", "ethylene_glycol", "seawater", "coolprop",
                 "tabulated", "Fluid"):
        assert hasattr(nt.fluids, name)


def test_properties_pT_agrees_with_single_properties():
    # properties_pT and prandtl_pT use the same lookup and pressure correction as
    # the single-property methods: equal to round-off, at the reference pressure
    # and at others (water is pressure-dependent), broadcast over T and p
    w = fluids.water()
    T = np.array([[285.0], [310.0], [350.0]])
    for p in (None, np.array([1e5, 3e5, 20e5])):
        props = w.properties_pT(T, p)
        for key, method in (("density", w.density_pT), ("cp", w.cp_pT),
                            ("viscosity", w.viscosity_pT), ("conductivity", w.conductivity_pT),
                            ("prandtl", w.prandtl_pT)):
            np.testing.assert_allclose(props[key], method(T, p), rtol=1e-15, atol=0)
        np.testing.assert_allclose(props["enthalpy"], np.broadcast_to(w.enthalpy_T(T),
                                                                      np.shape(props["cp"])),
                                   rtol=1e-15)
    assert w.pressure_dependent
    assert w.density_pT(350.0, 20e5) > w.density_pT(350.0)      # compressed liquid


def test_unesco_freezing_point_refuses_a_negative_salinity_and_warns_outside_its_range():
    # -10 g/kg gave NaN (a NumPy warning only); 100 g/kg an extrapolation without a word
    import warnings

    from narvik_thermal.errors import InputError, RangeWarning
    with pytest.raises(InputError, match="salinity=-10.0 g/kg"):
        fluids.freezing_temperature_unesco(-10.0)
    with pytest.warns(RangeWarning, match="4–40 g/kg"):
        fluids.freezing_temperature_unesco(100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(fluids.freezing_temperature_unesco(35.0) - 273.15 + 1.9223) < 1e-4
