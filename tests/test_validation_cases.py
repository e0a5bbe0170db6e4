"""The validation cases of ``tests/validation_cases.py``: each computed case
must agree with its reference within the tolerance stated there, and the
registry must be complete for the documentation that renders it
(``docs/validation.rst``, through ``docs/_ext/validation_tables.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import validation_cases as vc

TESTS = Path(__file__).resolve().parent
DOCS = TESTS.parent / "docs"

#: cross-checks against another tool carry the ``reference`` marker
TOOLS = {"fluids", "ht", "tespy", "wntr", "pandapipes"}


def _params():
    for case in vc.CASES:
        if case.recorded:
            continue
        marks = [pytest.mark.reference] if TOOLS & set(case.requires) else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_case_within_tolerance(case):
    for module in case.requires:
        pytest.importorskip(module)
    m = vc.evaluate(case)
    vc.record(case, m)
    assert vc.passed(case, m), (f"{case.id}: agreement {vc.fmt_measurement(case, m.value)} "
                                f"exceeds {vc.fmt_tolerance(case, case.tolerance)} "
                                f"({case.why})")


def test_ids_unique_and_fields_complete():
    ids = [c.id for c in vc.CASES]
    assert len(ids) == len(set(ids))
    for c in vc.CASES:
        assert c.quantity and c.source and c.why, c.id
        assert c.metric in ("relative", "absolute", "value"), c.id
        if c.metric == "value":
            # a measured value held between bounds: no tolerance, no reference
            assert c.tolerance is None and c.reference is None, c.id
            assert c.bounds is not None and len(c.bounds) == 2, c.id
            lo, hi = c.bounds
            assert (lo is not None or hi is not None) and (lo is None or hi is None or lo <= hi)
        else:
            assert c.bounds is None, c.id
        if c.recorded:
            assert c.test and c.model is None and c.measure is None, c.id
        else:
            assert c.metric == "value" or (c.tolerance is not None and c.tolerance > 0), c.id
            assert (c.measure is None) != (c.model is None), c.id
            if c.model is not None and c.metric != "value":
                assert c.reference is not None, c.id


def test_every_recorded_case_is_checked_by_its_test():
    for c in vc.CASES:
        if not c.recorded:
            continue
        texts = []
        for test in c.test.split(", "):            # one test, or several files
            path = TESTS.parent / test.split("::")[0]
            text = path.read_text()
            texts.append(text)
            if "::" in test:
                assert f"def {test.split('::')[1]}(" in text, test
        assert any(f'"{c.id}"' in t for t in texts), f"{c.id}: no vc.check({c.id!r}, ...)"


def test_every_table_is_rendered_and_every_rendered_table_exists():
    text = (DOCS / "validation.rst").read_text()
    rendered = set(re.findall(r"^\.\. validation-table:: *(\S+)", text, re.M))
    records = re.findall(r"^\.\. validation-records:: *(.+)$", text, re.M)
    assert rendered == set(vc.tables()) - {"epanet-networks"}
    for line in records:
        for cid in line.split():
            assert vc.by_id(cid).table == "epanet-networks"


def test_check_asserts_and_records(tmp_path, monkeypatch):
    monkeypatch.setenv(vc.RESULTS_ENV, str(tmp_path))
    vc.check("network.epanet.wntr.heads", 0.004, label="demo", nodes="3 / 2")
    (rec,) = vc.recorded(vc.by_id("network.epanet.wntr.heads"))
    assert rec["value"] == 0.004 and rec["passed"] and rec["fields"] == {"nodes": "3 / 2"}
    with pytest.raises(AssertionError, match="exceeds the tolerance 0.01"):
        vc.check("network.epanet.wntr.heads", 0.02, label="demo")
    with pytest.raises(ValueError, match="give a tolerance"):
        vc.check("network.epanet.grid.flows", 1e-4)
    vc.check("network.epanet.grid.flows", 1e-4, tolerance=1e-3)
    assert vc.recorded(vc.by_id("network.epanet.grid.flows"))[0]["tolerance"] == 1e-3


def test_stale_records_are_ignored(tmp_path, monkeypatch):
    # a record made under another registry tolerance is not shown as current
    monkeypatch.setenv(vc.RESULTS_ENV, str(tmp_path))
    case = vc.by_id("network.epanet.wntr.flows")
    vc.record(case, vc.Measurement(0.001), label="x")
    assert len(vc.recorded(case)) == 1
    path = next(tmp_path.glob("*.json"))
    path.write_text(path.read_text().replace('"registry_tolerance": 0.02',
                                             '"registry_tolerance": 0.05'))
    assert vc.recorded(case) == []


def test_value_cases_are_held_to_their_bounds(tmp_path, monkeypatch):
    monkeypatch.setenv(vc.RESULTS_ENV, str(tmp_path))
    case = vc.by_id("operation.air.iterations")            # at most 6, inclusive
    assert vc.fmt_tolerance(case, None) == "at most 6"
    vc.check(case.id, 6.0, label="demo")
    with pytest.raises(AssertionError, match="is not at most 6"):
        vc.check(case.id, 7.0, label="demo")
    with pytest.raises(ValueError, match="held to its bounds"):
        vc.check(case.id, 4.0, tolerance=1.0)
    strict = vc.by_id("operation.export.share")            # between 0.4 and 0.65
    assert vc.fmt_tolerance(strict, None) == "between 0.4 and 0.65"
    assert not vc.passed(strict, vc.Measurement(0.4))
    assert vc.passed(strict, vc.Measurement({"a": 0.5, "b": 0.6}))
    assert not vc.passed(strict, vc.Measurement({"a": 0.5, "b": 0.7}))
    vc.check(strict.id, 0.53, label="demo")
    (rec,) = vc.recorded(strict)
    assert rec["registry_tolerance"] == [0.4, 0.65] and rec["passed"]
    assert vc.fmt_measurement(strict, rec["value"]) == "0.53"
    # a record made under other bounds is stale
    path = next(tmp_path.glob("operation.export.share*.json"))
    path.write_text(path.read_text().replace("0.65", "0.7"))
    assert vc.recorded(strict) == []


def test_ours_is_recorded_and_shown(tmp_path, monkeypatch):
    monkeypatch.setenv(vc.RESULTS_ENV, str(tmp_path))
    case = vc.by_id("plant.cdu.approach")
    vc.check(case.id, 0.04, ours=3.04)
    (rec,) = vc.recorded(case)
    assert vc.fmt_measurement(case, rec["value"], rec["ours"]) == "0.04 K (ours 3.04 K)"
