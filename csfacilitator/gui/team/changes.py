"""A sync's `Changed` as the window's `Changes`: the one notice the change bus hands to tabs."""

from __future__ import annotations

from csfacilitator.core.changes import Changes
from csfacilitator.core.sync import Changed


def changes_from_sync(changed: Changed) -> Changes:
    """The tables a pull wrote (and the conflicts list, when it moved) for the conferences it
    touched. A conference the pull deleted is named too, so a view of it hears about it."""
    tables = set(changed.entities)
    if changed.conflicts:
        tables.add("sync_conflict")
    if changed.removed_conference_ids:
        tables.add("conference")
    return Changes(
        frozenset(tables), frozenset(changed.conference_ids | changed.removed_conference_ids)
    )
