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

__all__ = ["edge_losses", "volume_flow_rated", "valve_kv_effective", "KV_TO_SI",
           "CHECK_VALVE_BACK_RESISTANCE", "darcy_constants", "typical_flow",
           "rated_point_flows"]

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


def darcy_constants(cn, rho: np.ndarray, mu: np.ndarray) -> dict:
    """Flow-independent factors of the Darcy, rated-point, pump-curve and valve laws
    for given properties and parameters (computed once per hydraulic solve, reused by
    every Newton step)."""
    from . import _hydraulic_kernels as _kernels

    count = np.asarray(cn.count, dtype=float)
    out = {"count": count}
    grp = cn.hgroups[_DARCY]
    if len(grp):
        P = grp.params
        out["darcy"] = dict(zip(("inv_n", "re_coef", "eD", "c", "kq"), _kernels.darcy_constants(
            grp.idx, count, P["diameter"], P["length"], P["roughness"], P["minor_loss"], rho,
            mu)), law=np.ascontiguousarray(P["friction"], dtype=np.int64))
    grp = cn.hgroups[_POWER_LAW]
    if len(grp):
        P = grp.params
        inv, Vr = _kernels.power_law_constants(grp.idx, count, rho, P["flow_rated"],
                                               P["rated_basis"], _MASS)
        out["power"] = dict(inv=inv, Vr=Vr)
    grp = cn.hgroups[_PUMP_CURVE]
    if len(grp):
        out["pump_to_pa"] = np.where(grp.params["rise_basis"] == _PRESSURE, 1.0,
                                     rho[grp.idx] * G)
    grp = cn.hgroups[_VALVE_KV]
    if len(grp):
        # the valve's loss coefficient at its opening (fixed within a hydraulic solve)
        P = grp.params
        out["valve"] = dict(zip(("coef", "shut", "check"), _kernels.valve_constants(
            grp.idx, rho, P["kvs"], P["opening"], P["characteristic"], P["rangeability"],
            P["check"], KV_TO_SI)))
    grp = cn.hgroups[_FIXED_RISE]
    if len(grp):
        i = grp.idx
        P = grp.params
        out["fixed_rise"] = -np.where(P["rise_basis"] == _HEAD, rho[i] * G, 1.0) \
            * P["fixed_rise"] * P["speed"] ** 2
    return out


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
    """
    from . import _hydraulic_kernels as _kernels

    if consts is None:
        consts = darcy_constants(cn, rho, mu)
    E = m.size
    m = np.ascontiguousarray(m, dtype=float)
    r = np.zeros(E)
    d = np.zeros(E)
    count = consts["count"]
    g = cn.hgroups if laws is None else {k: v for k, v in cn.hgroups.items() if k in laws}

    grp = g.get(_DARCY, ())
    if len(grp):
        k = consts["darcy"]
        _kernels.darcy_losses(m, grp.idx, k["inv_n"], k["re_coef"], k["eD"], k["c"], k["kq"],
                              k["law"], r, d)

    grp = g.get(_POWER_LAW, ())
    if len(grp):
        k = consts["power"]
        _kernels.power_law_losses(m, grp.idx, k["inv"], grp.params["dp_rated"], k["Vr"],
                                  grp.params["dp_exponent"], r, d)

    grp = g.get(_PUMP_CURVE, ())
    if len(grp):
        P = grp.params
        _kernels.pump_curve_losses(m, grp.idx, count, rho, consts["pump_to_pa"], P["a0"],
                                   P["a1"], P["a2"], P["speed"], P["q_max"], r, d)

    grp = g.get(_CONSTANT_POWER, ())
    if len(grp):
        i = grp.idx
        P = grp.params
        n = count[i]
        to_pa = np.where(P["rise_basis"] == RiseBasis.PRESSURE, 1.0, rho[i] * G)
        dp, ddp = power_pump_rise(P["power"], to_pa * P["shutoff_rise"], m[i] / (n * rho[i]),
                                  P["speed"])
        r[i] = -dp
        d[i] = -ddp / (n * rho[i])

    grp = g.get(_FIXED_RISE, ())
    if len(grp):
        r[grp.idx] = consts["fixed_rise"]

    grp = g.get(_VALVE_KV, ())
    if len(grp):
        k = consts["valve"]
        _kernels.valve_losses(m, grp.idx, count, k["coef"], k["shut"], k["check"],
                              CHECK_VALVE_BACK_RESISTANCE, r, d)
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
