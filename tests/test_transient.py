"""Transient runs (``nt.transient``): validation against analytic solutions, energy
closure, a pump trip with failover, and the refusals of bad input.

Every run's energy closure is checked (:func:`_closed`): (stored + rejected −
injected)/injected, validation case ``transient.energy_closure`` (the largest
over the runs of the session is recorded).
"""

from __future__ import annotations

import numpy as np
import pytest

import narvik_thermal as nt
import validation_cases as vc
from example_networks import add_cdu_and_facility_water
from narvik_thermal import transient as tr
from narvik_thermal.errors import InputError, UnitError

Q_ = nt.Q_
WATER = nt.fluids.water()


_CLOSURES: list[float] = []


def _closed(run):
    _CLOSURES.append(abs(run.attrs["energy_closure"]))
    vc.check("transient.energy_closure", max(_CLOSURES), runs=len(_CLOSURES))
    return run


def _through(n_pipes=1, length=10.0, diameter=0.1, flow=1.0, tail=False, **pipe):
    """Flow boundary ``in`` → ``n_pipes`` pipes in series → pressure boundary ``out``
    (with ``tail``: a 1 mm pipe before ``out``)."""
    net = nt.Network("through", fluid=WATER)
    net.add_flow_boundary("in", Q_(flow, "kg/s"), Q_(20, "degC"))
    nodes = ["in"] + [f"n{k}" for k in range(1, n_pipes)] + ["x" if tail else "out"]
    for k in range(n_pipes):
        net.add_pipe(f"p{k}", nodes[k], nodes[k + 1], length=Q_(length / n_pipes, "m"),
                     diameter=Q_(diameter, "m"), **pipe)
    if tail:
        net.add_pipe("tail", "x", "out", length=Q_(1, "mm"), diameter=Q_(diameter, "m"))
    net.add_pressure_boundary("out", Q_(2, "bar"), Q_(20, "degC"))
    return net


def test_lumped_first_order_against_exponential():
    """A well-mixed volume after an inlet temperature step.

    Source: the first-order system :math:`\\tau \\dot h = h_{in} - h`, solution
    :math:`h(t) = h_{in} + (h_0 - h_{in}) e^{-t/\\tau}` with :math:`\\tau = \\rho V/\\dot m`
    (e.g. Incropera et al., Fundamentals of Heat and Mass Transfer, lumped capacitance);
    backward Euler gives :math:`h_k = h_{in} + (h_0 - h_{in})(1 + \\Delta t/\\tau)^{-k}`,
    first-order accurate (Hairer & Wanner, Solving ODEs II, implicit Euler).

    The volume of both pipes sits at node ``x`` (their other ends are boundaries), so
    the network is exactly one mixed volume.
    """
    net = _through(tail=True)
    ev = [tr.at(Q_(0, "s"), "in", temperature=Q_(60, "degC"))]
    h0, h_in = WATER.enthalpy_T(np.array([293.15, 333.15]))
    errors, scheme = [], 0.0
    for dt in (4.0, 2.0, 1.0):
        run = _closed(tr.simulate(net, duration=Q_(240, "s"), step=Q_(dt, "s"), events=ev))
        t = run["time"].values
        T = run["temperature"].sel(node="x").values + 273.15
        rho = WATER.density_pT(np.array([293.15]))[0]
        tau = rho * float(net.fluid_volume().sum()) / 1.0
        # the scheme is exactly backward Euler on the mixed volume
        h_be = h_in + (h0 - h_in) * (1 + dt / tau) ** (-t / dt)
        scheme = max(scheme, float(np.max(np.abs(T - WATER.temperature_h(h_be)))))
        T_exact = WATER.temperature_h(h_in + (h0 - h_in) * np.exp(-t / tau))
        errors.append(float(np.max(np.abs(T - T_exact))))
    # O(Δt): halving the step halves the error
    order = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    vc.check("transient.lumped.backward_euler", scheme)
    vc.check("transient.lumped.order", float(np.max(np.abs(order - 1.0))))
    vc.check("transient.lumped.exponential", errors[-1])     # Δt = 1 s, τ = 78 s, 40 K


def test_adiabatic_pipe_delay_and_front():
    """Transport through an adiabatic pipe split into 40 upwind cells.

    Source: plug flow delays a step by :math:`\\delta = \\rho A L/\\dot m`; the upwind
    scheme (tanks in series) smears it with a numerical diffusion
    :math:`D = u\\Delta x/2`, a front of standard deviation
    :math:`\\sigma_t = \\sqrt{\\sum_i \\tau_i^2 + \\tau\\Delta t}` in time
    (:math:`\\approx \\delta/\\sqrt{n}`, i.e. :math:`\\sqrt{2 D t}/u`; Levenspiel,
    Chemical Reaction Engineering, the tanks-in-series model; backward Euler adds
    :math:`\\tau_i\\Delta t` per cell). The mean delay of the discrete response is exact.
    """
    n, L, D, m = 40, 100.0, 0.1, 2.0
    net = _through(n_pipes=n, length=L, diameter=D, flow=m)
    dt = 1.0
    run = _closed(tr.simulate(net, duration=Q_(1600, "s"), step=Q_(dt, "s"),
                              events=[tr.at(Q_(0, "s"), "in", temperature=Q_(30, "degC"))]))
    rho = WATER.density_pT(np.array([293.15]))[0]
    delay = rho * 0.25 * np.pi * D ** 2 * L / m
    h = WATER.enthalpy_T(run["temperature"].sel(node="out").values + 273.15)
    F = (h - h[0]) / (WATER.enthalpy_T(np.array([303.15]))[0] - h[0])
    t = run["time"].values
    mean = float(np.sum(1.0 - F[1:]) * dt)
    vc.check("transient.pipe.mean_delay", abs(mean - delay) / delay)
    # the cells: 1.5, 1, …, 1, 1.5 times τ/n (the boundaries hold no volume)
    cells = np.full(n - 1, delay / n)
    cells[0] = cells[-1] = 1.5 * delay / n
    sigma = np.sqrt(np.sum(cells ** 2) + delay * dt)
    width = np.interp(0.9, F, t) - np.interp(0.1, F, t)        # 10–90 % rise time
    vc.check("transient.pipe.front_width", abs(width / (2.563 * sigma) - 1))
    assert 0.15 < width / delay < 0.45         # ≈ 2.56/√n of the delay


def test_pipe_with_heat_loss_against_the_plug_flow_solution():
    r"""An inlet step through a pipe losing heat to a 10 °C ambient, 40 upwind cells.

    Source: the plug-flow pipe of van der Heijde et al., "Dynamic equation-based
    thermo-hydraulic pipe model for district heating and cooling systems", Energy
    Conversion and Management 151 (2017) 158–169 (as in the Modelica Buildings
    library): :math:`T_{out}(t) = T_{amb} + (T_{in}(t-\delta) - T_{amb})\,e^{-\delta/\tau}`,
    :math:`\delta = \rho A L/\dot m`, :math:`\delta/\tau = U\pi D L/(\dot m c_p)`.
    The upwind cells lose heat by the same exponential law, so after the front the
    outlet is that formula (cp at the pipe's mean temperature: 1e-4 K; the cells
    take cp at their own temperature), and equals the steady solver's; the response in
    enthalpy is the adiabatic cascade's (mean delay exact, same front width)."""
    n, L, D, m, U = 40, 100.0, 0.1, 2.0, 80.0
    net = _through(n_pipes=n, length=L, diameter=D, flow=m, u_value=Q_(U, "W/m^2/K"),
                   ambient=Q_(10, "degC"))
    run = _closed(tr.simulate(net, duration=Q_(1600, "s"), step=Q_(1, "s"),
                              events=[tr.at(Q_(0, "s"), "in", temperature=Q_(60, "degC"))]))
    rho = WATER.density_pT(np.array([293.15]))[0]
    delay = rho * 0.25 * np.pi * D ** 2 * L / m
    T = run["temperature"].sel(node="out").values
    cp = WATER.cp_pT(np.array([0.5 * (60.0 + T[-1]) + 273.15]))[0]
    plug = 10.0 + (60.0 - 10.0) * np.exp(-U * np.pi * D * L / (m * cp))
    vc.check("transient.pipe_loss.plug_flow", abs(T[-1] - plug))
    after = _through(n_pipes=n, length=L, diameter=D, flow=m, u_value=Q_(U, "W/m^2/K"),
                     ambient=Q_(10, "degC"))
    after.update_boundary("in", temperature=Q_(60, "degC"))
    steady = after.solve(warn=False).state.temperature
    vc.check("transient.pipe_loss.steady",
             float(np.max(np.abs(run["temperature"].isel(time=-1).values + 273.15 - steady))))
    assert T[-1] < 60.0 - 5.0                  # it did lose heat (≈ 6 K)
    h = WATER.enthalpy_T(T + 273.15)
    F = (h - h[0]) / (h[-1] - h[0])
    mean = float(np.sum(1.0 - F[1:]))
    # the storage holds the densities of the start state (17.6–20 °C here): 4e-5 from
    # those (the heat-loss law is linearised about the state after the step, the start
    # is the steady state of the law linearised before it), 3e-4 from ρ at 20 °C
    stored = float(net.solve(warn=False).state.density_edge @ net.fluid_volume()) / m
    vc.check("transient.pipe_loss.mean_delay", abs(mean - stored) / stored)
    assert abs(mean - delay) / delay < 1e-3, (mean, delay)
    cells = np.full(n - 1, delay / n)
    cells[0] = cells[-1] = 1.5 * delay / n
    width = np.interp(0.9, F, run["time"].values) - np.interp(0.1, F, run["time"].values)
    assert abs(width / (2.563 * np.sqrt(np.sum(cells ** 2) + delay)) - 1) < 0.05


def _cdu(n_plates=4, standby=True):
    """A CDU: tank, duty pump (and a stopped standby pump, each behind a check valve),
    cold plates, a heat exchanger to a facility-water boundary pair."""
    net = nt.Network("cdu", fluid=WATER)
    net.add_expansion_tank("r", Q_(2, "bar"))
    curve = (Q_([0, 2, 4], "L/s"), Q_([20, 17, 10], "m"))
    net.add_pump("pump", "r", "pa", curve=curve)
    net.add_valve("check_a", "pa", "ps", kvs=Q_(60, "m^3/h"), check=True)
    if standby:
        net.add_pump("pump_b", "r", "pb", curve=curve, speed=0.0)
        net.add_valve("check_b", "pb", "ps", kvs=Q_(60, "m^3/h"), check=True)
    net.add_pipe("sup", "ps", "s", length=Q_(20, "m"), diameter=Q_(50, "mm"))
    for k in range(n_plates):
        net.add_cold_plate(f"gpu{k}", "s", "rr", heat=Q_(1.0, "kW"),
                           thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(1.5, "L/min"),
                           rated_pressure_drop=Q_(30, "kPa"), max_chip_temperature=Q_(85, "degC"),
                           count=10)
    net.add_pipe("ret", "rr", "hx_in", length=Q_(20, "m"), diameter=Q_(50, "mm"))
    net.add_heat_exchanger("hx", hot=("hx_in", "r"), cold=("fi", "fm"), ua=Q_(5, "kW/K"))
    net.add_pipe("fpipe", "fm", "fo", length=Q_(5, "m"), diameter=Q_(50, "mm"))
    net.add_pressure_boundary("fi", Q_(3, "bar"), Q_(20, "degC"))
    net.add_pressure_boundary("fo", Q_(2.5, "bar"), Q_(20, "degC"))
    return net


TIGHT = {"temperature_tol": 1e-10}


def test_long_quiet_run_ends_at_the_steady_state():
    """From a uniform 20 °C start, a run without events settles on the steady solver's
    temperatures (nodes and chips) to 1e-6 K: the scheme's fixed point is the steady
    enthalpy balance (source: the steady solver of this library)."""
    net = _cdu()
    steady = net.solve(warn=False, **TIGHT)
    run = _closed(tr.simulate(net, duration=Q_(4000, "s"), step=Q_(10, "s"),
                              initial_temperature=Q_(20, "degC"), solve_options=TIGHT))
    T_end = run["temperature"].isel(time=-1).values + 273.15
    chips = np.array([steady.chip_temperature(f"gpu{k}").m for k in range(4)])
    vc.check("transient.quiet.steady",
             {"nodes": float(np.max(np.abs(T_end - steady.state.temperature))),
              "chips": float(np.max(np.abs(run["chip_temperature"].isel(time=-1).values
                                           - chips)))})
    # it did move: the start was far from the steady state
    assert np.max(np.abs(run["temperature"].isel(time=0).values + 273.15
                         - steady.state.temperature)) > 5.0


def test_pump_trip_and_failover():
    """The duty pump trips at 60 s, the standby pump starts at 75 s: the chips heat
    while the flow is stopped, the hottest chip passes 85 °C, and the run ends at the
    steady state of the network with the standby pump running (1e-6 K).

    Source: energy balance of the chip lump, :math:`C \\dot T = P` without flow
    (the convective resistance is infinite at zero flow), and the steady solver."""
    net = _cdu()
    ev = [tr.at(Q_(60, "s"), "pump", speed=0.0), tr.at(Q_(75, "s"), "pump_b", speed=1.0)]
    run = _closed(tr.simulate(net, duration=Q_(1500, "s"), step=Q_(1, "s"), events=ev,
                              solve_options=TIGHT))
    chip = run["chip_temperature"]
    before = float(chip.sel(time=60.0).max())
    during = float(chip.sel(time=75.0).max())
    assert during > before + 10.0
    # no flow: the chip and plate lump heats at P/C (1 kW, 115.5 J/K per unit), 15 s
    vc.check("transient.trip.chip_heating",
             abs((during - before) / (15 * 1000.0 / 115.5) - 1))
    assert abs(float(run["mass_flow"].sel(edge="sup", time=70.0))) < 1e-3
    assert float(run["mass_flow"].sel(edge="pump_b", time=80.0)) > 1.0
    peak = tr.peak_chip_temperature(run)
    assert peak["temperature"].m == pytest.approx(float(chip.max()))
    assert 60.0 < peak["time"].m <= 76.0
    vc.check("transient.trip.time_to_limit", tr.time_to_limit(run, after=Q_(60, "s")).m)
    assert np.isnan(tr.time_to_limit(run, limit=Q_(500, "degC")).m)
    # the end is the steady state with the standby pump
    after = _cdu()
    after.update("pump", speed=0.0)
    after.update("pump_b", speed=1.0)
    steady = after.solve(warn=False, **TIGHT)
    T_end = run["temperature"].isel(time=-1).values + 273.15
    vc.check("transient.trip.steady_end", float(np.max(np.abs(T_end - steady.state.temperature))))
    # the caller's network is unchanged
    assert net.component("pump").speed[0] == 1.0
    assert net.component("pump_b").speed[0] == 0.0


def test_tripped_without_standby_has_no_steady_state_but_runs():
    """Without a standby pump the tripped loop has no steady state (heat, no flow):
    the steady solver says so (the flag ``no_flow_heat``), the transient run goes on,
    the chips heat without bound and energy is conserved."""
    net = _cdu(standby=False)
    tripped = _cdu(standby=False)
    tripped.update("pump", speed=0.0)
    assert "no_flow_heat" in {f.kind for f in tripped.solve(warn=False).flags}
    run = _closed(tr.simulate(net, duration=Q_(30, "s"), step=Q_(1, "s"),
                              events=[tr.at(Q_(10, "s"), "pump", speed=0.0)]))
    c = run["chip_temperature"].max("cold_plate").values
    assert np.all(np.diff(c[10:]) > 0)


def test_load_step_and_record():
    """A heat step of the cold plates: the chip lags its coolant (first order with
    τ = C R at the rated flow); ``record`` keeps only what is asked."""
    net = _cdu()
    run = _closed(tr.simulate(net, duration=Q_(20, "s"), step=Q_(0.1, "s"),
                              events=[tr.at(Q_(1, "s"), [f"gpu{k}" for k in range(4)][0],
                                            heat=Q_(1.5, "kW"))],
                              record=("chip_temperature",)))
    assert set(run.data_vars) == {"chip_temperature", "chip_limit"}
    c = run["chip_temperature"].sel(cold_plate="gpu0").values
    rise = c[-1] - c[0]
    assert rise > 5.0
    # within a few C R (≈ 115.5 J/K × 0.02 K/W ≈ 2.3 s) most of the rise is done
    k = int(np.argmax(c - c[0] > 0.632 * rise))
    assert 1.5 < run["time"].values[k] - 1.0 < 4.0
    assert run["chip_temperature"].attrs["units"] == "degC"


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(duration=Q_(10, "s"), step=Q_(-1, "s")), InputError, r"step=.*positive"),
    (dict(duration=Q_(1, "s"), step=Q_(2, "s")), InputError, r"shorter than step"),
    (dict(duration=Q_(10, "s"), step=Q_(3, "s")), InputError, r"whole number of steps"),
    (dict(duration=Q_(10, "s"), step=1.0), UnitError, r"step"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "m")), UnitError, r"step"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), events=[tr.at(Q_(5, "s"), "nope", heat=Q_(1, "W"))]),
     InputError, r"'nope' is not an edge"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), events=[tr.at(Q_(10, "s"), "p0", length=1)]),
     InputError, r"outside the run"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), events=[tr.at(Q_(2, "s"), "in", temperature=Q_(5, "m"))]),
     InputError, r"refused"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), events=[tr.at(Q_(2, "s"), "p0", speed=0.5)]),
     InputError, r"refused.*speed"),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), record=("pressure",)), InputError, r"record="),
    (dict(duration=Q_(10, "s"), step=Q_(1, "s"), events=["pump off"]), InputError, r"nt.transient.at"),
])
def test_bad_input_is_refused_clearly(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        tr.simulate(_through(), **kwargs)


def test_at_refuses_bare_numbers_and_empty_changes():
    with pytest.raises(UnitError):
        tr.at(5, "pump", speed=0.0)
    with pytest.raises(InputError, match="no change given"):
        tr.at(Q_(5, "s"), "pump")
    with pytest.raises(InputError, match="not a system|must be a narvik_thermal.Network"):
        tr.simulate("net", duration=Q_(1, "s"), step=Q_(1, "s"))


def test_zero_speed_pumps():
    """A stopped curve pump (a standby) is a resistance and keeps the hydraulic matrix
    regular; a stopped ideal pump of fixed head is refused with the reason."""
    net = _cdu()
    res = net.solve(warn=False)
    # behind its check valve: a leak of its back resistance only
    assert abs(res.mass_flow("pump_b").m) < 1e-4 * res.mass_flow("pump").m
    with pytest.raises(InputError, match="fixed head or constant power"):
        nt.Network("x", fluid=WATER).add_pump("p", "a", "b", head=Q_(5, "m"), speed=0.0)
    with pytest.raises(InputError, match="non-negative"):
        net.update("pump", speed=-0.5)


def _rack_42(volume=None):
    """The first network of docs/getting_started.md (a cold-plate loop, a fixed heat
    loss to the tray air, a CDU exchanger on a facility-water stream)."""
    net = nt.Network("rack-42")
    net.add_pipe("p1", "s0", "s1", length=Q_(2, "m"), diameter=Q_(40, "mm"),
                 roughness=Q_(0.01, "mm"))
    net.add_cold_plate("gpu0", "s1", "r1", heat=Q_(1.4, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                       rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"),
                       max_chip_temperature=Q_(85, "degC"))
    kw = {} if volume is None else {"volume": volume}
    net.add_heat_load("tray-air", "r1", "r_end", heat=Q_(-0.3, "kW"), **kw)
    add_cdu_and_facility_water(net)
    return net


def test_fixed_heat_without_fluid_volume_in_a_pump_trip_is_explained():
    """A fixed heat loss on an edge without volume, the pump stopped: its 0.3 kW is taken
    from a node holding almost no fluid, which falls below absolute zero (the getting
    started page showed it as plain freezing). The flag says what that means and what to
    give; with the edge's volume the node cools by 0.3 kW / (ρ V c_p / 2), a fraction of a
    kelvin a second, and nothing is flagged."""
    ev = [tr.at(Q_(10, "s"), "pump", speed=0.0), tr.at(Q_(14, "s"), "pump", speed=1.0)]
    with pytest.warns(nt.PhysicsWarning, match="below absolute zero"):
        bad = tr.simulate(_rack_42(), duration=Q_(20, "s"), step=Q_(0.2, "s"), events=ev)
    assert "below absolute zero" in bad.attrs["flags"]
    assert "give such edges their volume" in bad.attrs["flags"]
    good = tr.simulate(_rack_42(Q_(0.2, "L")), duration=Q_(20, "s"), step=Q_(0.2, "s"),
                       events=ev)
    assert "freezing" not in good.attrs["flags"]
    T = good["temperature"].sel(node="r_end").values
    # 4 s stopped: about 0.75 K/s from the heat load's own fluid (half its 0.2 L at r_end;
    # PG25, ρ ≈ 1020 kg/m³, c_p ≈ 3.9 kJ/(kg K)), so a few kelvin, not thousands
    assert 0.5 < float(T[50] - T.min()) < 6.0
    _closed(good)


def _row(n_racks=2):
    """A rack row of the plant builders (explicit racks with tray elevations) and its CDU
    loop with a duty pump ``pump_a`` only (:func:`narvik_thermal.plant.cdu_row_network`)."""
    return nt.plant.cdu_row_network(n_racks, standby=False)


def test_trip_of_a_rack_row_without_steady_state():
    """A rack row whose only pump trips: the coupled steady solve has no solution
    (heat without flow, buoyancy through the trays), so the run solves the hydraulics
    alone at its current temperatures; the chips pass their limit within seconds and
    energy is conserved."""
    net = _row()
    run = _closed(tr.simulate(net, duration=Q_(40, "s"), step=Q_(1, "s"),
                              events=[tr.at(Q_(10, "s"), "pump_a", speed=0.0)],
                              record=("chip_temperature", "mass_flow")))
    assert abs(float(run["mass_flow"].sel(edge="pump_a", time=20.0))) < 1e-3
    c = run["chip_temperature"].max("cold_plate").values
    assert np.all(np.diff(c[10:]) > 0)
    t = tr.time_to_limit(run, after=Q_(10, "s")).m
    assert 0.0 < t < 10.0


def test_campus_contract_example():
    """The second contract of DESIGN.md: a campus, a CDU pump trip and restart."""
    campus = nt.plant.Campus(Q_(2, "MW"), site=nt.climate.site("narvik"))
    ev = [tr.at(Q_(60, "s"), "cdu0.pump", speed=0.0), tr.at(Q_(75, "s"), "cdu0.pump", speed=1.0)]
    run = _closed(tr.simulate(campus, duration=Q_(300, "s"), step=Q_(1, "s"), events=ev))
    assert run["chip_temperature"].dims == ("time", "cold_plate")
    m = run["mass_flow"].sel(edge="cdu0.pump").values
    assert m[61] == 0.0 and m[76] == pytest.approx(m[0], rel=1e-6)
    peak = tr.peak_chip_temperature(run)
    assert peak["name"].startswith("cdu0.") and 60.0 < peak["time"].m <= 76.0
    # the campus's own network is unchanged
    assert campus.operating_network.component("cdu0.pump").speed[0] == 1.0
    # after the trip there is no steady state (the CDU valve loops diverge): the flows
    # come from the hydraulics at the run's temperatures, never from the diverged
    # solve (which reported a supply of 1.5e14 °C and put the peak at 241.7 °C); the
    # same run with the pipes split into cells finds the same peak (180.8 °C)
    cells = _closed(tr.simulate(campus, duration=Q_(300, "s"), step=Q_(1, "s"), events=ev,
                                pipe_cells="auto"))
    assert tr.peak_chip_temperature(cells)["temperature"].m == pytest.approx(
        peak["temperature"].m, abs=0.5)
    assert peak["temperature"].m < 200.0


def test_campus_with_heat_pumps_trip_without_steady_state():
    """A campus exporting heat through heat pumps: a CDU pump trip leaves no steady
    state (the coupled solve diverges into the heat pump's law), so the flows come
    from the hydraulics at the run's temperatures; the heat pumps keep their last
    steady mode and the energy balance closes."""
    from narvik_thermal.plant.campus import Campus
    from narvik_thermal.plant.district_heating import (district_heating_network,
                                                       greenhouse_consumer, town_consumers)
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec
    cs = town_consumers(Q_(10, "MW"), 4, branches=2, spacing=Q_(200, "m"))
    gh = greenhouse_consumer(Q_(-4, "degC"), cover_area=Q_(1e4, "m^2"), length=Q_(1, "km"))
    dh = district_heating_network(list(cs) + [gh], trunk_length=Q_(5, "km"))
    campus = Campus(Q_(20, "MW"), heat_export=HeatExport(
        dh=dh, heat_pumps=HeatPumpSpec(model="carnot_fraction", efficiency=0.5)))
    pump = next(n for n in campus.operating_network.edge_names if n.endswith(".pump")
                and n.startswith("cdu"))
    run = _closed(tr.simulate(campus, duration=Q_(200, "s"), step=Q_(1, "s"),
                              events=[tr.at(Q_(60, "s"), pump, speed=0.0),
                                      tr.at(Q_(90, "s"), pump, speed=1.0)]))
    assert float(run["mass_flow"].sel(edge=pump, time=70.0)) == 0.0
    assert run.attrs["hydraulic_solves"] == 3
    m = run["mass_flow"].sel(edge="heat_pump:cond").values
    assert m[-1] == pytest.approx(m[0], rel=1e-6)


def test_pump_run_down_as_a_speed_ramp():
    """A 10 s linear run-down (speed 1 → 0, quasi-steady hydraulics at every step) lets
    the flow fall step by step and delays the chips' rise against an instant trip."""
    net = _cdu(standby=False)
    instant = _closed(tr.simulate(net, duration=Q_(40, "s"), step=Q_(0.5, "s"),
                                  events=[tr.at(Q_(5, "s"), "pump", speed=0.0)]))
    down = _closed(tr.simulate(net, duration=Q_(40, "s"), step=Q_(0.5, "s"),
                               events=[tr.ramp(Q_(5, "s"), Q_(15, "s"), "pump",
                                               speed=(1.0, 0.0))]))
    m = down["mass_flow"].sel(edge="sup").values
    t = down["time"].values
    fall = m[(t >= 5.5) & (t <= 15.5)]       # (the speed at 5 s is still 1)
    assert np.all(np.diff(fall) < 0) and fall[0] > 2.0 and abs(m[-1]) < 1e-6
    assert down.attrs["hydraulic_solves"] == 1 + 21
    assert tr.time_to_limit(down, after=Q_(5, "s")).m > tr.time_to_limit(instant, after=Q_(5, "s")).m + 1.0


def test_load_ramp():
    """A heat ramp 1 → 1.5 kW per plate over 10 s: the chips follow monotonically."""
    net = _cdu()
    plates = [f"gpu{k}" for k in range(4)]
    run = _closed(tr.simulate(net, duration=Q_(30, "s"), step=Q_(1, "s"),
                              events=[tr.ramp(Q_(5, "s"), Q_(15, "s"), p,
                                              heat=(Q_(1, "kW"), Q_(1.5, "kW")))
                                      for p in plates]))
    c = run["chip_temperature"].sel(cold_plate="gpu0").values
    assert np.all(np.diff(c[5:]) >= -1e-12) and c[-1] > c[0] + 5.0


@pytest.mark.parametrize("make, match", [
    (lambda: tr.ramp(Q_(5, "s"), Q_(5, "s"), "pump", speed=(1.0, 0.0)), "later than start"),
    (lambda: tr.ramp(Q_(5, "s"), Q_(9, "s"), "pump", speed=0.0), "must be a pair"),
    (lambda: tr.ramp(Q_(5, "s"), Q_(9, "s"), "pump"), "no change given"),
    (lambda: tr.simulate(_cdu(), duration=Q_(10, "s"), step=Q_(1, "s"),
                         events=[tr.ramp(Q_(1, "s"), Q_(3, "s"), "pump",
                                         speed=("fast", "slow"))]), "cannot be interpolated"),
    (lambda: tr.simulate(_cdu(), duration=Q_(10, "s"), step=Q_(1, "s"),
                         events=[tr.ramp(Q_(5, "s"), Q_(12, "s"), "pump",
                                         speed=(1.0, 0.0))]), "outside the run"),
])
def test_bad_ramps_are_refused(make, match):
    with pytest.raises(InputError, match=match):
        make()


def test_progress_bar_changes_nothing_but_stderr(capsys):
    """simulate(progress=True) shows a tqdm bar of the steps on stderr; the run is the same."""
    net = _row(1)
    kw = dict(duration=Q_(2, "s"), step=Q_(0.5, "s"),
              events=[tr.at(Q_(0.5, "s"), "pump_a", speed=0.5)])
    quiet = tr.simulate(net, **kw)
    capsys.readouterr()
    loud = tr.simulate(net, progress=True, **kw)
    err = capsys.readouterr().err
    assert "transient" in err and "4/4" in err
    np.testing.assert_array_equal(quiet["chip_temperature"].values,
                                  loud["chip_temperature"].values)


def test_design_example_trips_cdu0_of_the_default_campus():
    """DESIGN's transient example as written: the default 20 MW campus represents CDUs
    0–13 once (``cdu0x14``); an event on ``cdu0.pump`` runs on its operating network with
    CDU 0 on its own (Campus.operating_network_with), the campus itself unchanged."""
    campus = nt.plant.Campus(Q_(20, "MW"), site=nt.climate.site("narvik"))
    assert [b.name for b in campus.blocks] == ["cdu0x14", "cdu14"]     # CDUs 0–13 once
    ev = [tr.at(Q_(60, "s"), "cdu0.pump", speed=0.0), tr.at(Q_(75, "s"), "cdu0.pump", speed=1.0)]
    run = _closed(tr.simulate(campus, duration=Q_(120, "s"), step=Q_(1, "s"), events=ev))
    m = run["mass_flow"].sel(edge="cdu0.pump").values
    # back on its curve at the restart, through coolant still warmer than before the trip
    assert m[61] == 0.0 and m[76] == pytest.approx(m[0], rel=2e-3)
    others = run["mass_flow"].sel(edge="cdu1x13.pump").values
    assert others[61] == pytest.approx(others[0], rel=0.05)          # the others run on
    peak = tr.peak_chip_temperature(run)
    assert peak["name"].startswith("cdu0.") and 60.0 < peak["time"].m <= 76.0
    assert [b.name for b in campus.blocks] == ["cdu0x14", "cdu14"]
    assert "cdu0.pump" not in campus.operating_network.edge_names
    # the split network at the campus's operating point: the same plant, other names
    split = campus.operating_network_with([0])
    assert {"cdu0.pump", "cdu1x13.pump", "cdu14.pump"} <= set(split.edge_names)
    assert campus.operating_network_with([0, 14]) is not None
    # what simulate asks for by its events' names
    assert "cdu0.pump" in campus.operating_network_for(["cdu0.pump", "fac.pump"]).edge_names
    for names in (["fac.pump"], ["cdu14.pump"], ["nonsense"], ["cdu15.pump"], [None], []):
        assert campus.operating_network_for(names) is campus.operating_network, names
    with pytest.raises(InputError, match="do not exist"):
        campus.operating_network_with([15])
    for bad in ([1.5], [True], 3, ["cdu1"]):       # never silently another CDU
        with pytest.raises(InputError, match="must be CDU indices"):
            campus.operating_network_with(bad)


def test_a_steady_state_beyond_the_fluid_tables_is_not_used_after_an_event():
    # the pump of a heated loop turned down to 1e-3 m³/h: the steady solve "converges"
    # at about 16,000 °C (flagged property_range, properties clamped); the run takes
    # the hydraulics alone at its own temperatures instead (and says so)
    def loop():
        net = nt.Network("loop")
        net.add_pump("pump", "a", "b", flow=Q_(2.0, "m^3/h"))
        net.add_pipe("pipe", "b", "b2", length=Q_(20, "m"), diameter=Q_(50, "mm"))
        net.add_heat_load("load", "b2", "c", heat=Q_(20, "kW"), pressure_drop=Q_(20, "kPa"),
                          rated_flow=Q_(0.5, "kg/s"))
        net.add_setpoint("cool", "c", "a", outlet_temperature=Q_(20, "degC"))
        net.add_expansion_tank("a", pressure=Q_(2, "bar"))
        net.set_fluid("a", nt.fluids.water())
        return net

    net = loop()
    steady = loop()
    steady.update("pump", flow=Q_(1e-3, "m^3/h"))
    absurd = steady.solve(warn=False)
    assert absurd.converged and "property_range" in {f.kind for f in absurd.flags}
    run = _closed(tr.simulate(net, duration=Q_(20, "s"), step=Q_(1, "s"),
                              events=[tr.at(Q_(5, "s"), "pump", flow=Q_(1e-3, "m^3/h"))]))
    assert run.attrs["hydraulic_only_solves"] == 1 and run.attrs["hydraulic_solves"] == 2
    assert np.all(np.isfinite(run["temperature"].values))
    m = run["mass_flow"].sel(edge="pump").values
    assert m[6] == pytest.approx(1e-3 / 3600 * m[0] / (2.0 / 3600), rel=1e-3)


def test_coolant_hotter_than_its_chip_is_flagged():
    """A CDU pump of the 2 MW campus trips and stays off: a little coolant still creeps
    through the plates, heated by chips cooled by their inlet's coolant, and the coolant
    of some plates overtakes their chips (heat from the colder body to the hotter: 500 °C
    of coolant beside 469 °C chips after 90 s). The chip law is outside its validity
    there; the run says from when and where. The failover run of the unit CDU, whose
    stagnant plates pass no heat, never does."""
    campus = nt.plant.Campus(Q_(2, "MW"), site="narvik")
    campus.solve(warn=False)
    run = tr.simulate(campus, duration=Q_(45, "s"), step=Q_(1, "s"), warn=False,
                      events=[tr.at(Q_(30, "s"), "cdu0.pump", speed=0.0)])
    flag = [f for f in run.attrs["flags"].split("; ") if f.startswith("chip_below_coolant")]
    assert len(flag) == 1
    import re
    t, cool, chip = (float(x) for x in re.search(
        r"from t = ([\d.]+) s .*coolant ([\d.]+) °C, chip ([\d.]+) °C", flag[0]).groups())
    assert 30 < t <= 45 and cool > chip
    # the recorded run agrees: at that time a plate's chip is below a node of its plate
    T = run["temperature"].sel(time=t)
    assert float(T.max()) > float(run["chip_temperature"].sel(time=t).min())
    ok = tr.simulate(_cdu(), duration=Q_(120, "s"), step=Q_(1, "s"), warn=False,
                     events=[tr.at(Q_(60, "s"), "pump", speed=0.0),
                             tr.at(Q_(75, "s"), "pump_b", speed=1.0)])
    assert "chip_below_coolant" not in ok.attrs["flags"]
