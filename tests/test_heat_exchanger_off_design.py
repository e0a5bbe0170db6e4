"""Heat exchangers whose UA follows the flows (design_flows=): the component, the
law in components.thermal, a solved network against hand calculations, save/load
and update round trips."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.components import HeatExchangers
from narvik_thermal.components import heat_exchanger as hxc
from narvik_thermal.components.kinds import FlowBasis
from narvik_thermal.components.thermal import hx_ua
from narvik_thermal.correlations.hx import effectiveness_from_NTU, ua_off_design
from narvik_thermal.correlations.plate_hx import film_exponent_plate
from narvik_thermal.errors import InputError

Q_ = nt.Q_
WATER = nt.fluids.water()
UA = 50e3
DESIGN = (Q_(10, "kg/s"), Q_(10, "kg/s"))


def two_streams(mh=10.0, mc=10.0, ua=Q_(UA, "W/K"), count=1, **kw):
    """Hot water at 40 °C and cold water at 20 °C through one exchanger, open circuits."""
    net = nt.Network("hx", fluid=WATER)
    net.add_heat_exchanger("hx", hot=("h_in", "h_out"), cold=("c_in", "c_out"), ua=ua,
                           count=count, **kw)
    net.add_flow_boundary("h_in", mass_flow=Q_(mh, "kg/s"), temperature=Q_(40, "degC"))
    net.add_pressure_boundary("h_out", pressure=Q_(2, "bar"), temperature=Q_(40, "degC"))
    net.add_flow_boundary("c_in", mass_flow=Q_(mc, "kg/s"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("c_out", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
    return net


def _by_hand(res, mh, mc, ua):
    """Duty of a counterflow exchanger by ε-NTU from the solved terminal temperatures'
    mean specific heats (the solver's capacity rates)."""
    hx = res.heat_exchanger("hx")
    Th = 0.5 * (hx["hot_in"].m_as("K") + hx["hot_out"].m_as("K"))
    Tc = 0.5 * (hx["cold_in"].m_as("K") + hx["cold_out"].m_as("K"))
    Ch = mh * float(WATER.cp_pT(Th))
    Cc = mc * float(WATER.cp_pT(Tc))
    Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
    eps = effectiveness_from_NTU(ua / Cmin, Cmin / Cmax)
    return eps * Cmin * 20.0


# ------------------------------------------------------------------ component
def test_component_fields_defaults_and_constant_ua_without_design_flows():
    c = HeatExchangers.from_quantities(["a", "b"], ua=Q_([1, 2], "kW/K"))
    assert np.isnan(c.hot_design_flow).all() and np.isnan(c.cold_design_flow).all()
    assert (c.flow_exponent == hxc.DEFAULT_FLOW_EXPONENT).all()
    assert (c.hot_film_share == 0.5).all() and (c.wall_share == hxc.DEFAULT_WALL_SHARE).all()
    c = HeatExchangers.from_quantities(["a", "b"], ua=Q_(1, "kW/K"),
                                       design_flows=(Q_([2, 3], "kg/s"), Q_(36, "m^3/h")),
                                       flow_exponent=0.6, hot_film_share=[0.3, 0.7],
                                       wall_share=0.1)
    np.testing.assert_array_equal(c.hot_design_flow, [2.0, 3.0])
    np.testing.assert_allclose(c.cold_design_flow, 0.01, rtol=1e-15)
    assert (c.hot_design_basis == FlowBasis.MASS).all()
    assert (c.cold_design_basis == FlowBasis.VOLUME).all()
    np.testing.assert_array_equal(c.hot_film_share, [0.3, 0.7])
    # the law's parameters reach both edges
    for side in c.edge_sides():
        np.testing.assert_array_equal(side.params["hx_hot_design"], c.hot_design_flow)
        np.testing.assert_array_equal(side.params["hx_wall_share"], c.wall_share)


def test_default_exponent_and_wall_share_are_what_their_sources_give():
    # Martin (VDI Heat Atlas B6): 0.71-0.73 over Re 2000-1e4 and 30-65 degrees;
    # 0.726 at Re 3000, 45 degrees
    n = film_exponent_plate(np.geomspace(2000.0, 1e4, 9), np.array([[30.0], [45.0], [65.0]]))
    assert np.all(np.abs(n - hxc.DEFAULT_FLOW_EXPONENT) <= 0.015)
    # 0.5 mm titanium (21.9 W/(m K), Incropera Table A.1) + 7e-5 m2K/W (R45) at
    # U = 1/(1/4000 + 7e-5) (R44)
    U = 1.0 / (1.0 / 4000.0 + 7e-5)
    assert (0.5e-3 / 21.9 + 7e-5) * U == pytest.approx(hxc.DEFAULT_WALL_SHARE, abs=0.005)


@pytest.mark.parametrize("kw,match", [
    (dict(ua=Q_(1, "kW/K"), flow_exponent=0.7), "only act with design_flows"),
    (dict(effectiveness=0.8, design_flows=DESIGN), "needs\nua=|needs ua="),
    (dict(ua=Q_(1, "kW/K"), design_flows=(Q_(1, "kg/s"),)), "must be a pair"),
    (dict(ua=Q_(1, "kW/K"), design_flows=(Q_(1, "kg/s"), Q_(1, "kW"))), "design_flows\\[1\\]"),
    (dict(ua=Q_(1, "kW/K"), design_flows=(Q_(0, "kg/s"), Q_(1, "kg/s"))), "hot_design_flow"),
    (dict(ua=Q_(1, "kW/K"), design_flows=DESIGN, flow_exponent=1.2), "flow_exponent"),
    (dict(ua=Q_(1, "kW/K"), design_flows=DESIGN, hot_film_share=-0.1), "hot_film_share"),
    (dict(ua=Q_(1, "kW/K"), design_flows=DESIGN, wall_share=1.0), "wall_share"),
])
def test_component_errors(kw, match):
    with pytest.raises(InputError, match=match):
        HeatExchangers.from_quantities(["x"], **kw)


def test_hx_ua_law_by_hand_volume_basis_and_count():
    # two exchangers: one constant, one with a volume-basis cold design flow, 3 units
    c = HeatExchangers.from_quantities(["a", "b"], ua=Q_([1e4, 2e4], "W/K"),
                                       design_flows=(Q_([1.0, 2.0], "kg/s"),
                                                     Q_([1e-3, 4e-3], "m^3/s")),
                                       hot_film_share=0.6, wall_share=0.2, count=3)
    p = {k: v for k, v in c.edge_sides()[0].params.items() if k.startswith("hx_")}
    m_h, m_c = np.array([1.5, 3.0]), np.array([6e-3 * 990.0, 0.0])
    rho = np.array([990.0, 990.0])
    ua = hx_ua(p, m_h, m_c, rho, rho, np.array([3.0, 3.0]))
    x_h, x_c = m_h / (3 * np.array([1.0, 2.0])), m_c / (3 * np.array([1e-3, 4e-3]) * rho)
    R0 = 1.0 / np.array([1e4, 2e4])
    ref0 = 3.0 / (0.8 * 0.6 * R0[0] * x_h[0] ** -0.72 + 0.8 * 0.4 * R0[0] * x_c[0] ** -0.72
                  + 0.2 * R0[0])
    assert ua[0] == pytest.approx(ref0, rel=1e-14)
    assert ua[1] == 0.0                    # no cold flow: UA -> 0
    c0 = HeatExchangers.from_quantities(["a"], ua=Q_(1e4, "W/K"), count=2)
    p0 = {k: v for k, v in c0.edge_sides()[0].params.items() if k.startswith("hx_")}
    assert hx_ua(p0, np.array([7.0]), np.array([0.0]), rho[:1], rho[:1],
                 np.array([2.0]))[0] == 2e4                    # constant without design flows


# -------------------------------------------------------------------- network
def test_design_point_is_the_constant_ua_solution():
    r0 = two_streams().solve()
    r1 = two_streams(design_flows=DESIGN).solve()
    assert r1.heat_exchanger("hx")["ua"].m_as("W/K") == pytest.approx(UA, rel=1e-13)
    np.testing.assert_allclose(r1.state.temperature, r0.state.temperature, rtol=0, atol=1e-9)
    assert r1.state.record["outer"] == r0.state.record["outer"]
    # volume-basis design flows equal to the solved volume flows: the same design point
    rho_h = r0.edges["mass_flow"].sel(edge="hx:hot").item() / r0.edges["volume_flow"].sel(
        edge="hx:hot").item()
    r2 = two_streams(design_flows=(Q_(10 / rho_h, "m^3/s"), Q_(10, "kg/s"))).solve()
    assert r2.heat_exchanger("hx")["ua"].m_as("W/K") == pytest.approx(UA, rel=1e-10)


@pytest.mark.parametrize("mh,mc", [(10.0, 5.0), (4.0, 10.0), (3.0, 17.0), (20.0, 20.0)])
def test_off_design_point_against_epsilon_ntu_by_hand(mh, mc):
    kw = dict(design_flows=DESIGN, hot_film_share=0.4, wall_share=0.2, flow_exponent=0.7)
    res = two_streams(mh, mc, **kw).solve()
    ua = ua_off_design(UA, mh / 10.0, mc / 10.0, 0.7, 0.4, 0.2)
    hx = res.heat_exchanger("hx")
    assert hx["ua"].m_as("W/K") == pytest.approx(ua, rel=1e-12)
    assert hx["duty"].m_as("W") == pytest.approx(_by_hand(res, mh, mc, ua), rel=1e-6)
    # the same point with a constant UA of that value
    ref = two_streams(mh, mc, ua=Q_(ua, "W/K")).solve()
    np.testing.assert_allclose(res.state.temperature, ref.state.temperature, atol=1e-6)


def test_duty_monotone_in_each_flow():
    def duty(mh, mc):
        return two_streams(mh, mc, design_flows=DESIGN).solve().heat_exchanger("hx")[
            "duty"].m_as("W")
    d = [duty(10.0, mc) for mc in (0.5, 2.0, 5.0, 10.0, 20.0)]
    assert np.all(np.diff(d) > 0)
    d = [duty(mh, 10.0) for mh in (0.5, 2.0, 5.0, 10.0, 20.0)]
    assert np.all(np.diff(d) > 0)
    # UA itself is monotone in the flows (the law), and lower than the constant UA
    # below design: a part-flow exchanger transfers less than a constant-UA model says
    r = two_streams(10.0, 5.0, design_flows=DESIGN).solve()
    r0 = two_streams(10.0, 5.0).solve()
    assert r.heat_exchanger("hx")["duty"] < r0.heat_exchanger("hx")["duty"]


@pytest.mark.parametrize("side", ["hot", "cold"])
def test_zero_flow_on_one_side(side):
    mh, mc = (0.0, 10.0) if side == "hot" else (10.0, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = two_streams(mh, mc, design_flows=DESIGN).solve()
    hx = res.heat_exchanger("hx")
    assert hx["ua"].m_as("W/K") == 0.0 and hx["duty"].m_as("W") == 0.0
    assert np.all(np.isfinite(res.state.temperature))
    # tiny flow: UA ~ x^n, the duty goes smoothly to zero
    small = [two_streams(*((m, 10.0) if side == "hot" else (10.0, m)),
                         design_flows=DESIGN).solve().heat_exchanger("hx")["duty"].m_as("W")
             for m in (1e-2, 1e-4)]
    assert 0 < small[1] < small[0] < 0.01 * 4186 * 20 * 1.0001


def test_count_scales_per_unit():
    r1 = two_streams(5.0, 8.0, design_flows=DESIGN).solve()
    r3 = two_streams(15.0, 24.0, design_flows=DESIGN, count=3).solve()
    assert r3.heat_exchanger("hx")["ua"].m_as("W/K") == pytest.approx(
        3 * r1.heat_exchanger("hx")["ua"].m_as("W/K"), rel=1e-12)
    assert r3.heat_exchanger("hx")["duty"].m_as("W") == pytest.approx(
        3 * r1.heat_exchanger("hx")["duty"].m_as("W"), rel=1e-8)


def test_outer_loop_with_flows_that_follow_temperature():
    # a closed loop whose pump delivers a volume flow: the mass flow (and with it the
    # UA) changes with the solved density each outer iteration; it still converges
    net = nt.Network("loop", fluid=WATER)
    net.add_pump("pump", "a", "b", flow=Q_(2, "L/s"))
    net.add_heat_load("load", "b", "c", heat=Q_(60, "kW"))
    net.add_heat_exchanger("hx", hot=("c", "a"), cold=("c_in", "c_out"), ua=Q_(8, "kW/K"),
                           design_flows=(Q_(2.2, "kg/s"), Q_(3, "kg/s")))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.add_flow_boundary("c_in", mass_flow=Q_(2.5, "kg/s"), temperature=Q_(15, "degC"))
    net.add_pressure_boundary("c_out", pressure=Q_(2, "bar"), temperature=Q_(15, "degC"))
    res = net.solve()
    m = res.mass_flow("hx:hot").m_as("kg/s")
    ua = ua_off_design(8e3, m / 2.2, 2.5 / 3.0, hxc.DEFAULT_FLOW_EXPONENT,
                       hxc.DEFAULT_HOT_FILM_SHARE, hxc.DEFAULT_WALL_SHARE)
    assert res.heat_exchanger("hx")["ua"].m_as("W/K") == pytest.approx(ua, rel=1e-9)
    assert res.heat_exchanger("hx")["duty"].m_as("W") == pytest.approx(
        60e3 + res.heat_flow("pump").m_as("W"), rel=1e-9)
    assert res.state.record["outer"] < 15


# ---------------------------------------------------------- save/load, update
@pytest.mark.parametrize("ext", ["json", "yaml"])
def test_save_load_roundtrip(tmp_path, ext):
    kw = dict(design_flows=(Q_(10, "kg/s"), Q_(36, "m^3/h")), hot_film_share=0.35,
              wall_share=0.15, flow_exponent=0.65)
    net = two_streams(6.0, 9.0, **kw)
    r1 = net.solve()
    f = tmp_path / f"n.{ext}"
    nt.save_network(net, f)
    back = nt.load_network(f)
    comp = back.component("hx")
    np.testing.assert_allclose(comp.cold_design_flow, [0.01], rtol=1e-15)
    assert comp.cold_design_basis[0] == FlowBasis.VOLUME
    assert (comp.hot_film_share[0], comp.wall_share[0], comp.flow_exponent[0]) == (0.35, 0.15,
                                                                                   0.65)
    r2 = back.solve()
    np.testing.assert_array_equal(r2.state.temperature, r1.state.temperature)
    # a constant-UA exchanger saves NaN design flows and loads as constant
    net0 = two_streams(6.0, 9.0)
    nt.save_network(net0, f)
    assert np.isnan(nt.load_network(f).component("hx").hot_design_flow).all()


def test_file_without_the_off_design_fields_loads_with_constant_ua():
    from narvik_thermal.network.io import network_from_dict, network_to_dict
    d = network_to_dict(two_streams(6.0, 9.0))
    (c,) = [c for c in d["components"] if "ua" in c["fields"]]
    for k in hxc.OFF_DESIGN_FIELDS:
        del c["fields"][k]
    back = network_from_dict(d)
    np.testing.assert_allclose(back.solve().state.temperature,
                               two_streams(6.0, 9.0).solve().state.temperature, atol=1e-12)
    # some but not all of them: a clear error
    d = network_to_dict(two_streams(6.0, 9.0))
    (c,) = [c for c in d["components"] if "ua" in c["fields"]]
    del c["fields"]["wall_share"]
    with pytest.raises(InputError, match="missing \\['wall_share'\\]"):
        network_from_dict(d)


def test_update_matches_a_rebuilt_network():
    net = two_streams(6.0, 9.0)
    r0 = net.solve()
    net.update("hx", design_flows=DESIGN, wall_share=0.1, hot_film_share=0.6, flow_exponent=0.8)
    r1 = net.solve(initial=r0)
    ref = two_streams(6.0, 9.0, design_flows=DESIGN, wall_share=0.1, hot_film_share=0.6,
                      flow_exponent=0.8).solve()
    np.testing.assert_allclose(r1.state.temperature, ref.state.temperature, atol=1e-6)
    # the UA given with design flows is the UA at the design flows
    net.update_exchanger("hx", ua=Q_(40, "kW/K"))
    r2 = net.solve()
    assert r2.heat_exchanger("hx")["ua"].m_as("W/K") == pytest.approx(
        ua_off_design(40e3, 0.6, 0.9, 0.8, 0.6, 0.1), rel=1e-12)
    # an effectiveness replaces the law only together with design_flows=None
    with pytest.raises(InputError, match="design_flows=None"):
        net.update("hx", effectiveness=0.5)
    r_before = net.solve()
    np.testing.assert_array_equal(r_before.state.temperature, r2.state.temperature)
    net.update("hx", effectiveness=0.5, design_flows=None)
    assert net.solve().heat_exchanger("hx")["effectiveness"] == pytest.approx(0.5)
    # back to constant UA
    net.update("hx", ua=Q_(50, "kW/K"))
    np.testing.assert_allclose(net.solve().state.temperature, r0.state.temperature, atol=1e-6)
    with pytest.raises(InputError, match="wall_share"):
        net.update("hx", wall_share=1.5)
