"""Going back to a backup: File → Restore from backup…, and the choice offered at start when
the database was found damaged (and kept aside)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator import APP_NAME
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.dialog_parts import accept_cancel
from csfacilitator.paths import DataPaths
from csfacilitator.storage.backup import BackupFile, list_backups
from csfacilitator.storage.recovery import (
    BackupContents,
    Damage,
    contents_text,
    describe_backup,
    local_text,
    restore_backup,
    size_text,
)

log = logging.getLogger(__name__)

COLUMNS = ("Made", "Why", "Size", "Holds")
BACKUP_ROLE = Qt.ItemDataRole.UserRole + 1


class RestoreDialog(QDialog):
    """Lists the backups, newest first, with what each holds; `chosen` after acceptance."""

    def __init__(
        self, paths: DataPaths, parent: QWidget | None = None, passphrase: str | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.resize(860, 480)
        self.chosen: tuple[BackupFile, BackupContents] | None = None
        self._rows: list[tuple[BackupFile, BackupContents]] = []

        intro = QLabel(
            "Choose the backup to go back to. Everything in the app is replaced by what the "
            "backup holds. What is here now is backed up first, so you can come back to it.",
            self,
        )
        intro.setWordWrap(True)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.view = QTreeView(self)
        self.view.setAccessibleName("Backups")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(True)
        metrics = self.view.fontMetrics()
        for column, sample in enumerate(("30 Sep 2026 23:59", "Before replacing from a file")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        header.resizeSection(2, metrics.horizontalAdvance("999.9 MB") + 28)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAccessibleName("What the backup holds")
        self.details.setMinimumHeight(metrics.lineSpacing() * 3)

        self.buttons, self.restore_button, _cancel = accept_cancel(
            self, "Restore…", on_accept=self._accept_selected
        )
        self.restore_button.setAccessibleName("Restore")  # the dots say a question follows
        self.restore_button.setDefault(True)
        self.view.doubleClicked.connect(lambda _i: self._accept_selected())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)

        self._load(paths, passphrase)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        if self._rows:
            self.view.setCurrentIndex(self.model.index(self._first_usable(), 0))
        self._show_selected()

    def _load(self, paths: DataPaths, passphrase: str | None) -> None:
        for backup in list_backups(paths.backups):
            contents = describe_backup(backup.path, passphrase)
            cells = [
                local_text(backup.taken_at),
                backup.reason_label,
                size_text(backup.size),
                contents_text(contents),
            ]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(len(self._rows), BACKUP_ROLE)
            items[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for item in items:
                item.setToolTip(backup.path.name)
                if not contents.usable:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.model.appendRow(items)
            self._rows.append((backup, contents))
        if not self._rows:
            self.details.setText(f"There are no backups yet in {paths.backups}.")

    def _first_usable(self) -> int:
        return next((i for i, (_b, c) in enumerate(self._rows) if c.usable), 0)

    def selected(self) -> tuple[BackupFile, BackupContents] | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().hasSelection():
            return None
        row = self._rows[index.siblingAtColumn(0).data(BACKUP_ROLE)]
        return row if row[1].usable else None

    def _show_selected(self) -> None:
        row = self.selected()
        self.restore_button.setEnabled(row is not None)
        if row is None:
            return
        backup, contents = row
        text = f"Made {local_text(backup.taken_at)}: {backup.reason_label.lower()}."
        if contents.last_change is not None:
            text += f" Last change in it: {local_text(contents.last_change)}."
        if contents.titles:
            more = contents.conferences - len(contents.titles)
            titles = "; ".join(contents.titles) + (f"; and {more} more" if more > 0 else "")
            count = contents.conferences
            text += f"\n{count} conference{'' if count == 1 else 's'}: {titles}."
        else:
            text += "\nIt holds no conferences."
        self.details.setText(text)

    def _accept_selected(self) -> None:
        self.chosen = self.selected()
        if self.chosen is not None:
            self.accept()


def restore_interactively(window) -> bool:  # noqa: ANN001 - the MainWindow
    """Pick a backup, confirm, back up what is here, put the backup in place, show it."""
    window.flush()
    dialog = RestoreDialog(window.paths, window, window.db.passphrase)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
        return False
    backup, contents = dialog.chosen
    answer = QMessageBox.question(
        window,
        "Restore from backup",
        f"Replace everything in {APP_NAME} with the backup made {local_text(backup.taken_at)}?"
        f"\n\nIt holds {contents_text(contents)}. What is here now is backed up first, so you "
        "can come back to it the same way.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    _leave_conference(window)
    window.db.close()  # its engine reconnects, to the restored file, when next used
    try:
        restore_backup(window.paths, backup.path, window.db.passphrase)
    except UserError as exc:
        log.error("Restore failed: %s", exc)
        QMessageBox.warning(window, "Restore from backup", str(exc))
        window.show_home()
        return False
    window.backup_timer.mark_saved()
    window.show_home()
    window.status(
        f"Restored the backup made {local_text(backup.taken_at)}. What was here before was "
        "backed up first."
    )
    return True


def _leave_conference(window) -> None:  # noqa: ANN001
    """Nothing on screen may refer to what is about to be replaced: no open conference, no
    undo history (undoing a delete would put a conference into the restored data)."""
    if window.projector is not None:
        window.projector.close()
    window.conference_id = None
    for tab in window.conference_tabs:
        tab.set_conference(None)
    for stack in window.undo_group.stacks():
        stack.clear()


def ask_after_damage(
    damage: Damage, newest: tuple[BackupFile, BackupContents] | None, parent=None
) -> str:  # noqa: ANN001
    """'restore', 'empty' or 'quit': what to do after a damaged database was kept aside."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(f"{APP_NAME}'s database is damaged, so it cannot be used safely.")
    details = (
        f"Nothing has been deleted: the damaged file was kept aside, unchanged, as\n"
        f"{damage.set_aside}\n\n"
    )
    restore = None
    if newest is not None:
        backup, contents = newest
        details += (
            f"The newest good backup was made {local_text(backup.taken_at)} and holds "
            f"{contents_text(contents)}. Work done after it is only in the damaged file."
        )
        restore = box.addButton("Restore newest backup", QMessageBox.ButtonRole.AcceptRole)
        restore.setAccessibleName("Restore newest backup")
    else:
        details += "There is no backup to go back to."
    box.setInformativeText(details)
    empty = box.addButton("Start with an empty database", QMessageBox.ButtonRole.DestructiveRole)
    empty.setAccessibleName("Start with an empty database")
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setAccessibleName("Quit")
    box.setDefaultButton(restore or quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return "restore"
    if clicked is empty:
        return "empty"
    return "quit"
