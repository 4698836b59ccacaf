"""Storage: the SQLite file, its connections, migrations and backups. Never imports Qt."""

from csfacilitator.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
