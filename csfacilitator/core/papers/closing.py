"""What the closing record says, read in one go: the conference, when it was closed, what
changed, the measures the partners tracked (free text for now, printed as recorded), what the
partners said, the meetings held, and the final state of every action with its last progress
note. It is "the final record" the closing dialog promises; a conference that is not closed
has none (UserError). Nothing here imports python-docx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from csfacilitator.core.closing import CLOSED_STATUS
from csfacilitator.core.dates import format_date
from csfacilitator.core.key_meetings import held_meetings
from csfacilitator.core.model import ActionUpdate, Meeting
from csfacilitator.core.outcomes import GoalRecord, Progress
from csfacilitator.core.papers.meeting_names import meeting_name, meeting_order
from csfacilitator.core.papers.reading import (
    context_words,
    meetings_in,
    outcomes_in,
    plan_in,
)
from csfacilitator.core.papers.you_said import YouSaid, items_in
from csfacilitator.core.rows import conference_in
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

NOT_CLOSED = (
    "This conference is not closed yet, so there is no closing record: close it from the "
    "Action plan tab first (Close conference…)."
)


@dataclass(frozen=True)
class FinalAction:
    text: str
    agency: str
    owner: str
    status: str  # vocab.ACTION_STATUSES key, as the action ended
    note: str  # the last progress note recorded ("" when none)
    note_from: str  # where that note was recorded: "Review 2, 6 May 2027", "Running notes"


@dataclass(frozen=True)
class FinalNeed:
    text: str
    actions: tuple[FinalAction, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class HeldMeeting:
    name: str  # "Conference", "Review 1"
    date: dt.date | None


@dataclass(frozen=True)
class ClosingData:
    conference_id: int
    title: str
    context: str
    closed_on: dt.date | None
    summary: str  # what changed
    measures: str  # the measures tracked, before and after, as recorded
    feedback: str  # what the partners said
    chair: str
    lead_practitioner: str
    meetings: tuple[HeldMeeting, ...]  # held, in order
    needs: tuple[FinalNeed, ...]
    #: Outcome goals with each measure's baseline, values and change (issue 19).
    outcomes: tuple[tuple[GoalRecord, tuple[Progress, ...]], ...] = ()
    #: You said, we did: every voice with what was done, each action as it ended.
    you_said: tuple[YouSaid, ...] = ()

    @property
    def actions(self) -> list[FinalAction]:
        return [a for need in self.needs for a in need.actions]


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def gather(
    db: Database, conference_id: int, meeting_id: int | None = None, **_ignored: object
) -> ClosingData:
    """The closing record of a closed conference (`meeting_id` is not used: the record covers
    the whole conference)."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        if conference.status != CLOSED_STATUS:
            raise UserError(NOT_CLOSED)
        meetings = sorted(meetings_in(s, conference_id), key=meeting_order)
        held = held_meetings(s, conference_id)
        names = {m.id: meeting_name(meetings, m) for m in meetings}
        position = {m.id: index for index, m in enumerate(meetings)}
        by_id = {m.id: m for m in meetings}
        last_note: dict[int, ActionUpdate] = {}
        for update in s.scalars(
            select(ActionUpdate)
            .join(Meeting, Meeting.id == ActionUpdate.meeting_id)
            .where(Meeting.conference_id == conference_id, ActionUpdate.note != "")
        ):
            key = update.intervention_id
            known = last_note.get(key)
            if known is None or position[update.meeting_id] >= position[known.meeting_id]:
                last_note[key] = update

        def final(action) -> FinalAction:
            update = last_note.get(action.id)
            if update is not None:
                meeting = by_id[update.meeting_id]
                when = f", {format_date(meeting.date)}" if meeting.date else ""
                note, source = update.note, names[meeting.id] + when
            else:
                note = _last_line(action.progress)
                source = "Running notes" if note else ""
            return FinalAction(
                text=action.text,
                agency=action.agency,
                owner=action.owner,
                status=action.status,
                note=note,
                note_from=source,
            )

        needs = tuple(
            FinalNeed(need.text, tuple(final(a) for a in actions))
            for need, actions in plan_in(s, conference_id)
        )
        closed_on = conference.closed_on
        return ClosingData(
            conference_id=conference.id,
            title=conference.title,
            context=context_words(conference),
            closed_on=closed_on,
            summary=conference.outcome_summary,
            measures=conference.outcome_measures,
            feedback=conference.partner_feedback,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            meetings=tuple(
                HeldMeeting(names[m.id], m.date)
                for m in meetings
                if m.id in held
                or (m.date is not None and closed_on is not None and m.date <= closed_on)
            ),
            needs=needs,
            outcomes=outcomes_in(s, conference_id),
            you_said=items_in(s, conference_id),
        )
