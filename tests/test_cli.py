"""The command line: the demo prints a solved summary; solve reads a network file."""

from __future__ import annotations

import io

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
