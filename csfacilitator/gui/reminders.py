"""Reminders of what is due today or late (core/deadlines.py), and File → Export calendar.

When the window opens on the database, and every hour while it runs, items that are late or
due today and not yet reminded of today are told once: as a desktop notification where the
system has a tray (QSystemTrayIcon.showMessage), else on the status bar. Preferences can switch
reminders off. What was told is remembered in the settings table, so each item is told at
most once a day, however often the app is opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QStyle, QSystemTrayIcon

from csfacilitator.storage.database import Database

TITLE = "CS Facilitator: due or late"
CHECK_EVERY_MS = 60 * 60 * 1000  # hourly: a new day's items are told within the hour
FIRST_CHECK_MS = 1500  # after the window has painted
STATUS_MS = 20_000
RETRY_MS = 10_000  # the status bar is showing something else
CALENDAR_FILTER = "Calendar (*.ics)"


class Reminders(QObject):
    def __init__(
        self,
        window: QMainWindow,
        db: Database,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        start: bool = True,
    ):
        super().__init__(window)
        self.window, self.db, self.today = window, db, today
        self.tray: QSystemTrayIcon | None = None
        self.last_message = ""
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if start:
            self.timer.start()
            QTimer.singleShot(FIRST_CHECK_MS, self.check)

    def check(self) -> str:
        """Tell what is late or due today and not told yet today; returns the message."""
        from csfacilitator.core.deadlines import mark_reminded, reminder_text, reminders_due
        from csfacilitator.errors import UserError

        today = self.today()
        tray = QSystemTrayIcon.isSystemTrayAvailable()
        if not tray and self.window.statusBar().currentMessage():
            QTimer.singleShot(RETRY_MS, self.check)  # never hide another message: wait
            return ""
        try:
            items = reminders_due(self.db, today)
            if not items:
                return ""
            mark_reminded(self.db, items, today)
        except UserError:  # the database is busy or locked: try again at the next check
            return ""
        message = reminder_text(items, today)
        self.last_message = message
        if tray:
            if self.tray is None:
                icon = self.window.windowIcon()
                if icon.isNull():  # a tray icon needs one
                    icon = self.window.style().standardIcon(
                        QStyle.StandardPixmap.SP_MessageBoxInformation
                    )
                self.tray = QSystemTrayIcon(icon, self)
                self.tray.setToolTip("CS Facilitator")
                self.tray.messageClicked.connect(self._raise_window)
            self.tray.show()
            self.tray.showMessage(TITLE, message, QSystemTrayIcon.MessageIcon.Information, 15_000)
        else:
            self.window.statusBar().showMessage(f"Due or late: {message}", STATUS_MS)
        return message

    def _raise_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()


def export_calendar(window: QMainWindow, db: Database, conference_id: int) -> Path | None:
    """Ask where, write the conference's .ics, and record it in the export log."""
    from csfacilitator.core.calendar_file import default_filename, write_calendar
    from csfacilitator.gui.documents.export_dialogs import export_interactively

    return export_interactively(
        window,
        db,
        conference_id,
        "calendar",
        Path.home() / default_filename(db, conference_id),
        lambda path: write_calendar(db, conference_id, path),
        title="Export calendar",
        file_filter=CALENDAR_FILTER,
    )
