"""The invite list's core operations and its coverage, through the public functions only."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import invitees as inv
from csfacilitator.core import vocab
from csfacilitator.core.conferences import create_conference, get_conference
from csfacilitator.core.dates import as_date
from csfacilitator.core.meetings import add_meeting, delete_meeting, list_meetings
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


def names(db, conference_id):
    return [i.name for i in inv.list_invitees(db, conference_id)]


def test_add_stores_every_field_and_lists_in_order(db, conference_id):
    first = inv.add_invitee(
        db,
        conference_id,
        name="Sarah Okafor",
        organisation="Riverside Academy",
        category="Education / school",
        role="Place manager",
        email="s.okafor@riverside.sch.uk",
        phone="01234 567890",
        q_engaged=True,
        q_can_change=True,
        status="confirmed",
        invited_on="2025-02-01",
        prepared_on=dt.date(2025, 2, 20),
        isa_signed=False,
        notes="Meets us at the gate.\nBring the map.",
    )
    inv.add_invitee(db, conference_id, name="PC Daniel Hughes")
    listed = inv.list_invitees(db, conference_id)
    assert [i.name for i in listed] == ["Sarah Okafor", "PC Daniel Hughes"]
    assert [i.position for i in listed] == [0, 1]
    stored = listed[0]
    assert stored == first
    assert stored.organisation == "Riverside Academy"
    assert stored.q_engaged and stored.q_can_change and not stored.q_youth_voice
    assert stored.status == "confirmed"
    assert stored.invited_on == dt.date(2025, 2, 1)
    assert stored.prepared_on == dt.date(2025, 2, 20)
    assert stored.notes == "Meets us at the gate.\nBring the map."
    assert stored.attendance == {}
    assert listed[1].status == "to_invite"


def test_add_at_a_position_shifts_the_others(db, conference_id):
    for name in ("A", "B", "C"):
        inv.add_invitee(db, conference_id, name=name)
    inv.add_invitee(db, conference_id, name="first", position=0)
    inv.add_invitee(db, conference_id, name="middle", position=2)
    assert names(db, conference_id) == ["first", "A", "middle", "B", "C"]
    assert [i.position for i in inv.list_invitees(db, conference_id)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("name", ["", "   ", "\x0b\x0c", None])
def test_a_name_is_required(db, conference_id, name):
    with pytest.raises(UserError, match="An invitee needs a name."):
        inv.add_invitee(db, conference_id, name=name)
    other = inv.add_invitee(db, conference_id, name="Kept")
    with pytest.raises(UserError, match="An invitee needs a name."):
        inv.update_invitee(db, other.id, name=name)
    assert names(db, conference_id) == ["Kept"]


def test_add_to_a_missing_conference_is_refused(db):
    with pytest.raises(NotFound):
        inv.add_invitee(db, 999, name="Nobody")


def test_text_is_cleaned_single_line_except_notes(db, conference_id):
    record = inv.add_invitee(
        db,
        conference_id,
        name="  Jo\x0bWhitfield\x00 ",
        organisation="Riverside\nResidents'\r\nAssociation",
        notes="line one\x0bline two\x0c\x07",
    )
    assert record.name == "Jo Whitfield"
    assert record.organisation == "Riverside Residents' Association"
    assert record.notes == "line one\nline two"


def test_emoji_right_to_left_and_huge_text_are_kept(db, conference_id):
    huge = "x" * 100_000
    record = inv.add_invitee(db, conference_id, name="مريم الحسن 🌳", organisation=huge, notes=huge)
    stored = inv.get_invitee(db, record.id)
    assert stored.name == "مريم الحسن 🌳"
    assert stored.organisation == huge and stored.notes == huge


def test_update_changes_only_what_is_given_and_validates(db, conference_id):
    record = inv.add_invitee(db, conference_id, name="Tom Price", organisation="Shop")
    updated = inv.update_invitee(
        db, record.id, status="invited", invited_on="2025-02-04", q_youth_voice=True
    )
    assert updated.status == "invited"
    assert updated.invited_on == dt.date(2025, 2, 4)
    assert updated.q_youth_voice is True
    assert updated.organisation == "Shop"
    assert inv.get_invitee(db, record.id) == updated
    # A date can be cleared with "" or None; a status can be given by its label.
    cleared = inv.update_invitee(db, record.id, invited_on="", status="Declined")
    assert cleared.invited_on is None and cleared.status == "declined"
    assert inv.update_invitee(db, record.id, invited_on=None).invited_on is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "maybe"}, "not an invitation status"),
        ({"invited_on": "next week"}, "not a date"),
        ({"invited_on": "2025/03/12"}, "not a date"),
        ({"prepared_on": "2025-02-30"}, "not a date"),
        ({"isa_signed": "perhaps"}, "not yes or no"),
        ({"conference_id": 2}, "not an invitee detail"),
        ({"position": 3}, "not an invitee detail"),
    ],
)
def test_update_refuses_bad_values_and_changes_nothing(db, conference_id, changes, message):
    record = inv.add_invitee(db, conference_id, name="Amira Haddad", status="invited")
    with pytest.raises(UserError, match=message):
        inv.update_invitee(db, record.id, **changes, organisation="should not be stored")
    assert inv.get_invitee(db, record.id) == record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-20", dt.date(2025, 2, 20)),
        ("20/02/2025", dt.date(2025, 2, 20)),
        ("20/2/25", dt.date(2025, 2, 20)),
        ("03/04/2025", dt.date(2025, 4, 3)),  # day first, as written in the UK
        ("20.02.2025", dt.date(2025, 2, 20)),
        ("20-2-2025", dt.date(2025, 2, 20)),
        ("20 Feb 2025", dt.date(2025, 2, 20)),
        ("3 Sept 25", dt.date(2025, 9, 3)),
        ("1 JULY 2025", dt.date(2025, 7, 1)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_date_reads_what_people_write(text, expected):
    assert as_date(text) == expected


def test_parse_date_today_and_refusals():
    assert as_date("Today") == dt.date.today()
    for text in ("31/02/2025", "20/13/2025", "1 ju 2025", "soon", "2025-02-30"):
        with pytest.raises(UserError, match="is not a (real )?date"):
            as_date(text)


def test_flags_accept_words_from_imports(db, conference_id):
    record = inv.add_invitee(
        db, conference_id, name="A", isa_signed="Yes", q_engaged="x", q_can_change="0"
    )
    assert record.isa_signed is True and record.q_engaged is True and record.q_can_change is False


def test_update_of_a_missing_invitee_is_not_found(db):
    with pytest.raises(NotFound):
        inv.update_invitee(db, 12345, name="Ghost")


def test_changes_touch_the_conference(db, conference_id):
    before = get_conference(db, conference_id).updated_at
    record = inv.add_invitee(db, conference_id, name="A")
    assert get_conference(db, conference_id).updated_at >= before
    inv.update_invitee(db, record.id, notes="new")
    assert get_conference(db, conference_id).updated_at >= before


def test_attendance_is_set_changed_and_cleared(db, conference_id, meeting_id):
    record = inv.add_invitee(db, conference_id, name="Grace Mensah")
    review = add_meeting(db, conference_id, "review").id
    assert inv.set_attendance(db, record.id, meeting_id, "present").attendance == {
        meeting_id: "present"
    }
    inv.set_attendance(db, record.id, review, "apologies")
    assert inv.get_invitee(db, record.id).attendance == {
        meeting_id: "present",
        review: "apologies",
    }
    inv.set_attendance(db, record.id, meeting_id, "absent")
    inv.set_attendance(db, record.id, review, "")
    assert inv.list_invitees(db, conference_id)[0].attendance == {meeting_id: "absent"}


def test_attendance_refuses_unknown_states_and_other_conferences(db, conference_id, meeting_id):
    record = inv.add_invitee(db, conference_id, name="Grace Mensah")
    with pytest.raises(UserError, match="not an attendance"):
        inv.set_attendance(db, record.id, meeting_id, "late")
    other_meeting = list_meetings(db, create_conference(db, "Other"))[0].id
    with pytest.raises(NotFound):
        inv.set_attendance(db, record.id, other_meeting, "present")
    assert inv.get_invitee(db, record.id).attendance == {}


def test_delete_and_restore_put_it_back_in_place_with_attendance(db, conference_id, meeting_id):
    for name in ("A", "B", "C", "D"):
        inv.add_invitee(db, conference_id, name=name)
    b = inv.list_invitees(db, conference_id)[1]
    inv.update_invitee(db, b.id, organisation="Org B", isa_signed=True)
    inv.set_attendance(db, b.id, meeting_id, "apologies")

    snapshot = inv.delete_invitee(db, b.id)
    assert snapshot.name == "B" and snapshot.position == 1
    assert snapshot.attendance == {meeting_id: "apologies"}
    assert names(db, conference_id) == ["A", "C", "D"]
    assert [i.position for i in inv.list_invitees(db, conference_id)] == [0, 1, 2]
    with pytest.raises(NotFound):
        inv.get_invitee(db, b.id)

    restored = inv.restore_invitee(db, snapshot)
    assert restored.id == b.id
    assert names(db, conference_id) == ["A", "B", "C", "D"]
    assert restored.organisation == "Org B" and restored.isa_signed
    assert restored.attendance == {meeting_id: "apologies"}
    assert inv.get_invitee(db, b.id) == restored


def test_restore_after_an_add_keeps_its_id_as_the_newcomer_has_another(db, conference_id):
    a = inv.add_invitee(db, conference_id, name="A")
    snapshot = inv.delete_invitee(db, a.id)
    newcomer = inv.add_invitee(db, conference_id, name="Newcomer")  # ids are never reused
    restored = inv.restore_invitee(db, snapshot)
    assert restored.name == "A" and restored.position == 0
    assert restored.id != newcomer.id
    assert restored.id == a.id
    assert names(db, conference_id) == ["A", "Newcomer"]


def test_restoring_an_invitee_already_there_is_refused_changing_nothing(db, conference_id):
    a, b = inv.add_invitees(db, conference_id, [{"name": "A"}, {"name": "B"}])
    snapshots = inv.delete_invitees(db, [a.id, b.id])
    inv.restore_invitees(db, snapshots[1:])  # B is back
    with pytest.raises(UserError, match="already there"):
        inv.restore_invitees(db, snapshots)
    assert names(db, conference_id) == ["B"]
    assert [i.id for i in inv.list_invitees(db, conference_id)] == [b.id]


def test_restore_drops_attendance_at_meetings_deleted_meanwhile(db, conference_id, meeting_id):
    review = add_meeting(db, conference_id, "review").id
    record = inv.add_invitee(db, conference_id, name="A")
    inv.set_attendance(db, record.id, meeting_id, "present")
    inv.set_attendance(db, record.id, review, "absent")
    snapshot = inv.delete_invitee(db, record.id)
    delete_meeting(db, review)
    assert inv.restore_invitee(db, snapshot).attendance == {meeting_id: "present"}


def test_delete_and_restore_several_at_once(db, conference_id, meeting_id):
    records = inv.add_invitees(db, conference_id, [{"name": n} for n in "ABCDEF"])
    inv.set_attendance(db, records[3].id, meeting_id, "present")
    chosen = [records[4].id, records[1].id, records[3].id]
    snapshots = inv.delete_invitees(db, chosen)
    assert [s.name for s in snapshots] == ["E", "B", "D"]  # in the order given
    assert [s.position for s in snapshots] == [4, 1, 3]
    assert names(db, conference_id) == ["A", "C", "F"]
    assert [i.position for i in inv.list_invitees(db, conference_id)] == [0, 1, 2]

    restored = inv.restore_invitees(db, snapshots)
    assert [r.name for r in restored] == ["E", "B", "D"]
    assert [r.id for r in restored] == chosen
    assert names(db, conference_id) == list("ABCDEF")
    assert [i.position for i in inv.list_invitees(db, conference_id)] == list(range(6))
    assert restored[2].attendance == {meeting_id: "present"}


def test_deleting_several_when_one_is_gone_removes_nothing(db, conference_id):
    a, b = inv.add_invitees(db, conference_id, [{"name": "A"}, {"name": "B"}])
    inv.delete_invitee(db, b.id)
    with pytest.raises(NotFound):
        inv.delete_invitees(db, [a.id, b.id])
    assert names(db, conference_id) == ["A"]


def test_restoring_several_after_others_were_added(db, conference_id):
    first = inv.add_invitees(db, conference_id, [{"name": "A"}, {"name": "B"}])
    snapshots = inv.delete_invitees(db, [r.id for r in first])
    newcomers = inv.add_invitees(db, conference_id, [{"name": "X"}, {"name": "Y"}])
    restored = inv.restore_invitees(db, snapshots)
    ids = [r.id for r in (*restored, *newcomers)]
    assert len(set(ids)) == 4
    assert names(db, conference_id) == ["A", "B", "X", "Y"]


def test_add_invitees_goes_after_the_list(db, conference_id):
    inv.add_invitee(db, conference_id, name="First")
    added = inv.add_invitees(db, conference_id, [{"name": "Second"}, {"name": "Third"}])
    assert [r.position for r in added] == [1, 2]
    assert names(db, conference_id) == ["First", "Second", "Third"]


def test_add_invitees_is_all_or_nothing(db, conference_id):
    with pytest.raises(UserError, match="Row 2: An invitee needs a name."):
        inv.add_invitees(db, conference_id, [{"name": "A"}, {"name": ""}, {"name": "C"}])
    assert names(db, conference_id) == []
    added = inv.add_invitees(db, conference_id, [{"name": "A", "status": "invited"}, {"name": "B"}])
    assert [r.position for r in added] == [0, 1]
    assert names(db, conference_id) == ["A", "B"]


def test_invitees_of_other_conferences_are_not_listed(db, conference_id):
    other = create_conference(db, "Other")
    inv.add_invitee(db, conference_id, name="Mine")
    inv.add_invitee(db, other, name="Theirs")
    assert names(db, conference_id) == ["Mine"]
    assert names(db, other) == ["Theirs"]


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@kent.gov.uk",
        "a@b.co",
        "jané@exämple.de",
        "  x@y.org ",
        "first+tag@sub.example.com",
    ],
)
def test_valid_emails(text):
    assert inv.is_valid_email(text)


@pytest.mark.parametrize(
    "text",
    ["", "tom.price(at)gmail.com", "a@b", "a b@c.de", "@b.de", "a@@b.de", "a@b..de", "a@b.c"],
)
def test_invalid_emails(text):
    assert not inv.is_valid_email(text)


def test_an_invalid_email_is_stored_as_typed(db, conference_id):
    record = inv.add_invitee(db, conference_id, name="Tom", email="tom.price(at)gmail.com")
    assert inv.get_invitee(db, record.id).email == "tom.price(at)gmail.com"


# --- coverage ---------------------------------------------------------------------------------


def rec(**kw):
    defaults = {"id": 1, "conference_id": 1, "position": 0, "name": "X"}
    return inv.InviteeRecord(**{**defaults, **kw})


def test_coverage_of_an_empty_list_lacks_everything():
    result = inv.coverage([])
    assert result.unanswered_questions == tuple(vocab.INVITE_QUESTIONS)
    assert result.missing_agencies == inv.SUGGESTED_AGENCIES
    assert result.not_prepared == () and result.agreement_missing == ()
    assert not result.complete


def test_suggested_agencies_leave_out_context_dependent_community_partners():
    assert "Police" in inv.SUGGESTED_AGENCIES
    assert "Local business" in inv.SUGGESTED_AGENCIES
    for community in ("Residents", "Residents' group", "Landlord", "Sports club", "Faith group"):
        assert community not in inv.SUGGESTED_AGENCIES
    assert set(inv.SUGGESTED_AGENCIES) | inv.COMMUNITY_CATEGORIES == set(vocab.AGENCY_CATEGORIES)


def test_coverage_questions_and_agencies():
    people = [
        rec(id=1, category="Police", q_engaged=True),
        rec(id=2, category="housing", q_can_change=True),  # categories match whatever the case
        rec(id=3, category="CAMHS", q_youth_voice=True, status="declined"),  # does not count
    ]
    result = inv.coverage(people)
    assert result.unanswered_questions == ("works_in_context", "youth_voice")
    assert "Police" not in result.missing_agencies
    assert "Housing" not in result.missing_agencies
    assert "CAMHS" in result.missing_agencies
    # vocab order is kept
    order = list(inv.SUGGESTED_AGENCIES)
    assert list(result.missing_agencies) == sorted(result.missing_agencies, key=order.index)


def test_coverage_preparation_and_agreements():
    people = [
        rec(id=1, name="Prepared", prepared_on=dt.date(2025, 2, 1), category="Police"),
        rec(id=2, name="Not yet", category="Local business"),
        rec(id=3, name="Signed shop", category="Local business", isa_signed=True),
        rec(id=4, name="Declined shop", category="Landlord", status="declined"),
        rec(id=5, name="Own words", category="Pop-up youth café"),
    ]
    result = inv.coverage(people)
    assert [r.name for r in result.not_prepared] == ["Not yet", "Signed shop", "Own words"]
    # A category of the user's own may well be a business: it is asked for an agreement.
    assert [r.name for r in result.agreement_missing] == ["Not yet", "Own words"]
    assert inv.is_non_statutory("local business") and not inv.is_non_statutory("Police")
    assert inv.is_non_statutory("Local businesses") and not inv.is_non_statutory("police.")


def test_coverage_complete():
    day = dt.date(2025, 2, 1)
    people = [
        rec(
            id=n,
            category=category,
            prepared_on=day,
            isa_signed=True,
            q_engaged=True,
            q_works_in_context=True,
            q_can_change=True,
            q_youth_voice=True,
        )
        for n, category in enumerate(inv.SUGGESTED_AGENCIES)
    ]
    result = inv.coverage(people)
    assert result.complete
    assert result == inv.Coverage((), (), (), ())


def test_coverage_reads_what_is_stored(db, conference_id):
    record = inv.add_invitee(
        db, conference_id, name="Shop", category="Local business", q_engaged=True
    )
    result = inv.coverage(inv.list_invitees(db, conference_id))
    assert [r.id for r in result.agreement_missing] == [record.id]
    assert "engaged" not in result.unanswered_questions


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Voluntary and community organisations", "Voluntary and community organisation"),
        ("voluntary & community organisation.", "Voluntary and community organisation"),
        ("VOLUNTARY AND COMMUNITY ORGANIZATIONS", "Voluntary and community organisation"),
        ("Education", "Education / school"),
        ("schools", "Education / school"),
        ("Childrens social care", "Children's social care"),
        ("residents’ groups", "Residents' group"),
        ("Residents", "Residents"),
        ("Local businesses", "Local business"),
        ("camhs", "CAMHS"),
        ("School council", "Young people / school council"),
    ],
)
def test_one_function_matches_categories_whatever_case_plural_or_punctuation(typed, suggested):
    assert vocab.suggested_category(typed) == suggested
    assert vocab.same_category(typed, suggested)
    assert vocab.suggested_category("Mosque committee") is None
    assert not vocab.same_category("Residents", "Residents' group")


def test_coverage_counts_a_plural_category_as_the_suggested_agency():
    people = [
        rec(id=1, name="Hana", category="Voluntary and community organisations"),
        rec(id=2, name="Ben", category="voluntary & community organisation", isa_signed=True),
    ]
    result = inv.coverage(people)
    assert "Voluntary and community organisation" not in result.missing_agencies
    # …and the plural partner is asked for the agreement non-statutory partners sign.
    assert [r.name for r in result.agreement_missing] == ["Hana"]


def test_job_title_is_its_own_field(db, conference_id):
    record = inv.add_invitee(
        db,
        conference_id,
        name="Dan Hughes",
        job_title="Safer neighbourhoods sergeant",
        role="Partner",
    )
    assert (record.job_title, record.role) == ("Safer neighbourhoods sergeant", "Partner")
    changed = inv.update_invitee(db, record.id, job_title="  Inspector\n ")
    assert inv.get_invitee(db, record.id).job_title == changed.job_title == "Inspector"


def test_several_invitees_change_in_one_transaction_or_not_at_all(db, conference_id, meeting_id):
    a = inv.add_invitee(db, conference_id, name="A")
    b = inv.add_invitee(db, conference_id, name="B", status="invited")
    done = inv.update_invitees(db, {a.id: {"status": "confirmed"}, b.id: {"isa_signed": True}})
    assert [(r.status, r.isa_signed) for r in done] == [("confirmed", False), ("invited", True)]
    with pytest.raises(UserError):  # one bad value: nothing is written
        inv.update_invitees(db, {a.id: {"status": "invited"}, b.id: {"status": "maybe"}})
    assert inv.get_invitee(db, a.id).status == "confirmed"
    with pytest.raises(NotFound):
        inv.update_invitees(db, {a.id: {"status": "invited"}, 99999: {"status": "invited"}})
    assert inv.get_invitee(db, a.id).status == "confirmed"

    present = inv.set_attendances(db, meeting_id, {a.id: "present", b.id: "apologies"})
    assert [r.attendance[meeting_id] for r in present] == ["present", "apologies"]
    with pytest.raises(UserError):
        inv.set_attendances(db, meeting_id, {a.id: "", b.id: "asleep"})
    assert inv.get_invitee(db, a.id).attendance == {meeting_id: "present"}
    forgotten = inv.set_attendances(db, meeting_id, {a.id: "", b.id: ""})
    assert [r.attendance for r in forgotten] == [{}, {}]


def _insert_filled(c, table: str, values: dict) -> None:
    """A row with `values`, every other required column given a plain empty value."""
    for _cid, name, kind, notnull, default, _pk in c.execute(f"PRAGMA table_info({table})"):
        if notnull and default is None and name not in values and name != "id":
            kind = kind.upper()
            if "INT" in kind or "BOOL" in kind:
                values[name] = 0
            elif "DATETIME" in kind:
                values[name] = "2026-01-01 00:00:00.000000"
            elif name == "uid":
                values[name] = "6c1a3f4e-0000-4000-8000-000000000001"
            else:
                values[name] = ""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    c.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))


def test_a_database_saved_at_0005_gets_an_empty_job_title_and_keeps_the_role(tmp_path):
    import sqlite3

    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database
    from csfacilitator.storage.engine import make_engine
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    paths = resolve(tmp_path / "old")
    paths.root.mkdir(parents=True)
    engine = make_engine(paths.database, foreign_keys=False)
    upgrade_to_head(engine, "0005")
    engine.dispose()
    with sqlite3.connect(paths.database) as c:
        _insert_filled(c, "conference", {"id": 3, "title": "Saved at 0005", "status": "preparing"})
        _insert_filled(
            c,
            "invitee",
            {"id": 7, "conference_id": 3, "name": "Dan", "role": "Sergeant", "status": "invited"},
        )
    c.close()
    database = open_database(paths)
    try:
        (dan,) = inv.list_invitees(database, 3)
        assert (dan.id, dan.name, dan.role, dan.job_title) == (7, "Dan", "Sergeant", "")
        with database.engine.connect() as c:
            sql = c.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'invitee'").scalar()
        assert "AUTOINCREMENT" in sql
    finally:
        database.close()


def test_job_title_travels_in_the_conference_file_and_older_files_still_import(db, conference_id):
    from csfacilitator.core import bundle

    inv.add_invitee(db, conference_id, name="Dan", job_title="Sergeant", role="Partner")
    data = bundle.export_conference(db, conference_id)
    assert data["invitees"][0]["job_title"] == "Sergeant"
    copy_id = bundle.import_conference(db, data, on_conflict="copy")
    assert [i.job_title for i in inv.list_invitees(db, copy_id)] == ["Sergeant"]

    old = dict(data, format_version=3)  # a file written before job titles
    old["invitees"] = [{k: v for k, v in i.items() if k != "job_title"} for i in data["invitees"]]
    older_id = bundle.import_conference(db, old, on_conflict="copy")
    assert [(i.role, i.job_title) for i in inv.list_invitees(db, older_id)] == [("Partner", "")]
