"""Sizing helpers: heat-exchanger UA and area, the resistance split of a plate
exchanger (wall share, hot film share), pump duty and power, pipe diameter,
seawater flow.

Each helper takes pint Quantities and returns Quantities; the physics is the
library's correlations (:mod:`narvik_thermal.correlations.hx` for ε-NTU,
:mod:`narvik_thermal.correlations.friction` for Darcy–Weisbach with
Churchill's friction factor), so a sized component solved in a network gives
back the specification (see ``tests/test_plant_sizing.py``).

Examples
--------
>>> import narvik_thermal as nt
>>> from narvik_thermal.plant import sizing
>>> Q_ = nt.Q_
>>> ua = sizing.heat_exchanger_ua(Q_(1.35, "MW"), hot_inlet=Q_(35, "degC"),
...     hot_outlet=Q_(25, "degC"), cold_inlet=Q_(22, "degC"), cold_outlet=Q_(32, "degC"))
>>> round(ua.m_as("kW/K"))
450
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import units as U
from ..correlations import friction as _fr
from ..correlations.hx import NTU_from_effectiveness
from ..errors import InputError, user_api
from ..units import Q_
from . import defaults as D

__all__ = ["heat_exchanger_ua", "heat_exchanger_area", "overall_u", "plate_wall_share",
           "plate_film_share", "pump_power", "pump_curve_for_duty", "pipe_diameter",
           "pipe_pressure_gradient", "seawater_flow", "flow_for_heat"]

_G = 9.80665


def _fluid_props(fluid: Any, temperature: Any) -> tuple[float, float, float]:
    """(rho, cp, mu) of ``fluid`` at ``temperature`` in SI."""
    if fluid is None:
        from ..fluids import water
        fluid = water()
    if not all(hasattr(fluid, a) for a in ("density_pT", "cp_pT", "viscosity_pT")):
        raise InputError(f"fluid={fluid!r} is not a fluid; use nt.fluids.water(), "
                         "propylene_glycol(0.25), seawater(...), ... (a fluid object).")
    T = float(U.to_temperature(temperature, "temperature"))
    return (float(fluid.density_pT(T)), float(fluid.cp_pT(T)), float(fluid.viscosity_pT(T)))


@user_api
def heat_exchanger_ua(duty: Any, *, hot_inlet: Any, hot_outlet: Any, cold_inlet: Any,
                      cold_outlet: Any, arrangement: str = "counterflow") -> Any:
    r"""UA a heat exchanger needs for a duty and four terminal temperatures.

    Parameters
    ----------
    duty : Quantity
        Heat transferred [power], > 0.
    hot_inlet, hot_outlet : Quantity
        Hot-side inlet and outlet temperatures (absolute).
    cold_inlet, cold_outlet : Quantity
        Cold-side inlet and outlet temperatures (absolute).
    arrangement : str
        Flow arrangement (see :func:`narvik_thermal.correlations.hx.effectiveness_from_NTU`).

    Returns
    -------
    Quantity
        Overall conductance UA [W/K].

    Raises
    ------
    InputError
        Temperatures that do not describe a hot stream cooling and a cold
        stream warming, or an effectiveness the arrangement cannot reach.

    Notes
    -----
    Heat-capacity rates :math:`C_h = \dot Q/(T_{h,i}-T_{h,o})`,
    :math:`C_c = \dot Q/(T_{c,o}-T_{c,i})`; effectiveness
    :math:`\varepsilon = \dot Q / [C_{min}(T_{h,i}-T_{c,i})]`;
    :math:`UA = C_{min}\,NTU(\varepsilon, C_r)` with the analytic inverse of
    the ε-NTU relation (Bergman et al. 2011, Table 11.4). The CDU approach
    (R19: 3–5 K) is :math:`T_{h,o} - T_{c,i}` in counterflow.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> Q_ = nt.Q_
    >>> ua = heat_exchanger_ua(Q_(10, "kW"), hot_inlet=Q_(40, "degC"),
    ...     hot_outlet=Q_(30, "degC"), cold_inlet=Q_(20, "degC"), cold_outlet=Q_(30, "degC"))
    >>> round(ua.m_as("W/K"), 6)     # balanced counterflow: UA = Q / ΔT_lm = 10 kW / 10 K
    1000.0
    """
    Q = float(U.to_si(duty, "W", "duty"))
    Thi = float(U.to_temperature(hot_inlet, "hot_inlet"))
    Tho = float(U.to_temperature(hot_outlet, "hot_outlet"))
    Tci = float(U.to_temperature(cold_inlet, "cold_inlet"))
    Tco = float(U.to_temperature(cold_outlet, "cold_outlet"))
    if not Q > 0:
        raise InputError(f"heat_exchanger_ua: duty={duty} must be positive.")
    if not (Thi > Tho and Tco > Tci):
        raise InputError(
            f"heat_exchanger_ua: hot side {Thi - 273.15:.2f}→{Tho - 273.15:.2f} °C and cold side "
            f"{Tci - 273.15:.2f}→{Tco - 273.15:.2f} °C: the hot stream must cool and the cold "
            "stream warm; swap inlet and outlet if they are reversed.")
    if not Thi > Tci:
        raise InputError(f"heat_exchanger_ua: hot_inlet {Thi - 273.15:.2f} °C must be above "
                         f"cold_inlet {Tci - 273.15:.2f} °C.")
    Ch, Cc = Q / (Thi - Tho), Q / (Tco - Tci)
    Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
    eps = Q / (Cmin * (Thi - Tci))
    if eps >= 1.0:
        raise InputError(
            f"heat_exchanger_ua: the temperatures need effectiveness {eps:.4f} ≥ 1 (a "
            f"temperature cross beyond what any exchanger gives); raise hot_inlet or lower "
            "cold_inlet, or relax the approach.")
    ntu = float(NTU_from_effectiveness(eps, Cmin / Cmax, arrangement))
    return Q_(ntu * Cmin, "W/K")


@user_api
def overall_u(u_clean: Any = None, fouling: Any = None) -> Any:
    r"""Overall U of a plate heat exchanger with a fouling resistance.

    Parameters
    ----------
    u_clean : Quantity, optional
        Clean U [W/(m²·K)] (default 4,000, water–water PHE 3,000–5,000, R44).
    fouling : Quantity, optional
        Total fouling resistance [m²·K/W] (default 7e-5, seawater after 30
        days, R45; TEMA tubular values are about 5× higher and do not apply
        to plates, R46).

    Returns
    -------
    Quantity
        :math:`U = (1/U_{clean} + R_f)^{-1}` [W/(m²·K)].

    Examples
    --------
    >>> round(overall_u().m_as("W/(m^2*K)"), 1)
    3125.0
    """
    uc = float(U.to_si(D.PHE_U_CLEAN.value if u_clean is None else u_clean, "W/(m^2*K)",
                       "u_clean"))
    rf = float(U.to_si(D.PHE_FOULING.value if fouling is None else fouling, "m^2*K/W",
                       "fouling"))
    if not uc > 0 or rf < 0:
        raise InputError(f"overall_u: u_clean={uc} W/(m²K) must be > 0 and fouling={rf} "
                         "m²K/W ≥ 0.")
    return Q_(1.0 / (1.0 / uc + rf), "W/(m^2*K)")


@user_api
def heat_exchanger_area(ua: Any, *, u_clean: Any = None, fouling: Any = None) -> Any:
    """Heat-transfer area for a UA, with fouling (see :func:`overall_u`).

    Parameters
    ----------
    ua : Quantity
        Required UA [W/K].
    u_clean, fouling : Quantity, optional
        Clean U [W/(m²K)] (R44) and fouling resistance [m²K/W] (R45).

    Returns
    -------
    Quantity
        Area [m²].

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> round(heat_exchanger_area(nt.Q_(3125, "W/K")).m_as("m^2"), 6)
    1.0
    """
    uav = float(U.to_si(ua, "W/K", "ua"))
    if not uav > 0:
        raise InputError(f"heat_exchanger_area: ua={ua} must be positive.")
    u = overall_u(u_clean, fouling).m_as("W/(m^2*K)")
    return Q_(uav / u, "m^2")


def plate_wall_share(*, u: Any = None, plate_thickness: Any = None,
                     plate_conductivity: Any = None, fouling: Any = None) -> float:
    r"""Part of a plate exchanger's design resistance in the plate and its fouling.

    The ``wall_share`` of :meth:`narvik_thermal.Network.add_heat_exchanger`
    (the rest is in the two films, which follow the flows).

    Parameters
    ----------
    u : Quantity, optional
        Overall U at design [W/(m²·K)] (default :func:`overall_u` of the defaults:
        3,125, titanium PHE with seawater fouling, R44/R45).
    plate_thickness : Quantity, optional
        Plate thickness (default 0.5 mm [GEK]).
    plate_conductivity : Quantity, optional
        Plate conductivity (default titanium, 21.9 W/(m·K), Bergman et al. 2011,
        Table A.1).
    fouling : Quantity, optional
        Fouling resistance of both sides together [m²·K/W] (default 7e-5, R45;
        give ``Q_(0, "m^2*K/W")`` for clean closed loops).

    Returns
    -------
    float
        :math:`w = U\,(t/k + R_f)` [-], in [0, 1).

    Raises
    ------
    InputError
        If the plate and fouling alone would exceed the whole design resistance
        (:math:`w \ge 1`).

    Examples
    --------
    >>> round(plate_wall_share(), 4)                 # titanium, seawater fouling, U = 3125
    0.2901
    """
    uv = float(U.to_si(overall_u() if u is None else u, "W/(m^2*K)", "u"))
    t = float(U.to_si(D.PHE_PLATE_THICKNESS.value if plate_thickness is None
                      else plate_thickness, "m", "plate_thickness"))
    k = float(U.to_si(D.TITANIUM_CONDUCTIVITY.value if plate_conductivity is None
                      else plate_conductivity, "W/(m*K)", "plate_conductivity"))
    rf = float(U.to_si(D.PHE_FOULING.value if fouling is None else fouling, "m^2*K/W",
                       "fouling"))
    if not (uv > 0 and t >= 0 and k > 0 and rf >= 0):
        raise InputError(f"plate_wall_share: u={uv} W/(m²K) and plate_conductivity={k} "
                         f"W/(m K) must be > 0, plate_thickness={t} m and fouling={rf} m²K/W "
                         "≥ 0.")
    w = uv * (t / k + rf)
    if not w < 1:
        raise InputError(f"plate_wall_share: plate and fouling ({t / k + rf:.3g} m²K/W) are "
                         f"at least the whole design resistance 1/U = {1 / uv:.3g} m²K/W; "
                         "lower the fouling or the design U.")
    return w


def plate_film_share(*, hot_fluid: Any, cold_fluid: Any, hot_temperature: Any,
                     cold_temperature: Any, hot_flow: Any, cold_flow: Any,
                     exponent: float | None = None) -> float:
    r"""Hot film's part of the two films' design resistance of a plate exchanger.

    The ``hot_film_share`` of :meth:`narvik_thermal.Network.add_heat_exchanger`,
    from the two streams' properties at their mean temperatures by
    :func:`narvik_thermal.correlations.plate_hx.hot_film_share_plate` (the same
    plates and channel count on both sides; :math:`Nu \propto Re^n Pr^{1/3}`).

    Parameters
    ----------
    hot_fluid, cold_fluid : Fluid
        The two streams.
    hot_temperature, cold_temperature : Quantity
        Their mean temperatures at design.
    hot_flow, cold_flow : Quantity
        Their design mass flows.
    exponent : float, optional
        n of the films (default
        :data:`narvik_thermal.components.heat_exchanger.DEFAULT_FLOW_EXPONENT`).

    Returns
    -------
    float
        :math:`R_h/(R_h + R_c)` [-]

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> w = nt.fluids.water()
    >>> plate_film_share(hot_fluid=w, cold_fluid=w, hot_temperature=nt.Q_(30, "degC"),
    ...     cold_temperature=nt.Q_(30, "degC"), hot_flow=nt.Q_(5, "kg/s"),
    ...     cold_flow=nt.Q_(5, "kg/s"))
    0.5
    """
    from ..components.heat_exchanger import DEFAULT_FLOW_EXPONENT
    from ..correlations.plate_hx import hot_film_share_plate
    Th = float(U.to_temperature(hot_temperature, "hot_temperature"))
    Tc = float(U.to_temperature(cold_temperature, "cold_temperature"))
    mh = float(U.to_si(hot_flow, "kg/s", "hot_flow"))
    mc = float(U.to_si(cold_flow, "kg/s", "cold_flow"))
    if not (mh > 0 and mc > 0):
        raise InputError(f"plate_film_share: hot_flow={hot_flow} and cold_flow={cold_flow} "
                         "must be positive.")
    prop = lambda f, T: (float(f.conductivity_pT(T)), float(f.prandtl_pT(T)),  # noqa: E731
                         float(f.viscosity_pT(T)))
    kh, prh, muh = prop(hot_fluid, Th)
    kc, prc, muc = prop(cold_fluid, Tc)
    n = DEFAULT_FLOW_EXPONENT if exponent is None else float(exponent)
    return float(hot_film_share_plate(kh, kc, prh, prc, (mh / muh) / (mc / muc), n))


@user_api
def pump_power(flow: Any, head: Any, *, fluid: Any = None, temperature: Any = "25 degC",
               efficiency: float | None = None, motor_efficiency: float | None = None
               ) -> dict[str, Any]:
    r"""Hydraulic, shaft and electrical power of a pump at its duty point.

    Parameters
    ----------
    flow : Quantity
        Volume or mass flow at duty (total of the duty pumps).
    head : Quantity
        Head [length] or pressure rise [pressure].
    fluid : Fluid, optional
        Pumped fluid (default water) for density.
    temperature : Quantity
        Fluid temperature for density.
    efficiency : float, optional
        Pump efficiency (default 0.70 [GEK]).
    motor_efficiency : float, optional
        Motor and drive efficiency (default 0.95 [GEK]).

    Returns
    -------
    dict
        ``hydraulic``, ``shaft``, ``electric`` [W] and ``pressure_rise`` [Pa].

    Notes
    -----
    :math:`P_{hyd} = \dot V\,\Delta p`, :math:`P_{shaft} = P_{hyd}/\eta`,
    :math:`P_{el} = P_{shaft}/\eta_m`.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> p = pump_power(nt.Q_(0.1, "m^3/s"), nt.Q_(1, "bar"), efficiency=0.8, motor_efficiency=1.0)
    >>> round(p["shaft"].m_as("kW"), 3)
    12.5
    """
    eta = D.PUMP_EFFICIENCY.value if efficiency is None else float(efficiency)
    eta_m = D.MOTOR_EFFICIENCY.value if motor_efficiency is None else float(motor_efficiency)
    for nm, v in (("efficiency", eta), ("motor_efficiency", eta_m)):
        if not 0 < v <= 1:
            raise InputError(f"pump_power: {nm}={v} must lie in (0, 1].")
    rho, _, _ = _fluid_props(fluid, temperature)
    mag, kind = U.to_flow(flow, "flow")
    V = float(mag) if kind == "volume" else float(mag) / rho
    hq = U.parse(head, "head")
    dp = (float(U.to_si(hq, "Pa", "head")) if hq.check("[pressure]")
          else float(U.to_si(hq, "m", "head")) * rho * _G)
    if not (V >= 0 and dp >= 0):
        raise InputError(f"pump_power: flow={flow} and head={head} must be ≥ 0 (a pump "
                         "adds head in the direction of its flow).")
    hyd = V * dp
    return dict(hydraulic=Q_(hyd, "W"), shaft=Q_(hyd / eta, "W"),
                electric=Q_(hyd / eta / eta_m, "W"), pressure_rise=Q_(dp, "Pa"))


@user_api
def pump_curve_for_duty(flow: Any, head: Any, *, shutoff_ratio: float = 1.25,
                        runout_ratio: float = 1.6) -> tuple[Any, Any]:
    """A quadratic pump curve through a duty point, for ``Network.add_pump(curve=...)``.

    Parameters
    ----------
    flow : Quantity
        Duty volume flow per pump [volume/time].
    head : Quantity
        Duty head [length] or pressure rise [pressure].
    shutoff_ratio : float
        Shut-off head over duty head (1.2–1.3 for a centrifugal pump with its
        duty near best efficiency [GEK]).
    runout_ratio : float
        Flow at zero head over duty flow [-].

    Returns
    -------
    (Quantity, Quantity)
        Flows and heads of three points: shut-off, duty, run-out (zero head).

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> q, h = pump_curve_for_duty(nt.Q_(100, "m^3/h"), nt.Q_(20, "m"))
    >>> h.m_as("m").tolist()
    [25.0, 20.0, 0.0]
    """
    if not shutoff_ratio > 1 or not runout_ratio > 1:
        raise InputError("pump_curve_for_duty: shutoff_ratio and runout_ratio must exceed 1.")
    q = U.parse(flow, "flow")
    if not q.check("[volume]/[time]"):
        raise InputError(f"pump_curve_for_duty: flow={q} must be a volume flow.")
    h = U.parse(head, "head")
    qv = q.m_as("m^3/s")
    hv = h.magnitude
    if not (np.ndim(qv) == 0 and np.ndim(hv) == 0 and qv > 0 and hv > 0):
        raise InputError(f"pump_curve_for_duty: flow={flow} and head={head} must be one "
                         "positive duty point each.")
    return (Q_(np.array([0.0, qv, runout_ratio * qv]), "m^3/s").to(q.units),
            Q_(np.array([shutoff_ratio * hv, hv, 0.0]), h.units))


@user_api
def pipe_pressure_gradient(flow: Any, diameter: Any, *, fluid: Any = None,
                           temperature: Any = "25 degC", roughness: Any = "0.045 mm") -> Any:
    r"""Frictional pressure gradient of a full round pipe (Darcy–Weisbach, Churchill).

    Parameters
    ----------
    flow : Quantity
        Volume or mass flow.
    diameter : Quantity
        Inner diameter.
    fluid, temperature : optional
        Fluid (default water) and its temperature.
    roughness : Quantity
        Absolute roughness.

    Returns
    -------
    Quantity
        :math:`\Delta p / L = f \rho v^2 / (2 D)` [Pa/m].

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> g = pipe_pressure_gradient(nt.Q_(10, "L/s"), nt.Q_(100, "mm"))
    >>> 100 < g.m_as("Pa/m") < 200
    True
    """
    rho, _, mu = _fluid_props(fluid, temperature)
    mag, kind = U.to_flow(flow, "flow")
    V = float(mag) if kind == "volume" else float(mag) / rho
    Dm = float(U.to_si(diameter, "m", "diameter"))
    eps = float(U.to_si(roughness, "m", "roughness"))
    if not (V > 0 and Dm > 0):
        raise InputError("pipe_pressure_gradient: flow and diameter must be positive.")
    v = V / (0.25 * np.pi * Dm * Dm)
    Re = rho * v * Dm / mu
    f = float(_fr.friction_churchill(Re, eps / Dm))
    return Q_(f * rho * v * v / (2 * Dm), "Pa/m")


@user_api
def pipe_diameter(flow: Any, *, max_velocity: Any = None, max_pressure_gradient: Any = None,
                  fluid: Any = None, temperature: Any = "25 degC",
                  roughness: Any = "0.045 mm") -> Any:
    r"""Smallest inner diameter meeting a velocity and/or a pressure-gradient limit.

    Parameters
    ----------
    flow : Quantity
        Volume or mass flow.
    max_velocity : Quantity, optional
        Velocity limit [m/s] (1.5–3 m/s in water mains [GEK]).
    max_pressure_gradient : Quantity, optional
        Frictional gradient limit [Pa/m] (100–300 Pa/m is usual [GEK]).
    fluid, temperature, roughness : optional
        For the gradient limit (default water at 25 °C, 0.045 mm).

    Returns
    -------
    Quantity
        Inner diameter [m] (continuous, not a catalogue size).

    Notes
    -----
    Velocity: :math:`D = \sqrt{4\dot V/(\pi v_{max})}`. Gradient: the
    gradient falls monotonically with D, so it is bisected in
    :math:`\ln D` to a relative 1e-10 on :func:`pipe_pressure_gradient`.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> d = pipe_diameter(nt.Q_(0.1, "m^3/s"), max_velocity=nt.Q_(2, "m/s"))
    >>> round(d.m_as("mm"), 1)
    252.3
    """
    if max_velocity is None and max_pressure_gradient is None:
        raise InputError("pipe_diameter: give max_velocity= and/or max_pressure_gradient=, "
                         "e.g. max_velocity=Q_(2, 'm/s').")
    rho, _, _ = _fluid_props(fluid, temperature)
    mag, kind = U.to_flow(flow, "flow")
    V = float(mag) if kind == "volume" else float(mag) / rho
    if not V > 0:
        raise InputError(f"pipe_diameter: flow={flow} must be positive.")
    d = 0.0
    if max_velocity is not None:
        vmax = float(U.to_si(max_velocity, "m/s", "max_velocity"))
        if not vmax > 0:
            raise InputError(f"pipe_diameter: max_velocity={max_velocity} must be positive.")
        d = np.sqrt(4 * V / (np.pi * vmax))
    if max_pressure_gradient is not None:
        gmax = float(U.to_si(max_pressure_gradient, "Pa/m", "max_pressure_gradient"))
        if not gmax > 0:
            raise InputError(f"pipe_diameter: max_pressure_gradient={max_pressure_gradient} "
                             "must be positive.")

        def grad(Dm: float) -> float:
            return pipe_pressure_gradient(Q_(V, "m^3/s"), Q_(Dm, "m"), fluid=fluid,
                                          temperature=temperature,
                                          roughness=roughness).m_as("Pa/m")
        lo, hi = np.log(1e-4), np.log(20.0)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if grad(np.exp(mid)) > gmax:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1e-10:
                break
        d = max(d, float(np.exp(hi)))
    return Q_(float(d), "m")


@user_api
def flow_for_heat(heat: Any, delta_t: Any, *, fluid: Any = None,
                  temperature: Any = "25 degC") -> Any:
    r"""Mass flow that carries a heat flow at a temperature change, :math:`\dot m = \dot Q/(c_p\Delta T)`.

    Parameters
    ----------
    heat : Quantity
        Heat flow [power].
    delta_t : Quantity
        Temperature change of the stream [delta_degC or K], > 0.
    fluid, temperature : optional
        Fluid (default water) and its mean temperature for :math:`c_p`.

    Returns
    -------
    Quantity
        Mass flow [kg/s].

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> 23 < flow_for_heat(nt.Q_(1, "MW"), nt.Q_(10, "K")).m_as("kg/s") < 24
    True
    """
    Q = float(U.to_si(heat, "W", "heat"))
    if not Q >= 0:
        raise InputError(f"flow_for_heat: heat={heat} must be ≥ 0 (a flow carries heat in "
                         "the direction of its temperature difference).")
    dT = float(U.to_temperature_difference(delta_t, "delta_t"))
    if not dT > 0:
        raise InputError(f"flow_for_heat: delta_t={delta_t} must be positive.")
    _, cp, _ = _fluid_props(fluid, temperature)
    return Q_(Q / (cp * dT), "kg/s")


@user_api
def seawater_flow(heat: Any, max_rise: Any, *, intake_temperature: Any = "7 degC",
                  salinity: Any = "34 g/kg") -> Any:
    r"""Seawater volume flow that rejects a heat flow within a discharge-rise limit.

    Parameters
    ----------
    heat : Quantity
        Heat to the fjord [power].
    max_rise : Quantity
        Allowed discharge temperature rise over intake [K] (Norway: case-by-case
        permit, R48; UK 10–12 K, R49).
    intake_temperature : Quantity
        Intake temperature (default 7 °C, narvik-facts defaults).
    salinity : Quantity
        Absolute salinity [g/kg].

    Returns
    -------
    Quantity
        Volume flow [m³/s] at intake conditions.

    Notes
    -----
    :math:`\dot V = \dot Q/(\rho c_p \Delta T_{max})` with seawater properties at
    the mean temperature. narvik-facts §3 estimates 0.6 m³/s for 20 MW at 8 K.

    Examples
    --------
    >>> import narvik_thermal as nt
    >>> round(seawater_flow(nt.Q_(20, "MW"), nt.Q_(8, "K")).m_as("m^3/s"), 2)
    0.61
    """
    from ..fluids import seawater
    Q = float(U.to_si(heat, "W", "heat"))
    dT = float(U.to_temperature_difference(max_rise, "max_rise"))
    if not dT > 0:
        raise InputError(f"seawater_flow: max_rise={max_rise} must be positive.")
    sw = seawater(salinity)
    T = float(U.to_temperature(intake_temperature, "intake_temperature"))
    rho = float(sw.density_pT(T))
    cp = float(sw.cp_pT(T + 0.5 * dT))
    return Q_(Q / (rho * cp * dT), "m^3/s")
