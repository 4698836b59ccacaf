"""Syncs one laptop with a team store until killed (tests/test_sync_crash.py).

    sync_driver.py DATA_DIR TEAM_URL [ROUNDS]   one run, in this process
    sync_driver.py --serve                      a fork server for the tests (see serve())

Everything is imported and the database opened first; then "START" on stdout (flushed), then
ROUNDS syncs (default 1; 0 syncs again and again until the process is killed), then "DONE". A sync cut off by a lost connection prints "LOST" and
ends with exit code 3 (that is what the test provokes too).
"""

from __future__ import annotations

import os
import sys


def main(data_dir: str, url: str, rounds: int = 1) -> int:
    from csfacilitator.core import sync
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    db = open_database(resolve(data_dir))
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        from csfacilitator.storage.engine import make_engine

        team = make_engine(make_url(url).database)
    else:
        from csfacilitator.storage import team_store

        team = team_store.make_team_engine(url)
    print("START", flush=True)
    try:
        done = 0
        while rounds == 0 or done < rounds:
            sync.sync_now(db, team)
            done += 1
    except Exception as exc:  # noqa: BLE001 - a connection killed under it
        print(f"LOST {type(exc).__name__}", flush=True)
        return 3
    finally:
        team.dispose()
        db.close()
    print("DONE", flush=True)
    return 0


def preload() -> None:
    """Import what a run uses and configure the ORM's mappers, so a forked child starts at
    once."""
    import psycopg  # noqa: F401 - the PostgreSQL driver, imported when an engine connects
    from sqlalchemy.engine import make_url  # noqa: F401
    from sqlalchemy.orm import configure_mappers

    from csfacilitator.core import sync  # noqa: F401
    from csfacilitator.paths import resolve  # noqa: F401
    from csfacilitator.storage import open_database, team_store  # noqa: F401
    from csfacilitator.storage.engine import make_engine  # noqa: F401

    configure_mappers()  # once here, not in each child's first query (cached for the process)


def serve() -> None:
    """A fork server: each run costs a fork, not a Python start and the app's imports.

    Reads "DATA_DIR TEAM_URL ROUNDS" on stdin, one a line; for each it forks a child that says
    "PID <pid>", then runs main() (the protocol above). When the child is gone, by itself or
    killed by the test: "EXIT <status>" (minus the signal number when killed, as
    subprocess's returncode). Nothing but modules exists before a fork: no connection, engine
    or thread.
    """
    import gc

    preload()
    gc.freeze()  # the preloaded objects: the children's collections skip (and so do not copy) them
    print("SERVING", flush=True)
    for line in sys.stdin:
        data_dir, url, rounds = line.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                print(f"PID {os.getpid()}", flush=True)
                code = main(data_dir, url, int(rounds))
            finally:
                sys.stdout.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1))
