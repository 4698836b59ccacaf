"""The lead practitioner's assessment report as a Word document, circulated before the
conference: the sections of the chosen structure, other notes, the context weighting picture
(with alt text), the priorities and the threshold.

`gather_report` reads everything into plain data; `build_report` lays it out without touching
the database.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core import vocab
from csfacilitator.core.assessment import get_report
from csfacilitator.core.conferences import get_conference
from csfacilitator.export.papers_common import context_line, save_document, suggested_filename
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document

PICTURE_WIDTH_MM = 150
WEIGHTING_INTRO = (
    "Each box is a context around the young people. The bigger the box, the more that context "
    "needs to change for young people to be safer; dotted lines join contexts that affect each "
    "other."
)


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


def _priorities(db: Database, conference_id: int) -> tuple[ReportPriority, ...]:
    from csfacilitator.core.priorities import list_priorities

    return tuple(
        ReportPriority(p.text, bool(p.focus))
        for p in list_priorities(db, conference_id)
        if p.text.strip()
    )


def _weighting(db: Database, conference_id: int) -> Any:
    from csfacilitator.core.weighting import get_weighting, has_weighting

    if not has_weighting(db, conference_id):
        return None
    return get_weighting(db, conference_id)


def gather_report(db: Database, conference_id: int) -> ReportData:
    details = get_conference(db, conference_id)
    report = get_report(db, conference_id)
    return ReportData(
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
        weighting=_weighting(db, conference_id),
        priorities=_priorities(db, conference_id),
        threshold=vocab.label(vocab.THRESHOLDS, details.threshold),
        threshold_rationale=details.threshold_rationale,
    )


def build_report(data: ReportData, *, author: str = "") -> Document:
    """The report as a portrait A4 Word document (pure: reads nothing but `data`)."""
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.docx_base import start_document
    from csfacilitator.export.papers_common import add_details, add_lines

    title = b.one_line(data.title) or "Untitled conference"
    doc = start_document(
        title=f"Assessment report: {title}",
        subject=f"Context assessment report ({data.structure.lower()} structure)",
        header_left=title,
        header_right="Context assessment report",
        author=author,
    )
    styles = b.bullet_styles(doc)
    b.add_heading(doc, title, 1)
    b.add_paragraph(doc, "Context assessment report", size=12.5, colour=b.MUTED_COLOUR)
    add_details(
        doc,
        (
            ("Context", context_line(data.context_type, data.context_name, "")),
            ("Area", data.area),
            ("Lead practitioner", data.lead_practitioner),
            ("Chair", data.chair),
            ("Assessment period", data.assessment_period),
            ("Conference", b.long_date(data.conference_date, missing="")),
        ),
    )

    for section in data.sections:
        _add_section(doc, section, styles, level=2)
    if data.other_notes:
        b.add_heading(doc, "Other notes", 2)
        for section in data.other_notes:
            _add_section(doc, section, styles, level=3)

    _add_weighting(doc, data.weighting)
    _add_priorities(doc, data.priorities, styles)

    b.add_heading(doc, "Threshold", 2)
    b.add_paragraph(doc, data.threshold, bold=True)
    if not add_lines(doc, data.threshold_rationale, styles):
        b.add_paragraph(
            doc, "No rationale has been written yet.", italic=True, colour=b.MUTED_COLOUR
        )
    return doc


def _add_section(doc: Document, section: ReportSection, styles, *, level: int) -> None:
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lines

    b.add_heading(doc, section.heading, level)
    if not add_lines(doc, section.body, styles):
        b.add_paragraph(doc, "Nothing written yet.", italic=True, colour=b.MUTED_COLOUR)


def _add_weighting(doc: Document, weighting: Any) -> None:
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Context weighting", 2)
    if weighting is None:
        b.add_paragraph(
            doc,
            "The context weighting has not been drawn yet.",
            italic=True,
            colour=b.MUTED_COLOUR,
        )
        return
    from csfacilitator.export.weighting_picture import weighting_alt_text, weighting_png

    b.add_paragraph(doc, WEIGHTING_INTRO).paragraph_format.keep_with_next = True
    alt = b.one_line(weighting_alt_text(weighting))
    holder = b.add_paragraph(doc)
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = min(Mm(PICTURE_WIDTH_MM), b.content_width(doc.sections[0]))
    shape = holder.add_run().add_picture(io.BytesIO(weighting_png(weighting)), width=width)
    doc_pr = shape._inline.docPr  # python-docx has no alt-text API yet: set it on wp:docPr
    doc_pr.set("name", "Context weighting")
    doc_pr.set("descr", alt)
    doc_pr.set("title", "Context weighting")


def _add_priorities(doc: Document, priorities, styles) -> None:
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Priorities", 2)
    focus = [p for p in priorities if p.focus]
    others = [p for p in priorities if not p.focus]
    if not priorities:
        b.add_paragraph(
            doc, "No priorities have been recorded yet.", italic=True, colour=b.MUTED_COLOUR
        )
        return
    if focus:
        b.add_paragraph(doc, "The conference will focus on:", bold=True)
        b.add_numbered(doc, ((p.text, "") for p in focus))
    if others:
        lead = "Other issues the assessment found:" if focus else "Issues the assessment found:"
        b.add_paragraph(doc, lead, bold=True).paragraph_format.space_before = Pt(6)
        for priority in others:
            b.add_bullet(doc, priority.text, 1, styles)


def report_filename(data: ReportData) -> str:
    return suggested_filename("Assessment report", data.title, data.conference_date)


def save_report(data: ReportData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    return save_document(build_report(data, author=author), path)


def export_report(
    db: Database, conference_id: int, path: str | os.PathLike[str], *, author: str = ""
) -> Path:
    """Write the assessment report to `path` (".docx" added if missing); returns the file."""
    return save_report(gather_report(db, conference_id), path, author=author)
