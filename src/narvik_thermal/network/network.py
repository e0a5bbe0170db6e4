"""The :class:`Network`: named nodes, edges, boundaries and fluids.

A network is built with ``add_*`` calls (one component) or their plural forms
(``add_pipes``, ``add_cold_plates``, … taking equal-length arrays), then solved
with :meth:`Network.solve`. All inputs are pint Quantities (or unit strings),
converted once to SI here; the compiled struct-of-arrays and the solvers never
see pint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from .. import units as U
from ..components.kinds import ARRANGEMENTS, EdgeKind, HydraulicLaw, ThermalLaw
from ..components.pump import fit_quadratic_curve
from ..errors import InputError, TopologyError
from .compiled import unknown_name_message

__all__ = ["Network"]

_CHARACTERISTICS = ("linear", "equal_percentage", "quick_opening")


@dataclass
class _Chunk:
    """Edges added by one ``add_*`` call: one kind, one hydraulic and one thermal law."""

    kind: EdgeKind
    hlaw: HydraulicLaw
    tlaw: ThermalLaw
    offset: int
    names: list[str]
    start: np.ndarray
    end: np.ndarray
    count: np.ndarray
    params: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.names)


def _names(names: Any, what: str) -> list[str]:
    if isinstance(names, str):
        return [names]
    out = [str(n) for n in names]
    return out


def _broadcast(value: np.ndarray | float, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    arr = arr.ravel()
    if arr.size != n:
        raise InputError(f"{name} has {arr.size} values but {n} components are being "
                         f"added; give one value or one per component.")
    return arr


def _positive(arr: np.ndarray, name: str, names: list[str], unit: str,
              allow_zero: bool = False) -> None:
    bad = ~(arr >= 0) if allow_zero else ~(arr > 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        rel = "non-negative" if allow_zero else "positive"
        raise InputError(f"{name}={arr[i]:.6g} {unit} for '{names[i]}' must be {rel}"
                         f"{'' if bad.sum() == 1 else f' ({int(bad.sum())} components are not)'}.")


class Network:
    """A steady thermal-hydraulic network of one or more fluid circuits.

    Parameters
    ----------
    name : str
        Name of the network (for summaries).
    fluid : Fluid, optional
        Default fluid of every circuit that has none set with :meth:`set_fluid`.

    Notes
    -----
    Positive flow runs from an edge's ``start`` node to its ``end`` node; the
    solver finds the sign. Nodes are created by the edges that name them;
    :meth:`add_node` is needed only to give an elevation.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> Q_ = nt.Q_
    >>> net = nt.Network("loop", fluid=nt.fluids.water())
    >>> net.add_pump("pump", "a", "b", head=Q_(10, "m"))
    >>> net.add_pipe("pipe", "b", "a", length=Q_(100, "m"), diameter=Q_(50, "mm"))
    >>> net.add_heat_load("load", "a", "c", heat=Q_(0, "kW"))
    >>> net.add_expansion_tank("a", pressure=Q_(2, "bar"))
    """

    def __init__(self, name: str = "network", fluid: Any = None) -> None:
        self.name = str(name)
        self.default_fluid = fluid
        self._node_index: dict[str, int] = {}
        self._node_names: list[str] = []
        self._node_elevation: dict[int, float] = {}
        self._explicit_nodes: set[int] = set()
        self._edge_index: dict[str, int] = {}
        self._chunks: list[_Chunk] = []
        self._n_edges = 0
        self._tanks: dict[int, float] = {}
        self._pressure_bcs: dict[int, tuple[float, float]] = {}
        self._flow_bcs: dict[int, tuple[float, str, float]] = {}
        self._fluids: dict[int, Any] = {}
        self._hx_specs: list[dict[str, Any]] = []
        self._hp_specs: list[dict[str, Any]] = []
        self._controls: list[dict[str, Any]] = []
        self._version = 0
        self._compiled = None

    # ------------------------------------------------------------------ nodes
    @property
    def node_names(self) -> list[str]:
        """Names of all nodes, in index order."""
        return list(self._node_names)

    @property
    def edge_names(self) -> list[str]:
        """Names of all edges, in index order."""
        out: list[str] = []
        for c in self._chunks:
            out.extend(c.names)
        return out

    @property
    def n_nodes(self) -> int:
        return len(self._node_names)

    @property
    def n_edges(self) -> int:
        return self._n_edges

    def _touch(self) -> None:
        self._version += 1
        self._compiled = None

    def _node_ids(self, names: Sequence[str], create: bool = True) -> np.ndarray:
        index = self._node_index
        get = index.get
        ids = [get(n, -1) for n in names]
        missing = [k for k, i in enumerate(ids) if i < 0]
        if missing:
            if not create:
                raise TopologyError(self._unknown("node", names[missing[0]], index))
            nn = self._node_names
            for k in missing:
                n = names[k]
                i = get(n)
                if i is None:
                    i = len(nn)
                    index[n] = i
                    nn.append(n)
                ids[k] = i
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    def _node_id(self, name: str) -> int:
        i = self._node_index.get(str(name))
        if i is None:
            raise TopologyError(self._unknown("node", str(name), self._node_index))
        return i

    @staticmethod
    def _unknown(what: str, name: str, index: dict[str, int]) -> str:
        return unknown_name_message(what, name, index)

    def add_node(self, name: str, elevation: Any = "0 m") -> None:
        """Add a node with an elevation (nodes are otherwise created by edges).

        Parameters
        ----------
        name : str
            Node name.
        elevation : Quantity, optional
            Height above the datum [length]; enters the static head ρ g Δz.
        """
        self.add_nodes([name], elevation=elevation)

    def add_nodes(self, names: Iterable[str], elevation: Any = "0 m") -> None:
        """Plural form of :meth:`add_node` taking arrays."""
        names = _names(names, "names")
        z = _broadcast(U.to_si(elevation, "m", "elevation"), len(names), "elevation")
        ids = self._node_ids(names)
        for n, i, zi in zip(names, ids, z):
            if i in self._explicit_nodes:
                raise TopologyError(f"duplicate node name {n!r}: add_node was already "
                                    "called for it; node names must be unique.")
            self._explicit_nodes.add(int(i))
            self._node_elevation[int(i)] = float(zi)
        self._touch()

    # ------------------------------------------------------------------ edges
    def _register(self, kind: EdgeKind, hlaw: HydraulicLaw, tlaw: ThermalLaw,
                  names: Any, starts: Any, ends: Any, count: Any,
                  params: dict[str, Any]) -> _Chunk:
        names = _names(names, "names")
        n = len(names)
        starts = _names(starts, "starts")
        ends = _names(ends, "ends")
        if len(starts) == 1 and n > 1:
            starts = starts * n
        if len(ends) == 1 and n > 1:
            ends = ends * n
        if len(starts) != n or len(ends) != n:
            raise InputError(f"{len(names)} names, {len(starts)} start nodes and "
                             f"{len(ends)} end nodes were given; give one start and one end "
                             "node per edge.")
        idx = self._edge_index
        base = self._n_edges
        if len(set(names)) != n:
            seen: set[str] = set()
            dup = next(x for x in names if x in seen or seen.add(x))  # type: ignore[func-returns-value]
            raise TopologyError(f"duplicate edge name {dup!r} within one call; edge names "
                                "must be unique.")
        if not idx.keys().isdisjoint(names):
            nm = next(x for x in names if x in idx)
            raise TopologyError(f"duplicate edge name {nm!r}: an edge of that name "
                                "already exists; edge names must be unique.")
        same = [k for k, (a, b) in enumerate(zip(starts, ends)) if a == b]
        if same:
            k = same[0]
            raise TopologyError(f"edge {names[k]!r} runs from node {starts[k]!r} to itself; "
                                "an edge must join two different nodes.")
        cnt = _broadcast(U.to_si(count, "", "count"), n, "count")
        _positive(cnt, "count", names, "")
        p = {k: _broadcast(v, n, k) for k, v in params.items()}
        # nothing below can fail: a rejected call leaves the network unchanged
        idx.update(zip(names, range(base, base + n)))
        s = self._node_ids(starts)
        e = self._node_ids(ends)
        chunk = _Chunk(kind, hlaw, tlaw, base, names, s, e, cnt, p)
        self._chunks.append(chunk)
        self._n_edges += n
        self._touch()
        return chunk

    @staticmethod
    def _flow_param(value: Any, name: str, n: int, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        mag, kind = U.to_flow(value, name)
        mag = _broadcast(mag, n, name)
        return mag, np.full(n, 1.0 if kind == "mass" else 0.0)

    # pipes --------------------------------------------------------------
    def add_pipe(self, name: str, start: str, end: str, *, length: Any, diameter: Any,
                 roughness: Any = "0.045 mm", minor_loss: float = 0.0,
                 u_value: Any = None, ambient: Any = None, count: Any = 1) -> None:
        """Add a pipe (Darcy–Weisbach, Churchill friction, optional heat loss).

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
        u_value : Quantity, optional
            Heat-loss coefficient to the surroundings: per metre of pipe
            [W/(m·K)] (as the buried-pipe model gives) or per m² of inner wall
            [W/(m²·K)]. Requires ``ambient``.
        ambient : Quantity, optional
            Temperature of the surroundings (absolute).
        count : int, optional
            Number of identical pipes in parallel this edge stands for.
        """
        self.add_pipes([name], [start], [end], length=length, diameter=diameter,
                       roughness=roughness, minor_loss=minor_loss, u_value=u_value,
                       ambient=ambient, count=count)

    def add_pipes(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str], *,
                  length: Any, diameter: Any, roughness: Any = "0.045 mm",
                  minor_loss: Any = 0.0, u_value: Any = None, ambient: Any = None,
                  count: Any = 1) -> None:
        """Plural form of :meth:`add_pipe`: equal-length arrays (or scalars) per argument."""
        names = _names(names, "names")
        n = len(names)
        L = _broadcast(U.to_si(length, "m", "length"), n, "length")
        D = _broadcast(U.to_si(diameter, "m", "diameter"), n, "diameter")
        eps = _broadcast(U.to_si(roughness, "m", "roughness"), n, "roughness")
        K = _broadcast(U.to_si(minor_loss, "", "minor_loss"), n, "minor_loss")
        _positive(L, "length", names, "m")
        _positive(D, "diameter", names, "m")
        _positive(eps, "roughness", names, "m", allow_zero=True)
        _positive(K, "minor_loss", names, "", allow_zero=True)
        params: dict[str, Any] = dict(length=L, diameter=D, roughness=eps, minor_loss=K)
        tlaw = ThermalLaw.ADIABATIC
        if u_value is not None or ambient is not None:
            if u_value is None or ambient is None:
                raise InputError("u_value and ambient go together: give both for a pipe "
                                 "that exchanges heat with its surroundings, or neither.")
            q = U.parse(u_value, "u_value")
            if q.check("[power] / [length] / [temperature]"):
                ua = _broadcast(U.to_si(q, "W/(m*K)", "u_value"), n, "u_value") * L
            elif q.check("[power] / [length] ** 2 / [temperature]"):
                ua = _broadcast(U.to_si(q, "W/(m^2*K)", "u_value"), n, "u_value") * np.pi * D * L
            else:
                raise InputError(f"u_value={q} has dimension {q.dimensionality}; expected "
                                 "W/(m·K) per metre of pipe or W/(m²·K) per m² of wall.")
            _positive(ua, "u_value", names, "W/K", allow_zero=True)
            params["ua"] = ua
            params["ambient"] = _broadcast(U.to_temperature(ambient, "ambient"), n, "ambient")
            tlaw = ThermalLaw.AMBIENT
        self._register(EdgeKind.PIPE, HydraulicLaw.DARCY, tlaw, names, starts, ends,
                       count, params)

    # pumps --------------------------------------------------------------
    def add_pump(self, name: str, start: str, end: str, *, curve: Any = None,
                 flow: Any = None, head: Any = None, speed: float = 1.0,
                 efficiency: float | None = None, motor_efficiency: float = 0.95,
                 heat_to_fluid: bool = True, count: Any = 1) -> None:
        """Add a pump: a head–flow curve, or an ideal pump of fixed flow or head.

        Parameters
        ----------
        name, start, end : str
            Edge name; the pump lifts pressure from ``start`` to ``end``.
        curve : (Quantity, Quantity), optional
            Flows [volume/time] and heads [length] (or pressure rises) of the
            rated curve at speed ratio 1. See
            :func:`narvik_thermal.components.pump.fit_quadratic_curve`.
        flow : Quantity, optional
            Ideal pump imposing this mass or volume flow (per pump).
        head : Quantity, optional
            Ideal pump imposing this head [length] or pressure rise [pressure].
        speed : float, optional
            Speed ratio n/n_rated for the affinity laws (curve pumps) [-].
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
        names = [name]
        given = [x is not None for x in (curve, flow, head)]
        if sum(given) != 1:
            raise InputError(f"pump {name!r}: give exactly one of curve=, flow= or head= "
                             f"(got {sum(given)}).")
        sp = float(U.to_si(speed, "", "speed"))
        if not sp > 0:
            raise InputError(f"pump {name!r}: speed={sp} must be a positive speed ratio.")
        params: dict[str, Any] = dict(speed=sp, motor_efficiency=float(motor_efficiency),
                                      efficiency=np.nan if efficiency is None else float(efficiency),
                                      pump_heat=1.0 if heat_to_fluid else 0.0)
        for key in ("efficiency", "motor_efficiency"):
            v = params[key]
            if not np.isnan(v) and not 0 < v <= 1:
                raise InputError(f"pump {name!r}: {key}={v} must lie in (0, 1].")
        if curve is not None:
            try:
                qpts, hpts = curve
            except (TypeError, ValueError):
                raise InputError(f"pump {name!r}: curve must be a pair (flows, heads), e.g. "
                                 "(Q_([0, 100, 200], 'm^3/h'), Q_([30, 25, 12], 'm')).") from None
            qv = np.atleast_1d(U.to_si(qpts, "m^3/s", "curve flows"))
            hq = U.parse(hpts, "curve heads")
            is_p = hq.check("[pressure]")
            hv = np.atleast_1d(U.to_si(hq, "Pa" if is_p else "m", "curve heads"))
            c = fit_quadratic_curve(qv, hv, name=f"pump {name!r}")
            params.update(a0=c.a0, a1=c.a1, a2=c.a2, q_max=c.q_max,
                          curve_is_pressure=1.0 if is_p else 0.0)
            hlaw = HydraulicLaw.PUMP_CURVE
        elif flow is not None:
            mag, kind = U.to_flow(flow, "flow")
            if not float(mag) > 0:
                raise InputError(f"pump {name!r}: flow={flow} must be positive; reverse the "
                                 "pump's start and end nodes for the other direction.")
            params.update(fixed_flow=float(mag), fixed_flow_is_mass=1.0 if kind == "mass" else 0.0)
            hlaw = HydraulicLaw.FIXED_FLOW
        else:
            hq = U.parse(head, "head")
            is_p = hq.check("[pressure]")
            hv = float(U.to_si(hq, "Pa" if is_p else "m", "head"))
            params.update(fixed_rise=hv, fixed_rise_is_head=0.0 if is_p else 1.0)
            hlaw = HydraulicLaw.FIXED_RISE
        self._register(EdgeKind.PUMP, hlaw, ThermalLaw.PUMP_HEAT, names, [start], [end],
                       count, params)

    # valves -------------------------------------------------------------
    def add_valve(self, name: str, start: str, end: str, *, kvs: Any, opening: float = 1.0,
                  characteristic: str = "linear", rangeability: float = 50.0,
                  check: bool = False, count: Any = 1) -> None:
        """Add a control valve (Kv law with an opening characteristic) or a check valve.

        Parameters
        ----------
        kvs : Quantity
            Flow coefficient at full opening, given as the flow of water in
            m³/h at 1 bar pressure drop (pass e.g. ``Q_(40, "m^3/h")``).
        opening : float
            Valve opening 0…1 [-]. 0 shuts it: a linear back-resistance of 1e10
            Pa·s/kg, i.e. a leakage of 1e-5 kg/s per bar (keeps Newton regular).
        characteristic : {"linear", "equal_percentage", "quick_opening"}
            Inherent characteristic.
        rangeability : float
            Kvs/Kv_min of an equal-percentage valve [-].
        check : bool
            True makes it a check valve: it blocks flow from end to start.
        """
        if characteristic not in _CHARACTERISTICS:
            raise InputError(f"valve {name!r}: characteristic={characteristic!r} is not one "
                             f"of {_CHARACTERISTICS}.")
        kv = float(U.to_si(kvs, "m^3/h", "kvs"))
        if not kv > 0:
            raise InputError(f"valve {name!r}: kvs={kvs} must be positive.")
        op = float(U.to_si(opening, "", "opening"))
        if not 0.0 <= op <= 1.0:
            raise InputError(f"valve {name!r}: opening={op} must lie in [0, 1].")
        if not rangeability > 1:
            raise InputError(f"valve {name!r}: rangeability={rangeability} must exceed 1.")
        params = dict(kvs=kv, opening=op, characteristic=float(_CHARACTERISTICS.index(characteristic)),
                      rangeability=float(rangeability), check=1.0 if check else 0.0)
        self._register(EdgeKind.VALVE, HydraulicLaw.VALVE_KV, ThermalLaw.ADIABATIC,
                       [name], [start], [end], count, params)

    # cold plates --------------------------------------------------------
    def add_cold_plate(self, name: str, start: str, end: str, *, heat: Any,
                       thermal_resistance: Any, rated_flow: Any, rated_pressure_drop: Any,
                       pressure_exponent: float = 2.0, convective_fraction: float = 0.5,
                       resistance_exponent: float = 0.8, max_chip_temperature: Any = None,
                       count: Any = 1) -> None:
        """Add a GPU/CPU cold plate: heat input, rated pressure drop, chip temperature.

        See :meth:`add_cold_plates` for the parameters.
        """
        self.add_cold_plates([name], [start], [end], heat=heat,
                             thermal_resistance=thermal_resistance, rated_flow=rated_flow,
                             rated_pressure_drop=rated_pressure_drop,
                             pressure_exponent=pressure_exponent,
                             convective_fraction=convective_fraction,
                             resistance_exponent=resistance_exponent,
                             max_chip_temperature=max_chip_temperature, count=count)

    def add_cold_plates(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                        *, heat: Any, thermal_resistance: Any, rated_flow: Any,
                        rated_pressure_drop: Any, pressure_exponent: Any = 2.0,
                        convective_fraction: Any = 0.5, resistance_exponent: Any = 0.8,
                        max_chip_temperature: Any = None, count: Any = 1) -> None:
        """Add cold plates (plural form; arrays or scalars per argument).

        Parameters
        ----------
        heat : Quantity
            Heat from the chip into the coolant per plate [power], ≥ 0.
        thermal_resistance : Quantity
            Chip(case)-to-coolant resistance at the rated flow [K/W] (GB200
            target < 0.03 K/W, narvik-facts R22).
        rated_flow : Quantity
            Flow at which the resistance and pressure drop are rated (mass or volume).
        rated_pressure_drop : Quantity
            Pressure drop at the rated flow [pressure] (GB200 target ≤ 20 kPa, R22).
        pressure_exponent : float
            n in Δp ∝ Vⁿ (2 for loss-coefficient dominated passages and quick
            disconnects; 1–1.75 for laminar micro-channels) [-].
        convective_fraction : float
            Share of the rated resistance that is convective and falls with flow [-]
            (default 0.5 [GEK]).
        resistance_exponent : float
            Exponent of the convective part, R_conv ∝ V^-n [-] (default 0.8).
        max_chip_temperature : Quantity, optional
            Chip limit; a solved chip above it is flagged.
        count : int
            Identical plates in parallel this edge stands for.

        Notes
        -----
        Chip temperature = mean coolant temperature in the plate + heat × R(V),
        see :func:`narvik_thermal.correlations.cold_plate.thermal_resistance_flow`.
        """
        names = _names(names, "names")
        n = len(names)
        q = _broadcast(U.to_si(heat, "W", "heat"), n, "heat")
        _positive(q, "heat", names, "W", allow_zero=True)
        R = _broadcast(U.to_si(thermal_resistance, "K/W", "thermal_resistance"), n,
                       "thermal_resistance")
        _positive(R, "thermal_resistance", names, "K/W")
        fr, fr_mass = self._flow_param(rated_flow, "rated_flow", n, names)
        _positive(fr, "rated_flow", names, "SI flow")
        dp = _broadcast(U.to_si(rated_pressure_drop, "Pa", "rated_pressure_drop"), n,
                        "rated_pressure_drop")
        _positive(dp, "rated_pressure_drop", names, "Pa")
        pe = _broadcast(U.to_si(pressure_exponent, "", "pressure_exponent"), n, "pressure_exponent")
        if np.any((pe < 1) | (pe > 2.5)):
            raise InputError(f"pressure_exponent must lie in [1, 2.5], got {pe.min():.3g}..{pe.max():.3g}.")
        cf = _broadcast(U.to_si(convective_fraction, "", "convective_fraction"), n,
                        "convective_fraction")
        if np.any((cf < 0) | (cf > 1)):
            raise InputError("convective_fraction must lie in [0, 1].")
        re_ = _broadcast(U.to_si(resistance_exponent, "", "resistance_exponent"), n,
                         "resistance_exponent")
        _positive(re_, "resistance_exponent", names, "", allow_zero=True)
        tmax = (np.full(n, np.inf) if max_chip_temperature is None else
                _broadcast(U.to_temperature(max_chip_temperature, "max_chip_temperature"), n,
                           "max_chip_temperature"))
        params = dict(heat=q, dp_rated=dp, flow_rated=fr, flow_rated_is_mass=fr_mass,
                      dp_exponent=pe, r_cond=R * (1 - cf), r_conv=R * cf, r_exponent=re_,
                      t_chip_max=tmax)
        self._register(EdgeKind.COLD_PLATE, HydraulicLaw.POWER_LAW, ThermalLaw.FIXED_HEAT,
                       names, starts, ends, count, params)

    # heat loads ---------------------------------------------------------
    def _rated_dp_params(self, n: int, names: list[str], pressure_drop: Any, rated_flow: Any,
                         exponent: Any, what: str) -> tuple[HydraulicLaw, dict[str, Any]]:
        if pressure_drop is None and rated_flow is None:
            return HydraulicLaw.IDEAL, {}
        if pressure_drop is None or rated_flow is None:
            raise InputError(f"{what}: a pressure drop needs both the pressure drop and the "
                             "rated flow at which it holds.")
        dp = _broadcast(U.to_si(pressure_drop, "Pa", "pressure_drop"), n, "pressure_drop")
        _positive(dp, "pressure_drop", names, "Pa")
        fr, frm = self._flow_param(rated_flow, "rated_flow", n, names)
        _positive(fr, "rated_flow", names, "SI flow")
        pe = _broadcast(U.to_si(exponent, "", "pressure_exponent"), n, "pressure_exponent")
        return HydraulicLaw.POWER_LAW, dict(dp_rated=dp, flow_rated=fr, flow_rated_is_mass=frm,
                                            dp_exponent=pe)

    def add_heat_load(self, name: str, start: str, end: str, *, heat: Any,
                      pressure_drop: Any = None, rated_flow: Any = None,
                      pressure_exponent: float = 2.0, count: Any = 1) -> None:
        """Add a heat load: heat into (+) or out of (−) the fluid.

        Parameters
        ----------
        heat : Quantity
            Heat added to the fluid per unit [power]; negative removes heat.
        pressure_drop, rated_flow : Quantity, optional
            Rated pressure drop and the flow at which it holds; without them the
            load has no pressure drop.
        """
        self.add_heat_loads([name], [start], [end], heat=heat, pressure_drop=pressure_drop,
                            rated_flow=rated_flow, pressure_exponent=pressure_exponent,
                            count=count)

    def add_heat_loads(self, names: Sequence[str], starts: Sequence[str], ends: Sequence[str],
                       *, heat: Any, pressure_drop: Any = None, rated_flow: Any = None,
                       pressure_exponent: Any = 2.0, count: Any = 1) -> None:
        """Plural form of :meth:`add_heat_load`."""
        names = _names(names, "names")
        n = len(names)
        q = _broadcast(U.to_si(heat, "W", "heat"), n, "heat")
        hlaw, params = self._rated_dp_params(n, names, pressure_drop, rated_flow,
                                             pressure_exponent, "heat load")
        params["heat"] = q
        self._register(EdgeKind.HEAT_LOAD, hlaw, ThermalLaw.FIXED_HEAT, names, starts, ends,
                       count, params)

    # set-point heater/cooler ---------------------------------------------
    def add_setpoint(self, name: str, start: str, end: str, *, outlet_temperature: Any,
                     pressure_drop: Any = None, rated_flow: Any = None,
                     pressure_exponent: float = 2.0, count: Any = 1) -> None:
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
        n = 1
        t = _broadcast(U.to_temperature(outlet_temperature, "outlet_temperature"), n,
                       "outlet_temperature")
        hlaw, params = self._rated_dp_params(n, [name], pressure_drop, rated_flow,
                                             pressure_exponent, f"setpoint {name!r}")
        params["t_set"] = t
        self._register(EdgeKind.SETPOINT, hlaw, ThermalLaw.SETPOINT, [name], [start], [end],
                       count, params)

    # heat exchangers ----------------------------------------------------
    def add_heat_exchanger(self, name: str, hot: tuple[str, str], cold: tuple[str, str], *,
                           ua: Any = None, effectiveness: float | None = None,
                           arrangement: str = "counterflow",
                           hot_pressure_drop: Any = None, hot_rated_flow: Any = None,
                           cold_pressure_drop: Any = None, cold_rated_flow: Any = None,
                           pressure_exponent: float = 2.0, count: Any = 1) -> None:
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
        count : int
            Identical exchangers in parallel.
        """
        if arrangement not in ARRANGEMENTS:
            raise InputError(f"heat exchanger {name!r}: arrangement={arrangement!r} is not "
                             f"one of {ARRANGEMENTS}.")
        if (ua is None) == (effectiveness is None):
            raise InputError(f"heat exchanger {name!r}: give exactly one of ua= or "
                             "effectiveness=.")
        if ua is not None:
            uav = float(U.to_si(ua, "W/K", "ua"))
            if not uav > 0:
                raise InputError(f"heat exchanger {name!r}: ua={ua} must be positive.")
            eps = np.nan
        else:
            uav = np.nan
            eps = float(U.to_si(effectiveness, "", "effectiveness"))
            if not 0 < eps <= 1:
                raise InputError(f"heat exchanger {name!r}: effectiveness={eps} must lie in (0, 1].")
        try:
            (hs, he), (cs, ce) = hot, cold
        except (TypeError, ValueError):
            raise InputError(f"heat exchanger {name!r}: hot= and cold= must each be a pair "
                             "(inlet node, outlet node).") from None
        hx_id = len(self._hx_specs)
        common = dict(hx_ua=uav, hx_eps=eps, arrangement=float(ARRANGEMENTS.index(arrangement)),
                      hx_id=float(hx_id))
        hl, hp = self._rated_dp_params(1, [f"{name}:hot"], hot_pressure_drop, hot_rated_flow,
                                       pressure_exponent, f"heat exchanger {name!r} hot side")
        cl, cp = self._rated_dp_params(1, [f"{name}:cold"], cold_pressure_drop, cold_rated_flow,
                                       pressure_exponent, f"heat exchanger {name!r} cold side")
        if name in {s["name"] for s in self._hx_specs}:
            raise TopologyError(f"duplicate heat exchanger name {name!r}.")
        h = self._register(EdgeKind.HX_HOT, hl, ThermalLaw.HX, [f"{name}:hot"], [hs], [he],
                           count, {**hp, **common})
        c = self._register(EdgeKind.HX_COLD, cl, ThermalLaw.HX, [f"{name}:cold"], [cs], [ce],
                           count, {**cp, **common})
        self._hx_specs.append(dict(name=name, hot=h.offset, cold=c.offset))

    # heat pumps ---------------------------------------------------------
    def add_heat_pump(self, name: str, evaporator: tuple[str, str], condenser: tuple[str, str], *,
                      supply_temperature: Any, model: str = "carnot_fraction",
                      efficiency: float = 0.5, refrigerant: str = "R717",
                      evaporator_approach: Any = "3 K", condenser_approach: Any = "3 K",
                      isentropic_efficiency: float = 0.7, stages: int = 1, n_series: int = 1,
                      capacity: Any = None, evaporator_pressure_drop: Any = None,
                      evaporator_rated_flow: Any = None, condenser_pressure_drop: Any = None,
                      condenser_rated_flow: Any = None, pressure_exponent: float = 2.0,
                      count: Any = 1) -> None:
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
        evaporator_pressure_drop, evaporator_rated_flow, condenser_pressure_drop, condenser_rated_flow : Quantity, optional
            Rated pressure drops of the two sides.
        count : int
            Identical units in parallel.

        Raises
        ------
        InputError
            Unknown model, a lift the refrigerant cannot do (at solve time), bad values.
        """
        if model not in ("carnot_fraction", "lorenz_fraction", "cycle"):
            raise InputError(f"heat pump {name!r}: model={model!r} must be 'carnot_fraction', "
                             "'lorenz_fraction' or 'cycle'.")
        if not 0 < float(efficiency) <= 1:
            raise InputError(f"heat pump {name!r}: efficiency={efficiency} must lie in (0, 1].")
        if name in {sp_["name"] for sp_ in self._hp_specs} or name in {h["name"] for h in self._hx_specs}:
            raise TopologyError(f"duplicate heat pump name {name!r}.")
        t_sup = float(U.to_temperature(supply_temperature, "supply_temperature"))
        cap = np.inf if capacity is None else float(U.to_si(capacity, "W", "capacity"))
        if not cap > 0:
            raise InputError(f"heat pump {name!r}: capacity={capacity} must be positive.")
        try:
            (es, ee), (cs, ce) = evaporator, condenser
        except (TypeError, ValueError):
            raise InputError(f"heat pump {name!r}: evaporator= and condenser= must each be a pair "
                             "(inlet node, outlet node).") from None
        el, ep = self._rated_dp_params(1, [f"{name}:evap"], evaporator_pressure_drop,
                                       evaporator_rated_flow, pressure_exponent,
                                       f"heat pump {name!r} evaporator")
        cl, cp = self._rated_dp_params(1, [f"{name}:cond"], condenser_pressure_drop,
                                       condenser_rated_flow, pressure_exponent,
                                       f"heat pump {name!r} condenser")
        ev = self._register(EdgeKind.HP_EVAPORATOR, el, ThermalLaw.HEAT_PUMP, [f"{name}:evap"],
                            [es], [ee], count, ep)
        co = self._register(EdgeKind.HP_CONDENSER, cl, ThermalLaw.HEAT_PUMP, [f"{name}:cond"],
                            [cs], [ce], count, cp)
        self._hp_specs.append(dict(
            name=name, evap=ev.offset, cond=co.offset, t_supply=t_sup, capacity=cap,
            cop_args=dict(model=model, efficiency=float(efficiency), refrigerant=refrigerant,
                          evaporator_approach=float(U.to_temperature_difference(
                              evaporator_approach, "evaporator_approach")),
                          condenser_approach=float(U.to_temperature_difference(
                              condenser_approach, "condenser_approach")),
                          isentropic_efficiency=float(isentropic_efficiency), stages=int(stages),
                          n_series=int(n_series))))

    # controls -----------------------------------------------------------
    _ACTUATORS = ("pump_speed", "pump_flow", "valve_opening", "boundary_flow",
                  "setpoint_temperature")
    _TARGETS = ("temperature", "outlet_temperature", "flow", "pressure_difference")

    def add_control(self, name: str, *, actuator: tuple, target: tuple, setpoint: Any,
                    bounds: tuple) -> None:
        """Hold a target at a set-point by adjusting an actuator, as part of the solve.

        Parameters
        ----------
        name : str
            Name of the control loop (``result.controls[name]``).
        actuator : tuple
            What is adjusted: ``("pump_speed", pump)`` (curve pump, speed ratio),
            ``("pump_flow", pump)`` (fixed-flow pump, its flow), ``("valve_opening",
            valve)``, ``("boundary_flow", node)`` (a flow boundary's flow) or
            ``("setpoint_temperature", setpoint_edge)``.
        target : tuple
            What is held: ``("temperature", node)``, ``("outlet_temperature", edge)``,
            ``("flow", edge)`` (mass or volume flow, as the set-point's units say)
            or ``("pressure_difference", node_a, node_b)`` (p_a − p_b).
        setpoint : Quantity
            The value to hold (absolute temperature, flow or pressure).
        bounds : (low, high)
            Range of the actuator (Quantities for flows and temperatures; plain
            numbers for speed ratio and opening). A set-point that cannot be met
            within them is reported (``met=False``, a ``setpoint_not_met`` flag),
            never faked.

        Notes
        -----
        Controls are solved by an outer secant iteration (bracketed once the sign
        of the error changes) around the coupled steady solve, warm-started at
        every step; several controls are adjusted simultaneously, each on its own
        error (suitable for loops that are weakly coupled, as CDUs on a header are).
        """
        kind, *a_args = actuator
        if kind not in self._ACTUATORS:
            raise InputError(f"control {name!r}: actuator {kind!r} is not one of {self._ACTUATORS}.")
        tkind, *t_args = target
        if tkind not in self._TARGETS:
            raise InputError(f"control {name!r}: target {tkind!r} is not one of {self._TARGETS}.")
        if name in {c["name"] for c in self._controls}:
            raise TopologyError(f"duplicate control name {name!r}.")
        if tkind in ("temperature", "outlet_temperature"):
            sp_si, sp_unit = float(U.to_temperature(setpoint, "setpoint")), "K"
        elif tkind == "flow":
            sp_si, fk = U.to_flow(setpoint, "setpoint")
            sp_si, sp_unit = float(sp_si), ("kg/s" if fk == "mass" else "m^3/s")
        else:
            sp_si, sp_unit = float(U.to_si(setpoint, "Pa", "setpoint")), "Pa"
        try:
            lo, hi = bounds
        except (TypeError, ValueError):
            raise InputError(f"control {name!r}: bounds must be a pair (low, high).") from None
        if kind in ("pump_speed", "valve_opening"):
            lo, hi = float(U.to_si(lo, "", "bounds")), float(U.to_si(hi, "", "bounds"))
        elif kind == "setpoint_temperature":
            lo, hi = float(U.to_temperature(lo, "bounds")), float(U.to_temperature(hi, "bounds"))
        else:
            lo_, _ = U.to_flow(lo, "bounds")
            hi_, _ = U.to_flow(hi, "bounds")
            lo, hi = float(lo_), float(hi_)
        if not lo < hi:
            raise InputError(f"control {name!r}: bounds ({lo}, {hi}) must satisfy low < high.")
        if kind == "valve_opening" and not (0 <= lo and hi <= 1):
            raise InputError(f"control {name!r}: valve opening bounds must lie in [0, 1].")
        self._controls.append(dict(name=name, actuator=(kind, *map(str, a_args)),
                                   target=(tkind, *map(str, t_args)), setpoint=sp_si,
                                   setpoint_unit=sp_unit, bounds=(lo, hi)))
        self._touch()

    # boundaries ---------------------------------------------------------
    def add_expansion_tank(self, node: str, pressure: Any) -> None:
        """Make ``node`` the pressure reference of its closed circuit.

        Parameters
        ----------
        node : str
            An existing node.
        pressure : Quantity
            Absolute pressure held at the node [pressure].
        """
        i = self._node_id(node)
        p = float(U.to_si(pressure, "Pa", "pressure"))
        if not p > 0:
            raise InputError(f"expansion tank at {node!r}: pressure={pressure} must be a "
                             "positive absolute pressure.")
        if i in self._tanks or i in self._pressure_bcs:
            raise TopologyError(f"node {node!r} already has a pressure reference.")
        self._tanks[i] = p
        self._touch()

    def add_pressure_boundary(self, node: str, pressure: Any, temperature: Any) -> None:
        """Fix pressure at ``node`` of an open circuit (e.g. fjord intake or outfall).

        Fluid may enter or leave the network here; entering fluid has
        ``temperature``.
        """
        i = self._node_id(node)
        p = float(U.to_si(pressure, "Pa", "pressure"))
        if not p > 0:
            raise InputError(f"pressure boundary at {node!r}: pressure={pressure} must be a "
                             "positive absolute pressure.")
        t = float(U.to_temperature(temperature, "temperature"))
        if i in self._tanks or i in self._pressure_bcs:
            raise TopologyError(f"node {node!r} already has a pressure reference.")
        self._pressure_bcs[i] = (p, t)
        self._touch()

    def add_flow_boundary(self, node: str, mass_flow: Any, temperature: Any) -> None:
        """Inject (+) or withdraw (−) a fixed flow at ``node``.

        Parameters
        ----------
        mass_flow : Quantity
            Mass or volume flow entering the network (negative leaves it).
        temperature : Quantity
            Temperature of entering fluid (ignored for withdrawal).
        """
        i = self._node_id(node)
        mag, kind = U.to_flow(mass_flow, "mass_flow")
        t = float(U.to_temperature(temperature, "temperature"))
        if i in self._flow_bcs:
            raise TopologyError(f"node {node!r} already has a flow boundary.")
        self._flow_bcs[i] = (float(mag), kind, t)
        self._touch()

    # fluids -------------------------------------------------------------
    def set_fluid(self, node: str, fluid: Any) -> None:
        """Set the fluid of the circuit that contains ``node``."""
        i = self._node_id(node)
        for attr in ("density_pT", "cp_pT", "viscosity_pT", "enthalpy_T", "temperature_h"):
            if not hasattr(fluid, attr):
                raise InputError(f"set_fluid({node!r}, ...): {fluid!r} is not a fluid; use "
                                 "nt.fluids.water(), propylene_glycol(0.25), seawater(...), ...")
        self._fluids[i] = fluid
        self._touch()

    # parameter updates ----------------------------------------------------
    #: parameters :meth:`update` can change: name -> (chunk key, converter kind)
    _UPDATABLE = {
        "heat": ("heat", "W"),
        "outlet_temperature": ("t_set", "T"),
        "speed": ("speed", ""),
        "opening": ("opening", ""),
        "flow": ("fixed_flow", "flow"),
        "head": ("fixed_rise", "head"),
        "ambient": ("ambient", "T"),
    }

    def update(self, names: str | Sequence[str], **values: Any) -> None:
        """Change parameter values of existing edges without changing the topology.

        The compiled network and its kept factorisations survive, so a solve
        warm-started after an update costs little (annual runs, sweeps,
        controls written by hand).

        Parameters
        ----------
        names : str or sequence of str
            Edge names.
        **values : Quantity
            One value, or one per edge, for any of: ``heat`` (heat loads and
            cold plates, per unit), ``outlet_temperature`` (set-points), ``speed``
            (curve pumps, speed ratio), ``opening`` (valves, 0…1), ``flow``
            (fixed-flow pumps, same kind — mass or volume — as when added),
            ``head`` (fixed-head pumps, head or pressure as when added),
            ``ambient`` (pipes with heat loss).

        Raises
        ------
        InputError
            Unknown parameter, an edge that does not have it, or a bad value.
        TopologyError
            Unknown edge name.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> net = nt.Network("u", fluid=nt.fluids.water())
        >>> net.add_heat_load("load", "a", "b", heat=nt.Q_(1, "kW"))
        >>> net.update("load", heat=nt.Q_(2, "kW"))
        """
        names = _names(names, "names")
        offsets = np.array([c.offset for c in self._chunks])
        for key, value in values.items():
            if key not in self._UPDATABLE:
                raise InputError(f"update: {key!r} cannot be changed this way; updatable "
                                 f"parameters are {sorted(self._UPDATABLE)}.")
            pkey, kind = self._UPDATABLE[key]
            n = len(names)
            if kind == "T":
                v = _broadcast(U.to_temperature(value, key), n, key)
            elif kind == "W":
                v = _broadcast(U.to_si(value, "W", key), n, key)
            elif kind == "":
                v = _broadcast(U.to_si(value, "", key), n, key)
                if key == "opening" and np.any((v < 0) | (v > 1)):
                    raise InputError(f"update: opening must lie in [0, 1], got {v.tolist()[:5]}.")
                if key == "speed" and np.any(v <= 0):
                    raise InputError("update: speed must be a positive speed ratio.")
            for k, nm in enumerate(names):
                i = self._edge_index.get(nm)
                if i is None:
                    raise TopologyError(self._unknown("edge", nm, self._edge_index))
                c = self._chunks[int(np.searchsorted(offsets, i, side="right")) - 1]
                if pkey not in c.params:
                    raise InputError(f"update: edge {nm!r} ({c.kind.name.lower()}) has no "
                                     f"{key!r} parameter.")
                j = i - c.offset
                if kind == "flow":
                    mag, fk = U.to_flow(value if np.ndim(getattr(value, "magnitude", value)) == 0
                                        else value[k], key)
                    if (fk == "mass") != (c.params["fixed_flow_is_mass"][j] > 0.5):
                        raise InputError(f"update: pump {nm!r} was given a "
                                         f"{'mass' if c.params['fixed_flow_is_mass'][j] > 0.5 else 'volume'}"
                                         f" flow; give the same kind.")
                    c.params[pkey][j] = float(mag)
                elif kind == "head":
                    q = U.parse(value if np.ndim(getattr(value, "magnitude", value)) == 0
                                else value[k], key)
                    is_head = c.params["fixed_rise_is_head"][j] > 0.5
                    c.params[pkey][j] = float(U.to_si(q, "m" if is_head else "Pa", key))
                else:
                    c.params[pkey][j] = v[k]
        if self._compiled is not None:
            from .compiled import refresh_values
            refresh_values(self._compiled, self)

    def update_exchanger(self, name: str, *, ua: Any = None, effectiveness: float | None = None) -> None:
        """Change the UA (or given effectiveness) of a heat exchanger without recompiling.

        Parameters
        ----------
        name : str
            Heat-exchanger name given to :meth:`add_heat_exchanger`.
        ua : Quantity, optional
            New overall conductance [power/temperature] (e.g. fouled: 1/UA = 1/UA₀ + R_f/A).
        effectiveness : float, optional
            New effectiveness instead [-].
        """
        spec = next((h for h in self._hx_specs if h["name"] == name), None)
        if spec is None:
            raise TopologyError(self._unknown("heat exchanger", name,
                                              {h["name"]: 0 for h in self._hx_specs}))
        if (ua is None) == (effectiveness is None):
            raise InputError(f"update_exchanger({name!r}): give exactly one of ua= or effectiveness=.")
        if ua is not None:
            uav, eps = float(U.to_si(ua, "W/K", "ua")), np.nan
            if not uav > 0:
                raise InputError(f"update_exchanger({name!r}): ua={ua} must be positive.")
        else:
            uav, eps = np.nan, float(U.to_si(effectiveness, "", "effectiveness"))
            if not 0 < eps <= 1:
                raise InputError(f"update_exchanger({name!r}): effectiveness={eps} must lie in (0, 1].")
        for off in (spec["hot"], spec["cold"]):
            c = next(c for c in self._chunks if c.offset == off)
            c.params["hx_ua"][0] = uav
            c.params["hx_eps"][0] = eps
        if self._compiled is not None:
            from .compiled import refresh_values
            refresh_values(self._compiled, self)

    def update_boundary(self, node: str, *, pressure: Any = None, temperature: Any = None,
                        mass_flow: Any = None) -> None:
        """Change a boundary of ``node`` without recompiling (hourly runs, sweeps).

        Parameters
        ----------
        node : str
            A node with an expansion tank, a pressure boundary or a flow boundary.
        pressure : Quantity, optional
            New absolute pressure (tank or pressure boundary).
        temperature : Quantity, optional
            New inflow temperature (pressure or flow boundary).
        mass_flow : Quantity, optional
            New flow of a flow boundary (same kind, mass or volume, as when added).
        """
        i = self._node_id(node)
        if i not in self._tanks and i not in self._pressure_bcs and i not in self._flow_bcs:
            raise InputError(f"update_boundary: node {node!r} has no boundary to change.")
        if pressure is not None:
            p = float(U.to_si(pressure, "Pa", "pressure"))
            if not p > 0:
                raise InputError(f"update_boundary({node!r}): pressure={pressure} must be positive.")
            if i in self._tanks:
                self._tanks[i] = p
            elif i in self._pressure_bcs:
                self._pressure_bcs[i] = (p, self._pressure_bcs[i][1])
            else:
                raise InputError(f"update_boundary: node {node!r} has no pressure boundary.")
        if temperature is not None:
            t = float(U.to_temperature(temperature, "temperature"))
            if i in self._pressure_bcs:
                self._pressure_bcs[i] = (self._pressure_bcs[i][0], t)
            if i in self._flow_bcs:
                v, k, _ = self._flow_bcs[i]
                self._flow_bcs[i] = (v, k, t)
            if i not in self._pressure_bcs and i not in self._flow_bcs:
                raise InputError(f"update_boundary: node {node!r} has no inflow temperature "
                                 "(an expansion tank has none).")
        if mass_flow is not None:
            if i not in self._flow_bcs:
                raise InputError(f"update_boundary: node {node!r} has no flow boundary.")
            mag, kind = U.to_flow(mass_flow, "mass_flow")
            v, k, t = self._flow_bcs[i]
            if kind != k:
                raise InputError(f"update_boundary({node!r}): the flow boundary was given as a "
                                 f"{k} flow; give a {k} flow.")
            self._flow_bcs[i] = (float(mag), k, t)
        if self._compiled is not None:
            from .compiled import refresh_boundaries
            refresh_boundaries(self._compiled, self)

    # compile & solve ----------------------------------------------------
    def compile(self):
        """Build (or return the cached) struct-of-arrays form of the network.

        Raises
        ------
        TopologyError
            Any structural problem (see :mod:`narvik_thermal.network.compiled`).
        """
        if self._compiled is None:
            from .compiled import compile_network
            self._compiled = compile_network(self)
        return self._compiled

    def solve(self, *, initial: Any = None, options: Any = None, **kwargs: Any):
        """Solve the steady coupled hydraulic and thermal state.

        Parameters
        ----------
        initial : Result, optional
            A previous result of this network to warm-start from.
        options : SolverOptions, optional
            Tolerances and iteration limits; keyword arguments override fields.

        Returns
        -------
        Result

        Raises
        ------
        TopologyError
            The network is not well posed.
        ConvergenceError
            No convergence; the error carries the last iterate and says where
            the largest residuals are.
        """
        from ..solvers.control import solve_controlled
        from ..solvers.coupled import solve_network
        from ..solvers.options import SolverOptions
        opts = options if options is not None else SolverOptions()
        if kwargs:
            opts = opts.replace(**kwargs)
        if self._controls:
            return solve_controlled(self, self.compile(), opts, initial=initial)
        return solve_network(self, self.compile(), opts, initial=initial)

    def __repr__(self) -> str:
        return (f"Network({self.name!r}: {self.n_nodes} nodes, {self.n_edges} edges, "
                f"{len(self._hx_specs)} heat exchangers)")
