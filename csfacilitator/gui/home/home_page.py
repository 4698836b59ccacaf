"""The start screen: a welcome for a first run, then what needs attention and the list of
conferences."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator import APP_NAME
from csfacilitator.core import conferences, vocab
from csfacilitator.core.dashboard import conference_flags
from csfacilitator.core.records import ConferenceSummary
from csfacilitator.gui.home.conference_list_model import (
    COL_AREA,
    COL_CHANGED,
    COL_CONTEXT,
    COL_DATE,
    COL_OVERDUE,
    COL_RETENTION,
    COL_REVIEW,
    COL_STATUS,
    COL_TITLE,
    ID_ROLE,
    NEWEST_FIRST,
    ConferenceFilter,
    ConferenceListModel,
)
from csfacilitator.gui.home.dashboard_panel import DashboardPanel
from csfacilitator.resources import resource_path
from csfacilitator.storage.database import Database

#: Conferences read before the list is first painted (a few screenfuls); the rest are read
#: just after that paint. 10,000 conferences take about a second to read and lay out.
FIRST_ROWS = 200


def _button(text: str, *, primary: bool = False, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    if tip:
        button.setToolTip(tip)
    if primary:
        button.setDefault(False)
        button.setProperty("primary", True)
    return button


class HomePage(QWidget):
    """Emits what the user wants; the window does it (it owns undo, dialogs and navigation)."""

    open_requested = Signal(int)
    new_requested = Signal()
    example_requested = Signal()
    import_requested = Signal()
    archive_requested = Signal(int, bool)
    delete_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.today = dt.date.today  # replaced in tests
        self.model = ConferenceListModel(self)
        self.proxy = ConferenceFilter(self)
        self.proxy.setSourceModel(self.model)
        self._kept: int | None = None
        #: The last conference read when only the first rows were: the rest come after it.
        self._rest_after: ConferenceSummary | None = None
        self.pages = QStackedWidget(self)
        self.welcome = self._build_welcome()
        self.listing = self._build_listing()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.listing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # -- building -------------------------------------------------------------------------

    def _build_welcome(self) -> QWidget:
        page = QWidget(self.pages)  # built where it is shown: see window_tabs._build_tab
        page.setObjectName("welcome")
        outer = QVBoxLayout(page)
        outer.addStretch(2)
        card = QFrame(page)
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(720)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(40, 36, 40, 36)
        inner.setSpacing(14)
        icon = QLabel(card)
        icon.setPixmap(QIcon(str(resource_path("icons", "csfacilitator.svg"))).pixmap(72, 72))
        icon.setAccessibleName(APP_NAME)
        heading = QLabel(f"Welcome to {APP_NAME}", card)
        heading.setObjectName("welcomeHeading")
        intro = QLabel(
            "Prepare the assessment and invite list, capture the conference live on the "
            "four-column board, project it for the room, and send the minutes and the plan "
            "afterwards. Everything stays on this computer; no network is needed.",
            card,
        )
        intro.setWordWrap(True)
        intro.setObjectName("welcomeIntro")
        self.welcome_new = _button(
            "New conference", primary=True, tip="Start a conference record (Ctrl+N)"
        )
        self.welcome_example = _button(
            "Open example conference", tip="A fictional conference that shows every part of the app"
        )
        self.welcome_import = _button(
            "Import conference file…", tip="Open a file a colleague sent you"
        )
        self.welcome_new.clicked.connect(self.new_requested)
        self.welcome_example.clicked.connect(self.example_requested)
        self.welcome_import.clicked.connect(self.import_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        for button in (self.welcome_new, self.welcome_example, self.welcome_import):
            button.setMinimumHeight(40)
            buttons.addWidget(button)
        steps = QLabel(
            "<ol style='margin-left: -20px'><li>Record the context and the assessment</li>"
            "<li>Build the invite list and prepare everyone</li>"
            "<li>Capture the meeting on the board, projected for the room</li>"
            "<li>Agree the action plan, send the minutes, review progress</li></ol>",
            card,
        )
        steps.setWordWrap(True)
        steps.setObjectName("welcomeSteps")
        for widget in (icon, heading, intro):
            inner.addWidget(
                widget, 0, Qt.AlignmentFlag.AlignHCenter if widget is icon else Qt.AlignmentFlag(0)
            )
        inner.addSpacing(6)
        inner.addLayout(buttons)
        inner.addSpacing(6)
        inner.addWidget(steps)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)
        return page

    def _build_listing(self) -> QWidget:
        page = QWidget(self.pages)  # built where it is shown: see window_tabs._build_tab
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        heading = QLabel("Conferences", page)
        heading.setObjectName("pageHeading")
        self.new_button = _button(
            "New conference", primary=True, tip="Start a conference record (Ctrl+N)"
        )
        self.example_button = _button("Open example conference")
        self.import_button = _button("Import conference file…")
        self.new_button.clicked.connect(self.new_requested)
        self.example_button.clicked.connect(self.example_requested)
        self.import_button.clicked.connect(self.import_requested)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        for button in (self.new_button, self.example_button, self.import_button):
            top.addWidget(button)
        layout.addLayout(top)

        self.dashboard = DashboardPanel(self.db, page, today=lambda: self.today())
        self.dashboard.open_requested.connect(self.open_requested)
        layout.addWidget(self.dashboard)

        self.search = QLineEdit(page)
        self.search.setPlaceholderText("Search title, context or area")
        self.search.setAccessibleName("Search conferences")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        search_label = QLabel("&Search conferences:", page)
        search_label.setBuddy(self.search)
        self.status_filter = QComboBox(page)
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("All statuses", "")
        for key, text in vocab.STATUSES.items():
            self.status_filter.addItem(text, key)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )
        status_label = QLabel("S&tatus:", page)
        status_label.setBuddy(self.status_filter)
        self.show_archived = QCheckBox("Show archived", page)
        self.show_archived.setAccessibleName("Show archived")
        self.show_archived.toggled.connect(self.proxy.set_show_archived)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        filters.addSpacing(12)
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter, 1)
        filters.addSpacing(12)
        filters.addWidget(self.show_archived)
        layout.addLayout(filters)

        self.table = QTableView(page)
        self.table.setAccessibleName("Conferences")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_CHANGED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (COL_CONTEXT, COL_AREA):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, 200 if column == COL_CONTEXT else 130)
        # Widths from the font, not from the rows: measuring 1,000 rows would slow every start.
        metrics = self.table.fontMetrics()
        for column, sample in (
            (COL_STATUS, "Conference held"),
            (COL_DATE, "Conference date"),
            (COL_REVIEW, "30 Sep 2026"),
            (COL_OVERDUE, "Overdue"),
            (COL_RETENTION, "Due for deletion 30 Sep 2026"),
            (COL_CHANGED, "30 Sep 2026 23:59"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        self.table.doubleClicked.connect(
            lambda index: self.open_requested.emit(index.data(ID_ROLE))
        )
        self.table.activated.connect(lambda index: self.open_requested.emit(index.data(ID_ROLE)))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        # The filter resets its rows on each search: keep the selected conference selected
        # (connected after the view's own reset handling, which clears the selection).
        self.proxy.modelAboutToBeReset.connect(self._remember_selection)
        self.proxy.modelReset.connect(self._restore_selection)
        layout.addWidget(self.table, 1)

        self.open_button = _button("Open", tip="Open the selected conference (Enter)")
        self.archive_button = _button("Archive", tip="Hide the selected conference from the list")
        self.delete_button = _button("Delete…", tip="Delete the selected conference (Del)")
        self.open_button.clicked.connect(self._open_selected)
        self.archive_button.clicked.connect(self._archive_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.table,
            self._delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.count_label = QLabel(page)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        for button in (self.open_button, self.archive_button, self.delete_button):
            bottom.addWidget(button)
        layout.addLayout(bottom)
        return page

    # -- behaviour ------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Read the list and the dashboard again. With more than FIRST_ROWS conferences (in
        the list's own order) only those are read now; the rest after the list is painted."""
        current = select_id if select_id is not None else self.selected_id()
        first = FIRST_ROWS if self.model.order() in (None, NEWEST_FIRST) else None
        rows = conferences.list_conferences(self.db, first=first)
        self.model.set_rows(rows, conference_flags(self.db, self.today()))
        self._rest_after = rows[-1] if first is not None and len(rows) == first else None
        if self._rest_after is not None:
            self.table.viewport().installEventFilter(self)  # read the rest once painted
            total, archived = conferences.conference_counts(self.db)
        else:
            total, archived = len(rows), sum(1 for r in rows if r.archived)
        self.table.setColumnHidden(COL_RETENTION, not self.model.has_retention())
        self.pages.setCurrentWidget(self.listing if rows else self.welcome)
        if rows:
            self.dashboard.reload()
        shown = total - archived
        text = f"{shown} conference{'s' if shown != 1 else ''}"
        self.count_label.setText(text + (f", {archived} archived" if archived else ""))
        if current is not None:
            self.select(current)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and watched is self.table.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.read_rest)
        return False

    def read_rest(self) -> None:
        """The conferences not read yet (reload read the first ones), added to the list."""
        after, self._rest_after = self._rest_after, None
        if after is not None:
            self.model.add_rows(conferences.list_conferences(self.db, after=after))

    def _remember_selection(self) -> None:
        self._kept = self.selected_id() if hasattr(self, "delete_button") else None

    def _restore_selection(self) -> None:
        if not hasattr(self, "delete_button"):  # still being built
            return
        if self._kept is not None:
            self.select(self._kept)
        self._update_buttons()

    def select(self, conference_id: int) -> None:
        row = self.model.row_of(conference_id)
        if row < 0 and self._rest_after is not None:
            self.read_rest()
            row = self.model.row_of(conference_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, COL_TITLE))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def selected_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex() if self.table.selectionModel() else None
        if index is None or not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return index.siblingAtColumn(COL_TITLE).data(ID_ROLE)

    def focus_list(self) -> None:
        (self.table if self.pages.currentWidget() is self.listing else self.welcome_new).setFocus()

    def _update_buttons(self) -> None:
        conference_id = self.selected_id()
        has = conference_id is not None
        for button in (self.open_button, self.archive_button, self.delete_button):
            button.setEnabled(has)
        archived = (
            conference_id is not None
            and self.model.summary(self.model.row_of(conference_id)).archived
        )
        self.archive_button.setText("Unarchive" if archived else "Archive")
        self.archive_button.setAccessibleName(self.archive_button.text())

    def _open_selected(self) -> None:
        if (conference_id := self.selected_id()) is not None:
            self.open_requested.emit(conference_id)

    def _archive_selected(self) -> None:
        if (conference_id := self.selected_id()) is not None:
            archived = self.model.summary(self.model.row_of(conference_id)).archived
            self.archive_requested.emit(conference_id, not archived)

    def _delete_selected(self) -> None:
        if (conference_id := self.selected_id()) is not None:
            self.delete_requested.emit(conference_id)
