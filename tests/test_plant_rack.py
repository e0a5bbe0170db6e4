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


def test_cdu_row_network_is_the_pump_trip_bench():
    """The row of the pump-trip studies (notebook 06, `narvik-thermal transient`): duty
    pump on, standby stopped behind its check valve, the rack heat all to facility water."""
    import narvik_thermal as nt
    net = nt.plant.cdu_row_network(3, facility_temperature="28 degC")
    assert {"pump_a", "pump_b", "check_a", "check_b", "fpipe"} <= set(net.edge_names)
    res = net.solve(warn=False)
    # the closed check valve passes only its leakage floor: < 1e-5 of the duty flow
    duty = res.mass_flow("pump_a").m_as("kg/s")
    assert abs(res.mass_flow("pump_b").m_as("kg/s")) < 1e-5 * duty
    # the CDU takes the racks' liquid heat and the pump's work on the coolant
    liquid = 3 * nt.plant.Rack().liquid_heat.m_as("W")
    pump = res.pump_power("pump_a", kind="hydraulic").m_as("W")
    assert 0 < pump < 0.02 * liquid
    assert res.heat_flow("hx").m_as("W") == pytest.approx(liquid + pump, rel=1e-9)
    one = nt.plant.cdu_row_network(1, standby=False, facility_valve=True)
    assert "pump_b" not in one.edge_names and "fv" in one.edge_names
    with pytest.raises(nt.InputError, match="n_racks"):
        nt.plant.cdu_row_network(0)
    with pytest.raises(nt.InputError, match="facility_temperature"):
        nt.plant.cdu_row_network(2, facility_temperature="5 K/s")
