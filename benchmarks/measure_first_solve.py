"""The first solve of a small network in a fresh Python process, and what it costs.

Each run is a new process that times ``import narvik_thermal``, the build of a
small network (a rack loop of 2 racks of 4 cold plates, PG25 and water: the
fluid tables are made or read here) and its first ``solve()`` (loading the
compiled kernels); the median of ``--runs`` processes is printed. The first
process warms the caches (numba's kernel cache, the fluid-table cache) and is
not counted; ``--cold-tables`` points ``NARVIK_THERMAL_CACHE_DIR`` at an empty
directory in every run, to time the first process ever. Uses only the public
API, so it measures any version of the library (point ``PYTHONPATH`` at it):

``PYTHONPATH=src .venv/bin/python benchmarks/measure_first_solve.py [--runs=N] [--cold-tables]``
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, time
t0 = time.perf_counter()
import narvik_thermal as nt
from narvik_thermal.network.synthetic import rack_loop_network
t1 = time.perf_counter()
net = rack_loop_network(2, 4)
t2 = time.perf_counter()
res = net.solve()
t3 = time.perf_counter()
import sys
print(json.dumps(dict(import_s=t1 - t0, build_s=t2 - t1, solve_s=t3 - t2,
                      first_solve_s=t3 - t1, coolprop="CoolProp" in sys.modules)))
"""


def run(cold_tables: bool) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if cold_tables:
            env["NARVIK_THERMAL_CACHE_DIR"] = tmp
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                             env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    runs = 5
    cold = "--cold-tables" in argv
    for a in argv:
        if a.startswith("--runs="):
            runs = int(a.split("=")[1])
    run(False)                                   # warm the caches
    rows = [run(cold) for _ in range(runs)]
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0] if k != "coolprop"}
    print(f"{runs} fresh processes{' (empty fluid-table cache)' if cold else ''}, median: "
          f"import {med['import_s']:.3f} s, build {med['build_s']:.3f} s, first solve "
          f"{med['solve_s']:.3f} s; build + first solve {med['first_solve_s']:.3f} s; "
          f"CoolProp imported in {sum(r['coolprop'] for r in rows)} of {runs}")


if __name__ == "__main__":
    main(sys.argv[1:])
