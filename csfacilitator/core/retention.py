"""When a closed conference is due for deletion under the retention period.

The app only *shows* what is due: deleting stays the coordinator's decision and action. A
conference counts as closed when its status is Closed and it has a closing date; the period
runs from that date. A legal hold, or a period of 0 months, means never due.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from csfacilitator.core.dates import format_date
from csfacilitator.core.model import Conference
from csfacilitator.core.preferences import RETENTION_MONTHS, get_preference
from csfacilitator.storage.database import Database


class _Closable(Protocol):
    status: str
    closed_on: dt.date | None
    legal_hold: bool


@dataclass(frozen=True)
class DeletionDue:
    """A closed conference whose retention period has run out."""

    conference_id: int
    title: str
    closed_on: dt.date
    due_on: dt.date
    archived: bool


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def is_closed(details: _Closable) -> bool:
    return details.status == "closed"


def deletion_due_on(details: _Closable, months: int) -> dt.date | None:
    """closed_on + months; None when not closed, without a closing date, on legal hold, or
    when the retention period is 0 (keep for ever)."""
    if months <= 0 or details.legal_hold or not is_closed(details) or details.closed_on is None:
        return None
    return add_months(details.closed_on, months)


def retention_note(details: _Closable, months: int) -> str:
    """One phrase for the conference list and the Overview tab; empty when not closed."""
    if not is_closed(details):
        return ""
    if details.legal_hold:
        return "Legal hold"
    if months <= 0:
        return "Kept (no retention period)"
    if details.closed_on is None:
        return "No closing date"
    return f"Due for deletion {format_date(add_months(details.closed_on, months))}"


def retention_months(db: Database) -> int:
    return get_preference(db, RETENTION_MONTHS)


def due_for_deletion(db: Database, today: dt.date, months: int | None = None) -> list[DeletionDue]:
    """Closed conferences (archived ones too) due for deletion on or before `today`, oldest
    first. `months` defaults to the retention preference."""
    if months is None:
        months = retention_months(db)
    if months <= 0:
        return []
    query = select(
        Conference.id,
        Conference.title,
        Conference.status,
        Conference.closed_on,
        Conference.legal_hold,
        Conference.archived,
    ).where(
        Conference.status == "closed",
        Conference.closed_on.is_not(None),
        Conference.legal_hold.is_(False),
    )
    found = []
    with db.read_session() as s:
        rows = s.execute(query).all()
    for row in rows:
        due = deletion_due_on(row, months)
        if due is not None and due <= today:
            found.append(DeletionDue(row.id, row.title, row.closed_on, due, row.archived))
    return sorted(found, key=lambda d: (d.due_on, d.title.casefold(), d.conference_id))
