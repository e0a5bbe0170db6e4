"""Data-centre cooling plant: cold plate → rack → CDU → hall → campus → fjord.

Builders that turn engineering parameters into a :class:`~narvik_thermal.Network`
and a result a planner can read:

- :class:`ColdPlate` and :func:`gpu_cold_plate`, :func:`cpu_cold_plate`,
  :func:`switch_cold_plate` — GB300-class defaults (B300 1.4 kW, R12–R14;
  0.025 K/W junction→coolant, R22–R24; 20 kPa at rated flow, R22);
- :class:`Rack` and :func:`add_racks` — NVL72-class rack (18 compute trays of
  4 GPUs + 2 Grace CPUs, 9 NVLink switch trays, R7/R8) with supply and return
  manifolds (pipes between tray tap-offs), direct or reverse return, tray
  quick-disconnect losses; :func:`rack_network` (a rack on a test bench) and
  :func:`rack_report` (per-tray flow, maldistribution, hottest chip);
- :class:`CDU` — PG25 technology cooling system (TCS) loop, liquid-to-liquid
  plate HX sized for the approach (3 K, R19), N+1 pumps (R19), and controls
  (``Network.add_control``) that hold the TCS supply temperature by the
  facility-water valve and the flow per kW (1.3 L/min/kW, R19) or a
  differential pressure by pump speed;
- :class:`Campus` and :func:`phase` — rows of racks per CDU, facility supply
  and return mains, halls, the fjord loop (:mod:`narvik_thermal.plant.fjord`);
  identical racks and CDUs are represented once with a multiplicity
  (``count=``), any CDU row can be expanded rack by rack, and
  :class:`PlantResult` reports chip temperatures, flows, approach, pump power,
  discharge temperature and the energy balance;
- ``Campus(heat_export=HeatExport(dh=..., heat_pumps=...))`` puts heat-pump
  evaporators on the facility-water return, in series before the fjord heat
  exchanger, and the district-heating network on their condensers — the same
  network, built by :func:`~narvik_thermal.plant.heat_export.add_district_heating`
  (as the standalone :class:`~narvik_thermal.plant.heat_export.HeatExportPlant`);
  ``PlantResult.energy["heat_exported"]`` and ``PlantResult.heat_export``
  report it.

Representation with multiplicity
--------------------------------
An edge with ``count=n`` stands for n identical units in parallel, each seeing
the same pressure drop and 1/n of the flow. Giving *every* edge of a rack (or
of a whole CDU loop) the same count therefore represents n identical racks (or
loops) exactly, with the nodal pressures and temperatures of one. A replicated
CDU loop feeds its one representative rack through a row header lumped into
one pipe of half the row length (the mean rack position); an expanded row
has every rack on its own header tap.

Liquid fraction
---------------
Each rack's IT heat is its cold-plate heat divided by the liquid fraction
(default 0.9, R15–R17); the rest goes to room air and is reported as
``heat_to_air`` (air handling is not modelled). With the defaults the rack is
72 × 1.4 + 36 × 0.3 + 18 × 0.55 = 121.5 kW to liquid, 135 kW IT (R8, R10, R11).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .. import units as U
from ..errors import InputError
from ..units import Q_
from . import defaults as D
from . import sizing
from .fjord import FjordLoop, add_fjord_loop, check_discharge

__all__ = ["ColdPlate", "gpu_cold_plate", "cpu_cold_plate", "switch_cold_plate", "Rack",
           "add_racks", "rack_network", "rack_report", "RackReport", "CDU", "Campus",
           "PlantResult", "phase", "PHASES"]

log = logging.getLogger(__name__)

#: Phases of the Narvik site: phase 1 (R3), initial capacity (R1, R2) and the
#: further ambition (R1, R2) [IT power].
PHASES = {"phase1": Q_(20, "MW"), "initial": Q_(230, "MW"), "further": Q_(290, "MW")}


# ======================================================================= plates
@dataclass(frozen=True)
class ColdPlate:
    """One chip's cold plate: heat, thermal resistance, rated flow and pressure drop.

    Attributes
    ----------
    heat : Quantity
        Heat from the chip into the coolant [W].
    thermal_resistance : Quantity
        Junction→coolant resistance at the rated flow [K/W] (R22–R24).
    rated_flow : Quantity
        Flow at which resistance and pressure drop are rated [L/min].
    rated_pressure_drop : Quantity
        Pressure drop at the rated flow [kPa] (≤ 20 kPa, R22).
    pressure_exponent : float
        n in Δp ∝ Vⁿ [-].
    convective_fraction : float
        Share of the rated resistance that falls with flow [-].
    resistance_exponent : float
        R_conv ∝ V⁻ⁿ [-].
    max_chip_temperature : Quantity or None
        Chip limit; a solved chip above it is flagged.

    Notes
    -----
    The network evaluates :func:`narvik_thermal.correlations.cold_plate.thermal_resistance_flow`
    and :func:`~narvik_thermal.correlations.cold_plate.chip_temperature`.
    """

    heat: Any
    thermal_resistance: Any
    rated_flow: Any
    rated_pressure_drop: Any = D.PLATE_RATED_PRESSURE_DROP.value
    pressure_exponent: float = D.PLATE_PRESSURE_EXPONENT.value
    convective_fraction: float = D.PLATE_CONVECTIVE_FRACTION.value
    resistance_exponent: float = D.PLATE_RESISTANCE_EXPONENT.value
    max_chip_temperature: Any = None

    def __post_init__(self) -> None:
        if not U.to_si(self.heat, "W", "heat") >= 0:
            raise InputError(f"ColdPlate: heat={self.heat} must be ≥ 0 W.")
        for nm, unit in (("thermal_resistance", "K/W"), ("rated_pressure_drop", "Pa")):
            if not U.to_si(getattr(self, nm), unit, nm) > 0:
                raise InputError(f"ColdPlate: {nm}={getattr(self, nm)} must be positive.")
        mag, _ = U.to_flow(self.rated_flow, "rated_flow")
        if not mag > 0:
            raise InputError(f"ColdPlate: rated_flow={self.rated_flow} must be positive.")
        if self.max_chip_temperature is not None:
            U.to_temperature(self.max_chip_temperature, "max_chip_temperature")

    @property
    def heat_w(self) -> float:
        return float(U.to_si(self.heat, "W", "heat"))

    def network_kwargs(self) -> dict:
        """Keyword arguments for :meth:`Network.add_cold_plates`."""
        return dict(heat=self.heat, thermal_resistance=self.thermal_resistance,
                    rated_flow=self.rated_flow, rated_pressure_drop=self.rated_pressure_drop,
                    pressure_exponent=self.pressure_exponent,
                    convective_fraction=self.convective_fraction,
                    resistance_exponent=self.resistance_exponent,
                    max_chip_temperature=self.max_chip_temperature)


def gpu_cold_plate(**overrides: Any) -> ColdPlate:
    """GB300-class GPU cold plate (B300).

    Defaults: 1,400 W (R12–R14), 0.025 K/W junction→coolant (R22–R24),
    20 kPa (R22) at 1.8 L/min (≈ 1.3 L/min/kW, R19), Δp ∝ V^1.8, half the
    resistance convective with R_conv ∝ V^-0.6 [GEK], limit 75 °C (B200 Tj
    estimate, R8/R25).

    Parameters
    ----------
    **overrides
        Any :class:`ColdPlate` field.

    Examples
    --------
    >>> gpu_cold_plate().heat
    <Quantity(1400, 'watt')>
    >>> gpu_cold_plate(heat=nt.Q_(1.2, "kW")).heat.m_as("W")  # doctest: +SKIP
    1200.0
    """
    kw = dict(heat=D.GPU_HEAT.value, thermal_resistance=D.GPU_THERMAL_RESISTANCE.value,
              rated_flow=D.GPU_RATED_FLOW.value,
              max_chip_temperature=D.GPU_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)


def cpu_cold_plate(**overrides: Any) -> ColdPlate:
    """Grace CPU cold plate: 300 W (R11/R14 est.), 0.06 K/W, 20 kPa at 0.5 L/min,
    limit 85 °C [GEK]."""
    kw = dict(heat=D.CPU_HEAT.value, thermal_resistance=D.CPU_THERMAL_RESISTANCE.value,
              rated_flow=D.CPU_RATED_FLOW.value,
              max_chip_temperature=D.CPU_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)


def switch_cold_plate(**overrides: Any) -> ColdPlate:
    """NVLink switch-chip cold plate: 550 W (est., rack 135 kW at 90 % liquid),
    0.05 K/W, 20 kPa at 0.7 L/min, limit 85 °C [GEK]."""
    kw = dict(heat=D.SWITCH_HEAT.value, thermal_resistance=D.SWITCH_THERMAL_RESISTANCE.value,
              rated_flow=D.SWITCH_RATED_FLOW.value,
              max_chip_temperature=D.SWITCH_MAX_CHIP_TEMPERATURE.value)
    kw.update(overrides)
    return ColdPlate(**kw)


# ========================================================================= rack
_ARRANGEMENTS = ("direct", "reverse")


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
        if self.arrangement not in _ARRANGEMENTS:
            raise InputError(f"Rack: arrangement={self.arrangement!r} is not one of "
                             f"{_ARRANGEMENTS}; use 'direct' or 'reverse' return.")
        if not 0 < self.liquid_fraction <= 1:
            raise InputError(f"Rack: liquid_fraction={self.liquid_fraction} must lie in (0, 1] "
                             "(default 0.9, R15–R17).")
        for nm in ("compute_trays", "gpus_per_tray", "cpus_per_tray", "switch_trays",
                   "switch_chips_per_tray"):
            v = getattr(self, nm)
            if int(v) != v or v < 0:
                raise InputError(f"Rack: {nm}={v!r} must be a non-negative integer.")
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
        return Q_(w / 1e3, "kW")

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
    rack = rack or Rack()
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
    # nodes with elevations
    z_t = z0 + pitch * np.arange(T)
    node_names: list[str] = []
    for r in names:
        node_names += [f"{r}.s{j}" for j in range(T)]
        node_names += [f"{r}.r{j}" for j in range(T)]
        node_names += [f"{r}.t{j}" for j in range(T)]
    net.add_nodes(node_names, elevation=Q_(np.tile(np.concatenate([z_t, z_t, z_t]), R), "m"))
    # hoses
    top = T - 1 if rack.arrangement == "reverse" else 0
    hose = dict(length=rack.hose_length, diameter=rack.hose_diameter,
                roughness=rack.manifold_roughness, minor_loss=rack.hose_minor_loss)
    net.add_pipes([f"{r}.hose_s" for r in names], sup, [f"{r}.s0" for r in names],
                  count=cnt, **hose)
    net.add_pipes([f"{r}.hose_r" for r in names], [f"{r}.r{top}" for r in names], ret,
                  count=cnt, **hose)
    # manifolds
    if T > 1:
        seg = dict(length=rack.tray_pitch, diameter=rack.manifold_diameter,
                   roughness=rack.manifold_roughness, minor_loss=rack.manifold_tee_loss)
        js = np.arange(T - 1)
        ms_n, ms_a, ms_b, mr_n, mr_a, mr_b = [], [], [], [], [], []
        for r in names:
            ms_n += [f"{r}.ms{j}" for j in js]
            ms_a += [f"{r}.s{j}" for j in js]
            ms_b += [f"{r}.s{j + 1}" for j in js]
            mr_n += [f"{r}.mr{j}" for j in js]
            if rack.arrangement == "direct":
                mr_a += [f"{r}.r{j + 1}" for j in js]
                mr_b += [f"{r}.r{j}" for j in js]
            else:
                mr_a += [f"{r}.r{j}" for j in js]
                mr_b += [f"{r}.r{j + 1}" for j in js]
        cseg = np.repeat(cnt, T - 1)
        net.add_pipes(ms_n, ms_a, ms_b, count=cseg, **seg)
        net.add_pipes(mr_n, mr_a, mr_b, count=cseg, **seg)
    # quick disconnects
    qd_n, qd_a, qd_b = [], [], []
    for r in names:
        qd_n += [f"{r}.t{j}.qd" for j in range(T)]
        qd_a += [f"{r}.s{j}" for j in range(T)]
        qd_b += [f"{r}.t{j}" for j in range(T)]
    net.add_heat_loads(qd_n, qd_a, qd_b, heat=Q_(0, "W"),
                       pressure_drop=rack.quick_disconnect_pressure_drop,
                       rated_flow=rack.quick_disconnect_rated_flow, count=np.repeat(cnt, T))
    # plates by kind
    for kind, plate, per in (("gpu", rack.gpu, rack.gpus_per_tray),
                             ("cpu", rack.cpu, rack.cpus_per_tray),
                             ("nvs", rack.switch, rack.switch_chips_per_tray)):
        trays = [j for j, k in enumerate(order) if (k == "S") == (kind == "nvs")]
        if per == 0 or not trays:
            continue
        pn, pa, pb, pc = [], [], [], []
        for r, c in zip(names, cnt):
            for j in trays:
                pn += [f"{r}.t{j}.{kind}{i}" for i in range(per)]
                pa += [f"{r}.t{j}"] * per
                pb += [f"{r}.r{j}"] * per
                pc += [c] * per
        net.add_cold_plates(pn, pa, pb, count=np.asarray(pc), **plate.network_kwargs())


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
    >>> from narvik_thermal.plant.cooling import rack_network, rack_report
    >>> res = rack_network().solve()                        # doctest: +SKIP
    >>> rack_report(res).hottest_chip_temperature           # doctest: +SKIP
    """
    from ..fluids import propylene_glycol
    from ..network import Network
    rack = rack or Rack()
    T_s = D.TCS_SUPPLY_TEMPERATURE.value if supply_temperature is None else supply_temperature
    V = rack.design_flow() if flow is None else flow
    net = Network(f"{name}-bench")
    add_racks(net, [name], ["supply"], ["return"], rack)
    net.add_flow_boundary("supply", mass_flow=V, temperature=T_s)
    net.add_pressure_boundary("return", pressure=return_pressure, temperature=T_s)
    net.set_fluid("supply", fluid or propylene_glycol(0.25))
    return net


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
    rack = rack or Rack()
    cn = result._cn
    nm = _rack_edge_names(name, rack)
    try:
        qd = np.array([cn.edge_id(n) for n in nm["qd"]])
    except Exception:
        raise InputError(f"rack_report: no rack named {name!r} with this tray layout in the "
                         "result; pass the rack's name and its Rack definition.") from None
    m = result._m
    rho = result._s["rho_e"]
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
    chip = result.edges["chip_temperature"].values[pid]
    k = int(np.nanargmax(chip))
    ng = len(nm["gpu"])
    hs = cn.edge_id(f"{name}.hose_s")
    hr = cn.edge_id(f"{name}.hose_r")
    dp = result._p[cn.start[hs]] - result._p[cn.end[hr]]
    return RackReport(name=name, count=count, tray_kind=list(order), tray_flow=Q_(V, "L/min"),
                      maldistribution=mald, flow_ratio=ratio,
                      rack_flow=Q_(float(m[hs] / rho[hs] / cn.count[hs] * 60000.0), "L/min"),
                      rack_pressure_drop=Q_(float(dp) / 1e3, "kPa"), chip_names=plates,
                      chip_temperature=Q_(chip, "degC"), hottest_chip=plates[k],
                      hottest_chip_temperature=Q_(float(chip[k]), "degC"),
                      coldest_gpu_temperature=Q_(float(np.min(chip[:ng])), "degC"),
                      hottest_gpu_temperature=Q_(float(np.max(chip[:ng])), "degC"))


# ========================================================================== CDU
_CDU_CONTROLS = ("flow", "differential_pressure", None)


@dataclass(frozen=True)
class CDU:
    """A coolant distribution unit and the row of racks it serves.

    Attributes
    ----------
    supply_temperature : Quantity
        TCS supply temperature held (25 °C, R18/R20/R21).
    approach : Quantity
        Design approach TCS supply − facility supply (3 K, R19).
    flow_per_kw : Quantity
        TCS flow per kW of IT (1.3 L/min/kW, R19).
    facility_delta_t : Quantity
        Design facility-water rise (10 K [GEK]).
    duty_pumps, standby_pumps : int
        N+1 pump set (2 + 1, R19); only duty pumps are in the hydraulics.
    pump_efficiency, motor_efficiency : float
        0.70, 0.95 [GEK].
    hx_pressure_drop : Quantity
        Rated pressure drop of each HX side at design flow (50 kPa [GEK], R19 range).
    strainer_pressure_drop : Quantity
        50 µm strainer at design flow (15 kPa [GEK], R19/R29).
    tank_pressure : Quantity
        Expansion-tank (static) pressure (2.5 bar, R19: 2–6 bar).
    control : {"flow", "differential_pressure", None}
        Pump-speed control target: the design flow per kW, or
        ``differential_pressure`` between CDU supply and return; ``None``
        gives ideal fixed-flow pumps and no valve control (fixed valves).
    differential_pressure : Quantity, optional
        Set-point for ``control="differential_pressure"``.
    control_temperature : bool
        Hold the TCS supply temperature by the facility-water valve.
    row_arrangement : {"direct", "reverse"}
        Row-header return arrangement (expanded rows).
    rack_pitch : Quantity
        Header length per rack (0.6 m [GEK]).
    row_distance : Quantity
        CDU to the first rack, each way (5 m [GEK]).
    header_velocity : Quantity
        Row-header sizing velocity (2 m/s [GEK]).
    arrangement : str
        HX flow arrangement (counterflow plate HX).
    hx_margin : float
        Extra UA over the UA that gives exactly ``approach`` at design (0.15
        [GEK]): the margin the facility valve needs to hold the supply
        temperature when the facility water arrives warmer than design or pump
        heat warms the TCS loop. ``0`` sizes the HX exactly for the approach.
    """

    supply_temperature: Any = D.TCS_SUPPLY_TEMPERATURE.value
    approach: Any = D.CDU_APPROACH.value
    flow_per_kw: Any = D.FLOW_PER_KW.value
    facility_delta_t: Any = D.FACILITY_DELTA_T.value
    duty_pumps: int = D.CDU_DUTY_PUMPS.value
    standby_pumps: int = D.CDU_STANDBY_PUMPS.value
    pump_efficiency: float = D.PUMP_EFFICIENCY.value
    motor_efficiency: float = D.MOTOR_EFFICIENCY.value
    hx_pressure_drop: Any = D.CDU_HX_PRESSURE_DROP.value
    strainer_pressure_drop: Any = D.CDU_STRAINER_PRESSURE_DROP.value
    tank_pressure: Any = D.CDU_TANK_PRESSURE.value
    control: str | None = "flow"
    differential_pressure: Any = None
    control_temperature: bool = True
    row_arrangement: str = "direct"
    rack_pitch: Any = D.ROW_RACK_PITCH.value
    row_distance: Any = D.CDU_ROW_DISTANCE.value
    header_velocity: Any = D.ROW_HEADER_VELOCITY.value
    arrangement: str = "counterflow"
    hx_margin: float = D.CDU_HX_MARGIN.value

    def __post_init__(self) -> None:
        if not 0 <= self.hx_margin < 2:
            raise InputError(f"CDU: hx_margin={self.hx_margin} must lie in [0, 2) (a fraction "
                             "of extra UA, e.g. 0.15).")
        if self.control not in _CDU_CONTROLS:
            raise InputError(f"CDU: control={self.control!r} is not one of {_CDU_CONTROLS}.")
        if self.control == "differential_pressure" and self.differential_pressure is None:
            raise InputError("CDU: control='differential_pressure' needs differential_pressure=, "
                             "e.g. Q_(1.5, 'bar') (R19: 0.5–3 bar).")
        if self.row_arrangement not in _ARRANGEMENTS:
            raise InputError(f"CDU: row_arrangement={self.row_arrangement!r} is not one of "
                             f"{_ARRANGEMENTS}.")
        a = U.to_temperature_difference(self.approach, "approach")
        if not a > 0:
            raise InputError(f"CDU: approach={self.approach} must be positive (R19: 3–5 K).")
        U.to_temperature(self.supply_temperature, "supply_temperature")
        if not U.to_si(self.flow_per_kw, "m^3/s/W", "flow_per_kw") > 0:
            raise InputError(f"CDU: flow_per_kw={self.flow_per_kw} must be positive.")
        if not U.to_temperature_difference(self.facility_delta_t, "facility_delta_t") > 0:
            raise InputError(f"CDU: facility_delta_t={self.facility_delta_t} must be positive.")
        if int(self.duty_pumps) != self.duty_pumps or self.duty_pumps < 1:
            raise InputError(f"CDU: duty_pumps={self.duty_pumps!r} must be an integer ≥ 1.")

    @property
    def facility_supply_temperature(self) -> Any:
        """Design facility supply = TCS supply − approach [degC]."""
        return Q_(U.to_temperature(self.supply_temperature, "supply_temperature")
                  - U.to_temperature_difference(self.approach, "approach") - 273.15, "degC")


def _add_cdu(net: Any, name: str, n_racks: int, rack: Rack, cdu: CDU, count: int,
             facility: tuple[str, str], expanded: bool, fluid: Any, water: Any,
             controls: bool) -> dict:
    """Add one CDU loop (count identical loops) and its facility branch. Returns design info."""
    P_it = rack.it_power.m_as("W") * n_racks
    Q_liq = rack.liquid_heat.m_as("W") * n_racks
    T_s = float(U.to_temperature(cdu.supply_temperature, "supply_temperature"))
    appr = float(U.to_temperature_difference(cdu.approach, "approach"))
    dT_fw = float(U.to_temperature_difference(cdu.facility_delta_t, "facility_delta_t"))
    V = float(U.to_si(cdu.flow_per_kw, "m^3/s/W", "flow_per_kw")) * P_it
    rho = float(fluid.density_pT(T_s + 5.0))
    cp = float(fluid.cp_pT(T_s + 5.0))
    dT_tcs = Q_liq / (rho * V * cp)
    T_fs = T_s - appr
    cp_w = float(water.cp_pT(T_fs + 0.5 * dT_fw))
    m_fw = Q_liq / (cp_w * dT_fw)
    ua = sizing.heat_exchanger_ua(Q_(Q_liq, "W"), hot_inlet=Q_(T_s + dT_tcs, "K"),
                                  hot_outlet=Q_(T_s, "K"), cold_inlet=Q_(T_fs, "K"),
                                  cold_outlet=Q_(T_fs + dT_fw, "K"), arrangement=cdu.arrangement)
    # nodes and edges of the TCS loop
    ret, pout, hxin, sup = (f"{name}.return", f"{name}.pump_out", f"{name}.hx_in",
                            f"{name}.supply")
    pitch = float(U.to_si(cdu.rack_pitch, "m", "rack_pitch"))
    d_hdr = sizing.pipe_diameter(Q_(V, "m^3/s"), max_velocity=cdu.header_velocity).m_as("m")
    hdr = dict(diameter=Q_(d_hdr, "m"), roughness=Q_(0.045, "mm"))
    npump = int(cdu.duty_pumps)
    # pump: design head estimate = rated drops + 30 % for piping, manifolds and hoses
    head_est = 1.3 * (float(U.to_si(cdu.hx_pressure_drop, "Pa", "hx_pressure_drop"))
                      + float(U.to_si(cdu.strainer_pressure_drop, "Pa", "strainer"))
                      + rack.gpu.rated_pressure_drop.m_as("Pa") * 1.2
                      + float(U.to_si(rack.quick_disconnect_pressure_drop, "Pa", "qd")) + 20e3)
    pump_kw = dict(efficiency=cdu.pump_efficiency, motor_efficiency=cdu.motor_efficiency,
                   count=count * npump)
    if controls and cdu.control == "differential_pressure":
        curve = sizing.pump_curve_for_duty(Q_(V / npump, "m^3/s"), Q_(head_est, "Pa"))
        net.add_pump(f"{name}.pump", ret, pout, curve=curve, **pump_kw)
    else:
        net.add_pump(f"{name}.pump", ret, pout, flow=Q_(V / npump, "m^3/s"), **pump_kw)
    net.add_heat_load(f"{name}.strainer", pout, hxin, heat=Q_(0, "W"),
                      pressure_drop=cdu.strainer_pressure_drop, rated_flow=Q_(V, "m^3/s"),
                      count=count)
    fs, fr = facility
    fin, fout, fv = f"{name}.fw_in", f"{name}.fw_out", f"{name}.fw_valve_in"
    if controls and cdu.control_temperature:
        ua = ua * (1.0 + cdu.hx_margin)
    net.add_heat_exchanger(f"{name}.hx", hot=(hxin, sup), cold=(fin, fout), ua=ua,
                           arrangement=cdu.arrangement, hot_pressure_drop=cdu.hx_pressure_drop,
                           hot_rated_flow=Q_(V, "m^3/s"), cold_pressure_drop=cdu.hx_pressure_drop,
                           cold_rated_flow=Q_(m_fw, "kg/s"), count=count)
    # row
    if expanded:
        hs = [f"{name}.hs{k}" for k in range(n_racks)]
        hr = [f"{name}.hr{k}" for k in range(n_racks)]
        net.add_pipe(f"{name}.feed", sup, hs[0], length=cdu.row_distance, **hdr)
        if n_racks > 1:
            net.add_pipes([f"{name}.hseg{k}" for k in range(n_racks - 1)], hs[:-1], hs[1:],
                          length=Q_(pitch, "m"), **hdr)
            if cdu.row_arrangement == "direct":
                net.add_pipes([f"{name}.rseg{k}" for k in range(n_racks - 1)], hr[1:], hr[:-1],
                              length=Q_(pitch, "m"), **hdr)
            else:
                net.add_pipes([f"{name}.rseg{k}" for k in range(n_racks - 1)], hr[:-1], hr[1:],
                              length=Q_(pitch, "m"), **hdr)
        last = hr[0] if cdu.row_arrangement == "direct" else hr[-1]
        net.add_pipe(f"{name}.back", last, ret, length=cdu.row_distance, **hdr)
        rack_names = [f"{name}.rack{k}" for k in range(n_racks)]
        add_racks(net, rack_names, hs, hr, rack, count=1)
    else:
        L = float(U.to_si(cdu.row_distance, "m", "row_distance")) + 0.5 * pitch * n_racks
        net.add_pipe(f"{name}.feed", sup, f"{name}.hs0", length=Q_(L, "m"), count=count, **hdr)
        net.add_pipe(f"{name}.back", f"{name}.hr0", ret, length=Q_(L, "m"), count=count, **hdr)
        rack_names = [f"{name}.rack0"]
        add_racks(net, rack_names, [f"{name}.hs0"], [f"{name}.hr0"], rack,
                  count=count * n_racks)
    net.add_expansion_tank(ret, pressure=cdu.tank_pressure)
    net.set_fluid(ret, fluid)
    # facility branch: supply pipe, control valve, HX cold side, return pipe
    V_fw = m_fw / float(water.density_pT(T_fs))
    d_br = sizing.pipe_diameter(Q_(V_fw, "m^3/s"), max_velocity=Q_(2.0, "m/s")).m_as("m")
    br = dict(length=D.FACILITY_BRANCH_LENGTH.value, diameter=Q_(d_br, "m"), count=count)
    net.add_pipe(f"{name}.fw_branch_s", fs, fv, **br)
    dp_v = D.FACILITY_VALVE_PRESSURE_DROP.value.m_as("bar")
    kv_design = V_fw * 3600.0 / math.sqrt(dp_v)
    net.add_valve(f"{name}.fw_valve", fv, fin, kvs=Q_(kv_design / 0.7, "m^3/h"),
                  opening=0.7, count=count)
    net.add_pipe(f"{name}.fw_branch_r", fout, fr, **br)
    if controls:
        if cdu.control_temperature:
            net.add_control(f"{name}.supply_temperature",
                            actuator=("valve_opening", f"{name}.fw_valve"),
                            target=("outlet_temperature", f"{name}.hx:hot"),
                            setpoint=cdu.supply_temperature, bounds=(0.01, 1.0))
        if cdu.control == "differential_pressure":
            net.add_control(f"{name}.dp", actuator=("pump_speed", f"{name}.pump"),
                            target=("pressure_difference", sup, ret),
                            setpoint=cdu.differential_pressure, bounds=(0.2, 1.6))
    return dict(name=name, n_racks=n_racks, count=count, expanded=expanded, it_power=P_it,
                liquid_heat=Q_liq, flow=V, facility_mass_flow=m_fw, ua=ua.m_as("W/K"),
                tcs_delta_t=dT_tcs, racks=rack_names, head_estimate=head_est,
                facility_pressure_drop_design=(float(U.to_si(cdu.hx_pressure_drop, "Pa", "dp"))
                                               + dp_v * 1e5))


# ======================================================================= campus
@dataclass
class _Block:
    name: str
    n_racks: int
    count: int
    expanded: bool


class Campus:
    """A liquid-cooled campus: racks → CDUs → halls → facility water → fjord.

    Parameters
    ----------
    it_power : Quantity, optional
        IT power of the phase (e.g. ``Q_(20, "MW")``, phase 1, R3). Racks =
        IT power / rack IT power, rounded up.
    gpus : int, optional
        GPU count instead of (or as a check of) ``it_power``; racks = GPUs / 72
        rounded up. Giving both raises if the GPUs need more power than given
        (narvik-facts §0: 15,000 GPUs need 27–30 MW, not 20 MW).
    rack : Rack, optional
        Rack definition (NVL72-class GB300, 135 kW).
    cdu : CDU, optional
        CDU definition (3 K approach, 1.3 L/min/kW, N+1 pumps, controls).
    racks_per_cdu : int
        Racks per CDU (10 → 1.35 MW, R32).
    hall_it_power : Quantity
        IT power per hall (20 MW [GEK]); halls are fed in parallel by their own
        supply and return mains from the plant room.
    fjord : FjordLoop, optional
        Seawater loop (intake depth, month, limits; see :mod:`.fjord`).
    expand : bool or sequence of int
        ``False`` (default): identical CDU rows represented once with a
        multiplicity; ``True``: every CDU and rack explicit; a list of CDU
        indices: those rows explicit, the rest replicated.
    facility_pump_capacity : Quantity
        Largest flow of one facility duty pump (0.3 m³/s [GEK]); one standby noted.
    controls : bool
        Default ``False``: a design-point solve — ideal fixed-flow CDU pumps at
        the flow per kW, CDU HX sized exactly for the approach, facility and
        seawater flows at design, so the solved approach and supply temperature
        land on the design within the effect of pump heat. ``True`` uses
        ``Network.add_control`` (solved together by Broyden's method; phase 1
        converges with all set-points met; two CDU valves sharing a fixed-speed
        facility pump near full opening do not yet converge) for the CDU
        pump speed (flow per kW or differential pressure) and the CDU
        facility-water valve (TCS supply temperature), and, if
        ``fjord.control``, the seawater flow (facility supply temperature).
    facility_control : bool
        Also hold the hall differential pressure by the facility pump speed;
        default ``False``: the facility pumps run at constant speed on a curve
        through the design point with 15 % head margin, and the CDU valves
        throttle. (With the Jacobi-secant control solver, the speed loop
        interacts with the CDU valve loops and may not converge.)
    heat_export : HeatExport, optional
        Heat export in the same network
        (:class:`~narvik_thermal.plant.heat_export.HeatExport`): heat-pump
        evaporators on the facility-water return, in series before the fjord
        heat exchanger (the fjord takes what the heat pumps leave; it stays
        sized for the full duty), condensers feeding the district-heating
        network, built by
        :func:`~narvik_thermal.plant.heat_export.add_district_heating`.
        :meth:`solve` then holds the consumers' return temperatures and the DH
        pump head by :func:`~narvik_thermal.plant.heat_export.solve_regulated`.
    name : str
        Network name.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.cooling import Campus
    >>> c = Campus(it_power=nt.Q_(20, "MW"))
    >>> c.n_racks, c.gpus
    (149, 10728)
    """

    def __init__(self, it_power: Any = None, gpus: int | None = None, *, rack: Rack | None = None,
                 cdu: CDU | None = None, racks_per_cdu: int = D.CDU_RACKS.value,
                 hall_it_power: Any = D.HALL_IT_POWER.value, fjord: FjordLoop | None = None,
                 expand: bool | Sequence[int] = False,
                 facility_pump_capacity: Any = Q_(0.3, "m^3/s"), controls: bool = False,
                 facility_control: bool = False, heat_export: Any = None,
                 name: str | None = None) -> None:
        self.rack = rack or Rack()
        self.cdu = cdu or CDU()
        self.fjord = fjord or FjordLoop()
        if int(racks_per_cdu) != racks_per_cdu or racks_per_cdu < 1:
            raise InputError(f"Campus: racks_per_cdu={racks_per_cdu!r} must be an integer ≥ 1 "
                             "(default 10 racks = 1.35 MW per CDU, R32).")
        P_rack = self.rack.it_power.m_as("W")
        if it_power is None and gpus is None:
            raise InputError("Campus: give it_power= (e.g. Q_(20, 'MW')) or gpus= (e.g. 10000).")
        if gpus is not None:
            if int(gpus) != gpus or gpus < 1:
                raise InputError(f"Campus: gpus={gpus!r} must be a positive integer.")
            n_gpu_racks = math.ceil(int(gpus) / self.rack.gpus)
        if it_power is not None:
            P = float(U.to_si(it_power, "W", "it_power"))
            if not P > 0:
                raise InputError(f"Campus: it_power={it_power} must be positive.")
            n_racks = math.ceil(P / P_rack - 1e-9)
            if gpus is not None and n_gpu_racks > n_racks:
                need = n_gpu_racks * P_rack / 1e6
                fit = math.floor(P / P_rack) * self.rack.gpus
                raise InputError(
                    f"Campus: {gpus} GPUs need {n_gpu_racks} racks of "
                    f"{P_rack / 1e3:.0f} kW = {need:.1f} MW of IT, more than it_power="
                    f"{P / 1e6:.1f} MW, which holds about {fit} GPUs (narvik-facts §0: "
                    "15,000 GPUs do not fit in 20 MW). Give one of the two, or raise it_power.")
            if gpus is not None:
                n_racks = n_gpu_racks
        else:
            n_racks = n_gpu_racks
        self.n_racks = int(n_racks)
        self.racks_per_cdu = int(racks_per_cdu)
        self.n_cdus = math.ceil(self.n_racks / self.racks_per_cdu)
        P_tot = self.n_racks * P_rack
        self.n_halls = max(1, math.ceil(P_tot / float(U.to_si(hall_it_power, "W",
                                                               "hall_it_power")) - 1e-9))
        self.facility_pump_capacity = facility_pump_capacity
        self.controls = bool(controls)
        self.facility_control = bool(facility_control)
        if heat_export is not None:
            from .heat_export import HeatExport
            if not isinstance(heat_export, HeatExport):
                raise InputError("Campus: heat_export= must be a HeatExport(dh=..., "
                                 "heat_pumps=...) from narvik_thermal.plant.heat_export.")
        self.heat_export = heat_export
        self.name = name or f"campus-{P_tot / 1e6:.0f}MW"
        # racks per CDU: q+1 for the first `rem` CDUs, q for the others
        q, rem = divmod(self.n_racks, self.n_cdus)
        self._cdu_racks = np.array([q + 1] * rem + [q] * (self.n_cdus - rem), dtype=int)
        if expand is True:
            exp = set(range(self.n_cdus))
        elif expand is False or expand is None:
            exp = set()
        else:
            exp = {int(i) for i in expand}
            bad = [i for i in exp if not 0 <= i < self.n_cdus]
            if bad:
                raise InputError(f"Campus: expand={list(expand)} names CDU(s) {bad} but there "
                                 f"are {self.n_cdus} CDUs (indices 0…{self.n_cdus - 1}).")
        self.expanded = sorted(exp)
        blocks = [_Block(f"cdu{i}", int(self._cdu_racks[i]), 1, True) for i in sorted(exp)]
        rest = [i for i in range(self.n_cdus) if i not in exp]
        for nr in sorted({int(self._cdu_racks[i]) for i in rest}, reverse=True):
            idx = [i for i in rest if self._cdu_racks[i] == nr]
            blocks.append(_Block(f"cdu{idx[0]}" + (f"x{len(idx)}" if len(idx) > 1 else ""),
                                 nr, len(idx), False))
        self.blocks = blocks
        self.network = None
        self.design: dict = {}

    @property
    def gpus(self) -> int:
        """GPUs installed (racks × GPUs per rack)."""
        return self.n_racks * self.rack.gpus

    @property
    def it_power(self) -> Any:
        """Installed IT power (racks × rack IT power) [MW]."""
        return (self.n_racks * self.rack.it_power).to("MW")

    def build(self) -> Any:
        """Build the network (cached in ``self.network``) and the design values.

        Returns
        -------
        Network
        """
        from ..fluids import propylene_glycol, water
        from ..network import Network
        pg, w = propylene_glycol(0.25), water()
        cdu = self.cdu
        net = Network(self.name)
        controls = self.controls
        T_fs = cdu.facility_supply_temperature.m_as("K")
        dT_fw = float(U.to_temperature_difference(cdu.facility_delta_t, "facility_delta_t"))
        infos = [_add_cdu(net, b.name, b.n_racks, self.rack, cdu, b.count, ("hall.s", "hall.r"),
                          b.expanded, pg, w, controls) for b in self.blocks]
        Q_liq = sum(i["liquid_heat"] * i["count"] for i in infos)
        m_fw = sum(i["facility_mass_flow"] * i["count"] for i in infos)
        V_fw = m_fw / float(w.density_pT(T_fs))
        # facility plant: pumps, fjord HX, mains to the halls
        cap = float(U.to_si(self.facility_pump_capacity, "m^3/s", "facility_pump_capacity"))
        n_fp = max(1, math.ceil(V_fw / cap - 1e-9))
        z_p = D.PLANT_ELEVATION.value
        net.add_nodes(["fac.r", "fac.pump_out", "fac.s"], elevation=z_p)
        d_main = sizing.pipe_diameter(Q_(V_fw / self.n_halls, "m^3/s"),
                                      max_velocity=D.FACILITY_VELOCITY.value).m_as("m")
        dp_hall = max(i["facility_pressure_drop_design"] for i in infos) + 30e3
        L_main = D.FACILITY_MAIN_LENGTH.value.m_as("m")
        grad = sizing.pipe_pressure_gradient(Q_(V_fw / self.n_halls, "m^3/s"), Q_(d_main, "m"),
                                             fluid=w, temperature=Q_(T_fs, "K")).m_as("Pa/m")
        dp_pump = dp_hall + 2 * L_main * grad + D.FJORD_HX_PRESSURE_DROP.value.m_as("Pa")
        pump_kw = dict(efficiency=D.PUMP_EFFICIENCY_LARGE.value,
                       motor_efficiency=D.MOTOR_EFFICIENCY.value, count=n_fp)
        if controls:
            # constant-speed curve pumps sized at design with 15 % head margin, so that
            # the CDU valves have authority over the facility flow
            curve = sizing.pump_curve_for_duty(Q_(V_fw / n_fp, "m^3/s"), Q_(1.15 * dp_pump, "Pa"))
            net.add_pump("fac.pump", "fac.r", "fac.pump_out", curve=curve, **pump_kw)
        else:
            net.add_pump("fac.pump", "fac.r", "fac.pump_out", flow=Q_(V_fw / n_fp, "m^3/s"),
                         **pump_kw)
        fj_in = "fac.pump_out"
        he_info = None
        if self.heat_export is not None:
            from .heat_export import add_district_heating
            he = self.heat_export
            if not T_fs + dT_fw < he.dh.supply_temperature:
                raise InputError(
                    f"Campus: the facility return ({T_fs + dT_fw - 273.15:.1f} °C) is not below "
                    f"the district-heating supply ({he.dh.supply_temperature - 273.15:.1f} °C); "
                    "no heat pump is needed.")
            net.add_nodes(["fac.hp_out"], elevation=z_p)
            he_info = add_district_heating(net, he.dh, heat_pumps=he.heat_pumps,
                                           evaporator=("fac.pump_out", "fac.hp_out"),
                                           controls=he.use_controls)
            fj_in = "fac.hp_out"
        fj = add_fjord_loop(net, (fj_in, "fac.s"), duty=Q_(Q_liq, "W"),
                            hot_inlet=Q_(T_fs + dT_fw, "K"), hot_outlet=Q_(T_fs, "K"),
                            fjord=self.fjord)
        main = dict(length=D.FACILITY_MAIN_LENGTH.value, diameter=Q_(d_main, "m"),
                    count=self.n_halls)
        net.add_pipe("hall.main_s", "fac.s", "hall.s", **main)
        net.add_pipe("hall.main_r", "hall.r", "fac.r", **main)
        net.add_expansion_tank("fac.r", pressure=D.FACILITY_TANK_PRESSURE.value)
        net.set_fluid("fac.r", w)
        if controls and self.facility_control:
            net.add_control("facility.differential_pressure",
                            actuator=("pump_speed", "fac.pump"),
                            target=("pressure_difference", "hall.s", "hall.r"),
                            setpoint=Q_(dp_hall, "Pa"), bounds=(0.2, 1.5))
        if controls:
            if self.fjord.control:
                lo, hi = self.fjord.flow_bounds
                if self.fjord.max_discharge_rise is not None:
                    # never less seawater than keeps the design duty within the
                    # discharge-rise limit (the control would otherwise trade the
                    # facility supply temperature against the fjord)
                    lim = float(U.to_temperature_difference(self.fjord.max_discharge_rise,
                                                            "max_discharge_rise"))
                    lo = max(lo, fj["rise"] / lim)
                Vp = fj["flow"] / fj["duty_pumps"]
                net.add_control("seawater.facility_supply_temperature",
                                actuator=("pump_flow", fj["pump"]),
                                target=("outlet_temperature", f"{fj['hx']}:hot"),
                                setpoint=Q_(T_fs, "K"),
                                bounds=(Q_(lo * Vp, "m^3/s"), Q_(hi * Vp, "m^3/s")))
        self.network = net
        self.design = dict(cdus=infos, fjord=fj, facility_flow=V_fw, facility_pumps=n_fp,
                           facility_main_diameter=d_main, hall_differential_pressure=dp_hall,
                           liquid_heat=Q_liq, controls=controls, heat_export=he_info)
        return net

    def solve(self, **options: Any) -> "PlantResult":
        """Build (if needed) and solve; returns a :class:`PlantResult`.

        Parameters
        ----------
        **options
            :class:`~narvik_thermal.SolverOptions` fields.
        """
        if self.network is None:
            self.build()
        he = self.heat_export
        if he is None:
            return PlantResult(self, self.network.solve(**options))
        from .heat_export import solve_regulated
        res, it, head, _ = solve_regulated(
            self.network, he.dh, tol=he.tol, max_iter=he.max_iter,
            use_controls=he.use_controls, what=f"campus {self.name}", **options)
        return PlantResult(self, res, heat_export=(it, head))


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, q: Sequence[float]) -> np.ndarray:
    o = np.argsort(x)
    cw = np.cumsum(w[o])
    cw = cw / cw[-1]
    return np.interp(q, cw, x[o])


class PlantResult:
    """Solved campus: what a planner reads (all values are pint Quantities).

    Attributes
    ----------
    campus : Campus
    result : Result
        The network result (``result.edges``, ``result.nodes``, flags, controls).
    chips : dict
        ``hottest`` (name), ``hottest_temperature``, GPU chip-temperature
        ``gpu_min``, ``gpu_p50``, ``gpu_p95``, ``gpu_max`` (count-weighted).
    cdus : list of dict
        Per CDU block: ``name``, ``count``, ``racks``, ``tcs_flow`` [L/min],
        ``rack_flow`` [L/min], ``facility_flow`` [kg/s], ``supply_temperature``,
        ``return_temperature``, ``facility_supply_temperature``, ``approach`` [K],
        ``duty`` [MW] (one CDU), ``valve_opening``.
    facility_flow, seawater_flow : Quantity
        Total facility-water mass flow [kg/s] and seawater volume flow [m³/s].
    pump_power : dict
        Electrical power [kW] of the ``cdu``, ``facility`` and ``seawater`` pumps and ``total``.
    discharge : dict
        From :func:`~narvik_thermal.plant.fjord.check_discharge`.
    energy : dict
        ``it_heat``, ``heat_to_liquid``, ``heat_to_air``, ``pump_heat``,
        ``heat_to_fjord``, ``heat_exported`` [MW] and ``relative_residual`` of
        IT + pump heat = fjord + air + exported [-]. ``pump_heat`` is the heat
        of the cooling-side pumps (CDU, facility, seawater); ``heat_exported``
        is the heat the heat-pump evaporators take from the facility water.
    heat_export : HeatExportResult or None
        With ``Campus(heat_export=...)``: the district-heating side read as
        :class:`~narvik_thermal.plant.heat_export.HeatExportResult` (heat pumps,
        boiler, losses, consumers, CO2 and feasibility figures).
    flags : list of Flag
    """

    def __init__(self, campus: Campus, result: Any, heat_export: tuple | None = None) -> None:
        self.campus = campus
        self.result = result
        self.flags = result.flags
        cn = result._cn
        ds = result.edges
        m, rho = result._m, result._s["rho_e"]
        # chips
        chip = ds["chip_temperature"].values
        cnt = cn.count
        isplate = ~np.isnan(chip)
        k = int(np.nanargmax(chip))
        names = np.asarray(cn.edge_names, dtype=object)
        gpu = isplate & (np.char.find(names.astype(str), ".gpu") >= 0)
        qs = _weighted_quantiles(chip[gpu], cnt[gpu], [0.0, 0.5, 0.95, 1.0])
        self.chips = dict(hottest=str(names[k]), hottest_temperature=Q_(float(chip[k]), "degC"),
                          gpu_min=Q_(qs[0], "degC"), gpu_p50=Q_(qs[1], "degC"),
                          gpu_p95=Q_(qs[2], "degC"), gpu_max=Q_(qs[3], "degC"),
                          n_gpus=int(cnt[gpu].sum()))
        # CDUs
        self.cdus = []
        for info in campus.design["cdus"]:
            nm = info["name"]
            c = info["count"]
            pe = cn.edge_id(f"{nm}.pump")
            hot = cn.edge_id(f"{nm}.hx:hot")
            cold = cn.edge_id(f"{nm}.hx:cold")
            t_sup = result.outlet_temperature(f"{nm}.hx:hot").m_as("degC")
            t_ret = result.temperature(f"{nm}.hx_in").m_as("degC")
            t_fs = result.temperature(f"{nm}.fw_in").m_as("degC")
            racks = [rack_report(result, r, campus.rack) for r in info["racks"]]
            vgrp = cn.hgroups
            vid = cn.edge_id(f"{nm}.fw_valve")
            from ..components.kinds import HydraulicLaw
            g = vgrp[HydraulicLaw.VALVE_KV]
            opening = float(g.params["opening"][np.flatnonzero(g.idx == vid)[0]])
            self.cdus.append(dict(
                name=nm, count=c, racks=info["n_racks"], expanded=info["expanded"],
                tcs_flow=Q_(float(m[pe] / rho[pe] / c) * 60000, "L/min"),
                rack_flow=Q_([r.rack_flow.m_as("L/min") for r in racks], "L/min"),
                rack_reports=racks,
                facility_flow=Q_(float(m[cold] / c), "kg/s"),
                supply_temperature=Q_(t_sup, "degC"), return_temperature=Q_(t_ret, "degC"),
                facility_supply_temperature=Q_(t_fs, "degC"),
                facility_return_temperature=result.outlet_temperature(f"{nm}.hx:cold"),
                approach=Q_(t_sup - t_fs, "K"),
                duty=Q_(float(result._s["Q"][cold]) / c / 1e6, "MW"),
                pump_head=result.pump_head(f"{nm}.pump"), valve_opening=opening,
                hot_edge=hot))
        fj = campus.design["fjord"]
        self.facility_flow = result.mass_flow("fac.pump")
        self.seawater_flow = result.volume_flow(fj["pump"]).to("m^3/s")
        cdu_pw = sum(result.pump_power(f"{i['name']}.pump").m_as("kW")
                     for i in campus.design["cdus"])
        fac_pw = result.pump_power("fac.pump").m_as("kW")
        sw_pw = result.pump_power(fj["pump"]).m_as("kW")
        self.pump_power = dict(cdu=Q_(cdu_pw, "kW"), facility=Q_(fac_pw, "kW"),
                               seawater=Q_(sw_pw, "kW"), total=Q_(cdu_pw + fac_pw + sw_pw, "kW"))
        self.discharge = check_discharge(result, fj, campus.fjord)
        self.flags = result.flags
        # energy balance
        from ..components.kinds import EdgeKind
        Qe = result._s["Q"]
        liquid = float(Qe[cn.kind == EdgeKind.COLD_PLATE].sum())
        he_info = campus.design.get("heat_export")
        cooling = np.ones(cn.n_edges, bool)
        self.heat_export = None
        exported = 0.0
        if he_info is not None:
            from .heat_export import HeatExportResult
            c_dh = cn.node_circuit[cn.node_id("plant:return")]
            cooling = cn.edge_circuit != c_dh
            it_, head = heat_export if heat_export is not None else (0, float("nan"))
            self.heat_export = HeatExportResult(campus.heat_export, result, it_, head,
                                                evaporator_inlet=he_info["evaporator"][0])
            exported = result.heat_pump(he_info["heat_pump"])["heat_source"].m_as("W")
        pump_heat = float(Qe[(cn.kind == EdgeKind.PUMP) & cooling].sum())
        lf = campus.rack.liquid_fraction
        it = liquid / lf
        air = it - liquid
        c_sw = cn.node_circuit[cn.node_id(fj["intake_node"])]
        b = result.balance[cn.circuit_label[c_sw]]
        fjord_heat = b["enthalpy_out"] - b["enthalpy_in"]
        resid = it + pump_heat - (fjord_heat + air + exported)
        self.energy = dict(it_heat=Q_(it / 1e6, "MW"), heat_to_liquid=Q_(liquid / 1e6, "MW"),
                           heat_to_air=Q_(air / 1e6, "MW"), pump_heat=Q_(pump_heat / 1e6, "MW"),
                           heat_to_fjord=Q_(fjord_heat / 1e6, "MW"),
                           heat_exported=Q_(exported / 1e6, "MW"),
                           residual=Q_(resid, "W"), relative_residual=abs(resid) / it)

    @property
    def controls(self) -> dict:
        """Control loops of the solve (``Result.controls``)."""
        return getattr(self.result, "controls", {})

    @property
    def hottest_chip_temperature(self) -> Any:
        return self.chips["hottest_temperature"]

    def summary(self) -> str:
        """A plain-text report for a planner."""
        c = self.campus
        e = self.energy
        lines = [f"Campus {c.name}: {c.n_racks} racks × {c.rack.it_power.m_as('kW'):.1f} kW = "
                 f"{c.it_power.m_as('MW'):.2f} MW IT, {c.gpus} GPUs, {c.n_cdus} CDUs "
                 f"({c.racks_per_cdu} racks each at most), {c.n_halls} hall(s); "
                 f"{len(c.blocks)} CDU block(s), {len(c.expanded)} expanded",
                 f"  (narvik-facts §0: 20 MW holds about {int(20e6 // c.rack.it_power.m_as('W')) * c.rack.gpus} "
                 "GPUs; 15,000 GPUs would need about "
                 f"{math.ceil(15000 / c.rack.gpus) * c.rack.it_power.m_as('MW'):.1f} MW)",
                 f"  solve: converged={self.result.converged}, "
                 f"{self.result.convergence.get('seconds', float('nan')):.2f} s",
                 f"  chips: hottest {self.chips['hottest']} at "
                 f"{self.chips['hottest_temperature'].m_as('degC'):.2f} °C; GPUs "
                 f"{self.chips['gpu_min'].m_as('degC'):.2f} / {self.chips['gpu_p50'].m_as('degC'):.2f} "
                 f"/ {self.chips['gpu_p95'].m_as('degC'):.2f} / {self.chips['gpu_max'].m_as('degC'):.2f} °C "
                 "(min / median / p95 / max)"]
        for d in self.cdus:
            rf = d["rack_flow"].m_as("L/min")
            lines.append(
                f"  {d['name']} (×{d['count']}, {d['racks']} racks{', expanded' if d['expanded'] else ''}): "
                f"TCS {d['tcs_flow'].m_as('L/min'):.0f} L/min, {d['supply_temperature'].m_as('degC'):.2f}"
                f"→{d['return_temperature'].m_as('degC'):.2f} °C; rack flow {rf.min():.1f}…{rf.max():.1f} "
                f"L/min; facility {d['facility_flow'].m_as('kg/s'):.2f} kg/s at "
                f"{d['facility_supply_temperature'].m_as('degC'):.2f} °C; approach "
                f"{d['approach'].m_as('K'):.3f} K; duty {d['duty'].m_as('MW'):.3f} MW; valve "
                f"{d['valve_opening']:.2f}; pump head {d['pump_head'].m_as('m'):.1f} m")
        fj = c.design["fjord"]
        lines += [f"  facility water: {self.facility_flow.m_as('kg/s'):.1f} kg/s "
                  f"({c.design['facility_pumps']} duty pumps + 1 standby)",
                  f"  seawater: {self.seawater_flow.m_as('m^3/s'):.3f} m³/s from "
                  f"{fj['intake_temperature'] - 273.15:.2f} °C at {c.fjord.intake_depth:~P} "
                  f"(month {c.fjord.month}); discharge "
                  f"{self.discharge['discharge_temperature'].m_as('degC'):.2f} °C, rise "
                  f"{self.discharge['rise'].m_as('K'):.2f} K "
                  + (f"(limit {self.discharge['limit'].m_as('K'):.1f} K, "
                     f"{'OK' if self.discharge['within_limit'] else 'OVER'})"
                     if self.discharge["limit"] is not None else "(no limit)"),
                  f"  fjord HX: {fj['units']} × UA {fj['ua_per_unit'] / 1e3:.0f} kW/K, "
                  f"{fj['area_per_unit']:.0f} m² each (titanium PHE, fouling "
                  f"{c.fjord.fouling:~P})",
                  f"  pump electricity: CDU {self.pump_power['cdu'].m_as('kW'):.1f} kW, facility "
                  f"{self.pump_power['facility'].m_as('kW'):.1f} kW, seawater "
                  f"{self.pump_power['seawater'].m_as('kW'):.1f} kW, total "
                  f"{self.pump_power['total'].m_as('kW'):.1f} kW",
                  f"  energy: IT {e['it_heat'].m_as('MW'):.4f} MW = liquid "
                  f"{e['heat_to_liquid'].m_as('MW'):.4f} + air {e['heat_to_air'].m_as('MW'):.4f}; "
                  f"to fjord {e['heat_to_fjord'].m_as('MW'):.4f} MW (includes pump heat "
                  f"{e['pump_heat'].m_as('MW'):.4f} MW); exported {e['heat_exported'].m_as('MW'):.4f} MW; "
                  f"balance residual {e['relative_residual']:.1e} of IT"]
        hx = self.heat_export
        if hx is not None:
            hp = hx.heat_pump
            L = hx.losses
            ret = np.array([hx.return_temperature(n_).m_as("degC") for n_ in hx.consumer_names])
            lines += [
                f"  heat pumps: COP {hp['cop'].m:.3f}, electric {hp['electric_power'].m_as('MW'):.3f} MW, "
                f"heat to DH {hp['heat_sink'].m_as('MW'):.3f} MW (from the facility water "
                f"{hp['heat_source'].m_as('MW'):.3f} MW){' (capacity-limited)' if hp['capacity_limited'] else ''}; "
                f"boiler {hx.boiler_heat.m_as('MW'):.3f} MW",
                f"  district heating: {hx.dh_heat_delivered.m_as('MW'):.3f} MW delivered to "
                f"{len(hx.consumer_names)} consumer(s) (returns {ret.min():.2f}…{ret.max():.2f} °C); "
                f"losses {L['total'].m_as('MW'):.3f} MW ({100 * hx.loss_share:.1f} % of the heat put "
                f"in); DH pump {hx.pump_power.m_as('kW'):.1f} kW electric, head "
                f"{hx.pump_head.m_as('m'):.1f} m; {hx.iterations} outer iteration(s)"]
        if self.controls:
            bad = [n for n, v in self.controls.items() if not v["met"]]
            lines.append(f"  controls: {len(self.controls)} loops, "
                         + ("all set-points met" if not bad else f"NOT MET: {', '.join(bad)}"))
        if self.flags:
            lines.append("  FLAGS:")
            lines += [f"    [{f.kind}] {f.message}" for f in self.flags]
        else:
            lines.append("  no flags")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<PlantResult {self.campus.name}: hottest chip "
                f"{self.chips['hottest_temperature'].m_as('degC'):.2f} °C, flags={len(self.flags)}>")


def phase(it_power: Any = None, gpus: int | None = None, **campus_kwargs: Any) -> PlantResult:
    """Build and solve one phase of the campus in one call.

    Parameters
    ----------
    it_power : Quantity or str, optional
        IT power, or a phase name of :data:`PHASES` (``"phase1"`` 20 MW, R3;
        ``"initial"`` 230 MW, ``"further"`` 290 MW, R1/R2). Default phase 1.
    gpus : int, optional
        GPU count (see :class:`Campus`).
    **campus_kwargs
        Any :class:`Campus` keyword (``rack=``, ``cdu=``, ``fjord=``, ``expand=``, …).

    Returns
    -------
    PlantResult

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> from narvik_thermal.plant.cooling import phase
    >>> r = phase(nt.Q_(20, "MW"))                               # doctest: +SKIP
    >>> print(r.summary())                                         # doctest: +SKIP
    """
    if isinstance(it_power, str) and it_power in PHASES:
        it_power = PHASES[it_power]
    if it_power is None and gpus is None:
        it_power = PHASES["phase1"]
    return Campus(it_power, gpus, **campus_kwargs).solve()
