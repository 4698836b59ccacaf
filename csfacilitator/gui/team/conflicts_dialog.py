"""Team → Conflicts…: each field changed here and by a colleague to different values, with both
values, who made each and when, side by side. Keep mine, take theirs, or edit a third value;
`core.sync.resolve_conflict` does it, and the next sync settles it on both laptops. A structured
field (the context weighting's picture) shows each version in words, and its Edit… is off with
the reason written beside it: take a side, then adjust the picture in its own view."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import sync, vocab
from csfacilitator.core.sync import ConflictRecord
from csfacilitator.core.sync.conflicts import structured_reason
from csfacilitator.errors import UserError

#: Fields stored as a code, shown in the words the rest of the window uses.
WORDS: dict[tuple[str, str], dict[str, str]] = {
    ("conference", "status"): vocab.STATUSES,
    ("conference", "context_type"): vocab.CONTEXT_TYPES,
    ("conference", "threshold"): vocab.THRESHOLDS,
    ("conference", "report_structure"): vocab.REPORT_STRUCTURES,
    ("meeting", "kind"): vocab.MEETING_KINDS,
    ("invitee", "status"): vocab.INVITEE_STATUSES,
    ("attendance", "state"): vocab.ATTENDANCE,
    ("board_point", "column"): vocab.BOARD_COLUMNS,
    ("intervention", "status"): vocab.ACTION_STATUSES,
    ("action_update", "status"): vocab.ACTION_STATUSES,
}


def shown(value: object, entity: str = "", field: str = "") -> str:
    """A value as a person reads it."""
    words = WORDS.get((entity, field))
    if words is not None and isinstance(value, str) and value in words:
        return words[value] or "(empty)"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bytes | memoryview):  # the safety map's picture: never its bytes
        return f"A picture ({max(1, len(value) // 1024)} KB)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _when(stamp: dt.datetime | None) -> str:
    if stamp is None:
        return "at an unknown time"
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone().strftime("%d %b %Y %H:%M")


def title_of(c: ConflictRecord) -> str:
    """ "Riverside Park — Invitee “Priya Shah”: Status"."""
    title = c.conference_title or "A conference"
    if c.structured:  # "Riverside Park — Context weighting (working copy)"
        return f"{title} — {c.entity_label} ({c.row_label})"
    if c.entity == "conference":  # the row is the conference itself: say it once
        return f"{title}: {c.field_label}"
    row = f" “{c.row_label}”" if c.row_label else ""
    return f"{title} — {c.entity_label}{row}: {c.field_label}"


class _Side(QGroupBox):
    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.who = QLabel(self)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setWordWrap(True)
        self.value = QPlainTextEdit(self)
        self.value.setReadOnly(True)
        self.value.setAccessibleName(f"{title}: value")
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.value, 1)

    def show_value(
        self, who: str, value: object, entity: str = "", field: str = "", words: str = ""
    ) -> None:
        """`words`: a structured value already said in words (never its raw JSON)."""
        self.who.setText(who)
        self.value.setPlainText(words or shown(value, entity, field))


class ConflictsDialog(QDialog):
    #: A conflict was resolved: (conference id or None, entity table name).
    resolved = Signal(object, str)

    def __init__(self, db, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Database
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Conflicts with the team")
        self.resize(900, 560)
        self.conflicts: list[ConflictRecord] = []

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Conflicts")
        self.list.currentRowChanged.connect(self._show_current)

        detail = QWidget(self)
        self.heading = QLabel(detail)
        self.heading.setObjectName("conflictHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.mine = _Side("Mine (kept on this laptop until you choose)", detail)
        self.theirs = _Side("Theirs (on the team store)", detail)
        sides = QHBoxLayout()
        sides.addWidget(self.mine, 1)
        sides.addWidget(self.theirs, 1)
        self.keep_button = QPushButton("Keep mine", detail)
        self.take_button = QPushButton("Take theirs", detail)
        self.edit_button = QPushButton("Edit…", detail)
        for button, tip in (
            (self.keep_button, "Keep this laptop's value; the next sync sends it to the team"),
            (self.take_button, "Take the team's value"),
            (self.edit_button, "Write a third value instead of either"),
        ):
            button.setAccessibleName(button.text())
            button.setToolTip(tip)
        self.keep_button.clicked.connect(lambda: self._resolve(take="mine"))
        self.take_button.clicked.connect(lambda: self._resolve(take="theirs"))
        self.edit_button.clicked.connect(self._edit)
        choices = QHBoxLayout()
        choices.addWidget(self.keep_button)
        choices.addWidget(self.take_button)
        choices.addWidget(self.edit_button)
        choices.addStretch(1)
        # Why Edit… is off, in words (a disabled button alone says nothing); selectable by
        # keyboard so Tab reaches it and a screen reader reads it.
        self.edit_reason = QLabel(detail)
        self.edit_reason.setObjectName("editReason")
        self.edit_reason.setTextFormat(Qt.TextFormat.PlainText)
        self.edit_reason.setWordWrap(True)
        self.edit_reason.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.edit_reason.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.edit_reason.hide()
        self.message = QLabel(detail)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addLayout(sides, 1)
        detail_layout.addLayout(choices)
        detail_layout.addWidget(self.edit_reason)
        detail_layout.addWidget(self.message)
        self.detail = detail

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([160, 400])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, keep_row: int = 0) -> None:
        self.conflicts = sync.list_conflicts(self.db)
        self.list.clear()
        for c in self.conflicts:
            item = QListWidgetItem(title_of(c), self.list)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
        n = len(self.conflicts)
        self.intro.setText(
            "No conflicts: everything you and the team changed fits together."
            if not n
            else f"{n} field{'s' if n != 1 else ''} changed here and by a colleague to different "
            "values. Until you choose, this laptop keeps its own value and does not send it."
        )
        self.detail.setEnabled(bool(n))
        if n:
            self.list.setCurrentRow(min(keep_row, n - 1))
        else:
            self._show_current(-1)

    def current(self) -> ConflictRecord | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show_current(self, _row: int) -> None:
        c = self.current()
        self.message.clear()
        if c is None:
            self.heading.clear()
            self.mine.show_value("", "")
            self.theirs.show_value("", "")
            return
        self.heading.setText(
            title_of(c) + (" (long text: both versions in full)" if c.long_text else "")
        )
        where = (c.entity, c.field)
        self.mine.show_value(
            f"By {c.mine_person or 'you'}, {_when(c.mine_at)}", c.mine, *where, c.mine_words
        )
        self.theirs.show_value(
            f"By {c.theirs_person or 'a colleague'}, {_when(c.theirs_at)}",
            c.theirs,
            *where,
            c.theirs_words,
        )
        coded = where in WORDS  # one of a list of choices: keep mine or take theirs
        reason = structured_reason(*where)
        self.edit_button.setEnabled(not coded and not reason)
        self.edit_button.setToolTip(
            reason
            or (
                "This is one of a list of choices: keep mine or take theirs"
                if coded
                else "Write a third value instead of either"
            )
        )
        self.edit_button.setAccessibleDescription(reason)
        self.edit_reason.setText(f"Edit… is off. {reason}" if reason else "")
        self.edit_reason.setAccessibleName(self.edit_reason.text())
        self.edit_reason.setVisible(bool(reason))

    def _resolve(self, take: str | None = None, value: object = None) -> bool:
        c = self.current()
        if c is None:
            return False
        try:
            sync.resolve_conflict(self.db, c.id, take=take, value=value)
        except UserError as exc:
            self.message.setText(str(exc))  # the typed value is not lost: ask again
            return False
        row = self.list.currentRow()
        self.resolved.emit(c.conference_id, c.entity)
        self.reload(keep_row=row)
        return True

    def _edit(self) -> None:
        c = self.current()
        if c is None or c.structured:  # never typed: take a side (the button is off)
            return
        if c.mine is None:
            start = ""
        elif isinstance(c.mine, (dt.date, dt.time)):
            start = c.mine.isoformat()  # what parse_value reads back
        else:
            start = shown(c.mine)
        label = f"{c.field_label} — a value instead of both:"
        if c.long_text:
            typed, ok = QInputDialog.getMultiLineText(self, "Edit the value", label, start)
        else:
            typed, ok = QInputDialog.getText(self, "Edit the value", label, text=start)
        if ok:
            self._resolve(value=typed)
