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
