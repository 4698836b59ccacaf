"""Undoing a removal puts back the same rows with the same ids, so edits made afterwards on any
tab land on the row the user chose (issue: undo of "Remove meeting" made later board edits hit
other points)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from sqlalchemy import text

from csfacilitator.core import board, conferences, meetings
from csfacilitator.core.model import Base
from csfacilitator.core.plan import get_plan
from csfacilitator.gui.invites.invitee_table_model import ID_ROLE as INVITEE_ID
from csfacilitator.gui.plan.plan_model import ID_ROLE as PLAN_ID
from csfacilitator.storage import open_database

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = [pytest.mark.encrypted_too, pytest.mark.postgresql_too]


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table, ids included."""
    with db.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


def review_of(db, conference_id):
    return next(m for m in meetings.list_meetings(db, conference_id) if m.kind == "review")


def conference_meeting(db, conference_id):
    return next(m for m in meetings.list_meetings(db, conference_id) if m.kind == "conference")


# ---------------------------------------------------------------- core


def test_restoring_a_deleted_meeting_brings_back_every_row_with_its_id(db, example_id):
    before = dump(db)
    removed = meetings.delete_meeting(db, review_of(db, example_id).id)
    assert removed.count("board_point") > 0 and removed.count("action_update") > 0
    assert dump(db) != before

    meetings.restore_meeting(db, removed)

    after = dump(db)
    for table in before:
        if table == "conference":  # updated_at moves on: the conference was changed twice
            continue
        assert after[table] == before[table], table


def test_restoring_a_deleted_conference_brings_back_its_ids_and_export_log(db, example_id):
    from csfacilitator.core import export_log

    export_log.record_export(db, example_id, "minutes", "/tmp/minutes.docx")
    before = dump(db)
    removed = conferences.delete_conference(db, example_id)
    assert conferences.count_conferences(db) == 0

    assert conferences.restore_conference(db, removed) == example_id

    assert dump(db) == {**before, "setting": dump(db)["setting"]}
    assert removed.count("export_log") == 1


def test_ids_are_never_handed_to_new_rows_after_a_delete(db, example_id):
    meeting = review_of(db, example_id)
    ids = [p.id for column in board.board_tree(db, meeting.id).values() for p in column]
    meetings.delete_meeting(db, meeting.id)
    fresh = board.add_point(db, conference_meeting(db, example_id).id, "concerns", "New")
    assert fresh.id > max(ids)


def test_a_stale_undo_is_refused_and_changes_nothing(db, example_id):
    meeting = review_of(db, example_id)
    removed = meetings.delete_meeting(db, meeting.id)
    meetings.restore_meeting(db, removed)
    before = dump(db)
    with pytest.raises(Exception, match="can no longer be undone"):
        meetings.restore_meeting(db, removed)
    assert dump(db) == before


def test_every_table_with_an_integer_id_never_reuses_ids(db):
    """SQLite reuses the largest id after a delete unless the table is AUTOINCREMENT;
    PostgreSQL's ids come from a sequence, which never goes back."""
    keyed = [
        table
        for table in Base.metadata.sorted_tables
        if len(table.primary_key.columns) == 1
        and next(iter(table.primary_key.columns)).type.python_type is int
    ]
    assert keyed
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            for table in keyed:
                (key,) = table.primary_key.columns
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": key.name}
                ).scalar()
                assert sequence, table.name
            return
        rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        sql = {name: body for name, body in rows}
    for table in keyed:
        assert "AUTOINCREMENT" in sql[table.name], table.name


def test_an_old_database_gets_ids_that_are_never_reused(tmp_path, db_passphrase):
    import shutil
    from pathlib import Path

    from csfacilitator.paths import resolve

    paths = resolve(tmp_path / "old")
    paths.root.mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "data" / "schema-0001.sqlite3", paths.database)
    if db_passphrase is not None:
        from csfacilitator.storage.encryption import encrypt_database

        encrypt_database(paths, db_passphrase)
    database = open_database(paths, db_passphrase)
    try:
        with database.engine.connect() as connection:
            sql = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name='board_point'")
            ).scalar()
        assert "AUTOINCREMENT" in sql
        assert conferences.get_conference(database, 1).title  # the data came across
    finally:
        database.close()


# ---------------------------------------------------------------- every tab, after each undo


@pytest.fixture
def window(open_window, seed_example, templates, monkeypatch, db_passphrase):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    example = seed_example(db_passphrase)
    if db_passphrase is not None:  # the key its copy opens with, derived once (as `db` does)
        templates.remember_key(db_passphrase)
    return open_window(example, passphrase=db_passphrase)


def board_texts(db, meeting_id) -> Counter:
    def walk(points):
        for point in points:
            yield point.text
            yield from walk(point.children)

    return Counter(t for column in board.board_tree(db, meeting_id).values() for t in walk(column))


def edit_and_delete_on_the_board(qtbot, win, meeting_id):
    """F2-edit the first concern and delete the first strength, as a user would, and check
    that exactly those points changed."""
    db = win.db
    win.tabs.setCurrentWidget(win.board)
    win.board.set_meeting(meeting_id)
    before = board_texts(db, meeting_id)

    view = win.board.pane("concerns").view
    index = view.model().index(0, 0, QModelIndex())
    chosen = index.data()
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == chosen
    editor.selectAll()
    qtbot.keyClicks(editor, "Edited after undo")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    expected = before - Counter([chosen]) + Counter(["Edited after undo"])
    qtbot.waitUntil(lambda: board_texts(db, meeting_id) == expected)

    view = win.board.pane("strengths").view
    index = view.model().index(0, 0, QModelIndex())
    doomed = Counter(_subtree(view.model(), index))
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert board_texts(db, meeting_id) == expected - doomed


def _subtree(model, index):
    yield index.data()
    for row in range(model.rowCount(index)):
        yield from _subtree(model, model.index(row, 0, index))


def edit_an_invitee(win):
    model = win.invites.model
    index = model.index(0, 0)
    invitee_id = index.data(INVITEE_ID)
    assert model.setData(index, "Renamed after undo", Qt.ItemDataRole.EditRole)
    from csfacilitator.core import invitees

    stored = {r.id: r.name for r in invitees.list_invitees(win.db, win.conference_id)}
    assert stored[invitee_id] == "Renamed after undo"
    assert list(stored.values()).count("Renamed after undo") == 1


def edit_an_intervention(win):
    win.tabs.setCurrentWidget(win.plan)
    model = win.plan.model
    need = model.index(0, 0)
    action = model.index(0, 0, need)
    action_id = action.data(PLAN_ID)
    assert model.setData(action, "Changed after undo", Qt.ItemDataRole.EditRole)
    texts = {i.id: i.text for n in get_plan(win.db, win.conference_id) for i in n.interventions}
    assert texts[action_id] == "Changed after undo"
    assert list(texts.values()).count("Changed after undo") == 1


def test_after_undoing_remove_meeting_edits_land_on_the_chosen_rows(qtbot, window):
    win = window
    db = win.db
    cid = win.conference_id
    main = conference_meeting(db, cid)
    win.tabs.setCurrentWidget(win.board)
    win.board.set_meeting(main.id)  # the board holds the points in memory, as in the meeting
    win.tabs.setCurrentWidget(win.plan)
    win.tabs.setCurrentWidget(win.overview)
    panel = win.overview.meetings
    review = review_of(db, cid)
    panel.list.setCurrentRow([r.id for r in panel._records].index(review.id))
    before = dump(db)

    qtbot.mouseClick(panel.remove_meeting, Qt.MouseButton.LeftButton)
    assert review.id not in [m.id for m in meetings.list_meetings(db, cid)]
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    assert review.id in [m.id for m in meetings.list_meetings(db, cid)]
    assert {k: v for k, v in dump(db).items() if k != "conference"} == {
        k: v for k, v in before.items() if k != "conference"
    }

    edit_and_delete_on_the_board(qtbot, win, main.id)
    edit_and_delete_on_the_board(qtbot, win, review.id)
    win.tabs.setCurrentWidget(win.invites)
    edit_an_invitee(win)
    edit_an_intervention(win)


def test_after_undoing_a_conference_delete_edits_land_on_the_chosen_rows(qtbot, window):
    win = window
    db = win.db
    cid = win.conference_id
    title = conferences.get_conference(db, cid).title
    win.show_home()
    win.delete_conference(cid)
    assert conferences.count_conferences(db) == 0
    win.undo_group.undo()
    assert conferences.get_conference(db, cid).title == title
    win.open_conference(cid)
    edit_and_delete_on_the_board(qtbot, win, conference_meeting(db, cid).id)
    win.tabs.setCurrentWidget(win.invites)
    edit_an_invitee(win)
    edit_an_intervention(win)
