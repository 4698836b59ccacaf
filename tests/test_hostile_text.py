"""Hostile text, property-based: whatever is typed or pasted is stored, exported and read back
as the one cleaner makes it, and no export fails on it."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import export_paper
from docx import Document
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from csfacilitator.core import bundle, conferences, meetings
from csfacilitator.core.board import add_point, board_tree
from csfacilitator.core.invitees import add_invitee, list_invitees
from csfacilitator.core.plan import add_intervention, add_need, get_plan
from csfacilitator.core.textclean import clean_text

pytestmark = pytest.mark.postgresql_too

# Every code point, lone surrogates and control characters included, with Word's breaks,
# emoji and right-to-left text made likely.
ANY_CHAR = st.characters(codec=None, categories=None)
WORD_BITS = st.sampled_from(
    ["\x0b", "\x0c", "\r\n", "\u2028", "\t", "\x00", "\ud800", "🛹", "مرحبا", "Siobhán", "\ufeff"]
)
HOSTILE = st.lists(st.one_of(ANY_CHAR, WORD_BITS), min_size=1, max_size=60).map("".join)
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# No "explain" phase: tracing a failure under a loaded CI runner takes minutes.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@given(HOSTILE)
@settings(max_examples=400, deadline=None, phases=PHASES)
def test_cleaning_is_safe_for_xml_and_idempotent(text):
    for multiline in (True, False):
        cleaned = clean_text(text, multiline=multiline)
        assert not XML_UNSAFE.search(cleaned)
        assert clean_text(cleaned, multiline=multiline) == cleaned
        cleaned.encode("utf-8")  # no lone surrogates survive
        if not multiline:
            assert "\n" not in cleaned


def docx_text(path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@given(title=HOSTILE, point=HOSTILE, need=HOSTILE, action=HOSTILE, name=HOSTILE)
@SETTINGS
def test_any_text_goes_through_every_field_into_the_exports_and_back(
    db, tmp_path, title, point, need, action, name
):
    conference_id = conferences.create_conference(db, title)
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    stored_title = conferences.get_conference(db, conference_id).title
    assert stored_title == (clean_text(title, multiline=False) or "New conference")

    point_text = clean_text(point, multiline=False)
    if point_text:
        add_point(db, meeting_id, "concerns", point)
        assert [p.text for p in board_tree(db, meeting_id)["concerns"]] == [point_text]
    need_record = add_need(db, conference_id, need if clean_text(need) else "x")
    add_intervention(
        db, need_record.id, action if clean_text(action) else "y", agency=action, progress=need
    )
    stored_need = get_plan(db, conference_id)[0]
    invitee_name = clean_text(name, multiline=False)
    if invitee_name:
        add_invitee(db, conference_id, name=name, notes=name)
        assert list_invitees(db, conference_id)[0].name == invitee_name

    minutes = export_paper(db, "minutes", conference_id, tmp_path / "minutes.docx")
    with zipfile.ZipFile(minutes) as archive:
        assert archive.testzip() is None
    text = docx_text(minutes)
    if point_text:
        assert point_text in text

    data = bundle.read_bundle(bundle.write_bundle(db, conference_id, tmp_path / "c.csfconf"))
    assert data["conference"]["title"] == stored_title
    assert data["plan"][0]["text"] == stored_need.text
    copy_id = bundle.import_conference(db, data, on_conflict="copy")
    again = bundle.export_conference(db, copy_id)
    assert again["plan"] == data["plan"]
    assert again["meetings"][0]["board"] == data["meetings"][0]["board"]
    assert again["invitees"] == data["invitees"]
    conferences.delete_conference(db, copy_id)
    conferences.delete_conference(db, conference_id)


def test_one_line_folds_and_shortens_in_one_place():
    """Labels, status messages, SQLite's reports and document properties all shorten text
    the same way: cleaned, folded onto one line, cut with '…' at the limit."""
    from csfacilitator.core.textclean import one_line

    assert one_line("Lights\x0bon the\t\tpath\n") == "Lights on the path"
    assert one_line("Lights on the path", 18) == "Lights on the path"
    assert one_line("Lights on the path", 10) == "Lights on…"
    assert len(one_line("x" * 500, 120)) == 120


@given(st.text(max_size=80), st.integers(min_value=1, max_value=60))
def test_every_cut_for_showing_follows_one_rule(text, limit):
    """The board, the plan, the invite list, the projector, the check-before-sharing list, the
    sync conflicts and the command line all cut long text with `shortened`: never longer than
    the limit, whole when it fits, else its start and '…'."""
    from csfacilitator.core.textclean import shortened

    shown = shortened(text, limit)
    assert len(shown) <= limit
    if len(text) <= limit:
        assert shown == text
    else:
        assert shown.endswith("…") and text.startswith(shown[:-1])
