"""Tests of narvik_thermal.correlations.buried_pipe.

Validation status, stated plainly: no published worked example with numbers
for the two-pipe (Wallentén / EN 13941) formula could be found with the
tools available (Bøhm 2000, Wallentén 1991 and EN 13941 were not accessible
in full text). The pair model is therefore validated by (a) an independent
hand calculation of the published formulas, written out below with
intermediate values, and (b) physical invariants: large spacing gives two
independent single pipes, equal temperatures give the symmetric problem, and
the symmetric/antisymmetric split reproduces the superposition equations.
The single-pipe soil resistance is checked against the shape factor of
Incropera Table 4.1 (case 2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from narvik_thermal.correlations import buried_pipe as bp
from narvik_thermal.errors import InputError

# DN100 series-1 pre-insulated pipe: steel OD 114.3 mm, casing OD 225 mm,
# PUR k = 0.027 W/mK; axis 1.0 m deep; 150 mm clear between casings
# (spacing 0.375 m); soil k = 1.5 W/mK; 80/45 °C, ground 8 °C.
GEOM = dict(D_outer_casing=0.225, D_steel=0.1143, k_insulation=0.027, depth=1.0,
            k_soil=1.5)
TS, TR, TG = 353.15, 318.15, 281.15


def test_cylinder_resistance_hand_calc():
    # ln(0.225/0.1143) / (2 pi 0.027) = 0.677270 / 0.169646 = 3.99228 m K/W
    assert bp.thermal_resistance_cylinder(0.1143, 0.225, 0.027) == pytest.approx(3.99228, abs=1e-5)
    r = bp.thermal_resistance_cylinder(np.array([0.05, 0.1]), np.array([[0.2], [0.3]]), 0.03)
    assert r.shape == (2, 2)
    assert bp.thermal_resistance_cylinder(0.1, 0.1, 0.03) == 0.0


def test_soil_resistance_shape_factor():
    # Incropera Table 4.1 case 2: S = 2 pi L / cosh^-1(2z/D), R' = 1/(S' k).
    H, D, k = np.array([0.6, 1.0, 3.0]), np.array([[0.2], [0.5]]), 1.2
    S = 2 * np.pi / np.arccosh(2 * H / D)
    np.testing.assert_allclose(bp.thermal_resistance_soil(H, D, k), 1 / (S * k), rtol=1e-14)
    # hand value: acosh(2/0.225) = 2.874761 -> / (2 pi 1.5) = 0.305023
    assert bp.thermal_resistance_soil(1.0, 0.225, 1.5) == pytest.approx(0.305023, abs=1e-6)
    # ln(4H/D) approximation: numerator error ~ (D/4H)^2
    ex = bp.thermal_resistance_soil(H, D, k)
    ls = bp.thermal_resistance_soil(H, D, k, method="line_source")
    assert np.all(np.abs(ls - ex) * 2 * np.pi * k <= 1.1 * (D / (4 * H)) ** 2)


def test_surface_resistance_is_corrected_depth():
    R0 = bp.SURFACE_RESISTANCE_EN13941
    a = bp.thermal_resistance_soil(1.0, 0.225, 1.5, surface_resistance=R0)
    b = bp.thermal_resistance_soil(1.0 + R0 * 1.5, 0.225, 1.5)
    assert a == pytest.approx(b, rel=1e-15)


def test_single_pipe_hand_calc():
    # q = 72 K / (3.99228 + 0.30536) = 16.7534 W/m (line source soil)
    q = bp.buried_pipe_single_heat_loss(TS, TG, **GEOM)
    assert q == pytest.approx(72.0 / (3.992277 + 0.305360), rel=1e-6)
    assert q == pytest.approx(16.7534, abs=1e-4)


def test_pair_hand_calc():
    # Independent implementation of the published formulas (math module):
    Ri = math.log(0.225 / 0.1143) / (2 * math.pi * 0.027)          # 3.992277
    Rs = math.log(4 * 1.0 / 0.225) / (2 * math.pi * 1.5)           # 0.305360
    Rh = math.log(1 + (2 * 1.0 / 0.375) ** 2) / (4 * math.pi * 1.5)  # 0.179448
    R = Ri + Rs
    th1, th2 = 72.0, 37.0
    q1 = (th1 * R - th2 * Rh) / (R * R - Rh * Rh)                  # 16.4225 W/m
    q2 = (th2 * R - th1 * Rh) / (R * R - Rh * Rh)                  # 7.9237 W/m
    assert Rh == pytest.approx(0.179448, abs=1e-6)
    r = bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=0.375, **GEOM)
    assert r.heat_loss_supply == pytest.approx(q1, rel=1e-13)
    assert r.heat_loss_return == pytest.approx(q2, rel=1e-13)
    assert r.heat_loss_supply == pytest.approx(16.4225, abs=1e-4)
    assert r.heat_loss_return == pytest.approx(7.9237, abs=1e-4)
    assert r.U_self == pytest.approx(R / (R * R - Rh * Rh), rel=1e-13)
    assert r.U_mutual == pytest.approx(Rh / (R * R - Rh * Rh), rel=1e-13)
    assert r.R_symmetric == pytest.approx(R + Rh, rel=1e-13)
    assert r.R_antisymmetric == pytest.approx(R - Rh, rel=1e-13)
    U1, U2 = bp.buried_pipe_pair_U(spacing=0.375, **GEOM)
    assert (U1, U2) == (r.U_self, r.U_mutual)


def test_pair_large_spacing_is_two_single_pipes():
    # Invariant: R_h = ln(1 + (2H/C)^2)/(4 pi k) -> (2H/C)^2/(4 pi k) -> 0.
    r = bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=1e5, **GEOM)
    for q, T in ((r.heat_loss_supply, TS), (r.heat_loss_return, TR)):
        assert q == pytest.approx(bp.buried_pipe_single_heat_loss(T, TG, **GEOM), rel=1e-9)
    assert r.U_mutual == pytest.approx(0.0, abs=1e-9)


def test_pair_invariants():
    C = np.array([0.25, 0.375, 0.6, 1.0])
    r = bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=C, **GEOM)
    th1, th2 = TS - TG, TR - TG
    # superposition equations hold
    R = r.R_symmetric - (r.R_symmetric - r.R_antisymmetric) / 2
    Rh = (r.R_symmetric - r.R_antisymmetric) / 2
    np.testing.assert_allclose(R * r.heat_loss_supply + Rh * r.heat_loss_return, th1, rtol=1e-13)
    np.testing.assert_allclose(R * r.heat_loss_return + Rh * r.heat_loss_supply, th2, rtol=1e-13)
    # interaction lowers both losses when both pipes are warmer than the ground,
    # and the effect fades with spacing
    single = bp.buried_pipe_single_heat_loss(TS, TG, **GEOM)
    assert np.all(r.heat_loss_supply < single)
    assert np.all(np.diff(r.heat_loss_supply) > 0)
    # equal temperatures: the symmetric problem only
    s = bp.buried_pipe_pair_heat_loss(TS, TS, TG, spacing=C, **GEOM)
    np.testing.assert_allclose(s.heat_loss_supply, th1 / s.R_symmetric, rtol=1e-14)
    np.testing.assert_allclose(s.heat_loss_supply, s.heat_loss_return, rtol=1e-14)
    # the cold return can gain heat from the supply pipe
    g = bp.buried_pipe_pair_heat_loss(TS, TG + 0.5, TG, spacing=0.25, **GEOM)
    assert g.heat_loss_return < 0


def test_pair_shapes_and_soil_model():
    r = bp.buried_pipe_pair_heat_loss(np.array([353.15, 343.15]), 318.15, TG,
                                      spacing=np.array([[0.3], [0.5], [0.8]]), **GEOM)
    assert r.heat_loss_supply.shape == (3, 2)
    assert r.U_self.shape == (3, 1)
    s = bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=0.375, **GEOM)
    assert isinstance(s.heat_loss_supply, float)
    e = bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=0.375, soil_model="exact", **GEOM)
    # H/D = 4.4: exact and line-source soil resistances differ by ~1e-4 relative of R
    assert e.heat_loss_supply == pytest.approx(s.heat_loss_supply, rel=2e-4)


def test_errors():
    with pytest.raises(InputError, match="D_steel must be < D_outer_casing"):
        bp.buried_pipe_pair_heat_loss(TS, TR, TG, 0.1, 0.2, 0.027, 1.0, 0.5, 1.5)
    with pytest.raises(InputError, match="spacing .* must be >= D_outer_casing"):
        bp.buried_pipe_pair_heat_loss(TS, TR, TG, spacing=0.2, **GEOM)
    with pytest.raises(InputError, match="fully buried"):
        bp.thermal_resistance_soil(0.1, 0.225, 1.5)
    with pytest.raises(InputError, match="'k_soil' must be > 0"):
        bp.buried_pipe_single_heat_loss(TS, TG, 0.225, 0.1143, 0.027, 1.0, 0.0)
    with pytest.raises(InputError, match="'T_return' contains non-finite"):
        bp.buried_pipe_pair_heat_loss(TS, np.nan, TG, spacing=0.4, **GEOM)
    with pytest.raises(InputError, match="unknown soil_model 'multipole'"):
        bp.buried_pipe_pair_U(spacing=0.4, soil_model="multipole", **GEOM)
    with pytest.raises(InputError, match="D_outer must be >= D_inner"):
        bp.thermal_resistance_cylinder(0.2, 0.1, 0.03)
    with pytest.raises(InputError, match="'surface_resistance' must be >= 0"):
        bp.thermal_resistance_soil(1.0, 0.2, 1.5, surface_resistance=-0.1)
