r"""Chevron plate heat exchangers: film Nusselt numbers and their Reynolds exponent.

Single-phase film coefficients of the channels of gasketed or brazed
chevron-type (herringbone) plate heat exchangers, as used in CDUs, the
titanium seawater exchangers and heat-pump evaporators and condensers. All
functions take SI floats or NumPy arrays (broadcasting) and return the Nusselt
number :math:`Nu = h D_h / k` on the channel hydraulic diameter
:math:`D_h = 4\hat a/\Phi` (corrugation amplitude :math:`\hat a`, surface
enlargement factor :math:`\Phi`) and :math:`Re = \rho u D_h/\mu` on the
mean channel velocity. The chevron angle :math:`\varphi` is measured from the
main flow direction (port to port), in degrees as in the literature and in
ht [6]_: small angles are "soft" plates (low heat transfer, low pressure drop),
60–65° "hard" plates. Correlations: Martin's generalised Lévêque equation [1]_
in its VDI Heat Atlas [2]_ and 1999 [3]_ forms, and Muley and Manglik's
regression [4]_ with the coefficients corrected in [5]_.

:func:`film_exponent_plate` gives the local exponent
:math:`n = \partial\ln Nu/\partial\ln Re`, so that near a design point
:math:`h \propto Re^n \propto \dot m^n` on one side of a given exchanger
(:func:`narvik_thermal.correlations.hx.ua_off_design`). For Martin's
correlation at :math:`\varphi = 30\text{–}65°` it is 0.67–0.71 for
:math:`1000 \le Re < 2000` and 0.71–0.73 for :math:`2000 \le Re \le 10^4`;
Muley and Manglik's exponent is 0.70–0.78 for :math:`\varphi = 30\text{–}60°`.

The wall-viscosity corrections :math:`(\mu/\mu_w)^{1/6}` (Martin) and
:math:`(\mu/\mu_w)^{0.14}` (Muley–Manglik) are left out (bulk properties;
water at moderate temperature differences).

References
----------
.. [1] H. Martin, "A theoretical approach to predict the performance of
   chevron-type plate heat exchangers", *Chem. Eng. Process.* 35(4), 301–310,
   1996. doi:10.1016/0255-2701(95)04129-X
.. [2] H. Martin, "Pressure drop and heat transfer in plate heat exchangers",
   in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6, 1515–1522.
   doi:10.1007/978-3-540-77877-6_66
.. [3] H. Martin, "Economic optimization of compact heat exchangers",
   EF-Conference on Compact Heat Exchangers and Enhancement Technology for
   the Process Industries, Banff, 1999.
   https://publikationen.bibliothek.kit.edu/1000034866
.. [4] A. Muley and R. M. Manglik, "Experimental study of turbulent flow heat
   transfer and pressure drop in a plate heat exchanger with chevron plates",
   *J. Heat Transfer* 121(1), 110–117, 1999. doi:10.1115/1.2825923
.. [5] B. Palm and J. Claesson, "Plate heat exchangers: calculation methods
   for single- and two-phase flow", ICMM2005-75092, ASME, 2005, 103–113.
   doi:10.1115/ICMM2005-75092
.. [6] C. Bell et al., *ht: Heat transfer component of the Chemical
   Engineering Design Library*, ``ht.conv_plate``, https://github.com/CalebBell/ht
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c

__all__ = [
    "PlateMethod", "PLATE_METHODS", "PLATE_NUSSELT_METHOD_RANGES",
    "friction_plate_martin", "nusselt_plate_martin", "nusselt_plate_muley_manglik",
    "nusselt_plate", "nusselt_plate_methods", "film_exponent_plate", "hot_film_share_plate",
]

PlateMethod = Literal["martin_vdi", "martin_1999", "muley_manglik"]
#: Plate-channel Nusselt correlations.
PLATE_METHODS: tuple[str, ...] = get_args(PlateMethod)

#: Validity ranges ``(Re_min, Re_max, angle_min, angle_max)`` [-, -, °, °];
#: ``None`` = unbounded. Martin: data of Re 200–10⁴ and φ 0–80° (Martin 1996, ht);
#: Muley–Manglik: Re ≥ 1000, φ 30–60°, Φ 1–1.5 (Muley and Manglik 1999; Palm and
#: Claesson 2005).
PLATE_NUSSELT_METHOD_RANGES: dict[str, tuple[float | None, float | None, float, float]] = {
    "martin_vdi": (200.0, 1.0e4, 0.0, 80.0),
    "martin_1999": (200.0, 1.0e4, 0.0, 80.0),
    "muley_manglik": (1000.0, None, 30.0, 60.0),
}

_RE_TRANSITION = 2000.0
_LN10 = float(np.log(10.0))
# Martin's friction factor, per variant: b (tan φ), c (sin φ), a (f1 weight),
# laminar f0 = k0/Re, f1 = A1/Re + B1; turbulent f1 = C1 Re^-0.289; scale to
# Darcy (1999 is written on the Fanning basis, ×4 gives Darcy).
_MARTIN = {
    "vdi": dict(b=0.18, c=0.36, a=3.8, k0=64.0, A1=597.0, B1=3.85, C1=39.0, scale=1.0),
    "1999": dict(b=0.045, c=0.09, a=3.8, k0=16.0, A1=149.0, B1=0.9625, C1=9.75, scale=4.0),
}
_M1 = 0.289


def _variant(variant: str, func: str) -> dict:
    try:
        return _MARTIN[variant]
    except KeyError:
        raise InputError(f"{func}: unknown variant {variant!r}; expected 'vdi' (VDI Heat "
                         "Atlas 2010) or '1999' (Martin 1999).") from None


def _angle(chevron_angle_deg: ArrayLike, func: str) -> np.ndarray:
    a = _c.as_array(chevron_angle_deg, "chevron_angle_deg", func)
    bad = (a <= 0.0) | (a >= 90.0)
    if np.any(bad):
        raise InputError(f"{func}: argument 'chevron_angle_deg' must satisfy 0 < angle < 90 "
                         f"(degrees from the main flow direction), got "
                         f"{_c.describe(a[bad])}.")
    return a


def _f0_f1(Re: np.ndarray, p: dict, variant: str):
    """Martin's f0, f1 and their derivatives with respect to ln Re."""
    lam = Re < _RE_TRANSITION
    Rs = np.where(lam, 1.0, Re)            # keeps log/power of the unused branch finite
    if variant == "vdi":
        t = 1.8 * np.log10(Rs) - 1.5                # Konakov
        f0_t, df0_t = t ** -2.0, -2.0 * (1.8 / _LN10) * t ** -3.0
    else:
        t = 1.56 * np.log(Rs) - 3.0
        f0_t, df0_t = t ** -2.0, -2.0 * 1.56 * t ** -3.0
    f0_l = p["k0"] / Re
    f0 = np.where(lam, f0_l, f0_t)
    df0 = np.where(lam, -f0_l, df0_t)
    f1_t = p["C1"] * Rs ** -_M1
    f1 = np.where(lam, p["A1"] / Re + p["B1"], f1_t)
    df1 = np.where(lam, -p["A1"] / Re, -_M1 * f1_t)
    return f0, df0, f1, df1


def _martin(Re: np.ndarray, phi_deg: np.ndarray, variant: str):
    """Darcy friction factor and d ln fd / d ln Re of Martin's model."""
    p = _MARTIN[variant]
    phi = np.radians(phi_deg)
    cph = np.cos(phi)
    f0, df0, f1, df1 = _f0_f1(Re, p, variant)
    D = p["b"] * np.tan(phi) + p["c"] * np.sin(phi) + f0 / cph
    g = cph / np.sqrt(D) + (1.0 - cph) / np.sqrt(p["a"] * f1)
    dg = -0.5 * (D ** -1.5 * df0 + (1.0 - cph) * p["a"] ** -0.5 * f1 ** -1.5 * df1)
    fd = p["scale"] / (g * g)
    return fd, -2.0 * dg / g


def _warn(method: str, Re: np.ndarray, angle: np.ndarray, func: str) -> None:
    lo, hi, alo, ahi = PLATE_NUSSELT_METHOD_RANGES[method]
    _c.warn_range(Re, "Re", func, lo, hi)
    _c.warn_range(angle, "chevron_angle_deg", func, alo, ahi)


def friction_plate_martin(Re: ArrayLike, chevron_angle_deg: ArrayLike,
                          variant: Literal["vdi", "1999"] = "vdi") -> ArrayLike:
    r"""Darcy friction factor of a chevron plate channel by Martin.

    Parameters
    ----------
    Re : float or array_like
        Channel Reynolds number on :math:`D_h`, > 0 [-]
    chevron_angle_deg : float or array_like
        Chevron angle φ from the main flow direction, 0 < φ < 90 [°]
    variant : {"vdi", "1999"}, optional
        ``"vdi"`` (default): the VDI Heat Atlas form [2]_; ``"1999"``: Martin
        1999 [3]_ (Fanning-basis coefficients, returned ×4 as Darcy).

    Returns
    -------
    fd : float or numpy.ndarray
        Darcy friction factor on the port-to-port length [-]

    Notes
    -----
    VDI form [2]_:

    .. math::
        \frac{1}{\sqrt{f_d}} = \frac{\cos\varphi}{\sqrt{0.18\tan\varphi
        + 0.36\sin\varphi + f_0/\cos\varphi}}
        + \frac{1-\cos\varphi}{\sqrt{3.8 f_1}}

    with :math:`f_0 = 64/Re`, :math:`f_1 = 597/Re + 3.85` for
    :math:`Re < 2000` and :math:`f_0 = (1.8\log_{10}Re - 1.5)^{-2}`,
    :math:`f_1 = 39\,Re^{-0.289}` above. The 1999 form [3]_ has a quarter of
    each coefficient (Fanning basis), :math:`f_0 = (1.56\ln Re - 3)^{-2}` in
    turbulent flow, and is multiplied by 4. Both jump at Re = 2000 (the
    transition of the two limiting channel flows; real plates change
    smoothly). Data of Re 200–10⁴, φ 0–80° [1]_; RangeWarning outside.

    References
    ----------
    .. [1] H. Martin, *Chem. Eng. Process.* 35(4), 301–310, 1996.
       doi:10.1016/0255-2701(95)04129-X
    .. [2] H. Martin, in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6.
       doi:10.1007/978-3-540-77877-6_66
    .. [3] H. Martin, "Economic optimization of compact heat exchangers",
       EF-Conference on Compact Heat Exchangers, Banff, 1999.

    Examples
    --------
    ht's ``friction_plate_Martin_VDI(Re=20000, chevron_angle=45)`` gives
    0.781589041624 and ``friction_plate_Martin_1999`` 0.7818916308365043
    (both warn: Re above the data range):

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     friction_plate_martin(20000.0, 45.0), friction_plate_martin(20000.0, 45.0, "1999")
    (0.78158904162..., 0.78189163083...)
    """
    func = "friction_plate_martin"
    _variant(variant, func)
    Re = _c.positive(Re, "Re", func)
    phi = _angle(chevron_angle_deg, func)
    _warn("martin_" + variant, Re, phi, func)
    return _c.out(_martin(Re, phi, variant)[0])


def nusselt_plate_martin(Re: ArrayLike, Pr: ArrayLike, chevron_angle_deg: ArrayLike,
                         variant: Literal["vdi", "1999"] = "vdi") -> ArrayLike:
    r"""Nusselt number of a chevron plate channel by Martin (VDI Heat Atlas B6).

    Parameters
    ----------
    Re : float or array_like
        Channel Reynolds number on :math:`D_h`, > 0 [-]
    Pr : float or array_like
        Prandtl number at bulk temperature [-]
    chevron_angle_deg : float or array_like
        Chevron angle φ from the main flow direction, 0 < φ < 90 [°]; for
        mixed plates use the mean angle.
    variant : {"vdi", "1999"}, optional
        Friction-factor form (:func:`friction_plate_martin`).

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number on :math:`D_h` [-]

    Notes
    -----
    The generalised Lévêque equation [1]_ [2]_:

    .. math::
        Nu = 0.122\,Pr^{1/3}\left[f_d\,Re^2\sin(2\varphi)\right]^{0.374}

    with :math:`f_d` from :func:`friction_plate_martin`. Its Reynolds exponent
    is :math:`0.374\,(2 + \mathrm{d}\ln f_d/\mathrm{d}\ln Re)`
    (:func:`film_exponent_plate`). Data of Re 200–10⁴, φ 0–80°
    [1]_; RangeWarning outside. Nu inherits the jump of :math:`f_d` at
    Re = 2000. The wall-viscosity factor :math:`(\mu/\mu_w)^{1/6}` is
    omitted.

    References
    ----------
    .. [1] H. Martin, "A theoretical approach to predict the performance of
       chevron-type plate heat exchangers", *Chem. Eng. Process.* 35(4),
       301–310, 1996. doi:10.1016/0255-2701(95)04129-X
    .. [2] H. Martin, "Pressure drop and heat transfer in plate heat
       exchangers", in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6.
       doi:10.1007/978-3-540-77877-6_66

    Examples
    --------
    ht's ``Nu_plate_Martin(Re=2000.0, Pr=.7, chevron_angle=45.0)`` (1999
    variant) gives 30.427601053757:

    >>> nusselt_plate_martin(2000.0, 0.7, 45.0, "1999")
    30.42760105375...
    >>> nusselt_plate_martin(3000.0, 6.0, 45.0)
    83.516818301...
    """
    func = "nusselt_plate_martin"
    _variant(variant, func)
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    phi = _angle(chevron_angle_deg, func)
    _warn("martin_" + variant, Re, phi, func)
    fd = _martin(Re, phi, variant)[0]
    return _c.out(0.122 * Pr ** (1.0 / 3.0) * (fd * Re * Re * np.sin(2.0 * np.radians(phi)))
                  ** 0.374)


def _mm_exponent(beta: np.ndarray) -> np.ndarray:
    return 0.728 + 0.0543 * np.sin(2.0 * np.pi * beta / 90.0 + 3.7)


def nusselt_plate_muley_manglik(Re: ArrayLike, Pr: ArrayLike, chevron_angle_deg: ArrayLike,
                                plate_enlargement_factor: ArrayLike = 1.17) -> ArrayLike:
    r"""Nusselt number of a chevron plate channel by Muley and Manglik (1999).

    Parameters
    ----------
    Re : float or array_like
        Channel Reynolds number on :math:`D_h`, > 0 [-]
    Pr : float or array_like
        Prandtl number at bulk temperature [-]
    chevron_angle_deg : float or array_like
        Chevron angle β from the main flow direction, 0 < β < 90 [°]
    plate_enlargement_factor : float or array_like, optional
        Surface enlargement factor Φ (developed / projected area), default
        1.17 [-]

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number on :math:`D_h` [-]

    Notes
    -----
    .. math::
        Nu = (0.2668 - 0.006967\beta + 7.244\times10^{-5}\beta^2)
        (20.7803 - 50.9372\Phi + 41.1585\Phi^2 - 10.1507\Phi^3)
        Re^{0.728 + 0.0543\sin(2\pi\beta/90 + 3.7)}\,Pr^{1/3}

    with the coefficients as corrected in [2]_ (the original prints 10.51
    for 10.1507). Validity [1]_ [2]_: Re ≥ 1000, β = 30–60°, Φ = 1–1.5;
    RangeWarning outside (Re, β). The Reynolds exponent does not depend on
    Re. The factor :math:`(\mu/\mu_w)^{0.14}` is omitted.

    References
    ----------
    .. [1] A. Muley and R. M. Manglik, *J. Heat Transfer* 121(1), 110–117,
       1999. doi:10.1115/1.2825923
    .. [2] B. Palm and J. Claesson, ICMM2005-75092, ASME, 2005.
       doi:10.1115/ICMM2005-75092

    Examples
    --------
    ht's ``Nu_plate_Muley_Manglik(Re=2000, Pr=.7, chevron_angle=45,
    plate_enlargement_factor=1.18)`` gives 36.49087100602062:

    >>> nusselt_plate_muley_manglik(2000.0, 0.7, 45.0, 1.18)
    36.4908710060...
    """
    func = "nusselt_plate_muley_manglik"
    Re = _c.positive(Re, "Re", func)
    Pr = _c.positive(Pr, "Pr", func)
    b = _angle(chevron_angle_deg, func)
    phi = _c.positive(plate_enlargement_factor, "plate_enlargement_factor", func)
    _warn("muley_manglik", Re, b, func)
    _c.warn_range(phi, "plate_enlargement_factor", func, 1.0, 1.5)
    t1 = 0.2668 - 0.006967 * b + 7.244e-5 * b * b
    t2 = 20.7803 - 50.9372 * phi + 41.1585 * phi ** 2 - 10.1507 * phi ** 3
    return _c.out(t1 * t2 * Re ** _mm_exponent(b) * Pr ** (1.0 / 3.0))


def _check_method(method: str, func: str) -> None:
    if method not in PLATE_METHODS:
        raise InputError(f"{func}: unknown method {method!r}; expected one of "
                         f"{list(PLATE_METHODS)}.")


def nusselt_plate(Re: ArrayLike, Pr: ArrayLike, chevron_angle_deg: ArrayLike,
                  method: PlateMethod = "martin_vdi", *,
                  plate_enlargement_factor: ArrayLike = 1.17) -> ArrayLike:
    r"""Nusselt number of a chevron plate channel by the chosen correlation.

    Parameters
    ----------
    Re, Pr : float or array_like
        Channel Reynolds and Prandtl numbers [-]
    chevron_angle_deg : float or array_like
        Chevron angle from the main flow direction [°]
    method : {"martin_vdi", "martin_1999", "muley_manglik"}
        Correlation (:func:`nusselt_plate_martin`,
        :func:`nusselt_plate_muley_manglik`).
    plate_enlargement_factor : float or array_like, optional
        Φ, used by ``"muley_manglik"`` only [-]

    Returns
    -------
    Nu : float or numpy.ndarray
        Nusselt number on :math:`D_h` [-]

    Notes
    -----
    Validity ranges in :data:`PLATE_NUSSELT_METHOD_RANGES`; each method warns
    outside its range. Pattern after fluids' ``friction_factor`` [1]_.

    References
    ----------
    .. [1] C. Bell et al., *fluids*, https://github.com/CalebBell/fluids

    Examples
    --------
    >>> nusselt_plate(2000.0, 0.7, 45.0, "martin_1999")
    30.42760105375...
    """
    func = "nusselt_plate"
    _check_method(method, func)
    if method == "muley_manglik":
        return nusselt_plate_muley_manglik(Re, Pr, chevron_angle_deg, plate_enlargement_factor)
    return nusselt_plate_martin(Re, Pr, chevron_angle_deg, method.split("_", 1)[1])


def nusselt_plate_methods(Re: ArrayLike, chevron_angle_deg: ArrayLike) -> list[str]:
    r"""List the plate correlations whose validity range covers the inputs.

    Parameters
    ----------
    Re : float or array_like
        Channel Reynolds number(s) [-]
    chevron_angle_deg : float or array_like
        Chevron angle(s) [°]

    Returns
    -------
    methods : list of str
        Methods valid for **all** given values, in the order of
        :data:`PLATE_NUSSELT_METHOD_RANGES`.

    Examples
    --------
    >>> nusselt_plate_methods(3000.0, 45.0)
    ['martin_vdi', 'martin_1999', 'muley_manglik']
    >>> nusselt_plate_methods(500.0, 70.0)
    ['martin_vdi', 'martin_1999']
    """
    func = "nusselt_plate_methods"
    Re = _c.positive(Re, "Re", func)
    a = _angle(chevron_angle_deg, func)
    out = []
    for name, (lo, hi, alo, ahi) in PLATE_NUSSELT_METHOD_RANGES.items():
        if (lo is not None and np.any(Re < lo)) or (hi is not None and np.any(Re > hi)):
            continue
        if np.any(a < alo) or np.any(a > ahi):
            continue
        out.append(name)
    return out


def film_exponent_plate(Re: ArrayLike, chevron_angle_deg: ArrayLike,
                        method: PlateMethod = "martin_vdi") -> ArrayLike:
    r"""Local Reynolds exponent :math:`n = \partial\ln Nu/\partial\ln Re` of a plate correlation.

    At fixed properties and geometry :math:`h \propto Nu \propto Re^n
    \propto \dot m^n` near the given Re, which is the film law of
    :func:`narvik_thermal.correlations.hx.ua_off_design`.

    Parameters
    ----------
    Re : float or array_like
        Channel Reynolds number, > 0 [-]
    chevron_angle_deg : float or array_like
        Chevron angle from the main flow direction [°]
    method : {"martin_vdi", "martin_1999", "muley_manglik"}
        Correlation.

    Returns
    -------
    n : float or numpy.ndarray
        Local exponent [-]

    Notes
    -----
    Martin [1]_: :math:`Nu \propto (f_d Re^2)^{0.374}`, so

    .. math::
        n = 0.374\left(2 + \frac{\mathrm d\ln f_d}{\mathrm d\ln Re}\right),\quad
        \frac{\mathrm d\ln f_d}{\mathrm d\ln Re} = -\frac{2}{g}\frac{\mathrm d g}{\mathrm d\ln Re},
        \quad g = f_d^{-1/2}

    differentiated analytically through :math:`f_0(Re)` and :math:`f_1(Re)`
    (each side of Re = 2000). Muley–Manglik [2]_: the exponent of Re itself,
    :math:`0.728 + 0.0543\sin(2\pi\beta/90 + 3.7)`.

    Typical values (Martin VDI): φ = 45°, Re = 1000: 0.685; Re = 3000: 0.726;
    Re = 10⁴: 0.731.

    References
    ----------
    .. [1] H. Martin, in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6.
       doi:10.1007/978-3-540-77877-6_66
    .. [2] A. Muley and R. M. Manglik, *J. Heat Transfer* 121(1), 110–117,
       1999. doi:10.1115/1.2825923

    Examples
    --------
    >>> round(film_exponent_plate(3000.0, 45.0), 4)
    0.726
    >>> round(film_exponent_plate(3000.0, 45.0, "muley_manglik"), 4)
    0.7568
    """
    func = "film_exponent_plate"
    _check_method(method, func)
    Re = _c.positive(Re, "Re", func)
    a = _angle(chevron_angle_deg, func)
    _warn(method, Re, a, func)
    if method == "muley_manglik":
        return _c.out(_mm_exponent(np.broadcast_arrays(Re, a)[1] * 1.0))
    dlnf = _martin(Re, a, method.split("_", 1)[1])[1]
    return _c.out(0.374 * (2.0 + dlnf))


def hot_film_share_plate(k_hot: ArrayLike, k_cold: ArrayLike, Pr_hot: ArrayLike,
                         Pr_cold: ArrayLike, Re_ratio: ArrayLike,
                         exponent: ArrayLike) -> ArrayLike:
    r"""Hot film's share of the two films' resistance of a plate exchanger.

    Parameters
    ----------
    k_hot, k_cold : float or array_like
        Thermal conductivity of each stream [W m⁻¹ K⁻¹]
    Pr_hot, Pr_cold : float or array_like
        Prandtl number of each stream [-]
    Re_ratio : float or array_like
        :math:`Re_h/Re_c`; for the same plates and channel count on both
        sides :math:`(\dot m_h/\mu_h)/(\dot m_c/\mu_c)` [-]
    exponent : float or array_like
        n in :math:`Nu \propto Re^n` (:func:`film_exponent_plate`) [-]

    Returns
    -------
    share : float or numpy.ndarray
        :math:`R_h/(R_h + R_c) = h_c/(h_h + h_c)` [-]

    Notes
    -----
    Both sides of a plate pack have the same channel geometry (:math:`D_h`,
    area), and the plate correlations give :math:`Nu = C(\varphi)\,Re^n Pr^{1/3}`
    locally [1]_ [2]_, so

    .. math::
        \frac{h_h}{h_c} = \frac{k_h}{k_c}\left(\frac{Pr_h}{Pr_c}\right)^{1/3}
        \left(\frac{Re_h}{Re_c}\right)^n

    (viscosity-ratio corrections omitted). Equal streams give 0.5.

    References
    ----------
    .. [1] H. Martin, in *VDI Heat Atlas*, 2nd ed., Springer, 2010, ch. B6.
       doi:10.1007/978-3-540-77877-6_66
    .. [2] A. Muley and R. M. Manglik, *J. Heat Transfer* 121(1), 110–117,
       1999. doi:10.1115/1.2825923

    Examples
    --------
    PG25 (k 0.47, Pr 15) against water (k 0.61, Pr 6) at the same mass flow,
    viscosities 2.0 and 0.85 mPa s: the glycol film carries about 64 %

    >>> round(hot_film_share_plate(0.47, 0.61, 15.0, 6.0, 0.85 / 2.0, 0.72), 3)
    0.639
    >>> hot_film_share_plate(0.6, 0.6, 6.0, 6.0, 1.0, 0.72)
    0.5
    """
    func = "hot_film_share_plate"
    kh = _c.positive(k_hot, "k_hot", func)
    kc = _c.positive(k_cold, "k_cold", func)
    ph = _c.positive(Pr_hot, "Pr_hot", func)
    pc = _c.positive(Pr_cold, "Pr_cold", func)
    rr = _c.positive(Re_ratio, "Re_ratio", func)
    n = _c.positive(exponent, "exponent", func)
    ratio = kh / kc * (ph / pc) ** (1.0 / 3.0) * rr ** n        # h_h / h_c
    return _c.out(1.0 / (1.0 + ratio))


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
