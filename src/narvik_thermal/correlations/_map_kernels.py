"""Compiled kernel of the performance maps' lookup
(:meth:`narvik_thermal.correlations.heat_pump_map.CyclePerformanceMap.unit`), numba:
the only evaluation of a cell's bicubic patches. Imported lazily (it loads numba).

A lookup is 4 polynomials of 16 terms; in NumPy (two small arrays and two products)
it cost about 8 µs, and a heat pump of three units in series looks up three cells at
every outer iteration of a coupled solve.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ["bicubic"]


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
