"""Reading SQLite's write-ahead log ourselves, before SQLite replays it.

When SQLite recovers a WAL it keeps the frames up to the first one whose checksum (or salt)
is wrong and silently ignores the rest, by design: a torn last write is then dropped. But a
flipped byte in the middle also drops every transaction committed after it, without a word.
This module tells the two apart from the file's bytes (https://www.sqlite.org/fileformat.html
section 4): committed frames of the same WAL generation (same salts) after the break are
evidence that committed work would be lost.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

WAL_HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
_MAGIC = (0x377F0682, 0x377F0683)  # checksums in little-endian / big-endian words


@dataclass(frozen=True)
class WalReport:
    size: int
    valid_frames: int = 0  # frames SQLite will replay (up to the last valid commit)
    problem: str | None = None  # why committed work would be lost, in plain words

    @property
    def looks_wrong(self) -> bool:
        return self.problem is not None


def _checksum(data: bytes, s1: int, s2: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & mask
        s2 = (s2 + words[i + 1] + s1) & mask
    return s1, s2


def inspect_wal(path: Path) -> WalReport:
    """What SQLite will make of the WAL at `path`, and whether it would drop committed work."""
    data = Path(path).read_bytes()
    size = len(data)
    if size == 0:
        return WalReport(size=0)
    if size < WAL_HEADER_SIZE:
        return WalReport(size=size, problem="the log of recent changes is cut short")
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(
        ">8I", data[:WAL_HEADER_SIZE]
    )
    big_endian = magic == _MAGIC[1]
    frame_size = FRAME_HEADER_SIZE + page_size
    page_size_ok = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    if (
        magic not in _MAGIC
        or not page_size_ok
        or _checksum(data[:24], 0, 0, big_endian) != (c1, c2)
    ):
        if size > WAL_HEADER_SIZE:
            return WalReport(size=size, problem="the log of recent changes has a damaged header")
        return WalReport(size=size)
    s1, s2 = c1, c2
    offset = WAL_HEADER_SIZE
    frame = last_commit = 0
    broken_at = None
    while offset + frame_size <= size:
        header = data[offset : offset + FRAME_HEADER_SIZE]
        page_no, commit_size, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2) or page_no == 0:
            broken_at = offset
            break
        s1, s2 = _checksum(header[:8], s1, s2, big_endian)
        s1, s2 = _checksum(
            data[offset + FRAME_HEADER_SIZE : offset + frame_size], s1, s2, big_endian
        )
        if (s1, s2) != (f1, f2):
            broken_at = offset
            break
        frame += 1
        if commit_size:
            last_commit = frame
        offset += frame_size
    if broken_at is None:
        if offset < size and size - offset != 0:
            # A frame cut short: a write torn by a crash (never part of a commit: commits are
            # flushed whole) or a log truncated by something else. Keep it and say so.
            return WalReport(
                size=size,
                valid_frames=last_commit,
                problem="the log of recent changes ends in the middle of a change",
            )
        return WalReport(size=size, valid_frames=last_commit)
    # Frames of this same log generation that were committed after the break would be dropped.
    offset = broken_at
    while offset + FRAME_HEADER_SIZE <= size:
        _page, commit_size, f_salt1, f_salt2, _c1, _c2 = struct.unpack(
            ">6I", data[offset : offset + FRAME_HEADER_SIZE]
        )
        if (f_salt1, f_salt2) == (salt1, salt2) and commit_size:
            return WalReport(
                size=size,
                valid_frames=last_commit,
                problem="the log of recent changes is damaged: changes saved after the damage "
                "would be lost",
            )
        offset += frame_size
    return WalReport(size=size, valid_frames=last_commit)
