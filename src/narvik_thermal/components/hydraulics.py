"""Pressure-drop laws of network edges, vectorised over all edges of each law.

For every edge the network solver needs the pressure loss in the direction of
flow, ``r(ṁ)`` (pump rise counted negative), and its derivative ``dr/dṁ``.
An edge that stands for ``count`` identical units in parallel carries the
total flow ``ṁ``; each unit sees ``ṁ / count`` and the same pressure drop.

The laws call the correlation kernels; nothing here is new physics:

- Darcy–Weisbach with each pipe's friction law
  (:func:`narvik_thermal.correlations.friction.friction_all_regimes`: Churchill by
  default, smooth across the laminar–turbulent transition as Newton's method
  needs; Colebrook, Swamee–Jain, Haaland with Dunlop's transition), plus minor
  losses ``K``;
- a rated point with a power exponent
  (:func:`narvik_thermal.correlations.cold_plate.power_law_pressure_drop`);
- a quadratic pump curve with the affinity laws, and a pump of constant
  hydraulic power (:mod:`narvik_thermal.components.pump`);
- a Kv valve with its opening characteristic
  (:func:`narvik_thermal.correlations.minor_loss.valve_Kv`, through its unchecked
  form :func:`~narvik_thermal.correlations.minor_loss.valve_Kv_coded`); opening 0 is
  tight shut-off.
"""

from __future__ import annotations

import numpy as np

from ..correlations.cold_plate import power_law_flow
from ..correlations.minor_loss import valve_Kv_coded
from .kinds import FlowBasis, HydraulicLaw, RiseBasis
from .pump import G, power_pump_rise
from . import _kernel_modules as kernels

__all__ = ["edge_losses", "volume_flow_rated", "valve_kv_effective", "KV_TO_SI",
           "CHECK_VALVE_BACK_RESISTANCE", "darcy_constants", "typical_flow",
           "rated_point_flows", "law_arguments", "N_CONSTANT_ARGUMENTS",
           "compiled_laws"]

#: Kv law: Δp [Pa] = KV_TO_SI · ṁ|ṁ| / (ρ Kv²) with Kv in m³/h at 1 bar for
#: water of 1000 kg/m³ (IEC 60534-1): 1e5 Pa · 3600² / 1000.
KV_TO_SI = 1e5 * 3600.0 ** 2 / 1000.0
#: Reverse-flow resistance of a closed check valve or a shut valve [Pa s kg⁻¹]:
#: 1 bar drives 1e-5 kg/s of leakage.
CHECK_VALVE_BACK_RESISTANCE = 1e10
#: the laws as plain ints (an IntEnum member looked up on its class costs a call)
_DARCY, _POWER_LAW, _PUMP_CURVE, _VALVE_KV, _FIXED_RISE, _CONSTANT_POWER = (
    int(HydraulicLaw.DARCY), int(HydraulicLaw.POWER_LAW), int(HydraulicLaw.PUMP_CURVE),
    int(HydraulicLaw.VALVE_KV), int(HydraulicLaw.FIXED_RISE), int(HydraulicLaw.CONSTANT_POWER))
_MASS, _PRESSURE, _HEAD = int(FlowBasis.MASS), int(RiseBasis.PRESSURE), int(RiseBasis.HEAD)


def volume_flow_rated(flow_rated, basis, rho):
    """Rated volume flow [m³/s] of rated-point components (mass → volume by ρ;
    ``basis`` a :class:`~narvik_thermal.components.kinds.FlowBasis` code)."""
    return np.where(basis == _MASS, flow_rated / rho, flow_rated)


def valve_kv_effective(kvs, opening, characteristic, rangeability):
    """Kv at the given opening [m³/h]: the characteristic of
    :func:`narvik_thermal.correlations.minor_loss.valve_Kv` for openings in (0, 1],
    0 (tight shut-off) at opening 0."""
    x = np.asarray(opening, dtype=float)
    return np.where(x > 0.0, valve_Kv_coded(x, kvs, characteristic, rangeability), 0.0)


def law_arguments(cn) -> tuple:
    """The parameters of every law of ``cn``'s edges as the compiled laws take them:
    the arguments of :func:`~narvik_thermal.components._hydraulic_kernels.law_values`
    after ``m, count, rho, mu`` (those of
    :func:`~narvik_thermal.components._hydraulic_kernels.law_constants` after
    ``count, rho, mu`` first: :data:`N_CONSTANT_ARGUMENTS` of them).

    Kept on the compiled network while its groups are the same (``cn.hgroups``: a
    refresh of its values gathers new ones) and every float parameter is its group's
    own array, so that an actuator moved in place between two solves (a valve's
    opening, a pump's speed) is read at each call; the integer codes (friction laws,
    bases, characteristics), which nothing moves, are converted to int64 once. Made
    anew at every call otherwise.
    """
    kept = cn.cache.get("law_arguments")
    if kept is not None and kept[0] is cn.hgroups:
        return kept[1]
    g = cn.hgroups
    D, P, C, V, F = (g[_DARCY], g[_POWER_LAW], g[_PUMP_CURVE], g[_VALVE_KV],
                     g[_FIXED_RISE])
    Dp, Pp, Cp, Vp, Fp = D.params, P.params, C.params, V.params, F.params
    floats = (Dp["diameter"], Dp["length"], Dp["roughness"], Dp["minor_loss"],
              Pp["flow_rated"], Vp["kvs"], Vp["opening"], Vp["rangeability"],
              Fp["fixed_rise"], Fp["speed"], Pp["dp_rated"], Pp["dp_exponent"], Cp["a0"],
              Cp["a1"], Cp["a2"], Cp["speed"], Cp["q_max"])
    f = [_f(a) for a in floats]
    args = (D.idx, *f[0:4], P.idx, f[4], _i(Pp["rated_basis"]), C.idx, _i(Cp["rise_basis"]),
            V.idx, f[5], f[6], _i(Vp["characteristic"]), f[7], _i(Vp["check"]), F.idx,
            _i(Fp["rise_basis"]), f[8], f[9], _MASS, _PRESSURE, _HEAD, G, KV_TO_SI,
            _i(Dp["friction"]), *f[10:], CHECK_VALVE_BACK_RESISTANCE)
    if all(a is b for a, b in zip(f, floats)):
        cn.cache["law_arguments"] = (g, args)
    return args


#: :func:`law_arguments`' first ones, those of the compiled ``law_constants``
N_CONSTANT_ARGUMENTS = 25


def compiled_laws(cn) -> bool:
    """Whether one serial call of the compiled
    :func:`~narvik_thermal.components._hydraulic_kernels.law_values` on
    :func:`law_arguments` gives the losses :func:`edge_losses` gives: no constant-power
    pumps (their law is NumPy's), and a Darcy group too small to run on threads."""
    return not cn.hgroups[_CONSTANT_POWER].idx.size and (
        cn.hgroups[_DARCY].idx.size < kernels.hydraulic().darcy_losses.min_parallel)


def darcy_constants(cn, rho: np.ndarray, mu: np.ndarray) -> dict:
    """Flow-independent factors of the Darcy, rated-point, pump-curve, valve and
    fixed-rise laws for given properties and parameters (computed once per hydraulic
    solve, reused by every Newton step; one compiled call,
    :func:`~narvik_thermal.components._hydraulic_kernels.law_constants`, on
    :func:`law_arguments`).

    Returns a dict: ``count``, ``power`` (``inv = 1/(count ρ)`` and ``Vr``, the rated
    volume flows, of the rated-point edges) and ``laws``, the arguments
    :func:`edge_losses` passes to the compiled laws.
    """
    _kernels = kernels.hydraulic()

    count = np.asarray(cn.count, dtype=float)
    a = law_arguments(cn)
    (inv_n, re_coef, eD, c, kq, inv, Vr, to_pa, coef, shut, chk,
     fixed) = _kernels.law_constants(count, rho, mu, *a[:N_CONSTANT_ARGUMENTS])
    friction, dp_rated, dp_exponent, a0, a1, a2, speed, q_max, back = a[N_CONSTANT_ARGUMENTS:]
    return {"count": count, "power": dict(inv=inv, Vr=Vr), "laws": (
        (a[0], inv_n, re_coef, eD, c, kq, friction),
        (a[5], inv, dp_rated, Vr, dp_exponent),
        (a[8], to_pa, a0, a1, a2, speed, q_max),
        (a[10], coef, shut, chk, back),
        (a[16], fixed))}


def _f(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=float)


def _i(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.int64)


#: an empty group of each law, as :func:`edge_losses` passes it to the compiled laws
_NO_INT, _NO_FLOAT, _NO_BOOL = np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.bool_)
_EMPTY = {
    _DARCY: (_NO_INT,) + (_NO_FLOAT,) * 5 + (_NO_INT,),
    _POWER_LAW: (_NO_INT,) + (_NO_FLOAT,) * 4,
    _PUMP_CURVE: (_NO_INT,) + (_NO_FLOAT,) * 6,
    _VALVE_KV: (_NO_INT, _NO_FLOAT, _NO_BOOL, _NO_BOOL, CHECK_VALVE_BACK_RESISTANCE),
    _FIXED_RISE: (_NO_INT, _NO_FLOAT)}
_LAW_ORDER = (_DARCY, _POWER_LAW, _PUMP_CURVE, _VALVE_KV, _FIXED_RISE)


def edge_losses(cn, m: np.ndarray, rho: np.ndarray, mu: np.ndarray, consts: dict | None = None,
                laws=None):
    """Pressure loss ``r`` [Pa] and ``dr/dṁ`` [Pa s kg⁻¹] of every edge.

    Parameters
    ----------
    cn : CompiledNetwork
    m : numpy.ndarray
        Total mass flow of each edge [kg/s] (all edges; fixed-flow edges
        included, their loss is 0).
    rho, mu : numpy.ndarray
        Density [kg/m³] and dynamic viscosity [Pa s] at each edge.

    Returns
    -------
    r, drdm : numpy.ndarray
        ``r`` is the pressure loss along positive flow direction minus any
        pump rise, so that the edge equation reads
        ``p_start − p_end + ρ g (z_start − z_end) − r = 0``.
        ``drdm`` is unfloored (zero for ideal edges, or at zero flow of
        quadratic laws); the solver floors it.
    consts : dict, optional
        Output of :func:`darcy_constants` for these ``rho`` and ``mu`` (saves
        recomputing the flow-independent factors at every Newton step).
    laws : collection of HydraulicLaw, optional
        Evaluate only edges of these laws (zeros elsewhere); all by default.

    Every law but the constant-power pumps' is one compiled call
    (:func:`~narvik_thermal.components._hydraulic_kernels.law_losses`); a Darcy group
    of at least ``darcy_losses.min_parallel`` pipes runs on threads on its own.
    """
    _kernels = kernels.hydraulic()

    if consts is None:
        consts = darcy_constants(cn, rho, mu)
    E = m.size
    m = np.ascontiguousarray(m, dtype=float)
    r = np.zeros(E)
    d = np.zeros(E)
    count = consts["count"]
    if laws is None:
        keep = None
        darcy, power, curve, valve, fixed = consts["laws"]
    else:
        keep = {int(law) for law in laws}
        darcy, power, curve, valve, fixed = (
            a if law in keep else _EMPTY[law] for law, a in zip(_LAW_ORDER, consts["laws"]))
    if darcy[0].size >= _kernels.darcy_losses.min_parallel:
        _kernels.darcy_losses(m, *darcy, r, d)
        darcy = _EMPTY[_DARCY]
    _kernels.law_losses(m, count, rho, r, d, *darcy, *power, *curve, *valve, *fixed)

    grp = cn.hgroups[_CONSTANT_POWER]
    if grp.idx.size and (keep is None or _CONSTANT_POWER in keep):
        i = grp.idx
        P = grp.params
        n = count[i]
        to_pa = np.where(P["rise_basis"] == _PRESSURE, 1.0, rho[i] * G)
        dp, ddp = power_pump_rise(P["power"], to_pa * P["shutoff_rise"], m[i] / (n * rho[i]),
                                  P["speed"])
        r[i] = -dp
        d[i] = -ddp / (n * rho[i])
    return r, d


def rated_point_flows(cn, loss: np.ndarray, rho: np.ndarray, consts: dict):
    """The mass flow [kg/s] each rated-point (power-law) edge passes at a given loss:
    the inverse of their law in :func:`edge_losses`.

    Parameters
    ----------
    cn : CompiledNetwork
    loss : numpy.ndarray
        Pressure loss along each edge's positive direction [Pa] (all edges).
    rho : numpy.ndarray
        Density at each edge [kg/m³].
    consts : dict
        :func:`darcy_constants` for these densities.

    Returns
    -------
    idx, flow : numpy.ndarray
        The rated-point edges and their total mass flows (all ``count`` units).
    """
    grp = cn.hgroups[HydraulicLaw.POWER_LAW]
    if not len(grp):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    i = grp.idx
    k = consts["power"]
    V = power_law_flow(loss[i], grp.params["dp_rated"], k["Vr"], grp.params["dp_exponent"])
    return i, V / k["inv"]


def typical_flow(cn, rho: np.ndarray) -> np.ndarray:
    """A flow scale for each edge used to linearise the first Newton step [kg/s].

    Pipes: 1 m/s (as EPANET starts from 1 ft/s); rated-point components:
    their rated flow; pumps: the middle of the curve; constant-power pumps:
    the flow at a tenth of their shut-off rise; valves: 1 m/s in a pipe whose
    Kv equals the valve's; ideal edges: 1 kg/s.
    """
    E = cn.n_edges
    mt = np.ones(E)
    g = cn.hgroups
    grp = g[HydraulicLaw.DARCY]
    if len(grp):
        i = grp.idx
        D = grp.params["diameter"]
        mt[i] = rho[i] * 0.25 * np.pi * D * D * 1.0 * cn.count[i]
    grp = g[HydraulicLaw.POWER_LAW]
    if len(grp):
        i = grp.idx
        P = grp.params
        mt[i] = volume_flow_rated(P["flow_rated"], P["rated_basis"], rho[i]) * rho[i] * cn.count[i]
    grp = g[HydraulicLaw.PUMP_CURVE]
    if len(grp):
        i = grp.idx
        # (a stopped pump, speed 0, at the scale of a tenth of its speed)
        mt[i] = 0.5 * grp.params["q_max"] * np.maximum(grp.params["speed"], 0.1) * rho[i] \
            * cn.count[i]
    grp = g[HydraulicLaw.CONSTANT_POWER]
    if len(grp):
        i = grp.idx
        P = grp.params
        to_pa = np.where(P["rise_basis"] == RiseBasis.PRESSURE, 1.0, rho[i] * G)
        mt[i] = 10.0 * P["power"] * P["speed"] / (to_pa * P["shutoff_rise"]) * rho[i] \
            * cn.count[i]
    grp = g[HydraulicLaw.VALVE_KV]
    if len(grp):
        i = grp.idx
        # flow at 10 kPa across the fully open valve
        mt[i] = grp.params["kvs"] / 3600.0 * np.sqrt(0.1) * rho[i] * cn.count[i]
    return mt
