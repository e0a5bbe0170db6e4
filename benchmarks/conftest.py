"""Shared pieces of the benchmarks: the sparse floor every solve is compared with,
and the ``large`` marker.

Cases marked ``large`` (about 100,000 GPUs, a 300 × 300 mesh, the whole 290 MW
campus) run only when benchmarks are timed (``--benchmark-only``, ``make
bench``); with ``--benchmark-disable`` (CI's "does it still run" pass) they
are skipped and the small sizes of the same benchmarks run once each.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from narvik_thermal.solvers.hydraulic import nodal_matrix


def pytest_configure(config):
    config.addinivalue_line("markers", "large: a large size, timed only with --benchmark-only")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("benchmark_disable", False):
        return
    skip = pytest.mark.skip(reason="large size: only with --benchmark-only")
    for item in items:
        if "large" in item.keywords:
            item.add_marker(skip)


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


def floor_seconds(cn, rounds: int = 3) -> float:
    """Best of ``rounds`` timings of the floor of ``cn`` [s]."""
    A, b = floor_system(cn)
    best = np.inf
    for _ in range(rounds):
        t = time.perf_counter()
        floor_solve(A, b)
        best = min(best, time.perf_counter() - t)
    return best


def bench_floor(benchmark, cn):
    """Benchmark the floor of ``cn`` and record the system size."""
    A, b = floor_system(cn)
    x = benchmark(floor_solve, A, b)
    benchmark.extra_info.update(unknowns=A.shape[0], nnz=A.nnz)
    assert np.all(np.isfinite(x))
    return x


def record_ratio(benchmark, floor: float, **info) -> None:
    """Store the best round over ``floor`` as ``ratio_to_floor`` (when timed) and ``info``."""
    stats = getattr(getattr(benchmark, "stats", None), "stats", None)
    best = getattr(stats, "min", None)
    benchmark.extra_info.update(floor_s=floor, **info)
    if best is not None and floor > 0:
        benchmark.extra_info.update(best_s=best, ratio_to_floor=best / floor)
