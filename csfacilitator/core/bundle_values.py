"""One value of a hand-over file as Python, and the one-line refusal for a damaged file: what the
format (core/bundle_format.py) and each section's own reader (core/safety_map_bundle.py) share,
so neither imports the other."""

from __future__ import annotations

import datetime as dt
from typing import Any

from csfacilitator.core.dates import MAX_YEAR, MIN_YEAR  # one range for typed and filed dates
from csfacilitator.core.textclean import clean_text, shortened
from csfacilitator.errors import BundleError


def decode_value(value: Any, kind: str, where: str, source: str) -> Any:
    """The Python value for one JSON value the schema has passed; BundleError if it is no date."""
    if value is None:
        return None
    try:
        if kind == "datetime":
            text = value[:-1] + "+00:00" if value.endswith("Z") else value
            stamp = dt.datetime.fromisoformat(text)
            stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return _in_years(stamp, value, kind, where, source)
        if kind == "date":
            return _in_years(dt.date.fromisoformat(value), value, kind, where, source)
        if kind == "time":
            return dt.time.fromisoformat(value)
    except (ValueError, OverflowError):
        raise damaged(source, where, f"'{short(value)}' is not a real {kind}") from None
    if kind in ("text", "mtext"):
        return clean_text(value, multiline=kind == "mtext")
    if kind == "float":
        return float(value)
    return value


def _in_years(value, text: str, kind: str, where: str, source: str):
    """The date or date-time itself if it falls in MIN_YEAR..MAX_YEAR (the schema's range too)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise damaged(
            source, where, f"'{short(text)}' is not a {kind} in the years {MIN_YEAR} to {MAX_YEAR}"
        )
    return value


def damaged(source: str, where: str, what: str) -> BundleError:
    if len(where) > 120:
        where = where[:50] + "…" + where[-60:]
    return BundleError(one_line(f"{source} is damaged or incomplete: at {where}, {what}."))


def short(value: Any, limit: int = 40) -> str:
    return shortened(str(value), limit)


def one_line(text: str) -> str:
    return " ".join(text.split())
