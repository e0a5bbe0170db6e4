"""Solver options and the low-level solve record."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal


__all__ = ["SolverOptions", "SolveResult"]


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
        Outer (property / thermal coupling) convergence on node temperatures [K].
    max_outer : int
        Outer iterations of the hydraulic–thermal coupling.
    couple_properties : bool
        Re-evaluate density and viscosity at the solved temperatures and
        iterate (True), or use properties at the initial temperature (False).
    initial_temperature : float
        Temperature used for properties before any thermal solve, when the
        network gives none [K] (default 293.15 K).
    linear_solver : {"auto", "ldl", "qdldl", "splu", "cg"}
        Sparse solver of the nodal system: LDLᵀ with the symbolic analysis
        kept per topology, by the compiled kernel on tree-like networks and by
        QDLDL on meshes, as the measured fill of the pattern calls for
        ("auto"), or forced to one of them ("ldl", "qdldl"); with these the
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
    check_physics : bool
        Flag freezing/boiling, chips over their limit, reversed flow (warnings
        and ``result.flags``).
    """

    pressure_rtol: float = 1e-9
    flow_rtol: float = 1e-9
    max_newton: int = 50
    temperature_tol: float = 1e-6
    max_outer: int = 30
    couple_properties: bool = True
    initial_temperature: float = 293.15
    linear_solver: Literal["auto", "ldl", "qdldl", "splu", "cg"] = "auto"
    thermal_solver: Literal["auto", "lu"] = "auto"
    max_control: int = 40
    control_rtol: float = 1e-6
    check_physics: bool = True

    def replace(self, **changes) -> "SolverOptions":
        """A copy with some fields changed (unknown names raise TypeError)."""
        return replace(self, **changes)


@dataclass
class SolveResult:
    """What one low-level solve returns (arrays in SI)."""

    converged: bool
    iterations: int
    residual: float
    history: list = field(default_factory=list)
    state: dict = field(default_factory=dict)
