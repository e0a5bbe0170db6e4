"""Shared pieces of the benchmarks: the sparse floor every solve is compared with."""

from __future__ import annotations

import numpy as np
import scipy.sparse.linalg as spla

from narvik_thermal.solvers.hydraulic import nodal_matrix


def floor_system(cn, seed: int = 0):
    """The nodal matrix of a compiled network (random positive edge
    conductances) and a right-hand side: the system of the *floor*, one sparse
    LU factorisation and solve with SciPy's default SuperLU (COLAMD)."""
    rng = np.random.default_rng(seed)
    A = nodal_matrix(cn, rng.uniform(0.5, 2.0, cn.free_edges.size)).tocsc()
    return A, rng.random(A.shape[0])


def floor_solve(A, b):
    """One SuperLU factorisation and solve of ``A x = b`` (the floor)."""
    return spla.splu(A).solve(b)


def bench_floor(benchmark, cn):
    """Benchmark the floor of ``cn`` and record the system size."""
    A, b = floor_system(cn)
    x = benchmark(floor_solve, A, b)
    benchmark.extra_info.update(unknowns=A.shape[0], nnz=A.nnz)
    assert np.all(np.isfinite(x))
    return x
