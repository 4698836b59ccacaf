from alembic import context

from csfacilitator.core.model import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
    # A batch rebuild drops a table's triggers: put the change log's back (SQLite only).
    from csfacilitator.core.change_log import install_triggers

    install_triggers(connection)
