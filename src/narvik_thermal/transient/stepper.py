"""Backward-Euler heat transport with storage, for one flow field (SI arrays).

The steady enthalpy balance of :mod:`narvik_thermal.solvers.thermal` (every
node mixes the streams that enter it, upwind by the solved flow direction; every
edge adds the heat of its own thermal law, linear in its inlet enthalpy and,
for heat exchangers and heat pumps, its partner's) gains a storage term per
node:

.. math::

   C_n \\frac{h_n^{k+1} - h_n^k}{\\Delta t}
   + \\Big(\\sum_{e \\to n} |\\dot m_e| + \\dot m_{ext,n}\\Big) h_n^{k+1}
   = \\sum_{e \\to n} \\big(|\\dot m_e| h^{k+1}_{up(e)} + \\dot Q_e^{k+1}\\big)
   + \\dot m_{ext,n} h_{ext,n}

with :math:`C_n` the fluid mass and metal heat capacity (over :math:`c_p`) that
sit at node ``n`` (:func:`node_capacity`). With the flows fixed the matrix does
not change from step to step: it is factorised once (:class:`Stepper`) and every
step is one pair of triangular solves.

A cold plate is a chip (with the plate's metal) of heat capacity :math:`C_c`
behind its case-to-inlet resistance :math:`R(\\dot V)`:
:math:`C_c \\dot T_c = P - (T_c - T_{in})/R`, the fluid receiving
:math:`(T_c - T_{in})/R`. Eliminated inside the backward-Euler step this is an
edge law linear in the inlet enthalpy, so the chip lags its coolant and a steady
state of the run is the steady chip law :math:`T_c = T_{in} + P R`.

Every step's energy balance closes to round-off (:meth:`Stepper.step` returns
the heat and boundary enthalpy flows of the step).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["node_capacity", "Stepper", "CAPACITY_FLOOR"]

#: Every node that is not a boundary holds at least this fraction of the mean
#: node capacity, so that the matrix stays regular at nodes without fluid
#: volume when the flow stops (a pump trip); a steady state does not depend on it.
CAPACITY_FLOOR = 1e-6


def node_capacity(start, end, volume, metal, rho_edge, cp_node, boundary):
    """Heat capacity of each node, as a fluid mass [kg], and the end weights.

    Half of each edge's fluid volume and metal heat capacity sits at each of its
    end nodes; an end at a boundary (a pressure or flow boundary, an ideal
    reservoir) holds none, the other end then holds all of it.

    Parameters
    ----------
    start, end : numpy.ndarray
        End nodes of each edge.
    volume : numpy.ndarray
        Fluid volume of each edge (all units) [m³].
    metal : numpy.ndarray
        Metal heat capacity in contact with each edge's fluid [J/K].
    rho_edge : numpy.ndarray
        Density at each edge [kg/m³].
    cp_node : numpy.ndarray
        Specific heat at each node [J/(kg K)] (the metal's capacity counts as
        ``metal / cp`` kilograms of fluid).
    boundary : numpy.ndarray of bool
        Boundary nodes.

    Returns
    -------
    C : numpy.ndarray
        Capacity of each node [kg] (≥ :data:`CAPACITY_FLOOR` times the mean
        positive capacity at nodes that are not boundaries).
    ws, we : numpy.ndarray
        Share of each edge held by its start and end node.
    """
    N = boundary.size
    bs, be = boundary[start], boundary[end]
    ws = np.where(bs, 0.0, np.where(be, 1.0, 0.5))
    we = np.where(be, 0.0, np.where(bs, 1.0, 0.5))
    both = bs & be
    ws[both] = 0.0
    we[both] = 0.0
    mass = rho_edge * volume
    C = (np.bincount(start, ws * mass, minlength=N) + np.bincount(end, we * mass, minlength=N)
         + np.bincount(start, ws * metal, minlength=N) / cp_node
         + np.bincount(end, we * metal, minlength=N) / cp_node)
    pos = C[C > 0]
    floor = CAPACITY_FLOOR * (float(pos.mean()) if pos.size else 1.0)
    C = np.where(boundary, C, np.maximum(C, floor))
    return C, ws, we


class Stepper:
    """Backward-Euler steps of the node enthalpies for one flow field and step.

    Parameters
    ----------
    m : numpy.ndarray
        Edge mass flows [kg/s].
    start, end, partner : numpy.ndarray
        Edge ends and the partner edge of coupled sides (−1: none).
    q0, q1, q2 : numpy.ndarray
        Linear heat laws of the edges, ``Q = q0 + q1 h_up + q2 h_up(partner)``
        (:func:`narvik_thermal.components.thermal.edge_heat_coefficients`);
        the entries of cold plates are replaced by the chip law.
    ext_in, h_ext : numpy.ndarray
        Boundary inflow into each node [kg/s] and its enthalpy [J/kg].
    C : numpy.ndarray
        Node capacities [kg] (:func:`node_capacity`).
    dt : float
        Step [s].
    fixed : numpy.ndarray of bool
        Nodes without capacity or inflow (a boundary without flow): they keep
        ``h_fixed``.
    h_fixed : numpy.ndarray
        Enthalpy kept at ``fixed`` nodes [J/kg].
    chip : dict, optional
        Cold plates: ``idx`` (edges), ``P`` (heat, all units) [W], ``C`` (chip
        and plate heat capacity) [J/K], ``G`` (1/R, all units) [W/K], and the
        linearisation of the inlet temperature ``T_k``, ``h_k``, ``cp_k`` at
        each plate's upstream node.
    """

    def __init__(self, m, start, end, partner, q0, q1, q2, ext_in, h_ext, C, dt, fixed, h_fixed,
                 chip=None):
        N = C.size
        self.N, self.dt, self.C = N, dt, C
        flowing = m != 0.0
        up = np.where(m >= 0, start, end)
        dn = np.where(m >= 0, end, start)
        self.up, self.partner = up, partner
        am = np.abs(m)
        M = ext_in + np.bincount(dn[flowing], am[flowing], minlength=N)
        out = np.bincount(up[flowing], am[flowing], minlength=N)
        self.ext_in, self.h_ext = ext_in, h_ext
        #: what leaves each node to outside the edges [kg/s] (exactly the node's
        #: mass imbalance, so that the step's energy balance is exact)
        self.ext_out = M - out
        rows, cols, vals = [], [], []
        b = ext_in * h_ext
        q0 = q0.copy()
        q1 = q1.copy()
        # chip of each cold plate, eliminated: Q = a P + a (C/dt)(T_c^k − T_in^{k+1})
        self.chip = chip
        if chip is not None and chip["idx"].size:
            i = chip["idx"]
            Cc = chip["C"] / dt
            with np.errstate(invalid="ignore", divide="ignore"):
                a = np.where(Cc + chip["G"] > 0, chip["G"] / (Cc + chip["G"]), 1.0)
            chip["a"], chip["Cdt"] = a, Cc
            q0[i] = a * chip["P"] + a * Cc * (chip["h_k"] / chip["cp_k"] - chip["T_k"])
            q1[i] = -a * Cc / chip["cp_k"]
        self.q0, self.q1, self.q2 = q0, q1, q2
        coupled = partner >= 0
        pup = np.where(coupled, up[np.where(coupled, partner, 0)], 0)
        self.pup = pup
        # flowing edges: their heat goes to the downstream node (upwind)
        f = np.flatnonzero(flowing)
        rows += [dn[f]]; cols += [up[f]]; vals += [-(am[f] + q1[f])]
        fc = f[coupled[f]]
        rows += [dn[fc]]; cols += [pup[fc]]; vals += [-q2[fc]]
        b = b + np.bincount(dn[f], q0[f], minlength=N)
        # edges without flow: their heat to both ends, in proportion to their capacity
        z = np.flatnonzero(~flowing)
        s_, e_ = start[z], end[z]
        tot = C[s_] + C[e_]
        share_s = np.where(tot > 0, C[s_] / np.where(tot > 0, tot, 1.0), 0.0)
        share_e = np.where(tot > 0, 1.0 - share_s, 0.0)
        self.zero = (z, s_, e_, share_s, share_e)
        for node, share in ((s_, share_s), (e_, share_e)):
            rows += [node]; cols += [up[z]]; vals += [-share * q1[z]]
            zc = coupled[z]
            rows += [node[zc]]; cols += [pup[z][zc]]; vals += [-(share * q2[z])[zc]]
            b = b + np.bincount(node, share * q0[z], minlength=N)
        diag = C / dt + M
        self.fixed = fixed = fixed | (diag <= 0.0)
        keep = ~fixed[np.concatenate(rows)] if rows else np.zeros(0, bool)
        r = np.concatenate(rows)[keep]
        c = np.concatenate(cols)[keep]
        v = np.concatenate(vals)[keep]
        diag = np.where(fixed, 1.0, diag)
        b = np.where(fixed, h_fixed, b)
        self.b0 = b
        A = sp.csc_matrix((np.concatenate([v, diag]), (np.concatenate([r, np.arange(N)]),
                                                        np.concatenate([c, np.arange(N)]))),
                          shape=(N, N))
        import scipy.sparse.linalg as spla  # noqa: PLC0415  (0.1 s; only runs need it)

        self.lu = spla.splu(A, permc_spec="COLAMD")
        self.store = np.where(fixed, 0.0, C / dt)
        # chip right-hand side: a (C/dt) T_c^k into the row of each flowing plate
        if chip is not None and chip["idx"].size:
            i = chip["idx"]
            self.chip_row = np.where(flowing[i] & ~fixed[dn[i]], dn[i], -1)

    def step(self, h, Tc=None):
        """One step from node enthalpies ``h`` (and chip temperatures ``Tc`` [K]).

        Returns
        -------
        h_new : numpy.ndarray
        Tc_new : numpy.ndarray or None
        Q : numpy.ndarray
            Heat into the fluid of each edge over the step [W].
        boundary_out : float
            Enthalpy leaving through boundaries minus entering [W].
        """
        b = self.b0 + self.store * h
        ch = self.chip
        if ch is not None and ch["idx"].size:
            rr = self.chip_row
            ok = rr >= 0
            b = b + np.bincount(rr[ok], (ch["a"] * ch["Cdt"] * Tc)[ok], minlength=self.N)
        h_new = self.lu.solve(b)
        Q = self.q0 + self.q1 * h_new[self.up]
        cpl = self.partner >= 0
        Q = Q + np.where(cpl, self.q2 * h_new[self.pup], 0.0)
        Tc_new = None
        if ch is not None and ch["idx"].size:
            i = ch["idx"]
            T_in = ch["T_k"] + (h_new[self.up[i]] - ch["h_k"]) / ch["cp_k"]
            Q[i] = ch["a"] * ch["P"] + ch["a"] * ch["Cdt"] * (Tc - T_in)
            den = ch["Cdt"] + ch["G"]
            with np.errstate(invalid="ignore", divide="ignore"):
                Tc_new = np.where(den > 0, (ch["Cdt"] * Tc + ch["P"] + ch["G"] * T_in)
                                  / np.where(den > 0, den, 1.0), np.inf)
        boundary_out = float(self.ext_out @ h_new - self.ext_in @ self.h_ext)
        return h_new, Tc_new, Q, boundary_out

    def lost_heat(self, Q):
        """Heat of edges without flow between two nodes without capacity [W]
        (it has nowhere to be stored; two boundaries)."""
        z, s_, e_, ss, se = self.zero
        return float(np.sum(Q[z] * (1.0 - ss - se)))
