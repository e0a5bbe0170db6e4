"""Pure, vectorised physics correlations (layer 1).

Functions take and return SI floats or NumPy arrays; no pint, no CoolProp. A pint
Quantity argument is refused with an InputError (its unit would be dropped): pass
``q.to_base_units().magnitude``.
Submodules: :mod:`.friction`, :mod:`.minor_loss`, :mod:`.convection`,
:mod:`.hx` (ε-NTU, LMTD, UA at off-design flows), :mod:`.plate_hx` (chevron
plate films), :mod:`.buried_pipe`; air-side heat rejection: :mod:`.fan`,
:mod:`.dry_cooler`, :mod:`.cooling_tower` and :mod:`.cooling_tower_unit`,
:mod:`.chiller`, :mod:`.free_cooling` (import them by name).
"""

from __future__ import annotations

from . import buried_pipe, convection, friction, hx, minor_loss, plate_hx

# The heat_pump and cold_plate modules are added by other contributors.

__all__ = ["friction", "minor_loss", "convection", "hx", "plate_hx", "buried_pipe"]
