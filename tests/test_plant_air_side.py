"""Air-side heat rejection of the campus (issue "Operate the as-built plant", item 4):
dry coolers and cooling towers with trim chillers, sized at the site's design
conditions, operated through the unit models; the site's energy closes at every
point, tower water is consumed, an impossible hour is flagged, not crashed.
"""

from __future__ import annotations

import warnings

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError, PhysicsWarning
from narvik_thermal.plant.air_side import Chiller, CoolingTower, DryCooler
from narvik_thermal.plant.campus import Campus

MARSEILLE = nt.climate.site("marseille")


def op(campus, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        return campus.operate(**kw)


@pytest.fixture(scope="module")
def dry():
    return Campus(Q_(2, "MW"), site=MARSEILLE, heat_rejection=DryCooler())


@pytest.fixture(scope="module")
def tower():
    return Campus(Q_(2, "MW"), site=MARSEILLE, heat_rejection=CoolingTower())


def test_marseille_dry_cooler_gets_a_trim_chiller_and_uses_it_in_summer_only(dry):
    design = dry.operating_design["air_side"]
    assert design.chiller is not None          # 32 °C design day, 22 °C supply
    summer = op(dry, it_load=1.0, month=7)
    winter = op(dry, it_load=1.0, month=1)
    assert summer.power["chillers"].m > 0
    assert winter.power["chillers"].m == 0.0   # free cooling alone in January
    assert summer.power["fans"] > winter.power["fans"]
    for r in (summer, winter):
        assert r.energy_closure <= 1e-9
        assert r.air_side.supply == pytest.approx(273.15 + 22.0, abs=1e-3)
        assert r.water["consumed"].m == 0.0
        h = r.heat
        assert h["to_sea"].m == 0.0
        assert h["to_air"].m == pytest.approx(r.power["total"].m, rel=1e-9)


def test_tower_consumes_water_by_evaporation_and_blowdown(tower):
    r = op(tower, it_load=1.0, month=7)
    assert r.energy_closure <= 1e-9
    w = r.water
    assert w["consumed"].m > 0 and w["withdrawn"].m == pytest.approx(w["consumed"].m)
    # evaporation ≈ heat / latent heat (2.43 MJ/kg at 30 °C); with 4 cycles of
    # concentration the blow-down adds 1/3: within 25 % of that estimate
    q = r.air_side.heat
    est = q / 2.43e6 * (1 + 1 / 3) / 998.2
    assert w["consumed"].m == pytest.approx(est, rel=0.25)


def test_impossible_hour_on_a_dry_cooler_without_chiller_is_flagged_not_crashed():
    c = Campus(Q_(2, "MW"), site=MARSEILLE, heat_rejection=DryCooler(trim_chiller=None))
    r = op(c, it_load=1.0, outdoor_temperature=Q_(45, "degC"), relative_humidity=0.2)
    assert any(f.kind == "heat_rejection_limit" for f in r.flags)
    assert r.air_side.limited and r.air_side.supply > 273.15 + 30
    assert r.power["chillers"].m == 0.0
    assert r.energy_closure <= 1e-9
    # the chips run hotter than at design, and the result says how hot
    assert r.chips["hottest_temperature"].m_as("degC") > 60
    # the supply the network was solved with is the one the air side makes (1 mK),
    # found by secant steps in a few solves (plain substitution took 12 here)
    T_net = r.result.outlet_temperature("rejection").m_as("K")
    assert abs(r.air_side.supply - T_net) <= 1e-3
    assert r.result.convergence["air_side_iterations"] <= 6


def test_explicit_chiller_and_part_load(tower):
    c = Campus(Q_(2, "MW"), site=MARSEILLE,
               heat_rejection=CoolingTower(trim_chiller=Chiller(refrigerant="R134a")))
    full = op(c, it_load=1.0, month=7)
    part = op(c, it_load=0.4, month=7)
    assert part.power["fans"] < full.power["fans"]
    assert part.water["consumed"] < full.water["consumed"]
    assert part.energy_closure <= 1e-9


def test_air_side_needs_a_site_and_a_plant():
    with pytest.raises(InputError, match="site="):
        Campus(Q_(2, "MW"), heat_rejection=DryCooler())
    with pytest.raises(InputError, match="heat_rejection=.fan. is a str; expected a nt.plant.FjordLoop"):
        Campus(Q_(2, "MW"), heat_rejection="fan")
    with pytest.raises(InputError, match="trim_chiller"):
        DryCooler(trim_chiller="yes")
    with pytest.raises(InputError, match="relative_humidity"):
        Campus(Q_(2, "MW"), site=MARSEILLE, heat_rejection=DryCooler()).operate(
            1.0, outdoor_temperature=Q_(30, "degC"), relative_humidity=1.5)


def test_design_point_solve_reports_the_air_side():
    c = Campus(Q_(2, "MW"), site=MARSEILLE, heat_rejection=nt.plant.DryCooler())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r = c.solve()
    assert r.air_side is not None and r.energy_closure <= 1e-9
    assert "dry cooler:" in r.summary() and r.seawater_flow.m == 0.0
