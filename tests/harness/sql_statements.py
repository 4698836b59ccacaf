"""The SQL statements a block of code runs: for tests that pin how many queries a read asks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(db) -> Iterator[list[str]]:  # noqa: ANN001 - a Database
    """The SQL statements run on `db` inside the block (transaction control left out)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def count_statements(db, read: Callable[[], object]) -> int:  # noqa: ANN001 - a Database
    """How many SQL statements `read()` runs on `db`."""
    with statements(db) as seen:
        read()
    return len(seen)
