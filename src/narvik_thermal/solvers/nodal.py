"""The nodal system of the hydraulic Newton step: factorisations and solves.

Every Newton step of :mod:`.hydraulic` solves ``A_uᵀ W A_u x = rhs`` (SPD) for
new edge conductances ``W``; the pattern is fixed per topology. Two ideas keep
the cost near that of one factorisation per solve:

Factorisation by measured fill
    The symbolic analysis (ordering, elimination tree, column counts of ``L``)
    runs once per topology. On tree-like networks (trees, series chains,
    parallel branches with a few loops) the minimum-degree ordering of
    :mod:`.ldl` finishes within its work budget and ``L`` has about as many
    non-zeros as the matrix: the compiled LDLᵀ of :mod:`.ldl` factorises
    (``"ldl"``). On meshes (district-heating rings, water grids) the
    elimination runs out of its budget or the fill ``nnz(L) / nnz(A)``
    exceeds :data:`FILL_LIMIT`: the factorisation is supernodal
    (``"supernodal"``, :mod:`.supernodal`: dense blocks on a nested-dissection
    order, or AMD [2]_ on small meshes where that needs fewer operations; 3×
    faster than QDLDL's up-looking factorisation on a 300 × 300 grid, and its
    order found in 0.04 s instead of AMD's 0.3–0.5 s, see
    ``docs/performance.rst``). QDLDL [1]_ with its AMD ordering (``"qdldl"``, a
    maintained C library) remains as a choice.

The last factorisation as a preconditioner
    A numeric factorisation (:class:`Factorisation`) is read-only once made and
    kept, in the solver and on the compiled network, so that a later Newton
    step — of this solve or of a later, warm-started one — may solve its own
    system by conjugate gradients preconditioned with it instead of
    factorising again. The preconditioned matrix ``M⁻¹ L(w)`` has its spectrum
    in ``[min w/w₀, max w/w₀]``, so its condition number, and with it the
    Chebyshev bound of the iterations [3]_, is known before a single
    iteration; the solver takes the cheaper of a new factorisation and
    the iterations that bound predicts, from the work of a factorisation, a
    triangular solve pair and a product with the matrix estimated from their
    operation counts (:meth:`NodalSolver.solve`). The iterations stop at a relative residual of
    :data:`PCG_RTOL`, so the Newton step is the one a direct solve gives to
    round-off and the converged answer does not depend on the choice.

Pivot diagnostics are the same on every path: a zero, negative or NaN pivot
raises :class:`~narvik_thermal.errors.ConvergenceError` naming the node (the
compiled kernels stop at it; QDLDL's ``update`` does not check, so the
factors' ``D`` is checked).

References
----------
.. [1] Stellato, B., Banjac, G., Goulart, P., Bemporad, A., Boyd, S., "OSQP: an
   operator splitting solver for quadratic programs", *Mathematical Programming
   Computation* 12, 637–672, 2020, doi:10.1007/s12532-020-00179-2 (QDLDL).
.. [2] Amestoy, P. R., Davis, T. A., Duff, I. S., "An approximate minimum degree
   ordering algorithm", *SIAM J. Matrix Anal. Appl.* 17(4), 886–905, 1996,
   doi:10.1137/S0895479894278952.
.. [3] Saad, Y., *Iterative Methods for Sparse Linear Systems*, 2nd ed., SIAM,
   2003, §6.11 and §9.2 (convergence bound and preconditioned CG).
"""

from __future__ import annotations

import logging
import math
import threading
import time

import numpy as np
import scipy.sparse as sp

from ..errors import ConvergenceError
from . import _kernel_modules as kernels

__all__ = ["NodalSolver", "Factorisation", "nodal_matrix", "ldl_analysis", "supernodal_analysis",
           "factorisation_kind",
           "FILL_LIMIT", "PCG_RTOL"]

#: Fill ``nnz(L) / nnz(A)`` (off-diagonal, upper triangle) above which the numeric
#: factorisation goes to QDLDL: about 1 on tree-like networks, 16 on a 300 × 300 grid.
FILL_LIMIT = 3.0
#: Relative residual ``‖rhs − L x‖₂ / ‖rhs‖₂`` at which the preconditioned
#: conjugate gradients stop.
PCG_RTOL = 1e-12
#: Work of the nodal solves by operation counts (ns per unit on the 2-core test
#: machine, fitted to rack, feed and grid networks of 10⁴–3·10⁵ unknowns): a
#: factorisation costs "entry" per unknown and per non-zero of L plus "ldl" or
#: "qdldl" per Σ (column count of L)², a solve pair "solve" per unknown and
#: non-zero of L, a product with the nodal matrix "product" per free edge; a supernodal
#: factorisation "supernodal_entry" and "supernodal" in their place (fitted to 60 × 60
#: to 300 × 300 grids and water grids: 1.7 ms to 0.06–0.09 s). (Since the
#: substitutions read their indices unsigned, 2026-11-30, a solve pair takes 2.4–2.6
#: ns per entry on the feed network of 100,000 GPUs and the 300 × 300 grid; "solve"
#: stays 3.5, a price that also covers the iterations a trial gives up: at 2.5 the
#: grid's cold solve took 115 conjugate-gradient iterations instead of 66 to save
#: one factorisation of seven, and was no faster.) Counts, not clocks: the choice
#: between factorising and iterating is the same in every run, so a solve is
#: reproducible to the last bit.
_WORK = {"entry": 12.0, "ldl": 0.5, "qdldl": 0.35, "solve": 3.5, "product": 1.7,
         "supernodal_entry": 14.0, "supernodal": 0.15}

#: A solve by iterations is accepted with a true residual ``max |b − L x|`` up to this
#: many round-off units ``ε · max_i (|L| |x|)_i`` even where the tolerance asked is below
#: it: direct solves of the nodal systems of rack, feed, grid and water-grid networks
#: leave 0.03–1.9 such units.
_ROUNDOFF = 4.0
_EPS = float(np.finfo(float).eps)

#: Iterations beyond the condition bound are tried when factorising costs at
#: least this many of them (a trial that fails costs three).
_TRIAL_BUDGET = 10.0

#: Work budget of the minimum-degree ordering per non-zero when the method is
#: chosen by fill (tree-like networks need 3–8; a mesh exhausts it).
MD_WORK_AUTO = 20
#: Off-diagonal non-zeros per unknown (edges between unknown-pressure nodes per node)
#: from which the fill of the nested-dissection order is measured before the
#: minimum-degree trial: 1.9–2 on planar grids, 1.3–1.5 on rack networks (0.035 s of
#: the trial saved on the 300 × 300 grid, whose analysis the cold solve waits for).
MESH_NONZEROS = 1.8

_METHODS = ("auto", "ldl", "qdldl", "supernodal", "splu", "cg")

#: no start for :meth:`NodalSolver._pcg`'s first kernel
_NO_X = np.zeros(0)

log = logging.getLogger(__name__)


def nodal_matrix(cn, w_free: np.ndarray) -> sp.csr_matrix:
    """The nodal matrix A_u^T W A_u over unknown-pressure nodes (CSR, SPD).

    Values are gathered through the assembly map built at compile time.
    """
    _kernels = kernels.sparse()

    nnz = cn.lap_indices.size
    data = _kernels.gather_sum(np.empty(nnz), cn.lap_ptr, cn.lap_edge, cn.lap_sign, w_free)
    nu = cn.unknown_nodes.size
    return sp.csr_matrix((data, cn.lap_indices, cn.lap_indptr), shape=(nu, nu))


def ldl_analysis(cn, order: np.ndarray | None = None):
    """Symbolic LDLᵀ analysis of the nodal matrix of ``cn`` (topology only),
    with the assembly map of its permuted upper triangle (``ldl.terms``)."""
    _kernels = kernels.sparse()
    from .ldl import SparseLDL

    ldl = SparseLDL(cn.up_indptr, cn.up_indices, order=order)
    ldl.terms = _kernels.reorder_terms(ldl.source, cn.up_ptr, cn.up_edge, cn.up_sign)
    return ldl


def factorisation_kind(cn) -> str:
    """``"ldl"`` or ``"supernodal"``: the factorisation the fill of ``cn``'s nodal
    matrix calls for (see the module notes). Analyses the pattern on first use
    and keeps the result on the compiled network (``cn.cache``); the analysis
    of the factorisation chosen is kept as ``cn.cache["ldl"]`` or
    ``cn.cache["supernodal"]``."""
    kind = cn.cache.get("factorisation")
    if kind is not None:
        return kind
    from .ldl import minimum_degree_order

    n = cn.unknown_nodes.size
    off = cn.up_indices.size - n
    if n and off >= MESH_NONZEROS * n:
        # about four neighbours per node (a planar grid; racks of parallel plates
        # have about three): the nested-dissection analysis is made first, and its
        # fill decides when it exceeds the limit, without the minimum-degree trial
        # a mesh would run out of
        sn = supernodal_analysis(cn)
        if sn.nnz_l > FILL_LIMIT * max(off, 1):
            cn.cache["factorisation"] = "supernodal"
            return "supernodal"
    order = minimum_degree_order(cn.up_indptr, cn.up_indices, MD_WORK_AUTO) if n else None
    kind = "supernodal"
    if order is None or order[0] >= 0:
        ldl = ldl_analysis(cn, order=order) if n else None
        if ldl is None or ldl.nnz_l <= FILL_LIMIT * max(off, 1):
            cn.cache.setdefault("ldl", ldl)
            kind = "ldl"
    if kind == "supernodal":
        supernodal_analysis(cn)
    cn.cache["factorisation"] = kind
    return kind


def supernodal_analysis(cn):
    """The supernodal analysis of ``cn``'s nodal matrix (:class:`.supernodal.SupernodalLDL`
    on the order :func:`.supernodal.fill_reducing_order` picks), with the assembly map
    of its permuted upper triangle (``.terms``); made on first use and kept as
    ``cn.cache["supernodal"]``."""
    sn = cn.cache.get("supernodal")
    if sn is None:
        _kernels = kernels.sparse()
        from .supernodal import SupernodalLDL

        sn = SupernodalLDL(cn.up_indptr, cn.up_indices)
        sn.terms = _kernels.reorder_terms(sn.source, cn.up_ptr, cn.up_edge, cn.up_sign)
        sn = cn.cache.setdefault("supernodal", sn)
    return sn


class Factorisation:
    """``P L(w) Pᵀ = L D Lᵀ`` of the nodal matrix for the conductances ``w``; read-only
    once made, so solves with it may run on several threads at once.

    Attributes
    ----------
    n : int
        Unknowns.
    Lp, Li, Lx, D, order : numpy.ndarray
        Strictly lower ``L`` by columns, ``D``, and ``order[k]``, the unknown
        that is pivot ``k``.
    w : numpy.ndarray
        The conductances factorised: the array given (the solver that factorised
        ``w`` marks by its identity that the factorisation is its system's own), or
        a copy (:meth:`copy_for`).
    kind : str
        ``"ldl"`` (compiled kernel), ``"qdldl"`` or ``"supernodal"`` (then ``Lx`` holds
        the dense blocks of the supernodes and ``Li`` the
        :class:`.supernodal.SupernodalLDL` analysis they belong to).
    seconds : float
        Wall time of the factorisation, including the assembly (and, for the compiled
        LDLᵀ, the solve of the system it was made for, in the same call) [s].
    work, solve_work : float
        Estimated work of the factorisation and of a solve pair, from their
        operation counts (:data:`_WORK`).
    """

    __slots__ = ("n", "Lp", "Li", "Lx", "D", "order", "w", "kind", "seconds", "work",
                 "solve_work")

    def __init__(self, Lp, Li, Lx, D, order, w, kind, seconds, pattern=None) -> None:
        self.n = int(D.size)
        self.Lp, self.Li, self.Lx, self.D, self.order = Lp, Li, Lx, D, order
        self.w = w
        self.kind = kind
        self.seconds = float(seconds)
        # work of a factorisation and of a solve pair, in the units of
        # _WORK (about nanoseconds on the machine they were measured on), from the
        # pattern's entries and column counts (``pattern``: :func:`pattern_counts` of
        # ``Lp``, kept by a caller that factorises one pattern again and again)
        size, squares = pattern if pattern is not None else pattern_counts(self.n, Lp)
        entry = _WORK["supernodal_entry" if kind == "supernodal" else "entry"]
        self.work = entry * size + _WORK[kind] * squares
        self.solve_work = _WORK["solve"] * size

    def copy_for(self, w: np.ndarray) -> "Factorisation":
        """The same factors, marked as made for ``w`` (a copy of the array)."""
        # every slot but w by name (copy.copy of a slotted object takes 10 µs, a loop
        # over the slots 3 µs; subclasses add none)
        new = object.__new__(type(self))
        new.n, new.Lp, new.Li, new.Lx, new.D, new.order = (
            self.n, self.Lp, self.Li, self.Lx, self.D, self.order)
        new.kind, new.seconds, new.work, new.solve_work = (
            self.kind, self.seconds, self.work, self.solve_work)
        new.w = np.array(w, dtype=float)
        return new

    def solve(self, b: np.ndarray) -> np.ndarray:
        """``x = L(w)⁻¹ b``."""
        K = kernels.ldl()

        return K.ldl_solve(self.n, self.Lp, self.Li, self.Lx, self.D, self.order,
                           np.ascontiguousarray(b, dtype=float))


def _pivot_error(cn, k: int, n: int, value: float) -> ConvergenceError:
    node = cn.node_names[cn.unknown_nodes[k]]
    return ConvergenceError(
        f"the nodal matrix of the Newton step is not positive definite at node "
        f"{node!r} (pivot {n[0]} of {n[1]}: {value:.3g}); the edge conductances "
        f"must be positive and finite. Check for NaN or infinite pressure losses "
        f"(pump curves, rated points) at the edges of that node.")


def pattern_counts(n: int, Lp: np.ndarray) -> tuple[float, float]:
    """Entries of an ``n × n`` factor with column pointers ``Lp`` (the diagonal
    included) and the sum of its squared column counts: the operation counts of
    :class:`Factorisation`'s work estimates."""
    counts = np.diff(Lp).astype(float)
    # (no BLAS: its threads spin on a busy machine, milliseconds per call)
    return n + float(counts.sum()), float((counts * counts).sum())


class _OwnNumeric:
    """Numeric factorisations with the compiled LDLᵀ (:class:`.ldl.SparseLDL`) on the
    analysis kept on the compiled network; fresh storage for each, so that a
    factorisation handed out stays valid."""

    kind = "ldl"

    def __init__(self, cn, analysis) -> None:
        self.cn = cn
        self.analysis = analysis
        self._pattern = None          # pattern_counts of the analysis' factor, once

    def factor(self, w: np.ndarray, b: np.ndarray | None = None):
        """The :class:`Factorisation` for ``w`` and, when ``b`` is given, ``L(w)⁻¹ b``
        solved in the same compiled call (None without ``b``)."""
        K = kernels.ldl()

        t0 = time.perf_counter()
        a = self.analysis
        # the conductances go straight into the permuted upper triangle, factorised
        # into new storage (SparseLDL.fresh and factor in one compiled call; with the
        # solve of b when given)
        wc = np.ascontiguousarray(w, dtype=float)
        if b is None:
            k, Li, Lx, D = K.ldl_refactor(a.n, a.Ap, a.Ai, a.Lp, a.parent, a.Ax.size,
                                          *a.terms, wc)
            x = None
        else:
            k, Li, Lx, D, x = K.ldl_refactor_solve(a.n, a.Ap, a.Ai, a.Lp, a.parent, a.Ax.size,
                                                   *a.terms, wc, a.order,
                                                   np.ascontiguousarray(b, dtype=float))
        if k < a.n:
            raise _pivot_error(self.cn, int(a.order[k]), (k, a.n), D[k])
        if self._pattern is None:
            # (kept on the compiled network with the analysis it counts)
            kept = self.cn.cache.get("ldl_pattern_counts")
            if kept is None or kept[0] is not a:
                kept = self.cn.cache["ldl_pattern_counts"] = (a, pattern_counts(a.n, a.Lp))
            self._pattern = kept[1]
        return Factorisation(a.Lp, Li, Lx, D, a.order, w, self.kind,
                             time.perf_counter() - t0, self._pattern), x


class _QdldlNumeric:
    """Numeric factorisations with QDLDL (AMD ordering at the first one, then
    ``Solver.update``). A ``qdldl.Solver`` must never serve two threads: each
    :class:`NodalSolver` has its own, and hands out copies of the factors."""

    kind = "qdldl"

    def __init__(self, cn) -> None:
        self.cn = cn
        nu = cn.unknown_nodes.size
        self.U = sp.csc_matrix((np.zeros(cn.up_indices.size), cn.up_indices, cn.up_indptr),
                               shape=(nu, nu))
        self.solver = None

    def factor(self, w: np.ndarray, b: np.ndarray | None = None):
        """The :class:`Factorisation` for ``w``, and None (``b`` is solved with it)."""
        import qdldl

        _kernels = kernels.sparse()

        cn = self.cn
        t0 = time.perf_counter()
        _kernels.gather_sum(self.U.data, cn.up_ptr, cn.up_edge, cn.up_sign, w)
        if self.solver is None:
            try:
                self.solver = qdldl.Solver(self.U, upper=True)
            except (RuntimeError, ValueError):
                # a zero pivot: analyse with a regular matrix of the pattern, then
                # factorise the real one to find the pivot (update does not raise)
                regular = self.U.copy()
                regular.data[:] = -1.0
                diag = regular.indices == np.repeat(np.arange(regular.shape[0]),
                                                    np.diff(regular.indptr))
                regular.data[diag] = np.diff(regular.indptr)[
                    np.repeat(np.arange(regular.shape[0]), np.diff(regular.indptr))][diag] * 4.0
                self.solver = qdldl.Solver(regular, upper=True)
                self.solver.update(self.U, upper=True)
        else:
            self.solver.update(self.U, upper=True)
        L, D, P = self.solver.factors()
        bad = np.flatnonzero(~((D > 0.0) & (D < np.inf)))
        if bad.size:
            k = int(bad[0])
            raise _pivot_error(cn, int(P[k]), (k, D.size), D[k])
        return Factorisation(L.indptr, L.indices, L.data, D, np.asarray(P), w, self.kind,
                             time.perf_counter() - t0), None


class _SupernodalFactorisation(Factorisation):
    """A factorisation by :class:`.supernodal.SupernodalLDL`: ``Lx`` holds its dense
    supernode blocks, ``Li`` the analysis; ``Lp`` the column counts of ``L``."""

    __slots__ = ()

    def solve(self, b: np.ndarray) -> np.ndarray:
        return self.Li.solve(self.Lx, self.D, b)


class _SupernodalNumeric:
    """Numeric factorisations by supernodes (:mod:`.supernodal`) on the analysis kept
    on the compiled network (:func:`supernodal_analysis`); each with storage of its
    own (reused from factorisations nothing refers to any more)."""

    kind = "supernodal"

    def __init__(self, cn) -> None:
        self.cn = cn
        self.analysis = supernodal_analysis(cn)

    def factor(self, w: np.ndarray, b: np.ndarray | None = None):
        """The :class:`Factorisation` for ``w``, and None (``b`` is solved with it)."""
        _kernels = kernels.sparse()

        sn = self.analysis
        t0 = time.perf_counter()
        Ax = np.empty(sn.nnz)
        _kernels.gather_sum(Ax, *sn.terms, w)
        X, D, ok = sn.factor(Ax)
        if not ok:
            k = int(np.flatnonzero(~((D > 0.0) & (D < np.inf)))[0])
            raise _pivot_error(self.cn, int(sn.order[k]), (k, sn.n), D[k])
        return _SupernodalFactorisation(sn.Lp, sn, X, D, sn.order, w, self.kind,
                                        time.perf_counter() - t0), None


class NodalSolver:
    """Factorises and solves the SPD nodal system ``A_uᵀ W A_u p = rhs``.

    ``method="auto"`` (default): LDLᵀ, by the compiled kernel or by supernodes as
    the fill of the pattern calls for (:func:`factorisation_kind`); ``"ldl"``,
    ``"qdldl"`` or ``"supernodal"`` force one of them. With these four, a new
    system is solved by conjugate gradients preconditioned with the last
    factorisation whenever that is predicted to cost less than factorising (see
    the module notes); the
    last factorisation is also kept on the compiled network for the next solve
    of the same topology. ``method="splu"``: SuperLU with COLAMD ordering
    (SciPy's default) at every step, for cross-checks. ``method="cg"``:
    Jacobi-preconditioned conjugate gradients, falling back to LDLᵀ if they do
    not converge.

    Attributes
    ----------
    factorisations : int
        Numeric factorisations made.
    pcg_solves, pcg_iterations : int
        Systems solved by preconditioned conjugate gradients, and their iterations.
    floor_ref : float or None
        Jacobian floor (:func:`narvik_thermal.solvers.hydraulic._floor_reference`),
        fixed at the first Newton step of a solve and kept by the later calls
        that share this solver.
    """

    def __init__(self, cn, method: str = "auto") -> None:
        if method not in _METHODS:
            raise ValueError(f"linear_solver={method!r} must be 'auto', 'ldl', 'qdldl', 'splu' "
                             "or 'cg'")
        self.cn = cn
        self.method = method
        self.factorisations = 0
        self.pcg_solves = 0
        self.pcg_iterations = 0
        self.floor_ref = None
        self._w = None
        self._splu = None
        self._numeric = None
        self._analysis = None
        #: the factorisation solves use: this solve's last, or the one kept on the
        #: compiled network by an earlier solve
        self._F = None
        #: the last factorisation this solver kept on the compiled network and its copy
        #: kept there (:meth:`_keep`)
        self._kept = (None, None)
        #: (condition bound, rate per iteration, conductances) of the last iterations run
        self._seen = None
        #: whether the last system was solved directly (by a factorisation of its
        #: own matrix), not by iterations to a tolerance
        self.direct = True
        if method in ("auto", "ldl", "qdldl", "supernodal"):
            kept = cn.cache.get("nodal_factor")
            if kept is not None and (method == "auto" or kept.kind == method):
                self._F = kept

    # ---------------------------------------------------------------- analysis
    def start_analysis(self) -> None:
        """Start the symbolic analysis (ordering, elimination tree) in the background.

        It depends only on the topology, so it can run on the other core while
        the caller evaluates properties and the first pressure losses (the
        compiled kernels release the GIL); the first factorisation waits for
        it. Nothing happens when the analysis is already kept on the compiled
        network or the method needs none.
        """
        cn = self.cn
        if self.method not in ("auto", "ldl") or self._analysis is not None \
                or cn.unknown_nodes.size == 0:
            return
        if (self.method == "auto" and "factorisation" in cn.cache) or \
                (self.method == "ldl" and "ldl" in cn.cache):
            return
        box: dict = {}

        def analyse() -> None:
            try:
                if self.method == "auto":
                    factorisation_kind(cn)
                else:
                    box["ldl"] = ldl_analysis(cn)
            except Exception as exc:            # re-raised by the first factorisation
                box["error"] = exc

        thread = threading.Thread(target=analyse, name="narvik-ldl-analysis", daemon=True)
        thread.start()
        self._analysis = (thread, box)

    def _engine(self):
        """The numeric factorisation of this solve (made on first use)."""
        if self._numeric is not None:
            return self._numeric
        cn = self.cn
        if self._analysis is not None:
            thread, box = self._analysis
            thread.join()
            self._analysis = None
            if "error" in box:
                raise box["error"]
            if "ldl" in box:
                cn.cache.setdefault("ldl", box["ldl"])
        kind = self.method if self.method in ("ldl", "qdldl", "supernodal") \
            else factorisation_kind(cn)
        if kind == "ldl":
            shared = cn.cache.get("ldl")
            if shared is None:
                shared = cn.cache["ldl"] = ldl_analysis(cn)
            self._numeric = _OwnNumeric(cn, shared)
        elif kind == "supernodal":
            self._numeric = _SupernodalNumeric(cn)
        else:
            self._numeric = _QdldlNumeric(cn)
        return self._numeric

    # ------------------------------------------------------------------ solves
    def solve(self, w_free: np.ndarray, rhs: np.ndarray, x0: np.ndarray | None = None,
              rtol: float = PCG_RTOL) -> np.ndarray:
        """Solve ``L(w) x = rhs`` for new edge conductances ``w``.

        ``rtol``: when the system is solved by conjugate gradients (from ``x0``
        when given), they stop once ``max |rhs − L x|`` is ``rtol`` times its value
        at the start, or :data:`PCG_RTOL` ``· max |rhs|`` (a direct solve is exact
        whatever it is): inexact Newton steps pass the forcing term here.
        """
        self._w = w_free
        self._splu = None
        if rhs.size == 0:
            return np.zeros(0)
        if self.method == "splu":
            self.factorisations += 1
            self._splu = _spla().splu(nodal_matrix(self.cn, w_free).tocsc())
            return self._splu.solve(rhs)
        if self.method == "cg" and x0 is not None:
            L = nodal_matrix(self.cn, w_free)
            dinv = 1.0 / L.diagonal()
            M = _spla().LinearOperator(L.shape, matvec=lambda v: dinv * v)
            x, info = _spla().cg(L, rhs, x0=x0, rtol=1e-13, atol=0.0, M=M, maxiter=5000)
            if info == 0:
                return x
        rhs = np.ascontiguousarray(rhs, dtype=float)
        return self._solve(rhs, rtol, PCG_RTOL * kernels.hydraulic().abs_max(rhs), x0)

    def resolve(self, rhs: np.ndarray, atol: float | None = None) -> np.ndarray:
        """Solve with the last matrix (factorising it if that is the cheaper way).

        ``atol``: conjugate gradients stop at ``max |rhs − L x| ≤ atol`` (default
        :data:`PCG_RTOL` ``· max |rhs|``).
        """
        if atol is None:
            atol = PCG_RTOL * float(np.max(np.abs(rhs))) if rhs.size else 0.0
        return self._solve(rhs, 0.0, atol, None)

    def direct_factors(self):
        """The compiled LDLᵀ factors ``(n, Lp, Li, Lx, D, order)`` (as
        :func:`._ldl_kernels.ldl_solve` takes them) of the last system's own matrix, when
        :meth:`solve` solved it directly with them: :meth:`resolve` then solves with
        them and nothing else, so a caller may do that itself (in a compiled kernel).
        None otherwise (iterations, SuperLU, QDLDL or supernodes, no system yet)."""
        F = self._F
        if (self.direct and self._splu is None and F is not None and F.w is self._w
                and type(F) is Factorisation and F.kind == "ldl"):
            return F.n, F.Lp, F.Li, F.Lx, F.D, F.order
        return None

    def _solve(self, rhs, rtol, atol, x0) -> np.ndarray:
        self.direct = True
        if rhs.size == 0:
            return np.zeros(0)
        if self._splu is not None:
            return self._splu.solve(rhs)
        w = self._w
        F = self._F
        if F is not None and F.w.size == w.size and F.w is not w:
            x = self._pcg(w, rhs, F, rtol, atol, x0)
            if x is not None:
                self.direct = False
                return x
        x = None
        if F is None or F.w is not w:
            del F                     # (the old factorisation is dropped: see _factorise)
            F, x = self._factorise(w, rhs)
        return self._apply(F, rhs, x)

    def _factorise(self, w: np.ndarray, b: np.ndarray | None = None):
        """A new factorisation of the nodal matrix for ``w``, made this solver's, and,
        when ``b`` is given and the engine solves in the same call (the compiled
        LDLᵀ), the solution of ``b`` with it (else None)."""
        # the factorisation it replaces is dropped first, here and — when it is this
        # solver's — on the compiled network, so that its storage can serve the new
        # one (supernodal: a buffer nothing refers to is reused, saving its page
        # faults); one still used elsewhere keeps its storage
        old, self._F = self._F, None
        kept = self.cn.cache.get("nodal_factor")
        if old is not None and kept is not None and kept.Lx is old.Lx:
            self.cn.cache.pop("nodal_factor", None)
        del old, kept
        F, x = self._engine().factor(w, b)   # (F.w is w, the caller's array: its
        self.factorisations += 1             # identity marks the factorisation exact)
        self._F = F
        return F, x

    def _apply(self, F: Factorisation, b: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        """``F⁻¹ b`` (``x`` when it is already solved), and ``F`` kept on the compiled
        network when it is this solver's own (:meth:`_keep`)."""
        if x is None:
            x = F.solve(b)
        if F.w is self._w and self.method in ("auto", "ldl", "qdldl", "supernodal"):
            self._keep(F)
        return x

    def _keep(self, F: Factorisation) -> None:
        """Keep ``F``, the factorisation of the last matrix, on the compiled network for
        the next solve of this topology: a copy of it for ``F.w`` (the caller's array is
        no longer marked exact there), unless the copy kept is still the one this solver
        made of ``F`` (a second solve with the same matrix, the Newton step's polish:
        the copy costs some 4 µs)."""
        kept = self.cn.cache.get("nodal_factor")
        if kept is None or kept is not self._kept[1] or self._kept[0] is not F:
            kept = self.cn.cache["nodal_factor"] = F.copy_for(F.w)
            self._kept = (F, kept)

    def _matvec(self, us, ue, w, x) -> np.ndarray:
        K = kernels.hydraulic()

        return K.nodal_matvec(us, ue, w, x)

    def _pcg(self, w: np.ndarray, b: np.ndarray, F: Factorisation, rtol: float, atol: float,
             x0: np.ndarray | None) -> np.ndarray | None:
        """``L(w)⁻¹ b`` to ``max |b − L x| ≤ max(rtol · r₀, atol)`` (``r₀`` that of the
        start: ``x0``, else ``F⁻¹ b``) by conjugate gradients preconditioned with
        ``F``, when that is predicted to cost less than a new factorisation; None
        otherwise, or when the iterations show they would not get there within
        that cost.

        The decision: the break-even number of iterations from the estimated
        work; the Chebyshev bound of CG for ``κ ≤ max(w/w₀) / min(w/w₀)``.
        Within the bound the iterations are run; beyond it they are tried only
        when factorising costs several iterations, and given up as soon as the
        rate so far says they would not reach the target in time (a few edges
        whose conductance changed much leave the bound far too pessimistic).
        The choice is compiled (:func:`._hydraulic_kernels.pcg_plan`, the arithmetic of
        Python's floats), and with a factorisation of the compiled LDLᵀ made in the same
        call as the start and the iterations (:func:`._hydraulic_kernels.pcg_ldl_solve`:
        a third of the nodal solve's time went to the Python between its kernels on
        the 290 MW campus).
        """
        K = kernels.hydraulic()

        cn = self.cn
        ends = cn.cache.get("free_unknown_ends")
        if ends is None:
            ends = cn.cache["free_unknown_ends"] = (
                np.ascontiguousarray(cn.unknown_of_node[cn.start[cn.free_edges]]),
                np.ascontiguousarray(cn.unknown_of_node[cn.end[cn.free_edges]]))
        us, ue = ends
        warm = x0 is not None
        b = np.ascontiguousarray(b, dtype=float)
        x0 = np.ascontiguousarray(x0, dtype=float) if warm else _NO_X
        # break-even: the iterations that cost as much as factorising and solving
        # (the start, x₀ = M⁻¹b and its residual, costs one more)
        mv = _WORK["product"] * w.size
        budget = (F.work + F.solve_work) / (F.solve_work + mv) - 1.0
        # the rate of the last iterations run: on this same matrix (a Newton step, now
        # its polish), or on another at the condition bound seen[0]
        seen = self._seen
        plan = (budget, _TRIAL_BUDGET) + (
            (0, 0.0, 1.0) if seen is None else (2 if seen[2] is w else 1, seen[0], seen[1]))
        ldl = type(F) is Factorisation and F.kind == "ldl"
        if ldl:
            # the start (the spectrum's bounds and, from x0, its copy x, the residual r
            # and max |r|, else max |b|), the choice (pcg_plan) and the iterations, with
            # the start without x0, in one compiled call
            (ok, action, kappa, atol, reduction, bound, trial, status, it, rmax, r0, rate,
             true, magnitude, x) = K.pcg_ldl_solve(
                w, F.w, us, ue, b, x0, warm, atol, rtol, *plan, F.n, F.Lp, F.Li, F.Lx, F.D,
                F.order)
        else:
            lo, hi, ok, x, r, rmax = K.pcg_start(w, F.w, us, ue, b, x0, warm)
            if ok:
                action, kappa, atol, reduction, bound, trial, limit = K.pcg_plan(
                    lo, hi, rmax, atol, rtol, *plan)
        if not ok:
            return None                   # the factorisation reports the bad pivot
        if action == K.PCG_DONE:
            return x if x.size == b.size else np.zeros_like(b)
        if action == K.PCG_DOMAIN:
            raise ValueError("math domain error")
        if action == K.PCG_ZERO_DIVISION:
            raise ZeroDivisionError("float division by zero")
        log.debug("nodal system: κ ≤ %.4g, reduction %.2g: CG bound %.1f iterations, "
                  "break-even %.1f", kappa, reduction, bound, budget)
        if action == K.PCG_DECLINE:
            return None
        if ldl:
            if status == 1:
                return None
            if status == 2:
                log.debug("  gave up after %d iterations (rate %.3g)", it, rate)
                self._seen = (kappa, rate, w)
                self.pcg_iterations += it
                return None
            if status == 3:
                raise ValueError("math domain error")
            if status == 4:
                raise ZeroDivisionError("float division by zero")
            if it:
                self._seen = (kappa, (rmax / r0) ** (1.0 / it), w)
            if true > 10.0 * atol and true > _ROUNDOFF * _EPS * magnitude:
                self.pcg_iterations += it
                return None
        else:
            it = 0
            if not warm:
                x = self._apply(F, b)
                r, rmax = K.residual(b, self._matvec(us, ue, w, x))
            if rmax > atol:
                r0 = rmax
                z = self._apply(F, r)
                p = z.copy()
                rz = K.dot(r, z)
                while True:
                    q = self._matvec(us, ue, w, p)
                    pq = K.dot(p, q)
                    if not pq > 0.0:
                        return None
                    rmax = K.cg_step(x, r, p, q, rz / pq)
                    it += 1
                    if rmax <= atol:
                        break
                    rate = (rmax / r0) ** (1.0 / it)
                    if it >= limit or (trial and it >= 3 and (
                            not rate < 1.0
                            or it + math.log(atol / rmax) / math.log(rate) > budget)):
                        log.debug("  gave up after %d iterations (rate %.3g)", it, rate)
                        self._seen = (kappa, rate, w)
                        self.pcg_iterations += it
                        return None
                    z = self._apply(F, r)
                    rz_new = K.dot(r, z)
                    K.cg_direction(p, z, rz_new / rz)
                    rz = rz_new
                if it:
                    self._seen = (kappa, (rmax / r0) ** (1.0 / it), w)
                # the recursively updated residual can drift from the true one: check it,
                # against the tolerance or the round-off of the residual itself,
                # whichever is larger (a tolerance below round-off is not a reason to
                # factorise: a direct solve does no better)
                true = K.residual(b, self._matvec(us, ue, w, x))[1]
                if true > 10.0 * atol and \
                        true > _ROUNDOFF * _EPS * K.matvec_magnitude(us, ue, w, x):
                    self.pcg_iterations += it
                    return None
        log.debug("  converged in %d iterations", it)
        self.pcg_solves += 1
        self.pcg_iterations += it
        return x


def _spla():
    """``scipy.sparse.linalg``, imported on first use (0.1 s; most solves never need it)."""
    import scipy.sparse.linalg  # noqa: PLC0415

    return scipy.sparse.linalg
