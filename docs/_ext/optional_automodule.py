"""``optional-automodule``: document a module that may not exist yet.

Some layers of narvik_thermal (plant builders, site data, …) land in the
repository at different times. This directive lets the API pages name them
now without breaking ``sphinx -W``:

- the module imports and has content → exactly ``.. automodule::`` with the
  same options;
- the module does not exist (``ModuleNotFoundError`` for that very module,
  or an empty namespace directory) → a short note saying so;
- the module exists but fails to import (a bug, a missing dependency) → a
  Sphinx *warning*, so that ``-W`` reports it instead of hiding it.
"""

from __future__ import annotations

import importlib

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def probe(name: str) -> tuple[bool, str]:
    """Return ``(available, reason)`` for module ``name``."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (name == missing or name.startswith(missing + ".")):
            return False, "not written yet"
        return False, f"import failed: {exc!r}"
    except Exception as exc:  # noqa: BLE001 - reported as a Sphinx warning below
        return False, f"import failed: {exc!r}"
    if getattr(module, "__file__", None) is None:
        return False, "not written yet (empty package directory)"
    return True, ""


class OptionalAutomodule(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {
        "members": directives.unchanged,
        "undoc-members": directives.flag,
        "show-inheritance": directives.flag,
        "member-order": directives.unchanged,
        "exclude-members": directives.unchanged,
        "no-index": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        available, reason = probe(name)
        if available:
            lines = [f".. automodule:: {name}"]
            for key, value in self.options.items():
                lines.append(f"   :{key}:" + (f" {value}" if value else ""))
        else:
            if reason.startswith("import failed"):
                logger.warning("optional module %s exists but does not import (%s)",
                               name, reason, location=self.get_location())
            else:
                logger.info("optional module %s: %s; documented as a placeholder",
                            name, reason)
            lines = [".. note::", "",
                     f"   ``{name}`` is {reason}. Its reference appears on this page "
                     "as soon as the module is in the package."]
        container = nodes.Element()
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("optional-automodule", OptionalAutomodule)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
