"""The nodal solver of the hydraulic Newton step (narvik_thermal.solvers.nodal):
the factorisation chosen by measured fill, the kept factorisation as a
preconditioner, pivot diagnostics on both factorisation paths, and threads."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from narvik_thermal.errors import ConvergenceError
from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.solvers import nodal as N

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from shapes import feed_rack_network, grid_network  # noqa: E402


def _system(cn, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 2.0, cn.free_edges.size)
    return w, rng.random(cn.unknown_nodes.size)


@pytest.mark.parametrize("build, kind", [
    (lambda: rack_loop_network(4, 8), "ldl"),
    (lambda: feed_rack_network(3, 8), "ldl"),
    (lambda: grid_network(30), "qdldl"),
], ids=["rack", "feed", "grid"])
def test_factorisation_follows_the_fill(build, kind):
    # tree-like networks keep the fill of the matrix: the compiled LDLᵀ; a mesh
    # fills in: QDLDL (AMD ordering)
    cn = build().compile()
    assert N.factorisation_kind(cn) == kind
    assert ("ldl" in cn.cache) == (kind == "ldl")
    w, b = _system(cn)
    x = N.NodalSolver(cn).solve(w, b)
    ref = np.linalg.solve(N.nodal_matrix(cn, w).toarray(), b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("method", ["ldl", "qdldl"])
def test_nan_conductance_names_the_node_on_both_paths(method):
    # QDLDL's update does not check its pivots: the factors' D is checked, and
    # the node of the first bad pivot (in elimination order) is named
    cn = grid_network(6).compile()
    w = np.ones(cn.free_edges.size)
    w[3] = np.nan
    with pytest.raises(ConvergenceError, match="not positive definite at node") as info:
        N.NodalSolver(cn, method).solve(w, np.ones(cn.unknown_nodes.size))
    ends = {cn.node_names[cn.start[cn.free_edges[3]]], cn.node_names[cn.end[cn.free_edges[3]]]}
    named = str(info.value).split("node ")[1].split(" (")[0].strip("'")
    assert named in ends


def test_zero_pivot_at_the_first_qdldl_factorisation_names_the_node():
    cn = grid_network(6).compile()
    w = np.ones(cn.free_edges.size)
    # every edge of one node carries no conductance: a zero row, a zero pivot
    node = cn.unknown_nodes[7]
    touching = (cn.start[cn.free_edges] == node) | (cn.end[cn.free_edges] == node)
    w[touching] = 0.0
    with pytest.raises(ConvergenceError, match=repr(cn.node_names[node])):
        N.NodalSolver(cn, "qdldl").solve(w, np.ones(cn.unknown_nodes.size))


@pytest.mark.parametrize("method", ["ldl", "qdldl"])
def test_kept_factorisation_preconditions_a_nearby_system(method):
    # a second system with conductances within 1 % is solved by conjugate
    # gradients with the first factorisation, to the accuracy of a direct solve
    cn = grid_network(60).compile()
    w, b = _system(cn)
    s = N.NodalSolver(cn, method)
    s.solve(w, b)
    assert s.factorisations == 1
    w2 = w * np.random.default_rng(1).uniform(0.99, 1.01, w.size)
    x = s.solve(w2, b)
    assert s.factorisations == 1 and s.pcg_solves == 1 and not s.direct
    ref = N.NodalSolver(cn, "splu").solve(w2, b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-11 * np.abs(ref).max())
    # a later solver of the same topology starts from the kept factorisation
    s3 = N.NodalSolver(cn, method)
    s3.solve(w2 * 1.001, b)
    assert s3.factorisations == 0


def test_far_system_is_factorised_not_iterated():
    cn = rack_loop_network(20, 8).compile()
    w, b = _system(cn)
    s = N.NodalSolver(cn)
    s.solve(w, b)
    w2 = w.copy()
    w2[::3] *= 100.0                      # far from the kept matrix: CG would be slow
    s.solve(w2, b)
    assert s.factorisations == 2 and s.pcg_solves == 0 and s.direct


@pytest.mark.parametrize("build", [lambda: grid_network(30), lambda: feed_rack_network(6, 12)],
                         ids=["grid", "feed"])
def test_coupled_solve_agrees_with_superlu(build):
    r_auto = build().solve()
    r_splu = build().solve(linear_solver="splu")
    scale = np.abs(r_splu.state.mass_flow).max()
    np.testing.assert_allclose(r_auto.state.mass_flow, r_splu.state.mass_flow, rtol=0,
                               atol=1e-9 * scale)
    np.testing.assert_allclose(r_auto.state.temperature, r_splu.state.temperature, rtol=0,
                               atol=1e-6)
    for b in r_auto.balance.values():
        assert b["mass_relative"] <= 1e-9 and b["energy_relative"] <= 1e-9


def test_concurrent_solves_of_a_mesh_agree():
    # every solve has its own QDLDL object; the factorisation kept on the compiled
    # network is read-only, so threads may precondition with it at once
    net = grid_network(30)
    ref = net.solve()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: net.solve(), range(6)))
    scale = np.abs(ref.state.mass_flow).max()
    for r in results:
        np.testing.assert_allclose(r.state.mass_flow, ref.state.mass_flow, rtol=0,
                                   atol=1e-9 * scale)
        np.testing.assert_allclose(r.state.temperature, ref.state.temperature, rtol=0,
                                   atol=1e-6)
