"""Benchmarks: heat-pump cycles per call and hourly demand over a year (8760 h).

Run: ``pytest benchmarks/bench_heat_pump.py --benchmark-only``.
"""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal import Q_
from narvik_thermal.climate import hourly_air_temperature
from narvik_thermal.correlations import heat_pump as hp
from narvik_thermal.demand import district_heating_demand, greenhouse_heat_demand
from narvik_thermal.fluids.refrigerant import refrigerant

C = 273.15


@pytest.mark.parametrize("fluid", ["R717", "R1234ze(E)"])
def test_bench_vapour_compression_cycle(benchmark, fluid):
    r = refrigerant(fluid)
    res = benchmark(hp.vapour_compression_cycle, r, 5 + C, 80 + C)
    assert res.COP_heating > 1


def test_bench_two_stage_cycle(benchmark):
    r = refrigerant("R717")
    res = benchmark(hp.two_stage_cycle, r, 1 + C, 93 + C)
    assert res.COP_heating > 1


def test_bench_transcritical_optimum(benchmark):
    r = refrigerant("R744")
    res = benchmark(hp.vapour_compression_cycle, r, 0 + C, T_gas_cooler_out=40 + C)
    assert res.transcritical


@pytest.fixture(scope="module")
def year():
    return hourly_air_temperature(2025)


def test_bench_hourly_air_temperature(benchmark):
    T = benchmark(hourly_air_temperature, 2025, seed=1)
    assert T.shape == (8760,)


def test_bench_greenhouse_8760(benchmark, year):
    q = benchmark(greenhouse_heat_demand, year, cover_area=Q_(10_000, "m^2"))
    assert q.shape == (8760,)


def test_bench_district_heating_8760(benchmark, year):
    q = benchmark(district_heating_demand, year)
    assert np.isclose(q.m_as("MW").sum(), 100e3)


@pytest.mark.parametrize("n", [10**5])
def test_bench_carnot_kernel(benchmark, n):
    T_sink = np.full(n, 360.0)
    T_src = np.linspace(280.0, 320.0, n)
    out = benchmark(hp.cop_carnot_fraction, T_sink, T_src)
    assert out.shape == (n,)
