"""An on-disk cache of the heat-pump performance maps' nodes
(:class:`~narvik_thermal.correlations.heat_pump_map.CyclePerformanceMap`), so that a
new process (a dask worker of an annual run, a notebook, the command line) neither
imports CoolProp (about 1.7 s) nor runs the cycles again for nodes a process of the
same installation computed before.

A node is a pure function of its configuration (refrigerant, stages, compressor
efficiency, superheat, subcooling, grid spacing) and its two temperatures, so a
cached node equals a computed one. The file of a configuration is keyed, like the
fluid tables' (:mod:`narvik_thermal.fluids.table_cache`, whose directory it
shares), by the configuration and by everything the nodes depend on: CoolProp's
version (from the installed package's metadata, without importing it), the file
format, and the source text of the modules that compute them
(:mod:`.heat_pump_map`, :mod:`.heat_pump_cycle`,
:mod:`narvik_thermal.fluids.refrigerant`). A change of any of them gives another
file name.

Files hold NumPy arrays and a JSON header only (``allow_pickle=False``). A map
writes its file when it has computed new nodes, merged with what the file holds
then, to a temporary name renamed into place: two processes filling the same map
at once may each miss the other's last nodes (they are computed again later),
never read half a file. A file that cannot be read is ignored.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ..fluids.table_cache import cache_file, read_npz, source_tag, write_npz
from . import _checks as _c

__all__ = ["load", "store"]

log = logging.getLogger(__name__)

#: Format of the files; part of every file name.
FORMAT = 1
_TAG: str | None = None


def _path(key: tuple) -> Path | None:
    global _TAG
    if _TAG is None:
        here = Path(__file__).resolve().parent
        _TAG = source_tag(FORMAT, (here / "heat_pump_map.py", here / "heat_pump_cycle.py",
                                   here.parent / "fluids" / "refrigerant.py"))
    return cache_file("hpmap", _TAG, key)


def load(key: tuple) -> dict | None:
    """The nodes stored for the map configuration ``key``: ``{(i, j): array or None}``
    (None where the cycle fails), or None when there is no usable file."""
    got = read_npz(_path(key), key)
    if got is None:
        return None
    try:
        ij, ok, values = got[1]["ij"], got[1]["ok"], got[1]["values"]
        return {(int(a), int(b)): (values[k].copy() if ok[k] else None)
                for k, (a, b) in enumerate(ij)}
    except Exception as exc:                  # another layout: computed anew
        log.debug("performance map cache: ignoring the file of %s (%s)", key, exc)
        return None


def store(key: tuple, nodes: dict) -> None:
    """Store ``nodes`` (``{(i, j): array of shape (4, n) or None}``) for ``key``, merged
    with the nodes the file holds (silently nothing when the cache cannot be written)."""
    path = _path(key)
    if path is None:
        return
    merged = dict(load(key) or {})
    merged.update(nodes)
    shape = next((v.shape for v in merged.values() if v is not None), None)
    if shape is None:
        return
    items = sorted(merged.items())
    ij = np.array([k for k, _ in items], dtype=np.int64).reshape(-1, 2)
    ok = np.array([v is not None for _, v in items])
    values = np.stack([v if v is not None else np.full(shape, np.nan) for _, v in items])
    write_npz(path, dict(key=list(key)), dict(ij=ij, ok=ok, values=values))


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
