"""The plant's plate heat exchangers at off-design flow (CDU, fjord).

The builders pass each exchanger's sizing flows, its film share from the two
streams' properties and its wall share from the plate data; ``Campus.solve``
solves the design with the sized UA and then references each exchanger to the
flows of that solve, so the as-built network gives back the design point
exactly and any other operating point has UA(flow).
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
from narvik_thermal.components.heat_exchanger import DEFAULT_FLOW_EXPONENT
from narvik_thermal.correlations.hx import ua_off_design
from narvik_thermal.correlations.plate_hx import hot_film_share_plate
from narvik_thermal.plant import defaults as D
from narvik_thermal.plant import sizing
from narvik_thermal.plant.campus import Campus

Q_ = nt.Q_


@pytest.fixture(scope="module")
def small():
    """One CDU of 10 racks and its fjord loop; solved (anchored) once."""
    c = Campus(Q_(1.35, "MW"), racks_per_cdu=10)
    sizing_ref = c.plate_exchangers()
    design = c.solve()
    return c, sizing_ref, design


def test_resistance_split_helpers_by_hand():
    # wall: U (t/k + Rf); titanium 0.5 mm, 7e-5 m2K/W at U = 1/(1/4000 + 7e-5)
    U = 1.0 / (1.0 / 4000.0 + 7e-5)
    assert sizing.plate_wall_share() == pytest.approx(U * (0.5e-3 / 21.9 + 7e-5), rel=1e-12)
    assert sizing.plate_wall_share(u=Q_(4000, "W/(m^2*K)"), plate_conductivity=Q_(13.4, "W/(m*K)"),
                                   fouling=Q_(0, "m^2*K/W")) == pytest.approx(
        4000 * 0.5e-3 / 13.4, rel=1e-12)
    with pytest.raises(nt.InputError, match="whole design resistance"):
        sizing.plate_wall_share(fouling=Q_(1e-3, "m^2*K/W"))
    # film share: h ∝ k Pr^(1/3) (m/mu)^n with the fluid properties
    pg, w = nt.fluids.propylene_glycol(0.25), nt.fluids.water()
    Th, Tc = 303.15, 300.15
    share = sizing.plate_film_share(hot_fluid=pg, cold_fluid=w, hot_temperature=Q_(Th, "K"),
                                    cold_temperature=Q_(Tc, "K"), hot_flow=Q_(30, "kg/s"),
                                    cold_flow=Q_(29, "kg/s"))
    hh = (float(pg.conductivity_pT(Th)) * float(pg.prandtl_pT(Th)) ** (1 / 3)
          * (30 / float(pg.viscosity_pT(Th))) ** DEFAULT_FLOW_EXPONENT)
    hc = (float(w.conductivity_pT(Tc)) * float(w.prandtl_pT(Tc)) ** (1 / 3)
          * (29 / float(w.viscosity_pT(Tc))) ** DEFAULT_FLOW_EXPONENT)
    assert share == pytest.approx(hc / (hh + hc), rel=1e-12)
    assert 0.55 < share < 0.7                      # the glycol film is the larger resistance


def test_film_share_is_martins_ratio_for_close_reynolds_numbers():
    # with the local exponent, the power law gives Martin's own ratio of Nu
    from narvik_thermal.correlations.plate_hx import film_exponent_plate, nusselt_plate_martin
    Re_h, Re_c, Pr_h, Pr_c = 3000.0, 3300.0, 14.0, 6.0
    n = film_exponent_plate(np.sqrt(Re_h * Re_c), 45.0)
    hh = 0.45 * nusselt_plate_martin(Re_h, Pr_h, 45.0)
    hc = 0.61 * nusselt_plate_martin(Re_c, Pr_c, 45.0)
    assert hot_film_share_plate(0.45, 0.61, Pr_h, Pr_c, Re_h / Re_c, n) == pytest.approx(
        hc / (hh + hc), rel=1e-5)


def test_builders_pass_design_flows_and_shares(small):
    c, sizing_ref, design = small
    net = c.network
    cdu = c.design["cdus"][0]
    comp = net.component(f"{cdu['name']}.hx")
    assert comp.hot_film_share[0] == cdu["hx_hot_film_share"]
    assert comp.wall_share[0] == pytest.approx(4000 * 0.5e-3 / 13.4, rel=1e-12)
    assert comp.flow_exponent[0] == DEFAULT_FLOW_EXPONENT
    fj = c.design["fjord"]
    comp = net.component(fj["hx"])
    assert comp.wall_share[0] == pytest.approx(sizing.plate_wall_share(), rel=1e-12)
    assert 0.3 < comp.hot_film_share[0] < 0.6      # the cold seawater film is the larger
    # sizing flows: the CDU's flow per kW and facility ΔT, the fjord's seawater flow
    _, m_tcs, m_fw = sizing_ref[f"{cdu['name']}.hx"]
    assert m_fw == pytest.approx(cdu["facility_mass_flow"], rel=1e-12)
    assert m_tcs == pytest.approx(cdu["flow"] * 1000, rel=0.05)
    units, _, m_sw = sizing_ref[fj["hx"]]
    assert m_sw * units == pytest.approx(fj["mass_flow"], rel=1e-12)


def test_design_solve_references_the_exchangers_and_keeps_the_design(small):
    c, sizing_ref, design = small
    res = design.result
    for name, (count, mh, mc) in c.plate_exchangers().items():
        comp = c.network.component(name)
        # the reference is the design solve's flows per unit (within 1 % of sizing)
        assert comp.hot_design_flow[0] == pytest.approx(
            abs(res.mass_flow(f"{name}:hot").m_as("kg/s")) / count, rel=1e-14)
        assert comp.cold_design_flow[0] == pytest.approx(
            abs(res.mass_flow(f"{name}:cold").m_as("kg/s")) / count, rel=1e-14)
        assert mh == comp.hot_design_flow[0] and mc == comp.cold_design_flow[0]
        assert mh == pytest.approx(sizing_ref[name][1], rel=1e-2)
        assert mc == pytest.approx(sizing_ref[name][2], rel=1e-2)
    # the as-built network, solved from scratch, gives back the design point
    again = c.network.solve()
    np.testing.assert_allclose(again.state.temperature, res.state.temperature, atol=1e-6)
    for name in c.plate_exchangers():
        assert again.heat_exchanger(name)["ua"].m_as("W/K") == pytest.approx(
            res.heat_exchanger(name)["ua"].m_as("W/K"), rel=1e-9)
    assert again.state.record["outer"] <= res.state.record["outer"] + 1
    # and the UA of the design solve is the sized one
    assert res.heat_exchanger(c.design["fjord"]["hx"])["ua"].m_as("W/K") == pytest.approx(
        c.design["fjord"]["ua_per_unit"] * c.design["fjord"]["units"], rel=1e-12)


def test_phase1_design_is_unchanged_and_its_network_is_as_built(phase1):
    # phase 1 is solved with the sized UAs (constant during the design solve);
    # its as-built network has the design as a fixed point
    c = phase1.campus
    assert set(c.plate_exchangers()) == {"cdu0x14.hx", "cdu14.hx", "fjord_hx"}
    again = c.network.solve(initial=phase1.result)
    np.testing.assert_allclose(again.state.temperature, phase1.result.state.temperature,
                               atol=1e-6)
    assert again.state.record["outer"] <= 2


@pytest.mark.parametrize("what", ["seawater", "tcs"])
def test_off_design_ua_by_hand(small, what):
    c, _, design = small
    net = c.network
    fj, cdu = c.design["fjord"], c.design["cdus"][0]
    if what == "seawater":
        pump, flow, hx = fj["pump"], fj["flow"] / fj["duty_pumps"], fj["hx"]
    else:
        pump, flow, hx = f"{cdu['name']}.pump", cdu["flow"] / c.cdu.duty_pumps, f"{cdu['name']}.hx"
    try:
        net.update(pump, flow=Q_(0.7 * flow, "m^3/s"))
        res = net.solve(initial=design.result)
        comp = net.component(hx)
        count = c.plate_exchangers()[hx][0]
        xh = abs(res.mass_flow(f"{hx}:hot").m_as("kg/s")) / count / comp.hot_design_flow[0]
        xc = abs(res.mass_flow(f"{hx}:cold").m_as("kg/s")) / count / comp.cold_design_flow[0]
        assert min(xh, xc) == pytest.approx(0.7, abs=0.01)
        ua0 = design.result.heat_exchanger(hx)["ua"].m_as("W/K") / count
        ua = ua_off_design(ua0, xh, xc, comp.flow_exponent[0], comp.hot_film_share[0],
                           comp.wall_share[0]) * count
        label = ("fjord exchanger, seawater at 70 %" if what == "seawater"
                 else "CDU, TCS flow at 70 %")
        vc.check("plate_hx.campus.ua_by_hand",
                 abs(res.heat_exchanger(hx)["ua"].m_as("W/K") / ua - 1), label=label)
        vc.check("plate_hx.campus.ua_ratio", ua / (ua0 * count), label=label)
        assert res.state.record["outer"] <= design.result.state.record["outer"]
        # the same operating point with a constant UA cools better (it overstates UA)
        hot_out = res.heat_exchanger(hx)["hot_out"].m_as("K")
        net.update(hx, design_flows=None)
        const = net.solve(initial=res)
        vc.check("plate_hx.campus.constant_ua",
                 hot_out - const.heat_exchanger(hx)["hot_out"].m_as("K"), label=label)
    finally:
        net.update(pump, flow=Q_(flow, "m^3/s"))
        net.update(hx, design_flows=(Q_(c.plate_exchangers()[hx][1], "kg/s"),
                                     Q_(c.plate_exchangers()[hx][2], "kg/s")))
    back = net.solve(initial=design.result)
    np.testing.assert_allclose(back.state.temperature, design.result.state.temperature,
                               atol=1e-6)


def test_plate_defaults_are_registered_with_sources():
    # the plate constants of the off-design UA are listed in nt.plant.table(), the
    # metals with their source (Bergman et al. 2011, Table A.1)
    table = D.table()
    for key in ("PHE_PLATE_THICKNESS", "TITANIUM_CONDUCTIVITY", "STAINLESS_CONDUCTIVITY"):
        assert key in table, key
    for key in ("TITANIUM_CONDUCTIVITY", "STAINLESS_CONDUCTIVITY"):
        assert "Bergman" in getattr(D, key).note, key
