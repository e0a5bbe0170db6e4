"""Components of a thermal-hydraulic network: one module per kind.

Each kind is a typed struct of read-only SI arrays (:class:`.base.Component`)
holding ``n`` units: its validation, the edges it puts into a network with
their hydraulic and thermal laws, what a transient needs (fluid volume, metal
heat capacity), and which parameters can be changed after it is built. The
physics itself lives in :mod:`narvik_thermal.correlations`, so that any
component number can be reproduced by calling the physics function by hand;
:mod:`.hydraulics` and :mod:`.thermal` evaluate the laws over all edges of a
compiled network, vectorised.

Kinds
-----
- :class:`~.pipe.Pipes` — Darcy–Weisbach, selectable friction law, heat loss.
- :class:`~.pump.Pumps` — curve, fixed flow or fixed rise; affinity laws.
- :class:`~.valve.Valves` — Kv with opening characteristic, check valves.
- :class:`~.valve.PressureBreakers` — a fixed pressure drop (EPANET's PBV).
- :class:`~.cold_plate.ColdPlates` — GPU/CPU cold plates with chip temperature.
- :class:`~.heat_load.HeatLoads`, :class:`~.heat_load.SetPoints`.
- :class:`~.heat_exchanger.HeatExchangers` — ε-NTU between two circuits.
- :class:`~.heat_pump.HeatPumps` — a COP model between two circuits.
- :class:`~.consumer.Consumers` — district-heating substations.
- :mod:`.boundary` — expansion tanks, pressure and flow boundaries.
"""

from ..errors import user_api
from .base import Component, EdgeSide
from .boundary import ExpansionTank, FlowBoundary, PressureBoundary
from .cold_plate import ColdPlates
from .consumer import Consumers
from .heat_exchanger import HeatExchangers
from .heat_load import HeatLoads, SetPoints
from .heat_pump import HeatPumps
from .kinds import (Arrangement, ConsumerControl, EdgeKind, FlowBasis, FrictionLaw,
                    HeatPumpMode, HeatPumpModel, HydraulicLaw, RiseBasis, ThermalLaw,
                    ValveCharacteristic)
from .pipe import Pipes
from .pump import Pumps
from .valve import PressureBreakers, Valves

#: component classes by name (network files)
COMPONENT_TYPES = {c.__name__: c for c in (Pipes, Pumps, Valves, PressureBreakers, ColdPlates,
                                           HeatLoads, SetPoints, HeatExchangers, HeatPumps,
                                           Consumers)}
# an unknown or missing argument of a component's constructors is an InputError
# naming it (narvik_thermal.errors.user_api), not a bare TypeError
for _kind in COMPONENT_TYPES.values():
    user_api(_kind)

__all__ = ["Component", "EdgeSide", "Pipes", "Pumps", "Valves", "PressureBreakers", "ColdPlates", "HeatLoads",
           "SetPoints", "HeatExchangers", "HeatPumps", "Consumers", "ExpansionTank",
           "PressureBoundary", "FlowBoundary", "COMPONENT_TYPES",
           "EdgeKind", "HydraulicLaw", "ThermalLaw", "FrictionLaw", "ValveCharacteristic",
           "Arrangement", "FlowBasis", "RiseBasis", "HeatPumpModel", "HeatPumpMode",
           "ConsumerControl"]
