"""Heat-export benchmark: the 20 MW phase with heat pumps and a district-heating network.

The data-centre side enters as a 20 MW facility-water return at 40 °C (10 K
ΔT) — a boundary, because the 20 MW cooling-plant builder (plant/cooling.py)
is not available yet. The heat pumps (network heat-pump component, η = 0.5
Carnot fraction) lift it to an 85/45 °C network: a 20 km trunk line to the
town hub, N substations sharing 25 MW on feeders, a greenhouse of 1 ha and a
1,000 t/yr salmon farm on the facility return.

A plant solve is an outer iteration (regulator flows holding every return
temperature, pump head) around warm-started network solves; ``extra_info``
records its outer iterations, the network size, the heat-pump figures and
the ratio of one network solve to the sparse floor (SuperLU of the nodal
matrix of the same network).

Run: ``.venv/bin/python -m pytest benchmarks/bench_heat_export.py -o addopts='' --benchmark-only``
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.sparse.linalg as spla

import narvik_thermal as nt
from narvik_thermal.plant.heat_export import (FishFarm, HeatPumpSpec, district_heating_network,
                                              greenhouse_consumer, heat_export_plant,
                                              town_consumers)
from narvik_thermal.solvers.hydraulic import nodal_matrix

Q_ = nt.Q_
SIZES = {"10": 10, "100": 100, "400": 400}       # substations


def make_plant(n: int):
    dh = district_heating_network(town_consumers(Q_(25, "MW"), n, branches=max(2, n // 20),
                                                 spacing=Q_(150, "m")),
                                  trunk_length=Q_(20, "km"))
    return heat_export_plant(
        source_return_temperature=Q_(40, "degC"), source_heat=Q_(20, "MW"),
        source_temperature_drop=Q_(10, "K"), dh=dh,
        heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5),
        greenhouse=greenhouse_consumer(Q_(-4, "degC"), cover_area=Q_(1e4, "m^2")),
        fish_farm=FishFarm())


@pytest.mark.parametrize("size", list(SIZES))
def test_bench_heat_export_20MW(benchmark, size):
    plant = make_plant(SIZES[size])
    r = benchmark.pedantic(plant.solve, rounds=3 if SIZES[size] < 400 else 1, iterations=1)
    cn = r.network_result._cn
    net = plant.build()
    t0 = time.perf_counter()
    net.solve()
    one = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    L = nodal_matrix(cn, rng.random(cn.free_edges.size) + 0.5).tocsc()
    b = rng.random(L.shape[0])
    t0 = time.perf_counter()
    for _ in range(5):
        spla.splu(L).solve(b)
    floor = (time.perf_counter() - t0) / 5
    hp = r.heat_pump
    benchmark.extra_info.update(
        substations=SIZES[size] + 1, nodes=cn.n_nodes, edges=cn.n_edges,
        outer_iterations=r.iterations, network_solve_s=one, floor_s=floor,
        network_solve_over_floor=one / floor,
        heat_pump_MW=hp["heat_sink"].m_as("MW"), cop=hp["cop"].m,
        electric_MW=hp["electric_power"].m_as("MW"), boiler_MW=r.boiler_heat.m_as("MW"),
        losses_MW=r.losses["total"].m_as("MW"), pump_kW=r.pump_power.m_as("kW"))
    assert r.heat_pump["heat_sink"].m_as("MW") > 20
    assert max(b_["energy_relative"] for b_ in r.balance.values()) < 1e-9
