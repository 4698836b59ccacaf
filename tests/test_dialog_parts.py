"""The pieces the question dialogs share (gui/widgets/dialog_parts.py) and the listing shape
the subcommands share (commands/common.py)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel

from csfacilitator.commands.common import listed
from csfacilitator.gui.widgets.dialog_parts import accept_cancel, intro_label, stack


def test_buttons_are_named_as_they_read_and_accept_or_reject(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    _box, ok, cancel = accept_cancel(dialog, "&Start review", "Quit")
    assert (ok.text(), ok.accessibleName()) == ("&Start review", "Start review")
    assert (cancel.text(), cancel.accessibleName()) == ("Quit", "Quit")
    dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)


def test_cancel_keeps_its_own_words_unless_given(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    _box, _ok, cancel = accept_cancel(dialog, "Connect")
    assert cancel.text().replace("&", "") == "Cancel" and cancel.accessibleName() == "Cancel"


def test_the_column_holds_the_parts_in_order(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    intro = intro_label("<b>typed</b>", dialog)
    form = QFormLayout()
    error = QLabel(dialog)
    layout = stack(dialog, intro, form, error)
    assert dialog.layout() is layout
    assert [layout.itemAt(i).widget() or layout.itemAt(i).layout() for i in range(3)] == [
        intro,
        form,
        error,
    ]
    assert intro.textFormat() == Qt.TextFormat.PlainText and intro.wordWrap()


def test_a_listing_prints_json_or_says_there_is_nothing(capsys):
    row = {"name": "Zoë"}
    assert listed([row], as_json=True, to_json=dict, empty="Nothing.")
    out = capsys.readouterr().out
    assert json.loads(out) == [{"name": "Zoë"}] and "Zoë" in out  # not escaped for scripts
    assert listed([], as_json=False, to_json=dict, empty="Nothing.")
    assert capsys.readouterr().out == "Nothing.\n"
    assert not listed([row], as_json=False, to_json=dict, empty="Nothing.")
    assert capsys.readouterr().out == ""
