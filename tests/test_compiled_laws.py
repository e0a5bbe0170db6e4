"""The compiled laws of the hot path against their closed forms.

The network evaluates the pump curve, the valve law and characteristics, the
rated-point inverse, the off-design UA, the consumers' flows and the incidence
product in compiled loops (one implementation each; the NumPy functions of the
public API call the same kernels). Each is checked here against its formula
written out in NumPy, on random values and on the edges of its branches (reverse
flow, the tangent beyond the last curve point, shut and check valves, zero flow,
NaN), to the last bit where the operations are the same, and the derivatives
against finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from narvik_thermal.components import _heat_kernels, _hydraulic_kernels
from narvik_thermal.components.pump import curve_head, curve_head_dQ
from narvik_thermal.correlations.cold_plate import power_law_flow, power_law_pressure_drop
from narvik_thermal.correlations.hx import ua_off_design
from narvik_thermal.correlations.minor_loss import valve_Kv_coded
from narvik_thermal.solvers._sparse_kernels import csc_matvec

RNG = np.random.default_rng(20261130)


def _curve_reference(a0, a1, a2, Q, s, q_max):
    """The quadratic pump curve with |a₂| in reverse flow and the tangent beyond
    ``s q_max`` (``components.pump.curve_head``'s formula)."""
    c2 = np.where(Q < 0, np.abs(a2), a2)
    with np.errstate(invalid="ignore"):
        Qc = np.where((Q > q_max * s) & (c2 > 0), q_max * s, Q)
    slope = a1 * s + 2.0 * c2 * Qc
    return a0 * s ** 2 + a1 * s * Qc + c2 * Qc * Qc + slope * (Q - Qc), slope


def test_pump_curve_equals_its_formula_on_every_branch():
    n = 20000
    a0 = RNG.uniform(5, 50, n)
    a1 = RNG.uniform(-500, 500, n)
    a2 = RNG.uniform(-3000, 3000, n)             # concave and convex fits
    Q = RNG.uniform(-0.3, 0.6, n)                 # reverse, on the curve, beyond it
    s = RNG.choice([0.0, 0.3, 1.0, 1.2], n)
    q_max = np.where(RNG.random(n) < 0.2, np.inf, RNG.uniform(0.05, 0.3, n))
    H, dH = curve_head(a0, a1, a2, Q, s, q_max), curve_head_dQ(a0, a1, a2, Q, s, q_max)
    H_ref, dH_ref = _curve_reference(a0, a1, a2, Q, s, q_max)
    assert np.array_equal(H, H_ref) and np.array_equal(dH, dH_ref)
    # broadcasting and a scalar as before (a NumPy float, as the doctests use it)
    assert curve_head(30.0, 0.0, -2000.0, -0.05, 1.0) == 35.0
    assert curve_head(30.0, -470.0, 2200.0, np.array([[0.2], [0.0]]), 1.0, 0.1).shape == (2, 1)
    # the slope is the derivative, also on the tangent and in reverse flow
    h = 1e-7
    for q in (-0.1, 0.05, 0.2):
        fd = (curve_head(30.0, -470.0, 2200.0, q + h, 1.0, 0.1)
              - curve_head(30.0, -470.0, 2200.0, q - h, 1.0, 0.1)) / (2 * h)
        assert curve_head_dQ(30.0, -470.0, 2200.0, q, 1.0, 0.1) == pytest.approx(fd, rel=1e-6)


def test_network_pump_losses_are_the_curve_per_pump():
    """The pump edges' loss is minus the rise of ``count`` pumps in parallel, each at
    ``ṁ/(count ρ)``, and its derivative follows (chain rule)."""
    n, E = 50, 60
    idx = np.sort(RNG.choice(E, n, replace=False)).astype(np.int64)
    m = RNG.uniform(-20, 60, E)
    count = RNG.integers(1, 5, E).astype(float)
    rho = RNG.uniform(980, 1010, E)
    to_pa = np.where(RNG.random(n) < 0.5, 1.0, rho[idx] * 9.80665)
    a0, a1, a2 = RNG.uniform(5, 50, n), RNG.uniform(-500, 0, n), RNG.uniform(-3000, 0, n)
    s, q_max = RNG.uniform(0.2, 1.1, n), RNG.uniform(0.02, 0.1, n)
    r, d = np.zeros(E), np.zeros(E)
    _hydraulic_kernels.pump_curve_losses(m, idx, count, rho, to_pa, a0, a1, a2, s, q_max, r, d)
    H, dH = _curve_reference(a0, a1, a2, m[idx] / (count[idx] * rho[idx]), s, q_max)
    assert np.array_equal(r[idx], -to_pa * H)
    assert np.array_equal(d[idx], -to_pa * dH / (count[idx] * rho[idx]))
    others = np.setdiff1d(np.arange(E), idx)
    assert not np.any(r[others]) and not np.any(d[others])


def test_valve_losses_shut_check_and_open():
    E = 8
    idx = np.arange(E, dtype=np.int64)
    m = np.array([2.0, -2.0, 2.0, -2.0, 0.0, 3.0, -3.0, 1.0])
    count = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 1.0])
    coef = np.full(E, 500.0)
    shut = np.array([False, False, False, False, False, False, False, True])
    check = np.array([False, False, True, True, False, True, False, False])
    back = 1e10
    r, d = np.zeros(E), np.zeros(E)
    _hydraulic_kernels.valve_losses(m, idx, count, coef, shut, check, back, r, d)
    mu = m / count
    leak = (check & (mu < 0)) | shut
    assert np.array_equal(r, np.where(leak, back * mu, coef * mu * np.abs(mu)))
    assert np.array_equal(d, np.where(leak, back, 2.0 * coef * np.abs(mu)) / count)
    # a check valve against its flow and a shut valve leak linearly; an open one is
    # quadratic, its derivative at zero flow zero
    assert r[3] == back * -2.0 and r[7] == back * 1.0 and d[4] == 0.0


@pytest.mark.parametrize("code", [0, 1, 2])
def test_valve_characteristics_equal_their_formulas(code):
    h = np.concatenate([[0.0, 1.0, 1e-9], RNG.random(5000)])
    R = RNG.uniform(1.5, 100.0, h.size)
    Kvs = RNG.uniform(0.1, 500.0, h.size)
    inv = 1.0 / R
    ref = Kvs * ((inv + (1.0 - inv) * h) if code == 0 else R ** (h - 1.0) if code == 1
                 else (inv + (1.0 - inv) * np.sqrt(h)))
    assert np.array_equal(valve_Kv_coded(h, Kvs, code, R), ref)
    # both ends: Kvs/R shut, Kvs fully open
    assert valve_Kv_coded(0.0, 10.0, code, 50.0) == pytest.approx(0.2, rel=1e-15)
    assert valve_Kv_coded(1.0, 10.0, code, 50.0) == pytest.approx(10.0, rel=1e-15)


def test_valve_constants_equal_the_kv_law():
    n = 200
    idx = np.arange(n, dtype=np.int64)
    rho = RNG.uniform(980, 1010, n)
    kvs, R = RNG.uniform(1, 300, n), RNG.uniform(10, 100, n)
    opening = np.where(RNG.random(n) < 0.1, 0.0, RNG.random(n))
    code = RNG.integers(0, 3, n).astype(np.int8)
    check = RNG.integers(0, 2, n).astype(np.int8)
    coef, shut, chk = _hydraulic_kernels.valve_constants(idx, rho, kvs, opening, code, R, check,
                                                         1e5 * 3600.0 ** 2 / 1000.0)
    kv = np.where(opening > 0, valve_Kv_coded(opening, kvs, code, R), 0.0)
    assert np.array_equal(shut, kv <= 0) and np.array_equal(chk, check == 1)
    kv_to_si = 1e5 * 3600.0 ** 2 / 1000.0
    assert np.array_equal(coef, kv_to_si / (rho * np.where(kv > 0, kv, 1.0) ** 2))


def test_rated_point_inverse_round_trips():
    dp_r, V_r = RNG.uniform(1e3, 5e4, 3000), RNG.uniform(1e-4, 1e-2, 3000)
    n = RNG.choice([1.0, 1.75, 2.0], 3000)
    V = RNG.uniform(-2, 2, 3000) * V_r
    V[:3] = 0.0
    dp = power_law_pressure_drop(V, dp_r, V_r, n)[0]
    assert np.allclose(power_law_flow(dp, dp_r, V_r, n), V, rtol=1e-12, atol=0)
    assert np.array_equal(power_law_flow(dp, dp_r, V_r, n),
                          np.sign(dp) * V_r * (np.abs(dp) / dp_r) ** (1.0 / n))


def test_off_design_ua_equals_its_resistances():
    n = 20000
    ua0 = RNG.uniform(1e2, 1e6, n)
    xh, xc = RNG.uniform(0, 2, n), RNG.uniform(0, 2, n)
    xh[:50], xc[50:100] = 0.0, 0.0
    exp_ = RNG.uniform(0.5, 1.0, n)
    s, w = RNG.random(n), RNG.uniform(0, 0.9, n)
    s[100:150], s[150:200] = 0.0, 1.0            # one side without film resistance
    rh, rc = (1 - w) * s, (1 - w) * (1 - s)
    with np.errstate(divide="ignore", invalid="ignore"):
        th = np.where(rh > 0, rh * np.where(xh > 0, xh, 1.0) ** -exp_, 0.0)
        tc = np.where(rc > 0, rc * np.where(xc > 0, xc, 1.0) ** -exp_, 0.0)
    stop = ((xh <= 0) & (rh > 0)) | ((xc <= 0) & (rc > 0))
    ref = np.where(stop, 0.0, ua0 / (th + tc + w))
    assert np.array_equal(ua_off_design(ua0, xh, xc, exp_, s, w, check=False), ref)
    assert ua_off_design(1000.0, 1.0, 1.0, 0.72, 0.3, 0.2) == 1000.0
    # a side with no film resistance (s = 1: all of it in the hot film) ignores its flow
    assert ua_off_design(1000.0, 1.0, 0.0, 0.72, 1.0, 0.2) == pytest.approx(1000.0)
    # NaN flows pass as NumPy would pass them (no stop, ratio 1)
    assert ua_off_design(1000.0, np.nan, 1.0, 0.72, 0.5, 0.2, check=False) == 1000.0


def test_network_ua_of_exchangers():
    n = 40
    ua = RNG.uniform(1e3, 1e5, n)
    ua[:5] = np.nan                               # an effectiveness given instead
    dh, dc = RNG.uniform(1, 50, n), RNG.uniform(1, 50, n)
    dh[5:10] = np.nan                             # no design flows: constant UA
    bh, bc = RNG.integers(0, 2, n).astype(np.int8), RNG.integers(0, 2, n).astype(np.int8)
    vol = 1
    exp_, s, w = RNG.uniform(0.6, 0.8, n), RNG.random(n), RNG.uniform(0, 0.5, n)
    mh, mc = RNG.uniform(-60, 60, n), RNG.uniform(0, 60, n)
    rh, rc = RNG.uniform(980, 1010, n), RNG.uniform(980, 1010, n)
    count = RNG.integers(1, 4, n).astype(float)
    got = _heat_kernels.hx_ua(ua, dh, dc, bh, bc, vol, exp_, s, w, mh, mc, rh, rc, count)
    mh0 = np.where(bh == vol, dh * rh, dh)
    mc0 = np.where(bc == vol, dc * rc, dc)
    off = ~np.isnan(dh) & ~np.isnan(ua)
    ref = ua.copy()
    ref[off] = ua_off_design(ua[off], np.abs(mh[off]) / (count[off] * mh0[off]),
                             np.abs(mc[off]) / (count[off] * mc0[off]), exp_[off], s[off],
                             w[off], check=False)
    assert np.array_equal(got, ref * count, equal_nan=True)
    assert np.all(np.isnan(got[:5])) and np.array_equal(got[5:10], ua[5:10] * count[5:10])


def test_consumer_flows_by_control():
    # codes: 0 ΔT, 1 return temperature, 2 mass flow; a flow given as mass: basis 0
    ctrl = np.array([0, 1, 1, 1, 2, 2, 1], np.int8)
    q = np.array([1e5, 1e5, 1e5, 1e5, 0.0, 0.0, 1e5])
    dt = np.full(7, 30.0)
    drop = np.full(7, 5.0)
    basis = np.array([0, 0, 0, 0, 0, 1, 0], np.int8)
    mflow = np.array([0, 0, 0, 0, 2.0, 0.003, 0])
    count = np.array([1.0, 1, 1, 2, 1, 1, 1])
    cp = np.full(7, 4180.0)
    rho = np.full(7, 990.0)
    h_in = np.array([0, 4e5, 1.5e5, 4e5, 0, 0, np.nan])
    h_ret = np.array([np.nan, 2e5, 2e5, 2e5, np.nan, np.nan, 2e5])
    m, deliv = _heat_kernels.consumer_flows(ctrl, q, dt, drop, basis, mflow, count, h_in, h_ret,
                                            cp, rho, 0, 1, 2, 0)
    cap = 1e5 / (4180.0 * 5.0)
    assert m[0] == 1e5 / (4180.0 * 30.0)
    assert m[1] == min(1e5 / 2e5, cap) and deliv[1]
    assert m[2] == cap and not deliv[2]            # supply below the return set-point
    assert m[3] == 2 * (1e5 / 2e5)                 # two units
    assert m[4] == 2.0 and m[5] == 0.003 * 990.0   # mass, and volume × ρ
    # a NaN inlet is no delivery (dh > 0 is False) at the cap, as NumPy's masks give
    assert m[6] == cap and not deliv[6]
    # NumPy's minimum: a NaN demand gives NaN, not the cap
    m2, _ = _heat_kernels.consumer_flows(ctrl[1:2], np.array([np.nan]), dt[:1], drop[:1],
                                         basis[:1], mflow[:1], count[:1], h_in[1:2],
                                         h_ret[1:2], cp[:1], rho[:1], 0, 1, 2, 0)
    assert np.isnan(m2[0])


def test_incidence_product_equals_scipy():
    A = sp.random(700, 1200, density=0.004, format="csc", random_state=7)
    x = RNG.normal(size=1200)
    assert np.array_equal(csc_matvec(700, A.indptr, A.indices, A.data, x), A @ x)
    empty = sp.csc_matrix((3, 0))
    assert np.array_equal(csc_matvec(3, empty.indptr, empty.indices, empty.data, np.zeros(0)),
                          np.zeros(3))
