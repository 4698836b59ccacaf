"""The Team menu's read-only views of the team store: a conference's history and the manager's
Team page (caseloads, and deleting a conference past its retention date)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from csfacilitator.core.retention import retention_months

if TYPE_CHECKING:
    from csfacilitator.gui.team.history_dialog import HistoryDialog
    from csfacilitator.gui.team.team_page import TeamPageDialog
    from csfacilitator.storage.database import Database


class TeamPages(QObject):
    """A part of TeamController, which sets what is declared here."""

    window: Any  # the main window (gui/main_window.py, which imports this package)
    db: Database
    history_dialog: HistoryDialog | None
    team_page: TeamPageDialog | None
    _open_or_say: Callable[[str], int | None]
    _confirm: Callable[..., bool]
    _start: Callable[..., bool]
    _failed: Callable[[str], None]

    # -- history and the team page ----------------------------------------------------------

    def show_history(self) -> None:
        from csfacilitator.core import conferences, team_view
        from csfacilitator.gui.team.history_dialog import HistoryDialog

        cid = self._open_or_say("Open a conference to see its history.")
        if cid is None:
            return
        details = conferences.get_conference(self.db, cid)
        dialog = HistoryDialog(details.title, self.window)
        self.history_dialog = dialog

        def work(engine, _url, _password):  # noqa: ANN001, ANN202
            return team_view.conference_history(engine, details.uid)

        if self._start(work, dialog.show_entries, dialog.show_failure):
            dialog.exec()
        self.history_dialog = None

    def show_team_page(self) -> None:
        from csfacilitator.gui.team.team_page import TeamPageDialog

        dialog = TeamPageDialog(self.window)
        dialog.delete_requested.connect(self.delete_for_retention)
        self.team_page = dialog
        if self._start(self._team_page_work(), dialog.show_page, dialog.show_failure):
            dialog.exec()
        self.team_page = None

    def _team_page_work(self):  # noqa: ANN202
        from csfacilitator.core.sync import team_retention  # a manager's page: not at start

        months = retention_months(self.db)

        def work(engine, _url, _password):  # noqa: ANN001, ANN202
            from csfacilitator.core import team_view

            return (
                team_view.team_overview(engine),
                team_retention.due_across_team(engine, months),
            )

        return work

    def delete_for_retention(self, uid: str, title: str) -> None:
        """The manager chose a conference past its retention date on the Team page: asked
        once more, then deleted from the team store (and from every laptop at its sync)."""
        if not self._confirm(
            "Delete from the team store",
            f"Delete “{title}” from the team store for good? Its retention period has ended. "
            "Every laptop that has it removes it at its next sync; the audit trail records "
            "that you deleted it, but none of its text.",
            self.team_page,
        ):
            return
        from csfacilitator.core.sync import team_retention

        months = retention_months(self.db)
        page = self.team_page

        def work(engine, _url, _password):  # noqa: ANN001, ANN202
            deleted = team_retention.delete_due(self.db, engine, uid, months)
            return deleted, team_retention.due_across_team(engine, months)

        def done(outcome) -> None:  # noqa: ANN001
            deleted, due = outcome
            line = (
                f"Deleted '{deleted.title}' from the team store; every laptop that has it "
                "removes it at its next sync."
            )
            if deleted.removed_here:
                line += " This laptop's copy was removed too."
                if self.window.home_built is not None:  # one not built reads when shown
                    self.window.home_built.reload()
            self.window.status(line)
            if page is not None:
                page.show_due(due)
                page.due_note.setText(line + " " + page.due_note.text())

        def failed(message: str) -> None:
            self._failed(message)
            if page is not None:
                page.due_note.setText(f"Not deleted: {message}")

        self._start(work, done, failed)
