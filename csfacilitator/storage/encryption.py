"""Encryption at rest with SQLCipher: detecting, opening, checking and converting databases.

An encrypted database is an SQLCipher file (its first bytes are a random salt, not SQLite's
header). The passphrase goes to SQLCipher with `PRAGMA key` as the first statement on every
connection. SQLCipher would derive the key from it on each one (PBKDF2-HMAC-SHA512, 256,000
rounds, the file's salt: a tenth of a second, seconds on a busy machine, and opening the window
makes about six connections), so for an existing file the key is derived here once, with the
settings and salt SQLCipher reports for that file, kept in memory (`_derived`, never written or
logged) and given to the other connections as a raw key. A new file gets its salt and key from
SQLCipher as before. `sqlcipher3` is imported only when an encrypted database is used, so the
plain path starts as fast as before.

Converting writes an encrypted copy beside the plain file, checks it, renames it into place and
then overwrites the plain file before removing it (best effort: an SSD or a copy-on-write file
system may keep old blocks; that is why encrypting at setup is better than later). Changing or
removing the passphrase converts the same way, with another key or none.

Every conversion can be interrupted and run again: a swap cut short is finished or undone at
the next open (`finish_interrupted`), an encrypted database's plain backups are encrypted when
it is next opened with its passphrase (`finish_encrypting`), and running `encrypt` or
`passphrase change|remove` again finishes what was left. One conversion runs at a time in a data
folder (`conversion_lock`). Leaving WAL mode rewrites the database's header under a rollback
journal: a kill there leaves '<database>-journal', which the check before the next command or
start rolls back (storage/backup.py check_file), as SQLite does for any connection that writes.

Long because detecting, converting and finishing an interrupted conversion share one file
protocol (the aside and partial copies, the conversion lock), which is safer kept in one place.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import sys
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csfacilitator.errors import StorageError, UserError
from csfacilitator.paths import DataPaths, make_private
from csfacilitator.storage.leftovers import (  # secure_remove: callers name it here
    LEFTOVER_SUFFIXES,
    REMOVING_PREFIX,
    _overwrite,
    data_folders,
    fsync_dir,
    remove_leftovers,
    secure_remove,
    writing_in,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
ENV_PASSPHRASE = "CSFACILITATOR_PASSPHRASE"
#: The new passphrase for `csfacilitator passphrase change` in scripts.
ENV_NEW_PASSPHRASE = "CSFACILITATOR_NEW_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8
WRONG_PASSPHRASE = "The passphrase is not right for this database. Check it and try again."
#: Suffixes of the files a conversion leaves behind while it runs (see finish_interrupted).
ENCRYPTING_SUFFIX = ".encrypting"
PLAIN_ASIDE_SUFFIX = ".plain-old"
#: Held (flock) while a conversion runs, so another process never tidies up under it.
CONVERSION_LOCK = "conversion.lock"
#: A backup no passphrase we were given opens (see _convert_backups).
UNREADABLE = object()
_SAMPLE = 1024
#: Random bytes show ~250 of the 256 values in a kilobyte; text or a damaged page far fewer.
_DISTINCT_BYTES = 160
#: SQLCipher's key derivations, as `PRAGMA cipher_kdf_algorithm` names them, in hashlib's names.
_KDF_HASHES = {
    "PBKDF2_HMAC_SHA512": "sha512",
    "PBKDF2_HMAC_SHA256": "sha256",
    "PBKDF2_HMAC_SHA1": "sha1",
}
_KEY_BYTES = 32  # AES-256
_SALT_BYTES = 16  # SQLCipher's salt: the file's first 16 bytes
#: A passphrase SQLCipher itself takes as a raw key (x'<hex>'): given to it as it is.
_RAW_KEY = re.compile(r"x'[0-9a-fA-F]*'", re.IGNORECASE)
#: Keys derived in this process, by (passphrase, salt, hash, rounds): in memory only, only
#: keys that opened their file, and forgotten when the database closes (forget_keys).
_derived: dict[tuple[str, bytes, str, int], str] = {}
_MAX_DERIVED = 8
_derived_lock = threading.Lock()  # the engine opens connections on any thread


class PassphraseRequired(StorageError):
    """The database is encrypted and no passphrase was given."""


class WrongPassphrase(StorageError):
    """The passphrase does not open the database."""


@dataclass(frozen=True)
class EncryptionReport:
    """What a conversion did: backups it converted, files it had to leave alone (plain copies
    after encrypting; backups no passphrase opened after a change), temporary copies it removed,
    and whether it finished a conversion run before."""

    backups_encrypted: int
    left_plain: tuple[Path, ...]
    removed: tuple[Path, ...] = ()
    resumed: bool = False


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


def open_raw_connection(
    path: Path | str, passphrase: str | None = None, *, check: bool = True, **kw
):
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
        connection.execute(f"PRAGMA key = {sql_string(passphrase)}")  # derived at first read
        derived = _key_derived_once(connection, path, passphrase)
        if check:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if derived is not None:  # it opened the file: the other connections reuse it
                _remember_key(*derived)
    except module.DatabaseError as exc:
        connection.close()
        if "not a database" in str(exc):
            raise WrongPassphrase(WRONG_PASSPHRASE) from exc
        raise StorageError(f"The encrypted database {path} cannot be read ({exc}).") from exc
    return connection


def derive_key(passphrase: str, salt: bytes, hash_name: str, rounds: int) -> bytes:
    """SQLCipher's key for `passphrase` and a file's salt: PBKDF2 over the passphrase's UTF-8
    bytes, as SQLCipher computes it from `PRAGMA key = '<passphrase>'`."""
    return hashlib.pbkdf2_hmac(hash_name, passphrase.encode("utf-8"), salt, rounds, _KEY_BYTES)


def _file_of(path: Path | str) -> Path:
    text = str(path)
    if text.startswith("file:"):  # a URI (read-only opens): its path part
        return Path(unquote(urlsplit(text).path))
    return Path(text)


def _key_derived_once(connection, path: Path | str, passphrase: str):
    """Re-key a connection just keyed with `passphrase` (before anything is read, so SQLCipher
    has derived nothing yet) with the raw key and salt of the file, derived once per process.

    SQLCipher reports the file's salt (read through its own descriptor: reading the file here
    could drop SQLite's locks) and its derivation settings without deriving. Returns what to
    remember once the key has opened the file; None when the connection keeps the passphrase:
    a new or empty file (SQLCipher chooses its salt), a passphrase SQLCipher takes as a raw key,
    or a derivation this module does not know.
    """
    if _RAW_KEY.fullmatch(passphrase):
        return None
    try:
        if _file_of(path).stat().st_size < _SALT_BYTES:
            return None
    except OSError:
        return None
    hash_name = _KDF_HASHES.get(str(_pragma(connection, "cipher_kdf_algorithm")).upper())
    salt_hex = str(_pragma(connection, "cipher_salt"))
    rounds = int(_pragma(connection, "kdf_iter") or 0)
    if hash_name is None or rounds <= 0 or len(salt_hex) != 2 * _SALT_BYTES:
        return None
    entry = (passphrase, bytes.fromhex(salt_hex), hash_name, rounds)
    with _derived_lock:
        key = _derived.get(entry)
    if key is None:
        key = derive_key(passphrase, entry[1], hash_name, rounds).hex()
    connection.execute(f"PRAGMA key = \"x'{key}{salt_hex}'\"")
    return entry, key


def _pragma(connection, name: str):
    row = connection.execute(f"PRAGMA {name}").fetchone()
    return row[0] if row else None


def _remember_key(entry: tuple[str, bytes, str, int], key: str) -> None:
    with _derived_lock:
        if entry not in _derived and len(_derived) >= _MAX_DERIVED:
            del _derived[next(iter(_derived))]  # the oldest
        _derived[entry] = key


def forget_keys() -> None:
    """Drop the keys derived in this process (the database closed or changed its key)."""
    with _derived_lock:
        _derived.clear()


def check_passphrase(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless `passphrase` opens the encrypted database at `path`."""
    open_raw_connection(path, passphrase).close()


def passphrase_from_environment() -> str | None:
    value = os.environ.get(ENV_PASSPHRASE)
    return value if value else None


# -- removing plain copies -------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _aside(path: Path) -> Path:
    return path.with_name(path.name + PLAIN_ASIDE_SUFFIX)


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ENCRYPTING_SUFFIX)


@contextlib.contextmanager
def conversion_lock(paths: DataPaths, *, wait: bool = True) -> Iterator[bool]:
    """One conversion (or clean-up after one) at a time in a data folder.

    Yields False when `wait` is off and another process holds it. The operating system drops
    the lock when its holder dies, so a killed conversion never blocks the next one.
    """
    lock_path = paths.root / CONVERSION_LOCK
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        yield _lock_fd(fd, wait)
    finally:
        os.close(fd)


def _lock_fd(fd: int, wait: bool) -> bool:
    if sys.platform == "win32":  # no fcntl there
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: nothing to coordinate with
        return True
    return True


def _finish_swap(target: Path) -> None:
    """Complete a swap a crash interrupted.

    The converted copy is renamed into place only after it passed its check, so when both the
    file and its '.plain-old' twin exist, the file is the new one and the twin goes (securely);
    when only the twin exists, the crash came between the two renames and it goes back.
    """
    aside = _aside(target)
    if not aside.exists():
        return
    if not target.exists():
        os.replace(aside, target)
        log.warning("Put %s back after an interrupted conversion", target)
    else:
        secure_remove(aside)
        log.warning("Removed the old copy of %s an interrupted conversion left", target)


def _backup_files(paths: DataPaths) -> list[Path]:
    """The database files in the backup folder (our backups, and any other copy put there)."""
    if not paths.backups.is_dir():
        return []
    suffixes = (PLAIN_ASIDE_SUFFIX, *LEFTOVER_SUFFIXES)
    return sorted(
        p
        for p in paths.backups.iterdir()
        if p.is_file() and not p.name.endswith(suffixes) and not p.name.startswith(REMOVING_PREFIX)
    )


def _finish_swaps(paths: DataPaths) -> list[Path]:
    """Finish every interrupted swap and remove the temporary files; returns what was removed."""
    _finish_swap(paths.database)
    if paths.backups.is_dir():
        for aside in paths.backups.glob(f"*{PLAIN_ASIDE_SUFFIX}"):
            if aside.name.startswith(REMOVING_PREFIX):  # a leftover, removed below
                continue
            _finish_swap(aside.with_name(aside.name[: -len(PLAIN_ASIDE_SUFFIX)]))
    return remove_leftovers(data_folders(paths))


#: What the finishing at open did in this process, per database, until a command reports it.
_finished: dict[Path, EncryptionReport] = {}


def _remember(paths: DataPaths, report: EncryptionReport) -> None:
    before = _finished.get(paths.database)
    if before is not None:
        report = EncryptionReport(
            before.backups_encrypted + report.backups_encrypted,
            report.left_plain,
            removed=before.removed + report.removed,
            resumed=before.resumed or report.resumed,
        )
    _finished[paths.database] = report


def take_finished(paths: DataPaths) -> EncryptionReport:
    """What opening the database finished in this process (since last asked): backups it
    encrypted after an interrupted `encrypt`, temporary copies it removed."""
    return _finished.pop(paths.database, EncryptionReport(0, ()))


def finish_interrupted(paths: DataPaths) -> list[Path]:
    """Called when the database opens: tidy up after a conversion or a backup that did not
    finish. Returns the temporary files it removed (skipped while a conversion runs)."""
    if not paths.root.is_dir():
        return []
    with conversion_lock(paths, wait=False) as ours:
        if not ours:
            return []
        removed = _finish_swaps(paths)
    if removed:
        _remember(paths, EncryptionReport(0, (), removed=tuple(removed)))
    return removed


def finish_encrypting(paths: DataPaths, passphrase: str) -> EncryptionReport:
    """For an encrypted database: encrypt the backups an interrupted `encrypt` left plain.

    Cheap when there is nothing to do (reads 16 bytes of each backup); never waits for another
    process's conversion. Called when an encrypted database is opened, and by `encrypt`.
    """
    with conversion_lock(paths, wait=False) as ours:
        if not ours:
            return EncryptionReport(0, ())
        removed = _finish_swaps(paths)
        converted, failed = _convert_backups(paths, _encrypt_plain(passphrase))
    report = EncryptionReport(converted, tuple(failed), removed=tuple(removed), resumed=True)
    if converted or failed or removed:
        log.warning(
            "Finished an interrupted encryption: encrypted %d plain backups, %d left plain, "
            "removed %d temporary copies",
            converted,
            len(failed),
            len(removed),
        )
        _remember(paths, report)
    return report


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


def _check_copy(copy: Path, key: str | None, expected: dict[str, int]) -> None:
    connection = open_raw_connection(copy, key)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _table_counts(connection)
    finally:
        connection.close()
    if result != "ok" or counts != expected:
        raise StorageError(
            "The converted copy did not match the database, so nothing was changed. "
            f"({result}; {len(counts)} of {len(expected)} tables)"
        )


def _export(connection, target: Path, key: str | None) -> None:
    """Copy the database open on `connection` into a new file `target`, encrypted with `key`
    (plain when `key` is None: SQLCipher's empty key).

    In one transaction: in autocommit, sqlcipher_export commits (and syncs) once per table and
    index, about eighty times for our schema, which took seconds per file.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    make_private(target)
    connection.execute(
        f"ATTACH DATABASE {sql_string(str(target))} AS converted KEY {sql_string(key or '')}"
    )
    try:
        connection.execute("BEGIN")
        try:
            connection.execute("SELECT sqlcipher_export('converted')").fetchall()
            version = int(connection.execute("PRAGMA main.user_version").fetchone()[0])
            connection.execute(f"PRAGMA converted.user_version = {version}")
        except BaseException:
            if connection.in_transaction:  # SQLite may have rolled back itself (disk full)
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.execute("DETACH DATABASE converted")


def _check_in_place(target: Path, key: str | None) -> None:
    if key is not None:
        check_passphrase(target, key)
        return
    connection = sqlite3.connect(str(target))
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def _swap_in(converted: Path, target: Path, key: str | None) -> None:
    """Rename the checked copy over `target`, then securely remove the old file."""
    _fsync_file(converted)
    aside = _aside(target)
    os.replace(target, aside)
    os.replace(converted, target)
    fsync_dir(target.parent)
    try:
        _check_in_place(target, key)  # the final check, on the file now in place
    except BaseException:
        os.replace(aside, target)
        raise
    secure_remove(aside)
    fsync_dir(target.parent)


def _source(path: Path, key: str | None, **kw):
    """An SQLCipher connection to `path` (keyed when encrypted): sqlcipher_export needs one."""
    if key is not None:
        return open_raw_connection(path, key, isolation_level=None, **kw)
    return dbapi().connect(str(path), isolation_level=None, **kw)


def convert_file(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Replace a closed database file (a backup, say) by a copy of itself under `new_key`.

    `old_key` opens it (None: it is plain); `new_key` None writes it plain.
    """
    module = dbapi()
    partial = _partial(path)
    try:
        with writing_in(path.parent):
            connection = _source(path, old_key)
            try:
                expected = _table_counts(connection)
                _export(connection, partial, new_key)
            finally:
                connection.close()
            _check_copy(partial, new_key, expected)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            secure_remove(partial)
        if isinstance(exc, module.DatabaseError):
            raise StorageError(f"{path} could not be converted ({exc}).") from exc
        raise
    _swap_in(partial, path, new_key)


def encrypt_file(path: Path, passphrase: str) -> None:
    """Replace a closed plain database file (a backup, say) by an encrypted copy of itself."""
    convert_file(path, None, passphrase)


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


def _convert_live_database(db_path: Path, old_key: str | None, new_key: str | None) -> None:
    module = dbapi()
    held = [_hold(Path(f"{db_path}{side}")) for side in ("-wal", "-shm")]
    partial = _partial(db_path)
    left_wal = False
    try:
        with writing_in(db_path.parent):
            connection = _source(db_path, old_key, timeout=0)
            try:
                # Leaving WAL mode folds the log into the file and needs the only connection:
                # if CS Facilitator has the database open, this fails and nothing changes. Once
                # it succeeds, SQLite has deleted the -wal and -shm files and nobody uses them.
                try:
                    mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
                except module.OperationalError:
                    mode = "busy"
                if str(mode).lower() != "delete":
                    raise StorageError(
                        "The database is in use (is CS Facilitator open on this data folder?). "
                        "Close it, then try again."
                    )
                left_wal = True
                expected = _table_counts(connection)
                _export(connection, partial, new_key)
            finally:
                connection.close()
            _check_copy(partial, new_key, expected)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            secure_remove(partial)
        raise
    finally:
        for handle in held:
            _release(handle, overwrite=left_wal)
    _swap_in(partial, db_path, new_key)


def _opens_with(path: Path, key: str) -> bool:
    try:
        check_passphrase(path, key)
    except WrongPassphrase:
        return False
    except UserError:
        return False
    return True


def _convert_backups(paths: DataPaths, plan) -> tuple[int, list[Path]]:
    """Convert the backups: `plan(path)` gives (old key, new key) for one to convert, None to
    leave it, or UNREADABLE for one no key we have opens.

    Returns how many were converted and those that could not be (damaged, or under another
    passphrase): they stay as they were and are reported, never deleted.
    """
    converted, failed = 0, []
    for backup in _backup_files(paths):
        try:
            keys = plan(backup)
            if keys is None:
                continue
            if keys is UNREADABLE:
                failed.append(backup)
                continue
            convert_file(backup, *keys)
        except FileNotFoundError:
            continue  # thinned away meanwhile by a running app
        except (UserError, OSError) + database_errors() as exc:
            log.warning("Could not convert the backup %s: %s", backup, exc)
            failed.append(backup)
            continue
        converted += 1
    return converted, failed


def _encrypt_plain(passphrase: str):
    def plan(backup: Path):
        return (None, passphrase) if is_plain_database(backup) else None

    return plan


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
    encrypted copy has passed an integrity check and holds the same rows. Running it again
    after it was interrupted finishes the job: an encrypted database's plain backups are
    encrypted with the same passphrase (which must open it), and leftovers are removed.
    """
    passphrase = validate_new_passphrase(passphrase)
    db_path = paths.database
    with conversion_lock(paths):
        removed = _finish_swaps(paths)
        if is_encrypted(db_path):
            check_passphrase(db_path, passphrase)
            converted, failed = _convert_backups(paths, _encrypt_plain(passphrase))
            left = tuple(plain_copies(paths))
            if not (converted or removed or left):
                raise UserError("The database is already encrypted.")
            return EncryptionReport(converted, left, removed=tuple(removed), resumed=True)
        if not is_plain_database(db_path):
            raise UserError(f"There is no database to encrypt in {paths.root}.")
        _convert_live_database(db_path, None, passphrase)
        converted, _failed = _convert_backups(paths, _encrypt_plain(passphrase))
    return EncryptionReport(converted, tuple(plain_copies(paths)), removed=tuple(removed))


def change_passphrase(paths: DataPaths, current: str, new: str | None) -> EncryptionReport:
    """Re-key the database and its backups from `current` to `new` (None: remove encryption).

    The backups go first and the database last, so an interruption leaves a database that
    still opens with `current`; running it again with the same two passphrases finishes the
    job (a backup already under `new` is left as it is). A backup that neither opens is
    reported, never deleted.
    """
    current = normalize_passphrase(current)
    new = None if new is None else validate_new_passphrase(new)
    db_path = paths.database
    with conversion_lock(paths):
        removed = _finish_swaps(paths)
        if is_encrypted(db_path):
            if _opens_with(db_path, current):
                database_done = False
            elif new is not None and _opens_with(db_path, new):
                database_done = True  # done before; finish the backups
            else:
                raise WrongPassphrase(WRONG_PASSPHRASE)
        elif is_plain_database(db_path):
            if new is None:
                database_done = True  # encryption was removed before; finish the backups
            else:
                raise UserError(
                    "The database is not encrypted. To protect it, use: csfacilitator encrypt"
                )
        else:
            raise UserError(f"There is no database in {paths.root}.")

        def plan(backup: Path):
            if is_plain_database(backup):
                return (None, new) if new is not None else None
            if _opens_with(backup, current):
                return (current, new)
            if new is not None and _opens_with(backup, new):
                return None  # done before the interruption
            return UNREADABLE

        converted, failed = _convert_backups(paths, plan)
        if not database_done:
            _convert_live_database(db_path, current, new)
        elif not (converted or removed):
            raise UserError(
                "The passphrase was already changed."
                if new is not None
                else "The database is not encrypted."
            )
    return EncryptionReport(converted, tuple(failed), removed=tuple(removed), resumed=database_done)


def remove_encryption(paths: DataPaths, current: str) -> EncryptionReport:
    """Decrypt the database and its backups (see change_passphrase)."""
    return change_passphrase(paths, current, None)


def _reconnect_after(db, keys: list[str | None]) -> None:
    """Reconnect the app's database with whichever key opens the file now."""
    for key in keys:
        if key is None:
            if is_plain_database(db.paths.database):
                db.reconnect(None)
                return
        elif is_encrypted(db.paths.database) and _opens_with(db.paths.database, key):
            db.reconnect(key)
            return
    db.reconnect(db.passphrase)


def encrypt_open_database(db, passphrase: str) -> EncryptionReport:
    """Encrypt the database a running app has open, then reconnect with the passphrase.

    On an encrypted database it finishes an interrupted encryption instead.
    """
    passphrase = validate_new_passphrase(passphrase)
    db.engine.dispose()
    try:
        report = encrypt_database(db.paths, passphrase)
    except BaseException:
        db.reconnect(db.passphrase)
        raise
    db.reconnect(passphrase)
    return report


def change_open_database(db, current: str, new: str | None) -> EncryptionReport:
    """Change (or, with `new` None, remove) the passphrase of the database a running app has
    open, then reconnect with what opens it now."""
    if not db.encrypted:
        raise UserError("The database is not encrypted.")
    if normalize_passphrase(current) != db.passphrase:
        raise WrongPassphrase(WRONG_PASSPHRASE)
    if new is not None:
        new = validate_new_passphrase(new)
    db.engine.dispose()
    try:
        report = change_passphrase(db.paths, current, new)
    except BaseException:
        _reconnect_after(db, [db.passphrase, new])
        raise
    _reconnect_after(db, [new, db.passphrase])
    return report
