"""Compile a :class:`~narvik_thermal.network.Network` into struct-of-arrays form.

The compiled network is built once per topology. It holds

- node and edge arrays (elevation, start, end, multiplicity, kind, laws);
- per-law index arrays and parameter arrays (pandapipes-style branch tables,
  but named arrays instead of integer column constants);
- circuits (connected fluid loops) with their fluid and pressure reference;
- the sparsity pattern of the nodal (Schur complement) matrix of the
  global-gradient method, with a scatter map so Newton iterations only
  refresh values.

All topology checks live here (STYLE.md §8: validate at assembly, not in kernels).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from ..components.heat_exchanger import HeatExchangers
from ..components.heat_pump import HeatPumps
from ..components.kinds import EdgeKind, HydraulicLaw, ThermalLaw
from ..errors import InputError, TopologyError
from ..solvers import _kernel_modules as solvers_kernels

__all__ = ["ACTUATED_LAWS", "CompiledNetwork", "EdgeBlock", "Topology", "compile_network",
           "refresh_values", "refresh_boundaries", "refresh_limits", "circuit_limit_nodes",
           "check_flow_balance", "unknown_name_message"]


@dataclass
class LawGroup:
    """Edges sharing one law: their indices and aligned parameter arrays."""

    idx: np.ndarray
    params: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.idx.size)


@dataclass
class CompiledNetwork:
    """Struct-of-arrays form of a network (SI units throughout)."""

    name: str
    node_names: list[str]
    edge_names: list[str]
    node_index: dict[str, int]
    edge_index: dict[str, int]
    elevation: np.ndarray
    start: np.ndarray
    end: np.ndarray
    count: np.ndarray
    kind: np.ndarray
    hlaw: np.ndarray
    tlaw: np.ndarray
    hgroups: dict[HydraulicLaw, LawGroup]
    tgroups: dict[ThermalLaw, LawGroup]
    kgroups: dict[EdgeKind, LawGroup]
    # heat exchangers
    hx_names: list[str]
    hx_hot: np.ndarray
    hx_cold: np.ndarray
    partner: np.ndarray
    # heat pumps
    hp_names: list
    hp_evap: np.ndarray
    hp_cond: np.ndarray
    hp_t_supply: np.ndarray          # supply set-point of each heat pump [K]
    hp_capacity: np.ndarray          # condenser capacity of one unit [W]
    hp_units: list                   # (HeatPumps component, unit) of each heat pump
    # circuits
    n_circuits: int
    node_circuit: np.ndarray
    edge_circuit: np.ndarray
    circuit_fluid: list[Any]
    circuit_label: list[str]
    # boundaries
    fixed_nodes: np.ndarray
    fixed_pressure: np.ndarray
    is_tank: np.ndarray
    bc_temperature: np.ndarray       # inflow temperature at pressure boundaries (nan for tanks)
    flow_nodes: np.ndarray
    flow_value: np.ndarray
    flow_is_mass: np.ndarray
    flow_temperature: np.ndarray
    # solver structure
    free_edges: np.ndarray           # edges whose flow is unknown
    fixed_flow_edges: np.ndarray
    unknown_of_node: np.ndarray      # index among unknown-pressure nodes or -1
    unknown_nodes: np.ndarray
    # nodal matrix A_u W A_uᵀ: CSR pattern, and its assembly from the free-edge
    # conductances (see solvers._sparse_kernels.nodal_patterns)
    lap_indptr: np.ndarray
    lap_indices: np.ndarray
    lap_ptr: np.ndarray              # terms of stored entry t: lap_ptr[t]:lap_ptr[t+1]
    lap_edge: np.ndarray             # free-edge position of each term
    lap_sign: np.ndarray             # +1 diagonal, -1 off-diagonal
    incidence: sp.csc_matrix = None  # N x E, +1 at end (inflow), -1 at start
    up_indptr: np.ndarray = None     # upper-triangle CSC pattern of the nodal matrix (LDLᵀ)
    up_indices: np.ndarray = None
    up_ptr: np.ndarray = None        # its assembly, as lap_ptr, lap_edge, lap_sign
    up_edge: np.ndarray = None
    up_sign: np.ndarray = None
    cache: dict = field(default_factory=dict)   # factorisations reused across solves
    # operating limits per circuit (Network.set_dew_point / set_pressure_rating;
    # NaN: none), checked on solved results, refreshed without recompiling
    circuit_dew_point: np.ndarray = None        # room dew point [K]
    circuit_dew_margin: np.ndarray = None       # margin above it [K]
    circuit_pressure_rating: np.ndarray = None  # gauge pressure rating [Pa]

    @property
    def incidence_free(self) -> sp.csc_matrix:
        """Incidence of the free edges (N × free edges), made on first use."""
        m = self.cache.get("incidence_free")
        if m is None:
            m = self.cache["incidence_free"] = self.incidence[:, self.free_edges]
        return m

    @property
    def n_nodes(self) -> int:
        return len(self.node_names)

    @property
    def n_edges(self) -> int:
        return len(self.edge_names)

    def edge_id(self, name: str, where: str = "") -> int:
        """Index of edge ``name``; an unknown name (or a node name) is an InputError."""
        i = self.edge_index.get(name) if isinstance(name, str) else None
        if i is None:
            for names, sides, what in ((self.hx_names, (":hot", ":cold"), "heat exchanger"),
                                       (self.hp_names, (":evap", ":cond"), "heat pump")):
                if isinstance(name, str) and name in names:
                    pre = f"{where}: " if where else ""
                    raise InputError(f"{pre}{name!r} is a {what}, not an edge; its edges are "
                                     f"{name + sides[0]!r} and {name + sides[1]!r}.")
            raise InputError(unknown_name_message("edge", name, self.edge_index,
                                                  other=("node", self.node_index), where=where))
        return i

    def node_id(self, name: str, where: str = "") -> int:
        """Index of node ``name``; an unknown name (or an edge name) is an InputError."""
        i = self.node_index.get(name) if isinstance(name, str) else None
        if i is None:
            raise InputError(unknown_name_message("node", name, self.node_index,
                                                  other=("edge", self.edge_index), where=where))
        return i

    def hp_performance_functions(self) -> list:
        """Per heat pump, its (COP, hottest discharge temperature, highest condensing
        pressure) as a function of its stream temperatures
        (:meth:`narvik_thermal.components.HeatPumps.performance_function`)."""
        return [comp.performance_function(j) for comp, j in self.hp_units]

    def hp_part_load_functions(self) -> list:
        """Per heat pump, its part-load COP as a function ``f(cop_full, part_load_ratio)``
        (:meth:`narvik_thermal.components.HeatPumps.part_load_function`)."""
        return [comp.part_load_function(j) for comp, j in self.hp_units]

    def hp_parameter(self, field: str) -> np.ndarray:
        """One parameter array of the ``HeatPumps`` components, one value per heat pump."""
        return np.array([float(getattr(comp, field)[j]) for comp, j in self.hp_units])


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def unknown_name_message(what: str, name: str, index, other: tuple | None = None,
                         where: str = "") -> str:
    """Error text for an unknown name: says so when it names an element of the other
    kind (``other = (what, index)``, a node where an edge is expected or the
    reverse), else offers up to three close matches."""
    pre = f"{where}: " if where else ""
    if other is not None and isinstance(name, str) and name in other[1]:
        return (f"{pre}{name!r} is {_a(other[0])}, not {_a(what)}; give the name of "
                f"{_a(what)} here.")
    if not isinstance(name, str):
        return (f"{pre}{what} name {name!r} is a {type(name).__name__}; give the name of "
                f"{_a(what)} (a string).")
    names = list(index)
    close = difflib.get_close_matches(name, names[:200000], n=3)
    if close:
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?"
    elif not names:
        hint = f" The network has no {what}."
    else:
        more = f" … ({len(names)} in all)" if len(names) > 10 else ""
        hint = f" The {what}s are {', '.join(repr(c) for c in names[:10])}{more}."
    return (f"{pre}unknown {what} name {name!r}: no {what} of that name exists in the "
            f"network.{hint}")


_HKEYS = {
    HydraulicLaw.IDEAL: (),
    HydraulicLaw.DARCY: ("length", "diameter", "roughness", "minor_loss", "friction"),
    HydraulicLaw.POWER_LAW: ("dp_rated", "flow_rated", "rated_basis", "dp_exponent"),
    HydraulicLaw.PUMP_CURVE: ("a0", "a1", "a2", "speed", "q_max", "rise_basis"),
    HydraulicLaw.FIXED_FLOW: ("fixed_flow", "flow_basis", "speed"),
    HydraulicLaw.FIXED_RISE: ("fixed_rise", "rise_basis", "speed"),
    HydraulicLaw.CONSTANT_POWER: ("power", "shutoff_rise", "rise_basis", "speed"),
    HydraulicLaw.VALVE_KV: ("kvs", "opening", "characteristic", "rangeability", "check"),
    HydraulicLaw.CONSUMER: ("demand", "control", "delta_t", "return_temperature", "mass_flow",
                            "flow_basis", "min_temperature_drop", "min_pressure_difference"),
}
_TKEYS = {
    ThermalLaw.ADIABATIC: (),
    ThermalLaw.FIXED_HEAT: ("heat",),
    ThermalLaw.AMBIENT: ("ua", "ambient"),
    ThermalLaw.HX: ("hx_ua", "hx_eps", "arrangement", "hx_hot_design", "hx_hot_design_basis",
                    "hx_cold_design", "hx_cold_design_basis", "hx_flow_exponent",
                    "hx_hot_film_share", "hx_wall_share"),
    ThermalLaw.SETPOINT: ("t_set",),
    ThermalLaw.PUMP_HEAT: ("pump_heat",),
    ThermalLaw.HEAT_PUMP: (),
}
# parameters kept per edge kind for results (cold plates, pumps, consumers)
_KIND_KEYS = {
    EdgeKind.COLD_PLATE: ("heat", "r_cond", "r_conv", "r_exponent", "flow_rated",
                          "rated_basis", "t_chip_max"),
    EdgeKind.PUMP: ("efficiency", "motor_efficiency", "q_max"),
    EdgeKind.CONSUMER: ("demand", "min_pressure_difference"),
}


class _Edges(NamedTuple):
    """The edges of one side of one component block: their laws and parameters
    (``side``, an EdgeSide) and ``span``, the first edge and the count (a range)."""

    side: Any
    span: tuple

    @property
    def idx(self) -> np.ndarray:
        """The edges' indices (a new array: made only where a group gathers them)."""
        return np.arange(self.span[0], self.span[0] + self.span[1])


def _sides(blocks, kept: dict | None = None) -> list[_Edges]:
    """The edge sides of every block. ``kept`` (a dict owned by the caller) keeps each
    component's sides for the next call: components are immutable (an update makes a
    new one), so an unchanged component's sides are reused instead of rebuilt."""
    out = []
    new = {}
    for b in blocks:
        comp = b.component
        got = kept.get(comp) if kept is not None else None
        if got is None or got[0] != b.offset:
            n = len(comp)
            got = (b.offset, [_Edges(side, (b.offset + k * n, n))
                              for k, side in enumerate(comp.edge_sides())])
        new[comp] = got
        out.extend(got[1])
    if kept is not None:
        kept.clear()
        kept.update(new)
    return out


def _side_change(old: _Edges, new: _Edges) -> tuple[bool, set]:
    """Of an edge side ``new`` at the place of ``old`` (of an updated component): whether
    it covers the same range of edges, and the parameters whose arrays are not the same
    objects as ``old``'s (a component's arrays are read-only, and an update shares the
    arrays it does not change)."""
    was = old.side.params
    return old.span == new.span, {k for k, v in new.side.params.items() if was.get(k) is not v}


def _group(sel: list[_Edges], keys, last: tuple | None = None,
           changes: list | None = None) -> LawGroup:
    """Indices and aligned parameters of the edges of the sides ``sel`` (one hydraulic
    law, thermal law or edge kind).

    ``last``: ``(sides, group)``, the sides this law's group was last gathered from and
    that group, whose arrays nothing writes into: its indices are reused where every
    side covers the same range of edges as the one at its place then, and each parameter
    where every side's array is the same object as then, instead of gathered anew (the
    group itself where that is all of it); the others are gathered (copied) as without
    ``last``. ``changes``: the :func:`_side_change` of each side of ``sel`` that is not
    the one at its place in ``last`` (made here where not given)."""
    if not sel:
        return LawGroup(np.empty(0, dtype=np.int64), {k: np.empty(0) for k in keys})
    if last is not None and len(last[0]) == len(sel):
        old_sel, old = last
        if changes is None:
            changes = [_side_change(a, b) for a, b in zip(old_sel, sel) if a is not b]
        idx = (old.idx if all(same for same, _ in changes) else
               np.concatenate([s.idx for s in sel]) if len(sel) > 1 else sel[0].idx)
        changed = set().union(*[c for _, c in changes])
        if idx is old.idx and changed.isdisjoint(keys):
            return old                  # its indices and every array as they were
        params = {}
        for k in keys:
            if k not in changed:
                params[k] = old.params[k]
            else:
                params[k] = (np.concatenate([s.side.params[k] for s in sel]) if len(sel) > 1
                             else np.array(sel[0].side.params[k]))
        return LawGroup(idx, params)
    if len(sel) == 1:               # (a copy: a third of np.concatenate's cost)
        p = sel[0].side.params
        return LawGroup(sel[0].idx, {k: np.array(p[k]) for k in keys})
    idx = np.concatenate([s.idx for s in sel])
    params = {k: np.concatenate([s.side.params[k] for s in sel]) for k in keys}
    return LawGroup(idx, params)


#: the laws whose groups a solve writes into (in place: the controls' actuators, a
#: pump's speed or flow, a valve's opening, a set-point; a plant's regulated pump
#: head): gathered anew at every refresh, so that a Result keeps the values it was
#: solved with and a refresh drops a failed solve's trial values
#: (as ``("hydraulic", law)`` and ``("thermal", law)``: the enums' values overlap)
ACTUATED_LAWS = frozenset({("hydraulic", HydraulicLaw.PUMP_CURVE),
                           ("hydraulic", HydraulicLaw.FIXED_FLOW),
                           ("hydraulic", HydraulicLaw.FIXED_RISE),
                           ("hydraulic", HydraulicLaw.VALVE_KV), ("thermal", ThermalLaw.SETPOINT)})


#: the three groupings of the edge sides, in the order of :func:`_laws`
_ATTRS = ("hydraulic", "thermal", "kind")


def _groups(blocks, kept: dict | None = None, made: dict | None = None):
    """Per-law and per-kind parameter groups of all edges (``kept``: see :func:`_sides`).

    ``made`` (a dict owned by the caller) keeps each group with the edge sides it was
    gathered from, for the next call: a group of the same sides (the same objects:
    components are immutable, and :func:`_sides` keeps an unchanged component's) is
    the same group, reused, and a group of other sides reuses the arrays it can
    (:func:`_group`), unless its law is one of :data:`ACTUATED_LAWS`; nothing writes
    into the other groups' arrays (tests/test_network_refresh.py holds them read-only
    through solves of every kind). An actuated group is a copy of one kept in ``made``
    the same way, which nothing else sees: a solve writes into the copy only.

    ``made["layout"]`` keeps the sides of the last call and the places of each law's
    and kind's sides among them: where the sides are as many and each new one (of an
    updated component) has the laws and kind of the one it replaces, the places are
    the same, and a group none of whose sides is new is the group kept, without
    sorting the sides again; the sides moved since the last call are compared with the
    ones they replace once (:func:`_side_change`) for every group they are in."""
    sides = _sides(blocks, kept)
    layout = made.get("layout") if made is not None else None
    # per law and kind whose places hold a side moved since the last call: the
    # _side_change of each such side (None: the places are found anew)
    touched: dict | None = None
    if layout is not None and len(layout[0]) == len(sides):
        old = layout[0]
        moved = [j for j, (a, b) in enumerate(zip(old, sides)) if a is not b]
        if not any(_laws(old[j].side) != _laws(sides[j].side) for j in moved):
            touched = {}
            for j in moved:
                change = _side_change(old[j], sides[j])
                for key in zip(_ATTRS, _laws(sides[j].side)):
                    touched.setdefault(key, []).append(change)
    if touched is None:
        places: dict = {}
        for j, s in enumerate(sides):     # one pass: the sides of each law and kind
            for key in zip(_ATTRS, _laws(s.side)):
                places.setdefault(key, []).append(j)
        layout = (sides, places)
    else:
        layout = (sides, layout[1])
    if made is not None:
        made["layout"] = layout
    places = layout[1]
    out = []
    for attr, table in zip(_ATTRS, (_HKEYS, _TKEYS, _KIND_KEYS)):
        groups = {}
        for law, keys in table.items():
            key = (attr, law)
            pos = places.get(key, ())
            last = made.get(key) if made is not None else None
            if last is not None and touched is not None:
                # its sides are the ones it was last gathered from but for those moved
                changes = touched.get(key)
                if changes is None:
                    g = last[1]
                else:
                    sel = [sides[j] for j in pos]
                    g = _group(sel, keys, last, changes)
                    made[key] = (sel, g)
            else:
                sel = [sides[j] for j in pos]
                if made is None:
                    groups[law] = _group(sel, keys)
                    continue
                if (last is not None and len(last[0]) == len(sel)
                        and all(a is b for a, b in zip(last[0], sel))):
                    g = last[1]
                else:
                    g = _group(sel, keys, last)
                    made[key] = (sel, g)
            if key in ACTUATED_LAWS:
                g = LawGroup(g.idx, {k: v.copy() for k, v in g.params.items()})
            groups[law] = g
        out.append(groups)
    return tuple(out)


def _laws(side) -> tuple:
    """The hydraulic law, thermal law and kind of an edge side."""
    return side.hydraulic, side.thermal, side.kind


@dataclass(frozen=True)
class EdgeBlock:
    """The edges of one component (one ``add_*`` call) in a network.

    Attributes
    ----------
    component : Component
        The component, n units.
    offset : int
        Index of its first edge; side ``k`` holds edges ``offset + k n … + n``.
    start, end : numpy.ndarray
        Start and end node of each edge (side by side).
    """

    component: Any
    offset: int
    start: np.ndarray
    end: np.ndarray

    @property
    def size(self) -> int:
        return int(self.start.size)

    def holding(self, component: Any) -> "EdgeBlock":
        """This block with ``component`` (an update of its own: the same edges) in place
        of its component: ``dataclasses.replace`` without re-running the frozen
        ``__init__``, which sets every field anew (an operating point makes seven)."""
        new = object.__new__(EdgeBlock)
        vars(new).update(vars(self), component=component)
        return new


@dataclass(frozen=True)
class Topology:
    """What a network holds, as :func:`compile_network` reads it (no copies of the
    component arrays)."""

    name: str
    node_names: list
    node_index: dict
    elevation: np.ndarray
    blocks: tuple
    edge_names: list
    edge_index: dict
    boundaries: dict            # node index -> Boundary
    fluids: dict                # node index -> fluid
    default_fluid: Any
    dew_points: dict = field(default_factory=dict)        # node index -> DewPoint
    pressure_ratings: dict = field(default_factory=dict)  # node index -> PressureRating


def compile_network(net: Topology) -> CompiledNetwork:
    """Compile a network's :class:`Topology` and check that it is well posed.

    Raises
    ------
    TopologyError
        Empty network; a node no edge reaches; a circuit without fluid, with
        two fluids, without pressure reference or with two expansion tanks;
        fixed flows that cannot balance or leave pressures undefined; a
        circuit whose temperature level is undefined.
    """
    blocks = net.blocks
    N = len(net.node_names)
    E = len(net.edge_names)
    if E == 0:
        raise TopologyError(f"network {net.name!r} has no edges; add pipes, pumps, ... first.")
    start = np.concatenate([b.start for b in blocks])
    end = np.concatenate([b.end for b in blocks])
    sides = _sides(blocks)
    count = np.concatenate([np.tile(np.asarray(b.component.count, float),
                                    len(b.component.sides)) for b in blocks])
    kind = np.concatenate([np.full(s_.span[1], int(s_.side.kind), dtype=np.int8) for s_ in sides])
    hlaw = np.concatenate([np.full(s_.span[1], int(s_.side.hydraulic), dtype=np.int8)
                           for s_ in sides])
    tlaw = np.concatenate([np.full(s_.span[1], int(s_.side.thermal), dtype=np.int8)
                           for s_ in sides])
    # the names are the network's own containers, not copies: the network copies
    # them before it changes them again (Network._unshare)
    edge_names = net.edge_names
    elevation = np.array(net.elevation, dtype=float)
    node_names = net.node_names

    # --- every node reached by an edge
    degree = np.bincount(start, minlength=N) + np.bincount(end, minlength=N)
    lonely = np.flatnonzero(degree == 0)
    if lonely.size:
        nm = [node_names[i] for i in lonely[:5]]
        raise TopologyError(f"{lonely.size} node(s) are not reached by any edge: {nm}; "
                            "connect them with an edge or remove them.")

    # --- circuits
    _kernels = solvers_kernels.sparse()

    n_circ, node_circuit = _kernels.component_labels(N, start, end)
    edge_circuit = node_circuit[start]

    _, first = np.unique(node_circuit, return_index=True)     # first node of each circuit
    circuit_label = [f"circuit {c} (containing node {node_names[int(first[c])]!r})"
                     for c in range(n_circ)]

    # --- fluids
    fluids: list[Any] = [None] * n_circ
    for i, fl in net.fluids.items():
        c = node_circuit[i]
        if fluids[c] is not None and fluids[c] != fl:
            raise TopologyError(f"{circuit_label[c]} has two fluids set ({fluids[c]!r} and "
                                f"{fl!r}); a circuit holds one fluid.")
        fluids[c] = fl
    for c in range(n_circ):
        if fluids[c] is None:
            if net.default_fluid is None:
                raise TopologyError(f"{circuit_label[c]} has no fluid; call "
                                    f"net.set_fluid(<node>, nt.fluids.water()) for it or give "
                                    f"Network(..., fluid=...).")
            fluids[c] = net.default_fluid

    # --- pressure references
    from ..components.boundary import ExpansionTank, FlowBoundary, PressureBoundary
    bnd = net.boundaries
    tanks = {i: b for i, b in bnd.items() if isinstance(b, ExpansionTank)}
    pbs = {i: b for i, b in bnd.items() if isinstance(b, PressureBoundary)}
    fbs = {i: b for i, b in bnd.items() if isinstance(b, FlowBoundary)}
    tank_nodes = np.fromiter(tanks.keys(), dtype=np.int64, count=len(tanks))
    pb_nodes = np.fromiter(pbs.keys(), dtype=np.int64, count=len(pbs))
    fixed_nodes = np.concatenate([tank_nodes, pb_nodes])
    fixed_pressure = np.concatenate([np.array([b.pressure for b in tanks.values()], float),
                                     np.array([b.pressure for b in pbs.values()], float)])
    is_tank = np.concatenate([np.ones(tank_nodes.size, bool), np.zeros(pb_nodes.size, bool)])
    bc_temperature = np.concatenate([np.full(tank_nodes.size, np.nan),
                                     np.array([b.temperature for b in pbs.values()], float)])
    has_ref = np.zeros(n_circ, bool)
    has_ref[node_circuit[fixed_nodes]] = True
    for c in np.flatnonzero(~has_ref):
        raise TopologyError(f"{circuit_label[c]} has no pressure reference; add an expansion "
                            "tank (closed loop) with net.add_expansion_tank(node, pressure) or a "
                            "pressure boundary (open loop) with net.add_pressure_boundary(...).")
    tanks_per = np.bincount(node_circuit[tank_nodes], minlength=n_circ)
    for c in np.flatnonzero(tanks_per > 1):
        nm = [node_names[i] for i in tank_nodes[node_circuit[tank_nodes] == c]]
        raise TopologyError(f"{circuit_label[c]} has {tanks_per[c]} expansion tanks ({nm}); "
                            "a closed circuit has one pressure reference. Keep one tank, or "
                            "use pressure boundaries for an open circuit.")
    open_circ = np.zeros(n_circ, bool)
    open_circ[node_circuit[pb_nodes]] = True

    # --- flow boundaries
    fnodes = np.fromiter(fbs.keys(), dtype=np.int64, count=len(fbs))
    fvals = np.array([b.flow for b in fbs.values()], float)
    fmass = np.array([b.is_mass for b in fbs.values()], dtype=bool)
    ftemp = np.array([b.temperature for b in fbs.values()], float)
    for c in range(n_circ):
        if open_circ[c]:
            continue
        sel = node_circuit[fnodes] == c
        if np.any(sel):
            _closed_volume_flows(circuit_label[c], fmass[sel],
                                 [node_names[i] for i in fnodes[sel]])
            net_in = fvals[sel].sum()
            if abs(net_in) > 1e-12 * max(1.0, np.abs(fvals[sel]).sum()):
                raise TopologyError(
                    f"fixed flows cannot balance in {circuit_label[c]}: flow boundaries inject a "
                    f"net {net_in:.6g} (SI) into a closed circuit whose expansion tank cannot "
                    "take or give a steady flow. Balance the flow boundaries or add a pressure "
                    "boundary.")

    # --- law groups
    sides: dict = {}
    made: dict = {}
    hgroups, tgroups, kgroups = _groups(blocks, sides, made)

    # --- heat exchangers and heat pumps: two-sided components
    hx_names, hx_hot, hx_cold = [], [], []
    hp_names, hp_evap, hp_cond, hp_units, hp_t, hp_cap = [], [], [], [], [], []
    for b in blocks:
        comp = b.component
        n_ = len(comp)
        first, second = b.offset + np.arange(n_), b.offset + n_ + np.arange(n_)
        if isinstance(comp, HeatExchangers):
            hx_names.extend(comp.names); hx_hot.append(first); hx_cold.append(second)
        elif isinstance(comp, HeatPumps):
            hp_names.extend(comp.names); hp_evap.append(first); hp_cond.append(second)
            hp_units.extend((comp, j) for j in range(n_))
            hp_t.append(comp.t_supply); hp_cap.append(comp.capacity)
    cat = lambda xs, dt=np.int64: np.concatenate(xs).astype(dt) if xs else np.empty(0, dt)  # noqa: E731
    hx_hot, hx_cold = cat(hx_hot), cat(hx_cold)
    hp_evap, hp_cond = cat(hp_evap), cat(hp_cond)
    hp_t_supply, hp_capacity = cat(hp_t, float), cat(hp_cap, float)
    partner = np.full(E, -1, dtype=np.int64)
    partner[hx_hot] = hx_cold
    partner[hx_cold] = hx_hot
    partner[hp_evap] = hp_cond
    partner[hp_cond] = hp_evap
    for ev_, co_, nm in zip(hp_evap, hp_cond, hp_names):
        if edge_circuit[ev_] == edge_circuit[co_]:
            raise TopologyError(f"heat pump {nm!r} has evaporator and condenser in "
                                f"{circuit_label[edge_circuit[ev_]]}; they must be in two circuits.")
    for h, c, nm in zip(hx_hot, hx_cold, hx_names):
        if edge_circuit[h] == edge_circuit[c]:
            raise TopologyError(f"heat exchanger {nm!r} has both sides in {circuit_label[edge_circuit[h]]}; "
                                "its sides must belong to two separate circuits (circuits are "
                                "coupled only thermally).")

    # --- fixed-flow edges and unknown pressures
    fixed_flow_edges = np.concatenate([hgroups[HydraulicLaw.FIXED_FLOW].idx,
                                       hgroups[HydraulicLaw.CONSUMER].idx])
    free_mask = np.ones(E, bool)
    free_mask[fixed_flow_edges] = False
    free_edges = np.flatnonzero(free_mask)
    unknown_of_node = np.full(N, -1, dtype=np.int64)
    is_fixed = np.zeros(N, bool)
    is_fixed[fixed_nodes] = True
    unknown_nodes = np.flatnonzero(~is_fixed)
    unknown_of_node[unknown_nodes] = np.arange(unknown_nodes.size)

    # components of the free-edge graph must each hold a fixed-pressure node
    fs, fe = start[free_edges], end[free_edges]
    n_comp, comp = _kernels.component_labels(N, fs, fe)
    comp_has_ref = np.zeros(n_comp, bool)
    comp_has_ref[comp[fixed_nodes]] = True
    if not comp_has_ref.all():
        bad = np.flatnonzero(~comp_has_ref)[0]
        nodes = np.flatnonzero(comp == bad)
        nm = [node_names[i] for i in nodes[:6]]
        ff = [edge_names[e] for e in fixed_flow_edges
              if comp[start[e]] == bad or comp[end[e]] == bad]
        fb = [node_names[i] for i in fnodes if comp[i] == bad] if fnodes.size else []
        if len(ff) >= 2:
            why = ("Two fixed-flow edges in series over-determine the flow; give one of them "
                   "a curve or a head instead, or add a pressure reference between them.")
        elif fb:
            why = (f"The flow of {ff[0]!r} and the flow boundaries at {fb[:4]} both fix what "
                   "passes these nodes, and nothing takes the difference; give the pump a "
                   "curve or a head instead, or add a pressure reference among these nodes.")
        else:
            why = ("Give the pump a curve or a head instead, or add a pressure reference "
                   "among these nodes.")
        raise TopologyError(
            f"fixed flows cannot balance or leave pressures undefined: nodes {nm}"
            f"{' …' if nodes.size > 6 else ''} are cut off from every pressure reference by "
            f"fixed-flow edges {ff[:4]}. {why}")

    # --- thermal anchors: each group of thermally coupled circuits needs one
    anchor = np.zeros(n_circ, bool)
    anchor[node_circuit[pb_nodes]] = True
    if fnodes.size:
        anchor[node_circuit[fnodes[fvals > 0]]] = True
    if hp_cond.size:
        anchor[edge_circuit[hp_cond]] = True       # the condenser holds its outlet
    for law in (ThermalLaw.SETPOINT, ThermalLaw.AMBIENT):
        g = tgroups[law]
        if len(g):
            ok = g.idx if law == ThermalLaw.SETPOINT else g.idx[g.params["ua"] > 0]
            anchor[edge_circuit[ok]] = True
    # heat-exchanger pairs share a temperature level; a heat pump does not lend
    # one to its source circuit (the evaporator heat is set by the sink side)
    if hx_hot.size:
        _, tgroup = _kernels.component_labels(n_circ, edge_circuit[hx_hot], edge_circuit[hx_cold])
    else:
        tgroup = np.arange(n_circ)
    grp_anchor = np.zeros(tgroup.max() + 1, bool)
    grp_anchor[tgroup[anchor]] = True
    for c in range(n_circ):
        if not grp_anchor[tgroup[c]]:
            raise TopologyError(
                f"the temperature level of {circuit_label[c]} is undefined: it is a closed loop "
                "with fixed heat flows only and no heat exchanger to an anchored circuit, no "
                "temperature boundary, no set-point and no heat loss to ambient. Its heat has "
                "nowhere to go; add a heat exchanger, a set-point (add_setpoint) or a pressure "
                "boundary with an inflow temperature.")

    # --- Laplacian (nodal matrix) pattern over free edges
    us, ue = unknown_of_node[fs], unknown_of_node[fe]
    nu = unknown_nodes.size
    # each matrix entry is a sum of ±conductances: entries grouped by position
    # (CSR order for the full matrix, CSC order of the upper triangle for LDLᵀ),
    # so that assembly is one sequential gather (``solvers._sparse_kernels.gather_sum``)
    (indptr, indices, lap_ptr, lap_edge, lap_sign), \
        (up_indptr, up_indices, up_ptr, up_edge, up_sign) = _kernels.nodal_patterns(
            int(nu), np.ascontiguousarray(us, dtype=np.int64),
            np.ascontiguousarray(ue, dtype=np.int64))
    # incidence, column by column (two entries per edge, rows in increasing order)
    lo, hi = np.minimum(start, end), np.maximum(start, end)
    inc_rows = np.empty(2 * E, np.int64)
    inc_rows[0::2], inc_rows[1::2] = lo, hi
    inc_vals = np.empty(2 * E)
    inc_vals[0::2] = np.where(lo == end, 1.0, -1.0)
    inc_vals[1::2] = -inc_vals[0::2]
    incidence = sp.csc_matrix((inc_vals, inc_rows, np.arange(0, 2 * E + 1, 2, dtype=np.int64)),
                              shape=(N, E))

    # the network's name containers are shared, not copied (the network copies them
    # before it changes again: Network._unshare)
    cn = CompiledNetwork(
        name=net.name, node_names=node_names, edge_names=edge_names,
        node_index=net.node_index, edge_index=net.edge_index,
        elevation=elevation, start=start, end=end, count=count, kind=kind, hlaw=hlaw,
        tlaw=tlaw, hgroups=hgroups, tgroups=tgroups, kgroups=kgroups, hx_names=hx_names, hx_hot=hx_hot,
        hx_cold=hx_cold, partner=partner, hp_names=hp_names, hp_evap=hp_evap,
        hp_cond=hp_cond, hp_t_supply=hp_t_supply, hp_capacity=hp_capacity, hp_units=hp_units,
        n_circuits=n_circ, node_circuit=node_circuit,
        edge_circuit=edge_circuit, circuit_fluid=fluids, circuit_label=circuit_label,
        fixed_nodes=fixed_nodes, fixed_pressure=fixed_pressure, is_tank=is_tank,
        bc_temperature=bc_temperature, flow_nodes=fnodes, flow_value=fvals,
        flow_is_mass=fmass, flow_temperature=ftemp, free_edges=free_edges,
        fixed_flow_edges=fixed_flow_edges, unknown_of_node=unknown_of_node,
        unknown_nodes=unknown_nodes, lap_indptr=indptr, lap_indices=indices,
        lap_ptr=lap_ptr, lap_edge=lap_edge, lap_sign=lap_sign, incidence=incidence,
        up_indptr=up_indptr,
        up_indices=up_indices, up_ptr=up_ptr, up_edge=up_edge, up_sign=up_sign)
    for what, limits in (("dew point", net.dew_points), ("pressure rating", net.pressure_ratings)):
        circuit_limit_nodes(cn, limits, what)       # one per circuit, or a TopologyError
    refresh_limits(cn, net.dew_points, net.pressure_ratings)
    cn.cache["edge_sides"] = sides
    cn.cache["law_groups"] = made
    return cn


def refresh_values(cn: CompiledNetwork, blocks) -> None:
    """Re-gather parameter values of the components into a compiled network.

    Only values change (the topology, sparsity patterns and kept
    factorisations in ``cn.cache`` stay valid); called by ``Network.update``.
    """
    cn.hgroups, cn.tgroups, cn.kgroups = _groups(blocks, cn.cache.setdefault("edge_sides", {}),
                                                 cn.cache.setdefault("law_groups", {}))
    units, t, cap = [], [], []
    for b in blocks:
        if isinstance(b.component, HeatPumps):
            units.extend((b.component, j) for j in range(len(b.component)))
            t.append(b.component.t_supply)
            cap.append(b.component.capacity)
    if units:
        cn.hp_units = units
        cn.hp_t_supply = np.concatenate(t)
        cn.hp_capacity = np.concatenate(cap)


def _closed_volume_flows(label: str, is_mass: np.ndarray, nodes: list) -> None:
    """Flow boundaries of a closed circuit must be mass flows: volume flows that sum
    to zero do not balance in mass unless the densities are equal, and the expansion
    tank would then silently take or give the difference."""
    if not np.all(is_mass):
        vol = [n for n, m in zip(nodes, is_mass) if not m]
        raise TopologyError(
            f"flow boundaries at {vol[:5]} of {label} are volume flows: in a closed circuit "
            "the flow boundaries must balance in mass (its expansion tank cannot take or give "
            "a steady flow), which volume flows at different temperatures do not. Give them "
            "as mass flows (e.g. Q_(2, 'kg/s')), or add a pressure boundary.")


def check_flow_balance(cn: CompiledNetwork, boundaries, nodes=None) -> None:
    """Raise TopologyError if new flow-boundary values cannot balance a closed circuit
    (an expansion tank cannot take or give a steady flow). Nothing is changed.
    ``nodes``: the node indices changed (None: any); none in a closed circuit, nothing
    to check."""
    if not cn.flow_nodes.size:
        return
    open_c = np.zeros(cn.n_circuits, bool)
    open_c[cn.node_circuit[cn.fixed_nodes[~cn.is_tank]]] = True
    if nodes is not None and open_c[cn.node_circuit[np.asarray(list(nodes), np.int64)]].all():
        return
    vals = np.array([boundaries[int(i)].flow for i in cn.flow_nodes])
    for c in np.flatnonzero(~open_c):
        sel = cn.node_circuit[cn.flow_nodes] == c
        if np.any(sel):
            _closed_volume_flows(cn.circuit_label[c],
                                 np.array([boundaries[int(i)].is_mass
                                           for i in cn.flow_nodes[sel]]),
                                 [cn.node_names[i] for i in cn.flow_nodes[sel]])
    net_in = np.bincount(cn.node_circuit[cn.flow_nodes], weights=vals, minlength=cn.n_circuits)
    scale = np.bincount(cn.node_circuit[cn.flow_nodes], weights=np.abs(vals),
                        minlength=cn.n_circuits)
    bad = np.flatnonzero(~open_c & (np.abs(net_in) > 1e-12 * np.maximum(scale, 1.0)))
    if bad.size:
        c = int(bad[0])
        raise TopologyError(f"fixed flows cannot balance in {cn.circuit_label[c]}: flow "
                            f"boundaries would inject a net {net_in[c]:.6g} (SI) into a closed "
                            "circuit; balance them or add a pressure boundary.")


def refresh_boundaries(cn: CompiledNetwork, boundaries, nodes=None) -> None:
    """Copy boundary values (pressures, inflow temperatures, flows) into a compiled
    network, of the node indices ``nodes`` (None: all); the set of boundary nodes is
    unchanged (check with :func:`check_flow_balance` first)."""
    if nodes is not None:
        where = cn.cache.get("boundary_positions")
        if where is None:
            where = cn.cache["boundary_positions"] = (
                {int(i): k for k, i in enumerate(cn.fixed_nodes)},
                {int(i): k for k, i in enumerate(cn.flow_nodes)})
        for i in nodes:
            b, k, q = boundaries[i], where[0].get(i), where[1].get(i)
            if k is not None:
                cn.fixed_pressure[k] = b.pressure
                if not cn.is_tank[k]:
                    cn.bc_temperature[k] = b.temperature
            if q is not None:
                cn.flow_value[q], cn.flow_temperature[q] = b.flow, b.temperature
        return
    for k, i in enumerate(cn.fixed_nodes):
        b = boundaries[int(i)]
        cn.fixed_pressure[k] = b.pressure
        if not cn.is_tank[k]:
            cn.bc_temperature[k] = b.temperature
    for k, i in enumerate(cn.flow_nodes):
        b = boundaries[int(i)]
        cn.flow_value[k], cn.flow_temperature[k] = b.flow, b.temperature


def circuit_limit_nodes(cn: CompiledNetwork, limits: dict, what: str) -> dict[int, int]:
    """The node carrying each circuit's limit (``circuit -> node``) of a
    ``node -> limit`` mapping; two nodes of one circuit are a TopologyError."""
    out: dict[int, int] = {}
    for i in sorted(limits):
        c = int(cn.node_circuit[i])
        j = out.get(c)
        if j is not None:
            raise TopologyError(f"{cn.circuit_label[c]} has a {what} set at two nodes, "
                                f"{cn.node_names[j]!r} and {cn.node_names[i]!r}; a circuit has "
                                f"one {what}: set it at one node (set again there to change "
                                "it, or give None to clear the other).")
        out[c] = int(i)
    return out


def refresh_limits(cn: CompiledNetwork, dew_points: dict, pressure_ratings: dict) -> None:
    """Copy the circuits' operating limits into a compiled network (no recompile;
    check with :func:`circuit_limit_nodes` first)."""
    nc = cn.n_circuits
    dew, margin, rating = np.full(nc, np.nan), np.full(nc, np.nan), np.full(nc, np.nan)
    for i, d in dew_points.items():
        c = cn.node_circuit[int(i)]
        dew[c], margin[c] = d.dew_point, d.margin
    for i, r in pressure_ratings.items():
        rating[cn.node_circuit[int(i)]] = r.rating
    cn.circuit_dew_point, cn.circuit_dew_margin, cn.circuit_pressure_rating = dew, margin, rating
