"""The write behind one Enter on the board: core.board.add_points, against bare sqlite3.

    .venv/bin/python benchmarks/board_enter_write.py [--points 500,2000] [--iterations 400]
                                                     [--profile] [--show-sql]

For each board size a conference whose meeting holds that many points is built in a fresh
interpreter (benchmarks/board_typing.py's fill_board: four columns, some points nested two
deep), then opened here with open_database. Each iteration does what one Enter in the board's
entry line does to the database: the line's draft is saved first (untimed; the entry line's
draft keeper writes it as the text is typed), then add_points() stores one point at the end of
a column and removes that draft in the same transaction (timed), then the point is deleted
again (untimed), so every Enter lands on a board of exactly that size.

Timed per add_points: the calling thread's CPU (time.thread_time: excludes the fsync's wait
and other processes' load, so it holds still on a busy machine) and the wall clock (includes
the COMMIT's fsync, synchronous=FULL in WAL). Each is printed as the median and p95 of the
iterations, and the median's ratio to the baseline measured in the same run: one INSERT +
commit through a bare sqlite3 connection with the app's pragmas (storage/engine.PRAGMAS), in
the same folder. The SQL statements one add_points runs are counted (transaction control and
pragmas left out; --show-sql prints them). The board is first measured unshared, then shared
with the team (core/sync/share.py), where the change-log triggers also record each insert in
the same transaction (the draft table is local-only: its delete is never recorded).

With --profile, the add_points of the largest board run again under cProfile, timed by thread
CPU, and the top costs are printed (the profiler roughly triples Python-heavy costs).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.board_typing import p95  # noqa: E402 - after the path, as the other imports


def build(data_dir: Path, points: int) -> int:
    """board_typing's board of `points` points, built in a fresh interpreter; the conference."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "board_typing.py"),
            "--points",
            str(points),
            "--fill",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    conference_id, _texts = json.loads(out.stdout)
    return int(conference_id)


def bare_reference(folder: Path, count: int) -> dict[str, list[float]]:
    """One INSERT + commit per sample through bare sqlite3 with the app's pragmas."""
    from csfacilitator.storage.engine import PRAGMAS

    connection = sqlite3.connect(folder / "reference.sqlite3", isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    cpu, wall = [], []
    for number in range(count):
        c0, t0 = time.thread_time(), time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (text) VALUES (?)", (f"point {number}",))
        connection.execute("COMMIT")
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
    connection.close()
    return {"cpu": cpu, "wall": wall}


def enters(db, conference_id: int, iterations: int, warmup: int, profiler=None) -> dict:  # noqa: ANN001
    """`warmup` + `iterations` Enters; the timed samples of the last `iterations`."""
    from benchmarks.board_typing import point_text
    from csfacilitator.core import drafts, vocab
    from csfacilitator.core.board import add_points, board_tree, delete_point
    from csfacilitator.core.conferences import conference_meetings
    from tests.harness.sql_statements import statements

    meeting_id = conference_meetings(db, conference_id)[0]
    before = sum(len(points) for points in board_tree(db, meeting_id).values())
    rng = random.Random(7)
    columns = list(vocab.BOARD_COLUMNS)
    cpu: list[float] = []
    wall: list[float] = []
    counted: list[str] = []
    for number in range(warmup + iterations):
        column = columns[number % len(columns)]
        key = drafts.board_key(meeting_id, column)
        text = point_text(rng, 10_000 + number)  # the sentences the board is built from
        drafts.save_drafts(db, conference_id, {key: text})
        if number == 0:
            with statements(db) as seen:
                point = add_points(db, meeting_id, column, [text], draft_key=key)[0]
            counted = list(seen)
        else:
            if profiler is not None:
                profiler.enable()
            c0, t0 = time.thread_time(), time.perf_counter()
            point = add_points(db, meeting_id, column, [text], draft_key=key)[0]
            c1, t1 = time.thread_time(), time.perf_counter()
            if profiler is not None:
                profiler.disable()
            if number >= warmup:
                cpu.append(c1 - c0)
                wall.append(t1 - t0)
        assert point.text == text and point.column == column and point.parent_id is None
        assert key not in drafts.get_drafts(db, conference_id, key)
        delete_point(db, point.id)
    after = sum(len(points) for points in board_tree(db, meeting_id).values())
    assert before == after, (before, after)
    return {"cpu": cpu, "wall": wall, "statements": counted}


def profile(db, conference_id: int, iterations: int) -> str:  # noqa: ANN001
    profiler = cProfile.Profile(time.thread_time)  # CPU, not the fsync's wait
    enters(db, conference_id, iterations, 1, profiler)
    from benchmarks.board_typing import profile_report

    return profile_report(profiler, cumulative=35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", default="500,2000", help="board sizes, comma-separated")
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--show-sql", action="store_true", help="print one Enter's statements")
    args = parser.parse_args()
    sizes = [int(size) for size in args.points.split(",")]

    from csfacilitator.core.sync.share import share_conference
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    ms = 1000.0
    rows: list[tuple[str, dict]] = []
    profiled = ""
    with tempfile.TemporaryDirectory(prefix="csf-enter-write-") as tmp:
        folder = Path(tmp)
        bare = bare_reference(folder, args.iterations + args.warmup)
        for size in sizes:
            data_dir = folder / f"data{size}"
            conference_id = build(data_dir, size)
            db = open_database(resolve(data_dir))
            try:
                rows.append(
                    (f"{size} points", enters(db, conference_id, args.iterations, args.warmup))
                )
                share_conference(db, conference_id)
                rows.append(
                    (
                        f"{size} points, shared",
                        enters(db, conference_id, args.iterations, args.warmup),
                    )
                )
                if args.profile and size == max(sizes):
                    profiled = profile(db, conference_id, args.iterations)
            finally:
                db.close()
        bare2 = bare_reference(folder, args.iterations + args.warmup)  # the machine, later

    def med(samples: list[float]) -> float:
        return statistics.median(samples) * ms

    bare_cpu, bare_wall = bare["cpu"] + bare2["cpu"], bare["wall"] + bare2["wall"]

    def cell(samples: list[float], baseline: list[float] | None) -> str:
        ratio = f" ({med(samples) / med(baseline):5.1f}x)" if baseline else " " * 9
        return f"{med(samples):7.3f} / {p95(samples) * ms:6.3f}{ratio}"

    print(
        f"One Enter's write (add_points with its draft removed), {args.iterations} Enters each "
        f"after {args.warmup} warm-up; ms, median / p95 (ratio: the median to the bare median)"
    )
    print(f"  {'':<36} {'statements':>10}  {'thread CPU':<25}  {'wall (with fsync)':<25}")
    print(
        f"  {'bare sqlite3 INSERT+commit':<36} {1:>10}  {cell(bare_cpu, None)}  "
        f"{cell(bare_wall, None)}"
    )
    for label, result in rows:
        print(
            f"  {'add_points, ' + label:<36} {len(result['statements']):>10}  "
            f"{cell(result['cpu'], bare_cpu)}  {cell(result['wall'], bare_wall)}"
        )
    if args.show_sql:
        print("\nStatements of one Enter (the first, unshared):")
        for statement in rows[0][1]["statements"]:
            print("  " + " ".join(statement.split()))
    if profiled:
        print(profiled)


if __name__ == "__main__":
    main()
