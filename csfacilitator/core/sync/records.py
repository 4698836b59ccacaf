"""What the sync operations hand back: frozen records, no ORM objects, no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changed:
    """What a pull changed on this laptop, for whoever shows it (the GUI's change bus: each
    screen refreshes only when its kind of row, in its conference, is in here).

    `entities`: table names (model.py) of rows added, changed or removed; `conference_ids`:
    the local ids of the conferences they belong to; `removed_conference_ids`: conferences
    deleted by the pull (close them); `conflicts`: the list of conflicts changed."""

    entities: frozenset[str] = frozenset()
    conference_ids: frozenset[int] = frozenset()
    removed_conference_ids: frozenset[int] = frozenset()
    conflicts: bool = False

    def __bool__(self) -> bool:
        return bool(self.entities or self.removed_conference_ids or self.conflicts)

    def touches(self, conference_id: int, *entities: str) -> bool:
        """True when a screen about this conference (showing these kinds of rows) must refresh."""
        if conference_id in self.removed_conference_ids:
            return True
        if conference_id not in self.conference_ids:
            return False
        return not entities or bool(self.entities.intersection(entities))

    def merged(self, other: Changed) -> Changed:
        return Changed(
            self.entities | other.entities,
            self.conference_ids | other.conference_ids,
            self.removed_conference_ids | other.removed_conference_ids,
            self.conflicts or other.conflicts,
        )


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    conflicts: int  # open after this sync
    new_conflicts: int
    changed: Changed = field(default_factory=Changed)
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
