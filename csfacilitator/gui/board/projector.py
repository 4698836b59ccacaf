"""The projector: the live board as the room sees it.

Where it opens (a second screen, else a preview beside the board) and where it comes back to when
the projector screen is unplugged: `projector_screens.ProjectorScreens`, which this window extends.

It shows the conference title, the current agenda item and the four columns with their points,
and nothing else. A point flagged as a possible personal detail is never projected as typed: it
reads "Personal detail hidden" until its text no longer looks like one (the chair rewords it, or
the name leaves the keep-out list). The type is fitted to the screen: as points are added it shrinks
down to a minimum readable from the back of a hall (capitals at least 24 px tall on a 1080-pixel
screen), and past that each column is cut into pages rather than shrinking further.

Paging rule: each column shows the page holding its anchor, the point last typed or edited there
(at first, its newest point). The last page is filled backwards from the newest point, so it
shows the newest point and as many before it as fit; earlier pages run forwards from the first
point. Page Up/Down lets the room look back, until the next edit in that column brings it back.
A change of size (Ctrl++, Ctrl+-, Ctrl+0, a new window size) keeps each column's anchor in view.

Keys (wherever the projector has the focus): Esc or Shift+F5 closes, B blanks (B again restores),
H high contrast, Ctrl++ (Ctrl+= or Ctrl+Shift+=, keypad +) and Ctrl+- bigger and smaller, Ctrl+0
as fitted, Page Up/Down pages, F11 (or F5) full screen and back to the preview with one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QMainWindow, QWidget

from csfacilitator.core.board import PointRecord, ProjectionData
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector_geometry import (
    BoardContent,
    BoardLayout,
    ColumnLayout,
    PageCache,
    build_layout,
)
from csfacilitator.gui.board.projector_layout import Entry
from csfacilitator.gui.board.projector_render import (
    HIGH_CONTRAST_THEME,
    NORMAL_THEME,
    paint_board,
)
from csfacilitator.gui.board.projector_screens import PREVIEW, ProjectorScreens
from csfacilitator.gui.board.projector_text import TextMeasure

WINDOW_TITLE = "CS Facilitator – Projector"
ACCESSIBLE_DESCRIPTION = (
    "Shows the room the conference title, the current agenda item and the four board columns. "
    "Escape or Shift F5 closes it, B blanks the screen, H switches high contrast, Control plus "
    "and minus change the text size, Page Up and Page Down turn the pages of long columns, F11 "
    "shows it full screen."
)
SCALE_STEP = 1.1
MIN_SCALE, MAX_SCALE = 0.5, 2.5

SMALLEST_SIZE = "The projector text is at its smallest readable size; long columns page instead."


def _frame(layout: BoardLayout) -> tuple:
    """Everything of a layout but the columns' bullets and pages."""
    return (
        layout.width,
        layout.height,
        layout.point_px,
        layout.heading_px,
        layout.footer_px,
        layout.title_top,
        layout.item_top,
        layout.rule_y,
        tuple(
            (c.panel.getRect(), c.band.getRect(), tuple(c.heading_lines)) for c in layout.columns
        ),
    )


class _Bullet(NamedTuple):
    """A bullet with the bullets nested under it (for `ProjectorWindow.projection`)."""

    entry: Entry
    children: list[_Bullet]


def _changed_ids(old: list[Entry], new: list[Entry]) -> list[int]:
    before = {e.point_id: (e.text, e.masked) for e in old}
    return [e.point_id for e in new if before.get(e.point_id) != (e.text, e.masked)]


class ProjectorWindow(ProjectorScreens):
    """The widget that paints the board; create it once and open/close it at will. Where it is
    shown, and `host`, are ProjectorScreens' business."""

    #: Emitted with the new state when the picture is blanked or restored.
    blank_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, host: QMainWindow | None = None):
        super().__init__(parent, host=host)
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("Projector")
        self.setAccessibleDescription(ACCESSIBLE_DESCRIPTION)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(160, 90)
        self._content = BoardContent()
        self._measure = TextMeasure()
        self._page_cache: PageCache = {}
        self._layout: BoardLayout | None = None
        self._anchors: dict[str, int | None] = {}
        self._pages: dict[str, int] = {}
        self._user_blank = False
        self._locked = False
        self._high_contrast = False
        self._scale = 1.0

    # -- content: a whole board at once ---------------------------------------------------------

    @property
    def content(self) -> BoardContent:
        return self._content

    @property
    def projection(self) -> ProjectionData:
        """What the room sees, as plain records (flagged points read MASKED_TEXT); built from
        the projector's own bullets, for checks and tests."""
        columns: dict[str, tuple[PointRecord, ...]] = {}
        for key, entries in self._content.entries.items():
            roots: list[_Bullet] = []
            stack: list[tuple[int, _Bullet]] = []
            for entry in entries:
                node = _Bullet(entry, [])
                while stack and stack[-1][0] >= entry.depth:
                    stack.pop()
                (stack[-1][1].children if stack else roots).append(node)
                stack.append((entry.depth, node))

            def record(
                node: _Bullet, parent_id: int | None, row: int, key: str = key
            ) -> PointRecord:
                entry, children = node
                kids = tuple(record(c, entry.point_id, i) for i, c in enumerate(children))
                return PointRecord(entry.point_id, 0, key, parent_id, row, entry.text, kids)

            columns[key] = tuple(record(node, None, i) for i, node in enumerate(roots))
        content = self._content
        return ProjectionData(
            content.conference_title, content.meeting_label, content.current_item, columns
        )

    def set_projection(self, data: ProjectionData, masked: frozenset[int] = frozenset()) -> None:
        """Show this whole board (the points whose ids are in `masked` read "Personal detail
        hidden"). The live board feeds the projector point by point instead (ProjectorFeed)."""
        self.set_header(data.conference_title, data.meeting_label, data.current_item)
        for key, points in data.columns.items():
            self._layout = None  # one layout for the whole board, at the next paint
            self.set_column(key, rules.flatten(points, masked=masked))

    # -- content: what changed ------------------------------------------------------------------

    def set_header(self, title: str, label: str, item: str) -> None:
        content = self._content
        if (content.conference_title, content.meeting_label, content.current_item) == (
            title,
            label,
            item,
        ):
            return
        content.conference_title, content.meeting_label, content.current_item = title, label, item
        self._invalidate()

    def set_column(self, key: str, entries: list[Entry]) -> None:
        """Replace a column's bullets (a structural change: a delete, a move, a reload).

        The point just typed (for a board shown for the first time, its last point) becomes the
        column's anchor."""
        old = self._content.entries.get(key, [])
        changed = _changed_ids(old, entries)
        kept = {e.point_id for e in old}.intersection(e.point_id for e in entries)
        if entries and not kept:
            self._anchors[key] = entries[-1].point_id  # a new board: its last point
        elif changed:
            self._anchors[key] = max(changed)
        elif not entries and not old:
            return
        self._content.entries[key] = list(entries)
        self._column_changed(key)

    def insert_entries(
        self, key: str, index: int, entries: list[Entry], anchor: int | None = None
    ) -> None:
        """New points (with their sub-points) at bullet `index` of a column; `anchor` (by default
        the last new bullet) becomes the column's anchor, so its page is shown."""
        if not entries:
            return
        self._content.entries.setdefault(key, [])[index:index] = entries
        self._anchors[key] = entries[-1].point_id if anchor is None else anchor
        self._column_changed(key, inserted=(index, len(entries)))

    def replace_entry(self, key: str, index: int, entry: Entry, *, anchor: bool = True) -> None:
        """One point's new text (or mask); with `anchor`, its page is shown."""
        column = self._content.entries[key]
        if column[index] == entry:
            return
        column[index] = entry
        if anchor:
            self._anchors[key] = entry.point_id
        self._column_changed(key)

    def _column_changed(self, key: str, inserted: tuple[int, int] | None = None) -> None:
        """A column's bullets changed: a new version of it (with `inserted`, the bullets put in
        at (index, count), so only they are measured again), painted where it shows."""
        versions = self._content.versions
        versions[key] = versions.get(key, 0) + 1
        if inserted is not None:
            self._content.inserts[key] = (versions[key], *inserted)
        old = self._layout
        self._layout = None
        if old is None or not self.isVisible() or self.is_blank:
            self.update()
            return
        # Repaint only the columns whose content changed, when nothing else moved (the size of
        # the type, the headings): one column painted instead of the whole board.
        new = self._current_layout()
        if _frame(old) != _frame(new):
            self.update()
            return
        area = self.picture_rect()
        scale = area.width() / max(1, new.width)
        dirty = QRegion()
        for before, after in zip(old.columns, new.columns, strict=True):
            if after.key == key or (before.page, before.pages) != (after.page, after.pages):
                panel = after.panel
                rect = QRectF(
                    area.x() + panel.x() * scale,
                    area.y() + panel.y() * scale,
                    panel.width() * scale,
                    panel.height() * scale,
                )
                dirty += rect.toAlignedRect().adjusted(-1, -1, 1, 1)
        self.update(dirty)

    # -- blanking -------------------------------------------------------------------------------

    @property
    def is_blank(self) -> bool:
        """True while nothing of the board is painted (B, set_blank, or the app's lock)."""
        return self._user_blank or self._locked

    def set_blank(self, blank: bool) -> None:
        was = self.is_blank
        self._user_blank = bool(blank)
        self._blank_state_changed(was)

    def toggle_blank(self) -> None:
        self.set_blank(not self._user_blank)

    @property
    def is_locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """Blank the projector in a way the B key cannot undo (for the app's lock)."""
        was = self.is_blank
        self._locked = bool(locked)
        self._blank_state_changed(was)
        dock = self._dock
        if dock is not None and dock.isFloating() and self._mode == PREVIEW:
            # A floating preview is a window of its own: out of sight while the app is locked.
            dock.setVisible(not self._locked)

    def _blank_state_changed(self, was: bool) -> None:
        if was != self.is_blank:
            self.blank_changed.emit(self.is_blank)
        self.update()

    # -- look -----------------------------------------------------------------------------------

    @property
    def is_high_contrast(self) -> bool:
        return self._high_contrast

    def set_high_contrast(self, on: bool) -> None:
        self._high_contrast = bool(on)
        self.update()

    def toggle_high_contrast(self) -> None:
        self.set_high_contrast(not self._high_contrast)

    @property
    def user_scale(self) -> float:
        """The chair's size nudge on top of the fitted size (1.0 = as fitted)."""
        return self._scale

    def set_user_scale(self, scale: float) -> None:
        self._scale = min(MAX_SCALE, max(MIN_SCALE, round(scale, 3)))
        self._invalidate()

    def zoom_in(self) -> None:
        self.set_user_scale(self._scale * SCALE_STEP)

    def zoom_out(self) -> None:
        before = self.point_px
        self.set_user_scale(self._scale / SCALE_STEP)
        if self.point_px == before:
            self._scale = max(MIN_SCALE, min(self._scale, 1.0))
            self.status_message.emit(SMALLEST_SIZE)

    def zoom_reset(self) -> None:
        self.set_user_scale(1.0)

    # -- pages ----------------------------------------------------------------------------------

    @property
    def point_px(self) -> int:
        """The pixel size the points are drawn at for the current window size."""
        return self._current_layout().point_px

    def page_count(self, column: str) -> int:
        return self._column(column).page_count

    def current_page(self, column: str) -> int:
        """The page shown in a column, counting from 0."""
        return self._column(column).page

    def shown_ids(self, column: str) -> list[int]:
        """The ids of the points on the page shown in a column, top to bottom."""
        layout = self._column(column)
        return [layout.entries[i].point_id for i in layout.page_range()]

    def page_down(self) -> None:
        self._turn_pages(+1)

    def page_up(self) -> None:
        self._turn_pages(-1)

    def _turn_pages(self, step: int) -> None:
        for column in self._current_layout().columns:
            if column.page_count > 1:
                page = min(max(column.page + step, 0), column.page_count - 1)
                self._pages[column.key] = page
                first = column.pages[page][0]
                self._anchors[column.key] = (
                    column.entries[first].point_id if first < len(column.entries) else None
                )
        self._invalidate()

    def _column(self, key: str) -> ColumnLayout:
        return next(c for c in self._current_layout().columns if c.key == key)

    def _current_layout(self) -> BoardLayout:
        width, height = self.layout_size()
        layout = self._layout
        if layout is None or (layout.width, layout.height) != (width, height):
            layout = build_layout(
                self._content,
                width,
                height,
                self._scale,
                self._measure,
                self._anchors,
                self._pages,
                self._page_cache,
            )
            self._pages = {column.key: column.page for column in layout.columns}
            self._layout = layout
        return layout

    def _invalidate(self) -> None:
        self._layout = None
        self.update()

    # -- Qt events ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            area = self.picture_rect()
            if area != self.rect():
                painter.fillRect(self.rect(), self.palette().window())
            if self.is_blank:
                painter.fillRect(area, Qt.GlobalColor.black)
                return
            theme = HIGH_CONTRAST_THEME if self._high_contrast else NORMAL_THEME
            layout = self._current_layout()
            painter.translate(area.topLeft())
            scale = area.width() / max(1, layout.width)
            if abs(scale - 1) > 1e-3:
                painter.scale(scale, scale)
            dirty = event.rect()
            only = None
            if not dirty.contains(area):
                only = QRectF(
                    (dirty.x() - area.x()) / scale,
                    (dirty.y() - area.y()) / scale,
                    dirty.width() / scale,
                    dirty.height() / scale,
                )
            paint_board(painter, layout, self._content, theme, self._measure, only)
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        self._layout = None
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # Our keys come to keyPressEvent even where a window's shortcut would take them first
        # (the preview lives inside the main window).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._action_for(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def _action_for(self, event: QKeyEvent) -> Callable[[], object] | None:
        """What a key does on the projector, or None. Ctrl++ is Key_Plus with Shift on UK and US
        layouts (Ctrl+Shift+=), Key_Equal without Shift, Key_Plus on the keypad: all zoom in."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        others = modifiers & ~(
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        shift = modifiers == Qt.KeyboardModifier.ShiftModifier
        if control and not others:
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                return self.zoom_in
            if key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
                return self.zoom_out
            if key in (Qt.Key.Key_0, Qt.Key.Key_ParenRight):
                return self.zoom_reset
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            return self.zoom_in
        if event.matches(QKeySequence.StandardKey.ZoomOut):
            return self.zoom_out
        if (plain and key == Qt.Key.Key_Escape) or (shift and key == Qt.Key.Key_F5):
            return self.close
        if plain and key in (Qt.Key.Key_F11, Qt.Key.Key_F5):
            return self.toggle_full_screen
        if not plain:
            return None
        keys: dict[int, Callable[[], object]] = {
            Qt.Key.Key_B: self.toggle_blank,
            Qt.Key.Key_H: self.toggle_high_contrast,
            Qt.Key.Key_PageDown: self.page_down,
            Qt.Key.Key_PageUp: self.page_up,
        }
        return keys.get(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        action = self._action_for(event)
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    # -- where it is shown ----------------------------------------------------------------------
