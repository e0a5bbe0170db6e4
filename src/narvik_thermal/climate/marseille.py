r"""Marseille (Marignane) site data: the Mediterranean comparison site.

A data centre on the Mediterranean coast rejects heat to a sea whose surface
reaches 21–22 °C in summer but whose deep water stays at about 13 °C all
year: the comparison shows what a warm climate does to dry coolers, cooling
towers and sea-water loops. Every number carries its source; the full
citations are in ``docs/references.rst``.

Data
----
- Location: Marseille-Provence airport at Marignane, 43.44 °N, 5.22 °E,
  elevation 9 m **[GEK]** (airport coordinates, not read from a source here).
- Air temperature: mean daily maxima 11.2, 12.6, 15.3, 17.7, 22.2, 26.1,
  29.5, 29.2, 25.3, 20.3, 14.7, 12.0 °C and minima 3.0, 3.9, 6.0, 8.5, 12.6,
  16.0, 18.7, 18.7, 15.5, 11.6, 6.8, 4.1 °C [M1]_; the monthly mean is their
  midpoint (7.1 °C in January, 24.1 °C in July) and the mean daily range
  their difference (7.9–10.8 K). Cross-check: Climates to Travel gives
  whole-degree minima/maxima within 1 K of these and a January mean of
  7.2 °C, July 24.8 °C [M2]_.
- Relative humidity, monthly mean: **[GEK]** (74 % in winter, 56 % in July;
  no public monthly normal was found) — replace with Météo-France data.
- Sea surface temperature off Marseille: 13, 13, 13, 13, 15, 18, 22, 21, 20,
  19, 16, 14 °C [M1]_; Lonely Planet gives 22–23 °C in August–September [M3]_.
- Deep water: Western Mediterranean Deep Water (WMDW), formed by winter
  convection in the Gulf of Lion, θ = 12.89–12.92 °C and S = 38.48–38.49 in
  the 2005–2006 formation events [M4]_; UNEP/MAP gives 12.7 °C and 38.4 as
  the characteristic values [M5]_. Default 12.9 °C and 38.45 g/kg.
- Profile: the surface cycle decays with an amplitude depth of 25 m, lags by
  up to 2 months over 30 m (the summer thermocline lies in the upper tens of
  metres; winter convection mixes the column) **[GEK]**; surface salinity
  38.0 all year **[GEK]**, inside the 36.2–38.6 range of the Modified
  Atlantic Water [M5]_, blending into the deep value over 100 m **[GEK]**.
- Grid CO2: French electricity generation 2023, 32 gCO2eq/kWh (RTE annual
  review) [M6]_. No residual-mix value was sourced.

References
----------
.. [M1] wassertemperatur.co, "Marseille Wassertemperatur" (monthly water
   temperature and mean daily max/min air temperature), accessed 2025,
   http://wassertemperatur.co/marseille-wassertemperatur
.. [M2] Climates to Travel, "Marseille climate", accessed 2025,
   https://www.climatestotravel.com/climate/france/marseille
.. [M3] Lonely Planet France, "Marseille : quand partir ? Climat", accessed
   2025, https://www.lonelyplanet.fr/destinations/france/marseille/climat
.. [M4] R. O. Smith, H. L. Bryden and K. Stansfield, "Observations of new
   western Mediterranean deep water formation using Argo floats 2004–2006",
   Ocean Science 4(2), 133–149, 2008, doi:10.5194/os-4-133-2008.
.. [M5] UNEP/MAP, *State of the Mediterranean Marine and Coastal
   Environment*, Athens, 2012, p. 23 (citing EEA and UNEP 1999); GRID-Arendal
   graphic "Mediterranean Sea water masses: vertical distribution",
   https://www.grida.no/resources/5885
.. [M6] RTE, *Bilan électrique 2023* — "the carbon intensity of French
   electricity generation was 32 gCO2eq per kWh produced in 2023",
   https://analysesetdonnees.rte-france.com/en/node/366
"""

from __future__ import annotations

__all__: list[str] = []

LATITUDE_DEG = 43.44
LONGITUDE_DEG = 5.22
ELEVATION_M = 9.0
#: Mean daily maximum / minimum air temperature, Jan–Dec [°C] [M1].
AIR_TEMPERATURE_DAILY_MAX_DEGC = (11.2, 12.6, 15.3, 17.7, 22.2, 26.1, 29.5, 29.2, 25.3, 20.3,
                                  14.7, 12.0)
AIR_TEMPERATURE_DAILY_MIN_DEGC = (3.0, 3.9, 6.0, 8.5, 12.6, 16.0, 18.7, 18.7, 15.5, 11.6, 6.8,
                                  4.1)
#: Monthly mean air temperature (midpoint of mean daily max and min) [°C] [M1].
AIR_TEMPERATURE_MONTHLY_DEGC = tuple(round(0.5 * (a + b), 3) for a, b in
                                     zip(AIR_TEMPERATURE_DAILY_MAX_DEGC,
                                         AIR_TEMPERATURE_DAILY_MIN_DEGC))
#: Mean daily range (max − min) [K] [M1].
DAILY_RANGE_K = tuple(round(a - b, 3) for a, b in zip(AIR_TEMPERATURE_DAILY_MAX_DEGC,
                                                      AIR_TEMPERATURE_DAILY_MIN_DEGC))
#: Monthly mean relative humidity [%] **[GEK]**.
RELATIVE_HUMIDITY_MONTHLY_PCT = (74.0, 70.0, 66.0, 64.0, 64.0, 60.0, 56.0, 59.0, 65.0, 71.0,
                                 73.0, 74.0)
#: Sea surface temperature off Marseille, Jan–Dec [°C] [M1].
SURFACE_SEAWATER_MONTHLY_DEGC = (13.0, 13.0, 13.0, 13.0, 15.0, 18.0, 22.0, 21.0, 20.0, 19.0,
                                 16.0, 14.0)
#: Western Mediterranean Deep Water temperature [°C] [M4, M5].
DEEP_TEMPERATURE_DEGC = 12.9
#: Seasonal amplitude e-folding depth, phase-lag depth scale [m], deep lag [months] [GEK].
TEMPERATURE_E_FOLDING_DEPTH_M = 25.0
TEMPERATURE_LAG_DEPTH_M = 30.0
DEEP_WATER_LAG_MONTHS = 2.0
#: Surface salinity [g/kg] [GEK within M5], deep salinity [g/kg] [M4, M5], blend depth [m] [GEK].
SURFACE_SALINITY_MONTHLY = (38.0,) * 12
DEEP_SALINITY = 38.45
SALINITY_E_FOLDING_DEPTH_M = 100.0
#: French generation carbon intensity 2023 [gCO2eq/kWh] [M6].
GRID_CO2_LOCATION_G_PER_KWH = 32.0
