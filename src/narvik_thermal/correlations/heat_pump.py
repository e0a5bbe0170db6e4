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
- :func:`part_load_cop` — EN 14825 [5]_ cycling degradation;
- :func:`heat_pump_cop` — the one-call helper used by :mod:`narvik_thermal.feasibility`.

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

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..errors import InputError
from . import _checks as _c
from .heat_pump_cycle import (DEFAULT_ISENTROPIC_EFFICIENCY, CycleResult, StatePoint,
                              TwoStageResult, optimal_gas_cooler_pressure_liao, two_stage_cycle,
                              vapour_compression_cycle)

__all__ = [
    "StatePoint",
    "CycleResult",
    "SeriesResult",
    "log_mean_temperature",
    "cop_carnot_heating",
    "cop_lorenz_heating",
    "cop_carnot_fraction",
    "vapour_compression_cycle",
    "TwoStageResult",
    "two_stage_cycle",
    "optimal_gas_cooler_pressure_liao",
    "heat_pump_series",
    "part_load_cop",
    "heat_pump_cop",
    "heat_pump_cop_methods",
    "DEFAULT_ISENTROPIC_EFFICIENCY",
    "DEFAULT_CARNOT_EFFICIENCY",
]

#: Fraction of the Carnot COP reached by real large heat pumps [-]; narvik-facts
#: "Suggested library defaults" (η = 0.5, range 0.4–0.65; §5 rule 0.45–0.6 [GEK]).
DEFAULT_CARNOT_EFFICIENCY = 0.5

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
    """Result of :func:`heat_pump_series`.

    Attributes
    ----------
    COP_heating : float
        Overall heating COP: total heat over total compressor work [-].
    unit_COP : tuple of float
        Heating COP of each unit, first (coldest sink) to last [-].
    T_condensation : tuple of float
        Condensation temperature of each unit [K].
    T_evaporation : float
        Common evaporation temperature [K].
    T_sink_steps : tuple of float
        Sink temperature after each unit [K].
    """

    COP_heating: float
    unit_COP: tuple[float, ...]
    T_condensation: tuple[float, ...]
    T_evaporation: float
    T_sink_steps: tuple[float, ...]


def heat_pump_series(T_source_in: float, T_source_out: float, T_sink_in: float,
                     T_sink_out: float, n_units: int, *,
                     refrigerant: Any = None,
                     model: Literal["cycle", "carnot_fraction"] = "cycle",
                     evaporator_approach: float = 3.0, condenser_approach: float = 3.0,
                     isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                     superheat: float = 5.0, subcooling: float = 2.0,
                     efficiency: float = DEFAULT_CARNOT_EFFICIENCY, stages: int = 1,
                     subcool_to_sink_inlet: bool = False) -> SeriesResult:
    r"""Split a large temperature lift across ``n_units`` heat pumps in series on the sink.

    Parameters
    ----------
    T_source_in, T_source_out : float
        Source stream in/out [K] (cooled).
    T_sink_in, T_sink_out : float
        Sink stream in/out [K] (heated).
    n_units : int
        Number of units, >= 1.
    refrigerant : Refrigerant, optional
        Needed for ``model="cycle"``.
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
      :math:`T_{cond,i} = T_{sink,in} + i\,\Delta T + \Delta T_{app}`;
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
    step = (T_sink_out - T_sink_in) / n_units
    steps = tuple(T_sink_in + (i + 1) * step for i in range(n_units))
    T_conds = tuple(t + app_c for t in steps)
    if stages not in (1, 2):
        raise InputError(f"{func}: stages must be 1 or 2, got {stages!r}.")
    cycle = vapour_compression_cycle if stages == 1 else two_stage_cycle
    cops = []
    for i, T_c in enumerate(T_conds):
        if model == "cycle":
            if refrigerant is None:
                raise InputError(f"{func}: model='cycle' needs a refrigerant object.")
            sc = subcooling
            if subcool_to_sink_inlet:
                sc = max(subcooling, T_c - (T_sink_in + i * step + app_c))
            cops.append(cycle(
                refrigerant, T_e, T_c, isentropic_efficiency=isentropic_efficiency,
                superheat=superheat, subcooling=sc).COP_heating)
        elif model == "carnot_fraction":
            cops.append(float(cop_carnot_fraction(T_c, T_e, efficiency)))
        else:
            raise InputError(f"{func}: model must be 'cycle' or 'carnot_fraction', got {model!r}.")
    total = n_units / sum(1.0 / c for c in cops)
    return SeriesResult(COP_heating=total, unit_COP=tuple(cops), T_condensation=T_conds,
                        T_evaporation=T_e, T_sink_steps=steps)


# ---------------------------------------------------------------------- part load
def part_load_cop(cop_full: Any, part_load_ratio: Any, Cd: float | None = None, *,
                  method: Literal["en14825_air", "en14825_water"] = "en14825_air") -> Any:
    r"""COP at part load from on/off cycling degradation, EN 14825 [5]_.

    Parameters
    ----------
    cop_full : float or array_like
        COP at the declared (full-capacity) point of the same conditions [-].
    part_load_ratio : float or array_like
        Capacity ratio CR = heat demand / declared capacity [-], in (0, 1].
    Cd : float, optional
        Degradation coefficient [-]. Default per method: 0.25 for
        ``"en14825_air"`` and 0.9 for ``"en14825_water"`` (the EN 14825
        defaults when Cd is not measured).
    method : {"en14825_air", "en14825_water"}
        Degradation form (air-to-air units, or water/brine-to-water units).

    Returns
    -------
    float or numpy.ndarray
        Part-load COP [-].

    Notes
    -----
    For units that cycle on/off below their minimum capacity:

    .. math::
        COP_{PL} = COP_{DC}\,[1 - C_d (1 - CR)] \quad \text{(air)}, \qquad
        COP_{PL} = COP_{DC}\,\frac{CR}{C_c\,CR + (1 - C_c)} \quad \text{(water)}.

    Both equal :math:`COP_{DC}` at CR = 1. Large district-heating heat pumps
    modulate capacity (slide valve, speed) down to 20–30 % before they cycle
    [GEK]; apply this only to the cycling range.

    References
    ----------
    .. [5] CEN, EN 14825:2022, "Air conditioners, liquid chilling packages and
       heat pumps, with electrically driven compressors, for space heating and
       cooling — Testing and rating at part load conditions and calculation of
       seasonal performance", 2022.

    Examples
    --------
    >>> round(part_load_cop(3.0, 0.5), 3)
    2.625
    >>> round(part_load_cop(3.0, 0.5, method="en14825_water"), 3)
    2.727
    """
    func = "part_load_cop"
    cop = _c.finite(cop_full, "cop_full", func)
    if np.any(cop <= 0):
        raise InputError(f"{func}: cop_full must be > 0, got {cop_full!r}.")
    cr = _c.finite(part_load_ratio, "part_load_ratio", func)
    if np.any((cr <= 0) | (cr > 1)):
        raise InputError(f"{func}: part_load_ratio must be in (0, 1] (demand over declared "
                         f"capacity), got {part_load_ratio!r}; above 1 the unit is at full "
                         "load and a back-up supplies the rest.")
    if method == "en14825_air":
        cd = 0.25 if Cd is None else Cd
    elif method == "en14825_water":
        cd = 0.9 if Cd is None else Cd
    else:
        raise InputError(f"{func}: method must be 'en14825_air' or 'en14825_water', "
                         f"got {method!r}.")
    if not 0.0 <= float(cd) <= 1.0:
        raise InputError(f"{func}: Cd must be in [0, 1], got {cd!r}.")
    if method == "en14825_air":
        return _c.out(cop * (1.0 - cd * (1.0 - cr)))
    return _c.out(cop * cr / (cd * cr + (1.0 - cd)))


# ------------------------------------------------------------------ one-call helper
_COP_METHODS = ("cycle", "carnot_fraction", "lorenz_fraction")


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
    func = "heat_pump_cop"
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
    if model == "lorenz_fraction":
        return float(max(1.0, efficiency * cop_lorenz_heating(T_sink_in, T_sink_out,
                                                              T_source_in, T_source_out)))
    if model == "carnot_fraction":
        if n_series > 1:
            return heat_pump_series(T_source_in, T_source_out, T_sink_in, T_sink_out,
                                    n_series, model="carnot_fraction",
                                    evaporator_approach=app_e, condenser_approach=app_c,
                                    efficiency=efficiency).COP_heating
        return float(cop_carnot_fraction(T_c, T_e, efficiency))
    if model != "cycle":
        raise InputError(f"{func}: model must be one of {_COP_METHODS}, got {model!r}.")
    fluid = refrigerant
    if isinstance(refrigerant, str):
        from ..fluids.refrigerant import refrigerant as _get
        fluid = _get(refrigerant)
    if getattr(fluid, "name", "") == "R744" and T_c >= fluid.T_critical:
        return vapour_compression_cycle(
            fluid, T_e, isentropic_efficiency=isentropic_efficiency, superheat=superheat,
            T_gas_cooler_out=T_sink_in + app_c).COP_heating
    return heat_pump_series(T_source_in, T_source_out, T_sink_in, T_sink_out, n_series,
                            refrigerant=fluid, model="cycle", evaporator_approach=app_e,
                            condenser_approach=app_c,
                            isentropic_efficiency=isentropic_efficiency,
                            superheat=superheat, subcooling=subcooling, stages=stages,
                            subcool_to_sink_inlet=subcool_to_sink_inlet).COP_heating
