"""Cold plates: one chip's heat, thermal resistance, rated flow and pressure drop.

The first link of the cooling chain cold plate → rack (:mod:`.rack`) → CDU
(:mod:`.cdu`) → campus (:mod:`.campus`) → fjord (:mod:`.fjord`):

- :class:`ColdPlate` — the parameters the network's cold-plate component
  takes (:meth:`ColdPlate.network_kwargs`);
- :func:`gpu_cold_plate`, :func:`cpu_cold_plate`, :func:`switch_cold_plate` —
  GB300-class defaults (B300 1.4 kW, R12–R14; 0.025 K/W chip→coolant inlet,
  the datasheet convention, R22–R24; 20 kPa at rated flow, R22).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import units as U
from ..components.cold_plate import ColdPlates
from ..errors import InputError, user_api
from . import defaults as D

__all__ = ["ColdPlate", "gpu_cold_plate", "cpu_cold_plate", "switch_cold_plate"]


@user_api
@dataclass(frozen=True)
class ColdPlate:
    """One chip's cold plate: heat, thermal resistance, rated flow and pressure drop.

    Attributes
    ----------
    heat : Quantity
        Heat from the chip into the coolant [W].
    thermal_resistance : Quantity or (Quantity, Quantity)
        Chip→coolant-inlet resistance at the rated flow [K/W] (R22–R24; a
        datasheet value, referred to the coolant entering the plate), or the
        datasheet curve ``(flows, resistances)`` (see
        :meth:`narvik_thermal.Network.add_cold_plates`).
    rated_flow : Quantity
        Flow at which resistance and pressure drop are rated [L/min].
    rated_pressure_drop : Quantity
        Pressure drop at the rated flow [kPa] (≤ 20 kPa, R22).
    pressure_exponent : float
        n in Δp ∝ Vⁿ [-].
    convective_fraction : float or None
        Share of the rated resistance that falls with flow [-]; None: the
        default 0.5 (:data:`~narvik_thermal.plant.defaults.PLATE_CONVECTIVE_FRACTION`)
        for a rated point, the fit for a curve.
    resistance_exponent : float or None
        R_conv ∝ V⁻ⁿ [-]; None: the default 0.6
        (:data:`~narvik_thermal.plant.defaults.PLATE_RESISTANCE_EXPONENT`) or the fit.
    max_chip_temperature : Quantity or None
        Chip limit; a solved chip above it is flagged.

    Notes
    -----
    The network evaluates :func:`narvik_thermal.correlations.cold_plate.thermal_resistance_flow`
    and :func:`~narvik_thermal.correlations.cold_plate.chip_temperature`.
    """

    heat: Any
    thermal_resistance: Any
    rated_flow: Any
    rated_pressure_drop: Any = D.PLATE_RATED_PRESSURE_DROP.value
    pressure_exponent: float = D.PLATE_PRESSURE_EXPONENT.value
    convective_fraction: float | None = None
    resistance_exponent: float | None = None
    max_chip_temperature: Any = None

    def __post_init__(self) -> None:
        if not U.to_si(self.heat, "W", "heat") >= 0:
            raise InputError(f"ColdPlate: heat={self.heat} must be ≥ 0 W.")
        curve = isinstance(self.thermal_resistance, tuple)
        for nm, unit in ((("rated_pressure_drop", "Pa"),) if curve else
                         (("thermal_resistance", "K/W"), ("rated_pressure_drop", "Pa"))):
            if not U.to_si(getattr(self, nm), unit, nm) > 0:
                raise InputError(f"ColdPlate: {nm}={getattr(self, nm)} must be positive.")
        mag, _ = U.to_flow(self.rated_flow, "rated_flow")
        if not mag > 0:
            raise InputError(f"ColdPlate: rated_flow={self.rated_flow} must be positive.")
        if self.max_chip_temperature is not None:
            U.to_temperature(self.max_chip_temperature, "max_chip_temperature")
        if curve:   # the curve, its fit and the rest, validated as add_cold_plate will
            ColdPlates.from_quantities(("plate",), **self.network_kwargs())

    @property
    def heat_w(self) -> float:
        return float(U.to_si(self.heat, "W", "heat"))

    def network_kwargs(self) -> dict:
        """Keyword arguments for :meth:`Network.add_cold_plates`."""
        kw = dict(heat=self.heat, thermal_resistance=self.thermal_resistance,
                  rated_flow=self.rated_flow, rated_pressure_drop=self.rated_pressure_drop,
                  pressure_exponent=self.pressure_exponent,
                  max_chip_temperature=self.max_chip_temperature)
        if self.convective_fraction is not None:
            kw["convective_fraction"] = self.convective_fraction
        if self.resistance_exponent is not None:
            kw["resistance_exponent"] = self.resistance_exponent
        return kw


@user_api
def gpu_cold_plate(**overrides: Any) -> ColdPlate:
    """GB300-class GPU cold plate (B300).

    Defaults: 1,400 W (R12–R14), 0.025 K/W chip→coolant inlet (R22–R24),
    20 kPa (R22) at 1.8 L/min (≈ 1.3 L/min/kW, R19), Δp ∝ V^1.8, half the
    resistance convective with R_conv ∝ V^-0.6 [GEK], limit 75 °C (B200 Tj
    estimate, R8/R25).

    Parameters
    ----------
    **overrides
        Any :class:`ColdPlate` field.

    Examples
    --------
    >>> gpu_cold_plate().heat
    <Quantity(1400, 'watt')>
    >>> gpu_cold_plate(heat=nt.Q_(1.2, "kW")).heat.m_as("W")  # doctest: +SKIP
    1200.0
    """
    kw = dict(heat=D.GPU_HEAT.value, thermal_resistance=D.GPU_THERMAL_RESISTANCE.value,
              rated_flow=D.GPU_RATED_FLOW.value,
              max_chip_temperature=D.GPU_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)


@user_api
def cpu_cold_plate(**overrides: Any) -> ColdPlate:
    """Grace CPU cold plate: 300 W (R11/R14 est.), 0.06 K/W, 20 kPa at 0.5 L/min,
    limit 85 °C [GEK]."""
    kw = dict(heat=D.CPU_HEAT.value, thermal_resistance=D.CPU_THERMAL_RESISTANCE.value,
              rated_flow=D.CPU_RATED_FLOW.value,
              max_chip_temperature=D.CPU_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)


@user_api
def switch_cold_plate(**overrides: Any) -> ColdPlate:
    """NVLink switch-chip cold plate: 550 W (est., rack 135 kW at 90 % liquid),
    0.05 K/W, 20 kPa at 0.7 L/min, limit 85 °C [GEK]."""
    kw = dict(heat=D.SWITCH_HEAT.value, thermal_resistance=D.SWITCH_THERMAL_RESISTANCE.value,
              rated_flow=D.SWITCH_RATED_FLOW.value,
              max_chip_temperature=D.SWITCH_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)
