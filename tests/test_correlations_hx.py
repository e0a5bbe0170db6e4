"""Tests of narvik_thermal.correlations.hx (ε-NTU, LMTD): limits, shapes, errors and
hypothesis invariants. The comparisons with ht 1.2 (ht.hx) and Incropera's
Example 11.1 are validation cases (tests/validation_cases.py, table "eps-ntu")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import validation_cases as vc

from narvik_thermal.correlations import hx
from narvik_thermal.errors import InputError

ht = pytest.importorskip("ht")

HT_NAMES = vc.HT_ARRANGEMENTS   # our arrangement → ht's name (the registry's table)
ALL = list(hx.ARRANGEMENTS)
FAST = [a for a in ALL if a != "crossflow_unmixed_exact"]

NTU_GRID = np.logspace(-3, 2, 60)[:, None]
CR_GRID = np.r_[np.logspace(-4, 0, 15)][None, :]


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
    # both arrangements against ht: validation case hx.lmtd.ht
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
