"""What a committed change touched, told once to whoever shows the data.

Every write goes through a session of `Database.session()`; when it commits, the database
tells its observers one `Changes` record naming the tables written (and the conferences, where
a row names its own). The GUI's change bus turns that into one signal that each open tab
filters for the areas it shows, so a local edit, an undo and a sync that pulled others' work
all refresh the window the same way. No Qt here: this module imports nothing of the app.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The areas a view can ask about, each the tables it is stored in.
AREAS: dict[str, frozenset[str]] = {
    "conference": frozenset({"conference"}),
    "meetings": frozenset({"meeting", "agenda_item"}),
    "assessment": frozenset({"assessment_section", "context_weighting", "priority"}),
    "invitees": frozenset({"invitee", "attendance"}),
    "board": frozenset({"board_point"}),
    "referrals": frozenset({"referral"}),
    "plan": frozenset({"need", "intervention", "action_update"}),
    "voice": frozenset({"young_voice"}),  # young people's voice (core/voice.py)
    "exports": frozenset({"export_log"}),
    "sync": frozenset({"sync_state", "sync_share", "sync_conflict"}),
}
#: Tables whose writes no view shows (typing drafts, the change log itself, settings).
QUIET = frozenset({"draft", "change_log", "setting", "team_change"})


@dataclass(frozen=True)
class Changes:
    """The tables one committed transaction wrote, and the conferences it named."""

    tables: frozenset[str]
    conference_ids: frozenset[int] = frozenset()
    #: Conferences the transaction deleted (a sync's pull: a view of one closes it).
    removed_conference_ids: frozenset[int] = frozenset()

    def touches(self, *areas: str) -> bool:
        """True when any of `areas` (keys of AREAS) was written."""
        return any(self.tables & AREAS[area] for area in areas)

    @property
    def visible(self) -> bool:
        """Whether anything a view shows was written (not only drafts or settings)."""
        return bool(self.tables - QUIET)

    def about(self, conference_id: int | None) -> bool:
        """Whether this may concern the conference: it names it, or names none (a child row
        such as a board point does not carry its conference)."""
        return not self.conference_ids or conference_id in self.conference_ids

    def merged(self, other: Changes) -> Changes:
        return Changes(
            self.tables | other.tables,
            self.conference_ids | other.conference_ids,
            self.removed_conference_ids | other.removed_conference_ids,
        )
