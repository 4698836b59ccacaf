"""How the papers name a meeting: "Conference", "Pre-meeting", "Review", or "Review 2" once a
conference has more than one review (scheduled ones count, so the first review reads
"Review 1" as soon as the second is planned)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from csfacilitator.core import vocab
from csfacilitator.core.meetings import KIND_ORDER
from csfacilitator.core.model import Meeting


def meeting_order(meeting: Meeting) -> tuple:
    """Date order (undated last), then kind (pre-meeting, conference, review), then id."""
    return (meeting.date or dt.date.max, KIND_ORDER.get(meeting.kind, 9), meeting.id)


def meeting_name(meetings: Sequence[Meeting], meeting: Meeting) -> str:
    """'Conference', 'Review', 'Review 2'... among the conference's `meetings`."""
    if meeting.kind != "review":
        return vocab.label(vocab.MEETING_KINDS, meeting.kind)
    reviews = sorted((m for m in meetings if m.kind == "review"), key=meeting_order)
    if len(reviews) == 1:
        return "Review"
    return f"Review {[m.id for m in reviews].index(meeting.id) + 1}"
