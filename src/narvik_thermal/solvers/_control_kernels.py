"""Compiled kernels of the control steps (:mod:`.control_steps`), numba: the natural
residual, the model Jacobian, the snap to the bounds and the bounded trust-region step.
Imported lazily (they load numba).

A control iteration has a handful of loops, so these are a few dozen floating-point
operations each; in NumPy each cost tens of microseconds of calls (the bounded step,
with its singular value decomposition, 60–110 µs; a warm point of the 290 MW campus
with heat export takes about seven of them), here a microsecond or two.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit
from ._dense_kernels import dense_solve

__all__ = ["natural_residual", "model_jacobian", "snap", "tr_step", "bounded_step",
           "gauss_newton_step", "broyden_update", "secant_residual", "simultaneous_step"]


@_jit
def natural_residual(x, e, d):
    """``(F, clamped, held, ‖F‖₂)``; see :func:`.control_steps.natural_residual`."""
    n = x.size
    F = np.empty(n)
    clamped = np.zeros(n, dtype=np.bool_)
    held = np.zeros(n, dtype=np.bool_)
    ss = 0.0
    for k in range(n):
        if d[k] != 0.0:
            z = x[k] - e[k] / d[k]
        else:
            z = 0.5                     # no measured own effect: never clamped
        if z >= 1.0:
            F[k] = d[k] * (x[k] - 1.0)
            clamped[k] = True
            held[k] = x[k] >= 1.0
        elif z <= 0.0:
            F[k] = d[k] * x[k]
            clamped[k] = True
            held[k] = x[k] <= 0.0
        else:
            F[k] = e[k]
        ss += F[k] * F[k]
    return F, clamped, held, np.sqrt(ss)


@_jit
def model_jacobian(J, clamped, d):
    """``J`` with each clamped row replaced by ``d_k`` on the diagonal."""
    JF = J.copy()
    for k in range(clamped.size):
        if clamped[k]:
            JF[k, :] = 0.0
            JF[k, k] = d[k]
    return JF


@_jit
def snap(x, eps):
    """Clip to [0, 1], snapping to a bound within ``eps``."""
    out = np.empty(x.size)
    for k in range(x.size):
        v = min(max(x[k], 0.0), 1.0)
        if v >= 1.0 - eps:
            v = 1.0
        elif v <= eps:
            v = 0.0
        out[k] = v
    return out


@_jit
def _norm(v):
    ss = 0.0
    for k in range(v.size):
        ss += v[k] * v[k]
    return np.sqrt(ss)


@_jit
def tr_step(J, F, rows, cols, radius):
    """Levenberg–Marquardt step of the actuators ``cols`` within a trust region (the
    rows ``rows`` of ``J`` and ``F``); see :func:`.control_steps.bounded_step`."""
    n = F.size
    s = np.zeros(n)
    ri = np.flatnonzero(rows)
    ci = np.flatnonzero(cols)
    if ri.size == 0 or ci.size == 0:
        return s
    A = np.empty((ri.size, ci.size))
    for a in range(ri.size):
        for b in range(ci.size):
            A[a, b] = J[ri[a], ci[b]]
    U, sig, Vt = np.linalg.svd(A, full_matrices=False)
    if sig.size == 0 or not sig[0] > 0.0:
        return s
    m = sig.size
    g = np.zeros(m)                     # Uᵀ F_rows
    for j in range(m):
        acc = 0.0
        for a in range(ri.size):
            acc += U[a, j] * F[ri[a]]
        g[j] = acc
    keep = sig > 1e-10 * sig[0]
    y = np.empty(m)

    def step(mu):
        for j in range(m):
            y[j] = sig[j] * g[j] / (sig[j] * sig[j] + mu) if keep[j] else 0.0
        p = np.zeros(ci.size)
        for b in range(ci.size):
            acc = 0.0
            for j in range(m):
                acc -= Vt[j, b] * y[j]
            p[b] = acc
        return p

    p = step(0.0)
    if _norm(p) > radius:
        # ‖s(μ)‖ ≤ ‖JᵀF‖/μ, so the root lies below μ = ‖JᵀF‖/radius
        sg = np.empty(m)
        for j in range(m):
            sg[j] = sig[j] * g[j]
        lo = 1e-12 * sig[0] ** 2
        hi = max(_norm(sg) / radius, sig[0] ** 2)
        for _ in range(60):
            mu = np.sqrt(lo * hi)
            if _norm(step(mu)) > radius:
                lo = mu
            else:
                hi = mu
            if hi <= lo * (1 + 1e-6):
                break
        p = step(hi)
    for b in range(ci.size):
        s[ci[b]] = p[b]
    return s


@_jit
def bounded_step(J, F, x, held, radius, eps):
    """Trust-region step with the bounds respected; see
    :func:`.control_steps.bounded_step`."""
    n = F.size
    cols = ~held
    rows = ~held
    s = np.zeros(n)
    for _ in range(n):
        s = tr_step(J, F, rows, cols, radius)
        worst, big = -1, -1.0
        for k in range(n):
            if cols[k] and ((x[k] >= 1.0 and s[k] > 0.0) or (x[k] <= 0.0 and s[k] < 0.0)):
                if abs(s[k]) > big:
                    worst, big = k, abs(s[k])
        if worst < 0:
            break
        cols[worst] = False
    return snap(x + s, eps) - x


@_jit
def gauss_newton_step(J, F, x, radius, eps):
    """The Gauss–Newton step ``s = −J⁻¹F`` where ``J`` is regular, ``s`` is finite, of
    length at most ``radius`` and ``x + s`` lies strictly inside ``(eps, 1 − eps)``:
    ``(s, True)``; else ``(s, False)`` (see :class:`.control_steps.Simultaneous`)."""
    s, ok = dense_solve(J, F)
    if not ok:
        return s, False
    ss = 0.0
    for k in range(s.size):
        s[k] = -s[k]
        if not np.isfinite(s[k]):
            return s, False
        ss += s[k] * s[k]
    if not np.sqrt(ss) <= radius:
        return s, False
    for k in range(s.size):
        if not (x[k] + s[k] > eps and x[k] + s[k] < 1.0 - eps):
            return s, False
    return s, True


@_jit
def broyden_update(J, s, y):
    """Broyden's (1965) rank-one update of ``J`` from a step ``s`` and the change ``y``
    it made: ``J + (y − J s) sᵀ / (sᵀ s)`` (a new matrix; the operations of NumPy's
    ``J + np.outer(y - J @ s, s) / (s @ s)``, in one call)."""
    n = s.size
    ss = 0.0
    for j in range(n):
        ss += s[j] * s[j]
    out = np.empty_like(J)
    for i in range(J.shape[0]):
        acc = 0.0
        for j in range(n):
            acc += J[i, j] * s[j]
        r = y[i] - acc
        for j in range(n):
            out[i, j] = J[i, j] + r * s[j] / ss
    return out


@_jit
def secant_residual(J, s, e_last, x, e, d):
    """The Jacobian and natural residual of a move of the simultaneous controls
    (:class:`.control_steps.Simultaneous`) in one call: ``J`` Broyden-updated
    (:func:`broyden_update`) from the last move ``s`` and the change of the errors
    since, ``e − e_last`` (``J`` itself where ``s`` is empty: no move since), and
    :func:`natural_residual` at ``x, e, d``. Returns ``(J, F, clamped, held, ‖F‖₂)``."""
    if s.size:
        y = np.empty(e.size)
        for k in range(e.size):
            y[k] = e[k] - e_last[k]
        J = broyden_update(J, s, y)
    F, clamped, held, merit = natural_residual(x, e, d)
    return J, F, clamped, held, merit


@_jit
def simultaneous_step(J, F, x, clamped, held, d, radius, eps):
    """The move of the simultaneous controls (:class:`.control_steps.Simultaneous`):
    where no loop is clamped, the :func:`gauss_newton_step` if it is regular, fits
    ``radius`` and stays inside the box; else the :func:`bounded_step` of the
    :func:`model_jacobian`, in one call."""
    for k in range(clamped.size):
        if clamped[k]:
            return bounded_step(model_jacobian(J, clamped, d), F, x, held, radius, eps)
    s, inside = gauss_newton_step(J, F, x, radius, eps)
    if inside:
        return s
    return bounded_step(model_jacobian(J, clamped, d), F, x, held, radius, eps)
