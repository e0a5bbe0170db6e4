# narvik_thermal — two set-up commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench docs clean notebooks

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[test,docs,sweep]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m narvik_thermal demo

test: $(STAMP)
	$(PY) -m pytest -q
	$(PY) -m pytest -q --nbmake --nbmake-timeout=900 examples
	$(PY) -m pytest -q benchmarks -o addopts='' --benchmark-disable

bench: $(STAMP)
	$(PY) -m pytest benchmarks -o addopts='' --benchmark-only --benchmark-autosave --benchmark-columns=min,median,max,rounds

docs: $(STAMP)
	$(PY) -m sphinx -b html -W --keep-going docs docs/_build/html

clean:
	rm -rf $(VENV) docs/_build .benchmarks
