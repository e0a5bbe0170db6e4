"""Heat pumps operated within their limits in a solved network (components/heat_pump.py,
solvers/coupled.py::_HeatPumps, network/result.py): freeze protection of the
evaporator, compressor limits, part load."""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import components as C
from narvik_thermal.correlations.heat_pump import (heat_pump_cop, heat_pump_performance,
                                                   part_load_cop, part_load_cop_modulating)
from narvik_thermal.correlations.heat_pump_limits import COMPRESSOR_LIMITS
from narvik_thermal.errors import InputError, PhysicsWarning

Q_ = nt.Q_
K = 273.15
WATER = nt.fluids.water()


def hp_network(town_return=Q_(45, "degC"), town=None, source_flow=Q_(50, "kg/s"),
               source_fluid=WATER, **hp):
    """Source water 40 °C → evaporator; DH loop 20 kg/s: condenser → town → back."""
    hp.setdefault("model", "carnot_fraction")
    net = nt.Network("hp")
    net.add_heat_pump("hp1", evaporator=("src_in", "src_out"), condenser=("dh_ret", "dh_sup"),
                      supply_temperature=hp.pop("supply_temperature", Q_(85, "degC")), **hp)
    net.add_pipe("src_pipe", "src_out", "src_sink", length=Q_(10, "m"), diameter=Q_(200, "mm"))
    net.add_flow_boundary("src_in", mass_flow=source_flow, temperature=Q_(40, "degC"))
    net.add_pressure_boundary("src_sink", pressure=Q_(2, "bar"), temperature=Q_(35, "degC"))
    net.set_fluid("src_in", source_fluid)
    net.add_pump("dhp", "dh_sup", "c_in", flow=Q_(20, "kg/s"))
    if town is not None:
        net.add_heat_load("town", "c_in", "c_out", heat=town)
    else:
        net.add_setpoint("town", "c_in", "c_out", outlet_temperature=town_return)
    net.add_pipe("ret", "c_out", "dh_ret", length=Q_(100, "m"), diameter=Q_(150, "mm"))
    net.add_expansion_tank("dh_ret", pressure=Q_(3, "bar"))
    net.set_fluid("dh_ret", WATER)
    return net


def _h(T, fl=WATER):
    return float(fl.enthalpy_T(np.array([T]))[0])


# --------------------------------------------------------------- freeze protection
def test_source_outlet_limit_caps_the_heat_and_is_flagged():
    """The evaporator may not cool the 50 kg/s source below min_source_outlet (here
    35 °C): Q_evap ≤ ṁ (h(40 °C) − h(35 °C)), Q_cond = Q_evap / (1 − 1/COP); the unit
    runs at that source-side capacity, the supply falls short, the flag names the
    limit, and condenser = evaporator + electricity still closes to 1e-9."""
    net = hp_network()
    net.update("hp1", min_source_outlet=Q_(35, "degC"))
    with pytest.warns(PhysicsWarning, match=r"limited by their source.*min_source_outlet "
                                            r"35\.00 °C"):
        res = net.solve()
    hp = res.heat_pump("hp1")
    qc, qe, w = (hp[k].m_as("W") for k in ("heat_sink", "heat_source", "electric_power"))
    assert abs(qc - (qe + w)) <= 1e-9 * qc
    q_max = 50.0 * (_h(40 + K) - _h(35 + K))
    assert qe == pytest.approx(q_max, rel=1e-9)
    assert res.outlet_temperature("hp1:evap").m_as("degC") == pytest.approx(35.0, abs=1e-6)
    cop = hp["cop"].m
    assert qc == pytest.approx(q_max / (1 - 1 / cop), rel=1e-9)
    assert hp["mode"] == "capacity" and hp["source_limited"]
    assert hp["capacity"].m_as("W") == pytest.approx(qc, rel=1e-9)
    assert res.temperature("dh_sup").m_as("degC") < 84.0          # supply short
    kinds = [f.kind for f in res.flags]
    assert "heat_pump_limit" in kinds and "capacity_limited" not in kinds
    for label, b in res.balance.items():
        assert b["energy_relative"] <= 1e-9, label


def test_default_min_source_outlet_is_the_freezing_point_plus_2_K():
    res = hp_network().solve()
    hp = res.heat_pump("hp1")
    assert hp["min_source_outlet"].m_as("degC") == pytest.approx(2.0, abs=1e-9)   # water
    assert not hp["source_limited"] and hp["mode"] == "setpoint"
    sw = nt.fluids.seawater()
    res = hp_network(source_fluid=sw).solve()
    assert res.heat_pump("hp1")["min_source_outlet"].m_as("K") == pytest.approx(
        sw.freezing_temperature + 2.0, abs=1e-9)


def test_source_below_its_minimum_gives_no_heat():
    net = hp_network(min_source_outlet=Q_(41, "degC"))
    with pytest.warns(PhysicsWarning, match="limited by their source"):
        res = net.solve()
    hp = res.heat_pump("hp1")
    assert hp["heat_sink"].m_as("W") == pytest.approx(0.0, abs=1e-6)
    assert hp["source_limited"]


# ---------------------------------------------------------------- compressor limits
def test_discharge_limit_is_flagged_with_its_values():
    """Single-stage NH3 from 40→35 °C to 85 °C discharges at ≈ 196 °C, above the
    180 °C of the limits table: flagged (naming the limit and both values), not
    prevented; two stages stay within it."""
    with pytest.warns(PhysicsWarning, match=r"beyond the discharge temperature limit "
                                            r"\(worst 'hp1': 19\d\.\d °C, limit 180\.0 °C\)"):
        res = hp_network(model="cycle").solve()
    hp = res.heat_pump("hp1")
    flag = next(f for f in res.flags if f.kind == "heat_pump_limit")
    assert flag.elements == ("hp1",)
    # the values are the cycle's at the solved stream temperatures
    perf = heat_pump_performance(40 + K, res.outlet_temperature("hp1:evap").m_as("K"),
                                 res.temperature("dh_ret").m_as("K"), 85 + K)
    assert hp["discharge_temperature"].m_as("K") == pytest.approx(perf.T_discharge_max, rel=1e-6)
    assert hp["condensing_pressure"].m_as("Pa") == pytest.approx(perf.p_condensation_max,
                                                                 rel=1e-6)
    lim = COMPRESSOR_LIMITS["R717"]
    assert hp["max_discharge_temperature"].m_as("K") == pytest.approx(lim.T_discharge_max)
    assert hp["max_condensing_pressure"].m_as("Pa") == pytest.approx(lim.p_condensation_max)
    two = hp_network(model="cycle", stages=2).solve()
    assert not [f for f in two.flags if f.kind == "heat_pump_limit"]


def test_condensing_pressure_limit_is_flagged():
    # NH3 condensing at 103 °C: ≈ 66 bar > 60 bar
    with pytest.warns(PhysicsWarning, match=r"condensing pressure limit \(worst 'hp1': "
                                            r"6\d\.\d\d bar, limit 60\.00 bar\)"):
        hp_network(model="cycle", stages=2, supply_temperature=Q_(100, "degC"),
                   town_return=Q_(70, "degC")).solve()


def test_fraction_models_have_no_compressor_limits():
    res = hp_network().solve()
    hp = res.heat_pump("hp1")
    assert np.isnan(hp["discharge_temperature"].m) and np.isinf(hp["max_discharge_temperature"].m)


# ------------------------------------------------------------------------ part load
@pytest.mark.parametrize("capacity, min_mod, cycling", [
    (Q_(10, "MW"), 0.25, False),       # PLR ≈ 0.30: modulating, full-load COP
    (Q_(20, "MW"), 0.25, True),        # PLR ≈ 0.15: cycling, EN 14825 water method
    (Q_(20, "MW"), 0.10, False),       # the same load within a deeper modulation
])
def test_part_load_cop_by_hand(capacity, min_mod, cycling):
    res = hp_network(town=Q_(-3, "MW"), capacity=capacity, min_modulation=min_mod).solve()
    hp = res.heat_pump("hp1")
    qc = hp["heat_sink"].m_as("W")
    plr = qc / capacity.m_as("W")
    assert hp["part_load_ratio"].m == pytest.approx(plr, rel=1e-12)
    cop_full = heat_pump_cop(40 + K, res.outlet_temperature("hp1:evap").m_as("K"),
                             res.temperature("dh_ret").m_as("K"), 85 + K,
                             model="carnot_fraction")
    assert hp["cop_full"].m == pytest.approx(cop_full, rel=1e-6)
    if cycling:
        assert plr < min_mod
        cr = plr / min_mod
        by_hand = cop_full * cr / (0.9 * cr + 0.1)
        assert by_hand == pytest.approx(part_load_cop(cop_full, cr, method="en14825_water"))
        assert hp["cop"].m == pytest.approx(by_hand, rel=1e-6)
        assert hp["cop"].m < 0.95 * cop_full
    else:
        assert plr > min_mod
        assert hp["cop"].m == hp["cop_full"].m
    qe, w = hp["heat_source"].m_as("W"), hp["electric_power"].m_as("W")
    assert abs(qc - (qe + w)) <= 1e-9 * qc
    assert w == pytest.approx(qc / hp["cop"].m, rel=1e-12)
    assert res.converged


def test_part_load_cop_modulating():
    # continuous at the minimum modulation, constant above, EN 14825 water below
    assert part_load_cop_modulating(3.0, 0.25) == pytest.approx(3.0)
    assert part_load_cop_modulating(3.0, 0.2499999) == pytest.approx(3.0, rel=1e-6)
    assert part_load_cop_modulating(3.0, 0.8) == 3.0
    assert part_load_cop_modulating(3.0, 0.0) == 3.0
    out = part_load_cop_modulating(np.array([3.0, 3.0]), np.array([0.05, 0.5]), 0.25)
    np.testing.assert_allclose(out, [3.0 * 0.2 / (0.9 * 0.2 + 0.1), 3.0])
    assert part_load_cop_modulating(3.0, 1e-4) == 1.0          # held at COP ≥ 1
    with pytest.raises(InputError, match=r"part_load_ratio must be in \[0, 1\]"):
        part_load_cop_modulating(3.0, 1.5)
    with pytest.raises(InputError, match=r"min_modulation must be in \(0, 1\]"):
        part_load_cop_modulating(3.0, 0.5, 0.0)


def test_part_load_function_is_the_part_load_cop_of_the_unit():
    """``HeatPumps.part_load_function`` (bound once for the solvers) is ``part_load_cop``
    of that unit, to the bit, and ``part_load_cop_modulating`` with its parameters,
    also for ratios out of [0, 1] (clipped)."""
    hp = C.HeatPumps.from_quantities(["a", "b"], supply_temperature=Q_(85, "degC"),
                                     min_modulation=[0.25, 0.4], cycling_degradation=[0.9, 0.8])
    for k, (mm, cd) in enumerate(((0.25, 0.9), (0.4, 0.8))):
        f = hp.part_load_function(k)
        for cop, plr in ((3.0, 0.1), (4.2, 0.3), (2.5, 0.0), (3.3, -0.2), (3.3, 1.4),
                         (1.2, 0.01)):
            assert f(cop, plr) == hp.part_load_cop(k, cop, plr)
            assert f(cop, plr) == part_load_cop_modulating(cop, min(max(plr, 0.0), 1.0), mm, cd)


# ------------------------------------------------------------------- the component
def test_component_arrays_validated_saved_and_updated():
    hp = C.HeatPumps.from_quantities(["a", "b"], supply_temperature=Q_(85, "degC"),
                                     model="cycle", refrigerant=["R717", "R245fa"],
                                     min_source_outlet=Q_(4, "degC"))
    lim = COMPRESSOR_LIMITS["R717"]
    assert hp.max_discharge_temperature[0] == lim.T_discharge_max
    assert np.isinf(hp.max_discharge_temperature[1])       # none tabulated: none checked
    np.testing.assert_allclose(hp.min_source_outlet, 277.15)
    np.testing.assert_allclose(hp.min_modulation, 0.25)
    back = C.HeatPumps.from_data(hp.to_data())
    assert back.to_data() == hp.to_data()
    new = hp.updated(np.array([1]), min_source_outlet=Q_(6, "degC"))
    np.testing.assert_allclose(new.min_source_outlet, [277.15, 279.15])
    auto = C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"))
    assert np.isnan(auto.min_source_outlet[0]) and np.isinf(auto.max_condensing_pressure[0])
    assert C.HeatPumps.from_data(auto.to_data()).to_data() == auto.to_data()
    with pytest.raises(InputError, match=r"min_modulation=0 for 'x' must be in \(0, 1\]"):
        C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"), min_modulation=0)
    with pytest.raises(InputError, match="cycling_degradation=1.5"):
        C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"),
                                    cycling_degradation=1.5)
    with pytest.raises(InputError, match="max_condensing_pressure=-1"):
        C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"),
                                    max_condensing_pressure=Q_(-1, "Pa"))


def test_summary_names_part_load_and_cycle_state():
    res = hp_network(model="cycle", stages=2, capacity=Q_(5, "MW")).solve()
    text = res.summary()
    assert "part load" in text and "discharge" in text and "bar" in text


@pytest.mark.parametrize("source_flow", [5.0, 3.0])
def test_cycle_model_limited_by_a_small_source_is_flagged_not_a_property_error(source_flow):
    # 40 °C water at a few kg/s against an 85 °C sink of 20 kg/s: the iterates on the way
    # to the source-limited answer cooled the source far below freezing and the cycle was
    # evaluated there (R717 below its tables: a PropertyError at 5 and 3 kg/s, where the
    # fraction models and the cycle at 7 kg/s gave the limited answer)
    net = nt.Network("export")
    net.add_heat_pump("hp", evaporator=("src_in", "src_out"), condenser=("dh_ret", "dh_sup"),
                      supply_temperature=Q_(85, "degC"), model="cycle")
    net.add_pipe("src", "src_out", "src_sink", length=Q_(10, "m"), diameter=Q_(200, "mm"))
    net.add_flow_boundary("src_in", mass_flow=Q_(source_flow, "kg/s"),
                          temperature=Q_(40, "degC"))
    net.add_pressure_boundary("src_sink", pressure=Q_(2, "bar"), temperature=Q_(35, "degC"))
    net.set_fluid("src_in", nt.fluids.water())
    net.add_pump("dh_pump", "dh_sup", "town_in", flow=Q_(20, "kg/s"))
    net.add_setpoint("town", "town_in", "town_out", outlet_temperature=Q_(45, "degC"))
    net.add_pipe("ret", "town_out", "dh_ret", length=Q_(100, "m"), diameter=Q_(150, "mm"))
    net.add_expansion_tank("dh_ret", pressure=Q_(3, "bar"))
    net.set_fluid("dh_ret", nt.fluids.water())
    res = net.solve(warn=False)
    hp = res.heat_pump("hp")
    assert hp["source_limited"] and any(f.kind == "heat_pump_limit" for f in res.flags)
    # the source leaves at its freeze-protection limit (2 °C above freezing)
    assert res.outlet_temperature("hp:evap").m_as("degC") == pytest.approx(2.0, abs=0.05)
    # the heat the source gives, ṁ cp ΔT, and the electricity on top of it
    src = source_flow * 4.18e3 * (40.0 - 2.0)
    assert hp["heat_source"].m_as("W") == pytest.approx(src, rel=0.01)
