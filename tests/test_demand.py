"""Tests of the heat-demand models (narvik-facts §4, §6)."""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal import Q_
from narvik_thermal.climate import hourly_air_temperature
from narvik_thermal.demand import (district_heating_demand, greenhouse_heat_demand,
                                   salmon_farm_heat_demand)
from narvik_thermal.errors import InputError, UnitError


# ------------------------------------------------------------------ greenhouse
def test_greenhouse_design_load_hand_calculation():
    # narvik-facts §6: ΔT ≈ 38 K, single glass U ≈ 6 W/m²K (R73) → ~230 W/m² of cover
    q = greenhouse_heat_demand(Q_(-18, "degC"), cover_area=Q_(1, "m^2"))
    assert q.m_as("W") == pytest.approx(6.0 * 38.0)            # 228 W/m², hand calc
    assert q.m_as("W") == pytest.approx(230, rel=0.02)
    # screens or double glazing (34 % less, R74): within the §6 range 110–150 W/m²
    q2 = greenhouse_heat_demand(Q_(-18, "degC"), cover_area=Q_(1, "m^2"), screen_factor=0.34)
    assert 110 <= q2.m_as("W") <= 155


def test_greenhouse_ventilation_and_solar_hand_calc():
    q = greenhouse_heat_demand(Q_(0, "degC"), cover_area=Q_(1300, "m^2"),
                               air_changes_per_hour=Q_(1, "1/h"), volume=Q_(5000, "m^3"),
                               solar_gain=Q_(50, "W/m^2"))
    expected = (6 * 1300 + 1.2 * 1006 * 5000 / 3600) * 20 - 50 * 1000
    assert q.m_as("W") == pytest.approx(expected)


def test_greenhouse_hourly_vectorised_and_annual_range():
    T = hourly_air_temperature(2025)
    q = greenhouse_heat_demand(T, cover_area=Q_(1.3, "m^2"))    # 1 m² of floor
    assert q.shape == (8760,) and np.all(q.m_as("W") >= 0)
    annual = q.m_as("W").sum() / 1000.0                            # kWh per m² floor
    # no solar/thermal-mass credit, so above the 500–900 kWh/m²·yr default at 68°N [GEK]
    assert 900 < annual < 1500


def test_greenhouse_errors():
    with pytest.raises(InputError, match="cover_area must be > 0"):
        greenhouse_heat_demand(Q_(0, "degC"), cover_area=Q_(-10, "m^2"))
    with pytest.raises(UnitError, match="cover_area=100 has no units"):
        greenhouse_heat_demand(Q_(0, "degC"), cover_area=100)
    with pytest.raises(UnitError, match="outdoor_temperature=5 has no units"):
        greenhouse_heat_demand(5, cover_area=Q_(100, "m^2"))
    with pytest.raises(InputError, match="needs the greenhouse air volume"):
        greenhouse_heat_demand(Q_(0, "degC"), cover_area=Q_(100, "m^2"),
                               air_changes_per_hour=Q_(1, "1/h"))
    with pytest.raises(InputError, match=r"screen_factor must be a number in \[0, 1\)"):
        greenhouse_heat_demand(Q_(0, "degC"), cover_area=Q_(100, "m^2"), screen_factor=1.0)
    with pytest.raises(InputError, match="u_value must be >= 0"):
        greenhouse_heat_demand(Q_(0, "degC"), cover_area=Q_(100, "m^2"),
                               u_value=Q_(-1, "W/(m^2*K)"))
    with pytest.raises(UnitError, match="temperature difference"):
        greenhouse_heat_demand(Q_(0, "delta_degC"), cover_area=Q_(100, "m^2"))


# ---------------------------------------------------------------------- salmon
def test_salmon_within_estimate():
    # narvik-facts §6: 1,000 t/yr → 1–3 GWh/yr (0.1–0.35 MW)
    e = salmon_farm_heat_demand()
    assert 1.0 <= e.m_as("GWh") <= 3.0
    # the §6 inputs (8 K rise) by hand: 1e6 kg × 1.1 × 0.3 m³ × 1000 kg/m³ × 4180 × 8
    e8 = salmon_farm_heat_demand(intake_temperature=Q_(5, "degC"))
    hand = 1e6 * 1.1 * 0.300 * 1000 * 4180 * 8 / 3.6e12
    assert e8.m_as("GWh") == pytest.approx(hand, rel=1e-6)
    assert e8.m_as("GWh") / 8.766 == pytest.approx(0.35, abs=0.01)   # mean MW
    # seawater properties (cp 3.99, ρ 1026, §3) give 3.0 GWh/yr
    sea = salmon_farm_heat_demand(intake_temperature=Q_(5, "degC"),
                                  water_density=Q_(1026, "kg/m^3"),
                                  water_heat_capacity=Q_(3.99, "kJ/(kg*K)"))
    assert sea.m_as("GWh") == pytest.approx(3.0, abs=0.05)
    # building losses and heat recovery
    more = salmon_farm_heat_demand(building_ua=Q_(10, "kW/K"))
    assert more.m_as("GWh") == pytest.approx(e.m_as("GWh") + 10e3 * 7.9 * 8766 / 1e9)
    half = salmon_farm_heat_demand(heat_recovery=0.5)
    assert half.m_as("GWh") == pytest.approx(e.m_as("GWh") / 2)


def test_salmon_errors():
    with pytest.raises(InputError, match="production must be > 0"):
        salmon_farm_heat_demand(production=Q_(0, "t/yr"))
    with pytest.raises(UnitError, match="production"):
        salmon_farm_heat_demand(production=1000)
    with pytest.raises(InputError, match="fcr must be"):
        salmon_farm_heat_demand(fcr=10)
    with pytest.raises(InputError, match="would need cooling"):
        salmon_farm_heat_demand(intake_temperature=Q_(15, "degC"))
    with pytest.raises(InputError, match="heat_recovery must be"):
        salmon_farm_heat_demand(heat_recovery=1.5)


# ----------------------------------------------------------- district heating
def test_district_heating_distributes_annual_heat():
    T = hourly_air_temperature(2025)
    q = district_heating_demand(T)
    assert q.shape == (8760,)
    assert q.m_as("MW").sum() == pytest.approx(100e3, rel=1e-12)      # MWh over the year
    # winter share (Oct–Apr) about 70 % (narvik-facts §8: ~70 of 100 GWh in winter)
    months = np.arange(np.datetime64("2025-01-01T00"), np.datetime64("2026-01-01T00"),
                       dtype="datetime64[h]").astype("datetime64[M]").astype(int) % 12 + 1
    winter = np.isin(months, [1, 2, 3, 4, 10, 11, 12])
    share = q.m_as("MW")[winter].sum() / q.m_as("MW").sum()
    assert 0.65 < share < 0.85
    # monotone in outdoor temperature (degree-hour model)
    order = np.argsort(T.m_as("degC"))
    assert np.all(np.diff(q.m_as("MW")[order]) <= 1e-12)
    # hot water only in summer hours above base: the flat floor
    assert q.m_as("MW").min() == pytest.approx(0.2 * 100e3 / 8760)


def test_district_heating_errors():
    with pytest.raises(InputError, match="never falls below base_temperature"):
        district_heating_demand(Q_([20.0, 21.0], "degC"))
    with pytest.raises(InputError, match="hot_water_share must be"):
        district_heating_demand(Q_([0.0, 1.0], "degC"), hot_water_share=1.2)
    with pytest.raises(UnitError, match="annual_heat"):
        district_heating_demand(Q_([0.0, 1.0], "degC"), annual_heat=100)
    with pytest.raises(InputError, match="annual_heat must be > 0"):
        district_heating_demand(Q_([0.0, 1.0], "degC"), annual_heat=Q_(-1, "GWh"))
    with pytest.raises(InputError, match="1-D series"):
        district_heating_demand(Q_(np.zeros((2, 2)), "degC"))
