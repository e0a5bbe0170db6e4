"""The supernodal LDLᵀ of meshes (:class:`narvik_thermal.solvers.supernodal.SupernodalLDL`)
beside the floor (one SuperLU factorisation and solve of the same matrix) and
QDLDL (AMD ordering, the mesh factorisation before it).

Cases, two shapes of mesh: the Laplacian of a 300 × 300 grid and the nodal matrix
of the 300 × 300 water-distribution grid of ``benchmarks/shapes.py`` (conductances
drawn over a decade). Phases timed apart: ``analyse`` (the order — nested
dissection — postorder, supernodes and their rows, once per topology),
``factor`` (numeric, every Newton step) and ``solve`` (two triangular solves),
each with its groups of subtrees on two threads as the solver runs them, and
``factor_one_thread`` / ``solve_one_thread`` the same steps by the kernels' serial
twins (the speed-up of the threads); ``qdldl`` times QDLDL's ``update`` (numeric
only) on the same matrix.

Run: ``.venv/bin/python -m pytest benchmarks/bench_supernodal.py -o addopts='' --benchmark-only``.
"""

from __future__ import annotations

import numpy as np
import pytest
# test_floor: the floor of bench_ldl, run here on this module's systems
from bench_ldl import _grid_laplacian, system_case, test_floor  # noqa: F401
from shapes import water_grid_network

from narvik_thermal.solvers.hydraulic import nodal_matrix
from narvik_thermal.solvers.supernodal import SupernodalLDL


@pytest.fixture(scope="module", params=["laplacian-300", "water-300"])
def system(request):
    if request.param == "laplacian-300":
        A = _grid_laplacian(300)
    else:
        cn = water_grid_network(300).compile()
        w = 10.0 ** np.random.default_rng(0).uniform(-1.0, 0.0, cn.free_edges.size)
        A = nodal_matrix(cn, w).tocsc()
    return system_case(request.param, A, np.random.default_rng(1).random(A.shape[0]))


def _analysed(U):
    sn = SupernodalLDL(U.indptr, U.indices)
    return sn, U.data[sn.source]


def test_analyse(benchmark, system):
    name, A, U, b = system
    sn = benchmark.pedantic(SupernodalLDL, args=(U.indptr, U.indices), rounds=3, iterations=1)
    benchmark.extra_info.update(case=name, ordering=sn.ordering, nnz_l=sn.nnz_l,
                                supernodes=sn.n_supernodes, block_entries=int(sn.xptr[-1]))


def test_factor(benchmark, system):
    name, A, U, b = system
    sn, ax = _analysed(U)
    X, D, ok = benchmark.pedantic(sn.factor, args=(ax,), rounds=5, iterations=1)
    assert ok


def _one_thread_args(sn, ax):
    return (sn.n, sn.first, sn.col2sn, sn.rptr, sn.rows, sn.xptr, sn.lptr, sn.lrow, sn.lsrc,
            ax)


def test_factor_one_thread(benchmark, system):
    from narvik_thermal.solvers import _supernodal_kernels as K

    name, A, U, b = system
    sn, ax = _analysed(U)
    X = np.empty(sn.xptr[-1])
    D = np.empty(sn.n)
    k = benchmark.pedantic(K.supernodal_factor.serial,
                           args=(X, *_one_thread_args(sn, ax), D, sn.group, sn.n_groups),
                           rounds=5, iterations=1)
    assert k == sn.n
    w = np.diff(sn.first) * np.diff(sn.rptr).astype(float) ** 2
    benchmark.extra_info.update(case=name, work_share=dict(
        top=round(float(w[sn.group < 0].sum() / w.sum()), 3),
        **{f"group{g}": round(float(w[sn.group == g].sum() / w.sum()), 3)
           for g in range(sn.n_groups)}))


def test_solve_one_thread(benchmark, system):
    from narvik_thermal.solvers import _supernodal_kernels as K

    name, A, U, b = system
    sn, ax = _analysed(U)
    X, D, ok = sn.factor(ax)
    x = benchmark.pedantic(K.supernodal_solve.serial,
                           args=(X, sn.n, sn.first, sn.rptr, sn.rows, sn.xptr, D, sn.order, b,
                                 sn.group, sn.n_groups, sn.top_columns, sn.top_slot),
                           rounds=5, iterations=1)
    assert np.array_equal(x, sn.solve(X, D, b))


def test_solve(benchmark, system):
    name, A, U, b = system
    sn, ax = _analysed(U)
    X, D, ok = sn.factor(ax)
    assert ok
    x = benchmark.pedantic(sn.solve, args=(X, D, b), rounds=5, iterations=1)
    berr = np.abs(A @ x - b).max() / (abs(A).sum(axis=1).max() * np.abs(x).max()
                                      + np.abs(b).max())
    assert berr <= 1e-14


def test_qdldl(benchmark, system):
    import qdldl

    name, A, U, b = system
    solver = qdldl.Solver(U, upper=True)
    benchmark.pedantic(solver.update, args=(U,), kwargs=dict(upper=True), rounds=3,
                       iterations=1)
    x = solver.solve(b)
    berr = np.abs(A @ x - b).max() / (abs(A).sum(axis=1).max() * np.abs(x).max()
                                      + np.abs(b).max())
    assert berr <= 1e-14
