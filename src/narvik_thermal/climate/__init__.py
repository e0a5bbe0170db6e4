"""Site data: climate normals, the sea by depth and month, design conditions, hourly weather.

The contract (DESIGN, "Operation over time: the second contract"):

>>> import narvik_thermal as nt
>>> site = nt.climate.site("narvik")            # also "marseille"; sources attached
>>> weather = site.hourly(2025)                 # xarray.Dataset, dim "time"
>>> sorted(weather.data_vars)[:3]
['air_pressure', 'dew_point', 'grid_co2_intensity']

- :func:`site`, :class:`Site` — :mod:`narvik_thermal.climate.site`;
- hourly weather: :func:`hourly_weather` (= :meth:`Site.hourly`),
  :func:`weather_from_series`, :func:`weather_from_epw` —
  :mod:`narvik_thermal.climate.weather`;
- the sea model: :mod:`narvik_thermal.climate.sea`;
- Narvik's tables and the fjord functions (R36–R39, R51, R52, IMR station
  normals): :mod:`narvik_thermal.climate.narvik`; Marseille's:
  :mod:`narvik_thermal.climate.marseille`.

Layering: this package imports only ``units``, ``errors`` and (for
psychrometrics) ``fluids``; the plant imports it.

Examples
--------
>>> from narvik_thermal.climate import fjord_temperature
>>> fjord_temperature(8, nt.Q_(0, "m")).m_as("degC")
12.0
"""

from __future__ import annotations

from . import hourly, marseille, narvik, sea, weather
from .hourly import hourly_index
from .narvik import (AIR_TEMPERATURE_MONTHLY_DEGC, AIR_TEMPERATURE_OLDER_NORMALS,
                     DAILY_RANGE_K, DEEP_SALINITY, DEEP_TEMPERATURE_AMPLITUDE_K,
                     DEEP_TEMPERATURE_MEAN_DEGC, DEEP_WATER_LAG_MONTHS,
                     RELATIVE_HUMIDITY_MONTHLY_PCT, SALINITY_E_FOLDING_DEPTH_M,
                     SURFACE_SALINITY_MONTHLY, SURFACE_SEAWATER_MONTHLY_DEGC,
                     TEMPERATURE_E_FOLDING_DEPTH_M, TEMPERATURE_LAG_DEPTH_M, air_temperature,
                     air_temperature_monthly, fjord_salinity, fjord_temperature,
                     hourly_air_temperature)
from .site import DESIGN_CONDITION_NAMES, STANDARD_DEPTHS_M, Site, site, site_names
from .weather import (derive_design_conditions, hourly_weather, weather_from_epw,
                      weather_from_series)

__all__ = [
    "site", "Site", "site_names", "DESIGN_CONDITION_NAMES", "STANDARD_DEPTHS_M",
    "hourly_weather", "weather_from_series", "weather_from_epw", "derive_design_conditions",
    "air_temperature", "air_temperature_monthly", "hourly_air_temperature",
    "hourly_index", "fjord_temperature", "fjord_salinity",
    "AIR_TEMPERATURE_MONTHLY_DEGC", "AIR_TEMPERATURE_OLDER_NORMALS",
    "SURFACE_SEAWATER_MONTHLY_DEGC", "DEEP_TEMPERATURE_MEAN_DEGC",
    "DEEP_TEMPERATURE_AMPLITUDE_K", "TEMPERATURE_E_FOLDING_DEPTH_M",
    "TEMPERATURE_LAG_DEPTH_M", "DEEP_WATER_LAG_MONTHS", "RELATIVE_HUMIDITY_MONTHLY_PCT",
    "SURFACE_SALINITY_MONTHLY", "DEEP_SALINITY", "SALINITY_E_FOLDING_DEPTH_M",
    "DAILY_RANGE_K", "hourly", "marseille", "narvik", "sea", "weather",
]
