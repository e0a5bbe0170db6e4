"""Vectorised bracketed root finding shared by the heat-rejection unit models.

Private module. :func:`bracketed_root` solves ``f(x) = 0`` element by element
over NumPy arrays, given a bracket ``[lo, hi]`` on which ``f`` changes sign in
every element, by the Illinois (modified regula falsi) method. It is used for
the outlet temperature of the Braun cooling-tower model, the inverse of the
saturated-air enthalpy and the fan speed that holds a set-point; in each case
``f`` is monotone on the bracket and one evaluation of ``f`` over the whole
array costs the same as over one element, so unconverged elements are not
compacted.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["bracketed_root"]


def bracketed_root(f: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray, *,
                   xtol: float = 1e-9, maxiter: int = 100) -> np.ndarray:
    """Root of ``f`` in ``[lo, hi]`` for every element (Illinois method).

    Parameters
    ----------
    f : callable
        Vectorised function of an array shaped like ``lo`` (broadcast with
        ``hi``); must change sign on ``[lo, hi]`` in every element (a zero at
        an end is accepted).
    lo, hi : array_like
        Bracket ends, ``lo <= hi`` elementwise.
    xtol : float
        Absolute tolerance on the bracket width.
    maxiter : int
        Iteration limit; the best estimate so far is returned when reached.

    Returns
    -------
    numpy.ndarray
        The roots, shaped like the broadcast of ``lo`` and ``hi``.

    Notes
    -----
    Regula falsi with the Illinois modification (the retained end's function
    value is halved when the same end is kept twice), which converges
    superlinearly on smooth monotone functions and never leaves the bracket.
    Elements whose ends do not bracket a sign change converge to the end with
    the smaller ``|f|``; callers check their brackets.
    """
    a, b = np.broadcast_arrays(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
    if a.size == 1:
        return np.full(a.shape, _scalar_root(f, float(a.flat[0]), float(b.flat[0]), a.shape,
                                             xtol, maxiter))
    a = a.copy()
    b = b.copy()
    fa = np.asarray(f(a), dtype=float) * np.ones_like(a)
    fb = np.asarray(f(b), dtype=float) * np.ones_like(a)
    # orient so that g(a) <= 0 <= g(b)
    sign = np.where(fb >= fa, 1.0, -1.0)
    fa = fa * sign
    fb = fb * sign
    x = np.where(np.abs(fa) <= np.abs(fb), a, b)
    done = (fa >= 0.0) | (fb <= 0.0) | (b - a <= xtol)
    x = np.where(fa >= 0.0, a, np.where(fb <= 0.0, b, x))
    side = np.zeros(a.shape, dtype=np.int8)
    for _ in range(maxiter):
        if np.all(done):
            break
        den = fb - fa
        c = np.where(den > 0.0, b - fb * (b - a) / np.where(den > 0.0, den, 1.0), 0.5 * (a + b))
        c = np.where((c <= a) | (c >= b), 0.5 * (a + b), c)
        c = np.where(done, x, c)
        fc = np.asarray(f(c), dtype=float) * sign
        left = fc < 0.0
        # Illinois: halve the stale end's value when the same end moves twice
        fb = np.where(left & (side == -1), 0.5 * fb, fb)
        fa = np.where(~left & (side == 1), 0.5 * fa, fa)
        a_new = np.where(left, c, a)
        fa_new = np.where(left, fc, fa)
        b_new = np.where(left, b, c)
        fb_new = np.where(left, fb, fc)
        keep = done
        a = np.where(keep, a, a_new)
        fa = np.where(keep, fa, fa_new)
        b = np.where(keep, b, b_new)
        fb = np.where(keep, fb, fb_new)
        side = np.where(keep, side, np.where(left, -1, 1)).astype(np.int8)
        x = np.where(keep, x, c)
        done = done | (fc == 0.0) | (b - a <= xtol)
    return x


def _scalar_root(f, a: float, b: float, shape: tuple, xtol: float, maxiter: int) -> float:
    """The same Illinois iteration on Python floats (one element: no array overhead)."""
    def g(x: float) -> float:
        return float(np.asarray(f(np.full(shape, x))).flat[0])

    fa, fb = g(a), g(b)
    sign = 1.0 if fb >= fa else -1.0
    fa, fb = fa * sign, fb * sign
    if fa >= 0.0:
        return a
    if fb <= 0.0:
        return b
    x = a if abs(fa) <= abs(fb) else b
    side = 0
    for _ in range(maxiter):
        if b - a <= xtol:
            break
        den = fb - fa
        c = b - fb * (b - a) / den if den > 0.0 else 0.5 * (a + b)
        if not a < c < b:
            c = 0.5 * (a + b)
        fc = g(c) * sign
        x = c
        if fc == 0.0:
            break
        if fc < 0.0:
            if side == -1:
                fb *= 0.5
            a, fa, side = c, fc, -1
        else:
            if side == 1:
                fa *= 0.5
            b, fb, side = c, fc, 1
    return x
