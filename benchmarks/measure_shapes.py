"""Cold and warm solves of networks of several shapes beside the floor (one SuperLU
factorisation and solve of the same nodal matrix), each size in a fresh process.

Shapes: ``rack`` (``network.synthetic.rack_loop_network``), ``feed`` and ``grid``
(``benchmarks/shapes.py``). *cold* is ``net.solve()`` on a freshly built network,
compile included (kernels already loaded by a solve of a small network); *warm*
a re-solve after one heat update, warm-started; *floor* the best of the rounds.
Solves and floors are timed alternately over ``--rounds`` (best of each
reported, and the median ratio). Uses only the public API, so it measures any
version of the library:

``PYTHONPATH=src .venv/bin/python benchmarks/measure_shapes.py [--rounds=N] rack:1389 feed:1389 grid:300``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[4])
import numpy as np, scipy.sparse as sp, scipy.sparse.linalg as spla
import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network
from shapes import feed_rack_network, grid_network
from narvik_thermal.solvers.hydraulic import nodal_matrix
shape, size, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
make = {"rack": lambda: rack_loop_network(size), "feed": lambda: feed_rack_network(size),
        "grid": lambda: grid_network(size)}[shape]
upd = {"rack": "r0.gpu0", "feed": "r0.gpu0", "grid": "c0"}[shape]
small = rack_loop_network(2, 4); small.solve()          # kernels loaded
t = time.perf_counter(); net = make(); t_build = time.perf_counter() - t
cn = net.compile()
rng = np.random.default_rng(0)
L = nodal_matrix(cn, rng.random(cn.free_edges.size) + 0.5).tocsc(); b = rng.random(L.shape[0])
colds, floors, warms = [], [], []
res = None
for _ in range(rounds):
    gc.collect()
    t = time.perf_counter(); spla.splu(L).solve(b); floors.append(time.perf_counter() - t)
    net = make(); gc.collect()
    t = time.perf_counter(); res = net.solve(); colds.append(time.perf_counter() - t)
    q = res.heat_flow(upd).m_as("W") / max(1.0, float(net.compile().count[net.compile().edge_index[upd]]))
    net.update(upd, heat=nt.Q_(q * 1.05 if q else -5e3, "W")); gc.collect()
    t = time.perf_counter(); net.solve(initial=res); warms.append(time.perf_counter() - t)
floor = min(floors)
ratios = sorted(c / f for c, f in zip(colds, floors))
wr = sorted(w / f for w, f in zip(warms, floors))
print(json.dumps(dict(shape=shape, size=size, nodes=cn.n_nodes, edges=cn.n_edges,
                      build=t_build, cold=min(colds), warm=min(warms), floor=floor,
                      cold_ratio=min(colds) / floor, cold_ratio_median=ratios[len(ratios) // 2],
                      warm_ratio=min(warms) / floor, warm_ratio_median=wr[len(wr) // 2],
                      newton=res.convergence["newton"])))
"""


def main(argv: list[str]) -> None:
    rounds = 5
    if argv and argv[0].startswith("--rounds="):
        rounds = int(argv[0].split("=")[1])
        argv = argv[1:]
    cases = argv or ["rack:139", "feed:139", "grid:100"]
    print(f"{'shape':>6} {'size':>6} {'nodes':>8} {'build s':>8} {'cold s':>8} {'warm s':>7} "
          f"{'floor s':>8} {'cold/fl':>8} {'(med)':>6} {'warm/fl':>8} {'(med)':>6}  newton")
    for case in cases:
        shape, size = case.split(":")
        out = subprocess.run([sys.executable, "-c", CHILD, shape, size, str(rounds), HERE],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"{shape:>6} {size:>6}  failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        d = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{d['shape']:>6} {d['size']:>6} {d['nodes']:>8} {d['build']:>8.3f} "
              f"{d['cold']:>8.3f} {d['warm']:>7.3f} {d['floor']:>8.4f} {d['cold_ratio']:>8.2f} "
              f"{d['cold_ratio_median']:>6.2f} {d['warm_ratio']:>8.2f} "
              f"{d['warm_ratio_median']:>6.2f}  {d['newton']}")


if __name__ == "__main__":
    main(sys.argv[1:])
