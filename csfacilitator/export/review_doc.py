"""The record of a review meeting as a Word document.

Who came, how each action has moved since the last meeting (the status and note recorded at
this review, with the last status recorded before it), what was decided, and when the next
review is. Every action of the plan is listed: one finished before this review (so not carried
forward to it) says so. "Overdue" is judged on the day of the review, from the status recorded
then, so an old review's record reads the same whenever it is exported.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.meetings import KIND_ORDER
from csfacilitator.core.model import (
    ActionUpdate,
    Attendance,
    Conference,
    Invitee,
    Meeting,
    Need,
)
from csfacilitator.core.plan import CLOSED_STATUSES, Attendee
from csfacilitator.core.textclean import split_pasted_lines
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document

REVIEW_COLUMNS = (
    "Identified need or problem",
    "Intervention",
    "Agency / team responsible",
    "Timescale",
    "Status",
    "Progress since the last meeting",
)


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

    @property
    def actions(self) -> list[ReviewedAction]:
        return [a for need in self.needs for a in need.actions]


def _order(meeting: Meeting) -> tuple:
    return (meeting.date or dt.date.max, KIND_ORDER.get(meeting.kind, 9), meeting.id)


def _pick_review(meetings: list[Meeting], meeting_id: int | None) -> Meeting:
    if meeting_id is not None:
        chosen = next((m for m in meetings if m.id == meeting_id), None)
        if chosen is None:
            raise NotFound("That meeting does not belong to this conference.")
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


def _context(conference: Conference) -> str:
    place = ", ".join(part for part in (conference.context_name, conference.area) if part)
    return place or vocab.label(vocab.CONTEXT_TYPES, conference.context_type)


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


def _next_review(
    reviews: list[Meeting], review: Meeting, planned: dt.date | None
) -> dt.date | None:
    """The review after this one: a later review meeting's date if there is one, else the
    conference's next review date when it falls after this review."""
    later = reviews[reviews.index(review) + 1 :]
    if later:
        return later[0].date
    if planned is not None and review.date is not None and planned <= review.date:
        return None  # the date this review was held on: no later one set yet
    return planned


def gather_review(
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> ReviewData:
    """What the record of a review meeting (default: the latest review) will contain."""
    today = today or dt.date.today()
    with db.session() as s:
        conference = s.get(Conference, conference_id)
        if conference is None:
            raise NotFound(f"There is no conference with id {conference_id}.")
        meetings = list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
        review = _pick_review(meetings, meeting_id)
        reviews = sorted((m for m in meetings if m.kind == "review"), key=_order)
        name = "Review" if len(reviews) == 1 else f"Review {reviews.index(review) + 1}"
        previous_name = _previous_label(meetings, review)
        on_day = review.date or today

        attendance = s.execute(
            select(Invitee.name, Invitee.organisation, Invitee.role, Attendance.state)
            .join(Attendance, Attendance.invitee_id == Invitee.id)
            .where(Attendance.meeting_id == review.id, Invitee.conference_id == conference_id)
            .order_by(Invitee.position, Invitee.id)
        ).all()

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
        for need in s.scalars(
            select(Need).where(Need.conference_id == conference_id).order_by(Need.position, Need.id)
        ):
            actions = []
            for action in sorted(need.interventions, key=lambda i: (i.position, i.id)):
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
                        overdue=action.due_date is not None
                        and action.due_date < on_day
                        and status not in CLOSED_STATUSES,
                        remark=remark,
                    )
                )
            needs.append(ReviewedNeed(need.text, tuple(actions)))

        return ReviewData(
            conference_id=conference.id,
            meeting_id=review.id,
            title=conference.title,
            context=_context(conference),
            meeting_name=name,
            date=review.date,
            time=review.time,
            venue=review.venue or conference.venue,
            chair=conference.chair,
            lead_practitioner=conference.lead_practitioner,
            previous_meeting=previous_name,
            purpose=review.purpose,
            decisions=review.decisions,
            present=tuple(Attendee(n, o, r) for n, o, r, state in attendance if state == "present"),
            apologies=tuple(
                Attendee(n, o, r) for n, o, r, state in attendance if state == "apologies"
            ),
            needs=tuple(needs),
            next_review_date=_next_review(reviews, review, conference.next_review_date),
            closed_on=conference.closed_on if conference.status == "closed" else None,
        )


def summary_line(data: ReviewData) -> str:
    """'11 actions: 3 done, 6 in progress, 2 not started. 1 overdue.'"""
    actions = data.actions
    if not actions:
        return "The plan has no actions yet."
    counts = Counter(a.status for a in actions)
    parts = [
        f"{counts[key]} {label.lower()}"
        for key, label in vocab.ACTION_STATUSES.items()
        if counts.get(key)
    ]
    overdue = sum(1 for a in actions if a.overdue)
    noun = "action" if len(actions) == 1 else "actions"
    text = f"{len(actions)} {noun}: " + ", ".join(parts) + "."
    if overdue:
        text += f" {overdue} overdue."
    missing = sum(1 for a in actions if not a.recorded and a.status not in CLOSED_STATUSES)
    if missing:
        text += f" No update was recorded for {missing}."
    return text


def _fill_review_row(cells: Sequence[Any], action: ReviewedAction) -> int:
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.plan_doc import add_note, fill_agency, fill_timescale

    written = len(action.text) + len(action.note)
    b.add_paragraph(cells[1], action.text)
    written += fill_agency(cells[2], action)
    written += fill_timescale(cells[3], action, overdue=action.overdue, missing="Not set")
    b.add_paragraph(cells[4], vocab.label(vocab.ACTION_STATUSES, action.status), bold=True)
    if action.previous_status is not None:
        add_note(cells[4], f"Was: {vocab.label(vocab.ACTION_STATUSES, action.previous_status)}")
    if action.note:
        b.add_paragraph(cells[5], action.note)
    else:
        b.add_paragraph(cells[5], action.remark, italic=True, colour=b.MUTED_COLOUR)
    return written


def build_review(data: ReviewData, *, author: str = "") -> Document:
    """The review record as a landscape A4 document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.plan_doc import add_grouped_rows, add_label_table

    title = b.one_line(data.title) or "Untitled conference"
    when = b.long_date(data.date, missing="date not set")
    doc = b.start_document(
        title=f"Review record: {title}",
        subject=f"{data.meeting_name} meeting, {when}",
        header_left=title,
        header_right=f"{data.meeting_name} meeting, {when}",
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])

    b.add_heading(doc, "Review record", 1)
    b.add_paragraph(doc, title, size=12.5, colour=b.MUTED_COLOUR)
    add_label_table(
        doc,
        [
            ("Context", data.context),
            ("Meeting", data.meeting_name),
            ("Date of review", b.long_date(data.date)),
            (
                "Time and venue",
                ", ".join(p for p in (b.short_time(data.time, ""), data.venue) if p)
                or "Not recorded",
            ),
            ("Chair", data.chair or "Not recorded"),
            ("Lead practitioner", data.lead_practitioner or "Not recorded"),
            ("Next review", b.long_date(data.next_review_date)),
        ],
        Mm(55),
    )
    if data.purpose.strip():
        b.add_heading(doc, "Purpose of the review", 2)
        for line in data.purpose.split("\n"):
            if line.strip():
                b.add_paragraph(doc, line)

    b.add_heading(doc, "Attendance", 2)
    b.add_heading(doc, f"Present ({len(data.present)})", 3)
    if data.present:
        name_w, org_w = Mm(70), Mm(100)
        b.add_table(
            doc,
            ("Name", "Organisation", "Role"),
            ((p.name, p.organisation, p.role) for p in data.present),
            (name_w, org_w, width - name_w - org_w),
            style=doc.styles["Table Grid"],
        )
    else:
        b.add_paragraph(doc, "No attendance was recorded.", italic=True, colour=b.MUTED_COLOUR)
    b.add_heading(doc, f"Apologies ({len(data.apologies)})", 3)
    if data.apologies:
        styles = b.bullet_styles(doc)
        for person in data.apologies:
            b.add_bullet(doc, person.label, 1, styles)
    else:
        b.add_paragraph(doc, "None.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "Progress on the actions", 2)
    b.add_paragraph(doc, f"Since {data.previous_meeting}. {summary_line(data)}")
    need_w, agency_w, time_w, status_w, progress_w = Mm(46), Mm(42), Mm(32), Mm(27), Mm(62)
    action_w = width - need_w - agency_w - time_w - status_w - progress_w
    widths = (need_w, action_w, agency_w, time_w, status_w, progress_w)
    table = b.add_table(doc, REVIEW_COLUMNS, [], widths, style=doc.styles["Table Grid"])
    if data.needs:
        add_grouped_rows(
            table,
            [(need.text, need.actions) for need in data.needs],
            _fill_review_row,
            empty_group="No intervention agreed yet",
        )
    else:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        b.add_paragraph(merged, "The plan has no actions yet.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "What was decided", 2)
    decisions = split_pasted_lines(data.decisions)
    if decisions:
        styles = b.bullet_styles(doc)
        for line in decisions:
            b.add_bullet(doc, line, 1, styles)
    else:
        b.add_paragraph(doc, "No decisions were recorded.", italic=True, colour=b.MUTED_COLOUR)

    b.add_heading(doc, "Next review", 2)
    if data.closed_on is not None:
        b.add_paragraph(doc, f"The conference was closed on {b.long_date(data.closed_on)}.")
    elif data.next_review_date is not None:
        b.add_paragraph(doc, f"The next review meeting is on {b.long_date(data.next_review_date)}.")
    else:
        b.add_paragraph(doc, "A date for the next review has not been set yet.")
    return doc


def suggested_filename(data: ReviewData) -> str:
    """'Review record - <title> - 2027-02-04.docx'."""
    from csfacilitator.core.textclean import safe_file_stem

    parts = ["Review record", safe_file_stem(data.title)]
    if data.date is not None:
        parts.append(data.date.isoformat())
    return " - ".join(parts) + ".docx"


def save_review(data: ReviewData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    from csfacilitator.export.docx_base import save_atomic
    from csfacilitator.export.plan_doc import docx_target

    return save_atomic(build_review(data, author=author), docx_target(path))


def export_review(
    db: Database,
    conference_id: int,
    path: str | os.PathLike[str],
    meeting_id: int | None = None,
    *,
    author: str = "",
    today: dt.date | None = None,
) -> Path:
    """Write the record of a review meeting (default: the latest) to `path`."""
    return save_review(
        gather_review(db, conference_id, meeting_id, today=today), path, author=author
    )
