"""What the database file is, from its bytes alone (no SQLite connection): an SQLite file, an
encrypted (SQLCipher) one, or a damaged one — so a plain file whose header was damaged is
called damaged and restored, never asked a passphrase it never had.

An SQLCipher file is ciphertext from its first byte to its last: every kilobyte looks random.
A plain SQLite file with a damaged header still has plain pages after it (page headers,
zero padding, text): few distinct byte values per kilobyte.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
_BLOCK = 1024
#: Random bytes show ~250 of the 256 values in a kilobyte; text or a plain page far fewer
#: (the same figure as encryption.is_encrypted).
_DISTINCT_BYTES = 160
_SAMPLES = 16


class FileKind(Enum):
    ABSENT = "absent"  # no file, or an empty one
    SQLITE = "sqlite"
    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"


def file_kind(path: Path) -> FileKind:
    """Decide by reading a few kilobytes. Not for the live database while this process has it
    open (closing a descriptor drops SQLite's POSIX locks)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                return FileKind.ABSENT
            head = handle.read(_BLOCK)
            if head.startswith(SQLITE_HEADER):
                return FileKind.SQLITE
            if len(head) < _BLOCK or size % 512 or not _random_looking(head):
                return FileKind.DAMAGED
            random_blocks = total = 0
            later = size // _BLOCK - 1  # whole kilobytes after the first
            count = min(_SAMPLES, later)
            for block in sorted({1 + j * later // count for j in range(count)} if count else ()):
                handle.seek(block * _BLOCK)
                total += 1
                random_blocks += _random_looking(handle.read(_BLOCK))
    except FileNotFoundError:
        return FileKind.ABSENT
    # A few pages zeroed in an encrypted file do not make it plain; a plain file whose first
    # kilobyte was overwritten with noise has plain pages nearly everywhere after it.
    if total and random_blocks * 2 < total:
        return FileKind.DAMAGED
    return FileKind.ENCRYPTED


def _random_looking(block: bytes) -> bool:
    return len(set(block)) > _DISTINCT_BYTES
