"""A board column model's rows stay right when points are inserted, moved and removed before
others (PointNode.row keeps a hint of its place, checked before use)."""

from __future__ import annotations

from types import SimpleNamespace

from csfacilitator.gui.board.column_model import ColumnModel, PointNode


def _model(qapp) -> ColumnModel:  # noqa: ANN001 - pytest-qt's fixture
    document = SimpleNamespace(token="t", nodes={}, flags={}, matches=set())
    return ColumnModel("concerns", document)  # type: ignore[arg-type]


def _assert_rows(model: ColumnModel, parent: PointNode) -> None:
    for row, node in enumerate(parent.children):
        assert node.row() == row
        index = model.index_of(node)
        assert (index.row(), model.node_at(index)) == (row, node)
        assert model.parent(index) == model.index_of(parent)
        _assert_rows(model, node)


def test_rows_follow_inserts_moves_and_removes(qapp) -> None:  # noqa: ANN001
    model = _model(qapp)
    nodes = [PointNode(h, h, f"point {h}", None) for h in range(1, 7)]
    model.insert_nodes(model.root, 0, nodes[:4])
    _assert_rows(model, model.root)
    model.insert_nodes(model.root, 1, [nodes[4]])  # before three others
    assert [n.handle for n in model.root.children] == [1, 5, 2, 3, 4]
    _assert_rows(model, model.root)
    model.insert_nodes(nodes[2], 0, [nodes[5]])  # a sub-point under point 3
    _assert_rows(model, model.root)
    model.move_node(nodes[3], model.root, 0)  # the last to the front
    assert [n.handle for n in model.root.children] == [4, 1, 5, 2, 3]
    _assert_rows(model, model.root)
    model.move_node(nodes[5], model.root, 2)  # the sub-point out to the top level
    assert [n.handle for n in model.root.children] == [4, 1, 6, 5, 2, 3]
    _assert_rows(model, model.root)
    model.remove_node(nodes[0])
    assert [n.handle for n in model.root.children] == [4, 6, 5, 2, 3]
    _assert_rows(model, model.root)
