"""Stable identities and the change log, for syncing with a team store (docs/sync.md).

Every synced row gets a uid (the conference had one already): a random uuid, except an
assessment section (named by its conference and key) and an attendance (by its invitee and
meeting), whose uid every laptop derives alike (model.natural_uid). Integer ids stay local.
New tables: the laptop's change log, its sync state (device id, clock, pull cursor), its
shared conferences and open conflicts; and the team store's change table (empty on a laptop).
On SQLite the change-log triggers are installed last (core/change_log.py).

Revision ID: 0007
Revises: 0006
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Batch mode rebuilds the table from what SQLite reports, which leaves AUTOINCREMENT out.
KEEP_IDS = {"sqlite_autoincrement": True}
# Parents first (a section's and an attendance's uid is made from their parents').
TABLES = (
    "meeting",
    "agenda_item",
    "invitee",
    "board_point",
    "referral",
    "priority",
    "context_weighting",
    "need",
    "intervention",
    "action_update",
    "assessment_section",
    "attendance",
)
NAMESPACE = uuid.UUID("5b0c7f1e-2f43-4c1a-9d0e-6f1f3c2a9b71")  # model.NATURAL_KEY_NAMESPACE


def _natural(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _kwargs(table):
    return {} if table == "attendance" else {"table_kwargs": KEEP_IDS}


def _fill(bind, table) -> None:
    if table == "assessment_section":
        rows = bind.execute(
            sa.text(
                "SELECT s.id, c.uid, s.key FROM assessment_section s "
                "JOIN conference c ON c.id = s.conference_id"
            )
        ).all()
        values = [{"k": r[0], "u": _natural(r[1], "section", r[2])} for r in rows]
        statement = "UPDATE assessment_section SET uid = :u WHERE id = :k"
    elif table == "attendance":
        rows = bind.execute(
            sa.text(
                "SELECT a.invitee_id, a.meeting_id, i.uid, m.uid FROM attendance a "
                "JOIN invitee i ON i.id = a.invitee_id JOIN meeting m ON m.id = a.meeting_id"
            )
        ).all()
        values = [{"i": r[0], "m": r[1], "u": _natural(r[2], r[3])} for r in rows]
        statement = "UPDATE attendance SET uid = :u WHERE invitee_id = :i AND meeting_id = :m"
    else:
        ids = bind.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
        values = [{"k": k, "u": str(uuid.uuid4())} for k in ids]
        statement = f"UPDATE {table} SET uid = :u WHERE id = :k"
    if values:
        bind.execute(sa.text(statement), values)


def _log_columns():
    return [
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_uid", sa.String(length=36), nullable=False),
        sa.Column("conference_uid", sa.String(length=36), nullable=True),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table, **_kwargs(table)) as batch:
            batch.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        _fill(bind, table)
        with op.batch_alter_table(table, **_kwargs(table)) as batch:
            batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch.create_unique_constraint(op.f(f"uq_{table}_uid"), ["uid"])

    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), nullable=False),
        *_log_columns(),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sa.UniqueConstraint("change_id", name=op.f("uq_change_log_change_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_change_log_row_uid"), "change_log", ["row_uid"])
    op.create_index(op.f("ix_change_log_conference_uid"), "change_log", ["conference_uid"])

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("clock", sa.BigInteger(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("applying", sa.Boolean(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_share",
        sa.Column("conference_uid", sa.String(length=36), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conference_uid", name=op.f("pk_sync_share")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_uid", sa.String(length=36), nullable=False),
        sa.Column("conference_uid", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("base_value", sa.Text(), nullable=True),
        sa.Column("theirs_value", sa.Text(), nullable=True),
        sa.Column("theirs_person", sa.Text(), nullable=False),
        sa.Column("theirs_hlc", sa.BigInteger(), nullable=False),
        sa.Column("mine_person", sa.Text(), nullable=False),
        sa.Column("mine_hlc", sa.BigInteger(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("row_uid", "field", name=op.f("uq_sync_conflict_row_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_sync_conflict_row_uid"), "sync_conflict", ["row_uid"])
    op.create_index(op.f("ix_sync_conflict_conference_uid"), "sync_conflict", ["conference_uid"])

    op.create_table(
        "team_change",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        *_log_columns(),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_team_change")),
        sa.UniqueConstraint("change_id", name=op.f("uq_team_change_change_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_team_change_row_uid"), "team_change", ["row_uid"])
    op.create_index(op.f("ix_team_change_conference_uid"), "team_change", ["conference_uid"])

    if bind.dialect.name == "sqlite":
        bind.execute(
            sa.text(
                "INSERT INTO sync_state (id, device, person, clock, cursor, applying) "
                "VALUES (1, :d, '', 0, 0, 0)"
            ),
            {"d": str(uuid.uuid4())},
        )
        from csfacilitator.core.change_log import install_triggers

        install_triggers(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from csfacilitator.core.change_log import SYNCED, trigger_names

        for table in SYNCED:
            for name in trigger_names(table):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("team_change", "sync_conflict", "sync_share", "sync_state", "change_log"):
        op.drop_table(table)
    for table in reversed(TABLES):
        with op.batch_alter_table(table, **_kwargs(table)) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_uid"), type_="unique")
            batch.drop_column("uid")
