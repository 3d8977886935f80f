# The two commands: `make demo` and `make test`. Each does its own set-up:
# a virtual environment in .venv, the package installed editable with its extras,
# the Graphviz `dot` program and (for the browser tests) Chromium. Running them
# again reinstalls nothing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: demo test venv exercises graphviz chromium

demo: $(INSTALLED) graphviz
	$(PY) -m nn train --dataset moons --out out
	@echo "demo files written to $(CURDIR)/out"

test: $(INSTALLED) graphviz chromium
	$(PY) -m pytest -q

venv: $(INSTALLED)

exercises: $(INSTALLED)
	$(PY) notebooks/build.py --student exercises-student
	@echo "student notebooks in $(CURDIR)/exercises-student"

graphviz:
	@sh scripts/ensure-graphviz.sh

chromium:
	@sh scripts/ensure-chromium.sh

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "chainrule needs Python >= 3.10, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(INSTALLED)
