"""The site-claims audit (nt.audit): each claim against hand calculations from its
sources, the verdict rule, the shared runs, the report views and bad input.

The annual runs sample every 97th hour (97 is coprime with 24: every hour of the
day is sampled) to keep the suite fast; the verdicts do not depend on it (the
notebook 07 and the CLI default run every 25th hour).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
import validation_cases_site as vcs
from narvik_thermal import audit
from narvik_thermal.errors import InputError

Q_ = nt.Q_
STEP = 97


@pytest.fixture(scope="module")
def scenario():
    return audit.Scenario(step=STEP)


@pytest.fixture(scope="module")
def report(scenario):
    return audit.claims(scenario=scenario)


first_number = vcs.first_number  # the first number in a formatted answer ('28.2 MW', '1,790 t/yr')


# ----------------------------------------------------------------- the report
def test_every_claim_has_an_id_a_verdict_and_the_json_keys(report):
    assert [r.id for r in report] == list(audit.CLAIMS)
    data = json.loads(report.to_json())
    assert [d["id"] for d in data] == list(audit.CLAIMS)
    for d in data:
        assert {"id", "claim", "model", "assumptions", "verdict"} <= set(d)
        assert d["verdict"] in audit.VERDICTS
        assert d["model"]["answer"] and d["assumptions"]
        cases = d["model"]["sensitivity"]["cases"]
        assert len(cases) >= 2 and all(isinstance(c["holds"], bool) for c in cases)
        # the most uncertain assumption is one of the claim's assumptions or arguments
        assert d["model"]["sensitivity"]["assumption"]


def test_verdict_rule():
    assert audit.report.verdict_of(True, [True, True]) == "holds"
    assert audit.report.verdict_of(False, [False, False]) == "does not hold"
    assert audit.report.verdict_of(True, [False, True]) == "conditional"
    assert audit.report.verdict_of(False, [True]) == "conditional"


def test_verdicts_follow_the_rule_from_the_sensitivity_cases(report):
    for r in report:
        holds = [c["holds"] for c in r.sensitivity["cases"]]
        assert r.verdict == audit.report.verdict_of(holds[0], holds[1:]), r.id


def test_markdown_html_and_dataframe(report):
    md = report.to_markdown()
    assert md.count("\n| `") == len(audit.CLAIMS)
    for r in report:
        assert f"### `{r.id}` — {r.verdict}" in md
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "src=" not in page     # self-contained
    for r in report:
        assert f"id='{r.id}'" in page
    df = report.to_dataframe()
    assert list(df.index) == list(audit.CLAIMS)
    assert set(df["verdict"]) <= set(audit.VERDICTS)
    assert report["co2-20kt"] is report[3]
    with pytest.raises(KeyError, match="no claim 'x'"):
        report["x"]


# ------------------------------------------------------------------- heat-85C
def test_heat_85c_against_the_fact_sheet(report):
    """narvik-facts §9: 55 °C, 1,400 W, 0.025 K/W → supply ≈ 55 − 35 = 20 °C; the return
    is at most about 25–40 °C; direct 85 °C capture is impossible."""
    r = report["heat-85C"]
    assert r.verdict == "does not hold"
    supply = first_number(r.answer["highest supply keeping every chip at the limit"])
    ret = first_number(r.answer["rack return at that supply"])
    # 55 − 1400 × 0.025 = 20 °C within 1 K: validation case audit.heat_85c.supply
    vc.check("audit.heat_85c.supply",
             abs(supply - vc.by_id("audit.heat_85c.supply").reference), ours=supply)
    assert supply < ret < 55 - 15
    cases = r.sensitivity["cases"]
    returns = [first_number(c["answer"]) for c in cases]
    assert returns[1] > returns[0] > returns[2]          # 0.015 > 0.025 > 0.06 K/W
    assert "freezing point" in cases[2]["answer"]        # 0.06 K/W needs a −29 °C supply


def test_heat_85c_rack_really_is_at_the_limit(report):
    """Re-solve the rack at the reported supply: its hottest chip is at 55 °C."""
    from narvik_thermal.plant.rack import rack_network, rack_report
    supply = first_number(report["heat-85C"].answer["highest supply keeping every chip at the limit"])
    res = rack_network(supply_temperature=Q_(supply, "degC")).solve(warn=False)
    assert rack_report(res).hottest_chip_temperature.m_as("degC") == pytest.approx(55, abs=0.1)


def test_heat_85c_assumptions_are_arguments_and_change_the_verdict():
    # chips allowed to 95 °C and a 40 °C capture: holds at 0.025 K/W, not at 0.06 K/W
    r = audit.heat_85c(board_limit="95 degC", capture_temperature="40 degC")
    assert r.verdict == "conditional"
    assert [c["holds"] for c in r.sensitivity["cases"]] == [True, True, False]
    r = audit.heat_85c(board_limit="95 degC", capture_temperature="40 degC",
                       thermal_resistance_range=("0.015 K/W", "0.03 K/W"))
    assert r.verdict == "holds"
    assert r.assumptions["board_limit"]["value"] == "95 degC"


def test_heat_85c_reason_states_the_capture_temperature_asked_for(report):
    """The reason names the capture temperature used, with its unit, and whether the
    rack's return reaches it (it read as if 85 °C were used whatever was asked)."""
    assert "85 °C capture temperature" in report["heat-85C"].reason
    r = audit.heat_85c(capture_temperature="29.5 degC")
    # 55 °C chips: the return is 30.5 °C at 0.025 K/W, more at 0.015, frozen at 0.06 K/W
    assert "29.5 °C capture temperature" in r.reason, r.reason
    assert [c["holds"] for c in r.sensitivity["cases"]] == [True, True, False]
    assert ("29.5 °C capture temperature asked for is reached at the central resistance "
            "but not at 0.06 K/W") in r.reason, r.reason
    r = audit.heat_85c(capture_temperature="313.15 K")
    assert ("40 °C capture temperature asked for is not reached anywhere in the range"
            in r.reason), r.reason
    assert r.verdict == "does not hold"


# ------------------------------------------------------------------ gpus-20MW
def test_gpus_20mw_against_hand_count(report):
    """narvik-facts §0: 15,000 GPUs need about 208 racks, 27–30 MW of IT; 20 MW holds
    about 9,000–11,000 GPUs. The racks and their IT power against the hand count and
    the fact sheet: validation cases audit.gpus_20mw.* (tests/validation_cases_site.py)."""
    r = report["gpus-20MW"]
    assert r.verdict == "does not hold"
    rack_kw = nt.plant.Rack().it_power.m_as("kW")
    assert first_number(r.answer["GPUs that fit in the phase's power"]) == int(20e3 // rack_kw) * 72


def test_gpus_20mw_holds_for_a_count_that_fits():
    assert audit.gpus_20mw(gpus=9000).verdict == "holds"          # 125 racks, ≤ 18.2 MW
    assert audit.gpus_20mw(gpus=11000).verdict == "conditional"   # 153 racks: 17.6–22.2 MW


# ----------------------------------------------------------- annual claims
def test_winter_heat_coverage_from_the_run(report, scenario):
    r = report["winter-heat-30pct"]
    y = scenario.town_year()
    assert int(y.attrs["hours_failed"]) == 0
    winter = np.isin(y["time.month"].values, (10, 11, 12, 1, 2, 3, 4))
    # the town gets what it asks in every hour, so coverage = connected share
    np.testing.assert_allclose(y["heat_delivered"], y["heat_demand"], rtol=1e-4)
    cover = [first_number(c["answer"]) / 100 for c in r.sensitivity["cases"]]
    assert cover == pytest.approx([1.0, 0.1, 1.0], abs=0.005)
    demand = float(y["heat_demand"][winter].sum()) * y.attrs["time_step_s"] / 3.6e12
    assert first_number(r.answer["winter residential demand"]) == pytest.approx(demand, abs=0.05)
    assert r.verdict == "conditional"
    assert audit.winter_heat_30pct(scenario, connected_share_range=(0.5, 1.0)).verdict == "holds"


def test_co2_against_the_displaced_factors(report, scenario):
    """Avoided(oil) − avoided(wood) = heat displaced × (264.5 − 18)/0.85 g/kWh (kpi
    DISPLACED_HEAT, narvik-facts §8, R101); the heat-pump term cancels."""
    r = report["co2-20kt"]
    cases = {c["value"]: first_number(c["answer"]) for c in r.sensitivity["cases"]}
    displaced_gwh = first_number(r.answer["district heat displaced"])
    expected = displaced_gwh * 1e6 * (264.5 - 18.0) / 0.85 / 1e6          # kWh × g/kWh → t
    assert cases["oil"] - cases["wood_chips"] == pytest.approx(expected, rel=2e-3)
    assert first_number(r.answer["oil heat needed for the claim"]) == pytest.approx(
        20000 / (264.5 / 0.85), abs=0.5)
    assert cases["wood_chips"] < 20000 <= cases["oil"]
    # displaced electric heating: (heat displaced − heat-pump electricity) × the grid factor,
    # one factor on both sides (R97 location-based 19, R98–R100 residual mix 402 g/kWh)
    hp_gwh = first_number(r.answer["heat-pump electricity"])
    for name, g in (("electric_heating_location", 19.0), ("electric_heating_residual", 402.0)):
        assert cases[name] == pytest.approx((displaced_gwh - hp_gwh) * g, rel=3e-3), name
    assert cases["electric_heating_location"] < 20000 <= cases["electric_heating_residual"]
    assert r.verdict == "conditional"
    assert audit.co2_20kt(scenario, displaced_heat_range=("wood_chips_gross", "natural_gas"),
                          claimed="60000 t").verdict == "does not hold"


def test_cooling_comparison_from_the_runs(report, scenario):
    r = report["cooling-30pct-mediterranean"]

    def cooling(y):             # MWh per 365 days (the run spans n × step hours)
        e = (y["pump_power"] + y["fan_power"] + y["chiller_power"]).where(y["converged"], 0)
        return float(e.sum()) * 365 * 86400 / y.sizes["time"] / 3.6e9
    n = cooling(scenario.cooling_year("narvik", "fjord"))
    m = [cooling(scenario.cooling_year("marseille", p)) for p in ("cooling_tower", "dry_cooler")]
    assert first_number(r.answer["cooling electricity at Narvik"]) == pytest.approx(n, abs=0.6)
    reductions = [first_number(c["answer"]) / 100 for c in r.sensitivity["cases"]]
    assert reductions == pytest.approx([1 - n / x for x in m], abs=0.006)
    assert m[1] > m[0] > n                     # dry coolers work hardest in summer
    assert r.verdict == "conditional"
    assert audit.cooling_30pct_mediterranean(scenario, claimed_reduction=0.01).verdict \
        == "holds"


def test_salmon_farm_heat_by_hand(report, scenario):
    """1,000 t/yr × FCR 1.1 × 300 L/kg × 4.18 MJ/(m³ K) × (13 °C − coldest intake)."""
    r = report["salmon-1000t"]
    y = scenario.cooling_year("narvik", "fjord")
    T_in = float(y["sea_temperature"].min())
    mw = 1000e3 * 1.1 * 0.3 * 4.18e6 * (13 - T_in) / (365.25 * 86400) / 1e6
    assert first_number(r.answer["farm heat at the coldest intake"]) == pytest.approx(mw, abs=0.006)
    assert first_number(r.answer["least heat to the sea in any hour"]) == pytest.approx(
        float(y["heat_to_sea"].min()) / 1e6, abs=0.06)
    assert r.verdict == "holds"
    big = audit.salmon_1000t(scenario, production="300000 t/yr")   # 10× the heat at 100 L/kg
    assert big.verdict == "does not hold"


def test_renewable_ref(report):
    r = report["renewable-100pct"]
    refs = [first_number(c["answer"]) for c in r.sensitivity["cases"]]
    assert refs == pytest.approx([1.0, 0.0, 0.98], abs=0.005)
    assert r.verdict == "conditional"


# ---------------------------------------------------------------- bad input
def test_bad_input_names_the_argument(scenario):
    with pytest.raises(InputError, match=r"ids: \['nope'\]"):
        audit.claims(["nope"])
    with pytest.raises(InputError, match="assumptions="):
        audit.claims(["gpus-20MW"], assumptions={"gpus-20MW": 3})
    with pytest.raises(InputError, match="displaced_heat='coal'"):
        audit.co2_20kt(scenario, displaced_heat="coal")
    with pytest.raises(InputError, match="step=0"):
        audit.claims(step=0)
    with pytest.raises(InputError, match="thermal_resistance_range"):
        audit.heat_85c(thermal_resistance_range=("0.02 K/W",))
    with pytest.raises(InputError, match="connected_share"):
        audit.winter_heat_30pct(scenario, connected_share=1.5)
    with pytest.raises(InputError, match="scenario="):
        audit.salmon_1000t(scenario="narvik")
    with pytest.raises(InputError, match="heat_rejection='pond'"):
        scenario.cooling_year("marseille", "pond")


def test_failed_points_are_counted_in_the_method_text():
    import xarray as xr
    y = xr.Dataset({"it_power": ("time", [1e6, 2e6]), "converged": ("time", [True, False])},
                   attrs={"time_step_s": 3600.0, "hours_failed": 1})
    assert audit.scenario.energy(y, "it_power") == pytest.approx(1e-3)   # GWh, failed excluded
    assert "1 operating point(s) failed" in audit.scenario.failed_note(y)


def test_failed_hours_are_left_out_never_summed_as_nan():
    """A small town network (20 GWh/yr) over the 20 km line in a leap year: some hours
    fail to converge (the consumers' flows settle slowly at low demand); the winter claim
    leaves them out, says how many, and gives finite figures."""
    import math
    sc = audit.Scenario(step=241, annual_residential_heat="20 GWh", year=2024)
    r = audit.winter_heat_30pct(sc)
    y = sc.town_year()
    failed = int(y.attrs["hours_failed"])
    for text in r.answer.values():
        assert "nan" not in text.lower(), r.answer
    assert all(math.isfinite(first_number(c["answer"])) for c in r.sensitivity["cases"])
    if failed:
        assert f"{failed} operating point(s) failed" in r.method
        errors = [str(e) for e in y["error"].values[~y["converged"].values]]
        assert all("did not converge" in e for e in errors)
        # a coupling failure names the condition that failed, not only the last change
        reasons = ("the last temperature change was", "the consumers' flows had not settled",
                   "the heat pumps' modes", "the last hydraulic solve")
        assert all(any(x in e for x in reasons) for e in errors if "coupling did not" in e)
