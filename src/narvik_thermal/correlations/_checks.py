"""Cheap argument checks shared by the public correlation functions.

These helpers are private. Public correlation functions call them once on
entry; the private fast-path kernels (``_friction_churchill`` and friends)
never do, so a solver that has already validated its arrays pays nothing.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning

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
    """Convert ``x`` to a float array; raise InputError on NaN/inf or non-numbers."""
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{func}: argument {name!r} must be a real number or array of real "
            f"numbers in SI units, got {x!r}. Pass plain floats (use "
            f"quantity.m_as(unit) to strip pint units).") from exc
    if not np.all(np.isfinite(a)):
        bad = a[~np.isfinite(a)]
        raise InputError(
            f"{func}: argument {name!r} contains non-finite values "
            f"({describe(bad)}); expected finite real numbers.")
    return a


def positive(x: Any, name: str, func: str) -> np.ndarray:
    """Array of ``x``; raise InputError naming ``name`` unless all values > 0."""
    a = as_array(x, name, func)
    if np.any(a <= 0.0):
        raise InputError(
            f"{func}: argument {name!r} must be > 0, got {describe(a[a <= 0.0])}.")
    return a


def nonnegative(x: Any, name: str, func: str) -> np.ndarray:
    """Array of ``x``; raise InputError naming ``name`` unless all values >= 0."""
    a = as_array(x, name, func)
    if np.any(a < 0.0):
        raise InputError(
            f"{func}: argument {name!r} must be >= 0, got {describe(a[a < 0.0])}.")
    return a


def in_closed(x: Any, name: str, func: str, low: float, high: float) -> np.ndarray:
    """Array of ``x``; raise InputError unless ``low <= x <= high``."""
    a = as_array(x, name, func)
    bad = (a < low) | (a > high)
    if np.any(bad):
        raise InputError(
            f"{func}: argument {name!r} must satisfy {low:g} <= {name} <= {high:g}, "
            f"got {describe(a[bad])}.")
    return a


def warn_range(a: np.ndarray, name: str, func: str, low: float | None,
               high: float | None, *, stacklevel: int = 3) -> None:
    """Warn with RangeWarning if any value of ``a`` lies outside [low, high]."""
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
            f"result is an extrapolation.", RangeWarning, stacklevel=stacklevel)


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
    if not np.all(np.isfinite(a)):
        raise InputError(f"{func}: {name} contains non-finite values ({x!r}).")
    return a


def positive_temperature(x: Any, name: str, func: str) -> np.ndarray:
    """A finite array of absolute temperatures (> 0 K)."""
    if type(x) is float and 0.0 < x < math.inf:
        return np.asarray(x)
    a = finite(x, name, func)
    if np.any(a <= 0):
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
