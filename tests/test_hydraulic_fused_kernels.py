"""The compiled reductions of the hydraulic Newton step
(narvik_thermal.solvers._hydraulic_kernels) give NumPy's values to the last bit:
``abs_max`` that of ``np.max(np.abs(x))`` (NaN included), ``positive_median`` that of
``np.median`` of the entries in ``(0, leak)``."""

from __future__ import annotations

import math

import numpy as np
import pytest

from narvik_thermal.solvers import _kernel_modules as kernels


@pytest.mark.parametrize("n", [0, 1, 2, 7, 486])
def test_abs_max_is_numpys(n):
    K = kernels.hydraulic()
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    assert K.abs_max(x) == (float(np.max(np.abs(x))) if n else 0.0)
    if n:
        x[n // 2] = np.nan
        assert math.isnan(K.abs_max(x))
        x[n // 2] = -np.inf
        assert K.abs_max(x) == np.inf


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 400, 401])
def test_positive_median_is_numpys(n):
    K = kernels.hydraulic()
    rng = np.random.default_rng(n)
    for _ in range(20):
        d = rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, n)
        d[rng.random(n) < 0.1] = 0.0
        d[rng.random(n) < 0.05] = np.nan
        d[rng.random(n) < 0.05] = np.inf
        d[rng.random(n) < 0.05] = 1e10
        pos = d[(d > 0) & (d < 1e9)]
        median, count = K.positive_median(d, 1e9)
        assert count == pos.size
        if pos.size:
            assert median == float(np.median(pos))
