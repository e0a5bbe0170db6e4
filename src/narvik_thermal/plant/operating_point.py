"""The conditions of an operating point of a built campus (:meth:`Campus.operate
<narvik_thermal.plant.campus.Campus.operate>`): the sea at the intake and the outfall,
the town's demand, the outdoor air. Functions on the campus's operating state ``op``
(its network, design and last point); the campus orchestrates them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import units as U
from ..errors import InputError
from ..units import Q_
from .air_side import relative_humidity_of, relative_humidity_value
from .fjord import discharge_temperatures, least_seawater_flow
from .heat_export_network import head_start

__all__ = ["set_sea", "set_heat_demand", "heat_demand_value", "outdoor_air",
           "hold_discharge_limit"]


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
    net.update_boundary(fj["intake_node"], temperature=U.quantity(T_sea, "K"))
    net.update_boundary(fj["outfall_node"], temperature=U.quantity(T_out, "K"))
    if fjl.max_discharge_rise is not None:
        # the seawater pumps never run below the flow that keeps this point's heat
        # within the discharge limit (see least_seawater_flow)
        lim = float(U.to_temperature_difference(fjl.max_discharge_rise,
                                                 "max_discharge_rise"))
        Vp = fj["flow"] / fj["duty_pumps"]
        V = least_seawater_flow(fj, op["load"], T_sea, min(T_sea, T_out) + lim)
        lo, hi = fjl.flow_bounds[0] * Vp, fjl.flow_bounds[1] * Vp
        net.update_control("seawater.facility_supply_temperature",
                           bounds=(U.quantity(min(max(lo, V), hi), "m^3/s"),
                                   U.quantity(hi, "m^3/s")))
    return T_sea


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
    net, design = op["network"], op["design"]
    names = design["heat_export"]["consumers"]
    if "consumer_heat" not in op:
        op["consumer_heat"] = np.array([heat_export.dh.consumers[k].heat.m_as("W")
                                        for k in range(len(names))])
        op["consumer_count"] = np.array([float(net.component(n).count[0]) for n in names])
    q0 = op["consumer_heat"]
    if heat_demand is None:
        q = q0
    else:
        Q = heat_demand_value(heat_demand)
        q = q0 * Q / float(np.sum(q0 * op["consumer_count"]))
    net.update(names, heat=U.quantity(q, "W"))
    Q_now = float(np.sum(q * op["consumer_count"]))
    # the head iteration starts where the last two points say this demand needs
    H, slope = head_start(heat_export.dh, op.get("dh_reference", ()), Q_now)
    if H is not None:
        op["dh_head"], op["dh_slope"] = H, slope
    op["dh_demand"] = Q_now


def outdoor_air(site: Any, outdoor_temperature: Any, relative_humidity: Any,
                month: Any) -> tuple[float, float]:
    """Outdoor dry bulb [K] and relative humidity [-] of an operating point: given, or
    the site's monthly normals (without a month: its design conditions)."""
    if outdoor_temperature is not None:
        db = float(U.to_temperature(outdoor_temperature, "outdoor_temperature"))
    elif month is not None:
        db = float(site.air_temperature(int(month)).m_as("K"))
    else:
        db = float(site.design_conditions["cooling_dry_bulb"].m_as("K"))
    if relative_humidity is not None:
        rh = relative_humidity_value(relative_humidity, "Campus.operate: relative_humidity")
    elif month is not None:
        rh = float(site.relative_humidity(int(month)).m_as(""))
    else:
        wb = float(site.design_conditions["cooling_mean_coincident_wet_bulb"].m_as("K"))
        rh = relative_humidity_of(db, wb)
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
        V = abs(res.volume_flow(fj["pump"]).m_as("m^3/s")) / fj["duty_pumps"]
        lo = max(lo, V * rise / lim * 1.005)
        net.update_control(name, bounds=(U.quantity(lo, "m^3/s"),
                                         U.quantity(max(hi, 1.01 * lo), "m^3/s")))
        res = solve(res)
    return res, n
