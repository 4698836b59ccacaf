"""What the papers sent out before a meeting (agenda, invitation letters, sign-in sheet) say
about it, read in one go: which meeting (the one rule in core.key_meetings), its date, time and
venue as the meeting stores them, who is expected, and the coordinators' contact details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.key_meetings import meeting_in_focus
from csfacilitator.core.meetings import KIND_ORDER, place_of, purpose_text
from csfacilitator.core.model import Invitee
from csfacilitator.core.papers.reading import meeting_among, meetings_in
from csfacilitator.core.rows import conference_in
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import ExportError
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class AgendaLine:
    title: str
    lead: str


@dataclass(frozen=True)
class PaperInvitee:
    name: str
    organisation: str
    role: str
    status: str  # vocab.INVITEE_STATUSES key
    job_title: str = ""


@dataclass(frozen=True)
class MeetingPaper:
    """Everything the agenda, the letters and the sign-in sheet say about one meeting."""

    conference_id: int
    meeting_id: int
    title: str
    context_type: str  # the label, e.g. "Neighbourhood / public space"
    context_name: str
    area: str
    kind: str  # vocab.MEETING_KINDS key
    date: dt.date | None
    time: dt.time | None
    venue: str
    purpose: str  # as typed; may be empty (see purpose_text)
    chair: str
    lead_practitioner: str
    coordinators: tuple[str, ...]
    agenda: tuple[AgendaLine, ...]
    invitees: tuple[PaperInvitee, ...]  # everyone on the list except those who declined
    declined: int
    invitation_template: str
    coordinator_contact: str = ""  # phone / e-mail the letters give for replies

    @property
    def kind_label(self) -> str:
        return vocab.label(vocab.MEETING_KINDS, self.kind)

    @property
    def meeting_name(self) -> str:
        """'Conference', 'Review meeting', 'Pre-meeting': how the papers name the meeting."""
        return "Review meeting" if self.kind == "review" else self.kind_label

    @property
    def place(self) -> str:
        """The context in a few words: its name, else the conference title."""
        return place_of(self.context_name, self.title)

    @property
    def context_line(self) -> str:
        return context_line(self.context_type, self.context_name, self.area)

    @property
    def purpose_text(self) -> str:
        return purpose_text(self.purpose, self.kind, self.place)

    @property
    def coordinator_names(self) -> str:
        return " and ".join(clean_text(c, multiline=False) for c in self.coordinators)

    def lead_of(self, item: AgendaLine) -> str:
        """Who leads an item, with the person's name when it names a role: 'Chair (Ann Lee)'."""
        lead = clean_text(item.lead, multiline=False)
        person = {
            "chair": self.chair,
            "independent chair": self.chair,
            "lead practitioner": self.lead_practitioner,
            "coordinator": self.coordinator_names,
            "coordinators": self.coordinator_names,
        }.get(lead.casefold(), "")
        person = clean_text(person, multiline=False)
        return f"{lead} ({person})" if person else lead


def context_line(context_type: str, name: str, area: str) -> str:
    """'Wrenmoor Park, Saltmarsh ward (Neighbourhood / public space)'."""
    place = ", ".join(
        part
        for part in (clean_text(name, multiline=False), clean_text(area, multiline=False))
        if part
    )
    return f"{place} ({context_type})" if place else context_type


def pick_meeting(
    meetings: Sequence[Any], meeting_id: int | None, today: dt.date | None = None
) -> Any:
    """The meeting asked for. Without an id (only when the conference has no meeting in focus,
    see core.key_meetings.meeting_in_focus): the next conference or review still to come (or
    undated), else the latest one held. Pre-meetings are only used when asked for by id."""
    if meeting_id is not None:
        return meeting_among(meetings, meeting_id)
    if not meetings:
        raise ExportError("This conference has no meetings yet. Add one on the Overview tab first.")
    today = today or dt.date.today()
    main = [m for m in meetings if m.kind != "pre_meeting"] or list(meetings)
    coming = [m for m in main if m.date is None or m.date >= today]
    if coming:
        return min(coming, key=lambda m: (m.date or dt.date.max, KIND_ORDER.get(m.kind, 9), m.id))
    return max(main, key=lambda m: (m.date, KIND_ORDER.get(m.kind, 9), m.id))


def gather(
    db: Database, conference_id: int, meeting_id: int | None = None, today: dt.date | None = None
) -> MeetingPaper:
    """One read of the conference, the meeting (by default the one in focus) and the invite
    list: what the agenda, the invitation letters and the sign-in sheet are built from."""
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        meetings = meetings_in(s, conference_id)
        if meeting_id is None and meetings:
            meeting_id = meeting_in_focus(s, conference_id, today)
        meeting = pick_meeting(meetings, meeting_id, today)
        rows = list(
            s.scalars(
                select(Invitee)
                .where(Invitee.conference_id == conference_id)
                .order_by(Invitee.position, Invitee.id)
            )
        )
        return MeetingPaper(
            conference_id=conference.id,
            meeting_id=meeting.id,
            title=conference.title,
            context_type=vocab.label(vocab.CONTEXT_TYPES, conference.context_type),
            context_name=conference.context_name,
            area=conference.area,
            kind=meeting.kind,
            date=meeting.date,
            time=meeting.time,
            venue=meeting.venue,
            purpose=meeting.purpose,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            coordinators=tuple(
                c for c in (conference.coordinator_1, conference.coordinator_2) if c.strip()
            ),
            agenda=tuple(AgendaLine(a.title, a.lead) for a in meeting.agenda),
            invitees=tuple(
                PaperInvitee(r.name, r.organisation, r.role, r.status, r.job_title)
                for r in rows
                if r.status != "declined"
            ),
            declined=sum(1 for r in rows if r.status == "declined"),
            invitation_template=conference.invitation_template,
            coordinator_contact=conference.coordinator_contact,
        )
