"""The home page's undo steps: archiving a conference and deleting one (kept in memory for the
session, so Ctrl+Z brings it back with the same ids)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from csfacilitator.errors import UserError
from csfacilitator.gui.undo import Change, UndoTarget

if TYPE_CHECKING:
    from csfacilitator.core.removed_rows import RemovedRows
    from csfacilitator.gui.home.home_page import HomePage
    from csfacilitator.storage.database import Database


class ConferenceListTarget(UndoTarget, Protocol):
    """What the home page's undo steps need: the database, and the conference list to show
    again (choosing one) and to ask whether it shows archived conferences."""

    db: Database

    def show_list(self, select_id: int | None = None) -> None: ...

    def shows_archived(self) -> bool: ...


class ConferenceList:
    """The home page's conference list and the window's status bar, as a ConferenceListTarget."""

    def __init__(self, db: Database, home: HomePage, status: Callable[[str], None]):
        self.db, self.home, self.report = db, home, status

    def resync(self) -> None:
        self.home.reload()

    def show_list(self, select_id: int | None = None) -> None:
        self.home.reload(select_id=select_id)

    def shows_archived(self) -> bool:
        return self.home.show_archived.isChecked()


class DeleteConference(Change):
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


class SetArchived(Change):
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
