"""What a user asks a solved network first: the hottest chip, a heat exchanger's
approach and terminal temperatures, gauge pressure, where the heat of a closed
loop goes — and a summary of any result, a failed solve's included.

Hand checks on a constant-property fluid (see tests/test_network_validation.py).
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import ConvergenceError, InputError
from narvik_thermal.network.synthetic import rack_loop_network

RHO, MU, CP = 998.2, 1.002e-3, 4182.0
FLUID = nt.fluids.tabulated(
    "const", temperature=Q_([-50.0, 150.0], "degC"), density=Q_([RHO, RHO], "kg/m^3"),
    specific_heat=Q_([CP, CP], "J/(kg*K)"), viscosity=Q_([MU, MU], "Pa*s"),
    conductivity=Q_([0.6, 0.6], "W/(m*K)"))


@pytest.fixture(scope="module")
def rack():
    return rack_loop_network(2, 4).solve()


def test_hottest_chip_of_all_and_of_a_group(rack):
    t = rack.edges["chip_temperature"]
    hc = rack.hottest_chip()
    assert hc.temperature.m == pytest.approx(float(t.max()), rel=1e-12)
    assert hc.name == str(t.idxmax().item())
    # a group: the hottest of rack 0's plates, by name
    group = [n for n in rack.edges.edge.values if str(n).startswith("r0.gpu")]
    hg = rack.hottest_chip(group)
    assert hg.name in group
    assert hg.temperature.m == pytest.approx(float(t.sel(edge=group).max()), rel=1e-12)
    # the limit and the margin to it
    assert hc.margin.m == pytest.approx(hc.limit.m - hc.temperature.m, rel=1e-12)
    with pytest.raises(InputError, match="'cdu:hot' is not a cold plate"):
        rack.hottest_chip(["cdu:hot"])
    with pytest.raises(InputError, match="'r0.s0' is a node, not an edge"):
        rack.hottest_chip(["r0.s0"])


def test_edge_chip_temperature_is_the_datasets_array(rack):
    import numpy as np
    a = rack.edge_chip_temperature
    np.testing.assert_array_equal(a, rack.edges["chip_temperature"].values)
    a[:] = 0.0                  # a new array each time: the result is not changed
    assert np.isnan(rack.edge_chip_temperature).any()
    assert np.nanmax(rack.edge_chip_temperature) > 0.0


def test_hottest_chip_without_cold_plates_says_so():
    net = nt.Network("no plates", fluid=FLUID)
    net.add_pipe("p", "a", "b", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    net.add_flow_boundary("a", mass_flow=Q_(0.1, "kg/s"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("b", pressure=Q_(1, "bar"), temperature=Q_(20, "degC"))
    with pytest.raises(InputError, match="has no cold plates"):
        net.solve().hottest_chip()


@pytest.mark.parametrize("arrangement", ["counterflow", "parallel"])
def test_heat_exchanger_terminal_temperatures_and_approach(arrangement):
    # two open streams: hot 1 kg/s at 60 °C, cold 2 kg/s at 20 °C, UA 5 kW/K
    net = nt.Network("hx", fluid=FLUID)
    net.add_heat_exchanger("hx", hot=("h_in", "h_out"), cold=("c_in", "c_out"),
                           ua=Q_(5, "kW/K"), arrangement=arrangement)
    for side, m, t in (("h", 1.0, 60.0), ("c", 2.0, 20.0)):
        net.add_flow_boundary(f"{side}_in", mass_flow=Q_(m, "kg/s"), temperature=Q_(t, "degC"))
        net.add_pressure_boundary(f"{side}_out", pressure=Q_(1, "bar"), temperature=Q_(t, "degC"))
    r = net.solve()
    h = r.heat_exchanger("hx")
    C_h, C_c = 1.0 * CP, 2.0 * CP
    q = h["duty"].m
    assert h["hot_in"].m == pytest.approx(60.0) and h["cold_in"].m == pytest.approx(20.0)
    assert h["hot_out"].m == pytest.approx(60 - q / C_h, abs=1e-9)
    assert h["cold_out"].m == pytest.approx(20 + q / C_c, abs=1e-9)
    if arrangement == "counterflow":
        d1, d2 = 60 - h["cold_out"].m, h["hot_out"].m - 20
    else:
        d1, d2 = 40.0, h["hot_out"].m - h["cold_out"].m
    assert h["hot_end"].m == pytest.approx(d1, abs=1e-9)
    assert h["cold_end"].m == pytest.approx(d2, abs=1e-9)
    assert h["approach"].m == pytest.approx(min(d1, d2), abs=1e-9)
    # the LMTD method gives the same duty: Q = UA · LMTD (exact for these two
    # arrangements with constant properties)
    assert q == pytest.approx(5e3 * h["lmtd"].m, rel=1e-9)
    assert h["effectiveness"] == pytest.approx(q / (min(C_h, C_c) * 40), rel=1e-12)
    with pytest.raises(InputError, match="unknown heat exchanger name 'hxx'.*Did you mean 'hx'"):
        r.heat_exchanger("hxx")


def test_gauge_pressure(rack):
    p = rack.pressure("r0.s0")
    assert rack.pressure("r0.s0", gauge=True).m == pytest.approx(p.m - 101325.0, abs=1e-9)
    assert float(rack.nodes["gauge_pressure"].sel(node="r0.s0")) == pytest.approx(p.m - 101325.0)


def test_heat_of_a_closed_loop_by_kind(rack):
    by = rack.heat_by_kind()
    loop = next(v for k, v in by.items() if "r0.s0" in k)
    # the chips and the pump put heat in, the CDU takes it out, and it adds up
    assert loop["cold_plate"].m > 0 and loop["pump"].m > 0 and loop["hx_hot"].m < 0
    total = sum(v.m for v in loop.values())
    assert abs(total) <= 1e-9 * loop["cold_plate"].m
    plates = rack.edges["heat_flow"].where(rack.edges["kind"] == "cold_plate").sum()
    assert loop["cold_plate"].m == pytest.approx(float(plates), rel=1e-12)
    text = rack.summary()
    assert "cold plate +" in text and "hx hot -" in text and "hottest chip" in text


def test_summary_of_a_failed_solve_can_be_read():
    # a fixed-flow pump pushing against a pump of fixed rise in series: hydraulics
    # that cannot converge in 1 Newton iteration; the carried result summarises
    net = rack_loop_network(1, 4)
    with pytest.raises(ConvergenceError) as err:
        net.solve(max_newton=1, max_outer=1)
    res = err.value.result
    text = res.summary()
    assert "converged: False" in text
    assert res.converged is False
