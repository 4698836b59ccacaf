"""A hybrid logical clock packed into one integer: orders changes across laptops without
trusting their clocks.

A timestamp is `milliseconds << 16 | counter`. Ticking for a local change takes
max(last + 1, now << 16): the wall clock when it moves forward, else the last value plus one
(so a clock set back, or many changes in one millisecond, still give increasing stamps).
Receiving a remote stamp takes max(last, remote), so the next local change is later than
every change this laptop has seen. Two stamps from different laptops that are equal are
ordered by device id (`later`). This is Kulkarni et al.'s HLC with (l, c) packed into one
sortable integer; the same rule is written in SQL (`TICK_SQL`) for the change-log triggers.
"""

from __future__ import annotations

import datetime as dt
import time

COUNTER_BITS = 16
UNIX_EPOCH_JULIAN = 2440587.5

#: The wall clock in milliseconds, in SQLite (the triggers' side of `now_ms`).
NOW_MS_SQL = f"CAST((julianday('now') - {UNIX_EPOCH_JULIAN}) * 86400000 AS INTEGER)"
#: The new clock value, given the last one in `clock` (sync_state.clock).
TICK_SQL = f"max(clock + 1, {NOW_MS_SQL} << {COUNTER_BITS})"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: int, wall_ms: int | None = None) -> int:
    """The stamp of a new local change after `last`."""
    wall = now_ms() if wall_ms is None else wall_ms
    return max(last + 1, wall << COUNTER_BITS)


def receive(last: int, remote: int) -> int:
    """The clock after seeing a remote stamp."""
    return max(last, remote)


def later(a: tuple[int, str], b: tuple[int, str]) -> bool:
    """True when (stamp, device) `a` comes after `b`: the stamp, then the device id."""
    return a > b


def wall_time(stamp: int) -> dt.datetime:
    """The (UTC, naive) wall-clock time a stamp carries, for showing "when"."""
    ms = stamp >> COUNTER_BITS
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
