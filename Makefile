# The front door. `make help` lists the targets; every one honours WAREHOUSE_DIR.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

WAREHOUSE_DIR ?= warehouse
override WAREHOUSE_DIR := $(abspath $(WAREHOUSE_DIR))
export WAREHOUSE_DIR
INBOX ?= data/inbox
ROWS ?= 300000
SEED ?= 20250305
OUT ?= exports
# where `make dashboard` listens: this machine only unless ADDRESS says otherwise
ADDRESS ?= 127.0.0.1
PORT ?= 8501
FROM ?=
TO ?=
AS_OF ?=
export FROM TO AS_OF
# VERBOSE=1: ingest and build print every file and every dbt line (else a summary, the
# detail in WAREHOUSE_DIR/logs), and `make rejects` every rejected row
VERBOSE ?=
export VERBOSE

# Debian packages: Chromium for the browser test (never a browser Playwright
# downloads) and CJK fonts so Chinese renders in screenshots and images.
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei
# poppler-utils: the export tests read the PDFs with pdftotext, pdffonts and pdftoppm.
DEBIAN_PACKAGES += poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM := $(VENV)/.system-packages

# The engine `make build` runs the dbt models on: duckdb, or spark (the same models on
# a local Spark; `make setup-spark` installs the spark extra and Debian's Java 17).
TARGET ?= duckdb
SPARK_DEBIAN_PACKAGES := openjdk-17-jre-headless
SPARK_SYSTEM := $(VENV)/.system-packages-spark
SPARK_INSTALLED := $(VENV)/.installed-spark
# what `make build` needs besides the base install: the spark extra for TARGET=spark
TARGET_INSTALLED := $(if $(filter-out duckdb,$(TARGET)),$(SPARK_INSTALLED))

.PHONY: help run setup demo ingest rejects build export dashboard docs test lint bench bench-ingest fuzz-ingest
.PHONY: setup-spark test-spark

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-14s %s\n", $$1, $$2}'

# The font caches are built here, once, rather than by the first command that needs
# them: fontconfig's (chromium's first page: the browser test, make bench) and
# matplotlib's font list (bench/plot.py). Exports embed one font file through
# reportlab, which keeps no cache (registering it takes under 0.1 s).
$(INSTALLED): pyproject.toml | $(SYSTEM)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	fc-cache
	$(BIN)/python -c 'import matplotlib.font_manager'
	touch $@

# Makefile as a prerequisite: a package added to the list is installed on the next run
# (the check is a quick dpkg query when everything is there already).
$(SYSTEM): Makefile
	@if ! dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y $(DEBIAN_PACKAGES); \
	fi
	mkdir -p $(VENV) && touch $@

$(SPARK_SYSTEM):
	@if ! dpkg -s $(SPARK_DEBIAN_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y $(SPARK_DEBIAN_PACKAGES); \
	fi
	mkdir -p $(VENV) && touch $@

$(SPARK_INSTALLED): $(INSTALLED) | $(SPARK_SYSTEM)
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@

setup-spark: $(SPARK_INSTALLED) ## the spark extra (dbt-spark, pyspark) and Java 17, for TARGET=spark

# The demo opens to everyone (DASHBOARD_OPEN=1) while no users file exists; once `make
# user` has written one, the dashboard asks for sign-in whatever DASHBOARD_OPEN says.
run: $(INSTALLED) ## set up what is missing, demo data if INBOX is empty, ingest, build, serve (open demo mode until make user adds a user)
	@test -n "$$(ls -A $(INBOX) 2>/dev/null)" || $(BIN)/python -m demo --out $(INBOX) --rows $(ROWS) --seed $(SEED)
	@$(BIN)/python -m ingest --inbox $(INBOX) || echo "make run: some files did not load (see above); serving what did"
	@$(BIN)/python -m publish
	@DASHBOARD_OPEN=$${DASHBOARD_OPEN:-1} $(MAKE) --no-print-directory dashboard

setup: $(INSTALLED) ## virtual environment, pinned dependencies and the Debian packages (chromium, CJK fonts)

demo: $(INSTALLED) ## write the deterministic demo inbox into INBOX (ROWS= to scale, SEED=)
	$(BIN)/python -m demo --out $(INBOX) --rows $(ROWS) --seed $(SEED)

ingest: $(INSTALLED) ## load INBOX (default data/inbox) into the lake and print a summary (VERBOSE=1: every file; REPLACE_REFERENCE=1: let a reference file drop most codes)
	$(BIN)/python -m ingest --inbox $(INBOX) $(if $(REPLACE_REFERENCE),--replace-reference)

rejects: $(INSTALLED) ## rejected rows by file and reason with the first of each (masked; every row: VERBOSE=1, or FILE=name-or-glob REASON=code)
	$(BIN)/python -m ingest rejects $(if $(FILE),--file '$(FILE)') $(if $(REASON),--reason $(REASON))

.PHONY: withdraw
withdraw: $(INSTALLED) ## take back a file sent by mistake: FILE=logs/x.csv (as `python -m ingest status` names it); then make build
	@test -n "$(FILE)" || { echo "usage: make withdraw FILE=logs/s02.csv"; exit 2; }
	$(BIN)/python -m ingest withdraw '$(FILE)'

.PHONY: user
user: $(INSTALLED) ## add a dashboard user: NAME= ROLE=bureau|district|unit SCOPE=published codes (EMAIL= for OIDC, PASSWORD_FILE= without a terminal, FORCE=1 for unchecked codes)
	@test -n "$(NAME)" -a -n "$(ROLE)" || { echo "usage: make user NAME=wang ROLE=district SCOPE=D01"; exit 2; }
	$(BIN)/python -m dashboard.users add '$(NAME)' --role '$(ROLE)' --scope '$(SCOPE)' \
		$(if $(EMAIL),--email '$(EMAIL)') $(if $(PASSWORD_FILE),--password-file '$(PASSWORD_FILE)') \
		$(if $(FORCE),--force)

.PHONY: rotate-secret
rotate-secret: $(INSTALLED) ## new HMAC secret: rebuild the lake from the originals in INBOX, then build
	$(BIN)/python -m ingest.rotate --inbox $(INBOX)
	$(BIN)/python -m publish

build: $(INSTALLED) $(TARGET_INSTALLED) ## dbt build (incremental; FULL_REFRESH=1 for all; TARGET=spark on Spark; VERBOSE=1: every dbt line), then publish a snapshot (AS_OF= to reproduce)
	$(BIN)/python -m publish --target $(TARGET)

export: $(INSTALLED) ## CSV, xlsx, per-district PDF reports, Word briefings and the next month's templates: FROM=YYYY-MM TO=YYYY-MM OUT=dir SUPPRESS=k BRIEFING_TEMPLATES=dir
	$(BIN)/python -m export --out $(OUT) $(if $(SUPPRESS),--suppress $(SUPPRESS))

# OUT given on the command line (or in the environment) is used; else outbox/, since an
# export's folder (OUT's own default, exports/) holds the templates `make export` wrote
.PHONY: templates
templates: $(INSTALLED) ## each school's and office's collection template (报送模板) under OUT/templates (default outbox/): MONTH=YYYY-MM (default: the month after the data cut-off)
	$(BIN)/python -m export templates --out '$(if $(filter file,$(origin OUT)),outbox,$(OUT))' $(if $(MONTH),--month '$(MONTH)')

# PERSON reaches the command through the environment, so make never echoes the number.
export PERSON ISSUER
.PHONY: certificate verify
certificate: $(INSTALLED) ## volunteer-hours certificate PDF: PERSON=number FROM= TO= (certificates/)
	@$(BIN)/python -m export certificate

verify: $(INSTALLED) ## check a certificate against the warehouse: CERT=file.pdf (SNAPSHOT=file)
	$(BIN)/python -m export verify '$(CERT)' $(if $(SNAPSHOT),--snapshot '$(SNAPSHOT)')

dashboard: $(INSTALLED) ## serve the published snapshot on 127.0.0.1:8501 (ADDRESS=0.0.0.0 for every interface, PORT=); sign-in as docs/security.md says
	@$(BIN)/python -m publish migrate  # a warehouse an earlier release wrote: brought up to date
	$(BIN)/python -m streamlit run dashboard/server.py --server.port '$(PORT)' --server.address '$(ADDRESS)'

docs: $(INSTALLED) ## dbt docs with lineage to the exposures, and docs/metrics.md
	mkdir -p $(WAREHOUSE_DIR)/build  # dbt opens its database even for docs
	cd dbt_project && DBT_PROFILES_DIR=. DBT_PROJECT_DIR=. \
		DBT_TARGET_PATH=$(WAREHOUSE_DIR)/dbt/target DBT_LOG_PATH=$(WAREHOUSE_DIR)/dbt/logs \
		DBT_SEND_ANONYMOUS_USAGE_STATS=false ../$(BIN)/dbt docs generate --static
	$(BIN)/python dbt_project/scripts/metric_glossary.py
	@echo "dbt docs: $(WAREHOUSE_DIR)/dbt/target/static_index.html (one file, open it in a browser)"

# pytest-xdist workers: in one process the suite kept about 0.8 of two cores busy (much
# of it waits on dbt, chromium and Spark); two workers took 20 minutes where one took 30.
# Each test file runs whole on one worker (--dist loadfile), so a file's module
# fixtures are built once; a session fixture is built once per worker that needs it.
# TEST_WORKERS=0 runs the suite in this process, serially.
TEST_WORKERS ?= 2

test: $(INSTALLED) ## every test (unit and integration; the Spark parity test when the spark extra is installed); TEST_WORKERS= (default 2, 0: serial)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

test-spark: $(SPARK_INSTALLED) ## the parity test alone: the demo inbox built on DuckDB and on Spark, same district_monthly.csv
	$(BIN)/python -m pytest tests/spark -m spark

bench: $(INSTALLED) ## the benchmark suite: ingest vs floor, pipeline vs pandas, incremental, pages, memory (ROWS=, default 1000000)
	$(BIN)/python -m bench.run --rows $(if $(filter command line environment,$(origin ROWS)),$(ROWS),1000000)

bench-ingest: $(INSTALLED) ## ingest alone against DuckDB's bare read_csv, UTF-8 and GB18030 (BENCH_ROWS=, default 1000000)
	$(BIN)/python -m bench.ingest_bench --rows $(or $(BENCH_ROWS),1000000)

fuzz-ingest: $(INSTALLED) ## the ingest property on 2,000 random files: crashes and rows lost must be 0
	$(BIN)/python -m bench.fuzz_ingest --examples 2000

.PHONY: screenshot
screenshot: $(INSTALLED) ## the README's picture of the overview (docs/images/overview.png), from WAREHOUSE_DIR's snapshot as make run built it, in Debian's chromium
	$(BIN)/python -m bench.screenshot

lint: $(INSTALLED) ## ruff, mypy and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	mkdir -p $(WAREHOUSE_DIR)/build  # sqlfluff's dbt templater opens dbt's database
	cd dbt_project && DBT_PROFILES_DIR=. ../$(BIN)/sqlfluff lint models tests macros
	$(BIN)/sqlfluff lint dashboard/queries/sql
