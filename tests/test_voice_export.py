"""'You said, we did' on paper (issue 19): the handout (a registered document kind: the
command line's `export you-said-we-did`), one A4 page in large type with no names, read back;
the section of the review record (each action's status as at that review) and of the closing
record; the personal-details check reads the voices; the example's voices are exported."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from docx.oxml.ns import qn

from csfacilitator.cli import main as cli_main
from csfacilitator.core import documents, export_checks, plan, reviews, voice
from csfacilitator.core.closing import close_conference
from csfacilitator.core.conferences import update_conference
from csfacilitator.core.papers import you_said
from csfacilitator.errors import UserError
from csfacilitator.export import you_said_doc


@pytest.fixture
def heard(db, conference_id):
    update_conference(db, conference_id, context_name="Larkfield Park")
    need = plan.add_need(db, conference_id, "The underpass is dark")
    lights = plan.add_intervention(db, need.id, "Fix the underpass lights", agency="Highways")
    voice.add_voice(
        db, conference_id, "The underpass is scary after dark", method="detached",
        gathered_on="3/9/2026", gathered_by="Detached youth team", intervention_id=lights.id,
    )  # fmt: skip
    voice.add_voice(
        db, conference_id, "There's nothing to do on a Friday", method="school_council",
        gathered_on="10/9/2026", gathered_by="Head of Year 9",
        we_did="A Friday drop-in opened at the church hall.",
    )  # fmt: skip
    return lights


def _text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_handout_is_a_registered_kind_written_from_the_command_line(
    paths, db, conference_id, heard, tmp_path
):
    kind = documents.kind("you-said-we-did")
    assert kind.label == "You said, we did handout" and not kind.per_meeting
    assert documents.VOICE in kind.scan
    out = tmp_path / "handout.docx"
    code = cli_main([
        "--data-dir", str(paths.root), "export", "you-said-we-did", str(conference_id),
        "--out", str(out), "--shared-with", "Young people at the youth club",
        "--basis", "public_task",
    ])  # fmt: skip
    assert code == 0 and out.exists()
    document = docx.Document(str(out))
    assert document.core_properties.title == "You said, we did: Larkfield Park"
    assert document.core_properties.author == ""
    section = document.sections[0]
    assert section.page_width < section.page_height  # A4 portrait
    text = _text(out)
    assert "What you told us about Larkfield Park" in text
    assert "“The underpass is scary after dark”" in text
    assert "We have agreed to do this: Fix the underpass lights." in text  # read from the plan
    assert "A Friday drop-in opened at the church hall." in text  # written for them
    assert "youth workers out and about and the school council" in text
    # No names and no professional detail: not who gathered it, not the agency, not the footer
    # that says "confidential" (the handout is meant to be handed out).
    for absent in ("Head of Year 9", "Detached youth team", "Highways", "Confidential"):
        assert absent not in text
    assert "Confidential" not in "\n".join(p.text for p in section.footer.paragraphs)
    # Large type, and the "You said / We did" row is a marked header row (words, not colour).
    sizes = {run.font.size.pt for table in document.tables[1:] for row in table.rows[1:]
             for cell in row.cells for p in cell.paragraphs for run in p.runs}  # fmt: skip
    assert sizes and min(sizes) >= you_said_doc.HANDOUT_MIN_PT
    labels = document.tables[1].rows[0]
    assert [c.text for c in labels.cells] == ["You said", "We did"]
    assert labels._tr.trPr.find(qn("w:tblHeader")) is not None


def test_a_handout_with_no_voices_is_refused_in_a_sentence(db, conference_id):
    with pytest.raises(UserError, match="No young people's voices are recorded"):
        you_said.gather(db, conference_id)


def test_type_shrinks_to_keep_one_page_but_never_below_the_minimum():
    short = [you_said.YouSaid("It's dark", "", "Lights fixed", True, "", "survey")]
    assert you_said_doc.handout_size(short) == you_said_doc.HANDOUT_SIZES[0]
    many = short * 6 + [you_said.YouSaid("word " * 60, "", "word " * 60, True, "", "other")] * 4
    assert you_said_doc.handout_size(many) == you_said_doc.HANDOUT_MIN_PT
    some = [you_said.YouSaid("word " * 14, "", "word " * 14, True, "", "other")] * 6
    assert you_said_doc.HANDOUT_MIN_PT < you_said_doc.handout_size(some) < 18


def test_the_review_record_says_what_was_done_as_at_that_review(db, conference_id, heard, tmp_path):
    first = reviews.start_review(db, conference_id, dt.date(2027, 2, 4))
    reviews.record_progress(db, heard.id, first.id, "in_progress", "Survey done")
    second = reviews.start_review(db, conference_id, dt.date(2027, 5, 6))
    reviews.record_progress(db, heard.id, second.id, "done", "Lights on")
    voice.add_voice(db, conference_id, "Heard after the first review", gathered_on="1/3/2027")

    old = documents.kind("review").gather_data(db, conference_id, first.id)
    assert [i.said for i in old.you_said] == [
        "The underpass is scary after dark", "There's nothing to do on a Friday"
    ]  # fmt: skip
    assert old.you_said[0].we_did == "We are working on it: Fix the underpass lights."
    assert old.you_said[0].link == "Action: Fix the underpass lights (In progress)"
    path = documents.kind("review").write(old, tmp_path / "review.docx")
    text = _text(path)
    assert "You said, we did" in text and "We are working on it" in text
    assert "Detached youth work, by Detached youth team, 3 Sep 2026" in text
    assert "From the plan. Action: Fix the underpass lights (In progress)" in text

    latest = documents.kind("review").gather_data(db, conference_id, second.id)
    assert latest.you_said[0].we_did == "Done: Fix the underpass lights."
    assert len(latest.you_said) == 3


def test_the_closing_record_has_you_said_we_did(db, conference_id, heard, tmp_path):
    close_conference(db, conference_id, closed_on="1/6/2027", summary="Safer")
    data = documents.kind("closing").gather_data(db, conference_id, None)
    text = _text(documents.kind("closing").write(data, tmp_path / "closing.docx"))
    assert "You said, we did" in text and "as the conference closed" in text
    assert "A Friday drop-in opened at the church hall." in text


def test_the_personal_details_check_reads_the_voices(db, conference_id, heard):
    update_conference(db, conference_id, names_to_keep_out="Tia Brown")
    voice.add_voice(db, conference_id, "Tia Brown's brother sells at the shops")
    for key in ("you-said-we-did", "review", "closing"):
        found = export_checks.personal_details(db, documents.kind(key), conference_id, None)
        assert [(f.where, f.matched) for f in found] == [("Young people's voice", "Tia Brown")]


def test_the_example_has_voices_linked_to_actions_and_exports_its_handout(db, example_id, tmp_path):
    voices = voice.list_voices(db, example_id)
    assert len(voices) == 6 and all(v.intervention_id is not None for v in voices)
    assert sum(v.reply_written for v in voices) == 4
    for v in voices:
        assert voice.name_warnings(db, example_id, v.text, v.gathered_by, v.we_did) == []
    kind = documents.kind("you-said-we-did")
    path = kind.write(kind.gather_data(db, example_id, None), tmp_path / "handout.docx")
    assert "We have agreed to do this: Repair the lighting in the Mill Road underpass." in _text(
        path
    )
