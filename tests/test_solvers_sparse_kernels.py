"""Sparse-assembly and grouped-reduction kernels (narvik_thermal.solvers._sparse_kernels)
against NumPy/SciPy references."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from narvik_thermal.solvers import _sparse_kernels as K


def test_gather_sum_matches_bincount():
    # entries t = Σ sign·v[index] over their terms (bincount); reordered: entry
    # q of the new map is entry at[q]
    rng = np.random.default_rng(0)
    slot = rng.integers(0, 50, 500)
    index = rng.integers(0, 80, 500)
    sign = rng.choice([-1.0, 1.0], 500)
    v = rng.normal(size=80)
    by = np.argsort(slot, kind="stable")
    ptr = np.searchsorted(slot[by], np.arange(51))
    at = rng.permutation(50)
    ref = np.bincount(slot, weights=sign * v[index], minlength=50)
    out = K.gather_sum(np.full(50, np.nan), ptr, index[by], sign[by], v)
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-13)
    # the same map for the entries in another order
    terms = K.reorder_terms(at, ptr, index[by], sign[by])
    out = K.gather_sum(np.full(50, np.nan), *terms, v)
    np.testing.assert_allclose(out, ref[at], rtol=1e-13, atol=1e-13)


def test_group_min_max_match_ufunc_at():
    rng = np.random.default_rng(1)
    g = rng.integers(0, 7, 300)
    g[g == 5] = 4                                   # group 5 is empty
    x = rng.normal(size=300)
    lo = np.full(7, np.inf); np.minimum.at(lo, g, x)
    hi = np.full(7, -np.inf); np.maximum.at(hi, g, x)
    np.testing.assert_array_equal(K.group_min(x, g, 7), lo)
    np.testing.assert_array_equal(K.group_max(x, g, 7), hi)


def test_nodal_scatter_builds_the_laplacian():
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import ldl_analysis, nodal_matrix
    cn = rack_loop_network(2, 4).compile()
    w = np.random.default_rng(0).uniform(0.5, 2.0, cn.free_edges.size)
    L = nodal_matrix(cn, w).toarray()
    A = cn.incidence_free.toarray()[cn.unknown_nodes]
    np.testing.assert_allclose(L, A @ np.diag(w) @ A.T, rtol=1e-13, atol=1e-13)
    # the LDLᵀ input: the same values scattered straight into the upper
    # triangle of P L Pᵀ
    ldl = ldl_analysis(cn)
    K.gather_sum(ldl.Ax, *ldl.terms, w)
    U = sp.csc_matrix((ldl.Ax, ldl.Ai, ldl.Ap), shape=L.shape).toarray()
    o = ldl.order
    np.testing.assert_allclose(U, np.triu(L[np.ix_(o, o)]), rtol=1e-13, atol=1e-13)
