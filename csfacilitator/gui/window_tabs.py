"""The conference's tabs in the main window: each built the first time it is shown, switching
between them (flushing the one left), and the keyboard put back where it was in each."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTabWidget

    from csfacilitator.gui.assessment.assessment_tab import AssessmentTab
    from csfacilitator.gui.base_tab import ConferenceTab
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.invites.invite_tab import InviteTab
    from csfacilitator.gui.overview.overview_tab import OverviewTab
    from csfacilitator.gui.plan.plan_tab import PlanTab
    from csfacilitator.gui.window_state import WindowState
    from csfacilitator.storage.database import Database

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


def _as(kind: type[_Tab], tab: ConferenceTab) -> _Tab:
    """The tab, checked to be of the kind its index builds (_TABS)."""
    if not isinstance(tab, kind):
        raise TypeError(f"expected a {kind.__name__}, found a {type(tab).__name__}")
    return tab


class ConferenceTabs(QMainWindow):
    """The main window's tabs (a part of MainWindow, which sets what is declared here)."""

    db: Database | None
    conference_id: int | None
    tabs: QTabWidget
    pages: QStackedWidget
    conference_page: QWidget
    undo_group: QUndoGroup
    window_state: WindowState
    _built: list[ConferenceTab | None]
    _previous_tab: ConferenceTab | None
    _tab_focus: dict[int, QWidget]
    status: Callable[[str], None]
    open_conference: Callable[[int], None]
    present: Callable[[], None]
    _show_in_plan: Callable[[int], None]
    _reopen_failed: Callable[[int | None, Exception], None]

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

    def _build_tab(self, index: int) -> ConferenceTab:
        module, name = _TABS[index]
        label = TAB_LABELS[index]
        # Built inside the tab widget's own page stack, where insertTab puts it. With the app's
        # style sheet, a widget that moves to another parent once Qt has styled it (as it is
        # measured while being built) is styled again, with everything in it: built in the
        # window and moved there, the board was styled twice over (about 80 ms a build).
        stack = self.tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")
        tab = getattr(importlib.import_module(module), name)(self.db, stack)
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
        from PySide6.QtCore import Qt  # not at the top: see MainWindow's opening page

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
