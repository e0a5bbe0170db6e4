r"""District-heating networks: pipe sizes, buried-pipe U-values, consumers, layout.

The layout under the heat export: a :class:`DistrictHeatingNetwork` is a
laid-out design (pipes sized, per-pipe U-values from the buried pair model
[1]_; default temperatures and consumers from narvik-facts [2]_) that :func:`~narvik_thermal.plant.heat_export_network.add_district_heating`
builds into a :class:`~narvik_thermal.network.Network`, for
:class:`~narvik_thermal.plant.heat_export.HeatExportPlant` and
:class:`~narvik_thermal.plant.campus.Campus`. See
:mod:`narvik_thermal.plant.heat_export_network` for the modelling choices
(substations, boiler, pipe heat loss).

References
----------
.. [1] EN 13941-1:2019, district heating pipes, design (buried pipe pair).
.. [2] narvik-facts §4 (R38 climate, R56/R57 Narvik DH, R60 network generations,
   R61 45 K cooling), §6 (greenhouses, R73–R78).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..correlations.buried_pipe import buried_pipe_pair_heat_loss
from ..correlations.friction import Reynolds, friction_churchill, pressure_drop_darcy
from ..demand import greenhouse_heat_demand
from ..errors import InputError, require_type, user_api
from ..network.result import P_ATMOSPHERE
from ..units import Q_
from . import defaults as D

__all__ = [
    "PIPE_SERIES_1", "PipeSize", "select_pipe", "buried_pair_u_values",
    "Consumer", "greenhouse_consumer", "town_consumers",
    "DistrictHeatingNetwork", "district_heating_network", "pressure_gradient",
]

#: Pre-insulated bonded steel pipes, insulation series 1 (EN 253 dimensions as
#: printed in manufacturers' catalogues [GEK]): DN → (steel outer diameter,
#: steel wall, casing outer diameter) [m].
PIPE_SERIES_1: dict[int, tuple[float, float, float]] = {
    25: (0.0337, 0.0026, 0.090), 32: (0.0424, 0.0026, 0.110), 40: (0.0483, 0.0026, 0.110),
    50: (0.0603, 0.0029, 0.125), 65: (0.0761, 0.0029, 0.140), 80: (0.0889, 0.0032, 0.160),
    100: (0.1143, 0.0036, 0.200), 125: (0.1397, 0.0036, 0.225), 150: (0.1683, 0.0040, 0.250),
    200: (0.2191, 0.0045, 0.315), 250: (0.2730, 0.0050, 0.400), 300: (0.3239, 0.0056, 0.450),
    350: (0.3556, 0.0056, 0.500), 400: (0.4064, 0.0063, 0.560), 450: (0.4570, 0.0063, 0.630),
    500: (0.5080, 0.0063, 0.710), 600: (0.6100, 0.0071, 0.800), 700: (0.7110, 0.0080, 0.900),
    800: (0.8130, 0.0088, 1.000), 900: (0.9140, 0.0100, 1.100), 1000: (1.0160, 0.0110, 1.200),
}
_K_PUR = 0.027        # W/(m K), PUR foam (buried_pipe examples) [GEK]
_K_SOIL = 1.5         # W/(m K), moist soil [GEK]
_DEPTH = 1.0          # m, depth of the pipe axes [GEK]
_GAP = 0.15           # m, clear distance between casings (EN 13941 minimum) [GEK]
_MAX_VELOCITY = 1.5   # m/s, design velocity limit of DH pipes [GEK]
_MAX_GRADIENT = 100.0  # Pa/m, design friction gradient of DH pipes [GEK]
_SUBSTATION_DP = 0.5e5   # Pa, substation primary pressure drop at design flow [GEK]
_VALVE_DP_MIN = 0.3e5    # Pa, differential left over the critical substation's valve [GEK]
_ROUGHNESS = 0.045e-3     # m, steel service pipe (as Network.add_pipe's default)
#: allowance on the friction losses when the trunk is sized to the pressure rating (the
#: pump heat, the regulated pump's band above the critical valve's differential, the
#: properties taken at the mean of supply and return): the estimate errs 2–10 % high,
#: 11 % low for 0.1 MW at the end of 5 km, and a plant over its rating is flagged
_TRUNK_HEAD_MARGIN = 0.1
PUMP_EFFICIENCY = 0.75  # DH circulation pump hydraulic efficiency [GEK]


# ----------------------------------------------------------------------- pipes
@user_api
@dataclass(frozen=True)
class PipeSize:
    """A pre-insulated pipe size.

    Attributes
    ----------
    dn : int
        Nominal size.
    d_inner, d_steel, d_casing : float
        Inner diameter, steel outer diameter, casing outer diameter [m].
    """

    dn: int
    d_inner: float
    d_steel: float
    d_casing: float


def pipe_size(dn: int) -> PipeSize:
    """The pipe of nominal size ``dn`` of :data:`PIPE_SERIES_1` (EN 253 steel service pipe
    in its casing): inner and outer steel diameter and casing diameter [m]."""
    d_s, wall, d_c = PIPE_SERIES_1[dn]
    return PipeSize(dn, d_s - 2 * wall, d_s, d_c)


@user_api
def select_pipe(flow: Any, *, max_velocity: Any = f"{_MAX_VELOCITY} m/s",
                max_pressure_gradient: Any = f"{_MAX_GRADIENT} Pa/m",
                density: Any = "970 kg/m^3", viscosity: Any = "0.35 mPa*s",
                roughness: Any = "0.045 mm") -> PipeSize:
    r"""Smallest series-1 pipe within a velocity and a pressure-gradient limit.

    Parameters
    ----------
    flow : pint.Quantity
        Design mass or volume flow.
    max_velocity : pint.Quantity, optional
        Velocity limit, default 1.5 m/s [GEK].
    max_pressure_gradient : pint.Quantity, optional
        Friction pressure drop per metre at design flow, default 100 Pa/m
        (district-heating design practice 50–200 Pa/m [GEK]).
    density, viscosity : pint.Quantity, optional
        Water near 80 °C, default 970 kg/m³ and 0.35 mPa·s.
    roughness : pint.Quantity, optional
        Wall roughness, default 0.045 mm (as :meth:`Network.add_pipe`).

    Returns
    -------
    PipeSize

    Notes
    -----
    :math:`\Delta p/L = f\,\rho v^2/(2D)` with the Churchill friction factor
    (:func:`~narvik_thermal.correlations.friction.friction_churchill`).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> select_pipe(nt.Q_(20, "kg/s")).dn
    150
    """
    mag, kind = U.to_flow(flow, "flow")
    rho = U.to_si(density, "kg/m^3", "density")
    mu = U.to_si(viscosity, "Pa*s", "viscosity")
    eps = U.to_si(roughness, "m", "roughness")
    V = float(mag) / rho if kind == "mass" else float(mag)
    vmax = U.to_si(max_velocity, "m/s", "max_velocity")
    rmax = U.to_si(max_pressure_gradient, "Pa/m", "max_pressure_gradient")
    if not (vmax > 0 and rmax > 0) or V < 0:
        raise InputError(f"select_pipe: flow ({flow}) must be >= 0 and max_velocity "
                         f"({max_velocity}), max_pressure_gradient ({max_pressure_gradient}) > 0.")
    for dn in PIPE_SERIES_1:
        p = pipe_size(dn)
        if V / (math.pi * p.d_inner ** 2 / 4) > vmax or pressure_gradient(p, V, rho, mu,
                                                                          eps) > rmax:
            continue
        return p
    biggest = pipe_size(max(PIPE_SERIES_1))
    raise InputError(f"select_pipe: {V:.3g} m³/s is too much for DN{biggest.dn} within "
                     f"{vmax} m/s and {rmax} Pa/m; split the flow over parallel pipes or "
                     "raise the limits.")


def pressure_gradient(pipe: PipeSize, volume_flow: float, density: float, viscosity: float,
                      roughness: float = _ROUGHNESS) -> float:
    r"""Friction pressure drop per metre [Pa/m] of a volume flow [m³/s] in ``pipe`` (SI
    numbers): :math:`\Delta p/L = f\,\rho v^2/(2D)` with the Churchill friction factor
    (:func:`~narvik_thermal.correlations.friction.friction_churchill`), the law
    :func:`select_pipe` sizes by; zero without flow."""
    if not volume_flow > 0:
        return 0.0
    D_i = pipe.d_inner
    v = volume_flow / (math.pi * D_i ** 2 / 4)
    f = float(friction_churchill(Reynolds(v, D_i, density, viscosity), roughness / D_i))
    return float(pressure_drop_darcy(f, 1.0, D_i, density, v))


def _trunk_within_rating(pipe: PipeSize, need: Any, budget: float) -> PipeSize:
    """The smallest series-1 pipe from ``pipe`` up whose head ``need(p)`` [Pa] (the
    circulation pump's, :func:`district_heating_network`) fits ``budget`` [Pa]; ``pipe``
    itself if none does (the solve then flags ``over_pressure``)."""
    for dn in (d for d in PIPE_SERIES_1 if d >= pipe.dn):
        p = pipe_size(dn)
        if need(p) <= budget:
            return p
    return pipe


@user_api
def buried_pair_u_values(pipe: PipeSize, supply_temperature: Any, return_temperature: Any,
                         ground_temperature: Any, *, k_insulation: Any = f"{_K_PUR} W/(m*K)",
                         k_soil: Any = f"{_K_SOIL} W/(m*K)", depth: Any = f"{_DEPTH} m",
                         spacing: Any = None) -> tuple[Any, Any]:
    r"""Effective per-metre U-values of the supply and return pipe of a buried pair.

    Parameters
    ----------
    pipe : PipeSize
        Both pipes of the trench.
    supply_temperature, return_temperature, ground_temperature : pint.Quantity
        Design temperatures (absolute).
    k_insulation, k_soil : pint.Quantity, optional
        Conductivities, default PUR 0.027 and soil 1.5 W/(m·K) [GEK].
    depth : pint.Quantity, optional
        Depth of the pipe axes, default 1 m [GEK].
    spacing : pint.Quantity, optional
        Centre-to-centre distance, default casing diameter + 0.15 m [GEK].

    Returns
    -------
    (pint.Quantity, pint.Quantity)
        :math:`U_s = q_s/(T_s - T_g)` and :math:`U_r = \max(0, q_r/(T_r - T_g))`
        [W/(m·K)], with :math:`q_s, q_r` from
        :func:`~narvik_thermal.correlations.buried_pipe.buried_pipe_pair_heat_loss`.

    Notes
    -----
    The pair's interaction (the warm supply pipe heating the return pipe's
    surroundings) is folded into the two values at the design temperatures;
    away from them the per-pipe values are a linearisation.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> us, ur = buried_pair_u_values(select_pipe(nt.Q_(20, "kg/s")), nt.Q_(85, "degC"),
    ...                               nt.Q_(45, "degC"), nt.Q_(5, "degC"))
    >>> round(us.m_as("W/(m*K)"), 3), round(ur.m_as("W/(m*K)"), 3)
    (0.37, 0.332)
    """
    Ts = U.to_temperature(supply_temperature, "supply_temperature")
    Tr = U.to_temperature(return_temperature, "return_temperature")
    Tg = U.to_temperature(ground_temperature, "ground_temperature")
    if not (Ts > Tg and Tr > Tg):
        raise InputError(f"buried_pair_u_values: supply ({supply_temperature}) and return "
                         f"({return_temperature}) must be warmer than the ground "
                         f"({ground_temperature}).")
    C = pipe.d_casing + _GAP if spacing is None else U.to_si(spacing, "m", "spacing")
    r = buried_pipe_pair_heat_loss(Ts, Tr, Tg, pipe.d_casing, pipe.d_steel,
                                   U.to_si(k_insulation, "W/(m*K)", "k_insulation"),
                                   U.to_si(depth, "m", "depth"), C,
                                   U.to_si(k_soil, "W/(m*K)", "k_soil"))
    return (Q_(float(r.heat_loss_supply) / (Ts - Tg), "W/(m*K)"),
            Q_(max(0.0, float(r.heat_loss_return) / (Tr - Tg)), "W/(m*K)"))


# ------------------------------------------------------------------ consumers
@user_api
@dataclass(frozen=True)
class Consumer:
    """A district-heating consumer (substation) and its service pipe pair.

    Attributes
    ----------
    name : str
        Unique name; the consumer edge (``Network.add_consumer``) is ``name``,
        the substation's primary pressure drop ``"<name>:hx"``, its pipes
        ``"<name>:supply"`` / ``"<name>:return"``.
    heat : pint.Quantity
        Heat demand [power], > 0.
    length : pint.Quantity
        Length of the pipe pair from ``upstream`` to this consumer's tee [length].
    upstream : str, optional
        Consumer whose tee this one hangs off; default the town hub (end of the
        trunk line).
    return_temperature : pint.Quantity, optional
        Temperature the substation cools the water to; default the network's.
    pipe : PipeSize, optional
        Pipe of the service line; default sized for the design flow of this
        consumer and all downstream of it (:func:`select_pipe`).
    """

    name: str
    heat: Any
    length: Any = "100 m"
    upstream: str | None = None
    return_temperature: Any = None
    pipe: PipeSize | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"Consumer: name={self.name!r} must be a non-empty string.")
        if self.upstream is not None and not isinstance(self.upstream, str):
            raise InputError(f"Consumer {self.name!r}: upstream={self.upstream!r} must be the "
                             "name of another consumer, or None (the town hub).")
        if self.pipe is not None:
            require_type(self.pipe, PipeSize, f"Consumer {self.name!r}: pipe",
                         "a PipeSize (nt.plant.select_pipe(...)) or None")


@user_api
def greenhouse_consumer(outdoor_temperature: Any, *, cover_area: Any,
                        name: str = "greenhouse", length: Any = "2 km",
                        upstream: str | None = None,
                        return_temperature: Any = "40 degC", **demand: Any) -> Consumer:
    """A greenhouse as a district-heating consumer, its demand from
    :func:`~narvik_thermal.demand.greenhouse_heat_demand`.

    Parameters
    ----------
    outdoor_temperature : pint.Quantity
        Outdoor temperature of the design (or the hour) solved (scalar).
    cover_area : pint.Quantity
        Glazed cover area [m²].
    name, length, upstream : optional
        See :class:`Consumer`; default a 2 km connection from the town hub [GEK].
    return_temperature : pint.Quantity, optional
        Greenhouse heating circuits run cool; default 40 °C [GEK].
    **demand
        Passed to :func:`~narvik_thermal.demand.greenhouse_heat_demand`
        (``u_value``, ``indoor_setpoint``, ``screen_factor``, ...).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> c = greenhouse_consumer(nt.Q_(-4, "degC"), cover_area=nt.Q_(10000, "m^2"))
    >>> round(c.heat.m_as("MW"), 2)
    1.44
    """
    q = greenhouse_heat_demand(outdoor_temperature, cover_area=cover_area, **demand)
    if np.ndim(q.magnitude) != 0:
        raise InputError("greenhouse_consumer: outdoor_temperature must be one value (the "
                         "hour or design condition solved), not a series.")
    return Consumer(name=name, heat=q.to("MW"), length=length, upstream=upstream,
                    return_temperature=return_temperature)


@user_api
def town_consumers(total_heat: Any, n: int, *, branches: int = 4,
                   spacing: Any = "150 m", prefix: str = "sub") -> list[Consumer]:
    """Equal substations along ``branches`` feeder lines from the town hub.

    Parameters
    ----------
    total_heat : pint.Quantity
        Sum of the demands [power].
    n : int
        Number of substations (each ``total_heat / n``).
    branches : int, optional
        Number of feeders leaving the hub; consumers are chained along them.
    spacing : pint.Quantity, optional
        Pipe length between successive consumers of a feeder.
    prefix : str, optional
        Names are ``f"{prefix}{k}"``.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> cs = town_consumers(nt.Q_(10, "MW"), 6, branches=2)
    >>> [c.upstream for c in cs]
    [None, None, 'sub0', 'sub1', 'sub2', 'sub3']
    """
    n = U.to_integer(n, "town_consumers: n", minimum=1)
    branches = U.to_integer(branches, "town_consumers: branches", minimum=1)
    if not isinstance(prefix, str) or not prefix:
        raise InputError(f"town_consumers: prefix={prefix!r} must be a non-empty string.")
    if not U.to_si(total_heat, "W", "total_heat") > 0:
        raise InputError(f"town_consumers: total_heat={total_heat} must be positive.")
    q = U.parse(total_heat, "total_heat") / int(n)
    out = []
    for k in range(int(n)):
        up = None if k < branches else f"{prefix}{k - branches}"
        out.append(Consumer(f"{prefix}{k}", q, length=spacing, upstream=up))
    return out


# ------------------------------------------------------------ DH network spec
@user_api
@dataclass(frozen=True)
class DistrictHeatingNetwork:
    """A district-heating network: trunk line, consumers, boiler, pump.

    Build with :func:`district_heating_network`.
    ``HeatExportPlant(dh=...).solve()``
    (:class:`~narvik_thermal.plant.heat_export.HeatExportPlant`) solves it with
    the boiler as the only heat source;
    :func:`~narvik_thermal.plant.heat_export.heat_export_plant` puts heat pumps
    in front of the boiler.

    Attributes
    ----------
    consumers : tuple of Consumer
    supply_temperature, return_temperature, ground_temperature : float
        Design temperatures [K].
    trunk_length : float
        Transmission line from the plant to the town hub [m] (0: none).
    trunk_pipe : PipeSize
    pipes : dict
        Service pipe of each consumer.
    u_values : dict
        ``name → (U_supply, U_return)`` [W/(m K)] of every pipe pair.
    lengths : dict
        ``name → length`` [m] of every pipe pair (``"trunk"`` included).
    pump_head : float or None
        Head of the circulation pump [m]; None sizes it to leave
        ``valve_dp_min`` over the critical consumer's control valve.
    fluid : Fluid
    pressure_rating : float
        Gauge pressure rating of the network [Pa] (PN16 by default); a node
        above it is flagged ``over_pressure`` (``Network.set_pressure_rating``).
    """

    consumers: tuple
    supply_temperature: float
    return_temperature: float
    ground_temperature: float
    trunk_length: float
    trunk_pipe: PipeSize
    pipes: dict
    u_values: dict
    lengths: dict
    design_flows: dict
    pump_head: float | None
    substation_dp: float
    valve_dp_min: float
    pressure: float
    fluid: Any
    pressure_rating: float = D.DH_PRESSURE_RATING.value.m_as("Pa")
    layout: dict = field(default_factory=dict, repr=False)

    def return_temperature_of(self, c: Consumer) -> float:
        return (self.return_temperature if c.return_temperature is None else
                U.to_temperature(c.return_temperature, f"{c.name}.return_temperature"))


@user_api
def district_heating_network(consumers: Sequence[Consumer], *,
                             supply_temperature: Any = "85 degC",
                             return_temperature: Any = "45 degC",
                             ground_temperature: Any = "5 degC",
                             trunk_length: Any = "20 km",
                             max_velocity: Any = f"{_MAX_VELOCITY} m/s",
                             max_pressure_gradient: Any = f"{_MAX_GRADIENT} Pa/m",
                             trunk_pipe: PipeSize | None = None,
                             k_insulation: Any = f"{_K_PUR} W/(m*K)",
                             k_soil: Any = f"{_K_SOIL} W/(m*K)",
                             depth: Any = f"{_DEPTH} m",
                             pump_head: Any = None,
                             substation_pressure_drop: Any = f"{_SUBSTATION_DP} Pa",
                             valve_pressure_drop: Any = f"{_VALVE_DP_MIN} Pa",
                             pressure: Any = "3 bar",
                             fluid: Any = None,
                             pressure_rating: Any = D.DH_PRESSURE_RATING.value
                             ) -> DistrictHeatingNetwork:
    r"""Lay out a district-heating network: size pipes, compute buried-pipe U-values.

    Parameters
    ----------
    consumers : sequence of Consumer
        Substations; ``upstream`` links make a tree rooted at the town hub.
    supply_temperature, return_temperature : pint.Quantity, optional
        Design supply and return, default 85 / 45 °C (narvik-facts defaults;
        4th-generation networks run 55–70 °C, R60; Statkraft Varme asks for
        45 K cooling, R61).
    ground_temperature : pint.Quantity, optional
        Undisturbed ground temperature at pipe depth, default 5 °C (close to the
        Narvik annual mean air temperature 5.1 °C, R38) [GEK].
    trunk_length : pint.Quantity, optional
        Transmission line from the data-centre plant to the town hub; default
        20 km (Kvandal to Narvik by road, narvik-facts §0, [GEK]).
    max_velocity, max_pressure_gradient : pint.Quantity, optional
        Pipe sizing limits, default 1.5 m/s and 100 Pa/m [GEK] (:func:`select_pipe`).
    trunk_pipe : PipeSize, optional
        Pipe of the trunk line; default sized like the others, enlarged where the
        circulation pump's head at the design demand would put the plant above
        ``pressure_rating`` (the trunk's and the critical branch's friction with the
        supply cooling along the trunk, the substation and valve differentials, plus
        10 %; 20 km at 100 Pa/m would be 40 bar). A pipe given is taken as given.
    k_insulation, k_soil, depth : pint.Quantity, optional
        Buried-pipe parameters (see :func:`buried_pair_u_values`).
    pump_head : pint.Quantity, optional
        Circulation pump head; default sized so that ``valve_pressure_drop``
        remains over the critical consumer's control valve.
    substation_pressure_drop : pint.Quantity, optional
        Primary-side pressure drop of each substation at its design flow,
        default 0.5 bar [GEK].
    valve_pressure_drop : pint.Quantity, optional
        Differential each consumer's control valve needs (the consumers'
        ``min_pressure_difference``; less is flagged ``consumer_underpressure``),
        kept over the critical one by the default pump head, default 0.3 bar [GEK].
    pressure : pint.Quantity, optional
        Expansion-tank pressure at the plant return, default 3 bar.
    fluid : Fluid, optional
        Default :func:`narvik_thermal.fluids.water`.
    pressure_rating : pint.Quantity, optional
        Gauge pressure rating of the pipes, default PN16 = 16 bar
        (:data:`~narvik_thermal.plant.defaults.DH_PRESSURE_RATING`); the builder
        sets it on the DH circuit (``Network.set_pressure_rating``), so a node
        above it is flagged ``over_pressure``.

    Returns
    -------
    DistrictHeatingNetwork

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> dh = district_heating_network([Consumer("school", nt.Q_(1, "MW"))],
    ...                               trunk_length=nt.Q_(1, "km"))
    >>> from narvik_thermal.plant.heat_export import HeatExportPlant
    >>> r = HeatExportPlant(dh=dh).solve()
    >>> round(r.return_temperature("school").m_as("degC"), 6)
    45.0
    """
    from ..fluids import Fluid, water
    fluid = water() if fluid is None else require_type(
        fluid, Fluid, "district_heating_network: fluid", "a fluid such as nt.fluids.water()")
    Ts = U.to_temperature(supply_temperature, "supply_temperature")
    Tr = U.to_temperature(return_temperature, "return_temperature")
    Tg = U.to_temperature(ground_temperature, "ground_temperature")
    if not Ts > Tr:
        raise InputError(f"district_heating_network: supply_temperature ({supply_temperature}) "
                         f"must exceed return_temperature ({return_temperature}).")
    if not Tr > Tg:
        raise InputError(f"district_heating_network: return_temperature ({return_temperature}) "
                         f"must exceed ground_temperature ({ground_temperature}).")
    if isinstance(consumers, (str, Consumer)) or not hasattr(consumers, "__iter__"):
        raise InputError(f"district_heating_network: consumers={consumers!r} must be a list of "
                         "Consumer (nt.plant.Consumer(...), town_consumers(...)).")
    consumers = tuple(consumers)
    for k, c in enumerate(consumers):
        require_type(c, Consumer, f"district_heating_network: consumers[{k}]",
                     "a nt.plant.Consumer(name, heat, ...)")
    if not consumers:
        raise InputError("district_heating_network: give at least one Consumer.")
    names = [c.name for c in consumers]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise InputError(f"district_heating_network: duplicate consumer names {sorted(dup)}.")
    by_name = {c.name: c for c in consumers}
    reserved = {"trunk", "hub", "plant", "boiler", "dh_pump", "src", "fish"}
    for c in consumers:
        if c.name in reserved or ":" in c.name:
            raise InputError(f"consumer name {c.name!r} is reserved or contains ':'; "
                             f"avoid {sorted(reserved)}.")
        if c.upstream is not None and c.upstream not in by_name:
            raise InputError(f"consumer {c.name!r}: upstream {c.upstream!r} is not a consumer "
                             f"name; known: {names[:10]}.")
    # cycle check and downstream sums
    h_s, h_r = (float(x) for x in fluid.enthalpy_T(np.array([Ts, Tr])))
    flow: dict[str, float] = {}
    for c in consumers:
        q = U.to_si(c.heat, "W", f"{c.name}.heat")
        if not q > 0:
            raise InputError(f"consumer {c.name!r}: heat={c.heat} must be a positive demand.")
        Trc = (Tr if c.return_temperature is None else
               U.to_temperature(c.return_temperature, f"{c.name}.return_temperature"))
        if not Ts > Trc > Tg:
            raise InputError(f"consumer {c.name!r}: return_temperature {c.return_temperature} "
                             "must lie between the ground and the supply temperature.")
        flow[c.name] = q / (h_s - float(fluid.enthalpy_T(np.array([Trc]))[0]))
    total = dict(flow)
    for c in consumers:
        seen = {c.name}
        u = c.upstream
        while u is not None:
            if u in seen:
                raise InputError(f"consumer {c.name!r}: the upstream links form a loop "
                                 f"through {u!r}; a district-heating tree cannot loop.")
            seen.add(u)
            total[u] += flow[c.name]
            u = by_name[u].upstream
    Tm = np.array([0.5 * (Ts + Tr)])
    size = dict(max_velocity=max_velocity, max_pressure_gradient=max_pressure_gradient,
                density=Q_(float(fluid.density_pT(Tm)[0]), "kg/m^3"),
                viscosity=Q_(float(fluid.viscosity_pT(Tm)[0]), "Pa*s"))
    kw = dict(k_insulation=k_insulation, k_soil=k_soil, depth=depth)
    pipes, u_values, lengths = {}, {}, {}
    for c in consumers:
        p = c.pipe or select_pipe(Q_(total[c.name], "kg/s"), **size)
        pipes[c.name] = p
        lengths[c.name] = U.to_si(c.length, "m", f"{c.name}.length")
        if not lengths[c.name] > 0:
            raise InputError(f"consumer {c.name!r}: length={c.length} must be positive.")
        u_values[c.name] = tuple(x.m_as("W/(m*K)") for x in buried_pair_u_values(
            p, Q_(Ts, "K"), Q_(Tr, "K"), Q_(Tg, "K"), **kw))
    L_trunk = U.to_si(trunk_length, "m", "trunk_length")
    if L_trunk < 0:
        raise InputError(f"trunk_length={trunk_length} must be >= 0.")
    trunk = trunk_pipe or select_pipe(Q_(sum(flow.values()), "kg/s"), **size)
    substation_dp = U.to_si(substation_pressure_drop, "Pa", "substation_pressure_drop")
    valve_dp = U.to_si(valve_pressure_drop, "Pa", "valve_pressure_drop")
    p_tank = U.to_si(pressure, "Pa", "pressure")
    rating = U.to_si(pressure_rating, "Pa", "pressure_rating")
    if trunk_pipe is None and L_trunk > 0:
        # the trunk of a long transmission line sized by the gradient alone can need a pump
        # head beyond the rating the builder sets (20 km at 100 Pa/m: 40 bar): it takes the
        # smallest pipe whose pump head at the design demand stays within it
        rho, mu = size["density"].m_as("kg/m^3"), size["viscosity"].m_as("Pa*s")
        cp = (h_s - h_r) / (Ts - Tr)
        m_town = sum(flow.values())

        def branch(c):                    # supply and return friction from the hub to c
            dp = 0.0
            while c is not None:
                dp += 2.0 * lengths[c.name] * pressure_gradient(
                    pipes[c.name], total[c.name] / rho, rho, mu)
                c = by_name[c.upstream] if c.upstream is not None else None
            return dp

        town_dp = max(branch(c) for c in consumers) + substation_dp

        def need(p):
            """The pump's head [Pa] with trunk ``p``: the supply cools along it (at its
            buried U-value), so the consumers take more than their design flows (a small
            town at the end of a long line: a fifth more), and every friction loss
            follows the square of the flow; then the critical valve's differential."""
            U_s = buried_pair_u_values(p, Q_(Ts, "K"), Q_(Tr, "K"), Q_(Tg, "K"),
                                       **kw)[0].m_as("W/(m*K)")
            k = 1.0
            for _ in range(20):           # k = (Ts − Tr)/(T_hub − Tr), a contraction
                T_hub = Tg + (Ts - Tg) * math.exp(-U_s * L_trunk / (k * m_town * cp))
                if not T_hub > Tr:
                    return math.inf
                k = (Ts - Tr) / (T_hub - Tr)
            trunk_dp = 2.0 * L_trunk * pressure_gradient(p, k * m_town / rho, rho, mu)
            return (1.0 + _TRUNK_HEAD_MARGIN) * (trunk_dp + k * k * town_dp) + valve_dp

        trunk = _trunk_within_rating(trunk, need, rating + P_ATMOSPHERE - p_tank)
    if L_trunk > 0:
        lengths["trunk"] = L_trunk
        u_values["trunk"] = tuple(x.m_as("W/(m*K)") for x in buried_pair_u_values(
            trunk, Q_(Ts, "K"), Q_(Tr, "K"), Q_(Tg, "K"), **kw))
    head = None if pump_head is None else U.to_si(
        pump_head, "m", "pump_head")
    return DistrictHeatingNetwork(
        consumers=consumers, supply_temperature=Ts, return_temperature=Tr,
        ground_temperature=Tg, trunk_length=L_trunk, trunk_pipe=trunk, pipes=pipes,
        u_values=u_values, lengths=lengths, design_flows=flow, pump_head=head,
        substation_dp=substation_dp, valve_dp_min=valve_dp, pressure=p_tank, fluid=fluid,
        pressure_rating=rating,
        layout=dict(supply_temperature=supply_temperature, return_temperature=return_temperature,
                    ground_temperature=ground_temperature, trunk_length=trunk_length,
                    max_velocity=max_velocity, max_pressure_gradient=max_pressure_gradient,
                    trunk_pipe=trunk_pipe, k_insulation=k_insulation, k_soil=k_soil,
                    depth=depth, pump_head=pump_head,
                    substation_pressure_drop=substation_pressure_drop,
                    valve_pressure_drop=valve_pressure_drop, pressure=pressure, fluid=fluid,
                    pressure_rating=pressure_rating))
