"""Operation over time: a year of hourly operating points of one built campus
(:func:`annual`), and scenario sweeps on dask (:func:`sweep`).

>>> import narvik_thermal as nt
>>> callable(nt.simulation.annual), callable(nt.simulation.sweep)
(True, True)
"""

from __future__ import annotations

from .annual import VARIABLES, annual, hourly_heat_demand
from .sweep import scenario_list, sweep

__all__ = ["annual", "hourly_heat_demand", "VARIABLES", "sweep", "scenario_list"]
