"""plant.town_heat_export: the town heat export of the demo, the annual command and the
benchmarks (substations on a district-heating network fed by the default heat pumps)."""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError


def test_town_heat_export_builds_the_stated_network():
    he = nt.plant.town_heat_export(Q_(12, "MW"), substations=4, trunk_length=Q_(3, "km"),
                                   pressure_rating=Q_(25, "bar"))
    assert isinstance(he, nt.plant.HeatExport)
    assert len(he.dh.consumers) == 4
    assert sum(c.heat.m_as("MW") for c in he.dh.consumers) == pytest.approx(12.0, rel=1e-12)
    assert he.dh.trunk_length == pytest.approx(3000.0)
    assert he.dh.pressure_rating == pytest.approx(25e5)
    assert he.dh.supply_temperature == pytest.approx(358.15)
    assert he.dh.return_temperature == pytest.approx(318.15)
    assert he.heat_pumps == nt.plant.HeatPumpSpec()
    hp = nt.plant.HeatPumpSpec(model="carnot_fraction", efficiency=0.5)
    assert nt.plant.town_heat_export(Q_(5, "MW"), heat_pumps=hp).heat_pumps is hp


def test_town_heat_export_bad_input():
    with pytest.raises(InputError):
        nt.plant.town_heat_export(Q_(-5, "MW"))
    with pytest.raises(InputError):
        nt.plant.town_heat_export(Q_(5, "MW"), substations=0)
