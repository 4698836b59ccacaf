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
from csfacilitator.gui.documents import export_dialogs
from csfacilitator.storage.database import Database

FOLDER_KEY = "export/folder/{}"


def last_folder(key: str) -> Path:
    """Where the save dialog for this kind starts: the folder last used for it, else home."""
    saved = QSettings().value(FOLDER_KEY.format(key), "", type=str)
    folder = Path(str(saved)) if saved else Path.home()  # type=str: it is a str
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
    options: dict[str, object] = {}
    each = False
    if kind.wording_step:
        template = _choose_wording(parent, db, data, title)
        if template is None:
            return None
        options["template"] = template
        each = kind.per_person is not None and _one_file_each(parent, title)
    # issue 20: who it is shared with and why, once per export (sharing_dialog.py)
    from csfacilitator.gui.documents.sharing_dialog import ask_sharing

    sharing = ask_sharing(parent, db, conference_id, kind.label)
    if sharing is None:
        return None
    about = meeting_id if kind.per_meeting else None
    if each:
        return _export_each(
            parent, db, conference_id, kind, data, options, findings, folder, sharing, about
        )
    suggested = (folder or last_folder(key)) / kind.default_name(data)
    written = export_dialogs.save_with_retry(
        parent, title, suggested, lambda path: kind.write(data, path, **options), kind.file_filter
    )
    if written is None:
        return None
    from csfacilitator.core.export_log import record_exports

    record_exports(
        db, conference_id, key, [written], flags_allowed=bool(findings), sharing=sharing,
        meeting_id=about,
    )  # fmt: skip
    remember_folder(key, written)
    return written


def _choose_wording(parent: QWidget, db: Database, paper, title: str) -> str | None:
    """Invitation letters: show the wording (editable, with a preview) before saving; None if
    there is nobody to write to (said at once) or the user cancels."""
    from PySide6.QtWidgets import QDialog

    from csfacilitator.export import invitations
    from csfacilitator.gui.invites.invitation_template_dialog import InvitationTemplateDialog

    try:
        invitations.letters_for(paper)  # nobody to write to: say so before the wording
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    dialog = InvitationTemplateDialog(db, paper, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.template_text()


def _one_file_each(parent: QWidget, title: str) -> bool:
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText("Save all the letters in one document, or one document per person?")
    one = box.addButton("&One document", QMessageBox.ButtonRole.AcceptRole)
    each = box.addButton("One document &per person", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(one)
    box.exec()
    return box.clickedButton() is each


def _export_each(
    parent, db, conference_id, kind, data, options, findings, folder, sharing=None, about=None
):
    """One file per person into a folder the user picks; each file goes in the export log."""
    from PySide6.QtWidgets import QFileDialog

    from csfacilitator.core.export_log import record_exports

    title = f"Export {kind.label[0].lower()}{kind.label[1:]}"
    chosen = QFileDialog.getExistingDirectory(parent, title, str(folder or last_folder(kind.key)))
    if not chosen:
        return None
    try:
        written = kind.function("per_person")(data, Path(chosen), **options)
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    record_exports(
        db, conference_id, kind.key, written, flags_allowed=bool(findings), sharing=sharing,
        meeting_id=about,
    )  # fmt: skip
    remember_folder(kind.key, Path(chosen) / "x")
    return Path(chosen)
