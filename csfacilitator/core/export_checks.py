"""The checks that run before a document is written, the same in the window and on the
command line: points that look like personal details, a paper for a meeting that has already
happened, and a review record with no review held."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.board import board_tree
from csfacilitator.core.documents import (
    BOARD,
    MEETING_PASSED,
    NEEDS_CLOSED,
    NEEDS_REVIEW,
    PERSONAL_DETAILS,
    PLAN,
    VOICE,
    DocumentKind,
)
from csfacilitator.core.key_meetings import held_meetings, meeting_in_focus
from csfacilitator.core.model import (
    ActionUpdate,
    Conference,
    Intervention,
    Meeting,
    Need,
)
from csfacilitator.core.privacy_guard import RULES, check_text, flag_points, names_pattern
from csfacilitator.core.rows import conference_in
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class Finding:
    """Text that looks like a personal detail, where it is and what it looks like."""

    where: str  # "Safety plan", "Action plan"
    matched: str
    rule: str
    point_id: int | None = None  # a board point, so the board can show it

    @property
    def label(self) -> str:
        return RULES[self.rule]

    def line(self) -> str:
        return f"{self.where}: “{self.matched}” ({self.label.lower()})"


def meeting_for(db: Database, kind: DocumentKind, conference_id: int, meeting_id: int | None):
    """The meeting a per-meeting document is about: the one asked for, else the one in focus."""
    if not kind.per_meeting or meeting_id is not None:
        return meeting_id
    if kind.default_meeting is not None:
        return kind.function("default_meeting")(db, conference_id)
    with db.session() as s:
        return meeting_in_focus(s, conference_id)


def personal_details(
    db: Database, kind: DocumentKind, conference_id: int, meeting_id: int | None
) -> list[Finding]:
    """What the personal-details check finds in the text this document carries."""
    if PERSONAL_DETAILS not in kind.checks:
        return []
    with db.session() as s:
        conference = conference_in(s, conference_id)
        names_text = conference.names_to_keep_out
        names = names_pattern(names_text)
        plan_texts: list[str] = []
        if PLAN in kind.scan:
            needs = list(s.scalars(select(Need).where(Need.conference_id == conference_id)))
            actions = list(
                s.scalars(
                    select(Intervention).where(Intervention.need_id.in_([n.id for n in needs]))
                )
            )
            notes = s.scalars(
                select(ActionUpdate.note).where(
                    ActionUpdate.intervention_id.in_([a.id for a in actions])
                )
            )
            plan_texts = [n.text for n in needs]
            for action in actions:
                plan_texts += [action.text, action.progress, action.owner]
            plan_texts += list(notes)
    voice_texts: list[str] = []
    if VOICE in kind.scan:  # young people's voices, with the reply as printed (core/voice.py):
        from csfacilitator.core.voice import list_voices  # a linked action's text is printed

        for item in list_voices(db, conference_id):
            voice_texts += [item.text, item.gathered_by, item.reply]
    found: list[Finding] = []
    if BOARD in kind.scan:
        meeting_id = meeting_for(db, kind, conference_id, meeting_id)
        if meeting_id is not None:
            points = itertools.chain.from_iterable(board_tree(db, meeting_id).values())
            for flag in flag_points(points, names_text):
                where = vocab.label(vocab.BOARD_COLUMNS, flag.column)
                found.append(Finding(where, flag.matched, flag.rule, flag.point_id))
    for text in plan_texts:
        for match in check_text(text or "", names):
            found.append(Finding("Action plan", match.matched, match.rule))
    for text in voice_texts:
        for match in check_text(text or "", names):
            found.append(Finding("Young people's voice", match.matched, match.rule))
    return found


def findings_sentence(findings: list[Finding], most: int = 3) -> str:
    """One line for the command line: how many, and the first few."""
    shown = "; ".join(f.line() for f in findings[:most])
    more = f"; and {len(findings) - most} more" if len(findings) > most else ""
    count = len(findings)
    return f"{count} place{'s' if count != 1 else ''} may hold personal details: {shown}{more}"


def meeting_passed(
    db: Database,
    kind: DocumentKind,
    conference_id: int,
    meeting_id: int | None,
    today: dt.date | None = None,
) -> dt.date | None:
    """The meeting's date when this paper is for a meeting that has already happened."""
    if MEETING_PASSED not in kind.checks:
        return None
    meeting_id = meeting_for(db, kind, conference_id, meeting_id)
    if meeting_id is None:
        return None
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        day = meeting.date if meeting is not None else None
    today = today or dt.date.today()
    return day if day is not None and day < today else None


def available(db: Database, kind: DocumentKind, conference_id: int) -> bool:
    """False when the document cannot be made yet (its command is off): a review record
    before any review is held, a closing record before the conference is closed."""
    if NEEDS_REVIEW not in kind.checks and NEEDS_CLOSED not in kind.checks:
        return True
    with db.read_session() as s:  # a read: no write lock (it runs as each conference opens)
        if NEEDS_CLOSED in kind.checks:
            conference = s.get(Conference, conference_id)
            if conference is None or conference.status != "closed":
                return False
        if NEEDS_REVIEW in kind.checks:
            held = held_meetings(s, conference_id)
            query = select(Meeting.id, Meeting.kind).where(Meeting.conference_id == conference_id)
            kinds = {meeting_id: kind for meeting_id, kind in s.execute(query)}
            return any(kinds.get(m) == "review" for m in held)
    return True
