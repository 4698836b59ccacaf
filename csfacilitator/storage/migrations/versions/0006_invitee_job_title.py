"""An invitee's job title gets a field of its own, apart from their role at the meeting (chair,
place manager, partner…), so a paper's "Role at the meeting" no longer shows a partner's job.
Existing roles are left as typed: which of them are jobs only the coordinator can tell.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Batch mode rebuilds the table from what SQLite reports, which leaves AUTOINCREMENT out.
KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("invitee", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(sa.Column("job_title", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("invitee", table_kwargs=KEEP_IDS) as batch:
        batch.drop_column("job_title")
