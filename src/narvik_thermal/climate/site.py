r"""Sites: monthly climate normals, the sea by depth and month, design conditions, grid CO2.

A :class:`Site` is the frozen record a plant is sized at and operated in
(DESIGN, "Operation over time: the second contract"):

>>> import narvik_thermal as nt
>>> site = nt.climate.site("narvik")
>>> site.air_temperature(7).m_as("degC")
14.5
>>> round(site.sea_temperature(1, "150 m").m_as("degC"), 2)   # deep water warmest in winter
7.16
>>> sorted(nt.climate.site_names())
['marseille', 'narvik']

Every table carries its source in :attr:`Site.sources` (quantity →
citation). Users make their own site from their own monthly tables with the
:class:`Site` constructor (all Quantities); design conditions not given are
derived from the site's own synthetic years
(:func:`narvik_thermal.climate.weather.derive_design_conditions`).

Design conditions
-----------------
:attr:`Site.design_conditions` holds the three values a heat-rejection plant
is sized at, named as in the ASHRAE Handbook—Fundamentals climatic design
tables (ch. 14): the 0.4 % annual cooling dry bulb (exceeded 35 h a year),
its mean coincident wet bulb, and the 0.4 % annual evaporation wet bulb. The
Handbook's values for Evenes/Bodø and Marseille-Marignane could not be
obtained here, so both embedded sites use values **derived** from ten
synthetic years (seeds 0–9, default noise) of their monthly normals; the
method and its limits are stated in
:func:`~narvik_thermal.climate.weather.derive_design_conditions`. Replace
them with the Handbook's when available
(``dataclasses.replace(site, design={...})``).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning
from ..units import Q_, to_si, to_temperature, to_temperature_difference
from . import marseille as _M
from . import narvik as _N
from .sea import months as _months
from .sea import salinity_profile, temperature_profile
from .weather import STANDARD_DEPTHS_M, derive_design_conditions, hourly_weather

__all__ = ["Site", "site", "site_names", "DESIGN_CONDITION_NAMES", "STANDARD_DEPTHS_M"]

#: Keys of :attr:`Site.design_conditions` (all at 0.4 % annual frequency).
DESIGN_CONDITION_NAMES = ("cooling_dry_bulb", "cooling_mean_coincident_wet_bulb",
                          "evaporation_wet_bulb")


def _frozen_array(values: Any, name: str, unit_check: Any, n: int | None = 12) -> Any:
    arr = np.array(unit_check(values, name), dtype=float)
    if n is not None and arr.shape != (n,):
        raise InputError(f"Site: {name} must have {n} values (January–December), got shape "
                         f"{arr.shape}.")
    arr.setflags(write=False)
    return arr


def _site_from_fields(cls: type, kw: dict) -> Any:
    """A :class:`Site` from the fields :meth:`Site.__reduce__` pickled."""
    return cls(**kw)


@dataclasses.dataclass(frozen=True, eq=False)
class Site:
    r"""A site's climate and sea, as monthly tables with their sources.

    All parameters are keywords, given as Quantities or unit strings.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"narvik"``.
    latitude, longitude : pint.Quantity
        Position [degree], north and east positive.
    elevation : pint.Quantity
        Height above sea level [m]; sets the air pressure (standard atmosphere).
    monthly_air_temperature : pint.Quantity
        12 monthly mean dry-bulb temperatures [temperature].
    monthly_daily_range : pint.Quantity
        12 mean daily ranges (mean daily maximum − minimum) [delta_degC].
    monthly_relative_humidity : pint.Quantity or array_like
        12 monthly mean relative humidities (percent Quantity or fraction).
    monthly_sea_surface_temperature : pint.Quantity
        12 monthly mean sea-surface temperatures [temperature].
    deep_sea_temperature : pint.Quantity
        Annual-mean deep-water temperature [temperature].
    sea_amplitude_depth, sea_lag_depth : pint.Quantity
        :math:`z_A`, :math:`z_\ell` of
        :func:`~narvik_thermal.climate.sea.temperature_profile` [m].
    sea_deep_lag : float
        Lag of deep water behind the surface [months].
    monthly_sea_surface_salinity : pint.Quantity
        12 monthly surface salinities [g/kg].
    deep_sea_salinity : pint.Quantity
        Deep salinity [g/kg].
    salinity_depth : pint.Quantity
        e-folding depth of the salinity profile [m].
    grid_co2_intensity : mapping of str to pint.Quantity
        Annual grid CO2 intensity by accounting basis, at least
        ``"location"`` (physical delivery); ``"residual_mix"`` if known [g/kWh].
    design : mapping of str to pint.Quantity, optional
        Design conditions (:data:`DESIGN_CONDITION_NAMES`); derived when omitted.
    sources : mapping of str to str
        Citation of each quantity (see :data:`narvik_thermal.climate.site` for
        the keys the embedded sites use).
    intake_depth : pint.Quantity, optional
        Default sea-water intake depth of the hourly weather [m] (60 m).
    max_depth : pint.Quantity, optional
        Deepest water at the site [m]; deeper requests warn.
    description : str, optional
        One line about the site.

    Examples
    --------
    A user's own site from monthly tables:

    >>> import numpy as np
    >>> from narvik_thermal import Q_
    >>> s = Site(name="my-fjord", latitude=Q_(60, "degree"), longitude=Q_(5, "degree"),
    ...          elevation=Q_(10, "m"),
    ...          monthly_air_temperature=Q_(np.linspace(0, 10, 12), "degC"),
    ...          monthly_daily_range=Q_(np.full(12, 5.0), "K"),
    ...          monthly_relative_humidity=Q_(np.full(12, 80.0), "percent"),
    ...          monthly_sea_surface_temperature=Q_(np.full(12, 8.0), "degC"),
    ...          deep_sea_temperature=Q_(7.5, "degC"),
    ...          grid_co2_intensity={"location": Q_(20, "g/kWh")},
    ...          design={"cooling_dry_bulb": Q_(25, "degC"),
    ...                  "cooling_mean_coincident_wet_bulb": Q_(18, "degC"),
    ...                  "evaporation_wet_bulb": Q_(19, "degC")},
    ...          sources={"all": "my own measurements, 2024"})
    >>> s.relative_humidity(3).m_as("percent")
    80.0
    """

    name: str
    latitude: Any
    longitude: Any
    elevation: Any
    monthly_air_temperature: Any
    monthly_daily_range: Any
    monthly_relative_humidity: Any
    monthly_sea_surface_temperature: Any
    deep_sea_temperature: Any
    grid_co2_intensity: Mapping[str, Any]
    sources: Mapping[str, str]
    sea_amplitude_depth: Any = "30 m"
    sea_lag_depth: Any = "40 m"
    sea_deep_lag: float = 3.0
    monthly_sea_surface_salinity: Any = None
    deep_sea_salinity: Any = "35 g/kg"
    salinity_depth: Any = "40 m"
    design: Mapping[str, Any] | None = None
    intake_depth: Any = "60 m"
    max_depth: Any = None
    description: str = ""

    def __post_init__(self) -> None:
        def put(field: str, value: Any) -> None:
            mag = getattr(value, "magnitude", None)
            if isinstance(mag, np.ndarray):
                mag.setflags(write=False)          # frozen all the way down
            object.__setattr__(self, field, value)

        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"Site: name must be a non-empty string, got {self.name!r}.")
        put("latitude", Q_(float(to_si(self.latitude, "degree", "latitude")), "degree"))
        put("longitude", Q_(float(to_si(self.longitude, "degree", "longitude")), "degree"))
        if not -90.0 <= self.latitude.m <= 90.0:
            raise InputError(f"Site: latitude must be within ±90°, got {self.latitude}.")
        put("elevation", Q_(float(to_si(self.elevation, "m", "elevation")), "m"))
        put("monthly_air_temperature", Q_(_frozen_array(
            self.monthly_air_temperature, "monthly_air_temperature", to_temperature) - 273.15,
            "degC"))
        rng = _frozen_array(self.monthly_daily_range, "monthly_daily_range",
                            to_temperature_difference)
        if np.any(rng < 0):
            raise InputError("Site: monthly_daily_range must be >= 0 K.")
        put("monthly_daily_range", Q_(rng, "K"))
        rh = _frozen_array(self.monthly_relative_humidity, "monthly_relative_humidity",
                           lambda v, n: to_si(v, "", n))
        if np.any(rh <= 0) or np.any(rh >= 1):
            raise InputError("Site: monthly_relative_humidity must lie strictly between 0 and "
                             "1 (or 0 and 100 percent as a Quantity), got "
                             f"{self.monthly_relative_humidity!r}.")
        put("monthly_relative_humidity", Q_(rh * 100.0, "percent"))
        put("monthly_sea_surface_temperature", Q_(_frozen_array(
            self.monthly_sea_surface_temperature, "monthly_sea_surface_temperature",
            to_temperature) - 273.15, "degC"))
        put("deep_sea_temperature",
            Q_(float(to_temperature(self.deep_sea_temperature, "deep_sea_temperature"))
               - 273.15, "degC"))
        for fld in ("sea_amplitude_depth", "sea_lag_depth", "salinity_depth", "intake_depth"):
            v = float(to_si(getattr(self, fld), "m", fld))
            if not v > 0 and fld != "intake_depth":
                raise InputError(f"Site: {fld} must be > 0 m, got {getattr(self, fld)}.")
            if v < 0:
                raise InputError(f"Site: {fld} must be >= 0 m, got {getattr(self, fld)}.")
            put(fld, Q_(v, "m"))
        lag = float(self.sea_deep_lag)
        if not 0.0 <= lag < 12.0:
            raise InputError(f"Site: sea_deep_lag must be in [0, 12) months, got "
                             f"{self.sea_deep_lag}.")
        put("sea_deep_lag", lag)
        sal = (np.full(12, float(to_si(self.deep_sea_salinity, "g/kg", "deep_sea_salinity")))
               if self.monthly_sea_surface_salinity is None else
               _frozen_array(self.monthly_sea_surface_salinity, "monthly_sea_surface_salinity",
                             lambda v, n: to_si(v, "g/kg", n)))
        sal.setflags(write=False)
        put("monthly_sea_surface_salinity", Q_(sal, "g/kg"))
        put("deep_sea_salinity",
            Q_(float(to_si(self.deep_sea_salinity, "g/kg", "deep_sea_salinity")), "g/kg"))
        if self.max_depth is not None:
            put("max_depth", Q_(float(to_si(self.max_depth, "m", "max_depth")), "m"))
        co2 = dict(self.grid_co2_intensity)
        if "location" not in co2:
            raise InputError("Site: grid_co2_intensity needs a 'location' value (physical "
                             f"delivery), got keys {sorted(co2)}.")
        put("grid_co2_intensity", types.MappingProxyType(
            {k: Q_(float(to_si(v, "g/kWh", f"grid_co2_intensity[{k!r}]")), "g/kWh")
             for k, v in co2.items()}))
        if self.design is not None:
            missing = [k for k in DESIGN_CONDITION_NAMES if k not in self.design]
            if missing:
                raise InputError(f"Site: design lacks {missing}; give all of "
                                 f"{list(DESIGN_CONDITION_NAMES)} or leave design=None to "
                                 "derive them.")
            put("design", types.MappingProxyType(
                {k: Q_(float(to_temperature(self.design[k], f"design[{k!r}]")) - 273.15,
                       "degC") for k in DESIGN_CONDITION_NAMES}))
        if not isinstance(self.sources, Mapping) or not self.sources:
            raise InputError("Site: sources must be a non-empty mapping of quantity → "
                             "citation (say where each table comes from).")
        put("sources", types.MappingProxyType(dict(self.sources)))

    # ------------------------------------------------------- copies and pickles
    def __copy__(self) -> "Site":
        return self                       # immutable

    def __deepcopy__(self, memo: dict) -> "Site":
        return self

    def __reduce__(self) -> tuple:
        """Pickled (a campus sent to dask workers) as its validated fields, the
        read-only mappings as plain dicts; unpickling validates them again."""
        kw = {}
        for f in dataclasses.fields(self):
            if f.init:
                v = getattr(self, f.name)
                kw[f.name] = dict(v) if isinstance(v, types.MappingProxyType) else v
        return (_site_from_fields, (type(self), kw))

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        return (f"<Site {self.name!r}: {self.latitude.m:.2f}°N {self.longitude.m:.2f}°E, "
                f"{self.elevation.m:.0f} m; air {self.monthly_air_temperature.m.min():.1f}…"
                f"{self.monthly_air_temperature.m.max():.1f} °C; sea surface "
                f"{self.monthly_sea_surface_temperature.m.min():.1f}…"
                f"{self.monthly_sea_surface_temperature.m.max():.1f} °C, deep "
                f"{self.deep_sea_temperature.m:.1f} °C>")

    # ----------------------------------------------------------- monthly values
    def air_temperature(self, month: Any) -> Any:
        """Monthly mean dry-bulb air temperature for ``month`` (1–12 or an array) [degC]."""
        m = _months(month)
        return Q_(_scalar(self.monthly_air_temperature.m[m - 1]), "degC")

    def daily_temperature_range(self, month: Any) -> Any:
        """Mean daily range (mean daily maximum − minimum) for ``month`` [K]."""
        m = _months(month)
        return Q_(_scalar(self.monthly_daily_range.m[m - 1]), "K")

    def relative_humidity(self, month: Any) -> Any:
        """Monthly mean relative humidity for ``month`` [percent]."""
        m = _months(month)
        return Q_(_scalar(self.monthly_relative_humidity.m[m - 1]), "percent")

    def _depth(self, depth: Any) -> np.ndarray:
        z = np.asarray(to_si(depth, "m", "depth"), dtype=float)
        if np.any(z < 0):
            raise InputError(f"depth must be >= 0 m (positive downwards from the surface), "
                             f"got {depth}.")
        if self.max_depth is not None and np.any(z > self.max_depth.m):
            warnings.warn(f"depth {float(np.max(z)):.0f} m exceeds the deepest water at "
                          f"{self.name} ({self.max_depth.m:.0f} m); the deep value is used.",
                          RangeWarning, stacklevel=3)
        return z

    def sea_temperature(self, month: Any, depth: Any = "0 m") -> Any:
        """Sea temperature by month (1–12) and depth, broadcast [degC].

        The damped, lagged seasonal wave of
        :func:`narvik_thermal.climate.sea.temperature_profile`; for Narvik it
        equals :func:`narvik_thermal.climate.fjord_temperature`.
        """
        m = _months(month)
        z = self._depth(depth)
        out = temperature_profile(m, z, self.monthly_sea_surface_temperature.m,
                                  self.deep_sea_temperature.m, self.sea_amplitude_depth.m,
                                  self.sea_lag_depth.m, self.sea_deep_lag)
        return Q_(_scalar(out), "degC")

    def sea_temperature_monthly(self, depth: Any) -> Any:
        """The 12 monthly mean sea temperatures at ``depth`` (a scalar depth) [degC]."""
        z = float(self._depth(depth))
        return self.sea_temperature(np.arange(1, 13), Q_(z, "m"))

    def sea_salinity(self, month: Any, depth: Any = "0 m") -> Any:
        """Sea salinity by month and depth [g/kg] (exponential blend, no lag)."""
        m = _months(month)
        z = self._depth(depth)
        out = salinity_profile(m, z, self.monthly_sea_surface_salinity.m,
                               self.deep_sea_salinity.m, self.salinity_depth.m)
        return Q_(_scalar(out), "g/kg")

    def design_sea_temperature(self, depth: Any) -> Any:
        """Warmest monthly mean sea temperature at an intake ``depth`` [degC].

        The design (sizing) sea temperature of a sea-water loop: the maximum
        over the 12 monthly means at that depth. At Narvik the month moves
        from August at the surface to December–January at 100–150 m.
        ``depth`` may be an array; the maximum is taken per depth.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> round(nt.climate.site("narvik").design_sea_temperature("60 m").m_as("degC"), 2)
        8.55
        """
        z = self._depth(depth)
        T = self.sea_temperature(np.arange(1, 13).reshape((12,) + (1,) * z.ndim),
                                 Q_(z, "m")).m
        return Q_(_scalar(np.max(T, axis=0)), "degC")

    # ------------------------------------------------------- design conditions
    @functools.cached_property
    def design_conditions(self) -> Mapping[str, Any]:
        """0.4 % annual design conditions [degC]: :data:`DESIGN_CONDITION_NAMES`.

        The values given as ``design=``, else derived (and cached) from ten
        synthetic years by
        :func:`~narvik_thermal.climate.weather.derive_design_conditions`.
        """
        if self.design is not None:
            return self.design
        return types.MappingProxyType(dict(derive_design_conditions(self)))

    def grid_co2(self, basis: str = "location") -> Any:
        """Annual grid CO2 intensity on ``basis`` ("location" or "residual_mix") [g/kWh]."""
        if basis not in self.grid_co2_intensity:
            raise InputError(f"basis={basis!r}: {self.name} has grid CO2 intensity for "
                             f"{sorted(self.grid_co2_intensity)} only.")
        return self.grid_co2_intensity[basis]

    def air_pressure(self) -> Any:
        """Standard-atmosphere pressure at the site's elevation [Pa]."""
        from ..fluids.humid_air import standard_pressure
        return standard_pressure(self.elevation)

    # ------------------------------------------------------------------ hourly
    def hourly(self, year: int, *, seed: int | None = None, noise: Any = "2.5 K",
               noise_correlation: Any = "48 h", intake_depth: Any = None,
               depths: Any = None, grid_co2: str = "location") -> Any:
        """A synthetic hourly weather year (xarray.Dataset, dim ``time``).

        See :func:`narvik_thermal.climate.weather.hourly_weather`, which this
        calls with ``site=self``.
        """
        return hourly_weather(self, year, seed=seed, noise=noise,
                              noise_correlation=noise_correlation,
                              intake_depth=intake_depth, depths=depths, grid_co2=grid_co2)


def _scalar(a: Any) -> Any:
    return float(a) if np.ndim(a) == 0 else np.asarray(a)


# ------------------------------------------------------------------ registry
_NARVIK_SOURCES = {
    "location": "Weatherbase, Narvik station summary (68°28'N 17°30'E, 75 ft), R51",
    "air_temperature": "Climates to Travel, 'Narvik climate' (mean daily min/max), R38",
    "daily_range": "R38 mean daily maximum − minimum (whole degrees, ±1 K)",
    "relative_humidity": "[GEK] no public monthly normal found (MET Norway data wanted)",
    "sea_temperature": "R38 surface seawater at Narvik, monthly",
    "deep_sea_temperature": "R37 (Eggum below 150 m: ~6.5 °C July, >7.0 °C January), "
                            "R36 (Skrova 300 m nearly constant)",
    "sea_temperature_profile": "damped lagged wave fitted to R37 and the IMR fixed stations "
                               "Lista, Bud, Ytre Utsira (Havforskningsinstituttet, 2019)",
    "sea_salinity": "R37 (35 steady from ~200 m); surface 30–34 (narvik-facts §3) [GEK profile]",
    "design_conditions": "derived from 10 synthetic years (seeds 0–9) of these normals; "
                         "ASHRAE Handbook—Fundamentals values for Evenes/Bodø not obtained",
    "grid_co2_intensity": "location 19 g/kWh: NVE physical delivery 2022 (R96, R97; 17 in "
                          "2019); residual mix 402 g/kWh: NVE varedeklarasjon 2020 (R98; "
                          "509 in 2015, R99; 530 in 2016, R100)",
}

_MARSEILLE_SOURCES = {
    "location": "Marseille-Provence airport, Marignane (43.44°N 5.22°E, 9 m) [GEK]",
    "air_temperature": "wassertemperatur.co, 'Marseille Wassertemperatur' (mean daily "
                       "max/min); cross-check Climates to Travel 'Marseille climate'",
    "daily_range": "same source, mean daily maximum − minimum",
    "relative_humidity": "[GEK] no public monthly normal found (Météo-France data wanted)",
    "sea_temperature": "wassertemperatur.co monthly water temperature off Marseille",
    "deep_sea_temperature": "Smith, Bryden & Stansfield (2008), Ocean Science 4:133 "
                            "(WMDW θ 12.89–12.92 °C); UNEP/MAP (2012) 12.7 °C",
    "sea_temperature_profile": "[GEK] amplitude depth 25 m, lag 2 months over 30 m",
    "sea_salinity": "deep 38.45 (Smith et al. 2008: 38.48–38.49; UNEP/MAP 2012: 38.4); "
                    "surface 38.0 [GEK, within UNEP/MAP 36.2–38.6]",
    "design_conditions": "derived from 10 synthetic years (seeds 0–9) of these normals; "
                         "ASHRAE Handbook—Fundamentals values for Marignane not obtained",
    "grid_co2_intensity": "RTE, Bilan électrique 2023: 32 gCO2eq/kWh produced",
}


def _narvik() -> Site:
    return Site(
        name="narvik",
        description="Narvik/Kvandal, Ofotfjord (Norway): the reference site",
        latitude=Q_(68.467, "degree"), longitude=Q_(17.5, "degree"), elevation=Q_(23.0, "m"),
        monthly_air_temperature=Q_(np.array(_N.AIR_TEMPERATURE_MONTHLY_DEGC), "degC"),
        monthly_daily_range=Q_(np.array(_N.DAILY_RANGE_K), "K"),
        monthly_relative_humidity=Q_(np.array(_N.RELATIVE_HUMIDITY_MONTHLY_PCT), "percent"),
        monthly_sea_surface_temperature=Q_(np.array(_N.SURFACE_SEAWATER_MONTHLY_DEGC), "degC"),
        deep_sea_temperature=Q_(_N.DEEP_TEMPERATURE_MEAN_DEGC, "degC"),
        sea_amplitude_depth=Q_(_N.TEMPERATURE_E_FOLDING_DEPTH_M, "m"),
        sea_lag_depth=Q_(_N.TEMPERATURE_LAG_DEPTH_M, "m"),
        sea_deep_lag=_N.DEEP_WATER_LAG_MONTHS,
        monthly_sea_surface_salinity=Q_(np.array(_N.SURFACE_SALINITY_MONTHLY), "g/kg"),
        deep_sea_salinity=Q_(_N.DEEP_SALINITY, "g/kg"),
        salinity_depth=Q_(_N.SALINITY_E_FOLDING_DEPTH_M, "m"),
        max_depth=Q_(_N.MAX_DEPTH_M, "m"),
        intake_depth=Q_(60.0, "m"),
        grid_co2_intensity={"location": Q_(19.0, "g/kWh"), "residual_mix": Q_(402.0, "g/kWh")},
        design=_DESIGN["narvik"],
        sources=_NARVIK_SOURCES,
    )


def _marseille() -> Site:
    return Site(
        name="marseille",
        description="Marseille-Marignane (France): Mediterranean comparison site",
        latitude=Q_(_M.LATITUDE_DEG, "degree"), longitude=Q_(_M.LONGITUDE_DEG, "degree"),
        elevation=Q_(_M.ELEVATION_M, "m"),
        monthly_air_temperature=Q_(np.array(_M.AIR_TEMPERATURE_MONTHLY_DEGC), "degC"),
        monthly_daily_range=Q_(np.array(_M.DAILY_RANGE_K), "K"),
        monthly_relative_humidity=Q_(np.array(_M.RELATIVE_HUMIDITY_MONTHLY_PCT), "percent"),
        monthly_sea_surface_temperature=Q_(np.array(_M.SURFACE_SEAWATER_MONTHLY_DEGC), "degC"),
        deep_sea_temperature=Q_(_M.DEEP_TEMPERATURE_DEGC, "degC"),
        sea_amplitude_depth=Q_(_M.TEMPERATURE_E_FOLDING_DEPTH_M, "m"),
        sea_lag_depth=Q_(_M.TEMPERATURE_LAG_DEPTH_M, "m"),
        sea_deep_lag=_M.DEEP_WATER_LAG_MONTHS,
        monthly_sea_surface_salinity=Q_(np.array(_M.SURFACE_SALINITY_MONTHLY), "g/kg"),
        deep_sea_salinity=Q_(_M.DEEP_SALINITY, "g/kg"),
        salinity_depth=Q_(_M.SALINITY_E_FOLDING_DEPTH_M, "m"),
        intake_depth=Q_(60.0, "m"),
        grid_co2_intensity={"location": Q_(_M.GRID_CO2_LOCATION_G_PER_KWH, "g/kWh")},
        design=_DESIGN["marseille"],
        sources=_MARSEILLE_SOURCES,
    )


#: 0.4 % design conditions of the embedded sites [degC], derived by
#: ``derive_design_conditions(site)`` (seeds 0–9, year 2001, noise 2.5 K / 48 h)
#: and rounded to 0.1 K; ``tests/test_climate_site.py`` re-derives them.
_DESIGN: dict[str, Mapping[str, Any] | None] = {
    "narvik": {"cooling_dry_bulb": Q_(21.1, "degC"),
               "cooling_mean_coincident_wet_bulb": Q_(14.6, "degC"),
               "evaporation_wet_bulb": Q_(14.8, "degC")},
    "marseille": {"cooling_dry_bulb": Q_(32.3, "degC"),
                  "cooling_mean_coincident_wet_bulb": Q_(20.4, "degC"),
                  "evaporation_wet_bulb": Q_(20.6, "degC")},
}

_FACTORIES = {"narvik": _narvik, "marseille": _marseille}


def site_names() -> tuple[str, ...]:
    """Names of the embedded sites."""
    return tuple(_FACTORIES)


@functools.lru_cache(maxsize=None)
def site(name: str) -> Site:
    """The embedded site ``name``: ``"narvik"`` or ``"marseille"`` (a frozen :class:`Site`).

    Raises
    ------
    InputError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> site("marseille").sea_temperature(1, "500 m").m_as("degC")
    12.9
    """
    if not isinstance(name, str) or name.strip().lower() not in _FACTORIES:
        import difflib
        near = difflib.get_close_matches(str(name).lower(), list(_FACTORIES), n=1)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise InputError(f"unknown site {name!r}; known sites: {', '.join(_FACTORIES)}.{hint} "
                         "For another place build a Site(...) from its monthly tables.")
    return _FACTORIES[name.strip().lower()]()

