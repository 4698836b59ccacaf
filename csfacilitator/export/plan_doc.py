"""The intervention plan as a Word document, in the layout of the guidance's example plan.

A header table (assessment period, referral, pre-meeting date, conference date, context, place
manager, review date, attendees), then the plan: one row per intervention under the headings
partners know from the guidance, plus who owns the action and where it stands ("Not started"
included), the need written once in a cell that spans its interventions. An overdue action is
marked in its timescale cell (in words, so it survives black-and-white printing). The data is
gathered by core.papers.plan.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core import vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.papers.plan import PlanDocData
from csfacilitator.core.plan import InterventionRecord, PlanHeader, is_overdue

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell

PLAN_COLUMNS = (
    "Identified need or problem",
    "Intervention",
    "Agency / team responsible",
    "Owner",
    "Status",
    "Timescale",
)
OVERDUE_COLOUR = (0xA4, 0x26, 0x2C)


# --- pieces shared with the review record ---------------------------------------------------


def keep_row_together(row: Any, text_length: int = 0) -> None:
    """See docx_base.keep_row_together (kept here for the review record's imports)."""
    from csfacilitator.export.docx_base import keep_row_together as keep

    keep(row, text_length)


def add_grouped_rows(
    table: Table,
    groups: Sequence[tuple[str, Sequence[Any]]],
    fill: Callable[[Sequence[_Cell], Any], int],
    *,
    empty_group: str,
) -> None:
    """One row per item; the first column holds the group's text once, merged down its rows.

    `fill(cells, item)` writes an item's other cells and returns how much text it wrote.
    """
    from csfacilitator.export import docx_base as b

    for text, items in groups:
        column: list[_Cell] = []  # the group's cells in the first column
        for item in items or [None]:
            row = table.add_row()
            cells = row.cells
            if item is None:
                b.add_paragraph(cells[1], empty_group, italic=True, colour=b.MUTED_COLOUR)
                written = 0
            else:
                written = fill(cells, item)
            if not column:
                b.add_paragraph(cells[0], text, bold=True)
                written += len(text)
            column.append(cells[0])
            keep_row_together(row, written)
        if len(column) > 1:
            b.merge_down(column)


def add_plan_table(
    doc: Document,
    width: int,
    columns: Sequence[str],
    widths: Sequence[Any],
    groups: Sequence[tuple[str, Sequence[Any]]],
    fill: Callable[[Sequence[_Cell], Any], int],
    *,
    empty_group: str,
    empty: str,
) -> Table:
    """The plan as a grid: the need in the first column, written once down its rows (see
    add_grouped_rows), then the columns `widths` gives for all but the second, the action,
    which takes what the others leave of `width`; one muted line across it when there are no
    groups."""
    from csfacilitator.export import docx_base as b

    first, *others = widths
    action_w = width - first - sum(others)
    table = b.add_table(
        doc, columns, [], (first, action_w, *others), style=doc.styles["Table Grid"]
    )
    if groups:
        add_grouped_rows(table, groups, fill, empty_group=empty_group)
    else:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        b.add_paragraph(merged, empty, italic=True, colour=b.MUTED_COLOUR)
    return table


def add_note(cell: Any, text: str, *, colour: Any = None, bold: bool = False) -> int:
    """A small line of secondary text in a cell; returns its length."""
    from csfacilitator.export import docx_base as b

    b.add_paragraph(cell, text, size=b.SMALL_PT, colour=colour or b.MUTED_COLOUR, bold=bold)
    return len(text)


def overdue_colour():
    from docx.shared import RGBColor

    return RGBColor(*OVERDUE_COLOUR)


def fill_agency(cell: Any, action: Any) -> int:
    """The agency or team, then its named owner in small type; returns the text length."""
    from csfacilitator.export import docx_base as b

    written = 0
    if action.agency:
        b.add_paragraph(cell, action.agency)
        written += len(action.agency)
    if action.owner:
        written += add_note(cell, f"Owner: {action.owner}")
    return written


def fill_timescale(cell: Any, action: Any, *, overdue: bool, missing: str) -> int:
    """The agreed words ("Annually"), the due date, and "Overdue" when it is."""
    from csfacilitator.export import docx_base as b

    lines = [action.timescale] if action.timescale else []
    if action.due_date is not None:
        lines.append(f"Due {format_date(action.due_date)}")
    for line in lines:
        b.add_paragraph(cell, line)
    if not lines:
        add_note(cell, missing)
    if overdue:
        add_note(cell, "Overdue", colour=overdue_colour(), bold=True)
    return sum(len(line) for line in lines)


# --- the document ---------------------------------------------------------------------------


def _fill_plan_row(data: PlanDocData) -> Callable[[Sequence[Any], InterventionRecord], int]:
    from csfacilitator.export import docx_base as b

    def fill(cells: Sequence[Any], action: InterventionRecord) -> int:
        written = len(action.text) + len(action.agency) + len(action.owner)
        b.add_paragraph(cells[1], action.text)
        if action.agency:
            b.add_paragraph(cells[2], action.agency)
        if action.owner:
            b.add_paragraph(cells[3], action.owner)
        else:
            add_note(cells[3], "Not named")
        b.add_paragraph(cells[4], vocab.label(vocab.ACTION_STATUSES, action.status))
        written += fill_timescale(
            cells[5], action, overdue=is_overdue(action, data.today), missing="To be agreed"
        )
        return written

    return fill


def header_rows(header: PlanHeader) -> list[tuple[str, str]]:
    from csfacilitator.export import docx_base as b

    attendees = "; ".join(a.label for a in header.attendees if a.label)
    from csfacilitator.export.papers_common import referral_line

    referral = referral_line(header.referral_source, header.referral_date)
    return [
        ("Assessment period", header.assessment_period or "Not recorded"),
        ("Referred by", referral or "Not recorded"),
        ("Pre-meeting date", b.long_date(header.pre_meeting_date)),
        ("Conference date", b.long_date(header.conference_date)),
        ("Context", header.context),
        ("Place manager", b.one_line(header.place_manager) or "Not recorded"),
        ("Date of review", b.long_date(header.review_date)),
        ("Lead practitioner", header.lead_practitioner or "Not recorded"),
        ("Attendees", attendees or "No attendance recorded"),
    ]


def add_label_table(doc: Document, rows: Sequence[tuple[str, str]], label_width: Any) -> Table:
    """Two columns: a shaded label and its value (the top of the appendix's plan)."""
    from csfacilitator.export import docx_base as b

    width = b.content_width(doc.sections[0])
    table = b.add_table(
        doc, None, [], (label_width, width - label_width), style=doc.styles["Table Grid"]
    )
    for label, value in rows:
        row = table.add_row()
        cells = row.cells
        b.add_paragraph(cells[0], label, bold=True)
        b.shade(cells[0], b.LABEL_FILL)
        b.add_paragraph(cells[1], value)
        keep_row_together(row, len(value))
    return table


def build_plan(data: PlanDocData, *, author: str = "") -> Document:
    """The plan as a landscape A4 document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import conference_title, start_paper

    header = data.header
    title = conference_title(header.title)
    doc = start_paper(
        title,
        kind="Intervention plan",
        subject=f"Context intervention plan, {header.context}",
        header_right="Context intervention plan",
        heading="Context intervention plan",
        subtitle=title,
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])

    add_label_table(doc, header_rows(header), Mm(55))

    b.add_heading(doc, "Plan", 2)
    add_plan_table(
        doc,
        width,
        PLAN_COLUMNS,
        (Mm(52), Mm(43), Mm(34), Mm(27), Mm(38)),  # need, agency, owner, status, timescale
        [(need.text, need.interventions) for need in data.needs],
        _fill_plan_row(data),
        empty_group="No intervention agreed yet",
        empty="No needs have been added to the plan yet.",
    )
    b.add_paragraph(
        doc,
        f"Plan as recorded on {b.long_date(data.today)}.",
        size=b.SMALL_PT,
        colour=b.MUTED_COLOUR,
    ).paragraph_format.space_before = Mm(3)
    from csfacilitator.export.safety_map_doc import add_plan_appendix  # issue 19

    add_plan_appendix(doc, data.safety_map, width)
    return doc


def filename(data: PlanDocData) -> str:
    """'Intervention plan - <title> - 2026-11-05.docx', safe on every system."""
    from csfacilitator.export.papers_common import suggested_filename as named

    return named("Intervention plan", data.header.title, data.header.conference_date)


def save(data: PlanDocData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write the plan to `path` ('.docx' added if missing), atomically; returns the file."""
    from csfacilitator.export.papers_common import save_document

    return save_document(build_plan(data, author=author), path)
