"""Dates as coordinators type and read them (UK order), stored as ISO dates."""

from __future__ import annotations

import datetime as dt
import re

from csfacilitator.errors import UserError

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")


def parse_user_date(text: str) -> dt.date | None:
    """'2026-11-05', '5/11/2026', '05.11.26', '5 Nov 2026' or 'Thu 5 November 2026'; '' is None."""
    value = text.strip().lower()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        if match := _NUMERIC.match(value):
            day, month, year = (int(g) for g in match.groups())
            year += 2000 if year < 100 else 0
            return dt.date(year, month, day)
        if (match := _WORDS.match(value)) and match.group(2) in _MONTHS:
            return dt.date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    except ValueError as exc:
        raise UserError(f"'{text.strip()}' is not a real date.") from exc
    raise UserError(f"'{text.strip()}' is not a date: type it like 5 Nov 2026 or 05/11/2026.")


def parse_user_time(text: str) -> dt.time | None:
    """'14:30', '14.30', '2:30pm', '1430'; '' is None."""
    value = text.strip().lower().replace(" ", "")
    if not value:
        return None
    match = re.match(r"^(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?$", value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) == "pm" and hour < 12:
            hour += 12
        if match.group(3) == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise UserError(f"'{text.strip()}' is not a time: type it like 14:30.")


def format_date(value: dt.date | None, *, weekday: bool = False) -> str:
    if value is None:
        return ""
    text = f"{value.day} {value:%b %Y}"
    return f"{value:%a} {text}" if weekday else text


def format_time(value: dt.time | None) -> str:
    return "" if value is None else f"{value:%H:%M}"
