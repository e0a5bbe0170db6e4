"""The ``narvik-thermal`` command (also ``python -m narvik_thermal``).

Sub-commands
------------
``demo``
    Builds and solves the embedded Narvik phase 1 (20 MW of GB300-class racks,
    CDUs, facility water, fjord heat exchangers) with heat pumps on the
    facility-water return feeding a district-heating network at 85 °C, in one
    network, and prints its summary. Nothing is canned: every number is solved.
``solve FILE``
    Loads a network file (YAML/JSON, :func:`narvik_thermal.load_network`),
    solves it and prints its summary.
``annual``
    Operates a campus built at a site through a synthetic weather year
    (:func:`narvik_thermal.simulation.annual`), prints the year's energy and
    the EU reporting KPIs (:func:`narvik_thermal.kpi.eu_kpis`) and writes the
    hourly Dataset to NetCDF with ``--out``. ``narvik-thermal annual --help``
    explains every option.

Exit status: 0 solved; 1 the solve did not converge (the last iterate is
summarised); 2 a usage error, a bad network file or a network that is not well
posed (the message says what and how to fix it; no traceback).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main", "demo"]


def demo(out=sys.stdout) -> int:
    """Run the Narvik demo and print its summary (returns an exit code).

    Phase 1 (20 MW of GB300-class racks, R3) with its CDUs, facility water and
    fjord heat exchangers, and — in the same network — heat pumps on the
    facility-water return lifting heat to 85 °C for a 15 MW town network 20 km
    away (assumptions printed; the heat pump's refrigerant, stages, units in
    series, COP and margins to its limits are those the builder chose and the
    solve used). Nothing is canned: every number is solved.
    """
    import narvik_thermal as nt
    from narvik_thermal.plant.heat_export import HeatPumpSpec
    Q_ = nt.Q_
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
    print(plant.summary(), file=out)
    return 0


_REJECTION = ("fjord", "dry_cooler", "cooling_tower")


def annual(args, out=None) -> int:
    """``narvik-thermal annual``: a year of the campus at a site, its KPIs, NetCDF."""
    import narvik_thermal as nt
    out = sys.stdout if out is None else out
    site = nt.climate.site(args.site)
    it_power = _quantity(args.it_power, "--it-power", "W")
    rejection = args.heat_rejection or ("fjord" if site.name == "narvik" else "cooling_tower")
    kw = {}
    if rejection == "dry_cooler":
        kw["heat_rejection"] = nt.plant.DryCooler()
    elif rejection == "cooling_tower":
        kw["heat_rejection"] = nt.plant.CoolingTower()
    if args.heat_export:
        kw["heat_export"] = nt.plant.town_heat_export(
            _quantity(args.town_demand, "--town-demand", "W"),
            trunk_length=_quantity(args.trunk_length, "--trunk-length", "m"),
            pressure_rating=nt.Q_(25, "bar"))
    if not args.step >= 1 or not args.hours >= 1:
        raise nt.InputError(f"--step={args.step} and --hours={args.hours} must be ≥ 1.")
    weather = site.hourly(args.year).isel(time=slice(0, args.hours, args.step))
    campus = nt.plant.Campus(it_power, site=site, **kw)
    print(f"narvik_thermal annual — {campus.name} at {site.name}, {rejection}"
          f"{' with heat export to a ' + args.town_demand + ' town' if args.heat_export else ''}"
          f", IT load {args.it_load:g}; {weather.sizes['time']} operating points "
          f"every {args.step} h of the synthetic year {args.year}\n", file=out)
    year = nt.simulation.annual(campus, weather, it_load=args.it_load,
                                progress=args.progress, warn=False)
    failed = int(year.attrs["hours_failed"])
    step = year.attrs["time_step_s"]
    mwh = {k: float(year[k].sum()) * step / 3.6e9 for k in
           ("it_power", "total_power", "pump_power", "fan_power", "chiller_power",
            "heat_pump_power", "heat_to_sea", "heat_to_air", "heat_delivered")}
    print("Energy over the run [MWh]: " + ", ".join(f"{k} {v:,.0f}" for k, v in mwh.items()),
          file=out)
    print(f"Worst energy closure {year.attrs['max_energy_closure']:.1e}; failed points "
          f"{failed}; flags: {year.attrs['flag_hours'] or 'none'}\n", file=out)
    if args.out:
        year.to_netcdf(args.out, engine="h5netcdf")
        print(f"Hourly results written to {args.out}\n", file=out)
    kpis = nt.kpi.eu_kpis(year, renewable_share=args.renewable_share,
                          failed_hours="exclude" if failed else "raise")
    print(kpis.to_markdown(), file=out)
    return 0 if failed == 0 else 1


def _quantity(text, option, unit):
    """A command-line quantity such as "20 MW", checked against ``unit``."""
    import narvik_thermal as nt
    try:
        q = nt.Q_(text)
        return nt.Q_(q.to(unit).magnitude, unit)
    except Exception as exc:
        raise nt.InputError(f"{option}={text!r} is not a quantity in {unit} units ({exc}); "
                            f"write e.g. {option} \"20 {'MW' if unit == 'W' else 'km'}\".") \
            from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``narvik-thermal`` command."""
    parser = argparse.ArgumentParser(prog="narvik-thermal", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="solve the embedded Narvik phase 1 and its heat export")
    p_solve = sub.add_parser("solve", help="solve a network file (YAML/JSON)")
    p_solve.add_argument("file")
    p_ann = sub.add_parser(
        "annual", help="operate a campus through a weather year; print its KPIs",
        description="Build a campus at a site (sized at the site's design conditions), "
        "operate it every hour of the site's synthetic weather year, print the year's "
        "energy and the EU reporting KPIs for both heat-pump boundaries, and write the "
        "hourly results to NetCDF with --out.")
    p_ann.add_argument("--site", default="narvik",
                       help="embedded site: narvik or marseille (default narvik)")
    p_ann.add_argument("--it-power", default="20 MW",
                       help='installed IT power, e.g. "20 MW" (default)')
    p_ann.add_argument("--it-load", type=float, default=1.0,
                       help="IT load as a fraction of the installed power, every hour "
                       "(default 1.0)")
    p_ann.add_argument("--heat-rejection", choices=_REJECTION,
                       help="fjord (default at narvik), dry_cooler or cooling_tower "
                       "(default elsewhere); an air-side plant gets a trim chiller if its "
                       "design day needs one")
    p_ann.add_argument("--heat-export", action="store_true",
                       help="heat pumps on the facility-water return feeding a town "
                       "district-heating network (85/45 °C, 10 substations)")
    p_ann.add_argument("--town-demand", default="15 MW",
                       help='design demand of the town with --heat-export (default "15 MW"); '
                       "each hour asks the degree-hour model's share of it")
    p_ann.add_argument("--trunk-length", default="5 km",
                       help='transmission line to the town (default "5 km")')
    p_ann.add_argument("--year", type=int, default=2025, help="calendar year (default 2025)")
    p_ann.add_argument("--hours", type=int, default=8760,
                       help="hours of the year to run from 1 January (default all)")
    p_ann.add_argument("--step", type=int, default=1,
                       help="run every STEP-th hour; energies are weighted by the step "
                       "(default 1: every hour)")
    p_ann.add_argument("--renewable-share", type=float, default=None,
                       help="share of the electricity that is renewable with guarantees of "
                       "origin, for REF (default: none claimed, REF not given)")
    p_ann.add_argument("--out", help="write the hourly results to this NetCDF file")
    p_ann.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                       help="show a progress bar (default on)")
    args = parser.parse_args(argv)
    import narvik_thermal as nt
    try:
        if args.command == "demo":
            return demo()
        if args.command == "solve":
            net = nt.load_network(args.file)
            res = net.solve(warn=False)   # the flags are printed in the summary
            print(res.summary())
            return 0
        if args.command == "annual":
            return annual(args)
    except nt.ConvergenceError as exc:
        # the last iterate, summarised, then why: no traceback for a network that
        # does not solve
        if exc.result is not None and hasattr(exc.result, "summary"):
            print(exc.result.summary())
        print(f"narvik-thermal: error: {exc}", file=sys.stderr)
        return 1
    except nt.NarvikError as exc:
        # a user mistake (a bad file, a network that is not well posed): the
        # message says what and how to fix it; a traceback would add nothing
        print(f"narvik-thermal: error: {exc}", file=sys.stderr)
        return 2
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
