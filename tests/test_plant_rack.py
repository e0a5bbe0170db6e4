"""Validation of the racks (narvik_thermal.plant.rack).

Manifold maldistribution: an independent ladder-network solution of the same
rack (scipy.optimize.root on tray-by-tray pressure balances, with
Darcy–Weisbach/Churchill manifolds and power-law trays), isothermal so that
properties are uniform; tolerance 1e-6 relative (both are exact solutions of
the same equations to solver tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import root

import narvik_thermal as nt
from narvik_thermal.correlations.friction import friction_churchill
from narvik_thermal.errors import InputError
from narvik_thermal.plant import defaults as D
from narvik_thermal.plant.cold_plates import gpu_cold_plate
from narvik_thermal.plant.rack import Rack, rack_network, rack_report

Q_ = nt.Q_


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


# ----------------------------------------------------------------------- errors
def test_errors():
    with pytest.raises(InputError, match="arrangement"):
        Rack(arrangement="diagonal")
    with pytest.raises(InputError, match="liquid_fraction"):
        Rack(liquid_fraction=1.5)


def test_cdu_row_network_is_the_pump_trip_bench():
    """The row of the pump-trip studies (notebook 06, `narvik-thermal transient`): duty
    pump on, standby stopped behind its check valve, the rack heat all to facility water."""
    import narvik_thermal as nt
    net = nt.plant.cdu_row_network(3, facility_temperature="28 degC")
    assert {"pump_a", "pump_b", "check_a", "check_b", "fpipe"} <= set(net.edge_names)
    res = net.solve(warn=False)
    # the closed check valve passes only its leakage floor: < 1e-5 of the duty flow
    duty = res.mass_flow("pump_a").m_as("kg/s")
    assert abs(res.mass_flow("pump_b").m_as("kg/s")) < 1e-5 * duty
    # the CDU takes the racks' liquid heat and the pump's work on the coolant
    liquid = 3 * nt.plant.Rack().liquid_heat.m_as("W")
    pump = res.pump_power("pump_a", kind="hydraulic").m_as("W")
    assert 0 < pump < 0.02 * liquid
    assert res.heat_flow("hx").m_as("W") == pytest.approx(liquid + pump, rel=1e-9)
    one = nt.plant.cdu_row_network(1, standby=False, facility_valve=True)
    assert "pump_b" not in one.edge_names and "fv" in one.edge_names
    with pytest.raises(nt.InputError, match="n_racks"):
        nt.plant.cdu_row_network(0)
    with pytest.raises(nt.InputError, match="facility_temperature"):
        nt.plant.cdu_row_network(2, facility_temperature="5 K/s")
