"""Compiled kernels of the edge pressure-drop laws (:mod:`.hydraulics`), numba.

They evaluate the correlations' kernels over a network's edges; imported
lazily (they load numba).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .._numba import jit as _jit, pjit as _pjit
from ..correlations._cold_plate_kernels import power_law
from ..correlations._friction_kernels import friction_law
from ..correlations._valve_kernels import valve_kv

__all__ = ['darcy_constants', 'darcy_losses', 'power_law_losses', 'pump_curve',
           'pump_curve_losses', 'valve_losses', 'valve_constants', 'power_law_constants',
           'law_constants', 'law_losses', 'law_values', 'law_values_of', 'same_factors',
           'keep_constants', 'kept_constants']


@_jit
def darcy_constants(idx, count, diameter, length, roughness, minor_loss, rho, mu):
    """Flow-independent factors of the Darcy law of pipe edges ``idx`` for given
    properties (see :func:`darcy_losses`): ``inv_n, re_coef, eD, c, kq``."""
    n = idx.size
    inv_n = np.empty(n)
    re_coef = np.empty(n)
    eD = np.empty(n)
    c = np.empty(n)
    kq = np.empty(n)
    for k in range(n):
        e = idx[k]
        D = diameter[k]
        A = 0.25 * np.pi * D * D
        inv_n[k] = 1.0 / count[e]
        re_coef[k] = 4.0 / (np.pi * D * mu[e])
        eD[k] = roughness[k] / D
        # friction (L/D) f ṁ|ṁ| / (2ρA²) written as c·(f Re)·ṁ, regular at ṁ → 0
        c[k] = (length[k] / D) * (np.pi * D * mu[e] / 4.0) / (2.0 * rho[e] * A * A)
        kq[k] = minor_loss[k] / (2.0 * rho[e] * A * A)
    return inv_n, re_coef, eD, c, kq


@_pjit(min_parallel=512)
def darcy_losses(m, idx, inv_n, re_coef, eD, c, kq, law, r, d):
    """Darcy–Weisbach loss ``r`` [Pa] and ``dr/dṁ`` of pipe edges ``idx``, in place.

    Per unit of an edge of ``count`` parallel units, ``ṁ_u = ṁ inv_n``,
    ``Re = re_coef |ṁ_u|`` (floored at 1e-6), and
    ``r = (c f Re + kq |ṁ_u|) ṁ_u`` (friction written as ``c (f Re) ṁ`` so
    that it is regular at zero flow, plus minor losses ``kq ṁ|ṁ|``), with the
    friction factor of each pipe's law (``law``, a ``FrictionLaw`` code;
    :func:`narvik_thermal.correlations._friction_kernels.friction_law`).
    """
    for k in nb.prange(idx.size):
        e = idx[k]
        mu_u = m[e] * inv_n[k]
        a = abs(mu_u)
        Re = max(re_coef[k] * a, 1e-6)
        f, dfdRe = friction_law(Re, eD[k], law[k])
        fRe = f * Re
        r[e] = (c[k] * fRe + kq[k] * a) * mu_u
        d[e] = (c[k] * (2.0 * fRe + Re * Re * dfdRe) + 2.0 * kq[k] * a) * inv_n[k]


@_jit
def power_law_losses(m, idx, inv, dp_rated, V_rated, n, r, d):
    """Rated-point loss ``r`` [Pa] and ``dr/dṁ`` of edges ``idx``, in place, with
    ``V = ṁ inv`` (``inv = 1/(count ρ)``). Serial: the pass is bound by memory,
    and threads cost more than they save (0.8 ms against 1.7 ms for 100,000
    cold plates on 2 cores). An edge whose flow and factors equal those of the edge
    before it (:func:`same_factors`; identical units side by side: half the 324 rated
    points of the 290 MW campus) takes that edge's values instead of a power of its own
    (the law reads the flow through ``|V|``, ``V < 0`` and ``V == 0`` only, so two
    flows that compare equal give the same values, zeros of either sign included)."""
    dp = dd = V = 0.0
    for k in range(idx.size):
        e = idx[k]
        x = m[e] * inv[k]
        if not (k and x == V and same_factors(inv[k], inv[k - 1], dp_rated[k], dp_rated[k - 1],
                                              V_rated[k], V_rated[k - 1], n[k], n[k - 1])):
            V = x
            dp, dd = power_law(x, dp_rated[k], V_rated[k], n[k])
        r[e] = dp
        d[e] = dd * inv[k]


@_jit
def same_factors(inv, inv_q, dp_rated, dp_rated_q, V_rated, V_rated_q, n, n_q):
    """Whether two rated points have the same factors (``inv, dp_rated, V_rated, n``
    and those of the other, ``*_q``) to the bit (equal and not zero: two zeros of
    opposite signs are equal, NaNs never are), so that the law gives them the same
    values at the same flow or loss. (Scalars: a kernel called with arrays in a loop
    costs some 20 ns a call in reference counts.)"""
    return (inv == inv_q and dp_rated == dp_rated_q and V_rated == V_rated_q and n == n_q
            and inv != 0.0 and dp_rated != 0.0 and V_rated != 0.0 and n != 0.0)


@_jit
def curve_point(a0, a1, a2, Q, s, q_max):
    """Head and its slope dH/dQ of a quadratic pump curve at one flow: the one
    implementation of :func:`narvik_thermal.components.pump.curve_head` (|a₂| in
    reverse flow; beyond ``s q_max`` a convex curve continues along its tangent)."""
    c2 = abs(a2) if Q < 0.0 else a2
    Qc = q_max * s if (Q > q_max * s and c2 > 0.0) else Q
    slope = a1 * s + 2.0 * c2 * Qc
    H = a0 * s ** 2 + a1 * s * Qc + c2 * Qc * Qc
    return H + slope * (Q - Qc), slope


@_jit
def pump_curve(a0, a1, a2, Q, s, q_max):
    """:func:`curve_point` over arrays of one length: heads and slopes."""
    H = np.empty(Q.size)
    dH = np.empty(Q.size)
    for k in range(Q.size):
        H[k], dH[k] = curve_point(a0[k], a1[k], a2[k], Q[k], s[k], q_max[k])
    return H, dH


@_jit
def pump_curve_losses(m, idx, count, rho, to_pa, a0, a1, a2, s, q_max, r, d):
    """Loss ``r = −rise`` [Pa] and ``dr/dṁ`` of pump-curve edges ``idx``, in place:
    each of ``count`` pumps passes ``Q = ṁ/(count ρ)``, its rise is ``to_pa`` times
    the curve's head (:func:`curve_point`)."""
    for k in range(idx.size):
        e = idx[k]
        nr = count[e] * rho[e]
        H, dH = curve_point(a0[k], a1[k], a2[k], m[e] / nr, s[k], q_max[k])
        r[e] = -to_pa[k] * H
        d[e] = -to_pa[k] * dH / nr


@_jit
def valve_losses(m, idx, count, coef, shut, check, back, r, d):
    """Kv-law loss ``r = coef ṁ_u|ṁ_u|`` [Pa] and ``dr/dṁ`` of valve edges ``idx``, in
    place (``ṁ_u = ṁ/count``); a shut valve, or a check valve in reverse flow, is the
    linear resistance ``back``."""
    for k in range(idx.size):
        e = idx[k]
        n = count[e]
        mu_u = m[e] / n
        if shut[k] or (check[k] and mu_u < 0.0):
            r[e] = back * mu_u
            d[e] = back / n
        else:
            r[e] = coef[k] * mu_u * abs(mu_u)
            d[e] = 2.0 * coef[k] * abs(mu_u) / n


@_jit
def valve_constants(idx, rho, kvs, opening, characteristic, rangeability, check, kv_to_si):
    """Flow-independent factors of the valve edges ``idx`` (see :func:`valve_losses`):
    ``coef = kv_to_si/(ρ Kv²)`` with Kv at the opening (``valve_kv``; 0, shut, at
    opening 0; a shut valve's ``coef`` is that of Kv = 1), ``shut``, and ``check``
    (a check valve: code 1)."""
    n = idx.size
    coef = np.empty(n)
    shut = np.empty(n, np.bool_)
    chk = np.empty(n, np.bool_)
    for k in range(n):
        h = opening[k]
        kv = valve_kv(h, kvs[k], characteristic[k], rangeability[k]) if h > 0.0 else 0.0
        shut[k] = kv <= 0.0
        if shut[k]:
            kv = 1.0
        coef[k] = kv_to_si / (rho[idx[k]] * (kv * kv))
        chk[k] = check[k] == 1
    return coef, shut, chk


@_jit
def power_law_constants(idx, count, rho, flow_rated, basis, mass_code):
    """Flow-independent factors of the rated-point edges ``idx``: ``inv = 1/(count ρ)``
    and the rated volume flow (``flow_rated/ρ`` where ``basis`` is ``mass_code``)."""
    n = idx.size
    inv = np.empty(n)
    Vr = np.empty(n)
    for k in range(n):
        e = idx[k]
        inv[k] = 1.0 / (count[e] * rho[e])
        Vr[k] = flow_rated[k] / rho[e] if basis[k] == mass_code else flow_rated[k]
    return inv, Vr


#: the serial twin of :func:`darcy_losses`, for :func:`law_losses` (a kernel calls a
#: kernel, not a :class:`~narvik_thermal._numba.ParallelKernel`)
_darcy_losses_serial = darcy_losses.serial


@_jit
def law_constants(count, rho, mu, d_idx, diameter, length, roughness, minor_loss,
                  p_idx, flow_rated, rated_basis, c_idx, c_basis, v_idx, kvs, opening,
                  characteristic, rangeability, check, f_idx, f_basis, fixed_rise, f_speed,
                  mass_code, pressure_code, head_code, g, kv_to_si):
    """The flow-independent factors of every law of a network in one call (one call
    of a warm Newton step, where the five separate ones cost 60–70 µs of calls on the
    290 MW campus's 486 edges): those of :func:`darcy_constants`,
    :func:`power_law_constants` and :func:`valve_constants`, the pump curves'
    conversion of head to pressure (``to_pa``: 1 where the curve is of pressure,
    else ``ρ g``) and the rise of fixed-rise pumps as a loss
    (``−(ρ g or 1) · rise · speed²``). Groups are given by their edges ``*_idx``
    and aligned parameters; an empty group gives empty arrays.

    Returns ``(inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, shut, check, fixed)``.
    """
    inv_n, re_coef, eD, c, kq = darcy_constants(d_idx, count, diameter, length, roughness,
                                                minor_loss, rho, mu)
    inv, Vr = power_law_constants(p_idx, count, rho, flow_rated, rated_basis, mass_code)
    to_pa = np.empty(c_idx.size)
    for k in range(c_idx.size):
        to_pa[k] = 1.0 if c_basis[k] == pressure_code else rho[c_idx[k]] * g
    coef, shut, chk = valve_constants(v_idx, rho, kvs, opening, characteristic,
                                      rangeability, check, kv_to_si)
    fixed = np.empty(f_idx.size)
    for k in range(f_idx.size):
        fixed[k] = -(rho[f_idx[k]] * g if f_basis[k] == head_code else 1.0) \
            * fixed_rise[k] * f_speed[k] ** 2
    return inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, shut, chk, fixed


@_jit
def keep_constants(constants, kept, flags):
    """Copy the laws' ``constants`` (the tuple :func:`law_constants` returns) into a
    caller's buffers, in the order of the tuple: the float arrays into ``kept`` (the
    Darcy group's five, the rated points' two, the pump curves' ``to_pa``, the valves'
    ``coef`` and the fixed rises' losses: ``5 nd + 2 np + nc + nv + nf`` values for
    groups of ``nd, np, nc, nv, nf`` edges) and the valves' ``shut`` and ``check`` into
    ``flags`` (``2 nv``). :func:`kept_constants` reads them back as views.

    A compiled caller that needs the constants again in a later call (the later Newton
    steps of one hydraulic solve) keeps them so: returning the tuple to Python boxes
    twelve arrays (some 0.5 µs each) and passing it back unboxes them as a tuple
    (1.8 µs), as much as computing them again."""
    inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, shut, chk, fixed = constants
    at = 0
    for x in (inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, fixed):
        for k in range(x.size):
            kept[at + k] = x[k]
        at += x.size
    nv = shut.size
    for k in range(nv):
        flags[k] = shut[k]
        flags[nv + k] = chk[k]


@_jit
def kept_constants(kept, flags, nd, npl, nc, nv, nf):
    """The constants :func:`keep_constants` kept in ``kept`` and ``flags``, as the tuple
    :func:`law_constants` returns (views of the buffers) for groups of ``nd`` Darcy
    edges, ``npl`` rated points, ``nc`` pump curves, ``nv`` valves and ``nf`` fixed
    rises."""
    a = 5 * nd + 2 * npl
    b = a + nc + nv
    return (kept[0:nd], kept[nd:2 * nd], kept[2 * nd:3 * nd], kept[3 * nd:4 * nd],
            kept[4 * nd:5 * nd], kept[5 * nd:5 * nd + npl], kept[5 * nd + npl:a],
            kept[a:a + nc], kept[a + nc:b], flags[0:nv], flags[nv:2 * nv], kept[b:b + nf])


@_jit
def law_losses(m, count, rho, r, d, d_idx, inv_n, re_coef, eD, c, kq, law, p_idx, inv,
               dp_rated, Vr, dp_exponent, c_idx, to_pa, a0, a1, a2, c_speed, q_max, v_idx,
               coef, shut, chk, back, f_idx, fixed):
    """Loss ``r`` and ``dr/dṁ`` of every edge of the laws given (as
    :func:`law_constants` gives their factors), in place, in one call: the Darcy law
    (serial; a group large enough for threads is left empty and run on its own by
    :func:`darcy_losses`), rated points, pump curves, fixed rises (``r`` only) and
    valves — the kernels above, called in turn."""
    _darcy_losses_serial(m, d_idx, inv_n, re_coef, eD, c, kq, law, r, d)
    power_law_losses(m, p_idx, inv, dp_rated, Vr, dp_exponent, r, d)
    pump_curve_losses(m, c_idx, count, rho, to_pa, a0, a1, a2, c_speed, q_max, r, d)
    for k in range(f_idx.size):
        r[f_idx[k]] = fixed[k]
    valve_losses(m, v_idx, count, coef, shut, chk, back, r, d)


@_jit
def law_values(m, count, rho, mu, d_idx, diameter, length, roughness, minor_loss, p_idx,
               flow_rated, rated_basis, c_idx, c_basis, v_idx, kvs, opening, characteristic,
               rangeability, check, f_idx, f_basis, fixed_rise, f_speed, mass_code,
               pressure_code, head_code, g, kv_to_si, friction, dp_rated, dp_exponent, a0, a1,
               a2, c_speed, q_max, back):
    """Loss ``r`` [Pa] and ``dr/dṁ`` of every edge of the laws given at the flows ``m``
    (zeros elsewhere), from the properties, in one call: :func:`law_constants` (its
    arguments from ``count`` to ``kv_to_si``) then :func:`law_values_of` with the
    pipes' friction laws ``friction``, the rated points' ``dp_rated`` and
    ``dp_exponent``, the pump curves' coefficients, speeds and ``q_max``, and the leak
    resistance ``back`` of shut valves. Returns ``(r, d)``."""
    constants = law_constants(
        count, rho, mu, d_idx, diameter, length, roughness, minor_loss, p_idx, flow_rated,
        rated_basis, c_idx, c_basis, v_idx, kvs, opening, characteristic, rangeability, check,
        f_idx, f_basis, fixed_rise, f_speed, mass_code, pressure_code, head_code, g, kv_to_si)
    return law_values_of(m, count, rho, constants, d_idx, p_idx, c_idx, v_idx, f_idx, friction,
                         dp_rated, dp_exponent, a0, a1, a2, c_speed, q_max, back)


@_jit
def law_values_of(m, count, rho, constants, d_idx, p_idx, c_idx, v_idx, f_idx, friction,
                  dp_rated, dp_exponent, a0, a1, a2, c_speed, q_max, back):
    """:func:`law_losses` (the Darcy group serial) at the flows ``m`` into new arrays
    ``r, d`` (zeros where no law is given), from ``constants``, the tuple
    :func:`law_constants` returns, and the groups' edges and other factors (as
    :func:`law_values` takes them). Returns ``(r, d)``."""
    inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, shut, chk, fixed = constants
    r = np.zeros(m.size)
    d = np.zeros(m.size)
    law_losses(m, count, rho, r, d, d_idx, inv_n, re_coef, eD, c, kq, friction, p_idx, inv,
               dp_rated, Vr, dp_exponent, c_idx, to_pa, a0, a1, a2, c_speed, q_max, v_idx, coef,
               shut, chk, back, f_idx, fixed)
    return r, d
