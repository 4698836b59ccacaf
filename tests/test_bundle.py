"""The conference file: round trips, refusals, conflicts, atomic writing."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import select

from csfacilitator import atomic_file
from csfacilitator.core import bundle, bundle_format, vocab
from csfacilitator.core.conferences import (
    count_conferences,
    create_conference,
    get_conference,
)
from csfacilitator.core.model import (
    ActionUpdate,
    AgendaItem,
    AssessmentSection,
    Attendance,
    BoardPoint,
    Conference,
    ContextWeighting,
    Intervention,
    Invitee,
    Meeting,
    Need,
    Priority,
    Referral,
)
from csfacilitator.errors import BundleError, StorageError
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from tests.row_counts import row_counts as counted

pytestmark = pytest.mark.postgresql_too

EMOJI = "Skate park 🛹 after dark 🌙"
RTL = "ملعب الحي — حديقة"
LONG = ("Lorem ipsum dolor sit amet. " * 4000)[:99_999] + "."
ALL_TABLES = (
    Conference,
    Meeting,
    AgendaItem,
    AssessmentSection,
    Invitee,
    Attendance,
    BoardPoint,
    Referral,
    Need,
    Intervention,
    ActionUpdate,
    Priority,
    ContextWeighting,
)


def build_rich_conference(db, title="Riverside Park") -> int:
    """A conference with a row in every table: nested points, attendance, updates, links."""
    cid = create_conference(
        db,
        title,
        context_type="neighbourhood",
        context_name=EMOJI,
        area=RTL,
        referral_source="District contextual safeguarding group",
        referral_date=dt.date(2024, 1, 15),
        threshold="complex_high_risk",
        threshold_rationale="Line one\nLine two",
        chair="A. Chair",
        status="under_review",
        conference_date=dt.date(2024, 3, 4),
        report_structure="triangle",
        names_to_keep_out="Nobody",
    )
    with db.session() as s:
        conference_meeting = s.scalar(select(Meeting).where(Meeting.conference_id == cid))
        conference_meeting.time = dt.time(18, 30)
        conference_meeting.started_at = dt.datetime(2024, 3, 4, 18, 31, 5, 123456)
        conference_meeting.current_item_id = conference_meeting.agenda[2].id
        conference_meeting.agenda[0].started_at = dt.datetime(2024, 3, 4, 18, 31, 5)
        review = Meeting(
            conference_id=cid, kind="review", date=dt.date(2024, 6, 3), venue="Community hall"
        )
        s.add(review)
        s.flush()
        s.add(AgendaItem(meeting_id=review.id, position=0, title="Progress", lead="Lead"))
        s.add(AssessmentSection(conference_id=cid, key="summary", body=LONG))
        s.add(AssessmentSection(conference_id=cid, key="needs", body=RTL + "\n" + EMOJI))

        top = BoardPoint(
            meeting_id=conference_meeting.id, column="concerns", position=0, text="Lighting"
        )
        s.add(top)
        s.flush()
        child = BoardPoint(
            meeting_id=conference_meeting.id,
            column="concerns",
            parent_id=top.id,
            position=0,
            text="Broken lamps by the skate park 🛹",
        )
        s.add(child)
        s.flush()
        s.add(
            BoardPoint(
                meeting_id=conference_meeting.id,
                column="concerns",
                parent_id=child.id,
                position=0,
                text=RTL,
            )
        )
        s.add(
            BoardPoint(
                meeting_id=conference_meeting.id,
                column="concerns",
                parent_id=top.id,
                position=1,
                text="Second sub-point",
            )
        )
        s.add(
            BoardPoint(meeting_id=conference_meeting.id, column="strengths", position=0, text=LONG)
        )
        plan_point = BoardPoint(
            meeting_id=review.id, column="safety_plan", position=0, text="Mend the lamps"
        )
        s.add(plan_point)
        s.add(Referral(meeting_id=conference_meeting.id, made_on=dt.date(2024, 3, 4), team="MASH"))

        people = []
        for position, (name, category) in enumerate(
            [("Pat Officer", "Police"), ("Sam Owner", "Local business"), ("نور", "Residents")]
        ):
            person = Invitee(
                conference_id=cid,
                position=position,
                name=name,
                organisation="Org " + name,
                category=category,
                role="Role",
                email=f"p{position}@example.org",
                q_engaged=position == 0,
                q_can_change=True,
                status="confirmed",
                invited_on=dt.date(2024, 2, 1),
                isa_signed=position == 1,
                notes="Met\nbeforehand",
            )
            s.add(person)
            people.append(person)
        s.flush()
        s.add(
            Attendance(invitee_id=people[0].id, meeting_id=conference_meeting.id, state="present")
        )
        s.add(
            Attendance(invitee_id=people[1].id, meeting_id=conference_meeting.id, state="apologies")
        )
        s.add(Attendance(invitee_id=people[0].id, meeting_id=review.id, state="absent"))

        focus = Priority(conference_id=cid, position=0, text="Lighting " + RTL, focus=True)
        s.add(focus)
        s.add(Priority(conference_id=cid, position=1, text="Bus stop", focus=False))
        s.flush()
        picture = '{"boxes": [{"name": "Park", "size": 0.4}], "links": []}'
        s.add(ContextWeighting(conference_id=cid, meeting_id=None, data=picture))
        s.add(ContextWeighting(conference_id=cid, meeting_id=review.id, data=picture))
        need = Need(conference_id=cid, position=0, text="Dark paths " + EMOJI, priority_id=focus.id)
        s.add(need)
        s.add(Need(conference_id=cid, position=1, text=LONG))
        s.flush()
        first = Intervention(
            need_id=need.id,
            position=0,
            text="Repair lighting",
            agency="Council",
            owner="Street lighting team",
            timescale="Within a month",
            due_date=dt.date(2024, 4, 4),
            status="in_progress",
            progress="Ordered",
            board_point_id=plan_point.id,
        )
        s.add(first)
        s.add(Intervention(need_id=need.id, position=1, text="Patrols", timescale="Annually"))
        s.flush()
        s.add(ActionUpdate(intervention_id=first.id, meeting_id=review.id, status="done", note="✓"))
        s.add(
            ActionUpdate(
                intervention_id=first.id,
                meeting_id=conference_meeting.id,
                status="in_progress",
                note="",
            )
        )
    return cid


def row_counts(db) -> dict[str, int]:
    return counted(db, (t.__table__ for t in ALL_TABLES))


def without(data: dict, *keys: str) -> dict:
    data = copy.deepcopy(data)
    for key in keys:
        if key == "uid":
            data["conference"].pop("uid")
        elif key == "title":
            data["conference"].pop("title")
        else:
            data.pop(key)
    return data


@pytest.fixture
def other_db(tmp_path, templates):
    """A second installation, to import into: a copy of the session's migrated template."""
    paths = resolve(tmp_path / "other")
    templates.seed(paths)
    database = open_database(paths)
    yield database
    database.close()


@pytest.fixture
def rich(db) -> int:
    return build_rich_conference(db)


# ---------------------------------------------------------------- the schema


def load_schema() -> dict:
    return json.loads(bundle_format.schema_path().read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema():
    import jsonschema

    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["format"]["const"] == bundle_format.FORMAT
    assert schema["properties"]["format_version"]["const"] == bundle_format.FORMAT_VERSION


def test_schema_enums_match_the_vocabularies():
    defs = load_schema()["$defs"]
    conference = defs["conference"]["properties"]
    assert conference["status"]["enum"] == list(vocab.STATUSES)
    assert conference["context_type"]["enum"] == list(vocab.CONTEXT_TYPES)
    assert conference["threshold"]["enum"] == list(vocab.THRESHOLDS)
    assert conference["report_structure"]["enum"] == list(vocab.REPORT_STRUCTURES)
    assert defs["meeting"]["properties"]["kind"]["enum"] == list(vocab.MEETING_KINDS)
    assert defs["meeting"]["properties"]["board"]["required"] == list(vocab.BOARD_COLUMNS)
    assert defs["invitee"]["properties"]["status"]["enum"] == list(vocab.INVITEE_STATUSES)
    attendance = defs["invitee"]["properties"]["attendance"]["additionalProperties"]["enum"]
    assert attendance == list(vocab.ATTENDANCE)
    assert defs["action_status"]["enum"] == list(vocab.ACTION_STATUSES)


def test_schema_lists_every_column_the_export_writes(db, rich):
    """A new database column must reach the schema (and the format version), or this fails."""
    data = bundle.export_conference(db, rich)
    defs = load_schema()["$defs"]
    assert set(data["conference"]) == set(defs["conference"]["required"])
    assert set(data["meetings"][0]) == set(defs["meeting"]["required"])
    assert set(data["meetings"][0]["agenda"][0]) == set(defs["agenda_item"]["required"])
    assert set(data["meetings"][0]["board"]["concerns"][0]) == set(defs["point"]["required"])
    assert set(data["meetings"][0]["referrals"][0]) == set(defs["referral"]["required"])
    assert set(data["invitees"][0]) == set(defs["invitee"]["required"])
    assert set(data["plan"][0]) == set(defs["need"]["required"])
    intervention = data["plan"][0]["interventions"][0]
    assert set(intervention) == set(defs["intervention"]["required"])
    assert set(intervention["updates"][0]) == set(defs["action_update"]["required"])


def test_importing_the_module_does_not_import_jsonschema():
    code = "import sys, csfacilitator.core.bundle; print('jsonschema' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- export and round trips


def test_export_uses_refs_and_nests_points(db, rich):
    data = bundle.export_conference(db, rich)
    assert data["format"] == "csfacilitator-conference"
    assert data["format_version"] == bundle_format.FORMAT_VERSION
    assert data["exported_at"].endswith("Z")
    assert "id" not in data["conference"]
    assert data["conference"]["referral_date"] == "2024-01-15"
    first, review = data["meetings"]
    assert first["ref"] == "m1" and review["ref"] == "m2"
    assert first["time"] == "18:30:00"
    assert first["started_at"] == "2024-03-04T18:31:05.123456Z"
    assert first["current_item"] == first["agenda"][2]["ref"]
    lighting = first["board"]["concerns"][0]
    assert lighting["text"] == "Lighting"
    assert [c["text"] for c in lighting["children"]] == [
        "Broken lamps by the skate park 🛹",
        "Second sub-point",
    ]
    assert lighting["children"][0]["children"][0]["text"] == RTL
    assert data["invitees"][0]["attendance"] == {"m1": "present", "m2": "absent"}
    repair = data["plan"][0]["interventions"][0]
    assert repair["board_point"] == review["board"]["safety_plan"][0]["ref"]
    assert [(u["meeting"], u["status"]) for u in repair["updates"]] == [
        ("m2", "done"),
        ("m1", "in_progress"),
    ]
    assert data["assessment_sections"]["summary"] == LONG


def test_no_row_in_the_file_carries_an_identity_of_this_database(db, rich):
    """Rows are named by file-local refs; only the conference's uid travels (an import matches
    it). A row's id or uid would clash, or lie, in the database it is imported into."""
    data = bundle.export_conference(db, rich)
    found = []
    stack = [("$", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            found += [f"{where}.{key}" for key in value if key in ("id", "uid", "uuid")]
            stack += [(f"{where}.{key}", item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(f"{where}[{n}]", item) for n, item in enumerate(value)]
    assert found == ["$.conference.uid"]


def test_export_names_priorities_and_weightings_by_ref(db, rich):
    data = bundle.export_conference(db, rich)
    assert [p["text"] for p in data["priorities"]] == ["Lighting " + RTL, "Bus stop"]
    assert data["plan"][0]["priority"] == data["priorities"][0]["ref"]
    assert data["plan"][1]["priority"] is None
    assert [w["meeting"] for w in data["weightings"]] == [None, "m2"]
    assert data["weightings"][0]["data"]["boxes"][0]["name"] == "Park"


def test_a_version_1_file_still_imports(db, rich, other_db):
    data = bundle.export_conference(db, rich)
    data["format_version"] = 1
    for key in ("priorities", "weightings"):
        data.pop(key)
    for key in ("invitation_template", "closed_on", "outcome_summary"):
        data["conference"].pop(key)
    data["conference"].pop("outcome_measures")
    data["conference"].pop("partner_feedback")
    data["conference"].pop("legal_hold")
    for meeting in data["meetings"]:
        meeting.pop("purpose")
        meeting.pop("decisions")
    for need in data["plan"]:
        need.pop("priority")

    new_id = bundle.import_conference(other_db, data)
    again = bundle.export_conference(other_db, new_id)
    assert again["priorities"] == [] and again["weightings"] == []
    assert again["conference"]["legal_hold"] is False
    assert [n["text"] for n in again["plan"]] == [n["text"] for n in data["plan"]]


def test_a_need_pointing_at_a_missing_priority_is_refused(db, rich, other_db):
    data = bundle.export_conference(db, rich)
    data["plan"][0]["priority"] = "r99"
    with pytest.raises(BundleError, match="priority 'r99'"):
        bundle.import_conference(other_db, data)
    assert count_conferences(other_db) == 0


def test_round_trip_into_another_database_loses_nothing(db, rich, other_db, tmp_path):
    path = bundle.write_bundle(db, rich, tmp_path / "riverside.csfconf")
    first = bundle.read_bundle(path)

    new_id = bundle.import_conference(other_db, first, on_conflict="copy")
    again = bundle.export_conference(other_db, new_id)

    assert without(again, "exported_at") == without(first, "exported_at")
    assert row_counts(other_db) == row_counts(db)


def test_copy_in_the_same_database_gets_a_new_uid_and_title(db, rich):
    first = bundle.export_conference(db, rich)
    copy_id = bundle.import_conference(db, first, on_conflict="copy")
    again = bundle.export_conference(db, copy_id)

    assert copy_id != rich
    assert again["conference"]["uid"] != first["conference"]["uid"]
    assert again["conference"]["title"] == "Riverside Park (imported copy)"
    assert without(again, "exported_at", "uid", "title") == without(
        first, "exported_at", "uid", "title"
    )
    third = bundle.import_conference(db, first, on_conflict="copy")
    assert get_conference(db, third).title == "Riverside Park (imported copy 2)"
    assert count_conferences(db) == 3


def test_unicode_and_very_long_text_survive(db, other_db, tmp_path):
    cid = create_conference(db, RTL + " " + EMOJI, context_name=LONG, threshold_rationale=LONG)
    path = bundle.write_bundle(db, cid, tmp_path / "unicode.csfconf")
    raw = path.read_bytes().decode("utf-8")
    assert EMOJI in raw and RTL in raw  # written as text, not \\u escapes
    new_id = bundle.import_conference(other_db, bundle.read_bundle(path))
    stored = get_conference(other_db, new_id)
    assert stored.title == RTL + " " + EMOJI
    assert stored.context_name == LONG
    assert len(stored.threshold_rationale) == 100_000


def test_import_cleans_text_from_the_file(db, rich, other_db):
    data = bundle.export_conference(db, rich)
    data["conference"]["title"] = "Pasted\x0bfrom\x00 Word\ud800"
    data["plan"][0]["text"] = "line\x0bbreak"
    new_id = bundle.import_conference(other_db, data)
    assert get_conference(other_db, new_id).title == "Pasted from Word\ufffd"
    with other_db.session() as s:
        assert s.scalar(select(Need.text).where(Need.position == 0)) == "line\nbreak"


def test_example_conference_round_trips(db, other_db, request):
    pytest.importorskip("csfacilitator.core.example")
    example_id = request.getfixturevalue("example_id")
    first = bundle.export_conference(db, example_id)
    new_id = bundle.import_conference(other_db, first)
    assert without(bundle.export_conference(other_db, new_id), "exported_at") == without(
        first, "exported_at"
    )


# ---------------------------------------------------------------- refusals


def _set(path_value):
    """A mutation that sets data[...path] = value."""
    *path, value = path_value

    def mutate(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return mutate


def _delete(*path):
    def mutate(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return data

    return mutate


def _deep_points(data):
    point = {"ref": "deep0", "text": "x", "created_at": "2024-01-01T00:00:00Z", "children": []}
    top = point
    for n in range(1, bundle_format.MAX_POINT_DEPTH + 1):  # one level more than allowed
        child = {
            "ref": f"deep{n}",
            "text": "x",
            "created_at": "2024-01-01T00:00:00Z",
            "children": [],
        }
        point["children"].append(child)
        point = child
    data["meetings"][1]["board"]["complicating"] = [top]
    return data


BAD_DATA = {
    "foreign format": (_set(("format", "something-else")), "not a CS Facilitator conference file"),
    "no format": (_delete("format"), "not a CS Facilitator conference file"),
    "newer version": (
        _set(("format_version", bundle_format.FORMAT_VERSION + 1)),
        "made by a newer version of CS Facilitator",
    ),
    "version as text": (_set(("format_version", "1")), "format version"),
    "missing field": (
        _delete("conference", "title"),
        "at $.conference, 'title' is a required property",
    ),
    "unknown field": (
        _set(("conference", "colour", "red")),
        "at $.conference, 'colour' is not part of this format",
    ),
    "bad choice": (_set(("meetings", 0, "kind", "party")), "at $.meetings[0].kind"),
    "bad section key": (
        _set(("assessment_sections", "sum mary\n", "text")),
        "at $.assessment_sections",
    ),
    "wrong type": (_set(("invitees", 0, "isa_signed", "yes")), "should be of type boolean"),
    "bad date form": (
        _set(("conference", "referral_date", "15/01/2024")),
        "should be a date written YYYY-MM-DD",
    ),
    "impossible date": (
        _set(("conference", "referral_date", "2024-02-30")),
        "at $.conference.referral_date, '2024-02-30' is not a real date",
    ),
    "dangling attendance": (
        _set(("invitees", 0, "attendance", "m9", "present")),
        "refers to meeting 'm9', which is not in the file",
    ),
    "dangling update": (
        _set(("plan", 0, "interventions", 0, "updates", 0, "meeting", "m7")),
        "at $.plan[0].interventions[0].updates[0].meeting, refers to meeting 'm7'",
    ),
    "dangling point": (
        _set(("plan", 0, "interventions", 0, "board_point", "p99")),
        "refers to board point 'p99', which is not in the file",
    ),
    "current item of another meeting": (
        _set(("meetings", 0, "current_item", "a7")),
        "not in this meeting's agenda",
    ),
    "duplicate meeting ref": (_set(("meetings", 1, "ref", "m1")), "the ref 'm1' is used twice"),
    "too deep": (_deep_points, "nested more than"),
}


@pytest.mark.parametrize("case", list(BAD_DATA), ids=list(BAD_DATA))
def test_bad_files_are_refused_with_one_line_and_nothing_written(db, rich, tmp_path, case):
    mutate, expected = BAD_DATA[case]
    data = mutate(bundle.export_conference(db, rich))
    path = tmp_path / "bad.csfconf"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = row_counts(db)

    with pytest.raises(BundleError) as from_file:
        bundle.read_bundle(path)
    with pytest.raises(BundleError) as from_dict:
        bundle.import_conference(db, data, on_conflict="copy")

    for exc in (from_file.value, from_dict.value):
        assert "\n" not in str(exc)
        assert expected in str(exc)
        assert len(str(exc)) < 400
    assert str(from_file.value).startswith("The file bad.csfconf ")
    assert row_counts(db) == before


RAW_FILES = {
    "malformed JSON": (b'{"format": "csfacilitator-conference", ', "not valid JSON at line 1"),
    "JSON array": (b"[1, 2, 3]", "is not a CS Facilitator conference file"),
    "not UTF-8": ('{"title": "caf\u00e9"}'.encode("latin-1"), "it is not UTF-8 text"),
    "UTF-16": ('{"format": 1}'.encode("utf-16"), "it is not UTF-8 text"),
    "empty": (b"", "not valid JSON"),
    "duplicate names": (b'{"format": "a", "format": "b"}', "appears twice"),
    "NaN": (b'{"format_version": NaN}', "NaN"),
    "deep arrays": (b"[" * 100_000 + b"]" * 100_000, "The file bad.csfconf"),
}


@pytest.mark.parametrize("case", list(RAW_FILES), ids=list(RAW_FILES))
def test_unreadable_files_are_refused_with_one_line(db, rich, tmp_path, case):
    content, expected = RAW_FILES[case]
    path = tmp_path / "bad.csfconf"
    path.write_bytes(content)
    before = count_conferences(db)
    with pytest.raises(BundleError) as caught:
        bundle.read_bundle(path)
    assert "\n" not in str(caught.value)
    assert expected in str(caught.value)
    assert count_conferences(db) == before


def test_missing_file_and_oversized_file_are_refused(tmp_path, monkeypatch):
    with pytest.raises(BundleError, match="There is no file"):
        bundle.read_bundle(tmp_path / "nowhere.csfconf")
    with pytest.raises(BundleError, match="is a folder"):
        bundle.read_bundle(tmp_path)
    big = tmp_path / "big.csfconf"
    big.write_bytes(b" " * 2048)
    monkeypatch.setattr(bundle, "MAX_FILE_BYTES", 1024)
    with pytest.raises(BundleError, match="too large"):
        bundle.read_bundle(big)


def test_a_utf8_bom_is_accepted(db, rich, other_db, tmp_path):
    path = bundle.write_bundle(db, rich, tmp_path / "bom.csfconf")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert bundle.read_bundle(path)["conference"]["title"] == "Riverside Park"


# ---------------------------------------------------------------- conflicts


def test_refuse_is_the_default_and_names_the_choices(db, rich):
    data = bundle.export_conference(db, rich)
    assert bundle.find_existing(db, data) == rich
    before = row_counts(db)
    with pytest.raises(BundleError) as caught:
        bundle.import_conference(db, data)
    message = str(caught.value)
    assert f"already exists (id {rich})" in message
    assert "--as-copy" in message and "--replace" in message
    assert "\n" not in message
    assert row_counts(db) == before


def test_replace_keeps_the_id_and_replaces_the_content(db, rich):
    other = build_rich_conference(db, "Untouched")
    untouched = bundle.export_conference(db, other)
    data = bundle.export_conference(db, rich)
    data["conference"]["title"] = "Riverside Park, revised"
    data["meetings"] = data["meetings"][:1]
    data["weightings"] = data["weightings"][:1]
    for invitee in data["invitees"]:
        invitee["attendance"].pop("m2", None)
    data["plan"][0]["interventions"][0]["board_point"] = None
    data["plan"][0]["interventions"][0]["updates"] = data["plan"][0]["interventions"][0]["updates"][
        1:
    ]
    data["invitees"].reverse()

    assert bundle.import_conference(db, data, on_conflict="replace") == rich

    assert count_conferences(db) == 2
    assert without(bundle.export_conference(db, rich), "exported_at") == without(
        data, "exported_at"
    )
    assert without(bundle.export_conference(db, other), "exported_at") == without(
        untouched, "exported_at"
    )
    backups = list(db.paths.backups.glob("*before-replace-import*.sqlite3"))
    assert len(backups) == 1


@pytest.mark.sqlite_only("the change log is the laptop's, kept by SQLite triggers")
def test_replacing_a_shared_conference_logs_each_row_once_after_the_rows_it_names(db, example_id):
    """The import flushes a table's rows together (one flush per table and level): the change
    log still holds each row the conference now has as one insert, never before its parent's."""
    from sqlalchemy import text

    from csfacilitator.core import change_log, sync

    data = bundle.export_conference(db, example_id)
    sync.share_conference(db, example_id)
    with db.session() as s:
        s.connection().execute(text("DELETE FROM change_log"))
    bundle.import_conference(db, data, on_conflict="replace")

    with db.read_session() as s:
        log = change_log.pending(s.connection())
        uid = s.scalar(select(Conference.uid).where(Conference.id == example_id))
        rows = change_log.conference_rows(s.connection(), uid)
    inserts = [c for c in log if c.op == "insert"]
    assert sorted((c.entity, c.row_uid) for c in inserts) == sorted(
        (table, row_uid) for table, row_uid, _ in rows if table != "conference"
    )
    assert len(inserts) > 100
    written = {(c.entity, c.row_uid): n for n, c in enumerate(inserts)}
    named = 0
    for n, change in enumerate(inserts):
        values = json.loads(change.new_value)
        for field, parent in change_log.model_foreign_keys(change.entity).items():
            if (parent, values.get(field)) in written:
                assert written[(parent, values[field])] < n, (change.entity, field)
                named += 1
    assert named > 100  # points under points, actions under needs, attendance under invitees


def test_a_bad_replacement_leaves_the_conference_as_it_was(db, rich):
    before = bundle.export_conference(db, rich)
    data = copy.deepcopy(before)
    data["plan"][0]["interventions"][0]["board_point"] = "nowhere"
    with pytest.raises(BundleError):
        bundle.import_conference(db, data, on_conflict="replace")
    assert without(bundle.export_conference(db, rich), "exported_at") == without(
        before, "exported_at"
    )


def test_an_unknown_conflict_choice_is_a_programming_error(db, rich):
    with pytest.raises(ValueError):
        bundle.import_conference(db, bundle.export_conference(db, rich), on_conflict="merge")


# ---------------------------------------------------------------- writing the file


def test_write_is_private_complete_and_leaves_no_temp_file(db, rich, tmp_path):
    target = tmp_path / "out" / ("handover" + bundle.FILE_SUFFIX)
    target.parent.mkdir()
    target.write_text("old content")
    assert bundle.write_bundle(db, rich, target) == target
    assert os.listdir(target.parent) == [target.name]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert text.startswith('{\n "format": "csfacilitator-conference",')
    assert json.loads(text)["conference"]["uid"] == get_conference(db, rich).uid


def test_write_to_a_missing_folder_is_refused(db, rich, tmp_path):
    with pytest.raises(BundleError, match="does not exist") as caught:
        bundle.write_bundle(db, rich, tmp_path / "missing" / "x.csfconf")
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX, not root")
def test_write_to_a_read_only_folder_is_refused(db, rich, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(
            BundleError, match="is read-only, so x.csfconf could not be saved"
        ) as caught:
            bundle.write_bundle(db, rich, folder / "x.csfconf")
        assert "\n" not in str(caught.value)
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_write_failure_keeps_the_old_file_and_removes_the_temp_file(
    db, rich, tmp_path, monkeypatch
):
    target = tmp_path / "keep.csfconf"
    target.write_text("the old hand-over")

    def no_rename(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "replace", no_rename)
    # The one atomic writer (csfacilitator/atomic_file.py) words a full disk as such.
    with pytest.raises(BundleError, match="The disk is full, so keep.csfconf could not be saved"):
        bundle.write_bundle(db, rich, target)
    assert target.read_text() == "the old hand-over"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_folder_that_refuses_new_files_gives_a_plain_message(db, rich, tmp_path, monkeypatch):
    def refused(**_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_file.tempfile, "mkstemp", refused)
    with pytest.raises(BundleError) as caught:
        bundle.write_bundle(db, rich, tmp_path / "x.csfconf")
    assert str(caught.value) == (
        f"The folder {tmp_path} is read-only, so x.csfconf could not be saved there. "
        "Choose another folder."
    )


def test_points_nested_to_the_limit_round_trip(db, other_db):
    cid = create_conference(db, "Deep board")
    with db.session() as s:
        meeting_id = s.scalar(select(Meeting.id).where(Meeting.conference_id == cid))
        parent = None
        for depth in range(bundle_format.MAX_POINT_DEPTH):
            point = BoardPoint(
                meeting_id=meeting_id,
                column="concerns",
                parent_id=parent,
                position=0,
                text=f"level {depth}",
            )
            s.add(point)
            s.flush()
            parent = point.id
    first = bundle.export_conference(db, cid)
    new_id = bundle.import_conference(other_db, first)
    assert without(bundle.export_conference(other_db, new_id), "exported_at") == without(
        first, "exported_at"
    )


def test_a_failure_half_way_through_a_replace_changes_nothing(db, rich, monkeypatch):
    before = bundle.export_conference(db, rich)
    counts = row_counts(db)
    write_content = bundle._write_content

    def fail_half_way(s, conference_id, content):
        write_content(s, conference_id, {**content, "plan": []})  # cleared, half rewritten
        raise StorageError("The disk is full, so nothing can be saved.")

    monkeypatch.setattr(bundle, "_write_content", fail_half_way)
    with pytest.raises(StorageError):
        bundle.import_conference(db, before, on_conflict="replace")
    assert row_counts(db) == counts
    assert without(bundle.export_conference(db, rich), "exported_at") == without(
        before, "exported_at"
    )
