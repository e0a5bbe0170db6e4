"""Benchmarks of a year of operation (``nt.simulation.annual``) and of a scenario sweep.

Run: ``.venv/bin/python -m pytest benchmarks/bench_annual.py -o addopts='' --benchmark-only -s``.

``test_annual`` runs the hours of a Narvik synthetic weather year through one
built campus, each hour warm-started from the one before, and prints the time
per hour beside one warm ``operate`` at an unchanged point (the least an hour
can cost) and the total extrapolated to 8,760 hours. The number of hours is
``NARVIK_BENCH_HOURS`` (default 48, a January weekend, so that ``make test``
stays short; set 8760 for the full year). Shapes:

- ``fjord_heat_export``: the replicated 290 MW campus on the fjord with heat
  pumps feeding a 15 MW town network (issue "Annual…": a full year under 60 s
  is the target);
- ``fjord``: the same campus without heat export;
- ``dry_cooler``: 20 MW at Marseille on a dry cooler with a trim chiller, in
  July (the air side iterated every hour; at most July's 744 hours).

``test_sweep`` runs 8 scenarios (a 2 MW campus at 8 intake depths, 24 hours
each) in this process and on a 2-worker local dask cluster, and prints both.
"""

from __future__ import annotations

import copy
import functools
import os
import time
import warnings

import pytest

import narvik_thermal as nt
from narvik_thermal.plant.campus import Campus

Q_ = nt.Q_
HOURS = int(os.environ.get("NARVIK_BENCH_HOURS", "48"))


@functools.lru_cache(maxsize=None)
def _weather(site: str):
    return nt.climate.site(site).hourly(2025)


def _campus(shape: str) -> tuple[Campus, object]:
    if shape == "dry_cooler":
        site = nt.climate.site("marseille")
        w = _weather("marseille")
        july = w.sel(time=w["time.month"] == 7)
        return Campus(Q_(20, "MW"), site=site, heat_rejection=nt.plant.DryCooler()), july
    site = nt.climate.site("narvik")
    kw = {}
    if shape == "fjord_heat_export":
        kw["heat_export"] = nt.plant.town_heat_export(Q_(15, "MW"))    # 10 substations, 5 km
    return Campus(Q_(290, "MW"), site=site, **kw), _weather("narvik")


@pytest.mark.parametrize("shape", ["fjord_heat_export", "fjord", "dry_cooler"])
def test_annual(benchmark, shape):
    c, w = _campus(shape)
    w = w.isel(time=slice(0, HOURS))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.operate(0.9, outdoor_temperature=Q_(float(w["outdoor_temperature"][0]), "degC"),
                  sea_temperature=Q_(float(w["sea_temperature"][0]), "degC"))
    # one warm operate at an unchanged point: the least an hour can cost
    last = {}

    def warm():
        last["r"] = c.operate(0.9, outdoor_temperature=Q_(float(w["outdoor_temperature"][0]),
                                                          "degC"),
                              sea_temperature=Q_(float(w["sea_temperature"][0]), "degC"),
                              warn=False)
    warm()
    t_warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        warm()
        t_warm.append(time.perf_counter() - t0)
    t_warm = sorted(t_warm)[2]

    def run():
        return nt.simulation.annual(c, w, it_load=0.9, warn=False)

    y = benchmark.pedantic(run, rounds=1, iterations=1)
    assert bool(y["converged"].all()), y["error"].values[~y["converged"].values][:3]
    assert float(y["energy_closure"].max()) <= 1e-9
    total = float(y["solve_time"].sum())
    n = int(y.sizes["time"])               # the dry cooler's July has 744 hours at most
    per_hour = total / n
    print(f"\n{shape}: {n} h in {total:.2f} s of operate ({per_hour * 1e3:.1f} ms/h, "
          f"median {float(y['solve_time'].median()) * 1e3:.1f} ms), one warm operate at an "
          f"unchanged point {t_warm * 1e3:.1f} ms (ratio {per_hour / t_warm:.2f}); "
          f"8,760 h {'measured' if n >= 8760 else 'extrapolated'}: "
          f"{per_hour * 8760:.0f} s")
    benchmark.extra_info.update(hours=n, per_hour_ms=per_hour * 1e3,
                                warm_operate_ms=t_warm * 1e3,
                                year_s=per_hour * 8760)


def test_annual_in_blocks(benchmark):
    """The heat-export year on a 2-worker local cluster (``client=None``: two blocks
    of consecutive hours per worker), the cluster's start and the workers' first
    solve included, beside the same hours run serially."""
    pytest.importorskip("distributed")
    c, w = _campus("fjord_heat_export")
    w = w.isel(time=slice(0, HOURS))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.operate(0.9, outdoor_temperature=Q_(float(w["outdoor_temperature"][0]), "degC"),
                  sea_temperature=Q_(float(w["sea_temperature"][0]), "degC"))
    twin = copy.deepcopy(c)
    t0 = time.perf_counter()
    serial = nt.simulation.annual(twin, w, it_load=0.9, warn=False)
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    par = benchmark.pedantic(lambda: nt.simulation.annual(c, w, it_load=0.9, warn=False,
                                                          client=None),
                             rounds=1, iterations=1)
    t_par = time.perf_counter() - t0
    assert bool(par["converged"].all())
    rel = float(abs(par["total_power"] / serial["total_power"] - 1).max())
    n = int(par.sizes["time"])
    print(f"\nfjord_heat_export in blocks: {n} h serial {t_serial:.2f} s, on 2 workers "
          f"{t_par:.2f} s (ratio {t_serial / t_par:.2f}; cluster start included); "
          f"largest relative difference of total power {rel:.1e}")
    benchmark.extra_info.update(hours=n, serial_s=t_serial, blocks_s=t_par,
                                max_rel_difference=rel)


def _make(intake_depth):
    from narvik_thermal.plant.fjord import FjordLoop
    return Campus(Q_(2, "MW"), site=nt.climate.site("narvik"),
                  fjord=FjordLoop(intake_depth=intake_depth))


def test_sweep(benchmark):
    distributed = pytest.importorskip("distributed")
    w = _weather("narvik").isel(time=slice(0, 24))
    scen = {"intake_depth": Q_([20, 30, 40, 50, 60, 70, 80, 90], "m")}
    t0 = time.perf_counter()
    serial = nt.simulation.sweep(_make, scen, w, client=False)
    t_serial = time.perf_counter() - t0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(lambda: __import__("narvik_thermal"))          # workers warm
        t0 = time.perf_counter()
        par = benchmark.pedantic(lambda: nt.simulation.sweep(_make, scen, w, client=client),
                                 rounds=1, iterations=1)
        t_par = time.perf_counter() - t0
    assert float(abs(par["total_power"] - serial["total_power"]).max()) == 0.0
    print(f"\nsweep of 8 scenarios x 24 h (2 MW): serial {t_serial:.2f} s, "
          f"2-worker local cluster {t_par:.2f} s (ratio {t_serial / t_par:.2f})")
