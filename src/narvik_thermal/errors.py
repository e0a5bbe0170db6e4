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
  network (freezing or boiling coolant, chip over its limit, reversed flow).
- :class:`KernelCacheWarning` — numba cannot keep the compiled kernels where
  it normally does; says where they went and how to choose the place.
"""

from __future__ import annotations

from typing import Any

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
    curve). The same information is in ``result.flags``."""


class KernelCacheWarning(UserWarning):
    """numba cannot write its cache of the compiled kernels next to the sources
    nor in the user-wide cache directory (a read-only installation with an
    unwritable home). The kernels are then cached in a private directory of
    the temporary directory, or compiled without a cache; the message says
    which, once per process. Set ``NUMBA_CACHE_DIR`` to choose the place."""
