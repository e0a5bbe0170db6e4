"""Parts of the coupled solve (:mod:`.coupled`) gathered once a solve or kept between
solves: the heat pumps' constants and the pipes that exchange heat with their
surroundings."""

from __future__ import annotations

import numpy as np

from ..components.kinds import ThermalLaw
from ..correlations.heat_pump_limits import FREEZE_PROTECTION_MARGIN

__all__ = ["heat_pump_constants", "AmbientPipes"]


def heat_pump_constants(cn, fm) -> tuple:
    """What the heat pumps of ``cn`` keep through its solves: the lowest source outlet
    of each (freeze protection: given, or its source fluid's freezing point plus
    ``FREEZE_PROTECTION_MARGIN``) and its enthalpy, the highest discharge temperature
    and condensing pressure, and each unit's performance and part-load COP functions
    (bound once: its map, its parameters).

    Kept in ``cn.cache`` while the heat pumps are the same components (immutable: a
    ``Network.update`` of one makes a new one, and the compiled network's list of them
    anew) on the same edges with the same fluid map: binding the maps and gathering
    the parameters cost 40–90 µs a solve (250 µs within a warm operating point of the
    290 MW campus, its caches cold). The supply set-points (a control may move them
    between solves, in place), their enthalpies and the rated capacities are read by
    every solve.

    Returns
    -------
    tuple
        ``(t_source_min [K], h_source_min [J/kg], t_discharge_max [K],
        p_condensation_max [Pa], performance, part_load)``, the last two lists of
        functions (:meth:`CompiledNetwork.hp_performance_functions`,
        :meth:`CompiledNetwork.hp_part_load_functions`).
    """
    units = cn.hp_units
    kept = cn.cache.get("heat_pump_constants")
    if (kept is not None and kept[1] is fm and kept[2] is cn.hp_evap
            and len(kept[0]) == len(units)
            and all(a is b and i == j for (a, i), (b, j) in zip(kept[0], units))):
        return kept[3]
    t_min = cn.hp_parameter("min_source_outlet")
    auto = np.isnan(t_min)
    if auto.any():
        fl = [fm.fluids[fm.edge_f[e]] for e in cn.hp_evap]
        t_frz = np.array([float(getattr(f, "freezing_temperature", None)
                                or getattr(f, "t_min", 273.15)) for f in fl])
        t_min = np.where(auto, t_frz + FREEZE_PROTECTION_MARGIN, t_min)
    got = (t_min, fm.edge_at("enthalpy_T", t_min, cn.hp_evap),
           cn.hp_parameter("max_discharge_temperature"),
           cn.hp_parameter("max_condensing_pressure"),
           cn.hp_performance_functions(), cn.hp_part_load_functions())
    for a in got[:4]:
        a.flags.writeable = False          # (shared by the solves that keep them)
    cn.cache["heat_pump_constants"] = (list(units), fm, cn.hp_evap, got)
    return got


class AmbientPipes:
    """The pipes of a compiled network that exchange heat with their surroundings (the
    ``AMBIENT`` heat law), gathered once a solve.

    Attributes
    ----------
    idx : numpy.ndarray of int64
        Their edges (contiguous, as the compiled steps of an outer iteration take them).
    ambient : numpy.ndarray or None
        Their ambient temperatures [K] (None without such pipes).
    """

    __slots__ = ("idx", "ambient")

    def __init__(self, cn) -> None:
        grp = cn.tgroups[ThermalLaw.AMBIENT]
        self.idx = (np.ascontiguousarray(grp.idx, dtype=np.int64) if len(grp)
                    else np.zeros(0, np.int64))
        self.ambient = grp.params["ambient"] if len(grp) else None

    def still(self, fm, k: np.ndarray):
        """Those without flow (``|ṁ|`` at most
        :func:`~narvik_thermal.solvers.thermal.stagnant_limit`: their positions ``k``
        among these, found with the outer iteration's edge states,
        :func:`narvik_thermal.solvers._outer_kernels.edge_states`) and the enthalpy of
        their fluid at their ambient temperature (the steady state of a stagnant pipe,
        :func:`~narvik_thermal.solvers.thermal.solve_thermal`), in the fluid map
        ``fm``; None when there are none."""
        if k.size == 0:
            return None
        i = self.idx[k]
        return i, fm.edge_at("enthalpy_T", self.ambient[k], i)
