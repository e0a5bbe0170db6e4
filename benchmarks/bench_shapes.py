"""Network solves of several shapes beside their floor, so that a benchmark tuned to
one shape cannot hide a slow one.

Shapes (``benchmarks/shapes.py``, built with the public API only):

- ``rack`` — :func:`narvik_thermal.network.synthetic.rack_loop_network`, racks of
  72 cold plates between direct-return manifolds (the reference shape);
- ``feed`` — a feed pipe before every cold plate (three nodes per GPU),
  reverse-return manifolds, the CDU heat exchanger cooled by an open facility
  circuit fed from a flow boundary;
- ``grid`` — a k × k district-heating mesh with a ring main, heat loss to the
  ground and consumer substations;
- ``water`` — a k × k water-distribution mesh (EPANET style): one reservoir,
  demands at a tenth of the junctions, no heat (the warm re-solve changes a demand).

For each shape and size: the network build, a cold solve (a freshly built
network, so compile and symbolic analysis are counted), a warm re-solve after
one heat update, and the floor — one SuperLU factorisation and solve of the
nodal matrix (``conftest.floor_solve``). Each solve records ``ratio_to_floor``
(best round over the best floor, timed in the same test), Newton iterations and
factorisations in ``extra_info``. Sizes of about 100,000 GPUs and the 300 × 300
mesh are marked ``large`` (timed only with ``--benchmark-only``).

Run: ``.venv/bin/python -m pytest benchmarks/bench_shapes.py -o addopts='' --benchmark-only``
(``benchmarks/measure_shapes.py`` prints the same comparison as a table,
interleaving solves and floors, each size in a fresh process).
"""

from __future__ import annotations

import warnings

import pytest
from conftest import bench_floor, floor_seconds, record_ratio
from shapes import feed_rack_network, grid_network, warm_update, water_grid_network

import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network

BUILD = {"rack": rack_loop_network, "feed": feed_rack_network, "grid": grid_network,
         "water": water_grid_network}
#: the edge whose heat the warm re-solve changes (a water grid: the first demand)
UPDATE = {"rack": "r0.gpu0", "feed": "r0.gpu0", "grid": "c0", "water": None}
CASES = [
    ("rack", 14), ("rack", 139), pytest.param("rack", 1389, marks=pytest.mark.large),
    ("feed", 14), ("feed", 139), pytest.param("feed", 1389, marks=pytest.mark.large),
    ("grid", 30), ("grid", 100), pytest.param("grid", 300, marks=pytest.mark.large),
    ("water", 30), ("water", 100), pytest.param("water", 300, marks=pytest.mark.large),
]


def _id(case):
    return f"{case[0]}-{case[1]}" if isinstance(case, tuple) else None


@pytest.fixture(scope="module", autouse=True)
def _warm():
    # fluid tables and compiled kernels loaded once, outside the timings
    for make in BUILD.values():
        make(2) if make not in (grid_network, water_grid_network) else make(4)
    rack_loop_network(2, 4).solve()
    feed_rack_network(2, 4).solve()
    grid_network(6).solve()
    water_grid_network(6).solve()


def _solve(net, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nt.PhysicsWarning)
        return net.solve(**kw)


@pytest.mark.parametrize("shape, size", CASES, ids=_id)
def test_build(benchmark, shape, size):
    net = benchmark.pedantic(BUILD[shape], args=(size,), rounds=3 if size < 1000 else 2,
                             iterations=1)
    benchmark.extra_info.update(nodes=net.n_nodes, edges=net.n_edges)


@pytest.mark.parametrize("shape, size", CASES, ids=_id)
def test_floor(benchmark, shape, size):
    bench_floor(benchmark, BUILD[shape](size).compile())


@pytest.mark.parametrize("shape, size", CASES, ids=_id)
def test_solve_cold(benchmark, shape, size):
    make = BUILD[shape]
    floor = floor_seconds(make(size).compile())

    def setup():
        return (make(size),), {}

    res = benchmark.pedantic(_solve, setup=setup, rounds=3, iterations=1)
    assert res.converged
    c = res.convergence
    record_ratio(benchmark, floor, nodes=res.compiled.n_nodes, newton=c["newton"],
                 factorisations=c["factorisations"], pcg_iterations=c.get("pcg_iterations"))


@pytest.mark.parametrize("shape, size", CASES, ids=_id)
def test_solve_warm(benchmark, shape, size):
    net = BUILD[shape](size)
    floor = floor_seconds(net.compile())
    r0 = _solve(net)
    warm_update(net, r0, UPDATE[shape])
    res = benchmark.pedantic(lambda: _solve(net, initial=r0), rounds=3, iterations=1)
    assert res.converged
    c = res.convergence
    record_ratio(benchmark, floor, newton=c["newton"], factorisations=c["factorisations"],
                 pcg_iterations=c.get("pcg_iterations"))

