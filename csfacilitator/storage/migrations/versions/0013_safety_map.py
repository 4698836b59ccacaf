"""The safety map (issue 19): a conference's map picture (one row, the image as a BLOB), its
mapping sessions and their marks (pins and areas rated safe, unsafe or mixed). New tables,
synced like the plan (core/change_log.py installs their triggers after upgrade; the image
travels in the log as hex, see core/change_log.py).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("safety_mark", "safety_map_session", "safety_map")


def _fk(table: str, column: str, parent: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=f"fk_{table}_{column}_{parent}", ondelete=ondelete
    )


def upgrade() -> None:
    # New tables, no batch rebuild: AUTOINCREMENT is given directly (ids never reused).
    op.create_table(
        "safety_map",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("image_type", sa.String(length=10), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        _fk("safety_map", "conference_id", "conference", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_safety_map"),
        sa.UniqueConstraint("uid", name="uq_safety_map_uid"),
        sa.UniqueConstraint("conference_id", name="uq_safety_map_conference_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "safety_map_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        _fk("safety_map_session", "conference_id", "conference", "CASCADE"),
        _fk("safety_map_session", "meeting_id", "meeting", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_safety_map_session"),
        sa.UniqueConstraint("uid", name="uq_safety_map_session_uid"),
        sqlite_autoincrement=True,
    )
    for column in ("conference_id", "meeting_id"):
        op.create_index(f"ix_safety_map_session_{column}", "safety_map_session", [column])
    op.create_table(
        "safety_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shape", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=False),
        sa.Column("time_of_day", sa.String(length=20), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("safety_mark", "session_id", "safety_map_session", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_safety_mark"),
        sa.UniqueConstraint("uid", name="uq_safety_mark_uid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_safety_mark_session_id", "safety_mark", ["session_id"])


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        if bind.dialect.name == "sqlite":
            from csfacilitator.core.change_log import trigger_names

            for name in trigger_names(table):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        op.drop_table(table)
