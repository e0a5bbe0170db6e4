"""Compiled kernels of the global-gradient Newton step (:mod:`.hydraulic`), numba.
Imported lazily (they load numba).

The loops over the free edges read their node and edge indices as unsigned
(``np.uint64``; they are never negative), as :func:`._ldl_kernels.ldl_solve` does: a
signed index makes every access test for Python's negative indexing (0.9 of the
1.6 µs of :func:`gga_rhs`'s loop over the 473 free edges of the 290 MW campus).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import jit as _jit
from ..components._hydraulic_kernels import (keep_constants, kept_constants, law_constants,
                                                law_values_of, same_factors)
from ..correlations._cold_plate_kernels import power_law_inverse
from ._ldl_kernels import ldl_solve

__all__ = ['gga_conductance', 'gga_rhs', 'gga_flows', 'gga_polish', 'gga_residual',
           'gga_slope_shift', 'gga_step', 'nodal_matvec', 'ratio_range', 'dot', 'cg_step',
           'cg_direction', 'residual', 'rated_point_overshoot', 'injections', 'abs_max',
           'gga_start', 'gga_system', 'gga_update', 'gga_polish_step', 'gga_check',
           'pcg_start', 'pcg_ldl', 'positive_median', 'floor_reference', 'gga_begin',
           'gga_advance', 'gga_finish', 'boundary_inflows', 'pcg_plan', 'pcg_ldl_solve']


@_jit
def gga_conductance(d, free, floor):
    """Edge conductances ``w = 1 / max(d[free], floor)`` of the nodal matrix."""
    w = np.empty(free.size)
    for k in range(free.size):
        x = d[np.uint64(free[k])]
        w[k] = 1.0 / (x if x > floor else floor)
    return w


@_jit
def gga_rhs(m, r, free, s, e, w, b, p, inj):
    """Right-hand side over all nodes: ``inj + Σ ±(ṁ + w (b − r − (p_e − p_s)))``
    (+ at an edge's end, − at its start)."""
    out = inj.copy()
    for k in range(free.size):
        j, ek, sk = np.uint64(free[k]), np.uint64(e[k]), np.uint64(s[k])
        q = m[j] + w[k] * (b[k] - r[j] - (p[ek] - p[sk]))
        out[ek] += q
        out[sk] -= q
    return out


@_jit
def gga_flows(m, r, free, s, e, w, b, p, inj):
    """New flows ``ṁ' = ṁ + w (b − r − (p_e − p_s))`` on the free edges (a copy
    of ``m`` elsewhere) and the mass residual ``inj + Σ ±ṁ'`` of every node."""
    m_new = m.copy()
    res = inj.copy()
    for k in range(free.size):
        j, ek, sk = np.uint64(free[k]), np.uint64(e[k]), np.uint64(s[k])
        q = m[j] + w[k] * (b[k] - r[j] - (p[ek] - p[sk]))
        m_new[j] = q
        res[ek] += q
        res[sk] -= q
    return m_new, res


@_jit
def gga_polish(m_new, free, s, e, w, delta):
    """Mass-balance polishing in place: ``ṁ' += w (δ_e − δ_s)``."""
    for k in range(free.size):
        m_new[np.uint64(free[k])] += w[k] * (delta[np.uint64(e[k])] - delta[np.uint64(s[k])])


@_jit
def gga_residual(p, r, free, s, e, b, dm):
    """Edge residuals ``F = p_s − p_e + b − r`` of the free edges, ``max |F|``, and
    the line-search slope ``−Δṁ·F`` for the direction ``dm`` (free edges)."""
    F = np.empty(free.size)
    fmax = 0.0
    g = 0.0
    for k in range(free.size):
        f = p[np.uint64(s[k])] - p[np.uint64(e[k])] + b[k] - r[np.uint64(free[k])]
        F[k] = f
        a = abs(f)
        if a > fmax or a != a:          # a NaN residual is the largest: never converged
            fmax = a
        g -= dm[k] * f
    return F, fmax, g


@_jit
def gga_slope_shift(dm, r_old, r_new, free):
    """``Δṁ·(r_new − r_old)`` on the free edges: the line-search slope at the
    old losses is the slope at the new ones minus this (same pressures)."""
    acc = 0.0
    for k in range(free.size):
        j = np.uint64(free[k])
        acc += dm[k] * (r_new[j] - r_old[j])
    return acc


@_jit
def gga_step(m_new, m, free):
    """Flow change on the free edges ``Δṁ`` and its largest magnitude."""
    dm = np.empty(free.size)
    dmax = 0.0
    for k in range(free.size):
        j = np.uint64(free[k])
        dm[k] = m_new[j] - m[j]
        a = abs(dm[k])
        if a > dmax or a != a:          # NaN propagates (see gga_residual)
            dmax = a
    return dm, dmax


@_jit
def nodal_matvec(us, ue, w, x):
    """``y = A_uᵀ W A_u x``, the nodal matrix times ``x``, straight from the edge
    conductances ``w`` (no assembled matrix): ``us, ue`` are the unknown-node
    indices of each free edge's start and end (-1 for a node of known pressure)."""
    y = np.zeros(x.size)
    for k in range(w.size):
        a = us[k]
        b = ue[k]
        d = (x[np.uint64(a)] if a >= 0 else 0.0) - (x[np.uint64(b)] if b >= 0 else 0.0)
        f = w[k] * d
        if a >= 0:
            y[np.uint64(a)] += f
        if b >= 0:
            y[np.uint64(b)] -= f
    return y


@_jit
def matvec_magnitude(us, ue, w, x):
    """``max_i (|A_uᵀ W A_u| |x|)_i``: the largest sum of magnitudes of the terms of a
    row of the nodal matrix times ``x``, the scale of the round-off of
    :func:`nodal_matvec` (and so of any residual ``b − A x`` computed with it)."""
    y = np.zeros(x.size)
    for k in range(w.size):
        a = us[k]
        b = ue[k]
        f = abs(w[k]) * ((abs(x[a]) if a >= 0 else 0.0) + (abs(x[b]) if b >= 0 else 0.0))
        if a >= 0:
            y[a] += f
        if b >= 0:
            y[b] += f
    big = 0.0
    for i in range(y.size):
        if y[i] > big:
            big = y[i]
    return big


@_jit
def ratio_range(w, w0):
    """Smallest and largest ``w / w0`` (the bounds of the spectrum of the nodal
    matrix of ``w`` preconditioned by that of ``w0``), and whether every ``w`` is
    positive and finite."""
    lo = np.inf
    hi = 0.0
    ok = True
    for k in range(w.size):
        x = w[k]
        if not (x > 0.0 and x < np.inf):
            ok = False
            break
        q = x / w0[k]
        if q < lo:
            lo = q
        if q > hi:
            hi = q
    return lo, hi, ok


@_jit
def dot(a, b):
    """``a · b`` (a plain loop: BLAS threads spin on a busy machine)."""
    acc = 0.0
    for i in range(a.size):
        acc += a[i] * b[i]
    return acc


@_jit
def cg_step(x, r, p, q, alpha):
    """One conjugate-gradient update in place, ``x += α p``, ``r −= α q``; returns
    ``max |r|``."""
    big = 0.0
    for i in range(x.size):
        x[i] += alpha * p[i]
        ri = r[i] - alpha * q[i]
        r[i] = ri
        if abs(ri) > big:
            big = abs(ri)
    return big


@_jit
def cg_direction(p, z, beta):
    """``p ← z + β p`` in place."""
    for i in range(p.size):
        p[i] = z[i] + beta * p[i]


@_jit
def residual(b, y):
    """``b − y`` and its largest magnitude."""
    r = np.empty(b.size)
    big = 0.0
    for i in range(b.size):
        ri = b[i] - y[i]
        r[i] = ri
        if abs(ri) > big:
            big = abs(ri)
    return r, big


@_jit
def rated_point_overshoot(idx, free_pos, start, end, p, b, dp_rated, V_rated, n, inv, limit,
                          m_new, res_node):
    """The overshoot replacement of
    :func:`narvik_thermal.solvers.hydraulic.rated_point_overshoot` over the rated-point
    edges ``idx`` (``free_pos``: each one's position among the free
    edges, −1 if it is not free; ``b`` the free edges' static heads): in place on ``m_new``
    and ``res_node``; returns the number of edges changed. An edge whose loss and
    factors equal those of the last one evaluated
    (:func:`narvik_thermal.components._hydraulic_kernels.same_factors`: identical units
    side by side) takes its law's flow (the inverse reads the loss through ``|Δp|``
    and its sign only: equal losses, zeros of either sign included, give the same
    flow)."""
    sel = np.empty(idx.size, np.int64)
    dms = np.empty(idx.size)
    cnt = 0
    q = -1                  # the last edge whose law's flow was evaluated
    last = m_law = 0.0
    for k in range(idx.size):
        j = free_pos[k]
        if j < 0:
            continue
        e = idx[k]
        loss = b[j] - (p[end[e]] - p[start[e]])
        if not (q >= 0 and loss == last and same_factors(inv[k], inv[q], dp_rated[k], dp_rated[q],
                                                         V_rated[k], V_rated[q], n[k], n[q])):
            m_law = power_law_inverse(loss, dp_rated[k], V_rated[k], n[k]) / inv[k]
            last = loss
            q = k
        mn = m_new[e]
        if mn * m_law > 0.0 and abs(mn) > limit * abs(m_law):
            sel[cnt] = e
            dms[cnt] = m_law - mn
            cnt += 1
    for q in range(cnt):
        m_new[sel[q]] += dms[q]
    for q in range(cnt):
        res_node[end[sel[q]]] += dms[q]
    for q in range(cnt):
        res_node[start[sel[q]]] -= dms[q]
    return cnt


@_jit
def boundary_inflows(flow_nodes, flow_is_mass, flow_value, rho_node, n_nodes):
    """The flow boundaries' inflow at each of ``n_nodes`` nodes [kg/s]: the value of each
    boundary at ``flow_nodes``, a mass flow where ``flow_is_mass`` and else a volume
    flow times the node's density, summed per node in order."""
    q = np.zeros(n_nodes)
    for k in range(flow_nodes.size):
        nd = flow_nodes[k]
        q[nd] += flow_value[k] if flow_is_mass[k] else flow_value[k] * rho_node[nd]
    return q


@_jit
def injections(idx, basis, flow, speed, count, rho_edge, mass_code, consumer_flow, flow_nodes,
               flow_is_mass, flow_value, rho_node, n_nodes, ff_start, ff_end):
    """The imposed flows of :func:`narvik_thermal.solvers.hydraulic.fixed_flows` and the
    injection of every node, in one call: ``mff`` [kg/s], the fixed-flow pumps' edges
    ``idx`` (``flow`` of ``basis``: mass where ``mass_code``, else volume times the
    edge's density; times ``speed`` and ``count``) then the consumers' flows; ``q``, the
    flow boundaries' inflow at each node (:func:`boundary_inflows`); and
    ``inj = q`` plus each imposed flow at its edge's end node minus it at its start node
    (``ff_start``, ``ff_end``), summed in the order ``np.add.at`` sums."""
    nf = idx.size
    nc = consumer_flow.size
    mff = np.empty(nf + nc)
    for k in range(nf):
        e = idx[k]
        v = flow[k] if basis[k] == mass_code else flow[k] * rho_edge[e]
        mff[k] = v * speed[k] * count[e]
    for k in range(nc):
        mff[nf + k] = consumer_flow[k]
    q = boundary_inflows(flow_nodes, flow_is_mass, flow_value, rho_node, n_nodes)
    inj = q.copy()
    for k in range(ff_end.size):
        inj[ff_end[k]] += mff[k]
    for k in range(ff_start.size):
        inj[ff_start[k]] -= mff[k]
    return mff, q, inj


@_jit
def abs_max(x):
    """``max |x|``: 0 for an empty array, NaN when an entry is NaN (as
    ``np.max(np.abs(x))`` gives it)."""
    big = 0.0
    for i in range(x.size):
        a = abs(x[i])
        if a > big:
            big = a
        elif a != a:
            return a
    return big


@_jit
def gga_start(n_nodes, n_edges, n_circuits, node_circuit, fixed_nodes, fixed_pressure, unk,
              p0, warm_p, free, m0, warm_m, g, dz, idx, basis, flow, speed, count,
              rho_edge, mass_code, consumer_flow, flow_nodes, flow_is_mass, flow_value,
              rho_node, ff_start, ff_end, ff):
    """The start of a solve of :func:`narvik_thermal.solvers.hydraulic.solve_hydraulics`
    in one call: the imposed flows (:func:`injections`, its arguments from ``idx`` to
    ``ff_end``), the static heads ``b = ρ g Δz`` of the free edges (``dz`` their
    drops in elevation; zeros when ``dz`` is empty, a level network) and ``max |b|``,
    the circuits' reference pressures ``p_off`` (per node: the fixed pressure of its
    circuit, the last one given where a circuit has several), the gauge pressures
    ``p`` (fixed nodes, and the unknown ones of ``p0`` when ``warm_p``) and
    ``p_known`` (fixed nodes only), and the flows ``m`` (imposed flows at the
    fixed-flow edges ``ff``, those of ``m0`` at the free edges when ``warm_m``).

    Returns ``(mff, inj, b, b_max, p_off, p, p_known, m)``.
    """
    mff, q, inj = injections(idx, basis, flow, speed, count, rho_edge, mass_code,
                             consumer_flow, flow_nodes, flow_is_mass, flow_value, rho_node,
                             n_nodes, ff_start, ff_end)
    nf = free.size
    b = np.zeros(nf)
    b_max = 0.0
    if dz.size:
        for k in range(nf):
            b[k] = rho_edge[free[k]] * g * dz[k]
        b_max = abs_max(b)
    ref = np.zeros(n_circuits)
    for k in range(fixed_nodes.size):
        ref[node_circuit[fixed_nodes[k]]] = fixed_pressure[k]
    p_off = np.empty(n_nodes)
    for i in range(n_nodes):
        p_off[i] = ref[node_circuit[i]]
    p = np.zeros(n_nodes)
    for k in range(fixed_nodes.size):
        i = fixed_nodes[k]
        p[i] = fixed_pressure[k] - p_off[i]
    p_known = p.copy()
    if warm_p:
        for k in range(unk.size):
            i = unk[k]
            p[i] = p0[i] - p_off[i]
    m = np.zeros(n_edges)
    for k in range(ff.size):
        m[ff[k]] = mff[k]
    if warm_m:
        for k in range(nf):
            m[free[k]] = m0[free[k]]
    return mff, inj, b, b_max, p_off, p, p_known, m


@_jit
def gga_system(d, free, floor, m, r, s, e, b, p_known, inj, unk, p):
    """The nodal system of a Newton step in one call: the conductances
    (:func:`gga_conductance`), the right-hand side (:func:`gga_rhs`, with the known
    pressures ``p_known``) at the unknown nodes ``unk``, and the pressures ``p`` there
    (the conjugate gradients' start). Returns ``(w, rhs_u, p_u)``."""
    w = gga_conductance(d, free, floor)
    rhs = gga_rhs(m, r, free, s, e, w, b, p_known, inj)
    rhs_u = np.empty(unk.size)
    p_u = np.empty(unk.size)
    for k in range(unk.size):
        rhs_u[k] = rhs[unk[k]]
        p_u[k] = p[unk[k]]
    return w, rhs_u, p_u


@_jit
def gga_update(pu, p_known, unk, m, r, free, s, e, w, b, inj, overshoot, idx, free_pos, start,
               end, dp_rated, V_rated, n, inv, limit):
    """The update after the nodal solve in one call: the new pressures (``p_known``
    with the solution ``pu`` at the unknown nodes ``unk``), the new flows and mass
    residual (:func:`gga_flows`), when ``overshoot`` the rated points' overshoot
    replacement (:func:`rated_point_overshoot`, its arguments from ``idx`` to
    ``limit``), then the mass residual at the unknown nodes and ``max |ṁ'|``.

    Returns ``(p_new, m_new, res_u, m_max)``.
    """
    p_new = p_known.copy()
    for k in range(unk.size):
        p_new[unk[k]] = pu[k]
    m_new, res = gga_flows(m, r, free, s, e, w, b, p_new, inj)
    if overshoot:
        rated_point_overshoot(idx, free_pos, start, end, p_new, b, dp_rated, V_rated, n, inv,
                              limit, m_new, res)
    res_u = np.empty(unk.size)
    for k in range(unk.size):
        res_u[k] = res[unk[k]]
    return p_new, m_new, res_u, abs_max(m_new)


@_jit
def gga_polish_step(p_new, du, unk, m_new, free, s, e, w, m):
    """The mass-balance polish in place (``p' = p − δ`` at the unknown nodes ``unk``,
    ``δ`` = ``du`` there and 0 elsewhere; :func:`gga_polish`), then the step
    (:func:`gga_step`): returns ``(Δṁ, max |Δṁ|)``."""
    delta = np.zeros(p_new.size)
    for k in range(unk.size):
        delta[unk[k]] = du[k]
    for i in range(p_new.size):
        p_new[i] -= delta[i]
    gga_polish(m_new, free, s, e, w, delta)
    return gga_step(m_new, m, free)


@_jit
def gga_check(p, r, free, s, e, b, dm, r_old, m):
    """After a step, in one call: :func:`gga_residual` (``F, max |F|`` and the slope
    ``−Δṁ·F``), :func:`gga_slope_shift` against the losses ``r_old``, and the scales
    ``max |r|`` and ``max |ṁ|`` over all edges (:func:`abs_max`).

    Returns ``(F, fmax, g, shift, r_max, m_max)``.
    """
    F, fmax, g = gga_residual(p, r, free, s, e, b, dm)
    return F, fmax, g, gga_slope_shift(dm, r_old, r, free), abs_max(r), abs_max(m)


@_jit
def pcg_start(w, w0, us, ue, b, x0, warm):
    """The start of :meth:`narvik_thermal.solvers.nodal.NodalSolver._pcg` in one call:
    :func:`ratio_range` of ``w`` against the factorised ``w0``, and when ``warm`` a copy
    ``x`` of ``x0`` with its residual ``r = b − L(w) x`` and ``max |r|``
    (:func:`nodal_matvec`, :func:`residual`); else empty ``x, r`` and ``max |b|``.

    Returns ``(lo, hi, ok, x, r, rmax)``.
    """
    lo, hi, ok = ratio_range(w, w0)
    if warm:
        x = x0.copy()
        r, rmax = residual(b, nodal_matvec(us, ue, w, x))
    else:
        x = np.empty(0)
        r = np.empty(0)
        rmax = abs_max(b)
    return lo, hi, ok, x, r, rmax


@_jit
def pcg_ldl(us, ue, w, b, x, r, rmax, atol, limit, trial, budget, n, Lp, Li, Lx, D, order,
            cold):
    """The iterations of :meth:`narvik_thermal.solvers.nodal.NodalSolver._pcg` in one call,
    preconditioned by a factorisation of the compiled LDLᵀ (``n, Lp, Li, Lx, D, order``:
    :func:`._ldl_kernels.ldl_solve`): from ``x`` (in place) and its residual ``r``
    (``max |r|`` = ``rmax``), or when ``cold`` from ``x = M⁻¹ b`` and its residual,
    conjugate gradients while ``max |r| > atol``, until they give up (``limit``
    iterations; a ``trial`` whose rate after three or more says it would not get
    there within ``budget``), then, when they ran, the true residual
    ``max |b − L(w) x|`` and, when it exceeds ``10 atol``, its round-off scale
    (:func:`matvec_magnitude`; both 0 when no iteration ran).

    Returns ``(status, it, rmax, r0, rate, true, magnitude, x)``: ``status`` 0 when
    the iterations got there (or were not needed), 1 when the matrix showed not to be
    positive definite (``p·Lp ≤ 0``), 2 when they gave up (``rate`` the last rate), 3
    and 4 where Python's float arithmetic would raise (the logarithm of 0, a division
    by zero: the caller raises as the loop in Python did).
    """
    if cold:
        x = ldl_solve(n, Lp, Li, Lx, D, order, b)
        r, rmax = residual(b, nodal_matvec(us, ue, w, x))
    r0 = rmax
    rate = 1.0
    it = 0
    if not rmax > atol:
        return 0, it, rmax, r0, rate, 0.0, 0.0, x
    z = ldl_solve(n, Lp, Li, Lx, D, order, r)
    p = z.copy()
    rz = dot(r, z)
    while True:
        q = nodal_matvec(us, ue, w, p)
        pq = dot(p, q)
        if not pq > 0.0:
            return 1, it, rmax, r0, rate, 0.0, 0.0, x
        rmax = cg_step(x, r, p, q, rz / pq)
        it += 1
        if rmax <= atol:
            break
        rate = (rmax / r0) ** (1.0 / it)
        if it >= limit:
            return 2, it, rmax, r0, rate, 0.0, 0.0, x
        if trial and it >= 3:
            if not rate < 1.0:
                return 2, it, rmax, r0, rate, 0.0, 0.0, x
            if rmax == 0.0:
                return 4, it, rmax, r0, rate, 0.0, 0.0, x
            if atol / rmax <= 0.0 or rate <= 0.0:
                return 3, it, rmax, r0, rate, 0.0, 0.0, x
            if it + np.log(atol / rmax) / np.log(rate) > budget:
                return 2, it, rmax, r0, rate, 0.0, 0.0, x
        z = ldl_solve(n, Lp, Li, Lx, D, order, r)
        rz_new = dot(r, z)
        if rz == 0.0:
            return 4, it, rmax, r0, rate, 0.0, 0.0, x
        cg_direction(p, z, rz_new / rz)
        rz = rz_new
    true = residual(b, nodal_matvec(us, ue, w, x))[1]
    magnitude = matvec_magnitude(us, ue, w, x) if true > 10.0 * atol else 0.0
    return 0, it, rmax, r0, rate, true, magnitude, x


#: :func:`pcg_plan`'s decisions: the start is the answer, factorise instead, iterate;
#: and where Python's arithmetic raised (a logarithm of a number not positive or
#: ``int`` of NaN: ``ValueError``; a division by zero: ``ZeroDivisionError``)
PCG_DONE, PCG_DECLINE, PCG_ITERATE, PCG_DOMAIN, PCG_ZERO_DIVISION = 0, 1, 2, 3, 4


@_jit
def pcg_plan(lo, hi, rmax, atol, rtol, budget, trial_budget, seen, seen_kappa, seen_rate):
    """The choice of :meth:`narvik_thermal.solvers.nodal.NodalSolver._pcg` between
    iterating and factorising, from :func:`pcg_start`'s bounds ``lo, hi`` of the
    spectrum and residual ``rmax``: the tolerance ``atol`` raised to ``rtol · rmax``
    (as Python's ``max`` does: the first unless the second exceeds it), the
    Chebyshev bound of the iterations for the condition bound ``κ = hi/lo`` and the
    reduction asked, and the decision against the break-even ``budget`` (a trial,
    iterations beyond the bound, only when ``budget`` reaches ``trial_budget``, or
    when the rate ``seen_rate`` seen before predicts they get there: ``seen`` 2 when
    it was seen on this same matrix, 1 on another at a condition bound
    ``seen_kappa``, 0 none). The arithmetic of the Python it replaces, operation for
    operation (``math.sqrt``, ``log1p`` and ``log`` are the C library's in both), so
    that the choice, and with it the solution, is the same to the last bit.

    Returns ``(action, kappa, atol, reduction, bound, trial, limit)``: ``action`` one
    of :data:`PCG_DONE`, :data:`PCG_DECLINE`, :data:`PCG_ITERATE` (at most ``limit``
    iterations), :data:`PCG_DOMAIN` and :data:`PCG_ZERO_DIVISION`.
    """
    if lo == 0.0:
        return PCG_ZERO_DIVISION, 0.0, atol, 0.0, 0.0, False, 0
    kappa = hi / lo
    scaled = rtol * rmax
    if scaled > atol:
        atol = scaled
    if rmax <= atol:
        return PCG_DONE, kappa, atol, 0.0, 0.0, False, 0
    reduction = atol / rmax
    if kappa > 1.0 + 1e-14:
        # log((s + 1)/(s − 1)) as log1p(2/(s − 1)): the quotient itself rounds to 1
        # (a zero rate, a division by zero) once κ exceeds about 10³²
        if reduction == 0.0:
            return PCG_ZERO_DIVISION, kappa, atol, reduction, 0.0, False, 0
        sq = math.sqrt(kappa)
        rate = math.log1p(2.0 / (sq - 1.0))
        bound = math.log(2.0 / reduction) / rate if rate > 0.0 else math.inf
    else:
        bound = 0.0
    trial = bound > budget
    if trial and (seen == 2 or (budget >= trial_budget and seen == 1
                                and kappa >= 0.5 * seen_kappa)):
        # the same matrix solved by iterations just before (a Newton step, now its
        # polish), or one at a similar or smaller bound: the rate seen predicts the
        # iterations, whatever the bound says
        if not seen_rate < 1.0:
            return PCG_DECLINE, kappa, atol, reduction, bound, trial, 0
        if not (reduction > 0.0 and seen_rate > 0.0):
            return PCG_DOMAIN, kappa, atol, reduction, bound, trial, 0
        if math.log(reduction) / math.log(seen_rate) > budget:
            return PCG_DECLINE, kappa, atol, reduction, bound, trial, 0
    elif trial and budget < trial_budget:
        return PCG_DECLINE, kappa, atol, reduction, bound, trial, 0
    if trial:
        return PCG_ITERATE, kappa, atol, reduction, bound, trial, int(budget)
    if bound != bound:
        return PCG_DOMAIN, kappa, atol, reduction, bound, trial, 0
    return PCG_ITERATE, kappa, atol, reduction, bound, trial, int(bound) + 3


@_jit
def pcg_ldl_solve(w, w0, us, ue, b, x0, warm, atol, rtol, budget, trial_budget, seen,
                  seen_kappa, seen_rate, n, Lp, Li, Lx, D, order):
    """:meth:`narvik_thermal.solvers.nodal.NodalSolver._pcg` with a factorisation of
    the compiled LDLᵀ (``n, Lp, Li, Lx, D, order``, made for the conductances ``w0``) in
    one call: :func:`pcg_start`, :func:`pcg_plan` (its arguments from ``atol`` to
    ``seen_rate``) and, when it says so, :func:`pcg_ldl` (cold, from ``M⁻¹ b``, unless
    ``warm``: from ``x0``).

    Returns ``(ok, action, kappa, atol, reduction, bound, trial, status, it, rmax, r0,
    rate, true, magnitude, x)``: ``ok`` False (and nothing else meaningful) when a
    conductance is not positive and finite; ``action`` :func:`pcg_plan`'s, and after
    :data:`PCG_ITERATE` :func:`pcg_ldl`'s results from ``status`` on; after
    :data:`PCG_DONE`, ``x`` is the start (zeros when cold).
    """
    lo, hi, ok, x, r, rmax = pcg_start(w, w0, us, ue, b, x0, warm)
    if not ok:
        return (False, PCG_DECLINE, 0.0, atol, 0.0, 0.0, False, 0, 0, rmax, rmax, 1.0, 0.0,
                0.0, x)
    action, kappa, atol, reduction, bound, trial, limit = pcg_plan(
        lo, hi, rmax, atol, rtol, budget, trial_budget, seen, seen_kappa, seen_rate)
    if action != PCG_ITERATE:
        if action == PCG_DONE and not warm:
            x = np.zeros(b.size)
        return (True, action, kappa, atol, reduction, bound, trial, 0, 0, rmax, rmax, 1.0, 0.0,
                0.0, x)
    status, it, rmax, r0, rate, true, magnitude, x = pcg_ldl(
        us, ue, w, b, x, r, rmax, atol, limit, trial, budget, n, Lp, Li, Lx, D, order,
        not warm)
    return (True, action, kappa, atol, reduction, bound, trial, status, it, rmax, r0, rate,
            true, magnitude, x)


@_jit
def positive_median(d, leak):
    """The median of the entries of ``d`` in ``(0, leak)`` as ``np.median`` gives it (the
    middle one, or the mean of the middle two), and how many there are (the median is
    0 when there are none)."""
    pos = np.empty(d.size)
    n = 0
    for i in range(d.size):
        x = d[i]
        if x > 0.0 and x < leak:
            pos[n] = x
            n += 1
    if n == 0:
        return 0.0, 0
    s = np.sort(pos[:n])
    h = n // 2
    if n % 2:
        return s[h], n
    return (s[h - 1] + s[h]) / 2.0, n


@_jit
def floor_reference(d, m, free, resistive, by_flow, share, leak):
    """The floor of the edge derivatives of
    :func:`narvik_thermal.solvers.hydraulic._floor_reference`: ``1e-5`` times the
    :func:`positive_median` (below ``leak``) of the derivatives ``d`` of the free edges
    that are ``resistive`` (a mask over all edges) and, when ``by_flow``, whose flow
    ``|m|`` exceeds ``share`` of the largest among them (``1e-5`` when there are none)."""
    sel = np.empty(free.size, np.int64)
    n = 0
    for k in range(free.size):
        j = free[k]
        if resistive[j]:
            sel[n] = j
            n += 1
    if by_flow and n:
        am = np.empty(n)
        for k in range(n):
            am[k] = abs(m[sel[k]])
        cut = share * abs_max(am)
        kept = 0
        for k in range(n):
            if am[k] > cut:
                sel[kept] = sel[k]
                kept += 1
        n = kept
    vals = np.empty(n)
    for k in range(n):
        vals[k] = d[sel[k]]
    median, count = positive_median(vals, leak)
    return 1e-5 * (median if count else 1.0)


@_jit
def gga_begin(n_nodes, n_edges, n_circuits, node_circuit, fixed_nodes, fixed_pressure, unk, p0,
              warm_p, free, m0, dz, idx, basis, flow, speed, count, rho_edge, consumer_flow,
              flow_nodes, flow_is_mass, flow_value, rho_node, ff_start, ff_end, ff, s, e, floor,
              has_floor, resistive, share, leak, mu_edge, d_idx, diameter, length, roughness,
              minor_loss, p_idx, flow_rated, rated_basis, c_idx, c_basis, v_idx, kvs, opening,
              characteristic, rangeability, check, f_idx, f_basis, fixed_rise, f_speed,
              mass_code, pressure_code, head_code, g, kv_to_si, friction, dp_rated, dp_exponent,
              a0, a1, a2, c_speed, q_max, back, kept, flags):
    """The start of a warm solve of
    :func:`narvik_thermal.solvers.hydraulic.solve_hydraulics` and the system of its
    first Newton step, in one call: :func:`gga_start` (its arguments from ``n_nodes``
    to ``ff``, the flows ``m0`` warm; ``mass_code`` and ``g`` the laws'), the losses
    and derivatives at its flows
    (:func:`narvik_thermal.components._hydraulic_kernels.law_values`, its arguments
    from ``d_idx`` on, with ``count``, ``rho_edge`` and ``mu_edge``), the residual
    (:func:`gga_check` without a step; ``s, e`` the free edges' ends), the floor of
    the derivatives unless ``has_floor`` (:func:`floor_reference` of the
    ``resistive`` edges) and the nodal system (:func:`gga_system`).

    The laws' flow-independent factors
    (:func:`narvik_thermal.components._hydraulic_kernels.law_constants`, the first part
    of ``law_values``) are kept in the caller's buffers ``kept`` and ``flags``
    (:func:`narvik_thermal.components._hydraulic_kernels.keep_constants`), from which
    the solve's later steps (:func:`gga_advance`, :func:`gga_finish`) read them instead
    of computing them again: they depend on the properties and the actuators only,
    which stay as they are within one solve (some 8 µs a step on the 290 MW campus's
    486 edges).

    Returns ``(m, p, r, F, inj, b, p_off, p_known, w, rhs_u, p_u, b_max, fmax, r_max,
    floor)``.
    """
    _, inj, b, b_max, p_off, p, p_known, m = gga_start(
        n_nodes, n_edges, n_circuits, node_circuit, fixed_nodes, fixed_pressure, unk, p0,
        warm_p, free, m0, True, g, dz, idx, basis, flow, speed, count, rho_edge, mass_code,
        consumer_flow, flow_nodes, flow_is_mass, flow_value, rho_node, ff_start, ff_end, ff)
    # (law_values in its two parts: the constants are kept for the solve's later steps)
    constants = law_constants(
        count, rho_edge, mu_edge, d_idx, diameter, length, roughness, minor_loss, p_idx,
        flow_rated, rated_basis, c_idx, c_basis, v_idx, kvs, opening, characteristic,
        rangeability, check, f_idx, f_basis, fixed_rise, f_speed, mass_code, pressure_code,
        head_code, g, kv_to_si)
    r, d = law_values_of(m, count, rho_edge, constants, d_idx, p_idx, c_idx, v_idx, f_idx,
                         friction, dp_rated, dp_exponent, a0, a1, a2, c_speed, q_max, back)
    keep_constants(constants, kept, flags)
    F, fmax, _, _, r_max, _ = gga_check(p, r, free, s, e, b, np.zeros(free.size), r, m)
    if not has_floor:
        floor = floor_reference(d, m, free, resistive, True, share, leak)
    w, rhs_u, p_u = gga_system(d, free, floor, m, r, s, e, b, p_known, inj, unk, p)
    return m, p, r, F, inj, b, p_off, p_known, w, rhs_u, p_u, b_max, fmax, r_max, floor


@_jit
def gga_finish(p_new, du, polish, unk, m_new, free, s, e, w, m, b, r, count, rho, kept, flags,
               d_idx, p_idx, c_idx, v_idx, f_idx, friction, dp_rated, dp_exponent, a0, a1, a2,
               c_speed, q_max, back):
    """The end of a Newton step after the polish's solve ``du``, in one call: when
    ``polish`` :func:`gga_polish_step` (else :func:`gga_step`: no unknown pressures), the
    losses at the new flows
    (:func:`narvik_thermal.components._hydraulic_kernels.law_values_of` of the laws'
    constants that :func:`gga_begin` kept in ``kept`` and ``flags`` for this solve;
    ``count, rho`` and the arguments from ``d_idx`` on as ``law_values_of`` takes them)
    and :func:`gga_check` against the old losses ``r``.

    Returns ``(dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max, m_max)``.
    """
    constants = kept_constants(kept, flags, d_idx.size, p_idx.size, c_idx.size, v_idx.size,
                               f_idx.size)
    if polish:
        dm, dm_max = gga_polish_step(p_new, du, unk, m_new, free, s, e, w, m)
    else:
        dm, dm_max = gga_step(m_new, m, free)
    r1, d1 = law_values_of(m_new, count, rho, constants, d_idx, p_idx, c_idx, v_idx, f_idx,
                           friction, dp_rated, dp_exponent, a0, a1, a2, c_speed, q_max, back)
    F1, fmax1, g1, shift, r_max, m_max = gga_check(p_new, r1, free, s, e, b, dm, r, m_new)
    return dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max, m_max


@_jit
def gga_advance(pu, p_known, unk, m, r, free, s, e, w, b, inj, overshoot, free_pos, start,
                end, limit, direct, n, Lp, Li, Lx, D, order, count, rho, kept, flags, d_idx,
                p_idx, c_idx, v_idx, f_idx, friction, dp_rated, dp_exponent, a0, a1, a2, c_speed,
                q_max, back):
    """A warm Newton step after its nodal solve ``pu``, in one call: :func:`gga_update`
    (with, when ``overshoot``, the rated points' overshoot replacement: their places
    ``free_pos`` among the free edges, all edges' ends ``start, end`` and their factors
    among the laws' constants, those :func:`gga_begin` kept in ``kept`` and ``flags``
    for this solve),
    then, when the nodal system was solved ``direct`` by the compiled LDLᵀ factors
    ``n, Lp, Li, Lx, D, order`` of its own matrix (or there are no unknown pressures),
    the polish's solve with them (:func:`._ldl_kernels.ldl_solve` of the negated mass
    residual: what :meth:`narvik_thermal.solvers.nodal.NodalSolver.resolve` computes
    then) and :func:`gga_finish` (its arguments from ``count`` on).

    Returns ``(p_new, m_new, res_u, m_max, done)`` followed by :func:`gga_finish`'s
    values when ``done`` (else empty arrays and zeros in their place: the caller solves
    for the polish and calls :func:`gga_finish`).
    """
    constants = kept_constants(kept, flags, d_idx.size, p_idx.size, c_idx.size, v_idx.size,
                               f_idx.size)
    inv, Vr = constants[5], constants[6]
    p_new, m_new, res_u, big = gga_update(pu, p_known, unk, m, r, free, s, e, w, b, inj,
                                          overshoot, p_idx, free_pos, start, end, dp_rated,
                                          Vr, dp_exponent, inv, limit)
    polish = res_u.size > 0
    if polish and not direct:
        none = np.empty(0)
        return (p_new, m_new, res_u, big, False, none, 0.0, none, none, none, 0.0, 0.0, 0.0,
                0.0, 0.0)
    du = np.empty(0)
    if polish:
        neg = np.empty(res_u.size)
        for k in range(res_u.size):
            neg[k] = -res_u[k]
        du = ldl_solve(n, Lp, Li, Lx, D, order, neg)
    dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max, m_max = gga_finish(
        p_new, du, polish, unk, m_new, free, s, e, w, m, b, r, count, rho, kept, flags, d_idx,
        p_idx, c_idx, v_idx, f_idx, friction, dp_rated, dp_exponent, a0, a1, a2, c_speed,
        q_max, back)
    return (p_new, m_new, res_u, big, True, dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max,
            m_max)
