"""The window's side of the team store: the Team menu, the permanent status line, Sync now off
the GUI thread, and what a pull changed reaching the open tabs through the change bus.

The main window makes one `TeamController` in attach() and hands it its ChangeBus; nothing
else in the window knows about the team store. Sharing and leaving are in sharing.py, the
history and the Team page in team_pages.py (base classes of the controller)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from csfacilitator.core import sync
from csfacilitator.core.changes import Changes
from csfacilitator.core.sync import leaving
from csfacilitator.errors import UserError
from csfacilitator.gui.team.refresh import refresh_open
from csfacilitator.gui.team.sharing import TeamSharing
from csfacilitator.gui.team.team_pages import TeamPages
from csfacilitator.storage import team_store

if TYPE_CHECKING:
    from csfacilitator.core.sync import SyncStatus
    from csfacilitator.gui.team import jobs
    from csfacilitator.gui.team.conflicts_dialog import ConflictsDialog
    from csfacilitator.gui.team.history_dialog import HistoryDialog
    from csfacilitator.gui.team.leaving_dialog import LeavingDialog
    from csfacilitator.gui.team.team_page import TeamPageDialog

log = logging.getLogger(__name__)

SYNC_SHORTCUT = "F9"
SHARE_SHORTCUT = "Ctrl+Shift+H"
NO_PASSWORD = object()  # the URL, the environment or the keyring gives it


def status_text(status: SyncStatus, failing: str | None, now: dt.datetime | None = None) -> str:
    """ "Team: synced 10:42 · 3 changes waiting · 1 conflict", in words (never colour only)."""
    if failing:
        head = "Team: not connected"
    elif status.last_sync_at is None:
        head = "Team: not synced yet"
    else:
        head = f"Team: synced {_when(status.last_sync_at, now)}"
    parts = [head]
    if status.waiting:
        parts.append(f"{status.waiting} change{'s' if status.waiting != 1 else ''} waiting")
    if status.conflicts:
        parts.append(f"{status.conflicts} conflict{'s' if status.conflicts != 1 else ''}")
    return " · ".join(parts)


def _when(stamp: dt.datetime, now: dt.datetime | None = None) -> str:
    """Local time; the date too when it was not today. Stored stamps are UTC."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    local = stamp.astimezone()
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"


class TeamController(TeamSharing, TeamPages):
    def __init__(self, window, db, bus) -> None:  # noqa: ANN001 - MainWindow, Database, ChangeBus
        super().__init__(window)
        self.window = window
        self.db = db
        self.bus = bus
        self.role: str | None = None  # known after a sync or a connect reached the store
        self.failing: str | None = None  # the last sync's one-line failure
        self.job: jobs.Job | None = None
        self._password: str | None = None  # typed this session: kept in memory only
        self._from_sync = False
        # The dialog open now, if any (tests reach into it while it runs).
        self.leaving_dialog: LeavingDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.team_page: TeamPageDialog | None = None
        self._joined = False  # as update_actions last read it
        self._build_menu()
        self.status_button = QPushButton(window)
        self.status_button.setFlat(True)
        self.status_button.setObjectName("teamStatus")
        self.status_button.setToolTip("Open the list of conflicts (Team → Conflicts…)")
        self.status_button.clicked.connect(self.show_conflicts)
        window.statusBar().addPermanentWidget(self.status_button)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(150)
        self._status_timer.timeout.connect(self.refresh_status)
        bus.changed.connect(self._heard)
        window.conference_shown.connect(self._conference_shown)
        window.installEventFilter(self)  # closing waits for a running sync (below)
        self.refresh_status()

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802 - Qt API
        """The window is closing: let a running job end first (a sync is a few seconds, a
        store that does not answer at most the connect timeout), so the database it writes
        to is never closed under it."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.wait()
        return False

    # -- menu ------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        bar = self.window.menuBar()
        self.menu = bar.addMenu("Te&am")
        help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_action is not None:  # Help stays last
            bar.removeAction(self.menu.menuAction())
            bar.insertMenu(help_action, self.menu)
        self.menu.aboutToShow.connect(self.update_actions)

        def action(text: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:  # noqa: ANN001
            made = QAction(text, self.window)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
            if tip:
                made.setStatusTip(tip)
            made.triggered.connect(slot)
            self.menu.addAction(made)
            return made

        self.sync_action = action(
            "&Sync now", self.sync_now, SYNC_SHORTCUT, "Send your changes and fetch the team's"
        )
        self.conflicts_action = action(
            "&Conflicts…", self.show_conflicts, None, "Fields changed here and by a colleague"
        )
        self.menu.addSeparator()
        self.share_action = action(
            "S&hare this conference with the team…",
            self.share_current,
            SHARE_SHORTCUT,
            "Sync this conference with the team store from now on",
        )
        self.unshare_action = action(
            "Stop sharing this conference…",
            self.unshare_current,
            None,
            "Stop syncing it from this laptop; the copy here stays",
        )
        self.history_action = action(
            "Conference h&istory…",
            self.show_history,
            None,
            "Who changed what in this conference, from the team store's audit trail",
        )
        self.team_page_action = action(
            "&Team page…",
            self.show_team_page,
            None,
            "Every conference of the team, each coordinator's caseload, and the conferences "
            "past their retention date (managers)",
        )
        self.leaving_action = action(
            "Copies &no longer shared with you…",
            lambda: self.offer_removal(),
            None,
            "Remove this laptop's copies of conferences the team no longer shares with you",
        )
        self.menu.addSeparator()
        self.connect_action = action(
            "C&onnect to a team store…", self.connect_store, None, "Join your team's store"
        )  # enabled or not by update_actions, which the constructor's refresh_status calls

    @property
    def joined(self) -> bool:
        return team_store.stored_team_url(self.db) is not None

    def _conference_open(self) -> int | None:
        w = self.window
        if w.conference_id is not None and w.pages.currentWidget() is w.conference_page:
            return w.conference_id
        return None

    def _open_or_say(self, why: str) -> int | None:
        """The conference open now, else None once the status bar has said `why` one is needed."""
        cid = self._conference_open()
        if cid is None:
            self.window.status(why)
        return cid

    def _confirm(self, title: str, text: str, parent: QWidget | None = None) -> bool:
        """Yes or Cancel (the default), over the window unless another parent is given."""
        answer = QMessageBox.question(
            parent or self.window,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def update_actions(self) -> bool:
        """Enable what applies now; returns whether this laptop joined a team store (read
        once here, for refresh_status)."""
        self._joined = joined = self.joined
        cid = self._conference_open()
        # Asked only once joined (it decides nothing before): no sync engine at start.
        shared = joined and cid is not None and sync.is_shared(self.db, cid)
        self.conflicts_action.setEnabled(joined)  # Sync now offers to connect when not joined
        self.share_action.setEnabled(joined and cid is not None and not shared)
        self.unshare_action.setEnabled(joined and shared)
        self.history_action.setEnabled(joined and shared)
        self.team_page_action.setVisible(self.role == "manager")
        try:
            left = bool(leaving.no_longer_shared(self.db))
        except UserError:
            left = False
        self.leaving_action.setEnabled(left)
        self.connect_action.setText(
            "C&onnect to another team store…" if joined else "C&onnect to a team store…"
        )
        return joined

    def _conference_shown(self) -> None:
        """Another conference (or the list) is shown: its Team actions and the line, at once.
        A laptop that had not joined when last read is left as it is (every conference-bound
        action is off without a store; joining here refreshes, and the menu re-reads on
        opening): its start and each opening read nothing more."""
        if self._joined:
            self.refresh_status()

    # -- status line -----------------------------------------------------------------------

    def _heard(self, changes: Changes) -> None:
        self._status_timer.start()  # a local change moves "changes waiting"
        if self._from_sync:
            refresh_open(self.window, changes)

    def publish(self, changes: Changes) -> None:
        """Tell the window what a sync (or a resolved conflict) changed: open tabs re-read it."""
        self._from_sync = True
        try:
            self.bus.publish(changes)
        finally:
            self._from_sync = False

    def refresh_status(self) -> None:
        if not self.update_actions():
            self.status_button.hide()  # never set up: say nothing
            return
        try:
            text = status_text(sync.sync_status(self.db), self.failing)
        except UserError as exc:
            text = f"Team: {exc}"
        if self.job is not None and self.job.busy() and self._syncing:
            text = "Team: syncing…"
        self.status_button.setText(text)
        self.status_button.setAccessibleName(text)
        # Whole, even beside a long message (a permanent widget is otherwise squeezed).
        self.status_button.setMinimumWidth(self.status_button.sizeHint().width())
        self.status_button.show()

    # -- passwords -------------------------------------------------------------------------

    def _password_for(self, url: str) -> object:
        """The password to use: NO_PASSWORD when the URL, CSFACILITATOR_TEAM_PASSWORD or the
        keyring has it; the one typed this session; else asked (None when cancelled)."""
        parsed = team_store.parse_url(url)
        if parsed.password is not None or team_store.team_password(parsed):
            return NO_PASSWORD
        if self._password:
            return self._password
        typed, ok = QInputDialog.getText(
            self.window,
            "Team store password",
            f"Password for {team_store.url_login(parsed)} on the team store:",
            QLineEdit.EchoMode.Password,
        )
        if not ok or not typed:
            return None
        self._password = typed  # for this session only; never written anywhere
        return typed

    def _engine_work(self, work):  # noqa: ANN001, ANN202
        """A callable for a job: opens the team engine with the right password, runs
        `work(engine)` with the store's errors classified, disposes of the engine. None when
        the person cancelled the password question."""
        url = team_store.stored_team_url(self.db)
        if url is None:
            raise UserError("This laptop has not joined a team store (Team → Connect…).")
        password = self._password_for(url)
        if password is None:
            return None
        password = None if password is NO_PASSWORD else password

        def run():  # noqa: ANN202
            from sqlalchemy.pool import NullPool

            engine = team_store.make_team_engine(url, password, poolclass=NullPool)
            try:
                with team_store.classified(engine):
                    return work(engine, url, password)
            finally:
                engine.dispose()

        return run

    def _start(self, work, done, failed) -> bool:  # noqa: ANN001
        if self.job is not None and self.job.busy():
            self.window.status("The team store is busy with the last request; try again.")
            return False
        try:
            run = self._engine_work(work)
        except UserError as exc:
            self.window.status(str(exc))
            return False
        if run is None:
            return False
        from csfacilitator.gui.team import jobs  # a thread class: not made until a job runs

        self.job = jobs.start(self, run, done, failed)
        return True

    def _failed(self, message: str) -> None:
        """One line in the status bar; a refused password is forgotten."""
        error = getattr(self.job, "error", None)
        if isinstance(error, team_store.TeamStoreRefused):
            self._password = None
        self.window.status(f"Team store: {message}")

    # -- sync ------------------------------------------------------------------------------

    _syncing = False

    def sync_now(self) -> None:
        if not self.joined:
            self.connect_store()
            return
        # Fields typed into (autosaving) are saved so they go in this sync; not window.flush(),
        # which would add the board's half-typed entry lines as points: those stay as typed.
        for tab in self.window.conference_tabs:
            tab.autosave.flush()

        def work(engine, url, password):  # noqa: ANN001, ANN202
            try:
                status = team_store.check_team_store(url, password)  # a newer schema: refused
            except team_store.TeamStoreRefused as exc:
                ended = leaving.refused(self.db, exc)  # taken out of the team?
                if ended is not None:
                    raise ended from exc
                raise
            return status.role, sync.sync_now(self.db, engine)

        if self._start(work, self._synced, self._sync_failed):
            self._syncing = True
            self.refresh_status()

    def _synced(self, outcome) -> None:  # noqa: ANN001
        role, result = outcome
        self._syncing = False
        self.role = role
        self.failing = None
        if result.changed.visible:
            self.publish(result.changed)
        line = f"Synced: {result.summary()}."
        if result.new_conflicts:
            line += " Team → Conflicts… to settle them."
        words = [removed.sentence() for removed in result.removed_by_team]
        self.window.status(" ".join([*words, line]))
        self.refresh_status()
        self.update_actions()
        self._sharing_changed()
        if any(c.new for c in result.no_longer_shared):
            self.offer_removal([c for c in result.no_longer_shared if c.new])

    def _sync_failed(self, message: str) -> None:
        self._syncing = False
        self.failing = message
        error = getattr(self.job, "error", None)
        self._failed(message)
        self.refresh_status()
        if isinstance(error, leaving.AccessEnded) and error.conferences:
            self._sharing_changed()
            self.offer_removal(list(error.conferences), login_ended=True)

    def wait(self, ms: int = 60000) -> bool:
        """Tests and closing: wait for a running job."""
        return self.job is None or not self.job.isRunning() or self.job.wait(ms)

    # -- conflicts -------------------------------------------------------------------------

    def show_conflicts(self) -> None:
        from csfacilitator.gui.team.conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self.db, self.window)
        dialog.resolved.connect(self._resolved)
        self.conflicts_dialog = dialog
        dialog.exec()
        self.conflicts_dialog = None

    def _resolved(self, conference_id: object, entity: str) -> None:
        ids = frozenset({conference_id}) if isinstance(conference_id, int) else frozenset()
        self.publish(Changes(frozenset({entity, "sync_conflict"}), ids))
        self.refresh_status()

    # -- joining ---------------------------------------------------------------------------

    def connect_store(self) -> None:
        from csfacilitator.gui.team.connect_dialog import ConnectDialog

        dialog = ConnectDialog(team_store.stored_team_url(self.db) or "", self.window)
        if not dialog.exec():
            return
        url, password, remember = dialog.values()
        try:
            team_store.parse_url(url)
        except UserError as exc:
            self.window.status(str(exc))
            return

        def work() -> object:
            return team_store.connect_team_store(self.db, url, password or None)

        def done(status) -> None:  # noqa: ANN001
            self.role = status.role
            self.failing = None
            self._password = password or None
            kept = ""
            if password and remember:
                stored = team_store.url_for_storage(url)
                if team_store.save_keyring_password(stored, password):
                    kept = " The password is kept in the system keyring."
                else:
                    kept = " No system keyring here: you will be asked once per session."
            self.window.status(f"Joined the team store {status.url}.{kept}")
            self.refresh_status()
            self.update_actions()

        from csfacilitator.gui.team import jobs

        self.job = jobs.start(self, work, done, self._failed)
