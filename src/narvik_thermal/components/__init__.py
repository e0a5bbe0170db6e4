"""Edge components of a thermal-hydraulic network.

Each component kind knows its pressure-drop law and its thermal law,
evaluated vectorised over all components of that kind (struct of arrays);
the physics itself lives in :mod:`narvik_thermal.correlations` so that any
component number can be reproduced by calling the physics function by hand.

Modules
-------
- :mod:`.kinds` — kind codes and the parameter schema of each kind.
- :mod:`.hydraulics` — pressure-drop laws (pipe, rated point, pump, valve).
- :mod:`.pump` — pump curves: fitting, affinity laws, power.
- the thermal laws (adiabatic, fixed heat, heat loss to ambient, heat
  exchanger, set-point, pump heat, heat pump) are named in :mod:`.kinds` and
  evaluated as linear relations in enthalpy by :mod:`narvik_thermal.solvers.thermal`.
"""

from .kinds import EdgeKind, HydraulicLaw, ThermalLaw

__all__ = ["EdgeKind", "HydraulicLaw", "ThermalLaw"]
