"""Scheduled changes of a transient run: :func:`at`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import units as U
from ..errors import InputError, user_api

__all__ = ["Event", "at"]


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
