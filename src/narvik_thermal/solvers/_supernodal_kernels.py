"""Compiled kernels of the supernodal LDLᵀ (:mod:`.supernodal`), numba: a
nested-dissection order, postorder of the elimination tree, supernode partition
and row structures, the left-looking numeric factorisation with dense blocks, and
the triangular solves. Imported lazily (they load numba).

Storage: supernode ``s`` holds columns ``first[s] … first[s+1] − 1`` of ``L``, all with
the row structure ``rows[rptr[s]:rptr[s+1]]`` (its own columns first, then the rows
below, ascending); its values are a dense column-major block of ``nrows × ncols`` at
``X[xptr[s]:]``, of which the part on and above the diagonal of the leading square is
unused (``L`` has a unit diagonal; ``D`` is kept apart).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .._numba import jit as _jit, jit_inline as _inline, pjit as _pjit

__all__ = ["nested_dissection", "etree_postorder", "supernodes", "supernode_rows",
           "subtree_groups", "supernodal_factor", "supernodal_solve", "PARALLEL_ENTRIES"]


@_jit
def _bfs(adj_p, adj_i, owner, oid, root, queue, level):
    """Breadth-first search from ``root`` over the nodes whose ``owner`` is ``oid``:
    ``queue`` gets them in the order reached, ``level`` their distance (it must be
    −1 for them on entry); returns how many were reached."""
    head = 0
    tail = 1
    queue[0] = root
    level[root] = 0
    while head < tail:
        v = queue[head]
        head += 1
        lv = level[v] + 1
        for q in range(adj_p[v], adj_p[v + 1]):
            u = adj_i[q]
            if owner[u] == oid and level[u] < 0:
                level[u] = lv
                queue[tail] = u
                tail += 1
    return tail

@_jit
def nested_dissection(n, adj_p, adj_i, leaf, sweeps):
    """A nested-dissection order of a graph (adjacency ``adj_p, adj_i``, both
    directions, no self loops), by level structures (George & Liu 1981, ch. 8):
    each part larger than ``leaf`` nodes is split into its connected components,
    or, when connected, by the middle level of a breadth-first search from a
    pseudo-peripheral node (found by up to ``sweeps`` searches from the farthest
    node of the last one) — the nodes of that level that border the next one are
    the separator, ordered after both sides. Returns ``order`` (``order[k]`` is the
    node eliminated ``k``-th)."""
    perm = np.arange(n)
    owner = np.zeros(n, np.int64)
    level = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    buf = np.empty(n, np.int64)
    stack_s = np.empty(2 * n + 2, np.int64)
    stack_e = np.empty(2 * n + 2, np.int64)
    top = 0
    stack_s[0] = 0
    stack_e[0] = n
    next_id = 1
    while top >= 0:
        s = stack_s[top]
        e = stack_e[top]
        top -= 1
        size = e - s
        if size <= leaf:
            continue
        oid = owner[perm[s]]
        # component of perm[s]
        cnt = _bfs(adj_p, adj_i, owner, oid, perm[s], queue, level)
        if cnt < size:
            # split off this component
            a = next_id
            b = next_id + 1
            next_id += 2
            for k in range(cnt):
                owner[queue[k]] = a
            k1 = 0
            k2 = cnt
            for k in range(s, e):
                v = perm[k]
                level[v] = -1
                if owner[v] == a:
                    buf[k1] = v
                    k1 += 1
                else:
                    owner[v] = b
                    buf[k2] = v
                    k2 += 1
            for k in range(size):
                perm[s + k] = buf[k]
            top += 1
            stack_s[top] = s
            stack_e[top] = s + cnt
            top += 1
            stack_s[top] = s + cnt
            stack_e[top] = e
            continue
        # pseudo-peripheral node: BFS again from the last node reached, twice
        depth = level[queue[cnt - 1]]
        for _ in range(sweeps):
            far = queue[cnt - 1]
            for k in range(cnt):
                level[queue[k]] = -1
            _bfs(adj_p, adj_i, owner, oid, far, queue, level)
            d2 = level[queue[cnt - 1]]
            grew = d2 > depth
            depth = d2                       # the level structure kept is this one
            if not grew:
                break
        if depth < 2:
            # a star or a clique: no level separates; ordered as it stands
            for k in range(cnt):
                level[queue[k]] = -1
            continue
        # middle level: that of the median node in the order reached, with a level
        # on either side of it
        m = min(max(level[queue[cnt // 2]], 1), depth - 1)
        a = next_id
        b = next_id + 1
        next_id += 2
        # separator: level m nodes adjacent to a node of level m + 1
        n1 = 0
        n2 = 0
        for k in range(cnt):
            v = queue[k]
            lv = level[v]
            if lv < m:
                owner[v] = a
            elif lv > m:
                owner[v] = b
        for k in range(cnt):
            v = queue[k]
            if level[v] == m:
                sep = False
                for q in range(adj_p[v], adj_p[v + 1]):
                    u = adj_i[q]
                    if owner[u] == b:
                        sep = True
                        break
                owner[v] = -1 if sep else a
        for k in range(cnt):
            v = queue[k]
            level[v] = -1
            if owner[v] == a:
                n1 += 1
            elif owner[v] == b:
                n2 += 1
        if n1 == cnt or n2 == cnt:
            continue                         # no split (cannot happen with m < depth)
        i1 = s
        i2 = s + n1
        i3 = s + n1 + n2
        for k in range(cnt):
            v = queue[k]
            o = owner[v]
            if o == a:
                perm[i1] = v
                i1 += 1
            elif o == b:
                perm[i2] = v
                i2 += 1
            else:
                perm[i3] = v
                i3 += 1
        if n1 > 0:
            top += 1
            stack_s[top] = s
            stack_e[top] = s + n1
        if n2 > 0:
            top += 1
            stack_s[top] = s + n1
            stack_e[top] = s + n1 + n2
    return perm


@_jit
def etree_postorder(n, parent):
    """A postorder of the elimination tree (children before parents, each subtree
    contiguous): ``post[k]`` is the node visited ``k``-th."""
    head = np.full(n, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    for j in range(n - 1, -1, -1):          # children listed in increasing order
        p = parent[j]
        if p >= 0:
            nxt[j] = head[p]
            head[p] = j
    post = np.empty(n, np.int64)
    stack = np.empty(n, np.int64)
    k = 0
    for root in range(n):
        if parent[root] >= 0:
            continue
        top = 0
        stack[0] = root
        while top >= 0:
            j = stack[top]
            c = head[j]
            if c == -1:
                top -= 1
                post[k] = j
                k += 1
            else:
                head[j] = nxt[c]
                top += 1
                stack[top] = c
    return post


@_jit
def supernodes(n, parent, Lp, max_cols, relax):
    """Supernodes of a postordered elimination tree.

    Fundamental ones first: column ``j`` joins the supernode of ``j − 1`` when ``j``
    is the parent of ``j − 1`` and ``L``'s column ``j − 1`` has one more entry below
    the diagonal than column ``j`` (its structure is ``{j} ∪`` that of ``j``). Then
    relaxed amalgamation (CHOLMOD's rule; Ashcraft & Grimes 1989): a supernode is
    merged with its parent, when the parent's columns follow its own, if the merged
    one has at most 4 columns, or at most 16 with under 80 % explicit zeros, 48
    with under 10 %, or any width with under 5 % — and at most ``max_cols``. The
    zeros cost flops, the larger dense blocks save far more on a mesh.

    Returns ``first`` (``nsn + 1`` entries: the first column of each, then ``n``)
    and ``col2sn``."""
    fst = np.empty(n + 1, np.int64)
    nsn = 0
    for j in range(n):
        if not (j > 0 and parent[j - 1] == j
                and (Lp[j] - Lp[j - 1]) == (Lp[j + 1] - Lp[j]) + 1):
            fst[nsn] = j
            nsn += 1
    fst[nsn] = n
    # sizes of each (merged) supernode: columns, rows (own columns included),
    # explicit zeros and entries of its lower trapezoid
    nc = np.empty(nsn, np.int64)
    nr = np.empty(nsn, np.int64)
    zeros = np.zeros(nsn, np.int64)
    sparent = np.full(nsn, -1, np.int64)
    col2f = np.empty(n, np.int64)
    for s in range(nsn):
        nc[s] = fst[s + 1] - fst[s]
        nr[s] = Lp[fst[s] + 1] - Lp[fst[s]] + 1
        for j in range(fst[s], fst[s + 1]):
            col2f[j] = s
    for s in range(nsn):
        p = parent[fst[s + 1] - 1]
        if p >= 0:
            sparent[s] = col2f[p]
    # merged into (a representative with a higher index), by union-find
    rep = np.arange(nsn)
    head = np.arange(nsn)                  # the lowest supernode of each merged block
    for s in range(nsn - 2, -1, -1):
        p = sparent[s]
        if p < 0:
            continue
        while rep[p] != p:
            p = rep[p]
        if head[p] != s + 1:
            continue                       # the parent's columns do not follow
        cols = nc[s] + nc[p]
        if cols > max_cols:
            continue
        rows = nc[s] + nr[p]
        z = zeros[s] + zeros[p] + nc[s] * (rows - nr[s])
        total = cols * rows - cols * (cols - 1) // 2
        frac = z / total
        if cols <= relax[0] or (cols <= relax[1] and frac < relax[3]) \
                or (cols <= relax[2] and frac < relax[4]) or frac < relax[5]:
            rep[s] = p
            nc[p] = cols
            nr[p] = rows
            zeros[p] = z
            head[p] = s
    first = np.empty(n + 1, np.int64)
    col2sn = np.empty(n, np.int64)
    m = 0
    for s in range(nsn):
        if rep[s] == s:
            first[m] = fst[head[s]]
            for j in range(fst[head[s]], fst[s + 1]):
                col2sn[j] = m
            m += 1
    first[m] = n
    return first[:m + 1].copy(), col2sn


@_inline
def _union_below(src, lo, hi, last, s, mark, rows, pos):
    """Appends to ``rows`` from ``pos`` the rows ``src[lo:hi]`` below ``last`` not yet
    marked ``s`` (marking them); returns the new end."""
    for q in range(lo, hi):
        r = src[q]
        if r > last and mark[r] != s:
            mark[r] = s
            rows[pos] = r
            pos += 1
    return pos


@_jit
def supernode_rows(n, first, col2sn, parent, Lp, lptr, lrow):
    """Row structure of every supernode: its own columns, then the union of the rows
    below it of its columns in ``A`` and of its children's structures, ascending
    (those of its last column: with amalgamated supernodes, a superset of the
    structure of each of its columns).

    Returns ``(rptr, rows, ok)``; ``ok`` is False if a structure disagrees with the
    column counts ``Lp`` (it cannot for a consistent analysis)."""
    nsn = first.size - 1
    total = 0
    for s in range(nsn):
        last = first[s + 1] - 1
        total += (last + 1 - first[s]) + (Lp[last + 1] - Lp[last])
    rptr = np.empty(nsn + 1, np.int64)
    rows = np.empty(total, np.int64)
    # children of each supernode, as linked lists
    head = np.full(nsn, -1, np.int64)
    nxt = np.full(nsn, -1, np.int64)
    for s in range(nsn - 1, -1, -1):
        last = first[s + 1] - 1
        p = parent[last]
        if p >= 0:
            ps = col2sn[p]
            nxt[s] = head[ps]
            head[ps] = s
    mark = np.full(n, -1, np.int64)
    pos = 0
    ok = True
    for s in range(nsn):
        f = first[s]
        last = first[s + 1] - 1
        rptr[s] = pos
        for j in range(f, last + 1):
            rows[pos] = j
            mark[j] = s
            pos += 1
        start = pos
        for j in range(f, last + 1):
            pos = _union_below(lrow, lptr[j], lptr[j + 1], last, s, mark, rows, pos)
        c = head[s]
        while c != -1:
            pos = _union_below(rows, rptr[c], rptr[c + 1], last, s, mark, rows, pos)
            c = nxt[c]
        rows[start:pos] = np.sort(rows[start:pos])
        if pos - start != Lp[last + 1] - Lp[last]:
            ok = False
            rptr[nsn] = pos
            return rptr, rows, ok
    rptr[nsn] = pos
    return rptr, rows, ok


#: Factors of at least this many block entries (``X``) are factorised and solved
#: with their groups of subtrees on threads (:func:`subtree_groups`); smaller
#: ones by the serial twin (the same steps in the same order, one group after the
#: other). On the 2-core machine, a 40 × 40 grid (29,500 entries): factorisation
#: 0.31 against 0.40 ms, solve 38 against 50 µs; a 20 × 20 grid (about 6,000):
#: 82 against 107 µs, but 22 against 19 µs.
PARALLEL_ENTRIES = 20_000
#: Supernodes of the top part with at least this many columns have their updates
#: and their panel's split between the two threads by columns
#: (:func:`supernodal_factor`); narrower ones cost less than starting the threads.
SPLIT_COLUMNS = 48


@_jit
def _frontier_step(fr, nf, W, ngroups, assign, load):
    """Assigns the subtrees ``fr[:nf]`` to ``ngroups`` groups, heaviest first to the
    least loaded (``assign``, ``load``); returns the index in ``fr`` of the heaviest."""
    order = np.argsort(-W[fr[:nf]], kind="mergesort")
    load[:] = 0.0
    for k in order:
        g = np.argmin(load)
        assign[k] = g
        load[g] += W[fr[k]]
    return order[0]


@_jit
def _split(fr, nf, h, head, nxt):
    """Replaces subtree ``fr[h]`` by its children's subtrees; returns the new count."""
    r = fr[h]
    fr[h] = fr[nf - 1]
    nf -= 1
    c = head[r]
    while c != -1:
        fr[nf] = c
        nf += 1
        c = nxt[c]
    return nf


@_jit
def subtree_groups(first, rptr, col2sn, parent, ngroups, max_steps):
    """Groups of whole subtrees of the supernodal elimination tree, to be factorised
    side by side (:func:`supernodal_factor`): ``group[s]`` in ``0 … ngroups − 1``,
    or −1 for the *top* part, factorised after them.

    The work of a supernode is taken as ``ncols · nrows²`` (its panel and the updates
    it sends), of a subtree the sum. From the roots, the heaviest subtree of the
    frontier is replaced by its children (its root joins the top part), up to
    ``max_steps`` times; each frontier is assigned to the groups heaviest first to
    the least loaded, and the frontier with the least estimated time — the most
    loaded group plus the top part — is kept (Geist & Ng 1989's subtree-to-
    processor mapping in outline). All −1 when the supernodes are not in postorder
    (a subtree not contiguous), or for fewer than two groups."""
    nsn = first.size - 1
    group = np.full(nsn, -1, np.int64)
    if ngroups < 2 or nsn < 2:
        return group
    sp = np.full(nsn, -1, np.int64)
    for s in range(nsn):
        p = parent[first[s + 1] - 1]
        if p >= 0:
            sp[s] = col2sn[p]
    W = np.empty(nsn)
    size = np.ones(nsn, np.int64)
    for s in range(nsn):
        nc = first[s + 1] - first[s]
        nr = rptr[s + 1] - rptr[s]
        W[s] = float(nc) * float(nr) * float(nr)
    own = W.copy()
    for s in range(nsn):
        if sp[s] >= 0:
            if sp[s] <= s:
                return group
            W[sp[s]] += W[s]
            size[sp[s]] += size[s]
    for s in range(nsn):
        if sp[s] >= 0 and sp[s] - size[sp[s]] + 1 > s - size[s] + 1:
            return group                    # not in postorder
    head = np.full(nsn, -1, np.int64)
    nxt = np.full(nsn, -1, np.int64)
    for s in range(nsn - 1, -1, -1):
        if sp[s] >= 0:
            nxt[s] = head[sp[s]]
            head[sp[s]] = s
    fr = np.empty(nsn, np.int64)
    nf = 0
    for s in range(nsn):
        if sp[s] < 0:
            fr[nf] = s
            nf += 1
    assign = np.empty(nsn, np.int64)
    load = np.zeros(ngroups)
    top = 0.0
    best, best_step = np.inf, 0
    for step in range(max_steps + 1):
        h = _frontier_step(fr, nf, W, ngroups, assign, load)
        est = load.max() + top
        if est < best:
            best, best_step = est, step
        if head[fr[h]] == -1:
            break
        top += own[fr[h]]
        nf = _split(fr, nf, h, head, nxt)
    # the best frontier again
    nf = 0
    for s in range(nsn):
        if sp[s] < 0:
            fr[nf] = s
            nf += 1
    for step in range(best_step):
        h = _frontier_step(fr, nf, W, ngroups, assign, load)
        nf = _split(fr, nf, h, head, nxt)
    _frontier_step(fr, nf, W, ngroups, assign, load)
    for k in range(nf):
        r = fr[k]
        for s in range(r - size[r] + 1, r + 1):
            group[s] = assign[k]
    return group


@_inline
def _lower_update(S, sbase, sld, t0, t1, D, dbase, c0, c1, rhi, T, tbase, tld, ofs, sign):
    """The dense block product of the factorisation, in place:
    ``T[c − ofs][r − ofs] += sign · Σ_t S[r, t] D[t] S[c, t]`` for the columns ``t`` in
    ``[t0, t1)`` of the column-major panel ``S`` (leading dimension ``sld``, at
    ``sbase``; ``D`` of its column ``t`` at ``dbase + t``), the target columns ``c`` in
    ``[c0, c1)`` and the rows ``r`` in ``[c, rhi)``; ``T`` is column-major with leading
    dimension ``tld`` at ``tbase``. Four target columns at a time share each load of
    ``S`` (a few entries above the diagonal of ``T`` get written too: the caller never
    reads them). The indices are unsigned (see ``ldl_solve``): a signed index keeps the
    loops from being vectorised."""
    c = c0
    while c < c1:
        k = min(4, c1 - c)
        col0 = np.uint64(tbase + (c - ofs) * tld - ofs)
        col1 = col0 + np.uint64(tld)
        col2 = col1 + np.uint64(tld)
        col3 = col2 + np.uint64(tld)
        for t in range(t0, t1):
            sc = np.uint64(sbase + t * sld)
            dt = D[dbase + t] * sign
            w0 = S[sc + np.uint64(c)] * dt
            if k == 4:
                w1 = S[sc + np.uint64(c + 1)] * dt
                w2 = S[sc + np.uint64(c + 2)] * dt
                w3 = S[sc + np.uint64(c + 3)] * dt
                for r in range(np.uint64(c), np.uint64(rhi)):
                    x = S[sc + r]
                    T[col0 + r] += x * w0
                    T[col1 + r] += x * w1
                    T[col2 + r] += x * w2
                    T[col3 + r] += x * w3
            else:
                for j in range(k):
                    w = S[sc + np.uint64(c + j)] * dt
                    cj = col0 + np.uint64(j * tld)
                    for r in range(np.uint64(c + j), np.uint64(rhi)):
                        T[cj + r] += S[sc + r] * w
        c += k


#: Columns of the blocks in which a supernode's panel is factorised.
_PANEL_BLOCK = 16


@_inline
def _gather(s, first, rptr, rows, xptr, lptr, lrow, lsrc, Ax, X, rel):
    """Supernode ``s``'s block: zeroed, its columns of ``A`` added; ``rel`` maps its
    rows to their positions in it."""
    f = first[s]
    nc = first[s + 1] - f
    r0 = rptr[s]
    nr = rptr[s + 1] - r0
    base = xptr[s]
    for q in range(base, base + nc * nr):
        X[q] = 0.0
    for i in range(nr):
        rel[rows[r0 + i]] = i
    for c in range(nc):
        j = f + c
        col = base + c * nr
        for q in range(lptr[j], lptr[j + 1]):
            X[col + rel[lrow[q]]] += Ax[lsrc[q]]


@_inline
def _receive(s, lo, hi, first, rptr, rows, xptr, X, D, rel, work, pos, head, nxt, at):
    """Subtracts from supernode ``s``'s columns ``lo … hi − 1`` the updates of the
    descendants linked to it (a dense block product each, scattered by relative row
    positions: dense where they are consecutive, often on a mesh). The links are
    left as they are (:func:`_relink`), so that two calls for different columns
    may run at once; each entry gets the same operations in the same order
    whatever the columns of the call."""
    f = first[s]
    nr = rptr[s + 1] - rptr[s]
    base = xptr[s]
    d = head[s]
    while d != -1:
        fd = first[d]
        ncd = first[d + 1] - fd
        d0 = rptr[d]
        nrd = rptr[d + 1] - d0
        ka = at[d]
        while ka < nrd and rows[d0 + ka] < f + lo:
            ka += 1
        kb = ka
        while kb < nrd and rows[d0 + kb] < f + hi:
            kb += 1
        if kb > ka:
            m = nrd - ka
            nb = kb - ka
            for q in range(m * nb):
                work[q] = 0.0
            _lower_update(X, xptr[d], nrd, 0, ncd, D, fd, ka, kb, nrd, work, 0, m, ka, 1.0)
            for i in range(m):
                pos[i] = rel[rows[d0 + ka + i]]
            dense = pos[m - 1] - pos[0] == m - 1
            for cc in range(nb):
                col = base + (rows[d0 + ka + cc] - f) * nr
                wcol = cc * m
                if dense:
                    at0 = np.uint64(col + pos[0])
                    for i in range(np.uint64(cc), np.uint64(m)):
                        X[at0 + i] -= work[np.uint64(wcol) + i]
                else:
                    for i in range(cc, m):
                        X[col + pos[i]] -= work[wcol + i]
        d = nxt[d]


@_inline
def _relink(s, defer, group, first, col2sn, rptr, rows, head, nxt, at):
    """After supernode ``s`` received its updates: each descendant linked to it moves
    on to the next supernode its rows reach (with ``defer``, not yet when that is in
    the top part, ``group`` −1)."""
    last = first[s + 1]
    d = head[s]
    head[s] = -1
    while d != -1:
        dnext = nxt[d]
        d0 = rptr[d]
        nrd = rptr[d + 1] - d0
        k = at[d]
        while k < nrd and rows[d0 + k] < last:
            k += 1
        at[d] = k
        if k < nrd:
            s2 = col2sn[rows[d0 + k]]
            if not defer or group[s2] >= 0:
                nxt[d] = head[s2]
                head[s2] = d
        d = dnext


@_inline
def _panel_block(s, b0, b1, first, rptr, xptr, X, D):
    """``LDLᵀ`` of columns ``b0 … b1 − 1`` of supernode ``s``'s panel (their updates
    from the columns before them done): the pivots, the columns below them scaled,
    and the updates among them. Returns the number of positive pivots, −1 − that
    number at a zero or non-finite one (which ends it)."""
    f = first[s]
    nr = rptr[s + 1] - rptr[s]
    base = xptr[s]
    for c in range(b0, b1):
        col = base + c * nr
        piv = X[col + c]
        D[f + c] = piv
        if not (piv > 0.0) or not math.isfinite(piv):
            return -1 - (c - b0)
        for c2 in range(c + 1, b1):
            l2 = X[col + c2]
            if l2 != 0.0:
                fct = l2 / piv
                col2 = base + c2 * nr
                for i in range(c2, nr):
                    X[col2 + i] -= X[col + i] * fct
        inv = 1.0 / piv
        for i in range(c + 1, nr):
            X[col + i] *= inv
    return b1 - b0


@_inline
def _link_self(s, defer, group, first, col2sn, rptr, rows, head, nxt, at):
    """Links factorised supernode ``s`` to the first supernode its rows below reach
    (with ``defer``, not yet when that is in the top part)."""
    nc = first[s + 1] - first[s]
    at[s] = nc
    if rptr[s + 1] - rptr[s] > nc:
        s2 = col2sn[rows[rptr[s] + nc]]
        if not defer or group[s2] >= 0:
            nxt[s] = head[s2]
            head[s2] = s


@_inline
def _factor_supernode(s, defer, group, first, col2sn, rptr, rows, xptr, lptr, lrow, lsrc,
                      Ax, X, D, work, rel, pos, head, nxt, at):
    """Supernode ``s`` of the left-looking factorisation (see :func:`supernodal_factor`),
    on one thread: gathers its columns of ``A``, subtracts the updates of the
    descendants linked to it, factorises its panel by blocks of columns (each block
    then updating the columns after it) and links it to the next supernode it
    updates. With ``defer``, a link to a supernode of the top part (``group`` −1) is
    left for later. Returns the number of positive pivots, −1 − that number at a
    zero or non-finite pivot (which ends it)."""
    nc = first[s + 1] - first[s]
    nr = rptr[s + 1] - rptr[s]
    _gather(s, first, rptr, rows, xptr, lptr, lrow, lsrc, Ax, X, rel)
    _receive(s, 0, nc, first, rptr, rows, xptr, X, D, rel, work, pos, head, nxt, at)
    _relink(s, defer, group, first, col2sn, rptr, rows, head, nxt, at)
    positive = 0
    for b0 in range(0, nc, _PANEL_BLOCK):
        b1 = min(b0 + _PANEL_BLOCK, nc)
        k = _panel_block(s, b0, b1, first, rptr, xptr, X, D)
        if k < 0:
            return -1 - (positive + (-1 - k))
        positive += k
        if b1 < nc:
            _lower_update(X, xptr[s], nr, b0, b1, D, first[s], b1, nc, nr, X, xptr[s], nr, 0,
                          -1.0)
    _link_self(s, defer, group, first, col2sn, rptr, rows, head, nxt, at)
    return positive


@_inline
def _column_split(lo, hi, nr):
    """The column that splits columns ``lo … hi − 1`` of a panel of ``nr`` rows into two
    parts of about equal work (column ``c`` has ``nr − c`` entries on and below its
    diagonal)."""
    total = 0.0
    for c in range(lo, hi):
        total += nr - c
    acc = 0.0
    for c in range(lo, hi):
        acc += nr - c
        if acc >= 0.5 * total:
            return c + 1
    return hi


@_jit
def _largest_block(first, rptr):
    """The most rows and the most columns of any supernode."""
    maxr = 0
    maxc = 0
    for s in range(first.size - 1):
        maxr = max(maxr, rptr[s + 1] - rptr[s])
        maxc = max(maxc, first[s + 1] - first[s])
    return maxr, maxc


@_pjit(min_parallel=PARALLEL_ENTRIES)
def supernodal_factor(X, n, first, col2sn, rptr, rows, xptr, lptr, lrow, lsrc, Ax, D,
                      group, ngroups):
    """Numeric ``P A Pᵀ = L D Lᵀ``, left-looking by supernodes (CHOLMOD's
    ``super_numeric`` in outline; Ng & Peyton 1993): each supernode gathers its
    columns of ``A``, subtracts the updates of the descendants whose rows reach it
    (a dense block product each, scattered by relative row positions), and
    factorises its dense panel. ``X, D`` are filled.

    ``group[s]`` (``0 … ngroups − 1``, or −1): the supernodes of each group form
    whole subtrees of the elimination tree, which depend on nothing outside them,
    so the groups are factorised side by side (one thread each); the rest, the
    *top* part (−1), after them, in order. The links from the groups to the top
    part are made between the two phases in the order of the supernodes, so the
    result does not depend on which group finishes first (the serial twin gives
    the same bits). The top part's supernodes of :data:`SPLIT_COLUMNS` columns or
    more split their updates, and the updates within their panel, by target
    columns between two threads (:func:`_column_split`; each entry gets the same
    operations as without the split). Returns the number of positive pivots: ``n``
    for an SPD matrix; with groups, −1 when a pivot is zero or not finite (the
    caller factorises again without groups for the exact count and ``D``)."""
    nsn = first.size - 1
    maxr, maxc = _largest_block(first, rptr)
    head = np.full(nsn, -1, np.int64)
    nxt = np.full(nsn, -1, np.int64)
    at = np.zeros(nsn, np.int64)
    failed = np.zeros(max(ngroups, 1), np.int64)
    for g in nb.prange(ngroups):
        work = np.empty(maxr * maxc)
        rel = np.empty(n, np.int64)
        pos = np.empty(maxr, np.int64)
        for s in range(nsn):
            if group[s] == g and _factor_supernode(
                    s, True, group, first, col2sn, rptr, rows, xptr, lptr, lrow, lsrc, Ax, X,
                    D, work, rel, pos, head, nxt, at) < 0:
                failed[g] = 1
                break
    if ngroups > 0 and failed.sum() > 0:
        return -1
    # the groups' links to the top part, in the order of the supernodes
    for d in range(nsn):
        if group[d] >= 0 and at[d] < rptr[d + 1] - rptr[d]:
            s2 = col2sn[rows[rptr[d] + at[d]]]
            nxt[d] = head[s2]
            head[s2] = d
    rel = np.empty(n, np.int64)
    works = np.empty((2, maxr * maxc))
    poss = np.empty((2, maxr), np.int64)
    for s in range(nsn):
        if group[s] >= 0:
            continue
        nc = first[s + 1] - first[s]
        nr = rptr[s + 1] - rptr[s]
        if ngroups == 0 or nc < SPLIT_COLUMNS:
            k = _factor_supernode(s, False, group, first, col2sn, rptr, rows, xptr, lptr,
                                  lrow, lsrc, Ax, X, D, works[0], rel, poss[0], head, nxt, at)
            if k < 0:
                # without groups, the pivots before this supernode's bad one
                return -1 if ngroups > 0 else first[s] + (-1 - k)
            continue
        # a wide supernode of the top part: its updates and the updates within its
        # panel split by target columns between the two threads
        _gather(s, first, rptr, rows, xptr, lptr, lrow, lsrc, Ax, X, rel)
        cs = _column_split(0, nc, nr)
        for t in nb.prange(2):
            lo = 0 if t == 0 else cs
            hi = cs if t == 0 else nc
            _receive(s, lo, hi, first, rptr, rows, xptr, X, D, rel, works[t], poss[t], head,
                     nxt, at)
        _relink(s, False, group, first, col2sn, rptr, rows, head, nxt, at)
        for b0 in range(0, nc, _PANEL_BLOCK):
            b1 = min(b0 + _PANEL_BLOCK, nc)
            if _panel_block(s, b0, b1, first, rptr, xptr, X, D) < 0:
                return -1
            if b1 < nc:
                cs = _column_split(b1, nc, nr)
                for t in nb.prange(2):
                    lo = b1 if t == 0 else cs
                    hi = cs if t == 0 else nc
                    if hi > lo:
                        _lower_update(X, xptr[s], nr, b0, b1, D, first[s], lo, hi, nr, X,
                                      xptr[s], nr, 0, -1.0)
        _link_self(s, False, group, first, col2sn, rptr, rows, head, nxt, at)
    return n


@_inline
def _block(s, first, rptr, xptr):
    """Supernode ``s``: its first column, columns, where its rows below its columns
    start in ``rows``, how many there are, its rows in all and where its block starts
    (the last four unsigned)."""
    f = first[s]
    nc = first[s + 1] - f
    below = np.uint64(rptr[s + 1] - rptr[s] - nc)
    return (f, nc, np.uint64(rptr[s] + nc), below, np.uint64(nc) + below,
            np.uint64(xptr[s]))


@_inline
def _forward_block(s, first, rptr, rows, xptr, X, x, g, topidx, acc, direct):
    """Forward elimination with supernode ``s``: its own entries of ``x``, then those
    of the rows below it — directly (``direct``), or, for rows that ``topidx`` maps to
    a slot (``≥ 0``), accumulated in ``acc`` (subtracted from ``x`` by the caller)."""
    f, nc, top, below, nr, base = _block(s, first, rptr, xptr)
    for i in range(below):
        g[i] = 0.0
    for c in range(nc):
        v = x[f + c]
        if v != 0.0:
            col = base + np.uint64(c) * nr
            for i in range(np.uint64(c + 1), np.uint64(nc)):
                x[np.uint64(f) + i] -= X[col + i] * v
            off = col + np.uint64(nc)
            for i in range(below):
                g[i] += X[off + i] * v
    if direct:
        for i in range(below):
            x[np.uint64(rows[top + i])] -= g[i]
        return
    for i in range(below):
        r = np.uint64(rows[top + i])
        k = topidx[r]
        if k >= 0:
            acc[k] += g[i]
        else:
            x[r] -= g[i]


@_inline
def _backward_block(s, first, rptr, rows, xptr, X, x, g):
    """Back substitution with supernode ``s`` (the rows below it are done)."""
    f, nc, top, below, nr, base = _block(s, first, rptr, xptr)
    for i in range(below):
        g[i] = x[np.uint64(rows[top + i])]
    for c in range(nc - 1, -1, -1):
        col = base + np.uint64(c) * nr
        v = x[f + c]
        for i in range(np.uint64(c + 1), np.uint64(nc)):
            v -= X[col + i] * x[np.uint64(f) + i]
        off = col + np.uint64(nc)
        acc = 0.0
        for i in range(below):
            acc += X[off + i] * g[i]
        x[f + c] = v - acc


@_pjit(min_parallel=PARALLEL_ENTRIES)
def supernodal_solve(X, n, first, rptr, rows, xptr, D, order, b, group, ngroups, topcols,
                     topidx):
    """``x = A⁻¹ b`` from the supernodal factors of ``P A Pᵀ = L D Lᵀ``
    (``order[k]``: the original index of pivot ``k``). The entries of each
    supernode's rows below its columns are gathered once into a dense vector, so
    that the products with its panel run over contiguous memory.

    The groups of :func:`supernodal_factor` run side by side: forward, each
    accumulates what it subtracts from the top part's entries (``topcols``; slot
    ``topidx[col]``, −1 elsewhere) apart, added in group order; backward, they
    follow the top part."""
    nsn = first.size - 1
    maxr = 0
    for s in range(nsn):
        maxr = max(maxr, rptr[s + 1] - rptr[s] - (first[s + 1] - first[s]))
    x = np.empty(n)
    for k in range(n):
        x[k] = b[np.uint64(order[k])]
    ntop = topcols.size
    acc = np.zeros((max(ngroups, 1), ntop))
    for grp in nb.prange(ngroups):
        g = np.empty(maxr)
        a = acc[grp]
        for s in range(nsn):
            if group[s] == grp:
                _forward_block(s, first, rptr, rows, xptr, X, x, g, topidx, a, False)
    for grp in range(ngroups):
        for k in range(ntop):
            x[topcols[k]] -= acc[grp, k]
    g = np.empty(maxr)
    a = acc[0]
    for s in range(nsn):
        if group[s] < 0:
            _forward_block(s, first, rptr, rows, xptr, X, x, g, topidx, a, True)
    for i in range(n):
        x[i] /= D[i]
    for s in range(nsn - 1, -1, -1):
        if group[s] < 0:
            _backward_block(s, first, rptr, rows, xptr, X, x, g)
    for grp in nb.prange(ngroups):
        g2 = np.empty(maxr)
        for s in range(nsn - 1, -1, -1):
            if group[s] == grp:
                _backward_block(s, first, rptr, rows, xptr, X, x, g2)
    out = np.empty(n)
    for k in range(n):
        out[np.uint64(order[k])] = x[k]
    return out
