"""Defaults of the cooling-plant builders, in one place, each with its source.

Every default is a :class:`Default`: a pint Quantity (or number), the source
IDs of ``reference/narvik-facts.md`` (R1…R107), and a note. ``[GEK]`` marks
general engineering knowledge that no searched source confirmed; ``est.``
marks a value computed from cited inputs. The builders of the cooling chain
(:mod:`~narvik_thermal.plant.cold_plates`, :mod:`~narvik_thermal.plant.rack`,
:mod:`~narvik_thermal.plant.cdu`, :mod:`~narvik_thermal.plant.campus`) and
:mod:`narvik_thermal.plant.fjord` read their defaults from here, so a planner
can see (and cite) every number that went into a result:

>>> from narvik_thermal.plant import defaults
>>> defaults.GPU_HEAT.value
<Quantity(1400, 'watt')>
>>> defaults.GPU_HEAT.source
'R12, R13, R14'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..components import cold_plate as _cp
from ..correlations import heat_pump_cycle as _hp
from ..correlations import heat_pump_limits as _hpl
from ..errors import user_api
from ..units import Q_

__all__ = ["Default", "DEFAULTS", "table"]


@dataclass(frozen=True)
class Default:
    """A default value with its source.

    Attributes
    ----------
    value : pint.Quantity or float
        The value.
    source : str
        Source IDs of ``reference/narvik-facts.md`` (e.g. ``"R19"``), ``"GEK"``
        or ``"est."``.
    note : str
        What the value stands for and its validation range.
    """

    value: Any
    source: str
    note: str = ""


# --------------------------------------------------------------- chips, plates
GPU_HEAT = Default(Q_(1400, "W"), "R12, R13, R14", "B300 GPU power, all to the cold plate")
GPU_THERMAL_RESISTANCE = Default(Q_(0.025, "K/W"), "R22, R23, R24",
                                 "chip→coolant inlet at rated flow (datasheet convention: "
                                 "T_case = T_inlet + q R); range 0.015–0.06 K/W")
GPU_RATED_FLOW = Default(Q_(1.8, "L/min"), "R18, R19 (est.)",
                         "≈ 1.3 L/min/kW × 1.4 kW; tray 8 L/min for 6.9 kW (R18)")
PLATE_RATED_PRESSURE_DROP = Default(Q_(20, "kPa"), "R22", "GB200 cold-plate target ≤ 20 kPa")
# the cold-plate exponents are one set with Network.add_cold_plate's defaults
# (narvik_thermal.components.cold_plate), which they cite
PLATE_PRESSURE_EXPONENT = Default(_cp.DEFAULT_PRESSURE_EXPONENT, "GEK",
                                  "Δp ∝ V^n: 1.75–2 for turbulent/minor-loss dominated passages "
                                  "(components.cold_plate.DEFAULT_PRESSURE_EXPONENT)")
PLATE_CONVECTIVE_FRACTION = Default(_cp.DEFAULT_CONVECTIVE_FRACTION, "GEK",
                                    "share of R that falls with flow "
                                    "(components.cold_plate.DEFAULT_CONVECTIVE_FRACTION)")
PLATE_RESISTANCE_EXPONENT = Default(_cp.DEFAULT_RESISTANCE_EXPONENT, "GEK",
                                    "R_conv ∝ V^-n; 0.5 laminar developing, 0.8 turbulent "
                                    "(components.cold_plate.DEFAULT_RESISTANCE_EXPONENT)")
GPU_MAX_CHIP_TEMPERATURE = Default(Q_(75, "degC"), "R8, R25",
                                   "B200 Tj ≈ 75 °C (third-party estimate); H100 throttles ≈ 83 °C")
CPU_HEAT = Default(Q_(300, "W"), "R11, R14 (est.)",
                   "Grace CPU: GB200 superchip 2,700 W − 2 × 1,200 W GPU")
CPU_THERMAL_RESISTANCE = Default(Q_(0.06, "K/W"), "GEK",
                                 "chip→coolant inlet; larger die area, lower flux")
CPU_RATED_FLOW = Default(Q_(0.5, "L/min"), "GEK (est.)", "≈ 1.3 L/min/kW × 0.3 kW, rounded up")
CPU_MAX_CHIP_TEMPERATURE = Default(Q_(85, "degC"), "GEK", "")
SWITCH_HEAT = Default(Q_(550, "W"), "est. (R10, R11, R15)",
                      "per NVLink switch chip, chosen so that the rack is 135 kW at 90 % liquid")
SWITCH_THERMAL_RESISTANCE = Default(Q_(0.05, "K/W"), "GEK", "chip→coolant inlet")
SWITCH_RATED_FLOW = Default(Q_(0.7, "L/min"), "GEK (est.)", "≈ 1.3 L/min/kW × 0.55 kW")
SWITCH_MAX_CHIP_TEMPERATURE = Default(Q_(85, "degC"), "GEK", "")

# ------------------------------------------------------------------------ rack
COMPUTE_TRAYS = Default(18, "R7, R8", "NVL72: 18 compute trays")
GPUS_PER_TRAY = Default(4, "R7, R8", "4 GPUs per compute tray")
CPUS_PER_TRAY = Default(2, "R7, R8", "2 Grace CPUs per compute tray")
SWITCH_TRAYS = Default(9, "R7, R8", "9 NVLink switch trays")
SWITCH_CHIPS_PER_TRAY = Default(2, "GEK", "2 NVLink switch ASICs per switch tray")
LIQUID_FRACTION = Default(0.90, "R15, R16, R17 (GEK default)",
                          "share of rack IT heat to liquid; GB300 tray ≈ 94 %; range 0.80–1.00")
RACK_IT_POWER = Default(Q_(135, "kW"), "R8, R10, R11", "GB300 NVL72 132–142 kW; range 115–145 kW")
FLOW_PER_KW = Default(Q_(1.3, "L/min/kW"), "R19", "TCS flow per kW of IT; range 1.0–2.0")
TRAY_PITCH = Default(Q_(44.45, "mm"), "GEK", "1U between tray tap-offs on the manifold")
MANIFOLD_DIAMETER = Default(Q_(38, "mm"), "GEK", "1.5-inch rack manifold, inner diameter")
MANIFOLD_ROUGHNESS = Default(Q_(0.0015, "mm"), "GEK", "drawn stainless tube")
MANIFOLD_TEE_LOSS = Default(0.2, "GEK", "K of a run-through tee per manifold segment")
QUICK_DISCONNECT_PRESSURE_DROP = Default(Q_(6, "kPa"), "GEK",
                                         "pair of UQD-class couplings (supply + return) of one tray")
QUICK_DISCONNECT_RATED_FLOW = Default(Q_(8, "L/min"), "R18", "tray flow ≈ 8 L/min")
RACK_HOSE_LENGTH = Default(Q_(3, "m"), "GEK", "hose from row header to rack manifold, each way")
RACK_HOSE_DIAMETER = Default(Q_(50, "mm"), "GEK", "")
RACK_HOSE_MINOR_LOSS = Default(3.0, "GEK", "isolation valve, bends, entry (sum of K)")

# ------------------------------------------------------------------------- CDU
TCS_SUPPLY_TEMPERATURE = Default(Q_(25, "degC"), "R18, R20, R21", "range 15–45 °C")
CDU_APPROACH = Default(Q_(3, "delta_degC"), "R19", "TCS supply − facility supply; range 2–5 K")
CDU_RACKS = Default(10, "R32 (est.)", "1.35 MW per CDU (LiquidStack 1,350 kW at N+1)")
CDU_HX_MARGIN = Default(0.15, "GEK", "extra UA over the exact-approach design (fouling, control authority)")
CDU_DUTY_PUMPS = Default(2, "R19", "duty pumps of an N+1 set (N = 2)")
CDU_STANDBY_PUMPS = Default(1, "R19", "standby pump of the N+1 set (not in the hydraulics)")
PUMP_EFFICIENCY = Default(0.70, "GEK", "pump hydraulic efficiency at duty")
MOTOR_EFFICIENCY = Default(0.95, "GEK", "motor and drive")
CDU_HX_PRESSURE_DROP = Default(Q_(50, "kPa"), "R19 (GEK)", "each side at design flow")
CDU_STRAINER_PRESSURE_DROP = Default(Q_(15, "kPa"), "R19, R29 (GEK)", "50 µm strainer, clean")
CDU_TANK_PRESSURE = Default(Q_(2.5, "bar"), "R19", "static pressure 2–6 bar")
ROW_RACK_PITCH = Default(Q_(0.6, "m"), "GEK", "rack width along the row header")
ROW_HEADER_VELOCITY = Default(Q_(2.0, "m/s"), "GEK", "header sizing velocity")
CDU_ROW_DISTANCE = Default(Q_(5, "m"), "GEK", "CDU to first rack, each way")

# -------------------------------------------------------------------- facility
FACILITY_DELTA_T = Default(Q_(10, "delta_degC"), "GEK", "facility-water rise over the CDUs")
FACILITY_TANK_PRESSURE = Default(Q_(3, "bar"), "GEK", "")
FACILITY_MAIN_LENGTH = Default(Q_(150, "m"), "GEK", "plant room to hall, each way")
FACILITY_BRANCH_LENGTH = Default(Q_(30, "m"), "GEK", "hall header to CDU, each way (lumped)")
FACILITY_VELOCITY = Default(Q_(2.5, "m/s"), "GEK", "main sizing velocity")
FACILITY_VALVE_PRESSURE_DROP = Default(Q_(30, "kPa"), "GEK", "CDU control valve at design, open")
HALL_IT_POWER = Default(Q_(20, "MW"), "R3 (est.)", "one hall per 20 MW (the phase-1 size)")
PUMP_EFFICIENCY_LARGE = Default(0.80, "GEK", "large facility and seawater pumps")
AIR_HANDLER_FAN_FRACTION = Default(0.04, "GEK",
                                   "air-handler (fan wall, CRAH) fan electricity per W of room-air "
                                   "heat at design; range 0.02–0.06")
AIR_HANDLER_MIN_SPEED = Default(0.3, "GEK", "lowest fan speed of the air handlers")
CDU_MIN_FLOW_FRACTION = Default(0.3, "GEK", "CDU pump turndown: the flow never falls below "
                                "30 % of design at part load")

# -------------------------------------------------------------------- air side
DRY_COOLER_MIN_APPROACH = Default(Q_(5, "delta_degC"), "GEK",
                                  "water out − design dry bulb of a dry cooler; 3–8 K")
DRY_COOLER_AIR_RISE = Default(Q_(10, "delta_degC"), "GEK", "air temperature rise at design")
DRY_COOLER_SPECIFIC_FAN_POWER = Default(Q_(150, "W/(m^3/s)"), "GEK",
                                        "EC fans of V-bank dry coolers, 100–250 W per m³/s")
TOWER_MIN_APPROACH = Default(Q_(4, "delta_degC"), "GEK",
                             "cold water − design wet bulb; towers rarely below 3 K")
TOWER_SPECIFIC_FAN_POWER = Default(Q_(120, "W/(m^3/s)"), "GEK", "induced-draft tower fans")
AIR_SIDE_PRESSURE_DROP = Default(Q_(60, "kPa"), "GEK", "water side of coil or tower circuit")

# ----------------------------------------------------------------------- fjord
FJORD_MONTH = Default(8, "R38", "design month: August, warmest surface water (12 °C)")
INTAKE_DEPTH = Default(Q_(60, "m"), "R36, R37 (GEK)", "deep intake 50–100 m: 5–8 °C all year")
INTAKE_LENGTH = Default(Q_(800, "m"), "GEK", "")
OUTFALL_DEPTH = Default(Q_(20, "m"), "GEK", "")
OUTFALL_LENGTH = Default(Q_(400, "m"), "GEK", "")
SEAWATER_VELOCITY = Default(Q_(2.0, "m/s"), "GEK", "intake/outfall sizing velocity (HDPE)")
SEAWATER_PIPE_ROUGHNESS = Default(Q_(0.05, "mm"), "GEK", "HDPE with some biofilm")
SEAWATER_RISE = Default(Q_(10, "delta_degC"), "narvik-facts defaults (est.)",
                        "seawater HX ΔT; range 6–12 K")
MAX_DISCHARGE_RISE = Default(Q_(12, "delta_degC"), "R48, R49",
                             "no Norwegian national limit (case-by-case permit); UK 10–12 K")
PHE_U_CLEAN = Default(Q_(4000, "W/(m^2*K)"), "R44", "water–water plate HX 3,000–5,000")
PHE_FOULING = Default(Q_(7e-5, "m^2*K/W"), "R45, R46", "seawater, 30 days; not TEMA tubular")
PHE_PLATE_THICKNESS = Default(Q_(0.5, "mm"), "GEK", "pressed plate HX plates 0.4–0.6 mm")
TITANIUM_CONDUCTIVITY = Default(Q_(21.9, "W/(m*K)"), "GEK",
                                "pure titanium at 300 K (Bergman et al. 2011, Table A.1); "
                                "seawater plates (R43)")
STAINLESS_CONDUCTIVITY = Default(Q_(13.4, "W/(m*K)"), "GEK",
                                 "AISI 316 at 300 K (Bergman et al. 2011, Table A.1); CDU plates")
FJORD_HX_UNIT_DUTY = Default(Q_(10, "MW"), "GEK", "duty of one titanium plate HX")
FJORD_HX_PRESSURE_DROP = Default(Q_(60, "kPa"), "GEK", "each side at design flow")
SEAWATER_NPSH_REQUIRED = Default(Q_(3, "m"), "GEK", "net positive suction head a seawater pump needs at its duty point; the controls keep the flow within it")
FJORD_PUMP_ELEVATION = Default(Q_(-5, "m"), "GEK", "seawater pump in a dry pit below sea level (positive suction)")
PLANT_ELEVATION = Default(Q_(5, "m"), "GEK", "plant-room floor above sea level")

# ---------------------------------------------------------- district heating
DH_PRESSURE_RATING = Default(Q_(16, "bar"), "GEK",
                             "PN16: nominal (gauge) pressure of distribution pipe in Nordic "
                             "DH networks; transmission lines are often PN25")

# ------------------------------------------------------------------ heat pumps
# (HeatPumpSpec; the compressor limits per refrigerant are in
# narvik_thermal.correlations.heat_pump_limits.COMPRESSOR_LIMITS, with theirs)
HP_REFRIGERANT = Default("R717", "R39, R40, R62, R66", "ammonia, as at Drammen and Odense")
HP_ISENTROPIC_EFFICIENCY = Default(_hp.DEFAULT_ISENTROPIC_EFFICIENCY, "GEK",
                                   "screw/reciprocating 0.6–0.8; reproduces Drammen within 10 %")
HP_MAX_SINK_STEP = Default(Q_(_hpl.DEFAULT_MAX_SINK_STEP, "delta_degC"), "GEK",
                           "largest sink rise of one condenser; a larger glide is split over "
                           "units in series (Drammen: 25 K over three units)")
HP_MIN_MODULATION = Default(_hpl.DEFAULT_MIN_MODULATION, "GEK",
                            "part-load ratio below which large DH heat pumps cycle (20–30 %)")
HP_FREEZE_MARGIN = Default(Q_(_hpl.FREEZE_PROTECTION_MARGIN, "delta_degC"), "GEK",
                           "lowest evaporator outlet above the source's freezing point")

#: Every default by name.
DEFAULTS: dict[str, Default] = {k: v for k, v in dict(globals()).items()
                                if isinstance(v, Default)}


@user_api
def table() -> str:
    """A plain-text table of every default, its value and its source.

    Returns
    -------
    str
        One line per default: ``NAME = value  [source] note``.

    Examples
    --------
    >>> "CDU_APPROACH" in table()
    True
    """
    lines = []
    for k, d in DEFAULTS.items():
        v = d.value
        vs = f"{v:~P}" if hasattr(v, "units") else str(v)
        lines.append(f"{k:32s} = {vs:16s} [{d.source}] {d.note}")
    return "\n".join(lines)
