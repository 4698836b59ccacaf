"""Sync benchmark: an incremental sync with 100 waiting changes, against a baseline in the
same run, at several sizes of team store.

    .venv/bin/python benchmarks/sync_speed.py [--conferences 1,10,100] [--repeat 5]
                                              [--team-url postgresql+psycopg://...]

Without --team-url a throwaway PostgreSQL cluster is started the way the tests start one
(tests/pg_server.py: initdb + pg_ctl in a temporary folder; needs Debian's postgresql
package). For each size, laptop A shares that many copies of the example conference (about
150 rows each) and pushes them; laptop B pulls them all (the "first pull", timed). Then, each
repeat:
- baseline: a sync of B with nothing to do (one pull query, one status write);
- push: A makes 100 changes through the core (50 board points edited, 50 added; each also
  touches the conference's updated_at, which goes as one change) and syncs;
- pull: B syncs and receives them.
Medians are printed with the ratio to the baseline. The target (issue 17) is an incremental
sync of at most 2 s on this 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


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
    return engine, cluster


def _laptop(folder: Path):
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    return open_database(resolve(folder))


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


def run(sizes: list[int], repeat: int, url: str | None) -> None:
    from sqlalchemy import text

    from csfacilitator.core import sync
    from csfacilitator.core.example import add_example

    engine, cluster = _team(url)
    try:
        tmp = Path(tempfile.mkdtemp(prefix="sync-bench-"))
        a, b = _laptop(tmp / "a"), _laptop(tmp / "b")
        with b.session() as s:
            s.connection().execute(text("UPDATE sync_state SET device = 'bench-b'"))
        shared = 0
        cid = None
        print(
            f"{'conferences':>11} {'team rows':>9} {'first pull':>10} {'baseline':>9} "
            f"{'push 100':>9} {'pull 100':>9} {'ratio':>6}"
        )
        for size in sizes:
            while shared < size:
                cid = add_example(a)
                sync.share_conference(a, cid)
                shared += 1
            _hundred_changes(a, cid, -1)  # at least 50 points to edit
            sync.sync_now(a, engine)
            first_pull, _ = _timed(lambda: sync.sync_now(b, engine))
            with engine.connect() as c:
                rows = c.execute(text("SELECT count(*) FROM team_change")).scalar()
            base, push, pull = [], [], []
            for round_ in range(repeat):
                base.append(_timed(lambda: sync.sync_now(b, engine))[0])
                _hundred_changes(a, cid, round_)
                took, result = _timed(lambda: sync.sync_now(a, engine))
                assert result.pushed >= 100, result
                push.append(took)
                took, result = _timed(lambda: sync.sync_now(b, engine))
                assert result.pulled >= 100, result
                pull.append(took)
            b_ms = statistics.median(base) * 1000
            p_ms = statistics.median(push) * 1000
            q_ms = statistics.median(pull) * 1000
            print(
                f"{size:>11} {rows:>9} {first_pull:>9.2f}s {b_ms:>7.0f}ms {p_ms:>7.0f}ms "
                f"{q_ms:>7.0f}ms {max(p_ms, q_ms) / b_ms:>5.1f}x",
                flush=True,
            )
        a.close()
        b.close()
    finally:
        engine.dispose()
        if cluster is not None:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conferences", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--team-url")
    args = parser.parse_args()
    run([int(n) for n in args.conferences.split(",")], args.repeat, args.team_url)


if __name__ == "__main__":
    main()
