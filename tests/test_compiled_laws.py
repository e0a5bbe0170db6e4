"""The compiled laws of the hot path against their closed forms.

The network evaluates the pump curve, the valve law and characteristics, the
rated-point inverse, the off-design UA, the effectiveness of each flow arrangement
and the exchangers' heat laws, the consumers' flows and the incidence product in
compiled loops (one implementation each; the NumPy functions of the public API call
the same kernels), and the control steps (natural residual, bounded trust-region
step) likewise. Each is checked here against its formula written out in NumPy (as
the library wrote it before it was compiled), on random values and on the edges of
its branches (reverse flow, the tangent beyond the last curve point, shut and check
valves, zero flow, Cr = 0 and 1, a given effectiveness beyond its arrangement's
limit, singular Jacobians, NaN), to the last bit where the operations are the same
(to 1e-15 where a compiled exp, expm1 or tanh may round otherwise), and the
derivatives against finite differences. The heat pumps' mapped performance without
argument checks is checked to equal the checked function's.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from narvik_thermal.components import _heat_kernels, _hydraulic_kernels
from narvik_thermal.components.kinds import FlowBasis, HydraulicLaw as L, RiseBasis
from narvik_thermal.components.pump import curve_head, curve_head_dQ
from narvik_thermal.correlations.cold_plate import power_law_flow, power_law_pressure_drop
from narvik_thermal.correlations.hx import ua_off_design
from narvik_thermal.correlations.minor_loss import valve_Kv_coded
from narvik_thermal.solvers._sparse_kernels import csc_matvec

RNG = np.random.default_rng(20261130)
#: the arrangements a network's heat exchanger takes (``components.kinds``)
ARRANGEMENT_NAMES = ("counterflow", "parallel", "crossflow_unmixed", "crossflow_cmax_mixed",
                     "crossflow_cmin_mixed", "shell_and_tube_1_2")


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


# ---------------------------------------------------------------- effectiveness (ε-NTU)
def _eps_reference(N, Cr, arrangement):
    """The closed forms of Incropera et al. (2011), Table 11.3, written out in NumPy as
    ``correlations.hx`` evaluated them before they were compiled (Cr below 1e-30: the
    Cr = 0 limit)."""
    zero = Cr < 1e-30
    Cs = np.where(zero, 1.0, Cr)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if arrangement == "counterflow":
            em = np.expm1(-N * (1.0 - Cr))
            return np.where(Cr == 1.0, N / (1.0 + N),
                            -em / np.where(Cr == 1.0, 1.0, (1.0 - Cr) - Cr * em))
        if arrangement == "parallel":
            return -np.expm1(-N * (1.0 + Cr)) / (1.0 + Cr)
        if arrangement == "crossflow_unmixed":
            g = N ** 0.22 * np.expm1(-Cs * N ** 0.78) / Cs
            return -np.expm1(np.where(zero, -N, g))
        if arrangement == "crossflow_cmax_mixed":
            e1 = -np.expm1(-N)
            return np.where(zero, e1, -np.expm1(-Cs * e1) / Cs)
        if arrangement == "crossflow_cmin_mixed":
            return np.where(zero, -np.expm1(-N), -np.expm1(np.expm1(-Cs * N) / Cs))
        S = np.sqrt(1.0 + Cr * Cr)
        t = np.tanh(0.5 * N * S)
        return 2.0 * t / ((1.0 + Cr) * t + S)


def test_arrangement_codes_agree():
    from narvik_thermal.correlations import _hx_kernels
    from narvik_thermal.correlations.hx import ARRANGEMENTS

    assert ARRANGEMENTS.index("counterflow") == _hx_kernels.COUNTERFLOW
    assert ARRANGEMENTS.index("crossflow_unmixed_exact") == _hx_kernels.CROSSFLOW_UNMIXED_EXACT
    assert ARRANGEMENTS.index("shell_and_tube_1_2") == _hx_kernels.SHELL_AND_TUBE_1_2
    # the exact cross flow has no closed form: the compiled point says so (NaN)
    assert np.isnan(_hx_kernels.effectiveness_point(1.0, 0.5, _hx_kernels.CROSSFLOW_UNMIXED_EXACT,
                                                    1e-30))


@pytest.mark.parametrize("arrangement", ARRANGEMENT_NAMES)
def test_network_exchanger_takes_its_arrangement(arrangement):
    """A network's exchanger of each arrangement (its code in ``components.kinds``) is
    evaluated by that arrangement's closed form (codes of ``correlations.hx``)."""
    import narvik_thermal as nt
    from narvik_thermal.correlations.hx import effectiveness_from_NTU

    Q_ = nt.Q_
    const = nt.fluids.tabulated(      # constant cp: the capacity rates are ṁ c_p exactly
        "const", temperature=Q_([-50.0, 150.0], "degC"), density=Q_([998.2, 998.2], "kg/m^3"),
        specific_heat=Q_([4182.0, 4182.0], "J/(kg*K)"),
        viscosity=Q_([1e-3, 1e-3], "Pa*s"), conductivity=Q_([0.6, 0.6], "W/(m*K)"))
    net = nt.Network("hx", fluid=const)
    net.add_heat_exchanger("hx", hot=("h_in", "h_out"), cold=("c_in", "c_out"),
                           ua=Q_(1500, "W/K"), arrangement=arrangement)
    net.add_flow_boundary("h_in", mass_flow=Q_(0.3, "kg/s"), temperature=Q_(60, "degC"))
    net.add_pressure_boundary("h_out", pressure=Q_(2, "bar"), temperature=Q_(60, "degC"))
    net.add_flow_boundary("c_in", mass_flow=Q_(0.5, "kg/s"), temperature=Q_(10, "degC"))
    net.add_pressure_boundary("c_out", pressure=Q_(2, "bar"), temperature=Q_(10, "degC"))
    r = net.solve()
    want = float(effectiveness_from_NTU(1500.0 / (0.3 * 4182.0), 0.3 / 0.5, arrangement))
    assert r.effectiveness("hx") == pytest.approx(want, rel=1e-12)
    duty = r.heat_exchanger("hx")["duty"].m_as("W")
    assert duty == pytest.approx(want * 0.3 * 4182.0 * 50.0, rel=1e-7)


@pytest.mark.parametrize("arrangement", ["counterflow", "parallel", "crossflow_unmixed",
                                         "crossflow_cmax_mixed", "crossflow_cmin_mixed",
                                         "shell_and_tube_1_2"])
def test_effectiveness_equals_its_closed_form(arrangement):
    from narvik_thermal.correlations.hx import effectiveness_unchecked

    n = 5000
    N = np.concatenate([10 ** RNG.uniform(-6, 3, n), [0.0, 1e6, 1.0, 2.0, np.nan, 3.0]])
    Cr = np.concatenate([RNG.uniform(0, 1, n), [0.5, 0.3, 1.0, 0.0, 0.5, 1e-31]])
    got = effectiveness_unchecked(N, Cr, arrangement)
    want = _eps_reference(N, Cr, arrangement)
    # (the compiled exp, expm1 and tanh may differ from NumPy's in the last bit)
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0.0, equal_nan=True)
    assert np.isnan(got[-2]) and got[n] == 0.0
    assert got.shape == N.shape


def _hx_block_reference(m_h, m_c, cp_h, cp_c, ua, eps_given, arrangement):
    """The exchangers' ε, NTU, C_min, C_r and the flag of a held effectiveness, as
    ``components.thermal.edge_heat_coefficients`` computed them in NumPy."""
    Ch, Cc = np.abs(m_h) * cp_h, np.abs(m_c) * cp_c
    Cmin, Cmax = np.minimum(Ch, Cc), np.maximum(Ch, Cc)
    with np.errstate(divide="ignore", invalid="ignore"):
        cr = np.where(Cmax > 0, Cmin / np.where(Cmax > 0, Cmax, 1.0), 0.0)
        ntu = np.where(Cmin > 0, ua / np.where(Cmin > 0, Cmin, 1.0), 0.0)
    eps = np.where(np.isnan(eps_given), 0.0, eps_given)
    need = np.isnan(eps_given) & (Cmin > 0)
    given = ~np.isnan(eps_given) & (Cmin > 0)
    eps[need] = _eps_reference(ntu[need], cr[need], arrangement)
    top = _eps_reference(np.full(int(given.sum()), 1e6), cr[given], arrangement)
    over = eps[given] > top * (1 + 1e-12)
    limited = np.zeros(m_h.size, bool)
    idx = np.flatnonzero(given)[over]
    eps[idx] = top[over]
    limited[idx] = True
    return eps, ntu, Cmin, cr, limited


@pytest.mark.parametrize("arrangement", ["counterflow", "parallel", "shell_and_tube_1_2"])
def test_exchanger_effectiveness_and_coefficients(arrangement):
    from narvik_thermal.components.thermal import EPS_NTU_LIMIT
    from narvik_thermal.correlations.hx import ARRANGEMENTS, TINY_CR

    n = 400
    E = 2 * n
    eh, ec = np.arange(n), np.arange(n, E)
    m = RNG.normal(0, 5, E)
    m[:20] = 0.0                                         # no flow on a side
    m[30] = np.nan                                       # NaN propagates as NumPy's minimum
    cp = RNG.uniform(3500, 4200, E)
    ua = RNG.uniform(1e3, 1e6, n)
    eps_given = np.where(RNG.random(n) < 0.3, RNG.uniform(0.3, 1.0, n), np.nan)
    eps_given[:5] = 0.99                                 # given, no flow: kept
    ua[~np.isnan(eps_given)] = np.nan                    # as hx_ua returns them
    code = np.full(n, ARRANGEMENTS.index(arrangement), dtype=np.int64)
    got = _heat_kernels.hx_effectiveness(eh, ec, m, cp, ua, eps_given, code, EPS_NTU_LIMIT,
                                         TINY_CR)
    want = _hx_block_reference(m[eh], m[ec], cp[eh], cp[ec], ua, eps_given, arrangement)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-15, atol=0.0, equal_nan=True)
    if arrangement != "counterflow":                     # (counterflow reaches 1)
        assert got[4].any()                              # given beyond the limit: held
    # the linear laws: Q_hot = −ε C_min (T_uh − T_uc) at the linearisation point
    up = np.arange(E)
    T = RNG.uniform(280, 330, E)
    cpk = RNG.uniform(3500, 4200, E)
    h = cpk * (T - 273.15) + RNG.normal(0, 100, E)
    q0, q1, q2 = np.zeros(E), np.zeros(E), np.zeros(E)
    eps, cmin = got[0], got[2]
    _heat_kernels.hx_coefficients(eh, ec, up, h, T, cpk, eps, cmin, q0, q1, q2)
    ok = np.isfinite(eps * cmin)
    Q_hot = q0[eh] + q1[eh] * h[eh] + q2[eh] * h[ec]
    Q_cold = q0[ec] + q1[ec] * h[ec] + q2[ec] * h[eh]
    want_q = -(eps * cmin) * (T[eh] - T[ec])
    np.testing.assert_allclose(Q_hot[ok], want_q[ok], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(Q_cold[ok], -want_q[ok], rtol=1e-9, atol=1e-6)


def test_hx_laws_is_hx_ua_effectiveness_and_coefficients_in_turn():
    """The fused call of ``edge_heat_coefficients`` gives bit for bit what the three
    kernels give one after the other (gathers of the sides' flows, densities, counts)."""
    from narvik_thermal.components.thermal import EPS_NTU_LIMIT
    from narvik_thermal.correlations.hx import TINY_CR

    rng = np.random.default_rng(21)
    for _ in range(60):
        n = int(rng.integers(0, 12))
        E = 2 * n + int(rng.integers(0, 5))
        perm = rng.permutation(E)
        eh, ec = perm[:n].astype(np.int64), perm[n:2 * n].astype(np.int64)
        m = rng.normal(0, 5, E)
        m[rng.random(E) < 0.1] = 0.0
        if E and rng.random() < 0.2:
            m[rng.integers(0, E)] = np.nan
        rho = rng.uniform(980, 1010, E)
        count = rng.integers(1, 4, E).astype(float)
        up = rng.integers(0, E, E).astype(np.int64)
        T = rng.uniform(280, 330, E)
        cpk = rng.uniform(3500, 4200, E)
        h = cpk * (T - 273.15)
        cp_e = rng.uniform(3500, 4200, E)
        ua = rng.uniform(1e3, 1e5, n)
        eps_given = np.where(rng.random(n) < 0.3, rng.uniform(0.3, 1.0, n), np.nan)
        ua[~np.isnan(eps_given)] = np.nan
        dh, dc = rng.uniform(1, 50, n), rng.uniform(1, 50, n)
        dh[rng.random(n) < 0.3] = np.nan
        bh, bc = rng.integers(0, 2, n).astype(np.int8), rng.integers(0, 2, n).astype(np.int8)
        exp_, sh, w = rng.uniform(0.6, 0.8, n), rng.random(n), rng.uniform(0, 0.5, n)
        code = rng.integers(0, 3, n).astype(np.int64)
        par = (ua, dh, dc, bh, bc, 1, exp_, sh, w)
        q = [rng.normal(size=E) for _ in range(3)]
        q_want = [x.copy() for x in q]
        got = _heat_kernels.hx_laws(eh, ec, m, up, h, T, cpk, cp_e, rho, count, *par,
                                    eps_given, code, EPS_NTU_LIMIT, TINY_CR, *q)
        ua_w = _heat_kernels.hx_ua(*par, m[eh], m[ec], rho[eh], rho[ec], count[eh])
        eps, ntu, cmin, cr, lim = _heat_kernels.hx_effectiveness(
            eh, ec, m, cp_e, ua_w, eps_given, code, EPS_NTU_LIMIT, TINY_CR)
        _heat_kernels.hx_coefficients(eh, ec, up, h, T, cpk, eps, cmin, *q_want)
        for g, w_ in zip(got, (eps, ntu, cmin, cr, ua_w, lim)):
            assert g.dtype == w_.dtype and g.tobytes() == w_.tobytes()
        for g, w_ in zip(q, q_want):
            assert g.tobytes() == w_.tobytes()


# ---------------------------------------------------------------- control steps
def _natural_residual_reference(x, e, d):
    """``solvers.control_steps.natural_residual`` as it was written in NumPy."""
    ok = d != 0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = x - e / np.where(ok, d, 1.0)
    z[~ok] = 0.5
    up, dn = z >= 1.0, z <= 0.0
    F = np.where(up, d * (x - 1.0), np.where(dn, d * x, e))
    held = (up & (x >= 1.0)) | (dn & (x <= 0.0))
    return F, up | dn, held, float(np.linalg.norm(F))


def _bounded_step_reference(J, F, x, held, radius, eps):
    """``solvers.control_steps.bounded_step`` as it was written in NumPy (SVD, bisection
    on log μ)."""
    def tr(rows, cols):
        s = np.zeros(F.size)
        if not cols.any() or not rows.any():
            return s
        U, sig, Vt = np.linalg.svd(J[np.ix_(rows, cols)], full_matrices=False)
        if sig.size == 0 or sig[0] <= 0:
            return s
        g = U.T @ F[rows]
        keep = sig > 1e-10 * sig[0]

        def step(mu):
            return -(Vt.T @ np.where(keep, sig * g / np.where(keep, sig * sig + mu, 1.0), 0.0))

        p = step(0.0)
        if np.linalg.norm(p) > radius:
            a, b = 1e-12 * sig[0] ** 2, max(float(np.linalg.norm(sig * g)) / radius, sig[0] ** 2)
            for _ in range(60):
                mu = np.sqrt(a * b)
                if np.linalg.norm(step(mu)) > radius:
                    a = mu
                else:
                    b = mu
                if b <= a * (1 + 1e-6):
                    break
            p = step(b)
        s[cols] = p
        return s

    cols, rows = ~held, ~held
    s = np.zeros(F.size)
    for _ in range(F.size):
        s = tr(rows, cols)
        out = cols & (((x >= 1.0) & (s > 0)) | ((x <= 0.0) & (s < 0)))
        if not out.any():
            break
        cols[int(np.argmax(np.where(out, np.abs(s), -1.0)))] = False
    y = np.clip(x + s, 0.0, 1.0)
    return np.where(y >= 1.0 - eps, 1.0, np.where(y <= eps, 0.0, y)) - x


def test_control_steps_equal_their_numpy_forms():
    from narvik_thermal.solvers.control_steps import bounded_step, natural_residual

    worst = 0.0
    for t in range(2000):
        n = int(RNG.integers(1, 8))
        J = RNG.normal(size=(n, n))
        if t % 7 == 0:
            J[:, 0] = 0.0                                # a singular Jacobian
        F = RNG.normal(size=n) * 10 ** RNG.uniform(-5, 0)
        x = RNG.choice([0.0, 1.0, 0.3, 0.7, 1e-9], size=n)
        held = RNG.random(n) < 0.3
        radius = float(RNG.choice([0.01, 0.2, 10.0]))    # the bisection and the plain step
        got = bounded_step(J, F, x, held, radius, 1e-6)
        want = _bounded_step_reference(J, F, x, held, radius, 1e-6)
        # held actuators stay (but for the snap of one within eps of its bound)
        assert np.all(np.abs(got[held]) <= 1e-6) and np.all((x + got >= 0.0) & (x + got <= 1.0))
        worst = max(worst, float(np.max(np.abs(got - want))))
        d = RNG.choice([-1.0, 0.0, 1.0], size=n)
        e = RNG.normal(size=n)
        e[RNG.random(n) < 0.1] = np.nan
        A, B = natural_residual(x, e, d), _natural_residual_reference(x, e, d)
        for a, b in zip(A[:3], B[:3]):
            np.testing.assert_array_equal(a, b)
        assert A[3] == pytest.approx(B[3], rel=1e-15, nan_ok=True)
    # the same steps to round-off (the SVDs are LAPACK's, through NumPy or SciPy)
    assert worst < 1e-12


# ---------------------------------------------------------------- heat-pump maps
def test_mapped_performance_is_heat_pump_performance():
    from narvik_thermal.correlations.heat_pump import heat_pump_performance, mapped_performance

    kw = dict(evaporator_approach=3.0, condenser_approach=3.0, isentropic_efficiency=0.75,
              n_series=3, stages=2)
    for t_si, t_so, t_ki, t_ko in [(281.15, 277.15, 338.15, 363.15),
                                   (303.15, 298.15, 318.15, 358.15)]:
        got = mapped_performance("R717", t_si, t_so, t_ki, t_ko, **kw)
        want = heat_pump_performance(t_si, t_so, t_ki, t_ko, refrigerant="R717",
                                     performance="map", **kw)
        assert got == want                               # the same result, to the bit
    # left to heat_pump_performance: streams out of order (it raises), CO2
    assert mapped_performance("R717", 281.15, 285.0, 338.15, 363.15, **kw) is None
    assert mapped_performance("R717", 281.15, 277.15, 363.15, 338.15, **kw) is None
    assert mapped_performance("R717", np.nan, 277.15, 338.15, 363.15, **kw) is None
    assert mapped_performance("R744", 281.15, 277.15, 298.15, 313.15, **kw) is None


def test_map_patches_equal_their_power_basis():
    """A performance-map cell's bicubic patches (``CyclePerformanceMap.unit``) against
    the power basis evaluated as ``(c V) U`` in NumPy, as the map did before."""
    from narvik_thermal.correlations._map_kernels import bicubic

    for _ in range(200):
        c = RNG.normal(size=(4, 4, 4)) * 10 ** RNG.uniform(-3, 3)
        u, v = RNG.uniform(0, 1, 2)
        U = np.array([1.0, u, u * u, u ** 3])
        V = np.array([1.0, v, v * v, v ** 3])
        np.testing.assert_allclose(bicubic(c, u, v), (c @ V) @ U, rtol=1e-13,
                                   atol=1e-14 * np.abs(c).sum())
    c = RNG.normal(size=(4, 4, 4))
    np.testing.assert_array_equal(bicubic(c, 0.0, 0.0), c[:, 0, 0])     # the corner node


def test_heat_pump_laws_equal_their_numpy_form():
    """The heat pumps' linear laws (``components.thermal.heat_pump_coefficients``)
    against the NumPy form it had: set-point, at capacity and off, with no flow."""
    n, E = 300, 700
    ev, co = np.arange(n), np.arange(n, 2 * n)
    m = RNG.normal(0, 20, E)
    m[co[:10]] = 0.0
    h_sup = RNG.uniform(2e5, 4e5, n)
    cop = RNG.uniform(1.5, 6.0, n)
    mode = RNG.integers(0, 3, n)
    cap = RNG.uniform(1e5, 1e7, n)
    q0, q1, q2 = np.zeros(E), np.zeros(E), np.zeros(E)
    _heat_kernels.heat_pump_laws(ev, co, m, h_sup, cop, mode, cap, 0, 1, q0, q1, q2)
    mc, frac, sp, at = np.abs(m[co]), 1.0 - 1.0 / cop, mode == 0, mode == 1
    w0, w1, w2 = np.zeros(E), np.zeros(E), np.zeros(E)
    w0[co] = np.where(sp, mc * h_sup, np.where(at, cap, 0.0))
    w1[co] = np.where(sp, -mc, 0.0)
    w0[ev] = -frac * np.where(sp, mc * h_sup, np.where(at, cap, 0.0))
    w2[ev] = np.where(sp, frac * mc, 0.0)
    for a, b in ((q0, w0), (q1, w1), (q2, w2)):
        np.testing.assert_array_equal(a, b)


def _every_law_network():
    """Pipes of three friction laws, rated points (one of 7 parallel units), a pump
    curve, pumps of fixed flow, head and power, and valves open, shut and check."""
    import narvik_thermal as nt

    Q_ = nt.Q_
    net = nt.Network("laws", fluid=nt.fluids.water())
    net.add_pipe("p0", "a", "b", length=Q_(80, "m"), diameter=Q_(100, "mm"), minor_loss=2.0)
    net.add_pipe("p1", "b", "c", length=Q_(30, "m"), diameter=Q_(50, "mm"),
                 friction="colebrook", count=3)
    net.add_pipe("p2", "c", "d", length=Q_(5, "m"), diameter=Q_(20, "mm"), friction="haaland")
    net.add_heat_loads(["l0", "l1"], ["d", "d"], ["e", "f"], heat=Q_(0.0, "kW"),
                       pressure_drop=Q_([30, 12], "kPa"), rated_flow=Q_([0.2, 0.5], "kg/s"),
                       count=[1, 7])
    net.add_pump("curve", "e", "g", curve=(Q_([0, 20, 40], "m^3/h"), Q_([30, 26, 15], "m")),
                 speed=0.9, count=2)
    net.add_pump("flow", "f", "g", flow=Q_(1.5, "kg/s"))
    net.add_pump("head", "g", "h", head=Q_(4, "m"), speed=0.8)
    net.add_pump("power", "h", "i", power=Q_(2, "kW"), shutoff_head=Q_(20, "m"))
    net.add_valve("open", "i", "j", kvs=Q_(40, "m^3/h"), opening=0.6,
                  characteristic="equal_percentage")
    net.add_valve("shut", "i", "j", kvs=Q_(40, "m^3/h"), opening=0.0)
    net.add_setpoint("cool", "j", "k", outlet_temperature=Q_(20, "degC"))
    net.add_valve("check", "k", "a", kvs=Q_(25, "m^3/h"), check=True, count=2)
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    return net


def _losses_law_by_law(cn, m, rho, mu):
    """Each law's kernel called on its own (as ``edge_losses`` did before one call
    took them all)."""
    from narvik_thermal.components.hydraulics import CHECK_VALVE_BACK_RESISTANCE, KV_TO_SI

    K = _hydraulic_kernels
    count = np.asarray(cn.count, dtype=float)
    r, d = np.zeros(m.size), np.zeros(m.size)
    g = cn.hgroups[L.DARCY]
    P = g.params
    k = K.darcy_constants(g.idx, count, P["diameter"], P["length"], P["roughness"],
                          P["minor_loss"], rho, mu)
    K.darcy_losses.serial(m, g.idx, *k, P["friction"].astype(np.int64), r, d)
    g = cn.hgroups[L.POWER_LAW]
    P = g.params
    inv, Vr = K.power_law_constants(g.idx, count, rho, P["flow_rated"], P["rated_basis"],
                                    int(FlowBasis.MASS))
    K.power_law_losses(m, g.idx, inv, P["dp_rated"], Vr, P["dp_exponent"], r, d)
    g = cn.hgroups[L.PUMP_CURVE]
    P = g.params
    to_pa = np.where(P["rise_basis"] == int(RiseBasis.PRESSURE), 1.0,
                     rho[g.idx] * 9.80665)
    K.pump_curve_losses(m, g.idx, count, rho, to_pa, P["a0"], P["a1"], P["a2"], P["speed"],
                        P["q_max"], r, d)
    g = cn.hgroups[L.FIXED_RISE]
    P = g.params
    r[g.idx] = -np.where(P["rise_basis"] == int(RiseBasis.HEAD),
                         rho[g.idx] * 9.80665, 1.0) * P["fixed_rise"] * P["speed"] ** 2
    g = cn.hgroups[L.VALVE_KV]
    P = g.params
    coef, shut, chk = K.valve_constants(g.idx, rho, P["kvs"], P["opening"],
                                        P["characteristic"], P["rangeability"], P["check"],
                                        KV_TO_SI)
    K.valve_losses(m, g.idx, count, coef, shut, chk, CHECK_VALVE_BACK_RESISTANCE, r, d)
    return r, d


def test_every_law_in_one_call_equals_each_law_on_its_own():
    """``edge_losses`` takes all laws but the constant-power pumps' in one compiled call
    (``law_constants``, ``law_losses``): the same losses and derivatives, to the bit,
    as each law's kernel called on its own, in both flow directions; the constant-power
    pump is its own law (``power_pump_rise``); ``laws=`` keeps only the laws named."""
    from narvik_thermal.components.hydraulics import darcy_constants, edge_losses
    from narvik_thermal.components.pump import power_pump_rise

    cn = _every_law_network().compile()
    E = cn.n_edges
    rho, mu = RNG.uniform(960, 1000, E), RNG.uniform(3e-4, 1.2e-3, E)
    consts = darcy_constants(cn, rho, mu)
    for m in (RNG.uniform(0.05, 3.0, E), RNG.uniform(-3.0, 3.0, E), np.zeros(E)):
        r, d = edge_losses(cn, m, rho, mu, consts)
        r_ref, d_ref = _losses_law_by_law(cn, m, rho, mu)
        i = cn.hgroups[L.CONSTANT_POWER].idx
        assert i.size == 1 and np.count_nonzero(r != r_ref) <= 1
        others = np.setdiff1d(np.arange(E), i)
        assert np.array_equal(r[others], r_ref[others])
        assert np.array_equal(d[others], d_ref[others])
        P = cn.hgroups[L.CONSTANT_POWER].params
        dp, _ = power_pump_rise(P["power"], rho[i] * 9.80665 * P["shutoff_rise"],
                                m[i] / (cn.count[i] * rho[i]), P["speed"])
        assert np.array_equal(r[i], -dp)
    # every law present and evaluated (a loss on each kind of edge at a flow)
    m = np.full(E, 0.7)
    r, _ = edge_losses(cn, m, rho, mu, consts)
    for law in (L.DARCY, L.POWER_LAW, L.PUMP_CURVE, L.FIXED_RISE, L.CONSTANT_POWER,
                L.VALVE_KV):
        assert np.all(r[cn.hgroups[law].idx] != 0), law
    # the laws of a cold start only: zeros elsewhere
    cold = (L.PUMP_CURVE, L.CONSTANT_POWER, L.FIXED_RISE, L.IDEAL)
    r_c, d_c = edge_losses(cn, m, rho, mu, consts, laws=cold)
    on = np.concatenate([cn.hgroups[law].idx for law in cold])
    off = np.setdiff1d(np.arange(E), on)
    assert np.array_equal(r_c[on], r[on]) and not np.any(r_c[off]) and not np.any(d_c[off])


def test_a_large_darcy_group_runs_on_threads_with_the_same_losses():
    """A Darcy group of at least ``darcy_losses.min_parallel`` pipes runs through the
    parallel kernel on its own, the other laws in the one call: the same losses."""
    from narvik_thermal.components.hydraulics import darcy_constants, edge_losses
    from narvik_thermal.network.synthetic import rack_loop_network

    cn = rack_loop_network(8).compile()
    assert cn.hgroups[L.DARCY].idx.size >= _hydraulic_kernels.darcy_losses.min_parallel
    E = cn.n_edges
    rho, mu = RNG.uniform(1010, 1030, E), RNG.uniform(1e-3, 3e-3, E)
    m = RNG.uniform(-0.1, 0.5, E)
    r, d = edge_losses(cn, m, rho, mu, darcy_constants(cn, rho, mu))
    r_ref, d_ref = _losses_law_by_law(cn, m, rho, mu)
    assert np.array_equal(r, r_ref) and np.array_equal(d, d_ref)


def test_imposed_flows_and_injections_equal_their_numpy_form():
    """The fixed-flow pumps' flows (mass and volume, at speed, ``count`` in parallel),
    the consumers' flows after them, the flow boundaries' inflows (mass and volume,
    two on one node) and the nodes' injections: one compiled call, to the bit the
    NumPy form (``np.where``, ``np.add.at``) the hydraulic step used before."""
    import narvik_thermal as nt
    from narvik_thermal.solvers import hydraulic as H

    Q_ = nt.Q_
    net = nt.Network("imposed", fluid=nt.fluids.water())
    net.add_pump("pm", "a", "b", flow=Q_(1.5, "kg/s"), speed=0.8, count=3)
    net.add_pipe("bc", "b", "c", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pump("pv", "e", "a", flow=Q_(20, "m^3/h"))
    net.add_consumers(["c0", "c1"], ["c", "c"], ["d", "e"], heat=Q_([50, 80], "kW"),
                      delta_t=Q_(30, "K"))
    net.add_pipe("cd", "c", "d", length=Q_(10, "m"), diameter=Q_(25, "mm"))
    net.add_pipe("de", "d", "e", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_pipe("ea", "e", "a", length=Q_(10, "m"), diameter=Q_(50, "mm"))
    net.add_flow_boundary("c", Q_(0.4, "kg/s"), Q_(60, "degC"))
    net.add_flow_boundary("d", Q_(-2.0, "m^3/h"), Q_(60, "degC"))
    net.add_pressure_boundary("a", pressure=Q_(2, "bar"), temperature=Q_(40, "degC"))
    cn = net.compile()
    rho_e, rho_n = RNG.uniform(960, 1000, cn.n_edges), RNG.uniform(960, 1000, cn.n_nodes)
    cons = RNG.uniform(0.1, 2.0, 2)
    for flow in (cons, None):
        mff, q = H.fixed_flows(cn, rho_e, rho_n, flow)
        # the NumPy form
        grp = cn.hgroups[L.FIXED_FLOW]
        i, P = grp.idx, grp.params
        ref = np.where(P["flow_basis"] == FlowBasis.MASS, P["fixed_flow"],
                       P["fixed_flow"] * rho_e[i]) * P["speed"] * cn.count[i]
        ref = np.concatenate([ref, flow if flow is not None else np.zeros(2)])
        q_ref = np.zeros(cn.n_nodes)
        np.add.at(q_ref, cn.flow_nodes, np.where(cn.flow_is_mass, cn.flow_value,
                                                 cn.flow_value * rho_n[cn.flow_nodes]))
        assert np.array_equal(mff, ref) and np.array_equal(q, q_ref)
        assert mff.size == 4 and np.count_nonzero(q) == 2
        assert mff[0] == 1.5 * 0.8 * 3 and mff[1] == pytest.approx(20 / 3600 * rho_e[i[1]])
        # the injections: each imposed flow in at its end node, out at its start node
        inj_ref = q_ref.copy()
        ff = cn.fixed_flow_edges
        np.add.at(inj_ref, cn.end[ff], ref)
        np.subtract.at(inj_ref, cn.start[ff], ref)
        assert np.array_equal(H.node_injections(cn, rho_e, rho_n, flow)[2], inj_ref)


def test_nothing_imposed_injects_nothing():
    """A closed loop of a curve pump and pipes imposes no flow: no imposed flows, zero
    injections (without loading the kernel)."""
    import narvik_thermal as nt
    from narvik_thermal.solvers import hydraulic as H

    Q_ = nt.Q_
    net = nt.Network("loop", fluid=nt.fluids.water())
    net.add_pump("p", "a", "b", curve=(Q_([0, 20, 40], "m^3/h"), Q_([30, 26, 15], "m")))
    net.add_pipe("bc", "b", "c", length=Q_(50, "m"), diameter=Q_(50, "mm"))
    net.add_setpoint("cool", "c", "a", outlet_temperature=Q_(20, "degC"))
    net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    cn = net.compile()
    mff, q, inj = H.node_injections(cn, np.full(cn.n_edges, 998.0), np.full(cn.n_nodes, 998.0))
    assert mff.size == 0 and q.shape == inj.shape == (cn.n_nodes,)
    assert not np.any(q) and not np.any(inj)
    res = net.solve()
    assert res.converged and res.state.mass_flow[0] > 0


def _local_heat_reference(m, up, h_k, T_k, cp_k, rise, rho, h_set, cnt, fixed, heat, pumps,
                          pump_heat, amb, ua_unit, t_amb, setpoints):
    """The heat laws of heat loads, pump heat, heat loss to ambient and set-points as
    ``components.thermal.edge_heat_coefficients`` wrote them in NumPy."""
    q0, q1 = np.zeros(m.size), np.zeros(m.size)
    am = np.abs(m)
    q0[fixed] += heat * cnt[fixed]
    q0[pumps] += pump_heat * m[pumps] / rho[pumps] * rise[pumps]
    ua = ua_unit * cnt[amb]
    u = up[amb]
    c = cp_k[u]
    C = am[amb] * c
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ntu = np.where(C > 0, ua / np.where(C > 0, C, 1.0), np.inf)
        G = np.where(C > 0, C * -np.expm1(-ntu), ua)
    q0[amb] += -G * (T_k[u] - h_k[u] / c - t_amb)
    q1[amb] += -G / c
    hs = h_set[setpoints]
    on = ~np.isnan(hs)
    q0[setpoints] += np.where(on, am[setpoints] * np.where(on, hs, 0.0), 0.0)
    q1[setpoints] += np.where(on, -am[setpoints], 0.0)
    return q0, q1


def test_local_heat_laws_equal_their_numpy_form():
    E, N = 400, 150
    m = RNG.uniform(-5, 5, E)
    m[RNG.random(E) < 0.1] = 0.0                    # still pipes: G = UA
    up = RNG.integers(0, N, E)
    T_k = RNG.uniform(275, 360, N)
    cp_k = RNG.uniform(3600, 4200, N)
    h_k = cp_k * (T_k - 273.15) + RNG.normal(0, 50, N)
    rise = RNG.uniform(-1e4, 3e5, E)
    rho = RNG.uniform(950, 1050, E)
    h_set = RNG.uniform(1e5, 3e5, E)
    h_set[RNG.random(E) < 0.3] = np.nan               # set-points that hold nothing
    cnt = RNG.choice([1.0, 2.0, 144.0], E)
    edges = RNG.permutation(E)                        # each edge has one law
    fixed, pumps, amb, sp = edges[:120], edges[120:140], edges[140:220], edges[220:300]
    heat = RNG.uniform(-1e4, 1e5, fixed.size)
    pump_heat = RNG.choice([0.0, 1.0], pumps.size)
    ua_unit = RNG.uniform(0.0, 5e3, amb.size)
    t_amb = RNG.uniform(260, 300, amb.size)
    args = (m, up, h_k, T_k, cp_k, rise, rho, h_set, cnt, fixed, heat, pumps, pump_heat, amb,
            ua_unit, t_amb, sp)
    q0, q1 = np.zeros(E), np.zeros(E)
    _heat_kernels.local_heat_laws(*args, q0, q1)
    r0, r1 = _local_heat_reference(*args)
    rest = np.setdiff1d(np.arange(E), amb)
    assert np.array_equal(q0[rest], r0[rest]) and np.array_equal(q1[rest], r1[rest])
    # the loss to ambient through a compiled expm1: to round-off
    np.testing.assert_allclose(q0[amb], r0[amb], rtol=1e-15, atol=0)
    np.testing.assert_allclose(q1[amb], r1[amb], rtol=1e-15, atol=0)
    assert np.all(q1[sp][np.isnan(h_set[sp])] == 0.0) and np.all(q1[amb] < 0)
    # nothing of any law on an edge that has none
    assert np.all(q0[edges[300:]] == 0.0) and np.all(q1[edges[300:]] == 0.0)
