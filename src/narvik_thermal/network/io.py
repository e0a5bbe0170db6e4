"""Save and load networks as YAML or JSON (safe loading only).

The file holds what the builder holds: nodes with elevations, edges grouped as
they were added (kind, laws, names, start and end nodes, multiplicity and SI
parameters), heat exchangers, heat pumps, boundaries, fluids (by their
constructor and arguments), controls and the circuits' operating limits
(dew points, pressure ratings; files without them load with none). Every value is in SI base units and
the file says so (``units: SI``), so it can be read by other tools. Loading
uses ``yaml.safe_load`` / ``json.load`` only: a network file cannot run code.

Examples
--------
>>> import narvik_thermal as nt, tempfile, os
>>> net = nt.Network("loop", fluid=nt.fluids.water())
>>> net.add_pump("pump", "a", "b", head=nt.Q_(5, "m"))
>>> net.add_pipe("pipe", "b", "a", length=nt.Q_(20, "m"), diameter=nt.Q_(25, "mm"))
>>> net.add_expansion_tank("a", pressure=nt.Q_(2, "bar"))
>>> path = os.path.join(tempfile.mkdtemp(), "loop.yaml")
>>> nt.save_network(net, path)
>>> nt.load_network(path).edge_names
['pump', 'pipe']
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..components import COMPONENT_TYPES
from ..components.boundary import BOUNDARY_TYPES, FlowBasis
from ..errors import InputError, NarvikError, user_api
from ..units import Q_
from .controls import Control
from .limits import DewPoint, PressureRating
from .network import Network

__all__ = ["save_network", "load_network", "network_to_dict", "network_from_dict"]

FORMAT_VERSION = 2


def _fluid_to_dict(fl: Any) -> dict:
    key = getattr(fl, "key", None)
    if key is None:
        raise InputError(f"fluid {fl!r} cannot be saved: it has no construction key.")
    kind = key[0]
    if kind == "water":
        return {"constructor": "water"}
    if kind in ("propylene_glycol", "ethylene_glycol"):
        return {"constructor": kind, "mass_fraction": float(key[1])}
    if kind == "seawater":
        return {"constructor": "seawater", "salinity_g_per_kg": float(key[1])}
    if kind == "coolprop":
        return {"constructor": "coolprop", "name": key[1]}
    if kind == "tabulated":
        _, name, T, rho, cp, mu, k, tf, tb = key
        arr = lambda b: np.frombuffer(b, dtype=float).tolist()  # noqa: E731
        return {"constructor": "tabulated", "name": name, "temperature_K": arr(T),
                "density": arr(rho), "specific_heat": arr(cp), "viscosity": arr(mu),
                "conductivity": arr(k), "freezing_point_K": tf, "boiling_point_K": tb}
    raise InputError(f"fluid {fl!r} of kind {kind!r} cannot be saved.")


#: fields of each fluid constructor in a file: (name, kind) with kind "number",
#: "numbers", "str" or "number?" (a number or null)
_FLUID_FIELDS = {
    "water": (),
    "propylene_glycol": (("mass_fraction", "number"),),
    "ethylene_glycol": (("mass_fraction", "number"),),
    "seawater": (("salinity_g_per_kg", "number"),),
    "coolprop": (("name", "str"),),
    "tabulated": (("name", "str"), ("temperature_K", "numbers"), ("density", "numbers"),
                  ("specific_heat", "numbers"), ("viscosity", "numbers"),
                  ("conductivity", "numbers"), ("freezing_point_K", "number?"),
                  ("boiling_point_K", "number?")),
}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _fluid_from_dict(d: Any, where: str) -> Any:
    """A fluid from its file entry, every field checked; InputError naming ``where``."""
    from .. import fluids as F
    from ..units import Q_
    if not isinstance(d, dict):
        raise InputError(f"{where} must be a mapping such as {{constructor: water}}, got "
                         f"{type(d).__name__} {d!r}.")
    c = d.get("constructor")
    if c not in _FLUID_FIELDS:
        raise InputError(f"{where}: unknown fluid constructor {c!r}; expected one of "
                         f"{sorted(_FLUID_FIELDS)}.")
    spec = _FLUID_FIELDS[c]
    allowed = {"constructor", *(k for k, _ in spec)}
    extra = sorted(set(d) - allowed)
    if extra:
        raise InputError(f"{where}: unknown field(s) {extra} for a {c} fluid; it has "
                         f"{sorted(allowed)}.")
    for k, kind in spec:
        if k not in d and kind != "number?":
            raise InputError(f"{where}: missing field {k!r} of a {c} fluid.")
        v = d.get(k)
        ok = {"number": _is_number(v), "str": isinstance(v, str),
              "number?": v is None or _is_number(v),
              "numbers": isinstance(v, list) and all(_is_number(x) for x in v)}[kind]
        if not ok:
            want = {"number": "a number", "str": "a string", "number?": "a number or null",
                    "numbers": "a list of numbers"}[kind]
            raise InputError(f"{where}: field {k!r} must be {want}, got {v!r}.")
    try:
        if c == "water":
            return F.water()
        if c in ("propylene_glycol", "ethylene_glycol"):
            return getattr(F, c)(d["mass_fraction"])
        if c == "seawater":
            return F.seawater(Q_(d["salinity_g_per_kg"], "g/kg"))
        if c == "coolprop":
            return F.coolprop(d["name"])
        return F.tabulated(
            d["name"], temperature=Q_(np.array(d["temperature_K"], dtype=float), "K"),
            density=Q_(np.array(d["density"], dtype=float), "kg/m^3"),
            specific_heat=Q_(np.array(d["specific_heat"], dtype=float), "J/(kg*K)"),
            viscosity=Q_(np.array(d["viscosity"], dtype=float), "Pa*s"),
            conductivity=Q_(np.array(d["conductivity"], dtype=float), "W/(m*K)"),
            freezing_point=None if d.get("freezing_point_K") is None
            else Q_(d["freezing_point_K"], "K"),
            boiling_point=None if d.get("boiling_point_K") is None
            else Q_(d["boiling_point_K"], "K"))
    except NarvikError as exc:
        raise InputError(f"{where}: {exc}") from None


@user_api
def network_to_dict(net: Network) -> dict:
    """Plain-data form of a network (lists, dicts, floats, strings; SI units)."""
    fluids: list = []

    def fid(fl) -> int:
        for k, f in enumerate(fluids):
            if f is fl or f == fl:
                return k
        fluids.append(fl)
        return len(fluids) - 1

    names = net.node_names
    d = {
        "format": "narvik_thermal network", "version": FORMAT_VERSION, "units": "SI",
        "name": net.name,
        "default_fluid": None if net.default_fluid is None else fid(net.default_fluid),
        "nodes": {"names": list(names), "elevation": net.elevations},
        "components": [
            {"type": type(b.component).__name__,
             "start": [names[i] for i in b.start], "end": [names[i] for i in b.end],
             "fields": b.component.to_data()}
            for b in net.blocks],
        "boundaries": {n: b.to_data() for n, b in net.boundaries.items()},
        "fluids_by_node": {n: fid(fl) for n, fl in net.fluids.items()},
        "controls": [c.to_data() for c in net.controls],
        "dew_points": {n: r.to_data() for n, r in net.dew_points.items()},
        "pressure_ratings": {n: r.to_data() for n, r in net.pressure_ratings.items()},
    }
    d["fluids"] = [_fluid_to_dict(f) for f in fluids]
    return d


_KIND_NAMES = {dict: "mapping", list: "list", str: "string", int: "integer"}


def _field(d: dict, key: str, kind: type, where: str) -> Any:
    if key not in d:
        raise InputError(f"{where}: missing field {key!r}.")
    v = d[key]
    if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
        raise InputError(f"{where}: field {key!r} must be a {_KIND_NAMES.get(kind, kind.__name__)}"
                         f", got {type(v).__name__} {_short(v)}.")
    return v


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(v: Any, where: str, field: str) -> list[str]:
    """A list of non-empty names (strings)."""
    if not isinstance(v, list):
        raise InputError(f"{where}: field {field!r} must be a list of names, got "
                         f"{type(v).__name__} {_short(v)}.")
    for x in v:
        if not isinstance(x, str) or not x:
            raise InputError(f"{where}: field {field!r} holds {_short(x)}; every name must be a "
                             "non-empty string.")
    return v


def _known_node(node: str, nodes: set, where: str) -> None:
    if node not in nodes:
        raise InputError(f"{where} names node {node!r}, which is not in nodes.names; list it "
                         "there (a network file declares every node).")


def _number(v: Any, where: str) -> float:
    if not _is_number(v) or not np.isfinite(v):
        raise InputError(f"{where} must be a finite number (SI units), got {_short(v)}.")
    return float(v)


#: SI unit of a control's set-point by target kind
_SETPOINT_UNITS = {"temperature": ("K",), "outlet_temperature": ("K",),
                   "flow": ("kg/s", "m^3/s"), "pressure_difference": ("Pa",), "pressure": ("Pa",),
                   "chip_temperature": ("K",), "hottest_chip": ("K",),
                   "temperature_difference": ("K",)}
_CONTROL_FIELDS = ("name", "actuator", "target", "setpoint", "setpoint_unit", "bounds")
#: fields a file may leave out (files written before they existed), with their default
_CONTROL_OPTIONAL = {"sense": "equal", "bounds_unit": ""}


def _boundary_from_dict(b: Any, where: str) -> Any:
    import dataclasses
    if not isinstance(b, dict) or b.get("type") not in BOUNDARY_TYPES:
        got = b.get("type") if isinstance(b, dict) else b
        raise InputError(f"{where}: 'type' must be one of {sorted(BOUNDARY_TYPES)}, got "
                         f"{_short(got)}.")
    cls = BOUNDARY_TYPES[b["type"]]
    fields = [f.name for f in dataclasses.fields(cls)]
    kw = {k: v for k, v in b.items() if k != "type"}
    missing = [k for k in fields if k not in kw]
    unknown = sorted(set(kw) - set(fields))
    if missing or unknown:
        raise InputError(f"{where}: a {b['type']} has the fields {fields}"
                         + (f"; missing {missing}" if missing else "")
                         + (f"; unknown {unknown}" if unknown else "") + ".")
    for k, v in kw.items():
        if k == "basis":
            if not isinstance(v, str) or v.upper() not in FlowBasis.__members__:
                raise InputError(f"{where}: field 'basis' must be one of "
                                 f"{[m.name.lower() for m in FlowBasis]}, got {_short(v)}.")
            kw[k] = FlowBasis[v.upper()]
        else:
            kw[k] = _number(v, f"{where}: field {k!r}")
    try:
        return cls(**kw)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None


def _control_from_dict(c: Any, where: str, edges: set, nodes: set) -> Control:
    if not isinstance(c, dict):
        raise InputError(f"{where} must be a mapping with the fields {list(_CONTROL_FIELDS)}.")
    missing = [k for k in _CONTROL_FIELDS if k not in c]
    unknown = sorted(set(c) - set(_CONTROL_FIELDS) - set(_CONTROL_OPTIONAL))
    if missing or unknown:
        raise InputError(f"{where}: a control has the fields {list(_CONTROL_FIELDS)}"
                         + (f"; missing {missing}" if missing else "")
                         + (f"; unknown {unknown}" if unknown else "") + ".")
    if not isinstance(c["name"], str) or not c["name"]:
        raise InputError(f"{where}: field 'name' must be a non-empty string.")
    act = _names(c["actuator"], where, "actuator")
    tgt = _names(c["target"], where, "target")
    bounds = c["bounds"]
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise InputError(f"{where}: field 'bounds' must be a list [low, high], got "
                         f"{_short(bounds)}.")
    lo, hi = (_number(x, f"{where}: field 'bounds'") for x in bounds)
    sp = _number(c["setpoint"], f"{where}: field 'setpoint'")
    unit = c["setpoint_unit"]
    allowed = _SETPOINT_UNITS.get(tgt[0] if tgt else None)
    if allowed is not None and unit not in allowed:
        raise InputError(f"{where}: field 'setpoint_unit' is {_short(unit)}; a {tgt[0]!r} "
                         f"target takes {list(allowed)}.")
    try:
        sense = c.get("sense", _CONTROL_OPTIONAL["sense"])
        if not isinstance(sense, str):
            raise InputError(f"field 'sense' must be a string, got {_short(sense)}.")
        b_unit = c.get("bounds_unit", _CONTROL_OPTIONAL["bounds_unit"])
        if b_unit not in ("", "kg/s", "m^3/s"):
            raise InputError(f"field 'bounds_unit' is {_short(b_unit)}; give 'kg/s' or "
                             "'m^3/s' (the kind of flow of a flow actuator's bounds).")
        ctl = Control(c["name"], tuple(act), tuple(tgt), sp, str(unit), (lo, hi), sense,
                      b_unit)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    el = ctl.actuator[1]
    if ctl.actuator[0] in ("boundary_flow", "boundary_temperature"):
        if el not in nodes:
            raise InputError(f"{where}: the actuator names node {el!r}, which is not in the "
                             "network.")
    elif ctl.actuator[0] == "heat_pump_supply":
        pass            # a heat pump's name: checked when the network compiles
    elif el not in edges:
        raise InputError(f"{where}: the actuator names edge {el!r}, which is not in the network.")
    tk = ctl.target[0]
    edge_target = tk in ("outlet_temperature", "flow", "chip_temperature", "hottest_chip") or (
        tk == "temperature_difference" and len(ctl.target) == 2)
    kind = "edge" if edge_target else "node"
    for t in ctl.target[1:]:
        if t not in (edges if kind == "edge" else nodes):
            raise InputError(f"{where}: the target names {kind} {t!r}, which is not in the "
                             "network.")
    return ctl


@user_api
def network_from_dict(d: dict, source: str = "network data") -> Network:
    """Rebuild a :class:`Network` from :func:`network_to_dict` output.

    Every field is checked as strictly as the ``add_*`` calls check their
    arguments: components, boundaries and controls are validated as ``add_*``
    validates them, every name must be a string and every node named by a
    component, boundary, fluid, elevation or control must be declared in
    ``nodes.names``.

    Raises
    ------
    InputError
        Not a network file, an unsupported version, a missing, unknown or malformed
        field, a wrong length, an unknown kind or fluid, a bad value — naming
        ``source`` and the field.
    """
    try:
        return _network_from_dict(d, source)
    except NarvikError as exc:
        if str(exc).startswith(source):
            raise
        raise type(exc)(f"{source}: {exc}") from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        # a last line of defence: whatever slipped through the checks above is
        # still the file's fault, and says so
        raise InputError(f"{source}: malformed network data ({type(exc).__name__}: "
                         f"{exc}).") from None


def _network_from_dict(d: Any, source: str) -> Network:
    if not isinstance(d, dict) or d.get("format") != "narvik_thermal network":
        raise InputError(f"{source}: not a narvik_thermal network file (missing 'format: "
                         "narvik_thermal network').")
    if d.get("version") != FORMAT_VERSION or isinstance(d.get("version"), bool):
        raise InputError(f"{source}: network file version {d.get('version')!r} is not "
                         f"supported (this library reads version {FORMAT_VERSION}).")
    if d.get("units") != "SI":
        raise InputError(f"{source}: network files store SI units ('units: SI'); this one "
                         f"says {d.get('units')!r}.")
    known = {"format", "version", "units", "name", "default_fluid", "nodes", "components",
             "boundaries", "fluids_by_node", "controls", "fluids", "dew_points",
             "pressure_ratings"}
    unknown = sorted(set(d) - known)
    if unknown:
        raise InputError(f"{source}: unknown top-level field(s) {unknown}; a network file has "
                         f"{sorted(known)}.")
    fluids = [_fluid_from_dict(f, f"{source}: fluids[{k}]")
              for k, f in enumerate(_field(d, "fluids", list, source))]

    def fluid(k: Any, where: str):
        if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < len(fluids):
            raise InputError(f"{source}: {where} refers to fluid {k!r}; give the index of one "
                             f"of the {len(fluids)} fluids of the file's 'fluids' list.")
        return fluids[k]

    name = d.get("name", "network")
    if not isinstance(name, str):
        raise InputError(f"{source}: field 'name' must be a string, got {_short(name)}.")
    default = d.get("default_fluid")
    net = Network(name, fluid=None if default is None else fluid(default, "default_fluid"))
    nodes = _field(d, "nodes", dict, source)
    extra = sorted(set(nodes) - {"names", "elevation"})
    if extra:
        raise InputError(f"{source}: nodes: unknown field(s) {extra}; it has 'names' and "
                         "'elevation'.")
    node_names = _names(_field(nodes, "names", list, f"{source}: nodes"), f"{source}: nodes",
                        "names")
    if len(set(node_names)) != len(node_names):
        dup = sorted({n for n in node_names if node_names.count(n) > 1})
        raise InputError(f"{source}: nodes.names lists {dup[:5]} more than once; node names "
                         "must be unique.")
    node_set = set(node_names)
    elev = nodes.get("elevation", {})
    if not isinstance(elev, dict):
        raise InputError(f"{source}: nodes.elevation must be a mapping of node to metres, got "
                         f"{type(elev).__name__}.")
    net.add_nodes(node_names, elevation=None)    # the file's order
    for n, z in elev.items():
        _known_node(n, node_set, f"{source}: nodes.elevation")
        net.add_node(n, elevation=f"{_number(z, f'{source}: nodes.elevation[{n!r}]')!r} m")
    for k, c in enumerate(_field(d, "components", list, source)):
        where = f"{source}: components[{k}]"
        if not isinstance(c, dict):
            raise InputError(f"{where} must be a mapping with 'type', 'start', 'end' and "
                             "'fields'.")
        extra = sorted(set(c) - {"type", "start", "end", "fields"})
        if extra:
            raise InputError(f"{where}: unknown field(s) {extra}; a component has 'type', "
                             "'start', 'end' and 'fields'.")
        cls = COMPONENT_TYPES.get(c.get("type")) if isinstance(c.get("type"), str) else None
        if cls is None:
            raise InputError(f"{where}: unknown component type {c.get('type')!r}; expected "
                             f"one of {sorted(COMPONENT_TYPES)}.")
        fields = _field(c, "fields", dict, where)
        for key in ("names",) + tuple(f for f in fields if f != "names"):
            v = fields.get(key)
            if key == "names" and key in fields:
                _names(v, where, "names")
            elif key != "names" and not isinstance(v, list):
                raise InputError(f"{where}: field {key!r} of a {cls.label} must be a list, one "
                                 f"value per unit, got {type(v).__name__} {_short(v)}.")
        comp = cls.from_data(fields, where)
        starts = _names(_field(c, "start", list, where), where, "start")
        ends = _names(_field(c, "end", list, where), where, "end")
        n_edges = len(comp.edge_names())
        if len(starts) != n_edges or len(ends) != n_edges:
            raise InputError(f"{where}: 'start' has {len(starts)} and 'end' {len(ends)} nodes "
                             f"for the {n_edges} edges of this {cls.label}; give one of each "
                             "per edge.")
        for n in starts + ends:
            _known_node(n, node_set, where)
        net.add(comp, starts, ends)
    for n, b in _field(d, "boundaries", dict, source).items():
        where = f"{source}: boundaries[{n!r}]"
        _known_node(n, node_set, where)
        net.add_boundary(n, _boundary_from_dict(b, where))
    for n, k in _field(d, "fluids_by_node", dict, source).items():
        _known_node(n, node_set, f"{source}: fluids_by_node")
        net.set_fluid(n, fluid(k, f"fluids_by_node[{n!r}]"))
    edges = set(net.edge_names)
    for k, c in enumerate(_field(d, "controls", list, source)):
        net.add_control_loop(_control_from_dict(c, f"{source}: controls[{k}]", edges,
                                                node_set))
    for key, cls, setter in (("dew_points", DewPoint, net.set_dew_point),
                             ("pressure_ratings", PressureRating, net.set_pressure_rating)):
        limits = d.get(key, {})        # files written before limits existed: none
        if not isinstance(limits, dict):
            raise InputError(f"{source}: {key} must be a mapping of node to fields, got "
                             f"{type(limits).__name__}.")
        for n, r in limits.items():
            _known_node(n, node_set, f"{source}: {key}")
            rec = cls.from_data(r, f"{source}: {key}[{n!r}]")
            if cls is DewPoint:
                setter(n, Q_(rec.dew_point, "K"), Q_(rec.margin, "K"))
            else:
                setter(n, Q_(rec.rating, "Pa"))
    return net


@user_api
def save_network(net: Network, path: str | Path) -> None:
    """Write ``net`` to ``path``: YAML for ``.yaml``/``.yml``, JSON for ``.json``.

    Raises
    ------
    InputError
        Another file extension, or a fluid that cannot be saved.
    """
    if not isinstance(net, Network):
        raise InputError(f"save_network: net={net!r} is not a Network; give the network "
                         "first, then the file name.")
    path = _file_path(path, "save_network")
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(f"path={str(path)!r}: use a .yaml, .yml or .json file name.")
    d = network_to_dict(net)
    if path.suffix.lower() == ".json":
        text = json.dumps(d, indent=1)
    else:
        import yaml
        text = yaml.safe_dump(d, sort_keys=False, allow_unicode=True)
    try:
        path.write_text(text)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the network file ({exc.strerror or exc}; "
                         "does its folder exist?).") from None


def _file_path(path: Any, what: str) -> Path:
    """``path`` as a Path (a str or os.PathLike), or an InputError naming it."""
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise InputError(f"{what}: path={path!r} must be a file name (str or pathlib.Path), "
                         "e.g. 'network.yaml'.")
    return Path(path)


@user_api
def load_network(path: str | Path) -> Network:
    """Read a network written by :func:`save_network` (safe loading only).

    Raises
    ------
    InputError
        A missing or unreadable file, malformed YAML/JSON, or any field that fails
        validation; the message names the file and the field.
    """
    path = _file_path(path, "load_network")
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise InputError(f"path={str(path)!r}: use a .yaml, .yml or .json file name.")
    try:
        text = path.read_text()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the network file ({exc.strerror or exc}).") from None
    try:
        if suffix in (".yaml", ".yml"):
            import yaml
            d = yaml.safe_load(text)
        else:
            d = json.loads(text)
    except Exception as exc:  # yaml.YAMLError, json.JSONDecodeError: malformed text
        raise InputError(f"{path}: not valid {'YAML' if suffix != '.json' else 'JSON'} "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})."
                         ) from exc
    return network_from_dict(d, source=str(path))
