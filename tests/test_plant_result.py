"""Validation of the plant report (narvik_thermal.plant.result): campus energy
balance to 1e-6, discharge, pump power, chip-temperature quantiles, summary."""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_


def test_phase1_energy_balance_and_report(phase1):
    e = phase1.energy
    assert e["relative_residual"] < 1e-6
    assert e["it_heat"].m_as("MW") == pytest.approx(149 * 0.135, rel=1e-9)
    assert e["heat_to_air"].m_as("MW") == pytest.approx(0.1 * e["it_heat"].m_as("MW"), rel=1e-9)
    assert phase1.campus.gpus == 149 * 72
    assert phase1.discharge["within_limit"]
    assert 5 < phase1.discharge["rise"].m_as("K") < 12
    assert phase1.pump_power["total"].m_as("kW") > 0
    s = phase1.summary()
    assert "hottest" in s and "15,000 GPUs" in s and "balance residual" in s
    assert phase1.chips["gpu_max"] >= phase1.chips["gpu_p50"] >= phase1.chips["gpu_min"]


def test_summary_names_the_seawater_of_the_operating_point():
    """The summary's seawater line gives the intake of the point solved. Before, an
    operating point in January printed the design water (6.47 °C, "month 8")."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = nt.plant.Campus(Q_(2, "MW"))
        jan = c.operate(0.9, month=1, warn=False)
        design = c.solve()
    line = next(x for x in jan.summary().splitlines() if "seawater:" in x)
    t = jan.operating["sea_temperature"] - 273.15
    assert f"from {t:.2f} °C" in line and "(this point)" in line
    assert abs(t - (c.design["fjord"]["intake_temperature"] - 273.15)) > 0.5
    dline = next(x for x in design.summary().splitlines() if "seawater:" in x)
    assert f"from {c.design['fjord']['intake_temperature'] - 273.15:.2f} °C" in dline
    assert "design" in dline
