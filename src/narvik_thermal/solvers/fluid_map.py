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
        # table range of each fluid
        self.t_min = np.array([float(getattr(f, "t_min", 0.0)) for f in uniq])
        self.t_max = np.array([float(getattr(f, "t_max", np.inf)) for f in uniq])
        #: each edge's ends (the pairs of node temperatures an edge's mean is taken of),
        #: int64
        self.ends = (np.ascontiguousarray(cn.start, dtype=np.int64),
                     np.ascontiguousarray(cn.end, dtype=np.int64))
        self.tables = table_set(tuple(uniq))

    def lookup(self, where: str, keys: tuple[str, ...], x: np.ndarray) -> np.ndarray:
        """Table quantities ``keys`` ("density", "cp", "viscosity", "enthalpy", …) at
        the temperatures ``x`` of every node (``where="node"``) or edge, one row per
        key; clamped to each fluid's table."""
        return self.tables.values(x, self._f[where], keys)

    def clamped(self, T: np.ndarray, keys: tuple[str, ...],
                edge_keys: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Node temperatures ``T`` [K] clamped to each node's fluid table, for the
        evaluation of properties only (the temperatures themselves, and the enthalpies
        of boundaries and set-points, are never clamped: a state beyond a table is
        flagged by the result, ``freezing``, ``property_range``), the table quantities
        ``keys`` at every node at them, and ``edge_keys`` at every edge at the mean of
        its ends' clamped temperatures, in one compiled pass
        (:meth:`~narvik_thermal.fluids.table_set.TableSet.clamped_values`).

        Returns
        -------
        Tc, node_values, edge_values : numpy.ndarray
            The clamped temperatures, one row per key of ``keys`` (nodes) and of
            ``edge_keys`` (edges; no rows without them).
        """
        if edge_keys:
            s, e = self.ends
        else:
            s = e = _NO_ENDS
        return self.tables.clamped_values(T, self.node_f, self.t_min, self.t_max, keys, s, e,
                                          self.edge_f, edge_keys)

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


#: no edges, for :meth:`FluidMap.clamped` without edge quantities
_NO_ENDS = np.zeros(0, dtype=np.int64)


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
