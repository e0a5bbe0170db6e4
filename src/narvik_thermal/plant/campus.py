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

import copy
import math
import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..climate.site import Site
from ..climate.site import site as embedded_site
from ..components.base import require_bool
from ..errors import ConvergenceError, InputError, require_type, user_api
from ..network.solve import controls_snapshot, restore_controls
from ..solvers.options import SolverOptions
from ..units import Q_
from . import defaults as D
from . import sizing
from .cdu import CDU, add_cdus, add_rack_rows
from .air_side import (CoolingTower, DryCooler, operate_air_side, relative_humidity_of,
                       relative_humidity_value, size_air_side)
from .fjord import FjordLoop, add_fjord_loop, seawater_flow_range
from .heat_export import HeatExport
from .heat_export_network import add_district_heating, solve_regulated
from .operating_point import (check_outdoor_temperature, check_sea_temperature,
                              continue_load, heat_demand_value, hold_discharge_limit,
                              outdoor_air, set_heat_demand, set_sea, solve_air_side,
                              valves_open_on_cold_water)
from .rack import Rack
from .result import PlantResult

__all__ = ["Campus", "phase", "PHASES"]

#: Below this IT load a failed start from the design point is tried again by steps in
#: the load from the design's (see Campus._solve_once).
CONTINUE_BELOW = 0.95
#: the homotopy in the load (:func:`~.operating_point.continue_load`): its shortest step
#: and the most solves it makes
CONTINUE_MIN_STEP, CONTINUE_MAX_SOLVES = 0.02, 12

#: Phases of the Narvik site: phase 1 (R3), initial capacity (R1, R2) and the
#: further ambition (R1, R2) [IT power].
PHASES = {"phase1": Q_(20, "MW"), "initial": Q_(230, "MW"), "further": Q_(290, "MW")}


@dataclass
class _Block:
    name: str
    n_racks: int
    count: int
    expanded: bool


def _cdu_layout(cdu_racks: np.ndarray, expanded: Sequence[int], alone: set) -> list:
    """The CDU blocks of a campus: each expanded CDU explicit, each CDU of ``alone`` a
    block of its own (racks replicated), the identical rest once with their
    multiplicity (``cdu0x14``: CDUs 0 to 13)."""
    exp = set(expanded)
    blocks = [_Block(f"cdu{i}", int(cdu_racks[i]), 1, True) for i in sorted(exp)]
    blocks += [_Block(f"cdu{i}", int(cdu_racks[i]), 1, False) for i in sorted(set(alone) - exp)]
    rest = [i for i in range(len(cdu_racks)) if i not in exp and i not in alone]
    for nr in sorted({int(cdu_racks[i]) for i in rest}, reverse=True):
        idx = [i for i in rest if cdu_racks[i] == nr]
        blocks.append(_Block(f"cdu{idx[0]}" + (f"x{len(idx)}" if len(idx) > 1 else ""),
                             nr, len(idx), False))
    return blocks


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
    fjord, heat_rejection : FjordLoop, optional
        Seawater loop (intake depth, month, limits; see :mod:`.fjord`); the
        contract's name is ``heat_rejection=`` (give one of the two).
    site : Site or str, optional
        The site whose design conditions size the plant and whose data give the
        default operating conditions (``nt.climate.site("narvik")``, or the name of an
        embedded site, ``"narvik"``). Without it the
        embedded Narvik fjord data of the design month are used.
    expand : bool or sequence of int
        ``False`` (default): identical CDU rows represented once with a
        multiplicity; ``True``: every CDU and rack explicit; a list of CDU
        indices: those rows explicit, the rest replicated (``cdu0x14``: CDUs 0
        to 13, once). An event on one replicated CDU (a pump trip on
        ``"cdu0.pump"``) is run on :meth:`operating_network_with`, which
        :func:`narvik_thermal.transient.simulate` calls for it.
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
    air_handling : {"outdoor", "facility"}
        Where the room-air part of the IT heat (``1 − rack.liquid_fraction``) goes:
        ``"outdoor"`` (default) — air handlers reject it to outdoor air, outside
        the water network; ``"facility"`` — air handlers (fan walls, CRAH coils)
        on the facility water, in parallel with the CDUs, so it reaches the fjord
        or the heat pumps. Either way their fan power
        (:data:`~narvik_thermal.plant.defaults.AIR_HANDLER_FAN_FRACTION` of the air
        heat at design, by the fan laws at part load) is electricity that ends
        in the air they move.
    name : str
        Network name.

    Notes
    -----
    Operation: :meth:`build` sizes everything once at the design conditions (the warmest
    intake water of the year at the intake depth, full IT load) and
    :attr:`design` holds the sized values; :meth:`operate` then solves the built
    plant at other conditions — IT load, sea temperature, … — through
    ``Network.update`` and ``update_boundary`` only: no exchanger, pipe, pump
    curve or valve is re-sized. The operating network holds its set-points by
    controls as a real plant does (CDU valves hold the TCS supply temperature,
    the seawater pumps the facility supply temperature); a set-point that cannot
    be held is a flag (``setpoint_not_met``), not an error.

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
                 heat_rejection: Any = None, site: Any = None,
                 expand: bool | Sequence[int] = False,
                 facility_pump_capacity: Any = Q_(0.3, "m^3/s"), controls: bool = False,
                 facility_control: bool = False, heat_export: Any = None,
                 air_handling: str = "outdoor", name: str | None = None) -> None:
        self.rack = Rack() if rack is None else require_type(rack, Rack, "Campus: rack",
                                                             "a nt.plant.Rack(...)")
        self.cdu = CDU() if cdu is None else require_type(cdu, CDU, "Campus: cdu",
                                                          "a nt.plant.CDU(...)")
        if fjord is not None and heat_rejection is not None:
            raise InputError("Campus: give heat_rejection= (or its older name fjord=), not both.")
        if isinstance(site, str):
            site = embedded_site(site)          # a name: the embedded site (or the list)
        elif site is not None:
            require_type(site, Site, "Campus: site",
                         "a nt.climate.Site, e.g. nt.climate.site('narvik'), or its name")
        hr = heat_rejection if heat_rejection is not None else fjord
        if hr is not None:
            require_type(hr, (FjordLoop, DryCooler, CoolingTower),
                         "Campus: " + ("heat_rejection" if heat_rejection is not None else "fjord"),
                         "a nt.plant.FjordLoop(...), DryCooler(...) or CoolingTower(...)")
        hr = hr or FjordLoop()
        self.heat_rejection = hr
        #: the fjord loop, or None for an air-side plant
        self.fjord = hr if isinstance(hr, FjordLoop) else None
        if self.fjord is None and site is None:
            raise InputError(f"Campus: air-side heat rejection ({type(hr).__name__}) is sized at "
                             "a site's design conditions; give site=nt.climate.site('marseille') "
                             "(or 'narvik', or your own Site).")
        self.site = site
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
            if P < P_rack * (1 - 1e-9):
                raise InputError(
                    f"Campus: it_power={it_power} is less than one rack ({P_rack / 1e3:.0f} kW "
                    "of IT); a campus is whole racks: give at least that, or a smaller "
                    "nt.plant.Rack(...) as rack=.")
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
        if not P_hall >= P_rack * (1 - 1e-9):
            raise InputError(f"Campus: hall_it_power={hall_it_power} must hold at least one "
                             f"rack ({P_rack / 1e3:.0f} kW of IT; default 20 MW per hall).")
        self.n_halls = max(1, math.ceil(P_tot / P_hall - 1e-9))
        if not U.to_si(facility_pump_capacity, "m^3/s", "facility_pump_capacity") > 0:
            raise InputError(f"Campus: facility_pump_capacity={facility_pump_capacity} must be "
                             "positive (default 0.3 m³/s per duty pump).")
        self.facility_pump_capacity = facility_pump_capacity
        self.controls = require_bool(controls, "controls", "Campus")
        self.facility_control = require_bool(facility_control, "facility_control", "Campus")
        if heat_export is not None:
            if not isinstance(heat_export, HeatExport):
                raise InputError("Campus: heat_export= must be a HeatExport(dh=..., "
                                 "heat_pumps=...) from narvik_thermal.plant.heat_export.")
        self.heat_export = heat_export
        if air_handling not in ("outdoor", "facility"):
            raise InputError(f"Campus: air_handling={air_handling!r} must be 'outdoor' (air "
                             "handlers reject the room-air heat outdoors) or 'facility' (their "
                             "coils are on the facility water).")
        self.air_handling = air_handling
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
        self._alone: set = set()
        self.blocks = _cdu_layout(self._cdu_racks, self.expanded, self._alone)
        self._last_point: dict | None = None
        self.network = None
        self.design: dict = {}
        self._operating = None      # the controlled network of operate() and its handles
        self._hx_reference = "sizing"

    def operating_network_with(self, cdus: Any) -> Any:
        """The operating network with CDUs ``cdus`` each a block of its own, at the last
        operating point.

        A replicated campus represents identical CDU rows once (``cdu0x14``: CDUs 0 to
        13); an event on one of them — a pump trip on ``"cdu3.pump"`` — needs that
        CDU on its own. This builds a sibling campus, sized identically, whose
        CDUs ``cdus`` are blocks of their own (their racks still replicated; the
        rest grouped as before), operates it at this campus's last operating point
        (:meth:`operate`'s arguments; the design point if it was never operated)
        and returns its operating network. This campus is not changed.
        :func:`narvik_thermal.transient.simulate` calls it for events that name
        such a CDU. The network itself when every CDU named is already a block.

        Parameters
        ----------
        cdus : iterable of int
            CDU indices, 0 … ``n_cdus − 1``.
        """
        try:
            given = list(cdus)
        except TypeError:
            given = None
        if given is None or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                                    for k in given):
            # (a float such as 1.5 is not silently taken as CDU 1)
            raise InputError(f"Campus.operating_network_with: cdus={cdus!r} must be CDU "
                             "indices (integers), e.g. [3].")
        ks = sorted({int(k) for k in given})
        bad = [k for k in ks if not 0 <= k < self.n_cdus]
        if bad:
            raise InputError(f"Campus.operating_network_with: CDU(s) {bad} do not exist; "
                             f"this campus has {self.n_cdus} (indices 0…{self.n_cdus - 1}).")
        names = {b.name for b in self.blocks}
        if all(f"cdu{k}" in names for k in ks):
            return self.operating_network
        alone = set(self._alone) | set(ks)
        # a copy of this campus (the same specifications, shared read-only) with its own
        # layout and nothing built yet
        sib = copy.copy(self)
        vars(sib).update(_alone=alone, blocks=_cdu_layout(self._cdu_racks, self.expanded, alone),
                         network=None, design={}, _operating=None, _hx_reference="sizing",
                         _last_point=None)
        sib.operate(**(self._last_point or {}), warn=False)
        return sib.operating_network

    def operating_network_for(self, names: Sequence[str]) -> Any:
        """:meth:`operating_network_with` the CDUs whose parts ``names`` name but the
        operating network does not have (``"cdu3.pump"`` while CDUs 0–13 are
        ``cdu0x14``), or the operating network itself; other names are left for the
        caller to refuse. :func:`narvik_thermal.transient.simulate` gives its events'."""
        from ..errors import NarvikError
        net, cdus = self.operating_network, set()
        for name in (n for n in names if isinstance(n, str) and n not in net.boundaries):
            try:
                net.component(name)            # an edge, exchanger or heat pump
            except NarvikError:
                m = re.match(r"cdu(\d+)\.", name)
                if m and int(m.group(1)) < self.n_cdus:
                    cdus.add(int(m.group(1)))
        return self.operating_network_with(sorted(cdus)) if cdus else net

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
        net, design = self._build(self.controls, self.fjord or self.heat_rejection)
        self.network = net
        self.design = design
        self._hx_reference = "sizing"
        return net

    def _build(self, controls: bool, fjord: Any,
               operating: bool = False) -> tuple[Any, dict]:
        """A network of the campus and its design values (sized at design conditions)."""
        from ..fluids import propylene_glycol, water
        from ..network import Network
        pg, w = propylene_glycol(0.25), water()
        cdu = self.cdu
        net = Network(self.name)
        T_fs = cdu.facility_supply_temperature.m_as("K")
        dT_fw = float(U.to_temperature_difference(cdu.facility_delta_t, "facility_delta_t"))
        rows: list = []             # all CDUs' racks in one add_racks call
        infos = add_cdus(net, [(b.name, b.n_racks, b.count, b.expanded) for b in self.blocks],
                         self.rack, cdu, ("hall.s", "hall.r"), pg, w, controls, rows)
        add_rack_rows(net, rows, self.rack)
        Q_liq = sum(i["liquid_heat"] * i["count"] for i in infos)
        m_fw = sum(i["facility_mass_flow"] * i["count"] for i in infos)
        # room-air part of the IT heat and the air handlers' fans
        Q_air = self.n_racks * self.rack.air_heat.m_as("W")
        P_fan = D.AIR_HANDLER_FAN_FRACTION.value * Q_air
        ah = None
        if self.air_handling == "facility":
            cp_w = float(w.cp_pT(T_fs + 0.5 * dT_fw))
            m_ah = (Q_air + P_fan) / (cp_w * dT_fw)
            m_fw += m_ah
            ah = dict(heat=(Q_air + P_fan) / self.n_halls, mass_flow=m_ah / self.n_halls)
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
        dp_rej = (D.FJORD_HX_PRESSURE_DROP.value.m_as("Pa") if isinstance(fjord, FjordLoop)
                  else float(U.to_si(fjord.pressure_drop, "Pa", "pressure_drop")))
        dp_pump = dp_hall + 2 * L_main * grad + dp_rej
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
                                           design_source=(T_fs + dT_fw, T_fs),
                                           # design: the cycle; operation: the spec's
                                           performance=None if operating else "cycle")
            fj_in = "fac.hp_out"
        Q_fjord = Q_liq + (ah["heat"] * self.n_halls if ah else 0.0)
        air_side = None
        if isinstance(fjord, FjordLoop):
            fj = add_fjord_loop(net, (fj_in, "fac.s"), duty=Q_(Q_fjord, "W"),
                                hot_inlet=Q_(T_fs + dT_fw, "K"), hot_outlet=Q_(T_fs, "K"),
                                fjord=fjord, site=self.site)
        else:
            # the air-side plant: a set-point edge holding the facility supply; the unit
            # models decide at every point how (and whether) it is held
            fj = None
            net.add_setpoint("rejection", fj_in, "fac.s", outlet_temperature=Q_(T_fs, "K"),
                             pressure_drop=fjord.pressure_drop, rated_flow=Q_(m_fw, "kg/s"))
            cp_w = float(w.cp_pT(T_fs + 0.5 * dT_fw))
            air_side = size_air_side(fjord, Q_fjord, T_fs + dT_fw, T_fs, self.site, cp_w)
        main = dict(length=D.FACILITY_MAIN_LENGTH.value, diameter=Q_(d_main, "m"),
                    count=self.n_halls)
        net.add_pipe("hall.main_s", "fac.s", "hall.s", **main)
        net.add_pipe("hall.main_r", "hall.r", "fac.r", **main)
        if ah is not None:
            # air handlers of each hall: one coil branch on the hall mains, balanced by a
            # valve at the design flow; the coil takes the room-air heat and the fan heat
            dp_v = D.FACILITY_VALVE_PRESSURE_DROP.value.m_as("bar")
            V_ah = ah["mass_flow"] / float(w.density_pT(T_fs))
            net.add_valve("ah.valve", "hall.s", "ah.in", kvs=Q_(V_ah * 3600 / math.sqrt(dp_v) / 0.7,
                                                                "m^3/h"),
                          opening=0.7, count=self.n_halls)
            net.add_heat_load("ah.coil", "ah.in", "hall.r", heat=Q_(ah["heat"], "W"),
                              pressure_drop=Q_(dp_hall - dp_v * 1e5, "Pa"),
                              rated_flow=Q_(ah["mass_flow"], "kg/s"), count=self.n_halls)
        net.add_expansion_tank("fac.r", pressure=D.FACILITY_TANK_PRESSURE.value)
        net.set_fluid("fac.r", w)
        if controls and self.facility_control:
            net.add_control("facility.differential_pressure",
                            actuator=("pump_speed", "fac.pump"),
                            target=("pressure_difference", "hall.s", "hall.r"),
                            setpoint=Q_(dp_hall, "Pa"), bounds=(0.2, 1.5))
        if controls and fj is not None:
            if fjord.control:
                lo, hi = seawater_flow_range(fjord, fj)
                if fjord.max_discharge_rise is not None:
                    # never less seawater than keeps the design duty within the
                    # discharge-rise limit (the control would otherwise trade the
                    # facility supply temperature against the fjord)
                    lim = float(U.to_temperature_difference(fjord.max_discharge_rise,
                                                            "max_discharge_rise"))
                    lo = max(lo, fj["rise"] / lim * fj["flow"] / fj["duty_pumps"])
                net.add_control("seawater.facility_supply_temperature",
                                actuator=("pump_flow", fj["pump"]),
                                target=("outlet_temperature", f"{fj['hx']}:hot"),
                                setpoint=Q_(T_fs, "K"),
                                bounds=(Q_(lo, "m^3/s"), Q_(hi, "m^3/s")),
                                # in operation the set-point is a limit: a colder facility
                                # supply (cold sea, part load, the seawater pumps at their
                                # lowest flow) is what the CDU valves expect
                                sense="at_most" if operating else "equal")
        design = dict(cdus=infos, fjord=fj, facility_flow=V_fw, facility_pumps=n_fp,
                      facility_main_diameter=d_main, hall_differential_pressure=dp_hall,
                      liquid_heat=Q_liq, air_heat=Q_air, air_handler_fan_power=P_fan,
                      air_handling=self.air_handling, controls=controls, heat_export=he_info,
                      air_side=air_side, supply_temperature=T_fs,
                      cp_facility=float(w.cp_pT(T_fs + 0.5 * dT_fw)))
        return net, design

    def plate_exchangers(self, design: dict | None = None) -> dict:
        """The plate heat exchangers whose UA follows the flows, and their reference.

        Returns
        -------
        dict
            ``{name: (count, hot design flow, cold design flow)}``, per unit [kg/s]:
            the CDU exchangers and the fjord exchanger. Before the first
            :meth:`solve` the design flows are the sizing flows of the builders;
            after it, the flows of that design solve.
        """
        if design is None:
            if self.network is None:
                self.build()
            design = self.design
        out = {f"{i['name']}.hx": (i["count"], *i["hx_design_flows"])
               for i in design["cdus"]}
        fj = design["fjord"]
        if fj is not None:
            out[fj["hx"]] = (fj["units"], *fj["hx_design_flows"])
        return out

    def _set_design_flows(self, flows: dict | None, network: Any = None,
                          design: dict | None = None) -> None:
        """Design flows of the plate exchangers: ``{name: (hot, cold)}`` per unit [kg/s],
        or None for a constant UA."""
        net = network if network is not None else self.network
        for name in self.plate_exchangers(design):
            df = None if flows is None else (Q_(flows[name][0], "kg/s"),
                                             Q_(flows[name][1], "kg/s"))
            net.update(name, design_flows=df)

    def _design_flows_of(self, res: Any, design: dict) -> dict:
        """The plate exchangers' flows per unit in a solved design point [kg/s] (a side
        without flow keeps the sizing reference)."""
        flows = {}
        for name, (count, *sized) in self.plate_exchangers(design).items():
            f = tuple(abs(res.mass_flow(f"{name}:{side}").m_as("kg/s")) / count
                      for side in ("hot", "cold"))
            flows[name] = f if min(f) > 0 else tuple(sized)
        return flows

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
        warn = options.get("warn", True)
        quiet = {**options, "warn": False}      # the flags of the result returned, once
        try:
            he = self.heat_export
            if he is None:
                res = self.network.solve(**quiet)
                extra = {}
            else:
                res, it, head, _ = solve_regulated(
                    self.network, he.dh, tol=he.tol, max_iter=he.max_iter,
                    what=f"campus {self.name}", **quiet)
                extra = dict(heat_export=(it, head))
        except BaseException:
            if design:            # leave the sizing reference as it was
                self._set_design_flows({k: v[1:] for k, v in self.plate_exchangers().items()})
            raise
        if design:
            flows = self._design_flows_of(res, self.design)
            self._set_design_flows(flows)
            for i in self.design["cdus"]:
                i["hx_design_flows"] = flows[f"{i['name']}.hx"]
            fj = self.design["fjord"]
            if fj is not None:
                fj["hx_design_flows"] = flows[fj["hx"]]
            self._hx_reference = "design solve"
        air = (self._air_side_at_design(res, self.design) if self.design["fjord"] is None
               else None)
        if warn:
            res.issue_flags()
        return PlantResult(self, res, **extra, fan_power=self._fan_power(1.0, self.design),
                           air_side=air, warn=warn)


    # ------------------------------------------------------------------ operation
    @property
    def operating_network(self) -> Any:
        """The built plant, with its controls, that :meth:`operate` updates point by point
        (built on first use, sized as :attr:`design`). Read it (names, components,
        :meth:`~narvik_thermal.Network.component`); changing it changes the plant."""
        return self._operating_network()["network"]

    @property
    def operating_design(self) -> dict:
        """The sizing of :attr:`operating_network` (CDUs, fjord loop or air side,
        heat export), the same numbers as :attr:`design`."""
        return self._operating_network()["design"]

    def _operating_network(self):
        """The built plant with its controls (built once, on the first operate)."""
        if self._operating is not None:
            return self._operating
        from ..components.kinds import EdgeKind
        fj = replace(self.fjord, control=True) if self.fjord is not None else self.heat_rejection
        net, design = self._build(True, fj, operating=True)
        if not self.design:
            self.network = None
            self.design = design
        cn = net.compile()
        g = cn.kgroups[EdgeKind.COLD_PLATE]
        plates = tuple(cn.edge_names[i] for i in g.idx)     # (a tuple: read once by update)
        # the plate exchangers' UA follows the flows from the design point of the
        # operating plant: solve it once with the sized UA, then reference the UA to
        # that point's flows (the design point is then reproduced exactly)
        self._set_design_flows(None, net, design)
        op0 = dict(network=net)
        res0 = self._solve_once(op0, {"warn": False})
        flows = self._design_flows_of(res0, design)
        self._set_design_flows(flows, net, design)
        pumps = tuple(f"{i['name']}.pump" for i in design["cdus"])
        pump_flows = [net.component(n).fixed_flow[0] for n in pumps]
        self._operating = dict(
            network=net, design=design, fjord=fj, plates=plates,
            plate_heat=np.array(g.params["heat"], dtype=float), cdu_pumps=pumps,
            cdu_pump_flow=np.array(pump_flows, dtype=float), last=res0,
            dh_head=op0.get("dh_head"),
            # the design point as solved, to start again from (see _solve_once)
            as_built=dict(result=res0, controls=controls_snapshot(net),
                          dh_head=op0.get("dh_head")))
        return self._operating

    def operate(self, it_load: Any = 1.0, *, sea_temperature: Any = None,
                outdoor_temperature: Any = None, relative_humidity: Any = None,
                heat_demand: Any = None, month: int | None = None,
                **options: Any) -> "PlantResult":
        """Solve the *built* plant at an operating point (nothing is re-sized).

        Parameters
        ----------
        it_load : float
            IT load as a fraction of the installed IT power, 0 < it_load ≤ 1.2 [-].
            Chip heats, the room-air heat and the air handlers' fans scale with it;
            the CDU pumps run at the flow per kW of the load (never below
            :data:`~narvik_thermal.plant.defaults.CDU_MIN_FLOW_FRACTION` of design).
        sea_temperature : Quantity, optional
            Seawater temperature at the intake. Default: the site's (or the embedded
            fjord data's) temperature at the intake depth in ``month``; without a
            month, the design water (the site's warmest, or the fjord's design month).
            An air-side plant has no intake: the value is checked, not used.
        outdoor_temperature, relative_humidity : Quantity, optional
            Outdoor air for air-side heat rejection (dry bulb; relative humidity
            0–1, for a cooling tower's wet bulb). Default: the site's monthly
            normal of ``month``, or its design conditions without a month; a dry
            bulb given alone, without a month, takes the design air's moisture
            (its dew point; saturated air below it), never the design wet bulb,
            which no hotter air can have. The fjord plant needs neither.
        heat_demand : Quantity, optional
            District-heating demand delivered to the consumers (campuses with
            heat export): every consumer's heat is scaled by the same factor so
            they take this total. Default: their design demand. (The demand of
            an hour from the weather is :mod:`narvik_thermal.demand`'s.)
        month : int, optional
            Month 1–12 for the default sea temperature and outdoor air.
        **options
            :class:`~narvik_thermal.SolverOptions` fields, and ``warn=False`` to keep
            the flags in the result without issuing them as warnings (thread-safe,
            unlike ``warnings.catch_warnings``).

        Returns
        -------
        PlantResult
            With ``power``, ``heat``, ``water`` and ``energy_closure`` of this
            operating point; set-points that cannot be held are flags.

        Notes
        -----
        The operating network is the design network with its controls (CDU
        facility valves hold the TCS supply temperature; the seawater pumps the
        facility supply temperature within their flow bounds, never letting the
        discharge rise exceed its permit), built once on the first call
        (:attr:`operating_network`); every later call only updates it and
        warm-starts from the last operating point. :attr:`design` is never
        changed; heat exchangers keep their design UA and follow their flows
        (``ua_off_design``).

        An air-side plant (``DryCooler``, ``CoolingTower``) is solved with the
        facility supply it can make in this weather: the network's heat-rejection
        edge holds a supply temperature, the air side (fans, free cooling, trim
        chiller staged) is operated for the water that edge receives, and the
        supply is moved to what the air side achieves until the two agree (1 mK);
        a supply above the design set-point is a ``heat_rejection_limit`` flag.

        With heat export the district-heating circulation-pump head is found
        again at every point (:func:`solve_regulated`), started where the last two
        points say this town demand needs
        (:func:`~narvik_thermal.plant.heat_export_network.head_start`); it
        settles to the same tolerance from any start.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> c = nt.plant.Campus(nt.Q_(2, "MW"))
        >>> jan = c.operate(0.4, month=1)                          # doctest: +SKIP
        >>> jan.power["total"], jan.heat["to_sea"], jan.energy_closure   # doctest: +SKIP
        """
        op = self._operating_network()
        net = op["network"]
        load = float(U.to_si(it_load, "", "it_load"))
        if not 0 < load <= 1.2:
            raise InputError(f"Campus.operate: it_load={load!r} must lie in (0, 1.2] (a fraction "
                             "of the installed IT power).")
        if month is not None:
            month = U.to_integer(month, "Campus.operate: month (1–12)", minimum=1)
            if month > 12:
                raise InputError(f"Campus.operate: month={month!r} must be an integer 1–12.")
        if heat_demand is not None and self.heat_export is None:
            raise InputError("Campus.operate: heat_demand= needs a campus with heat export "
                             "(Campus(heat_export=nt.plant.HeatExport(dh=..., ...))).")
        # every argument checked before anything changes: a call refused here leaves the
        # campus (and the last point a transient event replays) as it was
        if outdoor_temperature is not None:
            check_outdoor_temperature(U.to_temperature(outdoor_temperature,
                                                       "outdoor_temperature"),
                                      "Campus.operate: outdoor_temperature")
        if relative_humidity is not None:
            relative_humidity_value(relative_humidity, "Campus.operate: relative_humidity")
        if sea_temperature is not None:
            fj = op["design"]["fjord"]
            check_sea_temperature(U.to_temperature(sea_temperature, "sea_temperature"),
                                  fj["salinity"] if fj is not None else 35.0,
                                  "Campus.operate: sea_temperature")
        if heat_demand is not None:
            heat_demand_value(heat_demand)
        solver_options = {k: v for k, v in options.items() if k != "warn"}
        base = solver_options.get("options")
        if base is not None and not isinstance(base, SolverOptions):
            raise InputError(f"Campus.operate: options={base!r} must be a nt.SolverOptions(...); "
                             "or give its fields as keywords.")
        named = {k: v for k, v in solver_options.items() if k != "options"}
        if named:
            (base or SolverOptions()).replace(**named)
        require_bool(options.get("warn", True), "warn", "Campus.operate")
        point = dict(it_load=it_load, sea_temperature=sea_temperature,
                     outdoor_temperature=outdoor_temperature,
                     relative_humidity=relative_humidity, heat_demand=heat_demand,
                     month=month, **solver_options)
        op["load"] = load
        design = op["design"]
        # IT load: chips, CDU pumps, air handlers (not set again at the last point's load
        # if nothing in the network changed since it was solved: a constant-load year)
        last = op.pop("last_load", None)
        if not (last is not None and last[0] == load and net.revision == last[1]):
            self._set_load(op, load)
        if self.heat_export is not None:
            set_heat_demand(op, self.heat_export, heat_demand)
        # every solve on the way (restarts, discharge and air-side iterations) is quiet:
        # the flags of the result returned are issued once, below
        warn = options.get("warn", True)
        quiet = {**options, "warn": False}
        if design["fjord"] is not None:
            T_sea = set_sea(op, self.site, sea_temperature, month)
            res = self._solve_once(op, quiet)
            res, resolves = hold_discharge_limit(
                op, res, lambda r: self._solve_once(op, quiet, initial=r))
            air = None
        else:
            T_sea, resolves = None, 0
            db, rh = outdoor_air(self.site, outdoor_temperature, relative_humidity, month)
            res, air = solve_air_side(op, design, db, rh, quiet,
                                      lambda initial=None: self._solve_once(op, quiet, initial))
        if warn:
            res.issue_flags()
        op["last"], op["last_load"] = res, (load, res.convergence.get("revision"))
        self._last_point = point
        he = (op["dh_iterations"], op["dh_head"]) if self.heat_export is not None else None
        return PlantResult(self, res, heat_export=he,
                           operating=dict(it_load=load, sea_temperature=T_sea, design=design,
                                          discharge_resolves=resolves),
                           fan_power=self._fan_power(load, design), air_side=air, warn=warn)

    def _set_load(self, op: dict, load: float) -> None:
        """The IT load in the operating network: chip heats, CDU pump flows, air handlers."""
        net, design = op["network"], op["design"]
        net.update(op["plates"], heat=U.quantity(op["plate_heat"] * load, "W"))
        frac = max(load, D.CDU_MIN_FLOW_FRACTION.value)
        net.update(op["cdu_pumps"], flow=U.quantity(op["cdu_pump_flow"] * frac, "m^3/s"))
        if design["air_handling"] == "facility":
            fan = self._fan_power(load, design)
            ah = (design["air_heat"] * load + fan) / self.n_halls
            net.update("ah.coil", heat=U.quantity(ah, "W"))

    def _solve_once(self, op: dict, options: dict, initial: Any = None) -> Any:
        """One solve of the operating network (with heat export: the district-heating pump
        head held at the critical consumer's differential, started where
        :func:`head_start` says this demand needs).

        A warm start whose controls fail, or that ends with a CDU valve wide open on
        facility water too cold for its set-point
        (:func:`~narvik_thermal.plant.operating_point.valves_open_on_cold_water`), is
        solved again as a new campus would solve this point: from the design point
        of the operating plant (its actuators, kept control Jacobians and pump head,
        :func:`~narvik_thermal.network.solve.controls_snapshot` taken when it was
        solved); and at a part load, if that fails too, by steps in the load from
        the design's (:func:`~narvik_thermal.plant.operating_point.continue_load`).
        At part load the seawater pumps reach their lowest flow, the facility water
        arrives colder than its set-point and the CDU valves throttle to a few per
        cent open; on the way there the CDU's supply barely changes with its valve
        over most of its range (the facility water warms with its own flow through
        the seawater exchanger), and the controls' local steps from a point far
        away stop there. ``result.convergence["restarted"]`` then holds why. A restart
        whose answer still has such a valve is taken only if every later way fails
        too and the first solve raised; a first result with a valve wide open is
        returned as it was, flagged; if every way fails, the first failure is raised.
        """
        net = op["network"]
        init = initial if initial is not None else op.get("last")
        first = None
        try:
            first = self._solve_from(op, options, init, op.get("dh_head"), op.get("dh_slope"))
            wide = valves_open_on_cold_water(net, first)
            if not wide:
                return first
            why: Exception | str = (f"{', '.join(wide)}: the valve wide open on facility "
                                    "water colder than its set-point")
        except ConvergenceError as exc:
            why = exc
        base = op.get("as_built")
        if base is None or init is None:
            if first is not None:
                return first
            raise why
        before = controls_snapshot(net)
        load = op.get("load", 1.0)
        ways = ([] if init is base["result"] else ["design"]) + (
            ["continued"] if load < CONTINUE_BELOW else [])

        def solve(start, head):
            return self._solve_from(op, options, start, head, None), op.get("dh_head")

        fallback = None         # a restart's answer with such a valve, if the first failed
        for way in ways:
            restore_controls(net, base["controls"])
            try:
                if way == "design":
                    res, how = solve(base["result"], base["dh_head"])[0], ""
                else:
                    res, loads = continue_load(solve, lambda x: self._set_load(op, x), base,
                                               load, CONTINUE_MIN_STEP, CONTINUE_MAX_SOLVES)
                    how = (" (solved through the loads " + ", ".join(
                        f"{x:.3g}" for x in loads[:-1]) + " from the design point)")
            except ConvergenceError:
                continue
            if valves_open_on_cold_water(net, res):
                if first is None and fallback is None:
                    fallback = (res, controls_snapshot(net), how)
                continue
            res.convergence["restarted"] = str(why) + how
            return res
        if fallback is not None:
            res, snapshot, how = fallback
            restore_controls(net, snapshot)
            res.convergence["restarted"] = str(why) + how
            return res
        restore_controls(net, before)
        if first is not None:
            return first
        raise why from None

    def _solve_from(self, op: dict, options: dict, init: Any, head: Any, slope: Any) -> Any:
        net = op["network"]
        if self.heat_export is None:
            return net.solve(initial=init, **options)
        he = self.heat_export
        res, it, head, _ = solve_regulated(net, he.dh, tol=he.tol, max_iter=he.max_iter,
                                           what=f"campus {self.name}", initial=init,
                                           initial_head=head, initial_slope=slope, **options)
        op["dh_head"], op["dh_iterations"] = head, it
        if "dh_demand" in op:
            # the last two points (town demand, head, slope), for the next point's start
            op["dh_reference"] = list(op.get("dh_reference", ()))[-1:] + [
                (op["dh_demand"], head, res.convergence.get("head_slope"))]
        return res

    def _air_side_at_design(self, result: Any, design: dict) -> Any:
        """The air side at its design conditions for a design-point :meth:`solve`."""
        dc = self.site.design_conditions
        db = float(dc["cooling_dry_bulb"].m_as("K"))
        wb = float(dc["cooling_mean_coincident_wet_bulb"].m_as("K"))
        T_in = float(result.state.temperature[result.state.upstream[
            result.compiled.edge_id("rejection")]])
        m = abs(float(result.mass_flow("rejection").m_as("kg/s")))
        air = operate_air_side(design["air_side"], T_in, m, design["supply_temperature"], db,
                               relative_humidity_of(db, wb), design["cp_facility"])
        return replace(air, heat=-float(result.heat_flow("rejection").m_as("W")))

    def _fan_power(self, load: float, design: dict) -> float:
        """Air-handler fan electricity at a load (fan laws: flow ∝ load, power ∝ speed³,
        speed never below AIR_HANDLER_MIN_SPEED) [W]."""
        speed = max(load, D.AIR_HANDLER_MIN_SPEED.value)
        return design["air_handler_fan_power"] * speed ** 3


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
