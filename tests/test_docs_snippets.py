"""The code on the documentation's pages runs as written.

- ``docs/getting_started.md`` is a MyST notebook that the documentation build
  executes (myst-nb); its code cells run here too, in order, in one namespace,
  so that ``make test`` catches a broken page before ``make docs`` does.
- The ``.. code-block:: python`` blocks of the user guide and of the page for
  pandapipes and EPANET users run page by page, in order, in one namespace per
  page. A block that cannot run as shown (it needs the reader's own file) says
  so with ``:class: no-run``.
- The shell commands shown next to a hidden cell are the ones it runs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK_PAGES = ["getting_started.md"]
RST_PAGES = sorted(str(p.relative_to(DOCS)) for p in (DOCS / "user_guide").glob("*.rst")
                   if p.name != "index.rst") + ["coming_from_pandapipes_epanet.rst"]
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_cells(page: str) -> list[str]:
    """The code cells of a MyST notebook page, without cell options (``:tags:``) and
    IPython magics (``%matplotlib inline``), which plain Python cannot run."""
    cells = []
    for body in CELL.findall((DOCS / page).read_text()):
        cells.append("\n".join(ln for ln in body.splitlines()
                               if not re.match(r"^(:\w[\w-]*:|%)", ln)))
    return cells


def code_blocks(page: str) -> list[str]:
    """The ``.. code-block:: python`` blocks of an rst page, dedented, except
    those with ``:class: no-run``."""
    lines = (DOCS / page).read_text().splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)\.\. code-block:: python\s*$", lines[i])
        i += 1
        if not m:
            continue
        indent, options = len(m.group(1)), []
        while i < len(lines) and re.match(r"^\s+:[\w-]+:", lines[i]):
            options.append(lines[i].strip())
            i += 1
        body = []
        while i < len(lines) and (not lines[i].strip()
                                  or len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i])
            i += 1
        if any(o.startswith(":class:") and "no-run" in o for o in options):
            continue
        cut = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        blocks.append("\n".join(b[cut:] for b in body).strip("\n"))
    return blocks


def _run(page: str, snippets: list[str], tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ns: dict = {"__name__": "__main__"}
    try:
        for k, code in enumerate(snippets):
            try:
                exec(compile(code, f"{page}, block {k + 1}", "exec"), ns)
            except Exception as exc:      # name the block
                raise AssertionError(f"{page}, code block {k + 1} failed: {exc!r}\n{code}") \
                    from exc
    finally:
        plt.close("all")


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_page_runs(page, monkeypatch, tmp_path):
    _run(page, code_cells(page), tmp_path, monkeypatch)


@pytest.mark.parametrize("page", RST_PAGES)
def test_rst_page_runs(page, monkeypatch, tmp_path):
    blocks = code_blocks(page)
    assert blocks, f"{page} has no python code block"
    _run(page, blocks, tmp_path, monkeypatch)


def test_cli_commands_shown_are_the_ones_run():
    text = (DOCS / "getting_started.md").read_text()
    shown = {tuple(shlex.split(ln[2:])[1:]) for ln in text.splitlines()
             if ln.startswith("$ narvik-thermal ")}
    run = [eval(m) for m in re.findall(r"main\((\[.*?\])\)", text)]
    assert run, "no cell runs the command line"
    for args in run:
        assert tuple(args) in shown, args
