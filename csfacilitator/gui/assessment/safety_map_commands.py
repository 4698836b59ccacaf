"""Undo steps of the safety map (gui/undo.py's Change: made first, then pushed). Each runs
one core operation (core/safety_map.py) and asks the panel to show the stored map again.

Undoing a removal puts back the very rows removed, ids and all (core/removed_rows.py), so a
later step that names a mark or a session by id still finds it."""

from __future__ import annotations

from typing import Protocol

from csfacilitator.core import safety_map as core
from csfacilitator.core.removed_rows import RemovedRows
from csfacilitator.core.safety_map import MapImage
from csfacilitator.gui.undo import Change
from csfacilitator.storage.database import Database


class MapTarget(Protocol):
    db: Database

    def report(self, message: str) -> None: ...

    def resync(self) -> None: ...

    def changed(self, *, session_id: int | None = None, mark_id: int | None = None) -> None: ...


class _MapChange(Change):
    """A change of the map: its target is the panel (MapTarget), which also holds the db."""

    def __init__(self, target: MapTarget, text: str):
        super().__init__(target, text)
        self.panel = target
        self.removed: RemovedRows | None = None

    def _put_back(self) -> None:
        assert self.removed is not None  # undo comes after the removal it undoes
        core.restore_rows(self.panel.db, self.removed)


class MarkAdded(_MapChange):
    def __init__(self, target: MapTarget, session_id: int, shape: str, points, rating: str):  # noqa: ANN001
        super().__init__(target, "Add pin" if shape == "pin" else "Add area")
        self.session_id, self.shape, self.points, self.rating = session_id, shape, points, rating
        self.mark_id = 0

    def _do(self) -> None:
        if self.removed is None:
            mark = core.add_mark(
                self.panel.db, self.session_id, self.shape, self.points, self.rating
            )
            self.mark_id = mark.id
        else:
            self._put_back()
        self.panel.changed(session_id=self.session_id, mark_id=self.mark_id)

    def _undo(self) -> None:
        self.removed = core.delete_mark(self.panel.db, self.mark_id)
        self.panel.changed(session_id=self.session_id)


class MarkRemoved(_MapChange):
    def __init__(self, target: MapTarget, mark_id: int, session_id: int, code: str):
        super().__init__(target, f"Remove mark {code}")
        self.mark_id, self.session_id = mark_id, session_id

    def _do(self) -> None:
        self.removed = core.delete_mark(self.panel.db, self.mark_id)
        self.panel.changed(session_id=self.session_id)

    def _undo(self) -> None:
        self._put_back()
        self.panel.changed(session_id=self.session_id, mark_id=self.mark_id)


class MarkEdited(_MapChange):
    def __init__(self, target: MapTarget, mark_id: int, session_id: int, old: dict, new: dict,
                 text: str):  # fmt: skip
        super().__init__(target, text)
        self.mark_id, self.session_id, self.old, self.new = mark_id, session_id, old, new

    def _do(self) -> None:
        core.update_mark(self.panel.db, self.mark_id, **self.new)
        self.panel.changed(session_id=self.session_id, mark_id=self.mark_id)

    def _undo(self) -> None:
        core.update_mark(self.panel.db, self.mark_id, **self.old)
        self.panel.changed(session_id=self.session_id, mark_id=self.mark_id)


class SessionAdded(_MapChange):
    def __init__(self, target: MapTarget, conference_id: int, name: str, held_on=None):  # noqa: ANN001
        super().__init__(target, "Add mapping session")
        self.conference_id, self.name, self.held_on = conference_id, name, held_on
        self.session_id = 0

    def _do(self) -> None:
        if self.removed is None:
            record = core.add_session(
                self.panel.db, self.conference_id, self.name, held_on=self.held_on
            )
            self.session_id = record.id
        else:
            self._put_back()
        self.panel.changed(session_id=self.session_id)

    def _undo(self) -> None:
        self.removed = core.delete_session(self.panel.db, self.session_id)
        self.panel.changed()


class SessionRemoved(_MapChange):
    def __init__(self, target: MapTarget, session_id: int, title: str):
        super().__init__(target, f"Remove session “{title}”")
        self.session_id = session_id

    def _do(self) -> None:
        self.removed = core.delete_session(self.panel.db, self.session_id)
        self.panel.changed()

    def _undo(self) -> None:
        self._put_back()
        self.panel.changed(session_id=self.session_id)


class SessionEdited(_MapChange):
    def __init__(self, target: MapTarget, session_id: int, old: dict, new: dict):
        super().__init__(target, "Change mapping session")
        self.session_id, self.old, self.new = session_id, old, new

    def _do(self) -> None:
        core.update_session(self.panel.db, self.session_id, **self.new)
        self.panel.changed(session_id=self.session_id)

    def _undo(self) -> None:
        core.update_session(self.panel.db, self.session_id, **self.old)
        self.panel.changed(session_id=self.session_id)


class MapImported(_MapChange):
    """A picture imported (or replaced): undo puts back the one before, or none."""

    def __init__(self, target: MapTarget, conference_id: int, old: MapImage | None, path):  # noqa: ANN001
        super().__init__(target, "Import map" if old is None else "Replace map")
        self.conference_id, self.old, self.path = conference_id, old, path
        self.new: MapImage | None = None

    def _do(self) -> None:
        if self.new is None:
            self.new = core.import_map_file(self.panel.db, self.conference_id, self.path)
        else:
            core.restore_map_image(self.panel.db, self.conference_id, self.new)
        self.panel.changed()

    def _undo(self) -> None:
        core.restore_map_image(self.panel.db, self.conference_id, self.old)
        self.panel.changed()
