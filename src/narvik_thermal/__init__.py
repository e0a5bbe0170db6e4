"""narvik_thermal — thermal and heat-recovery physics of a liquid-cooled AI data centre.

>>> import narvik_thermal as nt
>>> q = nt.Q_(45, "degC")
"""

from __future__ import annotations

from . import (audit, climate, correlations, demand, errors, feasibility, fluids, kpi, plant,
               simulation, transient, units)
from . import _metadata
from .errors import (ConvergenceError, InputError, NarvikError, PhysicsWarning,
                     PropertyError, RangeWarning, TopologyError, UnitError)
from .network import Network, Result
from .network.io import load_network, save_network
from .solvers import SolverOptions
from .units import Q_, ureg

#: The installed version (written once, in pyproject.toml; read from the package metadata).
__version__ = _metadata.__version__


def __getattr__(name: str):
    """``nt.plot``: the figures module, imported on first use (it imports matplotlib
    only when a figure is drawn; ``import narvik_thermal`` never does)."""
    if name == "plot":
        import importlib
        return importlib.import_module(f"{__name__}.plot")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Q_", "ureg", "units", "errors", "fluids", "correlations", "climate", "demand",
    "feasibility", "plant", "simulation", "transient", "kpi", "audit", "plot",
    "Network", "Result", "SolverOptions", "save_network", "load_network",
    "NarvikError", "InputError", "UnitError", "TopologyError", "PropertyError",
    "ConvergenceError", "RangeWarning", "PhysicsWarning",
]
