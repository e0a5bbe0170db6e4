"""The fluid properties of a compiled network's nodes and edges (:class:`FluidMap`),
and the boundary and set-point enthalpies a coupled solve starts from
(:mod:`narvik_thermal.solvers.coupled`)."""

from __future__ import annotations

import numpy as np

from ..components.kinds import ThermalLaw
from ..fluids.table_set import table_set

__all__ = ["FluidMap", "boundary_temperatures", "setpoint_enthalpies"]


class FluidMap:
    """Evaluates fluid properties of every node or edge in its circuit's fluid, in one
    compiled pass over all of them (:class:`~narvik_thermal.fluids.table_set.TableSet`).

    ``temperature_h`` and ``enthalpy_T`` continue linearly beyond a fluid's table
    with the end specific heat, so that a boundary, set-point or solved temperature
    below the freezing point (or above the table) is kept as given and flagged,
    never moved to the table end; the other properties stay clamped to the table
    (and the state is flagged).
    """

    def __init__(self, cn) -> None:
        uniq: list = []
        fidx = np.empty(cn.n_circuits, dtype=np.int64)
        for c, fl in enumerate(cn.circuit_fluid):
            for k, u in enumerate(uniq):
                if u is fl or u == fl:
                    fidx[c] = k
                    break
            else:
                uniq.append(fl)
                fidx[c] = len(uniq) - 1
        self.fluids = uniq
        self.node_f = np.ascontiguousarray(fidx[cn.node_circuit], dtype=np.int64)
        self.edge_f = np.ascontiguousarray(fidx[cn.edge_circuit], dtype=np.int64)
        self._f = {"node": self.node_f, "edge": self.edge_f}
        self.node_sel = [np.flatnonzero(self.node_f == k) for k in range(len(uniq))]
        # table range of each node's fluid (a scalar when there is one fluid)
        lo = np.array([float(getattr(f, "t_min", 0.0)) for f in uniq])
        hi = np.array([float(getattr(f, "t_max", np.inf)) for f in uniq])
        one = len(uniq) == 1
        self.node_t_min = lo[0] if one else lo[self.node_f]
        self.node_t_max = hi[0] if one else hi[self.node_f]
        self.tables = table_set(tuple(uniq))

    def lookup(self, where: str, keys: tuple[str, ...], x: np.ndarray) -> np.ndarray:
        """Table quantities ``keys`` ("density", "cp", "viscosity", "enthalpy", …) at
        the temperatures ``x`` of every node (``where="node"``) or edge, one row per
        key; clamped to each fluid's table."""
        return self.tables.values(x, self._f[where], keys)

    def edge_at(self, method: str, x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Property ``method`` at the edges ``idx`` only (``x`` aligned with ``idx``)."""
        return self.tables.evaluate(method, x, self.edge_f[idx])

    def node_at(self, method: str, x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Property ``method`` at the nodes ``idx`` only (``x`` aligned with ``idx``)."""
        return self.tables.evaluate(method, x, self.node_f[idx])

    def node(self, method: str, x: np.ndarray) -> np.ndarray:
        """Fluid method ``method`` ("temperature_h", "enthalpy_T", "cp_pT", …) at every node."""
        return self.tables.evaluate(method, x, self.node_f)

    def edge(self, method: str, x: np.ndarray) -> np.ndarray:
        """Fluid method ``method`` at every edge."""
        return self.tables.evaluate(method, x, self.edge_f)


def boundary_temperatures(cn) -> tuple[np.ndarray, np.ndarray]:
    """The nodes with a boundary temperature (pressure boundaries other than expansion
    tanks, flow boundaries) and those temperatures [K] (293.15 K elsewhere)."""
    boundary = np.zeros(cn.n_nodes, bool)
    T_bc = np.full(cn.n_nodes, 293.15)
    pb = cn.fixed_nodes[~cn.is_tank]
    boundary[pb] = True
    T_bc[pb] = cn.bc_temperature[~cn.is_tank]
    if cn.flow_nodes.size:
        boundary[cn.flow_nodes] = True
        T_bc[cn.flow_nodes] = cn.flow_temperature
    return boundary, T_bc


def setpoint_enthalpies(cn, fm) -> np.ndarray:
    """Outlet enthalpy held by each set-point edge [J/kg] (NaN on every other edge)."""
    h_set = np.full(cn.n_edges, np.nan)
    sg = cn.tgroups[ThermalLaw.SETPOINT]
    if len(sg):
        h_set[sg.idx] = fm.edge_at("enthalpy_T", sg.params["t_set"], sg.idx)
    return h_set
