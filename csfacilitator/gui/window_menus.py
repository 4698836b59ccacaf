"""The main window's menus and actions: File (conferences, hand-over files, documents from the
registry in core/documents.py), Edit, View (the projector, the tabs) and Help, and which of
them work at the moment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from csfacilitator import APP_NAME
from csfacilitator.core import documents
from csfacilitator.gui.app_shortcuts import AppShortcuts
from csfacilitator.gui.window_tabs import TAB_LABELS

if TYPE_CHECKING:
    from csfacilitator.gui.board.projector import ProjectorWindow
    from csfacilitator.storage.database import Database


class WindowMenus(QMainWindow):
    """The main window's menu bar (a part of MainWindow, which sets what is declared here)."""

    db: Database | None
    conference_id: int | None
    pages: QStackedWidget
    conference_page: QWidget
    undo_group: QUndoGroup
    projector: ProjectorWindow | None
    new_conference: Callable[[], None]
    open_example: Callable[[], None]
    show_home: Callable[[], None]
    import_bundle: Callable[[], None]
    restore_from_backup: Callable[[], None]
    export_bundle: Callable[[], None]
    _export_calendar: Callable[[], None]
    export_document: Callable[[str], None]
    show_export_log: Callable[[], None]
    show_subject_access: Callable[[], None]
    lock: Callable[[], None]
    preferences: Callable[[], None]
    present: Callable[[], None]
    _toggle_blank: Callable[[], None]
    _close_projector: Callable[[], None]
    _go_to_tab: Callable[[int], None]
    quick_guide: Callable[[], None]
    about: Callable[[], None]

    # -- menus -----------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, menu=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # As setShortcut(), which would make PySide6 build the Qt namespace's enums (its
            # overloads take Qt.Key) before the window's first paint.
            action.setShortcuts([QKeySequence(shortcut)])
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
