"""That a young person was referred to social care during a meeting: the date, the team and
their reference. Never the concern itself, never a name; never projected or put in minutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core.dates import as_date
from csfacilitator.core.meetings import meeting_row
from csfacilitator.core.model import Meeting, Referral
from csfacilitator.core.rows import existing_row, free_id
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

# Long enough for any team name or case reference; short enough that nobody writes the
# concern itself here.
MAX_TEAM = 120
MAX_REFERENCE = 60


@dataclass(frozen=True)
class ReferralRecord:
    id: int
    meeting_id: int
    made_on: dt.date | None
    team: str
    reference: str


def _record(row: Referral) -> ReferralRecord:
    return ReferralRecord(row.id, row.meeting_id, row.made_on, row.team, row.reference)


def _clean(team: object, reference: object) -> tuple[str, str]:
    team = clean_text(team, multiline=False)
    reference = clean_text(reference, multiline=False)
    if not team:
        raise UserError("Say which team the referral went to.")
    if len(team) > MAX_TEAM:
        raise UserError(
            f"Keep the team to {MAX_TEAM} characters: record who it went to, not the concern."
        )
    if len(reference) > MAX_REFERENCE:
        raise UserError(
            f"Keep the reference to {MAX_REFERENCE} characters (a case or contact number): "
            "the concern itself is not recorded here."
        )
    return team, reference


def add_referral(
    db: Database,
    meeting_id: int,
    *,
    team: str,
    reference: str = "",
    made_on: dt.date | str | None = None,
) -> ReferralRecord:
    """Record that a referral was made (the date defaults to today)."""
    team, reference = _clean(team, reference)
    made_on = as_date(made_on) or dt.date.today()
    with db.session() as s:
        meeting_row(s, meeting_id)
        row = Referral(meeting_id=meeting_id, made_on=made_on, team=team, reference=reference)
        s.add(row)
        s.flush()
        return _record(row)


def list_referrals(db: Database, meeting_id: int) -> list[ReferralRecord]:
    """A meeting's referrals, oldest first; undated ones (an older hand-over file) before
    them on SQLite and PostgreSQL alike (PostgreSQL would put NULL last)."""
    with db.read_session() as s:
        rows = s.scalars(
            select(Referral)
            .where(Referral.meeting_id == meeting_id)
            .order_by(Referral.made_on.asc().nulls_first(), Referral.id)
        )
        return [_record(r) for r in rows]


def delete_referral(db: Database, referral_id: int) -> ReferralRecord:
    """Remove a referral record; returns it as it was, so it can be put back (undo)."""
    with db.session() as s:
        row = existing_row(s, Referral, referral_id, "That referral record is no longer there.")
        record = _record(row)
        s.delete(row)
        return record


def restore_referral(db: Database, record: ReferralRecord) -> ReferralRecord:
    """Put a removed referral back (with its old id if that is still free)."""
    with db.session() as s:
        existing_row(
            s, Meeting, record.meeting_id, "The meeting this referral belonged to has been removed."
        )
        row = Referral(
            id=free_id(s, Referral, record.id),
            meeting_id=record.meeting_id,
            made_on=record.made_on,
            team=record.team,
            reference=record.reference,
        )
        s.add(row)
        s.flush()
        return _record(row)
