"""Networks of the documentation's examples, built by more than one test module."""

from __future__ import annotations

import narvik_thermal as nt
from narvik_thermal import Q_


def add_cdu_and_facility_water(net) -> None:
    """The second half of the rack-42 example (DESIGN.md's contract, README and
    docs/getting_started.md): the CDU exchanger from ``r_end`` to ``hx_out``, a pump on
    a curve back to ``s0`` with the loop's expansion tank and PG25, and the facility
    water through the exchanger's cold side (a 0.05 kg/s flow boundary at 20 °C into a
    pipe to a pressure boundary at 1 atm)."""
    net.add_heat_exchanger("cdu", hot=("r_end", "hx_out"), cold=("fw_in", "fw_out"),
                           ua=Q_(0.4, "kW/K"), arrangement="counterflow")
    net.add_pump("pump", "hx_out", "s0", curve=(Q_([0, 2, 4], "L/min"), Q_([3, 2.5, 1.2], "m")))
    net.add_expansion_tank("s0", pressure=Q_(2, "bar"))
    net.set_fluid("s0", nt.fluids.propylene_glycol(0.25))
    net.add_pipe("fw", "fw_out", "fw_sink", length=Q_(5, "m"), diameter=Q_(20, "mm"))
    net.add_pressure_boundary("fw_sink", pressure=Q_(1, "atm"), temperature=Q_(20, "degC"))
    net.add_flow_boundary("fw_in", mass_flow=Q_(0.05, "kg/s"), temperature=Q_(20, "degC"))
    net.set_fluid("fw_in", nt.fluids.water())
