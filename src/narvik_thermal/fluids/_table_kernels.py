"""Compiled kernels of the fluid property tables (:mod:`.fluid`), numba:
cell location, interpolation and the enthalpy → temperature inverse.
Imported lazily (it loads numba).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .._numba import jit as _jit, pjit as _pjit

__all__ = ['table_cells', 'table_lookup', 'table_inverse', 'multi_lookup', 'multi_enthalpy',
           'multi_temperature', 'clamped_lookup', 'table_cell', 'multi_temperature_serial',
           'clamp']


@_jit
def clamp(t, lo, hi):
    """``t`` within ``[lo, hi]`` (as ``np.minimum(np.maximum(t, lo), hi)``: NaN stays
    NaN): a temperature held to its fluid's tables before a look-up, by every kernel
    that clamps (scalars only, so that the call costs nothing in a loop)."""
    if t < lo:
        t = lo
    if t > hi:
        t = hi
    return t


@_jit
def _cell(x, x0, inv_dx, n):
    """Cell ``i`` and weight ``w`` of ``x`` on a uniform grid of ``n`` points from ``x0``,
    clamped to the grid (NaN gives cell 0 and weight NaN)."""
    s = (x - x0) * inv_dx
    if s != s:
        return 0, s
    if s < 0.0:
        s = 0.0
    elif s > n - 1.0:
        s = n - 1.0
    i = int(s)
    if i > n - 2:
        i = n - 2
    return i, s - i


@_jit
def table_cells(x, x0, inv_dx, n):
    """:func:`_cell` of every element of 1-D ``x``: arrays ``i`` and ``w``."""
    ii = np.empty(x.size, np.intp)
    ww = np.empty(x.size)
    for j in range(x.size):
        ii[j], ww[j] = _cell(x[j], x0, inv_dx, n)
    return ii, ww


@_pjit
def table_lookup(x, x0, inv_dx, n, tabs, dtabs, rows):
    """Linear interpolation of the table rows ``rows`` of ``tabs`` at every ``x``.

    ``out[r, j] = tabs[rows[r], i] + w dtabs[rows[r], i]`` with ``(i, w)`` the
    cell of ``x[j]`` (:func:`_cell`); ``dtabs`` holds the forward differences.
    """
    out = np.empty((rows.size, x.size))
    for j in nb.prange(x.size):
        i, w = _cell(x[j], x0, inv_dx, n)
        for r in range(rows.size):
            out[r, j] = tabs[rows[r], i] + w * dtabs[rows[r], i]
    return out


@_pjit
def table_inverse(h, h_lo, h_hi, inv_bucket, guide, htab, inv_dh, t0, dt, t_max, n):
    """Inverse of the piecewise-linear enthalpy table: ``T(h)``, clamped to the table.

    The bucket of ``h`` in the guide table (buckets no wider than the narrowest
    cell) gives its cell in O(1); within the cell the table is linear, so the
    inverse is exact.
    """
    out = np.empty(h.size)
    n_buckets = guide.size
    for j in nb.prange(h.size):
        x = h[j]
        if x != x:
            out[j] = x
            continue
        if x < h_lo:
            x = h_lo
        elif x > h_hi:
            x = h_hi
        b = int((x - h_lo) * inv_bucket)
        if b > n_buckets - 1:
            b = n_buckets - 1
        i = guide[b]
        if x >= htab[i + 1]:
            i += 1
        if i > n - 2:
            i = n - 2
        T = (t0 + i * dt) + (x - htab[i]) * inv_dh[i]
        out[j] = T if T < t_max else t_max
    return out


@_pjit
def multi_lookup(x, f, x0, inv_dx, n, tabs, dtabs, rows):
    """:func:`table_lookup` where element ``j`` reads the table of fluid ``f[j]``: its
    grid ``x0[k], inv_dx[k], n[k]`` and its rows ``tabs[k]``, ``dtabs[k]``."""
    out = np.empty((rows.size, x.size))
    for j in nb.prange(x.size):
        k = f[j]
        i, w = _cell(x[j], x0[k], inv_dx[k], n[k])
        for r in range(rows.size):
            out[r, j] = tabs[k, rows[r], i] + w * dtabs[k, rows[r], i]
    return out


@_pjit
def multi_enthalpy(x, f, x0, inv_dx, n, tabs, dtabs, row, ends):
    """Enthalpy (table row ``row``) at the temperatures ``x``, each in the table of its
    fluid ``f[j]``; beyond a table it continues linearly with the end's specific heat
    (``ends[k] = (T_lo, T_hi, h_lo, h_hi, cp_lo, cp_hi)``)."""
    out = np.empty(x.size)
    for j in nb.prange(x.size):
        k = f[j]
        t = x[j]
        if t < ends[k, 0]:
            out[j] = ends[k, 2] + (t - ends[k, 0]) * ends[k, 4]
        elif t > ends[k, 1]:
            out[j] = ends[k, 3] + (t - ends[k, 1]) * ends[k, 5]
        else:
            i, w = _cell(t, x0[k], inv_dx[k], n[k])
            out[j] = tabs[k, row, i] + w * dtabs[k, row, i]
    return out


@_pjit
def multi_temperature(h, f, h_lo, h_hi, inv_bucket, n_buckets, guide, htab, inv_dh, t0, dt,
                      t_max, n, ends):
    """:func:`table_inverse` where element ``j`` inverts the enthalpy table of fluid
    ``f[j]`` (its arrays are rows ``k`` of ``guide``, ``htab``, ``inv_dh``); beyond a
    table it continues linearly with the end's specific heat (``ends`` as in
    :func:`multi_enthalpy`)."""
    out = np.empty(h.size)
    for j in nb.prange(h.size):
        k = f[j]
        x = h[j]
        if x != x:
            out[j] = x
            continue
        if x < ends[k, 2]:
            out[j] = ends[k, 0] + (x - ends[k, 2]) / ends[k, 4]
            continue
        if x > ends[k, 3]:
            out[j] = ends[k, 1] + (x - ends[k, 3]) / ends[k, 5]
            continue
        if x < h_lo[k]:
            x = h_lo[k]
        elif x > h_hi[k]:
            x = h_hi[k]
        b = int((x - h_lo[k]) * inv_bucket[k])
        if b > n_buckets[k] - 1:
            b = n_buckets[k] - 1
        i = guide[k, b]
        if x >= htab[k, i + 1]:
            i += 1
        if i > n[k] - 2:
            i = n[k] - 2
        T = (t0[k] + i * dt[k]) + (x - htab[k, i]) * inv_dh[k, i]
        out[j] = T if T < t_max[k] else t_max[k]
    return out


@_pjit
def clamped_lookup(T, f, t_lo, t_hi, x0, inv_dx, n, tabs, dtabs, rows, s, e, f_pair, pair_rows):
    """The temperatures ``T`` clamped to the range ``[t_lo[k], t_hi[k]]`` of each
    element's fluid ``k = f[j]`` (as ``np.minimum(np.maximum(T, lo), hi)``: NaN stays
    NaN), the table rows ``rows`` at them (:func:`multi_lookup`), and the rows
    ``pair_rows`` at the means ``0.5 (Tc[s] + Tc[e])`` of the pairs ``s, e`` of clamped
    temperatures, each pair in the table of its fluid ``f_pair``, in one pass.

    Returns ``(Tc, out, out_pair)``.
    """
    N = T.size
    Tc = np.empty(N)
    out = np.empty((rows.size, N))
    for j in nb.prange(N):
        k = f[j]
        t = clamp(T[j], t_lo[k], t_hi[k])
        Tc[j] = t
        i, w = _cell(t, x0[k], inv_dx[k], n[k])
        for r in range(rows.size):
            out[r, j] = tabs[k, rows[r], i] + w * dtabs[k, rows[r], i]
    M = s.size
    out_pair = np.empty((pair_rows.size, M))
    for j in nb.prange(M):
        k = f_pair[j]
        i, w = _cell(0.5 * (Tc[s[j]] + Tc[e[j]]), x0[k], inv_dx[k], n[k])
        for r in range(pair_rows.size):
            out_pair[r, j] = tabs[k, pair_rows[r], i] + w * dtabs[k, pair_rows[r], i]
    return Tc, out, out_pair


#: :func:`_cell` for the kernels of other modules that look up a few elements among
#: other work (the coupled solve's outer iteration): the cell and weight of one value,
#: from scalars only (a compiled helper taking the tables' arrays at every element cost
#: five times the look-up itself)
table_cell = _cell
#: :func:`multi_temperature`'s serial twin, which kernels of other modules call
#: (a :class:`~narvik_thermal._numba.ParallelKernel` is called from Python only)
multi_temperature_serial = multi_temperature.serial
