"""The four-column flipchart board of one meeting: points with nested sub-points.

Every operation is one short transaction and returns plain records. Sibling positions are kept
dense (0, 1, 2, ...) within one parent (or, for top-level points, within one column); a sub-point
always lives in its parent's column.

Long because every operation on the tree of points shares the helpers here (siblings, depth,
subtrees), and add_points keeps the statements of an Enter, built once, beside them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    Delete,
    ScalarSelect,
    Select,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from csfacilitator.core import vocab
from csfacilitator.core.meetings import (
    get_meeting,
    list_meetings,
    meeting_label,
    no_meeting,
)
from csfacilitator.core.model import Base, BoardPoint, Conference, Draft, Meeting
from csfacilitator.core.rows import existing_row, free_id
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

EMPTY_POINT = "A point needs some text."


@dataclass(frozen=True)
class PointRecord:
    id: int
    meeting_id: int
    column: str
    parent_id: int | None
    position: int
    text: str
    children: tuple[PointRecord, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ProjectionData:
    """What the projector shows: the room sees the board, never referrals or flags."""

    conference_title: str
    meeting_label: str
    current_item: str
    columns: dict[str, tuple[PointRecord, ...]]


def _tree(rows: list[BoardPoint]) -> dict[str, tuple[PointRecord, ...]]:
    by_parent: dict[int | None, list[BoardPoint]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(parent_id: int | None, column: str | None) -> tuple[PointRecord, ...]:
        children = sorted(by_parent.get(parent_id, []), key=lambda r: (r.position, r.id))
        return tuple(
            PointRecord(
                r.id, r.meeting_id, r.column, r.parent_id, r.position, r.text, build(r.id, None)
            )
            for r in children
            if column is None or r.column == column
        )

    return {key: build(None, key) for key in vocab.BOARD_COLUMNS}


def board_tree(db: Database, meeting_id: int) -> dict[str, tuple[PointRecord, ...]]:
    """Every point of a meeting: column key -> top-level points in order, each with children."""
    with db.read_session() as s:
        return board_tree_in(s, meeting_id)


def board_tree_in(s: Session, meeting_id: int) -> dict[str, tuple[PointRecord, ...]]:
    """board_tree inside a session already open (a paper reading everything in one)."""
    return _tree(list(s.scalars(select(BoardPoint).where(BoardPoint.meeting_id == meeting_id))))


# -- helpers -------------------------------------------------------------------------------


def clean_point_text(text: object) -> str:
    """A point's text as stored: one line, cleaned; refuses text that is empty after cleaning."""
    cleaned = clean_text(text, multiline=False)
    if not cleaned:
        raise UserError(EMPTY_POINT)
    return cleaned


def _check_column(column: str) -> None:
    if column not in vocab.BOARD_COLUMNS:
        raise UserError(f"'{column}' is not a column of the board.")


def _get_point(s: Session, point_id: int) -> BoardPoint:
    return existing_row(s, BoardPoint, point_id, POINT_GONE)


def _siblings(meeting_id: object, column: object, parent_id: object) -> list:
    """WHERE clauses selecting the points that share one parent (or one column's top level);
    the values may be bound parameters. Table columns, so a Core select stays Core."""
    points = Base.metadata.tables[BoardPoint.__tablename__].c
    if parent_id is None:
        return [
            points.meeting_id == meeting_id,
            points.parent_id.is_(None),
            points.column == column,
        ]
    return [points.parent_id == parent_id]


def _count(s: Session, where: list, exclude_id: int | None = None) -> int:
    query = select(func.count(BoardPoint.id)).where(*where)
    if exclude_id is not None:
        query = query.where(BoardPoint.id != exclude_id)
    return s.scalar(query) or 0


def _shift(s: Session, where: list, from_position: int, delta: int, exclude_id=None) -> None:
    """Move every sibling at or after `from_position` by `delta` places."""
    statement = update(BoardPoint).where(*where, BoardPoint.position >= from_position)
    if exclude_id is not None:
        statement = statement.where(BoardPoint.id != exclude_id)
    s.execute(
        statement.values(position=BoardPoint.position + delta).execution_options(
            synchronize_session=False
        )
    )


MAX_DEPTH = 10  # levels of points, the top level counting as 1; the minutes show three
TOO_DEEP = f"Points can be nested at most {MAX_DEPTH} levels deep."
NO_PARENT = "The point to put this under is no longer on the board."
POINT_GONE = "That point is no longer on the board."


def _level(point_id: object) -> ScalarSelect[int]:
    """The level a point sits at (a top-level point is 1), counted up from it in one statement
    and never past MAX_DEPTH, all the checks need to know; NULL when there is no such point.
    `point_id` may be a bound parameter."""
    points = Base.metadata.tables[BoardPoint.__tablename__].c
    up = (
        select(points.parent_id.label("up_id"), literal(1).label("level"))
        .where(points.id == point_id)
        .cte("up", recursive=True)
    )
    up = up.union_all(
        select(points.parent_id, up.c.level + 1).where(
            points.id == up.c.up_id, up.c.level < MAX_DEPTH
        )
    )
    return select(func.max(up.c.level)).scalar_subquery()


def _depth_of(s: Session, point_id: int | None) -> int:
    """How many levels a point sits at (a top-level point is 1; None, the column, is 0)."""
    if point_id is None:
        return 0
    depth = s.scalar(select(_level(point_id)))
    if depth is None:
        raise NotFound(POINT_GONE)
    return depth


def _height_of(s: Session, point_id: int) -> int:
    """Levels in a point's subtree, the point itself counting as 1."""
    tree = (
        select(BoardPoint.id, literal(1).label("level"))
        .where(BoardPoint.id == point_id)
        .cte(recursive=True)
    )
    tree = tree.union_all(
        select(BoardPoint.id, (tree.c.level + 1).label("level")).where(
            BoardPoint.parent_id == tree.c.id
        )
    )
    return s.scalar(select(func.max(tree.c.level))) or 1


def _subtree_ids(s: Session, point_id: int) -> list[int]:
    tree = select(BoardPoint.id).where(BoardPoint.id == point_id).cte(recursive=True)
    tree = tree.union_all(select(BoardPoint.id).where(BoardPoint.parent_id == tree.c.id))
    return list(s.scalars(select(tree.c.id)))


def _subtree_record(s: Session, root: BoardPoint) -> PointRecord:
    ids = _subtree_ids(s, root.id)
    rows = list(s.scalars(select(BoardPoint).where(BoardPoint.id.in_(ids))))
    by_parent: dict[int | None, list[BoardPoint]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(row: BoardPoint) -> PointRecord:
        children = sorted(by_parent.get(row.id, []), key=lambda r: (r.position, r.id))
        return PointRecord(
            row.id,
            row.meeting_id,
            row.column,
            row.parent_id,
            row.position,
            row.text,
            tuple(build(c) for c in children),
        )

    return build(root)


def _flat(row: BoardPoint) -> PointRecord:
    return PointRecord(row.id, row.meeting_id, row.column, row.parent_id, row.position, row.text)


def _placement(
    s: Session, meeting_id: int, column: str, parent_id: int | None
) -> tuple[str, int | None]:
    """Check where a point may go; a sub-point always takes its parent's column."""
    if parent_id is None:
        _check_column(column)
        return column, None
    parent = s.get(BoardPoint, parent_id)
    if parent is None or parent.meeting_id != meeting_id:
        raise NotFound(NO_PARENT)
    return parent.column, parent.id


# -- operations ----------------------------------------------------------------------------


def add_point(
    db: Database,
    meeting_id: int,
    column: str,
    text: str,
    *,
    parent_id: int | None = None,
    position: int | None = None,
) -> PointRecord:
    """Add one point (at the end unless `position` is given) and return it as stored."""
    return add_points(db, meeting_id, column, [text], parent_id=parent_id, position=position)[0]


def add_points(
    db: Database,
    meeting_id: int,
    column: str,
    texts: Iterable[str],
    *,
    parent_id: int | None = None,
    position: int | None = None,
    draft_key: str | None = None,
) -> list[PointRecord]:
    """Add several points in a row, in one transaction. Texts empty after cleaning are skipped.

    `draft_key` names the draft (core.drafts) the text was typed in: it is removed in the same
    transaction, so one Enter is one write and a crash can never leave the point stored twice
    (once as a point, once as a draft put back in the entry line).

    One Enter is three statements, built once (_add_statements): a read of where the point goes,
    the draft's delete and the insert. Run through the session, they are noted for the change
    notice as the ORM's writes are.
    """
    cleaned = [t for t in (clean_text(text, multiline=False) for text in texts) if t]
    if not cleaned:
        raise UserError(EMPTY_POINT)
    read_top, read_under, delete_draft, insert_point = _add_statements()
    with db.session() as s:
        if parent_id is None:
            read, params = read_top, {"meeting_id": meeting_id, "column": column}
        else:
            read, params = read_under, {"meeting_id": meeting_id, "parent_id": parent_id}
        found = s.execute(read, params).first()
        if found is None:
            raise NotFound(no_meeting(meeting_id))
        conference_id, count = found[0], found[-1]
        if draft_key is not None:
            s.execute(delete_draft, {"conference_id": conference_id, "key": draft_key})
        if parent_id is None:
            _check_column(column)
        else:
            _, parent_meeting, parent_column, depth, _ = found
            if parent_meeting != meeting_id:  # gone, or on another meeting's board
                raise NotFound(NO_PARENT)
            if depth >= MAX_DEPTH:
                raise UserError(TOO_DEEP)
            column = parent_column
        start = count if position is None else max(0, min(position, count))
        if start < count:
            _shift(s, _siblings(meeting_id, column, parent_id), start, len(cleaned))
        place = {"meeting_id": meeting_id, "column": column, "parent_id": parent_id}
        records = []
        for at, text in enumerate(cleaned, start):
            inserted = s.execute(insert_point, {**place, "position": at, "text": text})
            records.append(
                PointRecord(inserted.scalar_one(), meeting_id, column, parent_id, at, text)
            )
        return records


@functools.cache
def _add_statements() -> tuple[Select, Select, Delete, ReturningInsert[int]]:
    """add_points' statements, built once (no expression or cache key is built per run): the
    read of a top-level point's place, of a sub-point's (with its parent's meeting, column and
    level), the draft's delete, and the insert returning the id (uid and created_at: the
    columns' defaults, as the ORM's)."""
    points = Base.metadata.tables[BoardPoint.__tablename__]
    meeting = Base.metadata.tables[Meeting.__tablename__]
    parent = points.alias("parent")
    top_count = (
        select(func.count(points.c.id))
        .where(*_siblings(bindparam("meeting_id"), bindparam("column"), None))
        .scalar_subquery()
    )
    read_top = select(meeting.c.conference_id, top_count).where(
        meeting.c.id == bindparam("meeting_id")
    )
    depth = _level(bindparam("parent_id"))
    under_count = (
        select(func.count(points.c.id))
        .where(*_siblings(bindparam("meeting_id"), None, bindparam("parent_id")))
        .scalar_subquery()
    )
    read_under = (
        select(meeting.c.conference_id, parent.c.meeting_id, parent.c.column, depth, under_count)
        .select_from(meeting.outerjoin(parent, parent.c.id == bindparam("parent_id")))
        .where(meeting.c.id == bindparam("meeting_id"))
    )
    draft = Base.metadata.tables[Draft.__tablename__]
    delete_draft = delete(draft).where(
        draft.c.conference_id == bindparam("conference_id"), draft.c.key == bindparam("key")
    )
    return read_top, read_under, delete_draft, insert(points).returning(points.c.id)


def edit_point(db: Database, point_id: int, text: str) -> PointRecord:
    """Change a point's text; returns the point (without its sub-points) as stored."""
    cleaned = clean_point_text(text)
    with db.session() as s:
        row = _get_point(s, point_id)
        row.text = cleaned
        return _flat(row)


def get_point(db: Database, point_id: int) -> PointRecord:
    """One point with its sub-points."""
    with db.read_session() as s:
        return _subtree_record(s, _get_point(s, point_id))


def delete_point(db: Database, point_id: int) -> PointRecord:
    """Remove a point and its sub-points; returns the subtree as it was, for `restore_point`."""
    with db.session() as s:
        row = _get_point(s, point_id)
        snapshot = _subtree_record(s, row)
        ids = _subtree_ids(s, row.id)
        where = _siblings(row.meeting_id, row.column, row.parent_id)
        table = Base.metadata.tables[BoardPoint.__tablename__]
        s.execute(table.delete().where(table.c.id.in_(ids)))
        _shift(s, where, snapshot.position + 1, -1)
        return snapshot


def restore_point(db: Database, snapshot: PointRecord) -> PointRecord:
    """Put a deleted point (with its sub-points) back where it was; returns it as now stored.

    The original ids are reused where they are still free; otherwise new ones are given, so
    callers must use the returned record. If the parent has gone since, the point comes back at
    the top of its column's list instead of being lost.
    """
    with db.session() as s:
        existing_row(
            s, Meeting, snapshot.meeting_id, "The meeting this point belonged to has been removed."
        )
        parent_id = snapshot.parent_id
        parent = s.get(BoardPoint, parent_id) if parent_id is not None else None
        if parent is None or parent.meeting_id != snapshot.meeting_id:
            parent_id = None
        column = parent.column if parent is not None and parent_id is not None else snapshot.column
        _check_column(column)
        where = _siblings(snapshot.meeting_id, column, parent_id)
        count = _count(s, where)
        position = max(0, min(snapshot.position, count))
        _shift(s, where, position, 1)

        def insert(record: PointRecord, parent: int | None, position: int) -> PointRecord:
            row = BoardPoint(
                id=free_id(s, BoardPoint, record.id),
                meeting_id=snapshot.meeting_id,
                column=column,
                parent_id=parent,
                position=position,
                text=clean_text(record.text, multiline=False) or "…",
            )
            s.add(row)
            s.flush()
            children = tuple(
                insert(child, row.id, index) for index, child in enumerate(record.children)
            )
            return dataclasses.replace(_flat(row), children=children)

        return insert(snapshot, parent_id, position)


def move_point(
    db: Database,
    point_id: int,
    *,
    column: str | None = None,
    parent_id: int | None = None,
    position: int | None = None,
) -> PointRecord:
    """Move a point (with its sub-points) under `parent_id` (None: top level of `column`) at
    `position` counted among its new siblings (None: the end). `column` defaults to the point's
    own; it is ignored when a parent is given, since sub-points follow their parent's column."""
    with db.session() as s:
        row = _get_point(s, point_id)
        column = row.column if column is None else column
        new_column, new_parent = _placement(s, row.meeting_id, column, parent_id)
        subtree = _subtree_ids(s, row.id)
        if new_parent is not None and new_parent in subtree:
            raise UserError("A point cannot go under itself or one of its own sub-points.")
        if new_parent is not None and _depth_of(s, new_parent) + _height_of(s, row.id) > MAX_DEPTH:
            raise UserError(TOO_DEEP)
        old_where = _siblings(row.meeting_id, row.column, row.parent_id)
        _shift(s, old_where, row.position + 1, -1, exclude_id=row.id)
        new_where = _siblings(row.meeting_id, new_column, new_parent)
        count = _count(s, new_where, exclude_id=row.id)
        target = count if position is None else max(0, min(position, count))
        _shift(s, new_where, target, 1, exclude_id=row.id)
        if new_column != row.column:
            s.execute(
                update(BoardPoint)
                .where(BoardPoint.id.in_(subtree))
                .values(column=new_column)
                .execution_options(synchronize_session=False)
            )
        s.execute(
            update(BoardPoint)
            .where(BoardPoint.id == row.id)
            .values(column=new_column, parent_id=new_parent, position=target)
            .execution_options(synchronize_session=False)
        )
        s.expire_all()
        return _subtree_record(s, _get_point(s, point_id))


def indent_point(db: Database, point_id: int) -> PointRecord:
    """Make a point the last sub-point of the point above it (its previous sibling)."""
    with db.session() as s:
        row = _get_point(s, point_id)
        where = _siblings(row.meeting_id, row.column, row.parent_id)
        above = s.scalars(
            select(BoardPoint)
            .where(*where, BoardPoint.position < row.position)
            .order_by(BoardPoint.position.desc(), BoardPoint.id.desc())
            .limit(1)
        ).first()
        if above is None:
            raise UserError("There is no point above this one to put it under.")
        above_id = above.id
    return move_point(db, point_id, parent_id=above_id)


def outdent_point(db: Database, point_id: int) -> PointRecord:
    """Lift a sub-point out to its parent's level, just after its parent."""
    with db.session() as s:
        row = _get_point(s, point_id)
        if row.parent_id is None:
            raise UserError("This point is already at the top level.")
        parent = _get_point(s, row.parent_id)
        target = (parent.parent_id, parent.column, parent.position + 1)
    return move_point(db, point_id, column=target[1], parent_id=target[0], position=target[2])


def point_matches(text: str, needle: str) -> bool:
    """Find's rule: the cleaned needle appears in the text, ignoring case."""
    needle = clean_text(needle, multiline=False).casefold()
    return bool(needle) and needle in text.casefold()


def search_points(db: Database, meeting_id: int, needle: str) -> list[PointRecord]:
    """Points whose text contains `needle` (any case), in board order, without sub-points."""
    found: list[PointRecord] = []

    def walk(points: tuple[PointRecord, ...]) -> None:
        for point in points:
            if point_matches(point.text, needle):
                found.append(dataclasses.replace(point, children=()))
            walk(point.children)

    for points in board_tree(db, meeting_id).values():
        walk(points)
    return found


def iter_points(points: Iterable[PointRecord]) -> Iterable[PointRecord]:
    """Every point of a tree, parents before their sub-points."""
    for point in points:
        yield point
        yield from iter_points(point.children)


# -- labels and the projector's read-out -----------------------------------------------------


def load_projection(db: Database, meeting_id: int) -> ProjectionData:
    """The projector's read-out straight from the database (the board tab builds its own from
    memory; this is for callers without one)."""
    meeting = get_meeting(db, meeting_id)
    with db.read_session() as s:
        conference = s.get(Conference, meeting.conference_id)
        title = conference.title if conference is not None else ""
    current = next((a.title for a in meeting.agenda if a.id == meeting.current_item_id), "")
    label = meeting_label(meeting, list_meetings(db, meeting.conference_id))
    return ProjectionData(title, label, current, board_tree(db, meeting_id))
