"""What the window's team pages read from the team store (issue 18), through the login's own
engine, so the server's row-level security decides the rows: the manager's *Team* page (every
conference with its coordinators, status, next review and overdue actions, and each member's
caseload) and a conference's *History* (the audit trail). The rules are the home page's own
(core/dashboard.py, core/conferences.py) run on `team_store.TeamReader`; this module only
puts them together and writes the CSV files. No Qt."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from csfacilitator.core.formula_guard import guard_formula
from csfacilitator.core.textclean import clean_text


@dataclass(frozen=True)
class TeamConference:
    uid: str
    title: str
    status: str  # the words (vocab label)
    coordinators: str  # the conference's coordinators, as typed on its Overview
    shared_with: tuple[str, ...]  # the logins it is shared with on the team store
    next_review: dt.date | None
    overdue_actions: int


@dataclass(frozen=True)
class Caseload:
    login: str
    role: str  # the words: "coordinator", "team manager", "read-only"
    open_conferences: int


@dataclass(frozen=True)
class TeamOverview:
    login: str
    role: str | None  # 'coordinator' | 'manager' | 'readonly' | None
    conferences: tuple[TeamConference, ...]
    caseloads: tuple[Caseload, ...]


def login_role(engine: Engine) -> tuple[str, str | None]:
    """(login, role) of the engine's login on the team store (team_security decides)."""
    from csfacilitator.storage import team_security, team_store

    with team_store.classified(engine), engine.connect() as conn:
        login = conn.execute(text("SELECT session_user")).scalar() or ""
        return str(login), team_security.role_of(conn)


def team_overview(engine: Engine, today: dt.date | None = None) -> TeamOverview:
    """Every conference this login may read on the team store (a manager: all of them)."""
    from csfacilitator.core import conferences, dashboard, vocab
    from csfacilitator.storage import team_security, team_store

    today = today or dt.date.today()
    reader = team_store.TeamReader(engine)
    rows = conferences.list_conferences(reader)
    overdue = dashboard.overdue_counts(reader, today)
    with reader.read_session() as s:
        conn = s.connection()
        login = str(conn.execute(text("SELECT session_user")).scalar() or "")
        role = team_security.role_of(conn)
        extra = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                text("SELECT id, uid, coordinator_1, coordinator_2 FROM conference")
            )
        }
        shares: dict[str, list[str]] = {}
        for uid, who in conn.execute(
            text("SELECT conference_uid, login::text FROM team_share ORDER BY login")
        ):
            shares.setdefault(uid, []).append(who)
        loads = team_security.caseloads(conn)
    found = []
    for row in sorted(rows, key=lambda r: r.title.casefold()):
        uid, first, second = extra.get(row.id, ("", "", ""))
        found.append(
            TeamConference(
                uid=uid,
                title=row.title,
                status=vocab.label(vocab.STATUSES, row.status),
                coordinators=", ".join(n for n in (first, second) if n),
                shared_with=tuple(shares.get(uid, ())),
                next_review=row.next_review_date,
                overdue_actions=overdue.get(row.id, 0),
            )
        )
    caseloads = tuple(
        Caseload(c.login, team_security.ROLE_LABELS.get(c.role, c.role), c.open_conferences)
        for c in loads
    )
    return TeamOverview(login, role, tuple(found), caseloads)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a conference's history: who changed what, when (UTC)."""

    at: str  # "2026-12-07 10:42:05 UTC"
    who: str
    action: str  # "added", "changed", "deleted"
    entity: str
    field: str
    old: str
    new: str


_ACTIONS = {"insert": "added", "update": "changed", "delete": "deleted"}


def conference_history(engine: Engine, conference_uid: str) -> list[HistoryEntry]:
    """The team store's audit trail for one conference (what `team audit CONF` prints), a
    line per field changed. Deleted text is not kept, so a deletion is one line."""
    from csfacilitator.storage import team_security, team_store

    with team_store.classified(engine), engine.connect() as conn:
        entries = team_security.audit_entries(conn, conference_uid)
    out = []
    for entry in entries:
        when = entry.at.replace("T", " ")[:19] + " UTC"
        action = _ACTIONS.get(entry.action, entry.action)
        entity = entry.entity.replace("_", " ")
        fields = entry.fields()
        if entry.action == "delete" or not fields:
            note = "(its text is not kept)" if entry.action == "delete" else "(values not kept)"
            out.append(HistoryEntry(when, entry.who, action, entity, "", "", note))
            continue
        for name, old, new in fields:
            out.append(
                HistoryEntry(
                    when,
                    entry.who,
                    action,
                    entity,
                    name.replace("_", " "),
                    "" if entry.action == "insert" else _shown(old),
                    _shown(new),
                )
            )
    return out


def _shown(value: object) -> str:
    return "" if value is None else str(value)


# --- CSV -----------------------------------------------------------------------------------

CONFERENCE_COLUMNS = (
    "Conference",
    "Status",
    "Coordinators",
    "Shared with",
    "Next review",
    "Overdue actions",
)
CASELOAD_COLUMNS = ("Member", "Role", "Open conferences")
HISTORY_COLUMNS = ("When (UTC)", "Who", "Action", "What", "Field", "Was", "Now")


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def conference_rows(view: TeamOverview) -> list[tuple]:
    return [
        (
            c.title,
            c.status,
            c.coordinators,
            ", ".join(c.shared_with),
            _date(c.next_review),
            c.overdue_actions,
        )
        for c in view.conferences
    ]


def caseload_rows(view: TeamOverview) -> list[tuple]:
    return [(c.login, c.role, c.open_conferences) for c in view.caseloads]


def history_rows(entries: Iterable[HistoryEntry]) -> list[tuple]:
    return [(e.at, e.who, e.action, e.entity, e.field, e.old, e.new) for e in entries]


def csv_bytes(*tables: tuple[tuple[str, ...], list[tuple]]) -> bytes:
    """UTF-8 with BOM and CRLF (what Excel reads), every cell guarded against formulas; several
    tables are separated by an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, (columns, rows) in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow(columns)
        for row in rows:
            writer.writerow([guard_formula(clean_text(str(cell))) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def save_csv(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write atomically and private (0600); ".csv" added if missing."""
    from csfacilitator.atomic_file import write_atomic

    target = Path(path)
    if target.suffix.lower() != ".csv":
        target = target.with_name(target.name + ".csv")
    return write_atomic(data, target, kind="CSV file")


def save_team_csv(view: TeamOverview, path: str | os.PathLike[str]) -> Path:
    return save_csv(
        csv_bytes(
            (CONFERENCE_COLUMNS, conference_rows(view)), (CASELOAD_COLUMNS, caseload_rows(view))
        ),
        path,
    )


def save_history_csv(entries: Iterable[HistoryEntry], path: str | os.PathLike[str]) -> Path:
    return save_csv(csv_bytes((HISTORY_COLUMNS, history_rows(entries))), path)
