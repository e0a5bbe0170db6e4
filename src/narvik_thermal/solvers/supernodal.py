"""Supernodal LDLᵀ factorisation of a symmetric positive definite matrix, for meshes.

On a mesh (a district-heating grid, a water network) the factor ``L`` of the
nodal matrix fills in: columns that share their row structure form *supernodes*
whose values are dense blocks, and the factorisation becomes a sequence of dense
block products [1]_ [2]_. This module keeps the symbolic analysis of
:mod:`.ldl` (a fill-reducing order, the elimination tree, column counts) and adds
to it a nested-dissection order of its own [3]_ (or AMD, on small meshes where
that needs fewer operations), a postorder of the tree (so that supernodes are
contiguous), the supernode partition with relaxed amalgamation and the row
structure of every supernode; the numeric factorisation is left-looking by
supernodes (:func:`._supernodal_kernels.supernodal_factor`). On the 300 × 300
grid of ``benchmarks/shapes.py`` it takes 0.05–0.06 s on one thread where the
up-looking factorisation of :mod:`.ldl` (one scalar update per entry) takes
0.13 s on the same order and QDLDL 0.17 s on AMD's (``docs/performance.rst``).

Two groups of whole subtrees of the elimination tree, of about equal work
(:func:`._supernodal_kernels.subtree_groups`, after Geist & Ng [4]_), are
factorised and solved side by side on two threads, then the rest of the tree
(the *top* part), whose wide supernodes split their updates by columns between
the threads; every entry gets the same operations in the same order either way,
so the factors do not depend on the threads (the kernels' serial twins, used
for small factors and while another thread runs a parallel kernel, give the
same bits).

References
----------
.. [1] Ng, E. G., Peyton, B. W., "Block sparse Cholesky algorithms on advanced
   uniprocessor computers", *SIAM J. Sci. Comput.* 14(5), 1034–1056, 1993,
   doi:10.1137/0914063.
.. [2] Chen, Y., Davis, T. A., Hager, W. W., Rajamanickam, S., "Algorithm 887:
   CHOLMOD, supernodal sparse Cholesky factorization and update/downdate",
   *ACM Trans. Math. Softw.* 35(3), 22, 2008, doi:10.1145/1391989.1391995.
.. [3] George, A., Liu, J. W. H., *Computer Solution of Large Sparse Positive
   Definite Systems*, Prentice-Hall, 1981, ch. 8 (nested dissection by level
   structures).
.. [4] Geist, G. A., Ng, E., "Task scheduling for parallel sparse Cholesky
   factorization", *Int. J. Parallel Programming* 18(4), 291–314, 1989.
"""

from __future__ import annotations

import threading

import numpy as np

from . import _kernel_modules as kernels

__all__ = ["SupernodalLDL", "fill_reducing_order", "nested_dissection_order", "MAX_SUPERNODE",
           "ND_LEAF", "AMD_UP_TO", "GROUPS"]

#: Columns of a supernode at most (its dense panel stays within the caches).
MAX_SUPERNODE = 64
#: Relaxed amalgamation (:func:`._supernodal_kernels.supernodes`): a supernode and its
#: parent are merged when the merged one has at most ``RELAX[0]`` columns, or at most
#: ``RELAX[1]`` with a fraction of explicit zeros under ``RELAX[3]``, ``RELAX[2]``
#: under ``RELAX[4]``, or any width under ``RELAX[5]``. CHOLMOD's defaults (4, 16, 48;
#: 0.8, 0.1, 0.05) left 4.4 million entries in the blocks of the 300 × 300 grid and
#: factorised it in 0.062 s (median of 7), these 3.3 million and 0.056 s; none, 3.0
#: million and 0.069 s.
RELAX = (4, 8, 32, 0.3, 0.05, 0.02)
#: Block storage buffers kept per analysis for reuse (:meth:`SupernodalLDL._storage`):
#: one serves a solve that drops its last factorisation before the next, a second a
#: factorisation still kept while another is made (each is the size of ``L``'s
#: blocks: 27 MB on the 300 × 300 grid).
SPARE_BUFFERS = 2
_POOL_LOCK = threading.Lock()

#: Groups of whole subtrees of the elimination tree factorised side by side, one
#: thread each (:func:`._supernodal_kernels.subtree_groups`; the test machine has
#: two cores), and the most splits of the tree's top tried to balance them.
GROUPS = 2
GROUP_STEPS = 64

#: Nested dissection stops splitting parts of at most this many nodes (on the
#: 300 × 300 grid, 8 gave the least fill of 8, 32 and 128).
ND_LEAF = 8
#: Searches for a pseudo-peripheral node per split: on the 300 × 300 grid and water
#: grid, none (levels from the part's first node) gave 2 % more operations, one the
#: fewest, two no fewer and cost most (16–18, 29–42, 33–50 ms).
ND_SWEEPS = 1


#: Up to this many unknowns, AMD is tried beside nested dissection and the order
#: with the fewer operations kept (AMD wins on small meshes: 1.3–1.6× fewer on
#: 12 × 12 to 30 × 30 grids, nested dissection from about 60 × 60 on); above it
#: AMD — a QDLDL factorisation — costs more than it can save (0.3–0.5 s on the
#: 300 × 300 grid, whose factorisation takes 0.07–0.1 s).
AMD_UP_TO = 20_000


def fill_reducing_order(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, str]:
    """The order of the supernodal factorisation, by the work it measures: nested
    dissection (:func:`nested_dissection_order`), or AMD where that is cheap to find
    (:data:`AMD_UP_TO`) and needs fewer operations, ``Σ (column count of L)²``.
    Returns the order and its name."""
    from .ldl import amd_order, permuted_tree

    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    n = indptr.size - 1
    nd = nested_dissection_order(indptr, indices)
    if n > AMD_UP_TO or n == 0:
        return nd, "nested dissection"

    def work(order):
        counts = permuted_tree(indptr, indices, order)[4].astype(float)
        return float((counts * counts).sum())

    amd = amd_order(n, indptr, indices)
    return (amd, "AMD") if work(amd) < work(nd) else (nd, "nested dissection")


def nested_dissection_order(indptr: np.ndarray, indices: np.ndarray,
                            leaf: int = ND_LEAF) -> np.ndarray:
    """A nested-dissection order of the graph of an upper-triangle CSC pattern, by
    level structures (:func:`._supernodal_kernels.nested_dissection`; George & Liu
    1981). On the 300 × 300 grid of ``benchmarks/shapes.py`` it takes 0.03–0.04 s
    and leaves 2.55 million non-zeros in ``L`` where AMD (by QDLDL, 0.3–0.5 s with
    its factorisation) leaves 2.84 million."""
    S = kernels.sparse()
    K = kernels.supernodal()

    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    n = indptr.size - 1
    # the graph: both directions of every entry off the diagonal, grouped by node
    cols = np.repeat(np.arange(n), np.diff(indptr))
    off = indices != cols
    a, b = indices[off], cols[off]
    ptr, idx, _ = S.csr_group(n, np.concatenate([a, b]), np.concatenate([b, a]))
    return K.nested_dissection(n, ptr, idx, int(leaf), ND_SWEEPS)


class SupernodalLDL:
    """Symbolic analysis of ``P A Pᵀ = L D Lᵀ`` by supernodes, for a fixed pattern.

    Parameters
    ----------
    indptr, indices : numpy.ndarray
        Upper triangle (diagonal included) of the pattern in CSC order.
    order : numpy.ndarray, optional
        A fill-reducing order (``order[k]`` is pivot ``k``); by default the one
        :func:`fill_reducing_order` picks. It is postordered along its
        elimination tree, which leaves the fill unchanged.

    Attributes
    ----------
    order : numpy.ndarray
        The order used (``order[k]`` is the row/column of ``A`` that is pivot ``k``).
    ordering : str
        ``"nested dissection"``, ``"AMD"`` or ``"given"``.
    source : numpy.ndarray
        Entry ``q`` of the permuted upper triangle is entry ``source[q]`` of the
        input: how values are placed in the array :meth:`factor` takes.
    Lp : numpy.ndarray
        Column pointers of ``L`` below the diagonal (its column counts).
    nnz_l : int
        Non-zeros of ``L`` below the diagonal.
    n_supernodes : int
    group : numpy.ndarray
        The group of each supernode factorised side by side with the other
        (``0 … GROUPS − 1``), or −1 for the top part, factorised after them
        (:func:`._supernodal_kernels.subtree_groups`).
    n_groups : int
        :data:`GROUPS`, or 0 where the tree gave none.
    top_columns, top_slot : numpy.ndarray
        The columns of the top part, and the position of each column among them
        (−1 elsewhere): where the solves keep the groups' updates of the top part.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csc_matrix(np.array([[4.0, -1, 0], [-1, 4, -1], [0, -1, 4]]))
    >>> U = sp.triu(A, format="csc")
    >>> sn = SupernodalLDL(U.indptr, U.indices, order=np.arange(3))
    >>> X, D, ok = sn.factor(U.data[sn.source])
    >>> ok, np.round(sn.solve(X, D, np.array([3.0, 2.0, 3.0])), 12).tolist()
    (True, [1.0, 1.0, 1.0])
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray,
                 order: np.ndarray | None = None) -> None:
        L = kernels.ldl()
        S = kernels.sparse()
        K = kernels.supernodal()
        from .ldl import permuted_tree

        indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        indices = np.ascontiguousarray(indices, dtype=np.int64)
        n = self.n = indptr.size - 1
        self.ordering = "given"
        if order is None:
            order, self.ordering = fill_reducing_order(indptr, indices)
        order = np.ascontiguousarray(order, dtype=np.int64)
        if order.shape != (n,) or (n and not (order.min() >= 0 and order.max() < n and np.all(
                np.bincount(order, minlength=n) == 1))):
            from ..errors import InputError

            raise InputError(f"SupernodalLDL: order must be a permutation of 0 … {n - 1} "
                             f"(each pivot once); got {order.size} entries.")

        Ap, Ai, source, parent, lnz = permuted_tree(indptr, indices, order)
        post = K.etree_postorder(n, parent)
        if not np.array_equal(post, np.arange(n)):
            # the tree and the counts are relabelled; only the pattern is permuted again
            order = order[post]
            inverse = np.empty(n, np.int64)
            inverse[order] = np.arange(n)
            Ap, Ai, source = L.permute_upper(n, indptr, indices, inverse)
            new = np.empty(n, np.int64)
            new[post] = np.arange(n)
            up = parent[post]
            parent = np.where(up >= 0, new[np.maximum(up, 0)], -1)
            lnz = lnz[post]
        self.order = order
        self.source = source
        self.Lp = np.zeros(n + 1, np.int64)
        np.cumsum(lnz, out=self.Lp[1:])
        self.nnz_l = int(self.Lp[-1])
        self.first, self.col2sn = K.supernodes(n, parent, self.Lp, MAX_SUPERNODE,
                                               np.asarray(RELAX, dtype=float))
        self.n_supernodes = self.first.size - 1
        # the lower triangle by columns: the upper one's entries grouped by row
        self.lptr, self.lrow, self.lsrc = S.csr_group(n, Ai, np.repeat(np.arange(n),
                                                                       np.diff(Ap)))
        self.rptr, self.rows, ok = K.supernode_rows(n, self.first, self.col2sn, parent,
                                                    self.Lp, self.lptr, self.lrow)
        if not ok:                                   # cannot happen for a consistent analysis
            raise RuntimeError("supernodal analysis: row structures disagree with the "
                               "column counts")
        ncol = np.diff(self.first)
        nrow = np.diff(self.rptr)
        self.xptr = np.zeros(self.n_supernodes + 1, np.int64)
        np.cumsum(ncol * nrow, out=self.xptr[1:])
        self.nnz = int(self.source.size)
        self._pool: list = []               # block storage for reuse (_storage)
        # whole subtrees factorised side by side, the top part after them
        self.group = K.subtree_groups(self.first, self.rptr, self.col2sn, parent, GROUPS,
                                      GROUP_STEPS)
        self.n_groups = GROUPS if np.any(self.group >= 0) else 0
        self.top_columns = np.flatnonzero(self.group[self.col2sn] < 0).astype(np.int64)
        self.top_slot = np.full(n, -1, np.int64)
        self.top_slot[self.top_columns] = np.arange(self.top_columns.size)

    def factor(self, Ax: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        """Numeric factorisation of the values ``Ax`` (in the permuted order of
        :attr:`source`): ``(X, D, ok)``, the dense blocks of the supernodes, the
        pivots, and whether every pivot is positive and finite (else ``D`` holds the
        pivots up to the first bad one, and NaN after it)."""
        K = kernels.supernodal()

        X = self._storage()
        D = np.full(self.n, np.nan)
        Ax = np.ascontiguousarray(Ax, dtype=float)
        args = (self.n, self.first, self.col2sn, self.rptr, self.rows, self.xptr, self.lptr,
                self.lrow, self.lsrc, Ax, D)
        k = K.supernodal_factor(X, *args, self.group, self.n_groups)
        if k < 0:
            # a bad pivot in a group: again in one sequence, for the pivots before it
            D[:] = np.nan
            k = K.supernodal_factor(X, *args, np.full(self.group.size, -1, np.int64), 0)
        return X, D, k == self.n

    def _storage(self) -> np.ndarray:
        """Storage for the blocks of a new factorisation: a buffer of an earlier one
        that nothing refers to any more, else a new one (kept for later reuse, at
        most :data:`SPARE_BUFFERS` of them).

        A new array of tens of megabytes costs a page fault per page at its first
        use, and the 2-core test machine takes about as long to fault in the 27 MB
        of the 300 × 300 grid as to factorise it (53–57 ms per factorisation with
        the storage reused, 53–157 ms new). A buffer is free when only this pool
        holds it (``sys.getrefcount``: the pool's list, and the call's argument):
        factorisations that are still used — kept on a compiled network, or by a
        solve on another thread — keep theirs."""
        import sys

        size = int(self.xptr[-1])
        with _POOL_LOCK:
            pool = self._pool
            for buf in pool:
                if sys.getrefcount(buf) == 3:          # the list, buf, the argument
                    return buf
            buf = np.empty(size)
            if len(pool) < SPARE_BUFFERS:
                pool.append(buf)
            return buf

    def solve(self, X: np.ndarray, D: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``x = A⁻¹ b`` from the factors :meth:`factor` returned."""
        K = kernels.supernodal()

        return K.supernodal_solve(X, self.n, self.first, self.rptr, self.rows, self.xptr, D,
                                  self.order, np.ascontiguousarray(b, dtype=float), self.group,
                                  self.n_groups, self.top_columns, self.top_slot)
