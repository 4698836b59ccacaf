"""Outcome measures in the review and closing records (issue 19): each numeric measure is a
chart picture whose alt text states the values; the closing record states baseline, latest
value and the change; an observation is listed in words."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from docx import Document

from csfacilitator.core import outcomes, reviews
from csfacilitator.core.closing import close_conference
from csfacilitator.core.reviews import start_review
from tests.conftest import export_paper

NS = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


@pytest.fixture
def tracked(db, conference_id):
    goal = outcomes.add_goal(db, conference_id, "Fewer incidents of anti-social behaviour")
    calls = outcomes.add_measure(
        db, goal.id, "Police calls about ASB", "count", period="month",
        source="police calls, from the neighbourhood team", baseline="14",
        baseline_date="1/9/2026",
    )  # fmt: skip
    safe = outcomes.add_goal(db, conference_id, "Young people feel safe in the park")
    worry = outcomes.add_measure(
        db, safe.id, "How worried are partners", "scale", source="partners at each meeting",
        baseline="8", baseline_date="1/9/2026",
    )  # fmt: skip
    seen = outcomes.add_measure(
        db, safe.id, "What the park keeper sees", "observation", baseline="Nobody after dark"
    )
    r1 = start_review(db, conference_id, dt.date(2027, 2, 4))
    r2 = start_review(db, conference_id, dt.date(2027, 5, 6))
    outcomes.record_value(db, calls.id, r1.id, "11")
    outcomes.record_value(db, calls.id, r2.id, "9", "Lighting fixed in March")
    outcomes.record_value(db, worry.id, r1.id, "6")
    outcomes.record_value(db, worry.id, r2.id, "4")
    outcomes.record_value(db, seen.id, r2.id, "Families walk through at dusk")
    return r1, r2


def _pictures(path):
    doc = Document(str(path))
    return [
        (pr.get("name"), pr.get("descr")) for pr in doc.element.body.iterfind(".//wp:docPr", NS)
    ], "\n".join(p.text for p in doc.paragraphs)


def test_review_record_shows_each_measure_as_it_stood_at_that_review(
    db, conference_id, tracked, tmp_path
):
    r1, _ = tracked
    path = export_paper(db, "review", conference_id, tmp_path / "review1.docx", r1.id)
    pictures, text = _pictures(path)
    assert ("Chart: Police calls about ASB per month",
            "Police calls about ASB per month: baseline 14 (Sep 2026), 11 at Review 1 (Feb 2027). "
            "Change since the baseline: down 3 (from 14 to 11).") in pictures  # fmt: skip
    assert any(d.startswith("How worried are partners: baseline 8/10") for _, d in pictures)
    assert "Review 2" not in " ".join(d for _, d in pictures)  # a later review is not in it
    assert "Goal 1: Fewer incidents of anti-social behaviour" in text
    assert "At this review: 11 at Review 1 (Feb 2027)" in text
    assert "Baseline: Nobody after dark" in text  # an observation, in words


def test_closing_record_states_baseline_latest_and_change(db, conference_id, tracked, tmp_path):
    close_conference(db, conference_id, closed_on=dt.date(2027, 6, 1), summary="Safer park")
    path = export_paper(db, "closing", conference_id, tmp_path / "closing.docx")
    pictures, text = _pictures(path)
    assert len(pictures) == 2  # two numeric measures; the observation has no chart
    assert "Baseline: 14 (Tuesday 1 September 2026)" in text
    assert "Latest: 9 at Review 2 (May 2027)" in text
    assert "Change: Down 5 (from 14 to 9)." in text
    assert "Change: Down 4 on the 0–10 scale (from 8/10 to 4/10)." in text
    assert "Note at Review 2 (May 2027): Lighting fixed in March" in text
    assert "Change: From “Nobody after dark” to “Families walk through at dusk”." in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_closing_record_converts_to_pdf_pages(db, conference_id, tracked, tmp_path):
    close_conference(db, conference_id, closed_on=dt.date(2027, 6, 1), summary="Safer park")
    path = export_paper(db, "closing", conference_id, tmp_path / "closing.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert (tmp_path / "closing.pdf").stat().st_size > 10_000


def test_example_has_two_goals_with_baselines_and_two_review_values(db, example_id, tmp_path):
    goals = outcomes.conference_progress(db, example_id)
    assert len(goals) == 2
    for _goal, progresses in goals:
        for progress in progresses:
            assert progress.baseline is not None
            assert [p.label for p in progress.points[1:]] == ["Review 1", "Review 2"]
    last = reviews.list_reviews(db, example_id)[-1]
    path = export_paper(db, "review", example_id, tmp_path / "review.docx", last.id)
    pictures, _text = _pictures(path)
    charts = [d for name, d in pictures if name.startswith("Chart: ")]
    assert len(charts) == 4
    assert charts[0] == (
        "Police calls about anti-social behaviour per month: baseline 14 (Sep 2026), 11 at "
        "Review 1 (Feb 2027), 7 at Review 2 (May 2027). Change since the baseline: down 7 "
        "(from 14 to 7)."
    )
