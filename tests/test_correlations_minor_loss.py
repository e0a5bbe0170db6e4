"""Tests of narvik_thermal.correlations.minor_loss against fluids 1.3 and
hand-calculated published formulas; the comparisons of K from Kv, expansions,
contractions and bends with fluids are validation cases (tests/validation_cases.py,
table "minor-losses")."""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal.correlations import minor_loss as ml
from narvik_thermal.errors import InputError, RangeWarning

fluids = pytest.importorskip("fluids")
fit = fluids.fittings

# fluids' Kv_to_K uses water at 60 °F, 999.29744568 kg/m³ (constant 1.6e9);
# ours uses exactly 1000 kg/m³. K scales as 1/rho, so ours * 1000/999.297…
# must equal fluids' to round-off (its 1.6e9 is itself rounded: 1e-9).
RHO_FLUIDS = 999.29744568


def test_pressure_drop_K():
    assert ml.pressure_drop_K(0.5, 1000.0, 2.0) == pytest.approx(1000.0)
    assert ml.pressure_drop_K(0.5, 1000.0, -2.0) == pytest.approx(-1000.0)
    # fluids.core.dP_from_K(K, rho, V) is K*rho*V²/2
    assert ml.pressure_drop_K(3.2, 990.0, 1.7) == pytest.approx(
        fluids.core.dP_from_K(3.2, 990.0, 1.7), rel=1e-14)
    assert ml.pressure_drop_K(np.array([0.5, 1.0]), 1000.0, np.array([[1.0], [2.0]])).shape == (2, 2)


def test_Kv_definition_exactly():
    # By definition: Kv m³/h of 1000 kg/m³ water loses exactly 1 bar.
    Kv, D = 25.0, 0.05
    V = Kv / 3600.0 / (np.pi * D ** 2 / 4)
    assert ml.pressure_drop_K(ml.K_from_Kv(Kv, D), 1000.0, V) == pytest.approx(1e5, rel=1e-14)


def test_Kv_round_trip_and_fluids():
    K = np.array([0.1, 1.0, 15.15, 300.0])
    np.testing.assert_allclose(ml.K_from_Kv(ml.Kv_from_K(K, 0.02), 0.02), K, rtol=1e-14)
    np.testing.assert_allclose(ml.Kv_from_K(K, 0.02) * np.sqrt(1000.0 / RHO_FLUIDS),
                               [fit.K_to_Kv(k, 0.02) for k in K], rtol=1e-9)
    assert isinstance(ml.Kv_from_K(1.0, 0.02), float)


def test_sudden_contraction_literature():
    # Crane TP-410 at beta = 2/3: validation case minor_loss.contraction.crane_tp410;
    # the sharp-entrance limit 0.5
    assert ml.K_sudden_contraction(1.0, 1e-6) == pytest.approx(0.5)


def test_entrance_exit():
    assert ml.K_entrance_sharp() == fit.entrance_sharp(method="Crane") == 0.5
    assert ml.K_exit() == fit.exit_normal() == 1.0


def test_valve_characteristics():
    h = np.linspace(0, 1, 11)
    for ch in ("linear", "equal_percentage", "quick_opening"):
        kv = ml.valve_Kv(h, 10.0, ch, rangeability=50)
        assert kv[0] == pytest.approx(10.0 / 50) and kv[-1] == pytest.approx(10.0)
        assert np.all(np.diff(kv) > 0)
    # equal percentage: each 10 % of travel multiplies Kv by 50**0.1 (hand calc)
    kv = ml.valve_Kv(h, 10.0, "equal_percentage")
    np.testing.assert_allclose(kv[1:] / kv[:-1], 50 ** 0.1, rtol=1e-14)
    assert ml.valve_Kv(0.5, 10.0, "equal_percentage") == pytest.approx(10 * 50 ** -0.5)
    assert ml.valve_Kv(0.5, 10.0, "linear") == pytest.approx(0.2 + 9.8 * 0.5)
    assert ml.valve_Kv(0.25, 10.0, "quick_opening") == pytest.approx(0.2 + 9.8 * 0.5)
    # ordering at mid travel: quick opening > linear > equal percentage
    q, l_, e = (ml.valve_Kv(0.3, 1.0, c) for c in ("quick_opening", "linear", "equal_percentage"))
    assert q > l_ > e
    assert ml.valve_Kv(np.array([0.2, 0.8]), np.array([[1.0], [2.0]])).shape == (2, 2)


def test_errors_and_warnings():
    with pytest.raises(InputError, match="expansion needs D2 >= D1"):
        ml.K_sudden_expansion(0.2, 0.1)
    with pytest.raises(InputError, match="contraction needs D2 <= D1"):
        ml.K_sudden_contraction(0.1, 0.2)
    with pytest.raises(InputError, match="unknown method 'idelchik'"):
        ml.K_sudden_contraction(0.2, 0.1, method="idelchik")
    with pytest.raises(InputError, match="'Kv' must be > 0"):
        ml.K_from_Kv(0.0, 0.1)
    with pytest.raises(InputError, match="'D' contains non-finite"):
        ml.Kv_from_K(1.0, np.nan)
    with pytest.raises(InputError, match="'opening' must satisfy 0 <= opening <= 1"):
        ml.valve_Kv(1.2, 10.0)
    with pytest.raises(InputError, match="'rangeability' must be > 1"):
        ml.valve_Kv(0.5, 10.0, rangeability=1.0)
    with pytest.raises(InputError, match="unknown characteristic 'parabolic'"):
        ml.valve_Kv(0.5, 10.0, "parabolic")
    with pytest.raises(InputError, match="'angle_deg' must satisfy"):
        ml.K_bend(270.0, 0.2, 0.1, 0.02)
    with pytest.raises(InputError, match="'rho' must be > 0"):
        ml.pressure_drop_K(1.0, -1.0, 1.0)
    with pytest.warns(RangeWarning, match=r"K_bend: bend_radius/D = 0.5 .*1 <= bend_radius/D"):
        ml.K_bend(90.0, 0.05, 0.1, 0.02)
