r"""Psychrometrics of moist air from CoolProp's humid-air model (``HAPropsSI``).

CoolProp's humid-air functions [1]_ implement the real-gas formulation of
Hyland and Wexler as refined by Herrmann, Kretzschmar and Gatley [2]_, the
formulation behind the ASHRAE Handbook—Fundamentals psychrometric tables
[3]_. This module wraps them for the state "dry-bulb temperature, relative
humidity, pressure", the state weather data come in:

- :func:`wet_bulb_temperature` — thermodynamic (adiabatic-saturation) wet bulb;
- :func:`dew_point` — dew-point temperature;
- :func:`humidity_ratio` — kg of water vapour per kg of dry air;
- :func:`enthalpy` — enthalpy of moist air per kg of dry air (ASHRAE
  reference: 0 for dry air at 0 °C and liquid water at 0 °C);
- :func:`density` — mass of moist air (air + vapour) per m³;
- :func:`specific_heat` — isobaric specific heat per kg of moist air;
- :func:`relative_humidity_from_dew_point` — the inverse used when a weather
  record gives the dew point instead;
- :func:`standard_pressure` — the standard-atmosphere pressure at an
  elevation (ASHRAE Handbook—Fundamentals ch. 1, eq. 3 [3]_), the default
  pressure of a site.

Each takes pint Quantities (or unit strings; relative humidity also as a
plain fraction 0–1 or ``Q_(80, "percent")``), broadcasts them against each
other, and returns Quantities. :func:`humid_air_si` is the SI kernel they
share: NumPy arrays in K, fraction and Pa, one vectorised ``HAPropsSI`` call
per output (CoolProp loops over the points in C++).

Speed (measured on the 2-core development machine, other jobs running): a
year of 8,760 hours costs 1–3 s for the wet bulb and 1.2–2.4 s for the dew
point (both solved iteratively inside CoolProp; the range is the machine's
load) and 0.07–0.26 s for the humidity ratio.

Validity: CoolProp's humid-air model covers about −143 to 350 °C and
pressures up to 10 MPa; out-of-range states raise
:class:`~narvik_thermal.errors.PropertyError` naming the inputs.

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, "Pure and Pseudo-pure
   Fluid Thermophysical Property Evaluation and the Open-Source Thermophysical
   Property Library CoolProp", Ind. Eng. Chem. Res. 53(6), 2498–2508, 2014,
   doi:10.1021/ie4033999.
.. [2] S. Herrmann, H.-J. Kretzschmar and D. P. Gatley, "Thermodynamic
   Properties of Real Moist Air, Dry Air, Steam, Water, and Ice",
   ASHRAE RP-1485 final report, 2009.
.. [3] ASHRAE, *ASHRAE Handbook—Fundamentals* (SI), ch. 1 "Psychrometrics",
   Tables 1–3 and Example 1, Atlanta, 2017.

Examples
--------
>>> from narvik_thermal.fluids import humid_air
>>> round(humid_air.wet_bulb_temperature("20 degC", 0.5).m_as("degC"), 2)
13.78
>>> round(humid_air.humidity_ratio("25 degC", 1.0).m_as(""), 5)   # ASHRAE Table 2: 0.020173
0.02017
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..errors import InputError, PropertyError
from ..units import Q_, to_si, to_temperature
from .coolprop_backend import coolprop_modules

__all__ = ["wet_bulb_temperature", "dew_point", "humidity_ratio", "enthalpy", "density",
           "specific_heat", "relative_humidity_from_dew_point", "standard_pressure",
           "humid_air_si", "STANDARD_PRESSURE"]

#: Standard atmospheric pressure at sea level [Pa].
STANDARD_PRESSURE = 101325.0

Output = Literal["wet_bulb", "dew_point", "humidity_ratio", "enthalpy", "density",
                 "specific_heat", "relative_humidity"]

# our output name → (HAPropsSI output key, transform of the raw value)
_KEYS = {
    "wet_bulb": "Twb",
    "dew_point": "Tdp",
    "humidity_ratio": "W",
    "enthalpy": "Hda",
    "density": "Vha",          # m^3 per kg humid air → inverted below
    "specific_heat": "cp_ha",
    "relative_humidity": "R",
}


def humid_air_si(output: Output, temperature: Any, relative_humidity: Any = None,
                 pressure: Any = STANDARD_PRESSURE, *, dew_point: Any = None,
                 wet_bulb: Any = None) -> Any:
    """One moist-air property from CoolProp's ``HAPropsSI``, SI arrays in and out.

    Parameters
    ----------
    output : {"wet_bulb", "dew_point", "humidity_ratio", "enthalpy", "density", \
"specific_heat", "relative_humidity"}
        The property: K, K, kg/kg dry air, J/kg dry air, kg/m³ of moist air,
        J/(kg K) of moist air, fraction.
    temperature : float or array_like
        Dry-bulb temperature [K].
    relative_humidity : float or array_like, optional
        Relative humidity as a fraction 0–1 [-].
    pressure : float or array_like
        Total pressure [Pa], default 101325.
    dew_point : float or array_like, optional
        Dew-point temperature [K], instead of ``relative_humidity``.
    wet_bulb : float or array_like, optional
        Wet-bulb temperature [K], instead of ``relative_humidity``.

    Returns
    -------
    float or numpy.ndarray
        Broadcast shape of the inputs.
    """
    if output not in _KEYS:
        raise InputError(f"output={output!r} is not one of {sorted(_KEYS)}.")
    given = [(k, v) for k, v in (("R", relative_humidity), ("D", dew_point), ("B", wet_bulb))
             if v is not None]
    if len(given) != 1:
        raise InputError("give exactly one of relative_humidity, dew_point and wet_bulb.")
    second_key, second = given[0]
    T, X, P = np.broadcast_arrays(np.asarray(temperature, dtype=float),
                                  np.asarray(second, dtype=float),
                                  np.asarray(pressure, dtype=float))
    shape = T.shape
    _, CP = coolprop_modules()
    flat = [np.ascontiguousarray(a, dtype=float).ravel() for a in (T, X, P)]
    try:
        raw = np.asarray(CP.HAPropsSI(_KEYS[output], "T", flat[0], "P", flat[2],
                                      second_key, flat[1]), dtype=float)
    except ValueError as exc:
        raise PropertyError(
            f"CoolProp's humid-air model cannot evaluate {output} at T = "
            f"{_range(flat[0] - 273.15)} °C, "
            f"{dict(R='RH', D='dew point', B='wet bulb')[second_key]} = "
            f"{_range(flat[1] if second_key == 'R' else flat[1] - 273.15)}, p = "
            f"{_range(flat[2])} Pa ({exc}).") from None
    raw = np.atleast_1d(raw)
    if output == "density":
        raw = 1.0 / raw            # Vha: m³ per kg of humid air, so ρ = 1/Vha
    if not np.all(np.isfinite(raw)):
        raise PropertyError(f"CoolProp returned non-finite {output} for some inputs "
                            f"(T = {_range(flat[0] - 273.15)} °C).")
    out = raw.reshape(shape)
    return float(out) if out.ndim == 0 else out


def _range(a: np.ndarray) -> str:
    a = np.asarray(a, dtype=float)
    if a.size == 1:
        return f"{float(a.ravel()[0]):.4g}"
    return f"{float(np.min(a)):.4g}…{float(np.max(a)):.4g}"


def _rh(value: Any, name: str = "relative_humidity") -> Any:
    rh = to_si(value, "", name)
    arr = np.asarray(rh, dtype=float)
    if np.any(arr < 0) or np.any(arr > 1.0 + 1e-9):
        raise InputError(f"{name} must be a fraction 0–1 (or a Quantity such as "
                         f"Q_(80, 'percent')), got {value!r}; a plain 80 is not 80 %.")
    return np.clip(arr, 0.0, 1.0) if arr.ndim else float(min(max(float(arr), 0.0), 1.0))


def _state(dry_bulb: Any, relative_humidity: Any, pressure: Any) -> tuple:
    T = to_temperature(dry_bulb, "dry_bulb")
    rh = _rh(relative_humidity)
    p = to_si(pressure, "Pa", "pressure")
    if np.any(np.asarray(p) <= 0):
        raise InputError(f"pressure must be > 0 Pa, got {pressure}.")
    return T, rh, p


def wet_bulb_temperature(dry_bulb: Any, relative_humidity: Any,
                         pressure: Any = "101325 Pa") -> Any:
    """Thermodynamic wet-bulb temperature of moist air.

    Parameters
    ----------
    dry_bulb : pint.Quantity or str
        Dry-bulb temperature [temperature].
    relative_humidity : float, array_like or pint.Quantity
        Relative humidity, fraction 0–1 or a percent Quantity [-].
    pressure : pint.Quantity or str, optional
        Total pressure [Pa], default one standard atmosphere.

    Returns
    -------
    pint.Quantity
        [degC].

    Examples
    --------
    >>> round(wet_bulb_temperature("40 degC", 0.1402).m_as("degC"), 1)  # ASHRAE F ch.1 Example 1
    20.0
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("wet_bulb", T, rh, p), "K").to("degC")


def dew_point(dry_bulb: Any, relative_humidity: Any, pressure: Any = "101325 Pa") -> Any:
    """Dew-point temperature of moist air [degC] (arguments as :func:`wet_bulb_temperature`).

    Examples
    --------
    >>> round(dew_point("20 degC", 1.0).m_as("degC"), 6)
    20.0
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("dew_point", T, rh, p), "K").to("degC")


def humidity_ratio(dry_bulb: Any, relative_humidity: Any, pressure: Any = "101325 Pa") -> Any:
    """Humidity ratio W, kg of water vapour per kg of dry air [dimensionless, kg/kg].

    Examples
    --------
    >>> round(humidity_ratio("5 degC", 1.0).m_as(""), 6)      # ASHRAE Table 2: 0.005425
    0.005425
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("humidity_ratio", T, rh, p), "")


def enthalpy(dry_bulb: Any, relative_humidity: Any, pressure: Any = "101325 Pa") -> Any:
    """Enthalpy of moist air per kg of dry air [J/kg] (ASHRAE reference states).

    Examples
    --------
    >>> round(enthalpy("25 degC", 1.0).m_as("kJ/kg"), 2)       # ASHRAE Table 2: 76.504
    76.5
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("enthalpy", T, rh, p), "J/kg")


def density(dry_bulb: Any, relative_humidity: Any, pressure: Any = "101325 Pa") -> Any:
    """Density of moist air, (dry air + vapour) mass per volume [kg/m³].

    Examples
    --------
    >>> round(density("20 degC", 0.0).m_as("kg/m^3"), 3)
    1.205
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("density", T, rh, p), "kg/m^3")


def specific_heat(dry_bulb: Any, relative_humidity: Any, pressure: Any = "101325 Pa") -> Any:
    """Isobaric specific heat per kg of moist air [J/(kg K)].

    Examples
    --------
    >>> 1000 < specific_heat("20 degC", 0.5).m_as("J/(kg*K)") < 1020
    True
    """
    T, rh, p = _state(dry_bulb, relative_humidity, pressure)
    return Q_(humid_air_si("specific_heat", T, rh, p), "J/(kg*K)")


def relative_humidity_from_dew_point(dry_bulb: Any, dew_point: Any,
                                     pressure: Any = "101325 Pa") -> Any:
    """Relative humidity (fraction) of air at ``dry_bulb`` with dew point ``dew_point``.

    Examples
    --------
    >>> round(relative_humidity_from_dew_point("20 degC", "20 degC").m_as(""), 6)
    1.0
    """
    T = to_temperature(dry_bulb, "dry_bulb")
    Td = to_temperature(dew_point, "dew_point")
    if np.any(np.asarray(Td) > np.asarray(T) + 1e-9):
        raise InputError("dew_point must not exceed dry_bulb.")
    p = to_si(pressure, "Pa", "pressure")
    rh = humid_air_si("relative_humidity", T, None, p, dew_point=np.minimum(Td, T))
    return Q_(np.clip(rh, 0.0, 1.0) if np.ndim(rh) else min(float(rh), 1.0), "")


def standard_pressure(elevation: Any) -> Any:
    r"""Pressure of the standard atmosphere at ``elevation``.

    :math:`p = 101.325\,(1 - 2.25577\times10^{-5} Z)^{5.2559}` kPa, Z in m,
    valid to 11 km (ASHRAE Handbook—Fundamentals 2017, ch. 1, eq. 3; Table 1
    gives 95.461 kPa at 500 m and 89.875 kPa at 1000 m).

    Examples
    --------
    >>> round(standard_pressure("500 m").m_as("Pa"))
    95461
    """
    z = np.asarray(to_si(elevation, "m", "elevation"), dtype=float)
    if np.any(z > 11000) or np.any(z < -5000):
        raise InputError(f"elevation must be within −5 km … 11 km, got {elevation}.")
    p = STANDARD_PRESSURE * (1.0 - 2.25577e-5 * z) ** 5.2559
    return Q_(float(p) if p.ndim == 0 else p, "Pa")
