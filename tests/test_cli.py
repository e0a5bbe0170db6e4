"""The command line: the demo prints a solved summary; solve reads a network file."""

from __future__ import annotations

import io
import re

import narvik_thermal as nt
from narvik_thermal.cli import demo, main

Q_ = nt.Q_


def test_demo_prints_a_solved_summary():
    out = io.StringIO()
    assert demo(out) == 0
    text = out.getvalue()
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


def test_solve_command_reads_a_network_file(tmp_path, capsys):
    net = nt.Network("loop", fluid=nt.fluids.water())
    net.add_pump("pump", "a", "b", head=Q_(5, "m"))
    net.add_pipe("pipe", "b", "c", length=Q_(20, "m"), diameter=Q_(25, "mm"))
    net.add_setpoint("cooler", "c", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    path = tmp_path / "loop.yaml"
    nt.save_network(net, path)
    assert main(["solve", str(path)]) == 0
    assert "converged: True" in capsys.readouterr().out


def test_annual_command_prints_kpis_and_writes_netcdf(tmp_path, capsys):
    import xarray as xr
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


def test_annual_command_with_heat_export_and_an_air_side_site(capsys):
    assert main(["annual", "--it-power", "2 MW", "--hours", "1", "--heat-export",
                 "--town-demand", "1 MW", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "with heat export to a 1 MW town" in out and "heat_delivered" in out
    assert main(["annual", "--site", "marseille", "--it-power", "1 MW", "--hours", "1",
                 "--no-progress"]) == 0
    assert "at marseille, cooling_tower" in capsys.readouterr().out


def test_annual_command_bad_arguments_are_clear(capsys):
    assert main(["annual", "--it-power", "2 parsecs"]) == 2
    err = capsys.readouterr().err
    assert "--it-power='2 parsecs' is not a quantity in W units" in err
    assert "Traceback" not in err
    assert main(["annual", "--site", "oslo"]) == 2
    assert "unknown site 'oslo'" in capsys.readouterr().err
    assert main(["annual", "--step", "0"]) == 2
    assert "--step=0" in capsys.readouterr().err
