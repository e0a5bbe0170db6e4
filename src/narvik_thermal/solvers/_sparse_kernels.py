"""Compiled sparse-assembly and grouped-reduction kernels shared by the solvers
(numba): values of a kept sparsity pattern from its assembly map, entries
grouped by a key, minimum and maximum per group. Imported lazily.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['gather_sum', 'reorder_terms', 'group_min', 'group_max']


@_jit
def gather_sum(out, ptr, index, sign, values):
    """Sparse-matrix values from a kept assembly map, in place:
    ``out[t] = Σ sign[j] values[index[j]]`` over ``j`` in ``ptr[t]:ptr[t+1]``
    (sequential writes)."""
    for t in range(out.size):
        acc = 0.0
        for j in range(ptr[t], ptr[t + 1]):
            acc += sign[j] * values[index[j]]
        out[t] = acc
    return out


@_jit
def reorder_terms(source, ptr, index, sign):
    """The assembly map (see :func:`gather_sum`) of the entries ``source``, in
    that order: ``(ptr, index, sign)`` with entry ``q`` made of the terms of
    entry ``source[q]`` of the given map."""
    n = source.size
    ptr2 = np.empty(n + 1, np.int64)
    ptr2[0] = 0
    for q in range(n):
        t = source[q]
        ptr2[q + 1] = ptr2[q] + ptr[t + 1] - ptr[t]
    index2 = np.empty(ptr2[n], np.int64)
    sign2 = np.empty(ptr2[n])
    for q in range(n):
        t = source[q]
        k = ptr2[q]
        for j in range(ptr[t], ptr[t + 1]):
            index2[k] = index[j]
            sign2[k] = sign[j]
            k += 1
    return ptr2, index2, sign2


@_jit
def csr_group(n, key, other):
    """Entries grouped by ``key`` (counting sort): ``ptr``, ``other`` in key
    order, and the permutation ``perm`` (position → entry)."""
    ptr = np.zeros(n + 1, np.int64)
    for j in range(key.size):
        ptr[key[j] + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    o = np.empty(key.size, np.int64)
    perm = np.empty(key.size, np.int64)
    for j in range(key.size):
        p = fill[key[j]]
        o[p] = other[j]
        perm[p] = j
        fill[key[j]] = p + 1
    return ptr, o, perm


@_jit
def group_min(values, groups, n):
    """Smallest value of each group ``0..n-1`` (+inf for an empty group)."""
    out = np.full(n, np.inf)
    for j in range(values.size):
        g = groups[j]
        if values[j] < out[g]:
            out[g] = values[j]
    return out


@_jit
def group_max(values, groups, n):
    """Largest value of each group ``0..n-1`` (-inf for an empty group)."""
    out = np.full(n, -np.inf)
    for j in range(values.size):
        g = groups[j]
        if values[j] > out[g]:
            out[g] = values[j]
    return out
