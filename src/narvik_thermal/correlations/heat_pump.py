r"""Heat-pump performance: Carnot/Lorenz limits, vapour-compression cycles, part load.

Pure functions in SI units (K, Pa, J/kg; COPs dimensionless). Refrigerant
properties come in as an argument: a property object with the interface of
:class:`narvik_thermal.fluids.refrigerant.Refrigerant` (``saturation_pressure_T``,
``h_pT``, ``s_pT``, ``h_ps``, ``T_ph``, ``h_Tq``, ``s_Tq``, ``T_critical``,
``p_critical``). This module never imports CoolProp; only the convenience
helper :func:`heat_pump_cop` resolves a refrigerant *name* through
:mod:`narvik_thermal.fluids.refrigerant` (lazily, at call time).

Contents
--------
- :func:`cop_carnot_heating`, :func:`cop_lorenz_heating`,
  :func:`cop_carnot_fraction`, :func:`log_mean_temperature` — ideal limits
  (Lorenz [1]_), of which real plants reach a fraction (Reinholdt et al. [2]_);
- :func:`vapour_compression_cycle` — single-stage subcritical or transcritical
  (R744) cycle with superheat, subcooling and compressor isentropic efficiency;
- :func:`two_stage_cycle` — two-stage cycle with an open flash intercooler, as
  in the Drammen ammonia plant [6]_;
- :func:`optimal_gas_cooler_pressure_liao` — correlation (Liao et al. [3]_;
  Kauf [4]_ gives a simpler one) for comparison with the numerically
  optimised transcritical pressure;
- :func:`heat_pump_series` — a large lift split across units in series on the sink;
- :func:`part_load_cop` — EN 14825 [5]_ cycling degradation, and
  :func:`part_load_cop_modulating` — constant down to a minimum modulation,
  cycling below it;
- :func:`heat_pump_performance` — COP, discharge temperatures and condensing
  pressures of a (stages, units in series) configuration; :func:`heat_pump_cop`
  is its COP, the one-call helper used by :mod:`narvik_thermal.feasibility`;
- :func:`choose_heat_pump_configuration` — the simplest configuration within the
  compressor limits of :mod:`.heat_pump_limits` (re-exported here:
  :data:`COMPRESSOR_LIMITS`, :func:`compressor_limits`).

References
----------
.. [1] H. Lorenz, "Beiträge zur Beurteilung von Kühlmaschinen", Zeitschrift
   des VDI 38, 62–68, 98–103, 1894.
.. [2] L. Reinholdt, J. Kristófersson, B. Zühlsdorf, B. Elmegaard, J. Jensen,
   T. Ommen, P. H. Jørgensen, "Heat pump COP, part 1: Generalized method for
   screening of system integration potentials", 13th IIR Gustav Lorentzen
   Conference on Natural Refrigerants, Valencia, 2018.
.. [3] S. M. Liao, T. S. Zhao, A. Jakobsen, "A correlation of optimal heat
   rejection pressures in transcritical carbon dioxide cycles", Applied
   Thermal Engineering 20(9), 831–841, 2000. DOI: 10.1016/S1359-4311(99)00070-8
.. [4] F. Kauf, "Determination of the optimum high pressure for transcritical
   CO2-refrigeration cycles", International Journal of Thermal Sciences
   38(4), 325–330, 1999.
.. [5] CEN, EN 14825:2022, "Air conditioners, liquid chilling packages and
   heat pumps, with electrically driven compressors, for space heating and
   cooling — Testing and rating at part load conditions and calculation of
   seasonal performance", 2022.
.. [6] Drammen district heating fjord-water heat pump: source 8→4 °C,
   sink 65→90 °C, NH3 two-stage, COP 3.05 (narvik-facts §5, R39, R40, R62).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from ..errors import InputError
from . import _checks as _c
from ..fluids.refrigerant import coolprop_name, refrigerant as _get
from .heat_pump_cycle import (DEFAULT_ISENTROPIC_EFFICIENCY, CycleResult, StatePoint,
                              TwoStageResult, optimal_gas_cooler_pressure_liao, two_stage_cycle,
                              vapour_compression_cycle)
from .heat_pump_limits import (COMPRESSOR_LIMITS, DEFAULT_MAX_SINK_STEP, DEFAULT_MIN_MODULATION,
                               FREEZE_PROTECTION_MARGIN, CompressorLimits, compressor_limits)
from .heat_pump_map import PERFORMANCE_OPTIONS, performance_map
from .heat_pump_part_load import part_load_cop, part_load_cop_modulating

__all__ = [
    "StatePoint", "CycleResult", "SeriesResult", "log_mean_temperature",
    "cop_carnot_heating", "cop_lorenz_heating", "cop_carnot_fraction",
    "vapour_compression_cycle", "TwoStageResult", "two_stage_cycle",
    "optimal_gas_cooler_pressure_liao", "heat_pump_series", "part_load_cop",
    "part_load_cop_modulating", "heat_pump_performance", "mapped_performance",
    "mapped_series", "heat_pump_cop", "heat_pump_cop_methods",
    "CompressorLimits", "COMPRESSOR_LIMITS", "compressor_limits",
    "HeatPumpConfiguration", "heat_pump_configuration", "choose_heat_pump_configuration",
    "FREEZE_PROTECTION_MARGIN", "DEFAULT_MIN_MODULATION", "DEFAULT_MAX_SINK_STEP",
    "DEFAULT_ISENTROPIC_EFFICIENCY", "DEFAULT_CARNOT_EFFICIENCY", "MIN_UNIT_LIFT",
]

#: Fraction of the Carnot COP reached by real large heat pumps [-]; narvik-facts
#: "Suggested library defaults" (η = 0.5, range 0.4–0.65; §5 rule 0.45–0.6 [GEK]).
DEFAULT_CARNOT_EFFICIENCY = 0.5

#: Least lift a unit of :func:`heat_pump_series` runs at, condensing over evaporating
#: temperature [K]: a unit whose share of the sink's rise lies at or below the source
#: (a sink that arrives colder than the source, e.g. a district-heating return cooled
#: in a trunk without flow) condenses this much above its evaporation instead of
#: below it. A modelling floor [GEK] (compressors have a least pressure ratio), not
#: a compressor datum; it errs towards more electricity.
MIN_UNIT_LIFT = 5.0

_ZERO_C = 273.15


# --------------------------------------------------------------------- ideal limits
def log_mean_temperature(T_in: Any, T_out: Any) -> Any:
    r"""Entropic (log-mean) temperature of a stream heated or cooled from ``T_in`` to ``T_out``.

    Parameters
    ----------
    T_in, T_out : float or array_like
        Inlet and outlet temperature [K].

    Returns
    -------
    float or numpy.ndarray
        :math:`\bar T` [K].

    Notes
    -----
    .. math:: \bar T = \frac{T_{in} - T_{out}}{\ln(T_{in}/T_{out})},
       \qquad \bar T = T_{in} \text{ if } T_{in} = T_{out}.

    It is the temperature at which a reversible exchange of the same heat
    produces the same entropy change as the gliding stream (constant cp).

    Examples
    --------
    >>> round(log_mean_temperature(338.15, 363.15), 1)   # Drammen sink 65→90 °C
    350.5
    """
    a = _c.positive_temperature(T_in, "T_in", "log_mean_temperature")
    b = _c.positive_temperature(T_out, "T_out", "log_mean_temperature")
    a, b = np.broadcast_arrays(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        lm = (a - b) / np.log(a / b)
    close = np.abs(a - b) <= 1e-9 * a
    return _c.out(np.where(close, 0.5 * (a + b), lm))


def cop_carnot_heating(T_sink: Any, T_source: Any) -> Any:
    r"""Carnot heating COP between a sink and a source temperature.

    Parameters
    ----------
    T_sink : float or array_like
        Temperature of heat delivery (e.g. condensation) [K].
    T_source : float or array_like
        Temperature of heat uptake (e.g. evaporation) [K]; below ``T_sink``.

    Returns
    -------
    float or numpy.ndarray
        :math:`COP_{Carnot}` [-].

    Notes
    -----
    .. math:: COP_{Carnot} = \frac{T_{sink}}{T_{sink} - T_{source}}

    Examples
    --------
    >>> round(cop_carnot_heating(361.15, 300.15), 3)   # 88 °C from 27 °C
    5.920
    """
    hot = _c.positive_temperature(T_sink, "T_sink", "cop_carnot_heating")
    cold = _c.positive_temperature(T_source, "T_source", "cop_carnot_heating")
    if np.any(hot <= cold):
        raise InputError("cop_carnot_heating: T_sink must exceed T_source (a heat pump "
                         f"lifts heat); got T_sink={_c.out(hot)!r} K, T_source={_c.out(cold)!r} K.")
    return _c.out(hot / (hot - cold))


def cop_lorenz_heating(T_sink_in: Any, T_sink_out: Any, T_source_in: Any,
                       T_source_out: Any) -> Any:
    r"""Lorenz heating COP: the reversible limit for gliding sink and source streams [1]_.

    Parameters
    ----------
    T_sink_in, T_sink_out : float or array_like
        Sink stream (district-heating water) inlet and outlet [K].
    T_source_in, T_source_out : float or array_like
        Source stream (fjord or data-centre water) inlet and outlet [K].

    Returns
    -------
    float or numpy.ndarray
        :math:`COP_{Lorenz}` [-].

    Notes
    -----
    .. math:: COP_{Lorenz} = \frac{\bar T_{sink}}{\bar T_{sink} - \bar T_{source}}

    with :math:`\bar T` the log-mean temperatures of :func:`log_mean_temperature`.
    Real plants reach 0.5–0.65 of it [2]_.

    References
    ----------
    .. [1] H. Lorenz, "Beiträge zur Beurteilung von Kühlmaschinen", Zeitschrift
       des VDI 38, 62–68, 98–103, 1894.
    .. [2] L. Reinholdt, J. Kristófersson, B. Zühlsdorf, B. Elmegaard, J. Jensen,
       T. Ommen, P. H. Jørgensen, "Heat pump COP, part 1: Generalized method for
       screening of system integration potentials", 13th IIR Gustav Lorentzen
       Conference on Natural Refrigerants, Valencia, 2018.

    Examples
    --------
    Drammen (narvik-facts §5: source 8→4 °C, sink 65→90 °C) gives 4.91; the
    plant's COP 3.05 is 0.62 of it:

    >>> round(cop_lorenz_heating(338.15, 363.15, 281.15, 277.15), 2)
    4.91
    """
    if np.any(np.subtract(T_sink_out, T_sink_in) < 0) or \
            np.any(np.subtract(T_source_out, T_source_in) > 0):
        raise InputError("cop_lorenz_heating: a heat pump warms its sink and cools its source; "
                         f"got sink {T_sink_in!r} → {T_sink_out!r} K, source {T_source_in!r} "
                         f"→ {T_source_out!r} K.")
    hot = log_mean_temperature(T_sink_in, T_sink_out)
    cold = log_mean_temperature(T_source_in, T_source_out)
    if np.any(np.asarray(hot) <= np.asarray(cold)):
        raise InputError("cop_lorenz_heating: the sink's mean temperature must exceed the "
                         f"source's; got {hot!r} K and {cold!r} K.")
    return _c.out(np.asarray(hot) / (np.asarray(hot) - np.asarray(cold)))


def cop_carnot_fraction(T_sink: Any, T_source: Any,
                        efficiency: float = DEFAULT_CARNOT_EFFICIENCY) -> Any:
    r"""Heating COP as a fixed fraction of the Carnot COP.

    Parameters
    ----------
    T_sink : float or array_like
        Condensation temperature [K].
    T_source : float or array_like
        Evaporation temperature [K].
    efficiency : float, optional
        Second-law (Carnot) efficiency η [-], default 0.5 (narvik-facts
        "Suggested library defaults", validation range 0.4–0.65).

    Returns
    -------
    float or numpy.ndarray
        COP [-], at least 1.

    Notes
    -----
    .. math:: COP = \max\left(1,\ \eta \frac{T_{cond}}{T_{cond} - T_{evap}}\right)

    narvik-facts §9 tabulates this rule for condensation at 88 °C.

    Examples
    --------
    >>> round(cop_carnot_fraction(361.15, 300.15, 0.45), 2)   # §9: 27 °C → 88 °C
    2.66
    """
    eta = _c.finite(efficiency, "efficiency", "cop_carnot_fraction")
    if np.any((eta <= 0) | (eta > 1)):
        raise InputError(f"cop_carnot_fraction: efficiency must be in (0, 1], got {efficiency!r}.")
    return _c.out(np.maximum(1.0, eta * np.asarray(cop_carnot_heating(T_sink, T_source))))


# ----------------------------------------------------------------- series units
@dataclass(frozen=True)
class SeriesResult:
    """Result of :func:`heat_pump_series` and :func:`heat_pump_performance`.

    Attributes
    ----------
    COP_heating : float
        Overall heating COP: total heat over total compressor work [-].
    unit_COP : tuple of float
        Heating COP of each unit, first (coldest sink) to last [-].
    T_condensation : tuple of float
        Condensation temperature of each unit [K] (NaN: transcritical).
    T_evaporation : float
        Common evaporation temperature [K].
    T_sink_steps : tuple of float
        Sink temperature after each unit [K].
    T_discharge : tuple of float
        Hottest compressor discharge of each unit [K] (two stages: the hotter
        of the low and the high stage); NaN for the fraction models, which
        have no cycle.
    p_condensation : tuple of float
        Condensing (transcritical: gas-cooler) pressure of each unit [Pa]; NaN
        for the fraction models.
    stages : int
        Compression stages per unit.
    transcritical : bool
        One transcritical R744 unit (the sink glides along its gas cooler).
    """

    COP_heating: float
    unit_COP: tuple[float, ...]
    T_condensation: tuple[float, ...]
    T_evaporation: float
    T_sink_steps: tuple[float, ...]
    T_discharge: tuple[float, ...] = ()
    p_condensation: tuple[float, ...] = ()
    stages: int = 1
    transcritical: bool = False

    @property
    def n_units(self) -> int:
        """Units in series [-]."""
        return len(self.unit_COP)

    @property
    def T_discharge_max(self) -> float:
        """Hottest discharge of all units [K] (NaN without a cycle)."""
        return max(self.T_discharge) if self.T_discharge else math.nan

    @property
    def p_condensation_max(self) -> float:
        """Highest condensing pressure of all units [Pa] (NaN without a cycle)."""
        return max(self.p_condensation) if self.p_condensation else math.nan


def heat_pump_series(T_source_in: float, T_source_out: float, T_sink_in: float,
                     T_sink_out: float, n_units: int, *,
                     refrigerant: Any = None,
                     model: Literal["cycle", "carnot_fraction"] = "cycle",
                     evaporator_approach: float = 3.0, condenser_approach: float = 3.0,
                     isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                     superheat: float = 5.0, subcooling: float = 2.0,
                     efficiency: float = DEFAULT_CARNOT_EFFICIENCY, stages: int = 1,
                     subcool_to_sink_inlet: bool = False,
                     performance: Literal["cycle", "map"] = "cycle") -> SeriesResult:
    r"""Split a large temperature lift across ``n_units`` heat pumps in series on the sink.

    Parameters
    ----------
    T_source_in, T_source_out : float
        Source stream in/out [K] (cooled).
    T_sink_in, T_sink_out : float
        Sink stream in/out [K] (heated).
    n_units : int
        Number of units, >= 1.
    refrigerant : Refrigerant or str, optional
        Needed for ``model="cycle"`` (a name is made a property object when a unit
        runs the cycle).
    model : {"cycle", "carnot_fraction"}
        Unit model: :func:`vapour_compression_cycle` or :func:`cop_carnot_fraction`.
    evaporator_approach, condenser_approach : float, optional
        Pinch between refrigerant and water [K], default 3 K each.
    isentropic_efficiency, superheat, subcooling : float, optional
        Passed to :func:`vapour_compression_cycle`.
    efficiency : float, optional
        Carnot efficiency for ``model="carnot_fraction"`` [-].
    stages : {1, 2}, optional
        Compression stages per unit for ``model="cycle"``
        (:func:`vapour_compression_cycle` or :func:`two_stage_cycle`).
    subcool_to_sink_inlet : bool, optional
        If True, each unit subcools its condensate to its own sink inlet plus
        the condenser approach (counterflow condenser with a gliding sink)
        instead of by ``subcooling``.
    performance : {"cycle", "map"}, optional
        ``"cycle"`` (default): each unit's cycle is run directly. ``"map"``: each
        unit's COP, discharge temperature and condensing pressure are
        interpolated in the configuration's performance map
        (:func:`~narvik_thermal.correlations.heat_pump_map.performance_map`;
        COP within 1e-5 relative of the cycle); a unit outside the mapped domain
        (and ``subcool_to_sink_inlet=True``, whose subcooling varies) runs the cycle.

    Returns
    -------
    SeriesResult

    Notes
    -----
    Assumptions (stated, not derived):

    - the sink stream flows through the condensers in series, and each unit
      raises it by the same step :math:`\Delta T = (T_{sink,out}-T_{sink,in})/N`,
      so each delivers the same heat :math:`Q/N` (constant cp);
    - unit :math:`i` condenses at its own sink outlet plus the approach,
      :math:`T_{cond,i} = T_{sink,in} + i\,\Delta T + \Delta T_{app}`, and at
      least :data:`MIN_UNIT_LIFT` above the evaporation (a unit whose share of
      the sink lies below the source: a sink colder than the source);
    - the evaporators are in parallel on the source and all evaporate at
      :math:`T_{source,out} - \Delta T_{app}` (conservative).

    Then

    .. math:: COP = \frac{Q}{\sum_i Q/(N\,COP_i)} = \frac{N}{\sum_i 1/COP_i}.

    With one unit it equals the single cycle. More units approach the Lorenz
    behaviour of a gliding sink (the idea behind Drammen's staged plant,
    narvik-facts §5).

    Examples
    --------
    >>> r = heat_pump_series(281.15, 277.15, 338.15, 363.15, 3, model="carnot_fraction",
    ...                      efficiency=0.6)
    >>> round(r.COP_heating, 2)
    2.57
    """
    func = "heat_pump_series"
    if not isinstance(n_units, (int, np.integer)) or isinstance(n_units, bool) or n_units < 1:
        raise InputError(f"{func}: n_units must be an integer >= 1, got {n_units!r}.")
    if T_sink_out <= T_sink_in:
        raise InputError(f"{func}: T_sink_out must exceed T_sink_in, got "
                         f"{_c.deg_c(T_sink_out)} and {_c.deg_c(T_sink_in)}.")
    if T_source_out > T_source_in:
        raise InputError(f"{func}: the source is cooled; T_source_out must not exceed "
                         f"T_source_in, got {_c.deg_c(T_source_out)} > {_c.deg_c(T_source_in)}.")
    app_e = _c.nonnegative_scalar(evaporator_approach, "evaporator_approach", func)
    app_c = _c.nonnegative_scalar(condenser_approach, "condenser_approach", func)
    T_e = T_source_out - app_e
    step, steps, T_conds = _unit_temperatures(T_e, T_sink_in, T_sink_out, n_units, app_c)
    if stages not in (1, 2):
        raise InputError(f"{func}: stages must be 1 or 2, got {stages!r}.")
    cycle = vapour_compression_cycle if stages == 1 else two_stage_cycle
    pmap = None
    if _performance_option(performance, func) == "map" and model == "cycle" \
            and refrigerant is not None and not subcool_to_sink_inlet:
        pmap = performance_map(refrigerant, stages, isentropic_efficiency, superheat,
                               subcooling)
    cops, t_dis, p_con = [], [], []
    for i, T_c in enumerate(T_conds):
        if model == "cycle":
            if refrigerant is None:
                raise InputError(f"{func}: model='cycle' needs a refrigerant object.")
            mapped = pmap.unit(T_e, T_c) if pmap is not None else None
            if mapped is not None:
                cops.append(mapped[0])
                t_dis.append(mapped[1])
                p_con.append(mapped[2])
                continue
            sc = subcooling
            if subcool_to_sink_inlet:
                sc = max(subcooling, T_c - (T_sink_in + i * step + app_c))
            if isinstance(refrigerant, str):          # a name, kept for the map
                refrigerant = _get(refrigerant)
            res = cycle(refrigerant, T_e, T_c, isentropic_efficiency=isentropic_efficiency,
                        superheat=superheat, subcooling=sc)
            cops.append(res.COP_heating)
            t_dis.append(max(res.T_discharge, getattr(res, "T_discharge_low", -math.inf)))
            p_con.append(res.p_condensation)
        elif model == "carnot_fraction":
            cops.append(float(cop_carnot_fraction(T_c, T_e, efficiency)))
            t_dis.append(math.nan)
            p_con.append(math.nan)
        else:
            raise InputError(f"{func}: model must be 'cycle' or 'carnot_fraction', got {model!r}.")
    return _series_result(cops, t_dis, p_con, T_conds, T_e, steps, stages)


def _unit_temperatures(T_e, T_sink_in, T_sink_out, n_units, app_c):
    """The sink step of each unit, the sink temperature after each and each unit's
    condensing temperature (:func:`heat_pump_series`, Notes)."""
    step = (T_sink_out - T_sink_in) / n_units
    steps = tuple(T_sink_in + (i + 1) * step for i in range(n_units))
    return step, steps, tuple(max(t + app_c, T_e + MIN_UNIT_LIFT) for t in steps)


def _series_result(cops, t_dis, p_con, T_conds, T_e, steps, stages) -> SeriesResult:
    """The units in series composed: ``COP = N / Σ 1/COP_i`` (:func:`heat_pump_series`)."""
    total = len(cops) / sum(1.0 / c for c in cops)
    return SeriesResult(COP_heating=total, unit_COP=tuple(cops), T_condensation=T_conds,
                        T_evaporation=T_e, T_sink_steps=steps, T_discharge=tuple(t_dis),
                        p_condensation=tuple(p_con), stages=stages)


def mapped_performance(refrigerant: Any, T_source_in: float, T_source_out: float,
                       T_sink_in: float, T_sink_out: float, *, evaporator_approach: float,
                       condenser_approach: float, isentropic_efficiency: float,
                       n_series: int, stages: int) -> SeriesResult | None:
    """:func:`heat_pump_performance` with ``model="cycle"`` and ``performance="map"``,
    for the solvers: the same result without its argument checks, whose cost was most
    of a call made at every outer iteration. None where the refrigerant may run
    transcritical (R744), any unit lies outside the map, or the stream temperatures
    are not in the order :func:`heat_pump_performance` requires (it then runs, and
    raises where it must); the other arguments are those a
    :class:`~narvik_thermal.components.HeatPumps` component validated."""
    pmap = _unit_map(refrigerant, stages, isentropic_efficiency)
    if pmap is None or not _in_order(T_source_in, T_source_out, T_sink_in, T_sink_out):
        return None
    T_e = T_source_out - evaporator_approach
    _, steps, T_conds = _unit_temperatures(T_e, T_sink_in, T_sink_out, n_series,
                                           condenser_approach)
    units = []
    for T_c in T_conds:                 # (no cell beyond the first outside the map is built)
        units.append(pmap.unit(T_e, T_c))
        if units[-1] is None:
            return None
    cops, t_dis, p_con = zip(*units)
    return _series_result(cops, t_dis, p_con, T_conds, T_e, steps, stages)


def mapped_series(refrigerant: Any, *, evaporator_approach: float, condenser_approach: float,
                  isentropic_efficiency: float, n_series: int, stages: int):
    """For the solvers, :func:`mapped_performance`'s ``(COP_heating, T_discharge_max,
    p_condensation_max)`` as a function of the four stream temperatures, to the bit in one
    compiled call; it, or what it gives, is None where that may be None (then call it)."""
    pmap = _unit_map(refrigerant, stages, isentropic_efficiency)
    return None if pmap is None else functools.partial(
        _mapped_series, pmap, evaporator_approach, condenser_approach, n_series)


def _mapped_series(pmap, app_e, app_c, n_series, t_si, t_so, t_ki, t_ko):
    return (pmap.series(t_so - app_e, t_ki, t_ko, n_series, app_c, MIN_UNIT_LIFT)
            if _in_order(t_si, t_so, t_ki, t_ko) else None)


def _in_order(t_si, t_so, t_ki, t_ko) -> bool:
    """Whether the streams are in the order :func:`heat_pump_performance` requires."""
    return 0.0 < t_so <= t_si < t_ko and t_ki < t_ko and t_ki > 0.0


_UNIT_MAPS: dict = {}   # map per (refrigerant, stages, efficiency), found once; None: R744


def _unit_map(refrigerant: Any, stages: int, isentropic_efficiency: float):
    key = (refrigerant, stages, isentropic_efficiency)
    pmap = _UNIT_MAPS.get(key, False)
    if pmap is False:
        name = coolprop_name(refrigerant) if isinstance(refrigerant, str) else refrigerant
        pmap = None if getattr(name, "name", name) == "R744" else performance_map(
            name, stages, isentropic_efficiency, _SUPERHEAT, _SUBCOOLING)
        if len(_UNIT_MAPS) >= 256:
            _UNIT_MAPS.clear()
        _UNIT_MAPS[key] = pmap
    return pmap


# ------------------------------------------------------------------ one-call helper
#: superheat and subcooling [K] of :func:`heat_pump_performance` (a heat pump of a network
#: runs with these)
_SUPERHEAT, _SUBCOOLING = 5.0, 2.0
_COP_METHODS = ("cycle", "carnot_fraction", "lorenz_fraction")


def _performance_option(performance: Any, func: str) -> str:
    """``performance`` checked: "cycle" or "map" (an InputError otherwise)."""
    if isinstance(performance, str) and performance in PERFORMANCE_OPTIONS:
        return performance
    raise InputError(f"{func}: performance={performance!r} is not one of "
                     f"{PERFORMANCE_OPTIONS}; give performance='cycle' (run the refrigerant "
                     "cycle at every call) or performance='map' (interpolate it in the "
                     "configuration's tabulated performance map).")


def heat_pump_cop_methods(T_sink_out: float, refrigerant: Any = None,
                          condenser_approach: float = 3.0) -> list[str]:
    """Models of :func:`heat_pump_cop` valid for a sink outlet [K] and refrigerant.

    ``"cycle"`` is listed when the refrigerant can condense at the sink outlet
    plus approach, or is R744 (transcritical).

    Examples
    --------
    >>> heat_pump_cop_methods(363.15)
    ['carnot_fraction', 'lorenz_fraction']
    """
    methods = ["carnot_fraction", "lorenz_fraction"]
    if refrigerant is not None:
        if (T_sink_out + condenser_approach < refrigerant.T_critical
                or getattr(refrigerant, "name", "") == "R744"):
            methods.insert(0, "cycle")
    return methods


def heat_pump_performance(T_source_in: float, T_source_out: float, T_sink_in: float,
                          T_sink_out: float, *,
                          model: Literal["cycle", "carnot_fraction", "lorenz_fraction"] = "cycle",
                          refrigerant: Any = "R717", evaporator_approach: float = 3.0,
                          condenser_approach: float = 3.0,
                          isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                          superheat: float = _SUPERHEAT, subcooling: float = _SUBCOOLING,
                          efficiency: float = DEFAULT_CARNOT_EFFICIENCY,
                          n_series: int = 1, stages: int = 1,
                          subcool_to_sink_inlet: bool = False,
                          performance: Literal["cycle", "map"] = "cycle") -> SeriesResult:
    r"""Performance of a heat-pump configuration between a source and a sink stream.

    The one implementation behind :func:`heat_pump_cop` (which returns its
    ``COP_heating``): besides the COP it gives each unit's discharge
    temperature and condensing pressure, to be checked against the compressor
    limits (:func:`~narvik_thermal.correlations.heat_pump_limits.compressor_limits`).

    Parameters
    ----------
    T_source_in, T_source_out, T_sink_in, T_sink_out : float
        Stream temperatures [K]; see :func:`heat_pump_cop` for these and the
        other parameters.
    model, refrigerant, evaporator_approach, condenser_approach, isentropic_efficiency, superheat, subcooling, efficiency, n_series, stages, subcool_to_sink_inlet
        As :func:`heat_pump_cop`.
    performance : {"cycle", "map"}, optional
        How the subcritical cycle of each unit is evaluated: directly (default)
        or interpolated in its performance map (:func:`heat_pump_series`); the
        fraction models and the transcritical R744 cycle are never mapped.

    Returns
    -------
    SeriesResult
        COP, each unit's COP, condensing temperature and pressure and hottest
        discharge temperature (NaN for the fraction models, which have no
        cycle); one transcritical unit for R744 above its critical temperature
        (``n_series`` and ``stages`` do not apply to it).

    Examples
    --------
    Drammen's lift (8→4 °C to 65→90 °C) in one single-stage NH3 unit discharges
    near 280 °C; two stages bring it to about 167 °C:

    >>> one = heat_pump_performance(281.15, 277.15, 338.15, 363.15)
    >>> two = heat_pump_performance(281.15, 277.15, 338.15, 363.15, stages=2, n_series=3)
    >>> round(one.T_discharge_max - 273.15), round(two.T_discharge_max - 273.15)
    (279, 167)
    >>> round(two.p_condensation_max / 1e5, 1), round(two.COP_heating, 2)
    (54.4, 2.79)
    """
    func = "heat_pump_cop"
    _performance_option(performance, func)
    for nm, v in (("T_source_in", T_source_in), ("T_source_out", T_source_out),
                  ("T_sink_in", T_sink_in), ("T_sink_out", T_sink_out)):
        _c.positive_temperature(v, nm, func)
    if T_sink_out <= T_sink_in:
        raise InputError(f"{func}: T_sink_out ({_c.deg_c(T_sink_out)}) must exceed T_sink_in "
                         f"({_c.deg_c(T_sink_in)}).")
    if T_source_out > T_source_in:
        raise InputError(f"{func}: T_source_out ({_c.deg_c(T_source_out)}) must not exceed "
                         f"T_source_in ({_c.deg_c(T_source_in)}); the source is cooled.")
    if T_sink_out <= T_source_in:
        raise InputError(f"{func}: the sink ({_c.deg_c(T_sink_out)}) is not warmer than the "
                         f"source ({_c.deg_c(T_source_in)}); no heat pump is needed.")
    app_e = _c.nonnegative_scalar(evaporator_approach, "evaporator_approach", func)
    app_c = _c.nonnegative_scalar(condenser_approach, "condenser_approach", func)
    T_e = T_source_out - app_e
    T_c = T_sink_out + app_c
    nan = (math.nan,)
    if model == "lorenz_fraction":
        cop = float(max(1.0, efficiency * cop_lorenz_heating(T_sink_in, T_sink_out,
                                                             T_source_in, T_source_out)))
        return SeriesResult(COP_heating=cop, unit_COP=(cop,), T_condensation=nan,
                            T_evaporation=math.nan, T_sink_steps=(T_sink_out,),
                            T_discharge=nan, p_condensation=nan)
    if model == "carnot_fraction":
        return heat_pump_series(T_source_in, T_source_out, T_sink_in, T_sink_out,
                                n_series, model="carnot_fraction",
                                evaporator_approach=app_e, condenser_approach=app_c,
                                efficiency=efficiency)
    if model != "cycle":
        raise InputError(f"{func}: model must be one of {_COP_METHODS}, got {model!r}.")
    fluid = refrigerant
    if isinstance(refrigerant, str):
        # mapped units keep the name: the map makes the property object (and imports
        # CoolProp) only when it must compute a node; CO2 may run transcritical
        name = coolprop_name(refrigerant)
        fluid = name if performance == "map" and name != "R744" else _get(refrigerant)
    if getattr(fluid, "name", "") == "R744" and T_c >= fluid.T_critical:
        res = vapour_compression_cycle(
            fluid, T_e, isentropic_efficiency=isentropic_efficiency, superheat=superheat,
            T_gas_cooler_out=T_sink_in + app_c)
        return SeriesResult(COP_heating=res.COP_heating, unit_COP=(res.COP_heating,),
                            T_condensation=nan, T_evaporation=T_e, T_sink_steps=(T_sink_out,),
                            T_discharge=(res.T_discharge,),
                            p_condensation=(res.p_condensation,), transcritical=True)
    return heat_pump_series(T_source_in, T_source_out, T_sink_in, T_sink_out, n_series,
                            refrigerant=fluid, model="cycle", evaporator_approach=app_e,
                            condenser_approach=app_c,
                            isentropic_efficiency=isentropic_efficiency,
                            superheat=superheat, subcooling=subcooling, stages=stages,
                            subcool_to_sink_inlet=subcool_to_sink_inlet,
                            performance=performance)


def heat_pump_cop(T_source_in: float, T_source_out: float, T_sink_in: float,
                  T_sink_out: float, *,
                  model: Literal["cycle", "carnot_fraction", "lorenz_fraction"] = "cycle",
                  refrigerant: Any = "R717", evaporator_approach: float = 3.0,
                  condenser_approach: float = 3.0,
                  isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                  superheat: float = 5.0, subcooling: float = 2.0,
                  efficiency: float = DEFAULT_CARNOT_EFFICIENCY,
                  n_series: int = 1, stages: int = 1,
                  subcool_to_sink_inlet: bool = False) -> float:
    r"""Heating COP of a heat pump between a source and a sink stream (SI floats).

    ``heat_pump_performance(...).COP_heating`` (:func:`heat_pump_performance`
    also gives the discharge temperatures and condensing pressures).

    Parameters
    ----------
    T_source_in, T_source_out : float
        Source water in/out [K] (e.g. data-centre return cooled 40 → 35 °C).
    T_sink_in, T_sink_out : float
        Sink water in/out [K] (e.g. district-heating return/supply 45 → 85 °C).
    model : {"cycle", "carnot_fraction", "lorenz_fraction"}
        ``"cycle"``: :func:`vapour_compression_cycle` (or :func:`heat_pump_series`
        for ``n_series > 1``); transcritical with the optimal pressure for R744
        when the sink is above its critical temperature.
        ``"carnot_fraction"``: η × Carnot between condensation and evaporation.
        ``"lorenz_fraction"``: η × Lorenz of the two streams (no approaches).
    refrigerant : str or Refrigerant, optional
        Name (resolved with :func:`narvik_thermal.fluids.refrigerant.refrigerant`)
        or property object; default ``"R717"`` (ammonia, used at Drammen and Odense).
    evaporator_approach, condenser_approach : float, optional
        Refrigerant-to-water pinch [K], default 3 K (CDU-like approach, narvik-facts §2).
    isentropic_efficiency, superheat, subcooling : float, optional
        Cycle parameters, see :func:`vapour_compression_cycle`.
    efficiency : float, optional
        η for the fraction models [-], default 0.5.
    n_series : int, optional
        Units in series on the sink (:func:`heat_pump_series`), default 1.
    stages : {1, 2}, optional
        Compression stages per unit (:func:`two_stage_cycle` for 2), default 1.
    subcool_to_sink_inlet : bool, optional
        Subcool the condensate against the sink inlet (see :func:`heat_pump_series`).

    Returns
    -------
    float
        Heating COP [-].

    Notes
    -----
    Evaporation at :math:`T_{source,out} - \Delta T_{e}`, condensation at
    :math:`T_{sink,out} + \Delta T_{c}`. For the transcritical R744 cycle the
    gas cooler outlet is :math:`T_{sink,in} + \Delta T_{c}` (counterflow);
    the internal pinch of the gas cooler is not checked.

    Examples
    --------
    >>> round(heat_pump_cop(313.15, 308.15, 318.15, 358.15), 2)   # 40→35 °C to 45→85 °C
    3.87
    >>> round(heat_pump_cop(313.15, 308.15, 318.15, 358.15, model="carnot_fraction"), 2)
    3.22
    """
    return heat_pump_performance(
        T_source_in, T_source_out, T_sink_in, T_sink_out, model=model, refrigerant=refrigerant,
        evaporator_approach=evaporator_approach, condenser_approach=condenser_approach,
        isentropic_efficiency=isentropic_efficiency, superheat=superheat,
        subcooling=subcooling, efficiency=efficiency, n_series=n_series, stages=stages,
        subcool_to_sink_inlet=subcool_to_sink_inlet).COP_heating


# ---------------------------------------------------- configuration within limits
@dataclass(frozen=True)
class HeatPumpConfiguration:
    """Result of :func:`choose_heat_pump_configuration`.

    Attributes
    ----------
    refrigerant : str
        CoolProp name.
    stages : int
        Compression stages per unit (1 or 2).
    n_series : int
        Units in series on the sink.
    COP_heating : float
        Heating COP of the configuration at the design conditions [-].
    T_discharge : float
        Hottest discharge temperature of any unit [K].
    p_condensation : float
        Highest condensing (gas-cooler) pressure of any unit [Pa].
    limits : CompressorLimits
        The limits checked.
    discharge_margin : float
        ``limits.T_discharge_max − T_discharge`` [K] (≥ 0).
    pressure_margin : float
        ``limits.p_condensation_max − p_condensation`` [Pa] (≥ 0).
    performance : SeriesResult
        Unit by unit (:func:`heat_pump_performance`).
    rejected : tuple of (int, int, str)
        Configurations tried before, as (stages, n_series, reason).
    """

    refrigerant: str
    stages: int
    n_series: int
    COP_heating: float
    T_discharge: float
    p_condensation: float
    limits: CompressorLimits
    discharge_margin: float
    pressure_margin: float
    performance: SeriesResult
    rejected: tuple = ()

    @property
    def within_limits(self) -> bool:
        """Both margins non-negative."""
        return self.discharge_margin >= 0 and self.pressure_margin >= 0

    def describe(self) -> str:
        """One line: refrigerant, stages, units in series, COP, limits and margins.

        Examples
        --------
        >>> c = choose_heat_pump_configuration(281.15, 277.15, 338.15, 363.15)
        >>> c.describe()   # doctest: +NORMALIZE_WHITESPACE
        'R717 two-stage, 3 units in series: COP 2.79 at design; discharge 167 °C (limit
        180 °C, margin 13 K), condensing 54.4 bar (limit 60 bar, margin 5.6 bar)'
        """
        kind = "transcritical" if self.performance.transcritical else (
            "single-stage" if self.stages == 1 else "two-stage")
        units = "1 unit" if self.n_series == 1 else f"{self.n_series} units in series"
        lim = self.limits
        return (f"{self.refrigerant} {kind}, {units}: COP {self.COP_heating:.2f} at design; "
                f"discharge {self.T_discharge - _ZERO_C:.0f} °C (limit "
                f"{lim.T_discharge_max - _ZERO_C:.0f} °C, margin {self.discharge_margin:.0f} K), "
                f"condensing {self.p_condensation / 1e5:.1f} bar (limit "
                f"{lim.p_condensation_max / 1e5:.0f} bar, margin "
                f"{self.pressure_margin / 1e5:.1f} bar)")


def heat_pump_configuration(
        T_source_in: float, T_source_out: float, T_sink_in: float, T_sink_out: float,
        stages: int, n_series: int, *, refrigerant: Any = "R717",
        limits: CompressorLimits | None = None, evaporator_approach: float = 3.0,
        condenser_approach: float = 3.0,
        isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
        superheat: float = 5.0, subcooling: float = 2.0,
        subcool_to_sink_inlet: bool = False) -> HeatPumpConfiguration:
    """One (stages, units in series) configuration at design temperatures, with its
    margins to the compressor limits (negative when exceeded; nothing is raised for
    that — see :func:`choose_heat_pump_configuration`).

    Parameters are those of :func:`choose_heat_pump_configuration`; ``stages``
    (1 or 2) and ``n_series`` (>= 1) fix the configuration.

    Returns
    -------
    HeatPumpConfiguration

    Raises
    ------
    InputError
        A lift the cycle cannot make (e.g. condensing above the critical point),
        bad temperatures.

    Examples
    --------
    >>> c = heat_pump_configuration(281.15, 277.15, 338.15, 363.15, 1, 1)   # Drammen, 1 stage
    >>> c.within_limits, round(c.discharge_margin)
    (False, -99)
    """
    fluid = refrigerant
    if isinstance(refrigerant, str):
        fluid = _get(refrigerant)
    name = getattr(fluid, "name", str(fluid))
    lim = compressor_limits(name) if limits is None else limits
    perf = heat_pump_performance(
        T_source_in, T_source_out, T_sink_in, T_sink_out, model="cycle", refrigerant=fluid,
        evaporator_approach=evaporator_approach, condenser_approach=condenser_approach,
        isentropic_efficiency=isentropic_efficiency, superheat=superheat, subcooling=subcooling,
        subcool_to_sink_inlet=subcool_to_sink_inlet, stages=stages, n_series=n_series)
    T_d, p_c = perf.T_discharge_max, perf.p_condensation_max
    dm, pm = lim.margins(T_d, p_c)
    return HeatPumpConfiguration(
        refrigerant=name, stages=perf.stages, n_series=perf.n_units,
        COP_heating=perf.COP_heating, T_discharge=T_d, p_condensation=p_c, limits=lim,
        discharge_margin=dm, pressure_margin=pm, performance=perf)


def choose_heat_pump_configuration(
        T_source_in: float, T_source_out: float, T_sink_in: float, T_sink_out: float, *,
        refrigerant: Any = "R717", limits: CompressorLimits | None = None,
        max_sink_step: float | None = DEFAULT_MAX_SINK_STEP, max_series: int = 4,
        evaporator_approach: float = 3.0, condenser_approach: float = 3.0,
        isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
        superheat: float = 5.0, subcooling: float = 2.0,
        subcool_to_sink_inlet: bool = False, stages: int | None = None,
        n_series: int | None = None) -> HeatPumpConfiguration:
    r"""The simplest vapour-compression configuration that makes a lift within the
    compressor limits.

    Parameters
    ----------
    T_source_in, T_source_out, T_sink_in, T_sink_out : float
        Design stream temperatures [K].
    refrigerant : str or Refrigerant, optional
        Default ``"R717"`` (ammonia).
    limits : CompressorLimits, optional
        Default the refrigerant's entry of
        :data:`~narvik_thermal.correlations.heat_pump_limits.COMPRESSOR_LIMITS`.
    max_sink_step : float or None, optional
        Largest sink temperature rise of one condenser [K], default 10 K
        ([GEK], :data:`~narvik_thermal.correlations.heat_pump_limits.DEFAULT_MAX_SINK_STEP`);
        None: no such rule (the limits alone decide).
    max_series : int, optional
        Most units in series tried, default 4.
    evaporator_approach, condenser_approach, isentropic_efficiency, superheat, subcooling, subcool_to_sink_inlet
        Cycle parameters, as :func:`heat_pump_cop`.
    stages, n_series : int, optional
        Fix one (or both) and choose among the rest; a fixed ``n_series``
        overrides ``max_sink_step``.

    Returns
    -------
    HeatPumpConfiguration
        The choice, its COP at the design conditions and its margins to the limits.

    Raises
    ------
    InputError
        No configuration up to two stages and ``max_series`` units makes the
        lift within the limits; the message lists each one tried and why it
        failed.

    Notes
    -----
    Rule. A large sink glide is first split over
    :math:`n_0 = \lceil (T_{sink,out} - T_{sink,in}) / \Delta T_{step} \rceil`
    units in series: one condenser holding a large glide condenses at its
    outlet temperature throughout and wastes the colder part of the sink
    (Drammen: 25 K over three units, :math:`\Delta T_{step}` = 10 K [GEK]).
    Then the configurations are tried in the order

    .. math:: (1, n_0),\ (2, n_0),\ (1, n_0 + 1),\ (2, n_0 + 1),\ \dots,\ (2, n_{max})

    as (stages, units in series), and the first whose every unit stays within
    the discharge-temperature and condensing-pressure limits is taken. One
    stage before two: a second stage adds a compressor and an intercooler to
    the same unit; fewer units before more: a unit in series is a whole heat
    pump. In this model units in series do not relieve the limits (the last
    unit still condenses at the sink outlet and all evaporate at the source
    outlet, :func:`heat_pump_series`); the second stage lowers the discharge
    temperature; nothing lowers the condensing pressure, which the sink outlet
    fixes — then only another refrigerant or a lower supply temperature helps.

    A transcritical R744 cycle (sink above 31 °C + approach) is one single-stage
    unit whose gas cooler glides with the sink; it is the only candidate.

    Examples
    --------
    Drammen, narvik-facts §5 (R39, R40, R62): fjord water 8→4 °C, district
    heating 65→90 °C, NH3; the plant has three two-stage units, COP 3.05:

    >>> c = choose_heat_pump_configuration(281.15, 277.15, 338.15, 363.15)
    >>> c.stages, c.n_series, round(c.COP_heating, 2)
    (2, 3, 2.79)
    >>> c.rejected[0][:2], c.rejected[0][2][:40]
    ((1, 3), 'discharge temperature 279.1 °C above the')
    """
    func = "choose_heat_pump_configuration"
    fluid = refrigerant
    if isinstance(refrigerant, str):
        fluid = _get(refrigerant)
    name = getattr(fluid, "name", str(fluid))
    lim = compressor_limits(name) if limits is None else limits
    if not isinstance(max_series, (int, np.integer)) or isinstance(max_series, bool) \
            or max_series < 1:
        raise InputError(f"{func}: max_series must be an integer >= 1, got {max_series!r}.")
    n0 = 1
    if max_sink_step is not None:
        step = _c.nonnegative_scalar(max_sink_step, "max_sink_step", func)
        if step <= 0:
            raise InputError(f"{func}: max_sink_step must be > 0 K (or None), got {step!r}.")
        n0 = max(1, math.ceil((T_sink_out - T_sink_in) / step - 1e-9))
    transcritical = name == "R744" and T_sink_out + condenser_approach >= fluid.T_critical
    if transcritical:
        candidates = [(1, 1)]
    elif n_series is not None:
        candidates = [(st, n_series) for st in (1, 2)]
    else:
        if n0 > max_series:
            raise InputError(
                f"{func}: the sink rises {T_sink_out - T_sink_in:.1f} K; at most "
                f"{max_sink_step} K per condenser needs {n0} units in series, more than "
                f"max_series={max_series}. Raise max_series or max_sink_step.")
        candidates = [(st, n) for n in range(n0, max_series + 1) for st in (1, 2)]
    if stages is not None:
        candidates = [c for c in candidates if c[0] == stages]
        if not candidates:
            raise InputError(f"{func}: a transcritical R744 heat pump is modelled with one "
                             f"stage; got stages={stages!r}.")
    kw = dict(refrigerant=fluid, limits=lim, evaporator_approach=evaporator_approach,
              condenser_approach=condenser_approach,
              isentropic_efficiency=isentropic_efficiency, superheat=superheat,
              subcooling=subcooling, subcool_to_sink_inlet=subcool_to_sink_inlet)
    # the stream temperatures themselves (errors no configuration can mend)
    heat_pump_performance(T_source_in, T_source_out, T_sink_in, T_sink_out,
                          model="carnot_fraction", evaporator_approach=evaporator_approach,
                          condenser_approach=condenser_approach)
    rejected = []
    for st, n in candidates:
        try:
            c = heat_pump_configuration(T_source_in, T_source_out, T_sink_in, T_sink_out,
                                        st, n, **kw)
        except InputError as exc:
            rejected.append((st, n, f"no cycle: {exc}"))
            continue
        bad = lim.violations(c.T_discharge, c.p_condensation)
        if bad:
            rejected.append((st, n, "; ".join(bad)))
            continue
        return replace(c, rejected=tuple(rejected))
    tried = "; ".join(f"{st} stage(s) × {n} in series: {why}" for st, n, why in rejected)
    raise InputError(
        f"{func}: no {name} configuration makes the lift from {_c.deg_c(T_source_out)} "
        f"(source outlet) to {_c.deg_c(T_sink_out)} (sink outlet) within the compressor "
        f"limits. Tried {tried}. Lower the supply temperature, raise the source "
        "temperature, or choose another refrigerant (e.g. R744 transcritical for a large "
        "sink glide).")


# every public function and the configuration refuse pint Quantities (not the solvers' variants)
_c.refuse_quantities(globals(), unchecked=("mapped_performance", "mapped_series"),
                     classes=("HeatPumpConfiguration",))
