"""Sync with the team store (docs/sync.md). The GUI and the command line call these; none of
them imports Qt or psycopg (the team engine is handed in)."""

from csfacilitator.core.sync.conflicts import list_conflicts, parse_value, resolve_conflict
from csfacilitator.core.sync.engine import (
    SyncError,
    set_person,
    status_parts,
    sync_now,
    sync_status,
)
from csfacilitator.core.sync.records import (
    ConflictRecord,
    ShareResult,
    SyncResult,
    SyncStatus,
)
from csfacilitator.core.sync.share import (
    is_shared,
    share_conference,
    shared_conference_ids,
    unshare_conference,
)

__all__ = [
    "ConflictRecord",
    "ShareResult",
    "SyncError",
    "SyncResult",
    "SyncStatus",
    "is_shared",
    "list_conflicts",
    "parse_value",
    "resolve_conflict",
    "set_person",
    "share_conference",
    "shared_conference_ids",
    "status_parts",
    "sync_now",
    "sync_status",
    "unshare_conference",
]


def _add_status_parts() -> None:
    """`team status` shows last synced, changes waiting and conflicts (team_store's hook)."""
    from csfacilitator.storage import team_store

    if status_parts not in team_store.STATUS_PARTS:
        team_store.STATUS_PARTS.append(status_parts)


_add_status_parts()
