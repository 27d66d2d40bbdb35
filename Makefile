# Two commands on a fresh machine: `make build`, then `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export UV_COMPILE_BYTECODE := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build test lint dbt-test dbt-test-then-pytest pytest report impact calibrate foreign validate setup clean test-postgres test-spark bench bench-spark
BASE ?= main
# Where make report and make calibrate write (set before the export: an exported variable
# without a value would count as set, and the folder would be empty).
OUT ?= reports
# BASE and OUT reach the scripts as environment variables, quoted by the shell that reads them:
# a ref or folder name is never re-read as shell syntax.
export BASE OUT

setup: $(STAMP) profiles.yml

# The virtual environment holds exactly the locked dependencies (requirements.lock) and this
# project's package (src/leadscore, editable: the `leadscore` command).
$(STAMP): requirements.lock pyproject.toml
	@start=$$(date +%s); printf 'installing %s locked packages into %s ... ' "$$(grep -c '==' requirements.lock)" $(VENV); \
	$(PYTHON) -m venv $(VENV) && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9 && \
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock && \
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . && \
	echo "done ($$(( $$(date +%s) - start )) s)"
	@touch $@

profiles.yml: | profiles.example.yml
	cp profiles.example.yml profiles.yml

## build: set up, write demo raw data if missing, dbt build, print a summary
build: setup
	$(BIN)/leadscore build

## test: everything CI checks: sqlfluff, dbt build with data and unit tests, pytest
# sqlfluff (one core) runs beside the dbt build, then beside pytest, which starts as soon as the
# build is done. The demo warehouse make test builds replays no history weeks (make build does).
test: setup
	@$(MAKE) --no-print-directory -j2 --output-sync=line lint dbt-test-then-pytest

dbt-test-then-pytest: setup
	$(BIN)/leadscore build --no-summary --history-weeks 0
	@$(MAKE) --no-print-directory pytest

# The dbt templater skips macro files; the SQL they produce is linted in every model using it.
# It compiles against a DuckDB file of its own: the build beside it holds the warehouse's lock.
lint: setup
	@mkdir -p target; start=$$(date +%s); LEADSCORE_DUCKDB=target/sqlfluff.duckdb $(BIN)/sqlfluff lint models data-tests analyses && \
	echo "sqlfluff: models, data tests and analyses clean ($$(( $$(date +%s) - start )) s)"

dbt-test: setup
	$(BIN)/leadscore build --no-summary

pytest: setup
	$(BIN)/pytest -q -n 2 --dist loadfile --durations=8

## report: backtest page and revenue page from the warehouse -> reports/ or OUT=folder (HTML, charts, CSVs)
report: setup
	$(BIN)/leadscore report

## test-postgres: throw-away Postgres server, demo raw tables, dbt build with every test, comparison with DuckDB; then the same with the CRM in Salesforce's shape
test-postgres: setup
	$(BIN)/leadscore engine-test postgres
	$(BIN)/leadscore engine-test postgres --shape salesforce

# dbt-spark and pyspark live in their own environment (requirements-spark.lock).
SPARK_VENV := .venv-spark
$(SPARK_VENV)/.installed: requirements-spark.lock pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(SPARK_VENV)/bin/uv pip sync --quiet --python $(SPARK_VENV)/bin/python requirements-spark.lock
	$(SPARK_VENV)/bin/uv pip install --quiet --python $(SPARK_VENV)/bin/python --no-deps -e .
	touch $@

## test-spark: local Spark session, demo raw tables, dbt build with every test, comparison with DuckDB
test-spark: $(SPARK_VENV)/.installed profiles.yml
	SPARK_LOCAL_IP=127.0.0.1 $(SPARK_VENV)/bin/leadscore engine-test spark

## bench: dbt full build, incremental run, weight-change rescore, impact, floor query, pandas and Polars peers (LEADS=100000 by default)
LEADS ?= 100000
bench: setup
	$(BIN)/leadscore bench --leads $(LEADS)

## bench-spark: the full build on a local Spark session beside DuckDB, same data, marts compared (LEADS=100000)
bench-spark: $(SPARK_VENV)/.installed profiles.yml
	SPARK_LOCAL_IP=127.0.0.1 $(SPARK_VENV)/bin/leadscore bench-spark --leads $(LEADS)

## impact: compare the seeds at BASE (default main) with the working tree -> reports/impact.md
impact: setup
	$(BIN)/leadscore impact --base "$$BASE"

## calibrate: learn seeds from past conversions -> $(OUT)/calibrated_seeds/, $(OUT)/calibration.md
calibrate: setup
	$(BIN)/leadscore calibrate --out "$$OUT"

## foreign: a second business (B2C, foreign vocabulary) in warehouse/foreign.duckdb, for make calibrate
foreign: setup
	$(BIN)/leadscore foreign --db warehouse/foreign.duckdb

## validate: check the seed CSVs (file, line and reason for every problem)
validate: setup
	$(BIN)/leadscore validate

clean:
	rm -rf target logs warehouse/*.duckdb warehouse/*.wal
