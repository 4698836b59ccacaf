"""The one registry of document kinds: what each is called, what it needs, where its default
file name, its data and its bytes come from, and which checks run before it is written.

The File menu and its shortcuts, the command line's `export` subcommands, the export log, the
save dialogs and the checks all read this table; adding a kind of document means one entry
here and one renderer in export/. Functions are named as "module:function" and imported only
when a document is produced, so start-up never pays for python-docx.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the window reads the registry before the database (SQLAlchemy) is loaded
    from csfacilitator.storage.database import Database

#: Checks a kind can ask for before it is written.
PERSONAL_DETAILS = "personal_details"  # board or plan text: points that look like personal data
MEETING_PASSED = "meeting_passed"  # a paper for a meeting still to come: warn if it is past
NEEDS_REVIEW = "needs_review"  # only once a review has been held
NEEDS_CLOSED = "needs_closed"  # only once the conference is closed

#: Where a document's personal-details check looks.
BOARD = "board"
PLAN = "plan"
VOICE = "voice"  # young people's voices (core/voice.py)


@dataclass(frozen=True)
class DocumentKind:
    key: str  # the export log's and the command line's name
    label: str  # "Minutes": the export log, dialog titles, messages
    menu_text: str  # with its access letter, unique in the Export menu
    tip: str
    gather: str  # "module:function"(db, conference_id, meeting_id) -> data
    filename: str  # "module:function"(data) -> default file name
    save: str  # "module:function"(data, path) -> written path
    cli_help: str
    shortcut: str | None = None  # works wherever the focus is, text fields included
    per_meeting: bool = False  # about one meeting: the meeting in focus unless one is chosen
    file_filter: str = "Word document (*.docx)"
    checks: frozenset[str] = frozenset()
    scan: tuple[str, ...] = ()  # what the personal-details check reads: BOARD, PLAN
    group: int = 0  # menu sections: 0 before the meeting, 1 after it, 2 data files
    wording_step: bool = False  # the window shows the editable wording before saving
    # "module:function"(data, folder, **options) -> paths: one file per person instead of one
    per_person: str | None = None
    # "module:function"(db, conference_id) -> meeting id, when this kind's default meeting is
    # not simply the meeting in focus (the review record: the review in focus, else the
    # latest review held).
    default_meeting: str | None = None

    def function(self, which: str):
        module, name = getattr(self, which).split(":")
        return getattr(importlib.import_module(module), name)

    def gather_data(self, db: Database, conference_id: int, meeting_id: int | None) -> Any:
        return self.function("gather")(db, conference_id, meeting_id)

    def default_name(self, data: Any) -> str:
        return self.function("filename")(data)

    def write(self, data: Any, path: Path, **options: Any) -> Path:
        return self.function("save")(data, Path(path), **options)


WORD = "Word document (*.docx)"
CSV = "CSV for spreadsheets (*.csv)"

KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        key="report",
        label="Assessment report",
        menu_text="Assessment re&port…",
        tip="Save the assessment report as a Word document",
        gather="csfacilitator.core.papers.report:gather",
        filename="csfacilitator.export.report:filename",
        save="csfacilitator.export.report:save",
        cli_help="the context assessment report (.docx)",
        shortcut="Ctrl+Shift+T",
    ),
    DocumentKind(
        key="agenda",
        label="Agenda",
        menu_text="&Agenda…",
        tip="Save the agenda of the meeting in focus as a Word document",
        gather="csfacilitator.core.papers.meeting_paper:gather",
        filename="csfacilitator.export.agenda:filename",
        save="csfacilitator.export.agenda:save",
        cli_help="the agenda of a meeting (.docx)",
        shortcut="Ctrl+Shift+A",
        per_meeting=True,
        checks=frozenset({MEETING_PASSED}),
    ),
    DocumentKind(
        key="invitations",
        label="Invitation letters",
        menu_text="Invitation &letters…",
        tip="Check the wording, then save the letters for the meeting in focus",
        gather="csfacilitator.core.papers.meeting_paper:gather",
        filename="csfacilitator.export.invitations:filename",
        save="csfacilitator.export.invitations:save",
        cli_help="one invitation letter per invitee, declined left out (.docx)",
        shortcut="Ctrl+Shift+I",
        per_meeting=True,
        wording_step=True,
        per_person="csfacilitator.export.invitations:save_each",
        checks=frozenset({MEETING_PASSED}),
    ),
    DocumentKind(
        key="signin",
        label="Sign-in sheet",
        menu_text="&Sign-in sheet…",
        tip="Save a sign-in sheet for the meeting in focus",
        gather="csfacilitator.core.papers.meeting_paper:gather",
        filename="csfacilitator.export.signin:filename",
        save="csfacilitator.export.signin:save",
        cli_help="the sign-in sheet for a meeting (.docx)",
        shortcut="Ctrl+Shift+G",
        per_meeting=True,
        checks=frozenset({MEETING_PASSED}),
    ),
    DocumentKind(
        key="minutes",
        label="Minutes",
        menu_text="&Minutes…",
        tip="Save the minutes of the meeting in focus as a Word document",
        gather="csfacilitator.core.papers.minutes:gather",
        filename="csfacilitator.export.minutes:filename",
        save="csfacilitator.export.minutes:save",
        cli_help="the minutes of a meeting, with the actions agreed (.docx)",
        shortcut="Ctrl+E",
        per_meeting=True,
        checks=frozenset({PERSONAL_DETAILS}),
        scan=(BOARD, PLAN),
        group=1,
    ),
    DocumentKind(
        key="plan",
        label="Intervention plan",
        menu_text="&Intervention plan…",
        tip="Save the intervention plan as a Word document",
        gather="csfacilitator.core.papers.plan:gather",
        filename="csfacilitator.export.plan_doc:filename",
        save="csfacilitator.export.plan_doc:save",
        cli_help="the intervention plan, in the guidance's appendix layout (.docx)",
        shortcut="Ctrl+Shift+N",
        checks=frozenset({PERSONAL_DETAILS}),
        scan=(PLAN,),
        group=1,
    ),
    DocumentKind(
        key="review",
        label="Review record",
        menu_text="&Review record…",
        tip="Save the record of the review in focus (else the latest review held)",
        gather="csfacilitator.core.papers.review:gather",
        filename="csfacilitator.export.review_doc:filename",
        save="csfacilitator.export.review_doc:save",
        default_meeting="csfacilitator.core.papers.review:default_meeting",
        cli_help="the record of a review meeting (.docx)",
        shortcut="Ctrl+Shift+V",
        per_meeting=True,
        checks=frozenset({PERSONAL_DETAILS, NEEDS_REVIEW}),
        scan=(BOARD, PLAN, VOICE),
        group=1,
    ),
    DocumentKind(
        key="closing",
        label="Closing record",
        menu_text="Closing rec&ord…",
        tip="Save the final record of a closed conference: what changed, measures, feedback, "
        "every action's final state",
        gather="csfacilitator.core.papers.closing:gather",
        filename="csfacilitator.export.closing_doc:filename",
        save="csfacilitator.export.closing_doc:save",
        cli_help="the closing record of a closed conference (.docx)",
        shortcut="Ctrl+Shift+K",
        checks=frozenset({PERSONAL_DETAILS, NEEDS_CLOSED}),
        scan=(PLAN, VOICE),
        group=1,
    ),
    DocumentKind(
        key="actions",
        label="Actions (CSV)",
        menu_text="Actions for spreadsheets (&CSV)…",
        tip="Save the plan's actions as a CSV file that opens in Excel",
        gather="csfacilitator.core.papers.actions:gather",
        filename="csfacilitator.export.actions_csv:filename",
        save="csfacilitator.export.actions_csv:save",
        cli_help="the plan's actions as CSV for Excel (UTF-8 with BOM)",
        file_filter=CSV,
        checks=frozenset({PERSONAL_DETAILS}),
        scan=(PLAN,),
        group=2,
    ),
)

# -- issue 20: the information-sharing record and the DPIA starter (records about the processing)
KINDS += (
    DocumentKind(
        key="sharing_record",
        label="Information sharing record",
        menu_text="Information s&haring record…",
        tip="Save the record of what was shared, with whom, when, why and on what basis",
        gather="csfacilitator.core.papers.sharing:gather",
        filename="csfacilitator.export.sharing_doc:filename",
        save="csfacilitator.export.sharing_doc:save",
        cli_help="the information-sharing record of a conference (.docx)",
        group=2,
    ),
    DocumentKind(
        key="dpia",
        label="DPIA starter",
        menu_text="&DPIA starter…",
        tip="Save a data protection impact assessment filled in with what the app knows, for "
        "the data protection officer to complete",
        gather="csfacilitator.core.papers.dpia:gather",
        filename="csfacilitator.export.dpia_doc:filename",
        save="csfacilitator.export.dpia_doc:save",
        cli_help="a data protection impact assessment starter for the data protection officer "
        "(.docx)",
        group=2,
    ),
)

# -- issue 19: "You said, we did", a one-page handout that goes back to the young people
KINDS += (
    DocumentKind(
        key="you-said-we-did",
        label="You said, we did handout",
        menu_text="&You said, we did handout…",
        tip="Save a one-page handout for young people: what they said and what was done, in "
        "plain words and large type, with no names",
        gather="csfacilitator.core.papers.you_said:gather",
        filename="csfacilitator.export.you_said_doc:filename",
        save="csfacilitator.export.you_said_doc:save",
        cli_help="a one-page 'You said, we did' handout for young people (.docx)",
        checks=frozenset({PERSONAL_DETAILS}),
        scan=(VOICE,),
        group=1,
    ),
)

#: Written elsewhere (the invite list's own export, the hand-over file) but logged by name.
OTHER_LABELS: dict[str, str] = {
    "invitees": "Invite list (CSV)",
    "bundle": "Conference file",
    "calendar": "Calendar (.ics)",  # core/calendar_file.py
    "subject_access": "Subject access search",  # core/subject_access.py (issue 20)
}

BY_KEY: dict[str, DocumentKind] = {kind.key: kind for kind in KINDS}


def kind(key: str) -> DocumentKind:
    return BY_KEY[key]


def label(key: str) -> str:
    """What the export log calls a kind (an unknown one by its key)."""
    if key in BY_KEY:
        return BY_KEY[key].label
    return OTHER_LABELS.get(key, key)
