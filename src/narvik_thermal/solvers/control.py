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
import warnings

import numpy as np

from ..components.kinds import HydraulicLaw, ThermalLaw
from ..errors import ConvergenceError, InputError, PhysicsWarning
from ..units import Q_
from .coupled import solve_network

__all__ = ["solve_controlled"]

log = logging.getLogger(__name__)

_ACT_UNIT = {"pump_speed": "", "valve_opening": "", "setpoint_temperature": "K"}


class _Control:
    def __init__(self, cn, spec: dict) -> None:
        self.spec = spec
        self.name = spec["name"]
        kind, *a = spec["actuator"]
        self.kind = kind
        self.lo, self.hi = spec["bounds"]
        if kind in ("pump_speed", "pump_flow", "valve_opening", "setpoint_temperature"):
            e = cn.edge_id(a[0])
            law, key = {"pump_speed": (HydraulicLaw.PUMP_CURVE, "speed"),
                        "pump_flow": (HydraulicLaw.FIXED_FLOW, "fixed_flow"),
                        "valve_opening": (HydraulicLaw.VALVE_KV, "opening"),
                        "setpoint_temperature": (ThermalLaw.SETPOINT, "t_set")}[kind]
            grp = cn.tgroups[law] if kind == "setpoint_temperature" else cn.hgroups[law]
            pos = np.flatnonzero(grp.idx == e)
            if pos.size == 0:
                what = {"pump_speed": "a pump with a curve", "pump_flow": "a fixed-flow pump",
                        "valve_opening": "a valve", "setpoint_temperature": "a set-point edge"}[kind]
                raise InputError(f"control {self.name!r}: actuator {kind!r} needs {what}; "
                                 f"{a[0]!r} is not one.")
            self.arr, self.pos = grp.params[key], int(pos[0])
            self.unit = _ACT_UNIT.get(kind, "kg/s" if kind != "pump_flow" or
                                      grp.params["fixed_flow_is_mass"][self.pos] > 0.5 else "m^3/s")
        else:  # boundary_flow
            n = cn.node_id(a[0])
            k = np.flatnonzero(cn.flow_nodes == n)
            if k.size == 0:
                raise InputError(f"control {self.name!r}: node {a[0]!r} has no flow boundary to adjust.")
            self.arr, self.pos = cn.flow_value, int(k[0])
            self.unit = "kg/s" if cn.flow_is_mass[self.pos] else "m^3/s"
        tkind, *t = spec["target"]
        self.tkind = tkind
        if tkind == "temperature":
            self.t_idx = (cn.node_id(t[0]),)
        elif tkind in ("outlet_temperature", "flow"):
            self.t_idx = (cn.edge_id(t[0]),)
        else:
            self.t_idx = (cn.node_id(t[0]), cn.node_id(t[1]))
        self.setpoint = spec["setpoint"]
        self.sp_unit = spec["setpoint_unit"]
        if tkind in ("temperature", "outlet_temperature"):
            self.scale = 100.0
        elif tkind == "flow":
            self.scale = max(abs(self.setpoint), 1e-9)
        else:
            self.scale = max(abs(self.setpoint), 1e3)
        self.iterations = 0
        self.saturated = False
        self.done = False

    @property
    def value(self) -> float:
        return float(self.arr[self.pos])

    @value.setter
    def value(self, v: float) -> None:
        self.arr[self.pos] = v

    def measure(self, res) -> float:
        if self.tkind == "temperature":
            return float(res._T[self.t_idx[0]])
        if self.tkind == "outlet_temperature":
            return float(res._s["T_out"][self.t_idx[0]])
        if self.tkind == "flow":
            i = self.t_idx[0]
            m = float(res._m[i])
            return m if self.sp_unit == "kg/s" else m / float(res._s["rho_e"][i])
        a, b = self.t_idx
        return float(res._p[a] - res._p[b])

    def report(self, res) -> dict:
        achieved = self.measure(res)
        unit_t = self.sp_unit
        def q(v, unit):
            if unit == "K":
                return Q_(v - 273.15, "degC")
            return Q_(v, unit) if unit else Q_(v, "")
        return dict(actuator=q(self.value, self.unit), target=q(achieved, unit_t),
                    setpoint=q(self.setpoint, unit_t), met=not self.saturated and self.done,
                    saturated=self.saturated, iterations=self.iterations)


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


def solve_controlled(net, cn, opts, initial=None):
    """Solve the network with its controls (see module docstring); returns a Result.

    Broyden's method on the scaled control errors ``(target − set-point)/scale``,
    started from a finite-difference Jacobian (one warm-started solve per
    control), with an active set for actuators at their bounds and a
    backtracking step. Intermediate solves issue no physics warnings; the
    final state is checked as any solve is. If the controls fail, the actuators
    are restored to their values before the call.
    """
    ctrls = [_Control(cn, spec) for spec in net._controls]
    n = len(ctrls)
    saved = [c.value for c in ctrls]
    lo = np.array([c.lo for c in ctrls])
    hi = np.array([c.hi for c in ctrls])
    span = hi - lo
    scale = np.array([c.scale for c in ctrls])
    sp_ = np.array([c.setpoint for c in ctrls])
    quiet = opts.replace(check_physics=False)
    tol = opts.control_rtol
    n_solves = 0

    def evaluate(u, init):
        nonlocal n_solves
        for c, v in zip(ctrls, u):
            c.value = float(v)
        n_solves += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PhysicsWarning)
            r = solve_network(net, cn, quiet, initial=init)
        return r, (np.array([c.measure(r) for c in ctrls]) - sp_) / scale

    try:
        u = np.clip(np.array(saved), lo, hi)
        res, e = evaluate(u, initial)
        def fd_jacobian(u, e, res):
            J = np.zeros((n, n))
            for j in range(n):
                h = 1e-3 * span[j] * (1.0 if u[j] + 1e-3 * span[j] <= hi[j] else -1.0)
                u2 = u.copy()
                u2[j] += h
                _, e2 = evaluate(u2, res)
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
                except (ConvergenceError, InputError, ValueError) as exc:   # unphysical trial
                    log.debug("control trial failed (%s); halving the step", exc)
                    lam *= 0.5
                    continue
                if np.linalg.norm(e_new[free]) < np.linalg.norm(e[free]) or lam < 0.02:
                    ok = True
                    break
                lam *= 0.5
            if not ok:
                raise ConvergenceError(
                    "controls: no step reduces the control errors; the control loops may fight "
                    "each other or the set-points may be unreachable with these actuators.",
                    result=res)
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
            raise ConvergenceError(
                f"controls did not converge in {opts.max_control} iterations: largest scaled "
                f"error {float(np.max(np.abs(e))):.3g} ("
                + ", ".join(f"{c.name}: {ei:.3g}" for c, ei in zip(ctrls, e)) + ").", result=res)
    except Exception:
        for c, v in zip(ctrls, saved):
            c.value = v
        raise
    for c, v in zip(ctrls, u):
        c.value = float(v)
    res = solve_network(net, cn, opts, initial=res)       # final state, checked and flagged
    e = (np.array([c.measure(res) for c in ctrls]) - sp_) / scale
    for k, c in enumerate(ctrls):
        c.done = abs(e[k]) <= 10 * tol
        c.saturated = not free[k] and not c.done
        c.iterations = it
    res.convergence["control_iterations"] = it
    res.convergence["control_solves"] = n_solves + 1
    res.controls = {c.name: c.report(res) for c in ctrls}
    for c in ctrls:
        if not c.done:
            from ..network.result import Flag
            r = res.controls[c.name]
            why = "the actuator is at its bound" if c.saturated else "the loop did not settle"
            msg = (f"control {c.name!r} cannot meet its set-point {r['setpoint']:~.4g}: {why} "
                   f"({r['actuator']:~.4g}) and the target reaches {r['target']:~.4g}.")
            res.flags.append(Flag("setpoint_not_met", (c.name,), 1, msg))
            warnings.warn(f"{cn.name}: {msg}", PhysicsWarning, stacklevel=3)
    return res
