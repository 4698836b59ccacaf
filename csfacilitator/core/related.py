"""Related conferences (issue 20): conferences about the same place or setting, found from the
conferences' own context name and area (core/model.Conference, their one home) and the context
register's other names for it (ContextEntry.aliases), compared as normalised words — case and accents folded, generic words such as "park" or "road" ignored so
that two parks are not related for being parks. Only open conferences and those closed in the
last RECENT_MONTHS are offered. Places and settings only: nothing about individual young
people is compared.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core.model import Conference, ConferenceLink, ContextEntry, utcnow
from csfacilitator.core.rows import conference_in
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
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
#: Why two conferences are linked by hand (places and settings, never young people).
LINK_REASONS: tuple[tuple[str, str], ...] = (
    ("same_place", "Same place"),
    ("neighbouring_place", "Neighbouring place"),
    ("same_setting", "Same school or peer-group setting"),
)
LINK_LABELS = dict(LINK_REASONS)
MAX_ALIASES_CHARS = 2000


@dataclass(frozen=True)
class RelatedConference:
    conference_id: int
    title: str
    status: str
    reason: str  # "same place: both name “Wrenmoor”"
    words: tuple[str, ...]


def words(text: str) -> frozenset[str]:
    """The significant words of a place name: folded, generic words left out."""
    return _words(text or "")


@functools.lru_cache(maxsize=4096)  # every conference's names, read each time one is shown
def _words(text: str) -> frozenset[str]:
    from csfacilitator.core.subject_access import fold_text

    return frozenset(
        w for w in re.findall(r"\w+", fold_text(text)) if len(w) > 2 and w not in GENERIC
    )


def related_conferences(
    db: Database, conference_id: int, today: dt.date | None = None
) -> list[RelatedConference]:
    """Other open or recent conferences whose context name or area shares a significant word
    with this one's, the same place first."""
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=RECENT_MONTHS * 31)
    with db.read_session() as s:
        aliases = {
            cid: text
            for cid, text in s.execute(select(ContextEntry.conference_id, ContextEntry.aliases))
        }
        linked = {
            (a, b)
            for a, b in s.execute(select(ConferenceLink.conference_id, ConferenceLink.related_id))
        }
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
    # The rows are unpacked, not read by name: a Row's attribute costs about a microsecond,
    # about 8 ms over 1,000 conferences each time a conference is shown.
    me = next((r for r in rows if r[0] == conference_id), None)
    if me is None:
        return []
    _id, _title, _status, my_place, my_area, _closed_on, _archived = me
    place_and_area = words(my_place) | words(aliases.get(conference_id, "")) | words(my_area)
    found: list[RelatedConference] = []
    for row_id, title, status, context_name, row_area, closed_on, archived in rows:
        if row_id == conference_id or archived:
            continue
        if (conference_id, row_id) in linked or (row_id, conference_id) in linked:
            continue  # linked by hand: listed with the links, not guessed again
        if status == "closed" and (closed_on is None or closed_on < cutoff):
            continue
        theirs = words(context_name) | words(aliases.get(row_id, ""))
        shared = place_and_area & theirs
        reason = SAME_PLACE
        if not shared:
            shared = place_and_area & words(row_area)
            reason = SAME_AREA
        if not shared:
            continue
        named = " and ".join(f"“{w.capitalize()}”" for w in sorted(shared))
        verb = "both name" if reason == SAME_PLACE else "both in"
        found.append(
            RelatedConference(
                row_id,
                title or "Untitled conference",
                status,
                f"{reason}: {verb} {named}",
                tuple(sorted(shared)),
            )
        )
    found.sort(key=lambda r: (r.reason.split(":")[0] != SAME_PLACE, r.title.casefold()))
    return found


def related_lines(db: Database, conference_id: int) -> tuple[str, ...]:
    """The related conferences as the minutes and the report print them: 'Title (reason)',
    those linked by hand first."""
    linked = tuple(link.text for link in list_links(db, conference_id))
    return linked + tuple(f"{r.title} ({r.reason})" for r in related_conferences(db, conference_id))


@dataclass(frozen=True)
class ContextRegister:
    conference_id: int
    aliases: str
    map_ref: str


@dataclass(frozen=True)
class Link:
    id: int
    conference_id: int  # the other conference
    title: str
    reason: str  # key of LINK_REASONS
    note: str

    @property
    def reason_text(self) -> str:
        """'neighbouring place: across the footbridge'."""
        label = LINK_LABELS.get(self.reason, self.reason).lower()
        return f"{label}: {self.note}" if self.note else label

    @property
    def text(self) -> str:
        return f"{self.title} ({self.reason_text})"


def get_register(db: Database, conference_id: int) -> ContextRegister:
    with db.read_session() as s:
        entry = s.scalars(
            select(ContextEntry).where(ContextEntry.conference_id == conference_id)
        ).first()
        if entry is None:
            return ContextRegister(conference_id, "", "")
        return ContextRegister(conference_id, entry.aliases, entry.map_ref)


def set_register(
    db: Database, conference_id: int, *, aliases: str | None = None, map_ref: str | None = None
) -> ContextRegister:
    """Store what else the context is called (one a line) and its map reference."""
    if aliases is not None:
        lines = [" ".join(line.split()) for line in clean_text(aliases).splitlines()]
        aliases = "\n".join(line for line in lines if line)
        if len(aliases) > MAX_ALIASES_CHARS:
            raise UserError(f"The other names are over {MAX_ALIASES_CHARS} characters.")
    if map_ref is not None:
        map_ref = " ".join(clean_text(map_ref, multiline=False).split())
    with db.session() as s:
        conference_in(s, conference_id)
        entry = s.scalars(
            select(ContextEntry).where(ContextEntry.conference_id == conference_id)
        ).first()
        if entry is None:
            entry = ContextEntry(conference_id=conference_id)
            s.add(entry)
        if aliases is not None:
            entry.aliases = aliases
        if map_ref is not None:
            entry.map_ref = map_ref
        entry.updated_at = utcnow()
        return ContextRegister(conference_id, entry.aliases or "", entry.map_ref or "")


def add_link(db: Database, conference_id: int, other_id: int, reason: str, note: str = "") -> None:
    """Link two conferences (both ways) with a reason; refused in one sentence if it cannot."""
    if reason not in LINK_LABELS:
        keys = ", ".join(k for k, _ in LINK_REASONS)
        raise UserError(f"The reason {reason!r} is not one of: {keys}.")
    if other_id == conference_id:
        raise UserError("A conference cannot be linked to itself.")
    note = " ".join(clean_text(note, multiline=False).split())
    with db.session() as s:
        ends = []
        for cid in (conference_id, other_id):
            row = conference_in(s, cid)
            ends.append((row.uid, cid))
        # Either way round is the same link: it is kept from the conference with the smaller
        # uid, so the same link made on two laptops is one row when they sync (schema 0014).
        (_, first), (_, second) = sorted(ends)
        existing = s.scalars(
            select(ConferenceLink).where(
                (
                    (ConferenceLink.conference_id == conference_id)
                    & (ConferenceLink.related_id == other_id)
                )
                | (
                    (ConferenceLink.conference_id == other_id)
                    & (ConferenceLink.related_id == conference_id)
                )
            )
        ).first()
        if existing is not None:
            existing.reason, existing.note = reason, note
            return
        s.add(ConferenceLink(conference_id=first, related_id=second, reason=reason, note=note))


def remove_link(db: Database, link_id: int) -> None:
    with db.session() as s:
        link = s.get(ConferenceLink, link_id)
        if link is not None:
            s.delete(link)


def list_links(db: Database, conference_id: int) -> list[Link]:
    """The conferences linked to this one by hand, by title."""
    with db.read_session() as s:
        rows = (
            s.execute(
                select(ConferenceLink).where(
                    (ConferenceLink.conference_id == conference_id)
                    | (ConferenceLink.related_id == conference_id)
                )
            )
            .scalars()
            .all()
        )
        others = [
            link.related_id if link.conference_id == conference_id else link.conference_id
            for link in rows
        ]
        # Only the linked conferences' titles: none read when there is no link (every
        # conference's title was read each time one was shown).
        titles = (
            dict(
                s.execute(
                    select(Conference.id, Conference.title).where(Conference.id.in_(others))
                ).all()
            )
            if others
            else {}
        )
        links = []
        for link, other in zip(rows, others, strict=True):
            links.append(
                Link(
                    link.id,
                    other,
                    titles.get(other) or "Untitled conference",
                    link.reason,
                    link.note,
                )
            )
    return sorted(links, key=lambda link: link.title.casefold())
