"""The safety map in Word: a section of the assessment report (the map the assessment drew on)
and the appendix of the intervention plan (the latest map, beside the one before it when there
is one, with what changed). The pictures come from export/safety_map_picture.py, the renderer
the screen uses; each has alt text that names every mark, and a table lists the marks in words
(code, place, rating, time of day, note), so nothing is said by the picture alone.
"""

from __future__ import annotations

import io
from typing import Any

from csfacilitator.core.safety_map import (
    SafetyMapView,
    changes_between,
    counts_words,
    map_alt_text,
)

INTRO = (
    "Young people and residents marked on a map where they feel safe, unsafe, or both, and "
    "when. Each mark has a code (a letter for the session, a number for the mark) that the map "
    "and the table below share."
)
MARK_COLUMNS = ("Mark", "Place", "Rating", "Time of day", "What was said")


def report_sessions(view: SafetyMapView) -> tuple[str, set[int]]:
    """(how the map is described, the sessions shown) for the assessment report: the sessions
    that informed the first meeting (the assessment's mapping), else all of them."""
    dated = [r for r in view.rounds if r.meeting_id is not None]
    if dated:
        return f"Marked before the {dated[0].label.split(' · ')[0].lower()}", set(
            dated[0].session_ids
        )
    return "All mapping sessions", {s.id for s in view.sessions}


def _picture(doc: Any, data: bytes, width: int, name: str, alt: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from csfacilitator.export import docx_base as b

    holder = b.add_paragraph(doc)
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = holder.add_run().add_picture(io.BytesIO(data), width=width)
    doc_pr = shape._inline.docPr  # python-docx has no alt-text API yet: set it on wp:docPr
    doc_pr.set("name", name)
    doc_pr.set("descr", b.one_line(alt))
    doc_pr.set("title", name)


def _marks_table(doc: Any, view: SafetyMapView, session_ids: set[int], width: int) -> None:
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    rows = [
        (m.code, m.label or f"({m.shape_label.lower()})", f"{m.rating_label} {m.shape_label.lower()}",
         m.time_label, m.note)
        for _s, m in view.marks(session_ids)
    ]  # fmt: skip
    if not rows:
        b.add_paragraph(doc, "No marks were made.", italic=True, colour=b.MUTED_COLOUR)
        return
    code_w, rating_w, time_w = Mm(14), Mm(27), Mm(32)
    place_w = int((width - code_w - rating_w - time_w) * 0.38)
    note_w = width - code_w - rating_w - time_w - place_w
    b.add_table(
        doc, MARK_COLUMNS, rows, (code_w, place_w, rating_w, time_w, note_w),
        style=doc.styles["Table Grid"],
    )  # fmt: skip


def add_report_section(doc: Any, view: SafetyMapView | None, width: int) -> None:
    """'Safety map' in the assessment report (after the context weighting)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lead
    from csfacilitator.export.safety_map_picture import safety_map_png

    if view is None or view.image is None:
        return
    b.add_heading(doc, "Safety map", 2)
    b.add_paragraph(doc, INTRO).paragraph_format.keep_with_next = True
    what, session_ids = report_sessions(view)
    sessions = [s for s in view.sessions if s.id in session_ids]
    marks = [m for _s, m in view.marks(session_ids)]
    add_lead(
        doc,
        f"{what}: {', '.join(s.title for s in sessions) or 'no session yet'}. "
        f"{len(marks)} marks: {counts_words(marks)}.",
    )
    _picture(
        doc,
        safety_map_png(view, session_ids, 2000),
        min(Mm(165), width),
        "Safety map",
        map_alt_text(view, session_ids),
    )
    _marks_table(doc, view, session_ids, width)


def add_plan_appendix(doc: Any, view: SafetyMapView | None, width: int) -> None:
    """'Appendix: safety map' at the end of the plan, on a page of its own."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lead
    from csfacilitator.export.safety_map_picture import comparison_png, safety_map_png

    if view is None or view.image is None:
        return
    b.page_break(doc)
    b.add_heading(doc, "Appendix: safety map", 2)
    b.add_paragraph(doc, INTRO).paragraph_format.keep_with_next = True
    compared = view.comparison()
    styles = b.bullet_styles(doc)
    if compared is not None:
        earlier, later = compared
        before = [m for _s, m in view.marks(set(earlier.session_ids))]
        after = [m for _s, m in view.marks(set(later.session_ids))]
        add_lead(
            doc,
            f"Before: {earlier.label}, {len(before)} marks ({counts_words(before)}). "
            f"After: {later.label}, {len(after)} marks ({counts_words(after)}).",
        )
        alt = (
            f"Two safety maps side by side. Before ({earlier.label}): "
            f"{map_alt_text(view, set(earlier.session_ids))} After ({later.label}): "
            f"{map_alt_text(view, set(later.session_ids))}"
        )
        _picture(doc, comparison_png(view, earlier, later, 2600), min(Mm(250), width),
                 "Safety map: before and after", alt)  # fmt: skip
        b.add_heading(doc, "What changed", 3)
        for line in changes_between(before, after) or ["Nothing was marked at either meeting."]:
            b.add_bullet(doc, line, 1, styles)
        b.add_heading(doc, f"Marks at {later.label}", 3)
        _marks_table(doc, view, set(later.session_ids), width)
        return
    session_ids = {s.id for s in view.sessions}
    marks = [m for _s, m in view.marks(session_ids)]
    add_lead(
        doc,
        f"{', '.join(s.title for s in view.sessions) or 'No session yet'}. "
        f"{len(marks)} marks: {counts_words(marks)}.",
    )
    _picture(doc, safety_map_png(view, session_ids, 2400), min(Mm(200), width), "Safety map",
             map_alt_text(view, session_ids))  # fmt: skip
    _marks_table(doc, view, session_ids, width)
