# Rummelig — every target reads like the README. Only Python 3.11 is assumed (Debian's own
# /usr/bin/python3 is enough: nothing is installed into the system Python, PEP 668).
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.synced
BIN := $(VENV)/bin
# uv: the one on PATH, else a private copy in .venv-bootstrap/ (python3 -m venv + pip there).
BOOTSTRAP := .venv-bootstrap
UV := $(or $(shell command -v uv 2>/dev/null),$(BOOTSTRAP)/bin/uv)
# VERBOSE=1 shows uv's package list and make's commands.
QUIET := $(if $(VERBOSE),,--quiet)

.PHONY: setup test-apps demo docs test dev bench lint fmt clean

$(BOOTSTRAP)/bin/uv:
	@echo "uv findes ikke på PATH: installerer den i $(BOOTSTRAP)/ (systemets Python røres ikke)"
	@python3 -m venv $(BOOTSTRAP) || { echo "Fejl: 'python3 -m venv' virker ikke (Debian: apt-get install python3-venv)" >&2; exit 1; }
	@$(BOOTSTRAP)/bin/python -m pip install $(QUIET) --disable-pip-version-check uv

$(STAMP): pyproject.toml uv.lock | $(UV)
	@echo "Installerer det låste Python-miljø i $(VENV)/ med uv …"
	@start=$$(date +%s); $(UV) sync --locked --compile-bytecode --python 3.11 $(QUIET) && \
	  echo "Miljøet er klar ($$(( $$(date +%s) - start )) s)."
	@touch $(STAMP)

setup: $(STAMP)

# Debian's headless Chromium and LibreOffice Calc for the tests that open the demo reports the
# way their readers do (installed when we may; otherwise those tests skip, or fail under
# RUMMELIG_REQUIRE_BROWSER=1 / RUMMELIG_REQUIRE_LIBREOFFICE=1, as .ci/run sets).
test-apps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerer$$missing (apt-get) til browser- og LibreOffice-testene …"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Mangler$$missing: de tests springes over (apt-get install$$missing)"; fi; fi

## demo: synthetic Horsens → DuckDB data warehouse → reports in out/
demo: $(STAMP)
	@$(BIN)/rummelig demo --out out

## docs: the static dbt docs site (every model and column) in out/docs/index.html
docs: $(STAMP)
	@$(BIN)/rummelig docs --out out/docs --database out/rummelig.duckdb

## test: the whole test suite (unit, dbt, Dagster, GX, reports, end-to-end)
test: $(STAMP) test-apps
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup --durations=15

## dev: the Dagster UI on http://127.0.0.1:3000 over the demo warehouse and its history
dev: $(STAMP)
	@$(BIN)/rummelig dev --out out

## bench: timings at larger scale (not part of make test): the build's cost curve at 3 000,
## 30 000 and 150 000 employees (BENCH_SIZES="500000 1000000" for national size; BENCH=build
## runs that bench alone), the sickness and quota models; results in bench_results/
bench: $(STAMP)
	BENCH_SIZES="$(BENCH_SIZES)" $(BIN)/python -m tests.bench.run_bench $(BENCH)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf out dbt_project/target dbt_project/logs .pytest_cache
