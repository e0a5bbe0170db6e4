"""Time the parallel kernels against their serial twins, and the dispatch rule.

Each :class:`narvik_thermal._numba.ParallelKernel` is compiled twice from one
source (``parallel=True`` and a serial twin). The inputs are a solved
rack-loop network's state (``rack_loop_network(1389)``: 202,798 node
temperatures and enthalpies, 202,793 pipe flows), in network order and
repeated 5× for the 10⁶ case, and the same values shuffled (random order makes
the table kernels' branches unpredictable). Parallel and serial calls are
interleaved, ``--rounds`` of each, and the best is printed, so that drifts of
the machine's load hit both. The last lines time the dispatch (the
``ParallelKernel`` call against its parallel dispatcher, on one element).
Set ``NUMBA_THREADING_LAYER`` / ``NUMBA_NUM_THREADS`` to choose the layer.
Usage: ``.venv/bin/python benchmarks/measure_parallel_kernels.py [--rounds=N] [racks]``
"""

from __future__ import annotations

import sys
import time

import numba
import numpy as np

from narvik_thermal import _numba, fluids
from narvik_thermal.components import _hydraulic_kernels as hk
from narvik_thermal.components.hydraulics import darcy_constants
from narvik_thermal.fluids import _table_kernels as tk
from narvik_thermal.network.synthetic import rack_loop_network


def timed(f, args):
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t


def cases(racks, rng):
    net = rack_loop_network(racks)
    res = net.solve()
    cn = net.compile()
    fl = fluids.propylene_glycol(0.25)          # the rack circuit's coolant
    T = np.clip(res.state.temperature, fl.t_min, fl.t_max)
    rho = fl.density_pT(np.full(cn.count.size, T.mean()))
    mu = fl.viscosity_pT(np.full(cn.count.size, T.mean()))
    # the Darcy group's edges and factors, as edge_losses passes them
    idx, *factors = darcy_constants(cn, rho, mu)["laws"][0]
    k = dict(zip(("inv_n", "re_coef", "eD", "c", "kq", "law"), factors))
    m0 = res.state.mass_flow
    E = m0.size
    for reps in (1, 5):
        for order in ("network", "shuffled"):
            TT = np.tile(T, reps)
            m = np.tile(m0, reps)
            ii = np.concatenate([idx + r * E for r in range(reps)])
            kk = {q: np.tile(v, reps) for q, v in k.items()}
            if order == "shuffled":
                TT = rng.permutation(TT)
                p = rng.permutation(ii.size)
                ii = ii[p]
                kk = {q: v[p] for q, v in kk.items()}
            h = fl.enthalpy_T(TT)
            yield order, "table_lookup (3 rows)", tk.table_lookup, fl.kernel_arguments(
                "lookup", TT, ("density", "viscosity", "enthalpy"))
            yield order, "table_inverse", tk.table_inverse, fl.kernel_arguments("inverse", h)
            yield order, "darcy_losses (Churchill)", hk.darcy_losses, (
                m, ii, kk["inv_n"], kk["re_coef"], kk["eD"], kk["c"], kk["kq"], kk["law"],
                np.zeros(m.size), np.zeros(m.size))


def main(rounds, racks):
    rng = np.random.default_rng(0)
    for order, name, kernel, args in cases(racks, rng):
        kernel.parallel(*args), kernel.serial(*args)
        tp, ts = [], []
        for _ in range(rounds):
            tp.append(timed(kernel.parallel, args))
            ts.append(timed(kernel.serial, args))
        n = args[1].size if name.startswith("darcy") else args[0].size
        print(f"{name:26s} {order:8s} n={n:>9,d}  parallel {min(tp) * 1e3:8.3f} ms  "
              f"serial {min(ts) * 1e3:8.3f} ms  serial/parallel {min(ts) / min(tp):4.2f}")
    print(f"threading layer: {numba.threading_layer()}, {numba.get_num_threads()} threads")
    order, name, kernel, args = next(cases(1, rng))
    args = (args[0][:1],) + args[1:]
    n_calls = 20000

    def per_call(f):
        return min(timed(lambda: [f(*args) for _ in range(n_calls)], ()) for _ in range(5)) / n_calls

    for label, f in (("ParallelKernel call", kernel), ("parallel dispatcher", kernel.parallel),
                     ("serial dispatcher", kernel.serial)):
        print(f"{label:40s} on 1 element: {per_call(f) * 1e6:6.2f} µs per call")
    with _numba.PARALLEL_LOCK:             # as if another thread's kernel were running
        print(f"{'ParallelKernel call taking the serial twin':40s} on 1 element: "
              f"{per_call(kernel) * 1e6:6.2f} µs per call")


if __name__ == "__main__":
    opts = [a for a in sys.argv[1:] if a.startswith("--rounds=")]
    rest = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(opts[0].split("=")[1]) if opts else 20, int(rest[0]) if rest else 1389)
