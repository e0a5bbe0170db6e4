r"""Audit of the public claims about the Narvik site, answered with the library's own models.

``nt.audit.claims()`` judges each claim made in press coverage of the Narvik
campus with the models of this library — a rack network solved for its chip
temperatures, the campus sized at the site and operated through a weather year
(:func:`narvik_thermal.simulation.annual`), the EU reporting KPIs
(:func:`narvik_thermal.kpi.eu_kpis`), the demand models — and returns for each:
the model's answer with units, every assumption (each an argument of the
claim's function, with its source), the answer at both ends of the range of
the most uncertain assumption, and a verdict.

======================================  ==================================================
claim id                                claim
======================================  ==================================================
``heat-85C``                            heat captured at 85 °C while the boards stay below
                                        55 °C
``gpus-20MW``                           15,000 GB300 GPUs in the 20 MW first phase
``winter-heat-30pct``                   the recovered heat covers 30 % of Narvik's
                                        residential winter heating
``co2-20kt``                            20,000 t of CO2 avoided per year
``cooling-30pct-mediterranean``         30 % less cooling energy than a Mediterranean
                                        data centre
``salmon-1000t``                        heat for a land-based farm producing 1,000 t of
                                        salmon a year
``renewable-100pct``                    the site runs entirely on renewable power (REF, with
                                        the accounting the EU scheme uses)
======================================  ==================================================

Where the claims come from: press coverage of the project. None of the figures
85 °C, 30 %, 20,000 t CO2 or 1,000 t salmon was found in any public source the
project searched (narvik-facts §0); the 15,000-GPU, Mediterranean and
100 %-renewable statements are likewise unsourced here. The claims are judged
as worded above.

Verdict rule
------------
Each claim is evaluated at its central assumptions and at both ends of the
range of its most uncertain assumption (named in ``sensitivity``):

- ``holds`` — the claim holds at the central assumptions and at both ends;
- ``does not hold`` — it holds at none of them;
- ``conditional`` — it holds at some: it holds only under the assumptions
  stated in ``reason``.

Cost
----
The annual claims share one run of the phase-1 campus with heat export to the
town and, for the Mediterranean comparison, three runs without export (Narvik
fjord, Marseille cooling tower, Marseille dry cooler). ``step`` runs every
``step``-th hour of the synthetic year (energies weighted by the step); the
default 25 is coprime with 24, so every hour of the day is sampled equally
often. ``step=1`` runs every hour (492 s measured on two cores; the verdicts were the
same as at step 25 and the figures within 0.5 %).
"""

from __future__ import annotations

from typing import Sequence

from ..errors import InputError, user_api
from .energy import (co2_20kt, cooling_30pct_mediterranean, renewable_100pct, salmon_1000t,
                     winter_heat_30pct)
from .hardware import gpus_20mw, heat_85c
from .report import CLAIMS, VERDICTS, Audit, ClaimResult
from .scenario import Scenario, scenario_or_default

__all__ = ["CLAIMS", "VERDICTS", "ClaimResult", "Audit", "claims", "Scenario",
           "heat_85c", "gpus_20mw", "winter_heat_30pct", "co2_20kt",
           "cooling_30pct_mediterranean", "salmon_1000t", "renewable_100pct"]


# ---------------------------------------------------------------------- claims
_FUNCTIONS = {
    "heat-85C": heat_85c, "gpus-20MW": gpus_20mw, "winter-heat-30pct": winter_heat_30pct,
    "co2-20kt": co2_20kt, "cooling-30pct-mediterranean": cooling_30pct_mediterranean,
    "salmon-1000t": salmon_1000t, "renewable-100pct": renewable_100pct,
}
_NO_SCENARIO = ("heat-85C", "gpus-20MW")


@user_api
def claims(ids: Sequence[str] | None = None, *, assumptions: dict | None = None,
           scenario: Scenario | None = None, step: int = 25,
           progress: bool = False) -> Audit:
    """Audit the public claims about the Narvik site.

    Parameters
    ----------
    ids : sequence of str, optional
        Claim ids to audit (keys of :data:`CLAIMS`); default all, in order.
    assumptions : dict, optional
        Per claim id, keyword arguments of its function, e.g.
        ``{"co2-20kt": {"displaced_heat": "oil"}}``.
    scenario : Scenario, optional
        The shared annual runs; default ``Scenario(step=step, progress=progress)``.
    step : int
        Hours between operating points of the annual runs (module notes).
    progress : bool
        Progress bars on the annual runs.

    Returns
    -------
    Audit

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> a = nt.audit.claims(["gpus-20MW"])
    >>> a["gpus-20MW"].verdict
    'does not hold'
    """
    ids = list(CLAIMS) if ids is None else list(ids) if not isinstance(ids, str) else [ids]
    unknown = [i for i in ids if i not in CLAIMS]
    if unknown:
        raise InputError(f"ids: {unknown} are not claim ids; use any of {list(CLAIMS)}.")
    assumptions = {} if assumptions is None else assumptions
    if not isinstance(assumptions, dict) or any(k not in CLAIMS for k in assumptions) or any(
            not isinstance(v, dict) for v in assumptions.values()):
        raise InputError(f"assumptions={assumptions!r} must map claim ids to dicts of keyword "
                         "arguments, e.g. {'co2-20kt': {'displaced_heat': 'oil'}}.")
    sc = (Scenario(step=step, progress=progress) if scenario is None
          else scenario_or_default(scenario))
    out = []
    for i in ids:
        kw = dict(assumptions.get(i, {}))
        if i not in _NO_SCENARIO:
            kw["scenario"] = sc
        out.append(_FUNCTIONS[i](**kw))
    return Audit(out, {"basis": sc.basis() if any(i not in _NO_SCENARIO for i in ids)
                       else "Network solves only (no annual run).",
                       "step_hours": sc.step})
