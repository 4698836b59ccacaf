"""The schema revision a database file records, read with the driver alone: the start's checks
(storage.recovery) ask it before SQLAlchemy is imported."""

from __future__ import annotations

import logging
from pathlib import Path

from csfacilitator.core.textclean import one_line
from csfacilitator.errors import DatabaseCorrupt, StorageError
from csfacilitator.storage import encryption, sqlite_errors
from csfacilitator.storage.schema_version import KNOWN_REVISIONS

log = logging.getLogger(__name__)


def stored_revision(db_path: Path, passphrase: str | None = None) -> str | None:
    """The schema revision recorded in the file, or None for a new or empty file."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        conn = encryption.open_raw_connection(db_path, passphrase)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise DatabaseCorrupt(
                    f"{db_path} is not a CS Facilitator database. Move it aside or choose another "
                    "data folder."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is not None and row[0] not in KNOWN_REVISIONS and "conference" not in tables:
                # Another program's Alembic database, not one from a newer CS Facilitator.
                raise DatabaseCorrupt(
                    f"{db_path} is not a CS Facilitator database. Move it aside or choose "
                    "another data folder."
                )
        finally:
            conn.close()
    except encryption.database_errors() as exc:
        kind = sqlite_errors.classify(exc, db_path.parent)
        if sqlite_errors.is_environment(kind):
            raise StorageError(sqlite_errors.message(kind)) from exc
        log.error("The database %s cannot be read: %s", db_path, exc)
        raise DatabaseCorrupt(
            f"The database {db_path} cannot be read ({one_line(exc, 120)}). It has not been "
            "changed; restore it from a backup."
        ) from exc
    return row[0] if row else None
