"""Sync with the team store (docs/sync.md). The GUI and the command line call these; none of
them imports Qt or psycopg (the team engine is handed in)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Each name is imported from its module when first asked for (PEP 562): the window, on a laptop
# that never joined a team store, asks only whether the open conference is "no longer shared"
# (leaving.py), and does not import the sync engine, merging and conflicts at start.
_HOMES = {
    "list_conflicts": "conflicts",
    "parse_value": "conflicts",
    "resolve_conflict": "conflicts",
    "SyncError": "engine",
    "set_person": "engine",
    "status_parts": "engine",
    "sync_now": "engine",
    "sync_status": "engine",
    "ConflictRecord": "records",
    "ShareResult": "records",
    "SyncResult": "records",
    "SyncStatus": "records",
    "is_shared": "share",
    "share_conference": "share",
    "shared_conference_ids": "share",
    "unshare_conference": "share",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # asked once
    return value


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


def _status_parts(db, _team_status=None) -> list[tuple[str, str]]:  # noqa: ANN001
    """engine.status_parts, imported when `team status` asks."""
    from csfacilitator.core.sync.engine import status_parts

    return status_parts(db, _team_status)


def _add_status_parts() -> None:
    """`team status` shows last synced, changes waiting and conflicts (team_store's hook)."""
    from csfacilitator.storage import team_store

    if _status_parts not in team_store.STATUS_PARTS:
        team_store.STATUS_PARTS.append(_status_parts)


_add_status_parts()
