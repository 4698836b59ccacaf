"""The context register syncs (issue 20): a conference's context entry (other names, map
reference) and the links between conferences get uids, named by what they are so that two
laptops that make the same one offline hold one row when they sync: a context entry by its
conference (one each), a link by its two conferences in either order. A link is kept in one
direction, from the conference with the smaller uid (either way round means the same link),
so those two laptops' rows agree field by field too. core/change_log.py installs their
triggers after upgrade.

Revision ID: 0014
Revises: 0013
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Batch mode rebuilds the table from what SQLite reports, which leaves AUTOINCREMENT out.
KEEP_IDS = {"sqlite_autoincrement": True}
TABLES = ("context_entry", "conference_link")
NAMESPACE = uuid.UUID("5b0c7f1e-2f43-4c1a-9d0e-6f1f3c2a9b71")  # model.NATURAL_KEY_NAMESPACE


def _natural(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _fill(bind, table: str) -> None:
    if table == "context_entry":
        rows = bind.execute(
            sa.text(
                "SELECT e.id, c.uid FROM context_entry e JOIN conference c "
                "ON c.id = e.conference_id"
            )
        ).all()
        values = [{"k": r[0], "u": _natural(r[1], "context")} for r in rows]
        if values:
            bind.execute(sa.text("UPDATE context_entry SET uid = :u WHERE id = :k"), values)
        return
    rows = bind.execute(
        sa.text(
            "SELECT l.id, a.uid, b.uid FROM conference_link l "
            "JOIN conference a ON a.id = l.conference_id "
            "JOIN conference b ON b.id = l.related_id"
        )
    ).all()
    values = [{"k": r[0], "u": _natural("link", *sorted((r[1], r[2])))} for r in rows]
    swap = [{"k": r[0]} for r in rows if r[1] > r[2]]
    if values:
        bind.execute(sa.text("UPDATE conference_link SET uid = :u WHERE id = :k"), values)
    if swap:
        bind.execute(
            sa.text(
                "UPDATE conference_link SET conference_id = related_id, "
                "related_id = conference_id WHERE id = :k"
            ),
            swap,
        )


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table, table_kwargs=KEEP_IDS) as batch:
            batch.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        _fill(bind, table)
        with op.batch_alter_table(table, table_kwargs=KEEP_IDS) as batch:
            batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch.create_unique_constraint(op.f(f"uq_{table}_uid"), ["uid"])


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        if bind.dialect.name == "sqlite":
            from csfacilitator.core.change_log import trigger_names

            for name in trigger_names(table):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        with op.batch_alter_table(table, table_kwargs=KEEP_IDS) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_uid"), type_="unique")
            batch.drop_column("uid")
