"""Steady solvers: hydraulics (Newton, global gradient), heat transport, coupling."""

from .options import SolverOptions, SolveResult

__all__ = ["SolverOptions", "SolveResult"]
