# Everything installs into .venv from the package registries; nothing else is needed but python3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install test demo bench example lint format clean

install: $(INSTALLED)

$(INSTALLED): setup.py sandbox/pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[tests]' -e './sandbox[fast]' 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
	$(BIN)/python -c 'import airbyte_cdk, pendulum, pytest, requests_mock, hypothesis, tiktok_shop_sandbox'
	touch $(INSTALLED)

test: install
	$(BIN)/pytest

demo: install
	$(BIN)/python scripts/demo.py

bench: install
	$(BIN)/python -m bench

EXAMPLE_VENV := examples/.venv-example

example:
	test -x $(EXAMPLE_VENV)/bin/python || $(PYTHON) -m venv $(EXAMPLE_VENV)
	$(EXAMPLE_VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[example]' -e './sandbox[fast]' 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
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
