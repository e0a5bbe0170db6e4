"""A careless user cannot corrupt a network or get a silent wrong answer.

A probe campaign over the public API, parametrised: bad inputs to every ``add_*``
call and its plural form, duplicate names, changes after a solve that fail
halfway, boundaries that unbalance a closed circuit, physics extremes, network
files, the plant builders, the command line and the result accessors. Every
probe asserts the *right* outcome — a specific exception class with a message
naming the argument, value or fix; a flag; or a network left exactly as it was
(compared as saved files, byte for byte, and by a re-solve) — never just "no
crash".

The classes (issue "Core: robust…", item 4):

- temperatures below a fluid's table limit were clamped without a word;
- a call that raises must leave the network exactly as it was;
- a NaN residual is never "converged"; an impossible operating point is flagged;
- network files are validated on load as strictly as ``add_*`` calls;
- no raw Python exception for a user mistake; an unknown name lists the valid ones;
- the result carried by a ``ConvergenceError`` can always be summarised.
"""

from __future__ import annotations

import copy
import json
import math
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
import yaml

import narvik_thermal as nt
from narvik_thermal import Q_
from narvik_thermal import plant as pl
from narvik_thermal.cli import main as cli_main
from narvik_thermal.errors import (ConvergenceError, InputError, NarvikError, TopologyError,
                                   UnitError)
from narvik_thermal.network.io import network_to_dict

RAW = (ZeroDivisionError, UnboundLocalError, IndexError, KeyError, TypeError, AttributeError,
       AssertionError)
NAN, INF = float("nan"), float("inf")
W = nt.fluids.water()


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nt.PhysicsWarning)
        yield


def loop() -> nt.Network:
    """A closed loop of every common kind, coupled to an open seawater-like circuit."""
    n = nt.Network("loop", fluid=W)
    n.add_pump("pump", "a", "b", curve=(Q_([0, 5, 10], "m^3/h"), Q_([20, 17, 10], "m")),
               efficiency=0.7)
    n.add_pipe("pipe", "b", "c", length=Q_(20, "m"), diameter=Q_(32, "mm"))
    n.add_valve("valve", "c", "d", kvs=Q_(10, "m^3/h"))
    n.add_cold_plate("gpu", "d", "e", heat=Q_(1, "kW"), thermal_resistance=Q_(0.02, "K/W"),
                     rated_flow=Q_(2, "L/min"), rated_pressure_drop=Q_(20, "kPa"), count=10)
    n.add_heat_load("load", "e", "f", heat=Q_(2, "kW"))
    n.add_heat_exchanger("hx", hot=("f", "a"), cold=("s1", "s2"), ua=Q_(2, "kW/K"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    n.add_pump("spump", "s0", "s1", flow=Q_(1, "kg/s"))
    n.add_pipe("sp", "s2", "s3", length=Q_(5, "m"), diameter=Q_(40, "mm"))
    n.add_pressure_boundary("s0", pressure=Q_(1, "bar"), temperature=Q_(8, "degC"))
    n.add_pressure_boundary("s3", pressure=Q_(1, "bar"), temperature=Q_(8, "degC"))
    return n


def snapshot(net) -> str:
    """The network as its saved file holds it (JSON text, SI)."""
    return json.dumps(network_to_dict(net), sort_keys=True)


def expect(exc, match, call):
    """``call()`` raises ``exc`` (never a raw Python exception) matching ``match``."""
    try:
        call()
    except exc as e:
        assert not isinstance(e, RAW) or isinstance(e, NarvikError), repr(e)
        import re
        assert re.search(match, str(e), re.S), f"{type(e).__name__}: {e}"
        return e
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"expected {exc} matching {match!r}, got {type(e).__name__}: {e}")
    pytest.fail(f"expected {exc} matching {match!r}; nothing was raised")


# ----------------------------------------------------------------------------
# 1. every add_* (and its plural form) with bad arguments; the network unchanged
# ----------------------------------------------------------------------------
CP_OK = dict(heat=Q_(1, "kW"), thermal_resistance=Q_(0.02, "K/W"), rated_flow=Q_(2, "L/min"),
             rated_pressure_drop=Q_(20, "kPa"))
PIPE_OK = dict(length=Q_(10, "m"), diameter=Q_(50, "mm"))


def _pipe(**kw):
    return lambda n: n.add_pipe("x", "n1", "n2", **{**PIPE_OK, **kw})


def _pipes(**kw):
    return lambda n: n.add_pipes(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], **{**PIPE_OK, **kw})


def _pump(**kw):
    return lambda n: n.add_pump("x", "n1", "n2", **kw)


def _valve(**kw):
    return lambda n: n.add_valve("x", "n1", "n2", **{"kvs": Q_(10, "m^3/h"), **kw})


def _cp(**kw):
    return lambda n: n.add_cold_plate("x", "n1", "n2", **{**CP_OK, **kw})


def _cps(**kw):
    return lambda n: n.add_cold_plates(["x1", "x2"], ["n1", "n1"], ["n2", "n2"],
                                       **{**CP_OK, **kw})


def _hl(**kw):
    return lambda n: n.add_heat_load("x", "n1", "n2", **{"heat": Q_(1, "kW"), **kw})


def _sp(**kw):
    return lambda n: n.add_setpoint("x", "n1", "n2", **{"outlet_temperature": Q_(20, "degC"),
                                                        **kw})


def _hx(**kw):
    return lambda n: n.add_heat_exchanger("x", hot=("n1", "n2"), cold=("n3", "n4"),
                                          **{"ua": Q_(1, "kW/K"), **kw})


def _hp(**kw):
    return lambda n: n.add_heat_pump("x", ("n1", "n2"), ("n3", "n4"),
                                     **{"supply_temperature": Q_(80, "degC"), **kw})


def _cons(**kw):
    return lambda n: n.add_consumer("x", "n1", "n2", **{"heat": Q_(10, "kW"),
                                                        "delta_t": Q_(30, "K"), **kw})


BAD_ADD = [
    # pipes: units, bare numbers, NaN/inf, sign, lengths, types
    ("pipe length bare", _pipe(length=10), UnitError, r"length=10 has no units.*\[length\]"),
    ("pipe length wrong unit", _pipe(length=Q_(1, "kg")), UnitError, r"length=.*dimension \[mass\]"),
    ("pipe length NaN", _pipe(length=Q_(NAN, "m")), UnitError, r"length contains non-finite"),
    ("pipe length inf", _pipe(length=Q_(INF, "m")), UnitError, r"length contains non-finite"),
    ("pipe length negative", _pipe(length=Q_(-1, "m")), InputError, r"length=-1 m for 'x' must be positive"),
    ("pipe length zero", _pipe(length=Q_(0, "m")), InputError, r"length=0 m .*positive"),
    ("pipe length None", _pipe(length=None), UnitError, r"length=None has no units"),
    ("pipe length str", _pipe(length="long"), UnitError, r"length='long' could not be parsed"),
    ("pipe length dict", _pipe(length={"a": 1}), UnitError, r"length=\{'a': 1\} has no units"),
    ("pipe length temperature", _pipe(length=Q_(3, "degC")), UnitError, r"length=.*absolute temperature"),
    ("pipe diameter bare", _pipe(diameter=0.05), UnitError, r"diameter=0.05 has no units"),
    ("pipe diameter negative", _pipe(diameter=Q_(-5, "mm")), InputError, r"diameter=-0.005 m .*positive"),
    ("pipe roughness negative", _pipe(roughness=Q_(-1, "mm")), InputError, r"roughness=-0.001 m .*non-negative"),
    ("pipe roughness NaN", _pipe(roughness=Q_(NAN, "mm")), UnitError, r"roughness contains non-finite"),
    ("pipe minor_loss negative", _pipe(minor_loss=-1.0), InputError, r"minor_loss=-1 .*non-negative"),
    ("pipe minor_loss with units", _pipe(minor_loss=Q_(1, "m")), UnitError, r"minor_loss=.*expected dimensionless"),
    ("pipe minor_loss dict", _pipe(minor_loss={"a": 1}), UnitError, r"minor_loss=\{'a': 1\} is not a number"),
    ("pipe minor_loss None", _pipe(minor_loss=None), UnitError, r"minor_loss(=None: give a value| contains non-finite values \(None\))"),
    ("pipe count zero", _pipe(count=0), InputError, r"count=0 for 'x' must be positive"),
    ("pipe count NaN", _pipe(count=NAN), UnitError, r"count contains non-finite"),
    ("pipe count list of Quantities", _pipe(count=[Q_(1, "m"), Q_(2, "m")]), UnitError, r"count=.*expected dimensionless"),
    ("pipe friction unknown", _pipe(friction="moody"), InputError, r"friction='moody'.*churchill"),
    ("pipe u_value without ambient", _pipe(u_value=Q_(1, "W/(m*K)")), InputError, r"u_value and ambient go together"),
    ("pipe u_value wrong unit", _pipe(u_value=Q_(1, "W"), ambient=Q_(5, "degC")), InputError, r"u_value=.*W/\(m·K\)"),
    ("pipe ambient delta", _pipe(u_value=Q_(1, "W/(m*K)"), ambient=Q_(5, "delta_degC")), UnitError, r"ambient=.*temperature difference"),
    ("pipe outer below inner", _pipe(outer_diameter=Q_(10, "mm")), InputError, r"outer_diameter=0.01 m .*larger than the inner"),
    ("pipe u_value_area bad", _pipe(u_value_area="middle"), InputError, r"u_value_area='middle'"),
    ("pipe name None", lambda n: n.add_pipe(None, "n1", "n2", **PIPE_OK), InputError, r"None is not a name"),
    ("pipe name int", lambda n: n.add_pipe(3, "n1", "n2", **PIPE_OK), InputError, r"3 is not a name"),
    ("pipe name empty", lambda n: n.add_pipe("", "n1", "n2", **PIPE_OK), InputError, r"'' is not a name"),
    ("pipe start None", lambda n: n.add_pipe("x", None, "n2", **PIPE_OK), InputError, r"start nodes: None is not a name"),
    ("pipe end Quantity", lambda n: n.add_pipe("x", "n1", Q_(1, "m"), **PIPE_OK), InputError, r"end nodes: .*is not a name"),
    ("pipe self loop", lambda n: n.add_pipe("x", "n1", "n1", **PIPE_OK), TopologyError, r"runs from node 'n1' to itself"),
    ("pipe misspelt kwarg", lambda n: n.add_pipe("x", "n1", "n2", lenght=Q_(1, "m"), diameter=Q_(1, "cm")), InputError, r"no argument 'lenght'.*Did you mean 'length'"),
    ("pipe missing kwarg", lambda n: n.add_pipe("x", "n1", "n2", length=Q_(1, "m")), InputError, r"missing a required argument: 'diameter'"),
    ("pipes wrong length array", _pipes(length=Q_([1, 2, 3], "m")), InputError, r"length has 3 values but 2 components"),
    ("pipes list of Quantities mixed", _pipes(length=[Q_(1, "m"), Q_(2, "kg")]), UnitError, r"length: element 1 .*cannot be converted"),
    ("pipes list with a bare number", _pipes(length=[Q_(1, "m"), 2.0]), UnitError, r"length: element 1 .*no units"),
    ("pipes one negative", _pipes(length=Q_([1, -2], "m")), InputError, r"length=-2 m for 'x2'"),
    ("pipes duplicate names", lambda n: n.add_pipes(["x", "x"], ["n1", "n2"], ["n2", "n3"], **PIPE_OK), TopologyError, r"duplicate edge name 'x' within one call"),
    ("pipes starts too few", lambda n: n.add_pipes(["x1", "x2", "x3"], ["n1", "n2"], ["n2", "n3", "n4"], **PIPE_OK), InputError, r"3 edges, 2 start nodes"),
    ("pipes names dict", lambda n: n.add_pipes({"x": 1}, ["n1"], ["n2"], **PIPE_OK), InputError, r"names=\{'x': 1\} must be a name"),
    ("pipes names None", lambda n: n.add_pipes(None, ["n1"], ["n2"], **PIPE_OK), InputError, r"names=None must be a name"),
    # pumps
    ("pump nothing given", _pump(), InputError, r"exactly one of curve=, flow=, head= or power="),
    ("pump two given", _pump(flow=Q_(1, "kg/s"), head=Q_(5, "m")), InputError, r"exactly one of curve=, flow=, head= or power= \(got 2\)"),
    ("pump power negative", _pump(power=Q_(-1, "kW")), InputError, r"power=-1000 W for 'x' must be positive and finite"),
    ("pump power bare", _pump(power=3000), UnitError, r"power=3000 has no units"),
    ("pump power NaN", _pump(power=Q_(NAN, "W")), UnitError, r"power contains non-finite"),
    ("pump shutoff head without power", _pump(head=Q_(5, "m"), shutoff_head=Q_(50, "m")), InputError, r"shutoff_head=.*applies only to a constant-power pump"),
    ("pump shutoff head zero", _pump(power=Q_(1, "kW"), shutoff_head=Q_(0, "m")), InputError, r"shutoff_head=0 .*positive"),
    ("pumps power and curve", lambda n: n.add_pumps(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], power=Q_(1, "kW"), curve=(Q_([0, 1, 2], "m^3/h"), Q_([3, 2, 1], "m"))), InputError, r"exactly one of"),
    # pressure-regulating valves (a valve and its control: neither is added)
    ("prv setting bare", lambda n: n.add_pressure_reducing_valve("x", "n1", "n2", setting=3, kvs=Q_(10, "m^3/h")), UnitError, r"setting=3 has no units"),
    ("prv setting negative", lambda n: n.add_pressure_reducing_valve("x", "n1", "n2", setting=Q_(-1, "bar"), kvs=Q_(10, "m^3/h")), InputError, r"setting=-100000 Pa for 'x' must be a positive absolute pressure"),
    ("prv setting a head", lambda n: n.add_pressure_reducing_valve("x", "n1", "n2", setting=Q_(30, "m"), kvs=Q_(10, "m^3/h")), UnitError, r"setting=.*dimension"),
    ("prv kvs negative", lambda n: n.add_pressure_reducing_valve("x", "n1", "n2", setting=Q_(3, "bar"), kvs=Q_(-10, "m^3/h")), InputError, r"kvs=.*positive"),
    ("prv rangeability 1", lambda n: n.add_pressure_reducing_valve("x", "n1", "n2", setting=Q_(3, "bar"), kvs=Q_(10, "m^3/h"), rangeability=1.0), InputError, r"rangeability=1 .*larger than 1"),
    ("prv to itself", lambda n: n.add_pressure_reducing_valve("x", "n1", "n1", setting=Q_(3, "bar"), kvs=Q_(10, "m^3/h")), TopologyError, r"runs from node 'n1' to itself"),
    ("prv named as an edge", lambda n: n.add_pressure_reducing_valve("pipe", "n1", "n2", setting=Q_(3, "bar"), kvs=Q_(10, "m^3/h")), TopologyError, r"duplicate edge name 'pipe'"),
    ("psv misspelt", lambda n: n.add_pressure_sustaining_valve("x", "n1", "n2", setting=Q_(3, "bar"), kv=Q_(10, "m^3/h")), InputError, r"no argument 'kv'"),
    ("prvs settings wrong length", lambda n: n.add_pressure_reducing_valves(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], setting=Q_([3, 3, 3], "bar"), kvs=Q_(10, "m^3/h")), InputError, r"setting has 3 values but 2"),
    ("psvs second setting negative", lambda n: n.add_pressure_sustaining_valves(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], setting=Q_([3, -3], "bar"), kvs=Q_(10, "m^3/h")), InputError, r"setting=-300000 Pa for 'x2'"),
    ("pbv drop negative", lambda n: n.add_pressure_breaker_valve("x", "n1", "n2", drop=Q_(-5, "m")), InputError, r"drop=-5 .*positive and finite"),
    ("pbv drop bare", lambda n: n.add_pressure_breaker_valve("x", "n1", "n2", drop=5), UnitError, r"drop=5 has no units"),
    ("pbvs drop wrong length", lambda n: n.add_pressure_breaker_valves(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], drop=Q_([1, 2, 3], "m")), InputError, r"drop has 3 values but 2"),
    ("pump flow bare", _pump(flow=1.0), UnitError, r"flow=1.0 has no units"),
    ("pump flow wrong unit", _pump(flow=Q_(1, "m")), UnitError, r"flow=.*mass flow .* volume flow"),
    ("pump flow negative", _pump(flow=Q_(-1, "kg/s")), InputError, r"flow=-1 .*reverse the pump's start and end"),
    ("pump flow zero", _pump(flow=Q_(0, "kg/s")), InputError, r"flow=0 .*positive"),
    ("pump flow NaN", _pump(flow=Q_(NAN, "kg/s")), UnitError, r"flow contains non-finite"),
    ("pump head bare", _pump(head=5), UnitError, r"head=5 has no units"),
    ("pump head negative", _pump(head=Q_(-5, "m")), InputError, r"head=-5 .*positive"),
    ("pump head inf", _pump(head=Q_(INF, "m")), UnitError, r"head contains non-finite"),
    ("pump speed zero", _pump(head=Q_(5, "m"), speed=0.0), InputError, r"speed=0 for 'x' must be positive"),
    ("pump speed str", _pump(head=Q_(5, "m"), speed="fast"), UnitError, r"speed='fast' could not be parsed"),
    ("pump speed dict", _pump(head=Q_(5, "m"), speed={"a": 1}), UnitError, r"speed=.* is not a number"),
    ("pump efficiency 2", _pump(head=Q_(5, "m"), efficiency=2.0), InputError, r"efficiency=2 for 'x' must be in \(0, 1\]"),
    ("pump efficiency percent", _pump(head=Q_(5, "m"), efficiency=Q_(70, "m")), UnitError, r"efficiency=.*expected dimensionless"),
    ("pump motor efficiency 0", _pump(head=Q_(5, "m"), motor_efficiency=0.0), InputError, r"motor_efficiency=0 .*\(0, 1\]"),
    ("pump curve not a pair", _pump(curve=Q_([1, 2, 3], "m")), InputError, r"curve must be a pair \(flows, heads\)"),
    ("pump curve of lengths", _pump(curve=Q_([1, 2], "m")), UnitError, r"curve flows=1 meter has dimension \[length\]"),
    ("pump curve rising", _pump(curve=(Q_([0, 1], "m^3/h"), Q_([1, 2], "m"))), InputError, r"head must fall with flow"),
    ("pump curve lengths", _pump(curve=(Q_([0, 1, 2], "m^3/h"), Q_([3, 2], "m"))), InputError, r"different lengths"),
    ("pump curve one point", _pump(curve=(Q_([1], "m^3/h"), Q_([3], "m"))), InputError, r"at least 2 points"),
    ("pump curve flows bare", _pump(curve=([0, 1, 2], Q_([3, 2, 1], "m"))), UnitError, r"curve flows=.*no units"),
    ("pump curve decreasing flows", _pump(curve=(Q_([2, 1, 0], "m^3/h"), Q_([3, 2, 1], "m"))), InputError, r"strictly increasing"),
    ("pump misspelt kwarg", _pump(hed=Q_(5, "m")), InputError, r"no argument 'hed'.*Did you mean 'head'"),
    ("pumps two kinds", lambda n: n.add_pumps(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], head=Q_([1, 2], "m"), flow=Q_(1, "kg/s")), InputError, r"exactly one of"),
    ("pumps speed wrong length", lambda n: n.add_pumps(["x1", "x2"], ["n1", "n2"], ["n2", "n3"], head=Q_(5, "m"), speed=[1.0, 1.0, 1.0]), InputError, r"speed has 3 values but 2"),
    # valves
    ("valve kvs bare", _valve(kvs=10), UnitError, r"kvs=10 has no units"),
    ("valve kvs negative", _valve(kvs=Q_(-1, "m^3/h")), InputError, r"kvs=.*positive"),
    ("valve opening 1.5", _valve(opening=1.5), InputError, r"opening=1.5 for 'x' must be in \[0, 1\]"),
    ("valve opening negative", _valve(opening=-0.1), InputError, r"opening=-0.1 .*\[0, 1\]"),
    ("valve opening NaN", _valve(opening=NAN), UnitError, r"opening contains non-finite"),
    ("valve opening list", _valve(opening=[0.5, 0.5]), InputError, r"opening has 2 values but 1"),
    ("valve characteristic unknown", _valve(characteristic="linearish"), InputError, r"characteristic='linearish' is not one of"),
    ("valve rangeability 1", _valve(rangeability=1.0), InputError, r"rangeability=1 .*"),
    # cold plates
    ("cold plate heat bare", _cp(heat=1000), UnitError, r"heat=1000 has no units"),
    ("cold plate heat negative", _cp(heat=Q_(-1, "kW")), InputError, r"heat=-1000 .*"),
    ("cold plate resistance wrong unit", _cp(thermal_resistance=Q_(1, "W/K")), UnitError, r"thermal_resistance=.*dimension"),
    ("cold plate resistance zero", _cp(thermal_resistance=Q_(0, "K/W")), InputError, r"thermal_resistance=0 .*positive"),
    ("cold plate rated flow zero", _cp(rated_flow=Q_(0, "L/min")), InputError, r"rated_flow=0 .*positive"),
    ("cold plate rated flow wrong unit", _cp(rated_flow=Q_(1, "kW")), UnitError, r"rated_flow=.*mass flow"),
    ("cold plate pressure drop negative", _cp(rated_pressure_drop=Q_(-20, "kPa")), InputError, r"pressure_drop=-20000 .*positive"),
    ("cold plate exponent 5", _cp(pressure_exponent=5.0), InputError, r"pressure_exponent=5 .*\[1, 2.5\]"),
    ("cold plate max chip delta", _cp(max_chip_temperature=Q_(80, "delta_degC")), UnitError, r"max_chip_temperature=.*temperature difference"),
    ("cold plate max chip below 0 K", _cp(max_chip_temperature=Q_(-300, "degC")), UnitError, r"below absolute zero"),
    ("cold plate misspelt volume", _cp(volme=Q_(40, "mL")), InputError, r"no argument 'volme'.*Did you mean 'volume'"),
    ("cold plates heat array length", _cps(heat=Q_([1, 2, 3], "kW")), InputError, r"heat has 3 values but 2"),
    ("cold plates heat list of Quantities with None", _cps(heat=[Q_(1, "kW"), None]), UnitError, r"heat: element 1 .*no units"),
    # heat loads and set-points
    ("heat load heat bare", _hl(heat=2.0), UnitError, r"heat=2.0 has no units"),
    ("heat load heat inf", _hl(heat=Q_(INF, "kW")), UnitError, r"heat contains non-finite"),
    ("heat load drop without flow", _hl(pressure_drop=Q_(1, "kPa")), InputError, r"needs both the pressure drop and the rated flow"),
    ("heat loads mixed rated", lambda n: n.add_heat_loads(["x1", "x2"], ["n1", "n1"], ["n2", "n2"], heat=Q_(1, "kW"), pressure_drop=Q_([1, NAN], "kPa"), rated_flow=Q_(1, "kg/s")), UnitError, r"pressure_drop contains non-finite"),
    ("set-point temperature bare", _sp(outlet_temperature=20), UnitError, r"outlet_temperature=20 has no units"),
    ("set-point temperature delta", _sp(outlet_temperature=Q_(20, "delta_degC")), UnitError, r"temperature difference"),
    ("set-point temperature 0 K", _sp(outlet_temperature=Q_(0, "K")), UnitError, r"at or below absolute zero"),
    # heat exchangers
    ("hx ua and effectiveness", _hx(effectiveness=0.5), InputError, r"exactly one of ua= or effectiveness="),
    ("hx ua bare", _hx(ua=1000.0), UnitError, r"ua=1000.0 has no units"),
    ("hx ua negative", _hx(ua=Q_(-1, "kW/K")), InputError, r"ua=-1000 W/K for 'x' must be"),
    ("hx ua wrong unit", _hx(ua=Q_(1, "kW")), UnitError, r"ua=.*dimension"),
    ("hx effectiveness 1.5", lambda n: n.add_heat_exchanger("x", ("n1", "n2"), ("n3", "n4"), effectiveness=1.5), InputError, r"effectiveness=1.5 .*\(0, 1\]"),
    ("hx arrangement unknown", _hx(arrangement="zigzag"), InputError, r"arrangement='zigzag'"),
    ("hx hot a two-letter string", lambda n: n.add_heat_exchanger("x", "n1", ("n3", "n4"), ua=Q_(1, "kW/K")), InputError, r"hot='n1' must be a pair"),
    ("hx hot None", lambda n: n.add_heat_exchanger("x", None, ("n3", "n4"), ua=Q_(1, "kW/K")), InputError, r"hot must be a pair"),
    ("hx cold names not strings", lambda n: n.add_heat_exchanger("x", ("n1", "n2"), (1, 2), ua=Q_(1, "kW/K")), InputError, r"cold must be a pair|is not a name"),
    ("hxs pairs count", lambda n: n.add_heat_exchangers(["x1", "x2"], [("n1", "n2")] * 3, ("n3", "n4"), ua=Q_(1, "kW/K")), InputError, r"hot must be a pair .* one pair per component \(2\)"),
    # heat pumps
    ("hp supply bare", _hp(supply_temperature=80), UnitError, r"supply_temperature=80 has no units"),
    ("hp efficiency 0", _hp(efficiency=0.0), InputError, r"efficiency=0 .*\(0, 1\]"),
    ("hp capacity negative", _hp(capacity=Q_(-1, "MW")), InputError, r"capacity=-1e\+06 W .*positive"),
    ("hp model unknown", _hp(model="magic"), InputError, r"model='magic'"),
    ("hp stages 3", _hp(stages=3), InputError, r"stages=3 .*1 or 2"),
    ("hp approach absolute", _hp(evaporator_approach=Q_(3, "degC")), UnitError, r"evaporator_approach=.*absolute temperature"),
    # consumers
    ("consumer two controls", _cons(mass_flow=Q_(1, "kg/s")), InputError, r"exactly one of delta_t=, return_temperature= or mass_flow="),
    ("consumer heat negative", _cons(heat=Q_(-1, "kW")), InputError, r"heat=-1000 .*"),
    ("consumer delta_t absolute", _cons(delta_t=Q_(30, "degC")), UnitError, r"delta_t=.*absolute temperature"),
    ("consumer delta_t zero", _cons(delta_t=Q_(0, "K")), InputError, r"delta_t=0 .*positive"),
    # boundaries and nodes
    ("tank pressure bare", lambda n: n.add_expansion_tank("n1", pressure=2e5), UnitError, r"pressure=200000.0 has no units"),
    ("tank pressure negative", lambda n: n.add_expansion_tank("n1", pressure=Q_(-1, "bar")), InputError, r"pressure=-100000.0 Pa must be a positive absolute"),
    ("tank pressure NaN", lambda n: n.add_expansion_tank("n1", pressure=Q_(NAN, "bar")), UnitError, r"pressure contains non-finite"),
    ("tank node None", lambda n: n.add_expansion_tank(None, pressure=Q_(1, "bar")), InputError, r"node: None is not a name"),
    ("tanks pressure length", lambda n: n.add_expansion_tanks(["n1", "n2"], pressure=Q_([1, 2, 3], "bar")), InputError, r"pressure has 3 values for 2 nodes"),
    ("pressure boundary temperature bare", lambda n: n.add_pressure_boundary("n1", pressure=Q_(1, "bar"), temperature=8), UnitError, r"temperature=8 has no units"),
    ("pressure boundary temperature delta", lambda n: n.add_pressure_boundary("n1", pressure=Q_(1, "bar"), temperature=Q_(8, "delta_degC")), UnitError, r"temperature difference"),
    ("flow boundary flow wrong unit", lambda n: n.add_flow_boundary("n1", mass_flow=Q_(1, "m"), temperature=Q_(8, "degC")), UnitError, r"mass_flow=.*mass flow"),
    ("flow boundary flow NaN", lambda n: n.add_flow_boundary("n1", mass_flow=Q_(NAN, "kg/s"), temperature=Q_(8, "degC")), UnitError, r"mass_flow contains non-finite"),
    ("flow boundaries same node twice", lambda n: n.add_flow_boundaries(["n1", "n1"], mass_flow=Q_(1, "kg/s"), temperature=Q_(8, "degC")), TopologyError, r"same node is named twice"),
    ("node elevation bare", lambda n: n.add_node("n9", elevation=3), UnitError, r"elevation=3 has no units"),
    ("node elevation NaN", lambda n: n.add_node("n9", elevation=Q_(NAN, "m")), UnitError, r"elevation contains non-finite"),
    ("nodes elevation length", lambda n: n.add_nodes(["n8", "n9"], elevation=Q_([1, 2, 3], "m")), InputError, r"elevation has 3 values for 2 nodes"),
    ("set_fluid not a fluid", lambda n: n.set_fluid("n1", "water"), InputError, r"'water' is not a fluid; use nt.fluids.water\(\)"),
    ("set_fluid node int", lambda n: n.set_fluid(5, W), InputError, r"node: 5 is not a name"),
    ("add not a component", lambda n: n.add("pipe", ["n1"], ["n2"]), InputError, r"'pipe' is not a component"),
    ("add_boundary not a boundary", lambda n: n.add_boundary("n1", 2.0), InputError, r"2.0 is not a boundary"),
    # controls
    ("control actuator unknown kind", lambda n: n.add_control("c", actuator=("pump_power", "pump"), target=("temperature", "a"), setpoint=Q_(20, "degC"), bounds=(0.1, 1)), InputError, r"actuator 'pump_power' is not one of"),
    ("control target unknown kind", lambda n: n.add_control("c", actuator=("pump_speed", "pump"), target=("colour", "a"), setpoint=Q_(20, "degC"), bounds=(0.1, 1)), InputError, r"target 'colour' is not one of"),
    ("control bounds reversed", lambda n: n.add_control("c", actuator=("pump_speed", "pump"), target=("temperature", "a"), setpoint=Q_(20, "degC"), bounds=(1, 0.1)), InputError, r"low < high"),
    ("control bounds not a pair", lambda n: n.add_control("c", actuator=("pump_speed", "pump"), target=("temperature", "a"), setpoint=Q_(20, "degC"), bounds=0.5), InputError, r"bounds must be a pair"),
    ("control setpoint bare", lambda n: n.add_control("c", actuator=("pump_speed", "pump"), target=("temperature", "a"), setpoint=20, bounds=(0.1, 1)), UnitError, r"setpoint=20 has no units"),
    ("control opening bounds", lambda n: n.add_control("c", actuator=("valve_opening", "valve"), target=("temperature", "a"), setpoint=Q_(20, "degC"), bounds=(0.1, 2)), InputError, r"valve opening bounds must lie in \[0, 1\]"),
]


@pytest.mark.parametrize("label,call,exc,match", BAD_ADD, ids=[b[0] for b in BAD_ADD])
def test_bad_add_is_refused_and_changes_nothing(label, call, exc, match):
    net = loop()
    before = snapshot(net)
    expect(exc, match, lambda: call(net))
    assert snapshot(net) == before


def test_topology_found_at_compile_names_the_component():
    # circuits are known only once the network is complete, so this is found by the
    # solve (compile), which changes nothing either
    net = loop()
    net.add_heat_exchanger("x", ("a", "b"), ("c", "d"), ua=Q_(1, "kW/K"))
    before = snapshot(net)
    expect(TopologyError, r"heat exchanger 'x' has both sides in circuit 0", net.solve)
    assert snapshot(net) == before


# ----------------------------------------------------------------------------
# 2. duplicate names of every kind
# ----------------------------------------------------------------------------
DUPLICATES = [
    ("edge", lambda n: n.add_pipe("pipe", "x", "y", **PIPE_OK), r"duplicate edge name 'pipe'"),
    ("edge named as a heat exchanger", lambda n: n.add_pipe("hx", "x", "y", **PIPE_OK), r"duplicate edge name 'hx'"),
    ("edge named as a heat-exchanger side", lambda n: n.add_pipe("hx:hot", "x", "y", **PIPE_OK), r"duplicate edge name 'hx:hot'"),
    ("heat exchanger named as an edge", lambda n: n.add_heat_exchanger("pipe", ("x", "y"), ("u", "v"), ua=Q_(1, "kW/K")), r"duplicate heat exchanger name 'pipe'"),
    ("heat exchanger", lambda n: n.add_heat_exchanger("hx", ("x", "y"), ("u", "v"), ua=Q_(1, "kW/K")), r"duplicate heat exchanger name 'hx'"),
    ("heat pump named as a heat exchanger", lambda n: n.add_heat_pump("hx", ("x", "y"), ("u", "v"), supply_temperature=Q_(80, "degC")), r"duplicate heat pump name 'hx'"),
    ("pump", lambda n: n.add_pump("pump", "x", "y", head=Q_(1, "m")), r"duplicate edge name 'pump'"),
    ("cold plate", lambda n: n.add_cold_plate("gpu", "x", "y", **CP_OK), r"duplicate edge name 'gpu'"),
    ("within a plural call", lambda n: n.add_valves(["v1", "v1"], ["x", "y"], ["y", "z"], kvs=Q_(1, "m^3/h")), r"duplicate edge name 'v1' within one call"),
    ("node elevation twice", lambda n: (n.add_node("q", elevation=Q_(1, "m")), n.add_node("q", elevation=Q_(2, "m"))), r"duplicate node name 'q'"),
    ("nodes within a plural call", lambda n: n.add_nodes(["q", "q"], elevation=Q_(1, "m")), r"duplicate node name 'q'"),
    ("second expansion tank on a node", lambda n: n.add_expansion_tank("a", pressure=Q_(1, "bar")), r"node 'a' already has a pressure reference"),
    ("flow boundary on a pressure boundary", lambda n: n.add_flow_boundary("s0", mass_flow=Q_(1, "kg/s"), temperature=Q_(8, "degC")), r"node 's0' already has a pressure reference"),
    ("control", lambda n: [n.add_control("c", actuator=("valve_opening", "valve"), target=("temperature", "e"), setpoint=Q_(30, "degC"), bounds=(0.1, 1)) for _ in range(2)], r"duplicate control name 'c'"),
    ("pressure-reducing valve named as a control", lambda n: (n.add_control("c", actuator=("valve_opening", "valve"), target=("pressure", "d"), setpoint=Q_(2, "bar"), bounds=(0, 1)), n.add_pressure_reducing_valve("c", "x", "y", setting=Q_(2, "bar"), kvs=Q_(5, "m^3/h"))), r"duplicate control name 'c': a pressure-reducing valve adds a control of its own name"),
]


@pytest.mark.parametrize("label,call,match", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_duplicate_names_are_refused(label, call, match):
    net = loop()
    expect(TopologyError, match, lambda: call(net))


def test_duplicate_heat_pump_names():
    net = loop()
    net.add_heat_pump("h", ("x", "y"), ("u", "v"), supply_temperature=Q_(80, "degC"))
    before = snapshot(net)
    expect(TopologyError, r"duplicate heat pump name 'h'",
           lambda: net.add_heat_pump("h", ("x2", "y2"), ("u2", "v2"),
                                     supply_temperature=Q_(80, "degC")))
    assert snapshot(net) == before


# ----------------------------------------------------------------------------
# 3. changes after a solve that fail halfway: file and re-solve as before
# ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The reference loop, solved, its file bytes and its solution."""
    net = loop()
    res = net.solve()
    path = tmp_path_factory.mktemp("ref") / "loop.yaml"
    nt.save_network(net, path)
    return path.read_bytes(), res.state.temperature.copy(), res.state.mass_flow.copy()


FAILED_UPDATES = [
    ("two kinds, second value bad", lambda n: n.update(["load", "gpu"], heat=[Q_(5, "kW"), Q_(-1, "kW")]), InputError, r"heat=-1000 .*'gpu'"),
    ("a list of Quantities of two dimensions", lambda n: n.update(["load", "gpu"], heat=[Q_(5, "kW"), Q_(1, "m")]), UnitError, r"heat: element 1 .*cannot be converted"),
    ("a parameter one kind lacks", lambda n: n.update(["load", "pipe"], heat=Q_(5, "kW")), InputError, r"edge 'pipe' \(pipe\) has no 'heat' parameter; a pipe can change \['ambient'\]"),
    ("speed on a valve", lambda n: n.update(["pump", "valve"], speed=0.5), InputError, r"edge 'valve' \(valve\) has no 'speed'"),
    ("second keyword bad", lambda n: n.update("valve", opening=0.5, speed=0.5), InputError, r"no 'speed' parameter"),
    ("good heat, unparsable limit", lambda n: n.update("gpu", heat=Q_(3, "kW"), max_chip_temperature="hot"), UnitError, r"max_chip_temperature='hot'"),
    ("unknown second name", lambda n: n.update(["load", "nope"], heat=Q_(3, "kW")), TopologyError, r"unknown edge name 'nope'"),
    ("a node name", lambda n: n.update(["load", "a"], heat=Q_(3, "kW")), TopologyError, r"'a' is a node, not an? edge"),
    ("NaN heat", lambda n: n.update("load", heat=Q_(NAN, "kW")), UnitError, r"heat contains non-finite"),
    ("wrong number of values", lambda n: n.update(["load", "gpu"], heat=Q_([1, 2, 3], "kW")), InputError, r"heat has 3 values for 2 names"),
    ("curve that rises", lambda n: n.update("pump", curve=(Q_([0, 1], "m^3/h"), Q_([1, 2], "m"))), InputError, r"head must fall with flow"),
    ("flow of another basis", lambda n: n.update("spump", flow=Q_(1, "L/s")), InputError, r"was given a mass flow; give the same kind"),
    ("negative ua", lambda n: n.update("hx", ua=Q_(-1, "kW/K")), InputError, r"ua=-1000 W/K"),
    ("effectiveness 1.5", lambda n: n.update_exchanger("hx", effectiveness=1.5), InputError, r"effectiveness=1.5"),
    ("exchanger with both", lambda n: n.update_exchanger("hx", ua=Q_(1, "kW/K"), effectiveness=0.5), InputError, r"exactly one of ua= or effectiveness="),
    ("exchanger that is a pipe", lambda n: n.update_exchanger("pipe", ua=Q_(1, "kW/K")), TopologyError, r"unknown heat exchanger name 'pipe'"),
    ("opening 2", lambda n: n.update("valve", opening=2), InputError, r"opening=2 for 'valve'"),
    ("speed as a dict", lambda n: n.update("pump", speed={"a": 1}), UnitError, r"speed=.*is not a number"),
    ("speed None", lambda n: n.update("pump", speed=None), UnitError, r"speed(=None: give a value| contains non-finite values \(None\))"),
    ("unknown keyword", lambda n: n.update("pump", sped=0.5), InputError, r"'sped' cannot be changed this way; updatable parameters are"),
    ("same component twice", lambda n: n.update(["load", "load"], heat=Q_([1, 2], "kW")), InputError, r"name the same component twice"),
    ("a heat exchanger and its side", lambda n: n.update(["hx", "hx:hot"], ua=Q_(1, "kW/K")), InputError, r"name the same component twice"),
    ("boundary: good temperature, bad pressure", lambda n: n.update_boundary("s0", temperature=Q_(5, "degC"), pressure=Q_(-1, "bar")), InputError, r"pressure=-100000.0 Pa must be a positive"),
    ("boundary: temperature of a tank", lambda n: n.update_boundary("a", pressure=Q_(3, "bar"), temperature=Q_(5, "degC")), InputError, r"expansion tank, which has no 'temperature'"),
    ("boundary: unknown node", lambda n: n.update_boundary("zz", pressure=Q_(3, "bar")), TopologyError, r"unknown node name 'zz'"),
    ("boundary: an edge name", lambda n: n.update_boundary("pipe", pressure=Q_(3, "bar")), TopologyError, r"'pipe' is an? edge, not a node"),
    ("boundary: no boundary there", lambda n: n.update_boundary("c", pressure=Q_(3, "bar")), InputError, r"node 'c' has no boundary"),
    ("boundary: bare number", lambda n: n.update_boundary("s0", pressure=3), UnitError, r"pressure=3 has no units"),
    ("control: unknown name", lambda n: n.update_control("nope", setpoint=Q_(1, "degC")), InputError, r"unknown control name 'nope': .* The network has no control"),
    ("unknown name lists the valid ones", lambda n: n.update_exchanger("zzz", ua=Q_(1, "kW/K")), TopologyError, r"unknown heat exchanger name 'zzz': .* The heat exchangers are 'hx'"),
    ("names None", lambda n: n.update(None, heat=Q_(1, "kW")), InputError, r"names=None must be a name"),
]


@pytest.mark.parametrize("label,call,exc,match", FAILED_UPDATES, ids=[f[0] for f in FAILED_UPDATES])
def test_failed_change_after_a_solve_changes_nothing(label, call, exc, match, solved, tmp_path):
    ref_file, ref_T, ref_m = solved
    net = loop()
    net.solve()
    expect(exc, match, lambda: call(net))
    nt.save_network(net, tmp_path / "after.yaml")
    assert (tmp_path / "after.yaml").read_bytes() == ref_file
    res = net.solve()
    np.testing.assert_allclose(res.state.temperature, ref_T, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.state.mass_flow, ref_m, rtol=1e-9, atol=1e-12)


def test_failed_controls_leave_the_network_as_saved(tmp_path):
    """A solve whose controls fail must not leave trial actuator values behind: the
    next solve equals the solve of the saved file."""
    net = loop()
    net.add_control("c", actuator=("valve_opening", "valve"), target=("temperature", "e"),
                    setpoint=Q_(20, "degC"), bounds=(0.01, 1.0))
    with pytest.raises(ConvergenceError, match=r"controls did not converge in 1 iterations") as err:
        net.solve(max_control=1)
    assert err.value.result is not None and "NOT CONVERGED" in err.value.result.summary()
    nt.save_network(net, tmp_path / "n.yaml")
    again = nt.load_network(tmp_path / "n.yaml")
    a = net.compile().hgroups[nt.components.HydraulicLaw.VALVE_KV].params["opening"]
    b = again.compile().hgroups[nt.components.HydraulicLaw.VALVE_KV].params["opening"]
    np.testing.assert_array_equal(a, b)


def test_old_result_does_not_change_after_update():
    net = loop()
    res = net.solve()
    p0 = res.pump_power("pump").m
    net.update("pump", efficiency=0.35)
    assert res.pump_power("pump").m == p0
    assert net.solve().pump_power("pump").m == pytest.approx(2 * p0, rel=1e-6)


# ----------------------------------------------------------------------------
# 4. boundaries that change a closed circuit's balance
# ----------------------------------------------------------------------------
def _closed_with_flows(second=Q_(-1, "kg/s")):
    n = nt.Network("fb", fluid=W)
    n.add_pipe("p1", "a", "b", length=Q_(10, "m"), diameter=Q_(30, "mm"))
    n.add_pipe("p2", "b", "c", length=Q_(10, "m"), diameter=Q_(30, "mm"))
    n.add_setpoint("sp", "c", "a", outlet_temperature=Q_(20, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    n.add_flow_boundary("b", mass_flow=Q_(1, "kg/s"), temperature=Q_(20, "degC"))
    n.add_flow_boundary("c", mass_flow=second, temperature=Q_(20, "degC"))
    return n


@pytest.mark.parametrize("solve_first", [True, False], ids=["after a solve", "before any solve"])
def test_unbalancing_flow_boundary_update_is_refused(solve_first):
    net = _closed_with_flows()
    if solve_first:
        net.solve()
    before = snapshot(net)
    expect(TopologyError, r"fixed flows cannot balance in circuit 0",
           lambda: net.update_boundary("b", mass_flow=Q_(2, "kg/s")))
    assert snapshot(net) == before
    res = net.solve()
    assert net.boundaries["b"].flow == 1.0
    assert all(b["mass_relative"] < 1e-9 for b in res.balance.values())


def test_flow_boundary_update_of_another_basis_is_refused():
    net = _closed_with_flows()
    net.solve()
    before = snapshot(net)
    expect(InputError, r"given as a mass flow; give a mass flow",
           lambda: net.update_boundary("b", mass_flow=Q_(1, "L/s")))
    assert snapshot(net) == before


@pytest.mark.parametrize("second", [Q_(-1, "L/s"), Q_(-1.0025, "L/s")], ids=["1 L/s", "1.0025 L/s"])
def test_volume_flow_boundaries_in_a_closed_circuit_are_refused(second):
    net = _closed_with_flows(second)
    expect(TopologyError, r"are volume flows: in a closed circuit .* mass flows", net.solve)


def test_boundary_and_setpoint_changes_after_a_solve_are_kept_and_flagged():
    # a seawater intake cooled by a Norwegian winter: −1.5 °C is liquid and kept
    n = nt.Network("intake", fluid=SW)
    n.add_pump("pump", "in", "a", flow=Q_(1, "kg/s"))
    n.add_heat_load("hx", "a", "out", heat=Q_(10, "kW"))
    n.add_pressure_boundary("in", pressure=Q_(1, "bar"), temperature=Q_(6, "degC"))
    n.add_pressure_boundary("out", pressure=Q_(1, "bar"), temperature=Q_(6, "degC"))
    n.solve()
    n.update_boundary("in", temperature=Q_(-1.5, "degC"))
    r = n.solve()
    assert r.temperature("in").m_as("degC") == pytest.approx(-1.5, abs=1e-9)
    assert "freezing" not in kinds(r)
    n.update_boundary("in", temperature=Q_(-2.5, "degC"))
    n.update("hx", heat=Q_(0, "kW"))
    r = n.solve()
    assert r.temperature("out").m_as("degC") == pytest.approx(-2.5, abs=1e-9)
    assert "freezing" in kinds(r)


def test_flow_control_in_a_closed_circuit_is_refused():
    # a control turning one flow boundary of a closed circuit would unbalance it
    # every step; the tank would silently take the difference
    net = _closed_with_flows()
    net.add_control("c", actuator=("boundary_flow", "b"), target=("temperature", "c"),
                    setpoint=Q_(20, "degC"), bounds=(Q_(0.5, "kg/s"), Q_(2, "kg/s")))
    before = snapshot(net)
    expect(InputError, r"flow boundary at node 'b' is in a closed circuit", net.solve)
    assert snapshot(net) == before


def test_balanced_flow_update_is_accepted_and_solved():
    net = _closed_with_flows()
    net.solve()
    net.update_boundary("b", mass_flow=Q_(1, "kg/s"), temperature=Q_(25, "degC"))
    # no pump: the 1 kg/s entering at b leaves at c; b holds the inflow temperature
    assert net.solve().temperature("b").m_as("degC") == pytest.approx(25.0, abs=1e-6)


# ----------------------------------------------------------------------------
# 5. physics extremes: flagged, never clamped, never "converged" on NaN
# ----------------------------------------------------------------------------
SW = nt.fluids.seawater("35 g/kg")
PG = nt.fluids.propylene_glycol(0.25)


def _open_line(fluid, t_in, heat=Q_(0, "kW"), flow=Q_(1, "kg/s"), p=Q_(1, "bar")):
    n = nt.Network("open", fluid=fluid)
    n.add_heat_load("hl", "in", "out", heat=heat)
    n.add_flow_boundary("in", mass_flow=flow, temperature=t_in)
    n.add_pressure_boundary("out", pressure=p, temperature=Q_(10, "degC"))
    return n.solve()


def _setpoint_loop(fluid, t_set, p=Q_(2, "bar")):
    n = nt.Network("set", fluid=fluid)
    n.add_pump("pump", "a", "b", head=Q_(5, "m"))
    n.add_pipe("pipe", "b", "c", length=Q_(10, "m"), diameter=Q_(25, "mm"))
    n.add_setpoint("cool", "c", "a", outlet_temperature=t_set)
    n.add_expansion_tank("a", pressure=p)
    return n.solve()


def kinds(res):
    return {f.kind for f in res.flags}


INFLOWS = [  # fluid, inflow °C, frozen?
    (SW, -1.5, False), (SW, -1.9, False), (SW, -2.5, True), (SW, -10.0, True),
    (W, 0.0, False), (W, -0.5, True), (W, -5.0, True),
    (PG, -5.0, False), (PG, -9.7, False), (PG, -12.0, True), (PG, -30.0, True),
]


@pytest.mark.parametrize("fluid,t,frozen", INFLOWS,
                         ids=[f"{f.name} {t:g} degC" for f, t, _ in INFLOWS])
def test_inflow_temperature_is_kept_and_freezing_flagged(fluid, t, frozen):
    res = _open_line(fluid, Q_(t, "degC"))
    assert res.temperature("in").m_as("degC") == pytest.approx(t, abs=1e-9)
    assert res.temperature("out").m_as("degC") == pytest.approx(t, abs=1e-9)
    assert ("freezing" in kinds(res)) == frozen
    if frozen:
        f = next(f for f in res.flags if f.kind == "freezing")
        assert "in" in f.elements and "freezing point" in f.message


SETPOINTS = [(W, -5.0, True), (W, 0.5, False), (SW, -1.5, False), (SW, -3.0, True),
             (PG, -20.0, True), (PG, -8.0, False)]


@pytest.mark.parametrize("fluid,t,frozen", SETPOINTS,
                         ids=[f"{f.name} {t:g} degC" for f, t, _ in SETPOINTS])
def test_setpoint_temperature_is_kept_and_freezing_flagged(fluid, t, frozen):
    res = _setpoint_loop(fluid, Q_(t, "degC"))
    assert res.temperature("a").m_as("degC") == pytest.approx(t, abs=1e-6)
    assert ("freezing" in kinds(res)) == frozen


def test_cooling_below_freezing_is_flagged_with_the_true_temperature():
    # 1 kg/s of seawater at 2 °C losing 20 kW falls by 20/3.99 = 5.0 K to about -3 °C
    res = _open_line(SW, Q_(2, "degC"), heat=Q_(-20, "kW"))
    assert res.temperature("out").m_as("degC") == pytest.approx(2 - 20e3 / 3990.5, abs=0.02)
    assert "freezing" in kinds(res)


@pytest.mark.parametrize("t,p,flags", [(150, 1, {"boiling"}), (250, 1, {"boiling", "property_range"}),
                                       (150, 10, set()), (180, 2, {"boiling"})],
                         ids=["150 degC 1 bar", "250 degC 1 bar", "150 degC 10 bar", "180 degC 2 bar"])
def test_hot_water_is_kept_and_flagged(t, p, flags):
    res = _open_line(W, Q_(t, "degC"), p=Q_(p, "bar"))
    assert res.temperature("out").m_as("degC") == pytest.approx(t, abs=1e-9)
    assert kinds(res) == flags


def _shut_loop(opening=0.0, kind="flow", check=False):
    n = nt.Network("shut", fluid=W)
    if kind == "flow":
        n.add_pump("pump", "a", "b", flow=Q_(1, "kg/s"))
    else:
        n.add_pump("pump", "a", "b", head=Q_(10, "m"))
    n.add_valve("v", "b", "c", kvs=Q_(10, "m^3/h"), opening=opening, check=check)
    n.add_setpoint("sp", "c", "a", outlet_temperature=Q_(20, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    return n


def test_fixed_flow_pump_against_shut_valve_is_flagged():
    res = _shut_loop().solve()
    f = next(f for f in res.flags if f.kind == "impossible_operating_point")
    assert set(f.elements) == {"pump", "v"} and "shut" in f.message
    assert "impossible_operating_point" in res.summary()


def test_fixed_flow_pump_against_closed_check_valve_is_flagged():
    n = nt.Network("cv", fluid=W)
    n.add_pump("pump", "b", "a", flow=Q_(1, "kg/s"))
    n.add_valve("v", "b", "c", kvs=Q_(10, "m^3/h"), check=True)
    n.add_setpoint("sp", "c", "a", outlet_temperature=Q_(20, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    assert "impossible_operating_point" in kinds(n.solve())


@pytest.mark.parametrize("opening,kind", [(1.0, "flow"), (0.0, "head"), (0.5, "flow")],
                         ids=["open valve, fixed flow", "shut valve, fixed head", "half open"])
def test_possible_operating_points_are_not_flagged(opening, kind):
    assert "impossible_operating_point" not in kinds(_shut_loop(opening, kind).solve())


@pytest.mark.parametrize("speed", [1e-3, 1e-6])
def test_pump_speed_making_flow_tiny_is_flagged(speed):
    n = nt.Network("slow", fluid=W)
    n.add_pump("pump", "a", "b", curve=(Q_([0, 5, 10], "m^3/h"), Q_([20, 17, 10], "m")),
               speed=speed)
    n.add_pipe("pipe", "b", "c", length=Q_(10, "m"), diameter=Q_(25, "mm"))
    n.add_heat_load("hl", "c", "d", heat=Q_(5, "kW"))
    n.add_setpoint("sp", "d", "a", outlet_temperature=Q_(20, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    res = n.solve()
    assert res.mass_flow("pump").m_as("kg/s") < 1e-3
    assert {"boiling", "property_range"} <= kinds(res)
    assert res.temperature("d").m_as("degC") > 1000      # reported, not clamped to 200 °C


def test_heated_edge_without_flow_is_flagged():
    n = nt.Network("z", fluid=W)
    n.add_heat_load("hl", "a", "b", heat=Q_(1, "kW"))
    n.add_pressure_boundary("a", pressure=Q_(1, "bar"), temperature=Q_(10, "degC"))
    n.add_pressure_boundary("b", pressure=Q_(1, "bar"), temperature=Q_(10, "degC"))
    assert "no_flow_heat" in kinds(n.solve())


@pytest.mark.parametrize("heat,kind", [(1e12, "boiling"), (-1e12, "freezing")],
                         ids=["+1 TW", "-1 TW"])
def test_huge_heat_is_flagged(heat, kind):
    assert kind in kinds(_open_line(W, Q_(20, "degC"), heat=Q_(heat, "W")))


def test_nan_residual_is_never_converged(monkeypatch):
    import narvik_thermal.solvers.hydraulic as H
    orig = H.edge_losses

    def nan_losses(cn, m, rho, mu, consts=None, laws=None):
        r, d = orig(cn, m, rho, mu, consts, laws)
        r = r.copy()
        r[cn.edge_index["pipe"]] = np.nan
        return r, d

    monkeypatch.setattr(H, "edge_losses", nan_losses)
    err = expect(ConvergenceError, r"residual is not finite .*'pipe'", loop().solve)
    assert err.result.converged is False
    assert "NOT CONVERGED" in err.result.summary()


def test_nan_kernel_residual_propagates():
    from narvik_thermal.solvers import _hydraulic_kernels as K
    free = np.array([0, 1], dtype=np.int64)
    s = np.array([0, 1], dtype=np.int64)
    e = np.array([1, 0], dtype=np.int64)
    F, fmax, _ = K.gga_residual(np.zeros(2), np.array([np.nan, 1.0]), free, s, e,
                                np.zeros(2), np.zeros(2))
    assert math.isnan(fmax)
    _, dmax = K.gga_step(np.array([np.nan, 1.0]), np.zeros(2), free)
    assert math.isnan(dmax)


# ----------------------------------------------------------------------------
# 6. network files: validated on load as strictly as add_* calls
# ----------------------------------------------------------------------------
BASE = network_to_dict(loop())


def _setk(path, value):
    def f(d):
        o = d
        for k in path[:-1]:
            o = o[k]
        if value is KeyError:
            del o[path[-1]]
        else:
            o[path[-1]] = value
    return f


FILES = [
    ("no version", ["version"], KeyError, r"version None is not supported"),
    ("version 1", ["version"], 1, r"version 1 is not supported"),
    ("version as text", ["version"], "2", r"version '2' is not supported"),
    ("US units", ["units"], "US", r"store SI units .* says 'US'"),
    ("no units", ["units"], KeyError, r"store SI units"),
    ("unknown top-level field", ["colour"], "red", r"unknown top-level field\(s\) \['colour'\]"),
    ("name not a string", ["name"], [1], r"field 'name' must be a string"),
    ("no nodes", ["nodes"], KeyError, r"missing field 'nodes'"),
    ("nodes a list", ["nodes"], [1, 2], r"field 'nodes' must be a (mapping|dict)"),
    ("node names missing", ["nodes", "names"], KeyError, r"nodes: missing field 'names'"),
    ("node name null", ["nodes", "names"], [None], r"field 'names' holds None"),
    ("node name a number", ["nodes", "names"], [3], r"field 'names' holds 3"),
    ("node names twice", ["nodes", "names"], ["a", "a"], r"lists \['a'\] more than once"),
    ("elevation a list", ["nodes", "elevation"], [1.0], r"nodes.elevation must be a mapping"),
    ("elevation text", ["nodes", "elevation"], {"a": "high"}, r"nodes.elevation\['a'\] must be a finite number"),
    ("elevation null", ["nodes", "elevation"], {"a": None}, r"nodes.elevation\['a'\] must be a finite number"),
    ("elevation on an undeclared node", ["nodes", "elevation"], {"zz": 1.0}, r"nodes.elevation names node 'zz'"),
    ("no components", ["components"], KeyError, r"missing field 'components'"),
    ("components a mapping", ["components"], {}, r"field 'components' must be a list"),
    ("component not a mapping", ["components", 0], "pump", r"components\[0\] must be a mapping"),
    ("component type unknown", ["components", 0, "type"], "Turbine", r"components\[0\]: unknown component type 'Turbine'.*Pipes"),
    ("component type missing", ["components", 0, "type"], KeyError, r"components\[0\]: unknown component type None"),
    ("component unknown field", ["components", 0, "colour"], "red", r"components\[0\]: unknown field\(s\) \['colour'\]"),
    ("fields missing", ["components", 1, "fields"], KeyError, r"components\[1\]: missing field 'fields'"),
    ("fields a list", ["components", 1, "fields"], [1], r"components\[1\]: field 'fields' must be a (mapping|dict)"),
    ("length negative", ["components", 1, "fields", "length"], [-1.0], r"components\[1\]: length=-1 m for 'pipe' must be positive"),
    ("length null (NaN)", ["components", 1, "fields", "length"], [None], r"components\[1\]: length=nan m"),
    ("length text", ["components", 1, "fields", "length"], ["long"], r"components\[1\]: field 'length' of a pipe is not a list of numbers"),
    ("length two values for one pipe", ["components", 1, "fields", "length"], [1.0, 2.0], r"components\[1\]: pipe: parameter length has shape \(2,\); expected \(1,\)"),
    ("length a scalar", ["components", 1, "fields", "length"], 1.0, r"components\[1\]: field 'length' of a pipe (must be a list, one value per unit|is not a list of numbers)"),
    ("length a mapping", ["components", 1, "fields", "length"], {"a": 1}, r"field 'length' of a pipe (must be a list|is not a list of numbers)"),
    ("length nested", ["components", 1, "fields", "length"], [[1.0]], r"field 'length' of a pipe is not a list of numbers"),
    ("diameter missing", ["components", 1, "fields", "diameter"], KeyError, r"components\[1\]: a pipe needs the fields .* missing \['diameter'\]"),
    ("unknown pipe field", ["components", 1, "fields", "colour"], ["red"], r"unknown \['colour'\]"),
    ("names a string", ["components", 1, "fields", "names"], "pipe", r"components\[1\]: field 'names' must be a list of names"),
    ("names with null", ["components", 1, "fields", "names"], [None], r"field 'names' holds None"),
    ("two names, one count", ["components", 1, "fields", "names"], ["p1", "p2"], r"parameter count has shape \(1,\); expected \(2,\)"),
    ("friction unknown", ["components", 1, "fields", "friction"], ["moody"], r"field 'friction' has 'moody'; expected one of"),
    ("friction as a code", ["components", 1, "fields", "friction"], [1], r"field 'friction' has 1"),
    ("count zero", ["components", 1, "fields", "count"], [0.0], r"count=0 for 'pipe' must be positive"),
    ("pump mode unknown", ["components", 0, "fields", "mode"], ["turbine"], r"field 'mode' has 'turbine'"),
    ("pump mode of a valve", ["components", 0, "fields", "mode"], ["valve_kv"], r"mode=(np.int8\()?6\)? for 'pump' must be a pump law"),
    ("heat-exchanger ua text", ["components", 5, "fields", "ua"], ["big"], r"components\[5\]: field 'ua' of a heat exchanger is not a list of numbers"),
    ("valve opening 2", ["components", 2, "fields", "opening"], [2.0], r"components\[2\]: opening=2 for 'valve'"),
    ("cold plate heat NaN", ["components", 3, "fields", "heat"], [None], r"components\[3\]: heat=nan"),
    ("start missing", ["components", 1, "start"], KeyError, r"components\[1\]: missing field 'start'"),
    ("start two nodes for one edge", ["components", 1, "start"], ["a", "b"], r"components\[1\]: 'start' has 2 and 'end' 1 nodes for the 1 edges"),
    ("start a string", ["components", 1, "start"], "b", r"field 'start' must be a list"),
    ("start a number", ["components", 1, "start"], [3], r"field 'start' holds 3"),
    ("start null", ["components", 1, "start"], [None], r"field 'start' holds None"),
    ("start undeclared node", ["components", 1, "start"], ["zz"], r"components\[1\] names node 'zz'"),
    ("boundaries a list", ["boundaries"], [], r"field 'boundaries' must be a (mapping|dict)"),
    ("boundary type unknown", ["boundaries", "a", "type"], "Tank", r"boundaries\['a'\]: 'type' must be one of"),
    ("boundary pressure text", ["boundaries", "a", "pressure"], "2 bar", r"boundaries\['a'\]: field 'pressure' must be a finite number"),
    ("boundary pressure negative", ["boundaries", "a", "pressure"], -1.0, r"boundaries\['a'\]: .*pressure=-1.0 Pa must be a positive"),
    ("boundary pressure null", ["boundaries", "a", "pressure"], None, r"field 'pressure' must be a finite number"),
    ("tank with a temperature", ["boundaries", "a", "temperature"], 300.0, r"ExpansionTank has the fields \['pressure'\]; unknown \['temperature'\]"),
    ("pressure boundary without temperature", ["boundaries", "s0", "temperature"], KeyError, r"missing \['temperature'\]"),
    ("boundary on an undeclared node", ["boundaries", "zz"], {"type": "ExpansionTank", "pressure": 1e5}, r"boundaries\['zz'\] names node 'zz'"),
    ("no fluids", ["fluids"], KeyError, r"missing field 'fluids'"),
    ("fluid unknown", ["fluids", 0, "constructor"], "mercury", r"unknown fluid constructor 'mercury'"),
    ("fluid a string", ["fluids", 0], "water", r"fluids\[0\] must be a mapping"),
    ("fluid glycol 3", ["fluids", 0], {"constructor": "propylene_glycol", "mass_fraction": 3}, r"mass_fraction=3 is outside"),
    ("fluid glycol without fraction", ["fluids", 0], {"constructor": "propylene_glycol"}, r"fluids\[0\]: missing field 'mass_fraction'"),
    ("fluid salinity text", ["fluids", 0], {"constructor": "seawater", "salinity_g_per_kg": "x"}, r"fluids\[0\]: field 'salinity_g_per_kg' must be a number"),
    ("fluid unknown field", ["fluids", 0], {"constructor": "water", "colour": "blue"}, r"fluids\[0\]: unknown field\(s\) \['colour'\]"),
    ("fluid unknown to CoolProp", ["fluids", 0], {"constructor": "coolprop", "name": "Unobtainium"}, r"CoolProp does not know"),
    ("default fluid out of range", ["default_fluid"], 5, r"default_fluid refers to fluid 5"),
    ("default fluid by name", ["default_fluid"], "water", r"default_fluid refers to fluid 'water'"),
    ("default fluid a bool", ["default_fluid"], True, r"default_fluid refers to fluid True"),
    ("fluid of a node out of range", ["fluids_by_node"], {"a": 3}, r"fluids_by_node\['a'\] refers to fluid 3"),
    ("fluid on an undeclared node", ["fluids_by_node"], {"zz": 0}, r"fluids_by_node names node 'zz'"),
    ("controls a mapping", ["controls"], {}, r"field 'controls' must be a list"),
    ("control missing fields", ["controls"], [{"name": "c"}], r"controls\[0\]: a control has the fields .* missing \['actuator'"),
    ("control bounds of three", ["controls"], [{"name": "c", "actuator": ["valve_opening", "valve"], "target": ["temperature", "e"], "setpoint": 300.0, "setpoint_unit": "K", "bounds": [0, 0.5, 1]}], r"controls\[0\]: field 'bounds' must be a list \[low, high\]"),
    ("control unit unknown", ["controls"], [{"name": "c", "actuator": ["valve_opening", "valve"], "target": ["temperature", "e"], "setpoint": 300.0, "setpoint_unit": "furlong", "bounds": [0, 1]}], r"controls\[0\]: field 'setpoint_unit' is 'furlong'"),
    ("control on an unknown edge", ["controls"], [{"name": "c", "actuator": ["valve_opening", "nope"], "target": ["temperature", "e"], "setpoint": 300.0, "setpoint_unit": "K", "bounds": [0, 1]}], r"controls\[0\]: the actuator names edge 'nope'"),
    ("control target unknown node", ["controls"], [{"name": "c", "actuator": ["valve_opening", "valve"], "target": ["temperature", "zz"], "setpoint": 300.0, "setpoint_unit": "K", "bounds": [0, 1]}], r"controls\[0\]: the target names node 'zz'"),
    ("control setpoint NaN", ["controls"], [{"name": "c", "actuator": ["valve_opening", "valve"], "target": ["temperature", "e"], "setpoint": None, "setpoint_unit": "K", "bounds": [0, 1]}], r"controls\[0\]: field 'setpoint' must be a finite number"),
]


@pytest.mark.parametrize("ext", [".json", ".yaml"])
@pytest.mark.parametrize("label,path,value,match", FILES, ids=[f[0] for f in FILES])
def test_bad_network_file_names_file_and_field(label, path, value, match, ext, tmp_path):
    d = copy.deepcopy(BASE)
    _setk(path, value)(d)
    f = tmp_path / f"net{ext}"
    f.write_text(json.dumps(d) if ext == ".json" else yaml.safe_dump(d))
    err = expect(InputError, match, lambda: nt.load_network(f))
    assert str(f) in str(err)


TEXTS = [
    ("malformed YAML", ".yaml", "a: [1, 2\nb: }", r"not valid YAML"),
    ("malformed JSON", ".json", "{'a':", r"not valid JSON"),
    ("empty YAML", ".yaml", "", r"not a narvik_thermal network file"),
    ("a YAML list", ".yaml", "- 1\n- 2", r"not a narvik_thermal network file"),
    ("binary", ".json", "\x00\xff", r"not valid JSON"),
    ("python object tag", ".yaml", "!!python/object/apply:os.system ['true']", r"not valid YAML"),
    ("wrong extension", ".txt", "x", r"use a .yaml, .yml or .json file name"),
]


@pytest.mark.parametrize("label,ext,text,match", TEXTS, ids=[t[0] for t in TEXTS])
def test_malformed_network_text(label, ext, text, match, tmp_path):
    f = tmp_path / f"net{ext}"
    f.write_text(text)
    expect(InputError, match, lambda: nt.load_network(f))


def test_missing_network_file(tmp_path):
    expect(InputError, r"nope.yaml: cannot read the network file",
           lambda: nt.load_network(tmp_path / "nope.yaml"))


def test_good_file_round_trips(tmp_path):
    f = tmp_path / "good.yaml"
    nt.save_network(loop(), f)
    assert snapshot(nt.load_network(f)) == snapshot(loop())


# ----------------------------------------------------------------------------
# 7. plant builders with bad arguments
# ----------------------------------------------------------------------------
DH = None


def _dh():
    global DH
    if DH is None:
        DH = pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"))], trunk_length=Q_(2, "km"))
    return DH


def _hep(**kw):
    return lambda: pl.heat_export_plant(**{"source_return_temperature": Q_(40, "degC"),
                                           "dh": _dh(), "source_heat": Q_(20, "MW"), **kw})


PLANT = [
    ("phase unknown name", lambda: pl.phase("phase9"), InputError, r"'phase9' is not a phase name; the phases are \['phase1'"),
    ("campus bare power", lambda: pl.Campus(20), UnitError, r"it_power=20 has no units"),
    ("campus negative power", lambda: pl.Campus(Q_(-20, "MW")), InputError, r"it_power=-20 megawatt must be positive"),
    ("campus power in metres", lambda: pl.Campus(Q_(20, "m")), UnitError, r"it_power=.*dimension \[length\]"),
    ("campus nothing", lambda: pl.Campus(), InputError, r"give it_power="),
    ("campus gpus text", lambda: pl.Campus(gpus="many"), InputError, r"gpus='many' must be a whole number"),
    ("campus gpus fractional", lambda: pl.Campus(gpus=10.5), InputError, r"gpus=10.5 must be a (whole number|positive integer)"),
    ("campus gpus negative", lambda: pl.Campus(gpus=-5), InputError, r"gpus=-5 must be (>= 1|a positive integer)"),
    ("campus gpus NaN", lambda: pl.Campus(gpus=NAN), InputError, r"gpus=nan must be a whole number"),
    ("campus too many gpus", lambda: pl.Campus(Q_(20, "MW"), gpus=15000), InputError, r"15000 GPUs need .* more than it_power"),
    ("campus racks_per_cdu 0", lambda: pl.Campus(Q_(20, "MW"), racks_per_cdu=0), InputError, r"racks_per_cdu.*=0 must be (an integer ≥|.*>=) 1"),
    ("campus racks_per_cdu text", lambda: pl.Campus(Q_(20, "MW"), racks_per_cdu="ten"), InputError, r"racks_per_cdu .*='ten' must be a whole number"),
    ("campus rack text", lambda: pl.Campus(Q_(20, "MW"), rack="gb300"), InputError, r"rack='gb300' is a str; expected a nt.plant.Rack"),
    ("campus cdu number", lambda: pl.Campus(Q_(20, "MW"), cdu=3), InputError, r"cdu=3 is a int; expected a nt.plant.CDU"),
    ("campus fjord text", lambda: pl.Campus(Q_(20, "MW"), fjord="fjord"), InputError, r"fjord='fjord' is a str; expected a nt.plant.FjordLoop"),
    ("campus expand unknown CDU", lambda: pl.Campus(Q_(20, "MW"), expand=[99]), InputError, r"expand=\[99\] names CDU\(s\) \[99\]"),
    ("campus expand text", lambda: pl.Campus(Q_(20, "MW"), expand="all"), InputError, r"expand='all' must be True"),
    ("campus expand an int", lambda: pl.Campus(Q_(20, "MW"), expand=3), InputError, r"expand=3 must be True .* list of CDU indices"),
    ("campus hall power zero", lambda: pl.Campus(Q_(20, "MW"), hall_it_power=Q_(0, "MW")), InputError, r"hall_it_power=0 megawatt must be positive"),
    ("campus hall power negative", lambda: pl.Campus(Q_(20, "MW"), hall_it_power=Q_(-5, "MW")), InputError, r"hall_it_power=-5 megawatt must be positive"),
    ("campus pump capacity zero", lambda: pl.Campus(Q_(20, "MW"), facility_pump_capacity=Q_(0, "m^3/s")), InputError, r"facility_pump_capacity=0 .* must be positive"),
    ("campus pump capacity bare", lambda: pl.Campus(Q_(20, "MW"), facility_pump_capacity=0.3), UnitError, r"facility_pump_capacity=0.3 has no units"),
    ("campus unknown keyword", lambda: pl.Campus(Q_(20, "MW"), colour="red"), InputError, r"Campus\(\) has no argument 'colour'. It takes \['it_power'"),
    ("campus misspelt keyword", lambda: pl.Campus(Q_(20, "MW"), racks_per_cd=5), InputError, r"no argument 'racks_per_cd'. Did you mean 'racks_per_cdu'"),
    ("phase unknown keyword", lambda: pl.phase(Q_(20, "MW"), colour="red"), InputError, r"Campus\(\) has no argument 'colour'"),
    ("campus heat export text", lambda: pl.Campus(Q_(20, "MW"), heat_export="yes"), InputError, r"heat_export= must be a HeatExport"),
    ("campus name a number", lambda: pl.Campus(Q_(20, "MW"), name=5), InputError, r"name=5 must be a string"),
    ("fjord month 13", lambda: pl.FjordLoop(month=13), InputError, r"month=13 must be an integer 1–12"),
    ("fjord month text", lambda: pl.FjordLoop(month="May"), InputError, r"month='May' must be an integer 1–12"),
    ("fjord month NaN", lambda: pl.FjordLoop(month=NAN), InputError, r"month=nan must be an integer"),
    ("fjord depth bare", lambda: pl.FjordLoop(intake_depth=60), UnitError, r"intake_depth=60 has no units"),
    ("fjord depth negative", lambda: pl.FjordLoop(intake_depth=Q_(-6, "m")), InputError, r"intake_depth=-6 meter must be ≥ 0"),
    ("fjord flow bounds reversed", lambda: pl.FjordLoop(flow_bounds=(2, 0.5)), InputError, r"flow_bounds=\(2, 0.5\) must (be a pair|bracket 1)"),
    ("fjord flow bounds text", lambda: pl.FjordLoop(flow_bounds="wide"), InputError, r"flow_bounds='wide' must be a pair"),
    ("fjord flow bounds None", lambda: pl.FjordLoop(flow_bounds=None), InputError, r"flow_bounds=None must be a pair"),
    ("fjord u_clean negative", lambda: pl.FjordLoop(u_clean=Q_(-1, "W/(m^2*K)")), InputError, r"u_clean=.* must be positive"),
    ("fjord fouling bare", lambda: pl.FjordLoop(fouling=1e-4), UnitError, r"fouling=0.0001 has no units"),
    ("fjord pump efficiency 2", lambda: pl.FjordLoop(pump_efficiency=2.0), InputError, r"pump_efficiency=2 must lie in \(0, 1\]"),
    ("fjord pump efficiency text", lambda: pl.FjordLoop(pump_efficiency="high"), InputError, r"pump_efficiency='high' must be a finite number"),
    ("fjord discharge rise negative", lambda: pl.FjordLoop(max_discharge_rise=Q_(-5, "K")), InputError, r"max_discharge_rise=.* must be positive"),
    ("fjord design rise absolute", lambda: pl.FjordLoop(design_rise=Q_(10, "degC")), UnitError, r"design_rise=.*absolute temperature"),
    ("fjord control text", lambda: pl.FjordLoop(control="yes"), InputError, r"control='yes' must be True or False"),
    ("fjord unknown keyword", lambda: pl.FjordLoop(depth=Q_(60, "m")), InputError, r"FjordLoop\(\) has no argument 'depth'"),
    ("rack trays negative", lambda: pl.Rack(compute_trays=-1), InputError, r"compute_trays=-1 must be a non-negative integer"),
    ("rack trays text", lambda: pl.Rack(compute_trays="18"), InputError, r"compute_trays='18' must be a non-negative integer"),
    ("rack trays None", lambda: pl.Rack(compute_trays=None), InputError, r"compute_trays=None must be a non-negative integer"),
    ("rack no trays", lambda: pl.Rack(compute_trays=0, switch_trays=0), InputError, r"at least one tray"),
    ("rack arrangement", lambda: pl.Rack(arrangement="zigzag"), InputError, r"arrangement='zigzag' is not one of"),
    ("rack liquid fraction 0", lambda: pl.Rack(liquid_fraction=0), InputError, r"liquid_fraction.*=0 must lie in \(0, 1\]"),
    ("rack liquid fraction text", lambda: pl.Rack(liquid_fraction="most"), InputError, r"liquid_fraction .*='most' must be a finite number"),
    ("rack manifold bare", lambda: pl.Rack(manifold_diameter=0.05), UnitError, r"manifold_diameter=0.05 has no units"),
    ("rack tee loss negative", lambda: pl.Rack(manifold_tee_loss=-1), InputError, r"manifold_tee_loss=-1 must lie in \[0, inf\]"),
    ("rack hose loss text", lambda: pl.Rack(hose_minor_loss="x"), InputError, r"hose_minor_loss='x' must be a finite number"),
    ("rack network rack text", lambda: pl.rack_network("gb300"), InputError, r"rack='gb300' is a str; expected a nt.plant.Rack"),
    ("rack network flow bare", lambda: pl.rack_network(flow=100), UnitError, r"mass_flow=100 has no units"),
    ("rack network temperature bare", lambda: pl.rack_network(supply_temperature=25), UnitError, r"temperature=25 has no units"),
    ("rack network fluid text", lambda: pl.rack_network(fluid="water"), InputError, r"'water' is not a fluid"),
    ("rack network name None", lambda: pl.rack_network(name=None), InputError, r"name=None must be a non-empty string"),
    ("add_racks to a string", lambda: pl.add_racks("net", ["r"], ["s"], ["r"]), InputError, r"net='net' is a str; expected a nt.Network"),
    ("rack report of a string", lambda: pl.rack_report("result"), InputError, r"result='result' is a str; expected the Result"),
    ("cdu approach absolute", lambda: pl.CDU(approach=Q_(3, "degC")), UnitError, r"approach=.*absolute temperature"),
    ("cdu efficiency 0", lambda: pl.CDU(pump_efficiency=0), InputError, r"pump_efficiency=0 must lie in \(0, 1\]"),
    ("cdu duty pumps 0", lambda: pl.CDU(duty_pumps=0), InputError, r"duty_pumps=0 must be (an integer ≥|>=) 1"),
    ("cdu control unknown", lambda: pl.CDU(control="temperature"), InputError, r"control='temperature' is not one of"),
    ("cdu unknown keyword", lambda: pl.CDU(colour=1), InputError, r"CDU\(\) has no argument 'colour'"),
    ("cold plate unknown keyword", lambda: pl.gpu_cold_plate(colour=1), InputError, r"ColdPlate\(\) has no argument 'colour'"),
    ("cold plate negative heat", lambda: pl.gpu_cold_plate(heat=Q_(-1, "kW")), InputError, r"heat=-1 kilowatt must be ≥ 0 W"),
    ("town n 0", lambda: pl.town_consumers(Q_(10, "MW"), 0), InputError, r"n\W+0\W.*must be >= 1"),
    ("town n text", lambda: pl.town_consumers(Q_(10, "MW"), "ten"), InputError, r"n='ten' must be a whole number"),
    ("town n fractional", lambda: pl.town_consumers(Q_(10, "MW"), 2.5), InputError, r"n=2.5 must be a whole number"),
    ("town heat bare", lambda: pl.town_consumers(10, 5), UnitError, r"total_heat=10 has no units"),
    ("town heat negative", lambda: pl.town_consumers(Q_(-10, "MW"), 5), InputError, r"total_heat=-10 megawatt must be positive"),
    ("dh no consumers", lambda: pl.district_heating_network([]), InputError, r"give at least one Consumer"),
    ("dh consumers of text", lambda: pl.district_heating_network(["a", "b"]), InputError, r"consumers\[0\]='a' is a str; expected a nt.plant.Consumer"),
    ("dh consumers a string", lambda: pl.district_heating_network("ab"), InputError, r"consumers='ab' must be a list of Consumer"),
    ("dh consumer heat bare", lambda: pl.district_heating_network([pl.Consumer("a", 5)]), UnitError, r"a.heat=5 has no units"),
    ("dh consumer heat negative", lambda: pl.district_heating_network([pl.Consumer("a", Q_(-5, "MW"))]), InputError, r"heat=-5 megawatt must be a positive demand"),
    ("dh consumer names twice", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW")), pl.Consumer("a", Q_(5, "MW"))]), InputError, r"duplicate consumer names \['a'\]"),
    ("dh consumer upstream unknown", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"), upstream="zz")]), InputError, r"upstream 'zz' is not a consumer name; known: \['a'\]"),
    ("dh consumer upstream loop", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"), upstream="b"), pl.Consumer("b", Q_(5, "MW"), upstream="a")]), InputError, r"upstream links form a loop"),
    ("dh supply below return", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"))], supply_temperature=Q_(40, "degC"), return_temperature=Q_(45, "degC")), InputError, r"supply_temperature .* must exceed return_temperature"),
    ("dh supply bare", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"))], supply_temperature=85), UnitError, r"supply_temperature=85 has no units"),
    ("dh trunk negative", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"))], trunk_length=Q_(-1, "km")), InputError, r"trunk_length=-1 kilometer must be >= 0"),
    ("dh fluid text", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"))], fluid="water"), InputError, r"fluid='water' is a str; expected a fluid"),
    ("dh consumer name None", lambda: pl.Consumer(None, Q_(5, "MW")), InputError, r"name=None must be a non-empty string"),
    ("dh consumer upstream a number", lambda: pl.Consumer("a", Q_(5, "MW"), upstream=3), InputError, r"upstream=3 must be the name of another consumer"),
    ("dh consumer length 0", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"), length=Q_(0, "m"))]), InputError, r"length=0 meter must be positive"),
    ("dh consumer return above supply", lambda: pl.district_heating_network([pl.Consumer("a", Q_(5, "MW"), return_temperature=Q_(90, "degC"))]), InputError, r"return_temperature 90 degree_Celsius must lie between"),
    ("greenhouse area bare", lambda: pl.greenhouse_consumer(Q_(-5, "degC"), cover_area=1e4), UnitError, r"cover_area=10000.0 has no units"),
    ("greenhouse area negative", lambda: pl.greenhouse_consumer(Q_(-5, "degC"), cover_area=Q_(-1e4, "m^2")), InputError, r"cover_area must be > 0"),
    ("heat export no source", lambda: pl.heat_export_plant(source_return_temperature=Q_(40, "degC"), dh=_dh()), InputError, r"give exactly one of source_flow="),
    ("heat export dh text", _hep(dh="dh"), InputError, r"dh='dh' is a str; expected a DistrictHeatingNetwork"),
    ("heat export heat pumps text", _hep(heat_pumps="R717"), InputError, r"heat_pumps='R717' is a str; expected a nt.plant.HeatPumpSpec"),
    ("heat export temperature bare", _hep(source_return_temperature=40), UnitError, r"source_return_temperature=40 has no units"),
    ("heat export source too hot", _hep(source_return_temperature=Q_(95, "degC")), InputError, r"facility return \(95.0 °C\) is not below the DH supply"),
    ("heat export heat negative", _hep(source_heat=Q_(-20, "MW")), InputError, r"facility-water flow must be positive"),
    ("heat export drop absolute", _hep(source_temperature_drop=Q_(10, "degC")), UnitError, r"source_temperature_drop=.*absolute temperature"),
    ("heat export fish farm text", _hep(fish_farm="salmon"), InputError, r"fish_farm='salmon' is a str; expected a nt.plant.FishFarm"),
    ("heat export greenhouse text", _hep(greenhouse="gh"), InputError, r"greenhouse='gh' is a str; expected a Consumer"),
    ("heat export fluid text", _hep(source_fluid="water"), InputError, r"source_fluid='water' is a str; expected a fluid"),
    ("heat export unknown keyword", _hep(pumps=3), InputError, r"heat_export_plant\(\) has no argument 'pumps'"),
    ("heat pump model unknown", lambda: pl.HeatPumpSpec(model="magic"), InputError, r"model='magic' is not one of"),
    ("heat pump efficiency 2", lambda: pl.HeatPumpSpec(efficiency=2.0), InputError, r"efficiency=2 must lie in \(0, 1\]"),
    ("heat pump capacity bare", lambda: pl.HeatPumpSpec(capacity=5), UnitError, r"capacity=5 has no units"),
    ("heat pump capacity negative", lambda: pl.HeatPumpSpec(capacity=Q_(-5, "MW")), InputError, r"capacity=-5 megawatt must be positive"),
    ("heat pump stages 3", lambda: pl.HeatPumpSpec(stages=3), InputError, r"stages=3 must be 1 or 2"),
    ("heat pump refrigerant number", lambda: pl.HeatPumpSpec(refrigerant=717), InputError, r"refrigerant=717 must be a CoolProp fluid name"),
    ("fish farm unknown keyword", lambda: pl.FishFarm(volume=-1), InputError, r"FishFarm\(\) has no argument 'volume'"),
    ("fish farm target below intake", lambda: pl.FishFarm(target_temperature=Q_(5, "degC")), InputError, r"target_temperature=.* must be above intake_temperature"),
    ("fish farm ratio 0", lambda: pl.FishFarm(hot_flow_ratio=0), InputError, r"hot_flow_ratio=0 must lie in \(0, inf\]"),
    ("sizing UA reversed hot side", lambda: pl.heat_exchanger_ua(Q_(1, "MW"), hot_inlet=Q_(30, "degC"), hot_outlet=Q_(40, "degC"), cold_inlet=Q_(10, "degC"), cold_outlet=Q_(20, "degC")), InputError, r"the hot stream must cool"),
    ("sizing UA temperature cross", lambda: pl.heat_exchanger_ua(Q_(1, "MW"), hot_inlet=Q_(30, "degC"), hot_outlet=Q_(20, "degC"), cold_inlet=Q_(25, "degC"), cold_outlet=Q_(35, "degC")), InputError, r"effectiveness 2.0000 ≥ 1"),
    ("sizing pipe for zero flow", lambda: pl.pipe_diameter(Q_(0, "m^3/s"), max_velocity=Q_(2, "m/s")), InputError, r"flow=0 .* must be positive"),
    ("sizing pipe without a limit", lambda: pl.pipe_diameter(Q_(1, "m^3/s")), InputError, r"give max_velocity= and/or max_pressure_gradient="),
    ("sizing flow for zero ΔT", lambda: pl.flow_for_heat(Q_(1, "MW"), Q_(0, "K")), InputError, r"delta_t=0 kelvin must be positive"),
    ("sizing pump efficiency 0", lambda: pl.pump_power(Q_(1, "m^3/s"), Q_(10, "m"), efficiency=0), InputError, r"efficiency=0.0 must lie in \(0, 1\]"),
    ("sizing seawater zero rise", lambda: pl.seawater_flow(Q_(1, "MW"), Q_(0, "K")), InputError, r"max_rise=0 kelvin must be positive"),
    ("sizing pump curve shut-off ratio", lambda: pl.pump_curve_for_duty(Q_(1, "m^3/s"), Q_(10, "m"), shutoff_ratio=0.5), InputError, r"shutoff_ratio and runout_ratio must exceed 1"),
    ("sizing pipe beyond DN1000", lambda: pl.select_pipe(Q_(100, "m^3/s")), InputError, r"too much for DN1000"),
    ("sizing unknown keyword", lambda: pl.pipe_diameter(Q_(1, "m^3/s"), velocity=Q_(2, "m/s")), InputError, r"pipe_diameter\(\) has no argument 'velocity'. Did you mean 'max_velocity'"),
]


@pytest.mark.parametrize("label,call,exc,match", PLANT, ids=[p[0] for p in PLANT])
def test_plant_builders_refuse_bad_arguments(label, call, exc, match):
    expect(exc, match, call)


# ----------------------------------------------------------------------------
# 8. the command line: no traceback for a user mistake
# ----------------------------------------------------------------------------
def _write(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text)
    return str(f)


def _unsolvable(tmp_path):
    n = nt.Network("x", fluid=W)
    n.add_pipe("p", "a", "b", **PIPE_OK)
    nt.save_network(n, tmp_path / "topo.yaml")
    return str(tmp_path / "topo.yaml")


CLI = [
    ("missing file", lambda t: ["solve", str(t / "nope.yaml")], 2, r"cannot read the network file"),
    ("malformed YAML", lambda t: ["solve", _write(t, "bad.yaml", "a: [")], 2, r"not valid YAML"),
    ("wrong extension", lambda t: ["solve", _write(t, "net.txt", "x")], 2, r"use a .yaml, .yml or .json"),
    ("not a network", lambda t: ["solve", _write(t, "x.json", "[1, 2]")], 2, r"not a narvik_thermal network file"),
    ("no pressure reference", lambda t: ["solve", _unsolvable(t)], 2, r"has no pressure reference"),
]


@pytest.mark.parametrize("label,args,code,match", CLI, ids=[c[0] for c in CLI])
def test_cli_user_mistake_is_a_message(label, args, code, match, tmp_path, capsys):
    assert cli_main(args(tmp_path)) == code
    err = capsys.readouterr().err
    assert err.startswith("narvik-thermal: error: ")
    import re
    assert re.search(match, err)


def test_cli_non_convergence_prints_the_last_iterate(tmp_path, capsys, monkeypatch):
    net = loop()
    nt.save_network(net, tmp_path / "n.yaml")
    real = nt.Network.solve

    def one_newton(self, **kw):
        return real(self, max_newton=1)

    monkeypatch.setattr(nt.Network, "solve", one_newton)
    assert cli_main(["solve", str(tmp_path / "n.yaml")]) == 1
    out = capsys.readouterr()
    assert "NOT CONVERGED" in out.out and "narvik-thermal: error: hydraulics did not" in out.err


@pytest.mark.parametrize("args,code", [(["bogus"], 2), (["solve", "/nonexistent/net.yaml"], 2)],
                         ids=["unknown command", "missing file"])
def test_cli_subprocess_has_no_traceback(args, code):
    p = subprocess.run([sys.executable, "-m", "narvik_thermal", *args], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == code
    assert "Traceback" not in p.stderr and "error:" in p.stderr


# ----------------------------------------------------------------------------
# 9. result accessors: unknown names, a node where an edge is expected and back
# ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def result():
    return loop().solve()


EDGE_ACCESSORS = ["mass_flow", "volume_flow", "outlet_temperature", "pressure_drop", "heat_flow",
                  "chip_temperature", "pump_head", "pump_power"]
ACCESS = (
    [(f"{a}(unknown)", a, "nope", r"unknown edge name 'nope'") for a in EDGE_ACCESSORS]
    + [(f"{a}(a node)", a, "a", r"'a' is a node, not an? edge") for a in EDGE_ACCESSORS]
    + [(f"{a}(near miss)", a, "pumpp", r"Did you mean 'pump'") for a in ("mass_flow", "pump_head")]
    + [(f"{a}(unknown)", a, "nope", r"unknown node name 'nope'") for a in ("pressure", "temperature")]
    + [(f"{a}(an edge)", a, "pipe", r"'pipe' is an? edge, not a node") for a in ("pressure", "temperature")]
    + [("chip_temperature(a pipe)", "chip_temperature", "pipe", r"'pipe' is not a cold plate"),
       ("pump_head(a pipe)", "pump_head", "pipe", r"'pipe' is a pipe, not a pump"),
       ("pump_power(a valve)", "pump_power", "valve", r"'valve' is (a valve, )?not a pump"),
       ("effectiveness(a pipe)", "effectiveness", "pipe", r"'pipe' is an edge \(pipe\), not a heat exchanger; heat exchangers: \['hx'\]"),
       ("effectiveness(a side)", "effectiveness", "hx:hot", r"'hx:hot' is one side of heat exchanger 'hx'"),
       ("effectiveness(a node)", "effectiveness", "a", r"'a' is a node, not a heat exchanger"),
       ("effectiveness(unknown)", "effectiveness", "hxx", r"unknown heat exchanger 'hxx'; (heat exchangers|known): \['hx'\]"),
       ("heat_pump(a heat exchanger)", "heat_pump", "hx", r"unknown heat pump 'hx'"),
       ("mass_flow(a heat exchanger)", "mass_flow", "hx", r"'hx' is a heat exchanger, not an edge; its edges are 'hx:hot' and 'hx:cold'"),
       ("mass_flow(None)", "mass_flow", None, r"edge name None is a NoneType; give the name of an edge"),
       ("temperature(a list)", "temperature", ["a"], r"node name \['a'\] is a list; give the name of a node")]
)


@pytest.mark.parametrize("label,accessor,name,match", ACCESS, ids=[a[0] for a in ACCESS])
def test_result_accessor_says_what_the_name_is(label, accessor, name, match, result):
    expect(InputError, match, lambda: getattr(result, accessor)(name))


def test_result_accessor_keywords(result):
    expect(InputError, r"kind='thermal' must be 'hydraulic', 'shaft' or 'electric'",
           lambda: result.pump_power("pump", kind="thermal"))
    expect(InputError, r"pump 'spump' has no efficiency", lambda: result.pump_power("spump"))
    expect(InputError, r"Result.mass_flow\(\): missing a required argument: 'edge'",
           lambda: result.mass_flow())
    expect(InputError, r"Result.pump_power\(\) has no argument 'knd'. Did you mean 'kind'",
           lambda: result.pump_power("pump", knd="shaft"))


# ----------------------------------------------------------------------------
# 10. the result of a ConvergenceError can always be summarised
# ----------------------------------------------------------------------------
def test_hydraulic_failure_result_is_summarised():
    err = expect(ConvergenceError, r"hydraulics did not converge in 1 Newton iterations",
                 lambda: loop().solve(max_newton=1))
    r = err.result
    text = r.summary()
    assert "converged: False" in text and "NOT CONVERGED" in text
    assert "no physics flags were checked" in text and "no flags" not in text
    assert math.isnan(r.chip_temperature("gpu").m) and math.isnan(r.effectiveness("hx"))
    assert r.mass_flow("pipe").m != 0 and np.isfinite(r.pressure("c").m)
    assert "node" in repr(r.nodes) and "edge" in repr(r.edges)


def test_coupling_failure_result_is_summarised():
    err = expect(ConvergenceError, r"coupling did not converge in 1 outer iterations",
                 lambda: loop().solve(max_outer=1))
    # the message names the condition that failed (here the temperature change)
    assert re.search(r"the last temperature change was [\d.e+-]+ K > 1\.0e-06 K", str(err))
    text = err.result.summary()
    assert "NOT CONVERGED: the hydraulic–thermal coupling" in text
    assert "heat exchanger hx" in text


def test_heat_pump_failure_result_is_summarised():
    n = nt.Network("hp", fluid=W)
    n.add_pump("p1", "a", "b", head=Q_(5, "m"))
    n.add_heat_pump("hp", ("b", "c"), ("x", "y"), supply_temperature=Q_(70, "degC"),
                    model="carnot_fraction")
    n.add_setpoint("src", "c", "a", outlet_temperature=Q_(30, "degC"))
    n.add_expansion_tank("a", pressure=Q_(2, "bar"))
    n.add_pump("p2", "w", "x", head=Q_(5, "m"))
    n.add_setpoint("snk", "y", "w", outlet_temperature=Q_(40, "degC"))
    n.add_expansion_tank("w", pressure=Q_(2, "bar"))
    err = expect(ConvergenceError, r"did not converge", lambda: n.solve(max_newton=1))
    assert "NOT CONVERGED" in err.result.summary()
    assert err.result.heat_pump("hp")["mode"] == "unknown"


# ----------------------------------------------------------------------------
# 11. solver options and other public calls
# ----------------------------------------------------------------------------
OPTIONS = [
    ("unknown option", dict(max_newtn=3), r"unknown solver option 'max_newtn'. Did you mean 'max_newton'"),
    ("negative iterations", dict(max_newton=-1), r"max_newton=-1 must be a positive whole number"),
    ("fractional iterations", dict(max_outer=2.5), r"max_outer=2.5 must be a positive whole number"),
    ("unknown linear solver", dict(linear_solver="gauss"), r"linear_solver='gauss' must be one of"),
    ("tolerance text", dict(pressure_rtol="tight"), r"pressure_rtol='tight' must be a positive"),
    ("tolerance zero", dict(temperature_tol=0.0), r"temperature_tol=0.0 must be a positive"),
    ("flag not a bool", dict(check_physics="yes"), r"check_physics='yes' must be True or False"),
    ("simultaneous flag not a bool", dict(simultaneous_control="no"),
     r"simultaneous_control='no' must be True or False"),
]


@pytest.mark.parametrize("label,kw,match", OPTIONS, ids=[o[0] for o in OPTIONS])
def test_bad_solver_options(label, kw, match):
    net = loop()
    expect(InputError, match, lambda: net.solve(**kw))


@pytest.mark.parametrize("call,match", [
    (lambda: nt.fluids.propylene_glycol(), r"propylene_glycol\(\): missing a required argument: 'mass_fraction'"),
    (lambda: nt.fluids.propylene_glycol(25), r"mass_fraction=25 is outside .* looks like a percentage"),
    (lambda: nt.fluids.seawater(35), r"salinity=35 has no units"),
    (lambda: nt.fluids.seawater(Q_(200, "g/kg")), r"salinity=200 g/kg is outside"),
    (lambda: nt.fluids.coolprop(5), r"name=5 must be a CoolProp fluid string"),
    (lambda: nt.fluids.water().properties(Q_(300, "degC"), "200 bar"), r"outside the valid range"),
    (lambda: nt.fluids.water().density_pT("hot"), r"T='hot' must be a number or an array"),
    (lambda: nt.save_network(loop(), "net.txt"), r"use a .yaml, .yml or .json file name"),
    (lambda: nt.Network("x").component("nope"), r"unknown edge name 'nope'"),
    (lambda: nt.Network("x", fluid=W).solve(), r"has no edges"),
    (lambda: nt.climate.hourly_air_temperature(2025, colour=1), r"hourly_air_temperature\(\) has no argument 'colour'"),
    (lambda: nt.climate.fjord_temperature("May"), r"month must be an integer 1–12"),
    (lambda: nt.demand.district_heating_demand(Q_([1, 2], "degC"), hot_water_shar=0.2), r"no argument 'hot_water_shar'. Did you mean 'hot_water_share'"),
    (lambda: nt.feasibility.co2_avoided(Q_(1, "MWh"), displaced="coal2"), r"displaced='coal2' is not known; use one of \['gas'"),
    (lambda: nt.feasibility.demand_coverage(Q_([1, 2], "MW"), Q_([1, 2, 3], "MW")), r"must have the same length"),
], ids=["glycol no fraction", "glycol in percent", "salinity bare", "salinity 200",
        "coolprop number", "water at 300 degC", "density of text", "save .txt",
        "component unknown", "solve empty", "climate unknown keyword", "month as text",
        "demand misspelt keyword", "unknown displaced carrier", "coverage lengths"])
def test_other_public_calls(call, match):
    expect((InputError, TopologyError, nt.PropertyError), match, call)


def test_several_boundaries_change_together():
    """update_boundary took one node a call, each call re-checking the balance and copying
    every boundary into the compiled network (a chain of 4,000 demands: 4.5 ms a call,
    18 s for all, 600× the solve). It now takes several nodes at once, each value one
    Quantity or one per node, checked together and copied once — also the two flows of a
    closed circuit, which one at a time could never change (each call left it
    unbalanced) — and a single node's call copies only its own boundary."""
    net = _closed_with_flows()
    r = net.solve()
    # both flows of the closed circuit at once: balanced together
    net.update_boundary(["b", "c"], mass_flow=Q_([2.0, -2.0], "kg/s"))
    r2 = net.solve(initial=r)
    # node b: what p1 brings and the 2 kg/s injected leave through p2
    assert (r2.mass_flow("p2") - r2.mass_flow("p1")).m_as("kg/s") == pytest.approx(2.0,
                                                                                rel=1e-9)
    assert net.boundaries["b"].flow == 2.0 and net.boundaries["c"].flow == -2.0
    before = snapshot(net)
    # refused as a whole, nothing changed: unbalanced, a node twice, a node without a
    # boundary, a count that does not match, a bad value in the second node
    expect(TopologyError, r"fixed flows cannot balance in circuit 0",
           lambda: net.update_boundary(["b", "c"], mass_flow=Q_([3.0, -2.0], "kg/s")))
    expect(InputError, r"node 'b' is named twice",
           lambda: net.update_boundary(["b", "b"], temperature=Q_(30, "degC")))
    expect(InputError, r"node 'a' has no boundary|expansion tank, which has no",
           lambda: net.update_boundary(["b", "a"], temperature=Q_(30, "degC")))
    expect(InputError, r"has 3 values for 2 names",
           lambda: net.update_boundary(["b", "c"], temperature=Q_([30, 31, 32], "degC")))
    expect(InputError, r"update_boundary\('c'\)",
           lambda: net.update_boundary(["b", "c"], temperature=Q_([30, -300], "degC")))
    assert snapshot(net) == before
    # one value for every node
    net.update_boundary(["b", "c"], temperature=Q_(30, "degC"))
    assert net.boundaries["b"].temperature == net.boundaries["c"].temperature == 303.15


def test_many_demands_updated_in_one_call_reach_the_solve():
    """Every demand of a 300-node chain changed in one call (different values) reaches the
    solve: the first pipe carries their sum."""
    n = 300
    net = nt.Network("chain", fluid=W)
    net.add_pipes([f"p{k}" for k in range(n)], ["R"] + [f"J{k}" for k in range(n - 1)],
                  [f"J{k}" for k in range(n)], length=Q_(100, "m"), diameter=Q_(0.3, "m"))
    net.add_pressure_boundary("R", pressure=Q_(10, "bar"), temperature=Q_(20, "degC"))
    net.add_flow_boundaries([f"J{k}" for k in range(n)], mass_flow=Q_(np.full(n, -0.01), "kg/s"),
                            temperature=Q_(np.full(n, 20.0), "degC"))
    r = net.solve()
    demand = np.linspace(-0.01, -0.02, n)
    net.update_boundary([f"J{k}" for k in range(n)], mass_flow=Q_(demand, "kg/s"))
    r2 = net.solve(initial=r)
    assert r2.mass_flow("p0").m_as("kg/s") == pytest.approx(-demand.sum(), rel=1e-9)
    net.update_boundary("J7", mass_flow=Q_(-1.0, "kg/s"))           # one node alone
    r3 = net.solve(initial=r2)
    assert r3.mass_flow("p0").m_as("kg/s") == pytest.approx(-demand.sum() + 1.0 + demand[7],
                                                             rel=1e-9)
