r"""Steady heat loss of buried pre-insulated district-heating pipes.

Thermal resistances are per unit pipe length, in m·K/W; heat losses are per
metre of pipe, in W/m; U-values per metre, in W/(m·K). SI floats or NumPy
arrays with broadcasting.

Geometry: ``depth`` is the depth of the **pipe axis** below the ground
surface; ``spacing`` is the centre-to-centre distance of the two pipes of a
pair, laid side by side at the same depth. ``D_steel`` is the outer diameter
of the steel service pipe (inner diameter of the insulation) and
``D_outer_casing`` the outer diameter of the casing. The fluid-film, steel-wall
and thin PE-casing resistances are neglected (they are below 1 % of the total
for pre-insulated pipes); the insulation is taken to fill the whole annulus
between ``D_steel`` and ``D_outer_casing``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c

__all__ = [
    "thermal_resistance_cylinder", "thermal_resistance_soil",
    "buried_pipe_single_heat_loss", "buried_pipe_pair_U",
    "buried_pipe_pair_heat_loss", "BuriedPipePairLoss", "SURFACE_RESISTANCE_EN13941",
]

#: Ground-surface heat-transfer resistance used by EN 13941 [m² K W⁻¹].
SURFACE_RESISTANCE_EN13941 = 0.0685

SoilModel = Literal["line_source", "exact"]


def _R_cyl(Di, Do, k):
    return np.log(Do / Di) / (2.0 * np.pi * k)


def _R_soil(H, D, k, model: str):
    if model == "exact":
        return np.arccosh(2.0 * H / D) / (2.0 * np.pi * k)
    return np.log(4.0 * H / D) / (2.0 * np.pi * k)


def _R_mutual(H, C, k):
    return np.log1p((2.0 * H / C) ** 2) / (4.0 * np.pi * k)


def thermal_resistance_cylinder(D_inner: ArrayLike, D_outer: ArrayLike,
                                k: ArrayLike) -> ArrayLike:
    r"""Conduction resistance of a cylindrical shell per unit length.

    Parameters
    ----------
    D_inner : float or array_like
        Inner diameter of the shell [m]
    D_outer : float or array_like
        Outer diameter of the shell, >= D_inner [m]
    k : float or array_like
        Thermal conductivity of the shell [W m⁻¹ K⁻¹]

    Returns
    -------
    R : float or numpy.ndarray
        Thermal resistance per unit length [m K W⁻¹]

    Notes
    -----
    .. math:: R = \frac{\ln(D_o/D_i)}{2\pi k}

    Steady one-dimensional radial conduction, constant k [1]_.

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Eq. (3.33). ISBN 978-0-470-50197-9.

    Examples
    --------
    PUR foam (k = 0.027) between a 114.3 mm steel pipe and a 225 mm casing:

    >>> thermal_resistance_cylinder(0.1143, 0.225, 0.027)
    3.99227...
    """
    func = "thermal_resistance_cylinder"
    Di = _c.positive(D_inner, "D_inner", func)
    Do = _c.positive(D_outer, "D_outer", func)
    k = _c.positive(k, "k", func)
    if np.any(Do < Di):
        raise InputError(f"{func}: D_outer must be >= D_inner, got D_inner = "
                         f"{_c.describe(Di)}, D_outer = {_c.describe(Do)}.")
    return _c.out(_R_cyl(Di, Do, k))


def _corrected_depth(H, k_soil, surface_resistance, func):
    R0 = _c.nonnegative(surface_resistance, "surface_resistance", func)
    return H + R0 * k_soil


def thermal_resistance_soil(depth: ArrayLike, D_outer: ArrayLike, k_soil: ArrayLike, *,
                            method: SoilModel = "exact",
                            surface_resistance: ArrayLike = 0.0) -> ArrayLike:
    r"""Soil resistance of a single buried cylinder per unit length.

    Parameters
    ----------
    depth : float or array_like
        Depth of the pipe axis below the ground surface, > D_outer/2 [m]
    D_outer : float or array_like
        Outer diameter of the buried cylinder (casing) [m]
    k_soil : float or array_like
        Thermal conductivity of the soil [W m⁻¹ K⁻¹]
    method : {"exact", "line_source"}, optional
        ``"exact"`` (default): isothermal cylinder below an isothermal plane;
        ``"line_source"``: the :math:`\ln(4H/D)` approximation of EN 13941.
    surface_resistance : float or array_like, optional
        Ground-surface heat-transfer resistance :math:`R_0`, added as a
        corrected depth :math:`H + R_0 k_{soil}`; EN 13941 uses 0.0685
        (:data:`SURFACE_RESISTANCE_EN13941`) [m² K W⁻¹]

    Returns
    -------
    R : float or numpy.ndarray
        Soil thermal resistance per unit length, from the casing surface to
        the undisturbed ground-surface temperature [m K W⁻¹]

    Notes
    -----
    Conduction shape factor of a cylinder of diameter :math:`D` with its
    axis at depth :math:`H` in a semi-infinite medium [1]_:

    .. math::
        R = \frac{\cosh^{-1}(2H/D)}{2\pi k_{soil}}
        \approx \frac{\ln(4H/D)}{2\pi k_{soil}}

    The approximation is the line-source (image) result and is within 1 %
    for :math:`H/D > 2` (the error in the numerator is
    :math:`\approx (D/4H)^2`). Homogeneous soil of constant
    conductivity, isothermal ground surface at the undisturbed ground
    temperature (or a surface resistance via a corrected depth [2]_),
    steady state.

    References
    ----------
    .. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
       *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011,
       Table 4.1, case 2. ISBN 978-0-470-50197-9.
    .. [2] EN 13941-1:2019, *District heating pipes — Design and installation
       of thermal insulated bonded single and twin pipe systems for directly
       buried hot water networks — Part 1: Design*, CEN, 2019.

    Examples
    --------
    >>> thermal_resistance_soil(1.0, 0.225, 1.5)
    0.30502...
    >>> thermal_resistance_soil(1.0, 0.225, 1.5, method="line_source")
    0.30535...
    """
    func = "thermal_resistance_soil"
    H = _c.positive(depth, "depth", func)
    D = _c.positive(D_outer, "D_outer", func)
    k = _c.positive(k_soil, "k_soil", func)
    if method not in ("exact", "line_source"):
        raise InputError(f"{func}: unknown method {method!r}; expected 'exact' or "
                         f"'line_source'.")
    if np.any(2.0 * H <= D):
        raise InputError(f"{func}: the pipe must be fully buried, depth > D_outer/2; got "
                         f"depth = {_c.describe(H)}, D_outer = {_c.describe(D)}.")
    Hc = _corrected_depth(H, k, surface_resistance, func)
    return _c.out(_R_soil(Hc, D, k, method))


def buried_pipe_single_heat_loss(T_fluid: ArrayLike, T_ground: ArrayLike,
                                 D_outer_casing: ArrayLike, D_steel: ArrayLike,
                                 k_insulation: ArrayLike, depth: ArrayLike,
                                 k_soil: ArrayLike, *, soil_model: SoilModel = "line_source",
                                 surface_resistance: ArrayLike = 0.0) -> ArrayLike:
    r"""Heat loss per metre of one isolated buried pre-insulated pipe.

    Parameters
    ----------
    T_fluid : float or array_like
        Fluid (steel pipe) temperature [K]
    T_ground : float or array_like
        Undisturbed ground (surface) temperature [K]
    D_outer_casing : float or array_like
        Casing outer diameter [m]
    D_steel : float or array_like
        Steel service pipe outer diameter [m]
    k_insulation : float or array_like
        Insulation conductivity [W m⁻¹ K⁻¹]
    depth : float or array_like
        Depth of the pipe axis [m]
    k_soil : float or array_like
        Soil conductivity [W m⁻¹ K⁻¹]
    soil_model : {"line_source", "exact"}, optional
        Soil resistance form, see :func:`thermal_resistance_soil`.
    surface_resistance : float or array_like, optional
        Ground-surface resistance [m² K W⁻¹]

    Returns
    -------
    q : float or numpy.ndarray
        Heat loss per unit length, positive from fluid to ground [W m⁻¹]

    Notes
    -----
    .. math:: q = \frac{T_f - T_g}{R_i + R_s}

    with :math:`R_i` from :func:`thermal_resistance_cylinder` and
    :math:`R_s` from :func:`thermal_resistance_soil` [1]_.

    References
    ----------
    .. [1] EN 13941-1:2019, *District heating pipes — Design and installation
       of thermal insulated bonded single and twin pipe systems for directly
       buried hot water networks — Part 1: Design*, CEN, 2019.

    Examples
    --------
    >>> buried_pipe_single_heat_loss(353.15, 281.15, 0.225, 0.1143, 0.027, 1.0, 1.5)
    16.7533...
    """
    func = "buried_pipe_single_heat_loss"
    Tf = _c.as_array(T_fluid, "T_fluid", func)
    Tg = _c.as_array(T_ground, "T_ground", func)
    Ri, Rs = _pipe_resistances(D_outer_casing, D_steel, k_insulation, depth, k_soil,
                               soil_model, surface_resistance, func)[:2]
    return _c.out((Tf - Tg) / (Ri + Rs))


def _pipe_resistances(D_outer_casing, D_steel, k_insulation, depth, k_soil, soil_model,
                      surface_resistance, func, spacing=None):
    Dc = _c.positive(D_outer_casing, "D_outer_casing", func)
    Ds = _c.positive(D_steel, "D_steel", func)
    ki = _c.positive(k_insulation, "k_insulation", func)
    H = _c.positive(depth, "depth", func)
    ks = _c.positive(k_soil, "k_soil", func)
    if soil_model not in ("exact", "line_source"):
        raise InputError(f"{func}: unknown soil_model {soil_model!r}; expected "
                         f"'line_source' or 'exact'.")
    if np.any(Ds >= Dc):
        raise InputError(f"{func}: D_steel must be < D_outer_casing, got D_steel = "
                         f"{_c.describe(Ds)}, D_outer_casing = {_c.describe(Dc)}.")
    if np.any(2.0 * H <= Dc):
        raise InputError(f"{func}: the pipe must be fully buried, depth > "
                         f"D_outer_casing/2; got depth = {_c.describe(H)}.")
    Hc = _corrected_depth(H, ks, surface_resistance, func)
    Ri = _R_cyl(Ds, Dc, ki)
    Rs = _R_soil(Hc, Dc, ks, soil_model)
    Rh = None
    if spacing is not None:
        C = _c.positive(spacing, "spacing", func)
        if np.any(C < Dc):
            raise InputError(f"{func}: spacing (centre-to-centre) must be >= "
                             f"D_outer_casing so the casings do not overlap; got "
                             f"spacing = {_c.describe(C)}, D_outer_casing = "
                             f"{_c.describe(Dc)}.")
        Rh = _R_mutual(Hc, C, ks)
    return Ri, Rs, Rh


def buried_pipe_pair_U(D_outer_casing: ArrayLike, D_steel: ArrayLike,
                       k_insulation: ArrayLike, depth: ArrayLike, spacing: ArrayLike,
                       k_soil: ArrayLike, *, soil_model: SoilModel = "line_source",
                       surface_resistance: ArrayLike = 0.0) -> tuple[ArrayLike, ArrayLike]:
    r"""Self and mutual heat-loss coefficients of two equal buried pipes.

    Parameters
    ----------
    D_outer_casing, D_steel, k_insulation, depth, k_soil
        As in :func:`buried_pipe_pair_heat_loss`.
    spacing : float or array_like
        Centre-to-centre distance of the two pipes [m]
    soil_model : {"line_source", "exact"}, optional
        Soil self-resistance form.
    surface_resistance : float or array_like, optional
        Ground-surface resistance [m² K W⁻¹]

    Returns
    -------
    U_self : float or numpy.ndarray
        :math:`U_1` [W m⁻¹ K⁻¹]
    U_mutual : float or numpy.ndarray
        :math:`U_2` [W m⁻¹ K⁻¹]

    Notes
    -----
    With :math:`R = R_i + R_s` and :math:`R_h` as in
    :func:`buried_pipe_pair_heat_loss`:

    .. math::
        U_1 = \frac{R}{R^2 - R_h^2},\qquad U_2 = \frac{R_h}{R^2 - R_h^2}

    so that :math:`q_1 = U_1(T_1-T_g) - U_2(T_2-T_g)` [1]_.

    References
    ----------
    .. [1] EN 13941-1:2019, *District heating pipes — Design and installation
       of thermal insulated bonded single and twin pipe systems for directly
       buried hot water networks — Part 1: Design*, CEN, 2019.

    Examples
    --------
    >>> U1, U2 = buried_pipe_pair_U(0.225, 0.1143, 0.027, 1.0, 0.375, 1.5)
    >>> round(U1, 5), round(U2, 5)
    (0.23309, 0.00973)
    """
    func = "buried_pipe_pair_U"
    Ri, Rs, Rh = _pipe_resistances(D_outer_casing, D_steel, k_insulation, depth, k_soil,
                                   soil_model, surface_resistance, func, spacing)
    R = Ri + Rs
    den = R * R - Rh * Rh
    return _c.out(R / den), _c.out(Rh / den)


class BuriedPipePairLoss(NamedTuple):
    """Result of :func:`buried_pipe_pair_heat_loss` (all per metre of trench)."""

    heat_loss_supply: ArrayLike
    """Heat loss of the supply pipe [W m⁻¹]."""
    heat_loss_return: ArrayLike
    """Heat loss of the return pipe [W m⁻¹]."""
    U_self: ArrayLike
    """Self coefficient U₁ of each pipe [W m⁻¹ K⁻¹]."""
    U_mutual: ArrayLike
    """Mutual (interaction) coefficient U₂ [W m⁻¹ K⁻¹]."""
    R_symmetric: ArrayLike
    """Resistance of the symmetric problem, R + R_h [m K W⁻¹]."""
    R_antisymmetric: ArrayLike
    """Resistance of the antisymmetric problem, R − R_h [m K W⁻¹]."""


def buried_pipe_pair_heat_loss(T_supply: ArrayLike, T_return: ArrayLike,
                               T_ground: ArrayLike, D_outer_casing: ArrayLike,
                               D_steel: ArrayLike, k_insulation: ArrayLike,
                               depth: ArrayLike, spacing: ArrayLike, k_soil: ArrayLike, *,
                               soil_model: SoilModel = "line_source",
                               surface_resistance: ArrayLike = 0.0) -> BuriedPipePairLoss:
    r"""Heat losses of a supply/return pair of single pre-insulated pipes in
    one trench, with their thermal interaction (Wallentén / EN 13941).

    Parameters
    ----------
    T_supply : float or array_like
        Supply fluid temperature [K]
    T_return : float or array_like
        Return fluid temperature [K]
    T_ground : float or array_like
        Undisturbed ground (surface) temperature [K]
    D_outer_casing : float or array_like
        Casing outer diameter, equal for both pipes [m]
    D_steel : float or array_like
        Steel service-pipe outer diameter, equal for both pipes [m]
    k_insulation : float or array_like
        Insulation conductivity [W m⁻¹ K⁻¹]
    depth : float or array_like
        Depth of the pipe axes below the surface [m]
    spacing : float or array_like
        Centre-to-centre distance of the two pipes, >= D_outer_casing [m]
    k_soil : float or array_like
        Soil conductivity [W m⁻¹ K⁻¹]
    soil_model : {"line_source", "exact"}, optional
        Self soil resistance: ``"line_source"`` :math:`\ln(4H/D)` (EN 13941,
        default) or ``"exact"`` :math:`\cosh^{-1}(2H/D)`.
    surface_resistance : float or array_like, optional
        Ground-surface resistance :math:`R_0`, applied as a corrected depth
        :math:`H + R_0 k_{soil}`; EN 13941 uses 0.0685 [m² K W⁻¹]

    Returns
    -------
    BuriedPipePairLoss
        ``(heat_loss_supply, heat_loss_return, U_self, U_mutual,
        R_symmetric, R_antisymmetric)`` in W/m, W/(m·K) and m·K/W.

    Notes
    -----
    Each pipe is a line source of strength :math:`q_j` with its image above
    the surface (zero-order multipole). With :math:`\theta_j = T_j - T_g`,

    .. math::
        R_i = \frac{\ln(D_c/D_s)}{2\pi k_i},\quad
        R_s = \frac{\ln(4H/D_c)}{2\pi k_s},\quad
        R_h = \frac{\ln\left[1 + (2H/C)^2\right]}{4\pi k_s}

    .. math::
        \theta_1 = (R_i + R_s)\,q_1 + R_h\,q_2,\qquad
        \theta_2 = (R_i + R_s)\,q_2 + R_h\,q_1

    Split into a symmetric and an antisymmetric problem [1]_ [2]_:

    .. math::
        q_{1,2} = \frac{\theta_s}{R + R_h} \pm \frac{\theta_a}{R - R_h},\quad
        \theta_s = \frac{\theta_1+\theta_2}{2},\ \theta_a = \frac{\theta_1-\theta_2}{2},
        \ R = R_i + R_s

    equivalently :math:`q_1 = U_1\theta_1 - U_2\theta_2` with
    :math:`U_1 = R/(R^2-R_h^2)`, :math:`U_2 = R_h/(R^2-R_h^2)` (EN 13941).
    A negative return loss means the return pipe gains heat from the supply
    pipe. Assumptions: steady state, homogeneous soil, two equal pipes at the
    same depth, each pipe's own casing surface taken as isothermal and the
    neighbour's insulation ignored in the soil field (valid for
    :math:`k_i \ll k_s` and :math:`C \gtrsim 2 D_c`; Wallentén's higher-order
    multipole terms are omitted), fluid-film and steel resistances neglected.

    References
    ----------
    .. [1] P. Wallentén, *Steady-state heat loss from insulated pipes*,
       Licentiate thesis, Report TVBH-3017, Dept. of Building Physics, Lund
       Institute of Technology, Lund, 1991.
    .. [2] B. Bøhm, "On transient heat losses from buried district heating
       pipes", *Int. J. Energy Research* 24(15), 1311–1334, 2000.
       doi:10.1002/1099-114X(200012)24:15<1311::AID-ER648>3.0.CO;2-Q
    .. [3] EN 13941-1:2019, *District heating pipes — Design and installation
       of thermal insulated bonded single and twin pipe systems for directly
       buried hot water networks — Part 1: Design*, CEN, 2019.

    Examples
    --------
    DN100 series-1 pipes, 80/45 °C, ground 8 °C, 1 m deep, 150 mm apart
    between casings:

    >>> r = buried_pipe_pair_heat_loss(353.15, 318.15, 281.15, 0.225, 0.1143,
    ...                                0.027, 1.0, 0.375, 1.5)
    >>> round(r.heat_loss_supply, 3), round(r.heat_loss_return, 3)
    (16.423, 7.924)
    """
    func = "buried_pipe_pair_heat_loss"
    Ts = _c.as_array(T_supply, "T_supply", func)
    Tr = _c.as_array(T_return, "T_return", func)
    Tg = _c.as_array(T_ground, "T_ground", func)
    Ri, Rs, Rh = _pipe_resistances(D_outer_casing, D_steel, k_insulation, depth, k_soil,
                                   soil_model, surface_resistance, func, spacing)
    R = Ri + Rs
    th1, th2 = Ts - Tg, Tr - Tg
    th_s, th_a = 0.5 * (th1 + th2), 0.5 * (th1 - th2)
    R_sym, R_anti = R + Rh, R - Rh
    q1 = th_s / R_sym + th_a / R_anti
    q2 = th_s / R_sym - th_a / R_anti
    den = R * R - Rh * Rh
    return BuriedPipePairLoss(_c.out(q1), _c.out(q2), _c.out(R / den), _c.out(Rh / den),
                              _c.out(R_sym), _c.out(R_anti))


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
