"""Print the scaling table of the network core: sizes, times, ratio to the floor, memory.

Each size runs in a fresh process so that peak memory (ru_maxrss) is its own.
The cold solve (kept factorisations cleared, so the symbolic analysis counts)
and the floor (one SuperLU factorisation and solve of the nodal matrix) are
timed alternately, ``--rounds`` times each (default 5): *solve* and *floor*
are the best of each, *ratio* their quotient, *median* and *worst* the median
and largest quotient of the rounds' pairs.
Usage: ``.venv/bin/python benchmarks/measure_scaling.py [--rounds=N] [racks ...]``
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np, scipy.sparse.linalg as spla
import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.solvers.hydraulic import nodal_matrix
R = int(sys.argv[1])
ROUNDS = int(sys.argv[2])
nt.fluids.propylene_glycol(0.25); nt.fluids.water()
t = time.perf_counter(); net = rack_loop_network(R); t_build = time.perf_counter() - t
t = time.perf_counter(); cn = net.compile(); t_compile = time.perf_counter() - t
rng = np.random.default_rng(0)
L = nodal_matrix(cn, rng.random(cn.free_edges.size) + 0.5).tocsc(); b = rng.random(L.shape[0])
res = net.solve()               # loads the compiled kernels
# solve and floor interleaved, so that drifts of the machine's speed hit both
solves, floors = [], []
for _ in range(ROUNDS):
    t = time.perf_counter(); spla.splu(L).solve(b); floors.append(time.perf_counter() - t)
    cn.cache.clear()
    t = time.perf_counter(); res = net.solve(); solves.append(time.perf_counter() - t)
t = time.perf_counter(); res2 = net.solve(initial=res); t_warm = time.perf_counter() - t
best, floor = min(solves), min(floors)
bal = max(max(v["mass_relative"], v["energy_relative"]) for v in res.balance.values())
ratios = sorted(s / f for s, f in zip(solves, floors))
print(json.dumps(dict(gpus=R * 72, nodes=cn.n_nodes, edges=cn.n_edges, build=t_build,
                      compile=t_compile, solve=best, warm=t_warm, floor=floor,
                      ratio=best / floor, ratio_median=ratios[len(ratios) // 2],
                      ratio_max=ratios[-1], newton=res.convergence["newton"],
                      peak_MB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      balance=bal)))
"""


def main(argv: list[str]) -> None:
    rounds = 5
    if argv and argv[0].startswith("--rounds="):
        rounds = int(argv[0].split("=")[1])
        argv = argv[1:]
    racks = [int(a) for a in argv] or [14, 139, 1389]
    print(f"{'GPUs':>8} {'nodes':>8} {'build s':>8} {'compile s':>9} {'solve s':>8} "
          f"{'warm s':>7} {'floor s':>8} {'ratio':>6} {'median':>6} {'worst':>6} {'peak MB':>8} "
          f"{'balance':>8}  newton")
    for R in racks:
        out = subprocess.run([sys.executable, "-c", CHILD, str(R), str(rounds)],
                             capture_output=True, text=True, check=True).stdout.strip()
        d = json.loads(out.splitlines()[-1])
        print(f"{d['gpus']:>8} {d['nodes']:>8} {d['build']:>8.3f} {d['compile']:>9.3f} "
              f"{d['solve']:>8.3f} {d['warm']:>7.3f} {d['floor']:>8.4f} {d['ratio']:>6.1f} "
              f"{d['ratio_median']:>6.1f} {d['ratio_max']:>6.1f} {d['peak_MB']:>8.0f} "
              f"{d['balance']:>8.1e}  {d['newton']}")


if __name__ == "__main__":
    main(sys.argv[1:])
