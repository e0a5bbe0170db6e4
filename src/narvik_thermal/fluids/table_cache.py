"""An on-disk cache of the fluid property tables, so that a new process need not
import CoolProp (about 2.5 s) or sample it again to build a fluid it built before.

A table is stored once per fluid (constructor and arguments) and per version of
everything it depends on: CoolProp's version (read from the installed package's
metadata, without importing it), the format of the file, and the source text
of the modules that sample CoolProp and use the tables
(:mod:`.constructors`, :mod:`.coolprop_backend`, :mod:`.fluid`). A change of any
of them gives other file names, so an old table is never read for a new recipe.

Where
    ``NARVIK_THERMAL_CACHE_DIR`` when set (an empty value turns the cache off),
    else ``$XDG_CACHE_HOME/narvik_thermal`` or ``~/.cache/narvik_thermal``, the
    first that can be created and written; when neither can, a directory
    private to the user in the temporary directory,
    ``<tmp>/narvik_thermal-cache-<uid>`` (mode 0700, refused when another user
    owns it or others may write it: its numbers become results). Without any,
    tables are built in every process, as before.

Files hold NumPy arrays and a JSON header only (``numpy.load`` with
``allow_pickle=False``), are written to a temporary name and renamed into place
(a concurrent reader sees the old file or the new one, never half of one), and
any file that cannot be read is ignored and written anew.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load", "store", "cache_dir", "source_tag", "cache_file", "read_npz", "write_npz"]

log = logging.getLogger(__name__)

#: Format of the files; part of every file name.
FORMAT = 1
_PROPS = ("density", "cp", "viscosity", "conductivity")
_TAG: str | None = None


def _private(root: Path) -> bool:
    """``root`` is a directory this user owns and no one else may write."""
    try:
        st = os.lstat(root)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    uid = getattr(os, "getuid", lambda: None)()
    return uid is None or (st.st_uid == uid and not st.st_mode & 0o022)


def _usable(root: Path, private: bool) -> bool:
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if private and not _private(root):
        return False
    return os.access(root, os.W_OK | os.X_OK)


def cache_dir() -> Path | None:
    """The directory of the table cache, or None when there is none (see the module notes)."""
    env = os.environ.get("NARVIK_THERMAL_CACHE_DIR")
    found = None
    if env is not None:
        found = Path(env) if env and _usable(Path(env), False) else None
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        candidates = [(Path(base) / "narvik_thermal", False)]
        uid = getattr(os, "getuid", lambda: None)()
        candidates.append((Path(tempfile.gettempdir()) / f"narvik_thermal-cache-{uid}", True))
        for root, private in candidates:
            if _usable(root, private):
                found = root
                break
    return found


def source_tag(fmt: int, sources: tuple) -> str:
    """What cached data depend on besides their key: CoolProp's version (from the
    installed package's metadata, without importing it), the file format ``fmt`` and
    the source text of the modules ``sources`` (paths) that make and read them."""
    from importlib import metadata

    try:
        cp = metadata.version("CoolProp")
    except metadata.PackageNotFoundError:
        cp = "none"
    h = hashlib.sha256(f"{fmt}|{cp}".encode())
    for path in sources:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def cache_file(prefix: str, tag: str, key: tuple) -> Path | None:
    """The file of ``key`` in the cache directory (``<prefix>-<digest>.npz``, the digest
    of ``tag`` and ``key``), or None when there is no cache."""
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(f"{tag}|{json.dumps(list(key))}".encode()).hexdigest()[:32]
    return root / f"{prefix}-{digest}.npz"


def read_npz(path: Path | None, key: tuple) -> tuple[dict, dict] | None:
    """``(meta, arrays)`` of the file :func:`write_npz` wrote for ``key`` (the key is in
    its ``meta``), or None when there is none, it cannot be read or holds another key."""
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("key") != json.loads(json.dumps(list(key))):
                return None
            return meta, {k: f[k] for k in f.files if k != "meta"}
    except Exception as exc:                    # unreadable or foreign: made anew
        log.debug("cache: ignoring %s (%s)", path, exc)
        return None


def write_npz(path: Path, meta: dict, arrays: dict) -> None:
    """Write ``meta`` (JSON) and ``arrays`` to ``path`` through a temporary file renamed
    into place (a reader sees the old file or the new one); silently nothing when it
    cannot be written."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)
    except Exception as exc:
        log.debug("cache: cannot write %s (%s)", path, exc)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _tag() -> str:
    """The fluid tables' :func:`source_tag`."""
    global _TAG
    if _TAG is None:
        here = Path(__file__).resolve().parent
        _TAG = source_tag(FORMAT, tuple(here / name for name in (
            "constructors.py", "coolprop_backend.py", "fluid.py")))
    return _TAG


def _path(key: tuple) -> Path | None:
    return cache_file("fluid", _tag(), key)


def load(key: tuple) -> dict | None:
    """The ``Fluid(**kwargs)`` arguments stored for ``key``, or None."""
    got = read_npz(_path(key), key)
    if got is None:
        return None
    meta, f = got
    try:
        kw = dict(name=meta["name"], kind=meta["kind"], source=meta["source"],
                  key=_tuple(meta["fluid_key"]), temperature=f["temperature"],
                  tables={k: f[f"table.{k}"] for k in _PROPS}, enthalpy=f["enthalpy"],
                  reference_pressure=meta["reference_pressure"],
                  freezing_temperature=meta["freezing_temperature"])
        if meta["pressure_dependent"]:
            kw.update(p_max=meta["p_max"], p0=f["p0"],
                      slopes={k: f[f"slope.{k}"] for k in _PROPS},
                      curvatures={k: f[f"curvature.{k}"] for k in _PROPS})
        boiling = meta["boiling"]
        kw["boiling"] = (None if boiling is None else
                         (f["boiling.lnp"], f["boiling.T"]) if boiling == "table" else
                         float(boiling))
        return kw
    except Exception as exc:                    # another layout: built anew
        log.debug("fluid table cache: ignoring the file of %s (%s)", key, exc)
        return None


def store(key: tuple, kw: dict) -> None:
    """Store the ``Fluid(**kw)`` arguments for ``key`` (silently nothing when the
    cache cannot be written)."""
    path = _path(key)
    if path is None:
        return
    boiling = kw.get("boiling")
    arrays = {"temperature": kw["temperature"], "enthalpy": kw["enthalpy"]}
    arrays.update({f"table.{k}": kw["tables"][k] for k in _PROPS})
    dependent = kw.get("slopes") is not None
    if dependent:
        arrays["p0"] = kw["p0"]
        arrays.update({f"slope.{k}": kw["slopes"][k] for k in _PROPS})
        arrays.update({f"curvature.{k}": kw["curvatures"][k] for k in _PROPS})
    if isinstance(boiling, tuple):
        arrays["boiling.lnp"], arrays["boiling.T"] = boiling
        boiling_meta: Any = "table"
    else:
        boiling_meta = None if boiling is None else float(boiling)
    meta = dict(key=list(key), name=kw["name"], kind=kw["kind"], source=kw["source"],
                fluid_key=list(kw["key"]), reference_pressure=float(kw["reference_pressure"]),
                freezing_temperature=kw["freezing_temperature"], boiling=boiling_meta,
                pressure_dependent=dependent, p_max=float(kw.get("p_max", np.inf)))
    write_npz(path, meta, {k: np.asarray(v, dtype=float) for k, v in arrays.items()})


def _tuple(x: Any) -> Any:
    return tuple(_tuple(v) for v in x) if isinstance(x, list) else x
