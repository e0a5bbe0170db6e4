"""The public contract as a careless user meets it (issue "Core: robust…", item 3):
nodes declared by boundaries and fluids, all-or-nothing ``add_*`` and ``update``,
duplicate names of every kind, plural forms of every ``add_*``.
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError, TopologyError

WATER = nt.fluids.water()


def test_design_contract_example_builds_and_names_what_is_missing():
    # DESIGN.md's example, as written: the boundaries create their nodes; the
    # example is not a complete network, and compile names the unreached nodes
    net = nt.Network("rack-42")
    net.add_node("s0", elevation=Q_(0, "m"))
    net.add_pipe("p1", "s0", "s1", length=Q_(2, "m"), diameter=Q_(40, "mm"),
                 roughness=Q_(0.01, "mm"))
    net.add_pump("pump", "r_end", "s0", curve=(Q_([0, 100, 200], "m^3/h"), Q_([30, 25, 12], "m")))
    net.add_cold_plate("gpu0", "s1", "r1", heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
    net.add_heat_load("tray-air", "r1", "r2", heat=Q_(-0.3, "kW"))
    net.add_heat_exchanger("cdu", hot=("r_end", "hx_out"), cold=("fw_in", "fw_out"),
                           ua=Q_(400, "kW/K"), arrangement="counterflow")
    net.add_expansion_tank("s0", pressure=Q_(2, "bar"))
    net.add_pressure_boundary("fjord_in", pressure=Q_(1, "atm"), temperature=Q_(6, "degC"))
    net.add_flow_boundary("inlet", mass_flow=Q_(3, "kg/s"), temperature=Q_(30, "degC"))
    net.set_fluid("s0", nt.fluids.propylene_glycol(0.25))
    assert "fjord_in" in net.node_names and "inlet" in net.node_names
    with pytest.raises(TopologyError, match=r"not reached by any edge: \['fjord_in', 'inlet'\]"):
        net.solve()


def test_boundary_before_the_edges_that_reach_it():
    net = nt.Network("early")
    net.add_pressure_boundary("out", pressure=Q_(1, "bar"), temperature=Q_(20, "degC"))
    net.add_flow_boundary("in", mass_flow=Q_(1, "kg/s"), temperature=Q_(20, "degC"))
    net.set_fluid("in", WATER)
    net.add_pipe("p", "in", "out", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    r = net.solve()
    assert r.mass_flow("p").m_as("kg/s") == pytest.approx(1.0)


def _loop():
    net = nt.Network("loop", fluid=WATER)
    net.add_pump("pump", "a", "b", head=Q_(10, "m"))
    net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
    net.add_heat_loads(["l1", "l2"], ["c", "c"], ["d", "d"], heat=Q_([1, 2], "kW"))
    net.add_heat_exchanger("hx", hot=("d", "a"), cold=("w_in", "w_out"), ua=Q_(2, "kW/K"))
    net.add_flow_boundary("w_in", mass_flow=Q_(1, "kg/s"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("w_out", pressure=Q_(1, "bar"), temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    return net


def _snapshot(net, tmp_path, tag):
    path = tmp_path / f"{tag}.json"
    nt.save_network(net, path)
    return path.read_bytes(), net.node_names, net.edge_names


@pytest.mark.parametrize("call", [
    # a heat exchanger whose cold side fails validation: not even the hot side stays
    lambda n: n.add_heat_exchanger("hx2", hot=("x1", "x2"), cold=("y1", "y2"), ua=Q_(1, "kW/K"),
                                   cold_pressure_drop=Q_(-1, "kPa"), cold_rated_flow=Q_(1, "kg/s")),
    lambda n: n.add_heat_pump("hp", evaporator=("x1", "x2"), condenser=("y1", "y2"),
                              supply_temperature=Q_(85, "degC"), efficiency=1.5),
    lambda n: n.add_pipes(["q1", "q2"], ["x", "y"], ["y", "y"], length=Q_(1, "m"),
                          diameter=Q_(20, "mm")),                       # q2 from y to y
    lambda n: n.add_pipes(["q1", "pipe"], ["x", "y"], ["y", "z"], length=Q_(1, "m"),
                          diameter=Q_(20, "mm")),                       # duplicate 'pipe'
    lambda n: n.add_heat_loads(["l3", "l4"], "x", "y", heat=Q_([1, 2, 3], "kW")),
    lambda n: n.add_flow_boundaries(["n1", "a"], mass_flow=Q_(1, "kg/s"),
                                    temperature=Q_(20, "degC")),        # 'a' has a tank
    lambda n: n.update(["l1", "l2"], heat=Q_([5, np.nan], "kW")),
    lambda n: n.update(["l1", "pump", "hx"], heat=Q_(5, "kW")),         # a pump has no heat
    lambda n: n.update(["l1", "nowhere"], heat=Q_(5, "kW")),
    lambda n: n.update_boundary("w_in", mass_flow=Q_(2, "kg/s"), temperature=Q_(-300, "degC")),
    lambda n: n.update_exchanger("hx", ua=Q_(-1, "kW/K")),
    lambda n: n.add_controls(["c1", "c2"], actuators=[("pump_speed", "pump")] * 2,
                             targets=[("temperature", "d")] * 2, setpoints=Q_(30, "degC"),
                             bounds=[(0.5, 1.5), (1.5, 0.5)]),
])
def test_a_failed_call_leaves_the_network_as_it_was(call, tmp_path):
    net = _loop()
    r0 = net.solve()
    before = _snapshot(net, tmp_path, "before")
    with pytest.raises((InputError, TopologyError)):
        call(net)
    assert _snapshot(net, tmp_path, "after") == before
    r1 = net.solve(initial=r0)
    np.testing.assert_allclose(r1.state.mass_flow, r0.state.mass_flow, rtol=1e-9)


def test_closed_circuit_flow_boundaries_that_cannot_balance_are_refused():
    net = nt.Network("closed", fluid=WATER)
    net.add_pipes(["p1", "p2"], ["a", "b"], ["b", "c"], length=Q_(10, "m"),
                  diameter=Q_(50, "mm"))
    net.add_heat_load("h", "c", "a", heat=Q_(0, "kW"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    net.add_flow_boundary("b", mass_flow=Q_(1, "kg/s"), temperature=Q_(20, "degC"))
    net.add_flow_boundary("c", mass_flow=Q_(-1, "kg/s"), temperature=Q_(20, "degC"))
    net.add_setpoint("sp", "c", "d", outlet_temperature=Q_(20, "degC"))
    net.add_pipe("p3", "d", "a", length=Q_(1, "m"), diameter=Q_(50, "mm"))
    net.solve()
    with pytest.raises(TopologyError, match="cannot balance"):
        net.update_boundary("b", mass_flow=Q_(2, "kg/s"))
    assert net.boundaries["b"].flow == 1.0          # refused, not kept


@pytest.mark.parametrize("dup", [
    lambda n: n.add_pipe("pipe", "x", "y", length=Q_(1, "m"), diameter=Q_(20, "mm")),
    lambda n: n.add_pump("l1", "x", "y", head=Q_(1, "m")),
    lambda n: n.add_heat_exchanger("hx", hot=("x1", "x2"), cold=("y1", "y2"), ua=Q_(1, "kW/K")),
    lambda n: n.add_heat_pump("hx", evaporator=("x1", "x2"), condenser=("y1", "y2"),
                              supply_temperature=Q_(80, "degC")),
    lambda n: n.add_consumer("pump", "x", "y", heat=Q_(1, "kW"), delta_t=Q_(30, "K")),
    lambda n: n.add_node("b", elevation=Q_(1, "m")) or n.add_node("b", elevation=Q_(2, "m")),
    lambda n: n.add_expansion_tank("a", pressure=Q_(1, "bar")),
    lambda n: n.add_control("c", actuator=("boundary_flow", "w_in"), target=("temperature", "d"),
                            setpoint=Q_(30, "degC"), bounds=(Q_(0.5, "kg/s"), Q_(1.5, "kg/s")))
    or n.add_control("c", actuator=("boundary_temperature", "w_in"),
                     target=("temperature", "d"), setpoint=Q_(30, "degC"),
                     bounds=(Q_(5, "degC"), Q_(25, "degC"))),
])
def test_duplicate_names_of_every_kind_are_refused(dup):
    with pytest.raises(TopologyError, match="duplicate|already has"):
        dup(_loop())


def test_every_add_has_a_plural_form():
    singular = {m for m in dir(nt.Network) if m.startswith("add_") and not m.endswith("s")
                and m not in ("add_boundary", "add_control_loop")}
    plural_of = {"add_node": "add_nodes", "add_pressure_boundary": "add_pressure_boundaries",
                 "add_flow_boundary": "add_flow_boundaries"}
    for m in sorted(singular):
        assert hasattr(nt.Network, plural_of.get(m, m + "s")), m


def test_plural_boundaries_and_controls():
    net = nt.Network("plural", fluid=WATER)
    net.add_pipes(["p1", "p2"], ["i1", "i2"], ["o1", "o2"], length=Q_(10, "m"),
                  diameter=Q_(50, "mm"))
    net.add_flow_boundaries(["i1", "i2"], mass_flow=Q_([1, 2], "kg/s"),
                            temperature=Q_(20, "degC"))
    net.add_pressure_boundaries(["o1", "o2"], pressure=Q_(1, "bar"),
                                temperature=Q_([20, 25], "degC"))
    r = net.solve()
    assert r.mass_flow("p2").m_as("kg/s") == pytest.approx(2.0)
    assert net.boundaries["o2"].temperature == pytest.approx(298.15)
    loop = nt.Network("tanks", fluid=WATER)
    loop.add_expansion_tanks(["a"], pressure=Q_([2], "bar"))
    assert loop.boundaries["a"].pressure == pytest.approx(2e5)


def test_plural_add_takes_one_node_name_for_all_or_one_per_edge():
    net = nt.Network("plural", fluid=WATER)
    net.add_pipes(["x1", "x2"], ["a", "a"], "b", length=Q_(1, "m"), diameter=Q_(50, "mm"))
    assert set(net.node_names) == {"a", "b"}
    # a list one short (an end node left out) was spread over the edges: two parallel
    # pipes instead of an error
    with pytest.raises(InputError, match="2 edges, 2 start nodes and 1 end nodes"):
        net.add_pipes(["y1", "y2"], ["a", "a"], ["c"], length=Q_(1, "m"),
                      diameter=Q_(50, "mm"))
    assert "y1" not in net.edge_names and "c" not in net.node_names
