"""The lead practitioner's context assessment report: its structure and the text of each section.

Both report structures share one set of stored sections, keyed by section. Switching structure
only changes which keys are shown as the report; text under keys the chosen structure does not
use is never deleted and is returned as "other notes".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.conferences import update_conference
from csfacilitator.core.model import AssessmentSection, utcnow
from csfacilitator.core.rows import conference_in
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

DEFAULT_STRUCTURE = "thematic"
MAX_SECTION_CHARS = 1_000_000
BULLET = "\u2022 "

# Bullet glyphs Word, Outlook and plain-text lists put at the start of a line, then a space or
# tab; Word's second-level "o" bullet always arrives followed by a tab.
_PASTED_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?:[\u2022\u00b7\uf0b7\u25aa\u25cf\u25e6\u2023\u2043\u2219*\u2013-][ \t]+"
    r"|(?P<sub>o\t[ \t]*))"
)
_BLANK_RUN = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class SectionRecord:
    key: str
    heading: str
    body: str
    in_structure: bool


@dataclass(frozen=True)
class Report:
    structure: str
    sections: tuple[SectionRecord, ...]
    other_notes: tuple[SectionRecord, ...]


def _known_keys() -> list[str]:
    keys: list[str] = []
    for sections in vocab.REPORT_SECTIONS.values():
        keys.extend(k for k, _ in sections if k not in keys)
    return keys


def heading_for(key: str, structure: str | None = None) -> str:
    """The heading of a section: the chosen structure's wording first, else whichever has it."""
    order = [structure] if structure in vocab.REPORT_SECTIONS else []
    order += [s for s in vocab.REPORT_SECTIONS if s not in order]
    for name in order:
        for section_key, heading in vocab.REPORT_SECTIONS[name]:
            if section_key == key:
                return heading
    return key.replace("_", " ").strip().capitalize() or "Untitled section"


def tidy_pasted_text(text: object) -> str:
    """Text pasted from Word as plain text: paragraphs and bullet lines kept, every bullet shown
    as '• ' (Word's 'o' sub-bullets indented under it), runs of blank lines reduced to one."""
    lines = []
    for line in clean_text(text).split("\n"):
        match = _PASTED_BULLET.match(line)
        if match:
            indent = "  " if match.group("sub") else match.group("indent").replace("\t", "  ")
            line = (indent + BULLET + line[match.end() :]).rstrip()
        lines.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(lines))


def get_report(db: Database, conference_id: int) -> Report:
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        structure = conference.report_structure
        rows = s.scalars(
            select(AssessmentSection).where(AssessmentSection.conference_id == conference_id)
        )
        bodies = {row.key: row.body for row in rows}
    if structure not in vocab.REPORT_SECTIONS:
        structure = DEFAULT_STRUCTURE
    sections = tuple(
        SectionRecord(key, heading, bodies.get(key, ""), True)
        for key, heading in vocab.REPORT_SECTIONS[structure]
    )
    shown = {record.key for record in sections}
    known = _known_keys()
    others = [k for k in known if k not in shown] + sorted(k for k in bodies if k not in known)
    other_notes = tuple(
        SectionRecord(key, heading_for(key), bodies[key], False)
        for key in others
        if bodies.get(key, "").strip()
    )
    return Report(structure, sections, other_notes)


def set_section(db: Database, conference_id: int, key: str, body: object) -> SectionRecord:
    """Store one section's text (cleaned), creating the section if it is new."""
    text = clean_text(body)
    if len(text) > MAX_SECTION_CHARS:
        raise UserError(
            f"This section is too long to save ({len(text):,} characters; the limit is "
            f"{MAX_SECTION_CHARS:,}). Split it or shorten it; the text is still on screen."
        )
    with db.session() as s:
        conference = conference_in(s, conference_id)
        row = s.scalar(
            select(AssessmentSection).where(
                AssessmentSection.conference_id == conference_id, AssessmentSection.key == key
            )
        )
        if row is None:
            if key not in _known_keys():
                raise UserError(f"'{key}' is not a section of an assessment report.")
            row = AssessmentSection(conference_id=conference_id, key=key, body=text)
            s.add(row)
            conference.updated_at = utcnow()
        elif row.body != text:
            row.body = text
            conference.updated_at = utcnow()
        structure = conference.report_structure
    in_structure = any(k == key for k, _ in vocab.REPORT_SECTIONS.get(structure, ()))
    return SectionRecord(key, heading_for(key, structure), text, in_structure)


def set_structure(db: Database, conference_id: int, structure: str) -> Report:
    """Choose the report structure. No text is deleted: unused sections become other notes."""
    update_conference(db, conference_id, report_structure=structure)
    return get_report(db, conference_id)
