"""Heat-export benchmarks: the 20 MW phase with heat pumps and a district-heating network.

Coupled (issue 5's benchmark): ``Campus(20 MW, heat_export=HeatExport(...))``
— racks, CDUs, facility water, fjord loop, heat-pump evaporators on the
facility return in series before the fjord HX, and the district-heating
network on the condensers, all in ONE network, solved by
:func:`~narvik_thermal.plant.heat_export_network.solve_regulated`: the
substations are network consumers solved inside each network solve, the DH
pump head is iterated around warm-started solves. The
town takes 15 MW on N substations behind a 20 km trunk line, plus a 1 ha
greenhouse. Its floor is one ``scipy.sparse.linalg.splu`` of the nodal matrix
of the same network (as ``bench_campus.py``).

Standalone: the data-centre side enters as a 20 MW facility-water return at
40 °C (10 K ΔT), a boundary. The heat pumps (network heat-pump component, η = 0.5
Carnot fraction) lift it to an 85/45 °C network: a 20 km trunk line to the
town hub, N substations sharing 25 MW on feeders, a greenhouse of 1 ha and a
1,000 t/yr salmon farm on the facility return.

A plant solve is a pump-head iteration around warm-started network solves
(the substations hold their return temperatures inside each); ``extra_info``
records its outer iterations (network solves), the network size, the heat-pump figures and
the ratio of one network solve to the sparse floor (SuperLU of the nodal
matrix of the same network).

Run: ``.venv/bin/python -m pytest benchmarks/bench_heat_export.py -o addopts='' --benchmark-only``
"""

from __future__ import annotations

import time

import pytest
from conftest import bench_floor, floor_solve, floor_system

import narvik_thermal as nt
from narvik_thermal.plant.campus import Campus
from narvik_thermal.plant.district_heating import Consumer
from narvik_thermal.plant.heat_export import (FishFarm, HeatExport, HeatPumpSpec,
                                              district_heating_network, greenhouse_consumer,
                                              heat_export_plant, town_consumers)

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
    cn = r.network_result.compiled
    net = plant.build(r.pump_head.m_as("m"))      # at the solved head: a realisable state
    t0 = time.perf_counter()
    net.solve()
    one = time.perf_counter() - t0
    L, b = floor_system(cn)
    t0 = time.perf_counter()
    for _ in range(5):
        floor_solve(L, b)
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


# ------------------------------------------------------------------ coupled
COUPLED_SIZES = {"10": 10, "100": 100}             # town substations


def make_campus(n: int) -> Campus:
    """The 20 MW phase with heat export in the same network (design-point solve)."""
    town = town_consumers(Q_(15, "MW"), n, branches=max(2, n // 20), spacing=Q_(150, "m"))
    gh: Consumer = greenhouse_consumer(Q_(-4, "degC"), cover_area=Q_(1e4, "m^2"))
    dh = district_heating_network(list(town) + [gh], trunk_length=Q_(20, "km"))
    return Campus(Q_(20, "MW"), heat_export=HeatExport(
        dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5)))


def _built(n: int):
    c = make_campus(n)
    c.build()
    return (c,), {}


@pytest.mark.parametrize("size", list(COUPLED_SIZES))
def test_bench_campus_heat_export_20MW(benchmark, size):
    n = COUPLED_SIZES[size]
    r = benchmark.pedantic(lambda c: c.solve(), setup=lambda: _built(n), rounds=3, iterations=1)
    net = r.campus.network
    hx = r.heat_export
    hp = hx.heat_pump
    e = r.energy
    benchmark.extra_info.update(
        substations=n + 1, nodes=net.n_nodes, edges=net.n_edges,
        outer_iterations=hx.iterations, it_MW=e["it_heat"].m_as("MW"),
        exported_MW=e["heat_exported"].m_as("MW"), fjord_MW=e["heat_to_fjord"].m_as("MW"),
        cop=hp["cop"].m, electric_MW=hp["electric_power"].m_as("MW"),
        heat_pump_MW=hp["heat_sink"].m_as("MW"), boiler_MW=hx.boiler_heat.m_as("MW"),
        dh_delivered_MW=hx.dh_heat_delivered.m_as("MW"), losses_MW=hx.losses["total"].m_as("MW"),
        relative_residual=e["relative_residual"])
    assert r.result.converged
    assert e["relative_residual"] < 1e-6
    assert e["heat_exported"].m_as("MW") > 5


@pytest.mark.parametrize("size", list(COUPLED_SIZES))
def test_floor_splu_campus_heat_export(benchmark, size):
    c = make_campus(COUPLED_SIZES[size])
    cn = c.build().compile()
    bench_floor(benchmark, cn)
