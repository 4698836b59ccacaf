"""Invitation letters: one per invitee (everyone on the list except those who declined),
either all in one document (each letter its own section: a new page, pages numbered 'Page 1 of
2' within the letter) or one file per invitee in a folder, named with the person's name.

Every letter opens with the meeting it is about (which meeting, date, time, venue) and whom to
reply to (the coordinators and their contact details), whatever the wording says below.

The wording is the conference's own template, or DEFAULT_TEMPLATE. A template is plain text:
blank lines separate paragraphs, '# ' and '## ' start headings, '• ' (or '- ') starts a bullet,
and {placeholders} are filled in for each person. `{agenda}` on a line of its own becomes the
numbered agenda. A placeholder the program does not know, or a brace on its own, is printed as
typed: a template never stops the letters being written.

Long because the wording (the template read line by line, the placeholders filled in, the lines
the same in every letter made once) and the document built from it are one path, and the GUI's
preview and the files must agree line for line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator.core.papers.meeting_paper import AgendaLine, MeetingPaper, PaperInvitee
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import ExportError
from csfacilitator.export.papers_common import (
    conference_title,
    docx_target,
    meeting_title,
    save_document,
    suggested_filename,
)

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
    "contact": "Coordinators' contact details",
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


def _placeholder_text(key: str, value: object) -> str:
    """What a placeholder's value prints as: cleaned, on one line."""
    if key == "agenda" and not isinstance(value, str) and isinstance(value, Iterable):
        return "; ".join(clean_text(item.title, multiline=False) for item in value)
    return clean_text(value, multiline=False)


def _fill(
    line: str,
    values: Mapping[str, object],
    texts: dict[str, str] | None = None,
    used: set[str] | None = None,
) -> tuple[str, bool]:
    """The line with known placeholders replaced; and whether it had placeholders that all
    came out empty (such a line is left out of the letter). `texts` remembers what each
    placeholder prints as, and may come filled in already (those the same in every letter);
    `used` collects the placeholders the line names."""
    filled: list[str] = []
    known = {} if texts is None else texts

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).strip().lower()
        if key not in PLACEHOLDERS:
            return match.group(0)
        text = known.get(key)
        if text is None:
            text = known[key] = _placeholder_text(key, values.get(key, ""))
        filled.append(text)
        if used is not None:
            used.add(key)
        return text

    line = _PLACEHOLDER.sub(replace, line)
    return line, bool(filled) and not any(filled)


def render_invitation(template: object, values: Mapping[str, object]) -> list[LetterParagraph]:
    """The letter for one person as paragraphs. Pure; `values` maps placeholder names to text,
    except "agenda", a sequence of AgendaLine (title, lead). A line made only of placeholders
    that are empty for this person (an organisation, say) is left out."""
    return _render(template_or_default(template).split("\n"), values, {})


#: What one template line adds to a letter (see _render_line).
_Made = list[LetterParagraph | tuple[str, str] | None]


def _render(
    template_lines: Sequence[str],
    values: Mapping[str, object],
    texts: dict[str, str],
    same: frozenset[str] = frozenset(),
    done: dict[str, _Made] | None = None,
) -> list[LetterParagraph]:
    """render_invitation for the template's lines, cleaned and split (once for every letter),
    and `texts`, what the placeholders print as so far (see _fill). When the placeholders in
    `same` say the same in every letter, a line naming no others comes out the same in every
    letter too: `done` remembers it, by the line, for the letters after."""
    paragraphs: list[LetterParagraph] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            paragraphs.append(LetterParagraph("text", "\n".join(lines)))
            lines.clear()

    for raw in template_lines:
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        made = None if done is None else done.get(raw)
        if made is None:
            made, used = _render_line(stripped, values, texts)
            if done is not None and used <= same:
                done[raw] = made
        for part in made:
            if part is None:
                flush()
            elif isinstance(part, LetterParagraph):
                paragraphs.append(part)
            else:
                lines.append(part[1])
    flush()
    return paragraphs


def _render_line(
    stripped: str, values: Mapping[str, object], texts: dict[str, str]
) -> tuple[_Made, set[str]]:
    """What one non-empty template line adds to a letter, in order: None to end the text
    paragraph so far, a paragraph, or ("text", words) to go on with it; and the placeholders
    the line names."""
    if stripped.lower() in ("{agenda}", "{ agenda }"):
        agenda = values.get("agenda") or ()
        made: _Made = [None]
        if isinstance(agenda, str):
            made.append(LetterParagraph("text", clean_text(agenda)))
        elif agenda and isinstance(agenda, Iterable):
            for item in agenda:
                made.append(
                    LetterParagraph(
                        "item",
                        clean_text(item.title, multiline=False),
                        clean_text(item.lead, multiline=False),
                    )
                )
        else:
            made.append(LetterParagraph("text", NO_AGENDA))
        return made, {"agenda"}
    kind = "text"
    if heading := _HEADING.match(stripped):
        kind = f"heading{len(heading.group(1))}"
        stripped = stripped[heading.end() :]
    elif bullet := _BULLET.match(stripped):
        kind = "bullet"
        stripped = stripped[bullet.end() :]
    used: set[str] = set()
    text, all_empty = _fill(stripped, values, texts, used)
    text = text.strip()
    if all_empty and not any(ch.isalnum() for ch in text):
        return [], used  # e.g. "{organisation}" for someone with none
    if kind == "text":
        return [("text", text)], used
    return [None, LetterParagraph(kind, text)], used


def letter_values(
    paper: MeetingPaper, invitee: PaperInvitee, today: dt.date | None = None
) -> dict[str, object]:
    """What each placeholder says in one person's letter."""
    return _personal_values(invitee, _shared_values(paper, today))


def _personal_values(invitee: PaperInvitee, shared: Mapping[str, object]) -> dict[str, object]:
    """One person's placeholders, with those the same in every letter."""
    return {
        "name": clean_text(invitee.name, multiline=False) or "colleague",
        "organisation": invitee.organisation,
        "role": invitee.role,
        **shared,
    }


def _shared_values(paper: MeetingPaper, today: dt.date | None = None) -> dict[str, object]:
    """The placeholders that say the same in every letter (worked out once for them all: the
    agenda's leads alone took a millisecond a letter)."""
    from csfacilitator.export.docx_base import long_date, short_time

    return {
        "meeting": meeting_title(paper).lower(),
        "date": long_date(paper.date, missing="a date to be confirmed"),
        "time": short_time(paper.time, missing="a time to be confirmed"),
        "venue": clean_text(paper.venue, multiline=False) or "a venue to be confirmed",
        "context": paper.place or "the context",
        "chair": clean_text(paper.chair, multiline=False) or "the independent chair",
        "coordinator": paper.coordinator_names or "the coordinators",
        "contact": clean_text(paper.coordinator_contact, multiline=False),
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


def letters_for(
    paper: MeetingPaper, template: str | None = None, today: dt.date | None = None
) -> tuple[Letter, ...]:
    if not paper.invitees:
        raise ExportError(
            "Nobody is on the invite list yet (people who declined are left out), so there are "
            "no letters to write. Add invitees on the Invite list tab first."
        )
    chosen = paper.invitation_template if template is None else template
    shared = _shared_values(paper, today)
    # The template is cleaned and split once, and the placeholders that say the same in
    # every letter are cleaned once: each letter is the same as render_invitation's.
    template_lines = template_or_default(chosen).split("\n")
    shared_texts = {key: _placeholder_text(key, value) for key, value in shared.items()}
    same = frozenset(shared)  # the placeholders every letter fills alike
    done: dict[str, _Made] = {}  # template lines that use only those, built once
    return tuple(
        Letter(
            p,
            tuple(
                _render(template_lines, _personal_values(p, shared), dict(shared_texts), same, done)
            ),
        )
        for p in paper.invitees
    )


def build(
    paper: MeetingPaper, letters: Sequence[Letter] | None = None, *, author: str = ""
) -> Document:
    """All letters in one portrait A4 document; each letter is a section of its own, so it
    starts on a new page and its pages are numbered 'Page 1 of 2' within the letter."""
    from docx.enum.section import WD_SECTION

    from csfacilitator.export import docx_base as b

    letters = letters_for(paper) if letters is None else letters
    title = conference_title(paper.title)
    meeting = meeting_title(paper)
    when = b.long_date(paper.date, missing="date to be confirmed")
    doc = b.start_document(
        title=f"Invitations: {title}",
        subject=f"Invitation letters for the {meeting.lower()}, {when}",
        header_left=title,
        header_right=f"Invitation · {meeting} · {when}",
        author=author,
        pages_per_section=True,
    )
    styles = b.bullet_styles(doc)
    # Most of every letter is the same for everyone: each block is built once and copied.
    repeats = b.Repeats(doc)
    for number, letter in enumerate(letters):
        if number:
            section = doc.add_section(WD_SECTION.NEW_PAGE)  # header and footer carry over
            b.restart_page_numbers(section)
        repeats.add("meeting", lambda: add_meeting_box(doc, paper))
        _add_letter(doc, letter.paragraphs, styles, repeats)
        repeats.add("reply", lambda: add_reply_line(doc, paper))
    return doc


def build_one(paper: MeetingPaper, letter: Letter, *, author: str = "") -> Document:
    """One person's letter as a document of its own."""
    from csfacilitator.export import docx_base as b

    name = b.one_line(letter.invitee.name, 80) or "invitee"
    doc = build(paper, (letter,), author=author)
    doc.core_properties.title = b.one_line(f"Invitation: {b.one_line(paper.title)} - {name}", 255)
    return doc


def reply_line(paper: MeetingPaper) -> str:
    """'To reply: Priya Raman and Declan Foley, 01632 960 123, cs@dunhaven.example'."""
    contact = clean_text(paper.coordinator_contact, multiline=False)
    who = paper.coordinator_names or "the coordinators"
    return f"To reply: {who}, {contact}" if contact else f"To reply: {who}"


def add_meeting_box(doc: Document, paper: MeetingPaper) -> None:
    """The meeting the letter is about, at the top of the letter: which, when, where."""
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_details

    add_details(
        doc,
        (
            ("Meeting", meeting_title(paper)),
            ("Date", b.long_date(paper.date, missing="To be confirmed")),
            ("Time", b.short_time(paper.time, missing="To be confirmed")),
            ("Venue", clean_text(paper.venue, multiline=False) or "To be confirmed"),
        ),
    )
    b.set_format(b.add_paragraph(doc), space_after=Pt(6))


def add_reply_line(doc: Document, paper: MeetingPaper) -> None:
    """Whom to reply to, with the coordinators' contact details, at the foot of the letter."""
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    paragraph = b.add_paragraph(doc, reply_line(paper), size=b.SMALL_PT + 0.5, bold=True)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_together = True


def _add_letter(
    doc: Document,
    paragraphs: Sequence[LetterParagraph],
    styles,
    repeats,  # noqa: ANN001
) -> None:
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    def numbered(items: tuple[tuple[str, str], ...]) -> None:
        b.add_numbered(doc, items)

    def text(words: str, after_list: bool) -> None:
        paragraph = b.add_paragraph(doc, words)
        if after_list:
            b.set_format(paragraph, space_after=Pt(8), space_before=Pt(8))
        else:
            b.set_format(paragraph, space_after=Pt(8))

    items: list[tuple[str, str]] = []
    after_list = False  # a text paragraph after a list needs the space the list items lack
    for paragraph in [*paragraphs, None]:
        if paragraph is not None and paragraph.kind == "item":
            items.append((paragraph.text, paragraph.note))
            continue
        if items:
            chosen = tuple(items)
            repeats.add(("items", chosen), lambda chosen=chosen: numbered(chosen))
            items, after_list = [], True
        if paragraph is None:
            break
        words = paragraph.text
        if paragraph.kind in ("heading1", "heading2"):
            level = int(paragraph.kind[-1])
            repeats.add(
                ("heading", level, words),
                lambda words=words, level=level: b.add_heading(doc, words, level),
            )
            after_list = False
        elif paragraph.kind == "bullet":
            repeats.add(("bullet", words), lambda words=words: b.add_bullet(doc, words, 1, styles))
            after_list = True
        else:
            repeats.add(
                ("text", words, after_list),
                lambda words=words, after=after_list: text(words, after),
            )
            after_list = False


def filename(paper: MeetingPaper) -> str:
    """The one file with every letter: 'Invitations - Wrenmoor Park - 2027-02-04.docx'."""
    return suggested_filename("Invitations", paper.title, paper.date)


def letter_filename(paper: MeetingPaper, invitee: PaperInvitee) -> str:
    """One person's letter: 'Invitation - Wrenmoor Park - Sgt Daniel Mensah.docx'."""
    return suggested_filename("Invitation", paper.title, None, invitee.name or "invitee")


def save(
    paper: MeetingPaper,
    path: str | os.PathLike[str],
    *,
    template: str | None = None,
    author: str = "",
) -> Path:
    """Every letter in one file at `path` ('.docx' added if missing), atomically. The wording
    is the conference's template unless `template` is given."""
    return save_document(build(paper, letters_for(paper, template), author=author), path)


def save_each(
    paper: MeetingPaper,
    folder: str | os.PathLike[str],
    *,
    template: str | None = None,
    author: str = "",
) -> list[Path]:
    """One file per invitee in `folder` (which must exist), named with the person's name
    ('... (2).docx' when two people share a name); returns the files in list order. Every
    letter is built before the first file is written, so a bad letter writes nothing."""
    from csfacilitator.export.docx_base import save_atomic

    target = Path(folder)
    if not target.is_dir():
        raise ExportError(f"The folder {target} does not exist; choose another.")
    letters = letters_for(paper, template)
    documents = [(letter, build_one(paper, letter, author=author)) for letter in letters]
    used: set[str] = set()
    written = []
    for letter, document in documents:
        name = letter_filename(paper, letter.invitee)
        stem, number = name[: -len(".docx")], 2
        while name.casefold() in used:
            name, number = f"{stem} ({number}).docx", number + 1
        used.add(name.casefold())
        written.append(save_atomic(document, docx_target(target / name)))
    return written
