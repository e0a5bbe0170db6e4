"""Tests of narvik_thermal.correlations.chiller and .free_cooling.

References:
- the vapour-compression cycle by hand with raw CoolProp ``PropsSI`` state
  points (the same computation written out);
- EnergyPlus's unit tests of ``StandardRatings::CalcChillerIPLV``
  (tst/EnergyPlus/unit/StandardRatings.unit.cc, tests ChillerIPLVTest /
  ChillerIPLVTestAirCooled / ChillerIPLVTestWaterCooled): an air-cooled
  screw chiller with IPLV 3.87 (AHRI 550/590 chilled water 6.67 °C, EnergyPlus
  9.x) and 3.88 (AHRI 551/591, 7 °C), and the "McQuay WSC 471kW/5.89COP/Vanes"
  water-cooled chiller with IPLV.SI 5.44;
- the DOE-2 "Centrifugal/5.50COP" curve set (EnergyPlus chiller dataset).
"""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal.correlations import chiller as ch
from narvik_thermal.correlations import free_cooling as fc
from narvik_thermal.correlations import hx
from narvik_thermal.correlations.heat_pump import part_load_cop
from narvik_thermal.errors import InputError
from validation_cases import hand_cooling_cop

C = 273.15


@pytest.fixture(scope="module")
def design():
    return ch.chiller_design(2e6, 7 + C, 30 + C, refrigerant="R134a")


# --------------------------------------------------------------- cycle model
@pytest.mark.parametrize("fluid, condenser", [("R134a", "water"), ("R1234ze(E)", "water"),
                                              ("R717", "air")])
def test_design_cop_by_hand(fluid, condenser):
    # design: T_e = 7 - 2 °C, T_c = 30 + 7 °C (water) / 25 + 15 °C (air)
    T_in = 30 + C if condenser == "water" else 25 + C
    d = ch.chiller_design(1e6, 7 + C, T_in, refrigerant=fluid, condenser=condenser)
    dT = 7.0 if condenser == "water" else 15.0
    cop, _ = hand_cooling_cop(fluid, 5 + C, T_in + dT)
    # d.COP against cop: validation case chiller.design_cop.hand
    assert d.T_evaporation == 5 + C and d.T_condensation == T_in + dT
    s = ch.chiller_operate(1e6, 7 + C, T_in, d)
    assert s.COP == pytest.approx(cop, rel=1e-9)          # design reproduced exactly
    assert s.capacity == pytest.approx(1e6, rel=1e-9)
    assert s.condenser_heat == pytest.approx(s.cooling + s.power, rel=1e-15)


def test_off_design_trends(design):
    T_cond = np.array([15.0, 20.0, 25.0, 30.0, 35.0]) + C
    s = ch.chiller_operate(1.5e6, 7 + C, T_cond, design)
    assert np.all(np.diff(s.COP) < 0.0)          # warmer condenser, lower COP
    assert np.all(np.diff(s.capacity) < 0.0)     # and lower capacity (fixed displacement)
    warm = ch.chiller_operate(1.5e6, 12 + C, 30 + C, design)
    cold = ch.chiller_operate(1.5e6, 5 + C, 30 + C, design)
    assert warm.COP > cold.COP and warm.capacity > cold.capacity
    # overload: capacity-limited, the rest unmet
    big = ch.chiller_operate(5e6, 7 + C, 35 + C, design)
    assert big.cooling == pytest.approx(big.capacity) and big.unmet_load > 0.0
    assert big.part_load_ratio == pytest.approx(1.0)
    # no load: no power
    z = ch.chiller_operate(0.0, 7 + C, 30 + C, design)
    assert z.power == 0.0 and z.cooling == 0.0


def test_operating_temperatures_by_hand(design):
    # constant UA and flows: differences scale with duty; the fixed point
    # on the condenser duty is solved to round-off
    s = ch.chiller_operate(1e6, 7 + C, 25 + C, design)
    qc = s.condenser_heat / design.condenser_heat
    assert s.T_evaporation == pytest.approx(7 + C - 2.0 * 0.5, abs=1e-12)
    assert s.T_condensation == pytest.approx(25 + C + 7.0 * qc, abs=1e-6)
    cop, _ = hand_cooling_cop("R134a", s.T_evaporation, s.T_condensation)
    assert s.COP == pytest.approx(cop, rel=5e-4)


def test_minimum_lift(design):
    # condenser water colder than the chilled water: head pressure control
    s = ch.chiller_operate(1e6, 7 + C, 2 + C, design)
    assert s.T_condensation - s.T_evaporation == pytest.approx(design.minimum_lift)


def test_part_load_en14825(design):
    avail = ch.chiller_operate(0.0, 7 + C, 30 + C, design).capacity
    pmin = design.min_part_load
    s = ch.chiller_operate(0.1 * avail, 7 + C, 30 + C, design)
    at_min = ch.chiller_operate(pmin * avail, 7 + C, 30 + C, design)
    # below the minimum the unit cycles: EN 14825 water, Cd = 0.9
    assert s.COP == pytest.approx(part_load_cop(at_min.COP, 0.1 / pmin,
                                                method="en14825_water"), rel=1e-12)
    assert s.part_load_ratio == pytest.approx(0.1)
    assert s.power == pytest.approx(s.cooling / s.COP)


def test_part_load_eir_curve():
    d = ch.chiller_design(2e6, 7 + C, 30 + C, refrigerant="R134a", part_load="eir_curve")
    full = ch.chiller_operate(2e6, 7 + C, 30 + C, d)
    curve = ch.DOE2_CENTRIFUGAL_5_50_COP[2]
    for plr in (0.9, 0.6, 0.3):
        s = ch.chiller_operate(plr * full.capacity, 7 + C, 30 + C, d)
        assert s.COP == pytest.approx(full.COP * plr / curve(plr), rel=1e-9)


def test_design_errors():
    with pytest.raises(InputError, match="cannot condense"):
        ch.chiller_design(1e6, 7 + C, 100 + C, refrigerant="R134a")
    with pytest.raises(InputError, match="condenser must be"):
        ch.chiller_design(1e6, 7 + C, 30 + C, refrigerant="R134a", condenser="evaporative")
    with pytest.raises(InputError, match="below minimum_lift"):
        ch.chiller_design(1e6, 7 + C, 2 + C, refrigerant="R134a", condenser_temperature_difference=3)


# ---------------------------------------------------------- DOE-2 and IPLV


def test_doe2_centrifugal_reference():
    # DOE-2 normalises its curves to 1 at the reference point (6.67 °C
    # leaving chilled water, 29.4 °C entering condenser water): 0.4 %
    cap, eir, plr = ch.DOE2_CENTRIFUGAL_5_50_COP
    assert cap(6.67, 29.4) == pytest.approx(1.0, abs=4e-3)
    assert eir(6.67, 29.4) == pytest.approx(1.0, abs=4e-3)
    assert plr(1.0) == pytest.approx(1.0, abs=1e-6)
    s = ch.chiller_eir_doe2(np.array([0.0, 0.05e6, 0.5e6, 2e6]), 6.67 + C, 29.4 + C,
                            reference_capacity=1e6, reference_cop=5.5, capacity_curve=cap,
                            eir_curve=eir, part_load_curve=plr, min_unload=0.1)
    # below min_unload: cycling at 10 %, the same COP as at 10 %
    at_min = ch.chiller_eir_doe2(0.1 * s.capacity[1], 6.67 + C, 29.4 + C,
                                 reference_capacity=1e6, reference_cop=5.5,
                                 capacity_curve=cap, eir_curve=eir, part_load_curve=plr,
                                 min_unload=0.1)
    assert s.COP[1] == pytest.approx(at_min.COP, rel=1e-12)
    assert s.unmet_load[3] == pytest.approx(2e6 - s.capacity[3])
    assert s.power[0] == 0.0


def test_iplv_weights():
    assert ch.iplv_ahri(5.0, 5.0, 5.0, 5.0) == pytest.approx(5.0)
    a = np.array([5.0, 6.0, 7.0, 6.5])
    kw_per_ton = 3.51685 / a          # the IP form weights the reciprocals
    ip = 1.0 / np.sum(np.array(ch.IPLV_WEIGHTS) / kw_per_ton)
    assert 3.51685 / ip == pytest.approx(ch.iplv_ahri(*a), rel=1e-12)
    T, cond = ch.ahri_part_load_conditions("water")
    assert T == pytest.approx(7 + C)
    assert [round(t - C, 2) for t in cond] == [30.0, 24.5, 19.0, 19.0]


def test_cycle_chiller_iplv(design):
    # the ideal cycle with constant isentropic efficiency and duty-scaled
    # approaches gains much from condenser relief: IPLV/COP about 1.5-1.9;
    # the DOE-2 part-load curve (constant-speed centrifugal) less
    iplv = ch.chiller_iplv(design)
    full = ch.chiller_operate(design.capacity, 7 + C, 30 + C, design).COP
    assert 1.3 < iplv / full < 2.0
    d2 = ch.chiller_design(2e6, 7 + C, 30 + C, refrigerant="R134a", part_load="eir_curve")
    assert ch.chiller_iplv(d2) < iplv


# ------------------------------------------------------------- free cooling
def test_free_cooling_modes_and_balance():
    Tc = np.array([10.0, 17.9, 18.0, 23.0, 27.9, 28.0, 35.0]) + C
    s = fc.free_cooling(30 + C, 50.0, 20 + C, Tc, approach=2.0)
    M = fc.FreeCoolingMode
    assert list(s.mode) == [M.FULL, M.FULL, M.FULL, M.PARTIAL, M.PARTIAL, M.NONE, M.NONE]
    total = 50.0 * 4180.0 * 10.0
    np.testing.assert_allclose(s.heat_free + s.heat_chiller, total, rtol=1e-14)
    np.testing.assert_allclose(s.T_after_exchanger[3], 25 + C)
    assert s.free_fraction[3] == pytest.approx(0.5)
    assert np.all(np.diff(s.heat_free) <= 1e-9)       # colder cold loop, more free cooling
    assert s.heat_free[-1] == 0.0 and s.free_fraction[-1] == 0.0


def test_free_cooling_ua_mode_by_hand():
    # counterflow plate exchanger, facility 50 kg/s, cold loop 60 kg/s, UA 1 MW/K
    s = fc.free_cooling(30 + C, 50.0, 20 + C, 22 + C, approach=None, ua=1e6,
                        cold_loop_mass_flow=60.0)
    Cf, Cc = 50.0 * 4180.0, 60.0 * 4180.0
    eps = hx.effectiveness_from_NTU(1e6 / Cf, Cf / Cc)
    Tx = 30 + C - eps * (30 - 22)
    assert s.mode == fc.FreeCoolingMode.PARTIAL
    assert s.T_after_exchanger == pytest.approx(Tx, abs=1e-12)
    assert s.T_cold_loop_out == pytest.approx(22 + C + s.heat_free / Cc, abs=1e-12)
    with pytest.raises(InputError, match="ua needs cold_loop_mass_flow"):
        fc.free_cooling(30 + C, 50.0, 20 + C, 22 + C, ua=1e6)
    with pytest.raises(InputError, match="must not exceed the return"):
        fc.free_cooling(20 + C, 50.0, 25 + C, 10 + C)


# ------------------------------------------- the operating iterations, bit for bit
def _reference_point(d, Tchw, Tci, Q, iterations):
    """The fixed point of chiller_operate as it was written before its iterations
    stopped at an exact fixed point: every iteration made, the cycle tables read through
    their array path (np.clip and the splines on 1-element arrays)."""
    def cycle(Te, Tc):
        cop, qv = d.cycle(np.atleast_1d(Te), np.atleast_1d(Tc))
        return float(cop[0]), float(qv[0])

    cop = d.COP
    for _ in range(iterations):
        qc = Q * (1.0 + 1.0 / cop) / d.condenser_heat
        T_e = Tchw - d.evaporator_approach * (Q / d.capacity)
        T_c = max(Tci + d.condenser_temperature_difference * qc, T_e + d.minimum_lift)
        cop = cycle(T_e, T_c)[0]
    return cop, T_e, T_c, cycle


@pytest.mark.parametrize("condenser", ["water", "air"])
def test_operate_is_the_full_iteration_bit_for_bit(condenser):
    # chiller_operate stops its fixed points where an iteration gives back the value it
    # started from, and reads a single point's tables without np.clip: the capacity and
    # the saturation temperatures are those of every iteration made on the array path
    d = ch.chiller_design(2e6, 7 + C, 30 + C, refrigerant="R1234ze(E)", condenser=condenser)
    rng = np.random.default_rng(3)
    for Tci in list(rng.uniform(-10 + C, 45 + C, 40)) + [5 + C, 0 + C]:   # some at min lift
        Tchw = 7 + C + float(rng.uniform(-2, 6))
        Q = d.capacity
        for _ in range(6):
            _, T_e, T_c, cycle = _reference_point(d, Tchw, float(Tci), Q, 3)
            Q = d.capacity * cycle(T_e, T_c)[1]
        load = float(rng.uniform(0.3, 0.9)) * Q          # not cycling, not over capacity
        _, T_e, T_c, _ = _reference_point(d, Tchw, float(Tci), load, 6)
        s = ch.chiller_operate(load, Tchw, float(Tci), d)
        assert (s.capacity, s.T_evaporation, s.T_condensation) == (Q, T_e, T_c)
        arr = ch.chiller_operate(np.array([load, load]), Tchw, float(Tci), d)
        assert arr.capacity.tolist() == [Q, Q] and arr.T_condensation.tolist() == [T_c, T_c]


def test_cycle_of_a_point_is_the_array_path(design):
    g = np.linspace(250.0, 330.0, 41)
    for Te in list(g) + [np.nan]:
        for Tc in [Te - 5.0, Te + 3.0, Te + 25.0, 400.0, np.nan]:
            one = design.cycle(Te, Tc)
            many = design.cycle(np.array([Te]), np.array([Tc]))
            assert type(one[0]) is float and type(one[1]) is float
            assert np.array([one]).tobytes() == np.array([[many[0][0], many[1][0]]]).tobytes()
            if not np.isnan(one[0]):
                assert design.cycle_unchecked(np.asarray(Te), np.float64(Tc)) == one
                assert design.cycle_unchecked(Te, Tc, capacity=False) == (one[0], None)
                assert design.cycle_unchecked(Te, Tc, cop=False) == (None, one[1])
