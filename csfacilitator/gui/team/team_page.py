"""Team → Team page… (managers): every conference of the team with its coordinators, status,
next review and overdue actions, and each member's caseload, read through the manager's own
login (the server decides what it may see). Exportable as CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from csfacilitator.core import team_view
from csfacilitator.gui.team.table_dialog import TableDialog, fill, make_table


class TeamPageDialog(TableDialog):
    suggested_name = "Team conferences.csv"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Team page", parent)
        self.overview: team_view.TeamOverview | None = None
        self.conferences = make_table(team_view.CONFERENCE_COLUMNS, "Team conferences", self)
        self.caseloads = make_table(team_view.CASELOAD_COLUMNS, "Caseload per coordinator", self)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel("Conferences", top))
        top_layout.addWidget(self.conferences, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("Caseload per coordinator (open conferences)", bottom))
        bottom_layout.addWidget(self.caseloads, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([380, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    def show_overview(self, overview: team_view.TeamOverview) -> None:
        self.overview = overview
        fill(self.conferences, team_view.conference_rows(overview))
        fill(self.caseloads, team_view.caseload_rows(overview))
        overdue = sum(c.overdue_actions for c in overview.conferences)
        n = len(overview.conferences)
        self.note.setText(
            f"{n} conference{'s' if n != 1 else ''} on the team store, {overdue} overdue "
            f"action{'s' if overdue != 1 else ''}. Seen as {overview.login}."
        )
        self.export_button.setEnabled(True)

    def csv_data(self) -> bytes:
        assert self.overview is not None
        return team_view.csv_bytes(
            (team_view.CONFERENCE_COLUMNS, team_view.conference_rows(self.overview)),
            (team_view.CASELOAD_COLUMNS, team_view.caseload_rows(self.overview)),
        )
