"""SQLite engines with the pragmas every connection needs, read back by the tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA busy_timeout=5000",
    # Sorts and temporary indexes stay in memory, so conference text never lands in /tmp.
    "PRAGMA temp_store=MEMORY",
)


def make_engine(
    db_path: Path, *, foreign_keys: bool = True, passphrase: str | None = None
) -> Engine:
    """An engine whose transactions are real SQLite transactions (DDL included).

    The stdlib driver otherwise issues BEGIN only before DML, so a migration could half-apply;
    SQLAlchemy's documented recipe is to switch the driver's own handling off and emit BEGIN.
    With a passphrase the driver is SQLCipher's, and each connection is keyed (`PRAGMA key`
    first) before SQLAlchemy or the pragmas below touch it.
    """
    if passphrase is None:
        engine = create_engine(f"sqlite:///{db_path}")
    else:
        from csfacilitator.storage import encryption

        engine = create_engine(
            f"sqlite:///{db_path}",
            module=encryption.dbapi(),
            creator=lambda: encryption.open_raw_connection(
                db_path, passphrase, check_same_thread=False
            ),
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DB-API objects
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            if "foreign_keys" in pragma and not foreign_keys:
                pragma = "PRAGMA foreign_keys=OFF"
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN")

    return engine
