"""Crash safety, proven: the real window types points and is killed with SIGKILL at random.

After each kill the data folder is opened again: the database passes integrity_check, every
point whose Enter had returned is on the board, and text typed into an entry line more than a
second before the kill is kept as a draft.

The runs go through a fork server (tests/harness/crash_driver.py --serve): each would otherwise
spend more time importing Qt and the app than typing. Each starts on a copy of the migrated
template database (conftest), as a database someone already uses.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from csfacilitator.core import drafts
from csfacilitator.core.board import board_tree
from csfacilitator.paths import make_private, prepare, resolve
from csfacilitator.storage import open_database
from tests.harness.served_driver import ServedDriver

SEEDS = range(20)
DRIVER = Path(__file__).parent / "harness" / "crash_driver.py"
ROOT = Path(__file__).parent.parent


def flatten(points):
    for point in points:
        yield point.text
        yield from flatten(point.children)


class DriverServer(ServedDriver):
    """The driver's fork server; its lines, timed as they arrive, in a queue."""

    def __init__(self):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        super().__init__([sys.executable, str(DRIVER), "--serve"], env)
        assert self.next_line(120)[1] == "SERVING", "the driver did not start"

    def start(self, data_dir: Path, seed: int) -> None:
        self.send(f"{data_dir} {seed}")


@pytest.fixture(scope="module")
def server():
    started = DriverServer()
    yield started
    started.close()


def run_until_killed(
    server: DriverServer, data_dir: Path, seed: int
) -> tuple[list[tuple[float, str]], float]:
    """Start a run, kill it at a random moment; returns its timed lines and the kill time."""
    server.start(data_dir, seed)
    lines: list[tuple[float, str]] = []
    pid = None
    while pid is None or not lines or not lines[-1][1].startswith("READY"):
        at, line = server.next_line(60)
        if line.startswith("PID "):
            pid = int(line.split()[1])
        else:
            assert not line.startswith("EXIT"), f"the app did not start: {lines}"
            lines.append((at, line))
    time.sleep(random.Random(seed).uniform(0.05, 2.5))
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)  # the server's child: it waits for it, so the pid is not reused
    while True:
        at, line = server.next_line(120)
        cut_short, exit_line, status = line.rpartition("EXIT ")
        if exit_line:  # after a line the kill cut short, if it did
            if cut_short:
                lines.append((at, cut_short))
            assert status == f"-{signal.SIGKILL}", line
            break
        lines.append((at, line))
    return lines, killed_at


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_nothing_entered_is_lost_when_the_app_is_killed(tmp_path, seed, server, _migrated_template):
    data_dir = tmp_path / "data"
    database = prepare(resolve(data_dir)).database
    shutil.copyfile(_migrated_template, database)
    make_private(database)
    lines, killed_at = run_until_killed(server, data_dir, seed)
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
