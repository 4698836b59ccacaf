"""Export menu actions for the plan: the intervention plan, a review record, the actions CSV.

Each gathers what it will write first (so a problem such as "no review meeting yet" is said
before the file dialog opens), then asks where, writes with retry, and logs the export.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from csfacilitator.core import conferences
from csfacilitator.errors import UserError
from csfacilitator.gui.export_dialogs import export_interactively, gather_and_export
from csfacilitator.storage.database import Database

CSV_FILTER = "CSV for spreadsheets (*.csv)"


def _folder(folder: Path | None) -> Path:
    return folder or Path.home()


def export_plan_interactively(
    parent: QWidget, db: Database, conference_id: int, *, folder: Path | None = None
) -> Path | None:
    from csfacilitator.export.plan_doc import gather_plan, save_plan, suggested_filename

    return gather_and_export(
        parent,
        db,
        conference_id,
        "plan",
        "Export intervention plan",
        lambda: gather_plan(db, conference_id),
        suggested_filename,
        save_plan,
        folder,
    )


def review_meeting_for(db: Database, meeting_id: int | None) -> int | None:
    """The meeting shown in the window if it is a review; else None (the latest review)."""
    from csfacilitator.core.meetings import get_meeting

    if meeting_id is None:
        return None
    try:
        return meeting_id if get_meeting(db, meeting_id).kind == "review" else None
    except UserError:
        return None


def export_review_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    meeting_id: int | None = None,
    *,
    folder: Path | None = None,
) -> Path | None:
    """The record of `meeting_id` when it is a review meeting, else of the latest review."""
    from csfacilitator.export.review_doc import gather_review, save_review, suggested_filename

    return gather_and_export(
        parent,
        db,
        conference_id,
        "review",
        "Export review record",
        lambda: gather_review(db, conference_id, review_meeting_for(db, meeting_id)),
        suggested_filename,
        save_review,
        folder,
    )


def export_actions_interactively(
    parent: QWidget, db: Database, conference_id: int, *, folder: Path | None = None
) -> Path | None:
    from csfacilitator.export.actions_csv import export_actions, suggested_filename

    try:
        title = conferences.get_conference(db, conference_id).title
    except UserError as exc:
        QMessageBox.warning(parent, "Export actions", str(exc))
        return None
    return export_interactively(
        parent,
        db,
        conference_id,
        "actions",
        _folder(folder) / suggested_filename(title),
        lambda path: export_actions(db, conference_id, path),
        title="Export actions for spreadsheets",
        file_filter=CSV_FILTER,
    )
