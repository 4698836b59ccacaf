"""'You said, we did' on paper: the section of the review and closing records
(`add_you_said`), and the one-page handout that goes back to the young people (`build`,
`filename`, `save`).

The handout is written for young people: plain words, large type (the size is chosen so the
page holds everything, never below HANDOUT_MIN_PT), no names, no professional detail, and no
"confidential" footer (it is meant to be handed out). Each row is labelled "You said" and
"We did" in words, not only by its colour. The data is gathered by
`csfacilitator.core.papers.you_said`; nothing here reads the database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core.papers.you_said import HandoutData, YouSaid

if TYPE_CHECKING:
    from docx.document import Document

RECORD_COLUMNS = ("What young people said", "How it was heard", "What we did")

# The handout's look: navy band, warm "you said" cells, cool "we did" cells.
BAND_FILL = "1F3864"
SAID_FILL = "FFF4D6"
DID_FILL = "E3EEF9"
SAID_LABEL_FILL = "FFE699"
DID_LABEL_FILL = "BDD7EE"
ACCENT = "FFD966"  # "we did" in the band: 9:1 against the navy
HANDOUT_SIZES = (18, 17, 16, 15, 14, 13, 12)  # points; the largest that fits one page is used
HANDOUT_MIN_PT = HANDOUT_SIZES[-1]
_MARGIN_MM = 16
_PAGE_MM = (210, 297)
_ROOM_FOR_ROWS_MM = 165  # the page less the band, the thanks, the closing lines and margins


# -- the section of the review and closing records ------------------------------------------------


def add_you_said(doc: Document, items: Sequence[YouSaid], width: int, *, closing: bool) -> None:
    """'You said, we did': each voice in the young people's words, how it was heard, and what
    was done (the written reply, or the plan's action and its status, said to be so)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "You said, we did", 2)
    if not items:
        b.add_paragraph(
            doc, "No young people's voices were recorded.", italic=True, colour=b.MUTED_COLOUR
        )
        return
    when = "as the conference closed" if closing else "as at this review"
    intro = b.add_paragraph(
        doc,
        f"What young people told us, in their words, and what was done about it ({when}).",
    )
    intro.paragraph_format.keep_with_next = True
    how_w = Mm(58)
    said_w = (width - how_w) * 9 // 20
    did_w = width - how_w - said_w
    table = b.add_table(doc, RECORD_COLUMNS, [], (said_w, how_w, did_w),
                        style=doc.styles["Table Grid"])  # fmt: skip
    for item in items:
        cells = table.add_row().cells
        b.add_paragraph(cells[0], f"“{item.said}”")
        b.add_paragraph(cells[1], item.how)
        b.add_paragraph(cells[2], item.we_did)
        if item.link:
            note = item.link if item.written else f"From the plan. {item.link}"
            b.add_paragraph(cells[2], note, italic=True, size=b.SMALL_PT, colour=b.MUTED_COLOUR)
        b.keep_row_together(table.rows[-1], len(item.said) + len(item.we_did))


# -- the handout ----------------------------------------------------------------------------------


def handout_size(items: Sequence[YouSaid]) -> int:
    """The largest type (points) at which every row fits the page, else the smallest."""
    column_mm = (_PAGE_MM[0] - 2 * _MARGIN_MM) / 2 - 7  # less the cells' padding
    for size in HANDOUT_SIZES:
        chars_per_line = column_mm / (0.150 * size)  # Calibri (and Carlito): ~0.42 em a letter
        line_mm = 0.3528 * size * 1.34  # the font's line height, times the 1.1 spacing
        height = 12.0  # the "You said / We did" labels row
        for item in items:
            lines = max(
                _lines(f"“{item.said}”", chars_per_line), _lines(item.we_did, chars_per_line)
            )
            height += lines * line_mm + 6  # the cells' padding and the white line between rows
        if height <= _ROOM_FOR_ROWS_MM:
            return size
    return HANDOUT_MIN_PT


def _lines(text: str, per_line: float) -> int:
    total = 0
    for paragraph in text.split("\n") or [""]:
        words, line = paragraph.split(), 0.0
        count = 1
        for word in words:
            need = len(word) + (1 if line else 0)
            if line + need > per_line and line:
                count, line = count + 1, len(word)
            else:
                line += need
        total += count
    return total


def _cell_margins(cell: Any, top: int, side: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for edge, width in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tc_pr.append(margins)


def _borders(table: Any, colour: str | None) -> None:
    """Only white lines between rows and cells (a card look), or none at all."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        inside = side.startswith("inside") and colour is not None
        edge.set(qn("w:val"), "single" if inside else "nil")
        if inside:
            edge.set(qn("w:sz"), "36")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), colour)
        borders.append(edge)
    if old is not None:
        old.getparent().replace(old, borders)
    else:
        tbl_pr.append(borders)


def _spacing(paragraph: Any, before: float = 0, after: float = 0) -> None:
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.1


def _band(doc: Document, data: HandoutData, width: int) -> None:
    from docx.shared import RGBColor

    from csfacilitator.export import docx_base as b

    table = b.add_table(doc, None, [], (width,))
    _borders(table, None)
    cell = table.add_row().cells[0]
    b.shade(cell, BAND_FILL)
    _cell_margins(cell, 260, 360)
    title = b.add_paragraph(cell, "")
    b.add_text(title, "You said,", bold=True, size=38, colour=RGBColor(0xFF, 0xFF, 0xFF))
    b.add_text(title, " we did", bold=True, size=38, colour=RGBColor.from_string(ACCENT))
    _spacing(title, after=2)
    title.paragraph_format.line_spacing = 1.0
    place = b.one_line(data.place, 80)
    subtitle = b.add_paragraph(
        cell,
        f"What you told us about {place}, and what we did about it.",
        size=16,
        colour=RGBColor(0xFF, 0xFF, 0xFF),
    )
    _spacing(subtitle)
    b.keep_row_together(table.rows[0])


def _label(cell: Any, text: str, fill: str, size: int) -> None:
    from docx.shared import RGBColor

    from csfacilitator.export import docx_base as b

    b.shade(cell, fill)
    _cell_margins(cell, 90, 200)
    paragraph = b.add_paragraph(cell, text, bold=True, size=size + 2,
                                colour=RGBColor.from_string(BAND_FILL))  # fmt: skip
    _spacing(paragraph)


def _rows(doc: Document, items: Sequence[YouSaid], width: int, size: int) -> None:
    from csfacilitator.export import docx_base as b

    half = width // 2
    table = b.add_table(doc, None, [], (half, width - half))
    _borders(table, "FFFFFF")
    labels = table.add_row()
    _label(labels.cells[0], "You said", SAID_LABEL_FILL, size)
    _label(labels.cells[1], "We did", DID_LABEL_FILL, size)
    b.repeat_as_header(labels)
    for item in items:
        row = table.add_row()
        said, did = row.cells
        b.shade(said, SAID_FILL)
        b.shade(did, DID_FILL)
        _cell_margins(said, 110, 200)
        _cell_margins(did, 110, 200)
        for cell, text in ((said, f"“{item.said}”"), (did, item.we_did)):
            for number, line in enumerate(text.split("\n")):
                paragraph = b.add_paragraph(cell, line, size=size)
                _spacing(paragraph, after=2 if number else 0)
        b.keep_row_together(row, len(item.said) + len(item.we_did))


def build(data: HandoutData, *, author: str = "") -> Document:
    """The handout as one A4 portrait page (pure: reads nothing but `data`)."""
    from docx.shared import Mm, RGBColor

    from csfacilitator.export import docx_base as b

    place = b.one_line(data.place, 80)
    month = data.made_on.strftime("%B %Y")
    doc = b.new_document(
        title=f"You said, we did: {place}",
        subject="What young people told us, and what was done about it",
        author=author,
        landscape=False,
    )
    section = doc.sections[0]
    b.set_page(section, landscape=False, margin=Mm(_MARGIN_MM))
    width = b.content_width(section)
    size = handout_size(data.items)
    navy = RGBColor.from_string(BAND_FILL)

    _band(doc, data, width)
    thanks = b.add_paragraph(
        doc,
        "Thank you for telling us what it is like. Here is what we heard, and what has "
        "happened since.",
        size=max(size, 15),
    )
    _spacing(thanks, before=10, after=8)
    if data.items:
        _rows(doc, data.items, width, size)
    else:
        b.add_paragraph(doc, "Nothing has been written down yet.", size=size)

    closing = b.add_paragraph(doc, "", size=13)
    _spacing(closing, before=12, after=4)
    if data.heard_through:
        b.add_text(closing, "How we heard you:", bold=True, size=13, colour=navy)
        b.add_text(closing, f" through {data.heard_through}.", size=13)
    names = b.add_paragraph(
        doc,
        "No names are written on this sheet. If something here worries you, talk to a youth "
        "worker, a teacher or another adult you trust.",
        size=13,
    )
    _spacing(names, after=4)
    updated = b.add_paragraph(doc, f"Updated {month}", size=11, colour=b.MUTED_COLOUR)
    _spacing(updated)

    footer = section.footer
    footer.is_linked_to_previous = False
    line = footer.paragraphs[0]
    b.add_text(line, f"You said, we did · {place} · {month}", size=9, colour=b.MUTED_COLOUR)
    return doc


def filename(data: HandoutData) -> str:
    """'You said we did - <title> - 2026-12-07.docx'."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("You said we did", data.title, data.made_on)


def save(data: HandoutData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write the handout to `path` (".docx" added if missing); returns the file."""
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data, author=author), path)
