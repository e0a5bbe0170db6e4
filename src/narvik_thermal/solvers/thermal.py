"""Steady heat transport: one sparse linear system in node enthalpies per flow field.

With the flows known, every node mixes the streams that enter it perfectly
(upwind by the solved flow direction), and every edge adds heat that is
linear in the enthalpies of its own inlet and, for a heat exchanger or heat
pump, of its partner's inlet:

.. math::

   \\Big(\\sum_{e \\to n} |\\dot m_e| + \\dot m_{ext,n}\\Big) h_n
   = \\sum_{e \\to n} \\big(|\\dot m_e| h_{up(e)} + \\dot Q_e\\big) + \\dot m_{ext,n} h_{ext,n},
   \\qquad \\dot Q_e = q_{0,e} + q_{1,e} h_{up(e)} + q_{2,e} h_{up(partner(e))}

The unknowns are specific enthalpies, not temperatures, so mixing conserves
energy exactly whatever the temperature dependence of the specific heat.
Laws that depend on temperature (ε-NTU, heat loss to ambient) are linearised
about the last iterate, :math:`T \\approx T_k + (h - h_k)/c_{p,k}`, and the outer
loop (:mod:`.coupled`) repeats until temperatures stop changing.

Nodes with no inflow (dead ends, shut branches) take the mean enthalpy of their
neighbours; their temperature has no energy significance. A pipe without flow
that exchanges heat with its surroundings (the ``AMBIENT`` law) holds, in a
steady state, fluid at the ambient temperature: it exchanges no heat (no flow
carries heat to or from it, and the model has no conduction along the pipe),
and a node without inflow at its end takes that ambient temperature. (The
transient solver keeps the pipe's exchange at its temperature: there the
stagnant fluid cools towards ambient.)

The system is solved by substitution in flow order with a few torn loop nodes
(:func:`_solve_in_flow_order`), or by SuperLU where that does not apply
(``method="lu"`` forces it).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..components.kinds import HydraulicLaw
from . import _kernel_modules as kernels

__all__ = ["solve_thermal", "STAGNANT_FLOW", "stagnant_limit"]

#: A node whose inflow, and an edge whose flow, is at most this share of the largest
#: flow of the network is stagnant (round-off of the hydraulic solve, ~1e-40 kg/s
#: in a dead end, is not a flow).
STAGNANT_FLOW = 1e-13


def stagnant_limit(m: np.ndarray) -> float:
    """The largest flow [kg/s] of an edge that counts as stagnant: :data:`STAGNANT_FLOW`
    of the largest edge flow ``m`` (a tiny positive number where nothing flows)."""
    return STAGNANT_FLOW * max(float(kernels.hydraulic().abs_max(m)) if m.size else 0.0,
                               1e-300)


def solve_thermal(cn, m, ext_in, h_ext, q0, q1, q2, up, dn, h_default, cache=None,
                  boundary=None, method: str = "auto", still=None):
    """Solve the node enthalpies for given flows and linear heat laws.

    Parameters
    ----------
    cn : CompiledNetwork
    m : numpy.ndarray
        Edge mass flows [kg/s].
    ext_in : numpy.ndarray
        External mass inflow at each node [kg/s] (≥ 0).
    h_ext : numpy.ndarray
        Enthalpy of the external inflow [J/kg].
    q0, q1, q2 : numpy.ndarray
        Heat-law coefficients from :func:`edge_heat_coefficients`.
    up, dn : numpy.ndarray
        Upstream and downstream node of each edge.
    h_default : numpy.ndarray
        Enthalpy used to regularise regions without any flow [J/kg].
    boundary : numpy.ndarray of bool, optional
        Boundary nodes (pressure or flow boundaries): without flow they take
        ``h_default`` (their boundary temperature) exactly.
    cache : dict, optional
        Keeps the flow order of the ``"auto"`` path: while the pattern of the flows
        stays that order's and every node flows, the whole solve is one compiled
        call of the same steps
        (:func:`narvik_thermal.solvers._thermal_kernels.solve_in_kept_order`).
        Keeps the last LU factorisation and flow pattern of the ``"lu"`` path.
        When the flow directions are unchanged, the new system is solved by
        iterative refinement with the kept LU (a few triangular solves instead
        of a new factorisation); it refactorises when that does not reach full
        precision.
    method : {"auto", "lu"}
        ``"auto"``: in flow order with torn loops (:func:`_solve_in_flow_order`),
        falling back to ``"lu"`` where that does not apply; ``"lu"``: SuperLU
        on the whole system.
    still : tuple of numpy.ndarray, optional
        Pipes without flow that exchange heat with their surroundings (edge
        indices) and the enthalpy of their fluid at their ambient temperature
        [J/kg]: their heat is zero and a stagnant node at their end takes that
        enthalpy (see the module notes).

    Returns
    -------
    h : numpy.ndarray
        Node enthalpies [J/kg].
    Q : numpy.ndarray
        Heat into the fluid of each edge [W].
    h_out : numpy.ndarray
        Outlet enthalpy of each edge [J/kg].
    """
    if method not in ("auto", "lu"):
        raise ValueError(f"thermal_solver={method!r} must be 'auto' or 'lu'")
    K = kernels.thermal()

    N = cn.n_nodes
    partner = cn.partner
    if method == "auto" and cache is not None:
        # the common case, every node flowing in the pattern of the flow order kept:
        # one compiled call of the steps below (the general path where it declines)
        kept, drv = cache.get("flow_order"), cache.get("driving_edges")
        if kept is not None and drv is not None and drv[0] is cn.hgroups:
            ok, h, Q, h_out = K.solve_in_kept_order(
                N, m, up, dn, partner, q0, q1, q2, ext_in, h_ext, STAGNANT_FLOW, drv[1],
                *kept[:4], *kept[4], _MAX_RESIDUAL)
            if ok:
                cache["thermal_torn_nodes"] = int(kept[4][2])
                return h, Q, h_out
    # equations of flowing nodes: M_n h_n − Σ coef h_src = rhs_n, one entry per
    # inflowing edge (its upstream node) and per coupled edge (its partner's inlet)
    flowing, diag, rhs, dst, src, coef = K.thermal_entries(
        N, m, up, dn, partner, q0, q1, q2, ext_in, h_ext, STAGNANT_FLOW)
    any_stag = not flowing.all()
    stag = ~flowing if any_stag else None
    h = None
    if cache is not None:
        cache["thermal_torn_nodes"] = None
    if not any_stag:
        still = None
    if method == "auto":
        # pump outlets first when a loop must be torn: every loop of a closed
        # circuit passes a pump, so one tear per pump breaks them all
        kept = cache.get("driving_edges") if cache is not None else None
        if kept is None or kept[0] is not cn.hgroups:
            kept = (cn.hgroups, np.concatenate([cn.hgroups[law].idx for law in _DRIVING]))
            if cache is not None:
                cache["driving_edges"] = kept
        pumps = kept[1]
        preferred = dn[pumps[m[pumps] != 0]].astype(np.int64)
        h = _solve_in_flow_order(N, flowing, dst, src, coef, diag, rhs, preferred, cache)
        if h is not None and any_stag:
            h = _solve_stagnant(cn, h, stag, boundary, h_default, still)
    if h is None:
        rows, cols, vals = [dst], [src], [-coef]
        # stagnant nodes: a boundary node keeps its boundary temperature; any other
        # takes the mean of its neighbours (any edge), lightly anchored to h_default
        if any_stag:
            rows_s, cols_s, vals_s, diag, rhs = _stagnant_rows(cn, stag, boundary, h_default,
                                                               diag, rhs, still)
            rows += rows_s; cols += cols_s; vals += vals_s
        rows.append(np.arange(N)); cols.append(np.arange(N)); vals.append(diag)
        A = _assemble(N, rows, vals, cols, up, flowing, cache)
        h = _solve(A, rhs, up, flowing, cache)
    Q, h_out = K.edge_heat(h, m, up, partner, q0, q1, q2)
    if still is not None and still[0].size:
        Q[still[0]] = 0.0                 # stagnant pipes at ambient exchange nothing
        h_out[still[0]] = still[1]
    return h, Q, h_out


#: Most torn nodes the flow-order solve handles (its work grows with their
#: number); beyond, the whole system goes to SuperLU.
MAX_TEARS = 32
#: Laws that drive flow round a loop (their outlets are the preferred tears).
_DRIVING = (HydraulicLaw.PUMP_CURVE, HydraulicLaw.FIXED_RISE, HydraulicLaw.FIXED_FLOW,
            HydraulicLaw.CONSTANT_POWER)
#: Largest residual of the flow-order solve, relative to its scale (round-off).
_MAX_RESIDUAL = 1e-12
#: Stagnant nodes: weight of the anchor to ``h_default`` relative to the neighbours.
_STAGNANT_ANCHOR = 1e-6


def _stagnant_rows(cn, stag, boundary, h_default, diag, rhs, still=None):
    """Equations of stagnant nodes: boundary nodes keep ``h_default``; a node at the
    end of a stagnant pipe that exchanges heat with its surroundings (``still``:
    those pipes and their fluid's enthalpy at ambient) takes
    the mean of those ambient enthalpies; others take the mean of their neighbours,
    anchored to ``h_default`` by a weight of 1e-6."""
    N = stag.size
    s, e = cn.start, cn.end
    bnd = stag & (boundary if boundary is not None else np.zeros(N, bool))
    mean = stag & ~bnd
    amb = None
    if still is not None and still[0].size:
        i, h_amb = still
        ends = np.concatenate([s[i], e[i]])
        n_amb = np.bincount(ends, minlength=N)
        h_sum = np.bincount(ends, weights=np.concatenate([h_amb, h_amb]), minlength=N)
        amb = mean & (n_amb > 0)
        mean = mean & ~amb
    rows, cols, vals = [], [], []
    for a, b in ((s, e), (e, s)):
        sel = mean[a]
        rows.append(a[sel]); cols.append(b[sel]); vals.append(-np.ones(int(sel.sum())))
    deg = np.bincount(s, minlength=N) + np.bincount(e, minlength=N)
    eps = _STAGNANT_ANCHOR
    diag = np.where(mean, deg * (1.0 + eps), np.where(bnd, 1.0, diag))
    rhs = np.where(mean, eps * deg * h_default, np.where(bnd, h_default, rhs))
    if amb is not None:
        diag = np.where(amb, 1.0, diag)
        rhs = np.where(amb, h_sum / np.maximum(n_amb, 1), rhs)
    return rows, cols, vals, diag, rhs


def _solve_in_flow_order(N, flowing, dst, src, coef, diag, rhs, preferred, cache=None):
    """Enthalpies of the flowing nodes by substitution in flow order.

    With the flows known, a node's enthalpy depends only on its upstream nodes
    (and, through a heat exchanger or heat pump, on the partner's inlet), so in
    flow order the system is triangular except where loops close: a closed
    circuit's pump, a heat exchanger between two loops. Kahn's topological sort
    tears one node of each such cycle (:func:`narvik_thermal.solvers._thermal_kernels.flow_order`);
    one sweep then gives every enthalpy as an affine function of the few torn
    values, whose own equations form a small dense system. The cost is one pass
    over the edges per torn node, against a sparse LU factorisation of the
    whole system.

    Returns None (the caller uses SuperLU) when a flowing node depends on a
    stagnant one, more than :data:`MAX_TEARS` nodes would be torn, the torn
    system is singular, or the residual of the result is not at round-off.
    """
    K = kernels.thermal()

    # the entries with a coefficient, and whether all their sources flow
    dst, src, coef, sources_flow = K.nonzero_entries(dst, src, coef, flowing)
    if not sources_flow:
        return None
    # the order depends only on which node feeds which: kept while that stays
    kept = cache.get("flow_order") if cache is not None else None
    if kept is not None and K.same_pattern(kept[0], kept[1], kept[2], kept[3], dst, src,
                                           preferred, flowing):
        order, tears, n_t, in_ptr, in_src, in_perm = kept[4]
    else:
        order, tears, n_t, in_ptr, in_src, in_perm = K.flow_order(N, flowing, dst, src,
                                                                  preferred, MAX_TEARS)
        if cache is not None:
            cache["flow_order"] = (dst.copy(), src.copy(), preferred.copy(), flowing.copy(),
                                   (order, tears, n_t, in_ptr, in_src, in_perm))
    if n_t < 0:
        return None
    # substitution, the torn system and the residual in one call: the torn system can
    # be ill-conditioned (a loop whose only anchor is a weak one), so only a result
    # whose residual is at round-off is accepted
    h, ok = K.solve_in_order(order, tears, n_t, in_ptr, in_src, in_perm, coef, diag, rhs,
                             dst, src, flowing, _MAX_RESIDUAL)
    if not ok:
        return None
    if cache is not None:
        cache["thermal_torn_nodes"] = int(n_t)
    return h


def _solve_stagnant(cn, h, stag, boundary, h_default, still=None):
    """Enthalpies of stagnant nodes, given those of the flowing ones (a small SuperLU)."""
    N = stag.size
    rows_s, cols_s, vals_s, diag, rhs = _stagnant_rows(cn, stag, boundary, h_default,
                                                       np.zeros(N), np.zeros(N), still)
    idx = np.flatnonzero(stag)
    pos = np.full(N, -1)
    pos[idx] = np.arange(idx.size)
    r = np.concatenate(rows_s)
    c = np.concatenate(cols_s)
    v = np.concatenate(vals_s)
    known = ~stag[c]
    rhs = rhs.copy()
    np.add.at(rhs, r[known], -v[known] * h[c[known]])
    inner = ~known
    n = idx.size
    A = sp.csc_matrix((np.concatenate([v[inner], diag[idx]]),
                       (np.concatenate([pos[r[inner]], np.arange(n)]),
                        np.concatenate([pos[c[inner]], np.arange(n)]))), shape=(n, n))
    h = h.copy()
    h[idx] = _spla().splu(A).solve(rhs[idx])
    return h


def _assemble(N, rows, vals, cols, up, flowing, cache):
    """CSR matrix of the enthalpy system; the pattern (and the scatter of the
    entries into it) is kept while the flow directions stay the same."""
    v = np.concatenate(vals)
    pat = cache.get("thermal_pattern") if cache is not None else None
    if pat is not None and pat[0].shape == up.shape and np.array_equal(pat[0], up) \
            and np.array_equal(pat[1], flowing) and pat[2].size == v.size:
        _, _, slot, indptr, indices = pat
    else:
        r = np.concatenate(rows).astype(np.int64)
        c = np.concatenate(cols).astype(np.int64)
        key, slot = np.unique(r * N + c, return_inverse=True)
        indptr = np.zeros(N + 1, dtype=np.int64)
        np.add.at(indptr, key // N + 1, 1)
        indptr = np.cumsum(indptr)
        indices = key % N
        if cache is not None:
            cache["thermal_pattern"] = (up.copy(), flowing.copy(), slot, indptr, indices)
    data = np.bincount(slot, weights=v, minlength=indices.size)
    return sp.csr_matrix((data, indices, indptr), shape=(N, N))


def _solve(A, rhs, up, flowing, cache):
    """Sparse solve of the enthalpy system, reusing a kept LU when possible.

    With unchanged flow directions the kept LU of a nearby matrix is used for
    iterative refinement, ``h ← h + LU⁻¹(rhs − A h)``, which contracts fast
    when the matrix changed little (properties, linearisation); if it does not
    reach full precision within a few steps the matrix is factorised anew.
    """
    tol = 1e-14 * max(float(np.abs(rhs).max()), 1e-300) if rhs.size else 0.0
    if cache is not None and "thermal_lu" in cache:
        lu, up0, fl0, h0 = cache["thermal_lu"]
        if up0.shape == up.shape and np.array_equal(up0, up) and np.array_equal(fl0, flowing):
            h = h0.copy()
            last = np.inf
            for _ in range(8):
                res = rhs - A @ h
                err = float(np.abs(res).max())
                if err <= tol * 10:
                    cache["thermal_lu"] = (lu, up0, fl0, h)
                    cache["thermal_refinements"] = cache.get("thermal_refinements", 0) + 1
                    return h
                if err > 0.5 * last:        # not contracting: refactorise
                    break
                last = err
                h = h + lu.solve(res)
    try:
        lu = _spla().splu(A.tocsc(), permc_spec="COLAMD")
    except RuntimeError:
        from ..errors import TopologyError
        raise TopologyError(
            "the temperature level of a circuit is undefined with the solved flows and operating "
            "modes: no flow passes through any of its temperature anchors (set-point, pressure "
            "or flow boundary inflow, heat exchanger, heat loss to ambient, a heat pump holding "
            "its supply), or only fixed heat flows remain (e.g. a heat pump at capacity feeding "
            "fixed loads), so any imbalance has nowhere to go. Check for an anchor on a dead-end "
            "or shut branch, or model consumers by their return temperature (add_setpoint).") from None
    h = lu.solve(rhs)
    if cache is not None:
        cache["thermal_lu"] = (lu, up.copy(), flowing.copy(), h)
        cache["thermal_factorisations"] = cache.get("thermal_factorisations", 0) + 1
    return h


def _spla():
    """``scipy.sparse.linalg``, imported on first use (0.1 s; most solves never need it)."""
    import scipy.sparse.linalg  # noqa: PLC0415

    return scipy.sparse.linalg
