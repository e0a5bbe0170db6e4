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


def test_correlations_lists_every_correlation_submodule():
    # every public submodule of nt.correlations but the maps' disk cache is listed in
    # its __all__ and reachable as an attribute after ``import narvik_thermal``
    import narvik_thermal.correlations as C
    subs = {m.name for m in pkgutil.iter_modules(C.__path__) if not m.name.startswith("_")}
    assert subs - {"map_cache"} == set(C.__all__)
    for name in C.__all__:
        assert getattr(nt.correlations, name).__name__ == f"narvik_thermal.correlations.{name}"
