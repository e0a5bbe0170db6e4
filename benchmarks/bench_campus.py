"""Benchmarks of the full 290 MW campus (about 100,000 GPUs).

Run: ``.venv/bin/python -m pytest benchmarks/bench_campus.py -o addopts='' --benchmark-only``.

Three cases of the same campus (2,149 NVL72 racks of 135 kW, 215 CDUs):
replicated (identical CDU rows and racks represented once with ``count=``),
every rack expanded, and the floor — one ``scipy.sparse.linalg.splu``
factorisation and solve of the nodal matrix of the expanded network with
random positive conductances.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import bench_floor

import narvik_thermal as nt
from narvik_thermal.plant.campus import Campus

P = nt.Q_(290, "MW")


@pytest.fixture(scope="module")
def replicated():
    c = Campus(P)
    return c, c.build()


@pytest.fixture(scope="module")
def expanded():
    c = Campus(P, expand=True)
    return c, c.build()


def _solve(net):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return net.solve()


def test_campus_replicated(benchmark, replicated):
    c, net = replicated
    res = benchmark(_solve, net)
    benchmark.extra_info.update(nodes=net.n_nodes, edges=net.n_edges, gpus=c.gpus)
    assert res.converged


def test_campus_expanded(benchmark, expanded):
    c, net = expanded
    res = benchmark.pedantic(_solve, args=(net,), rounds=2, iterations=1)
    benchmark.extra_info.update(nodes=net.n_nodes, edges=net.n_edges, gpus=c.gpus)
    assert res.converged


def test_floor_splu_expanded(benchmark, expanded):
    _, net = expanded
    cn = net.compile()
    bench_floor(benchmark, cn)


def test_build_expanded(benchmark):
    benchmark.pedantic(lambda: Campus(P, expand=True).build(), rounds=1, iterations=1)
