"""Figures (``nt.plot``): each is rendered (Agg) from a small real case and saved to
PNG; what it draws is read back from the figure and checked against the result it
came from — the Sankey's flows against the site's energy balance, the rack map's
image against the chips, the annual bars against the Dataset's energy, the
transient traces against the run's peak — and bad input is refused by name.
matplotlib stays optional: ``import narvik_thermal`` does not import it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal import transient as tr
from narvik_thermal.errors import ConvergenceError, InputError, PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.plant.rack import Rack, rack_network
from narvik_thermal.simulation import VARIABLES, annual
from weather_series import hourly_weather

plt = pytest.importorskip("matplotlib.pyplot")
plot = nt.plot
SITE = nt.climate.site("narvik")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _saved(fig, tmp_path, name):
    """Save ``fig`` as PNG and return its pixels (rows, columns, RGBA)."""
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=60)
    img = plt.imread(path)
    assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 300
    assert np.ptp(img[..., :3]) > 0.5          # not blank: dark and light pixels
    return img


@pytest.fixture(scope="module")
def campus():
    return Campus(Q_(2, "MW"), site=SITE)


@pytest.fixture(scope="module")
def op(campus):
    return campus.operate(0.8, month=1, warn=False)


@pytest.fixture(scope="module")
def exporting():
    from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec
    cs = town_consumers(Q_(1, "MW"), 2, branches=1, spacing=Q_(200, "m"))
    dh = district_heating_network(list(cs), trunk_length=Q_(1, "km"))
    c = Campus(Q_(2, "MW"), heat_export=HeatExport(
        dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5)))
    return c.operate(1.0, warn=False)


@pytest.fixture(scope="module")
def year(campus):
    """Six hours over a month's end; the third fails (recorded, NaN)."""
    real = campus.operate
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConvergenceError("test: the Newton iteration stalled")
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(campus, "operate", flaky)
        with pytest.warns(PhysicsWarning, match="1 of 6 hour"):
            y = annual(campus, hourly_weather(6, "2025-01-31 21:00"))
    assert list(y["converged"].values) == [True, True, False, True, True, True]
    return y


@pytest.fixture(scope="module")
def run(campus):
    ev = [tr.at(Q_(30, "s"), "cdu0.pump", speed=0.0), tr.at(Q_(45, "s"), "cdu0.pump", speed=1.0)]
    return tr.simulate(campus, duration=Q_(120, "s"), step=Q_(1, "s"), events=ev)


# ------------------------------------------------------------- optional matplotlib
def test_import_narvik_thermal_does_not_import_matplotlib():
    code = ("import sys, narvik_thermal as nt\n"
            "assert 'matplotlib' not in sys.modules, 'import narvik_thermal'\n"
            "import narvik_thermal.plot\n"
            "assert nt.plot is narvik_thermal.plot and callable(nt.plot.sankey)\n"
            "assert 'matplotlib' not in sys.modules, 'import narvik_thermal.plot'\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_without_matplotlib_the_error_says_how_to_install(op, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=re.escape('pip install "narvik_thermal[plot]"')):
        plot.sankey(op)


def test_nt_plot_is_a_lazy_attribute():
    import narvik_thermal.plot
    assert nt.plot is narvik_thermal.plot and "plot" in nt.__all__
    with pytest.raises(AttributeError, match="no attribute 'plots'"):
        nt.plots


# ------------------------------------------------------------- Sankey
_UNITS_W = {"W": 1.0, "kW": 1e3, "MW": 1e6, "GW": 1e9,
            "Wh": 3.6e3, "kWh": 3.6e6, "MWh": 3.6e9, "GWh": 3.6e12}


def _drawn(fig):
    """{label: value in W (or J)} of the Sankey's flow labels."""
    out = {}
    for t in fig.axes[0].texts:
        m = re.fullmatch(r"(.+)\n([-\d.e+]+) (\w+)", t.get_text())
        if m:
            out[m[1]] = float(m[2]) * _UNITS_W[m[3]]
    return out


def test_sankey_of_an_operating_point(op, tmp_path):
    flows = plot.energy_flows(op)
    W = {k: v.m_as("W") for k, v in flows.items()}
    heat_in = sum(v for v in W.values() if v > 0)
    # in = out: the flows sum to the site's energy-balance residual
    assert abs(sum(W.values())) <= op.energy_closure * heat_in + 1e-6
    assert W["it"] == pytest.approx(op.power["it"].m_as("W"))
    assert W["to_sea"] == pytest.approx(-op.heat["to_sea"].m_as("W"))
    fig = plot.sankey(op)
    _saved(fig, tmp_path, "sankey")
    drawn = _drawn(fig)
    labels = {"IT": "it", "pumps": "pumps", "fans": "fans", "to the sea": "to_sea",
              "to the air": "to_air"}
    assert set(labels) <= set(drawn), drawn
    for text, key in labels.items():        # three significant digits
        assert drawn[text] == pytest.approx(abs(W[key]), rel=5e-3), text
    # flows of zero are not drawn; the electricity joins the two diagrams
    assert "chillers" not in drawn and "heat pumps" not in drawn
    assert drawn["electricity"] == pytest.approx(op.power["total"].m_as("W"), rel=5e-3)
    title = fig.axes[0].get_title()
    assert f"closes to {op.energy_closure:.1e}" in title and "MW in" in title
    # widths proportional to power: the diagrams' outlines span the inputs' sum
    elec, heat = (p for p in fig.axes[0].patches)
    assert np.ptp(elec.get_path().vertices[:, 1]) > np.ptp(heat.get_path().vertices[:, 1]) * 0.5


def test_sankey_with_heat_export_and_given_axes(exporting, tmp_path):
    fig, ax = plt.subplots()
    assert plot.sankey(exporting, ax=ax) is fig
    _saved(fig, tmp_path, "sankey_export")
    drawn = _drawn(fig)
    W = {k: v.m_as("W") for k, v in plot.energy_flows(exporting).items()}
    assert drawn["heat pumps"] == pytest.approx(W["heat_pumps"], rel=5e-3)
    assert drawn["to the town (district heating)"] == pytest.approx(-W["delivered"], rel=5e-3)
    assert drawn["district-heating pipe losses"] == pytest.approx(-W["network_losses"], rel=5e-3)
    assert abs(sum(W.values())) <= exporting.energy_closure * sum(
        v for v in W.values() if v > 0) + 1e-6
    assert "the heat pumps take" in ax.get_title()
    # the town's 1 MW (999999.99 W) reads 1.00 MW, not 1.00e+03 kW
    texts = [t.get_text() for t in ax.texts]
    assert "to the town (district heating)\n1.00 MW" in texts
    assert not any("e+" in t for t in texts), texts


def test_sankey_with_heat_drawn_from_the_sea():
    # heat pumps at the town's peak cool the facility water below the sea: the fjord
    # heat exchangers heat it (heat_to_sea < 0); drawn as heat in, from the sea
    from types import SimpleNamespace
    W = lambda x: Q_(x, "W")  # noqa: E731
    op = SimpleNamespace(
        power=dict(it=W(1.0e6), pumps=W(2e4), fans=W(0), chillers=W(0), heat_pumps=W(0.3e6)),
        heat=dict(to_sea=W(-0.2e6), to_air=W(0.12e6), delivered=W(1.3e6),
                  network_losses=W(0.1e6), exported=W(0.9e6)))
    assert plot.energy_flows(op)["to_sea"].m == pytest.approx(0.2e6)
    fig = plot.sankey(op)
    drawn = _drawn(fig)
    assert drawn["from the sea"] == pytest.approx(0.2e6) and "to the sea" not in drawn
    assert drawn["to the town (district heating)"] == pytest.approx(1.3e6)
    title = fig.axes[0].get_title()
    assert "1.32 MW in and 200 kW drawn from the sea or air" in title
    assert "closes to 0.0e+00" in title


def test_sankey_of_an_annual_run(year, tmp_path):
    ok = year["converged"].values
    flows = plot.energy_flows(year)
    e_it = float(year["it_power"].values[ok].sum()) * 3600 / 3.6e9
    assert flows["it"].m_as("MWh") == pytest.approx(e_it, rel=1e-12)
    assert flows["to_sea"].m_as("MWh") == pytest.approx(
        -float(year["heat_to_sea"].values[ok].sum()) * 3600 / 3.6e9, rel=1e-12)
    total = sum(v.m for v in flows.values() if v.m > 0)
    assert abs(sum(v.m for v in flows.values())) <= 1e-9 * total
    fig = plot.sankey(year)
    _saved(fig, tmp_path, "sankey_year")
    assert "annual run" in fig.axes[0].get_title() and "MWh in" in fig.axes[0].get_title()
    assert _drawn(fig)["IT"] == pytest.approx(e_it * 3.6e9, rel=5e-3)


def test_sankey_refuses_bad_input(op, year):
    with pytest.raises(InputError, match=r"sankey: op=str has no 'power' and 'heat'"):
        plot.sankey("op")
    with pytest.raises(InputError, match=r"op= has no variable\(s\) \['heat_to_sea'\]"):
        plot.sankey(year.drop_vars("heat_to_sea"))
    with pytest.raises(InputError, match=r"sankey: ax='left' is a str; expected a matplotlib Axes"):
        plot.sankey(op, ax="left")
    from types import SimpleNamespace
    bad = SimpleNamespace(power=dict(op.power), heat={"to_sea": op.heat["to_sea"]})
    with pytest.raises(InputError, match=r"source= lacks \[\"heat\['to_air'\]\""):
        plot.energy_flows(bad)
    bad = SimpleNamespace(power={**op.power, "it": 1.6e6}, heat=dict(op.heat))
    with pytest.raises(InputError, match=r"source.power\['it'\]=1600000.0 is not a power"):
        plot.energy_flows(bad)
    # energies are powers × the step: an irregular time axis is refused (it was weighted
    # by its first step), as eu_kpis refuses it (one nt.kpi.time_step for both)
    t = year["time"].values.copy()
    t[-1] = t[-1] + np.timedelta64(30, "m")
    irregular = year.assign_coords(time=t)
    irregular.attrs.pop("time_step_s", None)
    with pytest.raises(InputError, match=r"irregular"):
        plot.energy_flows(irregular)
    with pytest.raises(InputError, match=r"annual_kpis: the time steps are irregular"):
        plot.annual_kpis(irregular)


# ------------------------------------------------------------- rack map
def _image(fig):
    return np.ma.filled(fig.axes[0].images[0].get_array(), np.nan).astype(float)


def test_rack_map_of_a_campus(op, tmp_path):
    res = op.result
    fig = plot.rack_temperature_map(op)
    _saved(fig, tmp_path, "rack_map")
    img = _image(fig)
    plates = res.edges["kind"].values == "cold_plate"
    assert np.isfinite(img).sum() == plates.sum()
    assert np.nanmax(img) == pytest.approx(res.hottest_chip().temperature.m_as("degC"), abs=1e-9)
    chips = np.sort(res.edges["chip_temperature"].values[plates])
    np.testing.assert_allclose(np.sort(img[np.isfinite(img)]), chips)
    # two modelled racks (one per CDU block) of 27 trays and 8 positions, a gap between
    assert img.shape == (27, 2 * 9 - 1) and np.isnan(img[:, 8]).all()
    assert fig.axes[1].get_ylabel() == "chip temperature [°C]"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "cdu0.rack0 (×8)", "cdu1.rack0 (×7)"]
    assert res.hottest_chip().name in fig.axes[0].get_title()
    # the GPU (75 °C) and CPU/switch (85 °C) limits are above the colours: stated
    assert "75, 85 °C" in fig.axes[1].get_title()
    out = _image(plot.rack_temperature_map(op, quantity="outlet"))
    assert np.nanmax(out) == pytest.approx(
        float(res.edges["temperature_out"].values[plates].max()))


def test_rack_map_marks_chips_over_their_limit(tmp_path):
    rack = Rack(gpu=nt.plant.gpu_cold_plate(max_chip_temperature=Q_(50, "degC")))
    res = rack_network(rack).solve(warn=False)
    fig = plot.rack_temperature_map(res)
    _saved(fig, tmp_path, "rack_over")
    img = _image(fig)
    assert img.shape == (27, 8)
    chips = res.edges["chip_temperature"].to_series()
    n_over = int((chips[chips.index.str.contains("gpu")] > 50).sum())
    assert n_over > 0
    crosses = [ln for ln in fig.axes[0].lines if ln.get_marker() == "x"]
    assert len(crosses) == 1 and len(crosses[0].get_xdata()) == n_over
    assert f"{n_over} chip(s) over their limit" in fig.axes[0].get_title()
    # the 50 °C limit is a line on the colour bar (the colours reach it)
    assert any(np.allclose(ln.get_ydata(), 50.0) for ln in fig.axes[1].lines)


def test_rack_map_of_other_names_is_a_strip(tmp_path):
    net = nt.Network("bench", fluid=nt.fluids.water())
    net.add_flow_boundary("in", Q_(0.2, "kg/s"), Q_(30, "degC"))
    for k in (2, 10, 1):
        net.add_cold_plate(f"plate{k}", "in", "out", heat=Q_(1.0 + 0.1 * k, "kW"),
                           thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(1.5, "L/min"),
                           rated_pressure_drop=Q_(30, "kPa"))
    net.add_pressure_boundary("out", Q_(2, "bar"), Q_(30, "degC"))
    res = net.solve(warn=False)
    fig = plot.rack_temperature_map(res, ax=plt.subplots()[1])
    _saved(fig, tmp_path, "strip")
    img = _image(fig)
    names = ["plate1", "plate2", "plate10"]          # natural order
    assert img.shape == (1, 3)
    np.testing.assert_allclose(img[0], [res.chip_temperature(n).m for n in names])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == names


def test_rack_map_refuses_bad_input(op):
    with pytest.raises(InputError, match=r"rack_temperature_map: result=str is not a solved "
                                         r"network"):
        plot.rack_temperature_map("rack")
    with pytest.raises(InputError, match=r"quantity='inlet'; expected one of \['chip', 'outlet'\]"):
        plot.rack_temperature_map(op, quantity="inlet")
    with pytest.raises(InputError, match=r"cmap='hot_cold' is not a matplotlib colour map"):
        plot.rack_temperature_map(op, cmap="hot_cold")
    net = nt.Network("pipe", fluid=nt.fluids.water())
    net.add_flow_boundary("a", Q_(1, "kg/s"), Q_(20, "degC"))
    net.add_pipe("p", "a", "b", length=Q_(1, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("b", Q_(2, "bar"), Q_(20, "degC"))
    with pytest.raises(InputError, match="has no cold plates"):
        plot.rack_temperature_map(net.solve(warn=False))


# ------------------------------------------------------------- annual
def _bars(fig):
    """{use: bar heights} of the energy panel, and its unit."""
    ax = fig.axes[0]
    unit = re.search(r"\[(\w+)\]", ax.get_ylabel())[1]
    return ({c.get_label(): np.array([p.get_height() for p in c]) for c in ax.containers},
            _UNITS_W[unit])


def test_annual_figure_of_a_run_with_a_failed_hour(year, tmp_path):
    kpis = nt.kpi.eu_kpis(year, grid_co2="norway_average", failed_hours="exclude")
    fig = plot.annual_kpis(year, kpis, period="month")
    _saved(fig, tmp_path, "annual")
    ok = year["converged"].values
    bars, unit = _bars(fig)
    assert set(bars) == {"IT", "cooling (pumps, fans, chillers)"}   # no heat pumps
    assert all(b.size == 2 for b in bars.values())                    # January, February
    # the bars hold the Dataset's energy of the converged hours
    total = float(year["total_power"].values[ok].sum()) * 3600
    assert sum(b.sum() for b in bars.values()) * unit == pytest.approx(total, rel=1e-12)
    assert bars["IT"].sum() * unit == pytest.approx(
        float(year["it_power"].values[ok].sum()) * 3600, rel=1e-12)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["66.6 % of steps"]           # January: 2 of 3 hours
    # the failed hour is a gap in the PUE trace and shaded, never a zero
    pue = next(ln for ln in fig.axes[1].lines if ln.get_label().startswith("PUE"))
    y = np.asarray(pue.get_ydata(), float)
    assert np.isnan(y[2]) and np.isfinite(y[[0, 1, 3, 4, 5]]).all()
    expected = (year["total_power"] - year["heat_pump_power"]) / year["it_power"]
    np.testing.assert_allclose(y[ok], expected.values[ok])
    heat_ax = next(a for a in fig.axes if a.get_title().startswith("where the heat goes"))
    sea = next(ln for ln in heat_ax.lines if ln.get_label() == "to the sea")
    y = np.asarray(sea.get_ydata(), float)
    assert np.isnan(y[2]) and np.all(y[[0, 1, 3, 4, 5]] > 1.0)        # MW
    spans = [p for a in fig.axes for p in a.patches if p.get_gid() == "failed"]
    assert len(spans) == 2                         # on the PUE and the heat panels
    # the KPI panels: both boundaries, the values of eu_kpis
    pue_ax = next(a for a in fig.axes if a.get_title() == "PUE")
    heights = [c[0].get_height() for c in pue_ax.containers]        # one bar per boundary
    np.testing.assert_allclose(heights, kpis.data["pue"].values)
    assert "REF" not in [a.get_title() for a in fig.axes]          # no renewable share: NaN
    for a in fig.axes:
        if a.get_xlabel() or a.get_ylabel():
            assert a.get_ylabel(), a.get_title()


def test_annual_figure_by_day(year):
    fig = plot.annual_kpis(year)                       # auto: a short run, per day
    bars, unit = _bars(fig)
    assert all(b.size == 2 for b in bars.values())     # 31 January and 1 February
    assert fig.axes[0].get_xlabel() == "day"
    assert len(fig.axes) == 6      # bars, PUE (and its twin), heat, 2 scatters: no KPIs


def _synthetic_year():
    """A year of hourly values with heat pumps (sizes of a 20 MW campus) in the
    annual Dataset's layout and units."""
    t = pd.date_range("2025-01-01", periods=8760, freq="h")
    h = np.arange(8760)
    T = -2 + 8 * np.sin(2 * np.pi * (h / 8760 - 0.3)) + 3 * np.sin(2 * np.pi * h / 24)
    it = np.full(8760, 20e6)
    hp = np.clip(2e6 - 0.2e6 * T, 0, None)
    v = dict(it_power=it, pump_power=0.3e6 + 5e3 * T, fan_power=np.full(8760, 0.1e6),
             chiller_power=0 * it, heat_pump_power=hp)
    v["total_power"] = sum(v.values())
    v.update(heat_exported=3 * hp, heat_delivered=4 * hp, heat_to_air=np.full(8760, 2.3e6),
             network_losses=0 * it, heat_boiler=0 * it, heat_demand=4 * hp)
    v["heat_to_sea"] = v["total_power"] - v["heat_to_air"] - v["heat_delivered"]
    v.update(water_withdrawn=np.full(8760, 1.0), water_consumed=0 * it,
             outdoor_temperature=T, sea_temperature=6 + 0 * T, energy_closure=0 * it)
    ds = xr.Dataset({k: ("time", x, {"units": VARIABLES[k][0]}) for k, x in v.items()},
                    coords={"time": t}, attrs={"time_step_s": 3600.0})
    ds["converged"] = ("time", np.ones(8760, bool))
    return ds


def test_annual_figure_of_a_year_with_heat_pumps(tmp_path):
    ds = _synthetic_year()
    kpis = nt.kpi.eu_kpis(ds, grid_co2="norway_average", by="month")
    fig = plot.annual_kpis(ds, kpis)
    _saved(fig, tmp_path, "annual_year")
    bars, unit = _bars(fig)
    assert all(b.size == 12 for b in bars.values())
    assert bars["heat pumps"].sum() * unit == pytest.approx(
        float(ds["heat_pump_power"].sum()) * 3600, rel=1e-12)
    labels = [ln.get_label() for ln in fig.axes[1].lines]
    assert "PUE, heat pumps inside (daily)" in labels and "PUE, heat pumps outside (daily)" in labels
    daily = next(ln for ln in fig.axes[1].lines if ln.get_label().endswith("outside (daily)"))
    jan1 = ds.isel(time=slice(0, 24))
    assert daily.get_ydata()[0] == pytest.approx(
        float((jan1["total_power"] - jan1["heat_pump_power"]).sum() / jan1["it_power"].sum()))
    erf_ax = next(a for a in fig.axes if a.get_title() == "ERF")
    np.testing.assert_allclose([p.get_height() for p in erf_ax.containers[1]],
                               kpis.data["erf"].sel(boundary="heat_pumps_inside").values)


def test_annual_figure_refuses_bad_input(year):
    with pytest.raises(InputError, match=r"annual_kpis: year= has no variable\(s\) "
                                         r"\['converged'\]"):
        plot.annual_kpis(year.drop_vars("converged"))
    with pytest.raises(InputError, match=r"annual_kpis: year= is a dict; expected an "
                                         r"xarray.Dataset"):
        plot.annual_kpis({"it_power": 1})
    with pytest.raises(InputError, match=r"kpis=str is not the result of nt.kpi.eu_kpis"):
        plot.annual_kpis(year, "pue")
    with pytest.raises(InputError, match=r"period='week'; expected one of"):
        plot.annual_kpis(year, period="week")
    bad = year.copy()
    bad["it_power"].attrs["units"] = "m"
    with pytest.raises(InputError, match=r"'it_power' has units 'm', which cannot be converted"):
        plot.annual_kpis(bad)


# ------------------------------------------------------------- transients
def test_transient_traces_of_a_pump_trip(run, tmp_path):
    fig = plot.transient_traces(run)
    _saved(fig, tmp_path, "transient")
    chips, coolant, flows = fig.axes
    hottest = next(ln for ln in chips.lines if ln.get_label().startswith("hottest: "))
    peak = tr.peak_chip_temperature(run)
    assert max(hottest.get_ydata()) == pytest.approx(peak["temperature"].m_as("degC"), abs=1e-12)
    assert peak["name"] in hottest.get_label()
    # the limits of the chips drawn (GPUs 75 °C; CPUs and switches 85 °C)
    limits = {ln.get_ydata()[0] for ln in chips.lines if ln.get_label().startswith("limit")}
    assert 75.0 in limits
    # the events, on every panel
    for ax in fig.axes:
        vlines = {ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == ":"}
        assert {30.0, 45.0} <= vlines
    assert {t.get_text().strip() for t in chips.texts} == {"cdu0.pump"}
    # flows: the edge the events name comes first; it stops
    first = flows.lines[0]
    assert first.get_label() == "cdu0.pump"
    np.testing.assert_allclose(first.get_ydata(), run["mass_flow"].sel(edge="cdu0.pump"))
    assert flows.get_ylabel() == "mass flow [kg/s]" and coolant.get_ylabel().endswith("[°C]")
    assert fig.axes[-1].get_xlabel() == "time [s]"


def test_transient_traces_of_chosen_chips_in_minutes(run):
    names = [str(n) for n in run["cold_plate"].values[:2]]
    fig = plot.transient_traces(run, chips=names, nodes="cdu0.hx_in", edges=["cdu0.pump"],
                                time_unit="min")
    chips = fig.axes[0]
    drawn = [ln for ln in chips.lines if not ln.get_label().startswith(("limit", "_"))]
    assert [ln.get_label().split(" (")[0] for ln in drawn] == names
    np.testing.assert_allclose(drawn[0].get_xdata(), run["time"].values / 60)
    assert [ln.get_label() for ln in fig.axes[1].lines if ln.get_linestyle() == "-"] == [
        "cdu0.hx_in"]
    assert fig.axes[-1].get_xlabel() == "time [min]"


def test_transient_traces_show_a_ramp_as_a_span():
    net = nt.Network("cdu", fluid=nt.fluids.water())
    net.add_expansion_tank("r", Q_(2, "bar"))
    net.add_pump("pump", "r", "s", curve=(Q_([0, 2, 4], "L/s"), Q_([20, 17, 10], "m")))
    for k in range(3):
        net.add_cold_plate(f"gpu{k}", "s", "rr", heat=Q_(1.0, "kW"),
                           thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(1.5, "L/min"),
                           rated_pressure_drop=Q_(30, "kPa"), max_chip_temperature=Q_(85, "degC"),
                           count=10)
    net.add_heat_exchanger("hx", hot=("rr", "r"), cold=("fi", "fm"), ua=Q_(5, "kW/K"))
    net.add_pipe("fpipe", "fm", "fo", length=Q_(5, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("fi", Q_(3, "bar"), Q_(20, "degC"))
    net.add_pressure_boundary("fo", Q_(2.5, "bar"), Q_(20, "degC"))
    run = tr.simulate(net, duration=Q_(20, "s"), step=Q_(1, "s"), record=("chip_temperature",),
                      events=[tr.ramp(Q_(5, "s"), Q_(10, "s"), "gpu0",
                                      heat=(Q_(1, "kW"), Q_(2, "kW")))])
    fig = plot.transient_traces(run)
    assert len(fig.axes) == 1                  # only the chips were recorded
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_alpha() == 0.15]
    assert len(spans) == 1
    fig.canvas.draw()
    x = spans[0].get_window_extent().transformed(ax.transData.inverted()).intervalx
    assert x[0] == pytest.approx(5.0) and x[1] == pytest.approx(10.0)
    assert max(next(ln for ln in ax.lines if ln.get_label().startswith("hottest"))
               .get_ydata()) == pytest.approx(run.attrs["peak_chip_temperature"])


def test_transient_traces_refuse_bad_input(run):
    with pytest.raises(InputError, match=r"transient_traces: run=str is not a transient run"):
        plot.transient_traces("run")
    with pytest.raises(InputError, match=r"chips='cdu0.rack0.t3.gpu9' is not in the run's "
                                         r"'cold_plate' coordinate.*Did you mean"):
        plot.transient_traces(run, chips="cdu0.rack0.t3.gpu9")
    with pytest.raises(InputError, match=r"chips=5 is not in the run's 'cold_plate'"):
        plot.transient_traces(run, chips=5)
    with pytest.raises(InputError, match=r"nodes= given but the run did not record "
                                         r"'temperature'"):
        plot.transient_traces(run[["chip_temperature", "chip_limit"]], nodes=["cdu0.hx_in"])
    with pytest.raises(InputError, match=r"recorded none of"):
        plot.transient_traces(run.drop_vars(["chip_temperature", "temperature", "mass_flow"]))
    with pytest.raises(InputError, match=r"n_traces=0; expected a whole number"):
        plot.transient_traces(run, n_traces=0)
    with pytest.raises(InputError, match=r"time_unit='d'; expected 'auto' or one of"):
        plot.transient_traces(run, time_unit="d")
    with pytest.raises(InputError, match=r"fig=1 is a int; expected a matplotlib Figure"):
        plot.transient_traces(run, fig=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")         # a given figure is drawn in, no warning
        fig = plt.figure()
        assert plot.transient_traces(run, fig=fig) is fig
