"""A year of operation (issue "Annual simulation…", item 2): every hour an
``operate`` of the one built campus, every hour kept, failed hours recorded.

The hours here are few (a day or two; the full year is a benchmark); what is
checked holds hour by hour.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import narvik_thermal as nt
import validation_cases as vc
from narvik_thermal import Q_
from narvik_thermal.errors import ConvergenceError, InputError, PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.simulation import VARIABLES, annual, hourly_heat_demand
from weather_series import hourly_weather

SITE = nt.climate.site("narvik")
#: every hour's energy closure (validation case annual.energy_closure)
CLOSURE = vc.by_id("annual.energy_closure").tolerance


def _closure(y) -> float:
    return float(np.abs(y["energy_closure"]).max())


@pytest.fixture(scope="module")
def campus():
    return Campus(Q_(2, "MW"), site=SITE)


@pytest.fixture(scope="module")
def day(campus):
    w = hourly_weather(24)
    load = np.where(np.arange(24) < 12, 1.0, 0.5)
    return w, load, annual(campus, w, it_load=load)


def test_every_hour_is_an_operate_of_the_built_campus(campus, day):
    w, load, y = day
    assert y.sizes["time"] == 24
    assert bool(y["converged"].all()) and y.attrs["hours_failed"] == 0
    np.testing.assert_array_equal(y["time"].values, w["time"].values)
    # the same hour operated directly gives the same numbers (warm start aside)
    op = campus.operate(float(load[5]), sea_temperature=Q_(float(w["sea_temperature"][5]),
                                                             "degC"), warn=False)
    vc.check("annual.same_as_operate", {
        "total power": abs(float(y["total_power"][5]) / op.power["total"].m_as("W") - 1),
        "heat to the sea": abs(float(y["heat_to_sea"][5]) / op.heat["to_sea"].m_as("W") - 1)})
    # the IT load follows the series
    it = y["it_power"].values
    assert it[:12] == pytest.approx(np.full(12, campus.it_power.m_as("W")), rel=1e-9)
    assert it[12:] == pytest.approx(np.full(12, 0.5 * campus.it_power.m_as("W")), rel=1e-9)
    # part load: less pumping
    assert y["pump_power"].values[12:].max() < y["pump_power"].values[:12].min()


def test_energy_balance_closes_every_hour(day):
    _, _, y = day
    vc.check("annual.energy_closure", _closure(y), label="fjord, 2 MW, 24 hours")
    assert y.attrs["max_energy_closure"] <= CLOSURE
    parts = sum(y[k] for k in ("it_power", "pump_power", "fan_power", "chiller_power",
                               "heat_pump_power"))
    np.testing.assert_allclose(parts, y["total_power"], rtol=1e-12)
    heat_in = y["total_power"] + y["heat_boiler"]
    heat_out = (y["heat_to_sea"] + y["heat_to_air"] + y["heat_delivered"]
                + y["network_losses"])
    vc.check("annual.heat_balance", float(np.max(np.abs(heat_out / heat_in - 1))))
    # sea water passing through is withdrawn, not consumed
    assert float(y["water_withdrawn"].min()) > 0 and float(y["water_consumed"].max()) == 0


def test_variables_have_units_and_the_weather_is_copied(day):
    w, _, y = day
    for name, (units, long_name) in VARIABLES.items():
        assert y[name].attrs["units"] == units, name
        assert y[name].attrs["long_name"] == long_name
    np.testing.assert_allclose(y["sea_temperature"], w["sea_temperature"], atol=1e-9)
    np.testing.assert_allclose(y["outdoor_temperature"], w["outdoor_temperature"], atol=1e-9)
    np.testing.assert_allclose(y["grid_co2_intensity"], w["grid_co2_intensity"])
    assert y.attrs["time_step_s"] == 3600.0
    assert float(y["hottest_chip_temperature"].min()) > 25.0
    assert (y["solve_time"] > 0).all()


def test_netcdf_round_trip(day, tmp_path):
    _, _, y = day
    path = tmp_path / "year.nc"
    y.to_netcdf(path)
    back = xr.load_dataset(path)
    xr.testing.assert_allclose(back[list(VARIABLES)], y[list(VARIABLES)])
    assert (back["converged"].values == y["converged"].values).all()
    assert list(back["flags"].values) == list(y["flags"].values)
    assert back.attrs["hours_failed"] == 0 and back["it_power"].attrs["units"] == "W"


def test_a_failed_hour_is_recorded_never_dropped(campus, monkeypatch):
    w = hourly_weather(6)
    real = campus.operate
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConvergenceError("test: the Newton iteration stalled")
        return real(*args, **kwargs)

    monkeypatch.setattr(campus, "operate", flaky)
    with pytest.warns(PhysicsWarning, match="1 of 6 hour"):
        y = annual(campus, w)
    assert y.sizes["time"] == 6
    assert list(y["converged"].values) == [True, True, False, True, True, True]
    assert "ConvergenceError: test: the Newton iteration stalled" == str(y["error"][2].values)
    assert np.isnan(float(y["total_power"][2])) and np.isnan(float(y["energy_closure"][2]))
    assert np.isfinite(y["total_power"].values[[0, 1, 3, 4, 5]]).all()
    assert y.attrs["hours_failed"] == 1
    assert not y["restarted"].values.any() and y.attrs["hours_restarted"] == 0
    # the weather of the failed hour is still there
    assert np.isfinite(float(y["sea_temperature"][2]))


def test_an_hour_solved_again_from_the_design_point_is_recorded(campus, monkeypatch):
    # an hour whose warm start failed and was solved again (Campus.operate's
    # convergence["restarted"]) is a solved hour, and says so
    w = hourly_weather(4)
    real = campus.operate

    def marked(*args, **kwargs):
        op = real(*args, **kwargs)
        if len(calls) == 1:
            op.result.convergence["restarted"] = "controls: no step lowers the control errors"
        calls.append(1)
        return op

    calls: list = []
    monkeypatch.setattr(campus, "operate", marked)
    y = annual(campus, w, warn=False)
    assert list(y["restarted"].values) == [False, True, False, False]
    assert bool(y["converged"].values.all())
    assert y.attrs["hours_restarted"] == 1 and y.attrs["hours_failed"] == 0


def test_flags_are_counted_per_hour_and_reported_once(campus):
    # sea water too warm for the facility supply: every hour flags, one warning in all
    w = hourly_weather(3, sea=[24.0, 25.0, 26.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = annual(campus, w)
    ours = [c for c in caught if issubclass(c.category, PhysicsWarning)]
    assert len(ours) == 1 and "flags in" in str(ours[0].message)
    assert (y["flag_count"] > 0).all()
    assert all(s for s in y["flags"].values)
    kinds = set(";".join(y["flags"].values).split(";"))
    for k in kinds:
        assert f"{k}: " in y.attrs["flag_hours"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        annual(campus, w, warn=False)
    assert not [c for c in caught if issubclass(c.category, PhysicsWarning)]


def test_bad_inputs_are_clear_errors(campus):
    w = hourly_weather(4)
    with pytest.raises(InputError, match="must be a narvik_thermal.plant.Campus"):
        annual("campus", w)
    with pytest.raises(InputError, match="xarray.Dataset with a 'time' dimension"):
        annual(campus, {"outdoor_temperature": [1.0]})
    with pytest.raises(InputError, match="no 'sea_temperature' variable"):
        annual(campus, w.drop_vars("sea_temperature"))
    bad = w.copy(deep=True)
    bad["outdoor_temperature"][2] = np.nan
    with pytest.raises(InputError, match="not finite at 1 hour"):
        annual(campus, bad)
    bad = w.copy(deep=True)
    bad["sea_temperature"].attrs["units"] = "kg"
    with pytest.raises(InputError, match="cannot be converted"):
        annual(campus, bad)
    with pytest.raises(InputError, match="expected a scalar or 4 hourly values"):
        annual(campus, w, it_load=[1.0, 0.5])
    with pytest.raises(InputError, match=r"it_load= must lie in \(0, 1.2\]"):
        annual(campus, w, it_load=[1.0, 0.0, 1.0, 1.0])
    with pytest.raises(InputError, match="need a campus with heat export"):
        annual(campus, w, heat_demand=Q_(np.ones(4), "MW"))
    with pytest.raises(InputError, match="no hours"):
        annual(campus, w.isel(time=slice(0, 0)))
    # temperatures no sea or air can have, refused before the run (a sea of 5 K: kelvin
    # written for degrees Celsius)
    bad = w.copy(deep=True)
    bad["sea_temperature"].attrs["units"] = "K"
    with pytest.raises(InputError, match=r"weather\['sea_temperature'\]: .* K .*\(4 of 4 "
                                         r"values\) is below the freezing point"):
        annual(campus, bad)
    bad = w.copy(deep=True)
    bad["outdoor_temperature"][1] = 75.0
    with pytest.raises(InputError, match=r"outdoor_temperature'\]: 348.15 K \(75.00 °C\) "
                                         r"\(1 of 4 values\) is warmer than any air"):
        annual(campus, bad)
    # a humidity of 0 % in one hour: refused before the run (it ended the run at that
    # hour, the hours before lost), naming the value in its own units
    for value in (0.0, 120.0):
        bad = w.copy(deep=True)
        bad["relative_humidity"].attrs["units"] = "%"
        bad["relative_humidity"][:] = 60.0
        bad["relative_humidity"][2] = value
        with pytest.raises(InputError, match=rf"must lie in \(0, 100\] %.*1 hour\(s\) "
                                             rf"do not, the first {value:.4g} %"):
            annual(campus, bad)


def test_an_it_load_dataarray_needs_the_weathers_times(campus):
    w = hourly_weather(3)
    other = xr.DataArray([1.0, 1.0, 1.0], dims="time",
                         coords={"time": pd.date_range("2030-01-01", periods=3, freq="h")})
    with pytest.raises(InputError, match="other times than the weather"):
        annual(campus, w, it_load=other)
    same = xr.DataArray([1.0, 0.8, 0.6], dims="time", coords={"time": w["time"].values})
    y = annual(campus, w, it_load=same)
    np.testing.assert_allclose(y["it_load"], [1.0, 0.8, 0.6])


# ------------------------------------------------------------------ heat export
@pytest.fixture(scope="module")
def exporting():
    from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec
    cs = town_consumers(Q_(10, "MW"), 4, branches=2, spacing=Q_(200, "m"))
    dh = district_heating_network(list(cs), trunk_length=Q_(5, "km"))
    return Campus(Q_(20, "MW"), site=SITE, heat_export=HeatExport(
        dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5)))


def test_hourly_heat_demand_model():
    # the demand's shape by hand and its sum: validation cases annual.demand_shape
    # and annual.demand_total (tests/validation_cases_site.py); here the basis text
    from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
    from narvik_thermal.plant.heat_export import HeatExport
    dh = district_heating_network(list(town_consumers(Q_(8, "MW"), 2)),
                                  trunk_length=Q_(1, "km"))
    c = Campus(Q_(2, "MW"), heat_export=HeatExport(dh=dh))
    T = np.array([-10.0, 0.0, 10.0, 20.0]) + 273.15
    q, basis = hourly_heat_demand(c, T)
    assert "design demand 8 MW" in basis
    q2, basis2 = hourly_heat_demand(c, T, annual_heat=Q_(40, "MWh"))
    assert "annual_heat=40 megawatt_hour" in basis2


def test_annual_with_heat_export(exporting):
    w = hourly_weather(3, T=[-8.0, -2.0, 6.0])
    y = annual(exporting, w)
    assert bool(y["converged"].all())
    vc.check("annual.energy_closure", _closure(y), label="heat export, 20 MW, 3 hours")
    # the town is given the model's demand and gets it; more on the colder hours
    delivered = {"the model's demand": float(np.max(np.abs(y["heat_delivered"]
                                                          / y["heat_demand"] - 1)))}
    d = y["heat_demand"].values
    assert d[0] > d[1] > d[2] > 0
    assert (y["heat_pump_power"] > 0).all() and (y["heat_exported"] > 0).all()
    assert "scaled so the coldest hour" in y.attrs["heat_demand_basis"]
    given = annual(exporting, w, heat_demand=Q_([5.0, 4.0, 3.0], "MW"))
    delivered["given, 5, 4, 3 MW"] = float(np.max(np.abs(given["heat_delivered"].values
                                                         / [5e6, 4e6, 3e6] - 1)))
    vc.check("annual.heat_delivered", delivered)
    assert given.attrs["heat_demand_basis"] == "given by the caller (heat_demand=)"


def test_progress_bar_on_request(campus, capsys):
    y = annual(campus, hourly_weather(2), progress=True)
    assert y.sizes["time"] == 2
    err = capsys.readouterr().err
    assert "annual" in err and "2/2" in err
    annual(campus, hourly_weather(2))
    assert capsys.readouterr().err == ""


def test_a_fjord_plant_needs_no_humidity_an_air_side_plant_does(campus):
    w = hourly_weather(2).drop_vars("relative_humidity")
    y = annual(campus, w)
    assert bool(y["converged"].all()) and "relative_humidity" not in y
    dry = Campus(Q_(1, "MW"), site=nt.climate.site("marseille"),
                 heat_rejection=nt.plant.DryCooler())
    with pytest.raises(InputError, match="no 'relative_humidity' variable"):
        annual(dry, w)


def test_an_air_side_plant_through_a_summer_day():
    mrs = nt.climate.site("marseille")
    twr = Campus(Q_(1, "MW"), site=mrs, heat_rejection=nt.plant.CoolingTower())
    t = pd.date_range("2025-07-15", periods=4, freq="6h")
    w = nt.climate.weather_from_series(
        pd.Series([22.0, 26.0, 31.0, 27.0], index=t), pd.Series([70.0, 55.0, 40.0, 50.0],
                                                                index=t),
        site=mrs, units={"outdoor_temperature": "degC", "relative_humidity": "%"})
    y = annual(twr, w)
    assert bool(y["converged"].all())
    vc.check("annual.energy_closure", _closure(y), label="Marseille, cooling tower, 4 × 6 h")
    assert y.attrs["time_step_s"] == 6 * 3600.0
    assert (y["water_consumed"] > 0).all() and (y["fan_power"] > 0).all()
    assert (y["heat_to_sea"] == 0).all() and (y["heat_to_air"] > 0).all()


def test_the_year_feeds_the_eu_kpis(exporting):
    w = hourly_weather(3, T=[-8.0, -2.0, 6.0])
    y = annual(exporting, w)
    k = nt.kpi.eu_kpis(y, renewable_share=1.0)
    d = k.data
    e_it = float(y["it_power"].sum()) * 3600 / 3.6e9                 # MWh
    e_hp = float(y["heat_pump_power"].sum()) * 3600 / 3.6e9
    e_tot = float(y["total_power"].sum()) * 3600 / 3.6e9
    out, inside = "heat_pumps_outside", "heat_pumps_inside"
    reused = float(y["heat_exported"].sum()) * 3600 / 3.6e9
    vc.check("annual.kpis", {
        "PUE inside": abs(float(d["pue"].sel(boundary=inside)) / (e_tot / e_it) - 1),
        "PUE outside": abs(float(d["pue"].sel(boundary=out)) / ((e_tot - e_hp) / e_it) - 1),
        "ERF outside": abs(float(d["erf"].sel(boundary=out)) / (reused / (e_tot - e_hp)) - 1)})
    assert float(d["wue"].sel(boundary=out)) == 0.0                  # the fjord consumes none


def test_a_small_town_at_the_end_of_a_long_line_converges_every_hour():
    # 20 GWh/yr (4.8 MW design) over a 20 km line: in summer the consumers' flows and
    # their inlet temperatures (the line loses more at low flow) swung from one outer
    # iteration to the next with a growing amplitude (0.46 ↔ 0.84 kg/s), and 7 of these
    # 38 sampled hours of 2024 failed; the consumers' flows are now mixed (Anderson(1))
    year = nt.audit.Scenario(annual_residential_heat="20 GWh", trunk_length="20 km",
                             year=2024, step=237).town_year()
    assert year.sizes["time"] == 38
    assert int(year.attrs["hours_failed"]) == 0 and bool(year["converged"].all())
    assert float(np.abs(year["energy_closure"]).max()) <= 1e-6
    summer = year["time.month"].isin([6, 7, 8])
    assert int(summer.sum()) >= 8
    assert bool((year["heat_delivered"].where(summer, np.nan) > 0).sum() >= 8)


# ------------------------------------------------------------ the year on dask
def test_a_year_in_blocks_on_a_local_cluster_agrees_with_the_serial_run(exporting):
    # client=None: two blocks of consecutive hours per worker (four here), each on a copy
    # of the campus; the caller's campus is not operated. The town demand of the
    # model is computed once for all hours (its coldest hour is the design demand),
    # so it is the serial run's; the solved hours agree with the serial run to the
    # solver's tolerances (a block's first hour starts from another state): the
    # controls hold temperatures to 1e-6 of 100 K.
    pytest.importorskip("distributed")
    w = hourly_weather(6, T=[-8.0, -6.0, -4.0, -2.0, 0.0, 2.0])
    import copy
    twin = copy.deepcopy(exporting)
    serial = annual(exporting, w)
    par = annual(twin, w, client=None)
    assert par.sizes == serial.sizes and bool(par["converged"].all())
    np.testing.assert_array_equal(par["time"].values, serial["time"].values)
    np.testing.assert_array_equal(par["heat_demand"].values, serial["heat_demand"].values)
    assert par.attrs["heat_demand_basis"] == serial.attrs["heat_demand_basis"]
    assert par.attrs["hours"] == 6 and par.attrs["hours_failed"] == 0
    for name in ("total_power", "heat_to_sea", "heat_delivered", "heat_pump_power"):
        np.testing.assert_allclose(par[name], serial[name], rtol=1e-5, err_msg=name)
    np.testing.assert_allclose(par["hottest_chip_temperature"],
                               serial["hottest_chip_temperature"], atol=2e-4)
    vc.check("annual.energy_closure", _closure(par), label="heat export, 4 blocks on dask")


def test_a_year_on_a_given_client_and_bad_clients(campus):
    distributed = pytest.importorskip("distributed")
    w = hourly_weather(4)
    serial = annual(campus, w)
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=None) as client:
        sent = []
        submit = client.submit

        def counted(*a, **k):
            sent.append(a)
            return submit(*a, **k)
        client.submit = counted
        par = annual(campus, w, client=client)
        assert client.status == "running"          # not closed by the run
        # two blocks of consecutive hours per worker (a worker done with one takes the
        # next left): 4 hours on 2 workers, 4 blocks of one hour each
        assert len(sent) == 4
    np.testing.assert_allclose(par["total_power"], serial["total_power"], rtol=1e-5)
    assert list(par.data_vars) == list(serial.data_vars)
    with pytest.raises(InputError, match="client=.*must be None .* a distributed.Client or "
                                         "False"):
        annual(campus, w, client="tcp://nowhere")


def test_a_single_point_is_weighted_by_the_time_step_given(campus):
    # one point sampled every 100 h counted one hour whatever the sampling (its
    # energies 100x too small; the command line said "every 100 h"): time_step= says
    w = hourly_weather(4)
    one = annual(campus, w.isel(time=slice(0, 1)), time_step=Q_(100, "h"), warn=False)
    assert one.attrs["time_step_s"] == 360000.0
    assert annual(campus, w.isel(time=slice(0, 1)), warn=False).attrs["time_step_s"] == 3600.0
    # with two points or more it must be the axis's own step
    with pytest.raises(InputError, match=r"time_step=.*differs from the step of the weather"):
        annual(campus, w, time_step=Q_(2, "h"))
    assert annual(campus, w.isel(time=slice(0, 2)), time_step=Q_(1, "h"),
                  warn=False).attrs["time_step_s"] == 3600.0
