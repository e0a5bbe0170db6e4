"""Compiled sparse-assembly and grouped-reduction kernels shared by the solvers
(numba): values of a kept sparsity pattern from its assembly map, entries
grouped by a key, minimum and maximum per group. Imported lazily.
"""

from __future__ import annotations

import numpy as np

from .._numba import jit as _jit

__all__ = ['csc_matvec', 'gather_sum', 'reorder_terms', 'group_min', 'group_max', 'assembly_map',
           'csr_group', 'nodal_patterns', 'component_labels']


@_jit
def gather_sum(out, ptr, index, sign, values):
    """Sparse-matrix values from a kept assembly map, in place:
    ``out[t] = Σ sign[j] values[index[j]]`` over ``j`` in ``ptr[t]:ptr[t+1]``
    (sequential writes; the indices read as unsigned, as :func:`._ldl_kernels.ldl_solve`
    reads them: 3.9 instead of 4.6 µs for the 1,403 terms of the nodal matrix of the
    290 MW campus)."""
    for t in range(out.size):
        acc = 0.0
        for j in range(np.uint64(ptr[t]), np.uint64(ptr[t + 1])):
            acc += sign[j] * values[np.uint64(index[j])]
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


@_jit
def assembly_map(n, major, minor, edge, sign):
    """Compressed pattern of the entries ``(major, minor)`` (duplicates merged)
    and the terms of each stored entry, in linear time.

    Entries are grouped by ``major`` (counting sort) and, within a group, sorted
    by ``minor`` (insertion sort, or a merge sort for long groups); both are
    stable, so the terms of a stored entry keep their input order. Returns
    ``indptr, indices, ptr, edge, sign``: stored entry ``t`` (row ``i`` of the
    compressed dimension holds entries ``indptr[i]:indptr[i+1]``, at positions
    ``indices``) is ``Σ sign[j] w[edge[j]]`` over ``j`` in ``ptr[t]:ptr[t+1]``.
    """
    m = major.size
    start = np.zeros(n + 1, np.int64)
    for j in range(m):
        start[major[j] + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    fill = start[:-1].copy()
    order = np.empty(m, np.int64)
    for j in range(m):
        i = major[j]
        order[fill[i]] = j
        fill[i] += 1
    for i in range(n):
        a, b = start[i], start[i + 1]
        if b - a > 32:
            seg = order[a:b].copy()
            by = np.argsort(minor[seg], kind="mergesort")
            for q in range(b - a):
                order[a + q] = seg[by[q]]
            continue
        for p in range(a + 1, b):
            x = order[p]
            key = minor[x]
            q = p - 1
            while q >= a and minor[order[q]] > key:
                order[q + 1] = order[q]
                q -= 1
            order[q + 1] = x
    indptr = np.zeros(n + 1, np.int64)
    indices = np.empty(m, np.int64)
    ptr = np.empty(m + 1, np.int64)
    edge_out = np.empty(m, np.int64)
    sign_out = np.empty(m)
    t = 0
    for i in range(n):
        last = -1
        for p in range(start[i], start[i + 1]):
            x = order[p]
            if p == start[i] or minor[x] != last:
                last = minor[x]
                indices[t] = last
                ptr[t] = p
                t += 1
            edge_out[p] = edge[x]
            sign_out[p] = sign[x]
        indptr[i + 1] = t
    ptr[t] = m
    return indptr, indices[:t].copy(), ptr[:t + 1].copy(), edge_out, sign_out


@_jit
def nodal_patterns(n, us, ue):
    """Assembly maps of the nodal matrix ``A_uᵀ W A_u`` from the unknown-node index
    of each free edge's start and end (``us``, ``ue``; -1 for a node of known
    pressure): ``(full, upper)``, the full matrix in CSR order and its upper
    triangle in CSC order, each as ``indptr, indices, ptr, edge, sign`` (see
    :func:`assembly_map`).

    Edge ``k`` adds ``+w_k`` to the diagonal at ``us[k]`` and at ``ue[k]`` and,
    when both ends are unknown, ``-w_k`` at ``(us[k], ue[k])`` and
    ``(ue[k], us[k])``. The terms of an entry are in the order of
    :func:`assembly_map` over the entries listed diagonal-at-start,
    diagonal-at-end, then the two off-diagonals, each by edge. Built from the
    node–edge adjacency (one counting sort of the edge ends), not by sorting
    the entries.
    """
    nf = us.size
    deg = np.zeros(n + 1, np.int64)
    for k in range(nf):
        if us[k] >= 0:
            deg[us[k] + 1] += 1
        if ue[k] >= 0:
            deg[ue[k] + 1] += 1
    for i in range(n):
        deg[i + 1] += deg[i]
    adj_e = np.empty(deg[n], np.int64)         # edge of each incidence
    adj_o = np.empty(deg[n], np.int64)         # unknown node at its other end (or -1)
    fill = deg[:-1].copy()
    for k in range(nf):                        # starts first, then ends: the diagonal's
        a = us[k]                              # term order
        if a >= 0:
            adj_e[fill[a]] = k
            adj_o[fill[a]] = ue[k]
            fill[a] += 1
    for k in range(nf):
        b = ue[k]
        if b >= 0:
            adj_e[fill[b]] = k
            adj_o[fill[b]] = us[k]
            fill[b] += 1
    # off-diagonal incidences of each node, stably sorted by the other node
    srt = np.empty(deg[n], np.int64)
    n_off = 0
    off_start = np.empty(n + 1, np.int64)
    for i in range(n):
        off_start[i] = n_off
        a = n_off
        for p in range(deg[i], deg[i + 1]):
            if adj_o[p] >= 0:
                srt[n_off] = p
                n_off += 1
        b = n_off
        if b - a > 32:
            seg = srt[a:b].copy()
            by = np.argsort(adj_o[seg], kind="mergesort")
            for q in range(b - a):
                srt[a + q] = seg[by[q]]
        else:
            for p in range(a + 1, b):
                x = srt[p]
                key = adj_o[x]
                q = p - 1
                while q >= a and adj_o[srt[q]] > key:
                    srt[q + 1] = srt[q]
                    q -= 1
                srt[q + 1] = x
    off_start[n] = n_off
    # distinct off-diagonal neighbours
    n_nb = 0
    for i in range(n):
        for p in range(off_start[i], off_start[i + 1]):
            if p == off_start[i] or adj_o[srt[p]] != adj_o[srt[p - 1]]:
                n_nb += 1
    full = _nodal_rows(n, deg, adj_e, adj_o, srt, off_start, n_nb, False)
    upper = _nodal_rows(n, deg, adj_e, adj_o, srt, off_start, n_nb, True)
    return full, upper


@_jit
def _nodal_rows(n, deg, adj_e, adj_o, srt, off_start, n_nb, upper):
    """Rows of the nodal matrix from the sorted adjacency of :func:`nodal_patterns`:
    all of them, or (``upper``) the entries at or left of the diagonal, which are
    the columns of the upper triangle."""
    n_ent = n + (n_nb // 2 if upper else n_nb)
    n_term = deg[n] + ((off_start[n]) // 2 if upper else off_start[n])
    indptr = np.zeros(n + 1, np.int64)
    indices = np.empty(n_ent, np.int64)
    ptr = np.empty(n_ent + 1, np.int64)
    edge = np.empty(n_term, np.int64)
    sign = np.empty(n_term)
    t = 0
    j = 0
    for i in range(n):
        p = off_start[i]
        end = off_start[i + 1]
        diag_done = False
        while True:
            if p < end:
                o = adj_o[srt[p]]
            else:
                o = n
            if not diag_done and o > i:
                indices[t] = i
                ptr[t] = j
                t += 1
                for q in range(deg[i], deg[i + 1]):
                    edge[j] = adj_e[q]
                    sign[j] = 1.0
                    j += 1
                diag_done = True
                if upper:
                    break
            if p >= end:
                break
            indices[t] = o
            ptr[t] = j
            t += 1
            while p < end and adj_o[srt[p]] == o:
                edge[j] = adj_e[srt[p]]
                sign[j] = -1.0
                j += 1
                p += 1
        indptr[i + 1] = t
    ptr[t] = j
    return indptr, indices, ptr, edge, sign


@_jit
def component_labels(n, a, b):
    """Connected components of the undirected graph with edges ``a[k]–b[k]`` on
    ``n`` nodes: ``(count, label)``, components numbered in the order of their
    smallest node (as ``scipy.sparse.csgraph.connected_components`` numbers
    them). Union–find with path halving."""
    parent = np.arange(n)
    for k in range(a.size):
        x, y = a[k], b[k]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        while parent[y] != y:
            parent[y] = parent[parent[y]]
            y = parent[y]
        if x != y:
            if x < y:
                parent[y] = x
            else:
                parent[x] = y
    label = np.full(n, -1, np.int64)
    count = 0
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        if label[r] < 0:
            label[r] = count
            count += 1
        label[i] = label[r]
    return count, label


@_jit
def csc_matvec(n_rows, indptr, indices, data, x):
    """``A @ x`` of a CSC matrix of ``n_rows`` rows given by its arrays (accumulated
    column by column, as SciPy does): without the call overhead of a SciPy product."""
    out = np.zeros(n_rows)
    for j in range(indptr.size - 1):
        xj = x[j]
        for k in range(indptr[j], indptr[j + 1]):
            out[indices[k]] += data[k] * xj
    return out
