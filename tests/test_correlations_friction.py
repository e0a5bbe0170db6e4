"""Tests of narvik_thermal.correlations.friction.

Reference values come from fluids 1.3 (C. Bell, ChEDL), which implements the
same published equations; tolerances are stated per test with the reason. The
comparisons with fluids, Moody's value, Colebrook and EPANET's friction factor
are validation cases (``tests/validation_cases.py``, table "friction", run by
``tests/test_validation_cases.py`` and shown in docs/validation.rst).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from narvik_thermal.correlations import friction as fr
from narvik_thermal.errors import InputError, RangeWarning

fluids = pytest.importorskip("fluids")

RE_TURB = np.logspace(np.log10(4000.0), 8.0, 60)
ED = np.r_[0.0, np.logspace(-6, np.log10(0.05), 12)]


# --------------------------------------------------------------------------
# dimensionless groups
# --------------------------------------------------------------------------
def test_reynolds_scalar_and_fluids():
    assert fr.Reynolds(2.5, 0.25, 1.1613, 1.9e-5) == pytest.approx(
        fluids.Reynolds(V=2.5, D=0.25, rho=1.1613, mu=1.9e-5), rel=1e-15)


def test_reynolds_mass_flow_equals_velocity_form():
    rho, D, mu, V = 998.2, 0.05, 1.002e-3, np.array([0.1, 1.0, 3.0])
    m_dot = rho * V * np.pi * D ** 2 / 4
    np.testing.assert_allclose(fr.Reynolds_mass_flow(m_dot, D, mu), fr.Reynolds(V, D, rho, mu),
                               rtol=1e-14)


def test_reynolds_broadcast_and_sign():
    Re = fr.Reynolds(np.array([[1.0], [-1.0]]), np.array([0.01, 0.02, 0.05]), 1000.0, 1e-3)
    assert Re.shape == (2, 3)
    assert np.all(Re[1] < 0)


def test_relative_roughness():
    assert fr.relative_roughness(4.5e-5, 0.1) == pytest.approx(4.5e-4)
    assert fr.relative_roughness([0.0, 1e-5], [[0.01], [0.1]]).shape == (2, 2)
    with pytest.raises(InputError, match="roughness"):
        fr.relative_roughness(-1e-5, 0.1)
    with pytest.raises(InputError, match="'D'"):
        fr.relative_roughness(1e-5, 0.0)


# --------------------------------------------------------------------------
# correlations vs fluids (more in tests/validation_cases.py, table "friction")
# --------------------------------------------------------------------------
def test_laminar():
    # White, Fluid Mechanics Eq. 6.47: f = 64/Re; fluids.friction_laminar identical.
    assert fr.friction_laminar(1000.0) == pytest.approx(0.064, rel=1e-15)
    Re = np.array([10.0, 100.0, 2000.0])
    np.testing.assert_allclose(fr.friction_laminar(Re), [fluids.friction.friction_laminar(r) for r in Re],
                               rtol=1e-15)


def test_colebrook_residual_is_zero():
    Re, eD = np.meshgrid(RE_TURB, ED)
    f = fr.friction_colebrook(Re, eD)
    res = 1 / np.sqrt(f) + 2 * np.log10(eD / 3.7 + 2.51 / (Re * np.sqrt(f)))
    assert np.max(np.abs(res)) < 1e-13


# --------------------------------------------------------------------------
# derivative
# --------------------------------------------------------------------------
def test_churchill_dRe_central_difference():
    # central difference, step 1e-5 Re: truncation error ~1e-10 relative.
    # Points where df/dRe crosses zero (Re ≈ 3100 local extremum) or is
    # negligible (fully rough plateau) have no meaningful relative error;
    # they are covered by the complex-step test below.
    Re, eD = np.meshgrid(np.logspace(0, 8, 400), ED)
    f, d = fr.friction_churchill(Re, eD), fr.friction_churchill_dRe(Re, eD)
    h = 1e-5 * Re
    fd = (fr.friction_churchill(Re + h, eD) - fr.friction_churchill(Re - h, eD)) / (2 * h)
    elasticity = np.abs(d * Re / f)
    mask = elasticity > 1e-2
    assert mask.sum() > 0.8 * mask.size
    rel = np.abs(fd[mask] - d[mask]) / np.abs(d[mask])
    assert rel.max() < 1e-6
    np.testing.assert_allclose(fr.friction_churchill_dRe(Re, eD), d, rtol=0, atol=0)


def _churchill_textbook(Re, eD):
    # Churchill (1977) exactly as printed; works for complex Re.
    A = (2.457 * np.log(1 / ((7 / Re) ** 0.9 + 0.27 * eD))) ** 16
    B = (37530 / Re) ** 16
    return 8 * ((8 / Re) ** 12 + (A + B) ** -1.5) ** (1 / 12)


def test_churchill_dRe_complex_step_everywhere():
    # complex-step derivative of the textbook formula has no cancellation
    # error: Im f(Re + ih)/h; compared with the analytic derivative to 1e-10
    # of the natural scale f/Re everywhere (also at stationary points).
    Re, eD = np.meshgrid(np.logspace(-1, 8, 300), ED)
    h = 1e-30 * Re
    cs = _churchill_textbook(Re + 1j * h, eD + 0j).imag / h
    d = fr.friction_churchill_dRe(Re, eD)
    scale = fr.friction_churchill(Re, eD) / Re
    assert np.max(np.abs(cs - d) / scale) < 1e-10


def test_churchill_dRe_laminar():
    assert fr.friction_churchill_dRe(100.0) == pytest.approx(-64 / 100.0 ** 2, rel=1e-4)


# --------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [fr.friction_colebrook, fr.friction_churchill,
                                fr.friction_churchill_dRe, fr.friction_swamee_jain,
                                fr.friction_haaland])
def test_shapes(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        s = fn(1e5, 1e-4)
        assert isinstance(s, float)
        a = fn(np.array([1e4, 1e5, 1e6]), 1e-4)
        assert a.shape == (3,)
        b = fn(np.array([1e4, 1e5, 1e6])[:, None], np.array([0.0, 1e-4]))
        assert b.shape == (3, 2)
        np.testing.assert_allclose(b[:, 1], a, rtol=1e-14)
        assert b[1, 1] == pytest.approx(s, rel=1e-14)


# --------------------------------------------------------------------------
# dispatcher and methods
# --------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["colebrook", "churchill", "swamee_jain", "haaland"])
def test_dispatcher(method):
    fn = getattr(fr, f"friction_{method}")
    assert fr.friction_factor(1e5, 1e-4, method=method) == fn(1e5, 1e-4)


def test_dispatcher_default_and_laminar():
    assert fr.friction_factor(1e5, 1e-4) == fr.friction_churchill(1e5, 1e-4)
    assert fr.friction_factor(1000.0, 1e-3, method="laminar") == pytest.approx(0.064)
    with pytest.raises(InputError, match="unknown method 'moody'"):
        fr.friction_factor(1e5, method="moody")


def test_friction_factor_methods():
    assert fr.friction_factor_methods(1e5, 1e-4) == ["colebrook", "churchill", "swamee_jain",
                                                     "haaland"]
    assert fr.friction_factor_methods(1e5, 0.0) == ["colebrook", "churchill"]
    assert fr.friction_factor_methods(1000.0) == ["laminar", "churchill"]
    assert fr.friction_factor_methods(np.array([1000.0, 1e5])) == ["churchill"]
    # every listed method runs without a RangeWarning
    for Re, eD in [(1e5, 1e-4), (1000.0, 0.0), (4500.0, 1e-3)]:
        for m in fr.friction_factor_methods(Re, eD):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RangeWarning)
                fr.friction_factor(Re, eD, method=m)
    assert set(fr.FRICTION_METHOD_RANGES) == {"laminar", "colebrook", "churchill",
                                              "swamee_jain", "haaland"}


# --------------------------------------------------------------------------
# errors and warnings
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [fr.friction_colebrook, fr.friction_churchill,
                                fr.friction_swamee_jain, fr.friction_haaland,
                                fr.friction_churchill_dRe])
def test_bad_inputs(fn):
    with pytest.raises(InputError, match="'Re' must be > 0"):
        fn(0.0, 1e-4)
    with pytest.raises(InputError, match="'Re' must be > 0"):
        fn(np.array([1e5, -1.0]), 1e-4)
    with pytest.raises(InputError, match="'eD' must be >= 0"):
        fn(1e5, -1e-4)
    with pytest.raises(InputError, match="'Re' contains non-finite"):
        fn(np.nan, 1e-4)
    with pytest.raises(InputError, match="'eD' contains non-finite"):
        fn(1e5, np.nan)
    with pytest.raises(InputError, match="'Re' must be a real number"):
        fn("fast", 0.0)


def test_range_warnings():
    with pytest.warns(RangeWarning, match=r"friction_swamee_jain: Re = 1000 is outside the "
                                          r"validity range 5000 <= Re <= 1e\+08"):
        fr.friction_swamee_jain(1000.0, 1e-4)
    with pytest.warns(RangeWarning, match=r"friction_haaland: eD = 0.1 .*0.05"):
        fr.friction_haaland(1e5, 0.1)
    with pytest.warns(RangeWarning, match=r"friction_colebrook: Re = 2000"):
        fr.friction_colebrook(2000.0, 0.0)
    with pytest.warns(RangeWarning, match=r"friction_laminar: Re = 5000 .*Re <= 2300"):
        fr.friction_laminar(5000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RangeWarning)
        fr.friction_churchill(np.logspace(-2, 9, 50), 0.1)   # all regimes, no warning


def test_pressure_drop_darcy():
    # 100 m, D = 0.1 m, f = 0.02, water 2 m/s: 0.02*1000*500*2*... = 40 kPa
    assert fr.pressure_drop_darcy(0.02, 100.0, 0.1, 1000.0, 2.0) == pytest.approx(40000.0)
    assert fr.pressure_drop_darcy(0.02, 100.0, 0.1, 1000.0, -2.0) == pytest.approx(-40000.0)
    dp = fr.pressure_drop_darcy(0.02, np.array([[1.0], [2.0]]), 0.1, 1000.0, np.array([1.0, 2.0]))
    assert dp.shape == (2, 2)
    # fluids: dP_from_K(K_from_f(fd, L, D), rho, V) is the same Darcy-Weisbach law
    ref = fluids.core.dP_from_K(fluids.core.K_from_f(0.018, 50.0, 0.05), 998.0, 1.3)
    assert fr.pressure_drop_darcy(0.018, 50.0, 0.05, 998.0, 1.3) == pytest.approx(ref, rel=1e-14)
    with pytest.raises(InputError, match="'D' must be > 0"):
        fr.pressure_drop_darcy(0.02, 1.0, 0.0, 1000.0, 1.0)


# --------------------------------------------------------------------------
# friction_all_regimes: the network pipe's friction law
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["colebrook", "swamee_jain", "haaland"])
def test_all_regimes_pieces_and_continuity(method):
    eD = 2e-4
    # above 4000 the turbulent law itself, below 2000 Hagen–Poiseuille
    Re = np.array([5e3, 1e5, 1e7])
    np.testing.assert_allclose(fr.friction_all_regimes(Re, eD, method),
                               fr.friction_factor(Re, eD, method), rtol=1e-13)
    np.testing.assert_allclose(fr.friction_all_regimes(np.array([10.0, 1999.0]), eD, method),
                               64.0 / np.array([10.0, 1999.0]), rtol=1e-14)
    # C¹ at both joins: value and slope continuous (one-sided differences, 1e-6 Re)
    for Rj in (2000.0, 4000.0):
        h = 1e-6 * Rj
        lo, mid, hi = fr.friction_all_regimes(np.array([Rj - h, Rj, Rj + h]), eD, method)
        assert lo == pytest.approx(mid, rel=1e-5) and hi == pytest.approx(mid, rel=1e-5)
        fl = fr.friction_all_regimes(np.array([Rj - 2 * h, Rj - h]), eD, method)
        fh = fr.friction_all_regimes(np.array([Rj + h, Rj + 2 * h]), eD, method)
        assert (fl[1] - fl[0]) / h == pytest.approx((fh[1] - fh[0]) / h, rel=1e-3, abs=1e-12)


@pytest.mark.parametrize("method", ["churchill", "colebrook", "swamee_jain", "haaland"])
def test_all_regimes_derivative_against_central_differences(method):
    # away from the joins (where the second derivative jumps): 1e-6 relative
    Re = np.array([300.0, 1500.0, 2600.0, 3400.0, 6e3, 8e4, 3e6])
    f, d = fr.friction_all_regimes(Re, 1e-4, method, derivative=True)
    h = 1e-5 * Re
    fd = (fr.friction_all_regimes(Re + h, 1e-4, method)
          - fr.friction_all_regimes(Re - h, 1e-4, method)) / (2 * h)
    np.testing.assert_allclose(d, fd, rtol=1e-5)


def test_all_regimes_errors():
    with pytest.raises(InputError, match="unknown method 'moody'"):
        fr.friction_all_regimes(1e5, 1e-4, "moody")
    with pytest.raises(InputError, match="Re"):
        fr.friction_all_regimes(-1.0, 1e-4)
