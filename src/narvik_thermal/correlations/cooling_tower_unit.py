r"""Cooling towers as unit models: sized once, then operated per operating point.

Built on the physics of :mod:`narvik_thermal.correlations.cooling_tower`
(Braun's ε-NTU model, the water balance) and the fan laws of
:mod:`narvik_thermal.correlations.fan`: :func:`cooling_tower_design` sizes a
counterflow tower's NTU from a design point into a frozen
:class:`CoolingTowerDesign`; :func:`cooling_tower_operate` gives cold water,
heat, fan power and water use at one or many operating points (arrays);
:func:`cooling_tower_fan_speed` finds the fan speed that holds a cold-water
set-point and reports a :class:`ControlStatus` instead of raising when it
cannot. All SI floats or NumPy arrays, no pint; moist-air properties come in
as callables (see :func:`~narvik_thermal.correlations.cooling_tower.saturated_air_table`).

References
----------
.. [1] J. E. Braun, S. A. Klein and J. W. Mitchell, "Effectiveness models for
   cooling towers and cooling coils", *ASHRAE Transactions* 95(2), 164–174,
   1989.
.. [2] U.S. DOE, *EnergyPlus Engineering Reference*, "Cooling towers and
   evaporative fluid coolers" (variable-speed Merkel tower, fan cycling).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import InputError
from . import _checks as _c
from ._control import (ControlStatus, FanControl, average_state, control_to_setpoint,
                       status_out)
from ._roots import bracketed_root
from .cooling_tower import (CP_WATER, DEFAULT_CYCLES_OF_CONCENTRATION, DEFAULT_LG_EXPONENT,
                            cooling_tower_braun, cooling_tower_water_use)
from .fan import STANDARD_PRESSURE, air_density, fan_power_affinity

# ControlStatus and FanControl are importable from here too (documented in .dry_cooler)
__all__ = ["CoolingTowerDesign", "CoolingTowerState", "cooling_tower_design",
           "cooling_tower_operate", "cooling_tower_fan_speed", "ControlStatus", "FanControl"]

Callable1 = Callable[[np.ndarray], np.ndarray]


def _check_callable(f: Any, name: str, func: str) -> None:
    if not callable(f):
        raise InputError(f"{func}: {name} must be a vectorised callable T [K] -> value "
                         f"(e.g. saturated_air_table(...) of narvik_thermal.fluids' humid air "
                         f"or CoolProp HAPropsSI at the tower's pressure), got {f!r}.")


# ------------------------------------------------------------------ unit model
@dataclass(frozen=True)
class CoolingTowerDesign:
    """A cooling tower sized at its design point (SI floats), from :func:`cooling_tower_design`.

    Attributes
    ----------
    heat_flow : float
        Design duty [W].
    NTU : float
        Air-side transfer units at design flows [-].
    water_mass_flow : float
        Design circulating water [kg s⁻¹].
    air_mass_flow : float
        Dry-air mass flow at full fan speed and design inlet state [kg s⁻¹].
    air_volume_flow : float
        Air volume flow at full fan speed [m³ s⁻¹].
    air_density : float
        Moist-air density at the design inlet [kg m⁻³].
    fan_power : float
        Fan power at full speed and design density [W].
    T_water_in, T_water_out, T_air_in : float
        Design hot water, cold water and air dry-bulb temperatures [K].
    h_air_in, w_air_in : float
        Design inlet-air enthalpy [J kg⁻¹] and humidity ratio [kg kg⁻¹].
    T_wet_bulb : float
        Design (enthalpy) wet bulb [K].
    evaporation : float
        Evaporation at the design point [kg s⁻¹].
    lg_exponent : float
        Exponent n of Me ∝ (L/G)^n [-].
    cycles_of_concentration, drift_fraction : float
        Water-treatment parameters of :func:`cooling_tower_water_use`.
    min_speed : float
        Lowest continuous fan speed [-].
    cp_water, pressure : float
        [J kg⁻¹ K⁻¹], [Pa].
    """

    heat_flow: float
    NTU: float
    water_mass_flow: float
    air_mass_flow: float
    air_volume_flow: float
    air_density: float
    fan_power: float
    T_water_in: float
    T_water_out: float
    T_air_in: float
    h_air_in: float
    w_air_in: float
    T_wet_bulb: float
    evaporation: float
    lg_exponent: float = DEFAULT_LG_EXPONENT
    cycles_of_concentration: float = DEFAULT_CYCLES_OF_CONCENTRATION
    drift_fraction: float = 0.0
    min_speed: float = 0.2
    cp_water: float = CP_WATER
    pressure: float = STANDARD_PRESSURE

    @property
    def approach(self) -> float:
        """Design approach to the wet bulb [K]."""
        return self.T_water_out - self.T_wet_bulb

    @property
    def cooling_range(self) -> float:
        """Design range, hot minus cold water [K]."""
        return self.T_water_in - self.T_water_out

    @property
    def water_air_ratio(self) -> float:
        """Design L/G [-]."""
        return self.water_mass_flow / self.air_mass_flow

    @property
    def merkel_number(self) -> float:
        """Design Merkel number, NTU · G/L [-]."""
        return self.NTU / self.water_air_ratio


class CoolingTowerState(NamedTuple):
    """Operating state of a cooling tower, from :func:`cooling_tower_operate` (SI).

    Attributes
    ----------
    T_water_out : float or numpy.ndarray
        Cold-water temperature [K].
    heat_flow : float or numpy.ndarray
        Heat taken from the circulating water [W].
    fan_power : float or numpy.ndarray
        Fan electric power [W].
    evaporation, blowdown, drift : float or numpy.ndarray
        Water flows [kg s⁻¹].
    water_withdrawn : float or numpy.ndarray
        Make-up water (evaporation + blow-down + drift) [kg s⁻¹].
    water_consumed : float or numpy.ndarray
        Water lost to the air (evaporation + drift) [kg s⁻¹].
    approach : float or numpy.ndarray
        Cold water minus inlet wet bulb [K].
    T_wet_bulb : float or numpy.ndarray
        Inlet (enthalpy) wet bulb [K].
    h_air_out, w_air_out : float or numpy.ndarray
        Outlet air enthalpy [J kg⁻¹] and humidity ratio [kg kg⁻¹].
    air_mass_flow : float or numpy.ndarray
        Dry-air mass flow [kg s⁻¹].
    NTU : float or numpy.ndarray
        Transfer units at these flows [-].
    """

    T_water_out: Any
    heat_flow: Any
    fan_power: Any
    evaporation: Any
    blowdown: Any
    drift: Any
    water_withdrawn: Any
    water_consumed: Any
    approach: Any
    T_wet_bulb: Any
    h_air_out: Any
    w_air_out: Any
    air_mass_flow: Any
    NTU: Any


def _tower_operate(Twi, m_w, Tai, hai, wai, s, d: CoolingTowerDesign, hs, ws, Tmu):
    """Kernel of :func:`cooling_tower_operate` on validated arrays."""
    rho = air_density(Tai, d.pressure, wai)
    m_a = s * d.air_volume_flow * rho / (1.0 + wai)
    ratio_w = m_w / d.water_mass_flow
    ratio_a = m_a / d.air_mass_flow
    with np.errstate(divide="ignore", invalid="ignore"):
        ntu = np.where((ratio_w > 0.0) & (ratio_a > 0.0),
                       d.NTU * (ratio_w / np.where(ratio_a > 0.0, ratio_a, 1.0))
                       ** (1.0 + d.lg_exponent), 0.0)
    r = cooling_tower_braun(Twi, m_w, m_a, hai, wai, ntu, saturated_enthalpy=hs,
                            saturated_humidity_ratio=ws, cp_water=d.cp_water, T_makeup=Tmu)
    wu = cooling_tower_water_use(np.maximum(r.evaporation, 0.0), m_w,
                                 cycles_of_concentration=d.cycles_of_concentration,
                                 drift_fraction=d.drift_fraction)
    P = fan_power_affinity(s, d.fan_power, density_ratio=rho / d.air_density)
    return CoolingTowerState(r.T_water_out, r.heat_flow, P, r.evaporation, wu.blowdown,
                             wu.drift, wu.makeup, wu.consumed, r.T_water_out - r.T_wet_bulb,
                             r.T_wet_bulb, r.h_air_out, r.w_air_out, m_a, ntu)


def _tower_out(st: CoolingTowerState) -> CoolingTowerState:
    return CoolingTowerState(*(_c.out(np.asarray(v, dtype=float)) for v in st))


def cooling_tower_design(heat_flow: float, T_water_in: float, T_water_out: float,
                         T_air_in: float, h_air_in: float, w_air_in: float, *,
                         saturated_enthalpy: Callable1, saturated_humidity_ratio: Callable1,
                         water_air_ratio: float | None = None,
                         air_volume_flow: float | None = None,
                         fan_power: float | None = None,
                         specific_fan_power: float | None = None,
                         lg_exponent: float = DEFAULT_LG_EXPONENT,
                         cycles_of_concentration: float = DEFAULT_CYCLES_OF_CONCENTRATION,
                         drift_fraction: float = 0.0, min_speed: float = 0.2,
                         cp_water: float = CP_WATER,
                         pressure: float = STANDARD_PRESSURE) -> CoolingTowerDesign:
    r"""Size a counterflow cooling tower (its NTU) from a design point.

    Parameters
    ----------
    heat_flow : float
        Design duty, > 0 [W]
    T_water_in, T_water_out : float
        Design hot- and cold-water temperatures [K]
    T_air_in : float
        Design air dry bulb [K] (for the air density only)
    h_air_in, w_air_in : float
        Design inlet-air enthalpy [J kg⁻¹] and humidity ratio [kg kg⁻¹]
        (the design wet bulb enters through them).
    saturated_enthalpy, saturated_humidity_ratio : callable
        See :func:`~narvik_thermal.correlations.cooling_tower.cooling_tower_braun`; :func:`~narvik_thermal.correlations.cooling_tower.saturated_air_table` makes
        fast ones.
    water_air_ratio : float, optional
        Design L/G [-] (typically 0.8–1.5 [GEK]); or give ``air_volume_flow``.
    air_volume_flow : float, optional
        Air volume flow at full speed [m³ s⁻¹].
    fan_power, specific_fan_power : float, optional
        Exactly one: fan power at full speed [W], or per air volume flow
        [W per m³ s⁻¹].
    lg_exponent : float, optional
        n of the fill characteristic :math:`Me \propto (L/G)^n`, default -0.6.
    cycles_of_concentration, drift_fraction : float, optional
        See :func:`cooling_tower_water_use`.
    min_speed : float, optional
        Lowest continuous fan speed, default 0.2 (EnergyPlus's Merkel tower
        default minimum air-flow ratio) [-]
    cp_water, pressure : float, optional
        [J kg⁻¹ K⁻¹], default 4180; [Pa], default 101325.

    Returns
    -------
    CoolingTowerDesign

    Raises
    ------
    InputError
        Temperatures out of order, not both/neither of each alternative, or
        a duty no finite tower reaches at this L/G (the message says so).

    Notes
    -----
    The NTU is the root of :math:`T_{w,o}(NTU) = T_{w,o,design}` with the
    model of :func:`cooling_tower_braun` (Illinois in :math:`\ln NTU`), so
    :func:`cooling_tower_operate` reproduces the design point exactly. Off
    design Braun et al. [3]_ scale

    .. math:: NTU = NTU_d\left(\frac{\dot m_w/\dot m_{w,d}}{\dot m_a/\dot m_{a,d}}\right)^{1+n}

    (from :math:`Me = c\,(L/G)^n` and :math:`NTU = Me\,L/G`).

    References
    ----------
    .. [3] J. E. Braun, S. A. Klein and J. W. Mitchell, *ASHRAE Trans.*
       95(2), 164–174, 1989.

    Examples
    --------
    See tests/test_correlations_cooling_tower.py; with CoolProp callables:

    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> from narvik_thermal.correlations.cooling_tower import saturated_air_table
    >>> hs, ws = saturated_air_table(
    ...     lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0),
    ...     lambda T: HAPropsSI("W", "T", T, "P", 101325.0, "R", 1.0))
    >>> h, w = (HAPropsSI(k, "T", 305.15, "P", 101325.0, "B", 297.15) for k in "HW")
    >>> d = cooling_tower_design(1e6, 308.15, 302.15, 305.15, h, w, saturated_enthalpy=hs,
    ...                          saturated_humidity_ratio=ws, water_air_ratio=1.2,
    ...                          fan_power=10e3)
    >>> round(d.NTU, 3), round(d.approach, 2), round(d.evaporation * 3600)
    (1.348, 5.0, 1453)
    """
    func = "cooling_tower_design"
    _check_callable(saturated_enthalpy, "saturated_enthalpy", func)
    _check_callable(saturated_humidity_ratio, "saturated_humidity_ratio", func)
    Q = float(_c.positive(heat_flow, "heat_flow", func))
    Twi = float(_c.positive_temperature(T_water_in, "T_water_in", func))
    Two = float(_c.positive_temperature(T_water_out, "T_water_out", func))
    Tai = float(_c.positive_temperature(T_air_in, "T_air_in", func))
    hai = float(_c.as_array(h_air_in, "h_air_in", func))
    wai = float(_c.nonnegative(w_air_in, "w_air_in", func))
    cpw = float(_c.positive(cp_water, "cp_water", func))
    p = float(_c.positive(pressure, "pressure", func))
    n = float(_c.finite(lg_exponent, "lg_exponent", func))
    if not -1.5 < n < 0.0:
        raise InputError(f"{func}: lg_exponent must lie in (-1.5, 0) (fills give about -0.35 "
                         f"to -1.1), got {n!r}.")
    smin = float(_c.in_closed(min_speed, "min_speed", func, 0.0, 1.0))
    cooling_tower_water_use(0.0, 0.0, cycles_of_concentration=cycles_of_concentration,
                            drift_fraction=drift_fraction)
    if (water_air_ratio is None) == (air_volume_flow is None):
        raise InputError(f"{func}: give exactly one of water_air_ratio (L/G) or "
                         "air_volume_flow [m^3/s].")
    if (fan_power is None) == (specific_fan_power is None):
        raise InputError(f"{func}: give exactly one of fan_power [W] or specific_fan_power "
                         "[W per m^3/s].")
    if not Twi > Two:
        raise InputError(f"{func}: T_water_in ({_c.deg_c(Twi)}) must exceed T_water_out "
                         f"({_c.deg_c(Two)}).")
    T_wb = float(cooling_tower_braun(Twi, 0.0, 0.0, hai, wai, 0.0,
                                     saturated_enthalpy=saturated_enthalpy,
                                     saturated_humidity_ratio=saturated_humidity_ratio,
                                     cp_water=cpw).T_wet_bulb)
    if Two <= T_wb:
        raise InputError(f"{func}: the cold water ({_c.deg_c(Two)}) must stay above the inlet "
                         f"wet bulb ({_c.deg_c(T_wb)}); a cooling tower only approaches it.")
    rho = float(air_density(Tai, p, wai))
    rho_da = rho / (1.0 + wai)
    m_w = Q / (cpw * (Twi - Two))
    if air_volume_flow is None:
        m_a = m_w / float(_c.positive(water_air_ratio, "water_air_ratio", func))
        V = m_a / rho_da
    else:
        V = float(_c.positive(air_volume_flow, "air_volume_flow", func))
        m_a = V * rho_da
    P = (float(_c.nonnegative(fan_power, "fan_power", func)) if fan_power is not None
         else float(_c.nonnegative(specific_fan_power, "specific_fan_power", func)) * V)

    def outlet(ntu):
        return cooling_tower_braun(Twi, m_w, m_a, hai, wai, ntu,
                                   saturated_enthalpy=saturated_enthalpy,
                                   saturated_humidity_ratio=saturated_humidity_ratio,
                                   cp_water=cpw)

    ntu_max = 50.0
    if float(outlet(np.asarray(ntu_max)).T_water_out) > Two:
        raise InputError(
            f"{func}: a cold water of {_c.deg_c(Two)} (approach {Two - T_wb:.2f} K) cannot be "
            f"reached at L/G = {m_w / m_a:.3g} even with NTU = {ntu_max:g}: the air saturates "
            "first. Give more air (lower L/G) or a larger approach.")
    u = bracketed_root(lambda u: np.asarray(outlet(np.exp(u)).T_water_out) - Two, np.asarray(np.log(1e-4)),
                       np.asarray(np.log(ntu_max)), xtol=1e-10)
    ntu = float(np.exp(u))
    E = float(outlet(np.asarray(ntu)).evaporation)
    return CoolingTowerDesign(
        heat_flow=Q, NTU=ntu, water_mass_flow=m_w, air_mass_flow=m_a, air_volume_flow=V,
        air_density=rho, fan_power=P, T_water_in=Twi, T_water_out=Two, T_air_in=Tai,
        h_air_in=hai, w_air_in=wai, T_wet_bulb=T_wb, evaporation=E, lg_exponent=n,
        cycles_of_concentration=float(cycles_of_concentration),
        drift_fraction=float(drift_fraction), min_speed=smin, cp_water=cpw, pressure=p)


def _operate_args(func, T_water_in, water_mass_flow, T_air_in, h_air_in, w_air_in, hs, ws):
    _check_callable(hs, "saturated_enthalpy", func)
    _check_callable(ws, "saturated_humidity_ratio", func)
    return (_c.positive_temperature(T_water_in, "T_water_in", func),
            _c.nonnegative(water_mass_flow, "water_mass_flow", func),
            _c.positive_temperature(T_air_in, "T_air_in", func),
            _c.as_array(h_air_in, "h_air_in", func),
            _c.nonnegative(w_air_in, "w_air_in", func))


def cooling_tower_operate(T_water_in: Any, water_mass_flow: Any, T_air_in: Any, h_air_in: Any,
                          w_air_in: Any, fan_speed: Any, design: CoolingTowerDesign, *,
                          saturated_enthalpy: Callable1, saturated_humidity_ratio: Callable1,
                          T_makeup: Any = None) -> CoolingTowerState:
    r"""Cold water, heat, fan power and water use of a sized tower at one or many points.

    Parameters
    ----------
    T_water_in : float or array_like
        Hot-water temperature [K]
    water_mass_flow : float or array_like
        Circulating water, >= 0 [kg s⁻¹]
    T_air_in : float or array_like
        Air dry bulb [K]
    h_air_in, w_air_in : float or array_like
        Inlet-air enthalpy [J kg⁻¹] and humidity ratio [kg kg⁻¹]
    fan_speed : float or array_like
        Fraction of full fan speed, 0 <= s <= 1 [-]
    design : CoolingTowerDesign
        From :func:`cooling_tower_design`.
    saturated_enthalpy, saturated_humidity_ratio : callable
        As for the design (:func:`~narvik_thermal.correlations.cooling_tower.saturated_air_table` for speed).
    T_makeup : float or array_like, optional
        Make-up water temperature [K]; default the cold water's.

    Returns
    -------
    CoolingTowerState

    Notes
    -----
    Air (dry) mass flow :math:`\dot m_a = s\,\dot V_d\,\rho_{da}(T_{a,i}, W_{a,i})`,
    NTU scaled with L/G as in :func:`cooling_tower_design`, then
    :func:`cooling_tower_braun`, :func:`cooling_tower_water_use` and
    :math:`P = P_d s^3 \rho/\rho_d`. Fans off: no heat rejected (natural
    draught of a mechanical tower neglected).

    Examples
    --------
    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> from narvik_thermal.correlations.cooling_tower import saturated_air_table
    >>> hs, ws = saturated_air_table(
    ...     lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0),
    ...     lambda T: HAPropsSI("W", "T", T, "P", 101325.0, "R", 1.0))
    >>> h, w = (HAPropsSI(k, "T", 305.15, "P", 101325.0, "B", 297.15) for k in "HW")
    >>> d = cooling_tower_design(1e6, 308.15, 302.15, 305.15, h, w, saturated_enthalpy=hs,
    ...                          saturated_humidity_ratio=ws, water_air_ratio=1.2,
    ...                          fan_power=10e3)
    >>> st = cooling_tower_operate(308.15, d.water_mass_flow, 305.15, h, w, 1.0, d,
    ...                            saturated_enthalpy=hs, saturated_humidity_ratio=ws)
    >>> round(st.T_water_out - 273.15, 6), round(st.heat_flow), round(st.water_withdrawn * 3600)
    (29.0, 1000000, 1937)
    """
    func = "cooling_tower_operate"
    Twi, m_w, Tai, hai, wai = _operate_args(func, T_water_in, water_mass_flow, T_air_in,
                                            h_air_in, w_air_in, saturated_enthalpy,
                                            saturated_humidity_ratio)
    s = _c.in_closed(fan_speed, "fan_speed", func, 0.0, 1.0)
    Tmu = None if T_makeup is None else _c.positive_temperature(T_makeup, "T_makeup", func)
    return _tower_out(_tower_operate(Twi, m_w, Tai, hai, wai, s, design, saturated_enthalpy,
                                     saturated_humidity_ratio, Tmu))


def cooling_tower_fan_speed(T_water_in: Any, water_mass_flow: Any, T_air_in: Any,
                            h_air_in: Any, w_air_in: Any, T_water_out_setpoint: Any,
                            design: CoolingTowerDesign, *, saturated_enthalpy: Callable1,
                            saturated_humidity_ratio: Callable1,
                            min_speed: float | None = None) -> FanControl:
    r"""Tower fan speed that holds a cold-water set-point, bounded to [min speed, 1].

    Parameters
    ----------
    T_water_in, water_mass_flow, T_air_in, h_air_in, w_air_in : float or array_like
        As for :func:`cooling_tower_operate`.
    T_water_out_setpoint : float or array_like
        Wanted cold-water temperature [K]
    design : CoolingTowerDesign
        The sized tower.
    saturated_enthalpy, saturated_humidity_ratio : callable
        As for the design.
    min_speed : float, optional
        Lowest continuous speed [-]; default ``design.min_speed``.

    Returns
    -------
    FanControl
        ``(speed, on_fraction, status, state)``, ``state`` a
        :class:`CoolingTowerState` averaged over fan cycling; ``status`` a
        :class:`ControlStatus` (AT_MAX: the set-point is too close to the
        wet bulb for this tower; CYCLING: minimum speed overcools; OFF: no
        cooling needed). Never raises for an unreachable set-point.

    Notes
    -----
    The cold-water temperature falls monotonically with fan speed; the speed
    is found by the Illinois method to 1e-7. Each trial solves
    :func:`cooling_tower_braun`, so pass tabulated callables
    (:func:`~narvik_thermal.correlations.cooling_tower.saturated_air_table`) in annual loops.

    Examples
    --------
    >>> from CoolProp.HumidAirProp import HAPropsSI
    >>> from narvik_thermal.correlations.cooling_tower import saturated_air_table
    >>> hs, ws = saturated_air_table(
    ...     lambda T: HAPropsSI("H", "T", T, "P", 101325.0, "R", 1.0),
    ...     lambda T: HAPropsSI("W", "T", T, "P", 101325.0, "R", 1.0))
    >>> h, w = (HAPropsSI(k, "T", 305.15, "P", 101325.0, "B", 297.15) for k in "HW")
    >>> d = cooling_tower_design(1e6, 308.15, 302.15, 305.15, h, w, saturated_enthalpy=hs,
    ...                          saturated_humidity_ratio=ws, water_air_ratio=1.2,
    ...                          fan_power=10e3)
    >>> h2, w2 = (HAPropsSI(k, "T", 293.15, "P", 101325.0, "B", 288.15) for k in "HW")
    >>> r = cooling_tower_fan_speed(308.15, d.water_mass_flow, 293.15, h2, w2, 302.15, d,
    ...                             saturated_enthalpy=hs, saturated_humidity_ratio=ws)
    >>> round(float(r.speed), 3), r.status.name, round(r.state.T_water_out - 273.15, 5)
    (0.465, 'ON_SETPOINT', 29.0)
    """
    func = "cooling_tower_fan_speed"
    Twi, m_w, Tai, hai, wai = _operate_args(func, T_water_in, water_mass_flow, T_air_in,
                                            h_air_in, w_air_in, saturated_enthalpy,
                                            saturated_humidity_ratio)
    Tset = _c.positive_temperature(T_water_out_setpoint, "T_water_out_setpoint", func)
    smin = design.min_speed if min_speed is None else float(
        _c.in_closed(min_speed, "min_speed", func, 0.0, 1.0))
    Twi, m_w, Tai, hai, wai, Tset = np.broadcast_arrays(Twi, m_w, Tai, hai, wai, Tset)
    Tset_eff = np.where(m_w > 0.0, Tset, np.inf)

    def run(s):
        return _tower_operate(Twi, m_w, Tai, hai, wai, s, design, saturated_enthalpy,
                              saturated_humidity_ratio, None)

    speed, frac, status = control_to_setpoint(Twi, Tset_eff, np.full(Twi.shape, smin),
                                              lambda s: run(s).T_water_out)
    avg = average_state(run(speed), frac, Twi, CoolingTowerState,
                        keep=("h_air_out", "w_air_out", "NTU"))
    avg = avg._replace(approach=avg.T_water_out - avg.T_wet_bulb)
    return FanControl(_c.out(speed), _c.out(frac), status_out(status), _tower_out(avg))


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("CoolingTowerDesign",))
