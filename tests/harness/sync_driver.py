"""Syncs one laptop with a team store until killed (tests/test_sync_crash.py).

    sync_driver.py DATA_DIR TEAM_URL [ROUNDS]

Everything is imported and the database opened first; then "START" on stdout (flushed), then
ROUNDS syncs (default 1; 0 syncs again and again until the process is killed), then "DONE". A sync cut off by a lost connection prints "LOST" and
ends with exit code 3 (that is what the test provokes too).
"""

from __future__ import annotations

import sys


def main() -> int:
    data_dir, url = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
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
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
