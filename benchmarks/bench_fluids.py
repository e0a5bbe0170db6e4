"""Benchmarks of narvik_thermal.fluids: vectorised property calls and table construction.

Run: ``.venv/bin/python -m pytest benchmarks/bench_fluids.py --benchmark-only``.
``np.interp`` on the same table is timed next to the table lookups, as the floor
to compare the uniform-grid O(1) lookup against.
"""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal import fluids
from narvik_thermal.fluids import constructors

SIZES = [10**5, 10**6]


@pytest.fixture(scope="module", params=["water", "pg25"])
def fluid(request):
    return fluids.water() if request.param == "water" else fluids.propylene_glycol(0.25)


def _temperatures(f, n):
    return np.random.default_rng(0).uniform(f.t_min, f.t_max, n)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("method", ["density_pT", "cp_pT", "viscosity_pT", "enthalpy_T"])
def test_property_T(benchmark, fluid, method, n):
    T = _temperatures(fluid, n)
    out = benchmark(getattr(fluid, method), T)
    assert out.shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_density_pT_with_pressure(benchmark, fluid, n):
    T = _temperatures(fluid, n)
    p = np.random.default_rng(1).uniform(1e5, 20e5, n)
    out = benchmark(fluid.density_pT, T, p)
    assert out.shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_density_pT_unchecked(benchmark, fluid, n):
    T = _temperatures(fluid, n)
    out = benchmark(fluid.density_pT, T, check=False)
    assert out.shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_temperature_h(benchmark, fluid, n):
    h = fluid.enthalpy_T(_temperatures(fluid, n))
    out = benchmark(fluid.temperature_h, h)
    assert out.shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_properties_pT_all(benchmark, fluid, n):
    T = _temperatures(fluid, n)
    out = benchmark(fluid.properties_pT, T)
    assert out["density"].shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_floor_np_interp(benchmark, fluid, n):
    """np.interp on the same density table (no checks): the reference floor."""
    T = _temperatures(fluid, n)
    grid = np.linspace(fluid.t_min, fluid.t_max, fluid._n)
    table = fluid._tab["density"]
    out = benchmark(np.interp, T, grid, table)
    assert out.shape == (n,)


@pytest.mark.parametrize("n", SIZES)
def test_floor_searchsorted_inverse(benchmark, fluid, n):
    """np.interp for T(h) on the non-uniform enthalpy grid, vs the guide-table lookup."""
    h = fluid.enthalpy_T(_temperatures(fluid, n))
    grid = np.linspace(fluid.t_min, fluid.t_max, fluid._n)
    out = benchmark(np.interp, h, fluid._h, grid)
    assert out.shape == (n,)


@pytest.mark.parametrize("name", ["water", "propylene_glycol(0.25)", "seawater(35 g/kg)"])
def test_construction(benchmark, name):
    """Table construction from CoolProp, bypassing the constructor cache."""
    fluids.water()  # import CoolProp and build the water saturation table first
    build = {"water": constructors._water.__wrapped__,
             "propylene_glycol(0.25)": lambda: constructors._glycol.__wrapped__("MPG", 0.25),
             "seawater(35 g/kg)": lambda: constructors._seawater.__wrapped__(35.0)}[name]
    f = benchmark.pedantic(build, rounds=3, iterations=1)
    assert f.name == name
