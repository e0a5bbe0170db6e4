r"""The heat-export side of a network: heat pumps, peak boiler, district heating, regulation.

:func:`add_district_heating` builds a laid-out district-heating network
(:class:`~narvik_thermal.plant.district_heating.DistrictHeatingNetwork`) and
its heat pumps (:class:`HeatPumpSpec`) into any
:class:`~narvik_thermal.network.Network`, given the evaporators' inlet and
outlet nodes on a source circuit; :func:`solve_regulated` solves such a
network with the substation regulators and the circulation-pump head found
around :meth:`Network.solve`. Both users —
:class:`~narvik_thermal.plant.heat_export.HeatExportPlant` (an open
facility-water source circuit) and :class:`~narvik_thermal.plant.campus.Campus`
(the evaporators on the facility-water return, before the fjord heat
exchanger) — build and solve the district-heating side through these two
functions. The node and edge names are drawn in
:mod:`narvik_thermal.plant.heat_export`.

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
at the supply temperature (default 85 °C, narvik-facts [2]_) up to their
capacity; an ideal boiler (set-point edge ``boiler``) in series after them
tops the water up to the supply temperature and its heat is what the heat
pumps do not cover (zero when they suffice). It may stand for an electric or a biomass boiler.

*Pipe heat loss.* Supply and return pipes of one trench are a buried pair
(EN 13941 [1]_ with Wallentén's interaction). The network takes one U-value per
pipe against the ground, so each pipe gets the effective value
:math:`U = q/(T - T_g)` of the pair at the design supply and return
temperatures (:func:`~narvik_thermal.plant.district_heating.buried_pair_u_values`).
Along a pipe the solver then applies the exact exponential decay
:math:`T_{out} = T_g + (T_{in} - T_g)\exp(-UL/\dot m c_p)`.

*Heat pumps.* The network's heat-pump component (``Network.add_heat_pump``)
puts the condenser and evaporator as edges of the two circuits and the solver
couples them, with the COP of
:func:`~narvik_thermal.correlations.heat_pump.heat_pump_cop` at the solved
stream temperatures; results via ``Result.heat_pump(name)``.

References
----------
.. [1] EN 13941-1:2019, district heating pipes, design (buried pipe pair).
.. [2] narvik-facts §4 (R60: 3rd-generation networks 70–130 °C, 4th-generation
   55–70 °C; R61: Statkraft Varme expects 45 K cooling; defaults 85/45 °C),
   §5 (Drammen heat pumps, R39, R40, R62).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .. import units as U
from ..correlations.heat_pump import heat_pump_cop
from ..errors import ConvergenceError, InputError, PhysicsWarning, user_api
from ..units import Q_
from .district_heating import PUMP_EFFICIENCY, DistrictHeatingNetwork

__all__ = ["HeatPumpSpec", "add_district_heating", "solve_regulated"]

log = logging.getLogger(__name__)


@user_api
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

    def __post_init__(self) -> None:
        models = ("cycle", "carnot_fraction", "lorenz_fraction")
        if self.model not in models:
            raise InputError(f"HeatPumpSpec: model={self.model!r} is not one of {models}.")
        U.to_number(self.efficiency, "HeatPumpSpec: efficiency", 0.0, 1.0, low_open=True)
        U.to_number(self.isentropic_efficiency, "HeatPumpSpec: isentropic_efficiency", 0.0,
                    1.0, low_open=True)
        U.to_integer(self.count, "HeatPumpSpec: count", minimum=1)
        U.to_integer(self.n_series, "HeatPumpSpec: n_series", minimum=1)
        if U.to_integer(self.stages, "HeatPumpSpec: stages", minimum=1) > 2:
            raise InputError(f"HeatPumpSpec: stages={self.stages} must be 1 or 2.")
        if not isinstance(self.refrigerant, str) or not self.refrigerant:
            raise InputError(f"HeatPumpSpec: refrigerant={self.refrigerant!r} must be a CoolProp "
                             "fluid name such as 'R717'.")
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"HeatPumpSpec: name={self.name!r} must be a non-empty string.")
        for nm in ("evaporator_approach", "condenser_approach"):
            if not U.to_temperature_difference(getattr(self, nm), nm) >= 0:
                raise InputError(f"HeatPumpSpec: {nm}={getattr(self, nm)} must be ≥ 0 K.")
        if self.capacity is not None and not U.to_si(self.capacity, "W", "capacity") > 0:
            raise InputError(f"HeatPumpSpec: capacity={self.capacity} must be positive, or "
                             "None for no limit.")

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


@user_api
def add_district_heating(net, dh: DistrictHeatingNetwork, *,
                         heat_pumps: HeatPumpSpec | None = None,
                         evaporator: tuple[str, str] | None = None,
                         flows: dict | None = None, pump_head: float | None = None,
                         controls: bool = False) -> dict:
    """Add a district-heating network and its heat pumps to an existing network.

    The one builder of the district-heating side:
    :meth:`~narvik_thermal.plant.heat_export.HeatExportPlant.build` (a
    facility-water boundary as the source) and
    :class:`~narvik_thermal.plant.campus.Campus` (the evaporators in series on
    the facility-water return, before the fjord heat exchanger) both use it.

    Parameters
    ----------
    net : Network
        The network to add to (a new circuit: the DH water).
    dh : DistrictHeatingNetwork
        From :func:`~narvik_thermal.plant.district_heating.district_heating_network`.
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
                 efficiency=PUMP_EFFICIENCY)
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


@user_api
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
        cn = res.compiled        # index arrays: the xarray views cost ms per call
        if it == 1 or cn is not cn_last:
            tee = np.array([cn.node_id(f"sup:{n}") for n in names])
            vid = np.array([cn.edge_id(f"{n}:valve") for n in names])
            cn_last = cn
        T_in = res.state.temperature[tee]
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
                new[n] = float(res.state.mass_flow[vid[k]])
            else:
                new[n] = heat[n] / dh_
                change = max(change, abs(new[n] - flows[n]) / new[n])
        flows = new
        if auto_head:
            rho_g = float(fl.density_pT(np.array([dh.supply_temperature]))[0]) * 9.80665
            dp = float(np.min(res.state.pressure[cn.start[vid]] - res.state.pressure[cn.end[vid]]))
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
        for spec in net.controls:
            kind, *a = spec.actuator
            key = _ACTUATOR_UPDATE.get(kind)
            rep = ctrl.get(spec.name)
            if key is not None and rep is not None:
                net.update(a[0], **{key: rep["actuator"]})
        # the regulators take the flows of the outer iteration (after the
        # control carry-over, which may have touched them)
        net.update(valves, flow=m)
        net.update("dh_pump", head=Q_(head, "m"))
    except NarvikError:
        return False
    return True
