"""The minutes of a meeting as a Word document: who came, the agenda, and the board.

`gather_minutes` reads everything the minutes show into plain data (so the GUI can run the
privacy check on exactly what will be written); `build_minutes` turns that data into a
document without touching the database. Referrals are never included: they are private to
the coordinator and not discussed at the conference.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord, board_tree
from csfacilitator.core.model import Attendance, Conference, Invitee, Meeting
from csfacilitator.errors import ExportError, NotFound
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str
    role: str


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    lead: str


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

    @property
    def point_count(self) -> int:
        def count(points: tuple[PointRecord, ...]) -> int:
            return sum(1 + count(p.children) for p in points)

        return sum(count(points) for points in self.board.values())


def _pick_meeting(meetings: list[Meeting], meeting_id: int | None) -> Meeting:
    if meeting_id is not None:
        for meeting in meetings:
            if meeting.id == meeting_id:
                return meeting
        raise NotFound("That meeting does not belong to this conference.")
    if not meetings:
        raise ExportError("This conference has no meetings, so there are no minutes to export.")
    conferences = [m for m in meetings if m.kind == "conference"]
    if conferences:
        return min(conferences, key=lambda m: m.id)
    return max(meetings, key=lambda m: (m.date or dt.date.min, m.id))


def gather_minutes(db: Database, conference_id: int, meeting_id: int | None = None) -> MinutesData:
    """What the minutes of a meeting (default: the conference meeting) will contain."""
    with db.session() as s:
        conference = s.get(Conference, conference_id)
        if conference is None:
            raise NotFound(f"There is no conference with id {conference_id}.")
        meetings = list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
        meeting = _pick_meeting(meetings, meeting_id)
        rows = s.execute(
            select(Invitee, Attendance.state)
            .join(Attendance, Attendance.invitee_id == Invitee.id)
            .where(Attendance.meeting_id == meeting.id, Invitee.conference_id == conference_id)
            .order_by(Invitee.position, Invitee.id)
        ).all()
        present = tuple(
            Attendee(i.name, i.organisation, i.role) for i, state in rows if state == "present"
        )
        apologies = tuple(
            Attendee(i.name, i.organisation, i.role) for i, state in rows if state == "apologies"
        )
        date = meeting.date
        if date is None and meeting.kind == "conference":
            date = conference.conference_date
        data = dict(
            conference_id=conference.id,
            meeting_id=meeting.id,
            title=conference.title,
            context_type=vocab.label(vocab.CONTEXT_TYPES, conference.context_type),
            context_name=conference.context_name,
            area=conference.area,
            meeting_kind=vocab.label(vocab.MEETING_KINDS, meeting.kind),
            date=date,
            time=meeting.time,
            venue=meeting.venue or conference.venue,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            coordinators=tuple(
                c for c in (conference.coordinator_1, conference.coordinator_2) if c
            ),
            present=present,
            apologies=apologies,
            agenda=tuple(AgendaEntry(a.title, a.lead) for a in meeting.agenda),
            next_review_date=conference.next_review_date,
        )
    return MinutesData(**data, board=board_tree(db, data["meeting_id"]))


def _context_line(data: MinutesData) -> str:
    place = ", ".join(part for part in (data.context_name, data.area) if part.strip())
    if place:
        return f"{place} ({data.context_type})"
    return data.context_type


def _who(person: Attendee) -> str:
    details = ", ".join(part for part in (person.organisation, person.role) if part.strip())
    return f"{person.name or 'Name not recorded'}" + (f" ({details})" if details else "")


def build_minutes(data: MinutesData, *, author: str = "") -> Document:
    """The minutes as a landscape A4 Word document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    title = b.one_line(data.title) or "Untitled conference"
    kind = data.meeting_kind.lower()
    when = b.long_date(data.date, missing="date not set")
    doc = b.start_document(
        title=f"Minutes: {title}",
        subject=f"Minutes of the {kind} meeting, {when}",
        header_left=title,
        header_right=f"Minutes of the {kind} meeting, {when}",
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])
    grid = doc.styles["Table Grid"]

    b.add_heading(doc, title, 1)
    b.add_paragraph(doc, f"Minutes of the {kind} meeting", size=12.5, colour=b.MUTED_COLOUR)

    # Title block: the meeting on the left, the people who ran it on the right.
    coordinators = " and ".join(b.one_line(c) for c in data.coordinators)
    pairs = (
        ("Context", _context_line(data), "Venue", data.venue),
        ("Meeting", data.meeting_kind, "Chair", data.chair),
        ("Date", b.long_date(data.date), "Lead practitioner", data.lead_practitioner),
        ("Time", b.short_time(data.time), "Coordinators", coordinators),
    )
    label_w = Mm(34)
    value_w = (width - 2 * label_w) // 2
    details = b.add_table(doc, None, [], (label_w, value_w, label_w, value_w), style=grid)
    for label_1, value_1, label_2, value_2 in pairs:
        cells = details.add_row().cells
        for cell, text, is_label in (
            (cells[0], label_1, True),
            (cells[1], value_1 or "Not recorded", False),
            (cells[2], label_2, True),
            (cells[3], value_2 or "Not recorded", False),
        ):
            b.add_paragraph(cell, text, bold=is_label)
            if is_label:
                b.shade(cell, b.LABEL_FILL)

    b.add_heading(doc, "Attendance", 2)
    b.add_heading(doc, f"Present ({len(data.present)})", 3)
    if data.present:
        name_w, org_w = Mm(70), Mm(100)
        b.add_table(
            doc,
            ("Name", "Organisation", "Role"),
            ((p.name, p.organisation, p.role) for p in data.present),
            (name_w, org_w, width - name_w - org_w),
            style=grid,
        )
    else:
        b.add_paragraph(doc, "No attendance was recorded.", italic=True, colour=b.MUTED_COLOUR)
    b.add_heading(doc, f"Apologies ({len(data.apologies)})", 3)
    if data.apologies:
        styles = b.bullet_styles(doc)
        for person in data.apologies:
            b.add_bullet(doc, _who(person), 1, styles)
    else:
        b.add_paragraph(doc, "None.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "Agenda", 2)
    if data.agenda:
        b.add_numbered(doc, ((item.title, item.lead) for item in data.agenda))
    else:
        b.add_paragraph(doc, "No agenda was set.", italic=True, colour=b.MUTED_COLOUR)

    _add_board(doc, data, width, grid)

    b.add_heading(doc, "Next review", 2)
    if data.next_review_date is not None:
        b.add_paragraph(doc, f"The next review meeting is on {b.long_date(data.next_review_date)}.")
    else:
        b.add_paragraph(doc, "A date for the next review has not been set yet.")
    return doc


def _add_board(doc: Document, data: MinutesData, width: int, grid: object) -> None:
    """The four flipchart headings side by side in one table, points as nested bullets."""
    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Discussion", 2)
    keys = list(vocab.BOARD_COLUMNS)
    column_w = width // len(keys)
    widths = [column_w] * (len(keys) - 1) + [width - column_w * (len(keys) - 1)]
    table = b.add_table(doc, [vocab.BOARD_COLUMNS[k] for k in keys], [], widths, style=grid)
    # One body row that may break across pages, so long columns flow on with the header.
    cells = table.add_row().cells
    styles = b.bullet_styles(doc)
    for cell, key in zip(cells, keys, strict=True):
        points = data.board.get(key, ())
        if points:
            b.add_bullet_tree(cell, points, styles)
        else:
            b.add_paragraph(cell, "Nothing recorded.", italic=True, colour=b.MUTED_COLOUR)


def suggested_filename(data: MinutesData) -> str:
    """'Minutes - <title> - 2025-03-12.docx', safe on Windows, macOS and Linux."""
    from csfacilitator.core.textclean import safe_file_stem

    parts = ["Minutes", safe_file_stem(data.title)]
    if data.date is not None:
        parts.append(data.date.isoformat())
    return " - ".join(parts) + ".docx"


def export_minutes(
    db: Database,
    conference_id: int,
    path: str | os.PathLike[str],
    meeting_id: int | None = None,
    *,
    author: str = "",
) -> Path:
    """Write the minutes to `path` (".docx" is added if missing); returns the file written."""
    return save_minutes(gather_minutes(db, conference_id, meeting_id), path, author=author)


def save_minutes(data: MinutesData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write already gathered minutes (the GUI gathers once, checks them, then saves)."""
    from csfacilitator.export.docx_base import save_atomic

    target = Path(path)
    if target.suffix.lower() != ".docx":
        target = target.with_name(target.name + ".docx")
    return save_atomic(build_minutes(data, author=author), target)
