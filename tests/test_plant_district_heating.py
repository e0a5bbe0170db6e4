"""Validation of the district-heating layout (narvik_thermal.plant.district_heating):
pipe selection, buried-pair U-values, consumers and layout errors."""

from __future__ import annotations

import doctest
import math

import pytest

import narvik_thermal as nt
import narvik_thermal.plant.district_heating as dh_mod
from narvik_thermal.correlations.buried_pipe import buried_pipe_pair_heat_loss
from narvik_thermal.errors import InputError
from narvik_thermal.plant import district_heating as dhm
from narvik_thermal.plant.district_heating import (Consumer, buried_pair_u_values,
                                                   district_heating_network,
                                                   greenhouse_consumer, select_pipe,
                                                   town_consumers)

Q_ = nt.Q_
C = 273.15


@pytest.mark.parametrize("module", [dhm], ids=["district_heating"])
def test_doctests(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 5 and res.failed == 0


# ------------------------------------------------------------------ pipes
def test_select_pipe_limits_velocity_and_gradient():
    p = select_pipe(Q_(20, "kg/s"))
    v = 20 / 970 / (math.pi * p.d_inner ** 2 / 4)
    assert v <= 1.5
    smaller = dh_mod.pipe_size(125)
    assert 20 / 970 / (math.pi * smaller.d_inner ** 2 / 4) <= 1.5   # velocity alone allows DN125,
    assert p.dn == 150                                              # the 100 Pa/m limit does not
    with pytest.raises(InputError, match="too much for DN1000"):
        select_pipe(Q_(5, "m^3/s"))


def test_u_values_from_buried_pair_by_hand():
    p = dh_mod.pipe_size(200)
    us, ur = buried_pair_u_values(p, Q_(85, "degC"), Q_(45, "degC"), Q_(5, "degC"))
    r = buried_pipe_pair_heat_loss(85 + C, 45 + C, 5 + C, p.d_casing, p.d_steel, 0.027, 1.0,
                                   p.d_casing + 0.15, 1.5)
    assert us.m_as("W/(m*K)") == pytest.approx(r.heat_loss_supply / 80.0, rel=1e-12)
    assert ur.m_as("W/(m*K)") == pytest.approx(r.heat_loss_return / 40.0, rel=1e-12)
    # the pair interaction lowers the return loss below the isolated pipe's U1 value
    assert ur.m_as("W/(m*K)") < r.U_self < us.m_as("W/(m*K)") + r.U_mutual


# ------------------------------------------------------------------ errors
def test_errors():
    with pytest.raises(InputError, match="must exceed return_temperature"):
        district_heating_network([Consumer("a", Q_(1, "MW"))], supply_temperature=Q_(40, "degC"))
    with pytest.raises(InputError, match="upstream 'nowhere' is not a consumer"):
        district_heating_network([Consumer("a", Q_(1, "MW"), upstream="nowhere")])
    with pytest.raises(InputError, match="form a loop"):
        district_heating_network([Consumer("a", Q_(1, "MW"), upstream="b"),
                                  Consumer("b", Q_(1, "MW"), upstream="a")])
    with pytest.raises(InputError, match="duplicate consumer names"):
        district_heating_network([Consumer("a", Q_(1, "MW")), Consumer("a", Q_(1, "MW"))])
    with pytest.raises(InputError, match="reserved"):
        district_heating_network([Consumer("plant", Q_(1, "MW"))])
    with pytest.raises(InputError, match="positive demand"):
        district_heating_network([Consumer("a", Q_(-1, "MW"))])
    with pytest.raises(nt.UnitError):
        district_heating_network([Consumer("a", 1e6)])
    with pytest.raises(InputError, match="not a series"):
        greenhouse_consumer(Q_([-4, 0], "degC"), cover_area=Q_(1e4, "m^2"))
    with pytest.raises(InputError, match="must be >= 1"):
        town_consumers(Q_(1, "MW"), 0)
