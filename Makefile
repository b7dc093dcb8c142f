# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make demo   set up, generate the demo inbox, run the main job, print the summary
#   make test   set up and run the test suite (make test-fast: the fast tier)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster
# dbt, dagster and the CLI run from the project's virtual environment.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test test-fast dev app setup lint clean bench docs

$(BIN)/python:
	@echo "Creating the virtual environment $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --quiet --disable-pip-version-check --upgrade pip

# Reinstall only when the dependency pins change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	@echo "Installing the pinned dependencies into $(VENV) (a few minutes the first time)"
	@# pip -qq prints errors only (an install that fails still stops make). setuptools
	@# tells every editable install of a flat layout to mind same-named folders; the
	@# project's packages are those folders, so that note is silenced, nothing else.
	@# pip compiles the installed packages' bytecode one file at a time, a third of the
	@# install: compileall does it on every core. A file it cannot compile (pip passes
	@# over those too) is compiled, and its error shown, when something imports it.
	@PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet --quiet \
		--disable-pip-version-check --no-compile -c constraints.txt -e '.[dev,bench]'
	@$(BIN)/python -m compileall -qq -j 0 $(VENV)/lib || true
	@touch $(STAMP)
	@echo "Installed abc-warehouse $$($(BIN)/abc-warehouse --version | cut -d' ' -f2)"

# The dbt manifest is built when a run or `dg dev` needs it, and only if the project changed.
setup: $(STAMP)
	@mkdir -p $(DAGSTER_HOME)
	@cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	@# The project's own bytecode, compiled once: Python reads it even where the environment
	@# says not to write any (PYTHONDONTWRITEBYTECODE), so each run, bench stage and test
	@# process does not compile the packages again as it starts (a fifth of a second each).
	@$(BIN)/python -m compileall -q -x '(^|/)(\.venv|\.git|data|dbt_project)(/|$$)' .

demo: setup
	@$(BIN)/abc-warehouse demo

# The whole suite on every core (pytest-xdist); test-fast: pure logic, parsing and dbt's
# unit tests, the tier to run after every change.
test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist worksteal

test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not pipeline"

# Dagster's UI and daemon (sensor, schedule) on this project, as Dagster recommends: `dg dev`
# loads the code location abc_warehouse named in pyproject.toml.
dev: setup
	@VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev

# The profitability explorer on the serving snapshot (after make demo), on
# http://localhost:8501; read-only, it follows each new snapshot a run publishes.
app: setup
	@$(BIN)/abc-warehouse app

# dbt's documentation of the warehouse (models, columns, lineage to the reports and the
# snapshot, metrics), served on http://localhost:8080.
docs: setup
	$(BIN)/abc-warehouse docs

# 10 million billing lines by default; BENCH_ARGS="--billing-lines 1000000" for less.
bench: setup
	$(BIN)/abc-warehouse bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf data .dagster dbt_project/target dbt_project/logs
