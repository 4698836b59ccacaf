"""Review meetings: carrying the open actions forward and recording progress on each.

An `ActionUpdate` is what one review meeting recorded about one intervention: the status it
had reached and a note of the progress since the last meeting. `start_review` makes one per
open action (not done, not "not going ahead"), with the status at that moment and an empty
note; `record_progress` fills it in at the review. An action's history is its updates in
meeting order.

"The last meeting" before a review is the meeting just before it in the conference's meeting
order (the conference or the previous review; pre-meetings do not count): `previous_meeting`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from csfacilitator.core import vocab
from csfacilitator.core.dates import as_date
from csfacilitator.core.key_meetings import held_meetings, key_dates
from csfacilitator.core.meetings import (
    KIND_ORDER,
    add_meeting_rows,
    list_meetings,
    meeting_label,
    record_of,
)
from csfacilitator.core.model import (
    ActionUpdate,
    Intervention,
    Meeting,
    Need,
    utcnow,
)
from csfacilitator.core.plan import (
    CLOSED_STATUSES,
    ActionUpdateRecord,
    InterventionRecord,
    intervention_record,
)
from csfacilitator.core.records import MeetingRecord
from csfacilitator.core.rows import conference_in, existing_row, touch_conference
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

log = logging.getLogger(__name__)

#: Meetings that can look back on a plan (a pre-meeting comes before there is one).
PLAN_MEETING_KINDS = frozenset({"conference", "review"})


class HistoryEntry(NamedTuple):
    """What one meeting recorded about an action."""

    label: str  # "Review 2 · 4 Feb 2027"
    date: dt.date | None
    status: str  # a key of vocab.ACTION_STATUSES
    note: str


@dataclass(frozen=True)
class ReviewItem:
    """One carried-forward action at a review, with what the review before it recorded."""

    need_id: int
    need_text: str
    intervention: InterventionRecord
    update: ActionUpdateRecord
    previous: ActionUpdateRecord | None = None


def _update_record(row: ActionUpdate) -> ActionUpdateRecord:
    return ActionUpdateRecord(row.id, row.intervention_id, row.meeting_id, row.status, row.note)


def _meeting(s: Session, meeting_id: int) -> Meeting:
    return existing_row(s, Meeting, meeting_id, "That meeting has been removed.")


def _need_of(s: Session, action: Intervention) -> Need:
    return existing_row(s, Need, action.need_id, "That action is no longer in the plan.")


def _ordered_meetings(s: Session, conference_id: int) -> list[MeetingRecord]:
    """As `list_meetings` orders them (undated last), inside an open session."""
    rows = s.scalars(
        select(Meeting)
        .where(Meeting.conference_id == conference_id)
        .options(selectinload(Meeting.agenda))  # one query for every agenda, not one a meeting
    )
    return sorted(
        (record_of(m) for m in rows),
        key=lambda m: (m.date or dt.date.max, KIND_ORDER.get(m.kind, 9), m.id),
    )


def _open_interventions(s: Session, conference_id: int) -> list[Intervention]:
    return list(
        s.scalars(
            select(Intervention)
            .join(Need, Need.id == Intervention.need_id)
            .where(
                Need.conference_id == conference_id,
                Intervention.status.not_in(sorted(CLOSED_STATUSES)),
            )
            .order_by(Need.position, Need.id, Intervention.position, Intervention.id)
        )
    )


def _snapshot_weighting(db: Database, conference_id: int, meeting_id: int) -> None:
    """Keep the context weighting as it stood at this review, where the app can do that."""
    name = "csfacilitator.core.weighting"
    if importlib.util.find_spec(name) is None:
        return
    snapshot = getattr(importlib.import_module(name), "snapshot_for_meeting", None)
    if snapshot is None:
        return
    try:
        snapshot(db, conference_id, meeting_id)
    except UserError as exc:  # the review itself is stored; say why the picture is not
        log.warning("Could not keep the context weighting for meeting %s: %s", meeting_id, exc)


def start_review(
    db: Database, conference_id: int, date: dt.date | str | None = None
) -> MeetingRecord:
    """Hold a review: a review meeting on `date` (default today) with the review agenda, and an
    update for every open action carrying its current status forward with an empty note.

    A review meeting already scheduled for that date is used rather than doubled; actions it
    already carries are left as recorded. The conference becomes "under review"."""
    day = as_date(date) or dt.date.today()
    with db.session() as s:
        conference = conference_in(s, conference_id)
        if conference.status == "closed":
            raise UserError("This conference is closed: reopen it before holding a review.")
        meeting = s.scalars(
            select(Meeting)
            .where(
                Meeting.conference_id == conference_id,
                Meeting.kind == "review",
                Meeting.date == day,
            )
            .order_by(Meeting.id)
        ).first()
        if meeting is None:
            waiting = key_dates(s, conference_id)
            due = waiting.next_review_date
            if waiting.next_review_id is not None and (due is None or due <= day):
                # The scheduled review, undated or due (held late): it is this one.
                meeting = _meeting(s, waiting.next_review_id)
                meeting.date = day
            else:
                meeting = add_meeting_rows(
                    s, conference_id, "review", date=day, venue=waiting.venue
                )
        carried = set(
            s.scalars(
                select(ActionUpdate.intervention_id).where(ActionUpdate.meeting_id == meeting.id)
            )
        )
        for action in _open_interventions(s, conference_id):
            if action.id not in carried:
                s.add(
                    ActionUpdate(
                        intervention_id=action.id,
                        meeting_id=meeting.id,
                        status=action.status,
                        note="",
                    )
                )
        if meeting.started_at is None:
            meeting.started_at = utcnow()  # held: no longer the next review
        conference.status = "under_review"
        touch_conference(s, conference_id)
        s.flush()
        record = record_of(meeting)
    _snapshot_weighting(db, conference_id, record.id)
    return record


def record_progress(
    db: Database,
    intervention_id: int,
    meeting_id: int,
    status: str | None,
    note: str | None,
) -> ActionUpdateRecord:
    """Record an action's status and progress note at a meeting (None keeps what is recorded).

    The action's current status follows when this is its latest review; correcting an older
    review changes only what that review recorded."""
    status = (
        None if status is None else vocab.choice(vocab.ACTION_STATUSES, status, "an action status")
    )
    note = None if note is None else clean_text(note).strip()
    with db.session() as s:
        action = existing_row(
            s, Intervention, intervention_id, "That action is no longer in the plan."
        )
        meeting = _meeting(s, meeting_id)
        need = _need_of(s, action)
        if need.conference_id != meeting.conference_id:
            raise UserError("That meeting belongs to another conference.")
        updates = list(
            s.scalars(
                select(ActionUpdate)
                .where(ActionUpdate.intervention_id == intervention_id)
                .order_by(ActionUpdate.id)
            )
        )
        row = next((u for u in updates if u.meeting_id == meeting_id), None)
        if row is None:
            row = ActionUpdate(
                intervention_id=intervention_id, meeting_id=meeting_id, status=action.status
            )
            s.add(row)
            updates.append(row)
        if status is not None:
            row.status = status
        if note is not None:
            row.note = note
        order = {m.id: index for index, m in enumerate(_ordered_meetings(s, need.conference_id))}
        latest = max(updates, key=lambda u: order.get(u.meeting_id, -1))
        if status is not None and latest is row and action.status != status:
            action.status = status
        touch_conference(s, need.conference_id)
        s.flush()
        return _update_record(row)


def history(db: Database, intervention_id: int) -> list[HistoryEntry]:
    """What each meeting recorded about an action, in meeting order (oldest first)."""
    with db.session() as s:
        action = existing_row(
            s, Intervention, intervention_id, "That action is no longer in the plan."
        )
        conference_id = _need_of(s, action).conference_id
        return _histories(s, conference_id).get(intervention_id, [])


def conference_history(db: Database, conference_id: int) -> dict[int, list[HistoryEntry]]:
    """Every action's history at once (intervention id -> entries, oldest first)."""
    with db.read_session() as s:
        return _histories(s, conference_id)


def _histories(s: Session, conference_id: int) -> dict[int, list[HistoryEntry]]:
    meetings = _ordered_meetings(s, conference_id)
    order = {m.id: index for index, m in enumerate(meetings)}
    by_id = {m.id: m for m in meetings}
    rows = s.scalars(
        select(ActionUpdate)
        .join(Meeting, Meeting.id == ActionUpdate.meeting_id)
        .where(Meeting.conference_id == conference_id)
    )
    found: dict[int, list[ActionUpdate]] = {}
    for row in rows:
        found.setdefault(row.intervention_id, []).append(row)
    result: dict[int, list[HistoryEntry]] = {}
    for intervention_id, updates in found.items():
        updates.sort(key=lambda u: (order.get(u.meeting_id, -1), u.id))
        result[intervention_id] = [
            HistoryEntry(
                meeting_label(by_id[u.meeting_id], meetings),
                by_id[u.meeting_id].date,
                u.status,
                u.note,
            )
            for u in updates
        ]
    return result


def list_reviews(db: Database, conference_id: int) -> list[MeetingRecord]:
    """The conference's review meetings in the order they happen."""
    return [m for m in list_meetings(db, conference_id) if m.kind == "review"]


def latest_review(db: Database, conference_id: int) -> MeetingRecord | None:
    """The latest review that has been held (a scheduled one still to come is not)."""
    with db.read_session() as s:
        upcoming = key_dates(s, conference_id).next_review_id
        held = held_meetings(s, conference_id)
    reviews = [m for m in list_reviews(db, conference_id) if m.id in held and m.id != upcoming]
    return reviews[-1] if reviews else None


def previous_meeting(db: Database, meeting_id: int) -> MeetingRecord | None:
    """The meeting before this one (the conference or an earlier review), or None."""
    with db.read_session() as s:
        meeting = _meeting(s, meeting_id)
        ordered = [
            m for m in _ordered_meetings(s, meeting.conference_id) if m.kind in PLAN_MEETING_KINDS
        ]
    ids = [m.id for m in ordered]
    if meeting_id not in ids:
        return None
    index = ids.index(meeting_id)
    return ordered[index - 1] if index > 0 else None


def review_items(db: Database, meeting_id: int) -> list[ReviewItem]:
    """The actions carried forward to a review, in plan order, each with its update there and
    the update of the same action at the review before (None if it had none)."""
    before = previous_meeting(db, meeting_id)
    with db.read_session() as s:
        _meeting(s, meeting_id)
        rows = s.execute(
            select(ActionUpdate, Intervention, Need)
            .join(Intervention, Intervention.id == ActionUpdate.intervention_id)
            .join(Need, Need.id == Intervention.need_id)
            .where(ActionUpdate.meeting_id == meeting_id)
            .order_by(Need.position, Need.id, Intervention.position, Intervention.id)
        ).all()
        previous: dict[int, ActionUpdateRecord] = {}
        if before is not None and rows:
            earlier = s.scalars(
                select(ActionUpdate).where(
                    ActionUpdate.meeting_id == before.id,
                    ActionUpdate.intervention_id.in_([a.id for _u, a, _n in rows]),
                )
            )
            previous = {u.intervention_id: _update_record(u) for u in earlier}
        return [
            ReviewItem(
                need_id=need.id,
                need_text=need.text,
                intervention=intervention_record(action),
                update=_update_record(update),
                previous=previous.get(action.id),
            )
            for update, action, need in rows
        ]
