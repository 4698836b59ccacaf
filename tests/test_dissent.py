"""A partner's disagreement with a decision: recorded, checked, undone, migrated, in the minutes."""

from __future__ import annotations

import pytest
from docx import Document

from csfacilitator.core import dissent
from csfacilitator.core.change_log import SYNCED
from csfacilitator.core.invitees import add_invitee, delete_invitee
from csfacilitator.core.meetings import add_meeting, get_meeting
from csfacilitator.errors import UserError
from tests.conftest import export_paper

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def sam(db, conference_id):
    return add_invitee(db, conference_id, name="Sam Patel", organisation="Riverside Housing")


def _item(db, meeting_id):
    return get_meeting(db, meeting_id).agenda[0]


def test_record_list_and_words(db, meeting_id, sam):
    item = _item(db, meeting_id)
    first = dissent.add_dissent(
        db,
        meeting_id,
        invitee_id=sam.id,
        decision="Close the underpass at night",
        agenda_item_id=item.id,
        statement="Closing it sends young people along the canal, which is darker.",
    )
    second = dissent.add_dissent(
        db, meeting_id, invitee_id=sam.id, decision="No CCTV", statement="We need cameras."
    )
    listed = dissent.list_dissent(db, meeting_id)
    assert [d.id for d in listed] == [first.id, second.id]
    assert listed[0].who == "Sam Patel (Riverside Housing)"
    assert listed[0].about == f"Close the underpass at night (agenda item: {item.title})"
    assert listed[1].about == "No CCTV"
    assert len(first.uid) == 36


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"invitee_id": None, "decision": "x", "statement": "y"}, "Choose who disagreed"),
        ({"decision": "", "statement": "y"}, "which decision or agenda item"),
        ({"decision": "x", "statement": "  \n"}, "what they said"),
        ({"decision": "x" * 301, "statement": "y"}, "300 characters"),
    ],
)
def test_bad_input_is_refused_in_a_sentence_and_nothing_is_stored(
    db, meeting_id, sam, fields, message
):
    fields = {"invitee_id": sam.id, **fields}
    with pytest.raises(UserError, match=message):
        dissent.add_dissent(db, meeting_id, **fields)
    assert dissent.list_dissent(db, meeting_id) == []


def test_someone_from_another_conference_or_another_meetings_item_is_refused(
    db, conference_id, meeting_id, sam
):
    from csfacilitator.core.conferences import create_conference

    other = create_conference(db, "Elsewhere")
    stranger = add_invitee(db, other, name="Kim")
    with pytest.raises(UserError, match="this conference's invite list"):
        dissent.add_dissent(db, meeting_id, invitee_id=stranger.id, decision="x", statement="y")
    review = add_meeting(db, conference_id, "review")
    foreign_item = get_meeting(db, review.id).agenda[0]
    with pytest.raises(UserError, match="not part of this meeting"):
        dissent.add_dissent(
            db, meeting_id, invitee_id=sam.id, agenda_item_id=foreign_item.id, statement="y"
        )


def test_delete_and_restore_put_back_the_same_row(db, meeting_id, sam):
    record = dissent.add_dissent(db, meeting_id, invitee_id=sam.id, decision="x", statement="y")
    removed = dissent.delete_dissent(db, record.id)
    assert dissent.list_dissent(db, meeting_id) == []
    back = dissent.restore_dissent(db, removed)
    assert (back.id, back.uid, back.who) == (record.id, record.uid, record.who)


def test_removing_the_invitee_keeps_the_record(db, meeting_id, sam):
    dissent.add_dissent(db, meeting_id, invitee_id=sam.id, decision="x", statement="y")
    delete_invitee(db, sam.id)
    (kept,) = dissent.list_dissent(db, meeting_id)
    assert kept.who == dissent.REMOVED_PERSON


def test_it_syncs_with_its_meeting():
    assert SYNCED["dissent"] == ("meeting_id", "meeting")


def test_migration_from_0007_adds_the_table_and_its_triggers(tmp_path):
    from csfacilitator.storage.engine import make_engine
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    engine = make_engine(tmp_path / "old.sqlite3", foreign_keys=False)
    upgrade_to_head(engine, "0007")
    with engine.connect() as c:
        assert not c.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = 'dissent'").all()
    upgrade_to_head(engine)
    with engine.connect() as c:
        sql = c.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'dissent'").scalar()
        assert "AUTOINCREMENT" in sql
        triggers = c.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dissent'"
        ).scalar()
        assert triggers == 3
        from csfacilitator.storage.schema_version import HEAD

        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
    engine.dispose()


def _texts(path):
    return [p.text for p in Document(str(path)).paragraphs]


def test_minutes_show_the_disagreement_under_the_decisions(
    db, conference_id, meeting_id, sam, tmp_path
):
    before = _texts(export_paper(db, "minutes", conference_id, tmp_path / "a.docx", meeting_id))
    assert "Disagreement recorded" not in before  # nothing said, no section
    dissent.add_dissent(
        db,
        meeting_id,
        invitee_id=sam.id,
        decision="Close the underpass at night",
        statement="Closing it sends young people along the canal.\nIt is darker there.",
    )
    texts = _texts(export_paper(db, "minutes", conference_id, tmp_path / "b.docx", meeting_id))
    heading = texts.index("Disagreement recorded")
    assert texts.index("Actions agreed") < heading < texts.index("Next review")
    assert "Sam Patel (Riverside Housing) disagreed with: Close the underpass at night" in texts
    assert "“Closing it sends young people along the canal.\nIt is darker there.”" in texts


def test_deleting_the_meeting_takes_it_and_undo_puts_the_same_row_back(db, conference_id, sam):
    from csfacilitator.core.meetings import delete_meeting, restore_meeting

    review = add_meeting(db, conference_id, "review")
    record = dissent.add_dissent(db, review.id, invitee_id=sam.id, decision="x", statement="y")
    removed = delete_meeting(db, review.id)
    assert removed.count("dissent") == 1
    restore_meeting(db, removed)
    (back,) = dissent.list_dissent(db, review.id)
    assert (back.id, back.uid, back.who) == (record.id, record.uid, record.who)
