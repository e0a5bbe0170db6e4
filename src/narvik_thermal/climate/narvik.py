r"""Narvik site data: monthly air temperature, fjord temperature and salinity by depth.

Data (all from ``reference/narvik-facts.md``; IDs are its source list)
---------------------------------------------------------------------
- Air temperature, monthly mean (midpoint of daily min/max), R38:
  −4.0, −1.5, 0.0, 3.0, 8.0, 11.5, 14.5, 14.0, 10.5, 4.5, 1.5, −0.5 °C
  (annual 5.1 °C). Older normals (R51, R52): annual 3.7–3.8 °C, January
  −4.1 to −4.5 °C, July 13.4 °C — kept in :data:`AIR_TEMPERATURE_OLDER_NORMALS`
  for sensitivity studies. MET Norway's 1991–2020 normals should replace
  both once obtained.
- Surface seawater at Narvik, R38: 5, 5, 4, 4, 6, 8, 11, 12, 10, 9, 7, 6 °C.
- Deep water: Eggum (outer Lofoten) below 150 m about 6.5 °C in July and just
  over 7 °C in January, salinity a steady 35 from about 200 m (R37);
  Vestfjorden at 300 m almost constant, transition layer 4–6 °C (R36);
  library default deep intake 5–8 °C, 7 °C nominal (narvik-facts §3 and
  "Suggested library defaults").
- Salinity: 30–34 at the surface, lowest in the June–July melt; 34.5–35 at
  depth (narvik-facts §3 defaults).

Depth profile (modelling assumption [GEK])
------------------------------------------
Temperature and salinity blend the surface seasonal cycle into a deep value
with an exponential (e-folding) depth:

.. math::
    T(m, z) = T_{deep}(m) + \left[T_{surf}(m) - T_{deep}(m)\right] e^{-z/z_T},
    \qquad T_{deep}(m) = \bar T_{deep} + A \cos\left(2\pi\frac{m-1}{12}\right)

with :math:`\bar T_{deep}` = 6.8 °C and :math:`A` = 0.3 K (so January 7.1 °C,
July 6.5 °C, reproducing R37) and :math:`z_T` = 25 m. For salinity
:math:`S_{surf}(m) = 32 - 2\cos(2\pi (m - 6.5)/12)` (30.1 in June–July,
33.9 in December–January), :math:`S_{deep}` = 35 and :math:`z_S` = 40 m.
By construction the profile is smooth, monotone in depth for every month
and bounded by its surface and deep values. With :math:`z_T` = 25 m the
intake at 50–100 m lies between 6.2 and 7.6 °C all year, inside the 5–8 °C
default, and 18 m in August gives about 9 °C, as at Drammen's intake
(8–9 °C, R39). The e-folding depths are assumptions, not fits; the Ofotfjord
sill depth and stratification are not known (narvik-facts §3).

Hourly air temperature
----------------------
:func:`hourly_air_temperature` builds a year of hourly values: a periodic
cubic spline through mid-month nodes whose node values are solved so that
each calendar month's mean equals the table exactly, plus a cosine daily
cycle (minimum 03:00, maximum 15:00 local) whose range follows
:data:`DAILY_RANGE_K` [GEK] and averages to zero over every day, plus
optional AR(1) "weather" noise (seeded, with each month's noise mean
removed). Monthly means are therefore preserved exactly in every case.
"""

from __future__ import annotations

import calendar
import math
import warnings
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning, user_api
from ..units import Q_, to_si, to_temperature, to_temperature_difference

__all__ = [
    "air_temperature", "air_temperature_monthly", "hourly_air_temperature",
    "hourly_index", "fjord_temperature", "fjord_salinity",
]

#: Monthly mean air temperature at Narvik, Jan–Dec [°C] (R38).
AIR_TEMPERATURE_MONTHLY_DEGC = (-4.0, -1.5, 0.0, 3.0, 8.0, 11.5, 14.5, 14.0, 10.5, 4.5,
                                1.5, -0.5)
#: Older normals [°C] (R51, R52): annual mean range, January range, July.
AIR_TEMPERATURE_OLDER_NORMALS = {"annual": (3.7, 3.8), "january": (-4.5, -4.1),
                                 "july": (13.4, 13.4)}
#: Surface seawater temperature at Narvik, Jan–Dec [°C] (R38).
SURFACE_SEAWATER_MONTHLY_DEGC = (5.0, 5.0, 4.0, 4.0, 6.0, 8.0, 11.0, 12.0, 10.0, 9.0, 7.0,
                                 6.0)
#: Annual mean of the deep (below ~150 m) water temperature [°C] (R37, R36).
DEEP_TEMPERATURE_MEAN_DEGC = 6.8
#: Seasonal amplitude of the deep temperature, maximum in January [K] (R37).
DEEP_TEMPERATURE_AMPLITUDE_K = 0.3
#: e-folding depth of the surface temperature anomaly [m] [GEK].
TEMPERATURE_E_FOLDING_DEPTH_M = 25.0
#: Surface salinity Jan–Dec [g/kg], 32 − 2 cos(2π(m − 6.5)/12) [GEK, within §3 range].
SURFACE_SALINITY_MONTHLY = (33.932, 33.414, 32.518, 31.482, 30.586, 30.068,
                            30.068, 30.586, 31.482, 32.518, 33.414, 33.932)
#: Deep salinity [g/kg] (R37: steady 35 from about 200 m).
DEEP_SALINITY = 35.0
#: e-folding depth of the surface salinity anomaly [m] [GEK].
SALINITY_E_FOLDING_DEPTH_M = 40.0
#: Daily air-temperature range (max − min), Jan–Dec [K] [GEK]: small in the
#: polar night, larger in the light half-year at a coastal site.
DAILY_RANGE_K = (2.0, 3.0, 4.0, 5.0, 6.0, 6.0, 6.0, 5.5, 4.5, 3.5, 2.5, 2.0)
#: Deepest point of the Ofotfjord [m] (R34, R35).
_MAX_DEPTH_M = 553.0


def _months(month: Any) -> np.ndarray:
    """Validate month numbers 1–12 (int or integer array) → int array."""
    arr = np.asarray(month)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or (np.issubdtype(arr.dtype, np.floating)
                                     and np.all(np.isfinite(arr))
                                     and np.all(arr == np.round(arr)))):
        raise InputError(f"month must be an integer 1–12 (or an array of them), got "
                         f"{month!r}.")
    arr = arr.astype(int)
    if np.any((arr < 1) | (arr > 12)):
        bad = arr[(arr < 1) | (arr > 12)].ravel()[0]
        raise InputError(f"month must be in 1–12 (January = 1), got {bad}.")
    return arr


def _depth(depth: Any) -> np.ndarray:
    z = np.asarray(to_si(depth, "m", "depth"), dtype=float)
    if np.any(z < 0):
        raise InputError(f"depth must be >= 0 m (positive downwards from the surface), "
                         f"got {depth}.")
    if np.any(z > _MAX_DEPTH_M):
        warnings.warn(f"fjord depth {float(np.max(z)):.0f} m exceeds the Ofotfjord's maximum "
                      f"depth of {_MAX_DEPTH_M:.0f} m (R34, R35); the deep value is used.",
                      RangeWarning, stacklevel=3)
    return z


def _scalar_or_array(a: np.ndarray) -> Any:
    return float(a) if np.ndim(a) == 0 else a


@user_api
def air_temperature_monthly() -> Any:
    """Monthly mean air temperature at Narvik, January to December (R38).

    Returns
    -------
    pint.Quantity
        12 values [degC].

    Examples
    --------
    >>> air_temperature_monthly().m_as("degC")[[0, 6]]
    array([-4. , 14.5])
    """
    return Q_(np.array(AIR_TEMPERATURE_MONTHLY_DEGC), "degC")


@user_api
def air_temperature(month: Any) -> Any:
    """Monthly mean air temperature at Narvik for ``month`` (1–12 or an array), R38.

    Parameters
    ----------
    month : int or array_like of int
        Month number, January = 1.

    Returns
    -------
    pint.Quantity
        [degC].

    Examples
    --------
    >>> air_temperature(1).m_as("degC")
    -4.0
    """
    m = _months(month)
    return Q_(_scalar_or_array(np.asarray(AIR_TEMPERATURE_MONTHLY_DEGC)[m - 1]), "degC")


@user_api
def fjord_temperature(month: Any, depth: Any = "0 m", *,
                      deep_temperature: Any = None, e_folding_depth: Any = None) -> Any:
    r"""Fjord water temperature at Narvik by month and depth.

    Parameters
    ----------
    month : int or array_like of int
        Month number 1–12.
    depth : pint.Quantity or str
        Depth below the surface [m], >= 0; broadcast against ``month``.
    deep_temperature : pint.Quantity, optional
        Override the annual mean deep temperature (default 6.8 °C, R37).
    e_folding_depth : pint.Quantity, optional
        Override :math:`z_T` (default 25 m [GEK]).

    Returns
    -------
    pint.Quantity
        Temperature [degC].

    Notes
    -----
    :math:`T = T_{deep}(m) + [T_{surf}(m) - T_{deep}(m)]\,e^{-z/z_T}`; see the
    module docstring for the data (R36–R38) and assumptions.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> fjord_temperature(8, nt.Q_(0, "m")).m_as("degC")            # R38 surface
    12.0
    >>> round(fjord_temperature(7, nt.Q_(300, "m")).m_as("degC"), 2)  # R37 deep
    6.5
    """
    m = _months(month)
    z = _depth(depth)
    t_mean = (DEEP_TEMPERATURE_MEAN_DEGC if deep_temperature is None
              else to_temperature(deep_temperature, "deep_temperature") - 273.15)
    z_e = (TEMPERATURE_E_FOLDING_DEPTH_M if e_folding_depth is None
           else to_si(e_folding_depth, "m", "e_folding_depth"))
    if z_e <= 0:
        raise InputError(f"e_folding_depth must be > 0 m, got {e_folding_depth}.")
    surf = np.asarray(SURFACE_SEAWATER_MONTHLY_DEGC)[m - 1]
    deep = t_mean + DEEP_TEMPERATURE_AMPLITUDE_K * np.cos(2 * np.pi * (m - 1) / 12)
    out = deep + (surf - deep) * np.exp(-z / z_e)
    return Q_(_scalar_or_array(out), "degC")


@user_api
def fjord_salinity(month: Any, depth: Any = "0 m") -> Any:
    r"""Fjord salinity at Narvik by month and depth [GEK profile within R36/R37 values].

    Parameters
    ----------
    month : int or array_like of int
        Month number 1–12.
    depth : pint.Quantity or str
        Depth [m], >= 0.

    Returns
    -------
    pint.Quantity
        Absolute salinity [g/kg].

    Notes
    -----
    :math:`S = S_{deep} + [S_{surf}(m) - S_{deep}]\,e^{-z/z_S}` with
    :math:`S_{surf}(m) = 32 - 2\cos(2\pi(m-6.5)/12)`, :math:`S_{deep}` = 35,
    :math:`z_S` = 40 m.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> round(fjord_salinity(7, nt.Q_(0, "m")).m_as("g/kg"), 2)
    30.07
    >>> round(fjord_salinity(1, nt.Q_(200, "m")).m_as("g/kg"), 2)
    34.99
    """
    m = _months(month)
    z = _depth(depth)
    surf = np.asarray(SURFACE_SALINITY_MONTHLY)[m - 1]
    out = DEEP_SALINITY + (surf - DEEP_SALINITY) * np.exp(-z / SALINITY_E_FOLDING_DEPTH_M)
    return Q_(_scalar_or_array(out), "g/kg")


@user_api
def hourly_index(year: int = 2025) -> np.ndarray:
    """Hour-start timestamps of ``year`` (``datetime64[h]``), 8760 or 8784 values.

    Examples
    --------
    >>> hourly_index(2025).size
    8760
    """
    if not isinstance(year, (int, np.integer)) or isinstance(year, bool):
        raise InputError(f"year must be an integer, got {year!r}.")
    start = np.datetime64(f"{int(year):04d}-01-01T00", "h")
    stop = np.datetime64(f"{int(year) + 1:04d}-01-01T00", "h")
    return np.arange(start, stop, dtype="datetime64[h]")


def _month_bounds(year: int) -> np.ndarray:
    days = [calendar.monthrange(year, m)[1] for m in range(1, 13)]
    return np.concatenate([[0], np.cumsum(days) * 24])


def _mean_preserving_curve(year: int, means: np.ndarray) -> np.ndarray:
    """Periodic cubic spline through mid-month nodes, with exact monthly means."""
    from scipy.interpolate import CubicSpline

    bounds = _month_bounds(year)
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
    month_of_hour = np.searchsorted(bounds, t, side="right") - 1
    A = np.stack([np.bincount(month_of_hour, weights=b, minlength=12) for b in basis],
                 axis=1) / np.diff(bounds)[:, None]
    x = np.linalg.solve(A, means)
    return x @ basis


@user_api
def hourly_air_temperature(year: int = 2025, *, monthly_means: Any = None,
                           daily_range: Any = None, seed: int | None = None,
                           noise_std: Any = "2.5 K", noise_correlation: Any = "48 h") -> Any:
    r"""A synthetic hourly air-temperature year for Narvik from monthly means.

    Parameters
    ----------
    year : int, optional
        Calendar year (8760 hours, 8784 in a leap year). Default 2025.
    monthly_means : pint.Quantity, optional
        12 monthly means; default :func:`air_temperature_monthly` (R38). Pass
        the older normals (R51, R52) for a sensitivity run.
    daily_range : pint.Quantity, optional
        12 daily ranges (max − min) as temperature differences; default
        :data:`DAILY_RANGE_K` [GEK].
    seed : int, optional
        If given, add AR(1) weather noise from ``numpy.random.default_rng(seed)``;
        if None (default) the result is the smooth deterministic year.
    noise_std : pint.Quantity or str, optional
        Standard deviation of the noise [K], default 2.5 K [GEK].
    noise_correlation : pint.Quantity or str, optional
        e-folding time of the noise autocorrelation, default 48 h (synoptic
        weather) [GEK].

    Returns
    -------
    pint.Quantity
        Hourly temperatures [degC], hour-start timestamps :func:`hourly_index`.

    Notes
    -----
    .. math:: T(t) = \sum_j x_j B_j(t) + \frac{R_{m(t)}}{2}
       \cos\left(2\pi\frac{t_{hour} - 15}{24}\right) + \varepsilon(t)

    :math:`B_j` are periodic cubic-spline cardinal functions on mid-month
    nodes; :math:`x` solves the 12 × 12 system "monthly mean of the curve =
    table". The daily cosine sums to zero over each day; the noise
    :math:`\varepsilon_t = \phi\varepsilon_{t-1} + \sigma\sqrt{1-\phi^2}\,\xi_t`,
    :math:`\phi = e^{-1/\tau}`, has its mean removed in each month. Hence the
    monthly means equal the input exactly. Deterministic for a given seed.

    Examples
    --------
    >>> T = hourly_air_temperature(2025)
    >>> T.shape
    (8760,)
    >>> round(float(T[:744].mean().m_as("degC")), 6)     # January mean (R38)
    -4.0
    """
    idx = hourly_index(year)
    year = int(year)
    means = (np.asarray(AIR_TEMPERATURE_MONTHLY_DEGC, dtype=float) if monthly_means is None
             else np.asarray(to_temperature(monthly_means, "monthly_means")) - 273.15)
    ranges = (np.asarray(DAILY_RANGE_K, dtype=float) if daily_range is None
              else np.asarray(to_temperature_difference(daily_range, "daily_range")))
    for nm, a in (("monthly_means", means), ("daily_range", ranges)):
        if a.shape != (12,):
            raise InputError(f"{nm} must have 12 values (January–December), got shape "
                             f"{a.shape}.")
    if np.any(ranges < 0):
        raise InputError("daily_range must be >= 0 K.")
    curve = _mean_preserving_curve(year, means)
    bounds = _month_bounds(year)
    hours = np.arange(idx.size)
    month_of_hour = np.searchsorted(bounds, hours + 0.5, side="right") - 1
    hour_of_day = hours % 24
    curve = curve + 0.5 * ranges[month_of_hour] * np.cos(2 * np.pi * (hour_of_day - 15) / 24)
    if seed is not None:
        sigma = to_temperature_difference(noise_std, "noise_std")
        tau = to_si(noise_correlation, "h", "noise_correlation")
        if sigma < 0 or tau <= 0:
            raise InputError("noise_std must be >= 0 K and noise_correlation > 0 h.")
        rng = np.random.default_rng(seed)
        phi = math.exp(-1.0 / tau)
        shocks = rng.standard_normal(idx.size) * sigma * math.sqrt(1 - phi * phi)
        from scipy.signal import lfilter
        noise = lfilter([1.0], [1.0, -phi], shocks)
        month_mean = np.bincount(month_of_hour, weights=noise, minlength=12) / np.diff(bounds)
        curve = curve + noise - month_mean[month_of_hour]
    return Q_(curve, "degC")
