"""What the lead practitioner's assessment report says, read from the record: who referred the
context and when, who manages the place, the sections of the chosen structure, other notes, the
context weighting, the priorities and the threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csfacilitator.core import vocab
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class ReportSection:
    heading: str
    body: str


@dataclass(frozen=True)
class ReportPriority:
    text: str
    focus: bool


@dataclass(frozen=True)
class ReportData:
    """Everything the assessment report shows, and nothing else."""

    conference_id: int
    title: str
    context_type: str  # label
    context_name: str
    area: str
    lead_practitioner: str
    chair: str
    assessment_period: str
    conference_date: dt.date | None
    structure: str  # label, e.g. "Thematic"
    sections: tuple[ReportSection, ...]
    other_notes: tuple[ReportSection, ...]
    weighting: Any  # core.weighting.Weighting, or None when none has been drawn
    priorities: tuple[ReportPriority, ...]
    threshold: str  # label; "Not set" when empty
    threshold_rationale: str
    referral_source: str = ""
    referral_date: dt.date | None = None
    place_manager: str = ""
    related: tuple[str, ...] = ()  # issue 20: related conferences, "Title (reason)"
    safety_map: Any = None  # issue 19: core.safety_map.SafetyMapView, or None with no map


def gather(db: Database, conference_id: int, meeting_id: int | None = None) -> ReportData:
    """The report's data (`meeting_id` is not used: the report is about the conference)."""
    from csfacilitator.core.assessment import get_report
    from csfacilitator.core.conferences import get_conference
    from csfacilitator.core.priorities import list_priorities
    from csfacilitator.core.weighting import get_weighting, has_weighting

    details = get_conference(db, conference_id)
    report = get_report(db, conference_id)
    from csfacilitator.core.related import related_lines  # issue 20
    from csfacilitator.core.safety_map import get_safety_map, has_safety_map  # issue 19

    return ReportData(
        related=related_lines(db, conference_id),
        safety_map=(
            get_safety_map(db, conference_id) if has_safety_map(db, conference_id) else None
        ),
        conference_id=conference_id,
        title=details.title,
        context_type=vocab.label(vocab.CONTEXT_TYPES, details.context_type),
        context_name=details.context_name,
        area=details.area,
        lead_practitioner=details.lead_practitioner,
        chair=details.chair,
        assessment_period=details.assessment_period,
        conference_date=details.conference_date,
        structure=vocab.label(vocab.REPORT_STRUCTURES, report.structure),
        sections=tuple(ReportSection(s.heading, s.body) for s in report.sections),
        other_notes=tuple(ReportSection(s.heading, s.body) for s in report.other_notes),
        weighting=get_weighting(db, conference_id) if has_weighting(db, conference_id) else None,
        priorities=tuple(
            ReportPriority(p.text, bool(p.focus))
            for p in list_priorities(db, conference_id)
            if p.text.strip()
        ),
        threshold=vocab.label(vocab.THRESHOLDS, details.threshold),
        threshold_rationale=details.threshold_rationale,
        referral_source=details.referral_source,
        referral_date=details.referral_date,
        place_manager=details.place_manager,
    )
