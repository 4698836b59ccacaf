"""SQLite engines with the pragmas every connection needs, read back by the tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc

from csfacilitator.storage.sqlite_errors import SQLITE_READONLY, error_code

#: Execution option of connections whose transactions may write: they begin IMMEDIATE.
IMMEDIATE_OPTION = "csfacilitator_begin_immediate"

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
    With the IMMEDIATE_OPTION execution option (Database.session) it is BEGIN IMMEDIATE, so a
    writer waits (busy_timeout) for another one instead of failing at its first write.
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
        if not connection.get_execution_options().get(IMMEDIATE_OPTION):
            connection.exec_driver_sql("BEGIN")
            return
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except exc.OperationalError as error:
            # A read-only file (or folder) refuses the write lock; a transaction that only
            # reads must still work there, and a write then fails as "read-only".
            if (error_code(error) or 0) & 0xFF != SQLITE_READONLY:
                raise
            connection.exec_driver_sql("BEGIN")

    return engine
