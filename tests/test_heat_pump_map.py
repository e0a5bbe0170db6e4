"""Performance map of the heat-pump cycle (correlations/heat_pump_map.py) and its
selection in the correlations, the component, the network and the plant."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import narvik_thermal as nt
from narvik_thermal import components as C
from narvik_thermal.correlations.heat_pump import heat_pump_performance, heat_pump_series
from narvik_thermal.correlations.heat_pump_map import (MAP_MIN_LIFT, MAP_SPACING,
                                                       CyclePerformanceMap, performance_map)
from narvik_thermal.errors import InputError
from narvik_thermal.fluids.refrigerant import refrigerant

Q_ = nt.Q_
K = 273.15


@pytest.fixture(scope="module")
def r717_two_stage():
    return CyclePerformanceMap(refrigerant("R717"), 2, 0.7, 5.0, 2.0)


def _random_points(rng, n, T_e=(-5.0, 45.0), lift=(12.5, 60.0), T_c_max=125.0):
    out = []
    while len(out) < n:
        Te = K + rng.uniform(*T_e)
        Tc = Te + rng.uniform(*lift)
        if Tc <= K + T_c_max:
            out.append((Te, Tc))
    return out


@pytest.mark.parametrize("stages", [1, 2])
def test_map_matches_the_cycle_at_random_off_grid_points(stages):
    """COP within 1e-5 relative, discharge temperature within 5 mK, condensing pressure
    within 1e-6 relative of the direct cycle (R717, the operating range of the campus
    heat pumps and beyond)."""
    m = CyclePerformanceMap(refrigerant("R717"), stages, 0.7, 5.0, 2.0)
    rng = np.random.default_rng(7)
    err_cop = err_t = err_p = 0.0
    for Te, Tc in _random_points(rng, 120):
        got = m.unit(Te, Tc)
        assert got is not None, (Te, Tc)
        cop, t_hi, t_lo, p_c = m.direct(Te, Tc)
        err_cop = max(err_cop, abs(got[0] / cop - 1))
        err_t = max(err_t, abs(got[1] - max(t_hi, t_lo)))
        err_p = max(err_p, abs(got[2] / p_c - 1))
    assert err_cop < 1e-5 and err_t < 5e-3 and err_p < 1e-6, (err_cop, err_t, err_p)


@pytest.mark.parametrize("name", ["R134a", "R1234ze(E)", "R600a"])
def test_map_accuracy_other_refrigerants_up_to_near_critical(name):
    """Other refrigerants, condensing up to 1 K below the critical point: COP within
    1e-4 relative (measured ≤ 2e-5 on the 2.5 K grid)."""
    f = refrigerant(name)
    m = CyclePerformanceMap(f, 2, 0.7, 5.0, 2.0)
    rng = np.random.default_rng(3)
    worst = 0.0
    for _ in range(40):
        Tc = f.T_critical - rng.uniform(1.0, 40.0)
        Te = Tc - rng.uniform(12.5, 50.0)
        got = m.unit(Te, Tc)
        if got is None:           # a cell touching the critical point: the cycle
            continue
        worst = max(worst, abs(got[0] / m.direct(Te, Tc)[0] - 1))
    assert worst < 1e-4


def test_map_reproduces_the_cycle_at_its_nodes(r717_two_stage):
    m = r717_two_stage
    Te, Tc = 122 * MAP_SPACING, 136 * MAP_SPACING          # 305 K, 340 K
    got = m.unit(Te, Tc)
    cop, t_hi, t_lo, p_c = m.direct(Te, Tc)
    assert got[0] == pytest.approx(cop, rel=1e-12)
    assert got[1] == pytest.approx(max(t_hi, t_lo), rel=1e-12)
    assert got[2] == pytest.approx(p_c, rel=1e-12)


def test_outside_the_map_is_none_and_the_series_falls_back_to_the_cycle(r717_two_stage):
    """Below the smallest mapped lift, at and above the critical point: no map value (never
    extrapolated); heat_pump_series then runs the cycle, with its own errors."""
    m = r717_two_stage
    assert m.unit(300.0, 300.0 + MAP_MIN_LIFT - 1.0) is None          # too small a lift
    Tcrit = refrigerant("R717").T_critical
    assert m.unit(330.0, Tcrit - 0.5) is None                        # cell over T_critical
    assert m.unit(math.nan, 340.0) is None
    # the series: a unit outside the map is the cycle itself (identical numbers)
    kw = dict(refrigerant=refrigerant("R717"), stages=2, evaporator_approach=3.0,
              condenser_approach=3.0)
    args = (300.0, 298.0, 301.0, 303.0, 1)           # T_e 295 K, T_c 306 K: lift 11 K,
    direct = heat_pump_series(*args, **kw)           # but its cell's lift is < 10 K
    mapped = heat_pump_series(*args, performance="map", **kw)
    assert mapped == direct
    with pytest.raises(InputError, match="critical temperature"):
        heat_pump_series(330.0, 325.0, 390.0, 410.0, 1, performance="map", **kw)


def test_performance_option_in_the_correlations():
    kw = dict(refrigerant="R717", stages=2, n_series=4)
    cyc = heat_pump_performance(313.15, 308.15, 318.15, 358.15, **kw)
    mp = heat_pump_performance(313.15, 308.15, 318.15, 358.15, performance="map", **kw)
    assert mp.COP_heating == pytest.approx(cyc.COP_heating, rel=1e-5)
    assert mp.COP_heating != cyc.COP_heating                      # it is the map
    assert mp.T_discharge_max == pytest.approx(cyc.T_discharge_max, abs=5e-3)
    assert mp.p_condensation_max == pytest.approx(cyc.p_condensation_max, rel=1e-6)
    assert mp.T_condensation == cyc.T_condensation and mp.stages == cyc.stages
    # fraction models and the transcritical cycle are never mapped
    for model in ("carnot_fraction", "lorenz_fraction"):
        a = heat_pump_performance(313.15, 308.15, 318.15, 358.15, model=model)
        b = heat_pump_performance(313.15, 308.15, 318.15, 358.15, model=model,
                                  performance="map")
        assert a == b
    a = heat_pump_performance(300.0, 295.0, 313.15, 353.15, refrigerant="R744")
    b = heat_pump_performance(300.0, 295.0, 313.15, 353.15, refrigerant="R744",
                              performance="map")
    assert a == b and a.transcritical
    for bad in ("fast", None, 1):
        with pytest.raises(InputError, match=r"performance=.* is not one of \('cycle', "
                                             r"'map'\); give performance='cycle'"):
            heat_pump_performance(313.15, 308.15, 318.15, 358.15, performance=bad)


def test_performance_map_is_one_per_configuration():
    a = performance_map("R717", 2, 0.7, 5.0, 2.0)
    assert performance_map(refrigerant("R717"), 2, 0.7, 5.0, 2.0) is a
    assert performance_map("R717", 1, 0.7, 5.0, 2.0) is not a
    assert performance_map("R717", 2, 0.65, 5.0, 2.0) is not a


def test_map_is_filled_lazily_and_the_same_in_any_order(monkeypatch, tmp_path):
    monkeypatch.setenv("NARVIK_THERMAL_CACHE_DIR", str(tmp_path))     # no nodes on disk
    f = refrigerant("R717")
    pts = [(300.3, 340.1), (301.7, 352.9), (290.2, 330.4)]
    a = CyclePerformanceMap(f, 2, 0.7, 5.0, 2.0)
    b = CyclePerformanceMap(f, 2, 0.7, 5.0, 2.0)
    va = [a.unit(*p) for p in pts]
    vb = [b.unit(*p) for p in reversed(pts)][::-1]
    assert va == vb
    assert a.n_nodes <= 12 and a.cycles == 5 * a.n_nodes      # four corners per new cell


# ------------------------------------------------------------ component and network
def _net(performance):
    water = nt.fluids.water()
    net = nt.Network("hp")
    net.add_heat_pump("hp1", evaporator=("src_in", "src_out"), condenser=("dh_ret", "dh_sup"),
                      supply_temperature=Q_(85, "degC"), model="cycle", stages=2, n_series=4,
                      performance=performance)
    net.add_pipe("src_pipe", "src_out", "src_sink", length=Q_(10, "m"), diameter=Q_(200, "mm"))
    net.add_flow_boundary("src_in", mass_flow=Q_(50, "kg/s"), temperature=Q_(40, "degC"))
    net.add_pressure_boundary("src_sink", pressure=Q_(2, "bar"), temperature=Q_(35, "degC"))
    net.set_fluid("src_in", water)
    net.add_pump("dhp", "dh_sup", "c_in", flow=Q_(20, "kg/s"))
    net.add_setpoint("town", "c_in", "c_out", outlet_temperature=Q_(45, "degC"))
    net.add_pipe("ret", "c_out", "dh_ret", length=Q_(100, "m"), diameter=Q_(150, "mm"))
    net.add_expansion_tank("dh_ret", pressure=Q_(3, "bar"))
    net.set_fluid("dh_ret", water)
    return net


def test_network_heat_pump_with_the_map_matches_the_cycle():
    rc = _net("cycle").solve()
    rm = _net("map").solve()
    hc, hm = rc.heat_pump("hp1"), rm.heat_pump("hp1")
    assert hm["cop"].m == pytest.approx(hc["cop"].m, rel=1e-5)
    assert hm["heat_sink"].m == pytest.approx(hc["heat_sink"].m, rel=1e-6)
    assert hm["discharge_temperature"].m_as("K") == pytest.approx(
        hc["discharge_temperature"].m_as("K"), abs=5e-3)
    for r in (rc, rm):
        qc, qe, w = (r.heat_pump("hp1")[k].m_as("W")
                     for k in ("heat_sink", "heat_source", "electric_power"))
        assert abs(qc - qe - w) <= 1e-9 * qc


def test_component_performance_option_saved_and_checked():
    hp = C.HeatPumps.from_quantities(["a", "b"], supply_temperature=Q_(85, "degC"),
                                     model="cycle", performance="map")
    assert hp.evaluation.tolist() == [1, 1]
    data = hp.to_data()
    assert data["evaluation"] == ["map", "map"]
    assert C.HeatPumps.from_data(data).to_data() == data
    old = {k: v for k, v in data.items() if k != "evaluation"}      # a file from before
    assert C.HeatPumps.from_data(old).evaluation.tolist() == [0, 0]  # the cycle
    assert C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC")).evaluation[0] == 0
    with pytest.raises(InputError, match=r"heat pump 'x': performance='table' is not one of "
                                         r"\('cycle', 'map'\); give performance='cycle'"):
        C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"), performance="table")


def test_heat_pump_spec_performance_option():
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec
    assert HeatPumpSpec().performance == "map"
    assert HeatPumpSpec(performance="cycle").performance == "cycle"
    with pytest.raises(InputError, match=r"HeatPumpSpec: performance='exact' is not one of "
                                         r"\('map', 'cycle'\); give performance='map'"):
        HeatPumpSpec(performance="exact")


@pytest.fixture(scope="module")
def small_export_campus():
    from narvik_thermal.plant.campus import Campus
    from narvik_thermal.plant.heat_export import HeatExport
    from narvik_thermal.plant.heat_export_network import HeatPumpSpec

    def make(performance):
        town = nt.plant.town_consumers(Q_(3, "MW"), 3)
        dh = nt.plant.district_heating_network(town, supply_temperature=Q_(85, "degC"),
                                               return_temperature=Q_(45, "degC"),
                                               trunk_length=Q_(1, "km"))
        return Campus(Q_(10, "MW"), heat_export=HeatExport(
            dh=dh, heat_pumps=HeatPumpSpec(performance=performance)))
    return make


def test_campus_operates_with_the_map_as_with_the_cycle(small_export_campus):
    """Operation with the map (default) agrees with the cycle to the map's tolerance;
    the design network and the configuration are the cycle's, identical."""
    cm, cc = small_export_campus("map"), small_export_campus("cycle")
    hp = "heat_pump"
    for kw in (dict(it_load=0.9, month=1), dict(it_load=0.7, month=3,
                                                 heat_demand=Q_(2, "MW"))):
        rm, rc = cm.operate(**kw, warn=False), cc.operate(**kw, warn=False)
        assert rm.energy_closure <= 1e-9 and rc.energy_closure <= 1e-9
        a, b = rm.result.heat_pump(hp), rc.result.heat_pump(hp)
        assert a["cop"].m == pytest.approx(b["cop"].m, rel=2e-5)
        assert a["heat_sink"].m == pytest.approx(b["heat_sink"].m, rel=1e-5)
    comp = cm.operating_network.component(hp)
    assert comp.evaluation[0] == 1 and cc.operating_network.component(hp).evaluation[0] == 0
    assert cm.design["heat_export"]["configuration"] == cc.design["heat_export"]["configuration"]


def test_warm_start_carries_the_heat_pump_state():
    """A warm start begins from the heat pumps' COP, mode, capacity and evaporator
    outlets of the state it starts from: a re-solve of a solved network with part load
    and a source limit settles in two outer iterations, at the same point."""
    net = _net("map")
    net.update("hp1", capacity=Q_(2, "MW"), min_source_outlet=Q_(37, "degC"))
    cold = net.solve(warn=False)
    warm = net.solve(initial=cold, warn=False)
    assert warm.state.record["outer"] <= 2 < cold.state.record["outer"]
    a, b = cold.heat_pump("hp1"), warm.heat_pump("hp1")
    for k in ("cop", "heat_sink", "heat_source", "part_load_ratio"):
        assert b[k].m == pytest.approx(a[k].m, rel=1e-7), k
    assert bool(a["source_limited"]) == bool(b["source_limited"])
    np.testing.assert_allclose(warm.state.temperature, cold.state.temperature, atol=2e-6)


@pytest.mark.parametrize("plr", [0.0, 0.05, 0.2, 0.25, 0.6, 1.0])
def test_part_load_scalar_path_is_the_array_path(plr):
    """One unit (plain floats, the solver's call) gives exactly the array form's value."""
    from narvik_thermal.correlations.heat_pump import part_load_cop_modulating
    one = part_load_cop_modulating(2.9, plr, 0.25, 0.9)
    arr = part_load_cop_modulating(np.array([2.9]), np.array([plr]), np.array([0.25]), 0.9)
    assert isinstance(one, float) and one == float(arr[0])
    with pytest.raises(InputError, match="part_load_ratio must be in"):
        part_load_cop_modulating(2.9, 1.5, 0.25, 0.9)


def test_map_filled_from_threads_is_the_sequential_map():
    from concurrent.futures import ThreadPoolExecutor
    f = refrigerant("R717")
    rng = np.random.default_rng(11)
    pts = _random_points(rng, 24, T_e=(10.0, 20.0), lift=(30.0, 45.0))
    seq = CyclePerformanceMap(f, 2, 0.7, 5.0, 2.0)
    par = CyclePerformanceMap(f, 2, 0.7, 5.0, 2.0)
    want = [seq.unit(*p) for p in pts]
    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda p: par.unit(*p), pts))
    assert got == want and par.n_nodes == seq.n_nodes


# ------------------------------------------------------------ the nodes on disk
_MAP_CHILD = """
    from narvik_thermal.correlations.heat_pump import heat_pump_performance
    from narvik_thermal.correlations.heat_pump_map import performance_map
    pts = [(281.15, 277.15, 318.15, 358.15), (280.0, 276.5, 320.0, 356.0)]
    out = [heat_pump_performance(*p, stages=2, n_series=4, performance="map").COP_heating
           for p in pts]
    m = performance_map("R717", 2, 0.7, 5.0, 2.0)
    print(json.dumps(dict(cop=out, loaded=m.loaded, cycles=m.cycles,
                          coolprop="CoolProp" in sys.modules)))
"""


def _map_run(cache, mode="plain"):
    from fresh_process import run
    return run(_MAP_CHILD, cache, mode)


def test_a_later_process_reads_the_map_nodes_without_coolprop(tmp_path):
    # the first process computes the nodes (and imports CoolProp); a second one with
    # CoolProp blocked reads them and gives the same COPs to the last bit
    first = _map_run(tmp_path)
    assert first["coolprop"] is True and first["cycles"] > 0 and first["loaded"] == 0
    assert len(list(tmp_path.glob("hpmap-*.npz"))) == 1
    second = _map_run(tmp_path, "block")
    assert second["coolprop"] is False and second["cycles"] == 0
    assert second["loaded"] >= first["cycles"] // 5
    assert second["cop"] == first["cop"]
    # an unreadable file is ignored and written anew; an empty directory turns it off
    for f in tmp_path.glob("hpmap-*.npz"):
        f.write_bytes(b"not a map")
    again = _map_run(tmp_path)
    assert again["cop"] == first["cop"] and again["loaded"] == 0
    off = _map_run("")
    assert off["cop"] == first["cop"] and off["loaded"] == 0 and off["coolprop"] is True


# ------------------------------------------------- the solvers' series in one call
def _stream_points(rng, n):
    """Stream temperatures (source in, out, sink in, out) [K] over and beyond the map:
    sinks colder than the source (units at the least lift), sinks near the critical
    point (cells outside the map), streams out of order."""
    out = []
    for _ in range(n):
        t_so = K + rng.uniform(-5.0, 40.0)
        t_ki = K + rng.uniform(5.0, 75.0)
        out.append((t_so + rng.uniform(0.0, 8.0), t_so, t_ki, t_ki + rng.uniform(-2.0, 60.0)))
    return out


@pytest.mark.parametrize("stages", [1, 2])
def test_mapped_series_is_mapped_performance_to_the_bit(stages):
    """``mapped_series`` (every unit of the series in one compiled call,
    ``CyclePerformanceMap.series``) against ``mapped_performance`` (a lookup per unit,
    composed in Python): the same COP, hottest discharge and highest condensing pressure,
    bit for bit, and None where that is None; whichever fills the map's cells first."""
    from narvik_thermal.correlations.heat_pump import mapped_performance, mapped_series

    rng = np.random.default_rng(11 + stages)
    seen = {True: 0, False: 0}
    for n in (1, 2, 3, 4):
        kw = dict(evaporator_approach=3.0, condenser_approach=2.5, isentropic_efficiency=0.7,
                  n_series=n, stages=stages)
        f = mapped_series("R717", **kw)
        for k, pt in enumerate(_stream_points(rng, 30)):
            if k % 2:
                got, want = f(*pt), mapped_performance("R717", *pt, **kw)
            else:
                want, got = mapped_performance("R717", *pt, **kw), f(*pt)
            seen[want is None] += 1
            if want is None:
                assert got is None, pt
            else:
                assert got == (want.COP_heating, want.T_discharge_max,
                               want.p_condensation_max), pt
    assert seen[True] >= 5 and seen[False] >= 50, seen
    assert mapped_series("R744", **kw) is None                  # may run transcritical


def test_map_series_beyond_its_indexed_cells_is_none():
    """A cell beyond the cells the series indexes, or a temperature not finite: None (the
    caller then looks the units up one by one, as mapped_performance does)."""
    m = CyclePerformanceMap(refrigerant("R717"), 1, 0.7, 5.0, 2.0, spacing=0.5)  # to 256 K
    assert m.unit(280.0, 320.0) is not None
    assert m.series(280.0, 310.0, 317.0, 1, 3.0, 5.0) is None
    m = performance_map("R717", 1, 0.7, 5.0, 2.0)
    assert m.series(280.0, 310.0, 317.0, 1, 3.0, 5.0) is not None
    for bad in (math.nan, math.inf, -math.inf, 1e300, -1e300):
        assert m.series(bad, 310.0, 317.0, 1, 3.0, 5.0) is None
        assert m.series(280.0, 310.0, bad, 1, 3.0, 5.0) is None


def test_component_performance_function_is_its_performance():
    """``HeatPumps.performance_function``: the (COP, hottest discharge, highest
    condensing pressure) of ``performance``, bit for bit, for the mapped cycle, the
    direct cycle and a fraction model, and its errors where it raises."""
    pts = _stream_points(np.random.default_rng(5), 12) + [(313.15, 308.15, 318.15, 358.15)]
    for model, performance in (("cycle", "map"), ("cycle", "cycle"), ("carnot_fraction", "map")):
        hp = C.HeatPumps.from_quantities("x", supply_temperature=Q_(85, "degC"), model=model,
                                         stages=2, n_series=3, performance=performance)
        f = hp.performance_function(0)
        for pt in pts:
            try:
                r = hp.performance(0, *pt)
            except InputError as exc:
                with pytest.raises(InputError, match=re.escape(str(exc))):
                    f(*pt)
                continue
            np.testing.assert_array_equal(
                f(*pt), (r.COP_heating, r.T_discharge_max, r.p_condensation_max))


def test_network_heat_pump_series_in_one_call_is_the_general_path(monkeypatch):
    """A solved network whose mapped heat pump takes the one-call series is, to the bit,
    the network whose heat pump takes ``performance`` (the general path); and the
    series bound for a solve follows ``Network.update`` of the supply temperature and
    the capacity (the same state as a network built with the new values)."""
    from narvik_thermal.components import heat_pump as hp_module

    def solved(net):
        r = net.solve()
        return np.concatenate([r.state.temperature, r.state.mass_flow]), r.heat_pump("hp1")["cop"].m

    def built(**update):
        net = _net("map")
        net.update("hp1", **update)
        return net

    fast = solved(_net("map"))
    with monkeypatch.context() as mp:
        mp.setattr(hp_module, "mapped_series", lambda *a, **k: None)
        general = solved(_net("map"))
    np.testing.assert_array_equal(fast[0], general[0])
    assert fast[1] == general[1]
    net = _net("map")
    before = solved(net)
    done = {}
    for update in (dict(supply_temperature=Q_(80, "degC")), dict(capacity=Q_(1, "MW"))):
        net.update("hp1", **update)
        done.update(update)
        again, fresh = solved(net), solved(built(**done))
        np.testing.assert_array_equal(again[0], fresh[0])
        assert again[1] == fresh[1] and again[1] != before[1]      # it moved
        before = again
