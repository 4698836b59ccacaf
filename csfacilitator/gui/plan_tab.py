"""The Action plan tab: the intervention plan (Appendix B of the guidance) edited in a tree.

Needs are the top rows, their interventions below. Every finished cell edit is committed at
once and pushed on the tab's undo stack; adding, removing and moving rows are undoable too.
Commands refer to rows through small `_Ref` handles rather than raw ids, because a row that
is removed and restored gets a new id when another row has taken the old one meanwhile.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPainter, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import plan, vocab
from csfacilitator.core.dates import format_date, parse_user_date
from csfacilitator.core.plan import InterventionRecord, NeedRecord, PlanHeader
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.plan_model import (
    COL_AGENCY,
    COL_DUE,
    COL_OWNER,
    COL_STATUS,
    COL_TEXT,
    COL_TIMESCALE,
    HEADERS,
    ID_ROLE,
    INTERVENTION,
    KIND_ROLE,
    NEED,
    PENDING_ROLE,
    InterventionNode,
    NeedNode,
    PlanModel,
    PlanNode,
    muted_foreground,
    overdue_foreground,
)
from csfacilitator.gui.widgets.date_field import DateField

# Plain strings: a QKeySequence must not be built before the application exists.
ADD_NEED_KEYS = "Ctrl+Shift+Ins"
ADD_INTERVENTION_KEYS = "Ins"
REMOVE_KEYS = "Del"
MOVE_UP_KEYS = "Alt+Up"
MOVE_DOWN_KEYS = "Alt+Down"

FIELD_WORDS = {
    "text": "wording",
    "agency": "agency / team",
    "owner": "owner",
    "timescale": "timescale",
    "due_date": "due date",
    "status": "status",
}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _keys(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


# --- editors ---------------------------------------------------------------------------------


def text_editor_height(metrics) -> int:
    """Room for four lines of wording while a need or intervention is being written."""
    return metrics.lineSpacing() * 4 + 12


class TextCellEditor(QPlainTextEdit):
    """The wording of a need or intervention: Enter saves, Shift+Enter starts a new line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)


class DueDateEditor(DateField):
    """The due-date cell editor: the app's date field (typed UK dates or a calendar) with a
    Clear button; empty text means no due date."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Due")
        self.edit.setPlaceholderText("No due date")
        self.edit.setToolTip("Type a date such as 5 Nov 2026 or 05/11/2026; leave empty for none")
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setAccessibleName("Clear")
        self.clear_button.setToolTip("Remove the due date")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(self._clear)
        self.layout().addWidget(self.clear_button)

    def text(self) -> str:
        return self.edit.text()

    def _clear(self) -> None:
        self.edit.clear()
        self.cleared.emit()


class PlanDelegate(QStyledItemDelegate):
    """Editors for each column and word-wrapped row heights that follow the column widths."""

    #: Why an edit could not be taken as typed (for the status bar).
    message = Signal(str)

    def __init__(self, view: QTreeView, agencies=None):
        super().__init__(view)
        self.view = view
        self.agencies = agencies or (lambda: list(vocab.AGENCY_CATEGORIES))

    # editors

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        column = index.column()
        if column == COL_TEXT:
            editor = TextCellEditor(parent)
            if index.data(KIND_ROLE) == NEED:
                editor.setAccessibleName("Identified need or problem")
                editor.setPlaceholderText(
                    "Identified need or problem (Enter saves, Shift+Enter starts a new line)"
                )
            else:
                editor.setAccessibleName("Intervention")
                editor.setPlaceholderText(
                    "Intervention to be offered (Enter saves, Tab moves on to the agency)"
                )
            return editor
        if column == COL_STATUS:
            combo = QComboBox(parent)
            combo.setAccessibleName("Status")
            for key, label in vocab.ACTION_STATUSES.items():
                combo.addItem(label, key)
            combo.activated.connect(lambda _i, c=combo: self._commit_and_close(c))
            QTimer.singleShot(0, combo, combo.showPopup)
            return combo
        if column == COL_DUE:
            editor = DueDateEditor(parent)
            editor.cleared.connect(lambda e=editor: self._commit_and_close(e))
            editor.calendar.clicked.connect(lambda _d, e=editor: self._commit_and_close(e))
            editor.calendar.activated.connect(lambda _d, e=editor: self._commit_and_close(e))
            editor.invalid.connect(self.message)
            editor.edit.installEventFilter(self)
            return editor
        editor = QLineEdit(parent)
        editor.setAccessibleName(HEADERS[column])
        if column == COL_AGENCY:
            completer = QCompleter(self.agencies(), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        elif column == COL_TIMESCALE:
            editor.setPlaceholderText("e.g. Annually, by half term")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, TextCellEditor):
            editor.setPlainText(value or "")
            editor.selectAll()
        elif isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, DueDateEditor):
            editor.set_value(value)
            editor.edit.selectAll()
        elif isinstance(editor, QLineEdit):
            editor.setText(value or "")
            editor.selectAll()

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt API
        if isinstance(editor, TextCellEditor):
            model.setData(index, editor.toPlainText())
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, DueDateEditor):
            model.setData(index, editor.text())  # parsed (and refused if wrong) by the core
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802 - Qt API
        rect = QRect(option.rect)
        viewport = self.view.viewport().rect()
        if isinstance(editor, TextCellEditor):
            if index.data(KIND_ROLE) == NEED:
                rect.setRight(viewport.right())
            height = text_editor_height(editor.fontMetrics())
            rect.setHeight(max(rect.height(), height))
            if rect.bottom() > viewport.bottom():
                rect.moveBottom(viewport.bottom())
        elif isinstance(editor, DueDateEditor):
            rect.setWidth(max(rect.width(), editor.sizeHint().width()))
            if rect.right() > viewport.right():
                rect.moveRight(viewport.right())
        editor.setGeometry(rect)

    def _commit_and_close(self, editor, hint=QAbstractItemDelegate.EndEditHint.NoHint) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        hint = QAbstractItemDelegate.EndEditHint
        editor = obj.parent() if isinstance(obj.parent(), DueDateEditor) else obj
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                # Along the row; the view's own Tab handling would go down the tree.
                forward = key == Qt.Key.Key_Tab
                self._commit_and_close(
                    editor, hint.EditNextItem if forward else hint.EditPreviousItem
                )
                return True
            if (
                isinstance(obj, TextCellEditor)
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            ):
                self._commit_and_close(obj, hint.SubmitModelCache)
                return True
        if editor is not obj:
            return self._due_editor_event(editor, event)
        return super().eventFilter(obj, event)

    def _due_editor_event(self, editor: DueDateEditor, event) -> bool:
        hint = QAbstractItemDelegate.EndEditHint
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                try:
                    parse_user_date(editor.text())
                except UserError:
                    editor.edit.editingFinished.emit()  # marks the field and says why
                    return True
                self._commit_and_close(editor, hint.SubmitModelCache)
                return True
            if key == Qt.Key.Key_Escape:
                self.closeEditor.emit(editor, hint.RevertModelCache)
                return True
        elif (
            event.type() == QEvent.Type.FocusOut
            and event.reason() != Qt.FocusReason.PopupFocusReason
        ):
            QTimer.singleShot(0, editor, lambda: self._close_if_left(editor))
        return False

    def _close_if_left(self, editor: DueDateEditor) -> None:
        if QApplication.activePopupWidget() is not None:
            return
        focus = QApplication.focusWidget()
        if focus is not None and (focus is editor or editor.isAncestorOf(focus)):
            return
        self._commit_and_close(editor)

    # display

    def initStyleOption(self, option, index):  # noqa: N802 - Qt API
        """Number the needs (here rather than in the model, whose rows must not change text
        when another row is inserted)."""
        super().initStyleOption(option, index)
        if index.column() == COL_TEXT and index.data(KIND_ROLE) == NEED and option.text:
            option.text = f"{index.row() + 1}.  {option.text}"

    # row heights

    def sizeHint(self, option, index):  # noqa: N802 - Qt API
        opt = QStyleOptionViewItem(option)
        view = self.view
        if index.column() == COL_TEXT:
            depth = 1 if index.data(KIND_ROLE) == NEED else 2
            if index.data(KIND_ROLE) == NEED:
                width = view.viewport().width()
            else:
                width = view.columnWidth(COL_TEXT)
            width -= view.indentation() * depth
        else:
            width = view.columnWidth(index.column())
        opt.rect = QRect(0, 0, max(width, 40), 1)
        size = super().sizeHint(opt, index)
        height = size.height() + 8
        if index.data(PENDING_ROLE):
            height = max(height, text_editor_height(opt.fontMetrics))  # nothing hidden under it
        return QSize(size.width(), height)


class PlanTreeView(QTreeView):
    """The plan tree: rows re-wrap when columns change width; a hint shows when it is empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.placeholder = ""
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self.scheduleDelayedItemsLayout)
        self.header().sectionResized.connect(lambda *_: self._relayout.start())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._relayout.start()

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt API
        """Tab moves along the row (agency, owner, timescale…), not down the tree."""
        step = {
            QAbstractItemDelegate.EndEditHint.EditNextItem: 1,
            QAbstractItemDelegate.EndEditHint.EditPreviousItem: -1,
        }.get(hint)
        if step is None:
            super().closeEditor(editor, hint)
            return
        current = self.currentIndex()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if not current.isValid():
            return
        column = current.column() + step
        while 0 <= column < len(HEADERS):
            target = current.siblingAtColumn(column)
            if target.flags() & Qt.ItemFlag.ItemIsEditable:
                self.setCurrentIndex(target)
                self.edit(target)
                return
            column += step

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            painter.end()


# --- header ----------------------------------------------------------------------------------


class FieldLabel(QLabel):
    """'Caption: value' on one line; a value too long for the width is elided (tooltip: all)."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        self.value = ""
        self.empty = "not set"
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(80)

    def set_value(self, value: str, *, empty: str = "not set", tooltip: str | None = None) -> None:
        self.value, self.empty = value, empty
        self.setToolTip(value if tooltip is None else tooltip)
        self.setAccessibleName(f"{self.caption}: {value or empty}")
        self._render()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        muted = muted_foreground().name()
        metrics = self.fontMetrics()
        room = self.width() - metrics.horizontalAdvance(f"{self.caption}:  ") - 4
        value = " ".join(self.value.split())
        if value:
            shown = html.escape(metrics.elidedText(value, Qt.TextElideMode.ElideRight, room))
        else:
            shown = f"<span style='color:{muted}'>{html.escape(self.empty)}</span>"
        caption = html.escape(self.caption)
        self.setText(f"<span style='color:{muted}'>{caption}:</span>&nbsp; {shown}")


class PlanHeaderPanel(QFrame):
    """The plan's header (read-only here: it comes from the conference's details)."""

    # (key, caption, row, column, column span) on a four-column grid
    FIELDS = (
        ("context", "Context", 0, 0, 2),
        ("assessment_period", "Assessment period", 0, 2, 2),
        ("pre_meeting_date", "Pre-meeting", 1, 0, 1),
        ("conference_date", "Conference", 1, 1, 1),
        ("review_date", "Review", 1, 2, 1),
        ("lead_practitioner", "Lead practitioner", 1, 3, 1),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Plan details")
        self.setToolTip("From the conference's details and attendance (change them there)")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 5, 10, 5)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        self.labels: dict[str, FieldLabel] = {}
        for key, caption, row, column, span in self.FIELDS:
            label = FieldLabel(caption, self)
            grid.addWidget(label, row, column, 1, span)
            self.labels[key] = label
        self.attendees = FieldLabel("Attendees", self)
        grid.addWidget(self.attendees, 2, 0, 1, 4)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        self.show_header(None)

    def show_header(self, header: PlanHeader | None) -> None:
        values: dict[str, str] = {}
        if header is not None:
            values = {
                "context": header.context,
                "assessment_period": header.assessment_period,
                "lead_practitioner": header.lead_practitioner,
                "pre_meeting_date": format_date(header.pre_meeting_date),
                "conference_date": format_date(header.conference_date),
                "review_date": format_date(header.review_date),
            }
        for key, *_rest in self.FIELDS:
            self.labels[key].set_value(values.get(key, ""))
        people = header.attendees if header else ()
        self.attendees.caption = f"Attendees ({len(people)})" if people else "Attendees"
        self.attendees.set_value(
            "; ".join(a.name or a.label for a in people),
            empty="none marked present at the conference yet",
            tooltip="\n".join(a.label for a in people),
        )


# --- undo commands ---------------------------------------------------------------------------


class _Ref:
    """A stable handle on one row for undo commands; its id follows the row if it changes."""

    __slots__ = ("kind", "id")

    def __init__(self, kind: str, record_id: int):
        self.kind = kind
        self.id = record_id


class _PlanCommand(QUndoCommand):
    """A change already made when pushed: the first redo() is skipped."""

    def __init__(self, tab: PlanTab, text: str):
        super().__init__(text)
        self.tab = tab
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self.apply, "redo")

    def undo(self) -> None:
        self._run(self.revert, "undo")

    def _run(self, step, verb: str) -> None:
        self.tab.autosave.flush()
        try:
            focus = step()
        except UserError as exc:
            self.setObsolete(True)
            self.tab.status_message.emit(f"Could not {verb} “{self.text()}”: {exc}")
            self.tab._reload_plan()
            return
        self.tab._after_command(focus)
        done = "Undone" if verb == "undo" else "Redone"
        self.tab.status_message.emit(f"{done}: {self.text()}")

    def apply(self):
        raise NotImplementedError

    def revert(self):
        raise NotImplementedError


class _RowPresence(_PlanCommand):
    """Adding a row and removing it are the same command run in opposite directions."""

    def __init__(self, tab: PlanTab, text: str, ref: _Ref, *, added: bool, snapshot=None):
        super().__init__(tab, text)
        self.ref = ref
        self.added = added
        self.snapshot = snapshot
        self.child_refs: list[_Ref] = []
        self.need_ref: _Ref | None = None

    def apply(self):
        return self._restore() if self.added else self._remove()

    def revert(self):
        return self._remove() if self.added else self._restore()

    def _remove(self):
        tab = self.tab
        if self.ref.kind == NEED:
            self.snapshot = plan.delete_need(tab.db, self.ref.id)
            self.child_refs = [
                tab._ref(INTERVENTION, i.intervention.id) for i in self.snapshot.interventions
            ]
            tab._forget(self.ref, *self.child_refs)
            return None
        record = self.snapshot.intervention if self.snapshot else None
        if self.need_ref is None:
            need_id = (
                record.need_id if record else plan.get_intervention(tab.db, self.ref.id).need_id
            )
            self.need_ref = tab._ref(NEED, need_id)
        self.snapshot = plan.delete_intervention(tab.db, self.ref.id)
        tab._forget(self.ref)
        return (NEED, self.need_ref.id)

    def _restore(self):
        tab = self.tab
        if self.ref.kind == NEED:
            record = plan.restore_need(tab.db, self.snapshot)
            tab._rebind(self.ref, record.id)
            ordered = sorted(self.snapshot.interventions, key=lambda i: i.intervention.position)
            by_old_id = {r.id: r for r in self.child_refs}
            for old, new in zip(ordered, record.interventions, strict=False):
                ref = by_old_id.get(old.intervention.id)
                if ref is not None:
                    tab._rebind(ref, new.id)
            return (NEED, record.id)
        snapshot = self.snapshot
        if self.need_ref is not None:
            moved = replace(snapshot.intervention, need_id=self.need_ref.id)
            snapshot = replace(snapshot, intervention=moved)
        record = plan.restore_intervention(tab.db, snapshot)
        tab._rebind(self.ref, record.id)
        return (INTERVENTION, record.id)


class _EditCommand(_PlanCommand):
    def __init__(self, tab: PlanTab, ref: _Ref, field: str, old: object, new: object):
        what = "need" if ref.kind == NEED and field == "text" else FIELD_WORDS.get(field, field)
        super().__init__(tab, f"Edit {what}")
        self.ref, self.field, self.old, self.new = ref, field, old, new

    def _set(self, value):
        if self.ref.kind == NEED:
            plan.update_need(self.tab.db, self.ref.id, value)
        else:
            plan.update_intervention(self.tab.db, self.ref.id, **{self.field: value})
        return (self.ref.kind, self.ref.id)

    def apply(self):
        return self._set(self.new)

    def revert(self):
        return self._set(self.old)


class _MoveCommand(_PlanCommand):
    def __init__(self, tab: PlanTab, ref: _Ref, old: int, new: int):
        direction = "up" if new < old else "down"
        super().__init__(tab, f"Move {'need' if ref.kind == NEED else 'intervention'} {direction}")
        self.ref, self.old, self.new = ref, old, new

    def _move(self, delta: int):
        mover = plan.move_need if self.ref.kind == NEED else plan.move_intervention
        mover(self.tab.db, self.ref.id, delta)
        return (self.ref.kind, self.ref.id)

    def apply(self):
        return self._move(self.new - self.old)

    def revert(self):
        return self._move(self.old - self.new)


# --- the tab ---------------------------------------------------------------------------------


class PlanTab(ConferenceTab):
    """Needs and interventions of the open conference, with the plan's header above."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.today = dt.date.today  # replaceable, for tests
        self._refs: dict[tuple[str, int], _Ref] = {}
        self._notes_ref: _Ref | None = None
        self._collapsed: set[int] = set()

        self.header_panel = PlanHeaderPanel(self)

        self.model = PlanModel(self)
        self.model.edit_handler = self._commit_edit
        self.tree = PlanTreeView(self)
        self.tree.setAccessibleName("Intervention plan")
        self.tree.setModel(self.model)
        self.delegate = PlanDelegate(self.tree, self._agency_suggestions)
        self.tree.setItemDelegate(self.delegate)
        self.delegate.closeEditor.connect(self._editor_closed)
        self.delegate.message.connect(self.status_message)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.placeholder = (
            "No needs in the plan yet.\nAdd the first identified need or problem with "
            f"“Add need” ({_keys(ADD_NEED_KEYS)}), then its interventions with "
            f"“Add intervention” ({_keys(ADD_INTERVENTION_KEYS)})."
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (COL_AGENCY, 180),
            (COL_OWNER, 130),
            (COL_TIMESCALE, 130),
            (COL_DUE, 118),
            (COL_STATUS, 130),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        header.setMinimumSectionSize(60)
        self.tree.collapsed.connect(lambda index: self._collapsed.add(index.data(ID_ROLE)))
        self.tree.expanded.connect(lambda index: self._collapsed.discard(index.data(ID_ROLE)))
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

        self._build_actions()
        toolbar = self._build_toolbar()
        notes_pane = self._build_notes_pane()

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(notes_pane)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([520, 100])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header_panel)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)

        self._update_actions()

    # --- building -------------------------------------------------------------------------

    def _action(self, label: str, keys: str, tip: str, slot) -> QAction:
        action = QAction(label, self.tree)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(f"{tip} ({_keys(keys)})")
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.add_need_action = self._action(
            "Add need", ADD_NEED_KEYS, "Add an identified need or problem", self.add_need
        )
        self.add_intervention_action = self._action(
            "Add intervention",
            ADD_INTERVENTION_KEYS,
            "Add an intervention to the selected need",
            self.add_intervention,
        )
        self.remove_action = self._action(
            "Remove", REMOVE_KEYS, "Remove the selected need or intervention", self.remove_current
        )
        self.move_up_action = self._action(
            "Move up", MOVE_UP_KEYS, "Move the selected row up", lambda: self.move_current(-1)
        )
        self.move_down_action = self._action(
            "Move down", MOVE_DOWN_KEYS, "Move the selected row down", lambda: self.move_current(1)
        )
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.buttons: dict[str, QToolButton] = {}
        for action in (
            self.add_need_action,
            self.add_intervention_action,
            self.remove_action,
            self.move_up_action,
            self.move_down_action,
        ):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text())
            button.setMinimumHeight(28)
            row.addWidget(button)
            self.buttons[action.text()] = button
            if action is self.remove_action:
                row.addSpacing(12)
        row.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Plan summary")
        row.addWidget(self.summary)
        return row

    def _build_notes_pane(self) -> QWidget:
        pane = QWidget(self)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        top = QHBoxLayout()
        self.notes_label = QLabel("&Progress notes", pane)
        font = self.notes_label.font()
        font.setBold(True)
        self.notes_label.setFont(font)
        self.notes_for = QLabel(pane)
        self.notes_for.setStyleSheet(f"color: {muted_foreground().name()};")
        self.notes_for.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.notes_label)
        top.addWidget(self.notes_for, 1)
        layout.addLayout(top)
        self.notes = QPlainTextEdit(pane)
        self.notes.setAccessibleName("Progress notes")
        self.notes.setTabChangesFocus(True)
        self.notes_label.setBuddy(self.notes)
        layout.addWidget(self.notes, 1)
        self.autosave.watch(self.notes, self._save_progress)
        return pane

    # --- loading --------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        self._refs.clear()
        self._collapsed.clear()
        super().set_conference(conference_id)

    def reload(self) -> None:
        header = None
        if self.conference_id is not None:
            try:
                header = plan.plan_header(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.header_panel.show_header(header)
        current = self._current_key()
        self._reload_plan(current)

    def _reload_plan(self, select: tuple[str, int] | None = None) -> None:
        """Re-read the plan (after an undo, a move or a reload) keeping selection and folding."""
        self.autosave.flush()
        needs: list[NeedRecord] = []
        if self.conference_id is not None:
            try:
                needs = plan.get_plan(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.model.set_plan(needs, self.today())
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            need_id = index.data(ID_ROLE)
            self.tree.setExpanded(index, need_id not in self._collapsed)
        target = self.model.find(*select) if select else QModelIndex()
        if not target.isValid() and self.model.rowCount():
            target = self.model.index(0, 0)
        if target.isValid():
            self._select(target)
        self._show_notes()
        self._update_summary()
        self._update_actions()

    def _select(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(COL_TEXT)
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    # --- refs ------------------------------------------------------------------------------

    def _ref(self, kind: str, record_id: int) -> _Ref:
        ref = self._refs.get((kind, record_id))
        if ref is None:
            ref = self._refs[(kind, record_id)] = _Ref(kind, record_id)
        return ref

    def _forget(self, *refs: _Ref) -> None:
        for ref in refs:
            if self._refs.get((ref.kind, ref.id)) is ref:
                del self._refs[(ref.kind, ref.id)]

    def _rebind(self, ref: _Ref, record_id: int) -> None:
        self._forget(ref)
        ref.id = record_id
        self._refs[(ref.kind, record_id)] = ref

    # --- current row -----------------------------------------------------------------------

    def _current_node(self) -> PlanNode | None:
        return self.model.node(self.tree.currentIndex())

    def _current_key(self) -> tuple[str, int] | None:
        node = self._current_node()
        if node is None or node.id is None:
            return None
        return (node.kind, node.id)

    def _current_changed(self, *_args) -> None:
        self._show_notes()
        self._update_actions()

    def _show_notes(self) -> None:
        self.autosave.flush()  # notes typed for the previous intervention go to it
        self.autosave.discard()
        node = self._current_node()
        record = node.record if isinstance(node, InterventionNode) else None
        self._notes_ref = self._ref(INTERVENTION, record.id) if record else None
        blocker_text = record.progress if record else ""
        self.notes.blockSignals(True)
        self.notes.setPlainText(blocker_text)
        self.notes.blockSignals(False)
        self.notes.setEnabled(record is not None)
        if record is not None:
            self.notes.setPlaceholderText(
                "What has happened so far: work done, what changed, what is still to do."
            )
            self.notes_for.setText(f"for “{_short(record.text, 110)}”")
        else:
            self.notes.setPlaceholderText("Select an intervention to record its progress.")
            self.notes_for.setText("")

    def _update_actions(self) -> None:
        has_conference = self.conference_id is not None
        node = self._current_node()
        self.add_need_action.setEnabled(has_conference)
        self.add_intervention_action.setEnabled(has_conference and self.model.need_count() > 0)
        selected = node is not None and node.id is not None
        self.remove_action.setEnabled(selected)
        self.move_up_action.setEnabled(selected)
        self.move_down_action.setEnabled(selected)
        self.tree.setEnabled(has_conference)

    def _update_summary(self) -> None:
        needs = self.model.needs()
        interventions = [i for n in needs for i in n.interventions]
        today = self.today()
        overdue = sum(1 for i in interventions if plan.is_overdue(i, today))
        done = sum(1 for i in interventions if i.status == "done")
        parts = [
            f"{len(needs)} need{'s' if len(needs) != 1 else ''}",
            f"{len(interventions)} intervention{'s' if len(interventions) != 1 else ''}",
            f"{done} done",
        ]
        plain = " · ".join(parts)
        shown = plain
        if overdue:
            plain += f" · {overdue} overdue"
            colour = overdue_foreground().name()
            shown += f" · <b style='color:{colour}'>{overdue} overdue</b>"
        if not needs:
            plain = shown = ""
        self.summary.setText(shown)
        self.summary.setAccessibleName(f"Plan summary: {plain or 'empty'}")

    # --- editing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Commit a cell being edited and any progress notes still being typed."""
        self._finish_cell_edit()
        super().flush()

    def _finish_cell_edit(self) -> None:
        if self.tree.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.tree.indexWidget(self.tree.currentIndex())
        if editor is not None:
            self.delegate.commitData.emit(editor)
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _editor_closed(self, *_args) -> None:
        if self.model.pending is not None:
            self.model.drop_pending()
            self._update_actions()

    def _commit_edit(self, node: PlanNode, field: str, value: object) -> bool:
        """Store one finished cell edit; called by the model. False keeps the old value."""
        if node.record is None:
            return self._commit_new_row(node, value)
        try:
            if isinstance(node, NeedNode):
                record = plan.update_need(self.db, node.id, value)
            else:
                record = plan.update_intervention(self.db, node.id, **{field: value})
        except UserError as exc:
            self.status_message.emit(str(exc))
            return False
        old, new = getattr(node.record, field), getattr(record, field)
        self.model.replace(node, record)
        if old != new:
            ref = self._ref(node.kind, record.id)
            self.undo_stack.push(_EditCommand(self, ref, field, old, new))
            self._changed()
            if field == "text" and node.kind == INTERVENTION:
                self._show_notes()
        return True

    def _commit_new_row(self, node: PlanNode, value: object) -> bool:
        if not clean_text(value).strip():
            return False  # nothing typed: the empty row is dropped when the editor closes
        row = self.model.index_of(node).row()
        try:
            if isinstance(node, NeedNode):
                record: NeedRecord | InterventionRecord = plan.add_need(
                    self.db, self.conference_id, value, position=row
                )
            else:
                record = plan.add_intervention(self.db, node.parent.id, value, position=row)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return False
        self.model.replace(node, record)
        if isinstance(node, NeedNode):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        ref = self._ref(node.kind, record.id)
        word = "need" if node.kind == NEED else "intervention"
        command = _RowPresence(self, f"Add {word}", ref, added=True)
        if isinstance(node, InterventionNode):
            command.need_ref = self._ref(NEED, node.parent.id)
        self.undo_stack.push(command)
        hint = f" — {_keys(ADD_INTERVENTION_KEYS)} adds its interventions" if word == "need" else ""
        self.status_message.emit(f"Added {word} “{_short(record.text)}”{hint}")
        self._changed()
        self._show_notes()
        return True

    def _save_progress(self, text: str) -> None:
        ref = self._notes_ref
        if ref is None:
            return
        record = plan.update_intervention(self.db, ref.id, progress=text)
        index = self.model.find(INTERVENTION, ref.id)
        node = self.model.node(index)
        if node is not None:
            self.model.replace(node, record)
        self.data_changed.emit()

    def _changed(self) -> None:
        self._update_summary()
        self._update_actions()
        self.data_changed.emit()

    def _after_command(self, focus: tuple[str, int] | None) -> None:
        self._reload_plan(focus or self._current_key())
        self.data_changed.emit()

    def _agency_suggestions(self) -> list[str]:
        seen = {a.casefold(): a for a in vocab.AGENCY_CATEGORIES}
        for need in self.model.needs():
            for item in need.interventions:
                if item.agency:
                    seen.setdefault(item.agency.casefold(), item.agency)
        return sorted(seen.values(), key=str.casefold)

    # --- actions ---------------------------------------------------------------------------

    def add_need(self) -> None:
        """Open an empty need row after the selected need (or at the end) to type into."""
        if self.conference_id is None:
            return
        self.flush()
        node = self._current_node()
        if node is None:
            row = self.model.need_count()
        else:
            need = node if isinstance(node, NeedNode) else node.parent
            row = self.model.index_of(need).row() + 1
        index = self.model.insert_pending_need(row)
        self.tree.setFirstColumnSpanned(index.row(), QModelIndex(), True)
        self._select(index)
        self.tree.setFocus()
        self.tree.edit(index)

    def add_intervention(self) -> None:
        """Open an empty intervention row under the selected need (after the selected one)."""
        if self.conference_id is None:
            return
        self.flush()
        node = self._current_node()
        if node is None and self.model.need_count():
            node = self.model.node(self.model.index(self.model.need_count() - 1, 0))
        if node is None:
            self.status_message.emit("Add a need first: interventions belong to a need.")
            return
        if isinstance(node, NeedNode):
            need, row = node, len(node.children)
        else:
            need, row = node.parent, self.model.index_of(node).row() + 1
        self.tree.setExpanded(self.model.index_of(need), True)
        index = self.model.insert_pending_intervention(need, row)
        self._select(index)
        self.tree.setFocus()
        self.tree.edit(index)

    def remove_current(self) -> None:
        self.flush()
        node = self._current_node()
        if node is None or node.id is None:
            return
        ref = self._ref(node.kind, node.id)
        command = _RowPresence(self, "", ref, added=False)
        try:
            focus = command.apply()
        except UserError as exc:
            self.status_message.emit(str(exc))
            self._reload_plan()
            return
        text = _short(node.record.text, 50)
        if isinstance(node, NeedNode):
            count = len(command.snapshot.interventions)
            extra = f" and its {count} intervention{'s' if count != 1 else ''}" if count else ""
            command.setText(f"Remove need “{_short(text, 30)}”")
            message = f"Removed need “{text}”{extra} — Ctrl+Z to undo"
            row = self.model.index_of(node).row()
            neighbour = self.model.index(
                row + 1 if row + 1 < self.model.need_count() else row - 1, 0
            )
            focus = (NEED, neighbour.data(ID_ROLE)) if neighbour.isValid() else None
        else:
            command.setText(f"Remove intervention “{_short(text, 30)}”")
            message = f"Removed intervention “{text}” — Ctrl+Z to undo"
            siblings = node.parent.children
            position = siblings.index(node)
            others = [c for c in siblings if c is not node and c.id is not None]
            if others:
                focus = (INTERVENTION, others[min(position, len(others) - 1)].id)
        self.undo_stack.push(command)
        self._reload_plan(focus)
        self.status_message.emit(message)
        self.data_changed.emit()

    def move_current(self, delta: int) -> None:
        self.flush()
        node = self._current_node()
        if node is None or node.id is None:
            return
        index = self.model.index_of(node)
        old = index.row()
        siblings = (
            self.model.need_count() if isinstance(node, NeedNode) else len(node.parent.children)
        )
        new = max(0, min(siblings - 1, old + delta))
        if new == old:
            self.status_message.emit(
                "Already at the top." if delta < 0 else "Already at the bottom."
            )
            return
        ref = self._ref(node.kind, node.id)
        command = _MoveCommand(self, ref, old, new)
        try:
            command.apply()
        except UserError as exc:
            self.status_message.emit(str(exc))
            self._reload_plan()
            return
        self.undo_stack.push(command)
        self._reload_plan((ref.kind, ref.id))
        self.data_changed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Undo and redo when no window-wide shortcut has claimed the keys first."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.flush()
            self.undo_stack.undo()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.flush()
            self.undo_stack.redo()
            event.accept()
            return
        super().keyPressEvent(event)
