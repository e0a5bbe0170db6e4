r"""Narvik site data: monthly air temperature, humidity, fjord temperature and salinity by depth.

Data
----
IDs are the source list of ``reference/narvik-facts.md``; the full
citations are in ``docs/references.rst``.

- Air temperature, monthly mean (midpoint of daily min/max), R38:
  −4.0, −1.5, 0.0, 3.0, 8.0, 11.5, 14.5, 14.0, 10.5, 4.5, 1.5, −0.5 °C
  (annual 5.1 °C). Older normals (R51, R52): annual 3.7–3.8 °C, January
  −4.1 to −4.5 °C, July 13.4 °C — kept in :data:`AIR_TEMPERATURE_OLDER_NORMALS`
  for sensitivity studies. MET Norway's 1991–2020 normals should replace
  both once obtained.
- Mean daily range (mean daily maximum − mean daily minimum), from the same
  R38 table of daily minima −6, −4, −3, 0, 4, 8, 11, 10, 7, 2, 0, −3 °C and
  maxima −2, 1, 3, 6, 12, 15, 18, 18, 14, 7, 3, 2 °C: 4, 5, 6, 6, 8, 7, 7, 8,
  7, 5, 3, 5 K (whole degrees, so ±1 K).
- Relative humidity, monthly mean: **[GEK]** — no public monthly normal was
  found for Narvik, Evenes or Bodø; :data:`RELATIVE_HUMIDITY_MONTHLY_PCT`
  (70–80 %, driest in May, most humid in autumn) is a coastal-subarctic
  estimate to be replaced by MET Norway data.
- Surface seawater at Narvik, R38: 5, 5, 4, 4, 6, 8, 11, 12, 10, 9, 7, 6 °C.
- Deep water: Eggum (outer Lofoten) below 150 m about 6.5 °C in July and just
  over 7 °C in January, salinity a steady 35 from about 200 m (R37);
  Vestfjorden (Skrova) at 300 m almost constant through the year, behind a
  220 m sill (R36). The Ofotfjord branches off the Vestfjord (R34, R35).
- Salinity: 30–34 at the surface, lowest in the June–July melt; 34.5–35 at
  depth (narvik-facts §3 defaults).

Fjord temperature by depth: the lag of deep water (revised model)
-----------------------------------------------------------------
:func:`fjord_temperature` evaluates
:func:`narvik_thermal.climate.sea.temperature_profile`: the R38 surface
cycle carried down as a damped wave whose phase lags with depth,

.. math::
    T(m, z) = T_{deep} + (\bar T_s - T_{deep})\,e^{-z/z_A}
      + \sum_k a_k e^{-z\sqrt{k}/z_A}\cos\!\left(\tfrac{2\pi k[m-1-\ell(z)]}{12}
      + \varphi_k\right), \quad \ell(z) = \ell_\infty(1 - e^{-z/z_\ell}),

with :math:`T_{deep}` = 6.8 °C (R37, R36), :math:`z_A` = 61 m,
:math:`z_\ell` = 62 m and :math:`\ell_\infty` = 5 months. Why these values:

- the surface first harmonic of R38 has amplitude 3.53 K and peaks in
  mid-August; R37's deep cycle (≈ 6.5 °C July, just over 7 °C January, i.e.
  ≈ 0.3 K amplitude peaking in January) is reproduced at 150 m by
  :math:`e^{-150/z_A}` = 0.3/3.53 → :math:`z_A` ≈ 61 m and a lag of ≈ 4.6–5
  months (August → January);
- the Norwegian marine institute (Havforskningsinstituttet, IMR) reports the
  same lag at its fixed coastal stations (normals 1935–1993 and later):
  at Lista "the time of the temperature maximum and minimum is delayed with
  increasing depth"; at 300 m the mean is highest in January (7.0 °C) and
  lowest in June, while the surface is warmest in August [IMR-Lista]_; at Bud
  the bottom water (≈ 250 m) is warmest in December, 4 months after the
  surface [IMR-Bud]_; at Ytre Utsira the water near the bottom is warmest in
  January (7.16 °C) and coldest in August [IMR-Utsira]_. Hence
  :math:`\ell_\infty` = 5 months (August → January) and
  :math:`z_\ell` = 62 m, which puts the warmest month at 100 m in December
  and at 150 m in January;
- at 300 m the seasonal range is 0.05 K: nearly constant, as at Skrova
  (R36), the station in the Vestfjord basin that the Ofotfjord opens into.

Calibration points that still hold: the surface equals R38 in every month;
150 m gives 6.56 °C in July and 7.16 °C in January (R37); 18 m in August
gives 9.3 °C (Drammen intake at 18 m, 8–9 °C, R39); 50–100 m stays within
5.5–8.8 °C, inside the 4–9 °C deep-intake validation range of narvik-facts.
What changed on purpose: below 150 m the seasonal cycle now fades (at 300 m
it is 0.05 K instead of the former ±0.3 K), and the warmest month moves
from August at the surface to October–November at 30–75 m and to
December–January at 100–150 m. The e-folding and lag depths are fitted to
these few published points, not to a profile time series of the Ofotfjord
itself, whose sill depth and stratification are not known (narvik-facts §3).

Salinity keeps the exponential blend
:math:`S = S_{deep} + [S_{surf}(m) - S_{deep}]\,e^{-z/z_S}` with
:math:`S_{surf}(m) = 32 - 2\cos(2\pi (m - 6.5)/12)`, :math:`S_{deep}` = 35,
:math:`z_S` = 40 m.

Hourly air temperature
----------------------
:func:`hourly_air_temperature` builds a year of hourly values: a periodic
cubic spline through mid-month nodes whose node values are solved so that
each calendar month's mean equals the table exactly, plus a cosine daily
cycle (minimum 03:00, maximum 15:00 local) whose range follows
:data:`DAILY_RANGE_K` (R38) and averages to zero over every day, plus
optional AR(1) "weather" noise (seeded, with each month's noise mean
removed). Monthly means are therefore preserved exactly in every case.

References
----------
.. [IMR-Lista] Havforskningsinstituttet (IMR), "Faste hydrografiske stasjoner:
   Lista", station page (normals 1942–1994), 2019,
   http://www.imr.no/forskning/forskningsdata/stasjoner/view?station=Lista
.. [IMR-Bud] Havforskningsinstituttet (IMR), "Faste hydrografiske stasjoner:
   Bud" (normals 1976–2005), 2019,
   http://www.imr.no/forskning/forskningsdata/stasjoner/view?station=Bud
.. [IMR-Utsira] Havforskningsinstituttet (IMR), "Faste hydrografiske stasjoner:
   Ytre Utsira" (normals 1961–1990), 2019,
   http://www.imr.no/forskning/forskningsdata/stasjoner/view?station=Ytre%20Utsira
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning, user_api
from ..units import Q_, to_si, to_temperature, to_temperature_difference
from . import hourly as H
from .hourly import hourly_index
from .sea import months as _months
from .sea import salinity_profile, temperature_profile

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
#: Mean daily minimum and maximum air temperature, Jan–Dec [°C] (R38).
AIR_TEMPERATURE_DAILY_MIN_DEGC = (-6, -4, -3, 0, 4, 8, 11, 10, 7, 2, 0, -3)
AIR_TEMPERATURE_DAILY_MAX_DEGC = (-2, 1, 3, 6, 12, 15, 18, 18, 14, 7, 3, 2)
#: Mean daily air-temperature range (max − min), Jan–Dec [K] (R38 max − min).
DAILY_RANGE_K = (4.0, 5.0, 6.0, 6.0, 8.0, 7.0, 7.0, 8.0, 7.0, 5.0, 3.0, 5.0)
#: Monthly mean relative humidity, Jan–Dec [%] **[GEK]** (no source found).
RELATIVE_HUMIDITY_MONTHLY_PCT = (78.0, 77.0, 75.0, 72.0, 70.0, 74.0, 77.0, 79.0, 80.0,
                                 80.0, 79.0, 78.0)
#: Surface seawater temperature at Narvik, Jan–Dec [°C] (R38).
SURFACE_SEAWATER_MONTHLY_DEGC = (5.0, 5.0, 4.0, 4.0, 6.0, 8.0, 11.0, 12.0, 10.0, 9.0, 7.0,
                                 6.0)
#: Annual mean of the deep (below ~150 m) water temperature [°C] (R37, R36).
DEEP_TEMPERATURE_MEAN_DEGC = 6.8
#: Seasonal half-range of the deep cycle at 150 m, maximum in January [K]
#: (R37: ≈ 6.5 °C July, just over 7 °C January) — a calibration target of
#: :data:`TEMPERATURE_E_FOLDING_DEPTH_M`, no longer a model input.
DEEP_TEMPERATURE_AMPLITUDE_K = 0.3
#: e-folding depth of the seasonal amplitude (and of the surface − deep mean
#: difference) [m], fitted to R37 at 150 m (see the module notes).
TEMPERATURE_E_FOLDING_DEPTH_M = 61.0
#: Depth scale over which the phase lag develops [m] (fitted, see the notes).
TEMPERATURE_LAG_DEPTH_M = 62.0
#: Phase lag of the deep water behind the surface [months] (IMR stations; R37).
DEEP_WATER_LAG_MONTHS = 5.0
#: Surface salinity Jan–Dec [g/kg], 32 − 2 cos(2π(m − 6.5)/12) [GEK, within §3 range].
SURFACE_SALINITY_MONTHLY = (33.932, 33.414, 32.518, 31.482, 30.586, 30.068,
                            30.068, 30.586, 31.482, 32.518, 33.414, 33.932)
#: Deep salinity [g/kg] (R37: steady 35 from about 200 m).
DEEP_SALINITY = 35.0
#: e-folding depth of the surface salinity anomaly [m] [GEK].
SALINITY_E_FOLDING_DEPTH_M = 40.0
#: Deepest point of the Ofotfjord [m] (R34, R35).
MAX_DEPTH_M = 553.0
_MAX_DEPTH_M = MAX_DEPTH_M


def _depth(depth: Any, max_depth: float | None = _MAX_DEPTH_M) -> np.ndarray:
    z = np.asarray(to_si(depth, "m", "depth"), dtype=float)
    if np.any(z < 0):
        raise InputError(f"depth must be >= 0 m (positive downwards from the surface), "
                         f"got {depth}.")
    if max_depth is not None and np.any(z > max_depth):
        warnings.warn(f"fjord depth {float(np.max(z)):.0f} m exceeds the Ofotfjord's maximum "
                      f"depth of {max_depth:.0f} m (R34, R35); the deep value is used.",
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
                      deep_temperature: Any = None, e_folding_depth: Any = None,
                      lag_depth: Any = None, deep_lag: float | None = None) -> Any:
    r"""Fjord water temperature at Narvik by month and depth, with the lag of deep water.

    Parameters
    ----------
    month : int or array_like of int
        Month number 1–12.
    depth : pint.Quantity or str
        Depth below the surface [m], >= 0; broadcast against ``month``.
    deep_temperature : pint.Quantity, optional
        Override the annual mean deep temperature (default 6.8 °C, R37).
    e_folding_depth : pint.Quantity, optional
        Override :math:`z_A`, the e-folding depth of the seasonal amplitude
        (default 61 m, fitted to R37).
    lag_depth : pint.Quantity, optional
        Override :math:`z_\ell`, the depth scale of the phase lag (default 62 m).
    deep_lag : float, optional
        Override :math:`\ell_\infty`, the lag of deep water behind the
        surface in months (default 5: surface warmest in August, deep water
        in January; IMR stations, R37).

    Returns
    -------
    pint.Quantity
        Temperature [degC].

    Notes
    -----
    The damped, lagged seasonal wave of
    :func:`narvik_thermal.climate.sea.temperature_profile`; see the module
    docstring for the data (R36–R39, IMR station normals) and the fit.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> fjord_temperature(8, nt.Q_(0, "m")).m_as("degC")            # R38 surface
    12.0
    >>> round(fjord_temperature(7, nt.Q_(150, "m")).m_as("degC"), 2)  # R37 deep, July
    6.56
    >>> round(fjord_temperature(1, nt.Q_(150, "m")).m_as("degC"), 2)  # R37 deep, January
    7.16
    """
    m = _months(month)
    z = _depth(depth)
    t_mean = (DEEP_TEMPERATURE_MEAN_DEGC if deep_temperature is None
              else to_temperature(deep_temperature, "deep_temperature") - 273.15)
    z_e = (TEMPERATURE_E_FOLDING_DEPTH_M if e_folding_depth is None
           else to_si(e_folding_depth, "m", "e_folding_depth"))
    if z_e <= 0:
        raise InputError(f"e_folding_depth must be > 0 m, got {e_folding_depth}.")
    z_l = (TEMPERATURE_LAG_DEPTH_M if lag_depth is None
           else to_si(lag_depth, "m", "lag_depth"))
    if z_l <= 0:
        raise InputError(f"lag_depth must be > 0 m, got {lag_depth}.")
    lag = DEEP_WATER_LAG_MONTHS if deep_lag is None else float(deep_lag)
    if not 0.0 <= lag < 12.0:
        raise InputError(f"deep_lag must be in [0, 12) months, got {deep_lag}.")
    out = temperature_profile(m, z, SURFACE_SEAWATER_MONTHLY_DEGC, t_mean, z_e, z_l, lag)
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
    out = salinity_profile(m, z, SURFACE_SALINITY_MONTHLY, DEEP_SALINITY,
                           SALINITY_E_FOLDING_DEPTH_M)
    return Q_(_scalar_or_array(out), "g/kg")


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
        :data:`DAILY_RANGE_K` (R38 mean daily max − min).
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
    :meth:`narvik_thermal.climate.Site.hourly` builds the same temperature
    (and humidity, sea and grid series) for any site.

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
    curve = H.mean_preserving_curve(year, means)
    moh = H.month_of_hour(year) - 1
    curve = curve + 0.5 * ranges[moh] * H.daily_cosine(idx.size)
    if seed is not None:
        sigma = to_temperature_difference(noise_std, "noise_std")
        tau = to_si(noise_correlation, "h", "noise_correlation")
        if sigma < 0 or tau <= 0:
            raise InputError("noise_std must be >= 0 K and noise_correlation > 0 h.")
        curve = curve + H.ar1_noise(year, seed, sigma, tau)
    return Q_(curve, "degC")
