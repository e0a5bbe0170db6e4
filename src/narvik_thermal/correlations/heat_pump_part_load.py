r"""Heat-pump part load: EN 14825 cycling degradation, and a modulating unit that
cycles only below its minimum modulation.

Split from :mod:`narvik_thermal.correlations.heat_pump` (which re-exports the first
two; the third, :func:`part_load_cop_modulating_unit`, is the second's one-unit form
for the solvers). Pure functions of SI floats and arrays.

References
----------
.. [5] CEN, EN 14825:2022, "Air conditioners, liquid chilling packages and
   heat pumps, with electrically driven compressors, for space heating and
   cooling — Testing and rating at part load conditions and calculation of
   seasonal performance", 2022.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from ..errors import InputError
from . import _checks as _c
from .heat_pump_limits import DEFAULT_MIN_MODULATION

__all__ = ["part_load_cop", "part_load_cop_modulating", "part_load_cop_modulating_unit"]


# ---------------------------------------------------------------------- part load
def part_load_cop(cop_full: Any, part_load_ratio: Any, Cd: float | None = None, *,
                  method: Literal["en14825_air", "en14825_water"] = "en14825_air") -> Any:
    r"""COP at part load from on/off cycling degradation, EN 14825 [5]_.

    Parameters
    ----------
    cop_full : float or array_like
        COP at the declared (full-capacity) point of the same conditions [-].
    part_load_ratio : float or array_like
        Capacity ratio CR = heat demand / declared capacity [-], in (0, 1].
    Cd : float, optional
        Degradation coefficient [-]. Default per method: 0.25 for
        ``"en14825_air"`` and 0.9 for ``"en14825_water"`` (the EN 14825
        defaults when Cd is not measured).
    method : {"en14825_air", "en14825_water"}
        Degradation form (air-to-air units, or water/brine-to-water units).

    Returns
    -------
    float or numpy.ndarray
        Part-load COP [-].

    Notes
    -----
    For units that cycle on/off below their minimum capacity:

    .. math::
        COP_{PL} = COP_{DC}\,[1 - C_d (1 - CR)] \quad \text{(air)}, \qquad
        COP_{PL} = COP_{DC}\,\frac{CR}{C_c\,CR + (1 - C_c)} \quad \text{(water)}.

    Both equal :math:`COP_{DC}` at CR = 1. Large district-heating heat pumps
    modulate capacity (slide valve, speed) down to 20–30 % before they cycle
    [GEK]; apply this only to the cycling range.

    References
    ----------
    .. [5] CEN, EN 14825:2022, "Air conditioners, liquid chilling packages and
       heat pumps, with electrically driven compressors, for space heating and
       cooling — Testing and rating at part load conditions and calculation of
       seasonal performance", 2022.

    Examples
    --------
    >>> round(part_load_cop(3.0, 0.5), 3)
    2.625
    >>> round(part_load_cop(3.0, 0.5, method="en14825_water"), 3)
    2.727
    """
    func = "part_load_cop"
    cop = _c.finite(cop_full, "cop_full", func)
    if np.any(cop <= 0):
        raise InputError(f"{func}: cop_full must be > 0, got {cop_full!r}.")
    cr = _c.finite(part_load_ratio, "part_load_ratio", func)
    if np.any((cr <= 0) | (cr > 1)):
        raise InputError(f"{func}: part_load_ratio must be in (0, 1] (demand over declared "
                         f"capacity), got {part_load_ratio!r}; above 1 the unit is at full "
                         "load and a back-up supplies the rest.")
    if method == "en14825_air":
        cd = 0.25 if Cd is None else Cd
    elif method == "en14825_water":
        cd = 0.9 if Cd is None else Cd
    else:
        raise InputError(f"{func}: method must be 'en14825_air' or 'en14825_water', "
                         f"got {method!r}.")
    if not 0.0 <= float(cd) <= 1.0:
        raise InputError(f"{func}: Cd must be in [0, 1], got {cd!r}.")
    if method == "en14825_air":
        return _c.out(cop * (1.0 - cd * (1.0 - cr)))
    return _c.out(cop * cr / (cd * cr + (1.0 - cd)))


def part_load_cop_modulating(cop_full: Any, part_load_ratio: Any,
                             min_modulation: Any = DEFAULT_MIN_MODULATION,
                             Cd: float = 0.9) -> Any:
    r"""COP of a capacity-modulating heat pump at part load: constant while it
    modulates, EN 14825 on/off cycling below its minimum modulation [5]_.

    Parameters
    ----------
    cop_full : float or array_like
        COP at the same stream temperatures and full (modulated) capacity [-].
    part_load_ratio : float or array_like
        PLR = condenser heat / rated capacity [-], in [0, 1].
    min_modulation : float or array_like, optional
        Lowest PLR the unit reaches by modulating (slide valve, speed) [-], in
        (0, 1]; default 0.25 (large district-heating heat pumps modulate to
        20–30 % before they cycle [GEK],
        :data:`~narvik_thermal.correlations.heat_pump_limits.DEFAULT_MIN_MODULATION`).
    Cd : float, optional
        Degradation coefficient of the water method of :func:`part_load_cop`,
        default 0.9 (the EN 14825 default for water/brine units) [-].

    Returns
    -------
    float or numpy.ndarray
        Part-load COP [-], at least 1.

    Notes
    -----
    Above the minimum modulation the COP is taken as the full-load COP at the
    same stream temperatures (modulation losses neglected). Below it the unit
    runs at its minimum capacity and cycles, so the EN 14825 capacity ratio is
    :math:`CR = PLR / PLR_{min}` and (:func:`part_load_cop`, water method)

    .. math::
        COP = COP_{full}\,\frac{CR}{C_d\,CR + (1 - C_d)}
        \quad (PLR < PLR_{min}), \qquad COP = COP_{full} \quad \text{otherwise},

    continuous at :math:`PLR = PLR_{min}`. At :math:`PLR = 0` (no heat) the COP
    is :math:`COP_{full}`. The COP is held at ≥ 1: at very small CR
    (below about 0.05 for COP 3) the form would fall below 1, i.e. the
    evaporator would heat its source.

    References
    ----------
    .. [5] CEN, EN 14825:2022, "Air conditioners, liquid chilling packages and
       heat pumps, with electrically driven compressors, for space heating and
       cooling — Testing and rating at part load conditions and calculation of
       seasonal performance", 2022.

    Examples
    --------
    >>> round(part_load_cop_modulating(3.0, 0.5), 3)       # modulating: no loss
    3.0
    >>> round(part_load_cop_modulating(3.0, 0.1), 4)       # CR = 0.4: 3 × 0.4 / 0.46
    2.6087
    """
    func = "part_load_cop_modulating"
    cop = _c.finite(cop_full, "cop_full", func)
    if np.any(cop <= 0):
        raise InputError(f"{func}: cop_full must be > 0, got {cop_full!r}.")
    plr = _c.finite(part_load_ratio, "part_load_ratio", func)
    if np.any((plr < 0) | (plr > 1 + 1e-9)):
        raise InputError(f"{func}: part_load_ratio must be in [0, 1] (heat over rated "
                         f"capacity), got {part_load_ratio!r}.")
    mm = _c.finite(min_modulation, "min_modulation", func)
    if np.any((mm <= 0) | (mm > 1)):
        raise InputError(f"{func}: min_modulation must be in (0, 1], got {min_modulation!r}.")
    cop, plr, mm = np.broadcast_arrays(cop, plr, mm)
    out = np.array(cop, dtype=float)
    cycling = (plr > 0) & (plr < mm)
    if np.any(cycling):
        # the EN 14825 water form itself (part_load_cop validates Cd), on CR = PLR / PLR_min
        out[cycling] = part_load_cop(cop[cycling], plr[cycling] / mm[cycling], Cd,
                                     method="en14825_water")
    return _c.out(np.maximum(out, np.minimum(cop, 1.0)))


def part_load_cop_modulating_unit(cop_full: float, part_load_ratio: float,
                                  min_modulation: float, Cd: float) -> float:
    """:func:`part_load_cop_modulating` of one unit, for the solvers (a heat pump's
    part-load COP at every outer iteration): plain floats in range take the same
    arithmetic without the array machinery and the argument checks; anything else
    (arrays, values out of range, pint Quantities) goes to
    :func:`part_load_cop_modulating`, which checks it and raises where it must.

    Examples
    --------
    >>> round(part_load_cop_modulating_unit(3.0, 0.1, 0.25, 0.9), 4)
    2.6087
    """
    if (isinstance(cop_full, float) and isinstance(part_load_ratio, float)
            and isinstance(min_modulation, float) and isinstance(Cd, float)
            and 0.0 < cop_full < math.inf and 0.0 <= part_load_ratio <= 1 + 1e-9
            and 0.0 < min_modulation <= 1.0 and 0.0 <= Cd <= 1.0):
        out = cop_full
        if 0.0 < part_load_ratio < min_modulation:
            cr = part_load_ratio / min_modulation
            out = cop_full * cr / (Cd * cr + (1.0 - Cd))
        return float(max(out, min(cop_full, 1.0)))
    return part_load_cop_modulating(cop_full, part_load_ratio, min_modulation, Cd)


# every public function refuses pint Quantities; the solvers' variant checks by its type
# test and passes anything but floats in range to the checked function
_c.refuse_quantities(globals(), unchecked=("part_load_cop_modulating_unit",))
