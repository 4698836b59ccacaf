"""Opening and leaving a conference in the main window: the list, opening one (asking first when
typed text could not be saved), the header that follows it, reopening the last one at start
(one that cannot be read never blocks the start) and closing the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from csfacilitator import APP_NAME
from csfacilitator.errors import UserError
from csfacilitator.gui.window_tabs import TAB_LABELS

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QTabWidget

    from csfacilitator.gui.backup_timer import BackupTimer
    from csfacilitator.gui.base_tab import ConferenceTab
    from csfacilitator.gui.board.projector import ProjectorWindow
    from csfacilitator.gui.home.home_page import HomePage
    from csfacilitator.gui.widgets.elided_label import ElidedLabel
    from csfacilitator.gui.window_state import WindowState
    from csfacilitator.storage.database import Database

log = logging.getLogger(__name__)


class ConferenceOpening(QMainWindow):
    """Which conference the window shows (a part of MainWindow, which sets what is declared
    here)."""

    db: Database | None
    conference_id: int | None
    home_undo: QUndoStack
    undo_group: QUndoGroup
    tabs: QTabWidget
    pages: QStackedWidget
    conference_page: QWidget
    title_label: ElidedLabel
    meta_label: ElidedLabel
    window_state: WindowState
    backup_timer: BackupTimer | None
    projector: ProjectorWindow | None
    _built: list[ConferenceTab | None]
    _previous_tab: ConferenceTab | None
    conference_tab: Callable[[int], ConferenceTab]
    status: Callable[[str], None]
    flush: Callable[[], None]
    _update_actions: Callable[[], None]
    conference_shown: SignalInstance  # emitted once another conference, or the list, is shown
    if TYPE_CHECKING:

        @property
        def database(self) -> Database: ...

        @property
        def conference_tabs(self) -> tuple[ConferenceTab, ...]: ...

        @property
        def home(self) -> HomePage | None:
            """The home page, once the database is open (MainWindow builds it on first use)."""

    def show_home(self) -> None:
        home = self.home
        if home is None:
            return
        self.flush()
        home.reload(select_id=self.conference_id)
        self.pages.setCurrentWidget(home)
        self.undo_group.setActiveStack(self.home_undo)
        self.setWindowTitle(APP_NAME)
        self._update_actions()
        self.conference_shown.emit()
        home.focus_list()

    def _may_leave_unsaved(self, leaving: str) -> bool:
        """After a flush: True unless a field still holds text that could not be saved and
        the user chooses to stay (the default) rather than lose it."""
        if not any(tab.autosave.failing for tab in self.conference_tabs):
            return True
        answer = QMessageBox.warning(
            self,
            "Text not saved",
            "Some text you typed could not be saved (see the marked field and the status "
            f"bar). Stay to keep it and try again, or {leaving} without it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def open_conference(self, conference_id: int) -> None:
        self._show_conference(conference_id, remembered=False)

    def _show_conference(self, conference_id: int, *, remembered: bool) -> None:
        """Show the conference (`remembered`: it is already the one stored as last opened,
        as when it is reopened at start, so that is not written again)."""
        from csfacilitator.core import conferences

        self.flush()
        if conference_id != self.conference_id and not self._may_leave_unsaved("open another"):
            return
        try:
            details = conferences.get_conference(self.database, conference_id)
        except UserError as exc:
            self.status(str(exc))
            return
        self.conference_id = conference_id
        for tab in self.conference_tabs:
            tab.set_conference(conference_id)
        if not remembered:
            conferences.remember_last_opened(self.database, conference_id)
        self.pages.setCurrentWidget(self.conference_page)
        self._previous_tab = self.conference_tab(self.tabs.currentIndex())  # built if new
        self.undo_group.setActiveStack(self._previous_tab.undo_stack)
        self.refresh_header(details)
        self._update_actions()
        self.conference_shown.emit()

    def _heard_change(self, changes) -> None:  # noqa: ANN001 - core.changes.Changes
        """The header follows the conference's title, status and dates, whoever changed them
        (a tab, an undo, a sync); a conference deleted meanwhile is the team refresh's to close."""
        import contextlib

        from csfacilitator.errors import NotFound

        cid = self.conference_id
        if cid is None or not changes.touches("conference", "meetings") or not changes.about(cid):
            return
        with contextlib.suppress(NotFound):
            self.refresh_header()

    def refresh_header(self, details=None) -> None:
        from csfacilitator.core import conferences, vocab
        from csfacilitator.core.dates import format_date

        if self.conference_id is None:
            return
        if details is None or not hasattr(details, "title"):
            details = conferences.get_conference(self.database, self.conference_id)
        self.title_label.setText(details.title)
        parts = [
            vocab.label(vocab.CONTEXT_TYPES, details.context_type),
            details.area,
            vocab.label(vocab.STATUSES, details.status),
        ]
        if details.conference_date:
            parts.append(f"Conference {format_date(details.conference_date)}")
        self.meta_label.setText(" · ".join(p for p in parts if p))
        self.setWindowTitle(f"{details.title} – {APP_NAME}")

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.db is None:  # closed while still opening: nothing to save but the place
            self._save_window_state()
            event.accept()
            return
        from csfacilitator.core import conferences

        try:
            self.flush()
            conferences.remember_last_opened(
                self.db,
                self.conference_id if self.pages.currentWidget() is self.conference_page else None,
            )
        except UserError as exc:
            log.error("Could not save on close: %s", exc)
            answer = QMessageBox.warning(
                self,
                "Could not save",
                f"{exc}\n\nClose anyway? Text typed in the last second may be lost.",
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        if not self._may_leave_unsaved("close"):
            event.ignore()
            return
        self._save_window_state()
        if self.backup_timer is not None:  # made by attach(), with the database
            self.backup_timer.backup_on_close()
        if self.projector is not None:
            self.projector.close()
        event.accept()

    def _save_window_state(self) -> None:
        try:
            self.window_state.save(self)
            for index, tab in enumerate(self._built):
                if tab is not None:
                    self.window_state.save_splitters(TAB_LABELS[index], tab)
        except Exception:  # noqa: BLE001 - a window's place is never worth a failed close
            log.exception("Could not save the window's size and place")

    def restore_last(self) -> None:
        """Reopen the conference that was open when the app last closed.

        One conference that cannot be loaded never blocks the start: the window opens to the
        list instead and the status bar names the conference and says why (details in the log).
        """
        from csfacilitator.core import conferences

        conference_id = None
        try:
            conference_id = conferences.last_opened(self.database)
            if conference_id is not None:
                self._show_conference(conference_id, remembered=True)
        except Exception as exc:  # noqa: BLE001 - whatever it is, the app must still start
            log.exception("Could not reopen conference %s at start", conference_id)
            self._reopen_failed(conference_id, exc)

    def _reopen_failed(self, conference_id: int | None, exc: Exception) -> None:
        from csfacilitator.core import conferences

        title = None
        if conference_id is not None:
            try:
                title = conferences.get_conference(self.database, conference_id).title
            except Exception:  # noqa: BLE001 - the title is only for the message
                log.debug("No title for conference %s", conference_id, exc_info=True)
        self.conference_id = None
        for tab in self.conference_tabs:
            try:
                tab.set_conference(None)
            except Exception:  # noqa: BLE001 - a tab that cannot clear itself stays hidden
                log.exception("Could not clear a tab after a failed reopen")
        self.show_home()
        label = f"conference '{title[:60]}'" if title else "last open conference"
        why = str(exc) if isinstance(exc, UserError) else "part of its data cannot be read"
        # Kept on the status bar (no timeout) until the next message: it must not be missed.
        self.statusBar().showMessage(
            f"The {label} could not be opened: {why.rstrip('.')}. "
            "Details are in the log; the other conferences are listed here."
        )
