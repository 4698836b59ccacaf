"""Below the plan tree: details of the selected row. For a need, the assessment priority it
answers; for an intervention, its running progress notes and its history at reviews."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.plan import InterventionRecord, NeedRecord, PriorityOption
from csfacilitator.core.reviews import HistoryEntry
from csfacilitator.core.textclean import one_line
from csfacilitator.gui.plan.intervention_history import HistoryView
from csfacilitator.gui.plan.plan_model import muted_foreground

NO_PRIORITY = "Not linked to a priority"


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _muted(label: QLabel) -> QLabel:
    label.setStyleSheet(f"color: {muted_foreground().name()};")
    return label


class PlanDetails(QStackedWidget):
    """One page per kind of row; the notes field is watched for autosave by the tab."""

    #: The user chose another priority for the need shown (an id, or None for none).
    priority_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Details of the selected row")
        self._need_id: int | None = None

        self.empty_page = QLabel(self)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_page.setWordWrap(True)
        _muted(self.empty_page)
        self.addWidget(self.empty_page)

        self.need_page = self._build_need_page()
        self.addWidget(self.need_page)
        self.intervention_page = self._build_intervention_page()
        self.addWidget(self.intervention_page)
        self.show_nothing("Select a need or an intervention to see its details.")

    # --- building --------------------------------------------------------------------------

    def _build_need_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        self.need_title = _bold(QLabel(page))
        self.need_title.setTextFormat(Qt.TextFormat.PlainText)
        self.need_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.need_title)
        row = QHBoxLayout()
        caption = QLabel("Assessment &priority:", page)
        self.priority_combo = QComboBox(page)
        self.priority_combo.setAccessibleName("Assessment priority")
        self.priority_combo.setMinimumContentsLength(40)
        self.priority_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.priority_combo.setToolTip(
            "Which of the assessment's priorities this need answers (chosen in the Assessment tab)"
        )
        caption.setBuddy(self.priority_combo)
        self.priority_combo.activated.connect(self._priority_activated)
        row.addWidget(caption)
        row.addWidget(self.priority_combo)
        row.addStretch(1)
        layout.addLayout(row)
        self.priority_hint = _muted(QLabel(page))
        self.priority_hint.setWordWrap(True)
        layout.addWidget(self.priority_hint)
        layout.addStretch(1)
        return page

    def _build_intervention_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Horizontal, self)
        page.setChildrenCollapsible(False)

        notes_pane = QWidget(page)
        layout = QVBoxLayout(notes_pane)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        top = QHBoxLayout()
        self.notes_label = _bold(QLabel("&Progress notes", notes_pane))
        self.notes_for = _muted(QLabel(notes_pane))
        self.notes_for.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_for.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.notes_label)
        top.addWidget(self.notes_for, 1)
        layout.addLayout(top)
        self.notes = QPlainTextEdit(notes_pane)
        self.notes.setAccessibleName("Progress notes")
        self.notes.setTabChangesFocus(True)
        self.notes_label.setBuddy(self.notes)
        layout.addWidget(self.notes, 1)
        self.board_line = _muted(QLabel(notes_pane))
        self.board_line.setTextFormat(Qt.TextFormat.PlainText)
        self.board_line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.board_line)

        history_pane = QWidget(page)
        history_layout = QVBoxLayout(history_pane)
        history_layout.setContentsMargins(0, 4, 0, 0)
        history_layout.setSpacing(3)
        history_layout.addWidget(_bold(QLabel("History at reviews", history_pane)))
        self.history = HistoryView(history_pane)
        history_layout.addWidget(self.history, 1)

        page.addWidget(notes_pane)
        page.addWidget(history_pane)
        page.setStretchFactor(0, 3)
        page.setStretchFactor(1, 2)
        return page

    # --- showing ---------------------------------------------------------------------------

    def show_nothing(self, message: str) -> None:
        self._need_id = None
        self.empty_page.setText(message)
        self.setCurrentWidget(self.empty_page)

    def show_need(self, record: NeedRecord, number: int, options: Sequence[PriorityOption]) -> None:
        self._need_id = record.id
        self.need_title.setText(f"Need {number}: {one_line(record.text, 160)}")
        combo = self.priority_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(NO_PRIORITY, None)
        for position, option in enumerate(options, start=1):
            mark = "  (focus of the conference)" if option.focus else ""
            combo.addItem(f"{position}. {one_line(option.text, 90)}{mark}", option.id)
            combo.setItemData(combo.count() - 1, option.text, Qt.ItemDataRole.ToolTipRole)
        found = combo.findData(record.priority_id) if record.priority_id is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        combo.setEnabled(bool(options))
        if options:
            self.priority_hint.setText(
                "Linking each need to the priority it answers shows the conference kept to "
                "the one or two issues the assessment chose."
            )
        else:
            self.priority_hint.setText(
                "The assessment has no priorities yet: add them in the Assessment tab, then "
                "link each need here."
            )
        self.setCurrentWidget(self.need_page)

    def show_intervention(
        self, record: InterventionRecord, entries: Sequence[HistoryEntry]
    ) -> None:
        """Show an intervention (the caller loads its notes into `notes` with signals blocked)."""
        self._need_id = None
        self.notes.setPlaceholderText(
            "What has happened so far: work done, what changed, what is still to do."
        )
        self.notes_for.setText(f"for “{one_line(record.text, 110)}”")
        if record.board_point_id is not None:
            text = one_line(record.board_point_text, 200) or "(the point has no text)"
            self.board_line.setText(f"From the board: “{text}”")
            self.board_line.setToolTip(record.board_point_text)
            self.board_line.show()
        else:
            self.board_line.hide()
        self.history.set_entries(entries)
        self.setCurrentWidget(self.intervention_page)

    def _priority_activated(self, index: int) -> None:
        if self._need_id is not None:
            self.priority_chosen.emit(self.priority_combo.itemData(index))
