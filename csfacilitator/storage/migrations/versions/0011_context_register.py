"""The context register (issue 20): what a conference's context is also called and its map
reference (context_entry), and links between related conferences (conference_link). New
tables, no batch rebuild: AUTOINCREMENT is given directly (ids never reused).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "context_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("map_ref", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_context_entry_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_entry")),
        sa.UniqueConstraint("conference_id", name=op.f("uq_context_entry_conference_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "conference_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_conference_link_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_id"],
            ["conference.id"],
            name=op.f("fk_conference_link_related_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_link")),
        sa.UniqueConstraint(
            "conference_id", "related_id", name=op.f("uq_conference_link_conference_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_conference_link_conference_id"), "conference_link", ["conference_id"])
    op.create_index(op.f("ix_conference_link_related_id"), "conference_link", ["related_id"])


def downgrade() -> None:
    op.drop_table("conference_link")
    op.drop_table("context_entry")
