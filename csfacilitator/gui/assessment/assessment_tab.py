"""The Assessment tab: the lead practitioner's context assessment report, section by section,
in either report structure, with the threshold and its rationale.

Layout: a section navigator on the left, the report as one readable column in the middle, and
the assessment outcome on the right (the context weighting picture, the priorities and the
threshold), in a column of its own that scrolls; a splitter between report and outcome lets the
user give either more room. Each section is a report_sections.SectionBlock; the outcome's
panels and the safety map page are their own modules.

Long because it is where those parts meet: it lays out the three columns, keeps the navigator,
the sections shown and the keyboard's order in step with the chosen report structure, and
stores the structure and threshold as undoable changes, the sections and rationale as typed.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import (
    QEvent,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QFont,
    QPalette,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.core.assessment import (
    Report,
    SectionRecord,
    get_report,
    set_section,
    set_structure,
)
from csfacilitator.core.conferences import get_conference, update_conference
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.priorities_panel import PrioritiesPanel
from csfacilitator.gui.assessment.record_rows import ValueChange
from csfacilitator.gui.assessment.report_sections import SectionBlock, SectionEdit, heading_label
from csfacilitator.gui.assessment.safety_map_panel import SafetyMapPanel
from csfacilitator.gui.assessment.voice_panel import VOICE_AFTER, VoicePanel
from csfacilitator.gui.assessment.weighting_panel import WeightingPanel
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.undo import ShowsAndReloads, push_or_say
from csfacilitator.gui.widgets.form_parts import buddy_label, quiet_label
from csfacilitator.storage.database import Database

COLUMN_MAX_WIDTH = 860  # about 110 characters a line: readable on a wide screen
NAVIGATOR_WIDTH = 230
# The outcome column takes this share of the width, within these bounds, until the user drags
# the splitter (from then on their choice stands).
OUTCOME_SHARE = 0.42
OUTCOME_MIN_WIDTH = 360
OUTCOME_MAX_WIDTH = 640
OTHER_NOTES = "Other notes"
_KEY_ROLE = Qt.ItemDataRole.UserRole


def _subheading_label(text: str, parent: QWidget) -> QLabel:
    label = heading_label(text, parent, 1.05)
    label.setObjectName("outcomeHeading")
    return label


class _ChoiceCommand(ValueChange[str]):
    """An undoable change of one conference choice (report structure or threshold)."""

    def __init__(self, tab: AssessmentTab, conference_id: int, field: str, old: str, new: str):
        super().__init__(
            tab, "Change report structure" if field == "report_structure" else "Change threshold"
        )
        self.tab, self.conference_id, self.field = tab, conference_id, field
        self.before, self.after = old, new

    def _apply(self, value: str) -> None:
        self.tab.apply_choice(self.conference_id, self.field, value)


class AssessmentTab(ShowsAndReloads, ConferenceTab):
    """The context assessment report of the open conference."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(db, parent)
        self._blocks: dict[str, SectionBlock] = {}
        self._order: list[str] = []
        self._structure = ""
        self._threshold = ""
        self._loaded_for: int | None = None
        self._build()
        self.reload()

    # ----------------------------------------------------------------------------- building

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.structure_combo = QComboBox(self)
        for key, label in vocab.REPORT_STRUCTURES.items():
            self.structure_combo.addItem(label, key)
        self.structure_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        structure_label = buddy_label("Report &structure", self.structure_combo, self)
        self.structure_combo.currentIndexChanged.connect(self._structure_chosen)
        top.addWidget(structure_label)
        top.addWidget(self.structure_combo)
        top.addSpacing(16)
        hint = quiet_label(
            "Switching structure keeps all the text: sections the chosen structure does not "
            "use are kept under Other notes. Everything is saved as you type.",
            self,
        )
        top.addWidget(hint, 1)
        # The safety map (issue 19) shares the tab: a page of its own in place of the report.
        self.map_button = QPushButton("Safety &map", self)
        self.map_button.setAccessibleName("Safety map")
        self.map_button.setCheckable(True)
        self.map_button.toggled.connect(self.show_safety_map)
        top.addWidget(self.map_button)
        root.addLayout(top)

        self.pages = QStackedWidget(self)
        report_page = QWidget(self.pages)
        body = QHBoxLayout(report_page)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(12)
        self.pages.addWidget(report_page)
        self.safety_map = SafetyMapPanel(self.db, self.undo_stack, self.pages)
        self.safety_map.status_message.connect(self.status_message)
        self.pages.addWidget(self.safety_map)
        root.addWidget(self.pages, 1)

        nav_column = QVBoxLayout()
        nav_column.setSpacing(4)
        self.navigator = QListWidget(self)
        self.navigator.setFixedWidth(NAVIGATOR_WIDTH)
        self.navigator.setWordWrap(True)
        self.navigator.setSpacing(2)
        self.navigator.setToolTip(
            "Go to a section (Enter). In a section, Ctrl+Up and Ctrl+Down move between sections."
        )
        nav_label = buddy_label("Sectio&ns", self.navigator, self)
        self.navigator.currentItemChanged.connect(self._navigator_moved)
        self.navigator.itemActivated.connect(self._navigator_chosen)
        self.navigator.itemClicked.connect(self._navigator_chosen)
        nav_column.addWidget(nav_label)
        nav_column.addWidget(self.navigator, 1)
        body.addLayout(nav_column)

        self.sections_scroll = QScrollArea(self)
        self.sections_scroll.setWidgetResizable(True)
        self.sections_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.sections_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._page = page = QWidget(self.sections_scroll)
        page_layout = QHBoxLayout(page)
        page_layout.setContentsMargins(4, 0, 4, 0)
        self.column = QWidget(page)
        self.column.setMaximumWidth(COLUMN_MAX_WIDTH)
        page_layout.addStretch(1)
        page_layout.addWidget(self.column, 100)
        page_layout.addStretch(1)
        self.sections_layout = QVBoxLayout(self.column)
        self.sections_layout.setContentsMargins(0, 0, 8, 16)
        self.sections_layout.setSpacing(20)
        self.other_header = QWidget(self.column)
        other_layout = QVBoxLayout(self.other_header)
        other_layout.setContentsMargins(0, 12, 0, 0)
        other_layout.setSpacing(4)
        other_layout.addWidget(heading_label(OTHER_NOTES, self.other_header, 1.35))
        other_layout.addWidget(
            quiet_label(
                "Sections the chosen structure does not use. Their text is kept and can still be "
                "edited; choosing the other structure puts it back in its place.",
                self.other_header,
            )
        )
        self.other_header.hide()
        # Young people's voice (issue 19): the words themselves, under the views section.
        self.voice_panel = VoicePanel(self.db, self.undo_stack, self.column)
        self.voice_panel.status_message.connect(self.status_message)
        self.sections_scroll.setWidget(page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(10)
        self.splitter.addWidget(self.sections_scroll)
        self.splitter.addWidget(self._build_outcome())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self._outcome_dragged = False
        self.splitter.splitterMoved.connect(self._splitter_dragged)
        self.splitter.installEventFilter(self)
        body.addWidget(self.splitter, 1)

    def _build_outcome(self) -> QWidget:
        """The assessment's conclusion: the context weighting, the priorities and the threshold,
        in a column of its own that scrolls."""
        self.outcome_scroll = QScrollArea(self)
        self.outcome_scroll.setWidgetResizable(True)
        self.outcome_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.outcome_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outcome_scroll.setMinimumWidth(OUTCOME_MIN_WIDTH)
        outcome = QWidget(self.outcome_scroll)
        outcome.setObjectName("assessmentOutcome")
        self.outcome_layout = QVBoxLayout(outcome)
        self.outcome_layout.setContentsMargins(4, 0, 12, 16)
        self.outcome_layout.setSpacing(4)
        self.outcome_layout.addWidget(heading_label("Assessment outcome", outcome))
        self.outcome_layout.addSpacing(4)

        self.outcome_layout.addWidget(_subheading_label("Context weighting", outcome))
        self.outcome_layout.addWidget(
            quiet_label(
                "Each box is a context; the bigger it is, the more it needs to change for young "
                "people to be safer. Dotted lines link contexts that affect each other.",
                outcome,
            )
        )
        self.weighting_panel = WeightingPanel(self.db, self.undo_stack, outcome)
        self.weighting_panel.status_message.connect(self.status_message)
        self.outcome_layout.addWidget(self.weighting_panel)
        self.outcome_layout.addSpacing(14)

        self.outcome_layout.addWidget(_subheading_label("Priorities", outcome))
        self.outcome_layout.addWidget(
            quiet_label(
                "The issues the assessment found, most important first. Tick Focus for the one "
                "or two the conference will work on.",
                outcome,
            )
        )
        self.priorities_panel = PrioritiesPanel(self.db, self.undo_stack, outcome)
        self.priorities_panel.status_message.connect(self.status_message)
        self.outcome_layout.addWidget(self.priorities_panel)
        self.outcome_layout.addSpacing(14)

        self.outcome_layout.addWidget(_subheading_label("Threshold", outcome))
        self.threshold_combo = QComboBox(outcome)
        for key, label in vocab.THRESHOLDS.items():
            self.threshold_combo.addItem(label, key)
        threshold_label = buddy_label("&Threshold", self.threshold_combo, outcome)
        self.threshold_combo.currentIndexChanged.connect(self._threshold_chosen)
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(threshold_label)
        threshold_row.addWidget(self.threshold_combo, 1)
        self.rationale_edit = SectionEdit(outcome, min_lines=4, max_lines=14)
        rationale_label = buddy_label("Threshold &rationale", self.rationale_edit, outcome)
        self.autosave.watch(self.rationale_edit, self._save_rationale)
        self.outcome_layout.addLayout(threshold_row)
        self.outcome_layout.addSpacing(6)
        self.outcome_layout.addWidget(rationale_label)
        self.outcome_layout.addWidget(self.rationale_edit)
        self.outcome_layout.addStretch(1)
        self.outcome_scroll.setWidget(outcome)
        return self.outcome_scroll

    def _splitter_dragged(self, *_args) -> None:
        self._outcome_dragged = True

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._fit_outcome)  # once the splitter has its new width
        return super().eventFilter(watched, event)

    def _fit_outcome(self) -> None:
        """Give the outcome column its share of the width (unless the user has set it)."""
        total = sum(self.splitter.sizes()) or self.splitter.width()
        if self._outcome_dragged or total <= 0:
            return
        outcome = round(total * OUTCOME_SHARE)
        outcome = max(OUTCOME_MIN_WIDTH, min(OUTCOME_MAX_WIDTH, outcome))
        self.splitter.setSizes([max(0, total - outcome), outcome])

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        self.flush()
        report = details = None
        if self.conference_id is not None:
            try:
                report = get_report(self.db, self.conference_id)
                details = get_conference(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        if self._loaded_for != self.conference_id or report is None:
            self._forget_blocks()  # another conference: nothing (not even undo) carries over
            with QSignalBlocker(self.rationale_edit):
                self.rationale_edit.setPlainText("")
        self._loaded_for = self.conference_id if report is not None else None
        self.setEnabled(report is not None)
        shown = self.conference_id if report is not None else None
        self.weighting_panel.set_conference(shown)
        self.priorities_panel.set_conference(shown)
        self.safety_map.set_conference(shown)
        self.voice_panel.set_conference(shown)
        if report is None or details is None:
            self._structure = self._threshold = ""
            self._lay_out(Report("", (), ()))
            return
        self._structure, self._threshold = report.structure, details.threshold
        self._select(self.structure_combo, report.structure)
        self._select(self.threshold_combo, details.threshold)
        self._fill(self.rationale_edit, details.threshold_rationale)
        self._lay_out(report)

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        with QSignalBlocker(combo):
            index = combo.findData(key)
            if index < 0:
                combo.addItem(key, key)
                index = combo.count() - 1
            combo.setCurrentIndex(index)

    @staticmethod
    def _fill(edit: QPlainTextEdit, text: str) -> None:
        """Show stored text, leaving the box (cursor, undo) alone if it already shows it."""
        if clean_text(edit.toPlainText()) != text:
            with QSignalBlocker(edit):
                edit.setPlainText(text)

    def _forget_blocks(self) -> None:
        for block in self._blocks.values():
            block.hide()
            block.setParent(None)
            block.deleteLater()
        self._blocks.clear()

    def _block_for(self, record: SectionRecord) -> SectionBlock:
        block = self._blocks.get(record.key)
        if block is None:
            block = SectionBlock(record.key, self.column)
            self.autosave.watch(block.edit, partial(self._save_section, record.key))
            block.edit.focused.connect(partial(self._section_focused, record.key))
            block.edit.step.connect(partial(self._step, record.key))
            block.edit.cursorPositionChanged.connect(partial(self._keep_caret_visible, block))
            self._blocks[record.key] = block
        block.set_heading(record.heading)
        self._fill(block.edit, record.body)
        return block

    def _lay_out(self, report: Report) -> None:
        while self.sections_layout.count():
            self.sections_layout.takeAt(0)
        shown: list[SectionBlock] = []
        for record in report.sections:
            shown.append(self._block_for(record))
            self.sections_layout.addWidget(shown[-1])
            if record.key == VOICE_AFTER:
                self.sections_layout.addWidget(self.voice_panel)
        if self.sections_layout.indexOf(self.voice_panel) < 0:
            self.sections_layout.addWidget(self.voice_panel)
        self.other_header.setVisible(bool(report.other_notes))
        if report.other_notes:
            self.sections_layout.addWidget(self.other_header)
        for record in report.other_notes:
            shown.append(self._block_for(record))
            self.sections_layout.addWidget(shown[-1])
        self.sections_layout.addStretch(1)
        for key in [k for k, b in self._blocks.items() if b not in shown]:
            block = self._blocks.pop(key)
            block.hide()
            block.setParent(None)
            block.deleteLater()
        for block in shown:
            block.show()
        self._order = [b.key for b in shown]

        edits: list[QWidget] = [b.edit for b in shown]
        after = next((n + 1 for n, b in enumerate(shown) if b.key == VOICE_AFTER), len(edits))
        edits[after:after] = self.voice_panel.tab_chain()
        chain = [self.structure_combo, self.map_button, self.navigator, *edits]
        chain += self.weighting_panel.tab_chain() + self.priorities_panel.tab_chain()
        chain += [self.threshold_combo, self.rationale_edit, *self.safety_map.tab_chain()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._fill_navigator(report)

    def _fill_navigator(self, report: Report) -> None:
        with QSignalBlocker(self.navigator):
            current = self.navigator.currentItem()
            current_key = current.data(_KEY_ROLE) if current else None
            self.navigator.clear()
            for record in report.sections:
                self._add_nav_item(record)
            if report.other_notes:
                header = QListWidgetItem(OTHER_NOTES)
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = QFont(self.navigator.font())
                font.setBold(True)
                header.setFont(font)
                self.navigator.addItem(header)
                for record in report.other_notes:
                    self._add_nav_item(record)
            self._mark_current(current_key)

    def _add_nav_item(self, record: SectionRecord) -> None:
        item = QListWidgetItem(record.heading)
        item.setData(_KEY_ROLE, record.key)
        self.navigator.addItem(item)
        self._mark_written(item, bool(record.body.strip()))

    def _mark_written(self, item: QListWidgetItem, written: bool) -> None:
        role = QPalette.ColorRole.Text if written else QPalette.ColorRole.PlaceholderText
        item.setForeground(self.navigator.palette().brush(role))
        item.setData(
            Qt.ItemDataRole.AccessibleDescriptionRole, "" if written else "Not written yet"
        )
        item.setToolTip("" if written else "Not written yet")

    def _nav_item(self, key: str | None) -> QListWidgetItem | None:
        for row in range(self.navigator.count()):
            item = self.navigator.item(row)
            if key is not None and item.data(_KEY_ROLE) == key:
                return item
        return None

    def _mark_current(self, key: str | None) -> None:
        item = self._nav_item(key)
        with QSignalBlocker(self.navigator):
            if item is None:
                self.navigator.setCurrentRow(-1)
            else:
                self.navigator.setCurrentItem(item)

    # ------------------------------------------------------------------------------ editing

    def section_edit(self, key: str) -> SectionEdit | None:
        """The text box of a section now shown (for the main window's find and for tests)."""
        block = self._blocks.get(key)
        return block.edit if block is not None else None

    def _save_section(self, key: str, text: str) -> None:
        if self.conference_id is None:
            return
        record = set_section(self.db, self.conference_id, key, text)
        item = self._nav_item(key)
        if item is not None:
            self._mark_written(item, bool(record.body.strip()))

    def _save_rationale(self, text: str) -> None:
        if self.conference_id is None:
            return
        update_conference(self.db, self.conference_id, threshold_rationale=text)

    def _structure_chosen(self, _index: int) -> None:
        self._choose("report_structure", self._structure, self.structure_combo.currentData())

    def _threshold_chosen(self, _index: int) -> None:
        self._choose("threshold", self._threshold, self.threshold_combo.currentData())

    def _choose(self, field: str, old: str, new: str) -> None:
        if self.conference_id is None or new == old:
            return
        self.flush()
        change = _ChoiceCommand(self, self.conference_id, field, old, new)
        # Refused: the combo box shows the stored choice again.
        push_or_say(self.undo_stack, change, self.status_message.emit, self.reload)

    def show_safety_map(self, on: bool = True) -> None:
        """The safety map in place of the report (the Safety map button), or the report again."""
        if self.map_button.isChecked() != on:
            self.map_button.setChecked(on)  # comes back here through toggled
            return
        self.pages.setCurrentIndex(1 if on else 0)
        if on:
            self.safety_map.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_choice(self, conference_id: int, field: str, value: str) -> None:
        """Store a structure or threshold choice and show it; a refusal raises UserError."""
        self.flush()
        if field == "report_structure":
            set_structure(self.db, conference_id, value)
        else:
            update_conference(self.db, conference_id, **{field: value})
        self.reload()
        if field == "report_structure":
            label = vocab.label(vocab.REPORT_STRUCTURES, value)
            self.status_message.emit(f"Report structure: {label}. All text is kept.")

    # --------------------------------------------------------------------------- navigating

    def _navigator_moved(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and item.data(_KEY_ROLE):
            self._scroll_to(item.data(_KEY_ROLE))

    def _navigator_chosen(self, item: QListWidgetItem) -> None:
        key = item.data(_KEY_ROLE)
        if key:
            self.go_to_section(key)

    def go_to_section(self, key: str) -> None:
        """Scroll a section to the top of the report and put the cursor in it."""
        block = self._blocks.get(key)
        if block is None:
            return
        self._scroll_to(key)
        block.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _scroll_to(self, key: str) -> None:
        block = self._blocks.get(key)
        if block is None:
            return
        self.sections_layout.activate()
        top = block.mapTo(self._page, block.rect().topLeft()).y()
        self.sections_scroll.verticalScrollBar().setValue(max(0, top - 8))

    def _step(self, key: str, direction: int) -> None:
        index = self._order.index(key) + direction if key in self._order else -1
        if 0 <= index < len(self._order):
            self.go_to_section(self._order[index])

    def _section_focused(self, key: str) -> None:
        self._mark_current(key)

    def _keep_caret_visible(self, block: SectionBlock) -> None:
        if block.edit.hasFocus():
            QTimer.singleShot(0, partial(self._show_caret, block))

    def _show_caret(self, block: SectionBlock) -> None:
        if block.parent() is None:
            return
        rect = block.edit.cursorRect()
        point = block.edit.viewport().mapTo(self._page, rect.center())
        self.sections_scroll.ensureVisible(point.x(), point.y(), 0, rect.height() * 2)
