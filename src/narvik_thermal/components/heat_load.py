"""Heat loads (a given heat into or out of the fluid) and set-points (an ideal
heater/cooler holding its outlet temperature), each with an optional rated
pressure drop (:func:`narvik_thermal.correlations.cold_plate.power_law_pressure_drop`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from .base import (Component, EdgeSide, as_names, broadcast, quantities, rated_drop, rated_law,
                   rated_params, require, require_positive, temperatures, validate_rated)
from .kinds import EdgeKind, FlowBasis, ThermalLaw

__all__ = ["HeatLoads", "SetPoints"]


@dataclass(frozen=True, eq=False, kw_only=True)
class HeatLoads(Component):
    """Heat loads (struct of arrays, SI).

    Attributes
    ----------
    heat : numpy.ndarray
        Heat into the fluid per unit [W] (negative removes heat).
    dp_rated, flow_rated, rated_basis, dp_exponent : numpy.ndarray
        Optional rated pressure drop (NaN ``dp_rated``: no pressure drop).
    volume : numpy.ndarray
        Fluid volume of one unit [m³] (for transients; 0 by default).
    """

    heat: np.ndarray
    dp_rated: np.ndarray
    flow_rated: np.ndarray
    rated_basis: np.ndarray
    dp_exponent: np.ndarray
    volume: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.HEAT_LOAD
    label: ClassVar[str] = "heat load"
    updatable: ClassVar[dict[str, str]] = {"heat": "heat into the fluid per unit"}

    @classmethod
    def from_quantities(cls, names: Any, *, heat: Any, pressure_drop: Any = None,
                        rated_flow: Any = None, pressure_exponent: Any = 2.0, volume: Any = None,
                        count: Any = 1) -> "HeatLoads":
        """Heat loads from Quantities (see :meth:`narvik_thermal.Network.add_heat_load`)."""
        names = as_names(names)
        n = len(names)
        return cls(names=names, count=quantities(count, "", n, "count"),
                   heat=quantities(heat, "W", n, "heat"),
                   volume=np.zeros(n) if volume is None else quantities(volume, "m^3", n, "volume"),
                   **rated_drop(names, pressure_drop, rated_flow, pressure_exponent,
                                f"heat load {names[0]!r}"))

    def validate(self) -> None:
        require(np.isfinite(self.heat), self.heat, "heat", self.names, "W", "finite",
                "heat load")
        validate_rated(self, "heat load")
        require_positive(self.volume, "volume", self.names, "m³", "heat load", allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        return (EdgeSide("", EdgeKind.HEAT_LOAD, rated_law(self), ThermalLaw.FIXED_HEAT,
                         dict(heat=self.heat, **rated_params(self))),)

    def fluid_volume(self) -> np.ndarray:
        return self.volume[None, :].copy()

    def _convert_update(self, key, value, index):
        return {"heat": broadcast(U.to_si(value, "W", "heat"), index.size, "heat")}


@dataclass(frozen=True, eq=False, kw_only=True)
class SetPoints(Component):
    """Ideal heaters/coolers holding their outlet temperature (struct of arrays, SI).

    Attributes
    ----------
    t_set : numpy.ndarray
        Outlet temperature held [K].
    dp_rated, flow_rated, rated_basis, dp_exponent : numpy.ndarray
        Optional rated pressure drop (NaN ``dp_rated``: no pressure drop).
    volume : numpy.ndarray
        Fluid volume of one unit [m³] (for transients; 0 by default).
    """

    t_set: np.ndarray
    dp_rated: np.ndarray
    flow_rated: np.ndarray
    rated_basis: np.ndarray
    dp_exponent: np.ndarray
    volume: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.SETPOINT
    label: ClassVar[str] = "set-point"
    updatable: ClassVar[dict[str, str]] = {"outlet_temperature": "outlet temperature held"}

    @classmethod
    def from_quantities(cls, names: Any, *, outlet_temperature: Any, pressure_drop: Any = None,
                        rated_flow: Any = None, pressure_exponent: Any = 2.0, volume: Any = None,
                        count: Any = 1) -> "SetPoints":
        """Set-points from Quantities (see :meth:`narvik_thermal.Network.add_setpoint`)."""
        names = as_names(names)
        n = len(names)
        return cls(names=names, count=quantities(count, "", n, "count"),
                   t_set=temperatures(outlet_temperature, n, "outlet_temperature"),
                   volume=np.zeros(n) if volume is None else quantities(volume, "m^3", n, "volume"),
                   **rated_drop(names, pressure_drop, rated_flow, pressure_exponent,
                                f"setpoint {names[0]!r}"))

    def validate(self) -> None:
        require(self.t_set > 0, self.t_set, "outlet_temperature", self.names, "K",
                "an absolute temperature", "set-point")
        validate_rated(self, "set-point")
        require_positive(self.volume, "volume", self.names, "m³", "set-point", allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        return (EdgeSide("", EdgeKind.SETPOINT, rated_law(self), ThermalLaw.SETPOINT,
                         dict(t_set=self.t_set, **rated_params(self))),)

    def fluid_volume(self) -> np.ndarray:
        return self.volume[None, :].copy()

    def _convert_update(self, key, value, index):
        return {"t_set": broadcast(U.to_temperature(value, "outlet_temperature"), index.size,
                                   "outlet_temperature")}
