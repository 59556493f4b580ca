# Rummelig — every target reads like the README. Only Python 3.11 and pip are assumed.
SHELL := /bin/bash
UV := python3 -m uv
VENV := .venv
STAMP := $(VENV)/.synced
RUN := $(UV) run --locked --no-sync

.PHONY: setup test-apps demo test dev bench lint fmt clean

$(STAMP): pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked --compile-bytecode
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

## demo: synthetic Horsens → DuckDB warehouse → reports in out/
demo: $(STAMP)
	$(RUN) rummelig demo --out out

## test: the whole test suite (unit, dbt, Dagster, GX, reports, end-to-end)
test: $(STAMP) test-apps
	$(RUN) ruff check .
	$(RUN) pytest -n 2 --dist loadgroup

## dev: the Dagster UI on http://127.0.0.1:3000 over the demo landing folder
dev: $(STAMP)
	$(RUN) rummelig dev

## bench: timings at larger scale (not part of make test)
bench: $(STAMP)
	$(RUN) python -m tests.bench.run_bench

lint: $(STAMP)
	$(RUN) ruff check .
	$(RUN) ruff format --check .

fmt: $(STAMP)
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

clean:
	rm -rf out dbt_project/target dbt_project/logs .pytest_cache
