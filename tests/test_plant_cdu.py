"""Validation of the CDUs (narvik_thermal.plant.cdu).

- CDU approach and flows against hand calculations (ε-NTU, Q = m cp ΔT;
  validation cases ``plant.cdu.*``);
- a replicated CDU row against the same row expanded rack by rack;
- the CDU valves hold the TCS supply temperature as part of the steady
  problem; a set-point the plant cannot reach is reported (``met=False``, a
  ``setpoint_not_met`` flag, a PhysicsWarning), never faked. Tolerances: the
  control tolerance (1e-6 of 100 K = 1e-4 K).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
from narvik_thermal.errors import InputError, PhysicsWarning
from narvik_thermal.plant.campus import Campus
from narvik_thermal.plant.cdu import CDU

Q_ = nt.Q_


def test_phase1_cdu_approach_and_flows_by_hand(phase1):
    c = phase1.campus
    pg, w = nt.fluids.propylene_glycol(0.25), nt.fluids.water()
    duty_dev, approaches = [], []
    for d in phase1.cdus:
        it = d["racks"] * 135e3
        # flow per kW (R19): 1.3 L/min/kW
        assert d["tcs_flow"].m_as("L/min") == pytest.approx(1.3e-3 * it, rel=1e-9)
        # duty = liquid heat + pump heat of the loop
        pump_heat = phase1.result.heat_flow(f"{d['name']}.pump").m_as("W") / d["count"]
        assert d["duty"].m_as("W") == pytest.approx(0.9 * it + pump_heat, rel=1e-6)
        # hand ε-NTU: with the solved inlet temperatures and flows the duty follows
        hot_in = d["return_temperature"].m_as("K")
        cold_in = d["facility_supply_temperature"].m_as("K")
        m_h = phase1.result.mass_flow(f"{d['name']}.hx:hot").m_as("kg/s") / d["count"]
        m_c = d["facility_flow"].m_as("kg/s")
        t_h = 0.5 * (hot_in + d["supply_temperature"].m_as("K"))
        t_c = 0.5 * (cold_in + d["facility_return_temperature"].m_as("K"))
        Ch, Cc = m_h * float(pg.cp_pT(t_h)), m_c * float(w.cp_pT(t_c))
        ua = c.design["cdus"][[i["name"] for i in c.design["cdus"]].index(d["name"])]["ua"]
        Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
        eps = nt.correlations.hx.effectiveness_from_NTU(ua / Cmin, Cmin / Cmax)
        duty_dev.append(abs(d["duty"].m_as("W") / (eps * Cmin * (hot_in - cold_in)) - 1))
        approaches.append(d["approach"].m_as("K"))
        assert d["supply_temperature"].m_as("degC") == pytest.approx(25.0, abs=0.3)
    # tolerances: validation cases plant.cdu.duty and plant.cdu.approach (3 K design, R19)
    vc.check("plant.cdu.duty", max(duty_dev))
    design = vc.by_id("plant.cdu.approach").reference
    worst = max(approaches, key=lambda a: abs(a - design))
    vc.check("plant.cdu.approach", abs(worst - design), ours=worst)


def test_replicated_equals_expanded_row(pg):
    """A replicated CDU row and the same row expanded rack by rack give the same
    CDU duty; the expanded row shows header maldistribution."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = Campus(Q_(1.35, "MW"), racks_per_cdu=10).solve()
        exp = Campus(Q_(1.35, "MW"), racks_per_cdu=10, expand=True).solve()
    assert rep.energy["relative_residual"] < 1e-6 and exp.energy["relative_residual"] < 1e-6
    a, b = rep.cdus[0], exp.cdus[0]
    assert b["duty"].m_as("W") == pytest.approx(a["duty"].m_as("W"), rel=1e-3)
    assert len(b["rack_flow"]) == 10 and len(a["rack_flow"]) == 1
    # same total flow (volume flows differ by the density at the rack's temperature)
    assert b["rack_flow"].m_as("L/min").mean() == pytest.approx(a["rack_flow"].m_as("L/min")[0], rel=1e-3)
    assert b["rack_flow"].m_as("L/min").max() > b["rack_flow"].m_as("L/min").min()


def _unit_fields(net, name):
    """The per-unit fields of one unit of a component (every array of its kind)."""
    comp = net.component(name)
    k = list(comp.names).index(name)
    return {f: v[k] for f, v in vars(comp).items()
            if isinstance(v, np.ndarray) and len(v) == len(comp.names)}


@pytest.mark.parametrize("control", ["flow", "differential_pressure"])
def test_all_cdus_in_one_call_equal_each_cdus_own(pg, control):
    """A campus adds every CDU in one ``add_cdus`` call (one ``add_*`` per kind of
    edge, loops of equal size sized once) and their racks in one ``add_racks`` call
    (``racks=rows``, then ``add_rack_rows``): the same components, counts, controls
    and solution as each CDU added by its own ``add_cdu`` with its own racks (an
    expanded and two replicated loops of two sizes; differential-pressure control
    gives one pump curve per size)."""
    from narvik_thermal.fluids import water
    from narvik_thermal.plant.cdu import add_cdu, add_cdus, add_rack_rows
    from narvik_thermal.plant.rack import Rack

    cdu = CDU(control=control, differential_pressure=Q_(1.5, "bar"))
    blocks = [("a", 3, 1, True), ("b", 4, 2, False), ("c", 3, 3, False)]

    def build(deferred):
        net = nt.Network("three-cdus")
        if deferred:
            rows = []
            infos = add_cdus(net, blocks, Rack(), cdu, ("fs", "fr"), pg, water(), True, rows)
            assert [len(r[0]) for r in rows] == [3, 1, 1]
            add_rack_rows(net, rows, Rack())
        else:
            infos = [add_cdu(net, nm, n, Rack(), cdu, count, ("fs", "fr"), expanded, pg,
                             water(), True) for nm, n, count, expanded in blocks]
        # facility water at a pressure difference: each CDU valve holds its own loop
        net.add_pressure_boundary("fs", pressure=Q_(3, "bar"), temperature=Q_(20, "degC"))
        net.add_pressure_boundary("fr", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
        net.set_fluid("fs", water())
        return net, infos

    (own, info_a), (one, info_b) = build(False), build(True)
    assert info_a == info_b
    a, b = own.compile(), one.compile()
    assert sorted(a.edge_names) == sorted(b.edge_names)
    assert sorted(a.node_names) == sorted(b.node_names)
    assert a.count[[a.edge_index[n] for n in a.edge_names]].tolist() == \
        b.count[[b.edge_index[n] for n in a.edge_names]].tolist()
    assert b.count[b.edge_index["b.rack0.t0.gpu0"]] == 8          # 2 loops × 4 racks
    assert sorted(map(repr, own.controls)) == sorted(map(repr, one.controls))
    assert len(one.controls) == (6 if control == "differential_pressure" else 3)
    for nm in ("a.pump", "b.pump", "c.pump", "c.hx", "a.fw_valve", "b.feed", "a.hseg1",
               "a.rseg0", "c.fw_branch_r", "b.strainer"):
        fa, fb = _unit_fields(own, nm), _unit_fields(one, nm)
        assert fa.keys() == fb.keys()
        for f in fa:
            assert np.array_equal(fa[f], fb[f], equal_nan=True), (nm, f)
    ra, rb = own.solve(), one.solve()
    held = "c.supply_temperature"
    assert ra.controls[held]["met"] and rb.controls[held]["met"]
    for n in ("a.rack2.t17.gpu3", "b.rack0.t5.cpu1", "a.hx", "c.hx"):
        assert rb.heat_flow(n).m_as("W") == pytest.approx(ra.heat_flow(n).m_as("W"), rel=1e-7)
    for n in ("a.rack0.r0", "b.supply", "c.return"):
        assert rb.temperature(n).m_as("K") == pytest.approx(ra.temperature(n).m_as("K"),
                                                            abs=1e-7)


# --------------------------------------------------------------------- controls
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
    for c in campus.network.controls:
        if c.name.endswith("supply_temperature"):
            campus.network.update_control(c.name, setpoint=Q_(15, "degC"))
    with pytest.warns(PhysicsWarning, match="cannot meet its set-point"):
        res = campus.solve()
    missed = [c for c in res.controls.values() if not c["met"]]
    assert missed and all(c["saturated"] for c in missed)
    assert all(c["actuator"].m == pytest.approx(1.0) for c in missed)   # fully open
    assert any(f.kind == "setpoint_not_met" for f in res.flags)
    for cdu_r in res.cdus:
        assert cdu_r["supply_temperature"].m_as("degC") > 20.0


# ----------------------------------------------------------------------- errors
def test_errors():
    with pytest.raises(InputError, match="differential_pressure"):
        CDU(control="differential_pressure")
    with pytest.raises(nt.UnitError, match="approach"):
        CDU(approach=Q_(3, "degC"))
