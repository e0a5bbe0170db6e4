"""GPU/CPU cold plates: heat into the coolant, a rated pressure drop, chip temperature.

Pressure drop: the rated-point power law
(:func:`narvik_thermal.correlations.cold_plate.power_law_pressure_drop`).
Chip (case) temperature: coolant temperature at the plate inlet + heat × R(V)
(the datasheet convention), with a
conduction part and a convective part that falls with flow
(:func:`narvik_thermal.correlations.cold_plate.thermal_resistance_flow`,
:func:`~narvik_thermal.correlations.cold_plate.chip_temperature`).

The resistance is given either as a rated point (the resistance at the rated
flow, split by ``convective_fraction``, with ``resistance_exponent``) or as a
datasheet curve ``(flows, resistances)``, one curve shared by the plates of
one call. A curve is fitted once, by least squares, to the same three
parameters (:func:`~narvik_thermal.correlations.cold_plate.fit_thermal_resistance_curve`),
so the network evaluates one law for both forms; the curve is kept in the
component (saved with the network, and checked against the fit whenever the
component is validated). The curve belongs to its call: ``Network.update``
changes heat and chip limits, not the curve (a new plate model is a new
``add_cold_plates`` call).

The defaults below are the one set used by ``Network.add_cold_plate`` and the
plant builders (:mod:`narvik_thermal.plant.defaults` cites them).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import units as U
from ..correlations.cold_plate import (chip_temperature, fit_thermal_resistance_curve,
                                       thermal_resistance_flow)
from ..errors import InputError
from .base import (Component, EdgeSide, as_names, broadcast, flow_values, quantities, require,
                   require_positive, temperatures, touches)
from .hydraulics import volume_flow_rated
from .kinds import EdgeKind, FlowBasis, HydraulicLaw, ThermalLaw

__all__ = ["ColdPlates", "chip_temperatures", "DEFAULT_PRESSURE_EXPONENT", "DEFAULT_CONVECTIVE_FRACTION",
           "DEFAULT_RESISTANCE_EXPONENT", "DEFAULT_VOLUME", "DEFAULT_METAL_HEAT_CAPACITY",
           "CURVE_FIT_TOLERANCE", "CHIP_COOLANT_MARGIN"]

#: n in Δp ∝ Vⁿ: 1.75–2 for turbulent or minor-loss dominated passages (quick
#: disconnects, manifolds), 1–1.75 for laminar micro-channels [GEK].
DEFAULT_PRESSURE_EXPONENT = 1.8
#: Share of the rated resistance that is convective and falls with flow [-] [GEK].
DEFAULT_CONVECTIVE_FRACTION = 0.5
#: Exponent of the convective part, R_conv ∝ V^-n: 0.5 laminar developing flow,
#: 0.8 turbulent (Dittus–Boelter) [-] [GEK].
DEFAULT_RESISTANCE_EXPONENT = 0.6
#: Coolant volume of one GPU cold plate with its tubing [m³] (40 mL) [GEK].
DEFAULT_VOLUME = 40e-6
#: Heat capacity of a copper cold plate of about 0.3 kg (c = 385 J/(kg K)) [J/K] [GEK].
DEFAULT_METAL_HEAT_CAPACITY = 0.3 * 385.0
#: Largest relative deviation of a fitted resistance curve from its points
#: before a warning [-]: above the digitising noise of a datasheet figure
#: (the OCP 1 kW OAM curves fit to 2.5 % in PG25, 0.12 % in water).
CURVE_FIT_TOLERANCE = 0.05
#: How far [K] the coolant of a cold plate may exceed its chip before the chip law is
#: flagged outside its validity (``chip_below_coolant``, steady results and transient
#: runs): a chip cannot be colder than the coolant it heats.
CHIP_COOLANT_MARGIN = 0.01
#: Relative agreement required between a stored curve and its stored fit [-].
_FIT_RTOL = 1e-6


@dataclass(frozen=True, eq=False, kw_only=True)
class ColdPlates(Component):
    """Cold plates (struct of arrays, SI).

    Attributes
    ----------
    heat : numpy.ndarray
        Heat from the chip into the coolant per plate [W] (≥ 0).
    r_cond, r_conv : numpy.ndarray
        Conduction and convective (flow-dependent) parts of the case-to-inlet
        resistance at the rated flow [K/W].
    r_exponent : numpy.ndarray
        Exponent of the convective part, R_conv ∝ V^-n [-].
    dp_rated, flow_rated, rated_basis, dp_exponent : numpy.ndarray
        Rated pressure drop [Pa] at the rated flow [kg/s or m³/s, see
        ``rated_basis``], Δp ∝ Vⁿ with n = ``dp_exponent`` [-].
    t_chip_max : numpy.ndarray
        Chip limit [K] (inf: none).
    r_curve_flow, r_curve : numpy.ndarray
        The datasheet curve the resistance was fitted to, shared by the
        plates of the component: flows [m³/s or kg/s, the basis of
        ``rated_basis``] and case-to-inlet resistances [K/W]; empty for the
        rated-point form. ``r_cond``, ``r_conv``, ``r_exponent`` are its fit.
    volume : numpy.ndarray
        Coolant volume of one plate [m³].
    metal_capacity : numpy.ndarray
        Heat capacity of one plate's metal [J/K].
    """

    heat: np.ndarray
    r_cond: np.ndarray
    r_conv: np.ndarray
    r_exponent: np.ndarray
    dp_rated: np.ndarray
    flow_rated: np.ndarray
    rated_basis: np.ndarray
    dp_exponent: np.ndarray
    t_chip_max: np.ndarray
    volume: np.ndarray
    metal_capacity: np.ndarray
    r_curve_flow: np.ndarray
    r_curve: np.ndarray

    kind: ClassVar[EdgeKind] = EdgeKind.COLD_PLATE
    shared_fields: ClassVar[tuple[str, ...]] = ("r_curve_flow", "r_curve")
    label: ClassVar[str] = "cold plate"
    updatable: ClassVar[dict[str, str]] = {
        "heat": "heat into the coolant per plate",
        "max_chip_temperature": "chip limit"}

    @classmethod
    def from_quantities(cls, names: Any, *, heat: Any, thermal_resistance: Any,
                        rated_flow: Any, rated_pressure_drop: Any,
                        pressure_exponent: Any = DEFAULT_PRESSURE_EXPONENT,
                        convective_fraction: Any = None, resistance_exponent: Any = None,
                        max_chip_temperature: Any = None, volume: Any = None,
                        metal_heat_capacity: Any = None, count: Any = 1) -> "ColdPlates":
        """Cold plates from Quantities (see :meth:`narvik_thermal.Network.add_cold_plates`).

        ``thermal_resistance`` is a resistance at ``rated_flow`` (one, or one per
        plate) or a tuple ``(flows, resistances)``: a datasheet curve shared by
        the plates, fitted by
        :func:`~narvik_thermal.correlations.cold_plate.fit_thermal_resistance_curve`.
        ``convective_fraction`` and ``resistance_exponent`` (defaults
        :data:`DEFAULT_CONVECTIVE_FRACTION`, :data:`DEFAULT_RESISTANCE_EXPONENT`)
        belong to the rated-point form; a curve fixes both.
        """
        names = as_names(names)
        n = len(names)
        fr, basis = flow_values(rated_flow, n, "rated_flow")
        if isinstance(thermal_resistance, tuple):
            r_cond, r_conv, r_exp, cflow, cres = _from_curve(
                thermal_resistance, fr, basis, n, convective_fraction, resistance_exponent)
        else:
            R = quantities(thermal_resistance, "K/W", n, "thermal_resistance")
            require_positive(R, "thermal_resistance", names, "K/W", "cold plate")
            cf = quantities(DEFAULT_CONVECTIVE_FRACTION if convective_fraction is None
                            else convective_fraction, "", n, "convective_fraction")
            require((cf >= 0) & (cf <= 1), cf, "convective_fraction", names, "", "in [0, 1]",
                    "cold plate")
            r_cond, r_conv = R * (1 - cf), R * cf
            r_exp = quantities(DEFAULT_RESISTANCE_EXPONENT if resistance_exponent is None
                               else resistance_exponent, "", n, "resistance_exponent")
            cflow, cres = np.empty(0), np.empty(0)
        return cls(
            names=names, count=quantities(count, "", n, "count"),
            heat=quantities(heat, "W", n, "heat"), r_cond=r_cond, r_conv=r_conv,
            r_exponent=r_exp,
            dp_rated=quantities(rated_pressure_drop, "Pa", n, "rated_pressure_drop"),
            flow_rated=fr, rated_basis=basis,
            dp_exponent=quantities(pressure_exponent, "", n, "pressure_exponent"),
            t_chip_max=(np.full(n, np.inf) if max_chip_temperature is None
                        else temperatures(max_chip_temperature, n, "max_chip_temperature")),
            volume=(np.full(n, DEFAULT_VOLUME) if volume is None
                    else quantities(volume, "m^3", n, "volume")),
            metal_capacity=(np.full(n, DEFAULT_METAL_HEAT_CAPACITY) if metal_heat_capacity is None
                            else quantities(metal_heat_capacity, "J/K", n, "metal_heat_capacity")),
            r_curve_flow=cflow, r_curve=cres)

    def validate(self) -> None:
        self.validate_update(None)

    def validate_update(self, changed: frozenset | None) -> None:
        """The checks of :meth:`validate`, in its order; after an update, those that
        read a field in ``changed`` (None: all)."""
        nm, w = self.names, "cold plate"
        if touches(changed, "heat"):
            require_positive(self.heat, "heat", nm, "W", w, allow_zero=True)
        if touches(changed, "r_cond"):
            require_positive(self.r_cond, "thermal_resistance (conduction part)", nm, "K/W", w,
                             allow_zero=True)
        if touches(changed, "r_conv"):
            require_positive(self.r_conv, "thermal_resistance (convective part)", nm, "K/W", w,
                             allow_zero=True)
        if touches(changed, "r_cond", "r_conv"):
            require(self.r_cond + self.r_conv > 0, self.r_cond + self.r_conv,
                    "thermal_resistance", nm, "K/W", "positive", w)
        if touches(changed, "r_exponent"):
            require_positive(self.r_exponent, "resistance_exponent", nm, "", w, allow_zero=True)
        if touches(changed, "dp_rated"):
            require_positive(self.dp_rated, "rated_pressure_drop", nm, "Pa", w)
        if touches(changed, "flow_rated"):
            require_positive(self.flow_rated, "rated_flow", nm, "(SI)", w)
        if touches(changed, "dp_exponent"):
            require((self.dp_exponent >= 1) & (self.dp_exponent <= 2.5), self.dp_exponent,
                    "pressure_exponent", nm, "", "in [1, 2.5]", w)
        if touches(changed, "t_chip_max"):
            require(self.t_chip_max > 0, self.t_chip_max, "max_chip_temperature", nm, "K",
                    "an absolute temperature", w)
        if touches(changed, "volume"):
            require_positive(self.volume, "volume", nm, "m³", w, allow_zero=True)
        if touches(changed, "metal_capacity"):
            require_positive(self.metal_capacity, "metal_heat_capacity", nm, "J/K", w,
                             allow_zero=True)
        if touches(changed, "r_curve_flow", "r_curve", "rated_basis", "flow_rated", "r_cond",
                   "r_conv", "r_exponent"):
            self._validate_curve()

    def _validate_curve(self) -> None:
        """A stored curve is well formed and the stored resistance is its fit."""
        cf, cr = self.r_curve_flow, self.r_curve
        if cf.size == 0 and cr.size == 0:
            return
        if np.any(self.rated_basis != self.rated_basis[0]):
            raise InputError("cold plate: plates sharing a thermal_resistance curve need one "
                             "kind of rated_flow (all mass or all volume flows).")
        fit = fit_thermal_resistance_curve(cf, cr, self.flow_rated)   # checks the points
        ok = (np.isclose(self.r_cond, fit.R_conduction, rtol=_FIT_RTOL, atol=1e-12)
              & np.isclose(self.r_conv, fit.R_convection_rated, rtol=_FIT_RTOL, atol=1e-12)
              & np.isclose(self.r_exponent, fit.exponent, rtol=_FIT_RTOL, atol=1e-9))
        require(ok, self.r_cond + self.r_conv, "thermal_resistance (at the rated flow)",
                self.names, "K/W", f"the fit of its curve, R_cond = {fit.R_conduction:.6g} K/W "
                f"+ R_conv V^-{fit.exponent:.4g} (a curve and its fit cannot be set apart)",
                "cold plate")

    @classmethod
    def from_data(cls, data: dict, where: str = "data") -> "ColdPlates":
        # files written before curves existed have no curve fields: the rated-point form
        if isinstance(data, dict):
            data = {"r_curve_flow": [], "r_curve": [], **data}
        return super().from_data(data, where)

    @classmethod
    def _enum_fields(cls):
        return {"rated_basis": FlowBasis}

    def edge_sides(self) -> tuple[EdgeSide, ...]:
        p = dict(heat=self.heat, dp_rated=self.dp_rated, flow_rated=self.flow_rated,
                 rated_basis=self.rated_basis, dp_exponent=self.dp_exponent,
                 r_cond=self.r_cond, r_conv=self.r_conv, r_exponent=self.r_exponent,
                 t_chip_max=self.t_chip_max)
        return (EdgeSide("", EdgeKind.COLD_PLATE, HydraulicLaw.POWER_LAW, ThermalLaw.FIXED_HEAT,
                         p),)

    def fluid_volume(self) -> np.ndarray:
        return self.volume[None, :].copy()

    def metal_heat_capacity(self) -> np.ndarray:
        return self.metal_capacity[None, :].copy()

    def _convert_update(self, key, value, index):
        if key == "heat":
            return {"heat": broadcast(U.to_si(value, "W", "heat"), index.size, "heat")}
        return {"t_chip_max": broadcast(U.to_temperature(value, "max_chip_temperature"),
                                        index.size, "max_chip_temperature")}


def _from_curve(curve: tuple, flow_rated: np.ndarray, basis: np.ndarray, n: int,
                convective_fraction: Any, resistance_exponent: Any):
    """The fitted resistance fields and the SI curve of ``thermal_resistance=(flows, R)``."""
    if convective_fraction is not None or resistance_exponent is not None:
        raise InputError("cold plate: thermal_resistance=(flows, resistances) is a curve, which "
                         "fixes the flow dependence; give convective_fraction and "
                         "resistance_exponent only with a single rated resistance.")
    if len(curve) != 2:
        raise InputError(f"cold plate: thermal_resistance as a tuple must be (flows, "
                         f"resistances), got {len(curve)} items.")
    flows, res = curve
    mag, kind = U.to_flow(flows, "thermal_resistance flows")
    cflow = np.atleast_1d(np.asarray(mag, dtype=float)).ravel()
    cres = np.atleast_1d(np.asarray(U.to_si(res, "K/W", "thermal_resistance"),
                                    dtype=float)).ravel()
    code = FlowBasis.MASS if kind == "mass" else FlowBasis.VOLUME
    if np.any(basis != code):
        raise InputError(f"cold plate: the thermal_resistance curve is given against {kind} "
                         f"flow but rated_flow is a {FlowBasis(int(basis[0])).name.lower()} "
                         "flow; give both as volume flows (e.g. L/min) or both as mass flows.")
    fit = fit_thermal_resistance_curve(cflow, cres, flow_rated)
    if fit.max_deviation > CURVE_FIT_TOLERANCE:
        warnings.warn(f"cold plate: the fitted law R = R_cond + R_conv V^-n deviates by up to "
                      f"{100 * fit.max_deviation:.1f} % from the thermal_resistance curve "
                      f"(tolerance {100 * CURVE_FIT_TOLERANCE:.0f} %); check the points, or "
                      "give the part of the curve in the flow range that matters.",
                      UserWarning, stacklevel=4)
    return (np.full(n, fit.R_conduction), np.broadcast_to(fit.R_convection_rated, (n,)).copy(),
            np.full(n, fit.exponent), cflow, cres)


def chip_temperatures(cn, state) -> np.ndarray:
    """Chip (case) temperature of every cold-plate edge of a solved network [K].

    The law of :class:`ColdPlates` over the compiled network's cold-plate group
    (``cn.kgroups[EdgeKind.COLD_PLATE]``, in its order):
    :func:`~narvik_thermal.correlations.cold_plate.thermal_resistance_flow` at
    the solved flow per plate and
    :func:`~narvik_thermal.correlations.cold_plate.chip_temperature` from the
    coolant temperature at the plate's inlet. Used by the result and by controls that hold
    a chip temperature.

    Parameters
    ----------
    cn : CompiledNetwork
    state : SteadyState
        A solved state of ``cn``.
    """
    grp = cn.kgroups[EdgeKind.COLD_PLATE]
    if not len(grp):
        return np.empty(0)
    i = grp.idx
    P = grp.params
    rho = state.density_edge[i]
    V = np.abs(state.mass_flow[i]) / (cn.count[i] * rho)
    Vr = volume_flow_rated(P["flow_rated"], P["rated_basis"], rho)
    R = thermal_resistance_flow(V, P["r_cond"], P["r_conv"], Vr, P["r_exponent"])
    # case-to-inlet resistance (datasheet convention): the coolant entering the plate
    T_in = state.temperature[state.upstream[i]]
    with np.errstate(invalid="ignore"):
        return chip_temperature(T_in, P["heat"], R)
