"""Compiled kernels of the performance maps' lookup
(:meth:`narvik_thermal.correlations.heat_pump_map.CyclePerformanceMap.unit` and
:meth:`~narvik_thermal.correlations.heat_pump_map.CyclePerformanceMap.series`), numba:
the only evaluation of a cell's bicubic patches and of a unit's values from them.
Imported lazily (it loads numba).

A lookup is 4 polynomials of 16 terms; in NumPy (two small arrays and two products)
it cost about 8 µs, and a heat pump of three units in series looks up three cells at
every outer iteration of a coupled solve. :func:`series` looks up all the units of a
series in one call (from Python, a lookup per unit and the composition cost about
25 µs for four units).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import jit as _jit

__all__ = ["bicubic", "unit", "series"]


@_jit
def bicubic(c, u, v):
    """The patches of one cell at ``(u, v)`` in [0, 1]²: ``Σ_ij c[o, i, j] uⁱ vʲ`` for
    each output ``o`` of ``c`` (shape (4, 4, 4), power basis), by Horner's rule in
    both variables."""
    out = np.empty(c.shape[0])
    for o in range(c.shape[0]):
        acc = 0.0
        for i in range(3, -1, -1):
            row = 0.0
            for j in range(3, -1, -1):
                row = row * v + c[o, i, j]
            acc = acc * u + row
        out[o] = acc
    return out


@_jit
def unit(c, u, v, T_e, T_c):
    """(COP_heating, hottest discharge temperature, condensing pressure) of one unit
    evaporating at ``T_e`` and condensing at ``T_c`` from its cell ``c`` at ``(u, v)``
    (:func:`bicubic`: ``g`` relative to Carnot, the high and the low stage's discharge,
    ``ln p_c``)."""
    f = bicubic(c, u, v)
    t_hi, t_lo = f[1], f[2]
    # max(t_hi, t_lo) as Python's max takes it: the first unless the second is larger
    return f[0] * T_c / (T_c - T_e), (t_lo if t_lo > t_hi else t_hi), math.exp(f[3])


@_jit
def series(cells, slots, h, T_e, T_sink_in, T_sink_out, n_units, app_c, min_lift):
    """The units of a series evaporating at ``T_e`` (as
    :func:`narvik_thermal.correlations.heat_pump.heat_pump_series` places them: the
    sink raised by equal steps, each unit condensing at its step's outlet plus
    ``app_c`` and at least ``min_lift`` above ``T_e``), looked up in the cells
    ``cells[slots[i, j]]`` of a map of spacing ``h`` and composed,
    ``COP = N / Σ 1/COP_i``, in the same operations in the same order.

    Returns
    -------
    status, i, j, COP, T_discharge_max, p_condensation_max
        ``status`` 0: the values (the hottest discharge and the highest condensing
        pressure of the units); 1: cell ``(i, j)`` has no slot yet (-1); 2: a unit
        lies outside the mapped domain (slot -2); 3: a unit's cell lies beyond
        ``slots``, or a temperature is not finite.
    """
    nan = math.nan
    x = T_e / h
    # (a temperature not finite, or beyond the indexed cells, fails the comparisons
    # before it is made an integer)
    if not (x >= 0.0 and x < slots.shape[0]):
        return 3, 0, 0, nan, nan, nan
    i = int(math.floor(x))
    step = (T_sink_out - T_sink_in) / n_units
    inv = 0.0
    t_max = nan
    p_max = nan
    for k in range(n_units):
        a = T_sink_in + (k + 1) * step + app_c
        b = T_e + min_lift
        T_c = b if b > a else a                 # max(a, b), as Python's
        y = T_c / h
        if not (y >= 0.0 and y < slots.shape[1]):
            return 3, i, 0, nan, nan, nan
        j = int(math.floor(y))
        s = slots[i, j]
        if s == -1:
            return 1, i, j, nan, nan, nan
        if s < 0:
            return 2, i, j, nan, nan, nan
        cop, t_dis, p_con = unit(cells[s], x - i, y - j, T_e, T_c)
        inv += 1.0 / cop
        if k == 0 or t_dis > t_max:
            t_max = t_dis
        if k == 0 or p_con > p_max:
            p_max = p_con
    return 0, i, 0, n_units / inv, t_max, p_max
