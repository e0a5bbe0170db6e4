"""Benchmarks of the campus: the 290 MW phase (2,149 NVL72 racks of 135 kW, 215
CDUs, about 100,000 GPUs) and phase 1 (20 MW, 149 racks).

Cases: the build of the network (``Campus(...).build()``: every ``add_*`` call
makes and validates a component), replicated (identical CDU rows and racks
represented once with ``count=``) and every rack expanded, and the floor — one
``scipy.sparse.linalg.splu`` factorisation and solve of the nodal matrix of
the expanded network with random positive conductances. The 290 MW expanded
cases are marked ``large`` (timed only with ``--benchmark-only``); CI's
``--benchmark-disable`` pass runs phase 1.

Run: ``.venv/bin/python -m pytest benchmarks/bench_campus.py -o addopts='' --benchmark-only``.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import bench_floor, floor_seconds, record_ratio

import narvik_thermal as nt
from narvik_thermal.plant.campus import Campus

P = nt.Q_(290, "MW")
SIZES = [pytest.param(nt.Q_(20, "MW"), id="20MW"),
         pytest.param(P, marks=pytest.mark.large, id="290MW")]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    nt.fluids.propylene_glycol(0.25)
    nt.fluids.water()
    nt.fluids.seawater()
    Campus(nt.Q_(2, "MW"), expand=True).build()


@pytest.fixture(scope="module")
def replicated():
    c = Campus(P)
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


@pytest.mark.parametrize("power", SIZES)
def test_campus_expanded(benchmark, power):
    c = Campus(power, expand=True)
    net = c.build()
    floor = floor_seconds(net.compile())

    def setup():
        return (Campus(power, expand=True).build(),), {}

    # a freshly built network per round: compile and symbolic analysis counted
    res = benchmark.pedantic(_solve, setup=setup, rounds=2, iterations=1)
    conv = res.convergence
    record_ratio(benchmark, floor, nodes=net.n_nodes, edges=net.n_edges, gpus=c.gpus,
                 newton=conv["newton"], factorisations=conv["factorisations"])
    assert res.converged


@pytest.mark.parametrize("power", SIZES)
def test_floor_splu_expanded(benchmark, power):
    bench_floor(benchmark, Campus(power, expand=True).build().compile())


@pytest.mark.parametrize("power", SIZES)
def test_build_expanded(benchmark, power):
    net = benchmark.pedantic(lambda: Campus(power, expand=True).build(), rounds=3,
                             iterations=1)
    benchmark.extra_info.update(nodes=net.n_nodes, edges=net.n_edges)
