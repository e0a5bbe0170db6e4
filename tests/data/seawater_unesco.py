"""UNESCO (1983) reference values of seawater at one atmosphere, valid from −2 °C.

Independent of CoolProp's MITSW correlations (which start at 0 °C), so they
check the extension of the seawater tables down to the freezing point.

- Density: the one-atmosphere International Equation of State of Seawater
  (EOS-80; Millero and Poisson 1981), UNESCO Technical Papers in Marine Science
  44 (Fofonoff and Millard 1983), eq. 13–14; valid −2…40 °C, S 0…42; standard
  error 3.6e-3 kg/m³. Check values ρ(35, 5 °C) = 1027.67547 and
  ρ(35, 25 °C) = 1023.34306 kg/m³ (IPTS-68 temperatures).
- Specific heat: Millero, Perron and Desnoyers (1973), UNESCO 1983 eq. 26
  (pressure 0); valid −2…40 °C (UNESCO's code clips temperatures at −2 °C).

Temperatures are ITS-90 in °C and converted to IPTS-68 (× 1.00024) as the
formulas require; salinity is practical salinity (≈ g/kg).
"""

from __future__ import annotations

import numpy as np

T68 = 1.00024


def density_eos80(S, t):
    """Density of seawater at 1 atm [kg/m³]; ``S`` [g/kg], ``t`` [°C, ITS-90]."""
    t = np.asarray(t, dtype=float) * T68
    rho_w = (999.842594 + 6.793952e-2 * t - 9.095290e-3 * t**2 + 1.001685e-4 * t**3
             - 1.120083e-6 * t**4 + 6.536332e-9 * t**5)
    A = 8.24493e-1 - 4.0899e-3 * t + 7.6438e-5 * t**2 - 8.2467e-7 * t**3 + 5.3875e-9 * t**4
    B = -5.72466e-3 + 1.0227e-4 * t - 1.6546e-6 * t**2
    return rho_w + A * S + B * S**1.5 + 4.8314e-4 * S**2


def cp_unesco(S, t):
    """Specific heat of seawater at 1 atm [J/(kg K)]; ``S`` [g/kg], ``t`` [°C, ITS-90]."""
    t = np.asarray(t, dtype=float) * T68
    c = 4217.4 - 3.720283 * t + 0.1412855 * t**2 - 2.654387e-3 * t**3 + 2.093236e-5 * t**4
    a = -7.643575 + 0.1072763 * t - 1.38385e-3 * t**2
    b = 0.1770383 - 4.07718e-3 * t + 5.148e-5 * t**2
    return c + a * S + b * S**1.5
