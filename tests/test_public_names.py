"""Every name a module promises in ``__all__`` exists (DESIGN's contract uses
``nt.plant.HeatExport``, which ``narvik_thermal.plant.__all__`` listed but did not
import)."""

from __future__ import annotations

import importlib
import pkgutil

import narvik_thermal as nt


def test_every_name_in_all_exists():
    missing = []
    for info in pkgutil.walk_packages(nt.__path__, "narvik_thermal."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for name in getattr(mod, "__all__", ()):
            if not hasattr(mod, name):
                missing.append(f"{info.name}.{name}")
    assert not missing, missing


def test_the_second_contracts_names():
    for name in ("Campus", "FjordLoop", "DryCooler", "CoolingTower", "HeatExport",
                 "HeatPumpSpec"):
        assert hasattr(nt.plant, name), name
    assert callable(nt.simulation.annual) and callable(nt.simulation.sweep)
    assert callable(nt.kpi.eu_kpis)
    assert callable(nt.transient.simulate) and callable(nt.transient.at)
