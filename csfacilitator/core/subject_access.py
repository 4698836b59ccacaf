"""Subject access: every stored mention of a name or phrase, for a subject access request.

The search walks the models' metadata (core/model.py), so every text column of every table is
read, including one added later: conferences, meetings, board points, referrals, assessment
sections, invitees, plan needs, actions and updates, closing text, drafts being typed, the
sharing record, pending changes. Matching is case-insensitive, on whole words, with accents
folded ("Zoe" finds "Zoë"). Each mention comes with its conference, where it is in plain words,
a date and the text around it, for a redaction-ready document (export/subject_access_doc.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Date, DateTime, Text, select

from csfacilitator.core.model import Base
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

CONTEXT_CHARS = 120  # of surrounding text either side of a mention
MAX_PHRASE = 200

#: Tables and fields in plain words (anything else: its name with spaces).
TABLE_WORDS = {
    "conference": "Conference details",
    "context_entry": "Context register",
    "conference_link": "Related conference link",
    "meeting": "Meeting",
    "agenda_item": "Agenda item",
    "assessment_section": "Assessment report section",
    "invitee": "Invitee",
    "board_point": "Board point",
    "referral": "Referral",
    "dissent": "Recorded disagreement",
    "priority": "Priority",
    "context_weighting": "Context weighting",
    "need": "Plan: identified need",
    "intervention": "Plan: action",
    "action_update": "Plan: action update",
    "young_voice": "Young people's voice",
    "safety_map": "Safety map",
    "safety_map_session": "Safety map: mapping session",
    "safety_mark": "Safety map: mark",
    "draft": "Text being typed (draft)",
    "export_log": "Information sharing record",
    "setting": "Setting",
    "change_log": "Change waiting to be sent to the team store",
}


@dataclass(frozen=True)
class Mention:
    conference_id: int | None
    conference_title: str
    table: str
    field: str
    row_id: object
    where: str  # "Board point — text"
    date: dt.date | None
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class SubjectAccessResult:
    phrase: str
    searched_on: dt.date
    mentions: tuple[Mention, ...]
    places_searched: int  # text columns read


def fold_text(text: str) -> str:
    """What fold() makes of `text`, without the index: for comparing words, many at a time
    (the related conferences read every conference's place names)."""
    if text.isascii():  # nothing to decompose or drop (most place names): 3 us a name, now 0.1
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """Text casefolded with accents removed, and for each folded character the index of the
    character it came from (so a match can be shown in the original text)."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        for part in decomposed:
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                index.append(i)
    return "".join(out), index


def pattern_for(phrase: str) -> re.Pattern[str]:
    folded, _ = fold(" ".join(phrase.split()))
    words = [re.escape(word) for word in folded.split()]
    if not words:
        raise UserError("Give a name or phrase to search for.")
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def find_in(text: str, pattern: re.Pattern[str]) -> list[tuple[str, str, str]]:
    """Each match of `pattern` in `text` as (before, match, after) in the original text."""
    folded, index = fold(text)
    found = []
    for m in pattern.finditer(folded):
        start = index[m.start()]
        end = index[m.end() - 1] + 1
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        found.append(
            (
                ("…" if start > CONTEXT_CHARS else "") + _joined(before),
                text[start:end],
                _joined(after) + ("…" if end + CONTEXT_CHARS < len(text) else ""),
            )
        )
    return found


def _joined(text: str) -> str:
    """Whitespace runs as one space, keeping a space at either end where there was one."""
    words = " ".join(text.split())
    if not words:
        return " " if text else ""
    return (" " if text[:1].isspace() else "") + words + (" " if text[-1:].isspace() else "")


def text_columns(table) -> list:
    return [c for c in table.columns if isinstance(c.type, Text)]


def _words(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def where_words(table: str, field: str) -> str:
    return f"{TABLE_WORDS.get(table, _words(table))} — {_words(field).lower()}"


def search(db: Database, phrase: str) -> SubjectAccessResult:
    """Every mention of `phrase` in the data folder's database, by conference then place."""
    phrase = " ".join((phrase or "").split())
    if len(phrase) > MAX_PHRASE:
        raise UserError(f"The phrase is over {MAX_PHRASE} characters; shorten it.")
    pattern = pattern_for(phrase)
    tables = Base.metadata.sorted_tables
    mentions: list[Mention] = []
    places = 0
    with db.session() as s:
        bind = s.connection()
        existing = set(bind.dialect.get_table_names(bind))
        owners = _owners(s, existing)
        titles = dict(
            s.execute(
                select(
                    Base.metadata.tables["conference"].c.id,
                    Base.metadata.tables["conference"].c.title,
                )
            ).all()
        )
        meeting_dates = dict(
            s.execute(
                select(Base.metadata.tables["meeting"].c.id, Base.metadata.tables["meeting"].c.date)
            ).all()
        )
        for table in tables:
            columns = text_columns(table)
            if not columns or table.name not in existing:
                continue
            places += len(columns)
            key = list(table.primary_key.columns)
            extra = [c for c in table.columns if c.name in ("meeting_id", "conference_id")]
            dates = [c for c in table.columns if isinstance(c.type, (Date, DateTime))]
            query = select(*key, *extra, *dates, *columns)
            for row in s.execute(query).mappings():
                for column in columns:
                    value = row[column.name]
                    if not value or not isinstance(value, str):
                        continue
                    hits = find_in(value, pattern)
                    if not hits:
                        continue
                    row_id = row[key[0].name] if key else None
                    conference_id = owners.get((table.name, row_id))
                    if conference_id is None and "conference_id" in row:
                        conference_id = row["conference_id"]
                    day = _row_date(table.name, row, dates, meeting_dates)
                    for before, match, after in hits:
                        mentions.append(
                            Mention(
                                conference_id,
                                titles.get(conference_id, "") if conference_id else "",
                                table.name,
                                column.name,
                                row_id,
                                where_words(table.name, column.name),
                                day,
                                before,
                                match,
                                after,
                            )
                        )
    mentions.sort(key=lambda m: (m.conference_title.casefold(), m.conference_id or 0, m.where))
    return SubjectAccessResult(phrase, dt.date.today(), tuple(mentions), places)


def _row_date(table: str, row, dates, meeting_dates) -> dt.date | None:
    if table == "meeting" and row.get("date"):
        return row["date"]
    if row.get("meeting_id") in meeting_dates and meeting_dates[row["meeting_id"]]:
        return meeting_dates[row["meeting_id"]]
    for column in dates:
        value = row.get(column.name)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
    return None


def _owners(s, existing: set[str]) -> dict[tuple[str, object], int]:
    """(table, row id) -> conference id, following each synced table's parent link."""
    from csfacilitator.core.change_log import SYNCED

    owner: dict[tuple[str, object], int] = {}
    tables = Base.metadata.tables
    for name, link in SYNCED.items():
        if name not in existing or name not in tables:
            continue
        table = tables[name]
        key = list(table.primary_key.columns)[0]  # a row's first key column names it here
        if link is None:
            for (row_id,) in s.execute(select(key)):
                owner[(name, row_id)] = row_id
            continue
        column, parent = link
        for row_id, parent_id in s.execute(select(key, table.c[column])):
            if (parent, parent_id) in owner:
                owner[(name, row_id)] = owner[(parent, parent_id)]
    return owner
