"""The context register travels to the team store (issue 20, schema 0014): a conference's
entry (other names, map reference) syncs with its conference; a link between two conferences
syncs once both are shared (the team cannot hold a link to a conference it does not have),
and waits on the laptop until then. The same entry or link made on two laptops offline is
one row. Run against an SQLite and a real PostgreSQL team store (tests/pg_server.py)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sync_laptops import id_by_uid, uid_of

from csfacilitator.core import conferences, related, sync
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.model import natural_uid


def _waiting(db, entity: str) -> int:
    with db.read_session() as s:
        sql = text("SELECT count(*) FROM change_log WHERE entity = :e")
        return s.connection().execute(sql, {"e": entity}).scalar()


def _on_team(team, table: str) -> list:
    with team.connect() as c:
        return c.execute(text(f"SELECT uid FROM {table} ORDER BY uid")).scalars().all()


def test_a_context_entry_syncs_with_its_conference_both_ways(laptops, team):
    a, b = laptops
    cid_a = create_conference(a, "Wrenmoor bus station")
    related.set_register(a, cid_a, aliases="Wrenmoor interchange\nStand K", map_ref="TQ 301 802")
    sync.share_conference(a, cid_a)  # the entry made before sharing goes with the conference
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    cid_b = id_by_uid(b, "conference", uid_of(a, "conference", cid_a))
    assert related.get_register(b, cid_b).aliases == "Wrenmoor interchange\nStand K"
    assert related.get_register(b, cid_b).map_ref == "TQ 301 802"
    conference_uid = uid_of(a, "conference", cid_a)
    assert _on_team(team, "context_entry") == [natural_uid(conference_uid, "context")]

    related.set_register(b, cid_b, map_ref="///lamps.bench.footbridge")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert related.get_register(a, cid_a).map_ref == "///lamps.bench.footbridge"
    assert related.get_register(a, cid_a).aliases == "Wrenmoor interchange\nStand K"


@pytest.mark.parametrize("first", ["owner", "other"])
def test_a_link_waits_until_both_conferences_are_shared(laptops, team, first):
    a, b = laptops
    made = [
        create_conference(a, "Wrenmoor bus station"),
        create_conference(a, "Wrenmoor High Street"),
    ]
    # The link is kept from the conference with the smaller uid (its owner): share that end
    # first, or the other end first.
    made.sort(key=lambda cid: uid_of(a, "conference", cid), reverse=first == "other")
    station, high_street = made
    titles = {cid: conferences.get_conference(a, cid).title for cid in made}
    sync.share_conference(a, station)
    related.add_link(a, station, high_street, "neighbouring_place", "across the footbridge")
    # The high street is this laptop's alone: the link is not recorded, nothing reaches the team.
    assert _waiting(a, "conference_link") == 0
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    station_b = id_by_uid(b, "conference", uid_of(a, "conference", station))
    assert related.list_links(b, station_b) == []
    assert _on_team(team, "conference_link") == []
    assert [link.title for link in related.list_links(a, station)] == [titles[high_street]]

    # Sharing the high street queues the link that waited for it, after the conference.
    sync.share_conference(a, high_street)
    assert _waiting(a, "conference_link") == 1
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    high_street_b = id_by_uid(b, "conference", uid_of(a, "conference", high_street))
    (link,) = related.list_links(b, station_b)
    assert (link.conference_id, link.reason, link.note) == (
        high_street_b,
        "neighbouring_place",
        "across the footbridge",
    )
    assert [x.conference_id for x in related.list_links(b, high_street_b)] == [station_b]

    # A change of reason travels; a link removed on one laptop goes on the other.
    related.add_link(b, high_street_b, station_b, "same_place", "one place really")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    (link_a,) = related.list_links(a, station)
    assert (link_a.reason, link_a.note) == ("same_place", "one place really")
    related.remove_link(a, link_a.id)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert related.list_links(b, station_b) == []
    assert _on_team(team, "conference_link") == []


def test_the_same_link_and_entry_made_on_two_laptops_offline_are_one_row(laptops, team):
    a, b = laptops
    station = create_conference(a, "Wrenmoor bus station")
    park = create_conference(a, "Larkfield Park")
    for cid in (station, park):
        sync.share_conference(a, cid)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    station_b = id_by_uid(b, "conference", uid_of(a, "conference", station))
    park_b = id_by_uid(b, "conference", uid_of(a, "conference", park))

    # Offline, each links the two (from opposite ends) and starts the station's entry.
    related.add_link(a, station, park, "neighbouring_place", "next to the park gates")
    related.add_link(b, park_b, station_b, "neighbouring_place", "next to the park gates")
    related.set_register(a, station, aliases="Wrenmoor interchange")
    related.set_register(b, station_b, aliases="Wrenmoor interchange")
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert result.conflicts == 0  # same values: nothing for a person to decide
    assert len(_on_team(team, "conference_link")) == 1
    assert len(_on_team(team, "context_entry")) == 1
    for db, cid, other in ((a, station, park), (b, station_b, park_b)):
        (link,) = related.list_links(db, cid)
        assert (link.conference_id, link.note) == (other, "next to the park gates")
        assert related.get_register(db, cid).aliases == "Wrenmoor interchange"


def test_a_database_saved_at_schema_0013_gets_the_registers_uids(tmp_path):
    """Schema 0014: entries and links gain uids named by what they are; a link is turned to
    run from the conference with the smaller uid."""
    from csfacilitator.paths import resolve
    from csfacilitator.storage.database import open_database
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    paths = resolve(tmp_path / "data")
    paths.root.mkdir(parents=True)
    engine = sa.create_engine(f"sqlite:///{paths.database}")
    upgrade_to_head(engine, "0013")
    small, large = sorted(str(uuid.uuid4()) for _ in range(2))
    with engine.begin() as c:
        columns = sa.inspect(c).get_columns("conference")
        for cid, uid, title in ((1, large, "Wrenmoor bus station"), (2, small, "High Street")):
            values = {col["name"]: _blank(col) for col in columns}
            values.update(id=cid, uid=uid, title=title)
            names = ", ".join(values)
            c.execute(
                text(f"INSERT INTO conference ({names}) VALUES (:{', :'.join(values)})"), values
            )
        c.exec_driver_sql(
            "INSERT INTO context_entry (id, conference_id, aliases, map_ref, updated_at) "
            "VALUES (1, 1, 'Stand K', 'TQ 301 802', '2026-01-01')"
        )
        c.exec_driver_sql(
            "INSERT INTO conference_link (id, conference_id, related_id, reason, note, "
            "created_at) VALUES (1, 1, 2, 'neighbouring_place', 'footbridge', '2026-01-01')"
        )
    engine.dispose()
    database = open_database(paths)
    try:
        with database.read_session() as s:
            conn = s.connection()
            entry = conn.execute(text("SELECT uid, aliases FROM context_entry")).one()
            link = conn.execute(
                text("SELECT uid, conference_id, related_id, note FROM conference_link")
            ).one()
        assert tuple(entry) == (natural_uid(large, "context"), "Stand K")
        assert tuple(link) == (natural_uid("link", small, large), 2, 1, "footbridge")
        assert [x.title for x in related.list_links(database, 1)] == ["High Street"]
        # New rows get the same natural uids from the model.
        related.set_register(database, 2, map_ref="TQ 302 803")
        with database.read_session() as s:
            sql = text("SELECT uid FROM context_entry WHERE conference_id = 2")
            assert s.connection().execute(sql).scalar() == natural_uid(small, "context")
    finally:
        database.close()


def _blank(column: dict):
    kind = str(column["type"]).upper()
    if column["nullable"]:
        return None
    if "INT" in kind or "BOOL" in kind:
        return 0
    if "DATE" in kind:
        return "2026-01-01"
    return ""


def test_deleting_the_conference_a_link_names_second_removes_the_link_everywhere(laptops, team):
    from csfacilitator.core.conferences import delete_conference

    a, b = laptops
    one = create_conference(a, "Wrenmoor bus station")
    two = create_conference(a, "Wrenmoor High Street")
    for cid in (one, two):
        sync.share_conference(a, cid)
    related.add_link(a, one, two, "neighbouring_place")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert len(_on_team(team, "conference_link")) == 1
    # The link is kept from the smaller uid: delete the other end, whose delete cascades to it
    # without the link's own tombstone (its owner is still there).
    owner, second = sorted((one, two), key=lambda cid: uid_of(a, "conference", cid))
    owner_b = id_by_uid(b, "conference", uid_of(a, "conference", owner))
    delete_conference(a, second)
    assert related.list_links(a, owner) == []
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert _on_team(team, "conference_link") == []
    assert related.list_links(b, owner_b) == []
    assert id_by_uid(b, "conference", uid_of(a, "conference", owner)) == owner_b


def test_a_link_changed_differently_on_two_laptops_is_a_conflict_for_a_person(laptops, team):
    a, b = laptops
    one = create_conference(a, "Wrenmoor bus station")
    two = create_conference(a, "Wrenmoor High Street")
    for cid in (one, two):
        sync.share_conference(a, cid)
    related.add_link(a, one, two, "neighbouring_place", "footbridge")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    one_b = id_by_uid(b, "conference", uid_of(a, "conference", one))
    two_b = id_by_uid(b, "conference", uid_of(a, "conference", two))
    related.add_link(a, one, two, "neighbouring_place", "footbridge over the railway")
    related.add_link(b, one_b, two_b, "neighbouring_place", "the subway under Mill Road")
    sync.sync_now(a, team)
    assert sync.sync_now(b, team).conflicts == 1
    (conflict,) = sync.list_conflicts(b)
    assert (conflict.entity_label, conflict.field) == ("Related conference link", "note")
    # Until a person decides, each laptop keeps its own words.
    assert related.list_links(b, one_b)[0].note == "the subway under Mill Road"
