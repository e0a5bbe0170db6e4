"""Fjord seawater loop: deep intake, seawater pumps, titanium plate heat
exchangers with fouling, outfall, and the discharge-temperature check.

The loop is an open circuit between two pressure boundaries in the fjord:
the intake mouth at ``intake_depth`` (elevation −depth, pressure
p_atm + ρ g depth, so that the static heads cancel as in the sea) and the
outfall mouth at ``outfall_depth``. Intake temperature and salinity come from
the embedded Narvik fjord data (:func:`narvik_thermal.climate.fjord_temperature`,
R36–R38) for the chosen month and depth.

Defaults (see :mod:`narvik_thermal.plant.defaults`): intake 60 m deep
(5–8 °C all year, R36/R37), August (warmest surface month, R38), titanium
plate HX with clean U 4,000 W/m²K (R44) and fouling 7e-5 m²K/W (R45), a
seawater rise of 10 K at design and a discharge-rise limit of 12 K (Norway has
no national limit — permits are case by case, R48; UK practice 10–12 K, R49).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import units as U
from ..errors import InputError, PhysicsWarning, user_api
from ..units import Q_
from . import defaults as D
from . import sizing

__all__ = ["FjordLoop", "add_fjord_loop", "check_discharge", "discharge_temperatures",
           "least_seawater_flow", "seawater_flow_range", "suction_limited_flow"]

_P_ATM = 101325.0
_G = 9.80665
#: entry and fittings of the intake pipe (velocity heads)
_INTAKE_MINOR_LOSS = 1.5


@user_api
@dataclass(frozen=True)
class FjordLoop:
    """Parameters of the seawater loop (all Quantities; defaults with sources).

    Attributes
    ----------
    month : int
        Month 1–12 of the intake temperature (default 8, August, R38).
    intake_depth : Quantity
        Depth of the intake mouth [m] (default 60 m, R36/R37).
    intake_length, outfall_length : Quantity
        Pipe lengths [m] (defaults 800 m and 400 m [GEK]).
    outfall_depth : Quantity
        Depth of the outfall mouth [m] (default 20 m [GEK]).
    intake_diameter, outfall_diameter : Quantity, optional
        Inner diameters; default sized for ``velocity`` at design flow.
    velocity : Quantity
        Sizing velocity of the seawater pipes (2 m/s [GEK]).
    max_pressure_gradient : Quantity
        Sizing friction gradient limit of the seawater pipes (100 Pa/m [GEK]),
        which keeps the pump suction above atmospheric pressure on long intakes.
    roughness : Quantity
        Pipe roughness (0.05 mm, HDPE with biofilm [GEK]).
    pump_elevation, hx_elevation : Quantity
        Elevation of the pump suction and of the heat exchangers above sea level.
    design_rise : Quantity
        Seawater temperature rise at design [K] (10 K, narvik-facts defaults).
    max_discharge_rise : Quantity or None
        Limit on discharge − intake temperature [K] (12 K, R48/R49); exceeding it
        gives a ``discharge_over_limit`` flag and a PhysicsWarning. ``None``: no check.
    u_clean, fouling : Quantity
        Plate HX clean U (4,000 W/m²K, R44) and fouling resistance (7e-5 m²K/W, R45).
    unit_duty : Quantity
        Design duty of one plate HX; the number of units is duty / unit_duty
        rounded up (10 MW [GEK]).
    hx_pressure_drop : Quantity
        Rated pressure drop of each HX side at design flow (60 kPa [GEK]).
    pump_efficiency, motor_efficiency : float
        Seawater pump and motor efficiencies (0.80, 0.95 [GEK]).
    pump_capacity : Quantity
        Largest flow of one seawater duty pump (0.5 m³/s [GEK]); duty pumps =
        design flow / capacity rounded up; one standby pump is noted (N+1).
    control : bool
        Hold the facility supply temperature by the seawater pump flow
        (``Network.add_control``, pump flow within ``flow_bounds`` × design).
    flow_bounds : (float, float)
        Bounds of the seawater flow as fractions of the design flow; the upper one is
        lowered to the flow the intake can feed the pumps without cavitation
        (``npsh_required``; ``design["fjord"]["max_flow_fraction"]``).
    npsh_required : Quantity
        Net positive suction head the seawater pumps need (3 m [GEK]): the controls
        never take the seawater flow beyond the flow at which the pit's suction
        (atmospheric plus the pit's depth below sea level, less the intake's friction)
        leaves less than this above the vapour pressure.
    """

    month: int = D.FJORD_MONTH.value
    intake_depth: Any = D.INTAKE_DEPTH.value
    intake_length: Any = D.INTAKE_LENGTH.value
    outfall_depth: Any = D.OUTFALL_DEPTH.value
    outfall_length: Any = D.OUTFALL_LENGTH.value
    intake_diameter: Any = None
    outfall_diameter: Any = None
    velocity: Any = D.SEAWATER_VELOCITY.value
    max_pressure_gradient: Any = Q_(100, "Pa/m")
    roughness: Any = D.SEAWATER_PIPE_ROUGHNESS.value
    pump_elevation: Any = D.FJORD_PUMP_ELEVATION.value
    hx_elevation: Any = D.PLANT_ELEVATION.value
    design_rise: Any = D.SEAWATER_RISE.value
    max_discharge_rise: Any = D.MAX_DISCHARGE_RISE.value
    u_clean: Any = D.PHE_U_CLEAN.value
    fouling: Any = D.PHE_FOULING.value
    unit_duty: Any = D.FJORD_HX_UNIT_DUTY.value
    hx_pressure_drop: Any = D.FJORD_HX_PRESSURE_DROP.value
    pump_efficiency: float = D.PUMP_EFFICIENCY_LARGE.value
    motor_efficiency: float = D.MOTOR_EFFICIENCY.value
    pump_capacity: Any = Q_(0.5, "m^3/s")
    control: bool = False
    flow_bounds: tuple = (0.05, 2.0)
    npsh_required: Any = D.SEAWATER_NPSH_REQUIRED.value

    def __post_init__(self) -> None:
        month = self.month
        ok = (isinstance(month, (int, float, np.integer, np.floating))
              and not isinstance(month, bool) and np.isfinite(month) and int(month) == month
              and 1 <= int(month) <= 12)
        if not ok:
            raise InputError(f"FjordLoop: month={month!r} must be an integer 1–12 (1 = "
                             "January).")
        for nm in ("intake_depth", "outfall_depth"):
            if not U.to_si(getattr(self, nm), "m", nm) >= 0:
                raise InputError(f"FjordLoop: {nm}={getattr(self, nm)} must be ≥ 0 m (a depth).")
        for nm in ("intake_length", "outfall_length", "velocity", "unit_duty",
                   "hx_pressure_drop", "pump_capacity"):
            unit = {"velocity": "m/s", "unit_duty": "W", "hx_pressure_drop": "Pa",
                    "pump_capacity": "m^3/s"}.get(nm, "m")
            if not U.to_si(getattr(self, nm), unit, nm) > 0:
                raise InputError(f"FjordLoop: {nm}={getattr(self, nm)} must be positive.")
        if not U.to_temperature_difference(self.design_rise, "design_rise") > 0:
            raise InputError(f"FjordLoop: design_rise={self.design_rise} must be positive.")
        if self.max_discharge_rise is not None and not U.to_temperature_difference(
                self.max_discharge_rise, "max_discharge_rise") > 0:
            raise InputError(f"FjordLoop: max_discharge_rise={self.max_discharge_rise} must be "
                             "positive (12 K, R48/R49), or None for no check.")
        for nm, unit in (("u_clean", "W/(m^2*K)"), ("fouling", "m^2*K/W"), ("roughness", "m"),
                         ("max_pressure_gradient", "Pa/m")):
            v = U.to_si(getattr(self, nm), unit, nm)
            if not (v > 0 or (v == 0 and nm in ("fouling", "roughness"))):
                raise InputError(f"FjordLoop: {nm}={getattr(self, nm)} must be "
                                 + ("non-negative." if nm in ("fouling", "roughness")
                                    else "positive."))
        for nm in ("pump_efficiency", "motor_efficiency"):
            U.to_number(getattr(self, nm), f"FjordLoop: {nm}", 0.0, 1.0, low_open=True)
        fb = self.flow_bounds
        ok = (isinstance(fb, (tuple, list)) and len(fb) == 2
              and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in fb))
        if not ok or not (0 < fb[0] < 1 < fb[1]) or not np.isfinite(fb[1]):
            raise InputError(f"FjordLoop: flow_bounds={fb!r} must be a pair (low, high) that "
                             "brackets 1 (fractions of the design flow), e.g. (0.05, 2.0).")
        if not U.to_si(self.npsh_required, "m", "npsh_required") >= 0:
            raise InputError(f"FjordLoop: npsh_required={self.npsh_required} must be ≥ 0 m "
                             "(a head, e.g. Q_(3, 'm')).")
        if not isinstance(self.control, (bool, np.bool_)):
            raise InputError(f"FjordLoop: control={self.control!r} must be True or False.")

    # ------------------------------------------------------------------ site
    def intake_temperature(self) -> Any:
        """Intake temperature from the embedded fjord data (R36–R38) [degC]."""
        from ..climate import fjord_temperature
        return fjord_temperature(int(self.month), self.intake_depth)

    def salinity(self) -> Any:
        """Intake salinity from the embedded fjord data [g/kg]."""
        from ..climate import fjord_salinity
        return fjord_salinity(int(self.month), self.intake_depth)

    def outfall_temperature(self) -> Any:
        """Ambient fjord temperature at the outfall depth [degC]."""
        from ..climate import fjord_temperature
        return fjord_temperature(int(self.month), self.outfall_depth)


@user_api
def add_fjord_loop(net: Any, hot: tuple[str, str], *, duty: Any, hot_inlet: Any,
                   hot_outlet: Any, fjord: FjordLoop | None = None, name: str = "sw",
                   hx_name: str = "fjord_hx", site: Any = None) -> dict:
    """Add the seawater loop and the titanium plate HX cooling a facility circuit.

    Parameters
    ----------
    net : Network
        The network to add to.
    hot : (str, str)
        Inlet and outlet nodes of the facility water through the HX hot side.
    duty : Quantity
        Design heat to the fjord [power].
    hot_inlet, hot_outlet : Quantity
        Design facility-water temperatures into and out of the HX.
    fjord : FjordLoop, optional
        Loop parameters (defaults with sources).
    name : str
        Prefix of the seawater nodes and edges.
    hx_name : str
        Name of the heat exchanger (``result.heat_flow(hx_name)`` is its duty).
    site : Site, optional
        Design with the site's warmest sea temperature at the intake depth
        (``site.design_sea_temperature``) and its salinity and outfall water in that
        month, instead of the fjord data of ``fjord.month``.

    Returns
    -------
    dict
        Design values (SI floats): ``intake_temperature`` [K], ``salinity``
        [g/kg], ``flow`` [m³/s], ``mass_flow`` [kg/s], ``units``, ``ua_per_unit``
        [W/K], ``area_per_unit`` [m²], ``duty_pumps``, ``intake_diameter``,
        ``outfall_diameter`` [m], and the names of the pump, HX and outfall pipe.

    Raises
    ------
    InputError
        If the facility outlet temperature is not above the intake (the fjord
        cannot cool it), or the HX needs a temperature cross.

    Notes
    -----
    Design flow :math:`\\dot V = \\dot Q/(\\rho c_p \\Delta T_{rise})`
    (:func:`~narvik_thermal.plant.sizing.seawater_flow`); UA per unit by ε-NTU
    (:func:`~narvik_thermal.plant.sizing.heat_exchanger_ua`); area with fouling
    :math:`A = UA (1/U_{clean} + R_f)` (R44, R45).
    """
    from ..fluids import seawater
    fj = fjord or FjordLoop()
    Qd = float(U.to_si(duty, "W", "duty"))
    if site is not None:
        T_in = float(site.design_sea_temperature(fj.intake_depth).m_as("K"))
        months = np.arange(1, 13)
        T_m = np.array([site.sea_temperature(int(m), fj.intake_depth).m_as("K") for m in months])
        m_design = int(months[int(np.argmax(T_m))])
        S = float(site.sea_salinity(m_design, fj.intake_depth).m_as("g/kg"))
        T_amb_out = float(site.sea_temperature(m_design, fj.outfall_depth).m_as("K"))
    else:
        T_in = float(fj.intake_temperature().m_as("K"))
        S = float(fj.salinity().m_as("g/kg"))
        T_amb_out = float(fj.outfall_temperature().m_as("K"))
    rise = float(U.to_temperature_difference(fj.design_rise, "design_rise"))
    Th_i = float(U.to_temperature(hot_inlet, "hot_inlet"))
    Th_o = float(U.to_temperature(hot_outlet, "hot_outlet"))
    if not Th_o > T_in + 0.2:
        raise InputError(
            f"add_fjord_loop: facility water leaves the fjord HX at {Th_o - 273.15:.2f} °C but "
            f"the intake is {T_in - 273.15:.2f} °C (depth {fj.intake_depth}); "
            "the fjord cannot cool it. Raise the facility supply temperature or take "
            "water from deeper.")
    if T_in + rise >= Th_i:
        raise InputError(
            f"add_fjord_loop: a seawater rise of {rise:.3g} K from {T_in - 273.15:.2f} °C "
            f"reaches the facility return {Th_i - 273.15:.2f} °C; lower design_rise.")
    sw = seawater(Q_(S, "g/kg"))
    V = sizing.seawater_flow(Q_(Qd, "W"), Q_(rise, "K"), intake_temperature=Q_(T_in, "K"),
                             salinity=Q_(S, "g/kg")).m_as("m^3/s")
    rho = float(sw.density_pT(T_in))
    n_units = max(1, math.ceil(Qd / float(U.to_si(fj.unit_duty, "W", "unit_duty")) - 1e-9))
    ua = sizing.heat_exchanger_ua(Q_(Qd / n_units, "W"), hot_inlet=Q_(Th_i, "K"),
                                  hot_outlet=Q_(Th_o, "K"), cold_inlet=Q_(T_in, "K"),
                                  cold_outlet=Q_(T_in + rise, "K"))
    area = sizing.heat_exchanger_area(ua, u_clean=fj.u_clean, fouling=fj.fouling)
    cap = float(U.to_si(fj.pump_capacity, "m^3/s", "pump_capacity"))
    n_pumps = max(1, math.ceil(V / cap - 1e-9))
    vel = fj.velocity
    d_in = (float(U.to_si(fj.intake_diameter, "m", "intake_diameter")) if fj.intake_diameter
            is not None else sizing.pipe_diameter(
                Q_(V, "m^3/s"), max_velocity=vel, max_pressure_gradient=fj.max_pressure_gradient,
                fluid=sw, temperature=Q_(T_in, "K"), roughness=fj.roughness).m_as("m"))
    d_out = (float(U.to_si(fj.outfall_diameter, "m", "outfall_diameter"))
             if fj.outfall_diameter is not None else d_in)
    z_in = -float(U.to_si(fj.intake_depth, "m", "intake_depth"))
    z_out = -float(U.to_si(fj.outfall_depth, "m", "outfall_depth"))
    z_pump = float(U.to_si(fj.pump_elevation, "m", "pump_elevation"))
    z_hx = float(U.to_si(fj.hx_elevation, "m", "hx_elevation"))
    n_in, n_pit, n_po, n_hxo, n_out = (f"{name}.intake", f"{name}.suction", f"{name}.pump_out",
                                       f"{name}.hx_out", f"{name}.outfall")
    net.add_nodes([n_in, n_pit, n_po, n_hxo, n_out],
                  elevation=Q_([z_in, z_pump, z_pump, z_hx, z_out], "m"))
    net.add_pipe(f"{name}.intake_pipe", n_in, n_pit, length=fj.intake_length,
                 diameter=Q_(d_in, "m"), roughness=fj.roughness, minor_loss=_INTAKE_MINOR_LOSS)
    net.add_pump(f"{name}.pump", n_pit, n_po, flow=Q_(V / n_pumps, "m^3/s"),
                 efficiency=fj.pump_efficiency, motor_efficiency=fj.motor_efficiency,
                 count=n_pumps)
    hs, he = hot
    # UA follows the flows of both sides from the sizing point (plate films h ∝ ṁ^0.72):
    # facility water against seawater, titanium plates with seawater fouling
    from ..fluids import water
    fw = water()
    T_hm, T_cm = 0.5 * (Th_i + Th_o), T_in + 0.5 * rise
    m_hot = Qd / n_units / (float(fw.cp_pT(T_hm)) * (Th_i - Th_o))
    m_cold = V * rho / n_units
    film = sizing.plate_film_share(hot_fluid=fw, cold_fluid=sw, hot_temperature=Q_(T_hm, "K"),
                                   cold_temperature=Q_(T_cm, "K"), hot_flow=Q_(m_hot, "kg/s"),
                                   cold_flow=Q_(m_cold, "kg/s"))
    wall = sizing.plate_wall_share(u=sizing.overall_u(fj.u_clean, fj.fouling),
                                   fouling=fj.fouling)
    net.add_heat_exchanger(hx_name, hot=(hs, he), cold=(n_po, n_hxo), ua=ua / 1.0,
                           arrangement="counterflow",
                           hot_pressure_drop=fj.hx_pressure_drop,
                           hot_rated_flow=Q_(Qd / n_units / (4180.0 * (Th_i - Th_o)), "kg/s"),
                           cold_pressure_drop=fj.hx_pressure_drop,
                           cold_rated_flow=Q_(V * rho / n_units, "kg/s"),
                           design_flows=(Q_(m_hot, "kg/s"), Q_(m_cold, "kg/s")),
                           hot_film_share=film, wall_share=wall, count=n_units)
    net.add_pipe(f"{name}.outfall_pipe", n_hxo, n_out, length=fj.outfall_length,
                 diameter=Q_(d_out, "m"), roughness=fj.roughness, minor_loss=1.0)
    net.add_pressure_boundary(n_in, pressure=Q_(_P_ATM - rho * _G * z_in, "Pa"),
                              temperature=Q_(T_in, "K"))
    net.add_pressure_boundary(n_out, pressure=Q_(_P_ATM - rho * _G * z_out, "Pa"),
                              temperature=Q_(T_amb_out, "K"))
    net.set_fluid(n_in, sw)
    f_max = suction_limited_flow(V, d_in, fj, sw, T_in, z_pump)
    return dict(intake_temperature=T_in, salinity=S, flow=V, mass_flow=V * rho, units=n_units,
                max_flow_fraction=f_max,
                ua_per_unit=ua.m_as("W/K"), area_per_unit=area.m_as("m^2"),
                hx_design_flows=(m_hot, m_cold), hx_hot_film_share=film, hx_wall_share=wall,
                duty_pumps=n_pumps, standby_pumps=1, intake_diameter=d_in,
                outfall_diameter=d_out, pump=f"{name}.pump", hx=hx_name,
                outfall_pipe=f"{name}.outfall_pipe", intake_node=n_in, outfall_node=n_out,
                outfall_temperature=T_amb_out, rise=rise,
                facility_supply=Th_o, facility_return=Th_i)


def suction_limited_flow(V: float, d_in: float, fj: FjordLoop, sw: Any, T_in: float,
                         z_pump: float) -> float:
    r"""The largest seawater flow, as a fraction of the design flow ``V`` [m³/s], that the
    intake (inner diameter ``d_in`` [m]) feeds the pumps in their pit at ``z_pump`` [m]
    (below sea level: negative) with ``fj.npsh_required`` above the vapour pressure.

    The suction is :math:`p_s = p_{atm} - \rho g z_{pump} - \Delta p(V)`, the intake's
    friction and entry loss (as the network's intake pipe, minor loss 1.5) growing as
    the square of the flow from the design flow's (a rougher regime at more flow loses a
    little less: the bound errs low):
    :math:`f_{max} = \sqrt{(p_{atm} - \rho g z_{pump} - p_v - \rho g\,NPSH_r) /
    \Delta p(V)}`, with the vapour pressure :math:`p_v` where the fluid boils at
    ``T_in``. Infinite when the intake loses nothing.
    """
    from ..correlations.friction import Reynolds, friction_churchill, pressure_drop_darcy
    from ..correlations.minor_loss import pressure_drop_K
    rho = float(sw.density_pT(T_in))
    mu = float(sw.viscosity_pT(T_in))
    L = float(U.to_si(fj.intake_length, "m", "intake_length"))
    eps = float(U.to_si(fj.roughness, "m", "roughness"))
    v = V / (math.pi * d_in ** 2 / 4)
    f = float(friction_churchill(Reynolds(v, d_in, rho, mu), eps / d_in))
    loss = float(pressure_drop_darcy(f, L, d_in, rho, v)
                 + pressure_drop_K(_INTAKE_MINOR_LOSS, rho, v))
    p_v = _vapour_pressure(sw, T_in)
    head = _P_ATM - rho * _G * z_pump - p_v - rho * _G * float(
        U.to_si(fj.npsh_required, "m", "npsh_required"))
    if not loss > 0:
        return math.inf
    return math.sqrt(max(head, 0.0) / loss)


def seawater_flow_range(fjl: FjordLoop, fj: dict) -> tuple[float, float]:
    """The range of one duty seawater pump's flow [m³/s] the controls may use:
    ``fjl.flow_bounds`` × its design flow, the upper bound no more than the intake feeds
    the pumps without cavitation (``fj["max_flow_fraction"]``,
    :func:`suction_limited_flow`) but never below the design flow (an intake too small
    for that is the design's problem, flagged when it is solved)."""
    Vp = fj["flow"] / fj["duty_pumps"]
    lo, hi = fjl.flow_bounds
    hi = min(hi, max(fj.get("max_flow_fraction", math.inf), 1.0))
    return lo * Vp, hi * Vp


def _vapour_pressure(fluid: Any, T: float) -> float:
    """Pressure [Pa] at which ``fluid`` boils at ``T`` [K] (its boiling line inverted by
    bisection on the logarithm of the pressure, 611 Pa to 1 atm)."""
    lo, hi = math.log(611.0), math.log(_P_ATM)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if float(fluid.boiling_temperature_p(np.array([math.exp(mid)]), check=False)[0]) < T:
            lo = mid
        else:
            hi = mid
    return math.exp(0.5 * (lo + hi))


def discharge_temperatures(result: Any, info: dict) -> tuple[float, float, float]:
    """Discharge temperature and the water it is compared with, at this operating point.

    Returns
    -------
    (float, float, float)
        Discharge temperature, the intake temperature and the ambient water at the
        outfall depth [K] — the boundaries of the solved network (the operating
        point's sea), not the design intake.
    """
    cn = result.compiled
    T_dis = result.state.outlet_temperature[cn.edge_id(info["outfall_pipe"])]

    # each pressure boundary's place among the fixed nodes (its first), kept with the
    # compiled network's fixed nodes
    where = cn.cache.get("fixed_node_places")
    if where is None or where[0] is not cn.fixed_nodes:
        places: dict = {}
        for k, i in enumerate(cn.fixed_nodes.tolist()):
            places.setdefault(i, k)
        where = cn.cache["fixed_node_places"] = (cn.fixed_nodes, places)

    def boundary(node: str) -> float:
        i = cn.node_id(node)
        k = where[1].get(i)
        if k is None:                   # (not a boundary: the IndexError it always was)
            k = int(np.flatnonzero(cn.fixed_nodes == i)[0])
        return float(cn.bc_temperature[k])
    return float(T_dis), boundary(info["intake_node"]), boundary(info["outfall_node"])


def least_seawater_flow(info: dict, load: float, T_sea: float, T_limit: float) -> float:
    """Seawater flow per duty pump [m³/s] that keeps an operating point's heat within the
    discharge limit ``T_limit`` [K] (the permitted rise above the colder of the intake
    and the water at the outfall), with a 2 % margin for pump heat.

    The heat to the sea is estimated as the design heat scaled by the IT ``load``
    (fraction of design), from the point's own inputs only (so that an operating point
    does not depend on the one before it). Heat pumps taking part of it make the
    estimate conservative (more seawater than the limit needs); a shortfall (pump
    heat, the exchangers' off-design UA) is for the caller to check after the solve
    (:meth:`~narvik_thermal.plant.Campus.operate` raises the flow and solves again).

    Parameters
    ----------
    info : dict
        What :func:`add_fjord_loop` returned (design ``flow`` [m³/s], ``duty_pumps``,
        design ``rise`` [K]).
    load : float
        Heat to the sea as a fraction of the design heat [-].
    T_sea, T_limit : float
        Intake temperature and the discharge limit [K].

    Returns
    -------
    float
        Infinite where the limit is not above the intake water.

    Examples
    --------
    >>> info = dict(flow=2.0, duty_pumps=2, rise=10.0)
    >>> round(least_seawater_flow(info, 0.5, 280.0, 292.0), 6)    # 1.02 · 0.5 · 1 · 10/12
    0.425
    """
    allowed = T_limit - T_sea                    # rise over the intake
    if not allowed > 0:
        return float("inf")
    return 1.02 * load * info["flow"] / info["duty_pumps"] * info["rise"] / allowed


@user_api
def check_discharge(result: Any, info: dict, fjord: FjordLoop, warn: bool = True) -> dict:
    """Discharge temperature and rise of a solved fjord loop, checked against the limit.

    The rise is measured against the operating point's own water: the intake it
    took and the ambient water at the outfall depth, whichever is warmer is the
    smaller rise, so the larger of the two is checked (a discharge must be
    within the limit of both the water it came from and the water it enters).

    Parameters
    ----------
    result : Result
        Solved network containing the loop.
    info : dict
        What :func:`add_fjord_loop` returned.
    fjord : FjordLoop
        Loop parameters (the limit ``max_discharge_rise``).

    Returns
    -------
    dict
        ``discharge_temperature`` [degC], ``rise`` (over the larger-gap reference)
        [K], ``rise_over_intake``, ``rise_over_ambient`` [K], ``limit`` [K or None],
        ``within_limit`` (bool). A rise over the limit also adds a
        ``discharge_over_limit`` flag to ``result.flags`` and warns
        (:class:`~narvik_thermal.errors.PhysicsWarning`).
    """
    T_dis, T_in, T_amb = discharge_temperatures(result, info)
    rise = max(T_dis - T_in, T_dis - T_amb)
    lim = (None if fjord.max_discharge_rise is None else
           float(U.to_temperature_difference(fjord.max_discharge_rise, "max_discharge_rise")))
    ok = lim is None or rise <= lim * (1 + 1e-6)
    if not ok and not any(f.kind == "discharge_over_limit" for f in result.flags):
        from ..network.result import Flag
        msg = (f"seawater discharge {T_dis - 273.15:.2f} °C is {T_dis - T_in:.2f} K above the "
               f"intake and {T_dis - T_amb:.2f} K above the water at the outfall, over the "
               f"limit of {lim:.2f} K: raise the seawater flow (more or larger pumps) or "
               "accept a higher facility supply temperature.")
        n = int(result.compiled.count[result.compiled.edge_id(info["outfall_pipe"])])
        result.flags.append(Flag("discharge_over_limit", (info["outfall_pipe"],), n, msg, 1))
        if warn:
            warnings.warn(msg, PhysicsWarning, stacklevel=3)
    q = U.quantity
    return dict(discharge_temperature=q(T_dis - 273.15, "degC"), rise=q(rise, "K"),
                rise_over_intake=q(T_dis - T_in, "K"), rise_over_ambient=q(T_dis - T_amb, "K"),
                limit=None if lim is None else q(lim, "K"), within_limit=ok)
