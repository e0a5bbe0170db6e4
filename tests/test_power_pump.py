"""Constant-power pumps (``add_pump(power=)``): the law, its cap, solves
against a hand-solved cubic, speed, updates, files and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.optimize import brentq

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.components.hydraulics import KV_TO_SI
from narvik_thermal.components.pump import DEFAULT_SHUTOFF_HEAD, G, power_pump_rise
from narvik_thermal.errors import InputError, UnitError
from narvik_thermal.network.io import network_to_dict

WATER = nt.fluids.water()
KV = 20.0                # m³/h
P_IN, P_OUT = 2e5, 2.5e5  # Pa
T = Q_(20, "degC")


def pump_into_valve(power=Q_(3, "kW"), **kw):
    """Reservoir a → power pump → b → Kv valve → reservoir c (0.5 bar higher)."""
    net = nt.Network("power", fluid=WATER)
    net.add_pump("p", "a", "b", power=power, **kw)
    net.add_valve("v", "b", "c", kvs=Q_(KV, "m^3/h"))
    net.add_pressure_boundary("a", pressure=Q_(P_IN, "Pa"), temperature=T)
    net.add_pressure_boundary("c", pressure=Q_(P_OUT, "Pa"), temperature=T)
    return net


def rho_of(r, edge="p"):
    """Density of the water in an edge of a result [kg/m³]."""
    e = r.edges
    return float(e["mass_flow"].to_series()[edge] / e["volume_flow"].to_series()[edge])


def cubic_flow(P, r):
    """The pump's Q with P/Q = (p_c − p_a) + Kv loss, k Q³ + Δp Q − P = 0 (brentq),
    with the densities of the solved water in the pump and the valve (water is
    slightly compressible: they differ by 2e-5)."""
    rp, rv = rho_of(r, "p"), rho_of(r, "v")
    k = KV_TO_SI * rp * rp / (rv * KV**2)       # Δp = KV_TO_SI ṁ²/(ρ_v Kv²), ṁ = ρ_p Q
    return brentq(lambda q: k * q**3 + (P_OUT - P_IN) * q - P, 1e-9, 10.0, xtol=1e-14)


@pytest.mark.parametrize("speed", [1.0, 0.8])
def test_power_pump_matches_the_hand_solved_cubic(speed):
    r = pump_into_valve(speed=speed).solve()
    rho = rho_of(r)
    P = 3000.0 * speed**3                        # affinity laws: power ∝ speed³
    q = cubic_flow(P, r)
    qs = r.edges["volume_flow"].to_series()
    assert float(qs["p"]) == pytest.approx(q, rel=1e-6)
    assert r.pump_power("p", "hydraulic").to("W").magnitude == pytest.approx(P, rel=1e-6)
    assert r.pump_head("p").to("m").magnitude == pytest.approx(P / (rho * G * q), rel=1e-6)
    assert not any(f.kind == "pump_off_curve" for f in r.flags)


def test_power_pump_head_falls_as_one_over_flow():
    rise, slope = power_pump_rise(2000.0, 1e7, np.array([0.01, 0.02, 0.04]), 1.0)
    assert rise == pytest.approx([2e5, 1e5, 5e4])
    assert slope == pytest.approx([-2e7, -5e6, -1.25e6])


def test_power_pump_cap_is_continuous_and_reaches_the_shutoff_rise():
    P, p0 = 1500.0, 4e6
    for s in (1.0, 0.7):
        qc = 2 * P * s / p0
        lo, dlo = power_pump_rise(P, p0, qc * (1 - 1e-9), s)
        hi, dhi = power_pump_rise(P, p0, qc * (1 + 1e-9), s)
        assert float(lo) == pytest.approx(float(hi), rel=1e-8)
        assert float(dlo) == pytest.approx(float(dhi), rel=1e-8)
        assert float(hi) == pytest.approx(0.5 * p0 * s**2, rel=1e-8)   # half the shut-off
        assert float(power_pump_rise(P, p0, 0.0, s)[0]) == pytest.approx(p0 * s**2)
    # slope negative everywhere (a resistance to reverse flow), and the derivative exact
    q = np.linspace(-0.01, 0.01, 41)
    r, d = power_pump_rise(P, p0, q, 1.0)
    assert np.all(d < 0)
    h = 1e-9
    fd = (power_pump_rise(P, p0, q + h, 1.0)[0] - power_pump_rise(P, p0, q - h, 1.0)[0]) / (2 * h)
    assert d == pytest.approx(fd, rel=1e-5)


def test_dead_headed_power_pump_sits_on_its_cap_and_is_flagged():
    # 150 bar against the pump: more than its default shut-off head of 1000 m
    net = pump_into_valve(shutoff_head=Q_(50, "m"))
    net.update_boundary("c", pressure=Q_(P_IN + 6e5, "Pa"))
    r = net.solve(warn=False)
    q = float(r.edges["volume_flow"].to_series()["p"])
    rho = rho_of(r)
    # on the tangent: rise = Δp0 (1 − Q/(2 qc)) balances the boundaries and the valve
    assert q < 2 * 3000.0 / (rho * G * 50.0)
    assert r.pump_head("p").to("m").magnitude == pytest.approx(
        float(power_pump_rise(3000.0, rho * G * 50.0, q, 1.0)[0]) / (rho * G), rel=1e-6)
    assert "pump_off_curve" in {f.kind for f in r.flags}


def test_default_shutoff_head():
    net = pump_into_valve()
    comp = net.component("p")
    assert comp.shutoff_rise[0] == DEFAULT_SHUTOFF_HEAD
    net2 = pump_into_valve(shutoff_head=Q_(30, "bar"))
    assert net2.component("p").shutoff_rise[0] == pytest.approx(3e6)


def test_power_and_shutoff_head_update():
    net = pump_into_valve()
    r1 = net.solve()
    net.update("p", power=Q_(6, "kW"))
    r2 = net.solve()
    assert float(r2.edges["volume_flow"].to_series()["p"]) == pytest.approx(
        cubic_flow(6000.0, r2), rel=1e-6)
    assert float(r2.edges["volume_flow"].to_series()["p"]) > \
        float(r1.edges["volume_flow"].to_series()["p"])
    net.update("p", shutoff_head=Q_(500, "m"))
    assert net.component("p").shutoff_rise[0] == 500.0
    with pytest.raises(InputError, match=r"shut-off head; give the same kind"):
        net.update("p", shutoff_head=Q_(5, "bar"))
    with pytest.raises(UnitError):
        net.update("p", power=Q_(5, "m"))
    curve = nt.Network("c", fluid=WATER)
    curve.add_pump("p", "a", "b", head=Q_(5, "m"))
    with pytest.raises(InputError, match=r"not a constant-power pump; 'power' applies"):
        curve.update("p", power=Q_(1, "kW"))
    with pytest.raises(InputError, match=r"has no curve"):
        net.update("p", curve=(Q_([0, 1, 2], "m^3/h"), Q_([3, 2, 1], "m")))


def test_power_pump_round_trips_through_a_file(tmp_path):
    net = pump_into_valve(shutoff_head=Q_(300, "m"), speed=0.9)
    f = tmp_path / "power.json"
    nt.save_network(net, f)
    back = nt.load_network(f)
    q = lambda n: float(n.solve().edges["volume_flow"].to_series()["p"])  # noqa: E731
    assert q(back) == pytest.approx(q(net), rel=1e-12)
    assert back.component("p").power[0] == 3000.0


def test_file_without_power_fields_still_loads(tmp_path):
    # files written before constant-power pumps existed have no 'power'/'shutoff_rise'
    net = nt.Network("old", fluid=WATER)
    net.add_pump("p", "a", "b", head=Q_(5, "m"), heat_to_fluid=False)
    net.add_pipe("x", "b", "c", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("a", pressure=Q_(2, "bar"), temperature=T)
    net.add_pressure_boundary("c", pressure=Q_(2, "bar"), temperature=T)
    d = network_to_dict(net)
    for c in d["components"]:
        if c["type"] == "Pumps":
            del c["fields"]["power"], c["fields"]["shutoff_rise"]
    f = tmp_path / "old.json"
    f.write_text(json.dumps(d))
    back = nt.load_network(f)
    assert np.isnan(back.component("p").power[0])
    assert back.solve().converged


@pytest.mark.parametrize("kw, exc, match", [
    (dict(power=Q_(-1, "kW")), InputError, r"power=-1000 .*positive and finite"),
    (dict(power=Q_(0, "kW")), InputError, r"power=0 .*positive"),
    (dict(power=3000), UnitError, r"power=3000 has no units"),
    (dict(power=Q_(3, "m")), UnitError, r"power=.*dimension"),
    (dict(power=Q_(3, "kW"), head=Q_(5, "m")), InputError, r"exactly one of curve=, flow=, "
                                                           r"head= or power="),
    (dict(head=Q_(5, "m"), shutoff_head=Q_(50, "m")), InputError,
     r"shutoff_head=.*applies only to a constant-power pump"),
    (dict(power=Q_(3, "kW"), shutoff_head=Q_(-5, "m")), InputError,
     r"shutoff_head=-5 .*positive and finite"),
    (dict(power=Q_(3, "kW"), shutoff_head=Q_(5, "kg")), UnitError, r"shutoff_head"),
])
def test_bad_power_pump_is_refused_and_changes_nothing(kw, exc, match):
    net = nt.Network("bad", fluid=WATER)
    net.add_pipe("x0", "n0", "n1", length=Q_(1, "m"), diameter=Q_(50, "mm"))
    before = (net.edge_names, net.node_names)
    with pytest.raises(exc, match=match):
        net.add_pump("x", "n1", "n2", **kw)
    with pytest.raises(exc, match=match):
        net.add_pumps(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], **kw)
    assert (net.edge_names, net.node_names) == before
