r"""Darcy friction factors for fully developed flow in circular pipes.

All functions take and return SI floats or NumPy arrays and broadcast their
arguments. Friction factors are **Darcy** (Moody) factors, four times the
Fanning factor.

Fast path for solvers
---------------------
The public functions check their arguments (``Re > 0``, ``eD >= 0``, finite
values) and warn with :class:`~narvik_thermal.errors.RangeWarning` outside a
correlation's validity range. A network solver that has already validated its
arrays should call the unchecked kernels instead:

- :func:`_friction_churchill` — ``f`` only;
- :func:`_friction_churchill_with_dRe` — ``(f, df/dRe)`` sharing the work,
  for the Newton Jacobian;
- :func:`_friction_colebrook` — exact Colebrook.

They accept float arrays with ``Re > 0`` and ``eD >= 0`` and do no checks.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c
from . import _kernel_modules as kernels

__all__ = [
    "Reynolds", "Reynolds_mass_flow", "relative_roughness",
    "friction_laminar", "friction_colebrook", "friction_churchill",
    "friction_churchill_dRe", "friction_swamee_jain", "friction_haaland",
    "friction_factor", "friction_factor_methods", "FRICTION_METHOD_RANGES",
    "friction_all_regimes", "PipeFrictionMethod",
    "FrictionMethod", "pressure_drop_darcy",
]

FrictionMethod = Literal["laminar", "colebrook", "churchill", "swamee_jain", "haaland"]
#: Friction laws of network pipes (:func:`friction_all_regimes`).
PipeFrictionMethod = Literal["churchill", "colebrook", "swamee_jain", "haaland"]
_PIPE_METHODS = ("churchill", "colebrook", "swamee_jain", "haaland")

#: Validity ranges ``(Re_min, Re_max, eD_min, eD_max)`` of each method; ``None``
#: means unbounded. Turbulent ranges are those tabulated by fluids'
#: ``friction.fmethods`` from the original papers; ``laminar`` is
#: Hagen–Poiseuille below the usual transition Reynolds number 2300.
FRICTION_METHOD_RANGES: dict[str, tuple[float | None, float | None,
                                        float | None, float | None]] = {
    "laminar": (None, 2300.0, None, None),
    "colebrook": (4000.0, 1e8, 0.0, 0.05),
    "churchill": (None, None, 0.0, None),
    "swamee_jain": (5000.0, 1e8, 1e-6, 0.05),
    "haaland": (4000.0, 1e8, 1e-6, 0.05),
}

_LN10 = np.log(10.0)


# --------------------------------------------------------------------------
# dimensionless groups
# --------------------------------------------------------------------------
def Reynolds(V: ArrayLike, D: ArrayLike, rho: ArrayLike, mu: ArrayLike) -> ArrayLike:
    r"""Reynolds number from velocity.

    Parameters
    ----------
    V : float or array_like
        Mean flow velocity; its sign is kept [m s⁻¹]
    D : float or array_like
        Inner (hydraulic) diameter [m]
    rho : float or array_like
        Density [kg m⁻³]
    mu : float or array_like
        Dynamic viscosity [Pa s]

    Returns
    -------
    Re : float or numpy.ndarray
        Reynolds number, signed like ``V`` [-]

    Notes
    -----
    .. math:: Re = \frac{\rho V D}{\mu}

    Friction functions require ``Re > 0``; pass ``abs(Re)`` for reversed flow.

    Examples
    --------
    Water at 20 °C, 1 m/s in a 50 mm pipe:

    >>> Reynolds(V=1.0, D=0.05, rho=998.2, mu=1.002e-3)
    49810.379...
    """
    f = "Reynolds"
    V = _c.as_array(V, "V", f)
    D = _c.positive(D, "D", f)
    rho = _c.positive(rho, "rho", f)
    mu = _c.positive(mu, "mu", f)
    return _c.out(rho * V * D / mu)


def Reynolds_mass_flow(m_dot: ArrayLike, D: ArrayLike, mu: ArrayLike) -> ArrayLike:
    r"""Reynolds number of a circular pipe from the mass flow rate.

    Parameters
    ----------
    m_dot : float or array_like
        Mass flow rate; its sign is kept [kg s⁻¹]
    D : float or array_like
        Inner diameter [m]
    mu : float or array_like
        Dynamic viscosity [Pa s]

    Returns
    -------
    Re : float or numpy.ndarray
        Reynolds number, signed like ``m_dot`` [-]

    Notes
    -----
    .. math:: Re = \frac{4 \dot m}{\pi D \mu}

    which equals :math:`\rho V D/\mu` with :math:`V = \dot m/(\rho \pi D^2/4)`;
    the density cancels.

    Examples
    --------
    >>> Reynolds_mass_flow(m_dot=1.96, D=0.05, mu=1.002e-3)
    49811.36...
    """
    f = "Reynolds_mass_flow"
    m_dot = _c.as_array(m_dot, "m_dot", f)
    D = _c.positive(D, "D", f)
    mu = _c.positive(mu, "mu", f)
    return _c.out(4.0 * m_dot / (np.pi * D * mu))


def relative_roughness(roughness: ArrayLike, D: ArrayLike) -> ArrayLike:
    r"""Relative roughness :math:`\epsilon/D`.

    Parameters
    ----------
    roughness : float or array_like
        Absolute (equivalent sand-grain) roughness [m]
    D : float or array_like
        Inner diameter [m]

    Returns
    -------
    eD : float or numpy.ndarray
        Relative roughness [-]

    Notes
    -----
    .. math:: \epsilon_D = \epsilon / D

    Examples
    --------
    Commercial steel (0.045 mm) in a 100 mm pipe:

    >>> relative_roughness(4.5e-5, 0.1)
    0.00045
    """
    f = "relative_roughness"
    e = _c.nonnegative(roughness, "roughness", f)
    D = _c.positive(D, "D", f)
    return _c.out(e / D)


def _check_Re_eD(Re: ArrayLike, eD: ArrayLike, func: str) -> tuple[np.ndarray, np.ndarray]:
    return _c.positive(Re, "Re", func), _c.nonnegative(eD, "eD", func)


def _warn_method_range(method: str, Re: np.ndarray, eD: np.ndarray | None,
                       func: str) -> None:
    Re_lo, Re_hi, eD_lo, eD_hi = FRICTION_METHOD_RANGES[method]
    _c.warn_range(Re, "Re", func, Re_lo, Re_hi)
    if eD is not None:
        _c.warn_range(eD, "eD", func, eD_lo, eD_hi)


# --------------------------------------------------------------------------
# kernels (no checks)
# --------------------------------------------------------------------------
def _friction_laminar(Re: np.ndarray) -> np.ndarray:
    return 64.0 / Re


def _friction_swamee_jain(Re: np.ndarray, eD: np.ndarray) -> np.ndarray:
    t = np.log10(eD / 3.7 + 5.74 * Re ** -0.9)
    return 0.25 / (t * t)


def _friction_haaland(Re: np.ndarray, eD: np.ndarray) -> np.ndarray:
    t = -1.8 * np.log10((eD / 3.7) ** 1.11 + 6.9 / Re)
    return 1.0 / (t * t)


def _friction_colebrook(Re: np.ndarray, eD: np.ndarray, *, rtol: float = 1e-15,
                        maxiter: int = 50) -> np.ndarray:
    """Exact Colebrook by Newton's method on ``x = 1/sqrt(f)`` (no checks).

    ``g(x) = x + 2 log10(eD/3.7 + 2.51 x/Re)`` is increasing (g' >= 1) and
    concave, so Newton from any start converges monotonically after at most
    one step to the left of the root; a step that would leave ``x > 0`` is
    halved instead.
    """
    Re, eD = np.broadcast_arrays(np.asarray(Re, float), np.asarray(eD, float))
    a = eD / 3.7
    b = 2.51 / Re
    x = 1.0 / np.sqrt(_friction_swamee_jain(Re, eD))
    for _ in range(maxiter):
        arg = a + b * x
        g = x + 2.0 * np.log10(arg)
        dg = 1.0 + 2.0 * b / (arg * _LN10)
        x_new = x - g / dg
        x_new = np.where(x_new > 0.0, x_new, 0.5 * x)
        done = np.all(np.abs(x_new - x) <= rtol * x_new)
        x = x_new
        if done:
            break
    return 1.0 / (x * x)


def _friction_churchill_with_dRe(Re, eD) -> tuple[np.ndarray, np.ndarray]:
    """Churchill friction factor and its analytic ``df/dRe`` (no checks), by the
    compiled kernel (:func:`narvik_thermal.correlations._friction_kernels.churchill`), broadcasting."""
    _kernels = kernels.friction()

    Re, eD = np.broadcast_arrays(np.asarray(Re, dtype=float), np.asarray(eD, dtype=float))
    shape = Re.shape
    f, d = _kernels.churchill_array(np.ascontiguousarray(Re).reshape(-1),
                                    np.ascontiguousarray(eD).reshape(-1))
    return f.reshape(shape), d.reshape(shape)


def _friction_churchill(Re: np.ndarray, eD: np.ndarray) -> np.ndarray:
    """Churchill (1977) Darcy friction factor without argument checks (``Re > 0``)."""
    return _friction_churchill_with_dRe(Re, eD)[0]


# --------------------------------------------------------------------------
# public correlations
# --------------------------------------------------------------------------
def friction_laminar(Re: ArrayLike) -> ArrayLike:
    r"""Darcy friction factor of fully developed laminar pipe flow.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    Hagen–Poiseuille flow [1]_:

    .. math:: f = \frac{64}{Re}

    Valid for ``Re < 2300`` in a circular pipe, hydrodynamically fully
    developed, Newtonian fluid. Warns (RangeWarning) above 2300.

    References
    ----------
    .. [1] F. M. White, *Fluid Mechanics*, 7th ed., McGraw-Hill, 2011,
       Eq. (6.47). ISBN 978-0-07-352934-9.

    Examples
    --------
    >>> friction_laminar(1000.0)
    0.064
    """
    func = "friction_laminar"
    Re = _c.positive(Re, "Re", func)
    _warn_method_range("laminar", Re, None, func)
    return _c.out(_friction_laminar(Re))


def friction_colebrook(Re: ArrayLike, eD: ArrayLike = 0.0) -> ArrayLike:
    r"""Darcy friction factor from the Colebrook equation, solved exactly.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness :math:`\epsilon/D` [-]

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    Colebrook's implicit equation [1]_:

    .. math::
        \frac{1}{\sqrt{f}} = -2\log_{10}\left(\frac{\epsilon/D}{3.7}
        + \frac{2.51}{Re\sqrt{f}}\right)

    is solved vectorised by Newton's method on :math:`x = 1/\sqrt f`,
    started from Swamee–Jain, to a relative step below 1e-15 (machine
    precision; typically 3–5 iterations). The residual function is increasing
    and concave in :math:`x`, which makes the iteration globally convergent.
    The closed form with the Lambert W function [2]_ gives the same root.

    Validity: turbulent flow, ``4000 <= Re <= 1e8`` and ``0 <= eD <= 0.05``
    (the Moody-chart range); a RangeWarning is issued outside it.

    References
    ----------
    .. [1] C. F. Colebrook, "Turbulent flow in pipes, with particular
       reference to the transition region between the smooth and rough pipe
       laws", *J. Inst. Civil Eng.* 11(4), 133–156, 1939.
       doi:10.1680/ijoti.1939.13150
    .. [2] D. Brkić, "Lambert W function in hydraulic problems",
       *Mathematica Balkanica* 26(3–4), 285–292, 2012.

    Examples
    --------
    fluids' ``Colebrook(1e5, 1e-4)`` gives 0.018513866077471648:

    >>> friction_colebrook(1e5, 1e-4)
    0.0185138660774716...
    """
    func = "friction_colebrook"
    Re, eD = _check_Re_eD(Re, eD, func)
    _warn_method_range("colebrook", Re, eD, func)
    return _c.out(_friction_colebrook(Re, eD))


def friction_churchill(Re: ArrayLike, eD: ArrayLike = 0.0) -> ArrayLike:
    r"""Darcy friction factor of Churchill (1977), valid in all flow regimes.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness :math:`\epsilon/D` [-]

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    Churchill's single explicit equation [1]_:

    .. math::
        f = 8\left[\left(\frac{8}{Re}\right)^{12}
        + \frac{1}{(A+B)^{3/2}}\right]^{1/12}

    .. math::
        A = \left[2.457\ln\frac{1}{(7/Re)^{0.9} + 0.27\,\epsilon/D}\right]^{16},
        \qquad B = \left(\frac{37530}{Re}\right)^{16}

    It tends to :math:`64/Re` in laminar flow, follows Colebrook within
    about 2 % for :math:`Re \ge 10^4` (largest near :math:`10^4`), and is smooth (infinitely differentiable) across
    the laminar–turbulent transition, which is what a Newton solver needs.
    The transition values themselves (2300 < Re < 4000) are an interpolation,
    not a prediction. No range warning is issued (all ``Re > 0``).

    Use :func:`_friction_churchill` (no checks) inside solver loops and
    :func:`friction_churchill_dRe` / :func:`_friction_churchill_with_dRe` for
    the derivative.

    References
    ----------
    .. [1] S. W. Churchill, "Friction-factor equation spans all fluid-flow
       regimes", *Chemical Engineering* 84(24), 91–92, 1977.

    Examples
    --------
    fluids' ``Churchill_1977(1e5, 1e-4)`` gives 0.018462624566280075:

    >>> friction_churchill(1e5, 1e-4)
    0.0184626245662800...
    >>> friction_churchill(100.0)          # laminar limit 64/Re
    0.64000...
    """
    func = "friction_churchill"
    Re, eD = _check_Re_eD(Re, eD, func)
    return _c.out(_friction_churchill(Re, eD))


def friction_churchill_dRe(Re: ArrayLike, eD: ArrayLike = 0.0) -> ArrayLike:
    r"""Analytic derivative :math:`\partial f/\partial Re` of Churchill (1977).

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness [-]

    Returns
    -------
    dfdRe : float or numpy.ndarray
        Derivative of the Darcy friction factor with respect to Re [-]

    Notes
    -----
    With :math:`S = (8/Re)^{12} + (A+B)^{-3/2}` and
    :math:`f = 8 S^{1/12}` (see :func:`friction_churchill`),

    .. math::
        \frac{\partial f}{\partial Re} = \frac{f}{12 S}\left[
        -\frac{12}{Re}\left(\frac{8}{Re}\right)^{12}
        - \frac32 (A+B)^{-5/2}\left(A' + B'\right)\right]

    .. math::
        A' = \frac{16 A}{L}\,\frac{0.9\,(7/Re)^{0.9}}{Re\,w},\quad
        B' = -\frac{16 B}{Re},\quad
        w = (7/Re)^{0.9} + 0.27\,\epsilon/D,\quad L = -\ln w

    Same validity as :func:`friction_churchill` [1]_. For the solver,
    :func:`_friction_churchill_with_dRe` returns ``(f, df/dRe)`` together.

    References
    ----------
    .. [1] S. W. Churchill, "Friction-factor equation spans all fluid-flow
       regimes", *Chemical Engineering* 84(24), 91–92, 1977.

    Examples
    --------
    In laminar flow the derivative is that of 64/Re, i.e. -64/Re²:

    >>> friction_churchill_dRe(100.0)
    -0.0064000...
    """
    func = "friction_churchill_dRe"
    Re, eD = _check_Re_eD(Re, eD, func)
    return _c.out(_friction_churchill_with_dRe(Re, eD)[1])


def friction_swamee_jain(Re: ArrayLike, eD: ArrayLike = 0.0) -> ArrayLike:
    r"""Darcy friction factor of Swamee and Jain (1976), explicit.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness [-]

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    .. math::
        f = \frac{0.25}{\left[\log_{10}\left(\frac{\epsilon/D}{3.7}
        + \frac{5.74}{Re^{0.9}}\right)\right]^2}

    Explicit approximation of Colebrook [1]_, within 3 % (largest near
    ``Re = 5000`` with large roughness, typically below 1 %) for
    ``5000 <= Re <= 1e8`` and ``1e-6 <= eD <= 0.05``; RangeWarning outside.

    References
    ----------
    .. [1] P. K. Swamee and A. K. Jain, "Explicit equations for pipe-flow
       problems", *J. Hydraulics Division (ASCE)* 102(5), 657–664, 1976.
       doi:10.1061/JYCEAJ.0004542

    Examples
    --------
    fluids' ``Swamee_Jain_1976(1e5, 1e-4)`` gives 0.0184524244, writing the
    constant as :math:`6.97^{0.9} = 5.7403` instead of the paper's 5.74:

    >>> friction_swamee_jain(1e5, 1e-4)
    0.01845244530...
    """
    func = "friction_swamee_jain"
    Re, eD = _check_Re_eD(Re, eD, func)
    _warn_method_range("swamee_jain", Re, eD, func)
    return _c.out(_friction_swamee_jain(Re, eD))


def friction_haaland(Re: ArrayLike, eD: ArrayLike = 0.0) -> ArrayLike:
    r"""Darcy friction factor of Haaland (1983), explicit.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness [-]

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    .. math::
        \frac{1}{\sqrt f} = -1.8\log_{10}\left[\left(\frac{\epsilon/D}{3.7}
        \right)^{1.11} + \frac{6.9}{Re}\right]

    Within about 1.5 % of Colebrook [1]_ for ``4000 <= Re <= 1e8`` and
    ``1e-6 <= eD <= 0.05``; RangeWarning outside.

    References
    ----------
    .. [1] S. E. Haaland, "Simple and explicit formulas for the friction
       factor in turbulent pipe flow", *J. Fluids Eng.* 105(1), 89–90, 1983.
       doi:10.1115/1.3240948

    Examples
    --------
    fluids' ``Haaland(1e5, 1e-4)`` gives 0.018265053014793857:

    >>> friction_haaland(1e5, 1e-4)
    0.01826505301479...
    """
    func = "friction_haaland"
    Re, eD = _check_Re_eD(Re, eD, func)
    _warn_method_range("haaland", Re, eD, func)
    return _c.out(_friction_haaland(Re, eD))


# --------------------------------------------------------------------------
# dispatcher
# --------------------------------------------------------------------------
_FRICTION_FUNCS = {
    "laminar": friction_laminar,
    "colebrook": friction_colebrook,
    "churchill": friction_churchill,
    "swamee_jain": friction_swamee_jain,
    "haaland": friction_haaland,
}


def friction_factor(Re: ArrayLike, eD: ArrayLike = 0.0,
                    method: FrictionMethod = "churchill") -> ArrayLike:
    r"""Darcy friction factor by the chosen correlation.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    eD : float or array_like, optional
        Relative roughness [-]
    method : {"churchill", "colebrook", "swamee_jain", "haaland", "laminar"}
        Correlation to use; ``"churchill"`` (default) covers all regimes
        smoothly. ``"laminar"`` ignores ``eD``.

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    Each method warns (RangeWarning) outside its range in
    :data:`FRICTION_METHOD_RANGES`; list the valid ones with
    :func:`friction_factor_methods`. No silent switch to the laminar law is
    made (unlike fluids' ``friction_factor``): choose ``"churchill"`` for
    flows that may be laminar. The pattern follows fluids' ``friction_factor``
    [1]_.

    References
    ----------
    .. [1] C. Bell et al., *fluids: Fluid dynamics component of Chemical
       Engineering Design Library (ChEDL)*, https://github.com/CalebBell/fluids

    Examples
    --------
    >>> friction_factor(1e5, 1e-4, method="colebrook")
    0.0185138660774716...
    """
    try:
        fn = _FRICTION_FUNCS[method]
    except (KeyError, TypeError):
        raise InputError(
            f"friction_factor: unknown method {method!r}; expected one of "
            f"{sorted(_FRICTION_FUNCS)}.") from None
    if method == "laminar":
        _check_Re_eD(Re, eD, "friction_factor")
        return fn(Re)
    return fn(Re, eD)


def friction_all_regimes(Re: ArrayLike, eD: ArrayLike = 0.0,
                         method: PipeFrictionMethod = "churchill",
                         derivative: bool = False):
    r"""Darcy friction factor over all flow regimes, as a network pipe uses it.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number, > 0 [-]
    eD : float or array_like, optional
        Relative roughness [-]
    method : {"churchill", "colebrook", "swamee_jain", "haaland"}
        ``"churchill"`` (default): Churchill's equation, which covers every regime
        by itself. The others: the turbulent law above ``Re = 4000``, Hagen–Poiseuille
        ``64/Re`` below ``Re = 2000``, and Dunlop's cubic between (EPANET 2.2).
    derivative : bool, optional
        Also return ``df/dRe``.

    Returns
    -------
    f : float or numpy.ndarray
        Darcy friction factor [-]; with ``derivative=True`` the pair ``(f, df/dRe)``.

    Notes
    -----
    The transition interpolation is the cubic in :math:`r = Re/2000`

    .. math:: f = x_1 + r\,(x_2 + r\,(x_3 + r\,x_4)), \qquad 1 < r < 2,

    whose coefficients match value and slope of the laminar law at
    :math:`r = 1` and of the turbulent law at :math:`r = 2` (Dunlop [1]_, as
    implemented in EPANET 2.2 [2]_, ``hydcoeffs.c``, there for Swamee–Jain), so
    the pressure drop is continuously differentiable in the flow, which
    Newton's method needs. This is the one implementation of the network's pipe
    friction (``Network.add_pipe(..., friction=...)``); ``method="swamee_jain"``
    reproduces EPANET's Darcy–Weisbach head loss, ``"colebrook"`` pandapipes'
    ``friction_model="colebrook"`` above ``Re = 4000`` (pandapipes applies
    Colebrook at every Re). No RangeWarning is issued: every regime is covered.

    References
    ----------
    .. [1] E. J. Dunlop, *WADI Users Manual*, Local Government Computer
       Services Board, Dublin, 1991 (cited in [2]_).
    .. [2] L. A. Rossman et al., *EPANET 2.2 User Manual*, EPA/600/R-20/133,
       2020, §3.1 (head loss formulas).

    Examples
    --------
    Above Re 4000 the turbulent law itself; below 2000 the laminar law:

    >>> friction_all_regimes(1e5, 1e-4, "colebrook")
    0.0185138660774716...
    >>> friction_all_regimes(1000.0, 1e-4, "haaland")
    0.064
    """
    func = "friction_all_regimes"
    if method not in _PIPE_METHODS:
        raise InputError(f"{func}: unknown method {method!r}; expected one of {_PIPE_METHODS}.")
    Re, eD = _check_Re_eD(Re, eD, func)
    _k = kernels.friction()
    Re, eD = np.broadcast_arrays(Re, eD)
    shape = Re.shape
    law = np.full(Re.size, _PIPE_METHODS.index(method), dtype=np.int64)
    f, d = _k.friction_law_array(np.ascontiguousarray(Re, dtype=float).reshape(-1),
                                 np.ascontiguousarray(eD, dtype=float).reshape(-1), law)
    f, d = f.reshape(shape), d.reshape(shape)
    if derivative:
        return _c.out(f), _c.out(d)
    return _c.out(f)


def friction_factor_methods(Re: ArrayLike, eD: ArrayLike = 0.0) -> list[str]:
    r"""List the friction-factor methods whose validity range covers the inputs.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number(s) [-]
    eD : float or array_like, optional
        Relative roughness(es) [-]

    Returns
    -------
    methods : list of str
        Method names valid for **all** given values, in the order of
        :data:`FRICTION_METHOD_RANGES`.

    Notes
    -----
    Ranges are :math:`Re_{min} \le Re \le Re_{max}` and
    :math:`eD_{min} \le eD \le eD_{max}` from :data:`FRICTION_METHOD_RANGES`,
    following fluids' ``friction_factor_methods`` [1]_.

    References
    ----------
    .. [1] C. Bell et al., *fluids*, ``fluids.friction.friction_factor_methods``,
       https://github.com/CalebBell/fluids

    Examples
    --------
    >>> friction_factor_methods(1e5, 1e-4)
    ['colebrook', 'churchill', 'swamee_jain', 'haaland']
    >>> friction_factor_methods(1000.0)
    ['laminar', 'churchill']
    """
    func = "friction_factor_methods"
    Re, eD = _check_Re_eD(Re, eD, func)
    out: list[str] = []
    for name, (Re_lo, Re_hi, eD_lo, eD_hi) in FRICTION_METHOD_RANGES.items():
        if Re_lo is not None and np.any(Re < Re_lo):
            continue
        if Re_hi is not None and np.any(Re > Re_hi):
            continue
        if name != "laminar":
            if eD_lo is not None and np.any(eD < eD_lo):
                continue
            if eD_hi is not None and np.any(eD > eD_hi):
                continue
        out.append(name)
    return out


def pressure_drop_darcy(f: ArrayLike, L: ArrayLike, D: ArrayLike, rho: ArrayLike,
                        V: ArrayLike) -> ArrayLike:
    r"""Frictional pressure drop of a straight pipe (Darcy–Weisbach).

    Parameters
    ----------
    f : float or array_like
        Darcy friction factor [-]
    L : float or array_like
        Pipe length [m]
    D : float or array_like
        Inner diameter [m]
    rho : float or array_like
        Density [kg m⁻³]
    V : float or array_like
        Mean velocity; signed [m s⁻¹]

    Returns
    -------
    dP : float or numpy.ndarray
        Pressure drop in the direction of ``V``, signed like ``V`` [Pa]

    Notes
    -----
    .. math:: \Delta p = f\,\frac{L}{D}\,\frac{\rho V |V|}{2}

    The :math:`V|V|` form keeps the sign for reversed flow (as a network
    solver needs). Incompressible, fully developed flow [1]_.

    References
    ----------
    .. [1] F. M. White, *Fluid Mechanics*, 7th ed., McGraw-Hill, 2011,
       Eq. (6.10). ISBN 978-0-07-352934-9.

    Examples
    --------
    >>> pressure_drop_darcy(f=0.02, L=100.0, D=0.1, rho=1000.0, V=2.0)
    40000.0
    """
    func = "pressure_drop_darcy"
    f = _c.nonnegative(f, "f", func)
    L = _c.nonnegative(L, "L", func)
    D = _c.positive(D, "D", func)
    rho = _c.positive(rho, "rho", func)
    V = _c.as_array(V, "V", func)
    return _c.out(f * L / D * 0.5 * rho * V * np.abs(V))


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
