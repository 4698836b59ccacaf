"""Outcome goals and measures (issue 19): per conference a few goals, per goal its measures
(kind, source, baseline) and a measure's value at each review meeting. New tables, synced like
the plan (core/change_log.py installs their triggers after upgrade).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("measure_value", "outcome_measure", "outcome_goal")


def _fk(table: str, column: str, parent: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=f"fk_{table}_{column}_{parent}", ondelete=ondelete
    )


def upgrade() -> None:
    # New tables, no batch rebuild: AUTOINCREMENT is given directly (ids never reused).
    op.create_table(
        "outcome_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        _fk("outcome_goal", "conference_id", "conference", "CASCADE"),
        _fk("outcome_goal", "priority_id", "priority", "SET NULL"),
        _fk("outcome_goal", "need_id", "need", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_outcome_goal"),
        sa.UniqueConstraint("uid", name="uq_outcome_goal_uid"),
        sqlite_autoincrement=True,
    )
    for column in ("conference_id", "priority_id", "need_id"):
        op.create_index(f"ix_outcome_goal_{column}", "outcome_goal", [column])
    op.create_table(
        "outcome_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_text", sa.Text(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        _fk("outcome_measure", "goal_id", "outcome_goal", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_outcome_measure"),
        sa.UniqueConstraint("uid", name="uq_outcome_measure_uid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outcome_measure_goal_id", "outcome_measure", ["goal_id"])
    op.create_table(
        "measure_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("measure_value", "measure_id", "outcome_measure", "CASCADE"),
        _fk("measure_value", "meeting_id", "meeting", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_measure_value"),
        sa.UniqueConstraint("uid", name="uq_measure_value_uid"),
        sa.UniqueConstraint("measure_id", "meeting_id", name="uq_measure_value_measure_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_measure_value_measure_id", "measure_value", ["measure_id"])
    op.create_index("ix_measure_value_meeting_id", "measure_value", ["meeting_id"])


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        if bind.dialect.name == "sqlite":
            from csfacilitator.core.change_log import trigger_names

            for name in trigger_names(table):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        op.drop_table(table)
