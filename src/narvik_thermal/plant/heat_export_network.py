r"""The heat-export side of a network: heat pumps, peak boiler, district heating, regulation.

:func:`add_district_heating` builds a laid-out district-heating network
(:class:`~narvik_thermal.plant.district_heating.DistrictHeatingNetwork`) and
its heat pumps (:class:`HeatPumpSpec`) into any
:class:`~narvik_thermal.network.Network`, given the evaporators' inlet and
outlet nodes on a source circuit; :func:`solve_regulated` solves such a
network, with the circulation-pump head found around :meth:`Network.solve`
when it is not given (the substations' flows are solved inside it). Both users —
:class:`~narvik_thermal.plant.heat_export.HeatExportPlant` (an open
facility-water source circuit) and :class:`~narvik_thermal.plant.campus.Campus`
(the evaporators on the facility-water return, before the fjord heat
exchanger) — build and solve the district-heating side through these two
functions. The node and edge names are drawn in
:mod:`narvik_thermal.plant.heat_export`.

Modelling choices
-----------------
*Substation.* Each consumer is the network's district-heating consumer
(:meth:`Network.add_consumers <narvik_thermal.network.Network.add_consumers>`,
:mod:`narvik_thermal.components.consumer`) holding its return temperature:
its control valve sets the primary flow
:math:`\dot m = \dot Q / (h(T_{in}) - h(T_{ret}))` from the supply that
actually arrives after the pipe losses, so both the demand and the return
temperature are exact. The solve finds that flow itself (it is updated every
outer iteration of the coupled solve,
:func:`~narvik_thermal.components.thermal.consumer_flows`); no iteration
around it is needed. In front of it a zero-heat element ``<name>:hx``
carries the substation's rated primary pressure drop
(``substation_pressure_drop`` at the design flow, flow-squared), so a
substation is ``sup:<name> ─ <name>:hx ─ <name>:in ─ <name> ─ ret:<name>``:
``<name>`` is the consumer (its heat flow is minus the heat delivered, its
outlet temperature the return), ``<name>:in`` the substation inlet at the
tee temperature. The differential left over the consumer is what its control
valve throttles; less than ``valve_pressure_drop`` is flagged by the solve
(``consumer_underpressure``), as is a negative one (the network would have to
pump through the substation). The circulation-pump head, when not given, is
the one that leaves exactly ``valve_pressure_drop`` over the critical
consumer, found by a short iteration around the solve
(:func:`solve_regulated`), or, in a network with controls, by the same steps
taken inside its controlled solve.

A supply that arrives too cold (below the return set-point, or less than
the consumer's ``min_temperature_drop``, default 5 K, above it) is a state, not an
error: the consumer's valve opens to its largest flow, the substation
delivers less than its demand, and the solve flags it
(``consumer_heat_not_met``, issued as a
:class:`~narvik_thermal.errors.PhysicsWarning`). A planner operating the plant
off design (a cold day, a heat pump down) needs that state and the shortfall
reported, not an exception.

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
stream temperatures; results via ``Result.heat_pump(name)``. Their
configuration (compression stages, units in series) is chosen at the design
temperatures within the refrigerant's compressor limits unless given
(:class:`HeatPumpSpec`); in operation the solve limits their heat when the
source would leave below its freeze-protection minimum, lowers the COP when
they cycle below their minimum modulation (EN 14825), and flags a limit
reached (``heat_pump_limit``).

References
----------
.. [1] EN 13941-1:2019, district heating pipes, design (buried pipe pair).
.. [2] narvik-facts §4 (R60: 3rd-generation networks 70–130 °C, 4th-generation
   55–70 °C; R61: Statkraft Varme expects 45 K cooling; defaults 85/45 °C),
   §5 (Drammen heat pumps, R39, R40, R62).
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from .. import units as U
from ..components.kinds import HydraulicLaw, RiseBasis
from ..correlations.heat_pump import (HeatPumpConfiguration, choose_heat_pump_configuration,
                                      heat_pump_configuration, heat_pump_cop)
from ..errors import ConvergenceError, InputError, NarvikError, PhysicsWarning, user_api
from ..network.solve import solve as network_solve
from ..units import Q_
from . import defaults as D
from .district_heating import PUMP_EFFICIENCY, DistrictHeatingNetwork

__all__ = ["HeatPumpSpec", "add_district_heating", "solve_regulated", "head_start"]

log = logging.getLogger(__name__)


@user_api
@dataclass(frozen=True)
class HeatPumpSpec:
    """Heat pumps lifting the facility-water return to the supply temperature.

    By default (``model="cycle"``, ``stages=None``, ``n_series=None``) the
    builder chooses the configuration at the design temperatures — the source
    entering and leaving the evaporators, the district-heating return and
    supply — with
    :func:`~narvik_thermal.correlations.heat_pump.choose_heat_pump_configuration`:
    the fewest compression stages within the compressor limits of the
    refrigerant (:data:`~narvik_thermal.correlations.heat_pump_limits.COMPRESSOR_LIMITS`),
    with the sink glide split over units in series at most ``max_sink_step``
    each. Fixing ``stages`` and ``n_series`` uses them as given (a cycle beyond
    the limits is then flagged by the solve, ``heat_pump_limit``).

    Attributes
    ----------
    capacity : pint.Quantity, optional
        Total condenser heat of all units [power]; None = unlimited.
    count : int
        Identical units (strings of ``n_series``) in parallel.
    unit_capacity : pint.Quantity, optional
        Condenser heat of one of the ``count`` units [power]; the capacity is
        then ``count × unit_capacity`` (give this or ``capacity``).
    model : {"cycle", "carnot_fraction", "lorenz_fraction"}
        COP model (:func:`~narvik_thermal.correlations.heat_pump.heat_pump_cop`).
    efficiency : float
        Carnot/Lorenz fraction η, default 0.5 (0.4–0.65, narvik-facts defaults).
    refrigerant : str
        CoolProp name for ``model="cycle"``, default R717 (Drammen, Odense).
    evaporator_approach, condenser_approach : pint.Quantity
        Refrigerant-to-water pinch, default 3 K.
    isentropic_efficiency : float
        Compressor isentropic efficiency of the cycle, default 0.7 [GEK].
    stages, n_series : int or None
        Compression stages per unit and units in series on the sink; None: chosen
        at the design temperatures (cycle model), 1 for the fraction models.
    max_sink_step : pint.Quantity
        Largest sink rise of one condenser when the configuration is chosen,
        default 10 K [GEK] (``defaults.HP_MAX_SINK_STEP``).
    min_source_outlet : pint.Quantity, optional
        Lowest evaporator outlet (freeze protection); default the source fluid's
        freezing point + 2 K [GEK].
    min_modulation : float
        Part-load ratio below which the units cycle (EN 14825), default 0.25 [GEK]
        (``defaults.HP_MIN_MODULATION``).
    name : str
        Component name; edges ``"<name>:evap"`` and ``"<name>:cond"``.
    performance : {"map", "cycle"}
        How the cycle model is evaluated in *operation*
        (:meth:`~narvik_thermal.plant.campus.Campus.operate`, the inner loop of an
        annual run): ``"map"`` (default) interpolates each unit's COP, discharge
        temperature and condensing pressure in the configuration's performance
        map (:mod:`narvik_thermal.correlations.heat_pump_map`: bicubic over
        evaporating and condensing temperature, 2.5 K grid, COP within 1e-5
        relative of the cycle, the cycle itself outside the mapped domain);
        ``"cycle"`` runs the refrigerant cycle at every evaluation. The
        configuration is always chosen, and the design solved, with the cycle.
    """

    capacity: Any = None
    count: int = 1
    model: Literal["cycle", "carnot_fraction", "lorenz_fraction"] = "cycle"
    efficiency: float = 0.5
    refrigerant: str = D.HP_REFRIGERANT.value
    evaporator_approach: Any = "3 K"
    condenser_approach: Any = "3 K"
    isentropic_efficiency: float = D.HP_ISENTROPIC_EFFICIENCY.value
    stages: int | None = None
    n_series: int | None = None
    name: str = "heat_pump"
    unit_capacity: Any = None
    max_sink_step: Any = D.HP_MAX_SINK_STEP.value
    min_source_outlet: Any = None
    min_modulation: float = D.HP_MIN_MODULATION.value
    performance: Literal["map", "cycle"] = "map"

    @property
    def total_capacity(self) -> float:
        """Condenser capacity of all units [W] (inf: unlimited): units × unit size."""
        if self.unit_capacity is not None:
            return self.count * U.to_si(self.unit_capacity, "W", "unit_capacity")
        if self.capacity is not None:
            return U.to_si(self.capacity, "W", "capacity")
        return float("inf")

    def _cycle_kw(self) -> dict:
        return dict(evaporator_approach=U.to_temperature_difference(
                        self.evaporator_approach, "evaporator_approach"),
                    condenser_approach=U.to_temperature_difference(
                        self.condenser_approach, "condenser_approach"),
                    isentropic_efficiency=self.isentropic_efficiency)

    def __post_init__(self) -> None:
        models = ("cycle", "carnot_fraction", "lorenz_fraction")
        if self.model not in models:
            raise InputError(f"HeatPumpSpec: model={self.model!r} is not one of {models}.")
        U.to_number(self.efficiency, "HeatPumpSpec: efficiency", 0.0, 1.0, low_open=True)
        U.to_number(self.isentropic_efficiency, "HeatPumpSpec: isentropic_efficiency", 0.0,
                    1.0, low_open=True)
        U.to_integer(self.count, "HeatPumpSpec: count", minimum=1)
        if self.n_series is not None:          # None: chosen at the design temperatures
            U.to_integer(self.n_series, "HeatPumpSpec: n_series", minimum=1)
        if self.stages is not None and \
                U.to_integer(self.stages, "HeatPumpSpec: stages", minimum=1) > 2:
            raise InputError(f"HeatPumpSpec: stages={self.stages} must be 1 or 2 (or None to "
                             "choose).")
        U.to_number(self.min_modulation, "HeatPumpSpec: min_modulation", 0.0, 1.0)
        if not isinstance(self.refrigerant, str) or not self.refrigerant:
            raise InputError(f"HeatPumpSpec: refrigerant={self.refrigerant!r} must be a CoolProp "
                             "fluid name such as 'R717'.")
        if self.performance not in ("map", "cycle"):
            raise InputError(f"HeatPumpSpec: performance={self.performance!r} is not one of "
                             "('map', 'cycle'); give performance='map' (interpolate the cycle "
                             "in its performance map, the default) or performance='cycle' (run "
                             "the refrigerant cycle at every operating point).")
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"HeatPumpSpec: name={self.name!r} must be a non-empty string.")
        for nm in ("evaporator_approach", "condenser_approach"):
            if not U.to_temperature_difference(getattr(self, nm), nm) >= 0:
                raise InputError(f"HeatPumpSpec: {nm}={getattr(self, nm)} must be ≥ 0 K.")
        if self.capacity is not None and not U.to_si(self.capacity, "W", "capacity") > 0:
            raise InputError(f"HeatPumpSpec: capacity={self.capacity} must be positive, or "
                             "None for no limit.")
        if self.unit_capacity is not None and \
                not U.to_si(self.unit_capacity, "W", "unit_capacity") > 0:
            raise InputError(f"HeatPumpSpec: unit_capacity={self.unit_capacity} must be "
                             "positive, or None for no limit.")
        if self.capacity is not None and self.unit_capacity is not None:
            tot = U.to_si(self.capacity, "W", "capacity")
            one = U.to_si(self.unit_capacity, "W", "unit_capacity")
            if not np.isclose(tot, one * self.count, rtol=1e-9):
                raise InputError(
                    f"HeatPumpSpec: capacity={self.capacity} is not count × unit_capacity "
                    f"({self.count} × {self.unit_capacity}); give one of them.")

    def cop(self, T_source_in: float, T_source_out: float, T_sink_in: float,
            T_sink_out: float) -> float:
        """COP at stream temperatures [K] (delegates to ``heat_pump_cop``); an
        unresolved spec (``stages``/``n_series`` None) counts as one single-stage unit
        (see :meth:`resolved`)."""
        return heat_pump_cop(T_source_in, T_source_out, T_sink_in, T_sink_out,
                             model=self.model, refrigerant=self.refrigerant,
                             efficiency=self.efficiency, stages=self.stages or 1,
                             n_series=self.n_series or 1, **self._cycle_kw())

    def configuration(self, T_source_in: float, T_source_out: float, T_sink_in: float,
                      T_sink_out: float) -> HeatPumpConfiguration | None:
        """The cycle configuration at design stream temperatures [K]: chosen
        (:func:`~narvik_thermal.correlations.heat_pump.choose_heat_pump_configuration`)
        where ``stages``/``n_series`` are None, evaluated as given otherwise
        (:func:`~narvik_thermal.correlations.heat_pump.heat_pump_configuration`,
        margins negative beyond the limits); None for the fraction models.

        Raises
        ------
        InputError
            No configuration makes the design lift within the compressor limits.
        """
        if self.model != "cycle":
            return None
        kw = self._cycle_kw()
        if self.stages is not None and self.n_series is not None:
            return heat_pump_configuration(T_source_in, T_source_out, T_sink_in, T_sink_out,
                                           self.stages, self.n_series,
                                           refrigerant=self.refrigerant, **kw)
        step = U.to_temperature_difference(self.max_sink_step, "max_sink_step")
        try:
            return choose_heat_pump_configuration(
                T_source_in, T_source_out, T_sink_in, T_sink_out, refrigerant=self.refrigerant,
                max_sink_step=step, stages=self.stages, n_series=self.n_series, **kw)
        except InputError as exc:
            raise InputError(f"heat pumps {self.name!r} at the design temperatures: {exc}") \
                from None

    def resolved(self, T_source_in: float, T_source_out: float, T_sink_in: float,
                 T_sink_out: float) -> tuple["HeatPumpSpec", HeatPumpConfiguration | None]:
        """This spec with ``stages`` and ``n_series`` fixed at the design stream
        temperatures [K], and the configuration (:meth:`configuration`)."""
        conf = self.configuration(T_source_in, T_source_out, T_sink_in, T_sink_out)
        if conf is None:
            return replace(self, stages=self.stages or 1, n_series=self.n_series or 1), None
        return replace(self, stages=conf.stages, n_series=conf.n_series), conf

    def describe(self, configuration: HeatPumpConfiguration | None = None) -> str:
        """What heat pump this is, in words (the configuration when given)."""
        n = self.count
        par = "" if n == 1 else f", {n} in parallel"
        cap = self.total_capacity
        size = "" if not np.isfinite(cap) else f", {cap / 1e6:.4g} MW ({n} × {cap / n / 1e6:.4g} MW)"
        if configuration is not None:
            return configuration.describe().replace(":", f"{par}{size}:", 1)
        if self.model == "cycle":
            st = {1: "single-stage", 2: "two-stage"}.get(self.stages, "?-stage")
            ns = self.n_series or 1
            units = "1 unit" if ns == 1 else f"{ns} units in series"
            return f"{self.refrigerant} {st}, {units}{par}{size}"
        what = "Carnot" if self.model == "carnot_fraction" else "Lorenz"
        return f"{self.efficiency:g} of the {what} COP{par}{size}"


@user_api
def add_district_heating(net, dh: DistrictHeatingNetwork, *,
                         heat_pumps: HeatPumpSpec | None = None,
                         evaporator: tuple[str, str] | None = None,
                         pump_head: float | None = None,
                         design_source: tuple[float, float] | None = None,
                         performance: str | None = None) -> dict:
    """Add a district-heating network and its heat pumps to an existing network.

    The one builder of the district-heating side:
    :meth:`~narvik_thermal.plant.heat_export.HeatExportPlant.build` (a
    facility-water boundary as the source) and
    :class:`~narvik_thermal.plant.campus.Campus` (the evaporators in series on
    the facility-water return, before the fjord heat exchanger) both use it.
    Each substation is a consumer holding its return temperature (edge
    ``<name>``) behind a zero-heat element with its rated primary pressure drop
    (edge ``<name>:hx``); see the module notes.

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
    pump_head : float, optional
        Circulation pump head [m]; default the network's or 60 m.
    design_source : (float, float), optional
        Source temperatures entering and leaving the evaporators at design [K];
        the heat pumps' configuration is chosen there (with the DH design return
        and supply, :meth:`HeatPumpSpec.resolved`). Needed when ``heat_pumps``
        leaves ``stages`` or ``n_series`` to the builder (cycle model).
    performance : {"map", "cycle"}, optional
        How the heat pumps evaluate their cycle in the network's solves; default
        the spec's (``HeatPumpSpec.performance``). Design networks pass "cycle".

    Returns
    -------
    dict
        ``heat_pump`` (name or None), ``heat_pump_spec`` (the spec with its
        configuration fixed, or None), ``configuration``
        (:class:`~narvik_thermal.correlations.heat_pump.HeatPumpConfiguration`
        or None), ``evaporator`` (nodes or None), ``hubs`` (supply and return hub
        nodes), ``consumers`` (names) and ``pump_head`` [m] built with.
    """
    head = pump_head if pump_head is not None else (dh.pump_head or 60.0)
    hub_s, hub_r = (("sup:hub", "ret:hub") if dh.trunk_length > 0
                    else ("plant:supply", "plant:return"))
    Ts = Q_(dh.supply_temperature, "K")
    Tg = Q_(dh.ground_temperature, "K")
    hp = heat_pumps
    conf = None
    if hp is not None and evaporator is None:
        raise InputError("add_district_heating: heat_pumps= needs evaporator=(inlet node, "
                         "outlet node) on the source circuit.")
    # plant: return -> [heat pump condenser] -> boiler -> pump -> supply
    boiler_in = "plant:return"
    if hp is not None:
        boiler_in = "plant:hp_out"
        if design_source is not None:
            hp, conf = hp.resolved(float(design_source[0]), float(design_source[1]),
                                   dh.return_temperature, dh.supply_temperature)
        elif hp.model == "cycle" and (hp.stages is None or hp.n_series is None):
            raise InputError(
                f"add_district_heating: heat pumps {hp.name!r} leave stages/n_series to the "
                "builder, which chooses them at the design temperatures: give "
                "design_source=(source inlet, source outlet) [K], or fix stages= and "
                "n_series= in the HeatPumpSpec.")
        else:
            hp = replace(hp, stages=hp.stages or 1, n_series=hp.n_series or 1)
        cap = hp.total_capacity
        net.add_heat_pump(
            hp.name, evaporator=tuple(evaporator),
            condenser=("plant:return", "plant:hp_out"), supply_temperature=Ts,
            model=hp.model, efficiency=hp.efficiency, refrigerant=hp.refrigerant,
            evaporator_approach=hp.evaporator_approach,
            condenser_approach=hp.condenser_approach,
            isentropic_efficiency=hp.isentropic_efficiency, stages=hp.stages,
            n_series=hp.n_series, min_source_outlet=hp.min_source_outlet,
            min_modulation=hp.min_modulation,
            performance=hp.performance if performance is None else performance,
            capacity=None if not np.isfinite(cap) else Q_(cap / hp.count, "W"),
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
    # substation: primary pressure drop (no heat), then the consumer holding its return
    net.add_heat_loads([f"{n}:hx" for n in names], [f"sup:{n}" for n in names],
                       [f"{n}:in" for n in names], heat=Q_(np.zeros(len(names)), "W"),
                       pressure_drop=Q_(dh.substation_dp, "Pa"),
                       rated_flow=Q_(np.array([dh.design_flows[n] for n in names]), "kg/s"))
    net.add_consumers(names, [f"{n}:in" for n in names], [f"ret:{n}" for n in names],
                      heat=Q_(np.array([U.to_si(c.heat, "W", "heat") for c in cs]), "W"),
                      return_temperature=Q_(np.array([dh.return_temperature_of(c)
                                                      for c in cs]), "K"),
                      min_pressure_difference=Q_(dh.valve_dp_min, "Pa"))
    net.add_expansion_tank("plant:return", pressure=Q_(dh.pressure, "Pa"))
    net.set_fluid("plant:return", dh.fluid)
    net.set_pressure_rating("plant:return", Q_(dh.pressure_rating, "Pa"))   # PN16 by default
    return dict(heat_pump=None if hp is None else hp.name, heat_pump_spec=hp,
                configuration=conf,
                evaporator=None if hp is None else tuple(evaporator), hubs=(hub_s, hub_r),
                consumers=names, pump_head=head)


#: (fluid, supply temperature) -> (fluid, ρg); see _supply_rho_g
_RHO_G: dict[tuple, tuple] = {}


def _supply_rho_g(dh: DistrictHeatingNetwork) -> float:
    """ρg of the district-heating water at its supply temperature [Pa/m], looked up once
    per fluid and temperature (every operating point asks twice)."""
    fl, T = dh.fluid, dh.supply_temperature
    hit = _RHO_G.get((id(fl), T))
    if hit is None or hit[0] is not fl:
        if len(_RHO_G) > 64:
            _RHO_G.clear()
        hit = _RHO_G[(id(fl), T)] = (fl, float(fl.density_pT(np.array([T]))[0]) * 9.80665)
    return hit[1]


@user_api
def head_start(dh: DistrictHeatingNetwork, points: Any,
               demand: float) -> tuple[float | None, float | None]:
    r"""Where to start :func:`solve_regulated` for a town demand, from solved points.

    The consumers impose their flows (∝ heat at the held supply and return
    temperatures), so the head is the critical differential ``valve_dp_min``
    plus friction losses that follow the demand as a power law,
    :math:`\rho g (H - H_0) = b\,Q^n` with :math:`H_0 = \Delta p^*/\rho g`:
    ``n`` from the last two points (within [1.5, 2.5]; 2, the quadratic law,
    with one point or two of nearly the same demand), ``b`` from the one of
    nearer demand. The critical differential rises with the head a little
    faster than ρg, by a share that grows with those losses (the pump heat
    warms the supply: less flow, less loss), so the slope of the first step is
    the last point's scaled to the estimated losses:
    :math:`s = \rho g + (s_1 - \rho g)(H - H_0)/(H_1 - H_0)`.

    Only a start: :func:`solve_regulated` settles the head to the same
    tolerance from any start.

    Parameters
    ----------
    dh : DistrictHeatingNetwork
    points : sequence of (float, float, float or None)
        Solved points, oldest first: town demand [W], settled head [m] and the
        secant slope of the critical differential over the head [Pa/m]
        (``result.convergence["head_slope"]`` of :func:`solve_regulated`; None
        if it took one solve). The last two are used.
    demand : float
        The town demand to start for [W].

    Returns
    -------
    (float or None, float or None)
        The start head [m] (``initial_head``) and slope [Pa/m]
        (``initial_slope``); None where the points give nothing to go by.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant import district_heating as dhm
    >>> dh = dhm.district_heating_network(dhm.town_consumers(nt.Q_(6, "MW"), 6))
    >>> H, s = head_start(dh, [(4e6, 20.0, None), (8e6, 50.0, None)], 6e6)
    >>> 20.0 < H < 50.0, s
    (True, None)
    """
    pts = [tuple(p) for p in list(points)[-2:]]
    if not pts or not (demand > 0):
        return None, None
    rho_g = _supply_rho_g(dh)
    H0 = dh.valve_dp_min / rho_g                      # the head with no losses [m]
    use = [(q, h - H0) for q, h, _ in pts if q > 0 and h > H0]
    if not use:
        return None, None
    n = 2.0
    if len(use) == 2 and abs(math.log(use[1][0] / use[0][0])) > 1e-3:
        n = min(max(math.log(use[1][1] / use[0][1]) / math.log(use[1][0] / use[0][0]), 1.5),
                2.5)
    q_ref, loss = min(use, key=lambda t: abs(math.log(t[0] / demand)))
    H = H0 + loss * (demand / q_ref) ** n
    slope = None
    q1, h1, s1 = pts[-1]
    if s1 is not None and np.isfinite(s1) and h1 > H0 and 0.5 * rho_g < s1 < 2.0 * rho_g:
        slope = rho_g + (s1 - rho_g) * (H - H0) / (h1 - H0)
    return H, slope


@user_api
def solve_regulated(net, dh: DistrictHeatingNetwork, *, rebuild: Any = None,
                    tol: float = 1e-7, max_iter: int = 40,
                    what: str = "heat-export plant", initial: Any = None,
                    initial_head: float | None = None, initial_slope: float | None = None,
                    **solver_kwargs: Any):
    r"""Solve a network holding a district-heating side built by :func:`add_district_heating`,
    with the circulation-pump head that leaves ``valve_dp_min`` over the critical consumer.

    The consumers hold their return temperatures inside :meth:`Network.solve`.
    With the head given (``dh.pump_head``) this is one solve. Otherwise the head
    is iterated around warm-started solves: the consumers impose their flows,
    so the smallest consumer differential :math:`\Delta p_{min}` moves with the
    head as :math:`\rho g H` (up to the pump heat's small effect on the
    temperatures), and the step :math:`H \leftarrow H + (\Delta p^* -
    \Delta p_{min})/(\rho g)`, then secant steps, settle in a few solves.

    On a network with controls (the operating campus) the same steps are taken
    inside its one controlled solve instead, between the coupled solves of the
    control iteration (the head is a loop of its own there, not a column of the
    controls' Jacobian: the consumers impose their flows, so the differential
    depends on the head alone), and the iteration ends only with the head
    settled too: one network solve, the same band
    (:func:`narvik_thermal.solvers.control.solve_controlled`, ``regulator``).

    Parameters
    ----------
    net : Network
        Built by :func:`add_district_heating` (with any start head).
    dh : DistrictHeatingNetwork
    rebuild : callable, optional
        ``rebuild(head) -> Network`` if the network cannot be retuned in
        place (it always can when built by :func:`add_district_heating`).
    tol, max_iter : float, int
        The head iteration stops when the critical consumer's differential lies
        between ``valve_dp_min`` and ``valve_dp_min`` + ``tol``·ρgH (the head
        to a relative ``tol``, never leaving the critical consumer short, so
        no ``consumer_underpressure`` flag from round-off); solves allowed.
    what : str
        Name used in messages.
    initial : Result, optional
        A previous result of ``net`` to warm-start the first solve from.
    initial_head : float, optional
        The head [m] to start the iteration from (the last operating point's);
        default ``dh.pump_head`` or 60 m.
    initial_slope : float, optional
        The rise of the critical differential with the head [Pa/m] for the first
        step (the last operating point's secant, ``res.convergence["head_slope"]``
        of its result); default ρg. Used only within [0.5, 2] ρg.
    **solver_kwargs
        :class:`~narvik_thermal.SolverOptions` fields, and ``warn`` (default True:
        the final result's flags as :class:`~narvik_thermal.PhysicsWarning`; the
        intermediate solves never warn).

    Returns
    -------
    (Result, int, float, Network)
        The result, network solves (outer iterations; 1 with the head settled
        inside a controlled solve), pump head [m] and the network solved. With the head iterated, ``result.convergence["head_slope"]``
        is the last secant of the critical differential over the head [Pa/m]
        (None after a single solve), for the next point's ``initial_slope``.

    Raises
    ------
    ConvergenceError
        The head iteration did not settle within ``max_iter`` solves.

    Notes
    -----
    Flags of the final result are issued as
    :class:`~narvik_thermal.errors.PhysicsWarning` (``capacity_limited`` is not:
    the peak boiler in series covers it). A supply arriving too cold for a
    consumer is one of them (``consumer_heat_not_met``), not an error; a head
    too low for a consumer (given ``pump_head``) is ``consumer_underpressure``.
    """
    warn = bool(solver_kwargs.pop("warn", True))
    auto_head = dh.pump_head is None
    head = dh.pump_head or (initial_head if initial_head is not None else 60.0)
    target = dh.valve_dp_min
    rho_g = _supply_rho_g(dh)
    cn_last = cid = last = secant = None
    res = initial
    history = []
    if initial_head is not None and auto_head:
        _retune(net, head)
    settled = False
    if auto_head and net.controls and _fixed_head_pump(net):
        # a network with controls: the head settles alongside them, by its own
        # Newton/secant steps between their coupled solves (one controlled solve
        # instead of one per head step)
        reg = _HeadRegulator(dh, target, rho_g, tol, initial_slope)
        res = network_solve(net, initial=res, warn=False, regulator=reg, **solver_kwargs)
        head, secant = reg.final_head, reg.secant
        cn = res.compiled
        cid, c_start, c_end = _consumer_ends(cn, dh)
        p = res.state.pressure
        dp = float((p[c_start] - p[c_end]).min())
        log.debug("%s head regulated with the controls: head %.6f m, critical differential "
                  "%.6g Pa (%d head steps)", what, head, dp, reg.steps)
        settled = 0.0 <= dp - target <= tol * rho_g * max(head, 1.0)
    if settled:
        it = 1
    else:
        for it in range(1, max_iter + 1):
            if it > 1 and not _retune(net, head):
                if rebuild is None:
                    raise InputError(f"{what}: the network cannot be retuned in place and no "
                                     "rebuild was given.")
                net = rebuild(head)
            # flags of intermediate iterates are moot (warn=False: no process-wide filters)
            res = net.solve(initial=res, warn=False, **solver_kwargs)
            if not auto_head:
                break
            cn = res.compiled        # index arrays: the xarray views cost ms per call
            if cn is not cn_last:
                cid = np.array([cn.edge_id(c.name) for c in dh.consumers])
                cn_last = cn
            p = res.state.pressure
            dp = float(np.min(p[cn.start[cid]] - p[cn.end[cid]]))
            band = tol * rho_g * max(head, 1.0)
            history.append((dp - target) / (rho_g * max(head, 1.0)))
            log.debug("%s head iteration %d: head %.6f m, critical differential %.6g Pa",
                      what, it, head, dp)
            if 0.0 <= dp - target <= band:
                break
            # secant on the last two solves (the pump heat warms the supply, which lowers
            # the consumer flows and the pipe losses: dp(H) rises ~2 % faster than ρgH);
            # ρg (or the last point's secant, initial_slope) until there are two, or if
            # the secant is implausible
            slope = rho_g
            if initial_slope is not None and 0.5 * rho_g < initial_slope < 2.0 * rho_g:
                slope = initial_slope
            if last is not None and head != last[0]:
                sec = (dp - last[1]) / (head - last[0])
                if 0.5 * rho_g < sec < 2.0 * rho_g:
                    slope = secant = sec
            last = (head, dp)
            head += (target + 0.5 * band - dp) / slope
        else:
            raise ConvergenceError(
                f"{what}: the pump-head iteration did not settle in {max_iter} iterations; "
                f"last relative head error {history[-1]:.2e} (history "
                + ", ".join(f"{x:.2e}" for x in history[-5:]) + ").", res)
    if auto_head:
        if secant is None and last is not None and head != last[0]:
            sec = (dp - last[1]) / (head - last[0])
            secant = sec if 0.5 * rho_g < sec < 2.0 * rho_g else None
        res.convergence["head_slope"] = secant
    for f in res.flags if warn else ():
        if f.kind == "capacity_limited":
            continue            # the peak boiler in series covers it (reported)
        msg = f.message
        if f.kind == "consumer_heat_not_met":     # where, and the DH-side remedy
            c = next(c for c in dh.consumers if c.name == f.elements[0])
            T_in = res.temperature(f"{c.name}:in").m_as("degC")
            msg += (f" The water arrives at {c.name!r} at {T_in:.2f} °C (return set-point "
                    f"{dh.return_temperature_of(c) - 273.15:.2f} °C); if the supply line "
                    "loses too much heat, shorten or insulate it.")
        warnings.warn(f"{what}: {msg}", PhysicsWarning, stacklevel=3)
    return res, it, head, net


def _fixed_head_pump(net) -> bool:
    """Whether the network's ``dh_pump`` is the fixed-head pump of
    :func:`add_district_heating` (its head can be regulated in place)."""
    try:
        pump = net.component("dh_pump")
    except NarvikError:
        return False
    mode, basis = getattr(pump, "mode", None), getattr(pump, "rise_basis", None)
    return (mode is not None and basis is not None and len(mode) == 1
            and int(mode[0]) == HydraulicLaw.FIXED_RISE and int(basis[0]) == RiseBasis.HEAD)


class _HeadRegulator:
    """The circulation-pump head as a loop settled alongside a network's controls
    (the ``regulator`` of :func:`narvik_thermal.solvers.control.solve_controlled`).

    After every coupled solve of the control iteration it reads the critical
    consumer's differential; outside the band ``[Δp*, Δp* + tol·ρgH]`` it moves
    the head by a Newton step (the first with ``slope``, else ρg), then by
    secants through the last two solves — the iteration of
    :func:`solve_regulated` around the solve, taken inside it: the consumers
    impose their flows, so the differential depends on the head alone, whatever
    the other loops do meanwhile.
    """

    def __init__(self, dh, target: float, rho_g: float, tol: float,
                 slope: float | None) -> None:
        self.dh, self.target, self.rho_g, self.tol = dh, target, rho_g, tol
        self.slope0 = slope if slope is not None and 0.5 * rho_g < slope < 2.0 * rho_g \
            else rho_g
        self.last = self.secant = None
        self.steps = 0
        self.final_head = float("nan")

    def start(self, cn) -> None:
        grp = cn.hgroups[HydraulicLaw.FIXED_RISE]
        e = cn.edge_id("dh_pump")
        # the pump's place in its group: the same while the network keeps this compiled
        # form (checked, as the controls' actuators' places are)
        k = cn.cache.get(("dh_pump_place", e))
        if k is None or not (k < grp.idx.size and grp.idx[k] == e):
            k = cn.cache[("dh_pump_place", e)] = int(np.flatnonzero(grp.idx == e)[0])
        self.arr, self.k = grp.params["fixed_rise"], k
        self.saved = float(self.arr[self.k])
        self.cn = cn
        self.cid, self.c_start, self.c_end = _consumer_ends(cn, self.dh)

    def observe(self, st, move: bool = True) -> bool:
        head = float(self.arr[self.k])
        st.record["regulated_head"] = head
        p = st.pressure
        dp = float((p[self.c_start] - p[self.c_end]).min())
        band = self.tol * self.rho_g * max(head, 1.0)
        if 0.0 <= dp - self.target <= band:
            return True
        if not move:
            return False
        slope = self.slope0
        if self.last is not None and head != self.last[0]:
            sec = (dp - self.last[1]) / (head - self.last[0])
            if 0.5 * self.rho_g < sec < 2.0 * self.rho_g:
                slope = self.secant = sec
        self.last = (head, dp)
        self.arr[self.k] = head + (self.target + 0.5 * band - dp) / slope
        self.steps += 1
        return False

    def hold(self, st) -> None:
        self.planned = float(self.arr[self.k])
        self.arr[self.k] = float(st.record.get("regulated_head", self.planned))

    def release(self) -> None:
        self.arr[self.k] = self.planned

    def finish(self, st) -> None:
        self.final_head = self.arr[self.k] = float(st.record["regulated_head"])

    def restore(self) -> None:
        self.arr[self.k] = self.saved

    def write_back(self, net) -> None:
        net.update("dh_pump", head=U.quantity(self.final_head, "m"))


def _consumer_ends(cn, dh: DistrictHeatingNetwork) -> tuple:
    """The consumers' edges in a compiled network and their start and end nodes (whose
    pressure difference is each consumer's differential), kept in its cache by the
    consumers' names."""
    kept = cn.cache.get("dh_consumers")
    if kept is not None and kept[0] is dh.consumers:     # (a tuple of frozen consumers)
        return kept[1]
    names = tuple(c.name for c in dh.consumers)
    got = cn.cache.get(("dh_consumer_ends", names))
    if got is None:
        cid = np.array([cn.edge_id(n) for n in names])
        got = cn.cache[("dh_consumer_ends", names)] = (cid, cn.start[cid], cn.end[cid])
    cn.cache["dh_consumers"] = (dh.consumers, got)
    return got


def _retune(net, head: float) -> bool:
    """Set the circulation-pump head of a built network in place.

    Uses :meth:`~narvik_thermal.network.Network.update`, so the compiled
    network and its kept factorisations survive (the actuators of the
    network's controls stay where the last solve left them,
    :meth:`Network.solve` writes them back); returns False (rebuild) if the
    layout is not the one :func:`add_district_heating` made.
    """
    try:
        net.update("dh_pump", head=U.quantity(head, "m"))
    except NarvikError:
        return False
    return True
