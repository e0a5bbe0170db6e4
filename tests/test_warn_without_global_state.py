"""Silencing a solve without process-wide state (issue "Core: robust…", item 5).

``warnings.catch_warnings`` changes the process's warning filters, which the
threads of a dask sweep share; ``warn=False`` keeps the flags in the result and
issues nothing. The library itself no longer calls ``catch_warnings`` (checked
on its source).
"""

from __future__ import annotations

import ast
import pathlib
import warnings

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.plant.campus import Campus

SRC = pathlib.Path(nt.__file__).parent


def _hot_loop():
    # an open line: 500 kW into 0.05 kg/s of water at 1.5 bar boils it
    net = nt.Network("hot", fluid=nt.fluids.water())
    net.add_pressure_boundary("in", pressure=Q_(1.5, "bar"), temperature=Q_(20, "degC"))
    net.add_pump("p", "in", "a", flow=Q_(0.05, "kg/s"))
    net.add_heat_load("h", "a", "b", heat=Q_(500, "kW"))
    net.add_pipe("out", "b", "sink", length=Q_(5, "m"), diameter=Q_(25, "mm"))
    net.add_pressure_boundary("sink", pressure=Q_(1.5, "bar"), temperature=Q_(20, "degC"))
    return net


def test_solve_warn_false_keeps_flags_and_issues_nothing():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quiet = _hot_loop().solve(warn=False)
    assert quiet.flags and not [w for w in caught if issubclass(w.category, nt.PhysicsWarning)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loud = _hot_loop().solve()
    kinds = {f.kind for f in loud.flags}
    assert kinds == {f.kind for f in quiet.flags}
    assert [w for w in caught if issubclass(w.category, nt.PhysicsWarning)]


def test_campus_operate_warn_false_is_silent():
    c = Campus(Q_(2, "MW"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = c.operate(1.0, sea_temperature=Q_(9, "degC"), warn=False)
    assert r.energy_closure <= 1e-9
    assert not [w for w in caught if issubclass(w.category, nt.PhysicsWarning)]


def test_library_never_changes_warning_filters():
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("catch_warnings",
                                                                 "simplefilter", "filterwarnings"):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {node.attr}")
    assert not offenders, offenders
