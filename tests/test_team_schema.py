"""The team store's schema on PostgreSQL is the models' schema, made by the same migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from csfacilitator.storage import team_store
from csfacilitator.storage.schema_version import HEAD


def _differences(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from csfacilitator.core.model import Base
    from csfacilitator.storage.team_security import OWN_TABLES

    def model_tables_only(name, type_, parent_names):
        # The team's own tables (shares, audit: storage/team_security.py) are not models.
        return not (type_ == "table" and name in OWN_TABLES)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": model_tables_only},
        )
        return compare_metadata(context, Base.metadata)


def test_migrations_on_postgresql_produce_exactly_the_model(team_url_empty):
    assert team_store.init_team_store(team_url_empty) == HEAD
    engine = create_engine(team_url_empty)
    try:
        assert _differences(engine) == []
        with engine.connect() as connection:
            assert (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            )
        # The comparison is not vacuous: every model table is there, with its foreign keys.
        from csfacilitator.core.model import Base

        inspector = inspect(engine)
        assert set(Base.metadata.tables) <= set(inspector.get_table_names())
        fks = {fk["name"] for fk in inspector.get_foreign_keys("agenda_item")}
        assert "fk_agenda_item_meeting_id_meeting" in fks
    finally:
        engine.dispose()


def test_the_comparison_sees_a_difference(team_url):
    """A column dropped behind the migrations' back is reported, so [] above means equal."""
    engine = create_engine(team_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE invitee ALTER COLUMN notes DROP NOT NULL"))
            connection.execute(text("DROP INDEX ix_need_conference_id"))
        found = _differences(engine)
        kinds = {str(d[0][0]) if isinstance(d, list) else d[0] for d in found}
        assert "modify_nullable" in kinds and "add_index" in kinds, found
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", ["0001", "0003"])
def test_each_migration_runs_on_postgresql_one_step_at_a_time(team_url_empty, revision):
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    engine = team_store.make_team_engine(team_url_empty)
    try:
        upgrade_to_head(engine, revision)
        upgrade_to_head(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()
