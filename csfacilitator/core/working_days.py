"""Working days in England and Wales, with the bank holidays computed offline.

The regular bank holidays follow fixed rules (the Banking and Financial Dealings Act 1971 and
the annual proclamations): New Year's Day, Good Friday, Easter Monday, the first Monday of May,
the last Monday of May (spring), the last Monday of August (summer), Christmas Day and Boxing
Day. A holiday on a weekend is moved to the next weekday that is not already a holiday ("a
substitute day"), so Christmas on a Saturday gives Monday 27 and Boxing Day Tuesday 28.

Royal proclamations sometimes move or add a day; those are in ONE_OFF below (a moved day is
removed from its usual date and added on the new one). Easter is by the Gregorian algorithm
(Meeus/Jones/Butcher). Nothing here needs a network: GOV.UK's published list is the test.
"""

from __future__ import annotations

import datetime as dt
import functools

#: Proclaimed changes: year -> (days removed from the regular list, days added).
ONE_OFF: dict[int, tuple[tuple[dt.date, ...], tuple[dt.date, ...]]] = {
    # The early May bank holiday moved to Friday 8 May for the 75th anniversary of VE day.
    2020: ((dt.date(2020, 5, 4),), (dt.date(2020, 5, 8),)),
    # Platinum jubilee: the spring bank holiday moved to Thursday 2 June, plus Friday 3 June;
    # the state funeral of Queen Elizabeth II on Monday 19 September.
    2022: (
        (dt.date(2022, 5, 30),),
        (dt.date(2022, 6, 2), dt.date(2022, 6, 3), dt.date(2022, 9, 19)),
    ),
    # The coronation of King Charles III, Monday 8 May.
    2023: ((), (dt.date(2023, 5, 8),)),
    # Diamond jubilee (spring holiday moved to 4 June, plus 5 June) and the 2011 royal wedding.
    2012: ((dt.date(2012, 5, 28),), (dt.date(2012, 6, 4), dt.date(2012, 6, 5))),
    2011: ((), (dt.date(2011, 4, 29),)),
}

MONDAY, FRIDAY, SATURDAY = 0, 4, 5


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous algorithm, as given by Meeus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(MONDAY - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - MONDAY) % 7)


@functools.cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays of a year (substitute days included)."""
    easter = easter_sunday(year)
    days = {
        easter - dt.timedelta(days=2),  # Good Friday
        easter + dt.timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    # Fixed-date holidays, each moved past weekends and days already taken, in date order.
    for fixed in (dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)):
        day = fixed
        while day.weekday() >= SATURDAY or day in days:
            day += dt.timedelta(days=1)
        days.add(day)
    removed, added = ONE_OFF.get(year, ((), ()))
    days.difference_update(removed)
    days.update(added)
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in bank_holidays(day.year)


@functools.lru_cache(maxsize=4096)  # many conferences share their dates
def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date `n` working days after `day` (before it when n is negative); `day` itself
    does not count, so 2 working days after a Thursday conference is the Monday."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
