"""Conflicts: list them with both values, who made each and when; resolve one by taking the
laptop's value, the team's, or a third. The choice is written here and, unless it is the
team's value already, queued as a change (old value: the team's) so the next sync settles it
on every laptop.

Structured fields (STRUCTURED: the context weighting's picture, stored as JSON) are described
in words, each side with what differs from the other; a third value for one is never typed:
`resolve_conflict` refuses any value its field cannot read, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from csfacilitator.core import change_log, vocab, weighting
from csfacilitator.core.change_log import LOG_COLUMNS, UUID_SQL, decode, decode_stored, encode
from csfacilitator.core.dates import format_date
from csfacilitator.core.hlc import wall_time
from csfacilitator.core.sync import apply
from csfacilitator.core.sync.records import ConflictRecord
from csfacilitator.core.textclean import clean_text, shortened
from csfacilitator.errors import NotFound, UserError

ENTITY_LABELS = {
    "conference": "Conference",
    "meeting": "Meeting",
    "agenda_item": "Agenda item",
    "assessment_section": "Assessment section",
    "invitee": "Invitee",
    "attendance": "Attendance",
    "board_point": "Board point",
    "referral": "Referral",
    "dissent": "Disagreement",
    "outcome_goal": "Outcome goal",
    "outcome_measure": "Outcome measure",
    "measure_value": "Measure value",
    "young_voice": "Young people's voice",
    "context_entry": "Context register",  # issue 20: other names and map reference
    "conference_link": "Related conference link",
    "safety_map": "Safety map",
    "safety_map_session": "Mapping session",
    "safety_mark": "Safety map mark",
    "priority": "Priority",
    "context_weighting": "Context weighting",
    "need": "Need",
    "intervention": "Action",
    "action_update": "Progress note",
}
#: What names a row in the list (the first of these it has).
ROW_NAMES = ("title", "name", "text", "key", "kind", "team", "state", "note")
LONG_TEXT = 200


def _weighting_label(conn, uid: str) -> str:  # noqa: ANN001
    """'working copy', or 'for the review on 12 Mar 2027' (a meeting's snapshot)."""
    meeting = conn.execute(
        text(
            "SELECT m.kind, m.date FROM context_weighting w JOIN meeting m ON m.id = w.meeting_id "
            "WHERE w.uid = :u"
        ),
        {"u": uid},
    ).first()
    if meeting is None:
        return "working copy"
    kind = vocab.label(vocab.MEETING_KINDS, meeting[0]).lower() or "meeting"
    date = decode_stored("meeting", "date", meeting[1])
    return f"for the {kind} on {format_date(date)}" if date else f"for the {kind}"


def _weighting_read(value: object) -> weighting.Weighting | None:
    """The weighting a stored value holds, or None when it cannot be read as one (from_json
    would quietly show the starting picture instead)."""
    if not isinstance(value, str):
        return None
    unreadable = weighting.default_weighting()
    read = weighting.from_json(value, unreadable)
    return None if read is unreadable else read


def _weighting_words(value: object, other: object, other_name: str) -> str:
    """One side of a weighting conflict in words, a line per context: its share and, matched
    by name, the other side's ('theirs 25%', 'not in theirs'); then its links, the contexts
    only the other side has, and whether the order differs."""
    this = _weighting_read(value)
    if this is None:
        return "An unreadable picture (the starting picture would be shown)."
    that = _weighting_read(other)
    theirs = dict(zip(that.names, weighting.percentages(that), strict=True)) if that else {}
    lines = []
    for name, share in zip(this.names, weighting.percentages(this), strict=True):
        if that is None or theirs.get(name) == share:
            lines.append(f"{name} {share}%")
        elif name in theirs:
            lines.append(f"{name} {share}% ({other_name} {theirs[name]}%)")
        else:
            lines.append(f"{name} {share}% (not in {other_name})")
    if this.links:
        pairs = "; ".join(f"{this.names[a]} and {this.names[b]}" for a, b in this.links)
        lines.append(f"Linked: {pairs}")
    if that is not None:
        missing = [name for name in that.names if name not in this.names]
        if missing:
            lines.append(f"Only in {other_name}: {', '.join(missing)}")
        common = [n for n in this.names if n in theirs]
        if common != [n for n in that.names if n in this.names]:
            lines.append(f"In a different order from {other_name}")
        if this.links != that.links and this.names == that.names:
            lines.append(f"Linked differently from {other_name}")
    return "\n".join(lines)


@dataclass(frozen=True)
class _Structured:
    """A field whose value is a structure (JSON), not text a person types."""

    label: str  # what the field holds (its column name does not say)
    words: Callable[[object, object, str], str]  # a value in words, against the other side's
    read: Callable[[object], object | None]  # what a value holds; None: unreadable
    write: Callable[[Any], str]  # what was read, as the field stores it
    why: str  # why a third value is not typed
    advice: str  # what to do instead


STRUCTURED = {
    ("context_weighting", "data"): _Structured(
        "Picture",
        _weighting_words,
        _weighting_read,
        weighting.to_json,
        "A context weighting is a picture, not typed text",
        "keep mine or take theirs, then adjust it in the Context weighting view",
    ),
}


def is_structured(entity: str, field: str) -> bool:
    """Whether a third value for this field cannot be typed (choose a side instead)."""
    return (entity, field) in STRUCTURED


def structured_reason(entity: str, field: str) -> str:
    """Why a third value for this field is not typed, and what to do ("" when it may be)."""
    found = STRUCTURED.get((entity, field))
    return f"{found.why}: {found.advice}." if found else ""


def describe_value(entity: str, field: str, value: object, other: object, other_name: str) -> str:
    """A structured field's value in plain words, a line per part, against the other side's
    ("" for other fields: shown as they are)."""
    found = STRUCTURED.get((entity, field))
    return found.words(value, other, other_name) if found else ""


def entity_label(entity: str) -> str:
    """What a kind of row is called in the conflicts list ("Board point")."""
    return ENTITY_LABELS.get(entity, entity)


def field_label(entity: str, field: str) -> str:
    """What a field is called in the conflicts list ("Picture", "Due date")."""
    found = STRUCTURED.get((entity, field))
    return found.label if found else field.replace("_", " ").capitalize()


def _check_structured(entity: str, field: str, value: object) -> object:
    """A value for a structured field, tidied as its field stores it; a one-line refusal when
    the field cannot read it."""
    found = STRUCTURED.get((entity, field))
    if found is None:
        return value
    read = found.read(value)
    if read is None:
        raise UserError(f"That is not a readable {entity_label(entity).lower()}: {found.advice}.")
    return found.write(read)


def _check_side(entity: str, field: str, value: object, side: str) -> None:
    """A side taken as it is must be readable too (a damaged picture is never kept or sent)."""
    found = STRUCTURED.get((entity, field))
    if found is not None and found.read(value) is None:
        other = "theirs" if side == "mine" else "mine"
        raise UserError(
            f"{side.capitalize()} is not a readable {entity_label(entity).lower()}: "
            f"take {other} instead."
        )


def _label(conn, entity: str, uid: str) -> str:  # noqa: ANN001
    if entity == "context_weighting":
        return _weighting_label(conn, uid)
    t = apply.table(entity)
    for name in ROW_NAMES:
        if name in t.c:
            value = apply.current_value(conn, entity, uid, name)
            if value:
                text_value = " ".join(str(value).split())
                return shortened(text_value, 60)
    return ""


def list_conflicts(db, conference_id: int | None = None) -> list[ConflictRecord]:  # noqa: ANN001
    """Open conflicts, oldest first (of one conference, or all)."""
    with db.read_session() as s:
        conn = s.connection()
        rows = conn.execute(
            text(
                "SELECT k.id, k.entity, k.row_uid, k.field, k.base_value, k.theirs_value, "
                "k.theirs_person, k.theirs_hlc, k.mine_person, k.mine_hlc, c.id, c.title "
                "FROM sync_conflict k LEFT JOIN conference c ON c.uid = k.conference_uid "
                "ORDER BY k.id"
            )
        ).all()
        found = []
        for r in rows:
            if conference_id is not None and r[10] != conference_id:
                continue
            mine = apply.current_value(conn, r[1], r[2], r[3])
            theirs = decode(r[1], r[3], r[5])
            structured = is_structured(r[1], r[3])
            long_text = not structured and any(
                isinstance(v, str) and (len(v) > LONG_TEXT or "\n" in v) for v in (mine, theirs)
            )
            found.append(
                ConflictRecord(
                    id=r[0],
                    conference_id=r[10],
                    conference_title=r[11] or "",
                    entity=r[1],
                    entity_label=entity_label(r[1]),
                    row_label=_label(conn, r[1], r[2]),
                    field=r[3],
                    field_label=field_label(r[1], r[3]),
                    mine=mine,
                    theirs=theirs,
                    base=decode(r[1], r[3], r[4]),
                    mine_person=r[8],
                    mine_at=wall_time(r[9]) if r[9] else None,
                    theirs_person=r[6],
                    theirs_at=wall_time(r[7]) if r[7] else None,
                    long_text=long_text,
                    structured=structured,
                    mine_words=describe_value(r[1], r[3], mine, theirs, "theirs"),
                    theirs_words=describe_value(r[1], r[3], theirs, mine, "mine"),
                )
            )
    return found


def parse_value(entity: str, field: str, typed: str):  # noqa: ANN201
    """A third value typed by a person, for this field (a clear message when it does not fit)."""
    import datetime as dt

    if is_structured(entity, field):
        return _check_structured(entity, field, typed)
    col = change_log.column(entity, field)
    if col.foreign_keys:
        raise UserError("This field links to another row: take mine or theirs.")
    kind = change_log._python_type(col)
    typed = clean_text(typed)
    if kind is bool:
        lowered = typed.strip().lower()
        if lowered in ("yes", "true", "1", "y"):
            return True
        if lowered in ("no", "false", "0", "n"):
            return False
        raise UserError(f"'{typed}' is not yes or no.")
    if kind in (dt.date, dt.datetime, dt.time):
        if not typed.strip() and col.nullable:
            return None
        try:
            return kind.fromisoformat(typed.strip())
        except ValueError:
            raise UserError(
                f"'{typed}' is not a {kind.__name__} (write it as 2026-12-31)."
            ) from None
    if kind is int:
        try:
            return int(typed)
        except ValueError:
            raise UserError(f"'{typed}' is not a whole number.") from None
    return typed


def resolve_conflict(db, conflict_id: int, take: str | None = None, value=None) -> object:  # noqa: ANN001
    """Settle one conflict: take 'mine' (the laptop's value), 'theirs' (the team's), or give
    `value` (a third). Returns the value now held."""
    if (take is None) == (value is None):
        raise UserError("Choose one: take mine, take theirs, or give a value.")
    if take not in (None, "mine", "theirs"):
        raise UserError(f"'{take}' is neither mine nor theirs.")
    with db.session() as s:
        conn = s.connection()
        row = conn.execute(
            text(
                "SELECT entity, row_uid, conference_uid, field, theirs_value FROM sync_conflict WHERE id = :i"
            ),
            {"i": conflict_id},
        ).first()
        if row is None:
            raise NotFound(f"There is no open conflict {conflict_id}.")
        entity, uid, conference_uid, field, theirs_json = row
        mine = apply.current_value(conn, entity, uid, field)
        theirs = decode(entity, field, theirs_json)
        if take is not None:
            chosen = mine if take == "mine" else theirs
            _check_side(entity, field, chosen, take)
        else:
            chosen = parse_value(entity, field, value) if isinstance(value, str) else value
            chosen = _check_structured(entity, field, chosen)
        conn.execute(text("UPDATE sync_state SET applying = 1 WHERE id = 1"))
        if chosen != mine:
            apply.set_field(conn, entity, uid, field, chosen)
        conn.execute(text("UPDATE sync_state SET applying = 0 WHERE id = 1"))
        conn.execute(
            text("DELETE FROM change_log WHERE row_uid = :u AND op = 'update' AND field = :f"),
            {"u": uid, "f": field},
        )
        conn.execute(text("DELETE FROM sync_conflict WHERE id = :i"), {"i": conflict_id})
        if chosen != theirs:
            stamp, _device, _person = change_log.tick(conn)
            conn.execute(
                text(
                    f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, :e, :u, :c, "
                    "'update', :f, :o, :n, :h, s.device, s.person FROM sync_state s WHERE s.id = 1"
                ),
                {
                    "e": entity,
                    "u": uid,
                    "c": conference_uid,
                    "f": field,
                    "o": theirs_json,
                    "n": encode(entity, field, chosen),
                    "h": stamp,
                },
            )
    return chosen
