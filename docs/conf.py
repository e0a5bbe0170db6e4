"""Sphinx configuration of the narvik_thermal documentation.

Build with ``make docs`` (``python -m sphinx -b html -W --keep-going docs docs/_build/html``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))   # works without an editable install too
sys.path.insert(0, str(HERE / "_ext"))

import narvik_thermal  # noqa: E402

# -- project -----------------------------------------------------------------
project = "narvik_thermal"
author = "narvik_thermal developers"
copyright = "narvik_thermal developers"
release = narvik_thermal.__version__
version = ".".join(release.split(".")[:2])

# -- extensions --------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",                 # also provides the MyST markdown parser
    "optional_automodule",     # docs/_ext: modules that may not exist yet
    "validation_tables",       # docs/_ext: validation tables from tests/validation_cases.py
]

exclude_patterns = ["_build", "jupyter_execute", ".jupyter_cache", "**.ipynb_checkpoints",
                    "_ext"]
templates_path: list[str] = []
nitpicky = False

# -- autodoc / numpydoc ------------------------------------------------------
autodoc_typehints = "none"            # types are written in the numpydoc Parameters
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# numpydoc numbers a docstring's References [1]_, [2]_, ...; a reference listed for
# the reader but not cited in that docstring's text is not an error of the docs
suppress_warnings = ["ref.citation"]

# -- notebooks (myst-nb) -----------------------------------------------------
# The example notebooks (stored without outputs) and the executed pages
# (getting_started.md) run when the documentation builds, so their printed
# numbers and figures are this build's. "cache": a notebook whose code has not
# changed since its last run is not run again; the cache lives in
# docs/_build/.jupyter_cache (``make clean`` removes it, and so forces a rerun
# after a change of the library).
nb_execution_mode = "cache"
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")
nb_execution_timeout = 900            # seconds per cell; example 05 runs two shortened years
nb_execution_raise_on_error = True    # a failing cell fails the build
nb_execution_show_tb = True
nb_merge_streams = True


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _with_python_metadata(raw: bytes) -> bytes:
    """Give a notebook written without Jupyter (e.g. by nbformat) the language
    metadata myst-nb needs to pick a lexer; every example is Python."""
    try:
        nb = json.loads(raw)
    except ValueError:
        return raw          # not JSON: let myst-nb report it
    meta = nb.setdefault("metadata", {})
    if "name" in meta.get("language_info", {}):
        return raw
    meta.setdefault("language_info", {})["name"] = "python"
    meta.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3",
                                   "language": "python"})
    return json.dumps(nb, indent=1, ensure_ascii=False).encode()


def _copy_examples() -> None:
    """Mirror ../examples/*.ipynb into docs/examples/ and write their toctree.

    The copies and ``examples/_notebooks.inc`` are git-ignored build inputs.
    An explicit list (not a ``:glob:``) keeps an empty examples/ folder from
    raising Sphinx's "glob pattern didn't match" warning, which cannot be
    suppressed.
    """
    src_dir, dst_dir = ROOT / "examples", HERE / "examples"
    dst_dir.mkdir(exist_ok=True)
    wanted = {p.name: p for p in sorted(src_dir.glob("*.ipynb"))} if src_dir.is_dir() else {}
    for stale in dst_dir.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for name, src in wanted.items():
        _write_if_changed(dst_dir / name, _with_python_metadata(src.read_bytes()))
    if wanted:
        lines = [".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {Path(name).stem}" for name in wanted]
    else:
        lines = ["*No example notebooks yet.*"]
    _write_if_changed(dst_dir / "_notebooks.inc", ("\n".join(lines) + "\n").encode())


_copy_examples()

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"narvik_thermal {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "glossary": [], "references": []}
