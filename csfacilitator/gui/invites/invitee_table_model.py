"""The invite list as a Qt table model and its sort/filter proxy (the undo steps of its edits are
in invitee_commands).

The model holds InviteeRecords (never ORM rows). Every finished edit is written through the core
at once and pushed on the tab's undo stack as a command that is already done; undo and redo
write through the core again.

Long because it is one table of seventeen columns, each with its header, display text, edit
value, sort key and tooltip, and the proxy that sorts and filters exactly those rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from csfacilitator.core import invitees as core
from csfacilitator.core import vocab
from csfacilitator.core.invitees import InviteeRecord
from csfacilitator.core.textclean import shortened, sort_key
from csfacilitator.errors import UserError
from csfacilitator.gui.invites.invitee_commands import BulkCommand, EditCommand, Key, RowsCommand
from csfacilitator.gui.widgets.model_index import Index
from csfacilitator.storage.database import Database

#: Role giving each cell's sort key (casefolded text, ISO dates with empty last, numbers).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving the invitee id of a row, from any column (also through the proxy).
ID_ROLE = Qt.ItemDataRole.UserRole + 2

ATTENDANCE_KEY = "attendance"
DISPLAY_LIMIT = 300  # characters painted in a cell; longer text is cut with "…"
TOOLTIP_LIMIT = 1000
INVALID_EMAIL_TIP = "This does not look like an e-mail address. It is kept as typed."
NOT_NEEDED = "not needed"


def format_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def _check_state(value: object) -> bool:
    raw = getattr(value, "value", value)
    if not isinstance(raw, (int, float, str)):
        return bool(value)
    try:
        return int(raw) == Qt.CheckState.Checked.value
    except ValueError:
        return bool(value)


class InviteeTableModel(QAbstractTableModel):
    """One row per invitee; the attendance column shows the meeting chosen by set_meeting()."""

    (
        NAME,
        ORGANISATION,
        JOB_TITLE,
        CATEGORY,
        ROLE,
        STATUS,
        ATTENDANCE,
        Q_ENGAGED,
        Q_WORKS_IN_CONTEXT,
        Q_CAN_CHANGE,
        Q_YOUTH_VOICE,
        INVITED_ON,
        PREPARED_ON,
        ISA_SIGNED,
        EMAIL,
        PHONE,
        NOTES,
    ) = range(17)
    COLUMN_COUNT = 17

    #: column -> InviteeRecord field (ATTENDANCE_KEY for the attendance column)
    FIELDS: dict[int, str] = {
        NAME: "name",
        ORGANISATION: "organisation",
        JOB_TITLE: "job_title",
        CATEGORY: "category",
        ROLE: "role",
        STATUS: "status",
        Q_ENGAGED: "q_engaged",
        Q_WORKS_IN_CONTEXT: "q_works_in_context",
        Q_CAN_CHANGE: "q_can_change",
        Q_YOUTH_VOICE: "q_youth_voice",
        INVITED_ON: "invited_on",
        PREPARED_ON: "prepared_on",
        ISA_SIGNED: "isa_signed",
        ATTENDANCE: ATTENDANCE_KEY,
        EMAIL: "email",
        PHONE: "phone",
        NOTES: "notes",
    }
    #: column -> (header text, header tooltip)
    HEADERS: dict[int, tuple[str, str]] = {
        NAME: ("Name", "Name of the invitee (stays in view when the table scrolls sideways)"),
        ORGANISATION: ("Organisation", "Organisation, team or group"),
        JOB_TITLE: ("Job title", "Their job, e.g. safer neighbourhoods sergeant"),
        CATEGORY: (
            "Agency",
            "Agency category: one of the suggested agencies (any case or plural) or your own words",
        ),
        ROLE: (
            "Role at the\nmeeting",
            "Their part at the meeting: chair, lead practitioner, place manager, partner… "
            "(their job goes in Job title)",
        ),
        STATUS: ("Status", "Invitation status: to invite, invited, confirmed or declined"),
        ATTENDANCE: ("Attendance", "Attendance at the meeting chosen above the table"),
        Q_ENGAGED: (
            "Engaged in\nassessment",
            f"Why invite them, question 1: {vocab.INVITE_QUESTIONS['engaged']}?",
        ),
        Q_WORKS_IN_CONTEXT: (
            "Works in\nthe context",
            f"Why invite them, question 2: {vocab.INVITE_QUESTIONS['works_in_context']}?",
        ),
        Q_CAN_CHANGE: (
            "Can make\nchanges",
            f"Why invite them, question 3: {vocab.INVITE_QUESTIONS['can_change']}?",
        ),
        Q_YOUTH_VOICE: (
            "Voice of\nyoung people",
            f"Why invite them, question 4: {vocab.INVITE_QUESTIONS['youth_voice']}?",
        ),
        INVITED_ON: ("Invited on", "Date the invitation was sent"),
        PREPARED_ON: ("Prepared on", "Date they were met beforehand to prepare"),
        ISA_SIGNED: (
            "Agreement\nsigned",
            "Information-sharing agreement signed; statutory agencies and those who declined "
            "show “not needed”",
        ),
        EMAIL: ("E-mail", "E-mail address"),
        PHONE: ("Phone", "Phone number"),
        NOTES: ("Notes", "Notes"),
    }
    FLAG_COLUMNS = frozenset(
        {Q_ENGAGED, Q_WORKS_IN_CONTEXT, Q_CAN_CHANGE, Q_YOUTH_VOICE, ISA_SIGNED}
    )
    DATE_COLUMNS = frozenset({INVITED_ON, PREPARED_ON})

    #: A plain sentence for the status bar when an edit could not be stored.
    error = Signal(str)
    #: Emitted after anything was stored (edit, add, remove, undo, redo).
    stored = Signal()

    def __init__(
        self, db: Database, undo_stack: QUndoStack | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.conference_id: int | None = None
        self.meeting_id: int | None = None
        self.meeting_label = ""
        self.meeting_short = ""
        self._rows: list[InviteeRecord] = []
        self._warning_icon: QIcon | None = None

    # --- loading ------------------------------------------------------------------------------

    def load(self, conference_id: int | None) -> None:
        """Show the invitees of a conference (or none), read afresh from the database."""
        self.beginResetModel()
        self.conference_id = conference_id
        self._rows = [] if conference_id is None else core.list_invitees(self.db, conference_id)
        self.endResetModel()

    def set_meeting(self, meeting_id: int | None, label: str = "", short: str = "") -> None:
        """Choose the meeting whose attendance the attendance column shows and edits; `label`
        names it in the header's tooltip, `short` (e.g. "Review") on the header's second line."""
        self.meeting_id = meeting_id
        self.meeting_label = label
        self.meeting_short = short
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.ATTENDANCE, self.ATTENDANCE)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.ATTENDANCE), self.index(len(self._rows) - 1, self.ATTENDANCE)
            )

    def records(self) -> list[InviteeRecord]:
        return list(self._rows)

    def record(self, row: int) -> InviteeRecord:
        return self._rows[row]

    def row_of(self, invitee_id: int) -> int | None:
        for row, record in enumerate(self._rows):
            if record.id == invitee_id:
                return row
        return None

    # --- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if section not in self.HEADERS:
            return None
        text, tip = self.HEADERS[section]
        if section == self.ATTENDANCE:
            tip = f"Attendance at {self.meeting_label}" if self.meeting_id else "No meeting chosen"
            if self.meeting_short:
                text = f"{text}\n{self.meeting_short}"
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if column == self.ISA_SIGNED and self._agreement_not_needed(self._rows[index.row()]):
            return base
        if column in self.FLAG_COLUMNS:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if column == self.ATTENDANCE and self.meeting_id is None:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(record, column)
        if role == Qt.ItemDataRole.CheckStateRole and column in self.FLAG_COLUMNS:
            if column == self.ISA_SIGNED and self._agreement_not_needed(record):
                return None
            checked = getattr(record, self.FIELDS[column])
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return self._sort_key(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role in (Qt.ItemDataRole.DecorationRole,) and self._email_flagged(record, column):
            return self._warning()
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and self._email_flagged(
            record, column
        ):
            return INVALID_EMAIL_TIP
        if role == Qt.ItemDataRole.ForegroundRole and record.status == "declined":
            app = QApplication.instance()
            if isinstance(app, QApplication):
                return app.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def setData(
        self,
        index: Index,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        column = index.column()
        if column in self.FLAG_COLUMNS:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = _check_state(value)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        record = self._rows[index.row()]
        return self.change(record.id, self.FIELDS[column], value)

    # --- undoable operations ------------------------------------------------------------------

    def change(self, invitee_id: int, field: str, value: object) -> bool:
        """Store one changed value (a field name, or ATTENDANCE_KEY for the shown meeting) and
        push it on the undo stack. False, with `error` emitted, if it could not be stored."""
        row = self.row_of(invitee_id)
        if row is None:
            return False
        record = self._rows[row]
        key: Key = field
        new: object
        try:
            if field == ATTENDANCE_KEY:
                if self.meeting_id is None:
                    return False
                key = (ATTENDANCE_KEY, self.meeting_id)
                new = "" if value is None else str(value)
            else:
                new = core.clean_field(field, value)
                if field == "name" and not new:
                    raise UserError("An invitee needs a name.")
            old = _value_of(record, key)
            if new == old:
                return True
            stored = self.write(record.id, key, new)
        except UserError as exc:
            self.error.emit(str(exc))
            return False
        what = _describe(key)
        self.undo_stack.push(
            EditCommand(
                self, record.id, key, old, _value_of(stored, key), f"{what} for {record.name}"
            )
        )
        return True

    def change_many(self, invitee_ids: Iterable[int], field: str, value: object) -> bool:
        """Give several invitees the same value (a field, or ATTENDANCE_KEY for the meeting
        shown) in one transaction, pushed as ONE undo step. False, with `error`, if refused."""
        records = [self._rows[r] for i in invitee_ids if (r := self.row_of(i)) is not None]
        if not records:
            return False
        key: Key = field
        if field == ATTENDANCE_KEY:
            if self.meeting_id is None:
                self.error.emit("Choose a meeting above the table first.")
                return False
            key = (ATTENDANCE_KEY, self.meeting_id)
        old = {r.id: _value_of(r, key) for r in records}
        try:
            stored = self.write_many(key, dict.fromkeys(old, value))
        except UserError as exc:
            self.error.emit(str(exc))
            return False
        new = {r.id: _value_of(r, key) for r in stored}
        if new == old:
            return True
        what = _describe(key)
        self.undo_stack.push(BulkCommand(self, key, old, new, f"{what} for {_names(stored)}"))
        return True

    def add_invitee(self, name: str = "New invitee") -> int | None:
        """Add an invitee at the end (undoable); returns its row, or None if it was refused."""
        if self.conference_id is None:
            return None
        try:
            record = core.add_invitee(self.db, self.conference_id, name=name)
        except UserError as exc:
            self.error.emit(str(exc))
            return None
        self._insert(record)
        self.undo_stack.push(RowsCommand(self, [record], f"Add {record.name}", added=True))
        return self.row_of(record.id)

    def adopt_added(self, records: Sequence[InviteeRecord], text: str) -> None:
        """Show invitees the core has just added together (an import, the address book) and
        make their addition one undo step called `text`."""
        if not records:
            return
        self._insert_many(records)
        self.undo_stack.push(RowsCommand(self, list(records), text, added=True))

    def remove_invitees(self, invitee_ids: Iterable[int]) -> list[InviteeRecord]:
        """Remove invitees (undoable, as one step); returns what was removed."""
        try:
            snapshots = self.delete_many(list(invitee_ids))
        except UserError as exc:
            self._report(exc)
            return []
        if snapshots:
            names = _names(snapshots)
            self.undo_stack.push(RowsCommand(self, snapshots, f"Remove {names}", added=False))
        return snapshots

    # --- what commands call -------------------------------------------------------------------

    def write(self, invitee_id: int, key: Key, value: object) -> InviteeRecord:
        if isinstance(key, tuple):
            stored = core.set_attendance(self.db, invitee_id, key[1], str(value))
        else:
            stored = core.update_invitee(self.db, invitee_id, **{key: value})
        row = self.row_of(stored.id)
        if row is not None:
            self._rows[row] = stored
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))
        self.stored.emit()
        return stored

    def write_many(self, key: Key, values: dict[int, object]) -> list[InviteeRecord]:
        """Store a value for each of several invitees in one transaction."""
        if isinstance(key, tuple):
            states = {i: "" if v is None else str(v) for i, v in values.items()}
            stored = core.set_attendances(self.db, key[1], states)
        else:
            stored = core.update_invitees(self.db, {i: {key: v} for i, v in values.items()})
        rows = []
        for record in stored:
            row = self.row_of(record.id)
            if row is not None:
                self._rows[row] = record
                rows.append(row)
        if rows:
            last = self.COLUMN_COUNT - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))
        self.stored.emit()
        return stored

    def _insert(self, record: InviteeRecord) -> None:
        self._insert_many([record])

    def _insert_many(self, records: Sequence[InviteeRecord]) -> None:
        """Show stored invitees at their positions. Neighbouring rows go in as one block, so an
        import of thousands is one insertion (and one coverage update), not thousands."""
        ordered = sorted(records, key=lambda r: r.position)
        start = 0
        while start < len(ordered):
            end = start + 1
            while end < len(ordered) and ordered[end].position == ordered[end - 1].position + 1:
                end += 1
            row = max(0, min(ordered[start].position, len(self._rows)))
            self.beginInsertRows(QModelIndex(), row, row + end - start - 1)
            self._rows[row:row] = ordered[start:end]
            self.endInsertRows()
            start = end
        self.stored.emit()

    def delete_many(self, invitee_ids: Sequence[int]) -> list[InviteeRecord]:
        """Remove invitees in one transaction; their snapshots, in the order given."""
        snapshots = core.delete_invitees(self.db, list(invitee_ids))
        gone = {s.id for s in snapshots}
        rows = [r for r, record in enumerate(self._rows) if record.id in gone]
        while rows:  # from the bottom, one block of neighbouring rows at a time
            last = rows.pop()
            first = last
            while rows and rows[-1] == first - 1:
                first = rows.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        self.stored.emit()
        return snapshots

    def restore_many(self, snapshots: Sequence[InviteeRecord]) -> list[InviteeRecord]:
        records = core.restore_invitees(self.db, snapshots)
        self._insert_many(records)
        return records

    def report(self, message: str) -> None:
        """Say what went wrong, in the status bar (the `error` signal)."""
        self.error.emit(message)

    def resync(self) -> None:
        """Read the list again from the database."""
        self.load(self.conference_id)

    def _report(self, exc: UserError) -> None:
        """A removal failed (the list was changed elsewhere): say so and show the truth."""
        self.report(str(exc))
        self.resync()

    # --- cell contents ------------------------------------------------------------------------

    @staticmethod
    def _agreement_not_needed(record: InviteeRecord) -> bool:
        """No agreement signed and none needed (core.agreement_needed): "not needed", no box."""
        return not record.isa_signed and not core.agreement_needed(record)

    def _display(self, record: InviteeRecord, column: int) -> str | None:
        if column == self.ISA_SIGNED and self._agreement_not_needed(record):
            return NOT_NEEDED
        if column in self.FLAG_COLUMNS:
            return None
        if column == self.STATUS:
            return vocab.label(vocab.INVITEE_STATUSES, record.status)
        if column in self.DATE_COLUMNS:
            return format_date(getattr(record, self.FIELDS[column]))
        if column == self.ATTENDANCE:
            state = record.attendance.get(self.meeting_id, "") if self.meeting_id else ""
            return vocab.ATTENDANCE[state] if state and state in vocab.ATTENDANCE else ""
        if column == self.NOTES:
            notes = " / ".join(line for line in record.notes.split("\n") if line.strip())
            return shortened(notes, DISPLAY_LIMIT)
        return shortened(getattr(record, self.FIELDS[column]), DISPLAY_LIMIT)

    def _edit_value(self, record: InviteeRecord, column: int) -> object:
        if column in self.FLAG_COLUMNS:
            return getattr(record, self.FIELDS[column])
        if column in self.DATE_COLUMNS:
            value = getattr(record, self.FIELDS[column])
            return value.isoformat() if value else ""
        if column == self.ATTENDANCE:
            return record.attendance.get(self.meeting_id, "") if self.meeting_id else ""
        return getattr(record, self.FIELDS[column])

    def _sort_key(self, record: InviteeRecord, column: int) -> object:
        if column == self.ISA_SIGNED and self._agreement_not_needed(record):
            return 2  # after the unsigned and the signed
        if column in self.FLAG_COLUMNS:
            return int(getattr(record, self.FIELDS[column]))
        if column in self.DATE_COLUMNS:
            value = getattr(record, self.FIELDS[column])
            return value.isoformat() if value else "9999"
        if column == self.STATUS:
            return (
                list(vocab.INVITEE_STATUSES).index(record.status)
                if (record.status in vocab.INVITEE_STATUSES)
                else len(vocab.INVITEE_STATUSES)
            )
        if column == self.ATTENDANCE:
            state = self._edit_value(record, column)
            return list(vocab.ATTENDANCE).index(state) if state in vocab.ATTENDANCE else 0
        text = str(self._edit_value(record, column))
        # One string, since Qt compares the sort role's values itself; empty cells last.
        return "\x00".join(sort_key(text)) if text else "\uffff"

    def _tooltip(self, record: InviteeRecord, column: int) -> str | None:
        if self._email_flagged(record, column):
            return INVALID_EMAIL_TIP
        if column == self.ISA_SIGNED and self._agreement_not_needed(record):
            why = "they declined" if record.status == "declined" else "a statutory agency"
            return f"No information-sharing agreement needed: {why}."
        if column in self.FLAG_COLUMNS:
            answer = "Yes" if getattr(record, self.FIELDS[column]) else "No"
            return f"{_FLAG_WORDS[self.FIELDS[column]]}: {answer}"
        if column in (
            self.NAME,
            self.ORGANISATION,
            self.JOB_TITLE,
            self.NOTES,
            self.ROLE,
            self.CATEGORY,
        ):
            text = getattr(record, self.FIELDS[column])
            return shortened(text, TOOLTIP_LIMIT) or None
        return None

    def _email_flagged(self, record: InviteeRecord, column: int) -> bool:
        return column == self.EMAIL and bool(record.email) and not core.is_valid_email(record.email)

    def _warning(self) -> QIcon:
        if self._warning_icon is None:
            style = QApplication.style()
            self._warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning_icon


def _value_of(record: InviteeRecord, key: Key) -> object:
    if isinstance(key, tuple):
        return record.attendance.get(key[1], "")
    return getattr(record, key)


_FIELD_WORDS = {
    "name": "name",
    "organisation": "organisation",
    "job_title": "job title",
    "category": "agency category",
    "role": "role",
    "email": "e-mail",
    "phone": "phone",
    "status": "status",
    "invited_on": "invitation date",
    "prepared_on": "preparation date",
    "isa_signed": "information-sharing agreement",
    "notes": "notes",
    **{f: "“" + vocab.INVITE_QUESTIONS[q] + "”" for q, f in core.QUESTION_FIELDS.items()},
}


#: What each tick box answers, for its cell's tooltip.
_FLAG_WORDS = {
    **{f: vocab.INVITE_QUESTIONS[q] for q, f in core.QUESTION_FIELDS.items()},
    "isa_signed": "Information-sharing agreement signed",
}


def _describe(key: Key) -> str:
    if isinstance(key, tuple):
        return "Change attendance"
    return f"Change {_FIELD_WORDS.get(key, key)}"


def _names(records: list[InviteeRecord]) -> str:
    if len(records) == 1:
        return records[0].name
    return f"{len(records)} invitees"


class InviteeFilterProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; filters by a search text (name, organisation, category or role) and
    a status. A row just added stays visible until the filter changes (see reveal)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._needle = ""
        self._status = ""
        self._revealed: set[int] = set()
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self._change_filter(needle=text.strip().casefold())

    def set_status(self, status: str) -> None:
        """Show only invitees with this vocab.INVITEE_STATUSES key ("" shows every status)."""
        self._change_filter(status=status)

    def reveal(self, invitee_id: int) -> None:
        """Keep one invitee visible whatever the filter (a row being added and named)."""
        self.beginFilterChange()
        self._revealed = {invitee_id}
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _change_filter(self, *, needle: str | None = None, status: str | None = None) -> None:
        self.beginFilterChange()
        if needle is not None:
            self._needle = needle
        if status is not None:
            self._status = status
        self._revealed.clear()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, InviteeTableModel) or source_row >= model.rowCount():
            return True
        record = model.record(source_row)
        if record.id in self._revealed:
            return True
        if self._status and record.status != self._status:
            return False
        if not self._needle:
            return True
        haystack = (
            record.name,
            record.organisation,
            record.job_title,
            record.category,
            record.role,
        )
        return any(self._needle in text.casefold() for text in haystack)
