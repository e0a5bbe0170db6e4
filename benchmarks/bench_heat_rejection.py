"""Benchmarks of the air-side heat-rejection unit models: one operating point per call,
and a year of hours (8,760) in one vectorised call.

Run: ``pytest benchmarks/bench_heat_rejection.py -o addopts='' --benchmark-only``.

Moist air for the cooling tower comes from CoolProp's ``HAPropsSI`` through
``saturated_air_table`` (tabulated once; the direct CoolProp callables are
about twice as slow per call).
"""

from __future__ import annotations

import numpy as np
import pytest
from CoolProp.HumidAirProp import HAPropsSI

from narvik_thermal.correlations import chiller as ch
from narvik_thermal.correlations import cooling_tower as ct
from narvik_thermal.correlations import cooling_tower_unit as ctu
from narvik_thermal.correlations import dry_cooler as dc
from narvik_thermal.correlations import free_cooling as fc

C = 273.15
P = 101325.0
N = 8760
RNG = np.random.default_rng(0)
T_AIR = RNG.uniform(-20.0, 30.0, N) + C
RH = RNG.uniform(0.3, 0.95, N)


@pytest.fixture(scope="module")
def dry():
    return dc.dry_cooler_design(1e6, 40 + C, 32 + C, 25 + C, air_temperature_rise=10.0,
                                fan_power=8e3)


@pytest.fixture(scope="module")
def tower():
    hs, ws = ct.saturated_air_table(lambda T: HAPropsSI("H", "T", T, "P", P, "R", 1.0),
                                    lambda T: HAPropsSI("W", "T", T, "P", P, "R", 1.0))
    h, w = (HAPropsSI(k, "T", 32 + C, "P", P, "B", 24 + C) for k in "HW")
    d = ctu.cooling_tower_design(1e6, 35 + C, 29 + C, 32 + C, h, w, saturated_enthalpy=hs,
                                 saturated_humidity_ratio=ws, water_air_ratio=1.2,
                                 fan_power=10e3)
    ha = HAPropsSI("H", "T", T_AIR, "P", P, "R", RH)
    wa = HAPropsSI("W", "T", T_AIR, "P", P, "R", RH)
    return d, hs, ws, ha, wa


@pytest.fixture(scope="module")
def chiller():
    return ch.chiller_design(2e6, 7 + C, 30 + C, refrigerant="R134a")


@pytest.mark.parametrize("size", [1, N])
def test_bench_dry_cooler_operate(benchmark, dry, size):
    T = T_AIR[:size] if size > 1 else float(T_AIR[0])
    benchmark(dc.dry_cooler_operate, 40 + C, dry.water_mass_flow, T, 0.7, dry)


@pytest.mark.parametrize("size", [1, N])
def test_bench_dry_cooler_fan_speed(benchmark, dry, size):
    T = T_AIR[:size] if size > 1 else float(T_AIR[0])
    benchmark(dc.dry_cooler_fan_speed, 40 + C, dry.water_mass_flow, T, 32 + C, dry)


@pytest.mark.parametrize("size", [1, N])
def test_bench_cooling_tower_operate(benchmark, tower, size):
    d, hs, ws, ha, wa = tower
    sl = slice(0, size)
    args = (T_AIR[sl], ha[sl], wa[sl]) if size > 1 else (T_AIR[0], ha[0], wa[0])
    benchmark(ctu.cooling_tower_operate, 35 + C, d.water_mass_flow, *args, 0.8, d,
              saturated_enthalpy=hs, saturated_humidity_ratio=ws)


@pytest.mark.parametrize("size", [1, N])
def test_bench_cooling_tower_fan_speed(benchmark, tower, size):
    d, hs, ws, ha, wa = tower
    sl = slice(0, size)
    args = (T_AIR[sl], ha[sl], wa[sl]) if size > 1 else (T_AIR[0], ha[0], wa[0])
    benchmark(ctu.cooling_tower_fan_speed, 35 + C, d.water_mass_flow, *args, 29 + C, d,
              saturated_enthalpy=hs, saturated_humidity_ratio=ws)


@pytest.mark.parametrize("size", [1, N])
def test_bench_chiller_operate(benchmark, chiller, size):
    load = RNG.uniform(0.0, 2.2e6, size) if size > 1 else 1.5e6
    T = RNG.uniform(15.0, 32.0, size) + C if size > 1 else 28 + C
    benchmark(ch.chiller_operate, load, 7 + C, T, chiller)


def test_bench_chiller_design(benchmark):
    benchmark.pedantic(ch.chiller_design, args=(2e6, 7 + C, 30 + C),
                       kwargs=dict(refrigerant="R134a"), rounds=2, iterations=1)


@pytest.mark.parametrize("size", [1, N])
def test_bench_free_cooling(benchmark, size):
    T = T_AIR[:size] + 3.0 if size > 1 else float(T_AIR[0])
    benchmark(fc.free_cooling, 30 + C, 100.0, 20 + C, T)
