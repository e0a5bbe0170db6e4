"""Benchmarks of operating a built campus (``Campus.operate``), the inner loop of a year.

Run: ``.venv/bin/python -m pytest benchmarks/bench_operate.py -o addopts='' --benchmark-only``.

Each case builds and sizes a campus once, operates it at a first point, then
times warm operating points that follow one another as hours do (IT load
0.8–1.0, a varying town demand, the same month), each warm-started from the
last. Beside them, for the same operating network:

- a day of *changing* hours (``test_operate_changing_hours``): 24 points drawn
  once (seeded) with the IT load 0.6–1.0, the sea 4–12 °C (fjord shapes) or
  the outdoor air 10–30 °C (dry cooler) and the town demand 30–100 % of design,
  each warm-started from the previous one as the annual run does; the time
  of the whole day is reported per hour (``extra_info["per_hour_ms"]``);
- one warm solve (``Network.solve(initial=last)`` at an unchanged point,
  the controls included: the least an operating point can cost), and
- the floor (one SciPy SuperLU factorisation and solve of its nodal matrix).

Shapes:

- ``fjord_heat_export``: the replicated 290 MW campus (2,149 racks, 215 CDUs;
  identical rows once with ``count=``) on the fjord, with heat pumps on the
  facility-water return feeding a 15 MW town network of 10 substations, 85/45 °C,
  5 km trunk (issue "Operate the as-built plant": target ≤ 10 ms per point);
- ``fjord``: the same campus without heat export;
- ``dry_cooler``: 20 MW at Marseille on a dry cooler with its trim chiller
  (the air side iterated to the supply it can make).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import bench_floor

import narvik_thermal as nt
from narvik_thermal.plant.campus import Campus

Q_ = nt.Q_
HOURS = 24


def _campus(shape: str) -> tuple[Campus, dict]:
    if shape == "dry_cooler":
        c = Campus(Q_(20, "MW"), site=nt.climate.site("marseille"),
                   heat_rejection=nt.plant.DryCooler())
        return c, dict(month=7)
    kw = {}
    if shape == "fjord_heat_export":
        kw["heat_export"] = nt.plant.town_heat_export(Q_(15, "MW"))    # 10 substations, 5 km
    return Campus(Q_(290, "MW"), **kw), dict(month=1)


def _points(shape: str) -> list[dict]:
    """Hour-like operating points: load and town demand drift, the month is fixed."""
    out = []
    for h in range(HOURS):
        p = dict(it_load=0.9 + 0.1 * np.sin(2 * np.pi * h / HOURS))
        if shape == "fjord_heat_export":
            p["heat_demand"] = Q_(15 * (0.85 + 0.1 * np.cos(2 * np.pi * h / HOURS)), "MW")
        out.append(p)
    return out


def _changing_hours(shape: str) -> list[dict]:
    """A day of hours whose load, water or air and town demand all change (seeded)."""
    rng = np.random.default_rng(2026)
    out = []
    for _ in range(HOURS):
        p = dict(it_load=float(rng.uniform(0.6, 1.0)))
        if shape == "dry_cooler":
            p["outdoor_temperature"] = Q_(float(rng.uniform(10.0, 30.0)), "degC")
        else:
            p["sea_temperature"] = Q_(float(rng.uniform(4.0, 12.0)), "degC")
        if shape == "fjord_heat_export":
            p["heat_demand"] = Q_(15 * float(rng.uniform(0.3, 1.0)), "MW")
        out.append(p)
    return out


@pytest.fixture(scope="module", params=["fjord_heat_export", "fjord", "dry_cooler"])
def operated(request):
    shape = request.param
    c, fixed = _campus(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = c.operate(**_points(shape)[0], **fixed)
    assert first.energy_closure <= 1e-9
    return shape, c, fixed, first


def test_operate_warm(benchmark, operated):
    shape, c, fixed, _ = operated
    points = _points(shape)
    state = {"k": 0}

    def one():
        k = state["k"] = (state["k"] + 1) % len(points)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return c.operate(**points[k], **fixed)

    r = benchmark.pedantic(one, rounds=HOURS, iterations=1)
    net = c.operating_network
    benchmark.extra_info.update(shape=shape, nodes=net.n_nodes, edges=net.n_edges)
    assert r.energy_closure <= 1e-9


def test_operate_changing_hours(benchmark, operated):
    shape, c, fixed, _ = operated
    hours = _changing_hours(shape)
    for p in hours:                  # once: every map cell and kept Jacobian of the day
        c.operate(**p, **fixed, warn=False)
    closure = []

    def day():
        for p in hours:
            closure.append(c.operate(**p, **fixed, warn=False).energy_closure)

    benchmark.pedantic(day, rounds=3, iterations=1)
    benchmark.extra_info.update(shape=shape, hours=HOURS)
    if benchmark.stats is not None:             # None with --benchmark-disable
        st = benchmark.stats.stats
        benchmark.extra_info.update(per_hour_ms=1e3 * st.median / HOURS,
                                    per_hour_min_ms=1e3 * st.min / HOURS)
    assert max(closure) <= 1e-9


def test_operating_network_warm_solve(benchmark, operated):
    shape, c, _, first = operated
    net = c.operating_network
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = net.solve(initial=first.result)       # the network's present point

    def one():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return net.solve(initial=start)

    r = benchmark.pedantic(one, rounds=5, iterations=1)
    benchmark.extra_info.update(shape=shape, nodes=net.n_nodes, edges=net.n_edges)
    assert r.converged


def test_operating_network_floor(benchmark, operated):
    _, c, _, _ = operated
    bench_floor(benchmark, c.operating_network.compile())
