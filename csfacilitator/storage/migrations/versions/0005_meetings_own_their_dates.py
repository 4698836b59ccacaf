"""Each date, time and venue lives on its meeting only: the conference's copies of the venue,
pre-meeting date, conference date and next review date go, after being carried to the
meetings. Where a copy disagreed with its meeting, the meeting's value is kept and the other
is written into the conference's new Notes, so no date is lost. The coordinators' contact
details (for the invitation letters) get a field of their own, and the export log records
when a document was written although points were flagged as personal details.

Revision ID: 0005
Revises: 0004
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MOVED = ("venue", "pre_meeting_date", "conference_date", "next_review_date")
REVIEW_AGENDA = (
    ("Introduction and aim of the review", "Chair"),
    ("Progress on each action", "Lead practitioner"),
    ("What has changed in the context", ""),
    ("Current concerns and strengths", ""),
    ("Updated plan and next review", "Chair"),
)
# Batch mode rebuilds the table from what SQLite reports, which leaves AUTOINCREMENT out.
KEEP_IDS = {"sqlite_autoincrement": True}
LABELS = {
    "venue": "venue",
    "pre_meeting_date": "pre-meeting date",
    "conference_date": "conference date",
    "next_review_date": "next review date",
}


def _text(value) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    with op.batch_alter_table("conference", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("coordinator_contact", sa.Text(), nullable=False, server_default="")
        )
    bind = op.get_bind()
    conferences = bind.execute(
        sa.text(
            "SELECT id, venue, pre_meeting_date, conference_date, next_review_date FROM conference"
        )
    ).mappings().all()
    for conference in conferences:
        _carry(bind, dict(conference))
    with op.batch_alter_table("conference", table_kwargs=KEEP_IDS) as batch:
        for column in MOVED:
            batch.drop_column(column)
    with op.batch_alter_table("export_log", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(
            sa.Column("flags_allowed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def _meetings(bind, conference_id):
    return bind.execute(
        sa.text(
            "SELECT m.id, m.kind, m.date, m.venue, m.started_at, "
            "EXISTS (SELECT 1 FROM action_update u WHERE u.meeting_id = m.id) AS has_updates "
            "FROM meeting m WHERE m.conference_id = :c ORDER BY m.id"
        ),
        {"c": conference_id},
    ).mappings().all()


def _add_meeting(bind, conference_id, kind, date, venue) -> None:
    result = bind.execute(
        sa.text(
            "INSERT INTO meeting (conference_id, kind, date, venue, purpose, decisions) "
            "VALUES (:c, :k, :d, :v, '', '')"
        ),
        {"c": conference_id, "k": kind, "d": date, "v": venue},
    )
    if kind == "review":
        for position, (title, lead) in enumerate(REVIEW_AGENDA):
            bind.execute(
                sa.text(
                    "INSERT INTO agenda_item (meeting_id, position, title, lead) "
                    "VALUES (:m, :p, :t, :l)"
                ),
                {"m": result.lastrowid, "p": position, "t": title, "l": lead},
            )


def _carry(bind, conference) -> None:
    cid = conference["id"]
    notes: list[str] = []

    def settle(meeting, column, field, value):
        """Give the meeting the conference's value if it has none; note a disagreement."""
        if value in (None, ""):
            return
        current = meeting[column]
        if column == "date":
            current = _date(current)
            value = _date(value)
        if current in (None, ""):
            bind.execute(
                sa.text(f"UPDATE meeting SET {column} = :v WHERE id = :id"),
                {"v": value, "id": meeting["id"]},
            )
        elif current != value:
            notes.append(
                f"The Overview gave the {LABELS[field]} as {_text(value)}; the meeting's "
                f"{_text(current)} was kept."
            )

    meetings = _meetings(bind, cid)
    main = next((m for m in meetings if m["kind"] == "conference"), None)
    if main is None:
        _add_meeting(bind, cid, "conference", _date(conference["conference_date"]), conference["venue"] or "")
    else:
        settle(main, "date", "conference_date", conference["conference_date"])
        settle(main, "venue", "venue", conference["venue"])
    venue = (main["venue"] if main is not None and main["venue"] else conference["venue"]) or ""

    pre = next((m for m in meetings if m["kind"] == "pre_meeting"), None)
    if pre is not None:
        settle(pre, "date", "pre_meeting_date", conference["pre_meeting_date"])
    elif conference["pre_meeting_date"] is not None:
        _add_meeting(bind, cid, "pre_meeting", _date(conference["pre_meeting_date"]), venue)

    wanted = _date(conference["next_review_date"])
    if wanted is not None:
        waiting = [
            m
            for m in meetings
            if m["kind"] == "review" and m["started_at"] is None and not m["has_updates"]
        ]
        dated = sorted((m for m in waiting if m["date"] is not None), key=lambda m: (_date(m["date"]), m["id"]))
        review = dated[0] if dated else (waiting[0] if waiting else None)
        if review is not None:
            settle(review, "date", "next_review_date", wanted)
        else:
            _add_meeting(bind, cid, "review", wanted, venue)

    if notes:
        bind.execute(
            sa.text("UPDATE conference SET notes = :n WHERE id = :id"),
            {"n": "\n".join(notes), "id": cid},
        )


def downgrade() -> None:
    with op.batch_alter_table("export_log", table_kwargs=KEEP_IDS) as batch:
        batch.drop_column("flags_allowed")
    with op.batch_alter_table("conference", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(sa.Column("venue", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("pre_meeting_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("conference_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("next_review_date", sa.Date(), nullable=True))
        batch.drop_column("notes")
        batch.drop_column("coordinator_contact")
