"""A read-out of what the invite list still lacks, beside the table (see core.invitees.coverage)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from csfacilitator.core import vocab
from csfacilitator.core.invitees import Coverage, InviteeRecord, coverage
from csfacilitator.core.textclean import shortened
from csfacilitator.gui.invites.invitee_table_model import DISPLAY_LIMIT

# (attribute name, heading, what is shown when nothing is missing)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("questions", "Questions nobody answers yet", "Someone answers each of the four questions."),
    ("agencies", "Suggested agencies not on the list", "Every suggested agency is on the list."),
    ("prepared", "Not prepared yet", "Everyone coming has been prepared."),
    (
        "agreement",
        "Information-sharing agreement not signed",
        "Every partner who needs one has signed.",
    ),
)


#: Names listed under a heading; past this the count says how many more (a long import).
MAX_LISTED = 15


def _who(record: InviteeRecord) -> str:
    """The person as a line of the list, each part cut as the table's cells are: a pasted
    page of text laid out whole in a label took about half a second at every paint."""
    name = shortened(record.name, DISPLAY_LIMIT)
    return (
        f"{name} ({shortened(record.organisation, DISPLAY_LIMIT)})" if record.organisation else name
    )


class CoverageSection(QWidget):
    """A heading with a count, and either a bulleted list of gaps or a line saying all is well."""

    def __init__(self, heading: str, all_well: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading_text = heading
        self.all_well = all_well
        self.heading = QLabel(heading)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self.show_items([])

    def show_items(self, items: list[str], all_well: str | None = None) -> None:
        """List the gaps, or (none) say `all_well` (default: the section's own words)."""
        self.items = list(items)
        if items:
            self.heading.setText(f"{self.heading_text} ({len(items):,})")
            lines = [f"•  {item}" for item in items[:MAX_LISTED]]
            if len(items) > MAX_LISTED:
                lines.append(f"…and {len(items) - MAX_LISTED:,} more")
            self.body.setText("\n".join(lines))
            self.body.setForegroundRole(self.foregroundRole())
            self.body.setStyleSheet("")
        else:
            self.heading.setText(self.heading_text)
            self.body.setText(f"✓  {all_well or self.all_well}")
            self.body.setStyleSheet("color: palette(placeholder-text);")
        self.setAccessibleName(self.heading.text())
        self.setAccessibleDescription(self.body.text())


class CoveragePanel(QScrollArea):
    """Live coverage of the invite list: call show_invitees() whenever the list changes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Coverage")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(14)
        self.title = QLabel("Coverage")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.counted = QLabel()
        self.counted.setWordWrap(True)
        self.counted.setStyleSheet("color: palette(placeholder-text);")
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.title)
        header.addWidget(self.summary)
        header.addWidget(self.counted)
        layout.addLayout(header)
        self.sections: dict[str, CoverageSection] = {}
        for key, heading, all_well in SECTIONS:
            section = CoverageSection(heading, all_well)
            self.sections[key] = section
            layout.addWidget(section)
        layout.addStretch(1)
        self.setWidget(inner)
        self.coverage = coverage([])
        self.show_invitees([])

    def show_invitees(self, invitees: list[InviteeRecord]) -> Coverage:
        result = coverage(invitees)
        self.show_coverage(result, counted=sum(1 for i in invitees if i.status != "declined"))
        return result

    def show_coverage(self, result: Coverage, counted: int = 0) -> None:
        self.coverage = result
        self.sections["questions"].show_items(
            [vocab.INVITE_QUESTIONS[q] for q in result.unanswered_questions]
        )
        self.sections["agencies"].show_items(list(result.missing_agencies))
        nobody = "No one to check yet." if counted == 0 else None
        self.sections["prepared"].show_items([_who(r) for r in result.not_prepared], nobody)
        self.sections["agreement"].show_items([_who(r) for r in result.agreement_missing], nobody)
        gaps = sum(1 for s in self.sections.values() if s.items)
        if counted == 0:
            self.summary.setText("No one on the list is expected to come yet.")
        elif result.complete:
            self.summary.setText("Nothing is missing.")
        else:
            self.summary.setText(
                f"{gaps} of 4 checks show gaps." if gaps > 1 else "1 of 4 checks shows gaps."
            )
        people = "1 invitee" if counted == 1 else f"{counted} invitees"
        self.counted.setText(f"Counting {people}; those who declined are left out.")
        self.counted.setVisible(counted > 0)

    def text(self) -> str:
        """Everything the panel says, as plain text (for tests and screen-reader checks)."""
        parts = [self.summary.text(), self.counted.text()]
        for section in self.sections.values():
            parts += [section.heading.text(), section.body.text()]
        return "\n".join(parts)
