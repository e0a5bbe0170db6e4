"""The solved steady state of a compiled network, as arrays (SI).

:func:`narvik_thermal.solvers.coupled.solve_network` returns a
:class:`SteadyState`; :class:`narvik_thermal.network.Result` wraps it with names,
units and checks. The arrays are the public, documented form of a solution for
code that works by index (plant builders, annual loops).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["SteadyState"]


@dataclass
class SteadyState:
    """Arrays of a solved (or, with ``converged=False``, last-iterate) steady state.

    Attributes
    ----------
    mass_flow : numpy.ndarray
        Mass flow of each edge [kg/s] (positive start → end; all ``count`` units).
    pressure : numpy.ndarray
        Absolute pressure of each node [Pa].
    temperature : numpy.ndarray
        Mixed temperature of each node [K].
    enthalpy : numpy.ndarray
        Specific enthalpy of each node [J/kg].
    heat : numpy.ndarray
        Heat into the fluid of each edge [W] (NaN in a hydraulic failure's iterate).
    outlet_enthalpy, outlet_temperature : numpy.ndarray
        At each edge's outlet before mixing [J/kg], [K].
    upstream, downstream : numpy.ndarray
        Node upstream / downstream of each edge by the solved flow direction.
    density_edge, viscosity_edge : numpy.ndarray
        Properties at each edge's mean temperature [kg/m³], [Pa s].
    density_node : numpy.ndarray
        Density at each node [kg/m³].
    rise : numpy.ndarray
        Pressure rise of each edge, ``p_end − p_start − ρ g (z_start − z_end)`` [Pa].
    supply : numpy.ndarray
        Net flow each node takes from outside the edges [kg/s].
    external_inflow, external_enthalpy : numpy.ndarray
        Inflow from boundaries into each node [kg/s] and its enthalpy [J/kg].
    heat_exchangers : dict
        ``effectiveness``, ``ntu``, ``cmin``, ``cr`` per heat exchanger.
    heat_pumps : dict
        ``cop``, ``mode``, ``heat_sink``, ``heat_source``, ``electric_power`` per heat pump.
    consumers : dict
        ``delivering`` (bool) per consumer edge of the ``CONSUMER`` group.
    record : dict
        Convergence record (outer iterations, Newton iterations, residuals,
        temperature changes, seconds, factorisations, …).
    converged : bool
    message : str
        Why the solve failed (empty when converged).
    """

    mass_flow: np.ndarray
    pressure: np.ndarray
    temperature: np.ndarray
    enthalpy: np.ndarray
    heat: np.ndarray
    outlet_enthalpy: np.ndarray
    outlet_temperature: np.ndarray
    upstream: np.ndarray
    downstream: np.ndarray
    density_edge: np.ndarray
    viscosity_edge: np.ndarray
    density_node: np.ndarray
    rise: np.ndarray
    supply: np.ndarray
    external_inflow: np.ndarray
    external_enthalpy: np.ndarray
    heat_exchangers: dict = field(default_factory=dict)
    heat_pumps: dict = field(default_factory=dict)
    consumers: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)
    converged: bool = True
    message: str = ""
    #: True when only the hydraulics were solved (a hydraulic failure's iterate)
    partial: bool = False
