r"""Dry coolers: air-cooled finned-coil fluid coolers, sized once and then operated.

A dry cooler is a finned-tube coil with axial fans: water (or glycol) in the
tubes, outdoor air across the fins. It is modelled as a cross-flow heat
exchanger in the ε-NTU form of :mod:`narvik_thermal.correlations.hx`:

- **arrangement**: cross flow with both streams unmixed (default, as
  EnergyPlus's ``FluidCooler`` [4]_), or with the water mixed between passes
  and the air unmixed, or the many-pass cross-counterflow limit
  (counterflow);
- **UA at off-design flows**: the air-side film coefficient of a finned tube
  bank grows as :math:`\dot m_{air}^{n}` with :math:`n \approx 0.6` once the
  fin efficiency is included (Briggs & Young [1]_, ESDU [2]_, both as
  implemented in ``ht``; tests/test_correlations_dry_cooler.py measures
  0.56–0.60), the water side as :math:`\dot m_w^{0.8}` (Dittus–Boelter);
  :func:`ua_flow_law` combines them as two resistances in series;
- **fan power** by the fan laws, :func:`narvik_thermal.correlations.fan.fan_power_affinity`;
- **air mass flow** from the fan's volume flow and the inlet-air density
  (ideal gas), so that a cold day moves more air and costs more fan power at
  the same speed.

Unit-model interface (pure SI floats or NumPy arrays, no pint): size once
with :func:`dry_cooler_design` (a frozen :class:`DryCoolerDesign`), then call
:func:`dry_cooler_operate` per operating point or with arrays of operating
points, and :func:`dry_cooler_fan_speed` for the fan speed that holds a
water-outlet set-point (bounded, with a :class:`ControlStatus` instead of an
exception when it cannot be held).

References
----------
.. [1] D. E. Briggs and E. H. Young, "Convection heat transfer and pressure
   drop of air flowing across triangular pitch banks of finned tubes",
   *Chem. Eng. Prog. Symp. Ser.* 59(41), 1–10, 1963.
.. [2] ESDU 86022, "High-fin staggered tube banks: heat transfer and pressure
   drop for turbulent single phase gas flow", ESDU International, 1986.
.. [3] C. Bell et al., *ht: Heat transfer component of the Chemical
   Engineering Design Library*, ``ht.air_cooler``, https://github.com/CalebBell/ht.
.. [4] U.S. DOE, *EnergyPlus Engineering Reference*, "Fluid coolers" (cross
   flow, both streams unmixed, UA-based), v9–v24.
.. [5] T. L. Bergman, A. S. Lavine, F. P. Incropera and D. P. DeWitt,
   *Fundamentals of Heat and Mass Transfer*, 7th ed., Wiley, 2011, Table 11.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args

import numpy as np

from ..errors import InputError
from . import _checks as _c
from . import hx
from ._control import (ControlStatus, FanControl, average_state, control_to_setpoint,
                       status_out)
from .fan import STANDARD_PRESSURE, air_density, fan_power_affinity

__all__ = [
    "DryCoolerArrangement", "DRY_COOLER_ARRANGEMENTS", "ControlStatus",
    "ua_flow_law", "dry_cooler_effectiveness", "DryCoolerDesign", "DryCoolerState",
    "FanControl", "dry_cooler_design", "dry_cooler_operate", "dry_cooler_fan_speed",
    "DEFAULT_AIR_EXPONENT", "DEFAULT_WATER_EXPONENT", "CP_AIR", "CP_WATER",
]

DryCoolerArrangement = Literal["crossflow_unmixed", "crossflow_unmixed_exact",
                               "crossflow_water_mixed", "counterflow"]
#: Supported coil arrangements.
DRY_COOLER_ARRANGEMENTS: tuple[str, ...] = get_args(DryCoolerArrangement)

#: Exponent of the air mass flow in the air-side conductance of a finned coil
#: [-]: the local exponent of ht's Briggs & Young and ESDU 86022 finned-bundle
#: coefficients (fin efficiency included) is 0.56–0.60 between 30 and 100 %
#: air flow (tests/test_correlations_dry_cooler.py).
DEFAULT_AIR_EXPONENT = 0.6
#: Exponent of the water flow in the tube-side conductance, Dittus–Boelter [-].
DEFAULT_WATER_EXPONENT = 0.8
#: Specific heat of dry air near 0–40 °C [J kg⁻¹ K⁻¹] (ASHRAE Fundamentals ch. 1).
CP_AIR = 1006.0
#: Specific heat of liquid water near 20–40 °C [J kg⁻¹ K⁻¹] (IAPWS-95: 4.182–4.179).
CP_WATER = 4180.0


def _check_arrangement(arrangement: str, func: str) -> None:
    if arrangement not in DRY_COOLER_ARRANGEMENTS:
        raise InputError(f"{func}: unknown arrangement {arrangement!r}; expected one of "
                         f"{list(DRY_COOLER_ARRANGEMENTS)}.")


# --------------------------------------------------------------------------- UA law
def ua_flow_law(ua_design: Any, air_flow_ratio: Any, water_flow_ratio: Any = 1.0, *,
                air_exponent: float = DEFAULT_AIR_EXPONENT,
                water_resistance_fraction: float = 0.0,
                water_exponent: float = DEFAULT_WATER_EXPONENT) -> Any:
    r"""Overall conductance of a finned coil at off-design air and water flows.

    Parameters
    ----------
    ua_design : float or array_like
        UA at the design flows, >= 0 [W K⁻¹]
    air_flow_ratio : float or array_like
        Air mass flow over its design value, >= 0 [-]
    water_flow_ratio : float or array_like, optional
        Water mass flow over its design value, >= 0 [-]; default 1.
    air_exponent : float, optional
        Exponent :math:`n_a` of the air-side conductance, default 0.6 [-]
    water_resistance_fraction : float, optional
        Share :math:`f_w` of the design thermal resistance on the water side
        (tube film and wall), 0 <= f_w < 1; default 0 (air side dominated) [-]
    water_exponent : float, optional
        Exponent :math:`n_w` of the water-side conductance, default 0.8 [-]

    Returns
    -------
    float or numpy.ndarray
        UA [W K⁻¹]

    Notes
    -----
    Two film resistances in series, each scaling with its own flow:

    .. math::
        \frac{1}{UA} = \frac{1 - f_w}{UA_d}\left(\frac{\dot m_a}{\dot m_{a,d}}\right)^{-n_a}
        + \frac{f_w}{UA_d}\left(\frac{\dot m_w}{\dot m_{w,d}}\right)^{-n_w}

    With :math:`f_w = 0` this is :math:`UA = UA_d(\dot m_a/\dot m_{a,d})^{n_a}`.
    :math:`n_a = 0.6` is the local exponent of the bare-tube-basis
    coefficients of Briggs & Young [1]_ and ESDU 86022 [2]_ (``ht`` [3]_,
    fin efficiency included; :math:`Nu \propto Re^{0.681}` before fin
    efficiency); :math:`n_w = 0.8` is Dittus–Boelter's turbulent tube flow.
    A zero flow gives UA = 0. Valid in the turbulent air range of those
    correlations (Re 1,000–8,000 for Briggs & Young, i.e. down to roughly
    15–30 % of design air flow); laminar water flow is not represented.

    References
    ----------
    .. [1] D. E. Briggs and E. H. Young, *Chem. Eng. Prog. Symp. Ser.* 59(41),
       1–10, 1963.
    .. [2] ESDU 86022, ESDU International, 1986.
    .. [3] C. Bell et al., ``ht.air_cooler``, https://github.com/CalebBell/ht.

    Examples
    --------
    Half the air flow keeps 66 % of the conductance:

    >>> round(ua_flow_law(100e3, 0.5), 1)
    65975.4
    """
    func = "ua_flow_law"
    ua = _c.nonnegative(ua_design, "ua_design", func)
    ra = _c.nonnegative(air_flow_ratio, "air_flow_ratio", func)
    rw = _c.nonnegative(water_flow_ratio, "water_flow_ratio", func)
    na = _c.positive(air_exponent, "air_exponent", func)
    nw = _c.positive(water_exponent, "water_exponent", func)
    fw = float(_c.in_closed(water_resistance_fraction, "water_resistance_fraction", func,
                            0.0, 1.0))
    if fw >= 1.0:
        raise InputError(f"{func}: water_resistance_fraction must be < 1 (the air side has "
                         f"some resistance), got {fw!r}.")
    return _c.out(_ua_law(ua, ra, rw, na, fw, nw))


def _ua_law(ua, ra, rw, na, fw, nw):
    with np.errstate(divide="ignore"):
        ga = np.where(ra > 0.0, ra ** na, 0.0)
        gw = np.where(rw > 0.0, rw ** nw, 0.0)
        if fw == 0.0:
            return ua * ga
        r = (1.0 - fw) / np.where(ga > 0.0, ga, 1.0) + fw / np.where(gw > 0.0, gw, 1.0)
        return np.where((ga > 0.0) & (gw > 0.0), ua / r, 0.0)


# --------------------------------------------------------------------- effectiveness
def _hx_arrangement(arrangement: str, water_is_min: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Pairs (hx arrangement, mask) covering every element."""
    if arrangement == "crossflow_water_mixed":
        return [("crossflow_cmin_mixed", water_is_min), ("crossflow_cmax_mixed", ~water_is_min)]
    return [(arrangement, np.ones_like(water_is_min))]


def _effectiveness(NTU, Cr, water_is_min, arrangement):
    NTU, Cr, water_is_min = np.broadcast_arrays(NTU, Cr, water_is_min)
    eps = np.zeros(NTU.shape)
    for arr, mask in _hx_arrangement(arrangement, water_is_min):
        if np.any(mask):
            eps[mask] = hx.effectiveness_from_NTU(NTU[mask], Cr[mask], arr)
    return eps


def _ntu(eps, Cr, water_is_min, arrangement, func):
    eps, Cr, water_is_min = np.broadcast_arrays(eps, Cr, water_is_min)
    ntu = np.zeros(eps.shape)
    for arr, mask in _hx_arrangement(arrangement, water_is_min):
        if np.any(mask):
            try:
                ntu[mask] = hx.NTU_from_effectiveness(eps[mask], Cr[mask], arr)
            except InputError as exc:
                raise InputError(f"{func}: the design duty cannot be reached by a "
                                 f"{arrangement} coil at these temperatures and flows ({exc}) "
                                 "Raise the air flow (smaller air temperature rise), widen the "
                                 "approach or choose arrangement='counterflow'.") from None
    return ntu


def dry_cooler_effectiveness(NTU: Any, C_water: Any, C_air: Any,
                             arrangement: DryCoolerArrangement = "crossflow_unmixed") -> Any:
    r"""Effectiveness of a dry-cooler coil from NTU and the two capacity rates.

    Parameters
    ----------
    NTU : float or array_like
        :math:`UA/C_{min}`, >= 0 [-]
    C_water, C_air : float or array_like
        Heat-capacity rates :math:`\dot m c_p` of water and air, > 0 [W K⁻¹]
    arrangement : str, optional
        ``"crossflow_unmixed"`` (default; both unmixed, Incropera's
        approximation as EnergyPlus), ``"crossflow_unmixed_exact"`` (exact
        series), ``"crossflow_water_mixed"`` (water mixed between passes, air
        unmixed) or ``"counterflow"`` (many-pass cross-counterflow limit).

    Returns
    -------
    float or numpy.ndarray
        :math:`\varepsilon = \dot Q/[C_{min}(T_{w,in} - T_{a,in})]` [-]

    Notes
    -----
    Maps to :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`
    with :math:`C_r = C_{min}/C_{max}`; with the water mixed the relation is
    "C_min mixed" when the water has the smaller capacity rate and "C_max
    mixed" otherwise [5]_.

    References
    ----------
    .. [5] T. L. Bergman et al., *Fundamentals of Heat and Mass Transfer*,
       7th ed., Wiley, 2011, Table 11.3.

    Examples
    --------
    >>> round(dry_cooler_effectiveness(2.0, 20e3, 40e3), 4)
    0.7388
    """
    func = "dry_cooler_effectiveness"
    _check_arrangement(arrangement, func)
    N = _c.nonnegative(NTU, "NTU", func)
    Cw = _c.positive(C_water, "C_water", func)
    Ca = _c.positive(C_air, "C_air", func)
    Cmin, Cmax = np.minimum(Cw, Ca), np.maximum(Cw, Ca)
    return _c.out(_effectiveness(N, Cmin / Cmax, Cw <= Ca, arrangement))


# ------------------------------------------------------------------------- design
@dataclass(frozen=True)
class DryCoolerDesign:
    """A dry cooler sized at its design point (SI floats), from :func:`dry_cooler_design`.

    Attributes
    ----------
    heat_flow : float
        Design duty [W].
    ua : float
        Overall conductance at design flows [W K⁻¹].
    water_mass_flow : float
        Design water flow [kg s⁻¹].
    air_volume_flow : float
        Air volume flow at full fan speed [m³ s⁻¹].
    air_density : float
        Inlet-air density at the design point [kg m⁻³].
    fan_power : float
        Fan electric power at full speed and design air density [W].
    T_water_in, T_water_out, T_air_in : float
        Design temperatures [K].
    cp_water, cp_air : float
        Specific heats used in sizing [J kg⁻¹ K⁻¹].
    arrangement : str
        Coil arrangement (see :func:`dry_cooler_effectiveness`).
    air_exponent, water_resistance_fraction, water_exponent : float
        The UA law of :func:`ua_flow_law`.
    min_speed : float
        Lowest continuous fan speed [-]; below it the fans cycle.
    pressure : float
        Air pressure of the design [Pa].
    """

    heat_flow: float
    ua: float
    water_mass_flow: float
    air_volume_flow: float
    air_density: float
    fan_power: float
    T_water_in: float
    T_water_out: float
    T_air_in: float
    cp_water: float = CP_WATER
    cp_air: float = CP_AIR
    arrangement: str = "crossflow_unmixed"
    air_exponent: float = DEFAULT_AIR_EXPONENT
    water_resistance_fraction: float = 0.0
    water_exponent: float = DEFAULT_WATER_EXPONENT
    min_speed: float = 0.1
    pressure: float = STANDARD_PRESSURE

    @property
    def air_mass_flow(self) -> float:
        """Air mass flow at full speed and design density [kg s⁻¹]."""
        return self.air_volume_flow * self.air_density

    @property
    def approach(self) -> float:
        """Design approach, water outlet minus air inlet [K]."""
        return self.T_water_out - self.T_air_in

    @property
    def T_air_out(self) -> float:
        """Design air outlet temperature [K]."""
        return self.T_air_in + self.heat_flow / (self.air_mass_flow * self.cp_air)

    @property
    def specific_fan_power(self) -> float:
        """Fan power per air volume flow at full speed [W per m³ s⁻¹]."""
        return self.fan_power / self.air_volume_flow


class DryCoolerState(NamedTuple):
    """Operating state of a dry cooler (SI floats or arrays), from :func:`dry_cooler_operate`.

    Attributes
    ----------
    T_water_out : float or numpy.ndarray
        Water outlet temperature [K].
    heat_flow : float or numpy.ndarray
        Heat rejected to the air, :math:`\\dot m_w c_p (T_{in} - T_{out})` [W].
    fan_power : float or numpy.ndarray
        Fan electric power [W].
    T_air_out : float or numpy.ndarray
        Mixed air outlet temperature [K].
    air_mass_flow : float or numpy.ndarray
        Air mass flow [kg s⁻¹].
    ua : float or numpy.ndarray
        Conductance at this air and water flow [W K⁻¹].
    """

    T_water_out: Any
    heat_flow: Any
    fan_power: Any
    T_air_out: Any
    air_mass_flow: Any
    ua: Any


def dry_cooler_design(heat_flow: float, T_water_in: float, T_water_out: float, T_air_in: float,
                      *, air_temperature_rise: float | None = None,
                      air_volume_flow: float | None = None,
                      fan_power: float | None = None, specific_fan_power: float | None = None,
                      arrangement: DryCoolerArrangement = "crossflow_unmixed",
                      cp_water: float = CP_WATER, cp_air: float = CP_AIR,
                      air_exponent: float = DEFAULT_AIR_EXPONENT,
                      water_resistance_fraction: float = 0.0,
                      water_exponent: float = DEFAULT_WATER_EXPONENT,
                      min_speed: float = 0.1,
                      pressure: float = STANDARD_PRESSURE) -> DryCoolerDesign:
    r"""Size a dry cooler from its design (or catalogue rating) point.

    Parameters
    ----------
    heat_flow : float
        Duty at the design point, > 0 [W]
    T_water_in, T_water_out : float
        Water inlet and outlet at the design point [K]; ``T_water_out`` above
        ``T_air_in`` (the approach is their difference).
    T_air_in : float
        Design air inlet (dry-bulb) temperature [K]
    air_temperature_rise : float, optional
        Air temperature rise at the design point [K]; or give
        ``air_volume_flow`` (exactly one of the two).
    air_volume_flow : float, optional
        Air volume flow at full speed [m³ s⁻¹] (a catalogue's "air flow").
    fan_power : float, optional
        Fan electric power at full speed [W]; or give ``specific_fan_power``
        (exactly one of the two).
    specific_fan_power : float, optional
        Fan power per air volume flow [W per m³ s⁻¹].
    arrangement : str, optional
        See :func:`dry_cooler_effectiveness`; default ``"crossflow_unmixed"``.
    cp_water, cp_air : float, optional
        Specific heats [J kg⁻¹ K⁻¹]; defaults 4180 (water) and 1006 (dry
        air). Pass the glycol's cp for a glycol circuit.
    air_exponent, water_resistance_fraction, water_exponent : float, optional
        UA law of :func:`ua_flow_law` used off design.
    min_speed : float, optional
        Lowest continuous fan speed, default 0.1 [-]
    pressure : float, optional
        Air pressure [Pa], default 101325 Pa.

    Returns
    -------
    DryCoolerDesign

    Raises
    ------
    InputError
        Temperatures out of order, both or neither of each alternative pair,
        or a duty the arrangement cannot reach (the message says what to change).

    Notes
    -----
    .. math::
        \dot m_w = \frac{\dot Q}{c_{p,w}(T_{w,in} - T_{w,out})},\quad
        \dot m_a = \frac{\dot Q}{c_{p,a}\Delta T_a}\ \text{or}\ \rho_a \dot V_a,\quad
        \varepsilon = \frac{\dot Q}{C_{min}(T_{w,in} - T_{a,in})},\quad
        UA = NTU(\varepsilon, C_r)\,C_{min}

    with :math:`\rho_a` the dry-air density at the design inlet (ideal gas,
    :func:`~narvik_thermal.correlations.fan.air_density`). The design is
    reproduced exactly by :func:`dry_cooler_operate` at full speed and design
    conditions.

    Examples
    --------
    A 1 MW cooler, water 40 → 32 °C, air 25 °C rising 10 K, 8 kW of fans:

    >>> d = dry_cooler_design(1e6, 313.15, 305.15, 298.15, air_temperature_rise=10.0,
    ...                       fan_power=8e3)
    >>> round(d.ua / 1e3, 1), round(d.air_volume_flow, 1)
    (203.6, 84.0)
    """
    func = "dry_cooler_design"
    _check_arrangement(arrangement, func)
    Q = float(_c.positive(heat_flow, "heat_flow", func))
    Twi = float(_c.positive_temperature(T_water_in, "T_water_in", func))
    Two = float(_c.positive_temperature(T_water_out, "T_water_out", func))
    Tai = float(_c.positive_temperature(T_air_in, "T_air_in", func))
    cpw = float(_c.positive(cp_water, "cp_water", func))
    cpa = float(_c.positive(cp_air, "cp_air", func))
    p = float(_c.positive(pressure, "pressure", func))
    smin = float(_c.in_closed(min_speed, "min_speed", func, 0.0, 1.0))
    if not Twi > Two > Tai:
        raise InputError(f"{func}: need T_water_in > T_water_out > T_air_in, got "
                         f"{_c.deg_c(Twi)}, {_c.deg_c(Two)}, {_c.deg_c(Tai)}; a dry cooler "
                         "cools water towards the air temperature.")
    if (air_temperature_rise is None) == (air_volume_flow is None):
        raise InputError(f"{func}: give exactly one of air_temperature_rise [K] or "
                         "air_volume_flow [m^3/s] (a catalogue's air flow).")
    if (fan_power is None) == (specific_fan_power is None):
        raise InputError(f"{func}: give exactly one of fan_power [W] or specific_fan_power "
                         "[W per m^3/s].")
    rho = float(air_density(Tai, p))
    if air_volume_flow is None:
        dTa = float(_c.positive(air_temperature_rise, "air_temperature_rise", func))
        m_air = Q / (cpa * dTa)
        V = m_air / rho
    else:
        V = float(_c.positive(air_volume_flow, "air_volume_flow", func))
        m_air = V * rho
    if Tai + Q / (m_air * cpa) >= Twi:
        raise InputError(f"{func}: the air would leave at "
                         f"{_c.deg_c(Tai + Q / (m_air * cpa))}, not below the water inlet "
                         f"{_c.deg_c(Twi)}; give more air flow.")
    P = (float(_c.nonnegative(fan_power, "fan_power", func)) if fan_power is not None
         else float(_c.nonnegative(specific_fan_power, "specific_fan_power", func)) * V)
    m_w = Q / (cpw * (Twi - Two))
    Cw, Ca = m_w * cpw, m_air * cpa
    Cmin, Cmax = min(Cw, Ca), max(Cw, Ca)
    eps = Q / (Cmin * (Twi - Tai))
    ntu = float(_ntu(np.asarray(eps), np.asarray(Cmin / Cmax), np.asarray(Cw <= Ca),
                     arrangement, func))
    # validate the UA-law parameters once, here
    ua_flow_law(1.0, 1.0, 1.0, air_exponent=air_exponent,
                water_resistance_fraction=water_resistance_fraction,
                water_exponent=water_exponent)
    return DryCoolerDesign(heat_flow=Q, ua=ntu * Cmin, water_mass_flow=m_w, air_volume_flow=V,
                           air_density=rho, fan_power=P, T_water_in=Twi, T_water_out=Two,
                           T_air_in=Tai, cp_water=cpw, cp_air=cpa, arrangement=arrangement,
                           air_exponent=float(air_exponent),
                           water_resistance_fraction=float(water_resistance_fraction),
                           water_exponent=float(water_exponent), min_speed=smin, pressure=p)


# ---------------------------------------------------------------------- operation
def _operate(Twi, m_w, Tai, s, d: DryCoolerDesign, cpw):
    """Kernel of :func:`dry_cooler_operate` on validated, broadcastable arrays."""
    rho = air_density(Tai, d.pressure)
    m_air = s * d.air_volume_flow * rho
    ua = _ua_law(d.ua, m_air / d.air_mass_flow, m_w / d.water_mass_flow, d.air_exponent,
                 d.water_resistance_fraction, d.water_exponent)
    Cw = m_w * cpw
    Ca = m_air * d.cp_air
    Cmin = np.minimum(Cw, Ca)
    Cmax = np.maximum(Cw, Ca)
    live = Cmin > 0.0
    Cs = np.where(live, Cmin, 1.0)
    eps = _effectiveness(np.where(live, ua / Cs, 0.0), np.where(live, Cmin / np.where(live, Cmax, 1.0), 0.0),
                         Cw <= Ca, d.arrangement)
    Q = np.where(live, eps * Cmin * (Twi - Tai), 0.0)
    Two = Twi - np.where(Cw > 0.0, Q / np.where(Cw > 0.0, Cw, 1.0), 0.0)
    Tao = Tai + np.where(Ca > 0.0, Q / np.where(Ca > 0.0, Ca, 1.0), 0.0)
    P = fan_power_affinity(s, d.fan_power, density_ratio=rho / d.air_density)
    return DryCoolerState(Two, Q, P, Tao, m_air, ua)


def _out_state(st: DryCoolerState) -> DryCoolerState:
    return DryCoolerState(*(_c.out(np.asarray(v, dtype=float)) for v in st))


def dry_cooler_operate(T_water_in: Any, water_mass_flow: Any, T_air_in: Any, fan_speed: Any,
                       design: DryCoolerDesign, *, cp_water: float | None = None) -> DryCoolerState:
    r"""Water outlet, heat rejected and fan power of a sized dry cooler at one or many points.

    Parameters
    ----------
    T_water_in : float or array_like
        Water inlet temperature [K]
    water_mass_flow : float or array_like
        Water flow, >= 0 [kg s⁻¹]
    T_air_in : float or array_like
        Air inlet (dry-bulb) temperature [K]
    fan_speed : float or array_like
        Fan speed as a fraction of full speed, 0 <= s <= 1 [-]
    design : DryCoolerDesign
        From :func:`dry_cooler_design`.
    cp_water : float, optional
        Water specific heat [J kg⁻¹ K⁻¹]; default the design's.

    Returns
    -------
    DryCoolerState
        ``(T_water_out, heat_flow, fan_power, T_air_out, air_mass_flow, ua)``;
        floats for scalar inputs, broadcast arrays otherwise.

    Notes
    -----
    .. math::
        \dot m_a = s\,\dot V_d\,\rho_a(T_{a,in}),\quad UA = \text{ua\_flow\_law},\quad
        \dot Q = \varepsilon(NTU, C_r)\,C_{min}\,(T_{w,in} - T_{a,in}),

        T_{w,out} = T_{w,in} - \dot Q/C_w,\quad
        P = P_d\,s^3\,\rho_a/\rho_{a,d}.

    Energy closes exactly: :math:`C_w(T_{w,in}-T_{w,out}) = C_a(T_{a,out}-T_{a,in})`.
    Heat flows from water to air when the water is warmer; the same
    formula gives the (negative) heat taken from warmer air. With fans off
    the coil rejects nothing (natural convection neglected).

    Examples
    --------
    >>> d = dry_cooler_design(1e6, 313.15, 305.15, 298.15, air_temperature_rise=10.0,
    ...                       fan_power=8e3)
    >>> st = dry_cooler_operate(313.15, d.water_mass_flow, 298.15, 1.0, d)
    >>> round(st.T_water_out - 273.15, 6), round(st.heat_flow), round(st.fan_power)
    (32.0, 1000000, 8000)
    >>> round(dry_cooler_operate(313.15, d.water_mass_flow, 278.15, 0.5, d).heat_flow / 1e3)
    1539
    """
    func = "dry_cooler_operate"
    Twi = _c.positive_temperature(T_water_in, "T_water_in", func)
    m_w = _c.nonnegative(water_mass_flow, "water_mass_flow", func)
    Tai = _c.positive_temperature(T_air_in, "T_air_in", func)
    s = _c.in_closed(fan_speed, "fan_speed", func, 0.0, 1.0)
    cpw = design.cp_water if cp_water is None else float(_c.positive(cp_water, "cp_water", func))
    return _out_state(_operate(Twi, m_w, Tai, s, design, cpw))


def dry_cooler_fan_speed(T_water_in: Any, water_mass_flow: Any, T_air_in: Any,
                         T_water_out_setpoint: Any, design: DryCoolerDesign, *,
                         min_speed: float | None = None,
                         cp_water: float | None = None) -> FanControl:
    r"""Fan speed that holds a water-outlet set-point, bounded to [min speed, full speed].

    Parameters
    ----------
    T_water_in : float or array_like
        Water inlet temperature [K]
    water_mass_flow : float or array_like
        Water flow, >= 0 [kg s⁻¹]
    T_air_in : float or array_like
        Air inlet temperature [K]
    T_water_out_setpoint : float or array_like
        Wanted water outlet temperature [K]
    design : DryCoolerDesign
        The sized cooler.
    min_speed : float, optional
        Lowest continuous speed [-]; default ``design.min_speed``.
    cp_water : float, optional
        Water specific heat [J kg⁻¹ K⁻¹]; default the design's.

    Returns
    -------
    FanControl
        ``(speed, on_fraction, status, state)`` with ``state`` a
        :class:`DryCoolerState` averaged over fan cycling. Never raises
        because a set-point cannot be held: ``status`` says so
        (:class:`ControlStatus`: AT_MAX when full speed is too little,
        CYCLING when minimum speed is too much, OFF when no cooling is needed).

    Notes
    -----
    The outlet temperature falls monotonically with fan speed; the speed is
    found by the Illinois method on :math:`[s_{min}, 1]` to 1e-7 in speed.
    When cycling, the fans run at :math:`s_{min}` for the fraction
    :math:`\omega = (T_{in} - T_{set})/(T_{in} - T_{out}(s_{min}))` of the
    time, as EnergyPlus's fluid coolers and towers do [4]_.

    References
    ----------
    .. [4] U.S. DOE, *EnergyPlus Engineering Reference*, "Cooling towers and
       evaporative fluid coolers", fan cycling fraction.

    Examples
    --------
    >>> d = dry_cooler_design(1e6, 313.15, 305.15, 298.15, air_temperature_rise=10.0,
    ...                       fan_power=8e3)
    >>> r = dry_cooler_fan_speed(313.15, d.water_mass_flow, 288.15, 305.15, d)
    >>> round(float(r.speed), 3), ControlStatus(r.status).name, round(r.state.T_water_out - 273.15, 5)
    (0.458, 'ON_SETPOINT', 32.0)
    """
    func = "dry_cooler_fan_speed"
    Twi = _c.positive_temperature(T_water_in, "T_water_in", func)
    m_w = _c.nonnegative(water_mass_flow, "water_mass_flow", func)
    Tai = _c.positive_temperature(T_air_in, "T_air_in", func)
    Tset = _c.positive_temperature(T_water_out_setpoint, "T_water_out_setpoint", func)
    smin = design.min_speed if min_speed is None else float(
        _c.in_closed(min_speed, "min_speed", func, 0.0, 1.0))
    cpw = design.cp_water if cp_water is None else float(_c.positive(cp_water, "cp_water", func))
    Twi, m_w, Tai, Tset = np.broadcast_arrays(Twi, m_w, Tai, Tset)
    # no flow: nothing to control
    Tset_eff = np.where(m_w > 0.0, Tset, np.inf)

    # the states the search made, by the speeds they were made at: the speed found is
    # one of them at full speed (AT_MAX), at the minimum (CYCLING) and where the search
    # ends on a speed it tried, and its state is then the one made (the same arrays in,
    # the same out), not made again
    made = {}

    def outlet(s):
        st = _operate(Twi, m_w, Tai, s, design, cpw)
        s = np.asarray(s)
        made[(s.dtype.str, s.shape, s.tobytes())] = st
        return st.T_water_out

    speed, frac, status = control_to_setpoint(Twi, Tset_eff, np.full(Twi.shape, smin), outlet)
    on = made.get((speed.dtype.str, speed.shape, speed.tobytes()))
    if on is None:
        on = _operate(Twi, m_w, Tai, speed, design, cpw)
    state = average_state(on, frac, Twi, DryCoolerState, keep=("ua",))
    return FanControl(_c.out(speed), _c.out(frac), status_out(status), _out_state(state))


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("DryCoolerDesign",))
