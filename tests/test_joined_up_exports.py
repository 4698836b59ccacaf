"""Every export is a sharing decision (issue 20): the invite list's CSV, the hand-over file and
the calendar (.ics) ask who it is shared with and the basis before anything is written, in the
window (the sharing dialog, the conference's last answer offered) and on the command line
(--shared-with/--basis, else the conference's remembered answer, else a one-line refusal)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences
from csfacilitator.core.export_log import (
    SharingAnswer,
    list_exports,
    remembered_answer,
)
from csfacilitator.core.key_meetings import set_meeting_field
from csfacilitator.core.lawful_bases import CONSENT, PUBLIC_TASK
from csfacilitator.gui.documents.sharing_dialog import SharingDialog
from csfacilitator.gui.main_window import INVITES

D = dt.date


def _when_asked(qtbot, order: list, act) -> None:
    """When the sharing dialog opens, note it in `order`, let `act(dialog)` answer it."""

    def look():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SharingDialog) or not dialog.isVisible():
            QTimer.singleShot(20, look)
            return
        order.append(("asked", dialog.windowTitle(), dialog.shared_with.text()))
        act(dialog)

    QTimer.singleShot(0, look)


def _type_and_enter(qtbot, who: str, basis: str, consent: bool = False):
    def act(dialog: SharingDialog):
        dialog.shared_with.selectAll()
        qtbot.keyClicks(dialog.shared_with, who)
        dialog.basis.setCurrentIndex(dialog.basis.findData(basis))
        if basis == CONSENT and consent:
            dialog.consent.setChecked(True)
        qtbot.keyClick(dialog.shared_with, Qt.Key.Key_Return)

    return act


def _enter(qtbot):
    return lambda dialog: qtbot.keyClick(dialog.shared_with, Qt.Key.Key_Return)


def _escape(qtbot):
    return lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape)


@pytest.fixture
def larkfield(paths, templates):
    from csfacilitator.storage import open_database

    templates.seed(paths)
    database = open_database(paths)
    cid = conferences.create_conference(database, "Larkfield Park")
    with database.session() as s:
        set_meeting_field(s, cid, "conference_date", D(2024, 3, 28))
    database.close()
    return cid


def test_window_exports_ask_who_and_why_before_writing_and_remember_it(
    open_window, larkfield, qtbot, monkeypatch, tmp_path
):
    window = open_window(larkfield)
    order: list = []
    target = {"path": None}

    def save_as(parent, title, suggested, file_filter):
        order.append(("save", title))
        return str(target["path"]), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)

    # The invite list's CSV, from its button on the Invite list tab: asked first (nothing
    # offered yet for this conference), then where.
    window.tabs.setCurrentIndex(INVITES)
    tab = window.invites
    target["path"] = tmp_path / "list.csv"
    _when_asked(qtbot, order, _type_and_enter(qtbot, "Youth justice team", PUBLIC_TASK))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target["path"].exists)
    assert order == [
        ("asked", "Sharing the invite list (CSV)", ""),
        ("save", "Export invite list"),
    ]
    (entry,) = list_exports(window.db, larkfield)
    assert (entry.kind, entry.shared_with, entry.basis) == (
        "invitees",
        "Youth justice team",
        PUBLIC_TASK,
    )

    # The hand-over file: the answer just given is offered; Enter keeps it.
    order.clear()
    target["path"] = tmp_path / "handover.csfconf"
    _when_asked(qtbot, order, _enter(qtbot))
    window.export_bundle_action.trigger()
    assert target["path"].exists()
    assert order == [
        ("asked", "Sharing the conference file", "Youth justice team"),
        ("save", "Export conference file"),
    ]
    newest = list_exports(window.db, larkfield)[0]
    assert (newest.kind, newest.shared_with, newest.basis) == (
        "bundle",
        "Youth justice team",
        PUBLIC_TASK,
    )

    # The calendar: a new answer (consent, given), which the conference then remembers.
    order.clear()
    target["path"] = tmp_path / "larkfield.ics"
    _when_asked(qtbot, order, _type_and_enter(qtbot, "Parents' forum", CONSENT, consent=True))
    window.export_calendar_action.trigger()
    assert target["path"].exists()
    assert [o[0] for o in order] == ["asked", "save"]
    newest = list_exports(window.db, larkfield)[0]
    assert (newest.kind, newest.shared_with, newest.basis, newest.consent_given) == (
        "calendar",
        "Parents' forum",
        CONSENT,
        True,
    )
    assert remembered_answer(window.db, larkfield) == SharingAnswer(
        "Parents' forum", CONSENT, "", True
    )

    # Cancelling the question: no save dialog, no file, nothing recorded.
    order.clear()
    target["path"] = tmp_path / "cancelled.ics"
    _when_asked(qtbot, order, _escape(qtbot))
    window.export_calendar_action.trigger()
    assert [o[0] for o in order] == ["asked"]
    assert not target["path"].exists()
    assert len(list_exports(window.db, larkfield)) == 3


# --- the command line ---------------------------------------------------------------------------


def _run(paths, *argv):
    return cli_main(["--data-dir", str(paths.root), *map(str, argv)])


@pytest.mark.parametrize(
    ("command", "kind", "name"),
    [
        (("invitees", "export"), "invitees", "list.csv"),
        (("bundle", "export"), "bundle", "handover.csfconf"),
        (("calendar",), "calendar", "riverside.ics"),
    ],
)
def test_cli_exports_need_an_answer_and_record_it(
    paths, db, conference_id, tmp_path, capsys, command, kind, name
):
    out = tmp_path / name
    # No answer and none remembered: one line, nothing written, nothing recorded.
    assert _run(paths, *command, conference_id, "--out", out) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "--shared-with" in message
    assert not out.exists() and list_exports(db, conference_id) == []
    # A basis that needs a reason, without one: refused the same way.
    refused = (*command, conference_id, "--out", out, "--shared-with", "Police", "--basis")
    assert _run(paths, *refused, "other") == 2
    assert "reason" in capsys.readouterr().err and not out.exists()

    given = ("--shared-with", "Riverside Housing", "--basis", "other", "--reason", "Court order")
    assert _run(paths, *command, conference_id, "--out", out, *given) == 0
    assert out.exists()
    (entry,) = list_exports(db, conference_id)
    assert (entry.kind, entry.shared_with, entry.basis, entry.reason) == (
        kind,
        "Riverside Housing",
        "other",
        "Court order",
    )
    # The next export of the conference uses the remembered answer without asking again.
    again = tmp_path / f"again-{name}"
    assert _run(paths, *command, conference_id, "--out", again) == 0
    assert [e.shared_with for e in list_exports(db, conference_id)] == ["Riverside Housing"] * 2
