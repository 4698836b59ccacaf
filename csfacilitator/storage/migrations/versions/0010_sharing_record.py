"""The export log becomes the information-sharing record (issue 20): each entry also keeps the
meeting the paper is about, who it was shared with, the lawful basis, the reason and (for
consent) whether consent was given. Entries from before keep "" (not recorded).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Batch mode rebuilds the table from what SQLite reports, which leaves AUTOINCREMENT out.
KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("export_log", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("shared_with", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("basis", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("consent_given", sa.Boolean(), nullable=True))
        batch.create_foreign_key(
            "fk_export_log_meeting_id_meeting",
            "meeting",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_export_log_meeting_id", ["meeting_id"])


def downgrade() -> None:
    with op.batch_alter_table("export_log", table_kwargs=KEEP_IDS) as batch:
        batch.drop_index("ix_export_log_meeting_id")
        batch.drop_constraint("fk_export_log_meeting_id_meeting", type_="foreignkey")
        for column in ("consent_given", "reason", "basis", "shared_with", "meeting_id"):
            batch.drop_column(column)
