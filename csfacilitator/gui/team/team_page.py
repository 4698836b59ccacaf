"""Team → Team page… (managers): every conference of the team with its coordinators, status,
next review and overdue actions, each member's caseload, and the conferences past their
retention date (not on legal hold) with Delete from the team store…; read through the
manager's own login (the server decides what it may see). Exportable as CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from csfacilitator.core import team_view
from csfacilitator.core.sync import team_retention
from csfacilitator.gui.team.table_dialog import TableDialog, fill, make_table

DELETE = "Delete from the team store…"


class TeamPageDialog(TableDialog):
    suggested_name = "Team conferences.csv"
    #: (uid, title) of the conference past its retention date the manager chose to delete
    delete_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Team page", parent)
        self.overview: team_view.TeamOverview | None = None
        self.due: tuple[team_retention.TeamDue, ...] = ()
        self.conferences = make_table(team_view.CONFERENCE_COLUMNS, "Team conferences", self)
        self.caseloads = make_table(team_view.CASELOAD_COLUMNS, "Caseload per coordinator", self)
        self.due_table = make_table(team_retention.DUE_COLUMNS, "Past their retention date", self)
        self.due_table.itemSelectionChanged.connect(self._update_delete)
        self.delete_button = QPushButton(DELETE, self)
        self.delete_button.setAccessibleName(DELETE)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self._delete_chosen)
        self.due_note = QLabel("", self)
        self.due_note.setTextFormat(Qt.TextFormat.PlainText)
        self.due_note.setWordWrap(True)

        def section(title: str, table, *extra) -> QWidget:  # noqa: ANN001
            box = QWidget(self)
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title, box)
            label.setBuddy(table)
            layout.addWidget(label)
            layout.addWidget(table, 1)
            for widget in extra:
                if isinstance(widget, QPushButton):  # a button keeps its own width, on the left
                    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
                else:
                    layout.addWidget(widget)
            return box

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(section("&Conferences", self.conferences))
        splitter.addWidget(section("Caseload per coordinator (&open conferences)", self.caseloads))
        splitter.addWidget(
            section(
                "&Past their retention date (not on legal hold)",
                self.due_table,
                self.due_note,
                self.delete_button,
            )
        )
        splitter.setSizes([320, 140, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    def show_page(self, page) -> None:  # noqa: ANN001 - (TeamOverview, due list)
        overview, due = page
        self.show_overview(overview)
        self.show_due(due)

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

    def show_due(self, due) -> None:  # noqa: ANN001 - a list of TeamDue
        self.due = tuple(due)
        fill(self.due_table, team_retention.due_rows(self.due))
        n = len(self.due)
        self.due_note.setText(
            f"{n} conference{'s' if n != 1 else ''} past {'their' if n != 1 else 'its'} "
            "retention date. Deleting one removes it from the team store and, at their next "
            "sync, from every laptop that has it."
            if n
            else "No conference of the team is past its retention date."
        )
        self._update_delete()

    def chosen_due(self) -> team_retention.TeamDue | None:
        row = self.due_table.currentRow()
        selected = self.due_table.selectionModel().hasSelection()
        if not selected or not 0 <= row < len(self.due):
            return None
        return self.due[row]

    def _update_delete(self) -> None:
        self.delete_button.setEnabled(self.chosen_due() is not None)

    def _delete_chosen(self) -> None:
        chosen = self.chosen_due()
        if chosen is not None:
            self.delete_requested.emit(chosen.uid, chosen.title)

    def csv_data(self) -> bytes:
        assert self.overview is not None
        return team_view.csv_bytes(
            (team_view.CONFERENCE_COLUMNS, team_view.conference_rows(self.overview)),
            (team_view.CASELOAD_COLUMNS, team_view.caseload_rows(self.overview)),
            (team_retention.DUE_COLUMNS, team_retention.due_rows(self.due)),
        )
