"""The annual runs the claims share (:class:`Scenario`) and sums over them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError, user_api
from ..units import Q_, to_si, to_temperature

__all__ = ["Scenario", "check_step", "scenario_or_default", "energy", "per_year",
           "failed_note"]


# ------------------------------------------------------------------ scenarios
def check_step(step: Any) -> int:
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise InputError(f"step={step!r} must be a whole number of hours ≥ 1 (1 = every hour "
                         "of the year; 25 samples every hour of the day equally).")
    return int(step)


@user_api
class Scenario:
    """The annual runs the claims share, computed once when first asked.

    Parameters
    ----------
    it_power : pint.Quantity
        Installed IT power of the campus (default 20 MW, phase 1, R3).
    it_load : float
        IT load as a fraction of the installed power, every hour (default 0.9
        [GEK]: the utilisation of a training cluster is high but not 1).
    annual_residential_heat : pint.Quantity
        Annual residential heat demand of Narvik (default 100 GWh: about
        10,500 households × 10 MWh, narvik-facts §8 [GEK inputs]).
    trunk_length : pint.Quantity
        Transmission line from the campus to the town (default 20 km, the road
        distance Kvandal–Narvik, narvik-facts §0 [GEK]).
    year : int
        Calendar year of the synthetic weather (seed 0).
    step : int
        Run every ``step``-th hour (module notes).
    progress : bool
        Progress bars on the annual runs.

    Notes
    -----
    The town network is designed for the peak hour of the residential
    degree-hour demand (:func:`narvik_thermal.simulation.hourly_heat_demand`
    over the full synthetic year), and each run asks the hourly demand summing
    to ``annual_residential_heat``.
    """

    def __init__(self, *, it_power: Any = "20 MW", it_load: float = 0.9,
                 annual_residential_heat: Any = "100 GWh", trunk_length: Any = "20 km",
                 year: int = 2025, step: int = 25, progress: bool = False) -> None:
        self.it_power = Q_(to_si(it_power, "W", "it_power") / 1e6, "MW")
        if not self.it_power.m > 0:
            raise InputError(f"it_power={it_power!r} must be > 0, e.g. '20 MW'.")
        self.it_load = float(to_si(it_load, "", "it_load"))
        if not 0 < self.it_load <= 1:
            raise InputError(f"it_load={it_load!r} must be in (0, 1] (a fraction of the "
                             "installed IT power).")
        self.annual_residential_heat = Q_(
            to_si(annual_residential_heat, "J", "annual_residential_heat") / 3.6e12, "GWh")
        if not self.annual_residential_heat.m > 0:
            raise InputError(f"annual_residential_heat={annual_residential_heat!r} must be > 0.")
        self.trunk_length = Q_(to_si(trunk_length, "m", "trunk_length") / 1e3, "km")
        if not self.trunk_length.m > 0:
            raise InputError(f"trunk_length={trunk_length!r} must be > 0, e.g. '20 km'.")
        self.year = int(year)
        self.step = check_step(step)
        self.progress = bool(progress)
        self._cache: dict = {}

    def basis(self) -> str:
        """One sentence stating the runs' basis."""
        return (f"Phase-1 campus of {self.it_power:~P} at {self.it_load:.0%} IT load, sized "
                f"at its site's design conditions and operated every {self.step} h of the "
                f"synthetic year {self.year} (seed 0), energies weighted by the step; town "
                f"heating {self.annual_residential_heat:~P}/yr over a "
                f"{self.trunk_length:~P} transmission line.")

    def weather(self, site_name: str) -> Any:
        """The sampled synthetic weather of a site."""
        key = ("weather", site_name)
        if key not in self._cache:
            from ..climate import site
            self._cache[key] = site(site_name).hourly(self.year, seed=0).isel(
                time=slice(None, None, self.step))
        return self._cache[key]

    def _run(self, campus: Any, weather: Any, **kw: Any) -> Any:
        from ..simulation import annual
        # warn=False: the hours never warn, and the flags and failures stay in the
        # Dataset (flag_hours, hours_failed), which the claims report
        return annual(campus, weather, it_load=self.it_load, progress=self.progress,
                      warn=False, **kw)

    def town_design_demand(self) -> Any:
        """Peak hourly residential demand over the full synthetic year [MW]."""
        key = "town_peak"
        if key not in self._cache:
            from ..climate import site
            from ..simulation import hourly_heat_demand
            full = site("narvik").hourly(self.year, seed=0)
            T = to_temperature(Q_(full["outdoor_temperature"].values,
                                  full["outdoor_temperature"].attrs["units"]),
                               "outdoor_temperature")
            q, _ = hourly_heat_demand(None, T, annual_heat=self.annual_residential_heat)
            self._cache[key] = Q_(float(q.max()) / 1e6, "MW")
        return self._cache[key]

    def town_year(self) -> Any:
        """The phase-1 campus at Narvik with heat export to the town, over the year."""
        if "town" not in self._cache:
            from ..climate import site
            from ..plant import Campus, town_heat_export
            export = town_heat_export(self.town_design_demand(),
                                      trunk_length=self.trunk_length,
                                      pressure_rating=Q_(25, "bar"))
            campus = Campus(self.it_power, site=site("narvik"), heat_export=export)
            self._cache["town"] = self._run(campus, self.weather("narvik"),
                                            annual_heat=self.annual_residential_heat)
        return self._cache["town"]

    def cooling_year(self, site_name: str, heat_rejection: str) -> Any:
        """The campus without heat export at a site with a heat-rejection plant."""
        key = ("cooling", site_name, heat_rejection)
        if key not in self._cache:
            from ..climate import site
            from ..plant import Campus, CoolingTower, DryCooler, FjordLoop
            kinds = {"fjord": FjordLoop, "cooling_tower": CoolingTower, "dry_cooler": DryCooler}
            if heat_rejection not in kinds:
                raise InputError(f"heat_rejection={heat_rejection!r} is not one of "
                                 f"{sorted(kinds)}.")
            campus = Campus(self.it_power, site=site(site_name),
                            heat_rejection=kinds[heat_rejection]())
            self._cache[key] = self._run(campus, self.weather(site_name))
        return self._cache[key]


def scenario_or_default(scenario: Scenario | None) -> Scenario:
    if scenario is None:
        return Scenario()
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario={scenario!r} must be a nt.audit.Scenario(...) or None.")
    return scenario


def energy(year: Any, name: str, mask: Any = None) -> float:
    """Energy of a power variable over the run [GWh], failed hours excluded."""
    da = year[name].where(year["converged"], 0.0)
    if mask is not None:
        da = da.where(mask, 0.0)
    return float(da.sum()) * float(year.attrs["time_step_s"]) / 3.6e12


def per_year(year: Any) -> float:
    """The factor from the run's span to 365 days (a sampled run covers ``n × step``,
    e.g. 351 × 25 h = 8,775 h)."""
    return 365.0 * 86400.0 / (year.sizes["time"] * float(year.attrs["time_step_s"]))


def failed_note(*years: Any) -> str:
    n = sum(int(y.attrs["hours_failed"]) for y in years)
    return "" if n == 0 else (f" {n} operating point(s) failed and are excluded from the "
                              "energies (see the runs' 'error' variable).")


