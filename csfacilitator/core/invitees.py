"""The invite list of a conference: who is invited, why, how far their preparation has got,
whether they came - and what is still missing (coverage)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from csfacilitator.core import vocab
from csfacilitator.core.dates import as_date
from csfacilitator.core.model import Attendance, Invitee, Meeting
from csfacilitator.core.rows import conference_in, existing_row, renumber, touch_conference
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

#: Invitation question key (vocab.INVITE_QUESTIONS) -> the invitee field that answers it.
QUESTION_FIELDS: dict[str, str] = {
    "engaged": "q_engaged",
    "works_in_context": "q_works_in_context",
    "can_change": "q_can_change",
    "youth_voice": "q_youth_voice",
}


@dataclass(frozen=True, kw_only=True)
class ContactDetails:
    """Who someone is and how to reach them: what an invite list entry and an address-book
    partner (core/address_book.py) both hold, always given by name."""

    name: str
    organisation: str = ""
    #: Their job (e.g. "Safer neighbourhoods sergeant"); `role` is their part at the meeting.
    job_title: str = ""
    category: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""


#: The one-line text fields of an invitee: its ContactDetails, in order.
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContactDetails))
MULTILINE_FIELDS = ("notes",)
FLAG_FIELDS = (*QUESTION_FIELDS.values(), "isa_signed")
DATE_FIELDS = ("invited_on", "prepared_on")
EDITABLE_FIELDS = frozenset({*TEXT_FIELDS, *MULTILINE_FIELDS, *FLAG_FIELDS, *DATE_FIELDS, "status"})

#: Community partners Kent added to the guidance's list. Whether a context has landlords, a
#: sports club or a faith group depends on the place, so coverage does not report them missing;
#: every other category is an agency the guidance suggests for every conference.
COMMUNITY_CATEGORIES: frozenset[str] = frozenset(
    {"Residents", "Residents' group", "Landlord", "Sports club", "Faith group"}
)
SUGGESTED_AGENCIES: tuple[str, ...] = tuple(
    c for c in vocab.AGENCY_CATEGORIES if c not in COMMUNITY_CATEGORIES
)


_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "✓", "✔", "signed", "on"})
_FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "off", "-"})

# Deliberately forgiving: one '@', no spaces, a dot in the domain. International addresses
# (non-ASCII letters) pass; the point is to catch slips such as a missing '@' or a space.
_EMAIL = re.compile(r"^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[^\s@.\d]{2,}$")


@dataclass(frozen=True)
class InviteeRecord(ContactDetails):
    id: int
    conference_id: int
    position: int
    q_engaged: bool = False
    q_works_in_context: bool = False
    q_can_change: bool = False
    q_youth_voice: bool = False
    status: str = "to_invite"
    invited_on: dt.date | None = None
    prepared_on: dt.date | None = None
    isa_signed: bool = False
    notes: str = ""
    #: meeting id -> vocab.ATTENDANCE key; meetings with nothing recorded are absent.
    attendance: dict[int, str] = field(default_factory=dict)

    def answers(self, question: str) -> bool:
        """Whether this invitee answers one of the four invitation questions (a vocab key)."""
        return bool(getattr(self, QUESTION_FIELDS[question]))


@dataclass(frozen=True)
class Coverage:
    """What the invite list still lacks. Declined invitees do not count: they will not be in
    the room, so they neither cover a question or agency nor need preparing or an agreement."""

    #: vocab.INVITE_QUESTIONS keys that no (non-declined) invitee answers, in vocab order.
    unanswered_questions: tuple[str, ...]
    #: SUGGESTED_AGENCIES with no (non-declined) invitee of that category, in vocab order.
    missing_agencies: tuple[str, ...]
    #: Non-declined invitees with no preparation date, in list order.
    not_prepared: tuple[InviteeRecord, ...]
    #: Non-declined non-statutory partners (vocab.NON_STATUTORY_CATEGORIES) without a signed
    #: information-sharing agreement, in list order.
    agreement_missing: tuple[InviteeRecord, ...]

    @property
    def complete(self) -> bool:
        return not (
            self.unanswered_questions
            or self.missing_agencies
            or self.not_prepared
            or self.agreement_missing
        )


# --- checking values --------------------------------------------------------------------------


def is_valid_email(text: str) -> bool:
    """Whether text looks like one e-mail address. Used to flag, never to refuse."""
    return bool(_EMAIL.match(clean_text(text, multiline=False)))


def _as_flag(name: str, value: object) -> bool:
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise UserError(f"'{value}' is not yes or no (for {name.replace('_', ' ')}).")
    return bool(value)


def clean_field(name: str, value: object) -> object:
    """One invitee field checked and normalised; UserError with a plain message if wrong."""
    if name not in EDITABLE_FIELDS:
        raise UserError(f"'{name}' is not an invitee detail that can be changed.")
    if name in TEXT_FIELDS:
        return clean_text(value, multiline=False)
    if name in MULTILINE_FIELDS:
        return clean_text(value)
    if name in DATE_FIELDS:
        return as_date(value)
    if name == "status":
        key = clean_text(value, multiline=False)
        if key not in vocab.INVITEE_STATUSES:
            by_label = {v.casefold(): k for k, v in vocab.INVITEE_STATUSES.items()}
            if key.casefold() not in by_label:
                allowed = ", ".join(vocab.INVITEE_STATUSES.values())
                raise UserError(f"'{key}' is not an invitation status ({allowed}).")
            key = by_label[key.casefold()]
        return key
    return _as_flag(name, value)


def clean_fields(fields_: Mapping[str, object]) -> dict[str, object]:
    """Every given field cleaned (see clean_field); a name, if given, must not be empty."""
    values = {name: clean_field(name, value) for name, value in fields_.items()}
    if "name" in values and not values["name"]:
        raise UserError("An invitee needs a name.")
    return values


# --- reading ----------------------------------------------------------------------------------


def _record(row: Invitee, attendance: Mapping[int, str]) -> InviteeRecord:
    values = {f.name: getattr(row, f.name) for f in fields(InviteeRecord) if f.name != "attendance"}
    return InviteeRecord(**values, attendance=dict(attendance))


def _attendance_of(s: Session, invitee_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    ids = list(invitee_ids)
    result: dict[int, dict[int, str]] = {i: {} for i in ids}
    if ids:
        rows = s.scalars(select(Attendance).where(Attendance.invitee_id.in_(ids)))
        for row in rows:
            if row.state:
                result[row.invitee_id][row.meeting_id] = row.state
    return result


def _ordered_rows(s: Session, conference_id: int) -> list[Invitee]:
    return list(
        s.scalars(
            select(Invitee)
            .where(Invitee.conference_id == conference_id)
            .order_by(Invitee.position, Invitee.id)
        )
    )


def _record_by_id(s: Session, row: Invitee) -> InviteeRecord:
    return _record(row, _attendance_of(s, [row.id])[row.id])


def list_invitees(db: Database, conference_id: int) -> list[InviteeRecord]:
    """A conference's invitees in list order, each with its attendance."""
    with db.read_session() as s:
        rows = _ordered_rows(s, conference_id)
        attendance = _attendance_of(s, (r.id for r in rows))
        return [_record(r, attendance[r.id]) for r in rows]


def get_invitee(db: Database, invitee_id: int) -> InviteeRecord:
    with db.read_session() as s:
        return _record_by_id(s, _row(s, invitee_id))


# --- writing ----------------------------------------------------------------------------------


def _row(s: Session, invitee_id: int) -> Invitee:
    return existing_row(s, Invitee, invitee_id, "That invitee is no longer on the list.")


def _insert(
    s: Session, conference_id: int, values: Mapping[str, object], position: int | None
) -> Invitee:
    rows = _ordered_rows(s, conference_id)
    position = len(rows) if position is None else max(0, min(position, len(rows)))
    row = Invitee(conference_id=conference_id, **values)
    rows.insert(position, row)
    s.add(row)
    renumber(rows)
    s.flush()
    return row


def add_invitee(
    db: Database, conference_id: int, *, position: int | None = None, **fields_: object
) -> InviteeRecord:
    """Add one invitee at `position` (default: the end of the list). A name is required."""
    values = clean_fields(fields_)
    if not values.get("name"):
        raise UserError("An invitee needs a name.")
    with db.session() as s:
        conference_in(s, conference_id)
        row = _insert(s, conference_id, values, position)
        touch_conference(s, conference_id)
        return _record(row, {})


def add_invitees(
    db: Database, conference_id: int, rows: Iterable[Mapping[str, object]]
) -> list[InviteeRecord]:
    """Add several invitees at the end of the list in one transaction: all of them or none.

    For imports: every row is checked before anything is written, and the first bad row's
    problem is reported with its number (counting from 1)."""
    checked = []
    for number, fields_ in enumerate(rows, start=1):
        try:
            values = clean_fields(fields_)
            if not values.get("name"):
                raise UserError("An invitee needs a name.")
        except UserError as exc:
            raise UserError(f"Row {number}: {exc}") from exc
        checked.append(values)
    with db.session() as s:
        conference_in(s, conference_id)
        ordered = _ordered_rows(s, conference_id)
        renumber(ordered)
        added = [
            Invitee(conference_id=conference_id, position=len(ordered) + offset, **values)
            for offset, values in enumerate(checked)
        ]
        s.add_all(added)  # one flush for the lot: an import of thousands takes a second
        s.flush()
        touch_conference(s, conference_id)
        return [_record(row, {}) for row in added]


def update_invitee(db: Database, invitee_id: int, **fields_: object) -> InviteeRecord:
    """Change some details of one invitee; returns the invitee as now stored."""
    return update_invitees(db, {invitee_id: fields_})[0]


def update_invitees(
    db: Database, changes: Mapping[int, Mapping[str, object]]
) -> list[InviteeRecord]:
    """Change details of several invitees in one transaction, each its own values (invitee id ->
    field -> value): all of them or none. Returns them as now stored, in the order given."""
    checked = {invitee_id: clean_fields(values) for invitee_id, values in changes.items()}
    with db.session() as s:
        rows = [_row(s, invitee_id) for invitee_id in checked]
        touched: set[int] = set()
        for row in rows:
            for name, value in checked[row.id].items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    touched.add(row.conference_id)
        for conference_id in touched:
            touch_conference(s, conference_id)
        s.flush()
        attendance = _attendance_of(s, (row.id for row in rows))
        return [_record(row, attendance[row.id]) for row in rows]


def set_attendance(db: Database, invitee_id: int, meeting_id: int, state: str) -> InviteeRecord:
    """Record whether an invitee came to one meeting ("" forgets what was recorded)."""
    return set_attendances(db, meeting_id, {invitee_id: state})[0]


def set_attendances(
    db: Database, meeting_id: int, states: Mapping[int, str]
) -> list[InviteeRecord]:
    """Record the attendance of several invitees at one meeting in one transaction (invitee id
    -> vocab.ATTENDANCE key; "" forgets what was recorded). Returns them as now stored."""
    checked = {}
    for invitee_id, state in states.items():
        state = clean_text(state, multiline=False)
        if state not in vocab.ATTENDANCE:
            allowed = ", ".join(v for k, v in vocab.ATTENDANCE.items() if k)
            raise UserError(f"'{state}' is not an attendance ({allowed}).")
        checked[invitee_id] = state
    with db.session() as s:
        rows = [_row(s, invitee_id) for invitee_id in checked]
        meeting = s.get(Meeting, meeting_id)
        for row in rows:
            if meeting is None or meeting.conference_id != row.conference_id:
                raise NotFound("That meeting is not part of this invitee's conference.")
        for row in rows:
            state = checked[row.id]
            current = s.get(Attendance, (row.id, meeting_id))
            if not state:
                if current is not None:
                    s.delete(current)
            elif current is None:
                s.add(Attendance(invitee_id=row.id, meeting_id=meeting_id, state=state))
            else:
                current.state = state
        for conference_id in {row.conference_id for row in rows}:
            touch_conference(s, conference_id)
        s.flush()
        attendance = _attendance_of(s, (row.id for row in rows))
        return [_record(row, attendance[row.id]) for row in rows]


def delete_invitee(db: Database, invitee_id: int) -> InviteeRecord:
    """Remove an invitee and their attendance; returns the snapshot restore_invitee takes."""
    return delete_invitees(db, [invitee_id])[0]


def delete_invitees(db: Database, invitee_ids: Iterable[int]) -> list[InviteeRecord]:
    """Remove several invitees (and their attendance) in one transaction; returns their
    snapshots, in the order given, for restore_invitees. NotFound, removing nothing, if one of
    them is already gone."""
    ids = list(dict.fromkeys(invitee_ids))
    with db.session() as s:
        rows = [_row(s, invitee_id) for invitee_id in ids]
        gone = set(ids)
        attendance = _attendance_of(s, ids)
        snapshots = [_record(row, attendance[row.id]) for row in rows]
        for conference_id in {row.conference_id for row in rows}:
            remaining = [r for r in _ordered_rows(s, conference_id) if r.id not in gone]
            renumber(remaining)
            touch_conference(s, conference_id)
        for row in rows:
            s.delete(row)
        return snapshots


def restore_invitee(db: Database, snapshot: InviteeRecord) -> InviteeRecord:
    """Put a deleted invitee back where it was, with its id and attendance (undo of a delete).

    Attendance at meetings deleted meanwhile is dropped. Ids are never reused (AUTOINCREMENT,
    migration 0004), so the id is free; if it is not, UserError and nothing is changed."""
    return restore_invitees(db, [snapshot])[0]


def restore_invitees(db: Database, snapshots: Iterable[InviteeRecord]) -> list[InviteeRecord]:
    """Put several deleted invitees back where they were, with their ids, in one transaction
    (see restore_invitee). Returns them as now stored, in the order given."""
    snapshots = list(snapshots)
    fields_ = (*TEXT_FIELDS, *MULTILINE_FIELDS, *FLAG_FIELDS, *DATE_FIELDS, "status")
    with db.session() as s:
        for conference_id in {snap.conference_id for snap in snapshots}:
            conference_in(s, conference_id)
        if _existing_ids(s, [snap.id for snap in snapshots]):
            raise UserError(
                "This can no longer be undone: an invitee it would bring back is already there."
            )
        rows = [
            Invitee(
                id=snap.id,
                conference_id=snap.conference_id,
                **{name: getattr(snap, name) for name in fields_},
            )
            for snap in snapshots
        ]
        s.add_all(rows)
        s.flush()
        restored = {snap.id for snap in snapshots}
        for conference_id in dict.fromkeys(snap.conference_id for snap in snapshots):
            mine = [(snap, row) for snap, row in zip(snapshots, rows, strict=True)
                    if snap.conference_id == conference_id]  # fmt: skip
            listed = [r for r in _ordered_rows(s, conference_id) if r.id not in restored]
            for snap, row in sorted(mine, key=lambda pair: pair[0].position):
                listed.insert(max(0, min(snap.position, len(listed))), row)
            renumber(listed)
            meeting_ids = set(
                s.scalars(select(Meeting.id).where(Meeting.conference_id == conference_id))
            )
            for snap, row in mine:
                for meeting_id, state in snap.attendance.items():
                    if meeting_id in meeting_ids and state in vocab.ATTENDANCE and state:
                        s.add(Attendance(invitee_id=row.id, meeting_id=meeting_id, state=state))
            touch_conference(s, conference_id)
        s.flush()
        attendance = _attendance_of(s, (row.id for row in rows))
        return [_record(row, attendance[row.id]) for row in rows]


def _existing_ids(s: Session, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # stay well under SQLite's limit on parameters
        chunk = ids[start : start + 500]
        found.update(s.scalars(select(Invitee.id).where(Invitee.id.in_(chunk))))
    return found


# --- coverage ---------------------------------------------------------------------------------


def coverage(invitees: Iterable[InviteeRecord]) -> Coverage:
    """What the list still lacks (see Coverage). Pure: works on records, touches no database.
    Categories are compared through vocab.suggested_category, so "Voluntary and community
    organisations" counts as the suggested "Voluntary and community organisation"."""
    coming = [i for i in invitees if i.status != "declined"]
    categories = {vocab.suggested_category(i.category) for i in coming}
    return Coverage(
        unanswered_questions=tuple(
            q for q in vocab.INVITE_QUESTIONS if not any(i.answers(q) for i in coming)
        ),
        missing_agencies=tuple(a for a in SUGGESTED_AGENCIES if a not in categories),
        not_prepared=tuple(i for i in coming if i.prepared_on is None),
        agreement_missing=tuple(i for i in coming if agreement_needed(i) and not i.isa_signed),
    )


#: The suggested categories whose partners are statutory and sign no agreement.
STATUTORY_CATEGORIES: frozenset[str] = frozenset(
    set(vocab.AGENCY_CATEGORIES) - set(vocab.NON_STATUTORY_CATEGORIES)
)


def is_non_statutory(category: str) -> bool:
    """Whether partners of this category must sign an information-sharing agreement: every
    category but the statutory agencies' (compared as vocab.suggested_category does), so a
    partner of a category of the user's own, or of none yet, is asked for one."""
    return vocab.suggested_category(category) not in STATUTORY_CATEGORIES


def agreement_needed(invitee: InviteeRecord) -> bool:
    """Whether this invitee still needs to sign an agreement to come: not declined, and not a
    statutory partner. The one rule behind the table's "not needed" and the coverage list."""
    return invitee.status != "declined" and is_non_statutory(invitee.category)
