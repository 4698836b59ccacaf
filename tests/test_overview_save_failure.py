"""A field whose save fails keeps its text, says so, and tries again (issue: Overview text typed
while a save failed was thrown away and the field reverted when the tab was next shown)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from csfacilitator.core import conferences
from csfacilitator.errors import StorageError
from csfacilitator.gui import autosave

FULL = "The disk is full, so nothing can be saved. Free some space and try again."


@pytest.fixture
def window(open_window, monkeypatch):
    monkeypatch.setattr(autosave, "RETRY_MS", 200)
    win = open_window()
    win.new_conference()
    win.tabs.setCurrentWidget(win.overview)
    yield win
    monkeypatch.undo()  # let the close (open_window's) save what is left


@pytest.fixture
def failing(monkeypatch):
    real = conferences.update_conference

    def refuse(*args, **kwargs):
        raise StorageError(FULL)

    monkeypatch.setattr(conferences, "update_conference", refuse)
    return lambda: monkeypatch.setattr(conferences, "update_conference", real)


def test_text_typed_while_saving_fails_is_kept_marked_and_saved_later(qtbot, window, failing):
    field = window.overview.fields["area"]
    field.setFocus()
    qtbot.keyClicks(field, "Northfield ward")
    window.tabs.setCurrentWidget(window.board)  # flushes the Overview: the save fails

    assert FULL in window.statusBar().currentMessage()
    window.tabs.setCurrentWidget(window.overview)  # reloads the tab from the database
    assert field.text() == "Northfield ward"
    assert field.toolTip().startswith("Not saved yet: The disk is full")
    assert field.accessibleDescription() == field.toolTip()
    assert conferences.get_conference(window.db, window.conference_id).area == ""

    failing()  # the disk has room again: the retry stores it without another keystroke
    qtbot.waitUntil(
        lambda: (
            conferences.get_conference(window.db, window.conference_id).area == "Northfield ward"
        ),
        timeout=3000,
    )
    assert field.toolTip() == "" and not window.overview.autosave.failing


def test_closing_with_unsaved_text_asks_and_stays_by_default(qtbot, window, failing, monkeypatch):
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    field = window.overview.fields["context_name"]
    field.setFocus()
    qtbot.keyClicks(field, "Kestrel Parade")
    assert not window.close()
    assert asked and "could not be saved" in asked[0]
    assert window.isVisible() and field.text() == "Kestrel Parade"

    failing()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert conferences.get_conference(window.db, window.conference_id).context_name == (
        "Kestrel Parade"
    )
