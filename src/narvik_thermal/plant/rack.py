"""Racks: trays of cold plates between a supply and a return manifold.

- :class:`Rack` and :func:`add_racks` — NVL72-class rack (18 compute trays of
  4 GPUs + 2 Grace CPUs, 9 NVLink switch trays, R7/R8) with supply and return
  manifolds (pipes between tray tap-offs), direct or reverse return, tray
  quick-disconnect losses;
- :func:`rack_network` — a rack on a test bench;
- :func:`rack_report` and :class:`RackReport` — per-tray flow,
  maldistribution, hottest chip of a solved rack.

Liquid fraction
---------------
Each rack's IT heat is its cold-plate heat divided by the liquid fraction
(default 0.9, R15–R17); the rest goes to room air and is reported as
``heat_to_air`` (air handling is not modelled). With the defaults the rack is
72 × 1.4 + 36 × 0.3 + 18 × 0.55 = 121.5 kW to liquid, 135 kW IT (R8, R10, R11).

Representation with multiplicity
--------------------------------
An edge with ``count=n`` stands for n identical units in parallel, each seeing
the same pressure drop and 1/n of the flow. :func:`add_racks` gives *every*
edge of a rack the same count, so one rack name represents n identical racks
exactly, with the nodal pressures and temperatures of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..errors import InputError, require_type, user_api
from ..units import Q_, quantity
from . import defaults as D
from .cold_plates import ColdPlate, cpu_cold_plate, gpu_cold_plate, switch_cold_plate

__all__ = ["Rack", "add_racks", "rack_network", "cdu_row_network", "RackReport", "rack_report"]

#: Manifold and row-header return arrangements.
RACK_ARRANGEMENTS = ("direct", "reverse")


@user_api
@dataclass(frozen=True)
class Rack:
    """An NVL72-class rack: trays of cold plates between two manifolds.

    Attributes
    ----------
    gpu, cpu, switch : ColdPlate
        Plates of the GPUs, Grace CPUs and NVLink switch chips.
    compute_trays, gpus_per_tray, cpus_per_tray : int
        18, 4, 2 (NVL72, R7/R8).
    switch_trays, switch_chips_per_tray : int
        9 (R7/R8), 2 [GEK].
    tray_order : str or None
        Tray kinds bottom → top, ``"C"`` compute and ``"S"`` switch; default
        8 compute, 9 switch, 10 compute (switch trays in the middle, R7/R8).
    liquid_fraction : float
        Share of rack IT heat into the liquid (0.9, R15–R17); the rest to air.
    arrangement : {"direct", "reverse"}
        Direct return (supply enters and return leaves at the bottom) or reverse
        return (return leaves at the top: first tray supplied, last returned).
    tray_pitch : Quantity
        Distance between tray tap-offs on the manifolds (1U [GEK]).
    manifold_diameter, manifold_roughness : Quantity
        Manifold inner diameter (38 mm [GEK]) and roughness (0.0015 mm).
    manifold_tee_loss : float
        K of a run-through tee per manifold segment [-] [GEK].
    quick_disconnect_pressure_drop, quick_disconnect_rated_flow : Quantity
        Pressure drop of a tray's pair of quick disconnects at a rated flow
        (6 kPa at 8 L/min [GEK], R18 for the flow).
    hose_length, hose_diameter : Quantity
        Hose between row header and manifold, each way (3 m, 50 mm [GEK]).
    hose_minor_loss : float
        Sum of K of valve, bends and entries per hose [-] [GEK].
    """

    gpu: ColdPlate = field(default_factory=gpu_cold_plate)
    cpu: ColdPlate = field(default_factory=cpu_cold_plate)
    switch: ColdPlate = field(default_factory=switch_cold_plate)
    compute_trays: int = D.COMPUTE_TRAYS.value
    gpus_per_tray: int = D.GPUS_PER_TRAY.value
    cpus_per_tray: int = D.CPUS_PER_TRAY.value
    switch_trays: int = D.SWITCH_TRAYS.value
    switch_chips_per_tray: int = D.SWITCH_CHIPS_PER_TRAY.value
    tray_order: str | None = None
    liquid_fraction: float = D.LIQUID_FRACTION.value
    arrangement: str = "direct"
    tray_pitch: Any = D.TRAY_PITCH.value
    manifold_diameter: Any = D.MANIFOLD_DIAMETER.value
    manifold_roughness: Any = D.MANIFOLD_ROUGHNESS.value
    manifold_tee_loss: float = D.MANIFOLD_TEE_LOSS.value
    quick_disconnect_pressure_drop: Any = D.QUICK_DISCONNECT_PRESSURE_DROP.value
    quick_disconnect_rated_flow: Any = D.QUICK_DISCONNECT_RATED_FLOW.value
    hose_length: Any = D.RACK_HOSE_LENGTH.value
    hose_diameter: Any = D.RACK_HOSE_DIAMETER.value
    hose_minor_loss: float = D.RACK_HOSE_MINOR_LOSS.value

    def __post_init__(self) -> None:
        if self.arrangement not in RACK_ARRANGEMENTS:
            raise InputError(f"Rack: arrangement={self.arrangement!r} is not one of "
                             f"{RACK_ARRANGEMENTS}; use 'direct' or 'reverse' return.")
        U.to_number(self.liquid_fraction, "Rack: liquid_fraction (default 0.9, R15–R17)",
                    0.0, 1.0, low_open=True)
        for nm in ("compute_trays", "gpus_per_tray", "cpus_per_tray", "switch_trays",
                   "switch_chips_per_tray"):
            v = getattr(self, nm)
            ok = (isinstance(v, (int, np.integer)) and not isinstance(v, bool)) or (
                isinstance(v, float) and v.is_integer())
            if not ok or v < 0:
                raise InputError(f"Rack: {nm}={v!r} must be a non-negative integer.")
        for nm in ("manifold_tee_loss", "hose_minor_loss"):
            U.to_number(getattr(self, nm), f"Rack: {nm}", 0.0)
        if self.compute_trays + self.switch_trays < 1:
            raise InputError("Rack: a rack needs at least one tray (compute_trays + "
                             "switch_trays ≥ 1).")
        order = self.order
        if len(order) == 0 or set(order) - {"C", "S"}:
            raise InputError(f"Rack: tray_order={self.tray_order!r} must be a non-empty string "
                             "of 'C' (compute) and 'S' (switch) trays, bottom to top.")
        if order.count("C") != self.compute_trays or order.count("S") != self.switch_trays:
            raise InputError(f"Rack: tray_order has {order.count('C')} compute and "
                             f"{order.count('S')} switch trays but compute_trays="
                             f"{self.compute_trays}, switch_trays={self.switch_trays}.")
        for nm, unit in (("tray_pitch", "m"), ("manifold_diameter", "m"), ("hose_length", "m"),
                         ("hose_diameter", "m"), ("quick_disconnect_pressure_drop", "Pa")):
            if not U.to_si(getattr(self, nm), unit, nm) > 0:
                raise InputError(f"Rack: {nm}={getattr(self, nm)} must be positive.")

    @property
    def order(self) -> str:
        """Tray kinds bottom → top."""
        if self.tray_order is not None:
            return str(self.tray_order)
        lower = min(self.compute_trays, self.compute_trays * 8 // 18)
        return "C" * lower + "S" * self.switch_trays + "C" * (self.compute_trays - lower)

    @property
    def n_trays(self) -> int:
        return len(self.order)

    @property
    def gpus(self) -> int:
        """GPUs per rack (72 for NVL72)."""
        return self.compute_trays * self.gpus_per_tray

    @property
    def liquid_heat(self) -> Any:
        """Heat to the liquid per rack [kW]."""
        w = (self.gpus * self.gpu.heat_w + self.compute_trays * self.cpus_per_tray * self.cpu.heat_w
             + self.switch_trays * self.switch_chips_per_tray * self.switch.heat_w)
        return quantity(w / 1e3, "kW")

    @property
    def it_power(self) -> Any:
        """Rack IT power = liquid heat / liquid fraction [kW] (135 kW by default, R8/R10/R11)."""
        return self.liquid_heat / self.liquid_fraction

    @property
    def air_heat(self) -> Any:
        """Heat to room air per rack [kW]."""
        return self.it_power - self.liquid_heat

    def design_flow(self, flow_per_kw: Any = None) -> Any:
        """Rack coolant flow at the flow per kW of IT power (1.3 L/min/kW, R19) [L/min]."""
        f = D.FLOW_PER_KW.value if flow_per_kw is None else U.parse(flow_per_kw, "flow_per_kw")
        return (f * self.it_power).to("L/min")


def _rack_edge_names(prefix: str, rack: Rack) -> dict[str, list[str]]:
    """Names of a rack's edges by role (bottom → top)."""
    order = rack.order
    out: dict[str, list[str]] = dict(qd=[], gpu=[], cpu=[], switch=[], tray_of_plate=[])
    for j, k in enumerate(order):
        out["qd"].append(f"{prefix}.t{j}.qd")
        if k == "C":
            out["gpu"] += [f"{prefix}.t{j}.gpu{i}" for i in range(rack.gpus_per_tray)]
            out["cpu"] += [f"{prefix}.t{j}.cpu{i}" for i in range(rack.cpus_per_tray)]
        else:
            out["switch"] += [f"{prefix}.t{j}.nvs{i}" for i in range(rack.switch_chips_per_tray)]
    return out


@user_api
def add_racks(net: Any, names: Sequence[str] | str, supply: Sequence[str] | str,
              return_: Sequence[str] | str, rack: Rack | None = None, *,
              count: Any = 1, elevation: Any = "0 m") -> None:
    """Add racks (cold plates, trays, manifolds, hoses) between supply and return nodes.

    Parameters
    ----------
    net : Network
        Network to add to.
    names : str or sequence of str
        Rack names, used as prefixes (``"<rack>.t3.gpu1"``, ``"<rack>.hose_s"``).
    supply, return_ : str or sequence of str
        Supply and return node of each rack (e.g. row-header taps).
    rack : Rack, optional
        Rack definition (default NVL72-class GB300).
    count : int or array of int
        Identical racks each name stands for (every edge of the rack gets it).
    elevation : Quantity
        Elevation of the lowest tray tap [m].

    Notes
    -----
    Per rack: a supply hose to the bottom of the supply manifold, manifold
    segments (pipes, one tray pitch long, with a tee loss) between tray taps,
    per tray one quick-disconnect edge (rated pressure drop of the coupling
    pair) to the tray inlet, the tray's cold plates in parallel from the tray
    inlet to the return-manifold tap, return-manifold segments, and a return
    hose from the bottom (direct return) or the top (reverse return). Node
    elevations follow the trays, so buoyancy of the warmer return is included.
    """
    from ..network import Network
    require_type(net, Network, "add_racks: net", "a nt.Network")
    rack = Rack() if rack is None else require_type(rack, Rack, "add_racks: rack",
                                                    "a nt.plant.Rack(...)")
    names = [names] if isinstance(names, str) else list(names)
    R = len(names)
    sup = [supply] * R if isinstance(supply, str) else list(supply)
    ret = [return_] * R if isinstance(return_, str) else list(return_)
    if len(sup) != R or len(ret) != R:
        raise InputError(f"add_racks: {R} rack names but {len(sup)} supply and {len(ret)} "
                         "return nodes; give one supply and one return node per rack.")
    cnt = np.broadcast_to(np.asarray(U.to_si(count, "", "count"), dtype=float), (R,))
    order = rack.order
    T = len(order)
    pitch = float(U.to_si(rack.tray_pitch, "m", "tray_pitch"))
    z0 = float(U.to_si(elevation, "m", "elevation"))
    # names: each rack's name followed by the same suffixes (made once per call)
    def per_rack(suffixes: list[str]) -> list[str]:
        return [r + x for r in names for x in suffixes]

    # nodes with elevations; the edges below name them by these very strings (their
    # hashes are computed once, and the look-ups find them by identity)
    z_t = z0 + pitch * np.arange(T)
    node_names = per_rack([f".{p}{j}" for p in "srt" for j in range(T)])
    net.add_nodes(node_names, elevation=quantity(np.tile(np.concatenate([z_t, z_t, z_t]), R), "m"))
    by_place = np.array(node_names, dtype=object).reshape(R, 3, T)
    S, M, Y = 0, 1, 2               # supply-manifold tap, return-manifold tap, tray inlet

    def nodes(place: int, trays: Any, repeat: int = 1) -> list[str]:
        """The nodes at ``place`` of these trays, rack by rack (each ``repeat`` times)."""
        return np.repeat(by_place[:, place, trays], repeat, axis=1).ravel().tolist()

    # hoses
    top = T - 1 if rack.arrangement == "reverse" else 0
    hose = dict(length=rack.hose_length, diameter=rack.hose_diameter,
                roughness=rack.manifold_roughness, minor_loss=rack.hose_minor_loss)
    net.add_pipes(per_rack([".hose_s"]), sup, nodes(S, [0]), count=cnt, **hose)
    net.add_pipes(per_rack([".hose_r"]), nodes(M, [top]), ret, count=cnt, **hose)
    # manifolds
    if T > 1:
        seg = dict(length=rack.tray_pitch, diameter=rack.manifold_diameter,
                   roughness=rack.manifold_roughness, minor_loss=rack.manifold_tee_loss)
        lo, hi = list(range(T - 1)), list(range(1, T))
        mr_a, mr_b = (hi, lo) if rack.arrangement == "direct" else (lo, hi)
        cseg = np.repeat(cnt, T - 1)
        net.add_pipes(per_rack([f".ms{j}" for j in lo]), nodes(S, lo), nodes(S, hi),
                      count=cseg, **seg)
        net.add_pipes(per_rack([f".mr{j}" for j in lo]), nodes(M, mr_a), nodes(M, mr_b),
                      count=cseg, **seg)
    # quick disconnects
    every = list(range(T))
    net.add_heat_loads(per_rack([f".t{j}.qd" for j in every]), nodes(S, every), nodes(Y, every),
                       heat=quantity(0, "W"), pressure_drop=rack.quick_disconnect_pressure_drop,
                       rated_flow=rack.quick_disconnect_rated_flow, count=np.repeat(cnt, T))
    # plates by kind
    for kind, plate, per in (("gpu", rack.gpu, rack.gpus_per_tray),
                             ("cpu", rack.cpu, rack.cpus_per_tray),
                             ("nvs", rack.switch, rack.switch_chips_per_tray)):
        trays = [j for j, k in enumerate(order) if (k == "S") == (kind == "nvs")]
        if per == 0 or not trays:
            continue
        net.add_cold_plates(per_rack([f".t{j}.{kind}{i}" for j in trays for i in range(per)]),
                            nodes(Y, trays, per), nodes(M, trays, per),
                            count=np.repeat(cnt, len(trays) * per), **plate.network_kwargs())


@user_api
def rack_network(rack: Rack | None = None, *, supply_temperature: Any = None, flow: Any = None,
                 fluid: Any = None, return_pressure: Any = "2 bar", name: str = "rack") -> Any:
    """A single rack on a test bench: fixed flow in at a supply temperature, fixed pressure out.

    Parameters
    ----------
    rack : Rack, optional
        The rack (default NVL72-class GB300, direct return).
    supply_temperature : Quantity, optional
        Coolant supply temperature (default 25 °C, R18/R20/R21).
    flow : Quantity, optional
        Rack flow (default 1.3 L/min per kW of rack IT power, R19).
    fluid : Fluid, optional
        Coolant (default PG25, R19/R29).
    return_pressure : Quantity
        Pressure held at the return node.
    name : str
        Rack name (prefix of its edges).

    Returns
    -------
    Network
        Nodes ``"supply"`` and ``"return"`` and the rack ``name``.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.rack import rack_network, rack_report
    >>> res = rack_network().solve()                        # doctest: +SKIP
    >>> rack_report(res).hottest_chip_temperature           # doctest: +SKIP
    """
    from ..fluids import propylene_glycol
    from ..network import Network
    rack = Rack() if rack is None else require_type(rack, Rack, "rack_network: rack",
                                                    "a nt.plant.Rack(...)")
    if not isinstance(name, str) or not name:
        raise InputError(f"rack_network: name={name!r} must be a non-empty string.")
    T_s = D.TCS_SUPPLY_TEMPERATURE.value if supply_temperature is None else supply_temperature
    V = rack.design_flow() if flow is None else flow
    net = Network(f"{name}-bench")
    add_racks(net, [name], ["supply"], ["return"], rack)
    net.add_flow_boundary("supply", mass_flow=V, temperature=T_s)
    net.add_pressure_boundary("return", pressure=return_pressure, temperature=T_s)
    net.set_fluid("supply", fluid or propylene_glycol(0.25))
    return net



@user_api
def cdu_row_network(n_racks: int = 10, *, rack: Rack | None = None, standby: bool = True,
                    facility_temperature: Any = "30 degC", facility_valve: bool = False,
                    name: str = "row") -> Any:
    """A row of explicit racks on one CDU loop: the bench of pump-trip studies.

    ``n_racks`` racks (:func:`add_racks`, named ``rack0`` …) between row headers
    (0.6 m per rack, 100 mm), on one TCS loop of 25 % propylene glycol (R19, R29)
    with the expansion tank at the pump suction (2 bar); a duty pump ``pump_a``
    and, with ``standby``, a stopped standby ``pump_b`` (speed 0), each behind a
    check valve (``check_a``, ``check_b``, Kvs 400 m³/h), on one curve of
    40 / 34 / 20 m at 0 / 1 / 2 × the row's design flow [GEK]; the CDU heat
    exchanger ``hx`` (UA = the row's liquid heat / 6 K [GEK]) to facility water
    between pressure boundaries (3 → 2.5 bar) at ``facility_temperature``; with
    ``facility_valve`` a valve ``fv`` (Kvs 600 m³/h) on the facility side, the
    actuator of a CDU supply-temperature control.

    Parameters
    ----------
    n_racks : int
        Racks in the row (≥ 1).
    rack : Rack, optional
        The rack (default NVL72-class GB300).
    standby : bool
        Add the stopped standby pump and its check valve.
    facility_temperature : pint.Quantity
        Facility-water supply temperature.
    facility_valve : bool
        Add the facility-side valve ``fv``.
    name : str
        Network name.

    Returns
    -------
    Network
        Not yet solved; the nodes ``sup0`` … (supply header), ``rr0`` … (return
        header), ``ret`` (pump suction), ``hx_in``.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> net = nt.plant.cdu_row_network(2)
    >>> sorted(e for e in net.edge_names if e.startswith(("pump", "check")))
    ['check_a', 'check_b', 'pump_a', 'pump_b']
    """
    from ..fluids import propylene_glycol
    from ..network import Network
    n = U.to_integer(n_racks, "cdu_row_network: n_racks", minimum=1)
    rack = Rack() if rack is None else require_type(rack, Rack, "cdu_row_network: rack",
                                                    "a nt.plant.Rack(...)")
    if not isinstance(name, str) or not name:
        raise InputError(f"cdu_row_network: name={name!r} must be a non-empty string.")
    T_f = U.parse(facility_temperature, "cdu_row_network: facility_temperature")
    U.to_temperature(T_f, "cdu_row_network: facility_temperature")
    net = Network(name, fluid=propylene_glycol(0.25))
    V = rack.design_flow().m_as("m^3/s") * n
    curve = (Q_(np.array([0.0, 1.0, 2.0]) * V, "m^3/s"), Q_([40.0, 34.0, 20.0], "m"))
    net.add_expansion_tank("ret", Q_(2, "bar"))
    for p, speed in (("a", 1.0), ("b", 0.0))[:2 if standby else 1]:
        net.add_pump(f"pump_{p}", "ret", f"p{p}", curve=curve, speed=speed)
        net.add_valve(f"check_{p}", f"p{p}", "hx_in", kvs=Q_(400, "m^3/h"), check=True)
    q = rack.liquid_heat.m_as("W") * n
    net.add_heat_exchanger("hx", hot=("hx_in", "sup0"), cold=("fi", "fm"), ua=Q_(q / 6, "W/K"))
    if facility_valve:
        net.add_valve("fv", "fm", "fv_out", kvs=Q_(600, "m^3/h"))
    net.add_pipe("fpipe", "fv_out" if facility_valve else "fm", "fo", length=Q_(5, "m"),
                 diameter=Q_(150, "mm"))
    net.add_pressure_boundary("fi", Q_(3, "bar"), T_f)
    net.add_pressure_boundary("fo", Q_(2.5, "bar"), T_f)
    for k in range(1, n):
        net.add_pipe(f"hs{k}", f"sup{k-1}", f"sup{k}", length=Q_(0.6, "m"),
                     diameter=Q_(100, "mm"))
        net.add_pipe(f"hr{k}", f"rr{k}", f"rr{k-1}", length=Q_(0.6, "m"),
                     diameter=Q_(100, "mm"))
    net.add_pipe("hret", "rr0", "ret", length=Q_(10, "m"), diameter=Q_(100, "mm"))
    add_racks(net, [f"rack{k}" for k in range(n)], [f"sup{k}" for k in range(n)],
              [f"rr{k}" for k in range(n)], rack)
    return net

@user_api
@dataclass
class RackReport:
    """Flow distribution and chip temperatures of one solved rack.

    Attributes
    ----------
    name : str
        Rack name.
    count : float
        Identical racks the name stands for.
    tray_kind : list of str
        ``"C"``/``"S"`` per tray, bottom → top.
    tray_flow : Quantity
        Volume flow per tray [L/min], bottom → top (per rack).
    maldistribution : float
        Largest over smallest flow per unit heat among compute trays [-] (1 = even).
    flow_ratio : float
        Largest over smallest compute-tray flow [-].
    rack_flow : Quantity
        Flow through one rack [L/min].
    rack_pressure_drop : Quantity
        Supply-hose inlet to return-hose outlet [kPa].
    chip_names : list of str
        Cold-plate edge names.
    chip_temperature : Quantity
        Chip temperatures [degC] in the order of ``chip_names``.
    hottest_chip : str
        Name of the hottest chip.
    hottest_chip_temperature : Quantity
        Its temperature [degC].
    coldest_gpu_temperature, hottest_gpu_temperature : Quantity
        GPU chip temperature range [degC].
    """

    name: str
    count: float
    tray_kind: list
    tray_flow: Any
    maldistribution: float
    flow_ratio: float
    rack_flow: Any
    rack_pressure_drop: Any
    chip_names: list
    chip_temperature: Any
    hottest_chip: str
    hottest_chip_temperature: Any
    coldest_gpu_temperature: Any
    hottest_gpu_temperature: Any

    def summary(self) -> str:
        """Plain-text summary."""
        tf = self.tray_flow.m_as("L/min")
        return (f"rack {self.name} (×{self.count:g}): {self.rack_flow.m_as('L/min'):.1f} L/min, "
                f"Δp {self.rack_pressure_drop.m_as('kPa'):.1f} kPa; tray flow "
                f"{tf.min():.2f}…{tf.max():.2f} L/min (compute max/min {self.flow_ratio:.4f}); "
                f"GPUs {self.coldest_gpu_temperature.m_as('degC'):.2f}…"
                f"{self.hottest_gpu_temperature.m_as('degC'):.2f} °C; hottest chip "
                f"{self.hottest_chip} at {self.hottest_chip_temperature.m_as('degC'):.2f} °C")


@user_api
def rack_report(result: Any, name: str = "rack", rack: Rack | None = None) -> RackReport:
    """Summarise a solved rack: per-tray flow, maldistribution, hottest chip.

    Parameters
    ----------
    result : Result
        A solved network containing the rack.
    name : str
        The rack's name (as given to :func:`add_racks`).
    rack : Rack, optional
        The rack definition it was built with (default NVL72-class).

    Returns
    -------
    RackReport
    """
    from ..network import Result
    require_type(result, Result, "rack_report: result", "the Result of a solve (net.solve())")
    rack = Rack() if rack is None else require_type(rack, Rack, "rack_report: rack",
                                                    "a nt.plant.Rack(...)")
    cn = result.compiled
    nm = _rack_edge_names(name, rack)
    try:
        qd = np.array([cn.edge_id(n) for n in nm["qd"]])
    except Exception:
        raise InputError(f"rack_report: no rack named {name!r} with this tray layout in the "
                         "result; pass the rack's name and its Rack definition.") from None
    m = result.state.mass_flow
    rho = result.state.density_edge
    count = float(cn.count[qd[0]])
    V = m[qd] / rho[qd] / cn.count[qd] * 60000.0
    order = rack.order
    comp = np.array([k == "C" for k in order])
    tray_heat = np.where(comp, rack.gpus_per_tray * rack.gpu.heat_w
                         + rack.cpus_per_tray * rack.cpu.heat_w,
                         rack.switch_chips_per_tray * rack.switch.heat_w)
    spec = V / np.maximum(tray_heat, 1e-9)
    mald = float(spec[comp].max() / spec[comp].min()) if comp.any() else 1.0
    ratio = float(V[comp].max() / V[comp].min()) if comp.any() else 1.0
    plates = nm["gpu"] + nm["cpu"] + nm["switch"]
    pid = np.array([cn.edge_id(n) for n in plates])
    chip = result.edge_chip_temperature[pid]
    k = int(np.nanargmax(chip))
    ng = len(nm["gpu"])
    hs = cn.edge_id(f"{name}.hose_s")
    hr = cn.edge_id(f"{name}.hose_r")
    dp = result.state.pressure[cn.start[hs]] - result.state.pressure[cn.end[hr]]
    return RackReport(name=name, count=count, tray_kind=list(order), tray_flow=Q_(V, "L/min"),
                      maldistribution=mald, flow_ratio=ratio,
                      rack_flow=Q_(float(m[hs] / rho[hs] / cn.count[hs] * 60000.0), "L/min"),
                      rack_pressure_drop=Q_(float(dp) / 1e3, "kPa"), chip_names=plates,
                      chip_temperature=Q_(chip, "degC"), hottest_chip=plates[k],
                      hottest_chip_temperature=Q_(float(chip[k]), "degC"),
                      coldest_gpu_temperature=Q_(float(np.min(chip[:ng])), "degC"),
                      hottest_gpu_temperature=Q_(float(np.max(chip[:ng])), "degC"))
