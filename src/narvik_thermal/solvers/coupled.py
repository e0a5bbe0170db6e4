"""Coupled steady solve: hydraulics ↔ heat transport ↔ temperature-dependent properties.

Outer loop (a fixed-point iteration):

1. properties (ρ, μ at each edge's mean temperature) from the current temperatures;
2. hydraulics by Newton (:mod:`.hydraulic`), warm-started from the last flows;
3. heat transport as one sparse linear system in enthalpy (:mod:`.thermal`),
   with temperature-dependent laws linearised about the current temperatures;
4. repeat until node temperatures change less than ``temperature_tol``.

Mass and energy balances per circuit are computed on the converged state and
stored in the result; a solve that does not converge raises
:class:`~narvik_thermal.errors.ConvergenceError` naming the worst residuals.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from ..components.kinds import ThermalLaw
from ..components.pump import G
from ..errors import ConvergenceError
from .hydraulic import NodalSolver, fixed_flows, solve_hydraulics
from .options import SolverOptions
from .thermal import edge_heat_coefficients, heat_pump_coefficients, solve_thermal

__all__ = ["solve_network", "FluidMap"]

log = logging.getLogger(__name__)

#: Hydraulic tolerance of the first outer iteration, while the temperatures (and so
#: the properties) are still guesses; later outer iterations take one Newton step each.
_LOOSE = 1e-2


class FluidMap:
    """Evaluates fluid properties per circuit fluid, vectorised over nodes/edges."""

    def __init__(self, cn) -> None:
        uniq: list = []
        fidx = np.empty(cn.n_circuits, dtype=np.int64)
        for c, fl in enumerate(cn.circuit_fluid):
            for k, u in enumerate(uniq):
                if u is fl or u == fl:
                    fidx[c] = k
                    break
            else:
                uniq.append(fl)
                fidx[c] = len(uniq) - 1
        self.fluids = uniq
        self.node_f = fidx[cn.node_circuit]
        self.edge_f = fidx[cn.edge_circuit]
        self.node_sel = [np.flatnonzero(self.node_f == k) for k in range(len(uniq))]
        # table range of each node's fluid (a scalar when there is one fluid)
        lo = np.array([float(getattr(f, "t_min", 0.0)) for f in uniq])
        hi = np.array([float(getattr(f, "t_max", np.inf)) for f in uniq])
        one = len(uniq) == 1
        self.node_t_min = lo[0] if one else lo[self.node_f]
        self.node_t_max = hi[0] if one else hi[self.node_f]
        self.edge_sel = [np.flatnonzero(self.edge_f == k) for k in range(len(uniq))]
        # the fluid of most nodes (edges) is evaluated over all of them in one
        # pass, the others then over their own few; no gather and scatter of the
        # large arrays
        self._plan = {}
        for where, sels in (("node", self.node_sel), ("edge", self.edge_sel)):
            major = int(np.argmax([x.size for x in sels]))
            self._plan[where] = (major, [(k, x) for k, x in enumerate(sels)
                                         if x.size and k != major])

        # table bounds in enthalpy, to extrapolate temperatures beyond them
        self._hbounds = []
        for fl in uniq:
            lo, hi = float(fl.t_min), float(fl.t_max)
            h = fl.enthalpy_T(np.array([lo, hi]), check=False)
            cp = fl.cp_pT(np.array([lo, hi]), check=False)
            self._hbounds.append((lo, hi, float(h[0]), float(h[1]), float(cp[0]), float(cp[1])))

    def _apply(self, where: str, method: str, x: np.ndarray) -> np.ndarray:
        major, minor = self._plan[where]
        out = np.asarray(getattr(self.fluids[major], method)(x, check=False), dtype=float)
        if method == "temperature_h":
            self._extrapolate(major, x, out)
        for k, sel in minor:
            xs = x[sel]
            o = getattr(self.fluids[k], method)(xs, check=False)
            if method == "temperature_h":
                self._extrapolate(k, xs, o)
            out[sel] = o
        return out

    def _extrapolate(self, k: int, h: np.ndarray, T: np.ndarray) -> None:
        """Temperatures of enthalpies beyond fluid ``k``'s table, in place: linear
        with the end specific heat, so that freezing or over-range states show
        (and are flagged) instead of being clamped to the table end."""
        lo, hi, hlo, hhi, cplo, cphi = self._hbounds[k]
        below, above = h < hlo, h > hhi
        if below.any():
            T[below] = lo + (h[below] - hlo) / cplo
        if above.any():
            T[above] = hi + (h[above] - hhi) / cphi

    def lookup(self, where: str, keys: tuple[str, ...], x: np.ndarray) -> np.ndarray:
        """Table quantities ``keys`` ("density", "cp", "viscosity", "enthalpy", …) at
        the temperatures ``x`` of every node (``where="node"``) or edge, one row per
        key, in one pass per fluid; clamped to each fluid's table."""
        major, minor = self._plan[where]
        out = self.fluids[major]._lookup(x, False, "", keys)
        for k, sel in minor:
            out[:, sel] = self.fluids[k]._lookup(x[sel], False, "", keys)
        return out

    def edge_at(self, method: str, x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Property ``method`` at the edges ``idx`` only (``x`` aligned with ``idx``)."""
        return self._at(self.edge_f[idx], method, x)

    def node_at(self, method: str, x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Property ``method`` at the nodes ``idx`` only (``x`` aligned with ``idx``)."""
        return self._at(self.node_f[idx], method, x)

    def _at(self, f: np.ndarray, method: str, x: np.ndarray) -> np.ndarray:
        out = np.empty(f.size)
        for k, fl in enumerate(self.fluids):
            sel = f == k
            if np.any(sel):
                out[sel] = getattr(fl, method)(x[sel], check=False)
        return out

    def node(self, method: str, x: np.ndarray) -> np.ndarray:
        return self._apply("node", method, x)

    def edge(self, method: str, x: np.ndarray) -> np.ndarray:
        return self._apply("edge", method, x)


def _initial_temperature(cn, opts: SolverOptions) -> np.ndarray:
    """Start temperatures: the mean of the known temperatures of each circuit."""
    known_c, known_t = [], []
    pb = ~cn.is_tank
    known_c.append(cn.node_circuit[cn.fixed_nodes[pb]]); known_t.append(cn.bc_temperature[pb])
    if cn.flow_nodes.size:
        known_c.append(cn.node_circuit[cn.flow_nodes]); known_t.append(cn.flow_temperature)
    sg = cn.tgroups[ThermalLaw.SETPOINT]
    if len(sg):
        known_c.append(cn.edge_circuit[sg.idx]); known_t.append(sg.params["t_set"])
    if cn.hp_cond.size:
        known_c.append(cn.edge_circuit[cn.hp_cond])
        known_t.append(np.array([sp_["t_supply"] for sp_ in cn.hp_specs]))
    amb = cn.tgroups[ThermalLaw.AMBIENT]
    if len(amb):
        known_c.append(cn.edge_circuit[amb.idx]); known_t.append(amb.params["ambient"])
    kc = np.concatenate(known_c) if known_c else np.empty(0, dtype=np.int64)
    kt = np.concatenate(known_t) if known_t else np.empty(0)
    default = float(kt.mean()) if kt.size else opts.initial_temperature
    sums = np.bincount(kc, weights=kt, minlength=cn.n_circuits)
    cnts = np.bincount(kc, minlength=cn.n_circuits)
    tc = np.where(cnts > 0, sums / np.maximum(cnts, 1), default)
    return tc[cn.node_circuit].astype(float)


def _clip_T(fm: FluidMap, T: np.ndarray) -> np.ndarray:
    """Clamp node temperatures to each fluid's table range (property evaluation only)."""
    return np.clip(T, fm.node_t_min, fm.node_t_max)


def solve_network(net, cn, opts: SolverOptions, initial=None):
    """Solve the coupled steady state of a compiled network; returns a Result."""
    from ..network.result import Result

    t0 = time.perf_counter()
    solver = NodalSolver(cn, opts.linear_solver)
    solver.start_analysis()
    fm = FluidMap(cn)
    N, E = cn.n_nodes, cn.n_edges
    s, e = cn.start, cn.end
    if initial is not None and getattr(initial, "_cn", None) is not None \
            and initial._cn.n_nodes == N and initial._cn.n_edges == E:
        T = initial._T.copy()
        m = initial._m.copy()
        p = initial._p.copy()
    else:
        T = _initial_temperature(cn, opts)
        m = None
        p = None

    # set-point enthalpies
    h_set = np.full(E, np.nan)
    sg = cn.tgroups[ThermalLaw.SETPOINT]
    if len(sg):
        t_full = np.full(E, 293.15)
        t_full[sg.idx] = sg.params["t_set"]
        h_set[sg.idx] = fm.edge("enthalpy_T", t_full)[sg.idx]

    hp = _HeatPumps(cn, fm)
    hx_edges = np.concatenate([cn.hx_hot, cn.hx_cold])
    need_out = np.unique(np.concatenate([hx_edges, cn.hp_evap])).astype(np.int64)
    # boundary nodes and their boundary temperatures (kept when no flow passes)
    boundary = np.zeros(N, bool)
    T_bc = np.full(N, 293.15)
    pb = cn.fixed_nodes[~cn.is_tank]
    boundary[pb] = True
    T_bc[pb] = cn.bc_temperature[~cn.is_tank]
    if cn.flow_nodes.size:
        boundary[cn.flow_nodes] = True
        T_bc[cn.flow_nodes] = cn.flow_temperature
    h_bc = fm.node("enthalpy_T", T_bc)
    record = dict(outer=0, newton=[], hydraulic_residual=[], temperature_change=[])
    T_prop = T.copy()
    hx_info: dict = {}
    T_out_prev = None
    converged = False
    hyd = None
    rho_e = mu_e = rho_n = None
    full_hydraulics = True
    for outer in range(1, opts.max_outer + 1):
        if outer == 1 or opts.couple_properties:
            Tc = _clip_T(fm, T_prop)
            Te = 0.5 * (Tc[s] + Tc[e])
            rho_e, mu_e = fm.lookup("edge", ("density", "viscosity"), Te)
            rho_n = fm.lookup("node", ("density",), Tc)[0]
            # inexact Newton while temperatures still move: the first outer iteration
            # converges the hydraulics loosely (the properties are still guesses),
            # later ones take one Newton step each, interleaved with the thermal
            # solve; the loop ends only with the hydraulics fully converged
            if opts.couple_properties and outer == 1:
                h_opts = opts.replace(pressure_rtol=max(opts.pressure_rtol, _LOOSE),
                                      flow_rtol=max(opts.flow_rtol, _LOOSE))
            elif opts.couple_properties:
                h_opts = opts.replace(max_newton=1)
            else:
                h_opts = opts
            hyd = solve_hydraulics(cn, rho_e, mu_e, rho_n, h_opts, m0=m, p0=p, solver=solver)
            full_hydraulics = hyd.converged and h_opts.pressure_rtol == opts.pressure_rtol
            record["newton"].append(hyd.iterations)
            record["hydraulic_residual"].append(hyd.residual)
            m = hyd.state["mass_flow"]
            p = hyd.state["pressure"]
            if not hyd.converged and (h_opts.max_newton == opts.max_newton
                                      or outer == opts.max_outer):
                res = Result._partial(net, cn, fm, m, p, T, record, opts, rho_e=rho_e)
                F = np.abs(hyd.state["residual_edge"])
                worst = np.argsort(F)[::-1][:5]
                names = [cn.edge_names[cn.free_edges[k]] for k in worst]
                raise ConvergenceError(
                    f"hydraulics did not converge in {opts.max_newton} Newton iterations "
                    f"(outer iteration {outer}): relative residual {hyd.residual:.3e} > "
                    f"{opts.pressure_rtol:.1e}. Largest edge residuals [Pa]: "
                    + ", ".join(f"{n}: {F[k]:.3g}" for n, k in zip(names, worst))
                    + ". Check pump curves against the system curve, closed valves, and "
                      "ideal (zero-loss) loops.", result=res)
        up = np.where(m >= 0, s, e)
        dn = np.where(m >= 0, e, s)
        rise = p[e] - p[s] - rho_e * G * (cn.elevation[s] - cn.elevation[e])
        Tc = _clip_T(fm, T)
        h_k, cp_k = fm.lookup("node", ("enthalpy", "cp"), Tc)
        # specific heat at the mean temperature of heat-exchanger sides (their
        # capacity rates); no other edge needs it
        cp_e = np.zeros(E)
        if hx_edges.size:
            if T_out_prev is not None:
                Te_h = 0.5 * (Tc[up[hx_edges]] + T_out_prev[hx_edges])
            else:
                Te_h = 0.5 * (Tc[s[hx_edges]] + Tc[e[hx_edges]])
            cp_e[hx_edges] = fm.edge_at("cp_pT", Te_h, hx_edges)
        ext_in, h_ext, supply = _external_inflow(cn, fm, m, rho_n)
        hp.update(m, T, T_out_prev, h_k, up, outer)
        q0, q1, q2, hx_info = edge_heat_coefficients(
            cn, m, up, h_k, Tc, cp_k, cp_e, rise, rho_e, h_set,
            extra=heat_pump_coefficients(cn, m, hp.h_supply, hp.cop, hp.mode, hp.capacity)
            if hp.n else None)
        h_def = np.where(boundary, h_bc, h_k)
        h, Q, h_out = solve_thermal(cn, m, ext_in, h_ext, q0, q1, q2, up, dn, h_def,
                                    cache=cn.cache, boundary=boundary,
                                    method=opts.thermal_solver)
        T_new = fm.node("temperature_h", h)
        # outlet temperatures inside the loop only where the laws need them (heat
        # exchangers, heat-pump evaporators); all of them once converged
        T_out_prev = np.zeros(E)
        T_out_prev[need_out] = fm.edge_at("temperature_h", h_out[need_out], need_out)
        dT = float(np.max(np.abs(T_new - T))) if N else 0.0
        record["temperature_change"].append(dT)
        log.debug("outer %d: newton %d, dT %.3e K", outer, hyd.iterations, dT)
        # property temperatures: under-relaxed once the change stops falling (a heated,
        # nearly starved branch can otherwise make flows and temperatures cycle)
        tc = record["temperature_change"]
        omega = 0.5 if len(tc) >= 3 and tc[-1] > 0.5 * tc[-2] else 1.0
        T_prop = T_prop + omega * (T_new - T_prop)
        T = T_new
        if dT <= opts.temperature_tol and hp.settled(Q) and full_hydraulics:
            converged = True
            record["outer"] = outer
            break
    record["outer"] = outer
    T_out = fm.edge("temperature_h", h_out)
    record["seconds"] = time.perf_counter() - t0
    record["factorisations"] = solver.factorisations
    record["thermal_factorisations"] = cn.cache.get("thermal_factorisations", 0)
    # torn nodes of the flow-order heat-transport solve; None: SuperLU was used
    record["thermal_torn_nodes"] = cn.cache.get("thermal_torn_nodes")
    state = dict(m=m, p=p, T=T, h=h, Q=Q, h_out=h_out, T_out=T_out, up=up, dn=dn,
                 rho_e=rho_e, mu_e=mu_e, rho_n=rho_n, rise=rise, supply=supply,
                 ext_in=ext_in, h_ext=h_ext, hx=hx_info, hp=hp.report(Q))
    result = Result(net, cn, fm, state, record, opts)
    if not converged:
        out_of_range = [f for f in result.flags if f.kind in ("boiling", "freezing",
                                                               "property_range")]
        hint = (" " + " ".join(f.message for f in out_of_range) + " The coupling cannot "
                "settle on clamped properties; fix the cause (more flow, less heat, higher "
                "pressure) first." if out_of_range else
                " Strongly temperature-dependent properties or flow reversal driven by "
                "buoyancy can cause this; try max_outer=... or couple_properties=False.")
        raise ConvergenceError(
            f"the hydraulic–thermal coupling did not converge in {opts.max_outer} outer "
            f"iterations: the last temperature change was {dT:.3e} K > "
            f"{opts.temperature_tol:.1e} K (history: "
            + ", ".join(f"{x:.2e}" for x in record["temperature_change"][-5:]) + ")." + hint,
            result=result)
    return result


def _external_inflow(cn, fm: FluidMap, m: np.ndarray, rho_n: np.ndarray):
    """External inflow at boundary nodes [kg/s] and its enthalpy [J/kg]."""
    N = cn.n_nodes
    supply = -(cn.incidence @ m)          # net flow that must come from outside
    ext_in = np.zeros(N)
    T_ext = np.full(N, np.nan)
    # flow boundaries
    if cn.flow_nodes.size:
        _, qn = fixed_flows(cn, np.ones(cn.n_edges), rho_n)
        fin = cn.flow_nodes[qn[cn.flow_nodes] > 0]
        ext_in[fin] += qn[fin]
        T_ext[cn.flow_nodes] = cn.flow_temperature
    else:
        qn = np.zeros(N)
    # pressure boundaries (not tanks)
    pb = cn.fixed_nodes[~cn.is_tank]
    if pb.size:
        sup = supply[pb] - qn[pb]
        ext_in[pb] += np.maximum(sup, 0.0)
        T_ext[pb] = cn.bc_temperature[~cn.is_tank]
    h_ext = np.zeros(N)
    have = np.flatnonzero(ext_in > 0)
    if have.size:
        h_ext[have] = fm.node_at("enthalpy_T", T_ext[have], have)
    return ext_in, h_ext, supply


class _HeatPumps:
    """COP and operating mode of each heat pump, updated every outer iteration."""

    def __init__(self, cn, fm: FluidMap) -> None:
        self.cn = cn
        self.n = cn.hp_evap.size
        specs = cn.hp_specs
        self.t_supply = np.array([s["t_supply"] for s in specs])
        self.capacity = np.array([s["capacity"] for s in specs]) * cn.count[cn.hp_cond] \
            if self.n else np.zeros(0)
        if self.n:
            tf = np.full(cn.n_edges, 293.15)
            tf[cn.hp_cond] = self.t_supply
            self.h_supply = fm.edge("enthalpy_T", tf)[cn.hp_cond]
        else:
            self.h_supply = np.zeros(0)
        self.cop = np.full(self.n, 3.0)
        self.mode = np.zeros(self.n, dtype=np.int64)
        self._last_mode = self.mode.copy()

    def update(self, m, T, T_out, h, up, outer) -> None:
        if not self.n:
            return
        from ..correlations.heat_pump import heat_pump_cop
        from ..errors import InputError
        cn = self.cn
        ev, co = cn.hp_evap, cn.hp_cond
        t_src_in = T[up[ev]]
        t_src_out = T_out[ev] if T_out is not None else t_src_in - 5.0
        t_snk_in = T[up[co]]
        self._last_mode = self.mode.copy()
        for k, spec in enumerate(cn.hp_specs):
            hi = min(float(t_snk_in[k]), self.t_supply[k] - 1.0)
            so = min(float(t_src_out[k]), float(t_src_in[k]) - 0.1)
            try:
                self.cop[k] = heat_pump_cop(float(t_src_in[k]), so, hi, self.t_supply[k],
                                            **spec["cop_args"])
            except InputError as exc:
                raise InputError(f"heat pump {spec['name']!r}: {exc}") from None
            if outer > 1:
                q_unc = abs(m[co[k]]) * (self.h_supply[k] - h[up[co[k]]])
                if q_unc <= 0.0:
                    self.mode[k] = 2
                elif q_unc > self.capacity[k]:
                    self.mode[k] = 1
                else:
                    self.mode[k] = 0

    def settled(self, Q) -> bool:
        return (not self.n) or bool(np.all(self.mode == self._last_mode))

    def report(self, Q) -> dict:
        if not self.n:
            return {}
        qc = Q[self.cn.hp_cond]
        return dict(cop=self.cop.copy(), mode=self.mode.copy(), heat_sink=qc,
                    heat_source=-Q[self.cn.hp_evap], electric_power=qc / self.cop)
