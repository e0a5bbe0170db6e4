r"""EU reporting KPIs of a simulated year: PUE, pPUE, ERF, WUE, REF, CER, ERE, CUE, CO2.

:func:`eu_kpis` turns the hourly :class:`xarray.Dataset` of an annual
simulation (``nt.simulation.annual``) into the key performance indicators of
Commission Delegated Regulation (EU) 2024/1364 and of the EN 50600-4-x /
ISO/IEC 30134-x standards it builds on, each for two accounting boundaries:

``heat_pumps_outside``
    The heat pumps that lift the facility water to district-heating
    temperature belong to the heat utility (as in Odense and Espoo,
    narvik-facts §9). Their electricity is not data-centre energy; the reused
    energy is the heat that leaves the data centre to them, ``heat_exported``.
``heat_pumps_inside``
    The heat pumps belong to the data centre. Their electricity is data-centre
    energy (and cooling energy: they remove ``heat_exported`` from the facility
    water); the reused energy is the heat they put into the district-heating
    network, ``heat_delivered + network_losses - heat_boiler``.

The regulation does not settle which applies, so every KPI is given for both.

What was verified and against what
----------------------------------
The text of the regulation's annexes and the full standards were **not**
available offline. Verified:

- Regulation 2024/1364, Article 1 (text at legalize.dev/eu/law/32024R1364,
  R86): it sets out the information and KPIs reported by data centres of at
  least 500 kW installed IT power and "defines the first data centre
  sustainability indicators" calculated from them. That the reported
  information and KPIs are those of Annexes I and II: datacenter-forum.ro's
  summary of the regulation. The annex holding the indicator formulas is
  given as Annex III after the issue; **unverified**.
- ISO/IEC 30134-2:2016 (published overview): PUE = E_DC / E_IT; PUE
  derivatives (partial PUE) in its Annex D, in Annex C of EN 50600-4-2:2016.
- ISO/IEC 30134-6:2021 (abstract): ERF is the energy reused over all energy
  consumed in the data centre; "the reuse process is not part of a data
  centre" — the natural reading is ``heat_pumps_outside``.
- EN 50600-4-3:2016 (text as quoted by a standards reseller): the renewable
  energy of REF is energy owned and controlled by the data centre (on-site,
  retired certificates, documented utility supply); REF <= 1; the location of
  the source does not matter. Hence no default renewable share: the physical
  Norwegian mix is not a claim.
- ISO/IEC 30134-7:2023 / EN 50600-4-7:2020 (scope): CER quantifies the energy
  used to control the temperature of the spaces; electric cooling only.
- ISO/IEC 30134-9:2022 (scope): WUE quantifies water use in the use phase.

As commonly quoted, not read: WUE = W_IN / E_IT (``wue_input``; narvik-facts §7,
R89–R91 — ``wue`` is consumed water over IT energy, as the issue defines it), REF = E_RES-TOT / E_DC, the pPUE and CER formulas,
CUE (ISO/IEC 30134-8) and ERE (The Green Grid, White Paper 29, 2010). The
symbols E_DC, E_IT, W_IN, E_REUSE, E_RES-TOT are those of a public EED
reporting tool (glama.ai "eed_datacentre_pack"). See ``docs/kpi.rst``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:       # imported where used: xarray and pandas take 0.4 s to import
    import xarray as xr

from .errors import InputError, require_type, user_api
from .units import Q_, is_quantity

__all__ = ["eu_kpis", "KPIs", "DisplacedHeat", "BOUNDARIES", "GRID_CO2", "DISPLACED_HEAT",
           "time_step"]

#: The two accounting boundaries, the labels of the ``boundary`` dimension.
BOUNDARIES = ("heat_pumps_outside", "heat_pumps_inside")

_J_PER_KWH = 3.6e6
_SOURCE_HINT = "the hourly Dataset of nt.simulation.annual"

#: Variables the KPIs read, with their SI units.
_POWER_VARS = ("it_power", "total_power", "pump_power", "fan_power", "chiller_power",
               "heat_pump_power", "heat_to_sea", "heat_to_air", "heat_exported",
               "heat_delivered", "network_losses", "heat_boiler")
_WATER_VARS = ("water_withdrawn", "water_consumed")
#: Heat flows that may be negative: heat the plant draws from the sea or the air,
#: e.g. when heat pumps cool the facility water below the sea temperature and the
#: fjord heat exchangers heat it. That heat is not data-centre heat: it is taken
#: off the reused energy (module notes).
_SIGNED = ("heat_to_sea", "heat_to_air")
_UNITS = {**{v: "W" for v in _POWER_VARS}, **{v: "m^3/s" for v in _WATER_VARS},
          "grid_co2_intensity": "g/kWh"}

# --------------------------------------------------------------- CO2 factors
#: Grid CO2 factors [g CO2 per kWh of electricity] by name, with their source.
#: ``"dataset"`` (the default of :func:`eu_kpis`) uses the hourly
#: ``grid_co2_intensity`` of the dataset instead.
GRID_CO2: dict[str, tuple[float, str]] = {
    "norway_average": (19.0, "Norwegian electricity, physical delivery (location-based "
                             "average), 2022: 19 g/kWh (narvik-facts §8, R97; 17 g/kWh "
                             "for 2019, R96)"),
    "norway_residual": (402.0, "Norwegian residual mix (market-based, without guarantees "
                               "of origin): 402 g/kWh, low end of 402–530 (narvik-facts §8, "
                               "R98–R100)"),
    "europe_average": (294.2, "EU-28 average carbon intensity of electricity generation "
                              "2017: 294.2 g/kWh (EEA, as quoted in lfwa/carbontracker "
                              "constants.py)"),
    "europe_marginal_gas": (514.0, "marginal European generation taken as gas-fired "
                                   "power, AIB life-cycle factor 514 g/kWh (narvik-facts §8, "
                                   "R99); that gas sets the margin is [GEK]"),
}


@dataclass(frozen=True)
class DisplacedHeat:
    """The heat source that exported heat replaces, for the avoided CO2.

    Parameters
    ----------
    name : str
        Label shown in the report.
    fuel_co2 : float
        CO2 per kWh of fuel [g/kWh] (lower heating value).
    efficiency : float
        Seasonal efficiency of the displaced plant, heat out / fuel in, in (0, 1.5].
    source : str
        Where ``fuel_co2`` and ``efficiency`` come from.

    The factor per kWh of heat is ``fuel_co2 / efficiency``
    (:attr:`heat_co2`).
    """

    name: str
    fuel_co2: float
    efficiency: float
    source: str

    def __post_init__(self) -> None:
        if not (np.isfinite(self.fuel_co2) and self.fuel_co2 >= 0):
            raise InputError(f"DisplacedHeat.fuel_co2={self.fuel_co2!r}; expected a finite "
                             "number >= 0 in g CO2 per kWh of fuel.")
        if not (np.isfinite(self.efficiency) and 0 < self.efficiency <= 1.5):
            raise InputError(f"DisplacedHeat.efficiency={self.efficiency!r}; expected heat "
                             "out / fuel in, in (0, 1.5] (e.g. 0.85 for a wood-chip boiler).")

    @property
    def heat_co2(self) -> float:
        """CO2 per kWh of heat delivered by the displaced plant [g/kWh]."""
        return self.fuel_co2 / self.efficiency


#: Displaced heat sources by name. The default, ``"wood_chips"``, is what
#: Narvik's district heating was licensed for: Statkraft Varme and Nordkraft's
#: 2011 licence is for a plant "based on timber products such as wood chips"
#: (R56, R57). Biogenic CO2 of biomass combustion is counted as zero, the
#: convention of EU energy policy and of IPCC inventories (reported as a memo
#: item); only the supply chain (harvest, chipping, transport) counts.
DISPLACED_HEAT: dict[str, DisplacedHeat] = {
    "wood_chips": DisplacedHeat(
        "wood chips (biogenic CO2 = 0, supply chain only)", 18.0, 0.85,
        "supply chain about 5 g CO2e/MJ = 18 g/kWh of fuel, the order of the EU RED II "
        "typical values for forest-residue chips [GEK, not verified here]; boiler 0.85 "
        "[GEK]. Life-cycle GHG of Norwegian wood energy is 2–19 % of the fossil "
        "alternative (Raymer 2006, Biomass and Bioenergy 30:605)"),
    "wood_chips_gross": DisplacedHeat(
        "wood chips, biogenic CO2 counted", 403.0, 0.85,
        "effective CO2 of wood combustion 403 kg/MWh of fuel (IPCC 2006 default, as "
        "tabulated in Carbon Balance Manage. 11 (2016) s13021-016-0046-9, Table 1); "
        "boiler 0.85 [GEK]. Not the EU convention; a sensitivity case"),
    "oil": DisplacedHeat("heating oil", 264.5, 0.85,
                         "fuel basis 264.5 g/kWh (SSB, narvik-facts §8, R101); boiler 0.85 [GEK]"),
    "natural_gas": DisplacedHeat("natural gas", 201.8, 0.90,
                                 "fuel basis 201.8 g/kWh (SSB, narvik-facts §8, R101); "
                                 "boiler 0.90 [GEK]"),
}

# --------------------------------------------------------------- definitions
_REG = "Delegated Regulation (EU) 2024/1364"
_ANNEX = f"{_REG}, Annex III (annex number as placed by the issue and secondary sources; unverified)"

#: name: (long name, units, formula, clause). Energies first, then indicators.
_DEFS: dict[str, tuple[str, str, str, str]] = {
    "e_it": ("IT equipment energy E_IT", "MWh", "sum(it_power) dt",
             f"{_REG}, Annex I/II KPI 'IT energy consumption' (unverified clause); "
             "EN 50600-4-2 / ISO/IEC 30134-2"),
    "e_dc": ("total data-centre energy E_DC", "MWh",
             "outside: sum(total_power - heat_pump_power) dt; inside: sum(total_power) dt",
             f"{_REG}, Annex I/II KPI 'total energy consumption' (unverified clause); "
             "EN 50600-4-2 / ISO/IEC 30134-2"),
    "e_cooling": ("cooling-system energy E_cool", "MWh",
                  "outside: sum(pump + fan + chiller) dt; inside: + heat_pump_power",
                  "ISO/IEC 30134-2 (pPUE subsystem) and 30134-7 (CER), as commonly quoted"),
    "e_heat_pumps": ("heat-pump electricity", "MWh", "sum(heat_pump_power) dt",
                     "informative; the boundary question left open by the regulation"),
    "e_reuse": ("reused energy E_REUSE", "MWh",
                "outside: sum(heat_exported - drawn) dt; inside: sum(heat_delivered + "
                "network_losses - heat_boiler - drawn) dt; drawn = heat taken from the sea or "
                "air (the negative parts of heat_to_sea and heat_to_air)",
                f"{_REG}, Annex I/II KPI 'waste heat reused' (unverified clause); "
                "EN 50600-4-6 / ISO/IEC 30134-6"),
    "heat_removed": ("heat removed from the data centre", "MWh",
                     "sum(heat_to_sea + heat_to_air + heat_exported) dt",
                     "ISO/IEC 30134-7 (CER numerator), as commonly quoted"),
    "heat_displaced": ("district heat displaced", "MWh",
                       "sum(heat_delivered + network_losses - heat_boiler) dt",
                       "this library: heat the data centre puts into the network replaces "
                       "the same heat from the displaced plant"),
    "water_input": ("water input W_IN", "m^3", "sum(water_withdrawn) dt",
                    f"{_REG}, Annex I/II KPI 'total water input' (unverified clause)"),
    "water_consumed": ("water consumed", "m^3", "sum(water_consumed) dt",
                       "ISO/IEC 30134-9 (water use), as commonly quoted"),
    "e_renewable": ("renewable energy E_RES-TOT", "MWh", "renewable_share * E_DC",
                    f"{_REG}, Annex I/II KPI 'total renewable energy consumption' "
                    "(GO + PPA + on-site, unverified clause); EN 50600-4-3 / ISO/IEC 30134-3"),
    "co2_emitted": ("CO2 emitted by data-centre electricity", "t",
                    "sum(E_DC,h * grid_co2_h)", "GHG Protocol scope 2 style; not a 2024/1364 KPI"),
    "co2_displaced": ("CO2 of the displaced district heat", "t",
                      "heat_displaced * displaced.heat_co2", "this library"),
    "co2_avoided": ("CO2 avoided by heat export", "t",
                    "outside: co2_displaced - sum(heat_pump_power_h * grid_co2_h) dt;"
                    " inside: co2_displaced",
                    "this library; outside, the heat pumps' electricity is charged to the "
                    "heat they make"),
    "co2_net": ("net CO2 (emitted - avoided)", "t", "co2_emitted - co2_avoided",
                "this library; the same in both boundaries by construction"),
    "pue": ("power usage effectiveness PUE", "1", "E_DC / E_IT",
            f"{_ANNEX}; EN 50600-4-2:2016 / ISO/IEC 30134-2:2016, PUE = E_DC/E_IT "
            "(formula verified from the standard's published overview)"),
    "ppue_cooling": ("partial PUE of cooling pPUE_cool", "1", "(E_IT + E_cool) / E_IT",
                     "PUE derivatives: ISO/IEC 30134-2:2016 Annex D, EN 50600-4-2:2016 Annex C "
                     "(annexes verified from the published scopes; the partial-PUE formula as "
                     "commonly quoted); not a 2024/1364 indicator"),
    "erf": ("energy reuse factor ERF", "1", "E_REUSE / E_DC",
            f"{_ANNEX}; ISO/IEC 30134-6:2021 / EN 50600-4-6: energy reused over all energy "
            "consumed in the data centre; the reuse process is not part of the data centre "
            "(abstract verified)"),
    "wue": ("water usage effectiveness WUE (consumed water)", "L/kWh",
            "water_consumed / E_IT",
            f"{_ANNEX}; ISO/IEC 30134-9:2022 / EN 50600-4-9 (scope verified: water use "
            "over the use phase) with consumed water (evaporation, blow-down, drift), as "
            "the issue defines it; sea water passing through a heat exchanger is returned "
            "to the sea and not counted (whether it is 'water input' is unsettled, "
            "narvik-facts §7)"),
    "wue_input": ("WUE of water input W_IN", "L/kWh", "W_IN / E_IT",
                  "ISO/IEC 30134-9 form as commonly quoted (narvik-facts §7, R89–R91), "
                  "water input = water_withdrawn, which includes once-through sea water"),
    "ref": ("renewable energy factor REF", "1", "E_RES-TOT / E_DC",
            f"{_ANNEX}; EN 50600-4-3:2016 / ISO/IEC 30134-3:2016: renewable energy owned "
            "and controlled (on-site, retired certificates, documented utility supply), "
            "REF <= 1 (definition verified from the quoted EN text)"),
    "cer": ("cooling efficiency ratio CER", "1", "heat_removed / E_cool",
            "ISO/IEC 30134-7:2023 / EN 50600-4-7:2020 (scope verified: energy used to "
            "control the temperature of the spaces, electric cooling only; formula as "
            "commonly quoted); not a 2024/1364 indicator"),
    "ere": ("energy reuse effectiveness ERE", "1", "(E_DC - E_REUSE) / E_IT = (1 - ERF) PUE",
            "The Green Grid White Paper 29 (2010), as commonly quoted; not a 2024/1364 "
            "indicator"),
    "cue": ("carbon usage effectiveness CUE", "kg/kWh", "co2_emitted / E_IT",
            "ISO/IEC 30134-8, as commonly quoted; not a 2024/1364 indicator"),
}
_INDICATORS = ("pue", "ppue_cooling", "erf", "wue", "wue_input", "ref", "cer", "ere", "cue")


# --------------------------------------------------------------- validation
def _unit_factor(da: xr.DataArray, name: str, expected: str) -> float:
    """Factor converting ``da`` (units in its ``units`` attr) to ``expected``."""
    unit = da.attrs.get("units")
    if unit is None:
        raise InputError(f"dataset[{name!r}] has no 'units' attribute; expected units "
                         f"convertible to {expected!r}. Set dataset[{name!r}].attrs['units'] "
                         f"= {expected!r} (the SI units of {_SOURCE_HINT}).")
    try:
        return float(Q_(1.0, str(unit)).to(expected).magnitude)
    except Exception:
        raise InputError(f"dataset[{name!r}].attrs['units'] = {unit!r}; expected units "
                         f"convertible to {expected!r}. Fix the attribute or convert the "
                         "variable.") from None


def time_step(dataset: Any, where: str = "dataset") -> float:
    """The regular time step [s] of an annual Dataset (``nt.simulation.annual``): its
    ``attrs['time_step_s']``, the step of its datetime ``time`` coordinate, or both
    when they agree.

    Energies are sums of powers times this step (the KPIs of :func:`eu_kpis`, the
    figures of :mod:`narvik_thermal.plot`), so an irregular time axis is refused
    rather than weighted by one of its steps.

    Parameters
    ----------
    dataset : xarray.Dataset
    where : str
        The caller, named in the errors.

    Raises
    ------
    InputError
        Irregular or non-positive steps, an attribute that disagrees with the
        coordinate, or no step at all.

    Examples
    --------
    >>> import numpy as np, pandas as pd, xarray as xr
    >>> ds = xr.Dataset(coords={"time": pd.date_range("2025-01-01", periods=3, freq="h")})
    >>> time_step(ds)
    3600.0
    """
    ds = dataset
    times = ds["time"].values if "time" in ds.coords else None
    dt_attr = ds.attrs.get("time_step_s")
    dt_coord = None
    if times is not None and np.issubdtype(np.asarray(times).dtype, np.datetime64) and times.size > 1:
        steps = np.diff(times).astype("timedelta64[ns]").astype(np.int64) / 1e9
        if not np.allclose(steps, steps[0], rtol=0, atol=1e-6) or steps[0] <= 0:
            raise InputError(f"{where}: the time steps are irregular (between {steps.min():g} "
                             f"and {steps.max():g} s); expected a regular step. Resample to a "
                             "regular step or mark missing steps converged=False.")
        dt_coord = float(steps[0])
    if dt_attr is not None:
        try:
            dt = float(dt_attr)
        except (TypeError, ValueError):
            dt = float("nan")
        if not (np.isfinite(dt) and dt > 0):
            raise InputError(f"{where}: attrs['time_step_s'] = {dt_attr!r}; expected a step "
                             "> 0 in seconds (3600.0 for hourly data).")
        if dt_coord is not None and not np.isclose(dt, dt_coord, rtol=1e-9):
            raise InputError(f"{where}: attrs['time_step_s'] = {dt!r} but the time "
                             f"coordinate steps by {dt_coord!r} s; make them agree.")
        return dt
    if dt_coord is None:
        raise InputError(f"{where}: the time step is unknown: set attrs['time_step_s'] "
                         "(3600.0 for hourly data) or give a datetime 'time' coordinate.")
    return dt_coord


def _needed(grid_co2: Any) -> tuple[str, ...]:
    extra = ("grid_co2_intensity",) if isinstance(grid_co2, str) and grid_co2 == "dataset" else ()
    return _POWER_VARS + _WATER_VARS + extra + ("converged",)


def _validated(ds: Any, grid_co2: Any, failed_hours: str) -> tuple[dict[str, np.ndarray], dict]:
    """SI arrays of the used hours and bookkeeping; raises InputError on bad input."""
    import xarray as xr
    require_type(ds, xr.Dataset, "dataset", f"an xarray.Dataset ({_SOURCE_HINT})")
    if failed_hours not in ("raise", "exclude"):
        raise InputError(f"failed_hours={failed_hours!r}; expected 'raise' or 'exclude'.")
    if "time" not in ds.dims or ds.sizes["time"] == 0:
        raise InputError(f"dataset has no time steps (dims {dict(ds.sizes)}); expected the "
                         f"non-empty 'time' dimension of {_SOURCE_HINT}.")
    missing = [v for v in _needed(grid_co2) if v not in ds.data_vars]
    if missing:
        hint = (" (or pass grid_co2= a name of GRID_CO2 or a number in g/kWh)"
                if "grid_co2_intensity" in missing else "")
        raise InputError(f"dataset lacks variable(s) {missing}{hint}; they come from "
                         f"{_SOURCE_HINT} (nt.simulation.annual). It has "
                         f"{sorted(map(str, ds.data_vars))}.")
    for v in _needed(grid_co2):
        if ds[v].dims != ("time",):
            raise InputError(f"dataset[{v!r}] has dims {ds[v].dims}; expected ('time',).")
    dt = time_step(ds)
    conv = ds["converged"].values
    if conv.dtype != bool:
        raise InputError(f"dataset['converged'] has dtype {conv.dtype}; expected bool "
                         "(True for a solved hour).")
    n_total = int(conv.size)
    n_failed = int((~conv).sum())
    if n_failed and failed_hours == "raise":
        first = ds["time"].values[~conv][0] if "time" in ds.coords else int(np.argmax(~conv))
        raise InputError(f"{n_failed} of {n_total} time steps did not converge "
                         f"(converged=False, first at {first}); their values are NaN and the "
                         "KPIs would silently lose them. Re-run those hours, or pass "
                         "failed_hours='exclude' to compute the KPIs over the converged "
                         "hours only (the coverage is then in the result's attrs).")
    if n_failed == n_total:
        raise InputError(f"all {n_total} time steps failed (converged=False); nothing to "
                         "report.")
    keep = conv
    arrays: dict[str, np.ndarray] = {}
    # numerical noise of a solve is relative to the site's power, not to a variable
    # that is zero (e.g. heat_boiler at -2e-9 W on a 20 MW site)
    site_power = float(np.nanmax(np.abs(np.asarray(ds["total_power"].values, dtype=float)
                                        * _unit_factor(ds["total_power"], "total_power",
                                                       _UNITS["total_power"]))))
    for v in _needed(grid_co2)[:-1]:
        x = np.asarray(ds[v].values, dtype=float)[keep] * _unit_factor(ds[v], v, _UNITS[v])
        bad = ~np.isfinite(x)
        if bad.any():
            raise InputError(f"dataset[{v!r}] has {int(bad.sum())} non-finite value(s) in "
                             "converged time steps; expected finite numbers. Mark those "
                             "steps converged=False or fix the simulation output.")
        scale = max(1.0, float(np.max(np.abs(x))),
                    site_power if _UNITS[v] == "W" else 0.0)
        if v in _SIGNED:
            arrays[v] = x          # negative: heat the plant draws from the sea or air
            continue
        if (x < -1e-9 * scale).any():
            raise InputError(f"dataset[{v!r}] has {int((x < -1e-9 * scale).sum())} negative "
                             f"value(s) (min {x.min():.6g} {_UNITS[v]}); expected >= 0. "
                             "Check the sign convention of the simulation output.")
        arrays[v] = np.maximum(x, 0.0)
    parts = sum(arrays[v] for v in ("it_power", "pump_power", "fan_power", "chiller_power",
                                    "heat_pump_power"))
    over = parts > arrays["total_power"] * (1 + 1e-6) + 1e-6
    if over.any():
        raise InputError(f"dataset['total_power'] is below it_power + pump + fan + chiller + "
                         f"heat_pump power in {int(over.sum())} time step(s); expected "
                         "total_power to include all of them (all electricity on site).")
    book = {"time_step_s": dt, "n_total": n_total, "n_failed": n_failed, "keep": keep}
    return arrays, book


def _closure(ds: xr.Dataset, keep: np.ndarray) -> float:
    """Largest |energy_closure| over the used steps (NaN if the dataset has none)."""
    if "energy_closure" not in ds.data_vars or ds["energy_closure"].dims != ("time",):
        return float("nan")
    x = np.abs(np.asarray(ds["energy_closure"].values, dtype=float)[keep])
    return float(np.nanmax(x)) if np.isfinite(x).any() else float("nan")


def _grid_factor(grid_co2: Any, arrays: dict[str, np.ndarray]) -> tuple[np.ndarray | float, str]:
    if isinstance(grid_co2, str):
        if grid_co2 == "dataset":
            return arrays["grid_co2_intensity"], "hourly dataset['grid_co2_intensity']"
        if grid_co2 in GRID_CO2:
            value, source = GRID_CO2[grid_co2]
            return value, f"{grid_co2}: {value:g} g/kWh — {source}"
        raise InputError(f"grid_co2={grid_co2!r}; expected 'dataset', one of "
                         f"{sorted(GRID_CO2)} or a Quantity in g/kWh.")
    if is_quantity(grid_co2):
        try:
            value = float(grid_co2.to("g/kWh").magnitude)
        except Exception:
            raise InputError(f"grid_co2={grid_co2!r}; expected a CO2 intensity in g/kWh, "
                             "e.g. nt.Q_(19, 'g/kWh').") from None
    elif isinstance(grid_co2, (int, float)) and not isinstance(grid_co2, bool):
        value = float(grid_co2)
    else:
        raise InputError(f"grid_co2={grid_co2!r}; expected 'dataset', one of "
                         f"{sorted(GRID_CO2)} or a number/Quantity in g/kWh.")
    if not (np.isfinite(value) and value >= 0):
        raise InputError(f"grid_co2={grid_co2!r}; expected a finite value >= 0 g/kWh.")
    return value, f"user value: {value:g} g/kWh"


def _displaced(displaced_heat: Any) -> DisplacedHeat:
    if isinstance(displaced_heat, DisplacedHeat):
        return displaced_heat
    if isinstance(displaced_heat, str) and displaced_heat in DISPLACED_HEAT:
        return DISPLACED_HEAT[displaced_heat]
    if is_quantity(displaced_heat):
        try:
            value = float(displaced_heat.to("g/kWh").magnitude)
        except Exception:
            value = float("nan")
        if np.isfinite(value) and value >= 0:
            return DisplacedHeat(f"user heat factor {value:g} g/kWh", value, 1.0,
                                 "user value per kWh of heat")
    raise InputError(f"displaced_heat={displaced_heat!r}; expected one of "
                     f"{sorted(DISPLACED_HEAT)}, a DisplacedHeat, or a Quantity in g CO2 per "
                     "kWh of heat.")


def _renewable(renewable_share: Any) -> float:
    if renewable_share is None:
        return float("nan")
    if is_quantity(renewable_share):
        try:
            renewable_share = float(renewable_share.to("").magnitude)
        except Exception:
            renewable_share = float("nan")
    try:
        r = float(renewable_share)
    except (TypeError, ValueError):
        r = float("nan")
    if not (np.isfinite(r) and 0 <= r <= 1):
        raise InputError(f"renewable_share={renewable_share!r}; expected a fraction in "
                         "[0, 1] of the data-centre electricity covered by guarantees of "
                         "origin, PPAs or on-site renewables (None leaves REF undefined).")
    return r


# --------------------------------------------------------------- computation
def _energies(a: dict[str, np.ndarray], dt: float, grid: np.ndarray | float,
              disp: DisplacedHeat, ren: float) -> dict[str, np.ndarray]:
    """Sums over the given hours, shape (2,) = (outside, inside), in report units."""
    def mwh(p: np.ndarray) -> float:
        return float(np.sum(p) * dt / _J_PER_KWH / 1e3)

    def tonnes(p: np.ndarray) -> float:          # W × g/kWh → t
        return float(np.sum(p * grid) * dt / _J_PER_KWH / 1e6)

    hp = a["heat_pump_power"]
    dc_out = a["total_power"] - hp
    cool_out = a["pump_power"] + a["fan_power"] + a["chiller_power"]
    to_network = np.maximum(a["heat_delivered"] + a["network_losses"] - a["heat_boiler"], 0.0)
    # heat drawn from the sea or air (negative heat_to_sea/heat_to_air) is not reused
    # data-centre heat, though the town gets it
    drawn = sum(np.maximum(-a[v], 0.0) for v in _SIGNED)
    e_it = mwh(a["it_power"])
    e_dc = np.array([mwh(dc_out), mwh(a["total_power"])])
    co2_em = np.array([tonnes(dc_out), tonnes(a["total_power"])])
    displaced = mwh(to_network) * disp.heat_co2 / 1e3          # MWh × g/kWh = kg ... /1e3 → t
    avoided = np.array([displaced - tonnes(hp), displaced])
    two = np.ones(2)
    return {
        "e_it": e_it * two, "e_dc": e_dc,
        "e_cooling": np.array([mwh(cool_out), mwh(cool_out + hp)]),
        "e_heat_pumps": mwh(hp) * two,
        "e_reuse": np.array([mwh(a["heat_exported"] - drawn), mwh(to_network - drawn)]),
        "heat_removed": mwh(a["heat_to_sea"] + a["heat_to_air"] + a["heat_exported"]) * two,
        "heat_displaced": mwh(to_network) * two,
        "water_input": float(np.sum(a["water_withdrawn"]) * dt) * two,
        "water_consumed": float(np.sum(a["water_consumed"]) * dt) * two,
        "e_renewable": ren * e_dc,
        "co2_emitted": co2_em, "co2_displaced": displaced * two,
        "co2_avoided": avoided, "co2_net": co2_em - avoided,
    }


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _indicators(e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    it = e["e_it"]
    return {
        "pue": _ratio(e["e_dc"], it),
        "ppue_cooling": _ratio(it + e["e_cooling"], it),
        "erf": _ratio(e["e_reuse"], e["e_dc"]),
        "wue": _ratio(e["water_consumed"], it),               # m³/MWh = L/kWh
        "wue_input": _ratio(e["water_input"], it),
        "ref": _ratio(e["e_renewable"], e["e_dc"]),
        "cer": _ratio(e["heat_removed"], e["e_cooling"]),
        "ere": _ratio(e["e_dc"] - e["e_reuse"], it),
        "cue": _ratio(e["co2_emitted"], it),                  # t/MWh = kg/kWh
    }


def _to_dataset(values: dict[str, np.ndarray], extra_dim: tuple[str, Any] | None) -> xr.Dataset:
    import xarray as xr
    dims = ("boundary",) if extra_dim is None else (extra_dim[0], "boundary")
    coords: dict[str, Any] = {"boundary": list(BOUNDARIES)}
    if extra_dim is not None:
        coords[extra_dim[0]] = extra_dim[1]
    out = xr.Dataset(coords=coords)
    for name, (long_name, units, formula, clause) in _DEFS.items():
        out[name] = (dims, np.asarray(values[name], dtype=float))
        out[name].attrs = {"long_name": long_name, "units": units, "formula": formula,
                           "clause": clause}
    return out


@user_api
class KPIs:
    """EU reporting KPIs of a simulated period, for both heat-pump boundaries.

    Attributes
    ----------
    data : xarray.Dataset
        One variable per energy and indicator (listed with their formulas and
        sources in the documentation page "EU reporting KPIs"), dims ``("boundary",)`` or ``("month", "boundary")``;
        each with ``units``, ``long_name``, ``formula`` and ``clause`` attrs. The
        dataset attrs hold the time step, the coverage of failed hours and the
        CO2 and renewable assumptions.
    """

    def __init__(self, data: xr.Dataset) -> None:
        self.data = data

    def __getitem__(self, name: str) -> xr.DataArray:
        return self.data[name]

    @property
    def monthly(self) -> bool:
        """True when the KPIs are per month (dim ``month``)."""
        return "month" in self.data.dims

    def to_dataframe(self) -> Any:
        """The report as a :class:`pandas.DataFrame`, one row per indicator.

        Annual: index = variable name; columns ``quantity``, ``unit``, the two
        boundaries and ``clause``. Monthly: index (variable, month), the same
        columns.
        """
        import pandas as pd
        rows = []
        for name in _DEFS:
            da = self.data[name]
            base = {"name": name, "quantity": da.attrs["long_name"], "unit": da.attrs["units"]}
            if self.monthly:
                for m in da["month"].values:
                    sel = da.sel(month=m)
                    rows.append({**base, "month": pd.Timestamp(m).strftime("%Y-%m"),
                                 **{b: float(sel.sel(boundary=b)) for b in BOUNDARIES},
                                 "clause": da.attrs["clause"]})
            else:
                rows.append({**base, **{b: float(da.sel(boundary=b)) for b in BOUNDARIES},
                             "clause": da.attrs["clause"]})
        index = ["name", "month"] if self.monthly else ["name"]
        return pd.DataFrame(rows).set_index(index)

    def to_markdown(self, *, digits: int = 4) -> str:
        """The report as a Markdown table (no ``tabulate`` needed).

        Annual: one row per quantity, a column per boundary, the unit and the
        clause. Monthly: one table per boundary, months as columns.
        """
        def fmt(x: float) -> str:
            return "n/a" if not np.isfinite(x) else f"{x:.{digits}g}"

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        attrs = self.data.attrs
        notes = ["", f"- Coverage: {attrs['coverage_note']}.",
                 f"- Grid CO2: {esc(attrs['grid_co2'])}.",
                 f"- Displaced heat: {esc(attrs['displaced_heat'])}.",
                 f"- Renewable share: {esc(attrs['renewable_share'])}.",
                 f"- Boundaries: {esc(attrs['boundaries'])}.", ""]
        lines = ["EU data-centre KPIs (Delegated Regulation (EU) 2024/1364, EN 50600-4-x / "
                 "ISO/IEC 30134-x)", ""]
        if not self.monthly:
            lines.append("| quantity | unit | " + " | ".join(BOUNDARIES) + " | clause |")
            lines.append("|---|---|" + "---:|" * len(BOUNDARIES) + "---|")
            for name in _DEFS:
                da = self.data[name]
                vals = " | ".join(fmt(float(da.sel(boundary=b))) for b in BOUNDARIES)
                lines.append(f"| {esc(da.attrs['long_name'])} | {da.attrs['units']} | {vals} "
                             f"| {esc(da.attrs['clause'])} |")
            return "\n".join(lines + notes)
        import pandas as pd
        months = [pd.Timestamp(m).strftime("%Y-%m") for m in self.data["month"].values]
        for b in BOUNDARIES:
            lines.append(f"**{b}**")
            lines.append("")
            lines.append("| quantity | unit | " + " | ".join(months) + " |")
            lines.append("|---|---|" + "---:|" * len(months))
            for name in _DEFS:
                da = self.data[name].sel(boundary=b)
                vals = " | ".join(fmt(float(v)) for v in da.values)
                lines.append(f"| {esc(da.attrs['long_name'])} | {da.attrs['units']} | {vals} |")
            lines.append("")
        return "\n".join(lines + notes[1:])

    def __repr__(self) -> str:
        return self.to_markdown()


@user_api
def eu_kpis(dataset: Any, *, grid_co2: Any = "dataset", displaced_heat: Any = "wood_chips",
            renewable_share: Any = None, failed_hours: str = "raise",
            by: str | None = None) -> KPIs:
    r"""EU reporting KPIs of an annual simulation, for both heat-pump boundaries.

    Parameters
    ----------
    dataset : xarray.Dataset
        The hourly result of ``nt.simulation.annual``: dim ``time``,
        ``attrs["time_step_s"]`` (any regular step; energies are sum × step),
        variables ``it_power``, ``total_power``, ``pump_power``, ``fan_power``,
        ``chiller_power``, ``heat_pump_power``, ``heat_to_sea``, ``heat_to_air``,
        ``heat_exported``, ``heat_delivered``, ``network_losses``, ``heat_boiler``
        [W], ``water_withdrawn``, ``water_consumed`` [m³/s],
        ``grid_co2_intensity`` [g/kWh] (only with ``grid_co2="dataset"``) and
        ``converged`` (bool), each with a ``units`` attribute (converted if
        compatible).
    grid_co2 : str, float or pint.Quantity, optional
        CO2 intensity of the electricity: ``"dataset"`` (default, the hourly
        ``grid_co2_intensity``), a name of :data:`GRID_CO2`
        (``"norway_average"`` 19, ``"norway_residual"`` 402,
        ``"europe_average"`` 294.2, ``"europe_marginal_gas"`` 514 g/kWh), or a
        number/Quantity in g/kWh.
    displaced_heat : str, DisplacedHeat or pint.Quantity, optional
        The heat the exported heat replaces. Default ``"wood_chips"``: Narvik's
        district heating was licensed (2011) as a wood-chip plant (R56, R57);
        biogenic CO2 counted as zero, supply chain 18 g/kWh of fuel [GEK],
        boiler 0.85 [GEK] → 21.2 g per kWh of heat. Others:
        ``"wood_chips_gross"``, ``"oil"``, ``"natural_gas"`` (see
        :data:`DISPLACED_HEAT`), or a Quantity in g CO2 per kWh of heat.
    renewable_share : float, optional
        Fraction of the data-centre electricity that is renewable in the
        regulation's sense (guarantees of origin, PPAs, on-site), for REF.
        Default None: REF is NaN. The physical Norwegian mix (about 98 %
        hydro and wind) is not a claim without guarantees of origin, so no
        default is assumed.
    failed_hours : {"raise", "exclude"}, optional
        Time steps with ``converged=False`` (NaN values). ``"raise"`` (default)
        raises an :class:`InputError` saying how many; ``"exclude"`` computes
        over the converged steps only (energies are not extrapolated) and states
        the coverage in ``result.data.attrs``.
    by : {None, "month"}, optional
        ``"month"``: energies and indicators per calendar month (dim ``month``,
        month-start timestamps; needs a datetime ``time`` coordinate). Monthly
        energies sum to the annual ones.

    Returns
    -------
    KPIs
        ``.data`` (xarray.Dataset with dim ``boundary``), ``.to_dataframe()``,
        ``.to_markdown()``.

    Notes
    -----
    With :math:`\Delta t` the step and sums over the used steps:

    .. math::
        E_{IT} = \sum P_{IT}\Delta t,\quad
        E_{DC} = \sum (P_{tot} - [P_{HP}]_{out})\Delta t,\quad
        PUE = E_{DC}/E_{IT},\quad ERF = E_{REUSE}/E_{DC},

        WUE = W_{IN}/E_{IT}\ [\mathrm{L/kWh}],\quad REF = E_{RES}/E_{DC},\quad
        pPUE_{cool} = (E_{IT}+E_{cool})/E_{IT},\quad CER = Q_{removed}/E_{cool},

        ERE = (E_{DC}-E_{REUSE})/E_{IT},\quad CUE = CO2_{emitted}/E_{IT}.

    ``e_reuse`` outside = heat_exported; inside = heat_delivered +
    network_losses − heat_boiler (what the heat pumps put into the network).
    ``e_cooling`` outside = pumps + fans + chillers; inside also the heat
    pumps. CO2: emitted = Σ E_DC,h·f_h; avoided = heat put into the network ×
    displaced factor, minus (outside only) the heat pumps' electricity × f_h;
    net = emitted − avoided is the same in both boundaries. Sources and the
    verification status of each formula: module docstring and ``docs/kpi.rst``.

    Examples
    --------
    A day at constant load (outside, the heat pumps' 1 MW is not data-centre energy):

    >>> import numpy as np, pandas as pd, xarray as xr
    >>> import narvik_thermal as nt
    >>> P = dict(it_power=10e6, total_power=12e6, pump_power=0.5e6, fan_power=0.2e6,
    ...          chiller_power=0.3e6, heat_pump_power=1e6, heat_to_sea=6e6, heat_to_air=1e6,
    ...          heat_exported=3e6, heat_delivered=3.8e6, network_losses=0.2e6,
    ...          heat_boiler=0.0)
    >>> t = pd.date_range("2025-01-01", periods=24, freq="h")
    >>> ds = xr.Dataset({k: ("time", np.full(24, v), {"units": "W"}) for k, v in P.items()},
    ...                 coords={"time": t}, attrs={"time_step_s": 3600.0})
    >>> for name in ("water_withdrawn", "water_consumed"):
    ...     ds[name] = ("time", np.full(24, 1e-3), {"units": "m^3/s"})
    >>> ds["converged"] = ("time", np.ones(24, bool))
    >>> k = nt.kpi.eu_kpis(ds, grid_co2="norway_average")
    >>> k.data["boundary"].values.tolist()
    ['heat_pumps_outside', 'heat_pumps_inside']
    >>> k.data["pue"].values.round(3), k.data["erf"].values.round(3)
    (array([1.1, 1.2]), array([0.273, 0.333]))
    >>> float(k.data["wue"][0])          # 3.6 m³ per 10 MWh of IT each hour
    0.36
    >>> print(k.to_markdown())                               # doctest: +SKIP
    """
    if by not in (None, "month"):
        raise InputError(f"by={by!r}; expected None (annual) or 'month'.")
    arrays, book = _validated(dataset, grid_co2, failed_hours)
    grid, grid_note = _grid_factor(grid_co2, arrays)
    disp = _displaced(displaced_heat)
    ren = _renewable(renewable_share)
    dt = book["time_step_s"]

    def compute(idx: np.ndarray | slice) -> dict[str, np.ndarray]:
        sub = {k: v[idx] for k, v in arrays.items()}
        g = grid[idx] if isinstance(grid, np.ndarray) else grid
        e = _energies(sub, dt, g, disp, ren)
        return {**e, **_indicators(e)}

    total = compute(slice(None))
    if total["e_it"][0] <= 0:
        raise InputError("dataset['it_power'] is zero over all used time steps; the KPIs "
                         "divide by the IT energy. Check the simulated IT load.")
    if by == "month":
        times = dataset["time"].values if "time" in dataset.coords else None
        if times is None or not np.issubdtype(times.dtype, np.datetime64):
            raise InputError("by='month' needs a datetime 'time' coordinate; the dataset's "
                             "time is not datetime64.")
        all_months = times.astype("datetime64[M]")
        month = all_months[book["keep"]]
        labels = np.unique(all_months)            # a month of failed steps only stays, NaN
        per = [compute(month == m) for m in labels]
        values = {k: np.stack([p[k] for p in per]) for k in _DEFS}
        out = _to_dataset(values, ("month", labels.astype("datetime64[ns]")))
        cover = [np.sum(month == m) / np.sum(all_months == m) for m in labels]
        out["coverage"] = ("month", np.asarray(cover, dtype=float))
    else:
        out = _to_dataset(total, None)
        out["coverage"] = ((), (book["n_total"] - book["n_failed"]) / book["n_total"])
    out["coverage"].attrs = {"long_name": "fraction of time steps used (converged)",
                             "units": "1", "formula": "converged steps / all steps",
                             "clause": "this library"}
    used = book["n_total"] - book["n_failed"]
    from ._metadata import provenance
    out.attrs = {
        **provenance("narvik_thermal.kpi.eu_kpis"),
        "title": "EU data-centre KPIs (Delegated Regulation (EU) 2024/1364 and EN 50600-4-x / "
                 "ISO/IEC 30134-x)",
        "time_step_s": dt, "steps_total": book["n_total"], "steps_used": used,
        "steps_failed": book["n_failed"], "coverage": used / book["n_total"],
        "failed_hours": failed_hours,
        "max_abs_energy_closure": _closure(dataset, book["keep"]),
        "coverage_note": (f"{used} of {book['n_total']} steps ({100 * used / book['n_total']:.2f} %)"
                          + (", failed steps excluded, energies not extrapolated"
                             if book["n_failed"] else "")),
        "grid_co2": grid_note,
        "displaced_heat": f"{disp.name}: {disp.heat_co2:.4g} g/kWh of heat — {disp.source}",
        "renewable_share": ("not given: REF undefined" if not np.isfinite(ren)
                            else f"{ren:g} of E_DC (GO/PPA/on-site, user value)"),
        "boundaries": "heat_pumps_outside: heat-pump electricity not data-centre energy, "
                      "E_REUSE = heat_exported; heat_pumps_inside: it is, E_REUSE = heat put "
                      "into the district-heating network; both less any heat drawn from the "
                      "sea or air",
    }
    return KPIs(out)
