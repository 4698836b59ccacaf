"""Spot board points that look like personal details, so they can be reworded before sharing.

A context conference records the place or group, not individuals. These checks only warn: a
phone number of a youth club is fine, a child's is not, and only people can tell which. They
are pure functions so the board, the minutes export and the tests all use the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from csfacilitator.core.board import PointRecord, iter_points
from csfacilitator.core.textclean import clean_text

RULES: dict[str, str] = {
    "phone": "Phone number",
    "email": "E-mail address",
    "postcode": "Postcode",
    "dob": "Date of birth",
    "name": "Name on the keep-out list",
}

_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?\(?|\(?0)"  # +44, 0044, +44 (0) or a leading 0
    r"\d(?:[\s\-)]{0,2}\d){8,9}"  # then 9 or 10 digits in groups
    r"(?![\d])"
)
# Bounded runs and a look-behind: an unbounded `[\w.]+@` backtracks quadratically over a long
# pasted word without '@' (100,000 letters took 30 s). A local part is at most 64 characters.
_EMAIL = re.compile(r"(?<![\w.+\-'])[\w.+\-']{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+", re.UNICODE)
_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\w])", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/.\-])")
_DOB_WORDS = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born\s+(?:in\s+|on\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+\w+\s+)?(?:19|20)\d{2})",
    re.IGNORECASE,
)
# Lower-case "y10 2nd" is a school year and an ordinal, not a postcode.
_ORDINAL_ENDINGS = frozenset({"st", "nd", "rd", "th"})
# Numeric dates at least this many years back could be a young person's date of birth; recent
# and future dates (meetings, incidents, reviews) are left alone.
DOB_MIN_YEARS_BACK = 4


@dataclass(frozen=True)
class GuardMatch:
    """One thing in one text that looks like a personal detail."""

    rule: str  # a key of RULES
    start: int
    end: int
    matched: str

    @property
    def label(self) -> str:
        return RULES[self.rule]


@dataclass(frozen=True)
class Flag:
    """A board point that should be checked before the board is shared."""

    point_id: int
    column: str
    rule: str
    start: int
    end: int
    matched: str
    text: str  # the whole point, for showing it in a list

    @property
    def label(self) -> str:
        return RULES[self.rule]


def parse_names(names: str | Iterable[str]) -> tuple[str, ...]:
    """The keep-out list as names: one per line (blank lines and repeats dropped)."""
    if isinstance(names, str):
        names = names.splitlines()
    result: list[str] = []
    seen: set[str] = set()
    for name in names:
        cleaned = clean_text(name, multiline=False)
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            result.append(cleaned)
    return tuple(result)


def names_pattern(names: str | Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for every keep-out name, as whole words, any case."""
    parsed = sorted(parse_names(names), key=len, reverse=True)
    if not parsed:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in n.split()) for n in parsed)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def check_text(
    text: str,
    names: str | Iterable[str] | re.Pattern[str] | None = None,
    *,
    today: dt.date | None = None,
) -> list[GuardMatch]:
    """Everything in `text` that looks like a personal detail, in order of where it starts."""
    today = today or dt.date.today()
    found: list[GuardMatch] = []

    def add(rule: str, match: re.Match[str]) -> None:
        found.append(GuardMatch(rule, match.start(), match.end(), match.group(0)))

    for match in _PHONE.finditer(text):
        add("phone", match)
    for match in _EMAIL.finditer(text):
        add("email", match)
    for match in _POSTCODE.finditer(text):
        value = match.group(0)
        if value != value.upper() and value[-2:].lower() in _ORDINAL_ENDINGS:
            continue
        add("postcode", match)
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3), today)
        if 1 <= day <= 31 and 1 <= month <= 12 and year <= today.year - DOB_MIN_YEARS_BACK:
            add("dob", match)
    for match in _DOB_WORDS.finditer(text):
        add("dob", match)
    pattern = names if isinstance(names, re.Pattern) or names is None else names_pattern(names)
    if pattern is not None:
        for match in pattern.finditer(text):
            add("name", match)
    found.sort(key=lambda m: (m.start, m.end))
    return found


def flag_points(
    points: Iterable[PointRecord],
    names: str | Iterable[str] = (),
    *,
    today: dt.date | None = None,
) -> list[Flag]:
    """Every flag in a board's points (sub-points included), in board order.

    `points` may be one column's tuple or any iterable of PointRecords; to check a whole board
    pass `itertools.chain.from_iterable(board_tree(db, meeting_id).values())`. `names` is the
    conference's names_to_keep_out (text, one name per line) or a list of names.
    """
    pattern = names_pattern(names)
    flags: list[Flag] = []
    for point in iter_points(points):
        for m in check_text(point.text, pattern, today=today):
            flags.append(
                Flag(point.id, point.column, m.rule, m.start, m.end, m.matched, point.text)
            )
    return flags
