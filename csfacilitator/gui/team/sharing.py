"""Which conferences this laptop shares with the team: sharing the open one, stopping, and the
copies the team no longer shares with this login (remove them, or keep them unsynced)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from csfacilitator.core import sync
from csfacilitator.core.sync import leaving
from csfacilitator.errors import UserError

if TYPE_CHECKING:
    from csfacilitator.gui.team.leaving_dialog import LeavingDialog
    from csfacilitator.storage.database import Database


class TeamSharing(QObject):
    """A part of TeamController, which sets what is declared here."""

    window: Any  # the main window (gui/main_window.py, which imports this package)
    db: Database
    leaving_dialog: LeavingDialog | None
    _conference_open: Callable[[], int | None]
    _open_or_say: Callable[[str], int | None]
    _confirm: Callable[..., bool]
    refresh_status: Callable[[], None]
    update_actions: Callable[[], bool]  # returns whether this laptop joined a team store
    if TYPE_CHECKING:

        @property
        def joined(self) -> bool: ...

    # -- sharing ---------------------------------------------------------------------------

    def share_current(self) -> None:
        from csfacilitator.core import conferences

        cid = self._open_or_say("Open a conference to share it with the team.")
        if cid is None:
            return
        if not self.joined:
            self.window.status("Join a team store first: Team → Connect to a team store…")
            return
        title = conferences.get_conference(self.db, cid).title
        if not self._confirm(
            "Share with the team",
            f"Share “{title}” with the team? From the next sync, all of it is kept on the team "
            "store, where the colleagues it is shared with and the team's managers can read "
            "and change it, and their changes come back here.",
        ):
            return
        self.window.flush()
        result = sync.share_conference(self.db, cid)
        if result.already:
            self.window.status("That conference is shared with the team already.")
        else:
            self.window.status(
                f"Shared with the team: {result.queued} changes wait for the next sync (F9)."
            )
        self._sharing_changed()

    def unshare_current(self) -> None:
        cid = self._conference_open()
        if cid is None or not sync.is_shared(self.db, cid):
            self.window.status("The open conference is not shared with the team.")
            return
        if not self._confirm(
            "Stop sharing",
            "Stop syncing this conference from this laptop? The copy here stays as it is; "
            "the team's copy is not changed, and changes waiting here are not sent.",
        ):
            return
        dropped = sync.unshare_conference(self.db, cid)
        self.window.status(
            f"No longer synced from this laptop ({dropped} waiting changes dropped); the copy "
            "here stays."
        )
        self._sharing_changed()

    def _sharing_changed(self) -> None:
        for tab in self.window.conference_tabs:
            line = getattr(tab, "sharing", None)
            if line is not None:
                line.refresh()
        self.refresh_status()  # and the actions

    # -- leaving the team ------------------------------------------------------------------

    def offer_removal(self, conferences=None, *, login_ended: bool = False) -> None:  # noqa: ANN001
        """Name the conferences no longer shared with this login and ask: remove this
        laptop's copies, or keep them for now (they no longer sync either way)."""
        from csfacilitator.gui.team.leaving_dialog import LeavingDialog

        if not conferences:
            conferences = leaving.no_longer_shared(self.db)
        if not conferences:
            self.window.status("No conference here is marked as no longer shared with you.")
            return
        dialog = LeavingDialog(conferences, self.window, login_ended=login_ended)
        self.leaving_dialog = dialog
        accepted = dialog.exec()
        self.leaving_dialog = None
        chosen = dialog.chosen_ids() if accepted else []
        if not chosen:
            n = len(conferences)
            self.window.status(
                f"Kept {'the copies' if n != 1 else 'the copy'} for now: no longer synced; "
                "Team → Copies no longer shared with you… removes them later."
            )
            self.update_actions()
            return
        self.remove_copies(chosen)

    def remove_copies(self, conference_ids: list[int]) -> None:
        w = self.window
        if w.conference_id in conference_ids:
            for tab in w.conference_tabs:
                tab.autosave.discard()  # nothing of a removed copy is written back
                tab.set_conference(None)
            w.conference_id = None
            w.show_home()
        try:
            removed = leaving.remove_copies(self.db, conference_ids)
        except UserError as exc:
            w.status(str(exc))
            return
        if w.home_built is not None:  # one not built yet reads the list when first shown
            w.home_built.reload()
        names = ", ".join(f"'{c.title}'" for c in removed)
        w.status(
            f"Removed from this laptop: {names}; the database file keeps no trace of "
            f"{'them' if len(removed) != 1 else 'it'}."
        )
        self.update_actions()
