"""Controls: hold targets at set-points by adjusting actuators, around the steady solve.

Each control has one actuator (pump speed, fixed pump flow, valve opening,
boundary flow, set-point temperature) and one target (node temperature, edge
outlet temperature, edge flow, pressure difference, node pressure). All actuators are
adjusted together, so cascaded loops (seawater flow → facility supply → CDU
valves → TCS supply) are solved as one system; every coupled solve is
warm-started from a neighbouring one.

The unknowns are the actuators scaled to their ranges, ``x`` in [0, 1]; the
errors ``e = (target − set-point)/scale`` (100 K for temperatures, the
set-point for flows and pressure differences). An actuator at a bound whose
*own* effect (the sign ``d`` of the diagonal of the Jacobian) would push it
further out is held there: that is what saturation means for a loop (a
controller with anti-windup stops at its limit). The iteration solves this
complementarity problem through its natural residual ([3]_ §1.5), in error
units::

    F = d · (x − mid(0, x − e/d, 1))

that is ``e`` where the loop's own step stays within range and ``±`` the
distance to the bound where it would leave it. ``F`` is continuous and zero
exactly where every loop is at its set-point or held at a bound. The merit is
``‖F‖₂``; a step is accepted only if it lowers it (its history is
``record["control_errors"]``).

Local step. A trust-region Levenberg–Marquardt step on ``F`` in the scaled
actuator space ([2]_ ch. 4, §10.3, §11.2), with the Jacobian started by
finite differences and updated by Broyden's secant formula [1]_ after every
trial. A rejected step is backtracked along ([5]_), with the radius from a
quadratic fit of the merit ([4]_ A6.4.5). Held actuators do not move;
actuators at a bound whose step points outwards sit the step out.

Global step. Loops that share a pump or a supply can have a weak common mode:
two CDU valves on one fixed-speed facility pump barely change the CDU supply
temperature when both open (less flow per CDU, but colder facility water),
while either one alone changes it strongly. The Jacobian is then nearly
singular, and along its weak mode the merit can have a local minimum that is
not a solution (or the step leaves the region where the model holds). When
the local steps stall (no 10 % fall of the merit in four iterations, even
after a fresh Jacobian), the residual is searched along the weakest modes of
the Jacobian out to the bounds: a sign change of the weak component of ``F``
is bracketed and refined (Illinois), and a few local steps from there decide
whether it leads to a lower merit (a watchdog, [6]_). A loop held at a bound
may have to leave it as another moves (a pressure-reducing valve shut at its
set-point must reopen as a sustaining valve upstream throttles), which no step
that keeps it held can find: the held actuators are then moved to the middle
of their ranges and the watchdog decides again. If nothing lowers the merit,
the iteration stops and says so (:class:`ControlFailure`, naming each loop's
target and set-point) — it never accepts a step that does not improve.

Inexact trial solves. A trial far from the set-points needs its errors only to
a share of their size ([7]_): its coupled solve gets a temperature tolerance
from the merit it is expected to reach (and, where every loop holds a
temperature, looser hydraulics with it); the state returned is always a
full-tolerance solve (``SolverOptions.inexact_control``). The merit expected
is the larger of the linear model's and the present merit times the fall the
last accepted step of this solve achieved (:data:`_RATE0` before the first),
the latter only where it exceeds :data:`_RATE_MARGIN` control tolerances: the
model of a square system predicts zero for a Gauss–Newton step, while a
secant Jacobian's step lowers the merit only 2–20-fold (measured on the
campuses), so the model alone would solve every trial in full.

Simultaneous first solve. A warm start with a kept Jacobian (the next point of
a year) does not need a coupled solve per step: the actuators are moved
between the outer iterations of its first solve by Broyden-updated
Gauss–Newton steps of the errors measured there, and the solve converges with
them (``SolverOptions.simultaneous_control``; valves, pump speeds and flows,
flow boundaries, and targets other than chips). Where that does not settle the
loops (the steps are capped, and undone where the merit rises), the
trust-region iteration goes on from the state it solved; that state is always
solved to the full tolerance at its actuators.

Bound probe. Where the iteration ends with a loop held at a bound off its
set-point, the set-point may still lie inside its range: an actuator's own
effect can turn sign across the range (a CDU valve on a fixed-speed facility
pump with the other CDU's valve nearly shut cools its CDU as it opens from
shut, then warms it beyond half open, as more water passes a seawater
exchanger of limited duty), and the local steps hold the loop at the bound
that the sign at hand points to. That loop's actuator alone is then moved to
the other bound (one solve); if its error changes sign, the crossing is
bracketed and refined (Illinois), and the iteration goes on from there with a
fresh Jacobian and its signs. Its answer replaces the first only if it leaves
less unmet (the summed errors of the loops not met); each loop is probed once
per solve (``record["control_steps"]["bound_probes"]`` and
``["bound_probe_steps"]``, the probes whose answer was taken). A probe costs a
solve only where a loop ends saturated; a set-point between two crossings, with
the error of one sign at both bounds, is not searched for.

A loop held at a bound that is not at its set-point is reported as
saturated (``met=False``, a ``setpoint_not_met`` flag and a
:class:`~narvik_thermal.errors.PhysicsWarning`) instead of faking it.

References
----------
.. [1] Broyden, C. G., "A class of methods for solving nonlinear simultaneous
   equations", *Mathematics of Computation* 19, 577–593, 1965,
   doi:10.1090/S0025-5718-1965-0198670-6.
.. [2] Nocedal, J. and Wright, S. J., *Numerical Optimization*, 2nd ed.,
   Springer, 2006: ch. 4 (trust regions, Algorithm 4.1), §10.3 (Levenberg–
   Marquardt), ch. 11 (nonlinear equations; merit functions and their local
   minima that are not solutions, §11.2).
.. [3] Facchinei, F. and Pang, J.-S., *Finite-Dimensional Variational
   Inequalities and Complementarity Problems*, vol. I, Springer, 2003, §1.5
   (the natural map of a box-constrained equation).
.. [4] Dennis, J. E. and Schnabel, R. B., *Numerical Methods for Unconstrained
   Optimization and Nonlinear Equations*, Prentice-Hall, 1983 (SIAM 1996),
   §6.4 and Algorithm A6.4.5 (trust-region update).
.. [5] Nocedal, J. and Yuan, Y., "Combining trust region and line search
   techniques", in *Advances in Nonlinear Programming* (Y. Yuan, ed.),
   Kluwer, 1998, pp. 153–175.
.. [6] Chamberlain, R. M., Powell, M. J. D., Lemaréchal, C. and Pedersen,
   H. C., "The watchdog technique for forcing convergence in algorithms for
   constrained optimization", *Mathematical Programming Study* 16, 1–17,
   1982, doi:10.1007/BFb0120945.
.. [7] Dembo, R. S., Eisenstat, S. C. and Steihaug, T., "Inexact Newton methods",
   *SIAM Journal on Numerical Analysis* 19(2), 400–408, 1982,
   doi:10.1137/0719025.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .control_steps import Simultaneous, bounded_step, illinois, model_jacobian
from .control_steps import natural_residual
from .control_steps import simultaneous_loops
from .control_steps import snap as _snap
from .coupled import solve_network
from .options import SolverOptions
from .state import SteadyState

__all__ = ["ControlLoop", "natural_residual", "solve_controlled", "kept_entries"]

log = logging.getLogger(__name__)


@dataclass
class ControlLoop:
    """One control loop mapped onto compiled arrays.

    ``array[pos]`` is the actuator (a parameter array of a law group of the
    compiled network, or its flow-boundary values), adjusted within
    ``[lo, hi]``; the target is read from the solved state at ``t_idx`` (a node,
    an edge, or two nodes for a pressure difference; a node for an absolute
    pressure).
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
    #: sign of the actuator's own effect on its target where physics fixes it
    #: (+1: a check valve's opening raises the pressure at its outlet, −1:
    #: lowers it at its inlet — it can only let more flow forward; a pump through
    #: the other side of the exchanger whose outlet it controls, from an open
    #: circuit: −1 on the cold side, +1 on the hot side), used
    #: instead of the finite difference's sign, which is zero or noise on the
    #: flat end of a wide-range characteristic (a regulator nearly shut); 0:
    #: none, the finite difference decides
    effect_sign: int = 0

    @property
    def value(self) -> float:
        return float(self.array[self.pos])

    @value.setter
    def value(self, v: float) -> None:
        self.array[self.pos] = v

    @property
    def scale(self) -> float:
        if self.target in _THERMAL_TARGETS:
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
        if self.target == "pressure":
            return float(st.pressure[self.t_idx[0]])
        a, b = self.t_idx
        return float(st.pressure[a] - st.pressure[b])

    def satisfied(self, e: float, tol: float, held: bool) -> bool:
        """Whether the scaled error ``e`` meets the set-point in this loop's sense
        (``held``: the actuator rests at a bound that pushes the target away from it)."""
        if abs(e) <= tol:
            return True
        if self.sense == "at_most":
            return e < 0 and held
        if self.sense == "at_least":
            return e > 0 and held
        return False


class ControlFailure(Exception):
    """The control iteration failed; carries the last state and a message."""

    def __init__(self, message: str, state: SteadyState) -> None:
        super().__init__(message)
        self.state = state


#: initial trust radius and its ceiling (scaled actuator space: 1 = an actuator's range)
_RADIUS0, _RADIUS_MAX = 1.0, 4.0
#: below this trust radius (scaled) the local steps are stuck
_RADIUS_MIN = 1e-6
#: accept a step when ‖F‖² falls by at least this share of the predicted fall ([2] Alg. 4.1)
_ETA = 1e-4
#: progress is a fall of the merit below this share of the best; without it for
#: _STALL iterations the local steps have stalled
_PROGRESS, _STALL = 0.9, 4
#: samples along each direction of the weak-mode search; Illinois steps refining a bracket
_SAMPLES, _REFINE = 8, 6
#: local steps from a bracketed point before the watchdog gives it up
_WATCHDOG = 6
#: inexact inner solves: a trial whose linear model predicts a merit above the
#: control tolerance is solved to a temperature tolerance of _LOOSE_SHARE of that
#: merit in kelvin (the scale of temperature targets, 100 K, times 0.1), at most
#: _LOOSE_MAX; the first solve of a warm start with a kept Jacobian to
#: _LOOSE_FIRST. Each outer iteration of the coupled solve shrinks the temperature
#: change about 150-fold, so the errors of such a state are within about 1e-3 of
#: the merit; the final state is always solved to the full tolerance.
_LOOSE_SHARE, _LOOSE_MAX, _LOOSE_FIRST = 10.0, 1e-2, 1e-3
#: the fall of the merit a trial is expected to make (its merit over the present
#: one) before an accepted step of the same solve has shown its own
_RATE0 = 0.1
#: ... taken only where it exceeds this many control tolerances (a trial expected near
#: the tolerance is solved in full: a loose one landing within it is solved again, one
#: more solve; 30 keeps a January hour of the year with export at 2.0 solves, where
#: every trial loose took 3.0, and a July hour at 2.9 solves, 8.0 outer iterations)
_RATE_MARGIN = 30.0
#: ... and, where every loop holds a temperature (_THERMAL_TARGETS), the hydraulics to
#: a relative residual of this many per kelvin of it
_LOOSE_HYDRAULICS = 1e-2
_THERMAL_TARGETS = ("temperature", "outlet_temperature", "chip_temperature", "hottest_chip",
                    "temperature_difference")


def _loose_tolerance(phi_pred: float, tol: float) -> float | None:
    """Temperature tolerance [K] of a trial whose predicted merit is ``phi_pred``
    (None, the full tolerance, where it is within the control tolerance ``tol``)."""
    if not phi_pred > tol:
        return None
    return min(_LOOSE_SHARE * phi_pred, _LOOSE_MAX)


def _fmt(v, unit):
    if unit == "K":
        return f"{v - 273.15:.4g} °C"
    return f"{v:.4g} {unit}" if unit else f"{v:.4g}"


class _Iterate:
    """An iterate: scaled actuators ``x``, errors ``e``, its solved state, the
    residual (see :func:`natural_residual`), the Jacobian of the errors and the trust
    radius; ``fresh`` when the Jacobian is a finite difference at ``x``,
    ``back`` the rejected step being backtracked along."""

    __slots__ = ("x", "e", "res", "F", "clamped", "held", "phi", "J", "radius", "fresh",
                 "sn", "back")

    def __init__(self, x, e, res, d, J, radius=None, fresh=True):
        self.x, self.e, self.res, self.J = x, e, res, J
        self.F, self.clamped, self.held, self.phi = natural_residual(x, e, d)
        self.radius = _RADIUS0 if radius is None else radius
        self.fresh, self.sn, self.back = fresh, 1.0, None


def kept_entries(kept: dict) -> dict:
    """What :func:`solve_controlled` keeps in ``kept`` for the next warm start (the
    Jacobians of the control errors and their signs, per set of loops), copied: put
    back into ``kept`` (after removing the entries there, :func:`kept_entries` of it),
    a warm start from the state solved when they were taken repeats that solve."""
    return {k: np.array(v, copy=True) for k, v in kept.items()
            if isinstance(k, tuple) and k[:1] == (_KEPT,)}


_KEPT = "control_jacobian"


class _Trial(Exception):
    """A trial solve of :func:`solve_controlled` that failed (not converged, or a target
    that is not finite), with its state."""

    def __init__(self, message, state):
        super().__init__(message)
        self.state = state


def solve_controlled(cn, opts: SolverOptions, loops: list, initial: SteadyState | None = None,
                     fm=None, kept: dict | None = None, regulator=None,
                     inputs_changed: bool = True) -> SteadyState:
    """Solve the network with its control loops (see the module docstring).

    Trust-region Levenberg–Marquardt steps on the natural residual of the
    scaled errors with the bounds, a Broyden-updated Jacobian started from
    finite differences, and a search along the weakest modes of the Jacobian
    when the local steps stall. A step is accepted only if it lowers the merit
    ``‖F‖₂``. If the controls fail, the actuators are restored to their values
    before the call and :class:`ControlFailure` is raised.

    Returns
    -------
    SteadyState
        The final state (the last accepted iterate's solve), with
        ``record["control_iterations"]`` (accepted steps and weak-mode
        searches), ``record["control_solves"]`` (coupled solves, each
        warm-started), ``record["control_errors"]`` (the merit ``‖F‖₂`` of every
        accepted iterate, as solved in full where it was first solved loosely;
        it never increases, except where a bound probe's answer is taken: the
        merits of the iteration from there follow) and ``record["control_steps"]``
        (accepted and rejected local steps, finite-difference Jacobians,
        weak-mode searches and the ones that found a better point; the moves of
        the simultaneous first solve, ``simultaneous_moves``, and whether it failed
        and was solved again the usual way, ``simultaneous_failed``; the bound
        probes and the ones whose answer was taken, ``bound_probes`` and
        ``bound_probe_steps``). Each loop's ``done``, ``saturated`` and
        ``iterations`` are set.

    Raises
    ------
    ControlFailure
        The first solve failed, no step lowers the merit (a local minimum that
        is not a solution: loops that fight each other or set-points that
        cannot be reached together), or ``opts.max_control`` iterations did
        not converge. The message names every loop, its target and set-point.

    Notes
    -----
    ``kept`` (a dict owned by the caller, e.g. the compiled network's cache)
    carries the Jacobian of the last controlled solve of the same loops to the
    next warm-started one (``initial`` given), per unit of each actuator, so
    a changed range rescales it, together with the signs of the actuators' own
    effects as finite differences last measured them: a column whose kept
    diagonal has another sign is measured again before the first step (the
    secant updates may turn a diagonal entry's sign, or the plant may have
    moved to where the sign is another; the natural residual would hold that
    loop at the wrong bound); ``record["control_steps"]["sign_checks"]``
    counts those columns. A warm start then begins from it instead of
    ``n`` finite-difference solves; it is Broyden-updated like any other and
    replaced by finite differences as soon as the local steps stall, so it
    changes the path, never the convergence test. ``record["control_steps"]
    ["kept_jacobian"]`` says whether it was used.

    ``regulator`` (optional) is a loop settled by its own one-dimensional
    iteration alongside the others instead of as a column of the Jacobian (a
    district-heating pump head holding the critical consumer's differential,
    :func:`narvik_thermal.plant.heat_export_network.solve_regulated`): an
    object with ``start(cn)``, ``observe(state, move) -> bool`` (called after
    every coupled solve: whether that state has it settled; if not and
    ``move``, it moves its actuator for the next solve — not within a
    finite-difference Jacobian, whose columns its step would enter),
    ``hold(state)`` and ``release()`` (its actuator at the value ``state`` was
    solved with for the finite differences about ``state``, then back),
    ``finish(state)`` (leaves its actuator at
    the value the final state was solved with) and ``restore()`` (puts it back
    after a failure). The iteration ends only with the final state settled
    too: where the other loops are, the same actuators are solved again with
    the regulator's new value.

    ``inputs_changed`` (default True): whether anything changed since ``initial``
    was solved (``Network.revision``); a warm start with a kept Jacobian then
    solves its first point loosely (``SolverOptions.inexact_control``), else in
    full — an unchanged point is likely already the answer.
    """
    n = len(loops)
    saved = [c.value for c in loops]
    lo = np.array([c.lo for c in loops])
    hi = np.array([c.hi for c in loops])
    span = hi - lo
    scale = np.array([c.scale for c in loops])
    sp_ = np.array([c.setpoint for c in loops])
    tol = opts.control_rtol
    # within the tolerance of a bound is at the bound (F of a loop clamped there is
    # the scaled distance to it)
    eps = max(tol, 1e-12)
    n_solves = it = 0
    fall = _RATE0               # the merit's fall in the last accepted step
    steps = dict(accepted=0, rejected=0, jacobians=0, weak_mode_searches=0,
                 weak_mode_steps=0, releases=0, kept_jacobian=False, loose_solves=0,
                 sign_checks=0, simultaneous_moves=0, simultaneous_failed=False,
                 bound_probes=0, bound_probe_steps=0)
    key = (_KEPT,) + tuple((c.name, c.kind, c.target) for c in loops)

    def snap(x):
        return _snap(x, eps)

    def actuators(x):
        return np.where(x >= 1.0, hi, np.where(x <= 0.0, lo, lo + span * x))

    bounds = list(zip(loops, lo.tolist(), hi.tolist(), span.tolist()))

    def set_actuators(x):
        # actuators(x), element by element in Python floats (the same arithmetic)
        for (c, a, b, s), v in zip(bounds, x.tolist()):
            c.value = b if v >= 1.0 else a if v <= 0.0 else a + s * v

    def errors(st):
        """Scaled errors of the loops' targets in a state (solved or an outer iterate)."""
        return (np.array([c.measure(st) for c in loops]) - sp_) / scale

    # the sign of each actuator's own effect that physics fixes, where it does
    hint = np.array([c.effect_sign for c in loops], dtype=float)

    def turned_signs(J):
        """The signs of ``J``'s diagonal, and the columns whose sign differs from the
        one finite differences last measured (kept with the Jacobian)."""
        d = np.sign(J.diagonal())
        d_kept = kept.get(key + ("signs",))
        if d_kept is None or d_kept.shape != d.shape:
            return d, np.zeros(0, np.int64)
        return d, ((d_kept != 0) & (d != d_kept)).nonzero()[0]

    thermal_targets = all(c.target in _THERMAL_TARGETS for c in loops)

    def evaluate(x, init, regulate=True, t_tol=None):
        """Solve at the scaled actuators ``x`` (warm from ``init``); ``t_tol``: a looser
        temperature tolerance of the coupled solve (a trial far from the set-points,
        see :func:`_loose_tolerance`), recorded as ``record["loose"]``."""
        nonlocal n_solves
        set_actuators(x)
        n_solves += 1
        o = opts
        if t_tol is not None and t_tol > opts.temperature_tol:
            if thermal_targets:
                # every loop holds a temperature: the hydraulics as loose as the
                # temperatures (a relative residual of _LOOSE_HYDRAULICS per kelvin of
                # tolerance; a flow error δṁ/ṁ moves a temperature by about
                # δṁ/ṁ · ΔT), never tighter than asked
                rt = _LOOSE_HYDRAULICS * t_tol
                o = opts.replace(temperature_tol=t_tol,
                                 pressure_rtol=max(opts.pressure_rtol, rt),
                                 flow_rtol=max(opts.flow_rtol, rt))
            else:
                # a pressure or flow target is measured in the hydraulics: those stay
                # at the full tolerance
                o = opts.replace(temperature_tol=t_tol)
        st = solve_network(cn, o, initial=init, fm=fm)
        if o is not opts:
            st.record["loose"] = t_tol
            steps["loose_solves"] += 1
        if not st.converged:
            raise _Trial(st.message, st)
        if regulator is not None:
            # the regulator steps after every solve but the finite differences' (a
            # step of its own between them would enter the columns)
            st.record["regulated"] = bool(regulator.observe(st, move=regulate))
        e = errors(st)
        if not np.isfinite(e).all():
            raise _Trial("a control target is not finite", st)
        return st, e

    def simultaneous(x, init, J, d):
        """One coupled solve from ``init`` with the actuators moved between its outer
        iterations by the kept Jacobian ``J``
        (:class:`~narvik_thermal.solvers.control_steps.Simultaneous`): the actuators it
        ends at, its state (to the full tolerance) and errors, or None when it did not
        converge (the actuators are put back at ``x``)."""
        nonlocal n_solves
        # the actuators at x, as every solve of the iteration starts (a value outside
        # bounds changed since it was set is clipped into them)
        set_actuators(x)
        hook = Simultaneous(loops, x, J, d, errors, set_actuators, tol, eps, regulator)
        n_solves += 1
        try:
            st = solve_network(cn, opts, initial=init, fm=fm, between=hook)
        except (InputError, ValueError) as exc:
            log.debug("simultaneous controls failed (%s)", exc)
            st = None
        steps["simultaneous_moves"] += hook.moves
        e = None
        if st is not None and st.converged:
            if regulator is not None:
                st.record["regulated"] = bool(regulator.observe(st))
            e = errors(st)
        if e is None or not np.isfinite(e).all():
            set_actuators(x)
            steps["simultaneous_failed"] = True
            return None
        return hook.x, st, e

    def trial(x, init, t_tol=None):
        """``evaluate``, or None when the solve fails (an unphysical trial)."""
        try:
            return evaluate(x, init, t_tol=t_tol)
        except (_Trial, InputError, ValueError) as exc:
            log.debug("control trial failed (%s)", exc)
            return None

    def fd_jacobian(x, e, res, cols=None):
        """Forward differences (1e-3 of each range, backwards at the upper
        bound) of the columns ``cols`` (default all; the others are zero)."""
        steps["jacobians"] += 1
        J = np.zeros((n, n))
        if regulator is not None:
            regulator.hold(res)       # the columns at the regulator's value of ``res``
        try:
            for j in range(n) if cols is None else cols:
                J[:, j] = fd_column(j, x, e, res)
        finally:
            if regulator is not None:
                regulator.release()
        return J

    def fd_column(j, x, e, res):
        """One column of :func:`fd_jacobian`."""
        h = 1e-3 if x[j] + 1e-3 <= 1.0 else -1e-3
        x2 = x.copy()
        x2[j] += h
        try:
            _, e2 = evaluate(x2, res, regulate=False)
        except _Trial:
            x2[j] = x[j] - h
            try:
                _, e2 = evaluate(x2, res, regulate=False)
            except _Trial as exc:
                raise ControlFailure(
                    f"controls: the solve failed when {loops[j].name!r} moved its "
                    f"{loops[j].kind} by 1e-3 of its range either way: {exc}",
                    exc.state) from None
            h = -h
        return (e2 - e) / h

    def local_step(S):
        """One trust-region trial from ``S`` (updated in place); True if accepted.

        Accepted when ``‖F‖²`` falls by at least ``_ETA`` of the fall the
        linear model predicts ([2] Algorithm 4.1). The radius doubles after a
        good step that reached it and falls to a quarter of a poor one; a
        rejected step is backtracked along ([5]) with the radius from the
        minimiser of the quadratic through the merit at both ends and its slope,
        within [0.1, 0.5] of the step ([4] A6.4.5). Every trial that solves
        updates the Jacobian of the errors (Broyden's secant update [1]).
        """
        nonlocal it, fall
        JF = model_jacobian(S.J, S.clamped, d)
        if S.back is not None:
            s = snap(S.x + S.back * min(1.0, S.radius / float(np.linalg.norm(S.back)))) - S.x
        else:
            s = bounded_step(JF, S.F, S.x, S.held, S.radius, eps)
        S.sn = sn = float(np.linalg.norm(s))
        if sn == 0:
            return False
        x_new = S.x + s
        # the merit expected: not below the fall the last accepted step made (the
        # model of a square system predicts zero for a Gauss–Newton step) where that
        # is well above the tolerance (a trial expected near it is solved in full: a
        # loose one that lands within it is solved again)
        expect = float(np.linalg.norm(S.F + JF @ s))
        if fall * S.phi > _RATE_MARGIN * tol:
            expect = max(expect, fall * S.phi)
        got = trial(x_new, S.res, _loose_tolerance(expect, tol)
                    if opts.inexact_control else None)
        if got is None:
            S.radius = 0.25 * sn
        else:
            res_new, e_new = got
            pred = S.phi ** 2 - float(np.sum((S.F + JF @ s) ** 2))
            S.J = S.J + np.outer(e_new - S.e - S.J @ s, s) / (sn * sn)
            S.fresh = False
            new = _Iterate(x_new, e_new, res_new, d, S.J)
            act = S.phi ** 2 - new.phi ** 2
            rho = act / pred if pred > 0 else (1.0 if act > 0 else -1.0)
            log.debug("control trial: step %s, merit %.4g → %.4g (ρ = %.3g)", s, S.phi,
                      new.phi, rho)
            if act > 0 and rho >= _ETA:
                fall = new.phi / S.phi
                S.x, S.e, S.res, S.F, S.clamped, S.held, S.phi = (
                    new.x, new.e, new.res, new.F, new.clamped, new.held, new.phi)
                S.back = None
                it += 1
                steps["accepted"] += 1
                if rho > 0.75 and sn >= 0.99 * S.radius:
                    S.radius = min(2.0 * S.radius, _RADIUS_MAX)
                elif rho < 0.25:
                    S.radius = 0.25 * sn
                return True
            slope = 2.0 * float(S.F @ (JF @ s))
            curv = new.phi ** 2 - S.phi ** 2 - slope
            lam = -slope / (2.0 * curv) if curv > 0 and slope < 0 else 0.1
            S.radius = min(max(lam, 0.1), 0.5) * sn
        steps["rejected"] += 1
        if S.back is None:
            S.back = s
        return False

    def watchdog(S0, x, e, res, radius):
        """Local steps from a point found by the weak-mode search (the watchdog
        technique [6]): the point may have a higher merit than ``S0`` (the
        strong modes drift along the weak one); it is taken if up to
        ``_WATCHDOG`` local steps from it, with a fresh Jacobian, reach a lower
        merit than ``S0``."""
        S = _Iterate(x, e, res, d, fd_jacobian(x, e, res), radius)
        for _ in range(_WATCHDOG):
            if S.phi < S0.phi:
                break
            if not local_step(S) and (S.sn == 0 or S.radius <= _RADIUS_MIN):
                break
        return S if S.phi < S0.phi else None

    def weak_mode_search(S):
        """Search along the weakest modes of the Jacobian for a lower merit.

        For the actuators not held, ``J_F = U Σ Vᵀ`` (the Jacobian of ``F``);
        along ``v`` (a row of Vᵀ) the residual's component ``g = w·F`` (``w``
        the matching column of U) changes at the rate ``σ``. Where the local
        steps stall, ``σ`` is small and the linear model along ``v`` cannot be
        trusted: ``g`` is sampled along ``±v`` out to the bounds (the direction
        the model prefers first, ``_SAMPLES`` points), a sign change of ``g`` is
        bracketed and refined by the Illinois variant of regula falsi, and
        :func:`watchdog` decides from there. Otherwise the sample of lowest
        merit is taken if it is lower than ``S``'s. The two weakest modes are
        tried; every solve is warm-started from its neighbour. Returns the new
        iterate, or None.
        """
        nonlocal it
        it += 1
        steps["weak_mode_searches"] += 1
        f = np.flatnonzero(~S.held)
        if f.size == 0:
            return None
        U, sig, Vt = np.linalg.svd(model_jacobian(S.J, S.clamped, d)[np.ix_(f, f)])
        for k in np.argsort(sig)[:2]:
            w, v = U[:, k], Vt[k]
            g0 = float(w @ S.F[f])
            first = -np.sign(g0) or 1.0
            for sgn in (first, -first):
                dvec = np.zeros(n)
                dvec[f] = sgn * v
                # out to the first bound met by a component moving at least a tenth
                # as fast as the fastest (the slower ones are clipped)
                big = np.abs(dvec) >= 0.1 * np.max(np.abs(dvec))
                with np.errstate(divide="ignore", invalid="ignore"):
                    room = np.where(dvec > 0, (1.0 - S.x) / dvec,
                                    np.where(dvec < 0, -S.x / dvec, np.inf))
                tmax = float(np.min(room[big]))
                if not np.isfinite(tmax) or tmax < 1e-6:
                    continue
                best = None                                  # lowest merit sampled
                prev, bracket = (0.0, g0, S.res), None
                for j in range(1, _SAMPLES + 1):
                    t = tmax * j / _SAMPLES
                    xt = snap(S.x + t * dvec)
                    got = trial(xt, prev[2])
                    if got is None:
                        break
                    st, et = got
                    Ft, _, _, pt = natural_residual(xt, et, d)
                    gt = float(w @ Ft[f])
                    log.debug("weak mode %d (σ = %.3g, %+d): t = %.3g, g = %.3g, merit %.3g",
                              k, sig[k], sgn, t, gt, pt)
                    if best is None or pt < best[0]:
                        best = (pt, xt, et, st)
                    if np.sign(gt) != np.sign(prev[1]):
                        bracket, root = (prev, (t, gt, st)), (t, gt, st, et)
                        break
                    prev = (t, gt, st)
                if bracket is not None:
                    def along(t, near, dvec=dvec, w=w):
                        xt = snap(S.x + t * dvec)
                        got = trial(xt, near)
                        if got is None:
                            return None
                        return float(w @ natural_residual(xt, got[1], d)[0][f]), *got
                    t, _, st, et = illinois(along, *bracket, root, 0.05 * abs(g0), _REFINE)
                    new = watchdog(S, snap(S.x + t * dvec), et, st, tmax / _SAMPLES)
                    if new is not None:
                        return new
                if best is not None and best[0] < S.phi:
                    return _Iterate(best[1], best[2], best[3], d,
                                    fd_jacobian(best[1], best[2], best[3]))
        return None

    def release(S):
        """Held actuators moved to the middle of their ranges, and local steps
        from there (:func:`watchdog`): a loop held at a bound may have to leave
        it as another moves (a pressure-reducing valve shut at its set-point
        must reopen as a sustaining valve upstream throttles), which no step
        that keeps it held can find, and its own effect near the bound may be
        nil (a wide-range trim nearly shut). Returns the new iterate, or None."""
        nonlocal it
        k = np.flatnonzero(S.held)
        if k.size == 0:
            return None
        it += 1
        steps["releases"] += 1
        x = S.x.copy()
        x[k] = 0.5
        got = trial(x, S.res)
        if got is None:
            return None
        return watchdog(S, x, got[1], got[0], _RADIUS0)

    def unmet(S):
        """The scaled errors of the loops whose set-points ``S`` does not meet, summed."""
        return sum(abs(float(S.e[k])) for k, c in enumerate(loops)
                   if not c.satisfied(float(S.e[k]), 10 * tol, held=bool(S.held[k])))

    def bound_probe(S, probed):
        """A loop held at a bound off its set-point may meet it elsewhere in its
        range: its own effect can turn sign across the range (a CDU valve on a
        fixed-speed facility pump, the other CDU's valve nearly shut: opening it
        wide sends more water through a seawater exchanger of limited duty, whose
        supply warms faster than the extra flow cools — the supply temperature
        falls as the valve opens from shut, then rises again). The local steps
        hold it at the bound its own effect there points to. Its actuator alone
        is moved to the other bound (one solve); where its error has changed
        sign, the set-point lies between: the crossing is bracketed and refined by
        the Illinois variant of regula falsi, and the finite-difference Jacobian
        there returned with the point, ``(x, e, state, J)``, for the iteration to
        go on from. None when no loop not yet ``probed`` is held off its
        set-point, or none brackets it."""
        nonlocal it
        for k in S.held.nonzero()[0]:
            k = int(k)
            if k in probed or loops[k].satisfied(float(S.e[k]), 10 * tol, held=True):
                continue
            probed.add(k)
            it += 1
            steps["bound_probes"] += 1
            xb = S.x.copy()
            xb[k] = 0.0 if S.x[k] >= 1.0 else 1.0
            got = trial(xb, S.res)
            if got is None or np.sign(got[1][k]) == np.sign(S.e[k]):
                continue
            def alone(t, near, k=k):
                xt = S.x.copy()
                xt[k] = t
                got = trial(xt, near)
                return None if got is None else (float(got[1][k]), *got)
            t, _, st, et = illinois(alone, (S.x[k], S.e[k], S.res), (xb[k], got[1][k], got[0]),
                                    (xb[k], got[1][k], got[0], got[1]), tol, _REFINE)
            x = S.x.copy()
            x[k] = t
            log.debug("bound probe: %s meets its set-point inside its range (%.4g of it)",
                      loops[k].name, t)
            return x, et, st, fd_jacobian(x, et, st)
        return None

    def describe(x, e):
        return "; ".join(f"{c.name} ({c.kind} {_fmt(u, c.unit)}): {c.target} "
                         f"{_fmt(ei * sc + p, c.setpoint_unit)} for the set-point "
                         f"{_fmt(p, c.setpoint_unit)}"
                         for c, u, ei, sc, p in zip(loops, actuators(x), e, scale, sp_))

    if regulator is not None:
        regulator.start(cn)

    def settled(S):
        return S.res.record.get("regulated", True)

    def loose(S):
        return "loose" in S.res.record

    try:
        x = ((np.array(saved) - lo) / span).clip(0.0, 1.0)      # (np.clip's, undispatched)
        # a warm start that will step with the kept Jacobian solves its first point
        # loosely (it is about to move) where the inputs changed since the state it
        # starts from; anything that needs finite differences first starts from a
        # full solve
        warm_kept = (opts.inexact_control and inputs_changed and kept is not None
                     and initial is not None and key in kept
                     and bool((kept[key].diagonal() != 0).all()))
        got = None
        if warm_kept and opts.simultaneous_control and simultaneous_loops(loops):
            # the kept Jacobian's signs as they were measured (else finite differences
            # first, below): the actuators move between the outer iterations of the
            # first solve
            J0 = kept[key] * span
            d0, turned = turned_signs(J0)
            if not turned.size:
                got = simultaneous(x, initial, J0, np.where(hint != 0, hint, d0))
        if got is not None:
            x, res, e = got
        else:
            try:
                res, e = evaluate(x, initial, t_tol=_LOOSE_FIRST if warm_kept else None)
            except _Trial as exc:
                raise ControlFailure(f"controls: the first solve failed: {exc}",
                                     exc.state) from None
        # the sign of each actuator's own effect, from a finite difference; when every
        # loop off its set-point is at a bound, only their own effects are needed to
        # see whether they are held there (a re-solve with nothing to do)
        off = (np.abs(e) > tol).nonzero()[0]
        J_kept = kept.get(key) if (kept is not None and initial is not None) else None
        if (off.size or warm_kept) and J_kept is not None and (J_kept.diagonal() != 0).all():
            # (a loosely solved first point within the tolerance is solved again in
            # full below, and may need the kept Jacobian after all)
            J = J_kept * span                     # per unit of actuator → per range
            steps["kept_jacobian"] = True
            # the own effects' signs: where the kept matrix's diagonal disagrees with
            # the sign finite differences last measured, the secant updates may have
            # turned it (a loop resting at a bound for hours) or the plant may have
            # moved to where the sign is another: that column is measured again (a
            # wrong sign holds a loop at the wrong bound)
            d, cols = turned_signs(J)
            if cols.size:
                if "loose" in res.record:
                    res, e = evaluate(x, initial)     # differences about a full solve
                J[:, cols] = fd_jacobian(x, e, res, cols)[:, cols]
                d[cols] = np.sign(np.diag(J)[cols])
                steps["sign_checks"] += int(cols.size)
        else:
            first = off if np.all((x[off] >= 1.0) | (x[off] <= 0.0)) else None
            J = fd_jacobian(x, e, res, first) if off.size else np.zeros((n, n))
            d = np.sign(np.diag(J))
            if first is not None and off.size and not natural_residual(x, e, d)[2][off].all():
                J += fd_jacobian(x, e, res, np.setdiff1d(np.arange(n), first))
                steps["jacobians"] -= 1
                d = np.sign(np.diag(J))
        # the sign physics fixes, where it does (the measured one may be noise)
        d = np.where(hint != 0, hint, d)
        S = _Iterate(x, e, res, d, J)
        if steps["kept_jacobian"]:
            S.fresh = False
        history = [S.phi]

        def solve_again(S, failure):
            """The same actuators solved again to the full tolerance (the regulator at
            its new value): the iterate that replaces ``S``. Its merit replaces ``S``'s
            in the history where ``S`` was only solved loosely (the same iterate), and
            follows it where the regulator moved."""
            again = settled(S)
            try:
                res2, e2 = evaluate(S.x, S.res)
            except _Trial as exc:
                raise ControlFailure(f"{failure}: {exc}", exc.state) from None
            new = _Iterate(S.x, e2, res2, d, S.J, S.radius, fresh=False)
            if again:
                history[-1] = new.phi
            else:
                history.append(new.phi)
            return new

        def iterate(S):
            """Local steps, then global ones where they stall, from ``S`` until every
            loop is at its set-point or held at a bound: the converged iterate."""
            nonlocal it
            best, stall, refreshed, searched = S.phi, 0, False, False
            released = False
            # held loops (F = 0) are saturated
            while not ((np.abs(S.F) <= tol).all() and settled(S) and not loose(S)):
                if it >= opts.max_control:
                    raise ControlFailure(
                        f"controls did not converge in {opts.max_control} iterations (merit "
                        f"{S.phi:.3g} of the scaled errors): {describe(S.x, S.e)}"
                        + ("" if settled(S) else "; the regulated loop did not settle") + ".",
                        S.res)
                if (np.abs(S.F) <= tol).all():
                    # the loops are at their set-points, the regulator not yet (or the
                    # state was solved loosely): the same actuators again, with the
                    # regulator's new value, to the full tolerance
                    it += 1
                    S = solve_again(S, "controls: the solve failed when the regulated loop "
                                       "moved")
                    continue
                log.debug("control iteration %d: merit %.3e, radius %.2e, held %d/%d", it,
                          S.phi, S.radius, int(S.held.sum()), n)
                if local_step(S):
                    history.append(S.phi)
                if S.phi < _PROGRESS * best:
                    best, stall, refreshed, searched = S.phi, 0, False, False
                else:
                    stall += 1
                if S.sn > 0 and stall < _STALL and S.radius > _RADIUS_MIN:
                    continue
                # the local steps stall: first a fresh Jacobian, then a global step
                if loose(S):
                    # finite differences and global steps start from a full solve
                    S = solve_again(S, "controls: the solve failed")
                if not refreshed:
                    refreshed = True
                    if not S.fresh:
                        S.J, S.fresh, S.back = fd_jacobian(S.x, S.e, S.res), True, None
                        stall, S.radius = 0, max(S.radius, 1e-2)
                        continue
                if not searched:
                    searched = True
                    new = weak_mode_search(S)
                    if new is not None:
                        steps["weak_mode_steps"] += 1
                        S = new
                        history.append(S.phi)
                        best, stall, refreshed, searched = S.phi, 0, True, False
                        continue
                if not released:
                    released = True
                    new = release(S)
                    if new is not None:
                        S = new
                        history.append(S.phi)
                        best, stall, refreshed, searched = S.phi, 0, True, False
                        continue
                if S.sn == 0 or S.radius <= _RADIUS_MIN:
                    raise ControlFailure(
                        "controls: no step lowers the control errors (a local minimum of their "
                        f"merit, {S.phi:.3g}, that is not a solution: the loops fight each other "
                        "or the set-points cannot be reached together with these actuators): "
                        f"{describe(S.x, S.e)}.", S.res)
                stall = 0       # slow but still moving: the local steps go on
            return S

        S = iterate(S)
        # a loop held at a bound off its set-point: does its range hold the set-point
        # elsewhere? (each loop probed once; the other answer is kept only if it
        # leaves less unmet)
        probed: set = set()
        while (got := bound_probe(S, probed)) is not None:
            x, e, st, J = got
            S_d, n_hist = d, len(history)
            d = np.where(hint != 0, hint, np.sign(np.diag(J)))
            try:
                S_new = iterate(_Iterate(x, e, st, d, J))
            except ControlFailure as exc:
                log.debug("controls: the iteration from a bound probe failed (%s)", exc)
                S_new = None
            if S_new is not None and unmet(S_new) < unmet(S):
                S = S_new
                steps["bound_probe_steps"] += 1
            else:
                d = S_d
                del history[n_hist:]
    except Exception:
        for c, v in zip(loops, saved):
            c.value = v
        if regulator is not None:
            regulator.restore()
        raise
    set_actuators(S.x)
    if regulator is not None:
        regulator.finish(S.res)
    if kept is not None and (S.J.diagonal() != 0).all():
        kept[key] = S.J / np.where(span > 0, span, 1.0)
        kept[key + ("signs",)] = d
    res = S.res
    achieved = np.array([c.measure(res) for c in loops])
    e = (achieved - sp_) / scale
    for k, c in enumerate(loops):
        c.last_target = float(achieved[k])
        c.done = c.satisfied(float(e[k]), 10 * tol, held=bool(S.held[k]))
        c.saturated = bool(S.held[k]) and not c.done
        c.iterations = it
    res.record["control_iterations"] = it
    res.record["control_solves"] = n_solves
    res.record["control_errors"] = history
    res.record["control_steps"] = steps
    return res
