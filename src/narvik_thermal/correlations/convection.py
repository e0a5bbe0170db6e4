r"""Forced convection inside circular pipes: Nusselt-number correlations.

All functions take SI floats or NumPy arrays (broadcasting) and return the
Nusselt number :math:`Nu = hD/k` based on the inner diameter. Fluid
properties enter only through :math:`Re` and :math:`Pr`; see :func:`Prandtl`
and :func:`narvik_thermal.correlations.friction.Reynolds`.

Fully developed flow is assumed throughout (no entrance-length enhancement,
no property-variation correction :math:`(Pr/Pr_w)^{0.11}`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c

__all__ = [
    "Prandtl", "nusselt_laminar_constant_T", "nusselt_laminar_constant_q",
    "nusselt_gnielinski", "nusselt_dittus_boelter", "nusselt_pipe", "nusselt",
    "nusselt_methods", "NUSSELT_METHOD_RANGES", "NusseltMethod",
    "friction_konakov",
]

NusseltMethod = Literal["laminar_constant_T", "laminar_constant_q", "gnielinski",
                        "dittus_boelter", "gnielinski_blend"]
ThermalBoundary = Literal["constant_T", "constant_q"]

#: Validity ranges ``(Re_min, Re_max, Pr_min, Pr_max)``; ``None`` = unbounded.
NUSSELT_METHOD_RANGES: dict[str, tuple[float | None, float | None,
                                       float | None, float | None]] = {
    "laminar_constant_T": (None, 2300.0, None, None),
    "laminar_constant_q": (None, 2300.0, None, None),
    "gnielinski": (2300.0, 5e6, 0.5, 2000.0),
    "dittus_boelter": (1e4, None, 0.6, 160.0),
    "gnielinski_blend": (None, 5e6, 0.5, 2000.0),
}

_NU_LAMINAR_T = 3.66
_NU_LAMINAR_Q = 48.0 / 11.0
_RE_LAM = 2300.0
_RE_TURB = 1.0e4


def _warn_ranges(method: str, Re: np.ndarray, Pr: np.ndarray, func: str) -> None:
    Re_lo, Re_hi, Pr_lo, Pr_hi = NUSSELT_METHOD_RANGES[method]
    _c.warn_range(Re, "Re", func, Re_lo, Re_hi)
    _c.warn_range(Pr, "Pr", func, Pr_lo, Pr_hi)


def Prandtl(cp: ArrayLike, mu: ArrayLike, k: ArrayLike) -> ArrayLike:
    r"""Prandtl number.

    Parameters
    ----------
    cp : float or array_like
        Specific isobaric heat capacity [J kg⁻¹ K⁻¹]
    mu : float or array_like
        Dynamic viscosity [Pa s]
    k : float or array_like
        Thermal conductivity [W m⁻¹ K⁻¹]

    Returns
    -------
    Pr : float or numpy.ndarray
        Prandtl number [-]

    Notes
    -----
    .. math:: Pr = \frac{c_p\,\mu}{k}

    Examples
    --------
    Water at 300 K (Incropera Table A.6: cp = 4179, μ = 855e-6, k = 0.613,
    tabulated Pr = 5.83):

    >>> Prandtl(4179.0, 855e-6, 0.613)
    5.8287...
    """
    func = "Prandtl"
    cp = _c.positive(cp, "cp", func)
    mu = _c.positive(mu, "mu", func)
    k = _c.positive(k, "k", func)
    return _c.out(cp * mu / k)


def nusselt_laminar_constant_T() -> float:
    r"""Nusselt number of fully developed laminar flow, uniform wall temperature.

    Returns
    -------
    Nu : float
        3.66 [-]

    Notes
    -----
    .. math:: Nu = 3.66

    Circular pipe, hydrodynamically and thermally fully developed laminar
    flow (Re < 2300), uniform wall temperature [1]_ (exact value 3.6568).

    References
    ----------
    .. [1] R. K. Shah and A. L. London, *Laminar Flow Forced Convection in
       Ducts*, Academic Press, 1978. ISBN 978-0-12-020051-1.

    Examples
    --------
    >>> nusselt_laminar_constant_T()
    3.66
    """
    return _NU_LAMINAR_T


def nusselt_laminar_constant_q() -> float:
    r"""Nusselt number of fully developed laminar flow, uniform wall heat flux.

    Returns
    -------
    Nu : float
        48/11 ≈ 4.364 [-]

    Notes
    -----
    .. math:: Nu = \frac{48}{11} \approx 4.364

    Circular pipe, fully developed laminar flow (Re < 2300), uniform heat
    flux [1]_.

    References
    ----------
    .. [1] R. K. Shah and A. L. London, *Laminar Flow Forced Convection in
       Ducts*, Academic Press, 1978. ISBN 978-0-12-020051-1.

    Examples
    --------
    >>> nusselt_laminar_constant_q()
    4.3636...
    """
    return _NU_LAMINAR_Q


def _friction_konakov(Re: np.ndarray) -> np.ndarray:
    t = 1.8 * np.log10(Re) - 1.5
    return 1.0 / (t * t)


def friction_konakov(Re: ArrayLike) -> ArrayLike:
    r"""Smooth-pipe Darcy friction factor of Konakov, used by Gnielinski.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]

    Returns
    -------
    fd : float or numpy.ndarray
        Darcy friction factor [-]

    Notes
    -----
    .. math:: f_d = \left(1.8\log_{10}Re - 1.5\right)^{-2}

    Smooth tubes, turbulent flow; the form used in Gnielinski's correlation
    in the VDI Heat Atlas and in [1]_.

    References
    ----------
    .. [1] V. Gnielinski, "On heat transfer in tubes", *Int. J. Heat Mass
       Transfer* 63, 134–140, 2013. doi:10.1016/j.ijheatmasstransfer.2013.04.015

    Examples
    --------
    >>> friction_konakov(1e5)
    0.0177777...
    """
    func = "friction_konakov"
    Re = _c.positive(Re, "Re", func)
    _c.warn_range(Re, "Re", func, _RE_LAM, None)
    return _c.out(_friction_konakov(Re))


def _nusselt_gnielinski(Re: np.ndarray, Pr: np.ndarray, fd: np.ndarray) -> np.ndarray:
    f8 = fd / 8.0
    return f8 * (Re - 1000.0) * Pr / (1.0 + 12.7 * np.sqrt(f8) * (Pr ** (2.0 / 3.0) - 1.0))


def _refuse_nonpositive(nu: np.ndarray, Pr: np.ndarray, fd: np.ndarray, func: str) -> None:
    """InputError where Gnielinski's denominator 1 + 12.7 √(fd/8) (Pr^(2/3) − 1) is not
    positive (Pr ≪ 1 with a large fd): Nu would be negative or infinite."""
    bad = ~(np.isfinite(nu) & (nu > 0.0))
    if np.any(bad):
        Pr_b, fd_b = (np.broadcast_to(a, np.shape(nu))[bad] for a in (Pr, fd))
        raise InputError(
            f"{func}: Pr = {_c.describe(Pr_b)} with fd = {_c.describe(fd_b)} makes "
            "Gnielinski's denominator 1 + 12.7 √(fd/8) (Pr^(2/3) − 1) zero or negative "
            "(Nu negative or infinite); the correlation holds for 0.5 <= Pr <= 2000 with a "
            "turbulent Darcy friction factor: check Pr and fd (a liquid metal, Pr ≪ 1, "
            "needs a liquid-metal correlation).")


def nusselt_gnielinski(Re: ArrayLike, Pr: ArrayLike, fd: ArrayLike | None = None) -> ArrayLike:
    r"""Nusselt number of turbulent pipe flow by Gnielinski (1976).

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    Pr : float or array_like
        Prandtl number [-]
    fd : float or array_like, optional
        Darcy friction factor; default Konakov's smooth-pipe
        :math:`(1.8\log_{10}Re - 1.5)^{-2}` [-]

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number, > 0 [-]

    Raises
    ------
    InputError
        ``Re <= 1000`` (laminar flow: the formula gives Nu <= 0), or Pr and fd
        whose denominator is not positive.

    Notes
    -----
    .. math::
        Nu = \frac{(f_d/8)(Re-1000)Pr}{1 + 12.7\sqrt{f_d/8}\,(Pr^{2/3}-1)}

    Validity [1]_ [2]_: :math:`2300 < Re < 5\times10^6`,
    :math:`0.5 < Pr < 2000`; RangeWarning outside. At :math:`Re \le 1000` the
    factor :math:`Re - 1000` makes Nu zero or negative: an InputError (use
    :func:`nusselt_pipe`, valid in all regimes, or the laminar constants
    :func:`nusselt_laminar_constant_T` / :func:`nusselt_laminar_constant_q`), as
    where the denominator is not positive (:math:`Pr \ll 1` with a large
    ``fd``). Fully developed flow, small property variation. For rough pipes pass
    the rough-pipe ``fd``.
    Gnielinski's own evaluation used Filonenko's
    :math:`(1.82\log_{10}Re - 1.64)^{-2}`; Konakov's form, used in [2]_,
    is 0.4–2.1 % lower for :math:`10^4 \le Re \le 10^6`.

    References
    ----------
    .. [1] V. Gnielinski, "New equations for heat and mass transfer in
       turbulent pipe and channel flow", *Int. Chem. Eng.* 16(2), 359–368,
       1976 (German original: *Forsch. Ing.-Wes.* 41, 8–16, 1975,
       doi:10.1007/BF02559682).
    .. [2] V. Gnielinski, "On heat transfer in tubes", *Int. J. Heat Mass
       Transfer* 63, 134–140, 2013. doi:10.1016/j.ijheatmasstransfer.2013.04.015

    Examples
    --------
    ht's ``turbulent_Gnielinski(Re=1E5, Pr=1.2, fd=0.0185)`` gives
    254.62682749359632:

    >>> nusselt_gnielinski(1e5, 1.2, fd=0.0185)
    254.626827493596...
    """
    func = "nusselt_gnielinski"
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    if np.any(Re <= 1000.0):
        raise InputError(
            f"{func}: Re = {_c.describe(Re[Re <= 1000.0])} is at or below 1000, where "
            "Gnielinski's factor (Re − 1000) makes Nu zero or negative: the correlation is "
            "for turbulent flow (2300 < Re < 5e6). For laminar or transitional flow use "
            "nusselt_pipe (valid in all regimes: the laminar constant up to Re = 2300, "
            "Gnielinski's 2013 interpolation up to 1e4), or nusselt_laminar_constant_T / "
            "nusselt_laminar_constant_q for fully developed laminar flow.")
    fd = _friction_konakov(Re) if fd is None else _c.positive(fd, "fd", func)
    nu = _nusselt_gnielinski(Re, Pr, fd)
    _refuse_nonpositive(nu, Pr, fd, func)
    _warn_ranges("gnielinski", Re, Pr, func)
    return _c.out(nu)


def nusselt_dittus_boelter(Re: ArrayLike, Pr: ArrayLike, heating: bool = True) -> ArrayLike:
    r"""Nusselt number of turbulent pipe flow by Dittus–Boelter (McAdams form).

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    Pr : float or array_like
        Prandtl number [-]
    heating : bool, optional
        True if the fluid is being heated (n = 0.4), False if cooled (n = 0.3).

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number [-]

    Notes
    -----
    .. math:: Nu = 0.023\,Re^{0.8}\,Pr^{n},\qquad n = 0.4 \text{ (heating)},\ 0.3 \text{ (cooling)}

    Validity [3]_: :math:`Re \ge 10^4`, :math:`0.6 \le Pr \le 160`,
    :math:`L/D \ge 10`, moderate wall–bulk temperature difference;
    RangeWarning outside. Errors up to 25 %; prefer
    :func:`nusselt_gnielinski`. The coefficients 0.023 are McAdams'
    revision of the original 0.0243/0.0265 [1]_ [2]_.

    References
    ----------
    .. [1] F. W. Dittus and L. M. K. Boelter, "Heat transfer in automobile
       radiators of the tubular type", *Univ. Calif. Publ. Eng.* 2(13),
       443–461, 1930; reprinted in *Int. Commun. Heat Mass Transfer* 12(1),
       3–22, 1985. doi:10.1016/0735-1933(85)90003-X
    .. [2] R. H. S. Winterton, "Where did the Dittus and Boelter equation come
       from?", *Int. J. Heat Mass Transfer* 41(4–5), 809–810, 1998.
       doi:10.1016/S0017-9310(97)00177-4
    .. [3] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Eq. (8.60). ISBN 978-0-470-50197-9.

    Examples
    --------
    ht's ``turbulent_Dittus_Boelter(Re=1E5, Pr=1.2)`` gives
    247.40036409449127:

    >>> nusselt_dittus_boelter(1e5, 1.2)
    247.400364094491...
    """
    func = "nusselt_dittus_boelter"
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    _warn_ranges("dittus_boelter", Re, Pr, func)
    n = 0.4 if heating else 0.3
    return _c.out(0.023 * Re ** 0.8 * Pr ** n)


def _nusselt_gnielinski_blend(Re: np.ndarray, Pr: np.ndarray, fd: np.ndarray | None,
                              nu_lam: float) -> np.ndarray:
    Re, Pr = np.broadcast_arrays(Re, Pr)
    fd_turb = _friction_konakov(np.maximum(Re, _RE_TURB)) if fd is None else fd
    nu_turb = _nusselt_gnielinski(np.maximum(Re, _RE_TURB), Pr, fd_turb)
    nu_1e4 = _nusselt_gnielinski(_RE_TURB, Pr, _friction_konakov(_RE_TURB))
    gamma = np.clip((Re - _RE_LAM) / (_RE_TURB - _RE_LAM), 0.0, 1.0)
    nu_trans = (1.0 - gamma) * nu_lam + gamma * nu_1e4
    return np.where(Re >= _RE_TURB, nu_turb, nu_trans)


def nusselt_pipe(Re: ArrayLike, Pr: ArrayLike, fd: ArrayLike | None = None,
                 method: Literal["gnielinski_blend"] = "gnielinski_blend", *,
                 thermal_boundary: ThermalBoundary = "constant_T") -> ArrayLike:
    r"""Nusselt number of pipe flow valid in all regimes (laminar, transition,
    turbulent), continuous in Re.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    Pr : float or array_like
        Prandtl number [-]
    fd : float or array_like, optional
        Darcy friction factor used for ``Re >= 1e4``; default Konakov's
        smooth-pipe law [-]
    method : {"gnielinski_blend"}
        Blending scheme (only Gnielinski 2013 at present).
    thermal_boundary : {"constant_T", "constant_q"}, optional
        Laminar wall condition: Nu = 3.66 or 48/11.

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number [-]

    Notes
    -----
    Gnielinski's (2013) linear interpolation across transition [1]_:

    .. math::
        Nu = \begin{cases}
        Nu_{lam} & Re \le 2300\\
        (1-\gamma)\,Nu_{lam} + \gamma\,Nu_{turb}(10^4) & 2300 < Re < 10^4,\quad
        \gamma = \dfrac{Re-2300}{10^4-2300}\\
        Nu_{turb}(Re) & Re \ge 10^4
        \end{cases}

    where :math:`Nu_{turb}` is :func:`nusselt_gnielinski` and
    :math:`Nu_{turb}(10^4)` uses Konakov's friction factor at
    :math:`Re = 10^4` (as in [1]_; a user ``fd`` only applies for
    :math:`Re \ge 10^4`). Here :math:`Nu_{lam}` is the fully developed value
    (3.66 or 4.364); [1]_ uses the thermally developing laminar Nusselt
    number, which needs :math:`D/L` and is not included. The result is
    continuous in Re, with kinks at 2300 and 10⁴.
    Validity: :math:`Re < 5\times10^6`, :math:`0.5 < Pr < 2000`; RangeWarning
    outside.

    References
    ----------
    .. [1] V. Gnielinski, "On heat transfer in tubes", *Int. J. Heat Mass
       Transfer* 63, 134–140, 2013. doi:10.1016/j.ijheatmasstransfer.2013.04.015

    Examples
    --------
    >>> nusselt_pipe(1000.0, 7.0)
    3.66
    >>> nusselt_pipe([2300.0, 1e4], 7.0)
    array([ 3.66..., 78.318...])
    """
    func = "nusselt_pipe"
    if method != "gnielinski_blend":
        raise InputError(f"{func}: unknown method {method!r}; expected 'gnielinski_blend'.")
    if thermal_boundary == "constant_T":
        nu_lam = _NU_LAMINAR_T
    elif thermal_boundary == "constant_q":
        nu_lam = _NU_LAMINAR_Q
    else:
        raise InputError(f"{func}: unknown thermal_boundary {thermal_boundary!r}; "
                         f"expected 'constant_T' or 'constant_q'.")
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    fd_a = None if fd is None else _c.positive(fd, "fd", func)
    nu = _nusselt_gnielinski_blend(Re, Pr, fd_a, nu_lam)
    if fd_a is not None:                  # Konakov's fd at Re >= 1e4 keeps Nu > 0
        _refuse_nonpositive(nu, Pr, fd_a, func)
    _warn_ranges("gnielinski_blend", Re, Pr, func)
    return _c.out(nu)


def nusselt(Re: ArrayLike, Pr: ArrayLike, fd: ArrayLike | None = None,
            method: NusseltMethod = "gnielinski_blend", *, heating: bool = True,
            thermal_boundary: ThermalBoundary = "constant_T") -> ArrayLike:
    r"""Nusselt number of internal pipe flow by the chosen correlation.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number [-]
    Pr : float or array_like
        Prandtl number [-]
    fd : float or array_like, optional
        Darcy friction factor for the Gnielinski methods [-]
    method : {"gnielinski_blend", "gnielinski", "dittus_boelter", "laminar_constant_T", "laminar_constant_q"}
        Correlation; the default is valid in all regimes.
    heating : bool, optional
        Dittus–Boelter exponent choice (fluid heated: True).
    thermal_boundary : {"constant_T", "constant_q"}, optional
        Laminar wall condition for ``"gnielinski_blend"``.

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number, broadcast to the shape of ``Re`` and ``Pr`` [-]

    Notes
    -----
    Validity ranges are in :data:`NUSSELT_METHOD_RANGES`; each method warns
    outside its range (the laminar constants warn for ``Re > 2300``);
    ``"gnielinski"`` refuses ``Re <= 1000``, where it would give Nu <= 0. See the
    individual functions for equations and references. Pattern after fluids'
    ``friction_factor`` [1]_.

    References
    ----------
    .. [1] C. Bell et al., *ht: Heat transfer component of the Chemical
       Engineering Design Library*, https://github.com/CalebBell/ht

    Examples
    --------
    >>> nusselt(1e5, 1.2, fd=0.0185, method="gnielinski")
    254.626827493596...
    """
    func = "nusselt"
    if method in ("laminar_constant_T", "laminar_constant_q"):
        Re = _c.positive(Re, "Re", func)
        Pr = _c.positive(Pr, "Pr", func)
        _warn_ranges(method, Re, Pr, func)
        val = _NU_LAMINAR_T if method == "laminar_constant_T" else _NU_LAMINAR_Q
        return _c.out(np.full(np.broadcast(Re, Pr).shape, val))
    if method == "gnielinski":
        return nusselt_gnielinski(Re, Pr, fd)
    if method == "dittus_boelter":
        return nusselt_dittus_boelter(Re, Pr, heating)
    if method == "gnielinski_blend":
        return nusselt_pipe(Re, Pr, fd, thermal_boundary=thermal_boundary)
    raise InputError(f"{func}: unknown method {method!r}; expected one of "
                     f"{sorted(NUSSELT_METHOD_RANGES)}.")


def nusselt_methods(Re: ArrayLike, Pr: ArrayLike) -> list[str]:
    r"""List the Nusselt correlations whose validity range covers the inputs.

    Parameters
    ----------
    Re : float or array_like
        Reynolds number(s) [-]
    Pr : float or array_like
        Prandtl number(s) [-]

    Returns
    -------
    methods : list of str
        Methods valid for **all** given values, in the order of
        :data:`NUSSELT_METHOD_RANGES`.

    Notes
    -----
    Ranges :math:`Re_{min} \le Re \le Re_{max}`,
    :math:`Pr_{min} \le Pr \le Pr_{max}` from :data:`NUSSELT_METHOD_RANGES`.

    Examples
    --------
    >>> nusselt_methods(1e5, 5.0)
    ['gnielinski', 'dittus_boelter', 'gnielinski_blend']
    >>> nusselt_methods(1000.0, 5.0)
    ['laminar_constant_T', 'laminar_constant_q', 'gnielinski_blend']
    """
    func = "nusselt_methods"
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    out: list[str] = []
    for name, (Re_lo, Re_hi, Pr_lo, Pr_hi) in NUSSELT_METHOD_RANGES.items():
        if Re_lo is not None and np.any(Re < Re_lo):
            continue
        if Re_hi is not None and np.any(Re > Re_hi):
            continue
        if Pr_lo is not None and np.any(Pr < Pr_lo):
            continue
        if Pr_hi is not None and np.any(Pr > Pr_hi):
            continue
        out.append(name)
    return out


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
