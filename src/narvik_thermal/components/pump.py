"""Pump curves: fitting, affinity laws, shaft and electrical power.

A head–flow curve given as points is represented by the quadratic

.. math:: H(Q, s) = a_0 s^2 + a_1 s Q + a_2 Q^2

where :math:`s` is the speed ratio (affinity laws: :math:`Q \\propto s`,
:math:`H \\propto s^2`; Gülich [1]_). Three points are interpolated exactly;
more points are fitted by least squares and the largest deviation is reported
so the user can judge the fit. Two-point curves follow EPANET (Rossman [2]_).

Outside the given points the curve is extended (:func:`curve_head`; head and
slope stay continuous) so that a curve falling from shut-off keeps falling
with flow on both sides, as EPANET's curves do [3]_: in reverse flow the
quadratic term is :math:`|a_2| Q^2`, a resistance to the reverse flow (for a
concave fit this is the curve reflected through shut-off, EPANET's
:math:`A - B\\,Q|Q|^{C-1}`), and a convex fit (:math:`a_2 > 0`, which would
turn upwards) continues beyond its last point along its tangent there (as
EPANET extends the last segment of a multi-point curve). A concave fit keeps
falling beyond its last point and is continued unchanged. Results flag
operation outside the points (``pump_off_curve``).

References
----------
.. [1] Gülich, J. F., *Centrifugal Pumps*, 3rd ed., Springer, 2014,
   doi:10.1007/978-3-642-40114-5, §3.4 (similarity/affinity laws).
.. [2] Rossman, L. A., *EPANET 2 Users Manual*, EPA/600/R-00/057, 2000,
   §3.1 (pump curves; operation beyond the curve).
.. [3] Rossman, L. A., Woo, H., Tryby, M., Shang, F., Janke, R., Haxton, T.,
   *EPANET 2.2 User Manual*, EPA/600/R-20/133, 2020, §3.1 (pump curves) and
   source ``hydcoeffs.c`` (``pumpcoeff``, ``curvecoeff``).
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


def curve_head(a0, a1, a2, Q, speed, q_max=np.inf):
    r"""Head (or pressure rise) of a quadratic curve with the affinity laws.

    .. math::

        H = \begin{cases}
        a_0 s^2 + a_1 s Q + |a_2| Q^2 & Q < 0 \\
        a_0 s^2 + a_1 s Q + a_2 Q^2 & 0 \le Q \le s\,q_{max}
            \text{ (all } Q \ge 0 \text{ if } a_2 \le 0) \\
        H_e + H'_e\,(Q - s\,q_{max}) & Q > s\,q_{max} \text{ and } a_2 > 0
        \end{cases}

    with :math:`H_e, H'_e` the head and slope at :math:`Q = s\,q_{max}`.
    Between shut-off and the last point this is the fitted quadratic. In
    reverse flow the head rises with the flow (a quadratic resistance
    instead of a concave fit's unbounded fall), and beyond the last point a
    convex fit continues along its tangent instead of turning upwards. Head
    and slope are continuous everywhere.

    Parameters
    ----------
    a0, a1, a2 : array_like
        Curve coefficients at speed ratio 1 [m, m s m⁻³, m s² m⁻⁶].
    Q : array_like
        Volume flow per pump [m³ s⁻¹].
    speed : array_like
        Speed ratio ``n / n_rated`` [-].
    q_max : array_like, optional
        Flow of the last curve point at speed ratio 1 [m³ s⁻¹] (default: no
        tangent extension).

    Returns
    -------
    numpy.ndarray
        Head [m] (or pressure [Pa] if the coefficients are in Pa).

    Examples
    --------
    >>> float(curve_head(30.0, 0.0, -2000.0, -0.05, 1.0))   # reverse flow
    35.0
    >>> float(curve_head(30.0, -470.0, 2200.0, 0.2, 1.0, q_max=0.1))   # tangent
    2.0
    """
    Q, c2, Qc = _curve_branch(a2, Q, speed, q_max)
    H = a0 * speed ** 2 + a1 * speed * Qc + c2 * Qc * Qc
    return H + (a1 * speed + 2.0 * c2 * Qc) * (Q - Qc)


def curve_head_dQ(a0, a1, a2, Q, speed, q_max=np.inf):
    """Derivative dH/dQ of :func:`curve_head` [m s m⁻³]."""
    _, c2, Qc = _curve_branch(a2, Q, speed, q_max)
    return a1 * speed + 2.0 * c2 * Qc


def _curve_branch(a2, Q, speed, q_max):
    """Flow, quadratic coefficient (|a₂| in reverse flow) and the flow at which
    the quadratic is evaluated (clipped to the last point on a tangent)."""
    Q = np.asarray(Q, dtype=float)
    c2 = np.where(Q < 0, np.abs(a2), a2)
    Qc = np.where((Q > q_max * speed) & (c2 > 0), q_max * speed, Q)
    return Q, c2, Qc


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
