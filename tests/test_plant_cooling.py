"""Validation of the cooling-plant builders (narvik_thermal.plant.cooling).

References used here:
- rated points: the cold plate and quick-disconnect laws must reproduce the
  rated pressure drop at the rated flow exactly (R22: 20 kPa);
- manifold maldistribution: an independent ladder-network solution of the
  same rack (scipy.optimize.root on tray-by-tray pressure balances, with
  Darcy–Weisbach/Churchill manifolds and power-law trays), isothermal so that
  properties are uniform; tolerance 1e-6 relative (both are exact solutions
  of the same equations to solver tolerance);
- CDU approach and flows against hand calculations (ε-NTU, Q = m cp ΔT);
- campus energy balance to 1e-6.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import root

import narvik_thermal as nt
from narvik_thermal.correlations.friction import friction_churchill
from narvik_thermal.errors import InputError
from narvik_thermal.plant import defaults as D
from narvik_thermal.plant.campus import Campus, phase
from narvik_thermal.plant.cdu import CDU
from narvik_thermal.plant.cold_plates import gpu_cold_plate
from narvik_thermal.plant.rack import Rack, rack_network, rack_report
from narvik_thermal.plant.fjord import FjordLoop

Q_ = nt.Q_


@pytest.fixture(scope="module")
def pg():
    return nt.fluids.propylene_glycol(0.25)


@pytest.fixture(scope="module")
def phase1():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return phase(Q_(20, "MW"))


# ------------------------------------------------------------------ rated points
def test_gpu_plate_rated_pressure_drop(pg):
    plate = gpu_cold_plate()
    net = nt.Network("plate")
    net.add_cold_plate("gpu", "a", "b", **plate.network_kwargs())
    net.add_flow_boundary("a", mass_flow=plate.rated_flow, temperature=Q_(25, "degC"))
    net.add_pressure_boundary("b", pressure=Q_(2, "bar"), temperature=Q_(25, "degC"))
    net.set_fluid("a", pg)
    r = net.solve()
    # heated: the boundary's volume flow is at 25 °C, the plate's at its mean
    # temperature (0.3 % more volume); chip = mean coolant + 1.4 kW × R(V) (R22)
    assert r.volume_flow("gpu").m_as("L/min") == pytest.approx(1.8, rel=5e-3)
    t_mean = 0.5 * (25.0 + r.outlet_temperature("gpu").m_as("degC"))
    assert r.chip_temperature("gpu").m_as("degC") == pytest.approx(t_mean + 35.0, abs=0.1)
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


def test_rack_defaults_match_reference():
    rack = Rack()
    assert rack.gpus == 72                                   # R7, R8
    assert rack.it_power.m_as("kW") == pytest.approx(135.0)  # R8, R10, R11
    assert rack.liquid_heat.m_as("kW") == pytest.approx(121.5)
    assert rack.design_flow().m_as("L/min") == pytest.approx(175.5)  # 1.3 L/min/kW, R19
    assert rack.order == "C" * 8 + "S" * 9 + "C" * 10


# ------------------------------------------------------------- maldistribution
def _ladder_reference(rack: Rack, V_total: float, rho: float, mu: float) -> np.ndarray:
    """Tray flows [m³/s] of an isothermal ladder network, solved independently."""
    T = rack.n_trays
    comp = np.array([k == "C" for k in rack.order])
    Dm = rack.manifold_diameter.m_as("m")
    A = 0.25 * np.pi * Dm ** 2
    L = rack.tray_pitch.m_as("m")
    eD = rack.manifold_roughness.m_as("m") / Dm
    K = rack.manifold_tee_loss

    def dp_pipe(V):
        v = V / A
        Re = max(rho * abs(v) * Dm / mu, 1e-9)
        f = float(friction_churchill(Re, eD))
        return (f * L / Dm + K) * 0.5 * rho * v * abs(v)

    def plate_flow(dp, plate):
        n = plate.pressure_exponent
        return plate.rated_flow.m_as("m^3/s") * np.sign(dp) * (abs(dp) / plate.rated_pressure_drop.m_as("Pa")) ** (1 / n)

    qd_dp, qd_V = rack.quick_disconnect_pressure_drop.m_as("Pa"), rack.quick_disconnect_rated_flow.m_as("m^3/s")

    def tray_flow(x, j):
        if comp[j]:
            return rack.gpus_per_tray * plate_flow(x, rack.gpu) + rack.cpus_per_tray * plate_flow(x, rack.cpu)
        return rack.switch_chips_per_tray * plate_flow(x, rack.switch)

    def resid(u):
        x, d0 = u[:T] * 1e4, u[T] * 1e4         # plate Δp per tray; p_s0 - p_r0
        q = np.array([tray_flow(x[j], j) for j in range(T)])
        out = np.empty(T + 1)
        ps, pr = 0.0, -d0
        for j in range(T):
            if j > 0:
                ps -= dp_pipe(q[j:].sum())
                if rack.arrangement == "direct":
                    pr += dp_pipe(q[j:].sum())            # r_j → r_{j-1} carries trays ≥ j
                else:
                    pr -= dp_pipe(q[:j].sum())            # r_{j-1} → r_j carries trays < j
            out[j] = (ps - pr) - (x[j] + qd_dp * (q[j] / qd_V) ** 2)
        out[T] = (q.sum() - V_total) / V_total * 1e4
        return out / 1e3

    u0 = np.r_[np.full(T, 2.0), 3.0]
    sol = root(resid, u0, method="hybr", tol=1e-14)
    assert sol.success
    x = sol.x[:T] * 1e4
    return np.array([tray_flow(x[j], j) for j in range(T)])


@pytest.mark.parametrize("arrangement", ["direct", "reverse"])
def test_manifold_maldistribution_against_ladder_reference(pg, arrangement):
    # isothermal: zero chip heat, so properties are uniform at 25 °C
    zero = dict(heat=Q_(0, "W"))
    rack = Rack(arrangement=arrangement, gpu=gpu_cold_plate(**zero),
                cpu=gpu_cold_plate(**zero, rated_flow=D.CPU_RATED_FLOW.value),
                switch=gpu_cold_plate(**zero, rated_flow=D.SWITCH_RATED_FLOW.value))
    V = 175.5 / 60000.0
    res = rack_network(rack, flow=Q_(V, "m^3/s")).solve()
    rep = rack_report(res, rack=rack)
    T_K = 298.15
    ref = _ladder_reference(rack, V, float(pg.density_pT(T_K)), float(pg.viscosity_pT(T_K)))
    np.testing.assert_allclose(rep.tray_flow.m_as("m^3/s"), ref, rtol=1e-6)
    comp = np.array([k == "C" for k in rack.order])
    assert rep.flow_ratio == pytest.approx(ref[comp].max() / ref[comp].min(), rel=1e-6)


def test_reverse_return_evens_the_flow(pg):
    d = rack_report(rack_network(Rack()).solve())
    r = rack_report(rack_network(Rack(arrangement="reverse")).solve(), rack=Rack(arrangement="reverse"))
    assert r.flow_ratio < d.flow_ratio
    assert d.flow_ratio > 1.05
    assert r.hottest_gpu_temperature < d.hottest_gpu_temperature
    assert d.hottest_chip.startswith("rack.t")


# -------------------------------------------------------------- CDU and campus
def test_phase1_cdu_approach_and_flows_by_hand(phase1):
    c = phase1.campus
    pg, w = nt.fluids.propylene_glycol(0.25), nt.fluids.water()
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
        assert d["duty"].m_as("W") == pytest.approx(eps * Cmin * (hot_in - cold_in), rel=2e-3)
        # approach close to the 3 K design (R19); pump heat adds a little
        assert d["approach"].m_as("K") == pytest.approx(3.0, abs=0.1)
        assert d["supply_temperature"].m_as("degC") == pytest.approx(25.0, abs=0.3)


def test_phase1_energy_balance_and_report(phase1):
    e = phase1.energy
    assert e["relative_residual"] < 1e-6
    assert e["it_heat"].m_as("MW") == pytest.approx(149 * 0.135, rel=1e-9)
    assert e["heat_to_air"].m_as("MW") == pytest.approx(0.1 * e["it_heat"].m_as("MW"), rel=1e-9)
    assert phase1.campus.gpus == 149 * 72
    assert phase1.discharge["within_limit"]
    assert 5 < phase1.discharge["rise"].m_as("K") < 12
    assert phase1.pump_power["total"].m_as("kW") > 0
    s = phase1.summary()
    assert "hottest" in s and "15,000 GPUs" in s and "balance residual" in s
    assert phase1.chips["gpu_max"] >= phase1.chips["gpu_p50"] >= phase1.chips["gpu_min"]


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


def test_discharge_limit_flagged():
    with pytest.warns(nt.PhysicsWarning, match="discharge"):
        r = phase(Q_(1.35, "MW"), fjord=FjordLoop(max_discharge_rise=Q_(5, "K")))
    assert not r.discharge["within_limit"]
    assert any(f.kind == "discharge_over_limit" for f in r.flags)


# ----------------------------------------------------------------------- errors
def test_errors():
    with pytest.raises(InputError, match="15,000 GPUs do not fit in 20 MW"):
        Campus(Q_(20, "MW"), gpus=15000)
    with pytest.raises(InputError, match="arrangement"):
        Rack(arrangement="diagonal")
    with pytest.raises(InputError, match="liquid_fraction"):
        Rack(liquid_fraction=1.5)
    with pytest.raises(nt.UnitError, match="it_power"):
        Campus(20e6)
    with pytest.raises(InputError, match="expand"):
        Campus(Q_(2, "MW"), expand=[99])
    with pytest.raises(InputError, match="differential_pressure"):
        CDU(control="differential_pressure")
    with pytest.raises(InputError, match="give it_power"):
        Campus()
    with pytest.raises(InputError, match="month"):
        FjordLoop(month=13)
    with pytest.raises(nt.UnitError, match="approach"):
        CDU(approach=Q_(3, "degC"))
