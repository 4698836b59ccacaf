"""What needs attention across all conferences: overdue actions, reviews coming up or passed,
open conferences without a review date, and closed ones due for deletion.

"Open" means not closed and not archived: archiving is how a coordinator says "not mine to
chase". Each query is one short read; the home page calls `build_dashboard` when it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select

from csfacilitator.core.key_meetings import conference_date_sql, waiting_review_sql
from csfacilitator.core.model import Conference, Intervention, Meeting, Need
from csfacilitator.core.plan import CLOSED_STATUSES
from csfacilitator.core.retention import (
    DeletionDue,
    deletion_due_on,
    due_for_deletion,
    retention_months,
    retention_note,
)
from csfacilitator.storage.database import Database, ReadsRows

#: How far ahead the dashboard looks for review meetings.
REVIEW_WINDOW_DAYS = 14
#: Statuses after which a conference is expected to have a next review date.
REVIEWED_STATUSES = frozenset({"conference_held", "under_review"})


@dataclass(frozen=True)
class OverdueAction:
    conference_id: int
    conference_title: str
    intervention_id: int
    need: str
    text: str
    agency: str
    owner: str
    due_date: dt.date
    status: str
    days_overdue: int


@dataclass(frozen=True)
class ReviewDue:
    """A review date within the window, or one that has passed with no new date set."""

    conference_id: int
    conference_title: str
    review_date: dt.date
    days_until: int  # negative: the date has passed
    status: str


@dataclass(frozen=True)
class MissingReviewDate:
    conference_id: int
    conference_title: str
    status: str
    conference_date: dt.date | None


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    overdue_actions: tuple[OverdueAction, ...] = field(default_factory=tuple)
    reviews_due: tuple[ReviewDue, ...] = field(default_factory=tuple)
    no_review_date: tuple[MissingReviewDate, ...] = field(default_factory=tuple)
    due_for_deletion: tuple[DeletionDue, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_actions or self.reviews_due or self.no_review_date or self.due_for_deletion
        )


@dataclass(frozen=True)
class ConferenceFlags:
    """What the conference list shows beside each conference's own details."""

    overdue: int = 0
    deletion_due_on: dt.date | None = None
    retention: str = ""  # "Due for deletion 5 Mar 2029", "Legal hold"... empty when not closed
    deletion_due_now: bool = False


def _open():
    return and_(Conference.status != "closed", Conference.archived.is_(False))


def _overdue_condition(today: dt.date):
    return and_(
        Intervention.due_date.is_not(None),
        Intervention.due_date < today,
        Intervention.status.not_in(sorted(CLOSED_STATUSES)),
    )


def overdue_actions(db: Database, today: dt.date) -> list[OverdueAction]:
    """Actions of open conferences past their due date and neither done nor abandoned,
    the longest overdue first."""
    query = (
        select(Intervention, Need.text, Conference.id, Conference.title)
        .join(Need, Need.id == Intervention.need_id)
        .join(Conference, Conference.id == Need.conference_id)
        .where(_open(), _overdue_condition(today))
        .order_by(Intervention.due_date, Conference.title, Need.position, Intervention.position)
    )
    with db.read_session() as s:
        return [
            OverdueAction(
                conference_id=cid,
                conference_title=title,
                intervention_id=action.id,
                need=need,
                text=action.text,
                agency=action.agency,
                owner=action.owner,
                due_date=action.due_date,
                status=action.status,
                days_overdue=(today - action.due_date).days,
            )
            for action, need, cid, title in s.execute(query)
            if action.due_date is not None  # the query asks for due dates only
        ]


def reviews_due(db: Database, today: dt.date, days: int = REVIEW_WINDOW_DAYS) -> list[ReviewDue]:
    """Open conferences whose next review is within `days`, or has passed (a review that was
    never held), soonest first."""
    horizon = today + dt.timedelta(days=days)
    # The earliest review not held that is dated on or before the horizon: when there is one,
    # it is the next review (core.key_meetings: the earliest dated review not held).
    when = (
        select(Meeting.conference_id, func.min(Meeting.date).label("review_date"))
        .where(waiting_review_sql(), Meeting.date.is_not(None), Meeting.date <= horizon)
        .group_by(Meeting.conference_id)
        .subquery()
    )
    query = select(Conference.id, Conference.title, when.c.review_date, Conference.status).join(
        when, when.c.conference_id == Conference.id
    )
    with db.read_session() as s:
        rows = s.execute(query.where(_open())).all()
    due = [
        ReviewDue(cid, title, review_date, (review_date - today).days, status)
        for cid, title, review_date, status in rows
    ]
    return sorted(due, key=lambda r: (r.review_date, r.conference_title))


def conferences_without_review_date(db: Database, today: dt.date) -> list[MissingReviewDate]:
    """Open conferences that have met (by status, or a conference date today or earlier)
    but have no next review date. Ones still at referral or assessment are not listed:
    they are not expected to have one yet."""
    with_review_date = select(Meeting.conference_id).where(
        waiting_review_sql(), Meeting.date.is_not(None)
    )
    # Conferences with a conference meeting dated today or earlier, found in one pass over the
    # meetings; whether it is *the* conference meeting is checked for those only.
    dated = conference_date_sql(Conference.id)
    met_by_date = and_(
        Conference.id.in_(
            select(Meeting.conference_id).where(Meeting.kind == "conference", Meeting.date <= today)
        ),
        dated <= today,
    )
    query = select(
        Conference.id,
        Conference.title,
        Conference.status,
        dated.label("conference_date"),
    ).where(
        _open(),
        or_(Conference.status.in_(sorted(REVIEWED_STATUSES)), met_by_date),
        Conference.id.not_in(with_review_date),
    )
    with db.read_session() as s:
        missing = [MissingReviewDate(*row) for row in s.execute(query)]
    return sorted(missing, key=lambda m: (m.conference_date or dt.date.max, m.conference_title))


def build_dashboard(db: Database, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    return Dashboard(
        today=today,
        overdue_actions=tuple(overdue_actions(db, today)),
        reviews_due=tuple(reviews_due(db, today)),
        no_review_date=tuple(conferences_without_review_date(db, today)),
        due_for_deletion=tuple(due_for_deletion(db, today)),
    )


def overdue_counts(db: ReadsRows, today: dt.date) -> dict[int, int]:
    """Overdue actions per conference (closed conferences have none); absent means 0."""
    query = (
        select(Need.conference_id, func.count(Intervention.id))
        .join(Need, Need.id == Intervention.need_id)
        .join(Conference, Conference.id == Need.conference_id)
        .where(Conference.status != "closed", _overdue_condition(today))
        .group_by(Need.conference_id)
    )
    with db.read_session() as s:
        return {cid: count for cid, count in s.execute(query)}


def conference_flags(db: Database, today: dt.date) -> dict[int, ConferenceFlags]:
    """For the conference list: overdue counts, and the retention state of closed ones."""
    counts = overdue_counts(db, today)
    months = retention_months(db)
    query = select(
        Conference.id, Conference.status, Conference.closed_on, Conference.legal_hold
    ).where(Conference.status == "closed")
    with db.read_session() as s:
        closed = s.execute(query).all()
    flags = {cid: ConferenceFlags(overdue=count) for cid, count in counts.items()}
    for row in closed:
        due = deletion_due_on(row, months)
        flags[row.id] = ConferenceFlags(
            overdue=counts.get(row.id, 0),
            deletion_due_on=due,
            retention=retention_note(row, months),
            deletion_due_now=due is not None and due <= today,
        )
    return flags
