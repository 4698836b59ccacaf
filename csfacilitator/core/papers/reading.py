"""What the papers read the same way, inside their one session (the conference itself, or a
plain NotFound, comes from core.rows.conference_in): its meetings, the plan's needs and actions
in the order the plan shows them, who came to a meeting and who sent apologies, the outcome
measures, whether an action was overdue on a day, and the context in a few words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from csfacilitator.core import vocab
from csfacilitator.core.model import Attendance, Conference, Intervention, Invitee, Meeting, Need
from csfacilitator.core.outcomes import GoalRecord, Progress, conference_progress_in
from csfacilitator.core.plan import CLOSED_STATUSES, Attendee
from csfacilitator.errors import NotFound


def meetings_in(s: Session, conference_id: int) -> list[Meeting]:
    """The conference's meetings, in no particular order (callers sort by meeting_order)."""
    return list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))


def meeting_among(meetings: Iterable[Meeting], meeting_id: int) -> Meeting:
    """The meeting asked for among the conference's, or NotFound when it is not one of them."""
    for meeting in meetings:
        if meeting.id == meeting_id:
            return meeting
    raise NotFound("That meeting does not belong to this conference.")


def plan_in(s: Session, conference_id: int) -> list[tuple[Need, list[Intervention]]]:
    """Every need of the plan in order, each with its actions (interventions) in order."""
    needs = s.scalars(
        select(Need)
        .where(Need.conference_id == conference_id)
        .order_by(Need.position, Need.id)
        .options(selectinload(Need.interventions))  # one query for all, not one a need
    )
    return [(need, sorted(need.interventions, key=lambda i: (i.position, i.id))) for need in needs]


def attendance_at(
    s: Session, conference_id: int, meeting_id: int
) -> tuple[tuple[Attendee, ...], tuple[Attendee, ...]]:
    """Who was present at the meeting and who sent apologies, in the invite list's order."""
    rows = s.execute(
        select(Invitee.name, Invitee.organisation, Invitee.role, Attendance.state)
        .join(Attendance, Attendance.invitee_id == Invitee.id)
        .where(Attendance.meeting_id == meeting_id, Invitee.conference_id == conference_id)
        .order_by(Invitee.position, Invitee.id)
    ).all()

    def those(state: str) -> tuple[Attendee, ...]:
        return tuple(Attendee(n, o, r) for n, o, r, st in rows if st == state)

    return those("present"), those("apologies")


def outcomes_in(
    s: Session, conference_id: int, held_by: set[int] | None = None
) -> tuple[tuple[GoalRecord, tuple[Progress, ...]], ...]:
    """Each outcome goal with its measures (core/outcomes.py); with `held_by`, each measure as
    it stood when the meetings of those ids had been held, so an old record reads the same."""
    return tuple(
        (goal, tuple(p if held_by is None else p.up_to(held_by) for p in progress))
        for goal, progress in conference_progress_in(s, conference_id)
    )


def overdue(due_date: dt.date | None, status: str, day: dt.date) -> bool:
    """Due before `day` and, with the status it had then, neither done nor abandoned."""
    return due_date is not None and due_date < day and status not in CLOSED_STATUSES


def context_words(conference: Conference) -> str:
    """The context's name and area, or its type when neither is given."""
    place = ", ".join(part for part in (conference.context_name, conference.area) if part)
    return place or vocab.label(vocab.CONTEXT_TYPES, conference.context_type)
