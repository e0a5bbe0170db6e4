"""Tests of narvik_thermal.correlations.hx (ε-NTU, LMTD) against ht 1.2
(ht.hx), Incropera's worked example and hypothesis invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from narvik_thermal.correlations import hx
from narvik_thermal.errors import InputError

ht = pytest.importorskip("ht")

HT_NAMES = {
    "counterflow": "counterflow",
    "parallel": "parallel",
    "crossflow_unmixed": "crossflow approximate",
    "crossflow_unmixed_exact": "crossflow",
    "crossflow_cmax_mixed": "crossflow, mixed Cmax",
    "crossflow_cmin_mixed": "crossflow, mixed Cmin",
    "shell_and_tube_1_2": "S&T",
}
ALL = list(hx.ARRANGEMENTS)
FAST = [a for a in ALL if a != "crossflow_unmixed_exact"]

NTU_GRID = np.logspace(-3, 2, 60)[:, None]
CR_GRID = np.r_[np.logspace(-4, 0, 15)][None, :]


def _ht_eps(arr, N, Cr):
    return np.vectorize(lambda n, c: ht.hx.effectiveness_from_NTU(n, c, HT_NAMES[arr]))(N, Cr)


@pytest.mark.parametrize("arr", FAST)
def test_effectiveness_vs_ht(arr):
    # ht evaluates the same closed forms with exp() instead of expm1(); at
    # small Cr its 1/Cr*(exp(-Cr x) - 1) loses ~|log10 Cr| digits, so the
    # agreement is 1e-9 absolute (measured 6e-11), round-off elsewhere.
    ours = hx.effectiveness_from_NTU(NTU_GRID, CR_GRID, arr)
    np.testing.assert_allclose(ours, _ht_eps(arr, NTU_GRID, CR_GRID), rtol=0, atol=1e-9)


def test_crossflow_exact_vs_ht_integral():
    # ht integrates the exact both-unmixed solution with scipy.quad; our
    # series is exact too: agreement to 1e-12 absolute (measured 8e-15).
    N = np.linspace(0.01, 8.0, 25)[:, None]
    Cr = np.linspace(0.05, 1.0, 8)[None, :]
    ours = hx.effectiveness_from_NTU(N, Cr, "crossflow_unmixed_exact")
    np.testing.assert_allclose(ours, _ht_eps("crossflow_unmixed_exact", N, Cr), rtol=0, atol=1e-12)


def test_crossflow_approximation_error_vs_exact():
    # Incropera's approximation is within 4 % absolute of the exact solution
    # (measured max 3.6 %), and lies below parallel flow for NTU < ~0.51 by at
    # most 0.006 — a property of the published approximation, not a bug.
    N = np.logspace(-3, 1.5, 80)[:, None]
    Cr = np.linspace(0.05, 1, 12)[None, :]
    app = hx.effectiveness_from_NTU(N, Cr, "crossflow_unmixed")
    ex = hx.effectiveness_from_NTU(N, Cr, "crossflow_unmixed_exact")
    assert np.max(np.abs(app - ex)) < 0.04
    par = hx.effectiveness_from_NTU(N, Cr, "parallel")
    assert -0.006 < np.min(app - par) < 0.0


@pytest.mark.parametrize("arr", FAST)
def test_NTU_vs_ht(arr):
    # ht's S&T inverse divides 0/0 at Cr = 1 exactly; use 0.999 there
    Cr = np.array([0.1, 0.5, 0.9, 0.999 if arr == "shell_and_tube_1_2" else 1.0])
    eps = 0.9 * hx.effectiveness_max(Cr, arr) * np.array([[0.1], [0.5], [0.99]])
    ours = hx.NTU_from_effectiveness(eps, Cr, arr)
    ref = np.vectorize(lambda e, c: ht.hx.NTU_from_effectiveness(e, c, HT_NAMES[arr]))(eps, Cr)
    # ht solves crossflow with a secant to ~1e-9; analytic forms agree to round-off
    np.testing.assert_allclose(ours, ref, rtol=1e-7 if arr == "crossflow_unmixed" else 1e-12)


@pytest.mark.parametrize("arr", ["parallel", "crossflow_cmax_mixed", "crossflow_cmin_mixed",
                                 "shell_and_tube_1_2"])
def test_max_effectiveness_matches_ht_message(arr):
    # ht's NTU_from_effectiveness reports the same maximum in its error text.
    Cr = 0.6
    emax = hx.effectiveness_max(Cr, arr)
    with pytest.raises(ValueError, match="maximum effectiveness") as info:
        ht.hx.NTU_from_effectiveness(min(emax + 1e-3, 0.9999), Cr, HT_NAMES[arr])
    ht_max = float(str(info.value).rstrip(".").split()[-1])
    assert emax == pytest.approx(ht_max, rel=1e-12)


def test_incropera_example_11_1():
    # Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed.,
    # Example 11.1: counterflow oil cooler, oil 0.1 kg/s (cp 2131) 100 -> 60 °C,
    # water 0.2 kg/s (cp 4178) in at 30 °C, out 40.2 °C; DT_lm = 43.2 °C,
    # U = 38.1 W/m²K, D = 25 mm, L = 65.9 m, q = 8524 W.
    assert hx.lmtd(100.0, 60.0, 30.0, 40.2) == pytest.approx(43.2, abs=0.05)
    assert hx.lmtd(100.0, 60.0, 30.0, 40.2) == pytest.approx(ht.LMTD(100.0, 60.0, 30.0, 40.2),
                                                              rel=1e-14)
    Cmin, Cr = hx.heat_capacity_ratio(0.1 * 2131, 0.2 * 4178)
    NTU = 38.1 * np.pi * 0.025 * 65.9 / Cmin
    eps = hx.effectiveness_from_NTU(NTU, Cr)
    # q/q_max = 8524 / (213.1 * 70) = 0.5714; rounded book data -> 0.1 %
    assert eps == pytest.approx(8524 / (Cmin * 70), rel=1e-3)


def test_limits():
    N = np.array([0.0, 1e-8, 0.3, 2.0, 30.0, 1e4])
    for arr in ALL:
        np.testing.assert_allclose(hx.effectiveness_from_NTU(N, 0.0, arr), -np.expm1(-N),
                                   rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(hx.effectiveness_from_NTU(N, 1.0), N / (1 + N), rtol=1e-15)
    # continuity through Cr -> 1 (no 0/0): relative 1e-9 at 1 - 1e-10
    np.testing.assert_allclose(hx.effectiveness_from_NTU(N[1:], 1 - 1e-10), N[1:] / (1 + N[1:]),
                               rtol=1e-8)
    np.testing.assert_allclose(hx.effectiveness_from_NTU(N[1:], 1e-300, "crossflow_cmin_mixed"),
                               -np.expm1(-N[1:]), rtol=1e-13)
    e = np.array([0.0, 0.3, 0.9])
    np.testing.assert_allclose(hx.NTU_from_effectiveness(e, 1.0), e / (1 - e), rtol=1e-15)
    for arr in ALL:
        np.testing.assert_allclose(hx.NTU_from_effectiveness(e, 0.0, arr), -np.log1p(-e),
                                   rtol=1e-12)


def test_shapes():
    for arr in ALL:
        s = hx.effectiveness_from_NTU(1.0, 0.5, arr)
        assert isinstance(s, float)
        a = hx.effectiveness_from_NTU(np.array([0.5, 1.0, 2.0]), 0.5, arr)
        b = hx.effectiveness_from_NTU(np.array([0.5, 1.0, 2.0])[:, None], np.array([0.2, 0.5]), arr)
        assert a.shape == (3,) and b.shape == (3, 2)
        np.testing.assert_allclose(b[:, 1], a, rtol=1e-14)
        n = hx.NTU_from_effectiveness(b, np.array([0.2, 0.5]), arr)
        assert n.shape == (3, 2)
        assert isinstance(hx.NTU_from_effectiveness(s, 0.5, arr), float)
        np.testing.assert_allclose(n[:, 1], [0.5, 1.0, 2.0], rtol=1e-8)


def test_heat_capacity_ratio():
    assert hx.heat_capacity_ratio(2000.0, 4000.0) == (2000.0, 0.5)
    cmin, cr = hx.heat_capacity_ratio(np.array([1.0, 5.0]), np.array([[2.0], [0.0]]))
    np.testing.assert_allclose(cmin, [[1.0, 2.0], [0.0, 0.0]])
    np.testing.assert_allclose(cr, [[0.5, 0.4], [0.0, 0.0]])
    with pytest.raises(InputError, match="both zero"):
        hx.heat_capacity_ratio(0.0, 0.0)
    with pytest.raises(InputError, match="'C2' must be >= 0"):
        hx.heat_capacity_ratio(1.0, -1.0)


def test_lmtd():
    # parallel arrangement vs ht (counterflow=False)
    assert hx.lmtd(100.0, 60.0, 30.0, 40.2, "parallel") == pytest.approx(
        ht.LMTD(100.0, 60.0, 30.0, 40.2, counterflow=False), rel=1e-14)
    # equal terminal differences -> the difference itself, and continuity
    assert hx.lmtd(80.0, 60.0, 50.0, 70.0) == 10.0
    assert hx.lmtd(80.0, 60.0, 50.0, 70.0 + 1e-9) == pytest.approx(10.0, rel=1e-9)
    out = hx.lmtd(np.array([80.0, 90.0]), 60.0, 50.0, np.array([[70.0], [65.0]]))
    assert out.shape == (2, 2)
    with pytest.raises(InputError, match=r"temperature cross .*dT1 = -5 K"):
        hx.lmtd(60.0, 40.0, 30.0, 65.0)
    with pytest.raises(InputError, match="temperature cross in parallel"):
        hx.lmtd(60.0, 40.0, 30.0, 45.0, "parallel")
    with pytest.raises(InputError, match="'counterflow' or 'parallel'"):
        hx.lmtd(60.0, 40.0, 30.0, 35.0, "crossflow_unmixed")


def test_errors():
    with pytest.raises(InputError, match=r"effectiveness = 0.8 cannot be reached by arrangement "
                                         r"'parallel' with Cr = 0.5; the maximum reachable "
                                         r"effectiveness is 0.6666666667"):
        hx.NTU_from_effectiveness(0.8, 0.5, "parallel")
    with pytest.raises(InputError, match=r"maximum reachable effectiveness is 1 "):
        hx.NTU_from_effectiveness(1.0, 0.5, "counterflow")
    with pytest.raises(InputError, match=r"Cr = 0.9.*maximum reachable effectiveness is 0.61626"):
        hx.NTU_from_effectiveness(np.array([0.1, 0.75]), np.array([0.3, 0.9]), "shell_and_tube_1_2")
    with pytest.raises(InputError, match=r"'Cr' must satisfy 0 <= Cr <= 1, got 1.5"):
        hx.effectiveness_from_NTU(1.0, 1.5)
    with pytest.raises(InputError, match="'NTU' must be >= 0"):
        hx.effectiveness_from_NTU(-1.0, 0.5)
    with pytest.raises(InputError, match="'NTU' contains non-finite"):
        hx.effectiveness_from_NTU(np.inf, 0.5)
    with pytest.raises(InputError, match="unknown arrangement 'crossflow'"):
        hx.effectiveness_from_NTU(1.0, 0.5, "crossflow")
    with pytest.raises(InputError, match="'effectiveness' must be >= 0"):
        hx.NTU_from_effectiveness(-0.1, 0.5)


# --------------------------------------------------------------------------
# property tests
# --------------------------------------------------------------------------
ntu_st = st.floats(0.0, 50.0, allow_nan=False)
cr_st = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(N=ntu_st, Cr=cr_st, arr=st.sampled_from(ALL))
@example(N=43.5, Cr=0.0078125, arr="crossflow_unmixed_exact")   # series summed to 1 + 2e-16
def test_prop_bounds(N, Cr, arr):
    e = hx.effectiveness_from_NTU(N, Cr, arr)
    assert 0.0 <= e <= 1.0
    assert e <= hx.effectiveness_max(Cr, arr) * (1 + 1e-14)


@settings(max_examples=300, deadline=None)
@given(N1=ntu_st, N2=ntu_st, Cr=cr_st, arr=st.sampled_from(ALL))
def test_prop_monotone_in_NTU(N1, N2, Cr, arr):
    lo, hi = sorted((N1, N2))
    assert hx.effectiveness_from_NTU(hi, Cr, arr) >= hx.effectiveness_from_NTU(lo, Cr, arr) - 1e-15


@settings(max_examples=400, deadline=None)
@given(frac=st.floats(0.0, 1.0 - 1e-6), Cr=cr_st, arr=st.sampled_from(ALL))
def test_prop_round_trip(frac, Cr, arr):
    e = frac * hx.effectiveness_max(Cr, arr)
    if arr == "crossflow_unmixed_exact":
        # keep the NTU moderate so the exact series stays quick
        e = min(e, hx.effectiveness_from_NTU(200.0, Cr, arr))
    N = hx.NTU_from_effectiveness(e, Cr, arr)
    assert N >= 0.0
    assert hx.effectiveness_from_NTU(N, Cr, arr) == pytest.approx(e, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(N=ntu_st, Cr=cr_st)
def test_prop_ordering(N, Cr):
    e = {a: hx.effectiveness_from_NTU(N, Cr, a) for a in ALL}
    tol = 1e-12
    # exact cross flow and the mixed variants lie between parallel and counterflow
    for a in ("crossflow_unmixed_exact", "crossflow_cmax_mixed", "crossflow_cmin_mixed",
              "shell_and_tube_1_2"):
        assert e["parallel"] - tol <= e[a] <= e["counterflow"] + tol
    # Incropera's approximation: below counterflow always; above parallel for
    # NTU >= 0.52 (it dips below by <= 0.006 at low NTU, see the test above)
    assert e["crossflow_unmixed"] <= e["counterflow"] + tol
    if N >= 0.52:
        assert e["crossflow_unmixed"] >= e["parallel"] - tol
    else:
        assert e["crossflow_unmixed"] >= e["parallel"] - 0.006


@settings(max_examples=200, deadline=None)
@given(N=ntu_st, C1=cr_st, C2=cr_st, arr=st.sampled_from(FAST))
def test_prop_monotone_in_Cr(N, C1, C2, arr):
    lo, hi = sorted((C1, C2))
    assert hx.effectiveness_from_NTU(N, lo, arr) >= hx.effectiveness_from_NTU(N, hi, arr) - 1e-14
