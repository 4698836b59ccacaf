"""Drafts: what is typed on the board but not yet entered survives a crash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from csfacilitator.app import create_window
from csfacilitator.core import drafts
from csfacilitator.core.board import board_tree
from csfacilitator.core.conferences import delete_conference
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database


@pytest.fixture
def paths(paths, templates):
    """The test's data folder holding a copy of the migrated template: the window opens on it
    instead of migrating a new database first (first starts are tested in test_main_window)."""
    templates.seed(paths)
    return paths


def stored_drafts(paths, conference_id):
    db = open_database(resolve(paths.root))
    try:
        return drafts.get_drafts(db, conference_id)
    finally:
        db.close()


def open_board(qtbot, paths, conference_id=None):
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.show()
    if conference_id is None:
        window.open_example()
    else:  # the app reopens the last conference by itself
        assert window.conference_id == conference_id
    window.tabs.setCurrentWidget(window.board)
    return window


def test_typed_text_is_kept_within_a_second_and_comes_back(qtbot, paths):
    window = open_board(qtbot, paths)
    board = window.board
    cid, mid = window.conference_id, board.current_meeting_id()
    entry = board.panes["strengths"].entry
    board.focus_entry("strengths")
    qtbot.keyClicks(entry, "Youth club opens late")
    entry.insert(" 🌙 مرحبا")  # as an input method would (keyClicks is ASCII-only)
    key = drafts.board_key(mid, "strengths")
    qtbot.waitUntil(lambda: key in stored_drafts(paths, cid), timeout=1000)
    assert stored_drafts(paths, cid)[key] == "Youth club opens late 🌙 مرحبا"

    # As after a crash: a new window on the same data, without the old one having flushed.
    board.drafts._timer.stop()
    window.deleteLater()
    again = open_board(qtbot, paths, cid)
    assert again.board.panes["strengths"].entry.text() == "Youth club opens late 🌙 مرحبا"


def test_entering_the_point_removes_the_draft_at_once(qtbot, paths):
    window = open_board(qtbot, paths)
    board = window.board
    cid, mid = window.conference_id, board.current_meeting_id()
    entry = board.panes["concerns"].entry
    board.focus_entry("concerns")
    qtbot.keyClicks(entry, "Broken gate")
    qtbot.waitUntil(lambda: bool(stored_drafts(paths, cid)), timeout=1000)
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert stored_drafts(paths, cid) == {}
    db = open_database(resolve(paths.root))
    try:
        texts = [p.text for p in board_tree(db, mid)["concerns"]]
    finally:
        db.close()
    assert "Broken gate" in texts
    window.close()


def test_drafts_go_with_their_conference(db, example_id):
    drafts.save_drafts(db, example_id, {"board:1:concerns": "secret words", "board:1:x": " "})
    assert drafts.get_drafts(db, example_id) == {"board:1:concerns": "secret words"}
    delete_conference(db, example_id)
    assert drafts.get_drafts(db, example_id) == {}


def test_one_enter_is_one_write_and_no_read(qtbot, paths, monkeypatch):
    """The point and the removal of its draft go in one transaction; nothing is re-read."""
    window = open_board(qtbot, paths)
    board = window.board
    cid = window.conference_id
    entry = board.panes["concerns"].entry
    board.focus_entry("concerns")
    qtbot.keyClicks(entry, "Lights out on the footpath")
    qtbot.waitUntil(lambda: bool(stored_drafts(paths, cid)), timeout=1000)  # a draft is kept
    db = window.db
    opened: list[str] = []
    for name in ("session", "read_session"):
        if hasattr(db, name):
            real = getattr(db, name)
            monkeypatch.setattr(
                db, name, lambda _real=real, _name=name: opened.append(_name) or _real()
            )
    qtbot.keyClick(entry, Qt.Key.Key_Return)  # the Enter and everything it does at once
    assert opened == ["session"]
    qtbot.wait(400)  # past the draft keeper's delay: nothing more is written (a timer of
    assert opened.count("session") == 1  # another part, e.g. the lock, may still read)
    assert entry.text() == ""
    assert stored_drafts(paths, cid) == {}
    assert "Lights out on the footpath" in [
        p.text for p in board.document.models["concerns"].root.children
    ]
    window.close()
