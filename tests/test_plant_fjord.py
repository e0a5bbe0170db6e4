"""Validation of the fjord loop (narvik_thermal.plant.fjord): the discharge check."""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal.errors import InputError
from narvik_thermal.plant.campus import phase
from narvik_thermal.plant.fjord import FjordLoop

Q_ = nt.Q_


def test_discharge_limit_flagged():
    with pytest.warns(nt.PhysicsWarning, match="discharge"):
        r = phase(Q_(1.35, "MW"), fjord=FjordLoop(max_discharge_rise=Q_(5, "K")))
    assert not r.discharge["within_limit"]
    assert any(f.kind == "discharge_over_limit" for f in r.flags)


def test_errors():
    with pytest.raises(InputError, match="month"):
        FjordLoop(month=13)


def test_seawater_flow_held_within_the_intakes_suction():
    """A sea warmer than the design's on a small campus (2 MW, design intake 6.5 °C) drove
    the seawater pumps to their upper bound, twice the design flow, through an intake
    that cannot feed them: the suction went to −0.3 bar at 10 °C and −1.5 bar at 12 °C,
    flagged ``negative_pressure`` and ``boiling`` but with the power of an impossible
    state. The upper bound is now the flow at which the pit keeps the pumps' NPSH
    (3 m) above the vapour pressure: the pumps stop there, the facility supply is not
    held (``setpoint_not_met``), and every pressure stays physical."""
    import math

    import numpy as np

    from narvik_thermal.correlations.friction import Reynolds, friction_churchill
    c = nt.plant.Campus(Q_(2, "MW"))
    c.operate(1.0, warn=False)
    fj = c.design["fjord"]
    # the bound by hand: p_atm + ρ g 5 m − p_v − ρ g 3 m = (f L/D + 1.5) ρ v²/2 · f_max²
    sw = nt.fluids.seawater(Q_(fj["salinity"], "g/kg"))
    T = fj["intake_temperature"]
    rho, mu = float(sw.density_pT(T)), float(sw.viscosity_pT(T))
    D = fj["intake_diameter"]
    v = fj["flow"] / (math.pi * D * D / 4)
    f = float(friction_churchill(Reynolds(v, D, rho, mu), 0.05e-3 / D))
    loss = (f * 800.0 / D + 1.5) * 0.5 * rho * v * v
    p_v = 1.0e3            # sea water at 6.5 °C boils at about 0.97 kPa (a tenth of a metre)
    by_hand = math.sqrt((101325.0 + rho * 9.80665 * 5.0 - p_v - rho * 9.80665 * 3.0) / loss)
    assert fj["max_flow_fraction"] == pytest.approx(by_hand, rel=2e-3)
    assert 1.1 < fj["max_flow_fraction"] < 1.4
    for T_sea in (10.0, 14.0):
        op = c.operate(1.0, sea_temperature=Q_(T_sea, "degC"), warn=False)
        kinds = {fl.kind for fl in op.flags}
        assert not kinds & {"negative_pressure", "boiling", "sub_atmospheric"}
        assert "setpoint_not_met" in kinds
        V = op.seawater_flow.m_as("m^3/s")
        assert V == pytest.approx(fj["max_flow_fraction"] * fj["flow"], rel=1e-6)
        p_pit = op.result.pressure("sw.suction").m_as("Pa")
        assert p_pit - p_v >= rho * 9.80665 * 3.0       # the pumps' NPSH kept
        assert op.energy_closure <= 1e-9
    # below the design's water the bound is not reached
    jan = c.operate(1.0, month=1, warn=False)
    assert jan.seawater_flow.m_as("m^3/s") < fj["flow"] * fj["max_flow_fraction"] * 0.999


def test_npsh_required_bad_input():
    with pytest.raises(InputError, match="npsh_required"):
        FjordLoop(npsh_required=Q_(-1, "m"))
