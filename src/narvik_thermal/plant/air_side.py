"""Air-side heat rejection of a campus: dry coolers, cooling towers, chillers.

Each is an object passed as ``Campus(heat_rejection=...)`` (the fjord loop,
:class:`~narvik_thermal.plant.fjord.FjordLoop`, is the other kind). In the
network the plant is one set-point edge on the facility water (``rejection``)
that holds the facility supply temperature; the heat it takes is what the air
side must reject. At each operating point the unit models of
:mod:`narvik_thermal.correlations` decide how:

- the dry cooler or tower first (free cooling, a water-side economiser): the
  fan speed that holds the supply temperature
  (:func:`~narvik_thermal.correlations.dry_cooler.dry_cooler_fan_speed`,
  :func:`~narvik_thermal.correlations.cooling_tower_unit.cooling_tower_fan_speed`);
- when the fans at full speed leave the water warmer than the set-point, a trim
  chiller in series cools it the rest of the way
  (:func:`~narvik_thermal.correlations.chiller.chiller_operate`, air-cooled
  condenser at the outdoor dry bulb);
- when even the chiller (or no chiller) cannot, the supply temperature rises:
  the set-point edge is moved to what the plant achieves and the network solved
  again, and the result says so (flag ``heat_rejection_limit``).

Sizing happens once, at the site's design conditions
(``site.design_conditions``: the 0.4 % cooling dry bulb for dry coolers and
air-cooled chillers, the 0.4 % evaporation wet bulb for towers): the dry cooler
or tower for the duty with the water leaving at ``max(T_supply, T_design + minimum
approach)``; a trim chiller by default when that is above the supply
temperature (the same TCS design at every site, so a hot site needs mechanical
cooling, not warmer chips).

Energy: the heat the set-point edge takes from the water, the fans' and the
chiller's electricity all leave to the air; a tower's evaporation, blow-down and
drift are water consumed (and withdrawn as make-up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import units as U
from ..errors import InputError
from ..fluids.humid_air import humid_air_si
from . import defaults as D

__all__ = ["DryCooler", "CoolingTower", "Chiller", "AirSideDesign", "AirSideState",
           "size_air_side", "operate_air_side", "relative_humidity_of",
           "relative_humidity_keeping_moisture", "relative_humidity_value"]


@dataclass(frozen=True)
class Chiller:
    """A vapour-compression chiller with an air-cooled condenser (trim or full cooling).

    Attributes
    ----------
    refrigerant : str
        CoolProp name (default R1234ze(E), a low-GWP refrigerant of large chillers).
    capacity_margin : float
        Capacity over the design shortfall [-] (default 0.1 [GEK]).
    part_load : str
        Part-load method of :func:`~narvik_thermal.correlations.chiller.chiller_design`.
    """

    refrigerant: str = "R1234ze(E)"
    capacity_margin: float = 0.1
    part_load: str = "en14825_water"

    def __post_init__(self) -> None:
        if not 0 <= self.capacity_margin < 2:
            raise InputError(f"Chiller: capacity_margin={self.capacity_margin} must lie in "
                             "[0, 2).")


@dataclass(frozen=True)
class DryCooler:
    """Dry coolers (air-cooled finned coils) rejecting the facility heat to outdoor air.

    Attributes
    ----------
    minimum_approach : Quantity
        Smallest water-outlet minus air-inlet difference the coil is sized for at
        the design dry bulb (default 5 K [GEK]).
    air_temperature_rise : Quantity
        Air temperature rise at design (default 10 K [GEK]).
    specific_fan_power : Quantity
        Fan power per air volume flow at full speed (default 150 W per m³/s [GEK]).
    pressure_drop : Quantity
        Water-side pressure drop at design flow (default 60 kPa [GEK]).
    trim_chiller : Chiller, None or "auto"
        A chiller in series after the coil; ``"auto"`` (default) adds one when the
        coil cannot reach the supply temperature at the design dry bulb.
    """

    minimum_approach: Any = D.DRY_COOLER_MIN_APPROACH.value
    air_temperature_rise: Any = D.DRY_COOLER_AIR_RISE.value
    specific_fan_power: Any = D.DRY_COOLER_SPECIFIC_FAN_POWER.value
    pressure_drop: Any = D.AIR_SIDE_PRESSURE_DROP.value
    trim_chiller: Any = "auto"

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class CoolingTower:
    """Open evaporative cooling towers rejecting the facility heat (through a plate heat
    exchanger is not modelled: the tower water is the facility water's cooler).

    Attributes
    ----------
    minimum_approach : Quantity
        Smallest cold-water minus wet-bulb difference sized for at the design wet
        bulb (default 4 K [GEK]; towers are rarely sized below 3 K).
    water_air_ratio : float
        Design L/G (default 1.2 [GEK]).
    specific_fan_power : Quantity
        Fan power per air volume flow (default 120 W per m³/s [GEK]).
    cycles_of_concentration : float
        Blow-down control (default 4 [GEK]).
    pressure_drop : Quantity
        Water-side pressure drop at design (default 60 kPa [GEK]).
    trim_chiller : Chiller, None or "auto"
        As for :class:`DryCooler`.
    """

    minimum_approach: Any = D.TOWER_MIN_APPROACH.value
    water_air_ratio: float = 1.2
    specific_fan_power: Any = D.TOWER_SPECIFIC_FAN_POWER.value
    cycles_of_concentration: float = 4.0
    pressure_drop: Any = D.AIR_SIDE_PRESSURE_DROP.value
    trim_chiller: Any = "auto"

    def __post_init__(self) -> None:
        _check(self)
        if not self.water_air_ratio > 0 or not self.cycles_of_concentration > 1:
            raise InputError("CoolingTower: water_air_ratio must be positive and "
                             "cycles_of_concentration above 1.")


def _check(obj: Any) -> None:
    what = type(obj).__name__
    if not U.to_temperature_difference(obj.minimum_approach, "minimum_approach") > 0:
        raise InputError(f"{what}: minimum_approach={obj.minimum_approach} must be positive.")
    if not U.to_si(obj.specific_fan_power, "W/(m^3/s)", "specific_fan_power") > 0:
        raise InputError(f"{what}: specific_fan_power must be positive.")
    tc = obj.trim_chiller
    if not (tc is None or tc == "auto" or isinstance(tc, Chiller)):
        raise InputError(f"{what}: trim_chiller={tc!r} must be a Chiller, None or 'auto'.")


@dataclass(frozen=True)
class AirSideDesign:
    """The sized air-side plant (SI).

    Attributes
    ----------
    kind : str
        ``"dry_cooler"`` or ``"cooling_tower"``.
    unit : DryCoolerDesign or CoolingTowerDesign
        The coil or tower as sized.
    chiller : ChillerDesign or None
        The trim chiller, if any.
    duty : float
        Design heat [W].
    water_in, supply : float
        Design water inlet and the supply held [K].
    coil_outlet : float
        Design water outlet of the coil or tower [K] (above ``supply`` when a chiller trims).
    design_air : float
        Design dry bulb (or wet bulb for a tower) [K].
    """

    kind: str
    unit: Any
    chiller: Any
    duty: float
    water_in: float
    supply: float
    coil_outlet: float
    design_air: float


@dataclass(frozen=True)
class AirSideState:
    """What the air side does at one operating point (SI).

    Attributes
    ----------
    heat : float
        Heat taken from the facility water [W].
    fan_power, chiller_power : float
        Electricity [W].
    chiller_cooling : float
        Heat the chiller takes from the water [W].
    water_withdrawn, water_consumed : float
        Tower make-up, and the part of it evaporated, drifted or discharged as
        blow-down (all of it) [m³/s].
    supply : float
        Facility supply achieved [K].
    limited : bool
        The supply set-point could not be held.
    fan_speed : float
        Fan speed [-] (time-averaged when cycling).
    bypassed : bool
        The air could not cool the water (its dry bulb, for a tower its wet bulb, at or
        above the water's inlet): the coil or tower was bypassed with its fans stopped.
    air_limit : float
        That dry or wet bulb [K] where bypassed (NaN otherwise): the water must arrive
        above it for the air side to take heat.
    """

    heat: float
    fan_power: float
    chiller_power: float
    chiller_cooling: float
    water_withdrawn: float
    water_consumed: float
    supply: float
    limited: bool
    fan_speed: float
    bypassed: bool = False
    air_limit: float = math.nan


def _moist_air(T: float, rh: float, p: float) -> tuple[float, float]:
    return (float(humid_air_si("enthalpy", T, rh, p)),
            float(humid_air_si("humidity_ratio", T, rh, p)))


_SAT: dict = {}
#: density of make-up water [kg/m³] (water at 20 °C, IAPWS)
_RHO_MAKEUP = 998.2


def _saturated_tables():
    """Saturated-air enthalpy and humidity ratio tables (CoolProp), made once."""
    if "tables" not in _SAT:
        from ..correlations.cooling_tower import saturated_air_table
        _SAT["tables"] = saturated_air_table(
            lambda T: humid_air_si("enthalpy", T, 1.0, 101325.0),
            lambda T: humid_air_si("humidity_ratio", T, 1.0, 101325.0), step=0.05)
    return _SAT["tables"]


def size_air_side(plant: Any, duty: float, water_in: float, supply: float, site: Any,
                  cp_water: float) -> AirSideDesign:
    """Size a dry cooler or tower (and a trim chiller) at the site's design conditions."""
    from ..correlations.chiller import chiller_design
    if site is None:
        raise InputError(f"Campus: air-side heat rejection ({type(plant).__name__}) is sized at "
                         "a site's design conditions; give site=nt.climate.site('marseille') "
                         "(or 'narvik', or your own Site).")
    dc = site.design_conditions
    db = float(dc["cooling_dry_bulb"].m_as("K"))
    appr = float(U.to_temperature_difference(plant.minimum_approach, "minimum_approach"))
    sfp = float(U.to_si(plant.specific_fan_power, "W/(m^3/s)", "specific_fan_power"))
    if isinstance(plant, DryCooler):
        from ..correlations.dry_cooler import dry_cooler_design
        kind = "dry_cooler"
        out = max(supply, db + appr)
        if out < water_in - 0.5:        # the coil does part (or all) of the design-day duty
            T_air, coil_out = db, out
            q_coil = duty * (water_in - out) / (water_in - supply)
        else:
            # too hot to cool at all on the design day: the coil is a water-side economiser
            # sized for the full duty at the air temperature where free cooling alone holds
            # the supply, and the chiller takes the full duty on the design day
            T_air, coil_out, q_coil = supply - appr, supply, duty
            out = water_in
        rise = float(U.to_temperature_difference(plant.air_temperature_rise,
                                                 "air_temperature_rise"))
        unit = dry_cooler_design(q_coil, water_in, coil_out, T_air,
                                 air_temperature_rise=min(rise, 0.9 * (water_in - T_air)),
                                 specific_fan_power=sfp, cp_water=cp_water)
    else:
        from ..correlations.cooling_tower_unit import cooling_tower_design
        kind = "cooling_tower"
        wb = float(dc["evaporation_wet_bulb"].m_as("K"))
        T_air = wb
        out = max(supply, wb + appr)
        if not out < water_in - 0.5:
            raise InputError(f"CoolingTower: the design wet bulb {wb - 273.15:.1f} °C + the "
                             f"minimum approach is above the facility return "
                             f"{water_in - 273.15:.1f} °C.")
        q_coil = duty * (water_in - out) / (water_in - supply)
        # design air: the dry bulb with the wet bulb of the evaporation design point
        from ..fluids.humid_air import humid_air_si
        rh = relative_humidity_of(db, wb)
        h_in = float(humid_air_si("enthalpy", db, rh, 101325.0))
        w_in = float(humid_air_si("humidity_ratio", db, rh, 101325.0))
        hs, ws = _saturated_tables()
        unit = cooling_tower_design(q_coil, water_in, out, db, h_in, w_in,
                                    saturated_enthalpy=hs, saturated_humidity_ratio=ws,
                                    water_air_ratio=plant.water_air_ratio,
                                    specific_fan_power=sfp,
                                    cycles_of_concentration=plant.cycles_of_concentration,
                                    cp_water=cp_water)
    chiller = None
    tc = plant.trim_chiller
    if tc == "auto":
        tc = Chiller() if out > supply + 1e-6 else None
    if isinstance(tc, Chiller):
        short = duty * min(1.0, max(out - supply, 0.2 * (water_in - supply))
                           / (water_in - supply))
        chiller = chiller_design(short * (1.0 + tc.capacity_margin), supply, db,
                                 refrigerant=tc.refrigerant, condenser="air",
                                 part_load=tc.part_load)
    return AirSideDesign(kind, unit, chiller, duty, water_in, supply, out, T_air)


def relative_humidity_of(dry_bulb: float, wet_bulb: float) -> float:
    """Relative humidity [-] of air at a dry bulb with a wet bulb [K] (CoolProp's humid air;
    1 when the wet bulb is not below the dry bulb)."""
    from ..fluids.humid_air import humid_air_si
    if not wet_bulb < dry_bulb:
        return 1.0
    return min(1.0, float(humid_air_si("relative_humidity", dry_bulb, pressure=101325.0,
                                       wet_bulb=wet_bulb)))


def relative_humidity_keeping_moisture(dry_bulb: float, design_dry_bulb: float,
                                       design_wet_bulb: float) -> float:
    """Relative humidity [-] of air at ``dry_bulb`` [K] that holds the moisture of the
    design air (``design_dry_bulb`` with ``design_wet_bulb``, K): the design air's dew
    point kept, the air saturated (1) at or below it (CoolProp's humid air, 101325 Pa).

    A dry bulb given without a humidity keeps the design air's water content, not its
    wet bulb: a wet bulb belongs to the dry bulb it was measured with, and at a much
    hotter dry bulb no air has it (45 °C with Narvik's 14.6 °C design wet bulb would
    need a negative water content).
    """
    from ..fluids.humid_air import humid_air_si
    rh_design = relative_humidity_of(design_dry_bulb, design_wet_bulb)
    dew = float(humid_air_si("dew_point", design_dry_bulb, rh_design, 101325.0))
    if not dew < dry_bulb:
        return 1.0
    return min(1.0, float(humid_air_si("relative_humidity", dry_bulb, pressure=101325.0,
                                       dew_point=dew)))


def relative_humidity_value(value: Any, what: str = "relative_humidity") -> float:
    """A relative humidity given by a user, as a fraction in (0, 1] (a bare fraction
    or a percent Quantity); an :class:`~narvik_thermal.errors.InputError` naming
    ``what`` otherwise."""
    from .. import units as U
    rh = float(U.to_si(value, "", what))
    if not 0 < rh <= 1:
        raise InputError(f"{what}={value!r} must lie in (0, 1] (a fraction such as 0.8, or a "
                         "percent Quantity such as Q_(80, 'percent')).")
    return rh


def operate_air_side(design: AirSideDesign, water_in: float, mass_flow: float,
                     supply: float, dry_bulb: float, relative_humidity: float,
                     cp_water: float) -> AirSideState:
    """The air side at one point: free cooling first, the trim chiller for the rest.

    Returns the heat it takes, the electricity, the water, and the supply it
    achieves (``limited`` when that is above ``supply``).
    """
    from ..correlations.chiller import chiller_operate
    from ..correlations.dry_cooler import ControlStatus
    m = float(mass_flow)
    if m <= 0 or water_in <= supply:
        return AirSideState(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, water_in, False, 0.0)
    if design.kind == "dry_cooler":
        from ..correlations.dry_cooler import dry_cooler_fan_speed
        fc = dry_cooler_fan_speed(water_in, m, dry_bulb, supply, design.unit)
        st = fc.state
        T_out = float(st.T_water_out)
        fan = float(st.fan_power)
        withdrawn = consumed = 0.0
    else:
        from ..correlations.cooling_tower_unit import cooling_tower_fan_speed
        h_in, w_in = _moist_air(dry_bulb, relative_humidity, 101325.0)
        hs, ws = _saturated_tables()
        fc = cooling_tower_fan_speed(water_in, m, dry_bulb, h_in, w_in, supply, design.unit,
                                     saturated_enthalpy=hs, saturated_humidity_ratio=ws)
        st = fc.state
        T_out = float(st.T_water_out)
        fan = float(st.fan_power)
        # make-up water [kg/s → m³/s]: all of it is consumed — evaporated, drifted, or
        # discharged as blow-down (DESIGN: "evaporation and blow-down are consumed")
        withdrawn = float(st.water_withdrawn) / _RHO_MAKEUP
        consumed = float(st.evaporation + st.blowdown + st.drift) / _RHO_MAKEUP
    speed = float(fc.speed) * float(fc.on_fraction)
    bypassed, air_limit = T_out >= water_in, math.nan
    if bypassed:
        # air that cannot cool the water (a dry bulb, or for a tower a wet bulb, above
        # the water's inlet: at full speed the fans would warm it, a tower condense
        # into it): the coil or tower is bypassed and its fans stop; the trim chiller
        # takes all the heat
        T_out, fan, speed, withdrawn, consumed = water_in, 0.0, 0.0, 0.0, 0.0
        air_limit = dry_bulb if design.kind == "dry_cooler" else float(
            humid_air_si("wet_bulb", dry_bulb, relative_humidity, 101325.0))
    chiller_power = chiller_cooling = 0.0
    # the trim chiller starts only where the fans at full speed fall short (not for
    # the fan-speed search's own precision, ~1e-7 of the speed: a chiller started for
    # 4e-8 K took 7.7 kW of standby power for 0.08 W of cooling)
    short = fc.status == ControlStatus.AT_MAX and T_out > supply + 1e-9
    achieved = T_out if short else supply
    if short and design.chiller is not None:
        need = m * cp_water * (T_out - supply)
        ch = chiller_operate(need, supply, dry_bulb, design.chiller)
        chiller_cooling = float(ch.cooling)
        chiller_power = float(ch.power)
        achieved = T_out - chiller_cooling / (m * cp_water)
    limited = achieved > supply + 1e-6
    heat = m * cp_water * (water_in - achieved)
    return AirSideState(heat, fan, chiller_power, chiller_cooling, withdrawn, consumed,
                        achieved, limited, speed, bypassed, air_limit)
