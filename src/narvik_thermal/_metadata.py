"""The library's version and the CF-style metadata of its result Datasets.

One place for both:

- :data:`__version__`: the version of the installed package, read from its
  metadata (the version is written once, in ``pyproject.toml``). A source tree
  used without installing it (``PYTHONPATH=src``, the documentation build)
  reads that ``pyproject.toml`` instead; anything else is ``"0+unknown"``.
- :func:`provenance`: the attributes every result Dataset carries, so that a
  NetCDF file says what wrote it and how: ``Conventions`` (CF-1.10),
  ``source`` and ``narvik_thermal_version``, the function that made it
  (``generator``) and the solver options, one attribute per option
  (``solver_max_newton``, ``solver_linear_solver``, ...).
- :func:`netcdf_attrs`: attributes as NetCDF stores them. NetCDF attributes
  are strings, numbers or 1-D numeric arrays: ``None`` becomes ``"none"``, a
  bool ``1`` or ``0`` (NetCDF has no boolean), an enum its lower-case name, a
  list of strings one ``", "``-joined string, a mapping or a dataclass one
  attribute per field (``prefix_field``).

The variables themselves carry ``units`` (UDUNITS strings, as CF asks) and a
``long_name`` each; the modules that make them write those.

>>> from narvik_thermal._metadata import netcdf_attrs
>>> netcdf_attrs({"max_newton": 50, "couple_properties": True, "note": None}, "solver")
{'solver_max_newton': 50, 'solver_couple_properties': 1, 'solver_note': 'none'}
"""

from __future__ import annotations

import dataclasses
import enum
import numbers
import tomllib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CONVENTIONS", "DISTRIBUTION", "UNKNOWN_VERSION", "PYPROJECT", "__version__",
           "read_version", "provenance", "netcdf_attrs"]

#: The CF version the result Datasets follow (variable ``units`` and ``long_name``,
#: the global ``Conventions``, ``source`` and ``title`` attributes).
CONVENTIONS = "CF-1.10"
#: The name of the distribution (``pip install narvik_thermal``).
DISTRIBUTION = "narvik_thermal"
#: What the version is when neither the package metadata nor a source tree gives it.
UNKNOWN_VERSION = "0+unknown"

#: Where a source tree keeps its pyproject.toml (``src/narvik_thermal/`` → the root).
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def read_version(distribution: str = DISTRIBUTION, pyproject: Path | None = PYPROJECT) -> str:
    """The version of ``distribution``: its installed metadata, else the
    ``[project] version`` of ``pyproject`` when that file names the same project
    (a source tree used without installing), else ``"0+unknown"``.
    """
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    if pyproject is not None and pyproject.is_file():
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            project = {}
        if project.get("name") == distribution and isinstance(project.get("version"), str):
            return project["version"]
    return UNKNOWN_VERSION


__version__ = read_version()


def provenance(generator: str, options: Any = None, **extra: Any) -> dict[str, Any]:
    """The Dataset attributes that say what made a result and how.

    Parameters
    ----------
    generator : str
        The public function that made the Dataset, e.g.
        ``"narvik_thermal.simulation.annual"``.
    options : SolverOptions, mapping or None, optional
        The solver options in effect; one attribute ``solver_<field>`` each.
    **extra
        Further attributes (e.g. ``title``), converted as :func:`netcdf_attrs` does.

    Returns
    -------
    dict
        ``Conventions``, ``source``, ``narvik_thermal_version``, ``generator``,
        the ``solver_*`` options and ``extra``, every value NetCDF-storable.
    """
    attrs: dict[str, Any] = {
        "Conventions": CONVENTIONS,
        "source": f"narvik_thermal {__version__}",
        "narvik_thermal_version": __version__,
        "generator": generator,
    }
    if options is not None:
        attrs.update(netcdf_attrs(options, "solver"))
    attrs.update(netcdf_attrs(extra))
    return attrs


def netcdf_attrs(values: Any, prefix: str = "") -> dict[str, Any]:
    """Attributes as NetCDF can store them, nested mappings and dataclasses flattened.

    Parameters
    ----------
    values : mapping or dataclass instance
        Attribute names and values.
    prefix : str, optional
        Put before every name with an underscore (``"solver"`` gives
        ``solver_max_newton``).

    Raises
    ------
    TypeError
        A value that is none of: None, bool, number, string, enum, a sequence of
        numbers or of strings, a mapping, a dataclass instance.
    """
    if dataclasses.is_dataclass(values) and not isinstance(values, type):
        values = {f.name: getattr(values, f.name) for f in dataclasses.fields(values)}
    if not isinstance(values, Mapping):
        raise TypeError(f"netcdf_attrs: expected a mapping or a dataclass instance, got "
                        f"{type(values).__name__}.")
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}_{key}" if prefix else str(key)
        if isinstance(value, Mapping) or (dataclasses.is_dataclass(value)
                                          and not isinstance(value, type)):
            out.update(netcdf_attrs(value, name))
        else:
            out[name] = _netcdf_value(value, name)
    return out


def _netcdf_value(value: Any, name: str) -> Any:
    """One attribute value as NetCDF stores it (module notes)."""
    if value is None:
        return "none"
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, enum.Enum):
        return value.name.lower()
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(np.asarray(value, dtype=object).ravel()) if isinstance(
            value, np.ndarray) else list(value)
        if all(isinstance(v, str) for v in items):
            return ", ".join(items)
        if all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
               for v in items):
            kind = int if all(isinstance(v, numbers.Integral) for v in items) else float
            return np.asarray(items, dtype=kind)
    raise TypeError(f"attribute {name!r}: {value!r} ({type(value).__name__}) cannot be "
                    "stored in NetCDF; give a string, a number, a list of numbers or of "
                    "strings, a mapping or a dataclass.")
