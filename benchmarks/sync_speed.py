"""Sync benchmark: the first pull of a team store, and an incremental sync with 100 waiting
changes, against a baseline in the same run, at several sizes of team store.

    .venv/bin/python benchmarks/sync_speed.py [--conferences 1,100,1000] [--repeat 5]
                                              [--team-url postgresql+psycopg://...] [--secure]

Without --team-url a throwaway PostgreSQL cluster is started the way the tests start one
(tests/pg_server.py: initdb + pg_ctl in a temporary folder; needs Debian's postgresql
package); the store is one superuser's, without the row-level security and audit `team init`
adds, unless --secure (then A pushes as a coordinator and B syncs as a team manager, each
through their own login, so every row pulled passes the policies and every row pushed is
audited). Setting up each size (not timed): laptop A shares copies of the example conference
(about 190 rows each) until the team holds that many, and pushes them. Then:
- first pull: a new laptop (its own process, so its peak memory is its own) pulls the whole
  team store; its time, the CPU time of its own process (not the server's; on a busy machine
  it moves less than the time), its time per team row, and its peak resident memory during
  the pull (in brackets: its resident memory as the pull began, everything imported and the
  laptop open);
- baseline: that laptop's sync with nothing to do (one pull query, the share checks, one
  status write);
- push: A makes 100 changes through the core (50 board points edited, 50 added; each also
  touches the conference's updated_at, which goes as one change) and syncs;
- pull: the new laptop syncs and receives them.
Medians of --repeat rounds are printed with their ratio to the baseline. The target (issue 17)
is an incremental sync of at most 2 s on this 2-core machine.
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
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

URL_ENV = "CSFACILITATOR_BENCH_TEAM_URL"


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _team(url: str | None):
    from csfacilitator.storage import team_store
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    cluster = None
    if url is None:
        import pg_server

        bin_dir = pg_server._bin_dir()
        if bin_dir is None:
            sys.exit("No PostgreSQL here: install Debian's postgresql package or pass --team-url.")
        cluster = pg_server._Cluster(bin_dir)
        server = cluster.start()
        name = server.new_name("bench")
        server.create_database(name)
        url = server.url(name)
    engine = team_store.make_team_engine(url)
    upgrade_to_head(engine)
    return engine, cluster, url


PASSWORD = "a benchmark's password"


def _secure(admin, url: str) -> tuple[str, str]:
    """The team's roles, row-level security and audit (`team init`), and two logins: A a
    coordinator, B a team manager (who reads every conference). Their URLs."""
    from sqlalchemy.engine import make_url

    from csfacilitator.storage import team_security

    team_security.apply(admin)
    base = make_url(url)
    urls = []
    for who, role in (("a", "coordinator"), ("b", "manager")):
        login = f"bench_{who}_{base.database}"
        team_security.add_user(admin, login, role, PASSWORD)
        login_url = base.set(username=login, password=PASSWORD)
        urls.append(login_url.render_as_string(hide_password=False))
    return urls[0], urls[1]


def _laptop(folder: Path, device: str | None = None):
    from sqlalchemy import text

    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    db = open_database(resolve(folder))
    if device is not None:
        with db.session() as s:
            s.connection().execute(text("UPDATE sync_state SET device = :d"), {"d": device})
    return db


def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    return float("nan")


def _reset_peak() -> None:
    """Start VmHWM again from the present (Linux 4.0+: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def first_pull(folder: Path) -> None:
    """(In its own process) a new laptop in `folder` pulls the whole team store; prints its
    time, rows pulled and peak memory before and after, as JSON."""
    from csfacilitator.core import sync
    from csfacilitator.storage import team_store

    db = _laptop(folder, device=f"bench-{folder.name}")
    engine = team_store.make_team_engine(os.environ[URL_ENV])
    sync.sync_status(db)  # everything imported and opened before the clock starts
    before = _memory_mb("VmRSS")
    _reset_peak()
    cpu = time.process_time()
    took, result = _timed(lambda: sync.sync_now(db, engine))
    cpu = time.process_time() - cpu
    peak = _memory_mb("VmHWM")
    print(
        json.dumps(
            {"seconds": took, "cpu": cpu, "pulled": result.pulled, "before": before, "peak": peak}
        )
    )
    db.close()
    engine.dispose()


def _hundred_changes(db, cid: int, round_: int) -> None:
    """50 board points edited (each a different one) and 50 added, through the core."""
    from csfacilitator.core import board, meetings

    meeting = next(m for m in meetings.list_meetings(db, cid) if m.kind == "conference")
    existing = list(
        board.iter_points(p for c in board.board_tree(db, meeting.id).values() for p in c)
    )
    for point in existing[:50]:
        board.edit_point(db, point.id, f"{point.text.split(' [')[0]} [round {round_}]")
    for n in range(50):
        board.add_point(db, meeting.id, "strengths", f"round {round_} point {n}")


def _first_pull_elsewhere(folder: Path, url: str) -> dict:
    env = dict(os.environ, **{URL_ENV: url})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, __file__, "--first-pull", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"The first pull failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes: list[int], repeat: int, url: str | None, secure: bool = False) -> None:
    from sqlalchemy import text

    from csfacilitator.core import conferences, sync
    from csfacilitator.core.example import add_example
    from csfacilitator.storage import team_store

    admin, cluster, url = _team(url)
    engines = []
    try:
        url_a = url_b = url
        if secure:
            url_a, url_b = _secure(admin, url)
        team_a, team_b = (team_store.make_team_engine(u) for u in (url_a, url_b))
        engines = [team_a, team_b]
        tmp = Path(tempfile.mkdtemp(prefix="sync-bench-"))
        a = _laptop(tmp / "a")
        shared = 0
        cid = None
        print(
            f"{'conferences':>11} {'team rows':>9} {'first pull':>10} {'cpu':>6} {'per row':>8} "
            f"{'peak MB':>11} {'baseline':>8} {'push 100':>8} {'pull 100':>8} "
            f"{'push/base':>9} {'pull/base':>9} {'setup':>6}",
            flush=True,
        )
        for size in sizes:
            start = time.perf_counter()
            while shared < size:
                cid = add_example(a)
                # A title of its own, so the next copy's "Example (n)" is not looked for
                # among every copy before it (n look-ups each: the set-up grew as n²).
                conferences.update_conference(a, cid, title=f"Example conference {shared + 1}")
                sync.share_conference(a, cid)
                shared += 1
                if shared % 100 == 0:
                    sync.sync_now(a, team_a)  # push as it grows: A's log stays small
            _hundred_changes(a, cid, -1)  # at least 50 points to edit
            sync.sync_now(a, team_a)
            setup = time.perf_counter() - start
            with admin.connect() as c:
                rows = c.execute(text("SELECT count(*) FROM team_change")).scalar()
            pulled = _first_pull_elsewhere(tmp / f"b{size}", url_b)
            b = _laptop(tmp / f"b{size}")
            base, push, pull = [], [], []
            for round_ in range(repeat):
                base.append(_timed(partial(sync.sync_now, b, team_b))[0])
                _hundred_changes(a, cid, round_)
                took, result = _timed(partial(sync.sync_now, a, team_a))
                assert result.pushed >= 100, result
                push.append(took)
                took, result = _timed(partial(sync.sync_now, b, team_b))
                assert result.pulled >= 100, result
                pull.append(took)
            b.close()
            b_ms = statistics.median(base) * 1000
            p_ms = statistics.median(push) * 1000
            q_ms = statistics.median(pull) * 1000
            print(
                f"{size:>11} {rows:>9} {pulled['seconds']:>9.2f}s {pulled['cpu']:>5.1f}s "
                f"{pulled['seconds'] / rows * 1000:>6.3f}ms "
                f"{pulled['peak']:>4.0f} ({pulled['before']:>4.0f}) {b_ms:>6.0f}ms {p_ms:>6.0f}ms "
                f"{q_ms:>6.0f}ms {p_ms / b_ms:>8.1f}x {q_ms / b_ms:>8.1f}x {setup:>5.0f}s",
                flush=True,
            )
        a.close()
    finally:
        for engine in (*engines, admin):
            engine.dispose()
        if cluster is not None:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conferences", default="1,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--team-url")
    parser.add_argument(
        "--secure",
        action="store_true",
        help="as `team init` makes it: row-level security and audit; A syncs as a "
        "coordinator, B as a team manager (without it: one superuser, no audit)",
    )
    parser.add_argument("--first-pull", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_pull is not None:
        first_pull(args.first_pull)
        return
    run([int(n) for n in args.conferences.split(",")], args.repeat, args.team_url, args.secure)


if __name__ == "__main__":
    main()
