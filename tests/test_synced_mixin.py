"""The `Synced` mixin (core/model.py) gives every synced table the uid column the migrations
made, in the same place, and is the one list of which tables sync."""

from __future__ import annotations

from sqlalchemy import String

from csfacilitator.core.change_log import SYNCED
from csfacilitator.core.model import Base, new_uid, synced_tables


def test_the_mixin_lists_exactly_the_tables_change_log_syncs():
    assert synced_tables() == set(SYNCED)


def test_every_synced_uid_is_a_unique_required_string_of_36():
    for name in synced_tables():
        uid = Base.metadata.tables[name].c.uid
        assert isinstance(uid.type, String) and uid.type.length == 36, name
        assert uid.unique and not uid.nullable, name
        assert uid.default is not None and uid.default.is_callable, name
    # Random unless the row is named by its natural key.
    assert Base.metadata.tables["need"].c.uid.default.arg.__wrapped__ is new_uid


def test_migrated_synced_tables_have_the_uid_the_model_describes(db):
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            info = connection.exec_driver_sql(f"PRAGMA table_info({table.name})").all()
            if table.name in SYNCED:
                names = [row[1] for row in info]
                model = [c.name for c in table.columns]
                assert ("id" in names) == ("id" in model), table.name
                if "id" in model:
                    assert names.index("id") == model.index("id") == 0, table.name
                uid = next(row for row in info if row[1] == "uid")
                assert (uid[2], uid[3]) == ("VARCHAR(36)", 1), table.name
                uniques = [
                    row[1]
                    for row in connection.exec_driver_sql(f"PRAGMA index_list({table.name})")
                    if row[2]
                ]
                cols = {
                    index: [
                        r[2] for r in connection.exec_driver_sql(f"PRAGMA index_info('{index}')")
                    ]
                    for index in uniques
                }
                assert ["uid"] in cols.values(), table.name
