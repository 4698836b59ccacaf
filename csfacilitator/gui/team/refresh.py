"""After a pull: the open conference's tabs re-read what changed, without reopening it.

Called for the changes a sync published on the change bus (the window's own edits are already
shown where they were made, and every tab re-reads when it is shown). The board keeps the
cursor and the text being typed: its entry lines are never reloaded, and points are re-read
only when board points changed."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication

from csfacilitator.core.changes import Changes
from csfacilitator.errors import NotFound, UserError

log = logging.getLogger(__name__)


def refresh_open(window, changes: Changes) -> None:  # noqa: ANN001 - MainWindow
    home = window.home_built  # one not built yet reads the list when first shown
    if home is not None and window.pages.currentWidget() is home:
        home.reload(select_id=window.conference_id)
    cid = window.conference_id
    if cid is None or not changes.about(cid):
        return
    from csfacilitator.core import conferences

    try:
        conferences.get_conference(window.db, cid)
    except NotFound:
        _close_deleted(window)
        return
    from csfacilitator.gui.board.board_tab import BoardTab

    focus = QApplication.focusWidget()
    for tab in window.conference_tabs:
        try:
            if isinstance(tab, BoardTab):
                _refresh_board(tab, changes)
            else:
                tab.reload()
        except UserError as exc:
            window.status(str(exc))
    window.refresh_header()
    if focus is not None and focus.isVisible() and QApplication.focusWidget() is not focus:
        focus.setFocus()


def _refresh_board(board, changes: Changes) -> None:  # noqa: ANN001 - BoardTab
    board.reload()  # meetings, agenda, names to keep out; keeps the points and entry lines
    if "board_point" in changes.tables and board.current_meeting_id() is not None:
        # Re-read the points of the meeting shown. Entry lines are not touched (drafts are
        # only put back into empty ones), so text being typed and its cursor stay.
        board.reread_points()


def _close_deleted(window) -> None:  # noqa: ANN001
    for tab in window.conference_tabs:
        tab.autosave.discard()  # nothing of a deleted conference is written back
        tab.set_conference(None)
    window.conference_id = None
    window.show_home()
    window.status("The conference you had open was deleted on the team store, so it was closed.")
