"""Psychrometrics from CoolProp's humid-air model (narvik_thermal.fluids.humid_air).

Published reference values: ASHRAE Handbook—Fundamentals (SI) 2017, ch. 1
"Psychrometrics": Table 1 (standard atmosphere), Table 2 (moist air at
saturation, 101.325 kPa) and Example 1 (40 °C dry bulb, 20 °C wet bulb). The
same numbers are used by PsychroLib's test-suite (Meyer and Thevenard),
where we read them.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from narvik_thermal import Q_
from narvik_thermal.errors import InputError, PropertyError, UnitError
from narvik_thermal.fluids import humid_air as ha

CP = pytest.importorskip("CoolProp.CoolProp")


# --- against ASHRAE Handbook—Fundamentals 2017 ch. 1 ---------------------------

@pytest.mark.parametrize("t, W_s, h_s", [
    # Table 2: humidity ratio and enthalpy of saturated air at 101.325 kPa
    (25.0, 0.020173, 76.504),
    (5.0, 0.005425, 18.639),
    (-20.0, 0.0006373, -18.542),
])
def test_saturation_table2(t, W_s, h_s):
    # CoolProp implements the same real-gas formulation (Herrmann et al. 2009)
    # as the Handbook table: agreement to 0.1 % (W) and 0.02 kJ/kg (h) is the
    # rounding of the printed values.
    T = Q_(t, "degC")
    assert ha.humidity_ratio(T, 1.0).m_as("") == pytest.approx(W_s, rel=1e-3)
    assert ha.enthalpy(T, 1.0).m_as("kJ/kg") == pytest.approx(h_s, abs=0.02)
    assert ha.dew_point(T, 1.0).m_as("degC") == pytest.approx(t, abs=1e-6)
    assert ha.wet_bulb_temperature(T, 1.0).m_as("degC") == pytest.approx(t, abs=1e-3)


def test_handbook_example_1():
    # Example 1: 40 °C dry bulb, 20 °C thermodynamic wet bulb, 101.325 kPa →
    # W = 0.0065, RH = 14 %, h = 56.7 kJ/kg, v = 0.896 m³/kg, t_d ≈ 7 °C.
    # Tolerances are those of the printed answers (2–3 significant figures;
    # the Handbook's dew point "7 °C" is from an approximate formula: 0.5 K).
    rh = CP.HAPropsSI("R", "T", 313.15, "P", 101325.0, "B", 293.15)
    assert rh == pytest.approx(0.14, abs=0.005)
    T = Q_(40.0, "degC")
    assert ha.wet_bulb_temperature(T, rh).m_as("degC") == pytest.approx(20.0, abs=1e-3)
    assert ha.humidity_ratio(T, rh).m_as("") == pytest.approx(0.0065, abs=1e-4)
    assert ha.enthalpy(T, rh).m_as("kJ/kg") == pytest.approx(56.7, abs=0.2)
    assert ha.dew_point(T, rh).m_as("degC") == pytest.approx(7.0, abs=0.5)
    W = ha.humidity_ratio(T, rh).m_as("")
    v_da = (1 + W) / ha.density(T, rh).m_as("kg/m^3")         # m³ per kg dry air
    assert v_da == pytest.approx(0.896, rel=0.01)


@pytest.mark.parametrize("z, p", [(0, 101325), (500, 95461), (1000, 89875)])
def test_standard_atmosphere_table1(z, p):
    assert ha.standard_pressure(Q_(z, "m")).m_as("Pa") == pytest.approx(p, abs=1)


# --- against CoolProp itself (the wrapper adds nothing but units) --------------

@pytest.mark.parametrize("T_C, rh, p", [(-15.0, 0.85, 101325.0), (0.5, 0.6, 99000.0),
                                         (22.0, 0.45, 101325.0), (34.0, 0.7, 100500.0)])
def test_matches_coolprop_pointwise(T_C, rh, p):
    T = T_C + 273.15
    P = Q_(p, "Pa")
    exact = {k: CP.HAPropsSI(k, "T", T, "P", p, "R", rh) for k in
             ("Twb", "Tdp", "W", "Hda", "Vha", "cp_ha")}
    assert ha.wet_bulb_temperature(Q_(T_C, "degC"), rh, P).m_as("K") == pytest.approx(exact["Twb"], rel=1e-12)
    assert ha.dew_point(Q_(T_C, "degC"), rh, P).m_as("K") == pytest.approx(exact["Tdp"], rel=1e-12)
    assert ha.humidity_ratio(Q_(T_C, "degC"), rh, P).m_as("") == pytest.approx(exact["W"], rel=1e-12)
    assert ha.enthalpy(Q_(T_C, "degC"), rh, P).m_as("J/kg") == pytest.approx(exact["Hda"], rel=1e-12)
    assert ha.density(Q_(T_C, "degC"), rh, P).m_as("kg/m^3") == pytest.approx(1 / exact["Vha"], rel=1e-12)
    assert ha.specific_heat(Q_(T_C, "degC"), rh, P).m_as("J/(kg*K)") == pytest.approx(exact["cp_ha"], rel=1e-12)


def test_inverse_dew_point():
    T = Q_(np.array([-10.0, 5.0, 25.0]), "degC")
    rh = np.array([0.9, 0.5, 0.3])
    td = ha.dew_point(T, rh)
    np.testing.assert_allclose(ha.relative_humidity_from_dew_point(T, td).m_as(""), rh,
                               rtol=1e-6)


def test_vectorised_and_broadcast():
    T = Q_(np.linspace(-20, 30, 6)[:, None], "degC")
    rh = np.array([0.3, 0.6, 0.9])
    out = ha.wet_bulb_temperature(T, rh)
    assert out.shape == (6, 3)
    # monotone: wetter air has a higher wet bulb, wet bulb <= dry bulb
    assert np.all(np.diff(out.m_as("degC"), axis=1) > 0)
    assert np.all(out.m_as("degC") <= T.m_as("degC") + 1e-9)
    assert np.all(ha.dew_point(T, rh).m_as("degC") <= out.m_as("degC") + 1e-9)
    # percent Quantity and fraction agree; a scalar stays a scalar
    a = ha.humidity_ratio("20 degC", Q_(50, "percent")).m_as("")
    assert isinstance(a, float) and a == ha.humidity_ratio("20 degC", 0.5).m_as("")


def test_a_year_is_fast_enough():
    # not a benchmark (no wall-clock assertion beyond a generous sanity bound):
    # one vectorised CoolProp call per property for 8,760 hours
    rng = np.random.default_rng(0)
    T = Q_(rng.uniform(-15, 30, 8760), "degC")
    rh = rng.uniform(0.3, 1.0, 8760)
    t0 = time.perf_counter()
    twb = ha.wet_bulb_temperature(T, rh)
    assert twb.shape == (8760,)
    assert time.perf_counter() - t0 < 60.0


def test_errors_name_the_argument():
    with pytest.raises(InputError, match="relative_humidity must be a fraction"):
        ha.wet_bulb_temperature("20 degC", 80)
    with pytest.raises(UnitError, match="dry_bulb"):
        ha.dew_point(20.0, 0.5)
    with pytest.raises(UnitError, match="pressure"):
        ha.enthalpy("20 degC", 0.5, pressure=101325.0)
    with pytest.raises(InputError, match="pressure must be > 0"):
        ha.enthalpy("20 degC", 0.5, pressure="0 Pa")
    with pytest.raises(InputError, match="dew_point must not exceed"):
        ha.relative_humidity_from_dew_point("10 degC", "12 degC")
    with pytest.raises(PropertyError, match="cannot evaluate wet_bulb"):
        ha.wet_bulb_temperature("-200 degC", 0.5)
    with pytest.raises(InputError, match="elevation"):
        ha.standard_pressure("20 km")
