"""A package a user can install and cite.

- the version is written once (pyproject.toml) and read from the package metadata;
- the build requirements are enough for what pyproject.toml uses;
- ``pip install narvik_thermal`` brings what the library needs and nothing of the
  test, documentation or cross-check tools: every module the package imports at
  import time belongs to a runtime dependency, and the demo (``make demo``) runs
  without any module of an extra;
- the wheel carries its licence, ``py.typed`` and a changelog entry for its version.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import narvik_thermal as nt
from narvik_thermal import _metadata

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "narvik_thermal"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
RUNTIME = {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]}
#: the extras' distributions (``all`` names the others, through the package itself)
EXTRAS = {name: {canonicalize_name(Requirement(r).name) for r in reqs}
          for name, reqs in PROJECT["optional-dependencies"].items() if name != "all"}


# ------------------------------------------------------------------ the version

def test_the_version_is_written_once_and_read_from_the_metadata():
    assert nt.__version__ == PROJECT["version"]
    try:
        installed = metadata.version("narvik_thermal")
    except metadata.PackageNotFoundError:       # a source tree on PYTHONPATH
        installed = None
    if installed is not None:
        assert nt.__version__ == installed
    # nowhere else: no module or the docs writes a version string of its own
    for path in [*SRC.rglob("*.py"), ROOT / "docs" / "conf.py"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(__version__|release|version)\s*=\s*["']\d""", text), path


def test_read_version_falls_back_to_the_source_trees_pyproject(tmp_path):
    absent = "narvik-thermal-not-installed"
    py = tmp_path / "pyproject.toml"
    py.write_text(f'[project]\nname = "{absent}"\nversion = "9.8.7"\n')
    assert _metadata.read_version(absent, py) == "9.8.7"
    # another project's pyproject, a broken or a missing one: unknown, never a guess
    py.write_text('[project]\nname = "someone-else"\nversion = "1.0"\n')
    assert _metadata.read_version(absent, py) == _metadata.UNKNOWN_VERSION == "0+unknown"
    py.write_text("[project\n")
    assert _metadata.read_version(absent, py) == "0+unknown"
    assert _metadata.read_version(absent, tmp_path / "none.toml") == "0+unknown"
    assert _metadata.read_version(absent, None) == "0+unknown"
    # an installed distribution's metadata comes first
    assert _metadata.read_version("numpy", py) == metadata.version("numpy")


# ------------------------------------------------------------------ the build

def test_the_build_requirements_read_the_licence_expression():
    # a PEP 639 licence string (license = "MIT") and license-files need setuptools 77
    # (older versions refuse the string); its License :: classifiers are then an error
    assert isinstance(PROJECT["license"], str)
    assert PROJECT["license-files"] == ["LICENSE"]
    setuptools = next(Requirement(r) for r in PYPROJECT["build-system"]["requires"]
                      if Requirement(r).name == "setuptools")
    assert not SpecifierSet(str(setuptools.specifier)).contains("76.1.0")
    assert SpecifierSet(str(setuptools.specifier)).contains("77.0.3")
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"])


def test_the_package_carries_its_licence_types_and_changelog():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(
        "MIT License\n\nCopyright (c) 2026 narvik_thermal developers")
    assert (SRC / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["narvik_thermal"]
    assert "Typing :: Typed" in PROJECT["classifiers"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(PROJECT['version'])}\]", changelog, re.M)


# ------------------------------------------------------------------ the dependencies

#: distributions of the test, documentation and cross-check tools
TOOLS = EXTRAS["test"] | EXTRAS["docs"] | EXTRAS["crosscheck"]


def test_the_runtime_dependencies_hold_no_tool():
    assert not RUNTIME & TOOLS
    assert not RUNTIME & (EXTRAS["plot"] | EXTRAS["weather"] | EXTRAS["sweep"])
    # every extra is installable through `all`
    (everything,) = PROJECT["optional-dependencies"]["all"]
    assert Requirement(everything).name == PROJECT["name"]
    assert Requirement(everything).extras == set(EXTRAS)


def _third_party_imports(lazy: bool) -> dict[str, str]:
    """Top-level names of the third-party modules the package imports: at import time
    (``lazy=False``: outside functions) or anywhere; name -> the first file:line."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = set()
        if not lazy:
            for fn in ast.walk(tree):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    inside.update(id(n) for n in ast.walk(fn) if n is not fn)
        for node in ast.walk(tree):
            if id(node) in inside:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top != "narvik_thermal" and top not in sys.stdlib_module_names:
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@functools.cache
def _module_distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def _distributions(module: str) -> set[str]:
    """The (canonical) names of the installed distributions that provide ``module``; for
    a module that is not installed (an optional one), its own name."""
    found = _module_distributions().get(module)
    return {canonicalize_name(d) for d in found} if found else {canonicalize_name(module)}


def test_what_the_package_imports_at_import_time_is_a_runtime_dependency():
    eager = _third_party_imports(lazy=False)
    assert {"numpy", "scipy", "pint", "numba"} <= set(eager)        # the scan sees imports
    for module, where in eager.items():
        assert _distributions(module) & RUNTIME, (
            f"{where} imports {module} at import time; it is not a runtime dependency")


def test_every_import_is_declared_somewhere():
    declared = RUNTIME.union(*EXTRAS.values())
    for module, where in _third_party_imports(lazy=True).items():
        assert _distributions(module) & declared, f"{where}: {module} is not declared"


#: modules a runtime dependency imports by itself when they are installed
IMPORTED_BY_DEPENDENCIES = {"dask": "pint.compat imports dask when it is installed",
                            "cloudpickle": "dask (imported by pint.compat, above) imports it"}

DEMO = """
import io, json, sys
from narvik_thermal.cli import demo
assert demo(io.StringIO()) == 0
print(json.dumps(sorted({m.partition(".")[0] for m in sys.modules})))
"""


def test_the_demo_runs_on_the_runtime_dependencies_alone():
    """``make demo`` installs the runtime dependencies only: the demo imports no module
    of an extra (run in a fresh interpreter, so the tests' own imports do not count)."""
    extras_only = set().union(*EXTRAS.values()) - RUNTIME
    proc = subprocess.run([sys.executable, "-c", DEMO], capture_output=True, text=True,
                          timeout=600, check=True)
    loaded = json.loads(proc.stdout.splitlines()[-1])
    bad = {m: _distributions(m) & extras_only for m in loaded
           if m not in IMPORTED_BY_DEPENDENCIES and _distributions(m) & extras_only}
    assert not bad, bad


def test_import_leaves_the_heavy_libraries_to_the_functions_that_use_them():
    """``import narvik_thermal`` imports neither xarray nor pandas (0.4 s of a 1.5 s
    import on the 2-core machine): the KPIs, the annual run, the weather reader and
    the plots import them where they are used (run in a fresh interpreter)."""
    code = ("import json, sys, narvik_thermal\n"
            "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, check=True)
    loaded = set(json.loads(proc.stdout.splitlines()[-1]))
    assert "narvik_thermal" in loaded
    assert not loaded & {"xarray", "pandas", "matplotlib", "CoolProp"}, loaded
