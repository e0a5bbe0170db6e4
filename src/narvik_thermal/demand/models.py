r"""Heat-demand models: greenhouse, salmon RAS farm, district heating.

Public functions take pint Quantities (or strings) and return Quantities;
the arithmetic is done once on SI floats/arrays.

References
----------
.. [1] Single-glass U-value about 6 W/(m² K); double glazing loses 34 % less
   (narvik-facts §6, R73, R74).
.. [2] Salmon RAS temperatures (R79, R80), energy use 3–12.8 kWh/kg (R81, R82)
   and the estimate 1–3 GWh/yr of heat for 1,000 t/yr (narvik-facts §6).
.. [3] Heating degree days, base 17 °C (narvik-facts §4, R54); Narvik district
   heating of the order of 100 GWh/yr (narvik-facts §8 est.).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError, user_api
from ..units import Q_, to_si, to_temperature

__all__ = ["greenhouse_heat_demand", "salmon_farm_heat_demand", "district_heating_demand"]

#: Volumetric heat capacity of air at about 15 °C, ρ c_p = 1.2 kg/m³ × 1006 J/(kg K) [GEK].
_AIR_RHO_CP = 1.2 * 1006.0


def _nonneg(value: float | np.ndarray, name: str, given: Any) -> None:
    if np.any(np.asarray(value) < 0):
        raise InputError(f"{name} must be >= 0, got {given}.")


def _positive(value: float | np.ndarray, name: str, given: Any) -> None:
    if np.any(np.asarray(value) <= 0):
        raise InputError(f"{name} must be > 0, got {given}.")


def _fraction(value: Any, name: str, *, upper_open: bool = False) -> float:
    v = to_si(value, "", name)
    if np.ndim(v) != 0 or v < 0 or v > 1 or (upper_open and v >= 1):
        rng = "[0, 1)" if upper_open else "[0, 1]"
        raise InputError(f"{name} must be a number in {rng}, got {value!r}.")
    return float(v)


@user_api
def greenhouse_heat_demand(outdoor_temperature: Any, *, cover_area: Any,
                           u_value: Any = "6 W/(m^2*K)",
                           indoor_setpoint: Any = "20 degC",
                           air_changes_per_hour: Any = "0 1/h",
                           volume: Any = None,
                           solar_gain: Any = "0 W/m^2",
                           floor_area: Any = None,
                           screen_factor: float = 0.0) -> Any:
    r"""Heating power of a greenhouse for given outdoor temperatures (vectorised).

    Parameters
    ----------
    outdoor_temperature : pint.Quantity
        Outdoor air temperature, scalar or hourly array [degC or K].
    cover_area : pint.Quantity
        Glazed cover (envelope) area [m²], > 0.
    u_value : pint.Quantity, optional
        Overall heat-loss coefficient of the cover [W m⁻² K⁻¹]; default 6, single
        glass (R73). Greenhouse practice quotes it including typical
        infiltration; then leave ``air_changes_per_hour`` at 0.
    indoor_setpoint : pint.Quantity, optional
        Heating set-point [degC], default 20 °C.
    air_changes_per_hour : pint.Quantity, optional
        Extra ventilation/infiltration [1/h], default 0; needs ``volume``.
    volume : pint.Quantity, optional
        Air volume [m³].
    solar_gain : pint.Quantity, optional
        Useful solar heat per m² of floor [W m⁻²], scalar or hourly; default 0.
    floor_area : pint.Quantity, optional
        Floor area [m²]; default ``cover_area / 1.3`` (narvik-facts §6 ratio).
    screen_factor : float, optional
        Fractional reduction of the cover loss by energy screens or double
        glazing [-], in [0, 1); double glazing ≈ 0.34 (R74).

    Returns
    -------
    pint.Quantity
        Heating power [W], >= 0, same shape as the broadcast inputs.

    Notes
    -----
    .. math::
        \dot Q = \max\left\{0,\ \left[U A_c (1 - f_s) + \rho c_p \frac{n V}{3600}\right]
        (T_{set} - T_{out}) - G A_f\right\}

    Steady state; no thermal mass, lighting heat or latent loads. Design check
    (narvik-facts §6): ΔT = 38 K with single glass gives 6 × 38 = 228 W per m²
    of cover (≈ 230 W/m²).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> q = greenhouse_heat_demand(nt.Q_([-18, 20, 25], "degC"),
    ...                            cover_area=nt.Q_(1000, "m^2"))
    >>> q.m_as("kW")
    array([228.,   0.,   0.])
    """
    T_out = np.asarray(to_temperature(outdoor_temperature, "outdoor_temperature"))
    A = to_si(cover_area, "m^2", "cover_area")
    _positive(A, "cover_area", cover_area)
    U = to_si(u_value, "W/(m^2*K)", "u_value")
    _nonneg(U, "u_value", u_value)
    T_set = to_temperature(indoor_setpoint, "indoor_setpoint")
    n = to_si(air_changes_per_hour, "1/h", "air_changes_per_hour")
    _nonneg(n, "air_changes_per_hour", air_changes_per_hour)
    if np.any(np.asarray(n) > 0):
        if volume is None:
            raise InputError("air_changes_per_hour > 0 needs the greenhouse air volume: "
                             "pass volume=Q_(..., 'm^3').")
        V = to_si(volume, "m^3", "volume")
        _positive(V, "volume", volume)
    else:
        V = 0.0
    G = to_si(solar_gain, "W/m^2", "solar_gain")
    _nonneg(G, "solar_gain", solar_gain)
    A_f = A / 1.3 if floor_area is None else to_si(floor_area, "m^2", "floor_area")
    _positive(A_f, "floor_area", floor_area)
    f_s = _fraction(screen_factor, "screen_factor", upper_open=True)
    ua = U * A * (1.0 - f_s) + _AIR_RHO_CP * n * V / 3600.0
    q = np.maximum(0.0, ua * (T_set - T_out) - G * A_f)
    return Q_(float(q) if np.ndim(q) == 0 else q, "W")


@user_api
def salmon_farm_heat_demand(*, production: Any = "1000 t/yr",
                            make_up_water_per_kg_feed: Any = "300 L/kg",
                            fcr: float = 1.1,
                            target_temperature: Any = "13 degC",
                            intake_temperature: Any = "7 degC",
                            building_ua: Any = "0 W/K",
                            outdoor_temperature: Any = "5.1 degC",
                            heat_recovery: float = 0.0,
                            water_density: Any = "1000 kg/m^3",
                            water_heat_capacity: Any = "4.18 kJ/(kg*K)") -> Any:
    r"""Annual heat demand of a land-based salmon RAS farm.

    Parameters
    ----------
    production : pint.Quantity, optional
        Fish produced per year [t/yr], default 1,000 t/yr.
    make_up_water_per_kg_feed : pint.Quantity, optional
        New water per kg of feed [L/kg], default 300 L/kg [GEK, narvik-facts §6].
    fcr : float, optional
        Feed conversion ratio, kg feed per kg fish [-], default 1.1 [GEK].
    target_temperature : pint.Quantity, optional
        Rearing temperature, default 13 °C (12–14 °C, R79, R80).
    intake_temperature : pint.Quantity, optional
        Make-up water intake temperature, default 7 °C (deep fjord intake,
        narvik-facts defaults). narvik-facts §6 assumes an 8 K rise.
    building_ua : pint.Quantity, optional
        Heat-loss coefficient of the buildings [W/K], default 0.
    outdoor_temperature : pint.Quantity, optional
        Annual mean outdoor temperature for the building loss, default 5.1 °C (R38).
    heat_recovery : float, optional
        Fraction of the make-up-water heat recovered from the effluent [-], default 0.
    water_density, water_heat_capacity : pint.Quantity, optional
        Make-up water properties, default fresh water 1000 kg/m³ and 4.18 kJ/(kg K).

    Returns
    -------
    pint.Quantity
        Heat per year [GWh] (divide by a year for the mean power).

    Notes
    -----
    .. math::
        E = \left[P\,\mathrm{FCR}\,v_{mu}\,\rho c_p (T_{target} - T_{in})(1 - r)
        + UA\,(T_{target} - \bar T_{out})\right] \times 1\ \mathrm{yr}

    With the §6 inputs (1,000 t/yr, FCR 1.1, 300 L/kg, 8 K) the water term is
    3.3·10⁵ m³/yr × 4.18 MJ/(m³ K) × 8 K ≈ 3.1 GWh/yr (0.35 MW); with the
    default 6 K rise 2.3 GWh/yr — inside the 1–3 GWh/yr estimate. For
    comparison, smolt RAS use 5.1–12.8 kWh/kg of all energy (R81) and
    3–10 kWh/kg (R82).

    Examples
    --------
    >>> round(salmon_farm_heat_demand().m_as("GWh"), 2)
    2.3
    """
    P = to_si(production, "kg/s", "production")
    _positive(P, "production", production)
    v = to_si(make_up_water_per_kg_feed, "m^3/kg", "make_up_water_per_kg_feed")
    _nonneg(v, "make_up_water_per_kg_feed", make_up_water_per_kg_feed)
    f = to_si(fcr, "", "fcr")
    if np.ndim(f) != 0 or not 0.5 <= f <= 3.0:
        raise InputError(f"fcr must be a number between 0.5 and 3 (kg feed per kg fish), "
                         f"got {fcr!r}.")
    T_t = to_temperature(target_temperature, "target_temperature")
    T_in = to_temperature(intake_temperature, "intake_temperature")
    if T_in > T_t:
        raise InputError(f"intake_temperature ({intake_temperature}) is above "
                         f"target_temperature ({target_temperature}): the farm would need "
                         "cooling, not heat.")
    ua = to_si(building_ua, "W/K", "building_ua")
    _nonneg(ua, "building_ua", building_ua)
    T_amb = to_temperature(outdoor_temperature, "outdoor_temperature")
    r = _fraction(heat_recovery, "heat_recovery")
    rho = to_si(water_density, "kg/m^3", "water_density")
    cp = to_si(water_heat_capacity, "J/(kg*K)", "water_heat_capacity")
    _positive(rho, "water_density", water_density)
    _positive(cp, "water_heat_capacity", water_heat_capacity)
    water_flow = P * f * v * rho                      # kg/s of make-up water
    power = water_flow * cp * (T_t - T_in) * (1.0 - r) + ua * max(0.0, T_t - T_amb)
    # one pint "year" (365.25 d), the same year in which `production` is given
    return (Q_(power, "W") * Q_(1.0, "year")).to("GWh")


@user_api
def district_heating_demand(outdoor_temperature: Any, *, annual_heat: Any = "100 GWh",
                            base_temperature: Any = "17 degC",
                            hot_water_share: float = 0.2,
                            time_step: Any = "1 h") -> Any:
    r"""Hourly district-heating demand by the degree-hour method.

    Parameters
    ----------
    outdoor_temperature : pint.Quantity
        Outdoor temperature series, normally 8760 hourly values [degC or K].
    annual_heat : pint.Quantity, optional
        Heat delivered over the series [GWh], default 100 GWh (Narvik,
        narvik-facts §8 est.: 10,500 households × 10 MWh).
    base_temperature : pint.Quantity, optional
        Heating base temperature, default 17 °C (narvik-facts §4, R54).
    hot_water_share : float, optional
        Share of ``annual_heat`` that is domestic hot water (and network
        losses), spread evenly over time [-], default 0.2 [GEK].
    time_step : pint.Quantity, optional
        Length of one step of the series, default 1 h.

    Returns
    -------
    pint.Quantity
        Heat demand per step [MW].

    Notes
    -----
    .. math::
        \dot Q_t = \frac{(1-s)\,E}{\Delta t\,\sum_k \max(0, T_b - T_k)}\max(0, T_b - T_t)
        + \frac{s\,E}{N\,\Delta t}

    so that :math:`\sum_t \dot Q_t \Delta t = E` exactly. Linear in degree
    hours, without building thermal mass, wind or solar gains, and with a flat
    hot-water profile. The series needs some hours below the base temperature.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> q = district_heating_demand(nt.Q_([-3.0, 7.0, 17.0, 20.0], "degC"),
    ...                             annual_heat=nt.Q_(40, "MWh"), hot_water_share=0.25)
    >>> q.m_as("MW")
    array([22.5, 12.5,  2.5,  2.5])
    """
    T = np.atleast_1d(np.asarray(to_temperature(outdoor_temperature, "outdoor_temperature")))
    E = to_si(annual_heat, "J", "annual_heat")
    _positive(E, "annual_heat", annual_heat)
    T_b = to_temperature(base_temperature, "base_temperature")
    s = _fraction(hot_water_share, "hot_water_share")
    dt = to_si(time_step, "s", "time_step")
    _positive(dt, "time_step", time_step)
    if T.ndim != 1:
        raise InputError(f"outdoor_temperature must be a 1-D series, got shape {T.shape}.")
    dh = np.maximum(0.0, T_b - T)
    total = dh.sum()
    if total <= 0 and s < 1:
        raise InputError(f"outdoor_temperature never falls below base_temperature "
                         f"({base_temperature}); there is no space-heating demand to "
                         "distribute. Lower base_temperature or set hot_water_share=1.")
    space = (1.0 - s) * E / dt * (dh / total if total > 0 else 0.0)
    q = space + s * E / (T.size * dt)
    return Q_(q, "W").to("MW")
