"""Young people's voice: what young people said about the place, and what was done about it
("you said, we did"; issue 19).

Each voice is one thing said, in the young people's own words and without names; how it was
gathered (a survey, detached youth work, the school council, a worker speaking for them, or
another way), when, and by whom (a role or agency: never a young person); optionally the plan
need or action that answers it; and what was done, written for the young people.

One home for each fact:
- A voice links to a need *or* an action, never both: an action already names its need, so the
  need of a linked action is read from the action, not stored again.
- "What we did" is the voice's own reply, written in plain words for young people. When none
  is written and the voice is linked to an action, the papers say what the plan holds instead:
  the action and its status, read from the plan when the paper is made (`reply_for`). The
  action's progress notes are written for partners; copying them into the reply would hold the
  same fact twice and let the two drift apart.

The assessment report's "Young people's views" section stays the lead practitioner's summary
of what the views mean; these items are the words themselves, so each thing is said once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csfacilitator.core import vocab
from csfacilitator.core.dates import as_date, format_date
from csfacilitator.core.model import Conference, Intervention, Need, YoungVoice
from csfacilitator.core.privacy_guard import check_text, names_pattern
from csfacilitator.core.removed_rows import RemovedRows, put_back, remove
from csfacilitator.core.rows import (
    conference_in,
    existing_row,
    in_order,
    move_by,
    refuse_unknown_fields,
    touch_conference,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

#: (key, label) of each way a voice was gathered, in the order the screen offers them.
METHODS: tuple[tuple[str, str], ...] = (
    ("survey", "Survey"),
    ("detached", "Detached youth work"),
    ("school_council", "School council"),
    ("worker", "Represented by a worker"),
    ("other", "Other"),
)
METHOD_LABELS = dict(METHODS)
#: The same in the words of the handout ("We heard this through ...").
METHOD_PLAIN = {
    "survey": "a survey",
    "detached": "youth workers out and about",
    "school_council": "the school council",
    "worker": "workers who know you",
    "other": "talking with you",
}
MAX_TEXT = 2000
FIELDS = ("text", "method", "gathered_on", "gathered_by", "we_did")


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceRecord:
    id: int
    uid: str
    conference_id: int
    position: int
    text: str  # what was said, in their words
    method: str
    gathered_on: dt.date | None
    gathered_by: str  # a role or agency
    need_id: int | None
    intervention_id: int | None
    we_did: str  # the reply written for young people ("" when none)
    # Read from the plan, never stored here: the linked need's text (an action's own need),
    # the linked action's text and status.
    need_text: str = ""
    action_text: str = ""
    action_status: str = ""

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    @property
    def linked(self) -> bool:
        return self.need_id is not None or self.intervention_id is not None

    @property
    def link_text(self) -> str:
        """'Action: Fix the lights (In progress)', 'Need: Dark path', or ''."""
        if self.intervention_id is not None:
            status = vocab.label(vocab.ACTION_STATUSES, self.action_status)
            return f"Action: {self.action_text} ({status})"
        if self.need_id is not None:
            return f"Need: {self.need_text}"
        return ""

    @property
    def how(self) -> str:
        """'Survey, by Youth service, 3 Sep 2026'."""
        parts = [self.method_label]
        if self.gathered_by:
            parts.append(f"by {self.gathered_by}")
        if self.gathered_on:
            parts.append(format_date(self.gathered_on))
        return ", ".join(parts)

    @property
    def reply(self) -> str:
        """What was done, as the papers print it (the written reply, else the plan's state)."""
        return reply_for(self, self.action_status)

    @property
    def reply_written(self) -> bool:
        return bool(self.we_did)


def reply_for(voice: VoiceRecord, status: str | None = None) -> str:
    """What was done about a voice: its written reply; else, linked to an action, the action
    and its status in plain words (`status` as it stood when the paper is about, default the
    action's status now); else, linked to a need, that the plan works on it."""
    if voice.we_did:
        return voice.we_did
    if voice.intervention_id is not None and voice.action_text:
        status = status or voice.action_status
        action = voice.action_text.rstrip(".")
        if status == "done":
            return f"Done: {action}."
        if status == "in_progress":
            return f"We are working on it: {action}."
        if status == "not_going_ahead":
            return f"We could not do this: {action}."
        return f"We have agreed to do this: {action}."
    if voice.need_id is not None and voice.need_text:
        return f"The plan works on this: {voice.need_text.rstrip('.')}."
    return "We are still working out what to do about this."


# -- names: a clear warning, never a refusal ------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Capitalised words that are not people's names, though they start with a capital mid-sentence.
_NOT_NAMES = _word_set(
    """i i'm i've i'd i'll im ok okay tv uk nhs asb pcso pcsos mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    christmas easter halloween ramadan eid diwali summer winter spring autumn
    police council school college academy park station street road lane high bus library
    shop shops centre center club youth housing church mosque temple gurdwara estate
    english maths science pe year covid snapchat instagram tiktok whatsapp youtube facebook
    google mcdonald's mcdonalds kfc tesco asda lidl aldi co-op greggs"""
)
# First names common among young people in England and Wales (recorded or said about them),
# so a name at the start of a sentence is caught too. Short and deliberately incomplete.
_FIRST_NAMES = _word_set(
    """aaliyah aaron abdul adam aiden aisha ali alfie alice amelia amir amy archie arthur ava
    bella ben benjamin blessing bobby callum charlie chloe connor daisy daniel david dylan
    eden ella ellie emily emma ethan evie finley freddie freya george grace hannah harley
    harry harvey hassan hollie holly ibrahim isaac isabella isla jack jacob jake james jasmine
    jay jayden jessica joe john joseph joshua kai kayden keira kian lacey layla leah leo lewis
    liam lily logan lola louie lucas lucy luke maddison maisie mason matthew max mia millie
    mohammed mohammad muhammad nathan noah oliver olivia omar oscar owen poppy reggie riley
    rosie ruby ryan sam samuel sara sarah scarlett sienna sofia sophia sophie stanley summer
    taylor theo thomas toby tommy tyler william yusuf zac zain zara zoe"""
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
_SENTENCE_END = re.compile(r"[.!?:;\"“”(]\s*$|^\s*$")


@dataclass(frozen=True)
class NameWarning:
    """A word in a voice that looks like a person's name."""

    field: str  # "text", "gathered_by", "we_did"
    word: str
    reason: str  # "on the names to keep out", "a first name", "a capitalised word"

    def line(self) -> str:
        where = {"text": "What was said", "gathered_by": "Gathered by", "we_did": "What we did"}
        return (
            f"{where.get(self.field, self.field)}: “{self.word}” looks like a name ({self.reason})."
        )


def likely_names(
    text: str, keep_out: str = "", allowed: str = "", *, capitals: bool = True
) -> list[tuple[str, str]]:
    """(word, reason) for each word of `text` that looks like a person's name: a name on the
    conference's keep-out list, a common first name anywhere, or a capitalised word in the
    middle of a sentence that is not one of `allowed`'s words (the place's own names) nor a
    common non-name (days, months, places, apps); `capitals` False leaves capitalised words
    alone (an agency's name is capitalised). It only warns; people decide."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    pattern = names_pattern(keep_out)
    for guarded in check_text(text, pattern):
        if guarded.rule == "name" and guarded.matched.casefold() not in seen:
            seen.add(guarded.matched.casefold())
            found.append((guarded.matched, "on the names to keep out"))
    allowed_words = {w.casefold() for w in _WORD.findall(allowed)}
    for match in _WORD.finditer(text):
        word = match.group(0).strip("'’-")
        key = word.casefold()
        if key in seen or key in allowed_words or key in _NOT_NAMES:
            continue
        if key in _FIRST_NAMES and word[0].isupper():
            seen.add(key)
            found.append((word, "a first name"))
            continue
        capitalised = word[0].isupper() and not word.isupper() and len(word) > 1
        starts_sentence = bool(_SENTENCE_END.search(text[: match.start()]))
        if capitals and capitalised and not starts_sentence:
            seen.add(key)
            found.append((word, "a capitalised word"))
    return found


def _place_words(conference: Conference) -> str:
    return " ".join((conference.title, conference.context_name, conference.area))


def name_warnings(
    db: Database, conference_id: int, text: str = "", gathered_by: str = "", we_did: str = ""
) -> list[NameWarning]:
    """The words that look like names in what a voice would store (the screen shows them as a
    clear warning as the text is typed; nothing is refused)."""
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        keep_out, allowed = conference.names_to_keep_out, _place_words(conference)
    warnings = []
    for field, value in (("text", text), ("gathered_by", gathered_by), ("we_did", we_did)):
        capitals = field == "text"  # a role, an agency or a reply names services in capitals
        for word, reason in likely_names(value or "", keep_out, allowed, capitals=capitals):
            warnings.append(NameWarning(field, word, reason))
    return warnings


# -- reading --------------------------------------------------------------------------------------


def _record(s: Session, row: YoungVoice) -> VoiceRecord:
    need_text = action_text = action_status = ""
    if row.intervention_id is not None:
        action = s.get(Intervention, row.intervention_id)
        if action is not None:
            action_text, action_status = action.text, action.status
            need = s.get(Need, action.need_id)
            need_text = need.text if need else ""
    elif row.need_id is not None:
        need = s.get(Need, row.need_id)
        need_text = need.text if need else ""
    return VoiceRecord(
        id=row.id,
        uid=row.uid,
        conference_id=row.conference_id,
        position=row.position,
        text=row.text,
        method=row.method,
        gathered_on=row.gathered_on,
        gathered_by=row.gathered_by,
        need_id=row.need_id,
        intervention_id=row.intervention_id,
        we_did=row.we_did,
        need_text=need_text,
        action_text=action_text,
        action_status=action_status,
    )


_Linked = TypeVar("_Linked", Intervention, Need)  # what a voice links to


def _rows(s: Session, conference_id: int) -> list[YoungVoice]:
    return list(in_order(s, YoungVoice, YoungVoice.conference_id == conference_id))


def list_voices(db: Database, conference_id: int) -> list[VoiceRecord]:
    """The conference's voices in order."""
    with db.read_session() as s:
        return list_voices_in(s, conference_id)


def list_voices_in(s: Session, conference_id: int) -> list[VoiceRecord]:
    rows = _rows(s, conference_id)
    # The actions and needs linked to, in two queries rather than one or two a voice: held
    # here while _record's s.get finds them in the session (which holds them weakly).
    actions = _by_id(s, Intervention, {row.intervention_id for row in rows})
    needs = _by_id(s, Need, {row.need_id for row in rows} | {a.need_id for a in actions})
    records = [_record(s, row) for row in rows]
    del actions, needs
    return records


def _by_id(s: Session, model: type[_Linked], ids: set[int | None]) -> list[_Linked]:
    ids.discard(None)
    return list(s.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def get_voice(db: Database, voice_id: int) -> VoiceRecord:
    with db.read_session() as s:
        return _record(s, _row(s, voice_id))


def _row(s: Session, voice_id: int) -> YoungVoice:
    return existing_row(s, YoungVoice, voice_id, "That voice is no longer there.")


# -- checking what is typed ------------------------------------------------------------------------


def _text(value: object, what: str, *, required: bool = False, multiline: bool = True) -> str:
    text = clean_text(value, multiline=multiline).strip()
    if required and not text:
        raise UserError("Write what young people said, in their words.")
    if len(text) > MAX_TEXT:
        raise UserError(f"Keep {what} to {MAX_TEXT} characters.")
    return text


def _fields(changes: dict) -> dict:
    out: dict = {}
    if "text" in changes:
        out["text"] = _text(changes["text"], "what was said", required=True)
    if "method" in changes:
        method = changes["method"] or "other"
        if method not in METHOD_LABELS:
            raise UserError(f"Choose how it was gathered: {', '.join(METHOD_LABELS.values())}.")
        out["method"] = method
    if "gathered_on" in changes:
        out["gathered_on"] = as_date(changes["gathered_on"])
    if "gathered_by" in changes:
        out["gathered_by"] = _text(changes["gathered_by"], "who gathered it", multiline=False)
    if "we_did" in changes:
        out["we_did"] = _text(changes["we_did"], "what was done")
    return out


def _link_id(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError("Choose the need or action from the list.")
    return value


def _check_link(
    s: Session, conference_id: int, need_id: int | None, intervention_id: int | None
) -> None:
    if need_id is not None and intervention_id is not None:
        raise UserError("Link a voice to a need or to one of its actions, not both.")
    if need_id is not None:
        need = s.get(Need, need_id)
        if need is None or need.conference_id != conference_id:
            raise UserError("That need is not in this conference's plan.")
    if intervention_id is not None:
        action = s.get(Intervention, intervention_id)
        need = s.get(Need, action.need_id) if action is not None else None
        if need is None or need.conference_id != conference_id:
            raise UserError("That action is not in this conference's plan.")


# -- changing -------------------------------------------------------------------------------------


def add_voice(
    db: Database,
    conference_id: int,
    text: str,
    *,
    method: str = "other",
    gathered_on: object = None,
    gathered_by: str = "",
    need_id: int | None = None,
    intervention_id: int | None = None,
    we_did: str = "",
) -> VoiceRecord:
    """A voice at the end of the conference's list."""
    fields = _fields(
        {"text": text, "method": method, "gathered_on": gathered_on,
         "gathered_by": gathered_by, "we_did": we_did}
    )  # fmt: skip
    need_id, intervention_id = _link_id(need_id), _link_id(intervention_id)
    with db.session() as s:
        conference_in(s, conference_id)
        _check_link(s, conference_id, need_id, intervention_id)
        last = s.scalar(
            select(func.max(YoungVoice.position)).where(YoungVoice.conference_id == conference_id)
        )
        row = YoungVoice(
            conference_id=conference_id,
            position=(last if last is not None else -1) + 1,
            need_id=need_id,
            intervention_id=intervention_id,
            **fields,
        )
        s.add(row)
        touch_conference(s, conference_id)
        s.flush()
        return _record(s, row)


def update_voice(db: Database, voice_id: int, **changes: object) -> VoiceRecord:
    """Change a voice's text, method, gathered_on, gathered_by or we_did."""
    refuse_unknown_fields(changes, FIELDS, "A voice")
    fields = _fields(changes)
    with db.session() as s:
        row = _row(s, voice_id)
        for key, value in fields.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        touch_conference(s, row.conference_id)
        s.flush()
        return _record(s, row)


def link_voice(
    db: Database, voice_id: int, *, need_id: int | None = None, intervention_id: int | None = None
) -> VoiceRecord:
    """Link a voice to a need or to an action of the plan (both None: no link)."""
    need_id, intervention_id = _link_id(need_id), _link_id(intervention_id)
    with db.session() as s:
        row = _row(s, voice_id)
        _check_link(s, row.conference_id, need_id, intervention_id)
        if (row.need_id, row.intervention_id) != (need_id, intervention_id):
            row.need_id, row.intervention_id = need_id, intervention_id
            touch_conference(s, row.conference_id)
        s.flush()
        return _record(s, row)


def move_voice(db: Database, voice_id: int, delta: int) -> VoiceRecord:
    """Move a voice up (negative delta) or down the list."""
    with db.session() as s:
        row = _row(s, voice_id)
        move_by(_rows(s, row.conference_id), row, delta)
        touch_conference(s, row.conference_id)
        s.flush()
        return _record(s, row)


def remove_voice(db: Database, voice_id: int) -> RemovedRows:
    """Remove a voice; returns the row for `restore_voice` (undo puts back the same id)."""
    with db.session() as s:
        row = _row(s, voice_id)
        return remove(s, row, row.conference_id)


def restore_voice(db: Database, removed: RemovedRows) -> VoiceRecord:
    """Undo a remove_voice: the same row, id and all."""
    with db.session() as s:
        put_back(s, removed)
        (voice_id,) = [
            dict(row)["id"] for name, rows in removed.rows if name == "young_voice" for row in rows
        ]
        row = _row(s, voice_id)
        touch_conference(s, row.conference_id)
        return _record(s, row)


# -- what the plan offers to link to ------------------------------------------------------------


@dataclass(frozen=True)
class LinkChoice:
    """A need or an action a voice can be linked to, as the chooser lists it."""

    label: str  # "Need 1: Dark path" / "    Action: Fix the lights"
    need_id: int | None
    intervention_id: int | None


def link_choices(db: Database, conference_id: int) -> list[LinkChoice]:
    """No link, then each need of the plan followed by its actions, in plan order."""
    from csfacilitator.core.papers.reading import plan_in

    choices = [LinkChoice("No link", None, None)]
    with db.read_session() as s:
        for number, (need, actions) in enumerate(plan_in(s, conference_id), start=1):
            choices.append(LinkChoice(f"Need {number}: {need.text}", need.id, None))
            for action in actions:
                choices.append(LinkChoice(f"    Action: {action.text}", None, action.id))
    return choices
