"""Validation of the cold plates (narvik_thermal.plant.cold_plates).

Rated points: the cold plate and quick-disconnect laws must reproduce the
rated pressure drop at the rated flow exactly (R22: 20 kPa).
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal.plant.cold_plates import gpu_cold_plate
from narvik_thermal.plant.rack import Rack

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
    # isothermal: the rated point is reproduced exactly
    for kind, spec in (("plate", plate.network_kwargs() | {"heat": Q_(0, "W")}),):
        net = nt.Network("plate0")
        net.add_cold_plate("gpu", "a", "b", **spec)
        net.add_heat_load("qd", "b", "c", heat=Q_(0, "W"), pressure_drop=Rack().quick_disconnect_pressure_drop,
                          rated_flow=plate.rated_flow, pressure_exponent=2.0)
        net.add_flow_boundary("a", mass_flow=plate.rated_flow, temperature=Q_(25, "degC"))
        net.add_pressure_boundary("c", pressure=Q_(2, "bar"), temperature=Q_(25, "degC"))
        net.set_fluid("a", pg)
        r = net.solve()
        assert r.pressure_drop("gpu").m_as("kPa") == pytest.approx(20.0, rel=1e-9)
        assert r.pressure_drop("qd").m_as("kPa") == pytest.approx(6.0, rel=1e-9)
