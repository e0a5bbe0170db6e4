"""Compiled kernels (narvik_thermal._kernels) against plain NumPy/SciPy references.

The kernels are also exercised by every solver test; these pin down the pieces
whose failure would be hard to localise from a whole-network result: the
flow-order sort with torn loops, the substitution that uses it, and the
grouped reductions.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from narvik_thermal import _kernels as K


def _dense_solve(n, dst, src, coef, diag, rhs):
    A = np.diag(diag).astype(float)
    np.add.at(A, (dst, src), -coef)
    return np.linalg.solve(A, rhs)


def _solve_by_order(n, dst, src, coef, diag, rhs, preferred=(), max_tears=32):
    active = np.ones(n, bool)
    order, tears, n_t, in_ptr, in_src, in_perm = K.flow_order(
        n, active, np.asarray(dst, np.int64), np.asarray(src, np.int64),
        np.asarray(preferred, np.int64), max_tears)
    if n_t < 0:
        return None, n_t, order
    h0, H, S, b = K.forward_substitution(order, tears, n_t, in_ptr, in_src,
                                         np.asarray(coef, float)[in_perm], diag, rhs)
    h = h0 + H @ np.linalg.solve(S, b) if n_t else h0
    return h, n_t, order


def test_chain_needs_no_tear_and_orders_sources_first():
    # 0 -> 1 -> 2 -> 3 given in scrambled entry order
    dst, src = np.array([3, 1, 2]), np.array([2, 0, 1])
    coef = np.array([1.0, 1.0, 1.0])
    diag = np.ones(4)
    rhs = np.array([5.0, 1.0, 2.0, 3.0])
    h, n_t, order = _solve_by_order(4, dst, src, coef, diag, rhs)
    assert n_t == 0
    assert list(order) == [0, 1, 2, 3]
    np.testing.assert_allclose(h, [5.0, 6.0, 8.0, 11.0], rtol=0, atol=0)


def test_closed_loop_is_torn_once_at_the_preferred_node():
    # a ring 0 -> 1 -> 2 -> 3 -> 0 with a heat loss (coef < flow) so it is regular
    n = 4
    src, dst = np.arange(n), (np.arange(n) + 1) % n
    coef = np.full(n, 0.9)
    diag = np.ones(n)
    rhs = np.array([1.0, 0.0, 2.0, 0.0])
    for pref in ([2], []):
        h, n_t, _ = _solve_by_order(n, dst, src, coef, diag, rhs, preferred=pref)
        assert n_t == 1
        np.testing.assert_allclose(h, _dense_solve(n, dst, src, coef, diag, rhs), rtol=1e-14)


def test_parallel_branches_in_a_loop_need_one_tear_at_the_pump_outlet():
    # pump outlet 0 feeds three parallel branches (1, 2, 3) that mix at 4, back to 0
    dst = np.array([1, 2, 3, 4, 4, 4, 0])
    src = np.array([0, 0, 0, 1, 2, 3, 4])
    m = np.array([1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 6.0])
    coef = m.copy()
    coef[-1] = 5.9                                  # a cooler on the pump edge
    diag = np.array([6.0, 1.0, 2.0, 3.0, 6.0])
    rhs = np.array([0.0, 10.0, 20.0, 30.0, 0.0])
    h, n_t, _ = _solve_by_order(5, dst, src, coef, diag, rhs, preferred=[0])
    assert n_t == 1
    np.testing.assert_allclose(h, _dense_solve(5, dst, src, coef, diag, rhs), rtol=1e-14)


def test_without_a_preferred_node_the_walk_back_finds_a_node_on_the_cycle():
    # a tail 5 -> 6 hangs off a ring 0..4; node 6 (not on the ring) must not be torn
    dst = np.array([1, 2, 3, 4, 0, 5, 6])
    src = np.array([0, 1, 2, 3, 4, 2, 5])
    coef = np.array([0.8, 0.8, 0.8, 0.8, 0.8, 0.2, 0.2])
    diag = np.ones(7)
    rhs = np.arange(7, dtype=float)
    h, n_t, order = _solve_by_order(7, dst, src, coef, diag, rhs)
    assert n_t == 1
    np.testing.assert_allclose(h, _dense_solve(7, dst, src, coef, diag, rhs), rtol=1e-14)


def test_random_coupled_loops_agree_with_a_dense_solve():
    # several rings coupled by cross terms (heat exchangers): many torn nodes
    rng = np.random.default_rng(3)
    n = 60
    dst, src, coef = [], [], []
    for ring in range(6):
        nodes = np.arange(ring * 10, ring * 10 + 10)
        dst += list(np.roll(nodes, -1)); src += list(nodes); coef += list(rng.uniform(0.5, 0.9, 10))
    for _ in range(15):
        a, b = rng.integers(0, n, 2)
        if a != b:
            dst.append(a); src.append(b); coef.append(rng.uniform(0.0, 0.05))
    dst, src, coef = map(np.asarray, (dst, src, coef))
    diag = np.ones(n) + np.bincount(dst, weights=coef, minlength=n) * 0.2
    rhs = rng.normal(size=n)
    h, n_t, _ = _solve_by_order(n, dst, src, coef, diag, rhs)
    assert 6 <= n_t <= 21
    np.testing.assert_allclose(h, _dense_solve(n, dst, src, coef, diag, rhs), rtol=1e-12)


def test_too_many_tears_is_reported_not_guessed():
    n = 20
    dst, src = [], []
    for ring in range(5):                           # 5 independent rings
        nodes = np.arange(ring * 4, ring * 4 + 4)
        dst += list(np.roll(nodes, -1)); src += list(nodes)
    h, n_t, _ = _solve_by_order(n, dst, src, np.full(n, 0.5), np.ones(n), np.ones(n),
                                max_tears=3)
    assert h is None and n_t == -1


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


def test_darcy_kernel_matches_the_textbook_formula():
    # Darcy–Weisbach with Churchill friction written out with NumPy powers
    rng = np.random.default_rng(2)
    n = 400
    m = rng.uniform(-3.0, 3.0, n)
    D = rng.uniform(0.01, 0.3, n)
    mu, rho, L, K_minor, eps = 1e-3, 998.0, rng.uniform(1, 50, n), rng.uniform(0, 3, n), 4.5e-5
    A = np.pi * D ** 2 / 4
    r = np.zeros(n); d = np.zeros(n)
    K.darcy_losses(m, np.arange(n), np.ones(n), 4 / (np.pi * D * mu), eps / D,
                   (L / D) * (np.pi * D * mu / 4) / (2 * rho * A * A), K_minor / (2 * rho * A * A),
                   r, d)
    Re = np.maximum(np.abs(m) * D / (A * mu), 1e-6)
    a = (2.457 * np.log(1 / ((7 / Re) ** 0.9 + 0.27 * eps / D))) ** 16
    b = (37530 / Re) ** 16
    f = 8 * ((8 / Re) ** 12 + (a + b) ** -1.5) ** (1 / 12)
    v = m / (rho * A)
    ref = (f * L / D + K_minor) * rho * v * np.abs(v) / 2
    np.testing.assert_allclose(r, ref, rtol=1e-12)
    # derivative against central differences
    h = 1e-6 * np.maximum(np.abs(m), 1e-3)
    rp = np.zeros(n); rm = np.zeros(n); tmp = np.zeros(n)
    args = (np.arange(n), np.ones(n), 4 / (np.pi * D * mu), eps / D,
            (L / D) * (np.pi * D * mu / 4) / (2 * rho * A * A), K_minor / (2 * rho * A * A))
    K.darcy_losses(m + h, *args, rp, tmp)
    K.darcy_losses(m - h, *args, rm, tmp)
    np.testing.assert_allclose(d, (rp - rm) / (2 * h), rtol=1e-6)


@pytest.mark.parametrize("kind", ["water", "pg25"])
def test_table_kernels_clamp_and_invert(kind):
    from narvik_thermal import fluids
    fl = fluids.water() if kind == "water" else fluids.propylene_glycol(0.25)
    T = np.array([fl.t_min - 5.0, fl.t_min, 300.0, fl.t_max, fl.t_max + 5.0, np.nan])
    h = fl.enthalpy_T(T, check=False)
    # clamped to the table ends; NaN in, NaN out
    assert h[0] == h[1] and h[3] == pytest.approx(h[4], rel=1e-14) and np.isnan(h[5])
    back = fl.temperature_h(h[:5], check=False)
    np.testing.assert_allclose(back, np.clip(T[:5], fl.t_min, fl.t_max), rtol=0, atol=1e-9)
    rho = fl.density_pT(np.array([300.0, 310.0]), check=False)
    i, w = K.table_cells(np.array([300.0, 310.0]), fl.t_min, fl._inv_dt, fl._n)
    ref = fl._tab["density"][i] + w * fl._dtab["density"][i]
    np.testing.assert_array_equal(rho, ref)


def test_nodal_scatter_builds_the_laplacian():
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.solvers.hydraulic import _analyse, nodal_matrix
    cn = rack_loop_network(2, 4).compile()
    w = np.random.default_rng(0).uniform(0.5, 2.0, cn.free_edges.size)
    L = nodal_matrix(cn, w).toarray()
    A = cn.incidence_free.toarray()[cn.unknown_nodes]
    np.testing.assert_allclose(L, A @ np.diag(w) @ A.T, rtol=1e-13, atol=1e-13)
    # the LDLᵀ input: the same values scattered straight into the upper
    # triangle of P L Pᵀ
    ldl = _analyse(cn)
    K.gather_sum(ldl.Ax, *ldl.terms, w)
    U = sp.csc_matrix((ldl.Ax, ldl.Ai, ldl.Ap), shape=L.shape).toarray()
    o = ldl.order
    np.testing.assert_allclose(U, np.triu(L[np.ix_(o, o)]), rtol=1e-13, atol=1e-13)


def test_power_law_pressure_drop_against_formula_and_derivative():
    # Δp = Δp_r sign(V)|V/V_r|^n and its derivative n Δp_r/V_r |V/V_r|^(n-1):
    # exact at the rated point, 1e-13 against the formula with NumPy powers,
    # derivative against central differences to 1e-7
    from narvik_thermal.correlations.cold_plate import power_law_pressure_drop
    dp, d = power_law_pressure_drop(2e-4, 30e3, 2e-4, 1.8)
    assert float(dp) == pytest.approx(30e3, rel=1e-15) and float(d) == pytest.approx(
        1.8 * 30e3 / 2e-4, rel=1e-14)
    V = np.array([-3e-4, -1e-5, 0.0, 1e-6, 2e-4, 5e-4])
    for n in (1.0, 1.75, 2.0):
        dp, d = power_law_pressure_drop(V, 25e3, 2e-4, n)
        ref = 25e3 * np.sign(V) * np.abs(V / 2e-4) ** n
        np.testing.assert_allclose(dp, ref, rtol=1e-13, atol=0)
        h = 1e-9
        fd = (power_law_pressure_drop(V[V != 0] + h, 25e3, 2e-4, n)[0]
              - power_law_pressure_drop(V[V != 0] - h, 25e3, 2e-4, n)[0]) / (2 * h)
        np.testing.assert_allclose(d[V != 0], fd, rtol=1e-6)
    # zero flow: no loss; slope 0 for n > 1 (the solver floors it), Δp_r/V_r for n = 1
    assert power_law_pressure_drop(0.0, 1e4, 1e-4, 2.0)[1] == 0.0
    assert float(power_law_pressure_drop(0.0, 1e4, 1e-4, 1.0)[1]) == pytest.approx(1e8)
    # broadcasting of array parameters, shapes kept; NaN propagates
    dp, d = power_law_pressure_drop(np.full((2, 3), 1e-4), np.array([1e4, 2e4, 3e4]), 1e-4)
    assert dp.shape == (2, 3)
    np.testing.assert_allclose(dp[1], [1e4, 2e4, 3e4], rtol=1e-15)
    assert np.isnan(power_law_pressure_drop(np.nan, 1e4, 1e-4)[0])
