"""Control loops of a network: what is held, by turning what, within which bounds.

:class:`Control` is the user's specification (names, set-point and bounds in
SI), validated when it is added; :func:`resolve_controls` maps it onto the
compiled arrays (:class:`narvik_thermal.solvers.control.ControlLoop`) that the
control solver adjusts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import units as U
from ..components.kinds import EdgeKind, FlowBasis, HydraulicLaw, ThermalLaw
from ..errors import InputError, user_api
from ..solvers.control import ControlLoop

__all__ = ["Control", "ACTUATORS", "TARGETS", "resolve_controls", "actuator_law"]

#: what a control can turn
ACTUATORS = ("pump_speed", "pump_flow", "valve_opening", "boundary_flow",
             "setpoint_temperature", "boundary_temperature", "heat_pump_supply")
#: what a control can hold
TARGETS = ("temperature", "outlet_temperature", "flow", "pressure_difference", "pressure",
           "chip_temperature", "hottest_chip", "temperature_difference")
#: how a set-point is held
SENSES = ("equal", "at_most", "at_least")


@user_api
@dataclass(frozen=True)
class Control:
    """A control loop (SI values).

    Attributes
    ----------
    name : str
    actuator : tuple
        ``(kind, element)`` with kind in :data:`ACTUATORS`.
    target : tuple
        ``(kind, element[, element])`` with kind in :data:`TARGETS`.
    setpoint : float
        Value held [K, kg/s, m³/s or Pa, see ``setpoint_unit``].
    setpoint_unit : str
        ``"K"``, ``"kg/s"``, ``"m^3/s"`` or ``"Pa"``.
    bounds : (float, float)
        Range of the actuator (SI; speed ratio and opening are plain numbers).
    sense : {"equal", "at_most", "at_least"}
        ``"equal"`` holds the set-point; ``"at_most"`` (``"at_least"``) treats it as
        an upper (lower) limit: a target below (above) it with the actuator at a
        bound is met, not flagged.
    """

    name: str
    actuator: tuple
    target: tuple
    setpoint: float
    setpoint_unit: str
    bounds: tuple
    sense: str = "equal"
    #: the kind of flow the bounds of a flow actuator were given in ("kg/s" or
    #: "m^3/s"; "" for other actuators, or unchecked): it must be the actuator's own
    bounds_unit: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"control name {self.name!r} is not a name; give a non-empty "
                             "string such as 'cdu1.supply_temperature'.")
        kind = self.actuator[0] if self.actuator else None
        if kind not in ACTUATORS or len(self.actuator) != 2:
            raise InputError(f"control {self.name!r}: actuator {self.actuator!r} must be "
                             f"(kind, element) with kind one of {ACTUATORS}.")
        tkind = self.target[0] if self.target else None
        if tkind not in TARGETS:
            raise InputError(f"control {self.name!r}: target {tkind!r} is not one of {TARGETS}.")
        if tkind == "hottest_chip":
            pass                               # any number of cold plates (none: all)
        elif tkind == "temperature_difference":
            if len(self.target) not in (2, 3):
                raise InputError(f"control {self.name!r}: target {self.target!r} must name an "
                                 "edge (outlet − inlet) or two nodes (first − second).")
        else:
            need = 3 if tkind == "pressure_difference" else 2
            if len(self.target) != need:
                raise InputError(f"control {self.name!r}: target {self.target!r} must name "
                                 f"{need - 1} element(s).")
        if self.sense not in SENSES:
            raise InputError(f"control {self.name!r}: sense={self.sense!r} is not one of "
                             f"{SENSES}.")
        lo, hi = self.bounds
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise InputError(f"control {self.name!r}: bounds ({lo}, {hi}) must be finite and "
                             "satisfy low < high.")
        if kind == "valve_opening" and not (0 <= lo and hi <= 1):
            raise InputError(f"control {self.name!r}: valve opening bounds must lie in [0, 1].")
        if kind == "pump_speed" and not lo > 0:
            raise InputError(f"control {self.name!r}: pump speed bounds must be positive.")
        if not np.isfinite(self.setpoint):
            raise InputError(f"control {self.name!r}: setpoint={self.setpoint} must be finite.")

    @classmethod
    def from_quantities(cls, name: str, *, actuator: tuple, target: tuple, setpoint: Any,
                        bounds: tuple, sense: str = "equal") -> "Control":
        """A control from Quantities (see :meth:`narvik_thermal.Network.add_control`)."""
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"add_control: name={name!r} is not a name; give a non-empty "
                             "string such as 'cdu1.supply_temperature'.")
        for what, v, eg in (("actuator", actuator, "('valve_opening', 'v1')"),
                            ("target", target, "('temperature', 'n1')")):
            if isinstance(v, str) or not isinstance(v, (tuple, list)) or not v:
                raise InputError(f"control {name!r}: {what}={v!r} must be a tuple (kind, "
                                 f"element, ...) such as {eg}.")
        kind, *a_args = actuator
        tkind, *t_args = target
        if kind not in ACTUATORS:
            raise InputError(f"control {name!r}: actuator {kind!r} is not one of {ACTUATORS}.")
        if tkind not in TARGETS:
            raise InputError(f"control {name!r}: target {tkind!r} is not one of {TARGETS}.")
        sp_si, sp_unit = _setpoint(tkind, setpoint)
        try:
            lo, hi = bounds
        except (TypeError, ValueError):
            raise InputError(f"control {name!r}: bounds must be a pair (low, high).") from None
        (lo, hi), b_unit = _bounds(name, kind, lo, hi)
        return cls(str(name), (kind, *map(str, a_args)), (tkind, *map(str, t_args)), sp_si,
                   sp_unit, (lo, hi), str(sense), b_unit)

    def with_setpoint(self, setpoint: Any = None, bounds: tuple | None = None) -> "Control":
        """A validated copy with a new set-point and/or bounds (Quantities)."""
        changes: dict[str, Any] = {}
        if setpoint is not None:
            sp, unit = _setpoint(self.target[0], setpoint)
            if unit != self.setpoint_unit:
                raise InputError(f"control {self.name!r}: the set-point was given in "
                                 f"{self.setpoint_unit}; give the same kind.")
            changes["setpoint"] = sp
        if bounds is not None:
            try:
                lo, hi = bounds
            except (TypeError, ValueError):
                raise InputError(f"control {self.name!r}: bounds must be a pair.") from None
            changes["bounds"], unit = _bounds(self.name, self.actuator[0], lo, hi)
            if self.bounds_unit and unit and unit != self.bounds_unit:
                raise InputError(f"control {self.name!r}: bounds were given as "
                                 f"{_FLOW_KIND[self.bounds_unit]} ({self.bounds_unit}); give "
                                 f"the new ones the same way, not as {_FLOW_KIND[unit]}.")
            changes["bounds_unit"] = unit
        # dataclasses.replace(self, **changes), without its per-field bookkeeping: every
        # field is an init field with no conversion, so the copy is this one's fields
        # with the changes, checked as __init__ checks them
        new = object.__new__(type(self))
        vars(new).update(vars(self), **changes)
        new.__post_init__()
        return new

    def to_data(self) -> dict:
        out = dict(name=self.name, actuator=list(self.actuator), target=list(self.target),
                   setpoint=self.setpoint, setpoint_unit=self.setpoint_unit,
                   bounds=list(self.bounds), sense=self.sense)
        if self.bounds_unit:
            out["bounds_unit"] = self.bounds_unit
        return out


def _same_flow_kind(c: Control, unit: str, what: str) -> None:
    """A flow actuator's bounds must be the kind of flow it was added with (a volume
    flow's number read as kg/s is a thousand times off)."""
    if c.bounds_unit and c.bounds_unit != unit:
        raise InputError(f"control {c.name!r}: bounds={c.bounds} were given as "
                         f"{_FLOW_KIND[c.bounds_unit]} ({c.bounds_unit}) but {what} was added "
                         f"with a {_FLOW_KIND[unit][:-1]} ({unit}); give the bounds in {unit}.")


def _setpoint(tkind: str, setpoint: Any) -> tuple[float, str]:
    if tkind in ("temperature", "outlet_temperature", "chip_temperature", "hottest_chip"):
        return float(U.to_temperature(setpoint, "setpoint")), "K"
    if tkind == "temperature_difference":
        return float(U.to_temperature_difference(setpoint, "setpoint")), "delta_K"
    if tkind == "flow":
        v, fk = U.to_flow(setpoint, "setpoint")
        return float(v), ("kg/s" if fk == "mass" else "m^3/s")
    return float(U.to_si(setpoint, "Pa", "setpoint")), "Pa"


_FLOW_KIND = {"kg/s": "mass flows", "m^3/s": "volume flows"}


def _bounds(name: str, kind: str, lo: Any, hi: Any) -> tuple[tuple[float, float], str]:
    """The bounds in SI, and the kind of flow a flow actuator's were given in ("kg/s",
    "m^3/s"; "" for other actuators): both bounds of one kind."""
    if kind in ("pump_speed", "valve_opening"):
        return (float(U.to_si(lo, "", "bounds")), float(U.to_si(hi, "", "bounds"))), ""
    if kind in ("setpoint_temperature", "boundary_temperature", "heat_pump_supply"):
        return (float(U.to_temperature(lo, "bounds")),
                float(U.to_temperature(hi, "bounds"))), ""
    (a, ka), (b, kb) = U.to_flow(lo, "bounds"), U.to_flow(hi, "bounds")
    if ka != kb:
        raise InputError(f"control {name!r}: bounds=({lo}, {hi}) mix a {ka} flow and a {kb} "
                         "flow; give both as the kind of flow the actuator was added with.")
    return (float(a), float(b)), ("kg/s" if ka == "mass" else "m^3/s")


_ACT = {"pump_speed": ("h", HydraulicLaw.PUMP_CURVE, "speed", "a pump with a curve"),
        "pump_flow": ("h", HydraulicLaw.FIXED_FLOW, "fixed_flow", "a fixed-flow pump"),
        "valve_opening": ("h", HydraulicLaw.VALVE_KV, "opening", "a valve"),
        "setpoint_temperature": ("t", ThermalLaw.SETPOINT, "t_set", "a set-point edge")}


def actuator_law(kind: str) -> tuple[str, Any, str] | None:
    """The law an edge actuator of ``kind`` turns, as ``(side, law, what)``: ``side``
    ``"h"`` (a :class:`HydraulicLaw`) or ``"t"`` (a :class:`ThermalLaw`), and what the
    edge must be ("a valve"); None for the actuators that are not edges (boundaries,
    heat pumps)."""
    got = _ACT.get(kind)
    return None if got is None else (got[0], got[1], got[3])


def _exchanger_sign(cn, pump: int, target: int) -> int:
    """The sign physics fixes for a pump whose flow passes through the other side of the
    heat exchanger whose outlet ``target`` it controls, in an open circuit (its inlet
    temperature a boundary's, independent of that flow): more flow on the cold side
    cools the hot side's outlet (−1), more on the hot side warms the cold side's (+1);
    0 otherwise. A finite difference can show the other sign where the target side
    barely flows (its outlet temperature is then its neighbours'), and a wrong sign
    holds the loop at the wrong bound (seawater pumps at full flow)."""
    other = int(cn.partner[target])
    if other < 0 or not (np.any(cn.hx_hot == target) or np.any(cn.hx_cold == target)):
        return 0
    circ = int(cn.edge_circuit[pump])
    if int(cn.edge_circuit[other]) != circ or int(cn.edge_circuit[target]) == circ:
        return 0
    open_ = (np.any(cn.node_circuit[cn.fixed_nodes[~cn.is_tank]] == circ)
             or np.any(cn.node_circuit[cn.flow_nodes] == circ))
    if not open_:
        return 0
    return -1 if np.any(cn.hx_hot == target) else 1


def _target(c: Control, cn) -> tuple:
    """The target of control ``c`` in a compiled network: its node or edge indices, and
    for a chip target ``(cn, positions in the cold-plate group)`` (else None)."""
    tkind, *t = c.target
    where = f"control {c.name!r} target"
    chips = None
    if tkind in ("temperature", "pressure"):
        t_idx = (cn.node_id(t[0], where),)
    elif tkind in ("outlet_temperature", "flow"):
        t_idx = (cn.edge_id(t[0], where),)
    elif tkind in ("chip_temperature", "hottest_chip"):
        grp = cn.kgroups[EdgeKind.COLD_PLATE]
        pos = np.full(cn.n_edges, -1, dtype=np.int64)
        pos[grp.idx] = np.arange(grp.idx.size)
        if not t:
            sel = np.arange(grp.idx.size)
        else:
            sel = np.array([pos[cn.edge_id(x, where)] for x in t], dtype=np.int64)
            if np.any(sel < 0):
                bad = t[int(np.flatnonzero(sel < 0)[0])]
                raise InputError(f"{where}: {bad!r} is not a cold plate.")
        if sel.size == 0:
            raise InputError(f"{where}: the network has no cold plates.")
        t_idx, chips = (), (cn, sel)
    elif tkind == "temperature_difference" and len(t) == 1:
        t_idx = (cn.edge_id(t[0], where),)
    else:
        t_idx = (cn.node_id(t[0], where), cn.node_id(t[1], where))
    return t_idx, chips


@user_api
def resolve_controls(controls, cn) -> list[ControlLoop]:
    """Map controls onto the compiled network's arrays.

    Raises
    ------
    InputError
        An actuator that is not of the kind named, an unknown element, a target
        element of the wrong kind (a node where an edge is expected, or the reverse).
    """
    loops = []
    for c in controls:
        kind, el = c.actuator
        if kind in _ACT:
            which, law, key, what = _ACT[kind]
            e = cn.edge_id(el, f"control {c.name!r} actuator")
            grp = cn.tgroups[law] if which == "t" else cn.hgroups[law]
            # the actuator's place in its law group: the same while the network keeps
            # this compiled form (its updates change values, not the groups' edges);
            # kept, and checked, instead of searched at every solve
            places = cn.cache.setdefault("actuator_places", {})
            k0 = places.get((which, law, e))
            if k0 is not None and k0 < grp.idx.size and grp.idx[k0] == e:
                pos = np.array([k0])
            else:
                pos = np.flatnonzero(grp.idx == e)
                if pos.size:
                    places[(which, law, e)] = int(pos[0])
            if pos.size == 0:
                raise InputError(f"control {c.name!r}: actuator {kind!r} needs {what}; "
                                 f"{el!r} is not one.")
            arr, k = grp.params[key], int(pos[0])
            if kind == "pump_flow":
                unit = "kg/s" if int(grp.params["flow_basis"][k]) == FlowBasis.MASS else "m^3/s"
                _same_flow_kind(c, unit, f"pump {el!r}")
            else:
                unit = "K" if kind == "setpoint_temperature" else ""
        elif kind == "boundary_flow":
            n = cn.node_id(el, f"control {c.name!r} actuator")
            kk = np.flatnonzero(cn.flow_nodes == n)
            if kk.size == 0:
                raise InputError(f"control {c.name!r}: node {el!r} has no flow boundary to adjust.")
            if not np.any(cn.node_circuit[cn.fixed_nodes[~cn.is_tank]] == cn.node_circuit[n]):
                raise InputError(f"control {c.name!r}: the flow boundary at node {el!r} is in a "
                                 f"closed circuit ({cn.circuit_label[cn.node_circuit[n]]}); "
                                 "changing its flow would unbalance it (its expansion tank "
                                 "cannot take or give a steady flow). Adjust a pump or a valve "
                                 "instead, or add a pressure boundary.")
            arr, k = cn.flow_value, int(kk[0])
            unit = "kg/s" if cn.flow_is_mass[k] else "m^3/s"
            _same_flow_kind(c, unit, f"the flow boundary at {el!r}")
        elif kind == "boundary_temperature":
            n = cn.node_id(el, f"control {c.name!r} actuator")
            kf = np.flatnonzero(cn.flow_nodes == n)
            kp = np.flatnonzero((cn.fixed_nodes == n) & ~cn.is_tank)
            if kf.size:
                arr, k = cn.flow_temperature, int(kf[0])
            elif kp.size:
                arr, k = cn.bc_temperature, int(kp[0])
            else:
                raise InputError(f"control {c.name!r}: node {el!r} has no pressure or flow "
                                 "boundary whose inflow temperature could be adjusted.")
            unit = "K"
        else:  # heat_pump_supply
            if el not in cn.hp_names:
                raise InputError(f"control {c.name!r}: {el!r} is not a heat pump; heat pumps: "
                                 f"{cn.hp_names[:10]}.")
            arr, k, unit = cn.hp_t_supply, cn.hp_names.index(el), "K"
        tkind = c.target[0]
        # (the target's nodes or edges, kept per target while the network keeps this
        # compiled form; a chip target's positions are found anew)
        targets = cn.cache.setdefault("control_targets", {})
        got = targets.get(c.target)
        if got is None:
            got = _target(c, cn)
            if got[1] is None:
                targets[c.target] = got
        t_idx, chips = got
        sign = 0
        if kind == "valve_opening" and tkind == "pressure" and grp.params["check"][k] == 1:
            # opening a check valve can only let more flow forward: it raises the
            # pressure at its outlet and lowers it at its inlet (the control solver
            # takes this sign instead of a finite difference's, noise when the
            # valve is nearly shut on a wide-range characteristic)
            sign = 1 if t_idx[0] == cn.end[e] else (-1 if t_idx[0] == cn.start[e] else 0)
        elif kind in ("pump_flow", "pump_speed") and tkind == "outlet_temperature":
            # (the topology's: once per compiled network)
            signs = cn.cache.setdefault("exchanger_signs", {})
            sign = signs.get((e, t_idx[0]))
            if sign is None:
                sign = signs[(e, t_idx[0])] = _exchanger_sign(cn, e, t_idx[0])
        loops.append(ControlLoop(name=c.name, kind=kind, element=el, array=arr, pos=k, unit=unit,
                                 lo=c.bounds[0], hi=c.bounds[1], target=tkind, t_idx=t_idx,
                                 setpoint=c.setpoint, setpoint_unit=c.setpoint_unit,
                                 sense=c.sense, chips=chips, effect_sign=sign))
    return loops
