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
