"""Save and load networks as YAML or JSON (safe loading only).

The file holds what the builder holds: nodes with elevations, edges grouped as
they were added (kind, laws, names, start and end nodes, multiplicity and SI
parameters), heat exchangers, heat pumps, boundaries, fluids (by their
constructor and arguments) and controls. Every value is in SI base units and
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

from ..components.kinds import EdgeKind, HydraulicLaw, ThermalLaw
from ..errors import InputError
from .network import Network, _Chunk

__all__ = ["save_network", "load_network", "network_to_dict", "network_from_dict"]

FORMAT_VERSION = 1

#: SI unit of every stored parameter (written into each file for readers).
PARAMETER_UNITS = {
    "length": "m", "diameter": "m", "roughness": "m", "minor_loss": "1", "ua": "W/K",
    "ambient": "K", "heat": "W", "dp_rated": "Pa",
    "flow_rated": "kg/s if flow_rated_is_mass else m^3/s", "flow_rated_is_mass": "1",
    "dp_exponent": "1", "r_cond": "K/W", "r_conv": "K/W", "r_exponent": "1", "t_chip_max": "K",
    "a0": "m (or Pa if curve_is_pressure)", "a1": "m s/m^3 (or Pa s/m^3)",
    "a2": "m s^2/m^6 (or Pa s^2/m^6)", "speed": "1", "q_max": "m^3/s",
    "curve_is_pressure": "1", "efficiency": "1", "motor_efficiency": "1", "pump_heat": "1",
    "fixed_flow": "kg/s if fixed_flow_is_mass else m^3/s", "fixed_flow_is_mass": "1",
    "fixed_rise": "m if fixed_rise_is_head else Pa", "fixed_rise_is_head": "1",
    "kvs": "m^3/h (Kv convention)", "opening": "1", "characteristic": "index", "rangeability": "1",
    "check": "1", "t_set": "K", "hx_ua": "W/K", "hx_eps": "1", "arrangement": "index",
    "hx_id": "index", "elevation": "m", "pressure": "Pa", "temperature": "K",
    "flow": "kg/s or m^3/s (see kind)", "capacity": "W", "t_supply": "K",
}


def _fluid_to_dict(fl: Any) -> dict:
    key = getattr(fl, "_key", None)
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


def _num(x: float) -> Any:
    x = float(x)
    if np.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    if np.isnan(x):
        return None
    return x


def _unnum(x: Any) -> float:
    if x is None:
        return float("nan")
    if isinstance(x, str):
        return float(x.replace(".inf", "inf"))
    return float(x)


def network_to_dict(net: Network) -> dict:
    """Plain-data form of a network (lists, dicts, floats, strings; SI units)."""
    names = net._node_names
    fluids = []
    fl_index: dict[int, int] = {}

    def fid(fl) -> int:
        for k, f in enumerate(fluids):
            if f is fl or f == fl:
                return k
        fluids.append(fl)
        return len(fluids) - 1

    d = {
        "format": "narvik_thermal network", "version": FORMAT_VERSION, "units": "SI",
        "parameter_units": PARAMETER_UNITS,
        "name": net.name,
        "default_fluid": None if net.default_fluid is None else fid(net.default_fluid),
        "nodes": {"names": list(names),
                  "elevation": {names[i]: z for i, z in net._node_elevation.items()},
                  "explicit": [names[i] for i in sorted(net._explicit_nodes)]},
        "edge_groups": [
            {"kind": EdgeKind(c.kind).name, "hydraulic_law": HydraulicLaw(c.hlaw).name,
             "thermal_law": ThermalLaw(c.tlaw).name, "names": list(c.names),
             "start": [names[i] for i in c.start], "end": [names[i] for i in c.end],
             "count": [_num(v) for v in c.count],
             "parameters": {k: [_num(v) for v in arr] for k, arr in c.params.items()}}
            for c in net._chunks],
        "heat_exchangers": [dict(s) for s in net._hx_specs],
        "heat_pumps": [{**{k: v for k, v in s.items() if k != "capacity"},
                        "capacity": _num(s["capacity"])} for s in net._hp_specs],
        "expansion_tanks": {names[i]: p for i, p in net._tanks.items()},
        "pressure_boundaries": {names[i]: {"pressure": p, "temperature": t}
                                for i, (p, t) in net._pressure_bcs.items()},
        "flow_boundaries": {names[i]: {"flow": v, "kind": k, "temperature": t}
                            for i, (v, k, t) in net._flow_bcs.items()},
        "fluids_by_node": {names[i]: fid(fl) for i, fl in net._fluids.items()},
        "controls": [{**c, "actuator": list(c["actuator"]), "target": list(c["target"]),
                      "bounds": list(c["bounds"])} for c in net._controls],
    }
    d["fluids"] = [_fluid_to_dict(f) for f in fluids]
    del fl_index
    return d


def network_from_dict(d: dict) -> Network:
    """Rebuild a :class:`Network` from :func:`network_to_dict` output."""
    if not isinstance(d, dict) or d.get("format") != "narvik_thermal network":
        raise InputError("not a narvik_thermal network file (missing 'format: narvik_thermal "
                         "network').")
    if d.get("version") != FORMAT_VERSION:
        raise InputError(f"network file version {d.get('version')!r} is not supported "
                         f"(this library reads version {FORMAT_VERSION}).")
    if d.get("units") != "SI":
        raise InputError("network files store SI units ('units: SI'); this one says "
                         f"{d.get('units')!r}.")
    fluids = [_fluid_from_dict(f) for f in d.get("fluids", [])]
    default = d.get("default_fluid")
    net = Network(d.get("name", "network"), fluid=None if default is None else fluids[default])
    nodes = d["nodes"]
    net._node_ids(nodes["names"])
    for n, z in nodes.get("elevation", {}).items():
        net._node_elevation[net._node_index[n]] = float(z)
    net._explicit_nodes = {net._node_index[n] for n in nodes.get("explicit", [])}
    for g in d.get("edge_groups", []):
        names = list(g["names"])
        base = net._n_edges
        for k, nm in enumerate(names):
            if nm in net._edge_index:
                raise InputError(f"duplicate edge name {nm!r} in network file.")
            net._edge_index[nm] = base + k
        chunk = _Chunk(EdgeKind[g["kind"]], HydraulicLaw[g["hydraulic_law"]],
                       ThermalLaw[g["thermal_law"]], base, names,
                       net._node_ids(g["start"]), net._node_ids(g["end"]),
                       np.array([_unnum(v) for v in g["count"]]),
                       {k: np.array([_unnum(v) for v in arr]) for k, arr in g["parameters"].items()})
        net._chunks.append(chunk)
        net._n_edges += len(names)
    net._hx_specs = [dict(s) for s in d.get("heat_exchangers", [])]
    net._hp_specs = [{**s, "capacity": _unnum(s["capacity"])} for s in d.get("heat_pumps", [])]
    net._tanks = {net._node_index[n]: float(p) for n, p in d.get("expansion_tanks", {}).items()}
    net._pressure_bcs = {net._node_index[n]: (float(v["pressure"]), float(v["temperature"]))
                         for n, v in d.get("pressure_boundaries", {}).items()}
    net._flow_bcs = {net._node_index[n]: (float(v["flow"]), v["kind"], float(v["temperature"]))
                     for n, v in d.get("flow_boundaries", {}).items()}
    net._fluids = {net._node_index[n]: fluids[k] for n, k in d.get("fluids_by_node", {}).items()}
    net._controls = [{**c, "actuator": tuple(c["actuator"]), "target": tuple(c["target"]),
                      "bounds": tuple(c["bounds"])} for c in d.get("controls", [])]
    net._touch()
    return net


def save_network(net: Network, path: str | Path) -> None:
    """Write ``net`` to ``path``: YAML for ``.yaml``/``.yml``, JSON for ``.json``."""
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
    """Read a network written by :func:`save_network` (safe loading only)."""
    path = Path(path)
    text = path.read_text()
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml
        d = yaml.safe_load(text)
    elif path.suffix.lower() == ".json":
        d = json.loads(text)
    else:
        raise InputError(f"path={str(path)!r}: use a .yaml, .yml or .json file name.")
    return network_from_dict(d)
