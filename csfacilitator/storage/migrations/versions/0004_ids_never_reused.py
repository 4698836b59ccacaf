"""Row ids are never reused: every table with an integer id becomes AUTOINCREMENT.

Without it SQLite hands a deleted row's id to the next new row, so an undo that puts a row
back, or a view still holding the old id, could reach a different row. The tables are
rebuilt in batch mode (SQLite cannot add AUTOINCREMENT in place); data and ids are kept.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Parents first, so a rebuilt child's foreign keys name a table that is already rebuilt.
TABLES = (
    "conference",
    "meeting",
    "agenda_item",
    "assessment_section",
    "invitee",
    "board_point",
    "referral",
    "priority",
    "context_weighting",
    "need",
    "intervention",
    "action_update",
    "export_log",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's sequences never hand out an id twice
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in reversed(TABLES):
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
