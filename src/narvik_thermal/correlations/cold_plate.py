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

import numpy as np

__all__ = [
    "thermal_resistance_flow",
    "chip_temperature",
    "power_law_pressure_drop",
]


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
    from . import _cold_plate_kernels as _kernels

    V, dp_rated, V_rated, exponent = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (V, dp_rated, V_rated, exponent)))
    dp, d = _kernels.power_law_array(*(np.ascontiguousarray(x).ravel()
                                       for x in (V, dp_rated, V_rated, exponent)))
    return dp.reshape(V.shape), d.reshape(V.shape)
