"""The record of a review meeting as a Word document.

Which review it is, who came, how each action has moved since the last meeting, the review's
own board, what was decided (as typed, else the board's Safety plan column) and when the next
review is. Every action of the plan is listed: one finished before this review (so not carried
forward to it) says so. The data is gathered by `csfacilitator.core.papers.review.gather`;
this module only lays it out (`build`), names it (`filename`) and writes it (`save`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core import vocab
from csfacilitator.core.papers.review import ReviewData, ReviewedAction
from csfacilitator.core.plan import CLOSED_STATUSES

if TYPE_CHECKING:
    from docx.document import Document

REVIEW_COLUMNS = (
    "Identified need or problem",
    "Intervention",
    "Agency / team responsible",
    "Timescale",
    "Status",
    "Progress since the last meeting",
)


def summary_line(data: ReviewData) -> str:
    """'11 actions: 3 done, 6 in progress, 2 not started. 1 overdue.'"""
    actions = data.actions
    if not actions:
        return "The plan has no actions yet."
    counts = Counter(a.status for a in actions)
    parts = [
        f"{counts[key]} {label.lower()}"
        for key, label in vocab.ACTION_STATUSES.items()
        if counts.get(key)
    ]
    overdue = sum(1 for a in actions if a.overdue)
    noun = "action" if len(actions) == 1 else "actions"
    text = f"{len(actions)} {noun}: " + ", ".join(parts) + "."
    if overdue:
        text += f" {overdue} overdue."
    missing = sum(1 for a in actions if not a.recorded and a.status not in CLOSED_STATUSES)
    if missing:
        text += f" No update was recorded for {missing}."
    return text


def _fill_review_row(cells: Sequence[Any], action: ReviewedAction) -> int:
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.plan_doc import add_note, fill_agency, fill_timescale

    written = len(action.text) + len(action.note)
    b.add_paragraph(cells[1], action.text)
    written += fill_agency(cells[2], action)
    written += fill_timescale(cells[3], action, overdue=action.overdue, missing="Not set")
    b.add_paragraph(cells[4], vocab.label(vocab.ACTION_STATUSES, action.status), bold=True)
    if action.previous_status is not None:
        add_note(cells[4], f"Was: {vocab.label(vocab.ACTION_STATUSES, action.previous_status)}")
    if action.note:
        b.add_paragraph(cells[5], action.note)
    else:
        b.add_paragraph(cells[5], action.remark, italic=True, colour=b.MUTED_COLOUR)
    return written


def build(data: ReviewData, *, author: str = "") -> Document:
    """The review record as a landscape A4 document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.minutes import add_attendance, add_board, meeting_line
    from csfacilitator.export.papers_common import add_lead, conference_title, start_paper
    from csfacilitator.export.plan_doc import add_label_table, add_plan_table

    title = conference_title(data.title)
    when = b.long_date(data.date, missing="date not set")
    doc = start_paper(
        title,
        kind="Review record",
        subject=f"{data.meeting_name} meeting, {when}",
        header_right=f"{data.meeting_name} meeting, {when}",
        heading="Review record",
        subtitle=title,
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])

    b.add_paragraph(
        doc, meeting_line(data.meeting_name, data.date, data.time, data.venue), bold=True
    )
    add_label_table(
        doc,
        [
            ("Context", data.context),
            ("Meeting", data.meeting_name),
            ("Date of review", b.long_date(data.date)),
            (
                "Time and venue",
                ", ".join(p for p in (b.short_time(data.time, ""), data.venue) if p)
                or "Not recorded",
            ),
            ("Chair", data.chair or "Not recorded"),
            ("Lead practitioner", data.lead_practitioner or "Not recorded"),
            ("Next review", b.long_date(data.next_review_date)),
        ],
        Mm(55),
    )
    if data.purpose.strip():
        b.add_heading(doc, "Purpose of the review", 2)
        for line in data.purpose.split("\n"):
            if line.strip():
                b.add_paragraph(doc, line)

    add_attendance(doc, data.present, data.apologies, width, lambda person: person.label)

    b.add_heading(doc, "Progress on the actions", 2)
    b.add_paragraph(doc, f"Since {data.previous_meeting}. {summary_line(data)}")
    add_plan_table(
        doc,
        width,
        REVIEW_COLUMNS,
        (Mm(46), Mm(42), Mm(32), Mm(27), Mm(62)),  # need, agency, timescale, status, progress
        [(need.text, need.actions) for need in data.needs],
        _fill_review_row,
        empty_group="No intervention agreed yet",
        empty="The plan has no actions yet.",
    )

    from csfacilitator.export.measure_chart import add_outcomes

    add_outcomes(doc, data.outcomes, width, closing=False)  # issue 19
    from csfacilitator.export.you_said_doc import add_you_said

    add_you_said(doc, data.you_said, width, closing=False)  # issue 19

    b.add_heading(doc, "Discussion at this review", 2)
    if any(data.board.get(key) for key in vocab.BOARD_COLUMNS):
        add_board(doc, data.board, width, doc.styles["Table Grid"])
    else:
        b.add_paragraph(
            doc, "Nothing was written on the board at this review.", italic=True,
            colour=b.MUTED_COLOUR,
        )  # fmt: skip

    b.add_heading(doc, "What was decided", 2)
    styles = b.bullet_styles(doc)
    if data.decision_lines:
        for line in data.decision_lines:
            b.add_bullet(doc, line, 1, styles)
    elif data.decisions_from_board:
        add_lead(doc, "From the Safety plan column of this review's board:")
        b.add_bullet_tree(doc, data.decisions_from_board, styles)
    else:
        b.add_paragraph(doc, "No decisions were recorded.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "Next review", 2)
    if data.closed_on is not None:
        b.add_paragraph(doc, f"The conference was closed on {b.long_date(data.closed_on)}.")
    elif data.next_review_date is not None:
        b.add_paragraph(doc, f"The next review meeting is on {b.long_date(data.next_review_date)}.")
    else:
        b.add_paragraph(doc, "A date for the next review has not been set yet.")
    return doc


def filename(data: ReviewData) -> str:
    """'Review record - <title> - 2027-02-04.docx'."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Review record", data.title, data.date)


def save(data: ReviewData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write a gathered review record to `path` (".docx" added if missing); returns the file."""
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data, author=author), path)
