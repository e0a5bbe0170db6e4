"""Compiled kernel of small dense systems, numba: Gaussian elimination with partial
pivoting for the torn system of the heat transport (:mod:`._thermal_kernels`) and the
Gauss–Newton step of the controls (:mod:`._control_kernels`). Imported lazily (it
loads numba).

These systems have a handful of unknowns (three torn nodes, three control loops on
the 290 MW campus); ``numpy.linalg.solve`` spent 40–60 µs a call on them in its
checks and dispatch, at every outer iteration, where this takes a microsecond.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ["dense_solve"]


@_jit
def dense_solve(S, b):
    """``x`` with ``S x = b`` by Gaussian elimination with partial pivoting (the first
    largest pivot of each column, as LAPACK's ``getf2``); ``S`` and ``b`` are not
    changed.

    Returns
    -------
    x : numpy.ndarray
    ok : bool
        False where a pivot is exactly zero (a singular matrix, where
        ``numpy.linalg.solve`` raises ``LinAlgError``); ``x`` is then meaningless.
    """
    n = b.size
    A = S.copy()
    x = b.copy()
    for k in range(n):
        p = k
        big = abs(A[k, k])
        for i in range(k + 1, n):
            if abs(A[i, k]) > big:
                big = abs(A[i, k])
                p = i
        if not big > 0.0:          # zero (or NaN): singular
            return x, False
        if p != k:
            for j in range(n):
                A[k, j], A[p, j] = A[p, j], A[k, j]
            x[k], x[p] = x[p], x[k]
        for i in range(k + 1, n):
            f = A[i, k] / A[k, k]
            if f != 0.0:
                for j in range(k + 1, n):
                    A[i, j] -= f * A[k, j]
                x[i] -= f * x[k]
    for k in range(n - 1, -1, -1):
        acc = x[k]
        for j in range(k + 1, n):
            acc -= A[k, j] * x[j]
        x[k] = acc / A[k, k]
    return x, True
