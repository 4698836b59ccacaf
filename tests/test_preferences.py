"""Preferences: defaults, limits and persistence."""

from __future__ import annotations

import pytest

from csfacilitator.core import preferences as prefs
from csfacilitator.core.model import Setting
from csfacilitator.errors import UserError

pytestmark = pytest.mark.postgresql_too


def test_defaults_then_stored_values(db):
    assert prefs.get_preference(db, prefs.RETENTION_MONTHS) == 24
    prefs.set_preference(db, prefs.RETENTION_MONTHS, 36)
    prefs.set_preference(db, prefs.IDLE_LOCK_MINUTES, 0)
    assert prefs.get_preference(db, prefs.RETENTION_MONTHS) == 36
    assert prefs.get_preference(db, prefs.IDLE_LOCK_MINUTES) == 0


@pytest.mark.parametrize("value", [-1, 241, "12", True, 2.5])
def test_out_of_range_or_not_a_number_is_refused_plainly(db, value):
    with pytest.raises(UserError, match="must be"):
        prefs.set_preference(db, prefs.RETENTION_MONTHS, value)
    assert prefs.get_preference(db, prefs.RETENTION_MONTHS) == 24


def test_a_damaged_stored_value_falls_back_to_the_default(db):
    with db.session() as s:
        s.add(Setting(key=prefs.BACKUP_MINUTES.key, value="often"))
    assert prefs.get_preference(db, prefs.BACKUP_MINUTES) == 5
