"""A partner's disagreement with a decision, recorded at the meeting (issue 20): a new table,
synced like the meeting it belongs to (core/change_log.py installs its triggers after upgrade).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table, no batch rebuild: AUTOINCREMENT is given directly (ids never reused).
    op.create_table(
        "dissent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("invitee_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_dissent_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitee_id"],
            ["invitee.id"],
            name=op.f("fk_dissent_invitee_id_invitee"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_dissent_agenda_item_id_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dissent")),
        sa.UniqueConstraint("uid", name=op.f("uq_dissent_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_dissent_meeting_id"), "dissent", ["meeting_id"])
    op.create_index(op.f("ix_dissent_invitee_id"), "dissent", ["invitee_id"])
    op.create_index(op.f("ix_dissent_agenda_item_id"), "dissent", ["agenda_item_id"])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from csfacilitator.core.change_log import trigger_names

        for name in trigger_names("dissent"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("dissent")
