"""Run a snippet in a fresh Python process with a given disk cache, optionally with
CoolProp blocked (importing it fails), and read the JSON it prints last: for the
on-disk caches that spare a new process CoolProp (fluid tables, performance maps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import narvik_thermal

SRC = Path(narvik_thermal.__file__).resolve().parent.parent

#: Prepended to every snippet: with the argument "block", importing CoolProp fails.
BLOCK = textwrap.dedent("""
    import json, sys
    if sys.argv[1] == "block":                  # importing CoolProp now fails
        import importlib.abc
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name.split(".")[0] == "CoolProp":
                    raise ImportError("CoolProp blocked by the test")
        sys.meta_path.insert(0, Block())
""")


def run(snippet: str, cache, mode: str = "plain") -> dict:
    """Run ``BLOCK + snippet`` with ``NARVIK_THERMAL_CACHE_DIR=cache`` ("" turns the
    caches off) and ``mode`` ("plain" or "block"); the JSON of its last line."""
    env = dict(os.environ, NARVIK_THERMAL_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", BLOCK + textwrap.dedent(snippet), mode],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
