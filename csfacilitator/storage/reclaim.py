"""After a deletion: leave no trace of the deleted text in the database file or its WAL.

Every connection runs with secure_delete on, so freed cells and pages are overwritten with
zeros; but the WAL still holds the frames written before the delete until it is checkpointed
and truncated, and freed pages stay in the file until VACUUM rebuilds it. VACUUM builds its
copy in a temporary database, kept in memory here so the live data is not written to /tmp.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from csfacilitator.errors import StorageError
from csfacilitator.storage.sqlite_errors import explain_sqlite_error

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


class HasEngine(Protocol):
    """A `storage.database.Database` (which opens the file and, at times, purges: both need
    this module, so it does not import that one)."""

    engine: Engine


def reclaim_space(db: HasEngine) -> None:
    """Checkpoint and truncate the WAL, VACUUM, then checkpoint and truncate again."""
    import sqlite3

    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA temp_store=MEMORY")
            _checkpoint(cursor)
            cursor.execute("VACUUM")
            _checkpoint(cursor)
            cursor.execute("PRAGMA temp_store=DEFAULT")
        finally:
            cursor.close()
    except sqlite3.Error as exc:
        raise StorageError(explain_sqlite_error(exc)) from exc
    finally:
        raw.close()


def _checkpoint(cursor) -> None:  # noqa: ANN001 - a DB-API cursor
    busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        # Another connection was reading; the WAL is rewritten from the start next time.
        log.warning("The WAL could not be truncated yet: a reader was busy")
