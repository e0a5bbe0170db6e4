"""The ``narvik-thermal`` command (also ``python -m narvik_thermal``).

Sub-commands
------------
``demo``
    Builds and solves the embedded Narvik phase 1 (20 MW of GB300-class racks,
    CDUs, facility water, fjord heat exchangers) and then a heat-export plant
    that lifts the facility return water to 85 °C for the town's district
    heating; prints both summaries. Nothing is canned: every number is solved.
``solve FILE``
    Loads a network file (YAML/JSON, :func:`narvik_thermal.load_network`),
    solves it and prints its summary.
"""

from __future__ import annotations

import argparse
import sys
import warnings

__all__ = ["main", "demo"]


def demo(out=sys.stdout) -> int:
    """Run the Narvik demo and print its summary (returns an exit code)."""
    import narvik_thermal as nt
    Q_ = nt.Q_
    warnings.simplefilter("default", nt.PhysicsWarning)
    print("narvik_thermal demo — phase 1 of the Narvik campus (embedded defaults, sources in "
          "narvik_thermal.plant.defaults)\n", file=out)
    plant = nt.plant.phase("phase1", expand=[0])
    print(plant.summary(), file=out)
    # heat export: the facility return water feeds heat pumps lifting it to 85 °C
    cdu = plant.cdus[0]
    t_ret = cdu["facility_return_temperature"]
    source_heat = plant.energy["heat_to_fjord"]
    town = nt.plant.town_consumers(Q_(15, "MW"), 12)
    dh = nt.plant.district_heating_network(town, supply_temperature=Q_(85, "degC"),
                                           return_temperature=Q_(45, "degC"),
                                           trunk_length=Q_(20, "km"))
    hx = nt.plant.heat_export_plant(source_return_temperature=t_ret,
                                    source_heat=source_heat, dh=dh,
                                    heat_pumps=nt.plant.HeatPumpSpec(model="carnot_fraction"))
    res = hx.solve()
    print("\nHeat export — facility return water at "
          f"{t_ret.m_as('degC'):.1f} °C lifted to 85 °C for a 15 MW town network 20 km away "
          "(assumptions: Carnot fraction 0.5, 45 °C return, buried pipes):\n", file=out)
    print(res.summary(), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``narvik-thermal`` command."""
    parser = argparse.ArgumentParser(prog="narvik-thermal", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="solve the embedded Narvik phase 1 and its heat export")
    p_solve = sub.add_parser("solve", help="solve a network file (YAML/JSON)")
    p_solve.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo()
    if args.command == "solve":
        import narvik_thermal as nt
        net = nt.load_network(args.file)
        print(net.solve().summary())
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
