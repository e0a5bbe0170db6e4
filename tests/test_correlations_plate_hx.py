"""Tests of narvik_thermal.correlations.plate_hx (chevron plate films) and of
correlations.hx.ua_off_design (UA following the flows). The comparisons with ht 1.2
(ht.conv_plate) are validation cases in tests/validation_cases.py."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narvik_thermal.correlations import hx
from narvik_thermal.correlations import plate_hx as ph
from narvik_thermal.errors import InputError, RangeWarning

# Martin's and Muley–Manglik's films and friction against ht 1.2 (ht.conv_plate),
# and the film exponent against ht's Nusselt number: validation cases
# (tests/validation_cases.py, table "plate-hx").


def test_film_exponent_values():
    # the numbers quoted in the docstrings (Martin VDI) and the ranges they state:
    # validation cases plate_hx.film_exponent.* (tests/validation_cases.py)
    # Muley-Manglik: the exponent of Re, 0.70-0.78 for 30-60 degrees
    mm = ph.film_exponent_plate(3000.0, np.array([30.0, 45.0, 60.0]), "muley_manglik")
    np.testing.assert_allclose(mm, 0.728 + 0.0543 * np.sin(np.pi * np.array([30, 45, 60]) / 45
                                                             + 3.7), rtol=1e-15)
    assert mm.shape == (3,)
    # the local exponent is the slope of Nu: Nu(1.01 Re)/Nu(Re) ~ 1.01^n
    n = ph.film_exponent_plate(5000.0, 50.0)
    assert ph.nusselt_plate_martin(5050.0, 5.0, 50.0) / ph.nusselt_plate_martin(
        5000.0, 5.0, 50.0) == pytest.approx(1.01 ** n, rel=1e-6)


def test_dispatcher_methods_and_broadcast():
    assert ph.nusselt_plate(3000.0, 5.0, 45.0) == ph.nusselt_plate_martin(3000.0, 5.0, 45.0)
    assert ph.nusselt_plate(3000.0, 5.0, 45.0, "martin_1999") == ph.nusselt_plate_martin(
        3000.0, 5.0, 45.0, "1999")
    assert ph.nusselt_plate(3000.0, 5.0, 45.0, "muley_manglik",
                            plate_enlargement_factor=1.2) == \
        ph.nusselt_plate_muley_manglik(3000.0, 5.0, 45.0, 1.2)
    out = ph.nusselt_plate(np.array([1000.0, 3000.0, 8000.0]), np.array([[3.0], [7.0]]), 45.0)
    assert out.shape == (2, 3) and np.all(np.diff(out, axis=1) > 0)
    assert isinstance(ph.nusselt_plate(3000.0, 5.0, 45.0), float)
    assert ph.nusselt_plate_methods(3000.0, 45.0) == list(ph.PLATE_METHODS)
    assert ph.nusselt_plate_methods([500.0, 3000.0], 45.0) == ["martin_vdi", "martin_1999"]
    assert ph.nusselt_plate_methods(3000.0, 85.0) == []


def test_errors_and_range_warnings():
    with pytest.raises(InputError, match="unknown method 'kumar'"):
        ph.nusselt_plate(3000.0, 5.0, 45.0, "kumar")
    with pytest.raises(InputError, match="unknown variant"):
        ph.nusselt_plate_martin(3000.0, 5.0, 45.0, "2010")
    with pytest.raises(InputError, match="chevron_angle_deg"):
        ph.nusselt_plate_martin(3000.0, 5.0, 90.0)
    with pytest.raises(InputError, match="'Re' must be > 0"):
        ph.film_exponent_plate(0.0, 45.0)
    with pytest.warns(RangeWarning, match="Re = 50000"):
        ph.nusselt_plate_martin(5e4, 5.0, 45.0)
    with pytest.warns(RangeWarning, match="chevron_angle_deg"):
        ph.film_exponent_plate(3000.0, 20.0, "muley_manglik")


# ------------------------------------------------------------------ ua_off_design
def _by_hand(ua0, xh, xc, n, s, w):
    R0 = 1.0 / ua0
    return 1.0 / ((1 - w) * s * R0 * xh ** -n + (1 - w) * (1 - s) * R0 * xc ** -n + w * R0)


def test_ua_off_design_by_hand():
    ua0 = 2.5e5
    # each side alone, both sides, with and without wall share
    for xh, xc in [(0.5, 1.0), (1.0, 0.5), (0.3, 1.7), (2.0, 2.0)]:
        for s, w in [(0.5, 0.0), (0.5, 0.29), (0.62, 0.13), (1.0, 0.1), (0.0, 0.1)]:
            assert hx.ua_off_design(ua0, xh, xc, 0.72, s, w) == pytest.approx(
                _by_hand(ua0, xh, xc, 0.72, s, w), rel=1e-14)
    # one side only: 1/UA = R0[(1-w)/2 (x^-n + 1) + w]
    assert hx.ua_off_design(1.0, 0.5, 1.0, 0.7, 0.5, 0.2) == pytest.approx(
        1.0 / (0.4 * 2 ** 0.7 + 0.4 + 0.2), rel=1e-14)
    # all resistance in the films, equal flows: UA = UA0 x^n exactly
    assert hx.ua_off_design(1.0, 0.25, 0.25, 0.7, 0.3, 0.0) == pytest.approx(0.25 ** 0.7,
                                                                            rel=1e-14)
    # design point, exactly
    assert hx.ua_off_design(123.456, 1.0, 1.0, 0.72, 0.37, 0.21) == 123.456


def test_ua_off_design_zero_flow_and_limits():
    # a side with a film resistance and no flow: UA = 0, continuously (as x^n)
    assert hx.ua_off_design(1.0, 0.0, 1.0, 0.7, 0.5, 0.2) == 0.0
    assert hx.ua_off_design(1.0, 1.0, 0.0, 0.7, 0.5, 0.2) == 0.0
    x = np.array([1e-12, 1e-9, 1e-6])
    ua = hx.ua_off_design(1.0, x, 1.0, 0.7, 0.5, 0.2)
    np.testing.assert_allclose(ua, x ** 0.7 / 0.4, rtol=1e-3)    # UA ~ x^n / R_h0
    # a side with no film resistance does not care about its flow
    assert hx.ua_off_design(1.0, 0.0, 1.0, 0.7, 0.0, 0.2) == pytest.approx(1.0)
    assert hx.ua_off_design(1.0, 1.0, 0.0, 0.7, 1.0, 0.2) == pytest.approx(1.0)
    # no warnings from 0 ** -n
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hx.ua_off_design(1.0, np.array([0.0, 0.5]), np.array([0.0, 0.0]), 0.7, 0.5, 0.0)
    # the limit of very large flows: the wall alone
    assert hx.ua_off_design(1.0, 1e30, 1e30, 0.7, 0.5, 0.25) == pytest.approx(4.0)


def test_ua_off_design_errors_and_broadcast():
    with pytest.raises(InputError, match="'exponent' must satisfy"):
        hx.ua_off_design(1.0, 1.0, 1.0, 1.5, 0.5, 0.0)
    with pytest.raises(InputError, match="'wall_share' must be < 1"):
        hx.ua_off_design(1.0, 1.0, 1.0, 0.7, 0.5, 1.0)
    with pytest.raises(InputError, match="hot_film_share"):
        hx.ua_off_design(1.0, 1.0, 1.0, 0.7, 1.2, 0.0)
    with pytest.raises(InputError, match="flow_ratio_cold"):
        hx.ua_off_design(1.0, 1.0, -0.5, 0.7, 0.5, 0.0)
    out = hx.ua_off_design(np.array([1.0, 2.0]), np.array([[0.5], [1.0], [1.5]]), 1.0, 0.72,
                           0.5, 0.29)
    assert out.shape == (3, 2)


@settings(max_examples=200, deadline=None)
@given(xh=st.floats(0.0, 10.0), xc=st.floats(0.0, 10.0), d=st.floats(1e-3, 1.0),
       n=st.floats(0.3, 1.0), s=st.floats(0.0, 1.0), w=st.floats(0.0, 0.9))
def test_ua_off_design_monotone(xh, xc, d, n, s, w):
    # non-decreasing in each flow, never above the wall-only limit UA0/w
    u = hx.ua_off_design(1.0, xh, xc, n, s, w)
    assert hx.ua_off_design(1.0, xh + d, xc, n, s, w) >= u * (1 - 1e-14)
    assert hx.ua_off_design(1.0, xh, xc + d, n, s, w) >= u * (1 - 1e-14)
    assert 0.0 <= u
    if w > 0:
        assert u <= 1.0 / w * (1 + 1e-14)
