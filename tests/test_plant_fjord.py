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
