#!/usr/bin/env bash
# Create the project's virtual environment when it is missing or broken.
#
#   PYTHON=python3 VENV=.venv scripts/ensure-venv.sh
#
# A working venv is left alone (nothing is installed here: the Makefile's
# stamp rule runs `pip install -e '.[dev]'`). Needs Python >= 3.11 with
# ensurepip; on Debian/Ubuntu that is the pythonX.Y-venv package, which
# scripts/system-deps.sh installs when running as root.
set -euo pipefail

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
MIN=(3 11)

say() { printf '[venv] %s\n' "$*" >&2; }

version_ok='import sys; sys.exit(0 if sys.version_info[:2] >= (%d, %d) else 1)'
# shellcheck disable=SC2059
version_ok=$(printf "$version_ok" "${MIN[0]}" "${MIN[1]}")

if "$VENV/bin/python" -c "$version_ok" >/dev/null 2>&1; then
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  say "ERROR: '$PYTHON' not found. Install Python >= ${MIN[0]}.${MIN[1]} (Debian: apt-get install python3 python3-venv)"
  say "or point the Makefile at one: make PYTHON=/path/to/python3.11 ..."
  exit 1
fi
if ! "$PYTHON" -c "$version_ok"; then
  say "ERROR: $("$PYTHON" -V 2>&1) at $(command -v "$PYTHON") is too old; Member Terminal needs Python >= ${MIN[0]}.${MIN[1]}."
  say "Install a newer one (e.g. apt-get install python3.11 python3.11-venv) and run: make PYTHON=python3.11 ..."
  exit 1
fi

if [[ -e "$VENV" ]]; then
  say "$VENV exists but its python does not work (moved, or its base Python is gone): recreating it"
  rm -rf -- "$VENV"
fi

say "creating $VENV with $("$PYTHON" -V 2>&1) ($(command -v "$PYTHON"))"
if ! "$PYTHON" -m venv "$VENV"; then
  rm -rf -- "$VENV"
  pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  say "ERROR: '$PYTHON -m venv' failed. On Debian/Ubuntu install the venv module:"
  say "    sudo apt-get install --no-install-recommends python${pyver}-venv"
  exit 1
fi
"$VENV/bin/python" -m pip --version >&2
