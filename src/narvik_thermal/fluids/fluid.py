"""The :class:`Fluid` class: tabulated single-phase liquid properties.

A :class:`Fluid` holds property tables on a fine uniform temperature grid, built
once by a constructor (:func:`~narvik_thermal.fluids.water`,
:func:`~narvik_thermal.fluids.propylene_glycol`, ...). Its SI methods are
vectorised linear interpolations in those tables; they never call CoolProp.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import InputError, PropertyError, user_api
from ..units import quantity, to_si, to_temperature
from . import _kernel_modules as kernels

__all__ = ["Fluid", "FluidState", "LiquidModel"]

logger = logging.getLogger(__name__)

_ZERO_C = 273.15
#: Temperatures this close to the table ends [K] are accepted by ``check=True``.
_T_TOL = 1e-7
_PROPS = ("density", "cp", "viscosity", "conductivity")
#: Row of each quantity in the stacked tables (``Fluid._stack``).
_ROWS = {k: r for r, k in enumerate(_PROPS + ("enthalpy",))}


@runtime_checkable
class LiquidModel(Protocol):
    """The small SI interface every single-phase coolant model offers.

    State-pair names follow TESPy's ``FluidPropertyWrapper`` (``d_pT``,
    ``h_pT``, ``T_ph``), spelled out. All methods take and return NumPy
    arrays (or floats) in SI units and broadcast their arguments.
    """

    name: str
    kind: str
    t_min: float
    t_max: float

    def density_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any: ...
    def cp_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any: ...
    def viscosity_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any: ...
    def conductivity_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any: ...
    def prandtl_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any: ...
    def enthalpy_T(self, T: Any, *, check: bool = True) -> Any: ...
    def temperature_h(self, h: Any, *, check: bool = True) -> Any: ...
    def boiling_temperature_p(self, p: Any, *, check: bool = True) -> Any: ...


@user_api
@dataclass(frozen=True)
class FluidState:
    """Properties of a fluid at one or more states, as pint Quantities.

    Attributes
    ----------
    temperature : pint.Quantity
        Temperature [K].
    pressure : pint.Quantity
        Pressure [Pa].
    density : pint.Quantity
        Density [kg/m³].
    specific_heat : pint.Quantity
        Isobaric specific heat capacity [J/(kg·K)].
    viscosity : pint.Quantity
        Dynamic viscosity [Pa·s].
    conductivity : pint.Quantity
        Thermal conductivity [W/(m·K)].
    prandtl : pint.Quantity
        Prandtl number [-].
    enthalpy : pint.Quantity
        Specific enthalpy [J/kg] (see :meth:`Fluid.enthalpy_T` for its reference).
    """

    temperature: Any
    pressure: Any
    density: Any
    specific_heat: Any
    viscosity: Any
    conductivity: Any
    prandtl: Any
    enthalpy: Any

    def as_dict(self) -> dict[str, Any]:
        """The properties as a ``{name: Quantity}`` dict."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _out(a: np.ndarray) -> Any:
    """0-d arrays become Python floats; arrays are returned as they are."""
    return float(a) if a.ndim == 0 else a


def _si(x: Any, name: str, unit: str) -> np.ndarray:
    """An SI argument as a float array; anything else is an InputError naming it."""
    if hasattr(x, "magnitude") and hasattr(x, "units"):
        raise InputError(f"{name}={x} is a Quantity; the *_pT methods take SI floats "
                         f"[{unit}]; use .properties(...) for Quantities, or x.m_as({unit!r}).")
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        text = repr(x)
        text = text if len(text) <= 60 else text[:57] + "..."
        raise InputError(f"{name}={text} must be a number or an array of numbers "
                         f"[{unit}].") from None


def _degc(T: Any) -> str:
    return ", ".join(f"{t - _ZERO_C:.4g} °C" for t in np.atleast_1d(T))


@user_api
class Fluid:
    """An immutable single-phase liquid coolant with tabulated properties.

    Do not call the class directly: use the constructors
    :func:`~narvik_thermal.fluids.water`,
    :func:`~narvik_thermal.fluids.propylene_glycol`,
    :func:`~narvik_thermal.fluids.ethylene_glycol`,
    :func:`~narvik_thermal.fluids.seawater`,
    :func:`~narvik_thermal.fluids.coolprop` and
    :func:`~narvik_thermal.fluids.tabulated`.

    Attributes
    ----------
    name : str
        Readable, unique name, e.g. ``"propylene_glycol(0.25)"``.
    kind : str
        Constructor family: ``"water"``, ``"propylene_glycol"``,
        ``"ethylene_glycol"``, ``"seawater"``, ``"coolprop"`` or ``"tabulated"``.
    source : str
        Where the numbers come from, e.g. ``"CoolProp INCOMP::MPG[0.25]"``.
    t_min, t_max : float
        Valid temperature range of the tables [K]; ``t_min`` is the freezing
        point or the lower bound of the property model, whichever is higher.
    reference_pressure : float
        Pressure used when ``p=None`` [Pa] (101325 Pa). For a fluid that would
        boil there (water above 99.97 °C), the tables follow the saturated
        liquid instead, i.e. ``max(reference_pressure, p_sat(T))``.
    p_max : float
        Highest pressure accepted by ``check=True`` [Pa]; ``inf`` for
        pressure-independent models.
    pressure_dependent : bool
        True if the properties carry a (linear, isothermal) pressure correction.
    freezing_temperature : float or None
        Freezing temperature [K], if known.

    Notes
    -----
    Tables are on a uniform temperature grid (spacing about 0.1 K) and are
    interpolated linearly; lookup is O(1) per point. Pressure dependence
    (HEOS fluids only) is quadratic in :math:`s = p - p_0(T)`:
    :math:`X(T, p) = X_0(T) + a(T)\\,s + b(T)\\,s^2`, fitted through CoolProp
    values at :math:`p_0`, :math:`p_0` + 25 bar and :math:`p_0` + 50 bar.

    The enthalpy is :math:`h(T) = h_0 + \\int_{T_{min}}^{T} c_p(T', p_0(T'))\\,dT'`
    (cubic-spline quadrature of the ``cp`` table), tabulated at the grid nodes
    and interpolated linearly, so ``temperature_h`` is its exact inverse and
    ``dh/dT`` is the ``cp`` table averaged over one grid cell.
    """

    __slots__ = ("name", "kind", "source", "t_min", "t_max", "reference_pressure", "p_max",
                 "pressure_dependent", "freezing_temperature", "_key", "_n", "_dt",
                 "_inv_dt", "_tab", "_dtab", "_slope", "_dslope", "_curv", "_dcurv", "_p0", "_dp0", "_h",
                 "_dh", "_inv_dh", "_guide", "_h_lo", "_inv_bucket", "_boil", "_boil_range",
                 "_stack", "_dstack", "_frozen")

    def __init__(self, *, name: str, kind: str, source: str, key: tuple,
                 temperature: np.ndarray, tables: dict[str, np.ndarray],
                 enthalpy: np.ndarray, reference_pressure: float = 101325.0,
                 p_max: float = np.inf, p0: np.ndarray | None = None,
                 slopes: dict[str, np.ndarray] | None = None,
                 curvatures: dict[str, np.ndarray] | None = None,
                 freezing_temperature: float | None = None,
                 boiling: None | float | tuple[np.ndarray, np.ndarray] = None) -> None:
        set_ = object.__setattr__
        T = np.asarray(temperature, dtype=float)
        n = T.size
        dt = (T[-1] - T[0]) / (n - 1)
        if not np.allclose(np.diff(T), dt, rtol=1e-9, atol=1e-12):
            raise ValueError("internal: the table grid must be uniform")
        set_(self, "name", name)
        set_(self, "kind", kind)
        set_(self, "source", source)
        set_(self, "_key", key)
        set_(self, "t_min", float(T[0]))
        set_(self, "t_max", float(T[-1]))
        set_(self, "reference_pressure", float(reference_pressure))
        set_(self, "p_max", float(p_max))
        set_(self, "freezing_temperature",
             None if freezing_temperature is None else float(freezing_temperature))
        set_(self, "_n", n)
        set_(self, "_dt", dt)
        set_(self, "_inv_dt", 1.0 / dt)

        def ro(a: np.ndarray, dtype: Any = float) -> np.ndarray:
            a = np.array(a, dtype=dtype, order="C")
            a.setflags(write=False)
            return a

        def diff(a: np.ndarray) -> np.ndarray:
            return ro(np.append(np.diff(a), 0.0))

        set_(self, "_tab", {k: ro(tables[k]) for k in _PROPS})
        set_(self, "_dtab", {k: diff(tables[k]) for k in _PROPS})
        dependent = slopes is not None
        set_(self, "pressure_dependent", dependent)
        set_(self, "_slope", {k: ro(slopes[k]) for k in _PROPS} if dependent else None)
        set_(self, "_dslope", {k: diff(slopes[k]) for k in _PROPS} if dependent else None)
        if dependent and curvatures is None:
            curvatures = {k: np.zeros(n) for k in _PROPS}
        set_(self, "_curv", {k: ro(curvatures[k]) for k in _PROPS} if dependent else None)
        set_(self, "_dcurv", {k: diff(curvatures[k]) for k in _PROPS} if dependent else None)
        p0 = np.full(n, float(reference_pressure)) if p0 is None else p0
        set_(self, "_p0", ro(p0))
        set_(self, "_dp0", diff(p0))
        h = np.asarray(enthalpy, dtype=float)
        dh = np.diff(h)
        if not np.all(dh > 0):
            raise ValueError("internal: enthalpy must increase with temperature")
        set_(self, "_h", ro(h))
        set_(self, "_dh", ro(np.append(dh, dh[-1])))
        set_(self, "_inv_dh", ro(np.append(dt / dh, dt / dh[-1])))
        # Guide table for temperature_h: buckets no wider than the narrowest
        # enthalpy cell, so each bucket holds at most one node; O(1) lookup.
        n_buckets = int(np.ceil((h[-1] - h[0]) / dh.min())) + 1
        width = (h[-1] - h[0]) / n_buckets
        edges = h[0] + width * np.arange(n_buckets + 1)
        guide = np.clip(np.searchsorted(h, edges, side="right") - 1, 0, n - 2)
        set_(self, "_guide", ro(guide, np.intp))
        set_(self, "_h_lo", float(h[0]))
        # the reference-pressure tables stacked by _ROWS, for the compiled lookup
        set_(self, "_stack", ro(np.vstack([tables[k] for k in _PROPS] + [h])))
        set_(self, "_dstack", ro(np.vstack([self._dtab[k] for k in _PROPS] + [self._dh])))
        set_(self, "_inv_bucket", 1.0 / width)
        if isinstance(boiling, tuple):
            boiling = tuple(ro(a) for a in boiling)
        set_(self, "_boil", boiling)
        # the pressures the saturation curve covers [Pa] (its ends, computed once)
        set_(self, "_boil_range", (float(np.exp(boiling[0][0])), float(np.exp(boiling[0][-1])))
             if isinstance(boiling, tuple) else None)
        set_(self, "_frozen", True)

    # -- immutability, equality, pickling -------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Fluid is immutable; cannot set {name!r}. Build a new fluid "
                             "with a constructor instead.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Fluid is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fluid):
            return NotImplemented
        return self.key == other.key

    @property
    def key(self) -> tuple:
        """How the fluid was made (constructor and arguments): equal keys, equal fluids;
        network files store it."""
        return self._key

    @property
    def boiling_curve(self) -> Any:
        """What :meth:`boiling_temperature_p` reads: the saturation curve as read-only
        arrays ``(ln p [ln Pa], T [K])``, a boiling point [K] independent of pressure
        (a float), or None (no boiling data: ``inf``). Fluids of equal curves have the
        same boiling temperature at every pressure (glycols and seawater boil by
        water's curve)."""
        return self._boil

    @property
    def table_grid(self) -> tuple[float, float, int]:
        """``(t_min [K], 1/Δt [1/K], number of cells)`` of the property tables."""
        return self.t_min, self._inv_dt, self._n

    def table(self, name: str, slope: bool = False) -> np.ndarray:
        """The read-only property table ``name`` ("density", "cp", "viscosity",
        "conductivity") at the table temperatures, or its per-cell increments
        (``slope=True``), as the compiled lookup interpolates them."""
        tabs = self._dtab if slope else self._tab
        if name not in tabs:
            raise PropertyError(f"fluid {self.name!r} has no table {name!r}; tables: "
                                f"{sorted(tabs)}.")
        return tabs[name]

    def table_values(self, T: Any, keys: tuple[str, ...]) -> np.ndarray:
        """Table quantities ``keys`` ("density", "cp", "viscosity", "conductivity",
        "enthalpy", …) at temperatures ``T`` [K] and the reference pressure, one row
        per key, in one compiled pass; clamped to the table ends (no range check:
        for solvers, which check the range themselves)."""
        return self._lookup(T, False, "", keys)

    def __hash__(self) -> int:
        return hash(self._key)

    def __getstate__(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)

    def __repr__(self) -> str:
        return (f"<Fluid {self.name}: {self.source}, valid {self.t_min - _ZERO_C:.2f} °C to "
                f"{self.t_max - _ZERO_C:.2f} °C>")

    # -- argument handling -----------------------------------------------------
    def _range_error(self, quantity_name: str, what: str, values: np.ndarray,
                     low: float, high: float, unit: str) -> PropertyError:
        flat = np.asarray(values, dtype=float).ravel()
        bad_mask = ~((flat >= low) & (flat <= high))
        bad = flat[bad_mask]
        shown = bad[:5]
        more = f" (first 5 of {bad.size})" if bad.size > 5 else ""
        if unit == "K":
            given = ", ".join(f"{v:.6g} K ({v - _ZERO_C:.4g} °C)" for v in shown)
            valid = (f"{self.t_min - _ZERO_C:.2f} °C to {self.t_max - _ZERO_C:.2f} °C "
                     f"({self.t_min:.2f} K to {self.t_max:.2f} K)")
            fix = ("keep the coolant temperature inside this range (below the freezing "
                   "point choose a glycol mixture with a higher mass fraction), or pass "
                   "check=False to evaluate clamped to the range")
        elif unit == "J/kg":
            given = ", ".join(f"{v:.6g} J/kg" for v in shown)
            valid = (f"{low:.6g} J/kg to {high:.6g} J/kg, i.e. temperatures "
                     f"{self.t_min - _ZERO_C:.2f} °C to {self.t_max - _ZERO_C:.2f} °C")
            fix = "keep the enthalpy inside this range, or pass check=False to clamp"
        else:
            given = ", ".join(f"{v:.6g} Pa" for v in shown)
            valid = f"{low:.6g} Pa to {high:.6g} Pa"
            fix = "give an absolute pressure in this range, or pass check=False to clamp"
        return PropertyError(
            f"{self.name}: {what} requested at {quantity_name} outside the valid range: "
            f"{given}{more}; valid {quantity_name} range is {valid}. Fix: {fix}.",
            fluid=self.name, quantity=quantity_name, values=bad, valid_range=(low, high))

    def _locate(self, T: Any, check: bool, what: str) -> tuple[np.ndarray, np.ndarray]:
        T = _si(T, "T", "K")
        if check:
            self._check_T(T, what)
        _kernels = kernels.table()

        i, w = _kernels.table_cells(np.ascontiguousarray(T).reshape(-1), self.t_min,
                                    self._inv_dt, self._n)
        return i.reshape(T.shape), w.reshape(T.shape)

    def _check_T(self, T: np.ndarray, what: str) -> None:
        lo, hi = self.t_min - _T_TOL, self.t_max + _T_TOL
        if not ((T >= lo) & (T <= hi)).all():
            raise self._range_error("temperature", what, T, lo, hi, "K")

    def _lookup(self, T: Any, check: bool, what: str, keys: tuple[str, ...]) -> np.ndarray:
        """Quantities ``keys`` (see ``_ROWS``) at the reference pressure, one row each.

        One compiled pass over ``T`` for all of them
        (:func:`narvik_thermal.fluids._table_kernels.table_lookup`); beyond the table the
        values are those at its ends (``check=False``), NaN in gives NaN out.
        """
        _kernels = kernels.table()

        T = _si(T, "T", "K")
        if check:
            self._check_T(T, what)
        out = _kernels.table_lookup(*self.kernel_arguments("lookup", T, keys))
        return out.reshape((len(keys),) + T.shape)

    def _pressure(self, p: Any, check: bool, what: str) -> np.ndarray:
        p = _si(p, "p", "Pa")
        if check:
            if not ((p > 0.0) & (p <= self.p_max)).all():
                raise self._range_error("pressure", what, p, np.nextafter(0.0, 1.0),
                                        self.p_max, "Pa")
            return p
        return np.clip(p, 0.0, self.p_max)

    def _values(self, keys: tuple[str, ...], T: Any, p: Any, check: bool,
                what: str) -> np.ndarray:
        """Quantities ``keys`` (see ``_ROWS``) at ``T`` and pressure ``p``, one row
        each, broadcast over ``T`` and ``p``; ``p=None`` is the reference pressure.

        The reference-pressure values come from the compiled table lookup
        (:meth:`_lookup`); a pressure-dependent fluid adds its quadratic
        correction in ``p − p_ref(T)``. Enthalpy has no pressure correction
        (the caloric enthalpy of :meth:`enthalpy_T`).
        """
        out = self._lookup(T, check, what, keys)
        if p is None:
            return out
        pp = self._pressure(p, check, what)
        full = (len(keys),) + np.broadcast_shapes(out.shape[1:], pp.shape)
        if not self.pressure_dependent:
            return np.broadcast_to(out, full).copy()
        i, w = self._locate(T, False, what)
        dp = pp - (self._p0[i] + w * self._dp0[i])
        res = np.empty(full)
        for r, k in enumerate(keys):
            if k == "enthalpy":
                res[r] = out[r]
                continue
            slope = self._slope[k][i] + w * self._dslope[k][i]
            curv = self._curv[k][i] + w * self._dcurv[k][i]
            res[r] = out[r] + dp * (slope + dp * curv)
        return res

    def _property(self, key: str, what: str, T: Any, p: Any, check: bool) -> Any:
        return _out(self._values((key,), T, p, check, what)[0])

    # -- SI interface ------------------------------------------------------------
    def density_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any:
        """Density at temperature and pressure.

        Parameters
        ----------
        T : float or array_like
            Temperature [K].
        p : float or array_like, optional
            Absolute pressure [Pa], broadcast against ``T``. None means the
            reference pressure of the table (see :attr:`reference_pressure`).
        check : bool, default True
            True: raise :class:`~narvik_thermal.errors.PropertyError` for
            temperatures outside ``[t_min, t_max]`` or not finite (or
            pressures outside ``(0, p_max]``). False: evaluate clamped to the
            table, no error; the result is finite for every finite input
            (NaN inputs give NaN). Boiling is not checked here: compare with
            :meth:`boiling_temperature_p`.

        Returns
        -------
        float or numpy.ndarray
            Density [kg/m³].

        Examples
        --------
        >>> from narvik_thermal import fluids
        >>> round(fluids.water().density_pT(303.15), 1)   # 30 °C, 1 atm
        995.6
        """
        return self._property("density", "density", T, p, check)

    def cp_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any:
        """Isobaric specific heat capacity [J/(kg·K)] at ``T`` [K] and ``p`` [Pa].

        Arguments as in :meth:`density_pT`.

        Examples
        --------
        >>> from narvik_thermal import fluids
        >>> round(fluids.water().cp_pT(303.15))   # 30 °C
        4180
        """
        return self._property("cp", "specific heat", T, p, check)

    def viscosity_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any:
        """Dynamic viscosity [Pa·s] at ``T`` [K] and ``p`` [Pa].

        Arguments as in :meth:`density_pT`.
        """
        return self._property("viscosity", "viscosity", T, p, check)

    def conductivity_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any:
        """Thermal conductivity [W/(m·K)] at ``T`` [K] and ``p`` [Pa].

        Arguments as in :meth:`density_pT`.
        """
        return self._property("conductivity", "conductivity", T, p, check)

    def prandtl_pT(self, T: Any, p: Any = None, *, check: bool = True) -> Any:
        """Prandtl number :math:`c_p \\mu / k` [-] at ``T`` [K] and ``p`` [Pa].

        Arguments as in :meth:`density_pT`.
        """
        cp, mu, k = self._values(("cp", "viscosity", "conductivity"), T, p, check,
                                 "Prandtl number")
        return _out(cp * mu / k)

    def properties_pT(self, T: Any, p: Any = None, *, check: bool = True
                      ) -> dict[str, Any]:
        """All transport and caloric properties in one call (one table lookup).

        Returns
        -------
        dict
            ``density`` [kg/m³], ``cp`` [J/(kg·K)], ``viscosity`` [Pa·s],
            ``conductivity`` [W/(m·K)], ``prandtl`` [-], ``enthalpy`` [J/kg].
        """
        v = self._values(_PROPS + ("enthalpy",), T, p, check, "properties")
        out = dict(zip(_PROPS + ("enthalpy",), v))
        out["prandtl"] = out["cp"] * out["viscosity"] / out["conductivity"]
        return {k: _out(v) for k, v in out.items()}

    def enthalpy_T(self, T: Any, *, check: bool = True) -> Any:
        """Specific enthalpy [J/kg] at temperature ``T`` [K].

        Pressure-independent caloric enthalpy, :math:`h(T) = h(T_{min}) +
        \\int c_p\\,dT` along the table's reference pressure; its zero is
        CoolProp's reference state for CoolProp fluids and ``t_min`` for
        tabulated fluids. :meth:`temperature_h` is its exact inverse.

        Examples
        --------
        >>> from narvik_thermal import fluids
        >>> w = fluids.water()
        >>> dh = w.enthalpy_T(313.15) - w.enthalpy_T(293.15)   # 20 → 40 °C
        >>> round(dh / 20.0)
        4180
        >>> w.temperature_h(w.enthalpy_T(300.0))
        300.0
        """
        return _out(self._lookup(T, check, "enthalpy", ("enthalpy",))[0])

    def temperature_h(self, h: Any, *, check: bool = True) -> Any:
        """Temperature [K] at specific enthalpy ``h`` [J/kg]; inverse of :meth:`enthalpy_T`.

        ``temperature_h(enthalpy_T(T)) == T`` to about 1e-12 K.
        """
        h = _si(h, "h", "J/kg")
        h_hi = float(self._h[-1])
        if check:
            tol = 1e-9 * max(abs(self._h_lo), abs(h_hi), 1.0)
            lo, hi = self._h_lo - tol, h_hi + tol
            if not ((h >= lo) & (h <= hi)).all():
                raise self._range_error("enthalpy", "temperature", h, lo, hi, "J/kg")
        _kernels = kernels.table()

        T = _kernels.table_inverse(*self.kernel_arguments("inverse", h))
        return _out(T.reshape(h.shape))

    def kernel_arguments(self, kernel: str, x: Any, keys: tuple[str, ...] = ()) -> tuple:
        """The arguments this fluid passes to its compiled table kernel (for tests and
        benchmarks that call the kernels directly; the one place they are built).

        Parameters
        ----------
        kernel : {"lookup", "inverse"}
            :func:`~narvik_thermal.fluids._table_kernels.table_lookup` (quantities
            ``keys`` at temperatures ``x`` [K]) or
            :func:`~narvik_thermal.fluids._table_kernels.table_inverse`
            (temperatures at enthalpies ``x`` [J/kg]).
        """
        x = np.ascontiguousarray(np.asarray(x, dtype=float)).reshape(-1)
        if kernel == "lookup":
            rows = np.array([_ROWS[k] for k in keys], dtype=np.int64)
            return (x, self.t_min, self._inv_dt, self._n, self._stack, self._dstack, rows)
        if kernel == "inverse":
            return (x, self._h_lo, float(self._h[-1]), self._inv_bucket, self._guide, self._h,
                    self._inv_dh, self.t_min, self._dt, self.t_max, self._n)
        raise PropertyError(f"kernel={kernel!r} must be 'lookup' or 'inverse'.")

    def boiling_temperature_p(self, p: Any, *, check: bool = True) -> Any:
        """Boiling (saturation) temperature [K] at absolute pressure ``p`` [Pa].

        For water and CoolProp pure fluids this is the saturation curve. For
        glycol and seawater mixtures it is water's saturation curve, which
        is conservative (the solute raises the boiling point). For a tabulated
        fluid it is the given boiling point (independent of pressure) and for
        a fluid without boiling data it is ``inf``.

        Examples
        --------
        >>> from narvik_thermal import fluids
        >>> round(fluids.water().boiling_temperature_p(101325.0) - 273.15, 2)
        99.97
        """
        p = _si(p, "p", "Pa")
        boil = self._boil
        if boil is None or isinstance(boil, float):
            if check and not (p > 0).all():
                raise self._range_error("pressure", "boiling temperature", p,
                                        np.nextafter(0.0, 1.0), np.inf, "Pa")
            return _out(np.full(p.shape, np.inf if boil is None else boil))
        lnp, Ts = boil
        lo, hi = self._boil_range
        if check and not ((p >= lo * (1 - 1e-9)) & (p <= hi * (1 + 1e-9))).all():
            raise self._range_error("pressure", "boiling temperature", p, lo, hi, "Pa")
        # (np.clip's values, NaN kept, without its dispatch)
        x = np.log(np.minimum(np.maximum(p, lo), hi))
        return _out(np.interp(x, lnp, Ts))

    # -- Quantity interface --------------------------------------------------------
    def properties(self, temperature: Any, pressure: Any = "1 atm", *,
                   check: bool = True) -> FluidState:
        """Properties at a temperature and pressure, as pint Quantities.

        Parameters
        ----------
        temperature : pint.Quantity or str
            Absolute temperature(s), e.g. ``Q_(25, "degC")`` or ``"25 degC"``.
        pressure : pint.Quantity or str, default "1 atm"
            Absolute pressure(s), broadcast against ``temperature``.
        check : bool, default True
            Raise :class:`~narvik_thermal.errors.PropertyError` outside the
            valid temperature range or when the fluid would boil at
            ``pressure`` (see :meth:`boiling_temperature_p`).

        Returns
        -------
        FluidState
            density, specific_heat, viscosity, conductivity, prandtl, enthalpy.

        Raises
        ------
        UnitError
            A bare number, or the wrong dimension.
        PropertyError
            Out-of-range or boiling state with ``check=True``.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> s = nt.fluids.water().properties(nt.Q_(30, "degC"))
        >>> round(s.density.m_as("kg/m^3"), 1), round(s.specific_heat.m_as("kJ/(kg*K)"), 2)
        (995.6, 4.18)
        """
        T = to_temperature(temperature, "temperature")
        p = to_si(pressure, "Pa", "pressure")
        if check and self._boil is not None:
            Tb = np.asarray(self.boiling_temperature_p(p, check=True))
            boils = np.asarray(T) > Tb
            if boils.any():
                Tbad = np.broadcast_to(np.asarray(T), boils.shape)[boils]
                pbad = np.broadcast_to(np.asarray(p, dtype=float), boils.shape)[boils]
                raise PropertyError(
                    f"{self.name} boils at the requested state: {_degc(Tbad[:5])} at "
                    f"{', '.join(f'{x:.6g} Pa' for x in pbad[:5])} (boiling point "
                    f"{_degc(np.broadcast_to(Tb, boils.shape)[boils][:5])}). Fix: raise the "
                    "pressure or lower the temperature.", fluid=self.name,
                    quantity="temperature", values=Tbad,
                    valid_range=(self.t_min, float(np.min(Tb))))
        si = self.properties_pT(T, p, check=check)
        shape = np.shape(si["density"])
        return FluidState(
            temperature=quantity(np.broadcast_to(T, shape) if shape else T, "K"),
            pressure=quantity(np.broadcast_to(p, shape) if shape else p, "Pa"),
            density=quantity(si["density"], "kg/m^3"),
            specific_heat=quantity(si["cp"], "J/(kg*K)"),
            viscosity=quantity(si["viscosity"], "Pa*s"),
            conductivity=quantity(si["conductivity"], "W/(m*K)"),
            prandtl=quantity(si["prandtl"], "dimensionless"),
            enthalpy=quantity(si["enthalpy"], "J/kg"),
        )

    @property
    def freezing_point(self) -> Any:
        """Freezing point as a Quantity in °C, or None if unknown.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> round(nt.fluids.seawater("35 g/kg").freezing_point.m_as("degC"), 2)
        -1.92
        """
        if self.freezing_temperature is None:
            return None
        return quantity(self.freezing_temperature, "K").to("degC")

    def boiling_point(self, pressure: Any = "1 atm") -> Any:
        """Boiling point at ``pressure`` as a Quantity in °C, or None if unknown.

        See :meth:`boiling_temperature_p` for what it means for each kind.

        Examples
        --------
        >>> import narvik_thermal as nt
        >>> round(nt.fluids.water().boiling_point("2 bar").m_as("degC"), 1)
        120.2
        """
        p = to_si(pressure, "Pa", "pressure")
        if self._boil is None:
            return None
        return quantity(self.boiling_temperature_p(p), "K").to("degC")
