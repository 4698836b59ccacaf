"""Every table's row count in one statement, for the tests that check an operation wrote
nothing (a refused import, a failed replace): one UNION ALL of counts, its text made once,
where a query per table built and ran 31 statements through the session (2.4 ms a check
against 0.2 ms, hundreds of checks in the fuzz)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import Table, TextClause, text


def row_counts(db, tables: Iterable[Table] | None = None) -> dict[str, int]:  # noqa: ANN001 - Database
    """{table name: rows}, for `tables` (every table of the model when None)."""
    if tables is None:
        from csfacilitator.core.model import Base

        tables = Base.metadata.tables.values()
    with db.session() as s:
        return dict(s.execute(_counting(tuple(t.name for t in tables))).all())


@functools.cache
def _counting(names: tuple[str, ...]) -> TextClause:
    for name in names:  # the model's own names: plain words, quoted below as identifiers
        assert name.isidentifier(), name
    return text(" UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{name}\"" for name in names))
