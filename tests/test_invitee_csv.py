"""Invite lists from and to CSV: files shaped as Excel writes them, bytes written by the tests."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csfacilitator.core import invitee_csv as ic
from csfacilitator.core import invitees as inv
from csfacilitator.core import vocab
from csfacilitator.core.address_book import partner_key
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.export_log import list_exports
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import ExportError, UserError
from tests.harness.cli_runner import run_cli

pytestmark = pytest.mark.postgresql_too


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def names(db, conference_id):
    return [i.name for i in inv.list_invitees(db, conference_id)]


def by_name(db, conference_id):
    return {i.name: i for i in inv.list_invitees(db, conference_id)}


def import_file(db, conference_id, path):
    preview = ic.read_csv(path)
    return ic.import_rows(db, conference_id, preview, ic.suggest_mapping(preview.headers))


# --- reading Excel's files --------------------------------------------------------------------


def test_windows_1252_with_irish_and_french_accents(tmp_path, db, conference_id):
    text = (
        "Name,Organisation,E-mail,Notes\r\n"
        "Siobhán Ó Briain,Café on the Corner,siobhan@example.org,Costs €20 – “ask first”\r\n"
    )
    path = write(tmp_path, "ansi.csv", text.encode("cp1252"))
    preview = ic.read_csv(path)
    assert preview.encoding == "Windows-1252"
    assert preview.delimiter == ","
    result = ic.import_rows(db, conference_id, preview, ic.suggest_mapping(preview.headers))
    assert len(result.added) == 1 and not result.bad_rows and not result.flagged
    siobhan = by_name(db, conference_id)["Siobhán Ó Briain"]
    assert siobhan.organisation == "Café on the Corner"
    assert siobhan.notes == "Costs €20 – “ask first”"


def test_utf8_with_bom_emoji_and_arabic(tmp_path, db, conference_id):
    text = "Name,Organisation,Role\r\nSam 🙂 Okoye,مركز الشباب,منسق\r\n"
    path = write(tmp_path, "bom.csv", codecs.BOM_UTF8 + text.encode("utf-8"))
    preview = ic.read_csv(path)
    assert preview.encoding == "UTF-8 with BOM"
    assert preview.headers == ("Name", "Organisation", "Role")  # no BOM glued to "Name"
    import_file_result = ic.import_rows(
        db, conference_id, preview, ic.suggest_mapping(preview.headers)
    )
    assert len(import_file_result.added) == 1
    sam = by_name(db, conference_id)["Sam 🙂 Okoye"]
    assert (sam.organisation, sam.role) == ("مركز الشباب", "منسق")


def test_plain_utf8_without_bom(tmp_path, db, conference_id):
    path = write(tmp_path, "plain.csv", "Name\nZoë Achterberg\n".encode())
    assert ic.read_csv(path).encoding == "UTF-8"
    import_file(db, conference_id, path)
    assert names(db, conference_id) == ["Zoë Achterberg"]


def test_semicolons_from_european_excel_with_commas_inside_cells(tmp_path, db, conference_id):
    text = (
        "Naam;Organisation;Telephone;Email\r\n"
        "Doe, Jane;Council, Parks team;+44 1632 960000;jane@example.org\r\n"
        "Kim Lee;School;01632 960001;kim@example.org\r\n"
    )
    path = write(tmp_path, "euro.csv", text.encode("cp1252"))
    preview = ic.read_csv(path)
    assert preview.delimiter == ";"
    mapping = ic.suggest_mapping(preview.headers)
    assert 0 not in mapping  # "Naam" is not recognised: the user maps it in the preview
    mapping[0] = "name"
    result = ic.import_rows(db, conference_id, preview, mapping)
    assert len(result.added) == 2
    jane = by_name(db, conference_id)["Doe, Jane"]
    assert (jane.organisation, jane.phone) == ("Council, Parks team", "+44 1632 960000")


def test_quoted_newlines_and_commas_crlf_and_a_trailing_empty_row(tmp_path, db, conference_id):
    data = (
        b"Name,Organisation,Notes\r\n"
        b'"Ellis, Bronwen","Community Health, School Nursing","Line one\r\nLine two, with a comma"\r\n'
        b'Rhys Whitfield,Wrenmoor Rovers FC,"He said ""yes"""\r\n'
        b",,\r\n"
        b"\r\n"
    )
    path = write(tmp_path, "quoted.csv", data)
    preview = ic.read_csv(path)
    assert [row.line for row in preview.rows] == [2, 3]  # the empty rows are not people
    result = ic.import_rows(db, conference_id, preview, ic.suggest_mapping(preview.headers))
    assert not result.bad_rows
    stored = by_name(db, conference_id)
    assert stored["Ellis, Bronwen"].notes == "Line one\nLine two, with a comma"
    assert stored["Ellis, Bronwen"].organisation == "Community Health, School Nursing"
    assert stored["Rhys Whitfield"].notes == 'He said "yes"'


def test_tabs_in_utf16_as_excel_saves_unicode_text(tmp_path, db, conference_id):
    text = "Name\tOrganisation\r\nAmira Haddad\tYouth Hub\r\n"
    path = write(tmp_path, "unicode.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    preview = ic.read_csv(path)
    assert (preview.encoding, preview.delimiter) == ("UTF-16", "\t")
    import_file(db, conference_id, path)
    assert by_name(db, conference_id)["Amira Haddad"].organisation == "Youth Hub"


def test_excel_sep_line_decides_the_delimiter(tmp_path):
    path = write(tmp_path, "sep.csv", b"sep=;\r\nName;Org, Ltd\r\nA;B\r\n")
    preview = ic.read_csv(path)
    assert preview.delimiter == ";"
    assert preview.headers == ("Name", "Org, Ltd")
    assert preview.rows[0].line == 2


def test_a_single_column_file(tmp_path):
    preview = ic.read_csv(write(tmp_path, "one.csv", b"Name\r\nA\r\nB\r\n"))
    assert preview.headers == ("Name",)
    assert [r.cells for r in preview.rows] == [("A",), ("B",)]


def test_ragged_rows_get_named_columns(tmp_path):
    preview = ic.read_csv(write(tmp_path, "ragged.csv", b"Name,,\r\nA,x,y,z\r\nB\r\n"))
    assert preview.headers == ("Name", "Column 2", "Column 3", "Column 4")
    assert preview.rows[1].cell(3) == ""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0old-xls", "Excel workbook"),
        (b"\x00\x01\x02binary", "not a text"),
        (b"", "empty"),
        (b"\r\n,,\r\n", "empty"),
        (b'Name,Notes\r\nA,"never closed\r\n' + b"x" * 200_000, "quote"),
    ],
)
def test_files_that_are_not_usable_csv_are_refused_plainly(tmp_path, data, words):
    with pytest.raises(UserError, match=words):
        ic.read_csv(write(tmp_path, "bad.csv", data))


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(UserError, match="no file"):
        ic.read_csv(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="folder"):
        ic.read_csv(tmp_path)


def test_too_many_rows_is_refused_with_a_clear_message(tmp_path, db, conference_id):
    rows = "".join(f"Person {n}\r\n" for n in range(ic.MAX_ROWS + 1))
    path = write(tmp_path, "big.csv", ("Name\r\n" + rows).encode())
    with pytest.raises(UserError, match="at most 5,000 can be imported"):
        ic.read_csv(path)
    assert names(db, conference_id) == []
    exactly = write(tmp_path, "ok.csv", ("Name\r\n" + rows.split("\r\n", 1)[1]).encode())
    assert len(ic.read_csv(exactly).rows) == ic.MAX_ROWS


def test_too_big_a_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(b"Name,Notes\r\n")
        handle.truncate(ic.MAX_BYTES + 1)
    with pytest.raises(UserError, match=r"at most 5 MB"):
        ic.read_csv(path)


# --- mapping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Name", "name"),
        ("Full name", "name"),
        ("  FULL   NAME ", "name"),
        ("Organisation", "organisation"),
        ("Organization", "organisation"),
        ("Agency", "organisation"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("E-Mail Address", "email"),
        ("Work e-mail", "email"),
        ("Phone", "phone"),
        ("Telephone", "phone"),
        ("Mobile", "phone"),
        ("Mobile number", "phone"),
        ("Role", "role"),
        ("Job title", "job_title"),
        ("Role at the meeting", "role"),
        ("Category", "category"),
        ("Agency category", "category"),
        ("Status", "status"),
        ("Notes", "notes"),
        ("Comments", "notes"),
        ("Invited on", "invited_on"),
        ("Prepared on", "prepared_on"),
        ("ISA signed", "isa_signed"),
        ("Information-sharing agreement signed", "isa_signed"),
        ("Youth voice", "q_youth_voice"),
        ("Represents young people’s voices", "q_youth_voice"),
        ("Engaged in the assessment", "q_engaged"),
    ],
)
def test_suggested_mapping_understands_common_headers(header, field):
    assert ic.suggest_mapping(["Something else", header]) == {1: field}


def test_each_field_is_taken_once_and_the_best_match_wins():
    mapping = ic.suggest_mapping(["Email", "E-mail address", "Contact e-mail", "Name"])
    assert sorted(mapping.values()) == ["email", "name"]
    assert mapping[3] == "name"


def test_first_and_last_names_are_joined_unless_there_is_a_name_column(tmp_path, db, conference_id):
    assert ic.suggest_mapping(["First Name", "Last Name", "Display name"]) == {2: "name"}
    path = write(tmp_path, "outlook.csv", b"First Name,Last Name,Company\r\nJane,Doe,Council\r\n")
    preview = ic.read_csv(path)
    mapping = ic.suggest_mapping(preview.headers)
    assert mapping == {0: "first_name", 1: "last_name", 2: "organisation"}
    ic.import_rows(db, conference_id, preview, mapping)
    assert by_name(db, conference_id)["Jane Doe"].organisation == "Council"


def test_unrecognised_headers_are_not_guessed():
    assert ic.suggest_mapping(["Column 1", "Attendance: Conference, 5 Nov 2026", ""]) == {}


# --- importing --------------------------------------------------------------------------------


def test_a_file_without_a_name_column_is_refused_and_writes_nothing(tmp_path, db, conference_id):
    path = write(tmp_path, "noname.csv", b"Organisation,Email\r\nCouncil,a@example.org\r\n")
    preview = ic.read_csv(path)
    mapping = ic.suggest_mapping(preview.headers)
    assert ic.mapping_problem(mapping) and "Name" in ic.mapping_problem(mapping)
    with pytest.raises(UserError, match="No column is chosen as Name"):
        ic.import_rows(db, conference_id, preview, mapping)
    assert names(db, conference_id) == []


def test_two_columns_for_one_field_is_refused(tmp_path, db, conference_id):
    preview = ic.read_csv(write(tmp_path, "two.csv", b"A,B\r\nx,y\r\n"))
    with pytest.raises(UserError, match="Two columns are set to Name"):
        ic.import_rows(db, conference_id, preview, {0: "name", 1: "name"})
    assert names(db, conference_id) == []


def test_rows_without_a_name_are_listed_and_the_rest_added(tmp_path, db, conference_id):
    data = (
        b"Name,Organisation,Email\r\n"
        b"Grace Mensah,Social care,grace@example.org\r\n"  # row 2
        b"Tom Price,Corner Shop,tom at shop\r\n"  # row 3: e-mail flagged
        b",Youth Hub,someone@example.org\r\n"  # row 4: no name
        b"Amira Haddad,Youth Hub,\r\n"  # row 5
        b"   ,Council,\r\n"  # row 6: only spaces
    )
    result = import_file(db, conference_id, write(tmp_path, "mixed.csv", data))
    assert [r.name for r in result.added] == ["Grace Mensah", "Tom Price", "Amira Haddad"]
    assert result.bad_rows == ((4, "no name"), (6, "no name"))
    assert len(result.flagged) == 1
    line, flag = result.flagged[0]
    assert line == 3 and flag.startswith("invalid e-mail") and "tom at shop" in flag
    assert by_name(db, conference_id)["Tom Price"].email == "tom at shop"  # kept, not refused
    assert result.summary() == (
        "Added 3 people; 2 rows had no name (rows 4, 6); 1 e-mail looks wrong (row 3)."
    )


def test_plan_says_what_will_happen_without_writing(tmp_path, db, conference_id):
    data = b"Name,Email\r\nA,a@example.org\r\nB,bad\r\n,x\r\nC,\r\n,\r\nD,\r\n,y\r\n"
    preview = ic.read_csv(write(tmp_path, "plan.csv", data))
    plan = ic.plan_import(preview, ic.suggest_mapping(preview.headers))
    assert plan.summary() == (
        "4 people will be added; 2 rows have no name (rows 4, 8); 1 e-mail looks wrong (row 3)."
    )
    assert names(db, conference_id) == []


def test_values_that_cannot_be_read_are_kept_in_the_notes_and_flagged(tmp_path, db, conference_id):
    data = (
        b"Name,Status,Invited on,Prepared on,ISA,Youth voice,Notes\r\n"
        b"Kim Lee,Confirmed,05/11/2026,next week,maybe,Yes,Has a key to the hall\r\n"
        b"Ann Bell,on hold,2026-10-01,1 Oct 26,yes,no,\r\n"
    )
    result = import_file(db, conference_id, write(tmp_path, "values.csv", data))
    assert len(result.added) == 2
    kim, ann = by_name(db, conference_id)["Kim Lee"], by_name(db, conference_id)["Ann Bell"]
    assert kim.status == "confirmed" and kim.invited_on == dt.date(2026, 11, 5)
    assert kim.prepared_on is None and kim.isa_signed is False and kim.q_youth_voice
    assert kim.notes == (
        "Has a key to the hall\nFrom the import:\nPrepared on: next week\n"
        "Information-sharing agreement signed: maybe"
    )
    assert ann.status == "to_invite" and ann.isa_signed and not ann.q_youth_voice
    assert ann.prepared_on == dt.date(2026, 10, 1)
    assert "Status: on hold" in ann.notes
    assert [line for line, _f in result.flagged] == [2, 2, 3]
    assert "not understood" in result.summary()


def test_known_categories_are_matched_ignoring_case_and_own_words_kept(tmp_path, db, conference_id):
    data = b"Name,Category\r\nA,police\r\nB,Dog walkers\r\n"
    import_file(db, conference_id, write(tmp_path, "cat.csv", data))
    assert by_name(db, conference_id)["A"].category == "Police"
    assert by_name(db, conference_id)["B"].category == "Dog walkers"


def test_people_already_on_the_list_or_twice_in_the_file_are_skipped(tmp_path, db, conference_id):
    inv.add_invitee(db, conference_id, name="Grace Mensah", organisation="Social Care")
    data = (
        b"Name,Organisation\r\n"
        b"grace  MENSAH,social care\r\n"
        b"Tom Price,Shop\r\n"
        b"Tom Price,Shop\r\n"
        b"Tom Price,Other Shop\r\n"
    )
    result = import_file(db, conference_id, write(tmp_path, "dupes.csv", data))
    assert [r.organisation for r in result.added] == ["Shop", "Other Shop"]
    assert result.duplicates == ((2, "grace MENSAH"), (4, "Tom Price"))
    assert len(names(db, conference_id)) == 3


def test_control_characters_and_huge_cells_are_cleaned_not_refused(tmp_path, db, conference_id):
    long_notes = "word " * 20_000
    rows = io.StringIO()
    csv.writer(rows).writerows([["Name", "Notes"], ["Bell\x07 \x0bRinger\u200f", long_notes]])
    result = import_file(db, conference_id, write(tmp_path, "ctl.csv", rows.getvalue().encode()))
    stored = inv.list_invitees(db, conference_id)[0]
    assert stored.name == "Bell Ringer\u200f"
    assert len(stored.notes) == len(long_notes.rstrip())
    assert len(result.added) == 1


def test_an_import_is_all_or_nothing_and_goes_to_the_end(tmp_path, db, conference_id):
    inv.add_invitee(db, conference_id, name="First")
    import_file(db, conference_id, write(tmp_path, "two.csv", b"Name\r\nSecond\r\nThird\r\n"))
    assert names(db, conference_id) == ["First", "Second", "Third"]


# --- exporting --------------------------------------------------------------------------------


@pytest.fixture
def full_list(db, conference_id):
    meeting = list_meetings(db, conference_id)[0]
    grace = inv.add_invitee(
        db,
        conference_id,
        name="Grace Mensah",
        organisation="Children's Social Care",
        category="Children's social care",
        role="Lead practitioner",
        email="grace@example.org",
        phone="+44 1632 960000",
        q_engaged=True,
        q_can_change=True,
        status="confirmed",
        invited_on=dt.date(2026, 10, 1),
        prepared_on=dt.date(2026, 10, 15),
        notes="Brings the report\nand the map, with care",
    )
    inv.set_attendance(db, grace.id, meeting.id, "apologies")
    inv.add_invitee(
        db,
        conference_id,
        name='=HYPERLINK("http://x")',
        organisation="@evil",
        category="Local business",
        isa_signed=True,
        status="declined",
        phone="-5",
        email="not an email",
    )
    inv.add_invitee(db, conference_id, name="سارة 🙂", organisation="'=already guarded")
    return conference_id


def read_back(path):
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_export_is_excel_friendly(tmp_path, db, full_list):
    path = ic.export_csv(db, full_list, tmp_path / "list.csv")
    raw = path.read_bytes()
    assert b"\r\n" in raw
    rows = read_back(path)
    header = rows[0]
    assert header[:7] == ["Name", "Organisation", "Job title", "Agency category",
                          "Role at the meeting", "E-mail", "Phone"]  # fmt: skip
    assert header[-1].startswith("Attendance: Conference")
    grace = dict(zip(header, rows[1], strict=True))
    assert grace["Engaged in the assessment"] == "Yes"
    assert grace["Works in the context"] == "No"
    assert grace["Status"] == "Confirmed"
    assert grace["Invited on"] == "01/10/2026"
    assert grace["Prepared on"] == "15/10/2026"
    assert grace["Information-sharing agreement signed"] == "No"
    assert grace["Notes"] == "Brings the report\nand the map, with care"
    assert grace["Phone"] == "+44 1632 960000"  # a phone number is not a formula
    assert grace[header[-1]] == "Apologies"
    odd = dict(zip(header, rows[2], strict=True))
    assert odd["Name"] == '\'=HYPERLINK("http://x")'  # a spreadsheet will not run it
    assert odd["Organisation"] == "'@evil"
    assert odd["Phone"] == "-5"
    assert odd["Status"] == "Declined" and odd["Information-sharing agreement signed"] == "Yes"
    assert dict(zip(header, rows[3], strict=True))["Organisation"] == "''=already guarded"


def test_export_is_private_and_atomic(tmp_path, db, full_list):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "list.csv"
    target.write_text("old")
    target.chmod(0o644)
    ic.export_csv(db, full_list, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert read_back(target)[1][0] == "Grace Mensah"
    assert [p.name for p in folder.iterdir()] == ["list.csv"]  # no temporary file left


def test_export_errors_are_plain_and_change_nothing(tmp_path, db, full_list):
    with pytest.raises(ExportError, match="does not exist"):
        ic.export_csv(db, full_list, tmp_path / "missing" / "list.csv")
    with pytest.raises(ExportError, match="is a folder"):
        ic.export_csv(db, full_list, tmp_path)
    locked = tmp_path / "locked.csv"
    locked.write_text("keep me")
    locked.chmod(0o400)
    if os.geteuid() != 0:
        with pytest.raises(ExportError, match="read-only"):
            ic.export_csv(db, full_list, locked)
        assert locked.read_text() == "keep me"
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            with pytest.raises(ExportError, match="read-only"):
                ic.export_csv(db, full_list, folder / "list.csv")
            assert list(folder.iterdir()) == []
        finally:
            folder.chmod(0o700)


def comparable(record):
    return {
        f: getattr(record, f)
        for f in (*inv.TEXT_FIELDS, *inv.MULTILINE_FIELDS, *inv.FLAG_FIELDS, *inv.DATE_FIELDS)
    } | {"status": record.status}


def test_round_trip_into_another_conference(tmp_path, db, full_list, example_id):
    for source in (full_list, example_id):
        path = ic.export_csv(db, source, tmp_path / f"{source}.csv")
        other = create_conference(db, f"Copy of {source}")
        result = import_file(db, other, path)
        assert not result.bad_rows and not result.duplicates
        before = [comparable(i) for i in inv.list_invitees(db, source)]
        after = [comparable(i) for i in inv.list_invitees(db, other)]
        assert after == before


_text = st.text(st.characters(codec="utf-8"), max_size=40)
_invitee = st.fixed_dictionaries(
    {
        "name": _text.filter(lambda t: clean_text(t, multiline=False)),
        "organisation": _text,
        "category": st.sampled_from(("", "Own words", *vocab.AGENCY_CATEGORIES)),
        "role": _text,
        "email": _text,
        "phone": _text,
        "notes": st.text(st.characters(codec="utf-8"), max_size=120),
        "status": st.sampled_from(tuple(vocab.INVITEE_STATUSES)),
        "invited_on": st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        "q_youth_voice": st.booleans(),
        "isa_signed": st.booleans(),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(_invitee, min_size=1, max_size=4))
def test_round_trip_of_any_text(tmp_path, db, people):
    unique = {partner_key(p["name"], p["organisation"]): p for p in people}
    source = create_conference(db, "Source")
    inv.add_invitees(db, source, list(unique.values()))
    path = ic.export_csv(db, source, tmp_path / "any.csv")
    target = create_conference(db, "Target")
    result = import_file(db, target, path)
    assert not result.bad_rows and not result.duplicates
    before = [comparable(i) for i in inv.list_invitees(db, source)]
    assert [comparable(i) for i in inv.list_invitees(db, target)] == before


# --- the command line (the real process, on the test's data folder) -------------------------


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_import_reports_added_bad_rows_and_flags(tmp_path, db, conference_id):
    csv_path = write(
        tmp_path,
        "people.csv",
        "Full name;Organisation;E-mail\r\nSiobhán Ó Briain;Café;siobhan@x\r\n;Nobody;\r\n"
        "Kim Lee;School;kim@example.org\r\n".encode("cp1252"),
    )
    result = run_cli("invitees", "import", str(conference_id), str(csv_path))
    assert result.returncode == 0, result.stderr
    assert "Windows-1252, semicolons" in result.stdout
    assert "Added 2 people; 1 row had no name (row 3); 1 e-mail looks wrong (row 2)." in (
        result.stdout
    )
    assert "Row 3 not imported: no name" in result.stdout
    assert "Row 2: check invalid e-mail “siobhan@x”" in result.stdout
    assert names(db, conference_id) == ["Siobhán Ó Briain", "Kim Lee"]

    out = tmp_path / "back.csv"
    answer = ("--shared-with", "Conference partners", "--basis", "agreement")  # issue 20
    exported = run_cli("invitees", "export", "Riverside Park", "--out", str(out), *answer)
    assert exported.returncode == 0, exported.stderr
    assert f"Wrote {out}" in exported.stdout
    assert [row[0] for row in read_back(out)[1:]] == ["Siobhán Ó Briain", "Kim Lee"]
    assert [(e.kind, e.path) for e in list_exports(db, conference_id)] == [("invitees", str(out))]


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_refuses_a_file_without_names_and_writes_nothing(tmp_path, db, conference_id):
    path = write(tmp_path, "orgs.csv", b"Organisation,Email\r\nCouncil,c@example.org\r\n")
    result = run_cli("invitees", "import", str(conference_id), str(path))
    assert result.returncode == 2
    assert "no column of names" in result.stderr and "Nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert names(db, conference_id) == []

    mapped = run_cli(
        "invitees",
        "import",
        str(conference_id),
        str(path),
        "--column",
        "Organisation=name",
        "--dry-run",
    )
    assert mapped.returncode == 0, mapped.stderr
    assert "Dry run, nothing changed: 1 person will be added." in mapped.stdout
    assert names(db, conference_id) == []


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_export_to_a_missing_folder_is_a_plain_error(tmp_path, db, conference_id):
    answer = ("--shared-with", "Conference partners", "--basis", "agreement")  # issue 20
    result = run_cli(
        "invitees", "export", str(conference_id), "--out", str(tmp_path / "no" / "x.csv"), *answer
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert list_exports(db) == []
