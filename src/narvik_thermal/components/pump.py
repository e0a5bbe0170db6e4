"""Pump curves: fitting, affinity laws, shaft and electrical power; pumps of
constant hydraulic power (:func:`power_pump_rise`).

A head–flow curve given as points is represented by the quadratic

.. math:: H(Q, s) = a_0 s^2 + a_1 s Q + a_2 Q^2

where :math:`s` is the speed ratio (affinity laws: :math:`Q \\propto s`,
:math:`H \\propto s^2`; Gülich [1]_). Three points are interpolated exactly;
more points are fitted by least squares and the largest deviation is reported
so the user can judge the fit. Two points give the quadratic through both with
:math:`a_1 = 0` (the shape of EPANET's single-point curve, Rossman [2]_); EPANET
itself draws a straight line between two given points, which puts the operating
point elsewhere (15.5 against 12.2 L/s for (0, 40 m) and (20 L/s, 0 m) against a
15 m lift): give three points for a curve both tools read alike.

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
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, flow_values, one_of, quantities,
                   require, require_bool, require_positive, rise_values, touches)
from .kinds import EdgeKind, FlowBasis, HydraulicLaw, RiseBasis, ThermalLaw
from . import _kernel_modules as kernels

__all__ = ["QuadraticCurve", "fit_quadratic_curve", "curve_head", "curve_head_dQ",
           "power_pump_rise", "hydraulic_power", "Pumps", "DEFAULT_MOTOR_EFFICIENCY",
           "DEFAULT_SHUTOFF_HEAD"]

#: Motor and drive efficiency of a pump when none is given [-] [GEK].
DEFAULT_MOTOR_EFFICIENCY = 0.95

G = 9.80665  #: standard gravity [m s⁻²]

#: Shut-off head of a constant-power pump when none is given [m]: the rise
#: P/Q grows without bound as Q → 0; it is capped so that the pump develops
#: this head at zero flow (see :func:`power_pump_rise`). Ten times the head
#: of most circulation and distribution pumps, so that the cap acts only on a
#: pump that is all but dead-headed.
DEFAULT_SHUTOFF_HEAD = 1000.0


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
    Two points give a curve with :math:`a_1 = 0` through both (the shape of EPANET's
    single-point curve; EPANET draws a straight line between two points); three points are
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
    return _curve(a0, a1, a2, Q, speed, q_max)[0]


def curve_head_dQ(a0, a1, a2, Q, speed, q_max=np.inf):
    """Derivative dH/dQ of :func:`curve_head` [m s m⁻³]."""
    return _curve(a0, a1, a2, Q, speed, q_max)[1]


def _curve(a0, a1, a2, Q, speed, q_max):
    """Head and slope of :func:`curve_head`, broadcast: the compiled law the network's
    pump edges evaluate too (``_hydraulic_kernels.curve_point``)."""
    from .._numba import broadcast_call
    pump_curve = kernels.hydraulic().pump_curve

    H, dH = broadcast_call(pump_curve, a0, a1, a2, Q, speed, q_max)
    return H[()], dH[()]


def power_pump_rise(power, shutoff_rise, Q, speed):
    r"""Pressure rise of a constant-power pump and its derivative.

    .. math::

        \Delta p = \begin{cases}
        P s^3 / Q & Q \ge q_c \\
        \Delta p_0 s^2 \,(1 - Q / (2 q_c)) & Q < q_c
        \end{cases}
        \qquad q_c = \frac{2 P s}{\Delta p_0}

    The hydraulic power :math:`P` (at speed ratio :math:`s = 1`; the affinity
    laws scale it by :math:`s^3`, the shut-off rise by :math:`s^2`) is
    delivered at every flow above :math:`q_c`, the flow at which the rise is
    half the shut-off rise (EPANET's constant-power pump, head
    :math:`P/(\rho g Q)`: Rossman et al., *EPANET 2.2 User Manual*, 2020,
    §3.1, and ``hydcoeffs.c``, ``pumpcoeff``). Below it the rise continues
    along the tangent of the hyperbola at :math:`q_c`, which reaches the
    shut-off rise :math:`\Delta p_0 s^2` at zero flow and keeps rising with
    reverse flow, a resistance to it. Rise and slope are continuous, the
    slope is negative everywhere: Newton's method gets a sane derivative at
    every flow. EPANET instead closes the pump when the slope passes its own
    bound; both leave the pump's operation above :math:`q_c` unchanged.

    Parameters
    ----------
    power : array_like
        Hydraulic power per pump at speed ratio 1 [W].
    shutoff_rise : array_like
        Rise at zero flow at speed ratio 1 [Pa].
    Q : array_like
        Volume flow per pump [m³ s⁻¹].
    speed : array_like
        Speed ratio [-].

    Returns
    -------
    rise, drise_dQ : numpy.ndarray
        [Pa] and [Pa s m⁻³].

    Examples
    --------
    >>> rise, slope = power_pump_rise(1000.0, 1e6, 0.01, 1.0)     # 1 kW at 10 L/s
    >>> float(rise), float(slope)
    (100000.0, -10000000.0)
    >>> float(power_pump_rise(1000.0, 1e6, 0.0, 1.0)[0])          # shut-off
    1000000.0
    """
    Q = np.asarray(Q, dtype=float)
    Ps = power * speed ** 3
    p0 = shutoff_rise * speed ** 2
    qc = 2.0 * Ps / p0
    hyper = Q >= qc
    Qh = np.where(hyper, Q, qc)
    rise = np.where(hyper, Ps / Qh, p0 * (1.0 - Q / (2.0 * qc)))
    slope = np.where(hyper, -Ps / (Qh * Qh), -p0 / (2.0 * qc))
    return rise, slope


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


# ---------------------------------------------------------------------- component
_PUMP_LAWS = (HydraulicLaw.PUMP_CURVE, HydraulicLaw.FIXED_FLOW, HydraulicLaw.FIXED_RISE,
              HydraulicLaw.CONSTANT_POWER)
#: the law of each code
_LAWS = {int(m): m for m in HydraulicLaw}


@dataclass(frozen=True, eq=False, kw_only=True)
class Pumps(Component):
    """Pumps (struct of arrays, SI): a head–flow curve, an ideal pump of fixed
    flow or fixed rise, or a pump of constant hydraulic power; every kind obeys
    the speed ratio (affinity laws).

    Attributes
    ----------
    mode : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.HydraulicLaw` of each pump:
        ``PUMP_CURVE``, ``FIXED_FLOW``, ``FIXED_RISE`` or ``CONSTANT_POWER`` (one
        per call).
    a0, a1, a2, q_max : numpy.ndarray
        Quadratic curve at speed 1 (:func:`curve_head`) and its last flow
        [m³/s] (NaN for ideal pumps).
    rise_basis : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.RiseBasis` of the curve, the
        fixed rise or the shut-off rise (head in m, or pressure in Pa).
    fixed_flow : numpy.ndarray
        Flow of a fixed-flow pump at speed 1, per pump [kg/s or m³/s].
    flow_basis : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.FlowBasis` of ``fixed_flow``.
    fixed_rise : numpy.ndarray
        Rise of a fixed-rise pump at speed 1 [m or Pa].
    power : numpy.ndarray
        Hydraulic power of a constant-power pump at speed 1 [W] (NaN for the
        other kinds; :func:`power_pump_rise`).
    shutoff_rise : numpy.ndarray
        Rise of a constant-power pump at zero flow, speed 1 [m or Pa] (NaN for
        the other kinds).
    speed : numpy.ndarray
        Speed ratio n/n_rated [-] (> 0). Affinity laws: flow ∝ speed, rise ∝ speed².
    efficiency, motor_efficiency : numpy.ndarray
        Hydraulic and motor-and-drive efficiencies [-] (efficiency NaN: not given).
    pump_heat : numpy.ndarray
        1 where the hydraulic power ends up as heat in the fluid, else 0 [-].
    """

    mode: np.ndarray
    a0: np.ndarray
    a1: np.ndarray
    a2: np.ndarray
    q_max: np.ndarray
    rise_basis: np.ndarray
    fixed_flow: np.ndarray
    flow_basis: np.ndarray
    fixed_rise: np.ndarray
    power: np.ndarray
    shutoff_rise: np.ndarray
    speed: np.ndarray
    efficiency: np.ndarray
    motor_efficiency: np.ndarray
    pump_heat: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.PUMP
    label: ClassVar[str] = "pump"
    updatable: ClassVar[dict[str, str]] = {
        "speed": "speed ratio (every pump kind; affinity laws)",
        "flow": "flow of a fixed-flow pump at speed 1 (mass or volume, as when added)",
        "head": "rise of a fixed-rise pump at speed 1 (head or pressure, as when added)",
        "curve": "(flows, heads) of a curve pump at speed 1",
        "power": "hydraulic power of a constant-power pump at speed 1",
        "shutoff_head": "shut-off rise of a constant-power pump at speed 1 (head or pressure, "
                        "as when added)",
        "efficiency": "hydraulic efficiency",
    }
    optional_fields: ClassVar[dict[str, float]] = {"power": np.nan, "shutoff_rise": np.nan}

    @classmethod
    def from_quantities(cls, names: Any, *, curve: Any = None, flow: Any = None,
                        head: Any = None, power: Any = None, shutoff_head: Any = None,
                        speed: Any = 1.0, efficiency: Any = None,
                        motor_efficiency: Any = DEFAULT_MOTOR_EFFICIENCY,
                        heat_to_fluid: bool = True, count: Any = 1) -> "Pumps":
        """Pumps from Quantities (see :meth:`narvik_thermal.Network.add_pump`)."""
        names = as_names(names)
        n = len(names)
        given = [x is not None for x in (curve, flow, head, power)]
        if sum(given) != 1:
            raise InputError(f"pump {names[0]!r}: give exactly one of curve=, flow=, head= or "
                             f"power= (got {sum(given)}).")
        if shutoff_head is not None and power is None:
            raise InputError(f"pump {names[0]!r}: shutoff_head={shutoff_head} applies only to "
                             "a constant-power pump (power=); leave it out, or give power=.")
        nan = np.full(n, np.nan)
        kw: dict[str, Any] = dict(a0=nan, a1=nan, a2=nan, q_max=nan, fixed_flow=nan,
                                  fixed_rise=nan, power=nan, shutoff_rise=nan,
                                  rise_basis=np.zeros(n, np.int8),
                                  flow_basis=np.zeros(n, np.int8))
        if curve is not None:
            kw.update(_curve_fields(curve, n, names[0]))
            mode = HydraulicLaw.PUMP_CURVE
        elif flow is not None:
            kw["fixed_flow"], kw["flow_basis"] = flow_values(flow, n, "flow")
            mode = HydraulicLaw.FIXED_FLOW
        elif power is not None:
            kw["power"] = quantities(power, "W", n, "power")
            kw["shutoff_rise"], kw["rise_basis"] = rise_values(
                U.Q_(DEFAULT_SHUTOFF_HEAD, "m") if shutoff_head is None else shutoff_head, n,
                "shutoff_head")
            mode = HydraulicLaw.CONSTANT_POWER
        else:
            kw["fixed_rise"], kw["rise_basis"] = rise_values(head, n, "head")
            mode = HydraulicLaw.FIXED_RISE
        eta = nan if efficiency is None else quantities(efficiency, "", n, "efficiency")
        return cls(names=names, count=quantities(count, "", n, "count"),
                   mode=np.full(n, int(mode), np.int8), speed=quantities(speed, "", n, "speed"),
                   efficiency=eta,
                   motor_efficiency=quantities(motor_efficiency, "", n, "motor_efficiency"),
                   pump_heat=np.full(n, 1.0 if require_bool(heat_to_fluid, "heat_to_fluid",
                                                            "pump") else 0.0), **kw)

    def validate(self) -> None:
        self.validate_update(None)

    def validate_update(self, changed: frozenset | None) -> None:
        """The checks of :meth:`validate`, in its order; after an update, those that
        read a field in ``changed`` (None: all)."""
        nm = self.names
        if touches(changed, "mode"):
            require(one_of(self.mode, _PUMP_LAWS), self.mode, "mode", nm, "",
                    "a pump law (PUMP_CURVE, FIXED_FLOW, FIXED_RISE, CONSTANT_POWER)", "pump")
            if np.any(self.mode != self.mode[0]):        # (np.unique: 4× slower)
                raise InputError(f"pumps {nm[0]!r}…: one call adds pumps of one kind (curve, "
                                 "flow, head or power); add the others in a separate call.")
        # speed 0 is a stopped pump (a trip, a standby unit): a curve pump is then a
        # resistance to flow, a fixed-flow pump passes nothing; a stopped ideal pump of
        # fixed rise or power has no law (a short circuit, or undefined)
        if touches(changed, "speed"):
            require_positive(self.speed, "speed", nm, "", "pump", allow_zero=True)
        if touches(changed, "mode", "speed"):
            ideal = one_of(self.mode, (HydraulicLaw.FIXED_RISE, HydraulicLaw.CONSTANT_POWER))
            require(~ideal | (self.speed > 0), self.speed, "speed", nm, "",
                    "positive for a pump of fixed head or constant power (stopped, it would be "
                    "an ideal short circuit or have no law); to stop a pump, add it with a "
                    "curve= or flow=, or close a valve in its branch", "pump")
        if touches(changed, "efficiency"):
            eta = self.efficiency
            require(np.isnan(eta) | ((eta > 0) & (eta <= 1)), eta, "efficiency", nm, "",
                    "in (0, 1]", "pump")
        if touches(changed, "motor_efficiency"):
            me = self.motor_efficiency
            require((me > 0) & (me <= 1), me, "motor_efficiency", nm, "", "in (0, 1]", "pump")
        if touches(changed, "pump_heat"):
            ph = self.pump_heat
            require((ph == 0) | (ph == 1), ph, "pump_heat", nm, "",
                    "0 or 1 (heat_to_fluid: False or True; a pump cannot remove heat)", "pump")
        mode = self.law
        if mode == HydraulicLaw.PUMP_CURVE:
            if touches(changed, "mode", "a0", "a1", "a2", "q_max"):
                for k in ("a0", "a1", "a2"):
                    v = getattr(self, k)
                    require(np.isfinite(v), v, k, nm, "", "finite (a fitted curve)", "pump")
                require_positive(self.a0, "a0 (shut-off rise)", nm, "", "pump")
                require_positive(self.q_max, "q_max", nm, "m³/s", "pump")
        elif mode == HydraulicLaw.FIXED_FLOW:
            if touches(changed, "mode", "fixed_flow"):
                require(self.fixed_flow > 0, self.fixed_flow, "flow", nm, "(SI)",
                        "positive; reverse the pump's start and end nodes for the other "
                        "direction", "pump")
        elif mode == HydraulicLaw.CONSTANT_POWER:
            if touches(changed, "mode", "power", "shutoff_rise"):
                require(np.isfinite(self.power) & (self.power > 0), self.power, "power", nm,
                        "W", "positive and finite (the hydraulic power Q·Δp; reverse the "
                        "pump's start and end nodes for the other direction)", "pump")
                require(np.isfinite(self.shutoff_rise) & (self.shutoff_rise > 0),
                        self.shutoff_rise, "shutoff_head", nm, "(SI)",
                        "positive and finite (the rise at zero flow)", "pump")
        elif touches(changed, "mode", "fixed_rise"):
            require(np.isfinite(self.fixed_rise) & (self.fixed_rise > 0), self.fixed_rise,
                    "head", nm, "(SI)", "positive and finite; reverse the pump's start and end "
                    "nodes for the other direction", "pump")

    @classmethod
    def _enum_fields(cls):
        return {"mode": HydraulicLaw, "rise_basis": RiseBasis, "flow_basis": FlowBasis}

    @property
    def law(self) -> HydraulicLaw:
        """The law of these pumps (one per call), from the code of the first."""
        code = int(self.mode[0])
        law = _LAWS.get(code)            # (HydraulicLaw(code) costs 1 µs)
        return law if law is not None else HydraulicLaw(code)

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        p = dict(a0=self.a0, a1=self.a1, a2=self.a2, q_max=self.q_max, speed=self.speed,
                 rise_basis=self.rise_basis, fixed_flow=self.fixed_flow,
                 flow_basis=self.flow_basis, fixed_rise=self.fixed_rise, power=self.power,
                 shutoff_rise=self.shutoff_rise, efficiency=self.efficiency, motor_efficiency=self.motor_efficiency,
                 pump_heat=self.pump_heat)
        return (EdgeSide("", EdgeKind.PUMP, self.law, ThermalLaw.PUMP_HEAT, p),)

    def _convert_update(self, key, value, index):
        law = self.law
        m = index.size
        name = self.names[int(index[0])]
        if key == "speed":
            return {"speed": broadcast(U.to_si(value, "", "speed"), m, "speed")}
        if key == "efficiency":
            return {"efficiency": broadcast(U.to_si(value, "", "efficiency"), m, "efficiency")}
        if key in ("power", "shutoff_head"):
            if law != HydraulicLaw.CONSTANT_POWER:
                raise InputError(f"update: pump {name!r} is not a constant-power pump; {key!r} "
                                 "applies to pumps added with power=.")
            if key == "power":
                return {"power": broadcast(U.to_si(value, "W", "power"), m, "power")}
            v, basis = rise_values(value, m, "shutoff_head")
            if np.count_nonzero(basis != self.rise_basis[index]):
                was = RiseBasis(int(self.rise_basis[index][0])).name.lower()
                raise InputError(f"update: pump {name!r} was given a shut-off {was}; give the "
                                 "same kind.")
            return {"shutoff_rise": v}
        if key == "flow":
            if law != HydraulicLaw.FIXED_FLOW:
                raise InputError(f"update: pump {name!r} is not a fixed-flow pump; 'flow' "
                                 "applies to pumps added with flow=.")
            v, basis = flow_values(value, m, "flow")
            if np.count_nonzero(basis != self.flow_basis[index]):
                was = FlowBasis(int(self.flow_basis[index][0])).name.lower()
                raise InputError(f"update: pump {name!r} was given a {was} flow; give the "
                                 "same kind.")
            return {"fixed_flow": v}
        if key == "head":
            if law != HydraulicLaw.FIXED_RISE:
                raise InputError(f"update: pump {name!r} is not a fixed-head pump; 'head' "
                                 "applies to pumps added with head=.")
            v, basis = rise_values(value, m, "head")
            if np.count_nonzero(basis != self.rise_basis[index]):
                was = RiseBasis(int(self.rise_basis[index][0])).name.lower()
                raise InputError(f"update: pump {name!r} was given a {was}; give the same kind.")
            return {"fixed_rise": v}
        # curve
        if law != HydraulicLaw.PUMP_CURVE:
            raise InputError(f"update: pump {name!r} has no curve; 'curve' applies to pumps "
                             "added with curve=.")
        return {k: v for k, v in _curve_fields(value, m, name).items()}


def _curve_fields(curve: Any, n: int, name: str) -> dict[str, np.ndarray]:
    try:
        qpts, hpts = curve
    except (TypeError, ValueError):
        raise InputError(f"pump {name!r}: curve must be a pair (flows, heads), e.g. "
                         "(Q_([0, 100, 200], 'm^3/h'), Q_([30, 25, 12], 'm')).") from None
    qv = np.atleast_1d(U.to_si(qpts, "m^3/s", "curve flows"))
    hq = U.parse(hpts, "curve heads")
    is_p = hq.check("[pressure]")
    hv = np.atleast_1d(U.to_si(hq, "Pa" if is_p else "m", "curve heads"))
    c = fit_quadratic_curve(qv, hv, name=f"pump {name!r}")
    basis = RiseBasis.PRESSURE if is_p else RiseBasis.HEAD
    return dict(a0=np.full(n, c.a0), a1=np.full(n, c.a1), a2=np.full(n, c.a2),
                q_max=np.full(n, c.q_max), rise_basis=np.full(n, int(basis), np.int8))
