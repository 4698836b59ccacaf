"""The team store in the window (issues 17 and 18), driven through real widgets against a real
PostgreSQL (tests/pg_server.py): the status line, Sync now pushing and pulling into the open
Invite list, resolving a conflict in the dialog, an unreachable store, History and the
manager's Team page. The window is Anna's laptop; Ben's is a second Database on the same
team store, as in the core's two-laptop tests."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy.engine import make_url
from sync_laptops import open_laptop

from csfacilitator.core import invitees, sync
from csfacilitator.core.example import add_example
from csfacilitator.gui.main_window import INVITES
from csfacilitator.storage import team_security, team_store

SHOTS = Path(os.environ.get("CSF_SHOTS", "/tmp/team_gui_shots"))
PASSWORD = "a long enough password"


@pytest.fixture
def team(team_rows_url, monkeypatch):
    """Anna's window joined to the team store (the password from the environment, as a
    script would give it); Ben's laptop and his engine on the same store. Its tests change
    rows only (never roles or the schema): the session's store, put back after each test."""
    monkeypatch.setenv(team_store.ENV_PASSWORD, make_url(team_rows_url).password)
    engine = team_store.make_team_engine(team_rows_url)
    yield {"url": team_rows_url, "engine": engine}
    engine.dispose()


@pytest.fixture
def example_id(seed_example):
    """The example conference on Anna's laptop from the start: a copy of the session's
    template made through add_example (conftest.py's `templates`), put in her data folder
    before her window opens, instead of imported again in each test."""
    return seed_example()


@pytest.fixture
def anna(open_window, team, request):
    if "example_id" in request.fixturenames:
        request.getfixturevalue("example_id")  # her database starts with it
    win = open_window()
    team_store.connect_team_store(win.db, team["url"])
    sync.set_person(win.db, "Anna")
    win.team.refresh_status()
    return win


@pytest.fixture
def ben(tmp_path, _migrated_template):
    db = open_laptop(_migrated_template, tmp_path / "ben")
    sync.set_person(db, "Ben")
    yield db
    db.close()


class Shared(NamedTuple):
    """Anna's window and Ben's laptop after `_shared_example`: the example shared by Anna,
    synced to the team and to Ben, open in her window; its id on each laptop."""

    anna: object  # MainWindow
    ben: object  # Database
    team: dict
    cid: int
    ben_cid: int


@pytest.fixture
def shared(open_window, paths, tmp_path, _team_gui_start, monkeypatch, request):
    """Anna's window on a copy of her laptop as `_shared_example` leaves it (the conference
    open), Ben's laptop and the team store likewise, copies of what tests/sync_laptops.py's
    `_team_gui_start` made once per session."""
    from sync_laptops import open_copy

    from csfacilitator.paths import make_private, prepare

    made = _team_gui_start
    url = made.restored.url
    monkeypatch.setenv(team_store.ENV_PASSWORD, make_url(url).password)
    prepare(paths)
    shutil.copyfile(made.anna, paths.database)
    make_private(paths.database)
    win = open_window()
    win.open_conference(made.cid)  # its Team actions and line follow (no refresh called)
    ben = open_copy(made.ben, tmp_path / "ben")
    engine = team_store.make_team_engine(url)
    yield Shared(win, ben, {"url": url, "engine": engine}, made.cid, made.ben_cid)
    ben.close()
    engine.dispose()
    made.restored.reset(request.node.nodeid)


def _sync(qtbot, win) -> None:
    """Sync now, as the person does it (F9's action), and wait for the job to end."""
    messages = []
    win.statusBar().messageChanged.connect(messages.append)
    win.team.sync_action.trigger()
    qtbot.waitUntil(lambda: not win.team._syncing, timeout=60000)
    return messages


def _shared_example(qtbot, anna, ben, team, cid):
    anna.open_conference(cid)
    sync.share_conference(anna.db, cid)
    messages = _sync(qtbot, anna)
    assert sync.sync_status(anna.db).waiting == 0, messages
    sync.sync_now(ben, team["engine"])
    uid = _uid(anna.db, cid)
    ben_cid = _by_uid(ben, uid)
    assert ben_cid is not None
    return cid, ben_cid


def _uid(db, cid):
    from csfacilitator.core.conferences import get_conference

    return get_conference(db, cid).uid


def _by_uid(db, uid):
    from sqlalchemy import text

    with db.read_session() as s:
        return (
            s.connection()
            .execute(text("SELECT id FROM conference WHERE uid = :u"), {"u": uid})
            .scalar()
        )


def _make_conflict(qtbot, anna, ben, team, cid, ben_cid):
    """Both change the first invitee's status differently; Ben syncs first, then Anna."""
    first_a = invitees.list_invitees(anna.db, cid)[0]
    first_b = invitees.list_invitees(ben, ben_cid)[0]
    invitees.update_invitee(ben, first_b.id, status="declined")
    sync.sync_now(ben, team["engine"])
    invitees.update_invitee(anna.db, first_a.id, status="to_invite")
    _sync(qtbot, anna)
    return first_a.id, first_b.id


def test_the_status_line_counts_waiting_changes_and_conflicts_in_words(
    qtbot, example_id, anna, ben, team
):
    label = anna.team.status_button
    assert label.isVisible() and label.text() == "Team: not synced yet"
    cid, ben_cid = _shared_example(qtbot, anna, ben, team, example_id)
    assert re.fullmatch(r"Team: synced \d\d:\d\d", label.text())
    _make_conflict(qtbot, anna, ben, team, cid, ben_cid)
    invitees.add_invitee(anna.db, cid, name="Priya Shah", organisation="Youth service")
    status = sync.sync_status(anna.db)
    assert status.conflicts == 1 and status.waiting >= 1
    waiting = f"{status.waiting} change{'s' if status.waiting != 1 else ''} waiting"
    # A local change reaches the line through the change bus, without a sync.
    qtbot.waitUntil(lambda: waiting in label.text())
    assert re.fullmatch(rf"Team: synced \d\d:\d\d · {waiting} · 1 conflict", label.text())
    assert label.accessibleName() == label.text()


def test_sync_now_pushes_and_pulls_into_the_open_invite_list(qtbot, shared):
    anna, ben, team, cid, ben_cid = shared
    anna.tabs.setCurrentIndex(INVITES)
    tab = anna.invites
    names = lambda: [r.name for r in tab.model.records()]  # noqa: E731
    assert "Zainab Colleague" not in names()
    invitees.add_invitee(ben, ben_cid, name="Zainab Colleague", organisation="Police")
    sync.sync_now(ben, team["engine"])
    invitees.add_invitee(anna.db, cid, name="Tom Okafor", organisation="Housing")
    _sync(qtbot, anna)
    # Pulled: the open list shows Ben's invitee without reopening the conference.
    assert "Zainab Colleague" in names()
    assert anna.conference_id == cid and anna.tabs.currentIndex() == INVITES
    # Pushed: Ben gets Anna's.
    sync.sync_now(ben, team["engine"])
    assert "Tom Okafor" in [r.name for r in invitees.list_invitees(ben, ben_cid)]
    assert re.match(r"Synced: pushed [1-9]\d*, pulled [1-9]", anna.statusBar().currentMessage())


def test_resolving_in_the_dialog_settles_the_conflict_on_both_laptops(qtbot, shared, monkeypatch):
    from csfacilitator.gui.team.conflicts_dialog import ConflictsDialog

    anna, ben, team, cid, ben_cid = shared
    a_id, b_id = _make_conflict(qtbot, anna, ben, team, cid, ben_cid)
    assert "1 conflict" in anna.team.status_button.text()
    seen = {}

    def run_dialog(dialog):
        qtbot.addWidget(dialog)
        dialog.resize(900, 560)
        dialog.show()
        qtbot.waitExposed(dialog)
        seen["items"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        seen["mine"] = dialog.mine.value.toPlainText()
        seen["theirs"] = dialog.theirs.value.toPlainText()
        seen["who"] = (dialog.mine.who.text(), dialog.theirs.who.text())
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "conflicts_dialog.png"))
        qtbot.mouseClick(dialog.keep_button, __import__("PySide6").QtCore.Qt.MouseButton.LeftButton)
        seen["after"] = dialog.list.count()
        return 0

    monkeypatch.setattr(ConflictsDialog, "exec", run_dialog)
    qtbot.mouseClick(
        anna.team.status_button, __import__("PySide6").QtCore.Qt.MouseButton.LeftButton
    )
    assert len(seen["items"]) == 1 and "Invitee" in seen["items"][0]
    assert seen["who"][0].startswith("By Anna") and seen["who"][1].startswith("By Ben")
    assert (seen["mine"], seen["theirs"]) == ("To invite", "Declined")  # words, not codes
    assert seen["after"] == 0
    assert "conflict" not in anna.team.status_button.text()
    _sync(qtbot, anna)
    sync.sync_now(ben, team["engine"])
    mine = invitees.list_invitees(anna.db, cid)
    theirs = invitees.list_invitees(ben, ben_cid)
    status_a = next(i.status for i in mine if i.id == a_id)
    status_b = next(i.status for i in theirs if i.id == b_id)
    assert status_a == status_b == "to_invite"
    assert sync.list_conflicts(anna.db) == [] and sync.list_conflicts(ben) == []


def test_an_unreachable_store_gives_one_line_and_changes_nothing(
    qtbot, example_id, open_window, monkeypatch
):
    monkeypatch.setenv(team_store.ENV_PASSWORD, "pw")
    win = open_window()
    assert not win.team.status_button.isVisible()  # never set up: nothing said
    cid = example_id
    team_store.save_team_url(win.db, "postgresql+psycopg://anna@127.0.0.1:1/team")
    sync.share_conference(win.db, cid)
    before = sync.sync_status(win.db)
    messages = _sync(qtbot, win)
    line = next(m for m in messages if m.startswith("Team store:"))
    assert "\n" not in line and "reached" in line
    assert win.team.status_button.text().startswith("Team: not connected")
    after = sync.sync_status(win.db)
    assert (after.waiting, after.last_sync_at) == (before.waiting, None)


def test_opening_or_switching_a_conference_sets_the_team_actions_without_the_menu(shared):
    """The Team actions and line follow the conference shown as soon as it is shown: before,
    they kept the last state until a sync ran or the Team menu was opened."""
    from csfacilitator.core import conferences

    win, team = shared.anna, shared.anna.team
    other = conferences.create_conference(win.db, "Not shared")

    def enabled() -> tuple[bool, bool, bool]:
        return (
            team.share_action.isEnabled(),
            team.unshare_action.isEnabled(),
            team.history_action.isEnabled(),
        )

    assert enabled() == (False, True, True)  # the shared conference, opened by the fixture
    line = team.status_button
    assert not line.isHidden() and line.text().startswith("Team: synced")
    assert line.accessibleName() == line.text()
    win.open_conference(other)  # switched to one not shared
    assert enabled() == (True, False, False)
    win.show_home()  # no conference shown: nothing to share or look back on
    assert enabled() == (False, False, False)
    win.open_conference(shared.cid)  # and back
    assert enabled() == (False, True, True)
    sync.share_conference(win.db, other)  # shared by the core; the next open shows it
    win.open_conference(other)
    assert enabled() == (False, True, True)
    assert re.search(r"\d+ changes? waiting", line.text())  # the line re-read with the actions
    assert line.accessibleName() == line.text()


def test_history_shows_the_team_stores_entries(qtbot, shared, monkeypatch, tmp_path):
    from csfacilitator.gui.team.history_dialog import HistoryDialog

    anna, ben, team, cid, _ben_cid = shared
    seen = {}

    def run_dialog(dialog):
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=30000)
        seen["rows"] = dialog.table.rowCount()
        seen["first"] = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
        monkeypatch.setattr(
            "PySide6.QtWidgets.QFileDialog.getSaveFileName",
            lambda *a, **k: (str(tmp_path / "history.csv"), ""),
        )
        dialog.export_button.click()
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", run_dialog)
    anna.team.history_action.trigger()
    assert seen["rows"] > 10
    assert seen["first"][2] == "added"
    text = (tmp_path / "history.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("When (UTC),Who,Action,What,Field,Was,Now")


def test_the_manager_page_lists_the_teams_conferences_and_caseloads(
    qtbot, open_window, pg_server, team_url, tmp_path, templates, monkeypatch
):
    from csfacilitator.gui.team.team_page import TeamPageDialog
    from csfacilitator.paths import resolve

    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    alice, mia = f"alice_{database}", f"mia_{database}"
    team_security.add_user(admin, alice, "coordinator", PASSWORD)
    team_security.add_user(admin, mia, "manager", PASSWORD)
    admin.dispose()
    # Alice's laptop shares the example conference through her own login: her database a
    # copy of the session's example template (made through add_example).
    example = resolve(tmp_path / "example")
    cid = templates.seed(example, example=True)
    laptop = open_laptop(example.database, tmp_path / "alice")
    alice_engine = team_store.make_team_engine(pg_server.url(database, alice, PASSWORD))
    sync.share_conference(laptop, cid)
    sync.sync_now(laptop, alice_engine)
    alice_engine.dispose()
    laptop.close()
    # Mia, a manager, in the window.
    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    win = open_window()
    team_store.save_team_url(win.db, pg_server.url(database, mia))
    assert not win.team.team_page_action.isVisible()
    _sync(qtbot, win)
    assert win.team.role == "manager"
    win.team.update_actions()
    assert win.team.team_page_action.isVisible()
    seen = {}

    def run_dialog(dialog):
        qtbot.addWidget(dialog)
        dialog.resize(1000, 600)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.overview is not None, timeout=30000)
        t = dialog.conferences
        seen["conferences"] = [
            [t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())
        ]
        c = dialog.caseloads
        seen["caseloads"] = [
            [c.item(r, k).text() for k in range(c.columnCount())] for r in range(c.rowCount())
        ]
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "team_page.png"))
        return 0

    monkeypatch.setattr(TeamPageDialog, "exec", run_dialog)
    win.team.team_page_action.trigger()
    assert len(seen["conferences"]) == 1
    row = seen["conferences"][0]
    assert alice in row[3]
    assert seen["caseloads"] == [[alice, "coordinator", "1"]]


def test_a_pull_shows_new_board_points_and_keeps_the_line_being_typed(qtbot, shared):
    from sqlalchemy import text

    from csfacilitator.core import board as board_core
    from csfacilitator.gui.main_window import BOARD

    anna, ben, team, cid, ben_cid = shared
    anna.tabs.setCurrentIndex(BOARD)
    board = anna.board
    meeting_id = board.current_meeting_id()
    with anna.db.read_session() as s:
        uid = (
            s.connection()
            .execute(text("SELECT uid FROM meeting WHERE id = :i"), {"i": meeting_id})
            .scalar()
        )
    with ben.read_session() as s:
        ben_meeting = (
            s.connection()
            .execute(text("SELECT id FROM meeting WHERE uid = :u"), {"u": uid})
            .scalar()
        )
    board_core.add_point(ben, ben_meeting, "concerns", "Ben: the subway lights are out")
    sync.sync_now(ben, team["engine"])
    board.focus_entry("strengths")
    entry = board.panes["strengths"].entry
    qtbot.keyClicks(entry, "Half-typed idea")
    entry.setCursorPosition(4)
    _sync(qtbot, anna)
    texts = [p.text for p in board.document.records()["concerns"]]
    assert "Ben: the subway lights are out" in texts
    assert entry.text() == "Half-typed idea" and entry.cursorPosition() == 4
    assert entry.hasFocus()
    # Nothing typed was turned into a point by the sync.
    assert "Half-typed idea" not in [p.text for p in board.document.records()["strengths"]]


def test_a_conference_deleted_on_the_team_closes_with_a_message(qtbot, shared):
    from csfacilitator.core import conferences

    anna, ben, team, cid, ben_cid = shared
    assert anna.conference_id == cid
    conferences.delete_conference(ben, ben_cid)
    sync.sync_now(ben, team["engine"])
    messages = _sync(qtbot, anna)
    assert anna.conference_id is None and anna.pages.currentWidget() is anna.home
    assert any("deleted on the team store" in m for m in messages)
    assert conferences.count_conferences(anna.db) == 0


def test_a_newer_team_schema_is_refused_in_one_line(qtbot, example_id, anna, team):
    from sqlalchemy import text

    cid = example_id
    sync.share_conference(anna.db, cid)
    with team["engine"].begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    before = sync.sync_status(anna.db)
    messages = _sync(qtbot, anna)
    line = next(m for m in messages if m.startswith("Team store:"))
    assert "\n" not in line and "newer" in line.lower()
    after = sync.sync_status(anna.db)
    assert (after.waiting, after.last_sync_at) == (before.waiting, None)
    assert anna.team.status_button.text().startswith("Team: not connected")


def test_connecting_keeps_the_address_but_never_the_password(
    qtbot, open_window, team_rows_url, monkeypatch
):
    from csfacilitator.gui.team.connect_dialog import ConnectDialog

    monkeypatch.delenv(team_store.ENV_PASSWORD, raising=False)
    win = open_window()
    assert win.team.connect_action.text() == "C&onnect to a team store…"
    url = make_url(team_rows_url)  # the session's store as `team init` leaves it (rows only)
    bare = url.set(password=None).render_as_string(hide_password=False)

    def fill(dialog):
        dialog.url.setText(bare)
        dialog.password.setText(url.password)
        dialog.remember.setChecked(False)
        return 1

    monkeypatch.setattr(ConnectDialog, "exec", fill)
    messages = []
    win.statusBar().messageChanged.connect(messages.append)
    win.team.connect_action.trigger()
    qtbot.waitUntil(lambda: any(m.startswith("Joined") for m in messages), timeout=30000)
    stored = team_store.stored_team_url(win.db)
    assert stored is not None and url.password not in stored
    assert win.team.status_button.isVisible()
    # The password typed is used for this session's syncs, from memory.
    messages.clear()
    _sync(qtbot, win)
    assert any(m.startswith("Synced:") for m in messages), messages


def test_long_text_on_both_sides_is_shown_whole_and_a_third_version_settles_it(
    qtbot, shared, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    from csfacilitator.core import conferences
    from csfacilitator.gui.team.conflicts_dialog import ConflictsDialog

    anna, ben, team, cid, ben_cid = shared
    conferences.update_conference(ben, ben_cid, notes="Ben's notes.\nThe café owner will come.")
    sync.sync_now(ben, team["engine"])
    conferences.update_conference(anna.db, cid, notes="Anna's notes.\nThe school agreed to host.")
    _sync(qtbot, anna)
    merged = "Both: the café owner will come.\nThe school agreed to host."
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (merged, True))
    seen = {}

    def run_dialog(dialog):
        qtbot.addWidget(dialog)
        dialog.resize(900, 560)
        dialog.show()
        qtbot.waitExposed(dialog)
        c = dialog.current()
        seen["long"] = c.long_text and c.field == "notes"
        seen["sides"] = (dialog.mine.value.toPlainText(), dialog.theirs.value.toPlainText())
        dialog.grab().save(str(SHOTS / "conflicts_long_text.png"))
        dialog.edit_button.click()
        return 0

    SHOTS.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(ConflictsDialog, "exec", run_dialog)
    anna.team.conflicts_action.trigger()
    assert seen["long"]
    assert seen["sides"] == (
        "Anna's notes.\nThe school agreed to host.",
        "Ben's notes.\nThe café owner will come.",
    )
    _sync(qtbot, anna)
    sync.sync_now(ben, team["engine"])
    assert conferences.get_conference(anna.db, cid).notes == merged
    assert conferences.get_conference(ben, ben_cid).notes == merged
    # The open Overview shows the settled text without reopening.
    assert anna.overview.fields["notes"].toPlainText() == merged


def test_the_window_keeps_answering_while_it_syncs(qtbot, anna, ben, team, monkeypatch):
    """Sync runs off the GUI thread: during a first pull of five shared conferences the
    window's event loop keeps turning. The sync waits, before it pulls and again after, for a
    timer on the GUI thread to tick; run on the GUI thread it would wait in vain (and fail
    after 10 s rather than hang). No clock is read: the test holds on any machine's speed."""
    import threading

    from PySide6.QtCore import QTimer

    for _ in range(5):
        sync.share_conference(ben, add_example(ben))
    sync.sync_now(ben, team["engine"])
    real_sync = sync.sync_now
    ticked = threading.Event()
    seen = {}

    def sync_that_needs_the_window(db, engine):  # noqa: ANN001, ANN202
        seen["on the GUI thread"] = threading.current_thread() is threading.main_thread()
        ticked.clear()
        seen["answered before"] = ticked.wait(10)
        result = real_sync(db, engine)
        ticked.clear()
        seen["answered after"] = ticked.wait(10)
        return result

    monkeypatch.setattr(sync, "sync_now", sync_that_needs_the_window)
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(ticked.set)
    timer.start()
    _sync(qtbot, anna)
    timer.stop()
    assert seen == {
        "on the GUI thread": False,
        "answered before": True,
        "answered after": True,
    }
    assert sync.sync_status(anna.db).shared == 5


def test_a_refused_password_gives_one_line_and_is_asked_again_next_time(
    qtbot, example_id, anna, team, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    asked = []
    monkeypatch.delenv(team_store.ENV_PASSWORD)
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: (asked.append(a[2]) or "wrong password", True)
    )
    cid = example_id
    sync.share_conference(anna.db, cid)
    messages = _sync(qtbot, anna)
    line = next(m for m in messages if m.startswith("Team store:"))
    assert "\n" not in line and "password" in line.lower(), line
    assert asked and "Password for postgres" in asked[0]
    assert anna.team.status_button.text().startswith("Team: not connected")
    assert sync.sync_status(anna.db).last_sync_at is None
    _sync(qtbot, anna)  # the refused password was forgotten: asked again
    assert len(asked) == 2


def test_share_and_stop_sharing_from_the_team_menu(qtbot, example_id, anna, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from csfacilitator.gui.team.sharing_line import LOCAL, SHARED

    questions = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: questions.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    cid = example_id
    anna.open_conference(cid)
    line = anna.overview.sharing
    assert line.isVisible() and line.text().startswith(LOCAL)
    # Set by opening it (no refresh called here, nor the menu opened).
    assert anna.team.share_action.isEnabled() and not anna.team.unshare_action.isEnabled()
    assert anna.team.share_action.shortcut().toString() == "Ctrl+Shift+H"
    messages = []
    anna.statusBar().messageChanged.connect(messages.append)
    anna.team.share_action.trigger()
    assert "Share “Example" in questions[0]
    assert sync.is_shared(anna.db, cid) and line.text().startswith(SHARED)
    assert any(re.match(r"Shared with the team: \d+ changes wait", m) for m in messages)
    assert re.search(r"\d+ changes waiting", anna.team.status_button.text())
    SHOTS.mkdir(parents=True, exist_ok=True)
    anna.grab().save(str(SHOTS / "window_shared.png"))
    anna.team.unshare_action.trigger()
    assert not sync.is_shared(anna.db, cid) and line.text().startswith(LOCAL)
    assert sync.sync_status(anna.db).waiting == 0


def test_the_status_words():
    import datetime as dt

    from csfacilitator.core.sync import SyncStatus
    from csfacilitator.gui.team.controller import status_text

    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    today = dt.datetime(2026, 12, 7, 10, 42)  # stored in UTC, shown in local time
    local = today.replace(tzinfo=dt.UTC).astimezone().strftime("%H:%M")
    assert (
        status_text(SyncStatus(today, 3, 1, 2, "d", "p"), None, now)
        == f"Team: synced {local} · 3 changes waiting · 1 conflict"
    )
    assert status_text(SyncStatus(None, 1, 0, 1, "d", "p"), None, now) == (
        "Team: not synced yet · 1 change waiting"
    )
    assert status_text(SyncStatus(today, 0, 2, 1, "d", "p"), "unreachable", now) == (
        "Team: not connected · 2 conflicts"
    )
