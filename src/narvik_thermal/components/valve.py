"""Control and check valves: a Kv law with an inherent opening characteristic;
pressure-breaker valves: a fixed pressure drop.

The flow coefficient at an opening is
:func:`narvik_thermal.correlations.minor_loss.valve_Kv` (VDI/VDE 2173: ``Kvs/R``
at the closed end of the control range, ``Kvs`` fully open), the one
implementation the network also uses; ``opening = 0`` is tight shut-off (a
linear back-resistance, see
:data:`narvik_thermal.components.hydraulics.CHECK_VALVE_BACK_RESISTANCE`).

Pressure-reducing and pressure-sustaining valves are Kv valves whose opening
a control holds at a pressure (:meth:`narvik_thermal.Network.add_pressure_reducing_valve`);
a pressure-breaker valve (:class:`PressureBreakers`) imposes its drop at any
flow, in either direction, as EPANET's active PBV does (Rossman et al.,
*EPANET 2.2 User Manual*, EPA/600/R-20/133, 2020, §3.1, Valves).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, one_of, quantities, require,
                   rise_values, touches)
from .kinds import EdgeKind, HydraulicLaw, RiseBasis, ThermalLaw, ValveCharacteristic, enum_codes

__all__ = ["Valves", "PressureBreakers", "DEFAULT_RANGEABILITY"]

#: Rangeability Kvs/Kv0 of a control valve when none is given [-] (typical
#: globe valves 30–50, VDI/VDE 2173) [GEK].
DEFAULT_RANGEABILITY = 50.0


@dataclass(frozen=True, eq=False, kw_only=True)
class Valves(Component):
    """Valves (struct of arrays, SI).

    Attributes
    ----------
    kvs : numpy.ndarray
        Flow coefficient at full opening [m³/h at 1 bar, water].
    opening : numpy.ndarray
        Relative travel 0…1 [-]; 0 is tight shut-off.
    characteristic : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.ValveCharacteristic` code.
    rangeability : numpy.ndarray
        Kvs/Kv0 [-] (> 1).
    check : numpy.ndarray of int8
        1 for a check valve (blocks flow from end to start).
    """

    kvs: np.ndarray
    opening: np.ndarray
    characteristic: np.ndarray
    rangeability: np.ndarray
    check: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.VALVE
    label: ClassVar[str] = "valve"
    updatable: ClassVar[dict[str, str]] = {"opening": "relative travel 0…1",
                                           "kvs": "flow coefficient at full opening"}

    @classmethod
    def from_quantities(cls, names: Any, *, kvs: Any, opening: Any = 1.0,
                        characteristic: Any = "linear", rangeability: Any = DEFAULT_RANGEABILITY,
                        check: Any = False, count: Any = 1) -> "Valves":
        """Valves from Quantities (see :meth:`narvik_thermal.Network.add_valve`)."""
        names = as_names(names)
        n = len(names)
        ch = enum_codes(ValveCharacteristic, characteristic, "characteristic",
                        f"valve {names[0]!r}")
        return cls(names=names, count=quantities(count, "", n, "count"),
                   kvs=quantities(kvs, "m^3/h", n, "kvs"),
                   opening=quantities(opening, "", n, "opening"),
                   characteristic=np.full(n, int(ch), np.int8),
                   rangeability=quantities(rangeability, "", n, "rangeability"),
                   check=broadcast(check, n, "check", dtype=bool).astype(np.int8))

    def validate(self) -> None:
        self.validate_update(None)

    def validate_update(self, changed: frozenset | None) -> None:
        """The checks of :meth:`validate`, in its order; after an update, those that
        read a field in ``changed`` (None: all)."""
        nm = self.names
        if touches(changed, "kvs"):
            require(self.kvs > 0, self.kvs, "kvs", nm, "m³/h", "positive", "valve")
        if touches(changed, "opening"):
            require((self.opening >= 0) & (self.opening <= 1), self.opening, "opening", nm, "",
                    "in [0, 1]", "valve")
        if touches(changed, "rangeability"):
            require(self.rangeability > 1, self.rangeability, "rangeability", nm, "",
                    "larger than 1", "valve")
        if touches(changed, "characteristic"):
            require(one_of(self.characteristic, ValveCharacteristic),
                    self.characteristic, "characteristic", nm, "", "a ValveCharacteristic code",
                    "valve")
        if touches(changed, "check"):
            require(one_of(self.check, (0, 1)), self.check, "check", nm, "", "0 or 1", "valve")

    @classmethod
    def _enum_fields(cls):
        return {"characteristic": ValveCharacteristic}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        p = dict(kvs=self.kvs, opening=self.opening, characteristic=self.characteristic,
                 rangeability=self.rangeability, check=self.check)
        return (EdgeSide("", EdgeKind.VALVE, HydraulicLaw.VALVE_KV, ThermalLaw.ADIABATIC, p),)

    def _convert_update(self, key, value, index):
        if key == "kvs":
            return {"kvs": broadcast(U.to_si(value, "m^3/h", "kvs"), index.size, "kvs")}
        return {"opening": broadcast(U.to_si(value, "", "opening"), index.size, "opening")}


@dataclass(frozen=True, eq=False, kw_only=True)
class PressureBreakers(Component):
    """Pressure-breaker valves (struct of arrays, SI): a fixed pressure drop from
    start to end at any flow, in either direction (EPANET's active PBV).

    Attributes
    ----------
    drop : numpy.ndarray
        Pressure drop [Pa] or head drop [m] (``rise_basis``), > 0.
    rise_basis : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.RiseBasis` of ``drop``.
    """

    drop: np.ndarray
    rise_basis: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.VALVE
    label: ClassVar[str] = "pressure-breaker valve"
    updatable: ClassVar[dict[str, str]] = {
        "drop": "pressure or head drop (as when added)"}

    @classmethod
    def from_quantities(cls, names: Any, *, drop: Any, count: Any = 1) -> "PressureBreakers":
        """Pressure breakers from Quantities (see
        :meth:`narvik_thermal.Network.add_pressure_breaker_valve`)."""
        names = as_names(names)
        n = len(names)
        v, basis = rise_values(drop, n, "drop")
        return cls(names=names, count=quantities(count, "", n, "count"), drop=v,
                   rise_basis=basis)

    def validate(self) -> None:
        require(np.isfinite(self.drop) & (self.drop > 0), self.drop, "drop", self.names, "(SI)",
                "positive and finite (swap start and end for a drop the other way)",
                "pressure-breaker valve")
        require(one_of(self.rise_basis, RiseBasis), self.rise_basis, "rise_basis", self.names, "",
                "a RiseBasis code", "pressure-breaker valve")

    @classmethod
    def _enum_fields(cls):
        return {"rise_basis": RiseBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        # the law of an ideal pump of fixed rise, with the rise negative: a drop
        p = dict(fixed_rise=-self.drop, rise_basis=self.rise_basis,
                 speed=np.ones(len(self.names)))
        return (EdgeSide("", EdgeKind.VALVE, HydraulicLaw.FIXED_RISE, ThermalLaw.ADIABATIC, p),)

    def _convert_update(self, key, value, index):
        v, basis = rise_values(value, index.size, "drop")
        if np.any(basis != self.rise_basis[index]):
            was = RiseBasis(int(self.rise_basis[index][0])).name.lower()
            raise InputError(f"update: pressure-breaker valve {self.names[int(index[0])]!r} was "
                             f"given a {was} drop; give the same kind.")
        return {"drop": v}
