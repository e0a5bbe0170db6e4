"""Kind codes of network edges, of their laws and of every category a component stores.

Categories are :class:`enum.IntEnum` members (stored as small integer arrays
in the struct-of-arrays form), never floats: ``FrictionLaw.COLEBROOK``, not
``1.0``.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EdgeKind", "HydraulicLaw", "ThermalLaw", "FrictionLaw", "ValveCharacteristic",
           "Arrangement", "FlowBasis", "RiseBasis", "HeatPumpModel", "HeatPumpPerformance",
           "HeatPumpMode", "ConsumerControl",
           "ARRANGEMENTS", "enum_codes"]


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
    CONSUMER = 10


class HydraulicLaw(IntEnum):
    """How an edge's pressure drop depends on its flow."""

    IDEAL = 0          #: no pressure drop (a tiny Jacobian floor keeps Newton regular)
    DARCY = 1          #: Darcy–Weisbach with a selectable friction law + minor losses
    POWER_LAW = 2      #: rated pressure drop at rated flow, power exponent
    PUMP_CURVE = 3     #: quadratic head curve with affinity laws
    FIXED_FLOW = 4     #: ideal pump that imposes its mass flow
    FIXED_RISE = 5     #: ideal pump that imposes its pressure rise
    VALVE_KV = 6       #: Kv with opening characteristic, optional check valve
    CONSUMER = 7       #: flow set by a substation's control valve from its heat and temperatures
    CONSTANT_POWER = 8  #: pump of constant hydraulic power, rise = P/Q (EPANET's power pump)


class ThermalLaw(IntEnum):
    """How an edge changes the enthalpy of the fluid passing through it."""

    ADIABATIC = 0
    FIXED_HEAT = 1     #: given heat into the fluid
    AMBIENT = 2        #: UA to an ambient temperature (exponential decay)
    HX = 3             #: effectiveness–NTU coupling to a partner edge
    SETPOINT = 4       #: holds the outlet temperature
    PUMP_HEAT = 5      #: hydraulic power of a pump dissipated into the fluid
    HEAT_PUMP = 6      #: evaporator/condenser of a heat pump (see solvers)


class FrictionLaw(IntEnum):
    """Darcy friction factor of a pipe (:func:`narvik_thermal.correlations.friction.friction_factor`)."""

    CHURCHILL = 0      #: Churchill (1977), all regimes, smooth: the default
    COLEBROOK = 1      #: Colebrook–White (1939), solved exactly; laminar 64/Re below Re 2000
    SWAMEE_JAIN = 2    #: Swamee–Jain (1976), explicit; laminar 64/Re below Re 2000 (EPANET's choice)
    HAALAND = 3        #: Haaland (1983), explicit; laminar 64/Re below Re 2000


class ValveCharacteristic(IntEnum):
    """Inherent characteristic of a control valve
    (:func:`narvik_thermal.correlations.minor_loss.valve_Kv`)."""

    LINEAR = 0
    EQUAL_PERCENTAGE = 1
    QUICK_OPENING = 2


class Arrangement(IntEnum):
    """Flow arrangement of a heat exchanger
    (:func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`)."""

    COUNTERFLOW = 0
    PARALLEL = 1
    CROSSFLOW_UNMIXED = 2
    CROSSFLOW_CMAX_MIXED = 3
    CROSSFLOW_CMIN_MIXED = 4
    SHELL_AND_TUBE_1_2 = 5


class FlowBasis(IntEnum):
    """Whether a given flow is a mass flow or a volume flow."""

    VOLUME = 0
    MASS = 1


class RiseBasis(IntEnum):
    """Whether a pump curve or an ideal pump's rise is a head or a pressure rise."""

    HEAD = 0
    PRESSURE = 1


class HeatPumpModel(IntEnum):
    """COP model of a heat pump (:func:`narvik_thermal.correlations.heat_pump.heat_pump_cop`)."""

    CARNOT_FRACTION = 0
    LORENZ_FRACTION = 1
    CYCLE = 2


class HeatPumpPerformance(IntEnum):
    """How a cycle-model heat pump evaluates its cycle: directly, or interpolated in its
    performance map (:mod:`narvik_thermal.correlations.heat_pump_map`)."""

    CYCLE = 0
    MAP = 1


class HeatPumpMode(IntEnum):
    """Operating mode of a solved heat pump."""

    SETPOINT = 0       #: holds its supply temperature
    CAPACITY = 1       #: at capacity, supply below its set-point
    OFF = 2            #: the sink arrives at or above the set-point


class ConsumerControl(IntEnum):
    """What a district-heating substation's control valve holds."""

    DELTA_T = 0              #: the temperature drop across the substation
    RETURN_TEMPERATURE = 1   #: the primary return temperature
    MASS_FLOW = 2            #: a fixed primary flow


#: Heat-exchanger flow arrangements by name (lower case), in code order.
ARRANGEMENTS = tuple(a.name.lower() for a in Arrangement)


def enum_codes(enum: type[IntEnum], value, name: str, what: str):
    """The member of ``enum`` named by ``value`` (a member, or its lower-case name).

    Raises
    ------
    InputError
        Naming ``what``, the argument ``name``, the value and the valid names.
    """
    from ..errors import InputError
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        key = value.strip().upper()
        if key in enum.__members__:
            return enum[key]
    valid = tuple(m.name.lower() for m in enum)
    raise InputError(f"{what}: {name}={value!r} is not one of {valid}.")
