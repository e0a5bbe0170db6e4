"""Tests of narvik_thermal.correlations.convection against ht 1.2
(ht.conv_internal) and published values; more comparisons are validation cases
(tests/validation_cases.py, table "convection")."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from narvik_thermal.correlations import convection as cv
from narvik_thermal.errors import InputError, RangeWarning

ht = pytest.importorskip("ht")

RE = np.logspace(np.log10(2301.0), np.log10(4.9e6), 40)
PR = np.logspace(np.log10(0.51), np.log10(1990.0), 15)


def test_prandtl():
    # Incropera's Table A.6 value: validation case convection.prandtl.incropera
    assert cv.Prandtl(np.array([4179.0, 3800.0]), 1e-3, np.array([[0.6], [0.5]])).shape == (2, 2)
    with pytest.raises(InputError, match="'k' must be > 0"):
        cv.Prandtl(4179.0, 1e-3, 0.0)


def test_laminar_constants_vs_ht():
    # Shah & London: 3.657 (ht and Incropera round to 3.66) and 48/11 = 4.364.
    assert cv.nusselt_laminar_constant_T() == ht.conv_internal.laminar_T_const() == 3.66
    assert cv.nusselt_laminar_constant_q() == pytest.approx(ht.conv_internal.laminar_Q_const(),
                                                            rel=1e-15)
    assert cv.nusselt_laminar_constant_q() == pytest.approx(4.364, abs=5e-4)


def test_gnielinski_vs_ht_given_fd():
    # Same formula as ht.turbulent_Gnielinski with a given fd: round-off. With
    # Konakov's fd, and ht's docstring example: validation cases
    # convection.gnielinski.ht and .ht_example (tests/validation_cases.py).
    Re, Pr = np.meshgrid(RE, PR)
    np.testing.assert_allclose(cv.nusselt_gnielinski(Re, Pr, fd=0.02),
                               np.vectorize(ht.conv_internal.turbulent_Gnielinski)(Re, Pr, 0.02),
                               rtol=1e-13)


def test_gnielinski_hand_calculation():
    # Hand calculation of the published formula (Gnielinski 1976, Eq. 1 of
    # Gnielinski 2013) at Re = 1e4, Pr = 0.7 with Konakov's
    # xi = (1.8 log10(1e4) - 1.5)^-2 = 1/32.49. No tabulated literature value
    # was at hand for this point; ht's docstring value is checked above.
    xi = 1 / 5.7 ** 2
    hand = (xi / 8) * 9000 * 0.7 / (1 + 12.7 * np.sqrt(xi / 8) * (0.7 ** (2 / 3) - 1))
    assert cv.nusselt_gnielinski(1e4, 0.7) == pytest.approx(hand, rel=1e-14)
    assert hand == pytest.approx(29.0873, abs=1e-4)


def test_blend_continuity_and_limits():
    Pr = np.array([0.7, 7.0, 100.0])
    # laminar plateau
    np.testing.assert_allclose(cv.nusselt_pipe(np.array([[10.0], [2300.0]]), Pr), 3.66)
    np.testing.assert_allclose(cv.nusselt_pipe(100.0, Pr, thermal_boundary="constant_q"), 48 / 11)
    # continuity at both junctions (within 1e-9 relative of a 1e-9 step)
    for Re0 in (2300.0, 1e4):
        lo = cv.nusselt_pipe(Re0 * (1 - 1e-12), Pr)
        hi = cv.nusselt_pipe(Re0 * (1 + 1e-12), Pr)
        np.testing.assert_allclose(lo, hi, rtol=1e-9)
    # equals Gnielinski above 1e4, linear in Re between
    Re = np.array([2e4, 1e5, 1e6])[:, None]
    np.testing.assert_allclose(cv.nusselt_pipe(Re, Pr), cv.nusselt_gnielinski(Re, Pr), rtol=1e-14)
    mid = cv.nusselt_pipe(0.5 * (2300 + 1e4), Pr)
    np.testing.assert_allclose(mid, 0.5 * (3.66 + cv.nusselt_gnielinski(1e4, Pr)), rtol=1e-14)
    # monotone non-decreasing in Re for each Pr
    Re = np.logspace(1, 6.5, 500)[:, None]
    assert np.all(np.diff(cv.nusselt_pipe(Re, Pr), axis=0) >= 0)


def test_blend_user_fd_only_turbulent():
    a = cv.nusselt_pipe(np.array([5000.0, 5e4]), 5.0, fd=0.03)
    b = cv.nusselt_pipe(np.array([5000.0, 5e4]), 5.0)
    assert a[0] == b[0] and a[1] > b[1]


def test_shapes():
    for fn in (cv.nusselt_gnielinski, cv.nusselt_dittus_boelter, cv.nusselt_pipe):
        s = fn(1e5, 5.0)
        assert isinstance(s, float)
        a = fn(np.array([2e4, 1e5, 1e6]), 5.0)
        b = fn(np.array([2e4, 1e5, 1e6])[:, None], np.array([1.0, 5.0]))
        assert a.shape == (3,) and b.shape == (3, 2)
        np.testing.assert_allclose(b[:, 1], a, rtol=1e-14)
    assert cv.nusselt(np.ones((2, 3)) * 100, 5.0, method="laminar_constant_T").shape == (2, 3)


def test_dispatcher_and_methods():
    assert cv.nusselt(1e5, 1.2, fd=0.0185, method="gnielinski") == cv.nusselt_gnielinski(1e5, 1.2, 0.0185)
    assert cv.nusselt(1e5, 1.2, method="dittus_boelter", heating=False) == cv.nusselt_dittus_boelter(1e5, 1.2, False)
    assert cv.nusselt(5000.0, 3.0) == cv.nusselt_pipe(5000.0, 3.0)
    assert cv.nusselt(500.0, 3.0, method="laminar_constant_q") == pytest.approx(48 / 11)
    with pytest.raises(InputError, match="unknown method 'sieder_tate'"):
        cv.nusselt(1e5, 3.0, method="sieder_tate")
    assert cv.nusselt_methods(1e5, 5.0) == ["gnielinski", "dittus_boelter", "gnielinski_blend"]
    assert cv.nusselt_methods(1000.0, 5.0) == ["laminar_constant_T", "laminar_constant_q",
                                               "gnielinski_blend"]
    assert cv.nusselt_methods(5000.0, 0.1) == []
    for Re, Pr in [(1e5, 5.0), (1000.0, 5.0), (5000.0, 10.0)]:
        for m in cv.nusselt_methods(Re, Pr):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RangeWarning)
                cv.nusselt(Re, Pr, method=m)


def test_errors_and_warnings():
    with pytest.raises(InputError, match="'Re' must be > 0"):
        cv.nusselt_gnielinski(-1.0, 5.0)
    with pytest.raises(InputError, match="'Pr' contains non-finite"):
        cv.nusselt_dittus_boelter(1e5, np.nan)
    with pytest.raises(InputError, match="'fd' must be > 0"):
        cv.nusselt_gnielinski(1e5, 5.0, fd=0.0)
    with pytest.raises(InputError, match="unknown thermal_boundary"):
        cv.nusselt_pipe(1e5, 5.0, thermal_boundary="adiabatic")
    with pytest.warns(RangeWarning, match=r"nusselt_gnielinski: Re = 2000 .*2300 <= Re <= 5e\+06"):
        cv.nusselt_gnielinski(2000.0, 5.0)
    with pytest.warns(RangeWarning, match=r"nusselt_dittus_boelter: Pr = 500 .*0.6 <= Pr <= 160"):
        cv.nusselt_dittus_boelter(1e5, 500.0)
    with pytest.warns(RangeWarning, match=r"nusselt_pipe: Pr = 0.01"):
        cv.nusselt_pipe(1e5, 0.01)
    with pytest.warns(RangeWarning, match=r"nusselt: Re = 5000 .*Re <= 2300"):
        cv.nusselt(5000.0, 5.0, method="laminar_constant_T")


@pytest.mark.filterwarnings("error::narvik_thermal.errors.RangeWarning")
def test_gnielinski_refuses_laminar_flow_where_it_gives_nu_le_0():
    # (Re - 1000) makes the formula 0 at Re = 1000 and negative below (it returned
    # 0.0 and -4.7 at Re = 1000 and 500, Pr = 5, with only a RangeWarning); refused
    # before any RangeWarning (an error in this test)
    for Re in (1000.0, 500.0, 1.0, np.array([5e3, 800.0])):
        with pytest.raises(InputError, match=r"nusselt_gnielinski: Re = .* at or below 1000.*"
                           r"use nusselt_pipe .* nusselt_laminar_constant_T"):
            cv.nusselt_gnielinski(Re, 5.0)
    with pytest.raises(InputError, match="nusselt_gnielinski: Re = 900"):
        cv.nusselt(900.0, 5.0, method="gnielinski")
    # a denominator 1 + 12.7 sqrt(fd/8) (Pr^(2/3) - 1) <= 0: Pr << 1 with a large fd
    with pytest.raises(InputError, match=r"nusselt_gnielinski: Pr = 0.01 with fd = 0.0562342 "
                       r"makes Gnielinski's denominator"):
        cv.nusselt_gnielinski(1500.0, 0.01)                      # Konakov's fd at 1500
    with pytest.raises(InputError, match=r"nusselt_pipe: Pr = 0.1 with fd = 0.5"):
        cv.nusselt_pipe(1e5, 0.1, fd=0.5)
    # where the laminar and transitional flow belongs: positive, no refusal
    assert cv.nusselt_pipe(500.0, 5.0) == 3.66


def test_gnielinski_warns_between_1000_and_its_range():
    # 1000 < Re < 2300: positive, an extrapolation flagged by a RangeWarning.
    # Hand calculation at Re = 1500, Pr = 5 (Konakov: 1.8 log10(1500) - 1.5 = 4.21696,
    # fd = 0.0562342): Nu = (fd/8)(500)(5) / (1 + 12.7 sqrt(fd/8)(5^(2/3) - 1)) = 5.7642
    with pytest.warns(RangeWarning, match=r"nusselt_gnielinski: Re = 1500 .*2300 <= Re"):
        nu = cv.nusselt_gnielinski(1500.0, 5.0)
    assert nu == pytest.approx(5.76425, abs=1e-5)
    with pytest.warns(RangeWarning):
        assert np.all(cv.nusselt_gnielinski(np.array([1000.5, 2000.0]), 5.0) > 0)


def test_gnielinski_in_range_hand_calculation():
    # Inside the range (Re = 5000, Pr = 7, water near 20 °C), by hand from Gnielinski
    # (1976), Eq. 1 of Gnielinski (2013), with Konakov's friction factor:
    #   1.8 log10(5000) - 1.5 = 5.158146  ->  fd = 1/5.158146^2 = 0.0375848
    #   fd/8 = 0.00469811, sqrt(fd/8) = 0.0685427, 7^(2/3) = 3.659306
    #   numerator   = 0.00469811 * (5000 - 1000) * 7             = 131.5469
    #   denominator = 1 + 12.7 * 0.0685427 * (3.659306 - 1)       = 3.314906
    #   Nu = 131.5469 / 3.314906 = 39.683
    with warnings.catch_warnings():
        warnings.simplefilter("error", RangeWarning)
        assert cv.nusselt_gnielinski(5000.0, 7.0) == pytest.approx(39.683, abs=5e-4)
