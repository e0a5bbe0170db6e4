r"""Heat exchangers: effectiveness–NTU relations and the LMTD.

Definitions (Kays & London [1]_, Incropera [2]_):

- :math:`C = \dot m c_p` heat-capacity rate of a stream [W K⁻¹];
- :math:`C_r = C_{min}/C_{max} \in [0, 1]`;
- :math:`NTU = UA/C_{min}`;
- :math:`\varepsilon = \dot Q / \dot Q_{max}`,
  :math:`\dot Q_{max} = C_{min}(T_{h,in} - T_{c,in})`.

All functions are vectorised over NumPy arrays with broadcasting. The
limits :math:`C_r = 0` (one stream condensing/evaporating, or infinite flow)
and :math:`C_r = 1` (balanced counterflow) are evaluated without 0/0.

References
----------
.. [1] W. M. Kays and A. L. London, *Compact Heat Exchangers*, 3rd ed.,
   McGraw-Hill, 1984. ISBN 978-0-07-033418-2.
.. [2] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
   *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011, §11.4,
   Tables 11.3 and 11.4. ISBN 978-0-470-50197-9.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c
from . import _kernel_modules as kernels

__all__ = [
    "Arrangement", "ARRANGEMENTS", "effectiveness_from_NTU", "effectiveness_unchecked",
    "NTU_from_effectiveness", "effectiveness_max", "heat_capacity_ratio", "lmtd",
    "ua_off_design",
]

Arrangement = Literal["counterflow", "parallel", "crossflow_unmixed",
                      "crossflow_unmixed_exact", "crossflow_cmax_mixed",
                      "crossflow_cmin_mixed", "shell_and_tube_1_2"]
#: Supported flow arrangements.
ARRANGEMENTS: tuple[str, ...] = get_args(Arrangement)


def _check_arrangement(arrangement: str, func: str) -> None:
    if arrangement not in ARRANGEMENTS:
        raise InputError(f"{func}: unknown arrangement {arrangement!r}; expected one "
                         f"of {list(ARRANGEMENTS)}.")


def _check_Cr(Cr: ArrayLike, func: str) -> np.ndarray:
    return _c.in_closed(Cr, "Cr", func, 0.0, 1.0)


# --------------------------------------------------------------------------
# forward kernels (no checks); NTU >= 0, 0 <= Cr <= 1, float arrays
# --------------------------------------------------------------------------
#: Below this Cr the Cr = 0 limit is used in forms that divide by Cr; the neglected
#: terms are O(Cr NTU) <= 1e-25 for any sensible NTU, and this keeps 1/Cr and Cr*NTU
#: out of overflow and subnormal range (the compiled closed forms take it as an argument).
TINY_CR = 1e-30


def _zero(Cr: np.ndarray) -> np.ndarray:
    return Cr < TINY_CR


def _safe(Cr: np.ndarray) -> np.ndarray:
    return np.where(_zero(Cr), 1.0, Cr)


def _closed_form(code: int):
    """The effectiveness of arrangement ``code`` on arrays (the compiled closed form,
    :func:`narvik_thermal.correlations._hx_kernels.effectiveness_point`)."""
    def eps(N, Cr):
        from .._numba import broadcast_call
        effectiveness_array = kernels.hx().effectiveness_array
        return broadcast_call(lambda n, c: effectiveness_array(n, c, code, TINY_CR), N, Cr)
    return eps


def _eps_crossflow_exact(N, Cr):
    from scipy.special import gammainc  # noqa: PLC0415 (scipy.special costs 0.1–0.25 s to import)

    N, Cr = np.broadcast_arrays(np.asarray(N, float), np.asarray(Cr, float))
    shape = N.shape
    N = N.ravel()
    Cr = Cr.ravel()
    x = np.where(_zero(Cr), 0.0, Cr * N)
    # terms vanish once n+1 exceeds the Poisson tail of x (P(n+1, x) < 1e-30)
    n_needed = np.ceil(x + 12.0 * np.sqrt(x) + 30.0).astype(np.int64)
    order = np.argsort(n_needed, kind="stable")
    n_sorted = n_needed[order]
    Ns, xs = N[order], x[order]
    xpos = np.where(xs > 0.0, xs, 1.0)
    acc = np.zeros_like(Ns)
    start = 0
    n_max = int(n_sorted[-1]) if n_sorted.size else 0
    for n in range(n_max):
        start = np.searchsorted(n_sorted, n, side="right")
        if start >= Ns.size:
            break
        sl = slice(start, None)
        if n == 0:      # P(1, x)/x = (1 - e^{-x})/x, exact also for tiny x
            px = np.where(xs[sl] > 0.0, -np.expm1(-xs[sl]) / xpos[sl], 1.0)
        else:
            px = np.where(xs[sl] > 0.0, gammainc(n + 1, xs[sl]) / xpos[sl], 0.0)
        acc[sl] += gammainc(n + 1, Ns[sl]) * px
    # Cr = 0 (x = 0): P(n+1, x)/x -> 1 for n = 0 and 0 otherwise, giving
    # P(1, N) = 1 - e^{-N}
    eps = np.empty_like(acc)
    # the series sums to 1 + round-off at large NTU; ε ≤ 1 (its supremum)
    eps[order] = np.minimum(acc, 1.0)
    return eps.reshape(shape)


_EPS = {name: (_eps_crossflow_exact if name == "crossflow_unmixed_exact"
               else _closed_form(code)) for code, name in enumerate(ARRANGEMENTS)}
_eps_crossflow_approx = _EPS["crossflow_unmixed"]


def _eps_max(Cr: np.ndarray, arrangement: str) -> np.ndarray:
    Cs = _safe(Cr)
    if arrangement == "parallel":
        return 1.0 / (1.0 + Cr)
    if arrangement == "crossflow_cmax_mixed":
        return np.where(_zero(Cr), 1.0, -np.expm1(-Cs) / Cs)
    if arrangement == "crossflow_cmin_mixed":
        return np.where(_zero(Cr), 1.0, -np.expm1(-1.0 / Cs))
    if arrangement == "shell_and_tube_1_2":
        return 2.0 / (1.0 + Cr + np.sqrt(1.0 + Cr * Cr))
    return np.ones_like(Cr)


def effectiveness_from_NTU(NTU: ArrayLike, Cr: ArrayLike,
                           arrangement: Arrangement = "counterflow") -> ArrayLike:
    r"""Heat-exchanger effectiveness from NTU and heat-capacity ratio.

    Parameters
    ----------
    NTU : float or array_like
        Number of transfer units :math:`UA/C_{min}`, >= 0 [-]
    Cr : float or array_like
        Heat-capacity-rate ratio :math:`C_{min}/C_{max}`, 0 <= Cr <= 1 [-]
    arrangement : str, optional
        One of ``"counterflow"`` (default), ``"parallel"``,
        ``"crossflow_unmixed"`` (both streams unmixed, Incropera's
        approximation), ``"crossflow_unmixed_exact"`` (both unmixed, exact
        series), ``"crossflow_cmax_mixed"`` (C_max mixed, C_min unmixed),
        ``"crossflow_cmin_mixed"`` (C_min mixed, C_max unmixed),
        ``"shell_and_tube_1_2"`` (one shell pass, 2, 4, … tube passes).

    Returns
    -------
    effectiveness : float or numpy.ndarray
        Effectiveness :math:`\varepsilon` [-]

    Notes
    -----
    Counterflow:

    .. math::
        \varepsilon = \frac{1 - e^{-NTU(1-C_r)}}{1 - C_r e^{-NTU(1-C_r)}},
        \qquad C_r = 1:\ \varepsilon = \frac{NTU}{1+NTU}

    Parallel flow:
    :math:`\varepsilon = [1 - e^{-NTU(1+C_r)}]/(1+C_r)`.

    Cross flow, both streams unmixed, approximation of Incropera Table 11.3
    [2]_ (accurate to about 4 % absolute against the exact solution; at
    :math:`NTU \lesssim 0.5` it falls slightly, up to 0.006, *below* parallel
    flow, and for :math:`C_r \approx 1`, :math:`NTU \gtrsim 3\times10^4`
    slightly above counterflow, which the exact solution never does):

    .. math::
        \varepsilon = 1 - \exp\left[\frac{NTU^{0.22}}{C_r}
        \left(e^{-C_r NTU^{0.78}} - 1\right)\right]

    Cross flow, both unmixed, exact series of Mason [3]_, with :math:`P` the
    regularised lower incomplete gamma function:

    .. math::
        \varepsilon = \frac{1}{C_r NTU}\sum_{n=0}^{\infty}
        P(n+1, NTU)\,P(n+1, C_r NTU)

    Cross flow, :math:`C_{max}` mixed and :math:`C_{min}` unmixed:
    :math:`\varepsilon = C_r^{-1}\{1 - \exp[-C_r(1 - e^{-NTU})]\}`;
    :math:`C_{min}` mixed and :math:`C_{max}` unmixed:
    :math:`\varepsilon = 1 - \exp[-C_r^{-1}(1 - e^{-C_r NTU})]`.

    Shell and tube, one shell pass, 2, 4, … tube passes, with
    :math:`S = \sqrt{1+C_r^2}`:

    .. math::
        \varepsilon = 2\left[1 + C_r + S\,\frac{1+e^{-NTU\,S}}
        {1-e^{-NTU\,S}}\right]^{-1}
        = \frac{2\tanh(NTU\,S/2)}{(1+C_r)\tanh(NTU\,S/2) + S}

    All arrangements give :math:`1 - e^{-NTU}` at :math:`C_r = 0`; the
    forms above are evaluated with ``expm1``/``tanh`` so that this limit and
    balanced counterflow need no special 0/0 handling beyond a mask.
    Assumptions: steady state, constant U and specific heats, no heat loss to
    the surroundings, no axial conduction [1]_ [2]_.

    References
    ----------
    .. [1] W. M. Kays and A. L. London, *Compact Heat Exchangers*, 3rd ed.,
       McGraw-Hill, 1984. ISBN 978-0-07-033418-2.
    .. [2] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Table 11.3. ISBN 978-0-470-50197-9.
    .. [3] J. L. Mason, "Heat transfer in cross flow", *Proc. 2nd U.S.
       National Congress of Applied Mechanics*, ASME, 801–803, 1955; see
       also B. S. Baclic, "ε-Ntu analysis of complicated flow arrangements",
       in *Compact Heat Exchangers*, Hemisphere, 1990, 31–90.

    Examples
    --------
    Counterflow, NTU = 2, Cr = 0.5 (Incropera Fig. 11.14 reads about 0.77):

    >>> effectiveness_from_NTU(2.0, 0.5)
    0.77460032643...
    >>> effectiveness_from_NTU(1.0, 1.0)        # balanced counterflow
    0.5
    >>> effectiveness_from_NTU(2.0, 0.5, "crossflow_unmixed_exact")
    0.7324092524...
    """
    func = "effectiveness_from_NTU"
    _check_arrangement(arrangement, func)
    N = _c.nonnegative(NTU, "NTU", func)
    Cr = _check_Cr(Cr, func)
    return _c.out(effectiveness_unchecked(N, Cr, arrangement))


def effectiveness_unchecked(NTU: np.ndarray, Cr: np.ndarray, arrangement: str) -> np.ndarray:
    """:func:`effectiveness_from_NTU` without argument checks, for callers with ``NTU``
    and ``Cr`` NumPy arrays of one shape they computed themselves (``NTU ≥ 0``,
    ``0 ≤ Cr ≤ 1``), ``arrangement`` one of :data:`ARRANGEMENTS`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _EPS[arrangement](NTU, Cr)


def effectiveness_max(Cr: ArrayLike, arrangement: Arrangement = "counterflow") -> ArrayLike:
    r"""Highest effectiveness an arrangement reaches as NTU → ∞.

    Parameters
    ----------
    Cr : float or array_like
        Heat-capacity-rate ratio, 0 <= Cr <= 1 [-]
    arrangement : str, optional
        See :func:`effectiveness_from_NTU`.

    Returns
    -------
    effectiveness : float or numpy.ndarray
        Supremum of :math:`\varepsilon` over NTU (not attained at finite NTU) [-]

    Notes
    -----
    Counterflow and cross flow with both streams unmixed: 1. Parallel:
    :math:`1/(1+C_r)`. :math:`C_{max}` mixed: :math:`(1-e^{-C_r})/C_r`.
    :math:`C_{min}` mixed: :math:`1 - e^{-1/C_r}`. 1-2 shell and tube:
    :math:`2/(1 + C_r + \sqrt{1+C_r^2})`. All equal 1 at :math:`C_r = 0`.
    Limits of the expressions in [1]_.

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Table 11.3. ISBN 978-0-470-50197-9.

    Examples
    --------
    >>> effectiveness_max(1.0, "parallel")
    0.5
    """
    func = "effectiveness_max"
    _check_arrangement(arrangement, func)
    Cr = _check_Cr(Cr, func)
    return _c.out(_eps_max(Cr, arrangement))


# --------------------------------------------------------------------------
# inverse
# --------------------------------------------------------------------------
def _ntu_counterflow(e, Cr):
    one_m = 1.0 - Cr
    bal = Cr == 1.0
    om = np.where(bal, 1.0, one_m)
    ntu = np.log1p(e * one_m / (1.0 - e)) / om
    return np.where(bal, e / (1.0 - e), ntu)


def _ntu_parallel(e, Cr):
    return -np.log1p(-e * (1.0 + Cr)) / (1.0 + Cr)


def _ntu_cmax_mixed(e, Cr):
    Cs = _safe(Cr)
    ntu = -np.log1p(np.log1p(-e * Cs) / Cs)
    return np.where(_zero(Cr), -np.log1p(-e), ntu)


def _ntu_cmin_mixed(e, Cr):
    Cs = _safe(Cr)
    ntu = -np.log1p(Cs * np.log1p(-e)) / Cs
    return np.where(_zero(Cr), -np.log1p(-e), ntu)


def _ntu_shell_tube_1_2(e, Cr):
    S = np.sqrt(1.0 + Cr * Cr)
    return np.log1p(2.0 * e * S / (2.0 - e * (1.0 + Cr + S))) / S


def _ntu_crossflow(eps_func):
    def solve(e, Cr):
        lo = _ntu_counterflow(e, Cr)
        return _ntu_monotone(eps_func, e, Cr, lo).reshape(e.shape)
    return solve


def _ntu_monotone(eps_func, e, Cr, lo, *, maxiter: int = 200):
    """Vectorised safeguarded root find of eps_func(N, Cr) = e for N >= lo.

    Brackets [lo, hi] by growing hi geometrically, then runs the Illinois
    (modified regula falsi) method in log N with a bisection fallback.
    Requires eps_func increasing in N and e < sup eps.
    """
    e, Cr, lo = np.broadcast_arrays(e, Cr, lo)
    e, Cr = e.ravel(), Cr.ravel()
    lo = np.maximum(lo.ravel(), 1e-300)
    res = np.zeros_like(e)
    act = np.nonzero(e > 0.0)[0]
    if act.size == 0:
        return res
    e_a, C_a, lo_a = e[act], Cr[act], lo[act]
    f_lo = eps_func(lo_a, C_a) - e_a
    hi_a = 2.0 * lo_a + 1.0
    f_hi = eps_func(hi_a, C_a) - e_a
    for _ in range(2000):
        need = f_hi < 0.0
        if not np.any(need):
            break
        lo_a = np.where(need, hi_a, lo_a)
        f_lo = np.where(need, f_hi, f_lo)
        hi_a = np.where(need, hi_a * 4.0, hi_a)
        f_hi = np.where(need, eps_func(hi_a, C_a) - e_a, f_hi)
    for _ in range(2000):
        # lo must lie left of the root; Incropera's approximation can exceed
        # counterflow at NTU > ~3e4 with Cr ~ 1, so shrink lo if needed
        need = f_lo > 0.0
        if not np.any(need):
            break
        hi_a = np.where(need, lo_a, hi_a)
        f_hi = np.where(need, f_lo, f_hi)
        lo_a = np.where(need, lo_a * 0.25, lo_a)
        f_lo = np.where(need, eps_func(lo_a, C_a) - e_a, f_lo)
    u_lo, u_hi = np.log(lo_a), np.log(hi_a)
    u_out = 0.5 * (u_lo + u_hi)
    side = np.zeros(e_a.shape, dtype=np.int8)
    idx = np.arange(e_a.size)          # unconverged elements (compacted)
    for _ in range(maxiter):
        if idx.size == 0:
            break
        ul, uh, fl, fh = u_lo[idx], u_hi[idx], f_lo[idx], f_hi[idx]
        ee, cc, sd = e_a[idx], C_a[idx], side[idx]
        denom = fh - fl
        ok = denom > 0.0
        u_new = np.where(ok, uh - fh * (uh - ul) / np.where(ok, denom, 1.0), 0.5 * (ul + uh))
        bad = ~((u_new > ul) & (u_new < uh))
        u_new = np.where(bad, 0.5 * (ul + uh), u_new)
        f_new = eps_func(np.exp(u_new), cc) - ee
        left = f_new < 0.0
        # Illinois: halve the stale end's residual when the same side repeats
        fh = np.where(left & (sd == -1), 0.5 * fh, fh)
        fl = np.where(~left & (sd == 1), 0.5 * fl, fl)
        u_lo[idx] = np.where(left, u_new, ul)
        f_lo[idx] = np.where(left, f_new, fl)
        u_hi[idx] = np.where(left, uh, u_new)
        f_hi[idx] = np.where(left, fh, f_new)
        side[idx] = np.where(left, -1, 1)
        u_out[idx] = u_new
        done = (np.abs(f_new) <= 4e-16 * ee) | (u_hi[idx] - u_lo[idx] <= 1e-14)
        idx = idx[~done]
    res[act] = np.exp(u_out)
    return res


_NTU = {
    "counterflow": _ntu_counterflow,
    "parallel": _ntu_parallel,
    "crossflow_unmixed": _ntu_crossflow(_eps_crossflow_approx),
    "crossflow_unmixed_exact": _ntu_crossflow(_eps_crossflow_exact),
    "crossflow_cmax_mixed": _ntu_cmax_mixed,
    "crossflow_cmin_mixed": _ntu_cmin_mixed,
    "shell_and_tube_1_2": _ntu_shell_tube_1_2,
}


def NTU_from_effectiveness(effectiveness: ArrayLike, Cr: ArrayLike,
                           arrangement: Arrangement = "counterflow") -> ArrayLike:
    r"""NTU needed to reach a given effectiveness (inverse of
    :func:`effectiveness_from_NTU`).

    Parameters
    ----------
    effectiveness : float or array_like
        Effectiveness, 0 <= ε < ε_max(Cr, arrangement) [-]
    Cr : float or array_like
        Heat-capacity-rate ratio, 0 <= Cr <= 1 [-]
    arrangement : str, optional
        See :func:`effectiveness_from_NTU`.

    Returns
    -------
    NTU : float or numpy.ndarray
        Number of transfer units [-]

    Raises
    ------
    InputError
        If an effectiveness is not reachable at finite NTU; the message gives
        the maximum reachable effectiveness (:func:`effectiveness_max`).

    Notes
    -----
    Analytic inverses [1]_:

    .. math::
        \text{counterflow: } NTU = \frac{1}{1-C_r}
        \ln\frac{1-C_r\varepsilon}{1-\varepsilon}\ \
        (C_r = 1:\ \tfrac{\varepsilon}{1-\varepsilon}),\qquad
        \text{parallel: } NTU = -\frac{\ln[1-\varepsilon(1+C_r)]}{1+C_r}

    .. math::
        C_{max}\text{ mixed: } NTU = -\ln\left[1 + \frac{\ln(1-\varepsilon C_r)}{C_r}\right],
        \qquad
        C_{min}\text{ mixed: } NTU = -\frac{\ln[1 + C_r\ln(1-\varepsilon)]}{C_r}

    .. math::
        \text{1-2 shell and tube: } NTU = \frac{1}{S}\ln\frac{E+1}{E-1},\quad
        E = \frac{2/\varepsilon - (1+C_r)}{S},\ S = \sqrt{1+C_r^2}

    evaluated with ``log1p`` for accuracy near :math:`C_r = 0, 1` and small
    ε. The two both-unmixed cross-flow forms have no closed-form inverse; they
    are solved vectorised by the Illinois (safeguarded regula falsi) method in
    :math:`\ln NTU`, bracketed below by the counterflow NTU (cross flow is
    never more effective than counterflow), to a residual in ε of a few ulp
    (the bracket is widened where that bound fails, as it does for
    Incropera's approximation at NTU > ~3e4 with :math:`C_r \approx 1`).

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Table 11.4. ISBN 978-0-470-50197-9.

    Examples
    --------
    >>> NTU_from_effectiveness(0.5, 1.0)
    1.0
    >>> NTU_from_effectiveness(0.7, 0.5, "shell_and_tube_1_2")
    2.09040886...
    """
    func = "NTU_from_effectiveness"
    _check_arrangement(arrangement, func)
    e = _c.nonnegative(effectiveness, "effectiveness", func)
    Cr = _check_Cr(Cr, func)
    e, Cr = np.broadcast_arrays(e, Cr)
    emax = _eps_max(Cr, arrangement)
    bad = e >= emax
    if np.any(bad):
        i = np.flatnonzero(bad)[0]
        raise InputError(
            f"{func}: effectiveness = {e.flat[i]:.10g} cannot be reached by "
            f"arrangement {arrangement!r} with Cr = {Cr.flat[i]:.6g}; the maximum "
            f"reachable effectiveness is {emax.flat[i]:.10g} (approached as "
            f"NTU -> infinity). Lower the effectiveness or use a more effective "
            f"arrangement (counterflow reaches 1).")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ntu = _NTU[arrangement](e, Cr)
    return _c.out(ntu)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def heat_capacity_ratio(C1: ArrayLike, C2: ArrayLike) -> tuple[ArrayLike, ArrayLike]:
    r"""Minimum heat-capacity rate and the ratio :math:`C_r` of two streams.

    Parameters
    ----------
    C1 : float or array_like
        Heat-capacity rate :math:`\dot m c_p` of stream 1, >= 0 [W K⁻¹]
    C2 : float or array_like
        Heat-capacity rate of stream 2, >= 0 [W K⁻¹]

    Returns
    -------
    C_min : float or numpy.ndarray
        :math:`\min(C_1, C_2)` [W K⁻¹]
    Cr : float or numpy.ndarray
        :math:`C_{min}/C_{max}` [-]

    Notes
    -----
    .. math:: C_r = \frac{\min(C_1, C_2)}{\max(C_1, C_2)}

    At least one of the two rates must be positive.

    Examples
    --------
    >>> heat_capacity_ratio(2000.0, 4000.0)
    (2000.0, 0.5)
    """
    func = "heat_capacity_ratio"
    C1 = _c.nonnegative(C1, "C1", func)
    C2 = _c.nonnegative(C2, "C2", func)
    cmin = np.minimum(C1, C2)
    cmax = np.maximum(C1, C2)
    if np.any(cmax <= 0.0):
        raise InputError(f"{func}: C1 and C2 are both zero; at least one stream needs "
                         f"a positive heat-capacity rate.")
    return _c.out(cmin), _c.out(cmin / cmax)


def lmtd(T_hot_in: ArrayLike, T_hot_out: ArrayLike, T_cold_in: ArrayLike,
         T_cold_out: ArrayLike,
         arrangement: Literal["counterflow", "parallel"] = "counterflow") -> ArrayLike:
    r"""Logarithmic mean temperature difference.

    Parameters
    ----------
    T_hot_in, T_hot_out : float or array_like
        Hot-stream inlet and outlet temperatures [K]
    T_cold_in, T_cold_out : float or array_like
        Cold-stream inlet and outlet temperatures [K]
    arrangement : {"counterflow", "parallel"}, optional
        Flow arrangement (other arrangements need a correction factor F).

    Returns
    -------
    dT_lm : float or numpy.ndarray
        Log-mean temperature difference [K]

    Notes
    -----
    .. math::
        \Delta T_{lm} = \frac{\Delta T_1 - \Delta T_2}{\ln(\Delta T_1/\Delta T_2)}

    counterflow: :math:`\Delta T_1 = T_{h,in} - T_{c,out}`,
    :math:`\Delta T_2 = T_{h,out} - T_{c,in}`; parallel:
    :math:`\Delta T_1 = T_{h,in} - T_{c,in}`,
    :math:`\Delta T_2 = T_{h,out} - T_{c,out}` [1]_. Evaluated as
    :math:`\Delta T_2\,x/\ln(1+x)` with :math:`x = \Delta T_1/\Delta T_2 - 1`,
    so equal terminal differences give their common value (the limit)
    without 0/0. Both terminal differences must be positive; a temperature
    cross (either ≤ 0) raises InputError.

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Eqs. (11.15), (11.17). ISBN 978-0-470-50197-9.

    Examples
    --------
    Same as ht's ``LMTD(100., 60., 30., 40.2)``:

    >>> lmtd(100.0, 60.0, 30.0, 40.2)
    43.20040...
    >>> lmtd(80.0, 60.0, 50.0, 70.0)              # equal differences
    10.0
    """
    func = "lmtd"
    Thi = _c.as_array(T_hot_in, "T_hot_in", func)
    Tho = _c.as_array(T_hot_out, "T_hot_out", func)
    Tci = _c.as_array(T_cold_in, "T_cold_in", func)
    Tco = _c.as_array(T_cold_out, "T_cold_out", func)
    if arrangement == "counterflow":
        d1, d2 = Thi - Tco, Tho - Tci
    elif arrangement == "parallel":
        d1, d2 = Thi - Tci, Tho - Tco
    else:
        raise InputError(f"{func}: arrangement must be 'counterflow' or 'parallel', got "
                         f"{arrangement!r}; for other arrangements use the ε-NTU "
                         f"relations (effectiveness_from_NTU).")
    cross = (d1 <= 0.0) | (d2 <= 0.0)
    if np.any(cross):
        i = np.flatnonzero(np.broadcast_to(cross, np.broadcast(d1, d2).shape))[0]
        b1 = np.broadcast_to(d1, cross.shape).flat[i]
        b2 = np.broadcast_to(d2, cross.shape).flat[i]
        raise InputError(
            f"{func}: temperature cross in {arrangement} arrangement, terminal "
            f"differences dT1 = {b1:.6g} K and dT2 = {b2:.6g} K; both must be > 0. "
            f"Check the inlet/outlet temperatures (hot must stay above cold).")
    x = d1 / d2 - 1.0
    small = x == 0.0
    ratio = x / np.where(small, 1.0, np.log1p(x))
    return _c.out(d2 * np.where(small, 1.0, ratio))


def ua_off_design(ua_design: ArrayLike, flow_ratio_hot: ArrayLike, flow_ratio_cold: ArrayLike,
                  exponent: ArrayLike, hot_film_share: ArrayLike,
                  wall_share: ArrayLike, *, check: bool = True) -> ArrayLike:
    r"""Overall conductance UA of an exchanger whose film coefficients follow the flows.

    Parameters
    ----------
    ua_design : float or array_like
        UA at the design flows, > 0 [W K⁻¹]
    flow_ratio_hot, flow_ratio_cold : float or array_like
        Mass flow of each side over its design mass flow, :math:`x = \dot m/\dot m_0`,
        >= 0 (the sign of a flow is not used: pass magnitudes) [-]
    exponent : float or array_like
        n in :math:`h \propto Re^n \propto \dot m^n` of both films, 0 < n <= 1
        (0.72 for chevron plates: Martin's correlation at Re 2000–10⁴,
        :func:`narvik_thermal.correlations.plate_hx.film_exponent_plate`) [-]
    hot_film_share : float or array_like
        The hot film's part of the two films' design resistance,
        :math:`R_{h,0}/(R_{h,0} + R_{c,0})`, in [0, 1] (0.5: equal film
        coefficients, as for water on both sides) [-]
    wall_share : float or array_like
        The part of the design resistance :math:`1/UA_0` in the wall and
        fouling (flow independent), in [0, 1) [-]
    check : bool, default True
        Validate the arguments (False: for the solvers, which pass arrays of
        parameters validated when the exchangers were added or updated; the
        arrays must then be NumPy arrays of one shape).

    Returns
    -------
    ua : float or numpy.ndarray
        UA at the given flows [W K⁻¹]; equal to ``ua_design`` at
        :math:`x_h = x_c = 1`, 0 where a side with a film resistance has no flow.

    Notes
    -----
    The design resistance :math:`1/UA_0` is split into a hot film
    :math:`R_{h,0} = (1-w)\,s/UA_0`, a cold film
    :math:`R_{c,0} = (1-w)(1-s)/UA_0` and wall plus fouling
    :math:`R_{w} = w/UA_0` (``s = hot_film_share``, ``w = wall_share``). With
    fixed geometry and properties each film coefficient scales as
    :math:`h \propto Re^n \propto \dot m^n` [1]_ [2]_, so

    .. math::
        \frac{1}{UA} = R_{h,0}\,x_h^{-n} + R_{c,0}\,x_c^{-n} + R_w

    (the area is the same for the three resistances of a plate, so the
    resistances add). Evaluated as :math:`UA_0/(\ldots)` with
    :math:`x^{-n} = \infty` at :math:`x = 0`, so UA falls continuously to 0,
    as :math:`x^n`, when one side stops. The exponent is one number: valid
    while the channel flow regime does not change between the design and the
    operating flow (Martin's local exponent is 0.67–0.71 below Re = 2000 and
    0.71–0.73 above). Property changes with temperature (viscosity in Re and
    Pr) are not followed.

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011, §11.2,
       Eq. (11.5) (overall coefficient as a sum of resistances).
       ISBN 978-0-470-50197-9.
    .. [2] H. Martin, "Pressure drop and heat transfer in plate heat
       exchangers", in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6.
       doi:10.1007/978-3-540-77877-6_66

    Examples
    --------
    Half the cold flow, equal films, 20 % wall: 1/UA = 0.4 + 0.4·2^0.72 + 0.2

    >>> ua_off_design(1000.0, 1.0, 0.5, 0.72, 0.5, 0.2)
    794.361423...
    >>> ua_off_design(1000.0, 1.0, 1.0, 0.72, 0.3, 0.2)        # design point
    1000.0
    >>> ua_off_design(1000.0, 0.0, 1.0, 0.72, 0.5, 0.2)         # no hot flow
    0.0
    """
    if not check:
        return _ua_off_design(ua_design, flow_ratio_hot, flow_ratio_cold, exponent,
                              hot_film_share, wall_share)
    func = "ua_off_design"
    ua0 = _c.positive(ua_design, "ua_design", func)
    xh = _c.nonnegative(flow_ratio_hot, "flow_ratio_hot", func)
    xc = _c.nonnegative(flow_ratio_cold, "flow_ratio_cold", func)
    n = _c.positive(exponent, "exponent", func)
    if np.any(n > 1.0):
        raise InputError(f"{func}: argument 'exponent' must satisfy 0 < exponent <= 1, got "
                         f"{_c.describe(n[n > 1.0])}.")
    s = _c.in_closed(hot_film_share, "hot_film_share", func, 0.0, 1.0)
    w = _c.in_closed(wall_share, "wall_share", func, 0.0, 1.0)
    if np.any(w >= 1.0):
        raise InputError(f"{func}: argument 'wall_share' must be < 1 (some resistance must be "
                         "in the films for UA to follow the flow), got 1.")
    return _c.out(_ua_off_design(ua0, xh, xc, n, s, w))


def _ua_off_design(ua0, xh, xc, n, s, w):
    """:func:`ua_off_design` without checks, broadcast: the compiled law
    (``_hx_kernels.ua_off_design_point``, which the network's exchangers evaluate
    too)."""
    from .._numba import broadcast_call
    ua_off_design_array = kernels.hx().ua_off_design_array

    return broadcast_call(ua_off_design_array, ua0, xh, xc, n, s, w)[()]


# every public function refuses pint Quantities (the solvers' unchecked variant excepted)
_c.refuse_quantities(globals(), unchecked=("effectiveness_unchecked",))
