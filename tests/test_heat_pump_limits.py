"""Compressor limits, the performance of a configuration, and the configuration chooser
(correlations/heat_pump_limits.py, correlations/heat_pump.py).

Drammen figures: narvik-facts §5 (R39, R40, R62) — fjord water 8→4 °C, district
heating 65→90 °C, three two-stage NH3 units, COP 3.05.
"""

from __future__ import annotations

import re

import math

import pytest

from narvik_thermal.correlations import heat_pump as hp
from narvik_thermal.correlations.heat_pump_limits import (COMPRESSOR_LIMITS, CompressorLimits,
                                                          compressor_limits)
from narvik_thermal.errors import InputError
from narvik_thermal.fluids.refrigerant import refrigerant

C = 273.15
DRAMMEN = (8 + C, 4 + C, 65 + C, 90 + C)


# ---------------------------------------------------------------- limits table
def test_limits_table_is_sourced_and_physical():
    for name, lim in COMPRESSOR_LIMITS.items():
        assert lim.refrigerant == name
        refrigerant(name)                              # a CoolProp fluid
        # every entry says where each number comes from: a source or [GEK]
        assert "T_d:" in lim.source and "p:" in lim.source, name
        for part in lim.source.split(";"):
            field, _, text = part.strip().partition(":")
            assert field in ("T_d", "p"), (name, part)
            # a named source (a document or product with a date or number) or [GEK]
            assert "[GEK]" in text or re.search(r"\d{3,4}", text), (name, part)
        assert 100 + C < lim.T_discharge_max < 200 + C
        assert 20e5 <= lim.p_condensation_max <= 140e5
    # the NH3 pressure limit is sourced (Sabroe 60 bar design pressure, Cooling Post 2022)
    assert "60 bar" in COMPRESSOR_LIMITS["R717"].source
    assert "135 °C" in COMPRESSOR_LIMITS["R134a"].source      # Danfoss DGT setting


def test_nh3_limits_admit_drammen_condensing():
    # Drammen condenses NH3 at about 93 °C (≈ 54 bar in the model, ≈ 57 bar quoted)
    nh3 = refrigerant("R717")
    lim = compressor_limits("R717")
    assert nh3.saturation_pressure_T(93 + C) < lim.p_condensation_max
    assert 57e5 < lim.p_condensation_max
    two = hp.two_stage_cycle(nh3, 1 + C, 93 + C)
    assert not lim.violations(max(two.T_discharge, two.T_discharge_low), two.p_condensation)


def test_compressor_limits_lookup():
    assert compressor_limits("ammonia") is COMPRESSOR_LIMITS["R717"]
    assert compressor_limits("CO2") is COMPRESSOR_LIMITS["R744"]
    assert compressor_limits(refrigerant("R1234ze(E)")) is COMPRESSOR_LIMITS["R1234ze(E)"]
    with pytest.raises(InputError, match=r"no compressor limits are tabulated for 'R245fa'.*"
                                         r"known: \['R1234ze\(E\)'"):
        compressor_limits("R245fa")
    lim = CompressorLimits("X", 400.0, 30e5, "test")
    assert lim.margins(390.0, 25e5) == (10.0, 5e5)
    assert lim.violations(390.0, 25e5) == []
    v = lim.violations(410.0, 31e5)
    assert "discharge temperature 136.9 °C above" in v[0] and "31.0 bar above" in v[1]


# ---------------------------------------------------------- performance of a configuration
@pytest.mark.parametrize("stages, n", [(1, 1), (2, 1), (1, 3), (2, 3)])
def test_performance_is_the_cop_plus_each_units_cycle(stages, n):
    nh3 = refrigerant("R717")
    perf = hp.heat_pump_performance(*DRAMMEN, stages=stages, n_series=n)
    assert perf.COP_heating == hp.heat_pump_cop(*DRAMMEN, stages=stages, n_series=n)
    assert perf.n_units == n and perf.stages == stages and not perf.transcritical
    # each unit by hand: evaporating at 4 − 3 °C, condensing at its sink step + 3 K
    cycle = hp.vapour_compression_cycle if stages == 1 else hp.two_stage_cycle
    for i in range(n):
        T_c = 65 + C + (i + 1) * 25.0 / n + 3.0
        ref = cycle(nh3, 1 + C, T_c)
        assert perf.unit_COP[i] == pytest.approx(ref.COP_heating, rel=1e-12)
        assert perf.p_condensation[i] == pytest.approx(ref.p_condensation, rel=1e-12)
        assert perf.T_discharge[i] == pytest.approx(
            max(ref.T_discharge, getattr(ref, "T_discharge_low", 0.0)), rel=1e-12)
    # the last unit is the hottest whatever n: 93 °C condensing
    assert perf.p_condensation_max == pytest.approx(nh3.saturation_pressure_T(93 + C), rel=1e-9)


def test_performance_of_fraction_models_and_transcritical():
    carnot = hp.heat_pump_performance(*DRAMMEN, model="carnot_fraction", n_series=2)
    assert carnot.COP_heating == hp.heat_pump_cop(*DRAMMEN, model="carnot_fraction", n_series=2)
    assert math.isnan(carnot.T_discharge_max) and math.isnan(carnot.p_condensation_max)
    lor = hp.heat_pump_performance(*DRAMMEN, model="lorenz_fraction", efficiency=0.62)
    assert lor.COP_heating == pytest.approx(3.05, rel=0.01) and math.isnan(lor.T_discharge[0])
    co2 = hp.heat_pump_performance(20 + C, 15 + C, 45 + C, 85 + C, refrigerant="R744")
    ref = hp.vapour_compression_cycle(refrigerant("R744"), 12 + C, T_gas_cooler_out=48 + C)
    assert co2.transcritical and co2.n_units == 1
    assert co2.COP_heating == pytest.approx(ref.COP_heating, rel=1e-9)
    assert co2.p_condensation[0] == pytest.approx(ref.p_condensation, rel=1e-6)


# -------------------------------------------------------------------- the chooser
def test_drammen_default_configuration_within_10_percent():
    """The builder's default for Drammen's conditions (no hand configuration) gives
    COP 3.05 within ±10 % (narvik-facts §5, R39, R40, R62). It chooses what the plant
    has — three two-stage NH3 units — with the sink split 10 K at most per unit
    ([GEK]) and a single stage rejected for its discharge temperature."""
    c = hp.choose_heat_pump_configuration(*DRAMMEN)
    assert (c.refrigerant, c.stages, c.n_series) == ("R717", 2, 3)
    assert c.COP_heating == pytest.approx(3.05, rel=0.10)           # model 2.79, −8.6 %
    assert c.COP_heating == hp.heat_pump_cop(*DRAMMEN, stages=2, n_series=3)
    assert c.T_discharge == pytest.approx(167.2 + C, abs=0.5)
    assert c.p_condensation == pytest.approx(54.4e5, rel=0.01)
    assert c.discharge_margin == pytest.approx(c.limits.T_discharge_max - c.T_discharge)
    assert 0 < c.discharge_margin < 20 and 0 < c.pressure_margin < 10e5
    assert [r[:2] for r in c.rejected] == [(1, 3)]
    assert "discharge temperature 279.1 °C above the R717 compressor limit 180 °C" \
        in c.rejected[0][2]
    assert "R717 two-stage, 3 units in series: COP 2.79" in c.describe()


def test_single_stage_nh3_at_drammen_lift_is_rejected():
    """8 → 90 °C in one NH3 stage discharges near 280 °C: rejected; the limits alone
    (no sink-step rule) then choose two stages in one unit."""
    c = hp.choose_heat_pump_configuration(*DRAMMEN, max_sink_step=None)
    assert c.rejected[0][:2] == (1, 1)
    assert "discharge temperature 279.1 °C" in c.rejected[0][2]
    assert (c.stages, c.n_series) == (2, 1)
    one = hp.heat_pump_performance(*DRAMMEN)
    assert one.T_discharge_max == pytest.approx(279.1 + C, abs=0.1)


def test_small_lift_keeps_one_single_stage_unit():
    c = hp.choose_heat_pump_configuration(40 + C, 35 + C, 60 + C, 68 + C)
    assert (c.stages, c.n_series, c.rejected) == (1, 1, ())
    assert c.COP_heating == hp.heat_pump_cop(40 + C, 35 + C, 60 + C, 68 + C)


def test_transcritical_r744_is_one_unit():
    c = hp.choose_heat_pump_configuration(20 + C, 15 + C, 45 + C, 85 + C, refrigerant="CO2")
    assert (c.refrigerant, c.stages, c.n_series) == ("R744", 1, 1)
    assert c.performance.transcritical and "transcritical" in c.describe()


def test_no_configuration_is_a_clear_error():
    # NH3 condensing at 103 °C needs ≈ 66 bar: above 60 bar whatever the stages
    with pytest.raises(InputError, match=r"no R717 configuration makes the lift .*"
                                         r"condensing pressure 6\d\.\d bar above the R717 limit "
                                         r"60 bar.*another refrigerant"):
        hp.choose_heat_pump_configuration(30 + C, 25 + C, 70 + C, 100 + C)
    # propane cannot condense above its critical point (96.7 °C)
    with pytest.raises(InputError, match=r"no R290 configuration.*no cycle: .*critical"):
        hp.choose_heat_pump_configuration(30 + C, 25 + C, 70 + C, 95 + C, refrigerant="R290")
    with pytest.raises(InputError, match="needs 4 units in series, more than max_series=3"):
        hp.choose_heat_pump_configuration(30 + C, 25 + C, 45 + C, 85 + C, max_series=3)
    with pytest.raises(InputError, match="no heat pump is needed"):
        hp.choose_heat_pump_configuration(90 + C, 85 + C, 45 + C, 60 + C)
    with pytest.raises(InputError, match="max_sink_step must be > 0"):
        hp.choose_heat_pump_configuration(*DRAMMEN, max_sink_step=0.0)


def test_one_configuration_and_a_restricted_choice():
    one = hp.heat_pump_configuration(*DRAMMEN, 1, 1)           # evaluated, not rejected
    assert not one.within_limits and one.discharge_margin == pytest.approx(180 - 279.1, abs=0.1)
    assert one.COP_heating == hp.heat_pump_cop(*DRAMMEN)
    # n_series fixed: the sink-step rule does not apply, the stages are still chosen
    c = hp.choose_heat_pump_configuration(*DRAMMEN, n_series=1)
    assert (c.stages, c.n_series) == (2, 1) and c.rejected[0][:2] == (1, 1)
    c = hp.choose_heat_pump_configuration(*DRAMMEN, stages=2)
    assert (c.stages, c.n_series) == (2, 3) and c.rejected == ()
    with pytest.raises(InputError, match=r"no R717 configuration.*1 stage\(s\) × 3 in series: "
                                         r"discharge temperature"):
        hp.choose_heat_pump_configuration(*DRAMMEN, stages=1, max_series=3)
