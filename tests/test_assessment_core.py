"""The assessment report: sections are upserted, cleaned, and never lost when switching structure."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from csfacilitator.core import vocab
from csfacilitator.core.assessment import (
    MAX_SECTION_CHARS,
    get_report,
    heading_for,
    set_section,
    set_structure,
    tidy_pasted_text,
)
from csfacilitator.core.conferences import create_conference, get_conference
from csfacilitator.core.model import AssessmentSection
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


def bodies(report):
    return {r.key: r.body for r in report.sections + report.other_notes}


def test_new_conference_shows_thematic_sections_empty(db, conference_id):
    report = get_report(db, conference_id)
    assert report.structure == "thematic"
    assert [(r.key, r.heading) for r in report.sections] == list(vocab.REPORT_SECTIONS["thematic"])
    assert all(r.body == "" and r.in_structure for r in report.sections)
    assert report.other_notes == ()


def test_set_section_upserts_one_row(db, conference_id):
    set_section(db, conference_id, "summary", "First draft")
    record = set_section(db, conference_id, "summary", "Second draft\n\n• a point")
    assert record.body == "Second draft\n\n• a point"
    assert record.in_structure and record.heading == "Summary of concerns"
    assert bodies(get_report(db, conference_id))["summary"] == "Second draft\n\n• a point"
    with db.session() as s:
        count = s.scalar(
            select(func.count())
            .select_from(AssessmentSection)
            .where(
                AssessmentSection.conference_id == conference_id, AssessmentSection.key == "summary"
            )
        )
    assert count == 1


def test_sections_belong_to_their_conference(db, conference_id):
    other = create_conference(db, "Another context")
    set_section(db, conference_id, "summary", "Ours")
    assert bodies(get_report(db, other))["summary"] == ""


def test_switching_structure_keeps_every_text(db, conference_id):
    texts = {}
    for key in {k for sections in vocab.REPORT_SECTIONS.values() for k, _ in sections}:
        texts[key] = f"Notes for {key}"
        set_section(db, conference_id, key, texts[key])
    for structure in ("triangle", "thematic", "triangle"):
        report = set_structure(db, conference_id, structure)
        assert report.structure == structure
        assert get_conference(db, conference_id).report_structure == structure
        assert bodies(report) == texts
        assert [r.key for r in report.sections] == [k for k, _ in vocab.REPORT_SECTIONS[structure]]


def test_other_notes_appear_after_switching(db, conference_id):
    set_section(db, conference_id, "community", "Residents of the estate")
    set_section(db, conference_id, "resources", "Youth club two evenings a week")
    set_section(db, conference_id, "thematic_issues", "Shared key")
    set_section(db, conference_id, "young_people_views", "Feel unsafe after dark")

    report = set_structure(db, conference_id, "triangle")

    others = {r.key: r for r in report.other_notes}
    assert set(others) == {"community", "resources"}
    assert others["community"].heading == "The community affected"
    assert others["resources"].heading == "Resources, services and guardianship"
    assert not others["community"].in_structure
    shown = {r.key: r for r in report.sections}
    assert shown["thematic_issues"].body == "Shared key"
    # Shared keys take the chosen structure's heading.
    assert shown["young_people_views"].heading == "Young people's and parents' views"
    assert shown["young_people_views"].body == "Feel unsafe after dark"

    # Other notes stay editable and come back in place when switching back.
    set_section(db, conference_id, "community", "Residents and traders")
    set_section(db, conference_id, "needs", "Somewhere to go after school")
    back = set_structure(db, conference_id, "thematic")
    assert {r.key: r.body for r in back.sections}["community"] == "Residents and traders"
    assert [(r.key, r.heading) for r in back.other_notes] == [
        ("needs", "Young people's needs in the context")
    ]


def test_empty_sections_are_not_listed_as_other_notes(db, conference_id):
    set_section(db, conference_id, "community", "   \n  ")
    assert set_structure(db, conference_id, "triangle").other_notes == ()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Line one\x0bline two", "Line one\nline two"),
        ("nul\x00 and bell\x07 gone", "nul and bell gone"),
        ("Emoji stay 🙂👍🏽", "Emoji stay 🙂👍🏽"),
        ("שלום — مرحبا بالعالم", "שלום — مرحبا بالعالم"),
        ("\r\nWindows\r\nlines\r\n\r\n", "Windows\nlines"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("", ""),
    ],
)
def test_hostile_text_is_stored_cleaned(db, conference_id, given, stored):
    assert set_section(db, conference_id, "summary", given).body == stored
    assert bodies(get_report(db, conference_id))["summary"] == stored


def test_huge_text_is_stored_whole(db, conference_id):
    text = ("Paragraph about the high street. " * 3000)[:100_000]
    set_section(db, conference_id, "conclusion", text)
    assert bodies(get_report(db, conference_id))["conclusion"] == text.rstrip()


def test_text_over_the_limit_is_refused_with_a_message(db, conference_id):
    set_section(db, conference_id, "summary", "kept")
    with pytest.raises(UserError, match="too long"):
        set_section(db, conference_id, "summary", "x" * (MAX_SECTION_CHARS + 1))
    assert bodies(get_report(db, conference_id))["summary"] == "kept"


def test_unknown_section_and_conference_are_refused(db, conference_id):
    with pytest.raises(UserError, match="not a section"):
        set_section(db, conference_id, "made_up", "text")
    with pytest.raises(NotFound):
        set_section(db, 9999, "summary", "text")
    with pytest.raises(NotFound):
        get_report(db, 9999)
    with pytest.raises(UserError, match="report structure"):
        set_structure(db, conference_id, "mind_map")
    assert get_conference(db, conference_id).report_structure == "thematic"


def test_section_saved_under_a_key_from_a_newer_version_is_kept_as_other_note(db, conference_id):
    with db.session() as s:
        s.add(
            AssessmentSection(conference_id=conference_id, key="history_of_place", body="Old notes")
        )
    report = get_report(db, conference_id)
    assert [(r.key, r.heading, r.body) for r in report.other_notes] == [
        ("history_of_place", "History of place", "Old notes")
    ]
    set_section(db, conference_id, "history_of_place", "Edited")
    assert get_report(db, conference_id).other_notes[0].body == "Edited"


def test_heading_for():
    assert heading_for("community") == "The community affected"
    assert heading_for("plan", "triangle") == "Proposed plan"
    assert heading_for("plan", "thematic") == "Suggested plan"
    assert heading_for("needs", "thematic") == "Young people's needs in the context"


def test_tidy_pasted_text_makes_word_bullets_consistent():
    pasted = (
        "Concerns raised by partners\r\n"
        "\r\n"
        "\u2022\tGroups gather by the bus stop\r\n"
        "o\tmostly after 3 pm\r\n"
        "\uf0b7\tPoor lighting in the underpass\x0b"
        "- Shop staff feel unsupported\r\n"
        "* Asterisk bullet\r\n"
        "-5 degrees is not a bullet\r\n"
        "1.\tNumbered lines stay numbered\r\n"
        "\r\n\r\n\r\n"
        "Next paragraph\x0c"
    )
    assert tidy_pasted_text(pasted) == (
        "Concerns raised by partners\n"
        "\n"
        "• Groups gather by the bus stop\n"
        "  • mostly after 3 pm\n"
        "• Poor lighting in the underpass\n"
        "• Shop staff feel unsupported\n"
        "• Asterisk bullet\n"
        "-5 degrees is not a bullet\n"
        "1.\tNumbered lines stay numbered\n"
        "\n"
        "Next paragraph"
    )
    assert tidy_pasted_text(tidy_pasted_text(pasted)) == tidy_pasted_text(pasted)
