"""Coolant distribution units: the TCS loop, its heat exchanger, pumps and row of racks.

- :class:`CDU` — PG25 technology cooling system (TCS) loop, liquid-to-liquid
  plate HX sized for the approach (3 K, R19), N+1 pumps (R19), and controls
  (``Network.add_control``) that hold the TCS supply temperature by the
  facility-water valve and the flow per kW (1.3 L/min/kW, R19) or a
  differential pressure by pump speed;
- ``add_cdus`` — CDU loops (each ``count`` identical loops), their rows of racks
  (:func:`~narvik_thermal.plant.rack.add_racks`) and their facility-water
  branches, one ``add_*`` call per kind of edge, used by
  :class:`~narvik_thermal.plant.campus.Campus`; ``add_cdu`` adds one.

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

    The singular form of :func:`add_cdus`.
    """
    return add_cdus(net, [(name, n_racks, count, expanded)], rack, cdu, facility, fluid,
                    water, controls, racks)[0]


def _loop_design(n_racks: int, rack: Rack, cdu: CDU, fluid: Any, water: Any,
                 controls: bool) -> dict:
    """The sizing of one CDU loop of ``n_racks`` racks at design (SI numbers)."""
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
                                  cold_outlet=quantity(T_fs + dT_fw, "K"),
                                  arrangement=cdu.arrangement).m_as("W/K")
    if controls and cdu.control_temperature:
        ua = ua * (1.0 + cdu.hx_margin)
    d_hdr = sizing.pipe_diameter(quantity(V, "m^3/s"), max_velocity=cdu.header_velocity).m_as("m")
    # pump: design head estimate = rated drops + 30 % for piping, manifolds and hoses
    head_est = 1.3 * (float(U.to_si(cdu.hx_pressure_drop, "Pa", "hx_pressure_drop"))
                      + float(U.to_si(cdu.strainer_pressure_drop, "Pa", "strainer"))
                      + rack.gpu.rated_pressure_drop.m_as("Pa") * 1.2
                      + float(U.to_si(rack.quick_disconnect_pressure_drop, "Pa", "qd")) + 20e3)
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
    V_fw = m_fw / float(water.density_pT(T_fs))
    d_br = sizing.pipe_diameter(quantity(V_fw, "m^3/s"),
                                max_velocity=quantity(2.0, "m/s")).m_as("m")
    dp_v = D.FACILITY_VALVE_PRESSURE_DROP.value.m_as("bar")
    return dict(n_racks=n_racks, it_power=P_it, liquid_heat=Q_liq, flow=V,
                facility_mass_flow=m_fw, ua=ua, hx_design_flows=(m_tcs, m_fw),
                hx_hot_film_share=film, hx_wall_share=wall, tcs_delta_t=dT_tcs,
                head_estimate=head_est, header_diameter=d_hdr, branch_diameter=d_br,
                kv_design=V_fw * 3600.0 / math.sqrt(dp_v),
                facility_pressure_drop_design=(float(U.to_si(cdu.hx_pressure_drop, "Pa", "dp"))
                                               + dp_v * 1e5))


def add_cdus(net: Any, blocks: list, rack: Rack, cdu: CDU, facility: tuple[str, str],
             fluid: Any, water: Any, controls: bool, racks: list | None = None) -> list[dict]:
    """Add CDU loops and their facility branches, one ``add_*`` call per kind of edge.

    ``blocks``: ``(name, n_racks, count, expanded)`` per loop — ``count`` identical
    loops of ``n_racks`` racks, either every rack on its own header tap
    (``expanded``) or one representative rack on a header lumped to half the row.
    Loops of the same number of racks are sized once. Returns the design info of
    each block, in order.

    ``racks``: when a list is given, the racks are not added but appended to it
    as ``(names, supply nodes, return nodes, counts)`` per block, so that a builder
    adds the racks of these and other CDUs in one :func:`add_racks` call
    (:func:`add_rack_rows`).
    """
    designs: dict[int, dict] = {}
    for _, n_racks, _, _ in blocks:
        if n_racks not in designs:
            designs[n_racks] = _loop_design(n_racks, rack, cdu, fluid, water, controls)
    loops = [designs[b[1]] for b in blocks]
    names = [b[0] for b in blocks]
    counts = np.array([b[2] for b in blocks], dtype=float)
    col = {k: np.array([d[k] for d in loops]) for k in
           ("flow", "ua", "facility_mass_flow", "header_diameter", "branch_diameter",
            "kv_design", "hx_hot_film_share")}
    m_tcs = np.array([d["hx_design_flows"][0] for d in loops])
    node = {k: [f"{nm}.{k}" for nm in names]
            for k in ("return", "pump_out", "hx_in", "supply", "fw_in", "fw_out", "fw_valve_in")}
    ret = node["return"]
    npump = int(cdu.duty_pumps)
    pump_kw = dict(efficiency=cdu.pump_efficiency, motor_efficiency=cdu.motor_efficiency)
    if controls and cdu.control == "differential_pressure":
        for n_racks, d in designs.items():          # one curve per size of loop
            ks = [k for k, b in enumerate(blocks) if b[1] == n_racks]
            curve = sizing.pump_curve_for_duty(quantity(d["flow"] / npump, "m^3/s"),
                                               quantity(d["head_estimate"], "Pa"))
            net.add_pumps([f"{names[k]}.pump" for k in ks], [ret[k] for k in ks],
                          [node["pump_out"][k] for k in ks], curve=curve,
                          count=counts[ks] * npump, **pump_kw)
    else:
        net.add_pumps([f"{nm}.pump" for nm in names], ret, node["pump_out"],
                      flow=quantity(col["flow"] / npump, "m^3/s"), count=counts * npump,
                      **pump_kw)
    net.add_heat_loads([f"{nm}.strainer" for nm in names], node["pump_out"], node["hx_in"],
                       heat=quantity(0, "W"), pressure_drop=cdu.strainer_pressure_drop,
                       rated_flow=quantity(col["flow"], "m^3/s"), count=counts)
    net.add_heat_exchangers([f"{nm}.hx" for nm in names],
                            list(zip(node["hx_in"], node["supply"])),
                            list(zip(node["fw_in"], node["fw_out"])),
                            ua=quantity(col["ua"], "W/K"), arrangement=cdu.arrangement,
                            hot_pressure_drop=cdu.hx_pressure_drop,
                            hot_rated_flow=quantity(col["flow"], "m^3/s"),
                            cold_pressure_drop=cdu.hx_pressure_drop,
                            cold_rated_flow=quantity(col["facility_mass_flow"], "kg/s"),
                            design_flows=(quantity(m_tcs, "kg/s"),
                                          quantity(col["facility_mass_flow"], "kg/s")),
                            hot_film_share=col["hx_hot_film_share"],
                            wall_share=loops[0]["hx_wall_share"], count=counts)
    # rows and facility branches: every pipe in one call
    pitch = float(U.to_si(cdu.rack_pitch, "m", "rack_pitch"))
    L_row = float(U.to_si(cdu.row_distance, "m", "row_distance"))
    L_br = D.FACILITY_BRANCH_LENGTH.value.m_as("m")
    fs, fr = facility
    pipes: dict[str, list] = {k: [] for k in ("names", "starts", "ends", "length", "diameter",
                                              "count")}

    def pipe(nm: list, a: list, b: list, length: float, diameter: float, count: float) -> None:
        pipes["names"] += nm
        pipes["starts"] += a
        pipes["ends"] += b
        for k, v in (("length", length), ("diameter", diameter), ("count", count)):
            pipes[k] += [v] * len(nm)

    infos, rows = [], []
    for k, (name, n_racks, count, expanded) in enumerate(blocks):
        d_hdr, sup = col["header_diameter"][k], node["supply"][k]
        if expanded:
            hs = [f"{name}.hs{j}" for j in range(n_racks)]
            hr = [f"{name}.hr{j}" for j in range(n_racks)]
            pipe([f"{name}.feed"], [sup], hs[:1], L_row, d_hdr, 1)
            if n_racks > 1:
                pipe([f"{name}.hseg{j}" for j in range(n_racks - 1)], hs[:-1], hs[1:], pitch,
                     d_hdr, 1)
                a, b = (hr[1:], hr[:-1]) if cdu.row_arrangement == "direct" else (hr[:-1],
                                                                                  hr[1:])
                pipe([f"{name}.rseg{j}" for j in range(n_racks - 1)], a, b, pitch, d_hdr, 1)
            last = hr[0] if cdu.row_arrangement == "direct" else hr[-1]
            pipe([f"{name}.back"], [last], [ret[k]], L_row, d_hdr, 1)
            rack_names = [f"{name}.rack{j}" for j in range(n_racks)]
            rows.append((rack_names, hs, hr, [1] * n_racks))
        else:
            L = L_row + 0.5 * pitch * n_racks
            pipe([f"{name}.feed"], [sup], [f"{name}.hs0"], L, d_hdr, count)
            pipe([f"{name}.back"], [f"{name}.hr0"], [ret[k]], L, d_hdr, count)
            rack_names = [f"{name}.rack0"]
            rows.append((rack_names, [f"{name}.hs0"], [f"{name}.hr0"], [count * n_racks]))
        d_br = col["branch_diameter"][k]
        pipe([f"{name}.fw_branch_s"], [fs], [node["fw_valve_in"][k]], L_br, d_br, count)
        pipe([f"{name}.fw_branch_r"], [node["fw_out"][k]], [fr], L_br, d_br, count)
        infos.append(dict(loops[k], name=name, count=count, expanded=expanded,
                          racks=rack_names))
    net.add_pipes(pipes["names"], pipes["starts"], pipes["ends"],
                  length=quantity(np.array(pipes["length"]), "m"),
                  diameter=quantity(np.array(pipes["diameter"]), "m"),
                  roughness=quantity(0.045, "mm"), count=np.array(pipes["count"], dtype=float))
    if racks is None:
        add_rack_rows(net, rows, rack)
    else:
        racks.extend(rows)
    net.add_expansion_tanks(ret, pressure=cdu.tank_pressure)
    for r in ret:
        net.set_fluid(r, fluid)
    # facility branch: control valve (HX cold side above, supply and return pipes)
    net.add_valves([f"{nm}.fw_valve" for nm in names], node["fw_valve_in"], node["fw_in"],
                   kvs=quantity(col["kv_design"] / 0.7, "m^3/h"), opening=0.7, count=counts)
    if controls and cdu.control_temperature:
        net.add_controls([f"{nm}.supply_temperature" for nm in names],
                         actuators=[("valve_opening", f"{nm}.fw_valve") for nm in names],
                         targets=[("outlet_temperature", f"{nm}.hx:hot") for nm in names],
                         setpoints=cdu.supply_temperature, bounds=[(0.01, 1.0)] * len(names))
    if controls and cdu.control == "differential_pressure":
        net.add_controls([f"{nm}.dp" for nm in names],
                         actuators=[("pump_speed", f"{nm}.pump") for nm in names],
                         targets=[("pressure_difference", node["supply"][k], ret[k])
                                  for k in range(len(names))],
                         setpoints=cdu.differential_pressure, bounds=[(0.2, 1.6)] * len(names))
    return infos
