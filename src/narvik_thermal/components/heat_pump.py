"""Heat pumps lifting heat from a source circuit to a sink circuit.

Each heat pump puts two edges into the network, ``name:evap`` (source side) and
``name:cond`` (sink side). The condenser holds its outlet at the supply
temperature (up to the unit's capacity); the evaporator takes
``Q_cond (1 − 1/COP)`` from the source, so condenser heat = evaporator heat +
electric power exactly (:func:`narvik_thermal.components.thermal.heat_pump_coefficients`).
The COP follows the solved stream temperatures through
:func:`narvik_thermal.correlations.heat_pump.heat_pump_performance`
(:meth:`HeatPumps.performance`, which also gives the discharge temperature and
condensing pressure checked against the compressor limits), at part load through
:func:`narvik_thermal.correlations.heat_pump.part_load_cop_modulating`
(:meth:`HeatPumps.part_load_cop`). The evaporator may not cool its source below
``min_source_outlet`` (freeze protection): the solver then limits the unit's heat.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..correlations.heat_pump import heat_pump_performance, mapped_performance, mapped_series
from ..correlations.heat_pump_part_load import part_load_cop_modulating_unit
from ..errors import InputError, PropertyError
from .base import (Component, EdgeSide, as_names, broadcast, one_of, quantities, rated_drop,
                   rated_law, rated_params, require, require_positive, temperatures,
                   validate_rated)
from .kinds import EdgeKind, FlowBasis, HeatPumpModel, HeatPumpPerformance, ThermalLaw, enum_codes

#: codes as plain ints (an IntEnum member looked up on its class costs a call)
_CYCLE, _MAP = int(HeatPumpModel.CYCLE), int(HeatPumpPerformance.MAP)

__all__ = ["HeatPumps"]


@functools.lru_cache(maxsize=64)
def _known_refrigerant(name: Any) -> bool:
    """Whether CoolProp knows the fluid ``name`` (its critical temperature)."""
    if not isinstance(name, str) or not name:
        return False
    try:
        from CoolProp.CoolProp import PropsSI
        return bool(np.isfinite(PropsSI("Tcrit", name)))
    except Exception:                       # CoolProp's ValueError for an unknown fluid
        return False


@dataclass(frozen=True, eq=False, kw_only=True)
class HeatPumps(Component):
    """Heat pumps (struct of arrays, SI); edges ``name:evap`` and ``name:cond``.

    Attributes
    ----------
    t_supply : numpy.ndarray
        Condenser outlet temperature held [K].
    capacity : numpy.ndarray
        Largest condenser heat of one unit [W] (inf: unlimited).
    model : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.HeatPumpModel` code.
    efficiency : numpy.ndarray
        η of the fraction models [-].
    refrigerant : tuple of str
        CoolProp refrigerant of the cycle model.
    evaporator_approach, condenser_approach : numpy.ndarray
        Refrigerant-to-water temperature differences [K].
    isentropic_efficiency : numpy.ndarray
        Compressor isentropic efficiency of the cycle model [-].
    stages, n_series : numpy.ndarray
        Compression stages per unit and units in series on the sink (integers).
    min_source_outlet : numpy.ndarray
        Lowest evaporator (source) outlet temperature, freeze protection [K];
        NaN: the source fluid's freezing point + 2 K
        (:data:`~narvik_thermal.correlations.heat_pump_limits.FREEZE_PROTECTION_MARGIN`
        [GEK]; water 2 °C), resolved by the solver from the source circuit's fluid.
    max_discharge_temperature, max_condensing_pressure : numpy.ndarray
        Compressor limits [K], [Pa] (inf: none); by default the refrigerant's
        entry of :data:`~narvik_thermal.correlations.heat_pump_limits.COMPRESSOR_LIMITS`
        for the cycle model, none for the fraction models. Exceeding them is
        flagged (``heat_pump_limit``), not prevented.
    min_modulation : numpy.ndarray
        Part-load ratio below which the unit cycles on/off [-] (default 0.25 [GEK]).
    cycling_degradation : numpy.ndarray
        EN 14825 degradation coefficient of the cycling range [-] (default 0.9).
    evaluation : numpy.ndarray of int8
        ``performance=`` of :meth:`from_quantities`:
        :class:`~narvik_thermal.components.kinds.HeatPumpPerformance` code of the
        cycle model: run the cycle at every evaluation (``CYCLE``) or interpolate
        it in the configuration's performance map (``MAP``,
        :mod:`narvik_thermal.correlations.heat_pump_map`).
    evap_*, cond_* : numpy.ndarray
        Optional rated pressure drops of the two sides.
    evap_volume, cond_volume : numpy.ndarray
        Fluid volume of each side of one unit [m³] (for transients; 0 by default).
    """

    t_supply: np.ndarray
    capacity: np.ndarray
    model: np.ndarray
    efficiency: np.ndarray
    refrigerant: tuple
    evaporator_approach: np.ndarray
    condenser_approach: np.ndarray
    isentropic_efficiency: np.ndarray
    stages: np.ndarray
    n_series: np.ndarray
    min_source_outlet: np.ndarray
    max_discharge_temperature: np.ndarray
    max_condensing_pressure: np.ndarray
    min_modulation: np.ndarray
    cycling_degradation: np.ndarray
    evaluation: np.ndarray
    evap_dp_rated: np.ndarray
    evap_flow_rated: np.ndarray
    evap_rated_basis: np.ndarray
    evap_dp_exponent: np.ndarray
    cond_dp_rated: np.ndarray
    cond_flow_rated: np.ndarray
    cond_rated_basis: np.ndarray
    cond_dp_exponent: np.ndarray
    evap_volume: np.ndarray
    cond_volume: np.ndarray

    label: ClassVar[str] = "heat pump"
    sides: ClassVar[tuple[str, ...]] = (":evap", ":cond")
    optional_fields: ClassVar[dict[str, Any]] = {"evaluation": "cycle"}
    updatable: ClassVar[dict[str, str]] = {
        "supply_temperature": "condenser outlet temperature held",
        "capacity": "largest condenser heat of one unit",
        "min_source_outlet": "lowest evaporator outlet temperature (freeze protection)"}

    @classmethod
    def from_quantities(cls, names: Any, *, supply_temperature: Any, model: Any = "carnot_fraction",
                        efficiency: Any = 0.5, refrigerant: str = "R717",
                        evaporator_approach: Any = "3 K", condenser_approach: Any = "3 K",
                        isentropic_efficiency: Any = 0.7, stages: Any = 1, n_series: Any = 1,
                        capacity: Any = None, evaporator_pressure_drop: Any = None,
                        evaporator_rated_flow: Any = None, condenser_pressure_drop: Any = None,
                        condenser_rated_flow: Any = None, pressure_exponent: Any = 2.0,
                        evaporator_volume: Any = None, condenser_volume: Any = None,
                        min_source_outlet: Any = None, max_discharge_temperature: Any = None,
                        max_condensing_pressure: Any = None, min_modulation: Any = None,
                        cycling_degradation: Any = 0.9, performance: Any = "cycle",
                        count: Any = 1) -> "HeatPumps":
        """Heat pumps from Quantities (see :meth:`narvik_thermal.Network.add_heat_pump`)."""
        from ..correlations.heat_pump_limits import DEFAULT_MIN_MODULATION, compressor_limits
        names = as_names(names)
        n = len(names)
        what = f"heat pump {names[0]!r}"
        mdl = enum_codes(HeatPumpModel, model, "model", what)
        if not isinstance(performance, HeatPumpPerformance) and performance not in ("cycle", "map"):
            raise InputError(f"{what}: performance={performance!r} is not one of ('cycle', "
                             "'map'); give performance='cycle' (run the refrigerant cycle at "
                             "every evaluation) or performance='map' (interpolate it in the "
                             "tabulated performance map).")
        perf = enum_codes(HeatPumpPerformance, performance, "performance", what)
        zero = np.zeros(n)
        refr = (refrigerant,) * n if isinstance(refrigerant, str) else tuple(refrigerant)
        if len(refr) != n:
            raise InputError(f"{what}: {len(refr)} refrigerants for {n} heat pumps; give one "
                             "or one per heat pump.")
        # compressor limits: the refrigerant's table entry for the cycle model
        # (none tabulated, or a fraction model: no limits checked)
        tab = []
        for r in refr:
            lim = None
            if int(mdl) == HeatPumpModel.CYCLE:
                try:
                    lim = compressor_limits(r)
                except InputError:
                    lim = None
            tab.append((np.inf, np.inf) if lim is None else
                       (lim.T_discharge_max, lim.p_condensation_max))
        t_max = (np.array([t for t, _ in tab]) if max_discharge_temperature is None
                 else temperatures(max_discharge_temperature, n, "max_discharge_temperature"))
        p_max = (np.array([p for _, p in tab]) if max_condensing_pressure is None
                 else quantities(max_condensing_pressure, "Pa", n, "max_condensing_pressure"))
        return cls(
            names=names, count=quantities(count, "", n, "count"),
            t_supply=temperatures(supply_temperature, n, "supply_temperature"),
            capacity=np.full(n, np.inf) if capacity is None else quantities(capacity, "W", n,
                                                                              "capacity"),
            model=np.full(n, int(mdl), np.int8),
            efficiency=quantities(efficiency, "", n, "efficiency"), refrigerant=refr,
            evaporator_approach=broadcast(U.to_temperature_difference(
                evaporator_approach, "evaporator_approach"), n, "evaporator_approach"),
            condenser_approach=broadcast(U.to_temperature_difference(
                condenser_approach, "condenser_approach"), n, "condenser_approach"),
            isentropic_efficiency=quantities(isentropic_efficiency, "", n,
                                             "isentropic_efficiency"),
            stages=quantities(stages, "", n, "stages"), n_series=quantities(n_series, "", n,
                                                                             "n_series"),
            min_source_outlet=np.full(n, np.nan) if min_source_outlet is None else temperatures(
                min_source_outlet, n, "min_source_outlet"),
            max_discharge_temperature=t_max, max_condensing_pressure=p_max,
            min_modulation=quantities(DEFAULT_MIN_MODULATION if min_modulation is None
                                      else min_modulation, "", n, "min_modulation"),
            cycling_degradation=quantities(cycling_degradation, "", n, "cycling_degradation"),
            evaluation=np.full(n, int(perf), np.int8),
            **rated_drop(names, evaporator_pressure_drop, evaporator_rated_flow,
                         pressure_exponent, f"{what} evaporator", prefix="evap_"),
            **rated_drop(names, condenser_pressure_drop, condenser_rated_flow,
                         pressure_exponent, f"{what} condenser", prefix="cond_"),
            evap_volume=zero if evaporator_volume is None else quantities(
                evaporator_volume, "m^3", n, "evaporator_volume"),
            cond_volume=zero if condenser_volume is None else quantities(
                condenser_volume, "m^3", n, "condenser_volume"))

    def validate(self) -> None:
        nm, w = self.names, "heat pump"
        require(self.t_supply > 0, self.t_supply, "supply_temperature", nm, "K",
                "an absolute temperature", w)
        require(self.capacity > 0, self.capacity, "capacity", nm, "W", "positive", w)
        require(one_of(self.model, HeatPumpModel), self.model, "model", nm,
                "", "a HeatPumpModel code", w)
        require(one_of(self.evaluation, HeatPumpPerformance), self.evaluation, "performance",
                nm, "", "a HeatPumpPerformance code (0 cycle, 1 map)", w)
        e = self.efficiency
        require((e > 0) & (e <= 1), e, "efficiency", nm, "", "in (0, 1]", w)
        ie = self.isentropic_efficiency
        require((ie > 0) & (ie <= 1), ie, "isentropic_efficiency", nm, "", "in (0, 1]", w)
        require_positive(self.evaporator_approach, "evaporator_approach", nm, "K", w,
                         allow_zero=True)
        require_positive(self.condenser_approach, "condenser_approach", nm, "K", w,
                         allow_zero=True)
        require(one_of(self.stages, (1, 2)), self.stages, "stages", nm, "", "1 or 2", w)
        for k, r in enumerate(self.refrigerant):
            if not _known_refrigerant(r):
                raise InputError(f"heat pump {nm[k]!r}: refrigerant={r!r} is not a CoolProp "
                                 "fluid; give one such as 'R717' (ammonia), 'R744', "
                                 "'R1234ze(E)' or 'R290'.")
        require((self.n_series >= 1) & (self.n_series == np.round(self.n_series)),
                self.n_series, "n_series", nm, "", "a positive integer", w)
        t = self.min_source_outlet
        require(np.isnan(t) | (t > 0), t, "min_source_outlet", nm, "K",
                "an absolute temperature (or NaN: the source's freezing point + 2 K)", w)
        require(self.max_discharge_temperature > 0, self.max_discharge_temperature,
                "max_discharge_temperature", nm, "K", "an absolute temperature (inf: none)", w)
        require(self.max_condensing_pressure > 0, self.max_condensing_pressure,
                "max_condensing_pressure", nm, "Pa", "positive (inf: none)", w)
        mm = self.min_modulation
        require((mm > 0) & (mm <= 1), mm, "min_modulation", nm, "", "in (0, 1]", w)
        cd = self.cycling_degradation
        require((cd >= 0) & (cd <= 1), cd, "cycling_degradation", nm, "", "in [0, 1]", w)
        validate_rated(self, f"{w} evaporator", prefix="evap_")
        validate_rated(self, f"{w} condenser", prefix="cond_")
        require_positive(self.evap_volume, "evaporator_volume", nm, "m³", w, allow_zero=True)
        require_positive(self.cond_volume, "condenser_volume", nm, "m³", w, allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"model": HeatPumpModel, "evaluation": HeatPumpPerformance,
                "evap_rated_basis": FlowBasis,
                "cond_rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        return (EdgeSide(":evap", EdgeKind.HP_EVAPORATOR, rated_law(self, "evap_"),
                         ThermalLaw.HEAT_PUMP, rated_params(self, "evap_")),
                EdgeSide(":cond", EdgeKind.HP_CONDENSER, rated_law(self, "cond_"),
                         ThermalLaw.HEAT_PUMP, rated_params(self, "cond_")))

    def fluid_volume(self) -> np.ndarray:
        return np.vstack([self.evap_volume, self.cond_volume])

    # -------------------------------------------------------------------- law
    def performance(self, k: int, t_source_in: float, t_source_out: float, t_sink_in: float,
                    t_sink_out: float):
        """Performance of unit ``k`` between its source and sink streams (SI inputs, K).

        Calls :func:`narvik_thermal.correlations.heat_pump.heat_pump_performance`
        with this unit's model and parameters.

        Returns
        -------
        SeriesResult
            COP, each unit's discharge temperature and condensing pressure.

        Raises
        ------
        InputError
            A lift the model or refrigerant cannot do, naming the heat pump.
        """
        if self.model[k] == _CYCLE and self.evaluation[k] == _MAP:
            got = mapped_performance(
                self.refrigerant[k], t_source_in, t_source_out, t_sink_in, t_sink_out,
                evaporator_approach=float(self.evaporator_approach[k]),
                condenser_approach=float(self.condenser_approach[k]),
                isentropic_efficiency=float(self.isentropic_efficiency[k]),
                n_series=int(self.n_series[k]), stages=int(self.stages[k]))
            if got is not None:
                return got
        try:
            return heat_pump_performance(
                t_source_in, t_source_out, t_sink_in, t_sink_out,
                model=HeatPumpModel(int(self.model[k])).name.lower(),
                efficiency=float(self.efficiency[k]), refrigerant=self.refrigerant[k],
                evaporator_approach=float(self.evaporator_approach[k]),
                condenser_approach=float(self.condenser_approach[k]),
                isentropic_efficiency=float(self.isentropic_efficiency[k]),
                stages=int(self.stages[k]), n_series=int(self.n_series[k]),
                performance=HeatPumpPerformance(int(self.evaluation[k])).name.lower())
        except InputError as exc:
            raise InputError(f"heat pump {self.names[k]!r}: {exc}") from None
        except PropertyError as exc:
            raise InputError(f"heat pump {self.names[k]!r}: {exc}; the lift or the "
                             "temperatures are beyond what its refrigerant can do (see "
                             "heat_pump_cop_methods) or its source is cooled below its "
                             "tables") from None

    def performance_function(self, k: int):
        """The limits of unit ``k`` as a function of its stream temperatures, for the
        solvers: ``f(t_source_in, t_source_out, t_sink_in, t_sink_out)`` gives
        ``(COP_heating, T_discharge_max, p_condensation_max)`` of :meth:`performance`,
        the same to the bit; a mapped cycle's bound once
        (:func:`~narvik_thermal.correlations.heat_pump.mapped_series`), :meth:`performance`
        where that gives None (and for the other models)."""
        fast = None
        if self.model[k] == _CYCLE and self.evaluation[k] == _MAP:
            fast = mapped_series(
                self.refrigerant[k], evaporator_approach=float(self.evaporator_approach[k]),
                condenser_approach=float(self.condenser_approach[k]),
                isentropic_efficiency=float(self.isentropic_efficiency[k]),
                n_series=int(self.n_series[k]), stages=int(self.stages[k]))
        return functools.partial(_limits, fast, self, k)

    def cop(self, k: int, t_source_in: float, t_source_out: float, t_sink_in: float,
            t_sink_out: float) -> float:
        """Full-load heating COP of unit ``k`` [-] (:meth:`performance`)."""
        return float(self.performance(k, t_source_in, t_source_out, t_sink_in,
                                      t_sink_out).COP_heating)

    def part_load_cop(self, k: int, cop_full: float, part_load_ratio: float) -> float:
        """COP of unit ``k`` at a part-load ratio (heat over rated capacity) [-].

        Calls :func:`narvik_thermal.correlations.heat_pump.part_load_cop_modulating`
        with this unit's ``min_modulation`` and ``cycling_degradation`` (its one-unit
        form for the solvers,
        :func:`~narvik_thermal.correlations.heat_pump_part_load.part_load_cop_modulating_unit`).
        """
        return self.part_load_function(k)(cop_full, part_load_ratio)

    def part_load_function(self, k: int):
        """:meth:`part_load_cop` of unit ``k`` as a function ``f(cop_full,
        part_load_ratio)``, its parameters bound once (for the solvers)."""
        return functools.partial(_part_load, float(self.min_modulation[k]),
                                 float(self.cycling_degradation[k]))

    def _convert_update(self, key, value, index):
        if key == "supply_temperature":
            return {"t_supply": broadcast(U.to_temperature(value, "supply_temperature"),
                                          index.size, "supply_temperature")}
        if key == "min_source_outlet":
            return {"min_source_outlet": broadcast(U.to_temperature(value, "min_source_outlet"),
                                                   index.size, "min_source_outlet")}
        return {"capacity": broadcast(U.to_si(value, "W", "capacity"), index.size, "capacity")}


def _limits(fast, comp: HeatPumps, k: int, *temperatures: float) -> tuple[float, float, float]:
    """:meth:`HeatPumps.performance_function`'s function."""
    got = fast(*temperatures) if fast is not None else None
    if got is None:
        r = comp.performance(k, *temperatures)
        got = (r.COP_heating, r.T_discharge_max, r.p_condensation_max)
    return got


def _part_load(min_modulation: float, cycling_degradation: float, cop_full: float,
               part_load_ratio: float) -> float:
    """:meth:`HeatPumps.part_load_function`'s function."""
    return float(part_load_cop_modulating_unit(cop_full, min(max(part_load_ratio, 0.0), 1.0),
                                               min_modulation, cycling_degradation))
