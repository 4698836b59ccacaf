"""What the papers sent out before a meeting share when they are laid out: the opening of
each document, a label / value grid, text as the app stores it, notes, file names and saving.

The facts come from core.papers.meeting_paper (gathered there, in one read); nothing here reads
the database. The helpers import `docx_base` (python-docx) only when a document is built.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core.papers.meeting_paper import MeetingPaper
from csfacilitator.core.textclean import clean_text, safe_file_stem

if TYPE_CHECKING:
    from docx.document import Document

CONFIDENTIAL_LINE = (
    "This meeting is confidential. What is said there is shared only under the "
    "information-sharing agreement, and it is about the place, not about individual young "
    "people or families."
)


# --- files -----------------------------------------------------------------------------------


def suggested_filename(
    kind: str, title: str, date: dt.date | None = None, *extra: str, suffix: str = ".docx"
) -> str:
    """'Agenda - Wrenmoor Park - 2026-11-05.docx' ('... - Sgt Dan Mensah.docx' with `extra`):
    safe on Windows, macOS and Linux, one space between words."""
    parts = [kind, safe_file_stem(title)]
    if date is not None:
        parts.append(date.isoformat())
    parts += [safe_file_stem(part, "") for part in extra]
    return " - ".join(part for part in parts if part) + suffix


def docx_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".docx":
        target = target.with_name(target.name + ".docx")
    return target


def save_document(doc: Document, path: str | os.PathLike[str]) -> Path:
    """Save atomically (see docx_base.save_atomic), adding '.docx' if it is missing."""
    from csfacilitator.export.docx_base import save_atomic

    return save_atomic(doc, docx_target(path))


def count_by_status(statuses) -> str:
    """'9 actions: 1 not started, 5 in progress, 3 done.' for the given action statuses."""
    from collections import Counter

    from csfacilitator.core import vocab

    statuses = list(statuses)
    counts = Counter(statuses)
    parts = [
        f"{counts[key]} {label.lower()}"
        for key, label in vocab.ACTION_STATUSES.items()
        if counts.get(key)
    ]
    noun = "action" if len(statuses) == 1 else "actions"
    return f"{len(statuses)} {noun}: " + ", ".join(parts) + "."


# --- document pieces -------------------------------------------------------------------------


def conference_title(title: str) -> str:
    """The conference's title on one line, or "Untitled conference" when it has none."""
    from csfacilitator.export import docx_base as b

    return b.one_line(title) or "Untitled conference"


def start_paper(
    title: str,
    *,
    kind: str,
    subject: str,
    header_right: str,
    heading: str,
    subtitle: str,
    author: str = "",
    landscape: bool = False,
) -> Document:
    """A document about one conference, opened the way every paper opens: titled
    '<kind>: <title>', the title at the left of the running header, then the heading and a
    muted line under it."""
    from csfacilitator.export import docx_base as b

    doc = b.start_document(
        title=f"{kind}: {title}",
        subject=subject,
        header_left=title,
        header_right=header_right,
        author=author,
        landscape=landscape,
    )
    b.add_heading(doc, heading, 1)
    b.add_paragraph(doc, subtitle, size=12.5, colour=b.MUTED_COLOUR)
    return doc


def start_meeting_paper(
    paper: MeetingPaper, kind: str, details: Iterable[tuple[str, object]], *, author: str = ""
) -> Document:
    """A paper sent out before the meeting (the agenda, the sign-in sheet): '<kind> for the
    <meeting>' under the conference's title, then the meeting's date, time and venue and
    `details` in a label / value grid."""
    from csfacilitator.export import docx_base as b

    title = conference_title(paper.title)
    meeting = meeting_title(paper)
    when = b.long_date(paper.date, missing="date to be confirmed")
    doc = start_paper(
        title,
        kind=kind,
        subject=f"{kind} for the {meeting.lower()}, {when_and_where(paper)}",
        header_right=f"{kind} · {meeting} · {when}",
        heading=title,
        subtitle=f"{kind} for the {meeting.lower()}",
        author=author,
    )
    add_details(
        doc,
        (
            ("Date", b.long_date(paper.date, missing="")),
            ("Time", b.short_time(paper.time, missing="")),
            ("Venue", paper.venue),
            *details,
        ),
    )
    return doc


def start_record(
    kind: str, about: str, day: dt.date, *, shown: str | None = None, author: str = ""
) -> Document:
    """A landscape record of what the app holds (the sharing record, a subject access search):
    titled '<kind>: <about>', the kind and what it is about (as `shown`, when given) at the
    left of the running header, the day it was made at the right."""
    from csfacilitator.export import docx_base as b

    return b.start_document(
        title=f"{kind}: {about}",
        subject=kind,
        header_left=f"{kind} — {about if shown is None else shown}",
        header_right=b.long_date(day),
        author=author,
        landscape=True,
    )


def add_details(doc: Document, pairs: Iterable[tuple[str, object]], *, columns: int = 2) -> Any:
    """A shaded label / value grid (two pairs a row by default); empty values say so."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    pairs = list(pairs)
    width = b.content_width(doc.sections[0])
    label_w = Mm(33)  # "Coordinators" in bold fits on one line, even in DejaVu Sans
    value_w = (width - columns * label_w) // columns
    widths = [label_w, value_w] * columns
    widths[-1] = width - sum(widths[:-1])
    table = b.add_table(doc, None, [], widths, style=doc.styles["Table Grid"])
    for start in range(0, len(pairs), columns):
        row = table.add_row()
        b.keep_row_together(
            row, sum(len(str(value)) for _, value in pairs[start : start + columns])
        )
        cells = row.cells
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


def add_lead(doc: Document, text: str) -> Any:
    """A muted italic line that introduces what follows and stays on its page."""
    from csfacilitator.export import docx_base as b

    paragraph = b.add_paragraph(doc, text, italic=True, colour=b.MUTED_COLOUR)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


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
    return paper.meeting_name


def referral_line(source: str, date: dt.date | None) -> str:
    """'Dunhaven District Group, on Friday 14 August 2026'; '' when neither is recorded."""
    from csfacilitator.export import docx_base as b

    source = b.one_line(source)
    if date is None:
        return source
    on = f"on {b.long_date(date)}"
    return f"{source}, {on}" if source else on.capitalize()


def when_and_where(paper: MeetingPaper) -> str:
    """'Thursday 4 February 2027 at 10:00, Dunhaven Community Centre': the meeting in a line."""
    from csfacilitator.export import docx_base as b

    when = b.long_date(paper.date, missing="date to be confirmed")
    if paper.time is not None:
        when += f" at {b.short_time(paper.time)}"
    venue = clean_text(paper.venue, multiline=False) or "venue to be confirmed"
    return f"{when}, {venue}"
