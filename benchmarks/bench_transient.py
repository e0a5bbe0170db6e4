"""Benchmarks of transient runs (``nt.transient.simulate``), the targets of the issue
"Transient thermal dynamics and failure scenarios":

- ``test_row``: one hour at one-second steps of a 10-rack row (every rack explicit:
  trays, manifolds, hoses, 720 GPUs and their CPUs and switches; 837 nodes, 2,096
  edges) with its CDU loop, a duty-pump trip at 60 s and the standby pump started at
  75 s; target under 10 s on the 2-core machine;
- ``test_campus``: one hour at one-second steps of the replicated 290 MW campus with
  heat export (one CDU's pump tripped and restarted); target under 60 s.

Run: ``.venv/bin/python -m pytest benchmarks/bench_transient.py -o addopts='' --benchmark-only -s``.
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import transient as tr
from narvik_thermal.plant.campus import Campus

Q_ = nt.Q_


def rack_row(n_racks: int = 10) -> nt.Network:
    """A row of ``n_racks`` explicit NVL72-class racks on a CDU loop
    (:func:`narvik_thermal.plant.cdu_row_network`: duty and stopped standby pumps behind
    check valves, the CDU heat exchanger to facility water at 30 °C, row headers)."""
    return nt.plant.cdu_row_network(n_racks)


def _report(benchmark, run, what):
    benchmark.extra_info.update(steps_per_second=run.attrs["steps_per_second"],
                                energy_closure=run.attrs["energy_closure"])
    peak = tr.peak_chip_temperature(run)
    print(f"\n{what}: {run.sizes}, {run.attrs['steps_per_second']:.0f} steps/s, closure "
          f"{run.attrs['energy_closure']:.1e}, peak chip {peak['temperature']:.1f~P} at "
          f"{peak['time']:.0f~P}")
    assert abs(run.attrs["energy_closure"]) < 1e-6


def test_row(benchmark):
    net = rack_row()
    ev = [tr.at(Q_(60, "s"), "pump_a", speed=0.0), tr.at(Q_(75, "s"), "pump_b", speed=1.0)]
    run = benchmark(tr.simulate, net, duration=Q_(1, "h"), step=Q_(1, "s"), events=ev)
    _report(benchmark, run, "10-rack row, 1 h at 1 s")


@pytest.mark.large
def test_campus(benchmark):
    c = Campus(Q_(290, "MW"), site=nt.climate.site("narvik"),
               heat_export=nt.plant.town_heat_export(Q_(15, "MW")))
    pump = next(n for n in c.operating_network.edge_names
                if n.endswith(".pump") and "x" not in n.split(".")[0])
    ev = [tr.at(Q_(60, "s"), pump, speed=0.0), tr.at(Q_(75, "s"), pump, speed=1.0)]
    run = benchmark(tr.simulate, c, duration=Q_(1, "h"), step=Q_(1, "s"), events=ev)
    _report(benchmark, run, "290 MW campus (replicated), 1 h at 1 s")
