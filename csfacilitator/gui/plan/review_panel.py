"""The review mode of the Action plan tab: every action carried forward to a review meeting,
each with its status at this review, a note of progress since the last meeting, and what
earlier meetings recorded. Keyboard first: Tab goes status, note, next status, next note…

One small row of widgets per action: a plan has tens of actions, not hundreds, and real
widgets make Tab, screen readers and typing work without a custom editor layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import conferences, invitees, meetings, reviews, vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.plan import get_intervention, is_overdue
from csfacilitator.core.records import MeetingRecord
from csfacilitator.core.reviews import HistoryEntry, ReviewItem
from csfacilitator.errors import UserError
from csfacilitator.gui.autosave import AutosaveGroup
from csfacilitator.gui.plan.intervention_history import entry_line, history_tooltip
from csfacilitator.gui.plan.measures_at_review import MeasuresAtReview
from csfacilitator.gui.plan.plan_model import (
    muted_foreground,
    need_background,
    overdue_foreground,
    overdue_icon,
    status_icon,
)
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.storage.database import Database

NOTE_PLACEHOLDER = "Progress since the last meeting"
STATUS_WIDTH = 170
EARLIER_SHOWN = 2  # earlier meetings shown under an action; the tooltip has them all


def _label(text: str, parent: QWidget, *, muted: bool = False, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if muted:
        label.setStyleSheet(f"color: {muted_foreground().name()};")
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def separator_colour():
    """A hairline between actions: the text colour most of the way to the background."""
    palette = QGuiApplication.palette()
    text, base = palette.text().color(), palette.base().color()
    mixed = text.toRgb()
    for name in ("red", "green", "blue"):
        value = getattr(text, name)() + (getattr(base, name)() - getattr(text, name)()) * 0.82
        getattr(mixed, f"set{name.capitalize()}")(round(value))
    return mixed


class NoteEdit(QPlainTextEdit):
    """A few lines for the progress note; Tab moves on to the next action."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName(NOTE_PLACEHOLDER)
        self.setPlaceholderText(NOTE_PLACEHOLDER)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        lines = self.fontMetrics().lineSpacing() * 3
        return QSize(super().sizeHint().width(), lines + 14)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()


class ReviewRow:
    """The widgets of one action in the review grid."""

    def __init__(self, item: ReviewItem, earlier: list[HistoryEntry], parent: QWidget):
        self.item = item
        record = item.intervention
        self.cell = QWidget(parent)
        layout = QVBoxLayout(self.cell)
        layout.setContentsMargins(0, 2, 8, 2)
        layout.setSpacing(2)
        self.text = _label(record.text, self.cell)
        layout.addWidget(self.text)
        meta = QHBoxLayout()
        meta.setSpacing(4)
        self.overdue_mark = QLabel(self.cell)
        self.overdue_mark.setPixmap(overdue_icon().pixmap(14, 14))
        self.overdue_mark.setToolTip("Overdue")
        self.meta = _label("", self.cell, muted=True)
        meta.addWidget(self.overdue_mark)
        meta.addWidget(self.meta, 1)
        layout.addLayout(meta)
        lines = [entry_line(e) for e in earlier[-EARLIER_SHOWN:]]
        self.earlier = _label("\n".join(lines), self.cell, muted=True)
        self.earlier.setToolTip(history_tooltip(earlier))
        self.earlier.setVisible(bool(lines))
        layout.addWidget(self.earlier)

        self.status = QComboBox(parent)
        self.status.setAccessibleName("Status at this review")
        self.status.setAccessibleDescription(record.text)
        for key, label in vocab.ACTION_STATUSES.items():
            self.status.addItem(status_icon(key), label, key)
        self.status.setCurrentIndex(max(self.status.findData(item.update.status), 0))
        self.status.setFixedWidth(STATUS_WIDTH)

        self.note = NoteEdit(parent)
        self.note.setAccessibleDescription(record.text)
        self.note.setPlainText(item.update.note)

    @property
    def intervention_id(self) -> int:
        return self.item.intervention.id

    def show_state(self, status: str, today: dt.date) -> None:
        """The meta line: agency, owner, due date; overdue in red while the action is open."""
        record = self.item.intervention
        overdue = is_overdue(replace(record, status=status), today)
        parts = [p for p in (record.agency, record.owner, record.timescale) if p]
        if record.due_date is not None:
            due = format_date(record.due_date)
            parts.append(f"overdue since {due}" if overdue else f"due {due}")
        self.meta.setText(" · ".join(parts) or "No agency or timescale yet")
        colour = overdue_foreground() if overdue else muted_foreground()
        self.meta.setStyleSheet(f"color: {colour.name()};{' font-weight: 600;' if overdue else ''}")
        self.overdue_mark.setVisible(overdue)
        self.overdue = overdue


class ReviewPanel(QWidget):
    """Progress on every carried-forward action at one review meeting."""

    status_message = Signal(str)
    #: Stored data changed (another screen may show it).
    #: (intervention id, meeting id, status recorded before, the action's status before, new)
    status_recorded = Signal(int, int, str, str, str)

    def __init__(self, db: Database, autosave: AutosaveGroup, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.autosave = autosave
        self.conference_id: int | None = None
        self.meeting: MeetingRecord | None = None
        self.reviews: list[MeetingRecord] = []
        self.rows: list[ReviewRow] = []
        self.today = dt.date.today

        # -- top bar: which review, how far along, the next review date
        self.review_combo = QComboBox(self)
        self.review_combo.setAccessibleName("Review meeting")
        self.review_combo.setMinimumContentsLength(24)
        review_caption = QLabel("Review &meeting:", self)
        review_caption.setBuddy(self.review_combo)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Review summary")
        self.next_review = DateField(self)
        self.next_review.setAccessibleName("Next review")
        self.next_review.setToolTip("When the partners meet again to review the plan")
        next_caption = QLabel("&Next review:", self)
        next_caption.setBuddy(self.next_review.edit)
        self.next_review.setMaximumWidth(190)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(review_caption)
        top.addWidget(self.review_combo)
        top.addSpacing(14)
        top.addWidget(self.summary, 1)
        top.addWidget(next_caption)
        top.addWidget(self.next_review)

        # -- the actions
        self.rows_host = QWidget(self)
        self.rows_host.setObjectName("reviewRows")
        self.rows_host.setBackgroundRole(QPalette.ColorRole.Base)
        self.rows_host.setAutoFillBackground(True)
        self.grid = QGridLayout(self.rows_host)
        self.grid.setContentsMargins(8, 6, 8, 8)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.rows_scroll = QScrollArea(self)
        self.rows_scroll.setWidgetResizable(True)
        self.rows_scroll.setWidget(self.rows_host)
        self.rows_scroll.setAccessibleName("Actions carried forward")
        self.rows_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        # -- beside them: what was decided, who came
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.setSpacing(4)
        decisions_caption = _label("What was &decided", side, bold=True)
        decisions_caption.setTextFormat(Qt.TextFormat.AutoText)
        self.decisions = QPlainTextEdit(side)
        self.decisions.setAccessibleName("What was decided")
        self.decisions.setTabChangesFocus(True)
        self.decisions.setPlaceholderText(
            "Decisions of the review: changes to the plan, who will do what next, whether the "
            "context is safer."
        )
        decisions_caption.setBuddy(self.decisions)
        self.attendance = _label("", side, muted=True)
        side_layout.addWidget(decisions_caption)
        side_layout.addWidget(self.decisions, 1)
        side_layout.addWidget(self.attendance)
        # Each outcome measure's value at this review (issue 19; gui/plan/outcomes_panel.py).
        self.measures = MeasuresAtReview(db, side)
        self.measures.status_message.connect(self.status_message)
        side_layout.addWidget(self.measures)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.rows_scroll)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([960, 320])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.review_combo.activated.connect(self._review_chosen)
        self.next_review.committed.connect(self._save_next_review)
        self.next_review.invalid.connect(self.status_message)
        self.autosave.watch(self.decisions, self._save_decisions)

    # --- loading ---------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        self.conference_id = conference_id
        self.meeting = None
        self.load()

    def load(self, meeting_id: int | None = None) -> None:
        """Show a review (default: the one shown, else the latest); the rows are rebuilt."""
        self.autosave.flush()
        self.reviews = (
            reviews.list_reviews(self.db, self.conference_id)
            if self.conference_id is not None
            else []
        )
        ids = [m.id for m in self.reviews]
        if meeting_id not in ids:
            meeting_id = self.meeting.id if self.meeting and self.meeting.id in ids else None
        if meeting_id is None and ids:
            meeting_id = ids[-1]
        self.meeting = next((m for m in self.reviews if m.id == meeting_id), None)
        self.review_combo.blockSignals(True)
        self.review_combo.clear()
        for record in self.reviews:
            self.review_combo.addItem(meetings.meeting_label(record, self.reviews), record.id)
        self.review_combo.setCurrentIndex(ids.index(meeting_id) if meeting_id in ids else -1)
        self.review_combo.blockSignals(False)
        self._load_side()
        self.measures.show_meeting(self.conference_id, self.meeting.id if self.meeting else None)
        self._build_rows()

    def _load_side(self) -> None:
        meeting = self.meeting
        self.decisions.blockSignals(True)
        self.decisions.setPlainText(meeting.decisions if meeting else "")
        self.decisions.blockSignals(False)
        self.decisions.setEnabled(meeting is not None)
        details = (
            conferences.get_conference(self.db, self.conference_id)
            if self.conference_id is not None
            else None
        )
        self.next_review.set_value(details.next_review_date if details else None)
        self.next_review.setEnabled(details is not None)
        self.attendance.setText(self._attendance_text())

    def _attendance_text(self) -> str:
        if self.meeting is None or self.conference_id is None:
            return ""
        counts: dict[str, int] = {}
        for person in invitees.list_invitees(self.db, self.conference_id):
            state = person.attendance.get(self.meeting.id, "")
            if state:
                counts[state] = counts.get(state, 0) + 1
        if not counts:
            return "Attendance at this review: not recorded yet (record it in the Invite list)."
        parts = [
            f"{counts[key]} {vocab.ATTENDANCE[key].lower()}"
            for key in ("present", "apologies", "absent")
            if counts.get(key)
        ]
        return f"Attendance at this review: {', '.join(parts)} (see the Invite list)."

    def _clear_rows(self) -> None:
        self.autosave.flush()
        for row in self.rows:
            for widget in (row.cell, row.status, row.note):
                widget.hide()
                widget.deleteLater()
        self.rows = []
        while self.grid.count():
            item = self.grid.takeAt(0)
            child = item.widget() if item is not None else None
            if child is not None:
                child.hide()
                child.deleteLater()

    def _build_rows(self) -> None:
        self._clear_rows()
        items: list[ReviewItem] = []
        if self.meeting is not None and self.conference_id is not None:
            try:
                items = reviews.review_items(self.db, self.meeting.id)
                histories = reviews.conference_history(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
                items = []
        host = self.rows_host
        if not items or self.meeting is None:
            text = (
                "No review meeting yet. “Start review meeting” carries every open action "
                "forward, so progress on each can be recorded here."
                if self.meeting is None
                else "No actions were open when this review started."
            )
            hint = _label(text, host, muted=True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(hint, 0, 0, 1, 3)
            self.grid.setRowStretch(1, 1)
            self._update_summary()
            return
        for column, caption in enumerate(
            ("Action", "Status at this review", "Progress since the last meeting")
        ):
            self.grid.addWidget(_label(caption, host, muted=True, bold=True), 0, column)
        self.grid.setColumnStretch(0, 5)
        self.grid.setColumnMinimumWidth(1, STATUS_WIDTH)
        self.grid.setColumnStretch(2, 4)
        label = meetings.meeting_label(self.meeting, self.reviews)
        today = self.today()
        grid_row = 1
        need_id = None
        need_number = 0
        for item in items:
            if item.need_id != need_id:
                need_id = item.need_id
                need_number += 1
                heading = _label(f"{need_number}.  {item.need_text}", host, bold=True)
                heading.setAutoFillBackground(True)
                palette = heading.palette()
                palette.setColor(heading.backgroundRole(), need_background())
                heading.setPalette(palette)
                heading.setContentsMargins(6, 4, 6, 4)
                self.grid.addWidget(heading, grid_row, 0, 1, 3)
                grid_row += 1
            entries = histories.get(item.intervention.id, [])
            labels = [e.label for e in entries]
            earlier = entries[: labels.index(label)] if label in labels else entries
            row = ReviewRow(item, earlier, host)
            row.show_state(item.update.status, today)
            self.grid.addWidget(row.cell, grid_row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(row.status, grid_row, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(row.note, grid_row, 2, Qt.AlignmentFlag.AlignTop)
            row.status.activated.connect(self._status_slot(row))
            self.autosave.watch(row.note, partial(self._save_note, row))
            self.rows.append(row)
            grid_row += 1
            line = QFrame(host)
            line.setFrameShape(QFrame.Shape.HLine)
            line.setStyleSheet(f"color: {separator_colour().name()};")
            self.grid.addWidget(line, grid_row, 0, 1, 3)
            grid_row += 1
        self.grid.setRowStretch(grid_row, 1)
        previous: QWidget | None = None
        for row in self.rows:  # status, note, next status, next note…
            if previous is not None:
                QWidget.setTabOrder(previous, row.status)
            QWidget.setTabOrder(row.status, row.note)
            previous = row.note
        self._update_summary()

    # --- reading back ----------------------------------------------------------------------

    def row_of(self, intervention_id: int) -> ReviewRow | None:
        return next((r for r in self.rows if r.intervention_id == intervention_id), None)

    def focus_first(self) -> None:
        """Put the cursor on the first action's status (once the new rows are shown)."""
        QTimer.singleShot(0, self, self._focus_first_now)

    def _focus_first_now(self) -> None:
        if self.rows and self.isVisible():
            self.rows[0].status.setFocus(Qt.FocusReason.OtherFocusReason)
            self.rows_scroll.ensureWidgetVisible(self.rows[0].cell)

    def _update_summary(self) -> None:
        if self.meeting is None:
            self.summary.setText("")
            self.summary.setAccessibleName("Review summary: no review yet")
            return
        total = len(self.rows)
        noted = sum(1 for r in self.rows if r.note.toPlainText().strip())
        overdue = sum(1 for r in self.rows if r.overdue)
        closed = sum(1 for r in self.rows if r.status.currentData() in ("done", "not_going_ahead"))
        plain = (
            f"{total} action{'s' if total != 1 else ''} carried forward · "
            f"{noted} with progress noted · {closed} done or stopped"
        )
        shown = plain
        if overdue:
            plain += f" · {overdue} overdue"
            shown += f" · <b style='color:{overdue_foreground().name()}'>{overdue} overdue</b>"
        self.summary.setText(shown)
        self.summary.setAccessibleName(f"Review summary: {plain}")

    # --- saving ----------------------------------------------------------------------------

    def _review_chosen(self, index: int) -> None:
        self.load(self.review_combo.itemData(index))

    def _status_slot(self, row: ReviewRow) -> Callable[[int], None]:
        return lambda _index: self._status_chosen(row)

    def _status_chosen(self, row: ReviewRow) -> None:
        new = row.status.currentData()
        old_update = row.item.update.status
        if self.meeting is None or new == old_update:
            return
        try:
            old_action = get_intervention(self.db, row.intervention_id).status
            update = reviews.record_progress(
                self.db, row.intervention_id, self.meeting.id, new, None
            )
        except UserError as exc:
            self.status_message.emit(str(exc))
            row.status.setCurrentIndex(max(row.status.findData(old_update), 0))
            return
        row.item = replace(row.item, update=update)
        row.show_state(new, self.today())
        self._update_summary()
        self.status_recorded.emit(row.intervention_id, self.meeting.id, old_update, old_action, new)

    def _save_note(self, row: ReviewRow, text: str) -> None:
        if self.meeting is None:
            return
        update = reviews.record_progress(self.db, row.intervention_id, self.meeting.id, None, text)
        row.item = replace(row.item, update=update)
        self._update_summary()

    def _save_decisions(self, text: str) -> None:
        if self.meeting is None:
            return
        self.meeting = meetings.update_meeting(self.db, self.meeting.id, decisions=text)

    def _save_next_review(self, value) -> None:
        if self.conference_id is None:
            return
        try:
            conferences.update_conference(self.db, self.conference_id, next_review_date=value)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        when = format_date(value) if value else "not set"
        self.status_message.emit(f"Next review: {when}.")
