"""The DPIA starter as a Word document: what CS Facilitator knows about the processing, filled
in (core/papers/dpia.py), and headings with empty space for the data protection officer."""

from __future__ import annotations

import os
from pathlib import Path

from csfacilitator.core.papers.dpia import DpiaPaper


def filename(data: DpiaPaper) -> str:
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("DPIA starter", data.title, data.made_on)


def build(data: DpiaPaper, *, author: str = ""):
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_details, add_note

    doc = b.start_document(
        title=f"DPIA starter: {data.title}",
        subject="Data protection impact assessment (starter)",
        header_left="Data protection impact assessment — starter",
        header_right=b.long_date(data.made_on),
        author=author,
    )
    b.add_heading(doc, "Data protection impact assessment: starter", 1)
    b.add_paragraph(
        doc,
        f"Filled in by CS Facilitator on {b.long_date(data.made_on)} from what the app knows "
        f"(made from “{data.title}”). The sections after “What the app knows” are for the data "
        "protection officer to complete.",
    )
    b.add_heading(doc, "What the app knows", 1)
    b.add_heading(doc, "What is stored", 2)
    b.add_table(
        doc,
        ("Category", "What it holds"),
        [(name, what) for name, what, _tables in data.categories],
        [Mm(55), Mm(115)],
    )
    b.add_paragraph(doc, f"Conferences stored now: {data.conferences_stored}.")
    b.add_heading(doc, "Where, and how it is protected", 2)
    retention = (
        f"Closed conferences are listed for deletion {data.retention_months} months after "
        "closing; deleting stays the coordinator's decision"
        if data.retention_months
        else "No retention period is set: closed conferences are never listed for deletion"
    )
    add_details(
        doc,
        [
            ("Data folder", data.data_folder),
            ("Database file", data.database_file),
            (
                "Encryption",
                "On: the database and its backups are encrypted with a passphrase (SQLCipher)"
                if data.encrypted
                else "Off: the database is not encrypted by the app (rely on disk encryption)",
            ),
            (
                "Backups",
                f"Every {data.backup_minutes} minutes while something changed, in "
                f"{data.backups_folder}; thinned to daily, weekly and monthly copies",
            ),
            ("Retention", retention),
            (
                "Team store",
                f"Set up: {data.team_store}"
                if data.team_store
                else "Not set up: all data stays on this computer",
            ),
        ],
        columns=1,
    )
    b.add_heading(doc, "Who it is shared with (from the information-sharing record)", 2)
    if data.shared_with:
        b.add_table(
            doc,
            ("Shared with", "Basis", "Times"),
            [(who, basis, str(times)) for who, basis, times in data.shared_with],
            [Mm(90), Mm(60), Mm(20)],
        )
    else:
        b.add_paragraph(doc, "Nothing recorded as shared yet.", italic=True, colour=b.MUTED_COLOUR)
    if data.not_recorded:
        add_note(doc, f"{data.not_recorded} earlier exports have no recipient or basis recorded.")
    b.add_heading(doc, "For the data protection officer", 1)
    for heading, prompt in data.dpo_headings:
        b.add_heading(doc, heading, 2)
        b.add_paragraph(doc, prompt, italic=True, colour=b.MUTED_COLOUR)
        for _ in range(3):
            b.add_paragraph(doc, "")
    return doc


def save(data: DpiaPaper, path: str | os.PathLike[str]) -> Path:
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data), path)
