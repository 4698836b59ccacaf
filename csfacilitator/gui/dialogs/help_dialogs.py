"""Help menu windows: About (version, folders, diagnostics for support) and the Quick guide.

Diagnostics describe the installation only: of the database they read just its schema
revision and size, nothing from the conferences, so they can go into an ordinary e-mail.
"""

from __future__ import annotations

import datetime as dt
import platform
import shutil
import sys
from pathlib import Path

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csfacilitator import APP_NAME, __version__
from csfacilitator.build_info import build_date, version_line
from csfacilitator.errors import UserError
from csfacilitator.paths import DataPaths
from csfacilitator.resources import resource_path
from csfacilitator.storage.database import Database
from csfacilitator.storage.revision import stored_revision
from csfacilitator.storage.schema_version import HEAD

GUIDE_PARTS = ("guide", "quick-guide.html")
COPIED = (
    "Diagnostics copied. They hold nothing from your conferences: paste them into a message "
    "to whoever supports CS Facilitator for you."
)


def _size(num_bytes: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2)):
        if num_bytes >= scale:
            return f"{num_bytes / scale:.1f} {unit}"
    return f"{num_bytes / 1024:.0f} KB"


def _database_line(paths: DataPaths, db: Database | None) -> str:
    files = [paths.database, paths.database.with_name(paths.database.name + "-wal")]
    size = sum(f.stat().st_size for f in files if f.exists())
    # Read through the same SQLite library (and key) as the open database, as backups do:
    # another library closing its own handle on the file would drop the app's locks.
    passphrase = db.passphrase if db is not None else None
    try:
        revision = stored_revision(paths.database, passphrase) or "none (new database)"
    except UserError as exc:
        revision = f"unreadable ({exc})"
    line = f"Database: schema {revision} (this version writes {HEAD}), {_size(size)}"
    if db is not None:
        line += ", encrypted" if db.encrypted else ", not encrypted"
    return line


def _backups_line(paths: DataPaths, db: Database | None) -> str:
    backups = sorted(paths.backups.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    if not backups:
        return "Backups: none yet"
    newest = dt.datetime.fromtimestamp(backups[-1].stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"Backups: {len(backups)}, newest {newest}"


def _screens_line() -> str:
    screens = QGuiApplication.screens()
    sizes = ", ".join(
        f"{s.size().width()}x{s.size().height()} @{s.devicePixelRatio():g}x" for s in screens
    )
    return f"Screens: {len(screens)} ({sizes})"


def diagnostics(paths: DataPaths, db: Database | None = None) -> str:
    """Version, platform and folder facts for support; nothing from any conference.

    `db` is the open database, when there is one (to read it the way the app does)."""
    lines = [
        f"{APP_NAME} {__version__}"
        + (" (installed bundle)" if getattr(sys, "frozen", False) else "")
        + (f", built {build_date()}" if build_date() else ""),
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qVersion()}, PySide6 {PYSIDE_VERSION}, platform plugin "
        f"{QGuiApplication.platformName() or 'none'}",
        f"System: {platform.platform()}",
        _screens_line(),
        f"Data folder: {paths.root}",
        f"Log folder: {paths.logs}",
    ]
    for subject, describe in (("Database", _database_line), ("Backups", _backups_line)):
        try:
            lines.append(describe(paths, db))
        except OSError as exc:
            lines.append(f"{subject}: cannot be read ({exc.strerror or exc})")
    try:
        free = shutil.disk_usage(paths.root).free
        lines.append(f"Free space in the data folder: {_size(free)}")
    except OSError:
        pass
    return "\n".join(lines)


def open_folder(path: Path) -> bool:
    """Show a folder in the system's file manager; False if that failed."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AboutDialog(QDialog):
    """Version, the data and log folders with buttons to open them, and Copy diagnostics."""

    def __init__(self, paths: DataPaths, db: Database | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.paths = paths
        self.db = db
        self.setWindowTitle(f"About {APP_NAME}")
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        icon = QLabel(self)
        icon.setPixmap(QPixmap(str(resource_path("icons", "csfacilitator-64.png"))))
        icon.setAccessibleName(f"{APP_NAME} icon")
        name = QLabel(
            f"<b style='font-size: 14pt'>{APP_NAME}</b><br>{version_line(__version__)}", self
        )
        name.setObjectName("aboutVersion")
        blurb = QLabel(
            "Offline support for contextual safeguarding and community conferences. "
            "Everything is kept on this computer; nothing is sent over the network.",
            self,
        )
        blurb.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(name)
        heading.addWidget(blurb)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addSpacing(12)
        top.addLayout(heading, 1)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.data_field, self.open_data_button = self._folder_row(
            grid,
            0,
            "&Data folder:",
            paths.root,
            "Open data folder",
            "Your conferences and their backups",
        )
        self.log_field, self.open_log_button = self._folder_row(
            grid,
            1,
            "&Log folder:",
            paths.logs,
            "Open log folder",
            "What the app recorded while running",
        )

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")

        buttons = QDialogButtonBox(self)
        self.copy_button = buttons.addButton(
            "Copy diagnostics", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAccessibleName("Copy diagnostics")
        self.copy_button.setToolTip(
            "Copy the version, system and folder details (nothing from your conferences) "
            "to paste into a message to support"
        )
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.close_button = buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())
        self.close_button.setFocus()

    def _folder_row(
        self, grid: QGridLayout, row: int, label_text: str, path: Path, button_text: str, tip: str
    ) -> tuple[QLineEdit, QPushButton]:
        label = QLabel(label_text, self)
        field = QLineEdit(str(path), self)
        field.setReadOnly(True)
        field.setCursorPosition(0)
        field.setToolTip(tip)
        field.setAccessibleName(label_text.replace("&", "").rstrip(":"))
        label.setBuddy(field)
        button = QPushButton(button_text, self)
        button.setAccessibleName(button_text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._open(path))
        grid.addWidget(label, row, 0)
        grid.addWidget(field, row, 1)
        grid.addWidget(button, row, 2)
        return field, button

    def _open(self, path: Path) -> None:
        if path.is_dir() and open_folder(path):
            self.message.clear()
        else:
            self.message.setText(
                f"Could not open {path}. Select the path above, copy it (Ctrl+C) and paste it "
                "into your file manager."
            )

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(diagnostics(self.paths, self.db))
        self.message.setText(COPIED)


class QuickGuide(QDialog):
    """The illustrated guide, read from resources/guide; stays open beside the main window."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Quick guide – {APP_NAME}")
        self.setObjectName("quickGuide")
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Quick guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)  # only jumps within the guide; nothing leaves the app
        self.browser.anchorClicked.connect(self._follow)
        source = resource_path(*GUIDE_PARTS)
        if source.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(source)))
        else:
            self.browser.setPlainText(
                "The quick guide is missing from this installation. Reinstall CS Facilitator "
                "to bring it back."
            )
        buttons = QDialogButtonBox(self)
        close = buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(820, 700)

    def _follow(self, url: QUrl) -> None:
        """The guide links only to its own headings; anything else is ignored."""
        if url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())


def show_about(parent: QWidget, paths: DataPaths, db: Database | None = None) -> AboutDialog:
    """Open About over the window (window-modal, without blocking); it is deleted on close."""
    dialog = AboutDialog(paths, db, parent)
    dialog.open()
    return dialog


def show_quick_guide(parent: QWidget) -> QuickGuide:
    """Show the guide beside the window; a second F1 brings the same guide to the front."""
    guide = parent.findChild(QuickGuide)
    if guide is None:
        guide = QuickGuide(parent)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
