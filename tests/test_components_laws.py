"""The laws of the component kinds, solved in a network, against their one
implementation in ``correlations/`` and against hand calculations.

Constant-property fluid (as tests/test_network_validation.py): the analytic
answers hold exactly, so the tolerance is the solver's own convergence (1e-9
relative on pressures and flows, 1e-6 K on temperatures).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.correlations.friction import friction_all_regimes
from narvik_thermal.correlations.minor_loss import valve_Kv
from narvik_thermal.errors import InputError, PhysicsWarning

RHO, MU, CP = 998.2, 1.002e-3, 4182.0


def const_fluid(rho=RHO, mu=MU, cp=CP):
    return nt.fluids.tabulated(
        "const", temperature=Q_([-50.0, 150.0], "degC"), density=Q_([rho, rho], "kg/m^3"),
        specific_heat=Q_([cp, cp], "J/(kg*K)"), viscosity=Q_([mu, mu], "Pa*s"),
        conductivity=Q_([0.6, 0.6], "W/(m*K)"))


FLUID = const_fluid()


def fed(net, inlet, outlet, m, t_in=20.0, p_out=2.0):
    """Feed ``m`` kg/s at ``t_in`` into ``inlet``; ``outlet`` held at ``p_out`` bar."""
    net.add_flow_boundary(inlet, mass_flow=Q_(m, "kg/s"), temperature=Q_(t_in, "degC"))
    net.add_pressure_boundary(outlet, pressure=Q_(p_out, "bar"), temperature=Q_(t_in, "degC"))


def balanced(r, tol=1e-9):
    for label, b in r.balance.items():
        assert b["mass_relative"] <= tol and b["energy_relative"] <= tol, (label, b)
    return r


# ------------------------------------------------------------------------- valves
@pytest.mark.parametrize("characteristic", ["linear", "equal_percentage", "quick_opening"])
@pytest.mark.parametrize("opening", [0.05, 0.1, 0.3, 0.5, 0.9, 1.0])
def test_network_valve_law_is_correlations_valve_Kv(characteristic, opening):
    # Kv from the solved pressure drop (IEC 60534 definition: Q [m³/h] at 1 bar for
    # water of 1000 kg/m³, Δp = 1e5 (Q/Kv)² ρ/1000) equals valve_Kv at this opening
    m = 2.0
    net = nt.Network("valve", fluid=FLUID)
    net.add_valve("v", "a", "b", kvs=Q_(40, "m^3/h"), opening=opening,
                  characteristic=characteristic, rangeability=30.0)
    fed(net, "a", "b", m)
    r = balanced(net.solve())
    dp = r.pressure_drop("v").m_as("Pa")
    Q_h = m / RHO * 3600.0
    kv = Q_h / math.sqrt(dp / 1e5 * 1000.0 / RHO)
    assert kv == pytest.approx(valve_Kv(opening, 40.0, characteristic, 30.0), rel=1e-9)


def test_shut_valve_is_tight_not_the_characteristic():
    # opening 0: tight shut-off (1e10 Pa s/kg), not the Kvs/R of the control range
    net = nt.Network("valve", fluid=FLUID)
    net.add_valve("v", "a", "b", kvs=Q_(40, "m^3/h"), opening=0.0)
    net.add_pressure_boundary("a", pressure=Q_(3, "bar"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("b", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
    r = net.solve()
    assert r.mass_flow("v").m_as("kg/s") == pytest.approx(1e5 / 1e10, rel=1e-9)


# -------------------------------------------------------------------------- pipes
@pytest.mark.parametrize("friction", ["churchill", "colebrook", "swamee_jain", "haaland"])
@pytest.mark.parametrize("Re_target", [800.0, 3000.0, 2e5])
def test_pipe_friction_law_is_selectable(friction, Re_target):
    # Δp = f(Re) L/D ρ v²/2 with f the chosen law of friction_all_regimes
    D, L, eps = 0.05, 40.0, 0.045e-3
    A = math.pi * D ** 2 / 4
    m = Re_target * A * MU / D
    net = nt.Network("pipe", fluid=FLUID)
    net.add_pipe("p", "a", "b", length=Q_(L, "m"), diameter=Q_(D, "m"),
                 roughness=Q_(eps, "m"), friction=friction)
    fed(net, "a", "b", m)
    r = balanced(net.solve())
    v = m / (RHO * A)
    f = friction_all_regimes(Re_target, eps / D, friction)
    assert r.pressure_drop("p").m_as("Pa") == pytest.approx(f * L / D * RHO * v * v / 2,
                                                            rel=1e-9)


def test_friction_laws_differ_where_the_literature_does():
    # the choice matters: at Re 3000 the laws differ by several per cent (transition)
    vals = [friction_all_regimes(3000.0, 1e-3, m) for m in
            ("churchill", "colebrook", "swamee_jain", "haaland")]
    assert (max(vals) - min(vals)) / min(vals) > 0.02


@pytest.mark.parametrize("area", ["inner", "outer"])
def test_pipe_u_value_reference_area(area):
    # T_out = T_a + (T_in − T_a) exp(−U π D_ref L/(ṁ c_p)) with D_ref the wall named
    Di, Do, L, U_, m = 0.08, 0.0889, 500.0, 3.0, 0.4
    net = nt.Network("loss", fluid=FLUID)
    net.add_pipe("p", "a", "b", length=Q_(L, "m"), diameter=Q_(Di, "m"),
                 outer_diameter=Q_(Do, "m"), u_value=Q_(U_, "W/(m^2*K)"),
                 ambient=Q_(5, "degC"), u_value_area=area)
    fed(net, "a", "b", m, t_in=75.0)
    r = balanced(net.solve())
    D = Di if area == "inner" else Do
    T = 5 + 70 * math.exp(-U_ * math.pi * D * L / (m * CP))
    assert r.outlet_temperature("p").m_as("degC") == pytest.approx(T, abs=1e-6)


def test_outer_area_loses_more_by_the_diameter_ratio():
    def loss(area):
        net = nt.Network("loss", fluid=FLUID)
        net.add_pipe("p", "a", "b", length=Q_(10, "m"), diameter=Q_(80, "mm"),
                     outer_diameter=Q_(88.9, "mm"), u_value=Q_(3, "W/(m^2*K)"),
                     ambient=Q_(5, "degC"), u_value_area=area)
        fed(net, "a", "b", 50.0, t_in=75.0)   # large flow: loss ≈ U A ΔT
        return -net.solve().heat_flow("p").m_as("W")
    assert loss("outer") / loss("inner") == pytest.approx(88.9 / 80, rel=1e-4)


# ---------------------------------------------------------------------------- pumps
def test_speed_scales_every_pump_kind_by_the_affinity_laws():
    def solve(**pump):
        net = nt.Network("pump", fluid=FLUID)
        net.add_pump("pump", "a", "b", **pump)
        net.add_pipe("p", "b", "c", length=Q_(50, "m"), diameter=Q_(40, "mm"))
        net.add_pressure_boundary("a", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
        net.add_pressure_boundary("c", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
        return net, net.solve()
    net, r1 = solve(flow=Q_(2, "kg/s"))
    net.update("pump", speed=0.5)
    r2 = net.solve()
    assert r2.mass_flow("pump").m_as("kg/s") == pytest.approx(1.0, rel=1e-12)
    net, r1 = solve(head=Q_(8, "m"))
    net.update("pump", speed=0.5)
    r2 = net.solve()
    assert r2.pump_head("pump").m_as("m") == pytest.approx(2.0, rel=1e-9)


# ------------------------------------------------------------------------ consumers
def dh_line(t_supply, dp_bar=1.0, count=1, **consumer):
    """A substation between a supply and a return pressure boundary."""
    net = nt.Network("dh", fluid=FLUID)
    net.add_consumer("c", "s", "r", count=count, **consumer)
    net.add_pressure_boundary("s", pressure=Q_(2 + dp_bar, "bar"), temperature=Q_(t_supply, "degC"))
    net.add_pressure_boundary("r", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
    return net


def test_consumer_delta_t():
    r = balanced(dh_line(80.0, heat=Q_(100, "kW"), delta_t=Q_(30, "K"), count=3).solve())
    assert r.mass_flow("c").m_as("kg/s") == pytest.approx(3 * 1e5 / (CP * 30), rel=1e-9)
    assert r.outlet_temperature("c").m_as("degC") == pytest.approx(50.0, abs=1e-6)
    assert r.heat_flow("c").m_as("W") == pytest.approx(-3e5, rel=1e-9)
    assert not r.flags


def test_consumer_flows_follow_an_update_of_the_demand():
    # the consumers' parameters are kept with the compiled network (per parameter
    # group): an update makes a new group, and the flows are those of a rebuilt network
    net = dh_line(80.0, heat=Q_(100, "kW"), delta_t=Q_(30, "K"), count=3)
    r1 = net.solve()
    net.update("c", heat=Q_(150, "kW"))
    r2 = net.solve(initial=r1)
    ref = dh_line(80.0, heat=Q_(150, "kW"), delta_t=Q_(30, "K"), count=3).solve()
    assert r2.mass_flow("c").m_as("kg/s") == pytest.approx(3 * 1.5e5 / (CP * 30), rel=1e-9)
    assert r2.mass_flow("c").m_as("kg/s") == pytest.approx(ref.mass_flow("c").m_as("kg/s"),
                                                           rel=1e-12)
    net.update("c", delta_t=Q_(20, "K"))
    assert net.solve().mass_flow("c").m_as("kg/s") == pytest.approx(3 * 1.5e5 / (CP * 20),
                                                                    rel=1e-9)


def test_consumer_return_temperature():
    r = balanced(dh_line(80.0, heat=Q_(100, "kW"), return_temperature=Q_(45, "degC")).solve())
    assert r.mass_flow("c").m_as("kg/s") == pytest.approx(1e5 / (CP * 35), rel=1e-9)
    assert r.outlet_temperature("c").m_as("degC") == pytest.approx(45.0, abs=1e-6)
    assert r.heat_flow("c").m_as("W") == pytest.approx(-1e5, rel=1e-9)


def test_consumer_mass_flow():
    r = balanced(dh_line(80.0, heat=Q_(100, "kW"), mass_flow=Q_(2, "kg/s")).solve())
    assert r.mass_flow("c").m_as("kg/s") == pytest.approx(2.0, rel=1e-12)
    assert r.outlet_temperature("c").m_as("degC") == pytest.approx(80 - 1e5 / (2 * CP), abs=1e-6)


@pytest.mark.parametrize("t_supply, share", [(48.0, 3.0 / 5.0), (44.0, 0.0)])
def test_consumer_too_cold_supply_is_flagged_not_faked(t_supply, share):
    # the valve opens to the flow of a 5 K drop (min_temperature_drop) and no further:
    # 48 °C supply, 45 °C return → 3/5 of the demand; below the return → nothing
    with pytest.warns(PhysicsWarning, match="less heat than they demand"):
        r = balanced(dh_line(t_supply, heat=Q_(100, "kW"),
                             return_temperature=Q_(45, "degC")).solve())
    assert r.mass_flow("c").m_as("kg/s") == pytest.approx(1e5 / (CP * 5), rel=1e-9)
    assert -r.heat_flow("c").m_as("W") == pytest.approx(share * 1e5, rel=1e-9, abs=1e-6)
    assert any(f.kind == "consumer_heat_not_met" for f in r.flags)


@pytest.mark.parametrize("dp_bar", [0.1, -0.5])
def test_consumer_without_enough_differential_pressure_is_flagged(dp_bar):
    # the regulator cannot pass its flow with less than 0.3 bar across it; a
    # negative differential means the network would pump through the substation
    with pytest.warns(PhysicsWarning, match="less differential pressure"):
        r = dh_line(80.0, dp_bar=dp_bar, heat=Q_(100, "kW"), delta_t=Q_(30, "K")).solve()
    (flag,) = [f for f in r.flags if f.kind == "consumer_underpressure"]
    assert flag.elements == ("c",)


def test_consumer_update_and_file_round_trip(tmp_path):
    net = dh_line(80.0, heat=Q_(100, "kW"), delta_t=Q_(30, "K"))
    r1 = net.solve()
    net.update("c", heat=Q_(50, "kW"))
    r2 = net.solve(initial=r1)
    assert r2.mass_flow("c").m_as("kg/s") == pytest.approx(5e4 / (CP * 30), rel=1e-9)
    with pytest.raises(InputError, match="holds its delta_t; 'return_temperature' applies"):
        net.update("c", return_temperature=Q_(40, "degC"))
    nt.save_network(net, tmp_path / "dh.yaml")
    r3 = nt.load_network(tmp_path / "dh.yaml").solve()
    np.testing.assert_allclose(r3.state.mass_flow, r2.state.mass_flow, rtol=1e-12)


def test_consumers_in_a_loop_fed_by_a_pump_and_a_heater():
    # a closed district-heating loop: pump, heater holding 80 °C, two consumers in
    # parallel: every joule the heater gives (plus pump heat) reaches the consumers
    net = nt.Network("loop", fluid=FLUID)
    net.add_pump("pump", "r", "h_in", head=Q_(20, "m"))
    net.add_setpoint("heater", "h_in", "s", outlet_temperature=Q_(80, "degC"))
    net.add_pipes(["s1", "s2"], "s", ["c1_in", "c2_in"], length=Q_(200, "m"),
                  diameter=Q_(50, "mm"))
    net.add_consumers(["c1", "c2"], ["c1_in", "c2_in"], ["c1_out", "c2_out"],
                      heat=Q_([80, 120], "kW"), delta_t=Q_(35, "K"))
    net.add_pipes(["r1", "r2"], ["c1_out", "c2_out"], "r", length=Q_(200, "m"),
                  diameter=Q_(50, "mm"))
    net.add_expansion_tank("r", pressure=Q_(3, "bar"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PhysicsWarning)
        r = balanced(net.solve())
    assert -r.heat_flow("c1").m_as("W") - r.heat_flow("c2").m_as("W") == pytest.approx(2e5)
    assert r.heat_flow("heater").m_as("W") + r.heat_flow("pump").m_as("W") == pytest.approx(
        2e5, rel=1e-9)
    assert r.outlet_temperature("c2").m_as("degC") == pytest.approx(45.0, abs=1e-6)
