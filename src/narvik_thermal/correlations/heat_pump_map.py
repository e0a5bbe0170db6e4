r"""Performance map of a vapour-compression unit: the cycle tabulated over its
evaporating and condensing temperatures and interpolated (bicubic Hermite).

A built heat pump has a fixed refrigerant, number of stages, compressor
efficiency, superheat and subcooling; what changes from one operating point to
the next is where it evaporates and condenses. Manufacturers publish COP and
capacity maps over those two temperatures for the same reason this module
exists: the full cycle (:func:`~narvik_thermal.correlations.heat_pump_cycle.two_stage_cycle`,
about twenty CoolProp flashes, ~0.8 ms) is too slow for the inner loop of an
annual simulation, which evaluates it at every outer iteration of every hour.

:class:`CyclePerformanceMap` tabulates, for one such configuration, the unit
cycle on a square grid of spacing :data:`MAP_SPACING` (2.5 K) in
:math:`(T_e, T_c)`, and interpolates inside each grid cell with a bicubic
Hermite patch. The grid is filled *lazily*: a node is computed by the direct
cycle the first time a cell around it is needed, so only the cells an
operation visits are ever built (a new cell costs at most four nodes, ~15 ms),
and every node's value is a pure function of its temperatures (the same map
whatever the order of the visits). :func:`performance_map` returns the one map
of a configuration (cached per process).

Quantities interpolated, per node:

- :math:`g = COP_h (T_c - T_e)/T_c`, the COP relative to Carnot (smooth; the COP
  itself has a pole at zero lift), then :math:`COP_h = g\,T_c/(T_c - T_e)`;
- the discharge temperature of the high stage and (two stages) of the low
  stage, separately (their maximum has a kink where they cross);
- :math:`\ln p_c`, the logarithm of the condensing pressure.

At each node the values and the derivatives :math:`f_x, f_y, f_{xy}` come from
five cycles (the node and four points :math:`\pm\delta` around it, central
differences, :math:`\delta` = 0.05 K); the Hermite patch then matches value and
slopes on every cell edge (:math:`C^1` across cells) with an interpolation error
of order :math:`h^4`.

Domain. A cell is used only when all four of its corners give a cycle and its
smallest lift (cold corner of the condenser, warm corner of the evaporator) is
at least :data:`MAP_MIN_LIFT` (10 K); elsewhere :meth:`CyclePerformanceMap.unit`
returns None and the caller runs the direct cycle, which raises the same
errors as without a map. Nothing is ever extrapolated.

Accuracy (R717, one and two stages, η = 0.7, 5 K superheat, 2 K subcooling,
random points with evaporation −5…45 °C and a lift of 12.5–60 K, condensing
≤ 125 °C; ``tests/test_heat_pump_map.py`` asserts COP ≤ 1e-5 relative,
discharge temperature ≤ 5 mK, condensing pressure ≤ 1e-6 relative): measured
COP ≤ 2e-7 relative, discharge temperature ≤ 2e-5 K, condensing pressure
≤ 5e-9 relative. R134a, R1234ze(E), R600a and R744 condensing up to 1 K below
their critical point: COP ≤ 2e-5 (asserted ≤ 1e-4). The compressor-limit checks (discharge
temperature, condensing pressure) are therefore as good as the cycle's to a
few millikelvin; the evaporator's freeze protection does not involve the
cycle and is unchanged.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np

from ..errors import NarvikError
from . import _kernel_modules as kernels
from . import _checks as _c

__all__ = ["CyclePerformanceMap", "performance_map", "MAP_SPACING", "MAP_MIN_LIFT",
           "PERFORMANCE_OPTIONS"]

#: Grid spacing of the performance map in evaporating and condensing temperature [K].
MAP_SPACING = 2.5
#: Smallest lift (condensing − evaporating temperature) of a mapped cell [K]; below
#: it the direct cycle is used.
MAP_MIN_LIFT = 10.0
#: Half-step of the central differences giving the node derivatives [K].
_DELTA = 0.05
#: Valid values of the ``performance`` option of the heat-pump functions and components.
PERFORMANCE_OPTIONS = ("cycle", "map")

# Hermite basis on [0, 1]: value at 0, value at 1, slope at 0, slope at 1 → power basis
_M = np.array([[1.0, 0.0, 0.0, 0.0],
               [0.0, 0.0, 1.0, 0.0],
               [-3.0, 3.0, -2.0, -1.0],
               [2.0, -2.0, 1.0, 1.0]])
_N_OUT = 4          # g, T_discharge (high), T_discharge (low), ln p_c
#: held while any map computes nodes: the cycles of all maps of one refrigerant use
#: its one CoolProp state, and a lookup never waits for it (filled cells are read
#: without the lock)
_FILL_LOCK = threading.RLock()
#: cells indexed a side for :meth:`CyclePerformanceMap.series` (at 2.5 K, 0 to 1280 K)
_SLOTS = 512


class CyclePerformanceMap:
    """Lazily tabulated performance map of one vapour-compression unit.

    Parameters
    ----------
    refrigerant : str or Refrigerant
        Name or property object (:func:`narvik_thermal.fluids.refrigerant.refrigerant`);
        a name is made a property object only when a node must be computed.
    stages : {1, 2}
        Compression stages (:func:`~.heat_pump_cycle.vapour_compression_cycle` or
        :func:`~.heat_pump_cycle.two_stage_cycle`).
    isentropic_efficiency, superheat, subcooling : float
        Cycle parameters [-], [K], [K].
    spacing : float, optional
        Grid spacing [K], default :data:`MAP_SPACING`.

    Notes
    -----
    See the module notes for the grid, the interpolated quantities, the domain
    and the measured accuracy.
    """

    def __init__(self, refrigerant: Any, stages: int, isentropic_efficiency: float,
                 superheat: float, subcooling: float, spacing: float = MAP_SPACING) -> None:
        # a name is made a property object only when a node must be computed (the
        # nodes of the disk cache need no CoolProp)
        self._refrigerant = refrigerant
        self.stages = int(stages)
        self.isentropic_efficiency = float(isentropic_efficiency)
        self.superheat = float(superheat)
        self.subcooling = float(subcooling)
        self.h = float(spacing)
        self._nodes: dict[tuple[int, int], np.ndarray | None] = {}
        self._cells: dict[tuple[int, int], np.ndarray | None] = {}
        self.cycles = 0            # direct cycles run to fill the map (for diagnostics)
        self._packed: tuple[np.ndarray, np.ndarray] | None = None    # see _pack
        name = refrigerant if isinstance(refrigerant, str) else getattr(refrigerant, "name", None)
        self._disk_key = None if name is None else (
            "cycle-map", str(name), self.stages, self.isentropic_efficiency, self.superheat,
            self.subcooling, self.h, _DELTA)
        if self._disk_key is not None:
            from . import map_cache
            self._nodes.update(map_cache.load(self._disk_key) or {})
        self.loaded = len(self._nodes)     # nodes read from the disk cache

    @property
    def refrigerant(self) -> Any:
        """The refrigerant's property object (made from its name on first use)."""
        if isinstance(self._refrigerant, str):
            from ..fluids.refrigerant import refrigerant as _get
            self._refrigerant = _get(self._refrigerant)
        return self._refrigerant

    # ------------------------------------------------------------------ direct
    def direct(self, T_e: float, T_c: float) -> tuple[float, float, float, float]:
        """The direct cycle: (COP_heating, T_discharge high, T_discharge low, p_condensation)."""
        from .heat_pump_cycle import two_stage_cycle, vapour_compression_cycle
        cycle = vapour_compression_cycle if self.stages == 1 else two_stage_cycle
        res = cycle(self.refrigerant, T_e, T_c, isentropic_efficiency=self.isentropic_efficiency,
                    superheat=self.superheat, subcooling=self.subcooling)
        t_lo = getattr(res, "T_discharge_low", res.T_discharge)
        return res.COP_heating, res.T_discharge, t_lo, res.p_condensation

    def _quantities(self, T_e: float, T_c: float) -> np.ndarray:
        cop, t_hi, t_lo, p_c = self.direct(T_e, T_c)
        self.cycles += 1
        return np.array([cop * (T_c - T_e) / T_c, t_hi, t_lo, math.log(p_c)])

    def _node(self, i: int, j: int) -> np.ndarray | None:
        """Values and scaled derivatives (f, h f_x, h f_y, h² f_xy) of node (i, j), shape
        (4, _N_OUT); None where the cycle fails."""
        key = (i, j)
        if key in self._nodes:
            return self._nodes[key]
        h, d = self.h, _DELTA
        T_e, T_c = i * h, j * h
        try:
            f0 = self._quantities(T_e, T_c)
            fpp = self._quantities(T_e + d, T_c + d)
            fpm = self._quantities(T_e + d, T_c - d)
            fmp = self._quantities(T_e - d, T_c + d)
            fmm = self._quantities(T_e - d, T_c - d)
        except NarvikError:
            out = None
        else:
            fx = (fpp + fpm - fmp - fmm) / (4.0 * d)
            fy = (fpp - fpm + fmp - fmm) / (4.0 * d)
            fxy = (fpp - fpm - fmp + fmm) / (4.0 * d * d)
            out = np.array([f0, h * fx, h * fy, h * h * fxy])
            if not np.all(np.isfinite(out)):
                out = None
        self._nodes[key] = out
        return out

    def _cell(self, i: int, j: int) -> np.ndarray | None:
        """Power-basis coefficients of cell (i, j) (lower-left node), shape (_N_OUT, 4, 4);
        None outside the mapped domain."""
        key = (i, j)
        c = self._cells.get(key, False)
        if c is not False:
            return c
        with _FILL_LOCK:      # one filler at a time (the refrigerant's state is shared)
            c = self._cells.get(key, False)
            if c is not False:
                return c
            c = None
            # smallest lift of the cell: warm evaporator corner, cold condenser corner
            if (j - i - 1) * self.h >= MAP_MIN_LIFT - 1e-9:
                known = len(self._nodes)
                n = [self._node(i + a, j + b) for a in (0, 1) for b in (0, 1)]
                if len(self._nodes) > known and self._disk_key is not None:
                    from . import map_cache
                    map_cache.store(self._disk_key, self._nodes)
                if all(x is not None for x in n):
                    n00, n01, n10, n11 = n
                    # F[out] = [[f00, f01, fy00, fy01], [f10, f11, fy10, fy11],
                    #           [fx00, fx01, fxy00, fxy01], [fx10, fx11, fxy10, fxy11]]
                    F = np.empty((_N_OUT, 4, 4))
                    for r, (na, nb) in enumerate(((n00, n01), (n10, n11))):
                        F[:, r, 0], F[:, r, 1] = na[0], nb[0]
                        F[:, r, 2], F[:, r, 3] = na[2], nb[2]
                        F[:, r + 2, 0], F[:, r + 2, 1] = na[1], nb[1]
                        F[:, r + 2, 2], F[:, r + 2, 3] = na[3], nb[3]
                    c = _M @ F @ _M.T
            self._cells[key] = c
        return c

    # ------------------------------------------------------------------ lookup
    def unit(self, T_e: float, T_c: float) -> tuple[float, float, float] | None:
        """Interpolated (COP_heating, hottest discharge temperature [K], condensing
        pressure [Pa]) of one unit evaporating at ``T_e`` and condensing at ``T_c`` [K];
        None outside the mapped domain (run the direct cycle)."""
        h = self.h
        x, y = T_e / h, T_c / h
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        i, j = math.floor(x), math.floor(y)
        c = self._cell(i, j)
        if c is None:
            return None
        return kernels.map().unit(c, x - i, y - j, T_e, T_c)

    def series(self, T_e: float, T_sink_in: float, T_sink_out: float, n_units: int,
               condenser_approach: float, min_lift: float) -> tuple[float, float, float] | None:
        """(COP_heating, hottest discharge temperature [K], highest condensing pressure
        [Pa]) of ``n_units`` units in series on a sink from ``T_sink_in`` to
        ``T_sink_out``, evaporating at ``T_e`` [K], each condensing at its share of the
        sink plus ``condenser_approach`` and at least ``min_lift`` above ``T_e``: the
        :meth:`unit` of each composed as
        :func:`~narvik_thermal.correlations.heat_pump.heat_pump_series` composes them
        (``COP = N / Σ 1/COP_i``), to the bit, in one compiled call
        (:func:`._map_kernels.series`). None where a unit's :meth:`unit` is None, or its
        cell lies beyond the cells indexed here (:data:`_SLOTS` a side; then use
        :meth:`unit`)."""
        series = kernels.map().series
        while True:
            cells, slots = self._packed or self._pack(None)
            status, i, j, cop, t_dis, p_con = series(cells, slots, self.h, T_e, T_sink_in,
                                                     T_sink_out, n_units,
                                                     condenser_approach, min_lift)
            if status == 0:
                return cop, t_dis, p_con
            if status != 1:
                return None
            self._pack((i, j))

    def _pack(self, key: tuple[int, int] | None) -> tuple[np.ndarray, np.ndarray]:
        """The cells as :meth:`series` reads them, ``(cells, slots)``: cell ``(i, j)`` is
        ``cells[slots[i, j]]`` (-1: not packed yet, -2: outside the domain); with cell
        ``key`` built (:meth:`_cell`) and packed. A new pair replaces the old one whole
        (a lookup on another thread keeps reading the pair it took)."""
        with _FILL_LOCK:
            if self._packed is None:
                self._packed = (np.empty((0, _N_OUT, 4, 4)),
                                np.full((_SLOTS, _SLOTS), -1, dtype=np.int32))
            if key is not None:
                cells, slots = self._packed
                if slots[key] == -1:
                    c = self._cell(*key)
                    slots = slots.copy()
                    if c is None:
                        slots[key] = -2
                    else:
                        slots[key] = len(cells)
                        cells = np.concatenate([cells, c[None]])
                    self._packed = (cells, slots)
            return self._packed

    @property
    def n_nodes(self) -> int:
        """Nodes computed so far (including those where the cycle fails)."""
        return len(self._nodes)


_MAPS: dict[tuple, CyclePerformanceMap] = {}
_MAPS_LOCK = threading.Lock()


def performance_map(refrigerant: Any, stages: int, isentropic_efficiency: float,
                    superheat: float, subcooling: float) -> CyclePerformanceMap:
    """The performance map of a unit configuration (one per process and configuration;
    filled lazily as it is used).

    Parameters
    ----------
    refrigerant : str or Refrigerant
        Name or property object.
    stages, isentropic_efficiency, superheat, subcooling
        As :class:`CyclePerformanceMap`.

    Returns
    -------
    CyclePerformanceMap
    """
    # a name is kept as a name: the map makes the property object only when it computes
    # a node (the nodes cached on disk need no CoolProp); one map per CoolProp name
    if isinstance(refrigerant, str):
        from ..fluids.refrigerant import coolprop_name
        refrigerant = coolprop_name(refrigerant)
    ident = refrigerant if isinstance(refrigerant, str) else getattr(refrigerant, "name",
                                                                       str(refrigerant))
    key = (ident, int(stages), float(isentropic_efficiency), float(superheat),
           float(subcooling))
    m = _MAPS.get(key)
    if m is None:
        with _MAPS_LOCK:
            m = _MAPS.get(key)
            if m is None:
                m = _MAPS[key] = CyclePerformanceMap(refrigerant, stages, isentropic_efficiency,
                                                     superheat, subcooling)
    return m


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("CyclePerformanceMap",),
                      unchecked=("CyclePerformanceMap.unit", "CyclePerformanceMap.series"))
