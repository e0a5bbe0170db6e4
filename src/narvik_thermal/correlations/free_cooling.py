r"""Water-side economiser (free cooling) with a trim chiller in series.

The facility water returning warm from the halls first passes a heat
exchanger against the heat-rejection loop (dry coolers or cooling towers),
then, if it is still above its supply set-point, a trim chiller:

- **full free cooling** — the heat-rejection water is cold enough that the
  exchanger alone reaches the set-point (the loop's fans or a bypass then
  throttle it to exactly the set-point);
- **partial** — the exchanger pre-cools, the chiller takes the rest;
- **none** — the heat-rejection water is not colder than the return (less
  the approach): the exchanger is bypassed and the chiller takes it all.

The exchanger is described either by a fixed approach (facility outlet =
heat-rejection inlet + approach) or by its UA as a counterflow plate heat
exchanger (ε-NTU of :mod:`narvik_thermal.correlations.hx`). Pure SI
functions, vectorised over operating points.

References
----------
.. [1] ASHRAE, *ASHRAE Handbook — HVAC Applications*, ch. "Data centers"
   (water-side economisers in series with chillers), ASHRAE, Atlanta, 2019;
   ASHRAE Standard 90.1-2019 §6.5.1.2 (water economisers).
.. [2] Plate heat-exchanger approach 1–2 K at design (narvik-facts §3, R47) [GEK].
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

import numpy as np

from ..errors import InputError
from . import _checks as _c
from . import hx

__all__ = ["FreeCoolingMode", "FreeCoolingState", "free_cooling", "DEFAULT_APPROACH"]

#: Economiser heat-exchanger approach [K]: 1–2 K at design for plate heat
#: exchangers (narvik-facts §3, R47) [GEK]; 2 K, the conservative end.
DEFAULT_APPROACH = 2.0


class FreeCoolingMode(enum.IntEnum):
    """Operating mode of a water-side economiser.

    Attributes
    ----------
    NONE
        No free cooling: the chiller takes the whole load.
    PARTIAL
        The exchanger pre-cools, the trim chiller finishes.
    FULL
        The exchanger alone holds the supply set-point.
    """

    NONE = 0
    PARTIAL = 1
    FULL = 2


class FreeCoolingState(NamedTuple):
    """Result of :func:`free_cooling` (SI floats or arrays).

    Attributes
    ----------
    heat_free : float or numpy.ndarray
        Heat passed to the heat-rejection loop by the exchanger [W].
    heat_chiller : float or numpy.ndarray
        Cooling left for the trim chiller [W].
    T_after_exchanger : float or numpy.ndarray
        Facility water between exchanger and chiller [K].
    T_cold_loop_out : float or numpy.ndarray
        Heat-rejection water leaving the exchanger [K] (NaN when its flow
        is not given in approach mode).
    free_fraction : float or numpy.ndarray
        heat_free over the total cooling [-] (1 when there is no load).
    mode : FreeCoolingMode or numpy.ndarray of int
        :class:`FreeCoolingMode` of each point.
    """

    heat_free: Any
    heat_chiller: Any
    T_after_exchanger: Any
    T_cold_loop_out: Any
    free_fraction: Any
    mode: Any


def free_cooling(T_facility_return: Any, facility_mass_flow: Any, T_facility_supply: Any,
                 T_cold_loop_in: Any, *, approach: float | None = DEFAULT_APPROACH,
                 ua: float | None = None, cold_loop_mass_flow: Any = None,
                 cp_facility: float = 4180.0, cp_cold_loop: float = 4180.0) -> FreeCoolingState:
    r"""Heat taken by a water-side economiser and the rest left for a trim chiller.

    Parameters
    ----------
    T_facility_return : float or array_like
        Facility water returning from the load [K]
    facility_mass_flow : float or array_like
        Facility water flow, >= 0 [kg s⁻¹]
    T_facility_supply : float or array_like
        Facility supply set-point [K]
    T_cold_loop_in : float or array_like
        Heat-rejection water entering the exchanger (dry-cooler or tower
        outlet) [K]
    approach : float, optional
        Exchanger approach, facility outlet minus cold-loop inlet [K];
        default 2 K. Ignored when ``ua`` is given.
    ua : float, optional
        Exchanger conductance [W K⁻¹] (counterflow ε-NTU); needs
        ``cold_loop_mass_flow``.
    cold_loop_mass_flow : float or array_like, optional
        Heat-rejection water flow through the exchanger [kg s⁻¹].
    cp_facility, cp_cold_loop : float, optional
        Specific heats [J kg⁻¹ K⁻¹], default 4180 (use the glycol's).

    Returns
    -------
    FreeCoolingState

    Notes
    -----
    Exchanger outlet on the facility side, unthrottled:

    .. math::
        T_x = T_{c,in} + \Delta T_{app}
        \quad\text{or}\quad
        T_x = T_{ret} - \varepsilon(NTU, C_r)\,C_{min}(T_{ret} - T_{c,in})/C_f

    then :math:`T_{after} = \max(T_x, T_{sup})` (a colder exchanger outlet is
    throttled to the set-point), :math:`Q_{free} = C_f (T_{ret} - T_{after})`,
    :math:`Q_{chiller} = C_f (T_{after} - T_{sup})`. Modes: FULL when
    :math:`T_x \le T_{sup}`, NONE when :math:`T_x \ge T_{ret}` (the exchanger
    would heat the facility water; it is bypassed), PARTIAL between.
    Energy closes exactly: :math:`Q_{free} + Q_{chiller} = C_f(T_{ret} - T_{sup})`.

    Examples
    --------
    Return 30 °C, supply 20 °C, dry-cooler water at 14 °C: full free cooling;
    at 24 °C: the exchanger takes 4 K of the 10 K:

    >>> s = free_cooling(303.15, 100.0, 293.15, [287.15, 297.15])
    >>> [m.name for m in map(FreeCoolingMode, s.mode)], [round(float(q) / 1e6, 3) for q in s.heat_free]
    (['FULL', 'PARTIAL'], [4.18, 1.672])
    """
    func = "free_cooling"
    Tr = _c.positive_temperature(T_facility_return, "T_facility_return", func)
    m = _c.nonnegative(facility_mass_flow, "facility_mass_flow", func)
    Ts = _c.positive_temperature(T_facility_supply, "T_facility_supply", func)
    Tc = _c.positive_temperature(T_cold_loop_in, "T_cold_loop_in", func)
    cpf = float(_c.positive(cp_facility, "cp_facility", func))
    cpc = float(_c.positive(cp_cold_loop, "cp_cold_loop", func))
    if np.any(Ts > Tr):
        raise InputError(f"{func}: the supply set-point must not exceed the return "
                         "temperature (the facility water is being cooled).")
    Tr, m, Ts, Tc = np.broadcast_arrays(Tr, m, Ts, Tc)
    Cf = m * cpf
    mc = None
    if cold_loop_mass_flow is not None:
        mc = np.broadcast_to(_c.nonnegative(cold_loop_mass_flow, "cold_loop_mass_flow", func),
                             Tr.shape)
    if ua is not None:
        if mc is None:
            raise InputError(f"{func}: ua needs cold_loop_mass_flow (the exchanger's other "
                             "stream).")
        UA = float(_c.nonnegative(ua, "ua", func))
        Cc = mc * cpc
        Cmin, Cmax = np.minimum(Cf, Cc), np.maximum(Cf, Cc)
        live = Cmin > 0.0
        eps = np.asarray(hx.effectiveness_from_NTU(
            np.where(live, UA / np.where(live, Cmin, 1.0), 0.0),
            np.where(live, Cmin / np.where(live, Cmax, 1.0), 0.0)), dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            Tx = np.where(Cf > 0.0, Tr - eps * Cmin * (Tr - Tc) / np.where(Cf > 0.0, Cf, 1.0), Tr)
    else:
        app = _c.nonnegative_scalar(approach, "approach", func)
        Tx = Tc + app
    mode = np.where(Tx >= Tr, FreeCoolingMode.NONE,
                    np.where(Tx <= Ts, FreeCoolingMode.FULL, FreeCoolingMode.PARTIAL))
    T_after = np.where(mode == FreeCoolingMode.NONE, Tr, np.maximum(Tx, Ts))
    q_free = Cf * (Tr - T_after)
    q_ch = Cf * (T_after - Ts)
    total = q_free + q_ch
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total > 0.0, q_free / np.where(total > 0.0, total, 1.0),
                        np.where(mode == FreeCoolingMode.NONE, 0.0, 1.0))
        if mc is not None:
            Tco = np.where(mc > 0.0, Tc + q_free / np.where(mc > 0.0, mc * cpc, 1.0), Tc)
        else:
            Tco = np.full(Tr.shape, np.nan)
    mode_out = FreeCoolingMode(int(mode)) if np.ndim(mode) == 0 else mode.astype(np.int64)
    return FreeCoolingState(_c.out(q_free), _c.out(q_ch), _c.out(T_after), _c.out(Tco),
                            _c.out(frac), mode_out)


# every public function refuses pint Quantities
_c.refuse_quantities(globals())
