r"""Hourly series from monthly tables: hour index, mean-preserving curves, daily cycle, noise.

The building blocks of the synthetic weather years (:mod:`narvik_thermal.climate.weather`):

- :func:`hourly_index` — the hour-start timestamps of a calendar year;
- :func:`month_of_hour` — month number (1–12) of each hour;
- :func:`mean_preserving_curve` — a smooth periodic curve whose mean over
  every calendar month equals a 12-value table *exactly*: a periodic cubic
  spline through mid-month nodes whose node values solve the 12 × 12 linear
  system "monthly mean of the curve = table";
- :func:`daily_cosine` — a cosine daily cycle (minimum 03:00, maximum
  15:00 local) that sums to zero over every whole day;
- :func:`ar1_noise` — seeded AR(1) "weather" noise with its mean removed in
  every month, so it never moves a monthly mean.

All work in plain floats and NumPy arrays; units are handled by the callers.
"""

from __future__ import annotations

import calendar
import math
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["hourly_index", "month_of_hour", "month_bounds", "mean_preserving_curve",
           "daily_cosine", "ar1_noise", "monthly_means", "runs"]


def hourly_index(year: int = 2025) -> np.ndarray:
    """Hour-start timestamps of ``year`` (``datetime64[h]``), 8760 or 8784 values.

    Examples
    --------
    >>> hourly_index(2025).size
    8760
    >>> hourly_index(2024).size
    8784
    """
    if not isinstance(year, (int, np.integer)) or isinstance(year, bool):
        raise InputError(f"year must be an integer, got {year!r}.")
    start = np.datetime64(f"{int(year):04d}-01-01T00", "h")
    stop = np.datetime64(f"{int(year) + 1:04d}-01-01T00", "h")
    return np.arange(start, stop, dtype="datetime64[h]")


def month_bounds(year: int) -> np.ndarray:
    """Hour offsets of the month starts of ``year`` and of the next January (13 values)."""
    days = [calendar.monthrange(int(year), m)[1] for m in range(1, 13)]
    return np.concatenate([[0], np.cumsum(days) * 24])


def month_of_hour(year: int) -> np.ndarray:
    """Month number 1–12 of every hour of ``year``."""
    bounds = month_bounds(year)
    hours = np.arange(int(bounds[-1]))
    return np.searchsorted(bounds, hours + 0.5, side="right")


def monthly_means(values: Any, year: int) -> np.ndarray:
    """Calendar-month means of an hourly series of ``year`` (12 values)."""
    bounds = month_bounds(year)
    moh = month_of_hour(year) - 1
    return np.bincount(moh, weights=np.asarray(values, dtype=float),
                       minlength=12) / np.diff(bounds)


def mean_preserving_curve(year: int, means: Any) -> np.ndarray:
    """Periodic cubic spline through mid-month nodes, with exact monthly means.

    Parameters
    ----------
    year : int
        Calendar year (8760 or 8784 hours).
    means : array_like
        12 monthly means (any unit; the curve has the same unit).

    Returns
    -------
    numpy.ndarray
        Hourly values whose mean over each calendar month equals ``means``.

    Examples
    --------
    >>> import numpy as np
    >>> y = mean_preserving_curve(2025, np.arange(12.0))
    >>> np.allclose(monthly_means(y, 2025), np.arange(12.0))
    True
    """
    from scipy.interpolate import CubicSpline

    means = np.asarray(means, dtype=float)
    bounds = month_bounds(year)
    n_hours = int(bounds[-1])
    t = np.arange(n_hours) + 0.5
    nodes = 0.5 * (bounds[:-1] + bounds[1:])
    knots = np.concatenate([nodes, [nodes[0] + n_hours]])
    t_wrapped = np.where(t < nodes[0], t + n_hours, t)
    basis = np.empty((12, n_hours))
    for j in range(12):
        y = np.zeros(13)
        y[j] = 1.0
        if j == 0:
            y[12] = 1.0
        basis[j] = CubicSpline(knots, y, bc_type="periodic")(t_wrapped)
    moh = np.searchsorted(bounds, t, side="right") - 1
    A = np.stack([np.bincount(moh, weights=b, minlength=12) for b in basis],
                 axis=1) / np.diff(bounds)[:, None]
    x = np.linalg.solve(A, means)
    return x @ basis


def daily_cosine(n_hours: int, peak_hour: float = 15.0) -> np.ndarray:
    """Unit-amplitude daily cosine, maximum at ``peak_hour`` (local), zero mean per day."""
    hour_of_day = np.arange(n_hours) % 24
    return np.cos(2.0 * math.pi * (hour_of_day - peak_hour) / 24.0)


def ar1_noise(year: int, seed: int, std: float, correlation_hours: float) -> np.ndarray:
    r"""Seeded AR(1) noise with its mean removed in every calendar month.

    :math:`\varepsilon_t = \phi\varepsilon_{t-1} + \sigma\sqrt{1-\phi^2}\,\xi_t`,
    :math:`\phi = e^{-1/\tau}`, :math:`\xi_t` standard normal from
    ``numpy.random.default_rng(seed)``.
    """
    from scipy.signal import lfilter

    n = int(month_bounds(year)[-1])
    rng = np.random.default_rng(seed)
    phi = math.exp(-1.0 / correlation_hours)
    shocks = rng.standard_normal(n) * std * math.sqrt(1.0 - phi * phi)
    noise = lfilter([1.0], [1.0, -phi], shocks)
    moh = month_of_hour(year) - 1
    return noise - monthly_means(noise, year)[moh]


def runs(mask: Any) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in a 1-D boolean series (the gaps of a
    weather file, the failed hours of a year).

    Examples
    --------
    >>> runs([False, True, True, False, True])
    [(1, 2), (4, 4)]
    """
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.flatnonzero(np.diff(m.astype(np.int8)))
    return [(int(a), int(b) - 1) for a, b in zip(d[::2], d[1::2])]
