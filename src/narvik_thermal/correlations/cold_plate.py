"""Cold-plate correlations: chip-to-coolant thermal resistance and pressure drop.

Pure functions in SI units over NumPy arrays (no pint, no CoolProp).

The case (or junction) temperature of a liquid-cooled chip is referred to the
coolant *entering* the cold plate, as cold-plate datasheets and the OCP
guidelines quote the resistance [3]_ [4]_:

.. math:: T_\\mathrm{case} = T_\\mathrm{inlet} + \\dot Q\\, R(\\dot V)

where the resistance splits into a conduction part (lid, thermal interface,
cold-plate base), independent of flow, and a part that falls with flow as
:math:`\\dot V^{-n}`: the convective film (``n`` ≈ 0.5 for laminar developing
flow in micro-channels, ≈ 0.8 for turbulent flow, after the Nusselt–Reynolds
scaling :math:`\\mathrm{Nu} \\propto \\mathrm{Re}^n` of internal convection,
Incropera et al. [1]_) and, because the reference is the inlet, the coolant's
own warming along the plate, :math:`1/(2\\dot m c_p) \\propto \\dot V^{-1}`
(a resistance referred to the mean coolant temperature is smaller by that
term). Design targets for GB200-class cold plates — below 0.03 K/W chip to
coolant and at most 20 kPa pressure drop — are given in [2]_.

A measured curve R(V) from a datasheet is reduced to the same three
parameters by least squares (:func:`fit_thermal_resistance_curve`), so a
curve and a rated point feed one law, :func:`thermal_resistance_flow`.

References
----------
.. [1] Incropera, F. P., DeWitt, D. P., Bergman, T. L., Lavine, A. S.,
   *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley, 2007, ch. 8
   (Nu–Re scaling of internal convection).
.. [2] GB200 cold-plate design targets: chip-to-coolant resistance below
   0.03 K/W, cold-plate pressure drop at most 20 kPa (narvik-facts R22);
   0.04 K/W worked example (R23).
.. [3] Chen, C., Trieu, D., Shah, T., Guo, A., Cheng, J., Chapman, C., Kang, S.,
   Dagan, E., Dinstag, A., Yao, J., *OCP OAI System Liquid Cooling Guidelines*,
   Open Compute Project, March 2023, Figs. 7–8 (case-to-inlet resistance of a
   1 kW OAM cold plate against flow, PG25 and water),
   https://www.opencompute.org/documents/oai-system-liquid-cooling-guidelines-in-ocp-template-mar-3-2023-update-pdf
.. [4] Boyd Corporation, "Selecting a Liquid Cold Plate Technology", 2020
   (normalised resistance from the maximum surface and the fluid inlet
   temperature), https://www.boydcorp.com/blog/selecting-a-cold-plate-technology-and-performance-comparison.html
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import InputError
from . import _kernel_modules as kernels
from . import _checks as _c

__all__ = [
    "thermal_resistance_flow",
    "chip_temperature",
    "fit_thermal_resistance_curve",
    "ResistanceCurveFit",
    "CURVE_EXPONENT_BOUNDS",
    "power_law_pressure_drop",
    "power_law_flow",
]

#: Range searched for the exponent n of a fitted curve, R = R_cond + R_conv V^-n
#: [-]: 0.1 (nearly flow-independent) to 3 (steeper than any single-phase law;
#: an inlet-referred resistance of a laminar plate falls about as V^-1, its
#: caloric part 1/(2 m cp) exactly so).
CURVE_EXPONENT_BOUNDS = (0.1, 3.0)


def thermal_resistance_flow(V, R_conduction, R_convection_rated, V_rated, exponent=0.8):
    r"""Chip-to-coolant thermal resistance as a function of coolant flow.

    Parameters
    ----------
    V : array_like
        Coolant volume flow through one cold plate [m³ s⁻¹]; the magnitude is used.
    R_conduction : array_like
        Flow-independent part (lid, TIM, base) [K W⁻¹].
    R_convection_rated : array_like
        Convective part at the rated flow [K W⁻¹].
    V_rated : array_like
        Rated volume flow [m³ s⁻¹].
    exponent : array_like, optional
        Exponent ``n`` of the convective part, :math:`R_{conv} \propto V^{-n}` [-].

    Returns
    -------
    numpy.ndarray
        Thermal resistance [K W⁻¹]; ``inf`` at zero flow (a chip with no
        coolant flow has no steady state).

    Notes
    -----
    .. math:: R(V) = R_\mathrm{cond} + R_\mathrm{conv,rated}\,(V_\mathrm{rated}/|V|)^n

    Low flow heats the chip, as in reality. Valid while the flow regime does
    not change between ``V`` and ``V_rated`` (the exponent is one number).

    Examples
    --------
    >>> float(thermal_resistance_flow(2.0, 0.01, 0.015, 2.0))
    0.025
    >>> round(float(thermal_resistance_flow(1.0, 0.01, 0.015, 2.0, 0.8)), 5)
    0.03611
    """
    V = np.abs(np.asarray(V, dtype=float))
    with np.errstate(divide="ignore"):
        ratio = np.where(V > 0.0, np.asarray(V_rated, dtype=float) / np.where(V > 0, V, 1.0), np.inf)
    return R_conduction + R_convection_rated * ratio ** exponent


def chip_temperature(T_inlet, heat, resistance):
    r"""Chip (case) temperature from the coolant temperature at the cold-plate inlet.

    The one implementation of the chip law: the network's results, the
    feasibility checks and the plant builders all call it.

    Parameters
    ----------
    T_inlet : array_like
        Coolant temperature entering the cold plate [K].
    heat : array_like
        Heat from the chip into the coolant [W].
    resistance : array_like
        Case-to-inlet thermal resistance [K W⁻¹], as datasheets quote it.

    Returns
    -------
    numpy.ndarray
        Chip (case) temperature [K].

    Notes
    -----
    .. math:: T_\mathrm{case} = T_\mathrm{inlet} + \dot Q R

    The resistance is referred to the inlet (the datasheet and OCP
    convention, references 3 and 4 of this module), so it contains the coolant's own warming along the
    plate: a resistance referred to the mean coolant temperature is smaller by
    :math:`1/(2\dot m c_p)`.

    Examples
    --------
    A B300 (1,400 W) on a 0.025 K/W plate fed at 25 °C:

    >>> round(float(chip_temperature(298.15, 1400.0, 0.025)), 2)
    333.15
    """
    return np.asarray(T_inlet, dtype=float) + np.asarray(heat, dtype=float) * resistance


class ResistanceCurveFit(NamedTuple):
    """Result of :func:`fit_thermal_resistance_curve`.

    Attributes
    ----------
    R_conduction : float
        Flow-independent part [K W⁻¹] (the limit at high flow).
    R_convection_rated : numpy.ndarray or float
        Flow-dependent part at each ``V_rated`` [K W⁻¹].
    exponent : float
        Exponent ``n`` of the flow-dependent part [-].
    max_deviation : float
        Largest relative deviation of the fitted law from the given points,
        :math:`\\max_i |R_\\mathrm{fit}(V_i)/R_i - 1|` [-].
    """

    R_conduction: float
    R_convection_rated: "np.ndarray | float"
    exponent: float
    max_deviation: float


def fit_thermal_resistance_curve(V, R, V_rated) -> ResistanceCurveFit:
    r"""Fit the cold-plate law :func:`thermal_resistance_flow` to a measured R(V) curve.

    Parameters
    ----------
    V : array_like
        Flows of the curve points, strictly increasing, > 0 [m³ s⁻¹] (or
        kg s⁻¹: any basis, the same as ``V_rated``).
    R : array_like
        Case-to-inlet resistance at those flows [K W⁻¹], > 0, not rising
        with flow.
    V_rated : array_like
        Flow(s) at which to express the flow-dependent part, in the basis of
        ``V`` [m³ s⁻¹].

    Returns
    -------
    ResistanceCurveFit

    Raises
    ------
    InputError
        Fewer than three points, unequal lengths, flows not positive and
        strictly increasing, resistances not positive and finite, or a
        resistance that rises with flow.

    Notes
    -----
    The law :math:`R(V) = R_\mathrm{cond} + C\,V^{-n}` with
    :math:`R_\mathrm{cond}, C \ge 0` and :math:`n` in
    :data:`CURVE_EXPONENT_BOUNDS` is fitted by least squares on the relative
    residuals :math:`R_\mathrm{fit}(V_i)/R_i - 1` (every point weighs the same
    in per cent, whatever its size). For a fixed ``n`` the law is linear in
    :math:`R_\mathrm{cond}` and :math:`C`, solved by non-negative least
    squares; ``n`` is found by a grid over its range refined by Brent's
    bounded method (variable projection). The result is deterministic.

    A fitted law rather than an interpolant: it is monotone and smooth by
    construction, it does not follow the digitising noise of a datasheet
    figure, it extends beyond the points by a stated physical law (the power
    law :math:`V^{-n}` below the first point; towards the conduction limit
    :math:`R_\mathrm{cond}` above the last), and it needs no per-plate table at
    solve time — a curve and a rated point feed the same three parameters.
    The price is a deviation from the points, returned as ``max_deviation``:
    2.5 % on the OCP PG25 curve of a 1 kW OAM plate (14 points,
    0.4–2.4 L/min), 0.12 % on its water curve (4 points, 2–5 L/min).

    Examples
    --------
    A curve that follows the law exactly is recovered:

    >>> V = np.array([1.0, 2.0, 4.0]) / 60e3                 # L/min -> m³/s
    >>> R = 0.015 + 0.005 * (V / V[1]) ** -1.0
    >>> f = fit_thermal_resistance_curve(V, R, V[1])
    >>> round(f.R_conduction, 6), round(float(f.R_convection_rated), 6), round(f.exponent, 4)
    (0.015, 0.005, 1.0)
    """
    from scipy.optimize import minimize_scalar, nnls

    V = np.asarray(V, dtype=float).ravel()
    R = np.asarray(R, dtype=float).ravel()
    if V.size != R.size:
        raise InputError(f"thermal_resistance curve: {V.size} flows and {R.size} resistances; "
                         "give one resistance per flow.")
    if V.size < 3:
        raise InputError(f"thermal_resistance curve: {V.size} point(s); a curve needs at least "
                         "3 (flow, resistance) points — or give one rated resistance with "
                         "convective_fraction and resistance_exponent.")
    if not (np.all(np.isfinite(V)) and np.all(V > 0) and np.all(np.diff(V) > 0)):
        raise InputError(f"thermal_resistance curve: the flows must be positive and strictly "
                         f"increasing, got {V.tolist()} (SI).")
    if not (np.all(np.isfinite(R)) and np.all(R > 0)):
        raise InputError(f"thermal_resistance curve: the resistances must be positive and "
                         f"finite, got {R.tolist()} K/W.")
    rise = np.flatnonzero(np.diff(R) > 0)
    if rise.size:
        k = int(rise[0])
        raise InputError(f"thermal_resistance curve: the resistance rises with flow from "
                         f"{R[k]:.6g} to {R[k + 1]:.6g} K/W (points {k} and {k + 1}); a cold "
                         "plate's resistance does not rise with flow — check the order of "
                         "the points.")
    V_ref = float(np.exp(np.mean(np.log(V))))   # conditioning: the curve's middle flow
    ones = np.ones(V.size)

    def solve(n: float):
        A = np.column_stack([1.0 / R, (V_ref / V) ** n / R])
        x, res = nnls(A, ones)
        return x, res

    lo, hi = CURVE_EXPONENT_BOUNDS
    grid = np.linspace(lo, hi, 59)
    cost = np.array([solve(n)[1] for n in grid])
    k = int(np.argmin(cost))
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    opt = minimize_scalar(lambda n: solve(n)[1], bounds=(a, b), method="bounded",
                          options={"xatol": 1e-10})
    n = float(opt.x) if opt.fun <= cost[k] else float(grid[k])
    (r_cond, c_ref), _ = solve(n)
    fit = r_cond + c_ref * (V_ref / V) ** n
    Vr = np.asarray(V_rated, dtype=float)
    r_conv = c_ref * (V_ref / Vr) ** n
    return ResistanceCurveFit(float(r_cond), r_conv if r_conv.ndim else float(r_conv), n,
                              float(np.max(np.abs(fit / R - 1.0))))


def power_law_pressure_drop(V, dp_rated, V_rated, exponent=2.0):
    r"""Pressure drop that scales as a power of flow through a rated point.

    Used for cold plates, heat-exchanger passages and any component specified
    by a rated pressure drop at a rated flow.

    Parameters
    ----------
    V : array_like
        Volume flow, signed [m³ s⁻¹].
    dp_rated : array_like
        Pressure drop at the rated flow [Pa].
    V_rated : array_like
        Rated volume flow [m³ s⁻¹], > 0.
    exponent : array_like, optional
        Exponent ``n`` (2 for fully turbulent, 1 for laminar) [-].

    Returns
    -------
    dp : numpy.ndarray
        Pressure drop in the direction of flow (signed like ``V``) [Pa].
    ddp_dV : numpy.ndarray
        Derivative d(dp)/dV [Pa s m⁻³] (zero at ``V = 0`` when ``n > 1``;
        the network solver floors it).

    Notes
    -----
    .. math:: \Delta p = \Delta p_r\, \mathrm{sign}(V)\, |V/V_r|^n

    Examples
    --------
    >>> dp, _ = power_law_pressure_drop(2.0, 20e3, 2.0)
    >>> float(dp)
    20000.0
    >>> dp, d = power_law_pressure_drop(-1.0, 20e3, 2.0, 2.0)
    >>> float(dp), float(d)
    (-5000.0, 10000.0)
    """
    from .._numba import broadcast_call
    power_law_array = kernels.cold_plate().power_law_array

    return broadcast_call(power_law_array, V, dp_rated, V_rated, exponent)


def power_law_flow(dp, dp_rated, V_rated, exponent=2.0):
    r"""Volume flow at a pressure drop: the inverse of :func:`power_law_pressure_drop`.

    Parameters
    ----------
    dp : array_like
        Pressure drop in the direction of flow, signed [Pa].
    dp_rated, V_rated, exponent : array_like
        As in :func:`power_law_pressure_drop` (``dp_rated > 0``, ``V_rated > 0``,
        ``exponent > 0``).

    Returns
    -------
    numpy.ndarray
        Volume flow, signed like ``dp`` [m³ s⁻¹].

    Notes
    -----
    .. math:: V = V_r\, \mathrm{sign}(\Delta p)\, |\Delta p/\Delta p_r|^{1/n}

    Examples
    --------
    >>> float(power_law_flow(5000.0, 20e3, 2.0))
    1.0
    >>> float(power_law_flow(-20e3, 20e3, 2.0, 1.8))
    -2.0
    """
    from .._numba import broadcast_call
    power_law_inverse_array = kernels.cold_plate().power_law_inverse_array

    return broadcast_call(power_law_inverse_array, dp, dp_rated, V_rated, exponent)[()]


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
