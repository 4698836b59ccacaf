"""Plain, immutable copies of stored rows: what operations return and widgets display."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConferenceSummary:
    id: int
    title: str
    context_type: str
    context_name: str
    area: str
    status: str
    archived: bool
    updated_at: dt.datetime
    # Read from the meetings that own them (core/key_meetings.py).
    conference_date: dt.date | None = None
    next_review_date: dt.date | None = None


@dataclass(frozen=True)
class ConferenceDetails:
    id: int
    uid: str
    title: str
    status: str
    archived: bool
    context_type: str
    context_name: str
    area: str
    referral_source: str
    referral_date: dt.date | None
    threshold: str
    threshold_rationale: str
    chair: str
    lead_practitioner: str
    coordinator_1: str
    coordinator_2: str
    place_manager: str
    assessment_period: str
    report_structure: str
    names_to_keep_out: str
    created_at: dt.datetime
    updated_at: dt.datetime
    invitation_template: str = ""
    closed_on: dt.date | None = None
    outcome_summary: str = ""
    outcome_measures: str = ""
    partner_feedback: str = ""
    legal_hold: bool = False
    notes: str = ""
    coordinator_contact: str = ""
    # Read from the meetings that own them (core/key_meetings.py), never stored twice.
    venue: str = ""
    conference_time: dt.time | None = None
    pre_meeting_date: dt.date | None = None
    conference_date: dt.date | None = None
    next_review_date: dt.date | None = None


@dataclass(frozen=True)
class AgendaItemRecord:
    id: int
    meeting_id: int
    position: int
    title: str
    lead: str
    started_at: dt.datetime | None = None


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    conference_id: int
    kind: str
    date: dt.date | None
    time: dt.time | None
    venue: str
    started_at: dt.datetime | None = None
    current_item_id: int | None = None
    purpose: str = ""
    decisions: str = ""
    agenda: tuple[AgendaItemRecord, ...] = field(default_factory=tuple)
