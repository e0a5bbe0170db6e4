"""Operating limits of a circuit, checked on every solved network.

Each is a small frozen record of SI values, validated however it is made
(``from_quantities``, a network file), and set on the circuit that contains a
node (:meth:`narvik_thermal.Network.set_dew_point`,
:meth:`~narvik_thermal.Network.set_pressure_rating`):

- :class:`DewPoint` — the dew point of the room a circuit runs through, and a
  safety margin: a node colder than dew point + margin would sweat
  (``condensation`` flag). Set it on the technology cooling system (TCS) in
  the white space: its supply is kept at least 2–3 K above the room dew point
  (narvik-facts §2, R19).
- :class:`PressureRating` — the nominal pressure of the circuit's pipes and
  equipment, a *gauge* pressure as PN ratings are (PN16: 16 bar above the
  standard atmosphere, :data:`narvik_thermal.network.result.P_ATMOSPHERE`): a
  node above it is flagged (``over_pressure``).

A third check needs no setting: a node of a closed circuit (one held by an
expansion tank) below one standard atmosphere lets air in at vents, seals and
high points (``sub_atmospheric``; see :class:`narvik_thermal.network.Result`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from .. import units as U
from ..errors import InputError

__all__ = ["DewPoint", "PressureRating", "DEFAULT_DEW_POINT_MARGIN"]

#: Margin kept between the coolant and the room dew point [K]: "at least 2–3 K"
#: (narvik-facts §2, R19).
DEFAULT_DEW_POINT_MARGIN = 2.0


@dataclass(frozen=True)
class _Limit:
    """Base of the circuit limits: validation on construction, plain data."""

    label: ClassVar[str] = "limit"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check the SI values; raise :class:`InputError`."""

    def to_data(self) -> dict:
        """Plain data (SI floats) of this limit."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: Any, where: str = "data"):
        """Rebuild from :meth:`to_data` output, validated; errors name ``where``."""
        try:
            return cls(**{k: float(v) for k, v in dict(data).items()})
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: a {cls.label} must be a mapping of numbers "
                             f"({exc}).") from None


@dataclass(frozen=True)
class DewPoint(_Limit):
    """The dew point of the room a circuit runs through.

    Attributes
    ----------
    dew_point : float
        Dew point of the room air [K].
    margin : float
        Margin kept above it [K] (default 2 K).
    """

    dew_point: float
    margin: float = DEFAULT_DEW_POINT_MARGIN
    label: ClassVar[str] = "dew point"

    @classmethod
    def from_quantities(cls, dew_point: Any, margin: Any = f"{DEFAULT_DEW_POINT_MARGIN} K"
                        ) -> "DewPoint":
        """A dew point (absolute temperature) and a margin (temperature difference)."""
        return cls(float(U.to_temperature(dew_point, "dew_point")),
                   float(U.to_temperature_difference(margin, "margin")))

    @property
    def limit(self) -> float:
        """Coldest coolant allowed: dew point + margin [K]."""
        return self.dew_point + self.margin

    def validate(self) -> None:
        if not (math.isfinite(self.dew_point) and self.dew_point > 0):
            raise InputError(f"dew point: dew_point={self.dew_point!r} K must be a finite "
                             "absolute temperature.")
        if not (math.isfinite(self.margin) and self.margin >= 0):
            raise InputError(f"dew point: margin={self.margin!r} K must be a finite, "
                             "non-negative temperature difference (e.g. '2 K').")


@dataclass(frozen=True)
class PressureRating(_Limit):
    """The nominal (gauge) pressure rating of a circuit's pipes and equipment.

    Attributes
    ----------
    rating : float
        Highest allowed pressure above the standard atmosphere [Pa] (PN16:
        16e5 Pa).
    """

    rating: float
    label: ClassVar[str] = "pressure rating"

    @classmethod
    def from_quantities(cls, rating: Any) -> "PressureRating":
        """A rating as a pressure Quantity, read as gauge (PN16 = ``"16 bar"``)."""
        return cls(float(U.to_si(rating, "Pa", "rating")))

    def validate(self) -> None:
        if not (math.isfinite(self.rating) and self.rating > 0):
            raise InputError(f"pressure rating: rating={self.rating!r} Pa must be a finite, "
                             "positive gauge pressure (PN16 is '16 bar').")
