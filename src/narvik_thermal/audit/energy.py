"""Claims about a year of operation: ``winter-heat-30pct``, ``co2-20kt``,
``cooling-30pct-mediterranean``, ``salmon-1000t`` and ``renewable-100pct``, each
from the annual runs of a :class:`~narvik_thermal.audit.Scenario`."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..errors import ConvergenceError, InputError, user_api
from ..units import Q_, to_si, to_temperature
from .report import CLAIMS, UNSOURCED_CLAIM, ClaimResult, pair
from .report import assumption as arg
from .scenario import Scenario, energy, failed_note, per_year, scenario_or_default

__all__ = ["winter_heat_30pct", "co2_20kt", "cooling_30pct_mediterranean", "salmon_1000t",
           "renewable_100pct"]


# ---------------------------------------------------------- winter-heat-30pct
_WINTER = (10, 11, 12, 1, 2, 3, 4)


def _months(value: Any, name: str) -> tuple:
    try:
        m = tuple(int(x) for x in value)
    except (TypeError, ValueError):
        m = ()
    if not m or any(not 1 <= x <= 12 for x in m):
        raise InputError(f"{name}={value!r} must be a sequence of month numbers 1–12, e.g. "
                         f"{_WINTER}.")
    return m


@user_api
def winter_heat_30pct(scenario: Scenario | None = None, *, claimed_share: float = 0.30,
                      winter_months: Sequence[int] = _WINTER, connected_share: float = 1.0,
                      connected_share_range: tuple = (0.1, 1.0)) -> ClaimResult:
    r"""``winter-heat-30pct``: the recovered heat covers 30 % of Narvik's residential
    winter heating.

    The phase-1 campus with heat pumps and a town network designed for the
    peak residential demand (:meth:`Scenario.town_year`) is operated through
    the year; coverage = heat delivered from the campus in the winter months
    over the residential heating demand of those months.

    Parameters
    ----------
    scenario : Scenario, optional
        The shared runs (default ``Scenario()``).
    claimed_share : float
        0.30 as claimed.
    winter_months : sequence of int
        Months counted as winter (October–April [GEK]).
    connected_share : float
        Share of the residential heat demand reachable by district heating
        (default 1: every home connected — the reading most favourable to the
        claim).
    connected_share_range : (float, float)
        Its range, the most uncertain assumption: Narvik's district heating
        (licensed 2011, about 9 km, wood chips) serves commercial, public and
        large residential buildings (R56, R57); the share of homes on it was
        not found (0.1 [GEK] to 1).

    Returns
    -------
    ClaimResult

    Notes
    -----
    At a connected share *s* the town asks *s* × the hourly demand. The
    coverage is :math:`\sum_w \min(s D_h, Q_h) / \sum_w D_h` with :math:`Q_h`
    what the campus delivered when asked the full :math:`D_h` — the plant that
    meets the full demand in an hour is taken to meet a part of it.
    """
    sc = scenario_or_default(scenario)
    share = float(to_si(claimed_share, "", "claimed_share"))
    months = _months(winter_months, "winter_months")
    s = [float(to_si(connected_share, "", "connected_share"))]
    s += [float(to_si(x, "", "connected_share_range"))
          for x in pair(connected_share_range, "connected_share_range")]
    if not all(0 < x <= 1 for x in s) or not 0 < share <= 1:
        raise InputError(f"connected_share={connected_share!r}, connected_share_range="
                         f"{connected_share_range!r} and claimed_share={claimed_share!r} must "
                         "be fractions in (0, 1].")
    y = sc.town_year()
    winter = np.isin(y["time.month"].values, months) & y["converged"].values
    # failed hours are NaN in the run: left out (counted in the method text), never summed
    D = np.where(winter, y["heat_demand"].values, 0.0)
    Qd = np.where(winter, y["heat_delivered"].values - y["heat_boiler"].values, 0.0)
    dt = float(y.attrs["time_step_s"]) / 3.6e12
    if not D.sum() > 0:
        raise ConvergenceError(f"winter_heat_30pct: no converged hour with heat demand in the "
                               f"winter months {months} of the run ({failed_note(y).strip()})",
                               result=y)
    cover = [float(np.minimum(x * D, Qd).sum() / D.sum()) for x in s]
    holds = [c >= share for c in cover]
    d_w, q_w = D.sum() * dt, Qd.sum() * dt
    return ClaimResult(
        id="winter-heat-30pct", claim=CLAIMS["winter-heat-30pct"],
        method=("nt.simulation.annual of the phase-1 campus with R717 heat pumps on the "
                "facility-water return feeding a town network (85/45 °C, designed for the "
                f"peak hour, {sc.town_design_demand():.1f~P}) over the transmission line; "
                "hourly residential demand by the degree-hour model (base 17 °C, 20 % hot "
                "water) summing to the annual residential heat." + failed_note(y)),
        answer={"winter residential demand": f"{d_w:.1f} GWh",
                "delivered from the campus in winter": f"{q_w:.1f} GWh",
                f"coverage at a connected share of {s[0]:g}": f"{cover[0]:.0%}",
                "heat-pump electricity (whole year)":
                    f"{energy(y, 'heat_pump_power') * per_year(y):.1f} GWh",
                "town network design (peak) demand": f"{sc.town_design_demand():.1f~P}"},
        assumptions={
            "annual_residential_heat": arg(sc.annual_residential_heat,
                                           "narvik-facts §8: about 10,500 households × about "
                                           "10 MWh [GEK inputs]; an argument of Scenario"),
            "trunk_length": arg(sc.trunk_length, "Kvandal–Narvik by road, narvik-facts §0 "
                                "[GEK]; an argument of Scenario"),
            "winter_months": arg(", ".join(map(str, months)), "October–April [GEK]"),
            "connected_share": arg(s[0], "every home reachable (most favourable to the claim)"),
            "connected_share_range": arg(" – ".join(map(str, connected_share_range)),
                                        "Narvik DH serves commercial, public and large "
                                        "residential buildings (R56, R57); share of homes "
                                        "not found [GEK]"),
            "claimed_share": arg(share, "the claim"),
            "scenario": arg(sc.basis(), "nt.audit.Scenario"),
        },
        sensitivity={"assumption": "connected_share",
                     "cases": [{"value": f"{x:g}", "answer": f"coverage {c:.0%}",
                                "holds": h} for x, c, h in zip(s, cover, holds)]},
        reason=(f"The campus has the heat: with heat pumps it delivered {cover[0]:.0%} of the "
                f"town's winter residential demand ({q_w:.0f} of {d_w:.0f} GWh). Whether it "
                f"covers {share:.0%} of residential heating depends on how much of it a "
                f"district-heating network reaches: it holds if at least {share:.0%} of the "
                f"homes' heat is connected (coverage {cover[2]:.0%} at a share of "
                f"{s[2]:g}, {cover[1]:.0%} at {s[1]:g}), and it needs the "
                f"{sc.trunk_length:~P} transmission line."),
        unsourced=(UNSOURCED_CLAIM, "Narvik's residential heat demand (GEK)",
                   "the share of Narvik's homes on district heating",
                   "the route and length of a line from Kvandal to Narvik"))


# -------------------------------------------------------------------- co2-20kt
_DISPLACED = ("wood_chips", "natural_gas", "oil")


def _heat_source(name: str) -> str:
    from ..kpi import DISPLACED_HEAT, GRID_CO2
    if name in ELECTRIC_HEATING:
        return f"{name}: {GRID_CO2[ELECTRIC_HEATING[name]][1]}, for the heat pumps too"
    return DISPLACED_HEAT[name].source


#: Displaced electric heating (direct, efficiency 1 [GEK]), counted with the grid factor
#: of :data:`narvik_thermal.kpi.GRID_CO2` named here — the heat pumps' electricity then
#: with the same factor, so that both sides of the balance use one accounting.
ELECTRIC_HEATING = {"electric_heating_location": "norway_average",
                    "electric_heating_residual": "norway_residual"}


@user_api
def co2_20kt(scenario: Scenario | None = None, *, claimed: Any = "20000 t",
             displaced_heat: str = "wood_chips",
             displaced_heat_range: Sequence[str] = ("electric_heating_location",
                                                    "electric_heating_residual",
                                                    "natural_gas", "oil"),
             grid_co2: Any = "dataset") -> ClaimResult:
    r"""``co2-20kt``: 20,000 t of CO2 avoided per year.

    From the same year as ``winter-heat-30pct`` (every home connected, the
    reading most favourable to the claim): :func:`narvik_thermal.kpi.eu_kpis`
    ``co2_avoided`` with the heat pumps outside the data-centre boundary — the
    displaced heat's CO2 minus that of the heat pumps' electricity.

    Parameters
    ----------
    scenario : Scenario, optional
        The shared runs.
    claimed : pint.Quantity
        20,000 t per year as claimed.
    displaced_heat : str
        What the exported heat replaces: a key of
        :data:`narvik_thermal.kpi.DISPLACED_HEAT` or of :data:`ELECTRIC_HEATING`;
        default wood chips, what Narvik's district heating was licensed to burn
        (R56, R57).
    displaced_heat_range : sequence of str
        The alternatives of the sensitivity, the most uncertain assumption: the
        homes' direct electric heating (Norwegian homes heat mostly with
        electricity [GEK]) counted location-based (19 g/kWh, R97) or
        market-based (the residual mix, 402 g/kWh, R98–R100) — the heat pumps'
        electricity then at the same factor —, natural gas and oil.
    grid_co2 : str or pint.Quantity
        Grid factor for the heat pumps when a fuel is displaced (``eu_kpis``'s
        ``grid_co2``; default the weather's hourly Norwegian physical mix,
        19 g/kWh, R97).

    Returns
    -------
    ClaimResult
    """
    from ..kpi import DISPLACED_HEAT, GRID_CO2, DisplacedHeat, eu_kpis
    sc = scenario_or_default(scenario)
    target = float(to_si(claimed, "kg", "claimed")) / 1e3
    if isinstance(displaced_heat_range, str) or not len(displaced_heat_range):
        raise InputError(f"displaced_heat_range={displaced_heat_range!r} must be a sequence of "
                         "heat sources, e.g. ('natural_gas', 'oil').")
    cases = [displaced_heat, *displaced_heat_range]
    known = sorted(DISPLACED_HEAT) + sorted(ELECTRIC_HEATING)
    for c in cases:
        if c not in known:
            raise InputError(f"displaced_heat={c!r} is not one of {known}.")
    y = sc.town_year()
    failed = "exclude" if int(y.attrs["hours_failed"]) else "raise"
    yearly = per_year(y)
    avoided, k0 = [], None
    for c in cases:
        if c in ELECTRIC_HEATING:
            factor, source = GRID_CO2[ELECTRIC_HEATING[c]]
            disp = DisplacedHeat(c.replace("_", " "), factor, 1.0,
                                 f"{source}; direct electric heating, efficiency 1 [GEK]")
            k = eu_kpis(y, displaced_heat=disp, grid_co2=ELECTRIC_HEATING[c],
                        failed_hours=failed)
        else:
            k = eu_kpis(y, displaced_heat=c, grid_co2=grid_co2, failed_hours=failed)
        k0 = k0 or k
        avoided.append(float(k["co2_avoided"].sel(boundary="heat_pumps_outside")) * yearly)
    holds = [a >= target for a in avoided]
    displaced = float(k0["heat_displaced"].sel(boundary="heat_pumps_outside")) * yearly
    hp = float(k0["e_heat_pumps"].sel(boundary="heat_pumps_outside")) * yearly
    oil = DISPLACED_HEAT["oil"].heat_co2
    need = target / oil          # GWh of oil heat: t / (g/kWh) = 1e6 g / (g/kWh) = GWh
    return ClaimResult(
        id="co2-20kt", claim=CLAIMS["co2-20kt"],
        method=("nt.kpi.eu_kpis on the town year (heat pumps outside the boundary: the "
                "displaced heat's CO2 minus the heat pumps' electricity at the grid factor); "
                "scaled to 365 days." + failed_note(y)),
        answer={"district heat displaced": f"{displaced / 1e3:.1f} GWh/yr",
                "heat-pump electricity": f"{hp / 1e3:.1f} GWh/yr",
                f"CO2 avoided ({cases[0]})": f"{avoided[0]:,.0f} t/yr",
                "oil heat needed for the claim": f"{need:.0f} GWh/yr"},
        assumptions={
            "displaced_heat": arg(displaced_heat, _heat_source(displaced_heat)),
            "displaced_heat_range": arg(", ".join(displaced_heat_range),
                                        "; ".join(_heat_source(c) for c in cases[1:])),
            "grid_co2": arg(grid_co2, "the weather's hourly Norwegian physical mix, 19 g/kWh "
                           "(R97)" if grid_co2 == "dataset" else "given"),
            "claimed": arg(claimed, "the claim"),
            "scenario": arg(sc.basis() + " Every home connected.", "nt.audit.Scenario"),
        },
        sensitivity={"assumption": "displaced_heat",
                     "cases": [{"value": c, "answer": f"{a:,.0f} t/yr avoided", "holds": h}
                               for c, a, h in zip(cases, avoided, holds)]},
        reason=(f"Putting all of the town's modelled residential heat into its network "
                f"({displaced / 1e3:.0f} GWh/yr with the network's losses) avoids "
                + ", ".join(f"{a:,.0f} t/yr against {c.replace('_', ' ')}"
                            for c, a in zip(cases, avoided))
                + f". {target:,.0f} t/yr needs about {need:.0f} GWh/yr of displaced oil "
                "heat, or displaced electric heating counted market-based (the residual mix, "
                "the heat pumps' electricity at the same factor); location-based, or against "
                "wood chips, it is an order of magnitude less. Narvik's district heating was "
                "licensed for wood chips (R56, R57) and oil heating is largely banned in "
                "Norway [GEK]."),
        unsourced=(UNSOURCED_CLAIM, "what Narvik's district heating burns today (the 2011 "
                   "licence is for wood chips; later fuel mix not found)",
                   "boiler efficiencies and wood-chip supply-chain factor (GEK)"))


# -------------------------------------------------- cooling-30pct-mediterranean
def _cooling_energy(y: Any) -> float:
    return sum(energy(y, k) for k in ("pump_power", "fan_power", "chiller_power"))


@user_api
def cooling_30pct_mediterranean(scenario: Scenario | None = None, *,
                                claimed_reduction: float = 0.30,
                                mediterranean_site: str = "marseille",
                                mediterranean_plant: str = "cooling_tower",
                                mediterranean_plant_range: tuple = ("dry_cooler",)
                                ) -> ClaimResult:
    r"""``cooling-30pct-mediterranean``: 30 % less cooling energy than a Mediterranean
    data centre.

    The same campus (IT, CDUs, 25 °C TCS supply, air handlers) without heat
    export at Narvik on the fjord and at the Mediterranean site on an air-side
    plant with a trim chiller, each sized at its own site's design conditions
    and operated through its synthetic year. Cooling electricity = pumps + fans
    + chillers.

    Parameters
    ----------
    scenario : Scenario, optional
        The shared runs.
    claimed_reduction : float
        0.30 as claimed.
    mediterranean_site : str
        The comparison site (``nt.climate.site``; Marseille).
    mediterranean_plant : {"cooling_tower", "dry_cooler"}
        Its heat rejection (an evaporative tower, common for large sites
        [GEK]).
    mediterranean_plant_range : tuple of str
        The other plants of the sensitivity, the most uncertain assumption.

    Returns
    -------
    ClaimResult
    """
    sc = scenario_or_default(scenario)
    red = float(to_si(claimed_reduction, "", "claimed_reduction"))
    if not 0 < red < 1:
        raise InputError(f"claimed_reduction={claimed_reduction!r} must be in (0, 1).")
    plants = [mediterranean_plant, *mediterranean_plant_range]
    narvik = sc.cooling_year("narvik", "fjord")
    ys = [sc.cooling_year(mediterranean_site, p) for p in plants]
    e_n = _cooling_energy(narvik) * per_year(narvik)          # GWh per 365 days
    e_m = [_cooling_energy(y) * per_year(y) for y in ys]
    r = [1.0 - e_n / e for e in e_m]
    holds = [x >= red for x in r]
    it = energy(narvik, "it_power") * per_year(narvik)
    water = [per_year(y) * float((y["water_consumed"].where(y["converged"], 0.0)).sum())
             * float(y.attrs["time_step_s"]) for y in ys]
    return ClaimResult(
        id="cooling-30pct-mediterranean", claim=CLAIMS["cooling-30pct-mediterranean"],
        method=("Three nt.simulation.annual runs of the same campus without heat export: "
                f"Narvik on the fjord, {mediterranean_site} on each plant, each sized at its "
                "site; cooling electricity = pumps + fans + chillers." +
                failed_note(narvik, *ys)),
        answer={"cooling electricity at Narvik": f"{e_n * 1e3:,.0f} MWh/yr",
                **{f"at {mediterranean_site}, {p}": f"{e * 1e3:,.0f} MWh/yr"
                   for p, e in zip(plants, e_m)},
                f"reduction against the {plants[0]}": f"{r[0]:.0%}",
                "cooling share of IT energy at Narvik": f"{e_n / it:.1%}",
                f"water consumed by the {plants[0]}": f"{water[0]:,.0f} m³/yr"},
        assumptions={
            "mediterranean_site": arg(mediterranean_site, "nt.climate.site (monthly normals "
                                     "with their sources)"),
            "mediterranean_plant": arg(mediterranean_plant, "GEK"),
            "mediterranean_plant_range": arg(", ".join(mediterranean_plant_range), "GEK"),
            "tcs_supply": arg("25 °C at both sites", "R18, R20, R21: a comparison of heat "
                             "rejection, not of chip temperatures"),
            "claimed_reduction": arg(red, "the claim"),
            "scenario": arg(sc.basis(), "nt.audit.Scenario"),
        },
        sensitivity={"assumption": "mediterranean_plant",
                     "cases": [{"value": p, "answer": f"{x:.0%} less at Narvik "
                                f"({e_n * 1e3:,.0f} vs {e * 1e3:,.0f} MWh/yr)", "holds": h}
                               for p, x, e, h in zip(plants, r, e_m, holds)]},
        reason=(f"Narvik needs {r[0]:.0%} less cooling electricity than {mediterranean_site} "
                f"on a {plants[0].replace('_', ' ')} and "
                + ", ".join(f"{x:.0%} less than on a {p.replace('_', ' ')}"
                            for p, x in zip(plants[1:], r[1:]))
                + f". A warm-water (25 °C) design free-cools most of the Mediterranean year and "
                "the pumps and air-handler fans are the same at both sites, so the claim "
                "depends on the plant it is compared with; cooling is "
                f"{e_n / it:.1%} of the IT energy at Narvik."),
        unsourced=(UNSOURCED_CLAIM, "which Mediterranean data centre and plant the claim "
                   "compares with"))


# ---------------------------------------------------------------- salmon-1000t
@user_api
def salmon_1000t(scenario: Scenario | None = None, *, production: Any = "1000 t/yr",
                 make_up_water_per_kg_feed: Any = "300 L/kg",
                 make_up_water_range: tuple = ("100 L/kg", "3000 L/kg"),
                 target_temperature: Any = "13 degC", approach: Any = "3 K") -> ClaimResult:
    r"""``salmon-1000t``: heat for a land-based farm producing 1,000 t of salmon a year.

    The farm's heat (:func:`narvik_thermal.demand.salmon_farm_heat_demand`,
    make-up water heated from the sea at the intake to the rearing
    temperature) at the coldest sea temperature of the year is compared with
    the heat the campus rejects to the sea in its leanest hour of the town
    year, and the rearing temperature with the facility-water return.

    Parameters
    ----------
    scenario : Scenario, optional
        The shared runs.
    production : pint.Quantity
        1,000 t/yr as claimed.
    make_up_water_per_kg_feed : pint.Quantity
        300 L/kg (narvik-facts §6 [GEK]).
    make_up_water_range : (pint.Quantity, pint.Quantity)
        Its range, the most uncertain assumption (100 L/kg for intensive
        RAS to 3,000 L/kg for partial reuse [GEK]).
    target_temperature : pint.Quantity
        Rearing temperature, 13 °C (12–14 °C, R79, R80).
    approach : pint.Quantity
        Heat-exchanger approach from facility water to farm water [GEK].

    Returns
    -------
    ClaimResult
    """
    from ..demand import salmon_farm_heat_demand
    from ..plant import defaults as D
    sc = scenario_or_default(scenario)
    y = sc.cooling_year("narvik", "fjord")
    ok = y["converged"].values
    T_sea = float(np.nanmin(np.where(ok, y["sea_temperature"].values, np.nan)))
    spare = float(np.nanmin(np.where(ok, y["heat_to_sea"].values, np.nan)))
    dT = float(to_si(approach, "K", "approach"))
    T_fw = (D.TCS_SUPPLY_TEMPERATURE.value.m_as("degC") - D.CDU_APPROACH.value.m_as("K")
            + D.FACILITY_DELTA_T.value.m_as("K"))
    T_t = float(to_temperature(target_temperature, "target_temperature")) - 273.15
    waters = [make_up_water_per_kg_feed, *pair(make_up_water_range, "make_up_water_range")]
    peak = [salmon_farm_heat_demand(production=production, make_up_water_per_kg_feed=w,
                                    target_temperature=target_temperature,
                                    intake_temperature=Q_(T_sea, "degC")).m_as("GWh")
            / (365.25 * 24) * 1e3 for w in waters]                # GWh/yr → MW
    hot_enough = T_fw >= T_t + dT
    holds = [hot_enough and p * 1e6 <= spare for p in peak]
    annual = salmon_farm_heat_demand(production=production,
                                     make_up_water_per_kg_feed=make_up_water_per_kg_feed,
                                     target_temperature=target_temperature).m_as("GWh")
    return ClaimResult(
        id="salmon-1000t", claim=CLAIMS["salmon-1000t"],
        method=("nt.demand.salmon_farm_heat_demand at the coldest sea temperature at the "
                "intake over the year against the campus's smallest hourly heat to the sea "
                "over the year (the campus without heat export to the town: with every home "
                "of the town served, the peak hour leaves no heat over); facility-water "
                "return from the plant's design temperatures." + failed_note(y)),
        answer={"farm heat at the coldest intake": f"{peak[0]:.2f} MW",
                "farm heat over a year (7 °C intake)": f"{annual:.1f} GWh/yr",
                "least heat to the sea in any hour": f"{spare / 1e6:.1f} MW",
                "facility-water return": f"{T_fw:.0f} °C for {T_t:.0f} °C fish water"},
        assumptions={
            "production": arg(production, "the claim"),
            "make_up_water_per_kg_feed": arg(make_up_water_per_kg_feed, "narvik-facts §6 [GEK]"),
            "make_up_water_range": arg(" – ".join(map(str, make_up_water_range)), "GEK"),
            "target_temperature": arg(target_temperature, "R79, R80 (12–14 °C)"),
            "approach": arg(approach, "GEK"),
            "scenario": arg(sc.basis(), "nt.audit.Scenario"),
        },
        sensitivity={"assumption": "make_up_water_per_kg_feed",
                     "cases": [{"value": str(w), "answer": f"{p:.2f} MW at the coldest intake",
                                "holds": h} for w, p, h in zip(waters, peak, holds)]},
        reason=(f"A 1,000 t/yr farm needs {peak[0]:.2f} MW at the coldest intake "
                f"({peak[1]:.2f}–{peak[2]:.2f} MW over the make-up range), against at least "
                f"{spare / 1e6:.1f} MW the campus rejects to the sea in every hour; the "
                f"{T_fw:.0f} °C facility-water return "
                + (f"heats {T_t:.0f} °C fish water without a heat pump. "
                   if hot_enough else f"is too cold for {T_t:.0f} °C fish water. ")
                + "The farm itself (site, licence, water) is outside the model."),
        unsourced=(UNSOURCED_CLAIM, "make-up water per kg of feed of the farm meant (GEK)"))


# ------------------------------------------------------------ renewable-100pct
@user_api
def renewable_100pct(scenario: Scenario | None = None, *, renewable_share: float = 1.0,
                     renewable_share_range: tuple = (0.0, 0.98),
                     boundary: str = "heat_pumps_inside") -> ClaimResult:
    r"""``renewable-100pct``: the site runs entirely on renewable power.

    REF = renewable energy / total data-centre energy
    (:func:`narvik_thermal.kpi.eu_kpis`, EN 50600-4-3 / ISO/IEC 30134-3):
    renewable energy counts only with guarantees of origin, a power purchase
    agreement or on-site generation — not the physical grid mix. The claim
    holds if REF = 1 (to 1e-9).

    Parameters
    ----------
    scenario : Scenario, optional
        The shared runs.
    renewable_share : float
        Share of all site electricity covered by guarantees of origin or PPAs
        (default 1: what "entirely renewable" needs).
    renewable_share_range : (float, float)
        The sensitivity, the most uncertain assumption: 0 (no certificates:
        Norwegian guarantees of origin are largely sold abroad, so the
        unclaimed electricity is the residual mix [GEK]) and 0.98 (GOs for the
        data centre but not the heat pumps' share — the example of a partial
        contract).
    boundary : {"heat_pumps_inside", "heat_pumps_outside"}
        Whose electricity the heat pumps use (inside: the site's, the stricter
        reading).

    Returns
    -------
    ClaimResult
    """
    from ..kpi import BOUNDARIES, eu_kpis
    sc = scenario_or_default(scenario)
    if boundary not in BOUNDARIES:
        raise InputError(f"boundary={boundary!r} is not one of {BOUNDARIES}.")
    shares = [renewable_share, *pair(renewable_share_range, "renewable_share_range")]
    y = sc.town_year()
    failed = "exclude" if int(y.attrs["hours_failed"]) else "raise"
    ref = [float(eu_kpis(y, renewable_share=s, failed_hours=failed)["ref"].sel(
        boundary=boundary)) for s in shares]
    holds = [r >= 1.0 - 1e-9 for r in ref]
    k = eu_kpis(y, renewable_share=shares[0], failed_hours=failed)
    yearly = per_year(y)
    e_dc = {b: float(k["e_dc"].sel(boundary=b)) * yearly / 1e3 for b in BOUNDARIES}
    return ClaimResult(
        id="renewable-100pct", claim=CLAIMS["renewable-100pct"],
        method=("nt.kpi.eu_kpis REF on the town year for both heat-pump boundaries; the "
                "renewable energy is the share of site electricity with guarantees of origin "
                "or PPAs." + failed_note(y)),
        answer={f"REF at renewable share {shares[0]:g}": f"{ref[0]:.2f}",
                "electricity to cover, heat pumps inside": f"{e_dc['heat_pumps_inside']:.0f} "
                                                          "GWh/yr",
                "electricity to cover, heat pumps outside":
                    f"{e_dc['heat_pumps_outside']:.0f} GWh/yr"},
        assumptions={
            "renewable_share": arg(renewable_share, "what the claim needs; not known"),
            "renewable_share_range": arg(" – ".join(map(str, renewable_share_range)), "GEK"),
            "boundary": arg(boundary, "Delegated Regulation (EU) 2024/1364 leaves it open; "
                           "inside is the stricter reading"),
            "scenario": arg(sc.basis(), "nt.audit.Scenario"),
        },
        sensitivity={"assumption": "renewable_share",
                     "cases": [{"value": f"{s:g}", "answer": f"REF {r:.2f}", "holds": h}
                               for s, r, h in zip(shares, ref, holds)]},
        reason=(f"REF is 1 only if guarantees of origin or PPAs cover all "
                f"{e_dc[boundary]:.0f} GWh/yr of site electricity, the heat pumps "
                "included; the Norwegian grid's low physical CO2 (19 g/kWh, R97) does not "
                "count as renewable energy in the EU scheme. Holds with such contracts; "
                "none were found."),
        unsourced=(UNSOURCED_CLAIM, "any guarantee-of-origin or PPA contract of the site",
                   "the renewable share of the Norwegian residual mix"))


