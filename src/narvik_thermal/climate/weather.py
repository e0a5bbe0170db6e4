r"""Hourly weather years as xarray Datasets: synthetic from monthly normals, or the user's own.

Three ways to the same layout (dimension ``time``, one value per hour; CF
``units`` in every variable's attrs):

- :func:`hourly_weather` (also :meth:`Site.hourly`) — a synthetic year
  generated deterministically from a site's monthly normals;
- :func:`weather_from_series` — the user's own hourly series (pandas or
  xarray), completed from the site where a variable is missing;
- :func:`weather_from_epw` — an EnergyPlus weather file, read with pvlib's
  maintained reader (:func:`pvlib.iotools.read_epw`; pvlib is optional); the
  format's missing-value codes are never taken as weather: short gaps are
  interpolated with a warning, longer ones refused.

Variables: ``outdoor_temperature`` [degC], ``relative_humidity`` [%],
``wet_bulb_temperature`` and ``dew_point`` [degC] (CoolProp's humid-air
model, :mod:`narvik_thermal.fluids.humid_air`), ``air_pressure`` [Pa],
``sea_temperature`` and ``sea_salinity`` at the intake depth [degC, g/kg],
``sea_temperature_by_depth`` (dims ``time``, ``depth``) [degC] and
``grid_co2_intensity`` [g/kWh].

The synthetic year
------------------
- Air temperature: :func:`~narvik_thermal.climate.hourly.mean_preserving_curve`
  through the monthly means (exact monthly means), plus a cosine daily cycle
  of the month's mean daily range (minimum 03:00, maximum 15:00 local; zero
  mean over each day), plus — only when ``seed`` is given — AR(1) weather
  noise of standard deviation ``noise`` (default 2.5 K [GEK]) and
  e-folding time ``noise_correlation`` (48 h [GEK]) whose mean is removed in
  every month. The monthly means are reproduced exactly in every case.
- Relative humidity: the vapour content follows the slow part of the
  weather, so the relative humidity falls when the air warms within a day
  or a warm spell: :math:`RH(t) = s_m\,\widetilde{RH}(t)\,e^{-\gamma\,\delta T(t)}`,
  with :math:`\widetilde{RH}` the mean-preserving curve of the monthly RH
  normals, :math:`\delta T` the daily cycle plus noise,
  :math:`\gamma = 17.62 \cdot 243.12/(243.12 + \bar T)^2` K⁻¹ the
  logarithmic slope of the saturation pressure (Magnus form, so the dew
  point stays nearly constant) and :math:`s_m` the factor per month that
  restores the monthly mean *after* capping at 100 % (solved by bisection):
  the monthly mean RH equals the table to 1e-9.
- Wet bulb and dew point from the hourly dry bulb, RH and the
  standard-atmosphere pressure at the site's elevation.
- Sea temperature at each depth: the mean-preserving curve of the site's
  12 monthly means at that depth (:meth:`Site.sea_temperature`), so its
  monthly means are exact too; salinity likewise at the intake depth.
- Grid CO2 intensity: the site's annual value on the chosen basis
  (``"location"`` or ``"residual_mix"``), constant over the year.

Generation cost, measured on the 2-core development machine while other jobs
ran: 5.7–6.6 s for a year at a load average of 11–12, 7 s at 5–6; the
temperature and humidity series take 0.06 s of it, CoolProp's iterative
wet-bulb and dew-point solutions (1–3 s each for 8,760 points, depending on
the load) almost all the rest.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, PhysicsWarning, UnitError
from ..units import Q_, to_integer, to_si, to_temperature, to_temperature_difference
from . import hourly as H

if TYPE_CHECKING:  # pragma: no cover
    from .site import Site

__all__ = ["hourly_weather", "synthetic_air", "derive_design_conditions",
           "weather_from_series", "weather_from_epw", "VARIABLES", "STANDARD_DEPTHS_M",
           "EPW_MISSING_CODES", "EPW_MAX_GAP_HOURS"]

#: Depths of the ``sea_temperature_by_depth`` variable of the hourly weather [m].
STANDARD_DEPTHS_M = (0.0, 10.0, 20.0, 50.0, 100.0, 200.0)

#: Variables of a weather Dataset and their CF units.
VARIABLES = {
    "outdoor_temperature": "degC",
    "relative_humidity": "%",
    "wet_bulb_temperature": "degC",
    "dew_point": "degC",
    "air_pressure": "Pa",
    "sea_temperature": "degC",
    "sea_salinity": "g/kg",
    "sea_temperature_by_depth": "degC",
    "grid_co2_intensity": "g/kWh",
}

_LONG_NAMES = {
    "outdoor_temperature": "outdoor dry-bulb air temperature",
    "relative_humidity": "relative humidity of the outdoor air",
    "wet_bulb_temperature": "thermodynamic wet-bulb temperature (CoolProp HAPropsSI)",
    "dew_point": "dew-point temperature (CoolProp HAPropsSI)",
    "air_pressure": "air pressure",
    "sea_temperature": "sea temperature at the intake depth",
    "sea_salinity": "sea salinity at the intake depth",
    "sea_temperature_by_depth": "sea temperature by depth",
    "grid_co2_intensity": "grid electricity CO2 intensity",
}


def _gamma(T_mean_C: np.ndarray) -> np.ndarray:
    """d ln p_ws / dT of the Magnus form [1/K] (Alduchov & Eskridge constants)."""
    return 17.62 * 243.12 / (243.12 + T_mean_C) ** 2


def _scale_to_means(x: np.ndarray, targets: np.ndarray, year: int,
                    cap: float = 1.0) -> np.ndarray:
    """Scale each month of ``x`` so that mean(min(s·x, cap)) equals the target (bisection)."""
    moh = H.month_of_hour(year) - 1
    out = np.empty_like(x)
    for m in range(12):
        sel = moh == m
        xm = x[sel]
        lo, hi = 0.0, cap / max(float(np.min(xm)), 1e-12)
        if np.mean(np.minimum(hi * xm, cap)) < targets[m]:
            raise InputError(f"relative humidity {targets[m]:.3f} in month {m + 1} cannot be "
                             "reached below saturation.")
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            if np.mean(np.minimum(mid * xm, cap)) < targets[m]:
                lo = mid
            else:
                hi = mid
        out[sel] = np.minimum(0.5 * (lo + hi) * xm, cap)
    return out


def synthetic_air(site: Site, year: int, *, seed: int | None = None, noise: Any = "2.5 K",
                  noise_correlation: Any = "48 h") -> tuple[np.ndarray, np.ndarray]:
    """Hourly dry-bulb temperature [K] and relative humidity [fraction] of a synthetic year.

    The first two steps of :func:`hourly_weather` (see the module notes),
    without the psychrometrics: cheap enough to run over many years, as
    :func:`derive_design_conditions` does.
    """
    n = H.hourly_index(year).size
    year = int(year)
    moh = H.month_of_hour(year) - 1
    T_mean = site.monthly_air_temperature.m
    smooth = H.mean_preserving_curve(year, T_mean)
    dT = 0.5 * site.monthly_daily_range.m[moh] * H.daily_cosine(n)
    if seed is not None:
        sigma = to_temperature_difference(noise, "noise")
        tau = to_si(noise_correlation, "h", "noise_correlation")
        if sigma < 0 or tau <= 0:
            raise InputError(f"noise must be >= 0 K and noise_correlation > 0 h, got "
                             f"noise={noise}, noise_correlation={noise_correlation}.")
        if sigma > 0:
            dT = dT + H.ar1_noise(year, int(seed), sigma, tau)
    T_C = smooth + dT
    rh_target = site.monthly_relative_humidity.m / 100.0
    rh_smooth = np.clip(H.mean_preserving_curve(year, rh_target), 1e-3, None)
    rh = rh_smooth * np.exp(-_gamma(smooth) * dT)
    rh = _scale_to_means(rh, rh_target, year)
    return T_C + 273.15, rh


def _time_coord(year: int) -> np.ndarray:
    return H.hourly_index(year).astype("datetime64[ns]")


def _depths(site: Site, depths: Any) -> np.ndarray:
    if depths is None:
        z = np.asarray([d for d in STANDARD_DEPTHS_M
                        if site.max_depth is None or d <= site.max_depth.m])
    else:
        z = np.atleast_1d(np.asarray(to_si(depths, "m", "depths"), dtype=float))
    if z.ndim != 1 or np.any(z < 0):
        raise InputError(f"depths must be a 1-D list of depths >= 0 m, got {depths}.")
    return z


def _sea_series(site: Site, year: int, depth: float) -> np.ndarray:
    monthly = site.sea_temperature_monthly(Q_(depth, "m")).m
    return H.mean_preserving_curve(year, monthly)


def _dataset(time: np.ndarray, data: dict[str, Any], attrs: dict[str, Any],
             depth: np.ndarray | None = None, generator: str = "") -> Any:
    import xarray as xr

    from .._metadata import netcdf_attrs, provenance
    attrs = {**provenance(f"narvik_thermal.climate.{generator}"), **netcdf_attrs(attrs)}
    data_vars = {}
    for name, values in data.items():
        var_attrs = {"units": VARIABLES[name], "long_name": _LONG_NAMES[name]}
        if name == "sea_temperature_by_depth":
            data_vars[name] = (("time", "depth"), values, var_attrs)
        else:
            data_vars[name] = ("time", values, var_attrs)
    coords = {"time": ("time", time)}
    if depth is not None:
        coords["depth"] = ("depth", depth, {"units": "m", "positive": "down"})
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def _psychrometrics(T_K: np.ndarray, rh: np.ndarray, p: float) -> tuple[np.ndarray, ...]:
    from ..fluids.humid_air import humid_air_si
    twb = humid_air_si("wet_bulb", T_K, rh, p)
    tdp = humid_air_si("dew_point", T_K, np.maximum(rh, 1e-4), p)
    return np.atleast_1d(twb), np.atleast_1d(tdp)


def _sources_text(site: Site) -> str:
    return "; ".join(f"{k}: {v}" for k, v in site.sources.items())


#: Calendar years of the synthetic weather (those numpy's datetime64[ns] can hold whole).
YEARS = (1678, 2261)


def hourly_weather(site: Site, year: int, *, seed: int | None = None, noise: Any = "2.5 K",
                   noise_correlation: Any = "48 h", intake_depth: Any = None,
                   depths: Any = None, grid_co2: str = "location") -> Any:
    """A synthetic hourly weather year of ``site`` as an xarray Dataset.

    Parameters
    ----------
    site : Site
        Where (:func:`narvik_thermal.climate.site`).
    year : int
        Calendar year (8,760 hours, 8,784 in a leap year).
    seed : int, optional
        None (default): the smooth deterministic year (monthly means, daily
        cycle). An int: add seeded AR(1) weather noise; deterministic per seed.
    noise : pint.Quantity or str, optional
        Standard deviation of the noise [K], default 2.5 K [GEK]; ignored
        without a seed.
    noise_correlation : pint.Quantity or str, optional
        e-folding time of the noise [h], default 48 h [GEK].
    intake_depth : pint.Quantity, optional
        Depth of ``sea_temperature`` and ``sea_salinity`` [m]; default the
        site's ``intake_depth`` (60 m for the embedded sites).
    depths : pint.Quantity, optional
        Depths of ``sea_temperature_by_depth`` [m]; default 0, 10, 20, 50,
        100 and 200 m.
    grid_co2 : {"location", "residual_mix"}, optional
        Accounting basis of ``grid_co2_intensity``.

    Returns
    -------
    xarray.Dataset
        Dimension ``time`` (hour starts, local time) and ``depth``; variables
        as in the module notes, each with ``units`` and ``long_name`` attrs.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> w = nt.climate.site("narvik").hourly(2025)
    >>> w.sizes["time"], w["outdoor_temperature"].attrs["units"]
    (8760, 'degC')
    >>> round(float(w["outdoor_temperature"][:744].mean()), 6)   # January mean (R38)
    -4.0
    """
    # a calendar year numpy's datetime64[ns] can hold (outside 1678–2261 the hours wrap
    # around into other centuries without a word), and a seed numpy takes
    if isinstance(year, (int, np.integer)) and not isinstance(year, bool) \
            and not YEARS[0] <= year <= YEARS[1]:
        raise InputError(f"hourly_weather: year={year} must lie in {YEARS[0]}–{YEARS[1]} (the "
                         "calendar years the time axis can hold); the synthetic weather does "
                         "not depend on the year beyond its calendar.")
    if seed is not None:
        seed = to_integer(seed, "hourly_weather: seed", minimum=0)
    z_in = float(to_si(site.intake_depth if intake_depth is None else intake_depth, "m",
                       "intake_depth"))
    if z_in < 0:
        raise InputError(f"intake_depth must be >= 0 m, got {intake_depth}.")
    co2 = site.grid_co2(grid_co2).m
    z = _depths(site, depths)
    T_K, rh = synthetic_air(site, year, seed=seed, noise=noise,
                            noise_correlation=noise_correlation)
    p = float(site.air_pressure().m)
    twb, tdp = _psychrometrics(T_K, rh, p)
    year = int(year)
    moh = H.month_of_hour(year)
    sal_monthly = site.sea_salinity(np.arange(1, 13), Q_(z_in, "m")).m
    n = T_K.size
    data = {
        "outdoor_temperature": T_K - 273.15,
        "relative_humidity": rh * 100.0,
        "wet_bulb_temperature": twb - 273.15,
        "dew_point": tdp - 273.15,
        "air_pressure": np.full(n, p),
        "sea_temperature": _sea_series(site, year, z_in),
        "sea_salinity": H.mean_preserving_curve(year, sal_monthly),
        "sea_temperature_by_depth": np.stack([_sea_series(site, year, d) for d in z], axis=1),
        "grid_co2_intensity": np.full(n, co2),
    }
    del moh
    attrs = {
        "site": site.name, "year": year, "title": "narvik_thermal synthetic year from "
        "monthly normals (climate.weather.hourly_weather)",
        "seed": "none" if seed is None else int(seed),
        "noise_K": 0.0 if seed is None else float(to_temperature_difference(noise, "noise")),
        "intake_depth_m": z_in, "grid_co2_basis": grid_co2,
        "sources": _sources_text(site),
    }
    return _dataset(_time_coord(year), data, attrs, depth=z, generator="hourly_weather")


def derive_design_conditions(site: Site, *, seeds: Any = range(10), year: int = 2001,
                             noise: Any = "2.5 K",
                             noise_correlation: Any = "48 h") -> dict[str, Any]:
    """0.4 % annual design conditions derived from synthetic years of ``site``.

    Method (after ASHRAE Handbook—Fundamentals ch. 14, where the same
    percentiles are taken over long records of observed hours):

    1. generate one noisy year per seed (default seeds 0–9: 87,600 hours);
    2. **cooling dry bulb**: the dry bulb exceeded in 0.4 % of the hours
       (the 99.6th percentile);
    3. **mean coincident wet bulb**: the mean wet bulb of the hours whose
       dry bulb lies within ±0.5 K of that value;
    4. **evaporation wet bulb**: the wet bulb exceeded in 0.4 % of the hours
       (computed exactly among the 2 % of hours of highest moist-air
       enthalpy, which contain them).

    Limits: the synthetic years have a Gaussian spread about the monthly
    normals whose width (2.5 K) is **[GEK]**; observed hot spells are
    skewed, so these values are estimates, likely 1–3 K below the Handbook's
    for the dry bulb. Replace them with the Handbook's when available.

    Returns
    -------
    dict
        :data:`~narvik_thermal.climate.site.DESIGN_CONDITION_NAMES` → Quantity [degC].
    """
    from ..fluids.humid_air import humid_air_si

    p = float(site.air_pressure().m)
    Ts, rhs = [], []
    for s in seeds:
        T_K, rh = synthetic_air(site, year, seed=int(s), noise=noise,
                                noise_correlation=noise_correlation)
        Ts.append(T_K)
        rhs.append(rh)
    T = np.concatenate(Ts)
    rh = np.concatenate(rhs)
    db = float(np.percentile(T, 99.6))
    near = np.abs(T - db) <= 0.5
    mcwb = float(np.mean(humid_air_si("wet_bulb", T[near], rh[near], p)))
    h = humid_air_si("enthalpy", T, rh, p)
    top = h >= np.percentile(h, 98.0)
    wb_top = np.sort(np.atleast_1d(humid_air_si("wet_bulb", T[top], rh[top], p)))
    k = int(math.ceil(0.004 * T.size))           # hours at or above the 0.4 % value
    wb = float(wb_top[-k])
    return {"cooling_dry_bulb": Q_(db - 273.15, "degC"),
            "cooling_mean_coincident_wet_bulb": Q_(mcwb - 273.15, "degC"),
            "evaporation_wet_bulb": Q_(wb - 273.15, "degC")}


# ------------------------------------------------------------ user's own data
def _series(value: Any, name: str, units: dict[str, str], expected: str) -> tuple:
    """(time index as datetime64[ns], magnitudes in ``expected`` unit) of a pandas/xarray series."""
    import pandas as pd

    unit = units.get(name)                  # "" is a valid unit: a plain fraction
    if hasattr(value, "dims") and hasattr(value, "attrs"):          # xarray.DataArray
        if value.ndim != 1:
            raise InputError(f"{name} must be one-dimensional over time, got dims {value.dims}.")
        unit = unit if unit is not None else value.attrs.get("units")
        time = np.asarray(value[value.dims[0]].values)
        mag = np.asarray(value.values, dtype=float)
    elif isinstance(value, pd.Series):
        if not isinstance(value.index, pd.DatetimeIndex):
            raise InputError(f"{name} must be indexed by time (a pandas DatetimeIndex), got "
                             f"{type(value.index).__name__}.")
        idx = value.index.tz_localize(None) if value.index.tz is not None else value.index
        time = idx.values
        mag = value.to_numpy(dtype=float)
    else:
        raise InputError(f"{name} must be a pandas Series with a DatetimeIndex or an xarray "
                         f"DataArray over time, got {type(value).__name__}.")
    if unit is None:
        raise UnitError(f"{name} has no units: give units={{{name!r}: '<unit>'}} or "
                        f"attrs['units'] on the DataArray (the library never guesses a unit); "
                        f"expected something convertible to {expected!r}.", argument=name)
    q = Q_(mag, unit)
    if expected == "K":
        return time, np.asarray(to_temperature(q, name), dtype=float)
    if expected == "":
        return time, np.asarray(to_si(q, "", name), dtype=float)
    return time, np.asarray(to_si(q, expected, name), dtype=float)


def weather_from_series(outdoor_temperature: Any, relative_humidity: Any = None, *,
                        site: Site | None = None, dew_point: Any = None,
                        sea_temperature: Any = None, air_pressure: Any = None,
                        grid_co2_intensity: Any = None, intake_depth: Any = None,
                        depths: Any = None, units: dict[str, str] | None = None,
                        grid_co2: str = "location") -> Any:
    """A weather Dataset from the user's own hourly series, in :func:`hourly_weather`'s layout.

    Parameters
    ----------
    outdoor_temperature : pandas.Series or xarray.DataArray
        Dry bulb over time; its time axis becomes the Dataset's.
    relative_humidity : Series or DataArray, optional
        Relative humidity (e.g. ``"%"`` or ``""`` for a fraction). If
        omitted, from ``dew_point``; else the site's monthly normals.
    site : Site, optional
        Fills what the series lack (sea, pressure, grid CO2, humidity).
    dew_point, sea_temperature, air_pressure, grid_co2_intensity : optional
        Series on the same time axis.
    intake_depth, depths : pint.Quantity, optional
        As in :func:`hourly_weather` (used with ``site``).
    units : dict, optional
        Units of the series by argument name, e.g. ``{"outdoor_temperature":
        "degC", "relative_humidity": "%"}``; a DataArray may carry
        ``attrs["units"]`` instead. No unit is ever guessed.
    grid_co2 : str, optional
        Basis of the site's grid CO2 when ``grid_co2_intensity`` is not given.

    Returns
    -------
    xarray.Dataset
        The variables of :data:`VARIABLES` that can be had; ``sea_*`` and
        ``grid_co2_intensity`` need either a series or a ``site``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.date_range("2025-07-01", periods=3, freq="h")
    >>> w = weather_from_series(pd.Series([20.0, 21.0, 22.0], index=t),
    ...                         pd.Series([60.0, 55.0, 50.0], index=t),
    ...                         units={"outdoor_temperature": "degC", "relative_humidity": "%"})
    >>> [round(float(x), 2) for x in w["wet_bulb_temperature"]]
    [15.14, 15.31, 15.42]
    """
    units = dict(units or {})
    time, T_K = _series(outdoor_temperature, "outdoor_temperature", units, "K")
    n = T_K.size

    def same_axis(name: str, value: Any, expected: str) -> np.ndarray:
        t, mag = _series(value, name, units, expected)
        if t.shape != time.shape or not np.all(t == time):
            raise InputError(f"{name} must have the same time axis as outdoor_temperature "
                             f"({n} values from {time[0]}), got {t.size} values.")
        return mag

    p = (same_axis("air_pressure", air_pressure, "Pa") if air_pressure is not None
         else np.full(n, float(site.air_pressure().m)) if site is not None
         else np.full(n, 101325.0))
    if relative_humidity is not None:
        rh = same_axis("relative_humidity", relative_humidity, "")
        if np.nanmax(rh) > 1.0 + 1e-9 and units.get("relative_humidity", "") in ("", "1"):
            raise InputError("relative_humidity looks like percent but its unit is a "
                             "fraction; give units={'relative_humidity': '%'}.")
    elif dew_point is not None:
        from ..fluids.humid_air import humid_air_si
        td = np.minimum(same_axis("dew_point", dew_point, "K"), T_K)
        rh = np.clip(humid_air_si("relative_humidity", T_K, None, p, dew_point=td), 0, 1)
    elif site is not None:
        months = (time.astype("datetime64[M]").astype(int) % 12) + 1
        rh = site.monthly_relative_humidity.m[months - 1] / 100.0
    else:
        raise InputError("relative_humidity: give a series, a dew_point series or a site "
                         "whose monthly normals fill it.")
    bad = (rh < 0) | (rh > 1.0 + 1e-9)
    if np.any(bad):
        k = int(np.argmax(bad))
        raise InputError(
            f"weather_from_series: relative_humidity must lie within 0–100 %; "
            f"{int(bad.sum())} value(s) do not, the first {100.0 * float(rh[k]):.4g} % at "
            f"{time[k]}. Clip supersaturated readings (an EPW file allows up to 110 %) "
            "to 100 % before.")
    rh = np.clip(rh, 0.0, 1.0)
    twb, tdp = _psychrometrics(T_K, rh, p)
    data: dict[str, Any] = {
        "outdoor_temperature": T_K - 273.15,
        "relative_humidity": rh * 100.0,
        "wet_bulb_temperature": twb - 273.15,
        "dew_point": tdp - 273.15,
        "air_pressure": p,
    }
    months = (time.astype("datetime64[M]").astype(int) % 12) + 1
    z_depths = None
    attrs: dict[str, Any] = {"title": "user series (climate.weather.weather_from_series)"}
    if site is not None:
        z_in = float(to_si(site.intake_depth if intake_depth is None else intake_depth, "m",
                           "intake_depth"))
        attrs.update(site=site.name, intake_depth_m=z_in, sources=_sources_text(site))
        z_depths = _depths(site, depths)
        by_depth = np.stack([site.sea_temperature(months, Q_(d, "m")).m for d in z_depths],
                            axis=1)
        data["sea_temperature_by_depth"] = by_depth
        data["sea_temperature"] = site.sea_temperature(months, Q_(z_in, "m")).m
        data["sea_salinity"] = site.sea_salinity(months, Q_(z_in, "m")).m
        data["grid_co2_intensity"] = np.full(n, site.grid_co2(grid_co2).m)
        attrs["grid_co2_basis"] = grid_co2
    if sea_temperature is not None:
        data["sea_temperature"] = same_axis("sea_temperature", sea_temperature, "K") - 273.15
    if grid_co2_intensity is not None:
        data["grid_co2_intensity"] = same_axis("grid_co2_intensity", grid_co2_intensity,
                                               "g/kWh")
        attrs["grid_co2_basis"] = "user series"
    return _dataset(np.asarray(time, dtype="datetime64[ns]"), data, attrs, depth=z_depths,
                    generator="weather_from_series")


#: Missing-value codes of the EPW fields :func:`weather_from_epw` reads, by pvlib's
#: column name: (the field's name, its code). From the EPW data dictionary (EnergyPlus
#: Auxiliary Programs, "Weather Converter Program": dry bulb and dew point 99.9 °C,
#: relative humidity 999 %, station pressure 999999 Pa; the dew point is not read). A value
#: at or above its code, or an empty field, is missing: no real reading reaches the code.
EPW_MISSING_CODES = {"temp_air": ("dry-bulb temperature", 99.9),
                     "relative_humidity": ("relative humidity", 999.0),
                     "atmospheric_pressure": ("station pressure", 999999.0)}

#: The longest run of missing values of an EPW field that :func:`weather_from_epw` fills
#: by linear interpolation in time [h]; a longer one is refused.
EPW_MAX_GAP_HOURS = 6


def _epw_missing(data: Any, path: str) -> tuple[dict, list[str], list[str]]:
    """The EPW columns read, their missing values filled (see :func:`weather_from_epw`):
    ``({column: values or None}, warning messages, notes for the attrs)``; None is a
    station pressure missing in every record (the caller replaces it)."""
    n = len(data)
    stamps = data.index.tz_localize(None) if data.index.tz is not None else data.index
    stamps = stamps.strftime("%Y-%m-%d %H:%M")
    # the records are consecutive at one interval [h], read from the timestamps; a typical
    # year mixes calendar years, so the records' positions, not the stamps, are the time axis
    hours = np.asarray((data.index - data.index[0]).total_seconds(), dtype=float) / 3600.0
    step = float(np.median(np.diff(hours))) if n > 1 else 1.0
    step = step if 0 < step <= 1 else 1.0
    where = f"weather_from_epw: {path!r}"
    fix = ("Fix the file (fill the missing values from measurements or a nearby station), "
           "or read it yourself and pass the series through nt.climate.weather_from_series")
    out, messages, notes = {}, [], []
    for col, (field, code) in EPW_MISSING_CODES.items():
        v = np.array(data[col], dtype=float)
        bad = ~np.isfinite(v) | (v >= code)
        if not bad.any():
            out[col] = v
            continue
        what = f"the {field} (EPW missing code {code:g}, or an empty field)"
        if bad.all() and col == "atmospheric_pressure":
            out[col] = None
            continue
        if bad.all():
            raise InputError(
                f"{where}: {what} is missing in all {n} records; nothing to fill it from. "
                + fix + (" (with a dew_point series instead, or a site whose monthly "
                         "normals fill the humidity)." if col == "relative_humidity" else "."))
        long = [(a, b) for a, b in H.runs(bad) if (b - a + 1) * step > EPW_MAX_GAP_HOURS]
        if long:
            gaps = "; ".join(f"{(b - a + 1) * step:g} h from {stamps[a]} to {stamps[b]}"
                             for a, b in long[:3]) + ("; …" if len(long) > 3 else "")
            raise InputError(
                f"{where}: {what} is missing in gaps longer than the {EPW_MAX_GAP_HOURS} h "
                f"filled by interpolation: {gaps} ({bad.sum() * step:g} h missing in all). "
                + fix + ".")
        pos = np.arange(n, dtype=float)
        v[bad] = np.interp(pos[bad], pos[~bad], v[~bad])
        first = ", ".join(stamps[i] for i in np.flatnonzero(bad)[:3])
        edge = (" (at the file's start or end the nearest valid value is held)"
                if bad[0] or bad[-1] else "")
        messages.append(
            f"{where}: {what} is missing for {bad.sum() * step:g} h (first {first}"
            f"{', …' if bad.sum() > 3 else ''}); filled by linear interpolation in time "
            f"between the valid values on either side{edge}. Gaps of up to "
            f"{EPW_MAX_GAP_HOURS} h are filled; a longer one is refused.")
        notes.append(f"{col}: {bad.sum() * step:g} h interpolated")
        out[col] = v
    return out, messages, notes


def weather_from_epw(path: Any, *, site: Site | None = None, intake_depth: Any = None,
                     depths: Any = None, grid_co2: str = "location") -> Any:
    """A weather Dataset from an EnergyPlus weather (EPW) file, read with pvlib.

    The file is read by :func:`pvlib.iotools.read_epw` (pvlib is an optional
    dependency: ``pip install 'narvik_thermal[weather]'``); its dry bulb [°C],
    relative humidity [%] and station pressure [Pa] go through
    :func:`weather_from_series`, and
    the sea and grid variables come from ``site`` when given.

    Parameters
    ----------
    path : str or path-like
        The ``.epw`` file.
    site, intake_depth, depths, grid_co2 : optional
        As in :func:`weather_from_series`.

    Returns
    -------
    xarray.Dataset
        Local standard time of the file, without its time zone.

    Raises
    ------
    InputError
        The file cannot be read or is not an EPW file; a field is missing in a
        gap longer than :data:`EPW_MAX_GAP_HOURS`, or the dry bulb or relative
        humidity in every record (see the notes).

    Warns
    -----
    PhysicsWarning
        Missing values were filled: one warning per field, naming it, the
        hours missing and the first timestamps; or a station pressure missing
        in every record was replaced.

    Notes
    -----
    The EPW format marks a missing value with a code per field
    (:data:`EPW_MISSING_CODES`: dry bulb 99.9 °C, relative humidity 999 %,
    station pressure 999999 Pa); pvlib reads the codes as numbers. Here a
    value at or above its code, or an empty field, is missing:

    - a gap of up to :data:`EPW_MAX_GAP_HOURS` (6 h) is filled by linear
      interpolation in time between the valid values on either side (at the
      file's start or end, the nearest valid value is held), with a
      :class:`~narvik_thermal.errors.PhysicsWarning`; the Dataset's
      ``epw_missing_filled`` attribute lists what was filled;
    - a longer gap, or a dry bulb or relative humidity missing in every
      record, is refused with an :class:`~narvik_thermal.errors.InputError`
      naming the field and the hours: fix the file, or pass your own series
      through :func:`weather_from_series` (which can also take a dew point, or
      fill the humidity from a site's monthly normals);
    - a station pressure missing in every record is replaced by the standard
      atmosphere at the elevation in the file's ``LOCATION`` line (outside
      −5…11 km: by :func:`weather_from_series`'s rule, the site's pressure or
      101325 Pa), with a warning. At a given relative humidity 10 hPa moves
      the wet bulb by a few hundredths of a kelvin (0.02 K at 20 °C, 60 %).
    """
    try:
        from pvlib.iotools import read_epw
    except ImportError:
        raise ImportError("weather_from_epw needs pvlib (its maintained EPW reader, "
                          "pvlib.iotools.read_epw), an optional dependency: pip install "
                          "'narvik_thermal[weather]' (or pvlib).") from None
    try:
        data, meta = read_epw(str(path))
    except OSError as exc:
        raise InputError(f"weather_from_epw: cannot read {str(path)!r} "
                         f"({exc.strerror or exc}).") from None
    except Exception as exc:               # pvlib's KeyError/ValueError on a malformed file
        raise InputError(f"weather_from_epw: {str(path)!r} is not a readable EPW file "
                         f"({type(exc).__name__}: {exc}).") from None
    import pandas as pd
    where = f"weather_from_epw: {str(path)!r}"
    if len(data) == 0:
        raise InputError(f"{where} has no data records; give a file with hourly records.")
    values, messages, notes = _epw_missing(data, str(path))
    if values["atmospheric_pressure"] is None:
        z = float(meta.get("altitude", float("nan")))
        if math.isfinite(z) and -5000.0 <= z <= 11000.0:
            from ..fluids.humid_air import standard_pressure
            p = float(standard_pressure(Q_(z, "m")).m_as("Pa"))
            values["atmospheric_pressure"] = np.full(len(data), p)
            used = f"the standard atmosphere at the file's elevation ({z:g} m): {p:.0f} Pa"
        else:
            used = ("the site's standard-atmosphere pressure" if site is not None
                    else "the standard 101325 Pa")
        messages.append(f"{where}: the station pressure (EPW missing code 999999, or an "
                        f"empty field) is missing in all {len(data)} records; {used} is used "
                        "for every hour.")
        notes.append(f"atmospheric_pressure: missing, {used}")
    for message in messages:
        warnings.warn(message, PhysicsWarning, stacklevel=2)
    series = {k: None if v is None else pd.Series(v, index=data.index)
              for k, v in values.items()}
    units = {"outdoor_temperature": "degC", "relative_humidity": "%", "air_pressure": "Pa"}
    ds = weather_from_series(series["temp_air"], series["relative_humidity"], site=site,
                             air_pressure=series["atmospheric_pressure"], units=units,
                             intake_depth=intake_depth, depths=depths, grid_co2=grid_co2)
    ds.attrs.update(epw_missing_filled="; ".join(notes) or "none")
    ds.attrs.update(generator="EnergyPlus weather file read with pvlib.iotools.read_epw",
                    epw_city=str(meta.get("city", "")),
                    epw_latitude=float(meta.get("latitude", float("nan"))),
                    epw_longitude=float(meta.get("longitude", float("nan"))))
    return ds
