"""Heat exchangers coupling two circuits (effectiveness–NTU).

Each exchanger puts two edges into the network, ``name:hot`` and ``name:cold``,
whose heat law is :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`
of the solved capacity rates (:func:`narvik_thermal.components.thermal.edge_heat_coefficients`);
each side may have a rated pressure drop. With design flows the UA follows the
solved flows of the two sides (:func:`narvik_thermal.correlations.hx.ua_off_design`);
without them it is constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, flow_values, one_of, quantities,
                   rated_drop, rated_law, rated_params, require, require_positive,
                   validate_rated)
from .kinds import Arrangement, EdgeKind, FlowBasis, ThermalLaw, enum_codes

__all__ = ["HeatExchangers", "DEFAULT_FLOW_EXPONENT", "DEFAULT_HOT_FILM_SHARE",
           "DEFAULT_WALL_SHARE", "OFF_DESIGN_FIELDS"]

#: n in h ∝ Reⁿ ∝ ṁⁿ of both films [-]: the local exponent of Martin's chevron-plate
#: correlation (VDI Heat Atlas B6, :func:`narvik_thermal.correlations.plate_hx.film_exponent_plate`)
#: is 0.71–0.73 for 2000 ≤ Re ≤ 10⁴ and φ = 30–65° (0.726 at Re 3000, φ 45°, about the
#: channel Re of water, PG25 and seawater at a rated 50–60 kPa per side); 0.67–0.71 for
#: 1000 ≤ Re < 2000. Muley–Manglik (1999) gives 0.70–0.78.
DEFAULT_FLOW_EXPONENT = 0.72
#: The hot film's part of the two films' design resistance [-]: 0.5, equal film
#: coefficients (water on both sides, similar flows).
DEFAULT_HOT_FILM_SHARE = 0.5
#: The part of the design resistance 1/UA₀ in the plate wall and fouling [-]: a
#: titanium plate of 0.5 mm (k = 21.9 W/(m K), Bergman et al. 2011 Table A.1) with
#: seawater fouling 7×10⁻⁵ m² K/W (narvik-facts R45/R46) at U = 3,125 W/(m² K)
#: (clean 4,000, R44): (2.3×10⁻⁵ + 7×10⁻⁵) × 3125 = 0.29.
DEFAULT_WALL_SHARE = 0.29
#: Fields of the off-design UA law (added in file version 2 without a version change:
#: a file without them loads with a constant UA).
OFF_DESIGN_FIELDS = ("hot_design_flow", "hot_design_basis", "cold_design_flow",
                     "cold_design_basis", "flow_exponent", "hot_film_share", "wall_share")


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
    hot_design_flow, cold_design_flow : numpy.ndarray
        Flow of each side of one exchanger at which the UA is ``ua`` [kg/s or m³/s, by
        ``*_design_basis``]; NaN: constant UA.
    hot_design_basis, cold_design_basis : numpy.ndarray of int8
        :class:`~narvik_thermal.components.kinds.FlowBasis` of the design flows
        (a volume flow is turned into a mass flow with the side's solved density).
    flow_exponent : numpy.ndarray
        n in h ∝ ṁⁿ of both films [-] (:data:`DEFAULT_FLOW_EXPONENT`).
    hot_film_share : numpy.ndarray
        Hot film's part of the two films' design resistance [-] (:data:`DEFAULT_HOT_FILM_SHARE`).
    wall_share : numpy.ndarray
        Wall-and-fouling part of the design resistance 1/UA [-] (:data:`DEFAULT_WALL_SHARE`).

    Notes
    -----
    With design flows, UA at the solved flows is
    :func:`narvik_thermal.correlations.hx.ua_off_design` of the per-unit flow ratios
    (evaluated each outer iteration by
    :func:`narvik_thermal.components.thermal.edge_heat_coefficients`).
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
    hot_design_flow: np.ndarray
    hot_design_basis: np.ndarray
    cold_design_flow: np.ndarray
    cold_design_basis: np.ndarray
    flow_exponent: np.ndarray
    hot_film_share: np.ndarray
    wall_share: np.ndarray

    label: ClassVar[str] = "heat exchanger"
    sides: ClassVar[tuple[str, ...]] = (":hot", ":cold")
    updatable: ClassVar[dict[str, str]] = {
        "ua": "overall conductance (at the design flows, if given)",
        "effectiveness": "given effectiveness",
        "design_flows": "(hot, cold) flows at which UA is ua; None: constant UA",
        "flow_exponent": "n in h ∝ ṁⁿ of the films",
        "hot_film_share": "hot film's part of the films' design resistance",
        "wall_share": "wall-and-fouling part of the design resistance"}

    @classmethod
    def from_quantities(cls, names: Any, *, ua: Any = None, effectiveness: Any = None,
                        arrangement: Any = "counterflow", hot_pressure_drop: Any = None,
                        hot_rated_flow: Any = None, cold_pressure_drop: Any = None,
                        cold_rated_flow: Any = None, pressure_exponent: Any = 2.0,
                        hot_volume: Any = None, cold_volume: Any = None,
                        metal_heat_capacity: Any = None, design_flows: Any = None,
                        flow_exponent: Any = None, hot_film_share: Any = None,
                        wall_share: Any = None, count: Any = 1) -> "HeatExchangers":
        """Heat exchangers from Quantities (see :meth:`narvik_thermal.Network.add_heat_exchanger`)."""
        names = as_names(names)
        n = len(names)
        what = f"heat exchanger {names[0]!r}"
        arr = enum_codes(Arrangement, arrangement, "arrangement", what)
        if (ua is None) == (effectiveness is None):
            raise InputError(f"{what}: give exactly one of ua= or effectiveness=.")
        if design_flows is None:
            given = [k for k, v in (("flow_exponent", flow_exponent),
                                    ("hot_film_share", hot_film_share),
                                    ("wall_share", wall_share)) if v is not None]
            if given:
                raise InputError(f"{what}: {', '.join(given)} only act with design_flows=(hot, "
                                 "cold), the flows at which UA is ua; give design_flows= or "
                                 f"leave out {', '.join(given)}.")
        elif effectiveness is not None:
            raise InputError(f"{what}: design_flows= makes the UA follow the flows; it needs "
                             "ua= (the UA at the design flows), not effectiveness=.")
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
                metal_heat_capacity, "J/K", n, "metal_heat_capacity"),
            **_design_flow_fields(design_flows, n),
            flow_exponent=quantities(DEFAULT_FLOW_EXPONENT if flow_exponent is None
                                     else flow_exponent, "", n, "flow_exponent"),
            hot_film_share=quantities(DEFAULT_HOT_FILM_SHARE if hot_film_share is None
                                      else hot_film_share, "", n, "hot_film_share"),
            wall_share=quantities(DEFAULT_WALL_SHARE if wall_share is None else wall_share,
                                  "", n, "wall_share"))

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
        # off-design UA law
        dh, dc = self.hot_design_flow, self.cold_design_flow
        has_d = ~np.isnan(dh)
        require(has_d == ~np.isnan(dc), dc, "cold_design_flow", nm, "(SI)",
                "given together with hot_design_flow (design_flows=(hot, cold))", w)
        require(~has_d | ((dh > 0) & np.isfinite(dh)), dh, "hot_design_flow", nm, "(SI)",
                "positive and finite", w)
        require(~has_d | ((dc > 0) & np.isfinite(dc)), dc, "cold_design_flow", nm, "(SI)",
                "positive and finite", w)
        require(~has_d | has_ua, dh, "hot_design_flow", nm, "(SI)",
                "NaN where effectiveness is given: design flows need ua= (the UA at "
                "the design flows); pass design_flows=None with effectiveness=", w)
        codes = [int(b) for b in FlowBasis]
        for k in ("hot_design_basis", "cold_design_basis"):
            require(np.isin(getattr(self, k), codes), getattr(self, k), k, nm, "",
                    "a FlowBasis code", w)
        x = self.flow_exponent
        require((x > 0) & (x <= 1), x, "flow_exponent", nm, "", "in (0, 1] (0.72 for chevron "
                "plates, 0.8 turbulent tubes)", w)
        x = self.hot_film_share
        require((x >= 0) & (x <= 1), x, "hot_film_share", nm, "", "in [0, 1]", w)
        x = self.wall_share
        require((x >= 0) & (x < 1), x, "wall_share", nm, "", "in [0, 1)", w)

    @classmethod
    def _enum_fields(cls):
        return {"arrangement": Arrangement, "hot_rated_basis": FlowBasis,
                "cold_rated_basis": FlowBasis, "hot_design_basis": FlowBasis,
                "cold_design_basis": FlowBasis}

    @classmethod
    def from_data(cls, data: dict, where: str = "data") -> "HeatExchangers":
        # files written before the off-design law have none of its fields: constant UA
        if isinstance(data, dict) and isinstance(data.get("names"), list) and not any(
                k in data for k in OFF_DESIGN_FIELDS):
            n = len(data["names"])
            data = {**data, "hot_design_flow": [None] * n, "cold_design_flow": [None] * n,
                    "hot_design_basis": ["mass"] * n, "cold_design_basis": ["mass"] * n,
                    "flow_exponent": [DEFAULT_FLOW_EXPONENT] * n,
                    "hot_film_share": [DEFAULT_HOT_FILM_SHARE] * n,
                    "wall_share": [DEFAULT_WALL_SHARE] * n}
        return super().from_data(data, where)

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        common = dict(hx_ua=self.ua, hx_eps=self.effectiveness, arrangement=self.arrangement,
                      hx_hot_design=self.hot_design_flow,
                      hx_hot_design_basis=self.hot_design_basis,
                      hx_cold_design=self.cold_design_flow,
                      hx_cold_design_basis=self.cold_design_basis,
                      hx_flow_exponent=self.flow_exponent,
                      hx_hot_film_share=self.hot_film_share, hx_wall_share=self.wall_share)
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
        if key == "design_flows":
            return _design_flow_fields(value, m)
        if key in ("flow_exponent", "hot_film_share", "wall_share"):
            return {key: broadcast(U.to_si(value, "", key), m, key)}
        if key == "ua":
            return {"ua": broadcast(U.to_si(value, "W/K", "ua"), m, "ua"),
                    "effectiveness": np.full(m, np.nan)}
        return {"effectiveness": broadcast(U.to_si(value, "", "effectiveness"), m,
                                           "effectiveness"),
                "ua": np.full(m, np.nan)}


def _design_flow_fields(design_flows: Any, n: int) -> dict[str, np.ndarray]:
    """The four design-flow fields from ``(hot, cold)`` (mass or volume flows) or None."""
    if design_flows is None:
        return {"hot_design_flow": np.full(n, np.nan), "cold_design_flow": np.full(n, np.nan),
                "hot_design_basis": np.full(n, int(FlowBasis.MASS), np.int8),
                "cold_design_basis": np.full(n, int(FlowBasis.MASS), np.int8)}
    if isinstance(design_flows, str) or not isinstance(design_flows, (tuple, list)) \
            or len(design_flows) != 2:
        raise InputError(f"design_flows={design_flows!r} must be a pair (hot, cold) of mass "
                         "or volume flows, e.g. (Q_(30, 'kg/s'), Q_(110, 'm^3/h')), or None.")
    hv, hb = flow_values(design_flows[0], n, "design_flows[0] (hot)")
    cv, cb = flow_values(design_flows[1], n, "design_flows[1] (cold)")
    return {"hot_design_flow": hv, "hot_design_basis": hb,
            "cold_design_flow": cv, "cold_design_basis": cb}
