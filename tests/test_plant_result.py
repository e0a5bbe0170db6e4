"""Validation of the plant report (narvik_thermal.plant.result): campus energy
balance to 1e-6, discharge, pump power, chip-temperature quantiles, summary."""

from __future__ import annotations

import pytest


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
