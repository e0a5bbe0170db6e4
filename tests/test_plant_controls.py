"""Plant controls solved as part of the steady problem (issue 4, item 3).

The CDU valves hold the TCS supply temperature, the seawater pumps hold the
facility supply temperature; a set-point the plant cannot reach is reported
(``met=False``, a ``setpoint_not_met`` flag, a PhysicsWarning), never faked.
Tolerances: the control tolerance (1e-6 of 100 K = 1e-4 K).
"""

from __future__ import annotations

import pytest

import narvik_thermal as nt
from narvik_thermal.errors import PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.plant.cdu import CDU
from narvik_thermal.plant.fjord import FjordLoop

Q_ = nt.Q_


def test_phase1_with_controls_holds_every_setpoint():
    res = Campus(Q_(20, "MW"), controls=True, fjord=FjordLoop(control=True)).solve()
    assert res.controls and all(c["met"] for c in res.controls.values())
    for cdu in res.cdus:
        assert cdu["supply_temperature"].m_as("degC") == pytest.approx(25.0, abs=1e-3)
    assert not res.flags
    assert res.energy["relative_residual"] < 1e-6


@pytest.mark.xfail(strict=True, raises=nt.ConvergenceError,
                   reason="KNOWN LIMITATION: two CDU valves sharing one facility pump have almost "
                          "no common-mode authority near full opening; the Broyden control "
                          "iteration (solvers/control.py) does not reach the set-point from "
                          "fully open valves and raises ConvergenceError (it no longer "
                          "reports a false saturation). Needs a trust-region/homotopy step.")
def test_reachable_low_setpoint_is_met():
    # the design sizes the facility water from the CDU set-point (15 − 3 K approach),
    # so a 15 °C TCS supply is reachable and must be met
    res = Campus(Q_(2, "MW"), cdu=CDU(supply_temperature=Q_(15, "degC")), controls=True).solve()
    assert all(c["met"] for c in res.controls.values())
    for cdu_r in res.cdus:
        assert cdu_r["supply_temperature"].m_as("degC") == pytest.approx(15.0, abs=1e-3)


def test_unreachable_cdu_supply_is_reported_not_faked():
    # a plant designed for a 25 °C TCS supply (facility water at about 22 °C) is
    # asked for 15 °C after the design: the valves open fully and it stays short
    campus = Campus(Q_(2, "MW"), controls=True)
    campus.build()
    for c in campus.network._controls:
        if c["name"].endswith("supply_temperature"):
            c["setpoint"] = 288.15
    with pytest.warns(PhysicsWarning, match="cannot meet its set-point"):
        res = campus.solve()
    missed = [c for c in res.controls.values() if not c["met"]]
    assert missed and all(c["saturated"] for c in missed)
    assert all(c["actuator"].m == pytest.approx(1.0) for c in missed)   # fully open
    assert any(f.kind == "setpoint_not_met" for f in res.flags)
    for cdu_r in res.cdus:
        assert cdu_r["supply_temperature"].m_as("degC") > 20.0
