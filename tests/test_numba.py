"""The shared numba decorators (narvik_thermal._numba): parallel kernels and
their serial twins under every threading layer, and where the compiled
kernels are cached when the installation and the home directory are read-only.

The threading-layer and cache tests run in subprocesses: numba picks its
threading layer once per process, and the cache locator runs when a kernel
module is first imported.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
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
    fl = fluids.propylene_glycol(0.25)
    T = np.append(rng.uniform(fl.t_min - 5.0, fl.t_max + 5.0, 5000), np.nan)
    if kernel is TK.table_lookup:
        return fl.kernel_arguments("lookup", T, ("density", "enthalpy"))
    if kernel is TK.table_inverse:
        return fl.kernel_arguments("inverse", fl.enthalpy_T(T, check=False))
    n = 5000
    D = rng.uniform(0.01, 0.1, n)
    return (rng.normal(0.0, 0.05, 2 * n), rng.permutation(2 * n)[:n], np.full(n, 0.5),
            4.0 / (np.pi * D * 3e-3), 1e-5 / D, rng.uniform(1e3, 1e5, n),
            rng.uniform(0.0, 1e5, n), rng.integers(0, 4, n), np.zeros(2 * n), np.zeros(2 * n))


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
    with _numba.PARALLEL_LOCK:          # as if another thread's kernel were running
        busy = kernel(*args)
    assert calls == ["parallel", "serial"]
    np.testing.assert_array_equal(ref, busy)
    assert not _numba.PARALLEL_LOCK.locked()
    with pytest.raises(Exception):          # an error in the kernel releases the lock
        kernel(np.zeros(3))
    assert not _numba.PARALLEL_LOCK.locked()


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


_FORK = textwrap.dedent("""
    import json, os, sys
    import numba, numpy as np
    from narvik_thermal.network.synthetic import rack_loop_network
    try:
        ref = rack_loop_network(30, 12).solve()     # the parent runs OpenMP loops
    except ValueError as exc:                       # "No threading layer could be loaded"
        print(json.dumps({"unavailable": str(exc)}))
        sys.exit(0)
    pid = os.fork()
    if pid == 0:
        try:
            m = rack_loop_network(30, 12).solve()._m
            os._exit(0 if np.allclose(m, ref._m, rtol=1e-12, atol=1e-15) else 3)
        except BaseException:
            os._exit(4)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"layer": numba.threading_layer(),
                      "child": os.waitstatus_to_exitcode(status)}))
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_solve_in_a_child_forked_after_openmp_loops():
    # GNU OpenMP cannot start threads in a process forked from one that used
    # it; before, numba terminated such a child ("fork() called from a process
    # already using GNU OpenMP"), and a multiprocessing pool with fork hung
    env = dict(os.environ, NUMBA_THREADING_LAYER="omp",
               PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", _FORK], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if "unavailable" in out:
        pytest.skip(f"OpenMP threading layer not available here: {out['unavailable']}")
    assert out == {"layer": "omp", "child": 0}, proc.stderr[-3000:]


# -- cache location --------------------------------------------------------------

_CACHE_CHILD = textwrap.dedent("""
    import json, os, sys, warnings
    site = sys.argv[1]
    # precondition: the installation really is read-only for this process
    try:
        open(os.path.join(site, "narvik_thermal", "probe"), "w").close()
        print(json.dumps({"writable": True}))
        sys.exit(0)
    except PermissionError:
        pass
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import numpy as np
        import narvik_thermal
        # every kernel module: each decoration looks for a cache location
        from narvik_thermal.correlations import _cold_plate_kernels, _friction_kernels
        from narvik_thermal.components import _hydraulic_kernels
        from narvik_thermal.solvers import (_hydraulic_kernels as _h, _ldl_kernels,
                                            _sparse_kernels, _thermal_kernels)
        from narvik_thermal.fluids import _table_kernels as TK
        i, w = TK.table_cells(np.array([0.25, 2.5]), 0.0, 1.0, 3)
    print(json.dumps({
        "file": narvik_thermal.__file__,
        "cells": [i.tolist(), w.tolist()],
        "hits": sum(TK.table_cells.stats.cache_hits.values()),
        "cache_path": TK.table_cells.stats.cache_path,
        "warnings": [(w.category.__name__, str(w.message)) for w in caught],
    }))
""")


def _unwritable(tmp_path):
    """A read-only copy of the package, a read-only home and a writable temp
    dir; returns ``run(tmpdir)`` that runs :data:`_CACHE_CHILD` there as a
    process that cannot write to read-only places (when the tests run as root,
    with CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER dropped)."""
    if sys.platform == "win32":
        pytest.skip("read-only directories by mode bits are a POSIX test")
    site, home, tmp = tmp_path / "site", tmp_path / "home", tmp_path / "tmp"
    shutil.copytree(SRC / "narvik_thermal", site / "narvik_thermal",
                    ignore=shutil.ignore_patterns("__pycache__"))
    home.mkdir()
    tmp.mkdir(mode=0o700)
    for p in [*site.rglob("*"), site, home]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    preexec = None
    if os.geteuid() == 0:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)

        def drop_caps():                     # PR_CAPBSET_DROP: root loses its DAC override
            for cap in (1, 2, 3):            # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
                if libc.prctl(24, cap, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
        preexec = drop_caps

    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH", "TMP", "TEMP")}
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(site))

    def run():
        proc = subprocess.run([sys.executable, "-c", _CACHE_CHILD, str(site)], env=env,
                              preexec_fn=preexec, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        if out.get("writable"):
            pytest.skip("cannot make a directory read-only for a child process here")
        assert out["file"].startswith(str(site))
        assert out["cells"] == [[0, 1], [0.25, 1.0]]   # 2.5 clamped to the last point
        return out

    def cleanup():
        for p in [site, *site.rglob("*"), home]:
            if p.is_dir():
                p.chmod(0o700)
    return tmp, run, cleanup


def test_read_only_install_and_home_cache_in_a_private_temp_dir(tmp_path):
    # before: "cannot cache function '_cell': no locator available for file
    # …/_table_kernels.py" at the first solve
    tmp, run, cleanup = _unwritable(tmp_path)
    try:
        first = run()
        root = tmp / f"narvik_thermal-numba-{os.getuid()}"
        assert first["cache_path"].startswith(str(root))
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert [w[0] for w in first["warnings"]] == ["KernelCacheWarning"]
        message = first["warnings"][0][1]
        assert str(root) in message and "NUMBA_CACHE_DIR" in message
        assert first["hits"] == 0 and any(root.rglob("_table_kernels.table_cells-*.nbi"))
        second = run()                      # the next process loads the kernel from there
        assert second["hits"] == 1
    finally:
        cleanup()


def test_nothing_writable_compiles_without_cache(tmp_path):
    # the private temp dir exists but others may write it: a cache others can
    # write is code others can run, so it is refused and nothing is cached
    tmp, run, cleanup = _unwritable(tmp_path)
    root = tmp / f"narvik_thermal-numba-{os.getuid()}"
    root.mkdir()
    root.chmod(0o777)
    try:
        out = run()
        assert out["cache_path"] is None and out["hits"] == 0
        assert [w[0] for w in out["warnings"]] == ["KernelCacheWarning"]
        assert "without a cache" in out["warnings"][0][1]
        assert "NUMBA_CACHE_DIR" in out["warnings"][0][1]
        assert not any(root.iterdir())
    finally:
        cleanup()
