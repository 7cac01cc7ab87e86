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
OUT ?= exports
FROM ?=
TO ?=
AS_OF ?=
export FROM TO AS_OF

.PHONY: help setup ingest build export test lint

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(INSTALLED) ## virtual environment with the pinned dependencies (run again after pyproject changes)

ingest: $(INSTALLED) ## load INBOX (default data/inbox) into the lake
	$(BIN)/python -m ingest --inbox $(INBOX)

build: $(INSTALLED) ## dbt build (models and tests), then publish the marts as a snapshot (AS_OF= to reproduce)
	$(BIN)/python -m publish

export: $(INSTALLED) ## district_monthly.csv and manifest.json: FROM=YYYY-MM TO=YYYY-MM OUT=dir
	$(BIN)/python -m export --out $(OUT)

test: $(INSTALLED) ## every test (unit and integration)
	$(BIN)/python -m pytest

lint: $(INSTALLED) ## ruff and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(WAREHOUSE_DIR)/build  # sqlfluff's dbt templater opens dbt's database
	cd dbt_project && DBT_PROFILES_DIR=. ../$(BIN)/sqlfluff lint models tests macros
