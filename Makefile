# Member Terminal — developer entry points.
#
#   make run    install what is missing, fill the demo database if empty, start the GUI
#   make test   install what is missing, then ruff, mypy, pytest (SQLite), pytest (PostgreSQL)
#
# Works on a fresh Debian/Ubuntu machine that has only python3: system packages
# are installed with apt when running as root (scripts/system-deps.sh), the venv
# is created in .venv and the project installed into it with pip install -e '.[dev]'.
# A second run does no apt and no pip work (dpkg check + stamp file).
#
# Variables: PYTHON=python3  VENV=.venv  SKIP_POSTGRES=1 (skip the PostgreSQL pass)
#            PYTEST_ARGS=... (extra pytest arguments, both passes)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.member-terminal-installed
PYTEST_ARGS ?=

export PYTHON VENV
export DEBIAN_FRONTEND := noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run demo gui test translations lint typecheck pytest-sqlite pytest-postgres \
        venv deps sysdeps sysdeps-run sysdeps-test check-sysdeps clean distclean

help:
	@echo "make run           install what is missing, demo data if empty, start the GUI"
	@echo "make test          ruff + mypy + pytest on SQLite + pytest on a throwaway PostgreSQL"
	@echo "make lint          ruff check"
	@echo "make typecheck     mypy"
	@echo "make pytest-sqlite / make pytest-postgres   one pytest pass"
	@echo "make venv          create $(VENV) and pip install -e '.[dev]' (if pyproject.toml changed)"
	@echo "make deps          system packages (apt, as root) + venv"
	@echo "make check-sysdeps list missing system packages, install nothing"
	@echo "make clean         caches and build leftovers;  make distclean  also $(VENV)"
	@echo "SKIP_POSTGRES=1 skips the PostgreSQL pass; PYTEST_ARGS='-k foo' passes options to pytest"

# --- system packages (fast: one dpkg-query when everything is there) ---------
sysdeps-run:
	@bash scripts/system-deps.sh run

sysdeps-test:
	@bash scripts/system-deps.sh test

sysdeps: sysdeps-test

check-sysdeps:
	@bash scripts/system-deps.sh --check test

# --- virtualenv ---------------------------------------------------------------
# The stamp lives inside the venv: a recreated venv reinstalls, an unchanged
# pyproject.toml does not touch pip (nor the network).
$(VPY):
	@bash scripts/ensure-venv.sh

$(STAMP): pyproject.toml | $(VPY)
	@bash scripts/ensure-venv.sh
	$(VPY) -m pip install -e '.[dev]'
	@touch $@

venv: $(STAMP)

deps: sysdeps venv

# --- translations: the gettext .po catalogue (the window, the engine's messages, receipts,
# reports) compiled to .mo; without the .mo the program compiles the .po when it starts
MO := $(patsubst %.po,%.mo,$(wildcard terminal/locale/*/LC_MESSAGES/*.po))

$(MO): %.mo: %.po | $(STAMP)
	$(VPY) -m terminal.locale.build

translations: $(MO)

# --- run ----------------------------------------------------------------------
run: sysdeps-run $(STAMP) translations
	@if [[ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}$${QT_QPA_PLATFORM:-}" ]]; then \
	  echo "note: no DISPLAY/WAYLAND_DISPLAY set; the GUI needs a desktop session" \
	       "(QT_QPA_PLATFORM=offscreen runs it without a screen)" >&2; fi
	$(VPY) main.py demo --if-empty
	$(VPY) main.py

# --- test ---------------------------------------------------------------------
test: sysdeps-test $(STAMP) translations
	@$(MAKE) --no-print-directory lint typecheck pytest-sqlite pytest-postgres

lint: $(STAMP)
	@echo "== ruff check"
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	@echo "== mypy"
	$(VENV)/bin/mypy

pytest-sqlite: $(STAMP)
	@echo "== pytest (SQLite)"
	env -u TEST_DATABASE_URL QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest $(PYTEST_ARGS)

pytest-postgres: $(STAMP)
	@if [[ "$${SKIP_POSTGRES:-}" == 1 ]]; then \
	  echo "== pytest (PostgreSQL): SKIPPED because SKIP_POSTGRES=1"; \
	else \
	  echo "== pytest (PostgreSQL)"; \
	  QT_QPA_PLATFORM=offscreen bash scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS); \
	fi

# --- housekeeping -------------------------------------------------------------
clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
