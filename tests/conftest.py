"""Fixtures shared by the plant test modules (``tests/test_plant_*.py``).

Solved plants that more than one module reads; session-scoped, so each is
solved once.
"""

from __future__ import annotations

import warnings

import pytest

import narvik_thermal as nt
from narvik_thermal.plant.campus import phase
from narvik_thermal.plant.district_heating import (district_heating_network,
                                                   greenhouse_consumer, town_consumers)
from narvik_thermal.plant.heat_export import FishFarm, heat_export_plant
from narvik_thermal.plant.heat_export_network import HeatPumpSpec

Q_ = nt.Q_
HP = HeatPumpSpec(model="carnot_fraction", efficiency=0.5)


@pytest.fixture(scope="session")
def pg():
    return nt.fluids.propylene_glycol(0.25)


@pytest.fixture(scope="session")
def phase1():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return phase(Q_(20, "MW"))


@pytest.fixture(scope="session")
def plant_result():
    """Town + greenhouse on a 3 km trunk, fish farm, heat pumps with ample capacity."""
    dh = district_heating_network(town_consumers(Q_(6, "MW"), 6, branches=2),
                                  trunk_length=Q_(3, "km"))
    gh = greenhouse_consumer(Q_(-4, "degC"), cover_area=Q_(1e4, "m^2"), length=Q_(500, "m"))
    plant = heat_export_plant(source_return_temperature=Q_(40, "degC"),
                              source_heat=Q_(20, "MW"), dh=dh, heat_pumps=HP,
                              greenhouse=gh, fish_farm=FishFarm())
    return plant.solve()
