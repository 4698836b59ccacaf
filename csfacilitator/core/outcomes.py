"""Outcome goals and measures: is the place safer? (issue 19)

A conference names a few goals from its assessment (each optionally tied to a priority and a
need of the plan); each goal has one or more measures decided up front: what kind of figure it
is (a count per period, a percentage, a 0-10 scale, yes/no, or a free observation), where it
comes from, and its baseline with the date it was taken. At each review meeting the measure is
taken again (a value and a note); the meeting owns the date, which is never stored twice.

`measure_progress` is the one answer to "baseline, latest value and the change" that every
screen and paper uses (export/measure_chart.py draws its points).

Long because goals, measures and the values taken at meetings are one chain: a value is read
by its measure's kind, progress reads all three, and they share one set of row lookups.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csfacilitator.core.dates import as_date, format_date
from csfacilitator.core.meetings import meeting_label
from csfacilitator.core.model import (
    MeasureValue,
    Meeting,
    Need,
    OutcomeGoal,
    OutcomeMeasure,
    Priority,
)
from csfacilitator.core.removed_rows import RemovedRows, remove, restore
from csfacilitator.core.reviews import _ordered_meetings
from csfacilitator.core.rows import (
    chunks,
    existing_row,
    in_order,
    refuse_unknown_fields,
    touch_conference,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

#: (key, label) of each kind of measure, in the order the screen offers them.
KINDS: tuple[tuple[str, str], ...] = (
    ("count", "Count per period"),
    ("percentage", "Percentage"),
    ("scale", "0–10 scale"),
    ("yes_no", "Yes / no"),
    ("observation", "Free observation"),
)
KIND_LABELS = dict(KINDS)
NUMERIC_KINDS = ("count", "percentage", "scale", "yes_no")
MAX_TEXT = 2000
MAX_COUNT = 10**9
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRecord:
    id: int
    uid: str
    goal_id: int
    position: int
    name: str
    kind: str
    period: str
    source: str
    baseline_value: float | None
    baseline_text: str
    baseline_date: dt.date | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def title(self) -> str:
        """'Police calls about ASB per month'."""
        if self.kind == "count" and self.period:
            return f"{self.name} per {self.period}"
        return self.name


@dataclass(frozen=True)
class GoalRecord:
    id: int
    uid: str
    conference_id: int
    position: int
    text: str
    priority_id: int | None
    priority_text: str
    need_id: int | None
    need_text: str
    measures: tuple[MeasureRecord, ...]


@dataclass(frozen=True)
class MeasureValueRecord:
    id: int
    measure_id: int
    meeting_id: int
    value: float | None
    text: str
    note: str


@dataclass(frozen=True)
class Point:
    """One taking of a measure: the baseline, or its value at a meeting."""

    label: str  # "Baseline" or "Review 1"
    date: dt.date | None
    value: float | None  # None for an observation
    text: str  # the value in words: "14", "45%", "6/10", "Yes", or the observation
    note: str = ""
    meeting_id: int | None = None

    @property
    def when(self) -> str:
        """'Review 1 (Feb 2027)'."""
        return f"{self.label} ({self.date.strftime('%b %Y')})" if self.date else self.label


@dataclass(frozen=True)
class Progress:
    """A measure's baseline, latest value and the change: the one answer every paper uses."""

    measure: MeasureRecord
    points: tuple[Point, ...]  # the baseline first (when recorded), then meetings in order

    @property
    def baseline(self) -> Point | None:
        return self.points[0] if self.points and self.points[0].meeting_id is None else None

    @property
    def latest(self) -> Point | None:
        taken = [p for p in self.points if p.meeting_id is not None]
        return taken[-1] if taken else None

    @property
    def change(self) -> float | None:
        """Latest minus baseline, for numeric measures with both."""
        b, last = self.baseline, self.latest
        if b is None or last is None or b.value is None or last.value is None:
            return None
        return last.value - b.value

    @property
    def change_text(self) -> str:
        """'down 5 (from 14 to 9)', 'no change (6/10)', 'from No to Yes', or why there is none."""
        b, last = self.baseline, self.latest
        if b is None:
            return "No baseline recorded."
        if last is None:
            return "Not yet taken at a review."
        kind = self.measure.kind
        if kind == "observation":
            return f"From “{b.text}” to “{last.text}”."
        if kind == "yes_no":
            if b.value == last.value:
                return f"No change ({last.text})."
            return f"From {b.text} to {last.text}."
        change = self.change
        if change is None:
            return "No change can be worked out."
        if change == 0:
            return f"No change ({last.text})."
        amount = format_value(kind, abs(change))
        if kind == "percentage":
            amount = f"{_number(abs(change))} percentage points"
        elif kind == "scale":
            amount = f"{_number(abs(change))} on the 0–10 scale"
        direction = "up" if change > 0 else "down"
        return f"{direction.capitalize()} {amount} (from {b.text} to {last.text})."

    def up_to(self, meeting_ids: set[int] | frozenset[int]) -> Progress:
        """The same measure as it stood at a meeting: the baseline and the takings at
        `meeting_ids` (that meeting and the ones before it), so an old record reads the same."""
        kept = tuple(p for p in self.points if p.meeting_id is None or p.meeting_id in meeting_ids)
        return Progress(self.measure, kept)

    def summary(self) -> str:
        """The values in words, for alt text and screen readers: 'Police calls about ASB per
        month: baseline 14 (Sep 2026), 9 at Review 1 (Feb 2027).'"""
        parts = []
        for p in self.points:
            if p.meeting_id is None:
                parts.append(f"baseline {p.text} ({p.date.strftime('%b %Y')})" if p.date else
                             f"baseline {p.text}")  # fmt: skip
            else:
                parts.append(f"{p.text} at {p.when}")
        if not parts:
            return f"{self.measure.title}: nothing recorded yet."
        return f"{self.measure.title}: {', '.join(parts)}."


# -- values by kind -------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_value(kind: str, value: float | None, text: str = "") -> str:
    """A value as people write it: '14', '45%', '6/10', 'Yes'; an observation's words."""
    if kind == "observation" or value is None:
        return text
    if kind == "percentage":
        return f"{_number(value)}%"
    if kind == "scale":
        return f"{_number(value)}/10"
    if kind == "yes_no":
        return "Yes" if value else "No"
    return _number(value)


def parse_value(kind: str, entry: object) -> tuple[float | None, str]:
    """(value, words) from what was typed, checked for the measure's kind; an observation keeps
    its words and has no number. Empty means nothing taken: (None, '')."""
    if kind not in KIND_LABELS:
        raise UserError(f"Choose the kind of measure: {', '.join(KIND_LABELS.values())}.")
    if isinstance(entry, bool):
        entry = "yes" if entry else "no"
    if isinstance(entry, int | float):
        entry = _number(float(entry))
    text = clean_text(entry, multiline=kind == "observation").strip()
    if not text:
        return None, ""
    if kind == "observation":
        if len(text) > MAX_TEXT:
            raise UserError(f"Keep the observation to {MAX_TEXT} characters.")
        return None, text
    if kind == "yes_no":
        word = text.lower()
        if word in _YES:
            return 1.0, ""
        if word in _NO:
            return 0.0, ""
        raise UserError(f"Answer yes or no, not “{text[:40]}”.")
    raw = re.sub(r"\s+", "", text)
    if kind == "percentage":
        raw = raw.removesuffix("%")
    if kind == "scale":
        raw = raw.removesuffix("/10")
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        raise UserError(f"Write a number for this measure, not “{text[:40]}”.") from None
    if not math.isfinite(value):
        raise UserError("Write a number for this measure.")
    if kind == "count":
        if value < 0 or not value.is_integer() or value > MAX_COUNT:
            raise UserError("A count is a whole number, 0 or more.")
    elif kind == "percentage":
        if not 0 <= value <= 100:
            raise UserError("A percentage is between 0 and 100.")
    elif kind == "scale" and not 0 <= value <= 10:
        raise UserError("A 0–10 scale value is between 0 and 10.")
    return value, ""


# -- reading --------------------------------------------------------------------------------------


def _measure_record(row: OutcomeMeasure) -> MeasureRecord:
    return MeasureRecord(
        id=row.id,
        uid=row.uid,
        goal_id=row.goal_id,
        position=row.position,
        name=row.name,
        kind=row.kind,
        period=row.period,
        source=row.source,
        baseline_value=row.baseline_value,
        baseline_text=row.baseline_text,
        baseline_date=row.baseline_date,
    )


def _measures(s: Session, goal_ids: Sequence[int]) -> dict[int, tuple[MeasureRecord, ...]]:
    """{goal id: its measures in order}, for all the goals at once (every goal is a key)."""
    found: dict[int, list[MeasureRecord]] = {goal_id: [] for goal_id in goal_ids}
    for ids in chunks(goal_ids):
        for r in in_order(s, OutcomeMeasure, OutcomeMeasure.goal_id.in_(ids)):
            found[r.goal_id].append(_measure_record(r))
    return {goal_id: tuple(measures) for goal_id, measures in found.items()}


def _goal_records(s: Session, rows: Sequence[OutcomeGoal]) -> list[GoalRecord]:
    """The goals' records, their priorities, needs and measures read in a few queries rather
    than three a goal."""
    priorities = _texts(s, Priority, {r.priority_id for r in rows})
    needs = _texts(s, Need, {r.need_id for r in rows})
    measures = _measures(s, [r.id for r in rows])
    records = []
    for row in rows:
        records.append(
            GoalRecord(
                id=row.id,
                uid=row.uid,
                conference_id=row.conference_id,
                position=row.position,
                text=row.text,
                priority_id=row.priority_id,
                priority_text=priorities.get(row.priority_id, ""),
                need_id=row.need_id,
                need_text=needs.get(row.need_id, ""),
                measures=measures[row.id],
            )
        )
    return records


def _texts(
    s: Session, model: type[Priority] | type[Need], ids: set[int | None]
) -> dict[int | None, str]:
    """{id: text} of the priorities or needs of those ids (None, for no link, is skipped)."""
    wanted = sorted(i for i in ids if i is not None)
    found: dict[int | None, str] = {}
    for part in chunks(wanted):
        for row_id, text in s.execute(select(model.id, model.text).where(model.id.in_(part))):
            found[row_id] = text
    return found


def _goal_record(s: Session, row: OutcomeGoal) -> GoalRecord:
    return _goal_records(s, [row])[0]


def list_goals(db: Database, conference_id: int) -> list[GoalRecord]:
    """The conference's goals in order, each with its measures."""
    with db.read_session() as s:
        return list_goals_in(s, conference_id)


def list_goals_in(s: Session, conference_id: int) -> list[GoalRecord]:
    return _goal_records(
        s, list(in_order(s, OutcomeGoal, OutcomeGoal.conference_id == conference_id))
    )


def get_measure(db: Database, measure_id: int) -> MeasureRecord:
    with db.read_session() as s:
        return _measure_record(_measure_row(s, measure_id))


def _progress_in(
    s: Session,
    measure: MeasureRecord,
    meetings: list,
    taken: dict[int, MeasureValue] | None = None,
) -> Progress:
    """The measure's progress; `taken` is its values by meeting id when already read."""
    points: list[Point] = []
    if measure.baseline_value is not None or measure.baseline_text:
        points.append(
            Point(
                "Baseline",
                measure.baseline_date,
                measure.baseline_value,
                format_value(measure.kind, measure.baseline_value, measure.baseline_text),
            )
        )
    if taken is None:
        taken = _values_by_meeting(s, [measure.id])[measure.id]
    for meeting in meetings:
        row = taken.get(meeting.id)
        if row is None or (row.value is None and not row.text):
            continue
        label = meeting_label(meeting, meetings).split(" · ")[0]
        points.append(
            Point(
                label,
                meeting.date,
                row.value,
                format_value(measure.kind, row.value, row.text),
                row.note,
                meeting.id,
            )
        )
    return Progress(measure, tuple(points))


def measure_progress(db: Database, measure_id: int) -> Progress:
    """A measure's baseline, its value at each meeting in order, and the change."""
    with db.session() as s:
        row = _measure_row(s, measure_id)
        goal = _goal_of(s, row)
        meetings = _ordered_meetings(s, goal.conference_id)
        return _progress_in(s, _measure_record(row), meetings)


def conference_progress(
    db: Database, conference_id: int
) -> list[tuple[GoalRecord, list[Progress]]]:
    """Every goal with the progress of each of its measures (papers and screens)."""
    with db.read_session() as s:
        return conference_progress_in(s, conference_id)


def conference_progress_in(
    s: Session, conference_id: int
) -> list[tuple[GoalRecord, list[Progress]]]:
    meetings = _ordered_meetings(s, conference_id)
    goals = list_goals_in(s, conference_id)
    taken = _values_by_meeting(s, [m.id for goal in goals for m in goal.measures])
    return [
        (goal, [_progress_in(s, m, meetings, taken[m.id]) for m in goal.measures]) for goal in goals
    ]


def _values_by_meeting(
    s: Session, measure_ids: Sequence[int]
) -> dict[int, dict[int, MeasureValue]]:
    """{measure id: {meeting id: the value taken there}} for the measures, in one query (a
    measure is taken at most once a meeting); every measure is a key."""
    found: dict[int, dict[int, MeasureValue]] = {measure_id: {} for measure_id in measure_ids}
    for ids in chunks(measure_ids):
        for v in s.scalars(select(MeasureValue).where(MeasureValue.measure_id.in_(ids))):
            found[v.measure_id][v.meeting_id] = v
    return found


def values_at(db: Database, meeting_id: int) -> dict[int, MeasureValueRecord]:
    """{measure id: value taken} at one meeting."""
    with db.read_session() as s:
        rows = s.scalars(select(MeasureValue).where(MeasureValue.meeting_id == meeting_id))
        return {r.measure_id: _value_record(r) for r in rows}


def _value_record(row: MeasureValue) -> MeasureValueRecord:
    return MeasureValueRecord(row.id, row.measure_id, row.meeting_id, row.value, row.text, row.note)


# -- goals ----------------------------------------------------------------------------------------


def _goal_row(s: Session, goal_id: int) -> OutcomeGoal:
    return existing_row(s, OutcomeGoal, goal_id, "That goal is no longer there.")


def _measure_row(s: Session, measure_id: int) -> OutcomeMeasure:
    return existing_row(s, OutcomeMeasure, measure_id, "That measure is no longer there.")


def _goal_of(s: Session, measure: OutcomeMeasure) -> OutcomeGoal:
    return _goal_row(s, measure.goal_id)


def _link_id(value: object) -> int | None:
    """A priority or need id as given (checked by _check_links)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError("Choose the priority or need from the lists.")
    return value


def _goal_text(text: object) -> str:
    text = clean_text(text, multiline=False).strip()
    if not text:
        raise UserError("Write the goal: the change in the place you want to see.")
    if len(text) > MAX_TEXT:
        raise UserError(f"Keep the goal to {MAX_TEXT} characters.")
    return text


def _check_links(s: Session, conference_id: int, priority_id: object, need_id: object) -> None:
    if priority_id is not None:
        priority = s.get(Priority, priority_id)
        if priority is None or priority.conference_id != conference_id:
            raise UserError("That priority is not one of this conference's.")
    if need_id is not None:
        need = s.get(Need, need_id)
        if need is None or need.conference_id != conference_id:
            raise UserError("That need is not in this conference's plan.")


def add_goal(
    db: Database,
    conference_id: int,
    text: str,
    *,
    priority_id: int | None = None,
    need_id: int | None = None,
) -> GoalRecord:
    """A goal at the end of the conference's list."""
    with db.session() as s:
        text = _goal_text(text)
        _check_links(s, conference_id, priority_id, need_id)
        last = s.scalar(
            select(func.max(OutcomeGoal.position)).where(OutcomeGoal.conference_id == conference_id)
        )
        row = OutcomeGoal(
            conference_id=conference_id,
            text=text,
            priority_id=priority_id,
            need_id=need_id,
            position=(last or 0) + 1,
        )
        s.add(row)
        touch_conference(s, conference_id)
        s.flush()
        return _goal_record(s, row)


def update_goal(db: Database, goal_id: int, **changes: object) -> GoalRecord:
    """Change a goal's text, priority_id or need_id."""
    refuse_unknown_fields(changes, {"text", "priority_id", "need_id"}, "A goal")
    with db.session() as s:
        row = _goal_row(s, goal_id)
        if "text" in changes:
            row.text = _goal_text(changes["text"])
        _check_links(s, row.conference_id, changes.get("priority_id"), changes.get("need_id"))
        if "priority_id" in changes:
            row.priority_id = _link_id(changes["priority_id"])
        if "need_id" in changes:
            row.need_id = _link_id(changes["need_id"])
        touch_conference(s, row.conference_id)
        s.flush()
        return _goal_record(s, row)


def delete_goal(db: Database, goal_id: int) -> RemovedRows:
    """Remove a goal with its measures and their values; returns them for `restore_rows`."""
    with db.session() as s:
        row = _goal_row(s, goal_id)
        return remove(s, row, row.conference_id)


#: Undo a delete_goal or delete_measure: the same rows, ids and all.
restore_rows = restore


# -- measures -------------------------------------------------------------------------------------


def _measure_fields(kind: object, changes: dict) -> dict:
    """Checked column values from name, kind, period, source, baseline and baseline_date."""
    out: dict = {}
    if "name" in changes:
        name = clean_text(changes["name"], multiline=False).strip()
        if not name:
            raise UserError("Name the measure: what is counted or asked.")
        if len(name) > MAX_TEXT:
            raise UserError(f"Keep the measure's name to {MAX_TEXT} characters.")
        out["name"] = name
    for key in ("period", "source"):
        if key in changes:
            value = clean_text(changes[key], multiline=False).strip()
            if len(value) > MAX_TEXT:
                raise UserError(f"Keep the {key} to {MAX_TEXT} characters.")
            out[key] = value
    if "baseline" in changes:
        out["baseline_value"], out["baseline_text"] = parse_value(str(kind), changes["baseline"])
    if "baseline_date" in changes:
        out["baseline_date"] = as_date(changes["baseline_date"])
    return out


def add_measure(
    db: Database,
    goal_id: int,
    name: str,
    kind: str,
    *,
    period: str = "",
    source: str = "",
    baseline: object = "",
    baseline_date: object = None,
) -> MeasureRecord:
    """A measure at the end of the goal's list, with its baseline (its value before the plan)."""
    if kind not in KIND_LABELS:
        raise UserError(f"Choose the kind of measure: {', '.join(KIND_LABELS.values())}.")
    fields = _measure_fields(
        kind,
        {"name": name, "period": period, "source": source, "baseline": baseline,
         "baseline_date": baseline_date},
    )  # fmt: skip
    with db.session() as s:
        goal = _goal_row(s, goal_id)
        last = s.scalar(
            select(func.max(OutcomeMeasure.position)).where(OutcomeMeasure.goal_id == goal_id)
        )
        row = OutcomeMeasure(goal_id=goal_id, kind=kind, position=(last or 0) + 1, **fields)
        s.add(row)
        touch_conference(s, goal.conference_id)
        s.flush()
        return _measure_record(row)


def update_measure(db: Database, measure_id: int, **changes: object) -> MeasureRecord:
    """Change a measure's name, period, source, baseline or baseline_date (the kind is fixed
    once values are taken: changing it would change what the values mean)."""
    refuse_unknown_fields(
        changes, {"name", "kind", "period", "source", "baseline", "baseline_date"}, "A measure"
    )
    with db.session() as s:
        row = _measure_row(s, measure_id)
        kind = changes.get("kind", row.kind)
        if kind != row.kind:
            if kind not in KIND_LABELS:
                raise UserError(f"Choose the kind of measure: {', '.join(KIND_LABELS.values())}.")
            if s.scalar(select(MeasureValue.id).where(MeasureValue.measure_id == measure_id)):
                raise UserError(
                    "This measure has been taken at a review; add a new measure instead of "
                    "changing its kind."
                )
            row.kind = str(kind)
            if "baseline" not in changes:
                current = format_value(row.kind, row.baseline_value, row.baseline_text)
                changes["baseline"] = current if row.baseline_value is None else ""
        for key, value in _measure_fields(row.kind, changes).items():
            setattr(row, key, value)
        goal = _goal_of(s, row)
        touch_conference(s, goal.conference_id)
        s.flush()
        return _measure_record(row)


def delete_measure(db: Database, measure_id: int) -> RemovedRows:
    """Remove a measure with its values; returns them for `restore_rows`."""
    with db.session() as s:
        row = _measure_row(s, measure_id)
        return remove(s, row, _goal_of(s, row).conference_id)


# -- values at meetings ---------------------------------------------------------------------------


def record_value(
    db: Database, measure_id: int, meeting_id: int, value: object, note: str = ""
) -> MeasureValueRecord | None:
    """The measure's value taken at a meeting of its conference (typed as people write it:
    '9', '45%', 'yes'); an empty value with no note removes it. Returns what is stored."""
    with db.session() as s:
        measure = _measure_row(s, measure_id)
        goal = _goal_of(s, measure)
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or meeting.conference_id != goal.conference_id:
            raise NotFound("That meeting is not one of this conference's.")
        number, words = parse_value(measure.kind, value)
        note = clean_text(note, multiline=True).strip()
        if len(note) > MAX_TEXT:
            raise UserError(f"Keep the note to {MAX_TEXT} characters.")
        row = s.scalar(
            select(MeasureValue).where(
                MeasureValue.measure_id == measure_id, MeasureValue.meeting_id == meeting_id
            )
        )
        touch_conference(s, goal.conference_id)
        if number is None and not words and not note:
            if row is not None:
                s.delete(row)
            return None
        if row is None:
            row = MeasureValue(measure_id=measure_id, meeting_id=meeting_id)
            s.add(row)
        row.value, row.text, row.note = number, words, note
        s.flush()
        return _value_record(row)


def value_entry(measure: MeasureRecord, record: MeasureValueRecord | None) -> str:
    """What to show in an entry box for a stored value (the inverse of parse_value)."""
    if record is None:
        return ""
    return format_value(measure.kind, record.value, record.text)


def baseline_entry(measure: MeasureRecord) -> str:
    return format_value(measure.kind, measure.baseline_value, measure.baseline_text)


def format_baseline_date(measure: MeasureRecord) -> str:
    return format_date(measure.baseline_date) if measure.baseline_date else ""
