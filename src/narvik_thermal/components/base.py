"""The shape every component kind shares: a typed struct of SI arrays.

A component object holds ``n`` units of one kind (one ``add_*`` call, or its
plural form): their names, how many identical units in parallel each edge
stands for (``count``), and one read-only NumPy array per parameter, in SI
units. It is immutable: :meth:`Component.updated` validates changed values and
returns a new object, so a call that fails leaves the network exactly as it
was. Validation lives here, in :meth:`Component.validate`, and runs however a
component is made — from Quantities (``from_quantities``), from a network file
(:meth:`Component.from_data`) or by :meth:`Component.updated`.

Each kind also declares

- the edges it puts into a network (:meth:`Component.edge_sides`: one side for
  most kinds, two for heat exchangers and heat pumps), each with its hydraulic
  and thermal law and the parameters those laws read;
- what a transient needs: the fluid volume of each edge (:meth:`fluid_volume`)
  and the metal heat capacity in thermal contact with it
  (:meth:`metal_heat_capacity`).

The laws themselves are functions of arrays
(:mod:`narvik_thermal.components.hydraulics`, :mod:`narvik_thermal.components.thermal`)
that call :mod:`narvik_thermal.correlations`.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any, ClassVar, Sequence

import numpy as np

from .. import units as U
from ..errors import InputError, TopologyError
from .kinds import EdgeKind, FlowBasis, HydraulicLaw, RiseBasis, ThermalLaw

__all__ = ["require_bool", "Component", "EdgeSide", "as_names", "broadcast", "require", "one_of",
           "flow_values", "rated_drop", "validate_rated", "rated_law", "rated_params", "RATED_FIELDS",
           "require_positive", "temperatures", "quantities", "rise_values", "touches",
           "same_array"]


# ------------------------------------------------------------------ helpers
def same_array(new: np.ndarray, old: Any) -> bool:
    """Whether ``new`` holds exactly the values (and dtype and shape) of ``old``: an
    updated field the values it had, a solver's flags those of the last iteration."""
    # (np.array_equal, without its Python wrapper: 2.5 µs of an update's 5)
    return (isinstance(old, np.ndarray) and old.dtype == new.dtype
            and old.shape == new.shape and np.count_nonzero(old == new) == new.size)


def touches(changed: frozenset | None, *fields: str) -> bool:
    """Whether a check reading ``fields`` must run after an update of ``changed``
    (None: every field, a full :meth:`Component.validate`)."""
    return changed is None or not changed.isdisjoint(fields)


def as_names(names: Any, what: str = "names") -> tuple[str, ...]:
    """Names as a tuple of str (a single str is one name).

    Every name must be a non-empty string: ``None``, numbers, Quantities and the
    like are refused rather than turned into names such as ``"None"``.
    """
    if isinstance(names, str):
        if not names:
            raise InputError(f"{what}: '' is not a name; names must be non-empty strings.")
        return (names,)
    if isinstance(names, (dict, set, bytes)) or not hasattr(names, "__iter__"):
        raise InputError(f"{what}={_short(names)} must be a name (a string) or a sequence of "
                         "names.")
    out = tuple(names)
    # C-level passes (no Python loop over 10⁵ names): every element a non-empty str
    if set(map(type, out)) - {str} or "" in out:
        for n in out:
            if not isinstance(n, str) or not n:
                raise InputError(f"{what}: {_short(n)} is not a name; names must be non-empty "
                                 f"strings (got {type(n).__name__}).")
        return tuple(map(str, out))                 # str subclasses as plain str
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def broadcast(value: Any, n: int, name: str, dtype=float) -> np.ndarray:
    """One value per unit: a scalar repeated, or an array of length ``n``."""
    if dtype is bool:
        # True/False only: NumPy reads any non-empty string ("no") as True
        vals = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
        if not all(isinstance(v, (bool, np.bool_)) for v in np.asarray(vals, dtype=object).ravel()):
            raise InputError(f"{name}={value!r} must be True or False (or one per unit).")
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0:
        return _full(n, arr.item(), dtype)
    arr = arr.ravel()
    if arr.size != n:
        raise InputError(f"{name} has {arr.size} values but {n} components; give one value "
                         "or one per component (a list or an array Quantity).")
    return arr.astype(dtype, copy=True)


def _full(n: int, value: Any, dtype: Any) -> np.ndarray:
    """``np.full(n, value, dtype)`` without its Python wrapper (0.6 µs of 1)."""
    out = np.empty(n, dtype)
    out.fill(value)
    return out


def quantities(value: Any, unit: str, n: int, name: str) -> np.ndarray:
    """A Quantity (or unit string) of dimension ``unit`` as ``n`` SI floats."""
    return broadcast(U.to_si(value, unit, name), n, name)


def temperatures(value: Any, n: int, name: str) -> np.ndarray:
    """An absolute temperature Quantity as ``n`` floats in K."""
    return broadcast(U.to_temperature(value, name), n, name)


def rise_values(value: Any, n: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A head [length] or pressure rise/drop [pressure] as ``n`` SI floats (m or Pa)
    and its :class:`RiseBasis` per unit."""
    q = U.parse(value, name)
    is_p = U.has_dimension(q, "[pressure]")
    v = quantities(q, "Pa" if is_p else "m", n, name)
    basis = RiseBasis.PRESSURE if is_p else RiseBasis.HEAD
    return v, _full(n, int(basis), np.int8)


def flow_values(value: Any, n: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A mass or volume flow as ``n`` SI floats and its :class:`FlowBasis` per unit."""
    mag, basis = U.to_flow(value, name)
    code = FlowBasis.MASS if basis == "mass" else FlowBasis.VOLUME
    return broadcast(mag, n, name), _full(n, int(code), np.int8)


def require(ok: np.ndarray, values: np.ndarray, name: str, names: Sequence[str], unit: str,
            expected: str, what: str) -> None:
    """Raise :class:`InputError` naming the first unit where ``ok`` is False."""
    ok = np.asarray(ok, dtype=bool)
    if np.count_nonzero(ok) == ok.size:      # (ok.all(), without numpy's Python wrapper)
        return
    bad = ~ok
    i = int(np.flatnonzero(bad)[0])
    more = "" if bad.sum() == 1 else f" ({int(bad.sum())} components are not)"
    v = values[i]
    if isinstance(v, np.integer):
        v = int(v)
    shown = f"{v:.6g}" if isinstance(v, (float, np.floating)) else repr(v)
    raise InputError(f"{name}={shown}{(' ' + unit) if unit else ''} for {names[i]!r} must "
                     f"be {expected}{more} ({what}).")


def require_bool(value: Any, name: str, what: str) -> bool:
    """``value`` if it is True or False (a NumPy bool too); an InputError otherwise (a
    string such as ``"no"`` is truthy, and would silently mean True)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InputError(f"{what}: {name}={value!r} must be True or False.")


def one_of(values: np.ndarray, allowed) -> np.ndarray:
    """``values`` (small integer codes) that are in ``allowed`` (an enum or a few
    values), elementwise: ``np.isin`` without its set-up cost, which is most of
    the validation of a small component."""
    values = np.asarray(values)
    ok = np.zeros(values.shape, dtype=bool)
    for v in _codes(allowed) if isinstance(allowed, type) else allowed:
        ok |= values == int(v)
    return ok


@functools.lru_cache(maxsize=None)
def _codes(enum: type) -> tuple[int, ...]:
    return tuple(int(v) for v in enum)


def _require_whole_count(count: np.ndarray, names: Sequence[str], what: str) -> None:
    """Units in parallel are whole units (a bool is not a count)."""
    c = np.asarray(count)
    if c.dtype == bool:
        raise InputError(f"{what}: count={c.tolist()} must be whole numbers of units, not "
                         "True/False.")
    require(c == np.round(c), c, "count", names, "", "a whole number of identical units in "
            "parallel", what)


def require_positive(values: np.ndarray, name: str, names: Sequence[str], unit: str, what: str,
                     allow_zero: bool = False) -> None:
    """Raise unless every value is > 0 (≥ 0 with ``allow_zero``); NaN is refused."""
    ok = values >= 0 if allow_zero else values > 0
    require(ok, values, name, names, unit, "non-negative" if allow_zero else "positive", what)


@dataclass(frozen=True)
class EdgeSide:
    """The edges one side of a component puts into the network (one per unit).

    Attributes
    ----------
    suffix : str
        Added to the component name to make the edge name (``""``, ``":hot"``, …).
    kind : EdgeKind
    hydraulic : HydraulicLaw
    thermal : ThermalLaw
    params : dict of str to numpy.ndarray
        Parameters the laws (and results) read, one value per unit, SI.
    """

    suffix: str
    kind: EdgeKind
    hydraulic: HydraulicLaw
    thermal: ThermalLaw
    params: dict


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> tuple:
    """``dataclasses.fields`` of a component class, looked up once per class."""
    return fields(cls)


# ------------------------------------------------------------------ base class
@dataclass(frozen=True, eq=False, kw_only=True)
class Component:
    """``n`` units of one component kind, as read-only SI arrays.

    Attributes
    ----------
    names : tuple of str
        Names of the units (edge names for one-sided kinds; the component name
        for heat exchangers and heat pumps, whose edges are ``name:side``).
    count : numpy.ndarray
        Identical units in parallel that each stands for [-] (> 0).
    """

    names: tuple
    count: np.ndarray

    #: edge kind (one-sided components)
    kind: ClassVar[EdgeKind]
    #: what a user calls it, for messages
    label: ClassVar[str] = "component"
    #: edge-name suffix of each side
    sides: ClassVar[tuple[str, ...]] = ("",)
    #: parameters :meth:`updated` accepts, name → one-line description
    updatable: ClassVar[dict[str, str]] = {}
    #: array fields shared by all units of the component (e.g. one measured
    #: curve per call), of any length, instead of one value per unit
    shared_fields: ClassVar[tuple[str, ...]] = ()
    #: fields a network file may leave out (written before they existed), field →
    #: the value of each unit (as :meth:`to_data` writes it)
    optional_fields: ClassVar[dict[str, Any]] = {}

    # ---------------------------------------------------------------- invariants
    def __post_init__(self) -> None:
        object.__setattr__(self, "names", as_names(self.names))
        n = len(self.names)
        if n == 0:
            raise InputError(f"{self.label}: no names given; give at least one.")
        if len(set(self.names)) != n:
            seen: set[str] = set()
            dup = next(x for x in self.names if x in seen or seen.add(x))  # type: ignore[func-returns-value]
            raise TopologyError(f"duplicate edge name {dup!r} within one call; edge names "
                                "must be unique.")
        for f in _fields(type(self)):
            if f.name == "names":
                continue
            v = getattr(self, f.name)
            if isinstance(v, np.ndarray):
                if f.name in self.shared_fields:
                    if v.ndim != 1:
                        raise InputError(f"{self.label}: parameter {f.name} has shape "
                                         f"{v.shape}; expected a 1-D array shared by all "
                                         "units.")
                elif v.shape != (n,):
                    raise InputError(f"{self.label}: parameter {f.name} has shape {v.shape}; "
                                     f"expected ({n},), one value per unit.")
                if v.flags.writeable:
                    v = v.copy()
                    v.flags.writeable = False
                    object.__setattr__(self, f.name, v)
            elif isinstance(v, tuple) and f.name != "names" and len(v) != n:
                raise InputError(f"{self.label}: parameter {f.name} has {len(v)} values; "
                                 f"expected {n}, one per unit.")
        require_positive(self.count, "count", self.names, "", self.label)
        _require_whole_count(self.count, self.names, self.label)
        self.validate()

    def validate(self) -> None:
        """Check the SI values (ranges, consistency); raise :class:`InputError`."""

    def validate_update(self, changed: frozenset | None) -> None:
        """Check the SI values after an update of the fields ``changed`` (the others
        held what :meth:`validate` accepted; None: every field): a kind may skip the
        checks that read none of them, and must raise what :meth:`validate` raises.
        Every check, by default."""
        self.validate()

    def __len__(self) -> int:
        return len(self.names)

    # --------------------------------------------------------------- network side
    def edge_sides(self) -> tuple[EdgeSide, ...]:
        """The edges of each side, their laws and the parameters the laws read."""
        raise NotImplementedError

    def edge_names(self) -> list[str]:
        """Names of all edges, side by side (``n`` per side)."""
        if self.sides == ("",):
            return list(self.names)
        return [nm + sfx for sfx in self.sides for nm in self.names]

    # -------------------------------------------------------------- transient side
    def fluid_volume(self) -> np.ndarray:
        """Fluid volume of one unit of each edge [m³], shape ``(sides, n)``."""
        return np.zeros((len(self.sides), len(self)))

    def metal_heat_capacity(self) -> np.ndarray:
        """Heat capacity of the metal in thermal contact with the fluid of one unit of
        each edge [J/K], shape ``(sides, n)``."""
        return np.zeros((len(self.sides), len(self)))

    # ------------------------------------------------------------------ updates
    def updated(self, index: np.ndarray, **values: Any) -> "Component":
        """A copy with parameters of the units ``index`` changed, validated.

        Parameters
        ----------
        index : numpy.ndarray of int
            Units to change (positions in this component).
        **values :
            Quantities by parameter name (see :attr:`updatable`); one value, or
            one per unit of ``index``.

        Raises
        ------
        InputError
            A parameter this kind cannot change, or a value that fails the
            same validation as ``add_*``.
        """
        index = np.asarray(index, dtype=np.int64)
        changes: dict[str, np.ndarray] = {}
        for key, value in values.items():
            if key not in self.updatable:
                can = sorted(self.updatable) or "none"
                raise InputError(f"update: edge {self.names[int(index[0])]!r} ({self.label}) has "
                                 f"no {key!r} parameter; a {self.label} can change {can}.")
            for field_name, arr in self._convert_update(key, value, index).items():
                base = changes.get(field_name)
                if base is None:
                    base = np.array(getattr(self, field_name), copy=True)
                base[index] = arr
                changes[field_name] = base
        for k, v in changes.items():
            if not same_array(v, getattr(self, k)):
                break
        else:
            return self         # the values it has (validated when they were set)
        if "count" in changes:
            return dataclasses.replace(self, **changes)
        # the names and every shape are those of this component (each changed array is
        # a copy of its own with some units set): only the values need validating, as
        # __post_init__ validates them, and the new arrays freezing (an operating point
        # of the 290 MW campus makes seven updates; dataclasses.replace re-ran every
        # invariant of every field)
        new = object.__new__(type(self))        # (copy.copy takes 10 µs)
        new.__dict__.update(self.__dict__)
        for k, v in changes.items():
            v.setflags(write=False)             # (v.flags.writeable = False: 2× longer)
            object.__setattr__(new, k, v)
        new.validate_update(frozenset(changes))
        return new

    def _convert_update(self, key: str, value: Any, index: np.ndarray) -> dict[str, np.ndarray]:
        """SI arrays (one per unit of ``index``) of the fields an update of ``key`` sets."""
        raise NotImplementedError

    # -------------------------------------------------------------- files (SI data)
    def to_data(self) -> dict:
        """Plain data (lists, str, floats; enums by name) of this component, SI units."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            enum = self._enum_fields().get(f.name)
            if enum is not None:
                out[f.name] = [enum(int(x)).name.lower() for x in v]
            elif isinstance(v, np.ndarray):
                out[f.name] = [_num(x) for x in v.tolist()]
            elif isinstance(v, tuple):
                out[f.name] = list(v)
            else:
                out[f.name] = v
        return out

    @classmethod
    def from_data(cls, data: dict, where: str = "data") -> "Component":
        """Rebuild from :meth:`to_data` output, validated as ``add_*`` validates.

        Raises
        ------
        InputError
            A missing or unknown field, a wrong length, a bad value; the message
            names ``where`` and the field.
        """
        if not isinstance(data, dict):
            raise InputError(f"{where}: a {cls.label} must be a mapping of fields, got "
                             f"{type(data).__name__}.")
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        missing = [k for k in names if k not in data and k not in cls.optional_fields]
        if unknown or missing:
            raise InputError(f"{where}: a {cls.label} needs the fields {names}; "
                             + (f"missing {missing}" if missing else "")
                             + ("; " if missing and unknown else "")
                             + (f"unknown {unknown}" if unknown else "") + ".")
        enums = cls._enum_fields()
        kw: dict[str, Any] = {}
        n_units = len(data["names"]) if isinstance(data["names"], (list, tuple)) else 0
        for f in fields(cls):
            v = data[f.name] if f.name in data else [cls.optional_fields[f.name]] * n_units
            try:
                if f.name == "names":
                    kw[f.name] = tuple(str(x) for x in v)
                elif f.name in enums:
                    kw[f.name] = np.array([_enum_member(enums[f.name], x, f.name, where)
                                           for x in v], dtype=np.int8)
                elif f.type in ("tuple", "tuple[str, ...]"):
                    kw[f.name] = tuple(str(x) for x in v)
                else:
                    kw[f.name] = np.array([_unnum(x) for x in v], dtype=float)
            except InputError:
                raise
            except (TypeError, ValueError) as exc:
                raise InputError(f"{where}: field {f.name!r} of a {cls.label} is not a list of "
                                 f"numbers ({exc}).") from None
        try:
            return cls(**kw)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None

    @classmethod
    def _enum_fields(cls) -> dict[str, type[IntEnum]]:
        """Fields that store enum codes, and their enum."""
        return {}


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
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, str):
        return float(x.replace(".inf", "inf"))
    return float(x)


def _enum_member(enum: type[IntEnum], x: Any, field: str, where: str) -> int:
    if isinstance(x, str) and x.upper() in enum.__members__:
        return int(enum[x.upper()])
    raise InputError(f"{where}: field {field!r} has {x!r}; expected one of "
                     f"{[m.name.lower() for m in enum]}.")


# ------------------------------------------------------- rated pressure drops
RATED_FIELDS = ("dp_rated", "flow_rated", "rated_basis", "dp_exponent")


def rated_drop(names: Sequence[str], pressure_drop: Any, rated_flow: Any, exponent: Any,
               what: str, prefix: str = "") -> dict[str, np.ndarray]:
    """Fields of an optional rated-point pressure drop (NaN where none is given).

    A rated point is the pressure drop ``pressure_drop`` at the flow
    ``rated_flow`` (mass or volume), with ``Δp ∝ Vⁿ`` around it
    (:func:`narvik_thermal.correlations.cold_plate.power_law_pressure_drop`).
    """
    n = len(names)
    if pressure_drop is None and rated_flow is None:
        return {prefix + "dp_rated": np.full(n, np.nan), prefix + "flow_rated": np.full(n, np.nan),
                prefix + "rated_basis": np.zeros(n, np.int8),
                prefix + "dp_exponent": quantities(exponent, "", n, "pressure_exponent")}
    if pressure_drop is None or rated_flow is None:
        raise InputError(f"{what}: a pressure drop needs both the pressure drop and the rated "
                         "flow at which it holds.")
    fr, basis = flow_values(rated_flow, n, "rated_flow")
    return {prefix + "dp_rated": quantities(pressure_drop, "Pa", n, "pressure_drop"),
            prefix + "flow_rated": fr, prefix + "rated_basis": basis,
            prefix + "dp_exponent": quantities(exponent, "", n, "pressure_exponent")}


def validate_rated(obj: Any, what: str, prefix: str = "", optional: bool = True) -> None:
    """Check the rated-point fields ``prefix + RATED_FIELDS`` of ``obj``."""
    nm = obj.names
    dp = getattr(obj, prefix + "dp_rated")
    fr = getattr(obj, prefix + "flow_rated")
    ex = getattr(obj, prefix + "dp_exponent")
    none = np.isnan(dp)
    if optional and none.all():
        return
    if none.any():
        raise InputError(f"{what} {nm[int(np.flatnonzero(none)[0])]!r}: give a rated pressure "
                         "drop to every unit of one call or to none.")
    require_positive(dp, prefix + "pressure_drop", nm, "Pa", what)
    require_positive(fr, prefix + "rated_flow", nm, "(SI)", what)
    require((ex >= 1) & (ex <= 2.5), ex, prefix + "pressure_exponent", nm, "", "in [1, 2.5]", what)


def rated_law(obj: Any, prefix: str = "") -> HydraulicLaw:
    """``POWER_LAW`` where a rated point is given, ``IDEAL`` where not."""
    return HydraulicLaw.IDEAL if np.isnan(getattr(obj, prefix + "dp_rated")).all() \
        else HydraulicLaw.POWER_LAW


def rated_params(obj: Any, prefix: str = "") -> dict[str, np.ndarray]:
    """The rated-point fields under the names the power law reads."""
    return {k: getattr(obj, prefix + k) for k in RATED_FIELDS}
