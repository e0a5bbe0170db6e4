"""Network shapes for benchmarks, built with the public API only (so that the same
file measures any version of the library): the rack network of
``narvik_thermal.network.synthetic`` is the reference shape; these are others a
user meets, so that a benchmark tuned to one shape cannot hide a slow one.

- :func:`feed_rack_network` — a feed pipe before every cold plate (three nodes per
  GPU), reverse-return manifolds, racks on headers, the CDU heat exchanger cooled
  by an *open* facility circuit fed from a flow boundary.
- :func:`grid_network` — a k × k mesh (district-heating style) with a ring main,
  heat loss to the ground and consumer substations.
- :func:`water_grid_network` — a k × k water-distribution mesh (EPANET style): one
  reservoir, demands drawn at a tenth of the junctions, no heat.
"""

from __future__ import annotations

import numpy as np


def feed_rack_network(n_racks: int, plates_per_rack: int = 72):
    """Racks of cold plates with a feed pipe before every plate (supply-manifold,
    feed and return-manifold node per GPU), reverse-return manifolds, racks on
    headers, one pump and the CDU heat exchanger, whose cold side is an open
    facility circuit: a flow boundary, the exchanger, a pipe, a pressure boundary."""
    import narvik_thermal as nt
    Q_ = nt.Q_
    R, P = int(n_racks), int(plates_per_rack)
    net = nt.Network(f"feed-rack-{R}x{P}")
    rs = np.char.add("r", np.arange(R).astype(str))
    r = np.repeat(np.arange(R), P)
    k = np.tile(np.arange(P), R)

    def per_gpu(tag):
        return np.char.add(np.char.add(rs[r], tag), k.astype(str))

    s_node, f_node, r_node = per_gpu(".s"), per_gpu(".f"), per_gpu(".r")
    net.add_pipes(per_gpu(".feed").tolist(), s_node.tolist(), f_node.tolist(),
                  length=Q_(0.6, "m"), diameter=Q_(8, "mm"), roughness=Q_(0.0015, "mm"))
    net.add_cold_plates(per_gpu(".gpu").tolist(), f_node.tolist(), r_node.tolist(),
                        heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.025, "K/W"),
                        rated_flow=Q_(2.0, "L/min"), rated_pressure_drop=Q_(20, "kPa"),
                        max_chip_temperature=Q_(85, "degC"))
    a, b = s_node.reshape(R, P), r_node.reshape(R, P)
    net.add_pipes(per_gpu(".ms").reshape(R, P)[:, :-1].ravel().tolist(),
                  a[:, :-1].ravel().tolist(), a[:, 1:].ravel().tolist(),
                  length=Q_(0.1, "m"), diameter=Q_(40, "mm"), roughness=Q_(0.0015, "mm"))
    # reverse return: the return manifold runs the same way and leaves at the far end
    net.add_pipes(per_gpu(".mr").reshape(R, P)[:, :-1].ravel().tolist(),
                  b[:, :-1].ravel().tolist(), b[:, 1:].ravel().tolist(),
                  length=Q_(0.1, "m"), diameter=Q_(40, "mm"), roughness=Q_(0.0015, "mm"))
    hs = np.char.add("hs", np.arange(R).astype(str))
    hr = np.char.add("hr", np.arange(R).astype(str))
    net.add_pipes(np.char.add(rs, ".in").tolist(), hs.tolist(), a[:, 0].tolist(),
                  length=Q_(3, "m"), diameter=Q_(50, "mm"))
    net.add_pipes(np.char.add(rs, ".out").tolist(), b[:, -1].tolist(), hr.tolist(),
                  length=Q_(3, "m"), diameter=Q_(50, "mm"))
    flow = R * P * 2.0 / 60000.0                         # m³/s at the rated plate flow
    d_header = max(0.05, float(np.sqrt(4 * flow / (np.pi * 2.0))))
    if R > 1:
        net.add_pipes(np.char.add("hs_seg", np.arange(R - 1).astype(str)).tolist(),
                      hs[:-1].tolist(), hs[1:].tolist(), length=Q_(1.2, "m"),
                      diameter=Q_(d_header, "m"))
        net.add_pipes(np.char.add("hr_seg", np.arange(R - 1).astype(str)).tolist(),
                      hr[1:].tolist(), hr[:-1].tolist(), length=Q_(1.2, "m"),
                      diameter=Q_(d_header, "m"))
    net.add_pump("pump", "hr0", "pump_out", head=Q_(8, "m"))
    net.add_heat_exchanger("cdu", hot=("pump_out", "hs0"), cold=("fw_in", "fw_out"),
                           ua=Q_(R * P * 1.4e3 / 4.0, "W/K"))
    net.add_expansion_tank("hr0", pressure=Q_(2, "bar"))
    net.set_fluid("hr0", nt.fluids.propylene_glycol(0.25))
    net.add_pipes(["fw_pipe"], ["fw_out"], ["fw_sink"], length=Q_(10, "m"),
                  diameter=Q_(max(0.05, float(np.sqrt(4 * flow / np.pi / 2))), "m"))
    net.add_flow_boundary("fw_in", mass_flow=Q_(flow * 1000.0, "kg/s"),
                          temperature=Q_(20, "degC"))
    net.add_pressure_boundary("fw_sink", pressure=Q_(1.5, "bar"), temperature=Q_(20, "degC"))
    net.set_fluid("fw_in", nt.fluids.water())
    return net


def _mesh(title: str, k: int, seed: int):
    """The library, a seeded generator, an empty network and the k × k node indices."""
    import narvik_thermal as nt
    return nt, np.random.default_rng(seed), nt.Network(title), np.arange(k * k).reshape(k, k)


def _names(a):
    """Node names ``n<index>`` of an index array."""
    return np.char.add("n", a.astype(str))


def grid_network(k: int = 300, seed: int = 0):
    """A k × k mesh of buried distribution pipes (district-heating style): a ring
    main of 200 mm pipes on the perimeter, 50–100 mm pipes inside that lose heat
    to the ground, consumer substations (heat loads with a rated pressure drop)
    on every 8th vertical link; fed at one corner through the plant heat
    exchanger from an open hot circuit and returned from the opposite corner."""
    nt, rng, net, idx = _mesh(f"grid-{k}x{k}", k, seed)
    Q_, name = nt.Q_, _names
    hs, he = idx[:, :-1].ravel(), idx[:, 1:].ravel()
    vs, ve = idx[:-1, :].ravel(), idx[1:, :].ravel()
    cons = (np.arange(vs.size) % 8) == 0
    st, en = np.concatenate([hs, vs[~cons]]), np.concatenate([he, ve[~cons]])
    ring = (np.isin(st // k, [0, k - 1]) & np.isin(en // k, [0, k - 1])) | \
           (np.isin(st % k, [0, k - 1]) & np.isin(en % k, [0, k - 1]))
    d = np.where(ring, 200.0, rng.choice([50.0, 65.0, 80.0, 100.0], st.size))
    net.add_pipes(np.char.add("p", np.arange(st.size).astype(str)).tolist(), name(st).tolist(),
                  name(en).tolist(), length=Q_(rng.uniform(40, 120, st.size), "m"),
                  diameter=Q_(d, "mm"), u_value=Q_(0.25, "W/(m*K)"), ambient=Q_(5, "degC"))
    nc = int(cons.sum())
    net.add_heat_loads(np.char.add("c", np.arange(nc).astype(str)).tolist(),
                       name(vs[cons]).tolist(), name(ve[cons]).tolist(), heat=Q_(0.0, "kW"),
                       pressure_drop=Q_(30, "kPa"), rated_flow=Q_(0.2, "kg/s"))
    net.add_pipes(["ret"], [f"n{idx[-1, -1]}"], ["plant_in"], length=Q_(50, "m"),
                  diameter=Q_(800, "mm"))
    net.add_pump("pump", "plant_in", "pump_out", head=Q_(40, "m"))
    net.add_heat_exchanger("plant", hot=("hot_in", "hot_out"),
                           cold=("pump_out", f"n{idx[0, 0]}"), ua=Q_(2e5 * (k / 40) ** 2, "W/K"))
    net.add_expansion_tank("plant_in", pressure=Q_(3, "bar"))
    net.set_fluid("plant_in", nt.fluids.water())
    net.add_pipes(["hot_pipe"], ["hot_out"], ["hot_sink"], length=Q_(10, "m"),
                  diameter=Q_(300 * k / 40, "mm"))
    net.add_flow_boundary("hot_in", mass_flow=Q_(100.0 * k / 40, "kg/s"),
                          temperature=Q_(95, "degC"))
    net.add_pressure_boundary("hot_sink", pressure=Q_(2, "bar"), temperature=Q_(95, "degC"))
    net.set_fluid("hot_in", nt.fluids.water())
    return net


def water_grid_network(k: int = 300, seed: int = 0):
    """A k × k water-distribution mesh as EPANET models one: 100–300 mm pipes of
    50–200 m between junctions, fed from one reservoir (a pressure boundary at
    6 bar behind a 1 m main) at a corner, demands of 0.1–2 kg/s drawn at a tenth
    of the junctions (flow boundaries), water at 10 °C throughout."""
    nt, rng, net, idx = _mesh(f"water-grid-{k}x{k}", k, seed)
    Q_, name = nt.Q_, _names
    st = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    en = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    net.add_pipes(np.char.add("p", np.arange(st.size).astype(str)).tolist(), name(st).tolist(),
                  name(en).tolist(), length=Q_(rng.uniform(50, 200, st.size), "m"),
                  diameter=Q_(rng.choice([100.0, 150.0, 200.0, 300.0], st.size), "mm"))
    demand = rng.choice(np.arange(1, k * k), max(1, k * k // 10), replace=False)
    net.add_pipes(["main"], ["reservoir"], ["n0"], length=Q_(100, "m"), diameter=Q_(1000, "mm"))
    net.add_pressure_boundary("reservoir", pressure=Q_(6, "bar"), temperature=Q_(10, "degC"))
    net.add_flow_boundaries(name(demand).tolist(),
                            mass_flow=Q_(-rng.uniform(0.1, 2.0, demand.size), "kg/s"),
                            temperature=Q_(10, "degC"))
    net.set_fluid("reservoir", nt.fluids.water())
    return net


def warm_update(net, result, name):
    """The change before a warm re-solve: 5 % more heat at edge ``name`` (5 kW of loss
    where it carries none), or, with no edge named (a water grid), 5 % more of the
    first demand."""
    import narvik_thermal as nt

    if name is None:
        node, b = next((n, b) for n, b in net.boundaries.items() if hasattr(b, "flow"))
        net.update_boundary(node, mass_flow=nt.Q_(1.05 * b.flow, "kg/s"))
        return
    cn = net.compile()
    q = result.heat_flow(name).m_as("W") / float(cn.count[cn.edge_index[name]])
    net.update(name, heat=nt.Q_(q * 1.05 if q else -5e3, "W"))
