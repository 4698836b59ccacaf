"""The minutes of a meeting as a Word document: which meeting, who came, the agenda, the
board and the actions of the plan, so one file is enough to e-mail.

The data is gathered by `csfacilitator.core.papers.minutes.gather` (so the GUI can run the
privacy check on exactly what will be written); `build` turns it into a document without
touching the database, `save` writes it, `filename` names it. The board and the actions are
laid out so that no point and no action is cut by a page break.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord
from csfacilitator.core.papers.minutes import (
    AgendaEntry,
    AgreedAction,
    Attendee,
    DissentNote,
    MinutesData,
    NeedActions,
)

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["AgendaEntry", "Attendee", "MinutesData", "build", "filename", "save"]

ACTION_COLUMNS = (
    "Identified need or problem",
    "Action",
    "Agency / team",
    "Owner",
    "Due or timescale",
    "Status",
)


# --- pieces the review record shares ----------------------------------------------------------


def meeting_line(name: str, date: dt.date | None, time: dt.time | None, venue: str) -> str:
    """'Meeting: Review 1 · Thursday 4 February 2027 · 15:30 · Kestrel Community Hall'."""
    from csfacilitator.export import docx_base as b

    parts = [b.one_line(name) or "Meeting", b.long_date(date, missing="date not set")]
    if time is not None:
        parts.append(b.short_time(time))
    if b.one_line(venue):
        parts.append(b.one_line(venue))
    return "Meeting: " + " \u00b7 ".join(parts)


def _tree_length(points: Sequence[PointRecord]) -> int:
    total, stack = 0, list(points)
    while stack:
        point = stack.pop()
        total += len(point.text)
        stack.extend(point.children)
    return total


def add_board(
    doc: Document, board: Mapping[str, tuple[PointRecord, ...]], width: int, grid: Any
) -> None:
    """The four flipchart headings side by side, header repeated on every page; row n holds
    the n-th point of each column with its sub-points, and a row is never split by a page
    break (unless it is taller than a page), so no point is cut in two."""
    from csfacilitator.export import docx_base as b

    keys = list(vocab.BOARD_COLUMNS)
    column_w = width // len(keys)
    widths = [column_w] * (len(keys) - 1) + [width - column_w * (len(keys) - 1)]
    table = b.add_table(doc, [vocab.BOARD_COLUMNS[k] for k in keys], [], widths, style=grid)
    columns = [tuple(board.get(key, ())) for key in keys]
    styles = b.bullet_styles(doc)
    for index in range(max(1, *(len(points) for points in columns))):
        row = table.add_row()
        written = 0
        for cell, points in zip(row.cells, columns, strict=True):
            if index < len(points):
                b.add_bullet_tree(cell, points[index : index + 1], styles)
                written += _tree_length(points[index : index + 1])
            elif index == 0:
                b.add_paragraph(cell, "Nothing recorded.", italic=True, colour=b.MUTED_COLOUR)
        b.keep_row_together(row, written)


def _fill_action(today: dt.date | None):
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.plan_doc import fill_timescale

    def fill(cells: Sequence[Any], action: AgreedAction) -> int:
        b.add_paragraph(cells[1], action.text)
        b.add_paragraph(cells[2], action.agency or "To be agreed")
        b.add_paragraph(cells[3], action.owner or "Not named")
        overdue = today is not None and action.overdue_on(today)
        written = fill_timescale(cells[4], action, overdue=overdue, missing="To be agreed")
        b.add_paragraph(cells[5], vocab.label(vocab.ACTION_STATUSES, action.status))
        return written + len(action.text) + len(action.agency) + len(action.owner)

    return fill


def actions_summary(plan: Sequence[NeedActions]) -> str:
    """'9 actions: 1 not started, 5 in progress, 3 done.'"""
    actions = [a for need in plan for a in need.actions]
    if not actions:
        return "The plan has no actions yet."
    from csfacilitator.export.papers_common import count_by_status

    return count_by_status(a.status for a in actions)


def add_actions(doc: Document, plan: Sequence[NeedActions], today: dt.date | None, width: int):
    """Every action of the plan: need, action, agency, owner, due, status; one row each, never
    split by a page break, the header repeated on every page."""
    from docx.shared import Mm

    from csfacilitator.export.plan_doc import add_plan_table

    return add_plan_table(
        doc,
        width,
        ACTION_COLUMNS,
        (Mm(55), Mm(45), Mm(38), Mm(34), Mm(26)),  # need, agency, owner, due, status
        [(need.text, need.actions) for need in plan],
        _fill_action(today),
        empty_group="No action agreed yet",
        empty="The plan has no actions yet.",
    )


# --- the minutes ------------------------------------------------------------------------------


def _context_line(data: MinutesData) -> str:
    place = ", ".join(part for part in (data.context_name, data.area) if part.strip())
    if place:
        return f"{place} ({data.context_type})"
    return data.context_type


def _who(person: Attendee) -> str:
    details = ", ".join(part for part in (person.organisation, person.role) if part.strip())
    return f"{person.name or 'Name not recorded'}" + (f" ({details})" if details else "")


def build(data: MinutesData, *, author: str = "") -> Document:
    """The minutes as a landscape A4 Word document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import conference_title, start_paper

    title = conference_title(data.title)
    name = b.one_line(data.name)
    when = b.long_date(data.date, missing="date not set")
    doc = start_paper(
        title,
        kind="Minutes",
        subject=f"Minutes of the {name.lower()} meeting, {when}",
        header_right=f"Minutes of the {name.lower()} meeting, {when}",
        heading=title,
        subtitle=f"Minutes of the {name.lower()} meeting",
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])
    grid = doc.styles["Table Grid"]

    b.add_paragraph(doc, meeting_line(name, data.date, data.time, data.venue), bold=True)

    # Title block: the meeting on the left, the people who ran it on the right.
    coordinators = " and ".join(b.one_line(c) for c in data.coordinators)
    pairs = (
        ("Context", _context_line(data), "Venue", data.venue),
        ("Meeting", name, "Chair", data.chair),
        ("Date", b.long_date(data.date), "Lead practitioner", data.lead_practitioner),
        ("Time", b.short_time(data.time), "Coordinators", coordinators),
    )
    label_w = Mm(34)
    value_w = (width - 2 * label_w) // 2
    details = b.add_table(doc, None, [], (label_w, value_w, label_w, value_w), style=grid)
    for label_1, value_1, label_2, value_2 in pairs:
        row = details.add_row()
        for cell, text, is_label in (
            (row.cells[0], label_1, True),
            (row.cells[1], value_1 or "Not recorded", False),
            (row.cells[2], label_2, True),
            (row.cells[3], value_2 or "Not recorded", False),
        ):
            b.add_paragraph(cell, text, bold=is_label)
            if is_label:
                b.shade(cell, b.LABEL_FILL)

    if data.related:  # issue 20: conferences about the same place or area
        b.add_paragraph(doc, "Related conferences: " + "; ".join(data.related), italic=True)

    add_attendance(doc, data.present, data.apologies, width, _who)

    b.add_heading(doc, "Agenda", 2)
    if data.agenda:
        b.add_numbered(doc, ((item.title, item.lead) for item in data.agenda))
    else:
        b.add_paragraph(doc, "No agenda was set.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "Discussion", 2)
    add_board(doc, data.board, width, grid)

    b.add_heading(doc, "Actions agreed", 2)
    as_of = f" on {b.long_date(data.today)}" if data.today is not None else ""
    b.add_paragraph(
        doc,
        f"Every action in the plan as it stands{as_of}, including those agreed at earlier "
        f"meetings. {actions_summary(data.plan)}",
    ).paragraph_format.keep_with_next = True  # not alone at the foot of a page
    if data.plan:
        add_actions(doc, data.plan, data.today, width)

    add_dissent(doc, data.dissent)  # issue 20: under the decisions

    b.add_heading(doc, "Next review", 2)
    if data.next_review_date is not None:
        b.add_paragraph(doc, f"The next review meeting is on {b.long_date(data.next_review_date)}.")
    else:
        b.add_paragraph(doc, "A date for the next review has not been set yet.")
    return doc


def add_attendance(
    doc: Document,
    present: Sequence[Attendee],
    apologies: Sequence[Attendee],
    width: int,
    apology: Callable[[Attendee], str],
) -> None:
    """Who was present (a name / organisation / role table) and who sent apologies (a bullet
    each, worded by `apology`), each under its count."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Attendance", 2)
    b.add_heading(doc, f"Present ({len(present)})", 3)
    if present:
        name_w, org_w = Mm(70), Mm(100)
        b.add_table(
            doc,
            ("Name", "Organisation", "Role"),
            ((p.name, p.organisation, p.role) for p in present),
            (name_w, org_w, width - name_w - org_w),
            style=doc.styles["Table Grid"],
        )
    else:
        b.add_paragraph(doc, "No attendance was recorded.", italic=True, colour=b.MUTED_COLOUR)
    b.add_heading(doc, f"Apologies ({len(apologies)})", 3)
    if apologies:
        styles = b.bullet_styles(doc)
        for person in apologies:
            b.add_bullet(doc, apology(person), 1, styles)
    else:
        b.add_paragraph(doc, "None.", italic=True, colour=b.MUTED_COLOUR)


def add_dissent(doc: Document, dissent: Sequence[DissentNote]) -> None:
    """Disagreement with decisions, each in the partner's words; nothing when none was voiced."""
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lead

    if not dissent:
        return
    from docx.shared import Pt

    b.add_heading(doc, "Disagreement recorded", 2)
    add_lead(doc, "Partners who disagreed with a decision or an agenda item, and what they said.")
    for note in dissent:
        heading = b.add_paragraph(doc, f"{b.one_line(note.who)} disagreed with", bold=True)
        b.add_text(heading, f": {b.one_line(note.about)}")  # text is stripped: no space at an end
        heading.paragraph_format.keep_with_next = True
        said = b.add_paragraph(doc, f"“{note.statement}”", italic=True)
        said.paragraph_format.space_after = Pt(8)  # apart from the next partner's


def filename(data: MinutesData) -> str:
    """'Minutes - <title> - 2025-03-12.docx', safe on Windows, macOS and Linux."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Minutes", data.title, data.date)


def save(data: MinutesData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write gathered minutes to `path` (".docx" is added if missing); returns the file."""
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data, author=author), path)
