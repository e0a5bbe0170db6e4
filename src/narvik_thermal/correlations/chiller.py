r"""Vapour-compression chillers: a cycle-based unit model, DOE-2 curves and the IPLV.

Two models of an electric water chiller, both pure SI functions:

- **cycle model** — :func:`chiller_design` / :func:`chiller_operate`: the
  single-stage cycle of :func:`~narvik_thermal.correlations.heat_pump_cycle.vapour_compression_cycle`
  on a CoolProp refrigerant (R1234ze(E), R134a, R717, …) between an
  evaporating temperature below the chilled-water outlet and a condensing
  temperature above the condenser's entering water or air, with the
  temperature differences of the heat exchangers scaling with their duty
  (constant UA and flows); capacity at off-design from the fixed compressor
  displacement (volumetric capacity :math:`\rho_1 q_{evap}`); part load by
  continuous unloading down to a minimum, then on/off cycling by EN 14825
  (:func:`~narvik_thermal.correlations.heat_pump.part_load_cop`), or by a
  published EIR–part-load curve (DOE-2);
- **DOE-2 / EnergyPlus "Chiller:Electric:EIR" curves** —
  :func:`chiller_eir_doe2`: capacity and EIR biquadratic in the leaving
  chilled-water and entering condenser temperatures, EIR polynomial in the
  part-load ratio [2]_ [3]_, with :class:`PerformanceCurve` and the published
  DOE-2 centrifugal curve set :data:`DOE2_CENTRIFUGAL_5_50_COP`;
- **IPLV** — :func:`iplv_ahri` (the AHRI 550/590 / 551/591 weighting) and
  :func:`chiller_iplv` / :func:`chiller_eir_iplv` at the standard's
  part-load rating conditions, with its degradation for units that cannot
  unload far enough [1]_.

The refrigerant comes in as a property object
(:func:`narvik_thermal.fluids.refrigerant.refrigerant`) or a name resolved
lazily through it, as in :func:`~narvik_thermal.correlations.heat_pump.heat_pump_cop`;
this module itself never imports CoolProp. The cycle is evaluated once on a
grid at design (evaporating temperature × lift, cubic splines), so operating
a chiller over a year of hours costs microseconds per point.

References
----------
.. [1] AHRI, *Standard 550/590 (I-P) and 551/591 (SI): Performance rating of
   water-chilling and heat pump water-heating packages using the vapor
   compression cycle*, Air-Conditioning, Heating, and Refrigeration
   Institute, Arlington VA, 2018/2023 (IPLV weights 1 %, 42 %, 45 %, 12 %;
   part-load condenser temperatures; degradation
   :math:`C_D = 1.13 - 0.13\,LF`).
.. [2] Lawrence Berkeley Laboratory, *DOE-2 Engineers Manual*, version 2.1A,
   LBL-11353, 1982 (electric chiller curves CAPFT, EIRFT, EIRFPLR).
.. [3] U.S. DOE, *EnergyPlus Engineering Reference*, "Electric chiller model
   based on condenser entering temperature" (Chiller:Electric:EIR), and
   EnergyPlus ``StandardRatings::CalcChillerIPLV``.
.. [4] CEN, EN 14825:2022 (cycling degradation), see
   :func:`~narvik_thermal.correlations.heat_pump.part_load_cop`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np

from ..errors import InputError
from . import _checks as _c
from .heat_pump import part_load_cop
from .heat_pump_cycle import DEFAULT_ISENTROPIC_EFFICIENCY, vapour_compression_cycle

__all__ = [
    "PerformanceCurve", "DOE2_CENTRIFUGAL_5_50_COP", "ChillerState", "chiller_eir_doe2",
    "iplv_ahri", "ahri_part_load_conditions", "chiller_eir_iplv", "ChillerDesign",
    "chiller_design", "chiller_operate", "chiller_iplv", "CondenserType", "PartLoadMethod",
    "IPLV_WEIGHTS",
]

CondenserType = Literal["water", "air"]
PartLoadMethod = Literal["en14825_water", "en14825_air", "eir_curve"]
_ZERO_C = 273.15
#: IPLV weights at 100, 75, 50 and 25 % load (AHRI 550/590 and 551/591).
IPLV_WEIGHTS = (0.01, 0.42, 0.45, 0.12)
_PLR_POINTS = (1.0, 0.75, 0.5, 0.25)


# --------------------------------------------------------------- curves (DOE-2)
@dataclass(frozen=True)
class PerformanceCurve:
    r"""A polynomial or biquadratic performance curve with clamped inputs (EnergyPlus style).

    Parameters
    ----------
    coefficients : tuple of float
        Polynomial :math:`c_0 + c_1 x + c_2 x^2 (+ c_3 x^3)` (2–4 values), or
        with ``biquadratic=True`` the six
        :math:`c_0 + c_1 x + c_2 x^2 + c_3 y + c_4 y^2 + c_5 xy`.
    x_range, y_range : tuple of float, optional
        Input limits; inputs are clamped to them ("evaluate curve to limits").
    biquadratic : bool, optional
        Two-variable curve.

    Notes
    -----
    Temperatures in DOE-2 and EnergyPlus chiller curves are in °C; the
    chiller functions here convert from K before calling a curve.

    Examples
    --------
    >>> PerformanceCurve((0.222903, 0.313387, 0.463710))(0.5)
    0.495524
    """

    coefficients: tuple[float, ...]
    x_range: tuple[float, float] = (-np.inf, np.inf)
    y_range: tuple[float, float] = (-np.inf, np.inf)
    biquadratic: bool = False

    def __post_init__(self) -> None:
        n = len(self.coefficients)
        if (self.biquadratic and n != 6) or (not self.biquadratic and not 1 <= n <= 4):
            raise InputError(f"PerformanceCurve: {n} coefficients given; a biquadratic curve "
                             "needs 6, a polynomial 1 to 4.")

    def __call__(self, x: Any, y: Any = None) -> Any:
        x = np.clip(np.asarray(x, dtype=float), *self.x_range)
        c = self.coefficients
        if self.biquadratic:
            if y is None:
                raise InputError("PerformanceCurve: a biquadratic curve needs x and y.")
            y = np.clip(np.asarray(y, dtype=float), *self.y_range)
            v = c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y
        else:
            v = np.polynomial.polynomial.polyval(x, c)
        return _c.out(v)


#: "DOE-2 Centrifugal/5.50COP" (EnergyPlus chiller dataset, from DOE-2.1E):
#: reference COP 5.5 at 6.67 °C leaving chilled water and 29.4 °C entering
#: condenser water; ``(capacity_curve, eir_curve, part_load_curve)``. The
#: coefficients are those of the EnergyPlus Input Output Reference's
#: ``Chiller:Electric:EIR`` example (checked by hand); later EnergyPlus curve
#: lists carry slightly different, renormalised values (0.257183…), which are
#: not the ones used here.
DOE2_CENTRIFUGAL_5_50_COP = (
    PerformanceCurve((0.257896, 0.0389016, -0.00021708, 0.0468684, -0.00094284, -0.00034344),
                     biquadratic=True),
    PerformanceCurve((0.933884, -0.058212, 0.00450036, 0.00243, 0.000486, -0.001215),
                     biquadratic=True),
    PerformanceCurve((0.222903, 0.313387, 0.46371)),
)


class ChillerState(NamedTuple):
    """Operating state of a chiller (SI floats or arrays).

    Attributes
    ----------
    COP : float or numpy.ndarray
        Cooling COP, cooling delivered over electric power [-].
    power : float or numpy.ndarray
        Electric power of the compressor(s) [W].
    condenser_heat : float or numpy.ndarray
        Heat rejected at the condenser, cooling + power [W].
    cooling : float or numpy.ndarray
        Cooling delivered, min(load, capacity) [W].
    capacity : float or numpy.ndarray
        Cooling capacity available at these temperatures [W].
    part_load_ratio : float or numpy.ndarray
        cooling / capacity [-].
    unmet_load : float or numpy.ndarray
        load − cooling, > 0 when the chiller is too small [W].
    T_evaporation, T_condensation : float or numpy.ndarray
        Refrigerant saturation temperatures [K] (NaN for the curve model).
    """

    COP: Any
    power: Any
    condenser_heat: Any
    cooling: Any
    capacity: Any
    part_load_ratio: Any
    unmet_load: Any
    T_evaporation: Any
    T_condensation: Any


def _state_out(*vals) -> ChillerState:
    return ChillerState(*(_c.out(np.asarray(v, dtype=float)) for v in vals))


def chiller_eir_doe2(load: Any, T_chilled_water_out: Any, T_condenser_in: Any, *,
                     reference_capacity: float, reference_cop: float,
                     capacity_curve: PerformanceCurve, eir_curve: PerformanceCurve,
                     part_load_curve: PerformanceCurve, min_unload: float = 0.1) -> ChillerState:
    r"""Chiller performance from DOE-2 / EnergyPlus ``Chiller:Electric:EIR`` curves.

    Parameters
    ----------
    load : float or array_like
        Cooling demanded, >= 0 [W]
    T_chilled_water_out : float or array_like
        Leaving chilled-water temperature [K]
    T_condenser_in : float or array_like
        Entering condenser water (water-cooled) or outdoor dry bulb
        (air-cooled) [K]
    reference_capacity, reference_cop : float
        Capacity [W] and cooling COP [-] at the curves' reference conditions.
    capacity_curve, eir_curve : PerformanceCurve
        Biquadratics in (T_chw,out, T_cond,in) in °C.
    part_load_curve : PerformanceCurve
        EIR modifier as a polynomial in the part-load ratio.
    min_unload : float, optional
        Lowest part-load ratio of continuous unloading [-]; below it the
        chiller cycles at that ratio. Default 0.1.

    Returns
    -------
    ChillerState

    Notes
    -----
    DOE-2 [2]_, EnergyPlus [3]_:

    .. math::
        Q_{avail} = Q_{ref}\,CAPFT,\quad PLR = \min(Q/Q_{avail}, 1),\quad
        P = \frac{Q_{avail}}{COP_{ref}}\,EIRFT\,EIRFPLR(\max(PLR, PLR_{min}))
        \cdot\min(1, PLR/PLR_{min})

    (below :math:`PLR_{min}` the chiller runs at :math:`PLR_{min}` for the
    fraction :math:`PLR/PLR_{min}` of the time).

    References
    ----------
    .. [2] Lawrence Berkeley Laboratory, *DOE-2 Engineers Manual*, version
       2.1A, LBL-11353, 1982.
    .. [3] U.S. DOE, *EnergyPlus Engineering Reference*, Chiller:Electric:EIR;
       EnergyPlus ``StandardRatings::CalcChillerIPLV``.

    Examples
    --------
    The DOE-2 centrifugal chiller at its reference point and at half load:

    >>> cap, eir, plr = DOE2_CENTRIFUGAL_5_50_COP
    >>> kw = dict(reference_capacity=1e6, reference_cop=5.5, capacity_curve=cap,
    ...           eir_curve=eir, part_load_curve=plr)
    >>> s = chiller_eir_doe2(1e6, 279.82, 302.55, **kw)
    >>> round(s.COP, 3), round(s.capacity / 1e6, 4)
    (5.5, 1.0033)
    >>> round(chiller_eir_doe2(0.5e6, 279.82, 302.55, **kw).COP, 3)
    5.551
    """
    func = "chiller_eir_doe2"
    Q = _c.nonnegative(load, "load", func)
    tchw = _c.positive_temperature(T_chilled_water_out, "T_chilled_water_out", func) - _ZERO_C
    tcond = _c.positive_temperature(T_condenser_in, "T_condenser_in", func) - _ZERO_C
    qref = float(_c.positive(reference_capacity, "reference_capacity", func))
    cop = float(_c.positive(reference_cop, "reference_cop", func))
    pmin = float(_c.in_closed(min_unload, "min_unload", func, 0.0, 1.0))
    Q, tchw, tcond = np.broadcast_arrays(Q, tchw, tcond)
    avail = qref * np.asarray(capacity_curve(tchw, tcond))
    if np.any(avail <= 0.0):
        raise InputError(f"{func}: the capacity curve is <= 0 at these temperatures; they lie "
                         "outside the curve's range.")
    cool = np.minimum(Q, avail)
    plr = cool / avail
    run = np.maximum(plr, pmin)
    cycling = np.where(pmin > 0.0, np.minimum(1.0, plr / max(pmin, 1e-300)), 1.0)
    P = avail / cop * np.asarray(eir_curve(tchw, tcond)) * np.asarray(part_load_curve(run)) * cycling
    with np.errstate(invalid="ignore", divide="ignore"):
        COP = np.where(P > 0.0, cool / np.where(P > 0.0, P, 1.0), 0.0)
    nan = np.full(Q.shape, np.nan)
    return _state_out(COP, P, cool + P, cool, avail, plr, Q - cool, nan, nan)


# ------------------------------------------------------------------- IPLV
def iplv_ahri(cop_100: Any, cop_75: Any, cop_50: Any, cop_25: Any) -> Any:
    r"""Integrated part-load value from the COPs at 100, 75, 50 and 25 % load (AHRI).

    Parameters
    ----------
    cop_100, cop_75, cop_50, cop_25 : float or array_like
        Cooling COP (or EER) at the four rating points [-]

    Returns
    -------
    float or numpy.ndarray
        IPLV in the same unit [-]

    Notes
    -----
    .. math:: IPLV = 0.01A + 0.42B + 0.45C + 0.12D

    (AHRI 550/590 and 551/591 [1]_). For efficiencies in kW/ton the standard
    writes :math:`1/(0.01/A + 0.42/B + 0.45/C + 0.12/D)`, the same weighting
    of the reciprocals.

    References
    ----------
    .. [1] AHRI, *Standard 550/590 (I-P) and 551/591 (SI)*, AHRI, Arlington VA,
       2018/2023.

    Examples
    --------
    >>> iplv_ahri(5.0, 6.0, 7.0, 6.5)
    6.5
    """
    func = "iplv_ahri"
    vals = [_c.positive(v, n, func) for v, n in ((cop_100, "cop_100"), (cop_75, "cop_75"),
                                                (cop_50, "cop_50"), (cop_25, "cop_25"))]
    return _c.out(sum(w * v for w, v in zip(IPLV_WEIGHTS, vals)))


def ahri_part_load_conditions(condenser: CondenserType = "water", *,
                              standard: Literal["si", "ip"] = "si") -> tuple[float, tuple[float, ...]]:
    r"""Leaving chilled water and condenser entering temperatures of the IPLV rating points.

    Parameters
    ----------
    condenser : {"water", "air"}
        Entering condenser water, or outdoor dry bulb for air-cooled units.
    standard : {"si", "ip"}
        AHRI 551/591 (SI: 7.0 °C leaving chilled water) or the chilled water
        of AHRI 550/590 (I-P: 44 °F = 6.67 °C, as EnergyPlus's
        ``CalcChillerIPLV`` uses). The condenser temperatures are the SI
        standard's in both.

    Returns
    -------
    (float, tuple of float)
        Leaving chilled water [K] and condenser temperatures at 100, 75, 50
        and 25 % load [K].

    Notes
    -----
    Water-cooled: :math:`8 + 22\,PLR` °C above 50 % load, 19 °C below (30,
    24.5, 19, 19 °C); air-cooled: :math:`3 + 32\,PLR` °C above 31.25 %, 13 °C
    below (35, 27, 19, 13 °C) [1]_ [3]_.

    References
    ----------
    .. [1] AHRI, *Standard 550/590 (I-P) and 551/591 (SI)*, AHRI, Arlington VA,
       2018/2023.
    .. [3] U.S. DOE, *EnergyPlus Engineering Reference*, Chiller:Electric:EIR;
       EnergyPlus ``StandardRatings::CalcChillerIPLV``.

    Examples
    --------
    >>> T, cond = ahri_part_load_conditions("air")
    >>> [round(t - 273.15, 2) for t in cond]
    [35.0, 27.0, 19.0, 13.0]
    """
    if condenser == "water":
        cond = tuple((8.0 + 22.0 * p if p > 0.5 else 19.0) + _ZERO_C for p in _PLR_POINTS)
    elif condenser == "air":
        cond = tuple((3.0 + 32.0 * p if p > 0.3125 else 13.0) + _ZERO_C for p in _PLR_POINTS)
    else:
        raise InputError(f"ahri_part_load_conditions: condenser must be 'water' or 'air', "
                         f"got {condenser!r}.")
    if standard not in ("si", "ip"):
        raise InputError(f"ahri_part_load_conditions: standard must be 'si' or 'ip', got "
                         f"{standard!r}.")
    return (7.0 if standard == "si" else 6.67) + _ZERO_C, cond


def _degraded(cop_min: np.ndarray, target: float, capacity_100: float, min_plr: float,
              avail: np.ndarray) -> np.ndarray:
    """AHRI: COP of a unit cycling below its minimum unloading (C_D = 1.13 − 0.13 LF)."""
    lf = target * capacity_100 / (min_plr * avail)
    return cop_min / (1.13 - 0.13 * lf)


def chiller_eir_iplv(*, reference_capacity: float, reference_cop: float,
                     capacity_curve: PerformanceCurve, eir_curve: PerformanceCurve,
                     part_load_curve: PerformanceCurve, min_unload: float = 0.1,
                     condenser: CondenserType = "water",
                     standard: Literal["si", "ip"] = "ip") -> float:
    r"""IPLV of a DOE-2 / EnergyPlus EIR chiller, as EnergyPlus's ``CalcChillerIPLV``.

    Parameters
    ----------
    reference_capacity, reference_cop, capacity_curve, eir_curve, part_load_curve, min_unload
        As for :func:`chiller_eir_doe2`.
    condenser : {"water", "air"}
        Condenser type.
    standard : {"si", "ip"}
        Leaving chilled water of :func:`ahri_part_load_conditions`; default
        "ip" (6.67 °C), as EnergyPlus 9.x.

    Returns
    -------
    float
        IPLV as a COP [-]

    Notes
    -----
    EnergyPlus's procedure [3]_: at each point the part-load ratio is
    :math:`PLR = PLR_{target}\,CAPFT_{100}/CAPFT`; below ``min_unload`` the
    EIR is taken at ``min_unload`` and, where the target itself is below it,
    the COP is divided by AHRI's :math:`C_D = 1.13 - 0.13\,LF`,
    :math:`LF = PLR_{target} Q_{ref}/(PLR_{min} Q_{avail})` [1]_.

    References
    ----------
    .. [1] AHRI, *Standard 550/590 (I-P) and 551/591 (SI)*, AHRI, Arlington VA,
       2018/2023.
    .. [3] U.S. DOE, *EnergyPlus Engineering Reference*, Chiller:Electric:EIR;
       EnergyPlus ``StandardRatings::CalcChillerIPLV``.

    Examples
    --------
    >>> cap, eir, plr = DOE2_CENTRIFUGAL_5_50_COP
    >>> round(chiller_eir_iplv(reference_capacity=1e6, reference_cop=5.5, capacity_curve=cap,
    ...                        eir_curve=eir, part_load_curve=plr), 2)
    6.41
    """
    func = "chiller_eir_iplv"
    qref = float(_c.positive(reference_capacity, "reference_capacity", func))
    cop_ref = float(_c.positive(reference_cop, "reference_cop", func))
    pmin = float(_c.in_closed(min_unload, "min_unload", func, 0.0, 1.0))
    T_chw, conds = ahri_part_load_conditions(condenser, standard=standard)
    tchw = T_chw - _ZERO_C
    capft_rated = float(capacity_curve(tchw, conds[0] - _ZERO_C))
    cops = []
    for target, Tc in zip(_PLR_POINTS, conds):
        capft = float(capacity_curve(tchw, Tc - _ZERO_C))
        eirft = float(eir_curve(tchw, Tc - _ZERO_C))
        plr = target * capft_rated / capft
        if plr < pmin:
            plr = pmin
        avail = qref * capft
        eir = (avail / cop_ref) * float(part_load_curve(plr)) * eirft / (plr * avail)
        if target >= pmin:
            cops.append(1.0 / eir)
        else:
            lf = target * qref / (pmin * avail)
            cops.append(1.0 / ((1.13 - 0.13 * lf) * eir))
    return float(iplv_ahri(*cops))


# ------------------------------------------------------------ cycle-based model
def _resolve(refrigerant: Any) -> Any:
    if isinstance(refrigerant, str):
        from ..fluids.refrigerant import refrigerant as _get
        return _get(refrigerant)
    return refrigerant


@dataclass(frozen=True)
class ChillerDesign:
    """A vapour-compression chiller sized at its design point, from :func:`chiller_design`.

    Attributes
    ----------
    capacity : float
        Design cooling capacity [W].
    T_chilled_water_out : float
        Design leaving chilled water [K].
    T_condenser_in : float
        Design entering condenser water or air [K].
    condenser : str
        ``"water"`` or ``"air"``.
    evaporator_approach : float
        Leaving chilled water minus evaporating temperature at design duty [K].
    condenser_temperature_difference : float
        Condensing minus entering condenser temperature at design duty [K].
    refrigerant : str
        Refrigerant name.
    isentropic_efficiency, superheat, subcooling : float
        Cycle parameters of :func:`~narvik_thermal.correlations.heat_pump_cycle.vapour_compression_cycle`.
    COP : float
        Design cooling COP [-].
    power : float
        Design electric power [W].
    T_evaporation, T_condensation : float
        Design saturation temperatures [K].
    min_part_load : float
        Lowest part-load ratio of continuous unloading [-].
    minimum_lift : float
        Smallest condensing-minus-evaporating difference the head-pressure
        control allows [K].
    part_load : str
        Part-load method of :func:`chiller_operate`.
    part_load_curve : PerformanceCurve
        EIR–PLR curve for ``part_load="eir_curve"``.
    """

    capacity: float
    T_chilled_water_out: float
    T_condenser_in: float
    condenser: str
    evaporator_approach: float
    condenser_temperature_difference: float
    refrigerant: str
    isentropic_efficiency: float
    superheat: float
    subcooling: float
    COP: float
    power: float
    T_evaporation: float
    T_condensation: float
    min_part_load: float = 0.25
    minimum_lift: float = 10.0
    part_load: str = "en14825_water"
    part_load_curve: PerformanceCurve = DOE2_CENTRIFUGAL_5_50_COP[2]
    # cycle tables on (T_evaporation, lift): COP and volumetric capacity / design's
    _grid_Te: np.ndarray = field(default=None, repr=False, compare=False)
    _grid_lift: np.ndarray = field(default=None, repr=False, compare=False)
    _spline_cop: Any = field(default=None, repr=False, compare=False)
    _spline_qv: Any = field(default=None, repr=False, compare=False)

    @property
    def condenser_heat(self) -> float:
        """Design condenser heat, capacity + power [W]."""
        return self.capacity + self.power

    def cycle(self, T_evaporation: Any, T_condensation: Any) -> tuple[Any, Any]:
        """Cooling COP and capacity ratio from the design's cycle tables.

        Parameters
        ----------
        T_evaporation, T_condensation : float or array_like
            Saturation temperatures [K]; the lift is clamped to
            ``minimum_lift`` and both to the tabulated range.

        Returns
        -------
        (COP, capacity_ratio)
            Cooling COP [-] and volumetric capacity over the design's [-].
        """
        return self.cycle_unchecked(T_evaporation, T_condensation)

    def cycle_unchecked(self, T_evaporation: Any, T_condensation: Any, *,
                        cop: bool = True, capacity: bool = True) -> tuple[Any, Any]:
        """:meth:`cycle` without the check for Quantities, for this module's iterations
        on values they computed; ``cop=False`` or ``capacity=False`` leaves that table
        unread (None in its place: an iteration reads one of them).

        A single point (floats or 0-d arrays; :func:`chiller_operate` at one operating
        point evaluates 20 to 30) is clamped with Python's ``min``/``max`` on its
        floats, which give ``np.clip``'s values (NaN passes through both), and the
        splines take the floats as they take 0-d arrays: the same values without
        ``np.clip``'s cost (3 µs for a 0-d array, the spline's is 5).
        """
        if np.ndim(T_evaporation) == 0 and np.ndim(T_condensation) == 0:
            gt, gl = self._grid_Te, self._grid_lift
            Te = min(max(float(T_evaporation), gt[0]), gt[-1])
            lift = min(max(float(T_condensation) - Te, gl[0]), gl[-1])
            return (float(self._spline_cop(Te, lift, grid=False)) if cop else None,
                    float(self._spline_qv(Te, lift, grid=False)) if capacity else None)
        Te = np.clip(np.asarray(T_evaporation, dtype=float), self._grid_Te[0],
                     self._grid_Te[-1])
        lift = np.clip(np.asarray(T_condensation, dtype=float) - Te, self._grid_lift[0],
                       self._grid_lift[-1])
        return (_c.out(self._spline_cop(Te, lift, grid=False)) if cop else None,
                _c.out(self._spline_qv(Te, lift, grid=False)) if capacity else None)


def _cycle_point(fluid, T_e, T_c, eta, sh, sc):
    res = vapour_compression_cycle(fluid, T_e, T_c, isentropic_efficiency=eta, superheat=sh,
                                   subcooling=sc)
    rho1 = fluid.density_pT(res.p_evaporation, T_e + max(sh, 0.1))
    return res.COP_cooling, rho1 * res.q_evaporator


def chiller_design(capacity: float, T_chilled_water_out: float, T_condenser_in: float, *,
                   refrigerant: Any = "R1234ze(E)", condenser: CondenserType = "water",
                   evaporator_approach: float = 2.0,
                   condenser_temperature_difference: float | None = None,
                   isentropic_efficiency: float = DEFAULT_ISENTROPIC_EFFICIENCY,
                   superheat: float = 5.0, subcooling: float = 2.0,
                   min_part_load: float = 0.25, minimum_lift: float = 10.0,
                   part_load: PartLoadMethod = "en14825_water",
                   part_load_curve: PerformanceCurve | None = None,
                   table_range: tuple[float, float] = (15.0, 25.0)) -> ChillerDesign:
    r"""Size a vapour-compression chiller at its design point and tabulate its cycle.

    Parameters
    ----------
    capacity : float
        Design cooling capacity, > 0 [W]
    T_chilled_water_out : float
        Design leaving chilled water [K]
    T_condenser_in : float
        Design entering condenser water (``condenser="water"``) or outdoor
        dry bulb (``"air"``) [K]
    refrigerant : str or Refrigerant, optional
        Default ``"R1234ze(E)"`` (a low-GWP refrigerant of large chillers).
    condenser : {"water", "air"}
        Condenser type.
    evaporator_approach : float, optional
        Leaving chilled water minus evaporating temperature at design, default
        2 K [GEK: 1–3 K for flooded/shell-and-tube evaporators].
    condenser_temperature_difference : float, optional
        Condensing minus entering condenser temperature at design [K];
        default 7 K for water (about 5 K range + 2 K approach; AHRI's rating
        water rises 29.4 → 34.6 °C) and 15 K for air [GEK: 10–20 K].
    isentropic_efficiency, superheat, subcooling : float, optional
        Cycle parameters; defaults 0.7, 5 K, 2 K.
    min_part_load : float, optional
        Lowest part-load ratio of continuous unloading, default 0.25 [GEK:
        screw and centrifugal chillers modulate to 10–30 %].
    minimum_lift : float, optional
        Smallest condensing-minus-evaporating difference held by head-pressure
        control, default 10 K [GEK].
    part_load : {"en14825_water", "en14825_air", "eir_curve"}
        Part-load method of :func:`chiller_operate`.
    part_load_curve : PerformanceCurve, optional
        EIR–PLR curve for ``"eir_curve"``; default DOE-2's centrifugal
        (:data:`DOE2_CENTRIFUGAL_5_50_COP`).
    table_range : (float, float), optional
        Evaporating temperatures tabulated below and above design [K];
        lifts are tabulated from ``minimum_lift`` to the design lift + 25 K.

    Returns
    -------
    ChillerDesign

    Notes
    -----
    At design :math:`T_e = T_{chw,o} - \Delta T_e`,
    :math:`T_c = T_{cond,i} + \Delta T_c`, and the cycle of
    :func:`~narvik_thermal.correlations.heat_pump_cycle.vapour_compression_cycle`
    gives :math:`COP = q_{evap}/w`. The cooling COP and the volumetric
    capacity :math:`\rho_1 q_{evap}` are then evaluated on a grid of
    evaporating temperature and lift (2 K steps, through the design point)
    and held as bicubic splines (error against the cycle below 0.05 %,
    tests/test_correlations_chiller.py); about 300 cycle evaluations, under
    a second.

    Examples
    --------
    >>> d = chiller_design(2e6, 280.15, 303.15, refrigerant="R134a")
    >>> round(d.COP, 2), round(d.T_evaporation - 273.15, 1), round(d.T_condensation - 273.15, 1)
    (5.23, 5.0, 37.0)
    """
    func = "chiller_design"
    Q = float(_c.positive(capacity, "capacity", func))
    Tchw = float(_c.positive_temperature(T_chilled_water_out, "T_chilled_water_out", func))
    Tci = float(_c.positive_temperature(T_condenser_in, "T_condenser_in", func))
    if condenser not in ("water", "air"):
        raise InputError(f"{func}: condenser must be 'water' or 'air', got {condenser!r}.")
    if part_load not in ("en14825_water", "en14825_air", "eir_curve"):
        raise InputError(f"{func}: part_load must be 'en14825_water', 'en14825_air' or "
                         f"'eir_curve', got {part_load!r}.")
    dTe = _c.nonnegative_scalar(evaporator_approach, "evaporator_approach", func)
    dTc = (7.0 if condenser == "water" else 15.0) if condenser_temperature_difference is None \
        else _c.nonnegative_scalar(condenser_temperature_difference,
                                   "condenser_temperature_difference", func)
    pmin = float(_c.in_closed(min_part_load, "min_part_load", func, 0.0, 1.0))
    lift_min = _c.nonnegative_scalar(minimum_lift, "minimum_lift", func)
    fluid = _resolve(refrigerant)
    T_e, T_c = Tchw - dTe, Tci + dTc
    if T_c - T_e < lift_min:
        raise InputError(f"{func}: the design lift {T_c - T_e:.2f} K is below minimum_lift "
                         f"{lift_min:g} K; at these temperatures the plant should free-cool.")
    cop_d, qv_d = _cycle_point(fluid, T_e, T_c, isentropic_efficiency, superheat, subcooling)
    from scipy.interpolate import RectBivariateSpline
    lo, hi = table_range
    # 2 K nodes through the design point (the splines interpolate, so the
    # design is reproduced exactly); lifts from minimum_lift, spacing <= 2 K
    Te_grid = T_e + 2.0 * np.arange(-int(np.ceil(lo / 2.0)), int(np.ceil(hi / 2.0)) + 1)
    L_d = T_c - T_e
    n_below = max(int(np.ceil((L_d - lift_min) / 2.0)), 1)
    h = (L_d - lift_min) / n_below if L_d > lift_min else 2.0
    lift_grid = lift_min + h * np.arange(n_below + int(np.ceil(25.0 / h)) + 1)
    cop_tab = np.empty((Te_grid.size, lift_grid.size))
    qv_tab = np.empty_like(cop_tab)
    for i, te in enumerate(Te_grid):
        for j, L in enumerate(lift_grid):
            cop_tab[i, j], qv_tab[i, j] = _cycle_point(fluid, te, te + L, isentropic_efficiency,
                                                       superheat, subcooling)
    curve = DOE2_CENTRIFUGAL_5_50_COP[2] if part_load_curve is None else part_load_curve
    return ChillerDesign(
        capacity=Q, T_chilled_water_out=Tchw, T_condenser_in=Tci, condenser=condenser,
        evaporator_approach=dTe, condenser_temperature_difference=dTc,
        refrigerant=getattr(fluid, "name", str(refrigerant)),
        isentropic_efficiency=float(isentropic_efficiency), superheat=float(superheat),
        subcooling=float(subcooling), COP=cop_d, power=Q / cop_d, T_evaporation=T_e,
        T_condensation=T_c, min_part_load=pmin, minimum_lift=lift_min, part_load=part_load,
        part_load_curve=curve, _grid_Te=Te_grid, _grid_lift=lift_grid,
        _spline_cop=RectBivariateSpline(Te_grid, lift_grid, cop_tab),
        _spline_qv=RectBivariateSpline(Te_grid, lift_grid, qv_tab / qv_d))


def _temperatures(d: ChillerDesign, Tchw, Tci, q_ratio, qc_ratio):
    """Saturation temperatures for duty ratios of evaporator and condenser (constant UA)."""
    T_e = Tchw - d.evaporator_approach * q_ratio
    T_c = np.maximum(Tci + d.condenser_temperature_difference * qc_ratio, T_e + d.minimum_lift)
    return T_e, T_c


def _solve_point(d: ChillerDesign, Tchw, Tci, Q, iterations: int = 6):
    """COP and temperatures at cooling duty ``Q`` (fixed point on the condenser duty).

    An iteration is a function of the COP before it alone: one that gives that COP
    again, bit for bit (``tobytes``: also the sign of a zero), would give it, and the
    same temperatures, at every later iteration, which are not made (at a lift held at
    ``minimum_lift`` the first iteration is the fixed point)."""
    cop = np.full(np.shape(Q), d.COP)
    for _ in range(iterations):
        qc = Q * (1.0 + 1.0 / cop) / d.condenser_heat
        T_e, T_c = _temperatures(d, Tchw, Tci, Q / d.capacity, qc)
        new = np.asarray(d.cycle_unchecked(T_e, T_c, capacity=False)[0], dtype=float)
        if new.tobytes() == cop.tobytes():
            break
        cop = new
    return cop, T_e, T_c


def _available(d: ChillerDesign, Tchw, Tci, iterations: int = 6):
    """Full-load capacity at these temperatures (fixed displacement), with its COP.

    As in :func:`_solve_point`, an iteration that gives the capacity it started from
    again, bit for bit, ends the iteration with the value every later one would give."""
    Q = np.full(np.shape(Tchw), d.capacity)
    for _ in range(iterations):
        cop, T_e, T_c = _solve_point(d, Tchw, Tci, Q, iterations=3)
        new = d.capacity * np.asarray(d.cycle_unchecked(T_e, T_c, cop=False)[1],
                                      dtype=float)
        if new.tobytes() == Q.tobytes():
            break
        Q = new
    return Q


def chiller_operate(load: Any, T_chilled_water_out: Any, T_condenser_in: Any,
                    design: ChillerDesign) -> ChillerState:
    r"""COP, electricity and condenser heat of a sized chiller at one or many points.

    Parameters
    ----------
    load : float or array_like
        Cooling demanded, >= 0 [W]
    T_chilled_water_out : float or array_like
        Leaving chilled-water set-point [K]
    T_condenser_in : float or array_like
        Entering condenser water or outdoor dry bulb [K]
    design : ChillerDesign
        From :func:`chiller_design`.

    Returns
    -------
    ChillerState

    Notes
    -----
    With constant flows and UA the heat exchangers' temperature differences
    scale with their duties (Cr = 0 on the refrigerant side):

    .. math::
        T_e = T_{chw,o} - \Delta T_{e,d}\,\frac{Q}{Q_d},\qquad
        T_c = \max\left(T_{cond,i} + \Delta T_{c,d}\,\frac{Q(1 + 1/COP)}{Q_{c,d}},\
        T_e + \Delta T_{lift,min}\right)

    solved by fixed point with :math:`COP = COP_{cycle}(T_e, T_c)` from the
    design's tables. Capacity: :math:`Q_{avail} = Q_d\,(\rho_1 q_{evap})/(\rho_1
    q_{evap})_d` at full-load temperatures (fixed displacement, constant
    volumetric efficiency). Part load :math:`PLR = \min(Q, Q_{avail})/Q_{avail}`:

    - ``"en14825_water"``/``"en14825_air"``: continuous unloading (cycle COP
      at the part-load temperatures) down to ``min_part_load``; below it the
      unit cycles at ``min_part_load`` with EN 14825's degradation
      (:func:`~narvik_thermal.correlations.heat_pump.part_load_cop`,
      :math:`C_R = PLR/PLR_{min}`);
    - ``"eir_curve"``: cycle COP at full-load temperature differences times
      :math:`PLR/EIRFPLR(PLR)` with the design's curve (DOE-2 centrifugal by
      default) [2]_ [3]_, which carries both the heat-exchanger and the
      compressor part-load effects; below ``min_part_load`` the unit cycles.

    Power :math:`P = Q/COP`, condenser heat :math:`Q + P`.

    References
    ----------
    .. [2] Lawrence Berkeley Laboratory, *DOE-2 Engineers Manual*, version
       2.1A, LBL-11353, 1982.
    .. [3] U.S. DOE, *EnergyPlus Engineering Reference*, Chiller:Electric:EIR;
       EnergyPlus ``StandardRatings::CalcChillerIPLV``.

    Examples
    --------
    >>> d = chiller_design(2e6, 280.15, 303.15, refrigerant="R134a")
    >>> s = chiller_operate([2e6, 1e6, 0.2e6], 280.15, [303.15, 296.15, 292.15], d)
    >>> [round(float(c), 2) for c in s.COP]
    [5.23, 8.82, 11.0]
    """
    func = "chiller_operate"
    Q = _c.nonnegative(load, "load", func)
    Tchw = _c.positive_temperature(T_chilled_water_out, "T_chilled_water_out", func)
    Tci = _c.positive_temperature(T_condenser_in, "T_condenser_in", func)
    Q, Tchw, Tci = np.broadcast_arrays(Q, Tchw, Tci)
    avail = _available(design, Tchw, Tci)
    cool = np.minimum(Q, avail)
    plr = np.where(avail > 0.0, cool / avail, 0.0)
    pmin = design.min_part_load
    cycling = plr < pmin
    run = np.where(cycling, pmin * avail, cool)
    if design.part_load == "eir_curve":
        cop_full, T_e, T_c = _solve_point(design, Tchw, Tci, avail)
        plr_run = np.maximum(plr, pmin)
        cop_run = cop_full * plr_run / np.asarray(design.part_load_curve(plr_run), dtype=float)
        cop = cop_run   # cycling at PLR_min without further degradation (EnergyPlus)
    else:
        cop_run, T_e, T_c = _solve_point(design, Tchw, Tci, run)
        method = design.part_load
        cr = np.where(cycling & (pmin > 0.0), plr / max(pmin, 1e-300), 1.0)
        cr = np.clip(cr, 1e-12, 1.0)
        cop = np.asarray(part_load_cop(cop_run, cr, method=method), dtype=float)
    P = np.where(cool > 0.0, cool / cop, 0.0)
    return _state_out(np.where(cool > 0.0, cop, 0.0), P, cool + P, cool, avail, plr,
                      Q - cool, T_e, T_c)


def chiller_iplv(design: ChillerDesign, *, standard: Literal["si", "ip"] = "si") -> float:
    r"""IPLV of a cycle-model chiller at the AHRI part-load rating conditions.

    Parameters
    ----------
    design : ChillerDesign
        The sized chiller (its ``condenser`` picks the rating temperatures).
    standard : {"si", "ip"}
        Leaving chilled water 7.0 °C (AHRI 551/591, default) or 6.67 °C.

    Returns
    -------
    float
        IPLV as a cooling COP [-]

    Notes
    -----
    Loads of 100, 75, 50 and 25 % of the capacity at the 100 % rating
    point, condenser temperatures of :func:`ahri_part_load_conditions`,
    :func:`chiller_operate` for each; a point below ``min_part_load`` takes
    the COP at ``min_part_load`` divided by AHRI's
    :math:`C_D = 1.13 - 0.13\,LF` [1]_ (instead of the design's own cycling
    model), then :func:`iplv_ahri`.

    References
    ----------
    .. [1] AHRI, *Standard 550/590 (I-P) and 551/591 (SI)*, AHRI, Arlington VA,
       2018/2023.

    Examples
    --------
    >>> d = chiller_design(2e6, 280.15, 303.15, refrigerant="R134a")
    >>> round(chiller_iplv(d), 2)
    9.71
    """
    T_chw, conds = ahri_part_load_conditions(design.condenser, standard=standard)
    q100 = float(chiller_operate(0.0, T_chw, conds[0], design).capacity)
    cops = []
    for target, Tc in zip(_PLR_POINTS, conds):
        avail = float(chiller_operate(0.0, T_chw, Tc, design).capacity)
        if target * q100 >= design.min_part_load * avail:
            cops.append(float(chiller_operate(target * q100, T_chw, Tc, design).COP))
        else:
            at_min = chiller_operate(design.min_part_load * avail, T_chw, Tc, design)
            cops.append(float(_degraded(np.asarray(at_min.COP), target, q100,
                                        design.min_part_load, np.asarray(avail))))
    return float(iplv_ahri(*cops))


# every public function refuses pint Quantities
_c.refuse_quantities(globals(), classes=("PerformanceCurve", "ChillerDesign"),
                     unchecked=("ChillerDesign.cycle_unchecked",))
