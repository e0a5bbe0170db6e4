"""Heat exchangers coupling two circuits (effectiveness–NTU).

Each exchanger puts two edges into the network, ``name:hot`` and ``name:cold``,
whose heat law is :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`
of the solved capacity rates (:func:`narvik_thermal.components.thermal.edge_heat_coefficients`);
each side may have a rated pressure drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, one_of, quantities, rated_drop,
                   rated_law, rated_params, require, require_positive, validate_rated)
from .kinds import Arrangement, EdgeKind, FlowBasis, ThermalLaw, enum_codes

__all__ = ["HeatExchangers"]


@dataclass(frozen=True, eq=False, kw_only=True)
class HeatExchangers(Component):
    """Heat exchangers (struct of arrays, SI); edges ``name:hot`` and ``name:cold``.

    Attributes
    ----------
    ua : numpy.ndarray
        Overall conductance of one exchanger [W/K] (NaN where ``effectiveness`` is given).
    effectiveness : numpy.ndarray
        Given effectiveness [-] (NaN where ``ua`` is given).
    arrangement : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.Arrangement` code.
    hot_dp_rated, hot_flow_rated, hot_rated_basis, hot_dp_exponent : numpy.ndarray
        Optional rated pressure drop of the hot side; ``cold_*`` the same for the cold side.
    hot_volume, cold_volume : numpy.ndarray
        Fluid volume of each side of one exchanger [m³] (for transients; 0 by default).
    metal_capacity : numpy.ndarray
        Heat capacity of one exchanger's plates [J/K] (for transients; 0 by default),
        shared equally by the two sides.
    """

    ua: np.ndarray
    effectiveness: np.ndarray
    arrangement: np.ndarray
    hot_dp_rated: np.ndarray
    hot_flow_rated: np.ndarray
    hot_rated_basis: np.ndarray
    hot_dp_exponent: np.ndarray
    cold_dp_rated: np.ndarray
    cold_flow_rated: np.ndarray
    cold_rated_basis: np.ndarray
    cold_dp_exponent: np.ndarray
    hot_volume: np.ndarray
    cold_volume: np.ndarray
    metal_capacity: np.ndarray

    label: ClassVar[str] = "heat exchanger"
    sides: ClassVar[tuple[str, ...]] = (":hot", ":cold")
    updatable: ClassVar[dict[str, str]] = {"ua": "overall conductance",
                                           "effectiveness": "given effectiveness"}

    @classmethod
    def from_quantities(cls, names: Any, *, ua: Any = None, effectiveness: Any = None,
                        arrangement: Any = "counterflow", hot_pressure_drop: Any = None,
                        hot_rated_flow: Any = None, cold_pressure_drop: Any = None,
                        cold_rated_flow: Any = None, pressure_exponent: Any = 2.0,
                        hot_volume: Any = None, cold_volume: Any = None,
                        metal_heat_capacity: Any = None, count: Any = 1) -> "HeatExchangers":
        """Heat exchangers from Quantities (see :meth:`narvik_thermal.Network.add_heat_exchanger`)."""
        names = as_names(names)
        n = len(names)
        what = f"heat exchanger {names[0]!r}"
        arr = enum_codes(Arrangement, arrangement, "arrangement", what)
        if (ua is None) == (effectiveness is None):
            raise InputError(f"{what}: give exactly one of ua= or effectiveness=.")
        nan = np.full(n, np.nan)
        zero = np.zeros(n)
        return cls(
            names=names, count=quantities(count, "", n, "count"),
            ua=nan if ua is None else quantities(ua, "W/K", n, "ua"),
            effectiveness=nan if effectiveness is None else quantities(effectiveness, "", n,
                                                                       "effectiveness"),
            arrangement=np.full(n, int(arr), np.int8),
            **rated_drop(names, hot_pressure_drop, hot_rated_flow, pressure_exponent,
                         f"{what} hot side", prefix="hot_"),
            **rated_drop(names, cold_pressure_drop, cold_rated_flow, pressure_exponent,
                         f"{what} cold side", prefix="cold_"),
            hot_volume=zero if hot_volume is None else quantities(hot_volume, "m^3", n,
                                                                  "hot_volume"),
            cold_volume=zero if cold_volume is None else quantities(cold_volume, "m^3", n,
                                                                    "cold_volume"),
            metal_capacity=zero if metal_heat_capacity is None else quantities(
                metal_heat_capacity, "J/K", n, "metal_heat_capacity"))

    def validate(self) -> None:
        nm, w = self.names, "heat exchanger"
        has_ua = ~np.isnan(self.ua)
        has_eps = ~np.isnan(self.effectiveness)
        require(has_ua != has_eps, self.ua, "ua", nm, "W/K",
                "given where effectiveness is not (exactly one of ua= or effectiveness=)", w)
        require(~has_ua | (self.ua > 0), self.ua, "ua", nm, "W/K", "positive", w)
        eps = self.effectiveness
        require(~has_eps | ((eps > 0) & (eps <= 1)), eps, "effectiveness", nm, "", "in (0, 1]", w)
        require(one_of(self.arrangement, Arrangement), self.arrangement,
                "arrangement", nm, "", "an Arrangement code", w)
        validate_rated(self, f"{w} hot side", prefix="hot_")
        validate_rated(self, f"{w} cold side", prefix="cold_")
        for k in ("hot_volume", "cold_volume", "metal_capacity"):
            require_positive(getattr(self, k), k, nm, "", w, allow_zero=True)

    @classmethod
    def _enum_fields(cls):
        return {"arrangement": Arrangement, "hot_rated_basis": FlowBasis,
                "cold_rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        common = dict(hx_ua=self.ua, hx_eps=self.effectiveness, arrangement=self.arrangement)
        return (EdgeSide(":hot", EdgeKind.HX_HOT, rated_law(self, "hot_"), ThermalLaw.HX,
                         {**rated_params(self, "hot_"), **common}),
                EdgeSide(":cold", EdgeKind.HX_COLD, rated_law(self, "cold_"), ThermalLaw.HX,
                         {**rated_params(self, "cold_"), **common}))

    def fluid_volume(self) -> np.ndarray:
        return np.vstack([self.hot_volume, self.cold_volume])

    def metal_heat_capacity(self) -> np.ndarray:
        return np.vstack([0.5 * self.metal_capacity, 0.5 * self.metal_capacity])

    def updated(self, index, **values):
        # ua and effectiveness replace each other
        if "ua" in values and "effectiveness" in values:
            raise InputError("update_exchanger: give exactly one of ua= or effectiveness=.")
        return super().updated(index, **values)

    def _convert_update(self, key, value, index):
        m = index.size
        if key == "ua":
            return {"ua": broadcast(U.to_si(value, "W/K", "ua"), m, "ua"),
                    "effectiveness": np.full(m, np.nan)}
        return {"effectiveness": broadcast(U.to_si(value, "", "effectiveness"), m,
                                           "effectiveness"),
                "ua": np.full(m, np.nan)}
