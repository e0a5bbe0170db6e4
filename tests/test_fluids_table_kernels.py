"""Fluid-table kernels (narvik_thermal.fluids._table_kernels): clamping, inversion,
and the interpolation the fluids use."""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal.fluids import _table_kernels as K


@pytest.mark.parametrize("kind", ["water", "pg25"])
def test_table_kernels_clamp_and_invert(kind):
    from narvik_thermal import fluids
    fl = fluids.water() if kind == "water" else fluids.propylene_glycol(0.25)
    T = np.array([fl.t_min - 5.0, fl.t_min, 300.0, fl.t_max, fl.t_max + 5.0, np.nan])
    h = fl.enthalpy_T(T, check=False)
    # clamped to the table ends; NaN in, NaN out
    assert h[0] == h[1] and h[3] == pytest.approx(h[4], rel=1e-14) and np.isnan(h[5])
    back = fl.temperature_h(h[:5], check=False)
    np.testing.assert_allclose(back, np.clip(T[:5], fl.t_min, fl.t_max), rtol=0, atol=1e-9)
    rho = fl.density_pT(np.array([300.0, 310.0]), check=False)
    t0, inv_dt, n = fl.table_grid
    i, w = K.table_cells(np.array([300.0, 310.0]), t0, inv_dt, n)
    ref = fl.table("density")[i] + w * fl.table("density", slope=True)[i]
    np.testing.assert_array_equal(rho, ref)


# ------------------------------------------------------------- several fluids at once
def _fluids():
    from narvik_thermal import fluids
    return [fluids.water(), fluids.propylene_glycol(0.25), fluids.seawater()]


def _random_elements(n, seed, t_low, t_high):
    """The three fluids, their TableSet, and ``n`` elements' fluids and temperatures."""
    from narvik_thermal.fluids.table_set import TableSet
    fl = _fluids()
    rng = np.random.default_rng(seed)
    f = rng.integers(0, len(fl), n)
    return fl, TableSet(fl), rng, f, rng.uniform(t_low, t_high, n)


@pytest.mark.parametrize("n", [7, 5000])          # the serial and the parallel kernel
def test_table_set_equals_each_fluids_own_methods(n):
    # every element in its own fluid's table: the same numbers as the fluid's methods
    # (check=False), bit for bit, inside and beyond the tables
    from narvik_thermal.fluids.table_set import TABLE_KEYS
    fl, ts, rng, f, T = _random_elements(n, 3, 265.0, 480.0)   # below and above every table
    vals = ts.values(T, f, TABLE_KEYS)
    h = ts.enthalpy_T(T, f)
    back = ts.temperature_h(h, f)
    for k, fluid in enumerate(fl):
        s = f == k
        ref = fluid.table_values(T[s], TABLE_KEYS)
        np.testing.assert_array_equal(vals[:, s], ref)
        for m, key in (("density_pT", 0), ("cp_pT", 1), ("viscosity_pT", 2)):
            np.testing.assert_array_equal(ts.evaluate(m, T[s], f[s]),
                                          getattr(fluid, m)(T[s], check=False))
        inside = s & (T >= fluid.t_min) & (T <= fluid.t_max)
        np.testing.assert_array_equal(h[inside], fluid.enthalpy_T(T[inside], check=False))
        np.testing.assert_array_equal(
            ts.temperature_h(h[inside], f[inside]),
            fluid.temperature_h(h[inside], check=False))
    # beyond a table, enthalpy continues linearly with the end's specific heat and the
    # inverse gives the temperature back (a -5 °C sea is kept, for the solver to flag)
    np.testing.assert_allclose(back, T, rtol=0, atol=1e-8)
    sea = fl[2]
    t = np.array([sea.t_min - 3.0])
    h_lo = sea.enthalpy_T(np.array([sea.t_min]), check=False)
    cp_lo = sea.cp_pT(np.array([sea.t_min]), check=False)
    assert ts.enthalpy_T(t, np.array([2]))[0] == pytest.approx(h_lo[0] - 3.0 * cp_lo[0],
                                                               rel=1e-14)


def test_table_set_nan_and_bad_arguments():
    from narvik_thermal.errors import InputError
    from narvik_thermal.fluids.table_set import TableSet, table_set
    fl = _fluids()
    ts = TableSet(fl)
    f = np.array([0, 1])
    T = np.array([np.nan, 300.0])
    assert np.isnan(ts.values(T, f, ("density",))[0, 0])
    assert np.isnan(ts.enthalpy_T(T, f)[0]) and np.isnan(ts.temperature_h(T, f)[0])
    with pytest.raises(InputError, match="unknown table quantity 'densty'.*density"):
        ts.values(T, f, ("densty",))
    with pytest.raises(InputError, match="method='boiling_temperature_p'"):
        ts.evaluate("boiling_temperature_p", T, f)
    with pytest.raises(InputError, match="fluids is empty"):
        TableSet([])
    # made once per tuple of fluids
    assert table_set(tuple(fl)) is table_set(tuple(fl))


def test_table_set_takes_any_float_input_as_a_flat_float_array():
    # a contiguous 1-D float array is passed as it is; a list, a strided view, a 2-D
    # array, float32 or int values are converted first: the same numbers either way
    from narvik_thermal.fluids.table_set import TableSet
    fl = _fluids()
    ts = TableSet(fl)
    rng = np.random.default_rng(4)
    T = np.round(rng.uniform(270.0, 400.0, 12))
    f = rng.integers(0, len(fl), 12)
    want_v = ts.values(T, f, ("density", "cp"))
    want_h = ts.enthalpy_T(T, f)
    want_t = ts.temperature_h(want_h, f)
    wide = np.empty(24)
    wide[::2] = T
    for x in (T.tolist(), wide[::2], T.reshape(3, 4), T.astype(np.float32),
              T.astype(np.int64), T.astype(">f8")):
        assert ts.values(x, f, ("density", "cp")).tobytes() == want_v.tobytes()
        assert ts.enthalpy_T(x, f).tobytes() == want_h.tobytes()
    hw = np.empty(24)
    hw[::2] = want_h
    assert ts.temperature_h(hw[::2], f).tobytes() == want_t.tobytes()


@pytest.mark.parametrize("n", [9, 5000])          # the serial and the parallel kernel
def test_clamped_values_are_the_clamp_then_the_lookups(n):
    # the clamped temperatures, their quantities and those at the means of pairs, in
    # one pass: the numbers of np.minimum(np.maximum(...)) and TableSet.values to the bit
    # (NaN and beyond the tables included)
    fl, ts, rng, f, T = _random_elements(n, 5, 250.0, 500.0)
    T[rng.random(n) < 0.05] = np.nan
    lo = np.array([x.t_min for x in fl])
    hi = np.array([x.t_max for x in fl])
    m = 2 * n
    s, e = rng.integers(0, n, m), rng.integers(0, n, m)
    fp = f[s]
    Tc, vals, pair = ts.clamped_values(T, f, lo, hi, ("enthalpy", "cp"), s, e, fp,
                                       ("density", "viscosity"))
    ref_c = np.minimum(np.maximum(T, lo[f]), hi[f])
    np.testing.assert_array_equal(Tc, ref_c)
    np.testing.assert_array_equal(vals, ts.values(ref_c, f, ("enthalpy", "cp")))
    np.testing.assert_array_equal(pair, ts.values(0.5 * (ref_c[s] + ref_c[e]), fp,
                                                  ("density", "viscosity")))
    none = np.zeros(0, np.int64)
    Tc2, vals2, pair2 = ts.clamped_values(T, f, lo, hi, ("cp",), none, none, none, ())
    np.testing.assert_array_equal(Tc2, ref_c)
    np.testing.assert_array_equal(vals2, vals[1:])
    assert pair2.shape == (0, 0)


def test_fluid_map_clamps_at_each_nodes_fluid():
    # a network of three fluids: the nodes' clamped temperatures and properties, and the
    # edges' at the mean of their ends, as written out with the map's own look-ups
    import narvik_thermal as nt
    from narvik_thermal import Q_
    from narvik_thermal.solvers.fluid_map import FluidMap
    net = nt.Network("three", fluid=nt.fluids.water())
    net.add_pipe("p", "a", "b", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    net.add_pipe("q", "c", "d", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    net.add_pipe("r", "x", "y", length=Q_(1, "m"), diameter=Q_(20, "mm"))
    for a, b, fluid in (("a", "b", nt.fluids.water()), ("c", "d", nt.fluids.seawater()),
                        ("x", "y", nt.fluids.propylene_glycol(0.25))):
        net.add_pressure_boundary(a, pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
        net.add_pressure_boundary(b, pressure=Q_(1, "bar"), temperature=Q_(20, "degC"))
        net.set_fluid(a, fluid)
    cn = net.compile()
    fm = FluidMap(cn)
    assert len(fm.fluids) == 3
    T = np.array([200.0, 300.0, 600.0, 250.0, np.nan, 330.0])[:cn.n_nodes]
    Tc, (h, cp), (rho, mu) = fm.clamped(T, ("enthalpy", "cp"), ("density", "viscosity"))
    lo, hi = fm.t_min[fm.node_f], fm.t_max[fm.node_f]
    ref = np.minimum(np.maximum(T, lo), hi)
    np.testing.assert_array_equal(Tc, ref)
    np.testing.assert_array_equal(np.stack([h, cp]), fm.lookup("node", ("enthalpy", "cp"), ref))
    np.testing.assert_array_equal(
        np.stack([rho, mu]),
        fm.lookup("edge", ("density", "viscosity"), 0.5 * (ref[cn.start] + ref[cn.end])))
