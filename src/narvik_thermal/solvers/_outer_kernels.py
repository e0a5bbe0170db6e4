"""Compiled kernels of the coupled solve's outer iteration (:mod:`.coupled`), numba: the
steps between the hydraulics and the heat transport, and after the heat transport, each
in one call instead of a dozen NumPy expressions and small compiled calls (an outer
iteration of the 290 MW campus costs about a millisecond, most of it in the dispatch of
such calls on arrays of a few hundred elements). Each does the arithmetic of the
expressions it replaces, in their order, so that the states are the same to the bit;
those that replace parallel look-ups are parallel kernels themselves (``pjit``: a
network of 200,000 nodes runs them on all cores, the campus on one). Imported lazily
(they load numba).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .._numba import jit as _jit, pjit as _pjit
from ..fluids._table_kernels import clamp, multi_temperature_serial, table_cell
from ._hydraulic_kernels import abs_max, dot
from ._thermal_kernels import max_abs_difference, stagnant_among

__all__ = ["property_states", "edge_states", "outer_temperatures", "anderson_mix"]


@_pjit
def property_states(T_prop, T_new, omega, node_f, t_lo, t_hi, x0, inv_dx, n, tabs, dtabs,
                    row_rho, row_mu, start, end, edge_f):
    """The property temperatures of an outer iteration and the properties at them: where
    ``T_new`` is not empty, ``T_prop + omega (T_new − T_prop)`` (under-relaxed towards
    the last iteration's temperatures), else ``T_prop`` itself; those clamped to their
    fluids' tables, the density (table row ``row_rho``) at every node and the density
    and viscosity (``row_mu``) at every edge at the mean of its ends' clamped
    temperatures (:func:`narvik_thermal.fluids._table_kernels.clamped_lookup`).

    Returns ``T_prop, rho_n, rho_e, mu_e``.
    """
    N = T_prop.size
    if T_new.size:
        T = np.empty(N)
        for j in nb.prange(N):
            T[j] = T_prop[j] + omega * (T_new[j] - T_prop[j])
    else:
        T = T_prop
    Tc = np.empty(N)
    rho_n = np.empty(N)
    for j in nb.prange(N):
        k = node_f[j]
        t = clamp(T[j], t_lo[k], t_hi[k])
        Tc[j] = t
        i, w = table_cell(t, x0[k], inv_dx[k], n[k])
        rho_n[j] = tabs[k, row_rho, i] + w * dtabs[k, row_rho, i]
    E = start.size
    rho_e = np.empty(E)
    mu_e = np.empty(E)
    for j in nb.prange(E):
        k = edge_f[j]
        i, w = table_cell(0.5 * (Tc[start[j]] + Tc[end[j]]), x0[k], inv_dx[k], n[k])
        rho_e[j] = tabs[k, row_rho, i] + w * dtabs[k, row_rho, i]
        mu_e[j] = tabs[k, row_mu, i] + w * dtabs[k, row_mu, i]
    return T, rho_n, rho_e, mu_e


@_pjit
def edge_states(m, start, end, p, rho_e, g, z, T, node_f, t_lo, t_hi, x0, inv_dx, n, tabs,
                dtabs, row_h, row_cp, hx, edge_f, t_out, boundary, h_bc, ambient,
                stagnant_share):
    """What the heat laws of an outer iteration need once its flows are solved:

    - each edge's upstream and downstream node (the start where ``m ≥ 0``) and its
      pressure rise net of elevation, ``p_end − p_start − (ρ g)(z_start − z_end)``
      (:func:`._thermal_kernels.flow_directions` with ``rho_g = rho_e * g``);
    - the node temperatures ``T`` clamped to their fluids' tables and the enthalpy
      (table row ``row_h``) and specific heat (``row_cp``) there
      (:func:`narvik_thermal.fluids._table_kernels.clamped_lookup`);
    - the specific heat at the mean temperature of the heat exchangers' sides ``hx``
      (0 at every other edge): of the clamped inlet and the last outlet temperature
      ``t_out`` (over all edges), or of the clamped ends where ``t_out`` is empty
      (the first outer iteration);
    - the enthalpies that regularise regions without flow: ``h_bc`` at ``boundary``
      nodes, the clamped look-up's elsewhere (``np.where(boundary, h_bc, h_k)``);
    - the stagnant limit, ``stagnant_share`` of the largest ``|m|``
      (:func:`._hydraulic_kernels.abs_max`; as
      :func:`narvik_thermal.solvers.thermal.stagnant_limit`), and the positions in
      ``ambient`` of the edges without flow (:func:`._thermal_kernels.stagnant_among`).

    The arrays of each size come stacked, one array returned per size (each array a
    kernel returns costs its boxing, about half a microsecond, most of it numba's
    look-up of the array's Python type, ``numba.core.serialize._numba_unpickle``).

    Returns
    -------
    ends : numpy.ndarray of int64, (2, E)
        ``up, dn``.
    edges : numpy.ndarray, (2, E)
        ``rise, cp_e``.
    nodes : numpy.ndarray, (4, N)
        ``Tc, h_k, cp_k, h_def``.
    no_flow : float
        The stagnant limit.
    still : numpy.ndarray of int64
        The positions in ``ambient`` of stagnant edges.
    """
    E = m.size
    N = T.size
    ends = np.empty((2, E), np.int64)
    edges = np.zeros((2, E))
    for k in nb.prange(E):
        a, b = start[k], end[k]
        if m[k] >= 0:
            ends[0, k], ends[1, k] = a, b
        else:
            ends[0, k], ends[1, k] = b, a
        edges[0, k] = p[b] - p[a] - (rho_e[k] * g) * (z[a] - z[b])
    nodes = np.empty((4, N))
    for j in nb.prange(N):
        k = node_f[j]
        t = clamp(T[j], t_lo[k], t_hi[k])
        nodes[0, j] = t
        i, w = table_cell(t, x0[k], inv_dx[k], n[k])
        h = tabs[k, row_h, i] + w * dtabs[k, row_h, i]
        nodes[1, j] = h
        nodes[2, j] = tabs[k, row_cp, i] + w * dtabs[k, row_cp, i]
        nodes[3, j] = h_bc[j] if boundary[j] else h
    for j in nb.prange(hx.size):
        i = hx[j]
        if t_out.size:
            te = 0.5 * (nodes[0, ends[0, i]] + t_out[i])
        else:
            te = 0.5 * (nodes[0, start[i]] + nodes[0, end[i]])
        k = edge_f[i]
        c, w = table_cell(te, x0[k], inv_dx[k], n[k])
        edges[1, i] = tabs[k, row_cp, c] + w * dtabs[k, row_cp, c]
    # (Python's max(largest, 1e-300): NaN stays NaN)
    largest = abs_max(m) if E else 0.0
    if 1e-300 > largest:
        largest = 1e-300
    no_flow = stagnant_share * largest
    return ends, edges, nodes, no_flow, stagnant_among(m, ambient, no_flow)


@_jit
def outer_temperatures(h, node_f, h_out, need, edge_f, T_last, h_lo, h_hi, inv_bucket,
                       n_buckets, guide, htab, inv_dh, t0, dt, t_max, n, ends):
    """The temperatures an outer iteration's heat transport gives: at every node (of
    the enthalpies ``h``), at the outlets of the edges ``need`` (of ``h_out``, over all
    edges; 0 at the others), each in its fluid's table (two calls of
    :func:`narvik_thermal.fluids._table_kernels.multi_temperature`, its serial twin),
    and the largest change of the node temperatures from ``T_last``
    (:func:`._thermal_kernels.max_abs_difference`; 0 without nodes).

    Returns ``T, T_out, change``.
    """
    T = multi_temperature_serial(h, node_f, h_lo, h_hi, inv_bucket, n_buckets, guide, htab,
                                 inv_dh, t0, dt, t_max, n, ends)
    h_need = np.empty(need.size)
    f_need = np.empty(need.size, np.int64)
    for j in range(need.size):
        h_need[j] = h_out[need[j]]
        f_need[j] = edge_f[need[j]]
    t_need = multi_temperature_serial(h_need, f_need, h_lo, h_hi, inv_bucket, n_buckets,
                                      guide, htab, inv_dh, t0, dt, t_max, n, ends)
    T_out = np.zeros(h_out.size)
    for j in range(need.size):
        T_out[need[j]] = t_need[j]
    change = max_abs_difference(T, T_last) if h.size else 0.0
    return T, T_out, change


@_jit
def anderson_mix(x, g, g0, r0, gamma_max):
    """One depth-one Anderson mixing step (:class:`narvik_thermal.solvers.coupled._Mixer`)
    with a last step ``(g0, r0)``: the residual ``r = g − x``, ``γ = Δr·r / Δr·Δr``
    (``Δr = r − r0``, the products by :func:`._hydraulic_kernels.dot`) and the next
    ``x``, ``g − γ (g − g0)``, or ``g`` itself where ``Δr·Δr`` is not positive or
    ``|γ|`` is not within ``gamma_max``: the NumPy expressions of the mixer in one call.
    Returns ``r, x_next``."""
    n = g.size
    r = np.empty(n)
    for i in range(n):
        r[i] = g[i] - x[i]
    dr = np.empty(n)
    for i in range(n):
        dr[i] = r[i] - r0[i]
    den = dot(dr, dr)
    if not den > 0.0:
        return r, g
    gam = dot(dr, r) / den
    if not abs(gam) <= gamma_max:
        return r, g
    out = np.empty(n)
    for i in range(n):
        out[i] = g[i] - gam * (g[i] - g0[i])
    return r, out
