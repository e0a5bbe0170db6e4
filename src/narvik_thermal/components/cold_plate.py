"""GPU/CPU cold plates: heat into the coolant, a rated pressure drop, chip temperature.

Pressure drop: the rated-point power law
(:func:`narvik_thermal.correlations.cold_plate.power_law_pressure_drop`).
Chip (case) temperature: coolant temperature at the plate inlet + heat × R(V)
(the datasheet convention), with a
conduction part and a convective part that falls with flow
(:func:`narvik_thermal.correlations.cold_plate.thermal_resistance_flow`,
:func:`~narvik_thermal.correlations.cold_plate.chip_temperature`).

The defaults below are the one set used by ``Network.add_cold_plate`` and the
plant builders (:mod:`narvik_thermal.plant.defaults` cites them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from .base import (Component, EdgeSide, as_names, broadcast, flow_values, quantities, require,
                   require_positive, temperatures)
from .kinds import EdgeKind, FlowBasis, HydraulicLaw, ThermalLaw

__all__ = ["ColdPlates", "DEFAULT_PRESSURE_EXPONENT", "DEFAULT_CONVECTIVE_FRACTION",
           "DEFAULT_RESISTANCE_EXPONENT", "DEFAULT_VOLUME", "DEFAULT_METAL_HEAT_CAPACITY"]

#: n in Δp ∝ Vⁿ: 1.75–2 for turbulent or minor-loss dominated passages (quick
#: disconnects, manifolds), 1–1.75 for laminar micro-channels [GEK].
DEFAULT_PRESSURE_EXPONENT = 1.8
#: Share of the rated resistance that is convective and falls with flow [-] [GEK].
DEFAULT_CONVECTIVE_FRACTION = 0.5
#: Exponent of the convective part, R_conv ∝ V^-n: 0.5 laminar developing flow,
#: 0.8 turbulent (Dittus–Boelter) [-] [GEK].
DEFAULT_RESISTANCE_EXPONENT = 0.6
#: Coolant volume of one GPU cold plate with its tubing [m³] (40 mL) [GEK].
DEFAULT_VOLUME = 40e-6
#: Heat capacity of a copper cold plate of about 0.3 kg (c = 385 J/(kg K)) [J/K] [GEK].
DEFAULT_METAL_HEAT_CAPACITY = 0.3 * 385.0


@dataclass(frozen=True, eq=False, kw_only=True)
class ColdPlates(Component):
    """Cold plates (struct of arrays, SI).

    Attributes
    ----------
    heat : numpy.ndarray
        Heat from the chip into the coolant per plate [W] (≥ 0).
    r_cond, r_conv : numpy.ndarray
        Conduction and convective (flow-dependent) parts of the case-to-inlet
        resistance at the rated flow [K/W].
    r_exponent : numpy.ndarray
        Exponent of the convective part, R_conv ∝ V^-n [-].
    dp_rated, flow_rated, rated_basis, dp_exponent : numpy.ndarray
        Rated pressure drop [Pa] at the rated flow [kg/s or m³/s, see
        ``rated_basis``], Δp ∝ Vⁿ with n = ``dp_exponent`` [-].
    t_chip_max : numpy.ndarray
        Chip limit [K] (inf: none).
    volume : numpy.ndarray
        Coolant volume of one plate [m³].
    metal_capacity : numpy.ndarray
        Heat capacity of one plate's metal [J/K].
    """

    heat: np.ndarray
    r_cond: np.ndarray
    r_conv: np.ndarray
    r_exponent: np.ndarray
    dp_rated: np.ndarray
    flow_rated: np.ndarray
    rated_basis: np.ndarray
    dp_exponent: np.ndarray
    t_chip_max: np.ndarray
    volume: np.ndarray
    metal_capacity: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.COLD_PLATE
    label: ClassVar[str] = "cold plate"
    updatable: ClassVar[dict[str, str]] = {
        "heat": "heat into the coolant per plate",
        "max_chip_temperature": "chip limit"}

    @classmethod
    def from_quantities(cls, names: Any, *, heat: Any, thermal_resistance: Any,
                        rated_flow: Any, rated_pressure_drop: Any,
                        pressure_exponent: Any = DEFAULT_PRESSURE_EXPONENT,
                        convective_fraction: Any = DEFAULT_CONVECTIVE_FRACTION,
                        resistance_exponent: Any = DEFAULT_RESISTANCE_EXPONENT,
                        max_chip_temperature: Any = None, volume: Any = None,
                        metal_heat_capacity: Any = None, count: Any = 1) -> "ColdPlates":
        """Cold plates from Quantities (see :meth:`narvik_thermal.Network.add_cold_plates`)."""
        names = as_names(names)
        n = len(names)
        R = quantities(thermal_resistance, "K/W", n, "thermal_resistance")
        require_positive(R, "thermal_resistance", names, "K/W", "cold plate")
        cf = quantities(convective_fraction, "", n, "convective_fraction")
        require((cf >= 0) & (cf <= 1), cf, "convective_fraction", names, "", "in [0, 1]",
                "cold plate")
        fr, basis = flow_values(rated_flow, n, "rated_flow")
        return cls(
            names=names, count=quantities(count, "", n, "count"),
            heat=quantities(heat, "W", n, "heat"), r_cond=R * (1 - cf), r_conv=R * cf,
            r_exponent=quantities(resistance_exponent, "", n, "resistance_exponent"),
            dp_rated=quantities(rated_pressure_drop, "Pa", n, "rated_pressure_drop"),
            flow_rated=fr, rated_basis=basis,
            dp_exponent=quantities(pressure_exponent, "", n, "pressure_exponent"),
            t_chip_max=(np.full(n, np.inf) if max_chip_temperature is None
                        else temperatures(max_chip_temperature, n, "max_chip_temperature")),
            volume=(np.full(n, DEFAULT_VOLUME) if volume is None
                    else quantities(volume, "m^3", n, "volume")),
            metal_capacity=(np.full(n, DEFAULT_METAL_HEAT_CAPACITY) if metal_heat_capacity is None
                            else quantities(metal_heat_capacity, "J/K", n, "metal_heat_capacity")))

    def validate(self) -> None:
        nm, w = self.names, "cold plate"
        require_positive(self.heat, "heat", nm, "W", w, allow_zero=True)
        require_positive(self.r_cond, "thermal_resistance (conduction part)", nm, "K/W", w,
                         allow_zero=True)
        require_positive(self.r_conv, "thermal_resistance (convective part)", nm, "K/W", w,
                         allow_zero=True)
        require(self.r_cond + self.r_conv > 0, self.r_cond + self.r_conv, "thermal_resistance",
                nm, "K/W", "positive", w)
        require_positive(self.r_exponent, "resistance_exponent", nm, "", w, allow_zero=True)
        require_positive(self.dp_rated, "rated_pressure_drop", nm, "Pa", w)
        require_positive(self.flow_rated, "rated_flow", nm, "(SI)", w)
        require((self.dp_exponent >= 1) & (self.dp_exponent <= 2.5), self.dp_exponent,
                "pressure_exponent", nm, "", "in [1, 2.5]", w)
        require(self.t_chip_max > 0, self.t_chip_max, "max_chip_temperature", nm, "K",
                "an absolute temperature", w)
        require_positive(self.volume, "volume", nm, "m³", w, allow_zero=True)
        require_positive(self.metal_capacity, "metal_heat_capacity", nm, "J/K", w,
                         allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        p = dict(heat=self.heat, dp_rated=self.dp_rated, flow_rated=self.flow_rated,
                 rated_basis=self.rated_basis, dp_exponent=self.dp_exponent,
                 r_cond=self.r_cond, r_conv=self.r_conv, r_exponent=self.r_exponent,
                 t_chip_max=self.t_chip_max)
        return (EdgeSide("", EdgeKind.COLD_PLATE, HydraulicLaw.POWER_LAW, ThermalLaw.FIXED_HEAT,
                         p),)

    def fluid_volume(self) -> np.ndarray:
        return self.volume[None, :].copy()

    def metal_heat_capacity(self) -> np.ndarray:
        return self.metal_capacity[None, :].copy()

    def _convert_update(self, key, value, index):
        if key == "heat":
            return {"heat": broadcast(U.to_si(value, "W", "heat"), index.size, "heat")}
        return {"t_chip_max": broadcast(U.to_temperature(value, "max_chip_temperature"),
                                        index.size, "max_chip_temperature")}
