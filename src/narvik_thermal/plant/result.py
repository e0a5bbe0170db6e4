"""The solved campus read as a plant report: :class:`PlantResult`.

Chip temperatures (count-weighted quantiles), per-CDU flows, temperatures,
approach and duty (through :func:`~narvik_thermal.plant.rack.rack_report`),
pump power, the fjord discharge check
(:func:`~narvik_thermal.plant.fjord.check_discharge`), the energy balance and,
with heat export, the district-heating side
(:class:`~narvik_thermal.plant.heat_export.HeatExportResult`).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Sequence

import numpy as np

from ..components.kinds import EdgeKind
from ..errors import user_api
from ..units import Q_, magnitude, quantity
from .fjord import check_discharge
from .heat_export import HeatExportResult
from .rack import rack_report

__all__ = ["PlantResult", "SEA_HEAT_SHARE"]

#: heat drawn from the fjord (``heat["to_sea"]`` negative) above this share of the heat
#: the heat pumps take from the facility water is flagged ``heat_drawn_from_sea`` (below
#: it: the round-off of a balance that just closes)
SEA_HEAT_SHARE = 1e-3


def _edge_sets(cn: Any, heat_export: bool) -> dict:
    """The edges whose heat the energy balances sum, as index arrays (indexing with them
    takes the elements a boolean mask of them takes, in the same order): ``cold_plates``,
    the ``cooling_pumps`` (every pump outside the district-heating circuit, which is the
    circuit of node ``plant:return``, with ``heat_export``) and the district-heating
    ``boilers`` (set-points), ``consumers`` (and heat loads) and ``dh_pipes``. Kept in
    the compiled network's cache while its kinds and circuits are the arrays they were
    taken from."""
    sources = (cn.kind, cn.edge_circuit, cn.node_circuit)
    got = cn.cache.get(("plant_edge_sets", heat_export))
    if got is not None and all(a is b for a, b in zip(got[0], sources)):
        return got[1]
    kind = cn.kind
    pump = kind == int(EdgeKind.PUMP)
    sets = dict(cold_plates=np.flatnonzero(kind == int(EdgeKind.COLD_PLATE)))
    if heat_export:
        dh = cn.edge_circuit == cn.node_circuit[cn.node_id("plant:return")]
        sets.update(cooling_pumps=np.flatnonzero(pump & ~dh),
                    boilers=np.flatnonzero(dh & (kind == int(EdgeKind.SETPOINT))),
                    consumers=np.flatnonzero(dh & ((kind == int(EdgeKind.HEAT_LOAD))
                                                   | (kind == int(EdgeKind.CONSUMER)))),
                    dh_pipes=np.flatnonzero(dh & (kind == int(EdgeKind.PIPE))))
    else:
        sets["cooling_pumps"] = np.flatnonzero(pump)
    cn.cache[("plant_edge_sets", heat_export)] = (sources, sets)
    return sets


def _pump_efficiency(cn: Any, params: dict) -> tuple:
    """Which pumps have an efficiency, and their pump × motor efficiency (1 where they
    have none), kept in the compiled network's cache with the parameter arrays they were
    taken from (a refresh keeps the arrays of pumps whose efficiencies did not change,
    and nothing writes into them)."""
    eff, motor = params["efficiency"], params["motor_efficiency"]
    got = cn.cache.get("plant_pump_efficiency")
    if got is None or got[0] is not eff or got[1] is not motor:
        real = ~np.isnan(eff)
        got = cn.cache["plant_pump_efficiency"] = (eff, motor, real,
                                                   np.where(real, eff * motor, 1.0))
    return got[2], got[3]


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, q: Sequence[float]) -> np.ndarray:
    o = np.argsort(x)
    cw = np.cumsum(w[o])
    cw = cw / cw[-1]
    return np.interp(q, cw, x[o])


@user_api
class PlantResult:
    """Solved campus: what a planner reads (all values are pint Quantities).

    Made by :meth:`Campus.solve` and :meth:`Campus.operate`, which pass the
    operating point's air-handler ``fan_power`` [W], for an air-side plant the
    ``air_side`` state (:class:`~narvik_thermal.plant.air_side.AirSideState`), and
    ``warn`` (issue the flags it adds as warnings).

    Attributes
    ----------
    campus : Campus
    result : Result
        The network result (``result.edges``, ``result.nodes``, flags, controls).
    chips : dict
        ``hottest`` (name), ``hottest_temperature``, GPU chip-temperature
        ``gpu_min``, ``gpu_p50``, ``gpu_p95``, ``gpu_max`` (count-weighted).
    cdus : list of dict
        Per CDU block: ``name``, ``count``, ``racks``, ``tcs_flow`` [L/min],
        ``rack_flow`` [L/min], ``facility_flow`` [kg/s], ``supply_temperature``,
        ``return_temperature``, ``facility_supply_temperature``, ``approach`` [K],
        ``duty`` [MW] (one CDU), ``valve_opening``.
    facility_flow, seawater_flow : Quantity
        Total facility-water mass flow [kg/s] and seawater volume flow [m³/s].
    pump_power : dict
        Electrical power [kW] of the ``cdu``, ``facility`` and ``seawater`` pumps and ``total``.
    discharge : dict
        From :func:`~narvik_thermal.plant.fjord.check_discharge`.
    energy : dict
        ``it_heat``, ``heat_to_liquid``, ``heat_to_air``, ``pump_heat``,
        ``heat_to_fjord``, ``heat_exported`` [MW] and ``relative_residual`` of
        IT + pump heat = fjord + air + exported [-]. ``pump_heat`` is the heat
        of the cooling-side pumps (CDU, facility, seawater); ``heat_exported``
        is the heat the heat-pump evaporators take from the facility water.
    heat_export : HeatExportResult or None
        With ``Campus(heat_export=...)``: the district-heating side read as
        :class:`~narvik_thermal.plant.heat_export.HeatExportResult` (heat pumps,
        boiler, losses, consumers, CO2 and feasibility figures).
    flags : list of Flag
    """

    def __init__(self, campus: Any, result: Any, heat_export: tuple | None = None,
                 operating: dict | None = None, *, fan_power: float = 0.0,
                 air_side: Any = None, warn: bool = True) -> None:
        # Built here: what every reader needs and what adds flags (the site balance
        # ``power``, ``heat``, ``water``, ``energy_closure``; the discharge check; the
        # heat-export result). ``chips``, ``cdus``, ``facility_flow``,
        # ``seawater_flow``, ``pump_power`` and ``energy`` are computed on first
        # access (an annual run reads none of them) from the same solved state.
        self.campus = campus
        self.result = result
        self.flags = result.flags
        #: the operating point (``it_load``, ``sea_temperature`` [K], and
        #: ``discharge_resolves``: the solves added to raise the seawater pumps'
        #: lowest flow for the discharge permit) of :meth:`Campus.operate`, or None
        #: for a design-point :meth:`Campus.solve`
        self.operating = operating
        design = operating["design"] if operating else campus.design
        self._design = design
        cn = result.compiled
        # the valve groups as solved (the controls of a later solve move actuators in
        # the compiled network's next groups, never in these)
        self._hgroups = cn.hgroups
        fj = design["fjord"]
        #: what the air-side plant did (None for a fjord plant)
        self.air_side = air_side
        self.discharge = (check_discharge(result, fj, campus.fjord, warn) if fj is not None
                          else None)
        self.flags = result.flags
        # energy balance
        Qe = result.state.heat
        he_info = design.get("heat_export")
        edges = _edge_sets(cn, he_info is not None)
        liquid = float(Qe[edges["cold_plates"]].sum())
        self.heat_export = None
        exported = 0.0
        if he_info is not None:
            it_, head = heat_export if heat_export is not None else (0, float("nan"))
            self.heat_export = HeatExportResult(campus.heat_export, result, it_, head,
                                                evaporator_inlet=he_info["evaporator"][0],
                                                heat_pumps=he_info.get("heat_pump_spec"),
                                                configuration=he_info.get("configuration"))
            hp, hp_name = result.state.heat_pumps, he_info["heat_pump"]
            if hp and hp_name in cn.hp_names:      # the state's array, without the dict
                exported = float(hp["heat_source"][cn.hp_names.index(hp_name)])
            else:
                exported = magnitude(result.heat_pump(hp_name)["heat_source"], "W")
        pump_heat = float(Qe[edges["cooling_pumps"]].sum())
        lf = campus.rack.liquid_fraction
        it = liquid / lf
        air = it - liquid
        if fj is not None:
            c_sw = cn.node_circuit[cn.node_id(fj["intake_node"])]
            b = result.balance[cn.circuit_label[c_sw]]
            fjord_heat = b["enthalpy_out"] - b["enthalpy_in"]
        else:           # the air side takes what the fjord would: the set-point edge's heat
            fjord_heat = -float(Qe[cn.edge_id("rejection")])
        fan = fan_power
        if design.get("air_handling") == "facility":
            ah = float(Qe[cn.edge_id("ah.coil")])
            air_out = 0.0            # the room-air heat and the fan heat go into the water
        else:
            ah = 0.0
            air_out = air + fan
        resid = it + pump_heat + ah - (fjord_heat + air + exported) if ah else \
            it + pump_heat - (fjord_heat + air + exported)
        self._energy_si = (it, liquid, air, pump_heat, fjord_heat, exported, resid,
                           fj is not None)
        if fj is not None:
            self._site_balance(it, fan, air_out, fjord_heat, exported, fj, None)
            self._flag_sea_heat(fjord_heat, exported, fj, warn)
        else:
            self._site_balance(it, fan, air_out, 0.0, exported, None, air_side)

    @functools.cached_property
    def _chip_state(self) -> tuple:
        """Chip temperatures of every edge (NaN off cold plates) [degC] and the hottest
        one's index (the array of ``result.edges``, without building its Dataset)."""
        chip = self.result.edge_chip_temperature
        return chip, int(np.nanargmax(chip))

    @functools.cached_property
    def chips(self) -> dict:
        """``hottest`` (name), ``hottest_temperature``, GPU chip-temperature ``gpu_min``,
        ``gpu_p50``, ``gpu_p95``, ``gpu_max`` (count-weighted) and ``n_gpus``."""
        cn = self.result.compiled
        chip, k = self._chip_state
        cnt = cn.count
        isplate = ~np.isnan(chip)
        names = np.asarray(cn.edge_names, dtype=object)
        gpu = isplate & (np.char.find(names.astype(str), ".gpu") >= 0)
        qs = _weighted_quantiles(chip[gpu], cnt[gpu], [0.0, 0.5, 0.95, 1.0])
        return dict(hottest=str(names[k]), hottest_temperature=Q_(float(chip[k]), "degC"),
                    gpu_min=Q_(qs[0], "degC"), gpu_p50=Q_(qs[1], "degC"),
                    gpu_p95=Q_(qs[2], "degC"), gpu_max=Q_(qs[3], "degC"),
                    n_gpus=int(cnt[gpu].sum()))

    @functools.cached_property
    def cdus(self) -> list:
        """Per CDU block (see the class notes)."""
        result, campus = self.result, self.campus
        cn = result.compiled
        m, rho = result.state.mass_flow, result.state.density_edge
        out = []
        for info in self._design["cdus"]:
            nm = info["name"]
            c = info["count"]
            pe = cn.edge_id(f"{nm}.pump")
            hot = cn.edge_id(f"{nm}.hx:hot")
            cold = cn.edge_id(f"{nm}.hx:cold")
            t_sup = result.outlet_temperature(f"{nm}.hx:hot").m_as("degC")
            t_ret = result.temperature(f"{nm}.hx_in").m_as("degC")
            t_fs = result.temperature(f"{nm}.fw_in").m_as("degC")
            racks = [rack_report(result, r, campus.rack) for r in info["racks"]]
            vgrp = self._hgroups
            vid = cn.edge_id(f"{nm}.fw_valve")
            from ..components.kinds import HydraulicLaw
            g = vgrp[HydraulicLaw.VALVE_KV]
            opening = float(g.params["opening"][np.flatnonzero(g.idx == vid)[0]])
            out.append(dict(
                name=nm, count=c, racks=info["n_racks"], expanded=info["expanded"],
                tcs_flow=Q_(float(m[pe] / rho[pe] / c) * 60000, "L/min"),
                rack_flow=Q_([r.rack_flow.m_as("L/min") for r in racks], "L/min"),
                rack_reports=racks,
                facility_flow=Q_(float(m[cold] / c), "kg/s"),
                supply_temperature=Q_(t_sup, "degC"), return_temperature=Q_(t_ret, "degC"),
                facility_supply_temperature=Q_(t_fs, "degC"),
                facility_return_temperature=result.outlet_temperature(f"{nm}.hx:cold"),
                approach=Q_(t_sup - t_fs, "K"),
                duty=Q_(float(result.state.heat[cold]) / c / 1e6, "MW"),
                pump_head=result.pump_head(f"{nm}.pump"), valve_opening=opening,
                hot_edge=hot))
        return out

    @functools.cached_property
    def facility_flow(self) -> Any:
        """Total facility-water mass flow [kg/s]."""
        return self.result.mass_flow("fac.pump")

    @functools.cached_property
    def seawater_flow(self) -> Any:
        """Seawater volume flow [m³/s] (0 for an air-side plant)."""
        fj = self._design["fjord"]
        return (self.result.volume_flow(fj["pump"]).to("m^3/s") if fj is not None
                else Q_(0.0, "m^3/s"))

    @functools.cached_property
    def pump_power(self) -> dict:
        """Electrical power [kW] of the ``cdu``, ``facility`` and ``seawater`` pumps and
        ``total``."""
        result, design = self.result, self._design
        fj = design["fjord"]
        cdu_pw = sum(result.pump_power(f"{i['name']}.pump").m_as("kW")
                     for i in design["cdus"])
        fac_pw = result.pump_power("fac.pump").m_as("kW")
        sw_pw = result.pump_power(fj["pump"]).m_as("kW") if fj is not None else 0.0
        return dict(cdu=Q_(cdu_pw, "kW"), facility=Q_(fac_pw, "kW"),
                    seawater=Q_(sw_pw, "kW"), total=Q_(cdu_pw + fac_pw + sw_pw, "kW"))

    @functools.cached_property
    def energy(self) -> dict:
        """The cooling-side energy balance (see the class notes) [MW]."""
        it, liquid, air, pump_heat, fjord_heat, exported, resid, sea = self._energy_si
        return dict(it_heat=Q_(it / 1e6, "MW"), heat_to_liquid=Q_(liquid / 1e6, "MW"),
                    heat_to_air=Q_(air / 1e6, "MW"), pump_heat=Q_(pump_heat / 1e6, "MW"),
                    heat_to_fjord=Q_((fjord_heat if sea else 0.0) / 1e6, "MW"),
                    heat_to_air_side=Q_((fjord_heat if not sea else 0.0) / 1e6, "MW"),
                    heat_exported=Q_(exported / 1e6, "MW"),
                    residual=Q_(resid, "W"), relative_residual=abs(resid) / it)

    def _flag_sea_heat(self, to_sea: float, exported: float, fj: dict, warn: bool) -> None:
        """Flag ``heat_drawn_from_sea`` where the heat pumps take more from the facility
        water than the campus puts into it: the seawater exchanger then warms the facility
        water from the fjord (``heat["to_sea"]`` negative), and that part of the town's
        heat is sea heat, not reused data-centre heat (the KPIs' ``E_REUSE`` leaves it
        out, :func:`narvik_thermal.kpi.eu_kpis`)."""
        drawn = -to_sea
        if not (drawn > SEA_HEAT_SHARE * exported and exported > 0.0) or any(
                f.kind == "heat_drawn_from_sea" for f in self.flags):
            return
        from ..network.result import Flag
        msg = (f"the heat pumps take {exported / 1e6:.3f} MW from the facility water, more "
               f"than the campus rejects into it: {drawn / 1e6:.3f} MW of it is drawn from the "
               "fjord through the seawater exchanger (the sea is a heat source at this point, "
               "as for a seawater heat pump); that share of the town's heat is not reused "
               "data-centre heat, and the KPIs' reused energy leaves it out.")
        self.result.add_flag(Flag("heat_drawn_from_sea", (fj["pump"],), 1, msg), warn=warn)

    def _site_balance(self, it: float, fan: float, air_out: float, to_sea: float,
                      exported: float, fj: dict | None, air: Any) -> None:
        """Electricity in and heat out of the whole site (DESIGN "Operation over time")."""
        r = self.result
        cn = r.compiled
        st = r.state
        pumps = cn.kgroups[EdgeKind.PUMP]
        i = pumps.idx
        hyd = st.mass_flow[i] / st.density_edge[i] * st.rise[i]      # into the fluid
        real, eta = _pump_efficiency(cn, pumps.params)
        elec = np.where(real, hyd / eta, 0.0)
        pump_elec = float(elec.sum())
        pump_loss = float((elec - hyd)[real].sum())      # motor and pump losses: plant-room air
        hp_elec = 0.0
        boiler = delivered = losses = 0.0
        if self.heat_export is not None:
            hp = r.state.heat_pumps
            hp_elec = float(np.sum(hp["electric_power"])) if hp else 0.0
            edges = _edge_sets(cn, True)
            Q = st.heat
            boiler = float(Q[edges["boilers"]].sum())
            delivered = 0.0 - float(Q[edges["consumers"]].sum())      # (0.0 −: never a −0 W)
            losses = 0.0 - float(Q[edges["dh_pipes"]].sum())
        fans, chillers = fan, 0.0
        to_air = air_out + pump_loss
        if air is not None:
            # the air side rejects the water's heat, its fans' and its chiller's electricity
            fans += air.fan_power
            chillers = air.chiller_power
            to_air += air.heat + air.fan_power + air.chiller_power
        total = it + pump_elec + fans + chillers + hp_elec
        heat_in = total + boiler
        heat_out = to_sea + to_air + delivered + losses
        W = lambda x: quantity(x, "W")  # noqa: E731
        #: electricity of the site [W]: ``it``, ``pumps``, ``fans``, ``chillers``,
        #: ``heat_pumps``, ``total``
        self.power = dict(it=W(it), pumps=W(pump_elec), fans=W(fans), chillers=W(chillers),
                          heat_pumps=W(hp_elec), total=W(total))
        #: where the heat goes [W]: ``to_sea``, ``to_air``, ``exported`` (taken from
        #: the facility water by the heat pumps), ``delivered`` (to district-heating
        #: consumers), ``network_losses`` (district-heating pipes), and the peak
        #: ``boiler`` heat put in
        self.heat = dict(to_sea=W(to_sea), to_air=W(to_air), exported=W(exported),
                         delivered=W(delivered), network_losses=W(losses), boiler=W(boiler))
        if fj is not None:
            V_sw = float(abs(st.mass_flow[cn.edge_id(fj["pump"])]
                             / st.density_edge[cn.edge_id(fj["pump"])]))
            withdrawn, consumed = V_sw, 0.0
        else:
            withdrawn, consumed = air.water_withdrawn, air.water_consumed
        #: water [m³/s]: sea water passing through is withdrawn, not consumed; a tower's
        #: evaporation, blow-down and drift are consumed (and withdrawn as make-up)
        self.water = dict(withdrawn=quantity(withdrawn, "m^3/s"),
                          consumed=quantity(consumed, "m^3/s"))
        #: relative residual of the site energy balance, (electricity + boiler heat −
        #: heat out) / (electricity + boiler heat) [-]
        self.energy_closure = abs(heat_in - heat_out) / heat_in

    @property
    def controls(self) -> dict:
        """Control loops of the solve (``Result.controls``)."""
        return getattr(self.result, "controls", {})

    @property
    def hottest_chip_temperature(self) -> Any:
        """The hottest chip's temperature [degC] (``chips["hottest_temperature"]``)."""
        if "chips" in self.__dict__:
            return self.chips["hottest_temperature"]
        chip, k = self._chip_state
        return quantity(float(chip[k]), "degC")

    def summary(self) -> str:
        """A plain-text report for a planner."""
        c = self.campus
        e = self.energy
        lines = [f"Campus {c.name}: {c.n_racks} racks × {c.rack.it_power.m_as('kW'):.1f} kW = "
                 f"{c.it_power.m_as('MW'):.2f} MW IT, {c.gpus} GPUs, {c.n_cdus} CDUs "
                 f"({c.racks_per_cdu} racks each at most), {c.n_halls} hall(s); "
                 f"{len(c.blocks)} CDU block(s), {len(c.expanded)} expanded",
                 f"  (narvik-facts §0: 20 MW holds about {int(20e6 // c.rack.it_power.m_as('W')) * c.rack.gpus} "
                 "GPUs; 15,000 GPUs would need about "
                 f"{math.ceil(15000 / c.rack.gpus) * c.rack.it_power.m_as('MW'):.1f} MW)",
                 f"  solve: converged={self.result.converged}, "
                 f"{self.result.convergence.get('seconds', float('nan')):.2f} s",
                 f"  chips: hottest {self.chips['hottest']} at "
                 f"{self.chips['hottest_temperature'].m_as('degC'):.2f} °C; GPUs "
                 f"{self.chips['gpu_min'].m_as('degC'):.2f} / {self.chips['gpu_p50'].m_as('degC'):.2f} "
                 f"/ {self.chips['gpu_p95'].m_as('degC'):.2f} / {self.chips['gpu_max'].m_as('degC'):.2f} °C "
                 "(min / median / p95 / max)"]
        for d in self.cdus:
            rf = d["rack_flow"].m_as("L/min")
            lines.append(
                f"  {d['name']} (×{d['count']}, {d['racks']} racks{', expanded' if d['expanded'] else ''}): "
                f"TCS {d['tcs_flow'].m_as('L/min'):.0f} L/min, {d['supply_temperature'].m_as('degC'):.2f}"
                f"→{d['return_temperature'].m_as('degC'):.2f} °C; rack flow {rf.min():.1f}…{rf.max():.1f} "
                f"L/min; facility {d['facility_flow'].m_as('kg/s'):.2f} kg/s at "
                f"{d['facility_supply_temperature'].m_as('degC'):.2f} °C; approach "
                f"{d['approach'].m_as('K'):.3f} K; duty {d['duty'].m_as('MW'):.3f} MW; valve "
                f"{d['valve_opening']:.2f}; pump head {d['pump_head'].m_as('m'):.1f} m")
        fj = (self.operating or {}).get("design", c.design)["fjord"]
        lines.append(f"  facility water: {self.facility_flow.m_as('kg/s'):.1f} kg/s "
                     f"({c.design['facility_pumps']} duty pumps + 1 standby)")
        if fj is not None:
            # the intake of this operating point (the design's, warmest, water at a design
            # point: operating points at another month or sea temperature said the latter)
            t_sea = (self.operating or {}).get("sea_temperature")
            when = ("this point" if t_sea is not None else "design, the warmest water"
                    if c.site is not None else f"design, month {c.fjord.month}")
            t_sea = fj["intake_temperature"] if t_sea is None else t_sea
            lines += [f"  seawater: {self.seawater_flow.m_as('m^3/s'):.3f} m³/s from "
                      f"{t_sea - 273.15:.2f} °C at {c.fjord.intake_depth:~P} "
                      f"({when}); discharge "
                      f"{self.discharge['discharge_temperature'].m_as('degC'):.2f} °C, rise "
                      f"{self.discharge['rise'].m_as('K'):.2f} K "
                      + (f"(limit {self.discharge['limit'].m_as('K'):.1f} K, "
                         f"{'OK' if self.discharge['within_limit'] else 'OVER'})"
                         if self.discharge["limit"] is not None else "(no limit)"),
                      f"  fjord HX: {fj['units']} × UA {fj['ua_per_unit'] / 1e3:.0f} kW/K, "
                      f"{fj['area_per_unit']:.0f} m² each (titanium PHE, fouling "
                      f"{c.fjord.fouling:~P})"]
        else:
            a = self.air_side
            kind = c.design["air_side"].kind.replace("_", " ")
            lines.append(
                f"  {kind}: {a.heat / 1e6:.3f} MW to air, fans {a.fan_power / 1e3:.1f} kW "
                f"(speed {a.fan_speed:.2f}), chiller {a.chiller_power / 1e3:.1f} kW electric "
                f"for {a.chiller_cooling / 1e6:.3f} MW; water consumed "
                f"{a.water_consumed * 3600:.2f} m³/h; supply {a.supply - 273.15:.2f} °C"
                + (" (LIMITED)" if a.limited else ""))
        lines += [
                  f"  pump electricity: CDU {self.pump_power['cdu'].m_as('kW'):.1f} kW, facility "
                  f"{self.pump_power['facility'].m_as('kW'):.1f} kW, seawater "
                  f"{self.pump_power['seawater'].m_as('kW'):.1f} kW, total "
                  f"{self.pump_power['total'].m_as('kW'):.1f} kW",
                  f"  energy: IT {e['it_heat'].m_as('MW'):.4f} MW = liquid "
                  f"{e['heat_to_liquid'].m_as('MW'):.4f} + air {e['heat_to_air'].m_as('MW'):.4f}; "
                  f"to fjord {e['heat_to_fjord'].m_as('MW'):.4f} MW (includes pump heat "
                  f"{e['pump_heat'].m_as('MW'):.4f} MW); exported {e['heat_exported'].m_as('MW'):.4f} MW; "
                  f"balance residual {e['relative_residual']:.1e} of IT"]
        hx = self.heat_export
        if hx is not None:
            hp = hx.heat_pump
            L = hx.losses
            ret = np.array([hx.return_temperature(n_).m_as("degC") for n_ in hx.consumer_names])
            lines += [
                f"  heat pumps: COP {hp['cop'].m:.3f}, electric {hp['electric_power'].m_as('MW'):.3f} MW, "
                f"heat to DH {hp['heat_sink'].m_as('MW'):.3f} MW (from the facility water "
                f"{hp['heat_source'].m_as('MW'):.3f} MW){' (capacity-limited)' if hp['capacity_limited'] else ''}; "
                f"boiler {hx.boiler_heat.m_as('MW'):.3f} MW",
                f"    {hx.heat_pump_description}",
                f"  district heating: {hx.dh_heat_delivered.m_as('MW'):.3f} MW delivered to "
                f"{len(hx.consumer_names)} consumer(s) (returns {ret.min():.2f}…{ret.max():.2f} °C); "
                f"losses {L['total'].m_as('MW'):.3f} MW ({100 * hx.loss_share:.1f} % of the heat put "
                f"in); DH pump {hx.pump_power.m_as('kW'):.1f} kW electric, head "
                f"{hx.pump_head.m_as('m'):.1f} m; {hx.iterations} outer iteration(s)"]
        if self.controls:
            bad = [n for n, v in self.controls.items() if not v["met"]]
            lines.append(f"  controls: {len(self.controls)} loops, "
                         + ("all set-points met" if not bad else f"NOT MET: {', '.join(bad)}"))
        if self.flags:
            lines.append("  FLAGS:")
            lines += [f"    [{f.kind}] {f.message}" for f in self.flags]
        else:
            lines.append("  no flags")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<PlantResult {self.campus.name}: hottest chip "
                f"{self.chips['hottest_temperature'].m_as('degC'):.2f} °C, flags={len(self.flags)}>")
