"""The safety map reaches the other laptop through the team store (issue 19): the picture as
one value (hex in the change log: JSON holds no bytes), sessions and marks by uid; a mark
changed there and a picture replaced here come back across, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io

from PIL import Image
from sqlalchemy import text
from sync_laptops import id_by_uid

from csfacilitator.core import safety_map, sync
from csfacilitator.core.conferences import create_conference


def picture(colour, size=(640, 400)) -> bytes:
    out = io.BytesIO()
    noisy = Image.effect_noise(size, 60).convert("RGB")
    Image.blend(noisy, Image.new("RGB", size, colour), 0.6).save(out, "PNG")
    return out.getvalue()


def _uid(db, table, row_id):
    with db.read_session() as s:
        sql = text(f"SELECT uid FROM {table} WHERE id = :i")
        return s.connection().execute(sql, {"i": row_id}).scalar()


def test_the_map_its_sessions_and_marks_sync_both_ways(laptops, team):
    a, b = laptops
    cid_a = create_conference(a, "Larkfield Park")
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)

    image = safety_map.set_map_image(a, cid_a, picture((90, 160, 90)), "Larkfield")
    session = safety_map.add_session(a, cid_a, "Year 9 group", held_on="3/10/2026")
    pin = safety_map.add_mark(a, session.id, "pin", [(0.25, 0.5)], "unsafe",
                              time_of_day="evening", label="Underpass", note="Dark")  # fmt: skip
    safety_map.add_mark(a, session.id, "area", safety_map.rectangle((0.5, 0.1), (0.9, 0.4)),
                        "safe", label="Library")  # fmt: skip
    with a.read_session() as s:
        logged = (
            s.connection()
            .execute(text("SELECT new_value FROM change_log WHERE entity = 'safety_map'"))
            .scalar()
        )
    assert image.data.hex().upper() in logged  # the picture as hex text in the log
    assert sync.sync_now(a, team).pushed >= 4
    sync.sync_now(b, team)

    cid_b = id_by_uid(b, "conference", _uid(a, "conference", cid_a))
    view_b = safety_map.get_safety_map(b, cid_b)
    assert view_b.image == dataclasses.replace(image, conference_id=cid_b)
    assert view_b.image.data == image.data
    assert [m.code for _s, m in view_b.marks()] == ["A1", "A2"]
    assert safety_map.map_alt_text(view_b) == safety_map.map_alt_text(
        safety_map.get_safety_map(a, cid_a)
    ).replace(str(cid_a), str(cid_b))

    pin_b = id_by_uid(b, "safety_mark", pin.uid)
    safety_map.update_mark(b, pin_b, rating="mixed", note="New lights since December")
    sync.sync_now(b, team)
    safety_map.set_map_image(a, cid_a, picture((60, 60, 200), (800, 500)), "Redrawn")
    sync.sync_now(a, team)
    sync.sync_now(b, team)

    back = safety_map.get_safety_map(a, cid_a).session(session.id).marks[0]
    assert (back.rating, back.note) == ("mixed", "New lights since December")
    replaced = safety_map.get_map_image(b, cid_b)
    assert (replaced.caption, replaced.width) == ("Redrawn", 800)
    assert replaced.data == safety_map.get_map_image(a, cid_a).data

    removed_on_b = id_by_uid(b, "safety_map_session", session.uid)
    safety_map.delete_session(b, removed_on_b)
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert safety_map.get_safety_map(a, cid_a).sessions == ()


def test_a_picture_replaced_on_both_laptops_is_a_conflict_a_person_settles(laptops, team):
    from csfacilitator.gui.team.conflicts_dialog import shown

    a, b = laptops
    cid_a = create_conference(a, "Larkfield Park")
    safety_map.set_map_image(a, cid_a, picture((90, 160, 90)), "First")
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    cid_b = id_by_uid(b, "conference", _uid(a, "conference", cid_a))
    mine = safety_map.set_map_image(a, cid_a, picture((200, 60, 60)), "Anna's")
    theirs = safety_map.set_map_image(b, cid_b, picture((60, 60, 200)), "Ben's")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    conflicts = {c.field: c for c in sync.list_conflicts(a, cid_a)}
    assert {"image", "caption"} <= set(conflicts)
    image = conflicts["image"]
    assert (image.mine, image.theirs) == (mine.data, theirs.data)
    assert shown(image.theirs) == f"A picture ({len(theirs.data) // 1024} KB)"
    sync.resolve_conflict(a, image.id, take="theirs")
    sync.resolve_conflict(a, conflicts["caption"].id, take="theirs")
    assert safety_map.get_map_image(a, cid_a).data == theirs.data
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert safety_map.get_map_image(b, cid_b).caption == "Ben's"
