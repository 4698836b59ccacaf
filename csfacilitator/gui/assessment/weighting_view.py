"""The context weighting picture on screen: boxes whose area is their share, named, with their
percentage, and dotted lines for links. Everything works by mouse and by keyboard:

    Left/Right (Up/Down, Home/End)  choose a box
    + / -  (Ctrl+Up / Ctrl+Down)    make it bigger / smaller; the others rebalance
    F2 or Enter, double-click       rename it
    Alt+Left / Alt+Right            move it earlier / later
    L, then another box and Enter   link the two (or unlink them); Esc cancels
    Insert                          add a context;  Delete  remove the chosen one
    Menu key, Shift+F10, right-click  every action in a menu

`WeightingView` draws and takes input; it never stores anything. It asks for each change with
`edit_requested`, and `WeightingPanel` (the view, its buttons and the "Show" choice of a
meeting's snapshot) turns that into one undo command that stores the weighting at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAction,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
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
    QSizePolicy,
    QSpinBox,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import weighting as core
from csfacilitator.core.meetings import list_meetings, meeting_label
from csfacilitator.core.weighting import Weighting
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.weighting_commands import KeepSnapshot, SetWeighting
from csfacilitator.gui.undo import ShowsAndReloads, push
from csfacilitator.storage.database import Database

NEW_CONTEXT = "New context"
_SELECTED_COLOUR = QColor("#1F4E79")
_LINK_SOURCE_COLOUR = QColor("#B45309")
_MARGIN = 6.0
_GAP = 8.0

_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


def _core_rect(rect: QRectF) -> core.Rect:
    return core.Rect(rect.x(), rect.y(), rect.width(), rect.height())


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


class WeightingView(QWidget):
    """Draws a weighting and turns mouse and keys into requested changes."""

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
        self._weighting = core.default_weighting()
        self._preview: Weighting | None = None  # shown while a new context is being named
        self._selected = 0
        self._read_only = False
        self._read_only_reason = ""
        self._link_from: int | None = None
        self._editing: tuple[str, int] | None = None  # ("rename" | "add", box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Context weighting")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        self.editor = NameEditor(self)
        self.editor.committed.connect(self._commit_name)
        self.editor.cancelled.connect(self.cancel_edit)
        self._build_actions()
        self._changed()

    # ---------------------------------------------------------------------------- state

    def weighting(self) -> Weighting:
        """The weighting shown (without a context still being named)."""
        return self._weighting

    def selected(self) -> int:
        return self._selected

    def is_read_only(self) -> bool:
        return self._read_only

    def linking_from(self) -> int | None:
        return self._link_from

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

    def _shown(self) -> Weighting:
        return self._preview or self._weighting

    def _changed(self) -> None:
        self._update_actions()
        self._describe()
        self.update()
        self.shown_changed.emit()

    def _describe(self) -> None:
        shown = self._shown()
        text = core.describe(shown)
        if shown.boxes:
            box = shown.boxes[self._selected]
            share = core.percentages(shown)[self._selected]
            text += f" Selected: {box.name}, {share}%."
        if self._link_from is not None:
            text += f" Linking from {shown.boxes[self._link_from].name}: choose another box."
        if self._read_only:
            text += " Read-only."
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            event = QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            QAccessible.updateAccessibility(event)

    # ---------------------------------------------------------------------------- geometry

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(460, 270)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 170)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(170, min(420, round(width * 0.58)))

    def box_rects(self) -> list[QRectF]:
        """Where each box is drawn, in widget coordinates."""
        area = QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        return [
            QRectF(r.x + area.x(), r.y + area.y(), r.width, r.height)
            for r in core.layout(self._shown(), area.width(), area.height(), _GAP)
        ]

    def box_at(self, point: QPointF) -> int | None:
        for index, rect in enumerate(self.box_rects()):
            if rect.contains(point):
                return index
        return None

    # ---------------------------------------------------------------------------- painting

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shown = self._shown()
        rects = self.box_rects()
        shares = core.percentages(shown)
        labels = [
            self._label_geometry(rect, box.name, f"{share}%")
            for rect, box, share in zip(rects, shown.boxes, shares, strict=True)
        ]
        for index, rect in enumerate(rects):
            fill, edge = core.BOX_COLOURS[index % len(core.BOX_COLOURS)]
            painter.setPen(QPen(QColor(edge), 1.5))
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(rect, 6, 6)

        self._paint_links(painter, shown, rects, labels)
        for index, (rect, label) in enumerate(zip(rects, labels, strict=True)):
            self._paint_label(painter, index, rect, label)
        self._paint_selection(painter, rects)
        painter.end()

    def _label_geometry(self, rect: QRectF, name: str, percent: str) -> dict:
        """Fonts, text and size of a box's label: as large as fits, down to 80%, then elided."""
        inner = rect.adjusted(8, 6, -8, -6)
        base = QFont(self.font())
        for scale in (1.0, 0.9, 0.8):
            name_font = QFont(base)
            name_font.setBold(True)
            name_font.setPointSizeF(base.pointSizeF() * scale)
            percent_font = QFont(base)
            percent_font.setPointSizeF(base.pointSizeF() * scale * 1.1)
            name_metrics, percent_metrics = QFontMetricsF(name_font), QFontMetricsF(percent_font)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
            bounds = name_metrics.boundingRect(
                QRectF(0, 0, max(1.0, inner.width()), 10_000), flags, name
            )
            percent_h = percent_metrics.height()
            fits_w = bounds.width() <= inner.width() + 0.5
            if fits_w and bounds.height() + percent_h <= inner.height():
                return {
                    "name": name,
                    "name_font": name_font,
                    "percent": percent,
                    "percent_font": percent_font,
                    "flags": flags,
                    "name_h": bounds.height(),
                    "percent_h": percent_h,
                    "width": max(bounds.width(), percent_metrics.horizontalAdvance(percent)),
                }
        elided = name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(1.0, inner.width()))
        return {
            "name": elided,
            "name_font": name_font,
            "percent": percent,
            "percent_font": percent_font,
            "flags": Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextSingleLine,
            "name_h": name_metrics.height(),
            "percent_h": percent_h if name_metrics.height() + percent_h <= inner.height() else 0,
            "width": min(inner.width(), name_metrics.horizontalAdvance(elided)),
        }

    @staticmethod
    def _label_rect(rect: QRectF, label: dict) -> QRectF:
        height = label["name_h"] + label["percent_h"]
        center = rect.center()
        return QRectF(
            center.x() - label["width"] / 2, center.y() - height / 2, label["width"], height
        )

    def _paint_label(self, painter: QPainter, index: int, rect: QRectF, label: dict) -> None:
        fill = QColor(core.BOX_COLOURS[index % len(core.BOX_COLOURS)][0])
        block = self._label_rect(rect, label)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)  # the box's own colour behind the words: link lines pass behind
        painter.drawRoundedRect(block.adjusted(-4, -2, 4, 2), 4, 4)
        painter.setPen(QColor(core.TEXT_COLOUR))
        name_rect = QRectF(rect.x() + 8, block.y(), rect.width() - 16, label["name_h"])
        painter.setFont(label["name_font"])
        painter.drawText(name_rect, label["flags"], label["name"])
        if label["percent_h"]:
            painter.setFont(label["percent_font"])
            percent_rect = QRectF(rect.x(), name_rect.bottom(), rect.width(), label["percent_h"])
            painter.drawText(percent_rect, Qt.AlignmentFlag.AlignHCenter, label["percent"])

    def _paint_links(self, painter: QPainter, shown: Weighting, rects, labels) -> None:
        pairs = list(shown.links)
        if self._link_from is not None and self._selected != self._link_from:
            pairs.append((self._link_from, self._selected))  # the link about to be made
        for number, (a, b) in enumerate(pairs):
            preview = number >= len(shown.links)
            colour = _LINK_SOURCE_COLOUR if preview else QColor(core.LINK_COLOUR)
            pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            start_xy, end_xy = core.link_ends(
                _core_rect(rects[a]),
                _core_rect(rects[b]),
                _core_rect(self._label_rect(rects[a], labels[a]).adjusted(-6, -4, 6, 4)),
                _core_rect(self._label_rect(rects[b], labels[b]).adjusted(-6, -4, 6, 4)),
                pad=4,
            )
            start, end = QPointF(*start_xy), QPointF(*end_xy)
            painter.setPen(pen)
            painter.drawLine(start, end)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            for point in (start, end):
                painter.drawEllipse(point, 3.5, 3.5)

    def _paint_selection(self, painter: QPainter, rects: list[QRectF]) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._link_from is not None and self._link_from < len(rects):
            pen = QPen(_LINK_SOURCE_COLOUR, 3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRoundedRect(rects[self._link_from].adjusted(2, 2, -2, -2), 5, 5)
        if not rects:
            return
        rect = rects[min(self._selected, len(rects) - 1)]
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        colour = _SELECTED_COLOUR if colour.lightness() > 200 else colour
        painter.setPen(QPen(colour, 3))
        painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)
        if self.hasFocus():
            focus = QPen(colour, 1, Qt.PenStyle.DotLine)
            painter.setPen(focus)
            painter.drawRoundedRect(rect.adjusted(5, 5, -5, -5), 4, 4)

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


def _button(text: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text.replace("&", ""))
    button.setToolTip(tip)
    button.setAutoDefault(False)
    return button


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
        show_label = QLabel("Sho&w", self)
        self.show_combo = QComboBox(self)
        self.show_combo.setAccessibleName("Show")
        self.show_combo.setToolTip(
            "Look back at the weighting kept at an earlier meeting, to see how it moved."
        )
        self.show_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        show_label.setBuddy(self.show_combo)
        self.show_combo.currentIndexChanged.connect(self._show_chosen)
        self.keep_button = _button(
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

        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
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
            button = _button(text, tip, self)
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
        try:
            push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(f"The weighting could not be saved: {exc}")

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
        try:
            push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))

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
