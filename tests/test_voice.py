"""Young people's voice (issue 19): checked input, order, links to the plan (a need or an
action, never both), the reply derived from the action when none is written, undo of a removal
with the same id, name warnings, the change log of a shared conference and subject access."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from csfacilitator.core import plan, subject_access, voice
from csfacilitator.core.conferences import update_conference
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


def test_a_voice_is_stored_checked_and_read_back(db, conference_id):
    record = voice.add_voice(
        db, conference_id, "  The underpass is scary after dark  ", method="survey",
        gathered_on="3/9/2026", gathered_by="Youth service", we_did="",
    )  # fmt: skip
    assert record.text == "The underpass is scary after dark"
    assert record.method_label == "Survey"
    assert record.gathered_on == dt.date(2026, 9, 3)
    assert record.how == "Survey, by Youth service, 3 Sep 2026"
    assert record.uid and not record.linked
    assert voice.list_voices(db, conference_id) == [record]
    assert record.reply == "We are still working out what to do about this."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "Write what young people said"),
        ({"method": "gossip"}, "Choose how it was gathered"),
        ({"gathered_on": "31/2/2026"}, "not a real date"),
        ({"gathered_on": "next week"}, "is not a date"),
        ({"text": "x" * 2001}, "2000 characters"),
        ({"colour": "red"}, "no colour"),
    ],
)
def test_bad_input_is_refused_in_a_sentence_and_changes_nothing(
    db, conference_id, changes, message
):
    record = voice.add_voice(db, conference_id, "The park is fine in the day")
    with pytest.raises(UserError, match=message):
        voice.update_voice(db, record.id, **changes)
    assert voice.get_voice(db, record.id) == record


def test_order_moves_and_removal_undo_gives_the_same_row_back(db, conference_id):
    a = voice.add_voice(db, conference_id, "First")
    b = voice.add_voice(db, conference_id, "Second")
    c = voice.add_voice(db, conference_id, "Third")
    voice.move_voice(db, c.id, -2)
    assert [v.text for v in voice.list_voices(db, conference_id)] == ["Third", "First", "Second"]
    removed = voice.remove_voice(db, a.id)
    assert [v.id for v in voice.list_voices(db, conference_id)] == [c.id, b.id]
    back = voice.restore_voice(db, removed)
    assert back.id == a.id and back.uid == a.uid and back.text == "First"
    assert [v.text for v in voice.list_voices(db, conference_id)] == ["Third", "First", "Second"]
    with pytest.raises(UserError, match="no longer be undone"):
        voice.restore_voice(db, removed)
    voice.remove_voice(db, a.id)
    with pytest.raises(NotFound):
        voice.update_voice(db, a.id, text="Gone")


def test_a_voice_links_to_a_need_or_an_action_and_the_reply_follows_the_action(
    db, conference_id, example_id
):
    need = plan.add_need(db, conference_id, "The underpass is dark")
    action = plan.add_intervention(db, need.id, "Fix the underpass lights", agency="Highways")
    said = voice.add_voice(db, conference_id, "The underpass is scary", intervention_id=action.id)
    assert said.need_text == "The underpass is dark"  # read through the action, not stored
    assert said.link_text == "Action: Fix the underpass lights (Not started)"
    assert said.reply == "We have agreed to do this: Fix the underpass lights."
    plan.update_intervention(db, action.id, status="in_progress")
    assert voice.get_voice(db, said.id).reply == "We are working on it: Fix the underpass lights."
    plan.update_intervention(db, action.id, status="done")
    assert voice.get_voice(db, said.id).reply == "Done: Fix the underpass lights."
    written = voice.update_voice(db, said.id, we_did="The lights were fixed in October.")
    assert written.reply == "The lights were fixed in October." and written.reply_written

    linked = voice.link_voice(db, said.id, need_id=need.id)
    assert (linked.need_id, linked.intervention_id) == (need.id, None)
    with pytest.raises(UserError, match="not both"):
        voice.link_voice(db, said.id, need_id=need.id, intervention_id=action.id)
    other_need = plan.get_plan(db, example_id)[0]
    with pytest.raises(UserError, match="not in this conference's plan"):
        voice.link_voice(db, said.id, need_id=other_need.id)
    with pytest.raises(UserError, match="not in this conference's plan"):
        voice.link_voice(db, said.id, intervention_id=other_need.interventions[0].id)
    assert voice.get_voice(db, said.id).need_id == need.id
    assert voice.link_voice(db, said.id).linked is False

    choices = voice.link_choices(db, conference_id)
    assert [c.label for c in choices] == [
        "No link", "Need 1: The underpass is dark", "    Action: Fix the underpass lights"
    ]  # fmt: skip


def test_removing_the_linked_action_leaves_the_voice_unlinked(db, conference_id):
    need = plan.add_need(db, conference_id, "Dark path")
    action = plan.add_intervention(db, need.id, "Trim the hedges")
    said = voice.add_voice(
        db, conference_id, "You can't see who's there", intervention_id=action.id
    )
    plan.delete_intervention(db, action.id)
    after = voice.get_voice(db, said.id)
    assert after.intervention_id is None and after.text == said.text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Jayden says the shop man shouts at us", ["Jayden"]),
        ("We hang round by the chippy because Kyle's older brother is there", ["Kyle's"]),
        ("I feel safe in Larkfield Park on Saturday in the day", []),
        ("The bus from Tesco is late. Police never come", []),
        ("there is nowhere to go after school", []),
    ],
)
def test_likely_names_are_warned_about(typed, expected):
    words = [word for word, _reason in voice.likely_names(typed, allowed="Larkfield Park")]
    assert words == expected


def test_name_warnings_use_the_keep_out_list_and_spare_agencies(db, conference_id):
    update_conference(db, conference_id, names_to_keep_out="Tia Brown")
    found = voice.name_warnings(
        db, conference_id, text="tia brown told us", gathered_by="Detached Youth Team",
        we_did="The Highways Team fixed it",
    )  # fmt: skip
    assert [w.line() for w in found] == [
        "What was said: “tia brown” looks like a name (on the names to keep out)."
    ]


@pytest.mark.sqlite_only("the change log is written by the laptop's SQLite triggers")
def test_a_shared_conference_logs_voices(db, conference_id):
    from csfacilitator.core import sync

    sync.share_conference(db, conference_id)
    with db.session() as s:
        s.connection().exec_driver_sql("DELETE FROM change_log")
    record = voice.add_voice(db, conference_id, "More lights please", method="school_council")
    voice.update_voice(db, record.id, we_did="Lights ordered")
    voice.remove_voice(db, record.id)
    with db.session() as s:
        rows = (
            s.connection()
            .execute(text("SELECT entity, op, field FROM change_log ORDER BY seq"))
            .all()
        )
    assert rows[-1] == ("young_voice", "delete", None)  # the row's entries went with it
    record = voice.add_voice(db, conference_id, "More lights please")
    voice.update_voice(db, record.id, we_did="Lights ordered")
    with db.session() as s:
        rows = s.connection().execute(
            text("SELECT entity, op, field FROM change_log WHERE entity = 'young_voice' "
                 "ORDER BY seq")
        ).all()  # fmt: skip
    assert rows[-2:] == [("young_voice", "insert", None), ("young_voice", "update", "we_did")]


def test_subject_access_finds_words_in_voices(db, conference_id):
    voice.add_voice(db, conference_id, "Marcus from the flats scares us", gathered_by="Youth club")
    result = subject_access.search(db, "marcus")
    (mention,) = result.mentions
    assert mention.table == "young_voice" and mention.conference_id == conference_id
    assert mention.where == "Young people's voice — text"


def test_schema_0012_upgrades_a_0011_database_with_triggers_and_downgrades_cleanly(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from csfacilitator.storage.migrations.runner import alembic_config, upgrade_to_head

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        upgrade_to_head(engine, "0011")
        upgrade_to_head(engine, "0012")

        def names(kind):
            with engine.connect() as c:
                sql = f"SELECT name FROM sqlite_master WHERE type = '{kind}'"
                return {row[0] for row in c.exec_driver_sql(sql)}

        assert "young_voice" in names("table")
        assert {"cs_sync_young_voice_insert", "cs_sync_young_voice_delete"} <= names("trigger")
        with engine.connect() as c:
            columns = [row[1] for row in c.exec_driver_sql("PRAGMA table_info(young_voice)")]
        assert columns[:2] == ["id", "uid"] and "we_did" in columns
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0011")
        assert "young_voice" not in names("table")
        assert not {n for n in names("trigger") if "young_voice" in n}
    finally:
        engine.dispose()
