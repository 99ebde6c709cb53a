# Everything installs into .venv from the package registries; nothing else is needed but make and a Python 3.11 to
# 3.13. PYTHON is the first of python3.11, python3.12, python3.13 and python3 that runs and is one of those (a pyenv
# shim exists for versions it does not select, and fails); or say which: make PYTHON=/path/to/python3.12 test
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
ifndef PYTHON
PYTHON := $(firstword $(foreach candidate,python3.11 python3.12 python3.13 python3,$(shell $(candidate) -c '$(SUPPORTED)' >/dev/null 2>&1 && echo $(candidate))))
endif
NO_PYTHON := make: no Python 3.11, 3.12 or 3.13 found (tried python3.11, python3.12, python3.13 and python3). Install one, or name it: make PYTHON=/path/to/python3.12 ...
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install test demo bench example lint format clean

install: $(INSTALLED)

$(INSTALLED): setup.py sandbox/pyproject.toml
	@test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }
	@$(PYTHON) -c '$(SUPPORTED)' || { echo "make: $(PYTHON) is not a Python 3.11 to 3.13; name one: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }
	@echo "Installing the connector, the sandbox and the test tools into $(VENV) with $(PYTHON) (a minute or two)."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -e '.[tests]' -e './sandbox[fast]' 2>&1 | grep --line-buffered -v "is ignored: it is neither a file nor a directory" || true
	$(BIN)/python -c 'import airbyte_cdk, pendulum, pytest, requests_mock, hypothesis, tiktok_shop_sandbox'
	touch $(INSTALLED)

test: install
	$(BIN)/pytest

demo: install
	$(BIN)/python scripts/demo.py

# Every figure RUNS times (about 12 minutes a run), with the spread over the runs: make bench RUNS=1 for one.
RUNS ?= 3

bench: install
	$(BIN)/python -m bench --runs $(RUNS)

EXAMPLE_VENV := examples/.venv-example

example:
	@test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }
	test -x $(EXAMPLE_VENV)/bin/python || $(PYTHON) -m venv $(EXAMPLE_VENV)
	$(EXAMPLE_VENV)/bin/pip install --disable-pip-version-check --progress-bar off -e '.[example]' -e './sandbox[fast]' 2>&1 | grep --line-buffered -v "is ignored: it is neither a file nor a directory" || true
	$(EXAMPLE_VENV)/bin/python examples/pyairbyte_duckdb.py

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy source_tiktok_shop

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(EXAMPLE_VENV) examples/.cache .pytest_cache .mypy_cache .ruff_cache *.egg-info sandbox/*.egg-info
