"""``bench --startup`` (issue 14): the counter started as a shop starts it (``main.py gui``
in a process of its own, offscreen when there is no display), timed by the window itself
(terminal/ui/startup_probe.py): launch to ready for a scan (target 2 s) and the manager's
PIN to the manager's window with its figures (target 1 s). Several runs: the first one
reads the database from disk, the later ones find it in the operating system's cache."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..core.config import STARTUP_LAUNCHED_ENV, STARTUP_PROBE_ENV
from .bench import _masked, _say

TARGETS_MS = {"counter_ready_ms": 2000.0, "manager_window_ms": 1000.0}
LABELS = {"counter_ready_ms": "launch to the counter ready for a scan",
          "manager_window_ms": "manager's PIN to the manager's window"}


def _one(url: str, config: str | None, folder: Path, run: int) -> dict[str, Any]:
    out = folder / f"run{run}.json"
    command = [sys.executable, "-c", "import sys; from terminal.cli import main; "
               "sys.exit(main())", "--db", url]
    if config:
        command += ["--config", config]
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env[STARTUP_PROBE_ENV] = str(out)
    env[STARTUP_LAUNCHED_ENV] = repr(time.time())
    try:
        done = subprocess.run([*command, "gui"], env=env, capture_output=True, text=True,
                              timeout=180)
    except subprocess.TimeoutExpired:
        return {"error": "the window did not finish within 180 s"}
    if not out.exists():
        return {"error": f"the window wrote no figures (exit {done.returncode}): "
                         f"{done.stderr.strip()[-500:]}"}
    return dict(json.loads(out.read_text(encoding="utf-8")))


def run(url: str, config: str | None, *, runs: int, as_json: bool) -> int:
    if runs < 1:
        print("bench: --runs must be at least 1", file=sys.stderr)
        return 2
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="mt-startup-") as folder:
        for i in range(runs):
            _say(f"starting the counter, run {i + 1} of {runs}")
            found = _one(url, config, Path(folder), i)
            if "error" in found:
                print(f"bench --startup: run {i + 1}: {found['error']}", file=sys.stderr)
                if not any(k in found for k in TARGETS_MS):
                    return 1
            results.append(found)
    rows = []
    for key, target in TARGETS_MS.items():
        values = [r[key] for r in results if key in r]
        if not values:
            continue
        rows.append({"operation": key.removesuffix("_ms"), "label": LABELS[key],
                     "median_ms": round(statistics.median(values), 1),
                     "max_ms": round(max(values), 1), "first_ms": round(values[0], 1),
                     "rows": len(values), "runs": len(values), "target_ms": target,
                     "pass": statistics.median(values) <= target})
    if as_json:
        for row in rows:
            print(json.dumps({"url": _masked(url), **row}))
        return 0
    print(f"bench --startup: {_masked(url)}: {runs} starts of the counter; times in ms "
          "(first: the database read from disk)")
    print(f"{'operation':<42}{'median':>10}{'max':>10}{'first':>10}   target")
    for r in rows:
        print(f"{r['label']:<42}{r['median_ms']:>10.1f}{r['max_ms']:>10.1f}"
              f"{r['first_ms']:>10.1f}   median <= {r['target_ms']:g} "
              f"{'PASS' if r['pass'] else 'FAIL'}")
    return 0
