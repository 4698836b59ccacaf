"""Leaving the team and retention across it, in the window (issue 18), driven through real
widgets against a real PostgreSQL: after Sync now (F9) a coordinator whose conference was
unshared, or who was taken out of the team, is shown the conferences and chooses "Keep for
now" or "Remove copies"; a manager deletes a conference past its retention date from the Team
page and a coordinator's laptop removes it at its next sync."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_laptops import open_laptop

from csfacilitator.core import conferences, sync
from csfacilitator.core.sync import leaving
from csfacilitator.gui.team.leaving_dialog import KEEP, REMOVE, LeavingDialog
from csfacilitator.gui.team.sharing_line import LEFT
from csfacilitator.storage import team_security, team_store

SHOTS = Path(os.environ.get("CSF_SHOTS", "/tmp/team_gui_shots"))
PASSWORD = "a long enough password"


def _sync(qtbot, win) -> list[str]:
    messages: list[str] = []
    win.statusBar().messageChanged.connect(messages.append)
    win.team.sync_action.trigger()
    qtbot.waitUntil(lambda: not win.team._syncing, timeout=60000)
    return messages


def _answer(qtbot, monkeypatch, button_text: str, seen: dict, shot: str | None = None) -> None:
    """The dialog is shown and answered by clicking the button named `button_text`."""

    def run(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        seen.setdefault("items", []).append(
            [dialog.list.item(i).text() for i in range(dialog.list.count())]
        )
        seen.setdefault("notes", []).append(dialog.note.text())
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            dialog.grab().save(str(SHOTS / shot))
        button = dialog.remove_button if button_text == REMOVE else dialog.keep_button
        assert button.text() == button_text and button.accessibleName() == button_text
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(LeavingDialog, "exec", run)


@pytest.fixture
def anna(open_window, seed_example, pg_server, team_url, monkeypatch):
    """Anna, a coordinator, in the window with her own login; the example conference is open,
    shared with the team and synced. Her laptop starts with a copy of the session's example
    template (made through add_example), put in before her window opens."""
    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    login = f"anna_{database}"
    team_security.add_user(admin, login, "coordinator", PASSWORD)
    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    cid = seed_example()
    win = open_window()
    team_store.save_team_url(win.db, pg_server.url(database, login))
    win.team.refresh_status()
    win.open_conference(cid)
    uid = sync.share_conference(win.db, cid).conference_uid
    yield {"win": win, "cid": cid, "uid": uid, "login": login, "admin": admin, "url": team_url}
    admin.dispose()


def test_an_unshared_conference_is_kept_for_now_then_removed_from_the_team_menu(
    qtbot, anna, monkeypatch
):
    a, win = anna, anna["win"]
    _sync(qtbot, win)
    assert sync.sync_status(win.db).waiting == 0
    title = conferences.get_conference(win.db, a["cid"]).title
    with a["admin"].begin() as conn:
        team_security.unshare(conn, a["uid"], a["login"])
    seen: dict = {}
    _answer(qtbot, monkeypatch, KEEP, seen, "leaving_dialog.png")
    messages = _sync(qtbot, win)
    assert seen["items"] and title in seen["items"][0][0]
    assert "no longer shared with you" in seen["notes"][0]
    assert any(m.startswith("Kept the copy for now") for m in messages), messages
    # Kept: still open and here, marked in words on the Overview, no longer syncing.
    assert win.conference_id == a["cid"]
    assert win.overview.sharing.text().startswith(LEFT)
    assert win.overview.sharing.accessibleName() == win.overview.sharing.text()
    assert win.minimumSizeHint().width() <= 1366  # the longer line still fits a laptop
    SHOTS.mkdir(parents=True, exist_ok=True)
    win.grab().save(str(SHOTS / "overview_no_longer_shared.png"))
    assert not sync.is_shared(win.db, a["cid"])
    # The next sync does not ask again (nothing new), nor pushes it back.
    seen.clear()
    _sync(qtbot, win)
    assert "items" not in seen
    # Later, from the Team menu: Remove copies.
    win.team.update_actions()
    assert win.team.leaving_action.isEnabled()
    _answer(qtbot, monkeypatch, REMOVE, seen)
    messages = []
    win.statusBar().messageChanged.connect(messages.append)
    win.team.leaving_action.trigger()
    assert win.conference_id is None and win.pages.currentWidget() is win.home
    assert conferences.count_conferences(win.db) == 0
    assert any(m.startswith("Removed from this laptop:") and title in m for m in messages)
    win.team.update_actions()
    assert not win.team.leaving_action.isEnabled()
    with a["admin"].connect() as conn:  # the team's own copy is untouched
        assert (
            conn.execute(
                text("SELECT title FROM conference WHERE uid = :u"), {"u": a["uid"]}
            ).scalar()
            == title
        )


def test_taken_out_of_the_team_the_window_offers_to_remove_the_copies(qtbot, anna, monkeypatch):
    a, win = anna, anna["win"]
    _sync(qtbot, win)
    team_security.remove_user(a["admin"], a["login"])
    seen: dict = {}
    _answer(qtbot, monkeypatch, REMOVE, seen)
    messages = _sync(qtbot, win)
    assert "taken out of the team" in seen["notes"][0]
    assert len(seen["items"][0]) == 1
    assert any("no longer lets your login in" in m for m in messages), messages
    assert conferences.count_conferences(win.db) == 0
    assert win.conference_id is None
    assert leaving.no_longer_shared(win.db) == []


def test_a_manager_deletes_from_the_team_page_and_the_coordinators_laptop_follows(
    qtbot, open_window, pg_server, team_url, tmp_path, _migrated_template, monkeypatch
):
    from csfacilitator.gui.team.team_page import DELETE, TeamPageDialog

    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    alice, mia = f"alice_{database}", f"mia_{database}"
    team_security.add_user(admin, alice, "coordinator", PASSWORD)
    team_security.add_user(admin, mia, "manager", PASSWORD)
    laptop = open_laptop(_migrated_template, tmp_path / "alice")
    alice_engine = team_store.make_team_engine(pg_server.url(database, alice, PASSWORD))
    long_ago = dt.date.today() - dt.timedelta(days=365 * 3)
    titles = {"due": "Old Market car park", "held": "Station underpass"}
    for key, title in titles.items():
        cid = conferences.create_conference(laptop, title)
        conferences.update_conference(
            laptop, cid, status="closed", closed_on=long_ago, legal_hold=key == "held"
        )
        sync.share_conference(laptop, cid)
    sync.sync_now(laptop, alice_engine)

    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    win = open_window()
    team_store.save_team_url(win.db, pg_server.url(database, mia))
    sync.set_person(win.db, "Mia")
    _sync(qtbot, win)
    assert win.team.role == "manager"
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    seen: dict = {}

    def run_page(dialog):
        qtbot.addWidget(dialog)
        dialog.resize(1000, 700)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.overview is not None, timeout=30000)
        t = dialog.due_table
        seen["due"] = [
            [t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())
        ]
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "team_page_retention.png"))
        assert not dialog.delete_button.isEnabled()  # nothing chosen yet
        assert dialog.delete_button.text() == DELETE == dialog.delete_button.accessibleName()
        t.setFocus()
        t.selectRow(0)
        assert dialog.delete_button.isEnabled()
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.due_table.rowCount() == 0, timeout=30000)
        seen["note"] = dialog.due_note.text()
        return 0

    monkeypatch.setattr(TeamPageDialog, "exec", run_page)
    win.team.team_page_action.trigger()
    # Only the conference past its date and not on legal hold was listed, with its people.
    assert len(seen["due"]) == 1
    assert seen["due"][0][0] == titles["due"] and seen["due"][0][3] == alice
    assert asked and titles["due"] in asked[0]
    assert seen["note"].startswith(f"Deleted '{titles['due']}' from the team store")
    with admin.connect() as conn:
        left = set(conn.execute(text("SELECT title FROM conference")).scalars())
    assert left == {titles["held"]}
    # Mia's laptop had pulled it: its copy went at once.
    assert {c.title for c in conferences.list_conferences(win.db)} == {titles["held"]}
    # Alice's laptop, at its next sync.
    result = sync.sync_now(laptop, alice_engine)
    assert [r.title for r in result.removed_by_team] == [titles["due"]]
    assert result.removed_by_team[0].retention and result.removed_by_team[0].by == "Mia"
    assert {c.title for c in conferences.list_conferences(laptop)} == {titles["held"]}
    alice_engine.dispose()
    admin.dispose()
    laptop.close()


def test_a_retention_delete_reaches_the_coordinators_window_and_is_said_in_words(
    qtbot, anna, pg_server, tmp_path, _migrated_template
):
    from csfacilitator.core.sync import team_retention

    a, win = anna, anna["win"]
    long_ago = dt.date.today() - dt.timedelta(days=365 * 3)
    conferences.update_conference(win.db, a["cid"], status="closed", closed_on=long_ago)
    title = conferences.get_conference(win.db, a["cid"]).title
    _sync(qtbot, win)
    # Mia, a manager, deletes it from her own laptop.
    database = make_url(a["url"]).database
    mia = f"mia_{database}"
    team_security.add_user(a["admin"], mia, "manager", PASSWORD)
    mia_db = open_laptop(_migrated_template, tmp_path / "mia")
    sync.set_person(mia_db, "Mia")
    mia_engine = team_store.make_team_engine(pg_server.url(database, mia, PASSWORD))
    try:
        due = team_retention.due_across_team(mia_engine, 24)
        assert [d.title for d in due] == [title]
        team_retention.delete_due(mia_db, mia_engine, due[0].uid, 24)
    finally:
        mia_engine.dispose()
        mia_db.close()
    assert win.conference_id == a["cid"]  # open in Anna's window until her sync
    messages = _sync(qtbot, win)
    said = next(m for m in messages if m.startswith("Removed '"))
    assert said.startswith(
        f"Removed '{title}' from this laptop: its retention period has ended and it was "
        "deleted from the team store by Mia."
    )
    assert any("you had open was deleted on the team store" in m for m in messages)
    assert win.conference_id is None and win.pages.currentWidget() is win.home
    assert conferences.count_conferences(win.db) == 0
