"""Tests of the embedded Narvik site data (narvik-facts §3, §4)."""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal import Q_
from narvik_thermal import climate
from narvik_thermal.errors import InputError, RangeWarning, UnitError
from validation_cases_site import AIR_R38

# The R38 tables (typed independently of the package, in tests/validation_cases_site.py)
# and the fjord's published deep values, salinities, lag and profile bounds are
# validation cases (climate.narvik.*, climate.fjord.*; table "climate").


def test_tables_equal_cited_values():
    assert climate.AIR_TEMPERATURE_OLDER_NORMALS["july"] == (13.4, 13.4)   # R51, R52
    assert climate.air_temperature(7).m_as("degC") == 14.5
    np.testing.assert_array_equal(climate.air_temperature([1, 12]).m_as("degC"), [-4.0, -0.5])


def test_deep_values_r37_r36():
    # Eggum below 150 m: ~6.5 °C July, just over 7 °C January (R37). Since the
    # lagged model (issue item 6) this holds at 150 m; deeper, the cycle fades,
    # as at Skrova 300 m behind the Vestfjord sill (R36) — changed on purpose.
    # Those values are validation cases; here the shapes.
    T = climate.fjord_temperature(np.arange(1, 13)[:, None], Q_([50, 75, 100], "m")).m_as("degC")
    assert T.shape == (12, 3)
    # salinity lowest June–July at the surface (its range: a validation case)
    surf = climate.fjord_salinity(np.arange(1, 13), Q_(0, "m")).m_as("g/kg")
    assert set(np.argsort(surf)[:2] + 1) == {6, 7}


def test_deep_water_lags_the_surface():
    """Issue item 6: deep water is warmest in winter (IMR Lista, Bud, Ytre Utsira; R37);
    the warmest months: validation cases climate.fjord.surface_warmest and .lag."""
    months = np.arange(1, 13)
    # the lag grows with depth: the warmest month moves later, never earlier
    lag = [(int(np.argmax(climate.fjord_temperature(months, Q_(z, "m")).m_as("degC"))) + 1 - 8) % 12
           for z in (0, 20, 40, 60, 80, 100, 120, 150)]
    assert lag == sorted(lag)
    # the seasonal range shrinks with depth
    rng = [np.ptp(climate.fjord_temperature(months, Q_(z, "m")).m_as("degC"))
           for z in (0, 25, 50, 100, 150, 300)]
    assert all(a > b for a, b in zip(rng, rng[1:]))


@pytest.mark.parametrize("month", range(1, 13))
def test_profile_bounded_and_smooth(month):
    # With the lag the profile is no longer monotone in depth (in winter a
    # warmer layer of last summer's heat lies under the cold surface, as the
    # IMR describes cold coastal water over warmer Atlantic water, R36), so the
    # former monotonicity test became a bound: validation cases
    # climate.fjord.profile and .gradient. Here the salinity.
    z = Q_(np.linspace(0, 553, 400), "m")
    S = climate.fjord_salinity(month, z).m_as("g/kg")
    assert np.all(np.diff(S) >= 0) and S[-1] <= 35.0


def test_overrides():
    T = climate.fjord_temperature(3, Q_(500, "m"), deep_temperature=Q_(7, "degC"))
    assert T.m_as("degC") == pytest.approx(7.0, abs=0.01)
    # a shorter amplitude depth damps the summer signal at 30 m
    shallow = climate.fjord_temperature(8, Q_(30, "m"), e_folding_depth=Q_(10, "m"))
    assert shallow.m_as("degC") < climate.fjord_temperature(8, Q_(30, "m")).m_as("degC")
    # no lag: every depth peaks with the surface
    T0 = climate.fjord_temperature(np.arange(1, 13), Q_(100, "m"), deep_lag=0.0).m_as("degC")
    assert int(np.argmax(T0)) + 1 == 8
    with pytest.raises(InputError, match="lag_depth must be > 0"):
        climate.fjord_temperature(1, Q_(5, "m"), lag_depth=Q_(0, "m"))
    with pytest.raises(InputError, match="deep_lag must be"):
        climate.fjord_temperature(1, Q_(5, "m"), deep_lag=13)


def test_hourly_year_preserves_monthly_means():
    T = climate.hourly_air_temperature(2025).m_as("degC")
    assert T.shape == (8760,)
    idx = climate.hourly_index(2025)
    months = idx.astype("datetime64[M]").astype(int) % 12 + 1
    for m in range(1, 13):
        assert T[months == m].mean() == pytest.approx(AIR_R38[m - 1], abs=1e-9)
    # smooth: no jumps at month boundaries beyond the daily cycle
    assert np.max(np.abs(np.diff(T))) < 2.0
    # deterministic
    np.testing.assert_array_equal(T, climate.hourly_air_temperature(2025).m_as("degC"))
    assert climate.hourly_air_temperature(2024).shape == (8784,)


def test_hourly_noise_seeded():
    a = climate.hourly_air_temperature(2025, seed=1).m_as("degC")
    b = climate.hourly_air_temperature(2025, seed=1).m_as("degC")
    c = climate.hourly_air_temperature(2025, seed=2).m_as("degC")
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    months = climate.hourly_index(2025).astype("datetime64[M]").astype(int) % 12 + 1
    for m in (1, 7):
        assert a[months == m].mean() == pytest.approx(AIR_R38[m - 1], abs=1e-9)
    smooth = climate.hourly_air_temperature(2025).m_as("degC")
    assert 1.0 < np.std(a - smooth) < 4.0


def test_hourly_custom_inputs():
    older = Q_([-4.3, -4, -2, 1, 6, 10, 13.4, 12.5, 8.5, 3.5, -0.5, -3], "degC")
    T = climate.hourly_air_temperature(2025, monthly_means=older, daily_range=Q_(np.zeros(12), "K"))
    assert T.m_as("degC")[:744].mean() == pytest.approx(-4.3, abs=1e-9)


@pytest.mark.parametrize("month", [13, 0, -1, 1.5, "Jan", True])
def test_bad_month(month):
    with pytest.raises(InputError, match="month must be"):
        climate.fjord_temperature(month, Q_(10, "m"))


def test_errors():
    with pytest.raises(UnitError, match="depth=10 has no units"):
        climate.fjord_temperature(1, 10)
    with pytest.raises(InputError, match="depth must be >= 0 m"):
        climate.fjord_temperature(1, Q_(-5, "m"))
    with pytest.raises(UnitError, match="depth"):
        climate.fjord_salinity(1, Q_(5, "kg"))
    with pytest.raises(InputError, match="month must be in 1–12"):
        climate.air_temperature(13)
    with pytest.raises(InputError, match="year must be an integer"):
        climate.hourly_air_temperature(2025.5)
    with pytest.raises(InputError, match="must have 12 values"):
        climate.hourly_air_temperature(2025, monthly_means=Q_([1, 2], "degC"))
    with pytest.raises(UnitError, match="absolute temperature"):
        climate.hourly_air_temperature(2025, daily_range=Q_(np.ones(12), "degC"))
    with pytest.raises(InputError, match="e_folding_depth must be > 0"):
        climate.fjord_temperature(1, Q_(5, "m"), e_folding_depth=Q_(0, "m"))
    with pytest.warns(RangeWarning, match="exceeds the Ofotfjord's maximum depth"):
        climate.fjord_temperature(1, Q_(800, "m"))
