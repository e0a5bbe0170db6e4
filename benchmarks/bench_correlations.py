"""Benchmarks of the correlation kernels on 10^5-element arrays.

Run: ``.venv/bin/python -m pytest benchmarks/bench_correlations.py --benchmark-only``.
Both the checked public functions and the unchecked solver fast paths are
timed, so the cost of argument validation is visible.
"""

from __future__ import annotations

import numpy as np
import pytest

from narvik_thermal.correlations import convection, friction, hx

N = 100_000


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(42)
    Re = 10 ** rng.uniform(2.0, 7.0, N)
    Re_turb = 10 ** rng.uniform(np.log10(4000.0), 7.0, N)
    eD = 10 ** rng.uniform(-6.0, -2.0, N)
    NTU = rng.uniform(0.0, 10.0, N)
    Cr = rng.uniform(0.0, 1.0, N)
    Pr = rng.uniform(0.7, 100.0, N)
    return dict(Re=Re, Re_turb=Re_turb, eD=eD, NTU=NTU, Cr=Cr, Pr=Pr,
                Re_gn=10 ** rng.uniform(np.log10(2400.0), 6.0, N))


@pytest.mark.benchmark(group="friction")
def test_friction_churchill(benchmark, data):
    benchmark(friction.friction_churchill, data["Re"], data["eD"])


@pytest.mark.benchmark(group="friction")
def test_friction_churchill_fast_path(benchmark, data):
    benchmark(friction._friction_churchill, data["Re"], data["eD"])


@pytest.mark.benchmark(group="friction")
def test_friction_churchill_with_dRe_fast_path(benchmark, data):
    benchmark(friction._friction_churchill_with_dRe, data["Re"], data["eD"])


@pytest.mark.benchmark(group="friction")
def test_friction_colebrook(benchmark, data):
    benchmark(friction.friction_colebrook, data["Re_turb"], data["eD"])


@pytest.mark.benchmark(group="hx")
@pytest.mark.parametrize("arrangement", ["counterflow", "crossflow_unmixed", "shell_and_tube_1_2"])
def test_effectiveness_from_NTU(benchmark, data, arrangement):
    benchmark(hx.effectiveness_from_NTU, data["NTU"], data["Cr"], arrangement)


@pytest.mark.benchmark(group="hx")
@pytest.mark.parametrize("arrangement", ["counterflow", "crossflow_unmixed", "shell_and_tube_1_2"])
def test_NTU_from_effectiveness(benchmark, data, arrangement):
    eps = 0.99 * hx.effectiveness_from_NTU(data["NTU"], data["Cr"], arrangement)
    benchmark(hx.NTU_from_effectiveness, eps, data["Cr"], arrangement)


@pytest.mark.benchmark(group="convection")
def test_nusselt_gnielinski(benchmark, data):
    benchmark(convection.nusselt_gnielinski, data["Re_gn"], data["Pr"])
