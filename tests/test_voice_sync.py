"""Young people's voices reach the other laptop through the team store (issue 19), on a SQLite
and a real PostgreSQL team store: the same rows by uid with their link to the plan's action;
a reply written there comes back; a removal there removes it here."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sync_laptops import open_laptop, pg_team, sqlite_team

from csfacilitator.core import plan, sync, voice
from csfacilitator.core.conferences import create_conference


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, _migrated_template):
    if request.param == "sqlite":
        engine = sqlite_team(_migrated_template, tmp_path / "team")
    else:
        engine = pg_team(request)
    yield engine
    engine.dispose()


@pytest.fixture
def two_laptops(tmp_path, _migrated_template):
    a = open_laptop(_migrated_template, tmp_path / "anna")
    b = open_laptop(_migrated_template, tmp_path / "ben")
    yield a, b
    a.close()
    b.close()


def _uid(db, table, row_id):
    with db.read_session() as s:
        sql = text(f"SELECT uid FROM {table} WHERE id = :i")
        return s.connection().execute(sql, {"i": row_id}).scalar()


def _id(db, table, uid):
    with db.read_session() as s:
        sql = text(f"SELECT id FROM {table} WHERE uid = :u")
        return s.connection().execute(sql, {"u": uid}).scalar()


def test_voices_sync_both_ways_with_their_links(two_laptops, store):
    a, b = two_laptops
    cid_a = create_conference(a, "Larkfield Park")
    sync.share_conference(a, cid_a)
    need = plan.add_need(a, cid_a, "The underpass is dark")
    lights = plan.add_intervention(a, need.id, "Fix the underpass lights", agency="Highways")
    said = voice.add_voice(
        a, cid_a, "The underpass is scary after dark", method="detached",
        gathered_on="3/9/2026", gathered_by="Detached youth team", intervention_id=lights.id,
    )  # fmt: skip
    other = voice.add_voice(a, cid_a, "Buses don't stop late", method="survey")
    sync.sync_now(a, store)
    sync.sync_now(b, store)

    cid_b = _id(b, "conference", _uid(a, "conference", cid_a))
    first_b, second_b = voice.list_voices(b, cid_b)
    assert (first_b.uid, second_b.uid) == (said.uid, other.uid)
    assert first_b.link_text == "Action: Fix the underpass lights (Not started)"
    assert first_b.how == "Detached youth work, by Detached youth team, 3 Sep 2026"
    assert first_b.intervention_id == _id(b, "intervention", _uid(a, "intervention", lights.id))

    voice.update_voice(b, first_b.id, we_did="The lights were fixed in October.")
    voice.remove_voice(b, second_b.id)
    sync.sync_now(b, store)
    sync.sync_now(a, store)
    (back,) = voice.list_voices(a, cid_a)
    assert back.id == said.id and back.reply == "The lights were fixed in October."
