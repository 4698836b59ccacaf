"""Related conferences (issue 20): conferences about the same place or setting, found from the
conferences' own context name and area (core/model.Conference, their one home), compared as
normalised words — case and accents folded, generic words such as "park" or "road" ignored so
that two parks are not related for being parks. Only open conferences and those closed in the
last RECENT_MONTHS are offered. Places and settings only: nothing about individual young
people is compared.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core.model import Conference
from csfacilitator.storage.database import Database

RECENT_MONTHS = 12
#: Words that say what kind of place something is, not which one.
GENERIC = frozenset(
    [
        "the",
        "and",
        "of",
        "a",
        "an",
        "at",
        "in",
        "on",
        "by",
        "to",
        "for",
        "near",
        "off",
        "upper",
        "lower",
        "old",
        "new",
        "north",
        "south",
        "east",
        "west",
        "park",
        "road",
        "street",
        "st",
        "lane",
        "avenue",
        "way",
        "close",
        "drive",
        "estate",
        "ward",
        "area",
        "town",
        "city",
        "centre",
        "center",
        "high",
        "school",
        "academy",
        "college",
        "primary",
        "secondary",
        "station",
        "bus",
        "stop",
        "route",
        "shop",
        "shops",
        "shopping",
        "parade",
        "square",
        "green",
        "common",
        "field",
        "fields",
        "playground",
        "club",
        "church",
        "mosque",
        "temple",
        "hall",
        "house",
        "flats",
        "block",
        "estate",
        "group",
        "peer",
        "online",
        "space",
        "business",
        "venue",
        "market",
        "car",
        "underpass",
        "bridge",
        "canal",
        "river",
        "walk",
        "path",
        "towpath",
        "community",
        "youth",
        "place",
        "district",
        "borough",
    ]
)
SAME_PLACE = "same place"
SAME_AREA = "same area"


@dataclass(frozen=True)
class RelatedConference:
    conference_id: int
    title: str
    status: str
    reason: str  # "same place: both name “Wrenmoor”"
    words: tuple[str, ...]


def words(text: str) -> set[str]:
    """The significant words of a place name: folded, generic words left out."""
    from csfacilitator.core.subject_access import fold

    folded, _ = fold(text or "")
    return {w for w in re.findall(r"\w+", folded) if len(w) > 2 and w not in GENERIC}


def related_conferences(
    db: Database, conference_id: int, today: dt.date | None = None
) -> list[RelatedConference]:
    """Other open or recent conferences whose context name or area shares a significant word
    with this one's, the same place first."""
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=RECENT_MONTHS * 31)
    with db.session() as s:
        rows = s.execute(
            select(
                Conference.id,
                Conference.title,
                Conference.status,
                Conference.context_name,
                Conference.area,
                Conference.closed_on,
                Conference.archived,
            )
        ).all()
    me = next((r for r in rows if r.id == conference_id), None)
    if me is None:
        return []
    place, area = words(me.context_name), words(me.area)
    place_and_area = place | area
    found: list[RelatedConference] = []
    for row in rows:
        if row.id == conference_id or row.archived:
            continue
        if row.status == "closed" and (row.closed_on is None or row.closed_on < cutoff):
            continue
        theirs = words(row.context_name)
        shared = place_and_area & theirs
        reason = SAME_PLACE
        if not shared:
            shared = place_and_area & words(row.area)
            reason = SAME_AREA
        if not shared:
            continue
        named = " and ".join(f"“{w.capitalize()}”" for w in sorted(shared))
        verb = "both name" if reason == SAME_PLACE else "both in"
        found.append(
            RelatedConference(
                row.id,
                row.title or "Untitled conference",
                row.status,
                f"{reason}: {verb} {named}",
                tuple(sorted(shared)),
            )
        )
    found.sort(key=lambda r: (r.reason.split(":")[0] != SAME_PLACE, r.title.casefold()))
    return found


def related_lines(db: Database, conference_id: int) -> tuple[str, ...]:
    """The related conferences as the minutes and the report print them: 'Title (reason)'."""
    return tuple(f"{r.title} ({r.reason})" for r in related_conferences(db, conference_id))
