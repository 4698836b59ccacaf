"""What the minutes of a meeting say, read in one go: which meeting (the one rule in
core.key_meetings), who came, the agenda, the meeting's board and the actions of the plan.

Referrals are never read: they are private to the coordinator and not discussed at the
conference. Nothing here imports python-docx (export/minutes.py lays the data out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord, board_tree_in
from csfacilitator.core.dissent import list_dissent_in
from csfacilitator.core.key_meetings import key_dates, meeting_in_focus
from csfacilitator.core.model import Meeting
from csfacilitator.core.papers.meeting_names import meeting_name, meeting_order
from csfacilitator.core.papers.meeting_paper import AgendaLine
from csfacilitator.core.papers.reading import (
    attendance_at,
    meeting_among,
    meetings_in,
    overdue,
    plan_in,
)
from csfacilitator.core.plan import Attendee as _Attendee
from csfacilitator.core.rows import conference_in
from csfacilitator.errors import ExportError
from csfacilitator.storage.database import Database

#: Who came (name, organisation, role), as the plan's header and the review record name them.
Attendee = _Attendee
#: An agenda item and who leads it, as the papers before the meeting give it.
AgendaEntry = AgendaLine


@dataclass(frozen=True)
class AgreedAction:
    """One action of the plan as it stands: what the minutes' "Actions agreed" lists."""

    text: str
    agency: str = ""
    owner: str = ""
    timescale: str = ""
    due_date: dt.date | None = None
    status: str = "not_started"  # vocab.ACTION_STATUSES key

    def overdue_on(self, day: dt.date) -> bool:
        return overdue(self.due_date, self.status, day)


@dataclass(frozen=True)
class NeedActions:
    text: str
    actions: tuple[AgreedAction, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DissentNote:
    """A partner's disagreement with a decision (core/dissent.py), as the minutes print it."""

    who: str  # "Sam Patel (Riverside Housing)"
    about: str  # the decision and/or the agenda item
    statement: str


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes of one meeting show, and nothing else."""

    conference_id: int
    meeting_id: int
    title: str
    context_type: str  # the label, e.g. "Neighbourhood / public space"
    context_name: str
    area: str
    meeting_kind: str  # the label, e.g. "Conference"
    date: dt.date | None
    time: dt.time | None
    venue: str
    chair: str
    lead_practitioner: str
    coordinators: tuple[str, ...]
    present: tuple[Attendee, ...]
    apologies: tuple[Attendee, ...]
    agenda: tuple[AgendaEntry, ...]
    board: Mapping[str, tuple[PointRecord, ...]]  # column key -> top-level points
    next_review_date: dt.date | None
    meeting_name: str = ""  # "Conference", "Review 2"; the kind's label when empty
    plan: tuple[NeedActions, ...] = field(default_factory=tuple)  # every action, as it stands
    today: dt.date | None = None  # the day the plan was read (for "as it stands on ...")
    dissent: tuple[DissentNote, ...] = field(default_factory=tuple)  # issue 20
    related: tuple[str, ...] = ()  # issue 20: related conferences, "Title (reason)"

    @property
    def point_count(self) -> int:
        def count(points: tuple[PointRecord, ...]) -> int:
            return sum(1 + count(p.children) for p in points)

        return sum(count(points) for points in self.board.values())

    @property
    def name(self) -> str:
        return self.meeting_name or self.meeting_kind


def _pick_meeting(meetings: list[Meeting], meeting_id: int | None) -> Meeting:
    if meeting_id is not None:
        return meeting_among(meetings, meeting_id)
    raise ExportError("This conference has no meetings, so there are no minutes to export.")


def _next_review(s, conference_id: int, meetings: list[Meeting], meeting: Meeting):
    """The conference's next review (core.key_meetings); when that is this very meeting, the
    review scheduled after it, if any."""
    key = key_dates(s, conference_id)
    if key.next_review_id != meeting.id:
        return key.next_review_date
    later = [
        m.date
        for m in meetings
        if m.kind == "review" and m.date is not None and meeting_order(m) > meeting_order(meeting)
    ]
    return min(later, default=None)


def read_plan(s, conference_id: int) -> tuple[NeedActions, ...]:
    """Every need of the plan in order, each with its actions in order (inside a session)."""
    return tuple(
        NeedActions(
            need.text,
            tuple(
                AgreedAction(
                    text=i.text,
                    agency=i.agency,
                    owner=i.owner,
                    timescale=i.timescale,
                    due_date=i.due_date,
                    status=i.status,
                )
                for i in actions
            ),
        )
        for need, actions in plan_in(s, conference_id)
    )


def gather(
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> MinutesData:
    """What the minutes of a meeting (default: the meeting in focus) will contain."""
    today = today or dt.date.today()
    with db.session() as s:
        conference = conference_in(s, conference_id)
        meetings = meetings_in(s, conference_id)
        if meeting_id is None:
            meeting_id = meeting_in_focus(s, conference_id, today)
        meeting = _pick_meeting(meetings, meeting_id)
        present, apologies = attendance_at(s, conference_id, meeting.id)
        data = dict(
            conference_id=conference.id,
            meeting_id=meeting.id,
            title=conference.title,
            context_type=vocab.label(vocab.CONTEXT_TYPES, conference.context_type),
            context_name=conference.context_name,
            area=conference.area,
            meeting_kind=vocab.label(vocab.MEETING_KINDS, meeting.kind),
            meeting_name=meeting_name(meetings, meeting),
            date=meeting.date,
            time=meeting.time,
            venue=meeting.venue,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            coordinators=tuple(
                c for c in (conference.coordinator_1, conference.coordinator_2) if c
            ),
            present=present,
            apologies=apologies,
            agenda=tuple(AgendaLine(a.title, a.lead) for a in meeting.agenda),
            next_review_date=_next_review(s, conference_id, meetings, meeting),
            plan=read_plan(s, conference_id),
            today=today,
            dissent=tuple(  # issue 20: disagreement recorded at this meeting
                DissentNote(d.who, d.about, d.statement) for d in list_dissent_in(s, meeting.id)
            ),
            board=board_tree_in(s, meeting.id),
        )
    from csfacilitator.core.related import related_lines  # issue 20

    return MinutesData(**data, related=related_lines(db, conference_id))
