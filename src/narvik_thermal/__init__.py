"""narvik_thermal — thermal and heat-recovery physics of a liquid-cooled AI data centre.

>>> import narvik_thermal as nt
>>> q = nt.Q_(45, "degC")
"""

from __future__ import annotations

from . import errors, units
from .errors import (ConvergenceError, InputError, NarvikError, PhysicsWarning,
                     PropertyError, RangeWarning, TopologyError, UnitError)
from .units import Q_, ureg

__version__ = "0.1.0"

__all__ = [
    "Q_", "ureg", "units", "errors",
    "NarvikError", "InputError", "UnitError", "TopologyError", "PropertyError",
    "ConvergenceError", "RangeWarning", "PhysicsWarning",
]
