"""Cross-checks of the network solver against established tools on shared physics.

The same network is solved by narvik_thermal and by

- EPANET 2.2 through WNTR (``wntr.sim.EpanetSimulator``), Darcy–Weisbach head
  loss, a 3-point pump curve;
- pandapipes (``pipeflow``, Colebrook friction), hydraulics and heat loss of
  pipes to the ground.

Shared physics, different numerics: the friction factor of each tool is a
different approximation of Colebrook (Churchill 1977 here, Swamee–Jain 1976 in
EPANET, Colebrook iterated in pandapipes), so the tolerances are derived from
the friction-factor differences at the solved Reynolds numbers (computed in
each test, stated in the assertion messages), not picked.

Fluid: a tabulated constant-property fluid with the density and kinematic
viscosity the other tool assumes, so that the *fluid* is identical and only
the friction law differs.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
from narvik_thermal import Q_
from narvik_thermal.correlations import friction as fr

pytestmark = pytest.mark.reference

P_ATM = 101325.0


def const_fluid(name, rho, mu, cp=4182.0):
    return nt.fluids.tabulated(
        name, temperature=Q_([-20.0, 150.0], "degC"), density=Q_([rho, rho], "kg/m^3"),
        specific_heat=Q_([cp, cp], "J/(kg*K)"), viscosity=Q_([mu, mu], "Pa*s"),
        conductivity=Q_([0.6, 0.6], "W/(m*K)"))


def assert_balanced(r, tol=1e-9):
    for label, b in r.balance.items():
        assert b["mass_relative"] <= tol, (label, b)
        assert b["energy_relative"] <= tol, (label, b)


def flow_deviation(q_ours, q_ref):
    """(max relative deviation on trunk pipes, max deviation over the largest flow).

    Pipes closing a loop may carry the small difference of two large flows;
    their *relative* deviation amplifies any change of resistance without
    bound, so per-pipe relative deviations are asserted only on pipes carrying
    at least 10 % of the largest flow, and every pipe's deviation is measured
    against the largest flow of the network.
    """
    q_ours, q_ref = np.asarray(q_ours, float), np.asarray(q_ref, float)
    qmax = np.max(np.abs(q_ref))
    trunk = np.abs(q_ref) >= 0.1 * qmax
    dev = np.abs(q_ours - q_ref)
    return float(np.max(dev[trunk] / np.abs(q_ref[trunk]))), float(np.max(dev) / qmax)


# ----------------------------------------------------------------------------
# a looped test network: 3 × 4 grid of junctions, two reservoirs, one pump
# ----------------------------------------------------------------------------
def grid_spec(with_pump=True):
    """Plain description of the reference network (SI).

    Junctions J<r><c> on a 3 × 4 grid; 17 grid pipes with varied lengths,
    diameters and roughnesses; reservoir R1 (head 60 m) feeds J00 through a
    300 mm main; reservoir R2 (head 15 m) feeds J23 through a booster pump
    (or, without the pump, directly through a pipe from a 45 m reservoir).
    Demands 4–14 L/s at every junction.
    """
    rng = np.random.default_rng(20240611)
    nodes = [f"J{r}{c}" for r in range(3) for c in range(4)]
    demand = {n: float(q) for n, q in zip(nodes, rng.uniform(4e-3, 14e-3, len(nodes)))}
    pipes = []
    k = 0
    for r in range(3):
        for c in range(4):
            if c < 3:
                pipes.append((f"P{k}", f"J{r}{c}", f"J{r}{c + 1}"))
                k += 1
            if r < 2:
                pipes.append((f"P{k}", f"J{r}{c}", f"J{r + 1}{c}"))
                k += 1
    geo = {}
    for name, _, _ in pipes:
        geo[name] = dict(L=float(rng.uniform(150, 450)),
                         D=float(rng.choice([0.10, 0.125, 0.15, 0.2, 0.25])),
                         eps=float(rng.choice([0.02e-3, 0.045e-3, 0.1e-3])))
    pipes.append(("MAIN1", "R1", "J00"))
    geo["MAIN1"] = dict(L=300.0, D=0.3, eps=0.045e-3)
    res = {"R1": 60.0}
    pump = None
    if with_pump:
        pipes.append(("MAIN2", "PS", "J23"))
        geo["MAIN2"] = dict(L=200.0, D=0.25, eps=0.045e-3)
        res["R2"] = 15.0
        # H = A − B Q²: EPANET fits H = A − B Q^C to three points, which recovers
        # C = 2 exactly when the points lie on this parabola; our quadratic
        # interpolation of the same three points is the same curve.
        A, Qd = 60.0, 0.05
        B = (A / 4) / Qd**2                   # 45 m at Qd, 0 m at 2 Qd
        q = np.array([0.0, Qd, 2 * Qd])
        pump = dict(name="PUMP", start="R2", end="PS", q=q, h=A - B * q**2)
    else:
        pipes.append(("MAIN2", "R2", "J23"))
        geo["MAIN2"] = dict(L=200.0, D=0.25, eps=0.045e-3)
        res["R2"] = 45.0
    return dict(nodes=nodes, demand=demand, pipes=pipes, geo=geo, reservoirs=res, pump=pump)


def build_ours(spec, fluid, g_ref, friction="churchill"):
    """Our network: reservoirs as pressure boundaries p = p_atm + ρ g_ref H (all
    elevations 0, so the other tool's gravity constant ``g_ref`` carries over
    exactly), demands as negative volume-flow boundaries."""
    rho = float(fluid.density_pT(293.15))
    net = nt.Network("reference", fluid=fluid)
    for name, s, e in spec["pipes"]:
        g = spec["geo"][name]
        net.add_pipe(name, s, e, length=Q_(g["L"], "m"), diameter=Q_(g["D"], "m"),
                     roughness=Q_(g["eps"], "m"), friction=friction)
    pump = spec["pump"]
    if pump:
        net.add_pump(pump["name"], pump["start"], pump["end"],
                     curve=(Q_(pump["q"], "m^3/s"), Q_(rho * g_ref * pump["h"], "Pa")))
    for n, H in spec["reservoirs"].items():
        net.add_pressure_boundary(n, pressure=Q_(P_ATM + rho * g_ref * H, "Pa"),
                                  temperature=Q_(20, "degC"))
    for n, q in spec["demand"].items():
        net.add_flow_boundary(n, mass_flow=Q_(-q, "m^3/s"), temperature=Q_(20, "degC"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", nt.PhysicsWarning)
        r = net.solve()
    assert_balanced(r)
    return r, rho


# ----------------------------------------------------------------------------
# (a) EPANET through WNTR
# ----------------------------------------------------------------------------
# EPANET 2.2 constants (src/hydraul.c, src/types.h): kinematic viscosity of
# water VISCOS = 1.1e-5 ft²/s, gravity 32.2 ft/s², D-W friction by Swamee–Jain
# for Re > 4000 (Hagen–Poiseuille below 2000, Dunlop's cubic between).
NU_EPANET = 1.1e-5 * 0.3048**2          # m²/s
G_EPANET = 32.2 * 0.3048                # m/s²
RHO_REF = 998.2


def swamee_jain(Re, eD):
    return 0.25 / np.log10(eD / 3.7 + 5.74 / Re**0.9) ** 2


@pytest.fixture(scope="module")
def epanet_case(tmp_path_factory):
    wntr = pytest.importorskip("wntr")
    spec = grid_spec(with_pump=True)
    wn = wntr.network.WaterNetworkModel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)     # "roughness units unchanged"
        wn.options.hydraulic.headloss = "D-W"
    wn.options.hydraulic.accuracy = 1e-8
    wn.options.hydraulic.trials = 500
    wn.options.time.duration = 0
    for n, H in spec["reservoirs"].items():
        wn.add_reservoir(n, base_head=H)
    for n in spec["nodes"]:
        wn.add_junction(n, base_demand=spec["demand"][n], elevation=0.0)
    wn.add_junction("PS", base_demand=0.0, elevation=0.0)
    for name, s, e in spec["pipes"]:
        g = spec["geo"][name]
        # WNTR holds D-W roughness in metres (written to the .inp in mm)
        wn.add_pipe(name, s, e, length=g["L"], diameter=g["D"], roughness=g["eps"],
                    minor_loss=0.0)
    p = spec["pump"]
    wn.add_curve("C1", "HEAD", [(float(q), float(h)) for q, h in zip(p["q"], p["h"])])
    wn.add_pump(p["name"], p["start"], p["end"], "HEAD", "C1")
    prefix = str(tmp_path_factory.mktemp("epanet") / "net")
    res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=prefix)
    fluid = const_fluid("epanet-water", RHO_REF, NU_EPANET * RHO_REF)
    ours, rho = build_ours(spec, fluid, G_EPANET)
    return spec, res, ours, rho


def test_epanet_flows_and_heads(epanet_case):
    spec, res, ours, rho = epanet_case
    q_ep = res.link["flowrate"].iloc[0]
    h_ep = res.node["head"].iloc[0]
    # tolerance: per pipe, the relative difference of the two friction laws
    # at the solved Re (Swamee–Jain vs Churchill); a network's flows move by
    # less than the largest resistance change (heads by less than it too).
    df_max = 0.0
    q_o, q_r = [], []
    for name, _, _ in spec["pipes"]:
        g = spec["geo"][name]
        q = ours.volume_flow(name).m_as("m^3/s")
        Re = abs(q) / (math.pi * g["D"] ** 2 / 4) * g["D"] / NU_EPANET
        assert Re > 4000, (name, Re)          # both laws in their turbulent form
        f_sj = swamee_jain(Re, g["eps"] / g["D"])
        f_ch = float(fr.friction_churchill(Re, g["eps"] / g["D"]))
        df_max = max(df_max, abs(f_sj / f_ch - 1))
        q_o.append(q)
        q_r.append(float(q_ep[name]))
    q_pump = ours.volume_flow("PUMP").m_as("m^3/s")
    q_o.append(q_pump)
    q_r.append(float(q_ep["PUMP"]))
    rel_trunk, rel_all = flow_deviation(q_o, q_r)
    tol = df_max + 1e-6                       # + float32 storage of EPANET results
    vc.check("network.epanet.grid.flows",
             {"trunk": rel_trunk, "all": rel_all, "pump": abs(q_pump / q_ep["PUMP"] - 1)},
             tolerance=tol)
    # heads: ours (p − p_atm)/(ρ g) at elevation 0; compare against the largest
    # head loss (60 m scale)
    dh = [abs((ours.pressure(n).m_as("Pa") - P_ATM) / (rho * G_EPANET) - h_ep[n])
          for n in spec["nodes"] + ["PS"]]
    h_scale = max(spec["reservoirs"].values()) + max(spec["pump"]["h"])
    vc.check("network.epanet.grid.heads", max(dh) / h_scale, tolerance=tol)
    # pump operating point lies on the common curve
    A, B = spec["pump"]["h"][0], (spec["pump"]["h"][0] - spec["pump"]["h"][1]) / 0.05**2
    assert ours.pump_head("PUMP").m_as("m") * 9.80665 / G_EPANET == pytest.approx(
        A - B * q_pump**2, rel=1e-9)
    print(f"\nEPANET: max |ΔQ|/Q on trunk pipes = {rel_trunk:.2e}, max |ΔQ|/Q_max = "
          f"{rel_all:.2e}, pump {abs(q_pump / q_ep['PUMP'] - 1):.2e}, max |ΔH|/H = "
          f"{max(dh) / h_scale:.2e}, max |Δf|/f (SJ vs Churchill) = {df_max:.2e}")


def test_epanet_same_network_without_pump(tmp_path):
    # the pump-free variant: only pipes, reservoirs and demands
    wntr = pytest.importorskip("wntr")
    spec = grid_spec(with_pump=False)
    wn = wntr.network.WaterNetworkModel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wn.options.hydraulic.headloss = "D-W"
    wn.options.hydraulic.accuracy = 1e-8
    wn.options.time.duration = 0
    for n, H in spec["reservoirs"].items():
        wn.add_reservoir(n, base_head=H)
    for n in spec["nodes"]:
        wn.add_junction(n, base_demand=spec["demand"][n], elevation=0.0)
    for name, s, e in spec["pipes"]:
        g = spec["geo"][name]
        wn.add_pipe(name, s, e, length=g["L"], diameter=g["D"], roughness=g["eps"])
    res = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "np"))
    fluid = const_fluid("epanet-water", RHO_REF, NU_EPANET * RHO_REF)
    ours, _ = build_ours(spec, fluid, G_EPANET)
    q_ep = res.link["flowrate"].iloc[0]
    names = [n for n, _, _ in spec["pipes"]]
    rel_trunk, rel_all = flow_deviation([ours.volume_flow(n).m_as("m^3/s") for n in names],
                                        [float(q_ep[n]) for n in names])
    # the Swamee–Jain/Churchill difference is below 1 % over these Re (see above)
    assert rel_trunk < 1e-2 and rel_all < 1e-2, (rel_trunk, rel_all)


# ----------------------------------------------------------------------------
# (b) pandapipes
# ----------------------------------------------------------------------------
T_PP = 293.15


@pytest.fixture(scope="module")
def pandapipes_case():
    pp = pytest.importorskip("pandapipes")
    spec = grid_spec(with_pump=False)
    net = pp.create_empty_network(fluid="water")
    rho = float(net.fluid.get_density(T_PP))
    mu = float(net.fluid.get_viscosity(T_PP))
    idx = {}
    for n in spec["nodes"] + list(spec["reservoirs"]):
        idx[n] = pp.create_junction(net, pn_bar=3.0, tfluid_k=T_PP, height_m=0.0, name=n)
    for name, s, e in spec["pipes"]:
        g = spec["geo"][name]
        pp.create_pipe_from_parameters(net, idx[s], idx[e], length_km=g["L"] / 1000,
                                       inner_diameter_mm=g["D"] * 1000, k_mm=g["eps"] * 1000,
                                       name=name)
    for n, H in spec["reservoirs"].items():
        pp.create_ext_grid(net, idx[n], p_bar=rho * 9.80665 * H / 1e5, t_k=T_PP)
    for n, q in spec["demand"].items():
        pp.create_sink(net, idx[n], mdot_kg_per_s=q * rho)
    pp.pipeflow(net, friction_model="colebrook", tol_p=1e-10, tol_m=1e-10, tol_res=1e-10,
                max_iter_hyd=100, max_iter_colebrook=100, tolerance_colebrook=1e-12)
    fluid = const_fluid("pp-water", rho, mu)
    ours, _ = build_ours(spec, fluid, 9.80665)
    return spec, net, ours, rho, mu


def test_pandapipes_flows_and_pressures(pandapipes_case):
    spec, net, ours, rho, mu = pandapipes_case
    rp = net.res_pipe
    names = list(net.pipe["name"])
    # tolerance: Churchill vs Colebrook at the solved Re (pandapipes iterates
    # Colebrook), the same argument as for EPANET
    df_max, m_o, m_r = 0.0, [], []
    for i, name in enumerate(names):
        g = spec["geo"][name]
        m_pp = float(rp["mdot_from_kg_per_s"].iloc[i])
        m = ours.mass_flow(name).m_as("kg/s")
        Re = 4 * abs(m) / (math.pi * g["D"] * mu)
        f_cb = float(fr.friction_colebrook(Re, g["eps"] / g["D"]))
        f_ch = float(fr.friction_churchill(Re, g["eps"] / g["D"]))
        df_max = max(df_max, abs(f_ch / f_cb - 1))
        m_o.append(m)
        m_r.append(m_pp)
    rel_trunk, rel_all = flow_deviation(m_o, m_r)
    tol = df_max + 1e-7
    # pressures: pandapipes p_bar is relative to the ambient pressure we add
    rj = net.res_junction
    dp = []
    for i, n in enumerate(net.junction["name"]):
        p_pp = float(rj["p_bar"].iloc[i]) * 1e5 + P_ATM
        dp.append(abs(ours.pressure(n).m_as("Pa") - p_pp))
    p_scale = rho * 9.80665 * max(spec["reservoirs"].values())
    vc.check("network.pandapipes.grid.flows",
             {"trunk": rel_trunk, "all": rel_all, "pressures": max(dp) / p_scale},
             tolerance=tol)
    print(f"\npandapipes: max |Δṁ|/ṁ on trunk pipes = {rel_trunk:.2e}, max |Δṁ|/ṁ_max = "
          f"{rel_all:.2e}, max |Δp|/Δp_scale = "
          f"{max(dp) / p_scale:.2e}, max |Δf|/f (Churchill vs Colebrook) = {df_max:.2e}")


def test_pandapipes_pipe_heat_loss():
    # One chain of three pipes losing heat to 5 °C ground through a wall
    # coefficient u [W/(m² K)]: pandapipes "sequential" mode (its pipes use
    # T_out = T_amb + (T_in − T_amb) exp(−u π D L / (ṁ cp)) per section) vs
    # our pipe u_value per m² of wall and ambient. Same exponential law, so
    # the tolerance is numerical: 1e-3 K on a 70 K drop to ambient (pandapipes'
    # thermal Newton tolerance, tol_T).
    pp = pytest.importorskip("pandapipes")
    T_in, T_amb, m, u = 273.15 + 75.0, 273.15 + 5.0, 0.4, 3.0
    geo = [(800.0, 0.08), (500.0, 0.065), (300.0, 0.05)]
    net = pp.create_empty_network(fluid="water")
    j = [pp.create_junction(net, pn_bar=5.0, tfluid_k=T_in) for _ in range(4)]
    for k, (L, D) in enumerate(geo):
        pp.create_pipe_from_parameters(net, j[k], j[k + 1], length_km=L / 1000,
                                       inner_diameter_mm=D * 1000, k_mm=0.045,
                                       u_w_per_m2k=u, text_k=T_amb, sections=1)
    pp.create_ext_grid(net, j[0], p_bar=5.0, t_k=T_in)
    pp.create_sink(net, j[3], mdot_kg_per_s=m)
    pp.pipeflow(net, mode="sequential", friction_model="colebrook", tol_T=1e-8,
                max_iter_therm=100, max_iter_hyd=100)
    T_pp = net.res_junction["t_k"].to_numpy()
    # our side: the same cp the pandapipes water uses, constant (pandapipes
    # evaluates cp at the mean temperature of each pipe; the spread over
    # 5–75 °C is 0.3 %, see the assertion below)
    cp_pp = float(net.fluid.get_heat_capacity((T_in + T_pp[-1]) / 2))
    rho = float(net.fluid.get_density(T_in))
    mu = float(net.fluid.get_viscosity(T_in))
    fluid = const_fluid("pp-water-cp", rho, mu, cp=cp_pp)
    ours = nt.Network("heat-loss", fluid=fluid)
    for k, (L, D) in enumerate(geo):
        ours.add_pipe(f"p{k}", f"n{k}", f"n{k + 1}", length=Q_(L, "m"), diameter=Q_(D, "m"),
                      u_value=Q_(u, "W/(m^2*K)"), ambient=Q_(T_amb, "K"))
    ours.add_flow_boundary("n0", mass_flow=Q_(m, "kg/s"), temperature=Q_(T_in, "K"))
    ours.add_pressure_boundary("n3", pressure=Q_(5, "bar"), temperature=Q_(T_in, "K"))
    r = ours.solve()
    assert_balanced(r)
    T_ours = np.array([r.temperature(f"n{k}").m_as("K") for k in range(4)])
    cps = net.fluid.get_heat_capacity(np.array([T_amb, T_in]))
    spread = float(np.ptp(cps) / np.mean(cps))
    # the outlet drop scales with 1/cp: allow the cp spread over the actual drop
    tol_K = 1e-3 + spread * (T_in - T_pp[-1])
    vc.check("network.pandapipes.heat_loss", float(np.max(np.abs(T_ours - T_pp))),
             tolerance=tol_K, drop=f"{T_in - T_pp[-1]:.1f} K")
    print(f"\npandapipes heat loss: max |ΔT| = {np.max(np.abs(T_ours - T_pp)):.2e} K "
          f"(drop {T_in - T_pp[-1]:.2f} K)")


# ----------------------------------------------------------------------------
# (c) the other tool's friction law: Pipe(friction=...) closes the gap
# ----------------------------------------------------------------------------
def test_epanet_with_its_own_friction_law(epanet_case):
    # friction="swamee_jain" is EPANET's Darcy–Weisbach law (test_correlations_friction
    # checks the formulas to round-off), so what is left is EPANET's float32 storage of
    # results (~1e-6 relative) and its convergence (accuracy 1e-8): 1e-5 of the
    # largest flow and of the head scale
    spec, res, _, _ = epanet_case
    fluid = const_fluid("epanet-water", RHO_REF, NU_EPANET * RHO_REF)
    ours, rho = build_ours(spec, fluid, G_EPANET, friction="swamee_jain")
    q_ep = res.link["flowrate"].iloc[0]
    h_ep = res.node["head"].iloc[0]
    names = [n for n, _, _ in spec["pipes"]] + ["PUMP"]
    q_o = [ours.volume_flow(n).m_as("m^3/s") for n in names]
    q_r = [float(q_ep[n]) for n in names]
    _, rel_all = flow_deviation(q_o, q_r)
    h_scale = max(spec["reservoirs"].values()) + max(spec["pump"]["h"])
    dh = max(abs((ours.pressure(n).m_as("Pa") - P_ATM) / (rho * G_EPANET) - h_ep[n])
             for n in spec["nodes"] + ["PS"])
    vc.check("network.epanet.grid.same_friction", {"flows": rel_all, "heads": dh / h_scale})
    print(f"\nEPANET, same friction law: max |ΔQ|/Q_max = {rel_all:.2e}, "
          f"max |ΔH|/H = {dh / h_scale:.2e}")


def test_pandapipes_with_its_own_friction_law(pandapipes_case):
    # friction="colebrook" is pandapipes' law at these Re (all > 4000, asserted), but
    # pandapipes writes Colebrook with eD/3.71 (derivative_toolbox.colebrook_np) where
    # Colebrook (1939) and this library have eD/3.7: the tolerance is that difference
    # of f at the solved Re (an eD/3.71 is our law at eD·3.7/3.71), + 1e-7 for the
    # Newton tolerances (1e-10 here; tolerance_colebrook 1e-12)
    spec, net, _, rho, mu = pandapipes_case
    ours, _ = build_ours(spec, const_fluid("pp-water", rho, mu), 9.80665, friction="colebrook")
    rp = net.res_pipe
    m_o, m_r, df = [], [], 0.0
    for i, name in enumerate(net.pipe["name"]):
        g = spec["geo"][name]
        m = ours.mass_flow(name).m_as("kg/s")
        Re = 4 * abs(m) / (math.pi * g["D"] * mu)
        assert Re > 4000
        eD = g["eps"] / g["D"]
        df = max(df, abs(fr.friction_colebrook(Re, eD * 3.7 / 3.71)
                         / fr.friction_colebrook(Re, eD) - 1))
        m_o.append(m)
        m_r.append(float(rp["mdot_from_kg_per_s"].iloc[i]))
    _, rel_all = flow_deviation(m_o, m_r)
    vc.check("network.pandapipes.grid.same_friction", rel_all, tolerance=df + 1e-7)
    print(f"\npandapipes, same friction law: max |Δṁ|/ṁ_max = {rel_all:.2e} "
          f"(3.7 vs 3.71 in Colebrook: max |Δf|/f = {df:.2e})")
