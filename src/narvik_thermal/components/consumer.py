"""District-heating consumers (substations) on the primary side.

A substation takes its heat demand from the supply stream; its control valve
sets the primary flow so that the substation holds what it is told to:

- ``delta_t``: the temperature drop, ``ṁ = Q / (c_p ΔT)``, heat ``Q`` always
  delivered (the return is ``T_in − ΔT``);
- ``return_temperature``: the primary return, ``ṁ = Q / (h(T_in) − h(T_ret))``;
  the flow is limited to the flow at ``min_temperature_drop`` (a valve is sized
  for a finite flow): with the supply too close to (or below) the return set-point
  the substation delivers less than its demand, which the solve flags;
- ``mass_flow``: a fixed primary flow, heat ``Q`` delivered (the return follows).

Hydraulically the flow is imposed (the valve throttles whatever differential
pressure the network leaves); a differential below ``min_pressure_difference``
(which the valve needs to pass that flow) is flagged, as is a negative one —
the network would have to pump through the substation
(:func:`narvik_thermal.components.thermal.consumer_flows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, flow_values, one_of, quantities,
                   require, require_positive, temperatures, touches)
from .kinds import ConsumerControl, EdgeKind, FlowBasis, HydraulicLaw, ThermalLaw

__all__ = ["Consumers", "DEFAULT_MIN_PRESSURE_DIFFERENCE", "DEFAULT_MIN_TEMPERATURE_DROP"]

#: Differential pressure a substation's control valve needs at its flow [Pa]
#: (0.3 bar left over the critical regulator) [GEK].
DEFAULT_MIN_PRESSURE_DIFFERENCE = 0.3e5
#: Smallest primary temperature drop a return-temperature-controlled substation's
#: valve is sized for [K] (caps its flow at Q / (c_p · 5 K)) [GEK].
DEFAULT_MIN_TEMPERATURE_DROP = 5.0

#: the control of each code
_CONTROLS = {int(m): m for m in ConsumerControl}


@dataclass(frozen=True, eq=False, kw_only=True)
class Consumers(Component):
    """District-heating substations (struct of arrays, SI).

    Attributes
    ----------
    heat : numpy.ndarray
        Heat demand per unit [W] (≥ 0), taken out of the primary stream.
    control : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.ConsumerControl` (one per call).
    delta_t : numpy.ndarray
        Temperature drop held [K] (``DELTA_T``; NaN otherwise).
    return_temperature : numpy.ndarray
        Primary return held [K] (``RETURN_TEMPERATURE``; NaN otherwise).
    mass_flow : numpy.ndarray
        Primary flow per unit [kg/s or m³/s, see ``flow_basis``] (``MASS_FLOW``; NaN otherwise).
    flow_basis : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.FlowBasis` of ``mass_flow``.
    min_temperature_drop : numpy.ndarray
        ``RETURN_TEMPERATURE``: the flow is capped at ``Q / (c_p ΔT_min)`` [K].
    min_pressure_difference : numpy.ndarray
        Differential pressure the control valve needs [Pa].
    volume : numpy.ndarray
        Primary fluid volume of one unit [m³] (for transients; 0 by default).
    """

    heat: np.ndarray
    control: np.ndarray
    delta_t: np.ndarray
    return_temperature: np.ndarray
    mass_flow: np.ndarray
    flow_basis: np.ndarray
    min_temperature_drop: np.ndarray
    min_pressure_difference: np.ndarray
    volume: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.CONSUMER
    label: ClassVar[str] = "consumer"
    updatable: ClassVar[dict[str, str]] = {
        "heat": "heat demand per unit",
        "delta_t": "temperature drop held (delta_t consumers)",
        "return_temperature": "primary return held (return_temperature consumers)",
        "mass_flow": "primary flow (mass_flow consumers, same kind as when added)"}

    @classmethod
    def from_quantities(cls, names: Any, *, heat: Any, delta_t: Any = None,
                        return_temperature: Any = None, mass_flow: Any = None,
                        min_pressure_difference: Any = None, min_temperature_drop: Any = None,
                        volume: Any = None, count: Any = 1) -> "Consumers":
        """Consumers from Quantities (see :meth:`narvik_thermal.Network.add_consumer`)."""
        names = as_names(names)
        n = len(names)
        given = [x is not None for x in (delta_t, return_temperature, mass_flow)]
        if sum(given) != 1:
            raise InputError(f"consumer {names[0]!r}: give exactly one of delta_t=, "
                             f"return_temperature= or mass_flow= (got {sum(given)}).")
        nan = np.full(n, np.nan)
        dt, tr, mf, basis = nan, nan, nan, np.full(n, int(FlowBasis.MASS), np.int8)
        if delta_t is not None:
            ctrl = ConsumerControl.DELTA_T
            dt = broadcast(U.to_temperature_difference(delta_t, "delta_t"), n, "delta_t")
        elif return_temperature is not None:
            ctrl = ConsumerControl.RETURN_TEMPERATURE
            tr = temperatures(return_temperature, n, "return_temperature")
        else:
            ctrl = ConsumerControl.MASS_FLOW
            mf, basis = flow_values(mass_flow, n, "mass_flow")
        return cls(
            names=names, count=quantities(count, "", n, "count"),
            heat=quantities(heat, "W", n, "heat"), control=np.full(n, int(ctrl), np.int8),
            delta_t=dt, return_temperature=tr, mass_flow=mf, flow_basis=basis,
            min_temperature_drop=(np.full(n, DEFAULT_MIN_TEMPERATURE_DROP)
                                  if min_temperature_drop is None else broadcast(
                                      U.to_temperature_difference(min_temperature_drop,
                                                                  "min_temperature_drop"),
                                      n, "min_temperature_drop")),
            min_pressure_difference=(np.full(n, DEFAULT_MIN_PRESSURE_DIFFERENCE)
                                     if min_pressure_difference is None else quantities(
                                         min_pressure_difference, "Pa", n,
                                         "min_pressure_difference")),
            volume=np.zeros(n) if volume is None else quantities(volume, "m^3", n, "volume"))

    def validate(self) -> None:
        self.validate_update(None)

    def validate_update(self, changed: frozenset | None) -> None:
        """The checks of :meth:`validate`, in its order; after an update, those that
        read a field in ``changed`` (None: all)."""
        nm, w = self.names, "consumer"
        if touches(changed, "heat"):
            require_positive(self.heat, "heat", nm, "W", w, allow_zero=True)
        if touches(changed, "control"):
            require(one_of(self.control, ConsumerControl), self.control,
                    "control", nm, "", "a ConsumerControl code", w)
            if np.any(self.control != self.control[0]):
                raise InputError(f"consumers {nm[0]!r}…: one call adds consumers of one "
                                 "control (delta_t, return_temperature or mass_flow).")
        ctrl = self.mode
        if ctrl == ConsumerControl.DELTA_T:
            if touches(changed, "control", "delta_t"):
                require_positive(self.delta_t, "delta_t", nm, "K", w)
        elif ctrl == ConsumerControl.RETURN_TEMPERATURE:
            if touches(changed, "control", "return_temperature"):
                require(self.return_temperature > 0, self.return_temperature,
                        "return_temperature", nm, "K", "an absolute temperature", w)
        elif touches(changed, "control", "mass_flow"):
            require_positive(self.mass_flow, "mass_flow", nm, "(SI)", w)
        if touches(changed, "min_temperature_drop"):
            require_positive(self.min_temperature_drop, "min_temperature_drop", nm, "K", w)
        if touches(changed, "min_pressure_difference"):
            require_positive(self.min_pressure_difference, "min_pressure_difference", nm, "Pa",
                             w, allow_zero=True)
        if touches(changed, "volume"):
            require_positive(self.volume, "volume", nm, "m³", w, allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"control": ConsumerControl, "flow_basis": FlowBasis}

    @property
    def mode(self) -> ConsumerControl:
        """What these consumers hold (one per call), from the code of the first."""
        code = int(self.control[0])
        mode = _CONTROLS.get(code)       # (ConsumerControl(code) costs 1 µs)
        return mode if mode is not None else ConsumerControl(code)

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        p = dict(heat=-self.heat, demand=self.heat, control=self.control, delta_t=self.delta_t,
                 return_temperature=self.return_temperature, mass_flow=self.mass_flow,
                 flow_basis=self.flow_basis, min_temperature_drop=self.min_temperature_drop,
                 min_pressure_difference=self.min_pressure_difference,
                 t_set=self.return_temperature)
        tlaw = (ThermalLaw.SETPOINT if self.mode == ConsumerControl.RETURN_TEMPERATURE
                else ThermalLaw.FIXED_HEAT)
        return (EdgeSide("", EdgeKind.CONSUMER, HydraulicLaw.CONSUMER, tlaw, p),)

    def fluid_volume(self) -> np.ndarray:
        return self.volume[None, :].copy()

    def _convert_update(self, key, value, index):
        m = index.size
        name = self.names[int(index[0])]
        need = {"delta_t": ConsumerControl.DELTA_T,
                "return_temperature": ConsumerControl.RETURN_TEMPERATURE,
                "mass_flow": ConsumerControl.MASS_FLOW}.get(key)
        if need is not None and self.mode != need:
            raise InputError(f"update: consumer {name!r} holds its "
                             f"{self.mode.name.lower()}; {key!r} applies to consumers added "
                             f"with {key}=.")
        if key == "heat":
            return {"heat": broadcast(U.to_si(value, "W", "heat"), m, "heat")}
        if key == "delta_t":
            return {"delta_t": broadcast(U.to_temperature_difference(value, "delta_t"), m,
                                         "delta_t")}
        if key == "return_temperature":
            return {"return_temperature": broadcast(U.to_temperature(value, key), m, key)}
        v, basis = flow_values(value, m, "mass_flow")
        if np.any(basis != self.flow_basis[index]):
            raise InputError(f"update: consumer {name!r} was given a "
                             f"{FlowBasis(int(self.flow_basis[index][0])).name.lower()} flow; "
                             "give the same kind.")
        return {"mass_flow": v}
