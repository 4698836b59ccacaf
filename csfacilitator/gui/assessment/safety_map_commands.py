"""Undo steps of the safety map (gui/undo.py's Change: made first, then pushed). Each runs
one core operation (core/safety_map.py) and asks the panel to show the stored map again.

Undoing a removal puts back the very rows removed, ids and all (core/removed_rows.py), so a
later step that names a mark or a session by id still finds it."""

from __future__ import annotations

from typing import Protocol

from csfacilitator.core import safety_map as core
from csfacilitator.core.safety_map import MapImage
from csfacilitator.gui.undo import Change
from csfacilitator.storage.database import Database


class MapTarget(Protocol):
    db: Database

    def report(self, message: str) -> None: ...

    def resync(self) -> None: ...

    def changed(self, *, session_id: int | None = None, mark_id: int | None = None) -> None: ...


class MarkAdded(Change):
    def __init__(self, target: MapTarget, session_id: int, shape: str, points, rating: str):  # noqa: ANN001
        super().__init__(target, "Add pin" if shape == "pin" else "Add area")
        self.session_id, self.shape, self.points, self.rating = session_id, shape, points, rating
        self.mark_id: int | None = None
        self.removed = None

    def _do(self) -> None:
        if self.removed is None:
            mark = core.add_mark(
                self.target.db, self.session_id, self.shape, self.points, self.rating
            )
            self.mark_id = mark.id
        else:
            core.restore_rows(self.target.db, self.removed)
        self.target.changed(session_id=self.session_id, mark_id=self.mark_id)

    def _undo(self) -> None:
        self.removed = core.delete_mark(self.target.db, self.mark_id)
        self.target.changed(session_id=self.session_id)


class MarkRemoved(Change):
    def __init__(self, target: MapTarget, mark_id: int, session_id: int, code: str):
        super().__init__(target, f"Remove mark {code}")
        self.mark_id, self.session_id, self.removed = mark_id, session_id, None

    def _do(self) -> None:
        self.removed = core.delete_mark(self.target.db, self.mark_id)
        self.target.changed(session_id=self.session_id)

    def _undo(self) -> None:
        core.restore_rows(self.target.db, self.removed)
        self.target.changed(session_id=self.session_id, mark_id=self.mark_id)


class MarkEdited(Change):
    def __init__(self, target: MapTarget, mark_id: int, session_id: int, old: dict, new: dict,
                 text: str):  # fmt: skip
        super().__init__(target, text)
        self.mark_id, self.session_id, self.old, self.new = mark_id, session_id, old, new

    def _do(self) -> None:
        core.update_mark(self.target.db, self.mark_id, **self.new)
        self.target.changed(session_id=self.session_id, mark_id=self.mark_id)

    def _undo(self) -> None:
        core.update_mark(self.target.db, self.mark_id, **self.old)
        self.target.changed(session_id=self.session_id, mark_id=self.mark_id)


class SessionAdded(Change):
    def __init__(self, target: MapTarget, conference_id: int, name: str, held_on=None):  # noqa: ANN001
        super().__init__(target, "Add mapping session")
        self.conference_id, self.name, self.held_on = conference_id, name, held_on
        self.session_id: int | None = None
        self.removed = None

    def _do(self) -> None:
        if self.removed is None:
            record = core.add_session(
                self.target.db, self.conference_id, self.name, held_on=self.held_on
            )
            self.session_id = record.id
        else:
            core.restore_rows(self.target.db, self.removed)
        self.target.changed(session_id=self.session_id)

    def _undo(self) -> None:
        self.removed = core.delete_session(self.target.db, self.session_id)
        self.target.changed()


class SessionRemoved(Change):
    def __init__(self, target: MapTarget, session_id: int, title: str):
        super().__init__(target, f"Remove session “{title}”")
        self.session_id, self.removed = session_id, None

    def _do(self) -> None:
        self.removed = core.delete_session(self.target.db, self.session_id)
        self.target.changed()

    def _undo(self) -> None:
        core.restore_rows(self.target.db, self.removed)
        self.target.changed(session_id=self.session_id)


class SessionEdited(Change):
    def __init__(self, target: MapTarget, session_id: int, old: dict, new: dict):
        super().__init__(target, "Change mapping session")
        self.session_id, self.old, self.new = session_id, old, new

    def _do(self) -> None:
        core.update_session(self.target.db, self.session_id, **self.new)
        self.target.changed(session_id=self.session_id)

    def _undo(self) -> None:
        core.update_session(self.target.db, self.session_id, **self.old)
        self.target.changed(session_id=self.session_id)


class MapImported(Change):
    """A picture imported (or replaced): undo puts back the one before, or none."""

    def __init__(self, target: MapTarget, conference_id: int, old: MapImage | None, path):  # noqa: ANN001
        super().__init__(target, "Import map" if old is None else "Replace map")
        self.conference_id, self.old, self.path = conference_id, old, path
        self.new: MapImage | None = None

    def _do(self) -> None:
        if self.new is None:
            self.new = core.import_map_file(self.target.db, self.conference_id, self.path)
        else:
            core.restore_map_image(self.target.db, self.conference_id, self.new)
        self.target.changed()

    def _undo(self) -> None:
        core.restore_map_image(self.target.db, self.conference_id, self.old)
        self.target.changed()
