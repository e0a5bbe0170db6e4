"""Validation of the heat-export plant and its report (narvik_thermal.plant.heat_export):
energy balances, feasibility figures, greenhouse and salmon farm, network temperatures.

Hand calculations use the same fluid tables as the solver (CoolProp water
through ``nt.fluids.water()``), so tolerances reflect solver convergence
(temperature_tol 1e-6 K, outer tol 1e-7), not property differences.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.demand import greenhouse_heat_demand, salmon_farm_heat_demand
from narvik_thermal.errors import InputError
from narvik_thermal.feasibility import co2_avoided
from narvik_thermal.plant import heat_export as he
from narvik_thermal.plant.district_heating import Consumer, district_heating_network
from narvik_thermal.plant.heat_export import FishFarm, HeatExportPlant, heat_export_plant
from narvik_thermal.plant.heat_export_network import HeatPumpSpec

Q_ = nt.Q_
C = 273.15
W = nt.fluids.water()
HP = HeatPumpSpec(model="carnot_fraction", efficiency=0.5)


def _h(T):
    return float(W.enthalpy_T(np.array([T]))[0])


@pytest.mark.parametrize("module", [he], ids=["heat_export"])
def test_doctests(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 5 and res.failed == 0


def test_energy_balance_per_circuit_and_plant(plant_result):
    r = plant_result
    for lab, b in r.balance.items():
        assert b["energy_relative"] <= 1e-9, lab
        assert b["mass_relative"] <= 1e-9, lab
    # DH circuit: heat in (heat pumps + boiler + pump) = delivered + pipe losses
    q_in = r.heat_into_network.m_as("W")
    q_out = r.dh_heat_delivered.m_as("W") + r.losses["total"].m_as("W")
    assert abs(q_in - q_out) <= 1e-9 * q_in
    assert len(r.balance) == 3        # DH, facility water, fish make-up water


def test_feasibility_functions_agree(plant_result):
    r = plant_result
    fc = r.feasibility_check()
    assert fc.electricity.m_as("W") == pytest.approx(r.heat_pump["electric_power"].m_as("W"),
                                                     rel=1e-6)
    assert fc.cop.m == pytest.approx(r.heat_pump["cop"].m, rel=1e-6)
    co2 = r.co2_avoided(Q_(1000, "h"), displaced="oil")
    q_hp = (r.dh_heat_delivered * r.heat_pump_share + r.heat_delivered["fish_farm"]) * Q_(1000, "h")
    w = (r.heat_pump["electric_power"] + r.pump_power) * Q_(1000, "h")
    ref = co2_avoided(q_hp.to("GWh"), displaced="oil", heat_pump_electricity=w.to("GWh"))
    assert co2.net.m_as("t") == pytest.approx(ref.net.m_as("t"), rel=1e-12)
    cov = r.demand_coverage(Q_([1.0, 100.0], "MW"))
    avail = (r.dh_heat_delivered * r.heat_pump_share).m_as("MW")
    assert cov.fraction == pytest.approx((1.0 + avail) / 101.0, rel=1e-12)


def test_greenhouse_and_fish_farm_demands(plant_result):
    r = plant_result
    gh = greenhouse_heat_demand(Q_(-4, "degC"), cover_area=Q_(1e4, "m^2"))
    # the greenhouse is a network consumer: its heat follows from the flow the solve
    # settles to 1e-9 relative (was exact: a fixed-heat load)
    assert r.heat_delivered["greenhouse"].m_as("W") == pytest.approx(gh.m_as("W"), rel=1e-9)
    nr = r.network_result
    # make-up water heated to the rearing target by the HX sized for it
    assert nr.outlet_temperature("fish_farm:cold").m_as("degC") == pytest.approx(13.0, abs=1e-6)
    ff = FishFarm()
    m_mu = ff.make_up_flow(W)
    assert r.heat_delivered["fish_farm"].m_as("W") == pytest.approx(
        m_mu * (_h(13 + C) - _h(7 + C)), rel=1e-6)
    mean = (salmon_farm_heat_demand() / Q_(1, "year")).m_as("W")
    assert r.heat_delivered["fish_farm"].m_as("W") == pytest.approx(mean, rel=1e-9)
    # narvik-facts §6: 1,000 t/yr needs about 0.1–0.35 MW
    assert 0.1 < r.heat_delivered["fish_farm"].m_as("MW") < 0.35


def test_lower_temperature_network_needs_less_electricity():
    """4th-generation 60/30 °C network (R60) against 85/45 °C."""
    out = {}
    for ts, tr in ((85, 45), (60, 30)):
        dh = district_heating_network([Consumer("town", Q_(5, "MW"))], trunk_length=Q_(2, "km"),
                                      supply_temperature=Q_(ts, "degC"),
                                      return_temperature=Q_(tr, "degC"))
        r = heat_export_plant(source_return_temperature=Q_(40, "degC"), source_heat=Q_(20, "MW"),
                              dh=dh, heat_pumps=HP).solve()
        out[ts] = r
    assert out[60].heat_pump["cop"].m > out[85].heat_pump["cop"].m + 1.0
    assert out[60].losses["total"] < out[85].losses["total"]


# ------------------------------------------------------------------ errors
def test_errors():
    dh = district_heating_network([Consumer("a", Q_(1, "MW"))], trunk_length=Q_(1, "km"))
    with pytest.raises(InputError, match="exactly one of source_flow"):
        heat_export_plant(source_return_temperature=Q_(40, "degC"), dh=dh)
    with pytest.raises(InputError, match="no heat pump is needed"):
        heat_export_plant(source_return_temperature=Q_(90, "degC"), source_heat=Q_(1, "MW"),
                          dh=dh)
    r = HeatExportPlant(dh=dh).solve()
    with pytest.raises(InputError, match="unknown consumer 'b'"):
        r.return_temperature("b")
    with pytest.raises(InputError, match="needs a plant with heat pumps"):
        r.feasibility_check()
    plant = heat_export_plant(source_return_temperature=Q_(10, "degC"), source_flow=Q_(10, "kg/s"),
                              dh=dh, fish_farm=FishFarm(target_temperature=Q_(13, "degC")),
                              heat_pumps=HP)
    with pytest.raises(InputError, match="must be warmer than the rearing target"):
        plant.build()


def test_boiler_round_off_prints_as_zero():
    """The boiler of a demand the heat pumps cover is a round-off (−2e-10 W on a 2 MW
    campus under a 0.5 MW town), which printed as "boiler -0.000 MW"; the report's
    numbers go through ``units.fixed``, which prints a real negative with its sign."""
    from narvik_thermal.units import fixed
    assert fixed(-4e-15, 3) == "0.000" and fixed(2e-9, 3) == "0.000"
    assert fixed(-0.0123, 3) == "-0.012" and fixed(1.2346, 3) == "1.235"
    assert f"{-4e-15:.3f}" == "-0.000"             # what the report printed before
    c = nt.plant.Campus(nt.Q_(2, "MW"), heat_export=nt.plant.town_heat_export(nt.Q_(0.5, "MW")))
    op = c.operate(1.0, month=1, warn=False)
    assert abs(op.heat_export.boiler_heat.m_as("W")) < 1e-3
    assert "boiler 0.000 MW" in repr(op.heat_export) and "-0.000" not in op.heat_export.summary()
