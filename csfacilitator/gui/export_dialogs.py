"""Exporting from the GUI: check for personal details, ask where, write, and say what happened."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from csfacilitator.core import conferences, vocab
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

WORD_FILTER = "Word document (*.docx)"
MAX_LISTED_FLAGS = 8


def confirm_flags(parent: QWidget, flags: list, on_review: Callable[[], None]) -> bool:
    """Warn (never block) about points that look like personal details. True means go ahead."""
    if not flags:
        return True
    lines = [
        f"• {vocab.label(vocab.BOARD_COLUMNS, f.column)}: “{f.matched}” ({f.label.lower()})"
        for f in flags[:MAX_LISTED_FLAGS]
    ]
    if len(flags) > MAX_LISTED_FLAGS:
        lines.append(f"…and {len(flags) - MAX_LISTED_FLAGS} more.")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Check before sharing")
    box.setText(
        f"{len(flags)} point{'s' if len(flags) != 1 else ''} may contain personal details. "
        "Minutes are about the context, not individuals."
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
    """Ask where, write with retry, and record the export in the export log."""
    from csfacilitator.core.export_log import KINDS, record_export

    written = save_with_retry(
        parent, title or f"Export {KINDS.get(kind, kind).lower()}", suggested, write, file_filter
    )
    if written is not None:
        record_export(db, conference_id, kind, written)
    return written


def gather_and_export(
    parent: QWidget,
    db: Database,
    conference_id: int,
    kind: str,
    title: str,
    gather: Callable[[], Any],
    filename: Callable[[Any], str],
    save: Callable[[Any, Path], Path],
    folder: Path | None = None,
) -> Path | None:
    """Read what the document will say first (a problem is explained before the file dialog
    opens), then ask where, write with retry and log the export."""
    try:
        data = gather()
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    suggested = (folder or Path.home()) / filename(data)
    return export_interactively(
        parent, db, conference_id, kind, suggested, lambda path: save(data, path), title=title
    )


def export_minutes_interactively(
    parent: QWidget,
    db: Database,
    conference_id: int,
    meeting_id: int | None,
    *,
    on_review: Callable[[], None] = lambda: None,
    folder: Path | None = None,
) -> Path | None:
    from csfacilitator.core.privacy_guard import flag_points
    from csfacilitator.export.minutes import gather_minutes, save_minutes, suggested_filename

    try:
        data = gather_minutes(db, conference_id, meeting_id)
    except UserError as exc:
        QMessageBox.warning(parent, "Export minutes", str(exc))
        return None
    names = conferences.get_conference(db, conference_id).names_to_keep_out
    flags = flag_points(itertools.chain.from_iterable(data.board.values()), names)
    if not confirm_flags(parent, flags, on_review):
        return None
    suggested = (folder or Path.home()) / suggested_filename(data)
    return export_interactively(
        parent,
        db,
        conference_id,
        "minutes",
        suggested,
        lambda path: save_minutes(data, path),
        title="Export minutes",
    )
