"""Network core benchmarks: assembly, coupled steady solve and the sparse floor.

The synthetic rack-to-loop network (:func:`narvik_thermal.network.synthetic.rack_loop_network`)
has R racks of 72 cold plates between supply and return manifolds, racks on
headers, one pump and one heat exchanger to a facility-water circuit. Sizes:
about 1,000, 10,000 and 100,000 GPUs.

The *floor* is one sparse LU factorisation and solve of the nodal matrix of the
same network with SciPy's default SuperLU (COLAMD ordering); the ratio
``solve / floor`` is stored in ``extra_info``. A cold solve clears the kept
factorisations first, so it includes the symbolic analysis; a warm solve
starts from the previous result (as an annual run does).

Run: ``.venv/bin/python -m pytest benchmarks/bench_network.py -o addopts='' --benchmark-only``
(or ``python benchmarks/measure_scaling.py`` for a table with peak memory).
"""

from __future__ import annotations

import pytest
from conftest import floor_solve, floor_system

import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network

SIZES = {"1k": 14, "10k": 139, "100k": 1389}   # racks of 72 GPUs
#: the sizes as parameters; 100k is ``large`` (timed only with --benchmark-only)
PARAMS = [s if s != "100k" else pytest.param(s, marks=pytest.mark.large) for s in SIZES]


@pytest.fixture(scope="module", autouse=True)
def _fluids():
    nt.fluids.propylene_glycol(0.25)
    nt.fluids.water()


@pytest.mark.parametrize("size", PARAMS)
def test_assembly(benchmark, size):
    R = SIZES[size]
    net = benchmark.pedantic(lambda: rack_loop_network(R), rounds=3 if R < 1000 else 1,
                             iterations=1)
    cn = net.compile()
    benchmark.extra_info.update(gpus=R * 72, nodes=cn.n_nodes, edges=cn.n_edges)


@pytest.mark.parametrize("size", PARAMS)
def test_floor_splu(benchmark, size):
    cn = rack_loop_network(SIZES[size]).compile()
    L, b = floor_system(cn)
    benchmark.pedantic(floor_solve, args=(L, b), rounds=5, iterations=1)
    benchmark.extra_info.update(nodes=cn.n_nodes, unknowns=L.shape[0])


@pytest.mark.parametrize("size", PARAMS)
def test_solve_cold(benchmark, size):
    net = rack_loop_network(SIZES[size])
    cn = net.compile()

    def setup():
        cn.cache.clear()
        return (), {}

    # one warm-up round: the first solve in a process also loads the compiled kernels
    res = benchmark.pedantic(net.solve, setup=setup, rounds=3 if SIZES[size] < 1000 else 2,
                             iterations=1, warmup_rounds=1)
    assert res.converged
    benchmark.extra_info.update(nodes=cn.n_nodes, newton=res.convergence["newton"],
                                outer=res.convergence["outer"])


@pytest.mark.parametrize("size", PARAMS)
def test_solve_warm(benchmark, size):
    net = rack_loop_network(SIZES[size])
    r0 = net.solve()
    res = benchmark.pedantic(lambda: net.solve(initial=r0), rounds=3, iterations=1)
    assert res.converged


def _thermal_inputs(R):
    """Arguments of one heat-transport solve of the converged synthetic network."""
    import narvik_thermal.solvers.coupled as coupled

    grabbed = {}
    real = coupled.solve_thermal

    def grab(*args, **kwargs):
        grabbed["call"] = (args, kwargs)
        return real(*args, **kwargs)

    coupled.solve_thermal = grab
    try:
        rack_loop_network(R).solve()
    finally:
        coupled.solve_thermal = real
    return grabbed["call"]


@pytest.mark.parametrize("method", ["auto", "lu"])
@pytest.mark.parametrize("size", PARAMS)
def test_heat_transport(benchmark, size, method):
    # one heat-transport solve from scratch (no kept order or LU): in flow order
    # with torn loops ("auto") against SuperLU on the whole system ("lu")
    from narvik_thermal.solvers.thermal import solve_thermal

    args, kwargs = _thermal_inputs(SIZES[size])
    kwargs = dict(kwargs, method=method)

    def setup():
        return args, dict(kwargs, cache={})

    h, Q, _ = benchmark.pedantic(solve_thermal, setup=setup, rounds=3, iterations=1)
    benchmark.extra_info.update(nodes=h.size)
