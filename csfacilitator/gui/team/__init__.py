"""The team store in the window (issues 17 and 18): Team menu, sync status line, conflicts,
sharing, a conference's history and the manager's Team page. Everything here calls the
core (core/sync, core/team_view, storage/team_store); nothing is decided twice."""

from csfacilitator.gui.team.controller import TeamController

__all__ = ["TeamController"]
