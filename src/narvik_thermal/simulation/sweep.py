"""Scenario sweeps: one annual run per scenario, spread with dask.distributed.

:func:`sweep` builds a campus per scenario with the user's ``make_campus``
(called with that scenario's parameters), runs :func:`~.annual.annual` on the
same weather and stacks the years along a ``scenario`` dimension. Each
scenario is independent (its own campus, cold-started), so the numbers are the
same whether it ran in this process, on a local cluster or on any dask
scheduler.

Where it runs:

- ``client=None`` (default): a local cluster is started for the sweep (one
  single-threaded worker process per core: the solver holds the GIL) and closed
  afterwards;
- a ``distributed.Client``: used as it is (any scheduler address);
- ``client=False``: in this process, one scenario after the other.

A *script* that calls ``sweep`` with a local cluster must do so under
``if __name__ == "__main__":``: the worker processes are started by spawning
and import the script (a notebook or an interactive session needs nothing);
without the guard the cluster cannot start and ``sweep`` says so.

With a cluster, ``make_campus`` must be importable by the workers (a function
of an installed module, :class:`~narvik_thermal.plant.Campus` itself, or a
``functools.partial`` of one); a function defined in a notebook or script is
sent by value by dask (cloudpickle).

A scenario that fails (its campus cannot be built, or an error that is not a
failed hour) is recorded: ``scenario_error`` holds its error and its
variables are NaN; it is counted in a warning, never lost.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any, Callable

import numpy as np

from .._metadata import provenance
from ..errors import InputError, NarvikError, PhysicsWarning, user_api
from .annual import annual

__all__ = ["sweep", "scenario_list"]


def scenario_list(scenarios: Any, *, product: bool = False) -> list[dict]:
    """The scenarios as a list of keyword dicts.

    ``scenarios`` is a mapping of parameter name to a sequence of values (a
    list, an array or an array Quantity): the sequences are zipped (all the
    same length), or crossed with ``product=True``; or a sequence of dicts, one
    per scenario (all with the same keys).
    """
    if isinstance(scenarios, dict):
        if not scenarios:
            raise InputError("sweep: scenarios= is empty; give e.g. "
                             "{'it_power': Q_([10, 20], 'MW')}.")
        cols = {}
        for k, v in scenarios.items():
            if not isinstance(k, str):
                raise InputError(f"sweep: scenario parameter {k!r} must be a keyword name.")
            vals = _values(v, k)
            cols[k] = vals
        if product:
            keys = list(cols)
            return [dict(zip(keys, combo)) for combo in itertools.product(*cols.values())]
        lengths = {k: len(v) for k, v in cols.items()}
        if len(set(lengths.values())) != 1:
            raise InputError(f"sweep: the scenario sequences have different lengths {lengths}; "
                             "give them the same length (zipped) or pass product=True.")
        n = next(iter(lengths.values()))
        return [{k: cols[k][i] for k in cols} for i in range(n)]
    if isinstance(scenarios, (list, tuple)) and scenarios and all(isinstance(s, dict)
                                                                   for s in scenarios):
        keys = set(scenarios[0])
        for i, s in enumerate(scenarios):
            if set(s) != keys:
                raise InputError(f"sweep: scenario {i} has keys {sorted(s)}, scenario 0 has "
                                 f"{sorted(keys)}; every scenario needs the same parameters.")
        return [dict(s) for s in scenarios]
    raise InputError(f"sweep: scenarios={scenarios!r} must be a dict of sequences (e.g. "
                     "{'intake_depth': Q_([20, 40, 60], 'm')}) or a list of dicts.")


def _values(v: Any, name: str) -> list:
    if hasattr(v, "magnitude") and hasattr(v, "units"):          # an array Quantity
        mags = np.atleast_1d(v.magnitude)
        return [type(v)(m, v.units) for m in mags]
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
        raise InputError(f"sweep: scenarios[{name!r}]={v!r} must be a sequence of values, "
                         "one per scenario.")
    vals = list(v)
    if not vals:
        raise InputError(f"sweep: scenarios[{name!r}] is empty.")
    return vals


def _run_one(make_campus: Callable, params: dict, weather: Any, kwargs: dict) -> Any:
    """One scenario: its campus and its year; an error becomes the returned text."""
    try:
        campus = make_campus(**params)
        return annual(campus, weather, warn=False, **kwargs)
    except (NarvikError, ValueError, TypeError, ArithmeticError) as exc:
        return f"{type(exc).__name__}: {exc}"


def _coordinate(values: list, name: str) -> tuple[Any, dict]:
    """A scenario coordinate of plain values and its units attribute (``"1"`` for
    plain numbers, none for strings and booleans)."""
    if all(hasattr(v, "magnitude") and hasattr(v, "units") for v in values):
        u = values[0].units
        return np.array([float(v.to(u).magnitude) for v in values]), {"units": f"{u:~}"}
    try:
        arr = np.array(values)
    except Exception:                                   # pragma: no cover - odd objects
        arr = np.array([repr(v) for v in values])
    if arr.dtype == object:
        arr = np.array([repr(v) for v in values])
    # a plain number is dimensionless (a dimensioned parameter is a Quantity)
    return arr, ({"units": "1"} if arr.dtype.kind in "fiu" else {})


def _coord_name(key: str, ds: Any) -> str:
    """The scenario coordinate of parameter ``key``: its name, or ``param_<name>`` when
    a result variable has that name (e.g. ``it_power``)."""
    return f"param_{key}" if key in ds.variables or key in ("scenario", "time") else key


def _stack(results: list, params: list[dict]) -> Any:
    import xarray as xr
    good = next((r for r in results if not isinstance(r, str)), None)
    if good is None:
        raise InputError("sweep: every scenario failed; the first: " + results[0])
    filled = []
    for r in results:
        if isinstance(r, str):
            blank = xr.full_like(good, np.nan, dtype=float)
            for k in ("converged", "restarted"):
                blank[k] = xr.zeros_like(good[k], dtype=bool)
            for k in ("flags", "error"):
                blank[k] = xr.full_like(good[k], "", dtype=good[k].dtype)
            blank["flag_count"] = xr.zeros_like(good["flag_count"])
            for k in ("outdoor_temperature", "relative_humidity", "sea_temperature",
                      "grid_co2_intensity"):
                if k in good:
                    blank[k] = good[k]
            blank.attrs = {}
            filled.append(blank)
        else:
            filled.append(r)
    attrs_keep = {k: v for k, v in good.attrs.items()
                  if k in ("time_step_s", "site", "hours") or k.startswith("solver_")}
    ds = xr.concat(filled, dim="scenario", data_vars="all", coords="minimal", compat="override",
                   join="exact", combine_attrs="drop")
    for name, var in good.data_vars.items():
        ds[name].attrs = dict(var.attrs)
    ds = ds.assign_coords(scenario=("scenario", np.arange(len(results)),
                                    {"units": "1", "long_name": "scenario number"}))
    for key in params[0]:
        vals, attrs = _coordinate([p[key] for p in params], key)
        attrs["long_name"] = f"scenario parameter {key}"
        ds = ds.assign_coords({_coord_name(key, ds): ("scenario", vals, attrs)})
    errors = np.array([r if isinstance(r, str) else "" for r in results])
    ds["scenario_error"] = ("scenario", errors,
                            {"long_name": "error of a failed scenario ('' if it ran)"})
    ds["hours_failed"] = ("scenario", (~ds["converged"].values).sum(axis=1),
                          {"units": "1", "long_name": "hours not solved (all of a failed "
                                                      "scenario)"})
    ds.attrs = provenance("narvik_thermal.simulation.sweep",
                          title=f"annual operation of {len(results)} scenarios",
                          scenarios=len(results),
                          scenarios_failed=int(sum(isinstance(r, str) for r in results)))
    ds.attrs.update(attrs_keep)      # the annual runs' solver options (the same in each)
    return ds


@user_api
def sweep(make_campus: Callable[..., Any], scenarios: Any, weather: Any, *,
          client: Any = None, product: bool = False, warn: bool = True,
          **annual_kwargs: Any) -> Any:
    """An annual run per scenario, stacked along a ``scenario`` dimension.

    Parameters
    ----------
    make_campus : callable
        Called as ``make_campus(**params)`` for each scenario; returns a
        :class:`~narvik_thermal.plant.Campus` (e.g. ``nt.plant.Campus`` itself,
        or a function that builds one from the parameters).
    scenarios : dict or list of dict
        Parameters per scenario (:func:`scenario_list`), e.g.
        ``{"it_power": Q_([10, 20, 30], "MW")}``.
    weather : xarray.Dataset
        The hourly weather of every scenario (:func:`~.annual.annual`).
    client : None, distributed.Client or False, optional
        Where to run (module notes). Default: a local cluster for the sweep.
    product : bool, optional
        Cross the parameter sequences instead of zipping them.
    warn : bool, optional
        One warning at the end naming failed scenarios and hours.
    **annual_kwargs
        Passed to :func:`~.annual.annual` for every scenario (``it_load``,
        ``heat_demand``, solver options, ...).

    Returns
    -------
    xarray.Dataset
        The variables of :func:`~.annual.annual` with dims ``(scenario, time)``,
        a coordinate per parameter (with ``units``; named after the parameter,
        or ``param_<name>`` where a result variable has that name, e.g.
        ``param_it_power``), ``scenario_error`` and
        ``hours_failed`` per scenario. Attributes: ``scenarios``,
        ``scenarios_failed``, the annual runs' ``time_step_s``, ``site``,
        ``hours`` and solver options (``solver_*``), and the provenance every
        result Dataset has (``Conventions``, ``source``,
        ``narvik_thermal_version``, ``generator``).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> w = nt.climate.site("narvik").hourly(2025).isel(time=slice(0, 24))  # doctest: +SKIP
    >>> runs = nt.simulation.sweep(nt.plant.Campus, {"it_power": nt.Q_([2, 4], "MW")},
    ...                            w, client=False)                          # doctest: +SKIP
    >>> runs["total_power"].sum("time")                                      # doctest: +SKIP
    """
    if not callable(make_campus):
        raise InputError(f"sweep: make_campus={make_campus!r} must be callable (e.g. "
                         "nt.plant.Campus, or a function returning a Campus).")
    params = scenario_list(scenarios, product=product)
    if "warn" in annual_kwargs or "progress" in annual_kwargs:
        raise InputError("sweep: warn=/progress= of the annual runs are set by sweep "
                         "(its own warn= reports failures once).")
    if client is False:
        results = [_run_one(make_campus, p, weather, annual_kwargs) for p in params]
    else:
        results = _on_dask(client, make_campus, params, weather, annual_kwargs)
    ds = _stack(results, params)
    if warn:
        bad = [i for i, r in enumerate(results) if isinstance(r, str)]
        ran = [i for i in range(len(results)) if i not in bad]
        hours = int(ds["hours_failed"].values[ran].sum())
        parts = []
        if bad:
            parts.append(f"{len(bad)} of {len(results)} scenario(s) failed (scenario "
                         f"{bad[0]}: {results[bad[0]]})")
        if hours:
            parts.append(f"{hours} hour(s) failed in the scenarios that ran")
        if parts:
            warnings.warn("sweep: " + "; ".join(parts) + ". See 'scenario_error', "
                          "'hours_failed' and 'converged'.", PhysicsWarning, stacklevel=3)
    return ds


def _on_dask(client: Any, make_campus: Callable, params: list[dict], weather: Any,
             kwargs: dict) -> list:
    from ._dask import dask_client
    with dask_client(client, len(params), "sweep") as cl:
        w = cl.scatter(weather, broadcast=True)
        futures = [cl.submit(_run_one, make_campus, p, w, kwargs, pure=False)
                   for p in params]
        return cl.gather(futures)
