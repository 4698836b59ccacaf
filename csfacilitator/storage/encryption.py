"""Encryption at rest with SQLCipher: detecting, opening, checking and converting databases.

An encrypted database is an SQLCipher file (its first bytes are a random salt, not SQLite's
header). The passphrase goes to SQLCipher with `PRAGMA key` as the first statement on every
connection; SQLCipher derives the key itself (PBKDF2, per-file salt). `sqlcipher3` is imported
only when an encrypted database is used, so the plain path starts as fast as before.

Converting writes an encrypted copy beside the plain file, checks it, renames it into place and
then overwrites the plain file before removing it (best effort: an SSD or a copy-on-write file
system may keep old blocks; that is why encrypting at setup is better than later).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from csfacilitator.errors import StorageError, UserError
from csfacilitator.paths import DataPaths, make_private

SQLITE_HEADER = b"SQLite format 3\x00"
ENV_PASSPHRASE = "CSFACILITATOR_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8
WRONG_PASSPHRASE = "The passphrase is not right for this database. Check it and try again."
#: Suffixes of the files a conversion leaves behind while it runs (see finish_interrupted).
ENCRYPTING_SUFFIX = ".encrypting"
PLAIN_ASIDE_SUFFIX = ".plain-old"
#: A conversion in another process may still be writing a younger partial copy.
STALE_PARTIAL_SECONDS = 3600
_CHUNK = 1 << 20
_SAMPLE = 1024
#: Random bytes show ~250 of the 256 values in a kilobyte; text or a damaged page far fewer.
_DISTINCT_BYTES = 160


class PassphraseRequired(StorageError):
    """The database is encrypted and no passphrase was given."""


class WrongPassphrase(StorageError):
    """The passphrase does not open the database."""


@dataclass(frozen=True)
class EncryptionReport:
    """What a conversion did: backups it encrypted, and plain files it had to leave alone."""

    backups_encrypted: int
    left_plain: tuple[Path, ...]


# -- detecting and opening -------------------------------------------------------------------


def is_encrypted(path: Path) -> bool:
    """True when the file looks like an SQLCipher database.

    That is: no SQLite header, whole pages (SQLite files are made of pages of 512 bytes or a
    multiple), and a first kilobyte that looks random, as ciphertext does. Anything else
    without the header is a damaged file, not one to ask a passphrase for.

    Not for a database this process has open: closing any descriptor of a file drops the
    process's POSIX locks on it, SQLite's included (ask `Database.passphrase` instead).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(_SAMPLE)
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return False
    if len(head) < _SAMPLE or head.startswith(SQLITE_HEADER) or size % 512:
        return False
    return len(set(head)) > _DISTINCT_BYTES


def is_plain_database(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def normalize_passphrase(passphrase: str) -> str:
    """The same passphrase typed on any keyboard gives the same key (Unicode NFC)."""
    if "\x00" in passphrase:
        raise UserError("A passphrase cannot contain a null character.")
    return unicodedata.normalize("NFC", passphrase)


def validate_new_passphrase(passphrase: str, repeated: str | None = None) -> str:
    """A new passphrase: long enough, and typed the same twice when a repeat is given."""
    passphrase = normalize_passphrase(passphrase)
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UserError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters; "
            "a few words you will remember are best."
        )
    if repeated is not None and normalize_passphrase(repeated) != passphrase:
        raise UserError("The two passphrases are not the same. Type them again.")
    return passphrase


def sql_string(value: str) -> str:
    """An SQL string literal (quotes doubled), for statements that cannot take parameters."""
    return "'" + value.replace("'", "''") + "'"


def dbapi():
    """The SQLCipher DB-API module, or a plain explanation when it is not installed."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise StorageError(
            "This database is encrypted, and this copy of CS Facilitator cannot open encrypted "
            "databases. Install it with encryption support: pip install "
            "'csfacilitator[encryption]'."
        ) from exc
    return dbapi2


def database_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes in use (SQLCipher's only once it has been loaded)."""
    errors: list[type[Exception]] = [sqlite3.DatabaseError]
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    if cipher is not None:
        errors.append(cipher.DatabaseError)
    return tuple(errors)


def open_raw_connection(path: Path, passphrase: str | None = None, *, check: bool = True, **kw):
    """A DB-API connection to `path`: the stdlib's for a plain file, SQLCipher's with the key.

    With a passphrase, `PRAGMA key` is the first statement, and `check` reads the schema so a
    wrong passphrase raises WrongPassphrase here rather than "file is not a database" later.
    Both ends of `source.backup(target)` must come from here with the same passphrase: a backup
    of an encrypted database is then encrypted with the same key (SQLCipher refuses to back up
    into a file without a key).
    """
    if passphrase is None:
        return sqlite3.connect(str(path), **kw)
    module = dbapi()
    passphrase = normalize_passphrase(passphrase)
    if not passphrase:  # SQLCipher would take an empty key as "no key"
        raise WrongPassphrase(WRONG_PASSPHRASE)
    connection = module.connect(str(path), **kw)
    try:
        # SQLCipher writes decryption failures to stderr; a wrong passphrase is reported by us.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = {sql_string(passphrase)}")
        if check:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        connection.close()
        if "not a database" in str(exc):
            raise WrongPassphrase(WRONG_PASSPHRASE) from exc
        raise StorageError(f"The encrypted database {path} cannot be read ({exc}).") from exc
    return connection


def check_passphrase(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless `passphrase` opens the encrypted database at `path`."""
    open_raw_connection(path, passphrase).close()


def passphrase_from_environment() -> str | None:
    value = os.environ.get(ENV_PASSPHRASE)
    return value if value else None


# -- removing plain copies -------------------------------------------------------------------


def _overwrite(handle) -> None:
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    zeros = bytes(min(size, _CHUNK))
    written = 0
    while written < size:
        step = min(_CHUNK, size - written)
        handle.write(zeros[:step])
        written += step
    handle.flush()
    os.fsync(handle.fileno())


def secure_remove(path: Path) -> None:
    """Overwrite a file with zeros, then remove it (nothing happens if it is not there)."""
    try:
        with open(path, "r+b") as handle:
            _overwrite(handle)
    except FileNotFoundError:
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _aside(path: Path) -> Path:
    return path.with_name(path.name + PLAIN_ASIDE_SUFFIX)


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ENCRYPTING_SUFFIX)


def _remove_stale_partial(target: Path) -> None:
    """An encrypted copy left by a conversion that stopped (never one still being written)."""
    partial = _partial(target)
    with contextlib.suppress(FileNotFoundError):
        if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
            partial.unlink()


def _finish_swap(target: Path) -> None:
    """Complete a swap a crash interrupted: put the plain file back, or remove it for good."""
    aside = _aside(target)
    if aside.exists():
        if not target.exists():
            os.replace(aside, target)
        elif is_encrypted(target):
            secure_remove(aside)
    _remove_stale_partial(target)


def finish_interrupted(paths: DataPaths) -> None:
    """Called when the database opens: tidy up after a conversion that did not finish."""
    _finish_swap(paths.database)
    if paths.backups.is_dir():
        for leftover in paths.backups.glob(f"*{PLAIN_ASIDE_SUFFIX}"):
            _finish_swap(leftover.with_name(leftover.name[: -len(PLAIN_ASIDE_SUFFIX)]))
        for partial in paths.backups.glob(f"*{ENCRYPTING_SUFFIX}"):
            _remove_stale_partial(partial.with_name(partial.name[: -len(ENCRYPTING_SUFFIX)]))


# -- converting ------------------------------------------------------------------------------


def _table_counts(connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _check_encrypted_copy(copy: Path, passphrase: str, expected: dict[str, int]) -> None:
    connection = open_raw_connection(copy, passphrase)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _table_counts(connection)
    finally:
        connection.close()
    if result != "ok" or counts != expected:
        raise StorageError(
            "The encrypted copy did not match the database, so nothing was changed. "
            f"({result}; {len(counts)} of {len(expected)} tables)"
        )


def _export_encrypted(connection, target: Path, passphrase: str) -> None:
    """Copy the plain database open on `connection` into a new encrypted file `target`."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    make_private(target)
    connection.execute(
        f"ATTACH DATABASE {sql_string(str(target))} AS encrypted KEY {sql_string(passphrase)}"
    )
    try:
        connection.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        version = int(connection.execute("PRAGMA main.user_version").fetchone()[0])
        connection.execute(f"PRAGMA encrypted.user_version = {version}")
    finally:
        connection.execute("DETACH DATABASE encrypted")


def _swap_in(encrypted: Path, target: Path, passphrase: str) -> None:
    """Rename the checked encrypted file over `target`, then securely remove the plain one."""
    _fsync_file(encrypted)
    aside = _aside(target)
    os.replace(target, aside)
    os.replace(encrypted, target)
    _fsync_dir(target.parent)
    try:
        check_passphrase(target, passphrase)  # the final check, on the file now in place
    except BaseException:
        os.replace(aside, target)
        raise
    secure_remove(aside)
    _fsync_dir(target.parent)


def encrypt_file(path: Path, passphrase: str) -> None:
    """Replace a closed plain database file (a backup, say) by an encrypted copy of itself."""
    module = dbapi()
    partial = _partial(path)
    connection = module.connect(str(path), isolation_level=None)
    try:
        expected = _table_counts(connection)
        _export_encrypted(connection, partial, passphrase)
    except module.DatabaseError as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise StorageError(f"{path} could not be encrypted ({exc}).") from exc
    finally:
        connection.close()
    try:
        _check_encrypted_copy(partial, passphrase, expected)
    except UserError:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    _swap_in(partial, path, passphrase)


def _hold(path: Path):
    """An open handle on a side file, so its content can be overwritten after SQLite drops it.

    POSIX only: on Windows an open handle would stop SQLite from deleting the file.
    """
    if os.name != "posix":
        return None
    try:
        return open(path, "r+b")  # noqa: SIM115 - closed in _release
    except FileNotFoundError:
        return None


def _release(handle, *, overwrite: bool) -> None:
    """Close a held side file, first overwriting it if SQLite has let go of it for good."""
    if handle is None:
        return
    try:
        if overwrite:
            _overwrite(handle)
    finally:
        handle.close()


def _encrypt_live_database(db_path: Path, passphrase: str) -> None:
    module = dbapi()
    held = [_hold(Path(f"{db_path}{side}")) for side in ("-wal", "-shm")]
    partial = _partial(db_path)
    left_wal = False
    try:
        connection = module.connect(str(db_path), isolation_level=None, timeout=0)
        try:
            # Leaving WAL mode folds the log into the file and needs the only connection: if
            # CS Facilitator has the database open, this fails and nothing changes. Once it
            # succeeds, SQLite has deleted the -wal and -shm files and nobody else uses them.
            try:
                mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            except module.OperationalError:
                mode = "busy"
            if str(mode).lower() != "delete":
                raise StorageError(
                    "The database is in use (is CS Facilitator open on this data folder?). "
                    "Close it, then encrypt."
                )
            left_wal = True
            expected = _table_counts(connection)
            _export_encrypted(connection, partial, passphrase)
        finally:
            connection.close()
        _check_encrypted_copy(partial, passphrase, expected)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    finally:
        for handle in held:
            _release(handle, overwrite=left_wal)
    _swap_in(partial, db_path, passphrase)


def plain_copies(paths: DataPaths) -> list[Path]:
    """Files in the data folder that still hold an unencrypted copy of the data."""
    found = []
    candidates = list(paths.root.glob(f"{paths.database.name}*"))
    if paths.backups.is_dir():
        candidates += [p for p in paths.backups.iterdir() if p.is_file()]
    for path in candidates:
        if path.is_file() and is_plain_database(path):
            found.append(path)
    return sorted(found)


def encrypt_database(paths: DataPaths, passphrase: str) -> EncryptionReport:
    """Encrypt the data folder's database and its backups with `passphrase`.

    Nothing may have the database open. The plain database is replaced only after its
    encrypted copy has passed an integrity check and holds the same rows.
    """
    passphrase = validate_new_passphrase(passphrase)
    db_path = paths.database
    if is_encrypted(db_path):
        raise UserError("The database is already encrypted.")
    if not is_plain_database(db_path):
        raise UserError(f"There is no database to encrypt in {paths.root}.")
    _encrypt_live_database(db_path, passphrase)
    converted = 0
    if paths.backups.is_dir():
        for backup in sorted(paths.backups.iterdir()):
            if backup.is_file() and is_plain_database(backup):
                with contextlib.suppress(UserError):
                    encrypt_file(backup, passphrase)
                    converted += 1
    return EncryptionReport(converted, tuple(plain_copies(paths)))


def encrypt_open_database(db, passphrase: str) -> EncryptionReport:
    """Encrypt the database a running app has open, then reconnect with the passphrase."""
    passphrase = validate_new_passphrase(passphrase)
    db.engine.dispose()
    try:
        report = encrypt_database(db.paths, passphrase)
    except BaseException:
        db.reconnect(db.passphrase)
        raise
    db.reconnect(passphrase)
    return report
