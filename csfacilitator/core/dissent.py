"""A partner's disagreement with a decision, recorded at the meeting and printed in the minutes.

Who disagreed is an invitee of the conference (their name and organisation are read from the
invite list, never copied); what they disagreed with is a decision (in words) and/or an
agenda item of the meeting; and what they said, in their words. Removing an invitee keeps the
record ("someone no longer on the invite list"); deleting the meeting deletes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from csfacilitator.core.model import AgendaItem, Dissent, Invitee, Meeting, utcnow
from csfacilitator.core.rows import existing_row, free_id, in_order
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

MAX_DECISION = 300
MAX_STATEMENT = 4000
REMOVED_PERSON = "Someone no longer on the invite list"


@dataclass(frozen=True)
class DissentRecord:
    id: int
    uid: str
    meeting_id: int
    invitee_id: int | None
    name: str  # from the invite list
    organisation: str
    agenda_item_id: int | None
    agenda_title: str  # "" when it names no agenda item
    decision: str
    statement: str
    position: int
    created_at: dt.datetime

    @property
    def who(self) -> str:
        if self.invitee_id is None:
            return REMOVED_PERSON
        name = self.name or "Name not recorded"
        return f"{name} ({self.organisation})" if self.organisation else name

    @property
    def about(self) -> str:
        """ "the decision to close the underpass (agenda item: Lighting)"."""
        parts = []
        if self.decision:
            parts.append(self.decision)
        if self.agenda_title:
            parts.append(f"agenda item: {self.agenda_title}")
        if len(parts) == 2:
            return f"{parts[0]} ({parts[1]})"
        return parts[0] if parts else ""


def _record(s, row: Dissent) -> DissentRecord:
    invitee = s.get(Invitee, row.invitee_id) if row.invitee_id is not None else None
    item = s.get(AgendaItem, row.agenda_item_id) if row.agenda_item_id is not None else None
    return DissentRecord(
        id=row.id,
        uid=row.uid,
        meeting_id=row.meeting_id,
        invitee_id=row.invitee_id,
        name=invitee.name if invitee else "",
        organisation=invitee.organisation if invitee else "",
        agenda_item_id=row.agenda_item_id,
        agenda_title=item.title if item else "",
        decision=row.decision,
        statement=row.statement,
        position=row.position,
        created_at=row.created_at,
    )


def _checked(
    s, meeting_id: int, invitee_id: object, agenda_item_id: object, decision: object,
    statement: object,
) -> tuple[Meeting, int, int | None, str, str]:  # fmt: skip
    meeting = existing_row(s, Meeting, meeting_id, "That meeting is no longer there.")
    if invitee_id is None:
        raise UserError("Choose who disagreed, from the invite list.")
    invitee = s.get(Invitee, invitee_id)
    if invitee is None or invitee.conference_id != meeting.conference_id:
        raise UserError("Choose who disagreed from this conference's invite list.")
    item_id: int | None = None
    if agenda_item_id is not None:
        item = s.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != meeting_id:
            raise UserError("That agenda item is not part of this meeting.")
        item_id = item.id
    decision = clean_text(decision, multiline=False)
    statement = clean_text(statement, multiline=True).strip()
    if not decision and agenda_item_id is None:
        raise UserError("Say which decision or agenda item they disagreed with.")
    if not statement:
        raise UserError("Write what they said: their disagreement in their words.")
    if len(decision) > MAX_DECISION:
        raise UserError(f"Keep the decision to {MAX_DECISION} characters.")
    if len(statement) > MAX_STATEMENT:
        raise UserError(f"Keep what they said to {MAX_STATEMENT} characters.")
    return meeting, invitee.id, item_id, decision, statement


def add_dissent(
    db: Database,
    meeting_id: int,
    *,
    invitee_id: int | None,
    statement: str,
    decision: str = "",
    agenda_item_id: int | None = None,
) -> DissentRecord:
    """Record a disagreement at the end of the meeting's list."""
    with db.session() as s:
        _, invitee_id, agenda_item_id, decision, statement = _checked(
            s, meeting_id, invitee_id, agenda_item_id, decision, statement
        )
        last = s.scalar(select(func.max(Dissent.position)).where(Dissent.meeting_id == meeting_id))
        row = Dissent(
            meeting_id=meeting_id,
            invitee_id=invitee_id,
            agenda_item_id=agenda_item_id,
            decision=decision,
            statement=statement,
            position=(last or 0) + 1,
        )
        s.add(row)
        s.flush()
        return _record(s, row)


def list_dissent(db: Database, meeting_id: int) -> list[DissentRecord]:
    """A meeting's recorded disagreements, in the order they were recorded."""
    with db.read_session() as s:
        return list_dissent_in(s, meeting_id)


def list_dissent_in(s, meeting_id: int) -> list[DissentRecord]:  # noqa: ANN001 - a session
    rows = in_order(s, Dissent, Dissent.meeting_id == meeting_id)
    return [_record(s, row) for row in rows]


def delete_dissent(db: Database, dissent_id: int) -> DissentRecord:
    """Remove a recorded disagreement; returns it as it was, so undo can put it back."""
    with db.session() as s:
        row = existing_row(s, Dissent, dissent_id, "That disagreement is no longer recorded.")
        record = _record(s, row)
        s.delete(row)
        return record


def restore_dissent(db: Database, record: DissentRecord) -> DissentRecord:
    """Put a removed disagreement back: the same row (id and uid), as it was."""
    with db.session() as s:
        existing_row(
            s,
            Meeting,
            record.meeting_id,
            "The meeting this disagreement belonged to has been removed.",
        )
        invitee_id = record.invitee_id
        if invitee_id is not None and s.get(Invitee, invitee_id) is None:
            invitee_id = None
        item_id = record.agenda_item_id
        if item_id is not None and s.get(AgendaItem, item_id) is None:
            item_id = None
        row = Dissent(
            id=free_id(s, Dissent, record.id),
            meeting_id=record.meeting_id,
            invitee_id=invitee_id,
            agenda_item_id=item_id,
            decision=record.decision,
            statement=record.statement,
            position=record.position,
            created_at=record.created_at or utcnow(),
        )
        if s.scalar(select(Dissent.id).where(Dissent.uid == record.uid)) is None:
            row.uid = record.uid
        s.add(row)
        s.flush()
        return _record(s, row)
