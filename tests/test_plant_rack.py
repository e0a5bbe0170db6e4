"""Validation of the racks (narvik_thermal.plant.rack).

Manifold maldistribution against an independent ladder-network solution of
the same rack: validation cases ``plant.rack.ladder.*``
(``tests/validation_cases_site.py``); here the heated rack's directions.
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal.errors import InputError
from narvik_thermal.plant.rack import Rack, rack_network, rack_report

Q_ = nt.Q_


def test_rack_defaults_match_reference():
    rack = Rack()
    assert rack.gpus == 72                                   # R7, R8
    assert rack.it_power.m_as("kW") == pytest.approx(135.0)  # R8, R10, R11
    assert rack.liquid_heat.m_as("kW") == pytest.approx(121.5)
    assert rack.design_flow().m_as("L/min") == pytest.approx(175.5)  # 1.3 L/min/kW, R19
    assert rack.order == "C" * 8 + "S" * 9 + "C" * 10


# ------------------------------------------------------------- maldistribution
# Tray flows of an isothermal rack (direct and reverse return) against an
# independent ladder-network solution (validation_cases_site.ladder_reference):
# validation cases plant.rack.ladder.* (tests/validation_cases_site.py).


def test_reverse_return_evens_the_flow(pg):
    d = rack_report(rack_network(Rack()).solve())
    r = rack_report(rack_network(Rack(arrangement="reverse")).solve(), rack=Rack(arrangement="reverse"))
    assert r.flow_ratio < d.flow_ratio
    assert d.flow_ratio > 1.05
    assert r.hottest_gpu_temperature < d.hottest_gpu_temperature
    assert d.hottest_chip.startswith("rack.t")


# ----------------------------------------------------------------------- errors
def test_errors():
    with pytest.raises(InputError, match="arrangement"):
        Rack(arrangement="diagonal")
    with pytest.raises(InputError, match="liquid_fraction"):
        Rack(liquid_fraction=1.5)
