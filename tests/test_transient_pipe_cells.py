"""``simulate(pipe_cells=...)``: long pipes split into upwind cells for the run.

Source of the expected front: plug flow delays a step by :math:`\\delta = \\rho A L/\\dot m`;
``n`` upwind cells (tanks in series; Levenspiel, Chemical Reaction Engineering) keep
the mean delay exact and smear the step into a front of standard deviation
:math:`\\sigma_t = \\sqrt{\\sum_i \\tau_i^2 + \\delta\\Delta t} \\approx \\delta/\\sqrt{n}`,
a 10–90 % width of :math:`2.563\\,\\sigma_t` (backward Euler adds
:math:`\\delta\\Delta t`). Every run's energy closure is checked (:func:`_closed`).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import transient as tr
from narvik_thermal.errors import InputError
from narvik_thermal.transient.cells import (AUTO_FRONT_FRACTION, FRONT_WIDTH_FACTOR,
                                            auto_max_per_pipe, split_pipes)

Q_ = nt.Q_
WATER = nt.fluids.water()
L, D, M = 100.0, 0.1, 2.0
STEP = [tr.at(Q_(0, "s"), "in", temperature=Q_(30, "degC"))]


def _closed(run, tol=1e-6):
    assert abs(run.attrs["energy_closure"]) < tol, run.attrs
    return run


def _pipe(**pipe):
    """Flow boundary ``in`` → one 100 m pipe ``p0`` → ``x`` → a 1 mm pipe → pressure
    boundary ``out`` (``x`` holds the pipe's outlet half-volume)."""
    net = nt.Network("through", fluid=WATER)
    net.add_flow_boundary("in", Q_(M, "kg/s"), Q_(20, "degC"))
    net.add_pipe("p0", "in", "x", length=Q_(L, "m"), diameter=Q_(D, "m"), **pipe)
    net.add_pipe("tail", "x", "out", length=Q_(1, "mm"), diameter=Q_(D, "m"))
    net.add_pressure_boundary("out", Q_(2, "bar"), Q_(20, "degC"))
    return net


def _delay():
    rho = WATER.density_pT(np.array([293.15]))[0]
    return rho * 0.25 * np.pi * D ** 2 * L / M


def _front(run, dt):
    """Mean delay and 10–90 % width of the outlet's response (in enthalpy)."""
    h = WATER.enthalpy_T(run["temperature"].sel(node="out").values + 273.15)
    F = (h - h[0]) / (WATER.enthalpy_T(np.array([303.15]))[0] - h[0])
    t = run["time"].values
    return float(np.sum(1.0 - F[1:]) * dt), float(np.interp(0.9, F, t) - np.interp(0.1, F, t))


def _run(net, pipe_cells, dt=1.0, duration=1600, events=STEP):
    return _closed(tr.simulate(net, duration=Q_(duration, "s"), step=Q_(dt, "s"),
                               events=events, pipe_cells=pipe_cells))


def test_one_cell_is_todays_run_exactly():
    net = _pipe()
    a, b = _run(net, None), _run(net, 1)
    np.testing.assert_array_equal(a["temperature"].values, b["temperature"].values)
    np.testing.assert_array_equal(a["mass_flow"].values, b["mass_flow"].values)
    assert a.attrs["energy_closure"] == b.attrs["energy_closure"]
    # one cell is a first-order lag: 10–90 % width ln 9 · δ
    _, width = _front(a, 1.0)
    assert abs(width / (np.log(9) * _delay()) - 1) < 0.01


@pytest.mark.parametrize("n", [10, 40])
def test_cells_keep_the_delay_and_give_the_stated_front(n):
    dt = 0.25
    run = _run(_pipe(), n, dt=dt)
    delay = _delay()
    mean, width = _front(run, dt)
    # exact up to the 1 mm tail's volume (1e-5 of the pipe's)
    assert abs(mean / (delay * (1 + 1e-5)) - 1) < 1e-6, (mean, delay)
    assert abs(width / (FRONT_WIDTH_FACTOR * delay / np.sqrt(n)) - 1) < 0.05, (width, delay)
    # against the tanks in series exactly: cells 1.5, 1, …, 1, 0.5 τ/n (the inlet
    # boundary's half-cell sits at the first inner node; x holds the last half)
    cells = np.full(n, delay / n)
    cells[0], cells[-1] = 1.5 * delay / n, 0.5 * delay / n
    sigma = np.sqrt(np.sum(cells ** 2) + delay * dt)
    assert abs(width / (FRONT_WIDTH_FACTOR * sigma) - 1) < 0.03, (width, sigma)
    assert run.attrs["pipe_segments"] == 2 * n     # both pipes split (an int: every pipe)


def test_auto_is_narrower_than_one_cell_by_the_stated_factor():
    net = _pipe()
    delay = _delay()
    one = _run(net, None)
    auto = _run(net, "auto")
    n = auto_max_per_pipe()
    assert n == 42
    # the 100 m pipe gets 42 cells; the 1 mm tail (δ ≪ step) stays one cell
    assert auto.attrs["pipe_segments"] == n and auto.attrs["pipes_split"] == 1
    _, w1 = _front(one, 1.0)
    _, wa = _front(auto, 1.0)
    assert wa < 1.1 * AUTO_FRONT_FRACTION * delay, (wa, delay)
    # narrower than one cell's front (ln 9 · δ) by ≈ ln 9 √42 / 2.563 ≈ 5.6
    assert w1 / wa > 0.9 * np.log(9) * np.sqrt(n) / FRONT_WIDTH_FACTOR, (w1, wa)


def test_auto_is_limited_by_the_step():
    # δ = 392 s, step 40 s: ⌈δ/Δt⌉ = 10 cells (finer cells would not narrow the front:
    # backward Euler's own smearing √(δΔt) dominates)
    run = _run(_pipe(), "auto", dt=40.0, duration=1600)
    assert run.attrs["pipe_segments"] == int(np.ceil(_delay() / 40.0))


def _plug_flow_outlet(T_in, T_amb, U):
    """Steady outlet of a pipe losing heat: ṁ dh/dx = −UπD (T(h) − T_amb), RK4 in
    enthalpy with cp varying along the pipe (the reference of both discretisations)."""
    h = float(WATER.enthalpy_T(np.array([T_in]))[0])
    k = U * np.pi * D / M
    n = 2000
    dx = L / n

    def f(hh):
        return -k * (float(WATER.temperature_h(np.array([hh]))[0]) - T_amb)
    for _ in range(n):
        a = f(h)
        b = f(h + 0.5 * dx * a)
        c = f(h + 0.5 * dx * b)
        d = f(h + dx * c)
        h += dx * (a + 2 * b + 2 * c + d) / 6
    return float(WATER.temperature_h(np.array([h]))[0])


def test_heat_loss_end_state_and_event_on_a_split_pipe():
    """An inlet step to 60 °C, then the ambient of the split pipe from 10 to 0 °C (an
    event naming the pipe changes all its segments). The end state equals the steady
    solver of the split network to 1e-9 K and that of the ORIGINAL network to 2 mK:
    one cell takes cp at its inlet temperature for the whole pipe (NTU = UA/ṁcp), the
    cells take it along the pipe (closer to the exact integral)."""
    U = 80.0
    net = _pipe(u_value=Q_(U, "W/m^2/K"), ambient=Q_(10, "degC"))
    ev = [tr.at(Q_(0, "s"), "in", temperature=Q_(60, "degC")),
          tr.at(Q_(1000, "s"), "p0", ambient=Q_(0, "degC"))]
    run = _run(net, 20, dt=2.0, duration=3000, events=ev)
    end = copy.deepcopy(net)
    end.update_boundary("in", temperature=Q_(60, "degC"))
    end.update("p0", ambient=Q_(0, "degC"))
    opts = dict(warn=False, temperature_tol=1e-10)
    st = end.solve(**opts).state
    names = list(end.compile().node_names)
    T_run = float(run["temperature"].sel(node="out").values[-1]) + 273.15
    T_orig = float(st.temperature[names.index("out")])
    split, segs = split_pipes(end, {"p0": 20, "tail": 20})
    assert segs["p0"][0] == "p0" and len(segs["p0"]) == 20
    st2 = split.solve(**opts).state
    T_split = float(st2.temperature[list(split.compile().node_names).index("out")])
    assert abs(T_run - T_split) < 1e-9, (T_run, T_split)
    assert abs(T_run - T_orig) < 2e-3, (T_run, T_orig)
    T_exact = _plug_flow_outlet(333.15, 273.15, U)
    assert abs(T_run - T_exact) < abs(T_orig - T_exact), (T_run, T_orig, T_exact)
    # the event reached every segment: without it the outlet would be warmer
    assert float(run["temperature"].sel(node="out").values[450]) > T_run - 273.15 + 1.0


def test_the_dataset_keeps_the_users_nodes_and_edges():
    net = _pipe()
    run = _run(net, 8)
    assert list(run["node"].values) == list(net.node_names)
    assert list(run["edge"].values) == list(net.edge_names)
    np.testing.assert_allclose(run["mass_flow"].values, M, rtol=1e-9)
    assert net.node_names == ["in", "x", "out"]          # the caller's network unchanged


def test_elevation_interpolated_in_the_cells():
    net = _pipe()
    net.add_node("x", elevation=Q_(10, "m"))
    split, _ = split_pipes(net, {"p0": 4})
    z = split.elevations
    assert [z.get(f"p0:cell{k}") for k in (1, 2, 3)] == [2.5, 5.0, 7.5]
    assert split.fluid_volume().sum() == pytest.approx(net.fluid_volume().sum(), rel=1e-12)


def test_record_cells_keeps_the_cells():
    run = _closed(tr.simulate(_pipe(), duration=Q_(20, "s"), step=Q_(1, "s"), events=STEP,
                              pipe_cells=3, record_cells=True))
    nodes, edges = list(run["node"].values), list(run["edge"].values)
    assert {"p0:cell1", "p0:cell2", "tail:cell1", "tail:cell2", "in", "x", "out"} == set(nodes)
    assert {"p0", "p0:seg1", "p0:seg2", "tail", "tail:seg1", "tail:seg2"} == set(edges)
    T = run["temperature"].sel(time=20.0)
    # the front: the first cell warms before the second
    assert float(T.sel(node="p0:cell1")) > float(T.sel(node="p0:cell2")) > 20.0
    with pytest.raises(InputError, match="record_cells='yes'"):
        tr.simulate(_pipe(), duration=Q_(10, "s"), step=Q_(1, "s"), pipe_cells=3,
                    record_cells="yes")


@pytest.mark.parametrize("bad", [0, -1, "x", 2.5, True])
def test_bad_pipe_cells_is_refused(bad):
    with pytest.raises(InputError) as e:
        tr.simulate(_pipe(), duration=Q_(10, "s"), step=Q_(1, "s"), pipe_cells=bad)
    msg = str(e.value)
    assert "pipe_cells" in msg and repr(bad) in msg
    assert "'auto'" in msg and ">= 1" in msg and "Give one of these" in msg


def test_a_change_a_segment_cannot_take_is_refused():
    with pytest.raises(InputError, match="p0"):
        tr.simulate(_pipe(), duration=Q_(10, "s"), step=Q_(1, "s"), pipe_cells=4,
                    events=[tr.at(Q_(1, "s"), "p0", length=Q_(50, "m"))])
