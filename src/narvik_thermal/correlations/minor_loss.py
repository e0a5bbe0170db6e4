r"""Minor (local) losses: loss coefficients, valve flow coefficients and
inherent valve characteristics.

A loss coefficient :math:`K` relates a pressure drop to the dynamic pressure
of a stated reference velocity, :math:`\Delta p = K\rho V^2/2`. Every
function states which velocity its :math:`K` refers to. All inputs are SI
floats or NumPy arrays and broadcast.

Kv convention
-------------
:math:`K_v` is the flow of water in m³/h that passes with a pressure drop of
exactly 1 bar (10⁵ Pa), **with the water density taken as exactly
1000 kg/m³** (IEC 60534-1 / VDI/VDE 2173 use water at 5–40 °C, which is
1000 kg/m³ to within 0.8 %). fluids' ``Kv_to_K`` instead uses 999.297 kg/m³
(water at 60 °F), which makes its constant the round 1.6e9; the two differ by
0.07 %.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from . import _checks as _c
from . import _kernel_modules as kernels

__all__ = [
    "pressure_drop_K", "K_from_Kv", "Kv_from_K", "K_sudden_expansion",
    "K_sudden_contraction", "K_entrance_sharp", "K_exit", "K_bend",
    "valve_Kv", "valve_Kv_coded", "VALVE_CHARACTERISTICS", "KV_WATER_DENSITY", "KV_PRESSURE_DROP",
]

#: Density of water in the Kv definition used here [kg m⁻³].
KV_WATER_DENSITY = 1000.0
#: Pressure drop in the Kv definition [Pa] (1 bar).
KV_PRESSURE_DROP = 1.0e5
# K = _KV_CONST * D^4 / Kv^2 with Kv in m³/h and D in m.
_KV_CONST = 2.0 * KV_PRESSURE_DROP / KV_WATER_DENSITY * (3600.0 * np.pi / 4.0) ** 2


def pressure_drop_K(K: ArrayLike, rho: ArrayLike, V: ArrayLike) -> ArrayLike:
    r"""Pressure drop of a local loss with coefficient K.

    Parameters
    ----------
    K : float or array_like
        Loss coefficient referred to velocity ``V`` [-]
    rho : float or array_like
        Density [kg m⁻³]
    V : float or array_like
        Reference velocity; signed [m s⁻¹]

    Returns
    -------
    dP : float or numpy.ndarray
        Pressure drop in the direction of ``V``, signed like ``V`` [Pa]

    Notes
    -----
    .. math:: \Delta p = K\,\frac{\rho V|V|}{2}

    Incompressible flow; ``K`` independent of the flow direction [1]_.

    References
    ----------
    .. [1] Crane Co., *Flow of Fluids Through Valves, Fittings and Pipe*,
       Technical Paper No. 410M, 2009, Eq. 2-2.

    Examples
    --------
    >>> pressure_drop_K(K=0.5, rho=1000.0, V=2.0)
    1000.0
    """
    func = "pressure_drop_K"
    K = _c.nonnegative(K, "K", func)
    rho = _c.positive(rho, "rho", func)
    V = _c.as_array(V, "V", func)
    return _c.out(0.5 * K * rho * V * np.abs(V))


def K_from_Kv(Kv: ArrayLike, D: ArrayLike) -> ArrayLike:
    r"""Loss coefficient from the metric valve flow coefficient Kv.

    Parameters
    ----------
    Kv : float or array_like
        Flow coefficient: water flow at 1 bar pressure drop, with water of
        exactly 1000 kg/m³ [m³ h⁻¹]
    D : float or array_like
        Diameter whose mean velocity the returned K refers to (normally the
        valve's nominal / connecting pipe inner diameter) [m]

    Returns
    -------
    K : float or numpy.ndarray
        Loss coefficient referred to the velocity in diameter ``D`` [-]

    Notes
    -----
    From :math:`\Delta p_0 = K\rho_0 V^2/2` with :math:`\Delta p_0 = 10^5` Pa,
    :math:`\rho_0 = 1000` kg/m³ and :math:`V = (K_v/3600)/(\pi D^2/4)`:

    .. math::
        K = \frac{2\Delta p_0}{\rho_0}\left(\frac{3600\,\pi}{4}\right)^2
        \frac{D^4}{K_v^2} \approx 1.59885\times10^{9}\,\frac{D^4}{K_v^2}

    Turbulent (Re-independent) flow through the valve [1]_ [2]_. See the
    module docstring for the density convention and its 0.07 % difference
    from fluids.

    References
    ----------
    .. [1] IEC 60534-1:2005, *Industrial-process control valves — Part 1:
       Control valve terminology and general considerations*.
    .. [2] Crane Co., *Flow of Fluids Through Valves, Fittings and Pipe*,
       Technical Paper No. 410M, 2009, Eq. 2-10.

    Examples
    --------
    >>> K_from_Kv(2.312, 0.015)
    15.1427...
    """
    func = "K_from_Kv"
    Kv = _c.positive(Kv, "Kv", func)
    D = _c.positive(D, "D", func)
    return _c.out(_KV_CONST * D ** 4 / (Kv * Kv))


def Kv_from_K(K: ArrayLike, D: ArrayLike) -> ArrayLike:
    r"""Metric valve flow coefficient Kv from a loss coefficient.

    Parameters
    ----------
    K : float or array_like
        Loss coefficient referred to the velocity in diameter ``D`` [-]
    D : float or array_like
        Reference diameter [m]

    Returns
    -------
    Kv : float or numpy.ndarray
        Water flow at 1 bar pressure drop with water of exactly 1000 kg/m³
        [m³ h⁻¹]

    Notes
    -----
    Inverse of :func:`K_from_Kv`:

    .. math::
        K_v = \frac{3600\,\pi}{4} D^2 \sqrt{\frac{2\Delta p_0}{\rho_0 K}}

    References
    ----------
    .. [1] IEC 60534-1:2005, *Industrial-process control valves — Part 1:
       Control valve terminology and general considerations*.

    Examples
    --------
    >>> Kv_from_K(15.142743, 0.015)
    2.3120...
    """
    func = "Kv_from_K"
    K = _c.positive(K, "K", func)
    D = _c.positive(D, "D", func)
    return _c.out(D * D * np.sqrt(_KV_CONST / K))


def _diameter_ratio(D1: ArrayLike, D2: ArrayLike, func: str, *,
                    expansion: bool) -> tuple[np.ndarray, np.ndarray]:
    D1 = _c.positive(D1, "D1", func)
    D2 = _c.positive(D2, "D2", func)
    if expansion and np.any(D2 < D1):
        raise InputError(f"{func}: an expansion needs D2 >= D1 (downstream larger), "
                         f"got D1 = {_c.describe(D1)}, D2 = {_c.describe(D2)}; "
                         f"for D2 < D1 use K_sudden_contraction.")
    if not expansion and np.any(D2 > D1):
        raise InputError(f"{func}: a contraction needs D2 <= D1 (downstream smaller), "
                         f"got D1 = {_c.describe(D1)}, D2 = {_c.describe(D2)}; "
                         f"for D2 > D1 use K_sudden_expansion.")
    return D1, D2


def K_sudden_expansion(D1: ArrayLike, D2: ArrayLike) -> ArrayLike:
    r"""Loss coefficient of a sudden expansion (Borda–Carnot).

    Parameters
    ----------
    D1 : float or array_like
        Upstream (smaller) inner diameter [m]
    D2 : float or array_like
        Downstream (larger) inner diameter [m]

    Returns
    -------
    K : float or numpy.ndarray
        Loss coefficient referred to the **upstream** (smaller-pipe) velocity [-]

    Notes
    -----
    Momentum balance with the upstream pressure acting on the step face [1]_:

    .. math:: K_1 = \left[1 - \left(\frac{D_1}{D_2}\right)^2\right]^2

    Turbulent flow, uniform velocity profiles; exact in that idealisation
    and within a few per cent of experiment. ``D2 = D1`` gives 0 and
    ``D2 → ∞`` gives the exit loss 1.

    References
    ----------
    .. [1] D. C. Rennels and H. M. Hudson, *Pipe Flow: A Practical and
       Comprehensive Guide*, Wiley, 2012, ch. 10. doi:10.1002/9781118275276

    Examples
    --------
    Same as fluids' ``diffuser_sharp(0.5, 1)``:

    >>> K_sudden_expansion(0.5, 1.0)
    0.5625
    """
    func = "K_sudden_expansion"
    D1, D2 = _diameter_ratio(D1, D2, func, expansion=True)
    r = 1.0 - (D1 / D2) ** 2
    return _c.out(r * r)


def K_sudden_contraction(D1: ArrayLike, D2: ArrayLike,
                         method: Literal["crane", "rennels"] = "crane") -> ArrayLike:
    r"""Loss coefficient of a sharp-edged sudden contraction.

    Parameters
    ----------
    D1 : float or array_like
        Upstream (larger) inner diameter [m]
    D2 : float or array_like
        Downstream (smaller) inner diameter [m]
    method : {"crane", "rennels"}, optional
        ``"crane"`` (default): Crane TP-410 [1]_; ``"rennels"``: Rennels &
        Hudson's vena-contracta model [2]_.

    Returns
    -------
    K : float or numpy.ndarray
        Loss coefficient referred to the **downstream** (smaller-pipe)
        velocity [-]

    Notes
    -----
    With :math:`\beta = D_2/D_1`, Crane [1]_:

    .. math:: K_2 = 0.5\,(1-\beta^2)

    Rennels & Hudson [2]_:

    .. math::
        K_2 = 0.0696(1-\beta^5)\lambda^2 + (\lambda-1)^2,\quad
        \lambda = 1 + 0.622(1 - 0.215\beta^2 - 0.785\beta^5)

    Turbulent flow. ``D2 = D1`` gives 0 (Crane) and ``β → 0`` the sharp
    entrance, 0.5 (Crane) or 0.456 (Rennels).

    References
    ----------
    .. [1] Crane Co., *Flow of Fluids Through Valves, Fittings and Pipe*,
       Technical Paper No. 410M, 2009, p. A-26 (sudden contraction, θ = 180°).
    .. [2] D. C. Rennels and H. M. Hudson, *Pipe Flow: A Practical and
       Comprehensive Guide*, Wiley, 2012, ch. 11. doi:10.1002/9781118275276

    Examples
    --------
    fluids' ``contraction_sharp(3.0, 2.0, method='Crane')`` gives 0.2777…:

    >>> K_sudden_contraction(3.0, 2.0)
    0.27777...
    >>> K_sudden_contraction(1.0, 0.4, method="rennels")
    0.5301269161...
    """
    func = "K_sudden_contraction"
    D1, D2 = _diameter_ratio(D1, D2, func, expansion=False)
    beta = D2 / D1
    b2 = beta * beta
    if method == "crane":
        return _c.out(0.5 * (1.0 - b2))
    if method == "rennels":
        b5 = b2 * b2 * beta
        lam = 1.0 + 0.622 * (1.0 - 0.215 * b2 - 0.785 * b5)
        return _c.out(0.0696 * (1.0 - b5) * lam * lam + (lam - 1.0) ** 2)
    raise InputError(f"{func}: unknown method {method!r}; expected 'crane' or 'rennels'.")


def K_entrance_sharp() -> float:
    r"""Loss coefficient of a sharp-edged (flush) pipe entrance from a reservoir.

    Returns
    -------
    K : float
        0.5, referred to the pipe velocity [-]

    Notes
    -----
    .. math:: K = 0.5

    Turbulent flow; the value of Crane TP-410 and Idelchik [1]_ (Rennels
    recommends 0.57).

    References
    ----------
    .. [1] I. E. Idelchik, *Handbook of Hydraulic Resistance*, 3rd ed.,
       Begell House, 1996, diagram 3-1. ISBN 978-1-56700-074-1.

    Examples
    --------
    >>> K_entrance_sharp()
    0.5
    """
    return 0.5


def K_exit() -> float:
    r"""Loss coefficient of a pipe exit into a large reservoir.

    Returns
    -------
    K : float
        1.0, referred to the pipe velocity [-]

    Notes
    -----
    .. math:: K = 1

    The whole kinetic energy of a uniform jet is dissipated (Borda–Carnot with
    :math:`D_2 \to \infty`) [1]_. Measured values are 1.04–1.10 in turbulent
    flow (non-uniform profile) and up to 2 in laminar flow.

    References
    ----------
    .. [1] D. C. Rennels and H. M. Hudson, *Pipe Flow: A Practical and
       Comprehensive Guide*, Wiley, 2012, ch. 9. doi:10.1002/9781118275276

    Examples
    --------
    >>> K_exit()
    1.0
    """
    return 1.0


def K_bend(angle_deg: ArrayLike, bend_radius: ArrayLike, D: ArrayLike,
           fd: ArrayLike) -> ArrayLike:
    r"""Loss coefficient of a smooth rounded pipe bend (Rennels & Hudson).

    Parameters
    ----------
    angle_deg : float or array_like
        Bend angle, 0 < angle ≤ 180 [°]
    bend_radius : float or array_like
        Radius of curvature of the bend centreline [m]
    D : float or array_like
        Inner diameter [m]
    fd : float or array_like
        Darcy friction factor of the pipe at the flow conditions [-]

    Returns
    -------
    K : float or numpy.ndarray
        Loss coefficient referred to the pipe velocity; includes the friction
        of the bend's own length [-]

    Notes
    -----
    With :math:`\alpha` the angle in radians and :math:`r` the bend radius [1]_:

    .. math::
        K = f\alpha\frac{r}{D} + (0.10 + 2.4f)\sin\frac{\alpha}{2}
        + \frac{6.6 f\left(\sqrt{\sin(\alpha/2)} + \sin(\alpha/2)\right)}
        {(r/D)^{4\alpha/\pi}}

    Turbulent flow, long straight pipe downstream. Rennels & Hudson fitted it
    to Ito's smooth-bend data; it is meant for rounded bends with
    :math:`r/D \ge 1`. A RangeWarning is issued for ``r/D < 1``.

    References
    ----------
    .. [1] D. C. Rennels and H. M. Hudson, *Pipe Flow: A Practical and
       Comprehensive Guide*, Wiley, 2012, ch. 15. doi:10.1002/9781118275276

    Examples
    --------
    Same as fluids' ``bend_rounded(Di=4.020, rc=4.0*5, angle=30, fd=0.0163)``:

    >>> K_bend(30.0, 20.0, 4.020, 0.0163)
    0.1068019634...
    """
    func = "K_bend"
    angle = _c.as_array(angle_deg, "angle_deg", func)
    bad = (angle <= 0.0) | (angle > 180.0)
    if np.any(bad):
        raise InputError(f"{func}: argument 'angle_deg' must satisfy 0 < angle_deg <= 180, "
                         f"got {_c.describe(angle[bad])}.")
    r = _c.positive(bend_radius, "bend_radius", func)
    D = _c.positive(D, "D", func)
    fd = _c.positive(fd, "fd", func)
    rD = r / D
    _c.warn_range(rD, "bend_radius/D", func, 1.0, None)
    a = np.radians(angle)
    s = np.sin(0.5 * a)
    K = fd * a * rD + (0.10 + 2.4 * fd) * s + 6.6 * fd * (np.sqrt(s) + s) / rD ** (4.0 * a / np.pi)
    return _c.out(K)


ValveCharacteristic = Literal["linear", "equal_percentage", "quick_opening"]


def valve_Kv(opening: ArrayLike, Kvs: ArrayLike,
             characteristic: ValveCharacteristic = "linear",
             rangeability: ArrayLike = 50.0) -> ArrayLike:
    r"""Flow coefficient of a control valve at a given opening (inherent
    characteristic).

    Parameters
    ----------
    opening : float or array_like
        Relative travel (stem position), 0 = closed end of the control range,
        1 = fully open [-]
    Kvs : float or array_like
        Kv at full opening [m³ h⁻¹]
    characteristic : {"linear", "equal_percentage", "quick_opening"}
        Inherent characteristic.
    rangeability : float or array_like, optional
        Ratio :math:`R = K_{vs}/K_{v0}` of full-open to smallest controllable
        flow coefficient, > 1 [-]

    Returns
    -------
    Kv : float or numpy.ndarray
        Flow coefficient at the given opening [m³ h⁻¹]

    Notes
    -----
    With relative travel :math:`h` and :math:`K_{v0} = K_{vs}/R`, following
    VDI/VDE 2173 [1]_ (characteristics defined as in [2]_):

    .. math::
        \text{linear:}\quad \frac{K_v}{K_{vs}} = \frac1R + \left(1-\frac1R\right)h

    .. math::
        \text{equal percentage:}\quad \frac{K_v}{K_{vs}} = R^{\,h-1}

    .. math::
        \text{quick opening:}\quad \frac{K_v}{K_{vs}} = \frac1R
        + \left(1-\frac1R\right)\sqrt{h}

    All three give :math:`K_{vs}/R` at ``h = 0`` and :math:`K_{vs}` at
    ``h = 1``, so the loss coefficient stays finite: a tight shut-off must be
    modelled by removing the edge, not by ``h = 0``. Inherent characteristic
    (constant pressure drop across the valve); the installed characteristic
    follows from the network solve. Quick opening in the square-root form is a
    common idealisation; real plug shapes vary.

    References
    ----------
    .. [1] VDI/VDE 2173, *Strömungstechnische Kenngrößen von Stellventilen und
       deren Bestimmung*, VDI, 1962.
    .. [2] D. E. Seborg, T. F. Edgar, D. A. Mellichamp and F. J. Doyle III,
       *Process Dynamics and Control*, 4th ed., Wiley, 2016, §9.2.
       ISBN 978-1-119-28591-5.

    Examples
    --------
    Equal-percentage valve, R = 50, half open: :math:`50^{-0.5} = 0.1414`:

    >>> valve_Kv(0.5, 10.0, "equal_percentage")
    1.41421...
    >>> valve_Kv(0.5, 10.0, "linear")
    5.1
    """
    func = "valve_Kv"
    h = _c.in_closed(opening, "opening", func, 0.0, 1.0)
    Kvs = _c.positive(Kvs, "Kvs", func)
    R = _c.as_array(rangeability, "rangeability", func)
    if np.any(R <= 1.0):
        raise InputError(f"{func}: argument 'rangeability' must be > 1, got "
                         f"{_c.describe(R[R <= 1.0])}.")
    if characteristic not in VALVE_CHARACTERISTICS:
        raise InputError(f"{func}: unknown characteristic {characteristic!r}; expected "
                         f"'linear', 'equal_percentage' or 'quick_opening'.")
    code = VALVE_CHARACTERISTICS.index(characteristic)
    return _c.out(valve_Kv_coded(h, Kvs, code, R))


#: Inherent characteristics of :func:`valve_Kv`, in the order of their codes
#: (:class:`narvik_thermal.components.kinds.ValveCharacteristic`).
VALVE_CHARACTERISTICS = ("linear", "equal_percentage", "quick_opening")


def valve_Kv_coded(opening, Kvs, code, rangeability):
    """:func:`valve_Kv` without argument checks, the characteristic given by its code
    (index in :data:`VALVE_CHARACTERISTICS`, an array broadcasting with ``opening``).

    The valve characteristics have one implementation, the compiled
    ``_valve_kernels.valve_kv``: this function, and through it :func:`valve_Kv`,
    call it, and so does the network's valve law
    (:func:`narvik_thermal.components.hydraulics.darcy_constants`).

    Examples
    --------
    >>> float(valve_Kv_coded(0.5, 10.0, 0, 50.0))
    5.1
    """
    from .._numba import broadcast_call
    valve_kv_array = kernels.valve().valve_kv_array

    return broadcast_call(valve_kv_array, opening, Kvs, code, rangeability,
                          dtypes=(float, float, np.int64, float))[()]


# every public function refuses pint Quantities (the solvers' unchecked variant excepted)
_c.refuse_quantities(globals(), unchecked=("valve_Kv_coded",))
