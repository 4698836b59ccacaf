"""What the sync operations hand back: frozen records, no ORM objects, no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from csfacilitator.core.changes import Changes


def pulled_changes(
    tables: set[str], conference_ids: set[int], removed: set[int], conflicts_changed: bool
) -> Changes:
    """What a pull wrote, as the one notice every change gives (core/changes.py): the tables,
    the conflicts list when it moved, and the conferences touched — those deleted named too,
    so a view of one hears about it and closes."""
    written = set(tables)
    if conflicts_changed:
        written.add("sync_conflict")
    if removed:
        written.add("conference")
    return Changes(frozenset(written), frozenset(conference_ids | removed), frozenset(removed))


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    conflicts: int  # open after this sync
    new_conflicts: int
    changed: Changes = field(default_factory=lambda: Changes(frozenset()))
    #: Conferences on this laptop the team no longer shares with this login (sync/leaving.py:
    #: NoLongerShared, those found by this sync flagged `new`), and those the pull deleted,
    #: named (sync/team_retention.py: RemovedByTeam).
    no_longer_shared: tuple = ()
    removed_by_team: tuple = ()

    def summary(self) -> str:
        return f"pushed {self.pushed}, pulled {self.pulled}, conflicts {self.conflicts}"


@dataclass(frozen=True)
class SyncStatus:
    """The window's status line: last synced, changes waiting, conflicts."""

    last_sync_at: dt.datetime | None
    waiting: int
    conflicts: int
    shared: int
    device: str
    person: str


@dataclass(frozen=True)
class ShareResult:
    conference_id: int
    conference_uid: str
    queued: int  # changes waiting to be pushed (the whole conference, the first time)
    already: bool


@dataclass(frozen=True)
class ConflictRecord:
    """A field changed here and on the team to different values. `mine` is the laptop's
    value (kept, and shown marked, until someone chooses); `theirs` the team's."""

    id: int
    conference_id: int | None
    conference_title: str
    entity: str
    entity_label: str
    row_label: str
    field: str
    field_label: str
    mine: object
    theirs: object
    base: object
    mine_person: str
    mine_at: dt.datetime | None
    theirs_person: str
    theirs_at: dt.datetime | None
    long_text: bool  # shown side by side
    #: A structure (JSON) rather than typed text: a third value is not typed (take a side).
    structured: bool = False
    #: For a structured field, each side in plain words ("" otherwise).
    mine_words: str = ""
    theirs_words: str = ""
