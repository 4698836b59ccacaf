"""Exporting the papers that go out before a meeting, from the GUI: read what the document will
say (explaining at once if something is missing), ask where to save it, write it, log it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from csfacilitator.errors import UserError
from csfacilitator.gui.export_dialogs import export_interactively, gather_and_export
from csfacilitator.storage.database import Database


def export_report_interactively(
    parent: QWidget, db: Database, conference_id: int, *, folder: Path | None = None
) -> Path | None:
    from csfacilitator.export import report

    return gather_and_export(
        parent,
        db,
        conference_id,
        "report",
        "Export assessment report",
        lambda: report.gather_report(db, conference_id),
        report.report_filename,
        report.save_report,
        folder,
    )


def export_agenda_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    meeting_id: int | None,
    *,
    folder: Path | None = None,
) -> Path | None:
    from csfacilitator.export import agenda

    return gather_and_export(
        parent,
        db,
        conference_id,
        "agenda",
        "Export agenda",
        lambda: agenda.gather_agenda(db, conference_id, meeting_id),
        agenda.agenda_filename,
        agenda.save_agenda,
        folder,
    )


def export_signin_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    meeting_id: int | None,
    *,
    folder: Path | None = None,
) -> Path | None:
    from csfacilitator.export import signin

    return gather_and_export(
        parent,
        db,
        conference_id,
        "signin",
        "Export sign-in sheet",
        lambda: signin.gather_signin(db, conference_id, meeting_id),
        signin.signin_filename,
        signin.save_signin,
        folder,
    )


def export_invitations_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    meeting_id: int | None,
    *,
    folder: Path | None = None,
) -> Path | None:
    """Show the wording (editable, with a preview) first; Export then asks where to save."""
    from csfacilitator.export import invitations
    from csfacilitator.export.papers_common import gather_meeting_paper
    from csfacilitator.gui.invitation_template_dialog import InvitationTemplateDialog

    title = "Export invitation letters"
    try:
        paper = gather_meeting_paper(db, conference_id, meeting_id)
        invitations.letters_for(paper)  # nobody to write to: say so before the wording
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    dialog = InvitationTemplateDialog(db, paper, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    letters = invitations.letters_for(paper, dialog.template_text())
    suggested = (folder or Path.home()) / invitations.invitations_filename(paper)
    return export_interactively(
        parent,
        db,
        conference_id,
        "invitations",
        suggested,
        lambda path: invitations.save_invitations(paper, letters, path),
        title=title,
    )


def export_paper(
    parent: QWidget, db: Database, conference_id: int, kind: str, meeting_id: int | None
) -> Path | None:
    """One of "report", "agenda", "invitations", "signin" (the main window's menu actions)."""
    if kind == "report":
        return export_report_interactively(parent, db, conference_id)
    exporter = {
        "agenda": export_agenda_interactively,
        "invitations": export_invitations_interactively,
        "signin": export_signin_interactively,
    }[kind]
    return exporter(parent, db, conference_id, meeting_id)
