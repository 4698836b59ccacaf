"""What the record of a review meeting says, read in one go: which review (the meeting in focus
when it is a review, else the latest review held), who came, how each action has moved since
the last meeting (the status and note recorded at this review, with the last status recorded
before it), the review's own board, what was decided, and when the next review is.

"Overdue" is judged on the day of the review, from the status recorded then, so an old
review's record reads the same whenever it is exported. Nothing here imports python-docx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord, board_tree_in
from csfacilitator.core.dates import format_date
from csfacilitator.core.key_meetings import held_meetings, meeting_in_focus
from csfacilitator.core.model import (
    ActionUpdate,
    Meeting,
)
from csfacilitator.core.outcomes import GoalRecord, Progress
from csfacilitator.core.papers.meeting_names import meeting_name, meeting_order
from csfacilitator.core.papers.reading import (
    attendance_at,
    context_words,
    meeting_among,
    meetings_in,
    outcomes_in,
    overdue,
    plan_in,
)
from csfacilitator.core.papers.you_said import YouSaid, items_in
from csfacilitator.core.plan import CLOSED_STATUSES, Attendee
from csfacilitator.core.rows import conference_in
from csfacilitator.core.textclean import split_pasted_lines
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class ReviewedAction:
    text: str
    agency: str
    owner: str
    timescale: str
    due_date: dt.date | None
    status: str  # recorded at this review; the action's current status when nothing was
    note: str
    recorded: bool  # an update was recorded for this action at this review
    previous_status: str | None  # the last status recorded before this review, if any
    overdue: bool
    remark: str = ""  # shown instead of an empty progress note


@dataclass(frozen=True)
class ReviewedNeed:
    text: str
    actions: tuple[ReviewedAction, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReviewData:
    conference_id: int
    meeting_id: int
    title: str
    context: str
    meeting_name: str  # "Review" or "Review 2"
    date: dt.date | None
    time: dt.time | None
    venue: str
    chair: str
    lead_practitioner: str
    previous_meeting: str  # "the conference on 5 Nov 2026", "review 1 on ..."
    purpose: str
    decisions: str
    present: tuple[Attendee, ...]
    apologies: tuple[Attendee, ...]
    needs: tuple[ReviewedNeed, ...]
    next_review_date: dt.date | None  # the review after this one, if known
    closed_on: dt.date | None
    #: The review meeting's own board: column key -> top-level points.
    board: Mapping[str, tuple[PointRecord, ...]] = field(default_factory=dict)
    #: Outcome goals with each measure as it stood at this review (issue 19; core/outcomes.py).
    outcomes: tuple[tuple[GoalRecord, tuple[Progress, ...]], ...] = ()
    #: You said, we did: voices heard by this review, each action's status as at this review.
    you_said: tuple[YouSaid, ...] = ()

    @property
    def actions(self) -> list[ReviewedAction]:
        return [a for need in self.needs for a in need.actions]

    @property
    def decision_lines(self) -> list[str]:
        """The decisions as typed, one per line (bullets and dashes taken off)."""
        return split_pasted_lines(self.decisions)

    @property
    def decisions_from_board(self) -> tuple[PointRecord, ...]:
        """What was decided when nothing was typed: this review's Safety plan column."""
        return () if self.decision_lines else tuple(self.board.get("safety_plan", ()))


_order = meeting_order


def _review_in_focus(
    s, conference_id: int, meetings: list[Meeting], today: dt.date | None = None
) -> int | None:
    """The meeting in focus when it is a review, else the latest review held."""
    focus = meeting_in_focus(s, conference_id, today)
    if any(m.id == focus and m.kind == "review" for m in meetings):
        return focus
    held = held_meetings(s, conference_id)
    done = [m for m in meetings if m.kind == "review" and m.id in held]
    return max(done, key=_order).id if done else None


def default_meeting(db: Database, conference_id: int, today: dt.date | None = None) -> int | None:
    """The review a review record is about when none is asked for: the meeting in focus when
    it is a review, else the latest review held (None when there is none). Callers that
    resolve "the meeting in focus" for every per-meeting paper use this for the review record,
    since the focus may be the conference itself."""
    with db.session() as s:
        return _review_in_focus(s, conference_id, meetings_in(s, conference_id), today)


def _pick_review(meetings: list[Meeting], meeting_id: int | None) -> Meeting:
    if meeting_id is not None:
        chosen = meeting_among(meetings, meeting_id)
        if chosen.kind != "review":
            kind = vocab.label(vocab.MEETING_KINDS, chosen.kind).lower()
            raise UserError(
                f"Meeting {meeting_id} is the {kind}, not a review: choose a review meeting."
            )
        return chosen
    reviews = [m for m in meetings if m.kind == "review"]
    if not reviews:
        raise UserError(
            "This conference has had no review meeting yet, so there is no review record to "
            "export. Start a review meeting from the Action plan tab first."
        )
    return max(reviews, key=_order)


def _previous_label(meetings: list[Meeting], review: Meeting) -> str:
    earlier = [m for m in meetings if m is not review and _order(m) < _order(review)]
    earlier = [m for m in earlier if m.kind != "pre_meeting"]
    if not earlier:
        return "the conference"
    previous = max(earlier, key=_order)
    reviews = [m for m in meetings if m.kind == "review"]
    if previous.kind == "review":
        number = sorted(reviews, key=_order).index(previous) + 1
        name = f"review {number}" if len(reviews) > 1 else "the last review"
    else:
        name = "the " + vocab.label(vocab.MEETING_KINDS, previous.kind).lower()
    when = f" on {format_date(previous.date)}" if previous.date else ""
    return name + when


def _next_review(reviews: list[Meeting], review: Meeting) -> dt.date | None:
    """The review after this one: the next review meeting's date (the only place it is kept)."""
    later = reviews[reviews.index(review) + 1 :]
    return later[0].date if later else None


def gather(
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> ReviewData:
    """What the record of a review meeting will contain (default: the meeting in focus if it
    is a review, else the latest review held)."""
    today = today or dt.date.today()
    with db.session() as s:
        conference = conference_in(s, conference_id)
        meetings = meetings_in(s, conference_id)
        if meeting_id is None:
            meeting_id = _review_in_focus(s, conference_id, meetings, today)
        review = _pick_review(meetings, meeting_id)
        reviews = sorted((m for m in meetings if m.kind == "review"), key=_order)
        name = meeting_name(meetings, review)
        previous_name = _previous_label(meetings, review)
        on_day = review.date or today

        present, apologies = attendance_at(s, conference_id, review.id)

        # This review's update of each action, and the latest one recorded before it.
        position = {m.id: _order(m) for m in meetings}
        this = _order(review)
        current: dict[int, ActionUpdate] = {}
        earlier: dict[int, ActionUpdate] = {}
        for update in s.scalars(
            select(ActionUpdate)
            .join(Meeting, Meeting.id == ActionUpdate.meeting_id)
            .where(Meeting.conference_id == conference_id)
            .order_by(ActionUpdate.id)
        ):
            key = update.intervention_id
            if update.meeting_id == review.id:
                current[key] = update
            elif position[update.meeting_id] < this and (
                key not in earlier
                or position[update.meeting_id] >= position[earlier[key].meeting_id]
            ):
                earlier[key] = update

        needs = []
        status_at: dict[int, str] = {}  # each action's status as at this review
        for need, interventions in plan_in(s, conference_id):
            actions = []
            for action in interventions:
                now, before = current.get(action.id), earlier.get(action.id)
                if now is not None:
                    status, remark = now.status, "No progress noted."
                elif before is not None:
                    status, remark = before.status, "No update recorded at this review."
                    if status in CLOSED_STATUSES:
                        label = vocab.label(vocab.ACTION_STATUSES, status).lower()
                        remark = f"Not carried forward: {label} at an earlier meeting."
                else:
                    status, remark = action.status, "No update recorded at this review."
                status_at[action.id] = status
                actions.append(
                    ReviewedAction(
                        text=action.text,
                        agency=action.agency,
                        owner=action.owner,
                        timescale=action.timescale,
                        due_date=action.due_date,
                        status=status,
                        note=now.note if now is not None else "",
                        recorded=now is not None,
                        previous_status=before.status if before is not None else None,
                        overdue=overdue(action.due_date, status, on_day),
                        remark=remark,
                    )
                )
            needs.append(ReviewedNeed(need.text, tuple(actions)))

        data = ReviewData(
            conference_id=conference.id,
            meeting_id=review.id,
            title=conference.title,
            context=context_words(conference),
            meeting_name=name,
            date=review.date,
            time=review.time,
            venue=review.venue,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            previous_meeting=previous_name,
            purpose=review.purpose,
            decisions=review.decisions,
            present=present,
            apologies=apologies,
            needs=tuple(needs),
            next_review_date=_next_review(reviews, review),
            closed_on=conference.closed_on if conference.status == "closed" else None,
            # Outcome measures as they stood at this review (issue 19).
            outcomes=outcomes_in(
                s, conference_id, held_by={m.id for m in meetings if _order(m) <= this}
            ),
            you_said=items_in(s, conference_id, statuses=status_at, until=review.date),
            board=board_tree_in(s, review.id),
        )
    return data
