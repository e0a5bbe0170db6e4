"""Scheduled changes of a transient run: :func:`at`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from .. import units as U
from ..errors import InputError, user_api

__all__ = ["Event", "Ramp", "at", "ramp", "expand"]


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
    t = float(U.to_si(time, "s", "time"))
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
    solve when it changes flows), so a pump run-down is approximated by a speed
    ramp with quasi-steady hydraulics.

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
    t0 = float(U.to_si(start, "s", "start"))
    t1 = float(U.to_si(end, "s", "end"))
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


def expand(events: Sequence[Any], step: float) -> list:
    """Events with every :class:`Ramp` replaced by its per-step events."""
    if isinstance(events, (Event, Ramp)):
        events = [events]
    out: list = []
    for ev in events:
        out.extend(ev.events(step) if isinstance(ev, Ramp) else [ev])
    return out
