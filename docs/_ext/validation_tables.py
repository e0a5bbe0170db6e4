"""Sphinx directives that write the validation tables from the test suite's data.

The cases live in ``tests/validation_cases.py`` (the registry the tests use).
While the documentation builds,

- ``.. validation-table:: <table>`` evaluates every computed case of that table
  (quantity, reference and its source, tolerance and its reason, agreement
  measured now) and shows the recorded ones from the last test run
  (``tests/validation_cases.results_dir()``), or "not measured in this build";
- ``.. validation-records:: <case id> [<case id> ...]`` makes one row per
  recorded label (e.g. one per EPANET network) and one column per case, with
  the fields the test recorded (``:fields: key:Header, ...``);
- ``.. validation-summary::`` states how many cases were evaluated and when the
  recorded ones were measured.

A case outside its tolerance is a Sphinx warning, so ``make docs`` (``-W``)
fails with the tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

import validation_cases as vc  # noqa: E402

logger = logging.getLogger(__name__)

_CACHE: dict[str, tuple[str, object]] = {}
_TIMING = {"seconds": 0.0, "evaluated": 0}


def _evaluate(case: vc.Case) -> tuple[str, object]:
    """("ok" | "missing" | "error", Measurement | message), once per build."""
    if case.id not in _CACHE:
        missing = vc.missing_requirements(case)
        if missing:
            _CACHE[case.id] = ("missing", ", ".join(missing))
        else:
            t0 = time.perf_counter()
            try:
                _CACHE[case.id] = ("ok", vc.evaluate(case))
            except Exception as exc:        # shown in the table and warned about
                _CACHE[case.id] = ("error", f"{type(exc).__name__}: {exc}")
            _TIMING["seconds"] += time.perf_counter() - t0
            _TIMING["evaluated"] += 1
    return _CACHE[case.id]


def _esc(text: str) -> str:
    """Plain text for a table cell: no substitutions (``|x|``) or emphasis."""
    return text.replace("|", r"\|").replace("*", r"\*")


def _list_table(header: list[str], rows: list[list[str]], widths: list[int],
                caption: str = "") -> list[str]:
    lines = [f".. list-table:: {caption}".rstrip(), "   :header-rows: 1",
             "   :widths: " + " ".join(str(w) for w in widths), ""]
    for row in [header, *rows]:
        for i, cell in enumerate(row):
            lines.append(("   * - " if i == 0 else "     - ") + (cell or "—"))
    return lines


class _Base(SphinxDirective):
    def run(self):
        # the page depends on the registry and on the recorded results, not only on
        # its source: read it again in every build (see _outdated)
        docs = getattr(self.env, "validation_docs", set())
        docs.add(self.env.docname)
        self.env.validation_docs = docs
        return self.render()

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.container()
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, node)
        return node.children

    def _warn(self, msg: str) -> None:
        logger.warning(msg, location=self.get_location())


class ValidationTable(_Base):
    required_arguments = 1
    option_spec = {"caption": directives.unchanged}

    def render(self):
        table = self.arguments[0]
        cases = [c for c in vc.CASES if c.table == table]
        if not cases:
            self._warn(f"validation-table: no case has table {table!r}")
            return []
        rows = []
        for c in cases:
            ref = c.reference_value()
            reference = f"{ref} — {c.source}" if ref else c.source
            tol = f"{vc.fmt_tolerance(c, c.tolerance)} — {c.why}"
            if c.recorded:
                recs = vc.recorded(c)
                if not recs:
                    rows.append([c.quantity, reference, tol,
                                 f"*not measured in this build* (``{c.test}``)"])
                    continue
                for r in recs:
                    t = r["tolerance"]
                    tol = (f"{vc.fmt_tolerance(c, t)} — {c.why}" if c.tolerance is None
                           else tol)
                    shown = [f"{h} {r['fields'][k]}" for k, h in c.fields
                             if k in r.get("fields", {})]
                    agree = (f"{vc.fmt_measurement(c, r['value'], r.get('ours'))} "
                             f"({'; '.join(shown + ['test suite, ' + r['time']])})")
                    if not r["passed"]:
                        self._warn(f"validation case {c.id}: recorded agreement {r['value']} "
                                   f"is outside {vc.fmt_tolerance(c, t)}")
                        agree += " **outside the tolerance**"
                    quantity = c.quantity + (f" ({r['label']})" if r["label"] else "")
                    rows.append([quantity, reference, tol, agree])
                continue
            status, m = _evaluate(c)
            if status == "missing":
                agree = f"*not measured in this build* (needs {m})"
            elif status == "error":
                self._warn(f"validation case {c.id} failed to evaluate: {m}")
                agree = "*evaluation failed*"
            else:
                agree = vc.fmt_measurement(c, m.value, m.ours)
                if not vc.passed(c, m):
                    self._warn(f"validation case {c.id}: agreement {m.value} is outside "
                               f"{vc.fmt_tolerance(c, c.tolerance)}")
                    agree += " **outside the tolerance**"
            rows.append([c.quantity, reference, tol, agree])
        rows = [[_esc(cell) if i < 3 else cell for i, cell in enumerate(r)] for r in rows]
        lines = _list_table(["Quantity", "Reference", "Tolerance and why", "Agreement"],
                            rows, [28, 30, 24, 18], self.options.get("caption", ""))
        return self._parse(lines)


class ValidationRecords(_Base):
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"fields": directives.unchanged, "label": directives.unchanged,
                   "caption": directives.unchanged}

    def render(self):
        cases = [vc.by_id(i) for i in self.arguments[0].split()]
        fields = []
        for item in self.options.get("fields", "").split(","):
            if item.strip():
                key, _, head = item.partition(":")
                fields.append((key.strip(), head.strip() or key.strip()))
        by_label: dict[str, dict[str, dict]] = {}
        for c in cases:
            for r in vc.recorded(c):
                by_label.setdefault(r["label"], {})[c.id] = r
        if not by_label:
            tests = sorted({c.test for c in cases})
            return self._parse(["*Not measured in this build*: run "
                                + ", ".join(f"``{t}``" for t in tests)
                                + " (``make test``) before building the documentation."])
        header = [self.options.get("label", "Case")] + [h for _, h in fields]
        header += [f"{c.quantity} (tolerance {vc.fmt_tolerance(c, c.tolerance)})"
                   for c in cases]
        rows, times = [], []
        # the shipped networks first, then the test's own small ones
        for label in sorted(by_label, key=lambda x: (x.startswith("every"), x.lower())):
            recs = by_label[label]
            first = next(iter(recs.values()))
            row = [_esc(label)] + [_esc(first["fields"].get(k, "")) for k, _ in fields]
            for c in cases:
                r = recs.get(c.id)
                if r is None:
                    row.append("—")
                    continue
                cell = vc.fmt_measurement(c, r["value"], r.get("ours"))
                if not r["passed"]:
                    self._warn(f"validation case {c.id} ({label}): recorded agreement "
                               f"{r['value']} exceeds {r['tolerance']}")
                    cell += " **outside the tolerance**"
                row.append(cell)
                times.append(r["time"])
            rows.append(row)
        widths = [14] + [max(8, 40 // max(1, len(fields)))] * len(fields) + [16] * len(cases)
        lines = _list_table(header, rows, widths, self.options.get("caption", ""))
        lines += ["", f"Measured by the test suite ({', '.join(sorted({c.test for c in cases}))}"
                  f"), {min(times)} – {max(times)}."]
        return self._parse(lines)


class ValidationSummary(_Base):
    def render(self):
        computed = [c for c in vc.CASES if not c.recorded]
        for c in computed:
            _evaluate(c)
        ok = sum(1 for c in computed if _CACHE[c.id][0] == "ok")
        rec = [c for c in vc.CASES if c.recorded]
        times = [r["time"] for c in rec for r in vc.recorded(c)]
        measured = sum(1 for c in rec if vc.recorded(c))
        import narvik_thermal
        text = (f"This build evaluated {ok} of the {len(computed)} computed cases with "
                f"narvik_thermal {narvik_thermal.__version__} "
                f"({_TIMING['seconds']:.0f} s, {time.strftime('%Y-%m-%d')}); ")
        if times:
            text += (f"{measured} of the {len(rec)} cases measured by the test suite have "
                     f"results from {min(times)} – {max(times)}.")
        else:
            text += (f"none of the {len(rec)} cases measured by the test suite has a result "
                     "in this build (run ``make test`` first).")
        return self._parse([text])


def _reset(app):
    _CACHE.clear()
    _TIMING.update(seconds=0.0, evaluated=0)


def _outdated(app, env, added, changed, removed):
    """Pages with validation tables are re-read in every build: their numbers come
    from the code and from the last test run, which Sphinx does not track."""
    return sorted(getattr(env, "validation_docs", set()) - set(removed))


def _purge(app, env, docname):
    getattr(env, "validation_docs", set()).discard(docname)


def _merge(app, env, docnames, other):
    env.validation_docs = (getattr(env, "validation_docs", set())
                           | getattr(other, "validation_docs", set()))


def setup(app):
    app.add_directive("validation-table", ValidationTable)
    app.add_directive("validation-records", ValidationRecords)
    app.add_directive("validation-summary", ValidationSummary)
    app.connect("builder-inited", _reset)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
