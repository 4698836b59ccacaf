"""A point added to a long column costs the same Python work as one added to a short column.

QTreeView lays out the whole column again after every row added to an expanded parent, asking
the model and the delegate about each row (index, parent, hasChildren, flags, the row's size).
The board keeps those answers in C++ (column_model.py); if any of them came from Python again,
one Enter would make a Python call per row, so the calls counted here would grow with the
column. Counted, not timed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import SimpleNamespace

from csfacilitator.gui.board.column_model import ColumnModel, PointNode
from csfacilitator.gui.board.column_view import ColumnView


def _python_calls(action: Callable[[], None]) -> int:
    """How many Python functions run (from Python or called back by Qt) during `action`."""
    calls = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def _calls_to_add_one(qtbot, rows: int) -> int:  # noqa: ANN001 - pytest-qt's fixture
    document = SimpleNamespace(token="t", nodes={}, flags={}, matches=set())
    model = ColumnModel("concerns", document)  # type: ignore[arg-type]
    view = ColumnView(model)
    qtbot.addWidget(view)
    view.resize(340, 600)
    view.show()
    qtbot.waitExposed(view)
    nodes = []
    for handle in range(1, rows + 1):
        node = PointNode(
            handle, handle, f"Point {handle} " + "with some words " * (handle % 7), None
        )
        if handle % 10 == 0:  # every tenth point has a sub-point
            child = PointNode(-handle, -handle, f"Sub-point of {handle}", node)
            node.children.append(child)
        nodes.append(node)
    model.insert_nodes(model.root, 0, nodes)
    view.executeDelayedItemsLayout()
    qtbot.wait(1)
    new = PointNode(10_000, 10_000, "A new point typed at the end of the column", None)

    def add() -> None:
        model.insert_nodes(model.root, len(model.root.children), [new])
        index = model.index_of(new)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.executeDelayedItemsLayout()  # the whole column laid out again, now

    calls = _python_calls(add)
    assert model.node_at(view.currentIndex()) is new
    assert view.visualRect(view.currentIndex()).intersects(view.viewport().rect())
    return calls


def test_adding_a_point_asks_python_nothing_per_row(qtbot) -> None:  # noqa: ANN001
    short = _calls_to_add_one(qtbot, 50)
    long = _calls_to_add_one(qtbot, 500)
    # 450 more rows (495 more view rows) laid out again: no more Python calls than a few.
    assert long - short < 20, (short, long)
