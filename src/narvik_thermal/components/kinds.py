"""Kind codes of network edges and of their hydraulic and thermal laws."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EdgeKind", "HydraulicLaw", "ThermalLaw", "ARRANGEMENTS"]


class EdgeKind(IntEnum):
    """What an edge is (for results and flags)."""

    PIPE = 0
    PUMP = 1
    VALVE = 2
    COLD_PLATE = 3
    HEAT_LOAD = 4
    HX_HOT = 5
    HX_COLD = 6
    SETPOINT = 7
    HP_EVAPORATOR = 8
    HP_CONDENSER = 9


class HydraulicLaw(IntEnum):
    """How an edge's pressure drop depends on its flow."""

    IDEAL = 0          #: no pressure drop (a tiny Jacobian floor keeps Newton regular)
    DARCY = 1          #: Darcy–Weisbach with Churchill friction + minor losses
    POWER_LAW = 2      #: rated pressure drop at rated flow, power exponent
    PUMP_CURVE = 3     #: quadratic head curve with affinity laws
    FIXED_FLOW = 4     #: ideal pump that imposes its mass flow
    FIXED_RISE = 5     #: ideal pump that imposes its pressure rise
    VALVE_KV = 6       #: Kv with opening characteristic, optional check valve


class ThermalLaw(IntEnum):
    """How an edge changes the enthalpy of the fluid passing through it."""

    ADIABATIC = 0
    FIXED_HEAT = 1     #: given heat into the fluid
    AMBIENT = 2        #: UA to an ambient temperature (exponential decay)
    HX = 3             #: effectiveness–NTU coupling to a partner edge
    SETPOINT = 4       #: holds the outlet temperature
    PUMP_HEAT = 5      #: hydraulic power of a pump dissipated into the fluid
    HEAT_PUMP = 6      #: evaporator/condenser of a heat pump (see solvers)


#: Heat-exchanger flow arrangements understood by
#: :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`.
ARRANGEMENTS = (
    "counterflow",
    "parallel",
    "crossflow_unmixed",
    "crossflow_cmax_mixed",
    "crossflow_cmin_mixed",
    "shell_and_tube_1_2",
)
