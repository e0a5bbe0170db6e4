"""Claims about the hardware: ``heat-85C`` (rack network solves) and ``gpus-20MW``
(the campus sized by GPU count)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError, user_api
from ..units import Q_, to_si, to_temperature
from .report import CLAIMS, UNSOURCED_CLAIM, ClaimResult, pair
from .report import assumption as arg

__all__ = ["heat_85c", "gpus_20mw"]


# ------------------------------------------------------------------- heat-85C
def _rack_at_limit(rack: Any, limit_K: float, tol: float = 0.01) -> tuple:
    """Supply temperature [K] at which the hottest chip of ``rack`` is at ``limit_K``,
    with the rack's return temperature [K] there and the kinds of the flags the
    solve raised there, e.g. ``"freezing"`` (secant on network solves)."""
    from ..plant.rack import rack_network, rack_report

    def solve(T_s: float) -> tuple:
        res = rack_network(rack, supply_temperature=Q_(T_s, "K")).solve(warn=False)
        return (rack_report(res, rack=rack).hottest_chip_temperature.m_as("K"),
                res.temperature("return").m_as("K"), {f.kind for f in res.flags})

    a, b = limit_K - 40.0, limit_K - 30.0
    (ha, _, _), (hb, rb, fb) = solve(a), solve(b)
    for _ in range(8):
        if abs(hb - limit_K) < tol:
            break
        a, ha, b = b, hb, b + (limit_K - hb) * (b - a) / (hb - ha)
        hb, rb, fb = solve(b)
    else:                              # pragma: no cover - the law is nearly linear
        raise InputError(f"heat_85c: no supply temperature puts the hottest chip at "
                         f"{limit_K - 273.15:.2f} °C (last {hb - 273.15:.2f} °C).")
    return b, rb, fb


def _rack_case(T_s: float, T_r: float, flags: set) -> str:
    C = 273.15
    text = f"return {T_r - C:.1f} °C at supply {T_s - C:.1f} °C"
    if flags & {"freezing", "property_range"}:
        text += (" — below the coolant's freezing point or table range: not a real "
                 "operating point")
    return text


@user_api
def heat_85c(*, board_limit: Any = "55 degC", capture_temperature: Any = "85 degC",
             thermal_resistance: Any = "0.025 K/W",
             thermal_resistance_range: tuple = ("0.015 K/W", "0.06 K/W"),
             town_supply: Any = "85 degC", town_return: Any = "45 degC") -> ClaimResult:
    r"""``heat-85C``: heat captured at 85 °C while the boards stay below 55 °C.

    A GB300 NVL72 rack (:class:`narvik_thermal.plant.Rack`, 1,400 W GPUs)
    on a test bench is solved at the coolant supply temperature that puts its
    hottest chip exactly at ``board_limit`` (secant on network solves); the
    claim holds if the rack's return is then at least ``capture_temperature``.
    A second, model-free bound: heat flows from chip to coolant, so no coolant
    can leave hotter than the hottest chip.

    Parameters
    ----------
    board_limit : pint.Quantity
        Highest board (chip case) temperature, 55 °C as claimed. The model
        applies it to every chip's temperature (inlet + q R, the library's
        cold-plate law).
    capture_temperature : pint.Quantity
        Claimed capture temperature, 85 °C.
    thermal_resistance : pint.Quantity
        GPU chip-to-coolant-inlet resistance (0.025 K/W, R22–R24).
    thermal_resistance_range : (pint.Quantity, pint.Quantity)
        Its range (0.015–0.06 K/W, narvik-facts defaults), the most uncertain
        assumption.
    town_supply, town_return : pint.Quantity
        District-heating temperatures for the heat-pump route (85/45 °C).

    Returns
    -------
    ClaimResult
        Its reason states the board limit and the capture temperature used and
        at which resistances of the range the rack's return reaches that
        capture temperature.
    """
    from ..correlations.heat_pump import heat_pump_cop
    from ..plant import Rack, gpu_cold_plate
    T_lim = float(to_temperature(board_limit, "board_limit"))
    T_cap = float(to_temperature(capture_temperature, "capture_temperature"))
    T_sup, T_ret = (float(to_temperature(t, n)) for t, n in
                    ((town_supply, "town_supply"), (town_return, "town_return")))
    R = [float(to_si(r, "K/W", n)) for r, n in
         ((thermal_resistance, "thermal_resistance"),
          *((x, "thermal_resistance_range") for x in pair(thermal_resistance_range,
                                                            "thermal_resistance_range")))]
    if not all(r > 0 for r in R):
        raise InputError(f"thermal_resistance={thermal_resistance!r} and "
                         f"thermal_resistance_range={thermal_resistance_range!r} must be > 0.")
    if not T_ret < T_sup:
        raise InputError(f"town_return={town_return!r} must be below town_supply="
                         f"{town_supply!r}.")
    cases = []
    for r in R:
        rack = Rack(gpu=gpu_cold_plate(thermal_resistance=Q_(r, "K/W")))
        cases.append(_rack_at_limit(rack, T_lim))
    (Ts, Tr, _), *ends = cases
    # a case whose supply would freeze the coolant cannot hold the claim
    holds = [c[1] >= T_cap and not c[2] & {"freezing", "property_range"} for c in cases]
    # heat-pump route: source the rack return cooled by 5 K [GEK], sink 45 → 85 °C
    cop = float(heat_pump_cop(Tr, Tr - 5.0, T_ret, T_sup))
    C = 273.15
    answer = {
        "highest supply keeping every chip at the limit": f"{Ts - C:.1f} °C",
        "rack return at that supply": f"{Tr - C:.1f} °C",
        "model-free bound on any coolant": f"≤ {T_lim - C:.0f} °C (the hottest chip)",
        f"heat-pump route to {T_sup - C:.0f} °C": f"COP {cop:.2f} (R717 cycle, source "
                                                  f"{Tr - C:.1f} → {Tr - C - 5:.1f} °C)",
    }
    return ClaimResult(
        id="heat-85C", claim=CLAIMS["heat-85C"],
        method=("NVL72 rack network (18 compute trays, 72 GPUs, manifolds, PG25 at 1.3 L/min "
                "per kW) solved at the supply temperature that puts its hottest chip at the "
                "board limit; the return temperature there is the hottest heat the rack can "
                "give. Heat-pump COP from the library's R717 cycle "
                "(narvik_thermal.correlations.heat_pump)."),
        answer=answer,
        assumptions={
            "board_limit": arg(board_limit, "the claim; applied to the chip case"),
            "capture_temperature": arg(capture_temperature, "the claim"),
            "thermal_resistance": arg(thermal_resistance, "R22, R23, R24 (chip → coolant "
                                     "inlet, GB200 target < 0.03 K/W)"),
            "thermal_resistance_range": arg(" – ".join(map(str, thermal_resistance_range)),
                                           "narvik-facts suggested defaults (0.015–0.06)"),
            "town_supply": arg(town_supply, "narvik-facts §4 default [GEK]"),
            "town_return": arg(town_return, "narvik-facts §4 default [GEK]"),
        },
        sensitivity={"assumption": "thermal_resistance",
                     "cases": [{"value": f"{r:g} K/W", "answer": _rack_case(*c), "holds": h}
                               for r, c, h in zip(R, cases, holds)]},
        reason=_heat_reason(T_lim, T_cap, T_sup, [c[1] for c in cases],
                            [c[1] for c in cases if not c[2] & {"freezing", "property_range"}],
                            cop, R, holds),
        unsourced=(UNSOURCED_CLAIM, "which 'boards' and which temperature (case, junction "
                   "or PCB) the 55 °C refers to"))


def _heat_reason(T_lim: float, T_cap: float, T_sup: float, returns: list, real: list,
                 cop: float, R: list, holds: list) -> str:
    """The reason of ``heat-85C``; ``real`` are the returns of the cases whose coolant
    does not freeze; ``R`` the resistances of the cases [K/W] (the central one first) and
    ``holds`` whether each reaches the capture temperature ``T_cap``."""
    def deg(T: float) -> str:
        return f"{round(T - 273.15, 2):g} °C"

    def at(which: list) -> str:
        return " or ".join(f"{r:g} K/W" for r, h in zip(R, holds) if h == which)
    C = 273.15
    text = (f"With every chip at {deg(T_lim)} the rack returns "
            f"{returns[0] - C:.1f} °C at the central resistance")
    text += (f" (at most {max(real) - C:.1f} °C over its range; where the supply would "
             "freeze, no operating point at all). " if len(real) < len(returns) else
             f" ({min(real) - C:.1f}–{max(real) - C:.1f} °C over its range). ")
    text += f"The {deg(T_cap)} capture temperature asked for is " + (
        "reached over the whole range. " if all(holds) else
        f"reached at the central resistance but not at {at(False)}. " if holds[0] else
        f"not reached at the central resistance, only at {at(True)}. " if any(holds) else
        "not reached anywhere in the range. ")
    if T_cap >= T_lim:
        text += (f"No coolant can be hotter than the chips it cools, so "
                 f"{deg(T_cap)} capture with boards below {deg(T_lim)} is "
                 "impossible at any resistance. ")
    if T_sup > returns[0]:
        text += (f"Heat reaches the town's {deg(T_sup)} supply through heat pumps (COP "
                 f"{cop:.2f}): captured at {returns[0] - C:.0f} °C and lifted to "
                 f"{deg(T_sup)}.")
    return text


# ------------------------------------------------------------------ gpus-20MW
@user_api
def gpus_20mw(*, gpus: int = 15000, phase_power: Any = "20 MW", rack_power: Any = None,
              rack_power_range: tuple = ("115 kW", "145 kW")) -> ClaimResult:
    r"""``gpus-20MW``: 15,000 GB300 GPUs in the 20 MW first phase.

    The campus builder sized by GPU count (:class:`narvik_thermal.plant.Campus`
    ``gpus=``) gives the racks (72 GPUs each, NVL72) and their IT power; the
    claim holds if that IT power fits in ``phase_power`` (taken as IT power,
    the reading most favourable to the claim: a 20 MW grid connection also
    feeds pumps and fans).

    Parameters
    ----------
    gpus : int
        Claimed GPU count (15,000).
    phase_power : pint.Quantity
        Phase-1 power (20 MW, R3).
    rack_power : pint.Quantity, optional
        IT power of one rack; default the library's NVL72 rack (135 kW from its
        chip heats and 90 % liquid fraction, R8/R10/R11).
    rack_power_range : (pint.Quantity, pint.Quantity)
        Its range, the most uncertain assumption (115–145 kW, narvik-facts
        defaults; GB300 132–142 kW, R8/R10/R11).

    Returns
    -------
    ClaimResult
    """
    from ..plant import Campus, Rack
    from ..units import to_integer
    n = to_integer(gpus, "gpus", minimum=1)
    P = float(to_si(phase_power, "W", "phase_power"))
    if not P > 0:
        raise InputError(f"phase_power={phase_power!r} must be > 0, e.g. '20 MW'.")
    rack = Rack()
    campus = Campus(gpus=n, rack=rack)
    racks = int(np.ceil(n / rack.gpus))
    P_rack = [rack.it_power.m_as("W") if rack_power is None
              else float(to_si(rack_power, "W", "rack_power"))]
    P_rack += [float(to_si(x, "W", "rack_power_range"))
               for x in pair(rack_power_range, "rack_power_range")]
    if not all(p > 0 for p in P_rack):
        raise InputError("rack_power and rack_power_range must be > 0.")
    it = [racks * p for p in P_rack]
    holds = [x <= P for x in it]
    fit = [int(P // p) * rack.gpus for p in P_rack]
    built = campus.it_power.m_as("MW")
    return ClaimResult(
        id="gpus-20MW", claim=CLAIMS["gpus-20MW"],
        method=("nt.plant.Campus(gpus=15000) sizes the racks (NVL72: 72 GPUs per rack) and "
                "their IT power from the library's rack (chip heats, liquid fraction); the IT "
                "power is compared with the phase's power."),
        answer={"racks for the GPUs": f"{campus.n_racks}",
                "IT power of those racks (library rack)": f"{built:.1f} MW",
                "GPUs that fit in the phase's power": f"{fit[0]:,}",
                "IT power over the phase's power": f"{built / (P / 1e6):.0%}"},
        assumptions={
            "gpus": arg(n, "the claim"),
            "phase_power": arg(phase_power, "R3 (phase 1, 20 MW); read as IT power"),
            "rack_power": arg(f"{P_rack[0] / 1e3:.1f} kW" if rack_power is None else rack_power,
                             "library NVL72 rack: 72 × 1,400 W GPUs (R12–R14), CPUs and "
                             "switches, 90 % to liquid (R15–R17) → R8/R10/R11 132–142 kW"),
            "rack_power_range": arg(" – ".join(map(str, rack_power_range)),
                                   "narvik-facts suggested defaults"),
        },
        sensitivity={"assumption": "rack_power",
                     "cases": [{"value": f"{p / 1e3:.0f} kW", "answer":
                                f"{x / 1e6:.1f} MW of IT for {n:,} GPUs; {f:,} GPUs fit",
                                "holds": h} for p, x, f, h in zip(P_rack, it, fit, holds)]},
        reason=(f"{n:,} GPUs need {racks} NVL72 racks, {it[0] / 1e6:.1f} MW of IT "
                f"({it[1] / 1e6:.1f}–{it[2] / 1e6:.1f} MW over the rack-power range): "
                + ("more than" if not any(holds) else "within" if all(holds)
                   else "within or over, depending on the rack power, of")
                + f" the {P / 1e6:.0f} MW phase before pumps and fans are counted; "
                f"{P / 1e6:.0f} MW holds {fit[2]:,}–{fit[1]:,} GPUs."),
        unsourced=(UNSOURCED_CLAIM,))


