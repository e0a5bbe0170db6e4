"""Short synthetic hourly weather for the tests of annual runs, sweeps, figures and
metadata: one builder (through ``nt.climate.weather_from_series``) instead of one per
test file."""

from __future__ import annotations

import numpy as np
import pandas as pd

import narvik_thermal as nt

NARVIK = nt.climate.site("narvik")


def hourly_weather(hours: int = 24, start: str = "2025-01-15", T=(-6.0, 2.0), sea=(6.0, 7.0),
                   rh: float = 80.0, site=NARVIK):
    """``hours`` hours from ``start`` at ``site``. ``T`` (outdoor dry bulb) and ``sea``
    (sea temperature at the intake) [°C]: one value, ``(first, last)`` of a linear
    ramp over the hours, or one value per hour; ``rh`` relative humidity [%]."""
    t = pd.date_range(start, periods=hours, freq="h")

    def series(v) -> pd.Series:
        a = np.asarray(v, dtype=float)
        if a.ndim == 0:
            a = np.full(hours, float(a))
        elif a.shape == (2,):                  # (first, last) of a ramp
            a = np.linspace(a[0], a[1], hours)
        return pd.Series(a, index=t)

    return nt.climate.weather_from_series(
        series(T), series(rh), sea_temperature=series(sea), site=site,
        units={"outdoor_temperature": "degC", "relative_humidity": "%",
               "sea_temperature": "degC"})


def march_weather(hours: int = 3):
    """A mild early-March run (−2 → 1 °C, 75 %, sea 5.5 °C) for metadata and sweeps."""
    return hourly_weather(hours, "2025-03-01", T=(-2.0, 1.0), sea=5.5, rh=75.0)
