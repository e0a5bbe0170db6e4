"""Operating the as-built campus (issue "Operate the as-built plant", item 1 and 3):
sized once, operated at other loads and sea temperatures through updates only,
with the site's electricity in equal to its heat out at every point.
"""

from __future__ import annotations

import copy
import warnings

import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.errors import InputError, PhysicsWarning
from narvik_thermal.plant.campus import Campus


def _design_arrays(campus):
    """Every sized number of the campus and of its built network's components."""
    net = campus.operating_network
    comps = {}
    for b in net.blocks:
        d = b.component.to_data()
        for k in ("heat", "fixed_flow", "opening", "speed", "t_set"):
            d.pop(k, None)          # operating values, not sizes
        comps[b.component.names[0]] = d
    return copy.deepcopy(campus.design), comps


@pytest.fixture(scope="module")
def campus():
    return Campus(Q_(2, "MW"), air_handling="facility")


@pytest.fixture(scope="module")
def points(campus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        before = _design_arrays(campus)
        out = {(m, load): campus.operate(load, month=m) for m in (1, 8) for load in (1.0, 0.4)}
    return before, out


def test_design_is_never_changed_by_operation(campus, points):
    before, _ = points
    after = _design_arrays(campus)
    assert repr(before[0]) == repr(after[0])
    assert before[1] == after[1]


def test_energy_closes_at_every_operating_point(points):
    # electricity (IT, pumps, fans) = heat to the sea + heat to the air, 1e-9
    for key, r in points[1].items():
        assert r.energy_closure <= 1e-9, key
        p, h = r.power, r.heat
        total = sum(p[k].m for k in ("it", "pumps", "fans", "chillers", "heat_pumps"))
        assert p["total"].m == pytest.approx(total, rel=1e-14)
        assert h["to_sea"].m + h["to_air"].m == pytest.approx(total, rel=1e-9), key
        # sea water is withdrawn, not consumed
        assert r.water["withdrawn"].m > 0 and r.water["consumed"].m == 0.0


def test_part_load_means_less_pumping_and_cooler_chips(points):
    out = points[1]
    for m in (1, 8):
        full, part = out[(m, 1.0)], out[(m, 0.4)]
        assert part.power["pumps"] < 0.6 * full.power["pumps"]
        assert part.power["it"].m == pytest.approx(0.4 * full.power["it"].m, rel=1e-12)
        assert part.power["fans"] < full.power["fans"]
        assert part.chips["hottest_temperature"] < full.chips["hottest_temperature"]


def test_colder_sea_means_less_seawater(campus):
    # (at 60 m the fjord is warmest in winter and coldest in summer: compare by the
    # sea temperature, not the month)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        cold = campus.operate(1.0, sea_temperature=Q_(5, "degC"))
        warm = campus.operate(1.0, sea_temperature=Q_(9, "degC"))
    assert cold.seawater_flow < warm.seawater_flow
    assert cold.pump_power["seawater"] < warm.pump_power["seawater"]
    assert cold.energy_closure <= 1e-9 and warm.energy_closure <= 1e-9


def test_setpoints_held_or_flagged(points):
    for key, r in points[1].items():
        for name, c in r.controls.items():
            if c["met"]:
                if name.endswith("supply_temperature") and name.startswith("cdu"):
                    assert c["target"].m_as("degC") == pytest.approx(25.0, abs=1e-3)
                # met: at the set-point (1 mK), or — the seawater's one-sided limit
                # (sense at_most) — colder than it with the pumps at their lowest flow
                err = c["target"].m_as("degC") - c["setpoint"].m_as("degC")
                if name.startswith("seawater"):
                    assert err <= 1e-3, (key, name)
                else:
                    assert abs(err) <= 1e-3, (key, name)
            else:
                assert any(f.kind == "setpoint_not_met" and name in f.elements
                           for f in r.flags), (key, name)
        # a CDU holds its TCS supply, or its control says it cannot (and why)
        for cdu in r.cdus:
            c = r.controls[f"{cdu['name']}.supply_temperature"]
            if c["met"]:
                assert cdu["supply_temperature"].m_as("degC") == pytest.approx(25.0, abs=1e-3)
            else:
                assert c["saturated"], (key, cdu["name"])


def test_sea_temperature_given_directly(campus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r = campus.operate(1.0, sea_temperature=Q_(9, "degC"))
    assert r.operating["sea_temperature"] == pytest.approx(282.15)
    assert r.energy_closure <= 1e-9


def test_bad_operating_points_are_clear_errors(campus):
    with pytest.raises(InputError, match=r"it_load=0.0 must lie in \(0, 1.2\]"):
        campus.operate(0.0)
    with pytest.raises(InputError, match="month=13"):
        campus.operate(1.0, month=13)
    with pytest.raises(nt.UnitError, match="sea_temperature"):
        campus.operate(1.0, sea_temperature=9.0)


def test_outdoor_air_handling_puts_the_room_air_heat_outdoors():
    c = Campus(Q_(2, "MW"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r = c.operate(1.0, month=8)
    air = c.design["air_heat"]
    assert r.heat["to_air"].m > air
    assert r.energy_closure <= 1e-9


# ------------------------------------------------------------------ heat export
@pytest.fixture(scope="module")
def exporting():
    from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec
    cs = town_consumers(Q_(10, "MW"), 4, branches=2, spacing=Q_(200, "m"))
    dh = district_heating_network(list(cs), trunk_length=Q_(5, "km"))
    c = Campus(Q_(20, "MW"), heat_export=HeatExport(
        dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        full = c.operate(1.0)
        half = c.operate(1.0, heat_demand=Q_(5, "MW"))
        part = c.operate(0.5, heat_demand=Q_(5, "MW"))
    return c, full, half, part


def test_heat_export_operates_with_the_town_demand(exporting):
    # the consumers are scaled to the town's demand; what they do not take, the sea does
    c, full, half, part = exporting
    for r in (full, half, part):
        assert r.energy_closure <= 1e-9
        # the heat pumps' condensers = evaporators + electricity; the district-heating
        # side delivers it (plus its pump heat) to the consumers and the pipe losses
        assert abs(r.heat["boiler"].m) < 1e-3        # W: the heat pumps cover the demand
        assert r.heat_export is not None
    assert full.heat["delivered"].m == pytest.approx(10e6, rel=1e-6)
    assert half.heat["delivered"].m == pytest.approx(5e6, rel=1e-6)
    assert part.heat["delivered"].m == pytest.approx(5e6, rel=1e-6)
    # half the demand: about half the heat taken from the facility water, the sea the rest
    assert 0.4 < half.heat["exported"] / full.heat["exported"] < 0.65
    assert half.heat["to_sea"].m == pytest.approx(
        full.heat["to_sea"].m + (full.heat["exported"].m - half.heat["exported"].m), rel=0.02)
    assert half.power["heat_pumps"] < 0.6 * full.power["heat_pumps"]
    # at half IT load the same town demand still gets its heat, with less to the sea
    assert part.heat["to_sea"] < half.heat["to_sea"]


def test_heat_demand_needs_heat_export(campus, exporting):
    with pytest.raises(InputError, match="heat_demand= needs a campus with heat export"):
        campus.operate(1.0, heat_demand=Q_(1, "MW"))
    with pytest.raises(InputError, match="heat_demand"):
        exporting[0].operate(1.0, heat_demand=Q_(-1, "MW"))
