"""Which backups to keep: every recent one, then one a day, one a week, one a month (Anki-style).

Older backups still hold whatever was deleted since, so nothing is kept much beyond a year,
except that the newest backup is always kept, however old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

RECENT = dt.timedelta(days=2)
RECENT_CAP = 30
DAILY_UNTIL = dt.timedelta(days=14)
WEEKLY_UNTIL = dt.timedelta(days=61)
MONTHLY_UNTIL = dt.timedelta(days=366)


class _Dated(Protocol):
    @property
    def taken_at(self) -> dt.datetime: ...


T = TypeVar("T", bound=_Dated)


def select_to_keep(backups: Iterable[T], now: dt.datetime) -> set[T]:
    """The backups to keep (a pure function of their times and `now`, both timezone-aware).

    - all from the last two days, at most the newest 30 of them;
    - the newest of each day for two weeks, of each week for two months, of each month for a
      year (days, weeks and months counted in `now`'s timezone);
    - always the newest one.
    """
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep: set[T] = set()
    if not newest_first:
        return keep
    keep.add(newest_first[0])
    recent = [b for b in newest_first if now - b.taken_at <= RECENT]
    keep.update(recent[:RECENT_CAP])
    claimed: set[tuple] = set()
    for backup in newest_first:
        age = now - backup.taken_at
        local = backup.taken_at.astimezone(now.tzinfo)
        if age <= DAILY_UNTIL:
            bucket: tuple = ("day", local.date())
        elif age <= WEEKLY_UNTIL:
            bucket = ("week", *local.isocalendar()[:2])
        elif age <= MONTHLY_UNTIL:
            bucket = ("month", local.year, local.month)
        else:
            continue
        if bucket not in claimed:
            claimed.add(bucket)
            keep.add(backup)
    return keep
