"""Validation of the district-heating side of a network
(narvik_thermal.plant.heat_export_network): buried pipes in the network,
substations (network consumers) and the pump-head solve, heat pumps, peak boiler.

Hand calculations use the same fluid tables as the solver (CoolProp water
through ``nt.fluids.water()``), so tolerances reflect solver convergence
(temperature_tol 1e-6 K; consumer flows settle to 1e-9 relative inside the
solve; pump head to 1e-7), not property differences.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
import narvik_thermal.plant.district_heating as dh_mod
from narvik_thermal.correlations.heat_pump import heat_pump_cop
from narvik_thermal.errors import ConvergenceError, PhysicsWarning
from narvik_thermal.plant.district_heating import (Consumer, district_heating_network,
                                                   town_consumers)
from narvik_thermal.plant.heat_export import HeatExportPlant, heat_export_plant
from narvik_thermal.plant.heat_export_network import HeatPumpSpec

Q_ = nt.Q_
C = 273.15
W = nt.fluids.water()
HP = HeatPumpSpec(model="carnot_fraction", efficiency=0.5)
HAS_HP = hasattr(nt.Network, "add_heat_pump")


def _h(T):
    return float(W.enthalpy_T(np.array([T]))[0])


def _T(h):
    return float(W.temperature_h(np.array([h]))[0])


# ------------------------------------------------------------- buried pipes
def test_trunk_heat_loss_against_exponential_decay_by_hand():
    """Single buried pipe pair of known length, U and ΔT (EN 13941 + exponential decay)."""
    L = 10_000.0
    dh = district_heating_network([Consumer("school", Q_(2, "MW"), length=Q_(10, "m"))],
                                  trunk_length=Q_(L, "m"), ground_temperature=Q_(5, "degC"))
    r = HeatExportPlant(dh=dh).solve()
    nr = r.network_result
    Us, Ur = dh.u_values["trunk"]
    loss = {}
    for pipe, U, node in (("trunk:supply", Us, "plant:supply"), ("trunk:return", Ur, "ret:hub")):
        m = nr.mass_flow(pipe).m_as("kg/s")
        T_in = nr.temperature(node).m_as("K")
        cp = float(W.cp_pT(np.array([T_in]))[0])
        ntu = U * L / (m * cp)
        loss_hand = m * cp * (1 - math.exp(-ntu)) * (T_in - (5 + C))
        loss[pipe.split(":")[1]] = abs(-nr.heat_flow(pipe).m_as("W") / loss_hand - 1)
        # the outlet: the enthalpy that loss leaves, h_out = h_in − loss/ṁ (the temperature
        # form T_g + (T_in − T_g) exp(−UL/ṁc_p) would assume cp constant along the pipe:
        # 2.5 mK off over the supply's 5 K drop)
        T_out_hand = _T(_h(T_in) - loss_hand / m)
        assert nr.outlet_temperature(pipe).m_as("K") == pytest.approx(T_out_hand, abs=1e-9)
    vc.check("heat_export.trunk_loss", loss)
    # rough check: U L ΔT at the design temperatures, within a few per cent
    rough = Us * L * 80.0 + Ur * L * 40.0
    assert r.losses["total"].m_as("W") == pytest.approx(rough, rel=0.05)


# ----------------------------------------------------------- substations
def test_substation_return_temperatures_by_hand(plant_result):
    r = plant_result
    nr = r.network_result
    dev = 0.0
    for n in r.consumer_names:
        c = next(c for c in r.plant.dh.consumers if c.name == n)
        q = c.heat.m_as("W")
        m = nr.mass_flow(n).m_as("kg/s")
        T_in = nr.temperature(f"{n}:in").m_as("K")
        # <n>:hx (pressure drop, no heat) is adiabatic: the consumer sees the tee temperature
        assert T_in == pytest.approx(r.supply_temperature(n).m_as("K"), abs=1e-12)
        T_ret_hand = _T(_h(T_in) - q / m)
        dev = max(dev, abs(r.return_temperature(n).m_as("K") - T_ret_hand))
        target = 40 + C if n == "greenhouse" else 45 + C
        assert T_ret_hand == pytest.approx(target, abs=1e-5)
        assert r.return_temperature(n).m_as("K") == pytest.approx(target, abs=1e-9)
        # the return is the consumer's set-point (exact); the heat follows from the flow
        # the solve settles to 1e-9 relative (was exact: a fixed-heat load)
        assert r.heat_delivered[n].m_as("W") == pytest.approx(q, rel=1e-9)
    vc.check("heat_export.substation_return", dev)


def test_substations_are_consumers_and_no_pump_runs_at_negative_head(plant_result):
    """Each substation is the network's consumer kind behind a zero-heat element with
    its rated primary pressure drop; the DH circuit has one pump (the circulation
    pump, fixed head), none throttling at negative head as the old regulators did."""
    r = plant_result
    net = r.plant.build()
    dh = r.plant.dh
    for c in dh.consumers:
        comp = net.component(c.name)
        assert isinstance(comp, nt.components.Consumers)
        k = comp.names.index(c.name)
        assert comp.mode == nt.components.kinds.ConsumerControl.RETURN_TEMPERATURE
        assert comp.return_temperature[k] == pytest.approx(dh.return_temperature_of(c), abs=0)
        assert comp.heat[k] == pytest.approx(c.heat.m_as("W"), rel=1e-15)
        assert comp.min_pressure_difference[k] == dh.valve_dp_min
        hx = net.component(f"{c.name}:hx")
        assert isinstance(hx, nt.components.HeatLoads)
        assert np.all(hx.heat == 0.0) and np.all(hx.dp_rated == dh.substation_dp)
    assert not any(e.endswith(":valve") for e in net.edge_names)
    nr = r.network_result
    cn = nr.compiled
    dh_circuit = cn.edge_circuit[cn.edge_id("dh_pump")]
    pumps = [b.component for b in net.blocks if isinstance(b.component, nt.components.Pumps)]
    in_dh = [n for comp in pumps for n in comp.names
             if cn.edge_circuit[cn.edge_id(n)] == dh_circuit]
    assert in_dh == ["dh_pump"]
    for comp in pumps:
        for n in comp.names:
            assert nr.pump_head(n).m_as("m") >= 0.0, n
    assert not [f for f in nr.flags if f.kind in ("consumer_underpressure",
                                                  "consumer_heat_not_met")]


def test_heat_delivered_equals_demand_with_return_at_setpoint():
    """Consumers with their own return temperatures on a fixed pump head (one
    network solve): the return is the set-point (the consumer's thermal law), the
    heat the demand (its flow, set inside the solve, settles to 1e-9 relative), the
    flow Q/(h(T_in) − h(T_ret)) by hand."""
    cs = [Consumer("a", Q_(2, "MW"), return_temperature=Q_(40, "degC")),
          Consumer("b", Q_(1, "MW"), length=Q_(400, "m"), upstream="a",
                   return_temperature=Q_(50, "degC")),
          Consumer("c", Q_(0.5, "MW"), length=Q_(2, "km"))]
    # 200 m of head on a 5 km trunk needs PN25 pipe (with the PN16 default the
    # network rightly flags over_pressure: tests/test_network_limits.py)
    dh = district_heating_network(cs, trunk_length=Q_(5, "km"), pump_head=Q_(200, "m"),
                                  pressure_rating=Q_(25, "bar"))
    r = HeatExportPlant(dh=dh).solve()
    assert r.iterations == 1                # a given head: one solve, nothing around it
    nr = r.network_result
    assert not nr.flags
    delivered = {}
    for c in cs:
        q = c.heat.m_as("W")
        T_ret = dh.return_temperature_of(c)
        assert r.return_temperature(c.name).m_as("K") == pytest.approx(T_ret, abs=1e-9)
        delivered[c.name] = abs(r.heat_delivered[c.name].m_as("W") / q - 1)
        T_in = nr.temperature(f"{c.name}:in").m_as("K")
        assert T_in == pytest.approx(r.supply_temperature(c.name).m_as("K"), abs=1e-12)
        assert r.consumer_flow(c.name).m_as("kg/s") == pytest.approx(q / (_h(T_in) - _h(T_ret)),
                                                                     rel=1e-8)
    vc.check("heat_export.delivered", delivered)


def test_pump_head_leaves_the_valve_differential_over_the_critical_consumer(plant_result):
    """Automatic head: the critical consumer gets valve_dp_min (to the head's relative
    tolerance, never less, so the solve does not flag it); the others more."""
    r = plant_result
    nr = r.network_result
    dh = r.plant.dh
    dp = {n: (nr.pressure(f"{n}:in") - nr.pressure(f"ret:{n}")).m_as("Pa")
          for n in r.consumer_names}
    rho_g = float(W.density_pT(np.array([dh.supply_temperature]))[0]) * 9.80665
    assert 0.0 <= min(dp.values()) - dh.valve_dp_min <= 1e-7 * rho_g * r.pump_head.m_as("m")
    assert r.iterations <= 5


def test_underpressured_substation_is_flagged():
    """A pump head too low for the network: every consumer's valve is left short of
    valve_dp_min (here even a negative differential: the network would have to pump
    through the substations), flagged by the solve as consumer_underpressure; the
    consumers still take their demand at their return set-point (the flows are
    imposed) — the flag is what tells the planner the state is not realisable."""
    dh = district_heating_network(town_consumers(Q_(3, "MW"), 3), trunk_length=Q_(1, "km"),
                                  pump_head=Q_(5, "m"))
    with pytest.warns(PhysicsWarning, match="less differential pressure than their control "
                                            "valve needs"):
        r = HeatExportPlant(dh=dh).solve()
    nr = r.network_result
    flag = next(f for f in nr.flags if f.kind == "consumer_underpressure")
    assert set(flag.elements) == set(r.consumer_names) and flag.count == 3
    for n in r.consumer_names:
        dp = (nr.pressure(f"{n}:in") - nr.pressure(f"ret:{n}")).m_as("Pa")
        assert dp < 0.0
        assert r.return_temperature(n).m_as("degC") == pytest.approx(45.0, abs=1e-9)
    # with the head sized automatically the same network is not flagged
    ok = HeatExportPlant(dh=replace(dh, pump_head=None)).solve()
    assert not ok.network_result.flags


# ------------------------------------------------------ heat pumps, boiler
def test_heat_pump_energy_identity_and_cop(plant_result):
    r = plant_result
    hp = r.heat_pump
    qc, qe, w = (hp[k].m_as("W") for k in ("heat_sink", "heat_source", "electric_power"))
    vc.check("heat_export.heat_pump_balance", abs(qc / (qe + w) - 1))
    nr = r.network_result
    T_si = nr.temperature("plant:return").m_as("K")
    T_so = nr.outlet_temperature("heat_pump:cond").m_as("K")
    T_eo = nr.outlet_temperature("heat_pump:evap").m_as("K")
    cop = heat_pump_cop(40 + C, T_eo, T_si, T_so, model="carnot_fraction", efficiency=0.5)
    assert hp["cop"].m == pytest.approx(cop, rel=1e-6)
    assert T_so == pytest.approx(85 + C, abs=1e-9)
    # the evaporator heat leaves the facility water: ṁ (h_in − h_out)
    m = r.plant.source_flow - nr.mass_flow("fish:hot_flow").m_as("kg/s")
    assert m * (_h(40 + C) - _h(T_eo)) == pytest.approx(qe, rel=1e-7)
    assert r.boiler_heat.m_as("W") == pytest.approx(0.0, abs=1e-3)
    assert not hp["capacity_limited"]


def test_capacity_limit_hands_the_rest_to_the_boiler():
    dh = district_heating_network([Consumer("school", Q_(4, "MW"))], trunk_length=Q_(1, "km"))
    plant = heat_export_plant(source_return_temperature=Q_(40, "degC"), source_heat=Q_(20, "MW"),
                              dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction",
                                                             capacity=Q_(3, "MW"), count=2))
    r = plant.solve()
    hp = r.heat_pump
    assert hp["capacity_limited"]
    assert hp["heat_sink"].m_as("MW") == pytest.approx(3.0, rel=1e-9)
    q_in = r.heat_into_network.m_as("MW")
    assert r.boiler_heat.m_as("MW") == pytest.approx(q_in - 3.0 - r.pump_heat.m_as("MW"), rel=1e-9)
    assert r.boiler_heat.m_as("MW") > 1.0
    assert r.return_temperature("school").m_as("degC") == pytest.approx(45.0, abs=1e-5)
    assert r.heat_pump_share == pytest.approx(3.0 / q_in, rel=1e-9)
    # at capacity the COP is still evaluated at the supply set-point (component convention)
    assert r.feasibility_check().electricity.m_as("W") == pytest.approx(
        hp["electric_power"].m_as("W"), rel=1e-6)


def test_heat_pump_component_without_fish_farm():
    """The network heat-pump component (no fish farm on the source): condenser =
    evaporator + electric, COP = ``heat_pump_cop`` at the solved temperatures."""
    dh = district_heating_network([Consumer("school", Q_(3, "MW"))], trunk_length=Q_(2, "km"))
    r = heat_export_plant(source_return_temperature=Q_(35, "degC"), source_heat=Q_(10, "MW"),
                          dh=dh, heat_pumps=HP).solve()
    hp = r.heat_pump
    qc, qe, w = (hp[k].m_as("W") for k in ("heat_sink", "heat_source", "electric_power"))
    assert abs(qc - (qe + w)) <= 1e-9 * qc
    nr = r.network_result
    T_si = nr.temperature("plant:return").m_as("K")
    T_so = nr.outlet_temperature("heat_pump:cond").m_as("K")
    T_eo = nr.outlet_temperature("heat_pump:evap").m_as("K")
    cop = heat_pump_cop(35 + C, T_eo, T_si, T_so, model="carnot_fraction", efficiency=0.5)
    assert hp["cop"].m == pytest.approx(cop, rel=1e-6)
    assert hp["mode"] == "setpoint" and not hp["capacity_limited"]


@pytest.mark.skipif(not HAS_HP, reason="needs the network heat-pump component")
def test_drammen_at_network_level():
    """Drammen fjord heat pumps, narvik-facts §5 (R39, R40, R62): fjord water 8→4 °C,
    district heating 65→90 °C, COP 3.05.

    The sink is a DH network returning at 65 °C and held at 90 °C; the fjord-water
    flow is chosen so the evaporators cool it to 4 °C. Lorenz fraction with the
    plant's η = 0.62 (§5) must give 3.05 within 1 %; the two-stage NH3 cycle with
    three units in series (as tests/test_heat_pump.py) within 10 % (its
    condensate is not subcooled against the sink inlet here), both as configured
    by hand and as the builder chooses it by default at the design temperatures
    (``HeatPumpSpec()``: three two-stage units, within the NH3 compressor limits).
    Tolerances: validation cases heat_export.drammen.*.
    """
    sw = nt.fluids.seawater()
    dh = district_heating_network([Consumer("drammen", Q_(13.2, "MW"), length=Q_(50, "m"))],
                                  supply_temperature=Q_(90, "degC"),
                                  return_temperature=Q_(65, "degC"), trunk_length=Q_(0, "m"))
    h8, h4 = (float(x) for x in sw.enthalpy_T(np.array([8 + C, 4 + C])))
    for spec, case in ((HeatPumpSpec(model="lorenz_fraction", efficiency=0.62),
                        "heat_export.drammen.lorenz"),
                       (HeatPumpSpec(model="cycle", refrigerant="R717", stages=2, n_series=3),
                        "heat_export.drammen.cycle"),
                       (HeatPumpSpec(), "heat_export.drammen.default")):
        m = 13.2e6 * (1 - 1 / 3.05) / (h8 - h4)
        for _ in range(3):                      # set the fjord flow for an 8 → 4 °C drop
            r = heat_export_plant(source_return_temperature=Q_(8, "degC"),
                                  source_flow=Q_(m, "kg/s"), dh=dh, heat_pumps=spec,
                                  source_fluid=sw, source_temperature_drop=Q_(4, "K")).solve()
            m = r.heat_pump["heat_source"].m_as("W") / (h8 - h4)
        if spec.model == "cycle":               # the default chooses what Drammen has
            assert (r.heat_pumps.stages, r.heat_pumps.n_series) == (2, 3)
            assert r.configuration.within_limits
            assert "R717 two-stage, 3 units in series" in r.heat_pump_description
            assert not [f for f in r.network_result.flags if f.kind == "heat_pump_limit"]
        nr = r.network_result
        assert nr.outlet_temperature("heat_pump:evap").m_as("degC") == pytest.approx(4.0, abs=0.01)
        assert nr.temperature("plant:return").m_as("degC") == pytest.approx(65.0, abs=0.2)
        cop = r.heat_pump["cop"].m
        vc.check(case, abs(cop / vc.by_id(case).reference - 1), ours=cop)   # 3.05
        hp = r.heat_pump
        assert abs(hp["heat_sink"].m_as("W") - hp["heat_source"].m_as("W")
                   - hp["electric_power"].m_as("W")) <= 1e-9 * hp["heat_sink"].m_as("W")


# ------------------------------------------------- heat pumps as the builder chooses them
def test_heat_pump_spec_chooses_or_evaluates_its_configuration():
    """``HeatPumpSpec()`` chooses stages and units in series at the design temperatures
    (choose_heat_pump_configuration); fixed ones are evaluated as given, margins
    negative beyond the limits (the solve flags them); fraction models have none."""
    from narvik_thermal.correlations.heat_pump import choose_heat_pump_configuration
    design = (8 + C, 4 + C, 65 + C, 90 + C)                      # Drammen
    spec, conf = HeatPumpSpec().resolved(*design)
    ref = choose_heat_pump_configuration(*design)
    assert (spec.stages, spec.n_series) == (ref.stages, ref.n_series) == (2, 3)
    assert conf.COP_heating == ref.COP_heating
    fixed, c1 = HeatPumpSpec(stages=1, n_series=1).resolved(*design)
    assert (fixed.stages, fixed.n_series) == (1, 1) and not c1.within_limits
    assert c1.discharge_margin == pytest.approx(180.0 - 279.1, abs=0.1)
    two = HeatPumpSpec(stages=2).configuration(*design)          # n_series still chosen
    assert (two.stages, two.n_series) == (2, 3)
    frac, none = HP.resolved(*design)
    assert none is None and (frac.stages, frac.n_series) == (1, 1)
    with pytest.raises(nt.InputError, match=r"heat pumps 'heat_pump' at the design "
                                            r"temperatures: .*no R717 configuration.*"
                                            r"condensing pressure"):
        HeatPumpSpec().configuration(30 + C, 25 + C, 70 + C, 105 + C)


def test_heat_pump_capacity_is_units_times_unit_size():
    spec = HeatPumpSpec(unit_capacity=Q_(4.4, "MW"), count=3)
    assert spec.total_capacity == pytest.approx(13.2e6)
    assert HeatPumpSpec(capacity=Q_(13.2, "MW"), count=3).total_capacity == pytest.approx(13.2e6)
    assert math.isinf(HeatPumpSpec().total_capacity)
    assert "13.2 MW (3 × 4.4 MW)" in spec.describe()
    with pytest.raises(nt.InputError, match="is not count × unit_capacity"):
        HeatPumpSpec(capacity=Q_(10, "MW"), unit_capacity=Q_(4, "MW"), count=3)
    dh = district_heating_network([Consumer("school", Q_(4, "MW"))], trunk_length=Q_(1, "km"))
    plant = heat_export_plant(source_return_temperature=Q_(40, "degC"), source_heat=Q_(20, "MW"),
                              dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction",
                                                             unit_capacity=Q_(1.5, "MW"),
                                                             count=2))
    r = plant.solve()
    assert r.heat_pump["heat_sink"].m_as("MW") == pytest.approx(3.0, rel=1e-9)
    assert r.heat_pump["capacity_limited"] and r.heat_pump["part_load_ratio"].m == \
        pytest.approx(1.0, rel=1e-9)


def test_the_plant_reports_the_heat_pump_it_uses():
    dh = district_heating_network([Consumer("school", Q_(3, "MW"))], trunk_length=Q_(2, "km"))
    r = heat_export_plant(source_return_temperature=Q_(35, "degC"), source_heat=Q_(10, "MW"),
                          dh=dh).solve()
    conf = r.configuration
    assert (r.heat_pumps.stages, r.heat_pumps.n_series) == (conf.stages, conf.n_series)
    nr = r.network_result
    comp, _ = nr.compiled.hp_units[0]
    assert (int(comp.stages[0]), int(comp.n_series[0])) == (conf.stages, conf.n_series)
    text = r.summary()
    assert conf.describe().split(":")[0] in text
    assert "as solved COP" in text and "limit 180 °C" in text
    # the feasibility route uses the same configuration
    assert r.feasibility_check().cop.m == pytest.approx(
        r.heat_pump["cop_full"].m, rel=1e-6)


def test_district_heating_needs_design_temperatures_to_choose():
    from narvik_thermal.plant.heat_export_network import add_district_heating
    dh = district_heating_network([Consumer("a", Q_(1, "MW"))], trunk_length=Q_(1, "km"))
    with pytest.raises(nt.InputError, match="design_source=.*or fix stages= and n_series="):
        add_district_heating(nt.Network("x"), dh, heat_pumps=HeatPumpSpec(),
                             evaporator=("s1", "s2"))


# ------------------------------------------------------------------ errors
def test_errors():
    dh = district_heating_network([Consumer("a", Q_(1, "MW"))], trunk_length=Q_(1, "km"))
    with pytest.raises(ConvergenceError, match="did not settle in 1 iterations"):
        HeatExportPlant(dh=dh).solve(max_iter=1)


def test_supply_too_cold_is_flagged_not_raised():
    """A tiny consumer at the end of a long line: the water arrives below its return
    set-point. That is a state to report (a plant operated off design meets it),
    not an input error: the consumer's valve opens to its largest flow (demand at
    min_temperature_drop, 5 K), it delivers nothing, and the solve flags
    consumer_heat_not_met with where the water arrives and how cold."""
    far = district_heating_network([Consumer("hut", Q_(5, "kW"), length=Q_(30, "km"),
                                             pipe=dh_mod.pipe_size(100))], trunk_length=Q_(0, "m"))
    with pytest.warns(PhysicsWarning, match=r"less heat than they demand.*arrives at 'hut'"):
        r = HeatExportPlant(dh=far).solve()
    flag = next(f for f in r.network_result.flags if f.kind == "consumer_heat_not_met")
    assert flag.elements == ("hut",)
    assert r.supply_temperature("hut").m_as("degC") < 45.0
    assert r.heat_delivered["hut"].m_as("W") == pytest.approx(0.0, abs=1e-6)
    T_in = r.network_result.temperature("hut:in").m_as("K")
    cp = float(W.cp_pT(np.array([T_in]))[0])
    assert r.consumer_flow("hut").m_as("kg/s") == pytest.approx(5e3 / (cp * 5.0), rel=1e-9)
