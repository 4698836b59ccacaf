"""The context weighting panel of the assessment: the picture (`weighting_view`) with its
buttons and share fields, the "Show" choice of a meeting's snapshot to look back at, and every
change as one undo command that stores the weighting at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import weighting as core
from csfacilitator.core.meetings import list_meetings, meeting_label
from csfacilitator.core.weighting import Weighting
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.weighting_commands import KeepSnapshot, SetWeighting
from csfacilitator.gui.assessment.weighting_view import WeightingView
from csfacilitator.gui.undo import ShowsAndReloads, push_or_say
from csfacilitator.gui.widgets.form_parts import buddy_label, panel_button, quiet_label
from csfacilitator.storage.database import Database


class WeightingPanel(ShowsAndReloads, QWidget):
    """The weighting picture with its buttons, the choice of a meeting's snapshot to look back
    at, and the undoable, immediately stored changes."""

    status_message = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.conference_id: int | None = None
        self._snapshots: list[core.WeightingSnapshot] = []
        self._working = core.default_weighting()
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        top = QHBoxLayout()
        top.setSpacing(6)
        self.show_combo = QComboBox(self)
        self.show_combo.setToolTip(
            "Look back at the weighting kept at an earlier meeting, to see how it moved."
        )
        self.show_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        show_label = buddy_label("Sho&w", self.show_combo, self)
        self.show_combo.currentIndexChanged.connect(self._show_chosen)
        self.keep_button = panel_button(
            "Keep for meeting",
            "Keep a copy of the current weighting for a meeting, so a review can show how it moved.",
            self,
        )
        self.keep_menu = QMenu(self.keep_button)
        self.keep_button.setMenu(self.keep_menu)
        top.addWidget(show_label)
        top.addWidget(self.show_combo, 1)
        top.addWidget(self.keep_button)
        layout.addLayout(top)

        self.view = WeightingView(self)
        self.view.edit_requested.connect(self._edit_requested)
        self.view.message.connect(self.status_message)
        layout.addWidget(self.view)

        self.note = quiet_label("", self)
        self.note.hide()
        layout.addWidget(self.note)

        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        view = self.view
        specs = (
            ("Bigger", "Make the chosen context bigger (+); the others give way", view.grow_action),
            ("Smaller", "Make the chosen context smaller (−)", view.shrink_action),
            ("Earlier", "Move the chosen context earlier (Alt+Left)", view.earlier_action),
            ("Later", "Move the chosen context later (Alt+Right)", view.later_action),
            ("Rename…", "Rename the chosen context (F2)", view.rename_action),
            ("Link…", "Link the chosen context to another, or unlink them (L)", view.link_action),
            ("Add…", "Add a context, up to six (Insert)", view.add_action),
            ("Remove", "Remove the chosen context (Delete)", view.remove_action),
        )
        self.buttons: dict[str, QPushButton] = {}
        for number, (text, tip, action) in enumerate(specs):
            button = panel_button(text, tip, self)
            button.clicked.connect(action.trigger)
            if action is view.link_action:  # the next box is chosen in the picture
                button.clicked.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
            action.changed.connect(lambda b=button, a=action: b.setEnabled(a.isEnabled()))
            button.setEnabled(action.isEnabled())
            grid.addWidget(button, number // 4, number % 4)
            self.buttons[text.rstrip("…")] = button
        layout.addLayout(grid)
        layout.addLayout(self._build_shares())
        keys = QLabel(
            "Keys in the picture: arrows choose a box · + and − resize · a number types its "
            "share · F2 renames · Alt+arrows move · L links · Insert adds · Delete removes",
            self,
        )
        keys.setTextFormat(Qt.TextFormat.PlainText)
        keys.setWordWrap(True)
        keys.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(keys)

    def _build_shares(self) -> QGridLayout:
        """Shares typed rather than nudged: the chosen box's (the others rebalance in
        proportion), or all of them at once in box order."""
        self.share_label = QLabel("Share of the chosen context", self)
        self.share_label.setWordWrap(True)  # names run to 80 characters
        self.share_label.setTextFormat(Qt.TextFormat.PlainText)
        self.share_spin = QSpinBox(self)
        self.share_spin.setSuffix(" %")
        self.share_spin.setKeyboardTracking(False)
        self.share_spin.setAccessibleName("Share of the chosen context")
        self.share_spin.setToolTip(
            "Type a share and press Enter; the other contexts give way in proportion "
            "(a digit typed on the picture starts here)"
        )
        self.share_spin.lineEdit().returnPressed.connect(self._share_entered)
        self.share_label.setBuddy(self.share_spin)
        self.shares_label = QLabel("All shares, in order", self)
        self.shares_edit = QLineEdit(self)
        self.shares_edit.setAccessibleName("All shares, in order")
        self.shares_edit.setPlaceholderText("e.g. 40 / 25 / 20 / 15")
        self.shares_edit.setToolTip(
            "Type every context's share in the picture's order and press Enter; shares that "
            "do not add up to 100 are taken as relative sizes"
        )
        self.shares_edit.returnPressed.connect(self._shares_entered)
        self.shares_label.setBuddy(self.shares_edit)
        self.view.share_typed.connect(self._start_share)
        self.view.shown_changed.connect(self._show_shares)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.addWidget(self.share_label, 0, 0)
        grid.addWidget(self.share_spin, 0, 1)
        grid.addWidget(self.shares_label, 1, 0)
        grid.addWidget(self.shares_edit, 1, 1)
        grid.setColumnStretch(1, 1)
        self._show_shares()
        return grid

    def _show_shares(self) -> None:
        """The share fields show the weighting as it is (not while the user is typing)."""
        view = self.view
        shown = view.weighting()
        selected = min(view.selected(), len(shown.boxes) - 1)  # a box being added is not yet
        editable = not view.is_read_only() and len(shown.boxes) > 1 and view.editing() is None
        low, high = core.share_bounds(len(shown.boxes))
        name = shown.boxes[selected].name
        self.share_label.setText(f"Share of ‘{name}’")
        self.share_spin.setAccessibleName(f"Share of {name}")
        if not self.share_spin.hasFocus():
            self.share_spin.blockSignals(True)
            self.share_spin.setRange(min(low, 100), max(high, 1))
            self.share_spin.setValue(core.percentages(shown)[selected])
            self.share_spin.blockSignals(False)
        if not self.shares_edit.hasFocus():
            self.shares_edit.setText(" / ".join(str(p) for p in core.percentages(shown)))
        for widget in (self.share_spin, self.shares_edit):
            widget.setEnabled(editable)

    def _start_share(self, digit: str) -> None:
        self.share_spin.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.share_spin.lineEdit().setText(digit)  # what was typed, the suffix kept

    def _share_entered(self) -> None:
        self.share_spin.interpretText()
        if self.view.set_share_selected(self.share_spin.value()):
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_shares()

    def _shares_entered(self) -> None:
        if self.view.set_all_shares(self.shares_edit.text()):
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            self._show_shares()

    def tab_chain(self) -> list[QWidget]:
        return [
            self.show_combo,
            self.keep_button,
            self.view,
            *self.buttons.values(),
            self.share_spin,
            self.shares_edit,
        ]

    # ---------------------------------------------------------------------------- loading

    def set_conference(self, conference_id: int | None) -> None:
        if conference_id != self.conference_id:
            self.view.cancel_edit()
            self.conference_id = conference_id
            self.view.set_weighting(self.view.weighting(), 0)
        self.reload()

    def reload(self) -> None:
        cid = self.conference_id
        if cid is None:
            self._snapshots = []
            self._working = core.default_weighting()
            self._fill_combo()
            self._show_chosen()
            return
        try:
            self._working = core.get_weighting(self.db, cid)
            self._snapshots = core.snapshots(self.db, cid)
            meetings = list_meetings(self.db, cid)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self._fill_combo()
        self._fill_keep_menu(meetings)
        self._show_chosen()

    def _fill_combo(self) -> None:
        current = self.show_combo.currentData()
        self.show_combo.blockSignals(True)
        self.show_combo.clear()
        self.show_combo.addItem("Current", None)
        for snap in self._snapshots:
            self.show_combo.addItem(f"Kept at {snap.label}", snap.meeting_id)
        index = self.show_combo.findData(current)
        self.show_combo.setCurrentIndex(max(0, index))
        self.show_combo.blockSignals(False)

    def _fill_keep_menu(self, meetings) -> None:
        self.keep_menu.clear()
        kept = {s.meeting_id for s in self._snapshots}
        for meeting in meetings:
            label = meeting_label(meeting, meetings)
            text = f"{label} (replace the copy kept)" if meeting.id in kept else label
            item = self.keep_menu.addAction(text)
            item.triggered.connect(
                lambda _checked=False, m=meeting.id, t=label: self.keep_for_meeting(m, t)
            )
        self.keep_button.setEnabled(bool(meetings))
        if not meetings:
            self.keep_button.setToolTip("Add a meeting on the Overview first.")

    def showing_snapshot(self) -> core.WeightingSnapshot | None:
        meeting_id = self.show_combo.currentData()
        return next((s for s in self._snapshots if s.meeting_id == meeting_id), None)

    def _show_chosen(self, _index: int = 0) -> None:
        snap = self.showing_snapshot()
        if snap is None:
            self.view.set_read_only(False)
            self.view.set_weighting(self._working)
            self.note.hide()
            return
        self.view.set_weighting(snap.weighting)
        self.view.set_read_only(
            True, f"This is the weighting kept at {snap.label}. Choose Current to change it."
        )
        moved = core.describe_change(snap.weighting, self._working)
        self.note.setText(
            f"The weighting as kept at {snap.label} (read-only). Since then: {moved}."
        )
        self.note.show()

    # ---------------------------------------------------------------------------- changing

    def _edit_requested(self, new: Weighting, text: str, selected: int) -> None:
        if self.conference_id is None or self.showing_snapshot() is not None:
            return
        before = self.view.weighting()
        change = SetWeighting(
            self, self.conference_id, before, new, text, self.view.selected(), selected
        )
        push_or_say(
            self.undo_stack,
            change,
            lambda reason: self.status_message.emit(f"The weighting could not be saved: {reason}"),
        )

    def apply_weighting(self, conference_id: int, weighting: Weighting, selected: int) -> None:
        """Store the working copy and show it; UserError, having changed nothing, if refused."""
        core.set_weighting(self.db, conference_id, weighting)
        if conference_id != self.conference_id:
            return
        self._working = weighting
        if self.showing_snapshot() is not None:
            self.show_combo.setCurrentIndex(0)  # show the change being undone or redone
        self.view.set_read_only(False)
        self.view.set_weighting(weighting, selected)
        self.note.hide()

    def keep_for_meeting(self, meeting_id: int, label: str) -> None:
        if self.conference_id is None:
            return
        previous = next((s.weighting for s in self._snapshots if s.meeting_id == meeting_id), None)
        change = KeepSnapshot(self, self.conference_id, meeting_id, previous, label)
        push_or_say(self.undo_stack, change, self.status_message.emit)

    def take_snapshot(self, conference_id: int, meeting_id: int) -> None:
        core.snapshot_for_meeting(self.db, conference_id, meeting_id)
        self._after_snapshot(conference_id, "Kept a copy of the weighting for that meeting.")

    def put_back_snapshot(
        self, conference_id: int, meeting_id: int, previous: Weighting | None
    ) -> None:
        if previous is None:
            core.clear_snapshot(self.db, conference_id, meeting_id)
        else:
            core.set_weighting(self.db, conference_id, previous, meeting_id)
        self._after_snapshot(conference_id, "")

    def _after_snapshot(self, conference_id: int, message: str) -> None:
        if conference_id == self.conference_id:
            self.reload()
        if message:
            self.status_message.emit(message)
