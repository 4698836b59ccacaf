"""Start-up benchmark: process start to main window painted, against a bare QMainWindow.

    .venv/bin/python benchmarks/startup.py [--runs 7]

Each measurement is a fresh process (imports included), offscreen. Prints medians and the
ratio to the bare window measured in the same run; the target is at most 2x.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import os, sys, time
start = float(os.environ["CSF_BENCH_START"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"PAINTED {time.time() - start:.4f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            obj.removeEventFilter(self)
        return False

app = QApplication.instance() or QApplication(sys.argv[:1])
if os.environ["CSF_BENCH_KIND"] == "bare":
    window = QMainWindow()
    window.resize(1366, 768)
else:
    from csfacilitator.app import create_window
    window = create_window(os.environ["CSF_BENCH_DATA"])
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
"""


def measure(kind: str, data_dir: str | None) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSF_BENCH_KIND=kind)
    if data_dir:
        env["CSF_BENCH_DATA"] = data_dir
    env["CSF_BENCH_START"] = repr(time.time())
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("PAINTED"))
    return float(line.split()[1])


def fill(data_dir: str, count: int) -> None:
    from csfacilitator.core.model import Conference, Meeting
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    db = open_database(resolve(data_dir))
    with db.session() as s:
        for index in range(count):
            conference = Conference(
                title=f"Conference {index:04d}",
                context_name=f"Context {index}",
                area=f"Ward {index % 17}",
            )
            s.add(conference)
            s.flush()
            s.add(Meeting(conference_id=conference.id, kind="conference"))
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        measure("app", empty)  # first run creates and migrates the empty database
        fill(full, 1000)
        results = {}
        for name, kind, data in (
            ("bare QMainWindow", "bare", None),
            ("app, empty database", "app", empty),
            ("app, 1,000 conferences", "app", full),
        ):
            results[name] = [measure(kind, data) for _ in range(args.runs)]
    baseline = statistics.median(results["bare QMainWindow"])
    print(f"Start-up to first paint, median of {args.runs} fresh processes (offscreen):")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"  {name:<24} {median * 1000:7.0f} ms   {median / baseline:4.2f}x bare")
    print(json.dumps({k: round(statistics.median(v) / baseline, 2) for k, v in results.items()}))


if __name__ == "__main__":
    main()
