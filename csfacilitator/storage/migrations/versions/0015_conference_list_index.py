"""An index for the conference list's order, newest change first (issue 14): the home page
reads the first page of 10,000 conferences without sorting them all.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_conference_newest_first", "conference", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_conference_newest_first", table_name="conference")
