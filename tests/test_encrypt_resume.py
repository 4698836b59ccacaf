"""Encryption that is interrupted is finished by running it again, or by the next open.

The harness kills `csfacilitator encrypt` at 20 seeded random moments, then runs it again:
afterwards no file in the data folder holds the sentinel sentence in clear, the data is intact,
and every backup is encrypted and usable. Each moment is drawn within one of the six files'
conversions (the database's, then each backup's; tests/harness/fast_kdf.py says when each
begins), so every seed kills the conversion itself, however fast or loaded the machine; where
the kills landed is printed at the end (seen with -s).

Every process here, the test's and those it starts, derives keys with fewer rounds
(tests/harness/fast_kdf.py): a run opens the encrypted files some twenty times. The plain
folder is made once (from the session's migrated database) and copied for each test. The
commands run through the tests' command-line fork server (tests/harness/cli_runner.py): each is a
process of its own, killed as a fresh `python -m` one would be, without paying for the imports.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from csfacilitator.core import board, conferences, meetings
from csfacilitator.paths import make_private, prepare, resolve
from csfacilitator.storage import encryption, open_database
from csfacilitator.storage.backup import backup_database, list_backups
from csfacilitator.storage.encryption import is_encrypted, is_plain_database
from csfacilitator.storage.recovery import describe_backup, newest_good_backup
from tests.harness import fast_kdf
from tests.harness.cli_runner import DEVNULL, PIPE, ForkedCli, cli_environment, run_cli, start_cli
from tests.test_hot_journal import kill_mid_change

PASSPHRASE = "blue kettle, quiet harbour"
SENTINEL = "Sentinel: the heron counts eleven lanterns at Marlow Quay"
BACKUPS = 5
SEEDS = range(20)
CLI = fast_kdf.__name__  # python -m csfacilitator, with the rounds below
OUTCOMES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _fewer_rounds():
    """This process derives keys as the processes it starts do (and as before, afterwards)."""
    with fast_kdf.fewer_rounds():
        yield
    counts = {o: OUTCOMES.count(o) for o in sorted(set(OUTCOMES))}
    print(f"\nencrypt: {len(OUTCOMES)} kills left {counts}", end="")


def _files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode("utf-8")
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def _make_plain_folder(data: Path, migrated: Path) -> int:
    """A plain data folder: the sentinel on a board, and BACKUPS backups holding it."""
    paths = resolve(data)
    prepare(paths)
    shutil.copyfile(migrated, paths.database)
    make_private(paths.database)
    db = open_database(paths)
    try:
        conference_id = conferences.create_conference(db, "Encryption check")
        meeting_id = meetings.list_meetings(db, conference_id)[0].id
        board.add_point(db, meeting_id, "concerns", SENTINEL)
        for _ in range(BACKUPS):
            backup_database(paths.database, paths.backups, "manual", passphrase=None, thin=False)
    finally:
        db.close()
    return meeting_id


@pytest.fixture(scope="module")
def plain_folder(tmp_path_factory, _migrated_template) -> tuple[Path, int]:
    data = tmp_path_factory.mktemp("plain") / "data"
    return data, _make_plain_folder(data, _migrated_template)


def _copy(plain_folder: tuple[Path, int], tmp_path: Path) -> tuple[Path, int]:
    """A copy of the plain folder of its own, and the meeting holding the sentinel."""
    source, meeting_id = plain_folder
    data = tmp_path / "data"
    shutil.copytree(source, data)
    return data, meeting_id


def _cli(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The command line, with this module's rounds (CLI) and only the app's variables given."""
    return run_cli(
        *args,
        data_dir=data,
        module=CLI,
        clean_env=True,
        env={**fast_kdf.environment(), **env},
    )


def _assert_finished(data: Path, meeting_id: int) -> None:
    paths = resolve(data)
    assert _files_holding(data, SENTINEL) == []
    assert _files_holding(data, "heron counts") == []
    assert is_encrypted(paths.database)
    backups = list_backups(paths.backups)
    assert len(backups) >= BACKUPS
    for b in backups:
        assert is_encrypted(b.path), b.path.name
        assert describe_backup(b.path, PASSPHRASE).usable
    leftovers = [
        p.name
        for p in data.rglob("*")
        if p.name.endswith((".plain-old", ".encrypting", ".partial", "-journal"))
    ]
    assert leftovers == []
    db = open_database(paths, PASSPHRASE)
    try:
        texts = [p.text for p in board.board_tree(db, meeting_id)["concerns"]]
    finally:
        db.close()
    assert texts == [SENTINEL]


def test_killed_after_the_database_swap_a_second_encrypt_finishes_the_backups(
    tmp_path, plain_folder
):
    """The state 5 of 20 kills left: the database encrypted, the backups still plain."""
    data, meeting_id = _copy(plain_folder, tmp_path)
    paths = resolve(data)
    encryption._convert_live_database(paths.database, None, PASSPHRASE)  # then the kill
    assert all(is_plain_database(b.path) for b in list_backups(paths.backups))

    # Meanwhile the plain backups are not offered for the encrypted database.
    for b in list_backups(paths.backups):
        assert not describe_backup(b.path, PASSPHRASE).usable
    assert newest_good_backup(paths, PASSPHRASE) is None
    listed = _cli(data, "backup", "--list", CSFACILITATOR_PASSPHRASE=PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    # (opening to list finishes the job: every listed backup is now encrypted and usable)
    assert "Cannot be used" not in listed.stdout
    _assert_finished(data, meeting_id)


def test_a_second_encrypt_reports_what_it_finished(tmp_path, plain_folder):
    data, meeting_id = _copy(plain_folder, tmp_path)
    paths = resolve(data)
    encryption._convert_live_database(paths.database, None, PASSPHRASE)
    partial = paths.backups / "20260101-000000-000000Z-manual.partial"
    partial.write_bytes(b"SQLite format 3\x00" + SENTINEL.encode() * 50)

    again = _cli(data, "encrypt", CSFACILITATOR_PASSPHRASE=PASSPHRASE)

    assert again.returncode == 0, again.stderr
    assert "already encrypted" in again.stdout and "finished" in again.stdout
    assert f"Encrypted {BACKUPS} backups that were still plain." in again.stdout
    assert f"Removed the leftover temporary copy {partial}" in again.stdout
    _assert_finished(data, meeting_id)
    third = _cli(data, "encrypt", CSFACILITATOR_PASSPHRASE=PASSPHRASE)
    assert third.returncode == 0
    assert third.stdout.strip() == "The database is already encrypted; nothing was left to do."


def test_the_gui_path_finishes_an_interrupted_encryption(tmp_path, plain_folder):
    data, meeting_id = _copy(plain_folder, tmp_path)
    paths = resolve(data)
    encryption._convert_live_database(paths.database, None, PASSPHRASE)
    backup = list_backups(paths.backups)[0].path
    db = open_database(paths, PASSPHRASE)  # what the app does at start
    try:
        assert is_encrypted(backup)
        report = encryption.take_finished(paths)
        assert report.backups_encrypted == BACKUPS and report.resumed
    finally:
        db.close()
    _assert_finished(data, meeting_id)


def test_killed_while_leaving_wal_mode_a_second_encrypt_finishes(tmp_path, plain_folder):
    """Seed 2's kill once landed in the conversion's first step: leaving WAL mode rewrites the
    database's header under a rollback journal, and the kill left that journal hot. The second
    run's check (before every command) read the database read-only, which SQLite refuses until
    the journal is rolled back, and said the folder was read-only (tests/test_hot_journal.py)."""
    data, meeting_id = _copy(plain_folder, tmp_path)
    kill_mid_change(resolve(data).database)

    again = _cli(data, "encrypt", CSFACILITATOR_PASSPHRASE=PASSPHRASE)

    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Encrypted the database")
    _assert_finished(data, meeting_id)


def _start_encrypt(data: Path) -> subprocess.Popen | ForkedCli:
    """`encrypt` started on `data`, saying "STEP" as each file's conversion begins."""
    return start_cli(
        "--data-dir",
        data,
        "encrypt",
        module=CLI,
        env=cli_environment(
            {
                **fast_kdf.environment(),
                "CSFACILITATOR_PASSPHRASE": PASSPHRASE,
                fast_kdf.STEPS_ENV: "1",
            },
            clean=True,
        ),
        stdin=DEVNULL,
        stdout=PIPE,
        stderr=DEVNULL,
    )


def _wait_for_step(process: subprocess.Popen, number: int) -> float:
    """Read `process`'s lines up to its `number`th STEP (from 1); returns when it came."""
    seen = 0
    while seen < number:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"encrypt ended after {seen} of {number} steps")
        seen += line == "STEP\n"
    return time.monotonic()


def _where_the_kill_landed(data: Path) -> str:
    paths = resolve(data)
    if not paths.database.exists():
        return "the database being swapped"
    if is_plain_database(paths.database):
        copying = paths.database.with_name(paths.database.name + encryption.ENCRYPTING_SUFFIX)
        if copying.exists():
            return "the database being copied"
        if Path(f"{paths.database}-journal").exists():
            return "the database leaving WAL mode"
        return "nothing changed"
    backups = paths.backups.iterdir()
    encrypted = sum(is_encrypted(b) for b in backups if b.name.endswith(".sqlite3"))
    return f"the database and {encrypted} of {BACKUPS} backups encrypted"


@pytest.fixture(scope="module")
def template(tmp_path_factory, plain_folder):
    """The plain folder, and how long each file's conversion takes in `encrypt` (the last one
    until the command ends)."""
    data, meeting_id = plain_folder
    probe = tmp_path_factory.mktemp("probe") / "data"
    shutil.copytree(data, probe)
    process = _start_encrypt(probe)
    with process:
        steps = [_wait_for_step(process, 1) for _ in range(1 + BACKUPS)]
        rest = process.stdout.read()
        assert process.wait(180) == 0, rest
    ends = [*steps[1:], time.monotonic()]
    return data, meeting_id, [end - start for start, end in zip(steps, ends, strict=True)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_encrypt_killed_at_random_then_run_again_leaves_no_plain_copy(tmp_path, template, seed):
    source, meeting_id, steps = template
    data = tmp_path / "data"
    shutil.copytree(source, data)
    rng = random.Random(seed)
    step = rng.randrange(len(steps))
    with _start_encrypt(data) as process:
        began = _wait_for_step(process, step + 1)
        time.sleep(max(0.0, began + rng.uniform(0, steps[step]) - time.monotonic()))
        process.kill()
        process.wait(30)
    OUTCOMES.append(_where_the_kill_landed(data))

    again = _cli(data, "encrypt", CSFACILITATOR_PASSPHRASE=PASSPHRASE)

    assert again.returncode == 0, again.stderr
    _assert_finished(data, meeting_id)
