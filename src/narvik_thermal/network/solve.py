"""``Network.solve``: compile, run the solvers on arrays, wrap the state in a Result.

The solvers (:mod:`narvik_thermal.solvers`) take the compiled arrays and return
a :class:`~narvik_thermal.solvers.state.SteadyState`; this module turns it into
a :class:`~narvik_thermal.network.result.Result` (names, units, balances,
flags) and raises :class:`~narvik_thermal.errors.ConvergenceError` with that
result when a solve fails.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..components.base import require_bool
from ..errors import ConvergenceError, InputError
from ..solvers.control import ControlFailure, kept_entries, solve_controlled
from ..solvers.coupled import solve_network
from ..solvers.fluid_map import FluidMap
from ..solvers.options import SolverOptions
from ..units import quantity
from .controls import resolve_controls
from .result import Flag, Result

__all__ = ["solve", "controls_snapshot", "restore_controls"]

#: the options of a solve given none (immutable: one object serves every solve, instead
#: of one validated anew each time)
_DEFAULT_OPTIONS = SolverOptions()


def solve(net, *, initial: Any = None, options: Any = None, warn: bool = True,
          regulator: Any = None, **kwargs: Any) -> Result:
    """Solve ``net`` (see :meth:`narvik_thermal.Network.solve`).

    ``regulator``: a loop settled alongside the network's controls by its own
    iteration (see :func:`narvik_thermal.solvers.control.solve_controlled`);
    only with controls, which it needs to be iterated with. Its
    ``write_back(net)`` keeps its actuator in the network after the solve.
    """
    require_bool(warn, "warn", "solve")
    if options is not None and not isinstance(options, SolverOptions):
        raise InputError(f"solve: options={options!r} must be a nt.SolverOptions(...); or give "
                         "its fields as keywords, e.g. net.solve(max_newton=80).")
    if initial is not None and not isinstance(initial, Result):
        raise InputError(f"solve: initial={initial!r} must be the Result of an earlier solve "
                         "(to warm-start from), or None.")
    opts = options if options is not None else _DEFAULT_OPTIONS
    if kwargs:
        opts = opts.replace(**kwargs)
    revision = net.revision
    cn = net.compile()
    init = initial.state if isinstance(initial, Result) and initial.compiled is cn else (
        initial.state if isinstance(initial, Result) and initial.state.mass_flow.size
        == cn.n_edges and initial.state.temperature.size == cn.n_nodes else None)
    # nothing changed since the state warm-started from was solved (the controls then
    # solve their first point in full, not loosely: it is likely the answer)
    unchanged = init is not None and initial.convergence.get("revision") == revision
    # (the circuits' fluids are those of the compiled network's topology: a new fluid
    # compiles the network anew, so its map is made once per compiled network)
    fm = cn.cache.get("fluid_map")
    if fm is None:
        fm = cn.cache["fluid_map"] = FluidMap(cn)
    loops = resolve_controls(net.controls, cn) if net.controls else []
    if regulator is not None and not loops:
        raise InputError("solve: a regulator is iterated with the network's controls; this "
                         "network has none.")
    if loops:
        try:
            st = solve_controlled(cn, opts, loops, initial=init, fm=fm, kept=cn.cache,
                                  regulator=regulator, inputs_changed=not unchanged)
        except ControlFailure as exc:
            net.refresh_compiled()
            res = Result(cn, fm, exc.state, opts, warn=False)
            # the last inner solve may have converged; the solve as a whole did not
            res.converged = False
            res.message = str(exc)
            raise ConvergenceError(str(exc), result=res) from None
        except BaseException:
            net.refresh_compiled()
            raise
    else:
        st = solve_network(cn, opts, initial=init, fm=fm)
    res = Result(cn, fm, st, opts, warn=st.converged and warn)
    if not st.converged:
        # the controls' trial actuator values must not outlive a failed solve: the
        # network (and a file saved from it) still holds the values before it
        net.refresh_compiled()
        raise ConvergenceError(_failure_message(st, res), result=res)
    if loops:
        try:
            _write_back(net, loops)
            if regulator is not None:
                regulator.write_back(net)
        except BaseException:
            net.refresh_compiled()
            raise
        res.controls = {c.name: _report(c) for c in loops}
        for c in loops:
            if not c.done:
                r = res.controls[c.name]
                why = "the actuator is at its bound" if c.saturated else "the loop did not settle"
                res.add_flag(Flag("setpoint_not_met", (c.name,), 1,
                                  f"control {c.name!r} cannot meet its set-point "
                                  f"{r['setpoint']:~.4g}: {why} ({r['actuator']:~.4g}) and the "
                                  f"target reaches {r['target']:~.4g}."), warn=warn)
    res.convergence["revision"] = net.revision    # after the actuators written back
    return res


_UPDATE_KEY = {"pump_speed": "speed", "pump_flow": "flow", "valve_opening": "opening",
               "setpoint_temperature": "outlet_temperature",
               "heat_pump_supply": "supply_temperature"}


def _write_back(net, loops) -> None:
    """Keep the actuators where the controls left them, in the network itself (its
    components and boundaries), so that the next solve, an update of another
    parameter, or a saved file see the controlled values."""
    by_key: dict[tuple, tuple[list, list]] = {}
    for c in loops:
        if c.kind == "boundary_flow":
            net.update_boundary(c.element, mass_flow=quantity(c.value, c.unit))
            continue
        if c.kind == "boundary_temperature":
            net.update_boundary(c.element, temperature=quantity(c.value, "K"))
            continue
        unit = c.unit or ""
        names, vals = by_key.setdefault((_UPDATE_KEY[c.kind], unit), ([], []))
        names.append(c.element)
        vals.append(c.value)
    for (key, unit), (names, vals) in by_key.items():
        net.update(names, **{key: quantity(vals, unit) if unit else vals})


def controls_snapshot(net) -> dict:
    """The actuators of ``net``'s controls (SI, by control name) and what its controlled
    solves keep for the next warm start (:func:`~narvik_thermal.solvers.control.kept_entries`),
    for :func:`restore_controls`: a warm start from the result solved just before the
    snapshot then takes the path that solve's successor took."""
    if not net.controls:
        return dict(actuators={}, kept={})
    cn = net.compile()
    return dict(actuators={c.name: c.value for c in resolve_controls(net.controls, cn)},
                kept=kept_entries(cn.cache))


def restore_controls(net, snapshot: dict) -> None:
    """Put back the actuators and the kept Jacobians of :func:`controls_snapshot` (controls
    added since keep their actuators; those removed since are skipped)."""
    if not net.controls:
        return
    cn = net.compile()
    loops = [c for c in resolve_controls(net.controls, cn) if c.name in snapshot["actuators"]]
    for c in loops:
        c.value = snapshot["actuators"][c.name]
    try:
        _write_back(net, loops)
    except BaseException:
        net.refresh_compiled()
        raise
    cn = net.compile()
    for k in kept_entries(cn.cache):
        del cn.cache[k]
    cn.cache.update({k: np.array(v, copy=True) for k, v in snapshot["kept"].items()})


def _failure_message(st, res: Result) -> str:
    if st.partial:
        return st.message
    out_of_range = [f for f in res.flags if f.kind in ("boiling", "freezing", "property_range")]
    hint = (" " + " ".join(f.message for f in out_of_range) + " The coupling cannot "
            "settle on clamped properties; fix the cause (more flow, less heat, higher "
            "pressure) first." if out_of_range else
            " Strongly temperature-dependent properties or flow reversal driven by "
            "buoyancy can cause this; try max_outer=... or couple_properties=False.")
    return st.message + hint


def _report(c) -> dict:
    def q(v, unit):
        if unit == "K":
            return quantity(v - 273.15, "degC")
        if unit == "delta_K":
            return quantity(v, "delta_degC")
        return quantity(v, unit or "")

    return dict(actuator=q(c.value, c.unit), target=q(c.last_target, c.setpoint_unit),
                setpoint=q(c.setpoint, c.setpoint_unit), met=not c.saturated and c.done,
                saturated=c.saturated, iterations=c.iterations)
