"""The line under each column where points are typed, and the undo keys the board shares.

Nested points are typed without leaving the line: Tab (once something is typed) makes the line
a sub-point of the point above it, Shift+Tab takes it back out a level, and Ctrl+Enter adds it
as a sub-point in one key. The level sticks, so a run of sub-points costs nothing more; the line
shows it by its indent and says under which point it will go. An empty line passes Tab on, and
Shift+Tab at the top level too, so the keyboard still moves from field to field.
Pasted lines keep their levels, read from their indentation or Word's bullets (•, o, §).

A QLineEdit keeps Ctrl+Z for its own typing even when it is empty, which would make the board's
undo dead while the cursor waits for the next point. An empty entry field therefore passes undo
and redo on: to the window's Edit menu (by not claiming the shortcut) or, when no window action
exists, to the board through `board_undo` / `board_redo`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from csfacilitator.core.board import MAX_DEPTH
from csfacilitator.core.textclean import clean_text, one_line, strip_bullet

if TYPE_CHECKING:
    from csfacilitator.gui.board.column_model import ColumnModel, PointNode

# QLineEdit's default limit (32,767) would cut long points short; points may be 100,000+.
MAX_LENGTH = 1_000_000
_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_ALT = Qt.KeyboardModifier.AltModifier
#: Pixels of indent per level in the line (the column lists indent 22; the line is narrower).
LEVEL_INDENT = 16
#: The "↳" drawn in the indent of a nested line (the Safety plan blue: dark on white).
LEVEL_COLOUR = "#1f4e79"
#: The keys, as the placeholder, tooltip and quick guide name them.
NEST_KEYS = "Tab"
UNNEST_KEYS = "Shift+Tab"
ADD_NESTED_KEYS = "Ctrl+Enter"

#: An outline item: (level, text), level 0 being the level the lines are added at.
OutlineItem = tuple[int, str]


def undo_kind(event: QKeyEvent) -> str | None:
    """'undo' for Ctrl+Z, 'redo' for Ctrl+Shift+Z or Ctrl+Y (and the platform's own keys)."""
    mods = event.modifiers() & (_CTRL | _SHIFT | Qt.KeyboardModifier.AltModifier)
    if event.key() == Qt.Key.Key_Z and mods == _CTRL:
        return "undo"
    if (event.key() == Qt.Key.Key_Z and mods == _CTRL | _SHIFT) or (
        event.key() == Qt.Key.Key_Y and mods == _CTRL
    ):
        return "redo"
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    return None


def _is_enter(event: QKeyEvent) -> bool:
    """Enter or Return without Ctrl, Alt or Shift: what adds the line as a point. QLineEdit
    leaves it to its parents too (for a dialog's default button); on the board none has a use
    for it, and each of its three events (shortcut check, press, release) passing up through
    the window's ten widgets and the app's event filters cost about a tenth of an Enter's
    handling."""
    return event.key() in _ENTER_KEYS and not event.modifiers() & _NOT_PLAIN


_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_NOT_PLAIN = _CTRL | _SHIFT | _ALT | Qt.KeyboardModifier.MetaModifier


# Word's plain text marks list levels by glyph, not by indent: •, then o, then § (or ▪).
_WORD_LEVELS = {
    "\u2022": 0, "\u00b7": 0, "\uf0b7": 0, "\u25cf": 0,
    "o": 1, "\u25e6": 1,
    "\u00a7": 2, "\uf0a7": 2, "\u25aa": 2, "\u25a0": 2,
}  # fmt: skip
_LEADING_SPACE = re.compile(r"^[ \t\u00a0]*")
# Word's Wingdings glyphs (square, arrow, diamond) that the shared bullet rule leaves in.
_WINGDINGS = re.compile(r"^[ \t\u00a0]*[\uf0a7\uf0d8\uf076\uf0fc]+\s+")


def _without_bullet(line: str) -> str:
    rest = strip_bullet(line)
    return _WINGDINGS.sub("", line, count=1) if rest == line else rest


def _indent_key(line: str) -> int:
    """How far in a pasted line starts: its indentation (a tab as four spaces), and for a
    Word bullet the level its glyph stands for."""
    leading = _LEADING_SPACE.match(line)  # always matches: it may match nothing
    space = (leading.group(0) if leading else "").replace("\u00a0", " ").expandtabs(4)
    bullet = line[: len(line) - len(_without_bullet(line))].strip()
    glyph = bullet[:1] if bullet else ""
    return len(space) + 1000 * _WORD_LEVELS.get(glyph, 0)


def outline_items(text: str) -> list[OutlineItem]:
    """Pasted text as (level, text) items: bullets and numbering removed, each line cleaned,
    levels from the indentation (a line further in than the one above goes one level under
    it; back out to the level whose indentation it matches or passes)."""
    items: list[OutlineItem] = []
    open_keys: list[int] = []
    for line in clean_text(text, multiline=True).split("\n"):
        item = clean_text(_without_bullet(line), multiline=False)
        if not item:
            continue
        key = _indent_key(line)
        while open_keys and open_keys[-1] > key:
            open_keys.pop()
        if not open_keys or open_keys[-1] < key:
            open_keys.append(key)
        items.append((len(open_keys) - 1, item))
    return items


def pasted_lines() -> list[OutlineItem] | None:
    """The clipboard as outline items, if it holds more than one line; else None."""
    text = QGuiApplication.clipboard().text()
    if not text or "\n" not in clean_text(text, multiline=True):
        return None
    items = outline_items(text)
    return items if len(items) > 1 else None


def bottom_chain(parent: PointNode) -> list[PointNode]:
    """The last point under `parent`, then its last sub-point, and so on down."""
    chain = []
    node = parent
    while node.children:
        node = node.children[-1]
        chain.append(node)
    return chain


class EntryField(QLineEdit):
    """Type a point, press Enter; paste several lines to add one point per line (nested as
    they were). Tab / Shift+Tab / Ctrl+Enter choose the level (see the module's notes)."""

    paste_lines = Signal(list)
    board_undo = Signal()
    board_redo = Signal()
    #: Up arrow: go up into the column's points.
    to_points = Signal()
    #: The level the next point goes in changed (0 = a point of its own).
    level_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, model: ColumnModel | None = None):
        super().__init__(parent)
        self.setMaxLength(MAX_LENGTH)
        self.model = model
        self._level = 0
        self._label = ""
        self._shown: tuple | None = None
        if model is not None:
            for signal in (
                model.rowsInserted,
                model.rowsRemoved,
                model.modelReset,
                model.dataChanged,
            ):
                signal.connect(self._show_level)

    # -- the level -------------------------------------------------------------------------

    def set_label(self, label: str) -> None:
        """The field's name ("Add to Strengths"): its accessible name and top-level placeholder."""
        self._label = label
        self.setAccessibleName(label)
        self._show_level()

    def _chain(self) -> list[PointNode]:
        return bottom_chain(self.model.root) if self.model is not None else []

    def max_level(self) -> int:
        """As deep as the line may go: under the last point, within the board's limit."""
        return min(len(self._chain()), MAX_DEPTH - 1)

    @property
    def level(self) -> int:
        return min(self._level, self.max_level())

    def set_level(self, level: int) -> bool:
        """Choose the level of the next point; False (and a beep) if it cannot go there."""
        wanted = max(0, level)
        allowed = min(wanted, self.max_level())
        changed = allowed != self.level
        self._level = allowed
        self._show_level()
        if changed:
            self.level_changed.emit(allowed)
        if allowed != wanted:
            QApplication.beep()
        return allowed == wanted

    def parent_node(self) -> PointNode | None:
        """The point the next point goes under (None: a point of its own)."""
        level = self.level
        return self._chain()[level - 1] if level else None

    def parent_handle(self) -> int | None:
        node = self.parent_node()
        return node.handle if node is not None else None

    def _show_level(self, *_args) -> None:
        """Show the level (called on every change to the column: only redraws on a change)."""
        level = self.level
        parent = self.parent_node()
        shown = (level, self._label, parent.text if parent is not None else None)
        if shown == self._shown:
            return
        self._shown = shown
        self.setTextMargins(level * LEVEL_INDENT, 0, 0, 0)
        if parent is None:
            self.setPlaceholderText(self._label)
            self.setAccessibleDescription("")
        else:
            where = f"Sub-point of “{one_line(parent.text, 40)}”"
            self.setPlaceholderText(f"{where} ({UNNEST_KEYS}: back out)")
            self.setAccessibleDescription(f"{where}, level {level + 1}")
        self.update()

    def outline_at_level(self, items: list[OutlineItem]) -> list[OutlineItem]:
        """Pasted items moved to the line's level (so they land where the line would)."""
        level = self.level
        return [(level + depth, text) for depth, text in items]

    # -- keys ------------------------------------------------------------------------------

    def _passes_undo_on(self, event: QKeyEvent) -> str | None:
        kind = undo_kind(event)
        if kind is None or self.text():
            return None
        return kind

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent):  # ShortcutOverride and KeyPress both are
            kind = event.type()
            if kind == QEvent.Type.ShortcutOverride:
                if _is_enter(event):
                    event.accept()  # the line's own key: no shortcut, nor parent, is asked
                    return True
                if self._passes_undo_on(event):
                    event.ignore()  # let the window's Undo/Redo action have the key
                    return True
            if kind == QEvent.Type.KeyPress and self._level_key(event):
                return True  # before QWidget moves the focus on Tab
        return super().event(event)

    def _level_key(self, event: QKeyEvent) -> bool:
        """Tab with something typed: one level in. Shift+Tab while nested: one level out."""
        key, mods = event.key(), event.modifiers()
        if mods & (_CTRL | _ALT) or key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return False
        backwards = key == Qt.Key.Key_Backtab or bool(mods & _SHIFT)
        if backwards:
            if self.level == 0:
                return False  # on to the previous control
            self.set_level(self.level - 1)
            return True
        if not self.text():
            return False  # an empty line: on to the next control
        self.set_level(self.level + 1)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if _is_enter(event):
            super().keyPressEvent(event)  # returnPressed: the point is added
            event.accept()  # and the key goes no further (QLineEdit passes it to its parents)
            return
        kind = self._passes_undo_on(event)
        if kind == "undo":
            self.board_undo.emit()
            return
        if kind == "redo":
            self.board_redo.emit()
            return
        if event.key() == Qt.Key.Key_Up and not event.modifiers():
            self.to_points.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (event.modifiers() & _CTRL):
            # Ctrl+Enter: as a sub-point of the point above, in one key.
            if not self.text() or not self.set_level(self.level + 1):
                return
            self.returnPressed.emit()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            lines = pasted_lines()
            if lines is not None:
                self.paste_lines.emit(self.outline_at_level(lines))
                return
            text = clean_text(QGuiApplication.clipboard().text(), multiline=False)
            self.insert(text)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if _is_enter(event):
            event.accept()  # as the press: the line's own key, not its parents'
            return
        super().keyReleaseEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        level = self.level
        if not level:
            return
        painter = QPainter(self)
        painter.setPen(QColor(LEVEL_COLOUR))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        margin = self.textMargins().left()
        rect = self.contentsRect().adjusted(4, 0, 0, 0)
        rect.setWidth(margin)
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), "↳ "
        )
        painter.end()

    def take_text(self) -> str:
        """The typed text, leaving the field empty (and its own undo history cleared)."""
        text = self.text()
        self.setText("")
        return text
