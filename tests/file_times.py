"""How long each test file takes: the order the workers are given files in, and how to measure.

Loaded by pyproject's addopts (`-p file_times`). Under pytest-xdist (`--dist loadfile`) each
file runs whole on one worker, handed out in collection order (`--no-loadscope-reorder`);
here the workers put the longest files first (longest-processing-time-first), so the run ends
on short files and no worker sits idle while another finishes a 50-second file. The seconds
come from file_times.json beside this file, measured on a whole run; a file it does not name
counts FALLBACK_SECONDS per test. Only the order changes: every test still runs, and each
file's tests keep their own order. Without xdist (`-n 0`) nothing is reordered.

To measure a run and refresh the record (the timeline is written only when CSF_TIMELINE is set):

    CSF_TIMELINE=/tmp/tl .venv/bin/python -m pytest
    .venv/bin/python tests/file_times.py /tmp/tl            # per worker: start, gaps, tail
    .venv/bin/python tests/file_times.py /tmp/tl --write    # refresh file_times.json

Each process (controller and workers) writes CSF_TIMELINE/<worker>.jsonl: its start, the end
of its collection, and each test's file, start and end (wall-clock seconds) and the CPU seconds
the worker and the child processes it waited for used meanwhile: a file whose CPU is far below
its wall time was waiting (a sleep, a server, a process it did not wait for) or, on a busy
machine, waiting for a core: measure on a quiet one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

RECORD = Path(__file__).with_name("file_times.json")
FALLBACK_SECONDS = 0.3  # per test, for a file the record does not name (about the median)


def _order_longest_first(items: list[pytest.Item]) -> None:
    seconds = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.is_file() else {}
    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)

    def cost(file: str) -> float:
        return seconds.get(file, FALLBACK_SECONDS * len(by_file[file]))

    items[:] = [item for file in sorted(by_file, key=cost, reverse=True) for item in by_file[file]]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every worker collects and must hand the controller the same order: this one depends on
    # the record and the collected files only.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _order_longest_first(items)


# --- measuring (CSF_TIMELINE) ---------------------------------------------------------------

_out: list = []


def _process_start() -> float:
    """The wall-clock second this process started (Linux's /proc; else now)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _write(record: dict) -> None:
    if _out:
        _out[0].write(json.dumps(record) + "\n")
        _out[0].flush()


def pytest_configure(config: pytest.Config) -> None:
    folder = os.environ.get("CSF_TIMELINE")
    if not folder:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "controller")
    Path(folder).mkdir(parents=True, exist_ok=True)
    _out.append(open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8"))  # noqa: SIM115
    _write({"event": "process", "at": _process_start(), "configured": time.time()})


def pytest_collection_finish(session: pytest.Session) -> None:
    _write({"event": "collected", "at": time.time(), "items": len(session.items)})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # noqa: ANN201
    if not _out:
        return (yield)
    start, cpu = time.time(), _cpu()
    try:
        return (yield)
    finally:
        file = item.nodeid.split("::")[0]
        _write(
            {"event": "test", "file": file, "start": start, "end": time.time(), "cpu": _cpu() - cpu}
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _out:
        _write({"event": "end", "at": time.time()})
        _out.pop().close()


def report(folder: Path, write: bool) -> None:
    workers = {}
    for path in sorted(folder.glob("*.jsonl")):
        workers[path.stem] = [json.loads(line) for line in path.read_text().splitlines()]
    origin = min(r["at"] for records in workers.values() for r in records if "at" in r)
    spans: list[tuple[float, float, str, str]] = []
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name, records in workers.items():
        tests = [r for r in records if r["event"] == "test"]
        marks = {r["event"]: r["at"] - origin for r in records if "at" in r}
        if not tests:
            print(f"{name}: started {marks.get('process', 0):.1f} ended {marks.get('end', 0):.1f}")
            continue
        first, last = tests[0]["start"] - origin, tests[-1]["end"] - origin
        busy = sum(r["end"] - r["start"] for r in tests)
        print(
            f"{name}: started {marks['process']:.1f}, collected {marks.get('collected', 0):.1f}, "
            f"tests {first:.1f} to {last:.1f} ({len(tests)} tests, {busy:.1f} s in them, "
            f"{last - first - busy:.1f} s between), ended {marks.get('end', 0):.1f}"
        )
        per_file: dict[str, list[float]] = {}
        for r in tests:
            per_file.setdefault(r["file"], [r["start"], r["end"]])[1] = r["end"]
            seconds[r["file"]] = seconds.get(r["file"], 0) + r["end"] - r["start"]
            cpu[r["file"]] = cpu.get(r["file"], 0) + r.get("cpu", 0)
        spans += [(e - origin, s - origin, name, f) for f, (s, e) in per_file.items()]
    print("\nthe files that ended last (end, start, seconds, worker, file):")
    for e, s, name, file in sorted(spans)[-12:]:
        print(f"  {e:7.1f} {s:7.1f} {e - s:6.1f}  {name}  {file}")
    print("\nthe files that waited most (wall seconds, CPU seconds, file):")
    for file in sorted(seconds, key=lambda f: cpu[f] - seconds[f])[:12]:
        print(f"  {seconds[file]:7.1f} {cpu[file]:7.1f}  {file}")
    if write:
        ordered = {f: round(s, 1) for f, s in sorted(seconds.items(), key=lambda fs: -fs[1])}
        RECORD.write_text(json.dumps(ordered, indent=0) + "\n", encoding="utf-8")
        print(f"\nwrote {len(ordered)} files' seconds to {RECORD}")


if __name__ == "__main__":
    report(Path(sys.argv[1]), write="--write" in sys.argv[2:])
