r"""Sea temperature and salinity by depth and month: a damped, lagged seasonal wave.

The surface seasonal cycle (a table of 12 monthly means) is carried down the
water column as a wave whose amplitude decays and whose phase lags with
depth, around an annual-mean profile that relaxes from the surface mean to
the deep-water temperature:

.. math::
    T(m, z) = T_{deep} + (\bar T_s - T_{deep})\,e^{-z/z_A}
      + \sum_{k=1}^{6} a_k\, e^{-z\sqrt{k}/z_A}
        \cos\!\left(\frac{2\pi k\,[m - 1 - \ell(z)]}{12} + \varphi_k\right),
    \qquad \ell(z) = \ell_\infty\left(1 - e^{-z/z_\ell}\right)

where :math:`a_k, \varphi_k` are the discrete Fourier coefficients of the
surface table (so that :math:`T(m, 0)` equals the table exactly at every
month), :math:`z_A` the amplitude e-folding depth, :math:`\ell(z)` the
phase lag in months (growing from 0 at the surface to :math:`\ell_\infty`
at depth over the length :math:`z_\ell`). The higher harmonics decay faster
(:math:`\sqrt{k}`, as in Kelvin's solution of the heat-diffusion equation),
so the profile smooths with depth.

Why this form. In a purely diffusive column the decay and the phase lag
share one length (Kelvin's damped wave, :math:`e^{-z/d}\cos(\omega t - z/d)`).
In fjords and on shelves the deep water also gains heat by autumn convective
mixing and by advection, so the lag reaches its deep value faster than the
amplitude decays; an advection–diffusion column gives exactly a damped wave
with separate decay and phase lengths. The form keeps the surface table,
gives deep water warmest in winter and nearly constant at the bottom, as the
Norwegian marine institute's fixed stations show (see
:mod:`narvik_thermal.climate.narvik` for the data and the calibration).

Salinity uses the plain exponential blend of the earlier model
(:func:`salinity_profile`), with no lag.

All functions here work in SI floats and NumPy arrays (K, m, g/kg for
salinity as in the fluids layer); units are handled by the callers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["months", "temperature_profile", "salinity_profile", "fourier_coefficients"]


def months(month: Any) -> np.ndarray:
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


def fourier_coefficients(monthly: Any) -> np.ndarray:
    """Complex discrete Fourier coefficients ``c_0 … c_6`` of 12 monthly values.

    ``monthly[j] = Σ_k w_k |c_k| cos(2πk j/12 + arg c_k)`` with ``w_0 = w_6 = 1``
    and ``w_k = 2`` otherwise (``j = month − 1``).
    """
    values = np.asarray(monthly, dtype=float)
    if values.shape != (12,):
        raise InputError(f"a monthly table needs 12 values (January–December), got shape "
                         f"{values.shape}.")
    return np.fft.rfft(values) / 12.0


def temperature_profile(month: Any, depth: Any, surface_monthly: Any, deep: float,
                        amplitude_depth: float, lag_depth: float,
                        max_lag: float) -> Any:
    r"""Sea temperature at ``month`` (may be fractional) and ``depth``, SI in and out.

    Parameters
    ----------
    month : float or array_like
        Month number, January = 1; fractional values evaluate the smooth
        seasonal curve between month centres (broadcast against ``depth``).
    depth : float or array_like
        Depth below the surface, >= 0 [m].
    surface_monthly : array_like
        12 monthly mean surface temperatures [K].
    deep : float
        Annual-mean temperature of the deep water [K].
    amplitude_depth : float
        :math:`z_A`, e-folding depth of the seasonal amplitude and of the
        surface-minus-deep mean difference [m].
    lag_depth : float
        :math:`z_\ell`, depth scale over which the phase lag develops [m].
    max_lag : float
        :math:`\ell_\infty`, phase lag of deep water behind the surface [months].

    Returns
    -------
    float or numpy.ndarray
        Temperature [K].

    Examples
    --------
    >>> surf = [5, 5, 4, 4, 6, 8, 11, 12, 10, 9, 7, 6]
    >>> round(temperature_profile(8, 0.0, surf, 6.8, 61.0, 62.0, 5.0), 6)
    12.0
    """
    c = fourier_coefficients(surface_monthly)
    m = np.asarray(month, dtype=float)
    z = np.asarray(depth, dtype=float)
    mean_surface = c[0].real
    decay = np.exp(-z / amplitude_depth)
    lag = max_lag * (1.0 - np.exp(-z / lag_depth))
    out = deep + (mean_surface - deep) * decay
    phase = 2.0 * math.pi * (m - 1.0 - lag) / 12.0
    for k in range(1, 7):
        weight = 1.0 if k == 6 else 2.0
        out = out + (weight * abs(c[k]) * np.exp(-z * math.sqrt(k) / amplitude_depth)
                     * np.cos(k * phase + np.angle(c[k])))
    return float(out) if np.ndim(out) == 0 else out


def salinity_profile(month: Any, depth: Any, surface_monthly: Any, deep: float,
                     e_folding_depth: float) -> Any:
    r"""Salinity blending the surface monthly value into the deep value [g/kg].

    :math:`S(m, z) = S_{deep} + [S_{surf}(m) - S_{deep}]\,e^{-z/z_S}`, with
    ``month`` an integer 1–12 (validated by the caller).

    Examples
    --------
    >>> round(salinity_profile(1, 0.0, [30.0] * 12, 35.0, 40.0), 6)
    30.0
    """
    surf = np.asarray(surface_monthly, dtype=float)[np.asarray(month, dtype=int) - 1]
    z = np.asarray(depth, dtype=float)
    out = deep + (surf - deep) * np.exp(-z / e_folding_depth)
    return float(out) if np.ndim(out) == 0 else out
