"""The sea model (narvik_thermal.climate.sea): exact surface table, damping, lag."""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal.climate import sea
from narvik_thermal.errors import InputError

SURF = np.array([5, 5, 4, 4, 6, 8, 11, 12, 10, 9, 7, 6.0])      # R38


def test_surface_table_reproduced_exactly():
    m = np.arange(1, 13)
    np.testing.assert_allclose(sea.temperature_profile(m, 0.0, SURF, 6.8, 61, 62, 5), SURF,
                               atol=1e-12)


def test_deep_limit_and_no_lag_case():
    m = np.arange(1, 13)
    np.testing.assert_allclose(sea.temperature_profile(m, 2000.0, SURF, 6.8, 61, 62, 5), 6.8,
                               atol=1e-9)
    # without lag every depth peaks with the surface; with it the peak moves later
    for z in (30.0, 80.0):
        assert np.argmax(sea.temperature_profile(m, z, SURF, 6.8, 61, 62, 0.0)) + 1 == 8
        assert np.argmax(sea.temperature_profile(m, z, SURF, 6.8, 61, 62, 5.0)) + 1 > 8


# a pure annual cosine decays as exp(-z/z_A) and shifts by the lag: validation
# cases climate.sea.kelvin_amplitude and .kelvin_lag (tests/validation_cases_site.py)


def test_month_validation_and_table_shape():
    with pytest.raises(InputError, match="month must be"):
        sea.months(1.5)
    with pytest.raises(InputError, match="needs 12 values"):
        sea.fourier_coefficients([1, 2, 3])
