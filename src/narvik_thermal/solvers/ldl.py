"""Sparse LDLᵀ factorisation of a symmetric positive definite matrix.

The nodal matrix of the hydraulic Newton step (:mod:`.hydraulic`) is SPD and
keeps one sparsity pattern per topology, so the work splits into a symbolic
analysis done once — a fill-reducing ordering, the permuted pattern, the
elimination tree and the column counts of ``L`` — and a numeric
factorisation per Newton step. Both, and the triangular solves, are compiled
kernels in :mod:`narvik_thermal.solvers._ldl_kernels`.

Ordering
--------
Minimum degree by explicit elimination
(:func:`~narvik_thermal.solvers._ldl_kernels.minimum_degree`; the method and its history
in [4]_).
Pipe networks are mostly trees, series chains and parallel branches (racks of
cold plates between two manifolds): the nodes of degree one and two that such
graphs keep producing are eliminated first, with no fill beyond the edge that
replaces a series node, in time linear in the size of the network. The
explicit elimination graph costs the square of the degrees it meets, which
grows on large meshes (a 450 × 450 grid would take ~50 s), so the elimination
stops after a work budget proportional to the number of non-zeros and the
approximate-minimum-degree ordering of SuiteSparse AMD [2]_ (as shipped
with QDLDL [1]_) is used instead.

Numeric factorisation
---------------------
The up-looking algorithm of QDLDL [1]_: row ``k`` of ``L`` is a sparse
triangular solve whose pattern is the reach of row ``k`` of ``A`` in the
elimination tree [3]_.

References
----------
.. [1] Stellato, B., Banjac, G., Goulart, P., Bemporad, A., Boyd, S., "OSQP: an
   operator splitting solver for quadratic programs", *Mathematical Programming
   Computation* 12, 637–672, 2020, doi:10.1007/s12532-020-00179-2 (QDLDL).
.. [2] Amestoy, P. R., Davis, T. A., Duff, I. S., "An approximate minimum degree
   ordering algorithm", *SIAM J. Matrix Anal. Appl.* 17(4), 886–905, 1996,
   doi:10.1137/S0895479894278952.
.. [3] Davis, T. A., *Direct Methods for Sparse Linear Systems*, SIAM, 2006,
   ch. 4 (elimination tree, up-looking Cholesky).
.. [4] George, A., Liu, J. W. H., "The evolution of the minimum degree ordering
   algorithm", *SIAM Review* 31(1), 1–19, 1989, doi:10.1137/1031001.
"""

from __future__ import annotations


import numpy as np

from . import _kernel_modules as kernels

__all__ = ["SparseLDL", "MD_WORK_PER_NONZERO", "minimum_degree_order", "amd_order",
           "permuted_tree"]

#: Work budget of the minimum-degree elimination, in adjacency entries visited
#: per non-zero of the upper triangle (plus a constant). Tree-like networks
#: need 3–5; the 100,000-GPU rack network needs 3.8.
MD_WORK_PER_NONZERO = 40


class SparseLDL:
    """``P A Pᵀ = L D Lᵀ`` of an SPD matrix with a fixed sparsity pattern.

    Parameters
    ----------
    indptr, indices : numpy.ndarray
        Upper triangle (diagonal included) of the pattern in CSC order.
    md_work : float, optional
        Work budget of the minimum-degree ordering per non-zero; beyond it
        the AMD ordering is used (``0`` forces AMD).
    order : numpy.ndarray, optional
        A fill-reducing ordering already found (``order[k]`` is pivot ``k``);
        then none is computed.

    Attributes
    ----------
    order : numpy.ndarray
        ``order[k]`` is the row/column of ``A`` that is pivot ``k``.
    ordering : str
        ``"minimum degree"`` or ``"AMD"``.
    where, source : numpy.ndarray
        Entry ``t`` of the input pattern is entry ``where[t]`` of the
        permuted upper triangle, and entry ``q`` of the permuted upper triangle
        is entry ``source[q]`` of the input: how the input's values are
        placed in :attr:`Ax` for :meth:`factor`.
    nnz_l : int
        Non-zeros of ``L`` below the diagonal.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csc_matrix(np.array([[4.0, -1, 0], [-1, 4, -1], [0, -1, 4]]))
    >>> U = sp.triu(A, format="csc")
    >>> ldl = SparseLDL(U.indptr, U.indices)
    >>> ax = np.empty(U.nnz)
    >>> ax[ldl.where] = U.data
    >>> ldl.factor(ax), ldl.ordering, ldl.nnz_l
    (3, 'minimum degree', 2)
    >>> np.round(ldl.solve(np.array([3.0, 2.0, 3.0])), 12).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray,
                 md_work: float = MD_WORK_PER_NONZERO, order: np.ndarray | None = None) -> None:
        indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        indices = np.ascontiguousarray(indices, dtype=np.int64)
        n = indptr.size - 1
        self.n = n
        nnz = int(indptr[-1]) if n else 0
        if order is not None:
            order = np.ascontiguousarray(order, dtype=np.int64)
        elif md_work > 0:
            order = minimum_degree_order(indptr, indices, md_work)
        else:
            order = np.full(n, -1, np.int64)
        self.ordering = "minimum degree"
        if n and order[0] < 0:
            order = amd_order(n, indptr, indices)
            self.ordering = "AMD"
        self.order = order
        self.Ap, self.Ai, self.source, self.parent, lnz = permuted_tree(indptr, indices, order)
        self.where = np.empty_like(self.source)
        self.where[self.source] = np.arange(self.source.size)
        self.Lp = np.zeros(n + 1, np.int64)
        np.cumsum(lnz, out=self.Lp[1:])
        self.nnz_l = int(self.Lp[-1])
        self.Li = np.empty(self.nnz_l, np.int64)
        self.Lx = np.empty(self.nnz_l)
        self.D = np.empty(n)
        self.Ax = np.zeros(nnz)

    def fresh(self) -> "SparseLDL":
        """A copy that shares the symbolic analysis (read only) and has its own
        numeric storage, so that solves on several threads can factorise the
        same pattern at once."""
        new = object.__new__(type(self))       # (copy.copy takes 10 µs)
        new.__dict__.update(self.__dict__)
        new.Li = np.empty_like(self.Li)
        new.Lx = np.empty_like(self.Lx)
        new.D = np.empty_like(self.D)
        new.Ax = np.zeros_like(self.Ax)
        return new

    def factor(self, Ax: np.ndarray | None = None) -> int:
        """Numeric factorisation of the values ``Ax`` (in the permuted order, see
        :attr:`where`; by default :attr:`Ax`, which callers may fill in place).

        Returns the number of the first pivot that is not positive and finite
        (``n`` when the matrix is SPD to working precision); the factors are
        then unusable and the caller must report it.
        """
        K = kernels.ldl()

        if Ax is not None:
            self.Ax[:] = Ax
        return K.ldl_factor(self.n, self.Ap, self.Ai, self.Ax, self.Lp, self.Li, self.Lx,
                            self.D, self.parent)

    def solve(self, b: np.ndarray) -> np.ndarray:
        """``x = A⁻¹ b`` with the last factorisation."""
        K = kernels.ldl()

        return K.ldl_solve(self.n, self.Lp, self.Li, self.Lx, self.D, self.order,
                           np.ascontiguousarray(b, dtype=float))


def permuted_tree(indptr: np.ndarray, indices: np.ndarray, order: np.ndarray):
    """The upper-triangle CSC pattern of ``P A Pᵀ`` for ``order`` (``order[k]`` is pivot
    ``k``) from that of ``A`` (int64 arrays), with its elimination tree:
    ``(Ap, Ai, source, parent, lnz)`` — entry ``q`` of the permuted pattern is entry
    ``source[q]`` of the input, ``lnz`` the column counts of ``L`` below the diagonal."""
    K = kernels.ldl()

    n = indptr.size - 1
    inverse = np.empty(n, np.int64)
    inverse[order] = np.arange(n)
    Ap, Ai, source = K.permute_upper(n, indptr, indices, inverse)
    parent, lnz = K.ldl_etree(n, Ap, Ai)
    if n and lnz[0] < 0:                       # cannot happen for a permuted upper triangle
        raise RuntimeError("LDLᵀ analysis: permuted pattern is not upper triangular")
    return Ap, Ai, source, parent, lnz


def minimum_degree_order(indptr: np.ndarray, indices: np.ndarray,
                         md_work: float = MD_WORK_PER_NONZERO) -> np.ndarray:
    """Minimum-degree order of an upper-triangle CSC pattern within the work budget
    ``md_work`` per non-zero (:data:`MD_WORK_PER_NONZERO`); ``order[0] = -1`` when
    the elimination exceeds it (the fill grows: a mesh)."""
    K = kernels.ldl()

    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    n = indptr.size - 1
    nnz = int(indptr[-1]) if n else 0
    order, _ = K.minimum_degree(n, indptr, indices, int(md_work * nnz) + 10_000)
    return order


def amd_order(n: int, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """AMD ordering (SuiteSparse AMD inside QDLDL) of an upper-triangle CSC pattern."""
    import qdldl
    import scipy.sparse as sp

    # any SPD matrix of the pattern: the off-diagonal entries −1, the diagonal
    # one more than the row's count (strictly diagonally dominant)
    # (copies of the pattern: eliminate_zeros below works in place)
    U = sp.csc_matrix((np.full(indices.size, -1.0), indices, indptr), shape=(n, n), copy=True)
    U.setdiag(0.0)
    U.eliminate_zeros()
    deg = np.asarray(abs(U).sum(axis=0)).ravel() + np.asarray(abs(U).sum(axis=1)).ravel()
    U = (U + sp.diags(deg + 1.0)).tocsc()
    return np.asarray(qdldl.Solver(U, upper=True).factors()[2], dtype=np.int64)
