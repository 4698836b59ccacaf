"""File → Information sharing record… (was the export log): the coordinator's record of what left the app, viewed, sorted, filtered
to the open conference, copied as text, and the folder opened."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from csfacilitator.core import conferences
from csfacilitator.core.export_log import list_exports, record_export
from csfacilitator.gui.dialogs.export_log_dialog import (
    COLUMNS,
    CONFERENCE,
    DOCUMENT,
    WHEN,
    ExportLogDialog,
    local_time_text,
)
from csfacilitator.gui.documents import export_dialogs
from tests.test_sharing import answer_sharing

LOCAL_TIME = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}$")


@pytest.fixture
def opened_urls(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def open_log(window, qtbot) -> ExportLogDialog:
    window.export_log_action.trigger()
    dialog = window.findChild(ExportLogDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def shown(dialog: ExportLogDialog) -> list[list[str]]:
    """The table as the user sees it, row by row, through the view's own model."""
    model = dialog.view.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def close(window, dialog, qtbot) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.findChildren(ExportLogDialog))  # closed and deleted


def test_minutes_exported_from_the_window_are_in_the_log(
    open_window, qtbot, monkeypatch, tmp_path, opened_urls
):
    window = open_window(example="alone")  # a copy of the example template, as add_example adds it
    example_title = window.title_label.text()
    monkeypatch.setattr(export_dialogs, "confirm_flags", lambda *_a: True)
    target = tmp_path / "out" / "minutes.docx"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer_sharing(qtbot)  # issue 20: the example's remembered answer, Enter keeps it
    window.document_actions["minutes"].trigger()
    assert target.exists()
    # Another conference's export, saved to a folder that has since gone.
    other = conferences.create_conference(window.db, "Zoë Łukasiewicz Park")
    gone = tmp_path / "usb-stick" / "agenda.docx"
    record_export(window.db, other, "agenda", gone)

    dialog = open_log(window, qtbot)
    assert dialog.windowTitle() == "Information sharing record"
    assert dialog.only_this.isVisible() and dialog.only_this.isChecked()
    rows = shown(dialog)
    assert len(rows) == 1
    when, document, conference, meeting, who, basis, why, saved_to = rows[0]
    assert (who, basis) == (
        "Conference partners (invite list)",
        "The conference's information-sharing agreement",
    )
    assert meeting and why == ""
    assert LOCAL_TIME.match(when), when
    assert (document, conference, saved_to) == ("Minutes", example_title, str(target))
    assert dialog.focusWidget() is dialog.view  # keyboard-first: straight into the table
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened_urls] == [str(target.parent)]

    # Keyboard: the filter is a check box, Space unticks it and all conferences show.
    dialog.only_this.setFocus()
    qtbot.keyClick(dialog.only_this, Qt.Key.Key_Space)
    assert not dialog.only_this.isChecked()
    rows = shown(dialog)
    assert [r[DOCUMENT] for r in rows] == ["Agenda", "Minutes"]  # newest first
    assert rows[0][CONFERENCE] == "Zoë Łukasiewicz Park"
    assert "(deleted)" not in str(rows)

    # The newest row was saved to a folder that no longer exists: no opening it.
    dialog.view.selectRow(0)
    assert not dialog.open_button.isEnabled()
    assert "no longer there" in dialog.note.text()
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert len(opened_urls) == 1

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    assert [line.split("\t") for line in lines[1:]] == rows
    assert dialog.note.text() == "Copied 2 rows."

    # Ctrl+C in the table copies just the selected row; Enter opens its folder.
    dialog.view.selectRow(1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert [line.split("\t") for line in lines[1:]] == [rows[1]]
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert len(opened_urls) == 2

    qtbot.keyClick(dialog.only_this, Qt.Key.Key_Space)
    assert [r[DOCUMENT] for r in shown(dialog)] == ["Minutes"]
    close(window, dialog, qtbot)


def test_with_no_conference_open_it_shows_all_and_sorts(window, qtbot, tmp_path):
    first = conferences.create_conference(window.db, "Canal Walk")
    second = conferences.create_conference(window.db, "مؤتمر الحي")
    record_export(window.db, first, "minutes", tmp_path / "a.docx")
    record_export(window.db, second, "report", tmp_path / "b.docx")
    record_export(window.db, first, "signin", tmp_path / "c.docx")
    assert window.export_log_action.isEnabled()  # on the start screen

    dialog = open_log(window, qtbot)
    assert not dialog.only_this.isVisible()
    assert [r[DOCUMENT] for r in shown(dialog)] == [
        "Sign-in sheet",
        "Assessment report",
        "Minutes",
    ]
    header = dialog.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionPosition(DOCUMENT) + 5, 5),
    )
    assert [r[DOCUMENT] for r in shown(dialog)] == sorted(
        ["Sign-in sheet", "Assessment report", "Minutes"]
    )
    dialog.view.sortByColumn(WHEN, Qt.SortOrder.AscendingOrder)
    assert [r[DOCUMENT] for r in shown(dialog)] == ["Minutes", "Assessment report", "Sign-in sheet"]
    dialog.view.sortByColumn(CONFERENCE, Qt.SortOrder.AscendingOrder)
    assert [r[CONFERENCE] for r in shown(dialog)][0] == "Canal Walk"
    close(window, dialog, qtbot)

    # Deleting a conference deletes its entries with it: no "(deleted)" rows are left behind.
    conferences.delete_conference(window.db, first)
    assert [e.kind for e in list_exports(window.db)] == ["report"]
    dialog = open_log(window, qtbot)
    (row,) = shown(dialog)
    assert row[DOCUMENT:] == [
        "Assessment report",
        "مؤتمر الحي",
        "",  # about no one meeting
        "Not recorded",  # recorded before anyone was asked who it went to
        "Not recorded",
        "",
        str(tmp_path / "b.docx"),
    ]
    close(window, dialog, qtbot)


def test_empty_log_accessible_names_and_model_checks(db, qtbot, qtmodeltester, tmp_path):
    conference_id = conferences.create_conference(db, "Riverside")
    dialog = ExportLogDialog(db, conference_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert shown(dialog) == []
    assert dialog.note.text() == "Nothing about this conference has been exported yet."
    assert not dialog.open_button.isEnabled() and not dialog.copy_button.isEnabled()
    for widget, label in (
        (dialog.only_this, dialog.only_this.text()),
        (dialog.open_button, dialog.open_button.text()),
        (dialog.copy_button, dialog.copy_button.text()),
    ):
        assert widget.accessibleName() == label.replace("&", "")
    assert dialog.view.accessibleName() == "Information sharing record"

    record_export(db, conference_id, "plan", tmp_path / "plan.docx")
    record_export(db, None, "weird-kind", tmp_path / "x\ty.docx")
    dialog.only_this.setChecked(False)
    qtmodeltester.check(dialog.model)
    rows = shown(dialog)
    assert [r[DOCUMENT] for r in rows] == ["weird-kind", "Intervention plan"]
    assert rows[0][CONFERENCE] == "—"
    text = dialog.copy_rows()
    assert text.count("\n") == 3 and "x y.docx" in text  # a tab in a path cannot split a cell


def test_times_are_shown_in_the_computers_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert local_time_text(dt.datetime(2026, 7, 1, 13, 5)) == "1 Jul 2026 14:05"  # BST
        assert local_time_text(dt.datetime(2026, 11, 22, 14, 5)) == "22 Nov 2026 14:05"
    finally:
        monkeypatch.undo()
        time.tzset()
