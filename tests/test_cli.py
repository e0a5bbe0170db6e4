"""The command line: every sub-command in-process (``cli.main([...])``), its files read
back, and every user mistake answered by exit status 2 and a message, no traceback."""

from __future__ import annotations

import io
import re
import shlex

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import narvik_thermal as nt
from narvik_thermal import cli
from narvik_thermal.cli import main

Q_ = nt.Q_


def _loop(tmp_path, name="loop.yaml"):
    net = nt.Network("loop", fluid=nt.fluids.water())
    net.add_pump("pump", "a", "b", head=Q_(5, "m"))
    net.add_pipe("pipe", "b", "c", length=Q_(20, "m"), diameter=Q_(25, "mm"))
    net.add_setpoint("cooler", "c", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    path = tmp_path / name
    nt.save_network(net, path)
    return net, path


def _user_error(capsys, argv, *fragments):
    """``main(argv)`` exits 2 with ``narvik-thermal: error:`` and every fragment on stderr,
    no traceback; returns the message."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("narvik-thermal: error: "), err
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, (f, err)
    return err


# ---------------------------------------------------------------------- --help
@pytest.mark.parametrize("command, options", [
    (None, ["demo", "solve", "operate", "annual", "transient", "audit", "Exit status"]),
    ("demo", ["--out", "--no-out", "narvik-demo.nc"]),
    ("solve", ["FILE", "--nodes", "--edges", "--option", "[degC]", "[kg/s]", ".csv or .nc",
               "max_newton=50", "linear_solver=auto", '"initial_temperature=20 degC"']),
    ("operate", ["--site", "--it-power", "--heat-rejection", "--heat-export", "--town-demand",
                 "--trunk-length", "--it-load", "--month", "--sea-temperature",
                 "--outdoor-temperature", "--relative-humidity", "--heat-demand", "--out",
                 "--option", '(default "20 MW")', "80 %"]),
    ("annual", ["--site", "--it-power", "--hours", "--step", "--year", "--renewable-share",
                "--out", "--progress", "--option", "(default 2025)", "--parallel"]),
    ("transient", ["--racks", "--duration", "--step", "--trip-at", "--run-down", "--progress",
                   "--standby-after", "--facility-temperature", "--out", "--option",
                   '(default "60 s")', '(default "none": no failover)', "default 10)"]),
    ("audit", ["--json", "--report", "--claim", "--assume", "--step", "--progress",
               "co2-20kt.displaced_heat=oil", "(default 25;", "heat-85C"]),
])
def test_help_of_every_command(capsys, command, options):
    with pytest.raises(SystemExit) as exc:
        main(([command] if command else []) + ["--help"])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())     # argparse wraps lines
    for o in options:
        assert o in text, (o, text)


def test_unknown_command_and_option_are_usage_errors(capsys):
    for argv in (["fly"], ["solve"], ["transient", "--racks", "two"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        assert "narvik-thermal" in capsys.readouterr().err


# ------------------------------------------------------------------------- demo
def test_demo_prints_key_figures_and_writes_netcdf(tmp_path, capsys):
    path, png = tmp_path / "demo.nc", tmp_path / "demo.png"
    assert main(["demo", "--out", str(path), "--figure", str(png)]) == 0
    text = capsys.readouterr().out
    # the figure: a PNG of two panels (energy flows, chip temperatures), not an empty canvas
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    assert f"chip temperatures written to {png}" in text
    assert "converged=True" in text
    assert "exported" in text and "heat pumps: COP" in text
    assert "balance residual" in text
    # the text describes the heat pump the solve used: refrigerant, stages, units in
    # series, COP, limits and margins (not a Carnot fraction it does not use)
    assert "of Carnot" not in text
    assert re.search(r"R717 vapour-compression heat pumps", text)
    m = re.search(r"R717 (single|two)-stage, (1 unit|\d units in series): COP \d\.\d\d at "
                  r"design; discharge \d+ °C \(limit 180 °C, margin \d+ K\), condensing "
                  r"[\d.]+ bar \(limit 60 bar, margin [\d.]+ bar\); as solved COP ([\d.]+)", text)
    assert m, text
    assert f"heat pumps: COP {m.group(3)}" in text
    # key figures with units, before the summary, equal to the file's
    ds = xr.load_dataset(path)
    assert ds.sizes["node"] > 100 and ds.sizes["edge"] > 100
    assert ds["temperature"].attrs["units"] == "degC" and ds["mass_flow"].attrs["units"] == "kg/s"
    key = text[text.index("Key figures:"):text.index("Campus campus-20MW")]
    for label, var in (("IT power", "it_power"), ("heat to the sea", "heat_to_sea"),
                       ("heat into the heat pumps", "heat_exported"),
                       ("heat-pump electricity", "heat_pump_power"),
                       ("total electricity", "total_power")):
        printed = float(re.search(rf"{label} +([\d.]+) MW", key).group(1))
        assert ds[var].attrs["units"] == "W"
        assert printed == pytest.approx(float(ds[var]) / 1e6, abs=6e-4), label
    cop = float(re.search(r"heat-pump electricity .*\(COP ([\d.]+)\)", key).group(1))
    assert cop == pytest.approx(float(m.group(3)), abs=0.006)
    hot = re.search(r"hottest chip +(\S+) at ([\d.]+) °C \(limit 75.0 °C", key)
    assert float(hot.group(2)) == pytest.approx(float(ds["chip_temperature"].max()), abs=0.006)
    assert float(hot.group(2)) == pytest.approx(float(ds["hottest_chip_temperature"]), abs=0.006)
    assert hot.group(1) == str(ds["edge"].values[np.nanargmax(ds["chip_temperature"].values)])
    ratio = float(re.search(r"total / IT ([\d.]+)", key).group(1))
    assert ratio == pytest.approx(float(ds["total_power"] / ds["it_power"]), abs=1e-4)
    assert ds.attrs["converged"] == 1 and float(ds["energy_closure"]) < 1e-6
    assert f"written to {path}" in text


def test_demo_output_options(capsys, tmp_path, monkeypatch):
    given = []
    monkeypatch.setattr(cli, "demo", lambda out, netcdf, figure: given.append((netcdf, figure))
                        or 0)
    for argv in (["demo"], ["demo", "--no-out"], ["demo", "--out", ""],
                 ["demo", "--figure", "f.svg"]):
        assert main(argv) == 0
    assert given == [("narvik-demo.nc", "narvik-demo.png"), ("", ""), ("", "narvik-demo.png"),
                     ("narvik-demo.nc", "f.svg")]
    monkeypatch.undo()
    _user_error(capsys, ["demo", "--figure", str(tmp_path / "demo.gif")], "--figure=",
                "demo.gif")
    # a bad path is refused before the 20 MW solve
    _user_error(capsys, ["demo", "--out", str(tmp_path / "demo.txt")], "--out=",
                "demo.txt", "must end in .nc")
    out = io.StringIO()
    with pytest.raises(nt.InputError, match="does not exist"):
        cli.demo(out, str(tmp_path / "no" / "demo.nc"))
    assert out.getvalue() == ""


def test_demo_without_matplotlib_says_how_to_get_the_figure(monkeypatch, tmp_path):
    """make demo installs the runtime dependencies only: without matplotlib the figure is
    skipped with a sentence naming the extra, never a traceback."""
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    out = io.StringIO()
    assert cli.demo(out, "", str(tmp_path / "demo.png")) == 0
    assert "Key figures:" in out.getvalue()
    assert 'needs matplotlib (pip install "narvik_thermal[plot]")' in out.getvalue()
    assert not (tmp_path / "demo.png").exists()


# ------------------------------------------------------------------------ solve
@pytest.mark.parametrize("nodes_suffix, edges_suffix", [(".csv", ".nc"), (".nc", ".csv")])
def test_solve_writes_node_and_edge_results(tmp_path, capsys, nodes_suffix, edges_suffix):
    net, path = _loop(tmp_path)
    ref = net.solve(warn=False)
    nodes, edges = tmp_path / f"nodes{nodes_suffix}", tmp_path / f"edges{edges_suffix}"
    assert main(["solve", str(path), "--nodes", str(nodes), "--edges", str(edges)]) == 0
    out = capsys.readouterr().out
    assert "converged: True" in out
    assert f"Node results written to {nodes}" in out and f"Edge results written to {edges}" in out
    for file, ds in ((nodes, ref.nodes), (edges, ref.edges)):
        dim = "node" if ds is ref.nodes else "edge"
        if file.suffix == ".csv":
            table = pd.read_csv(file, index_col=0)
            assert list(table.index) == list(ds[dim].values)
            for var in ds.data_vars:
                unit = ds[var].attrs.get("units")
                col = f"{var} [{unit}]" if unit else var
                got = table[col].to_numpy()
                if ds[var].dtype.kind in "fi":
                    np.testing.assert_allclose(got, ds[var].values, rtol=1e-12, atol=1e-12)
                else:
                    assert list(got) == list(ds[var].values)
        else:
            back = xr.load_dataset(file)
            assert list(back[dim].values) == list(ds[dim].values)
            for var in ds.data_vars:
                assert back[var].attrs.get("units") == ds[var].attrs.get("units"), var
                if ds[var].dtype.kind in "fi":
                    np.testing.assert_allclose(back[var].values, ds[var].values, rtol=1e-12)
    if edges.suffix == ".csv":
        table = pd.read_csv(edges, index_col=0)
        assert {"temperature_in [degC]", "mass_flow [kg/s]", "start", "end"} <= set(table)
        assert table.loc["pump", "start"] == "a" and table.loc["pipe", "end"] == "c"
    else:
        back = xr.load_dataset(edges)
        assert list(back["start"].values) == ["a", "b", "c"]
        assert list(back["kind"].values) == ["pump", "pipe", "setpoint"]


def test_solve_options_reach_the_solver(tmp_path, capsys):
    _, path = _loop(tmp_path)
    # one Newton iteration cannot solve the loop: the last iterate and why, exit 1
    assert main(["solve", str(path), "--option", "max_newton=1"]) == 1
    cap = capsys.readouterr()
    assert "NOT CONVERGED" in cap.out and "did not converge in 1 Newton" in cap.err
    assert "Traceback" not in cap.err
    # properties at 80 °C, not re-evaluated at the solved 20 °C: another flow (slightly),
    # that of the same options given to Network.solve
    edges = tmp_path / "edges.csv"
    assert main(["solve", str(path), "--edges", str(edges), "--option", "max_newton=80",
                 "--option", "couple_properties=false", "--option",
                 "initial_temperature=80 degC", "--option", "linear_solver=splu"]) == 0
    assert "converged: True" in capsys.readouterr().out
    flow = pd.read_csv(edges, index_col=0)["mass_flow [kg/s]"]
    net = nt.load_network(path)
    ref = net.solve(warn=False, couple_properties=False, initial_temperature=353.15)
    assert flow["pipe"] == pytest.approx(ref.mass_flow("pipe").m, rel=1e-12)
    default = net.solve(warn=False).mass_flow("pipe").m
    assert abs(flow["pipe"] - default) > 1e-6 * default


@pytest.mark.parametrize("command", ["solve", "operate", "annual", "transient"])
def test_option_help_shows_the_form_the_parser_takes(tmp_path, capsys, command):
    """Every NAME=VALUE the --option help shows (its examples and each field with its
    default) is taken by the parser as written, quotes as a shell reads them; no
    ``NAME "VALUE"`` form (the parser refuses it)."""
    from dataclasses import fields
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())     # argparse wraps lines
    text = text[text.index("a solver option NAME=VALUE"):]
    end = re.search(r" --(?!option\b)\w", text)               # the next option's help
    text = text[:end.start()] if end else text
    items = [shlex.split(m.group(0))[0] for m in
             re.finditer(r'"\w+=[^"]*"|\b\w+=[^\s,;)"]+', text)]
    items = [i for i in items if not i.startswith("NAME=")]
    names = {i.partition("=")[0] for i in items}
    fields_ = [f.name for f in fields(nt.SolverOptions)]
    assert names == set(fields_), names
    assert "initial_temperature=20 degC" in items
    assert not re.search(rf'\b({"|".join(fields_)}) ["\']', text), text
    if command == "solve":                          # the parser and the solver take them
        _, path = _loop(tmp_path)
        argv = [a for i in items for a in ("--option", i)]
        assert main(["solve", str(path), *argv]) == 0, capsys.readouterr().err
        assert "converged: True" in capsys.readouterr().out


def test_solve_user_mistakes_are_clear(tmp_path, capsys):
    _, path = _loop(tmp_path)
    _user_error(capsys, ["solve", str(path), "--nodes", str(tmp_path / "n.txt")],
                "--nodes=", "n.txt", "must end in .csv or .nc")
    _user_error(capsys, ["solve", str(path), "--edges", str(tmp_path / "no" / "e.csv")],
                "--edges=", "does not exist")
    _user_error(capsys, ["solve", str(tmp_path / "missing.yaml")], "missing.yaml",
                "cannot read the network file")
    (tmp_path / "bad.yaml").write_text("a: [1, 2\n")
    _user_error(capsys, ["solve", str(tmp_path / "bad.yaml")], "bad.yaml", "not valid YAML")
    (tmp_path / "other.yaml").write_text("a: 1\n")
    _user_error(capsys, ["solve", str(tmp_path / "other.yaml")],
                "not a narvik_thermal network file")
    _user_error(capsys, ["solve", str(path), "--option", "max_newtn=3"], "--option",
                "unknown solver option 'max_newtn'", "Did you mean 'max_newton'",
                "temperature_tol")
    _user_error(capsys, ["solve", str(path), "--option", "max_newton=-3"], "--option",
                "max_newton=-3 must be a positive whole number")
    _user_error(capsys, ["solve", str(path), "--option", "max_newton=2.5"], "--option",
                "max_newton must be a whole number")
    _user_error(capsys, ["solve", str(path), "--option", "pressure_rtol=tight"], "--option",
                "pressure_rtol must be a number")
    _user_error(capsys, ["solve", str(path), "--option", "linear_solver=magic"], "--option",
                "linear_solver='magic' must be one of")
    _user_error(capsys, ["solve", str(path), "--option", "check_physics=maybe"], "--option",
                "check_physics is true or false")
    _user_error(capsys, ["solve", str(path), "--option", "max_newton"], "--option",
                "write NAME=VALUE")
    err = _user_error(capsys, ["solve", str(path), "--option", "initial_temperature=20"],
                      "--option initial_temperature='20' is not an absolute temperature",
                      'write e.g. --option "initial_temperature=20 degC".')
    # the form the message shows is one the command line takes
    hint = shlex.split(err[err.index("write e.g. ") + 11:].strip().rstrip("."))
    assert main(["solve", str(path), *hint]) == 0
    capsys.readouterr()
    # nothing was written by the refused commands
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob("*.nc"))


# ---------------------------------------------------------------------- operate
def _record_operate(monkeypatch):
    calls = []
    original = nt.plant.Campus.operate

    def recording(self, *args, **kwargs):
        calls.append((args, kwargs))
        return original(self, *args, **kwargs)
    monkeypatch.setattr(nt.plant.Campus, "operate", recording)
    return calls


def test_operate_prints_the_site_balance_and_writes_netcdf(tmp_path, capsys, monkeypatch):
    calls = _record_operate(monkeypatch)
    path = tmp_path / "op.nc"
    assert main(["operate", "--it-power", "2 MW", "--it-load", "0.6", "--sea-temperature",
                 "5 degC", "--out", str(path), "--option", "max_outer=40", "--option",
                 "initial_temperature=30 degC", "--option", "check-physics=yes"]) == 0
    out = capsys.readouterr().out
    (args, kw), = calls
    assert args == (0.6,) and kw["sea_temperature"].m_as("degC") == pytest.approx(5.0)
    assert kw["max_outer"] == 40 and kw["warn"] is False and kw["check_physics"] is True
    assert kw["initial_temperature"] == pytest.approx(303.15)
    assert "campus-2MW at narvik, fjord; IT load 0.6; conditions: sea temperature 5 degC" in out
    assert "sea temperature at the intake  5.00 °C" in out
    closure = float(re.search(r"site energy closure +([\d.e+-]+) \(relative\)", out).group(1))
    assert closure < 1e-6
    ds = xr.load_dataset(path)
    assert float(ds["energy_closure"]) == pytest.approx(closure, rel=0.06, abs=1e-18)
    assert float(ds["it_power"]) == pytest.approx(0.6 * 15 * 135e3, rel=1e-9)
    it = float(re.search(r"IT power +([\d.]+) MW", out).group(1))
    assert it == pytest.approx(float(ds["it_power"]) / 1e6, abs=6e-4)
    assert ds["heat_to_sea"].attrs["units"] == "W" and float(ds["heat_to_sea"]) > 0
    assert "node" in ds.dims and "edge" in ds.dims
    assert "controls: 3 loops, all set-points met" in out


def test_operate_air_side_plant_takes_outdoor_air(capsys, monkeypatch):
    calls = _record_operate(monkeypatch)
    assert main(["operate", "--site", "marseille", "--it-power", "1 MW", "--month", "7",
                 "--relative-humidity", "80 %", "--outdoor-temperature", "30 degC"]) == 0
    out = capsys.readouterr().out
    (_, kw), = calls
    assert kw["month"] == 7 and kw["relative_humidity"].m == pytest.approx(0.8)
    assert kw["outdoor_temperature"].m_as("degC") == pytest.approx(30.0)
    assert "at marseille, cooling_tower" in out and "site energy closure" in out
    assert "the others from the site's normals of month 7" in out


def test_operate_user_mistakes_are_clear(capsys):
    _user_error(capsys, ["operate", "--site", "marseille", "--sea-temperature", "5 degC"],
                "--sea-temperature='5 degC' applies to a fjord plant")
    _user_error(capsys, ["operate", "--outdoor-temperature", "5 degC"],
                "--outdoor-temperature='5 degC' applies to an air-side plant")
    _user_error(capsys, ["operate", "--heat-demand", "5 MW"], "--heat-demand='5 MW' needs "
                "--heat-export")
    _user_error(capsys, ["operate", "--month", "13"], "--month=13 must be 1–12")
    _user_error(capsys, ["operate", "--it-load", "0"], "--it-load=0 must lie in (0, 1.2]")
    _user_error(capsys, ["operate", "--it-power", "-1 MW"], "--it-power='-1 MW' must be "
                "positive")
    _user_error(capsys, ["operate", "--sea-temperature", "5 K/s"], "--sea-temperature='5 K/s' "
                "is not an absolute temperature", "[temperature] / [time]")
    _user_error(capsys, ["operate", "--sea-temperature", "5 delta_degC"],
                "it is a temperature difference")
    _user_error(capsys, ["operate", "--site", "marseille", "--relative-humidity", "1.5"],
                "--relative-humidity='1.5' must lie in (0, 1]")
    _user_error(capsys, ["operate", "--out", "op.csv"], "--out='op.csv'", "must end in .nc")
    _user_error(capsys, ["operate", "--option", "tol=1"], "unknown solver option 'tol'")


# ----------------------------------------------------------------------- annual
def test_annual_command_prints_kpis_and_writes_netcdf(tmp_path, capsys):
    path = tmp_path / "year.nc"
    rc = main(["annual", "--it-power", "2 MW", "--hours", "12", "--step", "6",
               "--out", str(path), "--no-progress", "--renewable-share", "1"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "campus-2MW at narvik, fjord" in out and "2 operating points every 6 h" in out
    assert "| power usage effectiveness PUE | 1 |" in out
    assert "| renewable energy factor REF | 1 | 1 | 1 |" in out
    year = xr.load_dataset(path)
    assert year.sizes["time"] == 2 and year.attrs["time_step_s"] == 6 * 3600.0
    assert bool(year["converged"].all())


def test_annual_command_in_parallel(tmp_path, capsys):
    # --parallel: the hours in blocks on a local dask cluster, the same KPI table
    pytest.importorskip("distributed")
    args = ["annual", "--it-power", "2 MW", "--hours", "4", "--no-progress"]
    assert main(args) == 0
    serial = capsys.readouterr().out
    path = tmp_path / "par.nc"
    assert main(args + ["--parallel", "--out", str(path)]) == 0
    par = capsys.readouterr().out
    pick = [ln for ln in serial.splitlines() if ln.startswith("| power usage effectiveness")]
    assert pick and pick[0] in par
    year = xr.load_dataset(path)
    assert year.sizes["time"] == 4 and bool(year["converged"].all())


def test_annual_command_with_heat_export_and_an_air_side_site(tmp_path, capsys, monkeypatch):
    path = tmp_path / "year.csv"
    calls = _record_operate(monkeypatch)
    assert main(["annual", "--it-power", "2 MW", "--hours", "1", "--heat-export",
                 "--town-demand", "1 MW", "--no-progress", "--out", str(path),
                 "--option", "temperature_tol=1e-7"]) == 0
    out = capsys.readouterr().out
    assert "with heat export to a 1 MW town" in out and "heat_delivered" in out
    assert calls[0][1]["temperature_tol"] == 1e-7
    table = pd.read_csv(path, index_col=0)
    assert len(table) == 1 and table["heat_delivered [W]"].iloc[0] > 0
    assert "total_power [W]" in table and "sea_temperature [degC]" in table
    assert main(["annual", "--site", "marseille", "--it-power", "1 MW", "--hours", "1",
                 "--no-progress"]) == 0
    assert "at marseille, cooling_tower" in capsys.readouterr().out


def test_annual_command_bad_arguments_are_clear(capsys):
    _user_error(capsys, ["annual", "--it-power", "2 parsecs"],
                "--it-power='2 parsecs' is not a quantity in W units", "[length]")
    _user_error(capsys, ["annual", "--it-power", "lots"], "--it-power='lots'",
                "'<number> <unit>'", '--it-power "20 MW"')
    _user_error(capsys, ["annual", "--site", "oslo"], "unknown site 'oslo'")
    _user_error(capsys, ["annual", "--step", "0"], "--step=0")
    _user_error(capsys, ["annual", "--out", "year.txt"], "--out='year.txt'",
                "must end in .nc or .csv")
    _user_error(capsys, ["annual", "--heat-export", "--trunk-length", "5 MW"],
                "--trunk-length='5 MW' is not a quantity in m units")


# -------------------------------------------------------------------- transient
_SHORT = ["transient", "--racks", "1", "--duration", "4 s", "--step", "0.1 s", "--trip-at", "1 s"]


def test_transient_writes_time_series_and_prints_its_peak(tmp_path, capsys):
    path = tmp_path / "trip.nc"
    assert main(_SHORT + ["--out", str(path)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "transient" in captured.err and "40/40" in captured.err     # the progress bar
    run = xr.load_dataset(path)
    assert run.sizes["time"] == 41 and run["time"].values[-1] == pytest.approx(4.0)
    assert set(run["chip_temperature"].dims) == {"time", "cold_plate"}
    assert run["chip_temperature"].attrs["units"] == "degC"
    m = re.search(r"Peak: (\S+) at ([\d.]+) °C, ([\d.]+) s into the run", out)
    assert float(m.group(2)) == pytest.approx(float(run["chip_temperature"].max()), abs=0.006)
    hot = int(np.argmax(run["chip_temperature"].max("time").values))
    assert m.group(1) == str(run["cold_plate"].values[hot])
    # without a standby the chips pass their limit about a second after the trip
    ttl = float(re.search(r"until a chip reaches its limit: ([\d.]+) s", out).group(1))
    assert ttl == pytest.approx(nt.transient.time_to_limit(run, after=Q_(1, "s")).m, abs=0.006)
    assert 0.5 < ttl < 2.0
    assert run.attrs["limit_reached"] == 1 and run.attrs["time_to_limit_s"] == pytest.approx(ttl,
                                                                                              abs=0.006)
    # the duty pump stopped at the trip, the standby never ran
    flow = run["mass_flow"].sel(edge="pump_a")
    assert float(flow.sel(time=0.0)) > 1.0 and abs(float(flow.sel(time=2.0))) < 1e-6
    assert np.all(np.abs(run["mass_flow"].sel(edge="pump_b").values) < 1e-3)
    assert "No chip reaches" not in out


def test_transient_standby_and_run_down_lower_the_peak(capsys):
    peaks = {}
    for label, extra in (("trip", []), ("standby", ["--standby-after", "0.3 s"]),
                         ("run-down", ["--standby-after", "1 s", "--run-down", "1.5 s"]),
                         ("instant", ["--standby-after", "1 s"])):
        assert main(_SHORT + extra) == 0
        out = capsys.readouterr().out
        peaks[label] = float(re.search(r"Peak: \S+ at ([\d.]+) °C", out).group(1))
        if label == "standby":
            assert "No chip reaches its limit within the run." in out
            assert "standby pump starts 0.3 s later" in out
    assert peaks["standby"] < peaks["instant"] < peaks["trip"]
    assert peaks["run-down"] < peaks["instant"]


def test_transient_user_mistakes_are_clear(capsys):
    _user_error(capsys, _SHORT + ["--step", "0.3 s"], "--step='0.3 s' does not divide "
                "--duration='4 s'")
    _user_error(capsys, _SHORT + ["--trip-at", "6 s"], "--trip-at='6 s' must be before the "
                "end of the run")
    _user_error(capsys, _SHORT + ["--standby-after", "3 s"], "--standby-after='3 s'",
                "at or after the end of the run")
    _user_error(capsys, _SHORT + ["--racks", "0"], "--racks=0 must be")
    _user_error(capsys, _SHORT + ["--duration", "5 m"], "--duration='5 m' is not a quantity "
                "in s units")
    _user_error(capsys, _SHORT + ["--run-down", "-1 s"], "--run-down='-1 s' must be at least")
    _user_error(capsys, _SHORT + ["--facility-temperature", "hot"], "--facility-temperature="
                "'hot' is not an absolute temperature")
    _user_error(capsys, _SHORT + ["--out", "trip.csv"], "--out='trip.csv'", "must end in .nc")
    # the solver options reach the row's solves: one Newton iteration does not converge
    assert main(_SHORT + ["--option", "max_newton=1"]) == 1
    err = capsys.readouterr().err
    assert "did not converge in 1 Newton" in err and "Traceback" not in err


# ---------------------------------------------------------------- odd endings
def test_a_closed_output_pipe_ends_quietly(tmp_path, monkeypatch, capsys):
    """``narvik-thermal solve FILE | head``: the reader closes the pipe; no traceback."""
    _, path = _loop(tmp_path)

    class Closed(io.StringIO):
        def write(self, s):
            raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr("sys.stdout", Closed())
    assert main(["solve", str(path)]) == 1
    assert "Traceback" not in capsys.readouterr().err



def test_an_interrupted_run_ends_quietly(tmp_path, monkeypatch, capsys):
    """Ctrl-C during a long run: status 130 and one line, no traceback."""
    _, path = _loop(tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(nt.Network, "solve", interrupted)
    assert main(["solve", str(path)]) == 130
    err = capsys.readouterr().err
    assert err == "narvik-thermal: interrupted\n"


# ----------------------------------------------------------------------- audit
def test_audit_json_gives_every_claim_a_verdict(tmp_path, capsys):
    """The issue's acceptance: ``narvik-thermal audit --json`` gives every claim id with a
    verdict (a coarse step keeps it short; the verdicts do not depend on it)."""
    import json
    report = tmp_path / "audit.html"
    assert main(["audit", "--json", "--step", "241", "--no-progress",
                 "--report", str(report)]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)                        # nothing but JSON on stdout
    assert [d["id"] for d in data] == list(nt.audit.CLAIMS)
    for d in data:
        assert {"id", "claim", "model", "assumptions", "verdict"} <= set(d)
        assert d["verdict"] in nt.audit.VERDICTS
    page = report.read_text(encoding="utf-8")
    assert all(f"id='{i}'" in page for i in nt.audit.CLAIMS)
    assert f"Report written to {report}" in captured.err


def test_audit_scenario_assumption_reaches_the_runs(capsys, monkeypatch):
    made = []
    real = nt.audit.Scenario

    def spy(**kw):
        made.append(kw)
        return real(**kw)
    monkeypatch.setattr(nt.audit, "Scenario", spy)
    assert main(["audit", "--claim", "gpus-20MW", "--no-progress", "--step", "49",
                 "--assume", "scenario.annual_residential_heat=80 GWh",
                 "--assume", "scenario.it_load=0.8"]) == 0
    assert made == [{"step": 49, "progress": False, "annual_residential_heat": "80 GWh",
                     "it_load": 0.8}]
    capsys.readouterr()


def test_audit_text_one_claim_and_an_assumption(capsys):
    assert main(["audit", "--claim", "gpus-20MW", "--assume", "gpus-20MW.gpus=9000",
                 "--assume", "gpus-20MW.rack_power_range=120 kW,140 kW"]) == 0
    out = capsys.readouterr().out
    assert "[gpus-20MW]" in out and "verdict: holds" in out and "125 NVL72 racks" in out
    assert "[heat-85C]" not in out
    assert "15.0–17.5 MW over the rack-power range" in out        # 125 × 120 / 140 kW


def test_audit_user_mistakes_are_clear(capsys, tmp_path):
    _user_error(capsys, ["audit", "--assume", "co2-20kt=oil"], "--assume 'co2-20kt=oil'",
                "CLAIM.NAME=VALUE")
    _user_error(capsys, ["audit", "--claim", "gpus-20MW", "--assume", "gpus-20MW.gpu=3"],
                "no argument 'gpu'", "Did you mean 'gpus'")
    _user_error(capsys, ["audit", "--report", str(tmp_path / "r.pdf")], "--report")
    _user_error(capsys, ["audit", "--step", "0"], "--step=0")
    _user_error(capsys, ["audit", "--assume", "scenario.it_lod=0.5"], "no argument 'it_lod'",
                "it_load")
    with pytest.raises(SystemExit) as exc:
        main(["audit", "--claim", "moon-landing"])
    assert exc.value.code == 2
    assert "invalid choice: 'moon-landing'" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"narvik-thermal (narvik_thermal {nt.__version__})"
