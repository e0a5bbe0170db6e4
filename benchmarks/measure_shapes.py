"""Cold and warm solves of networks of several shapes beside the floor (one SuperLU
factorisation and solve of the same nodal matrix), each size in a fresh process.

Shapes: ``rack`` (``network.synthetic.rack_loop_network``), ``feed``, ``grid``, ``water``
(``benchmarks/shapes.py``), and ``campus`` (the expanded campus of a given IT
power in MW, ``plant.campus.Campus(..., expand=True)``). Per round, alternately:

- *floor*: ``splu(A).solve(b)`` of the nodal matrix;
- *cold*: ``net.solve()`` on a freshly built network — compile, symbolic
  analysis and every factorisation counted (kernels and fluid tables already
  loaded by a solve of a small network);
- *warm*: ``net.solve(initial=cold)`` after one heat update (a water grid: one demand).

Reported: the build of the network, its compile alone (another build), the best
cold, warm and floor times, best/best ratios and the median of the rounds'
paired ratios, the CPU-time ratio of the cold solve (process time: on a loaded
machine wall time also counts waiting), Newton iterations and factorisations.
Uses only the public API (and ``res.convergence``), so it measures any version
of the library (point ``PYTHONPATH`` at it):

``PYTHONPATH=src .venv/bin/python benchmarks/measure_shapes.py [--rounds=N] [--json] rack:1389 feed:1389 grid:300 water:300 campus:290``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r"""
import gc, json, sys, time, warnings
sys.path.insert(0, sys.argv[4])
warnings.simplefilter("ignore")
import numpy as np, scipy.sparse.linalg as spla
import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network
from shapes import feed_rack_network, grid_network, warm_update, water_grid_network
from narvik_thermal.solvers.hydraulic import nodal_matrix
shape, size, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def campus(size):
    from narvik_thermal.plant.campus import Campus
    return Campus(nt.Q_(size, "MW"), expand=True).build()

make = {"rack": lambda: rack_loop_network(size), "feed": lambda: feed_rack_network(size),
        "grid": lambda: grid_network(size), "water": lambda: water_grid_network(size),
        "campus": lambda: campus(size)}[shape]
upd = {"rack": "r0.gpu0", "feed": "r0.gpu0", "grid": "c0", "water": None, "campus": "?"}[shape]
small = rack_loop_network(2, 4); small.solve()          # kernels and fluid tables loaded
if shape != "rack":
    {"feed": lambda: feed_rack_network(2, 4), "grid": lambda: grid_network(6),
     "water": lambda: water_grid_network(6), "campus": lambda: campus(1)}[shape]().solve()
builds, compiles = [], []
for _ in range(2):
    gc.collect()
    t = time.perf_counter(); net = make(); builds.append(time.perf_counter() - t)
    t = time.perf_counter(); cn = net.compile(); compiles.append(time.perf_counter() - t)
if upd == "?":
    upd = next(n for n in cn.edge_names if ".gpu" in n)
rng = np.random.default_rng(0)
L = nodal_matrix(cn, rng.random(cn.free_edges.size) + 0.5).tocsc(); b = rng.random(L.shape[0])
colds, cpus, floors, fcpus, warms = [], [], [], [], []
res = res2 = None
for _ in range(rounds):
    gc.collect()
    t = time.perf_counter(); c = time.process_time(); spla.splu(L).solve(b)
    floors.append(time.perf_counter() - t); fcpus.append(time.process_time() - c)
    net = make(); gc.collect()
    t = time.perf_counter(); c = time.process_time(); res = net.solve()
    colds.append(time.perf_counter() - t); cpus.append(time.process_time() - c)
    cn = net.compile()
    warm_update(net, res, upd); gc.collect()
    t = time.perf_counter(); res2 = net.solve(initial=res); warms.append(time.perf_counter() - t)
floor = min(floors)
med = lambda xs: sorted(xs)[len(xs) // 2]
print(json.dumps(dict(
    shape=shape, size=size, nodes=cn.n_nodes, edges=cn.n_edges, build=min(builds),
    compile=min(compiles), cold=min(colds), warm=min(warms), floor=floor,
    cold_ratio=min(colds) / floor, cold_ratio_median=med([c / f for c, f in zip(colds, floors)]),
    cold_cpu_ratio=min(cpus) / min(fcpus),
    warm_ratio=min(warms) / floor, warm_ratio_median=med([w / f for w, f in zip(warms, floors)]),
    newton=res.convergence["newton"], factorisations=res.convergence.get("factorisations"),
    warm_newton=res2.convergence["newton"],
    warm_factorisations=res2.convergence.get("factorisations"))))
"""


def measure(case: str, rounds: int = 5, env: dict | None = None) -> dict:
    """Run one ``shape:size`` case in a fresh process; the JSON it prints, as a dict."""
    shape, size = case.split(":")
    out = subprocess.run([sys.executable, "-c", CHILD, shape, size, str(rounds), HERE],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        raise RuntimeError(f"{case} failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    rounds = 5
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    if argv and argv[0].startswith("--rounds="):
        rounds = int(argv[0].split("=")[1])
        argv = argv[1:]
    cases = argv or ["rack:139", "feed:139", "grid:100"]
    if not as_json:
        print(f"{'shape':>6} {'size':>5} {'nodes':>7} {'build':>6} {'compile':>7} {'cold':>6} "
              f"{'warm':>6} {'floor':>6} {'cold/fl':>7} {'(med)':>6} {'cpu':>5} {'warm/fl':>7} "
              f"{'(med)':>6}  newton / factorisations (cold; warm)")
    for case in cases:
        try:
            d = measure(case, rounds)
        except RuntimeError as exc:
            print(str(exc).splitlines()[0] + " …")
            continue
        if as_json:
            print(json.dumps(d))
            continue
        print(f"{d['shape']:>6} {d['size']:>5} {d['nodes']:>7} {d['build']:>6.3f} "
              f"{d['compile']:>7.3f} {d['cold']:>6.3f} {d['warm']:>6.3f} {d['floor']:>6.3f} "
              f"{d['cold_ratio']:>7.2f} {d['cold_ratio_median']:>6.2f} {d['cold_cpu_ratio']:>5.2f} "
              f"{d['warm_ratio']:>7.2f} {d['warm_ratio_median']:>6.2f}  {d['newton']} / "
              f"{d['factorisations']}; {d['warm_newton']} / {d['warm_factorisations']}")


if __name__ == "__main__":
    main(sys.argv[1:])
