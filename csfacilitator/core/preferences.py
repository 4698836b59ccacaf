"""User preferences kept in the database's setting table, with their defaults and limits."""

from __future__ import annotations

from dataclasses import dataclass

from csfacilitator.core.model import Setting
from csfacilitator.core.rows import put_setting
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class Preference:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    unit: str


#: Months after closing when a conference is listed as due for deletion; 0 means never.
#: The app only lists it: deleting stays the coordinator's decision (core/retention.py).
RETENTION_MONTHS = Preference(
    "retention_months", "List closed conferences for deletion after", 24, 0, 240, "months"
)
#: Minutes without keyboard or mouse use before the window locks itself; 0 means never.
IDLE_LOCK_MINUTES = Preference("idle_lock_minutes", "Lock after idle time", 10, 0, 240, "minutes")
#: Minutes between automatic backups while something has changed.
BACKUP_MINUTES = Preference("backup_minutes", "Back up every", 5, 1, 120, "minutes")

# -- Deadlines (issue 20, core/deadlines.py): time limits after a conference; none may be 0.
SUMMARY_DAYS = Preference(
    "deadline_summary_days", "Summary and plan due after the conference", 2, 1, 60, "working days"
)
MINUTES_DAYS = Preference(
    "deadline_minutes_days", "Full minutes due after the conference", 15, 1, 90, "working days"
)
FIRST_REVIEW_MONTHS = Preference(
    "deadline_first_review_months", "First review due after the conference", 3, 1, 24, "months"
)
LATER_REVIEW_MONTHS = Preference(
    "deadline_later_review_months", "Each later review due after the last", 6, 1, 24, "months"
)
DEADLINES = (SUMMARY_DAYS, MINUTES_DAYS, FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS)
#: Desktop reminders of what is due today or late: 1 on, 0 off (a check box, not in ALL).
NOTIFY_DUE = Preference("notify_due", "Remind me of due and late items", 1, 0, 1, "")

ALL = (RETENTION_MONTHS, IDLE_LOCK_MINUTES, BACKUP_MINUTES, *DEADLINES)


def get_preference(db: Database, pref: Preference) -> int:
    with db.read_session() as s:
        row = s.get(Setting, pref.key)
        if row is None:
            return pref.default
        try:
            value = int(row.value)
        except ValueError:
            return pref.default
    return min(max(value, pref.minimum), pref.maximum)


def set_preference(db: Database, pref: Preference, value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise UserError(f"{pref.label} must be a whole number of {pref.unit}.")
    if not pref.minimum <= value <= pref.maximum:
        raise UserError(
            f"{pref.label} must be between {pref.minimum} and {pref.maximum} {pref.unit}."
        )
    with db.session() as s:
        put_setting(s, pref.key, str(value))
    return value
