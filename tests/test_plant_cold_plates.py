"""Validation of the cold plates (narvik_thermal.plant.cold_plates).

Rated points: the cold plate and quick-disconnect laws must reproduce the
rated pressure drop at the rated flow exactly (R22: 20 kPa) — a validation case
(``plant.rated_pressure_drop`` in ``tests/validation_cases_site.py``); here the
heated plate.
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal.plant.cold_plates import gpu_cold_plate

Q_ = nt.Q_


def test_gpu_plate_rated_pressure_drop(pg):
    plate = gpu_cold_plate()
    net = nt.Network("plate")
    net.add_cold_plate("gpu", "a", "b", **plate.network_kwargs())
    net.add_flow_boundary("a", mass_flow=plate.rated_flow, temperature=Q_(25, "degC"))
    net.add_pressure_boundary("b", pressure=Q_(2, "bar"), temperature=Q_(25, "degC"))
    net.set_fluid("a", pg)
    r = net.solve()
    # heated: the boundary's volume flow is at 25 °C, the plate's at its mean
    # temperature (0.3 % more volume); chip = coolant inlet + 1.4 kW × R(V)
    # (R22-R24 read as datasheet values, referred to the inlet; this asserted
    # the mean coolant temperature + 35 K before the network took that reference)
    assert r.volume_flow("gpu").m_as("L/min") == pytest.approx(1.8, rel=5e-3)
    assert r.chip_temperature("gpu").m_as("degC") == pytest.approx(25.0 + 35.0, abs=0.1)
    # isothermal, the rated point is reproduced exactly (cold plate 20 kPa, quick
    # disconnect 6 kPa): validation case plant.rated_pressure_drop
    # (tests/validation_cases_site.py)
