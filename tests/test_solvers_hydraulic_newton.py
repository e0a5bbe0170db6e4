"""The hydraulic Newton step on meshed networks (narvik_thermal.solvers.hydraulic):
rated-point edges whose Newton flow overshoots take their law's flow (a nonlinear
elimination of the edge flow), with the inverse law checked against the forward one."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal.components.hydraulics import darcy_constants, edge_losses, rated_point_flows
from narvik_thermal.correlations.cold_plate import power_law_flow, power_law_pressure_drop
from narvik_thermal.solvers import hydraulic as H

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from shapes import grid_network  # noqa: E402

Q_ = nt.Q_


def test_power_law_flow_inverts_the_pressure_drop():
    # analytic inverse of Δp = Δp_r sign(V)|V/V_r|^n, both signs, n in [1, 2.2]
    rng = np.random.default_rng(0)
    V = rng.uniform(-3e-3, 3e-3, 200)
    dp_r, V_r, n = rng.uniform(1e3, 5e4, 200), rng.uniform(1e-4, 2e-3, 200), rng.uniform(1, 2.2, 200)
    dp, _ = power_law_pressure_drop(V, dp_r, V_r, n)
    np.testing.assert_allclose(power_law_flow(dp, dp_r, V_r, n), V, rtol=1e-12, atol=1e-18)
    assert float(power_law_flow(0.0, 1e4, 1e-3)) == 0.0


def test_rated_point_flows_invert_the_edge_law_with_parallel_units():
    net = nt.Network("loads")
    net.add_heat_loads(["a", "b"], ["n0", "n1"], ["n1", "n2"], heat=Q_(0.0, "kW"),
                       pressure_drop=Q_([30, 12], "kPa"), rated_flow=Q_([0.2, 0.5], "kg/s"),
                       count=[1, 7])
    net.add_pump("pump", "n2", "n4", head=Q_(10, "m"))
    net.add_setpoint("cool", "n4", "n3", outlet_temperature=Q_(20, "degC"))
    net.add_pipe("back", "n3", "n0", length=Q_(1, "m"), diameter=Q_(50, "mm"))
    net.add_expansion_tank("n0", pressure=Q_(2, "bar"))
    net.set_fluid("n0", nt.fluids.water())
    cn = net.compile()
    rho = np.full(cn.n_edges, 990.0)
    mu = np.full(cn.n_edges, 6e-4)
    consts = darcy_constants(cn, rho, mu)
    m = np.zeros(cn.n_edges)
    i0 = [cn.edge_index["a"], cn.edge_index["b"]]
    m[i0] = [0.13, -2.9]
    r, _ = edge_losses(cn, m, rho, mu, consts)
    idx, flow = rated_point_flows(cn, r, rho, consts)
    got = dict(zip(idx.tolist(), flow.tolist()))
    np.testing.assert_allclose([got[i] for i in i0], m[i0], rtol=1e-12)


@pytest.mark.parametrize("k", [24, 40])
def test_overshooting_rated_points_take_their_law_flow_on_a_mesh(monkeypatch, k):
    # a district-heating mesh with consumers on every 8th link: Newton's step drives
    # some of them far beyond their converged flow, and from there halves the excess
    # per step (its residual falls four-fold, each step a factorisation); taking the
    # law's flow at the new pressures saves those steps and changes no answer
    opts = nt.SolverOptions(couple_properties=False)
    monkeypatch.setattr(H, "RATED_POINT_OVERSHOOT", np.inf)      # the plain Newton step
    plain = grid_network(k).solve(options=opts)
    monkeypatch.undo()
    fast = grid_network(k).solve(options=opts)
    assert fast.converged and plain.converged
    assert fast.convergence["newton"][0] < plain.convergence["newton"][0]
    scale = np.abs(plain.state.mass_flow).max()
    np.testing.assert_allclose(fast.state.mass_flow, plain.state.mass_flow, rtol=0,
                               atol=1e-9 * scale)
    np.testing.assert_allclose(fast.state.pressure, plain.state.pressure, rtol=0, atol=1e-3)
    for b in fast.balance.values():
        assert b["mass_relative"] <= 1e-9


def _consumer_c0(flow):
    """An 8 × 8 mesh with consumer c0 (rated 0.2 kg/s at 30 kPa) at 30 kPa and a Newton
    flow ``flow``, every other flow and pressure zero: the arguments of
    :func:`rated_point_overshoot` and c0's edge index."""
    cn = grid_network(8).compile()
    rho = np.full(cn.n_edges, 970.0)
    consts = darcy_constants(cn, rho, np.full(cn.n_edges, 3.5e-4))
    c0 = cn.edge_index["c0"]
    m_new = np.zeros(cn.n_edges)
    m_new[c0] = flow
    p = np.zeros(cn.n_nodes)
    p[cn.start[c0]] = 3.0e4                             # its rated 30 kPa: the law gives 0.2
    return (cn, consts, rho, m_new, np.zeros(cn.n_nodes), p, np.zeros(cn.free_edges.size)), c0


def test_overshoot_step_restores_mass_balance_through_the_polish():
    # the replaced flows unbalance their end nodes; the returned residual says by how
    # much, and it is what the polish (one solve with the same matrix) removes
    args, c0 = _consumer_c0(0.6)                        # three times its rated flow
    cn, m_new, res_node = args[0], args[3], args[4]
    assert H.rated_point_overshoot(*args) == 1
    assert m_new[c0] == pytest.approx(0.2, rel=1e-12)
    assert res_node[cn.end[c0]] == pytest.approx(-0.4, rel=1e-12)
    assert res_node[cn.start[c0]] == pytest.approx(0.4, rel=1e-12)
    assert np.count_nonzero(res_node) == 2


def test_a_newton_flow_across_zero_is_left_to_newton():
    # the law's flow of the other sign: the new pressures are no guide (a stopped pump)
    args, c0 = _consumer_c0(-0.6)
    assert H.rated_point_overshoot(*args) == 0
    assert args[3][c0] == -0.6 and not args[4].any()
