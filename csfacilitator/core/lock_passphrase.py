"""A passphrase for the window's lock when the database itself is not encrypted.

Without one, the lock is only a privacy screen (anyone can press Enter); the lock screen says
which it is. Only a salted scrypt hash is kept, in the data folder's own settings, so the
passphrase cannot be read back. It guards the screen, not the file: encrypting the database
is what protects the file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from csfacilitator.core.model import Setting
from csfacilitator.core.rows import put_setting
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

KEY = "lock_passphrase"
MIN_LENGTH = 6
# scrypt at 16 MiB: a fraction of a second to check, costly to guess at scale.
_N, _R, _P = 2**14, 8, 1


def _hash(passphrase: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def validate_new(first: str, second: str) -> str:
    """The chosen passphrase, or a UserError that says what is wrong with it."""
    if len(first.strip()) < MIN_LENGTH:
        raise UserError(f"Choose a lock passphrase of at least {MIN_LENGTH} characters.")
    if first != second:
        raise UserError("The two passphrases are not the same. Type them again.")
    return first


def has_lock_passphrase(db: Database) -> bool:
    with db.read_session() as s:
        return s.get(Setting, KEY) is not None


def set_lock_passphrase(db: Database, passphrase: str) -> None:
    validate_new(passphrase, passphrase)
    salt = secrets.token_bytes(16)
    stored = f"scrypt${_N}${_R}${_P}${salt.hex()}${_hash(passphrase, salt).hex()}"
    with db.session() as s:
        put_setting(s, KEY, stored)


def clear_lock_passphrase(db: Database) -> None:
    with db.session() as s:
        row = s.get(Setting, KEY)
        if row is not None:
            s.delete(row)


def check_lock_passphrase(db: Database, passphrase: str) -> bool:
    """True when `passphrase` is the lock passphrase (False when none is set)."""
    with db.read_session() as s:
        row = s.get(Setting, KEY)
        stored = row.value if row is not None else None
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        typed = _hash(passphrase, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(typed, bytes.fromhex(digest))
