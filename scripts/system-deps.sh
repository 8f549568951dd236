#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages Member Terminal needs are installed.
#
#   scripts/system-deps.sh [--check] [run|test|PACKAGE...]
#
#   run     libraries for running the app (Qt runtime, zbar, CJK fonts)
#   test    `run` plus what the tests use: pdftotext, Chromium and its WebDriver
#           (tests/web/test_browser.py; not on Ubuntu, which has Chromium only as a
#           snap) and the PostgreSQL server (left out when SKIP_POSTGRES=1)
#   --check only report what is missing; never install (exit 1 if anything is)
#
# A spec "a|b" is satisfied by either package; when installing, the first one
# apt knows about is chosen (the t64 renames of Debian 13 / Ubuntu 24.04).
#
# Fast path: one dpkg-query call. apt-get update/install run only when
# something is missing, and only as root. Non-root users get the exact
# apt-get command to run instead.
#
# Environment: PYTHON (default python3) and VENV (default .venv): when the venv
# is missing/broken and $PYTHON has no ensurepip (Debian without python3-venv),
# the matching pythonX.Y-venv package is added to the list.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# wait for a dpkg/apt lock (e.g. unattended-upgrades on a fresh VM) instead of failing
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)

# --- package sets (keep README.md "Requirements" in sync) -------------------
# Found by ldd on the PySide6-Essentials wheel's Qt libraries and platform
# plugins in a minimal Debian 12 chroot, then verified by creating a
# QApplication with QT_QPA_PLATFORM=offscreen and under xcb (Xvfb).
QT_CORE_PKGS=(                 # QtCore/QtGui/QtWidgets + offscreen platform
  libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libbrotli1
  libdbus-1-3 "libglib2.0-0t64|libglib2.0-0"
)
QT_XCB_PKGS=(                  # the xcb platform plugin (X11 desktops, XWayland)
  libxcb1 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-glx0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1
)
APP_PKGS=(
  "libzbar0t64|libzbar0"       # pyzbar loads libzbar.so.0 with ctypes
  fonts-noto-cjk               # Chinese text in the UI and on receipts
  libusb-1.0-0                 # pyusb: receipt printers on USB
)
TEST_PKGS=(
  poppler-utils                # pdftotext: the tests read the PDF reports back
)
BROWSER_PKGS=(                 # the member's page in headless Chromium, through Selenium
  chromium                     # /usr/bin/chromium
  chromium-driver              # /usr/bin/chromedriver
)
POSTGRES_PKGS=(
  postgresql                   # server for the PostgreSQL test pass
)

say() { printf '[system-deps] %s\n' "$*" >&2; }

check_only=0
specs=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    run) specs+=("${QT_CORE_PKGS[@]}" "${QT_XCB_PKGS[@]}" "${APP_PKGS[@]}") ;;
    test)
      specs+=("${QT_CORE_PKGS[@]}" "${QT_XCB_PKGS[@]}" "${APP_PKGS[@]}" "${TEST_PKGS[@]}")
      # Ubuntu's chromium debs only install the snap (snapd, the network, no container):
      # there the browser test is skipped, outside CI, unless /usr/bin/chromium exists
      if grep -qsE '^ID(_LIKE)?=.*ubuntu' /etc/os-release; then
        say "Ubuntu: not requiring chromium (a snap there); the browser test may skip"
      else
        specs+=("${BROWSER_PKGS[@]}")
      fi
      if [[ "${SKIP_POSTGRES:-}" == 1 ]]; then
        say "SKIP_POSTGRES=1: not requiring the postgresql package"
      else
        specs+=("${POSTGRES_PKGS[@]}")
      fi
      ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) say "unknown option: $arg"; exit 2 ;;
    *) specs+=("$arg") ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  say "WARNING: not a Debian/Ubuntu system (no dpkg-query); cannot check system packages."
  say "Make sure the equivalents of these are installed: ${specs[*]//|/ or }"
  exit 0
fi

# A venv that cannot be created is the first thing a fresh Debian trips over.
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if ! "$VENV/bin/python" -c '' >/dev/null 2>&1 \
   && command -v "$PYTHON" >/dev/null 2>&1 \
   && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  specs+=("python${pyver}-venv|python3-venv")
fi

((${#specs[@]})) || exit 0

# --- what is missing? (one dpkg-query call) --------------------------------
declare -A installed=()
mapfile -t all_names < <(printf '%s\n' "${specs[@]}" | tr '|' '\n' | sort -u)
while read -r name status; do
  [[ "$status" == ii* ]] && installed["${name%%:*}"]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${all_names[@]}" 2>/dev/null || true)

missing=()
for spec in "${specs[@]}"; do
  ok=0
  IFS='|' read -r -a alts <<<"$spec"
  for p in "${alts[@]}"; do [[ -n "${installed[$p]:-}" ]] && ok=1 && break; done
  ((ok)) || missing+=("$spec")
done
# de-duplicate, keep order
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')

if ((${#missing[@]} == 0)); then
  ((check_only)) && say "all required system packages are installed"
  exit 0
fi

has_candidate() {
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
  [[ -n "$c" && "$c" != "(none)" ]]
}
# pick a concrete package name for each missing spec
resolve() {
  local spec=$1 p
  IFS='|' read -r -a alts <<<"$spec"
  for p in "${alts[@]}"; do
    if has_candidate "$p"; then echo "$p"; return; fi
  done
  echo "${alts[-1]}"   # unknown to apt (no lists yet?): classic Debian 12 name
}

if ((check_only)) || [[ "$(id -u)" != 0 ]]; then
  pkgs=()
  for spec in "${missing[@]}"; do pkgs+=("$(resolve "$spec")"); done
  say "missing Debian packages: ${pkgs[*]}"
  if ((check_only)); then exit 1; fi
  say "Not running as root, so not installing them. Install them with:"
  say ""
  say "    sudo apt-get install --no-install-recommends ${pkgs[*]}"
  say ""
  say "then run make again."
  exit 1
fi

say "missing: ${missing[*]//|/ or }"
say "running apt-get update"
if ! apt-get "${APT_OPTS[@]}" update -q; then
  say "WARNING: apt-get update reported errors; trying to install anyway"
fi
pkgs=()
for spec in "${missing[@]}"; do pkgs+=("$(resolve "$spec")"); done
say "installing: ${pkgs[*]}"
apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends "${pkgs[@]}"

# verify
still=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || still+=("$p")
done
if ((${#still[@]})); then
  say "ERROR: still not installed after apt-get: ${still[*]}"
  exit 1
fi
say "system packages OK"
