"""Where a point goes when the chair moves it by keys: Tab and Shift+Tab put it under the point
above or lift it out, Alt+Up/Down reorder it, Alt+Left/Right take it to the next column. Worked
out on the board in memory; the tab turns the answer into an undoable move (MovePoint).
"""

from __future__ import annotations

from csfacilitator.core import vocab
from csfacilitator.core.board import MAX_DEPTH
from csfacilitator.gui.board.column_model import PointNode
from csfacilitator.gui.board.document import BoardDocument, Location

COLUMNS = tuple(vocab.BOARD_COLUMNS)


def move_target(doc: BoardDocument, action: str, handle: int) -> tuple[Location | None, str, str]:
    """Where `action` (indent, outdent, up, down, left, right) takes point `handle`: (the place,
    the undo step's name, why it cannot go: empty at an edge, where nothing needs saying)."""
    node = doc.node(handle)
    if node.parent is None:  # a column's root: not a point
        return None, "", ""
    here = doc.location(handle)
    siblings = node.parent.children
    if action == "indent":
        if here.row == 0:
            return None, "", "There is no point above this one to put it under."
        above = siblings[here.row - 1]
        if above.depth() + 1 + _height(node) > MAX_DEPTH:
            return None, "", f"Points can be nested at most {MAX_DEPTH} levels deep."
        return Location(here.column, above.handle, len(above.children)), "Indent point", ""
    if action == "outdent":
        if here.parent_handle is None:
            return None, "", "This point is already at the top level."
        up = doc.location(here.parent_handle)
        return Location(here.column, up.parent_handle, up.row + 1), "Outdent point", ""
    if action == "up":
        if here.row == 0:
            return None, "", ""
        return Location(here.column, here.parent_handle, here.row - 1), "Move point up", ""
    if action == "down":
        if here.row >= len(siblings) - 1:
            return None, "", ""
        return Location(here.column, here.parent_handle, here.row + 1), "Move point down", ""
    if action in ("left", "right"):
        index = COLUMNS.index(here.column) + (1 if action == "right" else -1)
        if not 0 <= index < len(COLUMNS):
            return None, "", ""
        key = COLUMNS[index]
        label = f"Move point to {vocab.BOARD_COLUMNS[key]}"
        return Location(key, None, len(doc.models[key].root.children)), label, ""
    return None, "", ""


def _height(node: PointNode) -> int:
    """Levels in a point's subtree, the point itself counting as 1."""
    return 1 + max((_height(child) for child in node.children), default=0)
