"""The README works as written and reads well on the package index.

Every ``python`` block of README.md runs as it stands, each in a fresh namespace
(the way a reader pastes it); a block followed by "prints" and a ``text`` block
must print exactly that. The README says how to install the package and its
extras (each one exists in pyproject.toml), and links to nothing outside the
package: on the package index a relative link to a file of the repository is
broken.
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: a fenced block: its language and its text
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.S | re.M)


def python_blocks(text: str) -> list[tuple[str, str | None]]:
    """Each ``python`` block with the ``text`` block it says it prints (or None)."""
    blocks = [(m.group(1), m.group(2), m.end()) for m in FENCE.finditer(text)]
    out = []
    for i, (lang, code, end) in enumerate(blocks):
        if lang != "python":
            continue
        printed = None
        if i + 1 < len(blocks) and blocks[i + 1][0] == "text":
            between = text[end:text.index("```text", end)]
            if between.strip() == "prints":
                printed = blocks[i + 1][1]
        out.append((code, printed))
    return out


BLOCKS = python_blocks(README)


def test_the_readme_has_the_tour_and_the_sizing_script():
    assert len(BLOCKS) >= 2
    # the sizing script: ten lines after its imports (the first blank line), and its
    # output stated
    code, printed = next((c, p) for c, p in BLOCKS if "seawater_flow(" in c)
    body = [ln for ln in code.split("\n\n", 1)[1].splitlines() if ln.strip()]
    assert len(body) == 10, body
    assert printed is not None


@pytest.mark.parametrize("k", range(len(BLOCKS)))
def test_each_python_block_runs_as_written(k, tmp_path, monkeypatch):
    code, printed = BLOCKS[k]
    monkeypatch.chdir(tmp_path)       # nothing the block needs comes from the checkout
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("error")        # a reader would see any warning
        exec(compile(code, f"README.md block {k}", "exec"), {"__name__": "__main__"})
    if printed is not None:
        assert out.getvalue() == printed


def test_the_readme_says_how_to_install_and_each_extra_exists():
    assert re.search(r"^pip install narvik_thermal$", README, re.M)
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    named = re.findall(r'pip install "narvik_thermal\[([\w,]+)\]"', README)
    assert named, "no extras in the README"
    for group in named:
        for extra in group.split(","):
            assert extra in extras, extra


def test_the_readme_links_nothing_outside_the_package():
    # markdown links and images: only absolute web addresses
    for target in re.findall(r"\]\(([^)]+)\)", README):
        assert re.match(r"https?://", target), target
    # no path that climbs out of the repository, as the old facts link did
    assert "../" not in README


def test_the_python_block_finder():
    text = ("```python\nprint(1)\n```\n\nprints\n\n```text\n1\n```\n"
            "```python\nx = 2\n```\n\nsee\n\n```text\nno\n```\n")
    assert python_blocks(text) == [("print(1)\n", "1\n"), ("x = 2\n", None)]
