"""Noting what each write session touched, and telling the database's observers on commit.

ORM flushes name their rows' tables (and a conference where the row carries one); statements
run through the session (bulk UPDATE/DELETE/INSERT, Core table statements) name their table.
Nothing is told for a rollback, and an observer that fails is logged, never raised into the
operation that has already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from csfacilitator.core.changes import Changes

log = logging.getLogger(__name__)

_TABLES, _CONFERENCES = "changes.tables", "changes.conferences"


def _note(session: Session, table: str | None, conference_id: object = None) -> None:
    if not table:
        return
    session.info.setdefault(_TABLES, set()).add(table)
    if isinstance(conference_id, int):
        session.info.setdefault(_CONFERENCES, set()).add(conference_id)


def track(sessions: sessionmaker, notify: Callable[[Changes], None]) -> None:
    """Note what sessions made by `sessions` write; call `notify` after each commit."""

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context) -> None:  # noqa: ANN001
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(getattr(obj, "__table__", None), "name", None)
            if table == "conference":
                _note(session, table, getattr(obj, "id", None))
            else:
                _note(session, table, getattr(obj, "conference_id", None))

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state: ORMExecuteState) -> None:
        if state.is_select:
            return
        table = getattr(state.statement, "table", None)
        _note(state.session, getattr(table, "name", None))

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        tables = session.info.pop(_TABLES, None)
        conferences = session.info.pop(_CONFERENCES, set())
        if not tables:
            return
        try:
            notify(Changes(frozenset(tables), frozenset(conferences)))
        except Exception:  # noqa: BLE001 - the change is committed; a view's failure is its own
            log.exception("An observer of database changes failed")

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_TABLES, None)
        session.info.pop(_CONFERENCES, None)
