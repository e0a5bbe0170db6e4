"""Units at the public boundary: the one pint registry and the SI converters.

Every public function of narvik_thermal takes pint Quantities (or strings the
registry parses, such as ``"45 degC"`` or ``"1.5 L/min"``) and converts them
*once*, here, to SI floats or NumPy arrays: K, Pa, kg/s, m³/s, W, m, J/kg.
Nothing inside the correlations or solvers touches pint.

The registry is pint's application registry (``pint.get_application_registry()``);
narvik_thermal never creates a private registry and never changes registry
settings at import time.

Temperatures
------------
Absolute temperatures (``degC``, ``degF``, ``K``, ``degR``) and temperature
*differences* (``delta_degC``, ``delta_degF``, ``K``) are different things:

- :func:`to_temperature` accepts absolute temperatures only and rejects
  ``delta_degC`` (a difference is not a temperature);
- :func:`to_temperature_difference` accepts differences only and rejects
  ``degC`` / ``degF`` (``Q_(3, "degC")`` is 276.15 K, not a 3 K rise).

Kelvin is accepted by both: it is absolute and a difference at once.

Examples
--------
>>> from narvik_thermal.units import Q_, to_si, to_temperature
>>> to_si(Q_(1.5, "L/min"), "m^3/s", "flow")
2.5e-05
>>> to_temperature("45 degC", "supply_temperature")
318.15
>>> to_si(2.0, "Pa", "pressure")
Traceback (most recent call last):
...
narvik_thermal.errors.UnitError: pressure=2.0 has no units; expected a quantity of dimension [mass] / [length] / [time] ** 2, e.g. Q_(2.0, "Pa") ...
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import numpy as np
import pint

from .errors import InputError, UnitError

__all__ = [
    "ureg",
    "Q_",
    "parse",
    "to_si",
    "to_temperature",
    "to_temperature_difference",
    "to_flow",
    "quantity",
    "magnitude",
    "subset",
    "is_quantity",
    "has_dimension",
    "to_integer",
    "to_number",
    "fixed",
]

ureg: pint.UnitRegistry = pint.get_application_registry()
#: Shortcut for ``ureg.Quantity``.
Q_ = ureg.Quantity
# The registry's Quantity class is built at run time; named as this module's Q_, a
# function that uses it (a script's ``make_campus`` for a dask sweep) is pickled with a
# reference to it instead of a copy of the registry, which cannot be pickled.
Q_.__module__, Q_.__qualname__ = __name__, "Q_"

_NUMBER_UNIT = re.compile(
    r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_ABSOLUTE_OFFSET = {"degree_Celsius", "degree_Fahrenheit"}
_DELTA = {"delta_degree_Celsius", "delta_degree_Fahrenheit"}


def is_quantity(value: Any) -> bool:
    """True when ``value`` is a pint Quantity (of any registry)."""
    if type(value) is Q_:       # the common case, without building its ``units`` (2 µs)
        return True
    return hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(value, "m_as")


def parse(value: Any, name: str) -> Any:
    """Return ``value`` as a pint Quantity; strings such as ``"45 degC"`` are parsed.

    Offset units in strings are handled (``"45 degC"`` is 45 °C, not an
    ambiguous product). A bare number raises :class:`~narvik_thermal.errors.UnitError`.
    """
    if is_quantity(value):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        # strings such as ["3 kW", "1 kW"]: each parsed, then as a list of Quantities
        return _from_sequence([parse(v, f"{name}[{k}]") for k, v in enumerate(value)], name)
    if isinstance(value, (list, tuple)) and value and any(is_quantity(v) for v in value):
        return _from_sequence(value, name)
    if isinstance(value, str):
        try:
            mag, unit = _parse_string(value)
            return Q_(mag, unit)
        except (pint.errors.UndefinedUnitError, pint.errors.PintError, ValueError,
                AttributeError, TypeError) as exc:
            raise UnitError(
                f"{name}={value!r} could not be parsed as a quantity ({exc}); "
                f"write it as '<number> <unit>', e.g. '45 degC' or '1.5 L/min'.",
                argument=name, value=value) from None
    raise UnitError(
        f"{name}={_short(value)} has no units; pass a pint Quantity such as "
        f"nt.Q_({_short(value)}, '<unit>') or a string such as '<number> <unit>'.",
        argument=name, value=value)


def _from_sequence(value: Any, name: str) -> Any:
    """One Quantity from a list of Quantities (``[Q_(1, "m"), Q_(2, "m")]``), in the
    units of the first; mixed dimensions or bare numbers among them are refused."""
    first = next(v for v in value if is_quantity(v))
    unit = first.units
    mags = []
    for k, v in enumerate(value):
        if not is_quantity(v):
            raise UnitError(f"{name}: element {k} ({_short(v)}) of the list has no units while "
                            f"others have; give every element units, or one Quantity of an "
                            f"array such as Q_([1, 2], '{unit:~}').", argument=name, value=value)
        try:
            mags.append(np.asarray(v.m_as(unit), dtype=float))
        except (pint.errors.DimensionalityError, pint.errors.OffsetUnitCalculusError,
                TypeError, ValueError):
            raise UnitError(f"{name}: element {k} ({v}) of the list cannot be converted to "
                            f"{unit:~} like element 0; give elements of one dimension.",
                            argument=name, value=value) from None
    try:
        return Q_(np.array(mags, dtype=float), unit)
    except ValueError:
        raise UnitError(f"{name}: the elements of the list have different shapes; give "
                        "scalars or one Quantity of an array.", argument=name,
                        value=value) from None


@functools.lru_cache(maxsize=1024)
def _parse_string(value: str) -> tuple[Any, Any]:
    """Magnitude and unit of a quantity string, parsed once per string (pint parses
    compound units such as ``"0.045 mm"`` or ``"1.5 L/min"`` anew at every call); a
    new Quantity is made from them each time, so callers may change it."""
    match = _NUMBER_UNIT.match(value)
    q = Q_(float(match.group(1)), match.group(2)) if match and match.group(2) else Q_(value)
    return q.magnitude, q.units


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unit_names(q: Any) -> frozenset[str]:
    if getattr(q, "_REGISTRY", None) is None:
        return frozenset(getattr(q.units, "_units", {}).keys())
    return _conversion(q, None)[2]


def _as_float(mag: Any, name: str) -> float | np.ndarray:
    if type(mag) is float:                     # the common scalar, without NumPy
        if math.isfinite(mag):
            return mag
        arr = np.asarray(mag)
    else:
        if mag is None:
            raise UnitError(f"{name}=None: give a value.", argument=name, value=mag)
        if isinstance(mag, (bool, np.bool_)):
            raise UnitError(f"{name}={mag!r} is a bool; give a number.", argument=name,
                            value=mag)
        try:
            arr = np.asarray(mag, dtype=float)
        except (TypeError, ValueError):
            raise UnitError(f"{name}={_short(mag)} is not a number or an array of numbers "
                            f"({type(mag).__name__}).", argument=name, value=mag) from None
        if arr.ndim == 0:
            x = float(arr)
            if math.isfinite(x):
                return x
        elif np.count_nonzero(np.isfinite(arr)) == arr.size:   # (.all(): 1 µs more)
            return arr
    raise UnitError(f"{name} contains non-finite values ({_short(mag)}); "
                    "give finite numbers.", argument=name, value=mag)


#: (registry, unit items, target unit) -> (a, b, unit names); see _conversion
_CONVERSIONS: dict[tuple, tuple[float, float, frozenset]] = {}


def _conversion(q: Any, unit: str | None) -> tuple[float, float, frozenset]:
    """``(a, b, names)``: ``x_unit = a · x + b`` converts the magnitude of ``q`` to
    ``unit`` (``None``: no conversion, ``a = 1, b = 0``), and the names of the
    units of ``q``.

    Cached per (registry, units, target): pint parses and converts once per
    pair, not at every call (a plant builder converts tens of thousands of
    arguments); the key reads the units through ``unit_items()``, which builds
    no Unit object. Raises pint's errors for incompatible or ambiguous units, as
    ``m_as`` does (errors are not cached).
    """
    reg = getattr(q, "_REGISTRY", None)
    key = (id(reg), tuple(q.unit_items()), unit)
    hit = _CONVERSIONS.get(key)
    if hit is not None:
        return hit
    units = q.units
    names = frozenset(getattr(units, "_units", {}).keys())
    if unit is None:
        a, b = 1.0, 0.0
    else:
        make = reg.Quantity
        b = float(make(0.0, units).m_as(unit))
        if b == 0.0:
            a = float(make(1.0, units).m_as(unit))
        else:
            # offset units (degC → K): the slope over a wide interval, so that it is
            # exact to round-off (274.15 − 273.15 is not 1 in floating point)
            a = (float(make(1e6, units).m_as(unit)) - b) / 1e6
    if len(_CONVERSIONS) > 4096:
        _CONVERSIONS.clear()
    _REGISTRIES[id(reg)] = reg               # keeps the registry (and its id) alive
    hit = _CONVERSIONS[key] = (a, b, names)
    return hit


_REGISTRIES: dict[int, Any] = {}
#: Q_'s registry (the class attribute its instances read), and its key in _CONVERSIONS
_Q_REG = getattr(Q_, "_REGISTRY")
_Q_REGISTRY = id(_Q_REG)


def _known(q: Any, unit: str) -> tuple[float, float, frozenset] | None:
    """The cached :func:`_conversion` of ``q`` to ``unit`` when ``q`` is a Quantity of
    this module's ``Q_`` and the pair was converted before, else None (the caller then
    takes the general path): a converter's common case in one or two look-ups."""
    memo = _units_memo(q)
    if memo is None:
        return None
    hit = memo.get(unit)
    if hit is None:
        hit = _CONVERSIONS.get((_Q_REGISTRY, tuple(q.unit_items()), unit))
        if hit is not None:
            memo[unit] = hit
    return hit


#: what the converters found for the units of Quantities of Q_, by units object: id ->
#: (the units, {target unit or ("dimension", dimension): conversion or bool})
_BY_UNITS: dict[int, tuple[Any, dict]] = {}


def _units_memo(q: Any) -> dict | None:
    """The memo of the units object of ``q`` when ``q`` is a Quantity of ``Q_`` (whose
    state is its magnitude and its units, see :func:`_fast_layout`), else None.

    pint gives a Quantity's units only through its own calls (``unit_items`` and the
    Unit it builds), which the key of :data:`_CONVERSIONS` reads at every conversion;
    the units object of every Quantity :func:`quantity` makes in one unit is one (the
    one pint parsed), and pint never changes one in place (its operations make new
    ones), so what is known of it is kept with it. The entry keeps the object alive,
    and so its id unused by another."""
    if type(q) is not Q_ or not _FAST_QUANTITY:
        return None
    units = vars(q).get("_units")
    if units is None:
        return None
    entry = _BY_UNITS.get(id(units))
    if entry is None or entry[0] is not units:
        if len(_BY_UNITS) >= 1024:
            _BY_UNITS.clear()
        entry = _BY_UNITS[id(units)] = (units, {})
    return entry[1]


#: (registry, unit items, dimension) -> bool; see has_dimension
_DIMENSIONS: dict[tuple, bool] = {}


def has_dimension(q: Any, dimension: str) -> bool:
    """``q.check(dimension)`` of a Quantity, cached per (registry, units, dimension):
    pint parses the dimension string and the units' dimensionality at every call
    (about 10 µs).

    Examples
    --------
    >>> has_dimension(Q_(2.0, "L/min"), "[volume] / [time]")
    True
    """
    memo = _units_memo(q)
    if memo is not None:
        hit = memo.get(("dimension", dimension))
        if hit is not None:
            return hit
    reg = getattr(q, "_REGISTRY", None)
    if reg is None:
        return q.check(dimension)
    key = (id(reg), tuple(q.unit_items()), dimension)
    hit = _DIMENSIONS.get(key)
    if hit is None:
        hit = bool(q.check(dimension))
        if len(_DIMENSIONS) > 4096:
            _DIMENSIONS.clear()
        _REGISTRIES[id(reg)] = reg           # keeps the registry (and its id) alive
        _DIMENSIONS[key] = hit
    if memo is not None:
        memo[("dimension", dimension)] = hit
    return hit


def _m_as(q: Any, unit: str) -> Any:
    """``q.m_as(unit)`` through the cached affine conversion."""
    if getattr(q, "_REGISTRY", None) is None:
        return q.m_as(unit)
    a, b, _ = _conversion(q, unit)
    mag = q.magnitude
    return mag * a + b if b != 0.0 else mag * a


def to_si(value: Any, unit: str, name: str) -> float | np.ndarray:
    """Convert a Quantity (or quantity string) to a float/array in ``unit``.

    Parameters
    ----------
    value : pint.Quantity or str
        The user's value. A bare number is rejected: the library never
        guesses a unit.
    unit : str
        The SI unit to convert to (``"Pa"``, ``"kg/s"``, ``"W"``, ...). For
        dimensionless arguments use ``""``; then plain numbers are accepted.
    name : str
        Argument name, used in error messages.

    Returns
    -------
    float or numpy.ndarray
        The magnitude in ``unit``.

    Raises
    ------
    UnitError
        No units, wrong dimension, an offset temperature where a plain unit is
        expected, or non-finite values.
    """
    hit = _known(value, unit)
    if hit is not None and not (hit[2] and hit[2] <= _ABSOLUTE_OFFSET):
        # units converted before (the checks below on them passed): what they compute
        a, b, _ = hit
        mag = vars(value)["_magnitude"]    # (a hit: Q_'s state, see _units_memo)
        return _as_float(mag * a + b if b != 0.0 else mag * a, name)
    if isinstance(value, (list, tuple)) and value and (
            any(is_quantity(v) for v in value) or all(isinstance(v, str) for v in value)):
        value = parse(value, name)           # Quantities, or strings such as ["3 m", "4 m"]
    if unit in ("", "dimensionless") and not is_quantity(value) and not isinstance(value, str):
        return _as_float(value, name)
    if not is_quantity(value) and not isinstance(value, str):
        dim = Q_(1.0, unit).dimensionality
        raise UnitError(
            f"{name}={_short(value)} has no units; expected a quantity of dimension "
            f"{dim}, e.g. Q_({_short(value)}, \"{unit}\") (the library never guesses a unit).",
            argument=name, value=value, expected=str(dim))
    q = parse(value, name)
    names = _unit_names(q)
    if names and names <= _ABSOLUTE_OFFSET:
        raise UnitError(
            f"{name}={q} is an absolute temperature; expected {unit!r}. For a "
            f"temperature difference write 'delta_degC' or 'K'.",
            argument=name, value=value, expected=unit)
    try:
        mag = _m_as(q, unit)
    except pint.errors.DimensionalityError:
        dim = Q_(1.0, unit).dimensionality
        raise UnitError(
            f"{name}={q} has dimension {q.dimensionality}; expected {dim} "
            f"(convertible to {unit!r}).", argument=name, value=value,
            expected=str(dim)) from None
    except pint.errors.OffsetUnitCalculusError:
        raise UnitError(
            f"{name}={q}: an absolute temperature unit cannot be used here; "
            f"use a temperature difference ('delta_degC' or 'K'). Expected {unit!r}.",
            argument=name, value=value, expected=unit) from None
    return _as_float(mag, name)


def to_temperature(value: Any, name: str) -> float | np.ndarray:
    """Convert an *absolute* temperature to kelvin.

    Accepts degC, degF, K, degR. Rejects temperature differences
    (``delta_degC``, ``delta_degF``) and values below absolute zero.
    """
    hit = _known(value, "K")
    if hit is not None and not hit[2] & _DELTA:
        # units converted before: the checks below, with the conversion they make
        a, b, _ = hit
        mag = vars(value)["_magnitude"]    # (a hit: Q_'s state, see _units_memo)
        out = _as_float(mag * a + b if b != 0.0 else mag * a, name)
        if (out > 0.0) if type(out) is float else np.count_nonzero(out > 0.0) == out.size:
            return out
    q = parse(value, name)
    if _unit_names(q) & _DELTA:
        raise UnitError(
            f"{name}={q} is a temperature difference; an absolute temperature is "
            f"expected here, e.g. Q_(25, 'degC') or Q_(298.15, 'K').",
            argument=name, value=value, expected="[temperature] (absolute)")
    try:
        kelvin = _m_as(q, "K")
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{name}={q} has dimension {q.dimensionality}; expected an absolute "
            f"temperature such as Q_(25, 'degC').", argument=name, value=value,
            expected="[temperature]") from None
    out = _as_float(kelvin, name)
    if np.any(np.asarray(out) <= 0.0):
        raise UnitError(f"{name}={q} is at or below absolute zero; check the unit "
                        "(degC vs K).", argument=name, value=value,
                        expected="[temperature] > 0 K")
    return out


def to_temperature_difference(value: Any, name: str) -> float | np.ndarray:
    """Convert a temperature *difference* (approach, rise, lift) to kelvin.

    Accepts ``delta_degC``, ``delta_degF`` and ``K``. Rejects ``degC`` and
    ``degF``: ``Q_(3, "degC")`` means 276.15 K, not a 3 K difference.
    """
    hit = _known(value, "K")
    if hit is not None and not hit[2] & _ABSOLUTE_OFFSET:
        a, b, _ = hit                        # units converted before: as below
        mag = vars(value)["_magnitude"]    # (a hit: Q_'s state, see _units_memo)
        return _as_float(mag * a + b if b != 0.0 else mag * a, name)
    q = parse(value, name)
    if _unit_names(q) & _ABSOLUTE_OFFSET:
        raise UnitError(
            f"{name}={q} is an absolute temperature; a temperature difference is "
            f"expected here: write Q_({_short(q.magnitude)}, 'delta_degC') or "
            f"Q_({_short(q.magnitude)}, 'K').", argument=name, value=value,
            expected="[temperature] (difference)")
    try:
        mag = _m_as(q, "K")
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{name}={q} has dimension {q.dimensionality}; expected a temperature "
            f"difference such as Q_(3, 'delta_degC').", argument=name, value=value,
            expected="[temperature]") from None
    return _as_float(mag, name)


def to_flow(value: Any, name: str) -> tuple[float | np.ndarray, str]:
    """Convert a flow given as mass flow *or* volume flow.

    Returns
    -------
    (magnitude, kind)
        ``kind == "mass"`` → magnitude in kg/s; ``kind == "volume"`` →
        magnitude in m³/s (the caller converts with the fluid density).
    """
    if type(value) is Q_:
        # units converted before: the look-ups below, through the units' memo
        for dimension, unit, kind in _FLOW_KINDS:
            if not has_dimension(value, dimension):
                continue
            hit = _known(value, unit)
            if hit is not None:
                a, b, _ = hit
                mag = vars(value)["_magnitude"]
                return _as_float(mag * a + b if b != 0.0 else mag * a, name), kind
            break
    q = parse(value, name)
    if has_dimension(q, "[mass] / [time]"):
        return _as_float(_m_as(q, "kg/s"), name), "mass"
    if has_dimension(q, "[volume] / [time]"):
        return _as_float(_m_as(q, "m^3/s"), name), "volume"
    raise UnitError(
        f"{name}={q} has dimension {q.dimensionality}; expected a mass flow "
        f"(e.g. '2 kg/s') or a volume flow (e.g. '2 L/min').",
        argument=name, value=value, expected="[mass]/[time] or [volume]/[time]")


#: the flows :func:`to_flow` tells apart, in the order it tries them
_FLOW_KINDS = (("[mass] / [time]", "kg/s", "mass"), ("[volume] / [time]", "m^3/s", "volume"))


def to_integer(value: Any, name: str, minimum: int | None = None) -> int:
    """A whole number (``3``, ``3.0``, ``np.int64(3)``) as an int, at least ``minimum``.

    Raises
    ------
    InputError
        Not a whole number (a string, None, NaN, 2.5, a bool) or below ``minimum``.
    """
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and np.isfinite(value)
          and float(value) == int(value))
    if not ok:
        raise InputError(f"{name}={_short(value)} must be a whole number"
                         + (f" >= {minimum}" if minimum is not None else "") + ".")
    if minimum is not None and int(value) < minimum:
        raise InputError(f"{name}={int(value)} must be >= {minimum}.")
    return int(value)


def to_number(value: Any, name: str, low: float | None = None, high: float | None = None, *,
              low_open: bool = False, high_open: bool = False) -> float:
    """A plain (dimensionless) number as a float, inside ``[low, high]`` (an open end
    with ``low_open``/``high_open``).

    Raises
    ------
    InputError
        Not a finite number (a string, None, NaN, a bool, a Quantity with units) or
        outside the range.
    """
    if is_quantity(value):
        value = to_si(value, "", name)
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and np.isfinite(value))
    rng = (f"{'(' if low_open else '['}{'-inf' if low is None else f'{low:g}'}, "
           f"{'inf' if high is None else f'{high:g}'}{')' if high_open else ']'}")
    if not ok:
        raise InputError(f"{name}={_short(value)} must be a finite number in {rng}.")
    x = float(value)
    if (low is not None and (x < low or (low_open and x == low))) or \
            (high is not None and (x > high or (high_open and x == high))):
        raise InputError(f"{name}={x:g} must lie in {rng}.")
    return x


def quantity(value: Any, unit: str) -> Any:
    """Wrap an SI float/array as a Quantity of the application registry.

    The unit string is parsed once (pint parses a compound unit such as
    ``"m^3/s"`` anew for every ``Q_(value, "m^3/s")``, 100–200 µs each), so
    builders that make thousands of Quantities use this. A float, int, NumPy
    scalar or array (a list as an array) is wrapped without pint's constructor
    (3.5 µs): the Quantity ``Q_(value, unit)`` would be, its magnitude ``value``
    itself; other values go through the constructor.

    Examples
    --------
    >>> quantity(1.5, "L/min").m_as("m^3/s")
    2.5e-05
    """
    if _FAST_QUANTITY and not (_Q_REG.force_ndarray or _Q_REG.force_ndarray_like):
        if type(value) in _KEPT:
            return _like(_template(unit), value)
        if type(value) is list:                  # as pint makes a list its magnitude
            return _like(_template(unit), np.asarray(value))
    return Q_(value, _unit(unit))


def subset(value: Any, index: Any) -> Any:
    """``value[index]``: of an array Quantity, the Quantity of those elements in its
    units (pint's indexing builds it through the Quantity constructor, about 8 µs);
    of anything else, what its own indexing gives.

    Examples
    --------
    >>> subset(Q_([1.0, 2.0, 3.0], "kW"), np.array([2, 0]))
    <Quantity([3. 1.], 'kilowatt')>
    """
    if type(value) is Q_ and _FAST_QUANTITY and not (_Q_REG.force_ndarray
                                                     or _Q_REG.force_ndarray_like):
        mag = vars(value)["_magnitude"]    # (Q_'s state: see _fast_layout)
        if type(mag) is np.ndarray:
            return _like(value, mag[index])
    return value[index]


#: magnitude types pint's Quantity constructor keeps as they are (without
#: ``force_ndarray``), which :func:`quantity` wraps itself
_KEPT = frozenset({float, int, np.float64, np.ndarray})


def _like(q: Any, magnitude: Any) -> Any:
    """A Quantity of ``q``'s class and units holding ``magnitude``: what
    ``type(q)(magnitude, units)`` makes of a magnitude it keeps as it is, without the
    constructor's checks and conversions (3.5 µs; see :data:`_FAST_QUANTITY`)."""
    new = object.__new__(type(q))
    state = vars(new)
    state.update(vars(q))
    state["_magnitude"] = magnitude
    return new


def _fast_layout() -> bool:
    """Whether a Quantity of ``Q_`` is its units and its magnitude only (its state,
    as pint 0.17 to 0.25 keep it), so that :func:`_like` may copy one; otherwise
    every Quantity is made by pint's constructor."""
    q, r = Q_(1.0, "m"), Q_(np.array([1.0, 2.0]), "m")
    try:
        made = _like(q, np.array([1.0, 2.0]))
    except TypeError:                         # no instance dictionary
        return False
    return (set(vars(q)) == {"_magnitude", "_units"} and type(made) is Q_
            and made.units == r.units and made.magnitude.tolist() == [1.0, 2.0]
            and made.m_as("mm").tolist() == [1000.0, 2000.0])


_FAST_QUANTITY = _fast_layout()


def fixed(value: float, digits: int) -> str:
    """``value`` to ``digits`` decimals for a report, a round-off below them printed as
    zero, never as a negative zero (``f"{-4e-15:.3f}"`` is ``"-0.000"``).

    Examples
    --------
    >>> fixed(-4e-15, 3), fixed(-0.0123, 3), fixed(1.23456, 2)
    ('0.000', '-0.012', '1.23')
    """
    return f"{round(float(value), digits) + 0.0:.{digits}f}"


def magnitude(value: Any, unit: str) -> Any:
    """The magnitude of a Quantity in ``unit``: ``value.m_as(unit)``, with the
    conversion factor cached per (registry, units, target).

    pint parses the target unit string anew at every ``m_as`` (a compound unit
    such as ``"kg/s"`` costs it about 70 µs); this parses each pair once. No
    checks beyond pint's (use :func:`to_si` for a user's argument): meant for
    results read in a loop, such as the hours of an annual run.

    Raises
    ------
    pint.errors.DimensionalityError
        ``value`` cannot be converted to ``unit`` (as ``m_as`` raises).

    Examples
    --------
    >>> magnitude(Q_(3.6, "m^3/h"), "L/s")
    1.0
    >>> magnitude(Q_(25.0, "degC"), "K")
    298.15
    """
    return _m_as(value, unit)


@functools.lru_cache(maxsize=256)
def _unit(unit: str) -> Any:
    return ureg.Unit(unit)


@functools.lru_cache(maxsize=256)
def _template(unit: str) -> Any:
    """A Quantity in ``unit`` (never handed out) whose units :func:`quantity` copies."""
    return Q_(1.0, _unit(unit))
