"""Property tests of the network solver on random networks (hypothesis).

Valid networks: a pump drives a random set of branches (chains of pipes, heat
loads and cold plates between a supply and a return header, with random
cross-connections that make loops), anchored thermally by a set-point, a pipe
losing heat to ambient, or a heat exchanger to a second circuit (closed with a
set-point, or open with boundaries); the pressure reference is an expansion
tank (closed loop) or pressure boundaries (open loop). Every one must converge
and close mass and energy to 1e-9 relative, and the heat balances must add up.

Invalid networks: the same generator with one defect (no pressure reference,
a self-loop, a duplicate name, an unreachable node) must raise the specific
error that names it.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import PhysicsWarning, TopologyError

TOL = 1e-9
SETTINGS = dict(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

FLUIDS = {
    "const": nt.fluids.tabulated(
        "hyp-const", temperature=Q_([-20.0, 150.0], "degC"), density=Q_([1000.0, 1000.0], "kg/m^3"),
        specific_heat=Q_([4180.0, 4180.0], "J/(kg*K)"), viscosity=Q_([1e-3, 1e-3], "Pa*s"),
        conductivity=Q_([0.6, 0.6], "W/(m*K)")),
    "water": nt.fluids.water(),
    "pg25": nt.fluids.propylene_glycol(0.25),
}


@st.composite
def network_specs(draw):
    n_branches = draw(st.integers(1, 4))
    branches = []
    for b in range(n_branches):
        n_el = draw(st.integers(1, 3))
        els = []
        for k in range(n_el):
            # every branch holds at least one rated component (load or plates),
            # so no branch is starved by a pipe-only bypass: a heat load on a
            # starved branch boils its coolant (a physical, not a numerical,
            # failure that the generator must not produce)
            kinds = ["load", "plate"] if k == 0 else ["pipe", "pipe", "load", "plate"]
            kind = draw(st.sampled_from(kinds))
            els.append(dict(
                kind=kind,
                L=draw(st.floats(0.5, 80.0)),
                D=draw(st.floats(0.02, 0.08)),
                heat=draw(st.floats(0.0, 3000.0)),
                lcount=draw(st.integers(1, 3))))
        branches.append(els)
    # cross-connections between intermediate nodes of different branches (loops)
    n_chords = draw(st.integers(0, 3))
    chords = [(draw(st.integers(0, n_branches - 1)), draw(st.integers(0, 3)),
               draw(st.integers(0, n_branches - 1)), draw(st.integers(0, 3)),
               draw(st.floats(1.0, 30.0)), draw(st.floats(0.01, 0.05)))
              for _ in range(n_chords)]
    return dict(
        branches=branches, chords=chords,
        fluid=draw(st.sampled_from(sorted(FLUIDS))),
        shutoff=draw(st.floats(8.0, 40.0)),
        qmax=draw(st.floats(2.0, 20.0)),           # L/s at zero head
        anchor=draw(st.sampled_from(["setpoint", "ambient", "hx_closed", "hx_open"])),
        reference=draw(st.sampled_from(["tank", "boundaries"])),
        t_set=draw(st.floats(15.0, 35.0)),
        elev=draw(st.floats(0.0, 10.0)),
    )


def build(spec, *, defect=None):
    """Build the network of ``spec``; ``defect`` injects one structural error."""
    fluid = FLUIDS[spec["fluid"]]
    net = nt.Network("hyp", fluid=fluid)
    net.add_node("S", elevation=Q_(spec["elev"], "m"))
    q = [0.0, 0.5 * spec["qmax"], spec["qmax"]]
    h0 = spec["shutoff"]
    net.add_pump("pump", "P", "S", curve=(Q_(q, "L/s"), Q_([h0, 0.75 * h0, 0.0], "m")))
    inner = []            # intermediate nodes per branch
    e = 0
    for b, els in enumerate(spec["branches"]):
        prev = "S"
        nodes = []
        for k, el in enumerate(els):
            nxt = "R" if k == len(els) - 1 else f"b{b}n{k}"
            name = f"b{b}e{k}"
            if el["kind"] == "pipe":
                net.add_pipe(name, prev, nxt, length=Q_(el["L"], "m"), diameter=Q_(el["D"], "m"))
            elif el["kind"] == "load":
                net.add_heat_load(name, prev, nxt, heat=Q_(el["heat"], "W"),
                                  pressure_drop=Q_(10 + el["L"], "kPa"), rated_flow=Q_(1, "L/s"),
                                  count=el["lcount"])
            else:
                net.add_cold_plate(name, prev, nxt, heat=Q_(el["heat"] / 3, "W"),
                                   thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(2, "L/min"),
                                   rated_pressure_drop=Q_(20, "kPa"), count=10 * el["lcount"])
            if nxt != "R":
                nodes.append(nxt)
            prev = nxt
            e += 1
        inner.append(nodes)
    for c, (b1, k1, b2, k2, L, D) in enumerate(spec["chords"]):
        if not inner[b1] or not inner[b2]:
            continue
        n1, n2 = inner[b1][k1 % len(inner[b1])], inner[b2][k2 % len(inner[b2])]
        if n1 != n2:
            net.add_pipe(f"chord{c}", n1, n2, length=Q_(L, "m"), diameter=Q_(D, "m"))
    # return main and thermal anchor between R and the pump suction P
    anchor = spec["anchor"]
    if anchor == "setpoint":
        net.add_setpoint("anchor", "R", "P", outlet_temperature=Q_(spec["t_set"], "degC"))
    elif anchor == "ambient":
        net.add_pipe("anchor", "R", "P", length=Q_(50, "m"), diameter=Q_(0.08, "m"),
                     u_value=Q_(20, "W/(m*K)"), ambient=Q_(spec["t_set"], "degC"))
    else:
        net.add_heat_exchanger("anchor", hot=("R", "P"), cold=("x_in", "x_out"),
                               ua=Q_(3, "kW/K"))
        if anchor == "hx_closed":
            net.add_pump("x_pump", "x_out", "x_a", flow=Q_(0.5, "kg/s"))
            net.add_setpoint("x_cooler", "x_a", "x_in", outlet_temperature=Q_(spec["t_set"] - 5,
                                                                            "degC"))
            net.add_expansion_tank("x_in", pressure=Q_(1.5, "bar"))
        else:
            net.add_flow_boundary("x_in", mass_flow=Q_(0.8, "kg/s"),
                                  temperature=Q_(spec["t_set"] - 8, "degC"))
            net.add_pressure_boundary("x_out", pressure=Q_(1, "atm"),
                                      temperature=Q_(spec["t_set"], "degC"))
        net.set_fluid("x_in", FLUIDS["water"])
    if defect != "no_reference":
        if spec["reference"] == "tank":
            net.add_expansion_tank("P", pressure=Q_(2, "bar"))
        else:
            # open loop: feed at P from a boundary, spill from S through a relief pipe
            net.add_pipe("relief", "S", "spill", length=Q_(5, "m"), diameter=Q_(0.01, "m"))
            net.add_pressure_boundary("P", pressure=Q_(2, "bar"),
                                      temperature=Q_(spec["t_set"], "degC"))
            net.add_pressure_boundary("spill", pressure=Q_(2, "bar"),
                                      temperature=Q_(spec["t_set"], "degC"))
    if defect == "unreachable":
        net.add_node("orphan", elevation=Q_(1, "m"))
    return net


def solve_quiet(net):
    with warnings.catch_warnings():
        # random networks may legitimately reverse a cold plate or run a pump
        # off its curve; flags are not the subject here
        warnings.simplefilter("ignore", PhysicsWarning)
        return net.solve()


@settings(**SETTINGS)
@given(network_specs())
def test_random_valid_networks_converge_and_conserve(spec):
    net = build(spec)
    r = solve_quiet(net)
    assert r.converged
    for label, b in r.balance.items():
        assert b["mass_relative"] <= TOL, (label, b)
        assert b["energy_relative"] <= TOL, (label, b)
    ds = r.edges
    # every edge's flow is finite, and mass is conserved at every free node
    assert bool(ds["mass_flow"].notnull().all())
    if spec["anchor"] in ("hx_closed", "hx_open"):
        # the HX duty is what the secondary circuit receives
        duty = r.heat_flow("anchor").m_as("W")
        assert r.heat_flow("anchor:cold").m_as("W") == pytest.approx(duty, rel=1e-12, abs=1e-9)
        assert r.heat_flow("anchor:hot").m_as("W") == pytest.approx(-duty, rel=1e-12, abs=1e-9)
        assert 0.0 <= r.effectiveness("anchor") <= 1.0
    if spec["reference"] == "tank" and spec["anchor"] == "setpoint":
        # closed loop, one set-point: it removes all the heat put into the fluid
        # (loads, plates and the pump's hydraulic power)
        others = sum(r.heat_flow(n).m_as("W") for n in net.edge_names if n != "anchor")
        assert r.heat_flow("anchor").m_as("W") == pytest.approx(-others, rel=1e-8, abs=1e-6)


@settings(**SETTINGS)
@given(network_specs())
def test_random_networks_solve_twice_identically(spec):
    # determinism and warm start: solving again from the previous result gives
    # the same state to the solver tolerance
    net = build(spec)
    r1 = solve_quiet(net)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r2 = net.solve(initial=r1)
    m1, m2 = r1.edges["mass_flow"].values, r2.edges["mass_flow"].values
    scale = max(abs(m1).max(), 1e-12)
    assert abs(m1 - m2).max() <= 1e-7 * scale
    T1, T2 = r1.nodes["temperature"].values, r2.nodes["temperature"].values
    assert abs(T1 - T2).max() <= 1e-4


@settings(**SETTINGS)
@given(network_specs())
def test_random_network_without_pressure_reference(spec):
    net = build(spec, defect="no_reference")
    with pytest.raises(TopologyError, match=r"circuit 0 \(containing node 'S'\) has no pressure "
                                            r"reference"):
        net.solve()


@settings(**SETTINGS)
@given(network_specs())
def test_random_network_with_unreachable_node(spec):
    net = build(spec, defect="unreachable")
    with pytest.raises(TopologyError, match=r"not reached by any edge: \['orphan'\]"):
        net.solve()


@settings(**SETTINGS)
@given(network_specs(), st.data())
def test_random_network_self_loop_rejected(spec, data):
    net = build(spec)
    node = data.draw(st.sampled_from(net.node_names))
    n_edges = net.n_edges
    with pytest.raises(TopologyError, match=rf"runs from node '{node}' to itself"):
        net.add_pipe("selfie", node, node, length=Q_(1, "m"), diameter=Q_(0.02, "m"))
    assert net.n_edges == n_edges        # the bad call left the network unchanged
    solve_quiet(net)                     # ... and still solvable


@settings(**SETTINGS)
@given(network_specs(), st.data())
def test_random_network_duplicate_name_rejected(spec, data):
    net = build(spec)
    name = data.draw(st.sampled_from(net.edge_names))
    a, b = net.node_names[:2]
    with pytest.raises(TopologyError, match=rf"duplicate edge name '{name}'"):
        net.add_heat_load(name, a, b, heat=Q_(1, "kW"))
    n_edges = net.n_edges
    solve_quiet(net)
    assert net.n_edges == n_edges
