"""Set-point control of heat-rejection fans, shared by the dry cooler and the cooling tower.

Private module; :class:`ControlStatus` and :class:`FanControl` are re-exported
by :mod:`.dry_cooler` and :mod:`.cooling_tower`.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

import numpy as np

from ._roots import bracketed_root

__all__ = ["ControlStatus", "FanControl", "control_to_setpoint", "average_state", "status_out"]


class ControlStatus(enum.IntEnum):
    """Outcome of a set-point search (dry cooler or cooling-tower fans).

    Attributes
    ----------
    ON_SETPOINT
        The fans run at a speed between the minimum and full speed that
        holds the water-outlet set-point.
    AT_MAX
        Full speed is not enough: the water leaves above the set-point.
    CYCLING
        Even the minimum speed overcools the water: the fans cycle between
        off and minimum speed; time-averaged values are returned.
    OFF
        The water enters at or below the set-point: fans off, no heat rejected.
    """

    ON_SETPOINT = 0
    AT_MAX = 1
    CYCLING = 2
    OFF = 3


class FanControl(NamedTuple):
    """Result of a set-point search: :func:`dry_cooler_fan_speed` (and the cooling tower's).

    Attributes
    ----------
    speed : float or numpy.ndarray
        Fan speed while running [-] (0 when off).
    on_fraction : float or numpy.ndarray
        Fraction of the time the fans run [-]: 1 unless ``status`` is
        CYCLING (between 0 and 1) or OFF (0).
    status : ControlStatus or numpy.ndarray of int
        :class:`ControlStatus` of each point.
    state : NamedTuple
        Time-averaged operating state (:class:`DryCoolerState` or the
        cooling tower's state): when cycling, flows of heat, water and power
        are ``on_fraction`` times those at minimum speed and the water leaves
        at the set-point on average.
    """

    speed: Any
    on_fraction: Any
    status: Any
    state: Any


def control_to_setpoint(T_in, T_set, s_min, outlet, xtol: float = 1e-7):
    """Fan speed in [s_min, 1] at which ``outlet(speed)`` equals ``T_set`` (vectorised).

    Shared by the dry cooler and the cooling tower: ``outlet`` maps an array
    of speeds to outlet temperatures (decreasing in speed). Returns
    ``(speed, on_fraction, status)`` arrays; the caller evaluates the state.
    """
    T_in, T_set, s_min = np.broadcast_arrays(T_in, T_set, s_min)
    off = T_in <= T_set
    T_full = outlet(np.ones(T_in.shape))
    at_max = ~off & (T_full > T_set)
    # the minimum speed's outlet decides only points neither off nor short at full speed
    # (cycling, or a speed between): where there are none (a hot day, every fan at full
    # speed) it is not made, and T_in in its place is read nowhere below
    T_low = (outlet(np.asarray(s_min, dtype=float)) if not (off | at_max).all()
             else T_in)
    cycling = ~off & ~at_max & (T_low <= T_set)
    mid = ~(off | at_max | cycling)
    speed = np.where(at_max, 1.0, np.where(cycling, s_min, np.where(off, 0.0, s_min)))
    if np.any(mid):
        lo = np.where(mid, s_min, 0.0)
        root = bracketed_root(lambda s: outlet(s) - T_set, lo, np.ones(T_in.shape), xtol=xtol)
        speed = np.where(mid, root, speed)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(cycling, (T_in - T_set) / np.where(cycling, T_in - T_low, 1.0), 1.0)
    frac = np.where(off, 0.0, np.clip(frac, 0.0, 1.0))
    status = np.select([off, at_max, cycling], [ControlStatus.OFF, ControlStatus.AT_MAX,
                                                ControlStatus.CYCLING], ControlStatus.ON_SETPOINT)
    return speed, frac, status.astype(np.int64)


def average_state(state_on, fraction, T_in, cls, keep=()):
    """Time average of a state over on/off cycling.

    Flows (heat, power, water) scale with ``fraction``; ``T_water_out`` is
    the flow-weighted mix of the cooled water and the untouched inlet; fields
    named in ``keep`` or starting with ``T_`` (states of the air, UA…) keep
    their running value.
    """
    vals = {}
    for name, v in zip(state_on._fields, state_on):
        v = np.asarray(v, dtype=float)
        if name == "T_water_out":
            vals[name] = T_in + fraction * (v - T_in)
        elif name.startswith("T_") or name in keep:
            vals[name] = v
        else:
            vals[name] = fraction * v
    return cls(**vals)


def status_out(status: np.ndarray) -> Any:
    """A :class:`ControlStatus` for a 0-d status array, the int array otherwise."""
    status = np.asarray(status)
    return ControlStatus(int(status)) if status.ndim == 0 else status
