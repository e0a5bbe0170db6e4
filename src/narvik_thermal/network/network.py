"""The :class:`Network`: named nodes, edges, boundaries, fluids and controls.

A network is built with ``add_*`` calls (one component) or their plural forms
(``add_pipes``, ``add_cold_plates``, … taking equal-length arrays), then solved
with :meth:`Network.solve`. Every ``add_*`` makes a component of
:mod:`narvik_thermal.components` (which converts the Quantities to SI once and
validates them) and hands it to :meth:`Network.add`; a call that fails leaves
the network exactly as it was. The compiled struct-of-arrays and the solvers
never see pint.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import compress, repeat
from operator import eq, is_
from typing import Any, Iterable, Sequence

import numpy as np

from .. import units as U
from ..components import (COMPONENT_TYPES, ExpansionTank, FlowBoundary, HeatExchangers,
                          HeatPumps, PressureBoundary)
from ..components.base import Component, as_names
from ..components.boundary import Boundary
from ..errors import InputError, TopologyError, user_api
from .compiled import (EdgeBlock, Topology, check_flow_balance, circuit_limit_nodes,
                       compile_network, refresh_boundaries, refresh_limits, refresh_values,
                       unknown_name_message)
from .builders import EdgeBuilders
from .controls import Control, actuator_law
from .limits import DEFAULT_DEW_POINT_MARGIN, DewPoint, PressureRating
from .update_values import per_name, take, value_at

__all__ = ["Network"]


#: the parameters any component can change through :meth:`Network.update`
_UPDATABLE = frozenset(k for c in COMPONENT_TYPES.values() for k in c.updatable)


@user_api
class Network(EdgeBuilders):
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
    solver finds the sign. Nodes are created by the edges, boundaries and fluids
    that name them; :meth:`add_node` is needed only to give an elevation.

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
        if fluid is not None:
            _require_fluid(fluid, "Network(fluid=...)")
        self.default_fluid = fluid
        self._node_index: dict[str, int] = {}
        self._node_names: list[str] = []
        self._elevation: dict[int, float] = {}
        self._blocks: list[EdgeBlock] = []
        self._edge_index: dict[str, int] = {}
        self._edge_names: list[str] = []
        self._offsets: list[int] = []
        #: names of two-sided components (heat exchangers, heat pumps) -> block
        self._two_sided: dict[str, int] = {}
        self._boundaries: dict[int, Boundary] = {}
        self._fluids: dict[int, Any] = {}
        self._controls: list[Control] = []
        self._dew_points: dict[int, DewPoint] = {}
        self._pressure_ratings: dict[int, PressureRating] = {}
        self._compiled = None
        #: component values changed since the compiled network last gathered them
        #: (:meth:`update` defers the gathering to the next :meth:`compile`)
        self._values_stale = False
        #: see :attr:`revision`
        self._revision = 0
        #: the name containers are shared with the compiled network (see _unshare)
        self._shared = False

    # ----------------------------------------------------------- read access
    @property
    def node_names(self) -> list[str]:
        """Names of all nodes, in index order."""
        return list(self._node_names)

    @property
    def edge_names(self) -> list[str]:
        """Names of all edges, in index order."""
        return list(self._edge_names)

    @property
    def n_nodes(self) -> int:
        return len(self._node_names)

    @property
    def n_edges(self) -> int:
        return len(self._edge_names)

    @property
    def blocks(self) -> tuple[EdgeBlock, ...]:
        """The components added, with their edges' offsets and nodes (read-only)."""
        return tuple(self._blocks)

    @property
    def boundaries(self) -> dict[str, Boundary]:
        """Boundary of each node that has one (expansion tank, pressure or flow boundary)."""
        return {self._node_names[i]: b for i, b in self._boundaries.items()}

    @property
    def fluids(self) -> dict[str, Any]:
        """Fluid set on a node of each circuit by :meth:`set_fluid`."""
        return {self._node_names[i]: f for i, f in self._fluids.items()}

    @property
    def dew_points(self) -> dict[str, DewPoint]:
        """Room dew point set on a node of each circuit by :meth:`set_dew_point`."""
        return {self._node_names[i]: d for i, d in self._dew_points.items()}

    @property
    def pressure_ratings(self) -> dict[str, PressureRating]:
        """Pressure rating set on a node of each circuit by :meth:`set_pressure_rating`."""
        return {self._node_names[i]: r for i, r in self._pressure_ratings.items()}

    @property
    def controls(self) -> tuple[Control, ...]:
        """The control loops (:meth:`add_control`)."""
        return tuple(self._controls)

    @property
    def elevations(self) -> dict[str, float]:
        """Elevation of every node given one by :meth:`add_node` [m]."""
        return {self._node_names[i]: z for i, z in self._elevation.items()}

    def component(self, name: str) -> Component:
        """The component object holding edge (or heat exchanger, heat pump) ``name``."""
        b, _ = self._locate(name)
        return self._blocks[b].component

    def fluid_volume(self) -> np.ndarray:
        """Fluid volume of each edge (all ``count`` units) [m³], in edge order."""
        out = np.zeros(self.n_edges)
        for b in self._blocks:
            c = b.component
            out[b.offset:b.offset + b.size] = (c.fluid_volume() * np.asarray(c.count)).ravel()
        return out

    def metal_heat_capacity(self) -> np.ndarray:
        """Metal heat capacity in contact with each edge's fluid (all units) [J/K]."""
        out = np.zeros(self.n_edges)
        for b in self._blocks:
            c = b.component
            out[b.offset:b.offset + b.size] = (c.metal_heat_capacity()
                                               * np.asarray(c.count)).ravel()
        return out

    # ------------------------------------------------------------------ nodes
    def _touch(self) -> None:
        self._compiled = None
        self._changed()

    def _changed(self) -> None:
        self._revision = getattr(self, "_revision", 0) + 1

    @property
    def revision(self) -> int:
        """A counter that every change of the network increments (an edge, a value, a
        boundary, a control, a fluid). A solve records the revision it leaves the
        network at (``result.convergence["revision"]``, after the controls have
        written their actuators back), so a later solve warm-started from that result
        knows whether anything changed since (the controls then solve their first
        point in full: see :func:`~narvik_thermal.solvers.control.solve_controlled`).
        It says nothing about what changed; an update to the values a component or
        boundary already has is not a change."""
        return getattr(self, "_revision", 0)

    def _unshare(self) -> None:
        """Own the name containers again before changing them: :meth:`compile` hands
        them to the compiled network without copying (a copy of 10⁵ names costs tens of
        milliseconds), so a network changed after compiling copies them first."""
        if self._shared:
            self._node_index = dict(self._node_index)
            self._node_names = list(self._node_names)
            self._edge_index = dict(self._edge_index)
            self._edge_names = list(self._edge_names)
            self._shared = False

    def _node_ids(self, names: Sequence[str]) -> np.ndarray:
        """Indices of ``names``, creating the missing nodes (call only once nothing
        else can fail)."""
        try:
            return np.fromiter(map(self._node_index.__getitem__, names), dtype=np.int64,
                               count=len(names))
        except KeyError:
            pass
        self._unshare()
        index = self._node_index
        ids = list(map(index.get, names))
        # new names in order of first appearance, numbered after the existing ones
        new = list(dict.fromkeys(compress(names, map(is_, ids, repeat(None)))))
        base = len(self._node_names)
        index.update(zip(new, range(base, base + len(new))))
        self._node_names.extend(new)
        return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))

    def _unknown(self, what: str, name: str, where: str = "") -> str:
        if what == "node":
            return unknown_name_message("node", name, self._node_index,
                                        other=("edge", self._edge_index), where=where)
        idx = {**self._edge_index, **self._two_sided}
        return unknown_name_message(what, name, idx, other=("node", self._node_index),
                                    where=where)

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
        """Plural form of :meth:`add_node` taking arrays.

        ``elevation=None`` only declares the nodes (in this order; existing ones are
        left as they are), without giving them an elevation.
        """
        names = as_names(names)
        if elevation is None:
            self._node_ids(names)
            return
        z = np.asarray(U.to_si(elevation, "m", "elevation"), dtype=float)
        z = np.full(len(names), float(z)) if z.ndim == 0 else z.ravel()
        if z.size != len(names):
            raise InputError(f"elevation has {z.size} values for {len(names)} nodes.")
        if not np.all(np.isfinite(z)):
            raise InputError("elevation must be finite.")
        have = list(map(self._node_index.get, names))
        if len(set(names)) != len(names) or not self._elevation.keys().isdisjoint(have):
            seen: set[str] = set()
            for n, i in zip(names, have):
                if n in seen or (i is not None and i in self._elevation):
                    raise TopologyError(f"duplicate node name {n!r}: add_node was already "
                                        "called for it; node names must be unique.")
                seen.add(n)
        ids = self._node_ids(names)
        self._elevation.update(zip(ids.tolist(), z.tolist()))
        self._touch()

    # --------------------------------------------------------- generic add
    def add(self, component: Component, starts: Any, ends: Any) -> None:
        """Add a component (any kind of :mod:`narvik_thermal.components`).

        Parameters
        ----------
        component : Component
            ``n`` units of one kind, e.g. ``nt.components.Pipes.from_quantities(...)``.
        starts, ends : sequence of str
            Start and end node of each edge: ``n`` names per side of the kind
            (a heat exchanger has two sides, hot then cold), or one name (a string)
            for all.

        Raises
        ------
        TopologyError
            A duplicate name, or an edge from a node to itself.
        InputError
            Wrong numbers of nodes.
        """
        if not isinstance(component, Component):
            raise InputError(f"add: {component!r} is not a component; make one with "
                             "nt.components.<Kind>.from_quantities(...).")
        names = component.edge_names()
        n = len(names)
        # one name (a str) for all edges, else one per edge: a list one short (a node
        # left out) is refused, not spread over the edges
        starts = as_names(starts, "start nodes") * (n if isinstance(starts, str) else 1)
        ends = as_names(ends, "end nodes") * (n if isinstance(ends, str) else 1)
        if len(starts) != n or len(ends) != n:
            raise InputError(f"{n} edges, {len(starts)} start nodes and {len(ends)} end nodes "
                             "were given; give one start and one end node per edge, or "
                             "one node name (a string) for all.")
        self._check_new_names(component, names)
        if any(map(eq, starts, ends)):
            k = next(k for k, (a, b) in enumerate(zip(starts, ends)) if a == b)
            raise TopologyError(f"edge {names[k]!r} runs from node {starts[k]!r} to itself; "
                                "an edge must join two different nodes.")
        u = len(component)                  # sides sharing a node share a circuit
        for k in range(u if len(component.sides) > 1 else 0):
            if {starts[k], ends[k]} & {starts[u + k], ends[u + k]}:
                raise TopologyError(f"{component.label} {component.names[k]!r}: its sides "
                                    "share a node, so they are one circuit; its sides must "
                                    "belong to two separate circuits (coupled only thermally).")
        # nothing below can fail: a rejected call leaves the network unchanged
        self._unshare()
        base = len(self._edge_names)
        self._edge_index.update(zip(names, range(base, base + n)))
        self._edge_names.extend(names)
        if len(component.sides) > 1:
            for nm in component.names:
                self._two_sided[nm] = len(self._blocks)
        self._offsets.append(base)
        self._blocks.append(EdgeBlock(component, base, self._node_ids(starts),
                                      self._node_ids(ends)))
        self._touch()

    def _check_new_names(self, component: Component, names: list[str]) -> None:
        idx = self._edge_index
        two = self._two_sided
        if len(component.sides) > 1:
            for nm in component.names:
                if nm in two or nm in idx:
                    raise TopologyError(f"duplicate {component.label} name {nm!r}: a heat "
                                        "exchanger, heat pump or edge of that name already "
                                        "exists.")
        # set operations run in C; the loop below only finds the name for the message
        if not idx.keys().isdisjoint(names) or (two and not two.keys().isdisjoint(names)):
            nm = next(nm for nm in names if nm in idx or nm in two)
            raise TopologyError(f"duplicate edge name {nm!r}: an edge of that name already "
                                "exists; edge names must be unique.")
        if len(set(names)) != len(names):
            raise TopologyError(f"the edge names of this {component.label} are not unique.")

    # ----------------------------------------------------------- controls
    def add_control(self, name: str, *, actuator: tuple, target: tuple, setpoint: Any,
                    bounds: tuple, sense: str = "equal") -> None:
        """Hold a target at a set-point by adjusting an actuator, as part of the solve.

        Parameters
        ----------
        name : str
            Name of the control loop (``result.controls[name]``).
        actuator : tuple
            What is adjusted: ``("pump_speed", pump)`` (curve pump, speed ratio),
            ``("pump_flow", pump)`` (fixed-flow pump, its flow), ``("valve_opening",
            valve)``, ``("boundary_flow", node)`` (a flow boundary's flow),
            ``("boundary_temperature", node)`` (the inflow temperature of a pressure or
            flow boundary), ``("setpoint_temperature", setpoint_edge)`` or
            ``("heat_pump_supply", heat_pump)`` (its supply set-point).
        target : tuple
            What is held: ``("temperature", node)``, ``("outlet_temperature", edge)``,
            ``("flow", edge)`` (mass or volume flow, as the set-point's units say),
            ``("pressure_difference", node_a, node_b)`` (p_a − p_b),
            ``("pressure", node)`` (absolute pressure; with ``("valve_opening",
            valve)`` and ``sense="at_most"`` on the valve's outlet node a
            pressure-reducing valve, with ``"at_least"`` on its inlet node a
            pressure-sustaining valve, see the user guide),
            ``("chip_temperature", cold_plate)``, ``("hottest_chip", plate, plate, …)``
            (the hottest of a group; no names: of all cold plates) or
            ``("temperature_difference", edge)`` (outlet − inlet) /
            ``("temperature_difference", node_a, node_b)`` (T_a − T_b).
        setpoint : Quantity
            The value to hold (absolute temperature, temperature difference, flow or
            pressure).
        bounds : (low, high)
            Range of the actuator (Quantities for flows and temperatures; plain
            numbers for speed ratio and opening). A set-point that cannot be met
            within them is reported (``met=False``, a ``setpoint_not_met``
            flag), never faked.
        sense : {"equal", "at_most", "at_least"}, optional
            ``"at_most"``: the set-point is an upper limit (a chip limit, a supply
            temperature not to exceed) — a target below it with the actuator at a
            bound is met; ``"at_least"`` the reverse.

        Notes
        -----
        All controls are solved together, around the coupled steady solve
        (:func:`narvik_thermal.solvers.control.solve_controlled`), every solve
        warm-started from a neighbouring one. An actuator at a bound whose own
        effect would push it further out is held there (saturated); the
        iteration solves for every loop being at its set-point or held, through
        the natural residual of the errors with the bounds (Facchinei & Pang
        2003, §1.5). Steps are trust-region Levenberg–Marquardt steps on the
        scaled errors in the scaled actuator space with a Broyden-updated
        Jacobian (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Springer
        2006, ch. 4 and 11; Broyden 1965), and a step is accepted only if it
        lowers the merit ‖F‖₂ (``result.convergence["control_errors"]``). Loops
        that share a pump can have a weak common mode (two CDU valves on one
        fixed-speed pump: opening both barely changes either supply
        temperature); when the local steps stall there, the residual is
        searched along the weakest modes of the Jacobian out to the bounds
        before giving up. If no step lowers the errors, a
        :class:`~narvik_thermal.errors.ConvergenceError` names every loop, its
        target and set-point.
        """
        self.add_control_loop(Control.from_quantities(name, actuator=actuator, target=target,
                                                      setpoint=setpoint, bounds=bounds,
                                                      sense=sense))

    def add_controls(self, names: Sequence[str], *, actuators: Sequence[tuple],
                     targets: Sequence[tuple], setpoints: Any, bounds: Sequence[tuple]) -> None:
        """Plural form of :meth:`add_control`: one actuator, target, set-point and
        bounds per name (``setpoints`` a Quantity array or a list of Quantities).
        All are validated before any is added."""
        names = as_names(names)
        n = len(names)
        if isinstance(setpoints, (list, tuple)):
            sps = list(setpoints)
        elif isinstance(setpoints, str) or np.ndim(getattr(setpoints, "magnitude", 0)) == 0:
            sps = [setpoints] * n
        else:
            sps = [setpoints[k] for k in range(len(setpoints))]
        lists = {"setpoints": sps}
        for key, v in (("actuators", actuators), ("targets", targets), ("bounds", bounds)):
            if not isinstance(v, (list, tuple)):
                raise InputError(f"add_controls: {key}={v!r} must be a list with one entry "
                                 "per name.")
            lists[key] = list(v)
        for key, v in lists.items():
            if len(v) != n:
                raise InputError(f"add_controls: {key} has {len(v)} entries for {n} names; "
                                 "give one per control.")
        made = [Control.from_quantities(nm, actuator=a, target=t, setpoint=sp, bounds=b)
                for nm, a, t, sp, b in zip(names, lists["actuators"], lists["targets"],
                                           lists["setpoints"], lists["bounds"])]
        self._admit_controls(made)
        for c in made:
            self.add_control_loop(c)

    def add_control_loop(self, control: Control) -> None:
        """Add a :class:`~narvik_thermal.network.controls.Control` object (the generic form
        of :meth:`add_control`)."""
        if not isinstance(control, Control):
            raise InputError(f"add_control_loop: {control!r} is not a Control.")
        self._admit_controls([control])
        self._controls.append(control)
        self._touch()

    def _admit_controls(self, made: list) -> None:
        """Refuse controls whose names are taken, or whose actuators another control
        already turns (among themselves too): nothing is added when one is refused."""
        have = {x.name for x in self._controls}
        turned = {x.actuator: x.name for x in self._controls}
        for c in made:
            self._check_control_elements(c)
            if c.name in have:
                raise TopologyError(f"duplicate control name {c.name!r}.")
            if c.actuator in turned:
                raise TopologyError(f"control {c.name!r}: its actuator {c.actuator} is already "
                                    f"turned by control {turned[c.actuator]!r}; one control "
                                    "per actuator (remove_control the other first).")
            have.add(c.name)
            turned[c.actuator] = c.name

    def _check_control_elements(self, c: Control) -> None:
        """The elements a control names exist and its actuator is of the kind it turns
        (accepted, a wrong name left every later solve failing until it was removed)."""
        kind, el = c.actuator
        tkind, *t = c.target
        nodes = tkind in ("temperature", "pressure", "pressure_difference") or (
            tkind == "temperature_difference" and len(t) == 2)
        for x, node, where in [(el, kind in ("boundary_flow", "boundary_temperature"),
                                "actuator")] + [(x, nodes, "target") for x in t]:
            known = x in self._node_index if node else (x in self._edge_index
                                                          or x in self._two_sided)
            if not isinstance(x, str) or not known:
                raise InputError(self._unknown("node" if node else "edge", x,
                                               where=f"control {c.name!r} {where}"))
        law, b = actuator_law(kind), self._two_sided.get(el)
        comp = self._blocks[self._locate(el)[0]].component if law or b is not None else None
        if law is not None and not any((s.hydraulic if law[0] == "h" else s.thermal) == law[1]
                                       for s in comp.edge_sides()):
            raise InputError(f"control {c.name!r} actuator: {kind!r} needs {law[2]}; {el!r} "
                             f"is a {comp.label}.")
        if kind == "heat_pump_supply" and not isinstance(comp, HeatPumps):
            hps = [n for n, k in self._two_sided.items()
                   if isinstance(self._blocks[k].component, HeatPumps)]
            raise InputError(f"control {c.name!r}: {el!r} is not a heat pump; heat pumps: "
                             f"{hps[:10]}.")

    def update_control(self, name: str, *, setpoint: Any = None, bounds: tuple | None = None) -> None:
        """Change the set-point and/or bounds of a control loop (no recompile needed)."""
        k = next((j for j, c in enumerate(self._controls) if c.name == name), None)
        if k is None:
            raise InputError(unknown_name_message("control", name,
                                                  {c.name: 0 for c in self._controls}))
        new = self._controls[k].with_setpoint(setpoint, bounds)
        if new != self._controls[k]:
            self._controls[k] = new
            self._changed()

    def remove_control(self, name: str) -> None:
        """Take a control loop off the network; its actuator stays where it is (the
        value the last controlled solve wrote back, or as set)."""
        k = next((j for j, c in enumerate(self._controls) if c.name == name), None)
        if k is None:
            raise InputError(unknown_name_message("control", name,
                                                  {c.name: 0 for c in self._controls}))
        del self._controls[k]
        self._changed()

    # --------------------------------------------------------- boundaries
    def add_boundary(self, node: str, boundary: Boundary) -> None:
        """Add a boundary object (:mod:`narvik_thermal.components.boundary`) at ``node``
        (created if new): the generic form of the ``add_*`` boundary calls.

        Raises
        ------
        TopologyError
            The node has a boundary already.
        """
        if not isinstance(boundary, Boundary):
            raise InputError(f"add_boundary: {boundary!r} is not a boundary; make one with "
                             "nt.components.ExpansionTank/PressureBoundary/FlowBoundary.")
        node = _one_name(node, "node")
        i = self._node_index.get(node)
        old = self._boundaries.get(i) if i is not None else None
        if old is not None:
            from ..components.boundary import FlowBoundary as _FB
            if isinstance(boundary, _FB) and isinstance(old, _FB):
                raise TopologyError(f"node {node!r} already has a flow boundary.")
            kind = "pressure reference" if not isinstance(old, _FB) else "flow boundary"
            raise TopologyError(f"node {node!r} already has a {kind} ({old.label}); a node "
                                "takes one pressure reference or one flow boundary.")
        i = int(self._node_ids([node])[0])
        self._boundaries[i] = boundary
        self._touch()

    def add_expansion_tank(self, node: str, pressure: Any) -> None:
        """Make ``node`` the pressure reference of its closed circuit (creates the node
        if no edge has named it yet).

        Parameters
        ----------
        node : str
        pressure : Quantity
            Absolute pressure held at the node [pressure].
        """
        self.add_boundary(node, ExpansionTank.from_quantities(pressure))

    def add_expansion_tanks(self, nodes: Sequence[str], pressure: Any) -> None:
        """Plural form of :meth:`add_expansion_tank` (one pressure or one per node)."""
        self._add_boundaries(nodes, ExpansionTank, pressure=pressure)

    def add_pressure_boundary(self, node: str, pressure: Any, temperature: Any) -> None:
        """Fix pressure at ``node`` of an open circuit (e.g. fjord intake or outfall).

        Fluid may enter or leave the network here; entering fluid has
        ``temperature``. Creates the node if no edge has named it yet.
        """
        self.add_boundary(node, PressureBoundary.from_quantities(pressure, temperature))

    def add_pressure_boundaries(self, nodes: Sequence[str], pressure: Any,
                                temperature: Any) -> None:
        """Plural form of :meth:`add_pressure_boundary`."""
        self._add_boundaries(nodes, PressureBoundary, pressure=pressure,
                             temperature=temperature)

    def add_flow_boundary(self, node: str, mass_flow: Any, temperature: Any) -> None:
        """Inject (+) or withdraw (−) a fixed flow at ``node`` (created if new).

        Parameters
        ----------
        mass_flow : Quantity
            Mass or volume flow entering the network (negative leaves it).
        temperature : Quantity
            Temperature of entering fluid (ignored for withdrawal).
        """
        self.add_boundary(node, FlowBoundary.from_quantities(mass_flow, temperature))

    def add_flow_boundaries(self, nodes: Sequence[str], mass_flow: Any,
                            temperature: Any) -> None:
        """Plural form of :meth:`add_flow_boundary`."""
        self._add_boundaries(nodes, FlowBoundary, mass_flow=mass_flow, temperature=temperature)

    def _add_boundaries(self, nodes: Sequence[str], cls: type, **values: Any) -> None:
        nodes = as_names(nodes, "nodes")
        n = len(nodes)
        per = {}
        for k, v in values.items():
            q = U.parse(v, k) if not isinstance(v, (int, float)) else v
            mag = getattr(q, "magnitude", q)
            if np.ndim(mag) == 0:
                per[k] = [v] * n
            elif np.size(mag) == n:
                per[k] = [q[j] for j in range(n)]
            else:
                raise InputError(f"{k} has {np.size(mag)} values for {n} nodes; give one "
                                 "value or one per node.")
        made = [cls.from_quantities(**{k: per[k][j] for k in per}) for j in range(n)]
        if len(set(nodes)) != n:
            raise TopologyError("the same node is named twice in one call.")
        for nd in nodes:
            i = self._node_index.get(nd)
            if i is not None and i in self._boundaries:
                raise TopologyError(f"node {nd!r} already has a {self._boundaries[i].label}.")
        for nd, b in zip(nodes, made):
            self.add_boundary(nd, b)

    # -------------------------------------------------------------- fluids
    def set_fluid(self, node: str, fluid: Any) -> None:
        """Set the fluid of the circuit that contains ``node`` (created if new)."""
        _require_fluid(fluid, f"set_fluid({node!r}, ...)")
        i = int(self._node_ids([_one_name(node, "node")])[0])
        self._fluids[i] = fluid
        self._touch()

    # ------------------------------------------------- circuit operating limits
    def set_dew_point(self, node: str, dew_point: Any,
                      margin: Any = f"{DEFAULT_DEW_POINT_MARGIN} K") -> None:
        """Give the circuit containing ``node`` the dew point of the room it runs through.

        A solved node of that circuit colder than ``dew_point + margin`` is
        flagged ``condensation`` (pipes, manifolds and cold plates would sweat).
        Set it on the technology cooling system in the white space. Changing it
        (again at the same node) or clearing it (``dew_point=None``) needs no
        recompile: hourly runs can follow the room's humidity.

        Parameters
        ----------
        node : str
            An existing node of the circuit; the circuit has one dew point, set
            at one node.
        dew_point : Quantity or None
            Dew point of the room air (absolute temperature); None clears it.
        margin : Quantity, optional
            Margin kept above it [temperature difference], default 2 K (supply
            at least 2–3 K above the room dew point, narvik-facts §2, R19).

        Raises
        ------
        TopologyError
            Unknown node.
        InputError
            A bad value, or another node of the (compiled) circuit already
            carries its dew point.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> net = nt.Network("tcs", fluid=nt.fluids.water())
        >>> net.add_pipe("p", "a", "b", length=nt.Q_(1, "m"), diameter=nt.Q_(20, "mm"))
        >>> net.set_dew_point("a", nt.Q_(14, "degC"))
        >>> round(net.dew_points["a"].limit - 273.15, 2)
        16.0
        """
        rec = None if dew_point is None else DewPoint.from_quantities(dew_point, margin)
        self._set_limit(self._dew_points, node, rec, "dew point")

    def set_pressure_rating(self, node: str, rating: Any) -> None:
        """Give the circuit containing ``node`` a pressure rating (gauge, as PN ratings are).

        A solved node of that circuit whose pressure exceeds the standard
        atmosphere by more than ``rating`` is flagged ``over_pressure``.
        Changing or clearing it (``rating=None``) needs no recompile.

        Parameters
        ----------
        node : str
            An existing node of the circuit (one rating per circuit, set at one node).
        rating : Quantity or None
            Nominal pressure above the atmosphere [pressure], e.g. ``"16 bar"``
            for PN16 district-heating pipe; None clears it.

        Raises
        ------
        TopologyError
            Unknown node.
        InputError
            A bad value, or another node of the (compiled) circuit already
            carries its rating.
        """
        rec = None if rating is None else PressureRating.from_quantities(rating)
        self._set_limit(self._pressure_ratings, node, rec, "pressure rating")

    def _set_limit(self, store: dict, node: str, rec: Any, what: str) -> None:
        node = str(node)
        i = self._node_index.get(node)
        if i is None:
            raise TopologyError(self._unknown("node", node, where=f"set {what}"))
        trial = dict(store)
        if rec is None:
            trial.pop(i, None)
        else:
            trial[i] = rec
        cn = self._compiled
        if cn is not None:
            try:
                circuit_limit_nodes(cn, trial, what)
            except TopologyError as exc:
                raise InputError(str(exc)) from None
        # nothing below can fail
        store.clear()
        store.update(trial)
        if cn is not None:
            refresh_limits(cn, self._dew_points, self._pressure_ratings)

    # ----------------------------------------------------- parameter updates
    def _locate(self, name: str) -> tuple[int, int]:
        """(block, unit) of an edge or of a heat exchanger / heat pump name."""
        name = _one_name(name, "name")
        b = self._two_sided.get(name)
        if b is not None:
            return b, self._blocks[b].component.names.index(name)
        i = self._edge_index.get(name)
        if i is None:
            raise TopologyError(self._unknown("edge", name))
        b = bisect_right(self._offsets, i) - 1      # (the offsets rise: a list, no array)
        blk = self._blocks[b]
        return b, (i - blk.offset) % len(blk.component)

    def update(self, names: str | Sequence[str], **values: Any) -> None:
        """Change parameter values of existing components without changing the topology.

        The compiled network and its kept factorisations survive, so a solve
        warm-started after an update costs little (annual runs, sweeps,
        controls written by hand). All values are validated as ``add_*``
        validates them before any is applied: a call that raises changes nothing.

        Parameters
        ----------
        names : str or sequence of str
            Edge names (or heat-exchanger / heat-pump names).
        **values : Quantity
            One value, or one per name, for any parameter the components allow
            (``nt.components.<Kind>.updatable``): ``heat`` (heat loads, cold plates,
            consumers, per unit), ``outlet_temperature`` (set-points), ``speed``
            (every pump kind), ``flow``/``head``/``curve`` (pumps, as added),
            ``opening``/``kvs`` (valves), ``ambient`` (pipes with heat loss),
            ``ua``/``effectiveness``/``design_flows``/``flow_exponent``/
            ``hot_film_share``/``wall_share`` (heat exchangers), ``supply_temperature``/
            ``capacity`` (heat pumps), ``delta_t``/``return_temperature``/``mass_flow``
            (consumers), ``max_chip_temperature`` (cold plates), ``efficiency`` (pumps).

        Raises
        ------
        InputError
            A parameter the component does not have, or a bad value.
        TopologyError
            Unknown name.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> net = nt.Network("u", fluid=nt.fluids.water())
        >>> net.add_heat_load("load", "a", "b", heat=nt.Q_(1, "kW"))
        >>> net.update("load", heat=nt.Q_(2, "kW"))
        """
        # a tuple of plain strings given again (the same object: the same strings) is not
        # read again; checking, hashing and comparing its names touches each of them (the
        # 252 cold plates of a campus at every operating point)
        memo = self.__dict__.setdefault("_tuples_seen", {})
        hit = memo.get(id(names)) if type(names) is tuple else None
        asked = names
        if hit is None or hit[0] is not names:
            names, hit = as_names(names), None
        n = len(names)
        for key in values:
            if key not in _UPDATABLE:
                raise InputError(f"update: {key!r} cannot be changed this way; updatable "
                                 f"parameters are {sorted(_UPDATABLE)}.")
        # the (block, unit) of each name, kept per tuple of names: edges are only ever
        # added, so a name's place holds while the number of blocks is unchanged (an
        # annual run updates the same names every hour)
        cache = self.__dict__.setdefault("_where_cache", {})
        ckey = (names, len(self._offsets))
        groups = hit[2] if hit is not None and hit[1] == ckey[1] else cache.get(ckey)
        if groups is None:
            where = [self._locate(nm) for nm in names]
            if len(set(where)) != len(where):
                seen: dict = {}
                for nm, w in zip(names, where):
                    if w in seen:
                        raise InputError(f"update: {nm!r} and {seen[w]!r} name the same "
                                         "component twice in one call; name each once.")
                    seen[w] = nm
            # per block: the positions of its names in this call (None: all of them, in
            # order) and its units
            by_block: dict[int, list[int]] = {}
            for k, (b, _) in enumerate(where):
                by_block.setdefault(b, []).append(k)
            groups = tuple(
                (b, None if ks == list(range(n)) else np.asarray(ks, dtype=np.int64),
                 np.array([where[k][1] for k in ks], dtype=np.int64))
                for b, ks in by_block.items())
            if len(cache) >= 256:
                cache.clear()
            cache[ckey] = groups
        if names is asked and (hit is None or hit[2] is not groups):
            # (as_names returns a tuple of plain strings itself; the entry keeps it alive,
            # and so its id unused by another)
            if len(memo) >= 256:
                memo.clear()
            memo[id(names)] = (names, ckey[1], groups)
        # each value read once (checked before any component sees it; no names, no
        # reading), then picked
        given = [(key, *per_name(v, n, key)) for key, v in values.items()] if groups else []
        new: dict[int, Component] = {}
        for b, ks, units in groups:
            comp = new.get(b, self._blocks[b].component)
            new[b] = comp.updated(units, **{key: value_at(v, ks) if each else v
                                            for key, v, each in given})
        # nothing below can fail
        moved = False
        for b, comp in new.items():
            blk = self._blocks[b]
            if comp is not blk.component:      # else the values it already has
                self._blocks[b] = blk.holding(comp)
                moved = True
        # the compiled network gathers the new values at its next compile (a solve):
        # several updates before a solve cost one gathering. Gathered even when nothing
        # changed: the controls move actuators in the compiled groups in place, and a
        # Result keeps the groups it was solved with (new ones for the next solve)
        self._values_stale = self._compiled is not None
        if moved:
            self._changed()

    def update_exchanger(self, name: str, *, ua: Any = None,
                         effectiveness: Any = None) -> None:
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
        b = self._two_sided.get(name)
        if b is None or not isinstance(self._blocks[b].component, HeatExchangers):
            hx = [nm for nm, bb in self._two_sided.items()
                  if isinstance(self._blocks[bb].component, HeatExchangers)]
            raise TopologyError(unknown_name_message("heat exchanger", name,
                                                     {h: 0 for h in hx}))
        if (ua is None) == (effectiveness is None):
            raise InputError(f"update_exchanger({name!r}): give exactly one of ua= or "
                             "effectiveness=.")
        self.update(name, **({"ua": ua} if ua is not None else {"effectiveness": effectiveness}))

    def update_boundary(self, node: str | Sequence[str], *, pressure: Any = None,
                        temperature: Any = None, mass_flow: Any = None) -> None:
        """Change the boundary of ``node``, or of several nodes at once, without
        recompiling (hourly runs, sweeps).

        Parameters
        ----------
        node : str or sequence of str
            Nodes with an expansion tank, a pressure boundary or a flow boundary. Several
            nodes are changed together (every value checked first, one balance check):
            every demand of a large network in one call.
        pressure : Quantity, optional
            New absolute pressure (tank or pressure boundary).
        temperature : Quantity, optional
            New inflow temperature (pressure or flow boundary).
        mass_flow : Quantity, optional
            New flow of a flow boundary (same kind, mass or volume, as when added).
            A flow that would leave a closed circuit unbalanced is refused.

        Each value is one Quantity for every node, or one per node; a call that
        raises changes nothing."""
        names = [_one_name(node, "node")] if isinstance(node, str) else as_names(node, "node")
        given = {k: v for k, v in (("pressure", pressure), ("temperature", temperature),
                                   ("mass_flow", mass_flow)) if v is not None}
        new: dict[int, Boundary] = {}
        for k, nm in enumerate(names):
            i = self._node_index.get(nm)
            if i is None:
                raise TopologyError(self._unknown("node", nm))
            if i not in self._boundaries or i in new:
                raise InputError(f"update_boundary: node {nm!r} " + (
                    "is named twice; name each node once." if i in new else
                    "has no boundary to change."))
            new[i] = self._boundaries[i].updated(
                nm, **{key: take(v, k, len(names), key) for key, v in given.items()})
        if mass_flow is not None:
            # the balance of a closed circuit is checked now, also before the first
            # solve (the circuits are known once the network compiles)
            cn = self._compiled
            if cn is None:
                try:
                    cn = self.compile()
                except TopologyError:
                    cn = None          # not well posed yet: the solve will say why
            if cn is not None:
                check_flow_balance(cn, {**self._boundaries, **new}, new)
        changed = any(b != self._boundaries[i] for i, b in new.items())
        self._boundaries.update(new)
        if self._compiled is not None:
            refresh_boundaries(self._compiled, self._boundaries, new)
        if changed:
            self._changed()

    def refresh_compiled(self) -> None:
        """Copy every component's and boundary's values into the compiled network
        again (a solve whose controls failed may have left trial actuator values
        there); the compiled network then solves exactly what a saved file holds."""
        if self._compiled is not None:
            refresh_values(self._compiled, self._blocks)
            refresh_boundaries(self._compiled, self._boundaries)
        self._values_stale = False

    # ----------------------------------------------------- compile & solve
    def topology(self) -> Topology:
        """What the network holds, as the compiler reads it."""
        z = np.zeros(self.n_nodes)
        for i, v in self._elevation.items():
            z[i] = v
        return Topology(name=self.name, node_names=self._node_names, node_index=self._node_index,
                        elevation=z, blocks=tuple(self._blocks), edge_names=self._edge_names,
                        edge_index=self._edge_index, boundaries=dict(self._boundaries),
                        fluids=dict(self._fluids), default_fluid=self.default_fluid,
                        dew_points=dict(self._dew_points),
                        pressure_ratings=dict(self._pressure_ratings))

    def compile(self):
        """Build (or return the cached) struct-of-arrays form of the network.

        Raises
        ------
        TopologyError
            Any structural problem (see :mod:`narvik_thermal.network.compiled`).
        """
        if self._compiled is None:
            self._compiled = compile_network(self.topology())
            self._shared = True
            self._values_stale = False
        elif getattr(self, "_values_stale", False):
            refresh_values(self._compiled, self._blocks)
            self._values_stale = False
        return self._compiled

    def solve(self, *, initial: Any = None, options: Any = None, warn: bool = True,
              **kwargs: Any):
        """Solve the steady coupled hydraulic and thermal state.

        Parameters
        ----------
        initial : Result, optional
            A previous result of this network to warm-start from.
        options : SolverOptions, optional
            Tolerances and iteration limits; keyword arguments override fields.
        warn : bool, optional
            Issue each flag of the result as a :class:`~narvik_thermal.PhysicsWarning`
            (default). ``warn=False`` leaves them in ``result.flags`` only — the
            thread-safe way to silence a solve (``warnings.catch_warnings`` changes
            process-wide state, which threads of a sweep share).

        Returns
        -------
        Result

        Raises
        ------
        TopologyError
            The network is not well posed.
        ConvergenceError
            No convergence; the error carries the last iterate (a :class:`Result`
            that can be summarised) and says where the largest residuals are.
        """
        from .solve import solve
        return solve(self, initial=initial, options=options, warn=warn, **kwargs)

    def __repr__(self) -> str:
        n_hx = sum(len(b.component) for b in self._blocks
                   if isinstance(b.component, HeatExchangers))
        return (f"Network({self.name!r}: {self.n_nodes} nodes, {self.n_edges} edges, "
                f"{n_hx} heat exchangers)")


def _one_name(name: Any, what: str) -> str:
    """One name (a non-empty string), or an InputError saying what was given."""
    if not isinstance(name, str) or not name:
        as_names([name], what)        # raises, naming the argument
    return name


def _require_fluid(fluid: Any, where: str) -> None:
    """Refuse what is not a fluid object (a name, a number, the function that makes one)."""
    for attr in ("density_pT", "cp_pT", "viscosity_pT", "enthalpy_T", "temperature_h"):
        if not hasattr(fluid, attr):
            raise InputError(f"{where}: {fluid!r} is not a fluid; use nt.fluids.water(), "
                             "propylene_glycol(0.25), seawater(...), ... (called: a fluid "
                             "object, not its name or the function).")

