"""Cheap argument checks shared by the public correlation functions.

These helpers are private. Public correlation functions call them once on
entry; the private fast-path kernels (``_friction_churchill`` and friends)
never do, so a solver that has already validated its arrays pays nothing.

Every public module ends with ``refuse_quantities(globals(), ...)``: each function of
its ``__all__`` then refuses a pint Quantity argument (:func:`plain_si`), except the
solvers' unchecked variants it names.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import warnings
from typing import Any, Callable

import numpy as np

from ..errors import InputError, RangeWarning
from ..units import is_quantity

__all__: list[str] = []


def describe(a: np.ndarray) -> str:
    """Short text for the offending values of an array (first few)."""
    flat = np.ravel(a)
    if flat.size == 1:
        return f"{flat[0]:.6g}"
    shown = ", ".join(f"{v:.6g}" for v in flat[:3])
    more = f", … ({flat.size} values)" if flat.size > 3 else ""
    return f"[{shown}{more}]"


def as_array(x: Any, name: str, func: str) -> np.ndarray:
    """Convert ``x`` to a float array; raise InputError on NaN/inf or non-numbers.

    (A plain finite float is made a 0-d array without the reductions; an array's
    reductions are its methods, without NumPy's function wrappers: 2 µs each of the
    10 of a check, and a scalar correlation such as a dry cooler's outlet makes tens.)"""
    if type(x) is float and -math.inf < x < math.inf:
        return np.asarray(x)
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{func}: argument {name!r} must be a real number or array of real "
            f"numbers in SI units, got {x!r}. Pass plain floats (use "
            f"quantity.m_as(unit) to strip pint units).") from exc
    if not np.isfinite(a).all():
        bad = a[~np.isfinite(a)]
        raise InputError(
            f"{func}: argument {name!r} contains non-finite values "
            f"({describe(bad)}); expected finite real numbers.")
    return a


def positive(x: Any, name: str, func: str) -> np.ndarray:
    """Array of ``x``; raise InputError naming ``name`` unless all values > 0."""
    if type(x) is float and 0.0 < x < math.inf:      # (see as_array)
        return np.asarray(x)
    a = as_array(x, name, func)
    if (a <= 0.0).any():
        raise InputError(
            f"{func}: argument {name!r} must be > 0, got {describe(a[a <= 0.0])}.")
    return a


def nonnegative(x: Any, name: str, func: str) -> np.ndarray:
    """Array of ``x``; raise InputError naming ``name`` unless all values >= 0."""
    if type(x) is float and 0.0 <= x < math.inf:     # (see as_array)
        return np.asarray(x)
    a = as_array(x, name, func)
    if (a < 0.0).any():
        raise InputError(
            f"{func}: argument {name!r} must be >= 0, got {describe(a[a < 0.0])}.")
    return a


def in_closed(x: Any, name: str, func: str, low: float, high: float) -> np.ndarray:
    """Array of ``x``; raise InputError unless ``low <= x <= high``."""
    if type(x) is float and low <= x <= high and -math.inf < x < math.inf:   # (see as_array)
        return np.asarray(x)
    a = as_array(x, name, func)
    bad = (a < low) | (a > high)
    if bad.any():
        raise InputError(
            f"{func}: argument {name!r} must satisfy {low:g} <= {name} <= {high:g}, "
            f"got {describe(a[bad])}.")
    return a


#: This package's directory: a warning points at the first frame outside it.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_stacklevel() -> int:
    """``warnings.warn``'s stacklevel, for a warning issued by the function that calls
    this one, of the first frame outside :mod:`narvik_thermal.correlations`: the user's
    call, whatever the helpers and wrappers (:func:`plain_si`) in between."""
    frame, level = inspect.currentframe().f_back, 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def warn_range(a: np.ndarray, name: str, func: str, low: float | None,
               high: float | None) -> None:
    """Warn with RangeWarning if any value of ``a`` lies outside [low, high] (pointing
    at the caller outside the correlations, :func:`user_stacklevel`)."""
    bad = np.zeros(np.shape(a), dtype=bool)
    if low is not None:
        bad |= a < low
    if high is not None:
        bad |= a > high
    if np.any(bad):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        warnings.warn(
            f"{func}: {name} = {describe(np.asarray(a)[bad])} is outside the "
            f"validity range {lo} <= {name} <= {hi} of the correlation; the "
            f"result is an extrapolation.", RangeWarning, stacklevel=user_stacklevel())


def out(x: np.ndarray) -> Any:
    """Return a Python float for 0-d results, the array otherwise."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


def finite(x: Any, name: str, func: str) -> np.ndarray:
    """``x`` as a float array; InputError unless it is finite (SI numbers, not Quantities)."""
    if type(x) is float and -math.inf < x < math.inf:      # a plain finite float: no reductions
        return np.asarray(x)
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{func}: {name} must be a real number or array in SI units, "
                         f"got {x!r}; strip pint units with q.m_as(unit).") from None
    if not np.isfinite(a).all():
        raise InputError(f"{func}: {name} contains non-finite values ({x!r}).")
    return a


def positive_temperature(x: Any, name: str, func: str) -> np.ndarray:
    """A finite array of absolute temperatures (> 0 K)."""
    if type(x) is float and 0.0 < x < math.inf:
        return np.asarray(x)
    a = finite(x, name, func)
    if (a <= 0).any():
        raise InputError(f"{func}: {name} must be > 0 (absolute temperatures in K), "
                         f"got {np.ravel(a)[np.ravel(a) <= 0][0]:.6g}.")
    return a


def nonnegative_scalar(x: Any, name: str, func: str) -> float:
    """A finite scalar ≥ 0."""
    if type(x) is float and 0.0 <= x < math.inf:
        return x
    a = finite(x, name, func)
    if a.ndim != 0 or a < 0:
        raise InputError(f"{func}: {name} must be a scalar >= 0, got {x!r}.")
    return float(a)


def deg_c(T: float) -> str:
    """A temperature in K written in °C for messages."""
    return f"{T - 273.15:.1f} °C"


# ------------------------------------------------------------ no pint Quantities
#: Argument types that neither are nor hold a Quantity: the check looks no further.
_PLAIN = frozenset({float, int, bool, str, type(None), np.float64, np.int64, np.bool_})


def _holds_quantity(value: Any, depth: int = 0) -> bool:
    """True when ``value`` is a Quantity or a list/tuple/object array holding one."""
    kind = value.__class__
    if kind is np.ndarray:
        return value.dtype.hasobject and any(_holds_quantity(v, depth) for v in value.flat)
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        return depth < 4 and any(v.__class__ not in _PLAIN and _holds_quantity(v, depth + 1)
                                 for v in value)
    return is_quantity(value)


def _first_quantity(value: Any) -> Any:
    """The first Quantity in ``value`` (itself, or inside lists/tuples/object arrays)."""
    if is_quantity(value):
        return value
    items = value.flat if isinstance(value, np.ndarray) else value
    return next(_first_quantity(v) for v in items if _holds_quantity(v))


def _refuse(func: Callable, args: tuple, kwargs: dict) -> None:
    """Raise the InputError of :func:`plain_si` for the first Quantity argument."""
    try:
        named = list(inspect.signature(func).bind_partial(*args, **kwargs).arguments.items())
    except TypeError:                                  # more arguments than it takes
        named = [(f"argument {i + 1}", a) for i, a in enumerate(args)] + list(kwargs.items())
    name, value = next((n, v) for n, v in named if _holds_quantity(v))
    q = _first_quantity(value)
    try:
        base = q.to_base_units()
        si = f"{describe(np.asarray(base.magnitude, dtype=float))} {base.units:~}"
        kelvin = ("; a temperature in °C or °F gives its base magnitude in kelvin"
                  if q.dimensionality == {"[temperature]": 1} else "")
    except Exception:                                  # noqa: BLE001 (a hint only)
        si, kelvin = "its SI magnitude", ""
    arg = name if name.isidentifier() else "it"
    if q is value:
        where, how = f"{name}={q!r} is", f"pass {arg}.to_base_units().magnitude"
    else:
        where, how = (f"{name} holds {q!r},",
                      "pass plain numbers (each Quantity's .to_base_units().magnitude)")
    label = func.__qualname__.replace(".__init__", "")
    raise InputError(
        f"{label}: {where} a pint Quantity; nt.correlations take plain SI numbers "
        f"(m, kg/s, Pa, K, …) and would drop its unit: {how} — here {q!r} → {si}"
        f"{kelvin}.")


def plain_si(func: Callable) -> Callable:
    """``func`` refusing a pint Quantity in any argument (also inside a list or tuple,
    such as a curve given as (flows, resistances)) with an InputError that says how to
    pass its SI magnitude. Plain numbers and strings pass at the cost of a type look-up
    each, a numeric array at that of a dtype test."""
    @functools.wraps(func)
    def refusing_quantities(*args: Any, **kwargs: Any) -> Any:
        for a in args:
            if a.__class__ not in _PLAIN and _holds_quantity(a):
                _refuse(func, args, kwargs)
        if kwargs:
            for a in kwargs.values():
                if a.__class__ not in _PLAIN and _holds_quantity(a):
                    _refuse(func, args, kwargs)
        return func(*args, **kwargs)
    return refusing_quantities


def refuse_quantities(namespace: dict, *, unchecked: tuple[str, ...] = (),
                      classes: tuple[str, ...] = ()) -> None:
    """Apply :func:`plain_si` to every function named in a module's ``__all__`` and
    defined in it (call ``refuse_quantities(globals())`` at the end of the module).
    ``unchecked`` names the solvers' variants, called at every outer iteration on values
    the network validated, which are left as they are: they have no argument checks by
    contract, or pass anything but plain floats to their checked function.

    ``classes`` names the module's input classes (designs, configurations, curves, maps;
    not the results it returns, which the module itself makes): their constructor and
    every public method defined in the class are checked the same way, except a method
    named ``"Class.method"`` in ``unchecked``."""
    module = namespace["__name__"]
    missing = [n for n in unchecked if n.split(".")[0] not in namespace["__all__"]]
    missing += [n for n in classes if n not in namespace["__all__"]]
    missing += [n for n in unchecked if "." in n and (
        n.split(".")[0] not in classes or not hasattr(namespace[n.split(".")[0]],
                                                      n.split(".")[1]))]
    if missing:
        raise AssertionError(f"{module}: unchecked/classes {missing} are not in its __all__ "
                             "(or not a method of a class in classes)")
    for name in namespace["__all__"]:
        f = namespace[name]
        if (name not in unchecked and inspect.isfunction(inspect.unwrap(f))
                and getattr(f, "__module__", None) == module):
            namespace[name] = plain_si(f)
    for name in classes:
        cls = namespace[name]
        for attr, v in list(vars(cls).items()):
            if (attr != "__init__" and attr.startswith("_")) or f"{name}.{attr}" in unchecked:
                continue
            if inspect.isfunction(v):
                setattr(cls, attr, plain_si(v))
            elif isinstance(v, (classmethod, staticmethod)):
                setattr(cls, attr, type(v)(plain_si(v.__func__)))
