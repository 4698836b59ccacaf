"""The intervention plan of a conference: identified needs, each with the interventions agreed.

Removing a need or an intervention returns a snapshot that `restore_*` puts back where it was
(same ids where they are still free, the same position, progress recorded at reviews included),
so the GUI can offer undo without keeping ORM rows alive.

A need may be linked to one of the assessment's priorities; an intervention may come from a
point of a meeting's board (`promote_point`), and keeps that link while both texts are edited
independently.

Long because needs, interventions and promotion from the board work on the same rows, their
order and the snapshots undo puts back; apart they would pass private row helpers between
modules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from csfacilitator.core import priorities, vocab
from csfacilitator.core.dates import as_date
from csfacilitator.core.key_meetings import key_dates
from csfacilitator.core.model import (
    ActionUpdate,
    Attendance,
    BoardPoint,
    Conference,
    Intervention,
    Invitee,
    Meeting,
    Need,
    Priority,
)
from csfacilitator.core.removed_rows import ClearedLink, capture, relink
from csfacilitator.core.rows import (
    chunks,
    conference_in,
    existing_row,
    free_id,
    in_order,
    move_by,
    renumber,
    touch_conference,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

#: Statuses that end an intervention: it can no longer be overdue.
CLOSED_STATUSES = frozenset({"done", "not_going_ahead"})

SINGLE_LINE_FIELDS = frozenset({"agency", "owner", "timescale"})
MULTILINE_FIELDS = frozenset({"text", "progress"})
INTERVENTION_FIELDS = (
    SINGLE_LINE_FIELDS | MULTILINE_FIELDS | {"due_date", "status", "board_point_id"}
)


@dataclass(frozen=True)
class InterventionRecord:
    id: int
    need_id: int
    position: int
    text: str
    agency: str = ""
    owner: str = ""
    timescale: str = ""
    due_date: dt.date | None = None
    status: str = "not_started"
    progress: str = ""
    board_point_id: int | None = None
    #: The linked board point's text as it now reads ("" when not from the board).
    board_point_text: str = ""


@dataclass(frozen=True)
class NeedRecord:
    id: int
    position: int
    text: str
    interventions: tuple[InterventionRecord, ...] = field(default_factory=tuple)
    priority_id: int | None = None


@dataclass(frozen=True)
class PriorityOption:
    """One of the assessment's priorities, as a need can be linked to it."""

    id: int
    position: int
    text: str
    focus: bool = False


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str = ""
    role: str = ""

    @property
    def label(self) -> str:
        """'Name (Organisation)', or whichever of the two is known."""
        if self.name and self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name or self.organisation or self.role


@dataclass(frozen=True)
class PlanHeader:
    """The top of the plan (Appendix B of the guidance), read from the conference."""

    title: str
    assessment_period: str
    pre_meeting_date: dt.date | None
    conference_date: dt.date | None
    context_type: str
    context_name: str
    area: str
    review_date: dt.date | None
    lead_practitioner: str
    attendees: tuple[Attendee, ...] = field(default_factory=tuple)
    referral_source: str = ""
    referral_date: dt.date | None = None
    place_manager: str = ""

    @property
    def context(self) -> str:
        """The context as one line: its name and area, or its type when it has no name."""
        name = ", ".join(part for part in (self.context_name, self.area) if part)
        return name or vocab.label(vocab.CONTEXT_TYPES, self.context_type)


@dataclass(frozen=True)
class ActionUpdateRecord:
    id: int
    intervention_id: int
    meeting_id: int
    status: str
    note: str


@dataclass(frozen=True)
class InterventionSnapshot:
    """A removed intervention with the progress recorded against it at reviews, and the links
    to it the delete cleared (a young person's voice answered by this action)."""

    intervention: InterventionRecord
    updates: tuple[ActionUpdateRecord, ...] = field(default_factory=tuple)
    links: tuple[ClearedLink, ...] = ()


@dataclass(frozen=True)
class NeedSnapshot:
    conference_id: int
    id: int
    position: int
    text: str
    interventions: tuple[InterventionSnapshot, ...] = field(default_factory=tuple)
    priority_id: int | None = None
    #: Links to the need or its actions that the delete cleared (voices, goals).
    links: tuple[ClearedLink, ...] = ()


# --- reading ---------------------------------------------------------------------------------


def is_overdue(record: InterventionRecord, today: dt.date) -> bool:
    """Due before today and neither done nor abandoned."""
    return (
        record.due_date is not None
        and record.due_date < today
        and record.status not in CLOSED_STATUSES
    )


def _point_text(row: Intervention) -> str:
    if row.board_point_id is None:
        return ""
    session = object_session(row)
    point = session.get(BoardPoint, row.board_point_id) if session is not None else None
    return point.text if point is not None else ""


def intervention_record(row: Intervention) -> InterventionRecord:
    """A stored intervention as a record (called inside an open session)."""
    return InterventionRecord(
        id=row.id,
        need_id=row.need_id,
        position=row.position,
        text=row.text,
        agency=row.agency,
        owner=row.owner,
        timescale=row.timescale,
        due_date=row.due_date,
        status=row.status,
        progress=row.progress,
        board_point_id=row.board_point_id,
        board_point_text=_point_text(row),
    )


def _need_record(row: Need) -> NeedRecord:
    return NeedRecord(
        id=row.id,
        position=row.position,
        text=row.text,
        interventions=tuple(intervention_record(i) for i in _ordered(row.interventions)),
        priority_id=row.priority_id,
    )


def _ordered(rows):
    return sorted(rows, key=lambda r: (r.position, r.id))


def _needs_of(s: Session, conference_id: int, *, options: Sequence = ()) -> list[Need]:
    return list(in_order(s, Need, Need.conference_id == conference_id, options=options))


def get_plan(db: Database, conference_id: int) -> list[NeedRecord]:
    """The needs of a conference in order, each with its interventions in order."""
    with db.read_session() as s:
        conference_in(s, conference_id)
        # Every need's actions in one query, not one a need.
        needs = _needs_of(s, conference_id, options=[selectinload(Need.interventions)])
        # The board points actions came from, in one query; held in `_held` while the records
        # are made, so that each action's record finds its point in the session (whose map of
        # loaded rows holds them only weakly) rather than asking for it.
        point_ids = sorted(
            {
                i.board_point_id
                for n in needs
                for i in n.interventions
                if i.board_point_id is not None
            }
        )
        _held = [
            point
            for ids in chunks(point_ids)
            for point in s.scalars(select(BoardPoint).where(BoardPoint.id.in_(ids)))
        ]
        return [_need_record(n) for n in needs]


def get_need(db: Database, need_id: int) -> NeedRecord:
    with db.read_session() as s:
        return _need_record(_need(s, need_id))


def get_intervention(db: Database, intervention_id: int) -> InterventionRecord:
    with db.read_session() as s:
        return intervention_record(_intervention(s, intervention_id))


def plan_header(db: Database, conference_id: int) -> PlanHeader:
    """Header details; attendees are the invitees marked present at the conference meeting."""
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        dates = key_dates(s, conference_id)
        meeting_id = dates.conference_meeting_id
        attendees: tuple[Attendee, ...] = ()
        if meeting_id is not None:
            rows = s.execute(
                select(Invitee.name, Invitee.organisation, Invitee.role)
                .join(Attendance, Attendance.invitee_id == Invitee.id)
                .where(Attendance.meeting_id == meeting_id, Attendance.state == "present")
                .order_by(Invitee.position, Invitee.id)
            )
            attendees = tuple(Attendee(*row) for row in rows)
        return PlanHeader(
            title=conference.title,
            assessment_period=conference.assessment_period,
            pre_meeting_date=dates.pre_meeting_date,
            conference_date=dates.conference_date,
            context_type=conference.context_type,
            context_name=conference.context_name,
            area=conference.area,
            review_date=dates.next_review_date,
            lead_practitioner=conference.lead_practitioner,
            attendees=attendees,
            referral_source=conference.referral_source,
            referral_date=conference.referral_date,
            place_manager=conference.place_manager,
        )


# --- needs -----------------------------------------------------------------------------------


def _need(s: Session, need_id: int) -> Need:
    return existing_row(s, Need, need_id, "That need is no longer in the plan.")


def _intervention(s: Session, intervention_id: int) -> Intervention:
    return existing_row(
        s, Intervention, intervention_id, "That intervention is no longer in the plan."
    )


def _need_text(text: object) -> str:
    text = clean_text(text).strip()
    if not text:
        raise UserError("Write the need or problem before adding it to the plan.")
    return text


def _intervention_text(text: object) -> str:
    text = clean_text(text).strip()
    if not text:
        raise UserError("Write what the intervention is before adding it to the plan.")
    return text


def _insert_at(rows: list, row, position: int | None) -> None:
    position = len(rows) if position is None else max(0, min(int(position), len(rows)))
    rows.insert(position, row)
    renumber(rows)


def add_need(
    db: Database, conference_id: int, text: str, position: int | None = None
) -> NeedRecord:
    """Add a need at `position` (default: the end), moving later needs down."""
    text = _need_text(text)
    with db.session() as s:
        conference_in(s, conference_id)
        needs = _needs_of(s, conference_id)
        row = Need(conference_id=conference_id, text=text)
        _insert_at(needs, row, position)
        s.add(row)
        s.flush()
        touch_conference(s, conference_id)
        return _need_record(row)


def update_need(db: Database, need_id: int, text: str) -> NeedRecord:
    text = _need_text(text)
    with db.session() as s:
        row = _need(s, need_id)
        if row.text != text:
            row.text = text
            touch_conference(s, row.conference_id)
        return _need_record(row)


def list_priority_options(db: Database, conference_id: int) -> list[PriorityOption]:
    """The assessment's priorities in order (the one or two in focus marked), for linking."""
    return [
        PriorityOption(p.id, p.position, p.text, bool(p.focus))
        for p in priorities.list_priorities(db, conference_id)
    ]


def set_need_priority(db: Database, need_id: int, priority_id: int | None) -> NeedRecord:
    """Link a need to one of its conference's priorities (None: to none)."""
    if priority_id is not None and (
        isinstance(priority_id, bool) or not isinstance(priority_id, int)
    ):
        raise UserError("A priority is referred to by its number.")
    with db.session() as s:
        row = _need(s, need_id)
        if priority_id is not None:
            priority = s.get(Priority, priority_id)
            if priority is None or priority.conference_id != row.conference_id:
                raise NotFound("That priority is no longer part of the assessment.")
        if row.priority_id != priority_id:
            row.priority_id = priority_id
            touch_conference(s, row.conference_id)
        return _need_record(row)


def _updates_of(
    s: Session, intervention_ids: list[int]
) -> dict[int, tuple[ActionUpdateRecord, ...]]:
    found: dict[int, list[ActionUpdateRecord]] = {}
    if intervention_ids:
        rows = s.scalars(
            select(ActionUpdate)
            .where(ActionUpdate.intervention_id.in_(intervention_ids))
            .order_by(ActionUpdate.id)
        )
        for u in rows:
            found.setdefault(u.intervention_id, []).append(
                ActionUpdateRecord(u.id, u.intervention_id, u.meeting_id, u.status, u.note)
            )
    return {key: tuple(value) for key, value in found.items()}


def delete_need(db: Database, need_id: int) -> NeedSnapshot:
    """Remove a need and its interventions; returns what `restore_need` needs to put it back."""
    with db.session() as s:
        row = _need(s, need_id)
        record = _need_record(row)
        updates = _updates_of(s, [i.id for i in record.interventions])
        snapshot = NeedSnapshot(
            conference_id=row.conference_id,
            id=row.id,
            position=row.position,
            text=row.text,
            interventions=tuple(
                InterventionSnapshot(i, updates.get(i.id, ())) for i in record.interventions
            ),
            priority_id=row.priority_id,
            links=capture(s, Need, [row.id]).cleared,
        )
        conference_id = row.conference_id
        s.delete(row)
        s.flush()
        renumber(_needs_of(s, conference_id))
        touch_conference(s, conference_id)
        return snapshot


def _restore_intervention_rows(
    s: Session, need_id: int, snapshot: InterventionSnapshot
) -> Intervention:
    old = snapshot.intervention
    board_point_id = old.board_point_id
    if board_point_id is not None and s.get(BoardPoint, board_point_id) is None:
        board_point_id = None
    row = Intervention(
        id=free_id(s, Intervention, old.id),
        need_id=need_id,
        position=old.position,
        text=old.text,
        agency=old.agency,
        owner=old.owner,
        timescale=old.timescale,
        due_date=old.due_date,
        status=old.status,
        progress=old.progress,
        board_point_id=board_point_id,
    )
    s.add(row)
    s.flush()
    for update in snapshot.updates:
        if s.get(Meeting, update.meeting_id) is None:
            continue  # the review meeting itself has been deleted since
        s.add(
            ActionUpdate(
                id=free_id(s, ActionUpdate, update.id),
                intervention_id=row.id,
                meeting_id=update.meeting_id,
                status=update.status,
                note=update.note,
            )
        )
    return row


def restore_need(db: Database, snapshot: NeedSnapshot) -> NeedRecord:
    """Put a removed need back at its old position, with its interventions.

    The need keeps its old id unless another row has taken it; compare the returned record's
    ids with the snapshot's to follow any change."""
    with db.session() as s:
        existing_row(
            s,
            Conference,
            snapshot.conference_id,
            "The conference of that need has been deleted, so it cannot be restored.",
        )
        needs = _needs_of(s, snapshot.conference_id)
        priority = (
            s.get(Priority, snapshot.priority_id) if snapshot.priority_id is not None else None
        )
        row = Need(
            id=free_id(s, Need, snapshot.id),
            conference_id=snapshot.conference_id,
            text=snapshot.text,
            priority_id=priority.id if priority is not None else None,
        )
        _insert_at(needs, row, snapshot.position)
        s.add(row)
        s.flush()
        for item in sorted(snapshot.interventions, key=lambda i: i.intervention.position):
            _restore_intervention_rows(s, row.id, item)
        s.flush()
        s.refresh(row)
        renumber(_ordered(row.interventions))
        kept_ids = {i.intervention.id for i in snapshot.interventions}
        if row.id == snapshot.id and kept_ids <= {i.id for i in row.interventions}:
            relink(s, snapshot.links)  # only onto the very rows the links named
        touch_conference(s, snapshot.conference_id)
        return _need_record(row)


def move_need(db: Database, need_id: int, delta: int) -> int:
    """Move a need up (negative delta) or down; returns its new position."""
    with db.session() as s:
        row = _need(s, need_id)
        needs = _needs_of(s, row.conference_id)
        before = needs.index(row)
        target = move_by(needs, row, delta)
        if target != before:
            touch_conference(s, row.conference_id)
        return target


# --- interventions ---------------------------------------------------------------------------


def _clean_field(name: str, value: object) -> object:
    if name not in INTERVENTION_FIELDS:
        raise UserError(f"'{name}' is not part of an intervention that can be changed.")
    if name == "text":
        return _intervention_text(value)
    if name in SINGLE_LINE_FIELDS:
        return clean_text(value, multiline=False)
    if name in MULTILINE_FIELDS:
        return clean_text(value).strip()
    if name == "due_date":
        return as_date(value)
    if name == "status":
        return vocab.choice(vocab.ACTION_STATUSES, value, "an action status")
    # board_point_id
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError("A board point is referred to by its number.")
    return value


def _check_board_point(s: Session, values: dict[str, object]) -> None:
    point_id = values.get("board_point_id")
    if point_id is not None and s.get(BoardPoint, point_id) is None:
        raise NotFound("That board point no longer exists.")


def _interventions_of(need: Need) -> list[Intervention]:
    return _ordered(need.interventions)


def add_intervention(
    db: Database, need_id: int, text: str, *, position: int | None = None, **fields: object
) -> InterventionRecord:
    """Add an intervention to a need at `position` (default: the end).

    `fields` may set agency, owner, timescale, due_date, status, progress and board_point_id."""
    values = {name: _clean_field(name, value) for name, value in fields.items()}
    values.pop("text", None)
    text = _intervention_text(text)
    with db.session() as s:
        need = _need(s, need_id)
        _check_board_point(s, values)
        siblings = _interventions_of(need)
        row = Intervention(need_id=need_id, text=text, **values)
        _insert_at(siblings, row, position)
        s.add(row)
        s.flush()
        touch_conference(s, need.conference_id)
        return intervention_record(row)


def update_intervention(db: Database, intervention_id: int, **fields: object) -> InterventionRecord:
    """Change some of an intervention's fields; returns it as now stored."""
    values = {name: _clean_field(name, value) for name, value in fields.items()}
    with db.session() as s:
        row = _intervention(s, intervention_id)
        _check_board_point(s, values)
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if changed:
            touch_conference(s, _need(s, row.need_id).conference_id)
        return intervention_record(row)


def delete_intervention(db: Database, intervention_id: int) -> InterventionSnapshot:
    """Remove an intervention; returns what `restore_intervention` needs to put it back."""
    with db.session() as s:
        row = _intervention(s, intervention_id)
        record = intervention_record(row)
        snapshot = InterventionSnapshot(
            record,
            _updates_of(s, [row.id]).get(row.id, ()),
            links=capture(s, Intervention, [row.id]).cleared,
        )
        need = _need(s, row.need_id)
        s.delete(row)
        s.flush()
        s.refresh(need)
        renumber(_interventions_of(need))
        touch_conference(s, need.conference_id)
        return snapshot


def restore_intervention(db: Database, snapshot: InterventionSnapshot) -> InterventionRecord:
    """Put a removed intervention back under its need, at its old position."""
    with db.session() as s:
        need = existing_row(
            s,
            Need,
            snapshot.intervention.need_id,
            "The need of that intervention has been removed, so it cannot be restored.",
        )
        siblings = _interventions_of(need)
        row = _restore_intervention_rows(s, need.id, snapshot)
        siblings = [r for r in siblings if r is not row]
        _insert_at(siblings, row, snapshot.intervention.position)
        if row.id == snapshot.intervention.id:
            relink(s, snapshot.links)
        touch_conference(s, need.conference_id)
        s.flush()
        return intervention_record(row)


def move_intervention(db: Database, intervention_id: int, delta: int) -> int:
    """Move an intervention up (negative delta) or down within its need; returns its new position."""
    with db.session() as s:
        row = _intervention(s, intervention_id)
        need = _need(s, row.need_id)
        siblings = _interventions_of(need)
        before = siblings.index(row)
        target = move_by(siblings, row, delta)
        if target != before:
            touch_conference(s, need.conference_id)
        return target


# --- promotion from the board ----------------------------------------------------------------

#: Only the Safety plan column holds agreed actions.
PROMOTION_COLUMN = "safety_plan"

#: Longest need named after a point's topic; the whole wording stays in the intervention.
TOPIC_LIMIT = 80
_TOPIC_BREAK = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s)\s*")


def point_topic(text: str) -> str:
    """What a point is about, to name a need after: the words before a colon or a dash
    ("Lighting: repair the path lights" -> "Lighting"), else the point itself, cut at a word
    before TOPIC_LIMIT characters."""
    text = clean_text(text, multiline=False)
    head = _TOPIC_BREAK.split(text, maxsplit=1)[0].strip()
    if 2 <= len(head) < len(text):
        text = head
    if len(text) <= TOPIC_LIMIT:
        return text
    cut = text[: TOPIC_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;.")
    return cut + "…"


@dataclass(frozen=True)
class Promotion:
    intervention: InterventionRecord
    need: NeedRecord
    #: False when the point was already in the plan (nothing was changed).
    created: bool = True
    #: True when the need was made for this promotion (undo removes it again if left empty).
    need_created: bool = False


@dataclass(frozen=True)
class WithdrawnPromotion:
    """What undoing a promotion removed, for `restore_promotion`."""

    intervention: InterventionSnapshot
    need: NeedSnapshot | None = None


@dataclass(frozen=True)
class BoardLink:
    """How a board point is linked to the plan (for the marker on the board)."""

    intervention_id: int
    intervention_text: str
    need_text: str


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _linked_intervention(s: Session, point_id: int) -> Intervention | None:
    return s.scalars(
        select(Intervention)
        .where(Intervention.board_point_id == point_id)
        .order_by(Intervention.id)
    ).first()


def intervention_for_point(db: Database, point_id: int) -> InterventionRecord | None:
    """The intervention made from a board point, if it has been promoted."""
    with db.session() as s:
        row = _linked_intervention(s, point_id)
        return intervention_record(row) if row is not None else None


def _suggested_need_text(s: Session, point: BoardPoint) -> tuple[Need | None, str]:
    """Where a promoted point goes unless the user says otherwise: the need of an ancestor
    point already in the plan; else a need named like its parent point; else a need named
    after the point's own topic (see `point_topic`). Returns (that need if it is stored,
    its wording)."""
    parent_id = point.parent_id
    while parent_id is not None:
        linked = _linked_intervention(s, parent_id)
        if linked is not None:
            need = _need(s, linked.need_id)
            return need, need.text
        parent = s.get(BoardPoint, parent_id)
        parent_id = parent.parent_id if parent is not None else None
    if point.parent_id is not None:
        parent = existing_row(
            s, BoardPoint, point.parent_id, "That point is no longer on the board."
        )
        return None, point_topic(parent.text)
    return None, point_topic(point.text)


def _need_named(s: Session, conference_id: int, text: str) -> tuple[Need, bool]:
    """The need with these words (case and spacing aside), made at the end if missing."""
    wording = _need_text(text)
    needs = _needs_of(s, conference_id)
    for need in needs:
        if _same_words(need.text, wording):
            return need, False
    row = Need(conference_id=conference_id, text=wording)
    _insert_at(needs, row, None)
    s.add(row)
    s.flush()
    return row, True


def _promotable(s: Session, point_id: int) -> BoardPoint:
    point = existing_row(s, BoardPoint, point_id, "That point is no longer on the board.")
    if point.column != PROMOTION_COLUMN:
        raise UserError(
            "Only points in the Safety plan column go to the action plan: "
            "move the point there first."
        )
    return point


def suggested_need(db: Database, point_id: int) -> str:
    """The need a point would go under if promoted now (its wording, to offer for editing)."""
    with db.session() as s:
        point = _promotable(s, point_id)
        existing = _linked_intervention(s, point_id)
        if existing is not None:
            return _need(s, existing.need_id).text
        return _suggested_need_text(s, point)[1]


PROMOTION_FIELDS = frozenset({"agency", "owner", "timescale", "due_date"})


def promote_point(
    db: Database, point_id: int, *, need: str | None = None, **fields: object
) -> Promotion:
    """Make a Safety plan point an intervention of the plan, linked to the point.

    It goes under the need worded `need` (an existing one with the same words, else a new one
    at the end); without `need`, under `suggested_need`. `fields` may set the agency, owner,
    timescale and due date agreed. A point already promoted is not promoted again: its
    intervention comes back with `created` False. The intervention starts with the point's
    text; each side can then be reworded without changing the other."""
    unknown = set(fields) - PROMOTION_FIELDS
    if unknown:
        raise UserError(f"'{sorted(unknown)[0]}' cannot be set when promoting a point.")
    values = {name: _clean_field(name, value) for name, value in fields.items()}
    with db.session() as s:
        existing_row(s, BoardPoint, point_id, "That point is no longer on the board.")
        existing = _linked_intervention(s, point_id)
        if existing is not None:
            found = _need(s, existing.need_id)
            return Promotion(intervention_record(existing), _need_record(found), created=False)
        point = _promotable(s, point_id)
        meeting = existing_row(
            s, Meeting, point.meeting_id, "The meeting this point belongs to has been removed."
        )
        if need is None:
            suggested, wording = _suggested_need_text(s, point)
            need = suggested.text if suggested is not None else wording
        target, need_created = _need_named(s, meeting.conference_id, need)
        siblings = _interventions_of(target)
        row = Intervention(need_id=target.id, text=point.text, board_point_id=point.id, **values)
        _insert_at(siblings, row, None)
        s.add(row)
        s.flush()
        s.refresh(target)
        touch_conference(s, meeting.conference_id)
        return Promotion(intervention_record(row), _need_record(target), True, need_created)


def withdraw_promotion(
    db: Database, intervention_id: int, *, drop_need: bool = False
) -> WithdrawnPromotion:
    """Undo a promotion: remove the intervention, and its need too when `drop_need` and the
    need has nothing else in it."""
    snapshot = delete_intervention(db, intervention_id)
    need_snapshot = None
    if drop_need:
        need = get_need(db, snapshot.intervention.need_id)
        if not need.interventions:
            need_snapshot = delete_need(db, need.id)
    return WithdrawnPromotion(snapshot, need_snapshot)


def restore_promotion(
    db: Database, withdrawn: WithdrawnPromotion, point_id: int | None = None
) -> Promotion:
    """Redo a withdrawn promotion, linked to `point_id` (the point's id now) if given."""
    item = withdrawn.intervention.intervention
    need_created = withdrawn.need is not None
    need_id = restore_need(db, withdrawn.need).id if withdrawn.need is not None else item.need_id
    moved = replace(
        item,
        need_id=need_id,
        board_point_id=item.board_point_id if point_id is None else point_id,
    )
    record = restore_intervention(db, replace(withdrawn.intervention, intervention=moved))
    return Promotion(record, get_need(db, need_id), True, need_created)


def linked_points(db: Database, meeting_id: int) -> dict[int, BoardLink]:
    """Points of a meeting's board that are in the plan: point id -> where in the plan."""
    with db.read_session() as s:
        rows = s.execute(
            select(Intervention.board_point_id, Intervention.id, Intervention.text, Need.text)
            .join(Need, Need.id == Intervention.need_id)
            .join(BoardPoint, BoardPoint.id == Intervention.board_point_id)
            .where(BoardPoint.meeting_id == meeting_id)
            .order_by(Intervention.id)
        )
        links: dict[int, BoardLink] = {}
        for point_id, intervention_id, text, need_text in rows:
            if point_id is not None:  # always: the join is on the point
                links.setdefault(point_id, BoardLink(intervention_id, text, need_text))
        return links
