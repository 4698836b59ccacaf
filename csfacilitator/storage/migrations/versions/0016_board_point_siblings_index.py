"""An index on a board point's place among its siblings (issue 14): each Enter counts the
column's top-level points, and with 2,000 on a board that count read every point of the
meeting instead of a range of one index.

Revision ID: 0016
Revises: 0015
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_board_point_siblings", "board_point", ["meeting_id", "column", "parent_id", "position"]
    )


def downgrade() -> None:
    op.drop_index("ix_board_point_siblings", table_name="board_point")
