"""Plant builders: networks from engineering parameters, with sourced defaults.

Modules, each importing only from the ones listed before it:

- :mod:`.defaults` — every default value with its source.
- :mod:`.sizing` — heat-exchanger UA/area, pump duty and power, pipe
  diameters, seawater flow.
- :mod:`.fjord` — seawater intake, titanium plate heat exchangers with
  fouling, seawater pumps and the discharge check.
- :mod:`.cold_plates` — GPU/CPU/switch cold plates.
- :mod:`.rack` — NVL72-class racks with manifolds, the rack test bench and
  the rack report (per-tray flow, maldistribution, hottest chip).
- :mod:`.cdu` — CDUs: the TCS loop, its heat exchanger, pumps, controls and
  row of racks.
- :mod:`.district_heating` — district-heating layout: pipe sizes, buried-pipe
  U-values, consumers (town, greenhouse).
- :mod:`.heat_export_network` — the district-heating side of a network:
  heat pumps, peak boiler, circulation pump, substations, and the regulated
  solve.
- :mod:`.heat_export` — the standalone heat-export plant (heat pumps on a
  facility-water source, salmon farm), the campus heat export and the
  heat-export report.
- :mod:`.result` — the solved campus read as a plant report.
- :mod:`.campus` — halls and the campus (phases by IT power or GPU count):
  racks → CDUs → facility water → fjord, with optional heat export.
"""

from .air_side import Chiller, CoolingTower, DryCooler
from .campus import PHASES, Campus, phase
from .cdu import CDU
from .cold_plates import ColdPlate, cpu_cold_plate, gpu_cold_plate, switch_cold_plate
from .defaults import DEFAULTS, Default, table
from .district_heating import (PIPE_SERIES_1, Consumer, DistrictHeatingNetwork, PipeSize,
                               buried_pair_u_values, district_heating_network,
                               greenhouse_consumer, select_pipe, town_consumers)
from .fjord import FjordLoop, add_fjord_loop, check_discharge
from .heat_export import (FishFarm, HeatExport, HeatExportPlant, HeatExportResult,
                          heat_export_plant, town_heat_export)
from .heat_export_network import HeatPumpSpec
from .rack import Rack, add_racks, cdu_row_network, rack_network, rack_report
from .result import PlantResult
from .sizing import (flow_for_heat, heat_exchanger_area, heat_exchanger_ua, overall_u,
                     pipe_diameter, pipe_pressure_gradient, pump_curve_for_duty, pump_power,
                     seawater_flow)

__all__ = [
    "ColdPlate", "gpu_cold_plate", "cpu_cold_plate", "switch_cold_plate", "Rack", "add_racks",
    "rack_network", "cdu_row_network", "rack_report", "CDU", "Campus", "PlantResult", "phase", "PHASES",
    "FjordLoop", "add_fjord_loop", "check_discharge", "DryCooler", "CoolingTower", "Chiller",
    "heat_exchanger_ua", "heat_exchanger_area", "overall_u", "pump_power",
    "pump_curve_for_duty", "pipe_diameter", "pipe_pressure_gradient", "flow_for_heat",
    "seawater_flow", "Default", "DEFAULTS", "table",
    "district_heating_network", "DistrictHeatingNetwork", "Consumer", "greenhouse_consumer",
    "town_consumers", "select_pipe", "PipeSize", "PIPE_SERIES_1", "buried_pair_u_values",
    "heat_export_plant", "town_heat_export", "HeatExport", "HeatExportPlant", "HeatExportResult", "HeatPumpSpec", "FishFarm",
]
