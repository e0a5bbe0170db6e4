"""Structure of the package, checked statically with :mod:`ast`.

The package is layered. Objects orchestrate, functions compute: the low layers
are the functions that compute (units, fluid properties, correlations, the
component laws, the sparse solvers); the high layers are the objects that
orchestrate them (the network, the plant models, the simulations, the
reporting and the command line). Layers import downwards only: a module may
import from its own layer or a lower one, never from a higher one, so that
each layer can be understood, tested and replaced without the ones above it.

The checks, each its own test:

1. no import cycle between modules (lazy imports inside functions count; an
   import under ``if TYPE_CHECKING:`` does not);
2. no upward import between the layers of :data:`LAYERS`, and every module
   has a layer;
3. no module over :data:`MAX_LINES` physical lines unless it is in
   :data:`ALLOWED_LONG`;
4. no module, in ``src/`` or ``tests/``, reads another object's private state
   (``x._name`` where ``x`` is not ``self``/``cls``, or ``from m import
   _name`` of a private function, class or variable) unless it is in
   :data:`ALLOWED_PRIVATE`.

Nothing here imports the package: the source is parsed, not executed. The
last tests run the checker on tiny synthetic trees, so each check is shown to
be able to fail.
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import pytest

# Layers, lowest first. A module may import only from its own layer or lower
# ones. A key names a module or a package; a package's key covers all its
# submodules, except the top-level package key, which covers only its own
# ``__init__.py``. Entries for modules that do not exist yet are harmless.
LAYERS: dict[str, int] = {
    "narvik_thermal.units": 0,
    "narvik_thermal.errors": 0,
    "narvik_thermal._numba": 0,
    "narvik_thermal._metadata": 0,
    "narvik_thermal.fluids": 1,
    "narvik_thermal.correlations": 2,
    "narvik_thermal.components": 3,
    "narvik_thermal.solvers": 4,
    "narvik_thermal.network": 5,
    "narvik_thermal.climate": 6,
    "narvik_thermal.demand": 6,
    "narvik_thermal.plant": 7,
    "narvik_thermal.feasibility": 7,
    "narvik_thermal.simulation": 8,
    "narvik_thermal.transient": 8,
    "narvik_thermal.kpi": 9,
    "narvik_thermal.plot": 9,
    "narvik_thermal.io": 9,
    "narvik_thermal.audit": 9,
    "narvik_thermal.cli": 9,
    "narvik_thermal.__main__": 9,
    "narvik_thermal": 9,  # the top-level __init__.py only
}

# Modules allowed over MAX_LINES: cohesive catalogues only, with a reason each,
# e.g. {"narvik_thermal.correlations.friction": "one catalogue of ..."}.
MAX_LINES = 1000
ALLOWED_LONG: dict[str, str] = {}

# Private-state reads that are allowed, keyed by (file relative to the
# repository root, attribute or imported name), e.g.
# {("src/narvik_thermal/network/io.py", "_chunks"): "reason"}.
WNTR_CONTROLS = ("wntr's ValueCondition/ControlAction (third-party) expose no public accessor for the t = 0 control state the EPANET converter must honour")
NUMBA_CACHE = ("numba has no public API for a cache locator or a dispatcher's cache: the "
                "fallback cache of _numba.py and its test use numba.core.caching's classes")
ALLOWED_PRIVATE: dict[tuple[str, str], str] = {
    ("src/narvik_thermal/_numba.py", "_CacheLocator"): NUMBA_CACHE,
    ("src/narvik_thermal/_numba.py", "_SourceFileBackedLocatorMixin"): NUMBA_CACHE,
    ("src/narvik_thermal/_numba.py", "_locator_classes"): NUMBA_CACHE,
    ("src/narvik_thermal/_numba.py", "_impl"): NUMBA_CACHE,
    ("src/narvik_thermal/_numba.py", "_cache"): NUMBA_CACHE,
    ("tests/test_numba.py", "_cache"): NUMBA_CACHE,
    ("tests/test_numba.py", "_impl"): NUMBA_CACHE,
    ("tests/epanet_networks.py", "_source_obj"): WNTR_CONTROLS,
    ("tests/epanet_networks.py", "_source_attr"): WNTR_CONTROLS,
    ("tests/epanet_networks.py", "_threshold"): WNTR_CONTROLS,
    ("tests/epanet_networks.py", "_relation"): WNTR_CONTROLS,
    ("tests/epanet_networks.py", "_value"): WNTR_CONTROLS,
}

# Underscore names that are public API: the namedtuple methods.
PUBLIC_UNDERSCORE = frozenset({"_replace", "_asdict", "_fields", "_field_defaults", "_make"})

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = "narvik_thermal"


# --------------------------------------------------------------------------
# The checker
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Edge:
    """One import of module ``dst`` by module ``src`` (``file:line``)."""

    src: str
    dst: str
    file: str
    line: int
    statement: str
    lazy: bool

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        lazy = " (lazy)" if self.lazy else ""
        return f"{self.where()}  {self.src} -> {self.dst}  `{self.statement}`{lazy}"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def collect_modules(src_root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``package``."""
    modules = {}
    for path in sorted((src_root / package).rglob("*.py")):
        parts = list(path.relative_to(src_root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _statement(text: str, node: ast.AST) -> str:
    segment = ast.get_source_segment(text, node) or ""
    return " ".join(segment.replace("(", "( ").split()).replace("( ", "(")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _iter_imports(tree: ast.AST):
    """Yield ``(import node, lazy)``, skipping ``if TYPE_CHECKING:`` bodies."""
    stack = [(tree, False)]
    while stack:
        node, lazy = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, lazy
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            children = node.orelse
        else:
            children = list(ast.iter_child_nodes(node))
        inner = lazy or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        stack.extend((child, inner) for child in reversed(children))


def _internal(name: str, modules: dict[str, Path]) -> str | None:
    """The module that importing ``name`` runs: ``name`` or its longest existing prefix."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _from_base(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name of ``node``'s ``from`` part, as imported by ``module``."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def import_edges(modules: dict[str, Path], package: str, root: Path) -> list[Edge]:
    """Every import between modules of ``package``; third-party imports are dropped.

    ``import a.b`` and ``from a.b import c`` (absolute or relative) give an
    edge to ``a.b``, or to ``a.b.c`` when that is a module: the parent
    packages (``a``) are not counted, as a parent package is initialised before
    its submodules anyway. Imports inside functions count; imports under
    ``if TYPE_CHECKING:`` do not.
    """
    edges = []
    for module, path in modules.items():
        text = path.read_text(encoding="utf-8")
        for node, lazy in _iter_imports(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _from_base(module, path, node)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                           for alias in node.names]
            for target in dict.fromkeys(targets):
                if not (target == package or target.startswith(package + ".")):
                    continue
                dst = _internal(target, modules)
                if dst is not None and dst != module:
                    edges.append(Edge(module, dst, _rel(path, root), node.lineno,
                                      _statement(text, node), lazy))
    return edges


def strongly_connected(nodes, edges: list[Edge]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted."""
    succ = defaultdict(list)
    for e in edges:
        succ[e.src].append(e.dst)
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    scc = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        scc.append(w)
                        if w == v:
                            break
                    sccs.append(sorted(scc))
    return sccs


def _shortest_cycle(start: str, members: set[str], edges: list[Edge]) -> list[str]:
    succ = defaultdict(set)
    for e in edges:
        if e.src in members and e.dst in members:
            succ[e.src].add(e.dst)
    parent = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(succ[v]):
            if w == start:
                path = [v]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if w not in parent:
                parent[w] = v
                queue.append(w)
    return [start]


def find_cycles(modules, edges: list[Edge]) -> list[tuple[list[str], list[str], list[Edge]]]:
    """Import cycles: (modules of the component, one shortest cycle, its imports)."""
    cycles = []
    for scc in strongly_connected(modules, edges):
        if len(scc) < 2:
            continue
        members = set(scc)
        inner = sorted((e for e in edges if e.src in members and e.dst in members),
                       key=lambda e: (e.file, e.line))
        cycles.append((scc, _shortest_cycle(scc[0], members, edges), inner))
    return cycles


def layer_of(module: str, layers: dict[str, int], package: str) -> int | None:
    """The layer of the longest key of ``layers`` that is ``module`` or a parent of it."""
    if module in layers:
        return layers[module]
    name = module.rpartition(".")[0]
    while name and name != package:
        if name in layers:
            return layers[name]
        name = name.rpartition(".")[0]
    return None


def layer_violations(modules, edges: list[Edge], layers: dict[str, int], package: str,
                     root: Path = REPO) -> tuple[list[str], list[str]]:
    """(modules without a layer, upward imports)."""
    unassigned = [f"module {m} has no layer; add it to LAYERS ({_rel(p, root)})"
                  for m, p in modules.items() if layer_of(m, layers, package) is None]
    upward = []
    for e in sorted(edges, key=lambda e: (e.file, e.line)):
        lo, hi = layer_of(e.src, layers, package), layer_of(e.dst, layers, package)
        if lo is not None and hi is not None and hi > lo:
            upward.append(f"{e.src} (layer {lo}) -> {e.dst} (layer {hi})  "
                          f"{e.where()}  `{e.statement}`" + (" (lazy)" if e.lazy else ""))
    return unassigned, upward


def long_modules(modules, max_lines: int, allowed: dict[str, str],
                 root: Path = REPO) -> list[str]:
    out = []
    for m, p in modules.items():
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > max_lines and m not in allowed:
            out.append(f"{_rel(p, root)}: {n} lines ({m}); split it, or add it to "
                       f"ALLOWED_LONG with a reason if it is one cohesive catalogue")
    return out


def _is_own(value: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``: the object's own state."""
    return (isinstance(value, ast.Name) and value.id in ("self", "cls")) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
        and value.func.id == "super")


def _private(name: str) -> bool:
    dunder = name.startswith("__") and name.endswith("__")
    return name.startswith("_") and not dunder and name not in PUBLIC_UNDERSCORE


def _is_module(name: str, modules: dict[str, Path], path: Path, node: ast.ImportFrom) -> bool:
    """Whether ``from ... import`` of ``name`` imports a module rather than an attribute."""
    if name in modules:
        return True
    if node.level == 1 and node.module is None:  # ``from . import x`` outside the package
        leaf = path.parent / name.rpartition(".")[2]
        return leaf.with_suffix(".py").exists() or (leaf / "__init__.py").exists()
    return False


def private_accesses(files, root: Path, modules: dict[str, Path] | None = None,
                     allowed: dict[tuple[str, str], str] | None = None,
                     ) -> list[tuple[str, int, str, str]]:
    """Reads of another object's private state: ``(file, line, name, source line)``.

    Flags ``x._name`` where ``x`` is not ``self``/``cls``/``super()`` and
    ``_name`` is not a dunder, and ``from m import _name`` where ``m._name`` is
    not itself a module (importing a private *module* such as ``_kernels`` is
    not flagged; reading its private names is).
    """
    allowed = allowed or {}
    modules = modules or {}
    found = []
    for path in sorted(files):
        rel = _rel(path, root)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        module = next((m for m, p in modules.items() if p == path), "")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            names = []
            if isinstance(node, ast.Attribute) and _private(node.attr) and not _is_own(node.value):
                names = [node.attr]
            elif isinstance(node, ast.ImportFrom):
                base = _from_base(module, path, node) if module else (node.module or "")
                names = [a.name for a in node.names if _private(a.name)
                         and not _is_module(f"{base}.{a.name}", modules, path, node)]
            for name in names:
                if (rel, name) not in allowed:
                    found.append((rel, node.lineno, name, lines[node.lineno - 1].strip()))
    return sorted(set(found), key=lambda v: (v[0], v[1], v[2]))


def format_private(found) -> str:
    per_file = defaultdict(list)
    for rel, line, name, src in found:
        per_file[rel].append(f"  {rel}:{line}  .{name}  `{src[:110]}`")
    out = []
    for rel, rows in per_file.items():
        out.append(f"{rel}: {len(rows)}")
        out.extend(rows)
    return "\n".join(out)


def format_cycles(cycles) -> str:
    out = []
    for k, (scc, path, inner) in enumerate(cycles, 1):
        out.append(f"cycle {k}: {', '.join(scc)}")
        out.append(f"  e.g. {' -> '.join(path)}")
        out.extend(f"  {e.describe()}" for e in inner)
    return "\n".join(out)


# --------------------------------------------------------------------------
# The checks on the real tree
# --------------------------------------------------------------------------

def _tree():
    modules = collect_modules(SRC, PACKAGE)
    return modules, import_edges(modules, PACKAGE, REPO)


def test_no_import_cycles():
    modules, edges = _tree()
    cycles = find_cycles(modules, edges)
    assert not cycles, f"{len(cycles)} import cycle(s):\n{format_cycles(cycles)}"


def test_imports_go_down_the_layers():
    modules, edges = _tree()
    unassigned, upward = layer_violations(modules, edges, LAYERS, PACKAGE)
    assert not unassigned and not upward, "\n".join(
        unassigned + [f"{len(upward)} upward import(s):"] + upward)


def test_no_module_over_max_lines():
    modules = collect_modules(SRC, PACKAGE)
    too_long = long_modules(modules, MAX_LINES, ALLOWED_LONG)
    assert not too_long, "\n".join(too_long)


@pytest.mark.parametrize("tree", ["src", "tests"])
def test_no_private_state_read_across_modules(tree):
    modules = collect_modules(SRC, PACKAGE)
    files = modules.values() if tree == "src" else (REPO / "tests").rglob("*.py")
    found = private_accesses(files, REPO, modules, ALLOWED_PRIVATE)
    assert not found, (f"{len(found)} read(s) of another object's private state in {tree}/ "
                       f"(use a public API, or add to ALLOWED_PRIVATE with a reason):\n"
                       + format_private(found))


def test_layer_table_is_sane():
    assert all(isinstance(v, int) and 0 <= v <= 9 for v in LAYERS.values())
    assert layer_of("narvik_thermal", LAYERS, PACKAGE) == 9
    assert layer_of("narvik_thermal.network.io", LAYERS, PACKAGE) == 5
    assert layer_of("narvik_thermal.newthing", LAYERS, PACKAGE) is None
    assert set(ALLOWED_LONG) <= set(LAYERS) | set(collect_modules(SRC, PACKAGE))


# --------------------------------------------------------------------------
# The checker on synthetic trees: each check can fail
# --------------------------------------------------------------------------

def _write(root: Path, files: dict[str, str]) -> tuple[dict[str, Path], list[Edge]]:
    for name, text in files.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    modules = collect_modules(root / "src", "pkg")
    return modules, import_edges(modules, "pkg", root)


SYNTH_LAYERS = {"pkg.low": 0, "pkg.mid": 1, "pkg.high": 2, "pkg": 2}


def test_checker_finds_cycle_and_reports_lines(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/mid/__init__.py": "",
        "pkg/mid/a.py": "from .b import f\n",
        "pkg/mid/b.py": "import numpy as np\nfrom pkg.mid import a\n",
    })
    cycles = find_cycles(modules, edges)
    assert [c[0] for c in cycles] == [["pkg.mid.a", "pkg.mid.b"]]
    report = format_cycles(cycles)
    assert "src/pkg/mid/a.py:1" in report and "src/pkg/mid/b.py:2" in report
    assert "pkg.mid.a -> pkg.mid.b -> pkg.mid.a" in report


def test_checker_lazy_import_closes_cycle(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "def f():\n    from .a import g\n    return g\n",
    })
    (scc, _, inner), = find_cycles(modules, edges)
    assert scc == ["pkg.a", "pkg.b"]
    assert [e.lazy for e in inner] == [False, True]


def test_checker_ignores_type_checking_imports(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/low.py": ("from typing import TYPE_CHECKING\nimport typing\n"
                       "if TYPE_CHECKING:\n    from .high import H\n"
                       "if typing.TYPE_CHECKING:\n    from . import high\n"
                       "else:\n    from . import mid\n"),
        "pkg/mid.py": "",
        "pkg/high.py": "from .low import x\n",
    })
    assert find_cycles(modules, edges) == []
    assert {(e.src, e.dst) for e in edges} == {("pkg.low", "pkg.mid"), ("pkg.high", "pkg.low")}
    _, upward = layer_violations(modules, edges, SYNTH_LAYERS, "pkg")
    assert len(upward) == 1 and "pkg.low (layer 0) -> pkg.mid (layer 1)" in upward[0]


def test_checker_finds_upward_and_unassigned(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "from .high import run\n",
        "pkg/low.py": "import math\n",
        "pkg/mid/__init__.py": "from .. import low\n",
        "pkg/mid/m.py": "def f():\n    import pkg.high.h\n",
        "pkg/high/__init__.py": "",
        "pkg/high/h.py": "from ..mid import m\nfrom pkg import low\n",
        "pkg/extra.py": "",
    })
    unassigned, upward = layer_violations(modules, edges, SYNTH_LAYERS, "pkg", tmp_path)
    assert unassigned == ["module pkg.extra has no layer; add it to LAYERS (src/pkg/extra.py)"]
    assert len(upward) == 1
    assert upward[0].startswith("pkg.mid.m (layer 1) -> pkg.high.h (layer 2)")
    assert "src/pkg/mid/m.py:2" in upward[0] and upward[0].endswith("(lazy)")


def test_checker_resolves_from_import_of_module_or_attribute(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "from . import low, mid\nfrom .mid import thing\n",
        "pkg/low.py": "",
        "pkg/mid/__init__.py": "thing = 1\n",
        "pkg/mid/sub.py": "from . import thing\nfrom .. import low\nimport pkg.mid.sub2\n",
        "pkg/mid/sub2.py": "",
    })
    assert sorted((e.src, e.dst) for e in edges) == [
        ("pkg", "pkg.low"), ("pkg", "pkg.mid"), ("pkg", "pkg.mid"),
        ("pkg.mid.sub", "pkg.low"), ("pkg.mid.sub", "pkg.mid"), ("pkg.mid.sub", "pkg.mid.sub2")]


def test_checker_finds_long_module(tmp_path):
    modules, _ = _write(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "x = 1\n" * 12})
    assert len(long_modules(modules, 10, {})) == 1
    assert long_modules(modules, 10, {"pkg.big": "a cohesive catalogue"}) == []
    assert long_modules(modules, 12, {}) == []


def test_checker_finds_private_access(tmp_path):
    modules, _ = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/_k.py": "def _helper():\n    pass\n",
        "pkg/a.py": ("from . import _k\nfrom ._k import _helper\n"
                     "class A:\n"
                     "    def f(self, net, result):\n"
                     "        self._x = net._chunks\n"
                     "        super()._g()\n"
                     "        return cls._y, result._m[0], net.__dict__, result._replace(a=1)\n"),
    })
    found = private_accesses(modules.values(), tmp_path, modules)
    assert [(f, line, name) for f, line, name, _ in found] == [
        ("src/pkg/a.py", 2, "_helper"), ("src/pkg/a.py", 5, "_chunks"), ("src/pkg/a.py", 7, "_m")]
    allowed = {("src/pkg/a.py", "_chunks"): "reason", ("src/pkg/a.py", "_helper"): "reason"}
    assert [v[2] for v in private_accesses(modules.values(), tmp_path, modules, allowed)] == ["_m"]
    assert "src/pkg/a.py: 3" in format_private(found)


def test_checker_passes_clean_tree(tmp_path):
    modules, edges = _write(tmp_path, {
        "pkg/__init__.py": "from .high import run\n",
        "pkg/low.py": "import numpy as np\n\ndef f(x):\n    return np.sqrt(x)\n",
        "pkg/mid.py": ("from .low import f\n\n"
                       "def g():\n    from . import low\n    return low.f(1)\n"),
        "pkg/high.py": ("from typing import TYPE_CHECKING\nfrom .mid import g\n"
                        "if TYPE_CHECKING:\n    import pkg\n"
                        "class Run:\n    def __init__(self):\n        self._g = g\n"
                        "def run():\n    return Run()._replace if False else None\n"),
    })
    assert find_cycles(modules, edges) == []
    assert layer_violations(modules, edges, SYNTH_LAYERS, "pkg") == ([], [])
    assert long_modules(modules, MAX_LINES, {}) == []
    assert private_accesses(modules.values(), tmp_path, modules) == []
