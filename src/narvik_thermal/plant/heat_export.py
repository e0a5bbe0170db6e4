r"""Heat export: heat pumps on the data-centre return, district heating, greenhouse, salmon farm.

Builders that assemble a :class:`~narvik_thermal.network.Network` from
engineering parameters and read the solved network back as a heat-export
report. No physics lives here: pipe heat losses come from
:mod:`narvik_thermal.correlations.buried_pipe`, heat-pump COPs from
:mod:`narvik_thermal.correlations.heat_pump`, demands from
:mod:`narvik_thermal.demand`, and the feasibility figures from
:mod:`narvik_thermal.feasibility`.

Plant layout (one :class:`Network`, up to three circuits)
---------------------------------------------------------
::

    source circuit (facility water, open):  src:in ─ heat_pump:evap ─ src:out
                                                 └ fish:hot_flow ─ fish_farm:hot ┘
    district heating (closed):  plant:return ─ heat_pump:cond ─ plant:hp_out ─ boiler
        ─ plant:boiler_out ─ dh_pump ─ plant:supply ─ trunk:supply ─ sup:hub ─ …
        … consumers (<name>:valve ─ <name>) … ret:hub ─ trunk:return ─ plant:return
    make-up water (open):  fish:intake ─ fish_farm:cold ─ fish:tank

:func:`add_district_heating` builds the district-heating side and the heat
pumps into any network, given the evaporator's inlet and outlet nodes on the
source circuit; :class:`HeatExportPlant` uses it with the open source circuit
above, and :class:`~narvik_thermal.plant.campus.Campus` (``heat_export=``
:class:`HeatExport`) with the evaporators on the facility-water return,
``fac.pump_out ─ heat_pump:evap ─ fac.hp_out ─ fjord_hx:hot ─ fac.s``, so the
fjord takes what the heat pumps leave. Both are solved by
:func:`solve_regulated` (regulator flows and DH pump head around the network
solve) and read by :class:`HeatExportResult`.

Modelling choices
-----------------
*Substation.* A consumer is a fixed heat load (its demand, negative: heat
leaves the water) in series with a pressure-independent flow regulator (an
ideal fixed-flow element, ``<name>:valve``, that throttles whatever
differential pressure the network offers). The regulator flow is set so the
water leaves the substation at the consumer's return temperature:
:math:`\dot m = \dot Q / (h(T_{in}) - h(T_{ret}))`, with :math:`T_{in}` the
supply temperature that actually arrives after the pipe losses. This is
what a substation's control valve does, and it keeps both the demand and
the return temperature exact. The other choice — a set-point edge holding
the return temperature at a fixed flow — makes the heat delivered depend on
the flow guessed, so the demand would not be met exactly. When the network
offers controls (``Network.add_control``) the regulator flow is a control
(actuator ``pump_flow``, target the load's outlet temperature); otherwise it
is found by a short outer iteration here.

*Supply temperature and peak boiler.* The heat pumps hold the condenser outlet
at the supply temperature up to their capacity; an ideal boiler (set-point
edge ``boiler``) in series after them tops the water up to the supply
temperature and its heat is what the heat pumps do not cover (zero when they
suffice). It may stand for an electric or a biomass boiler.

*Pipe heat loss.* Supply and return pipes of one trench are a buried pair
(EN 13941 with Wallentén's interaction). The network takes one U-value per
pipe against the ground, so each pipe gets the effective value
:math:`U = q/(T - T_g)` of the pair at the design supply and return
temperatures (:func:`buried_pair_u_values`). Along a pipe the solver then
applies the exact exponential decay
:math:`T_{out} = T_g + (T_{in} - T_g)\exp(-UL/\dot m c_p)`.

*Heat pumps.* The network's heat-pump component (``Network.add_heat_pump``)
puts the condenser and evaporator as edges of the two circuits and the solver
couples them, with the COP of
:func:`~narvik_thermal.correlations.heat_pump.heat_pump_cop` at the solved
stream temperatures; results via ``Result.heat_pump(name)``.

*Salmon farm.* Smolt and post-smolt RAS need make-up water at 12–14 °C
(R79, R80) — below the data-centre return — so the farm takes heat straight
from the facility-water return through a plate heat exchanger, without a
heat pump. Its heat is :func:`~narvik_thermal.demand.salmon_farm_heat_demand`.

References
----------
.. [1] EN 13941-1:2019, district heating pipes, design (buried pipe pair).
.. [2] narvik-facts §4 (R60: 3rd-generation networks 70–130 °C, 4th-generation
   55–70 °C; R61: Statkraft Varme expects 45 K cooling; defaults 85/45 °C),
   §5 (Drammen heat pumps, R39, R40, R62), §6 (greenhouse R73–R78, salmon
   R79–R82), §8 (CO2 factors R96–R101), §9 (85 °C from chips below 55 °C).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from .. import units as U
from ..correlations.heat_pump import heat_pump_cop
from ..correlations.hx import NTU_from_effectiveness
from ..demand import salmon_farm_heat_demand
from ..errors import ConvergenceError, InputError, PhysicsWarning
from ..units import Q_

__all__ = [
    "PIPE_SERIES_1", "PipeSize", "select_pipe", "buried_pair_u_values",
    "Consumer", "greenhouse_consumer", "town_consumers",
    "HeatPumpSpec", "FishFarm", "DistrictHeatingNetwork", "district_heating_network",
    "HeatExportPlant", "heat_export_plant", "HeatExportResult",
    "HeatExport", "add_district_heating", "solve_regulated",
]

log = logging.getLogger(__name__)

from .district_heating import (PIPE_SERIES_1, Consumer, DistrictHeatingNetwork, PipeSize,
                               _PUMP_EFFICIENCY, buried_pair_u_values,
                               district_heating_network, greenhouse_consumer, select_pipe,
                               town_consumers)


# ----------------------------------------------------------------- heat pumps
@dataclass(frozen=True)
class HeatPumpSpec:
    """Heat pumps lifting the facility-water return to the supply temperature.

    Attributes
    ----------
    capacity : pint.Quantity, optional
        Total condenser heat of all units [power]; None = unlimited.
    count : int
        Identical units in parallel (capacity is the total).
    model : {"cycle", "carnot_fraction", "lorenz_fraction"}
        COP model (:func:`~narvik_thermal.correlations.heat_pump.heat_pump_cop`).
    efficiency : float
        Carnot/Lorenz fraction η, default 0.5 (0.4–0.65, narvik-facts defaults).
    refrigerant : str
        CoolProp name for ``model="cycle"``, default R717 (Drammen, Odense).
    evaporator_approach, condenser_approach : pint.Quantity
        Refrigerant-to-water pinch, default 3 K.
    isentropic_efficiency, stages, n_series :
        Cycle parameters of ``heat_pump_cop`` (default 0.7, 1 stage, 1 unit in series).
    name : str
        Component name; edges ``"<name>:evap"`` and ``"<name>:cond"``.
    """

    capacity: Any = None
    count: int = 1
    model: Literal["cycle", "carnot_fraction", "lorenz_fraction"] = "cycle"
    efficiency: float = 0.5
    refrigerant: str = "R717"
    evaporator_approach: Any = "3 K"
    condenser_approach: Any = "3 K"
    isentropic_efficiency: float = 0.7
    stages: int = 1
    n_series: int = 1
    name: str = "heat_pump"

    def cop(self, T_source_in: float, T_source_out: float, T_sink_in: float,
            T_sink_out: float) -> float:
        """COP at stream temperatures [K] (delegates to ``heat_pump_cop``)."""
        return heat_pump_cop(T_source_in, T_source_out, T_sink_in, T_sink_out,
                             model=self.model, refrigerant=self.refrigerant,
                             efficiency=self.efficiency,
                             isentropic_efficiency=self.isentropic_efficiency,
                             stages=self.stages, n_series=self.n_series,
                             evaporator_approach=U.to_temperature_difference(
                                 self.evaporator_approach, "evaporator_approach"),
                             condenser_approach=U.to_temperature_difference(
                                 self.condenser_approach, "condenser_approach"))


@dataclass(frozen=True)
class FishFarm:
    """Land-based salmon RAS farm heating make-up water from the facility return.

    Attributes
    ----------
    production : pint.Quantity
        Fish produced per year, default 1,000 t/yr (press claim, narvik-facts §0).
    target_temperature, intake_temperature : pint.Quantity
        Rearing (12–14 °C, R79, R80) and intake temperatures, default 13 / 7 °C.
    hot_flow_ratio : float
        Facility-water flow through the exchanger per unit make-up flow [-].
    name : str
        Heat-exchanger name (edges ``"<name>:hot"``, ``"<name>:cold"``).
    demand_kwargs : dict
        Further arguments of :func:`~narvik_thermal.demand.salmon_farm_heat_demand`
        (``make_up_water_per_kg_feed``, ``fcr``, ``heat_recovery``).

    Notes
    -----
    The exchanger is sized (UA from ε-NTU) to heat the make-up water to the
    target at the design source temperature; the make-up flow is the one
    that carries the demand of ``salmon_farm_heat_demand`` over that rise.
    """

    production: Any = "1000 t/yr"
    target_temperature: Any = "13 degC"
    intake_temperature: Any = "7 degC"
    hot_flow_ratio: float = 1.0
    name: str = "fish_farm"
    demand_kwargs: dict = field(default_factory=dict)

    def heat_demand(self) -> Any:
        """Mean heat demand [MW] (annual energy over one year)."""
        e = salmon_farm_heat_demand(production=self.production,
                                    target_temperature=self.target_temperature,
                                    intake_temperature=self.intake_temperature,
                                    **self.demand_kwargs)
        return (e / Q_(1, "year")).to("MW")

    def make_up_flow(self, fluid: Any) -> float:
        """Make-up water mass flow [kg/s] that carries the mean demand."""
        Tt = U.to_temperature(self.target_temperature, "target_temperature")
        Ti = U.to_temperature(self.intake_temperature, "intake_temperature")
        dh = float(np.diff(fluid.enthalpy_T(np.array([Ti, Tt])))[0])
        return self.heat_demand().m_as("W") / dh


# ------------------------------------------------------------------ the plant
def add_district_heating(net, dh: DistrictHeatingNetwork, *,
                         heat_pumps: HeatPumpSpec | None = None,
                         evaporator: tuple[str, str] | None = None,
                         flows: dict | None = None, pump_head: float | None = None,
                         controls: bool = False) -> dict:
    """Add a district-heating network and its heat pumps to an existing network.

    The one builder of the district-heating side: :meth:`HeatExportPlant.build`
    (a facility-water boundary as the source) and
    :class:`~narvik_thermal.plant.campus.Campus` (the evaporators in series on
    the facility-water return, before the fjord heat exchanger) both use it.

    Parameters
    ----------
    net : Network
        The network to add to (a new circuit: the DH water).
    dh : DistrictHeatingNetwork
        From :func:`district_heating_network`.
    heat_pumps : HeatPumpSpec, optional
        Heat pumps whose condensers heat the DH return ahead of the boiler;
        without them the boiler is the only heat source.
    evaporator : (str, str), optional
        Inlet and outlet nodes of the evaporators on the source circuit (needed
        with ``heat_pumps``).
    flows : dict, optional
        Regulator flow of each consumer [kg/s]; default the design flows.
    pump_head : float, optional
        Circulation pump head [m]; default the network's or 60 m.
    controls : bool, optional
        Add a control per consumer (``"<name>:ret_ctrl"``: regulator flow
        holding the return temperature, ``Network.add_control``).

    Returns
    -------
    dict
        ``heat_pump`` (name or None), ``evaporator`` (nodes or None),
        ``hubs`` (supply and return hub nodes), ``consumers`` (names),
        ``flows`` [kg/s] and ``pump_head`` [m] built with.
    """
    flows = dict(dh.design_flows) if flows is None else dict(flows)
    head = pump_head if pump_head is not None else (dh.pump_head or 60.0)
    hub_s, hub_r = (("sup:hub", "ret:hub") if dh.trunk_length > 0
                    else ("plant:supply", "plant:return"))
    Ts = Q_(dh.supply_temperature, "K")
    Tg = Q_(dh.ground_temperature, "K")
    hp = heat_pumps
    if hp is not None and evaporator is None:
        raise InputError("add_district_heating: heat_pumps= needs evaporator=(inlet node, "
                         "outlet node) on the source circuit.")
    # plant: return -> [heat pump condenser] -> boiler -> pump -> supply
    boiler_in = "plant:return"
    if hp is not None:
        boiler_in = "plant:hp_out"
        net.add_heat_pump(
            hp.name, evaporator=tuple(evaporator),
            condenser=("plant:return", "plant:hp_out"), supply_temperature=Ts,
            model=hp.model, efficiency=hp.efficiency, refrigerant=hp.refrigerant,
            evaporator_approach=hp.evaporator_approach,
            condenser_approach=hp.condenser_approach,
            isentropic_efficiency=hp.isentropic_efficiency, stages=hp.stages,
            n_series=hp.n_series,
            capacity=None if hp.capacity is None else U.parse(hp.capacity, "capacity") / hp.count,
            count=hp.count)
    net.add_setpoint("boiler", boiler_in, "plant:boiler_out", outlet_temperature=Ts)
    net.add_pump("dh_pump", "plant:boiler_out", "plant:supply", head=Q_(head, "m"),
                 efficiency=_PUMP_EFFICIENCY)
    if dh.trunk_length > 0:
        p = dh.trunk_pipe
        us, ur = dh.u_values["trunk"]
        net.add_pipes(["trunk:supply", "trunk:return"], ["plant:supply", "ret:hub"],
                      ["sup:hub", "plant:return"], length=Q_(dh.trunk_length, "m"),
                      diameter=Q_(p.d_inner, "m"), u_value=Q_([us, ur], "W/(m*K)"),
                      ambient=Tg)
    cs = dh.consumers
    names = [c.name for c in cs]
    ups_s = [hub_s if c.upstream is None else f"sup:{c.upstream}" for c in cs]
    ups_r = [hub_r if c.upstream is None else f"ret:{c.upstream}" for c in cs]
    L = np.array([dh.lengths[n] for n in names])
    D = np.array([dh.pipes[n].d_inner for n in names])
    Uv = np.array([dh.u_values[n] for n in names])
    net.add_pipes([f"{n}:supply" for n in names], ups_s, [f"sup:{n}" for n in names],
                  length=Q_(L, "m"), diameter=Q_(D, "m"),
                  u_value=Q_(Uv[:, 0], "W/(m*K)"), ambient=Tg)
    net.add_pipes([f"{n}:return" for n in names], [f"ret:{n}" for n in names], ups_r,
                  length=Q_(L, "m"), diameter=Q_(D, "m"),
                  u_value=Q_(Uv[:, 1], "W/(m*K)"), ambient=Tg)
    for c in cs:
        net.add_pump(f"{c.name}:valve", f"sup:{c.name}", f"{c.name}:in",
                     flow=Q_(flows[c.name], "kg/s"), heat_to_fluid=False)
    net.add_heat_loads(names, [f"{n}:in" for n in names], [f"ret:{n}" for n in names],
                       heat=-Q_(np.array([U.to_si(c.heat, "W", "heat") for c in cs]), "W"),
                       pressure_drop=Q_(dh.substation_dp, "Pa"),
                       rated_flow=Q_(np.array([dh.design_flows[n] for n in names]), "kg/s"))
    if controls:
        for c in cs:
            m0 = dh.design_flows[c.name]
            net.add_control(f"{c.name}:ret_ctrl", actuator=("pump_flow", f"{c.name}:valve"),
                            target=("outlet_temperature", c.name),
                            setpoint=Q_(dh.return_temperature_of(c), "K"),
                            bounds=(Q_(0.2 * m0, "kg/s"), Q_(5.0 * m0, "kg/s")))
    net.add_expansion_tank("plant:return", pressure=Q_(dh.pressure, "Pa"))
    net.set_fluid("plant:return", dh.fluid)
    return dict(heat_pump=None if hp is None else hp.name,
                evaporator=None if hp is None else tuple(evaporator), hubs=(hub_s, hub_r),
                consumers=names, flows=flows, pump_head=head)


def solve_regulated(net, dh: DistrictHeatingNetwork, *, rebuild: Any = None,
                    tol: float = 1e-7, max_iter: int = 40, use_controls: bool = False,
                    what: str = "heat-export plant", **solver_kwargs: Any):
    """Solve a network holding a district-heating side built by :func:`add_district_heating`:
    regulator flows (each consumer's return temperature) and the circulation-pump
    head (``valve_dp_min`` over the critical regulator) by an outer fixed-point
    iteration around :meth:`Network.solve`, warm-started.

    Parameters
    ----------
    net : Network
        Built with the design flows (or any start).
    dh : DistrictHeatingNetwork
    rebuild : callable, optional
        ``rebuild(flows, head) -> Network`` if the network cannot be retuned in
        place (it always can when built by :func:`add_district_heating`).
    tol, max_iter : float, int
        Relative change of regulator flows and pump head at which to stop;
        iterations allowed.
    use_controls : bool
        The network holds the return temperatures with controls
        (``add_district_heating(controls=True)``): carry their flows over.
    what : str
        Name used in messages.
    **solver_kwargs
        :class:`~narvik_thermal.SolverOptions` fields.

    Returns
    -------
    (Result, int, float, Network)
        The result, outer iterations, pump head [m] and the network solved.

    Raises
    ------
    ConvergenceError
        The outer iteration did not settle within ``max_iter``.
    InputError
        The supply arrives at a consumer below its return temperature.
    """
    fl = dh.fluid
    flows = dict(dh.design_flows)
    auto_head = dh.pump_head is None
    head = dh.pump_head or 60.0
    ctrl = bool(use_controls)
    h_ret = {c.name: float(fl.enthalpy_T(np.array([dh.return_temperature_of(c)]))[0])
             for c in dh.consumers}
    heat = {c.name: U.to_si(c.heat, "W", "heat") for c in dh.consumers}
    res = cn_last = tee = vid = None
    history = []
    names = list(flows)
    for it in range(1, max_iter + 1):
        if it > 1 and not _retune(net, flows, head, res):
            if rebuild is None:
                raise InputError(f"{what}: the network cannot be retuned in place and no "
                                 "rebuild was given.")
            net = rebuild(flows, head)
        with warnings.catch_warnings():     # flags of intermediate iterates are moot
            warnings.simplefilter("ignore", PhysicsWarning)
            res = net.solve(initial=res, **solver_kwargs)
        change = 0.0
        cn = res._cn        # index arrays: the xarray views cost ms per call
        if it == 1 or cn is not cn_last:
            tee = np.array([cn.node_id(f"sup:{n}") for n in names])
            vid = np.array([cn.edge_id(f"{n}:valve") for n in names])
            cn_last = cn
        T_in = res._T[tee]
        h_in = fl.enthalpy_T(T_in, check=False)
        new = {}
        for k, n in enumerate(names):
            dh_ = float(h_in[k]) - h_ret[n]
            if not dh_ > 0:
                raise InputError(f"consumer {n!r}: the water arrives at "
                                 f"{T_in[k] - 273.15:.2f} °C, not above its return "
                                 "temperature; the supply line loses too much heat (raise "
                                 "the supply temperature or shorten/insulate the line).")
            if ctrl:        # the controls hold the return; carry their flows over
                new[n] = float(res._m[vid[k]])
            else:
                new[n] = heat[n] / dh_
                change = max(change, abs(new[n] - flows[n]) / new[n])
        flows = new
        if auto_head:
            rho_g = float(fl.density_pT(np.array([dh.supply_temperature]))[0]) * 9.80665
            dp = float(np.min(res._p[cn.start[vid]] - res._p[cn.end[vid]]))
            new_head = head + (dh.valve_dp_min - dp) / rho_g
            change = max(change, abs(new_head - head) / max(head, 1.0))
            head = new_head
        history.append(change)
        log.debug("%s outer iteration %d: relative change %.3e", what, it, change)
        if change < tol:
            break
    else:
        raise ConvergenceError(
            f"{what}: the outer iteration (regulator flows, pump head) "
            f"did not settle in {max_iter} iterations; "
            f"last relative change {history[-1]:.2e} (history {history[-5:]}).", res)
    for f in res.flags:
        if f.kind == "capacity_limited":
            continue            # the peak boiler in series covers it (reported)
        warnings.warn(f"{what}: {f.message}", PhysicsWarning, stacklevel=3)
    return res, it, head, net


@dataclass(frozen=True)
class HeatExport:
    """Heat export as part of the campus network (:class:`~narvik_thermal.plant.campus.Campus`).

    The heat-pump evaporators sit on the facility-water return, in series before
    the fjord heat exchanger, so the fjord takes what the heat pumps leave;
    their condensers heat the district-heating network ``dh`` (built by
    :func:`add_district_heating`, the same builder as :class:`HeatExportPlant`).

    Attributes
    ----------
    dh : DistrictHeatingNetwork
        From :func:`district_heating_network`.
    heat_pumps : HeatPumpSpec
        Default ``HeatPumpSpec()`` (R717 cycle).
    use_controls : bool
        Hold the consumers' return temperatures by network controls
        (``Network.add_control``) instead of the outer iteration (default).
    tol, max_iter : float, int
        Outer iteration of :func:`solve_regulated`.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.campus import Campus
    >>> dh = district_heating_network(town_consumers(nt.Q_(10, "MW"), 4),
    ...                               trunk_length=nt.Q_(5, "km"))
    >>> c = Campus(nt.Q_(20, "MW"), heat_export=HeatExport(
    ...     dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction")))
    >>> r = c.solve()                                     # doctest: +SKIP
    >>> r.energy["heat_exported"]                         # doctest: +SKIP
    """

    dh: DistrictHeatingNetwork
    heat_pumps: HeatPumpSpec = field(default_factory=HeatPumpSpec)
    use_controls: bool = False
    tol: float = 1e-7
    max_iter: int = 40

    def __post_init__(self) -> None:
        if not isinstance(self.dh, DistrictHeatingNetwork):
            raise InputError("HeatExport: dh= must be a DistrictHeatingNetwork "
                             "(district_heating_network([...]).")
        if not isinstance(self.heat_pumps, HeatPumpSpec):
            raise InputError("HeatExport: heat_pumps= must be a HeatPumpSpec.")


@dataclass(frozen=True)
class HeatExportPlant:
    """District heating fed by heat pumps on the data-centre facility-water return.

    Build with :func:`heat_export_plant` (or :meth:`DistrictHeatingNetwork.solve`
    for the network alone). :meth:`build` gives the :class:`Network`;
    :meth:`solve` solves it and returns a :class:`HeatExportResult`.

    Attributes
    ----------
    dh : DistrictHeatingNetwork
    source_temperature : float or None
        Facility-water return entering the evaporators [K].
    source_flow : float or None
        Facility-water mass flow [kg/s].
    heat_pumps : HeatPumpSpec or None
    fish_farm : FishFarm or None
    source_fluid : Fluid or None
    """

    dh: DistrictHeatingNetwork
    source_temperature: float | None = None
    source_flow: float | None = None
    heat_pumps: HeatPumpSpec | None = None
    fish_farm: FishFarm | None = None
    source_fluid: Any = None

    # ------------------------------------------------------------- build
    def build(self, flows: dict | None = None, pump_head: float | None = None,
              controls: bool = False):
        """Assemble the :class:`~narvik_thermal.network.Network`.

        The district-heating side and the heat pumps come from
        :func:`add_district_heating` (the one builder, also used by
        :class:`~narvik_thermal.plant.campus.Campus` to put them on its
        facility-water return); here the evaporators sit between the source
        nodes ``src:in`` and ``src:out`` of an open facility-water circuit.

        Parameters
        ----------
        flows : dict, optional
            Regulator flow of each consumer [kg/s]; default the design flows.
        pump_head : float, optional
            Circulation pump head [m]; default the network's or 60 m.
        controls : bool, optional
            Add a control per consumer (``"<name>:ret_ctrl"``: regulator flow
            holding the return temperature); needs ``Network.add_control``.
        """
        from ..network import Network
        net = Network("heat-export")
        hp = self.heat_pumps if self.source_temperature is not None else None
        add_district_heating(net, self.dh, heat_pumps=hp,
                             evaporator=("src:in", "src:out") if hp is not None else None,
                             flows=flows, pump_head=pump_head, controls=controls)
        if hp is not None:
            self._build_source(net)
        return net

    def _build_source(self, net) -> None:
        Tsrc = Q_(self.source_temperature, "K")
        ff = self.fish_farm
        if ff is not None:
            from ..fluids import water
            w = water()
            m_mu = ff.make_up_flow(w)
            m_hot = m_mu * float(ff.hot_flow_ratio)
            net.add_pump("fish:hot_flow", "src:in", "fish:hot_in", flow=Q_(m_hot, "kg/s"),
                         heat_to_fluid=False)
            net.add_heat_exchanger(ff.name, hot=("fish:hot_in", "src:out"),
                                   cold=("fish:intake", "fish:tank"),
                                   ua=Q_(self._fish_ua(w, m_mu, m_hot), "W/K"))
            net.add_flow_boundary("fish:intake", mass_flow=Q_(m_mu, "kg/s"),
                                  temperature=ff.intake_temperature)
            net.add_pressure_boundary("fish:tank", pressure=Q_(1, "atm"),
                                      temperature=ff.intake_temperature)
            net.set_fluid("fish:intake", w)
        net.add_flow_boundary("src:in", mass_flow=Q_(self.source_flow, "kg/s"), temperature=Tsrc)
        net.add_pressure_boundary("src:out", pressure=Q_(2, "bar"), temperature=Tsrc)
        net.set_fluid("src:in", self.source_fluid)

    def _fish_ua(self, w, m_mu: float, m_hot: float) -> float:
        """UA [W/K] that heats the make-up water to the target at the design source
        temperature (counterflow, ε-NTU inverse)."""
        ff = self.fish_farm
        Ti = U.to_temperature(ff.intake_temperature, "intake_temperature")
        Tt = U.to_temperature(ff.target_temperature, "target_temperature")
        Th = self.source_temperature
        if not Th > Tt:
            raise InputError(f"fish farm: the facility return ({Th - 273.15:.1f} °C) must be "
                             f"warmer than the rearing target ({Tt - 273.15:.1f} °C).")
        hi, ht = (float(x) for x in w.enthalpy_T(np.array([Ti, Tt])))
        Q = m_mu * (ht - hi)
        cpc = float(w.cp_pT(np.array([0.5 * (Ti + Tt)]))[0])
        sf = self.source_fluid
        cph = float(sf.cp_pT(np.array([Th]))[0])
        Th_out = Th - Q / (m_hot * cph)
        cph = float(sf.cp_pT(np.array([0.5 * (Th + Th_out)]))[0])
        Cc, Ch = m_mu * cpc, m_hot * cph
        Cmin, Cmax = min(Cc, Ch), max(Cc, Ch)
        eps = Q / (Cmin * (Th - Ti))
        return float(NTU_from_effectiveness(eps, Cmin / Cmax, "counterflow")) * Cmin

    # ------------------------------------------------------------- solve
    def solve(self, *, tol: float = 1e-7, max_iter: int = 40,
              use_controls: bool = False, **solver_kwargs: Any) -> "HeatExportResult":
        """Solve the plant: regulator flows and pump head by an outer
        fixed-point iteration around :meth:`Network.solve` (the heat pumps are
        network components, solved inside it).

        Parameters
        ----------
        tol : float, optional
            Relative change of regulator flows and pump head at which the outer
            iteration stops.
        max_iter : int, optional
            Outer iterations allowed.
        use_controls : bool, optional
            Hold the return temperatures with network controls
            (``Network.add_control``, to ``control_rtol``) instead of the outer
            iteration here (default, exact to ``tol``).
        **solver_kwargs
            Passed to :meth:`Network.solve` (``SolverOptions`` fields).

        Raises
        ------
        ConvergenceError
            The outer iteration did not settle within ``max_iter``.
        """
        ctrl = bool(use_controls)
        dh = self.dh
        net = self.build(dict(dh.design_flows), dh.pump_head or 60.0, controls=ctrl)
        res, it, head, _ = solve_regulated(
            net, dh, rebuild=lambda flows, head: self.build(flows, head, controls=ctrl),
            tol=tol, max_iter=max_iter, use_controls=ctrl, **solver_kwargs)
        return HeatExportResult(self, res, it, head)


#: control actuator kind -> Network.update keyword
_ACTUATOR_UPDATE = {"pump_speed": "speed", "pump_flow": "flow", "valve_opening": "opening",
                    "setpoint_temperature": "outlet_temperature"}


def _retune(net, flows: dict, head: float, res: Any = None) -> bool:
    """Update regulator flows and pump head of a built network in place.

    Uses :meth:`~narvik_thermal.network.Network.update`, so the compiled
    network and its kept factorisations survive; returns False (rebuild) if the
    layout is not the one :func:`add_district_heating` made. The actuators of
    the network's other controls (``res.controls``) are carried over too, so
    the next solve starts its control iteration where the last one ended.
    """
    from ..errors import NarvikError
    valves = [f"{n}:valve" for n in flows]
    m = Q_(np.array(list(flows.values()), dtype=float), "kg/s")
    try:
        ctrl = getattr(res, "controls", None) or {}
        for spec in net._controls:
            kind, *a = spec["actuator"]
            key = _ACTUATOR_UPDATE.get(kind)
            rep = ctrl.get(spec["name"])
            if key is not None and rep is not None:
                net.update(a[0], **{key: rep["actuator"]})
        # the regulators take the flows of the outer iteration (after the
        # control carry-over, which may have touched them)
        net.update(valves, flow=m)
        net.update("dh_pump", head=Q_(head, "m"))
    except NarvikError:
        return False
    return True


def heat_export_plant(*, source_return_temperature: Any, source_flow: Any = None,
                      source_heat: Any = None, source_temperature_drop: Any = "10 K",
                      heat_pumps: HeatPumpSpec | None = None,
                      dh: DistrictHeatingNetwork,
                      greenhouse: Consumer | None = None,
                      fish_farm: FishFarm | None = None,
                      source_fluid: Any = None) -> HeatExportPlant:
    r"""Couple a district-heating network to the data-centre facility-water return.

    Parameters
    ----------
    source_return_temperature : pint.Quantity
        Facility-water return entering the heat-pump evaporators, e.g. 40 °C
        (typical DLC returns 40–65 °C, narvik-facts §9; at most about 25–40 °C
        with chips held below 55 °C).
    source_flow : pint.Quantity, optional
        Facility-water flow through the plant (mass or volume).
    source_heat : pint.Quantity, optional
        Alternatively, the data-centre heat carried by the facility water; the
        flow is ``source_heat / (c_p · source_temperature_drop)``.
    source_temperature_drop : pint.Quantity, optional
        Facility-water ΔT for ``source_heat``, default 10 K (narvik-facts defaults).
    heat_pumps : HeatPumpSpec, optional
        Default ``HeatPumpSpec()`` (R717 cycle, η irrelevant, no capacity limit).
    dh : DistrictHeatingNetwork
        From :func:`district_heating_network`.
    greenhouse : Consumer, optional
        A greenhouse (:func:`greenhouse_consumer`) added to the DH consumers.
    fish_farm : FishFarm, optional
        A salmon farm heated from the facility return through a heat exchanger.
    source_fluid : Fluid, optional
        Facility-water fluid, default water.

    Returns
    -------
    HeatExportPlant

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> dh = district_heating_network([Consumer("town", nt.Q_(5, "MW"))],
    ...                               trunk_length=nt.Q_(2, "km"))
    >>> plant = heat_export_plant(source_return_temperature=nt.Q_(40, "degC"),
    ...                           source_heat=nt.Q_(20, "MW"), dh=dh,
    ...                           heat_pumps=HeatPumpSpec(model="carnot_fraction"))
    >>> r = plant.solve()
    >>> round(r.heat_pump["cop"].m, 2), round(r.boiler_heat.m_as("MW"), 6)
    (3.42, 0.0)
    """
    from ..fluids import water
    sf = water() if source_fluid is None else source_fluid
    T_src = U.to_temperature(source_return_temperature, "source_return_temperature")
    if (source_flow is None) == (source_heat is None):
        raise InputError("heat_export_plant: give exactly one of source_flow= (facility-water "
                         "flow) or source_heat= (data-centre heat, with source_temperature_drop).")
    if source_flow is not None:
        mag, kind = U.to_flow(source_flow, "source_flow")
        m = float(mag) * (1.0 if kind == "mass" else float(sf.density_pT(np.array([T_src]))[0]))
    else:
        q = U.to_si(source_heat, "W", "source_heat")
        dT = U.to_temperature_difference(source_temperature_drop, "source_temperature_drop")
        if not dT > 0:
            raise InputError(f"source_temperature_drop={source_temperature_drop} must be > 0.")
        h = sf.enthalpy_T(np.array([T_src, T_src - dT]))
        m = q / float(h[0] - h[1])
    if not m > 0:
        raise InputError(f"heat_export_plant: the facility-water flow must be positive, got "
                         f"{m:.4g} kg/s.")
    if not T_src < dh.supply_temperature:
        raise InputError(f"heat_export_plant: the facility return "
                         f"({T_src - 273.15:.1f} °C) is not below the DH supply "
                         f"({dh.supply_temperature - 273.15:.1f} °C); no heat pump is needed — "
                         "use a heat exchanger.")
    if greenhouse is not None:
        dh = replace(dh, consumers=dh.consumers + (greenhouse,))
        dh = _relayout(dh)
    return HeatExportPlant(dh=dh, source_temperature=T_src, source_flow=m,
                           heat_pumps=heat_pumps or HeatPumpSpec(), fish_farm=fish_farm,
                           source_fluid=sf)


def _relayout(dh: DistrictHeatingNetwork) -> DistrictHeatingNetwork:
    """Lay out again after adding consumers, with the original arguments."""
    return district_heating_network(dh.consumers, **dh.layout)



# ------------------------------------------------------------------- results
class HeatExportResult:
    """A solved :class:`HeatExportPlant`, read as a heat-export report.

    Attributes
    ----------
    plant : HeatExportPlant
    network_result : narvik_thermal.network.Result
        The solved network (every edge and node).
    iterations : int
        Outer iterations of :meth:`HeatExportPlant.solve`.
    pump_head : pint.Quantity
        Head of the DH circulation pump [m].

    Notes
    -----
    Heat flows are positive in the direction named (heat delivered to a
    consumer, heat lost by pipes, heat of the boiler into the water).
    """

    def __init__(self, plant: "HeatExportPlant | HeatExport", res, iterations: int, head: float,
                 *, evaporator_inlet: str = "src:in") -> None:
        self.plant = plant
        self.network_result = res
        self.iterations = iterations
        self.pump_head = Q_(head, "m")
        self.dh = plant.dh
        src = getattr(plant, "source_temperature", None) is not None or isinstance(plant, HeatExport)
        #: heat pumps and fish farm present in the network (None if not built)
        self.heat_pumps = plant.heat_pumps if src else None
        self.fish_farm = getattr(plant, "fish_farm", None) if src else None
        #: node where the facility water enters the evaporators
        self.evaporator_inlet = evaporator_inlet

    # -------------------------------------------------------- consumers
    @property
    def consumer_names(self) -> list[str]:
        return [c.name for c in self.dh.consumers]

    def supply_temperature(self, consumer: str):
        """Supply temperature arriving at a consumer's tee [degC]."""
        self._check(consumer)
        return self.network_result.temperature(f"sup:{consumer}")

    def return_temperature(self, consumer: str):
        """Temperature leaving a consumer's substation [degC]."""
        self._check(consumer)
        return self.network_result.outlet_temperature(consumer)

    def consumer_flow(self, consumer: str):
        """Primary flow through a consumer's substation [kg/s]."""
        self._check(consumer)
        return self.network_result.mass_flow(consumer)

    def _check(self, consumer: str) -> None:
        if consumer not in self.consumer_names:
            raise InputError(f"unknown consumer {consumer!r}; consumers are "
                             f"{self.consumer_names[:10]}.")

    @property
    def heat_delivered(self) -> dict:
        """Heat delivered per consumer [MW], the fish farm included."""
        r = self.network_result
        out = {n: (-r.heat_flow(n)).to("MW") for n in self.consumer_names}
        ff = self.fish_farm
        if ff is not None:
            out[ff.name] = r.heat_flow(ff.name).to("MW")
        return out

    @property
    def dh_heat_delivered(self):
        """Heat delivered to the district-heating consumers [MW]."""
        return sum((-self.network_result.heat_flow(n) for n in self.consumer_names),
                   Q_(0.0, "W")).to("MW")

    # ------------------------------------------------------- heat sources
    @property
    def boiler_heat(self):
        """Heat of the peak/backup boiler [MW] (what the heat pumps do not cover)."""
        return self.network_result.heat_flow("boiler").to("MW")

    @property
    def heat_pump(self) -> dict | None:
        """Heat-pump figures: ``cop``, ``electric_power``, ``heat_source``
        (evaporator), ``heat_sink`` (condenser), ``capacity_limited``; None
        without heat pumps."""
        hp = self.heat_pumps
        if hp is None:
            return None
        d = self.network_result.heat_pump(hp.name)
        return dict(cop=d["cop"].to("dimensionless"),
                    electric_power=d["electric_power"].to("MW"),
                    heat_source=d["heat_source"].to("MW"),
                    heat_sink=d["heat_sink"].to("MW"),
                    capacity_limited=d["mode"] == "capacity", mode=d["mode"])

    @property
    def pump_power(self):
        """Electric power of the DH circulation pump [kW] (η 0.75 [GEK], motor 0.95)."""
        return self.network_result.pump_power("dh_pump").to("kW")

    @property
    def pump_heat(self):
        """Hydraulic power of the DH pump dissipated into the water [MW]."""
        return self.network_result.heat_flow("dh_pump").to("MW")

    # ------------------------------------------------------------ losses
    @property
    def losses(self) -> dict:
        """Pipe heat losses to the ground [MW]: ``supply``, ``return``, ``total``."""
        r = self.network_result
        pipes = [f"{n}:{s}" for n in self.consumer_names for s in ("supply", "return")]
        if self.dh.trunk_length > 0:
            pipes += ["trunk:supply", "trunk:return"]
        ds = r.edges.sel(edge=pipes)
        q = -ds["heat_flow"].values
        sup = float(q[[p.endswith(":supply") for p in pipes]].sum())
        ret = float(q[[p.endswith(":return") for p in pipes]].sum())
        return dict(supply=Q_(sup, "W").to("MW"), **{"return": Q_(ret, "W").to("MW")},
                    total=Q_(sup + ret, "W").to("MW"))

    @property
    def heat_into_network(self):
        """Heat put into the DH water by heat pumps, boiler and pump [MW]."""
        hp = self.heat_pump
        q = self.boiler_heat + self.pump_heat
        return (q + hp["heat_sink"] if hp else q).to("MW")

    @property
    def heat_pump_share(self) -> float:
        """Share of the heat put into the DH water that comes from the heat pumps [-]."""
        hp = self.heat_pump
        if hp is None:
            return 0.0
        return float((hp["heat_sink"] / self.heat_into_network).m_as(""))

    @property
    def loss_share(self) -> float:
        """DH pipe losses over the heat put into the network [-]."""
        return float((self.losses["total"] / self.heat_into_network).m_as(""))

    @property
    def balance(self) -> dict:
        """Mass and energy balance of every circuit (``Result.balance``)."""
        return self.network_result.balance

    # ------------------------------------------------------- feasibility
    def feasibility_check(self):
        """The same heat-pump duty through :func:`narvik_thermal.feasibility.heat_pump_electricity`
        at the solved stream temperatures (an independent route to the electricity).

        Returns
        -------
        narvik_thermal.feasibility.HeatPumpElectricity
        """
        from ..feasibility import heat_pump_electricity
        hp = self.heat_pumps
        r = self.network_result
        d = self.heat_pump
        if d is None:
            raise InputError("feasibility_check needs a plant with heat pumps.")
        T_src = r.temperature(self.evaporator_inlet).to("K")
        drop = Q_(T_src.m - r.outlet_temperature(f"{hp.name}:evap").m_as("K"), "K")
        # the COP is evaluated at the supply set-point (as the heat-pump component
        # does, also when it runs at capacity and its outlet falls short)
        return heat_pump_electricity(
            d["heat_sink"], Q_(self.dh.supply_temperature, "K"), T_src,
            return_temperature=r.temperature("plant:return"), source_temperature_drop=drop,
            model=hp.model, refrigerant=hp.refrigerant, efficiency=hp.efficiency,
            evaporator_approach=hp.evaporator_approach,
            condenser_approach=hp.condenser_approach)

    def co2_avoided(self, operating_time: Any = "1 year", *, displaced: Any = "oil",
                    grid_intensity: Any = "19 g/kWh", boiler_efficiency: float | None = None,
                    count_boiler: bool = True):
        """CO2 avoided if this steady state lasts ``operating_time``
        (:func:`narvik_thermal.feasibility.co2_avoided`).

        The heat counted is the heat-pump share of the heat delivered to the
        consumers (losses borne pro rata); the heat-pump and (if
        ``count_boiler``) the pump electricity are charged at ``grid_intensity``.
        The peak boiler is assumed to burn the displaced carrier and saves nothing.
        """
        from ..feasibility import co2_avoided
        t = U.parse(operating_time, "operating_time")
        hp = self.heat_pump
        if hp is None:
            raise InputError("co2_avoided needs a plant with heat pumps.")
        delivered = sum(self.heat_delivered.values(), Q_(0.0, "MW"))
        q_hp = self.dh_heat_delivered * self.heat_pump_share
        ff = self.fish_farm
        if ff is not None:
            q_hp = q_hp + self.heat_delivered[ff.name]
        w = hp["electric_power"] + (self.pump_power if count_boiler else Q_(0, "W"))
        del delivered
        return co2_avoided((q_hp * t).to("GWh"), displaced=displaced,
                           boiler_efficiency=boiler_efficiency,
                           heat_pump_electricity=(w * t).to("GWh"),
                           grid_intensity=grid_intensity)

    def demand_coverage(self, demand: Any, *, time_step: Any = "1 h"):
        """Coverage of a demand series by the heat-pump heat this state delivers
        (:func:`narvik_thermal.feasibility.demand_coverage`)."""
        from ..feasibility import demand_coverage
        avail = self.dh_heat_delivered * self.heat_pump_share
        return demand_coverage(avail, demand, time_step=time_step)

    # ------------------------------------------------------------ report
    def summary(self) -> str:
        """A plain-text report."""
        lines = [f"heat-export plant: {len(self.consumer_names)} consumer(s), "
                 f"{self.iterations} outer iteration(s), pump head {self.pump_head.m:.1f} m"]
        hp = self.heat_pump
        if hp:
            lines.append(f"  heat pumps: {hp['heat_sink'].m_as('MW'):.3f} MW to DH, "
                         f"{hp['heat_source'].m_as('MW'):.3f} MW from the facility water, "
                         f"{hp['electric_power'].m_as('MW'):.3f} MW electric, COP "
                         f"{hp['cop'].m:.3f}{' (capacity-limited)' if hp['capacity_limited'] else ''}")
        lines.append(f"  boiler: {self.boiler_heat.m_as('MW'):.3f} MW; DH pump "
                     f"{self.pump_power.m_as('kW'):.1f} kW electric")
        L = self.losses
        lines.append(f"  DH losses: {L['total'].m_as('MW'):.3f} MW (supply "
                     f"{L['supply'].m_as('MW'):.3f}, return {L['return'].m_as('MW'):.3f}), "
                     f"{100 * self.loss_share:.1f} % of the heat put in")
        for n, q in self.heat_delivered.items():
            extra = ""
            if n in self.consumer_names:
                extra = (f", {self.supply_temperature(n).m:.2f} → "
                         f"{self.return_temperature(n).m:.2f} °C")
            lines.append(f"  {n}: {q.m_as('MW'):.4f} MW{extra}")
        worst = max(b["energy_relative"] for b in self.balance.values())
        lines.append(f"  heat-pump share {100 * self.heat_pump_share:.1f} %; worst circuit "
                     f"energy balance {worst:.1e}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<HeatExportResult: {self.dh_heat_delivered.m_as('MW'):.3f} MW to "
                f"{len(self.consumer_names)} consumer(s), boiler "
                f"{self.boiler_heat.m_as('MW'):.3f} MW>")
