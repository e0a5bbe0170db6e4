"""Coolant distribution units: the TCS loop, its heat exchanger, pumps and row of racks.

- :class:`CDU` — PG25 technology cooling system (TCS) loop, liquid-to-liquid
  plate HX sized for the approach (3 K, R19), N+1 pumps (R19), and controls
  (``Network.add_control``) that hold the TCS supply temperature by the
  facility-water valve and the flow per kW (1.3 L/min/kW, R19) or a
  differential pressure by pump speed;
- ``add_cdu`` — one CDU loop (or ``count`` identical loops), its row of racks
  (:func:`~narvik_thermal.plant.rack.add_racks`) and its facility-water
  branch, used by :class:`~narvik_thermal.plant.campus.Campus`.

Representation with multiplicity
--------------------------------
A CDU loop built with ``count=n`` gives every edge the same count, so it
represents n identical loops exactly. A replicated loop feeds its one
representative rack through a row header lumped into one pipe of half the row
length (the mean rack position); an expanded row has every rack on its own
header tap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import units as U
from ..errors import InputError, user_api
from ..units import Q_, quantity
from . import defaults as D
from . import sizing
from .rack import RACK_ARRANGEMENTS, Rack, add_racks

__all__ = ["CDU"]

_CDU_CONTROLS = ("flow", "differential_pressure", None)


@user_api
@dataclass(frozen=True)
class CDU:
    """A coolant distribution unit and the row of racks it serves.

    Attributes
    ----------
    supply_temperature : Quantity
        TCS supply temperature held (25 °C, R18/R20/R21).
    approach : Quantity
        Design approach TCS supply − facility supply (3 K, R19).
    flow_per_kw : Quantity
        TCS flow per kW of IT (1.3 L/min/kW, R19).
    facility_delta_t : Quantity
        Design facility-water rise (10 K [GEK]).
    duty_pumps, standby_pumps : int
        N+1 pump set (2 + 1, R19); only duty pumps are in the hydraulics.
    pump_efficiency, motor_efficiency : float
        0.70, 0.95 [GEK].
    hx_pressure_drop : Quantity
        Rated pressure drop of each HX side at design flow (50 kPa [GEK], R19 range).
    strainer_pressure_drop : Quantity
        50 µm strainer at design flow (15 kPa [GEK], R19/R29).
    tank_pressure : Quantity
        Expansion-tank (static) pressure (2.5 bar, R19: 2–6 bar).
    control : {"flow", "differential_pressure", None}
        Pump-speed control target: the design flow per kW, or
        ``differential_pressure`` between CDU supply and return; ``None``
        gives ideal fixed-flow pumps and no valve control (fixed valves).
    differential_pressure : Quantity, optional
        Set-point for ``control="differential_pressure"``.
    control_temperature : bool
        Hold the TCS supply temperature by the facility-water valve.
    row_arrangement : {"direct", "reverse"}
        Row-header return arrangement (expanded rows).
    rack_pitch : Quantity
        Header length per rack (0.6 m [GEK]).
    row_distance : Quantity
        CDU to the first rack, each way (5 m [GEK]).
    header_velocity : Quantity
        Row-header sizing velocity (2 m/s [GEK]).
    arrangement : str
        HX flow arrangement (counterflow plate HX).
    hx_margin : float
        Extra UA over the UA that gives exactly ``approach`` at design (0.15
        [GEK]): the margin the facility valve needs to hold the supply
        temperature when the facility water arrives warmer than design or pump
        heat warms the TCS loop. ``0`` sizes the HX exactly for the approach.
    """

    supply_temperature: Any = D.TCS_SUPPLY_TEMPERATURE.value
    approach: Any = D.CDU_APPROACH.value
    flow_per_kw: Any = D.FLOW_PER_KW.value
    facility_delta_t: Any = D.FACILITY_DELTA_T.value
    duty_pumps: int = D.CDU_DUTY_PUMPS.value
    standby_pumps: int = D.CDU_STANDBY_PUMPS.value
    pump_efficiency: float = D.PUMP_EFFICIENCY.value
    motor_efficiency: float = D.MOTOR_EFFICIENCY.value
    hx_pressure_drop: Any = D.CDU_HX_PRESSURE_DROP.value
    strainer_pressure_drop: Any = D.CDU_STRAINER_PRESSURE_DROP.value
    tank_pressure: Any = D.CDU_TANK_PRESSURE.value
    control: str | None = "flow"
    differential_pressure: Any = None
    control_temperature: bool = True
    row_arrangement: str = "direct"
    rack_pitch: Any = D.ROW_RACK_PITCH.value
    row_distance: Any = D.CDU_ROW_DISTANCE.value
    header_velocity: Any = D.ROW_HEADER_VELOCITY.value
    arrangement: str = "counterflow"
    hx_margin: float = D.CDU_HX_MARGIN.value

    def __post_init__(self) -> None:
        U.to_number(self.hx_margin, "CDU: hx_margin", 0.0, 2.0, high_open=True)
        for nm in ("pump_efficiency", "motor_efficiency"):
            U.to_number(getattr(self, nm), f"CDU: {nm}", 0.0, 1.0, low_open=True)
        U.to_integer(self.standby_pumps, "CDU: standby_pumps", minimum=0)
        U.to_integer(self.duty_pumps, "CDU: duty_pumps", minimum=1)
        for nm, unit in (("hx_pressure_drop", "Pa"), ("strainer_pressure_drop", "Pa"),
                         ("tank_pressure", "Pa"), ("rack_pitch", "m"), ("row_distance", "m"),
                         ("header_velocity", "m/s")):
            if not U.to_si(getattr(self, nm), unit, nm) > 0:
                raise InputError(f"CDU: {nm}={getattr(self, nm)} must be positive.")
        if not 0 <= self.hx_margin < 2:
            raise InputError(f"CDU: hx_margin={self.hx_margin} must lie in [0, 2) (a fraction "
                             "of extra UA, e.g. 0.15).")
        if self.control not in _CDU_CONTROLS:
            raise InputError(f"CDU: control={self.control!r} is not one of {_CDU_CONTROLS}.")
        if self.control == "differential_pressure" and self.differential_pressure is None:
            raise InputError("CDU: control='differential_pressure' needs differential_pressure=, "
                             "e.g. Q_(1.5, 'bar') (R19: 0.5–3 bar).")
        if self.row_arrangement not in RACK_ARRANGEMENTS:
            raise InputError(f"CDU: row_arrangement={self.row_arrangement!r} is not one of "
                             f"{RACK_ARRANGEMENTS}.")
        a = U.to_temperature_difference(self.approach, "approach")
        if not a > 0:
            raise InputError(f"CDU: approach={self.approach} must be positive (R19: 3–5 K).")
        U.to_temperature(self.supply_temperature, "supply_temperature")
        if not U.to_si(self.flow_per_kw, "m^3/s/W", "flow_per_kw") > 0:
            raise InputError(f"CDU: flow_per_kw={self.flow_per_kw} must be positive.")
        if not U.to_temperature_difference(self.facility_delta_t, "facility_delta_t") > 0:
            raise InputError(f"CDU: facility_delta_t={self.facility_delta_t} must be positive.")
        if int(self.duty_pumps) != self.duty_pumps or self.duty_pumps < 1:
            raise InputError(f"CDU: duty_pumps={self.duty_pumps!r} must be an integer ≥ 1.")

    @property
    def facility_supply_temperature(self) -> Any:
        """Design facility supply = TCS supply − approach [degC]."""
        return Q_(U.to_temperature(self.supply_temperature, "supply_temperature")
                  - U.to_temperature_difference(self.approach, "approach") - 273.15, "degC")


def add_rack_rows(net: Any, rows: list, rack: Rack) -> None:
    """Add the racks of several CDUs (rows as :func:`add_cdu` collects them) in one
    :func:`add_racks` call."""
    if rows:
        add_racks(net, [n for r in rows for n in r[0]], [n for r in rows for n in r[1]],
                  [n for r in rows for n in r[2]], rack,
                  count=np.concatenate([np.asarray(r[3], dtype=float) for r in rows]))


def add_cdu(net: Any, name: str, n_racks: int, rack: Rack, cdu: CDU, count: int,
             facility: tuple[str, str], expanded: bool, fluid: Any, water: Any,
             controls: bool, racks: list | None = None) -> dict:
    """Add one CDU loop (count identical loops) and its facility branch. Returns design info.

    ``racks``: when a list is given, the CDU's racks are not added but appended to it
    as ``(names, supply nodes, return nodes, counts)``, so that a builder of many
    CDUs adds all their racks in one :func:`add_racks` call (:func:`add_rack_rows`).
    """
    P_it = rack.it_power.m_as("W") * n_racks
    Q_liq = rack.liquid_heat.m_as("W") * n_racks
    T_s = float(U.to_temperature(cdu.supply_temperature, "supply_temperature"))
    appr = float(U.to_temperature_difference(cdu.approach, "approach"))
    dT_fw = float(U.to_temperature_difference(cdu.facility_delta_t, "facility_delta_t"))
    V = float(U.to_si(cdu.flow_per_kw, "m^3/s/W", "flow_per_kw")) * P_it
    rho = float(fluid.density_pT(T_s + 5.0))
    cp = float(fluid.cp_pT(T_s + 5.0))
    dT_tcs = Q_liq / (rho * V * cp)
    T_fs = T_s - appr
    cp_w = float(water.cp_pT(T_fs + 0.5 * dT_fw))
    m_fw = Q_liq / (cp_w * dT_fw)
    ua = sizing.heat_exchanger_ua(quantity(Q_liq, "W"), hot_inlet=quantity(T_s + dT_tcs, "K"),
                                  hot_outlet=quantity(T_s, "K"), cold_inlet=quantity(T_fs, "K"),
                                  cold_outlet=quantity(T_fs + dT_fw, "K"), arrangement=cdu.arrangement)
    # nodes and edges of the TCS loop
    ret, pout, hxin, sup = (f"{name}.return", f"{name}.pump_out", f"{name}.hx_in",
                            f"{name}.supply")
    pitch = float(U.to_si(cdu.rack_pitch, "m", "rack_pitch"))
    d_hdr = sizing.pipe_diameter(quantity(V, "m^3/s"), max_velocity=cdu.header_velocity).m_as("m")
    hdr = dict(diameter=quantity(d_hdr, "m"), roughness=quantity(0.045, "mm"))
    npump = int(cdu.duty_pumps)
    # pump: design head estimate = rated drops + 30 % for piping, manifolds and hoses
    head_est = 1.3 * (float(U.to_si(cdu.hx_pressure_drop, "Pa", "hx_pressure_drop"))
                      + float(U.to_si(cdu.strainer_pressure_drop, "Pa", "strainer"))
                      + rack.gpu.rated_pressure_drop.m_as("Pa") * 1.2
                      + float(U.to_si(rack.quick_disconnect_pressure_drop, "Pa", "qd")) + 20e3)
    pump_kw = dict(efficiency=cdu.pump_efficiency, motor_efficiency=cdu.motor_efficiency,
                   count=count * npump)
    if controls and cdu.control == "differential_pressure":
        curve = sizing.pump_curve_for_duty(quantity(V / npump, "m^3/s"), quantity(head_est, "Pa"))
        net.add_pump(f"{name}.pump", ret, pout, curve=curve, **pump_kw)
    else:
        net.add_pump(f"{name}.pump", ret, pout, flow=quantity(V / npump, "m^3/s"), **pump_kw)
    net.add_heat_load(f"{name}.strainer", pout, hxin, heat=quantity(0, "W"),
                      pressure_drop=cdu.strainer_pressure_drop, rated_flow=quantity(V, "m^3/s"),
                      count=count)
    fs, fr = facility
    fin, fout, fv = f"{name}.fw_in", f"{name}.fw_out", f"{name}.fw_valve_in"
    if controls and cdu.control_temperature:
        ua = ua * (1.0 + cdu.hx_margin)
    # UA follows the flows of both sides from the sizing point (plate films h ∝ ṁ^0.72);
    # stainless plates in closed, filtered loops: wall share without fouling
    m_tcs = rho * V
    film = sizing.plate_film_share(hot_fluid=fluid, cold_fluid=water,
                                   hot_temperature=quantity(T_s + 0.5 * dT_tcs, "K"),
                                   cold_temperature=quantity(T_fs + 0.5 * dT_fw, "K"),
                                   hot_flow=quantity(m_tcs, "kg/s"),
                                   cold_flow=quantity(m_fw, "kg/s"))
    wall = sizing.plate_wall_share(u=D.PHE_U_CLEAN.value,
                                   plate_conductivity=D.STAINLESS_CONDUCTIVITY.value,
                                   fouling=quantity(0.0, "m^2*K/W"))
    net.add_heat_exchanger(f"{name}.hx", hot=(hxin, sup), cold=(fin, fout), ua=ua,
                           arrangement=cdu.arrangement, hot_pressure_drop=cdu.hx_pressure_drop,
                           hot_rated_flow=quantity(V, "m^3/s"),
                           cold_pressure_drop=cdu.hx_pressure_drop,
                           cold_rated_flow=quantity(m_fw, "kg/s"),
                           design_flows=(quantity(m_tcs, "kg/s"), quantity(m_fw, "kg/s")),
                           hot_film_share=film, wall_share=wall, count=count)
    # row
    if expanded:
        hs = [f"{name}.hs{k}" for k in range(n_racks)]
        hr = [f"{name}.hr{k}" for k in range(n_racks)]
        net.add_pipe(f"{name}.feed", sup, hs[0], length=cdu.row_distance, **hdr)
        if n_racks > 1:
            net.add_pipes([f"{name}.hseg{k}" for k in range(n_racks - 1)], hs[:-1], hs[1:],
                          length=quantity(pitch, "m"), **hdr)
            if cdu.row_arrangement == "direct":
                net.add_pipes([f"{name}.rseg{k}" for k in range(n_racks - 1)], hr[1:], hr[:-1],
                              length=quantity(pitch, "m"), **hdr)
            else:
                net.add_pipes([f"{name}.rseg{k}" for k in range(n_racks - 1)], hr[:-1], hr[1:],
                              length=quantity(pitch, "m"), **hdr)
        last = hr[0] if cdu.row_arrangement == "direct" else hr[-1]
        net.add_pipe(f"{name}.back", last, ret, length=cdu.row_distance, **hdr)
        rack_names = [f"{name}.rack{k}" for k in range(n_racks)]
        rows = (rack_names, hs, hr, [1] * n_racks)
    else:
        L = float(U.to_si(cdu.row_distance, "m", "row_distance")) + 0.5 * pitch * n_racks
        net.add_pipe(f"{name}.feed", sup, f"{name}.hs0", length=quantity(L, "m"), count=count, **hdr)
        net.add_pipe(f"{name}.back", f"{name}.hr0", ret, length=quantity(L, "m"), count=count, **hdr)
        rack_names = [f"{name}.rack0"]
        rows = (rack_names, [f"{name}.hs0"], [f"{name}.hr0"], [count * n_racks])
    if racks is None:
        add_rack_rows(net, [rows], rack)
    else:
        racks.append(rows)
    net.add_expansion_tank(ret, pressure=cdu.tank_pressure)
    net.set_fluid(ret, fluid)
    # facility branch: supply pipe, control valve, HX cold side, return pipe
    V_fw = m_fw / float(water.density_pT(T_fs))
    d_br = sizing.pipe_diameter(quantity(V_fw, "m^3/s"), max_velocity=quantity(2.0, "m/s")).m_as("m")
    br = dict(length=D.FACILITY_BRANCH_LENGTH.value, diameter=quantity(d_br, "m"), count=count)
    net.add_pipe(f"{name}.fw_branch_s", fs, fv, **br)
    dp_v = D.FACILITY_VALVE_PRESSURE_DROP.value.m_as("bar")
    kv_design = V_fw * 3600.0 / math.sqrt(dp_v)
    net.add_valve(f"{name}.fw_valve", fv, fin, kvs=quantity(kv_design / 0.7, "m^3/h"),
                  opening=0.7, count=count)
    net.add_pipe(f"{name}.fw_branch_r", fout, fr, **br)
    if controls:
        if cdu.control_temperature:
            net.add_control(f"{name}.supply_temperature",
                            actuator=("valve_opening", f"{name}.fw_valve"),
                            target=("outlet_temperature", f"{name}.hx:hot"),
                            setpoint=cdu.supply_temperature, bounds=(0.01, 1.0))
        if cdu.control == "differential_pressure":
            net.add_control(f"{name}.dp", actuator=("pump_speed", f"{name}.pump"),
                            target=("pressure_difference", sup, ret),
                            setpoint=cdu.differential_pressure, bounds=(0.2, 1.6))
    return dict(name=name, n_racks=n_racks, count=count, expanded=expanded, it_power=P_it,
                liquid_heat=Q_liq, flow=V, facility_mass_flow=m_fw, ua=ua.m_as("W/K"),
                hx_design_flows=(m_tcs, m_fw), hx_hot_film_share=film, hx_wall_share=wall,
                tcs_delta_t=dT_tcs, racks=rack_names, head_estimate=head_est,
                facility_pressure_drop_design=(float(U.to_si(cdu.hx_pressure_drop, "Pa", "dp"))
                                               + dp_v * 1e5))
