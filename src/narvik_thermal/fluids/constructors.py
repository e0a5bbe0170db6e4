"""Constructors of :class:`~narvik_thermal.fluids.Fluid` objects.

Each constructor converts its arguments at the edge (pint Quantities or
strings), builds the property tables once by sampling CoolProp [1]_ on a fine
temperature grid, and caches the result: calling ``propylene_glycol(0.25)`` twice
returns the same object. Tables are never built at import time; a table built
once is kept on disk (:mod:`.table_cache`), so that later processes read it
instead of importing and sampling CoolProp again.

Glycol solutions use Melinder's correlations [2]_ and seawater those of
Sharqawy, Lienhard and Zubair [3]_ (both through CoolProp); the freezing point
of seawater is the UNESCO formula of Fofonoff and Millard [4]_. Published check
values of water and PG25 come from a vendor table [5]_.

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, "Pure and Pseudo-pure
   Fluid Thermophysical Property Evaluation and the Open-Source Thermophysical
   Property Library CoolProp", Ind. Eng. Chem. Res. 53(6), 2498–2508, 2014,
   doi:10.1021/ie4033999.
.. [2] Å. Melinder, "Thermophysical Properties of Aqueous Solutions Used as
   Secondary Working Fluids", PhD thesis, KTH Royal Institute of Technology,
   Stockholm, 2007 (the correlations behind CoolProp's ``INCOMP::MPG`` and
   ``INCOMP::MEG``).
.. [3] M. H. Sharqawy, J. H. Lienhard V and S. M. Zubair, "Thermophysical
   properties of seawater: a review of existing correlations and data",
   Desalination and Water Treatment 16, 354–380, 2010,
   doi:10.5004/dwt.2010.1079 (CoolProp's ``INCOMP::MITSW``).
.. [4] N. P. Fofonoff and R. C. Millard Jr., "Algorithms for computation of
   fundamental properties of seawater", UNESCO Technical Papers in Marine
   Science 44, UNESCO, Paris, 1983 (freezing point of seawater).
.. [5] Airedale DeltaChill chiller manual, glycol property table, p. 53,
   https://www.easymanua.ls/airedale/deltachill/manual?p=53 (narvik-facts R33).
"""

from __future__ import annotations

import functools
import logging
import math
import re
import time
import warnings
from typing import Any

import numpy as np

from ..errors import InputError, RangeWarning, user_api
from ..units import to_si, to_temperature
from .coolprop_backend import P_REF, CoolPropLiquid
from .fluid import Fluid

__all__ = ["water", "propylene_glycol", "ethylene_glycol", "seawater", "coolprop",
           "tabulated", "freezing_temperature_unesco"]

logger = logging.getLogger(__name__)

#: Target spacing of the temperature grid [K]. Linear interpolation on it is
#: accurate to about 1e-5 relative (see tests/data/fluid_accuracy.py).
_DT = 0.1
#: Grid spacing for HEOS fluids [K] (three CoolProp sweeps; smoother properties).
_DT_HEOS = 0.2
#: Pressure step of the secant pressure correction of HEOS fluids [Pa].
_DP = 50e5
#: Highest pressure accepted by ``check=True`` for HEOS fluids [Pa].
_P_MAX_HEOS = 50e5
#: Highest saturation pressure along the table of a generic HEOS fluid [Pa].
_P_SAT_TABLE = 20e5
#: CoolProp's valid solute mass fractions of INCOMP::MPG and INCOMP::MEG.
_GLYCOL_RANGE = (0.0, 0.6)
#: CoolProp's valid salinity of INCOMP::MITSW [g/kg].
_SALINITY_RANGE = (0.0, 120.0)


# -- table building (the only place CoolProp is sampled) -----------------------
def _grid(t_min: float, t_max: float, dt: float = _DT) -> np.ndarray:
    n = int(min(max(math.ceil((t_max - t_min) / dt) + 1, 101), 20001))
    return np.linspace(t_min, t_max, n)


def _enthalpy(T: np.ndarray, cp: np.ndarray, h0: float) -> np.ndarray:
    """``h0 + ∫ cp dT`` at the grid nodes (cubic-spline quadrature)."""
    from scipy.interpolate import CubicSpline  # noqa: PLC0415 (only at build time)

    return h0 + CubicSpline(T, cp).antiderivative()(T)


@functools.lru_cache(maxsize=8)
def _saturation_table(fluid: str) -> tuple[np.ndarray, np.ndarray]:
    """``(ln p_sat [ln Pa], T_sat [K])`` of a HEOS fluid from triple to near-critical."""
    cpl = CoolPropLiquid("HEOS", fluid)
    t_tr = cpl.triple_temperature()
    t_c, _ = cpl.critical_point()
    T = np.linspace(t_tr, t_c - 0.05, 6001)
    return np.log(cpl.saturation_pressure_T(T)), T


def _sample_incomp(cpl: CoolPropLiquid, T: np.ndarray) -> dict[str, np.ndarray]:
    """INCOMP properties at ``P_REF``; above a fluid's own boiling point at 1 atm,
    at 1.05 × its saturation pressure (INCOMP properties do not depend on p)."""
    try:
        return cpl.properties_pT(T, P_REF)
    except ValueError:
        pass
    out = {k: np.empty(T.shape) for k in ("density", "cp", "viscosity", "conductivity",
                                          "enthalpy")}
    for j, t in enumerate(T):
        try:
            row = cpl.properties_pT(t, P_REF)
        except ValueError:
            try:
                p = max(P_REF, 1.05 * float(cpl.saturation_pressure_T(t)) + 1e3)
                row = cpl.properties_pT(t, p)
            except ValueError as exc:
                raise InputError(f"CoolProp cannot evaluate {cpl.label} at {t:.2f} K "
                                 f"({exc}).") from None
        for k in out:
            out[k][j] = row[k]
    return out


#: Width of the window above CoolProp's lower limit from which an INCOMP table is
#: extended down to the freezing point [K] (see :func:`_extend_below`).
_EXT_WINDOW = 5.0
#: Largest extension below CoolProp's lower limit [K] (seawater: 2.2 K at 40 g/kg;
#: brines whose freezing point lies lower start their tables 3 K below 0 °C, and
#: states between the freezing point and the table are flagged, not clamped).
_EXT_MAX = 3.0


def _extend_below(cpl: CoolPropLiquid, T: np.ndarray, t_lo: float) -> dict[str, np.ndarray]:
    """INCOMP properties at ``T``, extended below CoolProp's lower limit ``t_lo``.

    CoolProp's MITSW (seawater) correlations stop at 0 °C, but seawater stays
    liquid down to its freezing point (−1.92 °C at 35 g/kg, UNESCO 1983). Below
    ``t_lo`` each property is the quadratic (of ``ln μ`` for the viscosity)
    fitted by least squares to CoolProp over ``[t_lo, t_lo + 5 K]``; the
    enthalpy follows from the ``cp`` table. Accuracy (``tests/test_fluids.py``):
    the same extrapolation over the same distance inside CoolProp's range agrees
    with CoolProp to 1e-6 (ρ, cp, k) and 5e-5 (μ); at −1.92 °C the extended
    density agrees with the UNESCO (EOS-80) one-atmosphere equation of state,
    valid from −2 °C, to 1e-5, and cp with UNESCO's (Millero et al. 1973) to
    5e-4 — less than CoolProp and UNESCO differ at 0 °C (1.2e-3).
    """
    keys = ("density", "cp", "viscosity", "conductivity", "enthalpy")
    inside = T >= t_lo
    out = {k: np.empty(T.shape) for k in keys}
    got = _sample_incomp(cpl, T[inside])
    for k in keys:
        out[k][inside] = got[k]
    below = ~inside
    if below.any():
        x = np.linspace(t_lo, t_lo + _EXT_WINDOW, 26)
        ref = _sample_incomp(cpl, x)
        for k in keys[:4]:
            y = np.log(ref[k]) if k == "viscosity" else ref[k]
            coef = np.polyfit(x - t_lo, y, 2)
            v = np.polyval(coef, T[below] - t_lo)
            out[k][below] = np.exp(v) if k == "viscosity" else v
        out["enthalpy"][below] = np.nan      # from the cp table (see _build)
    return out


def _cached(key: tuple, make) -> Fluid:
    """The fluid ``key`` from the on-disk table cache (:mod:`.table_cache`), or made
    by ``make()`` (which samples CoolProp and returns the ``Fluid`` arguments) and
    stored there."""
    from . import table_cache

    kw = table_cache.load(key)
    if kw is None:
        kw = make()
        table_cache.store(key, kw)
    return Fluid(**kw)


def _build(cpl: CoolPropLiquid, *, name: str, kind: str, key: tuple, t_min: float,
           t_max: float, freezing: float | None, boiling: Any) -> dict:
    """The ``Fluid`` arguments of a table sampled from CoolProp."""
    start = time.perf_counter()
    T = _grid(t_min, t_max, _DT_HEOS if cpl.backend == "HEOS" else _DT)
    keys = ("density", "cp", "viscosity", "conductivity")
    if cpl.backend == "HEOS":
        psat = cpl.saturation_pressure_T(np.minimum(T, cpl.critical_point()[0] - 0.05))
        p0 = np.maximum(P_REF, psat)
        base = cpl.properties_pT(T, p0)
        mid = cpl.properties_pT(T, p0 + 0.5 * _DP, keys)
        high = cpl.properties_pT(T, p0 + _DP, keys)
        # quadratic through (0, X0), (DP/2, X1), (DP, X2) in s = p - p0
        curv = {k: 2.0 * (high[k] - 2.0 * mid[k] + base[k]) / _DP**2 for k in keys}
        slopes = {k: (4.0 * mid[k] - high[k] - 3.0 * base[k]) / _DP for k in keys}
        extra = {"p0": p0, "slopes": slopes, "curvatures": curv, "p_max": _P_MAX_HEOS}
        h = _enthalpy(T, base["cp"], float(base["enthalpy"][0]))
        source = f"CoolProp {cpl.label}"
    else:
        t_lo = cpl.temperature_limits()[0]
        if T[0] < t_lo - 1e-9:
            if t_lo - T[0] > _EXT_MAX:
                raise ValueError(f"internal: {cpl.label} cannot be extended {t_lo - T[0]:.2f} K "
                                 "below CoolProp's range")
            base = _extend_below(cpl, T, t_lo)
            h = _enthalpy(T, base["cp"], 0.0)
            # CoolProp's reference state: h(t_lo) as CoolProp gives it
            h += float(_sample_incomp(cpl, np.array([t_lo]))["enthalpy"][0]) \
                - float(np.interp(t_lo, T, h))
            source = (f"CoolProp {cpl.label}, extrapolated below {t_lo - 273.15:.2f} °C to "
                      f"{T[0] - 273.15:.2f} °C")
        else:
            base = _sample_incomp(cpl, T)
            h = _enthalpy(T, base["cp"], float(base["enthalpy"][0]))
            source = f"CoolProp {cpl.label}"
        extra = {}
    kw = dict(name=name, kind=kind, source=source, key=key,
              temperature=T, tables={k: base[k] for k in keys}, enthalpy=h,
              reference_pressure=P_REF, freezing_temperature=freezing,
              boiling=boiling, **extra)
    logger.debug("built %s: %d grid points in %.3f s", name, T.size,
                 time.perf_counter() - start)
    return kw


# -- argument helpers ------------------------------------------------------------
def _scalar(value: Any, unit: str, name: str) -> float:
    x = to_si(value, unit, name)
    if np.ndim(x) != 0:
        raise InputError(f"{name} must be a single value, got an array of shape "
                         f"{np.shape(x)}; build one fluid per composition.")
    return float(x)


def _mass_fraction(value: Any, name: str, solute: str) -> float:
    x = _scalar(value, "", name)
    lo, hi = _GLYCOL_RANGE
    if not lo <= x <= hi:
        hint = (f" It looks like a percentage: write {x / 100:g} or Q_({x:g}, 'percent')."
                if 1.0 < x <= 100.0 else "")
        raise InputError(
            f"{name}={x:g} is outside the valid range of CoolProp's {solute} correlation "
            f"(Melinder 2007): {lo:g} to {hi:g} (mass fraction of glycol, e.g. 0.25 for "
            f"PG25).{hint}")
    return round(x, 12)


# -- public constructors -------------------------------------------------------
@user_api
def freezing_temperature_unesco(salinity: Any, sea_pressure: Any = 0.0) -> Any:
    """Freezing temperature of seawater, UNESCO (1983) formula.

    Parameters
    ----------
    salinity : float or array_like
        Salinity [g/kg], taken equal to practical salinity (the 0.5 % difference
        changes the result by less than 0.01 K).
    sea_pressure : float or array_like, default 0
        Pressure above atmospheric [Pa].

    Returns
    -------
    float or numpy.ndarray
        Freezing temperature [K].

    Notes
    -----
    .. math:: t_f = -0.0575 S + 1.710523\\times10^{-3} S^{3/2}
              - 2.154996\\times10^{-4} S^2 - 7.53\\times10^{-4} P

    with :math:`t_f` in °C, :math:`S` practical salinity and :math:`P` sea
    pressure in decibar. Valid for 4 ≤ S ≤ 40 and P ≤ 500 dbar; estimated
    error ±0.003 K (Fofonoff and Millard 1983 [4]_, after Millero and Leung 1976).

    References
    ----------
    .. [4] N. P. Fofonoff and R. C. Millard Jr., "Algorithms for computation of
       fundamental properties of seawater", UNESCO Technical Papers in Marine
       Science 44, 1983.

    Examples
    --------
    >>> round(freezing_temperature_unesco(35.0) - 273.15, 4)   # UNESCO check value: -1.922
    -1.9223
    """
    S = np.asarray(salinity, dtype=float)
    P = np.asarray(sea_pressure, dtype=float) / 1e4  # Pa -> dbar
    if not (np.all(np.isfinite(S)) and np.all(S >= 0)):
        raise InputError(f"freezing_temperature_unesco: salinity={salinity!r} g/kg must be "
                         "finite and ≥ 0 (sea water: about 35 g/kg).")
    if np.any((S < 4) | (S > 40)):
        warnings.warn(f"freezing_temperature_unesco: salinity={salinity!r} g/kg is outside the "
                      "range of the formula (4–40 g/kg); the result is an extrapolation.",
                      RangeWarning, stacklevel=2)
    tf = -0.0575 * S + 1.710523e-3 * S**1.5 - 2.154996e-4 * S**2 - 7.53e-4 * P
    out = tf + 273.15
    return float(out) if np.ndim(out) == 0 else out


@functools.lru_cache(maxsize=1)
def _water() -> Fluid:
    return _cached(("water",), lambda: _build(
        CoolPropLiquid("HEOS", "Water"), name="water", kind="water", key=("water",),
        t_min=273.15, t_max=473.15, freezing=273.15, boiling=_saturation_table("Water")))


@user_api
def water() -> Fluid:
    """Liquid water, IAPWS-95 via CoolProp ``HEOS::Water`` [1]_.

    Returns
    -------
    Fluid
        Valid from the freezing point, 0 °C, to 200 °C (between 0 °C and the
        triple point, 0.01 °C, IAPWS-95 is evaluated as the liquid, as CoolProp
        does with the phase imposed).
        Up to 99.97 °C the tables are at 1 atm; above, at the saturation
        pressure (saturated liquid), so pressurised district-heating water is
        covered. Density, cp, viscosity and conductivity carry a linear
        isothermal pressure correction, checked to 0.1 % against CoolProp up to
        50 bar. Freezing point 0 °C.

    Notes
    -----
    Published check values (narvik-facts R33 [5]_): cp 4.18 kJ/(kg·K) and
    density 995.6 kg/m³ at 30 °C.

    References
    ----------
    .. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, "Pure and Pseudo-pure
       Fluid Thermophysical Property Evaluation and the Open-Source Thermophysical
       Property Library CoolProp", Ind. Eng. Chem. Res. 53(6), 2498–2508, 2014,
       doi:10.1021/ie4033999.
    .. [5] Airedale DeltaChill chiller manual, glycol property table, p. 53,
       https://www.easymanua.ls/airedale/deltachill/manual?p=53 (narvik-facts R33).

    Examples
    --------
    >>> w = water()
    >>> round(w.density_pT(303.15), 1), round(w.cp_pT(303.15) / 1000, 2)
    (995.6, 4.18)
    >>> w is water()          # cached
    True
    """
    return _water()


@functools.lru_cache(maxsize=32)
def _glycol(solute: str, x: float) -> Fluid:
    kind = {"MPG": "propylene_glycol", "MEG": "ethylene_glycol"}[solute]

    def make() -> dict:
        cpl = CoolPropLiquid("INCOMP", solute, x)
        t_lo, t_hi = cpl.temperature_limits()
        tf = cpl.freezing_temperature()
        t_min = max(t_lo, tf) if tf is not None else t_lo
        return _build(cpl, name=f"{kind}({x:g})", kind=kind, key=(kind, x), t_min=t_min,
                      t_max=t_hi, freezing=tf, boiling=_saturation_table("Water"))
    return _cached((kind, x), make)


@user_api
def propylene_glycol(mass_fraction: Any) -> Fluid:
    """Aqueous propylene glycol (PG) at a glycol mass fraction, CoolProp ``INCOMP::MPG``.

    Parameters
    ----------
    mass_fraction : float or pint.Quantity
        Glycol mass fraction [-], 0 to 0.6 (CoolProp's range for MPG),
        e.g. ``0.25`` or ``Q_(25, "percent")`` for PG25, the industry default
        for direct-to-chip loops.

    Returns
    -------
    Fluid
        Valid from the freezing point (Melinder [2]_; −9.8 °C for PG25) to
        100 °C. Properties do not depend on pressure (CoolProp INCOMP model).
        :meth:`~Fluid.boiling_temperature_p` uses water's saturation curve,
        which is conservative because glycol raises the boiling point.

    Raises
    ------
    InputError
        ``mass_fraction`` outside 0–0.6 (or given in percent as a bare number).

    Notes
    -----
    CoolProp uses Melinder's correlations [2]_. A vendor table (narvik-facts
    R33 [5]_) gives for PG25 cp = 3.86 / 3.92 / 3.97 kJ/(kg·K) and density
    1031 / 1021.5 / 1011.6 kg/m³ at 0 / 25 / 45 °C, and a freezing point of
    −9.6 °C; CoolProp agrees within 0.3 % (cp) and 0.5 % (density).

    References
    ----------
    .. [2] Å. Melinder, "Thermophysical Properties of Aqueous Solutions Used as
       Secondary Working Fluids", PhD thesis, KTH Royal Institute of Technology,
       Stockholm, 2007 (the correlations behind CoolProp's ``INCOMP::MPG`` and
       ``INCOMP::MEG``).
    .. [5] Airedale DeltaChill chiller manual, glycol property table, p. 53,
       https://www.easymanua.ls/airedale/deltachill/manual?p=53 (narvik-facts R33).

    Examples
    --------
    >>> pg25 = propylene_glycol(0.25)
    >>> round(pg25.cp_pT(298.15) / 1000, 2)   # R33: 3.92 kJ/(kg K) at 25 °C
    3.93
    >>> round(pg25.freezing_point.m_as("degC"), 1)
    -9.8
    """
    return _glycol("MPG", _mass_fraction(mass_fraction, "mass_fraction", "INCOMP::MPG"))


@user_api
def ethylene_glycol(mass_fraction: Any) -> Fluid:
    """Aqueous ethylene glycol (EG) at a glycol mass fraction, CoolProp ``INCOMP::MEG``.

    Parameters
    ----------
    mass_fraction : float or pint.Quantity
        Glycol mass fraction [-], 0 to 0.6 (CoolProp's range for MEG).

    Returns
    -------
    Fluid
        Valid from the freezing point (Melinder [2]_) to 100 °C; no pressure
        dependence; boiling by water's saturation curve (conservative).

    Raises
    ------
    InputError
        ``mass_fraction`` outside 0–0.6.

    References
    ----------
    .. [2] Å. Melinder, "Thermophysical Properties of Aqueous Solutions Used as
       Secondary Working Fluids", PhD thesis, KTH Royal Institute of Technology,
       Stockholm, 2007 (the correlations behind CoolProp's ``INCOMP::MPG`` and
       ``INCOMP::MEG``).

    Examples
    --------
    >>> eg30 = ethylene_glycol(0.30)
    >>> round(eg30.freezing_point.m_as("degC"), 1)
    -14.6
    """
    return _glycol("MEG", _mass_fraction(mass_fraction, "mass_fraction", "INCOMP::MEG"))


@functools.lru_cache(maxsize=32)
def _seawater(S: float) -> Fluid:
    if not 4.0 <= S <= 40.0:
        warnings.warn(f"seawater: salinity {S:g} g/kg is outside 4–40, the validity range "
                      "of the UNESCO (1983) freezing-point formula; the freezing point "
                      "is extrapolated.", RangeWarning, stacklevel=3)

    def make() -> dict:
        cpl = CoolPropLiquid("INCOMP", "MITSW", S / 1000.0)
        t_lo, t_hi = cpl.temperature_limits()
        tf = freezing_temperature_unesco(S)
        return _build(cpl, name=f"seawater({S:g} g/kg)", kind="seawater",
                      key=("seawater", S), t_min=max(tf, t_lo - _EXT_MAX), t_max=t_hi,
                      freezing=tf, boiling=_saturation_table("Water"))
    return _cached(("seawater", S), make)


@user_api
def seawater(salinity: Any = "35 g/kg") -> Fluid:
    """Seawater at a salinity, CoolProp ``INCOMP::MITSW`` (Sharqawy et al. 2010).

    Parameters
    ----------
    salinity : pint.Quantity or str, default "35 g/kg"
        Absolute salinity, e.g. ``Q_(35, "g/kg")`` or ``"35 g/kg"``; 0 to 120
        g/kg (CoolProp's range). A bare number is rejected (35 or 0.035?).
        Deep Ofotfjord intake water is 34.5–35 g/kg (narvik-facts §3).

    Returns
    -------
    Fluid
        Properties from Sharqawy, Lienhard and Zubair [3]_ via CoolProp,
        independent of pressure. The valid range starts at the freezing point,
        the UNESCO (1983) value [4]_ (−1.92 °C at 35 g/kg), and ends at 120 °C.
        CoolProp's MITSW correlations start at 0 °C; below, the tables are
        extrapolated quadratically from 0–5 °C (:func:`_extend_below`), within
        1e-5 of the UNESCO density and 5e-4 of its specific heat at −1.92 °C.
        :meth:`~Fluid.boiling_temperature_p` uses water's saturation curve
        (conservative: salt raises the boiling point by about 0.5 K).

    Raises
    ------
    UnitError
        Bare number or wrong dimension.
    InputError
        Salinity outside 0–120 g/kg.

    Warns
    -----
    RangeWarning
        Salinity outside 4–40 g/kg, the range of the freezing-point formula.

    References
    ----------
    .. [3] M. H. Sharqawy, J. H. Lienhard V and S. M. Zubair, "Thermophysical
       properties of seawater: a review of existing correlations and data",
       Desalination and Water Treatment 16, 354–380, 2010,
       doi:10.5004/dwt.2010.1079 (CoolProp's ``INCOMP::MITSW``).
    .. [4] N. P. Fofonoff and R. C. Millard Jr., "Algorithms for computation of
       fundamental properties of seawater", UNESCO Technical Papers in Marine
       Science 44, UNESCO, Paris, 1983 (freezing point of seawater).

    Examples
    --------
    >>> sw = seawater("35 g/kg")
    >>> round(sw.density_pT(283.15))    # about 1026 kg/m³ near 10 °C
    1027
    >>> round(sw.freezing_point.m_as("degC"), 2)
    -1.92
    """
    S = _scalar(salinity, "g/kg", "salinity")
    lo, hi = _SALINITY_RANGE
    if not lo <= S <= hi:
        raise InputError(f"salinity={S:g} g/kg is outside CoolProp's MITSW range, {lo:g} to "
                         f"{hi:g} g/kg (ocean water is about 35 g/kg).")
    return _seawater(round(S, 10))


_COOLPROP_NAME = re.compile(r"^(?:(?P<backend>[A-Za-z]+)::)?(?P<fluid>[^\[\]%-]+?)"
                            r"(?:\[(?P<frac>[^\]]+)\]|-(?P<pct>[0-9.]+)%)?$")


@functools.lru_cache(maxsize=32)
def _coolprop(backend: str, fluid: str, frac: float | None) -> Fluid:
    return _cached(("coolprop", backend, fluid, frac), lambda: _coolprop_table(backend, fluid,
                                                                              frac))


def _coolprop_table(backend: str, fluid: str, frac: float | None) -> dict:
    cpl = CoolPropLiquid(backend, fluid, frac)
    label = cpl.label
    if backend == "HEOS":
        t_lo, t_hi = cpl.temperature_limits()
        t_c, p_c = cpl.critical_point()
        t_min = max(t_lo, cpl.triple_temperature())
        t_top = min(t_hi, t_c - 0.05 * t_c)
        if p_c > _P_SAT_TABLE:
            t_top = min(t_top, float(cpl.saturation_temperature_p(_P_SAT_TABLE)))
        return _build(cpl, name=f"coolprop({label!r})", kind="coolprop", key=("coolprop", label),
                      t_min=t_min, t_max=t_top, freezing=None,
                      boiling=_saturation_table(fluid))
    t_lo, t_hi = cpl.temperature_limits()
    tf = cpl.freezing_temperature()
    return _build(cpl, name=f"coolprop({label!r})", kind="coolprop", key=("coolprop", label),
                  t_min=max(t_lo, tf) if tf is not None else t_lo, t_max=t_hi, freezing=tf,
                  boiling=_saturation_table("Water") if frac is not None else None)


@user_api
def coolprop(name: str) -> Fluid:
    """Any CoolProp pure fluid or INCOMP liquid, used as a single-phase liquid coolant.

    Parameters
    ----------
    name : str
        CoolProp fluid string: a HEOS pure fluid (``"Ethanol"``,
        ``"HEOS::Ethanol"``), an INCOMP pure liquid (``"INCOMP::T66"``,
        Therminol 66) or an INCOMP aqueous solution with its mass fraction
        (``"INCOMP::MAM[0.2]"`` or ``"INCOMP::MAM-20%"``). ``"Water"``,
        ``"INCOMP::MPG[x]"``, ``"INCOMP::MEG[x]"`` and ``"INCOMP::MITSW[x]"``
        return :func:`water`, :func:`propylene_glycol`,
        :func:`ethylene_glycol` and :func:`seawater`.

    Returns
    -------
    Fluid
        HEOS fluids: liquid from the triple point to the temperature where the
        saturation pressure reaches 20 bar (or 0.95 T_crit), tables at
        ``max(1 atm, p_sat(T))`` with a linear pressure correction up to 50 bar;
        boiling by the fluid's own saturation curve. INCOMP fluids: CoolProp's
        range (from the freezing point for solutions), no pressure dependence;
        boiling by water's curve for aqueous solutions, unknown (``inf``) for
        pure INCOMP liquids.

    Raises
    ------
    InputError
        Unknown fluid, unsupported backend or mixture, or missing mass fraction.

    Examples
    --------
    >>> t66 = coolprop("INCOMP::T66")
    >>> t66.kind, round(t66.t_max - 273.15)
    ('coolprop', 380)
    >>> coolprop("INCOMP::MPG[0.25]") == propylene_glycol(0.25)
    True
    """
    if not isinstance(name, str):
        raise InputError(f"name={name!r} must be a CoolProp fluid string such as 'Water' "
                         "or 'INCOMP::T66'.")
    m = _COOLPROP_NAME.match(name.strip())
    if m is None or "&" in name:
        raise InputError(f"name={name!r} is not a supported CoolProp fluid string; give a pure "
                         "fluid ('Ethanol'), an INCOMP liquid ('INCOMP::T66') or an INCOMP "
                         "solution with its mass fraction ('INCOMP::MPG[0.3]'). Mixtures "
                         "('A&B') are not supported.")
    backend = (m["backend"] or "HEOS").upper()
    fluid = m["fluid"].strip()
    if backend not in ("HEOS", "INCOMP"):
        raise InputError(f"name={name!r}: backend {backend!r} is not supported; use HEOS "
                         "(default) or INCOMP.")
    frac: float | None = None
    if m["frac"] is not None or m["pct"] is not None:
        try:
            frac = float(m["frac"]) if m["frac"] is not None else float(m["pct"]) / 100.0
        except ValueError:
            raise InputError(f"name={name!r}: cannot read the mass fraction "
                             f"{m['frac']!r}.") from None
        if backend != "INCOMP":
            raise InputError(f"name={name!r}: a mass fraction is only meaningful for INCOMP "
                             "solutions, e.g. 'INCOMP::MPG[0.3]'.")
    if backend == "HEOS" and fluid.lower() in ("water", "h2o"):
        return water()
    if backend == "INCOMP" and fluid in ("MPG", "MEG") and frac is not None:
        return (propylene_glycol if fluid == "MPG" else ethylene_glycol)(frac)
    if backend == "INCOMP" and fluid == "MITSW" and frac is not None:
        return seawater(f"{frac * 1000.0!r} g/kg")
    try:
        return _coolprop(backend, fluid, frac)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"name={name!r}: CoolProp could not build a liquid table ({exc}). "
                         "For an INCOMP solution give its mass fraction, e.g. "
                         "'INCOMP::MAM[0.2]'.") from None


def _array(value: Any, unit: str, name: str, n: int | None) -> np.ndarray:
    if unit == "K":
        a = np.atleast_1d(np.asarray(to_temperature(value, name), dtype=float))
    else:
        a = np.atleast_1d(np.asarray(to_si(value, unit, name), dtype=float))
    if a.ndim != 1:
        raise InputError(f"{name} must be one-dimensional, got shape {a.shape}.")
    if n is not None and a.size != n:
        raise InputError(f"{name} has {a.size} values but temperature has {n}; give one "
                         "value per temperature.")
    if unit != "K" and not np.all(a > 0):
        bad = a[~(a > 0)][:5]
        raise InputError(f"{name} must be positive; got {', '.join(f'{v:g}' for v in bad)} "
                         f"{unit} (index {np.flatnonzero(~(a > 0))[:5].tolist()}).")
    return a


@user_api
def tabulated(name: str, *, temperature: Any, density: Any, specific_heat: Any,
              viscosity: Any, conductivity: Any, freezing_point: Any = None,
              boiling_point: Any = None) -> Fluid:
    """A user's liquid from a property table (e.g. a dielectric CoolProp lacks).

    Parameters
    ----------
    name : str
        Name of the fluid, used in messages and for equality.
    temperature : pint.Quantity
        Strictly increasing temperatures, at least 2, e.g. ``Q_([0, 20, 40], "degC")``.
    density, specific_heat, viscosity, conductivity : pint.Quantity
        Positive values at each temperature: [kg/m³], [J/(kg·K)], [Pa·s],
        [W/(m·K)] or any convertible unit.
    freezing_point : pint.Quantity, optional
        Freezing (pour) point; the valid range starts at
        ``max(freezing_point, temperature[0])``.
    boiling_point : pint.Quantity, optional
        Boiling point, taken as independent of pressure by
        :meth:`~Fluid.boiling_temperature_p`; without it the boiling point is
        unknown (``inf``).

    Returns
    -------
    Fluid
        Valid over the table (from the freezing point if that is higher).
        Between the given points, density, cp and conductivity are interpolated
        with a monotone cubic (PCHIP) and viscosity with PCHIP in
        ``log(viscosity)``; no pressure dependence. Enthalpy is zero at ``t_min``.

    Raises
    ------
    UnitError
        Bare numbers or wrong dimensions.
    InputError
        Unequal lengths, a non-increasing temperature grid, non-positive
        property values, or a freezing point above the table.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> Q_ = nt.Q_
    >>> oil = tabulated("dielectric-X", temperature=Q_([0, 40, 80], "degC"),
    ...                 density=Q_([1850, 1780, 1710], "kg/m^3"),
    ...                 specific_heat=Q_([1.05, 1.10, 1.15], "kJ/(kg*K)"),
    ...                 viscosity=Q_([1.6, 0.8, 0.5], "mPa*s"),
    ...                 conductivity=Q_([0.066, 0.062, 0.058], "W/(m*K)"))
    >>> round(oil.density_pT(313.15))
    1780
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"name={name!r} must be a non-empty string naming the fluid.")
    T = _array(temperature, "K", "temperature", None)
    if T.size < 2:
        raise InputError(f"temperature needs at least 2 values, got {T.size}.")
    dT = np.diff(T)
    if not np.all(dT > 0):
        j = int(np.flatnonzero(~(dT > 0))[0])
        raise InputError(
            f"temperature must be strictly increasing; value {j + 1} ({T[j + 1] - 273.15:g} °C) "
            f"does not exceed value {j} ({T[j] - 273.15:g} °C). Sort the table by temperature "
            "and remove duplicates.")
    n = T.size
    props = {"density": _array(density, "kg/m^3", "density", n),
             "cp": _array(specific_heat, "J/(kg*K)", "specific_heat", n),
             "viscosity": _array(viscosity, "Pa*s", "viscosity", n),
             "conductivity": _array(conductivity, "W/(m*K)", "conductivity", n)}
    tf = None if freezing_point is None else float(to_temperature(freezing_point,
                                                                  "freezing_point"))
    tb = None if boiling_point is None else float(to_temperature(boiling_point,
                                                                 "boiling_point"))
    t_min = T[0] if tf is None else max(T[0], tf)
    if t_min >= T[-1]:
        raise InputError(f"freezing_point={tf - 273.15:g} °C is not below the last table "
                         f"temperature {T[-1] - 273.15:g} °C; nothing of the table is liquid.")
    if tb is not None and tf is not None and tb <= tf:
        raise InputError(f"boiling_point={tb - 273.15:g} °C must exceed freezing_point="
                         f"{tf - 273.15:g} °C.")
    from scipy.interpolate import PchipInterpolator  # noqa: PLC0415

    grid = _grid(float(t_min), float(T[-1]))
    tables = {k: PchipInterpolator(T, v)(grid) for k, v in props.items()
              if k != "viscosity"}
    tables["viscosity"] = np.exp(PchipInterpolator(T, np.log(props["viscosity"]))(grid))
    h = _enthalpy(grid, tables["cp"], 0.0)
    key = ("tabulated", name, T.tobytes(), *(v.tobytes() for v in props.values()), tf, tb)
    return Fluid(name=name, kind="tabulated", source="user table", key=key,
                 temperature=grid, tables=tables, enthalpy=h, freezing_temperature=tf,
                 boiling=tb)
