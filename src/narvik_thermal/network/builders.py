"""The ``add_<kind>`` calls of :class:`~narvik_thermal.network.Network`, one per edge
component kind, each with its plural form.

Each makes a component of :mod:`narvik_thermal.components` from Quantities
(``<Kind>.from_quantities``, which validates) and hands it to
:meth:`Network.add <narvik_thermal.network.Network.add>`; the pressure-reducing
and pressure-sustaining valves also add the control loop that holds their
pressure (:class:`~narvik_thermal.network.controls.Control`), validated with
the valves before either is added.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..components import (ColdPlates, Consumers, HeatExchangers, HeatLoads, HeatPumps, Pipes,
                          PressureBreakers, Pumps, SetPoints, Valves)
from ..components.base import as_names, broadcast
from ..components.cold_plate import DEFAULT_PRESSURE_EXPONENT
from ..errors import InputError, TopologyError, user_api
from .controls import Control

__all__ = ["EdgeBuilders", "REGULATOR_RANGEABILITY"]

#: Rangeability Kvs/Kv0 of a pressure-regulating valve when none is given [-]:
#: an ideal regulator (EPANET's PRV and PSV regulate down to any flow); a real
#: one's (30–100) shows where it can no longer regulate at small flows.
REGULATOR_RANGEABILITY = 1e6


def _pairs(value: Any, n: int, name: str) -> list:
    """``n`` (inlet, outlet) pairs from one pair or a sequence of pairs."""
    if isinstance(value, str):      # "ab" is not the pair ("a", "b")
        raise InputError(f"{name}={value!r} must be a pair (inlet node, outlet node), e.g. "
                         f"{name}=('{value}', '{value}_out'), or one pair per component ({n}).")
    try:
        if len(value) == 2 and isinstance(value[0], str):
            return [tuple(value)] * n
        out = [tuple(v) for v in value if not isinstance(v, str)]
        if len(out) != len(value):
            bad = next(v for v in value if isinstance(v, str))
            raise InputError(f"{name}={bad!r} must be a pair (inlet node, outlet node), e.g. "
                             f"{name}=('{bad}', '{bad}_out'), or one pair per component ({n}).")
    except TypeError:
        out = []
    if len(out) != n or any(len(v) != 2 for v in out):
        raise InputError(f"{name} must be a pair (inlet node, outlet node), or one pair per "
                         f"component ({n}).")
    return out


@user_api
class EdgeBuilders:
    """The ``add_<kind>`` methods of a network (a mixin of
    :class:`~narvik_thermal.network.Network`, which provides ``add``)."""

    # -------------------------------------------------------------- edges
    def add_pipe(self, name: str, start: str, end: str, *, length: Any, diameter: Any,
                 roughness: Any = "0.045 mm", minor_loss: Any = 0.0, friction: str = "churchill",
                 u_value: Any = None, ambient: Any = None, outer_diameter: Any = None,
                 u_value_area: str = "inner", count: Any = 1) -> None:
        """Add a pipe (Darcy–Weisbach, a selectable friction law, optional heat loss).

        Parameters
        ----------
        name, start, end : str
            Edge name and its start and end nodes (positive flow start → end).
        length : Quantity
            Pipe length [length], > 0.
        diameter : Quantity
            Inner diameter [length], > 0.
        roughness : Quantity, optional
            Absolute wall roughness [length] (default 0.045 mm, commercial steel,
            Moody 1944; drawn stainless or PE is 0.0015–0.007 mm).
        minor_loss : float, optional
            Sum of loss coefficients K of fittings, referred to the pipe velocity [-].
        friction : {"churchill", "colebrook", "swamee_jain", "haaland"}, optional
            Friction law (:func:`narvik_thermal.correlations.friction.friction_all_regimes`):
            Churchill (default, all regimes); the others with the laminar law below
            Re 2000 and Dunlop's transition (as EPANET) — ``"swamee_jain"`` reproduces
            EPANET's Darcy–Weisbach, ``"colebrook"`` pandapipes' Colebrook.
        u_value : Quantity, optional
            Heat-loss coefficient to the surroundings: per metre of pipe
            [W/(m·K)] (as the buried-pipe model gives) or per m² of wall
            [W/(m²·K)], the wall named by ``u_value_area``. Requires ``ambient``.
        ambient : Quantity, optional
            Temperature of the surroundings (absolute).
        outer_diameter : Quantity, optional
            Outer diameter [length] (the reference of a u-value per m² of outer wall).
        u_value_area : {"inner", "outer"}, optional
            Which wall a ``u_value`` per m² refers to: the inner wall (default) or the
            outer wall (pandapipes' convention; needs ``outer_diameter``). The same
            number gives ``D_outer/D_inner`` times more loss on the outer wall.
        count : int, optional
            Number of identical pipes in parallel this edge stands for.
        """
        self.add_pipes([name], [start], [end], length=length, diameter=diameter,
                       roughness=roughness, minor_loss=minor_loss, friction=friction,
                       u_value=u_value, ambient=ambient, outer_diameter=outer_diameter,
                       u_value_area=u_value_area, count=count)

    def add_pipes(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                  **kwargs: Any) -> None:
        """Plural form of :meth:`add_pipe`: equal-length arrays (or scalars) per argument."""
        self.add(Pipes.from_quantities(names, **kwargs), starts, ends)

    def add_pump(self, name: str, start: str, end: str, *, curve: Any = None,
                 flow: Any = None, head: Any = None, power: Any = None,
                 shutoff_head: Any = None, speed: Any = 1.0,
                 efficiency: Any = None, motor_efficiency: Any = 0.95,
                 heat_to_fluid: bool = True, count: Any = 1) -> None:
        """Add a pump: a head–flow curve, an ideal pump of fixed flow or head, or a
        pump of constant hydraulic power.

        Parameters
        ----------
        name, start, end : str
            Edge name; the pump lifts pressure from ``start`` to ``end``.
        curve : (Quantity, Quantity), optional
            Flows [volume/time] and heads [length] (or pressure rises) of the
            rated curve at speed ratio 1. See
            :func:`narvik_thermal.components.pump.fit_quadratic_curve`.
        flow : Quantity, optional
            Ideal pump imposing this mass or volume flow (per pump) at speed 1.
        head : Quantity, optional
            Ideal pump imposing this head [length] or pressure rise [pressure] at speed 1.
        power : Quantity, optional
            Pump of constant hydraulic power P [power] at speed 1 (per pump):
            its rise is P/Q, its head P/(ρ g Q), at every flow Q above a small
            one (EPANET's constant-power pump; P is the power given to the
            fluid, not the shaft's). See
            :func:`narvik_thermal.components.pump.power_pump_rise`.
        shutoff_head : Quantity, optional
            Only with ``power``: the head [length] (or pressure rise) at zero flow,
            where P/(ρ g Q) would be unbounded (default 1000 m,
            :data:`~narvik_thermal.components.pump.DEFAULT_SHUTOFF_HEAD`). Below the
            flow at which P/(ρ g Q) is half of it the head follows the tangent
            of the hyperbola up to it; above, the power is delivered exactly.
        speed : float, optional
            Speed ratio n/n_rated [-]; the affinity laws scale every kind (flow ∝ n,
            rise ∝ n², power ∝ n³). 0 is a stopped pump (a trip, a standby unit) for
            curve and fixed-flow pumps: a curve pump then resists flow in either
            direction (no check valve), a fixed-flow pump passes nothing.
        efficiency : float, optional
            Pump (hydraulic) efficiency for shaft power, 0 < η ≤ 1 [-]. Without
            it, shaft power is not reported.
        motor_efficiency : float, optional
            Motor and drive efficiency for electrical power [-] (default 0.95 [GEK]).
        heat_to_fluid : bool, optional
            Whether the pump's hydraulic power ends up as heat in the fluid
            (it does, through friction, in a closed loop). Default True.
        count : int, optional
            Identical pumps in parallel (duty pumps; a standby pump of an N+1 set
            is not counted).
        """
        self.add_pumps([name], [start], [end], curve=curve, flow=flow, head=head, power=power,
                       shutoff_head=shutoff_head, speed=speed, efficiency=efficiency, motor_efficiency=motor_efficiency,
                       heat_to_fluid=heat_to_fluid, count=count)

    def add_pumps(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                  **kwargs: Any) -> None:
        """Plural form of :meth:`add_pump` (one kind — curve, flow, head or power — per
        call)."""
        self.add(Pumps.from_quantities(names, **kwargs), starts, ends)

    def add_valve(self, name: str, start: str, end: str, *, kvs: Any, opening: Any = 1.0,
                  characteristic: str = "linear", rangeability: Any = 50.0,
                  check: bool = False, count: Any = 1) -> None:
        """Add a control valve (Kv law with an opening characteristic) or a check valve.

        Parameters
        ----------
        kvs : Quantity
            Flow coefficient at full opening, given as the flow of water in
            m³/h at 1 bar pressure drop (pass e.g. ``Q_(40, "m^3/h")``).
        opening : float
            Relative travel 0…1 [-]. Over (0, 1] the characteristic of
            :func:`narvik_thermal.correlations.minor_loss.valve_Kv` applies (``Kvs/R``
            at the closed end of the control range); 0 is tight shut-off: a linear
            back-resistance of 1e10 Pa·s/kg, a leakage of 1e-5 kg/s per bar.
        characteristic : {"linear", "equal_percentage", "quick_opening"}
            Inherent characteristic.
        rangeability : float
            R = Kvs/Kv0 [-] (> 1; default 50).
        check : bool
            True makes it a check valve: it blocks flow from end to start.
        """
        self.add_valves([name], [start], [end], kvs=kvs, opening=opening,
                        characteristic=characteristic, rangeability=rangeability, check=check,
                        count=count)

    def add_valves(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                   **kwargs: Any) -> None:
        """Plural form of :meth:`add_valve`."""
        self.add(Valves.from_quantities(names, **kwargs), starts, ends)

    def add_pressure_reducing_valve(self, name: str, start: str, end: str, *, setting: Any,
                                    kvs: Any, characteristic: str = "equal_percentage",
                                    rangeability: Any = REGULATOR_RANGEABILITY,
                                    count: Any = 1) -> None:
        """Add a pressure-reducing valve (PRV): it throttles so that the pressure at
        its outlet ``end`` is at most ``setting``.

        A Kv valve with a check valve (:meth:`add_valve` with ``check=True``:
        it closes on reverse flow, as EPANET's PRV) and a control loop of the
        same name (:meth:`add_control`: actuator ``("valve_opening", name)``,
        target ``("pressure", end)``, ``sense="at_most"``, bounds 0…1), solved
        with every solve. Its three states are EPANET's: active (outlet at the
        setting), fully open when the inlet side cannot reach the setting
        (met: the setting is an upper limit), and shut when the outlet is
        above the setting even so (reported ``met=False`` and flagged
        ``setpoint_not_met``: the outlet is over-pressured from elsewhere).
        District-heating substations use it on the supply side.

        Parameters
        ----------
        name, start, end : str
            Valve (and control) name; flow runs from ``start`` to ``end``.
        setting : Quantity
            Absolute pressure held at ``end`` [pressure] (``result.controls[name]``).
        kvs : Quantity
            Flow coefficient fully open [m³/h at 1 bar] (its loss when it cannot
            regulate).
        characteristic, rangeability : optional
            Trim of the valve (:meth:`add_valve`); default equal-percentage with
            rangeability 1e6 (:data:`REGULATOR_RANGEABILITY`, an ideal regulator).
        count : int, optional
            Identical valves in parallel.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> Q_ = nt.Q_
        >>> net = nt.Network("prv", fluid=nt.fluids.water())
        >>> net.add_pressure_boundary("a", pressure=Q_(8, "bar"), temperature=Q_(20, "degC"))
        >>> net.add_pressure_reducing_valve("prv", "a", "b", setting=Q_(3, "bar"),
        ...                                 kvs=Q_(40, "m^3/h"))
        >>> net.add_pipe("pipe", "b", "c", length=Q_(100, "m"), diameter=Q_(50, "mm"))
        >>> net.add_flow_boundary("c", mass_flow=Q_(-2, "kg/s"), temperature=Q_(20, "degC"))
        >>> r = net.solve()
        >>> round(r.controls["prv"]["target"].to("bar").magnitude, 6)
        3.0
        """
        self.add_pressure_reducing_valves([name], [start], [end], setting=setting, kvs=kvs,
                                          characteristic=characteristic,
                                          rangeability=rangeability, count=count)

    def add_pressure_reducing_valves(self, names: Sequence[str], starts: Sequence[str],
                                     ends: Sequence[str], *, setting: Any, kvs: Any,
                                     characteristic: str = "equal_percentage",
                                     rangeability: Any = REGULATOR_RANGEABILITY,
                                     count: Any = 1) -> None:
        """Plural form of :meth:`add_pressure_reducing_valve` (valves and controls
        validated together before any is added)."""
        self._add_regulators(names, starts, ends, "reducing", setting, kvs=kvs,
                             characteristic=characteristic, rangeability=rangeability,
                             count=count)

    def add_pressure_sustaining_valve(self, name: str, start: str, end: str, *, setting: Any,
                                      kvs: Any, characteristic: str = "equal_percentage",
                                      rangeability: Any = REGULATOR_RANGEABILITY,
                                      count: Any = 1) -> None:
        """Add a pressure-sustaining valve (PSV): it throttles so that the pressure at
        its inlet ``start`` is at least ``setting``.

        As :meth:`add_pressure_reducing_valve`, with the control holding
        ``("pressure", start)`` with ``sense="at_least"``: fully open when the
        inlet stays above the setting anyway, shut when the inlet is below it
        even so (reported ``met=False``).
        """
        self.add_pressure_sustaining_valves([name], [start], [end], setting=setting, kvs=kvs,
                                            characteristic=characteristic,
                                            rangeability=rangeability, count=count)

    def add_pressure_sustaining_valves(self, names: Sequence[str], starts: Sequence[str],
                                       ends: Sequence[str], *, setting: Any, kvs: Any,
                                       characteristic: str = "equal_percentage",
                                       rangeability: Any = REGULATOR_RANGEABILITY,
                                       count: Any = 1) -> None:
        """Plural form of :meth:`add_pressure_sustaining_valve`."""
        self._add_regulators(names, starts, ends, "sustaining", setting, kvs=kvs,
                             characteristic=characteristic, rangeability=rangeability,
                             count=count)

    def _add_regulators(self, names, starts, ends, kind, setting, **valve) -> None:
        names = as_names(names)
        n = len(names)
        comp = Valves.from_quantities(names, check=True, **valve)
        what = f"pressure-{kind} valve {names[0]!r}"
        sp = broadcast(U.to_si(setting, "Pa", "setting"), n, "setting")
        bad = ~(sp > 0)
        if np.any(bad):
            k = int(np.flatnonzero(bad)[0])
            raise InputError(f"{what}: setting={sp[k]:.6g} Pa for {names[k]!r} must be a "
                             "positive absolute pressure; give the pressure the valve holds, "
                             "e.g. Q_(3, 'bar').")
        starts = as_names(starts, "start nodes")
        ends = as_names(ends, "end nodes")
        nodes = ends if kind == "reducing" else starts
        if len(nodes) == 1:
            nodes = nodes * n
        if len(nodes) != n:
            raise InputError(f"{n} valves and {len(nodes)} {'end' if kind == 'reducing' else 'start'}"
                             " nodes were given; give one start and one end node per valve.")
        sense = "at_most" if kind == "reducing" else "at_least"
        controls = [Control.from_quantities(nm, actuator=("valve_opening", nm),
                                            target=("pressure", node),
                                            setpoint=U.Q_(float(p), "Pa"), bounds=(0.0, 1.0),
                                            sense=sense)
                    for nm, node, p in zip(names, nodes, sp)]
        have = {c.name for c in self.controls}
        dup = next((nm for nm in names if nm in have), None)
        if dup is not None:
            raise TopologyError(f"duplicate control name {dup!r}: a pressure-{kind} valve "
                                "adds a control of its own name; rename the valve or the "
                                "control.")
        self.add(comp, starts, ends)           # refuses duplicate edges before any change
        for c in controls:
            self.add_control_loop(c)

    def add_pressure_breaker_valve(self, name: str, start: str, end: str, *, drop: Any,
                                   count: Any = 1) -> None:
        """Add a pressure-breaker valve (PBV): a fixed pressure drop from ``start`` to
        ``end`` at any flow, in either direction (EPANET's active PBV).

        Parameters
        ----------
        drop : Quantity
            Pressure drop [pressure] or head drop [length], > 0 (updatable).
        count : int, optional
            Identical valves in parallel.
        """
        self.add_pressure_breaker_valves([name], [start], [end], drop=drop, count=count)

    def add_pressure_breaker_valves(self, names: Sequence[str], starts: Sequence[str],
                                    ends: Sequence[str], **kwargs: Any) -> None:
        """Plural form of :meth:`add_pressure_breaker_valve`."""
        self.add(PressureBreakers.from_quantities(names, **kwargs), starts, ends)

    def add_cold_plate(self, name: str, start: str, end: str, *, heat: Any,
                       thermal_resistance: Any, rated_flow: Any, rated_pressure_drop: Any,
                       pressure_exponent: Any = DEFAULT_PRESSURE_EXPONENT,
                       convective_fraction: Any = None, resistance_exponent: Any = None,
                       max_chip_temperature: Any = None, count: Any = 1, **kwargs: Any) -> None:
        """Add a GPU/CPU cold plate: heat input, rated pressure drop, chip temperature.

        See :meth:`add_cold_plates` for the parameters.

        Examples
        --------
        A rated point, or the datasheet curve (case-to-inlet resistance against
        flow; here the OCP OAI guidelines' 1 kW OAM plate in PG25, Fig. 7):

        >>> import narvik_thermal as nt
        >>> Q_ = nt.Q_
        >>> net = nt.Network("plates", fluid=nt.fluids.propylene_glycol(0.25))
        >>> net.add_cold_plate("gpu0", "s", "r", heat=Q_(1.4, "kW"),
        ...                    thermal_resistance=Q_(0.025, "K/W"),
        ...                    rated_flow=Q_(1.8, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
        >>> net.add_cold_plate("oam", "s", "r", heat=Q_(1.0, "kW"),
        ...                    thermal_resistance=(Q_([0.4, 1.0, 1.6, 2.4], "L/min"),
        ...                                        Q_([0.0389, 0.0245, 0.0214, 0.0197], "K/W")),
        ...                    rated_flow=Q_(1.5, "L/min"), rated_pressure_drop=Q_(20, "kPa"))
        """
        self.add_cold_plates([name], [start], [end], heat=heat,
                             thermal_resistance=thermal_resistance, rated_flow=rated_flow,
                             rated_pressure_drop=rated_pressure_drop,
                             pressure_exponent=pressure_exponent,
                             convective_fraction=convective_fraction,
                             resistance_exponent=resistance_exponent,
                             max_chip_temperature=max_chip_temperature, count=count, **kwargs)

    def add_cold_plates(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                        **kwargs: Any) -> None:
        r"""Add cold plates (plural form; arrays or scalars per argument).

        Parameters
        ----------
        heat : Quantity
            Heat from the chip into the coolant per plate [power], ≥ 0.
        thermal_resistance : Quantity or (Quantity, Quantity)
            Case-to-coolant-inlet resistance [K/W], as datasheets quote it:
            at the rated flow (one value, or one per plate; GB200 target
            < 0.03 K/W, narvik-facts R22), or a datasheet curve
            ``(flows, resistances)`` — at least 3 points, flows increasing
            (mass or volume, the kind of ``rated_flow``), one curve shared by
            the plates of the call. A curve is fitted once by least squares to
            :math:`R = R_\mathrm{cond} + R_\mathrm{conv}(V_\mathrm{rated}/V)^n`
            (:func:`narvik_thermal.correlations.cold_plate.fit_thermal_resistance_curve`),
            which extends it beyond its points: the fitted power law below the
            first point, towards the conduction limit :math:`R_\mathrm{cond}`
            above the last. A fit deviating more than 5 % from the points
            (:data:`~narvik_thermal.components.cold_plate.CURVE_FIT_TOLERANCE`)
            warns.
        rated_flow : Quantity
            Flow at which the resistance and pressure drop are rated (mass or volume).
        rated_pressure_drop : Quantity
            Pressure drop at the rated flow [pressure] (GB200 target ≤ 20 kPa, R22).
        pressure_exponent : float
            n in Δp ∝ Vⁿ [-] (default 1.8,
            :data:`narvik_thermal.components.cold_plate.DEFAULT_PRESSURE_EXPONENT`).
        convective_fraction : float, optional
            Share of the rated resistance that is convective and falls with flow [-]
            (default 0.5 [GEK]); rated-point form only (a curve fixes it).
        resistance_exponent : float, optional
            Exponent of the convective part, R_conv ∝ V^-n [-] (default 0.6 [GEK]);
            rated-point form only.
        max_chip_temperature : Quantity, optional
            Chip limit; a solved chip above it is flagged.
        volume, metal_heat_capacity : Quantity, optional
            Coolant volume [m³] and metal heat capacity [J/K] of one plate, for
            transients (defaults 40 mL and 115 J/K [GEK]).
        count : int
            Identical plates in parallel this edge stands for.

        Notes
        -----
        Chip temperature = coolant temperature at the plate inlet + heat × R(V)
        (:func:`narvik_thermal.correlations.cold_plate.chip_temperature`,
        :func:`~narvik_thermal.correlations.cold_plate.thermal_resistance_flow`).
        """
        self.add(ColdPlates.from_quantities(names, **kwargs), starts, ends)

    def add_heat_load(self, name: str, start: str, end: str, *, heat: Any,
                      pressure_drop: Any = None, rated_flow: Any = None,
                      pressure_exponent: Any = 2.0, count: Any = 1, **kwargs: Any) -> None:
        """Add a heat load: heat into (+) or out of (−) the fluid.

        Parameters
        ----------
        heat : Quantity
            Heat added to the fluid per unit [power]; negative removes heat.
        pressure_drop, rated_flow : Quantity, optional
            Rated pressure drop and the flow at which it holds; without them the
            load has no pressure drop.
        volume : Quantity, optional
            Fluid volume of one unit (transients).
        """
        self.add_heat_loads([name], [start], [end], heat=heat, pressure_drop=pressure_drop,
                            rated_flow=rated_flow, pressure_exponent=pressure_exponent,
                            count=count, **kwargs)

    def add_heat_loads(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                       **kwargs: Any) -> None:
        """Plural form of :meth:`add_heat_load`."""
        self.add(HeatLoads.from_quantities(names, **kwargs), starts, ends)

    def add_setpoint(self, name: str, start: str, end: str, *, outlet_temperature: Any,
                     pressure_drop: Any = None, rated_flow: Any = None,
                     pressure_exponent: Any = 2.0, count: Any = 1, **kwargs: Any) -> None:
        """Add an ideal heater/cooler that holds its outlet temperature.

        The heat it takes or gives is a result (``result.heat_flow(name)``).
        Typical uses: an ideal chiller or dry cooler in a sizing study, a
        district-heating supply held by its plant.

        Parameters
        ----------
        outlet_temperature : Quantity
            Outlet temperature held (absolute).
        pressure_drop, rated_flow : Quantity, optional
            Rated pressure drop and the flow at which it holds.
        """
        self.add_setpoints([name], [start], [end], outlet_temperature=outlet_temperature,
                           pressure_drop=pressure_drop, rated_flow=rated_flow,
                           pressure_exponent=pressure_exponent, count=count, **kwargs)

    def add_setpoints(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                      **kwargs: Any) -> None:
        """Plural form of :meth:`add_setpoint`."""
        self.add(SetPoints.from_quantities(names, **kwargs), starts, ends)

    def add_heat_exchanger(self, name: str, hot: tuple[str, str], cold: tuple[str, str], *,
                           ua: Any = None, effectiveness: Any = None,
                           arrangement: str = "counterflow", **kwargs: Any) -> None:
        """Add a heat exchanger coupling two circuits (effectiveness–NTU).

        Creates the edges ``"<name>:hot"`` (hot[0] → hot[1]) and
        ``"<name>:cold"`` (cold[0] → cold[1]). ``result.heat_flow(name)`` is the duty.

        Parameters
        ----------
        hot, cold : (str, str)
            Inlet and outlet nodes of the hot and cold sides (the "hot" side is
            the one meant to cool down; if it turns out colder, heat flows the
            other way, as physics says).
        ua : Quantity, optional
            Overall conductance U·A [power/temperature] of one exchanger.
        effectiveness : float, optional
            Given effectiveness ε instead of ``ua`` [-].
        arrangement : str
            One of ``"counterflow"``, ``"parallel"``, ``"crossflow_unmixed"``,
            ``"crossflow_cmax_mixed"``, ``"crossflow_cmin_mixed"``,
            ``"shell_and_tube_1_2"``.
        hot_pressure_drop, hot_rated_flow, cold_pressure_drop, cold_rated_flow : Quantity, optional
            Rated pressure drop of each side and the flow at which it holds;
            without them a side has no pressure drop.
        pressure_exponent : float, optional
            n in Δp ∝ Vⁿ of both sides (default 2).
        hot_volume, cold_volume, metal_heat_capacity : Quantity, optional
            Hold-up of each side [m³] and plate heat capacity [J/K] (transients).
        design_flows : (Quantity, Quantity), optional
            Hot- and cold-side flow (mass or volume) of one exchanger at which
            the UA is ``ua``. With them the UA follows the solved flows,
            :math:`1/UA = R_h (\\dot m_{h0}/\\dot m_h)^n + R_c (\\dot m_{c0}/\\dot m_c)^n + R_w`
            (:func:`~narvik_thermal.correlations.hx.ua_off_design`), exactly ``ua``
            at the design flows and falling to 0 as either side stops; without
            them (default) the UA is constant. Needs ``ua=``.
        flow_exponent : float, optional
            n in :math:`h \\propto Re^n` of both films (default 0.72: Martin's
            chevron-plate correlation, VDI Heat Atlas B6, at Re 2000–10⁴;
            :func:`~narvik_thermal.correlations.plate_hx.film_exponent_plate`).
        hot_film_share : float, optional
            Hot film's part of the two films' design resistance,
            :math:`R_h/(R_h + R_c)` (default 0.5: equal film coefficients, water
            on both sides).
        wall_share : float, optional
            Part of the design resistance :math:`1/UA` in the plate and its
            fouling, :math:`R_w\\,UA` (default 0.29: 0.5 mm titanium plate and
            seawater fouling 7×10⁻⁵ m²K/W at U = 3,125 W/m²K, narvik-facts R44–R46).
        count : int
            Identical exchangers in parallel.

        Examples
        --------
        A plate exchanger of 50 kW/K at 10 kg/s on each side; at half the cold
        flow its UA is ``ua_off_design(50e3, 1, 0.5, 0.72, 0.5, 0.29)`` = 40.7 kW/K:

        >>> import narvik_thermal as nt
        >>> Q_ = nt.Q_
        >>> net = nt.Network("hx", fluid=nt.fluids.water())
        >>> net.add_heat_exchanger("hx", hot=("h1", "h2"), cold=("c1", "c2"),
        ...     ua=Q_(50, "kW/K"), design_flows=(Q_(10, "kg/s"), Q_(10, "kg/s")))
        """
        self.add_heat_exchangers([name], [hot], [cold], ua=ua, effectiveness=effectiveness,
                                 arrangement=arrangement, **kwargs)

    def add_heat_exchangers(self, names: Sequence[str], hot: Any, cold: Any,
                            **kwargs: Any) -> None:
        """Plural form of :meth:`add_heat_exchanger`: ``hot`` and ``cold`` are one
        (inlet, outlet) pair or one pair per exchanger."""
        names = as_names(names)
        comp = HeatExchangers.from_quantities(names, **kwargs)
        h = _pairs(hot, len(names), "hot")
        c = _pairs(cold, len(names), "cold")
        self.add(comp, [p[0] for p in h] + [p[0] for p in c], [p[1] for p in h] + [p[1] for p in c])

    def add_heat_pump(self, name: str, evaporator: tuple[str, str], condenser: tuple[str, str],
                      *, supply_temperature: Any, **kwargs: Any) -> None:
        """Add a heat pump lifting heat from a source circuit to a sink circuit.

        Creates the edges ``"<name>:evap"`` (source side, evaporator[0] → [1])
        and ``"<name>:cond"`` (sink side). The condenser holds its outlet at
        ``supply_temperature`` (the district-heating supply); the evaporator takes
        ``Q_cond (1 − 1/COP)`` from the source, so condenser heat = evaporator heat
        + electric power exactly. The COP follows the solved stream temperatures
        through :func:`narvik_thermal.correlations.heat_pump.heat_pump_cop`.

        Parameters
        ----------
        evaporator, condenser : (str, str)
            Inlet and outlet nodes of the source and sink sides.
        supply_temperature : Quantity
            Condenser outlet temperature held (absolute), e.g. 85 °C.
        model : {"carnot_fraction", "lorenz_fraction", "cycle"}
            COP model (``"cycle"`` runs a vapour-compression cycle on the refrigerant).
        efficiency : float
            η of the fraction models (default 0.5, narvik-facts §5) [-].
        refrigerant : str
            CoolProp refrigerant for ``model="cycle"`` (default R717).
        evaporator_approach, condenser_approach : Quantity
            Refrigerant-to-water temperature differences (default 3 K).
        isentropic_efficiency, stages, n_series :
            Cycle parameters (see ``heat_pump_cop``).
        capacity : Quantity, optional
            Largest condenser heat of one unit [power]; above it the unit runs at
            capacity and the supply falls short of its set-point (flagged).
        min_source_outlet : Quantity, optional
            Lowest evaporator outlet temperature (freeze protection); default the
            source fluid's freezing point + 2 K [GEK] (water: 2 °C). When the
            source would leave colder, the unit's heat is limited to
            ṁ_src (h_in − h(T_min)) / (1 − 1/COP) and flagged
            (``heat_pump_limit``).
        max_discharge_temperature, max_condensing_pressure : Quantity, optional
            Compressor limits of the cycle model; default the refrigerant's entry
            of :data:`narvik_thermal.correlations.heat_pump_limits.COMPRESSOR_LIMITS`.
            A cycle beyond them is flagged (``heat_pump_limit``).
        min_modulation : float, optional
            Part-load ratio (heat over rated capacity) below which the unit cycles
            on/off and its COP follows EN 14825 (water method,
            :func:`~narvik_thermal.correlations.heat_pump.part_load_cop_modulating`);
            default 0.25 [GEK]. Only with a finite ``capacity``.
        cycling_degradation : float, optional
            EN 14825 degradation coefficient of the cycling range (default 0.9).
        performance : {"cycle", "map"}, optional
            How the cycle model is evaluated: ``"cycle"`` (default) runs the
            refrigerant cycle at every outer iteration; ``"map"`` interpolates it
            in the configuration's performance map
            (:mod:`narvik_thermal.correlations.heat_pump_map`, COP within 1e-5
            relative; the cycle outside the mapped domain).
        evaporator_pressure_drop, evaporator_rated_flow, condenser_pressure_drop, condenser_rated_flow : Quantity, optional
            Rated pressure drops of the two sides.
        count : int
            Identical units in parallel.

        Raises
        ------
        InputError
            Unknown model, a lift the refrigerant cannot do (at solve time), bad values.
        """
        self.add_heat_pumps([name], [evaporator], [condenser],
                            supply_temperature=supply_temperature, **kwargs)

    def add_heat_pumps(self, names: Sequence[str], evaporator: Any, condenser: Any,
                       **kwargs: Any) -> None:
        """Plural form of :meth:`add_heat_pump`."""
        names = as_names(names)
        comp = HeatPumps.from_quantities(names, **kwargs)
        ev = _pairs(evaporator, len(names), "evaporator")
        co = _pairs(condenser, len(names), "condenser")
        self.add(comp, [p[0] for p in ev] + [p[0] for p in co],
                 [p[1] for p in ev] + [p[1] for p in co])

    def add_consumer(self, name: str, start: str, end: str, *, heat: Any, delta_t: Any = None,
                     return_temperature: Any = None, mass_flow: Any = None,
                     **kwargs: Any) -> None:
        """Add a district-heating consumer (substation) on the primary side.

        Its control valve sets the primary flow from ``start`` (supply) to ``end``
        (return) so that the substation takes ``heat`` and holds one of
        ``delta_t`` (temperature drop), ``return_temperature`` or ``mass_flow``;
        see :mod:`narvik_thermal.components.consumer`.

        Parameters
        ----------
        heat : Quantity
            Heat demand per unit [power], ≥ 0.
        delta_t : Quantity, optional
            Temperature drop held [temperature difference].
        return_temperature : Quantity, optional
            Primary return temperature held (absolute); the flow is capped at the
            flow of ``min_temperature_drop`` (default 5 K [GEK]), and a supply too
            cold to deliver the heat is flagged (``consumer_heat_not_met``).
        mass_flow : Quantity, optional
            Fixed primary flow (mass or volume).
        min_pressure_difference : Quantity, optional
            Differential the control valve needs (default 0.3 bar [GEK]); less is
            flagged (``consumer_underpressure``).
        count : int
            Identical substations in parallel.
        """
        self.add_consumers([name], [start], [end], heat=heat, delta_t=delta_t,
                           return_temperature=return_temperature, mass_flow=mass_flow, **kwargs)

    def add_consumers(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                      **kwargs: Any) -> None:
        """Plural form of :meth:`add_consumer` (one control — delta_t, return_temperature
        or mass_flow — per call)."""
        self.add(Consumers.from_quantities(names, **kwargs), starts, ends)
