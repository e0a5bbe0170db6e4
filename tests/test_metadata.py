"""CF-style metadata of every kind of result Dataset, and its NetCDF round trip.

Issue "A package a user can install and cite": results carry ``long_name`` and
``units`` per variable and, as Dataset attributes, the library version and the
solver options, and write NetCDF through a maintained engine (h5netcdf). Each
kind of Dataset (a steady solve's ``nodes`` and ``edges``, an annual run, a
sweep, a transient run, the ``annual --out`` file) is checked the same way:
:func:`_check_cf` on the Dataset, then :func:`_round_trip` through h5netcdf.
"""

from __future__ import annotations

import dataclasses
import enum
import functools

import numpy as np
import pytest
import xarray as xr

import narvik_thermal as nt
from narvik_thermal import _metadata
from narvik_thermal import transient as tr
from narvik_thermal.cli import main
from narvik_thermal.plant.campus import Campus
from weather_series import march_weather

Q_ = nt.Q_
WATER = nt.fluids.water()
SITE = nt.climate.site("narvik")
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"     # a NetCDF-4 file is an HDF5 file


def _check_cf(ds: xr.Dataset, generator: str) -> None:
    """Every variable and coordinate has a long_name, every numeric one units; the
    Dataset names the CF version, the library version and what made it."""
    for name, var in ds.variables.items():
        assert isinstance(var.attrs.get("long_name"), str) and var.attrs["long_name"], name
        if var.dtype.kind in "fiu":
            assert isinstance(var.attrs.get("units"), str), name
    assert ds.attrs["Conventions"] == "CF-1.10"
    assert ds.attrs["narvik_thermal_version"] == nt.__version__
    assert ds.attrs["source"] == f"narvik_thermal {nt.__version__}"
    assert ds.attrs["generator"] == generator


def _round_trip(ds: xr.Dataset, tmp_path, name: str) -> xr.Dataset:
    """Write with h5netcdf, read back; the variables' and the Dataset's attributes survive."""
    path = tmp_path / f"{name}.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    assert path.read_bytes()[:8] == HDF5_SIGNATURE
    back = xr.load_dataset(path, engine="h5netcdf")
    _assert_attrs_equal(back.attrs, ds.attrs)
    for var in ds.variables:
        for key in ("long_name", "units"):
            assert back[var].attrs.get(key) == ds[var].attrs.get(key), (var, key)
    return back


def _assert_attrs_equal(got: dict, want: dict) -> None:
    assert set(got) == set(want), set(got) ^ set(want)
    for key, value in want.items():
        if isinstance(value, (np.ndarray, list)):
            np.testing.assert_array_equal(got[key], value, err_msg=key)
        else:
            assert got[key] == value, key


def _cdu() -> nt.Network:
    """A small CDU: a pump, two cold-plate groups, a heat exchanger to facility water
    throttled by valve ``fv``; loop ``tcs`` holds the TCS supply at 30 °C."""
    net = nt.Network("cdu", fluid=WATER)
    net.add_expansion_tank("r", Q_(2, "bar"))
    net.add_pump("pump", "r", "s", curve=(Q_([0, 2, 4], "L/s"), Q_([20, 17, 10], "m")))
    for p in ("gpu0", "gpu1"):
        net.add_cold_plate(p, "s", "rr", heat=Q_(1.0, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                           rated_flow=Q_(1.5, "L/min"), rated_pressure_drop=Q_(30, "kPa"),
                           max_chip_temperature=Q_(85, "degC"), count=10)
    net.add_pipe("ret", "rr", "hx_in", length=Q_(20, "m"), diameter=Q_(50, "mm"))
    net.add_heat_exchanger("hx", hot=("hx_in", "r"), cold=("fi", "fm"), ua=Q_(5, "kW/K"))
    net.add_valve("fv", "fm", "fo", kvs=Q_(10, "m^3/h"))
    net.add_pressure_boundary("fi", Q_(3, "bar"), Q_(20, "degC"))
    net.add_pressure_boundary("fo", Q_(2.5, "bar"), Q_(20, "degC"))
    net.add_control("tcs", actuator=("valve_opening", "fv"), target=("temperature", "s"),
                    setpoint=Q_(30, "degC"), bounds=(0.02, 1.0))
    return net


# ------------------------------------------------------------- each kind of Dataset

def test_a_steady_solves_datasets(tmp_path):
    res = _cdu().solve(max_newton=37, couple_properties=True, warn=False)
    for name, ds in (("nodes", res.nodes), ("edges", res.edges)):
        _check_cf(ds, "narvik_thermal.Network.solve")
        # the options the solve used, one attribute each, booleans as 1/0
        assert ds.attrs["solver_max_newton"] == 37
        assert ds.attrs["solver_couple_properties"] == 1
        assert ds.attrs["solver_linear_solver"] == res.options.linear_solver
        assert ds.attrs["network"] == "cdu" and ds.attrs["converged"] == 1
        back = _round_trip(ds, tmp_path, name)
        xr.testing.assert_allclose(back, ds)
    assert res.edges["chip_temperature"].attrs["long_name"].startswith("chip temperature")


def test_an_annual_run(tmp_path):
    year = nt.simulation.annual(Campus(Q_(1, "MW"), site=SITE), march_weather(2), warn=False,
                                max_outer=29)
    _check_cf(year, "narvik_thermal.simulation.annual")
    assert year.attrs["solver_max_outer"] == 29
    assert year.attrs["solver_max_newton"] == nt.SolverOptions().max_newton
    back = _round_trip(year, tmp_path, "year")
    assert back["converged"].dtype == bool and bool(back["converged"].all())
    xr.testing.assert_allclose(back["total_power"], year["total_power"])


def test_an_annual_runs_options_are_checked_before_the_first_hour():
    campus = Campus(Q_(1, "MW"), site=SITE)
    with pytest.raises(nt.InputError, match="unknown solver option 'max_newtn'.*max_newton"):
        nt.simulation.annual(campus, march_weather(1), max_newtn=3)
    with pytest.raises(nt.InputError, match="must be a narvik_thermal.SolverOptions"):
        nt.simulation.annual(campus, march_weather(1), options={"max_newton": 3})
    # an options= object is what the hours use, named fields changed on top of it
    year = nt.simulation.annual(campus, march_weather(1), warn=False,
                                options=nt.SolverOptions(max_outer=21), max_newton=44)
    assert (year.attrs["solver_max_outer"], year.attrs["solver_max_newton"]) == (21, 44)


def test_a_sweep(tmp_path):
    runs = nt.simulation.sweep(functools.partial(Campus, site=SITE),
                               {"it_power": Q_([1.0, 1.5], "MW")}, march_weather(1),
                               client=False, max_outer=28)
    _check_cf(runs, "narvik_thermal.simulation.sweep")
    assert runs.attrs["solver_max_outer"] == 28 and runs.attrs["scenarios"] == 2
    assert runs["param_it_power"].attrs == {"units": "MW",
                                            "long_name": "scenario parameter it_power"}
    _round_trip(runs, tmp_path, "sweep")


def test_a_transient_run(tmp_path):
    run = tr.simulate(_cdu(), duration=Q_(20, "s"), step=Q_(2, "s"), controls="pi",
                      events=[tr.at(Q_(4, "s"), "gpu0", heat=Q_(1.2, "kW"))],
                      solve_options={"max_newton": 23})
    _check_cf(run, "narvik_thermal.transient.simulate")
    assert run.attrs["solver_max_newton"] == 23
    for var in ("temperature", "mass_flow", "chip_temperature", "chip_limit",
                "control_actuator", "control_target", "control_setpoint"):
        assert var in run, var
    # the PI gains, a list per loop, are stored as a numeric array attribute
    assert isinstance(run.attrs["control_gain_kp"], np.ndarray)
    back = _round_trip(run, tmp_path, "run")
    np.testing.assert_allclose(back["chip_temperature"], run["chip_temperature"])


def test_the_annual_command_writes_netcdf4_with_the_metadata(tmp_path, capsys):
    path = tmp_path / "year.nc"
    assert main(["annual", "--it-power", "1 MW", "--hours", "1", "--out", str(path),
                "--no-progress"]) == 0
    capsys.readouterr()
    assert path.read_bytes()[:8] == HDF5_SIGNATURE      # NetCDF-4 (h5netcdf), not NetCDF-3
    year = xr.load_dataset(path, engine="h5netcdf")
    _check_cf(year, "narvik_thermal.simulation.annual")
    assert year["total_power"].attrs == {"units": "W", "long_name": nt.simulation.VARIABLES[
        "total_power"][1]}


# ------------------------------------------------------------- the helpers

class _Mode(enum.Enum):
    FAST = 1


@dataclasses.dataclass
class _Opts:
    tol: float = 1e-9
    on: bool = False
    names: tuple = ("a", "b")
    gains: tuple = (1, 2)


def test_netcdf_attrs_stores_what_netcdf_can():
    got = _metadata.netcdf_attrs({"n": np.int32(3), "x": np.float32(0.5), "none": None,
                                  "yes": np.bool_(True), "mode": _Mode.FAST,
                                  "inner": _Opts(), "empty": [], "floats": [1, 2.5]}, "p")
    assert got == {"p_n": 3, "p_x": 0.5, "p_none": "none", "p_yes": 1, "p_mode": "fast",
                   "p_inner_tol": 1e-9, "p_inner_on": 0, "p_inner_names": "a, b",
                   "p_inner_gains": got["p_inner_gains"], "p_empty": "",
                   "p_floats": got["p_floats"]}
    assert got["p_inner_gains"].dtype == int and list(got["p_inner_gains"]) == [1, 2]
    assert got["p_floats"].dtype == float and list(got["p_floats"]) == [1.0, 2.5]
    assert type(got["p_n"]) is int and type(got["p_x"]) is float
    # every value is one xarray writes to NetCDF
    xr.Dataset(attrs=got).to_netcdf(engine="h5netcdf")


def test_netcdf_attrs_refuses_what_netcdf_cannot_store():
    with pytest.raises(TypeError, match=r"attribute 'p_when'.*cannot be stored in NetCDF"):
        _metadata.netcdf_attrs({"when": object()}, "p")
    with pytest.raises(TypeError, match="attribute 'mixed'"):
        _metadata.netcdf_attrs({"mixed": [1, "a"]})
    with pytest.raises(TypeError, match="expected a mapping or a dataclass instance"):
        _metadata.netcdf_attrs([1, 2])


def test_weather_and_kpi_datasets(tmp_path):
    """The weather years and the KPI report are results too: the same provenance, and
    NetCDF-4 keeps it."""
    w = SITE.hourly(2025)
    assert w.attrs["generator"] == "narvik_thermal.climate.hourly_weather"
    assert w.attrs["Conventions"] == "CF-1.10" and w.attrs["narvik_thermal_version"] == nt.__version__
    assert "monthly normals" in w.attrs["title"]
    _round_trip(w.isel(time=slice(0, 48)), tmp_path, "weather")
    s = nt.climate.weather_from_series(w["outdoor_temperature"].isel(time=slice(0, 24)),
                                       w["relative_humidity"].isel(time=slice(0, 24)))
    assert s.attrs["generator"] == "narvik_thermal.climate.weather_from_series"
    year = nt.simulation.annual(Campus(Q_(1, "MW"), site=SITE), march_weather(2), warn=False)
    k = nt.kpi.eu_kpis(year).data
    assert k.attrs["generator"] == "narvik_thermal.kpi.eu_kpis"
    assert k.attrs["narvik_thermal_version"] == nt.__version__
    _round_trip(k, tmp_path, "kpis")
