"""Storage: the SQLite file, its connections, migrations and backups. Never imports Qt.

`Database` and `open_database` (storage.database, which imports SQLAlchemy) are looked up when
first named: the start's file checks (storage.recovery, storage.file_kind) import without
SQLAlchemy, so they run on a worker thread while the window's thread imports it (app.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csfacilitator.storage.database import Database, open_database

__all__ = ["Database", "open_database"]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - what storage.database holds under that name
    if name in __all__:
        from csfacilitator.storage import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
