"""What is due, and when, for each conference: derived from its meetings, never stored.

Every due date follows from a meeting's date (core/key_meetings.py says which meeting is the
conference meeting) under the time limits in Preferences (core/preferences.py DEADLINES):

- *Summary and plan*: SUMMARY_DAYS working days after the conference meeting (England and
  Wales bank holidays: core/working_days.py). Done when an intervention plan ("plan" in
  core/documents.py) for that meeting was exported and recorded as sent.
- *Full minutes*: MINUTES_DAYS working days after it. Done when the minutes ("minutes") of
  that meeting were exported and recorded as sent.
- *First review*: FIRST_REVIEW_MONTHS after the conference meeting; done when a review meeting
  has been held (key_meetings' rule for "held": started on the board, or progress recorded).
- *Next review*: at most LATER_REVIEW_MONTHS after each review held; done when a later review
  has been held.
- *Actions*: an action's own due date (Intervention.due_date); done when it is done or not
  going ahead.

"Exported and recorded as sent" is an entry of the information-sharing record
(core/export_log.py) of the matching kind, naming that meeting, saying who it went to, and made
on or after the meeting's day (in the computer's time zone): a paper exported for another
meeting (a review's minutes), before the meeting (a blank set of minutes for the day) or
without a sharing decision (entries from before the record asked) does not clear it. The
minutes name their meeting when exported; the plan is the conference's, so its entry names the
meeting it follows (`meeting_followed`: the latest that has taken place by the day it is
exported), set by record_export. A closed conference owes no more reviews.

Each item is done, late (its day has passed) or due (today or later).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core.key_meetings import held_among
from csfacilitator.core.model import Conference, ExportLog, Intervention, Meeting, Need
from csfacilitator.core.plan import CLOSED_STATUSES
from csfacilitator.core.preferences import (
    FIRST_REVIEW_MONTHS,
    LATER_REVIEW_MONTHS,
    MINUTES_DAYS,
    SUMMARY_DAYS,
    get_preference,
)
from csfacilitator.core.retention import add_months
from csfacilitator.core.rows import put_setting
from csfacilitator.core.working_days import add_working_days
from csfacilitator.storage.database import Database

DONE, LATE, DUE = "done", "late", "due"

SUMMARY, MINUTES, FIRST_REVIEW, NEXT_REVIEW, ACTION = (
    "summary",
    "minutes",
    "first_review",
    "next_review",
    "action",
)
#: The document kind (core/documents.py) whose export meets a document deadline.
DOCUMENT_FOR = {SUMMARY: "plan", MINUTES: "minutes"}
#: Those kinds that are the conference's rather than one meeting's: their sharing record
#: names the meeting they follow (meeting_followed), so a deadline knows which meeting's
#: paper went out.
FOLLOWS_MEETING = frozenset({"plan"})
LABELS = {
    SUMMARY: "Summary and plan",
    MINUTES: "Full minutes",
    FIRST_REVIEW: "First review",
    NEXT_REVIEW: "Next review",
    ACTION: "Action",
}


@dataclass(frozen=True)
class Limits:
    summary_days: int = SUMMARY_DAYS.default
    minutes_days: int = MINUTES_DAYS.default
    first_review_months: int = FIRST_REVIEW_MONTHS.default
    later_review_months: int = LATER_REVIEW_MONTHS.default


def limits(db: Database) -> Limits:
    return Limits(
        get_preference(db, SUMMARY_DAYS),
        get_preference(db, MINUTES_DAYS),
        get_preference(db, FIRST_REVIEW_MONTHS),
        get_preference(db, LATER_REVIEW_MONTHS),
    )


@dataclass(frozen=True)
class Deadline:
    conference_id: int
    conference_title: str
    kind: str  # SUMMARY, MINUTES, FIRST_REVIEW, NEXT_REVIEW, ACTION
    title: str  # "Full minutes", or the action's text
    due: dt.date
    state: str  # DONE, LATE, DUE
    done_on: dt.date | None = None
    meeting_id: int | None = None  # the meeting it follows from
    row_uid: str = ""  # the meeting's (or the action's) uid: a stable name for the item
    scheduled: dt.date | None = None  # reviews: the review meeting set, when there is one

    @property
    def key(self) -> str:
        """Stable across runs: what a reminder remembers it told you about."""
        return f"{self.kind}:{self.row_uid}"

    def words(self, today: dt.date) -> str:
        """ "Late by 3 days", "Due today", "Due in 2 days", "Done 4 Mar 2026"."""
        from csfacilitator.core.dates import format_date

        if self.state == DONE:
            return f"Done {format_date(self.done_on)}" if self.done_on else "Done"
        days = (self.due - today).days
        if days < 0:
            return f"Late by {-days} day{'' if days == -1 else 's'}"
        if days == 0:
            return "Due today"
        if days == 1:
            return "Due tomorrow"
        return f"Due in {days} days"


def meeting_followed(s, conference_id: int, today: dt.date | None = None) -> int | None:  # noqa: ANN001 - a session
    """The meeting a paper of the whole conference (the plan) sent today follows: the latest
    that has taken place by `today` (dated then or before; a review only once held; a
    pre-meeting only when there is no other meeting), or None before any has."""
    today = today or dt.date.today()
    meetings = s.execute(
        select(Meeting.id, Meeting.kind, Meeting.date, Meeting.started_at).where(
            Meeting.conference_id == conference_id
        )
    ).all()
    held = held_among(s, meetings)
    candidates = [m for m in meetings if m.kind != "pre_meeting"] or meetings
    past = [
        m
        for m in candidates
        if m.date is not None and m.date <= today and (m.kind != "review" or m.id in held)
    ]
    return max(past, key=lambda m: (m.date, m.id)).id if past else None


def _local_day(at: dt.datetime) -> dt.date:
    """The day, in the computer's time zone, of a moment stored as naive UTC."""
    moment = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().date()


def _state(due: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    if done_on is not None:
        return DONE
    return LATE if due < today else DUE


def deadlines_for(
    db: Database,
    conference_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    *,
    open_only: bool = False,
    actions: bool = True,
) -> list[Deadline]:
    """Every deadline of the conferences (all when None), by due date; `open_only` leaves out
    closed and archived conferences, `actions=False` the actions' due dates. Rows are read as
    plain columns, not ORM objects (1,000 conferences: measured in the report)."""
    today = today or dt.date.today()
    rules = limits(db)
    with db.read_session() as s:
        query = select(Conference.id, Conference.title, Conference.status)
        if conference_ids is not None:
            query = query.where(Conference.id.in_(list(conference_ids)))
        if open_only:
            query = query.where(Conference.status != "closed", Conference.archived.is_(False))
        if not actions:  # then only a dated conference meeting gives deadlines
            query = query.where(
                Conference.id.in_(
                    select(Meeting.conference_id).where(
                        Meeting.kind == "conference", Meeting.date.is_not(None)
                    )
                )
            )
        conferences = {cid: (title, status) for cid, title, status in s.execute(query)}
        if not conferences:
            return []
        ids = query.with_only_columns(Conference.id)  # a subquery: no 10,000 bound ids
        meetings = s.execute(
            select(
                Meeting.id,
                Meeting.uid,
                Meeting.conference_id,
                Meeting.kind,
                Meeting.date,
                Meeting.started_at,
            ).where(Meeting.conference_id.in_(ids))
        ).all()
        held = held_among(s, meetings)
        # What was sent, by (meeting, kind): entries of the sharing record naming a meeting
        # and saying who the paper went to.
        exports: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
        for meeting_id, kind, at in s.execute(
            select(ExportLog.meeting_id, ExportLog.kind, ExportLog.at).where(
                ExportLog.conference_id.in_(ids),
                ExportLog.kind.in_(list(DOCUMENT_FOR.values())),
                ExportLog.meeting_id.is_not(None),
                ExportLog.shared_with != "",
            )
        ):
            if meeting_id is not None:  # always: the query asks for a meeting
                exports[(meeting_id, kind)].append(_local_day(at))
        due_actions = (
            s.execute(
                select(
                    Need.conference_id,
                    Intervention.uid,
                    Intervention.text,
                    Intervention.due_date,
                    Intervention.status,
                )
                .join(Need, Need.id == Intervention.need_id)
                .where(Need.conference_id.in_(ids), Intervention.due_date.is_not(None))
            ).all()
            if actions
            else []
        )
        by_conference: dict[int, list] = defaultdict(list)
        for meeting in meetings:
            by_conference[meeting.conference_id].append(meeting)

        result: list[Deadline] = []
        for cid, (title, status) in conferences.items():
            result.extend(
                _meeting_deadlines(
                    cid, title, status, by_conference[cid], held, exports, rules, today
                )
            )
        for cid, uid, text, due_date, status in due_actions:
            if due_date is None:  # never: the query asks for due dates
                continue
            title = conferences[cid][0]
            result.append(
                Deadline(
                    cid,
                    title,
                    ACTION,
                    text.strip().splitlines()[0] if text.strip() else "(untitled action)",
                    due_date,
                    DONE if status in CLOSED_STATUSES else _state(due_date, None, today),
                    row_uid=uid,
                )
            )
    return sorted(result, key=lambda d: (d.due, d.conference_title, d.kind, d.title))


def _meeting_deadlines(
    cid: int,
    title: str,
    status: str,
    meetings: list,  # rows with id, uid, kind, date
    held: set[int],
    exports: dict[tuple[int, str], list[dt.date]],  # (meeting id, kind): days sent
    rules: Limits,
    today: dt.date,
) -> list[Deadline]:
    main = min((m for m in meetings if m.kind == "conference"), key=lambda m: m.id, default=None)
    if main is None or main.date is None:
        return []
    out = []
    for kind, days in ((SUMMARY, rules.summary_days), (MINUTES, rules.minutes_days)):
        sent = [d for d in exports.get((main.id, DOCUMENT_FOR[kind]), ()) if d >= main.date]
        done_on = min(sent, default=None)
        due = add_working_days(main.date, days)
        out.append(
            Deadline(
                cid,
                title,
                kind,
                LABELS[kind],
                due,
                _state(due, done_on, today),
                done_on,
                main.id,
                main.uid,
            )
        )
    reviews = sorted(
        (m for m in meetings if m.kind == "review" and m.date is not None),
        key=lambda m: (m.date, m.id),
    )
    held_reviews = [m for m in reviews if m.id in held]
    waiting = [m for m in reviews if m.id not in held]
    # The first review, then one after each review held: done by the next review held.
    previous, kind, months = main, FIRST_REVIEW, rules.first_review_months
    for index in range(len(held_reviews) + 1):
        due = add_months(previous.date, months)
        if index < len(held_reviews):
            done = held_reviews[index]
            out.append(
                Deadline(
                    cid, title, kind, LABELS[kind], due, DONE, done.date, previous.id,
                    previous.uid, done.date,
                )
            )  # fmt: skip
            previous, kind, months = done, NEXT_REVIEW, rules.later_review_months
        elif status != "closed":
            scheduled = waiting[0].date if waiting else None
            out.append(
                Deadline(
                    cid, title, kind, LABELS[kind], due, _state(due, None, today), None,
                    previous.id, previous.uid, scheduled,
                )
            )  # fmt: skip
    return out


def conference_deadlines(
    db: Database, conference_id: int, today: dt.date | None = None
) -> list[Deadline]:
    return deadlines_for(db, [conference_id], today)


def needing_attention(
    db: Database, today: dt.date | None = None, *, within_days: int = 0, actions: bool = True
) -> list[Deadline]:
    """Open conferences' items that are late or due within `within_days` (0: today)."""
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=within_days)
    return [
        d
        for d in deadlines_for(db, today=today, open_only=True, actions=actions)
        if d.state != DONE and d.due <= horizon
    ]


# -- reminders: what the window tells you about, once per item per day ------------------------

#: Setting that remembers which items were reminded of today: {"<item key>": "YYYY-MM-DD"}.
REMINDED_KEY = "deadline_reminders"


def _reminded(s) -> dict[str, str]:  # noqa: ANN001 - a session
    import json

    from csfacilitator.core.model import Setting

    row = s.get(Setting, REMINDED_KEY)
    try:
        value = json.loads(row.value) if row is not None else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def reminders_due(db: Database, today: dt.date | None = None) -> list[Deadline]:
    """Late items, and items due today, of open conferences (actions included) that have not
    been reminded of today; none when reminders are off in Preferences."""
    from csfacilitator.core.preferences import NOTIFY_DUE

    today = today or dt.date.today()
    if not get_preference(db, NOTIFY_DUE):
        return []
    with db.read_session() as s:
        told = _reminded(s)
    return [d for d in needing_attention(db, today) if told.get(d.key) != today.isoformat()]


def mark_reminded(db: Database, items: Iterable[Deadline], today: dt.date | None = None) -> None:
    """Remember that these were reminded of today (earlier days are forgotten)."""
    import json

    stamp = (today or dt.date.today()).isoformat()
    with db.session() as s:
        told = {k: v for k, v in _reminded(s).items() if v == stamp}
        told.update({d.key: stamp for d in items})
        put_setting(s, REMINDED_KEY, json.dumps(told))


def reminder_text(items: list[Deadline], today: dt.date) -> str:
    """One short message: "Late: Summary and plan (Larkfield Park), late by 2 days; …"."""
    parts = []
    for d in items[:3]:
        what = f"Action “{d.title}”" if d.kind == ACTION else d.title
        parts.append(f"{what} ({d.conference_title}): {d.words(today).lower()}")
    more = f"; and {len(items) - 3} more" if len(items) > 3 else ""
    return "; ".join(parts) + more
