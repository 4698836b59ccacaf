"""What the papers sent out before a meeting share: which meeting they are for, the facts
about it read in one go, a default purpose in plain words, and the opening of each document.

Reading (`gather_meeting_paper`) never imports python-docx; the document helpers below import
`docx_base` only when a document is actually built.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.meetings import KIND_ORDER
from csfacilitator.core.model import Conference, Invitee, Meeting
from csfacilitator.core.textclean import clean_text, safe_file_stem
from csfacilitator.errors import ExportError, NotFound
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document

CONFIDENTIAL_LINE = (
    "This meeting is confidential. What is said there is shared only under the "
    "information-sharing agreement, and it is about the place, not about individual young "
    "people or families."
)


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

    @property
    def kind_label(self) -> str:
        return vocab.label(vocab.MEETING_KINDS, self.kind)

    @property
    def place(self) -> str:
        """The context in a few words: its name, else the conference title."""
        return clean_text(self.context_name, multiline=False) or clean_text(
            self.title, multiline=False
        )

    @property
    def context_line(self) -> str:
        return context_line(self.context_type, self.context_name, self.area)

    @property
    def purpose_text(self) -> str:
        return clean_text(self.purpose) or default_purpose(self.kind, self.place)

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


def default_purpose(kind: str, place: str = "") -> str:
    """What a meeting of this kind is for, in plain words, when the coordinator wrote nothing."""
    where = place or "the context"
    if kind == "review":
        return (
            f"To look at how each action agreed for {where} is going, hear what has changed "
            "there, and agree what happens next: further actions, a new review date, or "
            "closing the case because the context is now safer."
        )
    if kind == "pre_meeting":
        return (
            f"To prepare the conference about {where}: go through the assessment, agree who is "
            "invited and who will meet each person beforehand, and settle the agenda."
        )
    return (
        f"To bring together everyone who can help make {where} safer for young people, share "
        "what the assessment found, and agree a plan of practical actions that change the "
        "place, not the young people who spend time there."
    )


# --- choosing and reading the meeting --------------------------------------------------------


def pick_meeting(
    meetings: Sequence[Any], meeting_id: int | None, today: dt.date | None = None
) -> Any:
    """The meeting asked for; by default the next conference or review still to come (or
    undated), else the latest one held. Pre-meetings are only used when asked for by id."""
    if meeting_id is not None:
        for meeting in meetings:
            if meeting.id == meeting_id:
                return meeting
        raise NotFound("That meeting does not belong to this conference.")
    if not meetings:
        raise ExportError("This conference has no meetings yet. Add one on the Overview tab first.")
    today = today or dt.date.today()
    main = [m for m in meetings if m.kind != "pre_meeting"] or list(meetings)
    coming = [m for m in main if m.date is None or m.date >= today]
    if coming:
        return min(coming, key=lambda m: (m.date or dt.date.max, KIND_ORDER.get(m.kind, 9), m.id))
    return max(main, key=lambda m: (m.date, KIND_ORDER.get(m.kind, 9), m.id))


def gather_meeting_paper(
    db: Database, conference_id: int, meeting_id: int | None = None, today: dt.date | None = None
) -> MeetingPaper:
    """One read of the conference, the meeting (see pick_meeting) and the invite list."""
    with db.session() as s:
        conference = s.get(Conference, conference_id)
        if conference is None:
            raise NotFound(f"There is no conference with id {conference_id}.")
        meetings = list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
        meeting = pick_meeting(meetings, meeting_id, today)
        rows = list(
            s.scalars(
                select(Invitee)
                .where(Invitee.conference_id == conference_id)
                .order_by(Invitee.position, Invitee.id)
            )
        )
        date = meeting.date
        if date is None and meeting.kind == "conference":
            date = conference.conference_date
        return MeetingPaper(
            conference_id=conference.id,
            meeting_id=meeting.id,
            title=conference.title,
            context_type=vocab.label(vocab.CONTEXT_TYPES, conference.context_type),
            context_name=conference.context_name,
            area=conference.area,
            kind=meeting.kind,
            date=date,
            time=meeting.time,
            venue=meeting.venue or conference.venue,
            purpose=meeting.purpose,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            coordinators=tuple(
                c for c in (conference.coordinator_1, conference.coordinator_2) if c.strip()
            ),
            agenda=tuple(AgendaLine(a.title, a.lead) for a in meeting.agenda),
            invitees=tuple(
                PaperInvitee(r.name, r.organisation, r.role, r.status)
                for r in rows
                if r.status != "declined"
            ),
            declined=sum(1 for r in rows if r.status == "declined"),
            invitation_template=conference.invitation_template,
        )


# --- files -----------------------------------------------------------------------------------


def suggested_filename(kind: str, title: str, date: dt.date | None = None) -> str:
    """'Agenda - Wrenmoor Park - 2026-11-05.docx', safe on Windows, macOS and Linux."""
    parts = [kind, safe_file_stem(title)]
    if date is not None:
        parts.append(date.isoformat())
    return " - ".join(parts) + ".docx"


def docx_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".docx":
        target = target.with_name(target.name + ".docx")
    return target


def save_document(doc: Document, path: str | os.PathLike[str]) -> Path:
    """Save atomically (see docx_base.save_atomic), adding '.docx' if it is missing."""
    from csfacilitator.export.docx_base import save_atomic

    return save_atomic(doc, docx_target(path))


# --- document pieces -------------------------------------------------------------------------


def add_details(doc: Document, pairs: Iterable[tuple[str, object]], *, columns: int = 2) -> Any:
    """A shaded label / value grid (two pairs a row by default); empty values say so."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    pairs = list(pairs)
    width = b.content_width(doc.sections[0])
    label_w = Mm(30)
    value_w = (width - columns * label_w) // columns
    widths = [label_w, value_w] * columns
    widths[-1] = width - sum(widths[:-1])
    table = b.add_table(doc, None, [], widths, style=doc.styles["Table Grid"])
    for start in range(0, len(pairs), columns):
        cells = table.add_row().cells
        chunk = pairs[start : start + columns]
        for index in range(columns):
            label, value = chunk[index] if index < len(chunk) else ("", "")
            label_cell, value_cell = cells[2 * index], cells[2 * index + 1]
            b.add_paragraph(label_cell, label, bold=True)
            b.shade(label_cell, b.LABEL_FILL)
            text = clean_text(value)
            if text or not label:
                b.add_paragraph(value_cell, text)
            else:
                b.add_paragraph(value_cell, "Not recorded", italic=True, colour=b.MUTED_COLOUR)
    return table


def add_lines(doc_or_cell: Any, text: object, styles: Sequence[Any]) -> int:
    """Text as the app stores it: one paragraph per line; lines starting '• ' (two spaces of
    indent per sub-level) become list bullets at that level. Returns paragraphs added."""
    from csfacilitator.export import docx_base as b

    count = 0
    for line in clean_text(text).split("\n"):
        if not line.strip():
            continue
        stripped = line.lstrip(" ")
        if stripped.startswith("\u2022"):
            level = 1 + (len(line) - len(stripped)) // 2
            b.add_bullet(doc_or_cell, stripped[1:].strip(), level, styles)
        else:
            b.add_paragraph(doc_or_cell, line.strip())
        count += 1
    return count


def add_note(doc: Document, text: str) -> Any:
    """A small muted paragraph: confidentiality and privacy lines."""
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    paragraph = b.add_paragraph(
        doc, text, italic=True, size=b.SMALL_PT + 0.5, colour=b.MUTED_COLOUR
    )
    paragraph.paragraph_format.space_before = Pt(10)
    return paragraph


def meeting_title(paper: MeetingPaper) -> str:
    """'Conference', 'Review meeting', 'Pre-meeting': how the papers name the meeting."""
    if paper.kind == "review":
        return "Review meeting"
    return paper.kind_label
