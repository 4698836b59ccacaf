"""The main window: the start screen / conference list, and one conference's tabs.

Its parts live beside it, each a base class of MainWindow: the tabs and the keyboard's place in
them (window_tabs), the menus (window_menus), opening, reopening and closing a conference
(conference_opening) and files in and out (conference_files); the home page's undo steps are
in home/list_commands."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QIcon, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QStackedWidget, QWidget

from csfacilitator import APP_NAME
from csfacilitator.gui.conference_files import ConferenceFiles
from csfacilitator.gui.conference_opening import ConferenceOpening
from csfacilitator.gui.home.list_commands import ConferenceList, DeleteConference, SetArchived
from csfacilitator.gui.undo import Change, push_or_say
from csfacilitator.gui.window_menus import WindowMenus
from csfacilitator.gui.window_state import WindowState
from csfacilitator.gui.window_tabs import BOARD as BOARD  # tests and callers name tabs by index
from csfacilitator.gui.window_tabs import INVITES as INVITES
from csfacilitator.gui.window_tabs import TAB_LABELS, ConferenceTabs
from csfacilitator.paths import DataPaths
from csfacilitator.resources import resource_path

if TYPE_CHECKING:
    from csfacilitator.gui.backup_timer import BackupTimer
    from csfacilitator.gui.base_tab import ConferenceTab
    from csfacilitator.gui.board.projector import ProjectorWindow
    from csfacilitator.gui.dialogs.lock_screen import LockController
    from csfacilitator.gui.home.home_page import HomePage
    from csfacilitator.storage.database import Database

# Nothing above imports SQLAlchemy, Alembic or python-docx: the window paints first (the
# staged start in app.py), then the database is opened and attach() builds the rest.
# Each conference tab is built the first time it is shown (window_tabs._TABS).

log = logging.getLogger(__name__)


class MainWindow(ConferenceTabs, ConferenceOpening, WindowMenus, ConferenceFiles):
    """The window. Built in two steps so it can paint before the database is open: the
    constructor makes the frame (menus, status bar, an "Opening…" page), attach(db) the
    conference page and everything that needs the database; the home page is built when first
    used (the `home` property)."""

    # The window now shows another conference, or the list (conference_opening emits it): what
    # follows the conference shown, the Team menu and line, re-reads it then. Declared here, on
    # the class made: declared on ConferenceOpening (not the first base) it was missing from
    # MainWindow's meta-object, and connecting to it did nothing.
    conference_shown = Signal()

    def __init__(self, paths: DataPaths, db: Database | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.db: Database | None = None
        self.paths = paths
        self.conference_id: int | None = None
        self._home: HomePage | None = None  # built when first used: the `home` property
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

        self.undo_group = QUndoGroup(self)
        self.home_undo = QUndoStack(self)
        self.undo_group.addStack(self.home_undo)

        self.opening_page = QLabel("Opening your conferences…", self)
        # Qt.AlignmentFlag.AlignCenter, set by name: nothing on the way to the first paint
        # names PySide6's Qt namespace, whose ~90 enum classes cost 10-17 ms to build.
        self.opening_page.setProperty("alignment", "AlignCenter")

        # The conference page (its header and tabs) is made by attach(), after the first paint.
        self._built: list[ConferenceTab | None] = [None] * len(TAB_LABELS)
        self._previous_tab: ConferenceTab | None = None

        self.pages = QStackedWidget(self)
        # The main window's layout moves its central widget with a geometry animation, of
        # 0 ms when nothing is animated (no dock widgets here): its first start makes Qt's
        # animation timer, an object of a class unknown to PySide6, and handing that to any
        # Python event filter made PySide6 build some 150 classes (about 30 ms, a quarter
        # of the start to first paint). Without the animation the widget is placed at once.
        self.pages.setObjectName("pages")
        self.pages.setStyleSheet("#pages { widget-animation-duration: 0 }")
        self.pages.addWidget(self.opening_page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.statusBar().showMessage("Opening…")
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """The database is open: build the conference page, the lock, the backup timer. The
        home page is built when first used (the `home` property): a conference reopened at
        start is shown without it."""
        from csfacilitator.gui.backup_timer import BackupTimer
        from csfacilitator.gui.dialogs.lock_screen import LockController

        self._build_conference_page()
        self.db = db
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
        # The caller shows a conference (open_conference, restore_last) or the list
        # (show_home, which builds the home page and reads the list then): reopening the last
        # conference at start does not wait for the home page, 1,000 conferences and the
        # dashboard to be built and read first.
        self.undo_group.setActiveStack(self.home_undo)
        self._update_actions()
        self.pages.removeWidget(self.opening_page)
        self.opening_page.deleteLater()

    @property
    def home(self) -> HomePage | None:
        """The home page (the conference list), built the first time it is asked for once the
        database is open; None before then."""
        if self._home is None and self.db is not None:
            self._home = self._build_home(self.db)
        return self._home

    @property
    def home_built(self) -> HomePage | None:
        """The home page if it has been built (asking does not build it): a page not yet built
        has nothing to re-read, as it reads the list when first shown."""
        return self._home

    @property
    def conference_list(self) -> ConferenceList:
        """The home page's list as its undo steps' target (the home page is built if need be)."""
        if self.home is None:
            raise RuntimeError("the database is not open yet")
        return self._conference_list

    def _build_home(self, db: Database) -> HomePage:
        from csfacilitator.gui.home.home_page import HomePage

        home = HomePage(db, self.pages)  # built where it is shown: see _build_tab
        home.open_requested.connect(self.open_conference)
        home.new_requested.connect(self.new_conference)
        home.example_requested.connect(self.open_example)
        home.import_requested.connect(self.import_bundle)
        self._conference_list = conference_list = ConferenceList(db, home, self.status)
        home.archive_requested.connect(
            lambda cid, archived: self._push_home(SetArchived(conference_list, cid, archived))
        )
        home.delete_requested.connect(self.delete_conference)
        self.pages.insertWidget(0, home)
        return home

    def _build_conference_page(self) -> None:
        """One conference's page: its header and its tabs, each a placeholder until first shown
        (window_tabs). Made by attach(): nothing of it shows in the window's first paint."""
        from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout

        from csfacilitator.gui.widgets.elided_label import ElidedLabel

        self.conference_page = QWidget(self.pages)
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
        for label in TAB_LABELS:  # placeholders until each tab is first shown
            placeholder = QWidget(self.tabs)
            placeholder.setAccessibleName(label)
            self.tabs.addTab(placeholder, label)
        self.tabs.currentChanged.connect(self._tab_changed)
        page_layout = QVBoxLayout(self.conference_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(header)
        page_layout.addWidget(self.tabs, 1)

        self.pages.addWidget(self.conference_page)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # always, while there is a window
            app.focusChanged.connect(self._remember_tab_focus)

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

    @property
    def database(self) -> Database:
        """The open database: every command runs after attach() (their actions are disabled
        until then)."""
        if self.db is None:
            raise RuntimeError("the database is not open yet")
        return self.db

    # -- navigation ------------------------------------------------------------------------

    def status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def flush(self) -> None:
        """Commit every text field still being typed in (before navigating or closing)."""
        for tab in self.conference_tabs:
            tab.flush()

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
        self._push_home(DeleteConference(self.conference_list, conference_id, details.title))

    def _push_home(self, change: Change) -> None:
        """Make a change to the conference list and put it on the home page's undo stack."""
        push_or_say(self.home_undo, change, self.status)

    def _show_in_plan(self, intervention_id: int) -> None:
        self.tabs.setCurrentWidget(self.plan)
        self.plan.select_intervention(intervention_id)

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
