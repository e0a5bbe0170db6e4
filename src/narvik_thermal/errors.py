"""Exceptions and warnings of narvik_thermal.

Every error says what was given, what was expected and how to fix it.

Hierarchy
---------
- :class:`NarvikError` — base of every library error.

  - :class:`InputError` (also a :class:`ValueError`) — a bad argument value.

    - :class:`UnitError` — a dimensioned argument given without units or
      with the wrong physical dimension.

  - :class:`TopologyError` (also a :class:`ValueError`) — the network graph
    is not solvable as given (no pressure reference, island, duplicate name…).
  - :class:`PropertyError` (also a :class:`ValueError`) — a fluid state
    outside the valid range of its property model.
  - :class:`ConvergenceError` — a solver did not converge; carries the
    partial ``result``.

- :class:`RangeWarning` — a correlation used outside its stated validity range.
- :class:`PhysicsWarning` — an unphysical or alarming state in a solved
  network (freezing or boiling coolant, chip over its limit, reversed flow),
  or input weather filled where it was missing.
- :class:`KernelCacheWarning` — numba cannot keep the compiled kernels where
  it normally does; says where they went and how to choose the place.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from typing import Any

import numpy as np

__all__ = [
    "NarvikError",
    "InputError",
    "UnitError",
    "TopologyError",
    "PropertyError",
    "ConvergenceError",
    "RangeWarning",
    "PhysicsWarning",
    "KernelCacheWarning",
    "user_api",
    "require_type",
]


class NarvikError(Exception):
    """Base class of every error raised by narvik_thermal."""


class InputError(NarvikError, ValueError):
    """An argument has a bad value (wrong sign, out of range, wrong shape)."""


class UnitError(InputError):
    """An argument has no units or the wrong physical dimension.

    Attributes
    ----------
    argument : str
        Name of the argument.
    value : object
        What was given.
    expected : str
        The expected dimension, e.g. ``"[pressure]"``.
    """

    def __init__(self, message: str, *, argument: str = "", value: Any = None,
                 expected: str = "") -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value
        self.expected = expected


class TopologyError(NarvikError, ValueError):
    """The network is not well posed as built (graph or boundary conditions)."""


class PropertyError(NarvikError, ValueError):
    """A fluid state lies outside the valid range of the property model.

    Attributes
    ----------
    fluid : str
        Name of the fluid.
    quantity : str
        The state variable that is out of range (e.g. ``"temperature"``).
    values : object
        The offending value(s), in SI units.
    valid_range : tuple
        ``(low, high)`` in SI units.
    """

    def __init__(self, message: str, *, fluid: str = "", quantity: str = "",
                 values: Any = None, valid_range: tuple | None = None) -> None:
        super().__init__(message)
        self.fluid = fluid
        self.quantity = quantity
        self.values = values
        self.valid_range = valid_range


class ConvergenceError(NarvikError):
    """A solver did not converge.

    Attributes
    ----------
    result : object
        The last iterate (a ``SolveResult`` or a network ``Result``), for
        diagnosis; never to be used as an answer.
    """

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class RangeWarning(UserWarning):
    """A correlation was evaluated outside its stated validity range.

    The message names the function, the variable, the offending value(s) and
    the valid range.
    """


class PhysicsWarning(UserWarning):
    """A solved state is unphysical or alarming (freezing, boiling, chip over
    limit, reversed flow through a cold plate or heat exchanger, pump off its
    curve). The same information is in ``result.flags``.

    Also issued when input weather had to be filled: missing values of an
    EnergyPlus weather file (:func:`narvik_thermal.climate.weather_from_epw`)."""


class KernelCacheWarning(UserWarning):
    """numba cannot write its cache of the compiled kernels next to the sources
    nor in the user-wide cache directory (a read-only installation with an
    unwritable home). The kernels are then cached in a private directory of
    the temporary directory, or compiled without a cache; the message says
    which, once per process. Set ``NUMBA_CACHE_DIR`` to choose the place."""


# ------------------------------------------------------------ user-facing calls
def _binding_problem(fn: Any, args: tuple, kwargs: dict) -> str | None:
    """Why ``fn(*args, **kwargs)`` cannot bind its arguments (None if it can)."""
    try:
        sig = inspect.signature(fn)
        sig.bind(*args, **kwargs)
    except TypeError as exc:
        skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        names = [p.name for p in sig.parameters.values()
                 if p.name not in ("self", "cls") and p.kind not in skip]
        label = fn.__qualname__.replace(".__init__", "")
        if "." in label and args:        # a method: name the user's class, not a mixin's
            owner = args[0] if isinstance(args[0], type) else type(args[0])
            if label.split(".")[0] in {c.__name__ for c in getattr(owner, "__mro__", ())}:
                label = f"{owner.__name__}.{label.split('.', 1)[1]}"
        takes_any = any(p.kind == inspect.Parameter.VAR_KEYWORD
                        for p in sig.parameters.values())
        unknown = [] if takes_any else [k for k in kwargs if k not in sig.parameters]
        if unknown:
            k = unknown[0]
            close = difflib.get_close_matches(k, names, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            return (f"{label}() has no argument {k!r}.{hint} It takes {names}.")
        return f"{label}(): {exc}; it takes {names}."
    except ValueError:
        return None
    return None


def _wrap(fn: Any) -> Any:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TypeError as exc:
            problem = _binding_problem(fn, args, kwargs)
            if problem is None:
                problem = _array_for_scalar(fn, args, kwargs, exc)
            if problem is None:
                raise
            raise InputError(problem) from None
    call.__user_api__ = True
    return call


#: NumPy's words when an array is used where one number is needed (``float(array)``)
_SCALAR_ONLY = ("only 0-dimensional arrays can be converted", "only length-1 arrays can be "
                "converted", "only size-1 arrays can be converted")


def _array_for_scalar(fn: Any, args: tuple, kwargs: dict, exc: TypeError) -> str | None:
    """An argument given as an array where one value is taken: which one (None if that
    is not what ``exc`` says)."""
    if not any(t in str(exc) for t in _SCALAR_ONLY):
        return None
    label = fn.__qualname__.replace(".__init__", "")
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs).arguments
    except (TypeError, ValueError):
        bound = dict(kwargs)
    arrays = []
    for k, v in bound.items():
        if k in ("self", "cls"):
            continue
        vals = v.items() if isinstance(v, dict) else [(k, v)]
        for kk, vv in vals:
            if isinstance(vv, (list, tuple)) and any(isinstance(x, str) for x in vv):
                continue                # names, or (kind, element) pairs: not values
            try:
                if np.ndim(getattr(vv, "magnitude", vv)) >= 1 and not isinstance(vv, str):
                    arrays.append(kk)
            except Exception:           # an object NumPy cannot size: not an array
                continue
    which = f" ({', '.join(arrays)})" if arrays else ""
    return (f"{label}(): an argument that takes one value was given several{which}; "
            "give a single value (a scalar Quantity or number), or call once per value.")


def user_api(obj: Any) -> Any:
    """Make a public function or class report argument mistakes as :class:`InputError`.

    Python reports an unknown or missing argument (``add_pipe(..., lenght=...)``)
    as a bare ``TypeError``; wrapped, the call raises an :class:`InputError` that
    names the argument, suggests the near name and lists the valid ones. Only the
    binding of the arguments is checked, and only after a ``TypeError``: a call
    that binds costs nothing more. On a class, ``__init__`` and every public method
    (also class and static methods) are wrapped.
    """
    if isinstance(obj, type):
        for name, attr in list(vars(obj).items()):
            if name.startswith("_") and name != "__init__":
                continue
            if isinstance(attr, (classmethod, staticmethod)):
                if not getattr(attr.__func__, "__user_api__", False):
                    setattr(obj, name, type(attr)(_wrap(attr.__func__)))
            elif inspect.isfunction(attr) and not getattr(attr, "__user_api__", False):
                setattr(obj, name, _wrap(attr))
        return obj
    return obj if getattr(obj, "__user_api__", False) else _wrap(obj)


def require_type(value: Any, kind: type | tuple, name: str, hint: str) -> Any:
    """``value`` if it is an instance of ``kind``, else an :class:`InputError` naming the
    argument, what was given and ``hint`` (how to make the right object)."""
    if not isinstance(value, kind):
        given = repr(value)
        given = given if len(given) <= 60 else given[:57] + "..."
        raise InputError(f"{name}={given} is a {type(value).__name__}; expected {hint}.")
    return value
