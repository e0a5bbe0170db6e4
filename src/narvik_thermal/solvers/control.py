"""Controls: hold targets at set-points by adjusting actuators, around the steady solve.

Each control has one actuator (pump speed, fixed pump flow, valve opening,
boundary flow, set-point temperature) and one target (node temperature, edge
outlet temperature, edge flow, pressure difference). The outer iteration
adjusts all actuators together by Broyden's method on the scaled errors,
started from a finite-difference Jacobian, so cascaded loops (seawater flow →
facility supply → CDU valves → TCS supply) are solved as one system, with a
backtracking step and every coupled solve warm-started from the last. An
actuator at a bound whose own effect would push it further out is held there
(an active set); if its error is then not zero, the set-point cannot be met,
and the result says so (``met=False``, a ``setpoint_not_met``
flag and a :class:`~narvik_thermal.errors.PhysicsWarning`) instead of faking it.

References
----------
.. [1] Broyden, C. G., "A class of methods for solving nonlinear simultaneous
   equations", *Mathematics of Computation* 19, 577–593, 1965,
   doi:10.1090/S0025-5718-1965-0198670-6.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .coupled import solve_network
from .options import SolverOptions
from .state import SteadyState

__all__ = ["ControlLoop", "solve_controlled"]

log = logging.getLogger(__name__)


@dataclass
class ControlLoop:
    """One control loop mapped onto compiled arrays.

    ``array[pos]`` is the actuator (a parameter array of a law group of the
    compiled network, or its flow-boundary values), adjusted within
    ``[lo, hi]``; the target is read from the solved state at ``t_idx`` (a node,
    an edge, or two nodes for a pressure difference).
    """

    name: str
    kind: str
    element: str
    array: np.ndarray
    pos: int
    unit: str
    lo: float
    hi: float
    target: str
    t_idx: tuple
    setpoint: float
    setpoint_unit: str
    iterations: int = 0
    saturated: bool = False
    done: bool = False
    #: the target's value in the last state solved
    last_target: float = float("nan")
    #: ``"equal"``, or a one-sided set-point: ``"at_most"`` (a target below the
    #: set-point with the actuator at a bound is met) or ``"at_least"``
    sense: str = "equal"
    #: chip targets: the compiled network and positions in its cold-plate group
    chips: tuple | None = None

    @property
    def value(self) -> float:
        return float(self.array[self.pos])

    @value.setter
    def value(self, v: float) -> None:
        self.array[self.pos] = v

    @property
    def scale(self) -> float:
        if self.target in ("temperature", "outlet_temperature", "chip_temperature",
                           "hottest_chip", "temperature_difference"):
            return 100.0
        if self.target == "flow":
            return max(abs(self.setpoint), 1e-9)
        return max(abs(self.setpoint), 1e3)

    def measure(self, st: SteadyState) -> float:
        """The target's value in a solved state (SI)."""
        if self.target == "temperature":
            return float(st.temperature[self.t_idx[0]])
        if self.target == "outlet_temperature":
            return float(st.outlet_temperature[self.t_idx[0]])
        if self.target == "flow":
            i = self.t_idx[0]
            m = float(st.mass_flow[i])
            return m if self.setpoint_unit == "kg/s" else m / float(st.density_edge[i])
        if self.target in ("chip_temperature", "hottest_chip"):
            from ..components.cold_plate import chip_temperatures
            cn, pos = self.chips
            return float(np.max(chip_temperatures(cn, st)[pos]))
        if self.target == "temperature_difference":
            if len(self.t_idx) == 1:          # across an edge: outlet − inlet
                i = self.t_idx[0]
                return float(st.outlet_temperature[i] - st.temperature[st.upstream[i]])
            a, b = self.t_idx
            return float(st.temperature[a] - st.temperature[b])
        a, b = self.t_idx
        return float(st.pressure[a] - st.pressure[b])

    def satisfied(self, e: float, tol: float) -> bool:
        """Whether the scaled error ``e`` meets the set-point in this loop's sense."""
        if abs(e) <= tol:
            return True
        at_lo, at_hi = self.value <= self.lo, self.value >= self.hi
        if self.sense == "at_most":
            return e < 0 and (at_lo or at_hi)
        if self.sense == "at_least":
            return e > 0 and (at_lo or at_hi)
        return False


class ControlFailure(Exception):
    """The control iteration failed; carries the last state and a message."""

    def __init__(self, message: str, state: SteadyState) -> None:
        super().__init__(message)
        self.state = state




def _step(J, e, free):
    """Levenberg–Marquardt-damped Newton step of the free controls.

    The damping (1e-6 of the largest squared Jacobian entry) keeps the step
    finite where interacting loops make the Jacobian nearly singular (two CDU
    valves on one facility pump).
    """
    du = np.zeros(e.size)
    if free.any():
        Jf = J[np.ix_(free, free)]
        lam = 1e-6 * max(float(np.max(Jf * Jf)), 1e-300)
        A = Jf.T @ Jf + lam * np.eye(Jf.shape[0])
        du[free] = np.linalg.solve(A, -Jf.T @ e[free])
    return du


def _active_set_step(J, e, u, lo, hi, d=None):
    """Step with saturated actuators held at their bounds.

    An actuator at a bound is held when its *own* effect would push it further
    out (its diagonal Newton step ``−e_k / J_kk`` points outwards): that is what
    saturation means physically. Judging by the coupled step instead would hold
    actuators of strongly interacting loops (two CDU valves on one facility
    pump) too early. Returns the mask of free actuators and the damped step.
    """
    d = np.diag(J) if d is None else d
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(d != 0, -e / d, 0.0)
    held = ((u >= hi) & (own >= 0)) | ((u <= lo) & (own <= 0))
    free = ~held
    # the step itself respects the bounds: actuators at a bound whose coupled step
    # points outwards sit this step out (one at a time, the largest first)
    step_free = free.copy()
    at_hi, at_lo = u >= hi, u <= lo
    for _ in range(e.size):
        du = _step(J, e, step_free)
        out = step_free & ((at_hi & (du > 0)) | (at_lo & (du < 0)))
        if not out.any():
            break
        step_free[int(np.argmax(np.where(out, np.abs(du), -1.0)))] = False
    return free, du


def solve_controlled(cn, opts: SolverOptions, loops: list, initial: SteadyState | None = None,
                     fm=None) -> SteadyState:
    """Solve the network with its control loops (see module docstring).

    Broyden's method on the scaled control errors ``(target − set-point)/scale``,
    started from a finite-difference Jacobian (one warm-started solve per
    control), with an active set for actuators at their bounds and a
    backtracking step. If the controls fail, the actuators are restored to
    their values before the call and :class:`ControlFailure` is raised.

    Returns
    -------
    SteadyState
        The final state, with ``record["control_iterations"]``,
        ``record["control_solves"]``; each loop's ``done``, ``saturated`` and
        ``iterations`` are set. A final state that did not converge is returned
        as it is (``converged=False``).
    """
    n = len(loops)
    saved = [c.value for c in loops]
    lo = np.array([c.lo for c in loops])
    hi = np.array([c.hi for c in loops])
    span = hi - lo
    scale = np.array([c.scale for c in loops])
    sp_ = np.array([c.setpoint for c in loops])
    tol = opts.control_rtol
    n_solves = 0

    class _Trial(Exception):
        def __init__(self, message, state):
            super().__init__(message)
            self.state = state

    def evaluate(u, init):
        nonlocal n_solves
        for c, v in zip(loops, u):
            c.value = float(v)
        n_solves += 1
        st = solve_network(cn, opts, initial=init, fm=fm)
        if not st.converged:
            raise _Trial(st.message, st)
        e = (np.array([c.measure(st) for c in loops]) - sp_) / scale
        if not np.all(np.isfinite(e)):
            raise _Trial("a control target is not finite", st)
        return st, e

    try:
        u = np.clip(np.array(saved), lo, hi)
        try:
            res, e = evaluate(u, initial)
        except _Trial as exc:
            raise ControlFailure(f"controls: the first solve failed: {exc}", exc.state) from None

        def fd_jacobian(u, e, res):
            J = np.zeros((n, n))
            for j in range(n):
                h = 1e-3 * span[j] * (1.0 if u[j] + 1e-3 * span[j] <= hi[j] else -1.0)
                u2 = u.copy()
                u2[j] += h
                try:
                    _, e2 = evaluate(u2, res)
                except _Trial:
                    u2[j] = u[j] - h
                    _, e2 = evaluate(u2, res)
                    h = -h
                J[:, j] = (e2 - e) / h
            return J

        J = fd_jacobian(u, e, res)
        d_phys = np.diag(J).copy()       # own effect of each actuator, from physics
        best, stall = float(np.max(np.abs(e))), 0
        free = np.ones(n, bool)
        it = 0
        for it in range(1, opts.max_control + 1):
            free, du = _active_set_step(J, e, u, lo, hi, d_phys)
            if np.all(np.abs(e[free]) <= tol):
                break      # free loops at their set-points; held ones are saturated
            log.debug("control iteration %d: |e| = %.3e, free %d/%d", it,
                      float(np.max(np.abs(e))), int(free.sum()), n)
            lam = 1.0
            ok = False
            for _ in range(8):
                u_new = np.clip(u + lam * du, lo, hi)
                try:
                    res_new, e_new = evaluate(u_new, res)
                except (_Trial, InputError, ValueError) as exc:   # unphysical trial
                    log.debug("control trial failed (%s); halving the step", exc)
                    lam *= 0.5
                    continue
                if np.linalg.norm(e_new[free]) < np.linalg.norm(e[free]) or lam < 0.02:
                    ok = True
                    break
                lam *= 0.5
            if not ok:
                raise ControlFailure(
                    "controls: no step reduces the control errors; the control loops may fight "
                    "each other or the set-points may be unreachable with these actuators.", res)
            s_ = u_new - u
            y_ = e_new - e
            if np.dot(s_, s_) > 0:
                J += np.outer(y_ - J @ s_, s_) / np.dot(s_, s_)
            u, e, res = u_new, e_new, res_new
            # Broyden's secant updates can drift on weakly controllable modes:
            # refresh the Jacobian by finite differences when progress stalls
            err = float(np.max(np.abs(e)))
            if err < 0.9 * best:
                best, stall = err, 0
            else:
                stall += 1
                if stall >= 4:
                    J = fd_jacobian(u, e, res)
                    d_phys = np.diag(J).copy()
                    stall = 0
        else:
            raise ControlFailure(
                f"controls did not converge in {opts.max_control} iterations: largest scaled "
                f"error {float(np.max(np.abs(e))):.3g} ("
                + ", ".join(f"{c.name}: {ei:.3g}" for c, ei in zip(loops, e)) + ").", res)
    except Exception:
        for c, v in zip(loops, saved):
            c.value = v
        raise
    for c, v in zip(loops, u):
        c.value = float(v)
    st = solve_network(cn, opts, initial=res, fm=fm)       # final state
    if st.converged:
        achieved = np.array([c.measure(st) for c in loops])
        e = (achieved - sp_) / scale
        for k, c in enumerate(loops):
            c.last_target = float(achieved[k])
            c.done = c.satisfied(float(e[k]), 10 * tol)
            c.saturated = not free[k] and not c.done
            c.iterations = it
    st.record["control_iterations"] = it
    st.record["control_solves"] = n_solves + 1
    return st
