"""Pump curves: fitting, affinity laws, shaft and electrical power.

A head–flow curve given as points is represented by the quadratic

.. math:: H(Q, s) = a_0 s^2 + a_1 s Q + a_2 Q^2

where :math:`s` is the speed ratio (affinity laws: :math:`Q \\propto s`,
:math:`H \\propto s^2`; Gülich [1]_). Three points are interpolated exactly;
more points are fitted by least squares and the largest deviation is reported
so the user can judge the fit. A quadratic is smooth everywhere, which keeps
Newton's method robust through zero and reverse flow. Two-point curves and
operation beyond the last given point follow EPANET (Rossman [2]_).

References
----------
.. [1] Gülich, J. F., *Centrifugal Pumps*, 3rd ed., Springer, 2014,
   doi:10.1007/978-3-642-40114-5, §3.4 (similarity/affinity laws).
.. [2] Rossman, L. A., *EPANET 2 Users Manual*, EPA/600/R-00/057, 2000,
   §3.1 (pump curves; operation beyond the curve).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import InputError

__all__ = ["QuadraticCurve", "fit_quadratic_curve", "curve_head", "curve_head_dQ",
           "hydraulic_power"]

G = 9.80665  #: standard gravity [m s⁻²]


@dataclass(frozen=True)
class QuadraticCurve:
    """Fitted quadratic curve :math:`y = a_0 + a_1 Q + a_2 Q^2` at speed ratio 1.

    Attributes
    ----------
    a0, a1, a2 : float
        Coefficients in SI (y in m or Pa, Q in m³ s⁻¹).
    q_max : float
        Largest flow of the given points [m³ s⁻¹]; beyond it the pump runs
        off its curve.
    max_deviation : float
        Largest absolute deviation of the fit from the given points, in units of y.
    """

    a0: float
    a1: float
    a2: float
    q_max: float
    max_deviation: float


def fit_quadratic_curve(Q, y, name: str = "curve") -> QuadraticCurve:
    """Fit :math:`y(Q) = a_0 + a_1 Q + a_2 Q^2` to curve points.

    Parameters
    ----------
    Q : array_like
        Flows of the points [m³ s⁻¹], at least 2, non-negative, increasing.
    y : array_like
        Head [m] or pressure rise [Pa] at those flows, non-increasing overall.
    name : str
        Name used in error messages.

    Returns
    -------
    QuadraticCurve

    Raises
    ------
    InputError
        Fewer than two points, unequal lengths, negative or non-increasing
        flows, or a curve whose head rises with flow at its end.

    Notes
    -----
    Two points give a curve with :math:`a_1 = 0` (EPANET's single-point style
    passes through shut-off and the given point); three points are
    interpolated exactly; more are least-squares fitted and a warning is
    issued when the fit deviates more than 2 % of the shut-off head.

    Examples
    --------
    >>> c = fit_quadratic_curve([0.0, 100/3600, 200/3600], [30.0, 25.0, 12.0])
    >>> round(c.a0, 6), round(float(curve_head(c.a0, c.a1, c.a2, 100/3600, 1.0)), 6)
    (30.0, 25.0)
    """
    Q = np.asarray(Q, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if Q.size != y.size:
        raise InputError(f"{name}: the flow and head arrays have different lengths "
                         f"({Q.size} and {y.size}); give one head per flow.")
    if Q.size < 2:
        raise InputError(f"{name}: a pump curve needs at least 2 points, got {Q.size}.")
    if np.any(Q < 0) or np.any(np.diff(Q) <= 0):
        raise InputError(f"{name}: curve flows must be non-negative and strictly "
                         f"increasing, got {Q.tolist()} (SI m³/s).")
    if y[-1] >= y[0]:
        raise InputError(f"{name}: the head must fall with flow (got {y[0]:.4g} at the "
                         f"first point and {y[-1]:.4g} at the last); check the order of points.")
    if Q.size == 2:
        # y = a0 + a2 Q^2 through both points
        a2 = (y[1] - y[0]) / (Q[1] ** 2 - Q[0] ** 2)
        a0 = y[0] - a2 * Q[0] ** 2
        coef = np.array([a0, 0.0, a2])
    elif Q.size == 3:
        coef = np.linalg.solve(np.vander(Q, 3, increasing=True), y)
    else:
        coef, *_ = np.linalg.lstsq(np.vander(Q, 3, increasing=True), y, rcond=None)
    fit = coef[0] + coef[1] * Q + coef[2] * Q ** 2
    dev = float(np.max(np.abs(fit - y)))
    if dev > 0.02 * abs(y[0]):
        warnings.warn(f"{name}: the quadratic fit of the pump curve deviates by up to "
                      f"{dev:.3g} ({100 * dev / abs(y[0]):.1f} % of shut-off) from the "
                      "given points; check the curve or give three representative points.",
                      UserWarning, stacklevel=3)
    slope_end = coef[1] + 2 * coef[2] * Q[-1]
    if slope_end > 0:
        raise InputError(f"{name}: the fitted curve rises with flow at its last point "
                         f"(slope {slope_end:.4g}); a pump curve must fall at high flow.")
    return QuadraticCurve(float(coef[0]), float(coef[1]), float(coef[2]), float(Q[-1]), dev)


def curve_head(a0, a1, a2, Q, speed):
    r"""Head (or pressure rise) of a quadratic curve with the affinity laws.

    .. math:: H = a_0 s^2 + a_1 s Q + a_2 Q^2

    Parameters
    ----------
    a0, a1, a2 : array_like
        Curve coefficients at speed ratio 1 [m, m s m⁻³, m s² m⁻⁶].
    Q : array_like
        Volume flow per pump [m³ s⁻¹].
    speed : array_like
        Speed ratio ``n / n_rated`` [-].

    Returns
    -------
    numpy.ndarray
        Head [m] (or pressure [Pa] if the coefficients are in Pa).
    """
    return a0 * speed ** 2 + a1 * speed * Q + a2 * Q ** 2


def curve_head_dQ(a0, a1, a2, Q, speed):
    """Derivative dH/dQ of :func:`curve_head` [m s m⁻³]."""
    return a1 * speed + 2.0 * a2 * Q


def hydraulic_power(Q, pressure_rise):
    r"""Hydraulic power of a pump, :math:`P = Q \Delta p` [W].

    Parameters
    ----------
    Q : array_like
        Volume flow [m³ s⁻¹].
    pressure_rise : array_like
        Pressure rise [Pa].

    Examples
    --------
    >>> float(hydraulic_power(0.01, 2e5))
    2000.0
    """
    return np.asarray(Q, dtype=float) * pressure_rise
