"""Pumps from a cold start: parallel and series sets, flat or rising curves
near shut-off, operation beyond the last curve point, loss of flow.

Each network here raised "the nodal matrix of the Newton step is not positive
definite" or did not converge before the pump-curve extension
(:func:`narvik_thermal.components.pump.curve_head`) and the resistive floor
reference of the Newton step
(:func:`narvik_thermal.solvers.hydraulic._floor_reference`). The references
are independent of the topology that failed: ``n`` identical pumps in parallel
against one pump edge with ``count=n``, ``n`` pumps in series against one pump
whose curve has ``n`` times the heads (a sum of equal quadratics is that
quadratic), and operating points against the curve computed by hand.

Curves (heads in m, flows in m³/s):

- ``FLAT``: (0, 60), (0.05, 45), (0.1, 0), i.e. H = 60 − 6000 Q², zero slope
  at shut-off;
- ``HUMP``: (0, 40), (0.05, 45), (0.1, 20), i.e. H = 40 + 400 Q − 6000 Q², head
  rising with flow up to Q = 1/30 (peak 46.67 m);
- ``CONVEX``: (0, 30), (0.05, 12), (0.1, 5), i.e. H = 30 − 470 Q + 2200 Q², which
  would turn upwards beyond Q = 0.107.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal.components.pump import curve_head, curve_head_dQ
from narvik_thermal.errors import ConvergenceError, PhysicsWarning

RHO = 998.2
G = 9.80665              # the solver's gravity (components.pump.G)
P_ATM = 101325.0
FLUID = nt.fluids.tabulated(
    "const-water", temperature=Q_([-20.0, 150.0], "degC"), density=Q_([RHO, RHO], "kg/m^3"),
    specific_heat=Q_([4182.0, 4182.0], "J/(kg*K)"), viscosity=Q_([1e-3, 1e-3], "Pa*s"),
    conductivity=Q_([0.6, 0.6], "W/(m*K)"))

FLAT = ([0.0, 0.05, 0.1], [60.0, 45.0, 0.0], (60.0, 0.0, -6000.0))
HUMP = ([0.0, 0.05, 0.1], [40.0, 45.0, 20.0], (40.0, 400.0, -6000.0))
CONVEX = ([0.0, 0.05, 0.1], [30.0, 12.0, 5.0], (30.0, -470.0, 2200.0))


def head_boundary(net, node, head):
    net.add_pressure_boundary(node, pressure=Q_(P_ATM + RHO * G * head, "Pa"),
                              temperature=Q_(20, "degC"))


def curve(points, scale=1.0):
    q, h, _ = points
    return Q_(q, "m^3/s"), Q_(np.asarray(h) * scale, "m")


def station(pumps, head_in=10.0, head_out=None, demand=None):
    """Reservoir (``head_in``) → 100 m feed pipe → junction J → the pumps →
    500 m pipe → reservoir (``head_out``) or a withdrawal of ``demand`` m³/s.

    ``pumps``: list of (name, start, end, curve kwargs) between J and K (a
    series chain names its own intermediate nodes).
    """
    net = nt.Network("station", fluid=FLUID)
    net.add_pipe("feed", "R", "J", length=Q_(100, "m"), diameter=Q_(0.3, "m"))
    for name, s, e, kw in pumps:
        net.add_pump(name, s, e, heat_to_fluid=False, **kw)
    net.add_pipe("out", "K", "D", length=Q_(500, "m"), diameter=Q_(0.25, "m"))
    head_boundary(net, "R", head_in)
    if demand is None:
        head_boundary(net, "D", head_out)
    else:
        net.add_flow_boundary("D", mass_flow=Q_(-demand, "m^3/s"), temperature=Q_(20, "degC"))
    return net


def solve(net, flagged=False):
    """Solve from a cold start; ``flagged`` expects the pump_off_curve flag."""
    if flagged:
        with pytest.warns(PhysicsWarning, match="run off their curve"):
            r = net.solve()
        assert "pump_off_curve" in {f.kind for f in r.flags}
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PhysicsWarning)
            r = net.solve()
    for label, b in r.balance.items():
        assert b["mass_relative"] <= 1e-9, (label, b)
    return r


def q_of(r, edge):
    return r.volume_flow(edge).m_as("m^3/s")


def head_of(r, pump):
    return r.pump_head(pump).m_as("m")


def by_hand(coef, Q, q_max=0.1):
    """The stated curve law written out: quadratic between shut-off and the last
    point, |a2| Q² in reverse flow, the tangent beyond the last point of a
    convex fit."""
    a0, a1, a2 = coef
    if Q < 0:
        return a0 + a1 * Q + abs(a2) * Q * Q
    if Q > q_max and a2 > 0:
        return a0 + a1 * q_max + a2 * q_max**2 + (a1 + 2 * a2 * q_max) * (Q - q_max)
    return a0 + a1 * Q + a2 * Q * Q


# ----------------------------------------------------------------------------
# the law
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("points", [FLAT, HUMP, CONVEX], ids=["flat", "hump", "convex"])
@pytest.mark.parametrize("speed", [1.0, 0.7])
def test_curve_extension_is_continuous_and_stated(points, speed):
    a0, a1, a2 = points[2]
    qe = 0.1 * speed
    Q = np.array([-0.3, -0.05, -1e-9, 0.0, 1e-9, 0.05 * speed, qe - 1e-9, qe, qe + 1e-9, 0.3])
    H = curve_head(a0, a1, a2, Q, speed, q_max=0.1)
    dH = curve_head_dQ(a0, a1, a2, Q, speed, q_max=0.1)
    # affinity laws: H(Q, s) = s² H(Q/s, 1), including both extensions
    expect = [speed**2 * by_hand(points[2], q / speed) for q in Q]
    np.testing.assert_allclose(H, expect, rtol=1e-12, atol=1e-9)
    # value and slope continuous at shut-off and at the last point
    for k in (2, 6):
        assert H[k + 2] - H[k] == pytest.approx(dH[k + 1] * 2e-9, abs=1e-9)
        assert dH[k] == pytest.approx(dH[k + 2], abs=1e-5 * max(1.0, abs(dH[k])))
    # a curve falling at shut-off keeps falling in reverse flow and beyond
    # its last point (EPANET's curves do); the hump rises near shut-off only
    if a1 <= 0:
        assert np.all(np.diff(H) <= 0)
    assert dH[0] < 0 and dH[-1] < 0


def test_curve_extension_by_hand():
    # FLAT in reverse flow: 60 + 6000·0.05² = 75 m (the reflected quadratic)
    assert float(curve_head(60.0, 0.0, -6000.0, -0.05, 1.0)) == pytest.approx(75.0)
    # CONVEX beyond its last point: H(0.1) = 5 m, slope −470 + 440 = −30 m/(m³/s)
    assert float(curve_head(30.0, -470.0, 2200.0, 0.2, 1.0, q_max=0.1)) == pytest.approx(2.0)
    assert float(curve_head_dQ(30.0, -470.0, 2200.0, 0.2, 1.0, q_max=0.1)) == pytest.approx(-30.0)
    # a concave fit keeps its quadratic beyond the last point (EPANET's A − B Qᶜ)
    assert float(curve_head(60.0, 0.0, -6000.0, 0.12, 1.0, q_max=0.1)) == pytest.approx(-26.4)


# ----------------------------------------------------------------------------
# parallel and series sets from a cold start
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [3, 4, 6])
def test_identical_pumps_in_parallel_fed_by_one_pipe(n):
    # n identical pumps between the same two nodes, fed through junction J by a
    # single pipe; the curve is flat at shut-off. This raised "not positive
    # definite ... pivot 0": the pumps' zero slopes set the Jacobian floor.
    pumps = [(f"P{k}", "J", "K", dict(curve=curve(FLAT))) for k in range(n)]
    r = solve(station(pumps, head_out=50.0))
    ref = solve(station([("P", "J", "K", dict(curve=curve(FLAT), count=n))], head_out=50.0))
    q_ref = q_of(ref, "P")
    assert 0 < q_ref < 0.1 * n
    for k in range(n):
        assert q_of(r, f"P{k}") == pytest.approx(q_ref / n, rel=1e-9)
        assert head_of(r, f"P{k}") == pytest.approx(by_hand(FLAT[2], q_ref / n), rel=1e-9)
    assert q_of(r, "feed") == pytest.approx(q_ref, rel=1e-9)


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("margin", [-10.0, 10.0], ids=["below_shut_off", "above_shut_off"])
def test_pumps_in_series_near_shut_off(n, margin):
    # n pumps in series lifting to within 10 m of their joint shut-off head
    # (60 n m): a few per cent of the design flow forward, or reverse flow
    # through all of them above shut-off (flagged)
    head_out = 10.0 + 60.0 * n + margin
    chain = [(f"P{k}", "J" if k == 0 else f"S{k}", "K" if k == n - 1 else f"S{k + 1}",
              dict(curve=curve(FLAT))) for k in range(n)]
    r = solve(station(chain, head_out=head_out), flagged=margin > 0)
    ref = solve(station([("P", "J", "K", dict(curve=curve(FLAT, scale=n)))], head_out=head_out),
                flagged=margin > 0)
    q_ref = q_of(ref, "P")
    assert (q_ref < 0) == (margin > 0) and abs(q_ref) < 0.03
    for k in range(n):
        assert q_of(r, f"P{k}") == pytest.approx(q_ref, rel=1e-9)
        assert head_of(r, f"P{k}") == pytest.approx(by_hand(FLAT[2], q_ref), rel=1e-9)


# ----------------------------------------------------------------------------
# slope zero or positive near shut-off; beyond the last point
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("lift", [45.0, 50.0])
def test_curve_rising_near_shut_off(n, lift):
    # HUMP against a lift above its shut-off head (40 m): below the peak
    # (46.7 m) and above it. The head rises with flow near shut-off, so the
    # pump's derivative is negative there; the solve used to fail with a zero
    # pivot or not converge. Any root must lie on the stated curve; from rest
    # the flow reverses through the pumps (flagged).
    pumps = [(f"P{k}", "J", "K", dict(curve=curve(HUMP))) for k in range(n)]
    r = solve(station(pumps, head_out=10.0 + lift), flagged=True)
    for k in range(n):
        q = q_of(r, f"P{k}")
        assert head_of(r, f"P{k}") == pytest.approx(by_hand(HUMP[2], q), rel=1e-9)
        assert q == pytest.approx(q_of(r, "feed") / n, rel=1e-9)


def test_forced_flow_beyond_the_last_point_follows_the_tangent():
    # 0.2 m³/s withdrawn through CONVEX (last point 0.1 m³/s): the quadratic
    # would give 24 m, rising again; the stated tangent gives 5 − 30·0.1 = 2 m
    r = solve(station([("P", "J", "K", dict(curve=curve(CONVEX)))], head_in=60.0, demand=0.2),
              flagged=True)
    assert q_of(r, "P") == pytest.approx(0.2, rel=1e-12)
    assert head_of(r, "P") == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize("n", [1, 2])
def test_downhill_beyond_the_last_point(n):
    # 40 m downhill through CONVEX pumps: they run beyond their last point
    # (used to fail: the upturned quadratic has no intersection with the
    # system curve)
    pumps = [(f"P{k}", "J", "K", dict(curve=curve(CONVEX))) for k in range(n)]
    r = solve(station(pumps, head_in=50.0, head_out=10.0), flagged=True)
    for k in range(n):
        q = q_of(r, f"P{k}")
        assert q > 0.1
        assert head_of(r, f"P{k}") == pytest.approx(by_hand(CONVEX[2], q), rel=1e-9, abs=1e-9)


# ----------------------------------------------------------------------------
# loss of flow
# ----------------------------------------------------------------------------
def test_loss_of_flow_with_parallel_pumps_is_flagged():
    # A closed cold-plate loop driven by five identical pumps in parallel; the
    # loop valve is throttled to 2 % opening, so the flow falls to a few per
    # cent of design. The solve must give flagged results (chips over their
    # limit), not a zero pivot.
    def loop(opening):
        net = nt.Network("loss-of-flow", fluid=FLUID)
        net.add_pipe("suction", "T", "J", length=Q_(20, "m"), diameter=Q_(0.3, "m"))
        for k in range(5):
            net.add_pump(f"P{k}", "J", "K", curve=curve(FLAT))
        net.add_valve("V", "K", "L", kvs=Q_(600, "m^3/h"), opening=opening)
        net.add_cold_plates(["plates"], ["L"], ["M"], heat=Q_(1, "kW"),
                            thermal_resistance=Q_(0.03, "K/W"), rated_flow=Q_(0.2, "L/s"),
                            rated_pressure_drop=Q_(20, "kPa"),
                            max_chip_temperature=Q_(85, "degC"), count=1000)
        net.add_heat_exchanger("hx", hot=("M", "T"), cold=("ci", "co"), ua=Q_(200, "kW/K"))
        net.add_flow_boundary("ci", mass_flow=Q_(50, "kg/s"), temperature=Q_(15, "degC"))
        net.add_pressure_boundary("co", pressure=Q_(1, "atm"), temperature=Q_(15, "degC"))
        net.add_expansion_tank("T", pressure=Q_(3, "bar"))
        return net

    with warnings.catch_warnings():
        warnings.simplefilter("error", PhysicsWarning)
        design = loop(1.0).solve()
    with pytest.warns(PhysicsWarning, match="chip"):
        low = loop(0.02).solve()
    ratio = q_of(low, "V") / q_of(design, "V")
    assert 0.005 < ratio < 0.1
    assert "chip_over_limit" in {f.kind for f in low.flags}
    for k in range(5):
        assert q_of(low, f"P{k}") == pytest.approx(q_of(low, "V") / 5, rel=1e-9)


def _idle_pump(check: bool):
    """A curve pump (40 m shut-off) between reservoirs 6 bar apart, with or without a
    check valve after it (EPANET's pump: a pump and its check valve)."""
    net = nt.Network("idle-pump")
    net.set_fluid("R1", nt.fluids.water())
    net.add_pipe("in", "R1", "S", length=Q_(10, "m"), diameter=Q_(0.1, "m"))
    net.add_pump("P", "S", "M", curve=(Q_([0, 10, 20], "L/s"), Q_([40, 30, 0], "m")),
                 heat_to_fluid=False)
    net.add_valve("CV", "M", "N", kvs=Q_(1e3, "m^3/h"), check=check)
    net.add_pipe("out", "N", "R2", length=Q_(100, "m"), diameter=Q_(0.1, "m"))
    net.add_pressure_boundary("R1", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
    net.add_pressure_boundary("R2", pressure=Q_(8, "bar"), temperature=Q_(20, "degC"))
    return net.solve(warn=False)


def test_a_pump_held_shut_by_its_check_valve_is_not_off_its_curve():
    """The check valve's leakage (1e-5 kg/s per bar) gave the pump a reverse flow of
    2e-5 L/s, one millionth of its curve, and it was flagged ``pump_off_curve`` ("in
    reverse ... the curve was extrapolated") where EPANET simply closes it. A trickle
    below PUMP_REVERSE_TRICKLE of the curve's range is the pump standing still; without
    the check valve the water runs back through it and it is flagged as before."""
    from narvik_thermal.network.result import PUMP_REVERSE_TRICKLE
    held = _idle_pump(check=True)
    q = held.volume_flow("P").m_as("m^3/s")
    assert -PUMP_REVERSE_TRICKLE * 0.02 < q < 0.0
    assert not held.flags
    back = _idle_pump(check=False)
    assert back.volume_flow("P").m_as("L/s") < -1.0
    assert "pump_off_curve" in {f.kind for f in back.flags}


# ----------------------------------------------------------------------------
# fixed heads that close a loop with no resistance: no answer, and said so
# ----------------------------------------------------------------------------
def _fixed_head_net(name):
    net = nt.Network(name)
    net.set_fluid("R", nt.fluids.water())
    net.add_pressure_boundary("R", pressure=Q_(2, "bar"), temperature=Q_(20, "degC"))
    return net


def test_fixed_heads_in_parallel_that_differ_are_named_when_the_solve_fails():
    # 30 m and 35 m between the same two nodes: Newton cannot converge, and the message
    # names the two pumps and why (found by the EPANET cross-check at stop 32)
    net = _fixed_head_net("parallel-heads")
    net.add_pipe("a", "R", "S", length=Q_(100, "m"), diameter=Q_(0.1, "m"))
    net.add_pump("P1", "S", "N", head=Q_(30, "m"), heat_to_fluid=False)
    net.add_pump("P2", "S", "N", head=Q_(35, "m"), heat_to_fluid=False)
    net.add_pipe("b", "N", "R2", length=Q_(100, "m"), diameter=Q_(0.1, "m"))
    net.add_pressure_boundary("R2", pressure=Q_(4, "bar"), temperature=Q_(20, "degC"))
    with pytest.raises(ConvergenceError, match=r"'P2', 'P1' hold a fixed head whatever the "
                       r"flow: fixed heads in parallel that differ"):
        net.solve(warn=False)
    # the same heads solve (the split between them is the solver's)
    net.update("P2", head=Q_(30, "m"))
    assert net.solve(warn=False).converged


def test_a_fixed_head_between_two_boundaries_of_another_difference_is_named():
    net = _fixed_head_net("head-between-boundaries")
    net.add_pump("P", "R", "R2", head=Q_(10, "m"), heat_to_fluid=False)
    net.add_pressure_boundary("R2", pressure=Q_(2.5, "bar"), temperature=Q_(20, "degC"))
    with pytest.raises(ConvergenceError, match=r"'P' holds a fixed head whatever the flow"):
        net.solve(warn=False)
