"""Synthetic rack-to-loop networks for benchmarks and scaling tests.

:func:`rack_loop_network` builds ``R`` racks of ``P`` cold plates between a
supply and a return manifold, the racks on supply and return headers, one
pump and one heat exchanger to a second (facility-water) circuit. It is a
benchmark shape, not a design: the plant builders in :mod:`narvik_thermal.plant`
build real racks with their defaults and sources.
"""

from __future__ import annotations

import numpy as np

from ..units import Q_
from .network import Network

__all__ = ["rack_loop_network"]


def rack_loop_network(n_racks: int, plates_per_rack: int = 72, *, fluid=None,
                      facility_fluid=None, heat_per_plate=Q_(1.4, "kW"),
                      supply_temperature=Q_(20, "degC")) -> Network:
    """A synthetic network of racks of cold plates on headers, one pump, one HX.

    Parameters
    ----------
    n_racks : int
        Number of racks R (≥ 1).
    plates_per_rack : int
        Cold plates per rack P (72 GPUs of an NVL72-class rack).
    fluid, facility_fluid : Fluid, optional
        Coolant of the rack circuit (default PG25) and of the facility side
        (default water).
    heat_per_plate : Quantity
        Heat per cold plate (default 1.4 kW, B300, narvik-facts R12/R13).
    supply_temperature : Quantity
        Facility-water inlet temperature of the heat exchanger.

    Returns
    -------
    Network
        About ``R (2P + 2)`` nodes and ``R (3P + 2)`` edges in the rack circuit.

    Notes
    -----
    Per rack: a feed pipe from the supply header to the first supply-manifold
    node, P − 1 supply-manifold segments, P cold plates (1.4 kW, 0.025 K/W,
    20 kPa at 2 L/min), P − 1 return-manifold segments (direct return) and a
    pipe to the return header. The headers run along the racks. The pump
    (fixed head chosen to give about the rated flow) sits between the return
    header and the heat exchanger's hot side; the facility side is a flow
    boundary and a pressure boundary.
    """
    from .. import fluids as F
    if n_racks < 1 or plates_per_rack < 1:
        raise ValueError("n_racks and plates_per_rack must be at least 1")
    fluid = fluid or F.propylene_glycol(0.25)
    facility_fluid = facility_fluid or F.water()
    R, P = int(n_racks), int(plates_per_rack)
    net = Network(f"rack-loop-{R}x{P}")
    r = np.repeat(np.arange(R), P)
    k = np.tile(np.arange(P), R)
    rs = np.char.add("r", np.arange(R).astype(str))
    s_node = np.char.add(np.char.add(rs[r], ".s"), k.astype(str))
    r_node = np.char.add(np.char.add(rs[r], ".r"), k.astype(str))
    # cold plates
    net.add_cold_plates(np.char.add(np.char.add(rs[r], ".gpu"), k.astype(str)).tolist(),
                        s_node.tolist(), r_node.tolist(), heat=heat_per_plate,
                        thermal_resistance=Q_(0.025, "K/W"), rated_flow=Q_(2.0, "L/min"),
                        rated_pressure_drop=Q_(20, "kPa"), max_chip_temperature=Q_(85, "degC"))
    # manifolds
    if P > 1:
        sel = k < P - 1
        a = s_node.reshape(R, P)
        b = r_node.reshape(R, P)
        seg = np.char.add(np.char.add(rs[r[sel]], ".ms"), k[sel].astype(str))
        net.add_pipes(seg.tolist(), a[:, :-1].ravel().tolist(), a[:, 1:].ravel().tolist(),
                      length=Q_(0.1, "m"), diameter=Q_(40, "mm"), roughness=Q_(0.0015, "mm"))
        seg = np.char.add(np.char.add(rs[r[sel]], ".mr"), k[sel].astype(str))
        net.add_pipes(seg.tolist(), b[:, 1:].ravel().tolist(), b[:, :-1].ravel().tolist(),
                      length=Q_(0.1, "m"), diameter=Q_(40, "mm"), roughness=Q_(0.0015, "mm"))
    hs = np.char.add("hs", np.arange(R).astype(str))
    hr = np.char.add("hr", np.arange(R).astype(str))
    net.add_pipes(np.char.add(rs, ".feed").tolist(), hs.tolist(),
                  np.char.add(rs, ".s0").tolist(), length=Q_(3, "m"), diameter=Q_(50, "mm"))
    net.add_pipes(np.char.add(rs, ".ret").tolist(), np.char.add(rs, ".r0").tolist(),
                  hr.tolist(), length=Q_(3, "m"), diameter=Q_(50, "mm"))
    if R > 1:
        # headers sized for ~2 m/s at the full flow
        flow = R * P * 2.0 / 60000.0
        d_header = max(0.05, float(np.sqrt(4 * flow / (np.pi * 2.0))))
        net.add_pipes(np.char.add("hs_seg", np.arange(R - 1).astype(str)).tolist(),
                      hs[:-1].tolist(), hs[1:].tolist(), length=Q_(1.2, "m"),
                      diameter=Q_(d_header, "m"))
        net.add_pipes(np.char.add("hr_seg", np.arange(R - 1).astype(str)).tolist(),
                      hr[1:].tolist(), hr[:-1].tolist(), length=Q_(1.2, "m"),
                      diameter=Q_(d_header, "m"))
    total_flow = R * P * 2.0 / 60000.0 * 1020.0      # kg/s at the rated plate flow
    net.add_pump("pump", "hr0", "pump_out", head=Q_(6, "m"))
    net.add_heat_exchanger("cdu", hot=("pump_out", "hs0"), cold=("fw_in", "fw_out"),
                           ua=Q_(R * P * 1.4e3 / 4.0, "W/K"))
    net.add_expansion_tank("hr0", pressure=Q_(2, "bar"))
    net.set_fluid("hr0", fluid)
    net.add_pipe("fw_pipe", "fw_out", "fw_sink", length=Q_(10, "m"),
                 diameter=Q_(max(0.05, float(np.sqrt(4 * total_flow / 1000 / np.pi / 2))), "m"))
    net.add_flow_boundary("fw_in", mass_flow=Q_(total_flow, "kg/s"), temperature=supply_temperature)
    net.add_pressure_boundary("fw_sink", pressure=Q_(1.5, "bar"), temperature=supply_temperature)
    net.set_fluid("fw_in", facility_fluid)
    return net
