# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEPS := constraints.txt requirements-dev.txt shared/pyproject.toml \
        $(wildcard services/*/pyproject.toml)

.PHONY: install run test demo lint bench clean

$(STAMP): $(DEPS)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ needed"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV)…"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## Run the whole system locally (add RUN_ARGS=--demo to load the sample school).
run: install
	@$(PY) scripts/run_local.py $(RUN_ARGS)

## Run every test: unit, integration, end-to-end, browser and deployment checks.
test: install
	@PYTHON=$(PY) scripts/install_check_tools.sh
	@scripts/install_test_browser.sh
	@$(PY) -m pytest $(PYTEST_ARGS)

## The main job on the sample school against a running `make run`.
demo: install
	@$(PY) scripts/demo.py $(DEMO_ARGS)

lint: install
	@$(VENV)/bin/ruff check shared services scripts tests

clean:
	rm -rf $(VENV) data test-artifacts
