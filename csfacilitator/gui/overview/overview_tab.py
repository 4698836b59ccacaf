"""The Overview tab: the context, threshold, people in roles, dates and the meetings."""

from __future__ import annotations

import functools

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import conferences, retention, vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.key_meetings import MEETING_FIELDS
from csfacilitator.core.meetings import place_of
from csfacilitator.core.records import ConferenceDetails
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.overview.meetings_panel import MeetingsPanel
from csfacilitator.gui.widgets.date_field import DateField, TimeField
from csfacilitator.storage.database import Database

# (field, label) in the order they appear, grouped.
GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Context",
        (
            ("title", "Title"),
            ("status", "Status"),
            ("context_type", "Context type"),
            ("context_name", "Context name"),
            ("area", "Area"),
            ("referral_source", "Referral source"),
            ("referral_date", "Referral date"),
        ),
    ),
    (
        "Threshold",
        (("threshold", "Threshold"), ("threshold_rationale", "Rationale")),
    ),
    (
        "People",
        (
            ("chair", "Independent chair"),
            ("lead_practitioner", "Lead practitioner"),
            ("coordinator_1", "Coordinator"),
            ("coordinator_2", "Second coordinator"),
            ("coordinator_contact", "Coordinators' contact details"),
            ("place_manager", "Place manager"),
        ),
    ),
    (
        # The conference meeting's date, time and venue, the pre-meeting's date and the next
        # review meeting's date: the same stored values the Meetings panel edits.
        "Dates and venue",
        (
            ("assessment_period", "Assessment period"),
            ("pre_meeting_date", "Pre-meeting date"),
            ("conference_date", "Conference date"),
            ("conference_time", "Conference time"),
            ("venue", "Venue"),
            ("next_review_date", "Next review date"),
        ),
    ),
    ("Notes", (("notes", "Notes"),)),
)
PLACEHOLDERS = {
    "context_name": "e.g. Larkfield Park and the parade",
    "area": "e.g. Northfield ward",
    "referral_source": "e.g. District contextual safeguarding group",
    "assessment_period": "e.g. 1 Sep – 20 Oct 2026",
    "place_manager": "Whoever is responsible for the context",
    "threshold_rationale": "Why this threshold: what the assessment found",
    "notes": "Anything the team should know about this conference",
    "coordinator_contact": "Phone and e-mail for invitees, printed on the invitation letters",
}
CHOICES = {
    "status": vocab.STATUSES,
    "context_type": vocab.CONTEXT_TYPES,
    "threshold": vocab.THRESHOLDS,
}


class OverviewTab(ConferenceTab):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.fields: dict[str, QWidget] = {}
        form_side = QWidget(self)
        form_layout = QVBoxLayout(form_side)
        form_layout.setContentsMargins(12, 12, 12, 12)
        form_layout.setSpacing(12)
        labels: list[QLabel] = []
        for title, entries in GROUPS:
            box = QGroupBox(title, form_side)
            box.setAccessibleName(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for name, label_text in entries:
                widget = self._make_field(name, label_text, box)
                label = QLabel(f"{label_text}:", box)
                label.setBuddy(widget)
                labels.append(label)
                form.addRow(label, widget)
            form_layout.addWidget(box)
        form_layout.addWidget(self._build_retention(form_side))
        from csfacilitator.gui.team.sharing_line import SharingLine  # team store (gui/team)

        self.sharing = SharingLine(db, form_side)
        form_layout.addWidget(self.sharing)
        from csfacilitator.gui.overview.related_panel import RelatedPanel  # issue 20

        self.related = RelatedPanel(db, form_side)
        self.open_conference_requested = self.related.open_requested
        self.related.status_message.connect(self.status_message)
        form_layout.addWidget(self.related)
        form_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_side)
        # One label column width for every group, so the fields line up down the page. Asked
        # once the page is in its scroll area: a size asked before made Qt apply the style
        # sheet to the labels again when the page moved there.
        widest = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(widest)
        scroll.setAccessibleName("Conference details")
        self.details_scroll = scroll

        self.meetings = MeetingsPanel(db, self.undo_stack, self)
        self.meetings.status_message.connect(self.status_message)
        self.meetings.data_changed.connect(self._show_details)  # dates and venue live there

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 5)
        layout.addWidget(self.meetings, 4)

    def focus_title(self) -> None:
        """For a new conference: the details from the top, the title selected to type over."""
        self.details_scroll.verticalScrollBar().setValue(0)
        title = self.fields["title"]
        title.setFocus()
        if isinstance(title, QLineEdit):  # always: the title is one line
            title.selectAll()
        self.details_scroll.ensureWidgetVisible(title)

    def _build_retention(self, parent: QWidget) -> QGroupBox:
        """The legal hold: a closed conference on hold is never shown as due for deletion."""
        box = QGroupBox("Retention", parent)
        box.setAccessibleName("Retention")
        self.legal_hold = QCheckBox("&Legal hold (never due for deletion)", box)
        self.legal_hold.setAccessibleName("Legal hold (never due for deletion)")
        self.legal_hold.setObjectName("field_legal_hold")
        self.legal_hold.toggled.connect(lambda checked: self._save("legal_hold", checked))
        self.retention_note = QLabel(box)
        self.retention_note.setWordWrap(True)
        self.retention_note.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(box)
        layout.addWidget(self.legal_hold)
        layout.addWidget(self.retention_note)
        return box

    def _show_retention(self, details) -> None:
        months = retention.retention_months(self.db)
        due = retention.deletion_due_on(details, months)
        if not retention.is_closed(details):
            text = (
                f"When the conference is closed, it becomes due for deletion {months} months "
                "after its closing date."
                if months
                else "Closed conferences are kept: the retention period is set to never."
            )
        elif details.legal_hold:
            text = "On legal hold: it will not be shown as due for deletion."
        elif details.closed_on is None:
            text = "Closed, but without a closing date, so the retention period has not started."
        elif due is None:
            text = f"Closed on {format_date(details.closed_on)}; kept (no retention period)."
        else:
            text = (
                f"Closed on {format_date(details.closed_on)}; due for deletion {format_date(due)}."
            )
        self.retention_note.setText(f"{text} CS Facilitator never deletes anything by itself.")

    def _make_field(self, name: str, label: str, parent: QWidget) -> QWidget:
        widget: QWidget
        if name in CHOICES:
            combo = QComboBox(parent)
            for key, text in CHOICES[name].items():
                combo.addItem(text, key)
            combo.activated.connect(lambda _i, n=name, w=combo: self._save(n, w.currentData()))
            widget = combo
        elif name in conferences.DATE_FIELDS or name in conferences.TIME_FIELDS:
            parsed = DateField(parent) if name in conferences.DATE_FIELDS else TimeField(parent)
            parsed.committed.connect(lambda value, n=name: self._save(n, value))
            parsed.invalid.connect(self.status_message)
            widget = parsed
        elif name in conferences.MULTILINE_FIELDS:
            notes = QPlainTextEdit(parent)
            notes.setTabChangesFocus(True)
            notes.setFixedHeight(90)
            notes.setPlaceholderText(PLACEHOLDERS.get(name, ""))
            self.autosave.watch(notes, functools.partial(self._store, name))
            widget = notes
        else:
            line = QLineEdit(parent)
            line.setPlaceholderText(PLACEHOLDERS.get(name, ""))
            self.autosave.watch(line, functools.partial(self._store, name))
            widget = line
        widget.setAccessibleName(label)
        widget.setObjectName(f"field_{name}")
        self.fields[name] = widget
        return widget

    def _save(self, name: str, value: object) -> None:
        """Store a choice, date or tick; a failure is said in the status bar."""
        try:
            self._store(name, value)
        except UserError as exc:
            self.status_message.emit(str(exc))

    def _store(self, name: str, value: object) -> None:
        """Store one field; raises UserError so a text field's saver keeps the text and
        tries again."""
        if self.conference_id is None:
            return
        details = conferences.update_conference(self.db, self.conference_id, **{name: value})
        self.meetings.place = place_of(details.context_name, details.title)
        if name in ("status", "legal_hold"):
            self._show_retention(details)
        if name in MEETING_FIELDS:
            self.meetings.reload_meetings()  # the same stored values: show them there too
        if name in ("context_name", "area"):
            self.related.set_conference(self.conference_id)  # issue 20

    def reload(self) -> None:
        self.setEnabled(self.conference_id is not None)
        if self.conference_id is None:
            return
        # The details are read once, shown here and handed to the meetings (a purpose left
        # empty names the place); the meetings do not ask for them again (data_changed).
        details = conferences.get_conference(self.db, self.conference_id)
        self.meetings.set_conference(
            self.conference_id, place_of(details.context_name, details.title)
        )
        self._show_details(details)
        self.sharing.set_conference(self.conference_id)
        self.related.set_conference(self.conference_id)  # issue 20

    def _show_details(self, details: ConferenceDetails | None = None) -> None:
        """Show the stored details, read now unless given (a field holding text not yet saved
        keeps it)."""
        if self.conference_id is None:
            return
        if details is None:
            details = conferences.get_conference(self.db, self.conference_id)
        self.meetings.place = place_of(details.context_name, details.title)
        for name, widget in self.fields.items():
            value = getattr(details, name)
            if self.autosave.holds_unsaved(widget):
                continue  # typed text not stored yet (a save failed): never revert it
            with QSignalBlocker(widget):
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(max(0, widget.findData(value)))
                elif isinstance(widget, (DateField, TimeField)):
                    widget.set_value(value)
                elif isinstance(widget, QPlainTextEdit):
                    if widget.toPlainText() != value:
                        widget.setPlainText(value)
                elif isinstance(widget, QLineEdit) and widget.text() != value:
                    widget.setText(value)
        with QSignalBlocker(self.legal_hold):
            self.legal_hold.setChecked(details.legal_hold)
        self._show_retention(details)

    def flush(self) -> None:
        super().flush()
        self.meetings.flush()
