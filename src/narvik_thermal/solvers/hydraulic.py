"""Steady hydraulics: Newton's method in the global-gradient form.

Unknowns are the mass flows of the free edges and the pressures of the nodes
without a pressure reference. Each free edge states

.. math:: F_e = p_s - p_e + \\rho g (z_s - z_e) - r_e(\\dot m_e) = 0

and each node states conservation of mass. Eliminating the diagonal edge block
of the Newton system gives the symmetric positive definite nodal system

.. math:: A^T D^{-1} A\\, p = A^T\\big(\\dot m + D^{-1}(b - r(\\dot m) - A_k p_k)\\big) + q

(Todini and Pilati's global gradient algorithm [1]_, the method of EPANET
[2]_), whose
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
import math

import numpy as np

from ..components.hydraulics import (CHECK_VALVE_BACK_RESISTANCE, N_CONSTANT_ARGUMENTS,
                                     compiled_laws, darcy_constants, edge_losses,
                                     law_arguments, typical_flow)
from ..components.kinds import FlowBasis, HydraulicLaw
from ..components.pump import G
from .nodal import PCG_RTOL, NodalSolver, ldl_analysis, nodal_matrix
from .options import SolveResult, SolverOptions
from . import _kernel_modules as kernels

__all__ = ["solve_hydraulics", "meets_tolerance", "nodal_matrix", "fixed_flows",
           "node_injections", "boundary_inflows", "NodalSolver",
           "ldl_analysis", "rated_point_overshoot", "RATED_POINT_OVERSHOOT"]

log = logging.getLogger(__name__)


_POWER_LAW = int(HydraulicLaw.POWER_LAW)
_FIXED_FLOW = int(HydraulicLaw.FIXED_FLOW)
_CONSUMER = int(HydraulicLaw.CONSUMER)
_MASS = int(FlowBasis.MASS)

#: Laws evaluated at zero flow before a cold start's first (linearised) step.
_COLD_LAWS = (HydraulicLaw.PUMP_CURVE, HydraulicLaw.CONSTANT_POWER, HydraulicLaw.FIXED_RISE,
              HydraulicLaw.IDEAL)


def fixed_flows(cn, rho_edge: np.ndarray, rho_node: np.ndarray, consumer_flow=None):
    """Flows imposed on edges [kg/s, aligned with ``cn.fixed_flow_edges``: fixed-flow
    pumps at their speed, then consumers] and by flow boundaries [kg/s, per node].

    ``consumer_flow`` is the total mass flow of each consumer edge (from
    :func:`narvik_thermal.components.thermal.consumer_flows`; zero when not given).
    """
    mff, q, _ = node_injections(cn, rho_edge, rho_node, consumer_flow)
    return mff, q


def boundary_inflows(cn, rho_node: np.ndarray) -> np.ndarray:
    """The flow boundaries' inflows [kg/s, per node]: the ``q`` of :func:`fixed_flows`
    alone, in one compiled call (:func:`._hydraulic_kernels.boundary_inflows`)."""
    flow_nodes, is_mass = _flow_boundaries(cn)
    return kernels.hydraulic().boundary_inflows(
        flow_nodes, is_mass, np.ascontiguousarray(cn.flow_value, dtype=float),
        np.ascontiguousarray(rho_node, dtype=float), cn.n_nodes)


def _flow_boundaries(cn):
    """Per topology, kept on the compiled network: the flow boundaries' nodes (int64)
    and whether each is a mass flow (bool)."""
    kept = cn.cache.get("flow_boundaries")
    if kept is None:
        kept = cn.cache["flow_boundaries"] = (
            np.ascontiguousarray(cn.flow_nodes, dtype=np.int64),
            np.ascontiguousarray(cn.flow_is_mass, dtype=np.bool_))
    return kept


def node_injections(cn, rho_edge: np.ndarray, rho_node: np.ndarray, consumer_flow=None):
    """The flows imposed on the network and what they inject at each node.

    Returns
    -------
    mff, q, inj : numpy.ndarray
        ``mff`` and ``q`` as :func:`fixed_flows` gives them [kg/s]; ``inj`` [kg/s, per
        node]: ``q`` plus each imposed flow in at its edge's end node and out at its
        start node (the mass the fixed edges and boundaries put into each node). One
        compiled call (:func:`._hydraulic_kernels.injections`).
    """
    args = _injection_args(cn, rho_edge, rho_node, consumer_flow)
    if args is None:
        # nothing imposed (a closed loop of pumps with curves): no kernel to load
        return np.zeros(0), np.zeros(cn.n_nodes), np.zeros(cn.n_nodes)
    return kernels.hydraulic().injections(*args)


def _injection_args(cn, rho_edge, rho_node, consumer_flow):
    """The arguments of :func:`._hydraulic_kernels.injections` for :func:`node_injections`
    (None when nothing is imposed). Those of the fixed-flow pumps and of the topology
    are kept on the compiled network while its groups are the same (as
    :func:`~narvik_thermal.components.hydraulics.law_arguments` keeps the laws')."""
    kept = cn.cache.get("injection_arguments")
    if kept is None or kept[0] is not cn.hgroups:
        kept = _kept_injection_arguments(cn)
    fixed = kept[1]
    if fixed is None:
        return None
    nc = kept[2]
    if consumer_flow is None or not nc:
        consumer_flow = np.zeros(nc)
    idx, basis, flow, speed, ff_start, ff_end, flow_nodes, is_mass = fixed
    return (idx, basis, flow, speed, np.asarray(cn.count, dtype=float),
            np.ascontiguousarray(rho_edge, dtype=float), _MASS,
            np.ascontiguousarray(consumer_flow, dtype=float), flow_nodes, is_mass,
            np.ascontiguousarray(cn.flow_value, dtype=float),
            np.ascontiguousarray(rho_node, dtype=float), cn.n_nodes, ff_start, ff_end)


def _kept_injection_arguments(cn):
    """``(groups, fixed, consumers)`` for :func:`_injection_args`: the fixed-flow pumps'
    edges, flow bases (int64), flows and speeds (their groups' own arrays, which the
    controls move in place), the fixed-flow edges' ends, the flow boundaries' nodes and
    bases (``fixed``; None when nothing is imposed) and the number of consumers; kept
    on the compiled network unless a float parameter had to be converted."""
    grp = cn.hgroups[_FIXED_FLOW]
    P = grp.params
    nc = cn.hgroups[_CONSUMER].idx.size
    fixed = None
    own = True
    if grp.idx.size or nc or cn.flow_nodes.size:
        ff = cn.fixed_flow_edges
        flow = np.ascontiguousarray(P["fixed_flow"], dtype=float)
        speed = np.ascontiguousarray(P["speed"], dtype=float)
        own = flow is P["fixed_flow"] and speed is P["speed"]
        fixed = (grp.idx, np.ascontiguousarray(P["flow_basis"], dtype=np.int64), flow, speed,
                 np.ascontiguousarray(cn.start[ff], dtype=np.int64),
                 np.ascontiguousarray(cn.end[ff], dtype=np.int64)) + _flow_boundaries(cn)
    kept = (cn.hgroups, fixed, nc)
    if own:
        cn.cache["injection_arguments"] = kept
    return kept


def _mass_balanced(node_residual: np.ndarray, unk: np.ndarray, m: np.ndarray) -> bool:
    """Mass balance of the unknown-pressure nodes holds to round-off of the flows."""
    res = node_residual[unk]
    return res.size == 0 or float(np.max(np.abs(res))) <= 1e-12 * max(float(np.max(np.abs(m))),
                                                                      1e-12)


def _floor_reference(cn, d: np.ndarray, m: np.ndarray, first_cold: bool) -> float:
    """Floor of the edge derivatives, so that the nodal matrix stays regular.

    Ideal edges (no pressure drop), quadratic laws at zero flow and pumps at
    the top of their curve have a zero derivative, and a pump whose head
    rises with flow (near shut-off) a negative one; the conductances
    (:func:`narvik_thermal.solvers._hydraulic_kernels.gga_conductance`) use at least 1e-5 of the
    median positive derivative ``d`` of the *resistive* edges (pipes,
    rated-point components, valves) at the first iteration, the role of
    EPANET's ``RQtol`` (Rossman et al., EPANET 2.2, ``hydcoeffs.c``). Pumps and
    ideal edges are left out of the median: their derivative is no resistance
    scale, and many pumps near shut-off would otherwise pull the floor, and
    with it the condition of the nodal matrix, towards round-off. So are leak
    resistances (shut valves, check valves against their flow,
    :data:`_LEAK_SCALE` and above): a shut stub on a loop of two resistive
    edges lifted the floor to 10⁻⁵ of 10¹⁰ Pa s/kg and stalled the Newton
    steps of the loop's ideal edges. So are edges whose flow is at most
    :data:`_FLOOR_FLOW_SHARE` of the largest (a warm start from a stopped loop's
    flows of 10⁻³⁵ kg/s put the floor at 10⁻²⁷ Pa s/kg, conductances of 10²¹ beside
    0.02, and a pivot that cancelled to zero). Only the
    Jacobian changes; the residual stays exact, so the converged answer does
    not depend on the floor. (One compiled call,
    :func:`narvik_thermal.solvers._hydraulic_kernels.floor_reference`: ``np.median``'s
    value, without its 20–30 µs of calls.) ``d`` and ``m``: the edges' derivatives and
    flows; ``first_cold``: the linearised first step of a cold start, whose flows are
    no guide (every resistive edge counts).
    """
    topology = _topology(cn)
    return kernels.hydraulic().floor_reference(
        np.ascontiguousarray(d, dtype=float), np.ascontiguousarray(m, dtype=float),
        topology[2], topology[9], not first_cold, _FLOOR_FLOW_SHARE, _LEAK_SCALE)


#: The floor's median leaves out edges whose flow is at most this share of the largest
#: (:func:`_floor_reference`).
_FLOOR_FLOW_SHARE = 1e-6


#: Derivatives [Pa s/kg] at or above this are leak resistances (shut or closed check
#: valves, :data:`~narvik_thermal.components.hydraulics.CHECK_VALVE_BACK_RESISTANCE`).
_LEAK_SCALE = 0.1 * CHECK_VALVE_BACK_RESISTANCE


#: A rated-point edge whose Newton flow exceeds the flow its law passes at the new
#: pressures by more than this factor takes the law's flow (:func:`rated_point_overshoot`).
RATED_POINT_OVERSHOOT = 1.5


def rated_point_overshoot(cn, consts, rho, m_new, res_node, p_new, b) -> int:
    """Newton flows of rated-point edges replaced by their law's flow where they overshoot
    (a step of :func:`solve_hydraulics`).

    Newton's flow update of a quadratic law ``r = a ṁ|ṁ|`` towards a loss ``h``
    from ``ṁ ≫ ṁ* = √(h/a)`` is ``(ṁ + ṁ*²/ṁ)/2``: it only halves the excess, so a
    consumer whose converged flow is small beside an early iterate (a heat load
    of a meshed network that the first steps drove hard) takes
    ``log₂(ṁ/ṁ*)`` Newton steps, each a factorisation, while its residual falls
    four-fold per step. Where the Newton flow of a rated-point edge exceeds the
    flow its own law passes at the new pressures (:func:`rated_point_flows`,
    the loss ``b − (p_e − p_s)``) by more than :data:`RATED_POINT_OVERSHOOT`
    in the same direction (``|ṁ_N| > 1.5 |ṁ_law|``, same sign; near the solution
    the two agree to second order and nothing changes), that flow is taken — a
    nonlinear elimination of the edge's flow (Lanzkron, Rose & Wilkes, "An
    analysis of approximate nonlinear elimination", *SIAM J. Sci. Comput.* 17(2),
    538–559, 1996) — and the mass residual ``res_node`` updated, in place (the caller's mass-balance
    polish, one solve with the same matrix, restores the balance; such an
    edge's small conductance keeps its flow there). ``m_new`` in place too.
    Returns the number of edges changed.

    A Newton flow across zero (the law's flow of the other sign) is left to
    Newton: there the new pressures are no guide (a loop whose only pump has
    stopped drove its controls to a "converged" state of 10¹⁸ °C when such
    flows were taken).
    """
    args = _rated_point_args(cn, consts)
    if args is None:
        return 0
    idx, free_pos, start, end, dp_rated, Vr, n, inv = args
    return int(kernels.hydraulic().rated_point_overshoot(
        idx, free_pos, start, end, p_new, b, dp_rated, Vr, n, inv, RATED_POINT_OVERSHOOT,
        m_new, res_node))


def _rated_point_args(cn, consts):
    """The rated-point edges, their positions among the free edges (−1: not free), the
    edges' start and end nodes (:func:`_rated_point_topology`), and the factors of their
    law (``dp_rated``, rated volume flow, exponent, ``1/(count ρ)``) as
    :func:`rated_point_overshoot` passes them to its kernel; None without rated-point
    edges."""
    grp = cn.hgroups[_POWER_LAW]
    if not grp.idx.size:
        return None
    k = consts["power"]
    return _rated_point_topology(cn) + (
        np.ascontiguousarray(grp.params["dp_rated"], dtype=float), k["Vr"],
        np.ascontiguousarray(grp.params["dp_exponent"], dtype=float), k["inv"])


def _rated_point_topology(cn):
    """Per topology, kept on the compiled network: the rated-point edges, each one's
    position among the free edges (−1: not free), and all edges' start and end nodes
    (contiguous int64)."""
    kept = cn.cache.get("rated_point_topology")
    if kept is None:
        grp = cn.hgroups[_POWER_LAW]
        pos = np.full(cn.n_edges, -1, np.int64)
        pos[cn.free_edges] = np.arange(cn.free_edges.size)
        kept = cn.cache["rated_point_topology"] = (
            np.ascontiguousarray(grp.idx, dtype=np.int64), pos[grp.idx],
            np.ascontiguousarray(cn.start, dtype=np.int64),
            np.ascontiguousarray(cn.end, dtype=np.int64))
    return kept


#: no rated-point edges, as :func:`solve_hydraulics` passes them to its kernel
_NO_RATED = ((np.zeros(0, np.int64),) * 4 + (np.zeros(0),) * 4)


def _topology(cn):
    """Per topology, kept on the compiled network: the free edges' start and end nodes
    and the free edges (contiguous int64, as the kernels take them), the mask of
    ideal and fixed-rise edges, the pump edges, (contiguous int64) the
    unknown-pressure nodes, the fixed-pressure nodes, each node's circuit and the
    fixed-flow edges, and the mask of resistive edges (neither ideal nor pumps: those
    of :func:`_floor_reference`)."""
    kept = cn.cache.get("hydraulic_topology")
    if kept is None:
        free = np.ascontiguousarray(cn.free_edges, dtype=np.int64)
        ideal = np.zeros(cn.n_edges, bool)
        ideal[cn.hgroups[HydraulicLaw.IDEAL].idx] = True
        ideal[cn.hgroups[HydraulicLaw.FIXED_RISE].idx] = True
        pumps = np.concatenate([cn.hgroups[HydraulicLaw.PUMP_CURVE].idx,
                                cn.hgroups[HydraulicLaw.CONSTANT_POWER].idx])
        resistive = ~ideal
        resistive[pumps] = False
        kept = cn.cache["hydraulic_topology"] = (
            np.ascontiguousarray(cn.start[free], dtype=np.int64),
            np.ascontiguousarray(cn.end[free], dtype=np.int64), free, ideal, pumps,
            np.ascontiguousarray(cn.unknown_nodes, dtype=np.int64),
            np.ascontiguousarray(cn.fixed_nodes, dtype=np.int64),
            np.ascontiguousarray(cn.node_circuit, dtype=np.int64),
            np.ascontiguousarray(cn.fixed_flow_edges, dtype=np.int64), resistive)
    return kept


def _warm_values(x, idx, n):
    """``x`` as a contiguous float array of ``n`` values for :func:`solve_hydraulics`'s
    start kernel, which reads it at ``idx``; where it is not one already, its values
    at ``idx`` gathered into zeros (an index ``x`` lacks raises as ``x[idx]`` does)."""
    if type(x) is np.ndarray and x.dtype is _FLOAT and x.ndim == 1 and x.size == n \
            and x.flags.c_contiguous:
        return x              # (the tests cost a third of the general ones below)
    x = np.asarray(x)
    if x.ndim == 1 and x.size == n and x.dtype == float:
        return np.ascontiguousarray(x)
    full = np.zeros(n)
    full[idx] = x[idx]
    return full


_FLOAT = np.dtype(float)


#: empty arrays standing for an absent argument of the kernels
_NONE_FLOAT = np.zeros(0)


def solve_hydraulics(cn, rho_edge: np.ndarray, mu_edge: np.ndarray, rho_node: np.ndarray,
                     options: SolverOptions, m0: np.ndarray | None = None,
                     p0: np.ndarray | None = None, solver: NodalSolver | None = None,
                     consumer_flow: np.ndarray | None = None) -> SolveResult:
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
    consumer_flow : numpy.ndarray, optional
        Mass flow of each consumer edge [kg/s] (imposed like a fixed-flow pump).

    Returns
    -------
    SolveResult
        ``state`` holds ``mass_flow`` (E), ``pressure`` (N), ``loss`` (E).
    """
    solver = solver or NodalSolver(cn, options.linear_solver)
    N, E = cn.n_nodes, cn.n_edges
    s_f, e_f, free, ideal, pumps, unk, fixed_nodes, node_circuit, ff, resistive = _topology(cn)
    K = kernels.hydraulic()
    # static heads: zero on level networks (no pass over the edges then)
    dz = cn.cache.get("dz_free", False)
    if dz is False:
        dz = cn.elevation[s_f] - cn.elevation[e_f]
        dz = cn.cache["dz_free"] = dz if np.any(dz) else None
    cold = m0 is None
    inj_args = _injection_args(cn, rho_edge, rho_node, consumer_flow)
    if inj_args is None:          # nothing imposed: the kernel's empty groups
        inj_args = _no_injections(cn, rho_edge, rho_node)
    # the imposed flows and the nodes' injections (node_injections), the static heads
    # b and max |b|; gauge pressures relative to one reference per circuit
    # (differences, not absolute pressures of ~1e5 Pa, then carry the round-off):
    # p_off per node, p (warm: p0 at the unknown nodes) and p_known; the flows m
    start = (N, E, cn.n_circuits, node_circuit, fixed_nodes,
             np.ascontiguousarray(cn.fixed_pressure, dtype=float), unk,
             _warm_values(p0, unk, N) if p0 is not None else _NONE_FLOAT, p0 is not None,
             free, _warm_values(m0, free, E) if not cold else _NONE_FLOAT)
    floor_ref = solver.floor_ref
    # a warm start whose laws are all compiled (_fused_laws) starts in one compiled
    # call (gga_begin: the start, the losses, the residual and the first step's nodal
    # system) and ends each Newton step after its nodal solve in one or two
    # (_fused_step): the same arithmetic as the calls of the general steps below,
    # without the Python between them
    fused = _fused_laws(cn) if not cold else None
    consts = None
    if fused is not None:
        # the buffers in which gga_begin keeps the laws' constants for the later steps
        law_consts = (np.empty(fused[6][0]), np.empty(fused[6][1], np.bool_))
        # (the floor of a solver without one is its first Newton step's: kept below,
        # once a step is taken)
        (m, p, r, F, inj, b, p_off, p_known, w, rhs_u, p_u, b_max, fmax, r_max,
         first_floor) = K.gga_begin(
            *start, dz if dz is not None else _NONE_FLOAT, *inj_args[:6], *inj_args[7:12],
            *inj_args[13:], ff, s_f, e_f, floor_ref or 0.0, floor_ref is not None,
            resistive, _FLOOR_FLOW_SHARE, _LEAK_SCALE, mu_edge, *fused[0], *law_consts)
    else:
        _, inj, b, b_max, p_off, p, p_known, m = K.gga_start(
            *start, not cold, G, dz if dz is not None else _NONE_FLOAT, *inj_args[:12],
            *inj_args[13:], ff)
        consts = darcy_constants(cn, rho_edge, mu_edge)
        # a cold start needs only the pumps' and ideal edges' laws at zero flow
        r, d = edge_losses(cn, m, rho_edge, mu_edge, consts,
                           laws=_COLD_LAWS if cold and p0 is None else None)
        F, fmax, _, _, r_max, _ = K.gga_check(p, r, free, s_f, e_f, b, np.zeros(free.size),
                                              r, m)
    history: list[float] = []
    converged = False
    it = 0
    flow_change = float("inf")
    if not cold and p0 is not None:
        scale0 = max(r_max, b_max, 1.0)
        res0 = fmax / scale0
        if res0 <= options.pressure_rtol and _mass_balanced(
                np.bincount(e_f, m[free], N) - np.bincount(s_f, m[free], N) + inj, unk, m):
            return SolveResult(converged=True, iterations=0, residual=res0, history=[res0],
                               flow_change=0.0,
                               state=dict(mass_flow=m, pressure=p + p_off, loss=r,
                                          residual_edge=F))
    rated = _rated_point_args(cn, consts) if fused is None else None
    rated = rated or _NO_RATED
    for it in range(1, options.max_newton + 1):
        first_cold = cold and it == 1
        r_lin = r
        if fused is not None and it == 1:
            floor_ref = solver.floor_ref = first_floor
        else:
            d_lin = d
            if first_cold:
                # secant slope at a typical flow: a linear-resistance first step, driven
                # by pump heads (shut-off head for curves), static heads and boundaries
                mt = typical_flow(cn, rho_edge)
                rt, dt = edge_losses(cn, mt, rho_edge, mu_edge, consts)
                d_lin = np.where(ideal, 0.0, np.abs(rt) / mt)
                d_lin[pumps] = np.abs(d[pumps])
                r_lin = np.where(ideal, r, 0.0)
                r_lin[pumps] = r[pumps]
                # constant-power pumps: their tangent at the typical flow (at zero
                # flow they sit on the shut-off cap, far from any operating point)
                pw = cn.hgroups[HydraulicLaw.CONSTANT_POWER].idx
                d_lin[pw] = dt[pw]
                r_lin[pw] = rt[pw] - dt[pw] * mt[pw]
            if floor_ref is None:
                floor_ref = solver.floor_ref = _floor_reference(cn, d_lin, m, first_cold)
            # conductances w, the right-hand side and the start at the unknown nodes
            w, rhs_u, p_u = K.gga_system(d_lin, free, floor_ref, m, r_lin, s_f, e_f, b,
                                         p_known, inj, unk, p)
        pu = solver.solve(w, rhs_u, x0=p_u if not first_cold else None)
        # new pressures and flows, and the mass residual at the unknown nodes. Before
        # the mass-balance polish, rated points that overshoot take their law's flow
        # (rated_point_overshoot; the polish balances that too)
        # mass-balance polishing: the flow update amplifies round-off of the
        # pressures by the edge conductances w (and the mass residual is that of
        # the linear solve, when it was solved by iterations); one correction
        # with the same matrix restores mass balance to round-off of the flows
        # (p' = p − δ, ṁ' = ṁ + w A δ with L δ = −mass residual)
        # then the losses at the new flows, the residual F, its slope, the slope's
        # shift from the old losses (−Δṁ·F(p_new, r) = g1 − shift) and the scales
        # max |r|, max |ṁ|
        if fused is not None:
            p_new, m_new, dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max, m_max = \
                _fused_step(cn, fused, solver, pu, p_known, unk, m, r, free, s_f, e_f, w, b,
                            inj, rho_edge, law_consts)
        else:
            p_new, m_new, r_m, big = K.gga_update(
                pu, p_known, unk, m, r_lin, free, s_f, e_f, w, b, inj,
                not first_cold and rated is not _NO_RATED, *rated, RATED_POINT_OVERSHOOT)
            if r_m.size and not first_cold:       # the rough first step needs no polish
                du = solver.resolve(-r_m, atol=PCG_RTOL * big)
                dm, dm_max = K.gga_polish_step(p_new, du, unk, m_new, free, s_f, e_f, w, m)
            else:
                dm, dm_max = K.gga_step(m_new, m, free)
            r1, d1 = edge_losses(cn, m_new, rho_edge, mu_edge, consts)
            F1, fmax1, g1, shift, r_max, m_max = K.gga_check(p_new, r1, free, s_f, e_f, b, dm,
                                                              r, m_new)
        # line search on the convex co-content Φ(ṁ) = Σ ∫ r dṁ − b ṁ + ṁ A p_k, whose
        # derivative along a mass-balanced direction Δṁ is φ'(α) = −Δṁ·F(ṁ + αΔṁ)
        # (the unknown pressures drop out). Newton's direction descends; accept
        # α = 1 unless it overshoots the minimum along the line, else regula falsi.
        alpha = 1.0
        if not first_cold:
            g0 = g1 - shift
            if g0 < 0 and g1 > -0.9 * g0:
                if consts is None:
                    consts = darcy_constants(cn, rho_edge, mu_edge)
                lo, glo, hi, ghi = 0.0, g0, 1.0, g1
                for _ in range(8):
                    a_try = lo - glo * (hi - lo) / (ghi - glo)
                    a_try = min(max(a_try, lo + 0.02 * (hi - lo)), hi - 0.02 * (hi - lo))
                    m_try = m + a_try * (m_new - m)
                    r1, d1 = edge_losses(cn, m_try, rho_edge, mu_edge, consts)
                    g = K.gga_residual(p_new, r1, free, s_f, e_f, b, dm)[2]
                    alpha = a_try
                    if abs(g) <= 0.5 * abs(g0):
                        break
                    if g < 0:
                        lo, glo = a_try, g
                    else:
                        hi, ghi = a_try, g
                m_new = m + alpha * (m_new - m)
                dm_max *= alpha
                F1, fmax1, _, _, r_max, m_max = K.gga_check(p_new, r1, free, s_f, e_f, b,
                                                            np.zeros(free.size), r1, m_new)
        m, p, F, r, d = m_new, p_new, F1, r1, d1
        scale = max(r_max, b_max, 1.0)
        res = fmax1 / scale if F.size else 0.0
        history.append(res)
        if not (math.isfinite(res) and math.isfinite(scale) and math.isfinite(dm_max)):
            # a NaN or infinite residual, loss or flow is never converged, and more
            # Newton steps cannot mend it: stop and report it
            res = history[-1] = float("nan") if not math.isfinite(res) else res
            break
        mscale = max(m_max, 1e-12)
        log.debug("newton %d: residual %.3e, flow change %.3e, step %.3g", it, res,
                  dm_max / mscale, alpha)
        if first_cold:
            continue
        flow_change = max(dm_max - 1e-14, 0.0) / mscale     # 1e-14 kg/s: round-off
        if _within(res, flow_change, options):
            converged = True
            break
    return SolveResult(converged=converged, iterations=it,
                       residual=history[-1] if history else 0.0, history=history,
                       state=dict(mass_flow=m, pressure=p + p_off, loss=r, residual_edge=F),
                       flow_change=flow_change)


def _fused_laws(cn):
    """``(law_arguments(cn), rated, free_pos, start, end, laws, sizes)`` when every law
    of ``cn``'s edges is compiled
    (:func:`~narvik_thermal.components.hydraulics.compiled_laws`): the fused calls of
    :func:`solve_hydraulics` then give its Newton steps, with the rated points'
    overshoot when there are rated points (``rated``; their places among the free
    edges and all edges' ends, :func:`_rated_point_topology`); ``laws``, the law
    arguments the later steps take beside the laws' constants (the groups' edges and
    the arguments after those of ``law_constants``: the tail of
    :func:`._hydraulic_kernels.gga_finish`'s); ``sizes``, those of the buffers that keep
    the constants (floats and flags, as
    :func:`~narvik_thermal.components._hydraulic_kernels.keep_constants` lays them
    out). None otherwise. Kept on the compiled network with the law arguments it
    holds."""
    kept = cn.cache.get("fused_laws")
    law = law_arguments(cn)
    if kept is not None and kept[0] is law:
        return kept[1]
    fused = None
    if compiled_laws(cn):
        rated = cn.hgroups[_POWER_LAW].idx.size > 0
        laws = (law[0], law[5], law[8], law[10], law[16]) + law[N_CONSTANT_ARGUMENTS:]
        nd, npl, nc, nv, nf = (x.size for x in laws[:5])
        fused = ((law, rated) + (_rated_point_topology(cn) if rated else _NO_RATED)[1:4]
                 + (laws, (5 * nd + 2 * npl + nc + nv + nf, 2 * nv)))
    cn.cache["fused_laws"] = (law, fused)
    return fused


def _fused_step(cn, fused, solver, pu, p_known, unk, m, r, free, s_f, e_f, w, b, inj, rho_edge,
                consts):
    """A warm Newton step of :func:`solve_hydraulics` after its nodal solve ``pu``, in
    one compiled call when the solver solved the system directly with the compiled
    LDLᵀ (:func:`._hydraulic_kernels.gga_advance`, the polish's solve with its factors
    included), else in two around the polish's :meth:`NodalSolver.resolve`
    (:func:`._hydraulic_kernels.gga_finish`): the update, the rated points' overshoot,
    the polish, the losses at the new flows and the residual. ``consts``: the buffers
    in which :func:`._hydraulic_kernels.gga_begin` kept the laws' constants of this
    solve.

    Returns ``(p_new, m_new, dm, dm_max, r1, d1, F1, fmax1, g1, shift, r_max, m_max)``.
    """
    K = kernels.hydraulic()
    _, rated, free_pos, start, end, laws, _ = fused
    factors = solver.direct_factors()
    count = np.asarray(cn.count, dtype=float)
    out = K.gga_advance(pu, p_known, unk, m, r, free, s_f, e_f, w, b, inj, rated, free_pos,
                        start, end, RATED_POINT_OVERSHOOT, factors is not None,
                        *(factors or _NO_FACTORS), count, rho_edge, *consts, *laws)
    p_new, m_new, r_m, big, done = out[:5]
    if done:
        return (p_new, m_new) + out[5:]
    du = solver.resolve(-r_m, atol=PCG_RTOL * big)
    return (p_new, m_new) + K.gga_finish(p_new, du, True, unk, m_new, free, s_f, e_f, w, m,
                                              b, r, count, rho_edge, *consts, *laws)


#: no factors, as :func:`_fused_step` passes them to its kernel
_NO_FACTORS = (0, np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0),
               np.zeros(0, np.int64))


def _no_injections(cn, rho_edge, rho_node):
    """:func:`_injection_args` for a network on which nothing is imposed: empty groups."""
    i0 = np.zeros(0, np.int64)
    return (i0, i0, _NONE_FLOAT, _NONE_FLOAT, np.asarray(cn.count, dtype=float),
            np.ascontiguousarray(rho_edge, dtype=float), _MASS, _NONE_FLOAT, i0,
            np.zeros(0, np.bool_), _NONE_FLOAT, np.ascontiguousarray(rho_node, dtype=float),
            cn.n_nodes, i0, i0)


def _within(res: float, flow_change: float, options: SolverOptions) -> bool:
    """The Newton convergence test: relative residual within ``pressure_rtol`` and the
    last step's relative flow change within ``flow_rtol`` (or the residual a
    thousandth of its tolerance, where round-off keeps the step from vanishing)."""
    return res <= options.pressure_rtol and (flow_change <= options.flow_rtol
                                             or res <= 1e-3 * options.pressure_rtol)


def meets_tolerance(result: SolveResult, options: SolverOptions) -> bool:
    """Whether a converged hydraulic solve also meets the tolerances of ``options``
    (a warm-started solve to a loose tolerance often lands within the full one)."""
    return result.converged and _within(result.residual, result.flow_change, options)
