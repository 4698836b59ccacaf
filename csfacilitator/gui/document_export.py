"""Exporting any document from the window, one path for every kind in core/documents.py:
read what it will say (a problem is explained before the file dialog opens), run the kind's
checks, ask where (starting in the folder last used for that kind), write, log it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from csfacilitator.core import documents, export_checks
from csfacilitator.core.dates import format_date
from csfacilitator.errors import UserError
from csfacilitator.gui import export_dialogs
from csfacilitator.storage.database import Database

FOLDER_KEY = "export/folder/{}"


def last_folder(key: str) -> Path:
    """Where the save dialog for this kind starts: the folder last used for it, else home."""
    saved = QSettings().value(FOLDER_KEY.format(key), "", type=str)
    folder = Path(saved) if saved else Path.home()
    return folder if folder.is_dir() else Path.home()


def remember_folder(key: str, written: Path) -> None:
    QSettings().setValue(FOLDER_KEY.format(key), str(Path(written).parent))


def confirm_past_meeting(parent: QWidget, title: str, label: str, day) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        f"This meeting was on {format_date(day)}, so the {label.lower()} are for a meeting "
        "that has already happened. Export anyway?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def export_document(
    parent: QWidget,
    db: Database,
    conference_id: int,
    key: str,
    meeting_id: int | None = None,
    *,
    on_review: Callable[[], None] = lambda: None,
    folder: Path | None = None,
) -> Path | None:
    """Export one document of kind `key`; returns where it was written, or None."""
    kind = documents.kind(key)
    title = f"Export {kind.label[0].lower()}{kind.label[1:]}"
    try:
        meeting_id = export_checks.meeting_for(db, kind, conference_id, meeting_id)
        data = kind.gather_data(db, conference_id, meeting_id)
        findings = export_checks.personal_details(db, kind, conference_id, meeting_id)
        passed = export_checks.meeting_passed(db, kind, conference_id, meeting_id)
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    if passed is not None and not confirm_past_meeting(parent, title, kind.label, passed):
        return None
    if findings and not export_dialogs.confirm_flags(parent, findings, on_review):
        return None
    if kind.wording_step:
        data = _choose_wording(parent, db, data)
        if data is None:
            return None
    suggested = (folder or last_folder(key)) / kind.default_name(data)
    written = export_dialogs.save_with_retry(
        parent, title, suggested, lambda path: kind.write(data, path), kind.file_filter
    )
    if written is None:
        return None
    from csfacilitator.core.export_log import record_export

    record_export(db, conference_id, key, written, flags_allowed=bool(findings))
    remember_folder(key, written)
    return written


def _choose_wording(parent: QWidget, db: Database, data):
    """Invitation letters: show the wording (editable, with a preview) before saving."""
    from PySide6.QtWidgets import QDialog

    from csfacilitator.export import invitations
    from csfacilitator.gui.invitation_template_dialog import InvitationTemplateDialog

    dialog = InvitationTemplateDialog(db, invitations.paper_of(data), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return invitations.with_template(data, dialog.template_text())
