"""Pipes split into upwind cells for a transient run (``simulate(pipe_cells=...)``).

The transient stepper keeps half of each edge's fluid at each end node, so a pipe
of one cell answers an inlet step like a first-order lag. Split into ``n`` equal
segments in series (tanks in series), a step leaves the pipe after the plug-flow
delay :math:`\\delta = \\rho A L/\\dot m` (the mean delay is exact at any ``n``)
with a 10–90 % front width of about :math:`2.563\\,\\delta/\\sqrt{n}` (the upwind
scheme's numerical diffusion :math:`D = u\\Delta x/2`; backward Euler adds
:math:`\\delta\\Delta t` to the front's variance).

The split works on the network's plain-data form
(:func:`narvik_thermal.network.io.network_to_dict`): segment ``k`` of pipe ``p``
runs from node ``p:cell{k}`` to ``p:cell{k+1}`` (the first from the pipe's start
node, the last to its end node); the first segment keeps the name ``p`` (so
controls, events and the recorded flow of ``p`` see it) and the others are
``p:seg{k}``. Each segment has the pipe's diameter, roughness, friction law and
count, length ``L/n``, minor loss ``K/n`` and conductance to the surroundings
``UA/n`` (the heat loss per metre is unchanged); elevations are interpolated
linearly between the end nodes.

``"auto"``: per pipe :math:`n = \\mathrm{clip}(\\lceil \\min(N_f,\\ \\delta/\\Delta t)
\\rceil, 1, N_f)` with :math:`N_f = \\lceil (2.563/f)^2 \\rceil = 42` for the front
fraction :data:`AUTO_FRONT_FRACTION` ``f = 0.4`` (a front at most 40 % of the
transit time, :math:`\\sqrt{42} \\approx 6.5` times narrower than one cell's), no
finer than the distance the fluid moves in a step (below that backward Euler's
own smearing :math:`\\sqrt{\\delta\\Delta t}` dominates), :math:`\\delta` at the
steady start's flow (a pipe without flow gets :math:`N_f`). When the cells of all
pipes exceed :data:`AUTO_MAX_CELLS` the counts are scaled down in proportion.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import InputError
from ..network import Network
from ..network.io import network_from_dict, network_to_dict

__all__ = ["AUTO_FRONT_FRACTION", "AUTO_MAX_CELLS", "FRONT_WIDTH_FACTOR", "check_pipe_cells",
           "auto_cells", "split_pipes"]

#: 10–90 % width of a step through n tanks in series, in units of δ/√n (the normal
#: approximation: 2 × 1.2816 standard deviations).
FRONT_WIDTH_FACTOR = 2.563
#: ``pipe_cells="auto"``: the target front width as a fraction of a pipe's transit time.
AUTO_FRONT_FRACTION = 0.4
#: ``pipe_cells="auto"``: the most cells of all pipes together.
AUTO_MAX_CELLS = 5000


def auto_max_per_pipe() -> int:
    """Cells per pipe that bring the front to :data:`AUTO_FRONT_FRACTION` (42)."""
    return int(math.ceil((FRONT_WIDTH_FACTOR / AUTO_FRONT_FRACTION) ** 2))


def check_pipe_cells(value: Any) -> Any:
    """``None``, ``"auto"`` or a whole number ≥ 1; InputError otherwise."""
    if value is None or (isinstance(value, str) and value == "auto"):
        return value
    ok = (isinstance(value, (int, np.integer)) and not isinstance(value, bool)
          and int(value) >= 1)
    if not ok:
        raise InputError(f"simulate: pipe_cells={value!r} is not valid; expected None (one "
                         "cell per pipe, the default), a whole number of cells per pipe >= 1 "
                         "(e.g. pipe_cells=20) or 'auto'. Give one of these.")
    return int(value)


def auto_cells(net: Network, mass_flow: np.ndarray, density: np.ndarray,
               step: float) -> dict[str, int]:
    """Cells per pipe for ``pipe_cells="auto"`` from a steady state's edge flows and
    densities (edge order of ``net``): see the module's rule."""
    n_f = auto_max_per_pipe()
    volume = net.fluid_volume()
    names = net.edge_names
    out: dict[str, int] = {}
    for name in pipe_names(net):
        i = names.index(name)
        m = abs(float(mass_flow[i]))
        delay = density[i] * volume[i] / m if m > 0 else math.inf
        out[name] = int(min(max(math.ceil(min(n_f, delay / step)), 1), n_f))
    total = sum(out.values())
    if total > AUTO_MAX_CELLS:
        f = AUTO_MAX_CELLS / total
        out = {k: max(1, int(v * f)) for k, v in out.items()}
    return out


def pipe_names(net: Network) -> list[str]:
    """The network's pipes (edges of Pipes blocks), in edge order."""
    out: list[str] = []
    for c in network_to_dict(net)["components"]:
        if c["type"] == "Pipes":
            out.extend(c["fields"]["names"])
    return out


def split_pipes(net: Network, cells: dict[str, int]) -> tuple[Network, dict[str, list[str]]]:
    """A copy of ``net`` with pipe ``p`` in ``cells[p]`` segments (those > 1), and the
    segments of each split pipe (its first segment keeps its name)."""
    d = network_to_dict(net)
    names = list(d["nodes"]["names"])
    elev = dict(d["nodes"].get("elevation", {}))
    fluids = d["fluids_by_node"]
    segments: dict[str, list[str]] = {}
    comps = []
    for c in d["components"]:
        f = c["fields"]
        if c["type"] != "Pipes" or not any(cells.get(p, 1) > 1 for p in f["names"]):
            comps.append(c)
            continue
        nf = {k: [] for k in f}
        start, end = [], []
        for j, p in enumerate(f["names"]):
            n = cells.get(p, 1)
            a, b = c["start"][j], c["end"][j]
            inner = [f"{p}:cell{k}" for k in range(1, n)]
            chain = [a] + inner + [b]
            for node in inner:
                if node in names:
                    raise InputError(f"simulate: pipe_cells cannot split pipe {p!r}: the network "
                                     f"already has a node {node!r}; rename that node.")
            names.extend(inner)
            if a in elev or b in elev:
                za, zb = float(elev.get(a, 0.0)), float(elev.get(b, 0.0))
                for k, node in enumerate(inner, start=1):
                    elev[node] = za + (zb - za) * k / n
            if a in fluids:
                for node in inner:
                    fluids[node] = fluids[a]
            seg = [p] + [f"{p}:seg{k}" for k in range(1, n)]
            segments[p] = seg if n > 1 else [p]
            for k in range(n):
                for key, vals in f.items():
                    v = vals[j]
                    if key == "names":
                        v = seg[k]
                    elif key in ("length", "minor_loss", "ua") and v is not None:
                        v = v / n
                    nf[key].append(v)
                start.append(chain[k])
                end.append(chain[k + 1])
        comps.append({**c, "fields": nf, "start": start, "end": end})
    d["components"] = comps
    d["nodes"] = {"names": names, "elevation": elev}
    d["fluids_by_node"] = fluids
    out = network_from_dict(d, source=f"network {net.name!r} with its pipes in cells")
    return out, {p: s for p, s in segments.items() if len(s) > 1}
