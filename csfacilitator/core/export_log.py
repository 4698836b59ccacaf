"""The information-sharing record (it grew out of the export log): every document that left the
app — what (kind, file, meeting), with whom, when, why and on what lawful basis.

Every export asks once who it is shared with and the basis (the GUI's sharing dialog, the
command line's --shared-with/--basis). What the next export of a conference offers is a
setting of that conference (the last answer given, or the example's own), kept beside the
record rather than read from it so it can exist before anything was shared. Deleting a
conference deletes its entries, as it deletes everything else about it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import documents
from csfacilitator.core.lawful_bases import (
    AGREEMENT,
    BASES,
    BASIS_LABELS,
    CONSENT,
    OTHER,
)
from csfacilitator.core.model import Conference, ExportLog, Meeting, Setting, utcnow
from csfacilitator.core.rows import put_setting
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

NOT_RECORDED = "Not recorded"
MAX_SHARED_WITH = 500


def basis_label(key: str) -> str:
    return BASIS_LABELS.get(key, key or NOT_RECORDED)


@dataclass(frozen=True)
class SharingAnswer:
    """Who a document is shared with and why: asked once per export (per recipient list)."""

    shared_with: str
    basis: str
    reason: str = ""
    consent_given: bool | None = None

    @property
    def basis_text(self) -> str:
        return basis_label(self.basis)

    def why_text(self) -> str:
        """The basis in words, with consent's answer and the reason."""
        text = self.basis_text
        if self.basis == CONSENT and self.consent_given is not None:
            text += " (given)" if self.consent_given else " (not given)"
        if self.reason:
            text += f": {self.reason}"
        return text


def checked_answer(
    shared_with: str, basis: str, reason: str = "", consent_given: bool | None = None
) -> SharingAnswer:
    """A sharing answer made safe, or a UserError in one sentence saying what is missing."""
    who = " ".join(clean_text(shared_with or "", multiline=False).split())
    why = " ".join(clean_text(reason or "", multiline=False).split())
    key = (basis or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not who:
        raise UserError("Say who the document is being shared with.")
    if len(who) > MAX_SHARED_WITH:
        raise UserError(f"Who it is shared with is over {MAX_SHARED_WITH} characters; shorten it.")
    if key not in BASIS_LABELS:
        keys = ", ".join(k for k, _ in BASES)
        raise UserError(f"The basis {basis!r} is not one of: {keys}.")
    if key == OTHER and not why:
        raise UserError("The basis is “other”: give the reason.")
    if key == CONSENT and consent_given is None:
        raise UserError("The basis is consent: say whether consent was given.")
    return SharingAnswer(who, key, why, consent_given if key == CONSENT else None)


@dataclass(frozen=True)
class ExportEntry:
    id: int
    at: dt.datetime  # UTC
    conference_id: int | None
    conference_title: str
    kind: str
    path: str
    flags_allowed: bool = False
    meeting_id: int | None = None
    meeting_date: dt.date | None = None
    shared_with: str = ""
    basis: str = ""
    reason: str = ""
    consent_given: bool | None = None

    @property
    def label(self) -> str:
        return documents.label(self.kind)

    @property
    def answer(self) -> SharingAnswer:
        return SharingAnswer(self.shared_with, self.basis, self.reason, self.consent_given)

    @property
    def basis_text(self) -> str:
        return basis_label(self.basis)

    @property
    def why_text(self) -> str:
        return self.answer.why_text() if self.basis else NOT_RECORDED


def record_export(
    db: Database,
    conference_id: int | None,
    kind: str,
    path: str | os.PathLike[str],
    *,
    flags_allowed: bool = False,
    sharing: SharingAnswer | None = None,
    meeting_id: int | None = None,
) -> None:
    """Add an entry. A paper of the whole conference that meets a deadline (the plan) names
    the meeting it follows when none is given (core/deadlines.py: meeting_followed), so the
    deadline after THAT meeting is cleared by it and no other."""
    from csfacilitator.core.deadlines import FOLLOWS_MEETING, meeting_followed

    with db.session() as s:
        if meeting_id is not None and s.get(Meeting, meeting_id) is None:
            meeting_id = None
        if meeting_id is None and conference_id is not None and kind in FOLLOWS_MEETING:
            meeting_id = meeting_followed(s, conference_id)
        s.add(
            ExportLog(
                conference_id=conference_id,
                kind=kind,
                path=str(path),
                at=utcnow(),
                flags_allowed=flags_allowed,
                meeting_id=meeting_id,
                shared_with=sharing.shared_with if sharing else "",
                basis=sharing.basis if sharing else "",
                reason=sharing.reason if sharing else "",
                consent_given=sharing.consent_given if sharing else None,
            )
        )
        if sharing is not None and conference_id is not None:
            _remember(s, conference_id, sharing)


def record_exports(
    db: Database,
    conference_id: int | None,
    kind: str,
    paths: Iterable[str | os.PathLike[str]],
    *,
    flags_allowed: bool = False,
    sharing: SharingAnswer | None = None,
    meeting_id: int | None = None,
) -> None:
    """An entry per file, all with the same answer: a paper saved as one file per person (the
    letters) is shared once per file. The window and the command line record through here."""
    for path in paths:
        record_export(
            db,
            conference_id,
            kind,
            path,
            flags_allowed=flags_allowed,
            sharing=sharing,
            meeting_id=meeting_id,
        )


#: The example conference's answer: its partners signed the information-sharing agreement.
EXAMPLE_ANSWER = SharingAnswer("Conference partners (invite list)", AGREEMENT)


def _answer_key(s, conference_id: int) -> str | None:
    conference = s.get(Conference, conference_id)
    return None if conference is None else f"sharing_answer:{conference.uid}"


def _remember(s, conference_id: int, answer: SharingAnswer) -> None:
    import json

    key = _answer_key(s, conference_id)
    if key is None:
        return
    value = json.dumps(
        {
            "shared_with": answer.shared_with,
            "basis": answer.basis,
            "reason": answer.reason,
            "consent_given": answer.consent_given,
        }
    )
    put_setting(s, key, value)


def remember_answer(db: Database, conference_id: int, answer: SharingAnswer) -> None:
    """Offer `answer` at the conference's next export."""
    with db.session() as s:
        _remember(s, conference_id, answer)


def remembered_answer(db: Database, conference_id: int) -> SharingAnswer | None:
    """What the conference's next export offers (its last answer), or None."""
    import json

    with db.session() as s:
        key = _answer_key(s, conference_id)
        row = s.get(Setting, key) if key else None
        if row is None:
            return None
    try:
        value = json.loads(row.value)
        return checked_answer(
            value["shared_with"],
            value["basis"],
            value.get("reason", ""),
            value.get("consent_given"),
        )
    except (ValueError, KeyError, TypeError, UserError):
        return None  # damaged: ask afresh


def list_exports(db: Database, conference_id: int | None = None) -> list[ExportEntry]:
    """Newest first; all conferences unless one is named."""
    query = (
        select(ExportLog, Conference.title, Meeting.date)
        .outerjoin(Conference, Conference.id == ExportLog.conference_id)
        .outerjoin(Meeting, Meeting.id == ExportLog.meeting_id)
        .order_by(ExportLog.at.desc(), ExportLog.id.desc())
    )
    if conference_id is not None:
        query = query.where(ExportLog.conference_id == conference_id)
    with db.read_session() as s:
        return [
            ExportEntry(
                row.id,
                row.at,
                row.conference_id,
                title or "",
                row.kind,
                row.path,
                row.flags_allowed,
                row.meeting_id,
                day,
                row.shared_with,
                row.basis,
                row.reason,
                row.consent_given,
            )
            for row, title, day in s.execute(query)
        ]


#: The record's columns as the window, the CSV file and the Word document show them.
COLUMNS = ("When", "Document", "Conference", "Meeting", "Shared with", "Basis", "Why", "Saved to")


def row_texts(entry: ExportEntry) -> tuple[str, ...]:
    """One entry in words, in COLUMNS order (the time in the computer's zone)."""
    from csfacilitator.core.dates import format_date

    moment = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    reason = entry.reason
    if entry.basis == CONSENT and entry.consent_given is not None:
        reason = ("Consent given" if entry.consent_given else "Consent not given") + (
            f"; {reason}" if reason else ""
        )
    return (
        f"{local.day} {local:%b %Y %H:%M}",
        entry.label,
        entry.conference_title if entry.conference_id is not None else "—",
        format_date(entry.meeting_date) if entry.meeting_date else "",
        entry.shared_with or NOT_RECORDED,
        entry.basis_text,
        reason,
        entry.path,
    )
