"""CoolProp backend: the only module of narvik_thermal that imports CoolProp.

:class:`CoolPropLiquid` wraps one CoolProp ``AbstractState`` [1]_ behind the
state-pair method names of the fluids layer (``density_pT``, ``cp_pT``, ...),
modelled on TESPy's ``FluidPropertyWrapper``. Every call goes to CoolProp, so
it is slow (5–100 µs per point); it is used only to build the property tables of
a :class:`~narvik_thermal.fluids.Fluid` once, and by the tests as the reference.
The hot path (:class:`~narvik_thermal.fluids.Fluid` methods) never calls it.

CoolProp is imported lazily, on the first table build, so that
``import narvik_thermal`` stays fast and has no side effects.

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, "Pure and Pseudo-pure
   Fluid Thermophysical Property Evaluation and the Open-Source Thermophysical
   Property Library CoolProp", Ind. Eng. Chem. Res. 53(6), 2498–2508, 2014,
   doi:10.1021/ie4033999.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["CoolPropLiquid", "coolprop_modules"]

logger = logging.getLogger(__name__)

#: Reference pressure of the tables [Pa] (one standard atmosphere).
P_REF = 101325.0


@functools.lru_cache(maxsize=None)
def coolprop_modules() -> tuple[Any, Any]:
    """Import CoolProp on first use; return ``(CoolProp, CoolProp.CoolProp)``."""
    import CoolProp  # noqa: PLC0415  (lazy on purpose)
    import CoolProp.CoolProp as CP  # noqa: PLC0415

    return CoolProp, CP


class CoolPropLiquid:
    """Liquid-phase properties of one CoolProp fluid, point by point.

    Parameters
    ----------
    backend : {"HEOS", "INCOMP"}
        CoolProp backend: Helmholtz equations of state (pure fluids such as
        water) or incompressible liquids and aqueous solutions [1]_.
    fluid : str
        CoolProp fluid name, e.g. ``"Water"``, ``"MPG"``, ``"T66"``.
    mass_fraction : float, optional
        Solute mass fraction for INCOMP solutions (``MPG``, ``MEG``,
        ``MITSW``) [-].

    Notes
    -----
    HEOS states are evaluated with the phase imposed as liquid, so states at
    the saturation pressure give saturated-liquid properties. INCOMP fluids
    in CoolProp have no pressure dependence except ``h = u + p/ρ``.

    References
    ----------
    .. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, "Pure and Pseudo-pure
       Fluid Thermophysical Property Evaluation and the Open-Source Thermophysical
       Property Library CoolProp", Ind. Eng. Chem. Res. 53(6), 2498–2508, 2014,
       doi:10.1021/ie4033999.
    """

    def __init__(self, backend: str, fluid: str, mass_fraction: float | None = None) -> None:
        CoolProp, CP = coolprop_modules()
        self.backend = backend
        self.fluid = fluid
        self.mass_fraction = mass_fraction
        try:
            state = CP.AbstractState(backend, fluid)
            if mass_fraction is not None:
                state.set_mass_fractions([float(mass_fraction)])
        except ValueError as exc:
            raise InputError(
                f"CoolProp does not know the fluid {self.label!r} ({exc}). Give a CoolProp "
                "pure-fluid name such as 'Water' or 'Ethanol', or 'INCOMP::<name>' "
                "(e.g. 'INCOMP::T66', 'INCOMP::MPG[0.3]'); see "
                "http://www.coolprop.org/fluid_properties/Incompressibles.html") from None
        self._state = state
        self._liquid = CoolProp.iphase_liquid
        self._PT = CoolProp.PT_INPUTS
        self._QT = CoolProp.QT_INPUTS
        self._PQ = CoolProp.PQ_INPUTS

    @property
    def label(self) -> str:
        """CoolProp string of the fluid, e.g. ``"INCOMP::MPG[0.25]"``."""
        frac = "" if self.mass_fraction is None else f"[{self.mass_fraction:g}]"
        return f"{self.backend}::{self.fluid}{frac}"

    # -- limits ---------------------------------------------------------------
    def temperature_limits(self) -> tuple[float, float]:
        """CoolProp's ``(Tmin, Tmax)`` of the fluid [K]."""
        return float(self._state.Tmin()), float(self._state.Tmax())

    def freezing_temperature(self) -> float | None:
        """Freezing temperature of an INCOMP solution [K], or None if CoolProp has none."""
        if self.backend != "INCOMP" or self.mass_fraction is None:
            return None
        CoolProp, _ = coolprop_modules()
        try:
            value = float(self._state.keyed_output(CoolProp.iT_freeze))
        except ValueError:
            return None
        return value if np.isfinite(value) and value > 1.0 else None

    def triple_temperature(self) -> float:
        """Triple-point temperature of a HEOS fluid [K]."""
        return float(self._state.Ttriple())

    def critical_point(self) -> tuple[float, float]:
        """``(T_crit [K], p_crit [Pa])`` of a HEOS fluid."""
        return float(self._state.T_critical()), float(self._state.p_critical())

    def triple_pressure(self) -> float:
        """Triple-point pressure of a HEOS fluid [Pa]."""
        return float(self._state.p_triple())

    # -- saturation (HEOS, or INCOMP fluids that define it) --------------------
    def saturation_pressure_T(self, T: Any) -> np.ndarray:
        """Saturation (bubble) pressure at temperature ``T`` [K] → [Pa]."""
        return self._saturated(T, lambda s, t: s.update(self._QT, 0.0, t), "p")

    def saturation_temperature_p(self, p: Any) -> np.ndarray:
        """Saturation temperature at pressure ``p`` [Pa] → [K]."""
        return self._saturated(p, lambda s, x: s.update(self._PQ, x, 0.0), "T")

    def _saturated(self, x: Any, update, output: str) -> np.ndarray:
        """``output`` of the saturated liquid at each value of ``x`` (``update``
        sets the state from one value)."""
        s = self._state
        if self.backend == "HEOS":
            s.unspecify_phase()
        get = getattr(s, output)
        out = np.empty(np.shape(x))
        for idx, v in np.ndenumerate(np.asarray(x, dtype=float)):
            update(s, v)
            out[idx] = get()
        return out

    # -- single-phase liquid states ---------------------------------------------
    def _update(self, T: float, p: float) -> None:
        s = self._state
        if self.backend == "HEOS":
            s.specify_phase(self._liquid)
        s.update(self._PT, p, T)

    def properties_pT(self, T: Any, p: Any,
                      keys: tuple[str, ...] = ("density", "cp", "viscosity",
                                               "conductivity", "enthalpy")
                      ) -> dict[str, np.ndarray]:
        """All requested liquid properties at broadcast ``(T [K], p [Pa])``.

        Returns a dict with arrays for ``density`` [kg/m³], ``cp`` [J/(kg·K)],
        ``viscosity`` [Pa·s], ``conductivity`` [W/(m·K)], ``enthalpy`` [J/kg].
        """
        T_b, p_b = np.broadcast_arrays(np.asarray(T, dtype=float), np.asarray(p, dtype=float))
        out = {k: np.empty(T_b.shape) for k in keys}
        s = self._state
        getters = {"density": s.rhomass, "cp": s.cpmass, "viscosity": s.viscosity,
                   "conductivity": s.conductivity, "enthalpy": s.hmass}
        funcs = [(out[k], getters[k]) for k in keys]
        for idx in np.ndindex(T_b.shape):
            self._update(T_b[idx], p_b[idx])
            for arr, get in funcs:
                arr[idx] = get()
        return out

    def density_pT(self, T: Any, p: Any) -> np.ndarray:
        """Density [kg/m³] at ``T`` [K], ``p`` [Pa]."""
        return self.properties_pT(T, p, ("density",))["density"]

    def cp_pT(self, T: Any, p: Any) -> np.ndarray:
        """Isobaric specific heat capacity [J/(kg·K)] at ``T`` [K], ``p`` [Pa]."""
        return self.properties_pT(T, p, ("cp",))["cp"]

    def viscosity_pT(self, T: Any, p: Any) -> np.ndarray:
        """Dynamic viscosity [Pa·s] at ``T`` [K], ``p`` [Pa]."""
        return self.properties_pT(T, p, ("viscosity",))["viscosity"]

    def conductivity_pT(self, T: Any, p: Any) -> np.ndarray:
        """Thermal conductivity [W/(m·K)] at ``T`` [K], ``p`` [Pa]."""
        return self.properties_pT(T, p, ("conductivity",))["conductivity"]

    def enthalpy_pT(self, T: Any, p: Any) -> np.ndarray:
        """Specific enthalpy [J/kg] at ``T`` [K], ``p`` [Pa] (CoolProp's reference state)."""
        return self.properties_pT(T, p, ("enthalpy",))["enthalpy"]

    def __repr__(self) -> str:
        return f"CoolPropLiquid({self.label!r})"
