"""The conditions of an operating point of a built campus (:meth:`Campus.operate
<narvik_thermal.plant.campus.Campus.operate>`): the sea at the intake and the outfall,
the town's demand, the outdoor air. Functions on the campus's operating state ``op``
(its network, design and last point); the campus orchestrates them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .. import units as U
from ..errors import ConvergenceError, InputError
from ..network.result import Flag
from .air_side import (operate_air_side, relative_humidity_keeping_moisture, relative_humidity_of,
                       relative_humidity_value)
from .fjord import discharge_temperatures, least_seawater_flow, seawater_flow_range
from .heat_export_network import head_start

__all__ = ["set_sea", "set_heat_demand", "heat_demand_value", "outdoor_air",
           "hold_discharge_limit", "valves_open_on_cold_water", "continue_load",
           "solve_air_side"]

#: Largest change of the facility supply between two air-side solves that ends the
#: iteration [K] (1 mK) and the most solves it may take (:func:`solve_air_side`).
AIR_SIDE_TOLERANCE = 1e-3
AIR_SIDE_MAX_ITER = 12


def set_sea(op: dict, site: Any, sea_temperature: Any, month: Any) -> float:
    """Set the sea temperature at the intake and the ambient water at the outfall of an
    operating point, and the seawater pumps' lowest flow for its heat (the operating
    state ``op`` of a :class:`~narvik_thermal.plant.campus.Campus` at ``site``, None:
    the embedded fjord); returns the intake temperature [K]."""
    net, design = op["network"], op["design"]
    fj = design["fjord"]
    fjl = op["fjord"]
    if sea_temperature is not None:
        T_sea = float(U.to_temperature(sea_temperature, "sea_temperature"))
        T_out = T_sea
    elif site is not None and month is None:
        T_sea = fj["intake_temperature"]                 # the design (warmest) water
        T_out = fj["outfall_temperature"]
    else:
        m = int(month) if month is not None else int(fjl.month)
        # the water of a month at both depths, looked up once per site and month (a
        # year asks for each month 730 times)
        # (keyed by month, with the loop and the site it was looked up for: hashing a
        # Quantity depth costs 20 µs)
        waters = op.setdefault("sea_of_month", {})
        got = waters.get(m)
        if got is None or got[0] is not site or got[3] is not fjl:
            if site is not None:
                temp = site.sea_temperature
            else:
                from ..climate import fjord_temperature as temp
            got = waters[m] = (site, float(temp(m, fjl.intake_depth).m_as("K")),
                               float(temp(m, fjl.outfall_depth).m_as("K")), fjl)
        T_sea, T_out = got[1:3]
    # (both nodes in one call: one set of checks, one refresh of the compiled network)
    net.update_boundary((fj["intake_node"], fj["outfall_node"]),
                        temperature=U.quantity(np.array([T_sea, T_out]), "K"))
    if fjl.max_discharge_rise is not None:
        # the seawater pumps never run below the flow that keeps this point's heat
        # within the discharge limit (see least_seawater_flow)
        lim = float(U.to_temperature_difference(fjl.max_discharge_rise,
                                                 "max_discharge_rise"))
        V = least_seawater_flow(fj, op["load"], T_sea, min(T_sea, T_out) + lim)
        lo, hi = seawater_flow_range(fjl, fj)
        name, bounds = "seawater.facility_supply_temperature", (min(max(lo, V), hi), hi)
        # bounds the loop holds already (volume flows; a year at the seawater pumps'
        # least flow keeps them for months) are not given again: update_control would
        # convert and check them to find the loop unchanged
        held = next((c for c in net.controls if c.name == name), None)
        if held is None or held.bounds != bounds or held.bounds_unit != "m^3/s":
            net.update_control(name, bounds=(U.quantity(bounds[0], "m^3/s"),
                                             U.quantity(bounds[1], "m^3/s")))
    return T_sea


#: outdoor air temperatures an operating point may have [K]: −90 to 60 °C, beyond the
#: records of the Earth's surface (−89.2 °C at Vostok, 56.7 °C at Death Valley)
OUTDOOR_TEMPERATURE_RANGE = (183.15, 333.15)
#: the warmest sea water an operating point may take in [K]: 40 °C, above the warmest sea
#: surface measured (about 36 °C in the Persian Gulf)
SEA_TEMPERATURE_MAX = 313.15
#: sea water taken in below its freezing point by more than this [K] is refused (the
#: round-off of data given at the freezing point passes)
SEA_FREEZING_TOLERANCE = 0.1


def temperature_in_range(T: Any, what: str, low: float, high: float,
                         low_reason: str, high_reason: str) -> None:
    """Refuse temperatures ``T`` [K] (a float or an array) outside ``[low, high]`` with
    an :class:`~narvik_thermal.errors.InputError` naming ``what``, the worst value in K
    and °C, why the bound is there (``low_reason``, ``high_reason``) and, for a value
    far off, the unit mistake it most likely is."""
    a = np.atleast_1d(np.asarray(T, dtype=float))
    for bad, lower, reason in ((a < low, True, low_reason), (a > high, False, high_reason)):
        if not bad.any():
            continue
        v = float(a[bad].min() if lower else a[bad].max())
        many = f" ({int(bad.sum())} of {a.size} values)" if a.size > 1 else ""
        hint = (" Kelvin given for degrees Celsius? (5 K is −268.15 °C: write '5 degC'.)"
                if v < 100.0 else " Kelvin given as degrees Celsius? (280 degC is "
                "553.15 K: write '280 K'.)" if v > 373.15 else "")
        raise InputError(f"{what}: {v:.6g} K ({v - 273.15:.2f} °C){many} is {reason}.{hint}")


def check_outdoor_temperature(T: Any, what: str = "outdoor_temperature") -> None:
    """Refuse outdoor air temperatures [K] outside :data:`OUTDOOR_TEMPERATURE_RANGE`."""
    lo, hi = OUTDOOR_TEMPERATURE_RANGE
    temperature_in_range(T, what, lo, hi, "colder than any air on Earth (−90 °C)",
                         "warmer than any air on Earth (60 °C)")


def check_sea_temperature(T: Any, salinity: float, what: str = "sea_temperature") -> None:
    """Refuse sea temperatures [K] below the freezing point of sea water of ``salinity``
    [g/kg] (UNESCO 1983, less :data:`SEA_FREEZING_TOLERANCE`) or above
    :data:`SEA_TEMPERATURE_MAX`."""
    from ..fluids import freezing_temperature_unesco
    T_f = float(freezing_temperature_unesco(salinity))
    temperature_in_range(T, what, T_f - SEA_FREEZING_TOLERANCE, SEA_TEMPERATURE_MAX,
                         f"below the freezing point of sea water of {salinity:.3g} g/kg "
                         f"({T_f - 273.15:.2f} °C)", "warmer than any sea (40 °C)")


def heat_demand_value(heat_demand: Any) -> float:
    """A town's heat demand [W] (≥ 0), or an InputError naming it."""
    Q = float(U.to_si(heat_demand, "W", "heat_demand"))
    if not Q >= 0:
        raise InputError(f"Campus.operate: heat_demand={heat_demand} must be ≥ 0 W.")
    return Q


def set_heat_demand(op: dict, heat_export: Any, heat_demand: Any) -> None:
    """District-heating consumers of the operating state ``op`` at their design demand, or
    scaled to ``heat_demand``; the pump head to start from, where the last two points
    say this demand needs it (:func:`head_start`)."""
    net = op["network"]
    if "consumer_heat" not in op:
        names = op["consumer_names"] = tuple(op["design"]["heat_export"]["consumers"])
        op["consumer_heat"] = np.array([heat_export.dh.consumers[k].heat.m_as("W")
                                        for k in range(len(names))])
        op["consumer_count"] = np.array([float(net.component(n).count[0]) for n in names])
        op["consumer_design_total"] = float(np.sum(op["consumer_heat"] * op["consumer_count"]))
    q0 = op["consumer_heat"]
    if heat_demand is None:
        q = q0
    else:
        Q = heat_demand_value(heat_demand)
        q = q0 * Q / op["consumer_design_total"]
    net.update(op["consumer_names"], heat=U.quantity(q, "W"))
    Q_now = float((q * op["consumer_count"]).sum())       # (np.sum: its wrapper, 2 µs)
    # the head iteration starts where the last two points say this demand needs
    H, slope = head_start(heat_export.dh, op.get("dh_reference", ()), Q_now)
    if H is not None:
        op["dh_head"], op["dh_slope"] = H, slope
    op["dh_demand"] = Q_now


def outdoor_air(site: Any, outdoor_temperature: Any, relative_humidity: Any,
                month: Any) -> tuple[float, float]:
    """Outdoor dry bulb [K] and relative humidity [-] of an operating point: given, or
    the site's monthly normals (without a month: its design conditions; a dry bulb
    given without a humidity or a month keeps the design air's moisture, its dew point,
    :func:`~narvik_thermal.plant.air_side.relative_humidity_keeping_moisture`)."""
    if outdoor_temperature is not None:
        db = float(U.to_temperature(outdoor_temperature, "outdoor_temperature"))
    elif month is not None:
        db = float(U.magnitude(site.air_temperature(int(month)), "K"))
    else:
        db = float(U.magnitude(site.design_conditions["cooling_dry_bulb"], "K"))
    if relative_humidity is not None:
        rh = relative_humidity_value(relative_humidity, "Campus.operate: relative_humidity")
    elif month is not None:
        rh = float(U.magnitude(site.relative_humidity(int(month)), ""))
    else:
        dc = site.design_conditions
        wb = float(U.magnitude(dc["cooling_mean_coincident_wet_bulb"], "K"))
        if outdoor_temperature is None:
            rh = relative_humidity_of(db, wb)
        else:
            # another dry bulb: the design air's moisture, not its wet bulb
            rh = relative_humidity_keeping_moisture(
                db, float(U.magnitude(dc["cooling_dry_bulb"], "K")), wb)
    return db, rh


def hold_discharge_limit(op: dict, res: Any, solve: Any) -> tuple[Any, int]:
    """Raise the seawater pumps' lowest flow until the discharge rise is within its
    limit (the bound set before the solve estimates this point's heat; pump heat
    and the exchangers' off-design UA make the real heat differ); ``solve(result)``
    solves the operating network again warm from ``result``. Returns the result and
    the number of solves it added."""
    fjl, fj, net = op["fjord"], op["design"]["fjord"], op["network"]
    if fjl.max_discharge_rise is None:
        return res, 0
    lim = float(U.to_temperature_difference(fjl.max_discharge_rise, "max_discharge_rise"))
    name = "seawater.facility_supply_temperature"
    n = 0
    for n in range(5):
        T_dis, T_in, T_amb = discharge_temperatures(res, fj)
        rise = max(T_dis - T_in, T_dis - T_amb)
        if rise <= lim * (1 + 1e-6) or n == 4:
            break
        lo, hi = next(c.bounds for c in net.controls if c.name == name)
        V = abs(U.magnitude(res.volume_flow(fj["pump"]), "m^3/s")) / fj["duty_pumps"]
        lo = max(lo, V * rise / lim * 1.005)
        net.update_control(name, bounds=(U.quantity(lo, "m^3/s"),
                                         U.quantity(max(hi, 1.01 * lo), "m^3/s")))
        res = solve(res)
    return res, n


def valves_open_on_cold_water(net: Any, result: Any) -> list[str]:
    """Controls of ``net`` whose valve throttles the cold side of an exchanger to hold its
    hot outlet, left wide open (at their upper bound) with that outlet below the
    set-point, in ``result``.

    Such a valve is commissioned to close on water too cold for its set-point, so a
    plant does not settle there; the controls' local steps can (the hot outlet can
    barely change with the opening over most of its range, or warm as it opens,
    where the cold side's own supply warms with its flow: the CDUs of a campus at
    part load whose seawater pumps are at their lowest flow). Their result is a
    saturated loop, flagged, on a plant pumping far more facility water than it
    would. Returns their names (none: an empty list).
    """
    cn = result.compiled
    out = []
    for c in net.controls:
        r = result.controls.get(c.name)
        if (c.actuator[0] != "valve_opening" or c.target[0] != "outlet_temperature"
                or r is None or r["met"] or not r["saturated"]):
            continue
        t, v = cn.edge_id(c.target[1]), cn.edge_id(c.actuator[1])
        other = int(cn.partner[t])
        if not (np.any(cn.hx_hot == t) and other >= 0
                and cn.edge_circuit[v] == cn.edge_circuit[other]):
            continue
        if float(r["actuator"].m) >= c.bounds[1] * (1 - 1e-9) and \
                float(U.magnitude(r["target"], "K")) < float(U.magnitude(r["setpoint"], "K")):
            out.append(c.name)
    return out


def continue_load(solve: Any, set_load: Any, base: dict, load: float, min_step: float,
                  max_solves: int) -> tuple[Any, list[float]]:
    """The point at ``load`` reached from the design point ``base`` (its ``result`` and
    ``dh_head``) by steps in the load, a homotopy: the first step half-way, each
    solved warm from the last point (``solve(start, head)`` returns the result and
    the district-heating head it left; ``set_load(x)`` puts the load ``x`` in the
    network); a step that fails is halved (down to ``min_step``), one that succeeds
    lets the next be 1.5 times longer; at most ``max_solves`` solves.

    Returns
    -------
    result, loads
        The result at ``load`` and the loads solved on the way (``load`` last).

    Raises
    ------
    ConvergenceError
        The last failure where ``load`` is not reached (the network is left at
        ``load`` in every case).
    """
    start, head = base["result"], base["dh_head"]
    at, step, loads, last = 1.0, 0.5 * (load - 1.0), [], None
    try:
        for _ in range(max_solves):
            nxt = load if abs(load - at) <= abs(step) * (1 + 1e-9) else at + step
            set_load(nxt)
            try:
                res, new_head = solve(start, head)
            except ConvergenceError as exc:
                last = exc
                step *= 0.5
                if abs(step) < min_step:
                    break
                continue
            loads.append(nxt)
            if nxt == load:
                return res, loads
            start, head, at, step = res, new_head, nxt, 1.5 * step
    finally:
        set_load(load)
    raise last or ConvergenceError(
        f"Campus.operate: the load {load:.3g} was not reached from the design point in "
        f"{max_solves} solves (the last solved {at:.3g}).")


def solve_air_side(op: dict, design: dict, db: float, rh: float, options: dict,
                   solve_once: Any) -> tuple[Any, Any]:
    """Solve the operating network of an air-side plant (:meth:`Campus.operate
    <narvik_thermal.plant.campus.Campus.operate>`) with the air side holding the facility
    supply as far as it can: where the fans (and the trim chiller) fall short, the
    supply set-point follows what they achieve and the network is solved again
    (``solve_once(initial=None)``, warm from the last result given), until the two
    agree within :data:`AIR_SIDE_TOLERANCE`. Returns the result and the air side's
    :class:`~narvik_thermal.plant.air_side.AirSideState`."""
    net = op["network"]
    T_set = design["supply_temperature"]
    cp = design["cp_facility"]
    net.update("rejection", outlet_temperature=U.quantity(T_set, "K"))
    res = solve_once()
    air = None
    history = []
    last = kept = None
    bracket: dict = {}
    for it in range(1, AIR_SIDE_MAX_ITER + 1):
        edge = res.compiled.edge_id("rejection")
        T_in = float(res.state.temperature[res.state.upstream[edge]])
        # (units.magnitude: pint's m_as parses its unit anew, 40-100 µs)
        m = abs(float(U.magnitude(res.mass_flow("rejection"), "kg/s")))
        air = operate_air_side(design["air_side"], T_in, m, T_set, db, rh, cp)
        T_now = float(U.magnitude(res.outlet_temperature("rejection"), "K"))
        g = air.supply - T_now          # what the air side makes minus what was assumed
        history.append(g)
        if abs(g) <= AIR_SIDE_TOLERANCE:
            break
        # g falls with the supply (slope −ε of the coil or tower: a warmer supply
        # returns warmer water, which the air side cools by a fraction ε): secant
        # steps on g once there are two points, the plain substitution before or
        # when the secant is implausible (the substitution alone converges as (1−ε)^k)
        T_next = air.supply
        if last is not None and T_now != last[0]:
            slope = (g - last[1]) / (T_now - last[0])
            if -1.0 <= slope < -1e-3:
                T_next = max(T_set, T_now - g / slope)
        # the supplies seen on either side of the answer bracket it (g > 0 below);
        # once they do, the steps are the bracket's secant (regula falsi, with the
        # Illinois halving of an end kept twice): the substitution alone creeps
        # where the air side changes regime within the bracket
        side = "below" if g > 0 else "above"
        if side == kept:
            other = "above" if side == "below" else "below"
            if bracket.get(other) is not None:
                bracket[other] = (bracket[other][0], 0.5 * bracket[other][1])
        bracket[side], kept = (T_now, g), side
        if air.bypassed and g > 0 and bracket.get("above") is None:
            # the air cannot cool water this cold, and the chiller falls short: the
            # supply rises until the water arrives 1 K above the air's dry (wet) bulb,
            # where the air side takes heat again (g changes below that only with
            # the chiller's capacity: no secant from there)
            T_next = max(air.supply, T_now + air.air_limit + 1.0 - T_in)
        if bracket.get("below") is not None and bracket.get("above") is not None:
            (t0, g0), (t1, g1) = bracket["below"], bracket["above"]
            T_next = t0 - g0 * (t1 - t0) / (g1 - g0)
        last = (T_now, g)
        net.update("rejection", outlet_temperature=U.quantity(T_next, "K"))
        res = solve_once(res)
    else:
        raise ConvergenceError(
            f"Campus.operate: the facility supply the air side can make did not settle in "
            f"{AIR_SIDE_MAX_ITER} solves with {db - 273.15:.1f} °C outdoors (last changes "
            + ", ".join(f"{x * 1e3:+.2f} mK" for x in history[-4:]) + "); the result is "
            "the last solve.", res)
    res.convergence["air_side_iterations"] = it
    # the energy the network's edge took is the heat the air side rejects
    q_edge = -float(U.magnitude(res.heat_flow("rejection"), "W"))
    air = replace(air, heat=q_edge)
    if air.limited:
        res.add_flag(Flag("heat_rejection_limit", ("rejection",), 1,
                          f"the {design['air_side'].kind.replace('_', ' ')} "
                          + ("and its trim chiller " if design['air_side'].chiller else "")
                          + f"cannot hold the facility supply at {T_set - 273.15:.1f} °C "
                          f"with {db - 273.15:.1f} °C outdoors: it reaches "
                          f"{air.supply - 273.15:.2f} °C; add (or enlarge) a chiller."),
                     warn=options.get("warn", True))
    return res, air
