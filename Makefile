# narvik_thermal — two set-up commands: `make demo` and `make test`.
#
# `make demo` installs what the library needs to run and matplotlib (the `plot` extra)
# for the demo's figure, nothing else; `make test`
# adds the test tools, the cross-check tools and every optional feature; `make docs`
# adds the documentation tools. Each install has its own stamp, so the targets work
# in any order and reinstall when pyproject.toml changes.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
TEST_EXTRAS := test,crosscheck,plot,sweep,weather

.PHONY: demo test bench docs clean

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-demo: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[plot]"
	touch $@

$(VENV)/.installed-test: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[$(TEST_EXTRAS)]"
	touch $@

$(VENV)/.installed-docs: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[docs]"
	touch $@

demo: $(VENV)/.installed-demo
	$(PY) -m narvik_thermal demo

test: $(VENV)/.installed-test
	$(PY) -m pytest -q
	$(PY) -m pytest -q --nbmake --nbmake-timeout=900 examples
	$(PY) -m pytest -q benchmarks -o addopts='' --benchmark-disable

bench: $(VENV)/.installed-test
	$(PY) -m pytest benchmarks -o addopts='' --benchmark-only --benchmark-autosave --benchmark-columns=min,median,max,rounds

docs: $(VENV)/.installed-docs
	$(PY) -m sphinx -b html -W --keep-going docs docs/_build/html

clean:
	rm -rf $(VENV) docs/_build .benchmarks
