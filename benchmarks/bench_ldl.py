"""Sparse LDLᵀ of the nodal matrix (:class:`narvik_thermal.solvers.ldl.SparseLDL`)
beside the floor (one SuperLU factorisation and solve of the same matrix).

Cases: the nodal matrix of the synthetic rack network at 100,000 GPUs (a
series–parallel graph: minimum-degree ordering) and the Laplacian of a
300 × 300 grid, a mesh the minimum-degree budget gives up on (AMD ordering).
Phases, timed apart: ``analyse`` (ordering, permuted pattern, elimination
tree, once per topology), ``factor`` (numeric, every Newton step) and
``solve`` (two triangular solves).

Run: ``.venv/bin/python -m pytest benchmarks/bench_ldl.py -o addopts='' --benchmark-only``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import floor_solve, floor_system

import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.solvers.ldl import SparseLDL


def _grid_laplacian(k: int) -> sp.csc_matrix:
    T = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(k, k))
    eye = sp.eye(k)
    return (sp.kron(T, eye) + sp.kron(eye, T) + 1e-3 * sp.eye(k * k)).tocsc()


@pytest.fixture(scope="module", params=["rack-100k", "grid-300"])
def system(request):
    if request.param == "rack-100k":
        nt.fluids.propylene_glycol(0.25)
        nt.fluids.water()
        A, b = floor_system(rack_loop_network(1389).compile())
    else:
        A = _grid_laplacian(300)
        b = np.random.default_rng(0).random(A.shape[0])
    return system_case(request.param, A, b)


def system_case(name, A, b):
    """A benchmark system: its name, the matrix, its sorted upper triangle (CSC), b."""
    U = sp.triu(A, format="csc")
    U.sort_indices()
    return name, A, U, b


def _ldl(U):
    ldl = SparseLDL(U.indptr, U.indices)
    ax = np.empty(U.nnz)
    ax[ldl.where] = U.data
    return ldl, ax


def test_floor(benchmark, system):
    name, A, U, b = system
    benchmark.pedantic(floor_solve, args=(A, b), rounds=3, iterations=1)
    benchmark.extra_info.update(case=name, unknowns=A.shape[0], nnz=A.nnz)


def test_analyse(benchmark, system):
    name, A, U, b = system
    ldl = benchmark.pedantic(SparseLDL, args=(U.indptr, U.indices), rounds=3, iterations=1)
    benchmark.extra_info.update(case=name, ordering=ldl.ordering, nnz_l=ldl.nnz_l)


def test_factor(benchmark, system):
    name, A, U, b = system
    ldl, ax = _ldl(U)
    k = benchmark.pedantic(ldl.factor, args=(ax,), rounds=3, iterations=1)
    assert k == ldl.n


def test_solve(benchmark, system):
    name, A, U, b = system
    ldl, ax = _ldl(U)
    assert ldl.factor(ax) == ldl.n
    x = benchmark.pedantic(ldl.solve, args=(b,), rounds=5, iterations=1)
    # normwise backward error at round-off (the rack matrix is ill-conditioned:
    # long series chains, so the forward error is not)
    berr = np.abs(A @ x - b).max() / (abs(A).sum(axis=1).max() * np.abs(x).max()
                                      + np.abs(b).max())
    assert berr <= 1e-14
