"""Coolant property models: water, glycol mixtures, seawater, CoolProp and user tables.

This package is the only part of narvik_thermal that imports CoolProp [1]_, and
only :mod:`narvik_thermal.fluids.coolprop_backend` does so, lazily. A
:class:`Fluid` samples CoolProp once, when it is built, on a fine temperature
grid; its vectorised SI methods (``density_pT``, ``cp_pT``, ``viscosity_pT``,
``conductivity_pT``, ``prandtl_pT``, ``enthalpy_T``, ``temperature_h``,
``boiling_temperature_p``) interpolate those tables and never call CoolProp.

Constructors (cached, so equal arguments give the same object):

- :func:`water` — IAPWS-95 water (CoolProp HEOS), 0–200 °C (from its freezing point).
- :func:`propylene_glycol`, :func:`ethylene_glycol` — aqueous glycols,
  CoolProp INCOMP::MPG / MEG (Melinder 2007 [2]_).
- :func:`seawater` — CoolProp INCOMP::MITSW (Sharqawy et al. 2010 [3]_),
  from its freezing point by UNESCO (1983) [4]_ (−1.92 °C at 35 g/kg; extended
  below CoolProp's 0 °C, see :func:`~narvik_thermal.fluids.constructors._extend_below`).
- :func:`coolprop` — any CoolProp pure or INCOMP fluid as a liquid coolant.
- :func:`tabulated` — a user's property table (dielectric fluids).

Moist air: :mod:`narvik_thermal.fluids.humid_air` (psychrometrics from
CoolProp's ``HAPropsSI``: wet bulb, dew point, humidity ratio, enthalpy).

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin and V. Lemort, Ind. Eng. Chem. Res.
   53(6), 2498–2508, 2014, doi:10.1021/ie4033999.
.. [2] Å. Melinder, Thermophysical Properties of Aqueous Solutions Used as
   Secondary Working Fluids, PhD thesis, KTH Stockholm, 2007.
.. [3] M. H. Sharqawy, J. H. Lienhard V, S. M. Zubair, Desalination and Water
   Treatment 16, 354–380, 2010, doi:10.5004/dwt.2010.1079.
.. [4] N. P. Fofonoff, R. C. Millard Jr., UNESCO Technical Papers in Marine
   Science 44, 1983.

Examples
--------
>>> import narvik_thermal as nt
>>> pg25 = nt.fluids.propylene_glycol(0.25)
>>> pg25
<Fluid propylene_glycol(0.25): CoolProp INCOMP::MPG[0.25], valid -9.79 °C to 100.00 °C>
>>> round(pg25.properties("25 degC").density.m_as("kg/m^3"), 1)
1017.2
"""

from __future__ import annotations

from .constructors import (coolprop, ethylene_glycol, freezing_temperature_unesco,
                           propylene_glycol, seawater, tabulated, water)
from .fluid import Fluid, FluidState, LiquidModel

from .refrigerant import Refrigerant, refrigerant, refrigerant_names
from . import humid_air

__all__ = [
    "Fluid", "FluidState", "LiquidModel",
    "water", "propylene_glycol", "ethylene_glycol", "seawater", "coolprop", "tabulated",
    "freezing_temperature_unesco",
    "Refrigerant", "refrigerant", "refrigerant_names",
    "humid_air",
]
