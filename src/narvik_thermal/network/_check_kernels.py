"""Compiled kernel of the physics checks (:mod:`.checks`), numba: one pass over a solved
state that says which checks find anything. Imported lazily (it loads numba).

The checks of a state that is in order find nothing, and in NumPy each costs a few
array operations of a few microseconds; :func:`screen` makes every one of those
comparisons in one call, with the same operations on the same numbers, and the checks
run their own NumPy code (which makes the flags) only where it found something.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ["screen", "N_SCREENS", "COLD", "NEGATIVE_PRESSURE", "CONDENSATION",
           "OVER_PRESSURE", "SUB_ATMOSPHERIC", "CHIP_OVER", "PLATE_REVERSED", "CHIP_BELOW",
           "HX_REVERSED", "PUMP_OFF_CURVE", "FIXED_FLOW_RISE", "VALVE_DROP",
           "CONSUMER_PRESSURE", "CONSUMER_HEAT", "NO_FLOW_HEAT", "STARVED_HEAT"]

# the entries of screen's answer, one per check, in the checks' order
(COLD, NEGATIVE_PRESSURE, CONDENSATION, OVER_PRESSURE, SUB_ATMOSPHERIC, CHIP_OVER,
 PLATE_REVERSED, CHIP_BELOW, HX_REVERSED, PUMP_OFF_CURVE, FIXED_FLOW_RISE, VALVE_DROP,
 CONSUMER_PRESSURE, CONSUMER_HEAT, NO_FLOW_HEAT, STARVED_HEAT) = range(16)
N_SCREENS = 16


@_jit
def screen(T, p, m, heat, out_T, upstream, start, end, count, rho, rise,
           limits, dew, rating, tank, p_atm,
           chip, plates, chip_max, margin, hx,
           curve, q_max, speed, trickle, fixed_flow, valves, max_rise,
           consumers, min_dp, demand, starved):
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
    change their stream by more than ``starved``."""
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
    for e in range(m.size):
        am = np.abs(m[e])
        if np.abs(heat[e]) > 0:
            if am == 0:
                out[NO_FLOW_HEAT] = True
            if am > 0 and np.abs(out_T[e] - T[upstream[e]]) > starved:
                out[STARVED_HEAT] = True
    return out
