"""The example joined up (issue 20): the register's other names and map reference for its
context, a second, small conference about the neighbouring Mill Road bus interchange linked to
it as a neighbouring place, information-sharing decisions with their bases for the papers that
went out, and something late on the dashboard — the full minutes of the 5 November conference,
never recorded as sent, late since 26 November 2026 (15 working days), while the summary and
plan, sent to the partners under the information-sharing agreement, is done.

`add(db, conference_id)` uses core operations only.

What travels in the example's hand-over file and what does not (for whoever regenerates it):
the register's other names and map reference are part of the conference (hand-over format 7);
the second conference, the link and the sharing record are not — a hand-over file holds one
conference and no links out of it, and the sharing record is the laptop's own account of what
it sent. Those three exist only if `add` runs when the example is added to a database (as
core/example.add_example remembers the example's sharing answer). Running `add` again for a
second copy of the example links it to the same neighbouring conference rather than making
another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

NEIGHBOUR_TITLE = "Mill Road bus interchange"
#: What else the example's context is called (one a line), and where it is on the map.
ALIASES = "Wrenmoor Rec\nthe Parade\nMill Road subway"
MAP_REF = "TQ 31840 80215 (park gates on Mill Road)"
LINK_NOTE = (
    "the interchange is at the end of Mill Road, through the underpass; partners see the same "
    "groups move between the two in the evening"
)
#: (document kind, who it went to, basis, reason, consent given): the decisions recorded.
SHARED: tuple[tuple[str, str, str, str, bool | None], ...] = (
    ("agenda", "Conference partners (invite list)", "agreement", "", None),
    (
        "report",
        "Dunhaven Police – Saltmarsh Safer Neighbourhoods Team",
        "public_task",
        "Patrol planning for the park and the underpass",
        None,
    ),
    (
        "invitations",
        "Kestrel Convenience Store and Saltmarsh Residents' Association",
        "agreement",
        "Both signed the information-sharing agreement before the meeting",
        None,
    ),
    ("plan", "Conference partners (invite list)", "agreement", "", None),
)
FOLDER = ("Documents", "Wrenmoor Park conference")


def add(db, conference_id: int) -> None:  # noqa: ANN001 - a Database
    """Give the example its register entry, its related conference and its sharing record."""
    _register(db, conference_id)
    _neighbour_and_link(db, conference_id)
    _sharing_record(db, conference_id)


def _register(db, conference_id: int) -> None:  # noqa: ANN001
    from csfacilitator.core.related import set_register

    set_register(db, conference_id, aliases=ALIASES, map_ref=MAP_REF)


def _neighbour_and_link(db, conference_id: int) -> int:  # noqa: ANN001
    from csfacilitator.core import conferences, related

    existing = [r.id for r in conferences.list_conferences(db) if r.title == NEIGHBOUR_TITLE]
    if existing:
        neighbour = existing[0]
    else:
        neighbour = conferences.create_conference(
            db,
            NEIGHBOUR_TITLE,
            status="assessment",
            context_type="neighbourhood",
            context_name="Mill Road bus interchange and the shelters on Harbour Street",
            area="Saltmarsh ward, Dunhaven",
            referral_source="Dunhaven District Contextual Safeguarding Group",
            referral_date=dt.date(2026, 11, 19),
            lead_practitioner="Tomasz Wiśniewski",
            coordinator_1="Priya Raman",
            place_manager="Dunhaven Council – Transport and Highways",
            conference_date=dt.date(2027, 1, 21),
            venue="Kestrel Community Hall, Mill Lane, Dunhaven",
        )
        related.set_register(db, neighbour, aliases="the interchange\nHarbour Street shelters")
    related.add_link(db, conference_id, neighbour, "neighbouring_place", LINK_NOTE)
    return neighbour


def _sharing_record(db, conference_id: int) -> None:  # noqa: ANN001
    """Each paper that went out, with whom and why. The papers of the 5 November conference
    name it (the plan as agreed there, so its summary-and-plan deadline is met); the full
    minutes were never recorded as sent, so they are late on the dashboard."""
    from csfacilitator.core import conferences, documents
    from csfacilitator.core.export_log import checked_answer, record_export
    from csfacilitator.core.meetings import list_meetings

    meeting = next(m.id for m in list_meetings(db, conference_id) if m.kind == "conference")
    title = conferences.get_conference(db, conference_id).title
    folder = Path.home().joinpath(*FOLDER)
    for kind, who, basis, reason, consent in SHARED:
        answer = checked_answer(who, basis, reason, consent)
        name = f"{title} - {documents.label(kind).lower()}.docx"
        about = meeting if documents.kind(kind).per_meeting or kind == "plan" else None
        record_export(db, conference_id, kind, folder / name, sharing=answer, meeting_id=about)
