r"""Fans of air-side heat rejection: the affinity (fan) laws and dry-air density.

Pure functions in SI units, vectorised over NumPy arrays. A fan of fixed
geometry turning at speed :math:`N` in a system of fixed flow resistance
moves a volume flow :math:`\dot V \propto N`, raises the pressure
:math:`\Delta p \propto \rho N^2` and absorbs the power
:math:`P \propto \rho N^3` (the fan laws, e.g. ASHRAE Handbook — HVAC Systems
and Equipment, ch. "Fans" [1]_; Jorgensen, *Fan Engineering* [2]_). Dry
coolers and cooling towers hand the speed of their fans to
:func:`fan_power_affinity` and the inlet air state to :func:`air_density`.

References
----------
.. [1] ASHRAE, *ASHRAE Handbook — HVAC Systems and Equipment*, ch. 21
   "Fans", "Fan laws", ASHRAE, Atlanta, 2020.
.. [2] R. Jorgensen (ed.), *Fan Engineering*, 9th ed., Howden Buffalo,
   Buffalo NY, 1999, ch. 14 "Fan laws".
"""

from __future__ import annotations

from typing import Any

from . import _checks as _c

__all__ = ["fan_power_affinity", "air_density", "DRY_AIR_GAS_CONSTANT", "STANDARD_PRESSURE"]

#: Specific gas constant of dry air [J kg⁻¹ K⁻¹] (ASHRAE Fundamentals ch. 1:
#: 8314.472/28.966).
DRY_AIR_GAS_CONSTANT = 287.042
#: Standard atmosphere [Pa].
STANDARD_PRESSURE = 101325.0
# ratio of the molar masses of dry air and water, 28.966/18.015 (ASHRAE Fundamentals ch. 1)
_MOLAR_RATIO = 1.607858


def fan_power_affinity(speed: Any, power_rated: Any, *, density_ratio: Any = 1.0,
                       exponent: float = 3.0) -> Any:
    r"""Fan shaft/electric power at a fraction of rated speed, by the fan laws.

    Parameters
    ----------
    speed : float or array_like
        Fan speed as a fraction of the rated speed, >= 0 [-]
    power_rated : float or array_like
        Power at rated speed and rated air density, >= 0 [W]
    density_ratio : float or array_like, optional
        Air density over the density of the rating, > 0 [-]; default 1.
    exponent : float, optional
        Speed exponent, default 3 (fixed system resistance) [-]

    Returns
    -------
    float or numpy.ndarray
        Power [W]

    Notes
    -----
    .. math:: P = P_{rated}\,\frac{\rho}{\rho_{rated}}\,s^{n},\qquad n = 3

    with the volume flow :math:`\dot V = s\,\dot V_{rated}` [1]_ [2]_. It
    assumes a constant fan and motor/drive efficiency; real EC and VFD drives
    lose some efficiency below about 30 % speed, so at low speed the law is
    optimistic (a lower exponent, 2.5–2.8, is sometimes used to allow for it
    [GEK]).

    References
    ----------
    .. [1] ASHRAE, *ASHRAE Handbook — HVAC Systems and Equipment*, ch. 21
       "Fans", ASHRAE, Atlanta, 2020.
    .. [2] R. Jorgensen (ed.), *Fan Engineering*, 9th ed., Howden Buffalo, 1999.

    Examples
    --------
    Half speed takes one eighth of the power:

    >>> fan_power_affinity(0.5, 8000.0)
    1000.0
    """
    func = "fan_power_affinity"
    s = _c.nonnegative(speed, "speed", func)
    p = _c.nonnegative(power_rated, "power_rated", func)
    r = _c.positive(density_ratio, "density_ratio", func)
    n = _c.positive(exponent, "exponent", func)
    return _c.out(p * r * s ** n)


def air_density(T: Any, pressure: Any = STANDARD_PRESSURE, humidity_ratio: Any = 0.0) -> Any:
    r"""Density of moist air as an ideal-gas mixture [1]_.

    Parameters
    ----------
    T : float or array_like
        Dry-bulb temperature, > 0 [K]
    pressure : float or array_like, optional
        Total pressure, > 0 [Pa]; default 101325 Pa.
    humidity_ratio : float or array_like, optional
        Mass of water vapour per mass of dry air, >= 0 [kg kg⁻¹]; default 0.

    Returns
    -------
    float or numpy.ndarray
        Density of the mixture [kg m⁻³]

    Notes
    -----
    .. math:: \rho = \frac{p\,(1 + W)}{R_{da}\,T\,(1 + 1.6078\,W)}

    with :math:`R_{da} = 287.042` J kg⁻¹ K⁻¹ (ASHRAE Handbook — Fundamentals,
    ch. 1, eqs. 26–28 [1]_); the dry-air mass per volume is
    :math:`\rho/(1+W)`. Against CoolProp's real-gas humid air the ideal gas
    is 0.03–0.10 % light between 35 and −25 °C.

    References
    ----------
    .. [1] ASHRAE, *ASHRAE Handbook — Fundamentals*, ch. 1 "Psychrometrics",
       ASHRAE, Atlanta, 2017.

    Examples
    --------
    >>> round(air_density(293.15), 4)          # dry air at 20 °C
    1.2042
    """
    func = "air_density"
    T = _c.positive_temperature(T, "T", func)
    p = _c.positive(pressure, "pressure", func)
    w = _c.nonnegative(humidity_ratio, "humidity_ratio", func)
    return _c.out(p * (1.0 + w) / (DRY_AIR_GAS_CONSTANT * T * (1.0 + _MOLAR_RATIO * w)))


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
