"""The conjugate-gradient iterations of the nodal solver (narvik_thermal.solvers.nodal)
in one compiled call, for factorisations of the compiled LDLᵀ, against the same
iterations step by step in Python (which factorisations of other kinds run): the same
answers to the last bit, the same iterations, and the same decisions to give up."""

from __future__ import annotations

import math

import numpy as np
import pytest

from narvik_thermal.network.synthetic import rack_loop_network
from narvik_thermal.solvers import nodal as N


class _StepwiseFactorisation(N.Factorisation):
    """The same factors; the solver iterates with them in Python (only the compiled
    LDLᵀ's own factorisations take the compiled loop)."""

    __slots__ = ()


def _twin(F):
    twin = object.__new__(_StepwiseFactorisation)
    for k in N.Factorisation.__slots__:
        setattr(twin, k, getattr(F, k))
    return twin


def _solve_with(cn, F, w, b, x0, polish):
    cn.cache["nodal_factor"] = F
    s = N.NodalSolver(cn, "ldl")
    x = s.solve(w, b, x0=x0)
    y = s.resolve(polish, atol=1e-12 * float(np.max(np.abs(polish))))
    return x, y, (s.factorisations, s.pcg_solves, s.pcg_iterations, s.direct)


@pytest.mark.parametrize("work", [1.0, 60.0], ids=["own-work", "work-60-solves"])
@pytest.mark.parametrize("spread", [1e-3, 0.05, 0.3, 1.0, 3.0])
@pytest.mark.parametrize("warm", [True, False], ids=["x0", "no-x0"])
def test_compiled_iterations_give_the_stepwise_bits(spread, warm, work):
    # work: a factorisation priced at 60 solves makes the iterations worth trying
    # beyond their bound (on this small rack they are not, at its own price)
    cn = rack_loop_network(12, 8).compile()
    rng = np.random.default_rng(3)
    w = rng.uniform(0.5, 2.0, cn.free_edges.size)
    b = rng.random(cn.unknown_nodes.size)
    s = N.NodalSolver(cn, "ldl")
    x_ref = s.solve(w, b)
    F = cn.cache["nodal_factor"]
    assert type(F) is N.Factorisation and F.kind == "ldl"
    if work > 1.0:
        F.work = work * F.solve_work
    w2 = w * np.exp(rng.uniform(-spread, spread, w.size))
    x0 = x_ref * (1 + 1e-3 * rng.standard_normal(x_ref.size)) if warm else None
    polish = 1e-6 * rng.standard_normal(b.size)
    compiled = _solve_with(cn, F, w2, b, x0, polish)
    stepwise = _solve_with(cn, _twin(F), w2, b, x0, polish)
    assert np.array_equal(compiled[0], stepwise[0])
    assert np.array_equal(compiled[1], stepwise[1])
    assert compiled[2] == stepwise[2]


def test_the_cases_iterate_and_give_up():
    # the cases above converge by iterations, give up after some, and factorise
    cn = rack_loop_network(12, 8).compile()
    rng = np.random.default_rng(3)
    w = rng.uniform(0.5, 2.0, cn.free_edges.size)
    b = rng.random(cn.unknown_nodes.size)
    N.NodalSolver(cn, "ldl").solve(w, b)
    F = cn.cache["nodal_factor"]
    F.work = 60 * F.solve_work
    near = _solve_with(cn, F, w * np.exp(rng.uniform(-0.3, 0.3, w.size)), b, None, b)[2]
    far = _solve_with(cn, F, w * np.exp(rng.uniform(-3, 3, w.size)), b, None, b)[2]
    assert near[0] == 0 and near[1] == 2 and near[2] > 10
    assert far[0] == 1 and far[2] > 0          # iterations tried, then a factorisation


def _plan_in_python(lo, hi, rmax, atol, rtol, budget, trial_budget, seen, seen_kappa, seen_rate):
    """The choice as NodalSolver._pcg made it in Python before it was compiled
    (pcg_plan): ("done" | "decline" | limit, atol), or the exception Python raised."""
    kappa = hi / lo
    atol = max(atol, rtol * rmax)
    if rmax <= atol:
        return "done", atol
    reduction = atol / rmax
    if kappa > 1.0 + 1e-14:
        s = math.sqrt(kappa)
        rate = math.log1p(2.0 / (s - 1.0))
        bound = math.log(2.0 / reduction) / rate if rate > 0.0 else math.inf
    else:
        bound = 0.0
    trial = bound > budget
    if trial and seen == 2:
        rate = seen_rate
        if not rate < 1.0 or math.log(reduction) / math.log(rate) > budget:
            return "decline", atol
    elif trial and budget < trial_budget:
        return "decline", atol
    elif trial and seen == 1 and kappa >= 0.5 * seen_kappa:
        rate = seen_rate
        if not rate < 1.0 or math.log(reduction) / math.log(rate) > budget:
            return "decline", atol
    return (int(budget) if trial else int(bound) + 3), atol


def test_the_compiled_choice_is_pythons():
    # pcg_plan against the Python it replaced: the same choice and tolerance on random
    # spectra, residuals, budgets and rates seen (near every threshold), and the same
    # exception where Python raised one
    from narvik_thermal.solvers import _hydraulic_kernels as KH
    rng = np.random.default_rng(17)
    names = {KH.PCG_DONE: "done", KH.PCG_DECLINE: "decline"}
    raised = {KH.PCG_DOMAIN: ValueError, KH.PCG_ZERO_DIVISION: ZeroDivisionError}
    cases = []
    for _ in range(20000):
        lo = rng.uniform(0.05, 1.0)
        hi = lo * (1.0 + 10.0 ** rng.uniform(-16, 3)) if rng.random() < 0.9 else lo
        rmax = 10.0 ** rng.uniform(-14, 2)
        atol = 10.0 ** rng.uniform(-14, 0) * (rng.random() < 0.95)
        rtol = rng.choice([0.0, 1e-12, 1e-3, 0.5])
        budget = rng.uniform(0.5, 40.0)
        seen = int(rng.integers(0, 3))
        cases.append((lo, hi, rmax, atol, rtol, budget, 10.0, seen, rng.uniform(1.0, 1e4),
                      rng.choice([rng.uniform(0.0, 1.2), 0.0, 1.0, np.nan])))
    cases += [(1.0, 2.0, np.nan, 1e-9, 0.0, 3.0, 10.0, 0, 0.0, 1.0),     # int(NaN)
              (0.0, 2.0, 1.0, 1e-9, 0.0, 3.0, 10.0, 0, 0.0, 1.0),        # κ = 2/0
              (1.0, 2.0, 1.0, 0.0, 0.0, 3.0, 10.0, 0, 0.0, 1.0),         # reduction 0
              (1.0, 1e6, 1.0, 0.0, 0.0, 30.0, 10.0, 2, 0.0, 0.5)]        # log(0), seen
    for case in cases:
        try:
            want = _plan_in_python(*case)
        except (ValueError, ZeroDivisionError) as exc:
            want = type(exc)
        action, kappa, atol, reduction, bound, trial, limit = KH.pcg_plan(*case)
        if action in raised:
            assert want is raised[action], case
            continue
        got = (names[action] if action in names else limit), atol
        assert got == want, case
