"""Coupled steady solve: hydraulics ↔ heat transport ↔ temperature-dependent properties.

Outer loop (a fixed-point iteration):

1. properties (ρ, μ at each edge's mean temperature) from the current temperatures;
2. hydraulics by Newton (:mod:`.hydraulic`), warm-started from the last flows;
3. heat transport as one sparse linear system in enthalpy
   (:mod:`narvik_thermal.solvers.thermal`),
   with temperature-dependent laws linearised about the current temperatures;
4. repeat until node temperatures change less than ``temperature_tol``.

Mass and energy balances per circuit are computed on the converged state and
stored in the result; a solve that does not converge raises
:class:`~narvik_thermal.errors.ConvergenceError` naming the worst residuals.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np

from ..components.base import same_array
from ..components.kinds import HeatPumpMode, HydraulicLaw, ThermalLaw
from ..components.pump import G
from ..components.thermal import (consumer_flows, consumer_flows_at, consumer_law_arguments,
                                  edge_heat_coefficients, heat_law_arguments)
from ..errors import ConvergenceError
from .coupled_parts import AmbientPipes, heat_pump_constants
from .fluid_map import FluidMap, boundary_temperatures, setpoint_enthalpies
from .hydraulic import NodalSolver, boundary_inflows, meets_tolerance, solve_hydraulics
from .options import SolverOptions
from .state import SteadyState
from .thermal import STAGNANT_FLOW, solve_thermal
from . import _kernel_modules as kernels

__all__ = ["solve_network", "OuterIterate", "coupling_within"]

log = logging.getLogger(__name__)

#: Hydraulic tolerance of the first outer iteration, while the temperatures (and so
#: the properties) are still guesses; later outer iterations take one Newton step each.
_LOOSE = 1e-2
#: The outer iteration is extrapolated (:class:`_Anderson1`) only while the temperature
#: change exceeds this multiple of ``temperature_tol``.
_ACCELERATE_ABOVE = 10.0
#: The consumers' flows and the heat pumps' source-side capacities are extrapolated
#: (:class:`_Mixer`) only with a mixing coefficient ``|γ|`` up to this bound (a steady
#: contraction of ratio λ gives γ = λ/(λ − 1): up to λ ≈ 0.91, and every alternating
#: mode, diverging ones included).
_MIX_GAMMA = 10.0


def _initial_temperature(cn, opts: SolverOptions) -> np.ndarray:
    """Start temperatures: the mean of the known temperatures of each circuit."""
    known_c, known_t = [], []
    pb = ~cn.is_tank
    known_c.append(cn.node_circuit[cn.fixed_nodes[pb]]); known_t.append(cn.bc_temperature[pb])
    if cn.flow_nodes.size:
        known_c.append(cn.node_circuit[cn.flow_nodes]); known_t.append(cn.flow_temperature)
    sg = cn.tgroups[ThermalLaw.SETPOINT]
    if len(sg):
        known_c.append(cn.edge_circuit[sg.idx]); known_t.append(sg.params["t_set"])
    if cn.hp_cond.size:
        known_c.append(cn.edge_circuit[cn.hp_cond])
        known_t.append(cn.hp_t_supply)
    amb = cn.tgroups[ThermalLaw.AMBIENT]
    if len(amb):
        known_c.append(cn.edge_circuit[amb.idx]); known_t.append(amb.params["ambient"])
    kc = np.concatenate(known_c) if known_c else np.empty(0, dtype=np.int64)
    kt = np.concatenate(known_t) if known_t else np.empty(0)
    default = float(kt.mean()) if kt.size else opts.initial_temperature
    sums = np.bincount(kc, weights=kt, minlength=cn.n_circuits)
    cnts = np.bincount(kc, minlength=cn.n_circuits)
    tc = np.where(cnts > 0, sums / np.maximum(cnts, 1), default)
    return tc[cn.node_circuit].astype(float)


class OuterIterate:
    """The state after one outer iteration's heat transport, as a ``between`` hook of
    :func:`solve_network` sees it: the attributes of a :class:`SteadyState` that
    control targets read (``temperature``, ``outlet_temperature`` — only at the
    edges the hook asked for, NaN elsewhere — ``mass_flow``, ``pressure``,
    ``density_edge``, ``upstream``) and the solve's ``record``."""

    __slots__ = ("temperature", "outlet_temperature", "mass_flow", "pressure",
                 "density_edge", "upstream", "record")

    def __init__(self, cn, fm, T, h_out, m, p, rho_e, up, record, outlet_edges,
                 outlet_known=None) -> None:
        self.temperature, self.mass_flow, self.pressure = T, m, p
        self.density_edge, self.upstream, self.record = rho_e, up, record
        self.outlet_temperature = np.full(cn.n_edges, np.nan)
        if len(outlet_edges):
            # (``outlet_known``: these outlets already evaluated from ``h_out``, the
            # same look-up element by element)
            self.outlet_temperature[outlet_edges] = (
                outlet_known[outlet_edges] if outlet_known is not None else
                fm.edge_at("temperature_h", h_out[outlet_edges], outlet_edges))


def solve_network(cn, opts: SolverOptions, initial: SteadyState | None = None,
                  fm: FluidMap | None = None, between=None) -> SteadyState:
    """Solve the coupled steady state of a compiled network.

    Parameters
    ----------
    cn : CompiledNetwork
    opts : SolverOptions
    initial : SteadyState, optional
        A previous state of the same network to warm-start from.
    fm : FluidMap, optional
        The fluid map of ``cn`` (made when not given).
    between : callable, optional
        Called after the heat transport of every outer iteration with an
        :class:`OuterIterate` (its outlet temperatures at ``between.outlet_edges``);
        returns True when it moved a hydraulic parameter (a valve opening, a pump's
        speed or flow, a flow boundary — what every outer iteration reads again).
        An iteration after which it moved cannot end the solve, and the change that
        follows it is not a plain fixed-point step (no contraction estimate, no
        extrapolation across it): the state returned is solved to the full
        tolerance with the parameters as they were left. Used by the controls to
        move their actuators between the outer iterations of one solve
        (:func:`narvik_thermal.solvers.control.solve_controlled`).

    Returns
    -------
    SteadyState
        ``converged=False`` with a ``message`` when the hydraulics or the
        coupling did not converge (``partial=True``: only flows and pressures of
        the last Newton iterate are meaningful).
    """
    t0 = time.perf_counter()
    solver = NodalSolver(cn, opts.linear_solver)
    solver.start_analysis()
    fm = fm or FluidMap(cn)
    N, E = cn.n_nodes, cn.n_edges
    s, e = cn.start, cn.end
    if initial is not None and initial.temperature.size == N and initial.mass_flow.size == E:
        T = initial.temperature.copy()
        m = initial.mass_flow.copy()
        p = initial.pressure.copy()
    else:
        T = _initial_temperature(cn, opts)
        m = None
        p = None

    # set-point enthalpies (set-points, return-temperature consumers)
    h_set_fixed = setpoint_enthalpies(cn, fm)
    h_set = h_set_fixed.copy()
    cons = _Consumers(cn, fm, opts.temperature_tol)

    hp = _HeatPumps(cn, fm)
    warm = (initial is not None and initial.temperature.size == N
            and initial.mass_flow.size == E and not getattr(initial, "partial", False))
    if warm:
        hp.warm_start(initial.heat_pumps)
    hx_edges, need_out = _outlet_edges(cn)
    # the hook's outlets among those (then read from the outlets evaluated anyway)
    outlets_known = between is not None and set(need_out.tolist()).issuperset(
        between.outlet_edges.tolist())
    # boundary nodes and their boundary temperatures (kept when no flow passes)
    boundary, T_bc = boundary_temperatures(cn)
    h_bc = fm.node("enthalpy_T", T_bc)
    # the fluids' tables as the compiled steps of an outer iteration take them
    outer_kernels = kernels.outer()
    look, inverse = fm.tables.lookup_arguments(), fm.tables.inverse_arguments()
    row_h, row_cp = fm.tables.row("enthalpy"), fm.tables.row("cp")
    row_rho, row_mu = fm.tables.row("density"), fm.tables.row("viscosity")
    # the heat laws' parameters, once a solve (``between`` moves hydraulic ones only)
    heat_laws = heat_law_arguments(cn)
    # the pipes that exchange heat with their surroundings (those without flow: ``still``)
    ambient = AmbientPipes(cn)
    record = dict(outer=0, newton=[], hydraulic_residual=[], temperature_change=[])
    T_prop = T.copy()
    relax = _NOT_RELAXED          # the relaxation of T_prop still to apply
    hx_info: dict = {}
    T_out_prev = None
    T_out_warm = None           # the evaporator outlets of the state warm-started from
    if warm and hp.warm and initial.outlet_temperature is not None \
            and initial.outlet_temperature.size == E \
            and np.all(np.isfinite(initial.outlet_temperature[cn.hp_evap])):
        T_out_warm = initial.outlet_temperature
    converged = False
    hyd = None
    rho_e = mu_e = rho_n = None
    full_hydraulics = True
    h = None
    one_step = None
    accel = _Anderson1() if opts.accelerate_coupling and opts.couple_properties else None
    # the enthalpies a warm start begins from (the first residual of the acceleration)
    h_start = (initial.enthalpy if warm and getattr(initial, "enthalpy", None) is not None
               and initial.enthalpy.size == N else None)
    # the ratio of the last two temperature changes measures the fixed-point map's
    # contraction from outer iteration plain_from + 1 on (the later of the two started
    # from the earlier's own output, and neither from under-relaxed properties)
    plain_from = 1
    moved_at = -3               # the last outer iteration after which ``between`` moved
    for outer in range(1, opts.max_outer + 1):
        if outer == 1 or opts.couple_properties:
            # density and viscosity at each edge's mean temperature, density at the nodes
            # (the property temperatures, relaxed after the last iteration, in the same
            # compiled call)
            T_prop, rho_n, rho_e, mu_e = outer_kernels.property_states(
                T_prop, *relax, fm.node_f, fm.t_min, fm.t_max, *look, row_rho, row_mu,
                *fm.ends, fm.edge_f)
        cons.update(T, h, m, rho_e)
        if outer == 1 or opts.couple_properties or cons.n:
            # inexact Newton while temperatures still move: the first outer iteration
            # converges the hydraulics loosely (the properties are still guesses),
            # later ones take one Newton step each, interleaved with the thermal
            # solve; the loop ends only with the hydraulics fully converged
            if opts.couple_properties and outer == 1:
                h_opts = opts.replace(pressure_rtol=max(opts.pressure_rtol, _LOOSE),
                                      flow_rtol=max(opts.flow_rtol, _LOOSE))
            elif opts.couple_properties:
                if one_step is None:          # made once per solve (validated each time)
                    one_step = opts.replace(max_newton=1)
                h_opts = one_step
            else:
                h_opts = opts
            try:
                hyd = solve_hydraulics(cn, rho_e, mu_e, rho_n, h_opts, m0=m, p0=p,
                                       solver=solver, consumer_flow=cons.flow)
                if (opts.couple_properties and outer == 1 and hyd.converged
                        and hyd.iterations == 0 and hyd.residual > opts.pressure_rtol):
                    # a warm start within the loose tolerance: take the one Newton step a
                    # later outer iteration would (a first iteration without a step
                    # reproduces the warm start's temperatures and changes nothing)
                    if one_step is None:
                        one_step = opts.replace(max_newton=1)
                    h_opts = one_step
                    hyd = solve_hydraulics(cn, rho_e, mu_e, rho_n, h_opts, m0=m, p0=p,
                                           solver=solver, consumer_flow=cons.flow)
            except ConvergenceError as exc:      # a singular Newton step
                record["outer"] = outer
                record["seconds"] = time.perf_counter() - t0
                m0 = m if m is not None else np.zeros(E)
                p0 = p if p is not None else np.full(N, np.nan)
                return _partial_state(cn, m0, p0, T, rho_e, mu_e, rho_n, record, str(exc))
            # within the full tolerance: also a loose first solve that landed there (a
            # warm start one Newton step from the answer)
            full_hydraulics = meets_tolerance(hyd, opts)
            record["newton"].append(hyd.iterations)
            record["hydraulic_residual"].append(hyd.residual)
            m = hyd.state["mass_flow"]
            p = hyd.state["pressure"]
            if not hyd.converged and not _finite(hyd.residual, m, p):
                record["outer"] = outer
                record["seconds"] = time.perf_counter() - t0
                return _partial_state(cn, m, p, T, rho_e, mu_e, rho_n, record,
                                      _non_finite_message(cn, hyd, m, p, outer))
            if not hyd.converged and (h_opts.max_newton == opts.max_newton
                                      or outer == opts.max_outer):
                F = np.abs(hyd.state["residual_edge"])
                worst = np.argsort(F)[::-1][:5]
                names = [cn.edge_names[cn.free_edges[k]] for k in worst]
                record["outer"] = outer
                record["seconds"] = time.perf_counter() - t0
                return _partial_state(
                    cn, m, p, T, rho_e, mu_e, rho_n, record,
                    f"hydraulics did not converge in {opts.max_newton} Newton iterations "
                    f"(outer iteration {outer}): relative residual {hyd.residual:.3e} > "
                    f"{opts.pressure_rtol:.1e}. Largest edge residuals [Pa]: "
                    + ", ".join(f"{n}: {F[k]:.3g}" for n, k in zip(names, worst))
                    + ". Check pump curves against the system curve, closed valves, and "
                      "ideal (zero-loss) loops." + _fixed_head_hint(cn, cn.free_edges[worst]))
        # flow directions and rises, the clamped node temperatures and their enthalpy and
        # specific heat, the specific heat at the mean temperature of heat-exchanger
        # sides (their capacity rates; no other edge needs it), the regularising
        # enthalpies, the stagnant limit (the heat pumps and the still pipes use it) and
        # the still pipes, in one compiled call (``edge_states``)
        (up, dn), (rise, cp_e), (Tc, h_k, cp_k, h_def), no_flow, still_at = \
            outer_kernels.edge_states(
                m, s, e, p, rho_e, G, cn.elevation, T, fm.node_f, fm.t_min, fm.t_max, *look,
                row_h, row_cp, hx_edges, fm.edge_f,
                T_out_prev if T_out_prev is not None else _NO_OUTLETS, boundary, h_bc,
                ambient.idx, STAGNANT_FLOW)
        ext_in, h_ext, supply = _external_inflow(cn, m, rho_n, h_bc)
        hp.update(m, T, T_out_prev if T_out_prev is not None else T_out_warm, h_k, up, outer,
                  no_flow)
        cons.hold(h_set, h_set_fixed, h_k, up)
        q0, q1, q2, hx_info = edge_heat_coefficients(
            cn, m, up, h_k, Tc, cp_k, cp_e, rise, rho_e, h_set,
            heat_pumps=(hp.h_supply, hp.cop, hp.mode, hp.capacity) if hp.n else None,
            arguments=heat_laws)
        h_in = h if h is not None else h_start     # the enthalpies this iteration started from
        h, Q, h_out = solve_thermal(cn, m, ext_in, h_ext, q0, q1, q2, up, dn, h_def,
                                    cache=cn.cache, boundary=boundary,
                                    method=opts.thermal_solver,
                                    still=ambient.still(fm, still_at))
        # the node temperatures, the outlet temperatures inside the loop only where the
        # laws need them (heat exchangers, heat-pump evaporators; all of them once
        # converged) and the largest change, in one compiled call
        if N < _FUSED_MAX:
            T_new, T_out_prev, dT = outer_kernels.outer_temperatures(
                h, fm.node_f, h_out, need_out, fm.edge_f, T, *inverse)
            dT = float(dT)
        else:                         # (the parallel inverse: the same numbers)
            T_new = fm.node("temperature_h", h)
            T_out_prev = np.zeros(E)
            T_out_prev[need_out] = fm.edge_at("temperature_h", h_out[need_out], need_out)
            dT = float(kernels.thermal().max_abs_difference(T_new, T))
        record["temperature_change"].append(dT)
        if not math.isfinite(dT):
            # a NaN or infinite temperature is never converged; more outer
            # iterations cannot mend it
            T = T_new
            break
        moved = False
        if between is not None:
            moved = bool(between(OuterIterate(cn, fm, T_new, h_out, m, p, rho_e, up, record,
                                              between.outlet_edges,
                                              T_out_prev if outlets_known else None)))
            if moved:
                record["moved"] = record.get("moved", 0) + 1
        log.debug("outer %d: newton %d, dT %.3e K", outer, hyd.iterations, dT)
        # property temperatures: under-relaxed once the change stops falling (a heated,
        # nearly starved branch can otherwise make flows and temperatures cycle)
        # (not while a hook moves parameters: those changes are not the map's cycling)
        tc = record["temperature_change"]
        if moved:
            moved_at = outer
        omega = 0.5 if (len(tc) >= 3 and tc[-1] > 0.5 * tc[-2]
                        and outer - moved_at >= 3) else 1.0
        relax = (T_new, omega)        # T_prop ← T_prop + ω (T_new − T_prop), next iteration
        T = T_new
        if moved:
            # the next change is the first step of the map with the new parameters
            # (from this iteration's output): the one after it, a plain step from
            # that step's output, measures the new map's contraction
            plain_from = outer + 1
            if accel is not None:
                accel.reset()
        elif coupling_within(tc, outer >= plain_from + 1, opts.temperature_tol) \
                and hp.settled(Q) and full_hydraulics and cons.settled(T, h, m, rho_e):
            converged = True
            record["outer"] = outer
            break
        if accel is not None and not moved:
            # the next iteration starts from extrapolated enthalpies (and the
            # temperatures and exchanger outlets that go with them), while the
            # iteration contracts steadily and the properties are not under-relaxed
            # and the change is still ten times the tolerance or more: the iterations
            # that end the solve are plain ones (the consumers' flows then agree with
            # the final temperatures as closely as without the extrapolation)
            steady = (omega == 1.0 and (len(tc) < 2 or tc[-1] <= 0.5 * tc[-2])
                      and dT > _ACCELERATE_ABOVE * opts.temperature_tol)
            got = accel.step(h_in, h, T_out_prev, steady)
            if got is not None:
                h, T_out_prev = got
                T = fm.node("temperature_h", h)
                T_prop, relax = T, _NOT_RELAXED
                record["accelerated"] = record.get("accelerated", 0) + 1
                plain_from = outer + 1      # the next change starts from the extrapolation
        if omega != 1.0:
            plain_from = outer + 2          # the next iteration's properties are relaxed
    record["outer"] = outer
    T_out = fm.edge("temperature_h", h_out)
    record["seconds"] = time.perf_counter() - t0
    record["factorisations"] = solver.factorisations
    record["pcg_iterations"] = solver.pcg_iterations
    record["thermal_factorisations"] = cn.cache.get("thermal_factorisations", 0)
    # torn nodes of the flow-order heat-transport solve; None: SuperLU was used
    record["thermal_torn_nodes"] = cn.cache.get("thermal_torn_nodes")
    if converged:
        message = ""
    elif not np.isfinite(dT):
        bad = np.flatnonzero(~np.isfinite(T))[:5]
        message = (f"the heat transport gave non-finite temperatures (NaN or infinite) in outer "
                   f"iteration {outer}, at nodes {[cn.node_names[i] for i in bad]}: a heat "
                   "flow or a property is not finite there; check heat loads, set-points and "
                   "heat-exchanger data.")
    else:
        # say which of the conditions of convergence failed (the temperature change may
        # be within its tolerance while the consumers' flows or the heat pumps' modes
        # still move, or the last hydraulic solve was a loose one)
        why = []
        if dT > opts.temperature_tol:
            why.append(f"the last temperature change was {dT:.3e} K > "
                       f"{opts.temperature_tol:.1e} K")
        if not cons.settled(T, h, m, rho_e):
            why.append("the consumers' flows had not settled on their inlet temperatures "
                       f"({cons.rtol:.0e} of the largest flow)")
        if not hp.settled(Q):
            why.append("the heat pumps' modes (source-limited or not) were still changing")
        if not full_hydraulics:
            why.append("the last hydraulic solve did not reach its full tolerance")
        message = (
            f"the hydraulic–thermal coupling did not converge in {opts.max_outer} outer "
            f"iterations: " + "; ".join(why or ["no condition was met in time"])
            + " (temperature changes: "
            + ", ".join(f"{x:.2e}" for x in record["temperature_change"][-5:]) + ").")
    return SteadyState(
        mass_flow=m, pressure=p, temperature=T, enthalpy=h, heat=Q, outlet_enthalpy=h_out,
        outlet_temperature=T_out, upstream=up, downstream=dn, density_edge=rho_e,
        viscosity_edge=mu_e, density_node=rho_n, rise=rise, supply=supply,
        external_inflow=ext_in, external_enthalpy=h_ext, heat_exchangers=hx_info,
        heat_pumps=hp.report(Q), consumers=cons.report(), record=record,
        converged=converged, message=message)


#: The coupling's remaining error is estimated from its contraction only while the
#: ratio of successive temperature changes is at most this, ...
_CONTRACTION_MAX = 0.5
#: ... and the last change at most this multiple of the tolerance: the properties
#: (and so the flows and pressures) of the state returned are those of the temperatures
#: before that change.
_LAG_MAX = 10.0


def coupling_within(changes: list, plain: bool, tol: float) -> bool:
    """Whether the outer iteration's temperatures are within ``tol`` [K].

    The last change ``δ_k`` (the largest over the nodes) within ``tol``; or, where the
    last two changes are plain fixed-point steps (``plain``: the later one started
    from the earlier one's output, neither from under-relaxed properties)
    contracting with the ratio ``q = δ_k/δ_{k-1} ≤ 0.5``, the remaining error that
    ratio implies, ``q/(1 − q) · δ_k``, within it — the a-posteriori error bound of
    a contraction (the contraction mapping theorem; Kelley 1995, ch. 4), with the
    contraction factor estimated from the two changes — and ``δ_k`` itself within
    ten times ``tol`` (the flows and pressures returned were solved with the
    properties of the temperatures before that change). A warm re-solve
    contracting a hundredfold per iteration then stops at ``δ_k`` = 6 µK instead of
    running one more iteration to confirm a change of 0.04 µK.
    """
    d = changes[-1]
    if d <= tol:
        return True
    if not plain or len(changes) < 2 or not changes[-2] > 0.0:
        return False
    q = d / changes[-2]
    return d <= _LAG_MAX * tol and q <= _CONTRACTION_MAX and q / (1.0 - q) * d <= tol


def _dot():
    """The dot product of the mixing steps: a compiled plain loop, not NumPy's ``@``.
    ``@`` on long vectors calls BLAS, whose worker threads then spin for a while and
    take the cores from the parallel kernels that follow (the warm re-solve of a
    200,000-node rack network was 35 % slower with two such products per outer
    iteration; 0.16 s with this loop or with ``OPENBLAS_NUM_THREADS=1``, 0.22 s with
    ``@``)."""
    dot = kernels.hydraulic().dot
    return dot


def _anderson_gamma(r: np.ndarray, r0: np.ndarray) -> float | None:
    """The depth-one Anderson coefficient ``γ = Δr·r / Δr·Δr`` (``Δr = r − r₀``) of two
    successive residuals, or None when they are equal."""
    dot = _dot()
    dr = r - r0
    den = float(dot(dr, dr))
    return float(dot(dr, r)) / den if den > 0.0 else None


class _Mixer:
    """Anderson(1) mixing of a fixed point ``x = G(x)`` solved by the outer iteration in
    a quantity the loop lags by one iteration (the consumers' flows, a heat pump's
    source-side capacity).

    :meth:`mix` takes the ``x`` an iteration was solved with and ``g = G(x)``, what
    the solved state asks for, and returns the next ``x``: ``g − γ (g − g₀)`` with
    ``γ = Δr·r / Δr·Δr``, ``r = g − x`` (Walker & Ni 2011, depth one, as
    :class:`_Anderson1` in the enthalpies), which removes one dominant mode of the
    map in a step — a slow contraction, or an alternation, growing ones included —
    and ``g`` itself at the first call after :meth:`reset` or with ``|γ|`` beyond
    :data:`_MIX_GAMMA`. The caller's convergence test is unchanged.
    """

    def __init__(self) -> None:
        self.prev = None

    def reset(self) -> None:
        self.prev = None

    def mix(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        prev = self.prev
        if prev is None:
            self.prev = (g, g - x)
            return g
        # (the step in one compiled call: the same arithmetic as
        # _anderson_gamma and the NumPy expressions of the extrapolation)
        r, out = kernels.outer().anderson_mix(x, g, prev[0], prev[1], _MIX_GAMMA)
        self.prev = (g, r)
        return out


class _Anderson1:
    """Anderson(1) mixing of the outer fixed-point iteration in node enthalpies.

    With ``x_k`` the enthalpies an outer iteration starts from and ``g_k`` those it
    solves, the residual is ``r_k = g_k − x_k``; the next start is
    ``g_k − γ (g_k − g_{k−1})`` with ``γ = Δr·r_k / Δr·Δr``, ``Δr = r_k − r_{k−1}``
    (Walker & Ni, SIAM J. Numer. Anal. 49 (2011) 1715, doi:10.1137/10078356X; depth
    one). For a linear contraction with one dominant mode this removes that mode in
    one step. The exchanger and evaporator outlet temperatures the laws read are
    mixed with the same ``γ``. Safeguards: no step while the iteration does not
    contract steadily or is within ten times its tolerance (``steady``, decided by
    the caller), none with ``|γ| > 0.5``, and none for the rest
    of the solve once an extrapolated start gave a residual no smaller than the one
    before it (plain iteration from there on). The convergence test is the
    caller's and unchanged: it reads the change over one plain evaluation.
    """

    def __init__(self) -> None:
        self.prev = None           # (g, r, outlet temperatures) of the last iteration
        self.on = True
        self.last = None           # ‖r‖ of the last iteration
        self.extrapolated = False  # whether the current iteration started from a step

    def reset(self) -> None:
        """Forget the residuals so far (the map changed: a parameter was moved)."""
        self.prev = self.last = None
        self.extrapolated = False

    def step(self, x, g, t_out, steady: bool):
        if x is None or not self.on:
            self.prev = None if x is None else self.prev
            return None
        dot = _dot()
        r = g - x
        nr = float(np.sqrt(dot(r, r)))
        if self.extrapolated and self.last is not None and not nr < self.last:
            self.on = False        # the extrapolation did not help: plain iteration
            return None
        self.last = nr
        self.extrapolated = False
        out = None
        if steady and self.prev is not None:
            g0, r0, t0 = self.prev
            gam = _anderson_gamma(r, r0)
            if gam is not None and abs(gam) <= 0.5 and gam != 0.0:
                out = (g - gam * (g - g0), t_out - gam * (t_out - t0))
                self.extrapolated = True
        self.prev = (g, r, t_out)
        return out


def _outlet_edges(cn) -> tuple[np.ndarray, np.ndarray]:
    """The heat exchangers' sides, and the edges whose outlet temperatures every outer
    iteration needs (those sides and the heat pumps' evaporators, sorted), kept per
    compiled network while its arrays of them are the same objects."""
    got = cn.cache.get("outlet_edges")
    if got is None or not (got[0] is cn.hx_hot and got[1] is cn.hx_cold
                           and got[2] is cn.hp_evap):
        hx_edges = np.concatenate([cn.hx_hot, cn.hx_cold])
        need = np.unique(np.concatenate([hx_edges, cn.hp_evap])).astype(np.int64)
        got = cn.cache["outlet_edges"] = (cn.hx_hot, cn.hx_cold, cn.hp_evap, hx_edges, need)
    return got[3], got[4]


def _same_flags(new: np.ndarray, old: np.ndarray) -> bool:
    """:func:`~narvik_thermal.components.base.same_array` of two arrays of flags (bool)
    by their bytes: a handful of consumers' flags compared twice an outer iteration,
    where the elementwise comparison and its count cost four times as much."""
    return new.dtype == old.dtype and new.shape == old.shape and new.tobytes() == old.tobytes()


def _finite(residual: float, m: np.ndarray, p: np.ndarray) -> bool:
    return bool(np.isfinite(residual) and kernels.thermal().all_finite(m, p))


def _fixed_head_hint(cn, edges: np.ndarray) -> str:
    """A sentence for a failed hydraulic solve whose largest residual is on a fixed-head
    pump (``edges``: the worst edges, largest first): fixed heads that close a loop with
    nothing whose loss follows the flow (two of different heads in parallel, or one
    between two pressure boundaries whose difference is not its head) have no answer,
    and Newton's method cannot say so by itself; "" otherwise."""
    fixed = set(cn.hgroups[HydraulicLaw.FIXED_RISE].idx.tolist())
    if not edges.size or int(edges[0]) not in fixed:
        return ""
    names = [cn.edge_names[k] for k in edges.tolist() if k in fixed]
    verb = "holds" if len(names) == 1 else "hold"
    return (f" {', '.join(repr(n) for n in names)} {verb} a fixed head whatever the flow: "
            "fixed heads in parallel that differ, or a fixed head between two pressure "
            "boundaries whose difference is not that head, close a loop of fixed pressures "
            "that no flow satisfies. Give such pumps the same head, a curve, or a "
            "resistance in series.")


def _non_finite_message(cn, hyd, m, p, outer: int) -> str:
    """Where a hydraulic iterate stopped being finite (NaN or infinite)."""
    F = np.asarray(hyd.state.get("residual_edge", np.zeros(0)))
    e_bad = [cn.edge_names[cn.free_edges[k]] for k in np.flatnonzero(~np.isfinite(F))[:5]]
    e_bad += [cn.edge_names[k] for k in np.flatnonzero(~np.isfinite(m))[:5]
              if cn.edge_names[k] not in e_bad]
    n_bad = [cn.node_names[k] for k in np.flatnonzero(~np.isfinite(p))[:5]]
    return (f"hydraulics did not converge (outer iteration {outer}): the residual is not "
            f"finite (NaN or infinite) after {hyd.iterations} Newton iteration(s), at edges "
            f"{e_bad[:5]} and nodes {n_bad}. A pressure loss, pump curve or property is not "
            "finite there; check their data (a NaN residual is never reported as converged).")


def _partial_state(cn, m, p, T, rho_e, mu_e, rho_n, record, message) -> SteadyState:
    """A non-converged hydraulic iterate for diagnosis: flows and pressures of the
    last Newton step, temperatures of the last thermal solve (or the start
    values); heat flows and outlet temperatures are NaN."""
    E, N = cn.n_edges, cn.n_nodes
    up = np.where(m >= 0, cn.start, cn.end)
    dn = np.where(m >= 0, cn.end, cn.start)
    nanE = np.full(E, np.nan)
    return SteadyState(
        mass_flow=m, pressure=p, temperature=T, enthalpy=np.full(N, np.nan), heat=nanE,
        outlet_enthalpy=nanE, outlet_temperature=nanE.copy(), upstream=up, downstream=dn,
        density_edge=rho_e if rho_e is not None else nanE.copy(),
        viscosity_edge=mu_e if mu_e is not None else nanE.copy(),
        density_node=rho_n if rho_n is not None else np.full(N, np.nan),
        rise=p[cn.end] - p[cn.start], supply=np.full(N, np.nan),
        external_inflow=np.zeros(N), external_enthalpy=np.zeros(N), record=record,
        converged=False, message=message, partial=True)


def _external_inflow(cn, m: np.ndarray, rho_n: np.ndarray, h_bc: np.ndarray):
    """External inflow at boundary nodes [kg/s] and its enthalpy [J/kg]: that of the
    node's boundary temperature (``h_bc``, :func:`boundary_temperatures` looked up
    once per solve; a node has one boundary, of flow or of pressure); and the net flow
    that must come from outside at each node (``supply``). One compiled pass
    (:func:`narvik_thermal.solvers._thermal_kernels.external_inflow`) after the flow
    boundaries' inflows (:func:`~narvik_thermal.solvers.hydraulic.boundary_inflows`)."""
    A = cn.incidence                      # (CSC)
    qn = boundary_inflows(cn, rho_n) if cn.flow_nodes.size else _NO_FLOW_BOUNDARY
    return kernels.thermal().external_inflow(cn.n_nodes, A.indptr, A.indices, A.data, m,
                                             cn.fixed_nodes, cn.is_tank, cn.flow_nodes,
                                             qn, h_bc)


#: ``qn`` of :func:`_external_inflow` without flow boundaries (the kernel's "none")
_NO_FLOW_BOUNDARY = np.zeros(0)
#: the outlet temperatures of ``edge_states`` before the first heat transport (none)
_NO_OUTLETS = np.zeros(0)
#: Most nodes whose temperatures an outer iteration inverts in one serial compiled call
#: (``outer_temperatures``); beyond, the parallel inverse of the fluid map (its kernels'
#: threshold: ``narvik_thermal._numba.pjit``'s ``min_parallel``)
_FUSED_MAX = 4096
#: ``(T_new, omega)`` of ``property_states`` where the property temperatures are taken
#: as they are (the first outer iteration, and after an extrapolation)
_NOT_RELAXED = (np.zeros(0), 1.0)


class _HeatPumps:
    r"""COP, operating mode and limits of each heat pump, updated every outer iteration.

    Mode: holds its supply (set-point), at capacity, or off. The capacity is the
    smaller of the rated one (units × unit size) and the source side's: the
    evaporator may not cool its source below ``min_source_outlet`` (freeze
    protection), :math:`Q_{evap} \le \dot m_{src}(h_{src,in} - h(T_{min}))`, i.e.
    :math:`Q_{cond} \le Q_{evap,max}/(1 - 1/COP)`. The COP is the unit's
    full-load COP at the solved stream temperatures, lowered below its minimum
    modulation (EN 14825 cycling) at the part-load ratio
    :math:`PLR = Q_{cond} / (\text{capacity} \times \text{count})`. The discharge
    temperature and condensing pressure of its cycle are kept for the limit flags.
    """

    #: the modes as plain ints (an IntEnum member costs a conversion at every store)
    _OFF, _CAPACITY, _SETPOINT = (int(HeatPumpMode.OFF), int(HeatPumpMode.CAPACITY),
                                  int(HeatPumpMode.SETPOINT))

    def __init__(self, cn, fm: FluidMap) -> None:
        self.cn = cn
        n = self.n = cn.hp_evap.size
        self.t_supply = cn.hp_t_supply
        self.rated = cn.hp_capacity * cn.count[cn.hp_cond] if n else np.zeros(0)
        self.capacity = self.rated.copy()          # effective: rated or the source side's
        if n:
            self.h_supply = fm.edge_at("enthalpy_T", self.t_supply, cn.hp_cond)
            (self.t_source_min, self.h_source_min, self.t_discharge_max,
             self.p_condensation_max, self._performance, self._part_load) = \
                heat_pump_constants(cn, fm)
            # the units' edges and constants as Python numbers, read once a solve (the
            # loop of :meth:`update` reads them every outer iteration; none of them moves
            # within a solve: a control of a supply set-point moves it between solves,
            # and the moves between outer iterations are of hydraulic parameters only)
            self._units = list(zip(cn.hp_evap.tolist(), cn.hp_cond.tolist(),
                                   self.t_supply.tolist(), self.t_source_min.tolist(),
                                   self.rated.tolist(), self.h_supply.tolist(),
                                   self.h_source_min.tolist()))
        else:
            self.h_supply = np.zeros(0)
        self.cop = np.full(n, 3.0)
        self.cop_full = np.full(n, 3.0)
        self.t_discharge = np.full(n, np.nan)
        self.p_condensation = np.full(n, np.nan)
        self.source_limited = np.zeros(n, bool)
        self.mode = np.full(n, int(HeatPumpMode.SETPOINT), dtype=np.int64)
        self._last_mode = self.mode.copy()
        self._last_limited = self.source_limited.copy()
        self._before_limited = None
        self.warm = False
        self._mixer = _Mixer()
        self._capacity_used = None

    def warm_start(self, report: dict) -> None:
        """Start from the COP, mode and capacity of a previous state of the same network
        (its ``heat_pumps`` report): the first outer iteration then applies the part
        load and the limits at once instead of the full-load COP."""
        if not self.n or not report or np.size(report.get("mode", ())) != self.n:
            return
        try:
            cop = np.asarray(report["cop"], dtype=float)
            cap = np.asarray(report["capacity"], dtype=float)
            mode = np.asarray(report["mode"], dtype=np.int64)
            lim = np.asarray(report["source_limited"], dtype=bool)
        except KeyError:
            return
        if not (np.all(np.isfinite(cop)) and np.all(cop > 1.0)):
            return
        self.cop, self.capacity, self.mode, self.source_limited = (
            cop.copy(), cap.copy(), mode.copy(), lim.copy())
        self.warm = True

    def update(self, m, T, T_out, h, up, outer, no_flow: float) -> None:
        if not self.n:
            return
        self._last_mode = self.mode.copy()
        self._before_limited = self._last_limited
        self._last_limited = self.source_limited.copy()
        q_want = np.zeros(self.n)
        # (each unit's inputs read element by element as Python floats: the values of
        # the gathers ``T[up[ev]]`` and the like, without their arrays)
        for k, (ev, co, t_supply, t_source_min, rated, h_supply, h_source_min) in \
                enumerate(self._units):
            # the performance model needs a sink that is warmed and a source that is
            # cooled, and a sink outlet above the source: a source hotter than that
            # (an iterate on its way, or a plant that rejects no heat) is evaluated at
            # the supply less 1 K, where the units run at their least lift
            # (correlations.heat_pump.MIN_UNIT_LIFT)
            # (and a source outlet below the freeze-protection limit, an iterate on its
            # way to the source-limited answer, is evaluated at that limit: the unit
            # never cools its source further, and an evaporation far below it leaves
            # the refrigerant's tables)
            u_ev, u_co = up[ev], up[co]
            t_src_in = float(T[u_ev])
            t_src_out = float(T_out[ev]) if T_out is not None else t_src_in - 5.0
            hi = min(float(T[u_co]), t_supply - 1.0)
            si = min(t_src_in, t_supply - 1.0)
            so = min(max(t_src_out, t_source_min), si - 0.1)
            cop_full, self.t_discharge[k], self.p_condensation[k] = self._performance[k](
                si, so, hi, t_supply)
            self.cop_full[k] = cop_full
            if outer == 1 and not self.warm:
                self.cop[k] = cop_full
                continue
            mc = abs(float(m[co]))
            q_unc = mc * (h_supply - float(h[u_co]))
            q_evap_max = max(0.0, abs(float(m[ev])) * (float(h[u_ev]) - h_source_min))
            # heat, part-load COP and source-side capacity are consistent after a few
            # passes (they interact only when cycling and source-limited at once; the
            # outer loop settles the rest)
            q = min(max(q_unc, 0.0), rated)
            cap_src = math.inf
            for _ in range(4):
                plr = q / rated if math.isfinite(rated) and rated > 0 else 0.0
                cop = self._part_load[k](cop_full, plr)
                cap_src = q_evap_max * cop / (cop - 1.0) if cop > 1.0 else math.inf
                q_new = min(max(q_unc, 0.0), rated, cap_src)
                if q_new == q:
                    break
                q = q_new
            self.cop[k] = cop
            capacity = self.capacity[k] = min(rated, cap_src)
            self.source_limited[k] = q_unc > 0.0 and cap_src < rated and q_unc > cap_src
            q_want[k] = q_unc
            if q_unc <= 0.0 or mc <= no_flow:
                # off: its sink arrives at or above the supply, or nothing flows through
                # its condenser (whose inlet temperature is then only a neighbour's)
                self.mode[k] = self._OFF
            elif q_unc > capacity:
                self.mode[k] = self._CAPACITY
            else:
                self.mode[k] = self._SETPOINT
        self._mix_source_capacity(q_want)

    def _mix_source_capacity(self, q_want: np.ndarray) -> None:
        """The source-side capacity of source-limited units, mixed (:class:`_Mixer`).

        It is lagged by one iteration: read from the source inlet the last state
        had, which the heat taken at that capacity then moves. Where the source is
        a closed loop of little heat beside the heat pump's demand (5 MW of IT under
        a 72 MW town), taking more than the loop's heat cools it far below the
        freeze-protection limit and the next capacity is nil, then back again: a
        2-cycle of 18.4 ↔ 0 MW (source inlet 32 ↔ −12 °C) that never converged.
        Mixed while the same units stay source-limited, and while units alternate
        between source-limited and not (the capacity is continuous there: a 20 MW
        campus under a 40 MW town swung every iteration between 24.5 MW, limited,
        and 46.7 MW, the source then warm again); the mode of a mixed unit follows
        its mixed capacity."""
        lim = self.source_limited
        # (whether any unit is or was source-limited, on Python bools: a handful of units)
        if self._capacity_used is not None and (any(lim.tolist())
                                                or any(self._last_limited.tolist())) and (
                same_array(lim, self._last_limited)
                or (self._before_limited is not None and same_array(lim, self._before_limited))):
            units = lim | self._last_limited    # (lim itself where the same units)
            cap = self.capacity.copy()
            cap[units] = np.maximum(self._mixer.mix(self._capacity_used[units], cap[units]),
                                    0.0)
            self.capacity = cap
            k = np.flatnonzero(units & (self.mode != HeatPumpMode.OFF))
            self.mode[k] = np.where(q_want[k] > cap[k], HeatPumpMode.CAPACITY,
                                    HeatPumpMode.SETPOINT)
        else:
            self._mixer.reset()
        self._capacity_used = self.capacity.copy()

    def settled(self, Q) -> bool:
        return (not self.n) or bool(np.all(self.mode == self._last_mode)
                                    and np.all(self.source_limited == self._last_limited))

    def report(self, Q) -> dict:
        if not self.n:
            return {}
        qc = Q[self.cn.hp_cond]
        with np.errstate(divide="ignore", invalid="ignore"):
            plr = np.where(np.isfinite(self.rated) & (self.rated > 0), qc / self.rated, 0.0)
        return dict(cop=self.cop.copy(), mode=self.mode.copy(), heat_sink=qc,
                    heat_source=-Q[self.cn.hp_evap], electric_power=qc / self.cop,
                    cop_full=self.cop_full.copy(), part_load_ratio=plr,
                    rated_capacity=self.rated.copy(), capacity=self.capacity.copy(),
                    source_limited=self.source_limited.copy(),
                    min_source_outlet=self.t_source_min.copy(),
                    discharge_temperature=self.t_discharge.copy(),
                    condensing_pressure=self.p_condensation.copy(),
                    max_discharge_temperature=self.t_discharge_max.copy(),
                    max_condensing_pressure=self.p_condensation_max.copy())


#: consumers' flows settle to this share of the largest at the temperature tolerance
#: _CONSUMER_T_REF [K] (the default), proportionally more loosely with a looser one
#: (the inexact trial solves of the controls)
_CONSUMER_RTOL, _CONSUMER_T_REF = 1e-9, 1e-6


class _Consumers:
    """Flows of the district-heating consumers, set from their inlet state every
    outer iteration (:func:`narvik_thermal.components.thermal.consumer_flows`)."""

    def __init__(self, cn, fm: FluidMap, temperature_tol: float = _CONSUMER_T_REF) -> None:
        g = cn.hgroups[HydraulicLaw.CONSUMER]
        self.cn, self.fm = cn, fm
        self.rtol = _CONSUMER_RTOL * max(1.0, temperature_tol / _CONSUMER_T_REF)
        self.idx = g.idx
        self.n = g.idx.size
        # the consumers' ends, gathered once a solve
        self._start, self._end = cn.start[g.idx], cn.end[g.idx]
        self.flow = np.zeros(self.n) if self.n else None
        self.delivering = np.ones(self.n, bool)
        self._before = None                 # who delivered the iteration before
        self._started = False
        self._mixer = _Mixer()
        if self.n:
            tr = g.params["return_temperature"]
            has = ~np.isnan(tr)
            self.h_ret = np.full(self.n, np.nan)
            if has.any():
                self.h_ret[has] = fm.edge_at("enthalpy_T", tr[has], self.idx[has])
            # their law's parameters and the tables, once a solve (no control moves them)
            self._law = consumer_law_arguments(cn, fm.tables)

    def _compute(self, T, h, m, rho_e):
        cn, i = self.cn, self.idx
        if m is not None and h is not None and rho_e is not None:
            # the inlet states, their specific heat and the law in one compiled call
            return consumer_flows_at(cn, m, i, self._start, self._end, T, h, rho_e,
                                     self.fm.edge_f, self.fm.tables, self.h_ret,
                                     arguments=self._law)
        if m is not None and h is not None:
            T_in, h_in = kernels.thermal().inlet_states(m, i, self._start, self._end, T, h)
        else:
            up = np.where(m[i] >= 0, self._start, self._end) if m is not None else self._start
            T_in = T[up]
            h_in = (self.fm.edge_at("enthalpy_T", T_in, i) if h is None else h[up])
        cp = self.fm.edge_at("cp_pT", T_in, i)
        rho = rho_e[i] if rho_e is not None else self.fm.edge_at("density_pT", T_in, i)
        return consumer_flows(cn, h_in, self.h_ret, cp, rho)

    def update(self, T, h, m, rho_e) -> None:
        """The flows the consumers take at this state, for the next hydraulic solve.

        The map from the flows imposed to the flows the consumers then take (their
        inlet temperatures fall with the flow along a long line that loses heat)
        is a fixed-point iteration that can contract slowly or alternate: a small
        town at the end of 20 km in summer swung between 0.46 and 0.84 kg/s with
        a growing amplitude. From the third outer iteration on (with the same
        consumers delivering as at the iteration before, or as at the one before
        that: an alternation), the flows are mixed by Anderson(1)
        (:class:`_Mixer`), which removes one dominant mode in a step, diverging
        alternation included. The convergence test is unchanged (:meth:`settled`:
        the flows the final state asks for are the ones it was solved with).
        """
        if not self.n:
            return
        x = self.flow
        g, delivering = self._compute(T, h, m, rho_e)
        self.flow = g
        # mixed while the same consumers deliver, and also while they alternate: the
        # flows and heats are continuous where a consumer stops delivering (its flow
        # is capped at the least drop before its supply falls to its return set-point,
        # its heat falls to nothing there), so the map is one fixed point across it;
        # a tiny demand at the end of a long line swung every iteration between
        # delivering (0.04 kg/s, the supply cooling on the way) and not (0.096 kg/s)
        same = _same_flags(delivering, self.delivering)
        back = not same and self._before is not None and _same_flags(delivering,
                                                                     self._before)
        if self._started and (same or back):
            self.flow = self._mixer.mix(x, g)
        else:
            self._mixer.reset()
        self._before = self.delivering
        self.delivering = delivering
        self._started = True

    def hold(self, h_set, h_set_fixed, h_k, up) -> None:
        """Return-temperature consumers whose supply is below their set-point hold nothing."""
        if not self.n:
            return
        kernels.thermal().hold_where(h_set, h_set_fixed, self.idx, self.delivering)

    def settled(self, T, h, m, rho_e) -> bool:
        if not self.n:
            return True
        new, _ = self._compute(T, h, m, rho_e)
        scale = max(float(np.abs(new).max()), 1e-12)
        return bool(np.abs(new - self.flow).max() <= self.rtol * scale) and bool(
            np.all(np.abs(new - self.flow) <= 0.1 * self.rtol
                   * np.maximum(np.abs(new), 1e-6 * scale)))

    def report(self) -> dict:
        if not self.n:
            return {}
        return dict(delivering=self.delivering.copy(), flow=self.flow.copy())
