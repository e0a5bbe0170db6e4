"""Scenario sweeps on dask.distributed (issue "Annual simulation…", item 4): one
Dataset with a ``scenario`` dimension, the same numbers whichever way it ran,
a failed scenario reported and not lost."""

from __future__ import annotations

import functools
import sys

import numpy as np
import pytest
import xarray as xr

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError, PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.simulation import scenario_list, sweep
from weather_series import march_weather

SITE = nt.climate.site("narvik")


#: the middle scenario cannot be built (negative IT power)
SCENARIOS = {"it_power": Q_([1.0, -1.0, 2.0], "MW")}
MAKE = functools.partial(Campus, site=SITE)


@pytest.fixture(scope="module")
def serial():
    with pytest.warns(PhysicsWarning, match="1 of 3 scenario"):
        return sweep(MAKE, SCENARIOS, march_weather(), client=False)


def test_scenarios_stack_along_a_dimension(serial):
    assert serial.sizes == {"scenario": 3, "time": 3}
    # the parameter's coordinate; "param_" because a result variable is called it_power
    np.testing.assert_array_equal(serial["param_it_power"], [1.0, -1.0, 2.0])
    assert serial["param_it_power"].attrs["units"] == "MW"
    assert serial["total_power"].attrs["units"] == "W"
    # each scenario is the annual run of its own campus
    one = nt.simulation.annual(Campus(Q_(2.0, "MW"), site=SITE), march_weather(), warn=False)
    xr.testing.assert_allclose(serial["total_power"].isel(scenario=2, drop=True),
                               one["total_power"], rtol=1e-12)
    assert float(serial["it_power"].isel(scenario=2)[0]) > float(
        serial["it_power"].isel(scenario=0)[0])


def test_a_failed_scenario_is_reported_not_lost(serial):
    err = serial["scenario_error"].values
    assert err[0] == "" and err[2] == ""
    assert err[1].startswith("InputError:") and "it_power" in err[1]
    assert np.isnan(serial["total_power"].isel(scenario=1)).all()
    assert not serial["converged"].isel(scenario=1).any()
    assert list(serial["hours_failed"].values) == [0, 3, 0]
    assert serial.attrs["scenarios_failed"] == 1
    # the weather of the failed scenario is still there
    assert np.isfinite(serial["sea_temperature"].isel(scenario=1)).all()


def test_same_numbers_on_a_local_cluster(serial):
    pytest.importorskip("distributed")
    with pytest.warns(PhysicsWarning, match="1 of 3 scenario"):
        par = sweep(MAKE, SCENARIOS, march_weather(), client=None)
    for name in ("total_power", "heat_to_sea", "pump_power", "hottest_chip_temperature"):
        xr.testing.assert_allclose(par[name], serial[name], rtol=1e-12)
    assert list(par["scenario_error"].values) == list(serial["scenario_error"].values)


def test_a_given_client_is_used_as_is(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        par = sweep(MAKE, {"it_power": Q_([1.0, 2.0], "MW")}, march_weather(), client=client)
        assert client.status == "running"          # not closed by the sweep
    xr.testing.assert_allclose(par["total_power"],
                               serial["total_power"].isel(scenario=[0, 2]).assign_coords(
                                   scenario=[0, 1]), rtol=1e-12)


def test_scenario_lists():
    assert scenario_list({"a": [1, 2], "b": ["x", "y"]}) == [{"a": 1, "b": "x"},
                                                            {"a": 2, "b": "y"}]
    assert len(scenario_list({"a": [1, 2], "b": [3, 4, 5]}, product=True)) == 6
    q = scenario_list({"d": Q_([20, 40], "m")})
    assert [s["d"].m_as("m") for s in q] == [20, 40]
    assert scenario_list([{"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
    with pytest.raises(InputError, match="different lengths"):
        scenario_list({"a": [1, 2], "b": [1]})
    with pytest.raises(InputError, match="same parameters"):
        scenario_list([{"a": 1}, {"b": 2}])
    with pytest.raises(InputError, match="must be a sequence of values"):
        scenario_list({"a": 3})
    with pytest.raises(InputError, match="is empty"):
        scenario_list({})


def test_bad_sweeps_are_clear_errors():
    with pytest.raises(InputError, match="must be callable"):
        sweep("Campus", SCENARIOS, march_weather(), client=False)
    with pytest.raises(InputError, match="must be None .* a distributed.Client or False"):
        sweep(MAKE, SCENARIOS, march_weather(), client="localhost:8786")
    with pytest.raises(InputError, match="every scenario failed"):
        sweep(MAKE, {"it_power": Q_([-1.0], "MW")}, march_weather(), client=False)
    with pytest.raises(InputError, match="set by sweep"):
        sweep(MAKE, SCENARIOS, march_weather(), client=False, progress=True)


def test_without_distributed_a_cluster_sweep_names_the_extra(monkeypatch):
    # dask.distributed is the optional `sweep` extra: without it a cluster sweep says
    # how to install it, and client=False still runs
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'narvik_thermal\[sweep\]'.*"
                                          r"client=False"):
        sweep(MAKE, SCENARIOS, march_weather(1), client=None, warn=False)
    runs = sweep(MAKE, {"it_power": Q_([1.0], "MW")}, march_weather(1), client=False)
    assert runs.sizes["scenario"] == 1


def test_a_parameter_coordinate_is_named_after_the_parameter():
    runs = sweep(MAKE, {"racks_per_cdu": [6, 12], "it_power": Q_([1.0, 1.0], "MW")},
                 march_weather(1), client=False)
    np.testing.assert_array_equal(runs["racks_per_cdu"], [6, 12])
    # a plain number is dimensionless (CF units "1"): a dimensioned parameter is a Quantity
    assert runs["racks_per_cdu"].attrs == {"units": "1",
                                           "long_name": "scenario parameter racks_per_cdu"}
    np.testing.assert_array_equal(runs["param_it_power"], [1.0, 1.0])


_NO_GUARD = '''
import multiprocessing
import pandas as pd
import narvik_thermal as nt
t = pd.date_range("2025-03-01", periods=1, freq="h")
w = nt.climate.weather_from_series(
    pd.Series([0.0], index=t), pd.Series([75.0], index=t),
    sea_temperature=pd.Series([5.5], index=t), site=nt.climate.site("narvik"),
    units={"outdoor_temperature": "degC", "relative_humidity": "%", "sea_temperature": "degC"})
try:
    nt.simulation.sweep(nt.plant.Campus, {"it_power": nt.Q_([1.0], "MW")}, w)
except nt.InputError as exc:
    if multiprocessing.parent_process() is None:
        print("INPUTERROR", exc)
'''


def test_a_script_without_the_main_guard_is_told_so(tmp_path):
    """Spawned dask workers import the calling script; a script that starts a local
    cluster at import time cannot start it — a clear InputError, not dask's
    'Nanny failed to start' (found running DESIGN's contract example as a script)."""
    pytest.importorskip("distributed")
    import os
    import subprocess
    import sys
    script = tmp_path / "noguard.py"
    script.write_text(_NO_GUARD)
    env = dict(os.environ)
    src = os.path.dirname(os.path.dirname(nt.__file__))
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert "INPUTERROR sweep: the local dask cluster's worker processes did not start" \
        in out.stdout, out.stdout + out.stderr[-2000:]
    assert "if __name__ == \"__main__\":" in out.stdout


def test_a_function_using_q_can_be_sent_to_workers():
    """A script's make_campus that uses ``Q_ = nt.Q_`` (every example does) is pickled
    by value by dask; the registry's Quantity class must then go by reference (found
    running DESIGN's contract example: "cannot pickle 'weakref.ReferenceType'")."""
    import pickle
    import types

    import cloudpickle
    code = "def make(d):\n    return Q_(d, 'm')\n"
    g = {"__name__": "__main__", "Q_": Q_}
    exec(code, g)                                   # a function of a script (__main__)
    make = types.FunctionType(g["make"].__code__, g, "make")
    back = pickle.loads(cloudpickle.dumps(make))
    assert back(3.0) == Q_(3.0, "m")
    assert pickle.loads(pickle.dumps(Q_)) is Q_
