"""'Check before sharing': board points that may hold personal details, each one a step away
from being edited. It warns and never blocks; the keep-out names can be edited here too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.core.privacy_guard import GuardMatch
from csfacilitator.core.textclean import shortened
from csfacilitator.gui.board.column_model import PointNode
from csfacilitator.gui.widgets.fold import Fold

TITLE = "Check before sharing"
EXPLANATION = "These points may hold personal details: reword them before sharing."
EXPLANATION_MORE = (
    "The board is about the place, not individuals. Points are flagged when they look like a "
    "phone number, e-mail address, postcode or date of birth, or use a name on the keep-out "
    "list. This only warns: you decide."
)
PREVIEW = 90


class NamesDialog(QDialog):
    """Edit the conference's names to keep out (one per line)."""

    def __init__(self, names: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Names to keep out")
        label = QLabel(
            "Names of young people, family members or anyone else who must not appear on the "
            "board, one per line. Points that mention them are flagged.",
            self,
        )
        label.setWordWrap(True)
        self.editor = QPlainTextEdit(names, self)
        self.editor.setAccessibleName("Names to keep out")
        label.setBuddy(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(420, 320)

    def names(self) -> str:
        return self.editor.toPlainText()


class GuardPanel(Fold):
    #: Show this point (by handle) in its column and start editing it.
    go_to = Signal(int)
    names_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(TITLE, "board/check_before_sharing_open", parent)
        self.setObjectName("guardPanel")
        self.setAccessibleName(TITLE)
        body = self.body
        note = QLabel(EXPLANATION, body)
        note.setWordWrap(True)
        note.setObjectName("panelNote")
        note.setToolTip(EXPLANATION_MORE)
        self.list = QListWidget(body)
        self.list.setAccessibleName(TITLE)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.empty = QLabel("Nothing to check: no point looks like a personal detail.", body)
        self.empty.setObjectName("panelNote")
        self.edit_button = QPushButton("Go to point", body)
        self.edit_button.setAccessibleName("Go to point")
        self.edit_button.setToolTip("Show the selected point in its column and edit it (Enter)")
        self.edit_button.clicked.connect(self._go_to_current)
        self.names_button = QPushButton("Names to keep out…", body)
        self.names_button.setAccessibleName("Names to keep out")
        self.names_button.setToolTip(
            "Names that must not appear on the board; points using them are flagged"
        )
        self.names_button.clicked.connect(self.names_requested)
        self.list.setMinimumHeight(48)
        top = QHBoxLayout()
        top.addWidget(note, 1)
        top.addWidget(self.names_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)
        self.set_flags([])

    def set_flags(self, flagged: list[tuple[PointNode, str, list[GuardMatch]]]) -> None:
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.list.clear()
        for node, column, matches in flagged:
            kinds = ", ".join(dict.fromkeys(f"{m.label.lower()} “{m.matched}”" for m in matches))
            text = shortened(node.text, PREVIEW)
            heading = vocab.BOARD_COLUMNS[column]
            item = QListWidgetItem(f"{text}\n    {heading} · may hold a {kinds}")
            item.setData(Qt.ItemDataRole.UserRole, node.handle)
            item.setToolTip(node.text[:1000])
            self.list.addItem(item)
            if node.handle == keep:
                self.list.setCurrentItem(item)
        count = len(flagged)
        self.setTitle(f"{TITLE} ({count})" if count else TITLE)
        self.set_summary(
            f"⚠ {count} point{'s' if count != 1 else ''} may hold personal details"
            if count
            else "nothing to check"
        )
        self.list.setVisible(bool(count))
        self.empty.setVisible(not count)
        self._update_buttons()

    def count(self) -> int:
        return self.list.count()

    def handles(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.list.count() > 0)

    def _activated(self, item: QListWidgetItem) -> None:
        self.go_to.emit(item.data(Qt.ItemDataRole.UserRole))

    def _go_to_current(self) -> None:
        item = self.list.currentItem() or self.list.item(0)
        if item is not None:
            self.go_to.emit(item.data(Qt.ItemDataRole.UserRole))
