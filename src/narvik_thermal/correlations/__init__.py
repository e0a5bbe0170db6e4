"""Pure, vectorised physics correlations (layer 1).

Functions take and return SI floats or NumPy arrays; no pint, no CoolProp (the heat
pumps' refrigerant cycle takes a property object of :mod:`narvik_thermal.fluids`). A
pint Quantity argument is refused with an InputError (its unit would be dropped):
pass ``q.to_base_units().magnitude``.

Submodules, all imported with the package:

- pipes and fittings: :mod:`.friction`, :mod:`.minor_loss`, :mod:`.buried_pipe`;
- heat transfer: :mod:`.convection`, :mod:`.hx` (ε-NTU, LMTD, UA at off-design
  flows), :mod:`.plate_hx` (chevron plate films), :mod:`.cold_plate`;
- heat pumps: :mod:`.heat_pump` (COP models, units in series), :mod:`.heat_pump_cycle`
  (the vapour-compression cycle), :mod:`.heat_pump_map` (its tabulated performance
  map), :mod:`.heat_pump_part_load` (EN 14825), :mod:`.heat_pump_limits`;
- air-side heat rejection: :mod:`.fan`, :mod:`.dry_cooler`, :mod:`.cooling_tower` and
  :mod:`.cooling_tower_unit`, :mod:`.chiller`, :mod:`.free_cooling`.

:mod:`.map_cache` keeps the performance maps' nodes on disk; it is the maps'
machinery, not a correlation.
"""

from __future__ import annotations

from . import (buried_pipe, chiller, cold_plate, convection, cooling_tower, cooling_tower_unit,
               dry_cooler, fan, free_cooling, friction, heat_pump, heat_pump_cycle,
               heat_pump_limits, heat_pump_map, heat_pump_part_load, hx, minor_loss, plate_hx)

__all__ = ["friction", "minor_loss", "buried_pipe", "convection", "hx", "plate_hx",
           "cold_plate", "heat_pump", "heat_pump_cycle", "heat_pump_map",
           "heat_pump_part_load", "heat_pump_limits", "fan", "dry_cooler", "cooling_tower",
           "cooling_tower_unit", "chiller", "free_cooling"]
