"""Validation cases as data: what is compared with what, and how closely.

One registry serves two readers:

- ``tests/test_validation_cases.py`` evaluates every *computed* case and fails
  when its agreement exceeds the tolerance stated here; tests too slow for that
  (whole networks against EPANET and pandapipes) measure their agreement
  themselves and hand it to :func:`check`, which asserts the tolerance stated
  here and records the measurement;
- ``docs/_ext/validation_tables.py`` writes the tables of
  ``docs/validation.rst`` from the same cases: it evaluates the computed cases
  while the documentation builds and reads the recorded ones from
  :func:`results_dir` (written by the last test run), so no number in those
  tables is typed by hand.

A case
------
:class:`Case` holds the quantity compared, the source of the reference
(reStructuredText), the tolerance and the reason for it. A computed case has
``model`` (our value) and ``reference`` (a published value, or a callable that
asks another tool), compared by ``metric``: ``"relative"``
(max |m/r − 1|) or ``"absolute"`` (max |m − r|, in ``unit``); or ``measure``,
a callable that returns the agreement itself (a float, a dict of named
floats, each held to the tolerance, or a :class:`Measurement` that also
carries our own value). A case with ``metric="value"`` holds a measured value
(or each value of a dict) between ``bounds`` instead of comparing it: a
direction, a range a source gives, a count (``inclusive`` says whether the
bounds themselves pass). A recorded case (``recorded=True``) names the test
that measures it.

The plant, its operation, the site, the annual runs, the KPIs and the audit
have their cases in ``tests/validation_cases_site.py``, appended to
:data:`CASES` here.

Adding a case: append it to :data:`CASES` with an id not used before and a
``table`` that ``docs/validation.rst`` renders (``.. validation-table::``);
``tests/test_validation_cases.py`` checks both.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib.util
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
#: environment variable naming the folder of recorded results
RESULTS_ENV = "NARVIK_VALIDATION_RESULTS"
C0 = 273.15


# ============================================================================
# the case and its evaluation
# ============================================================================
@dataclass(frozen=True)
class Case:
    """One validation case (see the module docstring)."""

    id: str
    table: str
    quantity: str
    source: str
    tolerance: float | None
    metric: str = "relative"
    unit: str = ""
    value_unit: str | None = None
    reference_text: str = ""
    why: str = ""
    model: Callable[[], Any] | None = None
    reference: Any = None
    measure: Callable[[], Any] | None = None
    requires: tuple[str, ...] = ()
    recorded: bool = False
    test: str = ""
    fields: tuple[tuple[str, str], ...] = field(default=())
    bounds: tuple[float | None, float | None] | None = None
    inclusive: bool = False
    digits: int = 3

    @property
    def computed(self) -> bool:
        return not self.recorded

    @property
    def shown_unit(self) -> str:
        """The unit of a value (ours, a published reference) as displayed."""
        return self.unit if self.value_unit is None else self.value_unit

    def reference_value(self) -> str:
        """A single published reference value as text, '' otherwise."""
        if self.reference_text:
            return self.reference_text
        if callable(self.reference) or self.reference is None or np.ndim(self.reference):
            return ""
        return f"{_num(float(self.reference))} {self.shown_unit}".strip()

    def registry_key(self) -> Any:
        """What a record must have been held to, to be current (JSON-comparable)."""
        return list(self.bounds) if self.metric == "value" else self.tolerance


@dataclass
class Measurement:
    """The agreement of a case: ``value`` (float or dict of floats), our own
    value where the reference is a single published number (``ours``)."""

    value: float | dict[str, float]
    ours: float | None = None

    def worst(self) -> float:
        if isinstance(self.value, dict):
            return max(self.value.values())
        return float(self.value)


def missing_requirements(case: Case) -> list[str]:
    """The optional packages a case needs that are not installed."""
    return [m for m in case.requires if importlib.util.find_spec(m) is None]


def deviation(m, r, metric: str) -> float:
    m, r = np.asarray(m, dtype=float), np.asarray(r, dtype=float)
    if metric == "relative":
        # a zero reference admits only a zero value
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(r == 0, np.where(m == 0, 0.0, np.inf), np.abs(m - r) / np.abs(r))
        return float(np.max(d))
    if metric == "absolute":
        return float(np.max(np.abs(m - r)))
    raise ValueError(f"unknown metric {metric!r}")


def evaluate(case: Case) -> Measurement:
    """Evaluate a computed case."""
    if case.recorded:
        raise ValueError(f"{case.id} is measured by {case.test}, not evaluated here")
    if case.measure is not None:
        v = case.measure()
        if isinstance(v, Measurement):
            return v
        if isinstance(v, dict):
            return Measurement({k: float(x) for k, x in v.items()})
        return Measurement(float(v))
    ours = case.model()
    if case.metric == "value":
        if isinstance(ours, dict):
            return Measurement({k: float(x) for k, x in ours.items()})
        return Measurement(float(ours))
    ref = case.reference() if callable(case.reference) else case.reference
    value = deviation(ours, ref, case.metric)
    single = np.ndim(ours) == 0 and not callable(case.reference)
    return Measurement(value, float(ours) if single else None)


def _within(case: Case, v: float) -> bool:
    lo, hi = case.bounds
    if case.inclusive:
        return (lo is None or v >= lo) and (hi is None or v <= hi)
    return (lo is None or v > lo) and (hi is None or v < hi)


def passed(case: Case, measurement: Measurement, tolerance: float | None = None) -> bool:
    if case.metric == "value":
        v = measurement.value
        return all(_within(case, float(x)) for x in (v.values() if isinstance(v, dict) else [v]))
    tol = case.tolerance if tolerance is None else tolerance
    return measurement.worst() <= tol


def by_id(case_id: str) -> Case:
    for c in CASES:
        if c.id == case_id:
            return c
    raise KeyError(f"no validation case {case_id!r}")


def tables() -> list[str]:
    """The table names, in order of first appearance."""
    return list(dict.fromkeys(c.table for c in CASES))


# ============================================================================
# recorded results
# ============================================================================
def results_dir() -> Path:
    """Where measurements are recorded: ``$NARVIK_VALIDATION_RESULTS``, else
    ``build/validation-results`` in the repository (git-ignored)."""
    env = os.environ.get(RESULTS_ENV)
    return Path(env) if env else ROOT / "build" / "validation-results"


def _file(case_id: str, label: str) -> Path:
    stem = case_id if not label else f"{case_id}@{label}"
    return results_dir() / (re.sub(r"[^A-Za-z0-9_.@+-]", "_", stem) + ".json")


def record(case: Case, measurement: Measurement, label: str = "",
           tolerance: float | None = None, **fields: Any) -> None:
    """Write a measurement (one JSON file per case and label)."""
    import narvik_thermal

    d = results_dir()
    d.mkdir(parents=True, exist_ok=True)
    data = {"id": case.id, "label": label, "value": measurement.value,
            "ours": measurement.ours,
            "tolerance": case.tolerance if tolerance is None else tolerance,
            "registry_tolerance": case.registry_key(),
            "passed": passed(case, measurement, tolerance),
            "version": narvik_thermal.__version__,
            "time": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "fields": {k: str(v) for k, v in fields.items()}}
    path = _file(case.id, label)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    tmp.replace(path)


def check(case_id: str, value: float | dict[str, float], label: str = "",
          tolerance: float | None = None, ours: float | None = None, **fields: Any) -> None:
    """Record a measurement made by a test and assert the case's tolerance (or,
    for ``metric="value"``, its bounds).

    ``tolerance`` only for cases whose registry tolerance is ``None`` (a rule
    evaluated by the test, stated in :attr:`Case.why`); ``ours``: our own value,
    shown next to the agreement."""
    case = by_id(case_id)
    if case.metric == "value":
        if tolerance is not None:
            raise ValueError(f"{case_id}: a value case is held to its bounds, not a tolerance")
    elif (case.tolerance is None) == (tolerance is None):
        raise ValueError(f"{case_id}: give a tolerance exactly when the registry states none")
    m = Measurement({k: float(v) for k, v in value.items()} if isinstance(value, dict)
                    else float(value), None if ours is None else float(ours))
    tolerance = None if tolerance is None else float(tolerance)
    record(case, m, label, tolerance, **fields)
    if case.metric == "value":
        assert passed(case, m), (f"{case_id}{' ' + label if label else ''}: {m.value} is not "
                                 f"{fmt_tolerance(case, None)} ({case.why})")
        return
    tol = case.tolerance if tolerance is None else tolerance
    assert passed(case, m, tol), (f"{case_id}{' ' + label if label else ''}: agreement "
                                  f"{m.value} exceeds the tolerance {tol:g} ({case.why})")


def recorded(case: Case) -> list[dict]:
    """The recorded measurements of a case, current ones only (a record made
    with another registry tolerance is stale and left out)."""
    d = results_dir()
    if not d.is_dir():
        return []
    out = []
    stem = re.sub(r"[^A-Za-z0-9_.@+-]", "_", case.id)
    for p in sorted(d.glob(stem + "*.json")):
        try:
            data = json.loads(p.read_text())
        except ValueError:
            continue
        if data.get("id") != case.id or data.get("registry_tolerance") != case.registry_key():
            continue
        out.append(data)
    return out


# ============================================================================
# formatting (used by the documentation)
# ============================================================================
def fmt(case: Case, v: float) -> str:
    if case.metric == "value":
        return f"{_num(float(f'{v:.{case.digits}g}'))} {case.unit}".strip()
    if v == 0:
        return "0"
    if case.metric == "absolute":
        s = f"{v:.2g}"
        if "e" in s:
            s = f"{v:.1e}"
        return f"{s} {case.unit}".strip()
    return f"{v:.1e}"


def _num(x: float) -> str:
    for f in ("{:g}", "{:.10g}"):
        s = f.format(x)
        if float(s) == x:
            return s.replace("-", "−")
    return repr(x).replace("-", "−")


def fmt_tolerance(case: Case, tol: float | None) -> str:
    if case.metric == "value":
        lo, hi = case.bounds
        u = f" {case.unit}" if case.unit else ""
        s = lambda x: _num(float(x))   # noqa: E731
        if lo is not None and hi is not None:
            return (f"from {s(lo)} to {s(hi)}{u}" if case.inclusive
                    else f"between {s(lo)} and {s(hi)}{u}")
        if hi is not None:
            return f"{'at most' if case.inclusive else 'below'} {s(hi)}{u}"
        return f"{'at least' if case.inclusive else 'above'} {s(lo)}{u}"
    if tol is None:
        return "by rule"
    if case.metric == "absolute":
        return fmt(case, tol) + ("" if case.unit else " absolute")
    return fmt(case, tol) + " relative"


def fmt_measurement(case: Case, value: float | dict, ours: float | None = None) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {fmt(case, v)}" for k, v in value.items())
    s = fmt(case, value)
    if ours is not None:
        u = case.shown_unit
        s += f" (ours {_num(float(f'{ours:.6g}'))}{' ' + u if u else ''})"
    return s


# ============================================================================
# helpers of the cases
# ============================================================================
def _vec(fn, *args):
    return np.vectorize(fn)(*args)


def _quiet(fn, *args, **kw):
    import warnings

    from narvik_thermal.errors import RangeWarning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return fn(*args, **kw)


# -- friction ----------------------------------------------------------------
RE_TURB = np.logspace(np.log10(4000.0), 8.0, 60)
ED = np.r_[0.0, np.logspace(-6, np.log10(0.05), 12)]
RE_ALL = np.logspace(-1, 8, 200)


def _fr():
    from narvik_thermal.correlations import friction
    return friction


def _fluids_friction(name, Re, eD):
    import fluids
    with np.errstate(over="ignore"):       # fluids' Lambert-W path overflows internally
        return _vec(getattr(fluids.friction, name), Re, eD)


def epanet_darcy_weisbach(Re: float, eD: float) -> float:
    """EPANET 2.2 ``hydcoeffs.c``, Darcy–Weisbach friction factor, written out
    with its own constants (A8 … AC) and Dunlop's cubic between Re 2000 and 4000."""
    A9, AA, AB = -8.68588963806503655300e-01, -1.5634601348517065795e+00, 3.28895476345399058690e-03
    AC = AA * AB
    if Re < 2000:
        return 64.0 / Re
    if Re > 4000:
        return 0.25 / np.log10(eD / 3.7 + 5.74 / Re ** 0.9) ** 2
    y2 = eD / 3.7 + AB
    y3 = A9 * np.log(y2)
    fa = 1.0 / (y3 * y3)
    fb = (2.0 + AC / (y2 * y3)) * fa
    r = Re / 2000.0
    x1 = 7.0 * fa - fb
    x2 = 0.128 - 17.0 * fa + 2.5 * fb
    x3 = -0.128 + 13.0 * fa - (fb + fb)
    x4 = 0.032 - 3.0 * fa + 0.5 * fb
    return x1 + r * (x2 + r * (x3 + r * x4))


_EPANET_RE = np.array([500.0, 1999.0, 2500.0, 3000.0, 3999.0, 4001.0, 1e5, 1e7])
_EPANET_ED = np.array([0.0, 1e-5, 1e-3, 0.02])


def _grid(Re, eD):
    return np.meshgrid(Re, eD)


# -- minor losses --------------------------------------------------------------
RHO_FLUIDS_KV = 999.29744568   # fluids' Kv_to_K: water at 60 °F (its constant 1.6e9)


def _ml():
    from narvik_thermal.correlations import minor_loss
    return minor_loss


def _fit():
    import fluids
    return fluids.fittings


# -- convection, ε-NTU ---------------------------------------------------------
RE_CONV = np.logspace(np.log10(2301.0), np.log10(4.9e6), 40)
PR_CONV = np.logspace(np.log10(0.51), np.log10(1990.0), 15)
HT_ARRANGEMENTS = {
    "counterflow": "counterflow",
    "parallel": "parallel",
    "crossflow_unmixed": "crossflow approximate",
    "crossflow_unmixed_exact": "crossflow",
    "crossflow_cmax_mixed": "crossflow, mixed Cmax",
    "crossflow_cmin_mixed": "crossflow, mixed Cmin",
    "shell_and_tube_1_2": "S&T",
}
_CLOSED_FORM = [a for a in HT_ARRANGEMENTS if a != "crossflow_unmixed_exact"]


def _cv():
    from narvik_thermal.correlations import convection
    return convection


def _hx():
    from narvik_thermal.correlations import hx
    return hx


def _eps_vs_ht() -> dict[str, float]:
    import ht
    hx = _hx()
    N = np.logspace(-3, 2, 60)[:, None]
    Cr = np.logspace(-4, 0, 15)[None, :]
    out = {}
    for a in _CLOSED_FORM:
        ref = _vec(lambda n, c: ht.hx.effectiveness_from_NTU(n, c, HT_ARRANGEMENTS[a]), N, Cr)
        out[a.replace("_", " ")] = deviation(hx.effectiveness_from_NTU(N, Cr, a), ref, "absolute")
    return out


def _eps_crossflow_exact() -> tuple[np.ndarray, np.ndarray]:
    import ht
    N = np.linspace(0.01, 8.0, 25)[:, None]
    Cr = np.linspace(0.05, 1.0, 8)[None, :]
    ref = _vec(lambda n, c: ht.hx.effectiveness_from_NTU(n, c, "crossflow"), N, Cr)
    return _hx().effectiveness_from_NTU(N, Cr, "crossflow_unmixed_exact"), ref


def _ntu_vs_ht(arrangements) -> dict[str, float]:
    import ht
    hx = _hx()
    out = {}
    for a in arrangements:
        # ht's shell-and-tube inverse divides 0/0 at Cr = 1 exactly: 0.999 there
        Cr = np.array([0.1, 0.5, 0.9, 0.999 if a == "shell_and_tube_1_2" else 1.0])
        eps = 0.9 * hx.effectiveness_max(Cr, a) * np.array([[0.1], [0.5], [0.99]])
        ref = _vec(lambda e, c: ht.hx.NTU_from_effectiveness(e, c, HT_ARRANGEMENTS[a]), eps, Cr)
        out[a.replace("_", " ")] = deviation(hx.NTU_from_effectiveness(eps, Cr, a), ref,
                                              "relative")
    return out


# Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed., Example 11.1
def _incropera_11_1_effectiveness() -> float:
    hx = _hx()
    Cmin, Cr = hx.heat_capacity_ratio(0.1 * 2131, 0.2 * 4178)
    NTU = 38.1 * np.pi * 0.025 * 65.9 / Cmin
    return float(hx.effectiveness_from_NTU(NTU, Cr))


# -- plate heat exchangers -------------------------------------------------------
RE_PLATE = np.geomspace(50.0, 5e4, 121)
PLATE_ANGLES = [5.0, 20.0, 30.0, 45.0, 60.0, 65.0, 80.0, 85.0]


def _ph():
    from narvik_thermal.correlations import plate_hx
    return plate_hx


def _martin_vs_ht() -> dict[str, float]:
    import ht
    cp = ht.conv_plate
    ph = _ph()
    out = {}
    for variant, ht_f, ht_v in (("vdi", cp.friction_plate_Martin_VDI, "VDI"),
                                ("1999", cp.friction_plate_Martin_1999, "1999")):
        df = dn = 0.0
        for phi in PLATE_ANGLES:
            ref = np.array([ht_f(float(r), phi) for r in RE_PLATE])
            df = max(df, deviation(_quiet(ph.friction_plate_martin, RE_PLATE, phi, variant),
                                    ref, "relative"))
            ref = np.array([cp.Nu_plate_Martin(float(r), 5.3, phi, ht_v) for r in RE_PLATE])
            dn = max(dn, deviation(_quiet(ph.nusselt_plate_martin, RE_PLATE, 5.3, phi, variant),
                                    ref, "relative"))
        out[f"f ({ht_v})"] = df
        out[f"Nu ({ht_v})"] = dn
    return out


def _exponent_range(Re) -> dict[str, float]:
    n = _ph().film_exponent_plate(Re, np.array([[30.0], [65.0]]))
    return {"lowest": float(n.min()), "highest": float(n.max())}


def _muley_manglik_vs_ht() -> float:
    import ht
    ph = _ph()
    dev = 0.0
    for b in (30.0, 45.0, 60.0):
        for phi in (1.0, 1.17, 1.5):
            ref = np.array([ht.conv_plate.Nu_plate_Muley_Manglik(float(r), 4.0, b, phi)
                            for r in RE_PLATE])
            dev = max(dev, deviation(_quiet(ph.nusselt_plate_muley_manglik, RE_PLATE, 4.0, b,
                                             phi), ref, "relative"))
    return dev


def _film_exponent_vs_ht() -> float:
    import ht
    ph = _ph()
    Re = RE_PLATE[np.abs(RE_PLATE - 2000.0) > 10.0]
    h = 1e-6
    dev = 0.0
    for method, variant in (("martin_vdi", "VDI"), ("martin_1999", "1999")):
        for phi in PLATE_ANGLES:
            fd = np.array([(np.log(ht.conv_plate.Nu_plate_Martin(r * (1 + h), 5.3, phi, variant))
                            - np.log(ht.conv_plate.Nu_plate_Martin(r * (1 - h), 5.3, phi,
                                                                   variant)))
                           / np.log((1 + h) / (1 - h)) for r in Re])
            dev = max(dev, deviation(_quiet(ph.film_exponent_plate, Re, phi, method), fd,
                                      "absolute"))
    return dev


# -- fluids -------------------------------------------------------------------
def _fluid_accuracy_module():
    path = Path(__file__).parent / "data" / "fluid_accuracy.py"
    spec = importlib.util.spec_from_file_location("fluid_accuracy", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_FLUID_LABELS = {"water": "water", "PG 0.25": "PG25", "PG 0.40": "PG40", "EG 0.30": "EG30",
                 "seawater 35 g/kg": "seawater 35 g/kg", "INCOMP::T66": "Therminol 66",
                 "Ethanol (HEOS)": "ethanol"}
_PROP_LABELS = {"density": "ρ", "cp": "cp", "viscosity": "μ", "conductivity": "k",
                "prandtl": "Pr", "dh": "Δh"}


@functools.lru_cache(maxsize=1)
def _fluid_cases():
    mod = _fluid_accuracy_module()
    return mod, mod.cases()


def _fluid_accuracy(label: str) -> Callable[[], dict[str, float]]:
    def measure() -> dict[str, float]:
        mod, cases = _fluid_cases()
        fluid, ref = cases[label]
        err = mod.accuracy(fluid, ref, n=2000, n_pairs=300, seed=7)
        return {_PROP_LABELS[p]: err[p] for p in mod.PROPS}
    return measure



def _pg25(prop: str, t_c: float) -> float:
    from narvik_thermal import fluids
    pg = fluids.propylene_glycol(0.25)
    T = t_c + C0
    return pg.cp_pT(T) / 1000.0 if prop == "cp" else pg.density_pT(T)


# -- psychrometrics -----------------------------------------------------------
ASHRAE_TABLE2 = {25.0: (0.020173, 76.504), 5.0: (0.005425, 18.639), -20.0: (0.0006373, -18.542)}


def _ha():
    from narvik_thermal.fluids import humid_air
    return humid_air


def _Q(v, u):
    from narvik_thermal import Q_
    return Q_(v, u)


def _example1_rh() -> float:
    import CoolProp.CoolProp as CP
    return CP.HAPropsSI("R", "T", 313.15, "P", 101325.0, "B", 293.15)


def _ha_vs_coolprop() -> float:
    import CoolProp.CoolProp as CP
    ha = _ha()
    dev = 0.0
    for T_C, rh, p in [(-15.0, 0.85, 101325.0), (0.5, 0.6, 99000.0), (22.0, 0.45, 101325.0),
                       (34.0, 0.7, 100500.0)]:
        T, P = T_C + C0, _Q(p, "Pa")
        ex = {k: CP.HAPropsSI(k, "T", T, "P", p, "R", rh)
              for k in ("Twb", "Tdp", "W", "Hda", "Vha", "cp_ha")}
        t = _Q(T_C, "degC")
        pairs = [(ha.wet_bulb_temperature(t, rh, P).m_as("K"), ex["Twb"]),
                 (ha.dew_point(t, rh, P).m_as("K"), ex["Tdp"]),
                 (ha.humidity_ratio(t, rh, P).m_as(""), ex["W"]),
                 (ha.enthalpy(t, rh, P).m_as("J/kg"), ex["Hda"]),
                 (ha.density(t, rh, P).m_as("kg/m^3"), 1.0 / ex["Vha"]),
                 (ha.specific_heat(t, rh, P).m_as("J/(kg*K)"), ex["cp_ha"])]
        dev = max(dev, max(deviation(a, b, "relative") for a, b in pairs))
    return dev


# -- cold plates --------------------------------------------------------------
OCP_DATA = Path(__file__).parent / "data" / "ocp_oai_cold_plate.csv"


def ocp_curve(fluid: str) -> tuple[np.ndarray, np.ndarray]:
    """(flow [L/min], case-to-inlet resistance [K/W]) of the OCP OAI curve of
    ``fluid`` ('PG25' or 'water'), from ``tests/data/ocp_oai_cold_plate.csv``."""
    rows = [ln.split(",") for ln in OCP_DATA.read_text().splitlines()
            if ln and not ln.startswith("#")]
    V, R = np.array([(float(v), float(r)) for f, v, r in rows if f == fluid]).T
    return V, R


def _ocp_fit(fluid: str) -> float:
    from narvik_thermal.correlations.cold_plate import (fit_thermal_resistance_curve,
                                                        thermal_resistance_flow)
    V, R = ocp_curve(fluid)
    f = fit_thermal_resistance_curve(V / 6e4, R, 1.5 / 6e4)
    fit = thermal_resistance_flow(V / 6e4, f.R_conduction, f.R_convection_rated, 1.5 / 6e4,
                                  f.exponent)
    return deviation(fit, R, "relative")


def _ocp_network(fluid: str) -> float:
    import narvik_thermal as nt
    V, R = ocp_curve(fluid)
    fl = nt.fluids.propylene_glycol(0.25) if fluid == "PG25" else nt.fluids.water()
    net = nt.Network("oam", fluid=fl)
    net.add_cold_plate("oam", "s", "r", heat=_Q(1.0, "kW"),
                       thermal_resistance=(_Q(V, "L/min"), _Q(R, "K/W")),
                       rated_flow=_Q(1.5, "L/min"), rated_pressure_drop=_Q(20, "kPa"))
    net.add_flow_boundary("s", mass_flow=_Q(V[0], "L/min"), temperature=_Q(30, "degC"))
    net.add_pressure_boundary("r", pressure=_Q(2, "bar"), temperature=_Q(30, "degC"))
    rise = []
    for v in V:
        net.update_boundary("s", mass_flow=_Q(v, "L/min"))
        rise.append(net.solve().chip_temperature("oam").m_as("degC") - 30.0)
    return deviation(np.array(rise) / 1000.0, R, "relative")


# -- cooling towers -----------------------------------------------------------
BAKER_SHRYOCK = {1: 0.1049, 2: 0.2108, 3: 0.3175, 5: 0.5318, 10: 1.0533, 15: 1.5513,
                 20: 1.9793, 25: 2.3078}
_P_ATM = 101325.0


def hs_cp(T):
    """Saturated-air enthalpy [J/kg dry air] at 1 atm from CoolProp, any array shape."""
    from CoolProp.HumidAirProp import HAPropsSI
    T = np.asarray(T, dtype=float)
    return np.reshape(HAPropsSI("H", "T", T.ravel(), "P", _P_ATM, "R", 1.0), T.shape)


def ws_cp(T):
    """Saturated humidity ratio [kg/kg dry air] at 1 atm from CoolProp, any array shape."""
    from CoolProp.HumidAirProp import HAPropsSI
    T = np.asarray(T, dtype=float)
    return np.reshape(HAPropsSI("W", "T", T.ravel(), "P", _P_ATM, "R", 1.0), T.shape)


def _F(f):
    return (f - 32.0) / 1.8 + C0


def _merkel(ranges) -> dict[str, float]:
    from narvik_thermal.correlations import cooling_tower as ct
    out = {}
    for rng in ranges:
        me = ct.merkel_number(_F(80 + rng), _F(80), hs_cp(_F(70)), 1.2, hs_cp,
                              cp_water=4186.8)
        out[f"{rng} °F"] = deviation(me, BAKER_SHRYOCK[rng], "relative")
    return out


def _merkel_quadrature() -> float:
    from narvik_thermal.correlations import cooling_tower as ct
    dev = 0.0
    for rng in BAKER_SHRYOCK:
        args = (_F(80 + rng), _F(80), hs_cp(_F(70)), 1.2, hs_cp)
        a = ct.merkel_number(*args, cp_water=4186.8)
        b = ct.merkel_number(*args, cp_water=4186.8, method="gauss_legendre")
        dev = max(dev, deviation(a, b, "relative"))
    return dev


def _tower_wet_bulb(points) -> dict[str, float]:
    from CoolProp.HumidAirProp import HAPropsSI

    from narvik_thermal.correlations import cooling_tower as ct
    out = {}
    for T_db, T_wb in points:
        h = HAPropsSI("H", "T", T_db + C0, "P", _P_ATM, "B", T_wb + C0)
        w = HAPropsSI("W", "T", T_db + C0, "P", _P_ATM, "B", T_wb + C0)
        r = ct.cooling_tower_braun(40 + C0, 0.0, 0.0, h, w, 0.0, saturated_enthalpy=hs_cp,
                                   saturated_humidity_ratio=ws_cp)
        out[f"{T_db:g}/{T_wb:g} °C"] = abs(r.T_wet_bulb - (T_wb + C0))
    return out


def _tower_evaporation() -> tuple[float, float]:
    from CoolProp.HumidAirProp import HAPropsSI

    from narvik_thermal.correlations import cooling_tower as ct
    from narvik_thermal.correlations import cooling_tower_unit as ctu
    hs, ws = ct.saturated_air_table(hs_cp, ws_cp)
    h = HAPropsSI("H", "T", 32 + C0, "P", _P_ATM, "B", 24 + C0)
    w = HAPropsSI("W", "T", 32 + C0, "P", _P_ATM, "B", 24 + C0)
    tower = ctu.cooling_tower_design(1e6, 35 + C0, 29 + C0, 32 + C0, h, w, saturated_enthalpy=hs,
                                     saturated_humidity_ratio=ws, water_air_ratio=1.2,
                                     fan_power=10e3)
    return tower.evaporation, ct.evaporation_rule_of_thumb(tower.water_mass_flow, 6.0)


# -- chillers -----------------------------------------------------------------
def hand_cooling_cop(fluid, T_e, T_c, eta=0.7, sh=5.0, sc=2.0):
    """Single-stage cooling cycle by hand with raw CoolProp ``PropsSI`` state points."""
    import CoolProp.CoolProp as CP
    pe = CP.PropsSI("P", "T", T_e, "Q", 1, fluid)
    pc = CP.PropsSI("P", "T", T_c, "Q", 0, fluid)
    h1 = CP.PropsSI("H", "P", pe, "T", T_e + sh, fluid)
    s1 = CP.PropsSI("S", "P", pe, "T", T_e + sh, fluid)
    h2 = h1 + (CP.PropsSI("H", "P", pc, "S", s1, fluid) - h1) / eta
    h3 = CP.PropsSI("H", "P", pc, "T", T_c - sc, fluid)
    rho1 = CP.PropsSI("D", "P", pe, "T", T_e + sh, fluid)
    return (h1 - h3) / (h2 - h1), rho1 * (h1 - h3)


def _chiller_design_cop() -> dict[str, float]:
    from narvik_thermal.correlations import chiller as ch
    out = {}
    for fluid, condenser in (("R134a", "water"), ("R1234ze(E)", "water"), ("R717", "air")):
        T_in = 30 + C0 if condenser == "water" else 25 + C0
        d = ch.chiller_design(1e6, 7 + C0, T_in, refrigerant=fluid, condenser=condenser)
        dT = 7.0 if condenser == "water" else 15.0
        cop, _ = hand_cooling_cop(fluid, 5 + C0, T_in + dT)
        out[fluid] = deviation(d.COP, cop, "relative")
    return out


def _chiller_tables() -> dict[str, float]:
    from narvik_thermal.correlations import chiller as ch
    design = ch.chiller_design(2e6, 7 + C0, 30 + C0, refrigerant="R134a")
    rng = np.random.default_rng(1)
    _, qv_d = hand_cooling_cop("R134a", design.T_evaporation, design.T_condensation)
    dc = dq = 0.0
    for _ in range(12):
        te = rng.uniform(design.T_evaporation - 12, design.T_evaporation + 20)
        lift = rng.uniform(design.minimum_lift,
                           design.T_condensation - design.T_evaporation + 20)
        cop, qv = hand_cooling_cop("R134a", te, te + lift)
        t_cop, t_ratio = design.cycle(te, te + lift)
        dc = max(dc, deviation(t_cop, cop, "relative"))
        dq = max(dq, deviation(t_ratio, qv / qv_d, "relative"))
    return {"COP": dc, "volumetric capacity": dq}


def _energyplus_chillers():
    from narvik_thermal.correlations import chiller as ch
    air_screw = dict(
        reference_capacity=216000.0, reference_cop=2.81673861898309, min_unload=0.15,
        capacity_curve=ch.PerformanceCurve(
            (0.98898813, 0.036832851, 0.000174006, -0.000275634, -0.000143667, -0.000246286),
            (4.44, 10.0), (23.89, 46.11), biquadratic=True),
        eir_curve=ch.PerformanceCurve(
            (0.814058418, 0.002335553, 0.000817786, -0.017129784, 0.000773288, -0.000922024),
            (4.44, 10.0), (10.0, 46.11), biquadratic=True),
        part_load_curve=ch.PerformanceCurve(
            (-0.08117804, 1.433532026, -0.762289434, 0.412199944), (0.0, 1.0)))
    mcquay_wsc = dict(
        reference_capacity=471200.0, reference_cop=5.89, min_unload=0.10,
        capacity_curve=ch.PerformanceCurve(
            (2.521130E-01, 1.324053E-02, -8.637329E-03, 8.581056E-02, -4.261176E-03,
             8.661899E-03), (7.22, 12.78), (12.78, 26.67), biquadratic=True),
        eir_curve=ch.PerformanceCurve(
            (4.475238E-01, -2.588210E-02, -1.459053E-03, 4.342595E-02, -1.000651E-03,
             1.920106E-03), (7.22, 12.78), (12.78, 26.67), biquadratic=True),
        part_load_curve=ch.PerformanceCurve((2.778889E-01, 2.338363E-01, 4.883748E-01),
                                            (0.0, 1.15)))
    return air_screw, mcquay_wsc


def _iplv(which: str) -> float:
    from narvik_thermal.correlations import chiller as ch
    air_screw, mcquay = _energyplus_chillers()
    if which == "air_ip":
        return ch.chiller_eir_iplv(condenser="air", standard="ip", **air_screw)
    if which == "air_si":
        return ch.chiller_eir_iplv(condenser="air", standard="si", **air_screw)
    return ch.chiller_eir_iplv(condenser="water", standard="si", **mcquay)


# -- heat pumps ----------------------------------------------------------------
_HP_CYCLES = [("R717", 1.0, 93.0), ("R717", 32.0, 88.0), ("R1234ze(E)", 20.0, 75.0),
              ("R600a", 30.0, 90.0), ("R134a", 5.0, 60.0), ("R290", 0.0, 55.0)]


def _hand_heating_cycle(fluid, T_e, T_c, eta=0.7, sh=5.0, sc=2.0):
    import CoolProp.CoolProp as CP
    pe = CP.PropsSI("P", "T", T_e, "Q", 1, fluid)
    pc = CP.PropsSI("P", "T", T_c, "Q", 0, fluid)
    h1 = CP.PropsSI("H", "P", pe, "T", T_e + sh, fluid)
    s1 = CP.PropsSI("S", "P", pe, "T", T_e + sh, fluid)
    h2s = CP.PropsSI("H", "P", pc, "S", s1, fluid)
    h2 = h1 + (h2s - h1) / eta
    h3 = CP.PropsSI("H", "P", pc, "T", T_c - sc, fluid)
    return (h2 - h3) / (h2 - h1)


def _hp_cycles() -> dict[str, float]:
    from narvik_thermal.correlations import heat_pump as hp
    from narvik_thermal.fluids import refrigerant
    out = {}
    for fluid, te, tc in _HP_CYCLES:
        res = hp.vapour_compression_cycle(refrigerant(fluid), te + C0, tc + C0)
        cop = _hand_heating_cycle(fluid, te + C0, tc + C0)
        out[f"{fluid} {te:g}→{tc:g} °C"] = deviation(res.COP_heating, cop, "relative")
    return out


def tespy_r717_cycle() -> dict:
    """The R717 heating cycle (1 → 93 °C, 5 K superheat, 2 K subcooling, η_s 0.7)
    solved by TESPy (CycleCloser → Compressor → condenser → Valve → evaporator):
    evaporating and condensing temperatures [K], compressor power [W per kg/s],
    discharge temperature [K] and heating COP."""
    import CoolProp.CoolProp as CP
    from tespy.components import Compressor, CycleCloser, SimpleHeatExchanger, Valve
    from tespy.connections import Connection
    from tespy.networks import Network
    fluid, T_e, T_c = "R717", 1 + C0, 93 + C0
    pe = CP.PropsSI("P", "T", T_e, "Q", 0, fluid)
    pc = CP.PropsSI("P", "T", T_c, "Q", 0, fluid)
    nw = Network(iterinfo=False)
    cc, comp = CycleCloser("cc"), Compressor("compressor")
    cond, valve, evap = SimpleHeatExchanger("cond"), Valve("valve"), SimpleHeatExchanger("evap")
    c1 = Connection(cc, "out1", comp, "in1")
    c2 = Connection(comp, "out1", cond, "in1")
    c3 = Connection(cond, "out1", valve, "in1")
    c4 = Connection(valve, "out1", evap, "in1")
    c5 = Connection(evap, "out1", cc, "in1")
    nw.add_conns(c1, c2, c3, c4, c5)
    comp.set_attr(eta_s=0.7)
    cond.set_attr(dp=0)
    evap.set_attr(dp=0)
    c1.set_attr(fluid={fluid: 1}, m=1.0, p=pe, T=T_e + 5.0)
    c3.set_attr(p=pc, T=T_c - 2.0)
    nw.solve("design")
    return {"T_e": T_e, "T_c": T_c, "w_compressor": comp.P.val, "T_discharge": c2.T.val,
            "cop": -cond.Q.val / comp.P.val}


def _tespy_cop() -> float:
    return tespy_r717_cycle()["cop"]


def _hp_cop_ours_r717() -> float:
    from narvik_thermal.correlations import heat_pump as hp
    from narvik_thermal.fluids import refrigerant
    return hp.vapour_compression_cycle(refrigerant("R717"), 1 + C0, 93 + C0).COP_heating


def _drammen(model: str) -> float:
    from narvik_thermal.correlations import heat_pump as hp
    args = (8 + C0, 4 + C0, 65 + C0, 90 + C0)
    if model == "cycle":
        return hp.heat_pump_cop(*args, refrigerant="R717", stages=2, n_series=3,
                                subcool_to_sink_inlet=True)
    return hp.heat_pump_cop(*args, model="lorenz_fraction", efficiency=0.62)


# -- networks against analytic solutions -------------------------------------------
G = 9.80665
RHO, MU, CP_W = 998.2, 1.002e-3, 4182.0


def const_fluid(name="const-water", rho=RHO, mu=MU, cp=CP_W, k=0.6):
    """A constant-property liquid: analytic solutions hold exactly."""
    import narvik_thermal as nt
    return nt.fluids.tabulated(
        name, temperature=_Q([-50.0, 150.0], "degC"), density=_Q([rho, rho], "kg/m^3"),
        specific_heat=_Q([cp, cp], "J/(kg*K)"), viscosity=_Q([mu, mu], "Pa*s"),
        conductivity=_Q([k, k], "W/(m*K)"))


def _solve(net):
    import warnings

    import narvik_thermal as nt
    with warnings.catch_warnings():
        warnings.simplefilter("error", nt.PhysicsWarning)
        r = net.solve()
    if not r.converged:
        raise AssertionError(f"{net} did not converge")
    return r


def _pipe_laminar() -> tuple[np.ndarray, np.ndarray]:
    import narvik_thermal as nt
    ours, ref = [], []
    D, L = 0.05, 100.0
    for m in (0.002, 0.01, 0.05):
        net = nt.Network("pipe", fluid=const_fluid())
        net.add_pipe("p", "a", "b", length=_Q(L, "m"), diameter=_Q(D, "m"),
                     roughness=_Q(0.045e-3, "m"))
        net.add_flow_boundary("a", mass_flow=_Q(m, "kg/s"), temperature=_Q(20, "degC"))
        net.add_pressure_boundary("b", pressure=_Q(2, "bar"), temperature=_Q(20, "degC"))
        r = _solve(net)
        ours.append(r.pressure_drop("p").m_as("Pa"))
        ref.append(128 * MU * L * (m / RHO) / (math.pi * D ** 4))     # Hagen–Poiseuille
    return np.array(ours), np.array(ref)


# Hardy Cross two-loop network: E. Maurer, R package "hydraulics" 0.7.0, ``hardycross``
HC_K = {1: 200.0, 2: 2500.0, 3: 500.0, 4: 800.0, 5: 300.0}
HC_PIPES = {1: ("C", "A"), 2: ("A", "D"), 3: ("D", "C"), 4: ("A", "B"), 5: ("B", "D")}
HC_LOOPS = [((1, 1), (2, 1), (3, 1)), ((2, -1), (4, 1), (5, 1))]
HC_PUBLISHED_ITER1 = {1: 0.27195122, 2: 0.05195122, 3: -0.22804878, 4: 0.22, 5: -0.28}


def hardy_cross(n_iter: int) -> dict[int, float]:
    """Maurer's Hardy Cross iteration from his initial flows (m³/s)."""
    Q = {1: 0.3, 2: 0.1, 3: -0.2, 4: 0.2, 5: -0.3}
    for _ in range(n_iter):
        dQs = []
        for loop in HC_LOOPS:
            num = sum(HC_K[p] * (s * Q[p]) * abs(Q[p]) for p, s in loop)
            den = sum(2 * HC_K[p] * abs(Q[p]) for p, s in loop)
            dQs.append(-num / den)
        for loop, dQ in zip(HC_LOOPS, dQs):
            for p, s in loop:
                Q[p] += s * dQ
        if max(abs(d) for d in dQs) < 1e-14:
            break
    return Q


def _hardy_cross_network() -> tuple[np.ndarray, np.ndarray]:
    import narvik_thermal as nt
    Qhc = hardy_cross(200)
    net = nt.Network("hardy-cross", fluid=const_fluid())
    Qr = 0.1
    for p, (s, e) in HC_PIPES.items():
        net.add_heat_load(f"pipe{p}", s, e, heat=_Q(0, "W"),
                          pressure_drop=_Q(RHO * G * HC_K[p] * Qr ** 2, "Pa"),
                          rated_flow=_Q(Qr, "m^3/s"))
    net.add_flow_boundary("C", mass_flow=_Q(0.5, "m^3/s"), temperature=_Q(15, "degC"))
    net.add_pressure_boundary("B", pressure=_Q(3, "bar"), temperature=_Q(15, "degC"))
    r = _solve(net)
    return (np.array([r.volume_flow(f"pipe{p}").m_as("m^3/s") for p in HC_K]),
            np.array([Qhc[p] for p in HC_K]))


def _pump_operating_point() -> tuple[float, float]:
    import narvik_thermal as nt
    a0, a1, a2 = 30.0, 50.0, -4000.0      # pump H = 30 + 50 Q − 4000 Q²
    Hs, Ks = 10.0, 6000.0                 # system H = 10 + 6000 Q²
    qs = np.array([0.0, 0.025, 0.05])
    net = nt.Network("pump", fluid=const_fluid())
    net.add_pump("pump", "in", "mid", curve=(_Q(qs, "m^3/s"), _Q(a0 + a1 * qs + a2 * qs ** 2, "m")),
                 heat_to_fluid=False)
    Qr = 0.02
    net.add_heat_load("sys", "mid", "out", heat=_Q(0, "W"),
                      pressure_drop=_Q(RHO * G * Ks * Qr ** 2, "Pa"), rated_flow=_Q(Qr, "m^3/s"))
    net.add_pressure_boundary("in", pressure=_Q(1.5e5, "Pa"), temperature=_Q(20, "degC"))
    net.add_pressure_boundary("out", pressure=_Q(1.5e5 + RHO * G * Hs, "Pa"),
                              temperature=_Q(20, "degC"))
    r = _solve(net)
    # (Ks − a2) Q² − a1 Q + (Hs − a0) = 0
    A, B, Cc = Ks - a2, -a1, Hs - a0
    Qop = (-B + math.sqrt(B * B - 4 * A * Cc)) / (2 * A)
    return r.volume_flow("pump").m_as("m^3/s"), Qop


def _eps_counterflow(ntu, cr):
    if abs(1 - cr) < 1e-12:
        return ntu / (1 + ntu)
    e = math.exp(-ntu * (1 - cr))
    return (1 - e) / (1 - cr * e)


def _hx_network() -> tuple[np.ndarray, np.ndarray]:
    import narvik_thermal as nt
    ours, ref = [], []
    for m_hot, m_cold, ua in [(0.3, 0.5, 1500.0), (0.5, 0.2, 800.0),
                              (0.4, 0.4 * 4182.0 / 3000.0, 2000.0)]:
        net = nt.Network("hx")
        net.add_heat_exchanger("hx", hot=("h_in", "h_out"), cold=("c_in", "c_out"),
                               ua=_Q(ua, "W/K"), arrangement="counterflow")
        net.add_flow_boundary("h_in", mass_flow=_Q(m_hot, "kg/s"), temperature=_Q(60, "degC"))
        net.add_pressure_boundary("h_out", pressure=_Q(2, "bar"), temperature=_Q(60, "degC"))
        net.add_flow_boundary("c_in", mass_flow=_Q(m_cold, "kg/s"), temperature=_Q(10, "degC"))
        net.add_pressure_boundary("c_out", pressure=_Q(2, "bar"), temperature=_Q(10, "degC"))
        net.set_fluid("h_in", const_fluid())
        net.set_fluid("c_in", const_fluid("const-brine", rho=1050.0, mu=3e-3, cp=3000.0))
        r = _solve(net)
        Ch, Cc = m_hot * CP_W, m_cold * 3000.0
        eps = _eps_counterflow(ua / min(Ch, Cc), min(Ch, Cc) / max(Ch, Cc))
        ours.append(r.heat_flow("hx").m_as("W"))
        ref.append(eps * min(Ch, Cc) * 50.0)
    return np.array(ours), np.array(ref)


def _mixing_tee() -> float:
    import narvik_thermal as nt
    net = nt.Network("tee", fluid=const_fluid())
    net.add_pipe("pa", "a", "t", length=_Q(5, "m"), diameter=_Q(40, "mm"))
    net.add_pipe("pb", "b", "t", length=_Q(5, "m"), diameter=_Q(40, "mm"))
    net.add_pipe("pc", "t", "out", length=_Q(5, "m"), diameter=_Q(50, "mm"))
    net.add_flow_boundary("a", mass_flow=_Q(1.0, "kg/s"), temperature=_Q(20, "degC"))
    net.add_flow_boundary("b", mass_flow=_Q(2.0, "kg/s"), temperature=_Q(50, "degC"))
    net.add_pressure_boundary("out", pressure=_Q(2, "bar"), temperature=_Q(5, "degC"))
    return _solve(net).temperature("t").m_as("degC")


def _pipe_heat_loss() -> tuple[np.ndarray, np.ndarray]:
    import narvik_thermal as nt
    m, L, D = 0.1, 200.0, 0.05
    ours, ref = [], []
    for u, per in ((0.5, "W/(m*K)"), (3.0, "W/(m^2*K)")):
        net = nt.Network("heat-loss", fluid=const_fluid())
        net.add_pipe("p", "in", "out", length=_Q(L, "m"), diameter=_Q(D, "m"),
                     u_value=_Q(u, per), ambient=_Q(5, "degC"))
        net.add_flow_boundary("in", mass_flow=_Q(m, "kg/s"), temperature=_Q(80, "degC"))
        net.add_pressure_boundary("out", pressure=_Q(2, "bar"), temperature=_Q(80, "degC"))
        r = _solve(net)
        UA = u * L if per == "W/(m*K)" else u * math.pi * D * L
        ours.append(r.temperature("out").m_as("degC"))
        ref.append(5 + 75 * math.exp(-UA / (m * CP_W)))
    return np.array(ours), np.array(ref)


def _cold_plate_rated() -> tuple[np.ndarray, np.ndarray]:
    import narvik_thermal as nt
    net = nt.Network("plate", fluid=const_fluid())
    net.add_cold_plate("gpu", "s", "r", heat=_Q(1.4, "kW"), thermal_resistance=_Q(0.02, "K/W"),
                       rated_flow=_Q(2, "L/min"), rated_pressure_drop=_Q(20, "kPa"))
    net.add_flow_boundary("s", mass_flow=_Q(2 / 60e3 * RHO, "kg/s"), temperature=_Q(30, "degC"))
    net.add_pressure_boundary("r", pressure=_Q(2, "bar"), temperature=_Q(30, "degC"))
    r = _solve(net)
    return (np.array([r.pressure_drop("gpu").m_as("Pa"), r.chip_temperature("gpu").m_as("degC")]),
            np.array([20e3, 30 + 1400 * 0.02]))


# ============================================================================
# the cases
# ============================================================================
_F_SRC = "fluids (C. Bell), ``fluids.friction.{}``"
_HT = "ht (C. Bell), ``ht.{}``"

CASES: list[Case] = [
    # ------------------------------------------------------------ fluids
    *[Case(f"fluids.coolprop.{_FLUID_LABELS[k].replace(' ', '_')}", "fluid-properties",
           f"{_FLUID_LABELS[k]}: interpolated tables, 2,000 random states over the valid "
           "range (and 300 enthalpy differences)",
           "CoolProp, direct calls (``CoolPropLiquid``; HEOS water and ethanol, INCOMP "
           "mixtures); sampling in ``tests/data/fluid_accuracy.py``",
           1e-3, why="acceptance criterion of the fluids layer (0.1 %)",
           measure=_fluid_accuracy(k), requires=("CoolProp",))
      for k in _FLUID_LABELS],
    *[Case(f"fluids.pg25_vendor.{p}.{t:g}C", "fluid-published",
           f"PG25 {'specific heat' if p == 'cp' else 'density'} at {t:g} °C",
           "vendor glycol table (Airedale DeltaChill manual p. 53), narvik-facts R33",
           0.01, unit="kJ/(kg K)" if p == "cp" else "kg/m³",
           why="CoolProp's Melinder (2007) correlations differ from the vendor table by up "
               "to 0.3 % in cp and 0.5 % in density",
           model=(lambda p=p, t=t: _pg25(p, t)), reference=ref)
      for t, cp_kj, rho in ((0.0, 3.86, 1031.0), (25.0, 3.92, 1021.5), (45.0, 3.97, 1011.6))
      for p, ref in (("cp", cp_kj), ("rho", rho))],
    Case("fluids.water30.cp", "fluid-published", "water, specific heat at 30 °C",
         "narvik-facts R33 (IAPWS-95 gives 4.1798)", 0.005, metric="absolute",
         unit="kJ/(kg K)", why="the rounding of the printed value",
         model=lambda: _water(30.0, "cp") / 1000.0, reference=4.18),
    Case("fluids.water30.rho", "fluid-published", "water, density at 30 °C",
         "narvik-facts R33 (IAPWS-95 gives 995.65)", 0.1, metric="absolute",
         unit="kg/m³", why="the rounding of the printed value",
         model=lambda: _water(30.0, "rho"), reference=995.6),
    Case("fluids.seawater.rho10", "fluid-published", "seawater 35 g/kg, density at 10 °C",
         "narvik-facts §3 (“about”)", 0.002, unit="kg/m³",
         why="a rounded value; Sharqawy et al. (2010) through CoolProp give 1026.9",
         model=lambda: _seawater_rho(10.0), reference=1026.0),
    Case("fluids.seawater.freezing", "fluid-published", "seawater 35 g/kg, freezing point",
         "UNESCO (1983)", 5e-4, metric="absolute", unit="K", value_unit="°C",
         why="the printed digits",
         model=lambda: _seawater_freezing(), reference=-1.922),
    # ------------------------------------------------------------ psychrometrics
    *[Case(f"humid_air.table2.W.{t:g}C", "psychrometrics",
           f"humidity ratio of saturated air at {t:g} °C",
           "ASHRAE Handbook—Fundamentals 2017, ch. 1, Table 2", 1e-3,
           why="the rounding of the printed values",
           model=(lambda t=t: _ha().humidity_ratio(_Q(t, "degC"), 1.0).m_as("")),
           reference=w, requires=("CoolProp",))
      for t, (w, _h) in ASHRAE_TABLE2.items()],
    *[Case(f"humid_air.table2.h.{t:g}C", "psychrometrics",
           f"enthalpy of saturated air at {t:g} °C",
           "ASHRAE Handbook—Fundamentals 2017, ch. 1, Table 2", 0.02, metric="absolute",
           unit="kJ/kg", why="the rounding of the printed values",
           model=(lambda t=t: _ha().enthalpy(_Q(t, "degC"), 1.0).m_as("kJ/kg")),
           reference=h, requires=("CoolProp",))
      for t, (_w, h) in ASHRAE_TABLE2.items()],
    Case("humid_air.example1.W", "psychrometrics",
         "humidity ratio at 40 °C dry bulb, 20 °C wet bulb",
         "ASHRAE Handbook—Fundamentals 2017, ch. 1, Example 1", 1e-4, metric="absolute",
         why="two significant figures printed",
         model=lambda: _ha().humidity_ratio(_Q(40.0, "degC"), _example1_rh()).m_as(""),
         reference=0.0065, requires=("CoolProp",)),
    Case("humid_air.example1.h", "psychrometrics",
         "enthalpy at 40 °C dry bulb, 20 °C wet bulb",
         "ASHRAE Handbook—Fundamentals 2017, ch. 1, Example 1", 0.2, metric="absolute",
         unit="kJ/kg", why="three significant figures printed",
         model=lambda: _ha().enthalpy(_Q(40.0, "degC"), _example1_rh()).m_as("kJ/kg"),
         reference=56.7, requires=("CoolProp",)),
    Case("humid_air.example1.dew_point", "psychrometrics",
         "dew point at 40 °C dry bulb, 20 °C wet bulb",
         "ASHRAE Handbook—Fundamentals 2017, ch. 1, Example 1", 0.5, metric="absolute",
         unit="K", value_unit="°C", why="the Handbook's “7 °C” comes from an approximate formula",
         model=lambda: _ha().dew_point(_Q(40.0, "degC"), _example1_rh()).m_as("degC"),
         reference=7.0, requires=("CoolProp",)),
    *[Case(f"humid_air.table1.{z}m", "psychrometrics", f"standard atmosphere at {z} m",
           "ASHRAE Handbook—Fundamentals 2017, ch. 1, Table 1", 1.0, metric="absolute",
           unit="Pa", why="the rounding of the printed values",
           model=(lambda z=z: _ha().standard_pressure(_Q(z, "m")).m_as("Pa")), reference=p)
      for z, p in ((0, 101325), (500, 95461), (1000, 89875))],
    Case("humid_air.coolprop", "psychrometrics",
         "wet bulb, dew point, humidity ratio, enthalpy, density, cp at four states "
         "(−15 to 34 °C)", "CoolProp ``HAPropsSI`` called directly", 1e-12,
         why="the wrapper adds only units", measure=_ha_vs_coolprop, requires=("CoolProp",)),
    # ------------------------------------------------------------ friction
    Case("friction.colebrook.fluids", "friction",
         "Colebrook friction factor, Re 4e3–1e8, ε/D 0–0.05",
         _F_SRC.format("Colebrook") + " (closed form, Lambert W)", 1e-12,
         why="both exact: round-off",
         model=lambda: _fr().friction_colebrook(*_grid(RE_TURB, ED)),
         reference=lambda: _fluids_friction("Colebrook", *_grid(RE_TURB, ED)),
         requires=("fluids",)),
    Case("friction.colebrook.moody", "friction", "Colebrook, smooth pipe at Re = 1e5",
         "Moody (1944) chart, as tabulated (four digits)", 1e-5, metric="absolute",
         why="the digits tabulated",
         model=lambda: _fr().friction_colebrook(1e5, 0.0), reference=0.01799),
    Case("friction.churchill.fluids", "friction",
         "Churchill (1977) friction factor, all regimes, Re 0.1–1e8",
         _F_SRC.format("Churchill_1977"), 1e-13, why="the same explicit formula: round-off",
         model=lambda: _fr().friction_churchill(*_grid(RE_ALL, ED)),
         reference=lambda: _fluids_friction("Churchill_1977", *_grid(RE_ALL, ED)),
         requires=("fluids",)),
    Case("friction.churchill.laminar", "friction", "Churchill in laminar flow, Re 1–500",
         "Hagen–Poiseuille, f = 64/Re", 1e-6, why="Churchill's blend tends to 64/Re",
         model=lambda: _fr().friction_churchill(np.array([1.0, 10.0, 500.0])),
         reference=64 / np.array([1.0, 10.0, 500.0])),
    Case("friction.churchill.colebrook", "friction",
         "Churchill against Colebrook, Re 1e4–1e8, ε/D 0–0.05", "Colebrook (exact)", 0.025,
         why="Churchill (1977) fitted Colebrook to graphical accuracy; the difference of "
             "the two correlations, not an error of either",
         model=lambda: _fr().friction_churchill(*_grid(np.logspace(4, 8, 30), ED)),
         reference=lambda: _fr().friction_colebrook(*_grid(np.logspace(4, 8, 30), ED))),
    Case("friction.swamee_jain.fluids", "friction",
         "Swamee–Jain friction factor, Re 5e3–1e8", _F_SRC.format("Swamee_Jain_1976"), 5e-6,
         why="fluids writes 5.74 as 6.97^0.9 = 5.7403",
         model=lambda: _fr().friction_swamee_jain(*_grid(RE_TURB[RE_TURB >= 5000], ED[1:])),
         reference=lambda: _fluids_friction("Swamee_Jain_1976",
                                            *_grid(RE_TURB[RE_TURB >= 5000], ED[1:])),
         requires=("fluids",)),
    Case("friction.haaland.fluids", "friction", "Haaland friction factor, Re 4e3–1e8",
         _F_SRC.format("Haaland"), 1e-13, why="the same explicit formula: round-off",
         model=lambda: _fr().friction_haaland(*_grid(RE_TURB, ED[1:])),
         reference=lambda: _fluids_friction("Haaland", *_grid(RE_TURB, ED[1:])),
         requires=("fluids",)),
    Case("friction.swamee_jain.colebrook", "friction",
         "Swamee–Jain against Colebrook, Re 5e3–1e8, ε/D 1e-6–1e-2", "Colebrook (exact)",
         0.03, why="the published accuracy of the explicit approximation",
         model=lambda: _fr().friction_swamee_jain(
             *_grid(np.logspace(np.log10(5000) + 1e-12, 8, 40), np.logspace(-6, -2, 12))),
         reference=lambda: _fr().friction_colebrook(
             *_grid(np.logspace(np.log10(5000) + 1e-12, 8, 40), np.logspace(-6, -2, 12)))),
    Case("friction.haaland.colebrook", "friction",
         "Haaland against Colebrook, Re 4e3–1e8, ε/D 1e-6–0.05", "Colebrook (exact)", 0.015,
         why="Haaland (1983) states about 1.5 %",
         model=lambda: _fr().friction_haaland(
             *_grid(np.logspace(np.log10(4000) + 1e-12, 8, 40), ED[1:])),
         reference=lambda: _fr().friction_colebrook(
             *_grid(np.logspace(np.log10(4000) + 1e-12, 8, 40), ED[1:]))),
    Case("friction.all_regimes.epanet", "friction",
         "``friction_all_regimes(..., 'swamee_jain')``, Re 500–1e7 across the transition",
         "EPANET 2.2 ``hydcoeffs.c`` Darcy–Weisbach factor (its constants, Dunlop's cubic "
         "for 2000 < Re < 4000)", 1e-11, why="the same formulas: round-off",
         model=lambda: _fr().friction_all_regimes(*_grid(_EPANET_RE, _EPANET_ED), "swamee_jain"),
         reference=lambda: _vec(epanet_darcy_weisbach, *_grid(_EPANET_RE, _EPANET_ED))),
    # ------------------------------------------------------------ minor losses
    Case("minor_loss.kv.fluids", "minor-losses", "K from Kv (0.5–160 m³/h, D 10–100 mm)",
         "fluids ``fittings.Kv_to_K`` scaled by its water density 999.297 kg/m³ (ours: "
         "1000 kg/m³)", 1e-9, why="fluids' constant 1.6e9 is itself rounded",
         model=lambda: _ml().K_from_Kv(np.array([0.5, 2.312, 10.0, 160.0]),
                                       np.array([[0.01], [0.015], [0.1]])) * 1000.0
         / RHO_FLUIDS_KV,
         reference=lambda: _vec(_fit().Kv_to_K, np.array([0.5, 2.312, 10.0, 160.0]),
                                np.array([[0.01], [0.015], [0.1]])),
         requires=("fluids",)),
    Case("minor_loss.expansion.fluids", "minor-losses", "sudden expansion (Borda–Carnot)",
         "fluids ``fittings.diffuser_sharp`` (Rennels)", 1e-14, why="the same formula",
         model=lambda: _ml().K_sudden_expansion(np.array([0.01, 0.05, 0.5]),
                                                np.array([[0.5], [1.0]])),
         reference=lambda: _vec(_fit().diffuser_sharp, np.array([0.01, 0.05, 0.5]),
                                np.array([[0.5], [1.0]])),
         requires=("fluids",)),
    Case("minor_loss.expansion.rennels", "minor-losses", "sudden expansion, β = 0.5",
         "Rennels & Hudson, Pipe Flow (2012), worked example", 1e-15,
         why="an exact value", model=lambda: _ml().K_sudden_expansion(0.5, 1.0),
         reference=0.5625),
    *[Case(f"minor_loss.contraction.{m}", "minor-losses", f"sudden contraction ({name})",
           f"fluids ``fittings.contraction_sharp(method='{name}')``", 1e-12,
           why="the same formula",
           model=(lambda m=m: _ml().K_sudden_contraction(np.array([[1.0], [3.0]]),
                                                         np.array([0.2, 0.4, 0.9]), method=m)),
           reference=(lambda name=name: _vec(
               lambda a, b: _fit().contraction_sharp(a, b, method=name),
               np.array([[1.0], [3.0]]), np.array([0.2, 0.4, 0.9]))),
           requires=("fluids",))
      for m, name in (("crane", "Crane"), ("rennels", "Rennels"))],
    Case("minor_loss.contraction.crane_tp410", "minor-losses", "sudden contraction, β = 2/3",
         "Crane TP-410, A-26: 0.5 (1 − β²)", 1e-12, why="an exact value",
         reference_text="5/18",
         model=lambda: _ml().K_sudden_contraction(3.0, 2.0), reference=5 / 18),
    Case("minor_loss.bend.fluids", "minor-losses",
         "bends of 30–180°, r/D 1–5 (Rennels)", "fluids ``fittings.bend_rounded"
         "(method='Rennels')``", 1e-13, why="the same formula",
         model=lambda: _ml().K_bend(np.array([30.0, 45.0, 90.0, 180.0]),
                                    np.array([[1.0], [2.0], [5.0]]) * 0.1, 0.1, 0.0185),
         reference=lambda: _vec(lambda a, r: _fit().bend_rounded(
             Di=0.1, angle=a, fd=0.0185, rc=r * 0.1, method="Rennels"),
             np.array([30.0, 45.0, 90.0, 180.0]), np.array([[1.0], [2.0], [5.0]])),
         requires=("fluids",)),
    # ------------------------------------------------------------ convection
    Case("convection.prandtl.incropera", "convection", "Prandtl number of water at 300 K",
         "Incropera et al., Table A.6 (cp 4179, μ 855e-6, k 0.613)", 0.005,
         metric="absolute", why="three significant figures printed",
         model=lambda: _cv().Prandtl(4179.0, 855e-6, 0.613), reference=5.83),
    Case("convection.gnielinski.ht", "convection",
         "Gnielinski Nusselt number, Re 2.3e3–4.9e6, Pr 0.5–2000",
         _HT.format("conv_internal.turbulent_Gnielinski") + " with the same fd", 1e-13,
         why="the same formula: round-off",
         model=lambda: _cv().nusselt_gnielinski(*np.meshgrid(RE_CONV, PR_CONV)),
         reference=lambda: _gnielinski_ht(), requires=("ht",)),
    Case("convection.gnielinski.ht_example", "convection",
         "Gnielinski at Re = 1e5, Pr = 1.2, fd = 0.0185",
         "ht's docstring example", 1e-14,
         why="the same formula: round-off",
         model=lambda: _cv().nusselt_gnielinski(1e5, 1.2, fd=0.0185),
         reference=254.62682749359632),
    *[Case(f"convection.dittus_boelter.{'heating' if h else 'cooling'}", "convection",
           f"Dittus–Boelter Nusselt number ({'heating' if h else 'cooling'}), "
           "Re 1e4–1e7, Pr 0.6–160",
           _HT.format("conv_internal.turbulent_Dittus_Boelter"), 1e-14,
           why="the same formula: round-off",
           model=(lambda h=h: _cv().nusselt_dittus_boelter(*_db_grid(), h)),
           reference=(lambda h=h: _db_ht(h)), requires=("ht",))
      for h in (True, False)],
    Case("convection.laminar_q", "convection",
         "laminar Nusselt number, constant heat flux", "Shah & London (ht ``laminar_Q_const``)", 1e-15,
         why="an exact value", reference_text="48/11",
         model=lambda: _cv().nusselt_laminar_constant_q(), reference=48 / 11),
    # ------------------------------------------------------------ ε-NTU
    Case("hx.effectiveness.ht", "eps-ntu",
         "effectiveness from NTU (NTU 1e-3–100, Cr 1e-4–1), closed forms",
         _HT.format("hx.effectiveness_from_NTU"), 1e-9, metric="absolute",
         why="ht uses exp() where we use expm1(): at small Cr it loses |log10 Cr| digits",
         measure=_eps_vs_ht, requires=("ht",)),
    Case("hx.effectiveness.crossflow_exact", "eps-ntu",
         "effectiveness, cross flow both unmixed (exact series)",
         _HT.format("hx.effectiveness_from_NTU(..., 'crossflow')") + " (scipy quadrature)",
         1e-12, metric="absolute", why="both exact",
         model=lambda: _eps_crossflow_exact()[0], reference=lambda: _eps_crossflow_exact()[1],
         requires=("ht",)),
    Case("hx.ntu.ht", "eps-ntu", "NTU from effectiveness, analytic inverses",
         _HT.format("hx.NTU_from_effectiveness"), 1e-12, why="closed forms: round-off",
         measure=lambda: _ntu_vs_ht([a for a in _CLOSED_FORM if a != "crossflow_unmixed"]),
         requires=("ht",)),
    Case("hx.ntu.crossflow_approx", "eps-ntu",
         "NTU from effectiveness, cross flow (Incropera's approximation)",
         _HT.format("hx.NTU_from_effectiveness") + " (a secant solve)", 1e-7,
         why="ht solves this inverse numerically to about 1e-9",
         measure=lambda: _ntu_vs_ht(["crossflow_unmixed"]), requires=("ht",)),
    Case("hx.lmtd.ht", "eps-ntu", "LMTD, counterflow and parallel flow",
         _HT.format("LMTD"), 1e-14, why="the same formula",
         model=lambda: np.array([_hx().lmtd(100.0, 60.0, 30.0, 40.2),
                                 _hx().lmtd(100.0, 60.0, 30.0, 40.2, "parallel")]),
         reference=lambda: _lmtd_ht(), requires=("ht",)),
    Case("hx.incropera_11_1.lmtd", "eps-ntu", "LMTD of a counterflow oil cooler",
         "Incropera et al., 7th ed., Example 11.1", 0.05, metric="absolute", unit="K",
         why="the book's rounding", model=lambda: _hx().lmtd(100.0, 60.0, 30.0, 40.2),
         reference=43.2),
    Case("hx.incropera_11_1.effectiveness", "eps-ntu",
         "effectiveness of the same oil cooler from its U, area and flows",
         "Incropera et al., 7th ed., Example 11.1: q/q_max", 1e-3,
         reference_text="8524 W / (213.1 W/K × 70 K)",
         why="rounded book data", model=_incropera_11_1_effectiveness,
         reference=8524 / (0.1 * 2131 * 70)),
    # ------------------------------------------------------------ plate HX
    Case("plate_hx.martin.ht", "plate-hx",
         "Martin's friction factor and Nusselt number (VDI and 1999 forms), Re 50–5e4, "
         "chevron 5–85°", _HT.format("conv_plate") + " (``friction_plate_Martin_*``, "
         "``Nu_plate_Martin``)", 1e-14, why="the same equations: round-off",
         measure=_martin_vs_ht, requires=("ht",)),
    Case("plate_hx.muley_manglik.ht", "plate-hx",
         "Muley–Manglik Nusselt number, chevron 30–60°, enlargement 1–1.5",
         _HT.format("conv_plate.Nu_plate_Muley_Manglik"), 1e-14,
         why="the same equations: round-off", measure=_muley_manglik_vs_ht, requires=("ht",)),
    Case("plate_hx.film_exponent.ht", "plate-hx",
         "film exponent ∂ln Nu/∂ln Re (Martin), away from the jump at Re = 2000",
         "central difference of ht's ``Nu_plate_Martin`` (step 1e-6 in ln Re)", 2e-9,
         metric="absolute", why="truncation ~1e-12, round-off ~1e-10",
         measure=_film_exponent_vs_ht, requires=("ht",)),
    Case("plate_hx.film_exponent.docstring", "plate-hx",
         "film exponent (Martin VDI, 45°) at Re 1000, 3000 and 10⁴",
         "the values the docstrings quote", 5e-4, metric="absolute",
         why="the docstrings print three decimals",
         model=lambda: _ph().film_exponent_plate(np.array([1000.0, 3000.0, 1e4]), 45.0),
         reference=np.array([0.685, 0.726, 0.731]), reference_text="0.685, 0.726, 0.731"),
    Case("plate_hx.film_exponent.turbulent", "plate-hx",
         "film exponent (Martin VDI), Re 2000–10⁴, chevron 30–65°: lowest and highest",
         "the range the docstrings state", None, metric="value", bounds=(0.705, 0.735),
         inclusive=True, why="the default exponent 0.72 lies inside it",
         model=lambda: _exponent_range(np.geomspace(2000.0, 1e4, 9))),
    Case("plate_hx.film_exponent.laminar", "plate-hx",
         "the same below Re 2000 (Re 1000–1999)", "the docstrings' 0.67–0.71, ± 5e-3",
         None, metric="value", bounds=(0.665, 0.715), inclusive=True,
         why="the docstrings round to two decimals",
         model=lambda: _exponent_range(np.array([1000.0, 1999.0]))),
    Case("plate_hx.martin.ht_example", "plate-hx", "Martin 1999 Nusselt number, Re 2000, "
         "Pr 0.7, 45°", "ht's docstring example", 1e-13,
         why="the same equations",
         model=lambda: _ph().nusselt_plate_martin(2000.0, 0.7, 45.0, "1999"),
         reference=30.427601053757),
    # ------------------------------------------------------------ cold plates
    *[Case(f"cold_plate.ocp_fit.{fl}", "cold-plate",
           f"case-to-inlet resistance R(V), fitted curve law, {fl} ({n})",
           "OCP OAI liquid-cooling guidelines (2023), 1 kW OAM cold plate, Figs. 7–8; "
           "digitised in ``tests/data/ocp_oai_cold_plate.csv``", tol,
           why=why, measure=(lambda fl=fl: _ocp_fit(fl)))
      for fl, n, tol, why in (
          ("PG25", "14 points, 0.4–2.4 L/min", 0.03,
           "a three-parameter law on points digitised from a figure (±1–2 %); the PG25 "
           "curve has a step between 0.4 and 0.5 L/min"),
          ("water", "4 points, 2–5 L/min", 0.002, "digitising accuracy"))],
    *[Case(f"cold_plate.ocp_network.{fl}", "cold-plate",
           f"chip − inlet temperature per kW in a solved network, {fl}",
           "the same OCP curve", 0.03,
           why="as the fit; the plate's volume flow is at its mean temperature, 0.1–0.3 % "
               "above the boundary's", measure=(lambda fl=fl: _ocp_network(fl)))
      for fl in ("PG25", "water")],
    # ------------------------------------------------------------ cooling towers
    Case("cooling_tower.merkel.baker_shryock_low", "air-side",
         "Merkel number KaV/L (Chebyshev), ranges 1–10 °F at 80 °F cold water, 70 °F wet "
         "bulb, L/G 1.2",
         "Baker & Shryock (1961), Table 1(b), as tabulated in DWSIM's cooling-tower "
         "validation", 2.5e-3,
         why="attributed to the 1961 psychrometric data (the quadrature is not the cause, "
             "see below)", measure=lambda: _merkel([1, 2, 3, 5, 10]), requires=("CoolProp",)),
    Case("cooling_tower.merkel.baker_shryock_high", "air-side",
         "Merkel number, ranges 15–25 °F (same conditions)",
         "Baker & Shryock (1961), Table 1(b)", 2.5e-2,
         why="as above, growing with the range", measure=lambda: _merkel([15, 20, 25]),
         requires=("CoolProp",)),
    Case("cooling_tower.merkel.quadrature", "air-side",
         "Merkel number, Chebyshev four-point rule (CTI ATC-105)",
         "24-point Gauss–Legendre integral of the same integrand", 1.5e-3,
         why="the error of the four-point rule", measure=_merkel_quadrature,
         requires=("CoolProp",)),
    Case("cooling_tower.wet_bulb.coolprop", "air-side",
         "wet bulb found by the tower model, above 0 °C", "CoolProp ``HAPropsSI``", 0.01,
         metric="absolute", unit="K", why="the model's own iteration",
         measure=lambda: _tower_wet_bulb([(5.0, 2.0), (25.0, 12.0), (38.0, 28.0)]),
         requires=("CoolProp",)),
    Case("cooling_tower.wet_bulb.coolprop_ice", "air-side",
         "wet bulb found by the tower model, −15 °C dry bulb", "CoolProp ``HAPropsSI``", 0.2,
         metric="absolute", unit="K",
         why="CoolProp's wet bulb is over ice there, the model's over liquid water",
         measure=lambda: _tower_wet_bulb([(-15.0, -16.5)]), requires=("CoolProp",)),
    Case("cooling_tower.evaporation.rule_of_thumb", "air-side",
         "evaporation at the design point (water 35 → 29 °C, air 32 °C / 24 °C wet bulb)",
         "rule of thumb E = 0.00085 × 1.8 × range × flow (BEE guide book; Perry's)", 0.2,
         why="a rule of thumb",
         model=lambda: _tower_evaporation()[0], reference=lambda: _tower_evaporation()[1],
         requires=("CoolProp",)),
    # ------------------------------------------------------------ chillers
    Case("chiller.design_cop.hand", "air-side",
         "chiller design COP (superheat 5 K, subcooling 2 K, η_is 0.7)",
         "the cycle by hand with raw CoolProp ``PropsSI`` state points", 1e-9,
         why="the same computation", measure=_chiller_design_cop, requires=("CoolProp",)),
    Case("chiller.tables.hand", "air-side",
         "chiller bicubic tables at 12 random off-grid points (R134a)",
         "the cycle by hand with raw CoolProp ``PropsSI`` state points", 5e-4,
         why="interpolation of the tables", measure=_chiller_tables, requires=("CoolProp",)),
    *[Case(f"chiller.iplv.{k}", "air-side", f"IPLV, {name}",
           f"EnergyPlus unit test ``{test}`` (``StandardRatings::CalcChillerIPLV``)",
           0.005, metric="absolute", why="EnergyPlus asserts the value rounded to two decimals",
           model=(lambda k=k: _iplv(k)), reference=ref)
      for k, name, test, ref in (
          ("air_ip", "air-cooled screw chiller, AHRI 550/590 (I-P)", "ChillerIPLVTest", 3.87),
          ("air_si", "the same chiller, AHRI 551/591 (SI)", "ChillerIPLVTestAirCooled", 3.88),
          ("water_si", "McQuay WSC 471 kW water-cooled chiller (SI)",
           "ChillerIPLVTestWaterCooled", 5.44))],
    # ------------------------------------------------------------ heat pumps
    Case("heat_pump.cycle.hand", "heat-pump",
         "heating COP of the single-stage cycle, six refrigerants and lifts",
         "the cycle by hand with raw CoolProp ``PropsSI`` state points", 1e-6,
         why="the same physics", measure=_hp_cycles, requires=("CoolProp",)),
    Case("heat_pump.cycle.tespy", "heat-pump", "heating COP, NH3 at 1 → 93 °C",
         "TESPy: CycleCloser → Compressor → condenser → Valve → evaporator", 1e-6,
         why="the same cycle", model=_hp_cop_ours_r717, reference=_tespy_cop,
         requires=("CoolProp", "tespy")),
    Case("heat_pump.drammen.cycle", "heat-pump",
         "COP of Drammen's fjord heat pump (8 → 4 °C source, 65 → 90 °C sink): two-stage "
         "NH3, three units in series",
         "the plant's COP, narvik-facts R39, R40, R62", 0.10,
         why="the plant's approach temperatures, compressor efficiency and staging are not "
             "public; η_is ± 0.05 alone moves the model by about ±7 %",
         model=lambda: _drammen("cycle"), reference=3.05, requires=("CoolProp",)),
    Case("heat_pump.drammen.lorenz", "heat-pump",
         "the same with a Lorenz fraction of 0.62", "the plant's COP (R39, R40, R62)",
         0.01, why="0.62 is the plant's own Lorenz fraction (narvik-facts §5)",
         model=lambda: _drammen("lorenz"), reference=3.05),
    # ------------------------------------------------------------ networks, analytic
    Case("network.pipe.hagen_poiseuille", "network-analytic",
         "pressure drop of one laminar pipe (three flows, Re 51–1270)",
         "Hagen–Poiseuille, Δp = 128 μ L Q / (π D⁴)", 1e-6,
         why="the solver's convergence", measure=lambda: deviation(*_pipe_laminar(), "relative")),
    Case("network.hardy_cross.published", "network-analytic",
         "Hardy Cross two-loop network, flows after the first iteration",
         "E. Maurer, R package “hydraulics” 0.7.0, ``hardycross`` example", 5e-9,
         metric="absolute", unit="m³/s",
         why="the eight printed digits (checks our transcription of the network)",
         model=lambda: np.array(list(hardy_cross(1).values())),
         reference=np.array(list(HC_PUBLISHED_ITER1.values()))),
    Case("network.hardy_cross.gga", "network-analytic",
         "Hardy Cross two-loop network solved by the network solver (GGA)",
         "the same Hardy Cross iteration run to convergence", 1e-8,
         why="two converged solutions of the same equations",
         measure=lambda: deviation(*_hardy_cross_network(), "relative")),
    Case("network.pump.operating_point", "network-analytic",
         "operating point of a pump curve against a system curve",
         "the intersection of the two quadratics by hand", 1e-9, why="the solver's convergence",
         measure=lambda: deviation(*_pump_operating_point(), "relative")),
    Case("network.hx.counterflow", "network-analytic",
         "duty of a counterflow heat exchanger between two circuits (three flow pairs, "
         "Cr = 1 included)", "ε-NTU closed form (Incropera, eq. 11.29a)", 1e-7,
         why="the outer loop's temperature tolerance",
         measure=lambda: deviation(*_hx_network(), "relative")),
    Case("network.mixing_tee", "network-analytic", "temperature after a mixing tee",
         "Σ ṁ cp T / Σ ṁ cp (1 kg/s at 20 °C, 2 kg/s at 50 °C)", 1e-9, metric="absolute",
         unit="K", value_unit="°C",
         why="exact with constant cp", model=_mixing_tee, reference=40.0),
    Case("network.pipe.heat_loss", "network-analytic",
         "outlet temperature of a pipe losing heat (U per metre and per m² of wall)",
         "T_amb + (T_in − T_amb) exp(−UA/(ṁ cp)) (Incropera, eq. 8.46a)", 1e-6,
         metric="absolute", unit="K", why="the outer loop's temperature tolerance",
         measure=lambda: deviation(*_pipe_heat_loss(), "absolute")),
    Case("network.cold_plate.rated", "network-analytic",
         "cold plate at its rated point: pressure drop and chip temperature",
         "the rated values: 20 kPa; 30 °C + 1.4 kW × 0.02 K/W", 1e-9,
         why="exact at the rated point",
         measure=lambda: deviation(*_cold_plate_rated(), "relative")),
    # ------------------------------------------------------------ networks vs tools (recorded)
    Case("network.epanet.grid.flows", "network-tools",
         "12-junction looped grid, 2 reservoirs, a pump: flows (relative on trunk pipes "
         "carrying ≥ 10 % of the largest flow; every flow over the largest flow; the pump)",
         "EPANET 2.2 through wntr (Darcy–Weisbach, Swamee–Jain)", None,
         why="the largest relative difference of Swamee–Jain and Churchill at the solved "
             "Re, + 1e-6 for EPANET's float32 results",
         recorded=True, test="tests/test_network_reference.py::test_epanet_flows_and_heads",
         requires=("wntr",)),
    Case("network.epanet.grid.heads", "network-tools", "the same network: heads, over the "
         "head scale (reservoir + pump shut-off head)",
         "EPANET 2.2 through wntr", None, why="as for the flows", recorded=True,
         test="tests/test_network_reference.py::test_epanet_flows_and_heads",
         requires=("wntr",)),
    Case("network.epanet.grid.same_friction", "network-tools",
         "the same network with ``friction='swamee_jain'`` (EPANET's law): flows over the "
         "largest flow, heads over the head scale", "EPANET 2.2 through wntr", 1e-5,
         why="EPANET's float32 results and its convergence (accuracy 1e-8)", recorded=True,
         test="tests/test_network_reference.py::test_epanet_with_its_own_friction_law",
         requires=("wntr",)),
    Case("network.pandapipes.grid.flows", "network-tools",
         "the grid without its pump: mass flows (trunk pipes relative; all over the "
         "largest flow) and pressures over ρ g × 60 m", "pandapipes ``pipeflow`` (Colebrook)", None,
         why="the largest relative difference of Churchill and Colebrook at the solved Re, "
             "+ 1e-7", recorded=True,
         test="tests/test_network_reference.py::test_pandapipes_flows_and_pressures",
         requires=("pandapipes",)),
    Case("network.pandapipes.grid.same_friction", "network-tools",
         "the same with ``friction='colebrook'``: mass flows over the largest flow",
         "pandapipes ``pipeflow`` (Colebrook)", None,
         why="pandapipes writes ε/(3.71 D) where Colebrook has 3.7: that difference of f at "
             "the solved Re, + 1e-7", recorded=True,
         test="tests/test_network_reference.py::test_pandapipes_with_its_own_friction_law",
         requires=("pandapipes",)),
    Case("network.pandapipes.heat_loss", "network-tools",
         "three pipes losing heat to 5 °C ground (u per m² of wall): node temperatures",
         "pandapipes ``pipeflow(mode='sequential')``", None, metric="absolute", unit="K",
         why="1e-3 K (pandapipes' thermal tolerance) + its cp spread over 5–75 °C times the "
             "temperature drop", recorded=True,
         test="tests/test_network_reference.py::test_pandapipes_pipe_heat_loss",
         requires=("pandapipes",)),
    # ------------------------------------------------------------ transient (recorded)
    Case("transient.lumped.backward_euler", "transient",
         "well-mixed volume after an inlet step 20 → 60 °C (τ = ρV/ṁ), Δt = 4, 2, 1 s",
         "backward Euler on the same volume, h_k = h_in + (h_0 − h_in)(1 + Δt/τ)^(−k)", 1e-9,
         metric="absolute", unit="K", why="the scheme is exactly backward Euler: round-off",
         recorded=True, test="tests/test_transient.py::test_lumped_first_order_against_exponential"),
    Case("transient.lumped.exponential", "transient",
         "the same volume at Δt = 1 s (τ = 78 s, a 40 K step)",
         "the exponential solution h_in + (h_0 − h_in) e^(−t/τ) (lumped capacitance)", 0.1,
         metric="absolute", unit="K", why="first-order time stepping",
         recorded=True, test="tests/test_transient.py::test_lumped_first_order_against_exponential"),
    Case("transient.lumped.order", "transient",
         "observed order of accuracy from Δt = 4 → 2 → 1 s, its distance from 1",
         "backward Euler is first order (Hairer & Wanner, Solving ODEs II)", 0.1,
         metric="absolute", why="the error halves with the step within 10 %",
         recorded=True, test="tests/test_transient.py::test_lumped_first_order_against_exponential"),
    Case("transient.pipe.mean_delay", "transient",
         "adiabatic pipe in 40 upwind cells (100 m, DN100, 2 kg/s): mean delay of the outlet "
         "response", "plug flow, δ = ρAL/ṁ", 1e-4,
         why="the mean delay of the discrete response is exact", recorded=True,
         test="tests/test_transient.py::test_adiabatic_pipe_delay_and_front"),
    Case("transient.pipe.front_width", "transient",
         "the same pipe: 10–90 % rise time of the front",
         "tanks in series (Levenspiel): 2.563 σ, σ² = Σ τ_i² + δΔt", 0.05,
         why="the Gaussian limit of the cascade", recorded=True,
         test="tests/test_transient.py::test_adiabatic_pipe_delay_and_front"),
    Case("transient.pipe_loss.plug_flow", "transient",
         "pipe losing heat to 10 °C ambient (U 80 W/(m² K)), outlet after the front",
         "plug-flow pipe of van der Heijde et al. (2017): T_amb + (T_in − T_amb) e^(−δ/τ)",
         1e-4, metric="absolute", unit="K",
         why="cp at the pipe's mean temperature in the formula, at each cell's in the run",
         recorded=True, test="tests/test_transient.py::test_pipe_with_heat_loss_against_the_plug_flow_solution"),
    Case("transient.pipe_loss.steady", "transient",
         "the same pipe at the end of the run: every node", "the steady solver", 1e-6,
         metric="absolute", unit="K", why="the scheme's fixed point is the steady balance",
         recorded=True, test="tests/test_transient.py::test_pipe_with_heat_loss_against_the_plug_flow_solution"),
    Case("transient.quiet.steady", "transient",
         "CDU loop run without events from a uniform 20 °C: node and chip temperatures at "
         "the end", "the steady solver", 1e-6, metric="absolute", unit="K",
         why="the scheme's fixed point is the steady balance", recorded=True,
         test="tests/test_transient.py::test_long_quiet_run_ends_at_the_steady_state"),
    Case("transient.trip.chip_heating", "transient",
         "pump trip: rise of the hottest chip during the 15 s without flow",
         "energy balance of the chip lump, 15 s × P/C (1 kW, 115.5 J/K)", 0.05,
         why="the flow decays within the first step; the plate's capacity is the only one",
         recorded=True, test="tests/test_transient.py::test_pump_trip_and_failover"),
    Case("transient.trip.steady_end", "transient",
         "pump trip with failover: every node at the end of the run",
         "the steady solver with the standby pump running", 1e-6, metric="absolute",
         unit="K", why="the scheme's fixed point is the steady balance", recorded=True,
         test="tests/test_transient.py::test_pump_trip_and_failover"),
    Case("network.epanet.wntr.heads", "epanet-networks",
         "heads, over the network's head range", "EPANET 2.2 through wntr", 0.01,
         why="the acceptance of the issue “Core: robust…”; inside it the friction factor "
             "(Churchill against Swamee–Jain) and the pump-curve form", recorded=True,
         test="tests/test_epanet_networks.py", requires=("wntr",)),
    Case("network.epanet.wntr.flows", "epanet-networks",
         "flows, over the network's largest flow", "EPANET 2.2 through wntr", 0.02,
         why="as for the heads", recorded=True, test="tests/test_epanet_networks.py",
         requires=("wntr",)),
]


# -- small helpers referenced above (defined after use in lambdas) ----------------
def _water(t_c: float, prop: str) -> float:
    from narvik_thermal import fluids
    w = fluids.water()
    return w.cp_pT(t_c + C0) if prop == "cp" else w.density_pT(t_c + C0)


def _seawater_rho(t_c: float) -> float:
    from narvik_thermal import fluids
    return fluids.seawater(_Q(35, "g/kg")).density_pT(t_c + C0)


def _seawater_freezing() -> float:
    from narvik_thermal import fluids
    return fluids.seawater("35 g/kg").freezing_point.m_as("degC")


def _gnielinski_ht():
    import ht
    Re, Pr = np.meshgrid(RE_CONV, PR_CONV)
    fd = _cv().friction_konakov(Re)
    return _vec(ht.conv_internal.turbulent_Gnielinski, Re, Pr, fd)


def _db_grid():
    return np.meshgrid(np.logspace(4, 7, 20), np.linspace(0.6, 160, 10))


def _db_ht(heating: bool):
    import ht
    Re, Pr = _db_grid()
    return _vec(lambda r, p: ht.conv_internal.turbulent_Dittus_Boelter(r, p, heating), Re, Pr)


def _lmtd_ht():
    import ht
    return np.array([ht.LMTD(100.0, 60.0, 30.0, 40.2),
                     ht.LMTD(100.0, 60.0, 30.0, 40.2, counterflow=False)])


# ============================================================================
# the plant, its operation, the site, annual runs, KPIs and the audit
# ============================================================================
def _site_cases() -> list[Case]:
    import validation_cases_site
    return validation_cases_site.cases(Case)


CASES += _site_cases()
