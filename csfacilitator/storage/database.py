"""Opening the database: refuse what we cannot read, back up, migrate, then hand out sessions."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from csfacilitator.core.changes import Changes
from csfacilitator.errors import DatabaseCorrupt, DatabaseTooNew
from csfacilitator.paths import DataPaths, make_private, prepare
from csfacilitator.storage import change_events, encryption, sqlite_errors
from csfacilitator.storage.backup import backup_database
from csfacilitator.storage.engine import IMMEDIATE_OPTION, make_engine
from csfacilitator.storage.file_kind import FileKind, file_kind
from csfacilitator.storage.revision import stored_revision
from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

log = logging.getLogger(__name__)


class ReadsRows(Protocol):
    """What a read-only query needs of a store: the laptop's Database, or the team store seen
    through one login (storage/team_store.py: TeamReader)."""

    def read_session(self) -> AbstractContextManager[Session]: ...


class Database:
    """The open database. Each user action takes one short session from `session()`."""

    def __init__(self, paths: DataPaths, engine: Engine, passphrase: str | None = None):
        self.paths = paths
        self.engine = engine
        #: The SQLCipher passphrase when the database is encrypted (None when it is not). Code
        #: that opens the file itself (backups) passes it to encryption.open_raw_connection,
        #: which derives SQLCipher's key from it once and keys the other connections with that.
        self.passphrase = passphrase
        self._observers: list[Callable[[Changes], None]] = []
        self._make_sessions()

    def _make_sessions(self) -> None:
        writes = self.engine.execution_options(**{IMMEDIATE_OPTION: True})
        self._sessions = sessionmaker(writes, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        change_events.track(self._sessions, self._changed)

    def observe(self, observer: Callable[[Changes], None]) -> Callable[[], None]:
        """Call `observer` with what each committed write touched; returns how to stop."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers else None

    def _changed(self, changes: Changes) -> None:
        for observer in list(self._observers):
            observer(changes)

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    def reconnect(self, passphrase: str | None) -> None:
        """Drop every connection and use a new engine (after the file was encrypted)."""
        self.engine.dispose()
        encryption.forget_keys()
        self.engine = make_engine(self.paths.database, passphrase=passphrase)
        self.passphrase = passphrase
        self._make_sessions()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction, begun with BEGIN IMMEDIATE: committed when the block ends, rolled
        back if it raises.

        IMMEDIATE takes SQLite's write lock at the start, waiting up to the busy timeout for
        another writer; a deferred BEGIN that read first could not wait (SQLite refuses the
        upgrade at once, "database is locked"). In WAL mode readers are never blocked by it.
        """
        with self._classified(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction that only reads (deferred BEGIN): it never takes the write lock, so it
        neither waits for a writer nor fails on a read-only folder."""
        with self._classified(), self._read_sessions.begin() as session:
            yield session

    @contextmanager
    def _classified(self) -> Iterator[None]:
        """SQLite errors by error code: the environment's fault or damage become a plain
        StorageError; anything else (IntegrityError included) is a bug and goes on as it is."""
        try:
            yield
        except sa_exc.DBAPIError as exc:
            if isinstance(exc, sa_exc.IntegrityError):
                raise
            error = sqlite_errors.storage_error(exc, self.paths.root)
            if error is None:
                raise
            raise error from exc

    def close(self) -> None:
        self.engine.dispose()
        encryption.forget_keys()  # the key derived for it (in memory only) goes with it


def open_database(paths: DataPaths, passphrase: str | None = None) -> Database:
    """Open (creating and migrating as needed) the data folder's database.

    An encrypted database needs its passphrase (PassphraseRequired, WrongPassphrase otherwise).
    A passphrase given for a new database creates it encrypted; for an existing plain one it is
    not used.
    """
    prepare(paths)
    db_path = paths.database
    encryption.finish_interrupted(paths)
    kind = file_kind(db_path)
    if kind is FileKind.DAMAGED:
        raise DatabaseCorrupt(
            f"The database {db_path} cannot be read: it is damaged (neither an SQLite database "
            "nor an encrypted one). It has not been changed; restore it from a backup."
        )
    if kind is FileKind.ENCRYPTED:
        if passphrase is None:
            raise encryption.PassphraseRequired(
                "The database is encrypted: CS Facilitator needs its passphrase to open it."
            )
        passphrase = encryption.normalize_passphrase(passphrase)  # stored_revision checks it
    elif db_path.exists() and db_path.stat().st_size > 0:
        passphrase = None
    elif passphrase is not None:
        passphrase = encryption.validate_new_passphrase(passphrase)
    revision = stored_revision(db_path, passphrase)
    if revision is not None and passphrase is not None:  # an interrupted `encrypt`, finished
        encryption.finish_encrypting(paths, passphrase)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            f"This database was written by a newer version of CS Facilitator (schema {revision}). "
            "It has not been changed: install the newer version to open it."
        )
    if revision != HEAD:
        _create_private_file(db_path)
        if revision is not None:
            reason = f"before-upgrade-from-{revision}"
            backup_database(db_path, paths.backups, reason, passphrase=passphrase)
        _migrate(db_path, passphrase)
    engine = make_engine(db_path, passphrase=passphrase)
    for side in ("-wal", "-shm"):
        make_private(Path(str(db_path) + side))
    database = Database(paths, engine, passphrase)
    from csfacilitator.storage.purge import finish_pending

    finish_pending(database)  # a `delete --purge-backups` killed before its purge was done
    return database


def _create_private_file(db_path: Path) -> None:
    """SQLite gives its -wal and -shm files the main file's mode, so create that one 0600."""
    if not db_path.exists():
        fd = os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    make_private(db_path)


def _migrate(db_path: Path, passphrase: str | None = None) -> None:
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    log.info("Migrating %s to schema %s", db_path, HEAD)
    engine = make_engine(db_path, foreign_keys=False, passphrase=passphrase)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
