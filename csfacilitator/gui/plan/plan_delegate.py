"""How the plan tree looks and is edited: cell editors, the delegate that paints and sizes
rows (with the "from the board" and priority tags), and the tree view itself."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QCompleter,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.core.dates import parse_user_date
from csfacilitator.errors import UserError
from csfacilitator.gui.plan.plan_model import (
    BOARD_ROLE,
    COL_AGENCY,
    COL_DUE,
    COL_STATUS,
    COL_TEXT,
    COL_TIMESCALE,
    HEADERS,
    KIND_ROLE,
    NEED,
    PENDING_ROLE,
    PRIORITY_ROLE,
)
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.gui.widgets.type_to_edit import paint_current_cell

BOARD_TAG = "from the board"
TAG_MAX_WIDTH = 280  # a long priority is elided; the tooltip has all of it
TAG_GAP = 8


def row_tag(index) -> tuple[str, str] | None:
    """(text, colour) of the tag painted at the right of a row's first cell, if any."""
    if index.column() != COL_TEXT:
        return None
    if index.data(KIND_ROLE) == NEED:
        priority = index.data(PRIORITY_ROLE)
        return (f"Priority: {priority}", "#6b4c9a") if priority else None
    if index.data(BOARD_ROLE) is not None:
        return (BOARD_TAG, "#1f4e79")
    return None


def tag_width(metrics: QFontMetrics, text: str) -> int:
    return min(metrics.horizontalAdvance(text) + 14, TAG_MAX_WIDTH)


def paint_tag(painter: QPainter, rect: QRect, text: str, colour: str, selected: bool) -> None:
    """A small rounded label: `colour` on a pale tint, or white on the selection colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = QColor(colour)
    if selected:
        painter.setPen(QPen(QColor("white"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        tint = QColor(base)
        tint.setAlpha(28)
        painter.setPen(QPen(base, 1))
        painter.setBrush(tint)
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
    painter.setPen(QColor("white") if selected else base)
    shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 12)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, shown)
    painter.restore()


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
        self._row.addWidget(self.clear_button)

    def text(self) -> str:
        return self.edit.text()

    def _clear(self) -> None:
        self.edit.clear()
        self.cleared.emit()


def _is_date(text: str) -> bool:
    try:
        parse_user_date(text)
    except UserError:
        return False
    return True


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
            editor.picked.connect(lambda _d, e=editor: self._commit_and_close(e))
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
        if editor.property("closing"):
            return  # closed already (Enter, then the focus-out that closing causes)
        editor.setProperty("closing", True)
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
                if isinstance(editor, DueDateEditor) and not _is_date(editor.text()):
                    editor.edit.editingFinished.emit()  # marks the field and says why
                    return True  # what was typed stays, to be put right
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
                editor.setProperty("closing", True)
                self.closeEditor.emit(editor, hint.RevertModelCache)
                return True
        elif event.type() == QEvent.Type.FocusOut and event.reason() not in (
            Qt.FocusReason.PopupFocusReason,  # its calendar
            Qt.FocusReason.ActiveWindowFocusReason,  # another window for a moment
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

    def paint(self, painter, option, index) -> None:
        self._paint_cell(painter, option, index)
        paint_current_cell(painter, option.rect, self.view, index)

    def _paint_cell(self, painter, option, index) -> None:
        tag = row_tag(index)
        if tag is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        metrics = QFontMetrics(opt.font)
        width = tag_width(metrics, tag[0])
        # The row's background and selection across the whole cell, the text beside the tag.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        text_opt = QStyleOptionViewItem(opt)
        text_opt.rect = opt.rect.adjusted(0, 0, -(width + TAG_GAP), 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_opt, painter, widget)
        height = metrics.height() + 4
        top = opt.rect.top() + max(2, (opt.rect.height() - height) // 2)
        rect = QRect(opt.rect.right() - width - 4, top, width, height)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        paint_tag(painter, rect, tag[0], tag[1], selected)
        painter.restore()

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
        tag = row_tag(index)
        if tag is not None:
            width -= tag_width(opt.fontMetrics, tag[0]) + TAG_GAP + 4
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
