"""Control loops in time: discrete PI controllers on a network's control loops.

``simulate(..., controls="pi")`` (or ``controls={"loop": PI(kp=..., ti=...)}``)
runs every control loop of the network (:meth:`narvik_thermal.Network.add_control`)
as a sampled PI controller instead of a steady solve. At the start of each step
``k ≥ 1`` the controller measures its target ``y_k`` in the run's state at the
end of the previous step (node, outlet or chip temperatures, flows, pressures of
the quasi-steady hydraulics) and moves its actuator by the velocity form of the
PI law, clamped to the loop's bounds:

.. math::

   e_k = r_k - y_k, \\qquad
   u_{k} = \\operatorname{clip}\\Big(u_{k-1} + \\sigma\\big[k_p (e_k - e_{k-1})
   + k_p \\frac{\\Delta t}{T_i} e_k\\big],\\ u_{lo},\\ u_{hi}\\Big)

with :math:`\\sigma = \\operatorname{sign}(K)` the direction of the actuator's
steady effect :math:`K = \\partial y / \\partial u` (measured once at the start,
by a finite difference of two steady solves without controls). The velocity
form carries no separate integral state: the actuator itself is the integral,
and clamping it at a bound is the anti-windup (Åström & Hägglund, *Advanced PID
Control*, ISA 2006, §3.5 "Windup": the incremental algorithm, where saturation
of the output stops the integration). The loop's ``sense`` does not change the
law (at a bound with the target on the right side, ``"at_most"`` and
``"at_least"`` loops are met, as in the steady solve).

Default tuning (:class:`PI` without gains). The hydraulics are quasi-steady, so
seen from the controller the plant is its steady gain ``K`` followed by the
thermal lag of the storage between actuator and target. For a first-order plant
:math:`K/(\\tau_p s + 1)`, the IMC (lambda) tuning :math:`T_i = \\tau_p`,
:math:`k_p = \\tau_p/(|K|\\lambda)` cancels the lag and gives the closed loop
:math:`1/(\\lambda s + 1)` (Skogestad, "Simple analytic rules for model reduction
and PID controller tuning", *J. Process Control* 13 (2003) 291–309). The default
assumes :math:`\\tau_p = \\lambda/2`: :math:`k_p = 0.5/|K|`,
:math:`T_i = \\lambda/2`, with :math:`\\lambda` = ``time_constant`` (120 s unless
given). A loop whose own lag is much longer than λ/2 overshoots and rings; give
it a longer ``time_constant`` or explicit gains.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import units as U
from ..errors import InputError, NarvikError, user_api
from ..network.controls import resolve_controls
from ..units import Q_

__all__ = ["PI", "DEFAULT_TIME_CONSTANT", "CONTROL_MODES", "Controllers", "check_spec"]

#: closed-loop time constant of the default tuning [s]
DEFAULT_TIME_CONSTANT = 120.0
#: a loop whose actuator, over its whole range, moves its target by less than this
#: fraction of the target's scale (100 K, the set-point of a flow or pressure
#: difference) has no steady effect (no direction, no default tuning)
NO_EFFECT = 1e-6
#: the ``controls=`` modes of :func:`narvik_thermal.transient.simulate`
CONTROL_MODES = ("steady", "pi", "frozen")

_SI = {"K": "K", "delta_K": "K", "kg/s": "kg/s", "m^3/s": "m^3/s", "Pa": "Pa", "": ""}


@user_api
@dataclass(frozen=True)
class PI:
    """Gains of a PI controller for one control loop of a transient run.

    Parameters
    ----------
    kp : float or Quantity, optional
        Proportional gain, actuator per target unit (e.g. ``Q_(0.05, "1/K")`` for a
        valve opening per kelvin; a float is SI). Its magnitude only: the direction
        comes from the loop's measured steady effect. ``None`` (with ``ti`` None):
        the default tuning from ``time_constant``.
    ti : Quantity, optional
        Integral time [time]; ``None`` with ``kp`` given: no integral action
        (proportional only).
    time_constant : Quantity, optional
        Closed-loop time constant λ of the default tuning [time] (120 s if not
        given): ``kp = 0.5/|K|``, ``ti = λ/2`` (see
        :mod:`narvik_thermal.transient.control`); only without ``kp``.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> nt.transient.PI(kp=0.02, ti=nt.Q_(30, "s")).ti
    30.0
    """

    kp: Any = None
    ti: Any = None
    time_constant: Any = None

    def __post_init__(self) -> None:
        if self.kp is None:
            if self.ti is not None:
                raise InputError(f"PI: ti={self.ti} without kp; give kp= too (kp=0 with ti= is "
                                 "no control at all), or neither for the default tuning.")
            lam = DEFAULT_TIME_CONSTANT if self.time_constant is None else \
                float(U.to_si(self.time_constant, "s", "time_constant"))
            if not (math.isfinite(lam) and lam > 0):
                raise InputError(f"PI: time_constant={self.time_constant} must be a positive, "
                                 "finite time, e.g. Q_(120, 's').")
            object.__setattr__(self, "time_constant", lam)
            return
        if self.time_constant is not None:
            raise InputError("PI: time_constant= is the default tuning's; give either kp= "
                             "(and ti=) or time_constant=, not both.")
        if self.ti is not None:
            ti = float(U.to_si(self.ti, "s", "ti"))
            if not (ti > 0 and not math.isnan(ti)):
                raise InputError(f"PI: ti={self.ti} must be a positive time (Q_(30, 's')), or "
                                 "None for no integral action.")
            object.__setattr__(self, "ti", ti)
        if not U.is_quantity(self.kp):
            try:
                kp = float(self.kp)
            except (TypeError, ValueError):
                raise InputError(f"PI: kp={self.kp!r} must be a number (SI) or a Quantity of "
                                 "actuator per target unit, e.g. Q_(0.05, '1/K').") from None
            if not (math.isfinite(kp) and kp >= 0):
                raise InputError(f"PI: kp={self.kp} must be finite and ≥ 0 (its magnitude; "
                                 "the direction comes from the loop).")
            object.__setattr__(self, "kp", kp)

    def gains(self, loop, K: float, dt: float) -> tuple[float, float]:
        """``(kp, ki Δt)`` in SI for ``loop`` with steady gain ``K``."""
        if self.kp is None:
            if not (math.isfinite(K) and K != 0):
                raise InputError(f"simulate: control {loop.name!r}: its actuator "
                                 f"{loop.kind} of {loop.element!r} has no steady effect on its "
                                 f"target (dy/du = {K:g}), so no default PI tuning; give "
                                 f"controls={{{loop.name!r}: nt.transient.PI(kp=..., ti=...)}}.")
            kp = 0.5 / abs(K)
            ti = self.time_constant / 2.0
            return kp, kp * dt / ti
        kp = self.kp
        if U.is_quantity(kp):
            unit = f"{_SI[loop.unit] or 'dimensionless'}/({_SI[loop.setpoint_unit] or 'dimensionless'})"
            kp = float(U.to_si(kp, unit, f"kp of control {loop.name!r}"))
            if not (math.isfinite(kp) and kp >= 0):
                raise InputError(f"PI: kp={self.kp} must be finite and ≥ 0.")
        return kp, (0.0 if self.ti is None else kp * dt / self.ti)


def _measure_state(loop, T, Tc, m, h_out_T, state) -> float:
    """The target of ``loop`` in the run's state: node temperatures ``T``, chip
    temperatures ``Tc`` (cold-plate order), flows ``m``, edge outlet temperatures
    ``h_out_T`` (a callable giving the outlet temperature of an edge) and the
    quasi-steady hydraulic ``state`` (pressures, densities)."""
    t = loop.target
    if t == "temperature":
        return float(T[loop.t_idx[0]])
    if t == "outlet_temperature":
        return h_out_T(loop.t_idx[0])
    if t == "flow":
        i = loop.t_idx[0]
        return float(m[i]) if loop.setpoint_unit == "kg/s" else \
            float(m[i] / state.density_edge[i])
    if t in ("chip_temperature", "hottest_chip"):
        return float(np.max(Tc[loop.chips[1]]))
    if t == "temperature_difference":
        if len(loop.t_idx) == 1:
            i = loop.t_idx[0]
            up = state.upstream[i]
            return h_out_T(i) - float(T[up])
        a, b = loop.t_idx
        return float(T[a] - T[b])
    if t == "pressure":
        return float(state.pressure[loop.t_idx[0]])
    a, b = loop.t_idx
    return float(state.pressure[a] - state.pressure[b])


def _apply_actuator(net, loop, u: float) -> None:
    k, el = loop.kind, loop.element
    if k == "pump_speed":
        net.update(el, speed=u)
    elif k == "valve_opening":
        net.update(el, opening=u)
    elif k == "pump_flow":
        net.update(el, flow=Q_(u, loop.unit))
    elif k == "setpoint_temperature":
        net.update(el, outlet_temperature=Q_(u, "K"))
    elif k == "heat_pump_supply":
        net.update(el, supply_temperature=Q_(u, "K"))
    elif k == "boundary_flow":
        net.update_boundary(el, mass_flow=Q_(u, loop.unit))
    else:
        net.update_boundary(el, temperature=Q_(u, "K"))


def check_spec(controls, names) -> tuple[str, dict]:
    if isinstance(controls, str):
        if controls not in CONTROL_MODES:
            raise InputError(f"simulate: controls={controls!r} is not a mode; choose from "
                             f"{CONTROL_MODES} or give a dict {{loop name: "
                             "nt.transient.PI(...)}}.")
        return controls, {}
    if not isinstance(controls, dict):
        raise InputError(f"simulate: controls={controls!r} must be one of {CONTROL_MODES} or a "
                         "dict {loop name: nt.transient.PI(kp=..., ti=...)}.")
    for name, pi in controls.items():
        if name not in names:
            raise InputError(f"simulate: controls names {name!r}, which is not a control loop "
                             f"of the network; its loops are {sorted(names)}.")
        if not isinstance(pi, PI):
            raise InputError(f"simulate: controls[{name!r}]={pi!r} must be "
                             "nt.transient.PI(kp=..., ti=...) (or PI() for the default "
                             "tuning).")
    return "pi", dict(controls)


class Controllers:
    """The PI controllers of one run (SI arrays; one entry per control loop).

    Built on the working copy after its steady (controlled) start, whose actuator
    values it starts from; it then takes the controls off that copy (its steady
    solves no longer adjust them), measures each loop's steady gain and keeps
    the loops' set-points and bounds (changed by events naming a loop).
    """

    def __init__(self, work, res, spec: dict, dt: float, sopts: dict):
        cn = work.compile()
        self.controls = {c.name: c for c in work.controls}
        loops = resolve_controls(work.controls, cn)
        self.loops = loops
        self.names = [c.name for c in loops]
        self.u = np.array([c.value for c in loops], dtype=float)
        st = res.state
        self.y0 = np.array([c.measure(st) for c in loops], dtype=float)
        for c in list(work.controls):
            work.remove_control(c.name)
        pis = [spec.get(c.name, PI()) for c in loops]
        need = [pi.kp is None or pi.kp != 0 for pi in pis]
        self.K = self._gains(work, res, sopts, need)
        self.kp = np.zeros(len(loops))
        self.ki = np.zeros(len(loops))
        for j, (c, pi) in enumerate(zip(loops, pis)):
            kp, ki = pi.gains(c, self.K[j], dt)
            if (kp > 0 or ki > 0) and not (math.isfinite(self.K[j]) and self.K[j] != 0):
                raise InputError(f"simulate: control {c.name!r}: its actuator has no steady "
                                 f"effect on its target (dy/du = {self.K[j]:g}) at the start, "
                                 "so the controller's direction is unknown; start from another "
                                 "operating point or give zero gains.")
            self.kp[j], self.ki[j] = kp, ki
        self.sign = np.where(np.isfinite(self.K), np.sign(self.K), 0.0)
        self.e_prev = self.setpoints() - self.y0

    def _gains(self, work, res, sopts, need) -> np.ndarray:
        """d target / d actuator of the loops that ``need`` it (NaN for the others):
        one-sided finite differences of steady solves (without controls) on a copy,
        1 % of each actuator's range."""
        K = np.full(len(self.loops), np.nan)
        if not any(need):
            return K
        probe = copy.deepcopy(work)
        for j, c in enumerate(self.loops):
            if not need[j]:
                continue
            d = 0.01 * (c.hi - c.lo)
            u1 = self.u[j] + d if self.u[j] + d <= c.hi else self.u[j] - d
            try:
                _apply_actuator(probe, c, u1)
                r = probe.solve(initial=res, warn=False, **sopts)
                y1 = c.measure(r.state)
            except NarvikError:
                y1 = float("nan")
            _apply_actuator(probe, c, self.u[j])
            K[j] = (y1 - self.y0[j]) / (u1 - self.u[j])
            if abs(K[j]) * (c.hi - c.lo) < NO_EFFECT * c.scale:
                K[j] = 0.0           # round-off of the solves, no effect
        return K

    def setpoints(self) -> np.ndarray:
        return np.array([self.controls[n].setpoint for n in self.names], dtype=float)

    def change(self, name: str, changes: dict) -> None:
        """An event naming a loop: ``setpoint=`` and/or ``bounds=``."""
        self.controls[name] = self.controls[name].with_setpoint(**changes)

    def update(self, y: np.ndarray) -> np.ndarray:
        """The actuators after measuring ``y`` (velocity-form PI, clamped)."""
        e = self.setpoints() - y
        du = self.sign * (self.kp * (e - self.e_prev) + self.ki * e)
        lo = np.array([self.controls[n].bounds[0] for n in self.names])
        hi = np.array([self.controls[n].bounds[1] for n in self.names])
        self.e_prev = e
        return np.clip(self.u + du, lo, hi)

    def apply(self, work, u: np.ndarray) -> bool:
        """Set the actuators that changed; whether any did."""
        moved = False
        for j, c in enumerate(self.loops):
            if u[j] != self.u[j]:
                _apply_actuator(work, c, float(u[j]))
                moved = True
        self.u = np.asarray(u, dtype=float).copy()
        return moved

    def measure(self, T, Tc, m, h, Q, state, fm, cn) -> np.ndarray:
        """Every loop's target in the run's state (see :func:`_measure_state`)."""
        up = np.where(m >= 0, cn.start, cn.end)
        dn = np.where(m >= 0, cn.end, cn.start)

        def out_T(i):
            if abs(m[i]) > 0:
                h_out = np.array([h[up[i]] + Q[i] / abs(m[i])])
                return float(fm.edge_at("temperature_h", h_out, np.array([i]))[0])
            return float(T[dn[i]])

        return np.array([_measure_state(c, T, Tc, m, out_T, state) for c in self.loops])

    def units(self) -> tuple[list[str], list[str]]:
        """Units of the recorded actuators and targets (temperatures in degC)."""
        def unit(u):
            return {"K": "degC", "delta_K": "delta_degC", "": "1"}.get(u, u)
        return [unit(c.unit) for c in self.loops], [unit(c.setpoint_unit) for c in self.loops]
