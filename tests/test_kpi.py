"""Tests of ``nt.kpi.eu_kpis`` on hand-made datasets (the formulas against the hand
calculation are validation cases ``kpi.*`` in ``tests/validation_cases_site.py``).

Clauses (see ``narvik_thermal.kpi`` and ``docs/kpi.rst`` for what is verified):
PUE = E_DC/E_IT (EN 50600-4-2 / ISO/IEC 30134-2; 2024/1364 indicator),
pPUE_cool = (E_IT + E_cool)/E_IT (ISO/IEC 30134-2:2016 Annex D),
ERF = E_REUSE/E_DC (ISO/IEC 30134-6; 2024/1364 indicator),
WUE = W_IN/E_IT in L/kWh (ISO/IEC 30134-9; 2024/1364 indicator),
REF = E_RES-TOT/E_DC (EN 50600-4-3 / ISO/IEC 30134-3; 2024/1364 indicator),
CER = heat removed/E_cool (ISO/IEC 30134-7), ERE = (E_DC - E_REUSE)/E_IT (The
Green Grid WP 29), CUE = CO2/E_IT (ISO/IEC 30134-8).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import narvik_thermal as nt
import validation_cases_site as vcs
from narvik_thermal.errors import InputError
from narvik_thermal.kpi import BOUNDARIES, DISPLACED_HEAT, GRID_CO2, DisplacedHeat, eu_kpis

OUT, IN = BOUNDARIES

# The hand-made datasets (one hour: IT 10 MW; pumps 0.4, fans 0.1, chillers 0.5, heat
# pumps 1.0, other loads 0.2 → total 12.2 MW; heat: sea 6, air 1, exported 3 MW; the
# network gets 4.0 = delivered 3.7 + losses 0.3, no boiler) and the formulas against
# them by hand are validation cases kpi.* (tests/validation_cases_site.py).
BASE = vcs.KPI_BASE
make_ds = vcs.kpi_dataset


def val(k, name, boundary):
    return float(k.data[name].sel(boundary=boundary))


# ------------------------------------------------------------------ formulas
# PUE, pPUE, ERF, WUE, CER, ERE, CUE and CO2 against the hand calculation:
# validation cases kpi.* (tests/validation_cases_site.py). Here what is not a formula.
def test_ref_needs_renewable_share():
    """REF = E_RES-TOT/E_DC (EN 50600-4-3): renewable only if owned/controlled (GO, PPA,
    on-site), so no default; with a share it is that share of E_DC."""
    k = eu_kpis(make_ds())
    assert np.isnan(k.data["ref"]).all()
    assert "REF undefined" in k.data.attrs["renewable_share"]
    k = eu_kpis(make_ds(), renewable_share=0.8)
    assert val(k, "ref", IN) == pytest.approx(0.8)
    assert val(k, "e_renewable", IN) == pytest.approx(0.8 * 4 * 12.2)
    assert val(k, "e_renewable", OUT) == pytest.approx(0.8 * 4 * 11.2)
    with pytest.raises(InputError, match="renewable_share"):
        eu_kpis(make_ds(), renewable_share=1.2)


def test_ere_is_one_minus_erf_times_pue_and_units():
    k = eu_kpis(make_ds())
    for b in BOUNDARIES:
        assert val(k, "ere", b) == pytest.approx((1 - val(k, "erf", b)) * val(k, "pue", b))
    assert val(k, "water_input", OUT) == pytest.approx(4 * 7.2)
    assert k.data["wue"].attrs["units"] == "L/kWh"


# ------------------------------------------------------------------ CO2
def test_co2_quantity_and_custom_displaced_heat():
    k = eu_kpis(make_ds(), grid_co2=nt.Q_(0.5, "kg/kWh"),
                displaced_heat=DisplacedHeat("coal", 340.0, 0.8, "test value"))
    assert val(k, "co2_emitted", IN) == pytest.approx(4 * 12.2 * 0.5)
    assert val(k, "co2_displaced", IN) == pytest.approx(4 * 4.0 * 340 / 0.8 / 1e3)
    k = eu_kpis(make_ds(), grid_co2="europe_average", displaced_heat=nt.Q_(250, "g/kWh"))
    assert val(k, "co2_emitted", IN) == pytest.approx(4 * 12.2 * 294.2 / 1e3)
    assert val(k, "co2_displaced", IN) == pytest.approx(4 * 4.0 * 0.25)


def test_hourly_grid_factor_is_weighted_by_hour():
    """With grid_co2='dataset', CO2 is Σ E_h f_h, not mean(f) × ΣE."""
    total = [12.2e6, 24.4e6, 12.2e6, 12.2e6]
    f = [10.0, 50.0, 10.0, 10.0]
    k = eu_kpis(make_ds(total_power=total, grid_co2_intensity=f))
    expected = sum(p / 1e3 * g for p, g in zip(total, f)) / 1e6    # kWh × g/kWh → t
    assert val(k, "co2_emitted", IN) == pytest.approx(expected)
    assert expected != pytest.approx(sum(total) / 1e3 * np.mean(f) / 1e6)


def test_default_displaced_heat_is_wood_chips():
    """Narvik district heating was licensed as a wood-chip plant (R56, R57): the default."""
    k = eu_kpis(make_ds())
    assert k.data.attrs["displaced_heat"].startswith("wood chips")
    wood = DISPLACED_HEAT["wood_chips"]
    assert wood.heat_co2 == pytest.approx(18.0 / 0.85)
    assert val(k, "co2_displaced", IN) == pytest.approx(4 * 4.0 * 18.0 / 0.85 / 1e3)
    assert DISPLACED_HEAT["wood_chips_gross"].heat_co2 > 20 * wood.heat_co2


def test_grid_presets_and_errors():
    assert GRID_CO2["norway_average"][0] == 19.0
    assert GRID_CO2["norway_residual"][0] == 402.0
    k = eu_kpis(make_ds(), grid_co2="norway_average")
    assert val(k, "co2_emitted", IN) == pytest.approx(4 * 12.2 * 19 / 1e3)
    assert "R97" in k.data.attrs["grid_co2"]
    with pytest.raises(InputError, match="grid_co2='nordic'"):
        eu_kpis(make_ds(), grid_co2="nordic")
    with pytest.raises(InputError, match="g/kWh"):
        eu_kpis(make_ds(), grid_co2=nt.Q_(3, "m"))
    with pytest.raises(InputError, match="displaced_heat"):
        eu_kpis(make_ds(), displaced_heat="peat")
    with pytest.raises(InputError, match="efficiency"):
        DisplacedHeat("x", 100.0, 0.0, "")
    # a preset grid factor does not need the dataset's grid_co2_intensity
    ds = make_ds().drop_vars("grid_co2_intensity")
    assert val(eu_kpis(ds, grid_co2=19.0), "co2_emitted", IN) == pytest.approx(4 * 12.2 * 0.019)


# ------------------------------------------------------------------ time and failed hours
def test_any_regular_step():
    """Energies are sum × step: half-hour steps give half the energy of hourly ones."""
    hourly = eu_kpis(make_ds(n=4))
    half = eu_kpis(make_ds(n=4, freq="30min", step=1800.0))
    assert val(half, "e_it", IN) == pytest.approx(val(hourly, "e_it", IN) / 2)
    assert val(half, "pue", IN) == pytest.approx(val(hourly, "pue", IN))
    no_attr = eu_kpis(make_ds(n=4, freq="30min", step=None))          # step from the coordinate
    assert val(no_attr, "e_it", IN) == pytest.approx(val(half, "e_it", IN))
    with pytest.raises(InputError, match="time_step_s"):
        eu_kpis(make_ds(n=4, step=1800.0))                               # attr ≠ coordinate
    ds = make_ds(n=4)
    ds = ds.assign_coords(time=pd.DatetimeIndex(["2025-01-01 00:00", "2025-01-01 01:00",
                                                 "2025-01-01 03:00", "2025-01-01 04:00"]))
    with pytest.raises(InputError, match="irregular"):
        eu_kpis(ds)


def _failed_ds():
    ds = make_ds(n=6, it_power=[10e6, 10e6, np.nan, 10e6, np.nan, 10e6],
                 converged=[True, True, False, True, False, True])
    for v in BASE:
        ds[v].values[[2, 4]] = np.nan
    return ds


def test_failed_hours_raise_by_default():
    with pytest.raises(InputError, match=r"2 of 6 time steps did not converge.*'exclude'"):
        eu_kpis(_failed_ds())


def test_failed_hours_exclude_states_coverage():
    k = eu_kpis(_failed_ds(), failed_hours="exclude")
    assert k.data.attrs["coverage"] == pytest.approx(4 / 6)
    assert k.data.attrs["steps_failed"] == 2
    assert "4 of 6" in k.to_markdown()
    ref = eu_kpis(make_ds(n=4))                     # the four good hours alone
    for name in ("e_it", "e_dc", "pue", "erf", "co2_net"):
        for b in BOUNDARIES:
            assert val(k, name, b) == pytest.approx(val(ref, name, b))
    with pytest.raises(InputError, match="failed_hours='skip'"):
        eu_kpis(_failed_ds(), failed_hours="skip")


def test_nan_in_converged_hour_is_an_error():
    ds = make_ds(n=4)
    ds["heat_exported"].values[1] = np.nan
    with pytest.raises(InputError, match="heat_exported.*non-finite"):
        eu_kpis(ds)


# ------------------------------------------------------------------ monthly
def test_monthly_sums_match_annual():
    ds = vcs.kpi_three_months()
    annual = eu_kpis(ds)
    monthly = eu_kpis(ds, by="month")
    assert monthly.monthly and not annual.monthly
    assert monthly.data.sizes["month"] == 3
    assert [pd.Timestamp(m).month for m in monthly.data["month"].values] == [1, 2, 3]
    # the monthly sums equal the annual ones: validation case kpi.monthly
    # ratios are recomputed per month, not summed
    jan = monthly.data.isel(month=0)
    for b in BOUNDARIES:
        assert float(jan["pue"].sel(boundary=b)) == pytest.approx(
            float(jan["e_dc"].sel(boundary=b) / jan["e_it"].sel(boundary=b)))
    df = monthly.to_dataframe()
    assert df.loc[("pue", "2025-02"), IN] == pytest.approx(float(
        monthly.data["pue"].isel(month=1).sel(boundary=IN)))
    md = monthly.to_markdown()
    assert "| 2025-01 | 2025-02 | 2025-03 |" in md and f"**{OUT}**" in md


def test_monthly_needs_datetime_time():
    ds = make_ds(n=4).assign_coords(time=np.arange(4))
    with pytest.raises(InputError, match="by='month' needs a datetime"):
        eu_kpis(ds, by="month")
    with pytest.raises(InputError, match="by='year'"):
        eu_kpis(make_ds(), by="year")


# ------------------------------------------------------------------ units and report
def test_result_attrs_units_and_clauses():
    k = eu_kpis(make_ds())
    assert list(k.data["boundary"].values) == list(BOUNDARIES)
    expected_units = {"pue": "1", "erf": "1", "wue": "L/kWh", "e_dc": "MWh",
                      "water_input": "m^3", "co2_emitted": "t", "cue": "kg/kWh"}
    for name, unit in expected_units.items():
        assert k.data[name].attrs["units"] == unit
    for name in k.data.data_vars:
        attrs = k.data[name].attrs
        assert attrs["long_name"] and attrs["clause"] and attrs["formula"], name
    assert "2024/1364" in k.data["pue"].attrs["clause"]
    assert "30134-6" in k.data["erf"].attrs["clause"]
    assert "unverified" in k.data["pue"].attrs["clause"]


def test_input_units_are_converted():
    ds = make_ds()
    ds["it_power"] = ds["it_power"] / 1e3
    ds["it_power"].attrs["units"] = "kW"
    ds["water_withdrawn"] = ds["water_withdrawn"] * 1e3
    ds["water_withdrawn"].attrs["units"] = "L/s"
    k, ref = eu_kpis(ds), eu_kpis(make_ds())
    assert val(k, "pue", IN) == pytest.approx(val(ref, "pue", IN))
    assert val(k, "wue_input", IN) == pytest.approx(val(ref, "wue_input", IN))


def test_wrong_or_missing_units_attr():
    ds = make_ds()
    ds["pump_power"].attrs["units"] = "m^3/s"
    with pytest.raises(InputError, match=r"pump_power.*'m\^3/s'.*'W'"):
        eu_kpis(ds)
    ds = make_ds()
    del ds["fan_power"].attrs["units"]
    with pytest.raises(InputError, match="fan_power.*no 'units'"):
        eu_kpis(ds)


def test_to_dataframe_and_markdown_without_tabulate(monkeypatch):
    k = eu_kpis(make_ds(), renewable_share=0.5)
    df = k.to_dataframe()
    assert list(df.columns) == ["quantity", "unit", OUT, IN, "clause"]
    assert df.loc["pue", IN] == pytest.approx(1.22)
    assert df.loc["erf", "unit"] == "1"
    monkeypatch.setitem(sys.modules, "tabulate", None)      # import tabulate would fail
    md = k.to_markdown()
    assert md.splitlines()[2] == f"| quantity | unit | {OUT} | {IN} | clause |"
    pue_row = next(line for line in md.splitlines() if line.startswith("| power usage"))
    assert "| 1.12 | 1.22 |" in pue_row
    assert "Displaced heat: wood chips" in md
    assert repr(k) == md


# ------------------------------------------------------------------ validation
def test_missing_variable_names_it_and_its_source():
    ds = make_ds().drop_vars("heat_exported")
    with pytest.raises(InputError, match=r"\['heat_exported'\].*nt\.simulation\.annual"):
        eu_kpis(ds)
    with pytest.raises(InputError, match="grid_co2_intensity.*grid_co2="):
        eu_kpis(make_ds().drop_vars("grid_co2_intensity"))


def test_negative_values_rejected():
    with pytest.raises(InputError, match=r"heat_exported.*1 negative.*>= 0"):
        eu_kpis(make_ds(heat_exported=[6e6, -1e5, 6e6, 6e6]))


def test_heat_drawn_from_the_sea_is_not_reused_heat():
    """A negative heat_to_sea is heat the plant draws from the sea (heat pumps cooling the
    facility water below the sea): the town gets it, but it is not data-centre heat, so
    E_REUSE (both boundaries) is reduced by it; CER's heat removed is the signed sum."""
    base = eu_kpis(make_ds())
    sea = [float(BASE["heat_to_sea"])] * 4
    sea[1] = -2e5
    k = eu_kpis(make_ds(heat_to_sea=sea))
    drawn = 2e5 * 3600 / 3.6e9                                     # MWh
    for b in (OUT, IN):
        assert val(k, "e_reuse", b) == pytest.approx(val(base, "e_reuse", b) - drawn)
    removed = (sum(sea) + 4 * (BASE["heat_to_air"] + BASE["heat_exported"])) * 3600 / 3.6e9
    assert val(k, "heat_removed", OUT) == pytest.approx(removed)
    assert val(k, "heat_displaced", IN) == pytest.approx(val(base, "heat_displaced", IN))


def test_empty_and_wrong_type():
    with pytest.raises(InputError, match="no time steps"):
        eu_kpis(make_ds().isel(time=slice(0, 0)))
    with pytest.raises(InputError, match="xarray.Dataset"):
        eu_kpis({"it_power": [1.0]})
    with pytest.raises(InputError, match="converged.*dtype"):
        eu_kpis(make_ds().assign(converged=("time", np.ones(4))))


def test_total_power_must_cover_its_parts_and_it_not_zero():
    with pytest.raises(InputError, match="total_power.*below"):
        eu_kpis(make_ds(total_power=11e6))
    with pytest.raises(InputError, match="it_power.*zero"):
        eu_kpis(make_ds(it_power=0.0))


def test_misspelled_argument_is_input_error():
    with pytest.raises(InputError, match="grid_co2"):
        eu_kpis(make_ds(), grid_c02=19.0)


def test_exposed_as_nt_kpi():
    assert nt.kpi.eu_kpis is eu_kpis
    assert "kpi" in nt.__all__


def test_monthly_coverage_keeps_months_of_failed_steps():
    """A month whose steps all failed stays in the monthly result, with NaN KPIs and
    coverage 0; coverage per month is the converged fraction."""
    n = 24 * (31 + 28)
    conv = np.ones(n, bool)
    conv[:10] = False                        # ten failed hours in January
    conv[24 * 31:] = False                   # all of February failed
    ds = make_ds(n=n, converged=conv)
    for v in BASE:
        ds[v].values[~conv] = np.nan
    m = eu_kpis(ds, by="month", failed_hours="exclude")
    assert m.data["coverage"].values == pytest.approx([(24 * 31 - 10) / (24 * 31), 0.0])
    assert np.isnan(m.data["pue"].isel(month=1)).all()
    assert float(m.data["e_it"].isel(month=1, boundary=0)) == 0.0
    annual = eu_kpis(ds, failed_hours="exclude")
    assert float(annual.data["coverage"]) == pytest.approx((24 * 31 - 10) / n)


def test_energy_closure_is_reported():
    ds = make_ds(energy_closure=[1e-4, -3e-3, 0.0, 2e-3])
    assert eu_kpis(ds).data.attrs["max_abs_energy_closure"] == pytest.approx(3e-3)
    assert np.isnan(eu_kpis(make_ds().drop_vars("energy_closure")).data.attrs[
        "max_abs_energy_closure"])
