"""A database whose header is damaged can still be restored (issue 11, item 9), and the
messages about damage are short and reach the user (item 11)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from csfacilitator.core import conferences
from csfacilitator.errors import DatabaseCorrupt
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.storage.backup import backup_database
from csfacilitator.storage.file_kind import FileKind, file_kind
from csfacilitator.storage.recovery import pending_damage
from tests.harness.cli_runner import run_cli

SAVED = ["Kestrel Parade", "Mill Road underpass"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _titles(paths) -> list[str]:
    database = open_database(resolve(paths.root))
    try:
        return sorted(c.title for c in conferences.list_conferences(database))
    finally:
        database.close()


def _backed_up_then(paths, damage: str, templates) -> None:
    templates.seed(paths)  # a migrated database, copied (migrating is not what is tested)
    database = open_database(paths)
    for title in SAVED:
        conferences.create_conference(database, title)
    database.close()
    backup_database(paths.database, paths.backups, "close")
    data = bytearray(paths.database.read_bytes())
    if damage == "zeroed":  # the header wiped (a torn first-page write)
        data[:100] = bytes(100)
    elif damage == "noise":  # the first kilobyte overwritten with random bytes
        data[:1024] = os.urandom(1024)
    paths.database.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["zeroed", "noise"])
def test_a_damaged_header_is_damage_not_encryption(paths, damage, templates):
    _backed_up_then(paths, damage, templates)
    assert file_kind(paths.database) is FileKind.DAMAGED
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        open_database(paths)  # not PassphraseRequired: there is no passphrase to ask


@pytest.mark.parametrize("damage", ["zeroed", "noise"])
def test_restore_latest_works_without_opening_the_damaged_file(tmp_path, damage, templates):
    paths = resolve(tmp_path / "d")
    _backed_up_then(paths, damage, templates)
    damaged = _digest(paths.database)
    # No passphrase in the environment and no terminal: a passphrase prompt would fail.
    result = run_cli("restore", "--latest", data_dir=paths.root)
    assert result.returncode == 0, result.stderr
    assert "2 conferences" in result.stdout
    aside = next(paths.root.glob("csfacilitator.sqlite3.corrupt-*[0-9]"))
    assert _digest(aside) == damaged
    assert _titles(paths) == SAVED


def test_the_app_reaches_its_restore_offer_without_asking_a_passphrase(
    qtbot, paths, monkeypatch, templates
):
    from csfacilitator import app
    from csfacilitator.gui.dialogs import passphrase_dialog, restore_dialog

    _backed_up_then(paths, "noise", templates)
    offered = []

    def choose(damage, newest, *_a, **_k):
        offered.append((damage, newest))
        return "restore"

    monkeypatch.setattr(restore_dialog, "ask_after_damage", choose)
    monkeypatch.setattr(
        passphrase_dialog, "startup_passphrase", lambda *_a: pytest.fail("asked a passphrase")
    )
    from csfacilitator.gui.dialogs import crash_dialog

    monkeypatch.setattr(app, "_application", lambda: None)
    monkeypatch.setattr(crash_dialog, "install_excepthook", lambda *_a: None)
    started = []

    def create_window(**kwargs):
        started.append(kwargs)
        raise app.StartCancelled  # stop before showing a window

    monkeypatch.setattr(app, "create_window", create_window)
    assert app.main(paths=paths) == 2
    assert started and started[0]["passphrase"] is None
    database = app._open_checked(paths, None)  # what create_window does next
    database.close()
    assert offered and offered[0][1] is not None  # the newest good backup was offered
    assert _titles(paths) == SAVED


def test_damage_is_reported_in_one_short_line(tmp_path, templates):
    paths = resolve(tmp_path / "d")
    templates.seed(paths)  # a migrated database, copied
    database = open_database(paths)
    for i in range(40):
        conferences.create_conference(database, f"Work {i} " + "x" * 600)
    database.close()
    # Damage the free-space pointer of every b-tree page: quick_check then reports one line
    # per page (dozens), which used to be the message.
    data = bytearray(paths.database.read_bytes())
    for page in range(2, len(data) // 4096):
        if data[page * 4096] in (0x02, 0x05, 0x0A, 0x0D):  # a b-tree page
            data[page * 4096 + 5] = 0xFF
    paths.database.write_bytes(bytes(data))
    result = run_cli("list", data_dir=paths.root)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "damaged" in lines[0] and len(lines[0]) < 400


def test_a_damaged_database_set_aside_by_a_command_is_told_at_the_next_start(
    tmp_path, monkeypatch, templates
):
    from csfacilitator import app
    from csfacilitator.gui.dialogs import restore_dialog

    paths = resolve(tmp_path / "d")
    _backed_up_then(paths, "zeroed", templates)
    result = run_cli("list", data_dir=paths.root)
    assert result.returncode == 2 and "kept aside" in result.stderr
    assert not paths.database.exists()
    offered = []
    monkeypatch.setattr(
        restore_dialog, "ask_after_damage", lambda d, n, *_a, **_k: offered.append(d) or "quit"
    )
    with pytest.raises(app.StartCancelled):
        app._open_checked(paths)
    assert offered and offered[0].set_aside.exists()  # told, and asked again next time
    monkeypatch.setattr(
        restore_dialog, "ask_after_damage", lambda d, n, *_a, **_k: offered.append(d) or "restore"
    )
    app._open_checked(paths).close()
    assert len(offered) == 2
    assert _titles(paths) == SAVED
    assert pending_damage(paths) is None  # told once
    app._open_checked(paths).close()
    assert len(offered) == 2


def test_another_programs_alembic_database_is_not_called_newer(paths):
    paths.root.mkdir(parents=True)
    conn = sqlite3.connect(paths.database)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES ('9f3c2b1a0d4e')")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseCorrupt, match="not a CS Facilitator database"):
        open_database(paths)
