"""The main window: the start screen / conference list, and one conference's tabs."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csfacilitator import APP_NAME
from csfacilitator.core import documents
from csfacilitator.errors import UserError
from csfacilitator.gui.app_shortcuts import AppShortcuts
from csfacilitator.gui.undo import Change, UndoTarget, push
from csfacilitator.gui.widgets.elided_label import ElidedLabel
from csfacilitator.gui.window_state import WindowState
from csfacilitator.paths import DataPaths
from csfacilitator.resources import resource_path

if TYPE_CHECKING:
    from csfacilitator.core.removed_rows import RemovedRows
    from csfacilitator.gui.assessment.assessment_tab import AssessmentTab
    from csfacilitator.gui.backup_timer import BackupTimer
    from csfacilitator.gui.base_tab import ConferenceTab
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.board.projector import ProjectorWindow
    from csfacilitator.gui.dialogs.lock_screen import LockController
    from csfacilitator.gui.home.home_page import HomePage
    from csfacilitator.gui.invites.invite_tab import InviteTab
    from csfacilitator.gui.overview.overview_tab import OverviewTab
    from csfacilitator.gui.plan.plan_tab import PlanTab
    from csfacilitator.storage.database import Database

# Nothing above imports SQLAlchemy, Alembic or python-docx: the window paints first (the
# staged start in app.py), then the database is opened and attach() builds the home page.
# Each conference tab is built the first time it is shown (_TABS: module and class).

log = logging.getLogger(__name__)

TAB_LABELS = ("Overview", "Assessment", "Invite list", "Board", "Action plan")
_TABS = (
    ("csfacilitator.gui.overview.overview_tab", "OverviewTab"),
    ("csfacilitator.gui.assessment.assessment_tab", "AssessmentTab"),
    ("csfacilitator.gui.invites.invite_tab", "InviteTab"),
    ("csfacilitator.gui.board.board_tab", "BoardTab"),
    ("csfacilitator.gui.plan.plan_tab", "PlanTab"),
)
OVERVIEW, ASSESSMENT, INVITES, BOARD, PLAN = range(len(TAB_LABELS))
_Tab = TypeVar("_Tab", bound="ConferenceTab")
BUNDLE_FILTER = "CS Facilitator conference (*.csfconf);;All files (*)"


class ConferenceListTarget(UndoTarget, Protocol):
    """What the home page's undo steps need: the database, and the conference list to show
    again (choosing one) and to ask whether it shows archived conferences."""

    db: Database

    def show_list(self, select_id: int | None = None) -> None: ...

    def shows_archived(self) -> bool: ...


class _ConferenceList:
    """The home page's conference list and the window's status bar, as a ConferenceListTarget."""

    def __init__(self, db: Database, home: HomePage, status: Callable[[str], None]):
        self.db, self.home, self.report = db, home, status

    def resync(self) -> None:
        self.home.reload()

    def show_list(self, select_id: int | None = None) -> None:
        self.home.reload(select_id=select_id)

    def shows_archived(self) -> bool:
        return self.home.show_archived.isChecked()


class _DeleteConference(Change):
    """Deleting keeps the removed rows in memory for this session, so Ctrl+Z brings the
    conference back with the same ids (its export-log entries included)."""

    target: ConferenceListTarget

    def __init__(self, target: ConferenceListTarget, conference_id: int, title: str):
        super().__init__(target, f"Delete '{title}'")
        self.conference_id, self.title = conference_id, title
        self.removed: RemovedRows | None = None  # what _do took out, kept for _undo

    def _do(self) -> None:
        from csfacilitator.core import conferences
        from csfacilitator.storage.reclaim import reclaim_space

        self.removed = conferences.delete_conference(self.target.db, self.conference_id)
        reclaim_space(self.target.db)  # no trace in the file or WAL; undo uses memory only
        self.target.show_list()
        self.target.report(f"Deleted '{self.title}'. Press Ctrl+Z to undo.")

    def _undo(self) -> None:
        from csfacilitator.core import conferences

        if self.removed is None:  # undone before it was done: Qt never does this
            raise UserError(f"'{self.title}' was not deleted, so there is nothing to restore.")
        conferences.restore_conference(self.target.db, self.removed)
        self.target.show_list(select_id=self.conference_id)
        self.target.report(f"Restored '{self.title}'.")


class _SetArchived(Change):
    target: ConferenceListTarget

    def __init__(self, target: ConferenceListTarget, conference_id: int, archived: bool):
        super().__init__(target, "Archive" if archived else "Unarchive")
        self.conference_id, self.archived = conference_id, archived

    def _apply(self, archived: bool) -> None:
        from csfacilitator.core import conferences

        details = conferences.set_archived(self.target.db, self.conference_id, archived)
        if archived and not self.target.shows_archived():
            self.target.show_list()
        else:
            self.target.show_list(select_id=self.conference_id)
        verb = "Archived" if archived else "Unarchived"
        self.target.report(f"{verb} '{details.title}'. Press Ctrl+Z to undo.")

    def _do(self) -> None:
        self._apply(self.archived)

    def _undo(self) -> None:
        self._apply(not self.archived)


def _as(kind: type[_Tab], tab: ConferenceTab) -> _Tab:
    """The tab, checked to be of the kind its index builds (_TABS)."""
    if not isinstance(tab, kind):
        raise TypeError(f"expected a {kind.__name__}, found a {type(tab).__name__}")
    return tab


class MainWindow(QMainWindow):
    """The window. Built in two steps so it can paint before the database is open: the
    constructor makes the frame (menus, status bar, an empty conference page), attach(db) the
    home page and everything that needs the database."""

    def __init__(self, paths: DataPaths, db: Database | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.db: Database | None = None
        self.paths = paths
        self.conference_id: int | None = None
        self.home: HomePage | None = None
        self.locker: LockController | None = None
        self.backup_timer: BackupTimer | None = None
        self.projector: ProjectorWindow | None = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(QIcon(str(resource_path("icons", "csfacilitator.svg"))))
        self.window_state = WindowState(paths.root)
        self.open_maximised = self.window_state.restore(self)
        self._fitted = False
        self._tab_focus: dict[int, QWidget] = {}  # where the keyboard was last in each tab
        app = QApplication.instance()
        if isinstance(app, QApplication):  # always, while there is a window
            # A screen unplugged while open (the projector, a docking station): once Qt has
            # moved the window to a screen that is left, make it fit there.
            app.screenRemoved.connect(self._screen_removed)
            app.focusChanged.connect(self._remember_tab_focus)

        self.undo_group = QUndoGroup(self)
        self.home_undo = QUndoStack(self)
        self.undo_group.addStack(self.home_undo)

        self.opening_page = QLabel("Opening your conferences…", self)
        self.opening_page.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.conference_page = QWidget(self)
        self.back_button = QPushButton("All conferences", self.conference_page)
        self.back_button.setAccessibleName("All conferences")
        self.back_button.setToolTip("Back to the list of conferences (Ctrl+Shift+O)")
        self.back_button.clicked.connect(self.show_home)
        # Long titles and details shorten with '…' rather than hold the window wider than a
        # 1366-pixel laptop (the full text is in the tooltip and the accessible name).
        self.title_label = ElidedLabel(self.conference_page, minimum=240)
        self.title_label.setObjectName("conferenceTitle")
        self.meta_label = ElidedLabel(self.conference_page)
        self.meta_label.setObjectName("conferenceMeta")
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 0)
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title_label)
        header.addSpacing(12)
        header.addWidget(self.meta_label, 1)

        self.tabs = QTabWidget(self.conference_page)
        self.tabs.setAccessibleName("Conference")
        self.tabs.setDocumentMode(True)
        self._built: list[ConferenceTab | None] = [None] * len(TAB_LABELS)
        for label in TAB_LABELS:  # placeholders until each tab is first shown
            placeholder = QWidget(self.tabs)
            placeholder.setAccessibleName(label)
            self.tabs.addTab(placeholder, label)
        self._previous_tab: ConferenceTab | None = None
        self.tabs.currentChanged.connect(self._tab_changed)
        page_layout = QVBoxLayout(self.conference_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(header)
        page_layout.addWidget(self.tabs, 1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.opening_page)
        self.pages.addWidget(self.conference_page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.statusBar().showMessage("Opening…")
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """The database is open: build the home page, the lock, the backup timer."""
        from csfacilitator.gui.backup_timer import BackupTimer
        from csfacilitator.gui.dialogs.lock_screen import LockController
        from csfacilitator.gui.home.home_page import HomePage

        self.db = db
        self.home = home = HomePage(db, self)
        home.open_requested.connect(self.open_conference)
        home.new_requested.connect(self.new_conference)
        home.example_requested.connect(self.open_example)
        home.import_requested.connect(self.import_bundle)
        self.conference_list = _ConferenceList(db, home, self.status)
        home.archive_requested.connect(
            lambda cid, archived: self._push_home(_SetArchived(self.conference_list, cid, archived))
        )
        home.delete_requested.connect(self.delete_conference)
        self.pages.insertWidget(0, home)
        self.locker = LockController(  # Ctrl+L and the idle lock
            self, db, projector=lambda: self.projector, before_lock=self.flush
        )
        # Every few minutes while changed, and on close.
        self.backup_timer = backup_timer = BackupTimer(db, self)
        backup_timer.failed.connect(self.status)
        # Team store (gui/team): one change bus for the window, the Team menu, the sync line.
        from csfacilitator.gui.change_bus import ChangeBus
        from csfacilitator.gui.team import TeamController

        self.change_bus = ChangeBus(db, self)
        self.change_bus.changed.connect(self._heard_change)
        self.team = TeamController(self, db, self.change_bus)
        self.statusBar().showMessage("Ready. Everything is saved as you type.", 4000)
        from csfacilitator.gui.reminders import Reminders  # issue 20: due today or late

        self.reminders = Reminders(self, db)
        # The list is read when it is first shown (show_home): reopening the last conference
        # at start does not wait for 1,000 conferences and the dashboard to be read first.
        self.pages.setCurrentWidget(home)
        self.undo_group.setActiveStack(self.home_undo)
        self._update_actions()
        self.pages.removeWidget(self.opening_page)
        self.opening_page.deleteLater()

    def show_restored(self) -> None:
        """Show as last left on this screen set-up (maximised or not)."""
        if self.open_maximised:
            self.showMaximized()
        else:
            self.show()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.window_state.fit_after_show(self)

    def _screen_removed(self, _screen) -> None:  # noqa: ANN001
        QTimer.singleShot(0, self._fit_to_screen)

    def _fit_to_screen(self) -> None:
        self.window_state.fit_after_show(self)

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self._fitted:
            self.window_state.fit_after_show(self)

    # -- the conference tabs, each built when first needed ------------------------------------

    @property
    def conference_tabs(self) -> tuple[ConferenceTab, ...]:
        """The tabs built so far (one not built yet holds nothing to save or clear)."""
        return tuple(tab for tab in self._built if tab is not None)

    def conference_tab(self, index: int) -> ConferenceTab:
        tab = self._built[index]
        return tab if tab is not None else self._build_tab(index)

    # Each tab under its own type: its module is imported by the time the tab is built.
    @property
    def overview(self) -> OverviewTab:
        from csfacilitator.gui.overview.overview_tab import OverviewTab

        return _as(OverviewTab, self.conference_tab(OVERVIEW))

    @property
    def assessment(self) -> AssessmentTab:
        from csfacilitator.gui.assessment.assessment_tab import AssessmentTab

        return _as(AssessmentTab, self.conference_tab(ASSESSMENT))

    @property
    def invites(self) -> InviteTab:
        from csfacilitator.gui.invites.invite_tab import InviteTab

        return _as(InviteTab, self.conference_tab(INVITES))

    @property
    def board(self) -> BoardTab:
        from csfacilitator.gui.board.board_tab import BoardTab

        return _as(BoardTab, self.conference_tab(BOARD))

    @property
    def plan(self) -> PlanTab:
        from csfacilitator.gui.plan.plan_tab import PlanTab

        return _as(PlanTab, self.conference_tab(PLAN))

    @property
    def database(self) -> Database:
        """The open database: every command runs after attach() (their actions are disabled
        until then)."""
        if self.db is None:
            raise RuntimeError("the database is not open yet")
        return self.db

    def _build_tab(self, index: int) -> ConferenceTab:
        module, name = _TABS[index]
        label = TAB_LABELS[index]
        tab = getattr(importlib.import_module(module), name)(self.db, self)
        tab.setAccessibleName(label)
        tab.status_message.connect(self.status)
        if hasattr(tab, "open_conference_requested"):  # the Overview's related conferences
            tab.open_conference_requested.connect(self.open_conference)
        self.undo_group.addStack(tab.undo_stack)
        if index == BOARD:
            tab.present_requested.connect(self.present)
            tab.plan_item_requested.connect(self._show_in_plan)
        self._built[index] = tab
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, label)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        if placeholder is not None:
            placeholder.deleteLater()
        self.window_state.restore_splitters(label, tab)
        if self.conference_id is not None:
            tab.set_conference(self.conference_id)
        return tab

    # -- menus -----------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, menu=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self._made_actions.append(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._made_actions: list[QAction] = []
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(
            "&New conference", self.new_conference, QKeySequence.StandardKey.New, file_menu
        )
        self._action("Open &example conference", self.open_example, None, file_menu)
        self._action("&All conferences", self.show_home, "Ctrl+Shift+O", file_menu)
        file_menu.addSeparator()
        self._action("&Import conference file…", self.import_bundle, "Ctrl+I", file_menu)
        self.restore_action = self._action(
            "&Restore from backup…",
            self.restore_from_backup,
            None,
            file_menu,
            tip="Go back to an earlier copy of all your data",
        )
        self.export_bundle_action = self._action(
            "E&xport conference file…",
            self.export_bundle,
            "Ctrl+Shift+E",
            file_menu,
            tip="Save this conference as one file to hand to a colleague",
        )
        self.export_calendar_action = self._action(  # issue 20 (gui/reminders.py)
            "Expor&t calendar (.ics)…",
            lambda: self._export_calendar(),
            None,
            file_menu,
            tip="Meetings, review dates, paper deadlines and action due dates, for Outlook",
        )
        # Documents for one conference, from the one registry (core/documents.py): menu text,
        # shortcut (working wherever the focus is) and checks come from there.
        self.export_menu = file_menu.addMenu("Export &document")
        self.export_menu.aboutToShow.connect(self._update_actions)
        self.document_actions: dict[str, QAction] = {}
        group = None
        for kind in documents.KINDS:
            if group is not None and kind.group != group:
                self.export_menu.addSeparator()
            group = kind.group
            self.document_actions[kind.key] = self._action(
                kind.menu_text,
                lambda _c=False, k=kind.key: self.export_document(k),
                kind.shortcut,
                self.export_menu,
                tip=kind.tip,
            )
        self.conference_actions: list[QAction] = [
            self.export_bundle_action,
            self.export_calendar_action,
            *self.document_actions.values(),
        ]
        self.shortcut_keeper = AppShortcuts(self, self.document_actions.values())
        self.export_log_action = self._action(  # works with no conference open too
            "Information sharin&g record…",  # issue 20: the export log became this record
            self.show_export_log,
            None,
            file_menu,
            tip="What was shared, with whom, when, why and on what basis",
        )
        self.subject_access_action = self._action(  # issue 20: works with no conference open
            "S&ubject access search…",
            self.show_subject_access,
            None,
            file_menu,
            tip="Find every stored mention of a name or phrase, for a subject access request",
        )
        file_menu.addSeparator()
        self.lock_action = self._action(
            "&Lock", self.lock, "Ctrl+L", file_menu, tip="Hide everything until you unlock"
        )
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, file_menu)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self.preferences_action = self._action(
            "&Preferences…", self.preferences, "Ctrl+,", edit_menu
        )

        view_menu = bar.addMenu("&View")
        self.present_action = self._action("&Present on projector", self.present, "F5", view_menu)
        self.blank_action = self._action(
            "&Blank projector",
            self._toggle_blank,
            "Ctrl+Shift+B",
            view_menu,
            tip="Black out the projector for a moment (B in the projector window)",
        )
        self.close_projector_action = self._action(
            "&Close projector", self._close_projector, "Shift+F5", view_menu
        )
        view_menu.addSeparator()
        for index, label in enumerate(TAB_LABELS):
            self._action(
                label, lambda _c=False, i=index: self._go_to_tab(i), f"Alt+{index + 1}", view_menu
            )

        help_menu = bar.addMenu("&Help")
        self.guide_action = self._action("&Quick guide", self.quick_guide, "F1", help_menu)
        self.about_action = self._action(f"&About {APP_NAME}", self.about, None, help_menu)
        # Until the database is open (a moment at start) only these two work.
        self.database_actions = [
            a for a in self._made_actions if a not in (quit_action, self.guide_action)
        ]
        self._update_actions()

    def _update_actions(self) -> None:
        for action in self.database_actions:
            action.setEnabled(self.db is not None)
        if self.db is None:
            return
        shown = self.pages.currentWidget() is self.conference_page
        cid = self.conference_id if shown else None
        for action in [*self.conference_actions, self.present_action]:
            action.setEnabled(cid is not None)
        if cid is not None:
            from csfacilitator.core.export_checks import available

            for key, action in self.document_actions.items():
                if not available(self.db, documents.kind(key), cid):
                    action.setEnabled(False)  # e.g. the review record before any review
        showing = self.projector is not None and self.projector.isVisible()
        for action in (self.blank_action, self.close_projector_action):
            action.setEnabled(showing)

    # -- navigation ------------------------------------------------------------------------

    def status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def flush(self) -> None:
        """Commit every text field still being typed in (before navigating or closing)."""
        for tab in self.conference_tabs:
            tab.flush()

    def show_home(self) -> None:
        if self.home is None:
            return
        self.flush()
        self.home.reload(select_id=self.conference_id)
        self.pages.setCurrentWidget(self.home)
        self.undo_group.setActiveStack(self.home_undo)
        self.setWindowTitle(APP_NAME)
        self._update_actions()
        self.home.focus_list()

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
        conferences.remember_last_opened(self.database, conference_id)
        self.pages.setCurrentWidget(self.conference_page)
        self._previous_tab = self.conference_tab(self.tabs.currentIndex())  # built if new
        self.undo_group.setActiveStack(self._previous_tab.undo_stack)
        self.refresh_header(details)
        self._update_actions()

    def _go_to_tab(self, index: int) -> None:
        if self.conference_id is not None:
            if self.pages.currentWidget() is not self.conference_page:
                self.open_conference(self.conference_id)
            # Read before the switch: hiding the old tab moves Qt's focus into the new one,
            # and that move is not where the person was.
            last = self._tab_focus.get(index)
            self.tabs.setCurrentIndex(index)
            self._focus_in_tab(index, last)

    def _focus_in_tab(self, index: int, last: QWidget | None) -> None:
        """Going to a tab by keyboard puts the keyboard in it: where it was last in that tab,
        else the tab's own starting place (the board's first entry line, the plan grid), else
        its first control — never left on a control the switch has hidden."""
        import shiboken6

        tab = self.tabs.widget(index)
        if tab is None:
            return
        if (
            last is not None
            and shiboken6.isValid(last)
            and tab.isAncestorOf(last)
            and last.isVisible()
            and last.isEnabled()
        ):
            last.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        chosen = getattr(tab, "default_focus_widget", lambda: None)()
        if chosen is None:
            widget = tab.nextInFocusChain()
            while widget is not None and widget is not tab:
                if (
                    tab.isAncestorOf(widget)
                    and widget.isVisible()
                    and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                ):
                    chosen = widget
                    break
                widget = widget.nextInFocusChain()
        if chosen is not None:
            chosen.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _remember_tab_focus(self, _old, new) -> None:  # noqa: ANN001 - QWidget or None
        index = self.tabs.currentIndex()
        page = self.tabs.widget(index) if index >= 0 else None
        if new is not None and page is not None and page.isAncestorOf(new):
            self._tab_focus[index] = new

    def _tab_changed(self, index: int) -> None:
        if index < 0 or self.db is None:
            return
        if self._previous_tab is not None:
            self._previous_tab.flush()
        fresh = self._built[index] is None  # building it loads the conference
        try:
            tab = self.conference_tab(index)
            if self.conference_id is not None and not fresh:
                tab.reload()
        except Exception as exc:  # a part of one conference that cannot be read: say which
            if self.conference_id is None:
                raise
            log.exception(
                "Could not show %s of conference %s", TAB_LABELS[index], self.conference_id
            )
            self._previous_tab = None
            self._reopen_failed(self.conference_id, exc)
            return
        self._previous_tab = tab
        self.undo_group.setActiveStack(tab.undo_stack)

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

    # -- commands --------------------------------------------------------------------------

    def new_conference(self) -> None:
        from csfacilitator.core import conferences

        self.flush()
        conference_id = conferences.create_conference(self.database, "New conference")
        self.open_conference(conference_id)
        self.tabs.setCurrentWidget(self.overview)
        self.overview.focus_title()
        self.status("New conference created. Give it a title; everything saves as you type.")

    def open_example(self) -> None:
        from csfacilitator.core.example import add_example

        self.flush()
        conference_id = add_example(self.database, joined_up=True)
        self.open_conference(conference_id)
        self.status("Added the example conference. It is fictional: explore and change it freely.")

    def delete_conference(self, conference_id: int) -> None:
        from csfacilitator.core import conferences

        details = conferences.get_conference(self.database, conference_id)
        answer = QMessageBox.question(
            self,
            "Delete conference",
            f"Delete '{details.title}' and everything recorded for it?\n\n"
            "You can undo this with Ctrl+Z until you close CS Facilitator.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.conference_id == conference_id:
            self.conference_id = None
            for tab in self.conference_tabs:
                tab.set_conference(None)
        self._push_home(_DeleteConference(self.conference_list, conference_id, details.title))

    def _push_home(self, change: Change) -> None:
        """Make a change to the conference list and put it on the home page's undo stack."""
        try:
            push(self.home_undo, change)
        except UserError as exc:
            self.status(str(exc))

    def import_bundle(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from csfacilitator.core import bundle, conferences

        path, _ = QFileDialog.getOpenFileName(self, "Import conference file", "", BUNDLE_FILTER)
        if not path:
            return
        db = self.database
        try:
            data = bundle.read_bundle(path)
            mode = "refuse"
            existing = bundle.find_existing(db, data)
            if existing is not None:
                chosen = self._ask_conflict(conferences.get_conference(db, existing).title)
                if chosen is None:
                    return
                mode = chosen
            conference_id = bundle.import_conference(db, data, on_conflict=mode)
        except UserError as exc:
            QMessageBox.warning(self, "Import conference file", str(exc))
            return
        self.open_conference(conference_id)
        self.status("Imported the conference file.")

    def _ask_conflict(self, title: str) -> str | None:
        box = QMessageBox(self)
        box.setWindowTitle("Conference already here")
        box.setText(f"'{title}' is already on this computer.")
        box.setInformativeText(
            "Import the file as a separate copy, or replace what is here with it?"
        )
        copy = box.addButton("Import as a copy", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is copy:
            return "copy"
        if box.clickedButton() is replace:
            return "replace"
        return None

    def export_bundle(self) -> None:
        from csfacilitator.core import bundle, conferences
        from csfacilitator.core.textclean import safe_file_stem

        cid, db = self.conference_id, self.database
        if cid is None:
            return
        self.flush()
        title = conferences.get_conference(db, cid).title
        from csfacilitator.gui.documents.export_dialogs import export_interactively

        written = export_interactively(
            self,
            db,
            cid,
            "bundle",
            Path.home() / f"{safe_file_stem(title)}{bundle.FILE_SUFFIX}",
            lambda path: bundle.write_bundle(db, cid, path),
            title="Export conference file",
            file_filter=BUNDLE_FILTER,
        )
        if written is not None:
            self.status(f"Saved {written}")

    def _export_calendar(self) -> None:  # issue 20
        from csfacilitator.gui.reminders import export_calendar

        if self.conference_id is not None:
            self.flush()
            if (written := export_calendar(self, self.database, self.conference_id)) is not None:
                self.status(f"Saved {written}")

    def export_document(self, key: str) -> None:
        """Export one kind of document about the meeting in focus (the board's)."""
        if self.conference_id is None:
            return
        self.flush()
        from csfacilitator.gui.documents.document_export import export_document

        # The meeting in focus is the board's (its choice is remembered as the focus).
        written = export_document(
            self, self.database, self.conference_id, key, None, on_review=self._review_flags
        )
        if written is not None:
            self.status(f"Saved the {documents.label(key).lower()} to {written}")

    def _show_in_plan(self, intervention_id: int) -> None:
        self.tabs.setCurrentWidget(self.plan)
        self.plan.select_intervention(intervention_id)

    def _review_flags(self) -> None:
        self.tabs.setCurrentWidget(self.board)
        self.board.guard_panel.setFocus()

    def present(self) -> None:
        if self.conference_id is None:
            return
        from csfacilitator.gui.board.projector import ProjectorWindow

        projector = self.projector
        if projector is None:
            from csfacilitator.gui.board.projector_feed import ProjectorFeed

            # With one screen the projector is a preview docked beside the board (host=self);
            # the feed hands it each new or changed point, not the whole board.
            self.projector = projector = ProjectorWindow(host=self)
            projector.closed.connect(self._update_actions)
            projector.status_message.connect(self.status)
            ProjectorFeed(self.board, projector)
        projector.open_on_best_screen(self.screen())
        self._update_actions()

    def _toggle_blank(self) -> None:
        if self.projector is not None and self.projector.isVisible():
            self.projector.toggle_blank()
            self.status("Projector blanked." if self.projector.is_blank else "Projector showing.")

    def _close_projector(self) -> None:
        if self.projector is not None:
            self.projector.close()

    def restore_from_backup(self) -> None:
        from csfacilitator.gui.dialogs.restore_dialog import restore_interactively

        restore_interactively(self)

    def show_export_log(self) -> None:
        from csfacilitator.gui.dialogs.export_log_dialog import show_export_log

        is_open = self.pages.currentWidget() is self.conference_page
        show_export_log(self, self.database, self.conference_id if is_open else None)

    def show_subject_access(self) -> None:  # issue 20
        from csfacilitator.gui.dialogs.subject_access_dialog import show_subject_access

        show_subject_access(self, self.database)

    def lock(self) -> None:
        if self.locker is not None:  # made by attach(), as the database is open
            self.locker.lock()

    def preferences(self) -> None:
        from csfacilitator.gui.dialogs.preferences_dialog import show_preferences

        if show_preferences(self, self.database, before_encrypt=self.flush) and self.locker:
            self.locker.reload_preferences()

    def about(self) -> None:
        from csfacilitator.gui.dialogs.help_dialogs import show_about

        show_about(self, self.paths, self.db)

    def quick_guide(self) -> None:
        from csfacilitator.gui.dialogs.help_dialogs import show_quick_guide

        show_quick_guide(self)

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
                self.open_conference(conference_id)
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
