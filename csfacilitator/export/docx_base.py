"""What every Word export shares: a clean new document, page set-up, house style, tables,
bullets, footer fields and an atomic save.

All text reaches the document through `clean_text` here, so pasted control characters or a
lone surrogate never make python-docx fail. Tables set column widths on the grid (which
LibreOffice reads) and on every cell (which Word reads). Import this module only when
exporting: it imports python-docx.

Long because it is the one layer over python-docx, and its parts share private fast paths that
write exactly python-docx's XML (tests/test_speed_exports.py; benchmarks/export_parts.py compares
every part of every kind): documents copied from a parsed prototype, the document subclass that
appends to the body without searching it, styles found by their place in the prototype,
paragraphs, runs and their formatting copied from elements python-docx made once, table rows
copied from the first one made (formatted or not) and their cells read straight off them, a
column merged without searching the table, the package writer that reuses deflated bytes,
and a saved document released (no cycles left for the garbage collector).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.package import Package
from docx.section import Section
from docx.shared import Emu, Inches, Mm, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, StyleFactory
from docx.styles.styles import Styles
from docx.table import Table, _Cell, _Columns, _Row, _Rows
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import SubElement  # type: ignore[import-untyped]

from csfacilitator.atomic_file import write_atomic
from csfacilitator.core.textclean import clean_text, one_line
from csfacilitator.text_direction import is_rtl

FONT = "Calibri"
BODY_PT = 10.5
SMALL_PT = 8.5
HEADING_COLOUR = RGBColor(0x1F, 0x38, 0x64)
MUTED_COLOUR = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"
BORDER_COLOUR = "8C8C8C"
A4_LONG = Mm(297)
A4_SHORT = Mm(210)
MARGIN = Mm(15)
NUMBER_HANGING = Mm(7)
LANGUAGE = "en-GB"  # Word's spelling and grammar language for every document
#: A row with more text than this may break across pages: a row taller than a page cannot be
#: kept whole, and Word would cut it off rather than move it.
KEEP_ROW_LIMIT = 1200

CONFIDENTIAL_NOTICE = (
    "Confidential: shared under the information-sharing agreement for this conference. "
    "Do not forward."
)

BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
_BULLET_STEP = 360  # twips between bullet levels, as in the built-in list styles
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core-property strings

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June") + (
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_APP_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>CS Facilitator</Application>'
    b"<DocSecurity>0</DocSecurity></Properties>"
)

Container = Any  # a Document, a table cell, a header or a footer: anything with add_paragraph


# --- words -------------------------------------------------------------------------------


def long_date(value: dt.date | None, missing: str = "Not set") -> str:
    """'Wednesday 12 March 2025' in English whatever the system locale (Qt sets LC_ALL)."""
    if value is None:
        return missing
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_time(value: dt.time | None, missing: str = "Not set") -> str:
    return missing if value is None else f"{value.hour:02d}:{value.minute:02d}"


# --- the document ------------------------------------------------------------------------

_SECT_PR = qn("w:sectPr")
_P, _PPR, _R, _T, _TAB, _BR = (qn(f"w:{tag}") for tag in ("p", "pPr", "r", "t", "tab", "br"))
_TC, _TC_PR = qn("w:tc"), qn("w:tcPr")
_XML_SPACE = qn("xml:space")
#: A cell's properties saying it spans columns or rows (python-docx then works out its place).
_SPAN_TAGS = (qn("w:gridSpan"), qn("w:vMerge"))
#: The elements new paragraphs are copied from: as python-docx makes them.
_EMPTY_P = OxmlElement("w:p")
_STYLED_PPR = OxmlElement("w:pPr")
_STYLED_PPR.append(OxmlElement("w:pStyle"))
_TR_PR, _TBL_PR_EX = qn("w:trPr"), qn("w:tblPrEx")
_KEEP_TR_PR = OxmlElement("w:trPr")  # a row kept in one piece
_KEEP_TR_PR.append(OxmlElement("w:cantSplit"))
_VAL = qn("w:val")


class _Styles(Styles):
    """The document's styles, each found by name once: python-docx searches all of them with
    an XPath on every lookup, and walks them all again for a type's default on every table
    whose style is set. Here each style and default is found by its place among the styles'
    children, which documents read from one prototype share (`places`): it is looked for once
    per process, and once per document its proxy is made."""

    def __init__(self, styles: Any, places: dict[object, int | None] | None = None):
        super().__init__(styles)
        self._found: dict[object, Any] = {}
        self._places = {} if places is None else places

    def __getitem__(self, key: str) -> Any:
        if key not in self._found:
            name = BabelFish.ui2internal(key)
            if name not in self._places:
                element = self._element.get_by_name(name)
                self._places[name] = None if element is None else self._element.index(element)
            place = self._places[name]
            # python-docx's own lookup for what is not a style's name (a deprecated style id,
            # with its warning, or the KeyError)
            self._found[key] = (
                super().__getitem__(key) if place is None else StyleFactory(self._element[place])
            )
        return self._found[key]

    def default(self, style_type: WD_STYLE_TYPE) -> Any:
        if style_type not in self._found:
            if style_type not in self._places:
                style = super().default(style_type)
                self._places[style_type] = (
                    None if style is None else self._element.index(style.element)
                )
            place = self._places[style_type]
            self._found[style_type] = None if place is None else StyleFactory(self._element[place])
        return self._found[style_type]


def _styles_of(part: Any, places: dict[object, int | None] | None = None) -> _Styles:
    """The document's one _Styles, kept on its main part (tables reach it from there)."""
    styles = part.__dict__.get("_cs_styles")
    if styles is None:
        styles = part.__dict__["_cs_styles"] = _Styles(part.styles.element, places)
    return styles


class _Document(Document):
    """python-docx's Document with the same output, but what grew with the document made
    constant. python-docx puts every paragraph, table and section break before the body's
    final w:sectPr by looking for it from the first child (each addition a walk of the whole
    body: n² for a long document) and works out the page width for a table from a list of all
    sections (another walk); here the final w:sectPr is taken from the end."""

    @property
    def styles(self) -> Any:
        return _styles_of(self.part)

    def add_paragraph(self, text: str = "", style: Any = None) -> Paragraph:
        paragraph = Paragraph(_append_to_body(self, OxmlElement("w:p")), self._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph

    def add_table(self, rows: int, cols: int, style: Any = None) -> Table:
        section = Section(_final_sect_pr(self), self.part)
        width = Emu(
            (section.page_width or Inches(8.5))
            - (section.left_margin or Inches(1))
            - (section.right_margin or Inches(1))
        )
        table = _Table(_append_to_body(self, CT_Tbl.new_tbl(rows, cols, width)), self._body)
        table.style = style
        return table

    def add_section(self, start_type: WD_SECTION = WD_SECTION.NEW_PAGE) -> Section:
        # As CT_Body.add_section_break: a copy of the final sectPr closes the section so far
        # (in a paragraph of its own); the final one, without header or footer references,
        # now stands for the new section.
        final = _final_sect_pr(self)
        _append_to_body(self, OxmlElement("w:p")).set_sectPr(final.clone())
        for reference in final.xpath("w:headerReference|w:footerReference"):
            final.remove(reference)
        final.start_type = start_type
        return Section(final, self.part)


class _Package(Package):
    """python-docx's package, its parts walked in the same order without leaving a cycle for
    the collector (python-docx walks them whenever it names a new part, e.g. a header)."""

    def iter_parts(self) -> Iterator[Any]:
        return _walk_parts(self, [])


def _copy(element: Any) -> Any:
    """A copy of an XML element and everything in it: lxml's __copy__ copies the whole tree
    below it, in C, at half the cost of copy.deepcopy (which adds a memo and its look-ups)."""
    return element.__copy__()


def _body(doc: Document) -> Any:
    """The document's w:body, found once (python-docx finds it on every use)."""
    body = doc.__dict__.get("_cs_body")
    if body is None:
        body = doc.__dict__["_cs_body"] = doc.element.body
    return body


def _final_sect_pr(doc: Document) -> Any:
    body = _body(doc)
    try:
        last = body[-1]  # lxml finds [-1] from the end (len() would count every child)
    except IndexError:
        last = None
    if last is not None and last.tag == _SECT_PR:
        return last
    return body.get_or_add_sectPr()


def _append_to_body(doc: Document, element: Any) -> Any:
    """Put element at the end of the body, before its final w:sectPr (as python-docx does,
    without looking for it from the first child)."""
    body = _body(doc)
    try:
        last = body[-1]
    except IndexError:
        last = None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(element)
    else:
        body.append(element)
    return element


class Repeats:
    """Body content built once and copied where it comes again (lxml copies in C): letters to
    50 people repeat almost every paragraph, and python-docx builds each one element by
    element. A copy is the same XML as a block built again."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._built: dict[object, list[Any]] = {}

    def add(self, key: object, build: Callable[[], object]) -> None:
        """Add what `build` adds to the end of the body; the first time under `key` by calling
        it, after that as a copy of what it added then."""
        elements = self._built.get(key)
        if elements is not None:
            final = _final_sect_pr(self.doc)  # as _append_to_body, found once for the block
            for element in elements:
                final.addprevious(_copy(element))
            return
        final = _final_sect_pr(self.doc)
        before = final.getprevious()
        build()
        added = []
        element = before.getnext() if before is not None else self.doc.element.body[0]
        while element is not None and element is not final:
            added.append(element)
            element = element.getnext()
        self._built[key] = added


def new_document(
    *, title: str, subject: str = "", author: str = "", landscape: bool = False
) -> Document:
    """A blank A4 document in the house style, with none of python-docx's leftovers.

    The house style, the scrubbing and the page are applied once per process and orientation,
    to a prototype written as an uncompressed .docx and read back, as every document was once
    read from those bytes; each document is a deep copy of it (its package, parts and XML),
    a third of what reading the bytes again costs."""
    prototype = _PROTOTYPES.get(landscape)
    if prototype is None:
        doc = docx.Document()
        doc.__class__ = _Document
        _scrub_package(doc)
        apply_house_style(doc)
        set_page(doc.sections[0], landscape=landscape)
        buffer = io.BytesIO()
        write_package(doc, buffer, compress=False)
        prototype = _PROTOTYPES[landscape] = docx.Document(io.BytesIO(buffer.getvalue()))
    with _PROTOTYPE_COPYING:
        doc = copy.deepcopy(prototype)
    doc.__class__ = _Document  # the same document, its additions made constant-time
    doc.part.package.__class__ = _Package  # the same package, walked without a cycle
    _styles_of(doc.part, _STYLE_PLACES.setdefault(landscape, {}))
    set_core_properties(doc, title=title, subject=subject, author=author)
    return doc


#: new_document's prototypes, by landscape: a python-docx Document in the house style, never
#: changed (each document is a copy), copied one at a time (papers may be written off the GUI
#: thread).
_PROTOTYPES: dict[bool, Document] = {}
_PROTOTYPE_COPYING = threading.Lock()
#: Where each style looked up is among the styles' children of each prototype (_Styles).
_STYLE_PLACES: dict[bool, dict[object, int | None]] = {}


def start_document(
    *,
    title: str,
    subject: str,
    header_left: str,
    header_right: str = "",
    author: str = "",
    landscape: bool = False,
    pages_per_section: bool = False,
) -> Document:
    """A new document with a running header and the confidential footer with 'Page X of Y'
    (counted per section with `pages_per_section`); in British English, its title set."""
    doc = new_document(title=title, subject=subject, author=author, landscape=landscape)
    section = doc.sections[0]
    set_header(section, header_left, header_right)
    set_footer(section, CONFIDENTIAL_NOTICE, per_section=pages_per_section)
    return doc


def set_core_properties(
    doc: Document,
    *,
    title: str,
    subject: str = "",
    author: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Overwrite every core property the template carries (it says 'python-docx', 2013)."""
    now = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props = doc.core_properties
    author = one_line(author, _CORE_TEXT_LIMIT)
    props.title = one_line(title, _CORE_TEXT_LIMIT)
    props.subject = one_line(subject, _CORE_TEXT_LIMIT)
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = now
    props.modified = now


def _scrub_package(doc: Document) -> None:
    """Drop the template's thumbnail and its 'Microsoft Macintosh Word' app properties."""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == _THUMBNAIL_REL]:
        del rels[rid]
    for rel in rels.values():
        if rel.reltype == _APP_REL and not rel.is_external:
            rel.target_part._blob = _APP_XML


def _set_fonts(owner: Any, name: str) -> None:
    """Name the font for every script and drop theme fonts, which would override it."""
    rpr = owner.find(qn("w:rPr"))
    if rpr is None:
        rpr = owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _set_size(style: Any, points: float) -> None:
    style.font.size = Pt(points)
    rpr = style.element.get_or_add_rPr()
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(size_cs)
    size_cs.set(qn("w:val"), str(int(points * 2)))


def _set_language(rpr: Any) -> None:
    """British English for spelling and grammar (w:lang), on the run properties given."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert(rpr, lang, "eastAsianLayout specVanish oMath")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def apply_house_style(doc: Document) -> None:
    """One legible font everywhere; navy headings; compact list and table spacing."""
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _set_fonts(rpr_default, FONT)
    _set_language(rpr_default.find(qn("w:rPr")))

    normal = styles["Normal"]
    _set_fonts(normal.element, FONT)
    _set_language(normal.element.get_or_add_rPr())
    _set_size(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.08

    for name, size, before, after in (
        ("Heading 1", 16, 0, 4),
        ("Heading 2", 12.5, 12, 4),
        ("Heading 3", 11, 8, 2),
    ):
        style = styles[name]
        _set_fonts(style.element, FONT)
        _set_size(style, size)
        style.font.bold = True
        style.font.color.rgb = HEADING_COLOUR
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)

    for name in BULLET_STYLES:
        style = styles[name]
        style.paragraph_format.space_after = Pt(2)
        ppr = style.element.pPr
        spacing = ppr.find(qn("w:contextualSpacing")) if ppr is not None else None
        if spacing is not None:
            ppr.remove(spacing)

    for name in ("Header", "Footer"):
        _set_size(styles[name], SMALL_PT)
        styles[name].font.color.rgb = MUTED_COLOUR


def set_page(section: Any, *, landscape: bool = True, margin: Any = MARGIN) -> None:
    """A4, with width and height swapped for landscape (setting orientation alone does not)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = A4_LONG if landscape else A4_SHORT
    section.page_height = A4_SHORT if landscape else A4_LONG
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, margin)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)


def content_width(section: Any) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _insert(parent: Any, element: Any, followers: str) -> None:
    """Put element before the first of `followers` present: Word rejects misordered XML. As
    python-docx's insert_element_before (the first of the tags, in the order given, that a
    child has), in one pass over the children rather than a search for each tag."""
    tags = _FOLLOWERS.get(followers)
    if tags is None:
        tags = _FOLLOWERS[followers] = tuple(qn(f"w:{tag}") for tag in followers.split())
    first: dict[str, Any] = {}
    for child in parent:
        if child.tag in tags:
            first.setdefault(child.tag, child)
    for tag in tags:
        if tag in first:
            first[tag].addprevious(element)
            return
    parent.append(element)


#: _insert's followers, each string's tags made once.
_FOLLOWERS: dict[str, tuple[str, ...]] = {}


# --- paragraphs --------------------------------------------------------------------------


def _fresh_paragraph(container: Container, style: Any = None) -> Paragraph:
    """A new paragraph; in a cell, header or footer the first one is reused, not left empty."""
    paragraph = Paragraph(_fresh_p(container), container)
    _apply_style(paragraph, style)
    return paragraph


def _fresh_p(container: Container) -> Any:
    """The w:p of _fresh_paragraph, put where python-docx's add_paragraph puts it: before the
    body's final w:sectPr in a document, at the end of a cell, header or footer."""
    if isinstance(container, _Document):
        return _append_to_body(container, _copy(_EMPTY_P))
    in_cell = isinstance(container, _Cell)
    if not in_cell and not hasattr(container, "is_linked_to_previous"):
        return container.add_paragraph()._p  # anything else: python-docx's own way
    element = container._element
    if _at_most_children(element, 2):
        paragraphs = element.findall(_P)
        only = paragraphs[0] if len(paragraphs) == 1 else None
        if only is not None and only.find(_R) is None and (not in_cell or only.find(_PPR) is None):
            return only
    p = _copy(_EMPTY_P)
    element.append(p)  # as CT_Tc.add_p and CT_HdrFtr.add_p: a w:p has no successors there
    return p


def _at_most_children(element: Any, count: int) -> bool:
    """Whether an XML element has at most `count` children, without counting them all: lxml's
    len() walks every child, which made filling a cell with n paragraphs take n² steps."""
    try:
        element[count]  # lxml walks count + 1 children to find it
    except IndexError:
        return True
    return False


def _apply_style(paragraph: Paragraph, style: Any) -> None:
    """Set a style object's id directly: python-docx's setter searches all styles each time."""
    if style is None:
        return
    if not isinstance(style, BaseStyle):
        paragraph.style = style
        return
    p = paragraph._p
    if p.find(_PPR) is None:  # a new paragraph: w:pPr/w:pStyle, as CT_P.style would add it
        properties = _copy(_STYLED_PPR)
        properties[0].set(_VAL, style.style_id)
        p.insert(0, properties)
    else:
        p.style = style.style_id


def add_text(
    paragraph: Paragraph,
    text: object,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: RGBColor | None = None,
) -> Any:
    """One run of cleaned text; line breaks inside it become Word line breaks."""
    return _add_run(paragraph, clean_text(text), bold, italic, size, colour)


def _add_run(
    paragraph: Paragraph,
    cleaned: str,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: RGBColor | None = None,
) -> Run:
    """add_text for text already cleaned: a w:r at the end of the paragraph (as
    Paragraph.add_run puts it), its formatting copied from one python-docx made."""
    r = SubElement(paragraph._p, _R)
    if bold or italic or size is not None or colour is not None:
        key = (bold, italic, size, None if colour is None else str(colour))
        properties = _RUN_PROPERTIES.get(key)
        if properties is None:  # made once by python-docx, on a run of its own
            scratch = Paragraph(OxmlElement("w:p"), paragraph._parent).add_run()
            if bold:
                scratch.bold = True
            if italic:
                scratch.italic = True
            if size is not None:
                scratch.font.size = Pt(size)
            if colour is not None:
                scratch.font.color.rgb = colour
            properties = _RUN_PROPERTIES[key] = scratch._r.rPr
        r.append(_copy(properties))  # w:rPr comes first in a run
    _append_text(r, cleaned)
    return Run(r, paragraph)


#: A run's formatting (w:rPr) per (bold, italic, size, colour), as python-docx builds it.
_RUN_PROPERTIES: dict[tuple[object, ...], Any] = {}


_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _append_text(r: Any, text: str) -> None:
    """Text into a new run as python-docx's Run.text puts it there (w:t pieces, w:tab for a
    tab, w:br for each line break), without its per-character loop and without first
    clearing the run with an XPath."""
    for piece in _RUN_BREAKS.split(text) if _BREAK_CHARS.intersection(text) else (text,):
        if piece == "\t":
            SubElement(r, _TAB)
        elif piece in ("\r", "\n"):
            SubElement(r, _BR)
        elif piece:
            t = SubElement(r, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):  # as CT_R.add_t
                t.set(_XML_SPACE, "preserve")


_BREAK_CHARS = frozenset("\t\r\n")


def add_paragraph(
    container: Container,
    text: object = "",
    *,
    style: Any = None,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    """A paragraph of cleaned text, right-to-left when the text starts in such a script."""
    return _add_cleaned(container, clean_text(text), style, bold, italic, size, colour)


def _add_cleaned(
    container: Container,
    cleaned: str,
    style: Any = None,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    """add_paragraph for text already cleaned."""
    paragraph = _fresh_paragraph(container, style)
    if cleaned:
        _add_run(paragraph, cleaned, bold, italic, size, colour)
        if is_rtl(cleaned):
            set_rtl(paragraph)
    return paragraph


def set_format(paragraph: Paragraph, **settings: Any) -> Paragraph:
    """Set paragraph_format's properties (space_after=Pt(0), keep_with_next=True...), in the
    order given, as python-docx sets them. A paragraph with no properties yet (no style, no
    w:pPr) gets a copy of the w:pPr python-docx made the first time for the same settings:
    python-docx builds each one element by element."""
    p = paragraph._p
    if p.find(_PPR) is not None:
        fmt = paragraph.paragraph_format
        for name, value in settings.items():
            setattr(fmt, name, value)
        return paragraph
    key = tuple(settings.items())
    properties = _PARAGRAPH_PROPERTIES.get(key)
    if properties is None:  # made once by python-docx, on a paragraph of its own
        scratch = Paragraph(OxmlElement("w:p"), paragraph._parent)
        for name, value in settings.items():
            setattr(scratch.paragraph_format, name, value)
        properties = _PARAGRAPH_PROPERTIES[key] = scratch._p.pPr
    p.insert(0, _copy(properties))  # w:pPr comes first in a paragraph
    return paragraph


#: A paragraph's properties (w:pPr) per settings of set_format, as python-docx builds them.
_PARAGRAPH_PROPERTIES: dict[tuple[tuple[str, Any], ...], Any] = {}


def set_rtl(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    _insert(
        ppr,
        OxmlElement("w:bidi"),
        "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    )


def add_heading(doc: Document, text: object, level: int = 1) -> Paragraph:
    """A Heading 1/2/3 paragraph (so Word's navigation pane and outline work)."""
    return add_paragraph(doc, text, style=doc.styles[f"Heading {level}"])


def add_bullet(container: Container, text: object, level: int, styles: Sequence[Any]) -> Paragraph:
    """One bullet at nesting level 1, 2, 3...; deeper levels indent List Bullet 3 further."""
    style = styles[min(level, len(styles)) - 1]
    paragraph = add_paragraph(container, text, style=style)
    if level > len(styles):
        fmt = paragraph.paragraph_format
        fmt.left_indent = Twips(_BULLET_STEP * min(level, 8))
        fmt.first_line_indent = Twips(-_BULLET_STEP)
    return paragraph


def bullet_styles(doc: Document) -> tuple[Any, ...]:
    """The built-in List Bullet styles, looked up once (a lookup per paragraph is slow)."""
    return tuple(doc.styles[name] for name in BULLET_STYLES)


def add_bullet_tree(
    container: Container,
    nodes: Iterable[Any],
    styles: Sequence[Any],
    *,
    text_of: Callable[[Any], object] = lambda node: node.text,
    children_of: Callable[[Any], Iterable[Any]] = lambda node: node.children,
    level: int = 1,
) -> int:
    """Nested bullets as real list paragraphs; returns how many paragraphs were added."""
    count = 0
    stack = [(iter(nodes), level)]
    while stack:  # iterative, so a very deep tree cannot exhaust Python's recursion limit
        nodes_iter, depth = stack[-1]
        node = next(nodes_iter, None)
        if node is None:
            stack.pop()
            continue
        add_bullet(container, text_of(node), depth, styles)
        count += 1
        children = children_of(node)
        if children:
            stack.append((iter(children), depth + 1))
    return count


def add_numbered(
    container: Container, items: Iterable[tuple[object, object]], *, hanging: Any = NUMBER_HANGING
) -> None:
    """'1.  Title  - note' lines. Numbers are written out, so each list starts at 1 in any app."""
    items = list(items)
    for number, (text, note) in enumerate(items, start=1):
        paragraph = _fresh_paragraph(container)
        fmt = paragraph.paragraph_format
        fmt.keep_with_next = number < len(items)  # a short list stays on one page
        fmt.left_indent = hanging
        fmt.first_line_indent = -hanging
        fmt.tab_stops.add_tab_stop(hanging)
        paragraph.add_run(f"{number}.\t")
        add_text(paragraph, text)
        note = one_line(note)
        if note:
            add_text(paragraph, f"  \u2013  {note}", italic=True, colour=MUTED_COLOUR)


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- tables ------------------------------------------------------------------------------


def add_table(
    container: Container,
    headers: Sequence[object] | None,
    rows: Iterable[Sequence[object]],
    widths: Sequence[int],
    *,
    style: Any = None,
) -> _Table:
    """A bordered table with a shaded header row repeated on every page.

    `widths` are EMU lengths (Mm(40)...); they are set on the grid and on every cell.
    """
    table: Any = container.add_table(rows=0, cols=len(widths))
    table.__class__ = _Table  # the same table, its rows copied from the first one made
    if style is not None:
        table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    set_column_widths(table, widths)
    _table_borders(table)
    if headers is not None:
        row = table.add_row()
        for cell, text in zip(row.cells, headers, strict=True):
            add_paragraph(cell, text, bold=True)
            shade(cell, HEADER_FILL)
        repeat_as_header(row)
    for values in rows:
        row = table.add_row()
        written = 0
        for cell, text in zip(row.cells, values, strict=True):
            cleaned = clean_text(text)
            _add_cleaned(cell, cleaned)
            written += len(cleaned)  # the paragraph's text: a tab or line break counts 1
        keep_row_together(row, written)
    return table


class _Table(Table):
    """python-docx's Table, with the same output, made cheaper where it repeats: new rows are
    copies of the first new row made for the same column widths (python-docx builds each
    cell's properties element by element), a new row's cells are read straight off it, and
    the table style is found through the document's _Styles."""

    @property
    def style(self) -> Any:
        return Table.style.fget(self)  # type: ignore[attr-defined]

    @style.setter
    def style(self, style_or_name: Any) -> None:
        styles = _styles_of(self.part.package.main_document_part)
        self._tbl.tblStyle_val = styles.get_style_id(style_or_name, WD_STYLE_TYPE.TABLE)

    # python-docx keeps a table's rows and columns on it, and each holds the table: a cycle
    # that kept the whole document's XML for the collector. Made on each use, they leave none.
    @property
    def columns(self) -> _Columns:
        return _Columns(self._tbl, self)

    @property
    def rows(self) -> _Rows:
        return _TableRows(self._tbl, self)

    def add_row(self, format_row: Callable[[_Row], object] | None = None) -> _Row:
        """A new row at the end; `format_row`, when given, formats it before anything is
        written in it. The first row of its widths and format is python-docx's own, and the
        table's later ones are copies of it."""
        grid = self.__dict__.get("_cs_grid")
        if grid is None:  # found once: lxml's find looks on past the first match, to the end
            grid = self.__dict__["_cs_grid"] = self._tbl.tblGrid
        widths = tuple(column.w for column in grid.gridCol_lst)
        made = self.__dict__.setdefault("_cs_rows", {})
        key = (widths, format_row)
        if key not in made:
            row = _NewRow(super().add_row()._tr, self)
            if format_row is not None:
                format_row(row)
            made[key] = _copy(row._tr)
            return row
        tr = _copy(made[key])
        self._tbl.append(tr)  # as CT_Tbl.add_tr: a w:tr has no successors in w:tbl
        return _NewRow(tr, self)


class _NewRow(_Row):
    """A row of a _Table: while none of its cells spans columns or rows, its cells are one per
    w:tc; otherwise they are python-docx's (a spanned cell once per grid column it spans, a
    cell merged down as the cell it continues), worked out without python-docx's recursive
    closure, which left the row, and through it the document's XML, in a cycle."""

    @property
    def cells(self) -> tuple[_Cell, ...]:
        tcs = self._tr.findall(_TC)
        table = self.table
        if not any(_spans(tc) for tc in tcs):
            return tuple(_Cell(tc, table) for tc in tcs)
        cells: list[_Cell] = []
        for tc in self._tr.tc_lst:
            while tc.vMerge == "continue":  # as python-docx: the cell above holds the content
                tc = tc._tc_above
            cells += [_Cell(tc, table)] * tc.grid_span
        return tuple(cells)


class _TableRows(_Rows):
    """A _Table's rows, each a _NewRow."""

    def __iter__(self) -> Iterator[_Row]:
        return (_NewRow(tr, self) for tr in self._tbl.tr_lst)


def _spans(tc: Any) -> bool:
    """Whether a cell spans columns or rows (w:gridSpan or w:vMerge in its w:tcPr), looking
    at its first child only: a cell may hold thousands of paragraphs."""
    try:
        properties = tc[0]
    except IndexError:
        return False
    return properties.tag == _TC_PR and any(properties.find(tag) is not None for tag in _SPAN_TAGS)


def merge_down(cells: Sequence[_Cell]) -> _Cell:
    """Merge a column's cells, top to bottom, into the first: what python-docx's
    `cells[0].merge(cells[-1])` makes of them (w:vMerge 'restart', then 'continue' below),
    without its search of the whole table for each cell's place (n² in the table's rows).
    Cells that span columns, or below the first hold anything but one empty paragraph, are
    merged by python-docx itself (which moves their text up)."""
    top, *below = cells
    if any(_spans(cell._tc) for cell in cells):
        return top.merge(cells[-1])
    for cell in below:
        paragraphs = [child for child in cell._tc if child.tag != _TC_PR]
        if len(paragraphs) != 1 or paragraphs[0].tag != _P or paragraphs[0].find(_R) is not None:
            return top.merge(cells[-1])
    if below:
        top._tc.vMerge = "restart"
        for cell in below:
            cell._tc.vMerge = "continue"
    return top


def set_column_widths(table: Table, widths: Sequence[int]) -> None:
    """Widths on the grid columns (LibreOffice), every cell (Word) and the table itself."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        _insert(
            tbl_pr, tbl_w, "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
        )
    tbl_w.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU to twips
    tbl_w.set(qn("w:type"), "dxa")


def _table_borders(table: Table) -> None:
    """Thin grey borders and a little air in each cell, whatever the table style says."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), BORDER_COLOUR)
        borders.append(edge)
    _insert(tbl_pr, borders, "shd tblLayout tblCellMar tblLook")
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 57), ("left", 100), ("bottom", 57), ("right", 100)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(width))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    _insert(tbl_pr, margins, "tblLook tblCaption tblDescription")


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert(tc_pr, shd, "noWrap tcMar textDirection tcFitText vAlign hideMark")


def keep_row_together(row: _Row, text_length: int = 0) -> None:
    """Ask Word and LibreOffice not to break this row across pages (w:cantSplit), unless it
    holds so much text (over KEEP_ROW_LIMIT characters) that it may not fit on one page."""
    if text_length > KEEP_ROW_LIMIT:
        return
    tr = row._tr
    if tr.find(_TR_PR) is None and tr.find(_TBL_PR_EX) is None:  # as get_or_add_trPr: first
        tr.insert(0, _copy(_KEEP_TR_PR))
        return
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        _insert(
            tr_pr,
            OxmlElement("w:cantSplit"),
            "trHeight tblHeader tblCellSpacing jc hidden ins del",
        )


def repeat_as_header(row: _Row) -> None:
    """Repeat this row at the top of every page (w:tblHeader) and keep it in one piece."""
    keep_row_together(row)
    tr_pr = row._tr.get_or_add_trPr()
    _insert(tr_pr, OxmlElement("w:tblHeader"), "tblCellSpacing jc hidden ins del")


# --- header and footer -------------------------------------------------------------------


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES): Word and LibreOffice both update it when shown."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _clear_style_tabs(paragraph: Paragraph, width: int) -> None:
    """The Header/Footer styles carry Letter-portrait tab stops; replace them with ours."""
    tabs = paragraph.paragraph_format.tab_stops
    for position in (4680, 9360):
        tabs.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def set_footer(
    section: Any, text: object = CONFIDENTIAL_NOTICE, *, per_section: bool = False
) -> Paragraph:
    """'<notice>    Page X of Y' along the foot of every page of the section. With
    `per_section`, pages are counted within the section and numbering starts again at 1 (each
    invitation letter is its own section: 'Page 1 of 2' of that letter)."""
    if per_section:
        restart_page_numbers(section)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = _fresh_paragraph(footer)
    _clear_style_tabs(paragraph, content_width(section))
    add_text(paragraph, one_line(text))
    paragraph.add_run("\tPage ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    add_field(paragraph, "SECTIONPAGES" if per_section else "NUMPAGES")
    return paragraph


def restart_page_numbers(section: Any) -> None:
    """Number this section's pages from 1 (w:pgNumType w:start)."""
    sect_pr = section._sectPr
    number_type = sect_pr.find(qn("w:pgNumType"))
    if number_type is None:
        number_type = OxmlElement("w:pgNumType")
        _insert(
            sect_pr,
            number_type,
            "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
            "printerSettings sectPrChange",
        )
    number_type.set(qn("w:start"), "1")


def set_header(section: Any, left: object, right: object = "") -> Paragraph:
    header = section.header
    header.is_linked_to_previous = False
    paragraph = _fresh_paragraph(header)
    _clear_style_tabs(paragraph, content_width(section))
    add_text(paragraph, one_line(left, 150))
    right = one_line(right, 80)
    if right:
        paragraph.add_run("\t")
        add_text(paragraph, right)
    return paragraph


# --- saving ------------------------------------------------------------------------------


def save_atomic(doc: Document, path: str | os.PathLike[str]) -> Path:
    """Build the whole file in memory (a failure there touches no file), then write it
    atomically and privately; every failure is an ExportError with one plain sentence. The
    document is spent: once its bytes are built it is released (see `release`)."""
    buffer = io.BytesIO()
    try:
        write_package(doc, buffer)
    finally:
        release(doc)
    return write_atomic(buffer.getvalue(), path, kind="document")


def release(doc: Document) -> None:
    """Break the reference cycles of a document that is done with, so that it and its XML are
    freed at once, by reference counting, rather than left for the garbage collector.

    A python-docx document is a web of cycles: its package holds its parts, each part holds
    its package, its relationships hold the parts they point to, the document and its main
    part hold each other. Left to the collector, the document's XML (thousands of lxml nodes)
    is freed whenever a collection happens to run: during whatever the app does next. Every
    attribute of those objects is dropped, so the document must not be used afterwards."""
    package = doc.part.package
    for part in list(_walk_parts(package, [])):
        part.__dict__.clear()
    package.__dict__.clear()
    doc.__dict__.clear()


def _walk_parts(source: Any, visited: list[Any]) -> Iterator[Any]:
    """The package's parts in the order of python-docx's OpcPackage.iter_parts (depth first
    along the relationships), without the cycle its nested generator leaves behind (the
    function holds itself through its closure, and with it the list of every part)."""
    for rel in source.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if part in visited:
            continue
        visited.append(part)
        yield part
        yield from _walk_parts(part, visited)


#: Pictures already compressed in their own format: stored in the zip as they are, since
#: deflating them again gains nothing and took 20-40 ms for a safety map.
_STORED_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})


def write_package(doc: Document, file: IO[bytes], *, compress: bool = True) -> None:
    """What python-docx's Document.save writes (OpcPackage.save, PackageWriter.write: the
    same members, in the same order, with the same contents), except that pictures are stored
    rather than deflated again (and, with compress=False, everything is). Relies on
    python-docx's package parts and _ContentTypesItem, and on zipfile's member writer asking
    its `_compressor` for the deflated bytes (both pinned by tests/test_speed_exports.py)."""
    package = doc.part.package
    parts = list(_walk_parts(package, []))
    for part in parts:
        part.before_marshal()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        archive.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            stored = not compress or part.content_type in _STORED_TYPES
            _write_member(archive, part.partname.membername, part.blob, stored)
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)


#: The last large part deflated under each member name, and its deflated bytes: most of each
#: document's bytes are the house style's parts (styles.xml, stylesWithEffects.xml: 350-450 KB
#: each, 5-10 ms each to deflate), the same in every document.
_DEFLATED: dict[str, tuple[bytes, bytes]] = {}
_REMEMBER_FROM = 16_384  # bytes: smaller parts are deflated each time


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes, stored: bool) -> None:
    """archive.writestr(name, data) stored or deflated; a large part deflated as it was last
    time is given the same deflated bytes rather than deflated again."""
    if stored or len(data) < _REMEMBER_FROM:
        kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        archive.writestr(name, data, compress_type=kind)
        return
    remembered = _DEFLATED.get(name)
    if remembered is None or remembered[0] != data:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's
        remembered = _DEFLATED[name] = (data, compressor.compress(data) + compressor.flush())
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])  # as writestr
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info.file_size = len(data)
    with archive.open(info, "w") as member:
        member._compressor = _Deflated(remembered[1])  # type: ignore[attr-defined]
        member.write(data)  # its CRC and size; the bytes written are the compressor's


class _Deflated:
    """A compressor for zipfile's member writer that hands back bytes deflated before."""

    def __init__(self, deflated: bytes):
        self._deflated = deflated

    def compress(self, _data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self._deflated
