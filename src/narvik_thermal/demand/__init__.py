"""Heat-demand models for the heat-export consumers: greenhouses, a salmon RAS
farm and the district-heating network (narvik-facts §4, §6).

Examples
--------
>>> import narvik_thermal as nt
>>> from narvik_thermal.demand import greenhouse_heat_demand
>>> q = greenhouse_heat_demand(nt.Q_(-18, "degC"), cover_area=nt.Q_(1, "m^2"))
>>> round(q.m_as("W"))
228
"""

from __future__ import annotations

from .models import (district_heating_demand, greenhouse_heat_demand,
                     salmon_farm_heat_demand)

__all__ = ["greenhouse_heat_demand", "salmon_farm_heat_demand", "district_heating_demand"]
