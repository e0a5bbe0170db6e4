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
    from narvik_thermal.plant.heat_export import HeatExport, HeatPumpSpec
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
    town = nt.plant.town_consumers(Q_(15, "MW"), 10)
    dh = nt.plant.district_heating_network(town, supply_temperature=Q_(85, "degC"),
                                           return_temperature=Q_(45, "degC"),
                                           trunk_length=Q_(20, "km"),
                                           pressure_rating=Q_(25, "bar"))
    plant = nt.plant.Campus(Q_(20, "MW"), expand=[0],
                            heat_export=HeatExport(dh=dh, heat_pumps=hp)).solve()
    print(plant.summary(), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``narvik-thermal`` command."""
    parser = argparse.ArgumentParser(prog="narvik-thermal", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="solve the embedded Narvik phase 1 and its heat export")
    p_solve = sub.add_parser("solve", help="solve a network file (YAML/JSON)")
    p_solve.add_argument("file")
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
