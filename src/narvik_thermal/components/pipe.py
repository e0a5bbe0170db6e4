"""Pipes: Darcy–Weisbach with a selectable friction law, minor losses, heat loss.

The pressure-drop law is :func:`narvik_thermal.components.hydraulics.edge_losses`
(kernel :func:`narvik_thermal.components._hydraulic_kernels.darcy_losses`), whose
friction factor is :func:`narvik_thermal.correlations.friction.friction_all_regimes`
(Churchill by default; Colebrook, Swamee–Jain or Haaland on request, to reproduce
another tool's choice). Heat loss to the surroundings is an exponential decay
towards ``ambient`` with conductance ``ua`` (:mod:`narvik_thermal.components.thermal`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, one_of, quantities, require,
                   require_positive, temperatures)
from .kinds import EdgeKind, FrictionLaw, HydraulicLaw, ThermalLaw, enum_codes

__all__ = ["Pipes", "DEFAULT_ROUGHNESS"]

#: Absolute roughness of commercial steel pipe [m] (Moody 1944); drawn stainless or
#: PE is 0.0015–0.007 mm.
DEFAULT_ROUGHNESS = 0.045e-3


@dataclass(frozen=True, eq=False, kw_only=True)
class Pipes(Component):
    """Pipes (struct of arrays, SI).

    Attributes
    ----------
    length, diameter : numpy.ndarray
        Length and inner diameter [m].
    roughness : numpy.ndarray
        Absolute wall roughness [m].
    minor_loss : numpy.ndarray
        Sum of loss coefficients of fittings, referred to the pipe velocity [-].
    friction : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.FrictionLaw` code of each pipe.
    ua : numpy.ndarray
        Conductance to the surroundings of one pipe [W/K] (0 without heat loss).
    ambient : numpy.ndarray
        Temperature of the surroundings [K] (NaN: no heat loss, adiabatic pipe).
    outer_diameter : numpy.ndarray
        Outer diameter [m] (NaN when not given); the reference of a ``u_value``
        per m² when ``u_value_area="outer"``.
    """

    length: np.ndarray
    diameter: np.ndarray
    roughness: np.ndarray
    minor_loss: np.ndarray
    friction: np.ndarray
    ua: np.ndarray
    ambient: np.ndarray
    outer_diameter: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.PIPE
    label: ClassVar[str] = "pipe"
    updatable: ClassVar[dict[str, str]] = {
        "ambient": "temperature of the surroundings (pipes with heat loss)"}

    @classmethod
    def from_quantities(cls, names: Any, *, length: Any, diameter: Any,
                        roughness: Any = f"{DEFAULT_ROUGHNESS * 1e3} mm", minor_loss: Any = 0.0,
                        friction: Any = "churchill", u_value: Any = None, ambient: Any = None,
                        outer_diameter: Any = None, u_value_area: str = "inner",
                        count: Any = 1) -> "Pipes":
        """Pipes from Quantities (see :meth:`narvik_thermal.Network.add_pipe`)."""
        names = as_names(names)
        n = len(names)
        L = quantities(length, "m", n, "length")
        D = quantities(diameter, "m", n, "diameter")
        code = np.full(n, int(enum_codes(FrictionLaw, friction, "friction", "pipe")), np.int8)
        Do = (np.full(n, np.nan) if outer_diameter is None
              else quantities(outer_diameter, "m", n, "outer_diameter"))
        if u_value_area not in ("inner", "outer"):
            raise InputError(f"pipe {names[0]!r}: u_value_area={u_value_area!r} must be "
                             "'inner' (the default: per m² of inner wall) or 'outer'.")
        ua = np.zeros(n)
        amb = np.full(n, np.nan)
        if u_value is not None or ambient is not None:
            if u_value is None or ambient is None:
                raise InputError(f"pipe {names[0]!r}: u_value and ambient go together: give "
                                 "both for a pipe that exchanges heat with its surroundings, "
                                 "or neither.")
            q = U.parse(u_value, "u_value")
            if q.check("[power] / [length] / [temperature]"):
                ua = quantities(q, "W/(m*K)", n, "u_value") * L
            elif q.check("[power] / [length] ** 2 / [temperature]"):
                if u_value_area == "outer":
                    if np.any(np.isnan(Do)):
                        raise InputError(f"pipe {names[0]!r}: u_value_area='outer' needs "
                                         "outer_diameter=.")
                    ref = Do
                else:
                    ref = D
                ua = quantities(q, "W/(m^2*K)", n, "u_value") * np.pi * ref * L
            else:
                raise InputError(f"pipe {names[0]!r}: u_value={q} has dimension "
                                 f"{q.dimensionality}; expected W/(m·K) per metre of pipe or "
                                 "W/(m²·K) per m² of wall.")
            amb = temperatures(ambient, n, "ambient")
        return cls(names=names, count=quantities(count, "", n, "count"), length=L, diameter=D,
                   roughness=quantities(roughness, "m", n, "roughness"),
                   minor_loss=quantities(minor_loss, "", n, "minor_loss"), friction=code,
                   ua=ua, ambient=amb, outer_diameter=Do)

    def validate(self) -> None:
        nm = self.names
        require_positive(self.length, "length", nm, "m", "pipe")
        require_positive(self.diameter, "diameter", nm, "m", "pipe")
        require_positive(self.roughness, "roughness", nm, "m", "pipe", allow_zero=True)
        require_positive(self.minor_loss, "minor_loss", nm, "", "pipe", allow_zero=True)
        require_positive(self.ua, "ua", nm, "W/K", "pipe", allow_zero=True)
        require(one_of(self.friction, FrictionLaw), self.friction,
                "friction", nm, "", "a FrictionLaw code", "pipe")
        has = ~np.isnan(self.ambient)
        if has.any() and not has.all():
            raise InputError(f"pipes {nm[int(np.flatnonzero(~has)[0])]!r} and "
                             f"{nm[int(np.flatnonzero(has)[0])]!r}: give heat loss (u_value, "
                             "ambient) to all pipes of one call or to none.")
        if has.any():
            require(self.ambient > 0, self.ambient, "ambient", nm, "K", "an absolute temperature",
                    "pipe")
        require(has | (self.ua == 0), self.ua, "ua", nm, "W/K", "0 without an ambient "
                "temperature (u_value and ambient go together)", "pipe")
        od = ~np.isnan(self.outer_diameter)
        require(~od | (self.outer_diameter > self.diameter), self.outer_diameter,
                "outer_diameter", nm, "m", "larger than the inner diameter", "pipe")

    @classmethod
    def _enum_fields(cls):
        return {"friction": FrictionLaw}

    @property
    def has_heat_loss(self) -> bool:
        return bool(np.any(~np.isnan(self.ambient)))

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        params = dict(length=self.length, diameter=self.diameter, roughness=self.roughness,
                      minor_loss=self.minor_loss, friction=self.friction)
        tlaw = ThermalLaw.ADIABATIC
        if self.has_heat_loss:
            params.update(ua=self.ua, ambient=self.ambient)
            tlaw = ThermalLaw.AMBIENT
        return (EdgeSide("", EdgeKind.PIPE, HydraulicLaw.DARCY, tlaw, params),)

    def fluid_volume(self) -> np.ndarray:
        return (0.25 * np.pi * self.diameter ** 2 * self.length)[None, :]

    def _convert_update(self, key, value, index):
        if not self.has_heat_loss:
            raise InputError(f"update: pipe {self.names[int(index[0])]!r} has no heat loss; "
                             "'ambient' applies to pipes added with u_value= and ambient=.")
        return {"ambient": broadcast(U.to_temperature(value, "ambient"), index.size, "ambient")}
