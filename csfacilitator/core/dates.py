"""Dates as coordinators (and their spreadsheets) write them, UK order; stored as ISO dates.

The one parser for every date field, typed or imported.
"""

from __future__ import annotations

import datetime as dt
import re

from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError

#: The years a stored date may have. Months and time zones are added to dates (the retention
#: date, UTC conversion), which overflows near the years 1 and 9999; the hand-over file
#: (core/bundle.py) refuses dates outside these years, so nothing stored here may be outside them.
MIN_YEAR, MAX_YEAR = 1900, 2199

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# "20/02/2025", "20-2-25", "20.02.2025", "20 Feb 2025", "3 Sept 25", "Thu 5th November 2026"
_DAY_FIRST = re.compile(
    r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s*[/.\- ]\s*(\d{1,2}|[a-z]{3,9})\.?,?\s*[/.\- ]\s*(\d{4}|\d{2})$"
)


def _month(word: str) -> int | None:
    """1-12 for a month number or the start of a month's English name ("Feb", "Sept")."""
    if word.isdigit():
        return int(word)
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def parse_user_date(text: str | None) -> dt.date | None:
    """ISO (2026-11-05), day first as in the UK (5/11/2026, 05.11.26, 5-11-2026), month names
    (5 Nov 2026, Thu 5 November 2026, 3 Sept 26) or "today"; empty text is None.
    Two-digit years are this century."""
    value = clean_text(text, multiline=False).casefold()
    if not value:
        return None
    if value == "today":
        return dt.date.today()
    try:
        return _in_years(dt.date.fromisoformat(value), text)
    except ValueError:
        pass
    if match := _DAY_FIRST.match(value):
        day, month, year = match.groups()
        month_number = _month(month)
        if month_number is not None:
            try:
                day_value = dt.date(
                    int(year) + (2000 if len(year) == 2 else 0), month_number, int(day)
                )
            except ValueError as exc:
                raise UserError(
                    f"'{clean_text(text, multiline=False)}' is not a real date."
                ) from exc
            return _in_years(day_value, text)
    raise UserError(
        f"'{clean_text(text, multiline=False)}' is not a date: write it like 5 Nov 2026 or 05/11/2026."
    )


def _in_years(value: dt.date, text: str | None) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise UserError(
            f"'{clean_text(text, multiline=False)}' is not a date between {MIN_YEAR} and "
            f"{MAX_YEAR}."
        )
    return value


def as_date(value: object) -> dt.date | None:
    """A stored-or-typed value as a date: a date, None, or text parse_user_date understands."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_user_date(str(value))


def parse_user_time(text: str | None) -> dt.time | None:
    """'14:30', '14.30', '2:30pm', '1430'; '' is None."""
    value = clean_text(text, multiline=False).lower().replace(" ", "")
    if not value:
        return None
    match = re.match(r"^(\d{1,2})(?:[:.]?(\d{2}))?(?::\d{2}(?:\.\d+)?)?(am|pm)?$", value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) == "pm" and hour < 12:
            hour += 12
        if match.group(3) == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise UserError(f"'{clean_text(text, multiline=False)}' is not a time: write it like 14:30.")


def as_time(value: object) -> dt.time | None:
    if value is None:
        return None
    if isinstance(value, dt.time):
        return value
    return parse_user_time(str(value))


def format_date(value: dt.date | None, *, weekday: bool = False) -> str:
    if value is None:
        return ""
    text = f"{value.day} {value:%b %Y}"
    return f"{value:%a} {text}" if weekday else text


def format_time(value: dt.time | None) -> str:
    return "" if value is None else f"{value:%H:%M}"
