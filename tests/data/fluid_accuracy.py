"""Accuracy of narvik_thermal.fluids tables against direct CoolProp calls.

Run ``python tests/data/fluid_accuracy.py [n_points]`` to print, per fluid and
property, the maximum relative error of the tables against CoolProp over
random states in the fluid's whole valid range. The validation cases
``fluids.coolprop.*`` (``tests/validation_cases.py``) call :func:`accuracy` and
hold every error to 1e-3 (the acceptance criterion of the fluids layer).

Sampling
--------
- T uniform in ``[t_min, t_max]`` (for INCOMP fluids from CoolProp's own lower
  limit: seawater's table reaches its freezing point below CoolProp's 0 °C by an
  extrapolation that ``tests/test_fluids.py`` checks separately).
- p uniform in ``[max(1 bar, p_sat(T)), 50 bar]`` for HEOS fluids (liquid
  states only; the linear pressure correction is checked there), and in
  ``[1 bar, 20 bar]`` for INCOMP fluids (CoolProp's INCOMP properties do not
  depend on pressure; states above a fluid's boiling point are evaluated at
  1.05 × p_sat so that CoolProp accepts them).
- Enthalpy differences ``h(T2) - h(T1)`` for random pairs with
  ``|T2 - T1| >= 0.5 K`` against CoolProp along the table's reference path:
  ``h_CP(T2, p) - h_CP(T1, p)`` at one pressure where both are liquid at
  1 atm (INCOMP fluids, HEOS below the normal boiling point), otherwise the
  Gauss–Legendre integral of CoolProp's ``cp`` along ``p0(T) = max(1 atm,
  p_sat(T))``. The column ``dh@p`` (information only) compares with CoolProp's
  isobaric ``Δh`` at the random pressure ``p``: it shows the size of the
  pressure dependence of liquid enthalpy that the pressure-independent
  ``enthalpy_T`` ignores by design.
"""

from __future__ import annotations

import sys

import numpy as np

from narvik_thermal import Q_, fluids
from narvik_thermal.fluids.coolprop_backend import P_REF, CoolPropLiquid

PROPS = ("density", "cp", "viscosity", "conductivity", "prandtl", "dh")


def cases() -> dict[str, tuple]:
    """``label -> (fluid, CoolPropLiquid reference)`` for the checked fluids."""
    return {
        "water": (fluids.water(), CoolPropLiquid("HEOS", "Water")),
        "PG 0.25": (fluids.propylene_glycol(0.25), CoolPropLiquid("INCOMP", "MPG", 0.25)),
        "PG 0.40": (fluids.propylene_glycol(0.40), CoolPropLiquid("INCOMP", "MPG", 0.40)),
        "EG 0.30": (fluids.ethylene_glycol(0.30), CoolPropLiquid("INCOMP", "MEG", 0.30)),
        "seawater 35 g/kg": (fluids.seawater(Q_(35, "g/kg")),
                             CoolPropLiquid("INCOMP", "MITSW", 0.035)),
        "INCOMP::T66": (fluids.coolprop("INCOMP::T66"), CoolPropLiquid("INCOMP", "T66")),
        "Ethanol (HEOS)": (fluids.coolprop("Ethanol"), CoolPropLiquid("HEOS", "Ethanol")),
    }


def _psat_water(T: np.ndarray) -> np.ndarray:
    ref = CoolPropLiquid("HEOS", "Water")
    return ref.saturation_pressure_T(np.minimum(T, 647.0))


def _reference_pressure(fluid, ref: CoolPropLiquid, T: np.ndarray, p: np.ndarray) -> np.ndarray:
    """A pressure at which CoolProp accepts the (liquid) state for INCOMP fluids."""
    if ref.backend == "HEOS":
        return p
    out = p.copy()
    for j, (t, pj) in enumerate(zip(T, p)):
        try:
            ref.properties_pT(t, pj, ("density",))
        except ValueError:
            out[j] = max(pj, 1.05 * float(ref.saturation_pressure_T(t)) + 1e3)
    return out


def _coolprop_low(fluid, ref: CoolPropLiquid) -> float:
    """Lowest temperature of the comparison: the table's, or CoolProp's own lower
    limit of an INCOMP fluid whose table is extended below it (seawater below
    0 °C; that extension is checked in ``tests/test_fluids.py`` instead)."""
    if ref.backend == "INCOMP":
        return max(fluid.t_min, ref.temperature_limits()[0])
    return fluid.t_min


def accuracy(fluid, ref: CoolPropLiquid, n: int = 2000, n_pairs: int = 300,
             seed: int = 1) -> dict[str, float]:
    """Maximum relative error of ``fluid`` against CoolProp, per property."""
    rng = np.random.default_rng(seed)
    t_lo = _coolprop_low(fluid, ref)
    T = rng.uniform(t_lo, fluid.t_max, n)
    T[:2] = t_lo, fluid.t_max
    if ref.backend == "HEOS":
        t_c, _ = ref.critical_point()
        psat = ref.saturation_pressure_T(np.minimum(T, t_c - 0.05))
        p_lo = np.maximum(1e5, psat)
        p = p_lo + rng.uniform(0.0, 1.0, n) * (50e5 - p_lo)
    else:
        p = rng.uniform(1e5, 20e5, n)
    p_ref = _reference_pressure(fluid, ref, T, p)
    want = ref.properties_pT(T, p_ref)
    got = fluid.properties_pT(T, p)
    err = {}
    for k in ("density", "cp", "viscosity", "conductivity"):
        err[k] = float(np.max(np.abs(got[k] / want[k] - 1.0)))
    pr = want["cp"] * want["viscosity"] / want["conductivity"]
    err["prandtl"] = float(np.max(np.abs(got["prandtl"] / pr - 1.0)))

    # enthalpy differences along the reference path
    T1 = rng.uniform(t_lo, fluid.t_max, n_pairs)
    T2 = rng.uniform(t_lo, fluid.t_max, n_pairs)
    keep = np.abs(T2 - T1) >= 0.5
    T1, T2 = T1[keep], T2[keep]
    dh = fluid.enthalpy_T(T2) - fluid.enthalpy_T(T1)
    dh_ref = np.empty_like(dh)
    if ref.backend == "HEOS":
        t_c, _ = ref.critical_point()
        x, wq = np.polynomial.legendre.leggauss(24)
        for j, (a, b) in enumerate(zip(T1, T2)):
            hi = max(a, b)
            if ref.saturation_pressure_T(hi) < P_REF:
                h = ref.enthalpy_pT([a, b], P_REF)
                dh_ref[j] = h[1] - h[0]
            else:
                Tq = 0.5 * (b - a) * x + 0.5 * (a + b)
                p0 = np.maximum(P_REF, ref.saturation_pressure_T(np.minimum(Tq, t_c - 0.05)))
                dh_ref[j] = 0.5 * (b - a) * np.sum(wq * ref.cp_pT(Tq, p0))
    else:
        for j, (a, b) in enumerate(zip(T1, T2)):
            hi = np.array([max(a, b)])
            pp = _reference_pressure(fluid, ref, hi, np.array([P_REF]))[0]
            h = ref.enthalpy_pT([a, b], pp)
            dh_ref[j] = h[1] - h[0]
    err["dh"] = float(np.max(np.abs(dh / dh_ref - 1.0)))

    # information only: isobaric Δh of CoolProp at the state pressure
    pp = rng.uniform(1e5, 50e5 if ref.backend == "HEOS" else 20e5, T1.size)
    if ref.backend == "HEOS":
        t_c, _ = ref.critical_point()
        pp = np.maximum(pp, ref.saturation_pressure_T(np.minimum(np.maximum(T1, T2),
                                                                  t_c - 0.05)))
    pp = np.maximum(pp, _reference_pressure(fluid, ref, np.maximum(T1, T2), pp))
    dh_p = ref.enthalpy_pT(T2, pp) - ref.enthalpy_pT(T1, pp)
    err["dh@p"] = float(np.max(np.abs(dh / dh_p - 1.0)))
    return err


def table(n: int = 2000, n_pairs: int = 300) -> str:
    """The accuracy table as Markdown."""
    cols = (*PROPS, "dh@p")
    lines = ["| fluid | T range [°C] | " + " | ".join(cols) + " |",
             "|---|---|" + "---|" * len(cols)]
    for label, (fluid, ref) in cases().items():
        err = accuracy(fluid, ref, n, n_pairs)
        rng = f"{_coolprop_low(fluid, ref) - 273.15:.2f} … {fluid.t_max - 273.15:.2f}"
        lines.append(f"| {label} | {rng} | " + " | ".join(f"{err[c]:.1e}" for c in cols)
                     + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    print(f"max relative error vs CoolProp, {n} random (T, p) states per fluid")
    print(table(n, max(300, n // 10)))
