"""Refrigerant property backend for heat-pump cycles (CoolProp HEOS).

:class:`Refrigerant` wraps one ``CoolProp.AbstractState`` (Helmholtz-energy
equation of state, backend ``"HEOS"``) behind SI methods named after their
input pair, in the style of TESPy's ``FluidPropertyWrapper``: ``h_pT``,
``s_pT``, ``h_ps``, ``T_ph``, ``h_Tq``, ``s_Tq``, plus saturation
pressure/temperature. All inputs and outputs are SI floats (K, Pa, J/kg,
J/(kg·K)); small arrays are evaluated in a plain loop (a cycle needs a handful
of state points, so no tables are built here).

A state outside the fluid's range raises :class:`~narvik_thermal.errors.PropertyError`
naming the fluid, the quantity, the value and the valid range.

Use :func:`refrigerant` (cached) rather than the constructor in loops.

Examples
--------
>>> from narvik_thermal.fluids.refrigerant import refrigerant
>>> nh3 = refrigerant("R717")
>>> round(nh3.T_critical - 273.15, 1)
132.4
>>> round(nh3.saturation_pressure_T(273.15) / 1e5, 3)   # NH3 at 0 degC [bar]
4.292
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ..errors import InputError, PropertyError

__all__ = ["Refrigerant", "refrigerant", "refrigerant_names", "coolprop_name"]

#: Common names accepted as aliases of CoolProp names.
_ALIASES = {
    "ammonia": "R717", "nh3": "R717", "co2": "R744", "carbondioxide": "R744",
    "isobutane": "R600a", "propane": "R290", "r1234ze": "R1234ze(E)",
}


@functools.lru_cache(maxsize=1)
def refrigerant_names() -> tuple[str, ...]:
    """Names of all pure fluids known to CoolProp (the valid ``name`` values)."""
    import CoolProp.CoolProp as CP
    names = CP.get_global_param_string("FluidsList").split(",")
    return tuple(sorted(names))


def coolprop_name(name: str) -> str:
    """The CoolProp name a refrigerant name or alias stands for, without importing
    CoolProp (whether CoolProp knows it is checked when the property object is made).

    Examples
    --------
    >>> coolprop_name("CO2"), coolprop_name("R717")
    ('R744', 'R717')
    """
    return _resolve_name(name)


def _resolve_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"refrigerant name must be a non-empty string, got {name!r}; "
                         "e.g. 'R717', 'R744', 'R1234ze(E)'.")
    key = name.strip()
    alias = _ALIASES.get(key.lower().replace(" ", "").replace("-", ""))
    return alias or key


class Refrigerant:
    """A pure refrigerant evaluated with CoolProp's HEOS backend.

    Parameters
    ----------
    name : str
        CoolProp fluid name or alias: ``"R717"`` (ammonia), ``"R744"`` (CO2),
        ``"R1234ze(E)"``, ``"R600a"``, ``"R290"``, ``"R134a"``, ... Any pure
        fluid of :func:`refrigerant_names`.

    Attributes
    ----------
    name : str
        The CoolProp name used.
    T_critical : float
        Critical temperature [K].
    p_critical : float
        Critical pressure [Pa].
    T_min : float
        Lowest temperature of the equation of state [K].
    T_max : float
        Highest temperature of the equation of state [K].
    p_max : float
        Highest pressure of the equation of state [Pa].
    T_triple : float
        Triple-point temperature [K].
    p_triple : float
        Triple-point pressure [Pa].

    Notes
    -----
    Instances hold a mutable ``AbstractState``; they are not thread-safe.
    The library uses them only between calls, never shared across threads.

    References
    ----------
    .. [1] I. H. Bell, J. Wronski, S. Quoilin, V. Lemort, "Pure and Pseudo-pure
       Fluid Thermophysical Property Evaluation and the Open-Source
       Thermophysical Property Library CoolProp", Ind. Eng. Chem. Res. 53(6),
       2498–2508, 2014. DOI: 10.1021/ie4033999
    """

    def __init__(self, name: str) -> None:
        import CoolProp
        import CoolProp.CoolProp as CP

        cp_name = _resolve_name(name)
        try:
            state = CP.AbstractState("HEOS", cp_name)
        except ValueError:
            raise InputError(
                f"unknown refrigerant {name!r}: CoolProp has no pure fluid of that "
                f"name. Use a CoolProp name such as 'R717', 'R744', 'R1234ze(E)', "
                f"'R600a', 'R134a' or 'R290' (see refrigerant_names()).") from None
        self.name = cp_name
        self._state = state
        self._CoolProp = CoolProp
        self.T_critical = float(state.T_critical())
        self.p_critical = float(state.p_critical())
        self.T_min = float(state.Tmin())
        self.T_max = float(state.Tmax())
        self.p_max = float(state.pmax())
        self.T_triple = float(state.Ttriple())
        state.update(CoolProp.QT_INPUTS, 0.0, max(self.T_triple, self.T_min))
        self.p_triple = float(state.p())

    def __repr__(self) -> str:
        return f"Refrigerant({self.name!r})"

    # ------------------------------------------------------------------ helpers
    def _check(self, quantity: str, values: np.ndarray, low: float, high: float,
               unit: str) -> None:
        if values.ndim == 0:
            # one state (a cycle's state points): plain comparisons, no array reduction
            v = float(values)
            if low <= v <= high and math.isfinite(v):
                return
            values = values.reshape(1)
        bad = (values < low) | (values > high) | ~np.isfinite(values)
        if np.any(bad):
            first = float(values[bad].flat[0])
            raise PropertyError(
                f"{self.name}: {quantity}={first:.6g} {unit} is outside the valid "
                f"range [{low:.6g}, {high:.6g}] {unit} of the property model.",
                fluid=self.name, quantity=quantity, values=values[bad],
                valid_range=(low, high))

    def _eval(self, pair: int, a: Any, b: Any, out: str, qa: str, qb: str) -> Any:
        """Evaluate ``out`` for the input pair over broadcast arrays ``a``, ``b``
        (two scalars: one flash, returned as a float)."""
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        st = self._state
        getter = getattr(st, out)
        if a.ndim == 0 and b.ndim == 0:
            try:
                st.update(pair, float(a), float(b))
                return float(getter())
            except ValueError as exc:
                raise PropertyError(
                    f"{self.name}: no valid state at {qa}={float(a):.6g}, "
                    f"{qb}={float(b):.6g} (CoolProp: {exc}).",
                    fluid=self.name, quantity=f"{qa},{qb}",
                    values=(float(a), float(b))) from None
        a_arr, b_arr = np.broadcast_arrays(a, b)
        result = np.empty(a_arr.shape)
        for idx in np.ndindex(a_arr.shape):
            try:
                st.update(pair, float(a_arr[idx]), float(b_arr[idx]))
                result[idx] = getter()
            except ValueError as exc:
                raise PropertyError(
                    f"{self.name}: no valid state at {qa}={float(a_arr[idx]):.6g}, "
                    f"{qb}={float(b_arr[idx]):.6g} (CoolProp: {exc}).",
                    fluid=self.name, quantity=f"{qa},{qb}",
                    values=(float(a_arr[idx]), float(b_arr[idx]))) from None
        return float(result) if result.ndim == 0 else result

    def _check_T(self, T: Any) -> np.ndarray:
        arr = np.asarray(T, dtype=float)
        self._check("temperature", arr, self.T_min, self.T_max, "K")
        return arr

    def _check_p(self, p: Any) -> np.ndarray:
        arr = np.asarray(p, dtype=float)
        self._check("pressure", arr, 1e-6, self.p_max, "Pa")
        return arr

    def _check_Tsat(self, T: Any) -> np.ndarray:
        arr = np.asarray(T, dtype=float)
        self._check("saturation temperature", arr, max(self.T_triple, self.T_min),
                    self.T_critical, "K")
        return arr

    def _check_q(self, q: Any) -> np.ndarray:
        arr = np.asarray(q, dtype=float)
        self._check("quality", arr, 0.0, 1.0, "-")
        return arr

    # ------------------------------------------------------------- saturation
    def saturation_pressure_T(self, T: Any) -> Any:
        """Saturation pressure at temperature ``T`` [K] → [Pa] (triple to critical point)."""
        T = self._check_Tsat(T)
        return self._eval(self._CoolProp.QT_INPUTS, np.zeros_like(T), T, "p",
                          "quality", "T")

    def saturation_temperature_p(self, p: Any) -> Any:
        """Saturation temperature at pressure ``p`` [Pa] → [K] (triple to critical point)."""
        p = np.asarray(p, dtype=float)
        self._check("saturation pressure", p, self.p_triple, self.p_critical, "Pa")
        return self._eval(self._CoolProp.PQ_INPUTS, p, np.zeros_like(p), "T",
                          "p", "quality")

    def h_Tq(self, T: Any, quality: Any) -> Any:
        """Specific enthalpy of a saturated state at ``T`` [K] and vapour ``quality`` [-] → [J/kg]."""
        T, q = self._check_Tsat(T), self._check_q(quality)
        return self._eval(self._CoolProp.QT_INPUTS, q, T, "hmass", "quality", "T")

    def s_Tq(self, T: Any, quality: Any) -> Any:
        """Specific entropy of a saturated state at ``T`` [K] and ``quality`` [-] → [J/(kg K)]."""
        T, q = self._check_Tsat(T), self._check_q(quality)
        return self._eval(self._CoolProp.QT_INPUTS, q, T, "smass", "quality", "T")

    # ------------------------------------------------------- single-phase pairs
    def h_pT(self, p: Any, T: Any) -> Any:
        """Specific enthalpy at pressure ``p`` [Pa] and temperature ``T`` [K] → [J/kg].

        Single-phase states only: exactly on the saturation line the pair
        (p, T) does not fix the state; use :meth:`h_Tq` there.
        """
        p, T = self._check_p(p), self._check_T(T)
        return self._eval(self._CoolProp.PT_INPUTS, p, T, "hmass", "p", "T")

    def s_pT(self, p: Any, T: Any) -> Any:
        """Specific entropy at ``p`` [Pa] and ``T`` [K] → [J/(kg K)] (single phase)."""
        p, T = self._check_p(p), self._check_T(T)
        return self._eval(self._CoolProp.PT_INPUTS, p, T, "smass", "p", "T")

    def density_pT(self, p: Any, T: Any) -> Any:
        """Density at ``p`` [Pa] and ``T`` [K] → [kg/m³] (single phase)."""
        p, T = self._check_p(p), self._check_T(T)
        return self._eval(self._CoolProp.PT_INPUTS, p, T, "rhomass", "p", "T")

    def h_ps(self, p: Any, s: Any) -> Any:
        """Specific enthalpy at pressure ``p`` [Pa] and entropy ``s`` [J/(kg K)] → [J/kg]."""
        p = self._check_p(p)
        return self._eval(self._CoolProp.PSmass_INPUTS, p, s, "hmass", "p", "s")

    def T_ph(self, p: Any, h: Any) -> Any:
        """Temperature at pressure ``p`` [Pa] and enthalpy ``h`` [J/kg] → [K]."""
        p = self._check_p(p)
        return self._eval(self._CoolProp.HmassP_INPUTS, h, p, "T", "h", "p")

    def s_ph(self, p: Any, h: Any) -> Any:
        """Specific entropy at pressure ``p`` [Pa] and enthalpy ``h`` [J/kg] → [J/(kg K)]."""
        p = self._check_p(p)
        return self._eval(self._CoolProp.HmassP_INPUTS, h, p, "smass", "h", "p")


@functools.lru_cache(maxsize=32)
def refrigerant(name: str) -> Refrigerant:
    """Cached :class:`Refrigerant` constructor (one instance per name).

    Examples
    --------
    >>> refrigerant("R744") is refrigerant("R744")
    True
    """
    return Refrigerant(name)
