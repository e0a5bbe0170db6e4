"""Embedded site data for Narvik: air temperature and fjord water by month and depth.

Every table carries its source ID from ``reference/narvik-facts.md`` (R36–R38,
R51, R52). See :mod:`narvik_thermal.climate.narvik` for the data and the
modelling assumptions.

Examples
--------
>>> import narvik_thermal as nt
>>> from narvik_thermal.climate import fjord_temperature
>>> fjord_temperature(8, nt.Q_(0, "m")).m_as("degC")
12.0
"""

from __future__ import annotations

from .narvik import (AIR_TEMPERATURE_MONTHLY_DEGC, AIR_TEMPERATURE_OLDER_NORMALS,
                     DAILY_RANGE_K, DEEP_SALINITY, DEEP_TEMPERATURE_AMPLITUDE_K,
                     DEEP_TEMPERATURE_MEAN_DEGC, SALINITY_E_FOLDING_DEPTH_M,
                     SURFACE_SALINITY_MONTHLY, SURFACE_SEAWATER_MONTHLY_DEGC,
                     TEMPERATURE_E_FOLDING_DEPTH_M, air_temperature,
                     air_temperature_monthly, fjord_salinity, fjord_temperature,
                     hourly_air_temperature, hourly_index)

__all__ = [
    "air_temperature", "air_temperature_monthly", "hourly_air_temperature",
    "hourly_index", "fjord_temperature", "fjord_salinity",
    "AIR_TEMPERATURE_MONTHLY_DEGC", "AIR_TEMPERATURE_OLDER_NORMALS",
    "SURFACE_SEAWATER_MONTHLY_DEGC", "DEEP_TEMPERATURE_MEAN_DEGC",
    "DEEP_TEMPERATURE_AMPLITUDE_K", "TEMPERATURE_E_FOLDING_DEPTH_M",
    "SURFACE_SALINITY_MONTHLY", "DEEP_SALINITY", "SALINITY_E_FOLDING_DEPTH_M",
    "DAILY_RANGE_K",
]
