"""The plan's header (Appendix B of the guidance): context, dates and who attended."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from csfacilitator.core.dates import format_date
from csfacilitator.core.plan import PlanHeader
from csfacilitator.gui.plan.plan_model import muted_foreground


class FieldLabel(QLabel):
    """'Caption: value' on one line; a value too long for the width is elided (tooltip: all)."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        self.value = ""
        self.empty = "not set"
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(80)

    def set_value(self, value: str, *, empty: str = "not set", tooltip: str | None = None) -> None:
        self.value, self.empty = value, empty
        self.setToolTip(value if tooltip is None else tooltip)
        self.setAccessibleName(f"{self.caption}: {value or empty}")
        self._render()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        muted = muted_foreground().name()
        metrics = self.fontMetrics()
        room = self.width() - metrics.horizontalAdvance(f"{self.caption}:  ") - 4
        value = " ".join(self.value.split())
        if value:
            shown = html.escape(metrics.elidedText(value, Qt.TextElideMode.ElideRight, room))
        else:
            shown = f"<span style='color:{muted}'>{html.escape(self.empty)}</span>"
        caption = html.escape(self.caption)
        self.setText(f"<span style='color:{muted}'>{caption}:</span>&nbsp; {shown}")


class PlanHeaderPanel(QFrame):
    """The plan's header (read-only here: it comes from the conference's details)."""

    # (key, caption, row, column, column span) on a four-column grid
    FIELDS = (
        ("context", "Context", 0, 0, 2),
        ("assessment_period", "Assessment period", 0, 2, 2),
        ("pre_meeting_date", "Pre-meeting", 1, 0, 1),
        ("conference_date", "Conference", 1, 1, 1),
        ("review_date", "Review", 1, 2, 1),
        ("lead_practitioner", "Lead practitioner", 1, 3, 1),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Plan details")
        self.setToolTip("From the conference's details and attendance (change them there)")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 5, 10, 5)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        self.labels: dict[str, FieldLabel] = {}
        for key, caption, row, column, span in self.FIELDS:
            label = FieldLabel(caption, self)
            grid.addWidget(label, row, column, 1, span)
            self.labels[key] = label
        self.attendees = FieldLabel("Attendees", self)
        grid.addWidget(self.attendees, 2, 0, 1, 4)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        self.show_header(None)

    def show_header(self, header: PlanHeader | None) -> None:
        values: dict[str, str] = {}
        if header is not None:
            values = {
                "context": header.context,
                "assessment_period": header.assessment_period,
                "lead_practitioner": header.lead_practitioner,
                "pre_meeting_date": format_date(header.pre_meeting_date),
                "conference_date": format_date(header.conference_date),
                "review_date": format_date(header.review_date),
            }
        for key, *_rest in self.FIELDS:
            self.labels[key].set_value(values.get(key, ""))
        people = header.attendees if header else ()
        self.attendees.caption = f"Attendees ({len(people)})" if people else "Attendees"
        self.attendees.set_value(
            "; ".join(a.name or a.label for a in people),
            empty="none marked present at the conference yet",
            tooltip="\n".join(a.label for a in people),
        )
