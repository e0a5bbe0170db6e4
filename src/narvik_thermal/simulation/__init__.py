"""Operation over time: a year of hourly operating points of one built campus
(:func:`annual`), and scenario sweeps.

>>> import narvik_thermal as nt
>>> callable(nt.simulation.annual)
True
"""

from __future__ import annotations

from .annual import VARIABLES, annual, hourly_heat_demand

__all__ = ["annual", "hourly_heat_demand", "VARIABLES"]
