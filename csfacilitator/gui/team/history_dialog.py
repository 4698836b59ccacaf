"""Conference history…: the team store's audit trail for the open conference (issue 18), read
only: who changed what and when. Deleted text is not kept, so a deletion is one line."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from csfacilitator.core import team_view
from csfacilitator.gui.team.table_dialog import TableDialog, fill, make_table


class HistoryDialog(TableDialog):
    def __init__(self, conference_title: str, parent: QWidget | None = None) -> None:
        super().__init__(f"History of {conference_title}", parent)
        self.suggested_name = f"History - {conference_title}.csv"
        self.entries: list[team_view.HistoryEntry] = []
        self.table = make_table(team_view.HISTORY_COLUMNS, "History", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def show_entries(self, entries: list[team_view.HistoryEntry]) -> None:
        self.entries = list(entries)
        fill(self.table, team_view.history_rows(self.entries))
        n = len(self.entries)
        self.note.setText(
            f"{n} change{'s' if n != 1 else ''} recorded on the team store, oldest first "
            "(times in UTC). This record cannot be changed."
            if n
            else "The team store has no history for this conference yet (sync first), or it "
            "is not yours to see."
        )
        self.export_button.setEnabled(bool(n))

    def csv_data(self) -> bytes:
        return team_view.csv_bytes(
            (team_view.HISTORY_COLUMNS, team_view.history_rows(self.entries))
        )
