"""The audit's results: one :class:`ClaimResult` per claim, an :class:`Audit` of them
with JSON, Markdown, HTML and DataFrame views, and the verdict rule."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from ..errors import InputError, user_api

__all__ = ["CLAIMS", "VERDICTS", "ClaimResult", "Audit", "verdict_of", "pair", "assumption",
           "CLAIMED_IN", "UNSOURCED_CLAIM"]

#: The audited claims by id, as worded in the press coverage.
CLAIMS: dict[str, str] = {
    "heat-85C": "Heat is captured at 85 °C while the boards stay below 55 °C.",
    "gpus-20MW": "15,000 GB300 GPUs in the 20 MW first phase.",
    "winter-heat-30pct": "The recovered heat covers 30 % of Narvik's residential winter heating.",
    "co2-20kt": "20,000 t of CO2 avoided per year.",
    "cooling-30pct-mediterranean": "30 % less cooling energy than a Mediterranean data centre.",
    "salmon-1000t": "Heat for a land-based farm producing 1,000 t of salmon a year.",
    "renewable-100pct": "The site runs entirely on renewable power.",
}
#: The three verdicts (see the module notes for the rule).
VERDICTS = ("holds", "does not hold", "conditional")

CLAIMED_IN = ("press coverage of the project; not found in any public source searched "
               "(narvik-facts §0)")
UNSOURCED_CLAIM = "the claim itself: no primary source found (narvik-facts §0)"


# --------------------------------------------------------------------- results
@user_api
@dataclass(frozen=True)
class ClaimResult:
    """One audited claim.

    Attributes
    ----------
    id : str
        Claim id (a key of :data:`CLAIMS`).
    claim : str
        The claim as worded.
    method : str
        How the library's models answer it.
    answer : dict of str to str
        The model's figures at the central assumptions, each with its unit.
    assumptions : dict of str to dict
        Every assumption: ``{"value": str, "source": str}``; each is a keyword
        argument of the claim's function.
    sensitivity : dict
        ``{"assumption": name, "cases": [{"value", "answer", "holds"}, ...]}``:
        the answer at the central value (first) and at both ends of the range of
        the most uncertain assumption.
    verdict : str
        One of :data:`VERDICTS`, from the sensitivity cases (:func:`verdict_of`).
    reason : str
        Why, in one or two sentences, with the condition for ``conditional``.
    unsourced : tuple of str
        What could not be sourced.
    claimed_in : str
        Where the claim was made.
    """

    id: str
    claim: str
    method: str
    answer: dict
    assumptions: dict
    sensitivity: dict
    reason: str
    unsourced: tuple = ()
    claimed_in: str = CLAIMED_IN

    @property
    def verdict(self) -> str:
        """The verdict, from the sensitivity cases: the central one first."""
        holds = [c["holds"] for c in self.sensitivity["cases"]]
        return verdict_of(holds[0], holds[1:])

    def to_dict(self) -> dict:
        """A JSON-ready dict: ``id``, ``claim``, ``model`` (method, answer,
        sensitivity), ``assumptions``, ``verdict``, ``reason``, ``unsourced``,
        ``claimed_in``."""
        return {"id": self.id, "claim": self.claim,
                "model": {"method": self.method, "answer": dict(self.answer),
                          "sensitivity": self.sensitivity},
                "assumptions": dict(self.assumptions), "verdict": self.verdict,
                "reason": self.reason, "unsourced": list(self.unsourced),
                "claimed_in": self.claimed_in}

    def summary(self) -> str:
        """Plain-text paragraph: claim, verdict, answer and reason."""
        ans = "; ".join(f"{k} {v}" for k, v in self.answer.items())
        return f"[{self.id}] {self.claim}\n  verdict: {self.verdict}\n  model: {ans}\n" \
               f"  why: {self.reason}"


def verdict_of(central: bool, ends: Sequence[bool]) -> str:
    cases = [central, *ends]
    if all(cases):
        return "holds"
    if not any(cases):
        return "does not hold"
    return "conditional"


class Audit(Sequence):
    """The audited claims, in the order of :data:`CLAIMS` (a sequence of
    :class:`ClaimResult`; index by position or claim id)."""

    def __init__(self, results: Sequence[ClaimResult], attrs: dict | None = None) -> None:
        self.results = tuple(results)
        self.attrs = dict(attrs or {})

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ClaimResult]:
        return iter(self.results)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for r in self.results:
                if r.id == key:
                    return r
            raise KeyError(f"no claim {key!r} in this audit; ids: {[r.id for r in self]}")
        return self.results[key]

    def to_dicts(self) -> list[dict]:
        """``[ClaimResult.to_dict(), ...]``."""
        return [r.to_dict() for r in self.results]

    def to_json(self, indent: int | None = 2) -> str:
        """The audit as JSON: a list of claims (see :meth:`ClaimResult.to_dict`)."""
        return json.dumps(self.to_dicts(), indent=indent, ensure_ascii=False)

    def to_dataframe(self) -> Any:
        """One row per claim: claim, verdict, answer, most uncertain assumption, reason."""
        import pandas as pd
        return pd.DataFrame([{"id": r.id, "claim": r.claim, "verdict": r.verdict,
                              "answer": "; ".join(f"{k} {v}" for k, v in r.answer.items()),
                              "most uncertain": r.sensitivity["assumption"],
                              "reason": r.reason} for r in self]).set_index("id")

    def to_markdown(self) -> str:
        """A Markdown table of the verdicts, then one section per claim."""
        lines = ["| claim | verdict | model's answer |", "|---|---|---|"]
        for r in self:
            ans = "; ".join(f"{k} {v}" for k, v in r.answer.items())
            lines.append(f"| `{r.id}`: {r.claim} | **{r.verdict}** | {ans} |")
        for r in self:
            lines += ["", f"### `{r.id}` — {r.verdict}", "", r.claim, "", r.reason, "",
                      f"*Model:* {r.method}", "", "*Assumptions:*", ""]
            lines += [f"- `{k}` = {a['value']} ({a['source']})" for k, a in
                      r.assumptions.items()]
            s = r.sensitivity
            lines += ["", f"*Sensitivity to `{s['assumption']}`:*", ""]
            lines += [f"- {c['value']}: {c['answer']} → claim "
                      f"{'holds' if c['holds'] else 'does not hold'}" for c in s["cases"]]
            if r.unsourced:
                lines += ["", "*Not sourced:* " + "; ".join(r.unsourced)]
        return "\n".join(lines) + "\n"

    def to_html(self, title: str = "Narvik site claims audit") -> str:
        """A self-contained HTML report (no external files or scripts)."""
        e = html.escape
        rows = "".join(
            f"<tr><td><code>{e(r.id)}</code></td><td>{e(r.claim)}</td>"
            f"<td class='v {e(r.verdict.replace(' ', '-'))}'>{e(r.verdict)}</td>"
            f"<td>{e('; '.join(f'{k} {v}' for k, v in r.answer.items()))}</td></tr>"
            for r in self)
        parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                 f"<title>{e(title)}</title><style>"
                 "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
                 "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .5em;"
                 "vertical-align:top}.holds{background:#d9f2d9}.does-not-hold{background:#f6d5d5}"
                 ".conditional{background:#fbefc8}</style></head><body>",
                 f"<h1>{e(title)}</h1>",
                 f"<p>{e(self.attrs.get('basis', ''))}</p>",
                 "<table><tr><th>id</th><th>claim</th><th>verdict</th>"
                 f"<th>model's answer</th></tr>{rows}</table>"]
        for r in self:
            s = r.sensitivity
            parts.append(
                f"<h2 id='{e(r.id)}'><code>{e(r.id)}</code> — {e(r.verdict)}</h2>"
                f"<p><em>{e(r.claim)}</em> (claimed in {e(r.claimed_in)})</p>"
                f"<p>{e(r.reason)}</p><p><strong>Model.</strong> {e(r.method)}</p>"
                "<h3>Assumptions</h3><ul>"
                + "".join(f"<li><code>{e(k)}</code> = {e(a['value'])} — {e(a['source'])}</li>"
                          for k, a in r.assumptions.items())
                + f"</ul><h3>Sensitivity to <code>{e(s['assumption'])}</code></h3><table>"
                "<tr><th>value</th><th>answer</th><th>claim</th></tr>"
                + "".join(f"<tr><td>{e(c['value'])}</td><td>{e(c['answer'])}</td>"
                          f"<td>{'holds' if c['holds'] else 'does not hold'}</td></tr>"
                          for c in s["cases"]) + "</table>"
                + (f"<p><strong>Not sourced:</strong> {e('; '.join(r.unsourced))}</p>"
                   if r.unsourced else ""))
        parts.append("</body></html>")
        return "\n".join(parts)

    def summary(self) -> str:
        """Plain text: one paragraph per claim."""
        return "\n\n".join(r.summary() for r in self)



def pair(value: Any, name: str) -> tuple:
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise InputError(f"{name}={value!r} must be a pair (low, high), e.g. "
                         "('0.015 K/W', '0.06 K/W').")
    return tuple(value)


def assumption(value: Any, source: str) -> dict:
    return {"value": str(value), "source": source}


