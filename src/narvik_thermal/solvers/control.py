"""Controls: hold targets at set-points by adjusting actuators, around the steady solve.

Each control has one actuator (pump speed, fixed pump flow, valve opening,
boundary flow, set-point temperature) and one target (node temperature, edge
outlet temperature, edge flow, pressure difference). The outer iteration
adjusts all actuators simultaneously, each by a secant step on its own error
(a Jacobi–secant iteration: loops that interact weakly, as CDUs on a header
do, converge superlinearly), re-checking every loop every round and
warm-starting every coupled solve from the last. An actuator that
reaches a bound while the error keeps its sign is *saturated*: the set-point
cannot be met, and the result says so (``met=False``, a ``setpoint_not_met``
flag and a :class:`~narvik_thermal.errors.PhysicsWarning`) instead of faking it.

References
----------
.. [1] Ortega, J. M., Rheinboldt, W. C., *Iterative Solution of Nonlinear
   Equations in Several Variables*, SIAM, 2000, doi:10.1137/1.9780898719468,
   §7.2 (secant methods).
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
        self.history: list[tuple[float, float]] = []
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

    def next_value(self) -> float:
        """Next actuator value from the last two points (secant, within bounds)."""
        (u1, e1) = self.history[-1]
        span = self.hi - self.lo
        if len(self.history) == 1:
            step = 0.05 * span
            return float(np.clip(u1 + step if u1 + step <= self.hi else u1 - step, self.lo, self.hi))
        u0, e0 = self.history[-2]
        if e1 == e0 or u1 == u0:
            return float(np.clip(u1 + 0.1 * span * (-np.sign(e1) or 1), self.lo, self.hi))
        u = u1 - e1 * (u1 - u0) / (e1 - e0)
        # limit a secant step to half the range
        u = float(np.clip(u, u1 - 0.5 * span, u1 + 0.5 * span))
        return float(np.clip(u, self.lo, self.hi))

    def report(self, res) -> dict:
        achieved = self.measure(res)
        unit_t = self.sp_unit
        def q(v, unit):
            if unit == "K":
                return Q_(v - 273.15, "degC")
            return Q_(v, unit) if unit else Q_(v, "")
        return dict(actuator=q(self.value, self.unit), target=q(achieved, unit_t),
                    setpoint=q(self.setpoint, unit_t), met=not self.saturated and self.done,
                    saturated=self.saturated, iterations=len(self.history))


def solve_controlled(net, cn, opts, initial=None):
    """Solve the network with its controls (see module docstring); returns a Result."""
    ctrls = [_Control(cn, spec) for spec in net._controls]
    for c in ctrls:
        c.value = float(np.clip(c.value, c.lo, c.hi))
    res = solve_network(net, cn, opts, initial=initial)
    max_iter = opts.max_control
    for it in range(max_iter):
        active = False
        for c in ctrls:
            err = c.measure(res) - c.setpoint
            c.done = abs(err) <= opts.control_rtol * c.scale
            if c.saturated:
                # leave saturation only if the error now pulls back inside the range
                pull_in = (c.value == c.hi and err > 0) or (c.value == c.lo and err < 0)
                if not pull_in:
                    continue
                c.saturated = False
            if c.done:
                continue
            c.history.append((c.value, err))
            u_next = c.next_value()
            if abs(u_next - c.value) <= 1e-12 * (c.hi - c.lo) and c.value in (c.lo, c.hi):
                # at a bound and the error still pushes outwards: cannot be met
                c.saturated = True
                continue
            c.value = u_next
            active = True
        log.debug("control iteration %d: %s", it,
                  ", ".join(f"{c.name}={c.value:.6g} ({'done' if c.done else 'sat' if c.saturated else 'run'})"
                            for c in ctrls))
        if not active and all(c.done or c.saturated for c in ctrls):
            break
        res = solve_network(net, cn, opts, initial=res)
    else:
        raise ConvergenceError(
            f"controls did not converge in {max_iter} iterations: "
            + ", ".join(f"{c.name} error {c.history[-1][1]:.3g}" for c in ctrls
                        if not (c.done or c.saturated))
            + ". Strongly interacting control loops may need looser tolerances "
              "(control_rtol) or fewer simultaneous controls.", result=res)
    res.controls = {c.name: c.report(res) for c in ctrls}
    for c in ctrls:
        if c.saturated:
            from ..network.result import Flag
            r = res.controls[c.name]
            msg = (f"control {c.name!r} cannot meet its set-point {r['setpoint']:~.4g}: the actuator "
                   f"is at its bound {r['actuator']:~.4g} and the target reaches {r['target']:~.4g}.")
            res.flags.append(Flag("setpoint_not_met", (c.name,), 1, msg))
            warnings.warn(f"{cn.name}: {msg}", PhysicsWarning, stacklevel=3)
    return res
