"""The nodal solver of the hydraulic Newton step (narvik_thermal.solvers.nodal):
the factorisation chosen by measured fill, the supernodal factorisation of meshes
(narvik_thermal.solvers.supernodal) against dense and SciPy solves, the kept
factorisation as a preconditioner, pivot diagnostics on every factorisation path,
and threads."""

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
    (lambda: grid_network(30), "supernodal"),
], ids=["rack", "feed", "grid"])
def test_factorisation_follows_the_fill(build, kind):
    # tree-like networks keep the fill of the matrix: the compiled LDLᵀ; a mesh
    # fills in: supernodes on a nested-dissection order
    cn = build().compile()
    assert N.factorisation_kind(cn) == kind
    assert ("ldl" in cn.cache) == (kind == "ldl")
    assert ("supernodal" in cn.cache) == (kind == "supernodal")
    w, b = _system(cn)
    x = N.NodalSolver(cn).solve(w, b)
    ref = np.linalg.solve(N.nodal_matrix(cn, w).toarray(), b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("method", ["ldl", "qdldl", "supernodal"])
def test_nan_conductance_names_the_node_on_every_path(method):
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


@pytest.mark.parametrize("method", ["qdldl", "supernodal"])
def test_zero_pivot_at_the_first_factorisation_names_the_node(method):
    cn = grid_network(6).compile()
    w = np.ones(cn.free_edges.size)
    # every edge of one node carries no conductance: a zero row, a zero pivot
    node = cn.unknown_nodes[7]
    touching = (cn.start[cn.free_edges] == node) | (cn.end[cn.free_edges] == node)
    w[touching] = 0.0
    with pytest.raises(ConvergenceError, match=repr(cn.node_names[node])):
        N.NodalSolver(cn, method).solve(w, np.ones(cn.unknown_nodes.size))


def _spd(n, density, rng):
    """A random sparse SPD matrix (an M-matrix: a weighted graph Laplacian plus one
    on the diagonal) as a dense array."""
    B = rng.random((n, n)) * (rng.random((n, n)) < density)
    B = np.triu(B, 1)
    B = B + B.T
    return np.diag(B.sum(axis=1) + 1.0) - B


@pytest.mark.parametrize("ordering", ["nested dissection", "random", "natural"])
def test_supernodal_factorisation_solves_random_spd_systems(ordering):
    # random patterns of every density, some disconnected (forests of elimination
    # trees), against a dense solve; explicit orders must be permutations
    import scipy.sparse as sp

    from narvik_thermal.solvers.supernodal import SupernodalLDL

    rng = np.random.default_rng(7)
    for _ in range(25):
        n = int(rng.integers(1, 120))
        A = _spd(n, float(rng.uniform(0.0, 0.3)), rng)
        U = sp.csc_matrix(np.triu(A))
        order = {"nested dissection": None, "random": rng.permutation(n),
                 "natural": np.arange(n)}[ordering]
        sn = SupernodalLDL(U.indptr, U.indices, order)
        assert np.array_equal(np.sort(sn.order), np.arange(n))
        X, D, ok = sn.factor(U.data[sn.source])
        assert ok
        b = rng.standard_normal(n)
        np.testing.assert_allclose(sn.solve(X, D, b), np.linalg.solve(A, b), rtol=0,
                                   atol=1e-10 * max(1.0, np.abs(np.linalg.solve(A, b)).max()))
        np.testing.assert_allclose(np.sort(D), np.sort(D), rtol=0)   # finite
        assert np.all(np.isfinite(D)) and np.all(D > 0)
    with pytest.raises(ValueError, match="permutation"):
        SupernodalLDL(U.indptr, U.indices, order=np.zeros(n, int) if n > 1 else [5])


def test_supernodal_pivots_are_those_of_a_dense_ldl():
    # D of P A Pᵀ = L D Lᵀ is the square of the Cholesky diagonal of the permuted matrix
    import scipy.sparse as sp

    from narvik_thermal.solvers.supernodal import SupernodalLDL

    A = _spd(80, 0.1, np.random.default_rng(3))
    U = sp.csc_matrix(np.triu(A))
    sn = SupernodalLDL(U.indptr, U.indices)
    X, D, ok = sn.factor(U.data[sn.source])
    c = np.diag(np.linalg.cholesky(A[np.ix_(sn.order, sn.order)]))
    np.testing.assert_allclose(D, c * c, rtol=1e-12)


@pytest.mark.parametrize("k, expected", [(12, "AMD"), (60, "nested dissection"),
                                         (150, "nested dissection")])
def test_the_supernodal_order_is_the_one_with_less_work(k, expected):
    # AMD (QDLDL's) beside nested dissection on small meshes, the one with fewer
    # operations kept; nested dissection alone on large ones, where it needs fewer
    from narvik_thermal.solvers import supernodal as S
    from narvik_thermal.solvers.ldl import SparseLDL

    cn = grid_network(k).compile()
    sn = S.SupernodalLDL(cn.up_indptr, cn.up_indices)
    assert sn.ordering == expected
    amd = SparseLDL(cn.up_indptr, cn.up_indices, md_work=0)
    assert amd.ordering == "AMD"
    work = lambda Lp: float((np.diff(Lp).astype(float) ** 2).sum())   # noqa: E731
    assert work(sn.Lp) <= work(amd.Lp)
    assert (cn.unknown_nodes.size > S.AMD_UP_TO) == (k == 150)


def _grid_laplacian(k, rng):
    """The upper triangle (CSC) of a k × k grid Laplacian with random conductances,
    plus a little on the diagonal, and the whole matrix."""
    import scipy.sparse as sp

    n = k * k
    idx = np.arange(n).reshape(k, k)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    w = rng.uniform(0.5, 1.5, a.size)
    A = sp.coo_matrix((np.concatenate([-w, -w]), (np.concatenate([a, b]),
                                                   np.concatenate([b, a]))), (n, n)).tocsc()
    A = (A + sp.diags(-np.asarray(A.sum(axis=1)).ravel() + 1e-3)).tocsc()
    return sp.triu(A, format="csc"), A


@pytest.mark.parametrize("k", [8, 40, 130])
def test_supernodal_groups_are_whole_subtrees(k):
    # each group is a union of whole subtrees of the supernodal elimination tree (a
    # supernode's parent is in its group or in the top part; the top part's parents
    # are in the top part), so the groups can be factorised side by side; a mesh
    # large enough to be worth it gets two groups that share its work
    from narvik_thermal.solvers.supernodal import GROUPS, SupernodalLDL

    U, _ = _grid_laplacian(k, np.random.default_rng(k))
    sn = SupernodalLDL(U.indptr, U.indices)
    g = sn.group
    # the supernode parent from the column tree: the supernode of the first row below
    below = sn.rptr[:-1] + np.diff(sn.first)
    has = below < sn.rptr[1:]
    parent = np.full(sn.n_supernodes, -1)
    parent[has] = sn.col2sn[sn.rows[below[has]]]
    for s in np.flatnonzero(has):
        assert g[parent[s]] in (g[s], -1)
        if g[s] == -1:
            assert g[parent[s]] == -1
    if k >= 40:
        assert sn.n_groups == GROUPS
        w = np.diff(sn.first) * np.diff(sn.rptr).astype(float) ** 2
        shares = [w[g == i].sum() / w.sum() for i in range(GROUPS)]
        assert min(shares) > 0.25 and w[g < 0].sum() / w.sum() < 0.35
    assert sn.top_columns.size == np.diff(sn.first)[g < 0].sum()
    assert np.array_equal(sn.top_slot[sn.top_columns], np.arange(sn.top_columns.size))


def test_parallel_supernodal_kernels_give_the_serial_twins_bits():
    # the groups run on threads (the parallel kernel) or one after the other (its
    # serial twin): the same operations in the same order, so the same bits; and
    # the answer of a direct solve
    import scipy.sparse.linalg as spla

    from narvik_thermal.solvers import _supernodal_kernels as K
    from narvik_thermal.solvers.supernodal import SupernodalLDL

    U, A = _grid_laplacian(130, np.random.default_rng(5))
    sn = SupernodalLDL(U.indptr, U.indices)
    assert sn.n_groups == 2 and sn.xptr[-1] >= K.PARALLEL_ENTRIES
    Ax = U.data[sn.source]
    args = (sn.n, sn.first, sn.col2sn, sn.rptr, sn.rows, sn.xptr, sn.lptr, sn.lrow, sn.lsrc,
            Ax)
    out = {}
    for twin in ("parallel", "serial"):
        X = np.empty(sn.xptr[-1])
        D = np.full(sn.n, np.nan)
        assert getattr(K.supernodal_factor, twin)(X, *args, D, sn.group, 2) == sn.n
        b = np.random.default_rng(1).standard_normal(sn.n)
        x = getattr(K.supernodal_solve, twin)(X, sn.n, sn.first, sn.rptr, sn.rows, sn.xptr,
                                              D, sn.order, b, sn.group, 2, sn.top_columns,
                                              sn.top_slot)
        out[twin] = (X, D, x)
    for a, b_ in zip(out["parallel"], out["serial"]):
        assert np.array_equal(a, b_)
    ref = spla.spsolve(A, b)
    np.testing.assert_allclose(out["parallel"][2], ref, rtol=0, atol=1e-9 * np.abs(ref).max())


def test_supernodal_factorisations_on_threads_at_once_agree_bit_for_bit():
    # threads factorising and solving at the same time: one runs the parallel
    # kernels, the others (finding them busy) their serial twins, all with the same
    # bits; each factorisation has its own storage while the others use theirs
    from narvik_thermal.solvers.supernodal import SupernodalLDL

    U, _ = _grid_laplacian(130, np.random.default_rng(5))
    sn = SupernodalLDL(U.indptr, U.indices)
    Ax = U.data[sn.source]
    b = np.random.default_rng(2).standard_normal(sn.n)
    X0, D0, ok = sn.factor(Ax)
    x0 = sn.solve(X0, D0, b)
    X0, D0 = X0.copy(), D0.copy()

    def one(_):
        X, D, ok = sn.factor(Ax)
        return ok, X.copy(), D.copy(), sn.solve(X, D, b)

    with ThreadPoolExecutor(max_workers=4) as pool:
        for ok, X, D, x in pool.map(one, range(8)):
            assert ok and np.array_equal(X, X0) and np.array_equal(D, D0)
            assert np.array_equal(x, x0)


def test_a_bad_pivot_in_a_group_is_reported_as_without_groups():
    # a negative pivot inside one group: the factorisation says so, with the pivots
    # before it as the factorisation in one sequence gives them (NaN after)
    from narvik_thermal.solvers.supernodal import SupernodalLDL

    U, _ = _grid_laplacian(130, np.random.default_rng(5))
    sn = SupernodalLDL(U.indptr, U.indices)
    col = int(np.flatnonzero(sn.group[sn.col2sn] == 1)[5])     # a column of group 1
    U = U.copy()
    diag = U.indptr[1:] - 1                                      # the diagonal is last
    U.data[diag[sn.order[col]]] = -50.0
    X, D, ok = sn.factor(U.data[sn.source])
    assert not ok
    bad = int(np.flatnonzero(~(D > 0))[0])
    assert np.all(np.isnan(D[bad + 1:]))
    one = SupernodalLDL(U.indptr, U.indices, order=sn.order)     # no reordering: same tree
    one.group[:] = -1
    one.n_groups = 0
    X1, D1, ok1 = one.factor(U.data[one.source])
    assert not ok1 and np.array_equal(np.isnan(D), np.isnan(D1))
    np.testing.assert_array_equal(D[:bad + 1], D1[:bad + 1])


def test_supernodal_solves_agree_with_superlu_on_a_mesh():
    cn = grid_network(40).compile()
    w, b = _system(cn)
    w[::7] *= 1e-4                       # conductances over four decades, as in a solve
    x = N.NodalSolver(cn, "supernodal").solve(w, b)
    ref = N.NodalSolver(cn, "splu").solve(w, b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("method", ["ldl", "qdldl", "supernodal"])
def test_kept_factorisation_preconditions_a_nearby_system(method):
    # a second system with conductances within 0.1 % is solved by conjugate
    # gradients with the first factorisation, to the accuracy of a direct solve
    cn = grid_network(60).compile()
    w, b = _system(cn)
    s = N.NodalSolver(cn, method)
    s.solve(w, b)
    assert s.factorisations == 1
    w2 = w * np.random.default_rng(1).uniform(0.999, 1.001, w.size)
    x = s.solve(w2, b)
    assert s.factorisations == 1 and s.pcg_solves == 1 and not s.direct
    ref = N.NodalSolver(cn, "splu").solve(w2, b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-11 * np.abs(ref).max())
    # a later solver of the same topology starts from the kept factorisation
    s3 = N.NodalSolver(cn, method)
    s3.solve(w2 * 1.001, b)
    assert s3.factorisations == 0


def test_conductances_1e32_from_the_kept_ones_are_factorised_without_a_raw_error():
    # one conductance 1e-34 of its kept value (a pump stopping or restarting in a
    # transient, seen from the controls' simultaneous first solve): the rate of the
    # conjugate-gradient bound, log((s + 1)/(s − 1)), rounded to zero and raised
    # ZeroDivisionError; now the bound is infinite, the system is factorised, and the
    # answer is a direct solve's
    cn = grid_network(20).compile()
    w, b = _system(cn)
    s = N.NodalSolver(cn)
    s.solve(w, b)
    w2 = w.copy()
    w2[5] *= 1e-34
    x = s.solve(w2, b)
    assert s.factorisations == 2
    ref = N.NodalSolver(cn, "splu").solve(w2, b)
    np.testing.assert_allclose(x, ref, rtol=0, atol=1e-8 * np.abs(ref).max())


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


def test_iterations_stop_at_the_round_off_of_the_residual(monkeypatch):
    # a tolerance below what any solve can reach (a polish asks 1e-12 of the flows
    # where pressures of 10⁵–10⁶ Pa leave a residual round-off of ~1e-7) no longer
    # sends converged iterations back to a factorisation: the last Newton step of
    # this water grid factorised for that before (7 factorisations, now 6)
    from shapes import water_grid_network

    with_roundoff = water_grid_network(60).solve()
    monkeypatch.setattr(N, "_ROUNDOFF", 0.0)       # the test as it was
    without = water_grid_network(60).solve()
    assert with_roundoff.convergence["factorisations"] < without.convergence["factorisations"]
    scale = np.abs(without.state.mass_flow).max()
    np.testing.assert_allclose(with_roundoff.state.mass_flow, without.state.mass_flow, rtol=0,
                               atol=1e-9 * scale)
    for b in with_roundoff.balance.values():
        assert b["mass_relative"] <= 1e-9


def test_supernodal_storage_is_reused_only_when_nothing_refers_to_it():
    # a factorisation still in use keeps its blocks; a dropped one lends them to
    # the next (new storage costs page faults as long as the factorisation)
    cn = grid_network(20).compile()
    sn = N.supernodal_analysis(cn)
    w, b = _system(cn)
    Ax = np.empty(sn.nnz)
    from narvik_thermal.solvers import _sparse_kernels as K
    K.gather_sum(Ax, *sn.terms, w)
    X1, D1, _ = sn.factor(Ax)
    where = X1.__array_interface__["data"][0]
    X2, D2, _ = sn.factor(2.0 * Ax)
    assert X2 is not X1                            # X1 is held: not lent out
    x1 = sn.solve(X1, D1, b)
    np.testing.assert_allclose(2.0 * sn.solve(X2, D2, b), x1, rtol=1e-12)
    del X1, D1
    X3, D3, _ = sn.factor(Ax)
    assert X3.__array_interface__["data"][0] == where      # the freed buffer, reused
    np.testing.assert_allclose(sn.solve(X3, D3, b), x1, rtol=1e-12)
    X4, D4, _ = sn.factor(Ax)                              # X2 and X3 are held
    assert X4.__array_interface__["data"][0] not in (
        where, X2.__array_interface__["data"][0])
