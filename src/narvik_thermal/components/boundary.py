"""Node boundaries: expansion tanks, pressure boundaries and flow boundaries.

Each is a small frozen record of SI values for one node, validated however it
is made (``from_quantities``, a network file, :meth:`updated`), so a rejected
call leaves the network as it was.

- :class:`ExpansionTank` — the pressure reference of a closed circuit; no flow
  enters or leaves through it in steady state.
- :class:`PressureBoundary` — a fixed pressure of an open circuit (fjord intake,
  outfall); fluid entering there has ``temperature``.
- :class:`FlowBoundary` — a fixed injection (+) or withdrawal (−) of mass or volume
  flow; fluid entering has ``temperature``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from .. import units as U
from ..errors import InputError, user_api
from .kinds import FlowBasis

__all__ = ["Boundary", "ExpansionTank", "PressureBoundary", "FlowBoundary"]


@user_api
@dataclass(frozen=True)
class Boundary:
    """Base of the node boundaries (values in SI)."""

    label: ClassVar[str] = "boundary"
    #: what :meth:`updated` accepts
    updatable: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check the SI values; raise :class:`InputError`."""

    def updated(self, node: str, **values: Any) -> "Boundary":
        """A validated copy with some values changed (Quantities by name)."""
        changes = {}
        for key, value in values.items():
            if value is None:
                continue
            if key not in self.updatable:
                raise InputError(f"update_boundary: node {node!r} has a {self.label}, which has "
                                 f"no {key!r}; it can change {list(self.updatable) or 'nothing'}.")
        try:
            for key, value in values.items():
                if value is not None:
                    changes.update(self._convert(node, key, value))
            # dataclasses.replace(self, **changes), without its per-field bookkeeping:
            # every field is an init field with no conversion, so the new object is this
            # one's fields with the changes, checked as __init__ checks them
            new = object.__new__(type(self))
            vars(new).update(vars(self), **changes)
            new.__post_init__()
            return new
        except InputError as exc:         # (a UnitError stays one)
            raise type(exc)(f"update_boundary({node!r}): {exc}") from None

    def _convert(self, node: str, key: str, value: Any) -> dict:
        if key == "pressure":
            return {"pressure": float(U.to_si(value, "Pa", "pressure"))}
        if key == "temperature":
            return {"temperature": float(U.to_temperature(value, "temperature"))}
        raise AssertionError(key)

    def to_data(self) -> dict:
        """Plain data of this boundary (SI)."""
        out = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.name.lower() if isinstance(v, FlowBasis) else v
        return out


def _positive_pressure(p: float, what: str) -> None:
    if not p > 0:
        raise InputError(f"{what}: pressure={p!r} Pa must be a positive absolute pressure.")


def _absolute(t: float, what: str) -> None:
    if not t > 0:
        raise InputError(f"{what}: temperature={t!r} K must be an absolute temperature (> 0 K).")


@user_api
@dataclass(frozen=True)
class ExpansionTank(Boundary):
    """The pressure reference of a closed circuit.

    Attributes
    ----------
    pressure : float
        Absolute pressure held at the node [Pa].
    """

    pressure: float
    label: ClassVar[str] = "expansion tank"
    updatable: ClassVar[tuple[str, ...]] = ("pressure",)

    @classmethod
    def from_quantities(cls, pressure: Any) -> "ExpansionTank":
        return cls(float(U.to_si(pressure, "Pa", "pressure")))

    def validate(self) -> None:
        _positive_pressure(self.pressure, "expansion tank")


@user_api
@dataclass(frozen=True)
class PressureBoundary(Boundary):
    """A fixed pressure of an open circuit, with the temperature of fluid entering there.

    Attributes
    ----------
    pressure : float
        Absolute pressure [Pa].
    temperature : float
        Temperature of entering fluid [K].
    """

    pressure: float
    temperature: float
    label: ClassVar[str] = "pressure boundary"
    updatable: ClassVar[tuple[str, ...]] = ("pressure", "temperature")

    @classmethod
    def from_quantities(cls, pressure: Any, temperature: Any) -> "PressureBoundary":
        return cls(float(U.to_si(pressure, "Pa", "pressure")),
                   float(U.to_temperature(temperature, "temperature")))

    def validate(self) -> None:
        _positive_pressure(self.pressure, "pressure boundary")
        _absolute(self.temperature, "pressure boundary")


@user_api
@dataclass(frozen=True)
class FlowBoundary(Boundary):
    """A fixed injection (+) or withdrawal (−) at a node.

    Attributes
    ----------
    flow : float
        Mass [kg/s] or volume [m³/s] flow entering the network (negative leaves it).
    basis : FlowBasis
        Whether ``flow`` is a mass or a volume flow.
    temperature : float
        Temperature of entering fluid [K] (ignored for withdrawal).
    """

    flow: float
    basis: FlowBasis
    temperature: float
    label: ClassVar[str] = "flow boundary"
    updatable: ClassVar[tuple[str, ...]] = ("mass_flow", "temperature")

    @classmethod
    def from_quantities(cls, mass_flow: Any, temperature: Any) -> "FlowBoundary":
        mag, basis = U.to_flow(mass_flow, "mass_flow")
        return cls(float(mag), FlowBasis.MASS if basis == "mass" else FlowBasis.VOLUME,
                   float(U.to_temperature(temperature, "temperature")))

    @property
    def is_mass(self) -> bool:
        return self.basis == FlowBasis.MASS

    def validate(self) -> None:
        if not math.isfinite(self.flow):
            raise InputError(f"flow boundary: mass_flow={self.flow!r} must be finite.")
        _absolute(self.temperature, "flow boundary")

    def _convert(self, node: str, key: str, value: Any) -> dict:
        if key == "mass_flow":
            mag, basis = U.to_flow(value, "mass_flow")
            b = FlowBasis.MASS if basis == "mass" else FlowBasis.VOLUME
            if b != self.basis:
                raise InputError(f"update_boundary({node!r}): the flow boundary was given as a "
                                 f"{self.basis.name.lower()} flow; give a "
                                 f"{self.basis.name.lower()} flow.")
            return {"flow": float(mag)}
        return super()._convert(node, key, value)


#: boundary classes by name (network files)
BOUNDARY_TYPES = {c.__name__: c for c in (ExpansionTank, PressureBoundary, FlowBoundary)}
