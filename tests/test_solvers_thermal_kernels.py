"""Heat-transport kernels (narvik_thermal.solvers._thermal_kernels) against dense
references: the flow-order sort with torn loops and the substitution that uses it."""

from __future__ import annotations

import numpy as np

from narvik_thermal.solvers import _dense_kernels as D
from narvik_thermal.solvers import _hydraulic_kernels as H
from narvik_thermal.solvers import _thermal_kernels as K


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
    if n_t:
        h, ok = K.torn_values(h0, H, S, b)
        assert ok
        np.testing.assert_allclose(h, h0 + H @ np.linalg.solve(S, b), rtol=1e-12, atol=1e-12)
    else:
        h = h0
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


def test_dense_solve_agrees_with_lapack_and_reports_a_singular_matrix():
    # Gaussian elimination with partial pivoting against numpy.linalg.solve (LAPACK
    # gesv) on random systems of 1 to 32 unknowns (the torn systems and control loops)
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 5, 12, 32):
        for _ in range(20):
            S = rng.normal(size=(n, n))
            b = rng.normal(size=n)
            x, ok = D.dense_solve(S, b)
            assert ok
            np.testing.assert_allclose(x, np.linalg.solve(S, b), rtol=1e-9, atol=1e-12)
    # a pivot that must be swapped in: [[0, 1], [1, 0]] x = [2, 3] → x = [3, 2]
    x, ok = D.dense_solve(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([2.0, 3.0]))
    assert ok and list(x) == [3.0, 2.0]
    for S in (np.zeros((2, 2)), np.array([[1.0, 2.0], [2.0, 4.0]]),
              np.array([[np.nan, 0.0], [0.0, 1.0]])):
        S0 = S.copy()
        assert D.dense_solve(S, np.ones(2))[1] is False
        np.testing.assert_array_equal(S, S0)          # the input is not changed


def test_torn_values_of_a_singular_torn_system_are_refused():
    h0, H = np.array([1.0, 2.0, 3.0]), np.array([[1.0], [0.5], [0.0]])
    h, ok = K.torn_values(h0, H, np.zeros((1, 1)), np.ones(1))
    assert not ok and list(h) == [1.0, 2.0, 3.0]
    h, ok = K.torn_values(h0, H, np.array([[2.0]]), np.array([4.0]))   # x = 2
    assert ok and list(h) == [3.0, 3.0, 3.0]


def test_same_pattern_is_array_equal_of_all_four():
    a = (np.array([1, 2, 3]), np.array([0, 1, 2]), np.array([4]), np.array([True, False]))
    assert K.same_pattern(*a, *[x.copy() for x in a])
    for k in range(4):
        b = [x.copy() for x in a]
        b[k] = b[k][:-1]                          # a different length
        assert not K.same_pattern(*a, *b)
        b = [x.copy() for x in a]
        b[k][0] = not b[k][0] if b[k].dtype == bool else b[k][0] + 1
        assert not K.same_pattern(*a, *b)


def test_flow_directions_are_numpys_expressions_bit_for_bit():
    rng = np.random.default_rng(11)
    n_nodes, n_edges = 30, 80
    start = rng.integers(0, n_nodes, n_edges).astype(np.int64)
    end = rng.integers(0, n_nodes, n_edges).astype(np.int64)
    m = rng.normal(size=n_edges)
    m[:5] = 0.0                                   # no flow: the start is upstream
    p, z = rng.normal(1e5, 1e4, n_nodes), rng.normal(0, 30, n_nodes)
    rho_g = rng.normal(1000, 10, n_edges) * 9.80665
    up, dn, rise = K.flow_directions(m, start, end, p, rho_g, z)
    np.testing.assert_array_equal(up, np.where(m >= 0, start, end))
    np.testing.assert_array_equal(dn, np.where(m >= 0, end, start))
    np.testing.assert_array_equal(rise, p[end] - p[start] - rho_g * (z[start] - z[end]))


def _with_specials(rng, n):
    """Random values of mixed signs and scales, some arrays with NaN or ±inf."""
    x = rng.normal(size=n) * 10.0 ** rng.integers(-6, 6, n)
    kind = rng.integers(0, 4)
    if kind and n:
        x[rng.integers(0, n)] = (np.nan, np.inf, -np.inf)[kind - 1]
    return x


def test_abs_max_and_max_abs_difference_are_numpys_bit_for_bit():
    rng = np.random.default_rng(7)
    for _ in range(400):
        n = int(rng.integers(1, 60))
        a, b = _with_specials(rng, n), _with_specials(rng, n)
        # (abs_max: the hydraulics' kernel, which stagnant_limit uses too)
        for got, want in ((H.abs_max(a), np.abs(a).max()),
                          (K.max_abs_difference(a, b), np.abs(a - b).max())):
            if np.isnan(want):
                assert np.isnan(got)
            else:
                assert got == want
    # a NaN after a larger value, and -0.0
    assert np.isnan(H.abs_max(np.array([5.0, np.nan, 1.0])))
    assert H.abs_max(np.array([-0.0])) == 0.0


def test_all_finite_is_numpys_test_of_both_arrays():
    rng = np.random.default_rng(8)
    for _ in range(300):
        x = _with_specials(rng, int(rng.integers(0, 30)))
        y = _with_specials(rng, int(rng.integers(0, 30)))
        assert K.all_finite(x, y) == bool(np.all(np.isfinite(x)) and np.all(np.isfinite(y)))


def test_stagnant_among_is_numpys_selection():
    rng = np.random.default_rng(9)
    for _ in range(300):
        m = _with_specials(rng, int(rng.integers(1, 40)))
        m[rng.random(m.size) < 0.3] = 0.0
        idx = rng.integers(0, m.size, int(rng.integers(0, 20))).astype(np.int64)
        lim = float(rng.choice([0.0, 1e-13, 1.0]))
        got = K.stagnant_among(m, idx, lim)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, np.flatnonzero(np.abs(m[idx]) <= lim))


def _bits(a):
    """The bytes of a float array (bit-for-bit comparison, NaN and -0.0 included)."""
    return np.ascontiguousarray(a, dtype=float).tobytes()


def test_nonzero_entries_is_numpys_filter_and_check():
    rng = np.random.default_rng(10)
    for _ in range(300):
        n, k = int(rng.integers(1, 30)), int(rng.integers(0, 50))
        dst = rng.integers(0, n, k).astype(np.int64)
        src = rng.integers(0, n, k).astype(np.int64)
        coef = _with_specials(rng, k)
        coef[rng.random(k) < 0.3] = 0.0
        if k and rng.random() < 0.2:
            coef[rng.integers(0, k)] = -0.0
        flowing = rng.random(n) < rng.choice([0.7, 1.0])
        d, s, c, ok = K.nonzero_entries(dst, src, coef, flowing)
        keep = coef != 0.0
        np.testing.assert_array_equal(d, dst[keep])
        np.testing.assert_array_equal(s, src[keep])
        assert _bits(c) == _bits(coef[keep])
        assert ok == (not (keep.sum() and not np.all(flowing[src[keep]])))


def test_solve_in_order_is_the_three_kernels_in_turn():
    rng = np.random.default_rng(11)
    seen = set()
    for _ in range(200):
        n = int(rng.integers(2, 25))
        k = int(rng.integers(n, 3 * n))
        dst = rng.integers(0, n, k).astype(np.int64)
        src = rng.integers(0, n, k).astype(np.int64)
        coef = rng.random(k)
        diag = 1.0 + rng.random(n) * k
        if rng.random() < 0.1:
            diag[:] = 0.0                         # a singular torn system
        rhs = _with_specials(rng, n) if rng.random() < 0.2 else rng.normal(size=n)
        flowing = np.ones(n, bool)
        pref = rng.integers(0, n, int(rng.integers(0, 3))).astype(np.int64)
        order, tears, n_t, in_ptr, in_src, in_perm = K.flow_order(n, flowing, dst, src,
                                                                  pref, 32)
        if n_t < 0:
            continue
        tol = float(rng.choice([1e-12, 1e-30]))
        h, ok = K.solve_in_order(order, tears, n_t, in_ptr, in_src, in_perm, coef, diag,
                                 rhs, dst, src, flowing, tol)
        h0, H_, S, b = K.forward_substitution(order, tears, n_t, in_ptr, in_src,
                                              coef[in_perm], diag, rhs)
        want, want_ok = h0, True
        if n_t:
            want, want_ok = K.torn_values(h0, H_, S, b)
        if want_ok:
            worst, scale = K.thermal_residual(want, diag, rhs, dst, src, coef, flowing)
            want_ok = bool(worst <= tol * max(scale, 1e-300))
        assert ok == want_ok
        assert _bits(h) == _bits(want)
        seen.add((n_t > 0, ok))
    assert seen == {(False, True), (True, True), (True, False), (False, False)}


def _external_inflow_numpy(n, A, m, fixed_nodes, is_tank, flow_nodes, qn, h_bc):
    """The NumPy expressions :func:`K.external_inflow` replaced."""
    supply = -(A @ m)
    ext_in = np.zeros(n)
    if flow_nodes.size:
        fin = flow_nodes[qn[flow_nodes] > 0]
        ext_in[fin] += qn[fin]
    else:
        qn = np.zeros(n)
    pb = fixed_nodes[~is_tank]
    if pb.size:
        sup = supply[pb] - qn[pb]
        ext_in[pb] += np.maximum(sup, 0.0)
    h_ext = np.where(ext_in > 0, h_bc, 0.0)
    return ext_in, h_ext, supply


def test_external_inflow_is_the_numpy_expressions_bit_for_bit():
    import scipy.sparse as sp

    rng = np.random.default_rng(12)
    for _ in range(300):
        n, e = int(rng.integers(2, 20)), int(rng.integers(1, 40))
        s, t = rng.integers(0, n, e), rng.integers(0, n, e)
        A = sp.csc_matrix((np.r_[-np.ones(e), np.ones(e)],
                           (np.r_[s, t], np.r_[np.arange(e), np.arange(e)])), shape=(n, e))
        m = _with_specials(rng, e)
        m[rng.random(e) < 0.2] = 0.0
        nodes = rng.permutation(n)
        n_fix, n_flow = int(rng.integers(0, n // 2 + 1)), int(rng.integers(0, n // 2 + 1))
        fixed_nodes = nodes[:n_fix].astype(np.int64)
        flow_nodes = nodes[n_fix:n_fix + n_flow].astype(np.int64)
        is_tank = rng.random(n_fix) < 0.3
        qn = _with_specials(rng, n) if flow_nodes.size else np.zeros(0)
        h_bc = rng.normal(size=n) * 1e5
        got = K.external_inflow(n, A.indptr, A.indices, A.data, m, fixed_nodes, is_tank,
                                flow_nodes, qn, h_bc)
        want = _external_inflow_numpy(n, A, m, fixed_nodes, is_tank, flow_nodes, qn, h_bc)
        for g, w in zip(got, want):
            assert _bits(g) == _bits(w)


def test_inlet_states_and_hold_where_are_numpys_expressions():
    rng = np.random.default_rng(13)
    for _ in range(200):
        n, e = int(rng.integers(1, 15)), int(rng.integers(1, 30))
        m = _with_specials(rng, e)
        m[rng.random(e) < 0.2] = rng.choice([0.0, -0.0])
        idx = rng.permutation(e)[:int(rng.integers(0, e + 1))].astype(np.int64)
        start, end = rng.integers(0, n, idx.size), rng.integers(0, n, idx.size)
        T, h = _with_specials(rng, n), _with_specials(rng, n)
        up = np.where(m[idx] >= 0, start, end)
        T_in, h_in = K.inlet_states(m, idx, start, end, T, h)
        assert _bits(T_in) == _bits(T[up]) and _bits(h_in) == _bits(h[up])
        x, held = _with_specials(rng, e), _with_specials(rng, e)
        hold = rng.random(idx.size) < 0.5
        want = x.copy()
        want[idx] = np.where(hold, held[idx], np.nan)
        K.hold_where(x, held, idx, hold)
        assert _bits(x) == _bits(want)
