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
        … substations (sup:<name> ─ <name>:hx ─ <name>:in ─ <name> ─ ret:<name>) …
        … ret:hub ─ trunk:return ─ plant:return
    make-up water (open):  fish:intake ─ fish_farm:cold ─ fish:tank

:func:`~narvik_thermal.plant.heat_export_network.add_district_heating` builds
the district-heating side and the heat pumps into any network, given the
evaporator's inlet and outlet nodes on the source circuit;
:class:`HeatExportPlant` uses it with the open source circuit above, and
:class:`~narvik_thermal.plant.campus.Campus` (``heat_export=``
:class:`HeatExport`) with the evaporators on the facility-water return,
``fac.pump_out ─ heat_pump:evap ─ fac.hp_out ─ fjord_hx:hot ─ fac.s``, so the
fjord takes what the heat pumps leave. Both are solved by
:func:`~narvik_thermal.plant.heat_export_network.solve_regulated` (the
substations are network consumers holding their return temperatures inside
the solve; the DH pump head, unless given, by a short iteration around it)
and read by :class:`HeatExportResult`.

Modelling choices
-----------------
The district-heating side (substations, supply temperature and peak boiler,
pipe heat loss, heat pumps) is described in
:mod:`narvik_thermal.plant.heat_export_network`.

*Salmon farm.* Smolt and post-smolt RAS need make-up water at 12–14 °C
(R79, R80 [1]_) — below the data-centre return — so the farm takes heat
straight from the facility-water return through a plate heat exchanger, without a
heat pump. Its heat is :func:`~narvik_thermal.demand.salmon_farm_heat_demand`.

References
----------
.. [1] narvik-facts §4 (R60: 3rd-generation networks 70–130 °C, 4th-generation
   55–70 °C; R61: Statkraft Varme expects 45 K cooling; defaults 85/45 °C),
   §5 (Drammen heat pumps, R39, R40, R62), §6 (greenhouse R73–R78, salmon
   R79–R82), §8 (CO2 factors R96–R101), §9 (85 °C from chips below 55 °C).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import units as U
from ..correlations.hx import NTU_from_effectiveness
from ..demand import salmon_farm_heat_demand
from ..errors import InputError, require_type, user_api
from ..units import Q_
from . import defaults as D
from . import sizing
from .district_heating import (PIPE_SERIES_1, Consumer, DistrictHeatingNetwork, PipeSize,
                               buried_pair_u_values, district_heating_network,
                               greenhouse_consumer, select_pipe, town_consumers)
from .heat_export_network import HeatPumpSpec, add_district_heating, solve_regulated

__all__ = [
    "PIPE_SERIES_1", "PipeSize", "select_pipe", "buried_pair_u_values",
    "Consumer", "greenhouse_consumer", "town_consumers",
    "HeatPumpSpec", "FishFarm", "DistrictHeatingNetwork", "district_heating_network",
    "HeatExportPlant", "heat_export_plant", "HeatExportResult",
    "HeatExport", "town_heat_export", "add_district_heating", "solve_regulated",
]


@user_api
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

    def __post_init__(self) -> None:
        U.to_number(self.hot_flow_ratio, "FishFarm: hot_flow_ratio", 0.0, low_open=True)
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"FishFarm: name={self.name!r} must be a non-empty string.")
        if not isinstance(self.demand_kwargs, dict):
            raise InputError(f"FishFarm: demand_kwargs={self.demand_kwargs!r} must be a dict.")
        if not U.to_si(self.production, "kg/s", "production") > 0:
            raise InputError(f"FishFarm: production={self.production} must be positive.")
        Tt = U.to_temperature(self.target_temperature, "target_temperature")
        Ti = U.to_temperature(self.intake_temperature, "intake_temperature")
        if not Tt > Ti:
            raise InputError(f"FishFarm: target_temperature={self.target_temperature} must be "
                             f"above intake_temperature={self.intake_temperature}.")

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


@user_api
@dataclass(frozen=True)
class HeatExport:
    """Heat export as part of the campus network (:class:`~narvik_thermal.plant.campus.Campus`).

    The heat-pump evaporators sit on the facility-water return, in series before
    the fjord heat exchanger, so the fjord takes what the heat pumps leave;
    their condensers heat the district-heating network ``dh`` (built by
    :func:`~narvik_thermal.plant.heat_export_network.add_district_heating`, the
    same builder as :class:`HeatExportPlant`).

    Attributes
    ----------
    dh : DistrictHeatingNetwork
        From :func:`district_heating_network`.
    heat_pumps : HeatPumpSpec
        Default ``HeatPumpSpec()`` (R717 cycle).
    tol, max_iter : float, int
        Pump-head iteration of
        :func:`~narvik_thermal.plant.heat_export_network.solve_regulated`
        (the consumers hold their return temperatures inside the solve): the
        head to a relative ``tol`` (default 1e-5, 0.5 mm of a 50 m head; the
        critical substation is never left short of its minimum differential).

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
    tol: float = 1e-5
    max_iter: int = 40

    def __post_init__(self) -> None:
        if not isinstance(self.dh, DistrictHeatingNetwork):
            raise InputError("HeatExport: dh= must be a DistrictHeatingNetwork "
                             "(district_heating_network([...]).")
        if not isinstance(self.heat_pumps, HeatPumpSpec):
            raise InputError("HeatExport: heat_pumps= must be a HeatPumpSpec.")


@user_api
def town_heat_export(demand: Any, *, substations: int = 10, trunk_length: Any = "5 km",
                     supply_temperature: Any = "85 degC", return_temperature: Any = "45 degC",
                     pressure_rating: Any = D.DH_PRESSURE_RATING.value,
                     heat_pumps: HeatPumpSpec | None = None) -> HeatExport:
    """A campus's heat export to a town: heat pumps feeding a district-heating network of
    ``substations`` equal substations taking ``demand`` in all.

    The network of the demo, the ``narvik-thermal annual --heat-export`` command and
    the benchmarks: :func:`town_consumers` on :func:`district_heating_network`
    with a buried transmission line of ``trunk_length`` (pipes sized for the design
    flow), ``heat_pumps`` default ``HeatPumpSpec()`` (R717).

    Parameters
    ----------
    demand : pint.Quantity
        The town's design demand [power].
    substations : int, optional
        Number of equal substations (default 10).
    trunk_length, supply_temperature, return_temperature, pressure_rating : optional
        As in :func:`district_heating_network` (default 5 km, 85 °C, 45 °C, PN16;
        a long transmission line may need PN25).
    heat_pumps : HeatPumpSpec, optional

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> he = nt.plant.town_heat_export(nt.Q_(15, "MW"))
    >>> len(he.dh.consumers), he.heat_pumps.refrigerant
    (10, 'R717')
    """
    town = town_consumers(demand, substations)
    dh = district_heating_network(town, supply_temperature=supply_temperature,
                                  return_temperature=return_temperature,
                                  trunk_length=trunk_length, pressure_rating=pressure_rating)
    return HeatExport(dh=dh, heat_pumps=heat_pumps if heat_pumps is not None
                      else HeatPumpSpec())


@user_api
@dataclass(frozen=True)
class HeatExportPlant:
    """District heating fed by heat pumps on the data-centre facility-water return.

    Build with :func:`heat_export_plant`, or as ``HeatExportPlant(dh=dh)`` for the
    district-heating network alone (the boiler its only heat source).
    :meth:`build` gives the :class:`Network`; :meth:`solve` solves it and
    returns a :class:`HeatExportResult`.

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
    source_temperature_drop : float
        Design cooling of the facility water in the evaporators [K] (default
        10 K): the heat pumps' configuration is chosen between the source at
        ``source_temperature`` → ``source_temperature − source_temperature_drop``
        and the DH design return → supply (:meth:`heat_pump_design`).
    """

    dh: DistrictHeatingNetwork
    source_temperature: float | None = None
    source_flow: float | None = None
    heat_pumps: HeatPumpSpec | None = None
    fish_farm: FishFarm | None = None
    source_fluid: Any = None
    source_temperature_drop: float = 10.0

    def heat_pump_design(self) -> tuple[HeatPumpSpec | None, Any]:
        """The heat pumps as built: the spec with stages and units in series fixed at
        the design temperatures, and the chosen
        :class:`~narvik_thermal.correlations.heat_pump.HeatPumpConfiguration`
        (None for the fraction models); (None, None) without heat pumps."""
        if self.heat_pumps is None or self.source_temperature is None:
            return None, None
        T = self.source_temperature
        return self.heat_pumps.resolved(T, T - self.source_temperature_drop,
                                        self.dh.return_temperature, self.dh.supply_temperature)

    # ------------------------------------------------------------- build
    def build(self, pump_head: float | None = None):
        """Assemble the :class:`~narvik_thermal.network.Network`.

        The district-heating side and the heat pumps come from
        :func:`~narvik_thermal.plant.heat_export_network.add_district_heating`
        (the one builder, also used by
        :class:`~narvik_thermal.plant.campus.Campus` to put them on its
        facility-water return); here the evaporators sit between the source
        nodes ``src:in`` and ``src:out`` of an open facility-water circuit.

        Parameters
        ----------
        pump_head : float, optional
            Circulation pump head [m]; default the network's or 60 m.
        """
        from ..network import Network
        net = Network("heat-export")
        hp = self.heat_pumps if self.source_temperature is not None else None
        T = self.source_temperature
        add_district_heating(net, self.dh, heat_pumps=hp,
                             evaporator=("src:in", "src:out") if hp is not None else None,
                             pump_head=pump_head,
                             design_source=None if hp is None else
                             (T, T - self.source_temperature_drop),
                             performance="cycle")      # a design solve: the cycle itself
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
            # a plate exchanger whose UA follows both flows from this design point
            # (stainless plates, no fouling allowance: the clean-water CDU values)
            Ti = U.to_temperature(ff.intake_temperature, "intake_temperature")
            Tt = U.to_temperature(ff.target_temperature, "target_temperature")
            film = sizing.plate_film_share(
                hot_fluid=self.source_fluid or w, cold_fluid=w, hot_temperature=Tsrc,
                cold_temperature=Q_(0.5 * (Ti + Tt), "K"), hot_flow=Q_(m_hot, "kg/s"),
                cold_flow=Q_(m_mu, "kg/s"))
            wall = sizing.plate_wall_share(u=D.PHE_U_CLEAN.value,
                                           plate_conductivity=D.STAINLESS_CONDUCTIVITY.value,
                                           fouling=Q_(0.0, "m^2*K/W"))
            net.add_heat_exchanger(ff.name, hot=("fish:hot_in", "src:out"),
                                   cold=("fish:intake", "fish:tank"),
                                   ua=Q_(self._fish_ua(w, m_mu, m_hot), "W/K"),
                                   design_flows=(Q_(m_hot, "kg/s"), Q_(m_mu, "kg/s")),
                                   hot_film_share=film, wall_share=wall)
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
              **solver_kwargs: Any) -> "HeatExportResult":
        """Solve the plant (:func:`~narvik_thermal.plant.heat_export_network.solve_regulated`).

        The substations (network consumers) and the heat pumps are solved
        inside :meth:`Network.solve`; without a given ``pump_head`` the DH pump
        head that leaves ``valve_pressure_drop`` over the critical substation is
        found by a short iteration around it.

        Parameters
        ----------
        tol : float, optional
            Relative accuracy of the pump head (the critical substation is never
            left short of ``valve_pressure_drop``).
        max_iter : int, optional
            Network solves allowed.
        **solver_kwargs
            Passed to :meth:`Network.solve` (``SolverOptions`` fields).

        Raises
        ------
        ConvergenceError
            The pump-head iteration did not settle within ``max_iter`` solves.
        """
        dh = self.dh
        net = self.build(dh.pump_head or 60.0)
        res, it, head, _ = solve_regulated(
            net, dh, rebuild=lambda head: self.build(head), tol=tol, max_iter=max_iter,
            **solver_kwargs)
        spec, conf = self.heat_pump_design()
        return HeatExportResult(self, res, it, head, heat_pumps=spec, configuration=conf)


@user_api
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
        Facility-water ΔT for ``source_heat``, default 10 K (narvik-facts
        defaults); also the design cooling in the evaporators at which the heat
        pumps' configuration is chosen.
    heat_pumps : HeatPumpSpec, optional
        Default ``HeatPumpSpec()`` (R717 cycle, configuration chosen within the
        compressor limits at the design temperatures, no capacity limit).
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
    >>> round(r.heat_pump["cop"].m, 2), round(abs(r.boiler_heat.m_as("MW")), 6)  # ±2e-9 W
    (3.42, 0.0)
    """
    from ..fluids import Fluid, water
    sf = water() if source_fluid is None else require_type(
        source_fluid, Fluid, "heat_export_plant: source_fluid", "a fluid such as nt.fluids.water()")
    require_type(dh, DistrictHeatingNetwork, "heat_export_plant: dh",
                 "a DistrictHeatingNetwork (nt.plant.district_heating_network([...]))")
    if heat_pumps is not None:
        require_type(heat_pumps, HeatPumpSpec, "heat_export_plant: heat_pumps",
                     "a nt.plant.HeatPumpSpec(...)")
    if greenhouse is not None:
        require_type(greenhouse, Consumer, "heat_export_plant: greenhouse",
                     "a Consumer (nt.plant.greenhouse_consumer(...))")
    if fish_farm is not None:
        require_type(fish_farm, FishFarm, "heat_export_plant: fish_farm", "a nt.plant.FishFarm(...)")
    T_src = U.to_temperature(source_return_temperature, "source_return_temperature")
    if (source_flow is None) == (source_heat is None):
        raise InputError("heat_export_plant: give exactly one of source_flow= (facility-water "
                         "flow) or source_heat= (data-centre heat, with source_temperature_drop).")
    if source_flow is not None:
        mag, kind = U.to_flow(source_flow, "source_flow")
        m = float(mag) * (1.0 if kind == "mass" else float(sf.density_pT(np.array([T_src]))[0]))
    dT = U.to_temperature_difference(source_temperature_drop, "source_temperature_drop")
    if not dT > 0:
        raise InputError(f"source_temperature_drop={source_temperature_drop} must be > 0.")
    if source_flow is None:
        q = U.to_si(source_heat, "W", "source_heat")
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
                           source_fluid=sf, source_temperature_drop=float(dT))


def _relayout(dh: DistrictHeatingNetwork) -> DistrictHeatingNetwork:
    """Lay out again after adding consumers, with the original arguments."""
    return district_heating_network(dh.consumers, **dh.layout)


@user_api
class HeatExportResult:
    """A solved :class:`HeatExportPlant`, read as a heat-export report.

    Attributes
    ----------
    plant : HeatExportPlant
    network_result : narvik_thermal.network.Result
        The solved network (every edge and node).
    iterations : int
        Network solves of :meth:`HeatExportPlant.solve` (pump-head iterations;
        1 with a given ``pump_head``).
    pump_head : pint.Quantity
        Head of the DH circulation pump [m].

    Notes
    -----
    Heat flows are positive in the direction named (heat delivered to a
    consumer, heat lost by pipes, heat of the boiler into the water).
    """

    def __init__(self, plant: "HeatExportPlant | HeatExport", res, iterations: int, head: float,
                 *, evaporator_inlet: str = "src:in", heat_pumps: HeatPumpSpec | None = None,
                 configuration: Any = None) -> None:
        self.plant = plant
        self.network_result = res
        self.iterations = iterations
        self.pump_head = U.quantity(head, "m")
        self.dh = plant.dh
        src = getattr(plant, "source_temperature", None) is not None or isinstance(plant, HeatExport)
        #: heat pumps and fish farm present in the network (None if not built); the
        #: heat pumps as built (stages and units in series fixed)
        self.heat_pumps = (heat_pumps or plant.heat_pumps) if src else None
        #: the heat pumps' configuration chosen (or evaluated) at the design
        #: temperatures (HeatPumpConfiguration; None for the fraction models)
        self.configuration = configuration if src else None
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
        (evaporator), ``heat_sink`` (condenser), ``capacity_limited``, ``mode``,
        ``part_load_ratio``, ``source_limited`` (held by the freeze protection of
        the evaporator), ``discharge_temperature``, ``condensing_pressure`` and
        the limits (``Result.heat_pump``); None without heat pumps."""
        hp = self.heat_pumps
        if hp is None:
            return None
        d = self.network_result.heat_pump(hp.name)
        out = dict(d, cop=d["cop"].to("dimensionless"),
                   electric_power=d["electric_power"].to("MW"),
                   heat_source=d["heat_source"].to("MW"),
                   heat_sink=d["heat_sink"].to("MW"),
                   capacity_limited=d["mode"] == "capacity" and not d.get("source_limited"),
                   mode=d["mode"])
        return out

    @property
    def heat_pump_description(self) -> str | None:
        """The heat pump actually built and how it runs, in words: refrigerant, stages,
        units in series and in parallel, capacity, COP at design and as solved,
        discharge temperature and condensing pressure with their limits and margins."""
        hp = self.heat_pumps
        if hp is None:
            return None
        d = self.heat_pump
        text = hp.describe(self.configuration)
        run = f"; as solved COP {d['cop'].m:.3f}"
        if np.isfinite(hp.total_capacity):
            run += f" at part load {d['part_load_ratio'].m:.2f}"
        T_d = d["discharge_temperature"].m_as("degC")
        if np.isfinite(T_d):
            T_max = d["max_discharge_temperature"].m_as("degC")
            p_c = d["condensing_pressure"].m_as("bar")
            p_max = d["max_condensing_pressure"].m_as("bar")
            run += (f", discharge {T_d:.0f} °C (margin {T_max - T_d:.0f} K), condensing "
                    f"{p_c:.1f} bar (margin {p_max - p_c:.1f} bar)")
        if d["source_limited"]:
            run += (f"; held by its source (outlet ≥ {d['min_source_outlet'].m_as('degC'):.1f} °C, "
                    "freeze protection)")
        return text + run

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
            condenser_approach=hp.condenser_approach,
            isentropic_efficiency=hp.isentropic_efficiency, stages=hp.stages or 1,
            n_series=hp.n_series or 1)

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
            lines.append(f"    {self.heat_pump_description}")
        lines.append(f"  boiler: {U.fixed(self.boiler_heat.m_as('MW'), 3)} MW; DH pump "
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
                f"{U.fixed(self.boiler_heat.m_as('MW'), 3)} MW>")
