r"""Compressor limits of heat-pump refrigerants: one sourced table.

A vapour-compression heat pump is bounded by its compressor: the discharge
temperature (oil and valve life) and the highest pressure its casing, heat
exchangers and relief valves are designed for (which sets the highest
condensing temperature). :data:`COMPRESSOR_LIMITS` holds both per refrigerant;
:func:`compressor_limits` looks one up (CoolProp names and the usual aliases).
:func:`~narvik_thermal.correlations.heat_pump.choose_heat_pump_configuration`
and the network's heat pumps (:class:`~narvik_thermal.components.HeatPumps`)
check the cycles of :mod:`.heat_pump_cycle` against them.

The table (``[GEK]``: general engineering knowledge, no searched source
confirmed it; ``T_d`` is the *dry* discharge temperature of the cycle model,
see the Notes of :class:`CompressorLimits`):

=============  ========  ==========  ============================================
refrigerant    T_d max   p_cond max  source
=============  ========  ==========  ============================================
R717 (NH3)     180 °C    60 bar      p: Sabroe HPO/HPC/HPX high-pressure ammonia
                                     compressors, design pressure up to 60 bar,
                                     hot water up to 90 °C [1]_; T_d: [GEK]
R134a          135 °C    35 bar      T_d: discharge-gas thermostat at 135 °C [2]_;
                                     p: [GEK] (admits ≈ 90 °C condensing, as the
                                     large R134a district-heating units)
R1234ze(E)     135 °C    30 bar      T_d: [2]_; p: [GEK] (≈ 101 °C condensing)
R290           135 °C    30 bar      T_d: [2]_; p: [GEK] (≈ 80 °C condensing)
R600a          135 °C    25 bar      T_d: [2]_; p: [GEK] (not binding below the
                                     critical point)
R744 (CO2)     160 °C    140 bar     p: [GEK] operating limit below the 160 bar
                                     allowed on the high-pressure side of
                                     transcritical reciprocating compressors
                                     [3]_; T_d: [GEK]
=============  ========  ==========  ============================================

The ammonia pressure limit admits Drammen: its two-stage NH3 units condense
at about 93 °C, 54 bar in the cycle model (narvik-facts §5 quotes ≈ 57 bar),
below 60 bar. The ammonia discharge limit admits their two-stage cycle (high
stage ≈ 167 °C dry at η_is 0.7) and rejects a single stage at the same lift
(≈ 280 °C), which no compressor oil survives — the reason large ammonia
district-heating heat pumps are two-stage.

References
----------
.. [1] Cooling Post, "Ammonia heat pump boost for Berlin CHP plant",
   22 April 2022 (Johnson Controls Sabroe HeatPAC: "high-pressure reciprocating
   compressors achieving up to 40 bar differential pressures and up to 60 bar
   design pressures … hot water at up to 90 °C").
.. [2] Danfoss, Maneurop reciprocating compressors MT/MTZ, application
   guidelines FRCC.PC.012: the discharge-gas thermostat "should be set to open
   at a discharge gas temperature of 135 °C" (applied here to the HFC, HFO and
   hydrocarbon refrigerants).
.. [3] BITZER, KB-130-6, "Semi-hermetic reciprocating compressors for
   transcritical CO2 applications", operating instructions: maximum admissible
   pressure of the high-pressure side 160 bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from . import _checks as _c

__all__ = ["CompressorLimits", "COMPRESSOR_LIMITS", "compressor_limits",
           "FREEZE_PROTECTION_MARGIN", "DEFAULT_MIN_MODULATION", "DEFAULT_MAX_SINK_STEP"]

_ZERO_C = 273.15

#: Minimum evaporator (source) outlet above the source fluid's freezing point [K]
#: (freeze protection; [GEK]): water leaves the evaporator at ≥ 2 °C.
FREEZE_PROTECTION_MARGIN = 2.0
#: Part-load ratio below which a large heat pump stops modulating (slide valve,
#: speed) and cycles on/off [-]; large district-heating units modulate down to
#: 20–30 % [GEK].
DEFAULT_MIN_MODULATION = 0.25
#: Largest sink temperature rise given to one condenser when a configuration is
#: chosen [K] ([GEK]): a larger sink glide is split over units in series, each
#: condensing just above its own outlet (Drammen: three units over 25 K).
DEFAULT_MAX_SINK_STEP = 10.0


@dataclass(frozen=True)
class CompressorLimits:
    """Limits of a heat-pump compressor on one refrigerant.

    Attributes
    ----------
    refrigerant : str
        CoolProp name.
    T_discharge_max : float
        Highest discharge temperature [K].
    p_condensation_max : float
        Highest condensing (or gas-cooler) pressure [Pa].
    source : str
        Where the numbers come from (``[GEK]`` where no source confirmed them).

    Notes
    -----
    ``T_discharge_max`` bounds the discharge temperature of the cycle model
    (:func:`~narvik_thermal.correlations.heat_pump_cycle.vapour_compression_cycle`:
    adiabatic compression with an isentropic efficiency, no oil or head
    cooling). Oil-injected screw compressors (Drammen's Vilter single screws)
    carry part of the compression heat away in the oil and discharge cooler
    than that; the limit is on the model's dry value.
    """

    refrigerant: str
    T_discharge_max: float
    p_condensation_max: float
    source: str

    def margins(self, T_discharge: float, p_condensation: float) -> tuple[float, float]:
        """Margins to the limits: (``T_discharge_max − T_discharge`` [K],
        ``p_condensation_max − p_condensation`` [Pa]); negative when exceeded."""
        return self.T_discharge_max - T_discharge, self.p_condensation_max - p_condensation

    def violations(self, T_discharge: float, p_condensation: float) -> list[str]:
        """Sentences naming each limit exceeded (empty when within the limits)."""
        out = []
        if T_discharge > self.T_discharge_max:
            out.append(f"discharge temperature {T_discharge - _ZERO_C:.1f} °C above the "
                       f"{self.refrigerant} compressor limit {self.T_discharge_max - _ZERO_C:.0f} °C")
        if p_condensation > self.p_condensation_max:
            out.append(f"condensing pressure {p_condensation / 1e5:.1f} bar above the "
                       f"{self.refrigerant} limit {self.p_condensation_max / 1e5:.0f} bar")
        return out


def _lim(name: str, t_c: float, p_bar: float, source: str) -> CompressorLimits:
    return CompressorLimits(name, t_c + _ZERO_C, p_bar * 1e5, source)


_HFC_T = "T_d: discharge-gas thermostat at 135 °C (Danfoss FRCC.PC.012)"

#: Compressor limits by CoolProp refrigerant name (see the module table).
COMPRESSOR_LIMITS: dict[str, CompressorLimits] = {
    "R717": _lim("R717", 180.0, 60.0,
                 "p: Sabroe HPO/HPC/HPX high-pressure NH3 compressors, design pressure up to "
                 "60 bar (Cooling Post, 22 Apr 2022); T_d: [GEK]"),
    "R134a": _lim("R134a", 135.0, 35.0, f"{_HFC_T}; p: [GEK]"),
    "R1234ze(E)": _lim("R1234ze(E)", 135.0, 30.0, f"{_HFC_T}; p: [GEK]"),
    "R290": _lim("R290", 135.0, 30.0, f"{_HFC_T}; p: [GEK]"),
    "R600a": _lim("R600a", 135.0, 25.0, f"{_HFC_T}; p: [GEK]"),
    "R744": _lim("R744", 160.0, 140.0,
                 "p: [GEK] operating limit below the 160 bar high-side rating of transcritical "
                 "reciprocating compressors (BITZER KB-130-6); T_d: [GEK]"),
}

_ALIASES = {"ammonia": "R717", "nh3": "R717", "co2": "R744", "carbondioxide": "R744",
            "propane": "R290", "isobutane": "R600a", "r1234ze": "R1234ze(E)"}


def compressor_limits(refrigerant: Any) -> CompressorLimits:
    """Compressor limits of a refrigerant from :data:`COMPRESSOR_LIMITS`.

    Parameters
    ----------
    refrigerant : str or Refrigerant
        CoolProp name, a usual alias (``"ammonia"``, ``"CO2"``, ``"propane"``),
        or a property object with a ``name``.

    Returns
    -------
    CompressorLimits

    Raises
    ------
    InputError
        A refrigerant without tabulated limits (the message lists those known).

    Examples
    --------
    >>> lim = compressor_limits("ammonia")
    >>> round(lim.T_discharge_max - 273.15), round(lim.p_condensation_max / 1e5)
    (180, 60)
    """
    name = refrigerant if isinstance(refrigerant, str) else getattr(refrigerant, "name", None)
    if not isinstance(name, str):
        raise InputError(f"compressor_limits: refrigerant must be a name or a Refrigerant, "
                         f"got {refrigerant!r}.")
    key = _ALIASES.get(name.strip().lower().replace(" ", "").replace("-", ""), name.strip())
    for k, v in COMPRESSOR_LIMITS.items():
        if k.lower() == key.lower():
            return v
    raise InputError(f"compressor_limits: no compressor limits are tabulated for {name!r}; "
                     f"known: {sorted(COMPRESSOR_LIMITS)}. Give the limits explicitly "
                     "(CompressorLimits(...)).")


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("CompressorLimits",))
