"""Invitation letters: one per invitee (everyone on the list except those who declined), all
in one document, each starting on a new page.

The wording is the conference's own template, or DEFAULT_TEMPLATE. A template is plain text:
blank lines separate paragraphs, '# ' and '## ' start headings, '• ' (or '- ') starts a bullet,
and {placeholders} are filled in for each person. `{agenda}` on a line of its own becomes the
numbered agenda. A placeholder the program does not know, or a brace on its own, is printed as
typed: a template never stops the letters being written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import ExportError
from csfacilitator.export.papers_common import (
    AgendaLine,
    MeetingPaper,
    PaperInvitee,
    gather_meeting_paper,
    meeting_title,
    save_document,
    suggested_filename,
)
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document

#: Placeholder -> what it is replaced by (the template dialog shows these as buttons).
PLACEHOLDERS: dict[str, str] = {
    "name": "Name",
    "organisation": "Organisation",
    "role": "Role",
    "meeting": "Kind of meeting",
    "date": "Date",
    "time": "Time",
    "venue": "Venue",
    "context": "Context",
    "chair": "Chair",
    "coordinator": "Coordinator",
    "agenda": "Agenda (list)",
    "today": "Today's date",
}

DEFAULT_TEMPLATE = """\
{name}
{role}
{organisation}

{today}

# Invitation to a contextual safeguarding {meeting}

Dear {name},

You are invited to a contextual safeguarding {meeting} about {context}, on {date} at {time}, \
at {venue}.

The meeting looks at a place and what happens there, not at individual young people. It brings \
together the people and organisations who can help make {context} safer, to share what they \
know and agree a plan of practical actions. What you know and what you can offer matter to \
that plan.

## The agenda
{agenda}

## Please bring
• what you know about {context}: what happens there, when, and what has changed
• what you or your organisation already does in or near it
• what you could offer to the plan, and the authority to agree to it (or the name of who can)
• your diary, so that actions and the review date can be agreed on the day

What is said at the meeting is confidential and is shared only under the information-sharing \
agreement. Please do not bring names or personal details of young people or families. If you \
are worried about a particular child, follow your own safeguarding procedures and tell \
{coordinator} before the meeting.

Please let {coordinator} know whether you can come. If you cannot, please send a colleague who \
can speak for your organisation, or send your apologies with anything you would like the \
meeting to know.

Yours sincerely,

{coordinator}
"""

NO_AGENDA = "The chair will agree the agenda at the start of the meeting."

_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
_BULLET = re.compile(r"^(?:\u2022|-|\*)\s+")
_HEADING = re.compile(r"^(#{1,2})\s+")


@dataclass(frozen=True)
class LetterParagraph:
    """One block of a rendered letter."""

    kind: str  # "heading1", "heading2", "text" (may hold line breaks), "bullet", "item"
    text: str
    note: str = ""  # for an agenda item: who leads it


@dataclass(frozen=True)
class Letter:
    invitee: PaperInvitee
    paragraphs: tuple[LetterParagraph, ...]


def template_or_default(template: object) -> str:
    text = clean_text(template)
    return text if text.strip() else DEFAULT_TEMPLATE


def template_problems(template: object) -> list[str]:
    """Plain warnings about placeholders that will be printed as typed (never an error)."""
    text = clean_text(template)
    problems: list[str] = []
    unknown: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        key = match.group(1).strip().lower()
        if key not in PLACEHOLDERS and match.group(0) not in unknown:
            unknown.append(match.group(0))
    for token in unknown:
        problems.append(f"{token} is not a placeholder, so it will be printed as typed.")
    leftover = _PLACEHOLDER.sub("", text)
    if "{" in leftover or "}" in leftover:
        problems.append("A brace on its own, { or }, will be printed as typed.")
    return problems


def _fill(line: str, values: Mapping[str, object]) -> tuple[str, bool]:
    """The line with known placeholders replaced; and whether it had placeholders that all
    came out empty (such a line is left out of the letter)."""
    filled: list[str] = []

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).strip().lower()
        if key not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(key, "")
        if key == "agenda" and not isinstance(value, str):
            text = "; ".join(clean_text(item.title, multiline=False) for item in value)
        else:
            text = clean_text(value, multiline=False)
        filled.append(text)
        return text

    line = _PLACEHOLDER.sub(replace, line)
    return line, bool(filled) and not any(filled)


def render_invitation(template: object, values: Mapping[str, object]) -> list[LetterParagraph]:
    """The letter for one person as paragraphs. Pure; `values` maps placeholder names to text,
    except "agenda", a sequence of AgendaLine (title, lead). A line made only of placeholders
    that are empty for this person (an organisation, say) is left out."""
    paragraphs: list[LetterParagraph] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            paragraphs.append(LetterParagraph("text", "\n".join(lines)))
            lines.clear()

    for raw in template_or_default(template).split("\n"):
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        if stripped.lower() in ("{agenda}", "{ agenda }"):
            flush()
            agenda = values.get("agenda") or ()
            if isinstance(agenda, str):
                paragraphs.append(LetterParagraph("text", clean_text(agenda)))
            elif agenda:
                for item in agenda:
                    paragraphs.append(
                        LetterParagraph(
                            "item",
                            clean_text(item.title, multiline=False),
                            clean_text(item.lead, multiline=False),
                        )
                    )
            else:
                paragraphs.append(LetterParagraph("text", NO_AGENDA))
            continue
        kind = "text"
        if heading := _HEADING.match(stripped):
            kind = f"heading{len(heading.group(1))}"
            stripped = stripped[heading.end() :]
        elif bullet := _BULLET.match(stripped):
            kind = "bullet"
            stripped = stripped[bullet.end() :]
        text, all_empty = _fill(stripped, values)
        text = text.strip()
        if all_empty and not any(ch.isalnum() for ch in text):
            continue  # e.g. "{organisation}" for someone with none
        if kind == "text":
            lines.append(text)
        else:
            flush()
            paragraphs.append(LetterParagraph(kind, text))
    flush()
    return paragraphs


def letter_values(
    paper: MeetingPaper, invitee: PaperInvitee, today: dt.date | None = None
) -> dict[str, object]:
    """What each placeholder says in one person's letter."""
    from csfacilitator.export.docx_base import long_date, short_time

    return {
        "name": clean_text(invitee.name, multiline=False) or "colleague",
        "organisation": invitee.organisation,
        "role": invitee.role,
        "meeting": meeting_title(paper).lower(),
        "date": long_date(paper.date, missing="a date to be confirmed"),
        "time": short_time(paper.time, missing="a time to be confirmed"),
        "venue": clean_text(paper.venue, multiline=False) or "a venue to be confirmed",
        "context": paper.place or "the context",
        "chair": clean_text(paper.chair, multiline=False) or "the independent chair",
        "coordinator": paper.coordinator_names or "the coordinators",
        "agenda": tuple(AgendaLine(a.title, paper.lead_of(a)) for a in paper.agenda),
        "today": long_date(today or dt.date.today()),
    }


SAMPLE_INVITEE = PaperInvitee("Sam Example", "Example Organisation", "Partner", "invited")


def preview_letter(
    paper: MeetingPaper, template: object, today: dt.date | None = None
) -> tuple[PaperInvitee, list[LetterParagraph]]:
    """The first invitee's letter (a sample person's when nobody is on the list yet)."""
    invitee = paper.invitees[0] if paper.invitees else SAMPLE_INVITEE
    return invitee, render_invitation(template, letter_values(paper, invitee, today))


def gather_invitations(
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    template: str | None = None,
    today: dt.date | None = None,
) -> tuple[MeetingPaper, tuple[Letter, ...]]:
    """The meeting and every letter (template: the conference's own unless given)."""
    paper = gather_meeting_paper(db, conference_id, meeting_id)
    return paper, letters_for(paper, template, today)


def letters_for(
    paper: MeetingPaper, template: str | None = None, today: dt.date | None = None
) -> tuple[Letter, ...]:
    if not paper.invitees:
        raise ExportError(
            "Nobody is on the invite list yet (people who declined are left out), so there are "
            "no letters to write. Add invitees on the Invite list tab first."
        )
    chosen = paper.invitation_template if template is None else template
    return tuple(
        Letter(p, tuple(render_invitation(chosen, letter_values(paper, p, today))))
        for p in paper.invitees
    )


def build_invitations(
    paper: MeetingPaper, letters: Sequence[Letter], *, author: str = ""
) -> Document:
    """All letters in one portrait A4 document, each starting on a new page."""
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.docx_base import start_document

    title = b.one_line(paper.title) or "Untitled conference"
    meeting = meeting_title(paper)
    when = b.long_date(paper.date, missing="date to be confirmed")
    doc = start_document(
        title=f"Invitations: {title}",
        subject=f"Invitation letters for the {meeting.lower()}, {when}",
        header_left=title,
        header_right=f"Invitation · {meeting} · {when}",
        author=author,
    )
    styles = b.bullet_styles(doc)
    first_paragraphs = []
    for letter in letters:
        start = len(doc.paragraphs)
        _add_letter(doc, letter.paragraphs, styles)
        if len(doc.paragraphs) > start:
            first_paragraphs.append(doc.paragraphs[start])
    for paragraph in first_paragraphs[1:]:
        paragraph.paragraph_format.page_break_before = True
    return doc


def _add_letter(doc: Document, paragraphs: Sequence[LetterParagraph], styles) -> None:
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    items: list[tuple[str, str]] = []
    after_list = False  # a text paragraph after a list needs the space the list items lack
    for paragraph in [*paragraphs, None]:
        if paragraph is not None and paragraph.kind == "item":
            items.append((paragraph.text, paragraph.note))
            continue
        if items:
            b.add_numbered(doc, items)
            items, after_list = [], True
        if paragraph is None:
            break
        if paragraph.kind in ("heading1", "heading2"):
            b.add_heading(doc, paragraph.text, int(paragraph.kind[-1]))
            after_list = False
        elif paragraph.kind == "bullet":
            b.add_bullet(doc, paragraph.text, 1, styles)
            after_list = True
        else:
            fmt = b.add_paragraph(doc, paragraph.text).paragraph_format
            fmt.space_after = Pt(8)
            if after_list:
                fmt.space_before = Pt(8)
            after_list = False


def invitations_filename(paper: MeetingPaper) -> str:
    return suggested_filename("Invitations", paper.title, paper.date)


def save_invitations(
    paper: MeetingPaper,
    letters: Sequence[Letter],
    path: str | os.PathLike[str],
    *,
    author: str = "",
) -> Path:
    return save_document(build_invitations(paper, letters, author=author), path)


def export_invitations(
    db: Database,
    conference_id: int,
    path: str | os.PathLike[str],
    meeting_id: int | None = None,
    *,
    template: str | None = None,
    author: str = "",
) -> Path:
    """Write one letter per invitee (all but those who declined) to `path`."""
    paper, letters = gather_invitations(db, conference_id, meeting_id, template=template)
    return save_invitations(paper, letters, path, author=author)
