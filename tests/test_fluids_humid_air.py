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

# Table 2 (humidity ratio and enthalpy of saturated air), Table 1 (standard
# atmosphere), Example 1's humidity ratio, enthalpy and dew point, and the wrapper
# against CoolProp itself: validation cases (tests/validation_cases.py, table
# "psychrometrics").
@pytest.mark.parametrize("t", [25.0, 5.0, -20.0])
def test_saturated_air_is_at_its_dew_point_and_wet_bulb(t):
    T = Q_(t, "degC")
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
    W = ha.humidity_ratio(T, rh).m_as("")
    v_da = (1 + W) / ha.density(T, rh).m_as("kg/m^3")         # m³ per kg dry air
    assert v_da == pytest.approx(0.896, rel=0.01)


# --- against CoolProp itself (the wrapper adds nothing but units) --------------


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
