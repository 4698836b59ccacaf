"""Crash safety, proven: the real window types points and is killed with SIGKILL at random.

After each kill the data folder is opened again: the database passes integrity_check, every
point whose Enter had returned is on the board, and text typed into an entry line more than a
second before the kill is kept as a draft.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from csfacilitator.core import drafts
from csfacilitator.core.board import board_tree
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database

SEEDS = range(20)
DRIVER = Path(__file__).parent / "harness" / "crash_driver.py"
ROOT = Path(__file__).parent.parent


def flatten(points):
    for point in points:
        yield point.text
        yield from flatten(point.children)


def run_until_killed(data_dir: Path, seed: int) -> tuple[list[tuple[float, str]], float]:
    """Start the driver, kill it at a random moment; returns its timed lines and the kill time."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(data_dir), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
    )
    lines: list[tuple[float, str]] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(60), "the app did not start"
        time.sleep(random.Random(seed).uniform(0.05, 2.5))
        killed_at = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(10)
    process.stdout.close()
    return lines, killed_at


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_nothing_entered_is_lost_when_the_app_is_killed(tmp_path, seed):
    data_dir = tmp_path / "data"
    lines, killed_at = run_until_killed(data_dir, seed)
    ready = next(line for _, line in lines if line.startswith("READY"))
    conference_id, meeting_id = (int(x) for x in ready.split()[1:])
    entered = [line[len("ENTERED ") :] for _, line in lines if line.startswith("ENTERED ")]
    typed_early = [
        line[len("TYPED ") :]
        for at, line in lines
        if line.startswith("TYPED ") and at < killed_at - 1.0
    ]

    database = resolve(data_dir).database
    with sqlite3.connect(database) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()

    db = open_database(resolve(data_dir))
    try:
        board = board_tree(db, meeting_id)
        stored_points = list(flatten(board["concerns"]))
        draft = drafts.get_drafts(db, conference_id).get(
            drafts.board_key(meeting_id, "strengths"), ""
        )
    finally:
        db.close()
    missing = [text for text in entered if text.strip() not in stored_points]
    assert not missing, f"{len(missing)} entered point(s) lost, first: {missing[0]!r}"
    if typed_early:
        assert draft.startswith(typed_early[-1].strip()), (
            f"text typed over a second before the kill is lost: {typed_early[-1]!r} vs {draft!r}"
        )
