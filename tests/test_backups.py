"""Automatic backups: made with the backup API, checked and private; thinned Anki-style without
touching anything that is not ours; at start, every few minutes while changed, and on close."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csfacilitator.core import conferences
from csfacilitator.errors import StorageError
from csfacilitator.storage.backup import (
    backup_database,
    file_name,
    list_backups,
    parse_name,
    thin_backups,
)
from csfacilitator.storage.backup_thinning import RECENT_CAP, select_to_keep

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
FIRST_SCHEMA = Path(__file__).parent / "data" / "schema-0001.sqlite3"


@dataclass(frozen=True)
class Fake:
    taken_at: dt.datetime


def every(step: dt.timedelta, span: dt.timedelta, now: dt.datetime = NOW) -> list[Fake]:
    out, moment = [], now
    while now - moment <= span:
        out.append(Fake(moment))
        moment -= step
    return out


# -- thinning, a pure function ---------------------------------------------------------------


def test_nothing_to_keep_from_nothing():
    assert select_to_keep([], NOW) == set()


def test_the_newest_is_kept_however_old():
    lonely = Fake(NOW - dt.timedelta(days=3 * 365))
    older = Fake(NOW - dt.timedelta(days=4 * 365))
    assert select_to_keep([lonely, older], NOW) == {lonely}


def test_a_busy_day_keeps_the_newest_thirty_and_one_per_earlier_day():
    backups = every(dt.timedelta(minutes=5), dt.timedelta(days=2))  # 577 of them
    kept = select_to_keep(backups, NOW)
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    assert set(newest_first[:RECENT_CAP]) <= kept
    extra = kept - set(newest_first[:RECENT_CAP])
    # Beyond the thirty, only the newest of each earlier calendar day survives.
    days = {b.taken_at.date() for b in extra}
    assert len(extra) == len(days) <= 2
    for b in extra:
        same_day = [x for x in backups if x.taken_at.date() == b.taken_at.date()]
        assert b.taken_at == max(x.taken_at for x in same_day)


def test_a_year_of_hourly_backups_thins_to_days_weeks_and_months():
    backups = every(dt.timedelta(hours=1), dt.timedelta(days=500))
    kept = select_to_keep(backups, NOW)
    ages = sorted((NOW - b.taken_at for b in kept), reverse=True)
    assert ages[0] <= dt.timedelta(days=366)  # nothing much beyond a year
    assert ages[0] >= dt.timedelta(days=330)  # but about a year is there
    between = [b for b in kept if dt.timedelta(days=2) < NOW - b.taken_at <= dt.timedelta(days=14)]
    assert len(between) == len({b.taken_at.date() for b in between})  # one a day
    assert len(between) >= 11
    weekly = [b for b in kept if dt.timedelta(days=15) < NOW - b.taken_at <= dt.timedelta(days=60)]
    weeks = {b.taken_at.isocalendar()[:2] for b in weekly}
    assert len(weekly) == len(weeks) and 5 <= len(weeks) <= 8
    monthly = [b for b in kept if NOW - b.taken_at > dt.timedelta(days=62)]
    months = {(b.taken_at.year, b.taken_at.month) for b in monthly}
    assert len(monthly) == len(months) and 9 <= len(months) <= 11
    assert len(kept) <= RECENT_CAP + 14 + 9 + 13


moments = st.lists(
    st.integers(min_value=-60, max_value=800 * 24 * 60).map(
        lambda minutes: Fake(NOW - dt.timedelta(minutes=minutes))
    ),
    max_size=120,
    unique=True,
)


@settings(max_examples=150, deadline=None)
@given(moments, st.integers(min_value=0, max_value=400 * 24))
def test_thinning_keeps_the_newest_and_is_stable(backups, later_hours):
    kept = select_to_keep(backups, NOW)
    assert kept <= set(backups)
    if backups:
        assert max(backups, key=lambda b: b.taken_at) in kept
    assert select_to_keep(kept, NOW) == kept  # thinning twice deletes nothing more
    later = NOW + dt.timedelta(hours=later_hours)
    if kept:
        assert max(kept, key=lambda b: b.taken_at) in select_to_keep(kept, later)


# -- making backups --------------------------------------------------------------------------


def test_a_backup_is_a_checked_private_single_file_holding_uncheckpointed_data(db, paths):
    conferences.create_conference(db, "Still in the WAL")
    # The row is only in the -wal so far: a file copy of the main file would miss it.
    assert Path(f"{paths.database}-wal").stat().st_size > 0
    made = backup_database(paths.database, paths.backups, "manual")
    assert made.parent == paths.backups
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert not list(paths.backups.glob("*.partial"))
    with sqlite3.connect(made) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM conference").fetchall() == [("Still in the WAL",)]
    copy.close()
    taken, reason = parse_name(made)
    assert reason == "manual"
    assert abs(dt.datetime.now(UTC) - taken) < dt.timedelta(minutes=1)


def test_reason_becomes_a_safe_name_and_the_list_is_newest_first(db, paths):
    first = backup_database(paths.database, paths.backups, "Before Something/../odd!")
    second = backup_database(paths.database, paths.backups, "manual")
    assert first.name.endswith("Z-before-something-odd.sqlite3")
    assert [b.path for b in list_backups(paths.backups)] == [second, first]


def test_a_damaged_source_gives_a_plain_error_and_leaves_no_partial_file(paths, tmp_path):
    source = tmp_path / "broken.sqlite3"
    source.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    with pytest.raises(StorageError, match="Could not back up"):
        backup_database(source, paths.backups, "manual")
    assert list(paths.backups.iterdir()) == []


def _fake_backup(folder: Path, taken: dt.datetime, reason: str = "periodic") -> Path:
    path = folder / file_name(taken, reason)
    path.write_bytes(b"")
    return path


def test_thinning_after_a_backup_deletes_only_our_files(db, paths):
    now = dt.datetime.now(UTC)
    old = [_fake_backup(paths.backups, now - dt.timedelta(days=20, hours=h)) for h in range(6)]
    ancient = _fake_backup(paths.backups, now - dt.timedelta(days=900))
    legacy_local = paths.backups / (now - dt.timedelta(days=20, hours=9)).astimezone().strftime(
        "%Y%m%d-%H%M%S-%f-start.sqlite3"
    )
    legacy_local.write_bytes(b"")
    crashed = _fake_backup(paths.backups, now - dt.timedelta(days=2)).rename(
        paths.backups
        / file_name(now - dt.timedelta(days=2), "periodic").replace(".sqlite3", ".partial")
    )
    foreign = [
        paths.backups / "my own copy.sqlite3",
        paths.backups / "my own copy.partial",
        paths.backups / "notes.txt",
        paths.backups / "20200101-000000-000000Z-periodic.sqlite3.keep",
        paths.root / "csfacilitator.sqlite3.corrupt-20200101-000000",
    ]
    for path in foreign:
        path.write_bytes(b"mine")
    made = backup_database(paths.database, paths.backups, "manual")
    assert made.exists()
    survivors = [p for p in old + [legacy_local] if p.exists()]
    assert survivors == [old[0]]  # one for that day: the newest of it
    assert not ancient.exists()
    assert not crashed.exists()  # half written by a crash, days ago
    for path in foreign:
        assert path.read_bytes() == b"mine"


def test_thin_backups_keeps_the_newest_even_if_it_is_years_old(paths):
    paths.backups.mkdir(parents=True)
    only = _fake_backup(paths.backups, dt.datetime.now(UTC) - dt.timedelta(days=1500))
    assert thin_backups(paths.backups) == []
    assert only.exists()


# -- at start, every few minutes, on close ---------------------------------------------------


def _reasons(paths) -> list[str]:
    return [b.reason for b in list_backups(paths.backups)]


@pytest.fixture
def make_window(qtbot):
    from csfacilitator.app import create_window

    windows = []

    def make(paths):
        window = create_window(paths=paths)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def test_start_backs_up_an_existing_database_once(paths):
    from csfacilitator.app import _open_checked
    from csfacilitator.storage import open_database

    _open_checked(paths).close()  # a new database: nothing to back up yet
    assert _reasons(paths) == []
    database = open_database(paths)
    conferences.create_conference(database, "Kept at start")
    database.close()
    _open_checked(paths).close()
    assert _reasons(paths) == ["start"]
    with sqlite3.connect(list_backups(paths.backups)[0].path) as copy:
        assert copy.execute("SELECT title FROM conference").fetchall() == [("Kept at start",)]
    copy.close()


def test_an_upgrade_at_start_is_backed_up_once_before_it(paths):
    from csfacilitator.app import _open_checked

    paths.root.mkdir(parents=True)
    shutil.copy(FIRST_SCHEMA, paths.database)
    _open_checked(paths).close()
    assert _reasons(paths) == ["before-upgrade-from-0001"]


def test_the_staged_start_makes_its_backup_after_opening_and_an_upgrade_before_it(paths):
    """main() passes `later`: the start backup of a current database waits for the worker
    thread (made once, of what was opened); one that is upgraded is still backed up before."""
    from csfacilitator.app import _open_checked
    from csfacilitator.storage import open_database

    database = open_database(paths)
    conferences.create_conference(database, "Kept at start")
    database.close()
    later: list = []
    _open_checked(paths, later=later).close()
    assert _reasons(paths) == [] and len(later) == 1
    later[0]()
    assert _reasons(paths) == ["start"]
    with sqlite3.connect(list_backups(paths.backups)[0].path) as copy:
        assert copy.execute("SELECT title FROM conference").fetchall() == [("Kept at start",)]
    copy.close()
    for side in ("", "-wal", "-shm"):  # an older file in its place: it needs an upgrade
        Path(f"{paths.database}{side}").unlink(missing_ok=True)
    shutil.copy(FIRST_SCHEMA, paths.database)
    later.clear()
    _open_checked(paths, later=later).close()
    assert later == [] and _reasons(paths) == ["before-upgrade-from-0001", "start"]


def test_the_start_backup_waits_for_the_event_loop_then_runs_on_a_worker_thread(qtbot):
    import threading

    from csfacilitator.app import _in_background

    ran: list[str] = []
    worker = _in_background([lambda: ran.append(threading.current_thread().name)])
    assert ran == [] and worker.ident is None  # not before the window is in use
    qtbot.waitUntil(lambda: worker.ident is not None and not worker.is_alive())
    assert ran == ["start-backup"]


@pytest.mark.encrypted_too
def test_timer_backs_up_only_after_a_change_and_follows_the_preference(db, paths, qtbot):
    from csfacilitator.core.preferences import BACKUP_MINUTES, set_preference
    from csfacilitator.gui.backup_timer import BackupTimer

    set_preference(db, BACKUP_MINUTES, 7)
    timer = BackupTimer(db)
    assert timer.interval_ms == 7 * 60_000
    assert timer.backup_if_changed("periodic") is None
    conferences.create_conference(db, "Typed in the meeting")
    assert timer.changed()
    made = []
    timer.made.connect(made.append)
    timer._tick()  # what the QTimer calls
    assert len(made) == 1 and _reasons(paths) == ["periodic"]
    assert not timer.changed()
    timer._tick()
    assert len(made) == 1
    set_preference(db, BACKUP_MINUTES, 12)
    timer._tick()  # the preference write is a change too, so this one backs up
    assert timer.interval_ms == 12 * 60_000


@pytest.mark.encrypted_too
def test_a_failing_backup_is_reported_not_raised(db, paths, qtbot, monkeypatch):
    from csfacilitator.gui.backup_timer import BackupTimer

    timer = BackupTimer(db, start=False)
    conferences.create_conference(db, "Something")

    def full_disk(*_a, **_k):
        raise StorageError("Could not back up the database: disk is full")

    monkeypatch.setattr("csfacilitator.gui.backup_timer.backup_database", full_disk)
    with qtbot.waitSignal(timer.failed) as blocker:
        assert timer.backup_if_changed("periodic") is None
    assert "disk is full" in blocker.args[0]
    assert timer.changed()  # it will try again next time


def test_closing_backs_up_what_changed_and_nothing_otherwise(paths, make_window):
    window = make_window(paths)
    window.new_conference()
    window.close()
    assert _reasons(paths) == ["close"]
    with sqlite3.connect(list_backups(paths.backups)[0].path) as copy:
        assert copy.execute("SELECT title FROM conference").fetchall() == [("New conference",)]
    copy.close()
    second = make_window(paths)
    assert _reasons(paths) == ["start", "close"]
    second.close()  # nothing changed since the start backup
    assert _reasons(paths) == ["start", "close"]
