"""The shared numba decorators (narvik_thermal._numba): parallel kernels and
their serial twins under every threading layer.

The threading-layer tests run in subprocesses: numba picks its threading
layer once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import narvik_thermal
from narvik_thermal import _numba
from narvik_thermal.components import _hydraulic_kernels as HK
from narvik_thermal.fluids import _table_kernels as TK

SRC = Path(narvik_thermal.__file__).resolve().parent.parent
PARALLEL_KERNELS = [TK.table_lookup, TK.table_inverse, HK.darcy_losses]


def _kernel_args(kernel, rng):
    from narvik_thermal import fluids
    from narvik_thermal.fluids.fluid import _ROWS
    fl = fluids.propylene_glycol(0.25)
    T = np.append(rng.uniform(fl.t_min - 5.0, fl.t_max + 5.0, 5000), np.nan)
    if kernel is TK.table_lookup:
        rows = np.array([_ROWS["density"], _ROWS["enthalpy"]], dtype=np.int64)
        return (T, fl.t_min, fl._inv_dt, fl._n, fl._stack, fl._dstack, rows)
    if kernel is TK.table_inverse:
        return (fl.enthalpy_T(T, check=False), fl._h_lo, float(fl._h[-1]), fl._inv_bucket,
                fl._guide, fl._h, fl._inv_dh, fl.t_min, fl._dt, fl.t_max, fl._n)
    n = 5000
    D = rng.uniform(0.01, 0.1, n)
    return (rng.normal(0.0, 0.05, 2 * n), rng.permutation(2 * n)[:n], np.full(n, 0.5),
            4.0 / (np.pi * D * 3e-3), 1e-5 / D, rng.uniform(1e3, 1e5, n),
            rng.uniform(0.0, 1e5, n), np.zeros(2 * n), np.zeros(2 * n))


@pytest.mark.parametrize("kernel", PARALLEL_KERNELS, ids=lambda k: k.__name__)
def test_parallel_kernel_and_serial_twin_agree(kernel):
    # one source, two compilations: the answers are the same to the bit
    rng = np.random.default_rng(1)
    a = _kernel_args(kernel, rng)
    b = tuple(x.copy() if isinstance(x, np.ndarray) else x for x in a)
    out_p, out_s = kernel.parallel(*a), kernel.serial(*b)
    if out_p is None:                       # darcy_losses writes r and d in place
        out_p, out_s = a[-2:], b[-2:]
    np.testing.assert_array_equal(out_p, out_s)
    assert kernel.parallel.targetoptions.get("parallel") is True
    assert not kernel.serial.targetoptions.get("parallel")
    # numba names its cache files after the function and its index ignores
    # the compile options: the twin must have files of its own, or it would
    # load the parallel machine code from the cache
    assert kernel.serial.py_func.__qualname__ == kernel.__qualname__ + ".serial"
    assert kernel.parallel._cache._impl.filename_base != kernel.serial._cache._impl.filename_base


def test_parallel_kernel_takes_its_serial_twin_while_another_runs(monkeypatch):
    calls = []
    kernel = TK.table_inverse
    for name in ("parallel", "serial"):
        f = getattr(kernel, name)
        monkeypatch.setattr(kernel, name, lambda *a, _f=f, _n=name: calls.append(_n) or _f(*a))
    args = _kernel_args(kernel, np.random.default_rng(2))
    ref = kernel(*args)
    with _numba._parallel_running:          # as if another thread's kernel were running
        busy = kernel(*args)
    assert calls == ["parallel", "serial"]
    np.testing.assert_array_equal(ref, busy)
    assert not _numba._parallel_running.locked()
    with pytest.raises(Exception):          # an error in the kernel releases the lock
        kernel(np.zeros(3))
    assert not _numba._parallel_running.locked()


# -- threading layers ----------------------------------------------------------

_CONCURRENT = textwrap.dedent("""
    import json, sys
    from concurrent.futures import ThreadPoolExecutor
    import numba, numpy as np
    from numba.core.errors import NumbaError
    from narvik_thermal.network.synthetic import rack_loop_network
    from narvik_thermal.components import _hydraulic_kernels as HK
    from narvik_thermal.fluids import _table_kernels as TK

    serial_calls = []
    for k in (TK.table_lookup, TK.table_inverse, HK.darcy_losses):
        if hasattr(k, "serial"):         # (kernels without twins: the code before the fix)
            f = k.serial
            k.serial = lambda *a, _f=f: serial_calls.append(1) or _f(*a)
    try:                                 # the first parallel call loads the layer
        getattr(TK.table_inverse, "parallel", TK.table_inverse)(
            np.zeros(1), 0.0, 1.0, 1.0, np.zeros(1, np.int64), np.array([0.0, 1.0]), np.ones(1),
            0.0, 1.0, 1.0, 2)
    except ValueError as exc:            # "No threading layer could be loaded"
        print(json.dumps({"unavailable": str(exc)}))
        sys.exit(0)
    net = rack_loop_network(30, 12)      # big enough: every run aborted before the fix
    ref = net.solve()
    net.compile().cache.clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: net.solve(), range(8)))
    worst = max(float(np.max(np.abs(r._m - ref._m))) for r in results)
    worst_T = max(float(np.max(np.abs(r._T - ref._T))) for r in results)
    print(json.dumps({"layer": numba.threading_layer(), "serial_calls": len(serial_calls),
                      "dm": worst, "dT": worst_T}))
""")


@pytest.mark.parametrize("layer", ["workqueue", "omp", "tbb"])
def test_concurrent_solves_under_each_threading_layer(layer):
    # numba's workqueue layer (used when neither TBB nor OpenMP loads) aborts
    # the process when two threads run parallel loops at once; before the
    # serial twins, four threads solving one network died with "Concurrent
    # access has been detected" (SIGABRT). Each layer in its own process.
    env = dict(os.environ, NUMBA_THREADING_LAYER=layer,
               PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", _CONCURRENT], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if "unavailable" in out:
        pytest.skip(f"threading layer {layer!r} not available here: {out['unavailable']}")
    assert out["layer"] == layer
    # the test is only worth something if the threads did meet in the kernels
    assert out["serial_calls"] > 0
    assert out["dm"] <= 1e-12 and out["dT"] <= 1e-9
