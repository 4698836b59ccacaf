"""Priorities and the context weighting picture, meeting purpose and decisions, closing
outcomes, retention hold, invitation wording, drafts and the export log.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("focus", sa.Boolean(), nullable=False),
        _fk("priority", "conference_id", "conference", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority")),
    )
    op.create_index(op.f("ix_priority_conference_id"), "priority", ["conference_id"], unique=False)
    op.create_table(
        "context_weighting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("context_weighting", "conference_id", "conference", "CASCADE"),
        _fk("context_weighting", "meeting_id", "meeting", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_weighting")),
    )
    op.create_index(
        op.f("ix_context_weighting_conference_id"),
        "context_weighting",
        ["conference_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_context_weighting_meeting_id"), "context_weighting", ["meeting_id"], unique=False
    )
    op.create_table(
        "draft",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("draft", "conference_id", "conference", "CASCADE"),
        sa.PrimaryKeyConstraint("conference_id", "key", name=op.f("pk_draft")),
    )
    op.create_table(
        "export_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        _fk("export_log", "conference_id", "conference", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_log")),
    )
    op.create_index(
        op.f("ix_export_log_conference_id"), "export_log", ["conference_id"], unique=False
    )
    with op.batch_alter_table("conference") as batch:
        for name in ("invitation_template", "outcome_summary", "outcome_measures"):
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("partner_feedback", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("purpose", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("decisions", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("need") as batch:
        batch.add_column(sa.Column("priority_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_need_priority_id_priority"),
            "priority",
            ["priority_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("need") as batch:
        batch.drop_constraint(op.f("fk_need_priority_id_priority"), type_="foreignkey")
        batch.drop_column("priority_id")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("decisions")
        batch.drop_column("purpose")
    with op.batch_alter_table("conference") as batch:
        for name in (
            "legal_hold",
            "closed_on",
            "partner_feedback",
            "outcome_measures",
            "outcome_summary",
            "invitation_template",
        ):
            batch.drop_column(name)
    for table in ("export_log", "draft", "context_weighting", "priority"):
        op.drop_table(table)
