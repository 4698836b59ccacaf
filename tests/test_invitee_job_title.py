"""An invitee's job title is its own field, apart from their role at the meeting, and travels:
a CSV's "Job title" column lands there, the CSV export and the address book carry it, and the
sign-in sheet prints it under the organisation."""

from __future__ import annotations

import csv

import pytest
from docx import Document

from csfacilitator.core import address_book, invitee_csv
from csfacilitator.core import invitees as inv
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.papers import meeting_paper
from csfacilitator.export import signin

pytestmark = pytest.mark.postgresql_too


def test_a_csv_job_title_column_is_the_job_and_role_is_the_part_at_the_meeting(db, tmp_path):
    conference_id = create_conference(db, "Riverside Park")
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Organisation,Job title,Role,Category\n"
        "Dan Hughes,Dunhaven Police,Safer neighbourhoods sergeant,Partner,Police\n"
        "Ann Lee,Hope Trust,Project worker,,Voluntary and community organisations\n",
        encoding="utf-8",
    )
    preview = invitee_csv.read_csv(path)
    mapping = invitee_csv.suggest_mapping(preview.headers)
    assert sorted(mapping.values()) == ["category", "job_title", "name", "organisation", "role"]
    invitee_csv.import_rows(db, conference_id, preview, mapping)
    dan, ann = inv.list_invitees(db, conference_id)
    assert (dan.job_title, dan.role) == ("Safer neighbourhoods sergeant", "Partner")
    assert (ann.job_title, ann.role) == ("Project worker", "")
    # The category is the suggested agency's, whatever plural it was typed in.
    assert ann.category == "Voluntary and community organisation"

    out = invitee_csv.export_csv(db, conference_id, tmp_path / "out.csv")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["Job title"] == "Safer neighbourhoods sergeant"
    assert rows[0]["Role at the meeting"] == "Partner"


def test_the_address_book_carries_the_job_title(db):
    first = create_conference(db, "Riverside Park")
    inv.add_invitee(db, first, name="Dan Hughes", organisation="Police", job_title="Sergeant")
    second = create_conference(db, "Mill Road")
    (partner,) = address_book.list_partners(db, second)
    assert partner.job_title == "Sergeant"
    assert address_book.filter_partners([partner], "serg") == [partner]
    (added,) = address_book.add_from_address_book(db, second, [partner.key])
    assert added.job_title == "Sergeant"


def test_the_sign_in_sheet_prints_the_job_under_the_organisation(db, tmp_path):
    conference_id = create_conference(db, "Riverside Park")
    inv.add_invitee(
        db,
        conference_id,
        name="Dan Hughes",
        organisation="Dunhaven Police",
        job_title="Safer neighbourhoods sergeant",
        role="Partner",
    )
    inv.add_invitee(
        db, conference_id, name="Sue Park", organisation="Council", job_title="Parks manager",
        role="Place manager",
    )  # fmt: skip
    path = signin.save(meeting_paper.gather(db, conference_id), tmp_path / "s.docx")
    sheet = Document(str(path)).tables[1]
    rows = {row.cells[0].text: row.cells[1].text for row in sheet.rows[1:] if row.cells[0].text}
    # "Partner" says nothing on a sign-in sheet; a named part at the meeting does.
    assert rows["Dan Hughes"] == "Dunhaven Police\nSafer neighbourhoods sergeant"
    assert rows["Sue Park"] == "Council\nParks manager · Place manager"
