"""The local change log (core/change_log.py): written by triggers in the transaction of the
change itself, for the real core operations, only for shared conferences, and never keeping
the text of a deleted row."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from csfacilitator.core import board, conferences, hlc, invitees, meetings, plan, sync
from csfacilitator.core.change_log import SYNCED, trigger_names
from csfacilitator.core.example import add_example


def _log(db):
    with db.read_session() as s:
        return [
            dict(r)
            for r in s.connection()
            .execute(text("SELECT * FROM change_log ORDER BY seq"))
            .mappings()
            .all()
        ]


def _clear(db):
    with db.session() as s:
        s.connection().execute(text("DELETE FROM change_log"))


def _uid(db, table, row_id):
    with db.read_session() as s:
        return (
            s.connection()
            .execute(text(f"SELECT uid FROM {table} WHERE id = :i"), {"i": row_id})
            .scalar()
        )


@pytest.fixture
def shared(db, example_id):
    cid = example_id
    result = sync.share_conference(db, cid)
    assert result.queued > 100 and not result.already
    _clear(db)
    return cid


def test_every_synced_table_has_its_three_triggers(db):
    with db.read_session() as s:
        names = set(
            s.connection()
            .execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            .scalars()
        )
    assert {n for t in SYNCED for n in trigger_names(t)} <= names


def test_nothing_is_recorded_for_a_conference_that_is_not_shared(db):
    cid = add_example(db)
    invitees.add_invitee(db, cid, name="Not shared")
    assert _log(db) == []
    assert not sync.is_shared(db, cid)


def test_invitee_add_update_delete(db, shared):
    conf_uid = _uid(db, "conference", shared)
    added = invitees.add_invitee(db, shared, name="Priya Shah", organisation="Youth service")
    uid = _uid(db, "invitee", added.id)
    entries = [e for e in _log(db) if e["entity"] == "invitee"]
    assert [(e["op"], e["row_uid"]) for e in entries] == [("insert", uid)]
    row = json.loads(entries[0]["new_value"])
    assert row["name"] == "Priya Shah" and row["conference_id"] == conf_uid
    assert entries[0]["conference_uid"] == conf_uid
    with db.read_session() as s:
        device = s.connection().execute(text("SELECT device FROM sync_state")).scalar()
    assert entries[0]["device"] == device

    _clear(db)
    invitees.update_invitee(db, added.id, status="invited", organisation="Youth club")
    changed = {
        (e["field"], e["old_value"], e["new_value"]) for e in _log(db) if e["entity"] == "invitee"
    }
    assert changed == {
        ("status", '"to_invite"', '"invited"'),
        ("organisation", '"Youth service"', '"Youth club"'),
    }
    conference_touch = [e for e in _log(db) if e["entity"] == "conference"]
    assert [e["field"] for e in conference_touch] == ["updated_at"]

    invitees.delete_invitee(db, added.id)
    entries = [e for e in _log(db) if e["row_uid"] == uid]
    assert [(e["op"], e["old_value"], e["new_value"]) for e in entries] == [("delete", None, None)]
    assert all("Youth" not in str(e) for e in _log(db))


def test_board_points_including_bulk_moves_and_cascaded_children(db, shared):
    meeting = next(m for m in meetings.list_meetings(db, shared) if m.kind == "conference")
    first, second = board.add_points(db, meeting.id, "concerns", ["Dark underpass", "Bus stop"])
    child = board.add_point(db, meeting.id, "concerns", "Broken lamp", parent_id=first.id)
    inserts = [e for e in _log(db) if e["entity"] == "board_point" and e["op"] == "insert"]
    assert len(inserts) == 3
    assert json.loads(inserts[2]["new_value"])["parent_id"] == _uid(db, "board_point", first.id)
    _clear(db)
    # Moving shifts siblings with a bulk UPDATE (core/board.py): the triggers see each row.
    board.move_point(db, second.id, position=0)
    moved = {(e["row_uid"], e["field"]) for e in _log(db) if e["entity"] == "board_point"}
    assert (_uid(db, "board_point", second.id), "position") in moved
    assert (_uid(db, "board_point", first.id), "position") in moved
    board.edit_point(db, child.id, "Broken lamp by the bins")
    child_uid = _uid(db, "board_point", child.id)
    assert any("by the bins" in (e["new_value"] or "") for e in _log(db))
    # Deleting the parent deletes the child by a bulk DELETE: both texts leave the log.
    first_uid = _uid(db, "board_point", first.id)
    board.delete_point(db, first.id)
    log = _log(db)
    assert not any("lamp" in str(e) or "underpass" in str(e) for e in log)
    tombstones = {e["row_uid"] for e in log if e["op"] == "delete"}
    assert _uid(db, "board_point", second.id) not in tombstones
    assert {child_uid, first_uid} <= tombstones


def test_plan_and_meeting_date(db, shared):
    need = plan.add_need(db, shared, "Lights out on the path")
    action = plan.add_intervention(db, need.id, text="Repair lights", agency="Council")
    plan.update_intervention(db, action.id, status="in_progress", due_date=dt.date(2027, 2, 1))
    meeting = next(m for m in meetings.list_meetings(db, shared) if m.kind == "conference")
    meetings.update_meeting(db, meeting.id, date=dt.date(2027, 1, 12))
    log = _log(db)
    assert ("need", "insert") in {(e["entity"], e["op"]) for e in log}
    inserted = next(e for e in log if e["entity"] == "intervention" and e["op"] == "insert")
    assert json.loads(inserted["new_value"])["need_id"] == _uid(db, "need", need.id)
    fields = {(e["entity"], e["field"]): e for e in log if e["op"] == "update"}
    assert fields[("intervention", "due_date")]["new_value"] == '"2027-02-01"'
    assert fields[("meeting", "date")]["new_value"] == '"2027-01-12"'
    stamps = [e["hlc"] for e in log]
    assert stamps == sorted(stamps) and len(set(stamps)) > 3  # one stamp per row changed


def test_a_failed_operation_leaves_no_entry(db, shared):
    """Same transaction: a change rolled back takes its log entry with it."""
    first = invitees.list_invitees(db, shared)[0]
    with pytest.raises(RuntimeError), db.session() as s:
        s.connection().execute(
            text("UPDATE invitee SET notes = 'rolled back' WHERE id = :i"), {"i": first.id}
        )
        assert s.connection().execute(text("SELECT count(*) FROM change_log")).scalar() == 1
        raise RuntimeError
    assert _log(db) == []


def test_deleting_a_shared_conference_leaves_only_its_tombstone(db, shared):
    conf_uid = _uid(db, "conference", shared)
    first = invitees.list_invitees(db, shared)[0]
    invitees.update_invitee(db, first.id, notes="A secret note")
    conferences.update_conference(db, shared, title="Secret title")
    conferences.delete_conference(db, shared)
    log = _log(db)
    assert [(e["entity"], e["op"], e["row_uid"], e["new_value"]) for e in log] == [
        ("conference", "delete", conf_uid, None)
    ]
    with db.read_session() as s:
        c = s.connection()
        assert c.execute(text("SELECT count(*) FROM sync_share")).scalar() == 0
        assert c.execute(text("SELECT count(*) FROM sync_conflict")).scalar() == 0


def test_unsharing_stops_recording_and_forgets_what_waited(db, shared):
    invitees.add_invitee(db, shared, name="Waiting")
    assert sync.unshare_conference(db, shared) >= 1
    invitees.add_invitee(db, shared, name="After")
    assert _log(db) == []
    assert sync.share_conference(db, shared).queued > 0  # sharing again queues it whole
    assert sync.share_conference(db, shared).already


def test_sections_and_attendance_get_the_same_uid_on_every_laptop(db, shared):
    from csfacilitator.core import assessment
    from csfacilitator.core.model import natural_uid

    conf_uid = _uid(db, "conference", shared)
    assessment.set_section(db, shared, "conclusion", "Text")
    with db.read_session() as s:
        uid = (
            s.connection()
            .execute(text("SELECT uid FROM assessment_section WHERE key = 'conclusion'"))
            .scalar()
        )
    assert uid == natural_uid(conf_uid, "section", "conclusion")


def test_hlc_orders_changes_even_when_the_clock_goes_back():
    first = hlc.tick(0, wall_ms=1_000)
    second = hlc.tick(first, wall_ms=900)  # the clock was set back
    third = hlc.tick(second, wall_ms=900)
    assert first < second < third
    assert hlc.receive(third, 5_000 << hlc.COUNTER_BITS) == 5_000 << hlc.COUNTER_BITS
    assert hlc.tick(hlc.receive(third, 5_000 << 16), wall_ms=1) > 5_000 << 16
    assert hlc.wall_time(first) == dt.datetime(1970, 1, 1, 0, 0, 1)


def test_migration_gives_existing_rows_uids(tmp_path):
    """A database saved at schema 0006 with data: every row gets a uid, sections and
    attendance the ones every laptop derives, and the triggers are in place."""
    from csfacilitator.core.model import natural_uid
    from csfacilitator.storage.engine import make_engine
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path, foreign_keys=False)
    upgrade_to_head(engine, "0006")
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO conference (id, uid, title, status, archived, context_type, "
            "context_name, area, referral_source, threshold, threshold_rationale, chair, "
            "lead_practitioner, coordinator_1, coordinator_2, place_manager, assessment_period, "
            "report_structure, names_to_keep_out, invitation_template, outcome_summary, "
            "outcome_measures, partner_feedback, legal_hold, created_at, updated_at, notes, "
            "coordinator_contact) VALUES (1, 'c-uid', 'Old', 'referral', 0, 'school', '', '', "
            "'', '', '', '', '', '', '', '', '', 'thematic', '', '', '', '', '', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '', '')"
        )
        c.exec_driver_sql(
            "INSERT INTO meeting (id, conference_id, kind, venue, purpose, decisions) "
            "VALUES (1, 1, 'conference', '', '', '')"
        )
        c.exec_driver_sql(
            "INSERT INTO invitee (id, conference_id, position, name, organisation, job_title, "
            "category, role, email, phone, q_engaged, q_works_in_context, q_can_change, "
            "q_youth_voice, status, isa_signed, notes) VALUES (1, 1, 0, 'Ann', '', '', '', '', "
            "'', '', 0, 0, 0, 0, 'invited', 0, '')"
        )
        c.exec_driver_sql("INSERT INTO attendance VALUES (1, 1, 'present')")
        c.exec_driver_sql(
            "INSERT INTO assessment_section (id, conference_id, key, body) VALUES (1, 1, 'summary', 'x')"
        )
    upgrade_to_head(engine)
    with engine.connect() as c:
        meeting_uid = c.exec_driver_sql("SELECT uid FROM meeting").scalar()
        invitee_uid = c.exec_driver_sql("SELECT uid FROM invitee").scalar()
        assert len(meeting_uid) == 36 and len(invitee_uid) == 36 and meeting_uid != invitee_uid
        assert c.exec_driver_sql("SELECT uid FROM attendance").scalar() == natural_uid(
            invitee_uid, meeting_uid
        )
        assert c.exec_driver_sql("SELECT uid FROM assessment_section").scalar() == natural_uid(
            "c-uid", "section", "summary"
        )
        assert c.exec_driver_sql("SELECT count(*) FROM sync_state").scalar() == 1
        triggers = c.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cs_sync_%'"
        ).scalar()
        assert triggers == 3 * len(SYNCED)
    engine.dispose()


@pytest.mark.encrypted_too
def test_the_triggers_survive_encryption_and_record(paths, db_passphrase, _migrated_template):
    """An encrypted database (made by copying every table with sqlcipher_export) keeps the
    triggers and the sync state, and records as before."""
    import shutil

    from csfacilitator.paths import make_private, prepare
    from csfacilitator.storage import open_database
    from csfacilitator.storage.encryption import encrypt_database

    prepare(paths)
    shutil.copyfile(_migrated_template, paths.database)
    make_private(paths.database)
    if db_passphrase is not None:
        encrypt_database(paths, db_passphrase)
    db = open_database(paths, db_passphrase)
    try:
        cid = add_example(db)
        sync.share_conference(db, cid)
        _clear(db)
        invitees.add_invitee(db, cid, name="Encrypted")
        assert [e["op"] for e in _log(db) if e["entity"] == "invitee"] == ["insert"]
        test_every_synced_table_has_its_three_triggers(db)
    finally:
        db.close()
