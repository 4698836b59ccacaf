"""Young people's voice (issue 19): per conference, what young people said (in their words, no
names), how, when and by whom it was gathered, the plan need or action it is linked to, and
what was done. A new table, synced like the outcome goals (core/change_log.py installs its
triggers after upgrade); no batch rebuild: AUTOINCREMENT is given directly (ids never reused).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLE = "young_voice"


def _fk(column: str, parent: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=f"fk_{TABLE}_{column}_{parent}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("gathered_on", sa.Date(), nullable=True),
        sa.Column("gathered_by", sa.Text(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("intervention_id", sa.Integer(), nullable=True),
        sa.Column("we_did", sa.Text(), nullable=False),
        _fk("conference_id", "conference", "CASCADE"),
        _fk("need_id", "need", "SET NULL"),
        _fk("intervention_id", "intervention", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sa.UniqueConstraint("uid", name=f"uq_{TABLE}_uid"),
        sqlite_autoincrement=True,
    )
    for column in ("conference_id", "need_id", "intervention_id"):
        op.create_index(f"ix_{TABLE}_{column}", TABLE, [column])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from csfacilitator.core.change_log import trigger_names

        for name in trigger_names(TABLE):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table(TABLE)
