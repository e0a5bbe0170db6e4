"""Compiled kernels of the checks of a solved state (:mod:`.checks`), numba: one pass
that says which physics checks find anything, and the sums of the circuits' balances.
Imported lazily (they load numba).

The checks of a state that is in order find nothing, and in NumPy each costs a few
array operations of a few microseconds; :func:`screen` makes every one of those
comparisons in one call, with the same operations on the same numbers, and the checks
run their own NumPy code (which makes the flags) only where it found something.
:func:`balance_sums` adds up what the balances sum in NumPy's order (``np.bincount``
accumulates element by element), so the sums are the same to the bit.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit
from ..solvers._sparse_kernels import csc_matvec, group_max, group_min

__all__ = ["screen", "balance_sums", "N_SCREENS", "COLD", "NEGATIVE_PRESSURE", "CONDENSATION",
           "OVER_PRESSURE", "SUB_ATMOSPHERIC", "CHIP_OVER", "PLATE_REVERSED", "CHIP_BELOW",
           "HX_REVERSED", "PUMP_OFF_CURVE", "FIXED_FLOW_RISE", "VALVE_DROP",
           "CONSUMER_PRESSURE", "CONSUMER_HEAT", "NO_FLOW_HEAT", "STARVED_HEAT", "HEAT_PUMPS"]

# the entries of screen's answer, one per check, in the checks' order
(COLD, NEGATIVE_PRESSURE, CONDENSATION, OVER_PRESSURE, SUB_ATMOSPHERIC, CHIP_OVER,
 PLATE_REVERSED, CHIP_BELOW, HX_REVERSED, PUMP_OFF_CURVE, FIXED_FLOW_RISE, VALVE_DROP,
 CONSUMER_PRESSURE, CONSUMER_HEAT, NO_FLOW_HEAT, STARVED_HEAT, HEAT_PUMPS) = range(17)
N_SCREENS = 17


@_jit
def screen(T, p, m, heat, out_T, upstream, start, end, count, rho, rise,
           limits, dew, rating, tank, p_atm,
           chip, plates, chip_max, margin, hx,
           curve, q_max, speed, trickle, fixed_flow, valves, max_rise,
           consumers, min_dp, demand, starved,
           condensers, mode, capacity_mode, off_mode, source_limited, discharge,
           max_discharge, condensing, max_condensing, stagnant):
    """Which checks find something (``out[k]`` for the check ``k`` of the constants
    above), each the comparison :func:`.checks.physics_flags` makes, element by
    element with the same operations: nodes at or below 0 K (``T``) and at or below
    0 Pa; with ``limits``, nodes below their circuit's dew point + margin (``dew``) or
    above its rating (``rating``, gauge against ``p_atm``); nodes of closed circuits
    (``tank``) between 0 Pa and 1 atm; cold plates (edges ``plates``, chips ``chip``)
    over ``chip_max``, in reverse or below their coolant by ``margin``; exchanger sides
    ``hx`` in reverse; curve pumps ``curve`` beyond their curve (``q_max`` ⋅ ``speed``,
    ``trickle`` the reverse share) or of negative rise; fixed-flow pumps
    ``fixed_flow`` and valves ``valves`` across more than ``max_rise``; consumers
    below ``min_dp`` or short of ``demand``; edges that add heat without flow, or
    change their stream by more than ``starved``; heat pumps (condenser edges
    ``condensers``) at capacity (``mode``) and not held by their source
    (``source_limited``), held by it, beyond a compressor limit (``discharge`` over
    ``max_discharge``, ``condensing`` over ``max_condensing``; empty where not
    modelled), or off with flow through the condenser (above ``stagnant`` of the
    largest flow)."""
    out = np.zeros(N_SCREENS, dtype=np.bool_)
    for i in range(T.size):
        if T[i] <= 0.0:
            out[COLD] = True
        if p[i] <= 0:
            out[NEGATIVE_PRESSURE] = True
        if limits:
            if T[i] < dew[i]:
                out[CONDENSATION] = True
            if p[i] - p_atm - rating[i] > 0:
                out[OVER_PRESSURE] = True
        if tank[i] and p[i] > 0 and p[i] < p_atm:
            out[SUB_ATMOSPHERIC] = True
    for k in range(plates.size):
        e = plates[k]
        if chip[k] > chip_max[k]:
            out[CHIP_OVER] = True
        if m[e] < 0:
            out[PLATE_REVERSED] = True
        if chip[k] < out_T[e] - margin:
            out[CHIP_BELOW] = True
    for k in range(hx.size):
        if m[hx[k]] < 0:
            out[HX_REVERSED] = True
    for k in range(curve.size):
        e = curve[k]
        Q = m[e] / (count[e] * rho[e])
        qmax = q_max[k] * speed[k]
        if Q > qmax * 1.0000001 or Q < -trickle * qmax or rise[e] < 0:
            out[PUMP_OFF_CURVE] = True
    for k in range(fixed_flow.size):
        if np.abs(rise[fixed_flow[k]]) > max_rise:
            out[FIXED_FLOW_RISE] = True
    for k in range(valves.size):
        e = valves[k]
        if np.abs(p[start[e]] - p[end[e]]) > max_rise:
            out[VALVE_DROP] = True
    for k in range(consumers.size):
        e = consumers[k]
        if p[start[e]] - p[end[e]] < min_dp[k]:
            out[CONSUMER_PRESSURE] = True
        if -heat[e] < demand[k] * count[e] * (1 - 1e-6) - 1e-6:
            out[CONSUMER_HEAT] = True
    largest, nan = 0.0, False
    for e in range(m.size):
        am = np.abs(m[e])
        if am != am:
            nan = True
        elif am > largest:
            largest = am
        if np.abs(heat[e]) > 0:
            if am == 0:
                out[NO_FLOW_HEAT] = True
            if am > 0 and np.abs(out_T[e] - T[upstream[e]]) > starved:
                out[STARVED_HEAT] = True
    # solvers.thermal.stagnant_limit(m): stagnant share of max(largest |m|, 1e-300)
    v = (np.nan if nan else largest) if m.size else 0.0
    limit = stagnant * (1e-300 if 1e-300 > v else v)
    for k in range(condensers.size):
        if source_limited[k]:
            out[HEAT_PUMPS] = True
        elif mode[k] == capacity_mode:
            out[HEAT_PUMPS] = True
        if mode[k] == off_mode and not np.abs(m[condensers[k]]) <= limit:
            out[HEAT_PUMPS] = True
    for k in range(discharge.size):
        if discharge[k] > max_discharge[k]:
            out[HEAT_PUMPS] = True
    for k in range(condensing.size):
        if condensing[k] > max_condensing[k]:
            out[HEAT_PUMPS] = True
    return out


@_jit
def balance_sums(nc, edge_circuit, node_circuit, Q, m, supply, bc, enthalpy, ext_in, ext_h,
                 T, indptr, indices, data, flow_nodes, flow_is_mass, flow_value, rho_node,
                 open_node):
    """The sums of :func:`.checks.circuit_balances` for the ``nc`` circuits: heat into
    the fluid ``Q``; enthalpy flows in (``ext_in`` at ``ext_h``) and out (the outflow
    ``-supply`` at the boundary nodes ``bc``), relative to each circuit's lowest node
    ``enthalpy``, and their residual; the largest flow ``|m|``; the sum of the node
    temperatures ``T``; the scale (absolute heat and enthalpy flows); the largest mass
    imbalance ``|A m + q|`` (``A`` the incidence, CSC ``indptr, indices, data``; ``q``
    the flow boundaries' inflow, mass or volume at the node's density ``rho_node``, as
    :func:`narvik_thermal.solvers.hydraulic.fixed_flows` gives it) of the nodes not
    ``open_node``. Each sum accumulated element by element in index order, as
    ``np.bincount`` does, of the same terms."""
    heat = np.zeros(nc)
    q_abs = np.zeros(nc)
    for e in range(Q.size):
        c = edge_circuit[e]
        heat[c] += Q[e]
    for e in range(Q.size):
        q_abs[edge_circuit[e]] += np.abs(Q[e])
    mmax = group_max(np.abs(m), edge_circuit, nc)
    h_ref = group_min(enthalpy, node_circuit, nc)
    e_in = np.zeros(nc)
    e_out = np.zeros(nc)
    h_abs = np.zeros(nc)
    t_sum = np.zeros(nc)
    for i in range(T.size):
        c = node_circuit[i]
        hr = h_ref[c]
        h = enthalpy[i] - hr
        hx = ext_h[i] - hr if ext_in[i] > 0 else 0.0
        out = 0.0
        if bc[i]:
            v = -supply[i]
            out = v if (v > 0.0 or v != v) else 0.0         # np.maximum(v, 0.0)
        e_in[c] += ext_in[i] * hx
        e_out[c] += out * h
        h_abs[c] += ext_in[i] * np.abs(hx) + out * np.abs(h)
        t_sum[c] += T[i]
    q = np.zeros(T.size)
    for k in range(flow_nodes.size):
        nd = flow_nodes[k]
        q[nd] += flow_value[k] if flow_is_mass[k] else flow_value[k] * rho_node[nd]
    node_res = np.abs(csc_matvec(T.size, indptr, indices, data, m) + q)
    for i in range(T.size):
        if open_node[i]:
            node_res[i] = 0.0
    mres = group_max(node_res, node_circuit, nc)
    for c in range(nc):                 # np.maximum(…, 0.0): at least 0 (-inf: no edge)
        mmax[c] = mmax[c] if mmax[c] > 0.0 else 0.0
        mres[c] = mres[c] if mres[c] > 0.0 else 0.0
    return heat, e_in, e_out, e_in + heat - e_out, mmax, t_sum, q_abs + h_abs, mres
