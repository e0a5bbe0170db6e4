r"""Feasibility checks for heat export: heat-pump electricity, demand coverage, CO2, chip limits.

Reporting-level functions with every assumption exposed as an argument.
Inputs are pint Quantities (or strings); outputs are Quantities in frozen
dataclasses. The physics is in :mod:`narvik_thermal.correlations.heat_pump`.
Default assumptions (the Drammen heat pump, CO2 factors, chip limits) come from
the project fact sheet [1]_.

CO2 factors (narvik-facts §8)
-----------------------------
============================  ===========  =====================================
carrier                       g CO2/kWh    source
============================  ===========  =====================================
oil (fuel basis)              264.5        R101
natural gas (fuel basis)      201.8        R101
wood chips                    0            biogenic [GEK]
grid electricity (Norway)     19           R97 (2022; 17 in 2019, R96)
Norwegian residual mix        466          midpoint of 402–530 (R98–R100)
============================  ===========  =====================================

References
----------
.. [1] narvik-facts §5 (Drammen, R39, R40, R62), §8 (CO2 factors, R96–R101),
   §9 (chip limits: R22, R24 for 0.02–0.03 K/W at 1,400 W).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .correlations.cold_plate import chip_temperature
from .correlations.heat_pump import (DEFAULT_CARNOT_EFFICIENCY,
                                     DEFAULT_ISENTROPIC_EFFICIENCY, heat_pump_cop)
from .errors import InputError, user_api
from .units import Q_, is_quantity, to_si, to_temperature, to_temperature_difference

__all__ = [
    "CO2_FACTORS_G_PER_KWH",
    "DEFAULT_BOILER_EFFICIENCY",
    "HeatPumpElectricity",
    "Coverage",
    "CO2Avoided",
    "ReturnTemperatureLimit",
    "heat_pump_electricity",
    "demand_coverage",
    "co2_avoided",
    "max_return_temperature",
]

#: Emission factors [g CO2/kWh] of displaced carriers (narvik-facts §8).
CO2_FACTORS_G_PER_KWH = {
    "oil": 264.5,               # R101, fuel basis
    "gas": 201.8,               # R101, fuel basis
    "wood_chips": 0.0,          # biogenic [GEK]
    "grid_electricity": 19.0,   # R97
    "residual_mix": 466.0,      # midpoint of 402–530, R98–R100
}
#: Seasonal efficiency of the displaced heat source [-] [GEK]; electricity
#: through an electric boiler is 1.
DEFAULT_BOILER_EFFICIENCY = {
    "oil": 0.90, "gas": 0.95, "wood_chips": 0.85, "grid_electricity": 1.0,
    "residual_mix": 1.0,
}


# --------------------------------------------------------------- heat pumps
@user_api
@dataclass(frozen=True)
class HeatPumpElectricity:
    """Result of :func:`heat_pump_electricity`.

    Attributes
    ----------
    electricity : pint.Quantity
        Compressor electricity, same dimension as the exported heat (power or energy).
    cop : pint.Quantity
        Heating COP [dimensionless].
    heat_from_source : pint.Quantity
        Heat taken from the data-centre (or fjord) water: heat − electricity.
    """

    electricity: Any
    cop: Any
    heat_from_source: Any


def _heat_quantity(value: Any, name: str) -> tuple[np.ndarray, str]:
    """Return (magnitude in W or J, unit) for a power or energy Quantity/DataArray."""
    value = _unwrap_dataarray(value, name)
    if not is_quantity(value) and not isinstance(value, str):
        raise InputError(f"{name}={value!r} has no units; pass a power (e.g. Q_(10, 'MW')) "
                         "or an energy (e.g. Q_(80, 'GWh')).")
    q = Q_(value) if isinstance(value, str) else value
    for unit in ("W", "J"):
        if q.check(Q_(1, unit).dimensionality):
            return np.asarray(to_si(q, unit, name), dtype=float), unit
    raise InputError(f"{name}={q} is neither a power nor an energy.")


def _unwrap_dataarray(value: Any, name: str) -> Any:
    if hasattr(value, "dims") and hasattr(value, "attrs") and not is_quantity(value):
        data = getattr(value, "data", None)
        if is_quantity(data):
            return data
        units = value.attrs.get("units")
        if not units:
            raise InputError(f"{name} is an xarray object without attrs['units']; set "
                             "the units (e.g. 'MW') or pass a pint Quantity.")
        return Q_(np.asarray(value.values, dtype=float), units)
    return value


@user_api
def heat_pump_electricity(heat_exported: Any, export_temperature: Any,
                          source_temperature: Any, *,
                          return_temperature: Any = "45 degC",
                          source_temperature_drop: Any = "5 K",
                          model: Literal["cycle", "carnot_fraction",
                                         "lorenz_fraction"] = "cycle",
                          refrigerant: Any = "R717",
                          evaporator_approach: Any = "3 K",
                          condenser_approach: Any = "3 K",
                          isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                          efficiency: float = DEFAULT_CARNOT_EFFICIENCY,
                          stages: int = 1, n_series: int = 1) -> HeatPumpElectricity:
    r"""Electricity needed to lift data-centre heat to the export temperature.

    Parameters
    ----------
    heat_exported : pint.Quantity
        Heat delivered at the export temperature: power [W] or energy [J, GWh];
        scalar or array (e.g. hourly), or an xarray DataArray with ``attrs["units"]``.
    export_temperature : pint.Quantity
        Supply temperature of the export network (sink outlet), e.g. 85 °C.
    source_temperature : pint.Quantity
        Data-centre return (heat-pump source inlet) temperature, e.g. 40 °C.
    return_temperature : pint.Quantity, optional
        District-heating return (sink inlet), default 45 °C (narvik-facts defaults).
    source_temperature_drop : pint.Quantity, optional
        Cooling of the source water in the evaporator, default 5 K.
    model : {"cycle", "carnot_fraction", "lorenz_fraction"}
        See :func:`narvik_thermal.correlations.heat_pump.heat_pump_cop`.
    refrigerant : str, optional
        CoolProp name, default "R717".
    evaporator_approach, condenser_approach : pint.Quantity, optional
        Refrigerant-to-water approaches, default 3 K.
    isentropic_efficiency, efficiency : float, optional
        Compressor isentropic efficiency (cycle) and Carnot/Lorenz fraction.
    stages, n_series : int, optional
        Compression stages per unit and units in series on the sink.

    Returns
    -------
    HeatPumpElectricity

    Notes
    -----
    :math:`W = Q / COP`, :math:`Q_{source} = Q - W`. Temperature arrays are
    evaluated element by element (with a cache of distinct conditions).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> r = heat_pump_electricity(nt.Q_(1, "MW"), nt.Q_(85, "degC"), nt.Q_(40, "degC"),
    ...                           model="carnot_fraction")
    >>> round(r.electricity.m_as("MW"), 3), round(float(r.cop.m_as("")), 2)
    (0.31, 3.22)
    """
    heat, unit = _heat_quantity(heat_exported, "heat_exported")
    if np.any(heat < 0):
        raise InputError("heat_exported must be >= 0.")
    T_sup = np.asarray(to_temperature(export_temperature, "export_temperature"))
    T_src = np.asarray(to_temperature(source_temperature, "source_temperature"))
    T_ret = np.asarray(to_temperature(return_temperature, "return_temperature"))
    drop = to_temperature_difference(source_temperature_drop, "source_temperature_drop")
    app_e = to_temperature_difference(evaporator_approach, "evaporator_approach")
    app_c = to_temperature_difference(condenser_approach, "condenser_approach")
    if np.any(np.asarray(drop) < 0):
        raise InputError("source_temperature_drop must be >= 0 K.")
    try:
        b = np.broadcast_arrays(heat, T_sup, T_src, T_ret)
    except ValueError:
        raise InputError("heat_exported, export_temperature, source_temperature and "
                         "return_temperature must have broadcastable shapes.") from None
    cache: dict[tuple, float] = {}
    cop = np.empty(b[0].shape)
    for idx in np.ndindex(cop.shape):
        key = (round(float(b[1][idx]), 4), round(float(b[2][idx]), 4),
               round(float(b[3][idx]), 4))
        if key not in cache:
            sup, src, ret = key
            cache[key] = heat_pump_cop(src, src - float(drop), ret, sup, model=model,
                                       refrigerant=refrigerant,
                                       evaporator_approach=float(app_e),
                                       condenser_approach=float(app_c),
                                       isentropic_efficiency=isentropic_efficiency,
                                       efficiency=efficiency, stages=stages,
                                       n_series=n_series)
        cop[idx] = cache[key]
    elec = b[0] / cop
    squeeze = (lambda a: float(a)) if cop.ndim == 0 else (lambda a: a)
    out_unit = "MW" if unit == "W" else "MWh"
    return HeatPumpElectricity(
        electricity=Q_(squeeze(elec), unit).to(out_unit),
        cop=Q_(squeeze(cop), "dimensionless"),
        heat_from_source=Q_(squeeze(b[0] - elec), unit).to(out_unit))


# ----------------------------------------------------------------- coverage
@user_api
@dataclass(frozen=True)
class Coverage:
    """Result of :func:`demand_coverage` (energies in MWh).

    Attributes
    ----------
    fraction : float
        Share of the demand energy met hour by hour [-].
    demand_energy, covered_energy, unmet_energy, surplus_energy : pint.Quantity
        Total demand, demand met, demand not met, available heat not used.
    hours_fully_covered : int
        Steps in which the whole demand is met.
    covered_power : pint.Quantity
        Hourly heat delivered, ``min(available, demand)`` [MW].
    """

    fraction: float
    demand_energy: Any
    covered_energy: Any
    unmet_energy: Any
    surplus_energy: Any
    hours_fully_covered: int
    covered_power: Any


@user_api
def demand_coverage(heat_available: Any, demand: Any, *, time_step: Any = "1 h") -> Coverage:
    r"""Share of a heat-demand profile covered hour by hour by the available heat.

    Parameters
    ----------
    heat_available : pint.Quantity or xarray.DataArray
        Heat available per step [W]; scalar (constant) or a series.
    demand : pint.Quantity or xarray.DataArray
        Heat demand per step [W], same length (DataArrays need ``attrs["units"]``).
    time_step : pint.Quantity, optional
        Step length, default 1 h.

    Returns
    -------
    Coverage

    Notes
    -----
    .. math:: f = \frac{\sum_t \min(\dot Q_{avail,t}, \dot Q_{dem,t})}{\sum_t \dot Q_{dem,t}}

    No storage: surplus in one hour cannot serve a later one.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> c = demand_coverage(nt.Q_(5, "MW"), nt.Q_([2, 4, 8, 10], "MW"))
    >>> round(c.fraction, 3), c.hours_fully_covered
    (0.667, 2)
    """
    avail, ua = _heat_quantity(heat_available, "heat_available")
    dem, ud = _heat_quantity(demand, "demand")
    if ua != "W" or ud != "W":
        raise InputError("heat_available and demand must be powers per step (e.g. MW), "
                         "not energies.")
    dt = to_si(time_step, "s", "time_step")
    if dt <= 0:
        raise InputError(f"time_step must be > 0, got {time_step}.")
    if np.any(avail < 0) or np.any(dem < 0):
        raise InputError("heat_available and demand must be >= 0.")
    try:
        avail, dem = np.broadcast_arrays(avail, dem)
    except ValueError:
        raise InputError(f"heat_available (shape {np.shape(avail)}) and demand (shape "
                         f"{np.shape(dem)}) must have the same length.") from None
    total = dem.sum() * dt
    if total <= 0:
        raise InputError("demand is zero over the whole series; coverage is undefined.")
    covered = np.minimum(avail, dem)
    to_mwh = dt / 3.6e9
    return Coverage(fraction=float(covered.sum() * dt / total),
                    demand_energy=Q_(float(dem.sum() * to_mwh), "MWh"),
                    covered_energy=Q_(float(covered.sum() * to_mwh), "MWh"),
                    unmet_energy=Q_(float((dem - covered).sum() * to_mwh), "MWh"),
                    surplus_energy=Q_(float((avail - covered).sum() * to_mwh), "MWh"),
                    hours_fully_covered=int(np.count_nonzero(avail >= dem)),
                    covered_power=Q_(covered / 1e6, "MW"))


# ---------------------------------------------------------------------- CO2
@user_api
@dataclass(frozen=True)
class CO2Avoided:
    """Result of :func:`co2_avoided` (masses in tonnes).

    Attributes
    ----------
    net : pint.Quantity
        Avoided emissions: displaced minus heat-pump electricity [t].
    displaced : pint.Quantity
        Emissions of the displaced heat source [t].
    heat_pump : pint.Quantity
        Emissions of the heat-pump electricity [t].
    factor : pint.Quantity
        Emission factor of the displaced carrier [g/kWh].
    boiler_efficiency : float
        Efficiency used for the displaced source [-].
    """

    net: Any
    displaced: Any
    heat_pump: Any
    factor: Any
    boiler_efficiency: float


@user_api
def co2_avoided(heat_delivered: Any, *,
                displaced: Any = "oil", boiler_efficiency: float | None = None,
                heat_pump_electricity: Any = "0 kWh",
                grid_intensity: Any = "19 g/kWh") -> CO2Avoided:
    r"""CO2 avoided when exported heat displaces another heat source.

    Parameters
    ----------
    heat_delivered : pint.Quantity
        Heat delivered to consumers [energy, e.g. GWh]; arrays are summed.
    displaced : {"oil", "gas", "wood_chips", "grid_electricity", "residual_mix"} or pint.Quantity
        The displaced carrier, or its own factor as a Quantity [g/kWh].
    boiler_efficiency : float, optional
        Efficiency of the displaced heat source [-]; default per carrier
        (:data:`DEFAULT_BOILER_EFFICIENCY`, [GEK]); 1.0 for a custom factor.
    heat_pump_electricity : pint.Quantity, optional
        Electricity used by the heat pumps [energy], default 0 (gross saving).
    grid_intensity : pint.Quantity, optional
        Factor for that electricity, default 19 g/kWh (R97); the residual mix
        (402–530 g/kWh, R98–R100) is the market-based alternative.

    Returns
    -------
    CO2Avoided

    Notes
    -----
    .. math:: m_{CO_2} = \frac{Q\,f_{disp}}{\eta_{boiler}} - W_{HP}\,f_{grid}

    Examples
    --------
    narvik-facts §8: 20 GWh against grid electricity ≈ 0.4 kt.

    >>> import narvik_thermal as nt
    >>> r = co2_avoided(nt.Q_(20, "GWh"), displaced="grid_electricity")
    >>> round(r.net.m_as("t"))
    380
    """
    heat_j, unit = _heat_quantity(heat_delivered, "heat_delivered")
    if unit != "J":
        raise InputError(f"heat_delivered must be an energy (e.g. Q_(67, 'GWh')), got a "
                         f"power ({heat_delivered}); multiply by the operating time.")
    heat_kwh = float(np.sum(heat_j)) / 3.6e6
    if heat_kwh < 0:
        raise InputError("heat_delivered must be >= 0.")
    if isinstance(displaced, str) and displaced in CO2_FACTORS_G_PER_KWH:
        factor = CO2_FACTORS_G_PER_KWH[displaced]
        eta = DEFAULT_BOILER_EFFICIENCY[displaced] if boiler_efficiency is None \
            else boiler_efficiency
    elif is_quantity(displaced) or (isinstance(displaced, str)
                                    and displaced.strip()[:1] in tuple("0123456789.+-")):
        factor = float(to_si(displaced, "g/kWh", "displaced"))
        eta = 1.0 if boiler_efficiency is None else boiler_efficiency
    else:
        raise InputError(f"displaced={displaced!r} is not known; use one of "
                         f"{sorted(CO2_FACTORS_G_PER_KWH)} or a factor such as "
                         "Q_(250, 'g/kWh').")
    if factor < 0:
        raise InputError(f"the emission factor must be >= 0 g/kWh, got {factor}.")
    eta = float(to_si(eta, "", "boiler_efficiency"))
    if not 0 < eta <= 1.2:
        raise InputError(f"boiler_efficiency must be in (0, 1.2] (condensing boilers on "
                         f"a lower-heating-value basis can exceed 1), got {eta}.")
    w_j, w_unit = _heat_quantity(heat_pump_electricity, "heat_pump_electricity")
    if w_unit != "J":
        raise InputError("heat_pump_electricity must be an energy (e.g. Q_(22, 'GWh')).")
    w_kwh = float(np.sum(w_j)) / 3.6e6
    grid = float(to_si(grid_intensity, "g/kWh", "grid_intensity"))
    if grid < 0 or w_kwh < 0:
        raise InputError("grid_intensity and heat_pump_electricity must be >= 0.")
    displaced_t = heat_kwh * factor / eta / 1e6
    hp_t = w_kwh * grid / 1e6
    return CO2Avoided(net=Q_(displaced_t - hp_t, "t"), displaced=Q_(displaced_t, "t"),
                      heat_pump=Q_(hp_t, "t"), factor=Q_(factor, "g/kWh"),
                      boiler_efficiency=eta)


# -------------------------------------------------------------- chip limits
@user_api
@dataclass(frozen=True)
class ReturnTemperatureLimit:
    """Result of :func:`max_return_temperature`.

    Attributes
    ----------
    max_supply_temperature : pint.Quantity
        Highest coolant supply keeping the chip at its limit [degC].
    max_return_temperature : pint.Quantity
        Highest return temperature [degC].
    chip_rise : pint.Quantity
        Chip-to-coolant-inlet rise q × R [K].
    reaches_target : bool or None
        Whether ``target_return_temperature`` is reachable (None if not given).
    """

    max_supply_temperature: Any
    max_return_temperature: Any
    chip_rise: Any
    reaches_target: bool | None


@user_api
def max_return_temperature(chip_limit: Any, heat_per_chip: Any, thermal_resistance: Any,
                           coolant_rise: Any, *,
                           target_return_temperature: Any = None) -> ReturnTemperatureLimit:
    r"""Highest coolant return temperature compatible with a chip temperature limit.

    Parameters
    ----------
    chip_limit : pint.Quantity
        Maximum case (or junction) temperature, e.g. 55 °C.
    heat_per_chip : pint.Quantity
        Heat of one chip [W], e.g. 1,400 W (B300, narvik-facts §1).
    thermal_resistance : pint.Quantity
        Chip-to-coolant-inlet resistance [K/W], 0.02–0.03 (R22, R24).
    coolant_rise : pint.Quantity
        Coolant temperature rise from supply to return [K].
    target_return_temperature : pint.Quantity, optional
        A claimed return temperature to test (e.g. 85 °C).

    Returns
    -------
    ReturnTemperatureLimit

    Notes
    -----
    :math:`T_{case} = T_{inlet} + qR`
    (:func:`narvik_thermal.correlations.cold_plate.chip_temperature`, the law
    the network uses) with the resistance referred to the coolant entering the
    cold plate (as datasheets and cold-plate targets quote it), and the
    worst-placed chip fed with supply water (inlet = supply), so

    .. math:: T_{return,max} = T_{limit} - qR + \Delta T_{coolant}.

    narvik-facts §9: 55 °C, 1,400 W, 0.02–0.03 K/W → supply 13–27 °C, return at
    most about 25–40 °C; direct 85 °C capture is impossible.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> r = max_return_temperature(nt.Q_(55, "degC"), nt.Q_(1400, "W"),
    ...                            nt.Q_(0.02, "K/W"), nt.Q_(12, "K"),
    ...                            target_return_temperature=nt.Q_(85, "degC"))
    >>> round(r.max_return_temperature.m_as("degC"), 1), r.reaches_target
    (39.0, False)
    """
    T_lim = np.asarray(to_temperature(chip_limit, "chip_limit"))
    q = np.asarray(to_si(heat_per_chip, "W", "heat_per_chip"))
    R = np.asarray(to_si(thermal_resistance, "K/W", "thermal_resistance"))
    rise = np.asarray(to_temperature_difference(coolant_rise, "coolant_rise"))
    if np.any(q < 0):
        raise InputError(f"heat_per_chip must be >= 0, got {heat_per_chip}.")
    if np.any(R <= 0):
        raise InputError(f"thermal_resistance must be > 0, got {thermal_resistance}.")
    if np.any(rise < 0):
        raise InputError(f"coolant_rise must be >= 0, got {coolant_rise}.")
    # case − inlet rise of the one chip law (correlations.cold_plate.chip_temperature),
    # the resistance referred to the coolant entering the plate as datasheets quote it
    chip_rise = chip_temperature(0.0, q, R)
    supply = T_lim - chip_rise
    ret = supply + rise
    if np.any(supply <= 273.15):
        raise InputError(f"the chip-to-coolant rise ({float(np.max(chip_rise)):.1f} K) leaves "
                         "no coolant above 0 °C below the chip limit; check heat_per_chip "
                         "and thermal_resistance.")
    reaches = None
    if target_return_temperature is not None:
        target = to_temperature(target_return_temperature, "target_return_temperature")
        reaches = bool(np.all(ret >= target))

    def _c(a: np.ndarray) -> Any:
        a = a - 273.15
        return float(a) if a.ndim == 0 else a

    return ReturnTemperatureLimit(
        max_supply_temperature=Q_(_c(supply), "degC"),
        max_return_temperature=Q_(_c(ret), "degC"),
        chip_rise=Q_(float(chip_rise) if chip_rise.ndim == 0 else chip_rise, "K"),
        reaches_target=reaches)
