"""Start-up of the built bundle against running from source: `--version`, and process start
to the main window's first full paint (offscreen, a fresh process each time).

    .venv/bin/python packaging/startup_time.py [--bundle dist/csfacilitator] [--runs 5]

The window is timed without any flag in the app: Qt's own painting log
(QT_LOGGING_RULES=qt.widgets.painting.debug=true) reports when the main window is first
flushed to the screen. The data folder already holds a migrated database with the example.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAINT = re.compile(r"Flushing QRegion\(0,0 \d+x\d+\) of MainWindow")


def gui_environment() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["QT_LOGGING_RULES"] = "qt.widgets.painting.debug=true"
    env.pop("CSFACILITATOR_DATA_DIR", None)
    return env


def wait_for_window(process: subprocess.Popen, timeout: float = 60) -> float | None:
    """Seconds until the main window first painted, or None if the process ended first."""
    started = time.monotonic()
    assert process.stderr is not None
    for line in process.stderr:
        if FIRST_PAINT.search(line):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            break
    return None


def time_window(command: list[str], data_dir: str) -> float:
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--data-dir", data_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=gui_environment(),
    )
    try:
        if wait_for_window(process) is None:
            raise SystemExit(f"{command[0]} ended before its window painted")
        return time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


def time_version(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run([*command, "--version"], check=True, capture_output=True, timeout=60)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "csfacilitator")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    executable = args.bundle / ("csfacilitator.exe" if os.name == "nt" else "csfacilitator")
    commands = {
        "bundle": [str(executable)],
        "source": [sys.executable, "-m", "csfacilitator"],
    }
    results: dict[str, dict[str, list[float]]] = {
        n: {"version": [], "window": []} for n in commands
    }
    with tempfile.TemporaryDirectory() as data:
        subprocess.run(
            [*commands["source"], "--data-dir", data, "example"], check=True, capture_output=True
        )
        for command in commands.values():
            time_window(command, data)  # warm the disk cache once
        for _ in range(args.runs):  # alternate, so a busy moment costs both alike
            for name, command in commands.items():
                results[name]["version"].append(time_version(command))
                results[name]["window"].append(time_window(command, data))
    for name, samples in results.items():
        version = statistics.median(samples["version"])
        window = statistics.median(samples["window"])
        print(
            f"{name:<7} --version {version * 1000:6.0f} ms   "
            f"to first paint {window * 1000:6.0f} ms   (median of {args.runs})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
