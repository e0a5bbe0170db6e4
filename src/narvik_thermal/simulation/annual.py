r"""A year of operation: every hour an ``operate`` of the one built campus.

:func:`annual` walks an hourly weather Dataset (:meth:`Site.hourly
<narvik_thermal.climate.Site.hourly>`, :func:`~narvik_thermal.climate.weather_from_series`
or :func:`~narvik_thermal.climate.weather_from_epw`) and solves the *built*
plant at each hour with :meth:`Campus.operate <narvik_thermal.plant.Campus.operate>`,
warm-started from the hour before. Nothing is re-sized; the design stays as
it was built.

Every hour is kept. An hour whose solve fails (no convergence, a state outside
the fluid tables) is recorded with ``converged = False``, its error text in
``error`` and NaN in its physical variables — never dropped, never filled in —
and the failures are counted in one warning at the end. The next hour starts
from the last hour that converged.

With ``client=None`` (a local dask cluster) or a ``distributed.Client`` the
hours run in two blocks of consecutive hours per worker (a worker done with one
takes the next left), each block on its own copy of the campus; the hours agree
with a serial run to the solver's tolerances.

The Dataset (dimension ``time``; ``units`` and ``long_name`` on every variable;
SI units):

============================ ======= ============================================================
variable                     units   meaning (``PlantResult`` field)
============================ ======= ============================================================
``it_load``                  1       IT load as a fraction of the installed IT power
``it_power``                 W       ``power["it"]``
``pump_power``               W       ``power["pumps"]`` (electric)
``fan_power``                W       ``power["fans"]`` (air handlers, dry coolers, towers)
``chiller_power``            W       ``power["chillers"]``
``heat_pump_power``          W       ``power["heat_pumps"]``
``total_power``              W       ``power["total"]``: all electricity on site
``heat_to_sea``              W       ``heat["to_sea"]``
``heat_to_air``              W       ``heat["to_air"]``
``heat_exported``            W       ``heat["exported"]``: taken from the facility water by the heat pumps
``heat_delivered``           W       ``heat["delivered"]``: to the district-heating consumers
``network_losses``           W       ``heat["network_losses"]`` (district-heating pipes)
``heat_boiler``              W       ``heat["boiler"]`` (peak heat added in the DH loop)
``heat_demand``              W       district-heating demand asked of this hour
``water_withdrawn``          m^3/s   ``water["withdrawn"]``
``water_consumed``           m^3/s   ``water["consumed"]``
``outdoor_temperature``      degC    from the weather
``relative_humidity``        %       from the weather
``sea_temperature``          degC    from the weather (intake depth)
``grid_co2_intensity``       g/kWh   from the weather (if it has it)
``hottest_chip_temperature`` degC    hottest chip of the hour
``energy_closure``           1       relative residual of the site energy balance
``converged``                —       the hour was solved
``flags``                    —       the flag kinds raised in the hour, ``";"``-joined
``flag_count``               1       number of flags raised in the hour
``error``                    —       the error of a failed hour (``""`` otherwise)
``restarted``                —       the warm start failed; solved again from the design point
``solve_time``               s       wall-clock time of the hour's ``operate``
============================ ======= ============================================================

Attributes: ``time_step_s``, the site and campus names, the installed IT
power, the heat-demand basis, ``hours_failed``, ``hours_restarted``,
``max_energy_closure`` and a count of hours per flag kind (``flag_hours``, a
``"kind: n; ..."`` string that survives NetCDF); and the provenance every result Dataset has:
``Conventions`` (CF-1.10), ``source``, ``narvik_thermal_version``,
``generator`` and the solver options of every hour (``solver_max_newton``, …;
booleans as 1/0). ``year.to_netcdf("year.nc", engine="h5netcdf")`` writes it
all.
"""

from __future__ import annotations

import time as _time
import warnings
from typing import Any

import numpy as np

from .._metadata import provenance
from ..errors import (ConvergenceError, InputError, PhysicsWarning, PropertyError, UnitError,
                      user_api)
from ..solvers import SolverOptions
from ..units import Q_, magnitude, to_si, to_temperature, ureg

__all__ = ["annual", "hourly_heat_demand", "VARIABLES"]

#: Output variables of :func:`annual`: (units, long name).
VARIABLES: dict[str, tuple[str, str]] = {
    "it_load": ("1", "IT load as a fraction of the installed IT power"),
    "it_power": ("W", "IT electricity"),
    "pump_power": ("W", "electricity of all pumps"),
    "fan_power": ("W", "electricity of all fans (air handlers, dry coolers, towers)"),
    "chiller_power": ("W", "electricity of the chillers"),
    "heat_pump_power": ("W", "electricity of the heat pumps"),
    "total_power": ("W", "all electricity on site (IT, pumps, fans, chillers, heat pumps)"),
    "heat_to_sea": ("W", "heat rejected to the sea"),
    "heat_to_air": ("W", "heat rejected to the outdoor air"),
    "heat_exported": ("W", "heat taken from the facility water by the heat pumps"),
    "heat_delivered": ("W", "heat delivered to the district-heating consumers"),
    "network_losses": ("W", "heat lost by the district-heating pipes"),
    "heat_boiler": ("W", "peak heat added in the district-heating loop"),
    "heat_demand": ("W", "district-heating demand asked of the hour"),
    "water_withdrawn": ("m^3/s", "water withdrawn (sea water passing through, make-up)"),
    "water_consumed": ("m^3/s", "water consumed (evaporation, blow-down, drift)"),
    "outdoor_temperature": ("degC", "outdoor dry-bulb air temperature"),
    "relative_humidity": ("%", "relative humidity of the outdoor air"),
    "sea_temperature": ("degC", "sea temperature at the intake"),
    "grid_co2_intensity": ("g/kWh", "CO2 intensity of grid electricity"),
    "hottest_chip_temperature": ("degC", "temperature of the hottest chip"),
    "energy_closure": ("1", "relative residual of the site energy balance"),
    "solve_time": ("s", "wall-clock time of the hour's operate"),
}

_POWER = {"it_power": "it", "pump_power": "pumps", "fan_power": "fans",
          "chiller_power": "chillers", "heat_pump_power": "heat_pumps", "total_power": "total"}
_HEAT = {"heat_to_sea": "to_sea", "heat_to_air": "to_air", "heat_exported": "exported",
         "heat_delivered": "delivered", "network_losses": "network_losses",
         "heat_boiler": "boiler"}
_WATER = {"water_withdrawn": "withdrawn", "water_consumed": "consumed"}
#: Errors of one hour that are recorded as a failed hour (everything else is a
#: mistake of the caller and is raised).
HOUR_ERRORS = (ConvergenceError, PropertyError)
#: the variables each hour's ``operate`` fills (the others come from the inputs)
_SOLVED = tuple(k for k in VARIABLES if k not in (
    "it_load", "outdoor_temperature", "relative_humidity", "sea_temperature",
    "grid_co2_intensity", "heat_demand"))


def _weather_var(weather: Any, name: str, si: str, *, required: bool = True) -> np.ndarray | None:
    """A weather variable as a float array in ``si`` units (K for temperatures, 1 for
    relative humidity), read through its ``units`` attribute."""
    if name not in weather:
        if not required:
            return None
        raise InputError(f"annual: weather has no {name!r} variable (has "
                         f"{sorted(weather.data_vars)}); make it with site.hourly(year), "
                         "nt.climate.weather_from_series(...) or weather_from_epw(...).")
    da = weather[name]
    if da.dims != ("time",):
        raise InputError(f"annual: weather[{name!r}] has dims {da.dims}; expected ('time',).")
    units = da.attrs.get("units")
    if not isinstance(units, str):
        raise InputError(f"annual: weather[{name!r}] has no 'units' attribute; set it "
                         "(e.g. weather[name].attrs['units'] = 'degC').")
    values = np.asarray(da.values, dtype=float)
    if si == "K":
        # a temperature difference or a plain number where an absolute temperature is
        # meant, as units.to_temperature tells them (other units are reported below)
        try:
            q = Q_(1.0, ureg.Unit(units))
        except Exception:             # an undefined unit: reported below, as before
            q = None
        if q is not None and (q.dimensionless or q.check("[temperature]")):
            try:
                to_temperature(q, f"weather[{name!r}]")
            except UnitError:
                raise InputError(f"annual: weather[{name!r}] has units {units!r}: a "
                                 "temperature difference or a number, not an absolute "
                                 "temperature; give 'degC' or 'K'.") from None
    if si == "1" and "%" not in units and units.strip() not in ("1", "", "dimensionless") \
            and not units.strip().startswith("percent"):
        raise InputError(f"annual: weather[{name!r}] has units {units!r}; a relative humidity "
                         "is '1' (0–1) or '%' (0–100).")
    if si == "1" and units.strip() in ("1", "", "dimensionless") and values.size \
            and float(np.nanmax(values)) > 1.0 + 1e-9:
        raise InputError(f"annual: weather[{name!r}] is labelled {units!r} (a fraction 0–1) "
                         f"but reaches {float(np.nanmax(values)):.4g}: percent? Set its "
                         "units attribute to '%'.")
    try:
        unit = ureg.Unit(units)
        out = Q_(values, unit).to(si).magnitude
    except Exception as exc:                       # pint's errors: undefined, dimensionality
        raise InputError(f"annual: weather[{name!r}] has units {units!r}, which cannot be "
                         f"converted to {si!r} ({exc}).") from None
    bad = ~np.isfinite(out)
    if bad.any():
        k = int(np.argmax(bad))
        raise InputError(f"annual: weather[{name!r}] is not finite at {int(bad.sum())} "
                         f"hour(s), the first at {weather['time'].values[k]}; fill or drop "
                         "those hours before the run.")
    if si == "1":
        # refused before the run, like NaN (Campus.operate refuses it at its hour, which
        # would end the run there)
        bad = ~((out > 0.0) & (out <= 1.0 + 1e-9))
        if bad.any():
            k = int(np.argmax(bad))
            raise InputError(
                f"annual: weather[{name!r}] must lie in (0, 100] % ((0, 1] as a fraction) "
                f"every hour; {int(bad.sum())} hour(s) do not, the first "
                f"{values[k]:.4g} {units} at {weather['time'].values[k]}; fill or drop "
                "those hours before the run.")
    return np.asarray(out, dtype=float)


def _series(value: Any, n: int, name: str, si: str, time: np.ndarray) -> np.ndarray:
    """A scalar or an hourly series (Quantity, DataArray with units, plain array) of
    length ``n`` as SI floats."""
    import xarray as xr
    if isinstance(value, xr.DataArray):
        if value.dims != ("time",) or value.sizes["time"] != n:
            raise InputError(f"annual: {name}= is a DataArray of dims {value.dims} and sizes "
                             f"{dict(value.sizes)}; expected dim ('time',) of the weather's "
                             f"{n} hours.")
        if "time" in value.coords and not np.array_equal(value["time"].values, time):
            raise InputError(f"annual: {name}= has other times than the weather; align it "
                             "(e.g. value.reindex_like(weather)).")
        units = value.attrs.get("units", "1" if si == "1" else None)
        if units is None:
            raise InputError(f"annual: {name}= has no 'units' attribute; set it (e.g. 'W').")
        value = Q_(np.asarray(value.values, dtype=float),
                   ureg.Unit(units))
    if hasattr(value, "to") and hasattr(value, "magnitude"):
        try:
            arr = np.asarray(value.to(si).magnitude, dtype=float)
        except Exception as exc:
            raise InputError(f"annual: {name}={value!r} cannot be converted to {si!r} "
                             f"({exc}).") from None
    else:
        if si != "1":
            raise InputError(f"annual: {name}= needs units (a pint Quantity or a DataArray "
                             f"with a 'units' attribute), got {type(value).__name__}.")
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"annual: {name}={value!r} must be a number or a series of "
                             f"{n} numbers.") from None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InputError(f"annual: {name}= has shape {arr.shape}; expected a scalar or "
                         f"{n} hourly values (one per hour of the weather).")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"annual: {name}= has {int((~np.isfinite(arr)).sum())} non-finite "
                         "value(s).")
    return arr


def _design_heat_demand(campus: Any) -> float:
    """The district-heating network's design demand: the sum of its consumers' heats [W]."""
    return float(sum(c.heat.m_as("W") for c in campus.heat_export.dh.consumers))


@user_api
def hourly_heat_demand(campus: Any, outdoor_temperature: Any, *, annual_heat: Any = None,
                       hot_water_share: float = 0.2,
                       time_step: Any = "1 h") -> tuple[np.ndarray, str]:
    """The district-heating demand of each hour for ``campus``'s heat export [W].

    By the degree-hour model of
    :func:`~narvik_thermal.demand.district_heating_demand` (base 17 °C, a flat
    hot-water share), driven by ``outdoor_temperature``:

    - with ``annual_heat``: the series sums to it over the hours given;
    - without: scaled so the coldest hour asks exactly the network's design
      demand (the sum of its consumers' heats; the network is sized for its
      peak). The annual total then follows from the weather; it is stated in
      the returned basis text.

    ``time_step`` is the length of one step of the series (one hour by default).

    Returns
    -------
    (numpy.ndarray, str)
        Demand per step [W] and a sentence stating the basis.
    """
    from ..demand import district_heating_demand
    T = np.asarray(outdoor_temperature, dtype=float)
    dt = float(to_si(time_step, "s", "time_step"))
    shape = district_heating_demand(Q_(T, "K"), annual_heat=Q_(1.0, "GWh"),
                                    hot_water_share=hot_water_share,
                                    time_step=Q_(dt, "s")).m_as("W")
    if annual_heat is not None:
        q = district_heating_demand(Q_(T, "K"), annual_heat=annual_heat,
                                    hot_water_share=hot_water_share,
                                    time_step=Q_(dt, "s")).m_as("W")
        basis = (f"degree-hour model (base 17 °C, hot-water share {hot_water_share:g}) "
                 f"summing to annual_heat={annual_heat}")
    else:
        peak = _design_heat_demand(campus)
        q = shape * peak / float(shape.max())
        basis = (f"degree-hour model (base 17 °C, hot-water share {hot_water_share:g}) "
                 f"scaled so the coldest hour asks the network's design demand "
                 f"{peak / 1e6:.4g} MW; total {q.sum() * dt / 3.6e12:.4g} GWh over "
                 f"{q.size * dt / 3600:.6g} h")
    return np.asarray(q, dtype=float), basis


def _progress(n: int, progress: Any) -> Any:
    if not progress:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=n, unit="h", desc="annual", mininterval=0.5)


@user_api
def annual(campus: Any, weather: Any, *, it_load: Any = 1.0, heat_demand: Any = None,
           annual_heat: Any = None, progress: bool = False, warn: bool = True,
           client: Any = False, time_step: Any = None, **options: Any) -> Any:
    """Operate the built ``campus`` through every hour of ``weather``.

    Parameters
    ----------
    campus : narvik_thermal.plant.Campus
        The built campus (sized once; :meth:`~narvik_thermal.plant.Campus.operate`
        is called for every hour).
    weather : xarray.Dataset
        Hourly weather with dim ``time`` and ``units`` attributes:
        ``outdoor_temperature``; ``sea_temperature`` for a fjord plant;
        ``relative_humidity`` for an air-side plant; optionally
        ``grid_co2_intensity`` (copied to the result for the KPIs). A variable
        the plant does not need may be missing; then it is missing from the
        result too. From :meth:`Site.hourly
        <narvik_thermal.climate.Site.hourly>` or the user's own series
        (:func:`~narvik_thermal.climate.weather_from_series`).
    it_load : float, array or xarray.DataArray, optional
        IT load as a fraction of the installed IT power: one value, or one per
        hour. Default 1.
    heat_demand : pint.Quantity or xarray.DataArray, optional
        District-heating demand per hour (campuses with heat export only).
        Default: :func:`hourly_heat_demand` from the same outdoor temperature.
    annual_heat : pint.Quantity, optional
        Annual district-heating demand for the default model (the hourly
        demand then sums to it); ignored when ``heat_demand`` is given.
    progress : bool, optional
        Show a progress bar (tqdm). Default False.
    warn : bool, optional
        Issue one warning at the end counting failed hours, flags and energy
        closures above 1e-6 (default True). The hours themselves never warn.
    client : False, None or distributed.Client, optional
        Where the hours run. ``False`` (default): in this process, one after the
        other, each warm-started from the hour before; ``campus`` is left at the
        last hour. ``None`` (a local dask cluster, one single-threaded worker
        process per core, closed afterwards) or a ``distributed.Client``: the
        hours are split into two blocks of consecutive hours per worker (a worker
        done with one takes the next left, which evens out seasons of different
        cost), each block run the same way on a copy of ``campus`` (its first hour
        warm-started from ``campus`` as it is); ``campus`` itself is not
        operated. The hours agree with the serial run to the solver's
        tolerances, not bit for bit (a block's first hour starts from another
        state). A script that starts a local cluster must do so under
        ``if __name__ == "__main__":`` (see :func:`~narvik_thermal.simulation.sweep`).
    time_step : pint.Quantity, optional
        The time each point stands for, by which its energies are weighted. Default:
        the step of the weather's time axis, or one hour for a single point. Given
        with two points or more, it must equal the axis's step (a single point
        sampled every 100 h of a year: ``time_step=Q_(100, "h")``; without it that
        point counted one hour).
    **options
        :class:`~narvik_thermal.SolverOptions` fields, passed to every
        ``operate``.

    Returns
    -------
    xarray.Dataset
        Dimension ``time``; the variables of :data:`VARIABLES` and ``converged``,
        ``flags``, ``flag_count``, ``error``, ``restarted`` (module notes).

    Raises
    ------
    InputError
        A missing or non-finite weather variable, a series of the wrong length,
        ``heat_demand`` without heat export.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> site = nt.climate.site("narvik")
    >>> campus = nt.plant.Campus(nt.Q_(2, "MW"), site=site)      # doctest: +SKIP
    >>> year = nt.simulation.annual(campus, site.hourly(2025))     # doctest: +SKIP
    >>> float(year["total_power"].mean() / year["it_power"].mean())  # doctest: +SKIP
    """
    import xarray as xr
    from ..plant.campus import Campus
    from ..plant.operating_point import check_outdoor_temperature, check_sea_temperature
    if not isinstance(campus, Campus):
        raise InputError(f"annual: campus= must be a narvik_thermal.plant.Campus, got "
                         f"{type(campus).__name__}.")
    if not isinstance(weather, xr.Dataset) or "time" not in weather.dims:
        raise InputError("annual: weather= must be an xarray.Dataset with a 'time' dimension "
                         "(site.hourly(year), nt.climate.weather_from_series(...)), got "
                         f"{type(weather).__name__}.")
    n = int(weather.sizes["time"])
    if n == 0:
        raise InputError("annual: weather= has no hours.")
    time = weather["time"].values
    step = _time_step(time)
    if time_step is not None:
        given = float(to_si(time_step, "s", "annual: time_step"))
        if not (np.isfinite(given) and given > 0):
            raise InputError(f"annual: time_step={time_step!r} must be a positive duration.")
        if n >= 2 and abs(given - step) > 1e-6 * step:
            raise InputError(f"annual: time_step={time_step!r} differs from the step of the "
                             f"weather's time axis ({step / 3600.0:g} h); give the axis's "
                             "step, or leave time_step out.")
        step = given
    T_out = _weather_var(weather, "outdoor_temperature", "K")
    fjord = campus.operating_design["fjord"] is not None
    rh = _weather_var(weather, "relative_humidity", "1", required=not fjord)
    T_sea = _weather_var(weather, "sea_temperature", "K", required=fjord)
    # refused before the run (Campus.operate refuses them at their hour)
    check_outdoor_temperature(T_out, "annual: weather['outdoor_temperature']")
    if fjord and T_sea is not None:
        check_sea_temperature(T_sea, campus.operating_design["fjord"]["salinity"],
                              "annual: weather['sea_temperature']")
    co2 = _weather_var(weather, "grid_co2_intensity", "g/kWh", required=False)
    load = _series(it_load, n, "it_load", "1", time)
    bad = (load <= 0) | (load > 1.2)
    if bad.any():
        raise InputError(f"annual: it_load= must lie in (0, 1.2] every hour; "
                         f"{int(bad.sum())} hour(s) do not (first value {load[bad][0]!r}).")
    export = campus.heat_export is not None
    if not export and (heat_demand is not None or annual_heat is not None):
        raise InputError("annual: heat_demand=/annual_heat= need a campus with heat export "
                         "(Campus(heat_export=nt.plant.HeatExport(...))).")
    demand_basis = "no heat export"
    demand = np.zeros(n)
    if export:
        if heat_demand is not None:
            demand = _series(heat_demand, n, "heat_demand", "W", time)
            if (demand < 0).any():
                raise InputError("annual: heat_demand= must be ≥ 0 W every hour.")
            demand_basis = "given by the caller (heat_demand=)"
        else:
            demand, demand_basis = hourly_heat_demand(campus, T_out, annual_heat=annual_heat,
                                                      time_step=Q_(step, "s"))
            hours = n * step / 3600.0
            design = _design_heat_demand(campus)
            if annual_heat is not None and hours < 0.9 * 8760.0 and n \
                    and float(demand.max()) > 2.0 * design:
                # the heat of a year spread over the hours given: a short run asks the
                # town network for many times its design demand
                raise InputError(
                    f"annual: annual_heat={annual_heat} is spread over the {hours:.6g} h "
                    f"given, not a year: up to {float(demand.max()) / 1e6:.4g} MW an hour "
                    f"against the network's design demand of {design / 1e6:.4g} MW. Give "
                    "the heat of these hours (annual_heat scaled by their share of the "
                    "year), a heat_demand= series, or neither (the design demand at the "
                    "coldest hour).")

    out = {k: np.full(n, np.nan) for k in VARIABLES}
    out["it_load"][:] = load
    out["outdoor_temperature"][:] = T_out - 273.15
    if rh is not None:
        out["relative_humidity"][:] = rh * 100.0
    if T_sea is not None:
        out["sea_temperature"][:] = T_sea - 273.15
    if co2 is not None:
        out["grid_co2_intensity"][:] = co2
    out["heat_demand"][:] = demand if export else 0.0
    solver = _solver_options(options)
    options = dict(options)
    options["warn"] = False
    inputs = dict(T_out=T_out, rh=rh, T_sea=T_sea, load=load,
                  demand=demand if export else None)
    if client is False:
        bar = _progress(n, progress)
        try:
            got = _run_hours(campus, inputs, options, bar)
        finally:
            if bar is not None:
                bar.close()
    else:
        got = _run_blocks(client, campus, inputs, options, n, progress)
    for k, v in got["out"].items():
        out[k][:] = v
    converged, flags, flag_count, errors, restarted = (
        got[k] for k in ("converged", "flags", "flag_count", "errors", "restarted"))
    flag_hours = got["flag_hours"]

    data = {k: ("time", v, {"units": VARIABLES[k][0], "long_name": VARIABLES[k][1]})
            for k, v in out.items()
            if not (k == "grid_co2_intensity" and co2 is None)
            and not (k == "sea_temperature" and T_sea is None)
            and not (k == "relative_humidity" and rh is None)}
    data["converged"] = ("time", converged, {"long_name": "the hour was solved"})
    data["flags"] = ("time", flags.astype(str),
                     {"long_name": "flag kinds raised in the hour, ';'-joined"})
    data["flag_count"] = ("time", flag_count, {"units": "1",
                                                "long_name": "number of flags in the hour"})
    data["error"] = ("time", errors.astype(str),
                     {"long_name": "error of a failed hour ('' if it converged)"})
    data["restarted"] = ("time", restarted,
                         {"long_name": "the warm start failed; solved again from the "
                                       "design point"})
    failed = int(n - converged.sum())
    closure = out["energy_closure"][converged]
    max_closure = float(closure.max()) if closure.size else float("nan")
    attrs = provenance(
        "narvik_thermal.simulation.annual", solver,
        title=f"annual operation of campus {campus.name!r}",
        site=getattr(campus.site, "name", "none") if campus.site is not None else "none",
        campus=campus.name,
        it_capacity_W=float(campus.it_power.m_as("W")),
        time_step_s=step,
        heat_demand_basis=demand_basis,
        hours=n,
        hours_failed=failed,
        hours_restarted=int(restarted.sum()),
        max_energy_closure=max_closure,
        flag_hours="; ".join(f"{k}: {v}" for k, v in sorted(flag_hours.items())))
    ds = xr.Dataset(data, coords={"time": ("time", time, {"long_name": "time"})}, attrs=attrs)
    if warn:
        _report(ds, failed, max_closure, flag_hours, errors)
    return ds


def _run_hours(campus: Any, inputs: dict, options: dict, bar: Any = None) -> dict:
    """Operate ``campus`` through the hours of ``inputs`` (arrays of one block: outdoor
    and sea temperature [K], relative humidity, IT load, town demand [W] or None),
    each warm-started from the last that converged; what :func:`annual` puts in its
    Dataset, per hour, and the count of hours per flag kind."""
    load = inputs["load"]
    n = load.size
    T_out, rh, T_sea, demand = (inputs[k] for k in ("T_out", "rh", "T_sea", "demand"))
    out = {k: np.full(n, np.nan) for k in _SOLVED}
    converged = np.zeros(n, dtype=bool)
    flags = np.full(n, "", dtype=object)
    flag_count = np.zeros(n, dtype=np.int64)
    errors = np.full(n, "", dtype=object)
    restarted = np.zeros(n, dtype=bool)
    flag_hours: dict[str, int] = {}
    for h in range(n):
        kw: dict[str, Any] = dict(outdoor_temperature=Q_(T_out[h], "K"))
        if rh is not None:
            kw["relative_humidity"] = float(rh[h])
        if T_sea is not None:
            kw["sea_temperature"] = Q_(T_sea[h], "K")
        if demand is not None:
            kw["heat_demand"] = Q_(demand[h], "W")
        t0 = _time.perf_counter()
        try:
            op = campus.operate(float(load[h]), **kw, **options)
        except HOUR_ERRORS as exc:
            errors[h] = f"{type(exc).__name__}: {exc}"
            out["solve_time"][h] = _time.perf_counter() - t0
            if bar is not None:
                bar.update(1)
            continue
        out["solve_time"][h] = _time.perf_counter() - t0
        converged[h] = True
        restarted[h] = "restarted" in op.result.convergence
        for var, key in _POWER.items():
            out[var][h] = magnitude(op.power[key], "W")
        for var, key in _HEAT.items():
            out[var][h] = magnitude(op.heat[key], "W")
        for var, key in _WATER.items():
            out[var][h] = magnitude(op.water[key], "m^3/s")
        out["hottest_chip_temperature"][h] = magnitude(op.hottest_chip_temperature, "degC")
        out["energy_closure"][h] = op.energy_closure
        kinds = sorted({f.kind for f in op.flags})
        flags[h] = ";".join(kinds)
        flag_count[h] = len(op.flags)
        for k in kinds:
            flag_hours[k] = flag_hours.get(k, 0) + 1
        if bar is not None:
            bar.update(1)
    return dict(out=out, converged=converged, flags=flags, flag_count=flag_count,
                errors=errors, restarted=restarted, flag_hours=flag_hours)


def _run_block(campus_bytes: bytes, inputs: dict, options: dict) -> dict:
    """:func:`_run_hours` on a copy of the campus pickled in ``campus_bytes``."""
    import pickle
    return _run_hours(pickle.loads(campus_bytes), inputs, options)


#: blocks of consecutive hours per dask worker (see :func:`_run_blocks`)
_BLOCKS_PER_WORKER = 2


def _run_blocks(client: Any, campus: Any, inputs: dict, options: dict, n: int,
                progress: Any) -> dict:
    """:func:`_run_hours` on dask: two blocks of consecutive hours per worker, each on
    a copy of ``campus``; the blocks' results joined in hour order."""
    from ._dask import dask_client
    with dask_client(client, n, "annual") as cl:
        import cloudpickle            # a dependency of dask.distributed

        # every block its own copy of the campus, also on workers that share this
        # process (threads): sent as bytes and unpickled by the task
        blob = cloudpickle.dumps(campus)
        workers = max(1, min(n, len(cl.scheduler_info().get("workers", {})) or 1))
        # two blocks per worker: a worker that finishes its first block takes the next
        # one left, which evens out seasons of different cost (a worker's later blocks
        # start in a warm process, from the campus as sent)
        edges = np.linspace(0, n, _BLOCKS_PER_WORKER * workers + 1).round().astype(int)
        blocks = [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]
        futures = [cl.submit(_run_block, blob,
                             {k: (None if v is None else v[a:b]) for k, v in inputs.items()},
                             options, pure=False) for a, b in blocks]
        bar = _progress(n, progress)
        try:
            if bar is not None:
                from distributed import as_completed
                for f in as_completed(futures):
                    bar.update(int(f.result()["converged"].size))
            parts = cl.gather(futures)
        finally:
            if bar is not None:
                bar.close()
    flag_hours: dict[str, int] = {}
    for p in parts:
        for k, v in p["flag_hours"].items():
            flag_hours[k] = flag_hours.get(k, 0) + v
    return dict(out={k: np.concatenate([p["out"][k] for p in parts]) for k in _SOLVED},
                **{k: np.concatenate([p[k] for p in parts])
                   for k in ("converged", "flags", "flag_count", "errors", "restarted")},
                flag_hours=flag_hours)


def _solver_options(options: dict) -> SolverOptions:
    """The solver options every hour's ``operate`` uses: ``options=`` (a
    :class:`~narvik_thermal.SolverOptions`) or the defaults, with the named fields
    changed (an unknown name is an InputError before the first hour)."""
    fields = {k: v for k, v in options.items() if k not in ("options", "warn")}
    base = options.get("options")
    if base is None:
        base = SolverOptions()
    elif not isinstance(base, SolverOptions):
        raise InputError(f"annual: options={base!r} must be a narvik_thermal.SolverOptions.")
    return base.replace(**fields)


def _time_step(time: np.ndarray) -> float:
    """The (regular) step of the weather's time axis [s]; one hour for a single hour."""
    if time.size < 2:
        return 3600.0
    if not np.issubdtype(time.dtype, np.datetime64):
        raise InputError("annual: the weather's 'time' coordinate must be datetimes "
                         f"(dtype {time.dtype}).")
    d = np.diff(time).astype("timedelta64[ns]").astype(np.int64) / 1e9
    if not np.allclose(d, d[0]) or d[0] <= 0:
        raise InputError("annual: the weather's time steps must be regular and increasing "
                         f"(found steps from {d.min():g} s to {d.max():g} s).")
    return float(d[0])


def _report(ds: Any, failed: int, max_closure: float, flag_hours: dict, errors: Any) -> None:
    """One warning for the whole run: failed hours, flags and energy closures above 1e-6."""
    n = ds.sizes["time"]
    parts = []
    if failed:
        k = int(np.argmax(~ds["converged"].values))
        parts.append(f"{failed} of {n} hour(s) failed (converged=False, NaN values; the "
                     f"first at {ds['time'].values[k]}: {errors[k]})")
    if flag_hours:
        parts.append("flags in " + ", ".join(f"{v} h {k}" for k, v in
                                             sorted(flag_hours.items())))
    if np.isfinite(max_closure) and max_closure > 1e-6:
        parts.append(f"energy balance closes only to {max_closure:.2e} in the worst hour")
    if parts:
        warnings.warn("annual: " + "; ".join(parts) + ". See the Dataset's 'converged', "
                      "'error' and 'flags'.", PhysicsWarning, stacklevel=3)
