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
from pathlib import Path
from typing import Any

import numpy as np

from ..components import COMPONENT_TYPES
from ..components.boundary import BOUNDARY_TYPES, FlowBasis
from ..errors import InputError, NarvikError
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


def _fluid_from_dict(d: dict) -> Any:
    from .. import fluids as F
    from ..units import Q_
    c = d.get("constructor")
    if c == "water":
        return F.water()
    if c in ("propylene_glycol", "ethylene_glycol"):
        return getattr(F, c)(d["mass_fraction"])
    if c == "seawater":
        return F.seawater(Q_(d["salinity_g_per_kg"], "g/kg"))
    if c == "coolprop":
        return F.coolprop(d["name"])
    if c == "tabulated":
        return F.tabulated(
            d["name"], temperature=Q_(np.array(d["temperature_K"]), "K"),
            density=Q_(np.array(d["density"]), "kg/m^3"),
            specific_heat=Q_(np.array(d["specific_heat"]), "J/(kg*K)"),
            viscosity=Q_(np.array(d["viscosity"]), "Pa*s"),
            conductivity=Q_(np.array(d["conductivity"]), "W/(m*K)"),
            freezing_point=None if d.get("freezing_point_K") is None else Q_(d["freezing_point_K"], "K"),
            boiling_point=None if d.get("boiling_point_K") is None else Q_(d["boiling_point_K"], "K"))
    raise InputError(f"unknown fluid constructor {c!r} in network file; expected water, "
                     "propylene_glycol, ethylene_glycol, seawater, coolprop or tabulated.")


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


def _field(d: dict, key: str, kind: type, where: str) -> Any:
    if key not in d:
        raise InputError(f"{where}: missing field {key!r}.")
    v = d[key]
    if not isinstance(v, kind):
        raise InputError(f"{where}: field {key!r} must be a {kind.__name__}, got "
                         f"{type(v).__name__}.")
    return v


def network_from_dict(d: dict, source: str = "network data") -> Network:
    """Rebuild a :class:`Network` from :func:`network_to_dict` output.

    Every component, boundary and control is validated as the ``add_*`` calls
    validate them.

    Raises
    ------
    InputError
        Not a network file, an unsupported version, a missing or malformed field,
        an unknown kind or fluid, a bad value — naming ``source`` and the field.
    """
    if not isinstance(d, dict) or d.get("format") != "narvik_thermal network":
        raise InputError(f"{source}: not a narvik_thermal network file (missing 'format: "
                         "narvik_thermal network').")
    if d.get("version") != FORMAT_VERSION:
        raise InputError(f"{source}: network file version {d.get('version')!r} is not "
                         f"supported (this library reads version {FORMAT_VERSION}).")
    if d.get("units") != "SI":
        raise InputError(f"{source}: network files store SI units ('units: SI'); this one "
                         f"says {d.get('units')!r}.")
    try:
        fluids = [_fluid_from_dict(f) for f in _field(d, "fluids", list, source)]
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: a fluid entry is malformed ({exc!r}).") from None

    def fluid(k: Any, where: str):
        if not isinstance(k, int) or not 0 <= k < len(fluids):
            raise InputError(f"{source}: {where} refers to fluid {k!r}; there are "
                             f"{len(fluids)} fluids.")
        return fluids[k]

    default = d.get("default_fluid")
    net = Network(str(d.get("name", "network")),
                  fluid=None if default is None else fluid(default, "default_fluid"))
    nodes = _field(d, "nodes", dict, source)
    node_names = _field(nodes, "names", list, f"{source}: nodes")
    elev = nodes.get("elevation", {})
    if not isinstance(elev, dict):
        raise InputError(f"{source}: nodes.elevation must be a mapping of node to metres.")
    try:
        net.add_nodes([str(n) for n in node_names], elevation=None)    # the file's order
        for n, z in elev.items():
            net.add_node(str(n), elevation=f"{float(z)} m")
        for k, c in enumerate(_field(d, "components", list, source)):
            where = f"{source}: components[{k}]"
            if not isinstance(c, dict):
                raise InputError(f"{where} must be a mapping.")
            cls = COMPONENT_TYPES.get(c.get("type"))
            if cls is None:
                raise InputError(f"{where}: unknown component type {c.get('type')!r}; expected "
                                 f"one of {sorted(COMPONENT_TYPES)}.")
            comp = cls.from_data(_field(c, "fields", dict, where), where)
            net.add(comp, _field(c, "start", list, where), _field(c, "end", list, where))
        for n, b in _field(d, "boundaries", dict, source).items():
            where = f"{source}: boundaries[{n!r}]"
            if not isinstance(b, dict) or b.get("type") not in BOUNDARY_TYPES:
                raise InputError(f"{where}: 'type' must be one of {sorted(BOUNDARY_TYPES)}.")
            cls = BOUNDARY_TYPES[b["type"]]
            kw = {k: v for k, v in b.items() if k != "type"}
            try:
                if "basis" in kw:
                    kw["basis"] = FlowBasis[str(kw["basis"]).upper()]
                kw = {k: (v if k == "basis" else float(v)) for k, v in kw.items()}
                bnd = cls(**kw)
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{where}: malformed ({exc!r}).") from None
            net.add_boundary(str(n), bnd)
        for n, k in _field(d, "fluids_by_node", dict, source).items():
            net.set_fluid(str(n), fluid(k, f"fluids_by_node[{n!r}]"))
        for k, c in enumerate(_field(d, "controls", list, source)):
            where = f"{source}: controls[{k}]"
            try:
                ctl = Control(str(c["name"]), tuple(c["actuator"]), tuple(c["target"]),
                              float(c["setpoint"]), str(c["setpoint_unit"]),
                              tuple(float(x) for x in c["bounds"]), str(c.get("sense", "equal")))
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{where}: malformed ({exc!r}).") from None
            net.add_control_loop(ctl)
        for key, cls, setter in (("dew_points", DewPoint, net.set_dew_point),
                                 ("pressure_ratings", PressureRating, net.set_pressure_rating)):
            limits = d.get(key, {})        # files written before limits existed: none
            if not isinstance(limits, dict):
                raise InputError(f"{source}: {key} must be a mapping of node to fields.")
            for n, r in limits.items():
                rec = cls.from_data(r, f"{source}: {key}[{n!r}]")
                if cls is DewPoint:
                    setter(str(n), Q_(rec.dew_point, "K"), Q_(rec.margin, "K"))
                else:
                    setter(str(n), Q_(rec.rating, "Pa"))
    except NarvikError as exc:
        if str(exc).startswith(source):
            raise
        raise type(exc)(f"{source}: {exc}") from None
    return net


def save_network(net: Network, path: str | Path) -> None:
    """Write ``net`` to ``path``: YAML for ``.yaml``/``.yml``, JSON for ``.json``.

    Raises
    ------
    InputError
        Another file extension, or a fluid that cannot be saved.
    """
    path = Path(path)
    d = network_to_dict(net)
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml
        path.write_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=True))
    elif path.suffix.lower() == ".json":
        path.write_text(json.dumps(d, indent=1))
    else:
        raise InputError(f"path={str(path)!r}: use a .yaml, .yml or .json file name.")


def load_network(path: str | Path) -> Network:
    """Read a network written by :func:`save_network` (safe loading only).

    Raises
    ------
    InputError
        A missing or unreadable file, malformed YAML/JSON, or any field that fails
        validation; the message names the file and the field.
    """
    path = Path(path)
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
