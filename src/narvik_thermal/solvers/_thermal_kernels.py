"""Compiled kernels of the heat-transport solve (:mod:`.thermal`), numba: the
system in flow order with a few torn nodes, its entries and residual, and
the heat of each edge. Imported lazily (they load numba).
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit
from ._dense_kernels import dense_solve
from ._sparse_kernels import csc_matvec, csr_group

__all__ = ['flow_directions', 'flow_order', 'same_pattern', 'forward_substitution', 'torn_values', 'thermal_entries',
           'thermal_residual', 'edge_heat', 'max_abs_difference', 'all_finite',
           'stagnant_among', 'nonzero_entries', 'solve_in_order', 'solve_in_kept_order',
           'external_inflow', 'inlet_states', 'hold_where']


@_jit
def max_abs_difference(a, b):
    """``np.abs(a − b).max()`` of two non-empty arrays of one size, NaN if any
    difference is NaN (as NumPy's), in one pass."""
    r = 0.0
    for k in range(a.size):
        d = abs(a[k] - b[k])
        if d != d:
            return np.nan
        if d > r:
            r = d
    return r


@_jit
def stagnant_among(m, idx, no_flow):
    """The positions ``k`` in ``idx`` whose edge flow is stagnant, ``|m[idx[k]]| ≤
    no_flow`` (``np.flatnonzero(np.abs(m[idx]) <= no_flow)``; a NaN flow is not)."""
    n = 0
    for k in range(idx.size):
        if abs(m[idx[k]]) <= no_flow:
            n += 1
    out = np.empty(n, np.int64)
    n = 0
    for k in range(idx.size):
        if abs(m[idx[k]]) <= no_flow:
            out[n] = k
            n += 1
    return out


@_jit
def all_finite(x, y):
    """Whether every element of ``x`` and of ``y`` is finite (neither NaN nor ±inf)."""
    for k in range(x.size):
        if not np.isfinite(x[k]):
            return False
    for k in range(y.size):
        if not np.isfinite(y[k]):
            return False
    return True


@_jit
def flow_directions(m, start, end, p, rho_g, z):
    """Upstream and downstream node of each edge (the start where ``m ≥ 0``) and the
    pressure rise along it net of elevation, ``p_end − p_start − ρg (z_start − z_end)``
    (``rho_g`` = ρ g per edge), in one pass: three NumPy expressions of an outer
    iteration, the same arithmetic in the same order."""
    n = m.size
    up = np.empty(n, np.int64)
    dn = np.empty(n, np.int64)
    rise = np.empty(n)
    for k in range(n):
        a, b = start[k], end[k]
        if m[k] >= 0:
            up[k], dn[k] = a, b
        else:
            up[k], dn[k] = b, a
        rise[k] = p[b] - p[a] - rho_g[k] * (z[a] - z[b])
    return up, dn, rise


@_jit
def flow_order(n, active, dst, src, preferred, max_tears):
    """Order the equations ``h_dst ← coef · h_src`` so that sources come first.

    Kahn's topological sort of the dependency graph over the ``active`` nodes
    (edges ``src → dst``). Where every remaining node waits on another (a
    closed loop, or a heat exchanger coupling two loops), one node is *torn*:
    placed now with its value left as an unknown of a small dense system. The
    torn node is the first unplaced one of ``preferred`` (pump outlets, which
    every loop of a closed circuit passes), else the node with the most
    dependants on a cycle found by walking back along unplaced sources.

    Returns
    -------
    order : int64 array
        The active nodes, sources before the nodes that depend on them (torn
        nodes excepted).
    tears : int64 array
        The torn nodes (at most ``max_tears``; ``-1`` entries are unused).
    n_tears : int
        Number of torn nodes, or ``-1`` when more than ``max_tears`` would be needed.
    in_ptr, in_src, in_perm :
        The entries grouped by destination (CSR) and the entry at each position,
        for :func:`forward_substitution` (``in_coef = coef[in_perm]``).
    """
    in_ptr, in_src, in_perm = csr_group(n, dst, src)
    out_ptr, out_dst, _ = csr_group(n, src, dst)
    indeg = np.zeros(n, np.int64)
    for i in range(n):
        indeg[i] = in_ptr[i + 1] - in_ptr[i]
    placed = np.zeros(n, np.bool_)
    order = np.empty(n, np.int64)
    tears = np.full(max_tears, -1, np.int64)
    n_active = 0
    tail = 0
    for i in range(n):
        if active[i]:
            n_active += 1
            if indeg[i] == 0:
                order[tail] = i
                placed[i] = True
                tail += 1
    head = 0
    n_tears = 0
    scan = 0
    pref = 0
    stamp = np.zeros(n, np.int64)
    walk = 0
    while True:
        while head < tail:
            i = order[head]
            head += 1
            for k in range(out_ptr[i], out_ptr[i + 1]):
                j = out_dst[k]
                indeg[j] -= 1
                if indeg[j] == 0 and not placed[j]:
                    order[tail] = j
                    placed[j] = True
                    tail += 1
        if tail >= n_active:
            break
        u = -1
        while pref < preferred.size:
            if active[preferred[pref]] and not placed[preferred[pref]]:
                u = preferred[pref]
                break
            pref += 1
        if u < 0:
            while placed[scan] or not active[scan]:
                scan += 1
            # every unplaced node waits on an unplaced source: walking back must
            # return to a node already seen, which lies on a cycle; go round the
            # cycle once more to pick its node with the most dependants
            walk += 1
            u = scan
            while stamp[u] != walk:
                stamp[u] = walk
                for k in range(in_ptr[u], in_ptr[u + 1]):
                    if not placed[in_src[k]]:
                        u = in_src[k]
                        break
            best = u
            walk += 1
            while stamp[u] != walk:
                stamp[u] = walk
                if out_ptr[u + 1] - out_ptr[u] > out_ptr[best + 1] - out_ptr[best]:
                    best = u
                for k in range(in_ptr[u], in_ptr[u + 1]):
                    if not placed[in_src[k]]:
                        u = in_src[k]
                        break
            u = best
        if n_tears == max_tears:
            return order[:tail], tears, -1, in_ptr, in_src, in_perm
        tears[n_tears] = u
        n_tears += 1
        order[tail] = u
        placed[u] = True
        tail += 1
    return order[:tail], tears, n_tears, in_ptr, in_src, in_perm


@_jit
def same_pattern(kept_dst, kept_src, kept_preferred, kept_flowing, dst, src, preferred,
                 flowing):
    """Whether the entries' pattern (``dst``, ``src``), the preferred tears and the
    flowing nodes equal those :func:`flow_order` last ordered (four
    ``numpy.array_equal`` in one call)."""
    if (kept_dst.size != dst.size or kept_src.size != src.size
            or kept_preferred.size != preferred.size or kept_flowing.size != flowing.size):
        return False
    for k in range(dst.size):
        if kept_dst[k] != dst[k] or kept_src[k] != src[k]:
            return False
    for k in range(preferred.size):
        if kept_preferred[k] != preferred[k]:
            return False
    for k in range(flowing.size):
        if kept_flowing[k] != flowing[k]:
            return False
    return True


@_jit
def forward_substitution(order, tears, n_tears, in_ptr, in_src, in_coef, diag, rhs):
    """Solve ``diag_i h_i − Σ coef h_src = rhs_i`` in flow order, torn nodes as unknowns.

    Every node's value is an affine function of the torn values ``x``:
    ``h = h0 + H x`` (``H`` is ``n × n_tears``, dense: there are few tears).
    The torn nodes' own equations then give the small system ``S x = b``.

    Returns
    -------
    h0, H : the affine representation; S, b : the torn system.
    """
    n = diag.size
    h0 = np.zeros(n)
    H = np.zeros((n, n_tears))
    tear_of = np.full(n, -1, np.int64)
    for t in range(n_tears):
        tear_of[tears[t]] = t
    for i in order:
        t = tear_of[i]
        if t >= 0:
            H[i, t] = 1.0
            continue
        acc = rhs[i]
        for k in range(in_ptr[i], in_ptr[i + 1]):
            j = in_src[k]
            c = in_coef[k]
            acc += c * h0[j]
            for s in range(n_tears):
                H[i, s] += c * H[j, s]
        inv = 1.0 / diag[i]
        h0[i] = acc * inv
        for s in range(n_tears):
            H[i, s] *= inv
    S = np.zeros((n_tears, n_tears))
    b = np.zeros(n_tears)
    for t in range(n_tears):
        i = tears[t]
        S[t, t] = diag[i]
        b[t] = rhs[i]
        for k in range(in_ptr[i], in_ptr[i + 1]):
            j = in_src[k]
            c = in_coef[k]
            b[t] += c * h0[j]
            for s in range(n_tears):
                S[t, s] -= c * H[j, s]
    return h0, H, S, b


@_jit
def torn_values(h0, H, S, b):
    """``h = h0 + H x`` with ``S x = b``, :func:`forward_substitution`'s torn system
    (:func:`._dense_kernels.dense_solve`), in place of ``numpy.linalg.solve`` and an
    ``einsum``, which cost some 70 µs an outer iteration on a system of three torn nodes.

    Returns
    -------
    h : numpy.ndarray
        The enthalpies.
    ok : bool
        False where the torn system is singular (``h`` is then ``h0``).
    """
    x, ok = dense_solve(S, b)
    h = h0.copy()
    if not ok:
        return h, False
    n = b.size
    for i in range(h.size):
        acc = 0.0
        for t in range(n):
            acc += H[i, t] * x[t]
        h[i] += acc
    return h, True


@_jit
def thermal_entries(n, m, up, dn, partner, q0, q1, q2, ext_in, h_ext, rel_flow):
    """Equations of the flowing nodes of the enthalpy system (solvers/thermal.py).

    ``M_n h_n − Σ coef h_src = rhs_n`` with one entry per edge flowing into a
    flowing node (its upstream node, coefficient ``|ṁ| + q1``) and one per
    coupled edge (its partner's inlet, coefficient ``q2``). A node flows when
    its inflow ``M_n`` exceeds ``rel_flow`` times the largest flow.

    Returns ``flowing, diag, rhs, dst, src, coef``.
    """
    E = m.size
    M = ext_in.copy()
    scale = 0.0
    for j in range(E):
        a = abs(m[j])
        M[dn[j]] += a
        if a > scale:
            scale = a
    for i in range(n):
        if ext_in[i] > scale:
            scale = ext_in[i]
    thr = rel_flow * (scale if scale > 1e-300 else 1e-300)
    flowing = M > thr
    rhs = np.zeros(n)
    for i in range(n):
        if ext_in[i] != 0.0:
            rhs[i] = ext_in[i] * h_ext[i]
    K = 0
    for j in range(E):
        if flowing[dn[j]] and m[j] != 0.0:
            K += 1 if partner[j] < 0 else 2
    dst = np.empty(K, np.int64)
    src = np.empty(K, np.int64)
    coef = np.empty(K)
    k = 0
    for j in range(E):
        t = dn[j]
        if flowing[t] and m[j] != 0.0:
            rhs[t] += q0[j]
            dst[k] = t
            src[k] = up[j]
            coef[k] = abs(m[j]) + q1[j]
            k += 1
            if partner[j] >= 0:
                dst[k] = t
                src[k] = up[partner[j]]
                coef[k] = q2[j]
                k += 1
    diag = np.where(flowing, M, 0.0)
    return flowing, diag, rhs, dst, src, coef


@_jit
def nonzero_entries(dst, src, coef, flowing):
    """The entries whose coefficient is not zero (``coef != 0``, NaN kept), as new
    arrays ``dst, src, coef``, and whether every one of their sources flows
    (``flowing[src]``): the filter and the check that begin the flow-order solve
    (solvers/thermal.py), one pass instead of five NumPy expressions."""
    n = 0
    for k in range(coef.size):
        if coef[k] != 0.0:
            n += 1
    d = np.empty(n, np.int64)
    s = np.empty(n, np.int64)
    c = np.empty(n)
    ok = True
    n = 0
    for k in range(coef.size):
        if coef[k] != 0.0:
            d[n] = dst[k]
            s[n] = src[k]
            c[n] = coef[k]
            n += 1
            if not flowing[src[k]]:
                ok = False
    return d, s, c, ok


@_jit
def solve_in_order(order, tears, n_tears, in_ptr, in_src, in_perm, coef, diag, rhs, dst,
                   src, flowing, rel_residual):
    """The enthalpies in flow order (:func:`flow_order`'s arrays): :func:`forward_substitution`
    of ``coef[in_perm]``, :func:`torn_values` where nodes are torn and the
    :func:`thermal_residual` of the result, in one call (the same kernels in the same
    order).

    Returns
    -------
    h : numpy.ndarray
        The enthalpies.
    ok : bool
        False where the torn system is singular or the largest residual exceeds
        ``rel_residual`` times its scale (at least 1e-300).
    """
    in_coef = np.empty(in_perm.size)
    for k in range(in_perm.size):
        in_coef[k] = coef[in_perm[k]]
    h0, H, S, b = forward_substitution(order, tears, n_tears, in_ptr, in_src, in_coef,
                                       diag, rhs)
    h = h0
    if n_tears:
        h, regular = torn_values(h0, H, S, b)
        if not regular:
            return h, False
    worst, scale = thermal_residual(h, diag, rhs, dst, src, coef, flowing)
    # (Python's max(scale, 1e-300): a NaN scale stays NaN, and the test fails)
    if 1e-300 > scale:
        scale = 1e-300
    return h, worst <= rel_residual * scale


@_jit
def solve_in_kept_order(n, m, up, dn, partner, q0, q1, q2, ext_in, h_ext, rel_flow, pumps,
                        kept_dst, kept_src, kept_preferred, kept_flowing, order, tears,
                        n_tears, in_ptr, in_src, in_perm, rel_residual):
    """The heat transport's common case in one call (solvers/thermal.py, ``solve_thermal``
    with a kept flow order): :func:`thermal_entries`, :func:`nonzero_entries`, the
    preferred tears (the downstream nodes of the driving edges ``pumps`` that carry
    flow), :func:`same_pattern` against the order kept (``kept_*``, and its arrays
    ``order`` … ``in_perm`` from :func:`flow_order`), :func:`solve_in_order` and
    :func:`edge_heat`: the same kernels in the same order as the general path.

    Returns
    -------
    ok : bool
        False (and empty arrays) where the general path must solve: a node is
        stagnant, a source does not flow, the pattern is not the kept one, the kept
        order has too many tears, or :func:`solve_in_order` refuses the result.
    h, Q, h_out : numpy.ndarray
        The node enthalpies, the heat and the outlet enthalpy of every edge.
    """
    none = np.empty(0)
    flowing, diag, rhs, dst, src, coef = thermal_entries(n, m, up, dn, partner, q0, q1, q2,
                                                         ext_in, h_ext, rel_flow)
    for i in range(n):
        if not flowing[i]:
            return False, none, none, none
    d, s, c, sources_flow = nonzero_entries(dst, src, coef, flowing)
    if not sources_flow or n_tears < 0:
        return False, none, none, none
    k = 0
    for j in range(pumps.size):
        if m[pumps[j]] != 0:
            k += 1
    preferred = np.empty(k, np.int64)
    k = 0
    for j in range(pumps.size):
        if m[pumps[j]] != 0:
            preferred[k] = dn[pumps[j]]
            k += 1
    if not same_pattern(kept_dst, kept_src, kept_preferred, kept_flowing, d, s, preferred,
                        flowing):
        return False, none, none, none
    h, ok = solve_in_order(order, tears, n_tears, in_ptr, in_src, in_perm, c, diag, rhs, d,
                           s, flowing, rel_residual)
    if not ok:
        return False, none, none, none
    Q, h_out = edge_heat(h, m, up, partner, q0, q1, q2)
    return True, h, Q, h_out


@_jit
def external_inflow(n, indptr, indices, data, m, fixed_nodes, is_tank, flow_nodes, qn, h_bc):
    """External inflow at boundary nodes and its enthalpy (solvers/coupled.py), in one
    call: ``supply = −A m`` (``A`` the node–edge incidence in CSC), at flow boundaries
    their inflow ``qn > 0``, at pressure boundaries (``fixed_nodes`` but tanks)
    ``max(supply − qn, 0)`` (NaN kept, as NumPy's ``maximum``), and ``h_bc`` where the
    inflow is positive (0 elsewhere). ``qn``: the flow boundaries' net inflow at every
    node (empty: none). Returns ``ext_in, h_ext, supply``; the arithmetic of the
    NumPy expressions it replaces (an element given twice is written once)."""
    supply = -csc_matvec(n, indptr, indices, data, m)
    ext_in = np.zeros(n)
    for k in range(flow_nodes.size):
        i = flow_nodes[k]
        if qn[i] > 0:
            ext_in[i] = 0.0 + qn[i]
    add = np.empty(fixed_nodes.size)
    for k in range(fixed_nodes.size):
        if not is_tank[k]:
            i = fixed_nodes[k]
            sup = supply[i] - qn[i] if qn.size else supply[i] - 0.0
            add[k] = ext_in[i] + (sup if (sup >= 0.0 or sup != sup) else 0.0)
    for k in range(fixed_nodes.size):
        if not is_tank[k]:
            ext_in[fixed_nodes[k]] = add[k]
    h_ext = np.empty(n)
    for i in range(n):
        h_ext[i] = h_bc[i] if ext_in[i] > 0 else 0.0
    return ext_in, h_ext, supply


@_jit
def inlet_states(m, idx, start, end, T, h):
    """Temperature and enthalpy at the inlet of each edge ``idx[k]`` (its ``start``
    where ``m ≥ 0``, else its ``end``; ``start``, ``end`` aligned with ``idx``):
    ``up = np.where(m[idx] >= 0, start, end)``, ``T[up]``, ``h[up]`` in one call."""
    n = idx.size
    T_in = np.empty(n)
    h_in = np.empty(n)
    for k in range(n):
        u = start[k] if m[idx[k]] >= 0 else end[k]
        T_in[k] = T[u]
        h_in[k] = h[u]
    return T_in, h_in


@_jit
def hold_where(x, x_held, idx, hold):
    """``x[idx] = np.where(hold, x_held[idx], nan)`` (``idx`` without repeats), in place."""
    for k in range(idx.size):
        i = idx[k]
        x[i] = x_held[i] if hold[k] else np.nan


@_jit
def thermal_residual(h, diag, rhs, dst, src, coef, flowing):
    """``max |diag h − Σ coef h_src − rhs|`` over flowing nodes, and the scale
    ``max(|rhs|, |diag h|)`` it is judged against."""
    n = h.size
    r = diag * h - rhs
    for k in range(dst.size):
        r[dst[k]] -= coef[k] * h[src[k]]
    worst = 0.0
    scale = 0.0
    for i in range(n):
        if flowing[i]:
            if abs(r[i]) > worst:
                worst = abs(r[i])
        if abs(rhs[i]) > scale:
            scale = abs(rhs[i])
        if abs(diag[i] * h[i]) > scale:
            scale = abs(diag[i] * h[i])
    return worst, scale


@_jit
def edge_heat(h, m, up, partner, q0, q1, q2):
    """Heat into the fluid of every edge ``Q = q0 + q1 h_up + q2 h_up(partner)``
    and its outlet enthalpy ``h_up + Q/|ṁ|`` (``h_up`` without flow)."""
    E = m.size
    Q = np.empty(E)
    h_out = np.empty(E)
    for j in range(E):
        hu = h[up[j]]
        q = q0[j] + q1[j] * hu
        if partner[j] >= 0:
            q += q2[j] * h[up[partner[j]]]
        Q[j] = q
        a = abs(m[j])
        h_out[j] = hu + q / a if a > 0.0 else hu
    return Q, h_out
