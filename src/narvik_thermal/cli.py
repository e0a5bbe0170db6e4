"""The ``narvik-thermal`` command (also ``python -m narvik_thermal``).

``narvik-thermal COMMAND --help`` explains every option of a command, with its unit
and default.

Sub-commands
------------
``demo``
    Builds and solves the embedded Narvik phase 1 (20 MW of GB300-class racks,
    CDUs, facility water, fjord heat exchangers) with heat pumps on the
    facility-water return feeding a district-heating network at 85 °C, in one
    network; prints its key figures with units and its summary, and writes the
    node and edge results with the key figures to NetCDF (``--out``, default
    ``narvik-demo.nc``; ``--no-out`` writes nothing). Nothing is canned: every
    number is solved.
``solve FILE``
    Loads a network file (YAML/JSON, :func:`narvik_thermal.load_network`),
    solves it (solver options with ``--option NAME=VALUE``, the fields of
    :class:`narvik_thermal.SolverOptions`) and prints its summary; ``--nodes`` and
    ``--edges`` write the node and edge results to CSV or NetCDF, chosen by the
    suffix ``.csv`` / ``.nc``.
``operate``
    Builds a campus at a site (sized at the site's design conditions) and operates
    it at one point (:meth:`narvik_thermal.plant.Campus.operate`): IT load, sea
    and outdoor conditions (given, the site's normals of ``--month``, or the design
    point), heat demand; prints the power, heat, water and energy closure of the
    site and the plant summary; ``--out`` writes the network state and the key
    figures to NetCDF.
``annual``
    Operates a campus built at a site through a synthetic weather year
    (:func:`narvik_thermal.simulation.annual`, with a progress bar), prints the
    year's energy and the EU reporting KPIs (:func:`narvik_thermal.kpi.eu_kpis`) and
    writes the hourly Dataset to NetCDF or CSV with ``--out``.
``transient``
    A CDU pump trip in a row of racks (:func:`narvik_thermal.plant.cdu_row_network`, as in
    ``examples/06_cdu_pump_trip``:
    duty and standby pumps behind check valves, the CDU heat exchanger to facility
    water) run by :func:`narvik_thermal.transient.simulate`: the duty pump trips
    (at once or running down), the standby pump starts after a delay or never;
    prints the hottest chip's peak and the time to its limit and writes the
    time series to NetCDF with ``--out``.
``audit``
    Judges the public claims about the Narvik site with the library's models
    (:func:`narvik_thermal.audit.claims`): prints each claim's answer, verdict and
    reason, or JSON with ``--json``; ``--report`` writes an HTML report;
    ``--assume CLAIM.NAME=VALUE`` changes an assumption.

Exit status: 0 done; 1 a solve did not converge (the last iterate is
summarised), hours of ``annual`` failed, or the reader of the output closed it;
2 a usage error, a bad network file, a bad output path or a network that is not
well posed (the message, on stderr after ``narvik-thermal: error:``, says what
and how to fix it; no traceback); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["main", "demo"]

_REJECTION = ("fjord", "dry_cooler", "cooling_tower")

#: the site figures of an operating point, written as scalar variables (the names
#: and units of the hourly variables of ``narvik_thermal.simulation.annual``):
#: variable -> (PlantResult attribute, key)
_FIGURES = {
    "it_power": ("power", "it"), "pump_power": ("power", "pumps"),
    "fan_power": ("power", "fans"), "chiller_power": ("power", "chillers"),
    "heat_pump_power": ("power", "heat_pumps"), "total_power": ("power", "total"),
    "heat_to_sea": ("heat", "to_sea"), "heat_to_air": ("heat", "to_air"),
    "heat_exported": ("heat", "exported"), "heat_delivered": ("heat", "delivered"),
    "network_losses": ("heat", "network_losses"), "heat_boiler": ("heat", "boiler"),
    "water_withdrawn": ("water", "withdrawn"), "water_consumed": ("water", "consumed"),
}


# ---------------------------------------------------------------- argument values
def _quantity(text: str, option: str, unit: str, example: str, *,
              positive: bool = False, minimum: float | None = None,
              usage: str | None = None) -> Any:
    """A command-line quantity such as ``"20 MW"`` or ``"-8 degC"`` in ``unit``.

    Parameters
    ----------
    text : str
        What the user typed.
    option : str
        The option's name, for the message (``"--it-power"``).
    unit : str
        Unit to convert to; ``"degC"`` asks for an absolute temperature.
    example : str
        A valid value for the message (``"20 MW"``).
    positive, minimum : optional
        The value must be > 0, or ≥ ``minimum`` (in ``unit``).
    usage : str, optional
        The example as typed on the command line, for the message; default
        ``{option} "{example}"`` (``--it-power "20 MW"``).

    Returns
    -------
    pint.Quantity
        In ``unit``.

    Raises
    ------
    InputError
        Naming the option and the value, what was expected and an example.
    """
    import pint

    from . import units as U
    from .errors import InputError, NarvikError
    what = ("an absolute temperature" if unit == "degC" else "a fraction" if unit == ""
            else f"a quantity in {unit} units")
    usage = usage or f"{option} \"{example}\""
    try:
        if unit == "degC":
            mag = float(U.to_temperature(text, option)) - 273.15
        else:
            mag = float(U.to_si(text, unit, option))
    except (NarvikError, pint.PintError, ValueError, TypeError) as exc:
        q = None
        try:
            q = U.parse(text, option)
        except NarvikError:
            pass
        if q is None:
            why = "write '<number> <unit>'"
        elif q.dimensionality != U.Q_(1, unit).dimensionality:
            why = f"its dimension is {q.dimensionality}"
        elif unit == "degC":
            why = "it is a temperature difference"
        else:
            why = str(exc)
        raise InputError(f"{option}={text!r} is not {what} ({why}); write e.g. "
                         f"{usage}.") from None
    if not math.isfinite(mag):
        raise InputError(f"{option}={text!r} is not finite; write e.g. {usage}.")
    if positive and not mag > 0:
        raise InputError(f"{option}={text!r} must be positive; write e.g. {usage}.")
    if minimum is not None and mag < minimum:
        raise InputError(f"{option}={text!r} must be at least {minimum:g} {unit}; write e.g. "
                         f"{usage}.")
    return U.Q_(mag, unit)


def _optional_time(text: str | None, option: str, example: str) -> Any:
    """A time ≥ 0, or None for ``none`` (or an empty string)."""
    if text is None or text.strip().lower() in ("", "none"):
        return None
    return _quantity(text, option, "s", example, minimum=0.0)


def _solver_options(items: list[str] | None) -> dict:
    """``--option NAME=VALUE`` items as :class:`~narvik_thermal.SolverOptions` fields,
    each value read by the field's type and the whole set checked by SolverOptions."""
    import difflib
    from dataclasses import fields

    from .errors import InputError
    from .solvers.options import SolverOptions
    defaults = SolverOptions()
    names = [f.name for f in fields(SolverOptions)]
    out: dict[str, Any] = {}
    for item in items or ():
        name, sep, text = item.partition("=")
        name, text = name.strip().replace("-", "_"), text.strip()
        if not sep or not name or not text:
            raise InputError(f"--option {item!r}: write NAME=VALUE, e.g. --option "
                             f"max_newton=100; the names are {names}.")
        if name not in names:
            close = difflib.get_close_matches(name, names, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise InputError(f"--option {item!r}: unknown solver option {name!r}.{hint} The "
                             f"options are {names}.")
        default = getattr(defaults, name)
        if isinstance(default, bool):
            low = text.lower()
            if low not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
                raise InputError(f"--option {item!r}: {name} is true or false, not {text!r}.")
            value: Any = low in ("true", "yes", "1", "on")
        elif name == "initial_temperature":               # with its unit; the field is K
            value = _quantity(text, f"--option {name}", "degC", "20 degC",
                              usage=f'--option "{name}=20 degC"').m_as("K")
        elif isinstance(default, (int, float)):
            try:
                value = float(text)
            except ValueError:
                raise InputError(f"--option {item!r}: {name} must be a number, e.g. "
                                 f"{name}={default!r}; got {text!r}.") from None
            if isinstance(default, int):
                if not value.is_integer():
                    raise InputError(f"--option {item!r}: {name} must be a whole number, e.g. "
                                     f"{name}={default}.")
                value = int(value)
        else:
            value = text
        out[name] = value
    try:
        SolverOptions(**out)
    except InputError as exc:
        raise InputError(f"--option: {str(exc).replace('SolverOptions: ', '')}") from None
    return out


def _options_help() -> str:
    """The help of ``--option``: every field with its default written as ``--option``
    takes it (``NAME=VALUE``, quoted where the value has a space)."""
    from dataclasses import fields

    from .solvers.options import SolverOptions
    d = SolverOptions()

    def item(name: str) -> str:
        value = getattr(d, name)
        if name == "initial_temperature":                 # the field is K; typed with a unit
            return f'"{name}={value - 273.15:g} degC"'
        if isinstance(value, bool):
            return f"{name}={str(value).lower()}"
        return f"{name}={value}"
    listed = ", ".join(item(f.name) for f in fields(SolverOptions))
    return ("a solver option NAME=VALUE, repeatable, quoted where VALUE has a space: a field "
            "of nt.SolverOptions, e.g. --option max_newton=100 or --option "
            '"initial_temperature=20 degC" (a temperature with its unit); the fields with '
            f"their defaults: {listed} (temperature_tol in K)")


# ------------------------------------------------------------------ output files
def _output_path(text: str | None, option: str, suffixes: tuple[str, ...]) -> Path | None:
    """The path of an output file, checked before any work: its suffix chooses the
    format; its folder must exist. None for no file (``None`` or ``""``)."""
    from .errors import InputError
    if text is None or text == "":
        return None
    path = Path(text)
    if path.suffix.lower() not in suffixes:
        raise InputError(f"{option}={text!r}: the file name must end in "
                         f"{' or '.join(suffixes)} (the suffix chooses the format); e.g. "
                         f"{option} results{suffixes[0]}.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{option}={text!r}: the folder {str(parent)!r} does not exist; "
                         "create it or choose another path.")
    if path.is_dir():
        raise InputError(f"{option}={text!r} is a folder; give a file name.")
    return path


def _write(ds: Any, path: Path, option: str) -> None:
    """Write a Dataset to ``path``: NetCDF-4 (``.nc``, through h5netcdf) or CSV
    (``.csv``, for a Dataset of one dimension: one row per element, each column headed
    ``name [units]`` from the variable's ``units`` attribute)."""
    from .errors import InputError
    try:
        if path.suffix.lower() == ".csv":
            df = ds.to_dataframe()
            df.columns = [f"{c} [{ds[c].attrs['units']}]" if "units" in ds[c].attrs else c
                          for c in df.columns]
            df.to_csv(path)
        else:
            ds.to_netcdf(path, engine="h5netcdf")
    except OSError as exc:
        raise InputError(f"{option}={str(path)!r}: cannot write the file "
                         f"({exc.strerror or exc}).") from None


def _network_dataset(result: Any) -> Any:
    """The node and edge results of a solve in one Dataset (dimensions ``node`` and
    ``edge``; the variables of ``result.nodes`` and ``result.edges``)."""
    import xarray as xr
    return xr.merge([result.nodes, result.edges], compat="no_conflicts")


def _plant_dataset(plant: Any, title: str) -> Any:
    """A solved plant's network state with its site figures as scalar variables (the
    names, units and long names of :data:`narvik_thermal.simulation.annual.VARIABLES`)."""
    from .simulation.annual import VARIABLES
    ds = _network_dataset(plant.result)
    for var, (field, key) in _FIGURES.items():
        unit, long_name = VARIABLES[var]
        ds[var] = ((), getattr(plant, field)[key].m_as(unit), {"units": unit,
                                                               "long_name": long_name})
    ds["hottest_chip_temperature"] = ((), plant.hottest_chip_temperature.m_as("degC"),
                                      {"units": "degC",
                                       "long_name": VARIABLES["hottest_chip_temperature"][1]})
    ds["energy_closure"] = ((), plant.energy_closure,
                            {"units": "1", "long_name": VARIABLES["energy_closure"][1]})
    ds.attrs = {"title": title, "campus": plant.campus.name,
                "converged": int(plant.result.converged),
                "flags": "; ".join(f.kind for f in plant.flags),
                "generator": "narvik_thermal.cli"}
    return ds


def _key_figures(plant: Any) -> str:
    """The figures a planner reads first, with units (an operating point of a campus)."""
    p, h, w = plant.power, plant.heat, plant.water
    mw = lambda q: f"{q.m_as('MW'):.3f} MW"  # noqa: E731
    hc = plant.result.hottest_chip()
    rows = []
    T_sea = (plant.operating or {}).get("sea_temperature")
    if T_sea is not None:
        rows.append(("sea temperature at the intake", f"{T_sea - 273.15:.2f} °C"))
    rows += [("IT power", mw(p["it"])), ("heat to the sea", mw(h["to_sea"])),
             ("heat to the outdoor air", mw(h["to_air"]))]
    if plant.heat_export is not None:
        cop = plant.heat_export.heat_pump["cop"].m_as("")
        rows += [("heat into the heat pumps", f"{mw(h['exported'])} (from the facility water)"),
                 ("heat delivered to the town", f"{mw(h['delivered'])} (network losses "
                  f"{mw(h['network_losses'])})"),
                 ("heat-pump electricity", f"{mw(p['heat_pumps'])} (COP {cop:.2f})")]
    rows += [("pumps / fans / chillers", f"{mw(p['pumps'])} / {mw(p['fans'])} / "
              f"{mw(p['chillers'])} electric"),
             ("total electricity", f"{mw(p['total'])}; total / IT "
              f"{(p['total'] / p['it']).m_as(''):.4f} at this point (PUE over a year: "
              "narvik-thermal annual)"),
             ("water withdrawn / consumed", f"{w['withdrawn'].m_as('m^3/h'):.1f} / "
              f"{w['consumed'].m_as('m^3/h'):.2f} m³/h"),
             ("hottest chip", f"{hc.name} at {hc.temperature.m_as('degC'):.2f} °C"
              + (f" (limit {hc.limit.m_as('degC'):.1f} °C, margin "
                 f"{hc.margin.m_as('K'):.2f} K)" if math.isfinite(hc.limit.m) else "")),
             ("site energy closure", f"{plant.energy_closure:.1e} (relative)")]
    return "\n".join(["Key figures:"] + [f"  {k:<30} {v}" for k, v in rows])


# ------------------------------------------------------------------------ demo
def demo(out: Any = None, netcdf: str | None = None, figure: str | None = None) -> int:
    """Run the Narvik demo and print its key figures and summary (returns an exit code).

    Phase 1 (20 MW of GB300-class racks, R3) with its CDUs, facility water and
    fjord heat exchangers, and — in the same network — heat pumps on the
    facility-water return lifting heat to 85 °C for a 15 MW town network 20 km
    away (assumptions printed; the heat pump's refrigerant, stages, units in
    series, COP and margins to its limits are those the builder chose and the
    solve used). Nothing is canned: every number is solved.

    Parameters
    ----------
    out : file, optional
        Where the text goes (default: standard output).
    netcdf : str, optional
        Write the node and edge results and the key figures to this NetCDF file
        (``.nc``); nothing is written by default (nor with ``""``).
    figure : str, optional
        Write a figure (``.png``, ``.svg`` or ``.pdf``): the site's energy flows
        (:func:`narvik_thermal.plot.sankey`) beside the chip temperatures of the
        racks (:func:`narvik_thermal.plot.rack_temperature_map`); it needs
        matplotlib (the ``plot`` extra) and says so if it is missing. Nothing is
        written by default (nor with ``""``).

    Returns
    -------
    int
        The exit status, 0.

    Raises
    ------
    InputError
        ``netcdf`` without the ``.nc`` suffix, ``figure`` without an image suffix,
        or either in a folder that does not exist (checked before the solve).
    """
    import narvik_thermal as nt
    from narvik_thermal.plant.heat_export import HeatPumpSpec
    Q_ = nt.Q_
    out = sys.stdout if out is None else out
    path = _output_path(netcdf, "--out", (".nc",))
    image = _output_path(figure, "--figure", (".png", ".svg", ".pdf"))
    print("narvik_thermal demo — phase 1 of the Narvik campus with heat export "
          "(embedded defaults; sources: narvik_thermal.plant.table())\n", file=out)
    hp = HeatPumpSpec()
    print(f"Assumptions for heat export: {hp.refrigerant} vapour-compression heat pumps "
          f"(isentropic efficiency {hp.isentropic_efficiency:g}, approaches "
          f"{hp.evaporator_approach} / {hp.condenser_approach}), their stages and units in "
          "series chosen at the design temperatures within the compressor limits; district "
          "heating 85 °C supply / 45 °C return, 15 MW town demand on 10 substations, 20 km "
          "buried transmission line rated PN25 (transmission lines are often PN25, "
          "distribution PN16 [GEK]). Pumps and valves run at their design flows (no controls), "
          "so the "
          "facility water runs colder than its 22 °C design when heat is exported.\n",
          file=out)
    plant = nt.plant.Campus(Q_(20, "MW"), expand=[0],
                            heat_export=nt.plant.town_heat_export(
                                Q_(15, "MW"), trunk_length=Q_(20, "km"),
                                pressure_rating=Q_(25, "bar"), heat_pumps=hp)).solve()
    print(_key_figures(plant) + "\n", file=out)
    print(plant.summary(), file=out)
    _demo_outputs(plant, path, out, image)
    return 0


def _demo_outputs(plant: Any, path: Path | None, out: Any, figure: Path | None = None) -> None:
    """The demo's files: the network results and key figures as NetCDF, and a figure
    of the site's energy flows beside the chip temperatures of the racks."""
    if path is not None:
        _write(_plant_dataset(plant, "narvik_thermal demo: phase 1 with heat export"),
               path, "--out")
        print(f"\nNode and edge results and the key figures written to {path} (NetCDF)",
              file=out)
    if figure is None:
        return
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        print(f"\nFigure {figure} not written: it needs matplotlib "
              '(pip install "narvik_thermal[plot]").', file=out)
        return
    import matplotlib
    matplotlib.use("Agg")          # a file, never a window
    import matplotlib.pyplot as plt

    from . import plot
    fig, (left, right) = plt.subplots(1, 2, figsize=(16, 6.5))
    plot.sankey(plant, ax=left)
    plot.rack_temperature_map(plant, ax=right)
    try:
        fig.savefig(figure, dpi=100)
    except OSError as exc:
        from .errors import InputError
        raise InputError(f"--figure {figure}: cannot write it ({exc}).") from None
    finally:
        plt.close(fig)
    print(f"Figure of the site's energy flows and the racks' chip temperatures written to "
          f"{figure}", file=out)


def _add_demo_parser(sub: Any) -> None:
    p = sub.add_parser(
        "demo", help="solve the embedded Narvik phase 1 and its heat export",
        description="Build and solve the embedded Narvik phase 1 (20 MW of GB300-class "
        "racks, CDUs, facility water, fjord heat exchangers) with heat pumps feeding a 15 MW "
        "town district-heating network 20 km away, in one network; print its key figures "
        "and summary, write its node and edge results to NetCDF and a figure of its energy "
        "flows and chip temperatures.")
    p.add_argument("--out", default="narvik-demo.nc", metavar="PATH",
                   help="NetCDF file (.nc) for the node and edge results and the key figures "
                   "(default %(default)s, in the current folder)")
    p.add_argument("--figure", default="narvik-demo.png", metavar="PATH",
                   help="figure (.png, .svg or .pdf) of the site's energy flows beside the "
                   "racks' chip temperatures (default %(default)s; needs matplotlib, the plot "
                   "extra)")
    p.add_argument("--no-out", action="store_true",
                   help="write no file (neither the NetCDF nor the figure)")
    p.set_defaults(run=lambda args, out: demo(out, "" if args.no_out else args.out,
                                              "" if args.no_out else args.figure))


# ----------------------------------------------------------------------- solve
def _run_solve(args: Any, out: Any) -> int:
    """``narvik-thermal solve FILE``: solve a network file, print, write results."""
    import narvik_thermal as nt
    nodes = _output_path(args.nodes, "--nodes", (".csv", ".nc"))
    edges = _output_path(args.edges, "--edges", (".csv", ".nc"))
    options = _solver_options(args.option)
    net = nt.load_network(args.file)
    res = net.solve(warn=False, **options)   # the flags are printed in the summary
    print(res.summary(), file=out)
    for path, ds, option in ((nodes, "nodes", "--nodes"), (edges, "edges", "--edges")):
        if path is not None:
            _write(getattr(res, ds), path, option)
            print(f"{ds[:4].capitalize()} results written to {path}", file=out)
    return 0


def _add_solve_parser(sub: Any) -> None:
    p = sub.add_parser(
        "solve", help="solve a network file (YAML/JSON)",
        description="Load a network file written by nt.save_network (YAML or JSON, SI "
        "units), solve its steady state and print its summary; optionally write the node and "
        "edge results.")
    p.add_argument("file", metavar="FILE", help="network file (.yaml, .yml or .json)")
    p.add_argument("--nodes", metavar="PATH",
                   help="write the node results (pressure [Pa], gauge pressure [Pa], "
                   "temperature [degC], elevation [m], circuit) to a .csv or .nc file; "
                   "default: none")
    p.add_argument("--edges", metavar="PATH",
                   help="write the edge results (mass flow [kg/s], volume flow [m^3/s], "
                   "pressure drop [Pa], heat into the fluid [W], inlet and outlet and chip "
                   "temperature [degC], count, kind, start and end nodes) to a .csv or .nc "
                   "file; default: none")
    p.add_argument("--option", action="append", metavar="NAME=VALUE", help=_options_help())
    p.set_defaults(run=_run_solve)


# ------------------------------------------------------- campus (operate, annual)
def _add_campus_options(p: Any) -> None:
    """The options that build a campus (shared by ``operate`` and ``annual``)."""
    p.add_argument("--site", default="narvik", metavar="SITE",
                   help="embedded site: narvik or marseille (default %(default)s)")
    p.add_argument("--it-power", default="20 MW", metavar="POWER",
                   help='installed IT power, a power such as "20 MW" (default "%(default)s")')
    p.add_argument("--heat-rejection", choices=_REJECTION,
                   help="fjord (default at narvik), dry_cooler or cooling_tower "
                   "(default elsewhere); an air-side plant gets a trim chiller if its "
                   "design day needs one")
    p.add_argument("--heat-export", action="store_true",
                   help="heat pumps on the facility-water return feeding a town "
                   "district-heating network (85/45 °C, 10 substations); default: none")
    p.add_argument("--town-demand", default="15 MW", metavar="POWER",
                   help='design heat demand of the town with --heat-export, a power '
                   '(default "%(default)s")')
    p.add_argument("--trunk-length", default="5 km", metavar="LENGTH",
                   help='transmission line to the town with --heat-export, a length '
                   '(default "%(default)s")')
    p.add_argument("--option", action="append", metavar="NAME=VALUE", help=_options_help())


def _campus_spec(args: Any) -> dict:
    """The campus the options describe, every value checked (nothing is built)."""
    import narvik_thermal as nt
    site = nt.climate.site(args.site)
    spec = dict(site=site, it_power=_quantity(args.it_power, "--it-power", "W", "20 MW",
                                              positive=True),
                rejection=args.heat_rejection or ("fjord" if site.name == "narvik"
                                                  else "cooling_tower"),
                options=_solver_options(args.option), export=None)
    if args.heat_export:
        spec["export"] = (
            _quantity(args.town_demand, "--town-demand", "W", "15 MW", positive=True),
            _quantity(args.trunk_length, "--trunk-length", "m", "5 km", positive=True))
    return spec


def _campus(spec: dict) -> Any:
    """Build the campus of :func:`_campus_spec` (sized at the site's design conditions)."""
    import narvik_thermal as nt
    kw: dict[str, Any] = {}
    if spec["rejection"] == "dry_cooler":
        kw["heat_rejection"] = nt.plant.DryCooler()
    elif spec["rejection"] == "cooling_tower":
        kw["heat_rejection"] = nt.plant.CoolingTower()
    if spec["export"] is not None:
        demand, trunk = spec["export"]
        kw["heat_export"] = nt.plant.town_heat_export(demand, trunk_length=trunk,
                                                      pressure_rating=nt.Q_(25, "bar"))
    return nt.plant.Campus(spec["it_power"], site=spec["site"], **kw)


def _describe_campus(campus: Any, spec: dict) -> str:
    export = spec["export"]
    return (f"{campus.name} at {spec['site'].name}, {spec['rejection']}"
            + (f" with heat export to a {export[0].m_as('MW'):g} MW town" if export else ""))


# --------------------------------------------------------------------- operate
def _run_operate(args: Any, out: Any) -> int:
    """``narvik-thermal operate``: one operating point of a campus."""
    from .errors import InputError
    spec = _campus_spec(args)
    path = _output_path(args.out, "--out", (".nc",))
    fjord = spec["rejection"] == "fjord"
    kw: dict[str, Any] = {}
    if args.month is not None:
        if not 1 <= args.month <= 12:
            raise InputError(f"--month={args.month} must be 1–12 (January–December).")
        kw["month"] = args.month
    if args.sea_temperature is not None:
        if not fjord:
            raise InputError(f"--sea-temperature={args.sea_temperature!r} applies to a fjord "
                             f"plant; this one rejects heat by {spec['rejection']}: drop it "
                             "or use --heat-rejection fjord.")
        kw["sea_temperature"] = _quantity(args.sea_temperature, "--sea-temperature", "degC",
                                          "6 degC")
    for name in ("outdoor_temperature", "relative_humidity"):
        text = getattr(args, name)
        option = "--" + name.replace("_", "-")
        if text is None:
            continue
        if fjord:
            raise InputError(f"{option}={text!r} applies to an air-side plant (dry_cooler, "
                             "cooling_tower); the fjord plant does not use the outdoor air: "
                             "drop it or choose --heat-rejection.")
        kw[name] = (_quantity(text, option, "degC", "-8 degC") if name == "outdoor_temperature"
                    else _quantity(text, option, "", "0.8", positive=True))
        if name == "relative_humidity" and kw[name].m > 1:
            raise InputError(f"{option}={text!r} must lie in (0, 1] (a fraction, or a percent "
                             "such as \"80 %\").")
    if args.heat_demand is not None:
        if spec["export"] is None:
            raise InputError(f"--heat-demand={args.heat_demand!r} needs --heat-export (a "
                             "campus that exports heat to a town).")
        kw["heat_demand"] = _quantity(args.heat_demand, "--heat-demand", "W", "12 MW",
                                      minimum=0.0)
    if not 0 < args.it_load <= 1.2:
        raise InputError(f"--it-load={args.it_load:g} must lie in (0, 1.2] (a fraction of "
                         "the installed IT power).")
    campus = _campus(spec)
    given = ", ".join(f"{k.replace('_', ' ')} {getattr(args, k)}" for k in kw if k != "month")
    rest = (f"the site's normals of month {args.month}" if args.month is not None
            else "the design point (warmest intake water, design-day air)")
    print(f"narvik_thermal operate — {_describe_campus(campus, spec)}; IT load "
          f"{args.it_load:g}; conditions: {given or 'none given'}; the others from {rest}\n",
          file=out)
    op = campus.operate(args.it_load, warn=False, **kw, **spec["options"])
    print(_key_figures(op) + "\n", file=out)
    print(op.summary(), file=out)
    if path is not None:
        _write(_plant_dataset(op, f"narvik_thermal operate: {campus.name} at "
                                  f"{spec['site'].name}"), path, "--out")
        print(f"\nNetwork state and key figures written to {path} (NetCDF)", file=out)
    return 0


def _add_operate_parser(sub: Any) -> None:
    p = sub.add_parser(
        "operate", help="operate a campus at one point; print power, heat, water, closure",
        description="Build a campus at a site (sized at the site's design conditions) and "
        "solve it, as built and with its controls, at one operating point: IT load, sea or "
        "outdoor conditions and heat demand. A condition not given comes from the site's "
        "normals of --month, or without --month from the design point. Prints the site's "
        "electricity, heat, water and energy closure and the plant summary.")
    _add_campus_options(p)
    p.add_argument("--it-load", type=float, default=1.0,
                   help="IT load as a fraction of the installed power, in (0, 1.2] "
                   "(default %(default)s)")
    p.add_argument("--month", type=int,
                   help="month 1–12 whose site normals give the conditions not given "
                   "(default: the design point)")
    p.add_argument("--sea-temperature", metavar="TEMPERATURE",
                   help='sea temperature at the intake (fjord plant), e.g. "5 degC" '
                   "(default: the site's at the intake depth in --month, or the design water)")
    p.add_argument("--outdoor-temperature", metavar="TEMPERATURE",
                   help='outdoor dry bulb (air-side plant), e.g. "-8 degC" (default: the '
                   "month's normal, or the design day)")
    p.add_argument("--relative-humidity", metavar="FRACTION",
                   help='outdoor relative humidity (air-side plant), a fraction such as "0.8" '
                   'or "80 %%" (default: the month\'s normal, or the design day\'s)')
    p.add_argument("--heat-demand", metavar="POWER",
                   help='heat delivered to the town with --heat-export, e.g. "12 MW" '
                   "(default: its design demand)")
    p.add_argument("--out", metavar="PATH",
                   help="write the network state (node and edge results) and the key figures "
                   "to this NetCDF file (.nc); default: none")
    p.set_defaults(run=_run_operate)


# ---------------------------------------------------------------------- annual
def _run_annual(args: Any, out: Any) -> int:
    """``narvik-thermal annual``: a year of the campus at a site, its KPIs, NetCDF."""
    import narvik_thermal as nt
    from .errors import InputError
    spec = _campus_spec(args)
    path = _output_path(args.out, "--out", (".nc", ".csv"))
    if not args.step >= 1 or not args.hours >= 1:
        raise InputError(f"--step={args.step} and --hours={args.hours} must be ≥ 1.")
    if args.hours > 8784:
        raise InputError(f"--hours={args.hours}: a year has 8,760 hours (8,784 in a leap "
                         "year); give at most that.")
    if args.renewable_share is not None and not (math.isfinite(args.renewable_share)
                                                  and 0 <= args.renewable_share <= 1):
        # checked before the year runs (the KPIs come after it)
        raise InputError(f"--renewable-share={args.renewable_share:g} must be a fraction in "
                         "[0, 1] (of the electricity with guarantees of origin, for REF).")
    weather = spec["site"].hourly(args.year).isel(time=slice(0, args.hours, args.step))
    campus = _campus(spec)
    print(f"narvik_thermal annual — {_describe_campus(campus, spec)}"
          f", IT load {args.it_load:g}; {weather.sizes['time']} operating points "
          f"every {args.step} h of the synthetic year {args.year}\n", file=out)
    year = nt.simulation.annual(campus, weather, it_load=args.it_load,
                                progress=args.progress, warn=False,
                                time_step=nt.Q_(args.step, "h"),
                                client=None if args.parallel else False, **spec["options"])
    failed = int(year.attrs["hours_failed"])
    step = year.attrs["time_step_s"]
    mwh = {k: float(year[k].sum()) * step / 3.6e9 for k in
           ("it_power", "total_power", "pump_power", "fan_power", "chiller_power",
            "heat_pump_power", "heat_to_sea", "heat_to_air", "heat_delivered", "heat_boiler",
            "network_losses")}
    if not (mwh["heat_boiler"] or mwh["heat_delivered"] or mwh["network_losses"]):
        for k in ("heat_delivered", "heat_boiler", "network_losses"):
            del mwh[k]                           # no town: nothing to say
    print("Energy over the run [MWh]: " + ", ".join(f"{k} {v:,.0f}" for k, v in mwh.items()),
          file=out)
    if mwh["heat_to_sea"] < 0:
        print("(heat_to_sea < 0: the heat pumps drew more heat from the facility water than "
              "the IT gave it; the fjord loop then warmed it, a heat source)", file=out)
    again = int(year.attrs["hours_restarted"])
    print(f"Worst energy closure {year.attrs['max_energy_closure']:.1e}; failed points "
          f"{failed}" + (f" ({again} solved again from the design point)" if again else "")
          + f"; flags: {year.attrs['flag_hours'] or 'none'}\n", file=out)
    if path is not None:
        _write(year, path, "--out")
        print(f"Hourly results written to {path}\n", file=out)
    kpis = nt.kpi.eu_kpis(year, renewable_share=args.renewable_share,
                          failed_hours="exclude" if failed else "raise")
    print(kpis.to_markdown(), file=out)
    return 0 if failed == 0 else 1


def _add_annual_parser(sub: Any) -> None:
    p = sub.add_parser(
        "annual", help="operate a campus through a weather year; print its KPIs",
        description="Build a campus at a site (sized at the site's design conditions), "
        "operate it every hour of the site's synthetic weather year, print the year's "
        "energy and the EU reporting KPIs for both heat-pump boundaries, and write the "
        "hourly results to NetCDF or CSV with --out.")
    _add_campus_options(p)
    p.add_argument("--it-load", type=float, default=1.0,
                   help="IT load as a fraction of the installed power, every hour "
                   "(default %(default)s)")
    p.add_argument("--year", type=int, default=2025,
                   help="calendar year (default %(default)s)")
    p.add_argument("--hours", type=int, default=8760,
                   help="hours of the year to run from 1 January (default %(default)s: all)")
    p.add_argument("--step", type=int, default=1,
                   help="run every STEP-th hour; energies are weighted by the step "
                   "(default %(default)s: every hour)")
    p.add_argument("--renewable-share", type=float, default=None,
                   help="share of the electricity that is renewable with guarantees of "
                   "origin, 0–1, for REF (default: none claimed, REF not given)")
    p.add_argument("--out", metavar="PATH",
                   help="write the hourly results to this .nc (NetCDF) or .csv file "
                   "(SI units, in the column headers of a CSV); default: none")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                   help="show a progress bar (default on)")
    p.add_argument("--parallel", action="store_true",
                   help="run the hours in two blocks of consecutive hours per core on a "
                   "local dask cluster (needs the 'sweep' extra, dask.distributed); the "
                   "hours agree with the serial run to the solver's tolerances")
    p.set_defaults(run=_run_annual)


# ------------------------------------------------------------------- transient


def _run_transient(args: Any, out: Any) -> int:
    """``narvik-thermal transient``: a CDU pump trip in a row of racks."""
    import narvik_thermal as nt
    from narvik_thermal import transient as tr

    from .errors import InputError
    path = _output_path(args.out, "--out", (".nc",))
    if args.racks < 1:
        raise InputError(f"--racks={args.racks} must be a whole number ≥ 1.")
    duration = _quantity(args.duration, "--duration", "s", "60 s", positive=True)
    step = _quantity(args.step, "--step", "s", "0.1 s", positive=True)
    trip_at = _quantity(args.trip_at, "--trip-at", "s", "10 s", minimum=0.0)
    run_down = _optional_time(args.run_down, "--run-down", "1.5 s")
    standby = _optional_time(args.standby_after, "--standby-after", "2 s")
    facility = _quantity(args.facility_temperature, "--facility-temperature", "degC",
                         "30 degC")
    options = _solver_options(args.option)
    steps = (duration / step).m_as("")
    if abs(steps - round(steps)) > 1e-9 * steps:
        raise InputError(f"--step={args.step!r} does not divide --duration={args.duration!r} "
                         f"({steps:.6g} steps); choose a step that divides the duration.")
    if trip_at >= duration:
        raise InputError(f"--trip-at={args.trip_at!r} must be before the end of the run "
                         f"(--duration={args.duration!r}); trip earlier or run longer.")
    if standby is not None and trip_at + standby >= duration:
        raise InputError(f"--standby-after={args.standby_after!r}: the standby pump would "
                         f"start at {(trip_at + standby).m:g} s, at or after the end of the "
                         f"run ({duration.m:g} s); run longer or give a shorter delay "
                         "(or none).")
    rack = nt.plant.Rack()
    row = nt.plant.cdu_row_network(args.racks, rack=rack, facility_temperature=facility)
    events = [tr.trip(trip_at, "pump_a", run_down=run_down)]
    if standby is not None:
        events.append(tr.at(trip_at + standby, "pump_b", speed=1.0))
    print(f"narvik_thermal transient — CDU pump trip in a row of {args.racks} NVL72-class "
          f"rack(s) ({args.racks * rack.gpus} GPUs, {args.racks * rack.it_power.m_as('MW'):.2f} "
          f"MW IT), facility water at {facility.m:g} °C; duty pump trips at {trip_at.m:g} s "
          + ("(instant stop)" if run_down is None or run_down.m == 0 else
             f"(running down, time constant {run_down.m:g} s)")
          + (f", standby pump starts {standby.m:g} s later" if standby is not None
             else ", no standby pump start")
          + f"; {duration.m:g} s in steps of {step.m:g} s\n", file=out)
    before = row.solve(warn=False, **options).hottest_chip()
    print(f"Before the trip: hottest chip {before.name} at {before.temperature.m:.2f} °C"
          + (f" (limit {before.limit.m:.1f} °C, margin {before.margin.m_as('K'):.2f} K)"
             if math.isfinite(before.limit.m) else ""), file=out)
    run = tr.simulate(row, duration=duration, step=step, events=events,
                      record=tr.RECORDABLE if path is not None else ("chip_temperature",),
                      solve_options=options, progress=args.progress, warn=False)
    peak = tr.peak_chip_temperature(run)
    print(f"Peak: {peak['name']} at {peak['temperature'].m:.2f} °C, {peak['time'].m:g} s "
          "into the run", file=out)
    ttl = tr.time_to_limit(run, after=trip_at)
    if math.isfinite(ttl.m):
        print(f"Time from the trip until a chip reaches its limit: {ttl.m:.2f} s", file=out)
    else:
        print("No chip reaches its limit within the run.", file=out)
    print(f"Energy closure of the run {run.attrs['energy_closure']:.1e} (relative); "
          f"{run.sizes['time']} time points, computed in {run.attrs['seconds']:.1f} s. "
          "Without flow a "
          "chip heats at P/C (no throttling, no heat to stagnant coolant): an upper bound "
          "on the excursion.", file=out)
    if run.attrs["flags"]:
        print(f"FLAGS: {run.attrs['flags']}.", file=out)
    if path is not None:
        run.attrs.update(trip_time_s=trip_at.m, racks=args.racks,
                         limit_reached=int(math.isfinite(ttl.m)))
        if math.isfinite(ttl.m):
            run.attrs["time_to_limit_s"] = ttl.m
        _write(run, path, "--out")
        print(f"Time series (temperature, mass flow, chip temperature) written to {path} "
              "(NetCDF)", file=out)
    return 0


def _add_transient_parser(sub: Any) -> None:
    p = sub.add_parser(
        "transient", help="a CDU pump trip in a row of racks: chip peak, time to limit",
        description="A CDU pump trip in a row of NVL72-class racks (the row of "
        "examples/06_cdu_pump_trip: a duty and a standby pump behind check valves, the "
        "CDU heat exchanger to facility water), run by nt.transient.simulate: the duty pump "
        "trips, the standby pump starts after a delay or never. Prints the hottest chip's "
        "peak and the time to its limit; writes the time series to NetCDF with --out.")
    p.add_argument("--racks", type=int, default=10, metavar="N",
                   help="racks in the row (72 GPUs each; default %(default)s)")
    p.add_argument("--duration", default="60 s", metavar="TIME",
                   help='length of the run, a time (default "%(default)s")')
    p.add_argument("--step", default="0.1 s", metavar="TIME",
                   help='time step, dividing --duration (default "%(default)s"; a chip\'s '
                   "time constant is about 2 s)")
    p.add_argument("--trip-at", default="10 s", metavar="TIME",
                   help='time of the duty pump trip (default "%(default)s")')
    p.add_argument("--run-down", default="none", metavar="TIME",
                   help='time constant of the tripped rotor\'s run-down, e.g. "1.5 s" '
                   '(default "%(default)s": an instant stop)')
    p.add_argument("--standby-after", default="none", metavar="TIME",
                   help='delay from the trip until the standby pump runs, e.g. "2 s" '
                   '(default "%(default)s": no failover)')
    p.add_argument("--facility-temperature", default="30 degC", metavar="TEMPERATURE",
                   help='facility-water supply temperature (default "%(default)s")')
    p.add_argument("--option", action="append", metavar="NAME=VALUE", help=_options_help())
    p.add_argument("--out", metavar="PATH",
                   help="write the time series (temperature by node, mass flow by edge, chip "
                   "temperature by cold plate, dimension time [s]) to this NetCDF file "
                   "(.nc); default: none")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                   help="show a progress bar of the time steps on stderr (default on)")
    p.set_defaults(run=_run_transient)


# ----------------------------------------------------------------------- audit
def _assumptions(items: list[str] | None) -> dict:
    """``--assume ID.NAME=VALUE`` → ``{id: {name: value}}``: a number where it reads as
    one, a pair for "low,high", else the text (a quantity such as "0.02 K/W")."""
    from .audit import CLAIMS
    from .errors import InputError
    out: dict = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        claim, dot, name = key.partition(".")
        if not sep or not dot or not name or claim not in (*CLAIMS, "scenario"):
            raise InputError(f"--assume {item!r}: expected CLAIM.NAME=VALUE with CLAIM one of "
                             f"{list(CLAIMS)} or 'scenario' (the shared annual runs), e.g. "
                             "--assume co2-20kt.displaced_heat=oil or --assume "
                             "'scenario.annual_residential_heat=80 GWh'.")

        def value(t: str) -> Any:
            try:
                return float(t)
            except ValueError:
                return t.strip()
        parts = text.split(",")
        out.setdefault(claim, {})[name] = (tuple(value(t) for t in parts) if len(parts) == 2
                                           else value(text))
    return out


def _run_audit(args: Any, out: Any) -> int:
    """``narvik-thermal audit``: the public claims judged by the library's models."""
    import narvik_thermal as nt
    report = _output_path(args.report, "--report", (".html", ".htm"))
    if not isinstance(args.step, int) or args.step < 1:
        raise nt.InputError(f"--step={args.step} must be a whole number of hours ≥ 1.")
    assumed = _assumptions(args.assume)
    scenario = nt.audit.Scenario(step=args.step, progress=args.progress,
                                 **assumed.pop("scenario", {}))
    result = nt.audit.claims(args.claim or None, assumptions=assumed, scenario=scenario)
    if report is not None:          # first: a reader that closes stdout early loses nothing
        report.write_text(result.to_html(), encoding="utf-8")
        print(f"Report written to {report}", file=sys.stderr)
    if args.json:
        print(result.to_json(), file=out)
    else:
        print("narvik_thermal audit — the public claims about the Narvik site, judged by "
              f"the library's models\n{result.attrs['basis']}\n", file=out)
        print(result.summary(), file=out)
    return 0


def _add_audit_parser(sub: Any) -> None:
    from .audit import CLAIMS
    p = sub.add_parser(
        "audit", help="judge the public claims about the Narvik site with the models",
        description="Judge each public claim about the Narvik site (" + ", ".join(CLAIMS)
        + ") with the library's models: the model's answer, its assumptions, the answer at "
        "both ends of the most uncertain assumption's range and a verdict (holds, does not "
        "hold, conditional). Runs the phase-1 campus through sampled weather years "
        "(about a minute at the default step).")
    p.add_argument("--json", action="store_true",
                   help="print the audit as JSON only: a list of {id, claim, model, "
                   "assumptions, verdict, reason, ...}")
    p.add_argument("--report", metavar="PATH",
                   help="write a self-contained HTML report to this .html file; default: none")
    p.add_argument("--claim", action="append", metavar="ID", choices=list(CLAIMS),
                   help="audit only this claim (repeatable); default: all")
    p.add_argument("--assume", action="append", metavar="CLAIM.NAME=VALUE",
                   help="change an assumption (an argument of the claim's function in "
                   "narvik_thermal.audit), e.g. co2-20kt.displaced_heat=oil or "
                   "winter-heat-30pct.connected_share=0.5, or of the shared annual runs "
                   "(nt.audit.Scenario), e.g. 'scenario.annual_residential_heat=80 GWh', "
                   "scenario.it_load=0.8; a range as low,high; repeatable")
    p.add_argument("--step", type=int, default=25,
                   help="run every STEP-th hour of the weather years, energies weighted by "
                   "the step (default %(default)s; 1 = every hour, about eight minutes)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                   help="show progress bars of the annual runs on stderr (default on)")
    p.set_defaults(run=_run_audit)


# ------------------------------------------------------------------------ main
#: the sub-commands, each added to the parser by its function (the order of --help)
_COMMANDS = (_add_demo_parser, _add_solve_parser, _add_operate_parser, _add_annual_parser,
             _add_transient_parser, _add_audit_parser)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narvik-thermal",
        description="Thermal and hydraulic physics of a liquid-cooled AI data centre at "
        "Narvik: solve networks, operate campuses, run years and transients.",
        epilog="Exit status: 0 done; 1 a solve did not converge or hours failed; 2 a usage "
        "error, a bad file or a network that is not well posed; 130 interrupted. "
        "'narvik-thermal COMMAND --help' explains each command.")
    from ._metadata import __version__
    parser.add_argument("--version", action="version",
                        version=f"narvik-thermal (narvik_thermal {__version__})")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``narvik-thermal`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status (module notes); argparse's own usage errors and ``--help``
        raise ``SystemExit`` (2 and 0) as usual.
    """
    args = _parser().parse_args(argv)
    import narvik_thermal as nt
    try:
        return args.run(args, sys.stdout)
    except nt.ConvergenceError as exc:
        # the last iterate, summarised, then why: no traceback for a network that
        # does not solve
        if exc.result is not None and hasattr(exc.result, "summary"):
            print(exc.result.summary())
        print(f"narvik-thermal: error: {exc}", file=sys.stderr)
        return 1
    except nt.NarvikError as exc:
        # a user mistake (a bad argument or file, a network that is not well posed):
        # the message says what and how to fix it; a traceback would add nothing
        print(f"narvik-thermal: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C during a long run: stop without a traceback, with the shell's status
        print("narvik-thermal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output stopped (``narvik-thermal demo | head``): stop quietly,
        # and send what is still buffered nowhere (Python's documented recipe)
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
