"""Rated-point (power-law) pressure drop (narvik_thermal.correlations.cold_plate and
its kernel) against the formula and its derivative."""

from __future__ import annotations

import numpy as np
import pytest


def test_power_law_pressure_drop_against_formula_and_derivative():
    # Δp = Δp_r sign(V)|V/V_r|^n and its derivative n Δp_r/V_r |V/V_r|^(n-1):
    # exact at the rated point, 1e-13 against the formula with NumPy powers,
    # derivative against central differences to 1e-7
    from narvik_thermal.correlations.cold_plate import power_law_pressure_drop
    dp, d = power_law_pressure_drop(2e-4, 30e3, 2e-4, 1.8)
    assert float(dp) == pytest.approx(30e3, rel=1e-15) and float(d) == pytest.approx(
        1.8 * 30e3 / 2e-4, rel=1e-14)
    V = np.array([-3e-4, -1e-5, 0.0, 1e-6, 2e-4, 5e-4])
    for n in (1.0, 1.75, 2.0):
        dp, d = power_law_pressure_drop(V, 25e3, 2e-4, n)
        ref = 25e3 * np.sign(V) * np.abs(V / 2e-4) ** n
        np.testing.assert_allclose(dp, ref, rtol=1e-13, atol=0)
        h = 1e-9
        fd = (power_law_pressure_drop(V[V != 0] + h, 25e3, 2e-4, n)[0]
              - power_law_pressure_drop(V[V != 0] - h, 25e3, 2e-4, n)[0]) / (2 * h)
        np.testing.assert_allclose(d[V != 0], fd, rtol=1e-6)
    # zero flow: no loss; slope 0 for n > 1 (the solver floors it), Δp_r/V_r for n = 1
    assert power_law_pressure_drop(0.0, 1e4, 1e-4, 2.0)[1] == 0.0
    assert float(power_law_pressure_drop(0.0, 1e4, 1e-4, 1.0)[1]) == pytest.approx(1e8)
    # broadcasting of array parameters, shapes kept; NaN propagates
    dp, d = power_law_pressure_drop(np.full((2, 3), 1e-4), np.array([1e4, 2e4, 3e4]), 1e-4)
    assert dp.shape == (2, 3)
    np.testing.assert_allclose(dp[1], [1e4, 2e4, 3e4], rtol=1e-15)
    assert np.isnan(power_law_pressure_drop(np.nan, 1e4, 1e-4)[0])
