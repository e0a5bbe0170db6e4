"""Steady hydraulics: Newton's method in the global-gradient form.

Unknowns are the mass flows of the free edges and the pressures of the nodes
without a pressure reference. Each free edge states

.. math:: F_e = p_s - p_e + \\rho g (z_s - z_e) - r_e(\\dot m_e) = 0

and each node states conservation of mass. Eliminating the diagonal edge block
of the Newton system gives the symmetric positive definite nodal system

.. math:: A^T D^{-1} A\\, p = A^T\\big(\\dot m + D^{-1}(b - r(\\dot m) - A_k p_k)\\big) + q

(Todini and Pilati's global gradient algorithm, the method of EPANET), whose
sparsity pattern is built once per topology. Newton steps are damped by a
backtracking line search on the residual norm, so the solver starts cold and
follows flow reversal.

References
----------
.. [1] Todini, E., Pilati, S., "A gradient algorithm for the analysis of pipe
   networks", in *Computer Applications in Water Supply*, Vol. 1, Research
   Studies Press, 1988, pp. 1–20.
.. [2] Rossman, L. A., *EPANET 2 Users Manual*, EPA/600/R-00/057, 2000, App. D.
"""

from __future__ import annotations

import logging

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..components.hydraulics import edge_losses, typical_flow
from ..components.kinds import HydraulicLaw
from ..components.pump import G
from .options import SolveResult, SolverOptions

__all__ = ["solve_hydraulics", "nodal_matrix", "fixed_flows", "NodalSolver"]

log = logging.getLogger(__name__)


def fixed_flows(cn, rho_edge: np.ndarray, rho_node: np.ndarray):
    """Flows imposed by fixed-flow pumps [kg/s, per edge] and flow boundaries [kg/s, per node]."""
    grp = cn.hgroups[HydraulicLaw.FIXED_FLOW]
    i = grp.idx
    mff = np.where(grp.params["fixed_flow_is_mass"] > 0.5, grp.params["fixed_flow"],
                   grp.params["fixed_flow"] * rho_edge[i]) * cn.count[i]
    q = np.zeros(cn.n_nodes)
    if cn.flow_nodes.size:
        np.add.at(q, cn.flow_nodes,
                  np.where(cn.flow_is_mass, cn.flow_value, cn.flow_value * rho_node[cn.flow_nodes]))
    return mff, q


def nodal_matrix(cn, w_free: np.ndarray) -> sp.csr_matrix:
    """The nodal matrix A_u^T W A_u over unknown-pressure nodes (CSR, SPD).

    Values are scattered into the sparsity pattern built at compile time.
    """
    nnz = cn.lap_indices.size
    data = np.bincount(cn.lap_slot, weights=cn.lap_sign * w_free[cn.lap_edge], minlength=nnz)
    nu = cn.unknown_nodes.size
    return sp.csr_matrix((data, cn.lap_indices, cn.lap_indptr), shape=(nu, nu))


class NodalSolver:
    """Factorises and solves the SPD nodal system; keeps the ordering across calls.

    ``method="splu"``: SuperLU with a symmetric minimum-degree ordering computed
    on the first factorisation and reused (the pattern never changes), so later
    factorisations skip the ordering step. ``method="cg"``: conjugate gradients
    with a Jacobi preconditioner, warm-started; falls back to LU if it stalls.
    The last factorisation is kept so that :meth:`resolve` (mass-balance
    polishing) costs only two triangular solves.
    """

    def __init__(self, method: str = "splu") -> None:
        self.method = "splu" if method == "auto" else method
        self.perm = None
        self.factorisations = 0
        self._lu = None
        self._L = None
        self._permuted = False

    def solve(self, L: sp.csr_matrix, rhs: np.ndarray, x0: np.ndarray | None = None) -> np.ndarray:
        """Solve ``L x = rhs`` for a new matrix ``L``."""
        if L.shape[0] == 0:
            return np.zeros(0)
        self._L = L
        if self.method == "cg" and x0 is not None:
            dinv = 1.0 / L.diagonal()
            M = spla.LinearOperator(L.shape, matvec=lambda v: dinv * v)
            x, info = spla.cg(L, rhs, x0=x0, M=M, rtol=1e-13, atol=0.0, maxiter=5000)
            if info == 0:
                self._lu = None
                return x
        self._factor(L)
        return self.resolve(rhs)

    def resolve(self, rhs: np.ndarray) -> np.ndarray:
        """Solve with the last matrix (its factorisation if there is one)."""
        if rhs.size == 0:
            return np.zeros(0)
        if self._lu is None:
            self._factor(self._L)
        if not self._permuted:
            return self._lu.solve(rhs)
        p = self.perm
        x = np.empty_like(rhs)
        x[p] = self._lu.solve(rhs[p])
        return x

    def _factor(self, L: sp.csr_matrix) -> None:
        self.factorisations += 1
        if self.perm is None:
            # first factorisation: SuperLU finds the ordering; keep it for later ones
            self._lu = spla.splu(L.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                                 options=dict(SymmetricMode=True))
            self.perm = self._lu.perm_c.copy()
            self._permuted = False
            return
        p = self.perm
        Lp = L[p][:, p].tocsc()
        self._lu = spla.splu(Lp, permc_spec="NATURAL", diag_pivot_thresh=0.0,
                             options=dict(SymmetricMode=True))
        self._permuted = True


def _floor(d: np.ndarray) -> np.ndarray:
    """Floor edge derivatives so the nodal matrix stays regular.

    Ideal edges (no pressure drop) and quadratic laws at zero flow have a zero
    derivative; they get 1e-7 of the median positive derivative (EPANET uses a
    similar small floor). Only the Jacobian changes; the residual stays exact,
    so the converged answer does not depend on the floor.
    """
    pos = d[d > 0]
    ref = float(np.median(pos)) if pos.size else 1.0
    return np.maximum(d, 1e-5 * ref)


def solve_hydraulics(cn, rho_edge: np.ndarray, mu_edge: np.ndarray, rho_node: np.ndarray,
                     options: SolverOptions, m0: np.ndarray | None = None,
                     p0: np.ndarray | None = None, solver: NodalSolver | None = None) -> SolveResult:
    """Solve the steady hydraulics for given fluid properties.

    Parameters
    ----------
    cn : CompiledNetwork
    rho_edge, mu_edge : numpy.ndarray
        Density [kg/m³] and viscosity [Pa s] at each edge.
    rho_node : numpy.ndarray
        Density at each node [kg/m³] (volume flow boundaries).
    options : SolverOptions
    m0, p0 : numpy.ndarray, optional
        Warm start: edge mass flows [kg/s] and node pressures [Pa].
    solver : NodalSolver, optional
        Reused across calls to keep the ordering.

    Returns
    -------
    SolveResult
        ``state`` holds ``mass_flow`` (E), ``pressure`` (N), ``loss`` (E).
    """
    solver = solver or NodalSolver(options.linear_solver)
    N, E = cn.n_nodes, cn.n_edges
    free = cn.free_edges
    s_f, e_f = cn.start[free], cn.end[free]
    inc_free = cn.incidence[:, free].tocsr()
    unk = cn.unknown_nodes
    mff, q = fixed_flows(cn, rho_edge, rho_node)
    ff = cn.fixed_flow_edges
    inj = q.copy()
    if ff.size:
        np.add.at(inj, cn.end[ff], mff)
        np.subtract.at(inj, cn.start[ff], mff)
    b = rho_edge[free] * G * (cn.elevation[s_f] - cn.elevation[e_f])

    # gauge pressures relative to one reference per circuit: differences, not
    # absolute pressures of ~1e5 Pa, then carry the round-off
    ref = np.zeros(cn.n_circuits)
    ref[cn.node_circuit[cn.fixed_nodes]] = cn.fixed_pressure
    p_off = ref[cn.node_circuit]
    p = np.zeros(N)
    p[cn.fixed_nodes] = cn.fixed_pressure - p_off[cn.fixed_nodes]
    p_known = p.copy()
    if p0 is not None:
        p[unk] = p0[unk] - p_off[unk]
    m = np.zeros(E)
    m[ff] = mff
    cold = m0 is None
    if not cold:
        m[free] = m0[free]

    def residual(m_all, p_all):
        r, _ = edge_losses(cn, m_all, rho_edge, mu_edge)
        return p_all[s_f] - p_all[e_f] + b - r[free], r

    history: list[float] = []
    converged = False
    it = 0
    F, r = residual(m, p)
    dm_max = np.inf
    for it in range(1, options.max_newton + 1):
        r, d = edge_losses(cn, m, rho_edge, mu_edge)
        if cold and it == 1:
            # secant slope at a typical flow: a linear-resistance first step
            mt = typical_flow(cn, rho_edge)
            rt, _ = edge_losses(cn, mt, rho_edge, mu_edge)
            d = np.abs(rt) / mt
            r = r * 0.0
            mask_rise = np.isin(np.arange(E), cn.hgroups[HydraulicLaw.FIXED_RISE].idx)
            r_true, _ = edge_losses(cn, m, rho_edge, mu_edge)
            r = np.where(mask_rise, r_true, r)
            pc = cn.hgroups[HydraulicLaw.PUMP_CURVE].idx
            r[pc] = r_true[pc]   # shut-off head drives the first step
        d_f = _floor(d[free])
        w = 1.0 / d_f
        r_f = r[free]
        x = b - r_f - (p_known[e_f] - p_known[s_f])
        rhs_full = inc_free @ (m[free] + w * x) + inj
        L = nodal_matrix(cn, w)
        pu = solver.solve(L, rhs_full[unk], x0=p[unk] if not cold or it > 1 else None)
        p_new = p_known.copy()
        p_new[unk] = pu
        m_new = m.copy()
        m_new[free] = m[free] + w * (b - r_f - (p_new[e_f] - p_new[s_f]))
        # mass-balance polishing: the flow update amplifies round-off of the
        # pressures by the edge conductances w; one correction with the same
        # factorisation restores mass balance to round-off of the flows
        # (p' = p − δ, ṁ' = ṁ + w A δ with L δ = −mass residual).
        r_m = (inc_free @ m_new[free] + inj)[unk]
        if r_m.size:
            delta = np.zeros(N)
            delta[unk] = solver.resolve(-r_m)
            p_new = p_new - delta
            m_new[free] += w * (delta[e_f] - delta[s_f])
        # line search on the residual norm (mass balance is linear, so any step keeps it)
        F_old = F
        norm_old = float(np.linalg.norm(F_old))
        alpha = 1.0
        for _ in range(12):
            m_try = m + alpha * (m_new - m)
            p_try = p + alpha * (p_new - p)
            F_try, r_try = residual(m_try, p_try)
            if not (it > 1 or not cold) or np.linalg.norm(F_try) <= (1 - 1e-4 * alpha) * norm_old \
                    or norm_old == 0.0:
                break
            alpha *= 0.5
        dm_max = float(np.max(np.abs(m_try - m))) if E else 0.0
        m, p, F, r = m_try, p_try, F_try, r_try
        scale = max(float(np.max(np.abs(r))) if E else 0.0,
                    float(np.max(np.abs(b))) if b.size else 0.0, 1.0)
        res = float(np.max(np.abs(F))) / scale if F.size else 0.0
        history.append(res)
        mscale = max(float(np.max(np.abs(m))), 1e-12)
        log.debug("newton %d: residual %.3e, flow change %.3e, step %.3g", it, res,
                  dm_max / mscale, alpha)
        if res <= options.pressure_rtol and dm_max <= options.flow_rtol * mscale + 1e-14 \
                and not (cold and it == 1):
            converged = True
            break
        if res <= 1e-3 * options.pressure_rtol and not (cold and it == 1):
            converged = True
            break
    return SolveResult(converged=converged, iterations=it,
                       residual=history[-1] if history else 0.0, history=history,
                       state=dict(mass_flow=m, pressure=p + p_off, loss=r, residual_edge=F))
