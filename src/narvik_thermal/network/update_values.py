"""The values of an update call for some of the names it gives.

:meth:`Network.update <narvik_thermal.network.Network.update>` and
:meth:`~narvik_thermal.network.Network.update_boundary` take one value for every
name or one per name; each component (or boundary) is given the values of its
own names. :func:`per_name` reads a call's value once (a list of Quantities or
strings made one Quantity, the number of values checked), :func:`value_at` picks
a component's from it, and :func:`take` does both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import units as U
from ..errors import InputError

__all__ = ["per_name", "value_at", "take"]


def per_name(value: Any, n: int, key: str) -> tuple[Any, bool]:
    """``(value, True)`` when ``value`` holds one value per name of the ``n`` an update
    names (a list as an array, a list of Quantities or quantity strings as one
    Quantity), ``(value, False)`` when it is one value for all (a scalar, a string, a
    tuple such as a pump curve, anything for a single name).

    Raises
    ------
    UnitError
        A list mixing Quantities with bare numbers or other dimensions.
    InputError
        An array of neither one value nor ``n``.
    """
    if isinstance(value, list) and value and (any(U.is_quantity(v) for v in value)
                                             or all(isinstance(v, str) for v in value)):
        value = U.parse(value, key)       # one Quantity (or a UnitError naming the element)
    if isinstance(value, tuple) or n == 1:
        return value, False
    if isinstance(value, list):
        value = np.asarray(value)
    mag = getattr(value, "magnitude", value)
    arr = type(mag) is np.ndarray           # (np.ndim, np.size: their own attributes)
    if isinstance(value, str) or (mag.ndim if arr else np.ndim(mag)) == 0:
        return value, False
    if (mag.size if arr else np.size(mag)) != n:
        raise InputError(f"update: {key} has {np.size(mag)} values for {n} names; give one "
                         "value or one per name.")
    return value, True


def value_at(value: Any, ks: Any) -> Any:
    """The values of a :func:`per_name` value for the names at positions ``ks`` (an
    index array, or one position; None: all, in order)."""
    return value if ks is None else U.subset(value, ks)


def take(value: Any, ks: Any, n: int, key: str) -> Any:
    """The values of an update for the names at positions ``ks`` (an index array, or one
    position; None: all) of ``n``: :func:`per_name`, then :func:`value_at`."""
    value, each = per_name(value, n, key)
    return value_at(value, ks) if each else value
