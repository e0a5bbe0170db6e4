"""Validation cases of the plant, its operation, the site, the annual runs, the
KPIs and the site-claims audit (the second half of ``tests/validation_cases.py``,
which appends :func:`cases` to its ``CASES``; see its docstring for what a case
is).

Cheap cases are computed here (and so again by every documentation build);
the ones that need a solved campus, an hourly year or a transient run are
measured by their tests, which call ``validation_cases.check``. The reference
tables typed from the sources (R38, [M1]) live here too, and the tests that
need them import them from here: one home for each reference value.

This module does not import ``validation_cases`` at import time (that module
imports this one); its functions do, when they run.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

C0 = 273.15


def _vc():
    import validation_cases
    return validation_cases


def _Q(v, u):
    from narvik_thermal import Q_
    return Q_(v, u)


def _dev(m, r, metric: str = "relative") -> float:
    return _vc().deviation(m, r, metric)


def _ours(value: float, ours: float):
    return _vc().Measurement(float(value), float(ours))


# ============================================================================
# reference tables typed from their sources (the tests import them from here)
# ============================================================================
#: Narvik monthly mean air temperature [°C], R38 (Jan … Dec)
AIR_R38 = [-4.0, -1.5, 0.0, 3.0, 8.0, 11.5, 14.5, 14.0, 10.5, 4.5, 1.5, -0.5]
#: Narvik monthly mean daily range [K], R38 (mean daily maximum − minimum)
NARVIK_RANGE_R38 = [4, 5, 6, 6, 8, 7, 7, 8, 7, 5, 3, 5]
#: Ofotfjord surface temperature [°C], R38
SEA_R38 = [5, 5, 4, 4, 6, 8, 11, 12, 10, 9, 7, 6]
#: Marseille mean daily maximum and minimum [°C] and sea surface [°C], [M1]
MARSEILLE_MAX = [11.2, 12.6, 15.3, 17.7, 22.2, 26.1, 29.5, 29.2, 25.3, 20.3, 14.7, 12.0]
MARSEILLE_MIN = [3.0, 3.9, 6.0, 8.5, 12.6, 16.0, 18.7, 18.7, 15.5, 11.6, 6.8, 4.1]
MARSEILLE_SST = [13, 13, 13, 13, 15, 18, 22, 21, 20, 19, 16, 14]
MONTHS = np.arange(1, 13)


# ============================================================================
# the cooling plant
# ============================================================================
def _rated_pressure_drops() -> dict[str, float]:
    """Cold plate and quick disconnect at their rated flow, isothermal."""
    import narvik_thermal as nt
    from narvik_thermal.plant.cold_plates import gpu_cold_plate
    from narvik_thermal.plant.rack import Rack
    plate = gpu_cold_plate()
    net = nt.Network("plate0")
    net.add_cold_plate("gpu", "a", "b", **(plate.network_kwargs() | {"heat": _Q(0, "W")}))
    net.add_heat_load("qd", "b", "c", heat=_Q(0, "W"),
                      pressure_drop=Rack().quick_disconnect_pressure_drop,
                      rated_flow=plate.rated_flow, pressure_exponent=2.0)
    net.add_flow_boundary("a", mass_flow=plate.rated_flow, temperature=_Q(25, "degC"))
    net.add_pressure_boundary("c", pressure=_Q(2, "bar"), temperature=_Q(25, "degC"))
    net.set_fluid("a", nt.fluids.propylene_glycol(0.25))
    r = net.solve()
    return {"cold plate": _dev(r.pressure_drop("gpu").m_as("kPa"), 20.0),
            "quick disconnect": _dev(r.pressure_drop("qd").m_as("kPa"), 6.0)}


def ladder_reference(rack, V_total: float, rho: float, mu: float) -> np.ndarray:
    """Tray flows [m³/s] of an isothermal rack, solved independently as a ladder
    network (``scipy.optimize.root`` on tray-by-tray pressure balances, with
    Darcy–Weisbach/Churchill manifolds and power-law trays)."""
    from scipy.optimize import root

    from narvik_thermal.correlations.friction import friction_churchill
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
        return (plate.rated_flow.m_as("m^3/s") * np.sign(dp)
                * (abs(dp) / plate.rated_pressure_drop.m_as("Pa")) ** (1 / n))

    qd_dp = rack.quick_disconnect_pressure_drop.m_as("Pa")
    qd_V = rack.quick_disconnect_rated_flow.m_as("m^3/s")

    def tray_flow(x, j):
        if comp[j]:
            return (rack.gpus_per_tray * plate_flow(x, rack.gpu)
                    + rack.cpus_per_tray * plate_flow(x, rack.cpu))
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

    sol = root(resid, np.r_[np.full(T, 2.0), 3.0], method="hybr", tol=1e-14)
    if not sol.success:
        raise RuntimeError(f"the ladder reference did not converge: {sol.message}")
    x = sol.x[:T] * 1e4
    return np.array([tray_flow(x[j], j) for j in range(T)])


def _rack_ladder(arrangement: str):
    """Tray flows and flow ratio of an isothermal rack against the ladder reference."""
    import narvik_thermal as nt
    from narvik_thermal.plant import defaults as D
    from narvik_thermal.plant.cold_plates import gpu_cold_plate
    from narvik_thermal.plant.rack import Rack, rack_network, rack_report
    zero = dict(heat=_Q(0, "W"))           # zero chip heat: uniform properties at 25 °C
    rack = Rack(arrangement=arrangement, gpu=gpu_cold_plate(**zero),
                cpu=gpu_cold_plate(**zero, rated_flow=D.CPU_RATED_FLOW.value),
                switch=gpu_cold_plate(**zero, rated_flow=D.SWITCH_RATED_FLOW.value))
    V = 175.5 / 60000.0
    rep = rack_report(rack_network(rack, flow=_Q(V, "m^3/s")).solve(), rack=rack)
    pg = nt.fluids.propylene_glycol(0.25)
    ref = ladder_reference(rack, V, float(pg.density_pT(298.15)), float(pg.viscosity_pT(298.15)))
    comp = np.array([k == "C" for k in rack.order])
    ratio = ref[comp].max() / ref[comp].min()
    return _ours(max(_dev(rep.tray_flow.m_as("m^3/s"), ref), _dev(rep.flow_ratio, ratio)),
                 rep.flow_ratio)


def _rated_point_form(fluid: str, k: int | None = None) -> np.ndarray:
    """Largest deviation [%] of the rated-point form (half convective, V^-0.6) from
    the OCP curve, for each rated point on the curve (or for point ``k``)."""
    from narvik_thermal.correlations.cold_plate import thermal_resistance_flow
    V, R = _vc().ocp_curve(fluid)
    out = []
    for j in (range(len(V)) if k is None else [k]):
        model = thermal_resistance_flow(V, 0.5 * R[j], 0.5 * R[j], V[j], 0.6)
        out.append(100.0 * np.max(np.abs(model / R - 1)))
    return np.array(out)


def _rated_point_form_at_16() -> float:
    V, _ = _vc().ocp_curve("PG25")
    return float(_rated_point_form("PG25", int(np.flatnonzero(V == 1.6)[0]))[0])


def _rated_point_form_any() -> dict[str, float]:
    out = {}
    for fl in ("PG25", "water"):
        e = _rated_point_form(fl)
        out[f"{fl} least"], out[f"{fl} most"] = float(e.min()), float(e.max())
    return out


def sized_exchanger():
    """A CDU-like exchanger sized (UA) for a 3 K approach (R19), then solved:
    (approach [K], duty [W], design duty [W])."""
    import narvik_thermal as nt
    from narvik_thermal.plant import sizing
    pg, w = nt.fluids.propylene_glycol(0.25), nt.fluids.water()
    Q = 1.2e6
    Th_i, Th_o, Tc_i, Tc_o = 35.0, 25.0, 22.0, 32.0
    m_h = Q / (float(pg.cp_pT(273.15 + 30.0)) * 10.0)
    m_c = Q / (float(w.cp_pT(273.15 + 27.0)) * 10.0)
    ua = sizing.heat_exchanger_ua(_Q(Q, "W"), hot_inlet=_Q(Th_i, "degC"),
                                  hot_outlet=_Q(Th_o, "degC"), cold_inlet=_Q(Tc_i, "degC"),
                                  cold_outlet=_Q(Tc_o, "degC"))
    net = nt.Network("hx")
    net.add_heat_exchanger("hx", hot=("h1", "h2"), cold=("c1", "c2"), ua=ua)
    net.add_flow_boundary("h1", mass_flow=_Q(m_h, "kg/s"), temperature=_Q(Th_i, "degC"))
    net.add_pressure_boundary("h2", pressure=_Q(2, "bar"), temperature=_Q(Th_o, "degC"))
    net.add_flow_boundary("c1", mass_flow=_Q(m_c, "kg/s"), temperature=_Q(Tc_i, "degC"))
    net.add_pressure_boundary("c2", pressure=_Q(2, "bar"), temperature=_Q(Tc_o, "degC"))
    net.set_fluid("h1", pg)
    net.set_fluid("c1", w)
    r = net.solve()
    return (r.outlet_temperature("hx:hot").m_as("degC") - Tc_i, r.heat_flow("hx").m_as("W"), Q)


def _sized_exchanger_approach():
    approach = sized_exchanger()[0]
    return _ours(abs(approach - 3.0), approach)


def _sized_pipe() -> float:
    """A pipe sized for 200 Pa/m, solved: its pressure drop per metre."""
    import narvik_thermal as nt
    from narvik_thermal.plant import sizing
    w = nt.fluids.water()
    d = sizing.pipe_diameter(_Q(0.02, "m^3/s"), max_pressure_gradient=_Q(200, "Pa/m"), fluid=w,
                             temperature=_Q(25, "degC"))
    net = nt.Network("pipe")
    net.add_pipe("p", "a", "b", length=_Q(100, "m"), diameter=d)
    rho = float(w.density_pT(298.15))
    net.add_flow_boundary("a", mass_flow=_Q(0.02 * rho, "kg/s"), temperature=_Q(25, "degC"))
    net.add_pressure_boundary("b", pressure=_Q(2, "bar"), temperature=_Q(25, "degC"))
    net.set_fluid("a", w)
    return net.solve().pressure_drop("p").m_as("Pa") / 100.0


# ============================================================================
# climate and sea
# ============================================================================
def _fjord(month, depth_m):
    from narvik_thermal import climate
    return climate.fjord_temperature(month, _Q(depth_m, "m")).m_as("degC")


def _salinity(month, depth_m):
    from narvik_thermal import climate
    return climate.fjord_salinity(month, _Q(depth_m, "m")).m_as("g/kg")


def _site(name):
    from narvik_thermal.climate import site
    return site(name)


def _narvik_tables() -> dict[str, float]:
    from narvik_thermal import climate
    s = _site("narvik")
    return {"air (module table)": _dev(climate.air_temperature_monthly().m_as("degC"),
                                       AIR_R38, "absolute"),
            "air (site)": _dev(s.air_temperature(MONTHS).m_as("degC"), AIR_R38, "absolute"),
            "daily range": _dev(s.daily_temperature_range(MONTHS).m_as("K"), NARVIK_RANGE_R38,
                                "absolute"),
            "sea surface": _dev(_fjord(MONTHS, 0.0), SEA_R38, "absolute")}


def _marseille_tables() -> dict[str, float]:
    s = _site("marseille")
    mx, mn = np.array(MARSEILLE_MAX), np.array(MARSEILLE_MIN)
    return {"air": _dev(s.air_temperature(MONTHS).m_as("degC"), 0.5 * (mx + mn), "absolute"),
            "daily range": _dev(s.daily_temperature_range(MONTHS).m_as("K"), mx - mn,
                                "absolute"),
            "sea surface": _dev(s.sea_temperature(MONTHS, _Q(0, "m")).m_as("degC"),
                                MARSEILLE_SST, "absolute")}


def _warmest_month_lag() -> dict[str, float]:
    """Months from the surface's warmest month (August) to each depth's."""
    out = {}
    for z in (100.0, 150.0):
        warmest = int(np.argmax(_fjord(MONTHS, z))) + 1
        out[f"{z:g} m"] = float((warmest - 8) % 12)
    return out


def _profile_bounds() -> dict[str, float]:
    z = np.linspace(0, 553, 400)
    T = np.array([_fjord(m, z) for m in MONTHS])
    return {"coldest": float(T.min()), "warmest": float(T.max())}


def _profile_gradient() -> float:
    z = np.linspace(0, 553, 400)
    return float(max(np.max(np.abs(np.diff(_fjord(m, z)) / np.diff(z))) for m in MONTHS))


def _kelvin_wave() -> tuple[float, float]:
    """A pure annual cosine through the sea model: (amplitude at z_A over the
    surface's, month of the peak)."""
    from narvik_thermal.climate import sea
    m = np.linspace(1, 13, 1201)
    surf = 10 + 3 * np.cos(2 * np.pi * (np.arange(1, 13) - 8) / 12)
    T = sea.temperature_profile(m, 61.0, surf, 10.0, 61.0, 1e-9, 2.0)   # lag saturates at once
    return (T.max() - T.min()) / 2 / 3.0, float(m[np.argmax(T)])


# ============================================================================
# KPIs on hand-made datasets
# ============================================================================
#: one hour [W]: IT 10 MW; pumps 0.4, fans 0.1, chillers 0.5, heat pumps 1.0, other
#: loads 0.2 → total 12.2 MW. Heat: sea 6, air 1, exported 3 MW; the network gets
#: 4.0 (delivered 3.7 + losses 0.3, no boiler).
KPI_BASE = {"it_power": 10e6, "total_power": 12.2e6, "pump_power": 0.4e6, "fan_power": 0.1e6,
            "chiller_power": 0.5e6, "heat_pump_power": 1.0e6, "heat_to_sea": 6e6,
            "heat_to_air": 1e6, "heat_exported": 3e6, "heat_delivered": 3.7e6,
            "network_losses": 0.3e6, "heat_boiler": 0.0, "water_withdrawn": 2e-3,
            "water_consumed": 5e-4, "grid_co2_intensity": 20.0, "energy_closure": 0.0}
KPI_UNITS = {**{k: "W" for k in KPI_BASE}, "water_withdrawn": "m^3/s",
             "water_consumed": "m^3/s", "grid_co2_intensity": "g/kWh", "energy_closure": "1"}


def kpi_dataset(n: int = 4, start: str = "2025-01-01", freq: str = "h",
                step: float | None = 3600.0, converged=None, **values):
    """A hand-made annual-simulation Dataset: :data:`KPI_BASE`, overridden per variable."""
    import pandas as pd
    import xarray as xr
    time = pd.date_range(start, periods=n, freq=freq)
    data = {}
    for k, v in {**KPI_BASE, **values}.items():
        arr = np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()
        data[k] = ("time", arr, {"units": KPI_UNITS[k]})
    conv = np.ones(n, bool) if converged is None else np.asarray(converged, bool)
    data["converged"] = ("time", conv)
    attrs = {} if step is None else {"time_step_s": step}
    return xr.Dataset(data, coords={"time": time}, attrs=attrs)


def _kpi(ds=None, **kw):
    from narvik_thermal.kpi import BOUNDARIES, eu_kpis
    k = eu_kpis(kpi_dataset() if ds is None else ds, **kw)
    out, inside = BOUNDARIES
    return lambda name, b: float(k.data[name].sel(boundary=out if b == "out" else inside))


def _kpi_pue() -> dict[str, float]:
    """PUE = E_DC/E_IT in both boundaries, hours of different load."""
    it = [10e6, 8e6, 12e6, 10e6]
    total = [12.2e6, 10.0e6, 14.6e6, 12.2e6]
    v = _kpi(kpi_dataset(it_power=it, total_power=total))
    e_it = sum(it) * 3600 / 3.6e9                        # MWh
    e_in = sum(total) * 3600 / 3.6e9
    e_out = (sum(total) - 4 * 1e6) * 3600 / 3.6e9       # heat pumps outside
    return {"E_IT": _dev(v("e_it", "out"), e_it), "E_DC inside": _dev(v("e_dc", "in"), e_in),
            "E_DC outside": _dev(v("e_dc", "out"), e_out),
            "PUE inside": _dev(v("pue", "in"), e_in / e_it),
            "PUE outside": _dev(v("pue", "out"), e_out / e_it)}


def _kpi_ppue() -> dict[str, float]:
    v = _kpi()
    return {"outside": _dev(v("ppue_cooling", "out"), (10 + 0.4 + 0.1 + 0.5) / 10),
            "inside": _dev(v("ppue_cooling", "in"), (10 + 0.4 + 0.1 + 0.5 + 1.0) / 10)}


def _kpi_erf() -> dict[str, float]:
    v = _kpi(kpi_dataset(heat_delivered=4.2e6, network_losses=0.3e6, heat_boiler=0.5e6))
    return {"E_REUSE outside": _dev(v("e_reuse", "out"), 4 * 3.0),
            "E_REUSE inside": _dev(v("e_reuse", "in"), 4 * (4.2 + 0.3 - 0.5)),
            "ERF outside": _dev(v("erf", "out"), 3.0 / (12.2 - 1.0)),
            "ERF inside": _dev(v("erf", "in"), 4.0 / 12.2)}


def _kpi_wue() -> dict[str, float]:
    # 5e-4 m³/s consumed and 2e-3 withdrawn over 10 MWh of IT per hour
    v = _kpi()
    return {"WUE": max(_dev(v("wue", b), 0.18) for b in ("out", "in")),
            "WUE (water input)": max(_dev(v("wue_input", b), 0.72) for b in ("out", "in"))}


def _kpi_cer_ere_cue() -> dict[str, float]:
    v = _kpi()
    return {"CER outside": _dev(v("cer", "out"), (6 + 1 + 3) / 1.0),
            "CER inside": _dev(v("cer", "in"), (6 + 1 + 3) / 2.0),
            "ERE outside": _dev(v("ere", "out"), (11.2 - 3.0) / 10),
            "ERE inside": _dev(v("ere", "in"), (12.2 - 4.0) / 10),
            "CUE outside": _dev(v("cue", "out"), 0.0224),
            "CUE inside": _dev(v("cue", "in"), 0.0244)}


def _kpi_co2() -> dict[str, float]:
    """Emitted = E_DC × grid; avoided = heat into the network × displaced factor
    (oil: 264.5 g/kWh at 85 %), minus (outside) the heat pumps' electricity × grid."""
    v = _kpi(grid_co2=100.0, displaced_heat="oil")
    e_dc = {"out": 4 * 11.2, "in": 4 * 12.2}             # MWh
    displaced = 4 * 4.0 * 264.5 / 0.85 / 1e3             # t
    return {"emitted outside": _dev(v("co2_emitted", "out"), e_dc["out"] * 0.1),
            "emitted inside": _dev(v("co2_emitted", "in"), e_dc["in"] * 0.1),
            "avoided outside": _dev(v("co2_avoided", "out"), displaced - 4 * 1.0 * 0.1),
            "avoided inside": _dev(v("co2_avoided", "in"), displaced),
            "net (both)": max(_dev(v("co2_net", b), e_dc["in"] * 0.1 - displaced)
                              for b in ("out", "in"))}


def kpi_three_months():
    """:func:`kpi_dataset` over January to March 2025 with random IT power, exported
    heat and grid intensity (seeded)."""
    n = 24 * (31 + 28 + 31)
    rng = np.random.default_rng(1)
    it = 10e6 * (1 + 0.1 * rng.random(n))
    return kpi_dataset(n=n, it_power=it, total_power=it + 2.2e6,
                       heat_exported=3e6 * (1 + 0.2 * rng.random(n)),
                       grid_co2_intensity=15 + 10 * rng.random(n))


def _kpi_monthly() -> float:
    """Monthly energies and masses sum to the annual ones (three months of
    random hours)."""
    from narvik_thermal.kpi import eu_kpis
    ds = kpi_three_months()
    annual, monthly = eu_kpis(ds), eu_kpis(ds, by="month")
    return max(_dev(monthly.data[k].sum("month").values, annual.data[k].values)
               for k in ("e_it", "e_dc", "e_cooling", "e_reuse", "heat_removed", "water_input",
                         "co2_emitted", "co2_avoided", "co2_net"))


# ============================================================================
# annual runs: the district-heating demand model
# ============================================================================
def _hourly_demand():
    from narvik_thermal.plant.campus import Campus
    from narvik_thermal.plant.district_heating import district_heating_network, town_consumers
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.simulation import hourly_heat_demand
    dh = district_heating_network(list(town_consumers(_Q(8, "MW"), 2)),
                                  trunk_length=_Q(1, "km"))
    c = Campus(_Q(2, "MW"), heat_export=HeatExport(dh=dh))
    T = np.array([-10.0, 0.0, 10.0, 20.0]) + 273.15
    return (hourly_heat_demand(c, T)[0], hourly_heat_demand(c, T, annual_heat=_Q(40, "MWh"))[0])


def _demand_shape() -> float:
    # degree hours below 17 °C: 27, 17, 7, 0, plus a flat 20 % share; the coldest
    # hour is the design demand (8 MW)
    q = _hourly_demand()[0]
    dh = np.array([27.0, 17.0, 7.0, 0.0])
    shape = 0.8 * dh / dh.sum() + 0.2 / 4
    return _dev(q, 8e6 * shape / shape.max())


def _demand_total() -> float:
    return _dev(_hourly_demand()[1].sum() * 3600.0, 40e6 * 3600.0)


# ============================================================================
# the site-claims audit
# ============================================================================
def first_number(text: str) -> float:
    """The first number in a formatted answer such as '28.2 MW' or '1,790 t/yr'."""
    import re
    return float(re.search(r"-?[\d,]*\.?\d+", text).group().replace(",", ""))


def _gpus_20mw():
    from narvik_thermal import audit
    return audit.gpus_20mw().answer


def _gpus_racks():
    n = first_number(_gpus_20mw()["racks for the GPUs"])
    return _ours(abs(n - math.ceil(15000 / 72)), n)


def _gpus_it_power_by_hand():
    import narvik_thermal as nt
    a = _gpus_20mw()
    racks = first_number(a["racks for the GPUs"])
    mw = first_number(a["IT power of those racks (library rack)"])
    return _ours(abs(mw - racks * nt.plant.Rack().it_power.m_as("MW")), mw)


# ============================================================================
# the cases
# ============================================================================
def cases(Case: Callable[..., Any]) -> list:
    """The cases of this module, made with ``validation_cases.Case``."""
    ops = "tests/test_plant_operation.py"
    air = "tests/test_plant_air_side.py"
    hen = "tests/test_plant_heat_export_network.py"
    ann = "tests/test_simulation_annual.py"
    return [
        # ------------------------------------------------------------ cooling plant
        Case("plant.rated_pressure_drop", "cooling-plant",
             "cold plate and quick disconnect at their rated flow (PG25, isothermal)",
             "their rated values: cold plate 20 kPa (R22), quick disconnect 6 kPa (rack "
             "default, [GEK])", 1e-9, why="exact at the rated point",
             measure=_rated_pressure_drops),
        *[Case(f"plant.rack.ladder.{a}", "cooling-plant",
               f"tray flows of a rack ({a} return, 27 trays, 175.5 L/min, isothermal); ours: "
               "the ratio of the largest to the smallest compute-tray flow",
               "an independent ladder-network solution of the same rack "
               "(``scipy.optimize.root`` on tray-by-tray pressure balances; Churchill "
               "manifolds, power-law trays)", 1e-6,
               why="both are exact solutions of the same equations to solver tolerance",
               measure=(lambda a=a: _rack_ladder(a)))
          for a in ("direct", "reverse")],
        Case("plant.cdu.duty", "cooling-plant",
             "CDU duty in the solved 20 MW phase, every CDU row",
             "ε-NTU by hand with the solved inlet temperatures and flows (counterflow, "
             "cp at each stream's mean temperature)", 2e-3,
             why="the hand calculation takes a constant cp per stream, the network h(T)",
             recorded=True,
             test="tests/test_plant_cdu.py::test_phase1_cdu_approach_and_flows_by_hand"),
        Case("plant.cdu.approach", "cooling-plant",
             "CDU approach (TCS supply − facility supply), every CDU row of the 20 MW phase",
             "the 3 K design approach (R19)", 0.1, metric="absolute", unit="K",
             why="the CDU pump's heat adds a little to the TCS loop", reference=3.0,
             recorded=True,
             test="tests/test_plant_cdu.py::test_phase1_cdu_approach_and_flows_by_hand"),
        Case("plant.sizing.exchanger", "cooling-plant",
             "approach of an exchanger sized (UA) for 3 K, then solved (1.2 MW, PG25 35 → "
             "25 °C, water from 22 °C)", "the 3 K it was sized for", 2e-3, metric="absolute",
             unit="K", reference_text="3 K",
             why="the sizing takes cp at the streams' mean temperatures, the solver h(T)",
             measure=_sized_exchanger_approach),
        Case("plant.sizing.pipe", "cooling-plant",
             "pressure gradient of a pipe sized for 200 Pa/m, then solved (0.02 m³/s water)",
             "the 200 Pa/m it was sized for", 1e-4, why="the sizing's root-finding tolerance",
             model=_sized_pipe, reference=200.0, value_unit="Pa/m"),
        # ------------------------------------------------------------ cold plates
        Case("cold_plate.rated_point_form.pg25", "cold-plate",
             "rated-point form (half convective, V^−0.6), rated at 1.6 L/min: largest "
             "deviation from the PG25 curve (at 0.4 L/min)",
             "the OCP curve (the same data)", None, metric="value", unit="%",
             bounds=(9.1, 9.5),
             why="not an accuracy: this pins the measured deviation of a form that is exact "
                 "only at its rated point, to ±0.2 percentage points",
             measure=_rated_point_form_at_16),
        Case("cold_plate.rated_point_form.any", "cold-plate",
             "the same form rated at each point of the curve in turn: the least and the "
             "largest of its largest deviations",
             "the OCP curves, PG25 and water", None, metric="value", unit="%",
             bounds=(3.0, None),
             why="wherever it is rated, the form misses the curve by more than the fitted "
                 "curve law's 3 % tolerance",
             measure=_rated_point_form_any),
        # ------------------------------------------------------------ heat export
        Case("heat_export.trunk_loss", "heat-export",
             "heat lost by a 10 km buried trunk (supply and return pipe)",
             "ṁ cp (1 − e^(−UL/(ṁ cp))) (T_in − T_ground) by hand, U from EN 13941", 1e-7,
             why="cp at the inlet temperature by hand; the solver's temperature tolerance",
             recorded=True,
             test=f"{hen}::test_trunk_heat_loss_against_exponential_decay_by_hand"),
        Case("heat_export.substation_return", "heat-export",
             "return temperatures of the substations (town + greenhouse on a 3 km trunk)",
             "T(h(T_in) − Q/ṁ) by hand, with the solved flow and supply", 5e-8,
             metric="absolute", unit="K",
             why="the consumers' flows settle to 1e-9 relative in the solve: that times "
                 "the 40 K drop of a substation (85 → 45 °C)",
             recorded=True, test=f"{hen}::test_substation_return_temperatures_by_hand"),
        Case("heat_export.delivered", "heat-export",
             "heat delivered to three consumers with their own return temperatures",
             "each consumer's demand", 1e-8,
             why="the consumer flows settle to 1e-9 relative inside the solve",
             recorded=True,
             test=f"{hen}::test_heat_delivered_equals_demand_with_return_at_setpoint"),
        Case("heat_export.heat_pump_balance", "heat-export",
             "heat pump in the network: condenser heat", "evaporator heat + compressor power",
             1e-9, why="the network's energy balance", recorded=True,
             test=f"{hen}::test_heat_pump_energy_identity_and_cop"),
        *[Case(f"heat_export.drammen.{k}", "heat-export",
               f"Drammen at network level (fjord 8 → 4 °C, district heating 65 → 90 °C), "
               f"COP with {name}", "the plant's COP (narvik-facts §5; R39, R40, R62)", tol,
               reference=3.05, why=why, recorded=True,
               test=f"{hen}::test_drammen_at_network_level")
          for k, name, tol, why in (
              ("lorenz", "a Lorenz fraction of 0.62", 0.01,
               "0.62 is the plant's own Lorenz fraction"),
              ("cycle", "the two-stage NH3 cycle, three units in series, by hand", 0.10,
               "as the cycle case above: approach temperatures, compressor efficiency and "
               "staging are not public"),
              ("default", "``HeatPumpSpec()`` (the chooser's configuration)", 0.10,
               "as the cycle; the chooser picks three two-stage units, what the plant has"))],
        # ------------------------------------------------------------ operation
        Case("operation.energy_closure", "operation",
             "site energy closure: electricity in (IT, pumps, fans, chillers, heat pumps) "
             "against heat out (to the sea, to the air, exported)",
             "the first law", 1e-9, why="the solver's energy balance", recorded=True,
             test=f"{ops}, {air}"),
        Case("operation.part_load.pumping", "operation",
             "pumping power at 40 % IT load over that at full load (2 MW campus)",
             "a direction: flows follow the load", None, metric="value", bounds=(None, 0.6),
             why="the pumps follow the load (affinity laws); 0.6 leaves room for the "
                 "fixed heads", recorded=True,
             test=f"{ops}::test_part_load_means_less_pumping_and_cooler_chips"),
        Case("operation.part_load.fans", "operation",
             "fan power at 40 % IT load over that at full load", "a direction", None,
             metric="value", bounds=(None, 1.0), why="less heat, less air", recorded=True,
             test=f"{ops}::test_part_load_means_less_pumping_and_cooler_chips"),
        Case("operation.part_load.chips", "operation",
             "hottest chip at 40 % IT load minus at full load", "a direction", None,
             metric="value", unit="K", bounds=(None, 0.0), why="less heat per chip",
             recorded=True, test=f"{ops}::test_part_load_means_less_pumping_and_cooler_chips"),
        Case("operation.part_load.it_power", "operation", "IT power at 40 % load",
             "0.4 × the IT power at full load", 1e-12, why="the load is an input",
             recorded=True, test=f"{ops}::test_part_load_means_less_pumping_and_cooler_chips"),
        Case("operation.colder_sea", "operation",
             "a 5 °C sea over a 9 °C sea (full load): seawater flow and seawater pumping",
             "a direction", None, metric="value", bounds=(None, 1.0),
             why="colder water carries the same heat in less flow", recorded=True,
             test=f"{ops}::test_colder_sea_means_less_seawater"),
        Case("operation.setpoints", "operation",
             "controls reported met: their targets at the set-points (the CDUs' TCS supply "
             "at 25 °C among them), every operating point",
             "the set-points", 1e-3, metric="absolute", unit="K",
             why="the control tolerance; a control not met must be flagged "
                 "``setpoint_not_met`` (a CDU only when its valve is saturated)",
             recorded=True, test=f"{ops}::test_setpoints_held_or_flagged"),
        Case("operation.air.trim_chiller", "operation",
             "Marseille, 2 MW on a dry cooler: trim-chiller electricity in July",
             "a direction (the chiller sized at the 32 °C design day runs in summer; in "
             "January it is asserted off)", None, metric="value", unit="kW",
             bounds=(0.0, None), why="the dry cooler alone cannot make 22 °C in July",
             recorded=True,
             test=f"{air}::test_marseille_dry_cooler_gets_a_trim_chiller_and_uses_it_in_"
                  "summer_only"),
        Case("operation.air.supply", "operation",
             "the dry cooler's 22 °C supply, July and January", "the set-point", 1e-3,
             metric="absolute", unit="K", value_unit="°C", why="the air-side control tolerance",
             reference=22.0, recorded=True,
             test=f"{air}::test_marseille_dry_cooler_gets_a_trim_chiller_and_uses_it_in_"
                  "summer_only"),
        Case("operation.air.heat_to_air", "operation",
             "heat to the air, dry cooler, July and January",
             "the site's electricity (no water, no sea)", 1e-9,
             why="the energy balance", recorded=True,
             test=f"{air}::test_marseille_dry_cooler_gets_a_trim_chiller_and_uses_it_in_"
                  "summer_only"),
        Case("operation.air.tower_water", "operation",
             "water consumed by the cooling tower in July (= withdrawn)",
             "heat / 2.43 MJ/kg × (1 + 1/3): evaporation plus blow-down at four cycles of "
             "concentration", 0.25, value_unit="L/s",
             why="an estimate: part of the heat leaves as sensible heat of the air",
             recorded=True, test=f"{air}::test_tower_consumes_water_by_evaporation_and_blowdown"),
        Case("operation.air.limit_supply", "operation",
             "a 45 °C, 20 % RH hour on a dry cooler without chiller: the supply it makes",
             "a direction (flagged ``heat_rejection_limit``, not raised)", None,
             metric="value", unit="°C", bounds=(30.0, None),
             why="no air at 45 °C cools water to the 22 °C design supply", recorded=True,
             test=f"{air}::test_impossible_hour_on_a_dry_cooler_without_chiller_is_flagged_"
                  "not_crashed"),
        Case("operation.air.limit_chip", "operation", "the same hour: the hottest chip",
             "a direction", None, metric="value", unit="°C", bounds=(60.0, None),
             why="the chips follow the warmer supply, and the result says how hot",
             recorded=True,
             test=f"{air}::test_impossible_hour_on_a_dry_cooler_without_chiller_is_flagged_"
                  "not_crashed"),
        Case("operation.air.consistency", "operation",
             "the same hour: the supply the network was solved with",
             "the supply the air side makes from the network's return", 1e-3,
             metric="absolute", unit="K", why="the tolerance of the air-side root",
             recorded=True,
             test=f"{air}::test_impossible_hour_on_a_dry_cooler_without_chiller_is_flagged_"
                  "not_crashed"),
        Case("operation.air.iterations", "operation", "the same hour: air-side iterations",
             "secant steps on the supply (plain substitution took 12)", None,
             metric="value", bounds=(None, 6.0), inclusive=True,
             why="a few solves per hour", recorded=True,
             test=f"{air}::test_impossible_hour_on_a_dry_cooler_without_chiller_is_flagged_"
                  "not_crashed"),
        Case("operation.export.delivered", "operation",
             "heat export with the town's demand (20 MW campus, 10 MW town on a 5 km trunk): "
             "heat delivered", "the demand asked", 1e-6,
             why="the consumers' flows and the heat pumps' supply settle inside the solve",
             recorded=True, test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("operation.export.boiler", "operation", "the same: peak-boiler heat",
             "none: the heat pumps cover the demand", None, metric="value", unit="W",
             bounds=(None, 1e-3), why="zero to the solver's tolerance", recorded=True,
             test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("operation.export.share", "operation",
             "half the demand: heat taken from the facility water over that at full demand",
             "about half (the heat pumps' COP changes a little)", None, metric="value",
             bounds=(0.4, 0.65), why="a direction with its size", recorded=True,
             test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("operation.export.to_sea", "operation",
             "half the demand: heat to the sea",
             "full demand's heat to the sea + the heat no longer exported", 0.02,
             why="the pumps and the COP change a little with the flows", recorded=True,
             test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("operation.export.heat_pumps", "operation",
             "half the demand: heat-pump electricity over that at full demand",
             "a direction", None, metric="value", bounds=(None, 0.6),
             why="half the heat, a little better COP", recorded=True,
             test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("operation.export.half_it", "operation",
             "the same 5 MW demand at half IT load: heat to the sea over that at full IT load",
             "a direction", None, metric="value", bounds=(None, 1.0),
             why="less IT heat, the same export", recorded=True,
             test=f"{ops}::test_heat_export_operates_with_the_town_demand"),
        Case("controls.targets", "operation",
             "control targets held by their actuators (small networks)", "the set-points",
             1e-4, metric="absolute", unit="K", why="the control tolerance: SolverOptions."
             "control_rtol = 1e-6 of the 100 K scale of a temperature target",
             recorded=True, test="tests/test_network_controls_targets.py"),
        Case("controls.flow_for_rise", "operation",
             "flow that gives a 10 K rise across a 60 kW load (held by a boundary-flow "
             "actuator)", "Q/(cp ΔT) by hand, cp at 25 °C", 1e-3,
             why="cp at the mean temperature by hand, h(T) in the solver", recorded=True,
             test="tests/test_network_controls_targets.py::test_temperature_difference_"
                  "across_an_edge_and_between_nodes"),
        # ------------------------------------------------------------ plate HX in the campus
        Case("plate_hx.campus.ua_by_hand", "plate-hx",
             "campus exchangers (fjord HX, CDU) with one flow cut to 70 %: UA",
             "``ua_off_design`` by hand with the solved flows", 1e-12,
             why="the same law", recorded=True,
             test="tests/test_plant_hx_off_design.py::test_off_design_ua_by_hand"),
        Case("plate_hx.campus.ua_ratio", "plate-hx",
             "the same: UA over design UA", "the film law with the builders' shares", None,
             metric="value", bounds=(0.75, 0.95),
             why="one film of two slows, the wall does not: between x^n and 1",
             recorded=True, test="tests/test_plant_hx_off_design.py::test_off_design_ua_by_hand"),
        Case("plate_hx.campus.constant_ua", "plate-hx",
             "the same point with a constant UA: how much cooler its hot outlet is",
             "a direction (a constant UA overstates the exchanger)", None, metric="value",
             unit="K", bounds=(0.05, None), why="large enough to matter in a plant",
             recorded=True, test="tests/test_plant_hx_off_design.py::test_off_design_ua_by_hand"),
        # ------------------------------------------------------------ climate and sea
        Case("climate.narvik.tables", "climate",
             "Narvik monthly air temperature (module table and site), mean daily range, "
             "fjord surface temperature", "R38, typed into the registry from the source",
             1e-12, metric="absolute", unit="K", why="the tables are the source's",
             measure=_narvik_tables),
        Case("climate.narvik.annual_mean", "climate", "annual mean of the R38 air table",
             "R38's annual mean", 0.05, metric="absolute", unit="K",
             value_unit="°C", why="R38 prints one decimal",
             model=lambda: float(np.mean(AIR_R38)), reference=5.1),
        Case("climate.marseille.tables", "climate",
             "Marseille monthly air temperature (midpoint of mean daily max and min), mean "
             "daily range, sea surface", "[M1] (see the site's ``sources``)", 1e-12,
             metric="absolute", unit="K", why="the tables are the source's",
             measure=_marseille_tables),
        *[Case(f"climate.marseille.{m}", "climate",
               f"Marseille, {name} mean air temperature",
               "Climates to Travel (a second source, whole degrees)", 1.0, metric="absolute",
               unit="K", value_unit="°C", why="two sources and two periods",
               model=(lambda k=k: float(_site("marseille").air_temperature(k).m_as("degC"))),
               reference=ref)
          for m, name, k, ref in (("january", "January", 1, 7.2), ("july", "July", 7, 24.8))],
        Case("climate.marseille.deep", "climate", "Marseille sea at 500 m, every month",
             "western Mediterranean deep water: Smith et al. (2008) 12.89–12.92 °C, UNEP/MAP "
             "(2012) 12.7 °C; the default 12.9 °C", 0.01, metric="absolute",
             unit="K", value_unit="°C", why="the deep value is the model's input",
             model=lambda: _site("marseille").sea_temperature(MONTHS, _Q(500, "m")).m_as(
                 "degC"), reference=12.9, reference_text="12.9 °C"),
        Case("climate.marseille.salinity", "climate", "Marseille salinity at 1000 m",
             "Smith et al. (2008) 38.48–38.49, UNEP/MAP (2012) 38.4; the default 38.45", 0.01,
             metric="absolute", unit="g/kg",
             why="the deep value is the model's input",
             model=lambda: float(_site("marseille").sea_salinity(1, _Q(1000, "m")).m_as(
                 "g/kg")), reference=38.45),
        Case("climate.fjord.july_150m", "climate", "Ofotfjord at 150 m in July",
             "R37 (Eggum below 150 m: about 6.5 °C)", 0.1, metric="absolute", unit="K",
             value_unit="°C", why="“about”: the published value has one decimal",
             model=lambda: float(_fjord(7, 150.0)), reference=6.5),
        Case("climate.fjord.january_150m", "climate", "Ofotfjord at 150 m in January",
             "R37 (just over 7 °C)", None, metric="value", unit="°C", bounds=(7.0, 7.3),
             why="“just over 7”", model=lambda: float(_fjord(1, 150.0))),
        Case("climate.fjord.range_300m", "climate", "seasonal range at 300 m",
             "R36 (Skrova 300 m, behind the Vestfjord sill: nearly constant)", None,
             metric="value", unit="K", bounds=(None, 0.1), why="the cycle fades with depth",
             model=lambda: float(np.ptp(_fjord(MONTHS, 300.0)))),
        Case("climate.fjord.mean_300m", "climate", "mean temperature at 300 m",
             "R36, R37 (about 6.8 °C)", 0.05, metric="absolute", unit="K", value_unit="°C",
             why="the deep value of the fit",
             model=lambda: float(np.mean(_fjord(MONTHS, 300.0))), reference=6.8),
        Case("climate.fjord.intake", "climate",
             "deep intake, 50–100 m, every month: coldest and warmest",
             "narvik-facts, suggested defaults (deep intake 4–9 °C)", None, metric="value",
             unit="°C", bounds=(4.0, 9.0), why="the validation range of the fact sheet",
             model=lambda: {"coldest": float(_fjord(MONTHS[:, None], [50, 75, 100]).min()),
                            "warmest": float(_fjord(MONTHS[:, None], [50, 75, 100]).max())}),
        Case("climate.fjord.drammen", "climate", "Ofotfjord at 18 m in August",
             "Drammen's intake at 18 m, 8–9 °C (R39)", None, metric="value", unit="°C",
             bounds=(8.0, 10.0),
             why="another fjord: comparable, not equal; 1 K wider above",
             model=lambda: float(_fjord(8, 18.0))),
        Case("climate.fjord.surface_warmest", "climate", "warmest month at the surface",
             "R38 (August)", 0.5, metric="absolute", why="whole months",
             model=lambda: float(np.argmax(_fjord(MONTHS, 0.0)) + 1), reference=8.0),
        Case("climate.fjord.lag", "climate",
             "months from August to the warmest month at 100 and 150 m",
             "IMR fixed stations (Lista, Bud, Ytre Utsira): deep water warmest in winter",
             None, metric="value", bounds=(4.0, 6.0), inclusive=True,
             why="December to February", measure=_warmest_month_lag),
        Case("climate.fjord.profile", "climate",
             "temperature profile 0–553 m, every month: coldest and warmest",
             "the surface table's range (R38), ± 0.5 K for the smooth seasonal curve", None,
             metric="value", unit="°C", bounds=(3.5, 12.5), inclusive=True,
             why="with the lag the profile is not monotone (last summer's heat under a "
                 "cold surface, R36), but bounded", measure=_profile_bounds),
        Case("climate.fjord.gradient", "climate",
             "largest temperature gradient of those profiles", "no jumps", None,
             metric="value", unit="K/m", bounds=(None, 0.5), why="a smooth profile",
             measure=_profile_gradient),
        Case("climate.sea.kelvin_amplitude", "climate",
             "a pure annual cosine through the sea model: amplitude at the e-folding depth "
             "over the surface's", "Kelvin's damped wave, e^(−z/z_A) = e^(−1)", 1e-6,
             why="the model is that wave for one harmonic; monthly sampling",
             model=lambda: _kelvin_wave()[0], reference=math.exp(-1.0), reference_text="e^(−1)"),
        Case("climate.sea.kelvin_lag", "climate", "the same: month of its peak",
             "the surface's peak (August) + the 2-month lag", 0.02, metric="absolute",
             unit="month", why="the sampling of the curve (0.01 month)",
             model=lambda: _kelvin_wave()[1], reference=10.0),
        Case("climate.fjord.salinity_200m", "climate", "salinity at 200 m",
             "R37 (steady about 35)", 0.02, metric="absolute", unit="g/kg",
             why="the deep value of the fit", model=lambda: float(_salinity(1, 200.0)),
             reference=35.0),
        Case("climate.fjord.salinity_surface", "climate",
             "surface salinity, every month: lowest and highest", "R37 (30–34 at the surface)",
             None, metric="value", unit="g/kg", bounds=(30.0, 34.0), inclusive=True,
             why="the published range", model=lambda: {
                 "lowest": float(_salinity(MONTHS, 0.0).min()),
                 "highest": float(_salinity(MONTHS, 0.0).max())}),
        Case("climate.fjord.salinity_100m", "climate",
             "salinity at 100 m, every month: lowest and highest", "R37", None,
             metric="value", unit="g/kg", bounds=(34.5, 35.0), inclusive=True,
             why="between the surface and the deep value", model=lambda: {
                 "lowest": float(_salinity(MONTHS, 100.0).min()),
                 "highest": float(_salinity(MONTHS, 100.0).max())}),
        Case("climate.hourly.air", "climate",
             "hourly years: monthly means of the air temperature",
             "the site's monthly table (R38, [M1])", 1e-9, metric="absolute", unit="K",
             why="the generator preserves the means by construction", recorded=True,
             test="tests/test_climate_weather.py::test_monthly_means_reproduced"),
        Case("climate.hourly.humidity", "climate",
             "hourly years: monthly means of the relative humidity",
             "the site's monthly table ([GEK])", 1e-6, metric="absolute", unit="%",
             why="preserved by construction; clipped hours are rescaled", recorded=True,
             test="tests/test_climate_weather.py::test_monthly_means_reproduced"),
        Case("climate.hourly.sea", "climate",
             "hourly years: monthly means of the sea temperature (intake and surface)",
             "the sea model's monthly values", 1e-9, metric="absolute", unit="K",
             why="preserved by construction", recorded=True,
             test="tests/test_climate_weather.py::test_monthly_means_reproduced"),
        Case("climate.hourly.july_range", "climate",
             "hourly year at Narvik: mean daily range in July", "R38", 0.3,
             metric="absolute", unit="K", reference=7.0,
             why="the daily cycle's shape near the month's ends", recorded=True,
             test="tests/test_climate_weather.py::test_daily_cycle_and_humidity"),
        Case("climate.hourly.wet_bulb", "climate", "hourly year: wet bulb",
             "the psychrometric functions (``humid_air.wet_bulb_temperature``), hour by hour",
             1e-12, why="the same function", recorded=True,
             test="tests/test_climate_weather.py::test_daily_cycle_and_humidity"),
        Case("climate.design.derivation", "climate",
             "stored 0.4 % design conditions (cooling dry bulb, coincident and evaporation "
             "wet bulb)", "their derivation from ten synthetic years (seeds 0–9)", 0.051,
             metric="absolute", unit="K",
             why="the stored values are rounded to 0.1 K (the ASHRAE values were not "
                 "obtained)", recorded=True,
             test="tests/test_climate_site.py::test_design_conditions_against_their_"
                  "derivation"),
        *[Case(f"climate.design.{n}", "climate", f"{title}: 0.4 % cooling dry bulb",
               src, None, metric="value", unit="°C", bounds=b, why=why,
               model=(lambda n=n: float(_site(n).design_conditions["cooling_dry_bulb"].m_as(
                   "degC"))))
          for n, title, src, b, why in (
              ("narvik", "Narvik", "July mean daily maximum 18 °C (R38) and the record "
               "32.5 °C (R53)", (18.0, 32.5), "a bound by the sources, not a validation"),
              ("marseille", "Marseille", "July mean daily maximum 29.5 °C ([M1]) and the "
               "record, about 40 °C", (29.5, 40.0), "as for Narvik"))],
        # ------------------------------------------------------------ transient
        Case("transient.energy_closure", "transient",
             "every transient run of the tests: (stored + rejected − injected)/injected",
             "the first law", 1e-6, why="the scheme conserves enthalpy; the hydraulics of "
             "each step are solved to their own tolerance", recorded=True,
             test="tests/test_transient.py", fields=(("runs", "runs"),)),
        Case("transient.pipe_loss.mean_delay", "transient",
             "pipe losing heat: mean delay of the outlet response in enthalpy",
             "the stored fluid's, ρV/ṁ with the densities of the start state", 1e-4,
             why="the heat-loss law is linearised about the state after the step",
             recorded=True,
             test="tests/test_transient.py::test_pipe_with_heat_loss_against_the_plug_flow_"
                  "solution"),
        Case("transient.trip.time_to_limit", "transient",
             "pump trip: time from the trip until the hottest chip passes 85 °C",
             "a direction: within the 15 s without flow", None, metric="value", unit="s",
             bounds=(0.0, 15.0),
             why="without flow the chip lump heats at P/C ≈ 8.7 K/s (1 kW, 115.5 J/K)",
             recorded=True, test="tests/test_transient.py::test_pump_trip_and_failover"),
        # ------------------------------------------------------------ annual runs
        Case("annual.energy_closure", "annual",
             "every hour of a run: the hour's energy closure", "the first law", 1e-9,
             why="as every operating point", recorded=True, test=ann),
        Case("annual.heat_balance", "annual",
             "every hour: heat out (sea, air, delivered, network losses) against "
             "electricity in + boiler heat", "the first law, from the Dataset's variables",
             1e-6, why="the acceptance of the issue 'Annual simulation' (the energy balance "
             "of every hour closes to 1e-6), here over the Dataset's variables, so that a "
             "variable missing from the books shows; each hour's own closure is 1e-9",
             recorded=True,
             test=f"{ann}::test_energy_balance_closes_every_hour"),
        Case("annual.same_as_operate", "annual",
             "an hour of the run: total power and heat to the sea",
             "the same hour operated directly (``Campus.operate``)", 1e-5,
             why="the run warm-starts each hour from the last", recorded=True,
             test=f"{ann}::test_every_hour_is_an_operate_of_the_built_campus"),
        Case("annual.heat_delivered", "annual",
             "heat export through a run: heat delivered every hour",
             "the demand, the model's or given by the caller", 1e-6,
             why="as for one operating point", recorded=True,
             test=f"{ann}::test_annual_with_heat_export"),
        Case("annual.demand_shape", "annual",
             "hourly district-heating demand (8 MW design, four hours at −10 … 20 °C)",
             "degree hours below 17 °C plus a flat 20 % share, the coldest hour at the "
             "design demand, by hand", 1e-12, why="the same arithmetic",
             measure=_demand_shape),
        Case("annual.demand_total", "annual",
             "the same with ``annual_heat=40 MWh``: the hours' sum",
             "the annual heat given", 1e-12, why="scaled to it", measure=_demand_total),
        Case("annual.kpis", "annual",
             "EU KPIs of a run with heat export (PUE in both boundaries, ERF outside)",
             "the ratios of the run's energies by hand", 1e-9,
             why="the same sums", recorded=True, test=f"{ann}::test_the_year_feeds_the_eu_kpis"),
        # ------------------------------------------------------------ KPIs
        Case("kpi.pue", "kpi",
             "PUE = E_DC/E_IT, heat pumps outside and inside the boundary (four hours of "
             "different load)", "E_DC and E_IT summed by hand (EN 50600-4-2, ISO/IEC 30134-2)",
             1e-12, why="the same arithmetic in another order", measure=_kpi_pue),
        Case("kpi.ppue", "kpi", "partial PUE of cooling, (E_IT + E_cool)/E_IT",
             "by hand (ISO/IEC 30134-2 Annex D)", 1e-12, why="the same arithmetic",
             measure=_kpi_ppue),
        Case("kpi.erf", "kpi", "ERF = E_REUSE/E_DC, with a peak boiler in the network",
             "by hand (ISO/IEC 30134-6): outside, the heat exported; inside, what the heat "
             "pumps put into the network", 1e-12, why="the same arithmetic",
             measure=_kpi_erf),
        Case("kpi.wue", "kpi", "WUE in L/kWh (water consumed; water input)",
             "by hand (ISO/IEC 30134-9)", 1e-12, why="the same arithmetic",
             measure=_kpi_wue),
        Case("kpi.cer_ere_cue", "kpi", "CER, ERE and CUE in both boundaries",
             "by hand (ISO/IEC 30134-7; The Green Grid WP 29; ISO/IEC 30134-8)", 1e-12,
             why="the same arithmetic", measure=_kpi_cer_ere_cue),
        Case("kpi.co2", "kpi",
             "CO2 emitted, avoided and net (grid 100 g/kWh, oil displaced)",
             "by hand: E_DC × grid; heat into the network × 264.5/0.85 g/kWh, minus the heat "
             "pumps' electricity outside", 1e-12,
             why="the same arithmetic; net is the same in both boundaries",
             measure=_kpi_co2),
        Case("kpi.monthly", "kpi", "monthly energies, water and CO2 (three months)",
             "the annual sums", 1e-12, why="the same hours, grouped", measure=_kpi_monthly),
        # ------------------------------------------------------------ audit
        Case("audit.gpus_20mw.racks", "audit",
             "``gpus-20MW``: racks for 15,000 GPUs, as the audit reports them",
             "⌈15000/72⌉ = 209 by hand (narvik-facts §0: about 208)", 1e-9,
             metric="absolute", why="a count", reference_text="209",
             measure=_gpus_racks),
        Case("audit.gpus_20mw.it_power", "audit",
             "``gpus-20MW``: IT power of those racks, as reported",
             "racks × 135 kW (the library's rack) by hand", 0.05, metric="absolute",
             unit="MW", why="the answer is printed to 0.1 MW",
             measure=_gpus_it_power_by_hand),
        Case("audit.gpus_20mw.fact_sheet", "audit",
             "``gpus-20MW``: the same IT power", "narvik-facts §0: 27–30 MW of IT", None,
             metric="value", unit="MW", bounds=(27.0, 30.0), inclusive=True,
             why="the fact sheet's range",
             model=lambda: first_number(_gpus_20mw()["IT power of those racks (library rack)"])),
        Case("audit.heat_85c.supply", "audit",
             "``heat-85C``: highest coolant supply keeping every chip of a rack at 55 °C",
             "narvik-facts §9: 55 − 1,400 W × 0.025 K/W = 20 °C", 1.0, metric="absolute",
             unit="K", value_unit="°C", reference=55.0 - 1400.0 * 0.025,
             why="the tray flow is not the plate's rated flow, so R differs a little from "
                 "0.025 K/W", recorded=True,
             test="tests/test_audit.py::test_heat_85c_against_the_fact_sheet"),
    ]
