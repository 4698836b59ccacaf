"""What the DPIA starter holds: the facts about the processing the app itself knows — what is
stored (from the models), where and whether it is encrypted, backups, retention, whether a
team store is set up, and who documents were shared with (from the sharing record) — leaving
the judgements to the data protection officer."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from csfacilitator.storage.database import Database

#: Categories of data, each with the tables that hold it (core/model.py; a test keeps every
#: table with text in one of them).
CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "The context and the conference",
        "the place or group of concern, its area, other names and map reference, links to related "
        "conferences, referral source, chair, lead practitioner and coordinators, threshold and "
        "rationale, notes",
        ("conference", "context_entry", "conference_link"),
    ),
    (
        "Meetings and what was said",
        "dates, venues, agendas, the live notes under the four headings, decisions, recorded "
        "disagreements",
        ("meeting", "agenda_item", "board_point", "dissent"),
    ),
    (
        "Referrals of individual young people",
        "team and case reference only: names are kept out by design",
        ("referral",),
    ),
    (
        "The context assessment",
        "report sections, priorities, the context weighting and the safety map (a picture of "
        "the area, and where groups feel safe or unsafe, with their notes)",
        (
            "assessment_section",
            "priority",
            "context_weighting",
            "safety_map",
            "safety_map_session",
            "safety_mark",
        ),
    ),
    (
        "Partners (invitees)",
        "name, organisation, job title, email, phone, attendance and preparation",
        ("invitee", "attendance"),
    ),
    (
        "The intervention plan and outcomes",
        "needs, actions with owners and due dates, progress updates, goals and measures, "
        "young people's voices (their words, no names)",
        (
            "need",
            "intervention",
            "action_update",
            "outcome_goal",
            "outcome_measure",
            "measure_value",
            "young_voice",
        ),
    ),
    (
        "Working records",
        "text being typed, the information-sharing record, settings and changes waiting for the "
        "team store",
        (
            "draft",
            "export_log",
            "setting",
            "change_log",
            "sync_state",
            "sync_share",
            "sync_conflict",
            "team_change",
        ),
    ),
)

DPO_HEADINGS: tuple[tuple[str, str], ...] = (
    ("Purpose and lawful basis", "Why this processing is needed and under which basis."),
    ("Necessity and proportionality", "Could less be recorded? Is each category needed?"),
    (
        "Risks to individuals",
        "Likelihood and severity of harm to young people, families and partners.",
    ),
    ("Measures to reduce risk", "What is done, and what more is needed."),
    ("Consultation", "Who was consulted: practitioners, young people, partners."),
    ("Sign-off", "Data protection officer's advice, decision and date; review date."),
)


@dataclass(frozen=True)
class DpiaPaper:
    title: str  # the conference the starter was made from
    made_on: dt.date
    categories: tuple[tuple[str, str, tuple[str, ...]], ...]
    data_folder: str
    database_file: str
    encrypted: bool
    backups_folder: str
    backup_minutes: int
    retention_months: int
    team_store: str | None
    conferences_stored: int
    shared_with: tuple[tuple[str, str, int], ...]  # (who, basis, times), most often first
    not_recorded: int
    dpo_headings: tuple[tuple[str, str], ...] = DPO_HEADINGS


def gather(db: Database, conference_id: int | None, meeting_id: int | None = None) -> DpiaPaper:
    """The starter for the whole data folder; `conference_id` names the conference it was made
    from, and its sharing record is the one summarised (None: every conference's)."""
    from sqlalchemy import func, select

    from csfacilitator.core.export_log import basis_label, list_exports
    from csfacilitator.core.model import Conference
    from csfacilitator.core.preferences import BACKUP_MINUTES, RETENTION_MONTHS, get_preference
    from csfacilitator.storage.team_store import stored_team_url

    title = "All conferences"
    if conference_id is not None:
        from csfacilitator.core.conferences import get_conference

        title = get_conference(db, conference_id).title or "Untitled conference"
    with db.session() as s:
        count = s.scalar(select(func.count()).select_from(Conference)) or 0
    entries = list_exports(db, conference_id)
    shares = Counter(
        (entry.shared_with, basis_label(entry.basis)) for entry in entries if entry.basis
    )
    return DpiaPaper(
        title=title,
        made_on=dt.date.today(),
        categories=CATEGORIES,
        data_folder=str(db.paths.root),
        database_file=str(db.paths.database),
        encrypted=db.encrypted,
        backups_folder=str(db.paths.backups),
        backup_minutes=get_preference(db, BACKUP_MINUTES),
        retention_months=get_preference(db, RETENTION_MONTHS),
        team_store=stored_team_url(db),
        conferences_stored=count,
        shared_with=tuple(
            (who, basis, times)
            for (who, basis), times in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        not_recorded=sum(1 for entry in entries if not entry.basis),
    )
