"""The context weighting picture on screen: boxes whose area is their share, named, with their
percentage, and dotted lines for links. Everything works by mouse and by keyboard:

    Left/Right (Up/Down, Home/End)  choose a box
    + / -  (Ctrl+Up / Ctrl+Down)    make it bigger / smaller; the others rebalance
    F2 or Enter, double-click       rename it
    Alt+Left / Alt+Right            move it earlier / later
    L, then another box and Enter   link the two (or unlink them); Esc cancels
    Insert                          add a context;  Delete  remove the chosen one
    Menu key, Shift+F10, right-click  every action in a menu

`WeightingView` takes the input on the picture that `WeightingCanvas` (weighting_canvas) draws;
it never stores anything. It asks for each change with `edit_requested`, and `WeightingPanel`
(weighting_panel: the view, its buttons and the "Show" choice of a meeting's snapshot) turns
that into one undo command that stores the weighting at once.

Long because it is one widget's whole grammar of keys and mouse (the table above, the name
editor opened in place, the link being made, the menu), each step checked against the same state.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QHelpEvent,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QToolTip,
    QWidget,
)

from csfacilitator.core import weighting as core
from csfacilitator.core.weighting import Weighting
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.weighting_canvas import WeightingCanvas

NEW_CONTEXT = "New context"

_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


class NameEditor(QLineEdit):
    """The box's name, edited in place: Enter keeps it, Esc puts the old one back."""

    #: (text, whether focus should come back to the picture)
    committed = Signal(str, bool)
    cancelled = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAccessibleName("Context name")
        self.setMaxLength(core.MAX_NAME_CHARS * 2)  # longer is refused with a message, not cut
        self.hide()

    def _commit(self, keep_focus: bool = True) -> None:
        if self.isVisible():
            self.committed.emit(self.text(), keep_focus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # Handled here and accepted, so the keys never reach the picture behind the editor.
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancelled.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self._commit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._commit(keep_focus=False)  # focus went elsewhere on purpose: leave it there


class WeightingView(WeightingCanvas):
    """Turns mouse and keys on the weighting picture into requested changes."""

    #: (new Weighting, undo text, box to select afterwards)
    edit_requested = Signal(object, str, int)
    #: A short message for the status bar.
    message = Signal(str)
    #: A digit was typed on the picture: the start of a share for the chosen box.
    share_typed = Signal(str)
    #: The weighting shown or the box chosen changed (for the share fields beside it).
    shown_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._editing: tuple[str, int] | None = None  # ("rename" | "add", box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.editor = NameEditor(self)
        self.editor.committed.connect(self._commit_name)
        self.editor.cancelled.connect(self.cancel_edit)
        self._build_actions()
        self._changed()

    # ---------------------------------------------------------------------------- state

    def set_weighting(self, weighting: Weighting, selected: int | None = None) -> None:
        if weighting != self._weighting:
            self.cancel_edit()
            self._link_from = None
        self._weighting = weighting
        if selected is not None:
            self._selected = selected
        self._selected = max(0, min(len(weighting.boxes) - 1, self._selected))
        self._changed()

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        self._read_only, self._read_only_reason = read_only, reason
        if read_only:
            self.cancel_edit()
            self._link_from = None
        self._changed()

    def set_selected(self, index: int) -> None:
        if 0 <= index < len(self._shown().boxes) and index != self._selected:
            self._selected = index
            self._changed()

    def _changed(self) -> None:
        self._update_actions()
        self._describe()
        self.update()
        self.shown_changed.emit()

    # ---------------------------------------------------------------------------- actions

    def _build_actions(self) -> None:
        def action(text: str, shortcut: str, slot) -> QAction:
            item = QAction(text, self)
            if shortcut:
                item.setText(f"{text}\t{shortcut}")
            item.triggered.connect(slot)
            return item

        self.grow_action = action("Bigger", "+", self.grow_selected)
        self.shrink_action = action("Smaller", "−", self.shrink_selected)
        self.rename_action = action("Rename…", "F2", self.start_rename)
        self.earlier_action = action("Move earlier", "Alt+Left", lambda: self.move_selected(-1))
        self.later_action = action("Move later", "Alt+Right", lambda: self.move_selected(1))
        self.link_action = action("Link to…", "L", self.start_link)
        self.add_action = action("Add context", "Insert", self.start_add)
        self.remove_action = action("Remove", "Delete", self.remove_selected)

    def _update_actions(self) -> None:
        w, editable = self._weighting, not self._read_only and self._preview is None
        count = len(w.boxes)
        i = min(self._selected, count - 1)
        self.grow_action.setEnabled(editable and core.can_grow(w, i))
        self.shrink_action.setEnabled(editable and core.can_shrink(w, i))
        self.rename_action.setEnabled(editable)
        self.earlier_action.setEnabled(editable and i > 0)
        self.later_action.setEnabled(editable and i < count - 1)
        self.link_action.setEnabled(editable and count > 1)
        self.add_action.setEnabled(editable and count < core.MAX_BOXES)
        self.remove_action.setEnabled(editable and count > core.MIN_BOXES)

    def _editable(self) -> bool:
        if self._read_only:
            self.message.emit(self._read_only_reason or "This weighting cannot be changed.")
            return False
        return True

    def _request(self, new: Weighting, text: str, selected: int) -> None:
        if new == self._weighting:
            return
        self.edit_requested.emit(new, text, selected)

    def _name(self, index: int) -> str:
        return self._weighting.boxes[index].name

    def grow_selected(self) -> None:
        if not self._editable():
            return
        i = self._selected
        if not core.can_grow(self._weighting, i):
            self.message.emit(f"'{self._name(i)}' is already as big as it can be.")
            return
        self._request(core.grow(self._weighting, i), f"make '{self._name(i)}' bigger", i)

    def shrink_selected(self) -> None:
        if not self._editable():
            return
        i = self._selected
        if not core.can_shrink(self._weighting, i):
            self.message.emit(f"'{self._name(i)}' is already as small as it can be.")
            return
        self._request(core.shrink(self._weighting, i), f"make '{self._name(i)}' smaller", i)

    def set_share_selected(self, percent: float) -> bool:
        """The chosen box at a typed share; the others rebalance in proportion (one undo step).
        False, with a message saying why, if the share cannot be given."""
        if not self._editable():
            return False
        i = self._selected
        try:
            new = core.set_share(self._weighting, i, percent)
        except UserError as exc:
            self.message.emit(str(exc))
            return False
        self._request(new, f"give '{self._name(i)}' {percent:g}%", i)
        return True

    def set_all_shares(self, text: str) -> bool:
        """Every box's share typed at once, in box order (one undo step)."""
        if not self._editable():
            return False
        try:
            new = core.set_shares(self._weighting, core.parse_shares(text))
        except UserError as exc:
            self.message.emit(str(exc))
            return False
        shares = " / ".join(str(p) for p in core.percentages(new))
        self._request(new, f"set the shares to {shares}", self._selected)
        return True

    def move_selected(self, delta: int) -> None:
        if not self._editable():
            return
        i = self._selected
        target = max(0, min(len(self._weighting.boxes) - 1, i + delta))
        if target == i:
            where = "first" if delta < 0 else "last"
            self.message.emit(f"'{self._name(i)}' is already {where}.")
            return
        self._request(core.move(self._weighting, i, delta), f"move '{self._name(i)}'", target)

    def remove_selected(self) -> None:
        if not self._editable():
            return
        i = self._selected
        try:
            new = core.remove(self._weighting, i)
        except UserError as exc:
            self.message.emit(str(exc))
            return
        name = self._name(i)
        self._request(new, f"remove '{name}'", min(i, len(new.boxes) - 1))
        self.message.emit(f"Removed '{name}'. Press Ctrl+Z to bring it back.")

    def start_link(self) -> None:
        if not self._editable():
            return
        if len(self._weighting.boxes) < 2:
            self.message.emit("Add another context first: a link joins two contexts.")
            return
        self._link_from = self._selected
        self._changed()
        self.message.emit(
            f"Link '{self._name(self._link_from)}' to which context? Choose a box (arrow keys "
            "or click) and press Enter. Esc cancels."
        )

    def link_to(self, other: int) -> None:
        """Link (or unlink) the box chosen with L, or the selected box, to `other`."""
        source = self._link_from if self._link_from is not None else self._selected
        self._link_from = None
        if other == source:
            self._changed()
            self.message.emit("Choose another box: a context cannot be linked to itself.")
            return
        linked = self._weighting.is_linked(source, other)
        new = core.toggle_link(self._weighting, source, other)
        verb = "unlink" if linked else "link"
        self._changed()
        text = f"{verb} '{self._name(source)}' and '{self._name(other)}'"
        self._request(new, text, self._selected)

    def cancel_link(self) -> None:
        if self._link_from is not None:
            self._selected = self._link_from
            self._link_from = None
            self._changed()
            self.message.emit("Link cancelled.")

    # ---------------------------------------------------------------------------- naming

    def editing(self) -> tuple[str, int] | None:
        return self._editing

    def start_rename(self) -> None:
        if not self._editable():
            return
        self._open_editor("rename", self._selected, self._name(self._selected))

    def start_add(self) -> None:
        if not self._editable():
            return
        if len(self._weighting.boxes) >= core.MAX_BOXES:
            self.message.emit(
                f"A context weighting has at most {core.MAX_BOXES} contexts. Remove or merge one "
                "before adding another."
            )
            return
        self._link_from = None
        self._preview = core.add(self._weighting, NEW_CONTEXT)
        self._selected = len(self._preview.boxes) - 1
        self._changed()
        self._open_editor("add", self._selected, "")
        self.editor.setPlaceholderText("Name of the new context")

    def _open_editor(self, mode: str, index: int, text: str) -> None:
        self._editing = (mode, index)
        self.editor.setPlaceholderText("")
        self.editor.setText(text)
        self.editor.selectAll()
        self._place_editor()
        self.editor.show()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _place_editor(self) -> None:
        if self._editing is None:
            return
        rects = self.box_rects()
        rect = rects[min(self._editing[1], len(rects) - 1)]
        height = self.editor.sizeHint().height()
        width = max(160.0, rect.width() - 16)
        x = min(max(0.0, rect.center().x() - width / 2), max(0.0, self.width() - width))
        y = min(max(0.0, rect.center().y() - height / 2), max(0.0, self.height() - height))
        self.editor.setGeometry(round(x), round(y), round(min(width, self.width())), height)

    def _commit_name(self, text: str, keep_focus: bool = True) -> None:
        if self._editing is None:
            return
        mode, index = self._editing
        try:
            if mode == "add":
                new = core.add(self._weighting, text)
            else:
                new = core.rename(self._weighting, index, text)
        except UserError as exc:
            self.message.emit(str(exc))  # the editor stays open with the text as typed
            return
        self._close_editor()
        if mode == "add":
            self._request(new, f"add '{new.boxes[index].name}'", index)
        elif new != self._weighting:
            self._request(new, f"rename '{self._name(index)}'", index)
        if keep_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel_edit(self) -> None:
        if self._editing is None:
            return
        had_focus = self.editor.hasFocus()
        self._close_editor()
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_editor(self) -> None:
        mode_was_add = self._editing is not None and self._editing[0] == "add"
        self._editing = None
        self.editor.hide()
        if mode_was_add:
            self._preview = None
            self._selected = min(self._selected, len(self._weighting.boxes) - 1)
        self._changed()

    # ---------------------------------------------------------------------------- input

    def _is_ours(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~_KEYPAD
        plain = mods == Qt.KeyboardModifier.NoModifier
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Equal, Qt.Key.Key_Underscore):
            return plain or shift
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return mods in (Qt.KeyboardModifier.NoModifier, _CTRL, _ALT)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return mods in (Qt.KeyboardModifier.NoModifier, _ALT)
        return plain and key in (
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
            Qt.Key.Key_F2,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
            Qt.Key.Key_L,
            Qt.Key.Key_Insert,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
            Qt.Key.Key_Escape,
        )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_ours(event)
            and not (event.key() == Qt.Key.Key_Escape and self._link_from is None)
        ):
            event.accept()  # these keys act on the picture, not on a window shortcut
            return True
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.box_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
            else:
                shown = self._shown()
                share = core.percentages(shown)[index]
                QToolTip.showText(event.globalPos(), f"{shown.boxes[index].name}: {share}%", self)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self._typed_digit(event):
            return
        if not self._is_ours(event):
            super().keyPressEvent(event)
            return
        key, mods = event.key(), event.modifiers() & ~_KEYPAD
        count = len(self._weighting.boxes)
        linking = self._link_from is not None
        if mods == _ALT and key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.move_selected(-1)
        elif mods == _ALT and key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.move_selected(1)
        elif (mods == _CTRL and key == Qt.Key.Key_Up) or key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.grow_selected()
        elif (mods == _CTRL and key == Qt.Key.Key_Down) or key in (
            Qt.Key.Key_Minus,
            Qt.Key.Key_Underscore,
        ):
            self.shrink_selected()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.set_selected(max(0, self._selected - 1))
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.set_selected(min(count - 1, self._selected + 1))
        elif key == Qt.Key.Key_Home:
            self.set_selected(0)
        elif key == Qt.Key.Key_End:
            self.set_selected(count - 1)
        elif linking and key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
            Qt.Key.Key_L,
        ):
            self.link_to(self._selected)
        elif key == Qt.Key.Key_Escape:
            self.cancel_link()
        elif key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_rename()
        elif key == Qt.Key.Key_L:
            self.start_link()
        elif key == Qt.Key.Key_Insert:
            self.start_add()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
        else:
            super().keyPressEvent(event)

    def _typed_digit(self, event: QKeyEvent) -> bool:
        """A plain digit on the picture starts typing the chosen box's share."""
        mods = event.modifiers() & ~_KEYPAD
        if mods != Qt.KeyboardModifier.NoModifier or not event.text().isdigit():
            return False
        if self._editable() and self._preview is None and len(self._weighting.boxes) > 1:
            self.share_typed.emit(event.text())
        return True

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        index = self.box_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            if self._link_from is not None:
                self.set_selected(index)
                self.link_to(index)
            else:
                self.set_selected(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        index = self.box_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self.set_selected(index)
            self.start_rename()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        over_box = self.box_at(event.position()) is not None
        shape = Qt.CursorShape.PointingHandCursor if over_box else Qt.CursorShape.ArrowCursor
        self.setCursor(shape)
        super().mouseMoveEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt API
        index = self.box_at(QPointF(event.pos()))
        where = event.globalPos()
        if event.reason() != event.Reason.Mouse:  # Menu key or Shift+F10: at the chosen box
            index = self._selected
            rects = self.box_rects()
            if index < len(rects):
                where = self.mapToGlobal(rects[index].center().toPoint())
        if index is not None:
            self.set_selected(index)
        menu = self.context_menu(index is not None)
        menu.exec(where)

    def context_menu(self, on_box: bool = True) -> QMenu:
        """The actions for the selected box (only 'Add context' away from the boxes)."""
        self.cancel_link()
        menu = QMenu(self)
        menu.setAccessibleName("Context weighting actions")
        if on_box and not self._read_only:
            for item in (self.grow_action, self.shrink_action, self.rename_action):
                menu.addAction(item)
            menu.addSeparator()
            menu.addAction(self.earlier_action)
            menu.addAction(self.later_action)
            links = menu.addMenu("Link to")
            links.setEnabled(len(self._weighting.boxes) > 1)
            for other, box in enumerate(self._weighting.boxes):
                if other == self._selected:
                    continue
                item = links.addAction(box.name)
                item.setCheckable(True)
                item.setChecked(self._weighting.is_linked(self._selected, other))
                item.triggered.connect(lambda _checked=False, o=other: self.link_to(o))
            menu.addSeparator()
        menu.addAction(self.add_action)
        if on_box:
            menu.addAction(self.remove_action)
        return menu

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_editor()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()
