"""Solver options and the low-level solve record."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from typing import Literal

import numpy as np

from ..errors import user_api

__all__ = ["SolverOptions", "SolveResult"]

#: fields of SolverOptions that take one of a few names
_CHOICES = {"linear_solver": ("auto", "ldl", "qdldl", "supernodal", "splu", "cg"),
            "thermal_solver": ("auto", "lu")}


@user_api
@dataclass(frozen=True)
class SolverOptions:
    """Tolerances and limits of the steady solvers.

    Attributes
    ----------
    pressure_rtol : float
        Hydraulic convergence: the largest edge residual
        ``|p_start − p_end + ρgΔz − r(ṁ)|`` must fall below this fraction of the
        network's pressure scale (largest loss, pump rise or static head) [-].
    flow_rtol : float
        ... and the largest flow change below this fraction of the largest flow [-].
    max_newton : int
        Newton iterations per hydraulic solve.
    temperature_tol : float
        Outer (property / thermal coupling) convergence on node temperatures [K]:
        the largest change of the last outer iteration, or, while the iteration
        contracts steadily, the remaining error its contraction implies
        (:func:`~narvik_thermal.solvers.coupled.solve_network`).
    max_outer : int
        Outer iterations of the hydraulic–thermal coupling (default 50: a heat pump
        limited by its source, whose capacity the iteration lags and mixes, can take
        30–40 from a cold start, e.g. a 20 MW campus under a 40 MW town; a warm
        point takes a few).
    couple_properties : bool
        Re-evaluate density and viscosity at the solved temperatures and
        iterate (True), or use properties at the initial temperature (False).
    accelerate_coupling : bool
        Anderson(1) extrapolation of the node enthalpies between outer iterations
        of the coupling while they contract steadily (True), or plain fixed-point
        iteration (False, default: the stopping test ends fast contractions early,
        which the extrapolation defers; see the theory page). Same convergence test
        either way; the extrapolation stops for the rest of a solve as soon as a
        step does not shrink the fixed-point residual
        (:func:`~narvik_thermal.solvers.coupled.solve_network`).
    initial_temperature : float or Quantity
        Temperature used for properties before any thermal solve, when the
        network gives none [K, or an absolute temperature Quantity] (default
        293.15 K).
    linear_solver : {"auto", "ldl", "qdldl", "supernodal", "splu", "cg"}
        Sparse solver of the nodal system: LDLᵀ with the symbolic analysis
        kept per topology, by the compiled kernel on tree-like networks and by
        supernodes on meshes, as the measured fill of the pattern calls for
        ("auto"), or forced to one of them or to QDLDL ("ldl", "supernodal",
        "qdldl"); with these the
        last factorisation preconditions conjugate gradients when that costs
        less than factorising again
        (:class:`~narvik_thermal.solvers.nodal.NodalSolver`). SuperLU at every
        step ("splu"), or Jacobi-preconditioned conjugate gradients
        warm-started from the last pressures ("cg").
    thermal_solver : {"auto", "lu"}
        Heat transport: substitution in flow order with a few torn loop nodes
        ("auto"; SuperLU where that does not apply), or SuperLU on the whole
        enthalpy system ("lu", for cross-checks).
    max_control : int
        Outer iterations of the control loops (``Network.add_control``).
    control_rtol : float
        Control convergence: ``|target − set-point|`` below this fraction of the
        target's scale (100 K for temperatures, the set-point for flows, the
        larger of the set-point and 1 kPa for pressure differences) [-].
    inexact_control : bool
        Solve the control iteration's trial points that are still far from the
        set-points to a looser temperature tolerance (from the merit the step
        predicts; the hydraulics too where every loop holds a temperature), the
        final state always to the full tolerance (True, default), or every
        trial to the full tolerance (False; for cross-checks) — see
        :func:`~narvik_thermal.solvers.control.solve_controlled`.
    simultaneous_control : bool
        A warm-started controlled solve with a kept control Jacobian (the next
        point of a year) moves its actuators between the outer iterations of its
        first coupled solve, instead of one coupled solve per step (True,
        default, where every actuator is hydraulic and no target is a chip's;
        see :func:`~narvik_thermal.solvers.control.solve_controlled`), or takes
        every step as a solve of its own (False; for cross-checks). The final
        state is judged the same way either way.
    check_physics : bool
        Flag freezing/boiling, chips over their limit, reversed flow (warnings
        and ``result.flags``).
    """

    pressure_rtol: float = 1e-9
    flow_rtol: float = 1e-9
    max_newton: int = 50
    temperature_tol: float = 1e-6
    max_outer: int = 50
    couple_properties: bool = True
    accelerate_coupling: bool = False
    initial_temperature: float = 293.15
    linear_solver: Literal["auto", "ldl", "qdldl", "supernodal", "splu", "cg"] = "auto"
    thermal_solver: Literal["auto", "lu"] = "auto"
    max_control: int = 40
    control_rtol: float = 1e-6
    inexact_control: bool = True
    simultaneous_control: bool = True
    check_physics: bool = True

    def __post_init__(self) -> None:
        from ..errors import InputError
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in _CHOICES:
                if v not in _CHOICES[f.name]:
                    raise InputError(f"SolverOptions: {f.name}={v!r} must be one of "
                                     f"{list(_CHOICES[f.name])}.")
            elif f.name in ("couple_properties", "accelerate_coupling", "check_physics",
                            "inexact_control", "simultaneous_control"):
                if not isinstance(v, (bool, np.bool_)):
                    raise InputError(f"SolverOptions: {f.name}={v!r} must be True or False.")
            else:
                if f.name == "initial_temperature" and hasattr(v, "magnitude"):
                    from .. import units as U        # a Quantity: an absolute temperature
                    v = float(U.to_temperature(v, "SolverOptions: initial_temperature"))
                    object.__setattr__(self, f.name, v)
                whole = f.name.startswith("max_")
                ok = (isinstance(v, (int, float, np.integer, np.floating))
                      and not isinstance(v, (bool, np.bool_)) and np.isfinite(v) and v > 0
                      and (not whole or float(v) == int(v)))
                if not ok:
                    raise InputError(f"SolverOptions: {f.name}={v!r} must be a positive "
                                     + ("whole number" if whole else "finite number") + ".")
                if whole:
                    object.__setattr__(self, f.name, int(v))     # 5.0 → 5 (a count)
                elif f.name.endswith("_rtol") and not v < 0.1:
                    raise InputError(f"SolverOptions: {f.name}={v!r} is a relative "
                                     "tolerance; it must be below 0.1 (the default is "
                                     f"{f.default:g}): at 0.1 or more a solve "
                                     "stops anywhere and is reported converged.")
                elif f.name == "temperature_tol" and not v <= 1.0:
                    raise InputError(f"SolverOptions: temperature_tol={v!r} K must be at most "
                                     "1 K (the default is 1e-6 K).")

    def replace(self, **changes) -> "SolverOptions":
        """A copy with some fields changed (an unknown name is an InputError listing the
        valid ones). Equal options with equal changes give the same (immutable) object:
        the solvers derive the same few options at every solve."""
        try:
            # keyed by the values' types too: True == 1, but only True is a valid flag
            return _replaced(self, tuple(sorted((k, type(v), v) for k, v in changes.items())))
        except TypeError:                   # an unhashable value: validated uncached
            return self._replace(changes)

    def _replace(self, changes: dict) -> "SolverOptions":
        from ..errors import InputError
        names = [f.name for f in fields(self)]
        unknown = [k for k in changes if k not in names]
        if unknown:
            import difflib
            close = difflib.get_close_matches(unknown[0], names, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise InputError(f"unknown solver option {unknown[0]!r}.{hint} The options are "
                             f"{names}.")
        return replace(self, **changes)


@functools.lru_cache(maxsize=256)
def _replaced(options: SolverOptions, changes: tuple) -> SolverOptions:
    return options._replace({k: v for k, _, v in changes})


@dataclass
class SolveResult:
    """What one low-level solve returns (arrays in SI).

    ``flow_change``: the largest flow change of the last Newton step relative to the
    largest flow (0 when no step was taken); with ``residual`` it says whether the
    state also meets tighter tolerances than the ones it was solved to
    (:func:`narvik_thermal.solvers.hydraulic.meets_tolerance`).
    """

    converged: bool
    iterations: int
    residual: float
    history: list = field(default_factory=list)
    state: dict = field(default_factory=dict)
    flow_change: float = float("inf")
