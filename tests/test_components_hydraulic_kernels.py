"""Pressure-drop kernels of the edge laws (narvik_thermal.components._hydraulic_kernels)
against the textbook formulas."""

from __future__ import annotations

import numpy as np

from narvik_thermal.components import _hydraulic_kernels as K


def test_darcy_kernel_matches_the_textbook_formula():
    # Darcy–Weisbach with Churchill friction written out with NumPy powers
    rng = np.random.default_rng(2)
    n = 400
    m = rng.uniform(-3.0, 3.0, n)
    D = rng.uniform(0.01, 0.3, n)
    mu, rho, L, K_minor, eps = 1e-3, 998.0, rng.uniform(1, 50, n), rng.uniform(0, 3, n), 4.5e-5
    A = np.pi * D ** 2 / 4
    r = np.zeros(n); d = np.zeros(n)
    K.darcy_losses(m, np.arange(n), np.ones(n), 4 / (np.pi * D * mu), eps / D,
                   (L / D) * (np.pi * D * mu / 4) / (2 * rho * A * A), K_minor / (2 * rho * A * A),
                   np.zeros(n, np.int64), r, d)
    Re = np.maximum(np.abs(m) * D / (A * mu), 1e-6)
    a = (2.457 * np.log(1 / ((7 / Re) ** 0.9 + 0.27 * eps / D))) ** 16
    b = (37530 / Re) ** 16
    f = 8 * ((8 / Re) ** 12 + (a + b) ** -1.5) ** (1 / 12)
    v = m / (rho * A)
    ref = (f * L / D + K_minor) * rho * v * np.abs(v) / 2
    np.testing.assert_allclose(r, ref, rtol=1e-12)
    # derivative against central differences
    h = 1e-6 * np.maximum(np.abs(m), 1e-3)
    rp = np.zeros(n); rm = np.zeros(n); tmp = np.zeros(n)
    args = (np.arange(n), np.ones(n), 4 / (np.pi * D * mu), eps / D,
            (L / D) * (np.pi * D * mu / 4) / (2 * rho * A * A), K_minor / (2 * rho * A * A),
            np.zeros(n, np.int64))
    K.darcy_losses(m + h, *args, rp, tmp)
    K.darcy_losses(m - h, *args, rm, tmp)
    np.testing.assert_allclose(d, (rp - rm) / (2 * h), rtol=1e-6)
