"""The Safety map page of the Assessment tab: the imported map of the area, the mapping
sessions laid over it (ticked ones shown), the chosen session's marks in a list beside it that
is edited by keyboard, the legend, and a comparison of the map at one meeting with the map at
the one before.

Every change is one core operation (core/safety_map.py) and one step on the tab's undo stack
(safety_map_commands.py). The map itself is drawn by export/safety_map_picture.py, the
renderer the papers use; safety_map_canvas.py adds the cursor and the area being drawn.

Long because the page is one keyboard-driven editor: the sessions, the marks, the map's cursor,
the legend and the comparison all read and change the same chosen session and mark, and every
change reloads all of them from one view of the map; drawing and undo live in their own modules.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import safety_map as core
from csfacilitator.core.meetings import list_meetings, meeting_label
from csfacilitator.core.safety_map import RATINGS, TIMES, SafetyMapView
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.safety_map_canvas import MapCanvas
from csfacilitator.gui.assessment.safety_map_commands import (
    MapImported,
    MarkAdded,
    MarkEdited,
    MarkRemoved,
    SessionAdded,
    SessionEdited,
    SessionRemoved,
)
from csfacilitator.gui.undo import Change, push_or_say
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.gui.widgets.form_parts import buddy_label, panel_button, quiet_label
from csfacilitator.storage.database import Database

SIDE_WIDTH = 370
_ID = Qt.ItemDataRole.UserRole
KEYS_HELP = (
    "Keys on the map: arrows move the cross (Shift: finer) · Enter drops a pin · A starts an "
    "area, Space adds a corner, Enter finishes, Esc cancels · 1 unsafe, 2 mixed, 3 safe · "
    "Page Up/Down choose a mark · Delete removes it"
)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.05)
    label.setFont(font)
    return label


def _pixmap(data: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(data, "PNG")
    return pixmap


class SafetyMapPanel(QWidget):
    """The safety map of one conference (or nothing, before one is shown)."""

    status_message = Signal(str)
    canvas: MapCanvas

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.conference_id: int | None = None
        self.view = SafetyMapView(0, None)
        self.session_id: int | None = None
        self.mark_id: int | None = None
        self.hidden_sessions: set[int] = set()
        self._build()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(12)

        main = QVBoxLayout()
        main.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.import_button = panel_button(
            "&Import map…",
            "A PNG or JPEG picture of the area: a screenshot of a street map or a drawing. "
            "Nothing is fetched from the internet.",
            self,
        )
        self.import_button.clicked.connect(self.import_map)
        bar.addWidget(self.import_button)
        self.new_rating = QComboBox(self)
        for key, label in RATINGS:
            self.new_rating.addItem(label, key)
        new_label = buddy_label("Ne&w marks are", self.new_rating, self)
        bar.addSpacing(8)
        bar.addWidget(new_label)
        bar.addWidget(self.new_rating)
        self.pin_button = panel_button(
            "Drop &pin", "Drop a pin at the cross on the map (Enter on the map)", self
        )
        self.pin_button.clicked.connect(lambda: self._pin(*self.canvas.cross))
        self.area_button = panel_button(
            "Draw a&rea",
            "Start an area at the cross (A on the map): add corners with Space or clicks, "
            "finish with Enter or a double-click. A drag draws a rectangle.",
            self,
        )
        self.area_button.clicked.connect(self._start_area)
        bar.addWidget(self.pin_button)
        bar.addWidget(self.area_button)
        bar.addStretch(1)
        self.compare_button = panel_button(
            "&Compare meetings",
            "The map at one meeting beside the map at another (the sessions that informed each)",
            self,
        )
        self.compare_button.setCheckable(True)
        self.compare_button.toggled.connect(self._compare_toggled)
        bar.addWidget(self.compare_button)
        main.addLayout(bar)

        self.pages = QStackedWidget(self)
        self.canvas = MapCanvas(self)
        self.canvas.setAccessibleName("Map")
        self.canvas.pin_requested.connect(self._pin)
        self.canvas.area_requested.connect(self._area)
        self.canvas.mark_chosen.connect(self._choose_mark)
        self.canvas.delete_requested.connect(self.remove_mark)
        self.canvas.rating_chosen.connect(self._rating_key)
        self.canvas.cursor_moved.connect(self._cursor_moved)
        map_page = QWidget(self)
        map_layout = QVBoxLayout(map_page)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.setSpacing(4)
        self.map_label = _heading("Map", map_page)
        self.map_label.setBuddy(self.canvas)
        self.caption = QLabel("", map_page)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.map_label)
        top.addWidget(self.caption, 1)
        map_layout.addLayout(top)
        map_layout.addWidget(self.canvas, 1)
        self.where = QLabel("", map_page)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        map_layout.addWidget(self.where)
        help_line = quiet_label(KEYS_HELP, map_page)
        map_layout.addWidget(help_line)
        self.pages.addWidget(map_page)
        self.pages.addWidget(self._build_compare())
        main.addWidget(self.pages, 1)
        root.addLayout(main, 1)

        side_scroll = QScrollArea(self)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setFixedWidth(SIDE_WIDTH + 16)
        side = QWidget(side_scroll)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 8, 8)
        column.setSpacing(6)
        self._build_sessions(side, column)
        column.addSpacing(8)
        self._build_marks(side, column)
        column.addSpacing(8)
        column.addWidget(_heading("Legend", side))
        column.addWidget(self._build_legend(side))
        column.addStretch(1)
        side_scroll.setWidget(side)
        root.addWidget(side_scroll)

    def _build_legend(self, side: QWidget) -> QWidget:
        """Each rating's sample (from the renderer the map uses) and its meaning in words."""
        from csfacilitator.export.safety_map_picture import PATTERN_WORDS, swatch_png

        legend = QWidget(side)
        grid = QGridLayout(legend)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        ratio = self.devicePixelRatioF()
        height = self.fontMetrics().height() * 1.6
        for row, (key, label) in enumerate(RATINGS):
            sample = QLabel(legend)
            pixmap = _pixmap(swatch_png(key, int(height * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            sample.setPixmap(pixmap)
            words = QLabel(
                f"<b>{label}</b>: {core.RATING_MEANINGS[key]} <i>({PATTERN_WORDS[key]})</i>",
                legend,
            )
            words.setWordWrap(True)
            sample.setAccessibleName(f"{label} sample")
            grid.addWidget(sample, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(words, row, 1)
        grid.setColumnStretch(1, 1)
        return legend

    def _build_sessions(self, side: QWidget, column: QVBoxLayout) -> None:
        label = _heading("Mapping sessi&ons", side)
        self.sessions = QListWidget(side)
        self.sessions.setAccessibleName("Mapping sessions")
        self.sessions.setToolTip(
            "Ticked sessions are shown on the map, laid over each other (Space ticks). New "
            "marks go into the chosen session."
        )
        self.sessions.setMaximumHeight(130)
        self.sessions.setWordWrap(True)
        self.sessions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        label.setBuddy(self.sessions)
        self.sessions.currentItemChanged.connect(self._session_moved)
        self.sessions.itemChanged.connect(self._session_ticked)
        column.addWidget(label)
        column.addWidget(self.sessions)
        buttons = QHBoxLayout()
        self.add_session_button = panel_button("A&dd session", "", side)
        self.add_session_button.clicked.connect(self.add_session)
        self.remove_session_button = panel_button("Remove session", "", side)
        self.remove_session_button.clicked.connect(self.remove_session)
        buttons.addWidget(self.add_session_button)
        buttons.addWidget(self.remove_session_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.session_name = QLineEdit(side)
        self.session_name.setPlaceholderText("Who marked the map, e.g. Year 9 group")
        name_label = buddy_label("&Name", self.session_name, side)
        self.session_name.editingFinished.connect(self._session_name_done)
        self.session_date = DateField(side)
        date_label = buddy_label("Held on", self.session_date, side)
        self.session_date.committed.connect(lambda v: self._edit_session(held_on=v))
        self.session_date.invalid.connect(self.status_message)
        self.session_meeting = QComboBox(side)
        meeting_label_ = buddy_label("For meeting", self.session_meeting, side)
        self.session_meeting.activated.connect(
            lambda _i: self._edit_session(meeting_id=self.session_meeting.currentData())
        )
        for row, (lab, widget) in enumerate(
            ((name_label, self.session_name), (date_label, self.session_date),
             (meeting_label_, self.session_meeting))
        ):  # fmt: skip
            grid.addWidget(lab, row, 0)
            grid.addWidget(widget, row, 1)
        column.addLayout(grid)

    def _build_marks(self, side: QWidget, column: QVBoxLayout) -> None:
        label = _heading("Mar&ks in this session", side)
        self.marks = QListWidget(side)
        self.marks.setAccessibleName("Marks in this session")
        self.marks.setToolTip("Choose a mark to edit it below; Delete removes it")
        self.marks.setMinimumHeight(120)
        self.marks.setWordWrap(True)
        self.marks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        label.setBuddy(self.marks)
        self.marks.currentItemChanged.connect(self._mark_moved)
        self.marks.installEventFilter(self)
        column.addWidget(label)
        column.addWidget(self.marks, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.mark_label = QLineEdit(side)
        self.mark_label.setPlaceholderText("e.g. Mill Road underpass")
        place_label = buddy_label("P&lace", self.mark_label, side)
        self.mark_label.editingFinished.connect(
            lambda: self._edit_mark(label=self.mark_label.text())
        )
        self.mark_rating = QComboBox(side)
        for key, text in RATINGS:
            self.mark_rating.addItem(text, key)
        rating_label = buddy_label("Ratin&g", self.mark_rating, side)
        self.mark_rating.activated.connect(
            lambda _i: self._edit_mark(rating=self.mark_rating.currentData())
        )
        self.mark_time = QComboBox(side)
        for key, text in TIMES:
            self.mark_time.addItem(text, key)
        time_label = buddy_label("Time of da&y", self.mark_time, side)
        self.mark_time.activated.connect(
            lambda _i: self._edit_mark(time_of_day=self.mark_time.currentData())
        )
        self.mark_note = QLineEdit(side)
        self.mark_note.setPlaceholderText("What was said about it")
        note_label = buddy_label("No&te", self.mark_note, side)
        self.mark_note.editingFinished.connect(lambda: self._edit_mark(note=self.mark_note.text()))
        for row, (lab, widget) in enumerate(
            ((place_label, self.mark_label), (rating_label, self.mark_rating),
             (time_label, self.mark_time), (note_label, self.mark_note))
        ):  # fmt: skip
            grid.addWidget(lab, row, 0)
            grid.addWidget(widget, row, 1)
        column.addLayout(grid)
        buttons = QHBoxLayout()
        self.move_button = panel_button(
            "Move to the cross", "Move the chosen pin (or area) so it sits at the map's cross", side
        )
        self.move_button.clicked.connect(self.move_mark_to_cursor)
        self.remove_mark_button = panel_button("Remove mark", "", side)
        self.remove_mark_button.clicked.connect(self.remove_mark)
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.remove_mark_button)
        buttons.addStretch(1)
        column.addLayout(buttons)

    def _build_compare(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        pickers = QHBoxLayout()
        self.compare_combos: list[QComboBox] = []
        self.compare_pictures: list[QLabel] = []
        self.compare_counts: list[QLabel] = []
        columns = QHBoxLayout()
        for index, name in enumerate(("Earlier", "Later")):
            label = QLabel(name, page)
            combo = QComboBox(page)
            combo.setAccessibleName(name)
            label.setBuddy(combo)
            combo.activated.connect(lambda _i: self._show_compare())
            pickers.addWidget(label)
            pickers.addWidget(combo, 1)
            if index == 0:
                pickers.addSpacing(16)
            box = QVBoxLayout()
            picture = QLabel(page)
            picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            picture.setAccessibleName(f"{name} map")
            counts = QLabel(page)
            counts.setWordWrap(True)
            counts.setTextFormat(Qt.TextFormat.PlainText)
            box.addWidget(picture)
            box.addWidget(counts)
            box.addStretch(1)
            columns.addLayout(box, 1)
            self.compare_combos.append(combo)
            self.compare_pictures.append(picture)
            self.compare_counts.append(counts)
        layout.addLayout(pickers)
        layout.addLayout(columns)
        layout.addWidget(_heading("What changed", page))
        self.changes = QLabel(page)
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.PlainText)
        self.changes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.changes.setAccessibleName("What changed")
        layout.addWidget(self.changes)
        layout.addStretch(1)
        return page

    def tab_chain(self) -> list[QWidget]:
        return [
            self.import_button, self.new_rating, self.pin_button, self.area_button,
            self.compare_button, self.canvas, *self.compare_combos, self.sessions,
            self.add_session_button, self.remove_session_button, self.session_name,
            self.session_date.edit, self.session_meeting, self.marks, self.mark_label,
            self.mark_rating, self.mark_time, self.mark_note, self.move_button,
            self.remove_mark_button,
        ]  # fmt: skip

    # -- loading -------------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        if conference_id != self.conference_id:
            self.session_id = self.mark_id = None
            self.hidden_sessions = set()
            self.canvas.cancel_area()
        self.conference_id = conference_id
        self.refresh()

    def refresh(self) -> None:
        """Show the stored map again (after any change, an undo, or another screen's edit)."""
        if self.conference_id is None:
            self.view = SafetyMapView(0, None)
        else:
            try:
                self.view = core.get_safety_map(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
                self.view = SafetyMapView(0, None)
        ids = [s.id for s in self.view.sessions]
        if self.session_id not in ids:
            self.session_id = ids[-1] if ids else None
        session = self._session()
        if session is None or self.mark_id not in [m.id for m in session.marks]:
            self.mark_id = None
        self._fill_sessions()
        self._fill_session_fields()
        self._fill_marks()
        self._fill_mark_fields()
        self._show_canvas()
        self._fill_compare()
        image = self.view.image
        self.caption.setText(
            f"{image.caption} ({image.width} × {image.height})" if image and image.caption
            else "" if image else "No map imported yet"
        )  # fmt: skip
        has_image = image is not None
        for widget in (self.pin_button, self.area_button, self.compare_button):
            widget.setEnabled(has_image and (widget is self.compare_button or session is not None))
        self.import_button.setText("&Import map…" if not has_image else "Replace &image…")
        self.import_button.setAccessibleName(self.import_button.text().replace("&", ""))
        self._cursor_moved()

    def _session(self):  # noqa: ANN202
        return next((s for s in self.view.sessions if s.id == self.session_id), None)

    def _mark(self):  # noqa: ANN202
        session = self._session()
        if session is None:
            return None
        return next((m for m in session.marks if m.id == self.mark_id), None)

    def shown_session_ids(self) -> set[int]:
        return {s.id for s in self.view.sessions if s.id not in self.hidden_sessions}

    def _fill_sessions(self) -> None:
        with QSignalBlocker(self.sessions):
            self.sessions.clear()
            for session in self.view.sessions:
                counts = core.counts_words(session.marks)
                item = QListWidgetItem(f"{session.letter}  {session.title}")
                item.setData(_ID, session.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                shown = session.id not in self.hidden_sessions
                item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
                item.setToolTip(counts)
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole,
                    f"{session.letter}: {session.title}, {counts}, "
                    f"{'shown' if shown else 'hidden'} on the map",
                )
                self.sessions.addItem(item)
                if session.id == self.session_id:
                    self.sessions.setCurrentItem(item)
        self.remove_session_button.setEnabled(self.session_id is not None)

    def _fill_session_fields(self) -> None:
        session = self._session()
        for widget in (self.session_name, self.session_date, self.session_meeting):
            widget.setEnabled(session is not None)
        with QSignalBlocker(self.session_name):
            self.session_name.setText(session.name if session else "")
        self.session_date.set_value(session.held_on if session else None)
        with QSignalBlocker(self.session_meeting):
            self.session_meeting.clear()
            self.session_meeting.addItem("None (use the date)", None)
            if self.conference_id is not None:
                meetings = list_meetings(self.db, self.conference_id)
                for meeting in meetings:
                    self.session_meeting.addItem(meeting_label(meeting, meetings), meeting.id)
            index = self.session_meeting.findData(session.meeting_id if session else None)
            self.session_meeting.setCurrentIndex(max(0, index))

    def _fill_marks(self) -> None:
        session = self._session()
        with QSignalBlocker(self.marks):
            self.marks.clear()
            for mark in session.marks if session else ():
                words = f"{mark.code}  {mark.rating_label} {mark.shape_label.lower()}"
                if mark.label:
                    words += f" — {mark.label}"
                if mark.time_of_day != "any":
                    words += f" · {mark.time_label}"
                item = QListWidgetItem(words)
                item.setData(_ID, mark.id)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, core.describe_mark(mark))
                item.setToolTip(core.describe_mark(mark))
                self.marks.addItem(item)
                if mark.id == self.mark_id:
                    self.marks.setCurrentItem(item)

    def _fill_mark_fields(self) -> None:
        mark = self._mark()
        for widget in (self.mark_label, self.mark_rating, self.mark_time, self.mark_note,
                       self.move_button, self.remove_mark_button):  # fmt: skip
            widget.setEnabled(mark is not None)
        with QSignalBlocker(self.mark_label):
            self.mark_label.setText(mark.label if mark else "")
        with QSignalBlocker(self.mark_note):
            self.mark_note.setText(mark.note if mark else "")
        with QSignalBlocker(self.mark_rating):
            self.mark_rating.setCurrentIndex(
                max(0, self.mark_rating.findData(mark.rating if mark else "unsafe"))
            )
        with QSignalBlocker(self.mark_time):
            self.mark_time.setCurrentIndex(
                max(0, self.mark_time.findData(mark.time_of_day if mark else "any"))
            )

    def _show_canvas(self) -> None:
        shown = self.shown_session_ids()
        marks = [m for s, m in self.view.marks(shown)]
        self.canvas.show_map(self.view.image, marks, self.mark_id)

    # -- comparing -----------------------------------------------------------------------------

    def _fill_compare(self) -> None:
        rounds = self.view.rounds
        default = self.view.comparison()
        for index, combo in enumerate(self.compare_combos):
            current = combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                for r in rounds:
                    combo.addItem(r.label, r.meeting_id if r.meeting_id is not None else -1)
                found = combo.findData(current) if current is not None else -1
                if found < 0 and default is not None:
                    found = combo.findData(default[index].meeting_id)
                if found < 0:
                    found = min(index, combo.count() - 1)
                combo.setCurrentIndex(found)
        if self.pages.currentIndex() == 1:
            self._show_compare()

    def _round(self, index: int):  # noqa: ANN202
        key = self.compare_combos[index].currentData()
        for r in self.view.rounds:
            if (r.meeting_id if r.meeting_id is not None else -1) == key:
                return r
        return None

    def _show_compare(self) -> None:
        from csfacilitator.export.safety_map_picture import map_png

        chosen_marks = []
        for index in range(2):
            picture, counts = self.compare_pictures[index], self.compare_counts[index]
            chosen = self._round(index)
            if self.view.image is None or chosen is None:
                picture.clear()
                counts.setText("Nothing to compare yet: add sessions for two meetings.")
                continue
            marks = [m for _s, m in self.view.marks(set(chosen.session_ids))]
            chosen_marks.append(marks)
            # Half the page each (the labels may not be laid out yet when the page appears).
            logical = max(200, (self.pages.width() - 24) // 2)
            width = int(logical * self.devicePixelRatioF())
            pixmap = _pixmap(map_png(self.view.image, marks, width))
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            picture.setPixmap(pixmap)
            picture.setFixedHeight(round(pixmap.height() / self.devicePixelRatioF()))
            sessions = [s for s in self.view.sessions if s.id in chosen.session_ids]
            text = f"{chosen.label}: {len(marks)} marks, {core.counts_words(marks)}. " + "; ".join(
                f"{s.letter}: {s.title}" for s in sessions
            )
            counts.setText(text)
            picture.setAccessibleDescription(core.map_alt_text(self.view, set(chosen.session_ids)))
        lines = core.changes_between(*chosen_marks) if len(chosen_marks) == 2 else []
        self.changes.setText("\n".join(f"• {line}" for line in lines) or "Nothing to compare yet.")

    def _compare_toggled(self, on: bool) -> None:
        self.pages.setCurrentIndex(1 if on else 0)
        if on:
            self._show_compare()
            QTimer.singleShot(0, self._show_compare)  # again at the size the page settles at
            self.compare_combos[0].setFocus()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.pages.currentIndex() == 1:
            self._show_compare()

    # -- choosing ------------------------------------------------------------------------------

    def _session_moved(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        self.session_id = item.data(_ID)
        self.mark_id = None
        self._fill_session_fields()
        self._fill_marks()
        self._fill_mark_fields()
        self._show_canvas()

    def _session_ticked(self, item: QListWidgetItem) -> None:
        session_id = item.data(_ID)
        if item.checkState() == Qt.CheckState.Checked:
            self.hidden_sessions.discard(session_id)
        else:
            self.hidden_sessions.add(session_id)
        self._show_canvas()

    def _mark_moved(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.mark_id = item.data(_ID) if item is not None else None
        self._fill_mark_fields()
        self.canvas.select(self.mark_id)

    def _choose_mark(self, mark_id: int) -> None:
        for session in self.view.sessions:
            if any(m.id == mark_id for m in session.marks):
                if session.id != self.session_id:
                    self.session_id = session.id
                    self._fill_sessions()
                    self._fill_session_fields()
                self.mark_id = mark_id
                self._fill_marks()
                self._fill_mark_fields()
                self.canvas.select(mark_id)
                mark = self._mark()
                if mark is not None:
                    self.status_message.emit(core.describe_mark(mark))
                return

    def _rating_key(self, rating: str) -> None:
        self.new_rating.setCurrentIndex(self.new_rating.findData(rating))
        self.status_message.emit(f"New marks are {core.RATING_LABELS[rating].lower()}.")

    def _cursor_moved(self) -> None:
        words = self.canvas.cursor_words() if self.view.image is not None else ""
        self.where.setText(words)
        self.canvas.setAccessibleDescription(f"{words}. {KEYS_HELP}")

    def _start_area(self) -> None:
        self.canvas.area_pending = True
        self.canvas.setFocus()
        self.status_message.emit(
            "Drawing an area: click its corners (or press A, move with the arrows and add "
            "corners with Space), then Enter or double-click."
        )

    # -- changing (UndoTarget / MapTarget) -----------------------------------------------------

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        self.refresh()

    def changed(self, *, session_id: int | None = None, mark_id: int | None = None) -> None:
        if session_id is not None:
            self.session_id = session_id
        self.mark_id = mark_id
        self.refresh()

    def _push(self, change: Change) -> bool:
        return push_or_say(self.undo_stack, change, self.status_message.emit, self.refresh)

    def _need_session(self) -> int | None:
        if self.view.image is None:
            self.status_message.emit("Import a map of the area first.")
            return None
        if self.session_id is None:
            self.status_message.emit("Add a mapping session first: who is marking the map.")
            return None
        return self.session_id

    def _pin(self, x: float, y: float) -> None:
        session_id = self._need_session()
        if session_id is not None and self._push(
            MarkAdded(self, session_id, "pin", [(x, y)], self.new_rating.currentData())
        ):
            mark = self._mark()
            self.status_message.emit(f"Added {core.describe_mark(mark)}" if mark else "")

    def _area(self, points) -> None:  # noqa: ANN001
        session_id = self._need_session()
        if session_id is not None and self._push(
            MarkAdded(self, session_id, "area", points, self.new_rating.currentData())
        ):
            mark = self._mark()
            self.status_message.emit(f"Added {core.describe_mark(mark)}" if mark else "")

    def _edit_mark(self, **new: object) -> None:
        mark = self._mark()
        if mark is None:
            return
        old = {key: getattr(mark, key) for key in new}
        if "points" in new:
            old["points"] = list(mark.points)
        elif all(str(old[k]) == " ".join(str(new[k]).split()) for k in new):
            return  # nothing changed (a field left as it was)
        what = next(iter(new)).replace("_", " ")
        self._push(
            MarkEdited(self, mark.id, mark.session_id, old, new, f"Change {mark.code}'s {what}")
        )

    def move_mark_to_cursor(self) -> None:
        mark = self._mark()
        if mark is None:
            return
        x, y = self.canvas.cross
        cx, cy = mark.centre
        points = [(px + x - cx, py + y - cy) for px, py in mark.points]
        self._edit_mark(points=points)

    def remove_mark(self) -> None:
        mark = self._mark()
        if mark is None:
            self.status_message.emit("Choose a mark to remove (Page Up/Down on the map).")
            return
        self._push(MarkRemoved(self, mark.id, mark.session_id, mark.code))

    def add_session(self) -> None:
        if self.conference_id is None:
            return
        number = len(self.view.sessions) + 1
        if self._push(SessionAdded(self, self.conference_id, f"Session {number}")):
            self.session_name.setFocus()
            self.session_name.selectAll()

    def remove_session(self) -> None:
        session = self._session()
        if session is not None:
            self._push(SessionRemoved(self, session.id, session.title))

    def _session_name_done(self) -> None:
        session = self._session()
        if session is not None and self.session_name.text().strip() != session.name:
            self._edit_session(name=self.session_name.text())

    def _edit_session(self, **new: object) -> None:
        session = self._session()
        if session is None:
            return
        old = {key: getattr(session, key) for key in new}
        if old == new:
            return
        self._push(SessionEdited(self, session.id, old, new))

    def import_map(self) -> None:
        if self.conference_id is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import a map of the area", "", "Pictures (*.png *.jpg *.jpeg);;All files (*)"
        )
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        if self.conference_id is None:
            return
        old = self.view.image
        if self._push(MapImported(self, self.conference_id, old, path)):
            image = self.view.image
            self.status_message.emit(
                f"Map imported: {image.width} × {image.height} pixels, kept in this conference."
                if image else ""
            )  # fmt: skip

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent

        if (
            watched is self.marks
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Delete
        ):
            self.remove_mark()
            return True
        return super().eventFilter(watched, event)
