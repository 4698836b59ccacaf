"""Closing a conference once the context is safer: when, what changed, what partners measured
and what they said. The outcome can be saved before closing and edited afterwards; reopening
keeps every word of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csfacilitator.core.conferences import get_conference, update_conference
from csfacilitator.core.dates import as_date
from csfacilitator.storage.database import Database

CLOSED_STATUS = "closed"
#: The status a reopened conference goes back to.
REOPENED_STATUS = "under_review"


@dataclass(frozen=True)
class Outcome:
    closed_on: dt.date | None
    #: What changed in the context.
    summary: str
    #: Measures the partners tracked, e.g. police calls about anti-social behaviour before/after.
    measures: str
    #: What the partners said.
    feedback: str
    status: str

    @property
    def is_closed(self) -> bool:
        return self.status == CLOSED_STATUS

    @property
    def is_empty(self) -> bool:
        return not (self.summary or self.measures or self.feedback)


def get_outcome(db: Database, conference_id: int) -> Outcome:
    details = get_conference(db, conference_id)
    return Outcome(
        closed_on=details.closed_on,
        summary=details.outcome_summary,
        measures=details.outcome_measures,
        feedback=details.partner_feedback,
        status=details.status,
    )


def save_outcome(
    db: Database, conference_id: int, *, summary: str, measures: str, feedback: str
) -> Outcome:
    """Keep the outcome text without closing (or after closing, to correct it)."""
    update_conference(
        db,
        conference_id,
        outcome_summary=summary,
        outcome_measures=measures,
        partner_feedback=feedback,
    )
    return get_outcome(db, conference_id)


def close_conference(
    db: Database,
    conference_id: int,
    *,
    closed_on: dt.date | str | None = None,
    summary: str = "",
    measures: str = "",
    feedback: str = "",
) -> Outcome:
    """Record the outcome and mark the conference closed on `closed_on` (default today)."""
    day = as_date(closed_on) or dt.date.today()
    update_conference(
        db,
        conference_id,
        closed_on=day,
        outcome_summary=summary,
        outcome_measures=measures,
        partner_feedback=feedback,
        status=CLOSED_STATUS,
    )
    return get_outcome(db, conference_id)


def reopen_conference(db: Database, conference_id: int) -> Outcome:
    """Back under review; the closing date is cleared, the outcome text is kept."""
    update_conference(db, conference_id, status=REOPENED_STATUS, closed_on=None)
    return get_outcome(db, conference_id)
