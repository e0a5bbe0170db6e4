r"""Evaporative (wet) cooling towers: Merkel's demand integral and Braun's ε-NTU model.

Two models of a counterflow mechanical-draught tower, both in terms of the
enthalpy of moist air (Merkel's enthalpy potential, Lewis factor 1):

- :func:`merkel_number` — Merkel's "tower demand"
  :math:`Me = KaV/L = \int c_{p,w}\,dT_w/(h_s - h_a)` by the four-point
  Chebyshev rule of CTI ATC-105 and the ASHRAE Handbook [1]_ [2]_ (or
  Gauss–Legendre quadrature);
- :func:`cooling_tower_braun` — the ε-NTU model of Braun, Klein & Mitchell
  [3]_ with the effective saturation specific heat :math:`c_s`, which is what
  building and plant simulation use (TRNSYS, EnergyPlus's Merkel towers [5]_),
  with the outlet humidity and hence the evaporation from Braun's
  "effective saturated air" state.

Moist-air properties are not computed here. The functions take the
saturated-air enthalpy :math:`h_s(T)` [J per kg dry air] and saturated
humidity ratio :math:`W_s(T)` as vectorised **callables**, at the tower's
pressure, and the inlet air as its enthalpy and humidity ratio (same
reference state; e.g. all from CoolProp's ``HAPropsSI`` through
:mod:`narvik_thermal.fluids`). The tests use ``HAPropsSI`` directly.

Unit-model interface (SI floats or arrays, no pint): :func:`cooling_tower_design`
sizes a tower (its NTU) from a design point and returns a frozen
:class:`CoolingTowerDesign`; :func:`cooling_tower_operate` gives outlet water,
heat, fan power and water use per operating point;
:func:`cooling_tower_fan_speed` finds the fan speed holding a set-point.
Water use follows the mass balance make-up = evaporation + blow-down + drift
with the cycles of concentration (Eurovent 9/13 [6]_); the rule of thumb
:func:`evaporation_rule_of_thumb` is a check.

References
----------
.. [1] Cooling Technology Institute, *ATC-105: Acceptance Test Code for Water
   Cooling Towers*, CTI, Houston, 2000 (Chebyshev four-point integration).
.. [2] ASHRAE, *ASHRAE Handbook — HVAC Systems and Equipment*, ch. 40
   "Cooling towers", ASHRAE, Atlanta, 2020.
.. [3] J. E. Braun, S. A. Klein and J. W. Mitchell, "Effectiveness models for
   cooling towers and cooling coils", *ASHRAE Transactions* 95(2), 164–174,
   1989.
.. [4] D. R. Baker and H. A. Shryock, "A comprehensive approach to the
   analysis of cooling tower performance", *J. Heat Transfer* 83(3),
   339–349, 1961. doi:10.1115/1.3682276
.. [5] U.S. DOE, *EnergyPlus Engineering Reference*, "Cooling towers and
   evaporative fluid coolers".
.. [6] Eurovent, *Recommendation 9/13 — Evaporative cooling equipment: how to
   evaluate and minimise the water consumption*, Eurovent, Brussels, 2019.
.. [7] D. G. Kröger, *Air-cooled Heat Exchangers and Cooling Towers*, Vol. 1,
   PennWell, Tulsa, 2004, ch. 4.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple, get_args

import numpy as np

from ..errors import InputError
from . import _checks as _c
from ._roots import bracketed_root

__all__ = [
    "MerkelMethod", "MERKEL_METHODS", "merkel_number", "cooling_tower_effectiveness_braun",
    "BraunResult", "cooling_tower_braun", "WaterUse", "cooling_tower_water_use",
    "evaporation_rule_of_thumb", "TabulatedProperty", "saturated_air_table",
    "DEFAULT_LG_EXPONENT", "DEFAULT_CYCLES_OF_CONCENTRATION", "CP_WATER", "T_REF",
]

Callable1 = Callable[[np.ndarray], np.ndarray]
MerkelMethod = Literal["chebyshev", "gauss_legendre"]
#: Quadratures of :func:`merkel_number`.
MERKEL_METHODS: tuple[str, ...] = get_args(MerkelMethod)

#: Specific heat of liquid water [J kg⁻¹ K⁻¹] (IAPWS-95 near 20–40 °C).
CP_WATER = 4180.0
#: Reference temperature of liquid-water enthalpy, matching moist-air
#: enthalpies referred to 0 °C (ASHRAE, CoolProp HAPropsSI) [K].
T_REF = 273.15
#: Exponent n of the fill characteristic Me = c (L/G)^n [-]. CTI and the
#: ASHRAE Handbook give n between about -0.35 and -1.1 for common fills, -0.6
#: a typical value [GEK; Braun et al. 1989 fit towers with n of this order].
DEFAULT_LG_EXPONENT = -0.6
#: Cycles of concentration of the recirculating water [-]: 3–6 with treated
#: make-up water [GEK]; the mass balance is Eurovent 9/13's.
DEFAULT_CYCLES_OF_CONCENTRATION = 4.0

_CHEBYSHEV_X = np.array([0.1, 0.4, 0.6, 0.9])
_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)


def _check_callable(f: Any, name: str, func: str) -> None:
    if not callable(f):
        raise InputError(f"{func}: {name} must be a vectorised callable T [K] -> value "
                         f"(e.g. built on narvik_thermal.fluids' humid air or CoolProp "
                         f"HAPropsSI at the tower's pressure), got {f!r}.")


# ------------------------------------------------------------------- Merkel demand
def merkel_number(T_water_in: Any, T_water_out: Any, h_air_in: Any, water_air_ratio: Any,
                  saturated_enthalpy: Callable1, *, cp_water: float = CP_WATER,
                  method: MerkelMethod = "chebyshev") -> Any:
    r"""Merkel number (tower demand :math:`KaV/L`) of a counterflow cooling duty.

    Parameters
    ----------
    T_water_in, T_water_out : float or array_like
        Hot and cold water temperatures [K], ``T_water_in > T_water_out``.
    h_air_in : float or array_like
        Enthalpy of the entering air per kg dry air [J kg⁻¹]
    water_air_ratio : float or array_like
        :math:`L/G`, water over dry-air mass flow, > 0 [-]
    saturated_enthalpy : callable
        :math:`h_s(T)`, enthalpy of saturated air per kg dry air [J kg⁻¹],
        vectorised over arrays of T [K]; same reference as ``h_air_in``.
    cp_water : float, optional
        Specific heat of water [J kg⁻¹ K⁻¹], default 4180.
    method : {"chebyshev", "gauss_legendre"}
        ``"chebyshev"``: CTI/ASHRAE four-point rule [1]_ [2]_ at 0.1, 0.4,
        0.6 and 0.9 of the range; ``"gauss_legendre"``: 24-point Gauss
        quadrature (the integral to round-off for smooth :math:`h_s`).

    Returns
    -------
    float or numpy.ndarray
        :math:`Me = KaV/L` [-]

    Raises
    ------
    InputError
        If the air operating line reaches saturation (:math:`h_a \ge h_s`)
        inside the range: the duty needs more air (lower L/G).

    Notes
    -----
    Merkel's equation (Lewis factor 1, evaporated water neglected in the
    water balance, saturated interface at the bulk water temperature) [4]_ [7]_:

    .. math::
        Me = \frac{KaV}{L} = \int_{T_{w,o}}^{T_{w,i}} \frac{c_{p,w}\,dT}{h_s(T) - h_a(T)},
        \qquad h_a(T) = h_{a,i} + \frac{L}{G}c_{p,w}(T - T_{w,o})

    and the Chebyshev rule
    :math:`Me \approx c_{p,w}\,\Delta T/4\,\sum_{k=1}^{4} 1/(h_s - h_a)_k`
    at :math:`T_{w,o} + x_k\Delta T`, :math:`x_k = 0.1, 0.4, 0.6, 0.9`.

    References
    ----------
    .. [1] Cooling Technology Institute, *ATC-105*, CTI, 2000.
    .. [2] ASHRAE, *HVAC Systems and Equipment*, ch. 40, 2020.
    .. [4] D. R. Baker and H. A. Shryock, *J. Heat Transfer* 83(3), 339–349,
       1961.
    .. [7] D. G. Kröger, *Air-cooled Heat Exchangers and Cooling Towers*,
       PennWell, 2004, §4.2.

    Examples
    --------
    Baker & Shryock's Table 1(b) case, cold water 80 °F, wet bulb 70 °F,
    L/G = 1.2, range 10 °F (published 1.0533), with saturated-air enthalpies
    from CoolProp:

    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> hs = lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0)
    >>> F = lambda f: (f - 32.0) / 1.8 + 273.15
    >>> round(merkel_number(F(90), F(80), hs(F(70)), 1.2, hs, cp_water=4186.8), 3)
    1.055
    """
    func = "merkel_number"
    _check_callable(saturated_enthalpy, "saturated_enthalpy", func)
    Twi = _c.positive_temperature(T_water_in, "T_water_in", func)
    Two = _c.positive_temperature(T_water_out, "T_water_out", func)
    hai = _c.as_array(h_air_in, "h_air_in", func)
    lg = _c.positive(water_air_ratio, "water_air_ratio", func)
    cpw = float(_c.positive(cp_water, "cp_water", func))
    if np.any(Twi <= Two):
        raise InputError(f"{func}: T_water_in must exceed T_water_out (the tower cools the "
                         "water).")
    if method == "chebyshev":
        x, w = _CHEBYSHEV_X, np.full(4, 0.25)
    elif method == "gauss_legendre":
        x, w = 0.5 * (_GL_X + 1.0), 0.5 * _GL_W
    else:
        raise InputError(f"{func}: method must be one of {list(MERKEL_METHODS)}, got {method!r}.")
    Twi, Two, hai, lg = np.broadcast_arrays(Twi, Two, hai, lg)
    dT = (Twi - Two)[..., None]
    T = Two[..., None] + x * dT
    ha = hai[..., None] + lg[..., None] * cpw * (T - Two[..., None])
    drive = np.asarray(saturated_enthalpy(T), dtype=float) - ha
    if np.any(drive <= 0.0):
        raise InputError(f"{func}: the air operating line reaches saturation inside the "
                         "range (h_a >= h_s): no finite tower achieves this duty at this L/G; "
                         "lower water_air_ratio (more air) or widen the approach.")
    return _c.out(cpw * dT[..., 0] * np.sum(w / drive, axis=-1))


# ---------------------------------------------------------------- Braun ε-NTU
def _eps_braun(ntu, m):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        x = ntu * (1.0 - m)
        em = np.expm1(-x)
        eps_lo = -em / ((1.0 - m) - m * em)          # m* < 1
        ep = np.expm1(x)
        eps_hi = ep / (ep - (m - 1.0))              # m* > 1 (x < 0: no overflow)
        eps = np.where(m < 1.0, eps_lo, np.where(m > 1.0, eps_hi, ntu / (1.0 + ntu)))
    return np.where(ntu > 0.0, eps, 0.0)


def cooling_tower_effectiveness_braun(NTU: Any, m_star: Any) -> Any:
    r"""Air-side effectiveness of a counterflow cooling tower, Braun et al. [3]_.

    Parameters
    ----------
    NTU : float or array_like
        :math:`h_D A_V V/\dot m_a` (air-side mass-transfer units), >= 0 [-]
    m_star : float or array_like
        :math:`m^* = \dot m_a c_s/(\dot m_w c_{p,w})`, >= 0 [-]

    Returns
    -------
    float or numpy.ndarray
        :math:`\varepsilon_a = \dot Q/[\dot m_a(h_{s,w,i} - h_{a,i})]` [-]

    Notes
    -----
    The counterflow relation with :math:`m^*` in place of :math:`C_r` (which
    may exceed 1, the water then being the "minimum" stream):

    .. math::
        \varepsilon_a = \frac{1 - e^{-NTU(1-m^*)}}{1 - m^* e^{-NTU(1-m^*)}},
        \qquad m^* = 1:\ \frac{NTU}{1 + NTU}

    evaluated with ``expm1`` in a form without overflow for :math:`m^* > 1`.
    The saturation specific heat
    :math:`c_s = (h_{s,w,i} - h_{s,w,o})/(T_{w,i} - T_{w,o})` linearises the
    saturated-air enthalpy over the water range.

    References
    ----------
    .. [3] J. E. Braun, S. A. Klein and J. W. Mitchell, *ASHRAE Trans.*
       95(2), 164–174, 1989.

    Examples
    --------
    >>> round(cooling_tower_effectiveness_braun(2.0, 0.5), 4)
    0.7746
    >>> cooling_tower_effectiveness_braun(1.0, 1.0)
    0.5
    """
    func = "cooling_tower_effectiveness_braun"
    N = _c.nonnegative(NTU, "NTU", func)
    m = _c.nonnegative(m_star, "m_star", func)
    return _c.out(_eps_braun(N, m))


class BraunResult(NamedTuple):
    """Result of :func:`cooling_tower_braun` (SI floats or arrays).

    Attributes
    ----------
    T_water_out : float or numpy.ndarray
        Cold-water temperature [K].
    heat_flow : float or numpy.ndarray
        Heat taken from the circulating water,
        :math:`\\dot m_w c_{p,w}(T_{w,i} - T_{w,o})` [W].
    evaporation : float or numpy.ndarray
        Water evaporated, :math:`\\dot m_a (W_{a,o} - W_{a,i})` [kg s⁻¹].
    h_air_out : float or numpy.ndarray
        Outlet air enthalpy per kg dry air [J kg⁻¹].
    w_air_out : float or numpy.ndarray
        Outlet air humidity ratio [kg kg⁻¹].
    T_wet_bulb : float or numpy.ndarray
        Inlet thermodynamic wet bulb (adiabatic saturation,
        :math:`h_s(T_{wb}) - [W_s(T_{wb}) - W_{a,i}]\\,c_{p,w}(T_{wb} - T_{ref}) = h_{a,i}`)
        from the same callables [K].
    m_star : float or numpy.ndarray
        Capacity ratio :math:`m^*` at the solution [-].
    """

    T_water_out: Any
    heat_flow: Any
    evaporation: Any
    h_air_out: Any
    w_air_out: Any
    T_wet_bulb: Any
    m_star: Any


def _inverse(f: Callable1, target, lo, hi):
    """T in [lo, hi] with f(T) = target, f increasing."""
    return bracketed_root(lambda T: np.asarray(f(T), dtype=float) - target, lo, hi, xtol=1e-7)


_T_LOW = 223.15     # lower bracket of inverted saturated-air enthalpy [K]


def _braun(Twi, m_w, m_a, h_ai, w_ai, ntu, hs, ws, cpw, T_mu):
    """Kernel of :func:`cooling_tower_braun` on validated broadcast arrays."""
    Twi, m_w, m_a, h_ai, w_ai, ntu = np.broadcast_arrays(Twi, m_w, m_a, h_ai, w_ai, ntu)
    h_swi = np.asarray(hs(Twi), dtype=float)
    slope_wi = (np.asarray(hs(Twi + 0.05), dtype=float)
                - np.asarray(hs(Twi - 0.05), dtype=float)) / 0.1
    T_hi = np.maximum(Twi, 330.0)
    inv = getattr(hs, "inverse", None)

    def invert(target, lo, hi):
        if inv is not None:
            return np.clip(np.asarray(inv(target), dtype=float), lo, hi)
        return _inverse(hs, target, lo, hi)

    # "enthalpy wet bulb" h_s(T*) = h_a,i: the Merkel/Braun driving-force zero
    T_star = invert(h_ai, np.full(Twi.shape, _T_LOW), T_hi)
    # thermodynamic (adiabatic-saturation) wet bulb, for the approach
    T_wb = bracketed_root(
        lambda T: (np.asarray(hs(T), dtype=float) - h_ai
                   - (np.asarray(ws(T), dtype=float) - w_ai) * cpw * (T - T_REF)),
        T_star - 3.0, T_star + 3.0, xtol=1e-7)
    dh = h_swi - h_ai
    live = (m_w > 0.0) & (m_a > 0.0) & (ntu > 0.0) & (np.abs(Twi - T_star) > 1e-9)
    m_ws = np.where(live, m_w, 1.0)
    m_as = np.where(live, m_a, 1.0)
    lo = np.where(live, np.minimum(T_star, Twi), Twi)
    hi = np.where(live, np.maximum(T_star, Twi), Twi)
    decay = np.exp(-ntu)

    def q_air(T):
        dT = Twi - T
        small = np.abs(dT) < 1e-6
        with np.errstate(divide="ignore", invalid="ignore"):
            cs = np.where(small, slope_wi,
                          (h_swi - np.asarray(hs(T), dtype=float)) / np.where(small, 1.0, dT))
        ms = m_as * cs / (m_ws * cpw)
        return _eps_braun(ntu, ms) * m_as * dh, ms

    def evaporation(Qa):
        # Braun's effective saturated-air state and outlet humidity
        with np.errstate(divide="ignore", invalid="ignore"):
            h_sse = h_ai + np.where(live, Qa / m_as / -np.expm1(-np.where(live, ntu, 1.0)), 0.0)
        w_sse = np.asarray(ws(invert(h_sse, lo, hi)), dtype=float)
        w_ao = w_sse + (w_ai - w_sse) * decay
        return np.where(live, m_a * (w_ao - w_ai), 0.0), w_ao

    def balance(T, Qa, E):
        Tm = T if T_mu is None else T_mu
        return m_ws * cpw * (Twi - T) - (Qa - E * cpw * (Tm - T_REF))

    if inv is not None:
        # the inverse of h_s is an interpolation: solve with the evaporation
        # inside the balance, exactly consistent
        def resid(T):
            Qa = q_air(T)[0]
            return balance(T, Qa, evaporation(Qa)[0])
        T_wo = bracketed_root(resid, lo, hi, xtol=1e-7)
        Qa, ms = q_air(T_wo)
        E, w_ao = evaporation(Qa)
    else:
        # each inverse is a root find: balance without, then with, evaporation
        E = np.zeros(Twi.shape)
        for _ in range(2):
            T_wo = bracketed_root(lambda T, E=E: balance(T, q_air(T)[0], E), lo, hi, xtol=1e-7)
            Qa, ms = q_air(T_wo)
            E, w_ao = evaporation(Qa)
    T_wo = np.where(live, T_wo, Twi)
    Q = m_w * cpw * (Twi - T_wo)
    Tm = T_wo if T_mu is None else T_mu
    h_ao = np.where(m_a > 0.0, h_ai + (Q + E * cpw * (Tm - T_REF)) / m_as, h_ai)
    w_ao = np.where(live, w_ao, w_ai)
    return BraunResult(T_wo, Q, E, h_ao, w_ao, T_wb, np.where(live, ms, 0.0))


def cooling_tower_braun(T_water_in: Any, water_mass_flow: Any, air_mass_flow: Any,
                        h_air_in: Any, w_air_in: Any, NTU: Any, *,
                        saturated_enthalpy: Callable1, saturated_humidity_ratio: Callable1,
                        cp_water: float = CP_WATER, T_makeup: Any = None) -> BraunResult:
    r"""Cold-water temperature, heat and evaporation of a counterflow tower (Braun's ε-NTU).

    Parameters
    ----------
    T_water_in : float or array_like
        Hot-water temperature [K]
    water_mass_flow : float or array_like
        Circulating water, >= 0 [kg s⁻¹]
    air_mass_flow : float or array_like
        Dry-air mass flow, >= 0 [kg s⁻¹]
    h_air_in, w_air_in : float or array_like
        Entering-air enthalpy per kg dry air [J kg⁻¹] and humidity ratio
        [kg kg⁻¹], same reference state as ``saturated_enthalpy``.
    NTU : float or array_like
        :math:`h_D A_V V/\dot m_a`, >= 0 [-] (:math:`= Me\,L/G`)
    saturated_enthalpy, saturated_humidity_ratio : callable
        :math:`h_s(T)` [J kg⁻¹] and :math:`W_s(T)` [kg kg⁻¹] of saturated air
        at the tower's pressure, vectorised over arrays of T [K].
    cp_water : float, optional
        [J kg⁻¹ K⁻¹], default 4180.
    T_makeup : float or array_like, optional
        Temperature at which the make-up water replacing the evaporation
        enters the basin [K]; default the cold-water temperature. Pass
        273.15 K to recover Merkel's water balance (evaporated mass neglected).

    Returns
    -------
    BraunResult

    Notes
    -----
    Braun, Klein & Mitchell [3]_:

    .. math::
        c_s = \frac{h_s(T_{w,i}) - h_s(T_{w,o})}{T_{w,i} - T_{w,o}},\quad
        m^* = \frac{\dot m_a c_s}{\dot m_w c_{p,w}},\quad
        \dot Q_a = \varepsilon_a(NTU, m^*)\,\dot m_a\,[h_s(T_{w,i}) - h_{a,i}]

    The loop's water (constant flow, the evaporation replaced by make-up at
    :math:`T_{mu}`) closes the energy balance

    .. math::
        \dot m_w c_{p,w}(T_{w,i} - T_{w,o}) = \dot Q_a - \dot m_{ev} c_{p,w}(T_{mu} - T_{ref})

    solved for :math:`T_{w,o}` (Illinois method, 1e-7 K). The outlet
    humidity comes from Braun's effective saturated-air state:

    .. math::
        h_{s,e} = h_{a,i} + \frac{h_{a,o} - h_{a,i}}{1 - e^{-NTU}},\quad
        W_{a,o} = W_s(T_{s,e}) + [W_{a,i} - W_s(T_{s,e})]\,e^{-NTU},\quad
        \dot m_{ev} = \dot m_a(W_{a,o} - W_{a,i})

    with :math:`h_s(T_{s,e}) = h_{s,e}`. With a tabulated ``saturated_enthalpy``
    (one that has an ``inverse``, :func:`saturated_air_table`) the
    evaporation is solved inside the balance; otherwise it enters through a
    second pass (inconsistency of order 1e-4 of the evaporation). The
    reported ``h_air_out`` closes the energy balance to round-off. Assumptions: Lewis factor 1, interface at the bulk water
    temperature, :math:`c_s` constant over the range, no drift.

    References
    ----------
    .. [3] J. E. Braun, S. A. Klein and J. W. Mitchell, *ASHRAE Trans.*
       95(2), 164–174, 1989.

    Examples
    --------
    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> hs = lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0)
    >>> ws = lambda T: HAPropsSI("W", "T", T, "P", 101325.0, "R", 1.0)
    >>> h_in = HAPropsSI("H", "T", 303.15, "P", 101325.0, "R", 0.4)   # 30 °C, 40 %
    >>> w_in = HAPropsSI("W", "T", 303.15, "P", 101325.0, "R", 0.4)
    >>> r = cooling_tower_braun(308.15, 10.0, 10.0, h_in, w_in, 2.0,
    ...                         saturated_enthalpy=hs, saturated_humidity_ratio=ws)
    >>> round(r.T_water_out - 273.15, 2), round(r.evaporation * 3600, 1)
    (24.93, 598.4)
    """
    func = "cooling_tower_braun"
    _check_callable(saturated_enthalpy, "saturated_enthalpy", func)
    _check_callable(saturated_humidity_ratio, "saturated_humidity_ratio", func)
    Twi = _c.positive_temperature(T_water_in, "T_water_in", func)
    m_w = _c.nonnegative(water_mass_flow, "water_mass_flow", func)
    m_a = _c.nonnegative(air_mass_flow, "air_mass_flow", func)
    hai = _c.as_array(h_air_in, "h_air_in", func)
    wai = _c.nonnegative(w_air_in, "w_air_in", func)
    ntu = _c.nonnegative(NTU, "NTU", func)
    cpw = float(_c.positive(cp_water, "cp_water", func))
    Tmu = None if T_makeup is None else _c.positive_temperature(T_makeup, "T_makeup", func)
    res = _braun(Twi, m_w, m_a, hai, wai, ntu, saturated_enthalpy, saturated_humidity_ratio,
                 cpw, Tmu)
    return BraunResult(*(_c.out(np.asarray(v, dtype=float)) for v in res))


# ------------------------------------------------------------------- water use
class WaterUse(NamedTuple):
    """Water balance of a recirculating tower (kg s⁻¹), from :func:`cooling_tower_water_use`.

    Attributes
    ----------
    blowdown : float or numpy.ndarray
        Water bled off to hold the cycles of concentration [kg s⁻¹].
    drift : float or numpy.ndarray
        Droplets carried out with the air [kg s⁻¹].
    makeup : float or numpy.ndarray
        Water withdrawn: evaporation + blow-down + drift [kg s⁻¹].
    consumed : float or numpy.ndarray
        Water lost to the atmosphere: evaporation + drift [kg s⁻¹].
    """

    blowdown: Any
    drift: Any
    makeup: Any
    consumed: Any


def cooling_tower_water_use(evaporation: Any, water_mass_flow: Any, *,
                            cycles_of_concentration: float = DEFAULT_CYCLES_OF_CONCENTRATION,
                            drift_fraction: float = 0.0) -> WaterUse:
    r"""Blow-down, drift and make-up water of a recirculating cooling tower.

    Parameters
    ----------
    evaporation : float or array_like
        Evaporated water, >= 0 [kg s⁻¹]
    water_mass_flow : float or array_like
        Circulating water, >= 0 [kg s⁻¹]
    cycles_of_concentration : float, optional
        Ratio of dissolved solids in the basin to those in the make-up,
        > 1 [-]; default 4 [GEK: 3–6 with treated make-up water].
    drift_fraction : float, optional
        Drift as a fraction of the circulating flow [-]; default 0 (modern
        drift eliminators keep it to the order of 0.001 % [GEK]).

    Returns
    -------
    WaterUse

    Notes
    -----
    Mass balances of water and of dissolved solids (Eurovent 9/13 [6]_):

    .. math::
        M = E + B + D,\qquad N = \frac{M}{B + D}\ \Rightarrow\
        B + D = \frac{E}{N - 1},\quad B = \max\left(\frac{E}{N-1} - D,\ 0\right)

    (if the drift alone exceeds :math:`E/(N-1)`, no blow-down is needed and
    the cycles are higher than asked).

    References
    ----------
    .. [6] Eurovent, *Recommendation 9/13*, Eurovent, Brussels, 2019.

    Examples
    --------
    >>> cooling_tower_water_use(1.2, 100.0, cycles_of_concentration=4.0)
    WaterUse(blowdown=0.4, drift=0.0, makeup=1.6, consumed=1.2)
    """
    func = "cooling_tower_water_use"
    E = _c.nonnegative(evaporation, "evaporation", func)
    m_w = _c.nonnegative(water_mass_flow, "water_mass_flow", func)
    N = float(_c.finite(cycles_of_concentration, "cycles_of_concentration", func))
    if N <= 1.0:
        raise InputError(f"{func}: cycles_of_concentration must be > 1 (it is make-up over "
                         f"blow-down plus drift), got {N!r}.")
    f = float(_c.in_closed(drift_fraction, "drift_fraction", func, 0.0, 0.05))
    return _water_use(E, m_w, N, f)


def _water_use(E, m_w, N, f):
    D = f * m_w
    B = np.maximum(E / (N - 1.0) - D, 0.0)
    return WaterUse(_c.out(B), _c.out(D * np.ones_like(B)), _c.out(E + B + D),
                    _c.out(E + D))


def evaporation_rule_of_thumb(water_mass_flow: Any, cooling_range: Any) -> Any:
    r"""Evaporation by the rule of thumb 0.00085 per °F of range (a check, not a model).

    Parameters
    ----------
    water_mass_flow : float or array_like
        Circulating water [kg s⁻¹]
    cooling_range : float or array_like
        Hot minus cold water temperature [K]

    Returns
    -------
    float or numpy.ndarray
        Evaporation [kg s⁻¹]

    Notes
    -----
    .. math:: E \approx 0.00085 \times 1.8\,\Delta T\,\dot m_w

    i.e. about 1 % of the flow per 6 K of range: the evaporation that carries
    roughly 85–90 % of the heat as latent heat at summer conditions. Quoted
    in BEE's energy-audit guide and traced to Perry's handbook [8]_; winter
    conditions evaporate less (more sensible heat), hot dry ones more.

    References
    ----------
    .. [8] Bureau of Energy Efficiency (India), *Energy Efficiency in
       Electrical Utilities*, Guide Book 3, ch. 7 "Cooling tower", 2005;
       R. H. Perry and D. W. Green, *Perry's Chemical Engineers' Handbook*,
       McGraw-Hill, §12 (psychrometry and evaporative cooling).

    Examples
    --------
    >>> round(evaporation_rule_of_thumb(100.0, 5.0), 3)
    0.765
    """
    func = "evaporation_rule_of_thumb"
    m = _c.nonnegative(water_mass_flow, "water_mass_flow", func)
    dT = _c.nonnegative(cooling_range, "cooling_range", func)    # a tower cools its water
    return _c.out(0.00085 * 1.8 * dT * m)


# ------------------------------------------------------------- fast saturated air
class TabulatedProperty:
    """A monotone property of saturated air tabulated against T, with its inverse.

    Callable like the function it tabulates (linear interpolation on a fine
    grid; outside the grid the original function is called). Built by
    :func:`saturated_air_table`.

    Attributes
    ----------
    T : numpy.ndarray
        Grid temperatures [K].
    values : numpy.ndarray
        Tabulated values.
    """

    def __init__(self, function: Callable1, T: np.ndarray) -> None:
        self._function = function
        self.T = T
        self.values = np.asarray(function(T), dtype=float)
        if np.any(np.diff(self.values) <= 0.0):
            raise InputError("saturated_air_table: the tabulated function must increase "
                             "strictly with temperature on the grid.")

    def __call__(self, T: Any) -> np.ndarray:
        T = np.asarray(T, dtype=float)
        out = np.interp(T, self.T, self.values)
        outside = (T < self.T[0]) | (T > self.T[-1])
        if np.any(outside):
            out = np.where(outside, np.asarray(self._function(np.where(outside, T, self.T[0])),
                                               dtype=float), out)
        return out

    def inverse(self, values: Any) -> np.ndarray:
        """Temperature [K] at which the property takes ``values`` (inside the grid)."""
        return np.interp(np.asarray(values, dtype=float), self.values, self.T)


def saturated_air_table(saturated_enthalpy: Callable1, saturated_humidity_ratio: Callable1,
                        *, T_min: float = 233.15, T_max: float = 343.15,
                        step: float = 0.02) -> tuple[TabulatedProperty, TabulatedProperty]:
    r"""Tabulate :math:`h_s(T)` and :math:`W_s(T)` once, for fast repeated tower solves.

    Parameters
    ----------
    saturated_enthalpy, saturated_humidity_ratio : callable
        The (possibly slow, e.g. CoolProp) vectorised functions of T [K].
    T_min, T_max : float, optional
        Grid range [K], default −40 to 70 °C.
    step : float, optional
        Grid spacing [K], default 0.02 K.

    Returns
    -------
    (TabulatedProperty, TabulatedProperty)
        Drop-in replacements for the two callables; the enthalpy table also
        gives :meth:`TabulatedProperty.inverse`, which the tower models use
        instead of iterating for the wet bulb.

    Notes
    -----
    Linear interpolation error :math:`h''\Delta T^2/8`: below 0.2 J kg⁻¹ in
    :math:`h_s` and 2e-7 in :math:`W_s` at 0.02 K spacing up to 65 °C. This
    is a cache of the callables given, not a moist-air model of its own.

    Examples
    --------
    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> hs, ws = saturated_air_table(
    ...     lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0),
    ...     lambda T: HAPropsSI("W", "T", T, "P", 101325.0, "R", 1.0), T_min=273.15, T_max=323.15)
    >>> round(float(hs(300.0)) / 1e3, 2), round(float(hs.inverse(hs(300.0))), 3)
    (84.6, 300.0)
    """
    func = "saturated_air_table"
    _check_callable(saturated_enthalpy, "saturated_enthalpy", func)
    _check_callable(saturated_humidity_ratio, "saturated_humidity_ratio", func)
    if not (T_max > T_min and step > 0.0):
        raise InputError(f"{func}: need T_max > T_min and step > 0, got {T_min!r}, {T_max!r}, "
                         f"{step!r}.")
    T = np.linspace(T_min, T_max, int(round((T_max - T_min) / step)) + 1)
    return (TabulatedProperty(saturated_enthalpy, T),
            TabulatedProperty(saturated_humidity_ratio, T))


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("TabulatedProperty",))
