"""Sparse LDLᵀ (narvik_thermal.solvers.ldl.SparseLDL) and its kernels.

Solutions and factors are checked against SciPy/NumPy on small SPD matrices of
the shapes pipe networks produce (paths, stars, trees, cycles, ladders) and on
meshes (2-D grids), with both orderings: the explicit minimum-degree
elimination and its AMD fallback. Fill counts that minimum degree must reach
exactly, the handling of non-SPD and non-finite input, duplicate pattern
entries, and the network solver's use of the factorisation are pinned down.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from narvik_thermal.solvers import _ldl_kernels as K
from narvik_thermal.solvers import _sparse_kernels as S
from narvik_thermal.errors import ConvergenceError
from narvik_thermal.solvers.ldl import SparseLDL

# md_work values: the default budget, AMD forced, and a budget never reached
# (minimum degree even on meshes)
DEFAULT, AMD, UNLIMITED = "default", 0, 1e9
ORDERINGS = [DEFAULT, AMD, UNLIMITED]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _relabel(n, edges, rng):
    """The same graph with its nodes renumbered at random (so that the input
    numbering is no hint to the ordering)."""
    if rng is None:
        return np.asarray(edges, np.int64).reshape(-1, 2)
    p = rng.permutation(n)
    return p[np.asarray(edges, np.int64).reshape(-1, 2)]


def _path(n, rng=None):
    return _relabel(n, [(i, i + 1) for i in range(n - 1)], rng)


def _star(n, rng=None):
    return _relabel(n, [(0, i) for i in range(1, n)], rng)


def _tree(n, rng):
    return _relabel(n, [(int(rng.integers(0, i)), i) for i in range(1, n)], rng)


def _cycle(n, rng=None):
    return _relabel(n, [(i, (i + 1) % n) for i in range(n)], rng)


def _ladder(m, rng=None):
    """Two paths of ``m`` nodes (0..m-1 and m..2m-1) joined by ``m`` rungs."""
    e = [(i, i + 1) for i in range(m - 1)] + [(m + i, m + i + 1) for i in range(m - 1)]
    e += [(i, m + i) for i in range(m)]
    return _relabel(2 * m, e, rng)


def _grid(m):
    e = []
    for r in range(m):
        for c in range(m):
            v = r * m + c
            if c + 1 < m:
                e.append((v, v + 1))
            if r + 1 < m:
                e.append((v, v + m))
    return np.asarray(e, np.int64)


def _random_graph(n, rng, p=0.02):
    i, j = np.triu_indices(n, 1)
    keep = rng.random(i.size) < p
    return np.column_stack([i[keep], j[keep]])


def _laplacian(n, edges, rng, shift):
    """Weighted graph Laplacian plus a positive diagonal: SPD (CSC, full)."""
    w = rng.uniform(0.5, 2.0, len(edges)) if rng is not None else np.ones(len(edges))
    i, j = edges[:, 0], edges[:, 1]
    off = sp.coo_matrix((-w, (i, j)), shape=(n, n))
    A = off + off.T
    A = A - sp.diags(np.asarray(A.sum(axis=1)).ravel())
    return (A + sp.diags(np.broadcast_to(shift, (n,)))).tocsc()


def _upper(A):
    U = sp.triu(A, format="csc")
    U.sum_duplicates()
    U.sort_indices()
    return U


def _ldl(U, md_work=DEFAULT):
    kw = {} if md_work == DEFAULT else {"md_work": md_work}
    return SparseLDL(U.indptr, U.indices, **kw)


def _factor(A, md_work=DEFAULT):
    U = _upper(A)
    ldl = _ldl(U, md_work)
    ax = np.empty(U.nnz)
    ax[ldl.where] = U.data
    return ldl, ldl.factor(ax)


def _check_ordering(ldl, md_work):
    """The ordering that ``md_work`` asks for was used (the default may be either)."""
    if md_work == AMD:
        assert ldl.ordering == "AMD"
    if md_work == UNLIMITED:
        assert ldl.ordering == "minimum degree"


def _dense_pivots(M):
    """Pivots of the unpivoted LDLᵀ of a dense symmetric matrix (reference)."""
    M = np.array(M, float)
    n = M.shape[0]
    d = np.empty(n)
    for k in range(n):
        d[k] = M[k, k]
        if d[k] == 0.0:
            d[k:] = 0.0
            break
        M[k + 1:, k + 1:] -= np.outer(M[k + 1:, k], M[k, k + 1:]) / d[k]
    return d


def _symbolic_counts(A, order):
    """Column counts of L by dense symbolic elimination of A[order][:, order]."""
    G = (A.toarray() != 0)[np.ix_(order, order)]
    n = G.shape[0]
    counts = np.empty(n, np.int64)
    for k in range(n):
        nb = np.flatnonzero(G[k, k + 1:]) + k + 1
        counts[k] = nb.size
        G[np.ix_(nb, nb)] = True
    return counts


def _check_solution(A, ldl, rng, tol=1e-12):
    """Solution against SciPy and the reconstruction of P A Pᵀ from L and D."""
    n = A.shape[0]
    b = rng.standard_normal(n)
    x = ldl.solve(b)
    ref = spla.spsolve(A.tocsc(), b)
    # backward error of a backward-stable factorisation: a few eps times n
    res = np.linalg.norm(A @ x - b) / (spla.norm(A, 1) * np.linalg.norm(x, 1) + np.linalg.norm(b))
    assert res < tol
    # these matrices have condition numbers below ~1e3, so solutions agree to cond·1e-13
    np.testing.assert_allclose(x, ref, rtol=0, atol=tol * 100 * np.abs(ref).max())
    # (I + L) D (I + L)ᵀ = A[order][:, order] to rounding (1e-12 of max|A|)
    L = sp.csc_matrix((ldl.Lx, ldl.Li, ldl.Lp), shape=(n, n)) + sp.eye(n)
    assert np.all(ldl.Li > np.repeat(np.arange(n), np.diff(ldl.Lp)))   # strictly lower
    rec = (L @ sp.diags(ldl.D) @ L.T).toarray()
    o = ldl.order
    Ad = A.toarray()[np.ix_(o, o)]
    np.testing.assert_allclose(rec, Ad, rtol=0, atol=tol * np.abs(Ad).max())


# --------------------------------------------------------------------------
# 1. solutions and factors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("md_work", ORDERINGS)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_spd_matches_scipy(seed, md_work):
    # random weighted Laplacian + positive diagonal (n=300): x vs spsolve and
    # the reconstruction, 1e-12 relative (rounding of O(n) flops, well-conditioned)
    rng = np.random.default_rng(seed)
    n = 300
    A = _laplacian(n, _random_graph(n, rng, p=0.015), rng, rng.uniform(0.1, 1.0, n))
    ldl, k = _factor(A, md_work)
    assert k == n
    _check_ordering(ldl, md_work)
    _check_solution(A, ldl, rng)


@pytest.mark.parametrize("md_work", ORDERINGS)
@pytest.mark.parametrize("shape", ["path", "star", "tree", "cycle", "ladder", "grid"])
def test_structured_graphs_match_scipy(shape, md_work):
    # network-shaped and mesh patterns, both orderings: solution and
    # reconstruction to 1e-12 relative (backward-stable, condition < 1e3)
    rng = np.random.default_rng(42)
    if shape == "grid":
        n, edges, shift = 400, _grid(20), 1e-2
    else:
        n, shift = 120, 0.05
        make = {"path": _path, "star": _star, "cycle": _cycle, "tree": _tree,
                "ladder": lambda n, rng: _ladder(n // 2, rng)}[shape]
        edges = make(n, rng)
    A = _laplacian(n, edges, rng, shift)
    ldl, k = _factor(A, md_work)
    assert k == n
    _check_ordering(ldl, md_work)
    _check_solution(A, ldl, rng)


def test_refactor_same_pattern_new_values():
    # factor() of new values on the kept analysis, after a good and a failed
    # one, solves the new matrix (no state left over): 1e-12 relative as above
    rng = np.random.default_rng(7)
    n = 150
    edges = _random_graph(n, rng, p=0.03)
    A1 = _laplacian(n, edges, rng, 1.0)
    A2 = _laplacian(n, edges, rng, 0.2)
    U1, U2 = _upper(A1), _upper(A2)
    assert np.array_equal(U1.indices, U2.indices)
    ldl = _ldl(U1)
    ldl.Ax[ldl.where] = U1.data
    assert ldl.factor() == n                   # default: the values in ldl.Ax
    bad = ldl.Ax.copy()
    bad[ldl.where[0]] = np.nan                 # a failed factorisation in between
    assert ldl.factor(bad) < n
    ax = np.empty(U2.nnz)
    ax[ldl.where] = U2.data
    assert ldl.factor(ax) == n
    _check_solution(A2, ldl, rng)


# --------------------------------------------------------------------------
# 2. minimum-degree fill (exact counts)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_minimum_degree_no_fill_on_paths_and_trees(seed):
    # exact: eliminating leaves first gives L with one entry per edge (n-1)
    rng = np.random.default_rng(seed)
    n = 200
    for edges in (_path(n, rng), _tree(n, rng), _star(n, rng)):
        ldl, k = _factor(_laplacian(n, edges, rng, 0.1))
        assert ldl.ordering == "minimum degree"
        assert ldl.nnz_l == n - 1
        assert k == n


@pytest.mark.parametrize("n", [3, 4, 5, 17, 100])
def test_minimum_degree_cycle_fill(n):
    # exact: every elimination on a cycle is of degree 2 until the triangle,
    # so nnz(L) = 2(n-3) + 2 + 1 = 2n-3
    rng = np.random.default_rng(n)
    ldl, k = _factor(_laplacian(n, _cycle(n, rng), rng, 0.1))
    assert ldl.ordering == "minimum degree"
    assert ldl.nnz_l == 2 * n - 3
    assert k == n


@pytest.mark.parametrize("m", [2, 5, 30, 100])
def test_minimum_degree_ladder_not_worse_than_amd(m):
    # exact integer comparisons: on a series–parallel ladder minimum degree
    # fills no more than AMD, at most 2 entries per column of L
    rng = np.random.default_rng(m)
    A = _laplacian(2 * m, _ladder(m, rng), rng, 0.1)
    md, _ = _factor(A)
    amd, _ = _factor(A, AMD)
    assert md.ordering == "minimum degree" and amd.ordering == "AMD"
    assert md.nnz_l <= amd.nnz_l
    # series–parallel graphs (treewidth 2) always keep a node of degree <= 2
    # to eliminate, so minimum degree puts at most 2 entries in any column
    assert np.diff(md.Lp).max() <= 2


def test_nnz_l_equals_symbolic_fill_of_the_order():
    # nnz_l and the column counts match a dense symbolic elimination of the
    # permuted pattern (exact integers)
    rng = np.random.default_rng(5)
    n = 80
    A = _laplacian(n, _random_graph(n, rng, p=0.05), rng, 1.0)
    for md_work in ORDERINGS:
        ldl, _ = _factor(A, md_work)
        counts = _symbolic_counts(A, ldl.order)
        assert ldl.nnz_l == counts.sum()
        np.testing.assert_array_equal(np.diff(ldl.Lp), counts)


# --------------------------------------------------------------------------
# 3. minimum_degree kernel and the AMD fallback
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_minimum_degree_returns_a_permutation(seed):
    # order is a permutation of 0..n-1 (exact), for upper and full patterns
    # with a generous budget, and the work reported is within it
    rng = np.random.default_rng(seed)
    n = 250
    A = _laplacian(n, _random_graph(n, rng, p=0.02), rng, 1.0)
    for M in (_upper(A), A.tocsc()):
        order, work = K.minimum_degree(n, M.indptr.astype(np.int64), M.indices.astype(np.int64),
                                       10**12)
        np.testing.assert_array_equal(np.sort(order), np.arange(n))
        assert 0 < work <= 10**12


def test_minimum_degree_gives_up_on_a_mesh_and_amd_takes_over():
    # a 60×60 grid exceeds a 5·nnz budget (order[0] == -1, exact); SparseLDL
    # then uses AMD and still solves to 1e-12 relative (as above)
    m = 60
    n = m * m
    rng = np.random.default_rng(0)
    A = _laplacian(n, _grid(m), rng, 0.05)
    U = _upper(A)
    order, work = K.minimum_degree(n, U.indptr.astype(np.int64), U.indices.astype(np.int64),
                                   5 * U.nnz)
    assert order[0] == -1
    assert work > 5 * U.nnz
    ldl = SparseLDL(U.indptr, U.indices, md_work=2)
    assert ldl.ordering == "AMD"
    np.testing.assert_array_equal(np.sort(ldl.order), np.arange(n))
    ax = np.empty(U.nnz)
    ax[ldl.where] = U.data
    assert ldl.factor(ax) == n
    b = rng.standard_normal(n)
    x = ldl.solve(b)
    np.testing.assert_allclose(x, spla.spsolve(A, b), rtol=0, atol=1e-12 * 100 * np.abs(x).max())
    assert np.linalg.norm(A @ x - b) <= 1e-12 * np.linalg.norm(b) * 10


def test_permuted_pattern_is_the_upper_triangle_of_PAPt():
    # Ap/Ai with where put every value at (min, max) of its permuted position
    # (exact: only copies, no arithmetic)
    rng = np.random.default_rng(3)
    n = 60
    A = _laplacian(n, _random_graph(n, rng, p=0.08), rng, 1.0)
    U = _upper(A)
    ldl = _ldl(U)
    ax = np.empty(U.nnz)
    ax[ldl.where] = U.data
    P = sp.csc_matrix((ax, ldl.Ai, ldl.Ap), shape=(n, n)).toarray()
    o = ldl.order
    np.testing.assert_array_equal(P, np.triu(A.toarray()[np.ix_(o, o)]))
    np.testing.assert_array_equal(np.sort(ldl.where), np.arange(U.nnz))


# --------------------------------------------------------------------------
# 4. non-SPD and non-finite input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("md_work", [DEFAULT, AMD])
def test_indefinite_2x2_reports_first_bad_pivot(md_work):
    # diag [1, -1] with an off-diagonal: the pivot count is exactly the index
    # of the first non-positive pivot of A[order][:, order]
    A = sp.csc_matrix(np.array([[1.0, 0.5], [0.5, -1.0]]))
    ldl, k = _factor(A, md_work)
    d = _dense_pivots(A.toarray()[np.ix_(ldl.order, ldl.order)])
    expected = int(np.argmax(~(d > 0)))
    assert k == expected < 2
    np.testing.assert_allclose(ldl.D[:k + 1], d[:k + 1], rtol=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_indefinite_matrix_reports_first_bad_pivot(seed):
    # SPD Laplacian with one diagonal entry made negative: k is the index of
    # the first non-positive reference pivot (exact), and the pivots before
    # it agree with the dense reference to 1e-12 relative (rounding)
    rng = np.random.default_rng(seed)
    n = 60
    A = _laplacian(n, _random_graph(n, rng, p=0.08), rng, 0.5).tolil()
    v = int(rng.integers(n))
    A[v, v] = -A[v, v]
    A = A.tocsc()
    for md_work in (DEFAULT, AMD):
        ldl, k = _factor(A, md_work)
        d = _dense_pivots(A.toarray()[np.ix_(ldl.order, ldl.order)])
        bad = np.flatnonzero(~(d > 0))
        assert bad.size and k == bad[0] < n
        np.testing.assert_allclose(ldl.D[:k + 1], d[:k + 1], rtol=1e-12)


def test_zero_diagonal_is_not_positive():
    # a zero pivot (an isolated node with zero diagonal, or [[0, 1], [1, 2]])
    # ends the factorisation: k < n, exactly at that node for the isolated one
    U = sp.csc_matrix(sp.diags([1.0, 0.0, 1.0]))
    ldl = SparseLDL(U.indptr, U.indices)
    ax = np.empty(U.nnz)
    ax[ldl.where] = U.data
    assert ldl.factor(ax) == list(ldl.order).index(1)
    ldl, k = _factor(sp.csc_matrix(np.array([[0.0, 1.0], [1.0, 2.0]])))
    assert k < 2


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_value_is_caught_at_its_row(bad):
    # a NaN/inf at any entry (i, j) of an SPD matrix makes pivot
    # max(pos i, pos j) non-finite or non-positive: factor returns exactly
    # that index, never n (no NaN passing silently)
    rng = np.random.default_rng(11)
    n = 12
    A = _laplacian(n, _tree(n, rng), rng, 1.0)
    A = A + sp.csc_matrix(([-0.1, -0.1], ([0, 5], [5, 0])), shape=(n, n))   # one loop
    U = _upper(A)
    ldl = _ldl(U)
    pos = np.empty(n, np.int64)
    pos[ldl.order] = np.arange(n)
    cols = np.repeat(np.arange(n), np.diff(U.indptr))
    for t in range(U.nnz):
        data = U.data.copy()
        data[t] = bad
        ax = np.empty(U.nnz)
        ax[ldl.where] = data
        k = ldl.factor(ax)
        i, j = U.indices[t], cols[t]
        assert k == max(pos[i], pos[j])
        assert k < n and not (np.isfinite(ldl.D[k]) and ldl.D[k] > 0)


# --------------------------------------------------------------------------
# 5. duplicate pattern entries
# --------------------------------------------------------------------------


@pytest.mark.parametrize("md_work", [DEFAULT, AMD])
def test_duplicate_entries_are_summed(md_work):
    # a non-canonical CSC (entries repeated, rows unsorted) factors the matrix
    # of the summed values: solution to 1e-12 relative of spsolve, same fill
    rng = np.random.default_rng(9)
    n = 100
    A = _laplacian(n, _random_graph(n, rng, p=0.05), rng, 0.5)
    U = _upper(A)
    indptr, indices, data = [0], [], []
    for j in range(n):
        rows = U.indices[U.indptr[j]:U.indptr[j + 1]]
        vals = U.data[U.indptr[j]:U.indptr[j + 1]]
        r, v = [], []
        for i, a in zip(rows, vals):
            if rng.random() < 0.4:                 # split into two entries
                s = rng.uniform(-1.0, 2.0)
                r += [i, i]
                v += [s * a, (1.0 - s) * a]
            else:
                r.append(i)
                v.append(a)
        perm = rng.permutation(len(r))             # unsorted rows
        indices += [r[p] for p in perm]
        data += [v[p] for p in perm]
        indptr.append(len(indices))
    indptr, indices, data = np.array(indptr), np.array(indices), np.array(data)
    assert indices.size > U.nnz                    # there are duplicates
    ldl = SparseLDL(indptr, indices, **({} if md_work == DEFAULT else {"md_work": md_work}))
    assert ldl.Ai.size == indices.size             # both copies kept in the pattern
    ax = np.empty(indices.size)
    ax[ldl.where] = data
    assert ldl.factor(ax) == n
    # the fill of the order chosen is that of the canonical pattern (the
    # order itself may differ: minimum degree breaks ties by adjacency order)
    np.testing.assert_array_equal(np.diff(ldl.Lp), _symbolic_counts(A, ldl.order))
    _check_solution(A, ldl, rng)


# --------------------------------------------------------------------------
# 6. elimination tree
# --------------------------------------------------------------------------


def test_elimination_tree_parents_follow_their_children():
    # the elimination tree is a forest whose parents come after their children
    # in the pivot order (exact), and each column's count is its row reach
    rng = np.random.default_rng(4)
    n = 200
    A = _laplacian(n, _random_graph(n, rng, p=0.01), rng, 1.0)
    ldl, _ = _factor(A)
    has = ldl.parent >= 0
    assert np.all(ldl.parent[has] > np.flatnonzero(has))
    np.testing.assert_array_equal(np.diff(ldl.Lp), _symbolic_counts(A, ldl.order))


# --------------------------------------------------------------------------
# 7. trivial sizes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("md_work", [DEFAULT, AMD])
def test_one_by_one(md_work):
    # n = 1: x = b / a exactly (one division)
    ldl, k = _factor(sp.csc_matrix(np.array([[4.0]])), md_work)
    assert k == 1 and ldl.nnz_l == 0
    np.testing.assert_array_equal(ldl.solve(np.array([2.0])), [0.5])
    ldl, k = _factor(sp.csc_matrix(np.array([[-4.0]])), md_work)
    assert k == 0


@pytest.mark.parametrize("md_work", [DEFAULT, AMD])
def test_diagonal_matrix(md_work):
    # no off-diagonal entries: no fill, x = b / diag to one rounding (1e-15)
    rng = np.random.default_rng(1)
    d = rng.uniform(0.5, 3.0, 20)
    ldl, k = _factor(sp.csc_matrix(sp.diags(d)), md_work)
    assert k == 20 and ldl.nnz_l == 0
    np.testing.assert_array_equal(np.sort(ldl.order), np.arange(20))
    b = rng.standard_normal(20)
    np.testing.assert_allclose(ldl.solve(b), b / d, rtol=1e-15)


# --------------------------------------------------------------------------
# 8–9. through the network solver
# --------------------------------------------------------------------------


def test_network_nodal_system_both_orderings():
    # the nodal matrix of a rack network, gathered through its assembly map as
    # ldl_analysis does: minimum degree and AMD give the same x as spsolve to
    # 1e-12 relative (backward-stable; Laplacian-like, moderate conditioning)
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import nodal_matrix

    cn = rack_loop_network(3, 8).compile()
    rng = np.random.default_rng(0)
    w = rng.uniform(0.5, 2.0, cn.free_edges.size)
    A = nodal_matrix(cn, w).tocsc()
    n = A.shape[0]
    b = rng.standard_normal(n)
    ref = spla.spsolve(A, b)
    xs = {}
    for md_work in (DEFAULT, AMD):
        ldl = SparseLDL(cn.up_indptr, cn.up_indices,
                        **({} if md_work == DEFAULT else {"md_work": md_work}))
        ldl.terms = S.reorder_terms(ldl.source, cn.up_ptr, cn.up_edge, cn.up_sign)
        S.gather_sum(ldl.Ax, *ldl.terms, w)
        assert ldl.factor() == n
        xs[ldl.ordering] = ldl.solve(b)
    assert set(xs) == {"minimum degree", "AMD"}
    scale = np.abs(ref).max()
    for x in xs.values():
        np.testing.assert_allclose(x, ref, rtol=0, atol=1e-12 * 100 * scale)
    np.testing.assert_allclose(xs["minimum degree"], xs["AMD"], rtol=0, atol=1e-12 * 100 * scale)


def test_nodal_solver_nan_conductance_names_the_node():
    # a NaN conductance on free edge 0 fails at the first-eliminated unknown
    # end of that edge: ConvergenceError naming exactly that node
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import NodalSolver

    cn = rack_loop_network(1, 2).compile()
    s = NodalSolver(cn)
    w = np.ones(cn.free_edges.size)
    w[0] = np.nan
    with pytest.raises(ConvergenceError, match="not positive definite at node") as info:
        s.solve(w, np.ones(cn.unknown_nodes.size))
    ldl = cn.cache["ldl"]
    ends = np.flatnonzero(cn.incidence_free[:, [0]].toarray().ravel())
    u = np.flatnonzero(np.isin(cn.unknown_nodes, ends))     # unknown-node indices
    assert u.size
    pos = np.empty(ldl.n, np.int64)
    pos[ldl.order] = np.arange(ldl.n)
    node = cn.node_names[cn.unknown_nodes[ldl.order[pos[u].min()]]]
    assert repr(node) in str(info.value)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_amd_order_leaves_the_callers_pattern_alone(dtype):
    # before: the SPD stand-in matrix shared the caller's index arrays and
    # eliminate_zeros() rewrote them in place (an int32 pattern lost its diagonal)
    from narvik_thermal.solvers.ldl import amd_order

    A = sp.random(60, 60, density=0.1, random_state=3) + sp.eye(60)
    U = sp.triu(A + A.T, format="csc")
    U.sort_indices()
    indptr, indices = U.indptr.astype(dtype), U.indices.astype(dtype)
    before = indptr.copy(), indices.copy()
    order = amd_order(60, indptr, indices)
    np.testing.assert_array_equal(indptr, before[0])
    np.testing.assert_array_equal(indices, before[1])
    assert np.array_equal(np.sort(order), np.arange(60))
