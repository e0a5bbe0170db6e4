"""Steps of the control iteration (:mod:`narvik_thermal.solvers.control`): the natural
residual of the loops with their bounds, the trust-region step within the bounds, the
refinement of a bracketed sign change (:func:`illinois`) and the moves of the
simultaneous first solve (:class:`Simultaneous`).
"""

from __future__ import annotations

import math

import numpy as np

from . import _kernel_modules as kernels

__all__ = ["natural_residual", "model_jacobian", "snap", "bounded_step", "illinois",
           "Simultaneous", "simultaneous_loops"]


def natural_residual(x, e, d):
    """The control residual ``F`` at scaled actuators ``x`` (see
    :mod:`narvik_thermal.solvers.control`).

    Parameters
    ----------
    x : numpy.ndarray
        Actuators scaled to their ranges, in [0, 1].
    e : numpy.ndarray
        Scaled errors ``(target − set-point)/scale``.
    d : numpy.ndarray
        Sign of each actuator's own effect ``∂e_k/∂x_k`` (−1, 0 or +1).

    Returns
    -------
    F : numpy.ndarray
        The residual, in the units of ``e``.
    clamped, held : numpy.ndarray of bool
        Loops whose own step leaves the range; those of them at the bound.
    merit : float
        ``‖F‖₂``.

    Notes
    -----
    ``z = x − e/d`` is where each actuator's *own* step would take it. Where
    ``z`` lies within the bounds, ``F = e``; where it lies beyond a bound, the
    loop is clamped and ``F = d (x − bound)``: zero for an actuator held at its
    bound, and continuous in ``x`` (the natural map of the box-constrained
    equations, Facchinei & Pang 2003, §1.5, in the units of the errors).
    Judging saturation by the own step is what saturation means physically;
    judging it by the coupled step would hold actuators of strongly
    interacting loops (two CDU valves on one facility pump) too early. An
    actuator without a measured own effect (``d = 0``) is never clamped.
    """
    K = kernels.control()

    F, clamped, held, merit = K.natural_residual(_floats(x), _floats(e), _floats(d))
    return F, clamped, held, float(merit)


def _floats(a):
    """``a`` as a contiguous 1-D array of float (what the compiled steps take)."""
    return np.ascontiguousarray(a, dtype=float).reshape(-1)


def model_jacobian(J, clamped, d):
    """Jacobian of ``F`` (see :func:`natural_residual`): the Jacobian ``J`` of the
    errors with each clamped row replaced by ``d_k`` on the diagonal."""
    K = kernels.control()

    return K.model_jacobian(np.ascontiguousarray(J, dtype=float),
                            np.ascontiguousarray(clamped, dtype=bool), _floats(d))


def snap(x, eps):
    """Clip to [0, 1], snapping to a bound within ``eps`` (so that "at a bound"
    is an exact test, and a loop that converges onto a bound is solved at it)."""
    K = kernels.control()

    return K.snap(_floats(x), float(eps))


def bounded_step(J, F, x, held, radius, eps):
    """Trust-region step with the bounds respected (scaled space, ``x`` in [0, 1]).

    Held actuators do not move; actuators at a bound whose coupled step points
    outwards sit this step out (one at a time, the largest first); the step is
    then clipped to the box (see :func:`snap`).

    Each step of the actuators left free minimises ``‖F_r + J_rc s‖`` subject to
    ``‖s‖ ≤ radius`` (Nocedal & Wright 2006, §4.3 and §10.3): the Gauss–Newton step
    if it fits, else ``s(μ) = −(JᵀJ + μI)⁻¹ JᵀF`` of the radius' length (μ by
    bisection on log μ; the length falls monotonically with μ). Directions whose
    singular value is below 1e-10 of the largest are left out of the Gauss–Newton
    step (a pseudo-inverse), so a singular Jacobian gives a finite step. Compiled
    (:mod:`._control_kernels`): a control iteration has a handful of loops.
    """
    K = kernels.control()

    return K.bounded_step(np.ascontiguousarray(J, dtype=float), _floats(F), _floats(x),
                          np.ascontiguousarray(held, dtype=bool), float(radius), float(eps))


def illinois(probe, a, b, root, small, steps):
    """Refine a bracketed sign change of ``g(t)`` by the Illinois variant of regula
    falsi (the end that stays is halved in ``g``, so the bracket shrinks from both
    sides; Dowell and Jarratt, *BIT* 11, 168–174, 1971).

    Parameters
    ----------
    probe : callable
        ``probe(t, near) -> (g, state, extra)``, or None where the solve at ``t``
        fails; ``near`` is the state of the nearer end (to warm-start from).
    a, b : tuple
        ``(t, g, state)`` at the ends of the bracket, ``g`` of opposite signs.
    root : tuple
        ``(t, g, state, extra)``: the best point known.
    small : float
        Stop once ``|g|`` is within it.
    steps : int
        At most this many probes.

    Returns
    -------
    tuple
        ``(t, g, state, extra)`` of the smallest ``|g|`` seen.
    """
    (ta, ga, sa), (tb, gb, sb) = a, b
    side = 0
    for _ in range(steps):
        t = (ta * gb - tb * ga) / (gb - ga)
        got = probe(t, sa if abs(t - ta) < abs(t - tb) else sb)
        if got is None:
            break
        gt, st, extra = got
        if abs(gt) < abs(root[1]):
            root = (t, gt, st, extra)
        if abs(gt) <= small:
            break
        if np.sign(gt) == np.sign(ga):
            ta, ga, sa = t, gt, st
            gb, side = (0.5 * gb if side == -1 else gb), -1
        else:
            tb, gb, sb = t, gt, st
            ga, side = (0.5 * ga if side == 1 else ga), 1
    return root


#: actuators every outer iteration of the coupled solve reads again (hydraulic
#: parameters), and targets read from the arrays an outer iteration has: loops of these
#: alone can move between the outer iterations of one solve (:class:`Simultaneous`)
_SIMULTANEOUS_ACTUATORS = ("pump_speed", "pump_flow", "valve_opening", "boundary_flow")
_SIMULTANEOUS_TARGETS = ("temperature", "outlet_temperature", "flow", "pressure",
                         "pressure_difference", "temperature_difference")
#: moves of the actuators within one solve before they are left where they are (the
#: solve then ends there and the trust-region iteration goes on from its state), and the
#: rise of the merit between two outer iterations that stops them sooner
_SIMULTANEOUS_MOVES, _SIMULTANEOUS_RISE = 12, 2.0
#: trust radius of a move (scaled actuators; a move is not checked by a solve of its own)
_SIMULTANEOUS_RADIUS = 0.2
#: the last move and errors of :class:`Simultaneous` before its first move (none)
_NO_MOVE = np.zeros(0)


def simultaneous_loops(loops) -> bool:
    """Whether every loop can move between outer iterations (see :class:`Simultaneous`)."""
    return all(c.kind in _SIMULTANEOUS_ACTUATORS and c.target in _SIMULTANEOUS_TARGETS
               for c in loops)


class Simultaneous:
    """Controls moved between the outer iterations of one coupled solve (the first solve
    of a warm start with a kept Jacobian, ``SolverOptions.simultaneous_control``).

    A point that follows the last (an hour of a year) needs a few steps of the
    actuators; taken as whole coupled solves, each costs two or three outer
    iterations (warm operation of the 290 MW campus with heat export: 5.3 solves,
    13 outer iterations a point). Here the ``between`` hook of
    :func:`~narvik_thermal.solvers.coupled.solve_network` measures the errors after
    every outer iteration's heat transport and, while the natural residual ``F``
    (:func:`natural_residual`) is outside the tolerance, moves the actuators by the
    bounded Gauss–Newton step of its Jacobian (trust radius
    :data:`_SIMULTANEOUS_RADIUS`), Broyden-updated (Broyden 1965) from move to move: the
    coupling, the hydraulics' Newton steps and the controls converge together (a
    one-shot iteration of a state and its controls). The errors of these states lag
    their actuators by what the coupling has still to settle (the coupling contracts
    about 150-fold per outer iteration), so the secant updates are approximate; the
    Jacobian kept for the next point is the trust-region iteration's, never this one.
    The regulator (if any) observes and moves after every outer iteration too.

    The actuators stop moving after :data:`_SIMULTANEOUS_MOVES` moves, or when the
    merit rises :data:`_SIMULTANEOUS_RISE`-fold above the lowest seen (they go back
    to where it was lowest; two valves on one pump can drift apart along their weak
    common mode), or when an error is not finite. The solve then converges where they
    are, and the trust-region iteration goes on from that state. The state returned
    is solved to the full tolerance at the actuators it reports and judged like any
    other: this changes the path to the answer, never its test.
    """

    def __init__(self, loops, x, J, d, errors, set_actuators, tol, eps, regulator) -> None:
        self.x, self.J, self.d = np.array(x, dtype=float), J, d
        self.errors, self.set_actuators = errors, set_actuators
        self.tol, self.eps, self.regulator = tol, eps, regulator
        self.outlet_edges = np.array(sorted({c.t_idx[0] for c in loops if c.target in (
            "outlet_temperature", "temperature_difference") and len(c.t_idx) == 1}),
            dtype=np.int64)
        self.moves, self.frozen, self.best, self.last = 0, False, None, None
        self._d = _floats(d)            # (as the compiled steps take it, once)

    def __call__(self, it) -> bool:
        moved = False
        if self.regulator is not None:
            moved = not self.regulator.observe(it, move=True)
        if self.frozen:
            return moved
        e = _floats(self.errors(it))
        # (plain Python on the lists of a handful of loops: a NumPy reduction costs more)
        if not all(map(math.isfinite, e.tolist())):
            self.frozen = True
            return moved
        K = kernels.control()
        # Broyden's update from the last move (the errors of these states lag their
        # actuators by what the coupling has still to settle, about a hundredth) and the
        # natural residual (:func:`natural_residual`) in one compiled call
        s, e_last = self.last if self.last is not None else (_NO_MOVE, _NO_MOVE)
        self.J, F, clamped, held, phi = K.secant_residual(
            np.ascontiguousarray(self.J, dtype=float), s, e_last, self.x, e, self._d)
        self.last = None
        phi = float(phi)
        if self.best is None or phi < self.best[0]:
            self.best = (phi, self.x.copy())
        if max(map(abs, F.tolist())) <= self.tol:
            return moved
        if self.moves >= _SIMULTANEOUS_MOVES or phi > _SIMULTANEOUS_RISE * self.best[0]:
            # left at the actuators of the lowest merit seen
            self.frozen = True
            if np.array_equal(self.best[1], self.x):
                return moved
            self.x = self.best[1]
            self.set_actuators(self.x)
            return True
        # no bound in play: the Gauss–Newton step itself where it is regular, fits the
        # trust radius and stays inside the box (what bounded_step returns then); else
        # the bounded step of the model Jacobian (one compiled call)
        s = K.simultaneous_step(self.J, F, self.x, clamped, held, self._d,
                                float(_SIMULTANEOUS_RADIUS), float(self.eps))
        if not any(s.tolist()):
            return moved
        self.last = (s, e)
        self.x = self.x + s
        self.set_actuators(self.x)
        self.moves += 1
        return True
