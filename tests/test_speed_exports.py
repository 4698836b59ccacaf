"""Exports at the size of a long conference (issue 14), pinned without timing anything:

- a paragraph, table or section break goes on the end of the body without python-docx's
  search for the final w:sectPr from the first child (which made a long document n²), and the
  XML is the same as python-docx's own;
- a style is looked up by name once per document;
- invitation letters build each block that is the same for everyone once and copy it, and
  the file is the same as building every letter in full;
- a saved document leaves nothing for the garbage collector: it is freed as soon as it is
  saved, not during whatever the app does next.
"""

from __future__ import annotations

import gc
import io
import weakref
import zipfile

import pytest
from docx.oxml.xmlchemy import BaseOxmlElement

from csfacilitator.core.invitees import add_invitee
from csfacilitator.core.papers import meeting_paper
from csfacilitator.export import docx_base as b
from csfacilitator.export import invitations


def _xml(doc) -> bytes:  # noqa: ANN001
    """The document's body XML (its properties carry the time it was made)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("word/document.xml")


def _fill(doc) -> None:  # noqa: ANN001
    """Paragraphs of every kind the writers add, tables, and section breaks."""
    styles = b.bullet_styles(doc)
    for number in range(30):
        b.add_heading(doc, f"Heading {number}", 1 + number % 3)
        b.add_paragraph(doc, f"Text {number}\twith a tab\nand a line break", italic=number % 2)
        b.add_bullet(doc, f"Bullet {number}", 1 + number % 4, styles)
        b.add_numbered(doc, [(f"Item {number}", "a note"), ("Another", "")])
        b.add_table(doc, ("One", "Two"), [("a", "b"), ("c", f"{number}")], (b.Mm(40), b.Mm(60)))
        doc.add_paragraph(f"Plain {number}", style="List Number")
        if number % 10 == 9:
            b.restart_page_numbers(doc.add_section())
    b.page_break(doc)


def test_the_document_is_the_same_xml_as_python_docx_builds(monkeypatch):
    from docx.table import Table

    ours = b.start_document(title="T", subject="S", header_left="Left", header_right="Right")
    _fill(ours)
    theirs = b.start_document(title="T", subject="S", header_left="Left", header_right="Right")
    theirs.__class__ = b.Document  # python-docx's own Document: its own insertions and lookups
    monkeypatch.setattr(b._Table, "add_row", Table.add_row)  # and its own rows
    _fill(theirs)
    assert _xml(ours) == _xml(theirs)


@pytest.mark.parametrize(
    "text",
    ["plain", " spaced ", "a\tb", "line\nbreak", "two\r\nbreaks", "\t\tlead", "end\n", "ü 中 🙂"],
)
def test_run_text_is_written_as_python_docx_writes_it(text):
    from lxml import etree

    doc = b.new_document(title="T")
    ours = doc.add_paragraph().add_run()
    b._append_text(ours._r, text)
    theirs = doc.add_paragraph().add_run(text)
    assert etree.tostring(ours._r) == etree.tostring(theirs._r)


FORMATS = [
    {"bold": True},
    {"bold": True, "italic": True},
    {"italic": True, "colour": b.MUTED_COLOUR},
    {"size": b.SMALL_PT, "colour": b.MUTED_COLOUR, "bold": True},
    {"size": b.SMALL_PT, "colour": b.MUTED_COLOUR},
    {"size": 9.0, "bold": True, "italic": True},
]


def test_run_formatting_is_python_docx_own():
    from lxml import etree

    doc = b.new_document(title="T")
    for _ in range(2):  # the first of each made by python-docx, the second a copy of it
        for fmt in FORMATS:
            ours = b.add_text(doc.add_paragraph(), "Words", **fmt)
            theirs = doc.add_paragraph().add_run("Words")
            if fmt.get("bold"):
                theirs.bold = True
            if fmt.get("italic"):
                theirs.italic = True
            if "size" in fmt:
                theirs.font.size = b.Pt(fmt["size"])
            if "colour" in fmt:
                theirs.font.color.rgb = fmt["colour"]
            assert etree.tostring(ours._r) == etree.tostring(theirs._r), fmt


def test_additions_to_the_body_do_not_search_it(monkeypatch):
    doc = b.start_document(title="T", subject="S", header_left="Left")
    searched = []
    original = BaseOxmlElement.first_child_found_in

    def counting(self, *tagnames):  # noqa: ANN001
        if self.tag == b.qn("w:body"):
            searched.append(tagnames)
        return original(self, *tagnames)

    monkeypatch.setattr(BaseOxmlElement, "first_child_found_in", counting)
    _fill(doc)
    assert searched == []
    body = doc.element.body
    assert body[-1].tag == b.qn("w:sectPr")  # the final sectPr stays last
    assert len(doc.sections) == 4


def test_a_style_is_looked_up_once_per_document(monkeypatch):
    from docx.oxml.styles import CT_Styles

    monkeypatch.setattr(b, "_STYLE_PLACES", {})  # as in a new process
    looked_up = []
    original = CT_Styles.get_by_name

    def counting(self, name):  # noqa: ANN001
        looked_up.append(name)
        return original(self, name)

    monkeypatch.setattr(CT_Styles, "get_by_name", counting)
    for _ in range(2):
        doc = b.start_document(title="T", subject="S", header_left="Left")
        for number in range(20):
            b.add_heading(doc, f"Heading {number}", 2)
            grid = doc.styles["Table Grid"]
        # each document's styles are its own
        assert grid.element.getparent() is doc.part.styles.element
        assert [p.style.name for p in doc.paragraphs[-2:]] == ["Heading 2", "Heading 2"]
    # The house style is set on a prototype once per process, and where each style is among
    # the prototype's styles is found once per process too: the second document searches
    # for none.
    assert sorted(name.lower() for name in looked_up) == ["heading 2", "table grid"]


@pytest.fixture
def paper(db, conference_id):
    for number in range(12):
        add_invitee(db, conference_id, name=f"Partner {number:02d}", organisation="Youth service")
    return meeting_paper.gather(db, conference_id, None)


def test_invitations_build_each_shared_block_once(paper, monkeypatch):
    built = {"meeting": 0, "reply": 0}
    box, reply = invitations.add_meeting_box, invitations.add_reply_line

    def counting_box(*args):  # noqa: ANN002
        built["meeting"] += 1
        return box(*args)

    def counting_reply(*args):  # noqa: ANN002
        built["reply"] += 1
        return reply(*args)

    monkeypatch.setattr(invitations, "add_meeting_box", counting_box)
    monkeypatch.setattr(invitations, "add_reply_line", counting_reply)
    doc = invitations.build(paper)
    assert built == {"meeting": 1, "reply": 1}
    assert len(doc.sections) == len(paper.invitees) == 12
    names = [p.text.split("\n")[0] for p in doc.paragraphs if p.text.startswith("Partner ")]
    assert names == [f"Partner {number:02d}" for number in range(12)]


def test_invitations_are_the_same_as_letters_built_in_full(paper, monkeypatch):
    copied = _xml(invitations.build(paper))
    monkeypatch.setattr(b.Repeats, "add", lambda _self, _key, build: build())
    assert copied == _xml(invitations.build(paper))


def test_letters_are_each_what_render_invitation_makes_of_them(db, conference_id, paper):
    """letters_for cleans the template and the placeholders the same for everyone once; each
    letter is still render_invitation's for that person, placeholder by placeholder."""
    add_invitee(db, conference_id, name=" Ann\x0b Lee ", organisation="")  # none: line left out
    paper = meeting_paper.gather(db, conference_id, None)
    every = " ".join(f"{{{key}}}" for key in invitations.PLACEHOLDERS)
    template = (
        f"# Dear {{name}}\n{{organisation}}\n{every}\n- {{ Role }} at {{venue}}\n{{agenda}}\nEnd"
    )
    letters = invitations.letters_for(paper, template)
    assert len(letters) == 13
    for letter in letters:
        values = invitations.letter_values(paper, letter.invitee)
        assert list(letter.paragraphs) == invitations.render_invitation(template, values)
    assert letters[-1].paragraphs[0].text == "Dear Ann Lee"
    assert letters[0].paragraphs[1].text.startswith("Youth service")


def test_the_package_is_python_docx_own_with_pictures_stored_not_deflated_again():
    """write_package goes through python-docx's private package writing (its parts and
    _ContentTypesItem): the members, their order and their contents are what Document.save
    writes; only a picture's compression differs (stored: it is a PNG already)."""
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(picture, "PNG")
    doc = b.start_document(title="T", subject="S", header_left="Left", header_right="Right")
    _fill(doc)
    doc.add_picture(io.BytesIO(picture.getvalue()), width=b.Mm(40))
    # start_document's package walks its parts with docx_base's own walk (which makes no
    # cycle); Document.save goes through it too, so the order is pinned to python-docx's here.
    from docx.opc.package import OpcPackage

    package = doc.part.package
    assert list(b._walk_parts(package, [])) == list(OpcPackage.iter_parts(package))
    theirs, ours = io.BytesIO(), io.BytesIO()
    doc.save(theirs)
    b.write_package(doc, ours)
    with zipfile.ZipFile(theirs) as a, zipfile.ZipFile(ours) as o:
        assert [i.filename for i in a.infolist()] == [i.filename for i in o.infolist()]
        for info in o.infolist():
            assert o.read(info) == a.read(info.filename), info.filename
        kinds = {i.filename: i.compress_type for i in o.infolist()}
    assert kinds["word/media/image1.png"] == zipfile.ZIP_STORED
    assert kinds["word/document.xml"] == zipfile.ZIP_DEFLATED
    assert {name for name, kind in kinds.items() if kind == zipfile.ZIP_STORED} == {
        "word/media/image1.png"
    }


@pytest.mark.parametrize("landscape", [False, True])
def test_a_document_from_the_prototype_is_one_styled_in_full(landscape):
    """new_document reads a prototype styled once per process; its parts are those of a
    document given the house style, the scrubbing and the page itself."""
    import docx

    ours = b.new_document(title="T", subject="S", landscape=landscape)
    theirs = docx.Document()
    b.set_core_properties(theirs, title="T", subject="S")
    b._scrub_package(theirs)
    b.apply_house_style(theirs)
    b.set_page(theirs.sections[0], landscape=landscape)
    parts = []
    for doc in (ours, theirs):
        buffer = io.BytesIO()
        doc.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            parts.append(
                {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}
            )
    assert list(parts[0]) == list(parts[1])
    assert parts[0] == parts[1]


def test_a_part_deflated_before_is_written_as_zipfile_writes_it(monkeypatch):
    """write_package gives a large part deflated as last time the bytes deflated then (through
    zipfile's member writer's `_compressor`): the file is byte for byte zipfile's own."""
    import time

    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)  # the members' time stamps
    monkeypatch.setattr(b, "_DEFLATED", {})
    doc = b.start_document(title="T", subject="S", header_left="Left", header_right="Right")
    _fill(doc)
    first, second = io.BytesIO(), io.BytesIO()
    b.write_package(doc, first)  # deflates, and remembers the large parts
    assert {"word/styles.xml", "word/stylesWithEffects.xml"} <= set(b._DEFLATED)
    assert "word/settings.xml" not in b._DEFLATED  # small: deflated each time
    b.write_package(doc, second)  # the remembered bytes

    def writestr(archive, name, data, stored):  # noqa: ANN001
        kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        archive.writestr(name, data, compress_type=kind)

    monkeypatch.setattr(b, "_write_member", writestr)
    theirs = io.BytesIO()
    b.write_package(doc, theirs)
    assert first.getvalue() == second.getvalue() == theirs.getvalue()


def test_documents_copied_from_the_prototype_share_nothing():
    """new_document deep-copies a prototype: what one document gets (text, a header, a
    style changed) is in no other document, nor in the prototype."""
    first = b.start_document(title="A", subject="S", header_left="Left A")
    b.add_paragraph(first, "Only in the first")
    first.styles["Normal"].font.bold = True
    second = b.new_document(title="B")
    assert second.part.package is not first.part.package
    assert [p.text for p in second.paragraphs] == [""] * len(second.paragraphs)
    assert second.styles["Normal"].font.bold is None
    assert second.core_properties.title == "B" and first.core_properties.title == "A"
    assert b._PROTOTYPES[False].core_properties.title != "A"
    assert second.sections[0].header.is_linked_to_previous  # no header made in it


@pytest.mark.parametrize(
    ("tag", "followers"),
    [
        ("w:pgNumType", "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter"),
        ("w:titlePg", "textDirection bidi rtlGutter docGrid printerSettings sectPrChange"),
        ("w:pgSz", "pgMar paperSrc pgBorders lnNumType pgNumType cols"),
        ("w:docGrid", "printerSettings sectPrChange"),  # none present: appended
        ("w:type", "docGrid pgSz"),  # docGrid comes later in the XML, but is named first
    ],
)
def test_insert_puts_an_element_where_python_docx_does(tag, followers):
    from lxml import etree

    section = b.new_document(title="T").sections[0]._sectPr
    ours, theirs = section.clone(), section.clone()
    b._insert(ours, b.OxmlElement(tag), followers)
    theirs.insert_element_before(b.OxmlElement(tag), *(f"w:{t}" for t in followers.split()))
    assert etree.tostring(ours) == etree.tostring(theirs)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_saved_document_leaves_nothing_for_the_collector(tmp_path):
    """python-docx's documents are webs of cycles (package and parts, tables and their rows,
    the walk of the parts); save_atomic releases the document, so that it and its XML are
    freed by reference counting at once, and nothing is left for a collection to find."""

    def export(name: str) -> list[weakref.ref]:
        doc = b.start_document(title="T", subject="S", header_left="Left", header_right="Right")
        _fill(doc)  # tables, sections with their own headers, footers with fields
        b.add_paragraph(doc, "A picture:").add_run().add_picture(io.BytesIO(_png()))
        table = b.add_table(doc, ("One", "Two"), [("a", "b"), ("c", "d")], (b.Mm(40), b.Mm(60)))
        b.merge_down([row.cells[0] for row in table.rows[1:]])
        table.add_row().cells[0].merge(table.rows[-1].cells[1])
        assert [len(row.cells) for row in table.rows] == [2, 2, 2, 2]
        assert len(table.columns) == 2
        parts = [weakref.ref(part) for part in b._walk_parts(doc.part.package, [])]
        b.save_atomic(doc, tmp_path / name)
        return parts

    export("warm.docx")  # the prototypes, made once per process
    enabled = gc.isenabled()
    gc.disable()  # no collection part way through, which would free what is left
    try:
        gc.collect()
        parts = export("measured.docx")
        # Weak references, not gc.collect()'s count: that also counts other threads' garbage
        # (the test runner's), which says nothing about the document.
        left = [ref for ref in parts if ref() is not None]
    finally:
        if enabled:
            gc.enable()
    assert len(parts) > 5 and left == []
    assert zipfile.ZipFile(tmp_path / "measured.docx").testzip() is None


def test_a_table_row_cells_are_python_docx_own_when_cells_are_merged():
    """_NewRow.cells, merged across and down, names the cells python-docx's _Row.cells does."""
    from docx.table import _Row

    doc = b.new_document(title="T")
    table = b.add_table(doc, None, [("a", "b", "c")] * 4, (b.Mm(30), b.Mm(30), b.Mm(30)))
    b.merge_down([row.cells[0] for row in table.rows[:3]])
    table.rows[1].cells[1].merge(table.rows[2].cells[2])  # a block: across and down
    table.rows[3].cells[0].merge(table.rows[3].cells[1])  # across only
    for row in table.rows:
        theirs = _Row(row._tr, row._parent).cells
        assert [cell._tc for cell in row.cells] == [cell._tc for cell in theirs]
    assert [len({id(c._tc) for c in row.cells}) for row in table.rows] == [3, 2, 2, 2]
