"""Scheduled changes of a transient run: :func:`at`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..errors import InputError, user_api
from ..units import Q_

__all__ = ["Event", "Ramp", "Trip", "at", "ramp", "trip", "run_down_time_constant", "expand"]


@dataclass(frozen=True)
class Event:
    """A change of the network at a time of a run.

    Attributes
    ----------
    time : float
        When [s] from the start of the run.
    name : str
        An edge (or heat-exchanger / heat-pump) name: the change is
        ``Network.update(name, **changes)``; or a node with a boundary:
        ``Network.update_boundary(name, **changes)``.
    changes : dict
        The keyword arguments of that call.
    """

    time: float
    name: str
    changes: dict = field(default_factory=dict)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.changes.items())
        return f"at({self.time:g} s, {self.name!r}, {args})"


def _event_time(value: Any, name: str, what: str) -> float:
    """A time of a run [s] from a Quantity: finite and not before the start (0 s)."""
    t = float(U.to_si(value, "s", name))
    if not (math.isfinite(t) and t >= 0.0):
        raise InputError(f"{what}: {name}={value} must be a finite time from the start of the "
                         f"run, 0 s or later, e.g. Q_(60, 's').")
    return t


@user_api
def at(time: Any, name: str, **changes: Any) -> Event:
    """Schedule a change of the network at ``time`` of a run.

    Parameters
    ----------
    time : Quantity
        Time from the start of the run [time].
    name : str
        Edge, heat-exchanger or heat-pump name (the change is
        :meth:`narvik_thermal.Network.update`), or a node with a boundary
        (:meth:`narvik_thermal.Network.update_boundary`).
    **changes :
        The keyword arguments of that call, e.g. ``speed=0.0`` (a pump trip),
        ``heat=Q_(2, "kW")``, ``opening=0.5``, ``temperature=Q_(30, "degC")``.

    Returns
    -------
    Event

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> nt.transient.at(nt.Q_(60, "s"), "pump", speed=0.0).time
    60.0
    """
    t = _event_time(time, "time", "at")
    if not isinstance(name, str) or not name:
        raise InputError(f"at: name={name!r} must be an edge or node name (a non-empty string).")
    if not changes:
        raise InputError(f"at({t:g} s, {name!r}): no change given; give the keyword arguments "
                         "of Network.update (e.g. speed=0.0) or Network.update_boundary "
                         "(e.g. temperature=Q_(30, 'degC')).")
    return Event(t, name, dict(changes))


@dataclass(frozen=True)
class Ramp:
    """A linear change of the network between two times of a run, as one event per step.

    Attributes
    ----------
    start, end : float
        When the ramp starts and ends [s].
    name : str
        Edge, heat-exchanger, heat-pump or boundary-node name (as for :class:`Event`).
    changes : dict
        Keyword → ``(from, to)``: numbers or Quantities of one dimension.
    """

    start: float
    end: float
    name: str
    changes: dict = field(default_factory=dict)

    def describe(self) -> str:
        args = ", ".join(f"{k}={a!r}→{b!r}" for k, (a, b) in self.changes.items())
        return f"ramp({self.start:g}–{self.end:g} s, {self.name!r}, {args})"

    def events(self, step: float) -> list[Event]:
        """One :class:`Event` at each step from ``start`` to ``end`` (both included),
        the values interpolated linearly."""
        n = max(1, math.ceil((self.end - self.start) / step - 1e-9))
        out = []
        for k in range(n + 1):
            f = k / n
            try:
                vals = {key: a + (b - a) * f for key, (a, b) in self.changes.items()}
            except Exception as exc:        # strings, curves, mixed units
                raise InputError(f"{self.describe()}: the values cannot be interpolated "
                                 f"({exc}); a ramp takes numbers or Quantities of one "
                                 "dimension, e.g. speed=(1.0, 0.0) or heat=(Q_(1, 'kW'), "
                                 "Q_(2, 'kW')).") from None
            out.append(Event(self.start + (self.end - self.start) * f, self.name, vals))
        return out


@user_api
def ramp(start: Any, end: Any, name: str, **changes: Any) -> Ramp:
    """Change the network linearly from ``start`` to ``end`` of a run.

    The ramp becomes one :func:`at` event per step (each followed by a hydraulic
    solve when it changes flows); a pump run-down with inertia is :func:`trip`.

    Parameters
    ----------
    start, end : Quantity
        Times from the start of the run [time], ``start < end``.
    name : str
        As for :func:`at`.
    **changes : (value, value)
        Keyword arguments of ``Network.update`` / ``Network.update_boundary``, each
        a pair (at ``start``, at ``end``) of numbers or Quantities.

    Returns
    -------
    Ramp

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> r = nt.transient.ramp(nt.Q_(60, "s"), nt.Q_(70, "s"), "pump", speed=(1.0, 0.0))
    >>> len(r.events(1.0))
    11
    """
    t0 = _event_time(start, "start", "ramp")
    t1 = _event_time(end, "end", "ramp")
    if not t1 > t0:
        raise InputError(f"ramp: end={end} must be later than start={start}; for a step "
                         "change use nt.transient.at.")
    if not isinstance(name, str) or not name:
        raise InputError(f"ramp: name={name!r} must be an edge or node name (a non-empty "
                         "string).")
    if not changes:
        raise InputError(f"ramp({name!r}): no change given; give keyword=(from, to) pairs, "
                         "e.g. speed=(1.0, 0.0).")
    for key, v in changes.items():
        if not (isinstance(v, tuple) and len(v) == 2):
            raise InputError(f"ramp({name!r}): {key}={v!r} must be a pair (value at start, "
                             f"value at end), e.g. {key}=(1.0, 0.0).")
    return Ramp(t0, t1, name, dict(changes))


@dataclass(frozen=True)
class Trip:
    """A pump trip with a run-down: one speed event per step (see :func:`trip`).

    Attributes
    ----------
    time : float
        When the pump loses its drive [s].
    name : str
        Pump name.
    run_down : float
        Run-down time constant τ [s]; 0: an instant stop.
    speed : float
        Speed ratio at the trip.
    stop_below : float
        Fraction of ``speed`` under which the rotor is taken as stopped.
    """

    time: float
    name: str
    run_down: float
    speed: float = 1.0
    stop_below: float = 0.01

    def describe(self) -> str:
        return (f"trip({self.time:g} s, {self.name!r}, run_down={self.run_down:g} s, "
                f"speed={self.speed:g})")

    def speed_at(self, t: Any) -> Any:
        """Speed ratio ``t`` seconds after the trip: ``speed / (1 + t/τ)``, 0 once
        below ``stop_below`` of the trip's speed."""
        t = np.asarray(t, dtype=float)
        if self.run_down == 0:
            return np.where(t >= 0, 0.0, self.speed)
        s = self.speed / (1.0 + np.maximum(t, 0.0) / self.run_down)
        return np.where(s < self.stop_below * self.speed, 0.0, s)

    def events(self, step: float, until: float = math.inf) -> list[Event]:
        """One speed :class:`Event` per step from the trip until the rotor stops (the
        speed over each step is the law's at the step's start), none at or after
        ``until``."""
        out = []
        j = 0
        while True:
            t = self.time + j * step
            if t >= until - 1e-9 * max(1.0, until):
                break
            s = float(self.speed_at(j * step))
            out.append(Event(t, self.name, {"speed": s}))
            if s == 0.0:
                break
            j += 1
        return out


@user_api
def trip(time: Any, pump: str, *, run_down: Any = None, speed: float = 1.0,
         stop_below: float = 0.01) -> Trip | Event:
    r"""A pump trip at ``time``: an instant stop, or a run-down with the rotor's inertia.

    The rigid rotor (motor, coupling, impeller and the water in it, moment of
    inertia :math:`J`) loses its drive torque at the trip; the load torque of a
    centrifugal pump follows the affinity laws, :math:`T = T_0(\omega/\omega_0)^2`, so
    :math:`J\dot\omega = -T_0 \omega^2/\omega_0^2`, whose solution is

    .. math::

       \omega(t) = \frac{\omega_0}{1 + t/\tau}, \qquad
       \tau = \frac{J\omega_0}{T_0} = \frac{J\omega_0^2}{P_0},

    :math:`P_0` the shaft power at the trip (:func:`run_down_time_constant`).
    Friction torque independent of speed, neglected here, stops the rotor in a
    finite time; the run-down is cut to zero below ``stop_below`` of the trip's
    speed. The pump's speed ratio follows this law step by step, with the
    hydraulics solved quasi-steadily at every step (the pump and its circuit in
    equilibrium at each speed: the water's own inertia is not modelled). Source:
    the pump coast-down of rigid-rotor dynamics, e.g. Thorley, *Fluid Transients
    in Pipeline Systems*, 2nd ed., Professional Engineering Publishing 2004, §5
    (pump run-down), where the torque is taken ∝ ω² (the affinity laws, Gülich,
    *Centrifugal Pumps*, 3rd ed., Springer 2014, §3.4).

    Parameters
    ----------
    time : Quantity
        Time of the trip [time].
    pump : str
        Pump name (any pump kind: its ``speed`` is updated).
    run_down : Quantity, optional
        Time constant τ [time]; ``None`` (or 0 s): an instant stop (``at(time, pump,
        speed=0.0)``).
    speed : float, optional
        The pump's speed ratio at the trip (1 by default).
    stop_below : float, optional
        Fraction of ``speed`` under which the rotor is stopped (0.01).

    Returns
    -------
    Trip or Event

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> tr = nt.transient.trip(nt.Q_(10, "s"), "pump", run_down=nt.Q_(4, "s"))
    >>> float(tr.speed_at(4.0))
    0.5
    """
    t = _event_time(time, "time", "trip")
    if not isinstance(pump, str) or not pump:
        raise InputError(f"trip: pump={pump!r} must be a pump name (a non-empty string).")
    tau = 0.0 if run_down is None else float(U.to_si(run_down, "s", "run_down"))
    if not (math.isfinite(tau) and tau >= 0):
        raise InputError(f"trip: run_down={run_down} must be a finite time ≥ 0, e.g. "
                         "Q_(5, 's'), or None for an instant stop.")
    try:
        s0 = float(speed)
    except (TypeError, ValueError):
        s0 = float("nan")
    if not (math.isfinite(s0) and s0 > 0):
        raise InputError(f"trip: speed={speed!r} must be the positive speed ratio at the trip "
                         "(e.g. 1.0).")
    if not (0 < stop_below < 1):
        raise InputError(f"trip: stop_below={stop_below!r} must be a fraction in (0, 1), "
                         "e.g. 0.01.")
    if tau == 0.0:
        return Event(t, pump, {"speed": 0.0})
    return Trip(t, pump, tau, s0, float(stop_below))


@user_api
def run_down_time_constant(inertia: Any, rotational_speed: Any, shaft_power: Any):
    r"""τ = J ω₀² / P₀ of a pump's run-down (see :func:`trip`).

    Parameters
    ----------
    inertia : Quantity
        Moment of inertia of the rotor (motor, coupling, impeller, entrained water)
        [mass·length²].
    rotational_speed : Quantity
        Speed at the trip in revolutions or radians per time, e.g. ``Q_(2900, "rpm")``
        (a bare frequency, Hz or 1/s, is refused: pint reads it as rad/s).
    shaft_power : Quantity
        Shaft power at the trip [power] (``result.pump_power(pump, "shaft")``).

    Returns
    -------
    Quantity
        τ [s].

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> tau = nt.transient.run_down_time_constant(nt.Q_(0.5, "kg*m^2"),
    ...                                            nt.Q_(3000, "rpm"), nt.Q_(5, "kW"))
    >>> round(tau.m, 2)
    9.87
    """
    J = float(U.to_si(inertia, "kg*m^2", "inertia"))
    q = U.parse(rotational_speed, "rotational_speed")
    if not any(t in str(q.units) for t in ("revolution", "radian", "turn", "cycle", "degree")):
        # pint reads Hz and 1/s as radians per second (a radian is 1): 2900 rpm given as
        # 48.3 Hz came out 2π² ≈ 39.5 times too small
        raise InputError(f"run_down_time_constant: rotational_speed={rotational_speed} is a "
                         "bare frequency; give revolutions or radians per time, e.g. "
                         "Q_(2900, 'rpm'), Q_(48.3, 'revolution/s') or Q_(304, 'rad/s').")
    w = float(U.to_si(q, "rad/s", "rotational_speed"))
    P = float(U.to_si(shaft_power, "W", "shaft_power"))
    if not (J > 0 and w > 0 and P > 0 and math.isfinite(J * w * P)):
        raise InputError(f"run_down_time_constant: inertia={inertia}, rotational_speed="
                         f"{rotational_speed} and shaft_power={shaft_power} must be positive "
                         "and finite.")
    return Q_(J * w * w / P, "s")


def expand(events: Sequence[Any], step: float, until: float = math.inf) -> list:
    """Events with every :class:`Ramp` and :class:`Trip` replaced by its per-step
    events (a run-down's events at or after ``until``, the run's end, dropped)."""
    if events is None:
        events = []                         # no events: the steady state held
    if isinstance(events, (Event, Ramp, Trip)):
        events = [events]
    if not isinstance(events, (list, tuple)):
        raise InputError(f"simulate: events={events!r} must be a list of events made by "
                         "nt.transient.at(...), ramp(...) or trip(...), or one event.")
    out: list = []
    for ev in events:
        if isinstance(ev, Ramp):
            out.extend(ev.events(step))
        elif isinstance(ev, Trip):
            out.extend(ev.events(step, until) if ev.time < until else [Event(ev.time, ev.name,
                                                                              {"speed": 0.0})])
        else:
            out.append(ev)
    return out
