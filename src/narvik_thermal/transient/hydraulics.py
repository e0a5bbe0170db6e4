"""Flows of a run after an event that leaves the network without a steady state.

A stopped loop that still carries heat (a pump trip without standby) has no
steady temperatures, so the coupled steady solve cannot give its flows. Here the
hydraulics alone are solved with the fluid properties at the run's current
temperatures (buoyancy included), and the boundary inflows are derived from
them as the coupled solve derives them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..components.pump import G
from ..errors import ConvergenceError
from ..solvers.hydraulic import boundary_inflows, solve_hydraulics
from ..solvers.options import SolverOptions
from ..solvers.state import SteadyState

__all__ = ["FlowState", "hydraulics_at", "FALLBACK_RTOL"]

#: Relative hydraulic tolerance of these solves: only buoyancy drives a stopped loop,
#: through laws whose slope vanishes at zero flow (stopped pumps, check valves), so
#: Newton converges linearly there; 1e-6 of the (small) driving pressures is enough.
FALLBACK_RTOL = 1e-6


@dataclass
class FlowState:
    """A solved flow field without steady temperatures (``converged`` is False: the
    heat laws are linearised about the run's temperatures)."""

    state: SteadyState
    converged: bool = False


def hydraulics_at(cn, fm, T: np.ndarray, last: SteadyState, options: dict) -> FlowState:
    """Solve the hydraulics of ``cn`` at node temperatures ``T`` [K].

    Parameters
    ----------
    cn : CompiledNetwork
    fm : FluidMap
    T : numpy.ndarray
        Node temperatures of the run [K].
    last : SteadyState
        The last solved state (warm start; consumer flows and heat-pump modes kept).
    options : dict
        :class:`~narvik_thermal.solvers.options.SolverOptions` fields given by the user.

    Raises
    ------
    ConvergenceError
        The hydraulics did not converge.
    """
    s, e = cn.start, cn.end
    _, (rho_n,), (rho_e, mu_e) = fm.clamped(T, ("density",), ("density", "viscosity"))
    opts = SolverOptions().replace(**{"max_newton": 200, "pressure_rtol": FALLBACK_RTOL,
                                      "flow_rtol": FALLBACK_RTOL, **options})
    cf = last.consumers.get("flow") if last.consumers else None
    hyd = solve_hydraulics(cn, rho_e, mu_e, rho_n, opts, m0=last.mass_flow.copy(),
                           p0=last.pressure.copy(), consumer_flow=cf)
    m = hyd.state["mass_flow"]
    p = hyd.state["pressure"]
    if not hyd.converged or not (np.all(np.isfinite(m)) and np.all(np.isfinite(p))):
        raise ConvergenceError(f"hydraulics at the run's temperatures did not converge "
                               f"(relative residual {hyd.residual:.3e} after {hyd.iterations} "
                               "Newton iterations).")
    N, E = cn.n_nodes, cn.n_edges
    # boundary inflows, as the coupled solve has them
    supply = -(cn.incidence @ m)
    ext_in = np.zeros(N)
    T_ext = np.full(N, np.nan)
    qn = np.zeros(N)
    if cn.flow_nodes.size:
        qn = boundary_inflows(cn, rho_n)
        fin = cn.flow_nodes[qn[cn.flow_nodes] > 0]
        ext_in[fin] += qn[fin]
        T_ext[cn.flow_nodes] = cn.flow_temperature
    pb = cn.fixed_nodes[~cn.is_tank]
    if pb.size:
        ext_in[pb] += np.maximum(supply[pb] - qn[pb], 0.0)
        T_ext[pb] = cn.bc_temperature[~cn.is_tank]
    h_ext = np.zeros(N)
    have = np.flatnonzero(ext_in > 0)
    if have.size:
        h_ext[have] = fm.node_at("enthalpy_T", T_ext[have], have)
    up = np.where(m >= 0, s, e)
    dn = np.where(m >= 0, e, s)
    nanE = np.full(E, np.nan)
    rise = p[e] - p[s] - rho_e * G * (cn.elevation[s] - cn.elevation[e])
    st = SteadyState(
        mass_flow=m, pressure=p, temperature=T.copy(), enthalpy=np.full(N, np.nan), heat=nanE,
        outlet_enthalpy=nanE, outlet_temperature=nanE.copy(), upstream=up, downstream=dn,
        density_edge=rho_e, viscosity_edge=mu_e, density_node=rho_n, rise=rise, supply=supply,
        external_inflow=ext_in, external_enthalpy=h_ext, heat_exchangers={},
        heat_pumps=dict(last.heat_pumps) if last.heat_pumps else {},
        consumers=dict(last.consumers) if last.consumers else {},
        record={}, converged=False, message="hydraulics only, at the run's temperatures")
    return FlowState(st)
