"""Exporting from the GUI: check for personal details, ask where, write, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

WORD_FILTER = "Word document (*.docx)"
MAX_LISTED_FLAGS = 8


def confirm_flags(parent: QWidget, findings: list, on_review: Callable[[], None]) -> bool:
    """Warn (never block) about text that looks like personal details (export_checks.Finding).
    True means go ahead."""
    if not findings:
        return True
    lines = [f"• {f.line()}" for f in findings[:MAX_LISTED_FLAGS]]
    if len(findings) > MAX_LISTED_FLAGS:
        lines.append(f"…and {len(findings) - MAX_LISTED_FLAGS} more.")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Check before sharing")
    count = len(findings)
    box.setText(
        f"{count} place{'s' if count != 1 else ''} may contain personal details. "
        "Papers are about the context, not individuals."
    )
    box.setInformativeText("\n".join(lines))
    export = box.addButton("Export anyway", QMessageBox.ButtonRole.AcceptRole)
    review = box.addButton("Review on the board", QMessageBox.ButtonRole.RejectRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(review)
    box.exec()
    if box.clickedButton() is review:
        on_review()
    return box.clickedButton() is export


def save_with_retry(
    parent: QWidget,
    title: str,
    suggested: Path,
    write: Callable[[Path], Path],
    file_filter: str = WORD_FILTER,
) -> Path | None:
    """Ask where to save; on a failure explain it and offer another place. Nothing is lost."""
    target = suggested
    while True:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(target), file_filter)
        if not chosen:
            return None
        try:
            return write(Path(chosen))
        except UserError as exc:
            answer = QMessageBox.warning(
                parent,
                title,
                f"{exc}\n\nChoose another place to save it?",
                QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Retry:
                return None
            target = Path(chosen)


def export_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    kind: str,
    suggested: Path,
    write: Callable[[Path], Path],
    *,
    title: str = "",
    file_filter: str = WORD_FILTER,
) -> Path | None:
    """Ask who it is shared with and why (the sharing question every export asks, the
    conference's last answer offered), then where; write with retry, and record the export
    with its sharing decision. None when the user cancels either question: nothing written,
    nothing recorded."""
    from csfacilitator.core.documents import label
    from csfacilitator.core.export_log import record_export
    from csfacilitator.gui.documents.sharing_dialog import ask_sharing

    sharing = ask_sharing(parent, db, conference_id, label(kind))
    if sharing is None:
        return None
    written = save_with_retry(
        parent, title or f"Export {label(kind).lower()}", suggested, write, file_filter
    )
    if written is not None:
        record_export(db, conference_id, kind, written, sharing=sharing)
    return written
