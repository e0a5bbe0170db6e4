"""Hourly weather Datasets (narvik_thermal.climate.weather): layout, means, psychrometrics, user data."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import narvik_thermal as nt
import validation_cases as vc
from narvik_thermal import Q_
from narvik_thermal.climate import hourly as H
from narvik_thermal.climate import site, weather_from_epw, weather_from_series
from narvik_thermal.errors import InputError, PhysicsWarning, UnitError
from narvik_thermal.fluids import humid_air as ha

UNITS = {"outdoor_temperature": "degC", "relative_humidity": "%", "wet_bulb_temperature": "degC",
         "dew_point": "degC", "air_pressure": "Pa", "sea_temperature": "degC",
         "sea_salinity": "g/kg", "sea_temperature_by_depth": "degC", "grid_co2_intensity": "g/kWh"}


@pytest.fixture(scope="module")
def narvik_smooth():
    return site("narvik").hourly(2025)


@pytest.fixture(scope="module")
def marseille_noisy():
    return site("marseille").hourly(2024, seed=7)


def _monthly(ds, var, year):
    return H.monthly_means(ds[var].values, year)


def test_layout_and_units(narvik_smooth):
    w = narvik_smooth
    assert isinstance(w, xr.Dataset)
    assert w.sizes["time"] == 8760 and w.time.dtype == "datetime64[ns]"
    assert str(w.time.values[0])[:13] == "2025-01-01T00"
    assert set(w.data_vars) == set(UNITS)
    for var, unit in UNITS.items():
        assert w[var].attrs["units"] == unit and w[var].attrs["long_name"]
    assert w.sea_temperature_by_depth.dims == ("time", "depth")
    np.testing.assert_array_equal(w.depth.values, [0, 10, 20, 50, 100, 200])
    assert w.attrs["site"] == "narvik" and "R38" in w.attrs["sources"]
    # netCDF-ready attrs (no dicts)
    assert all(isinstance(v, (str, int, float)) for v in w.attrs.values())


def test_monthly_means_reproduced(narvik_smooth, marseille_noisy):
    # tolerances: validation cases climate.hourly.air, .humidity and .sea
    def dev(a, b):
        return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
    n, m = site("narvik"), site("marseille")
    assert marseille_noisy.sizes["time"] == 8784
    smooth, noisy = "Narvik 2025", "Marseille 2024 (leap year, noise)"
    vc.check("climate.hourly.air", {
        smooth: dev(_monthly(narvik_smooth, "outdoor_temperature", 2025),
                    n.monthly_air_temperature.m),
        noisy: dev(_monthly(marseille_noisy, "outdoor_temperature", 2024),
                   m.monthly_air_temperature.m)})
    vc.check("climate.hourly.humidity", {
        smooth: dev(_monthly(narvik_smooth, "relative_humidity", 2025),
                    n.monthly_relative_humidity.m),
        noisy: dev(_monthly(marseille_noisy, "relative_humidity", 2024),
                   m.monthly_relative_humidity.m)})
    surf = marseille_noisy.sea_temperature_by_depth.sel(depth=0).values
    vc.check("climate.hourly.sea", {
        "Narvik 2025, 60 m": dev(_monthly(narvik_smooth, "sea_temperature", 2025),
                                 n.sea_temperature_monthly(Q_(60, "m")).m),
        "Marseille 2024, surface": dev(H.monthly_means(surf, 2024),
                                       m.monthly_sea_surface_temperature.m)})


def test_daily_cycle_and_humidity(narvik_smooth):
    w = narvik_smooth
    T = w.outdoor_temperature.values.reshape(-1, 24)
    # July: mean daily range 7 K (R38; validation case climate.hourly.july_range),
    # warmest at 15:00, coldest at 03:00
    july = T[181:212]
    rng = float(np.mean(july.max(axis=1) - july.min(axis=1)))
    r38 = vc.by_id("climate.hourly.july_range").reference
    vc.check("climate.hourly.july_range", abs(rng - r38), ours=rng)
    assert np.argmax(july.mean(axis=0)) == 15 and np.argmin(july.mean(axis=0)) == 3
    rh = w.relative_humidity.values.reshape(-1, 24)[181:212].mean(axis=0)
    assert np.argmin(rh) == 15                                  # driest in the afternoon
    assert np.all((w.relative_humidity >= 0) & (w.relative_humidity <= 100))
    assert np.all(w.wet_bulb_temperature <= w.outdoor_temperature + 1e-9)
    assert np.all(w.dew_point <= w.wet_bulb_temperature + 1e-6)   # CoolProp's solver tolerance
    # the same numbers as the psychrometric functions, hour by hour
    i = [0, 4000, 5000]
    twb = ha.wet_bulb_temperature(Q_(w.outdoor_temperature.values[i], "degC"),
                                  w.relative_humidity.values[i] / 100,
                                  Q_(w.air_pressure.values[i], "Pa")).m_as("degC")
    vc.check("climate.hourly.wet_bulb",
             float(np.max(np.abs(w.wet_bulb_temperature.values[i] / twb - 1))))


def test_deterministic_and_seeded(marseille_noisy):
    m = site("marseille")
    a = nt.climate.weather.synthetic_air(m, 2024, seed=7)
    np.testing.assert_array_equal(a[0] - 273.15, marseille_noisy.outdoor_temperature.values)
    b = nt.climate.weather.synthetic_air(m, 2024, seed=8)
    assert not np.allclose(a[0], b[0])
    smooth = nt.climate.weather.synthetic_air(m, 2024)
    assert 1.0 < np.std(a[0] - smooth[0]) < 4.0
    # noise 0 with a seed is the smooth year
    np.testing.assert_allclose(nt.climate.weather.synthetic_air(m, 2024, seed=1, noise="0 K")[0],
                               smooth[0])


def test_sea_lag_shows_in_the_hourly_year(narvik_smooth):
    by = narvik_smooth.sea_temperature_by_depth
    warmest = by.groupby("time.month").mean().idxmax("month")
    assert int(warmest.sel(depth=0)) == 8 and int(warmest.sel(depth=100)) in (12, 1)


def test_grid_co2_basis():
    n = site("narvik")
    w = n.hourly(2025, grid_co2="residual_mix", depths=Q_([0], "m"))
    assert np.all(w.grid_co2_intensity == 402.0) and w.attrs["grid_co2_basis"] == "residual_mix"
    with pytest.raises(InputError, match="basis='market'"):
        n.hourly(2025, grid_co2="market")


def test_hourly_errors():
    n = site("narvik")
    with pytest.raises(InputError, match="year must be an integer"):
        n.hourly(2025.0)
    with pytest.raises(UnitError, match="intake_depth"):
        n.hourly(2025, intake_depth=60)
    with pytest.raises(UnitError, match="noise"):
        n.hourly(2025, seed=1, noise=2.5)
    with pytest.raises(InputError, match="noise must be >= 0 K"):
        n.hourly(2025, seed=1, noise="-1 K")


# ---------------------------------------------------------------- user data
def _series():
    t = pd.date_range("2025-07-01", periods=48, freq="h")
    T = pd.Series(20 + 5 * np.sin(np.arange(48) / 24 * 2 * np.pi), index=t)
    rh = pd.Series(np.linspace(50, 90, 48), index=t)
    return t, T, rh


def test_weather_from_series_pandas_and_xarray():
    t, T, rh = _series()
    w = weather_from_series(T, rh, site=site("narvik"),
                            units={"outdoor_temperature": "degC", "relative_humidity": "%"})
    assert w.sizes["time"] == 48 and set(UNITS) <= set(w.data_vars)
    np.testing.assert_allclose(w.outdoor_temperature.values, T.values)
    np.testing.assert_allclose(w.sea_temperature.values,
                               site("narvik").sea_temperature(7, "60 m").m_as("degC"))
    # xarray with units in attrs, dew point instead of RH
    da_T = xr.DataArray(T.values + 273.15, coords={"time": t.values}, dims="time",
                        attrs={"units": "K"})
    td = ha.dew_point(Q_(T.values, "degC"), rh.values / 100).m_as("degC")
    da_td = xr.DataArray(td, coords={"time": t.values}, dims="time", attrs={"units": "degC"})
    w2 = weather_from_series(da_T, dew_point=da_td)
    np.testing.assert_allclose(w2.relative_humidity.values, rh.values, rtol=1e-5)
    assert "sea_temperature" not in w2                  # no site, no sea series


def test_weather_from_series_errors():
    t, T, rh = _series()
    with pytest.raises(UnitError, match="outdoor_temperature has no units"):
        weather_from_series(T, rh)
    with pytest.raises(InputError, match="same time axis"):
        weather_from_series(T, rh.iloc[:10], units={"outdoor_temperature": "degC",
                                                    "relative_humidity": "%"})
    with pytest.raises(InputError, match="looks like percent"):
        weather_from_series(T, rh, units={"outdoor_temperature": "degC",
                                          "relative_humidity": ""})
    with pytest.raises(InputError, match="relative_humidity: give a series"):
        weather_from_series(T, units={"outdoor_temperature": "degC"})
    with pytest.raises(InputError, match="DatetimeIndex"):
        weather_from_series(pd.Series([1.0, 2.0]), units={"outdoor_temperature": "degC"})


def test_weather_from_epw_without_pvlib(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pvlib", None)
    monkeypatch.setitem(sys.modules, "pvlib.iotools", None)
    with pytest.raises(ImportError, match=r"pip install 'narvik_thermal\[weather\]'"):
        weather_from_epw(tmp_path / "x.epw")


def _write_epw(path, hours=48, edits=None):
    """A small EPW file: dry bulb -4.0 + 0.1 h °C, RH 80 %, 100500 Pa; ``edits`` sets
    fields by hour, e.g. ``{"T": {5: 99.9}, "RH": {7: 999}, "P": {9: ""}}``."""
    header = ["LOCATION,Narvik,NOR,,test,010250,68.47,17.50,1.0,23.0",
              "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
              "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,synthetic test file",
              "COMMENTS 2,", "DATA PERIODS,1,1,Data,Sunday,1/1,1/2"]
    edits = edits or {}
    rows = []
    for h in range(hours):
        day, hour = divmod(h, 24)
        air = [edits.get(k, {}).get(h, v) for k, v in
               (("T", round(-4.0 + h * 0.1, 1)), ("Td", -6.0), ("RH", 80), ("P", 100500))]
        vals = [2025, 1, day + 1, hour + 1, 60, "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9*9*9",
                *air] + [0] * 25
        rows.append(",".join(str(v) for v in vals))
    path.write_text("\n".join(header + rows) + "\n")


def test_weather_from_epw_with_pvlib(tmp_path):
    pytest.importorskip("pvlib")
    p = tmp_path / "narvik.epw"
    _write_epw(p)
    w = weather_from_epw(p, site=site("narvik"))
    assert w.sizes["time"] == 48
    assert w.outdoor_temperature.values[0] == pytest.approx(-4.0)
    assert w.relative_humidity.values[0] == pytest.approx(80.0)
    assert w.air_pressure.values[0] == pytest.approx(100500.0)
    assert w.attrs["epw_city"] == "Narvik"


def test_weather_from_epw_fills_short_gaps_of_missing_codes_with_a_warning(tmp_path):
    """The EPW missing codes (dry bulb 99.9, RH 999, pressure 999999, an empty field) were
    taken as weather; gaps up to EPW_MAX_GAP_HOURS are interpolated in time and named."""
    pytest.importorskip("pvlib")
    from narvik_thermal.climate.weather import EPW_MAX_GAP_HOURS
    assert EPW_MAX_GAP_HOURS == 6
    clean, p = tmp_path / "clean.epw", tmp_path / "gaps.epw"
    _write_epw(clean)
    rh_gap = dict.fromkeys(range(10, 10 + EPW_MAX_GAP_HOURS), 999)     # 6 h: the longest
    _write_epw(p, edits={"T": {5: 99.9, 30: ""}, "RH": rh_gap, "P": {20: 999999, 21: 999999}})
    with pytest.warns(PhysicsWarning) as record:
        w = weather_from_epw(p, site=site("narvik"))
    text = [str(r.message) for r in record if issubclass(r.category, PhysicsWarning)]
    assert len(text) == 3, text
    assert "dry-bulb temperature (EPW missing code 99.9" in text[0]
    assert "missing for 2 h (first 2025-01-01 05:00, 2025-01-02 06:00)" in text[0]
    assert "relative humidity (EPW missing code 999" in text[1]
    assert ("missing for 6 h (first 2025-01-01 10:00, 2025-01-01 11:00, "
            "2025-01-01 12:00, …)") in text[1]
    assert "station pressure (EPW missing code 999999" in text[2] and "for 2 h" in text[2]
    assert all("linear interpolation in time" in t and "gaps.epw" in t for t in text)
    ref = weather_from_epw(clean, site=site("narvik"))
    # the dry bulb is linear in time and RH and pressure constant: the fill is exact
    for name in ("outdoor_temperature", "relative_humidity", "air_pressure",
                 "wet_bulb_temperature", "dew_point"):
        np.testing.assert_allclose(w[name].values, ref[name].values, rtol=0, atol=1e-9,
                                   err_msg=name)
    assert w.attrs["epw_missing_filled"] == ("temp_air: 2 h interpolated; relative_humidity: "
                                             "6 h interpolated; atmospheric_pressure: 2 h "
                                             "interpolated")
    assert ref.attrs["epw_missing_filled"] == "none"


def test_weather_from_epw_holds_the_nearest_value_at_the_file_ends(tmp_path):
    pytest.importorskip("pvlib")
    p = tmp_path / "ends.epw"
    _write_epw(p, edits={"T": {0: 99.9, 1: 99.9, 47: 99.9}})
    with pytest.warns(PhysicsWarning, match="at the file's start or end the nearest valid"):
        w = weather_from_epw(p)
    t = w["outdoor_temperature"].values
    assert t[0] == t[1] == pytest.approx(-3.8) and t[47] == pytest.approx(0.6)


@pytest.mark.parametrize("field, code, name", [("T", 99.9, "dry-bulb temperature"),
                                               ("RH", 999, "relative humidity"),
                                               ("P", 999999, "station pressure")])
def test_weather_from_epw_refuses_a_long_gap(tmp_path, field, code, name):
    pytest.importorskip("pvlib")
    p = tmp_path / "long.epw"
    _write_epw(p, edits={field: dict.fromkeys(range(12, 19), code)})       # 7 h
    with pytest.raises(InputError) as exc:
        weather_from_epw(p, site=site("narvik"))
    msg = str(exc.value)
    for part in ("weather_from_epw: ", "long.epw", f"the {name} (EPW missing code {code:g}",
                 "longer than the 6 h filled by interpolation",
                 "7 h from 2025-01-01 12:00 to 2025-01-01 18:00", "Fix the file",
                 "nt.climate.weather_from_series"):
        assert part in msg, (part, msg)


@pytest.mark.parametrize("field, code, name", [("T", 99.9, "dry-bulb temperature"),
                                               ("RH", 999, "relative humidity")])
def test_weather_from_epw_refuses_a_field_missing_everywhere(tmp_path, field, code, name):
    pytest.importorskip("pvlib")
    p = tmp_path / "none.epw"
    _write_epw(p, edits={field: dict.fromkeys(range(48), code)})
    with pytest.raises(InputError, match=rf"the {name} \(EPW missing code .*missing in all "
                       r"48 records.*weather_from_series"):
        weather_from_epw(p, site=site("narvik"))


def test_weather_from_epw_without_any_pressure_uses_the_standard_atmosphere(tmp_path):
    pytest.importorskip("pvlib")
    p = tmp_path / "nopressure.epw"
    _write_epw(p, edits={"P": dict.fromkeys(range(48), 999999)})
    p0 = ha.standard_pressure(Q_(23.0, "m")).m_as("Pa")      # the LOCATION line's elevation
    with pytest.warns(PhysicsWarning, match=r"station pressure .* missing in all 48 records; "
                      r"the standard atmosphere at the file's elevation \(23 m\)"):
        w = weather_from_epw(p)
    np.testing.assert_allclose(w["air_pressure"].values, p0)
    assert "atmospheric_pressure: missing" in w.attrs["epw_missing_filled"]


def test_weather_from_series_names_a_humidity_out_of_range():
    """A humidity over 100 % (EPW files allow supersaturated readings up to 110 %) was
    refused with "must lie within 0–100 %." alone; the message now names how many
    values, the first one and its time."""
    import pandas as pd
    import xarray as xr
    t = pd.date_range("2025-01-01", periods=4, freq="h")
    T = xr.DataArray([1.0, 2.0, 3.0, 4.0], dims="time", coords={"time": t})
    RH = xr.DataArray([50.0, 104.0, 60.0, 108.0], dims="time", coords={"time": t})
    with pytest.raises(InputError, match=r"2 value\(s\) do not, the first 104 % at "
                                         r"2025-01-01T01:00.*Clip supersaturated"):
        nt.climate.weather_from_series(T, RH, units={"outdoor_temperature": "degC",
                                                     "relative_humidity": "%"})
