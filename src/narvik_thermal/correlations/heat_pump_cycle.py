"""Vapour-compression cycles on CoolProp refrigerants: one stage, two stages with an
economiser, transcritical CO2.

Split from :mod:`narvik_thermal.correlations.heat_pump` (which re-exports every
name here and holds the COP models built on them); see its references.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning
from . import _checks as _c

__all__ = ["StatePoint", "CycleResult", "vapour_compression_cycle", "TwoStageResult",
           "two_stage_cycle", "optimal_gas_cooler_pressure_liao", "DEFAULT_ISENTROPIC_EFFICIENCY"]

#: Overall isentropic efficiency of the compressor [-]. Industrial screw and
#: reciprocating compressors reach 0.6–0.8 at their design pressure ratio;
#: 0.7 is a mid value [GEK]. With it the cycle reproduces the Drammen plant
#: (R39/R40/R62) within 10 % (tests/test_heat_pump.py).
DEFAULT_ISENTROPIC_EFFICIENCY = 0.7
#: Superheat/subcooling below this [K] is treated as a saturated state: the
#: (p, T) pair does not fix a state on the saturation line.
_SAT_TOL = 0.01
_ZERO_C = 273.15


# ----------------------------------------------------------------- cycle results
@dataclass(frozen=True)
class StatePoint:
    """One refrigerant state of a cycle (SI).

    Attributes
    ----------
    T : float
        Temperature [K].
    p : float
        Pressure [Pa].
    h : float
        Specific enthalpy [J/kg].
    s : float
        Specific entropy [J/(kg K)].
    """

    T: float
    p: float
    h: float
    s: float


@dataclass(frozen=True)
class CycleResult:
    """Result of :func:`vapour_compression_cycle` (per kg of refrigerant, SI).

    Attributes
    ----------
    refrigerant : str
        Fluid name.
    COP_heating, COP_cooling : float
        :math:`q_{cond}/w` and :math:`q_{evap}/w` [-].
    q_evaporator, q_condenser, w_compressor : float
        Specific heat uptake, heat release (condenser or gas cooler) and
        compressor work [J/kg].
    p_evaporation, p_condensation : float
        Low and high pressure [Pa] (high = gas-cooler pressure if transcritical).
    T_evaporation, T_condensation : float
        Saturation temperatures [K]; ``T_condensation`` is NaN for a
        transcritical cycle.
    T_discharge : float
        Compressor discharge temperature [K] (= ``states[1].T``).
    transcritical : bool
        Heat rejection above the critical pressure.
    states : tuple of StatePoint
        1 compressor inlet, 2 discharge, 3 condenser/gas-cooler outlet,
        4 evaporator inlet (after the valve).
    """

    refrigerant: str
    COP_heating: float
    COP_cooling: float
    q_evaporator: float
    q_condenser: float
    w_compressor: float
    p_evaporation: float
    p_condensation: float
    T_evaporation: float
    T_condensation: float
    T_discharge: float
    transcritical: bool
    states: tuple[StatePoint, StatePoint, StatePoint, StatePoint]

    @property
    def pressure_ratio(self) -> float:
        """High over low pressure [-]."""
        return self.p_condensation / self.p_evaporation


def _compressor_inlet(fluid: Any, T_evap: float, p_evap: float,
                      superheat: float) -> tuple[float, float]:
    if superheat > _SAT_TOL:
        T1 = T_evap + superheat
        return fluid.h_pT(p_evap, T1), fluid.s_pT(p_evap, T1)
    return fluid.h_Tq(T_evap, 1.0), fluid.s_Tq(T_evap, 1.0)


def vapour_compression_cycle(
        refrigerant: Any, T_evaporation: float, T_condensation: float | None = None, *,
        isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
        superheat: float = 5.0, subcooling: float = 2.0,
        p_gas_cooler: float | None = None,
        T_gas_cooler_out: float | None = None) -> CycleResult:
    r"""Single-stage vapour-compression heat-pump cycle (subcritical or transcritical).

    Parameters
    ----------
    refrigerant : Refrigerant
        Property object (:func:`narvik_thermal.fluids.refrigerant.refrigerant`).
    T_evaporation : float
        Saturated evaporation temperature [K].
    T_condensation : float, optional
        Saturated condensation temperature [K], below the critical temperature.
        Omit it for a transcritical cycle.
    isentropic_efficiency : float, optional
        Overall compressor isentropic efficiency [-], default 0.7 [GEK]
        (:data:`DEFAULT_ISENTROPIC_EFFICIENCY`).
    superheat : float, optional
        Suction superheat above ``T_evaporation`` [K], default 5 K.
    subcooling : float, optional
        Condensate subcooling below ``T_condensation`` [K], default 2 K
        (ignored for transcritical cycles).
    p_gas_cooler : float, optional
        Transcritical only: gas-cooler pressure [Pa], above the critical
        pressure. If omitted the COP-optimal pressure is found by bounded
        scalar optimisation (compare :func:`optimal_gas_cooler_pressure_liao`).
    T_gas_cooler_out : float, optional
        Transcritical only: refrigerant temperature leaving the gas cooler [K].
        Giving it selects the transcritical cycle.

    Returns
    -------
    CycleResult
        COPs, specific duties [J/kg], pressures and the four state points.

    Raises
    ------
    InputError
        Evaporation above condensation, condensation at or above the critical
        temperature (the message suggests a transcritical R744 cycle or units
        in series), efficiency outside (0, 1], negative superheat/subcooling.
    PropertyError
        A state outside the refrigerant's property range.

    Notes
    -----
    States: 1 compressor suction (:math:`T_{evap} + \Delta T_{sh}`, :math:`p_{evap}`),
    2 discharge, 3 condenser outlet (:math:`T_{cond} - \Delta T_{sc}`, :math:`p_{cond}`)
    or gas-cooler outlet, 4 after isenthalpic expansion.

    .. math::
        h_2 = h_1 + \frac{h(p_{cond}, s_1) - h_1}{\eta_{is}}, \quad h_4 = h_3,

        q_{evap} = h_1 - h_4, \quad q_{cond} = h_2 - h_3, \quad w = h_2 - h_1,

        COP_h = q_{cond}/w, \qquad COP_c = q_{evap}/w = COP_h - 1.

    Energy closes exactly: :math:`q_{cond} = q_{evap} + w`. Pressure drops
    and heat losses are neglected; one compression stage (a two-stage
    plant with intercooling does better at large lifts; see
    :func:`heat_pump_series` for another way to split a lift).

    The transcritical optimum maximises :math:`COP_h(p_{gc})` for a fixed
    gas-cooler outlet temperature over
    :math:`p_{gc} \in [1.01\,p_c, \min(p_{max}, 16\ \mathrm{MPa})]` (bounded
    Brent). Liao et al. [3]_ and Kauf [4]_ give correlations for comparison.

    References
    ----------
    .. [3] S. M. Liao, T. S. Zhao, A. Jakobsen, "A correlation of optimal heat
       rejection pressures in transcritical carbon dioxide cycles", Applied
       Thermal Engineering 20(9), 831–841, 2000. DOI: 10.1016/S1359-4311(99)00070-8
    .. [4] F. Kauf, "Determination of the optimum high pressure for transcritical
       CO2-refrigeration cycles", International Journal of Thermal Sciences
       38(4), 325–330, 1999.

    Examples
    --------
    >>> from narvik_thermal.fluids.refrigerant import refrigerant
    >>> res = vapour_compression_cycle(refrigerant("R717"), 273.15 + 1, 273.15 + 93)
    >>> round(res.COP_heating, 2)
    2.34
    >>> abs(res.q_condenser - res.q_evaporator - res.w_compressor) < 1e-9 * res.q_condenser
    True
    """
    func = "vapour_compression_cycle"
    fluid = refrigerant
    T_e = float(_c.positive_temperature(T_evaporation, "T_evaporation", func))
    eta = float(_c.finite(isentropic_efficiency, "isentropic_efficiency", func))
    if not 0.0 < eta <= 1.0:
        raise InputError(f"{func}: isentropic_efficiency must be in (0, 1], got {eta!r}.")
    sh = _c.nonnegative_scalar(superheat, "superheat", func)
    sc = _c.nonnegative_scalar(subcooling, "subcooling", func)
    name = getattr(fluid, "name", str(fluid))
    Tc = fluid.T_critical
    if T_e >= Tc:
        raise InputError(f"{func}: {name} cannot evaporate at {_c.deg_c(T_e)}: its critical "
                         f"temperature is {_c.deg_c(Tc)}.")
    transcritical = T_gas_cooler_out is not None or p_gas_cooler is not None
    if transcritical and T_condensation is not None:
        raise InputError(f"{func}: give either T_condensation (subcritical) or "
                         "T_gas_cooler_out/p_gas_cooler (transcritical), not both.")
    if not transcritical and T_condensation is None:
        raise InputError(f"{func}: T_condensation is required for a subcritical cycle; "
                         "for a transcritical cycle give T_gas_cooler_out.")

    p_e = fluid.saturation_pressure_T(T_e)
    h1, s1 = _compressor_inlet(fluid, T_e, p_e, sh)
    T1 = T_e + sh

    if not transcritical:
        T_c = float(_c.positive_temperature(T_condensation, "T_condensation", func))
        if T_c >= Tc:
            raise InputError(
                f"{func}: {name} cannot condense at {_c.deg_c(T_c)}: its critical "
                f"temperature is {_c.deg_c(Tc)}. Use a refrigerant with a higher critical "
                f"temperature (e.g. R600a, R1234ze(E) for moderate lifts), a "
                f"transcritical R744 cycle (T_gas_cooler_out=...), or two units in "
                f"series (heat_pump_series).")
        if T_c <= T_e:
            raise InputError(f"{func}: T_condensation ({_c.deg_c(T_c)}) must exceed "
                             f"T_evaporation ({_c.deg_c(T_e)}).")
        if T_c - sc <= fluid.T_min:
            raise InputError(f"{func}: subcooling={sc} K takes the condensate below "
                             f"{name}'s lowest temperature.")
        p_c = fluid.saturation_pressure_T(T_c)
        if sc > _SAT_TOL:
            T3 = T_c - sc
            h3, s3 = fluid.h_pT(p_c, T3), fluid.s_pT(p_c, T3)
        else:
            T3 = T_c
            h3, s3 = fluid.h_Tq(T_c, 0.0), fluid.s_Tq(T_c, 0.0)
        h2s = fluid.h_ps(p_c, s1)
        h2 = h1 + (h2s - h1) / eta
    else:
        T_c = math.nan
        if T_gas_cooler_out is None:
            raise InputError(f"{func}: a transcritical cycle needs T_gas_cooler_out [K].")
        T3 = float(_c.positive_temperature(T_gas_cooler_out, "T_gas_cooler_out", func))
        if T3 <= T_e:
            raise InputError(f"{func}: T_gas_cooler_out ({_c.deg_c(T3)}) must exceed "
                             f"T_evaporation ({_c.deg_c(T_e)}).")
        pc = fluid.p_critical

        def _cop(p_high: float) -> float:
            h3_ = fluid.h_pT(p_high, T3)
            h2_ = h1 + (fluid.h_ps(p_high, s1) - h1) / eta
            return (h2_ - h3_) / (h2_ - h1)

        if p_gas_cooler is None:
            from scipy.optimize import minimize_scalar
            upper = min(fluid.p_max, 16e6)
            opt = minimize_scalar(lambda p: -_cop(p), bounds=(1.01 * pc, upper),
                                  method="bounded", options={"xatol": 100.0})
            p_c = float(opt.x)
        else:
            p_c = float(_c.positive_temperature(p_gas_cooler, "p_gas_cooler", func))
            if p_c <= pc:
                raise InputError(f"{func}: p_gas_cooler={p_c:.6g} Pa is not above {name}'s "
                                 f"critical pressure {pc:.6g} Pa; for subcritical heat "
                                 "rejection give T_condensation instead.")
        h3, s3 = fluid.h_pT(p_c, T3), fluid.s_pT(p_c, T3)
        h2s = fluid.h_ps(p_c, s1)
        h2 = h1 + (h2s - h1) / eta

    h4 = h3
    T2 = fluid.T_ph(p_c, h2)
    s2 = fluid.s_ph(p_c, h2) if hasattr(fluid, "s_ph") else math.nan
    s4 = fluid.s_ph(p_e, h4) if hasattr(fluid, "s_ph") else math.nan
    T4 = fluid.T_ph(p_e, h4)
    w = h2 - h1
    q_evap = h1 - h4
    q_cond = h2 - h3
    if q_evap <= 0 or w <= 0:
        raise InputError(f"{func}: no useful cycle for {name} between {_c.deg_c(T_e)} and "
                         f"the given high side (q_evap={q_evap:.4g} J/kg, w={w:.4g} J/kg).")
    states = (StatePoint(T1, p_e, h1, s1), StatePoint(T2, p_c, h2, s2),
              StatePoint(T3, p_c, h3, s3), StatePoint(T4, p_e, h4, s4))
    return CycleResult(refrigerant=name, COP_heating=q_cond / w, COP_cooling=q_evap / w,
                       q_evaporator=q_evap, q_condenser=q_cond, w_compressor=w,
                       p_evaporation=p_e, p_condensation=p_c, T_evaporation=T_e,
                       T_condensation=T_c, T_discharge=T2, transcritical=transcritical,
                       states=states)


@dataclass(frozen=True)
class TwoStageResult:
    """Result of :func:`two_stage_cycle` (per kg of refrigerant through the evaporator).

    Attributes
    ----------
    refrigerant : str
        Fluid name.
    COP_heating, COP_cooling : float
        Heating and cooling COP [-].
    q_evaporator, q_condenser, w_compressor : float
        Specific duties and total compressor work of both stages [J/kg].
    w_low, w_high : float
        Low- and high-stage work [J/kg].
    mass_ratio : float
        High-stage over low-stage mass flow [-].
    p_evaporation, p_intermediate, p_condensation : float
        Pressures [Pa].
    T_intermediate : float
        Saturation temperature of the flash tank [K].
    T_discharge_low, T_discharge : float
        Discharge temperatures of the low and the high stage [K].
    """

    refrigerant: str
    COP_heating: float
    COP_cooling: float
    q_evaporator: float
    q_condenser: float
    w_compressor: float
    w_low: float
    w_high: float
    mass_ratio: float
    p_evaporation: float
    p_intermediate: float
    p_condensation: float
    T_intermediate: float
    T_discharge_low: float
    T_discharge: float


def two_stage_cycle(refrigerant: Any, T_evaporation: float, T_condensation: float, *,
                    isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                    superheat: float = 5.0, subcooling: float = 2.0,
                    p_intermediate: float | None = None) -> TwoStageResult:
    r"""Two-stage vapour-compression cycle with an open flash intercooler.

    Large ammonia heat pumps for 80–90 °C district heating are two-stage
    (Drammen, narvik-facts §5 [6]_): a single stage would discharge near
    280 °C at a 90 K lift.

    Parameters
    ----------
    refrigerant : Refrigerant
        Property object.
    T_evaporation, T_condensation : float
        Saturation temperatures [K]; condensation below the critical temperature.
    isentropic_efficiency : float, optional
        Of each stage [-], default 0.7 [GEK].
    superheat : float, optional
        Low-stage suction superheat [K], default 5 K.
    subcooling : float, optional
        Condensate subcooling [K], default 2 K. With a gliding sink the
        condensate can be subcooled against the cold sink inlet (tens of K).
    p_intermediate : float, optional
        Flash-tank pressure [Pa]; default the geometric mean
        :math:`\sqrt{p_{evap} p_{cond}}` (equal pressure ratios).

    Returns
    -------
    TwoStageResult

    Notes
    -----
    Low stage 1→2 (:math:`p_e \to p_i`); the discharge bubbles through the
    flash tank, which also receives the throttled condensate 5; saturated
    vapour 3 (:math:`x=1` at :math:`p_i`) feeds the high stage 3→4; saturated
    liquid 7 (:math:`x=0`) is throttled to the evaporator. Per kg of
    low-stage flow the flash-tank balance gives the high-stage flow

    .. math::
        \dot m_H/\dot m_L = \frac{h_2 - h_7}{h_3 - h_5},\qquad
        q_{evap} = h_1 - h_7,\quad q_{cond} = \frac{\dot m_H}{\dot m_L}(h_4 - h_5),

        w = (h_2 - h_1) + \frac{\dot m_H}{\dot m_L}(h_4 - h_3), \qquad
        q_{cond} = q_{evap} + w .

    References
    ----------
    .. [6] Drammen district heating fjord-water heat pump: source 8→4 °C,
       sink 65→90 °C, NH3 two-stage, COP 3.05 (narvik-facts §5, R39, R40, R62).

    Examples
    --------
    >>> from narvik_thermal.fluids.refrigerant import refrigerant
    >>> res = two_stage_cycle(refrigerant("R717"), 273.15 + 1, 273.15 + 93)
    >>> round(res.COP_heating, 2), round(res.T_intermediate - 273.15, 1)
    (2.57, 40.1)
    """
    func = "two_stage_cycle"
    fluid = refrigerant
    # the single-stage cycle validates temperatures, efficiency and superheat
    single = vapour_compression_cycle(fluid, T_evaporation, T_condensation,
                                      isentropic_efficiency=isentropic_efficiency,
                                      superheat=superheat, subcooling=subcooling)
    eta = float(isentropic_efficiency)
    p_e, p_c = single.p_evaporation, single.p_condensation
    if p_intermediate is None:
        p_i = math.sqrt(p_e * p_c)
    else:
        p_i = float(_c.positive_temperature(p_intermediate, "p_intermediate", func))
        if not p_e < p_i < p_c:
            raise InputError(f"{func}: p_intermediate={p_i:.6g} Pa must lie between the "
                             f"evaporation ({p_e:.6g} Pa) and condensation ({p_c:.6g} Pa) "
                             "pressures.")
    T_i = fluid.saturation_temperature_p(p_i)
    h1, s1 = single.states[0].h, single.states[0].s
    h2 = h1 + (fluid.h_ps(p_i, s1) - h1) / eta
    h3, s3 = fluid.h_Tq(T_i, 1.0), fluid.s_Tq(T_i, 1.0)
    h4 = h3 + (fluid.h_ps(p_c, s3) - h3) / eta
    h5 = single.states[2].h
    h7 = fluid.h_Tq(T_i, 0.0)
    ratio = (h2 - h7) / (h3 - h5)
    w_low, w_high = h2 - h1, ratio * (h4 - h3)
    w = w_low + w_high
    q_e = h1 - h7
    q_c = ratio * (h4 - h5)
    return TwoStageResult(refrigerant=single.refrigerant, COP_heating=q_c / w,
                          COP_cooling=q_e / w, q_evaporator=q_e, q_condenser=q_c,
                          w_compressor=w, w_low=w_low, w_high=w_high, mass_ratio=ratio,
                          p_evaporation=p_e, p_intermediate=p_i, p_condensation=p_c,
                          T_intermediate=T_i, T_discharge_low=fluid.T_ph(p_i, h2),
                          T_discharge=fluid.T_ph(p_c, h4))


def optimal_gas_cooler_pressure_liao(T_evaporation: Any, T_gas_cooler_out: Any) -> Any:
    r"""Optimal transcritical CO2 gas-cooler pressure, correlation of Liao et al. [3]_.

    Parameters
    ----------
    T_evaporation : float or array_like
        Evaporation temperature [K].
    T_gas_cooler_out : float or array_like
        Gas-cooler outlet temperature [K].

    Returns
    -------
    float or numpy.ndarray
        Optimal high-side pressure [Pa].

    Notes
    -----
    With :math:`t_e`, :math:`t_c` in °C and :math:`p` in bar,

    .. math:: p_{opt} = (2.778 - 0.0157\,t_e)\,t_c + (0.381\,t_e - 9.34)

    fitted for :math:`-10 \le t_e \le 20` °C and :math:`30 \le t_c \le 60` °C
    (a RangeWarning is issued outside). It assumes a particular compressor
    efficiency model, so it is a comparison for the optimiser in
    :func:`vapour_compression_cycle`, not a replacement. Kauf [4]_ gives the
    simpler :math:`p_{opt} \approx 2.6\,t_{amb} + 7.54` bar.

    References
    ----------
    .. [3] S. M. Liao, T. S. Zhao, A. Jakobsen, "A correlation of optimal heat
       rejection pressures in transcritical carbon dioxide cycles", Applied
       Thermal Engineering 20(9), 831–841, 2000. DOI: 10.1016/S1359-4311(99)00070-8
    .. [4] F. Kauf, "Determination of the optimum high pressure for transcritical
       CO2-refrigeration cycles", International Journal of Thermal Sciences
       38(4), 325–330, 1999.

    Examples
    --------
    >>> round(optimal_gas_cooler_pressure_liao(273.15, 313.15) / 1e5, 1)
    101.8
    """
    import warnings
    t_e = _c.positive_temperature(T_evaporation, "T_evaporation", "optimal_gas_cooler_pressure_liao") - _ZERO_C
    t_c = _c.positive_temperature(T_gas_cooler_out, "T_gas_cooler_out",
                    "optimal_gas_cooler_pressure_liao") - _ZERO_C
    if np.any((t_e < -10) | (t_e > 20) | (t_c < 30) | (t_c > 60)):
        warnings.warn("optimal_gas_cooler_pressure_liao: evaporation "
                      f"{np.ravel(t_e)[0]:.1f} °C / gas-cooler outlet {np.ravel(t_c)[0]:.1f} °C "
                      "outside the fitted range t_e -10..20 °C, t_c 30..60 °C.",
                      RangeWarning, stacklevel=_c.user_stacklevel())
    p_bar = (2.778 - 0.0157 * t_e) * t_c + (0.381 * t_e - 9.34)
    return _c.out(p_bar * 1e5)


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
