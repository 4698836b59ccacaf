"""'You said, we did', read in one go: for the section of the review and closing records
(`items_in`), and for the one-page handout that goes back to the young people (`gather`).

What was done is each voice's written reply, else what the plan holds (core/voice.py:
`reply_for`), with the linked action's status as it stood when the paper is about: a review
record says what the action's status was at that review, so an old record reads the same
whenever it is exported. Nothing here imports python-docx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from csfacilitator.core import vocab
from csfacilitator.core.rows import conference_in
from csfacilitator.core.voice import METHOD_PLAIN, VoiceRecord, list_voices_in, reply_for
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

NO_VOICES = (
    "No young people's voices are recorded for this conference yet, so there is nothing to "
    "hand back: add them on the Assessment tab (Young people's voice) first."
)
#: How the handout names a place when the conference gives it no name.
PLACE_WORDS = {
    "school": "your school",
    "neighbourhood": "your area",
    "peer_group": "your area",
    "business": "this place",
    "online": "online",
    "other": "your area",
}


@dataclass(frozen=True)
class YouSaid:
    said: str  # in the young people's words
    how: str  # "Survey, by Youth service, 3 Sep 2026"
    we_did: str  # the written reply, else what the plan holds
    written: bool  # the reply was written for young people (not read from the plan)
    link: str  # "Action: Fix the lights (Done)", "Need: Dark path", or ""
    method: str  # core/voice.py METHODS key


@dataclass(frozen=True)
class HandoutData:
    """The 'You said, we did' handout: plain words, no names (not even the workers')."""

    conference_id: int
    title: str  # the conference's title (for the file name only)
    place: str  # the context, as young people would know it
    made_on: dt.date
    items: tuple[YouSaid, ...]
    heard_through: str  # "a survey, the school council and youth workers out and about"


def _item(voice: VoiceRecord, status: str | None) -> YouSaid:
    link = voice.link_text
    if voice.intervention_id is not None and status and status != voice.action_status:
        link = f"Action: {voice.action_text} ({vocab.label(vocab.ACTION_STATUSES, status)})"
    return YouSaid(
        said=voice.text,
        how=voice.how,
        we_did=reply_for(voice, status),
        written=voice.reply_written,
        link=link,
        method=voice.method,
    )


def items_in(
    s: Session,
    conference_id: int,
    *,
    statuses: Mapping[int, str] | None = None,
    until: dt.date | None = None,
) -> tuple[YouSaid, ...]:
    """The conference's voices with what was done: `statuses` gives each action's status as
    the paper has it (intervention id -> status; default: now); `until` leaves out voices
    gathered after that day (a review record leaves out what was heard after the review)."""
    statuses = statuses or {}
    return tuple(
        _item(v, statuses.get(v.intervention_id) if v.intervention_id is not None else None)
        for v in list_voices_in(s, conference_id)
        if until is None or v.gathered_on is None or v.gathered_on <= until
    )


def _joined(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def gather(
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    today: dt.date | None = None,
    **_ignored: object,
) -> HandoutData:
    """The handout for a conference (`meeting_id` is not used: it covers every voice)."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        items = items_in(s, conference_id)
        if not items:
            raise UserError(NO_VOICES)
        place = conference.context_name or conference.area
        if not place:
            place = PLACE_WORDS.get(conference.context_type, "your area")
        methods: list[str] = []
        for item in items:
            plain = METHOD_PLAIN.get(item.method, "")
            if plain and plain not in methods:
                methods.append(plain)
        return HandoutData(
            conference_id=conference.id,
            title=conference.title,
            place=place,
            made_on=today or dt.date.today(),
            items=items,
            heard_through=_joined(methods),
        )
