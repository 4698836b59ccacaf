"""A sync cut off at random moments (the syncing process killed with SIGKILL, or its
connection to PostgreSQL terminated by the server) leaves both sides consistent; the next
normal sync converges, with every change there once (compared row by row)."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_laptops import snapshot

from csfacilitator.core import board, invitees, meetings, sync
from tests.harness.served_driver import ServedDriver

DRIVER = Path(__file__).parent / "harness" / "sync_driver.py"


def _rows(db):
    with db.read_session() as s:
        return snapshot(s.connection())


def _edit(db, cid, tag, rng):
    for n in range(rng.randint(5, 25)):
        invitees.add_invitee(db, cid, name=f"{tag} invitee {n}")
    meeting = next(m for m in meetings.list_meetings(db, cid) if m.kind == "conference")
    board.add_points(db, meeting.id, "strengths", [f"{tag} point {n}" for n in range(10)])
    listed = invitees.list_invitees(db, cid)
    invitees.update_invitee(db, rng.choice(listed).id, notes=f"{tag} note")


class SyncServer(ServedDriver):
    """The sync driver's fork server: a run costs a fork, not a Python start and the imports."""

    def __init__(self, stderr: Path):
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
        self.stderr = stderr.open("w", encoding="utf-8")  # a run's traceback, if it fails
        super().__init__([sys.executable, str(DRIVER), "--serve"], env, self.stderr)
        assert self.next_line(120)[1] == "SERVING", f"the driver did not start (see {stderr})"

    def until_exit(self) -> int:
        """The exit status of the run under way (minus the signal number when killed)."""
        while True:
            _, line = self.next_line(60)
            _, exit_line, status = line.rpartition("EXIT ")  # after a line a kill cut short
            if exit_line:
                return int(status)

    def close(self) -> None:
        super().close()
        self.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = SyncServer(tmp_path_factory.mktemp("sync-driver") / "stderr.txt")
    yield started
    started.close()


def _cut(server, data_dir, url, rng, team, how):
    # A process to be killed syncs until it is (so the kill cannot come after the work on a
    # fast or a slow machine alike); one whose connection is cut syncs twice.
    server.send(f"{data_dir} {url} {0 if how == 'kill' else 2}")
    _, line = server.next_line(60)
    pid = int(line.split()[1])  # "PID <pid>": the server's child, not reaped until EXIT
    _, line = server.next_line(60)
    assert line == "START", line
    time.sleep(rng.uniform(0, 0.4))
    if how == "kill":
        os.kill(pid, signal.SIGKILL)
    else:  # the server drops the laptop's connection mid-sync
        with team.connect() as c:
            c.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    return server.until_exit()


@pytest.mark.parametrize("shared_example", ["postgresql", "sqlite"], indirect=True)
@pytest.mark.parametrize("seed", [17, 42])
def test_sync_cut_off_at_random_moments_converges(tmp_path, server, shared_example, seed):
    # The start: Anna added the example and shared it, she synced, then Ben (share_example,
    # made and checked once per session and team kind; each test works on copies of it).
    a, b, team, cid_a, cid_b, _conf_uid = shared_example
    backend = team.dialect.name
    rng = random.Random(seed)
    folders = {"anna": tmp_path / "anna", "ben": tmp_path / "ben"}  # the copies' folders
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'team' / 'team.sqlite3'}"
    else:
        url = team.url.render_as_string(hide_password=False)
    outcomes = []
    rounds = 5
    for round_ in range(rounds):
        _edit(a, cid_a, f"A{round_}", rng)
        _edit(b, cid_b, f"B{round_}", rng)
        who = rng.choice(["anna", "ben"])
        how = "kill" if backend == "sqlite" or rng.random() < 0.6 else "terminate"
        outcomes.append((how, _cut(server, folders[who], url, rng, team, how)))
    # Afterwards a normal sync converges.
    for db in (a, b, a):
        sync.sync_now(db, team)
    assert sync.sync_status(a).waiting == sync.sync_status(b).waiting == 0
    assert sync.sync_status(a).conflicts == sync.sync_status(b).conflicts == 0
    with team.connect() as c:
        on_team = snapshot(c)
        ids = c.execute(text("SELECT count(*), count(DISTINCT change_id) FROM team_change")).one()
    assert ids[0] == ids[1]
    assert _rows(a) == _rows(b) == on_team
    names = [i.name for i in invitees.list_invitees(a, cid_a)]
    for round_ in range(rounds):
        for tag in (f"A{round_}", f"B{round_}"):
            assert names.count(f"{tag} invitee 0") == 1
    # Every kill found the process still syncing; a cut connection either broke a sync
    # (exit 3) or came between syncs, which then reconnect and finish (exit 0).
    print("outcomes", outcomes)
    assert any(how == "kill" for how, _ in outcomes)
    assert all(code == -signal.SIGKILL for how, code in outcomes if how == "kill")
    assert all(code in (0, 3) for how, code in outcomes if how == "terminate")
