"""Sizing helpers invert the solver: size, solve, get the specification back."""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases_site as vcs
from narvik_thermal.errors import InputError
from narvik_thermal.plant import sizing

Q_ = nt.Q_


def test_hx_ua_inverts_solver():
    """Size a CDU-like HX for a 3 K approach (R19), solve it: the duty back (the
    approach: validation case plant.sizing.exchanger)."""
    _, duty, Q = vcs.sized_exchanger()
    assert duty == pytest.approx(Q, rel=1e-3)


def test_hx_area_with_fouling():
    # U = 1/(1/4000 + 7e-5) = 3125 W/m²K (R44, R45)
    assert sizing.overall_u().m_as("W/(m^2*K)") == pytest.approx(3125.0)
    assert sizing.heat_exchanger_area(Q_(625, "kW/K")).m_as("m^2") == pytest.approx(200.0)


def test_pipe_diameter_inverts_gradient():
    V = Q_(0.05, "m^3/s")
    d = sizing.pipe_diameter(V, max_pressure_gradient=Q_(150, "Pa/m"))
    assert sizing.pipe_pressure_gradient(V, d).m_as("Pa/m") == pytest.approx(150.0, rel=1e-6)
    dv = sizing.pipe_diameter(V, max_velocity=Q_(2, "m/s"))
    assert (V / (np.pi / 4 * dv ** 2)).m_as("m/s") == pytest.approx(2.0)
    both = sizing.pipe_diameter(V, max_velocity=Q_(2, "m/s"), max_pressure_gradient=Q_(150, "Pa/m"))
    assert both == max(d, dv)


# a pipe sized for 200 Pa/m, then solved: validation case plant.sizing.pipe


def test_pump_power_inverts_solver():
    w = nt.fluids.water()
    net = nt.Network("pump")
    net.add_pump("pump", "a", "b", flow=Q_(0.1, "m^3/s"), efficiency=0.8, motor_efficiency=0.95)
    net.add_pipe("p", "b", "a", length=Q_(200, "m"), diameter=Q_(200, "mm"),
                 u_value=Q_(1, "W/(m*K)"), ambient=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.set_fluid("a", w)
    r = net.solve()
    dp = -r.pressure_drop("pump")
    p = sizing.pump_power(r.volume_flow("pump"), dp, fluid=w, efficiency=0.8, motor_efficiency=0.95)
    assert p["electric"].m_as("W") == pytest.approx(r.pump_power("pump").m_as("W"), rel=1e-9)


def test_pump_curve_through_duty_point():
    """A pump on the sized curve, in a system whose curve passes through the duty
    point (a valve of Kv = Q/sqrt(Δp)), runs at the duty point."""
    w = nt.fluids.water()
    q, h = sizing.pump_curve_for_duty(Q_(100, "m^3/h"), Q_(20, "m"))
    rho = float(w.density_pT(293.15))
    kv = 100.0 / np.sqrt(20.0 * rho * 9.80665 / 1e5)
    net = nt.Network("curve")
    # hydraulics only: the pump's 5.4 kW must not heat a loop whose only heat
    # rejection is UA = 0.1 W/K (the solver would rightly flag boiling)
    net.add_pump("pump", "a", "b", curve=(q, h), heat_to_fluid=False)
    net.add_valve("v", "b", "c", kvs=Q_(kv, "m^3/h"))
    net.add_pipe("p", "c", "a", length=Q_(0.1, "m"), diameter=Q_(1, "m"),
                 u_value=Q_(1, "W/(m*K)"), ambient=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.set_fluid("a", w)
    r = net.solve()
    assert not r.flags
    assert r.pump_head("pump").m_as("m") == pytest.approx(20.0, rel=1e-2)
    assert r.volume_flow("pump").m_as("m^3/h") == pytest.approx(100.0, rel=1e-2)


def test_seawater_flow_matches_reference_estimate():
    # narvik-facts §3: 20 MW phase needs about 0.6 m³/s at 8 K
    assert sizing.seawater_flow(Q_(20, "MW"), Q_(8, "K")).m_as("m^3/s") == pytest.approx(0.61, abs=0.01)
    # 220 MW at 8 K: 6.7 m³/s (est.)
    assert sizing.seawater_flow(Q_(220, "MW"), Q_(8, "K")).m_as("m^3/s") == pytest.approx(6.7, rel=0.02)


def test_sizing_errors():
    with pytest.raises(InputError, match="effectiveness"):
        sizing.heat_exchanger_ua(Q_(1, "MW"), hot_inlet=Q_(30, "degC"), hot_outlet=Q_(20, "degC"),
                                 cold_inlet=Q_(20, "degC"), cold_outlet=Q_(30, "degC"))
    with pytest.raises(InputError, match="hot stream must cool"):
        sizing.heat_exchanger_ua(Q_(1, "MW"), hot_inlet=Q_(20, "degC"), hot_outlet=Q_(30, "degC"),
                                 cold_inlet=Q_(10, "degC"), cold_outlet=Q_(15, "degC"))
    with pytest.raises(InputError, match="max_velocity"):
        sizing.pipe_diameter(Q_(1, "m^3/s"))
    with pytest.raises(nt.UnitError, match="max_rise"):
        sizing.seawater_flow(Q_(1, "MW"), Q_(8, "degC"))
    with pytest.raises(nt.UnitError):
        sizing.pump_power(0.1, Q_(1, "bar"))
