"""The property tables of several fluids, evaluated together.

A network holds several circuits, each with its own fluid (PG25 in the racks,
water in the facility loop, seawater in the fjord loop, …). The solvers
evaluate a property at every node or edge at once; a :class:`TableSet` does it
in one compiled pass, each element reading the table of its own fluid, instead
of one pass per fluid with a gather and a scatter of the elements.

Values are those of each :class:`~narvik_thermal.fluids.Fluid`'s own methods
with ``check=False`` (the same tables and the same arithmetic, so the same
numbers): properties clamped to the table ends; enthalpy ↔ temperature
continued linearly beyond them with the end's specific heat, so that a
temperature below the freezing point (or above the table) is kept as given —
for the solver to flag — instead of being moved to the table end.

Examples
--------
>>> import numpy as np
>>> from narvik_thermal import fluids
>>> from narvik_thermal.fluids.table_set import TableSet
>>> ts = TableSet([fluids.water(), fluids.propylene_glycol(0.25)])
>>> T = np.array([300.0, 300.0])
>>> rho = ts.values(T, np.array([0, 1]), ("density",))[0]
>>> bool(rho[0] == fluids.water().density_pT(300.0, check=False))
True
>>> h = ts.enthalpy_T(T, np.array([0, 1]))
>>> np.allclose(ts.temperature_h(h, np.array([0, 1])), T, rtol=0, atol=1e-9)
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from . import _kernel_modules as kernels

__all__ = ["TableSet", "TABLE_KEYS", "table_set"]

#: The table quantities of every fluid, in the order of its table rows.
TABLE_KEYS = ("density", "cp", "viscosity", "conductivity", "enthalpy")

#: Fluid methods (``check=False``, reference pressure) that are one table quantity.
_METHOD_KEY = {"density_pT": "density", "cp_pT": "cp", "viscosity_pT": "viscosity",
               "conductivity_pT": "conductivity"}


class TableSet:
    """The tables of ``fluids`` stacked for the compiled kernels.

    Parameters
    ----------
    fluids : sequence of Fluid
        Fluid ``k`` is the one an element with fluid index ``k`` reads.
    """

    def __init__(self, fluids: Sequence) -> None:
        fluids = list(fluids)
        if not fluids:
            raise InputError("TableSet: fluids is empty; give at least one Fluid.")
        empty = np.empty(0)
        look = [f.kernel_arguments("lookup", empty, TABLE_KEYS) for f in fluids]
        inv = [f.kernel_arguments("inverse", empty) for f in fluids]
        K = len(fluids)
        n = np.array([a[3] for a in look], dtype=np.int64)
        rows = look[0][6]
        R = look[0][4].shape[0]
        if any(not np.array_equal(a[6], rows) or a[4].shape[0] != R for a in look):
            raise InputError("TableSet: the fluids' tables do not share their rows.")
        self._x0 = np.array([a[1] for a in look], dtype=float)
        self._inv_dx = np.array([a[2] for a in look], dtype=float)
        self._n = n
        self._tabs = np.zeros((K, R, int(n.max())))
        self._dtabs = np.zeros_like(self._tabs)
        for k, a in enumerate(look):
            self._tabs[k, :, :a[4].shape[1]] = a[4]
            self._dtabs[k, :, :a[5].shape[1]] = a[5]
        self._row = {key: int(r) for key, r in zip(TABLE_KEYS, rows)}
        self._rows: dict = {}
        # the enthalpy inverse: (x, h_lo, h_hi, inv_bucket, guide, htab, inv_dh, t0, dt,
        # t_max, n) of each fluid; its arrays padded to the longest
        self._h_lo = np.array([a[1] for a in inv], dtype=float)
        self._h_hi = np.array([a[2] for a in inv], dtype=float)
        self._inv_bucket = np.array([a[3] for a in inv], dtype=float)
        self._n_buckets = np.array([a[4].size for a in inv], dtype=np.int64)
        self._guide = np.zeros((K, int(self._n_buckets.max())), dtype=np.int64)
        self._htab = np.zeros((K, max(a[5].size for a in inv)))
        self._inv_dh = np.zeros((K, max(a[6].size for a in inv)))
        for k, a in enumerate(inv):
            self._guide[k, :a[4].size] = a[4]
            self._htab[k, :a[5].size] = a[5]
            self._inv_dh[k, :a[6].size] = a[6]
        # (the inverse's first temperature and grid size are the lookup's: _x0, _n)
        self._dt = np.array([a[8] for a in inv], dtype=float)
        self._t_max = np.array([a[9] for a in inv], dtype=float)
        # each table's ends: temperatures, enthalpies and specific heats there
        self._ends = np.empty((K, 6))
        for k, fl in enumerate(fluids):
            lo, hi = float(fl.t_min), float(fl.t_max)
            h = fl.enthalpy_T(np.array([lo, hi]), check=False)
            cp = fl.cp_pT(np.array([lo, hi]), check=False)
            self._ends[k] = (lo, hi, h[0], h[1], cp[0], cp[1])

    def _keys(self, keys: tuple) -> np.ndarray:
        r = self._rows.get(keys)
        if r is None:
            unknown = [k for k in keys if k not in self._row]
            if unknown:
                raise InputError(f"TableSet: unknown table quantity {unknown[0]!r}; the "
                                 f"quantities are {list(TABLE_KEYS)}.")
            r = self._rows[keys] = np.array([self._row[k] for k in keys], dtype=np.int64)
        return r

    def row(self, key: str) -> int:
        """The table row of the quantity ``key`` (of :data:`TABLE_KEYS`) in the tables
        of :meth:`lookup_arguments`."""
        return int(self._keys((key,))[0])

    def lookup_arguments(self) -> tuple:
        """``(x0, inv_dx, n, tabs, dtabs)``: the tables as the compiled look-ups take
        them (:func:`._table_kernels.multi_lookup`; row ``r`` of fluid ``k`` at the cell
        ``i, w`` of :func:`._table_kernels.table_cell` is ``tabs[k, r, i] + w dtabs[k, r,
        i]``), for kernels of other modules that look up properties among other work."""
        return self._x0, self._inv_dx, self._n, self._tabs, self._dtabs

    def inverse_arguments(self) -> tuple:
        """``(h_lo, h_hi, inv_bucket, n_buckets, guide, htab, inv_dh, t0, dt, t_max, n,
        ends)``: the enthalpy inverse as :func:`._table_kernels.multi_temperature` takes
        it after the enthalpies and fluids (as :meth:`temperature_h` passes it)."""
        return (self._h_lo, self._h_hi, self._inv_bucket, self._n_buckets, self._guide,
                self._htab, self._inv_dh, self._x0, self._dt, self._t_max, self._n,
                self._ends)

    def values(self, T: np.ndarray, f: np.ndarray, keys: tuple) -> np.ndarray:
        """Quantities ``keys`` (of :data:`TABLE_KEYS`) at the temperatures ``T`` [K], each
        element in the table of its fluid ``f``, one row per key; clamped to the
        tables (NaN in gives NaN out)."""
        K = kernels.table()
        return K.multi_lookup(_flat(T), f, self._x0, self._inv_dx, self._n, self._tabs,
                              self._dtabs, self._keys(keys))

    def clamped_values(self, T: np.ndarray, f: np.ndarray, t_lo: np.ndarray, t_hi: np.ndarray,
                       keys: tuple, s: np.ndarray, e: np.ndarray, f_pair: np.ndarray,
                       pair_keys: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The temperatures ``T`` [K] clamped to ``[t_lo[k], t_hi[k]]``, ``k`` each
        element's fluid ``f`` (NaN stays NaN), the quantities ``keys`` at them (as
        :meth:`values`), and the quantities ``pair_keys`` at the means
        ``0.5 (Tc[s] + Tc[e])`` of the pairs of elements ``s, e`` (int64), each pair in
        the table of its fluid ``f_pair``: one compiled pass
        (:func:`._table_kernels.clamped_lookup`). Returns ``(Tc, values, pair_values)``,
        one row per key."""
        K = kernels.table()
        return K.clamped_lookup(_flat(T), f, t_lo, t_hi, self._x0, self._inv_dx, self._n,
                                self._tabs, self._dtabs, self._keys(keys), s, e, f_pair,
                                self._keys(pair_keys))

    def enthalpy_T(self, T: np.ndarray, f: np.ndarray) -> np.ndarray:
        """Enthalpy [J/kg] at ``T`` [K] (fluid ``f`` of each element), continued
        linearly beyond the tables."""
        K = kernels.table()
        return K.multi_enthalpy(_flat(T), f, self._x0, self._inv_dx, self._n, self._tabs,
                                self._dtabs, self._row["enthalpy"], self._ends)

    def temperature_h(self, h: np.ndarray, f: np.ndarray) -> np.ndarray:
        """Temperature [K] at the enthalpies ``h`` [J/kg] (fluid ``f`` of each element),
        the inverse of :meth:`enthalpy_T`."""
        K = kernels.table()
        return K.multi_temperature(_flat(h), f, self._h_lo, self._h_hi, self._inv_bucket,
                                   self._n_buckets, self._guide, self._htab, self._inv_dh,
                                   self._x0, self._dt, self._t_max, self._n, self._ends)

    def evaluate(self, method: str, x: np.ndarray, f: np.ndarray) -> np.ndarray:
        """The fluid method ``method`` ("temperature_h", "enthalpy_T", "density_pT",
        "cp_pT", "viscosity_pT", "conductivity_pT") of each element's fluid at ``x``."""
        if method == "temperature_h":
            return self.temperature_h(x, f)
        if method == "enthalpy_T":
            return self.enthalpy_T(x, f)
        key = _METHOD_KEY.get(method)
        if key is None:
            raise InputError(f"TableSet: method={method!r} is not a table method; use one "
                             f"of {['temperature_h', 'enthalpy_T', *_METHOD_KEY]}.")
        return self.values(x, f, (key,))[0]


@functools.lru_cache(maxsize=64)
def table_set(fluids: tuple) -> TableSet:
    """The :class:`TableSet` of ``fluids`` (a tuple of Fluids), made once per tuple (the
    fluids are immutable and hashable; every solve of a network needs its set)."""
    return TableSet(fluids)


def _flat(x) -> np.ndarray:
    """``x`` as a contiguous 1-D array of float (``x`` itself where it is one: the
    test costs a third of the conversion, some 70 times an operating point)."""
    if type(x) is np.ndarray and x.dtype is _FLOAT and x.ndim == 1 and x.flags.c_contiguous:
        return x
    return np.ascontiguousarray(x, dtype=float).reshape(-1)


_FLOAT = np.dtype(float)
