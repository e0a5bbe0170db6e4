"""Compiled kernels (numba) of the solver's hot loops.

Each kernel here is the only implementation of what it computes: the public
correlation functions and the network solvers both call it. Kernels take plain
SI float and integer arrays, never pint quantities, and do no argument checks
(callers validate at the edge and at network assembly).

The module imports numba, so it is imported lazily by its callers: ``import
narvik_thermal`` stays cheap, and the first call in a process loads the
kernels from numba's on-disk cache (compiling them once per installation).

Kernels
-------
- :func:`churchill` — Churchill (1977) friction factor and ``df/dRe`` of one
  Reynolds number; :func:`churchill_array` over arrays.
- :func:`power_law` — rated-point pressure drop ``Δp_r sign(V) |V/V_r|^n``
  (cold plates, exchanger passages); :func:`power_law_losses` over a
  network's edges.
- :func:`darcy_losses` — Darcy–Weisbach loss and its flow derivative of every
  pipe edge, one pass (the solver evaluates it about a dozen times per solve).
- :func:`gather_sum` — values of a kept sparsity pattern from its assembly map.
- :func:`flow_order` and :func:`forward_substitution` — the heat-transport
  system in flow order with a few torn nodes (see
  :mod:`narvik_thermal.solvers.thermal`).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["churchill", "churchill_array", "darcy_losses", "gather_sum", "flow_order",
           "forward_substitution"]

# error_model="numpy": float division by zero gives inf/nan as in NumPy
# instead of raising (the callers guard their own domains)
_jit = nb.njit(cache=True, nogil=True, error_model="numpy")
# loops whose iterations are independent run on all cores (prange)
_pjit = nb.njit(cache=True, nogil=True, error_model="numpy", parallel=True)

_LN7_09 = 0.9 * math.log(7.0)


@_jit
def churchill(Re, eD):
    """Churchill (1977) Darcy friction factor and ``df/dRe`` at ``Re > 0``.

    Integer powers by repeated squaring, one exp/log pair per fractional
    power. ``f = 8 S^(1/12)``, ``S = (8/Re)^12 + (A + B)^-1.5``,
    ``A = (2.457 ln(1/w))^16``, ``w = (7/Re)^0.9 + 0.27 eD``,
    ``B = (37530/Re)^16``. For ``Re`` below ~1e-15, ``B`` overflows to inf,
    which the formulas below tolerate (``(A + B)^-1.5 → 0``).
    """
    inv = 1.0 / Re
    u = math.exp(_LN7_09 - 0.9 * math.log(Re))     # (7/Re)^0.9
    w = u + 0.27 * eD
    x = -2.457 * math.log(w)                         # 2.457 ln(1/w)
    x2 = x * x
    x4 = x2 * x2
    x8 = x4 * x4
    a15 = x8 * x4 * x2 * x
    A = a15 * x
    b = 37530.0 * inv
    b *= b
    b *= b
    b *= b
    B = b * b
    AB = A + B
    t = 1.0 / (AB * math.sqrt(AB))                   # (A+B)^-1.5
    r = 8.0 * inv
    r3 = r * r * r
    r6 = r3 * r3
    r12 = r6 * r6
    if B <= 1e-17 * A and r12 <= 1e-17 * t:
        # fully turbulent: S = A^-1.5 to round-off, so f = 8 A^(-1/8) = 8/x² and
        # df/dRe = -(f/8) A'/A = -1.8 f u/(Re w ln(1/w)), without the last exp/log
        f = 8.0 / x2
        return f, -1.8 * 2.457 * f * u * inv / (w * x)
    S = r12 + t
    f = 8.0 * math.exp(math.log(S) * (1.0 / 12.0))
    # A' = 16 A/L dL/dRe with dL/dRe = 0.9 u/(Re w); A/L = 2.457 (2.457 L)^15
    # avoids 0/0 where L = 0. B' = -16 B/Re. q = (A' + B')/(A + B), written so
    # that B = inf is safe.
    dA = (16.0 * 2.457 * 0.9) * a15 * (u * inv / w)
    frac_B = 1.0 / (1.0 + A / B)
    q = dA / AB - 16.0 * inv * frac_B
    dS = -12.0 * r12 * inv - 1.5 * t * q
    return f, f / (12.0 * S) * dS


@_jit
def churchill_array(Re, eD):
    """:func:`churchill` over 1-D float arrays of equal length: ``(f, df/dRe)``."""
    n = Re.size
    f = np.empty(n)
    d = np.empty(n)
    for i in range(n):
        f[i], d[i] = churchill(Re[i], eD[i])
    return f, d


@_pjit
def darcy_losses(m, idx, inv_n, re_coef, eD, c, kq, r, d):
    """Darcy–Weisbach loss ``r`` [Pa] and ``dr/dṁ`` of pipe edges ``idx``, in place.

    Per unit of an edge of ``count`` parallel units, ``ṁ_u = ṁ inv_n``,
    ``Re = re_coef |ṁ_u|`` (floored at 1e-6), and
    ``r = (c f Re + kq |ṁ_u|) ṁ_u`` (friction written as ``c (f Re) ṁ`` so
    that it is regular at zero flow, plus minor losses ``kq ṁ|ṁ|``).
    """
    for k in nb.prange(idx.size):
        e = idx[k]
        mu_u = m[e] * inv_n[k]
        a = abs(mu_u)
        Re = max(re_coef[k] * a, 1e-6)
        f, dfdRe = churchill(Re, eD[k])
        fRe = f * Re
        r[e] = (c[k] * fRe + kq[k] * a) * mu_u
        d[e] = (c[k] * (2.0 * fRe + Re * Re * dfdRe) + 2.0 * kq[k] * a) * inv_n[k]


@_jit
def power_law(V, dp_rated, V_rated, n):
    """Rated-point pressure drop ``Δp_r sign(V) |V/V_r|^n`` and ``dΔp/dV``."""
    s = abs(V) / V_rated
    sn1 = s if n == 2.0 else s ** (n - 1.0)
    dp = dp_rated * s * sn1
    if V < 0.0:
        dp = -dp
    elif V == 0.0:
        dp = 0.0
    return dp, n * dp_rated / V_rated * sn1


@_jit
def power_law_array(V, dp_rated, V_rated, n):
    """:func:`power_law` over 1-D float arrays of equal length: ``(Δp, dΔp/dV)``."""
    dp = np.empty(V.size)
    d = np.empty(V.size)
    for i in range(V.size):
        dp[i], d[i] = power_law(V[i], dp_rated[i], V_rated[i], n[i])
    return dp, d


@_jit
def power_law_losses(m, idx, inv, dp_rated, V_rated, n, r, d):
    """Rated-point loss ``r`` [Pa] and ``dr/dṁ`` of edges ``idx``, in place, with
    ``V = ṁ inv`` (``inv = 1/(count ρ)``). Serial: the pass is bound by memory,
    and threads cost more than they save (0.8 ms against 1.7 ms for 100,000
    cold plates on 2 cores)."""
    for k in range(idx.size):
        e = idx[k]
        dp, dd = power_law(m[e] * inv[k], dp_rated[k], V_rated[k], n[k])
        r[e] = dp
        d[e] = dd * inv[k]


@_jit
def gather_sum(out, ptr, index, sign, values):
    """Sparse-matrix values from a kept assembly map, in place:
    ``out[t] = Σ sign[j] values[index[j]]`` over ``j`` in ``ptr[t]:ptr[t+1]``
    (sequential writes)."""
    for t in range(out.size):
        acc = 0.0
        for j in range(ptr[t], ptr[t + 1]):
            acc += sign[j] * values[index[j]]
        out[t] = acc
    return out


@_jit
def reorder_terms(source, ptr, index, sign):
    """The assembly map (see :func:`gather_sum`) of the entries ``source``, in
    that order: ``(ptr, index, sign)`` with entry ``q`` made of the terms of
    entry ``source[q]`` of the given map."""
    n = source.size
    ptr2 = np.empty(n + 1, np.int64)
    ptr2[0] = 0
    for q in range(n):
        t = source[q]
        ptr2[q + 1] = ptr2[q] + ptr[t + 1] - ptr[t]
    index2 = np.empty(ptr2[n], np.int64)
    sign2 = np.empty(ptr2[n])
    for q in range(n):
        t = source[q]
        k = ptr2[q]
        for j in range(ptr[t], ptr[t + 1]):
            index2[k] = index[j]
            sign2[k] = sign[j]
            k += 1
    return ptr2, index2, sign2


@_jit
def darcy_constants(idx, count, diameter, length, roughness, minor_loss, rho, mu):
    """Flow-independent factors of the Darcy law of pipe edges ``idx`` for given
    properties (see :func:`darcy_losses`): ``inv_n, re_coef, eD, c, kq``."""
    n = idx.size
    inv_n = np.empty(n)
    re_coef = np.empty(n)
    eD = np.empty(n)
    c = np.empty(n)
    kq = np.empty(n)
    for k in range(n):
        e = idx[k]
        D = diameter[k]
        A = 0.25 * np.pi * D * D
        inv_n[k] = 1.0 / count[e]
        re_coef[k] = 4.0 / (np.pi * D * mu[e])
        eD[k] = roughness[k] / D
        # friction (L/D) f ṁ|ṁ| / (2ρA²) written as c·(f Re)·ṁ, regular at ṁ → 0
        c[k] = (length[k] / D) * (np.pi * D * mu[e] / 4.0) / (2.0 * rho[e] * A * A)
        kq[k] = minor_loss[k] / (2.0 * rho[e] * A * A)
    return inv_n, re_coef, eD, c, kq


@_jit
def _csr(n, key, other):
    """Entries grouped by ``key`` (counting sort): ``ptr``, ``other`` in key
    order, and the permutation ``perm`` (position → entry)."""
    ptr = np.zeros(n + 1, np.int64)
    for j in range(key.size):
        ptr[key[j] + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    o = np.empty(key.size, np.int64)
    perm = np.empty(key.size, np.int64)
    for j in range(key.size):
        p = fill[key[j]]
        o[p] = other[j]
        perm[p] = j
        fill[key[j]] = p + 1
    return ptr, o, perm


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
    in_ptr, in_src, in_perm = _csr(n, dst, src)
    out_ptr, out_dst, _ = _csr(n, src, dst)
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
def group_min(values, groups, n):
    """Smallest value of each group ``0..n-1`` (+inf for an empty group)."""
    out = np.full(n, np.inf)
    for j in range(values.size):
        g = groups[j]
        if values[j] < out[g]:
            out[g] = values[j]
    return out


@_jit
def group_max(values, groups, n):
    """Largest value of each group ``0..n-1`` (-inf for an empty group)."""
    out = np.full(n, -np.inf)
    for j in range(values.size):
        g = groups[j]
        if values[j] > out[g]:
            out[g] = values[j]
    return out


@_jit
def _cell(x, x0, inv_dx, n):
    """Cell ``i`` and weight ``w`` of ``x`` on a uniform grid of ``n`` points from ``x0``,
    clamped to the grid (NaN gives cell 0 and weight NaN)."""
    s = (x - x0) * inv_dx
    if s != s:
        return 0, s
    if s < 0.0:
        s = 0.0
    elif s > n - 1.0:
        s = n - 1.0
    i = int(s)
    if i > n - 2:
        i = n - 2
    return i, s - i


@_jit
def table_cells(x, x0, inv_dx, n):
    """:func:`_cell` of every element of 1-D ``x``: arrays ``i`` and ``w``."""
    ii = np.empty(x.size, np.intp)
    ww = np.empty(x.size)
    for j in range(x.size):
        ii[j], ww[j] = _cell(x[j], x0, inv_dx, n)
    return ii, ww


@_pjit
def table_lookup(x, x0, inv_dx, n, tabs, dtabs, rows):
    """Linear interpolation of the table rows ``rows`` of ``tabs`` at every ``x``.

    ``out[r, j] = tabs[rows[r], i] + w dtabs[rows[r], i]`` with ``(i, w)`` the
    cell of ``x[j]`` (:func:`_cell`); ``dtabs`` holds the forward differences.
    """
    out = np.empty((rows.size, x.size))
    for j in nb.prange(x.size):
        i, w = _cell(x[j], x0, inv_dx, n)
        for r in range(rows.size):
            out[r, j] = tabs[rows[r], i] + w * dtabs[rows[r], i]
    return out


@_pjit
def table_inverse(h, h_lo, h_hi, inv_bucket, guide, htab, inv_dh, t0, dt, t_max, n):
    """Inverse of the piecewise-linear enthalpy table: ``T(h)``, clamped to the table.

    The bucket of ``h`` in the guide table (buckets no wider than the narrowest
    cell) gives its cell in O(1); within the cell the table is linear, so the
    inverse is exact.
    """
    out = np.empty(h.size)
    n_buckets = guide.size
    for j in nb.prange(h.size):
        x = h[j]
        if x != x:
            out[j] = x
            continue
        if x < h_lo:
            x = h_lo
        elif x > h_hi:
            x = h_hi
        b = int((x - h_lo) * inv_bucket)
        if b > n_buckets - 1:
            b = n_buckets - 1
        i = guide[b]
        if x >= htab[i + 1]:
            i += 1
        if i > n - 2:
            i = n - 2
        T = (t0 + i * dt) + (x - htab[i]) * inv_dh[i]
        out[j] = T if T < t_max else t_max
    return out


# ---------------------------------------------------------------- hydraulics
# Free edges k = 0..F-1 are edges free[k] from node s[k] to node e[k]; node
# vectors have all N nodes. These fuse the vector work of one Newton step of
# the global gradient algorithm (solvers/hydraulic.py) into single passes.

@_jit
def gga_conductance(d, free, floor):
    """Edge conductances ``w = 1 / max(d[free], floor)`` of the nodal matrix."""
    w = np.empty(free.size)
    for k in range(free.size):
        x = d[free[k]]
        w[k] = 1.0 / (x if x > floor else floor)
    return w


@_jit
def gga_rhs(m, r, free, s, e, w, b, p, inj):
    """Right-hand side over all nodes: ``inj + Σ ±(ṁ + w (b − r − (p_e − p_s)))``
    (+ at an edge's end, − at its start)."""
    out = inj.copy()
    for k in range(free.size):
        q = m[free[k]] + w[k] * (b[k] - r[free[k]] - (p[e[k]] - p[s[k]]))
        out[e[k]] += q
        out[s[k]] -= q
    return out


@_jit
def gga_flows(m, r, free, s, e, w, b, p, inj):
    """New flows ``ṁ' = ṁ + w (b − r − (p_e − p_s))`` on the free edges (a copy
    of ``m`` elsewhere) and the mass residual ``inj + Σ ±ṁ'`` of every node."""
    m_new = m.copy()
    res = inj.copy()
    for k in range(free.size):
        j = free[k]
        q = m[j] + w[k] * (b[k] - r[j] - (p[e[k]] - p[s[k]]))
        m_new[j] = q
        res[e[k]] += q
        res[s[k]] -= q
    return m_new, res


@_jit
def gga_polish(m_new, free, s, e, w, delta):
    """Mass-balance polishing in place: ``ṁ' += w (δ_e − δ_s)``."""
    for k in range(free.size):
        m_new[free[k]] += w[k] * (delta[e[k]] - delta[s[k]])


@_jit
def gga_residual(p, r, free, s, e, b, dm):
    """Edge residuals ``F = p_s − p_e + b − r`` of the free edges, ``max |F|``, and
    the line-search slope ``−Δṁ·F`` for the direction ``dm`` (free edges)."""
    F = np.empty(free.size)
    fmax = 0.0
    g = 0.0
    for k in range(free.size):
        f = p[s[k]] - p[e[k]] + b[k] - r[free[k]]
        F[k] = f
        a = abs(f)
        if a > fmax:
            fmax = a
        g -= dm[k] * f
    return F, fmax, g


@_jit
def gga_slope_shift(dm, r_old, r_new, free):
    """``Δṁ·(r_new − r_old)`` on the free edges: the line-search slope at the
    old losses is the slope at the new ones minus this (same pressures)."""
    acc = 0.0
    for k in range(free.size):
        acc += dm[k] * (r_new[free[k]] - r_old[free[k]])
    return acc


@_jit
def gga_step(m_new, m, free):
    """Flow change on the free edges ``Δṁ`` and its largest magnitude."""
    dm = np.empty(free.size)
    dmax = 0.0
    for k in range(free.size):
        dm[k] = m_new[free[k]] - m[free[k]]
        if abs(dm[k]) > dmax:
            dmax = abs(dm[k])
    return dm, dmax


# ------------------------------------------------------------ heat transport
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


# --------------------------------------------------------------------------
# Sparse LDLᵀ of the SPD nodal matrix: minimum-degree ordering by explicit
# elimination, elimination tree, up-looking numeric factorisation (QDLDL's
# algorithm) and the triangular solves.
# --------------------------------------------------------------------------


@_jit
def minimum_degree(n, indptr, indices, max_work):
    """Minimum-degree elimination order of a symmetric sparsity pattern.

    ``indptr, indices``: a CSC (or CSR) pattern of the upper, lower or full
    matrix; the diagonal and duplicate entries are ignored. The elimination
    graph is kept explicitly: eliminating ``v`` joins its neighbours pairwise
    (their fill) and removes ``v``; the next pivot is a node of least current
    degree (degree buckets, last in first out). Nodes of degree ≤ 2 — tree
    branches and series pipes — are therefore eliminated first and without
    fill beyond the edge that replaces them, so series–parallel networks order
    in linear time with the least fill [George and Liu 1989, ch. 5].

    Returns ``(order, work)``: ``order[k]`` is the node eliminated ``k``-th,
    ``work`` the number of adjacency entries visited. When ``work`` would
    exceed ``max_work`` (dense fill, e.g. large meshes) the elimination stops
    and ``order[0] = -1`` is returned, so the caller can use another ordering.
    """
    # symmetric adjacency without diagonal (duplicates removed below)
    deg = np.zeros(n, np.int64)
    for j in range(n):
        for p in range(indptr[j], indptr[j + 1]):
            i = indices[p]
            if i != j:
                deg[i] += 1
                deg[j] += 1
    ptr = np.zeros(n, np.int64)
    cap = np.empty(n, np.int64)
    top = 0
    for v in range(n):
        ptr[v] = top
        cap[v] = deg[v] + 4
        top += cap[v]
    pool = np.empty(2 * top + 16, np.int64)
    fill = np.zeros(n, np.int64)
    for j in range(n):
        for p in range(indptr[j], indptr[j + 1]):
            i = indices[p]
            if i != j:
                pool[ptr[i] + fill[i]] = j
                fill[i] += 1
                pool[ptr[j] + fill[j]] = i
                fill[j] += 1
    # remove duplicate neighbours
    mark = np.full(n, -1, np.int64)
    for v in range(n):
        k = 0
        for p in range(ptr[v], ptr[v] + fill[v]):
            x = pool[p]
            if mark[x] != v:
                mark[x] = v
                pool[ptr[v] + k] = x
                k += 1
        deg[v] = k
    # degree buckets: doubly linked lists
    head = np.full(n + 1, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    prv = np.full(n, -1, np.int64)
    for v in range(n - 1, -1, -1):
        d = deg[v]
        nxt[v] = head[d]
        if head[d] >= 0:
            prv[head[d]] = v
        head[d] = v
    order = np.empty(n, np.int64)
    buf = np.empty(n, np.int64)
    mark[:] = -1
    stamp = 0
    dmin = 0
    work = 0
    for k in range(n):
        while head[dmin] < 0:
            dmin += 1
        v = head[dmin]
        # unlink v
        head[dmin] = nxt[v]
        if nxt[v] >= 0:
            prv[nxt[v]] = -1
        order[k] = v
        dv = deg[v]
        for t in range(dv):
            buf[t] = pool[ptr[v] + t]
        work += dv
        for t in range(dv):
            a = buf[t]
            # unlink a from its bucket
            if prv[a] >= 0:
                nxt[prv[a]] = nxt[a]
            else:
                head[deg[a]] = nxt[a]
            if nxt[a] >= 0:
                prv[nxt[a]] = prv[a]
            stamp += 1
            pa = ptr[a]
            da = deg[a]
            j = 0
            while j < da:
                x = pool[pa + j]
                if x == v:
                    pool[pa + j] = pool[pa + da - 1]
                    da -= 1
                else:
                    mark[x] = stamp
                    j += 1
            mark[a] = stamp
            work += da + dv
            if work > max_work:
                order[0] = -1
                return order, work
            for u in range(dv):
                b = buf[u]
                if mark[b] != stamp:
                    if da == cap[a]:
                        # move the list to the end of the pool with room to grow
                        newcap = 2 * cap[a] + dv
                        if top + newcap > pool.size:
                            bigger = np.empty(max(2 * pool.size, top + newcap), np.int64)
                            bigger[:top] = pool[:top]
                            pool = bigger
                        for q in range(da):
                            pool[top + q] = pool[pa + q]
                        pa = top
                        ptr[a] = top
                        cap[a] = newcap
                        top += newcap
                    pool[pa + da] = b
                    da += 1
            deg[a] = da
            # link a into bucket da
            prv[a] = -1
            nxt[a] = head[da]
            if head[da] >= 0:
                prv[head[da]] = a
            head[da] = a
            if da < dmin:
                dmin = da
    return order, work


@_jit
def permute_upper(n, indptr, indices, inverse):
    """Upper-triangle CSC pattern of ``P A Pᵀ`` from the upper-triangle CSC
    pattern of ``A`` (``inverse[i]``: new index of row/column ``i``).

    Returns ``(Pp, Pi, source)``; entry ``q`` of the result is entry
    ``source[q]`` of ``A``.
    """
    nnz = indptr[n]
    col = np.empty(nnz, np.int64)
    row = np.empty(nnz, np.int64)
    for j in range(n):
        for p in range(indptr[j], indptr[j + 1]):
            a = inverse[indices[p]]
            b = inverse[j]
            col[p] = max(a, b)
            row[p] = min(a, b)
    return _csr(n, col, row)


@_jit
def ldl_etree(n, Ap, Ai):
    """Elimination tree and column counts of ``L`` from the upper-triangle CSC
    pattern (QDLDL_etree [Stellato et al. 2020; Liu 1990]).

    Returns ``(parent, Lnz)``; ``parent[i] = -1`` at roots. Entries below the
    diagonal are not allowed (``Lnz[0] = -1`` is returned if any is found).
    """
    work = np.zeros(n, np.int64)
    Lnz = np.zeros(n, np.int64)
    parent = np.full(n, -1, np.int64)
    for j in range(n):
        work[j] = j
        for p in range(Ap[j], Ap[j + 1]):
            i = Ai[p]
            if i > j:
                Lnz[0] = -1
                return parent, Lnz
            while work[i] != j:
                if parent[i] == -1:
                    parent[i] = j
                Lnz[i] += 1
                work[i] = j
                i = parent[i]
    return parent, Lnz


@_jit
def ldl_factor(n, Ap, Ai, Ax, Lp, Li, Lx, D, parent):
    """Numeric ``A = L D Lᵀ`` of an upper-triangle CSC matrix, in place (the
    up-looking algorithm of QDLDL_factor [Stellato et al. 2020]).

    ``Lp`` comes from the column counts of :func:`ldl_etree`; ``Li, Lx, D``
    are filled. Returns the number of positive pivots (``n`` for an SPD
    matrix); a zero or non-finite pivot ends the factorisation early and the
    count returned is then below ``n``.
    """
    marker = np.zeros(n, np.bool_)
    y = np.zeros(n)
    yidx = np.empty(n, np.int64)
    ebuf = np.empty(n, np.int64)
    nxt = Lp[:n].copy()
    positive = 0
    for k in range(n):
        D[k] = 0.0
        nnzY = 0
        for p in range(Ap[k], Ap[k + 1]):
            b = Ai[p]
            if b == k:
                D[k] += Ax[p]
                continue
            y[b] += Ax[p]
            if not marker[b]:
                marker[b] = True
                ebuf[0] = b
                nE = 1
                c = parent[b]
                while c != -1 and c < k:
                    if marker[c]:
                        break
                    marker[c] = True
                    ebuf[nE] = c
                    nE += 1
                    c = parent[c]
                while nE > 0:
                    nE -= 1
                    yidx[nnzY] = ebuf[nE]
                    nnzY += 1
        for t in range(nnzY - 1, -1, -1):
            c = yidx[t]
            yc = y[c]
            end = nxt[c]
            for j in range(Lp[c], end):
                y[Li[j]] -= Lx[j] * yc
            Li[end] = k
            lkc = yc / D[c]
            Lx[end] = lkc
            D[k] -= yc * lkc
            nxt[c] = end + 1
            y[c] = 0.0
            marker[c] = False
        if not (D[k] > 0.0) or not math.isfinite(D[k]):
            return positive
        positive += 1
    return positive


@_jit
def ldl_solve(n, Lp, Li, Lx, D, order, b):
    """``x = A⁻¹ b`` from the factors of ``P A Pᵀ = L D Lᵀ`` (``order[k]``: the
    original index of pivot ``k``)."""
    x = np.empty(n)
    for k in range(n):
        x[k] = b[order[k]]
    for i in range(n):
        v = x[i]
        for j in range(Lp[i], Lp[i + 1]):
            x[Li[j]] -= Lx[j] * v
    for i in range(n):
        x[i] /= D[i]
    for i in range(n - 1, -1, -1):
        v = x[i]
        for j in range(Lp[i], Lp[i + 1]):
            v -= Lx[j] * x[Li[j]]
        x[i] = v
    out = np.empty(n)
    for k in range(n):
        out[order[k]] = x[k]
    return out
