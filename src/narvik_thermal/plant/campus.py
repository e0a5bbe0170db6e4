"""The campus: rows of racks per CDU, halls, facility water, fjord, heat export.

- :class:`Campus` and :func:`phase` — rows of racks per CDU (:mod:`.cdu`),
  facility supply and return mains, halls, the fjord loop (:mod:`.fjord`);
  identical racks and CDUs are represented once with a multiplicity
  (``count=``, see :mod:`.rack` and :mod:`.cdu`), any CDU row can be expanded
  rack by rack, and :class:`~narvik_thermal.plant.result.PlantResult` reports
  chip temperatures, flows, approach, pump power, discharge temperature and
  the energy balance;
- ``Campus(heat_export=HeatExport(dh=..., heat_pumps=...))`` puts heat-pump
  evaporators on the facility-water return, in series before the fjord heat
  exchanger, and the district-heating network on their condensers — the same
  network, built by
  :func:`~narvik_thermal.plant.heat_export_network.add_district_heating`
  (as the standalone :class:`~narvik_thermal.plant.heat_export.HeatExportPlant`);
  ``PlantResult.energy["heat_exported"]`` and ``PlantResult.heat_export``
  report it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..errors import InputError, require_type, user_api
from ..units import Q_
from . import defaults as D
from . import sizing
from .cdu import CDU, add_cdu
from .fjord import FjordLoop, add_fjord_loop
from .heat_export import HeatExport
from .heat_export_network import add_district_heating, solve_regulated
from .rack import Rack
from .result import PlantResult

__all__ = ["Campus", "phase", "PHASES"]

#: Phases of the Narvik site: phase 1 (R3), initial capacity (R1, R2) and the
#: further ambition (R1, R2) [IT power].
PHASES = {"phase1": Q_(20, "MW"), "initial": Q_(230, "MW"), "further": Q_(290, "MW")}


@dataclass
class _Block:
    name: str
    n_racks: int
    count: int
    expanded: bool


@user_api
class Campus:
    """A liquid-cooled campus: racks → CDUs → halls → facility water → fjord.

    Parameters
    ----------
    it_power : Quantity, optional
        IT power of the phase (e.g. ``Q_(20, "MW")``, phase 1, R3). Racks =
        IT power / rack IT power, rounded up.
    gpus : int, optional
        GPU count instead of (or as a check of) ``it_power``; racks = GPUs / 72
        rounded up. Giving both raises if the GPUs need more power than given
        (narvik-facts §0: 15,000 GPUs need 27–30 MW, not 20 MW).
    rack : Rack, optional
        Rack definition (NVL72-class GB300, 135 kW).
    cdu : CDU, optional
        CDU definition (3 K approach, 1.3 L/min/kW, N+1 pumps, controls).
    racks_per_cdu : int
        Racks per CDU (10 → 1.35 MW, R32).
    hall_it_power : Quantity
        IT power per hall (20 MW [GEK]); halls are fed in parallel by their own
        supply and return mains from the plant room.
    fjord : FjordLoop, optional
        Seawater loop (intake depth, month, limits; see :mod:`.fjord`).
    expand : bool or sequence of int
        ``False`` (default): identical CDU rows represented once with a
        multiplicity; ``True``: every CDU and rack explicit; a list of CDU
        indices: those rows explicit, the rest replicated.
    facility_pump_capacity : Quantity
        Largest flow of one facility duty pump (0.3 m³/s [GEK]); one standby noted.
    controls : bool
        Default ``False``: a design-point solve — ideal fixed-flow CDU pumps at
        the flow per kW, CDU HX sized exactly for the approach, facility and
        seawater flows at design, so the solved approach and supply temperature
        land on the design within the effect of pump heat. ``True`` uses
        ``Network.add_control`` (solved together, see
        :mod:`narvik_thermal.solvers.control`; CDU valves sharing a
        fixed-speed facility pump are found even where only closing them
        together reaches the set-point) for the CDU
        pump speed (flow per kW or differential pressure) and the CDU
        facility-water valve (TCS supply temperature), and, if
        ``fjord.control``, the seawater flow (facility supply temperature).
    facility_control : bool
        Also hold the hall differential pressure by the facility pump speed;
        default ``False``: the facility pumps run at constant speed on a curve
        through the design point with 15 % head margin, and the CDU valves
        throttle. (With the Jacobi-secant control solver, the speed loop
        interacts with the CDU valve loops and may not converge.)
    heat_export : HeatExport, optional
        Heat export in the same network
        (:class:`~narvik_thermal.plant.heat_export.HeatExport`): heat-pump
        evaporators on the facility-water return, in series before the fjord
        heat exchanger (the fjord takes what the heat pumps leave; it stays
        sized for the full duty), condensers feeding the district-heating
        network, built by
        :func:`~narvik_thermal.plant.heat_export_network.add_district_heating`.
        :meth:`solve` then finds the DH pump head by
        :func:`~narvik_thermal.plant.heat_export_network.solve_regulated` (the
        substations hold their return temperatures inside the solve).
    name : str
        Network name.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.campus import Campus
    >>> c = Campus(it_power=nt.Q_(20, "MW"))
    >>> c.n_racks, c.gpus
    (149, 10728)
    """

    def __init__(self, it_power: Any = None, gpus: int | None = None, *, rack: Rack | None = None,
                 cdu: CDU | None = None, racks_per_cdu: int = D.CDU_RACKS.value,
                 hall_it_power: Any = D.HALL_IT_POWER.value, fjord: FjordLoop | None = None,
                 expand: bool | Sequence[int] = False,
                 facility_pump_capacity: Any = Q_(0.3, "m^3/s"), controls: bool = False,
                 facility_control: bool = False, heat_export: Any = None,
                 name: str | None = None) -> None:
        self.rack = Rack() if rack is None else require_type(rack, Rack, "Campus: rack",
                                                             "a nt.plant.Rack(...)")
        self.cdu = CDU() if cdu is None else require_type(cdu, CDU, "Campus: cdu",
                                                          "a nt.plant.CDU(...)")
        self.fjord = FjordLoop() if fjord is None else require_type(
            fjord, FjordLoop, "Campus: fjord", "a nt.plant.FjordLoop(...)")
        racks_per_cdu = U.to_integer(racks_per_cdu, "Campus: racks_per_cdu (default 10 racks "
                                     "= 1.35 MW per CDU, R32)", minimum=1)
        if name is not None and not isinstance(name, str):
            raise InputError(f"Campus: name={name!r} must be a string.")
        if not (isinstance(expand, (bool, type(None))) or (
                isinstance(expand, (list, tuple, range, set, np.ndarray))
                and all(isinstance(i, (int, np.integer)) and not isinstance(i, bool)
                        for i in expand))):
            raise InputError(f"Campus: expand={expand!r} must be True (every CDU explicit), "
                             "False (identical rows once) or a list of CDU indices, e.g. [0].")
        P_rack = self.rack.it_power.m_as("W")
        if it_power is None and gpus is None:
            raise InputError("Campus: give it_power= (e.g. Q_(20, 'MW')) or gpus= (e.g. 10000).")
        if gpus is not None:
            gpus = U.to_integer(gpus, "Campus: gpus", minimum=1)
            n_gpu_racks = math.ceil(int(gpus) / self.rack.gpus)
        if it_power is not None:
            P = float(U.to_si(it_power, "W", "it_power"))
            if not P > 0:
                raise InputError(f"Campus: it_power={it_power} must be positive.")
            n_racks = math.ceil(P / P_rack - 1e-9)
            if gpus is not None and n_gpu_racks > n_racks:
                need = n_gpu_racks * P_rack / 1e6
                fit = math.floor(P / P_rack) * self.rack.gpus
                raise InputError(
                    f"Campus: {gpus} GPUs need {n_gpu_racks} racks of "
                    f"{P_rack / 1e3:.0f} kW = {need:.1f} MW of IT, more than it_power="
                    f"{P / 1e6:.1f} MW, which holds about {fit} GPUs (narvik-facts §0: "
                    "15,000 GPUs do not fit in 20 MW). Give one of the two, or raise it_power.")
            if gpus is not None:
                n_racks = n_gpu_racks
        else:
            n_racks = n_gpu_racks
        self.n_racks = int(n_racks)
        self.racks_per_cdu = int(racks_per_cdu)
        self.n_cdus = math.ceil(self.n_racks / self.racks_per_cdu)
        P_tot = self.n_racks * P_rack
        P_hall = float(U.to_si(hall_it_power, "W", "hall_it_power"))
        if not P_hall > 0:
            raise InputError(f"Campus: hall_it_power={hall_it_power} must be positive "
                             "(default 20 MW per hall).")
        self.n_halls = max(1, math.ceil(P_tot / P_hall - 1e-9))
        if not U.to_si(facility_pump_capacity, "m^3/s", "facility_pump_capacity") > 0:
            raise InputError(f"Campus: facility_pump_capacity={facility_pump_capacity} must be "
                             "positive (default 0.3 m³/s per duty pump).")
        self.facility_pump_capacity = facility_pump_capacity
        self.controls = bool(controls)
        self.facility_control = bool(facility_control)
        if heat_export is not None:
            if not isinstance(heat_export, HeatExport):
                raise InputError("Campus: heat_export= must be a HeatExport(dh=..., "
                                 "heat_pumps=...) from narvik_thermal.plant.heat_export.")
        self.heat_export = heat_export
        self.name = name or f"campus-{P_tot / 1e6:.0f}MW"
        # racks per CDU: q+1 for the first `rem` CDUs, q for the others
        q, rem = divmod(self.n_racks, self.n_cdus)
        self._cdu_racks = np.array([q + 1] * rem + [q] * (self.n_cdus - rem), dtype=int)
        if expand is True:
            exp = set(range(self.n_cdus))
        elif expand is False or expand is None:
            exp = set()
        else:
            exp = {int(i) for i in expand}
            bad = [i for i in exp if not 0 <= i < self.n_cdus]
            if bad:
                raise InputError(f"Campus: expand={list(expand)} names CDU(s) {bad} but there "
                                 f"are {self.n_cdus} CDUs (indices 0…{self.n_cdus - 1}).")
        self.expanded = sorted(exp)
        blocks = [_Block(f"cdu{i}", int(self._cdu_racks[i]), 1, True) for i in sorted(exp)]
        rest = [i for i in range(self.n_cdus) if i not in exp]
        for nr in sorted({int(self._cdu_racks[i]) for i in rest}, reverse=True):
            idx = [i for i in rest if self._cdu_racks[i] == nr]
            blocks.append(_Block(f"cdu{idx[0]}" + (f"x{len(idx)}" if len(idx) > 1 else ""),
                                 nr, len(idx), False))
        self.blocks = blocks
        self.network = None
        self.design: dict = {}
        self._hx_reference = "sizing"

    @property
    def gpus(self) -> int:
        """GPUs installed (racks × GPUs per rack)."""
        return self.n_racks * self.rack.gpus

    @property
    def it_power(self) -> Any:
        """Installed IT power (racks × rack IT power) [MW]."""
        return (self.n_racks * self.rack.it_power).to("MW")

    def build(self) -> Any:
        """Build the network (cached in ``self.network``) and the design values.

        Returns
        -------
        Network
        """
        from ..fluids import propylene_glycol, water
        from ..network import Network
        pg, w = propylene_glycol(0.25), water()
        cdu = self.cdu
        net = Network(self.name)
        controls = self.controls
        T_fs = cdu.facility_supply_temperature.m_as("K")
        dT_fw = float(U.to_temperature_difference(cdu.facility_delta_t, "facility_delta_t"))
        infos = [add_cdu(net, b.name, b.n_racks, self.rack, cdu, b.count, ("hall.s", "hall.r"),
                          b.expanded, pg, w, controls) for b in self.blocks]
        Q_liq = sum(i["liquid_heat"] * i["count"] for i in infos)
        m_fw = sum(i["facility_mass_flow"] * i["count"] for i in infos)
        V_fw = m_fw / float(w.density_pT(T_fs))
        # facility plant: pumps, fjord HX, mains to the halls
        cap = float(U.to_si(self.facility_pump_capacity, "m^3/s", "facility_pump_capacity"))
        n_fp = max(1, math.ceil(V_fw / cap - 1e-9))
        z_p = D.PLANT_ELEVATION.value
        net.add_nodes(["fac.r", "fac.pump_out", "fac.s"], elevation=z_p)
        d_main = sizing.pipe_diameter(Q_(V_fw / self.n_halls, "m^3/s"),
                                      max_velocity=D.FACILITY_VELOCITY.value).m_as("m")
        dp_hall = max(i["facility_pressure_drop_design"] for i in infos) + 30e3
        L_main = D.FACILITY_MAIN_LENGTH.value.m_as("m")
        grad = sizing.pipe_pressure_gradient(Q_(V_fw / self.n_halls, "m^3/s"), Q_(d_main, "m"),
                                             fluid=w, temperature=Q_(T_fs, "K")).m_as("Pa/m")
        dp_pump = dp_hall + 2 * L_main * grad + D.FJORD_HX_PRESSURE_DROP.value.m_as("Pa")
        pump_kw = dict(efficiency=D.PUMP_EFFICIENCY_LARGE.value,
                       motor_efficiency=D.MOTOR_EFFICIENCY.value, count=n_fp)
        if controls:
            # constant-speed curve pumps sized at design with 15 % head margin, so that
            # the CDU valves have authority over the facility flow
            curve = sizing.pump_curve_for_duty(Q_(V_fw / n_fp, "m^3/s"), Q_(1.15 * dp_pump, "Pa"))
            net.add_pump("fac.pump", "fac.r", "fac.pump_out", curve=curve, **pump_kw)
        else:
            net.add_pump("fac.pump", "fac.r", "fac.pump_out", flow=Q_(V_fw / n_fp, "m^3/s"),
                         **pump_kw)
        fj_in = "fac.pump_out"
        he_info = None
        if self.heat_export is not None:
            he = self.heat_export
            if not T_fs + dT_fw < he.dh.supply_temperature:
                raise InputError(
                    f"Campus: the facility return ({T_fs + dT_fw - 273.15:.1f} °C) is not below "
                    f"the district-heating supply ({he.dh.supply_temperature - 273.15:.1f} °C); "
                    "no heat pump is needed.")
            net.add_nodes(["fac.hp_out"], elevation=z_p)
            # the configuration is chosen with the evaporators taking the whole
            # facility-water rise at design (return → supply temperature)
            he_info = add_district_heating(net, he.dh, heat_pumps=he.heat_pumps,
                                           evaporator=("fac.pump_out", "fac.hp_out"),
                                           design_source=(T_fs + dT_fw, T_fs))
            fj_in = "fac.hp_out"
        fj = add_fjord_loop(net, (fj_in, "fac.s"), duty=Q_(Q_liq, "W"),
                            hot_inlet=Q_(T_fs + dT_fw, "K"), hot_outlet=Q_(T_fs, "K"),
                            fjord=self.fjord)
        main = dict(length=D.FACILITY_MAIN_LENGTH.value, diameter=Q_(d_main, "m"),
                    count=self.n_halls)
        net.add_pipe("hall.main_s", "fac.s", "hall.s", **main)
        net.add_pipe("hall.main_r", "hall.r", "fac.r", **main)
        net.add_expansion_tank("fac.r", pressure=D.FACILITY_TANK_PRESSURE.value)
        net.set_fluid("fac.r", w)
        if controls and self.facility_control:
            net.add_control("facility.differential_pressure",
                            actuator=("pump_speed", "fac.pump"),
                            target=("pressure_difference", "hall.s", "hall.r"),
                            setpoint=Q_(dp_hall, "Pa"), bounds=(0.2, 1.5))
        if controls:
            if self.fjord.control:
                lo, hi = self.fjord.flow_bounds
                if self.fjord.max_discharge_rise is not None:
                    # never less seawater than keeps the design duty within the
                    # discharge-rise limit (the control would otherwise trade the
                    # facility supply temperature against the fjord)
                    lim = float(U.to_temperature_difference(self.fjord.max_discharge_rise,
                                                            "max_discharge_rise"))
                    lo = max(lo, fj["rise"] / lim)
                Vp = fj["flow"] / fj["duty_pumps"]
                net.add_control("seawater.facility_supply_temperature",
                                actuator=("pump_flow", fj["pump"]),
                                target=("outlet_temperature", f"{fj['hx']}:hot"),
                                setpoint=Q_(T_fs, "K"),
                                bounds=(Q_(lo * Vp, "m^3/s"), Q_(hi * Vp, "m^3/s")))
        self.network = net
        self.design = dict(cdus=infos, fjord=fj, facility_flow=V_fw, facility_pumps=n_fp,
                           facility_main_diameter=d_main, hall_differential_pressure=dp_hall,
                           liquid_heat=Q_liq, controls=controls, heat_export=he_info)
        self._hx_reference = "sizing"
        return net

    def plate_exchangers(self) -> dict:
        """The plate heat exchangers whose UA follows the flows, and their reference.

        Returns
        -------
        dict
            ``{name: (count, hot design flow, cold design flow)}``, per unit [kg/s]:
            the CDU exchangers and the fjord exchanger. Before the first
            :meth:`solve` the design flows are the sizing flows of the builders;
            after it, the flows of that design solve.
        """
        if self.network is None:
            self.build()
        out = {f"{i['name']}.hx": (i["count"], *i["hx_design_flows"])
               for i in self.design["cdus"]}
        fj = self.design["fjord"]
        out[fj["hx"]] = (fj["units"], *fj["hx_design_flows"])
        return out

    def _set_design_flows(self, flows: dict | None) -> None:
        """Design flows of the plate exchangers: ``{name: (hot, cold)}`` per unit [kg/s],
        or None for a constant UA."""
        for name in self.plate_exchangers():
            df = None if flows is None else (Q_(flows[name][0], "kg/s"),
                                             Q_(flows[name][1], "kg/s"))
            self.network.update(name, design_flows=df)

    def solve(self, **options: Any) -> "PlantResult":
        """Build (if needed) and solve; returns a :class:`PlantResult`.

        The first solve of a built campus is its design point: the plate heat
        exchangers (CDUs, fjord) are solved with the UA they were sized for, and
        their design flows are then set to the flows of that solve
        (``Network.update(name, design_flows=...)``). The as-built network
        (:attr:`network`) therefore gives back exactly this design point, and
        any later solve of it away from design (other flows, part load) has
        each exchanger's UA follow the flows of its two sides
        (:func:`~narvik_thermal.correlations.hx.ua_off_design`). Before that
        first solve the builders' sizing flows are the reference
        (:meth:`plate_exchangers`).

        Parameters
        ----------
        **options
            :class:`~narvik_thermal.SolverOptions` fields.
        """
        if self.network is None:
            self.build()
        design = self._hx_reference == "sizing"
        if design:
            self._set_design_flows(None)
        try:
            he = self.heat_export
            if he is None:
                res = self.network.solve(**options)
                extra = {}
            else:
                res, it, head, _ = solve_regulated(
                    self.network, he.dh, tol=he.tol, max_iter=he.max_iter,
                    what=f"campus {self.name}", **options)
                extra = dict(heat_export=(it, head))
        except BaseException:
            if design:            # leave the sizing reference as it was
                self._set_design_flows({k: v[1:] for k, v in self.plate_exchangers().items()})
            raise
        if design:
            flows = {}
            for name, (count, _, _) in self.plate_exchangers().items():
                f = tuple(abs(res.mass_flow(f"{name}:{side}").m_as("kg/s")) / count
                          for side in ("hot", "cold"))
                # a side without flow at design keeps the sizing reference
                flows[name] = f if min(f) > 0 else self.plate_exchangers()[name][1:]
            self._set_design_flows(flows)
            for i in self.design["cdus"]:
                i["hx_design_flows"] = flows[f"{i['name']}.hx"]
            fj = self.design["fjord"]
            fj["hx_design_flows"] = flows[fj["hx"]]
            self._hx_reference = "design solve"
        return PlantResult(self, res, **extra)



@user_api
def phase(it_power: Any = None, gpus: int | None = None, **campus_kwargs: Any) -> PlantResult:
    """Build and solve one phase of the campus in one call.

    Parameters
    ----------
    it_power : Quantity or str, optional
        IT power, or a phase name of :data:`PHASES` (``"phase1"`` 20 MW, R3;
        ``"initial"`` 230 MW, ``"further"`` 290 MW, R1/R2). Default phase 1.
    gpus : int, optional
        GPU count (see :class:`Campus`).
    **campus_kwargs
        Any :class:`Campus` keyword (``rack=``, ``cdu=``, ``fjord=``, ``expand=``, …).

    Returns
    -------
    PlantResult

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.campus import phase
    >>> r = phase(nt.Q_(20, "MW"))                               # doctest: +SKIP
    >>> print(r.summary())                                         # doctest: +SKIP
    """
    if isinstance(it_power, str) and it_power in PHASES:
        it_power = PHASES[it_power]
    elif isinstance(it_power, str) and it_power.strip() and it_power.strip()[0].isalpha():
        raise InputError(f"phase: {it_power!r} is not a phase name; the phases are "
                         f"{list(PHASES)} (or give an IT power such as Q_(20, 'MW')).")
    if it_power is None and gpus is None:
        it_power = PHASES["phase1"]
    return Campus(it_power, gpus, **campus_kwargs).solve()
