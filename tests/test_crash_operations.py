"""Whole operations, killed: backup, restore, import, delete and undo are SIGKILLed at random
moments and must be all-or-nothing.

One data folder is prepared: the example conference with extra points, a backup, then a
sentinel conference heavy with points, so that each operation lasts a few hundred milliseconds.
Each operation is first run once to the end on a copy: that gives its duration, the state
before it and the state after it. An undo's preparatory step (the delete it undoes, made as the
window makes it) is the same for every seed: it is done once, and each seed's run starts from a
copy of what it left (see Operation.prepared_once). Then, for each seed, it runs on a fresh copy and is killed at
a moment drawn uniformly within that duration. The folder is then opened as the next start
opens it; the database must pass integrity_check and hold exactly the state before or the state
after (every table's rows compared; row ids aside, since import renumbers them, except for undo,
which must bring back the very ids), no half-written copy may be left, every listed backup must
be usable, and the same operation run again must end well (or, where the kill left it done,
refuse in one sentence and change nothing).

The runs go through a fork server (tests/harness/op_driver.py --serve): the ~300 runs would
otherwise spend more time starting Python than in the operations.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from csfacilitator.core import bundle, conferences
from csfacilitator.core.board import add_points
from csfacilitator.core.example import EXAMPLE_TITLE, add_example
from csfacilitator.core.meetings import list_meetings
from csfacilitator.paths import make_private, prepare, resolve
from csfacilitator.storage import open_database, purge
from csfacilitator.storage.backup import backup_database, check_file, list_backups
from csfacilitator.storage.leftovers import REMOVING_PREFIX
from csfacilitator.storage.reclaim import reclaim_space
from tests.harness.served_driver import ServedDriver

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks and SIGKILLs (POSIX)"),
]

SEEDS = range(20)
DRIVER = Path(__file__).parent / "harness" / "op_driver.py"
ROOT = Path(__file__).parent.parent
MARK = "CRASHMARK"  # in every extra point of the example: its trace after a delete
EXTRA_POINTS = 50  # per meeting of the example: an import writes them one by one
UNDO_POINTS = 2000  # more on the example's review board for undo, which writes them in bulk
BALLAST_POINTS = 4000  # in the sentinel conference: backup, restore and delete copy them all
SENTINEL = "Sentinel conference"
ADDED_AFTER_BACKUP = "Added after the backup"
TIMEOUT = 60
OVERWRITE_CHUNK = 1 << 20  # csfacilitator.storage.encryption._CHUNK
# Row ids (undo and import renumber rows) and the time a row was written or touched.
TIMESTAMPS = {"created_at", "updated_at"}
IGNORED_COLUMNS = {"id", "uid", *TIMESTAMPS}  # a re-run import gives rows new uids too
# The server's last line of a run; a kill can cut the child's last line short, before its
# newline (print writes the text and its end apart), and the server's line then follows it.
EXIT_LINE = re.compile(r"(?P<cut_short>.*)EXIT (?P<status>-?\d+)")


# ---------------------------------------------------------------- the fork server


@dataclass
class Run:
    lines: list[str] = field(default_factory=list)
    exit_status: int | None = None
    duration: float | None = None  # from START to DONE, as received

    @property
    def done(self) -> int | None:
        """The operation's exit code when it ended by itself."""
        for line in self.lines:
            if line.startswith("DONE "):
                return int(line.split()[1])
        return None


class OpServer(ServedDriver):
    def __init__(self, home: Path):
        home.mkdir(parents=True, exist_ok=True)
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            HOME=str(home),
            XDG_DATA_HOME=str(home / "share"),
            XDG_STATE_HOME=str(home / "state"),
            XDG_CONFIG_HOME=str(home / "config"),
            CSFACILITATOR_DATA_DIR=str(home / "unused-data"),
        )
        self.stderr = (home / "driver-stderr.txt").open("w", encoding="utf-8")
        super().__init__([sys.executable, str(DRIVER), "--serve"], env, self.stderr)
        assert self.next_line(TIMEOUT)[1] == "READY", "the driver did not start"

    def run(self, *argv: object, dry: bool = False, kill_after: float | None = None) -> Run:
        """Run one operation in a forked child; SIGKILL it `kill_after` seconds after START."""
        self.send(json.dumps({"argv": [str(a) for a in argv], "dry": dry}))
        run = Run()
        started = None
        while True:
            at, line = self.next_line(TIMEOUT)
            ended = EXIT_LINE.fullmatch(line)
            if ended:  # after what the kill cut short (the CLI's message without its newline)
                if ended["cut_short"]:
                    run.lines.append(ended["cut_short"])
                run.exit_status = int(ended["status"])
                return run
            run.lines.append(line)
            if line == "START":
                started = at
                if kill_after is not None:
                    time.sleep(kill_after)
                    self.send("KILL")
            elif line.startswith("DONE ") and started is not None:
                run.duration = at - started

    def close(self) -> None:
        super().close()
        self.stderr.close()


@pytest.fixture(scope="module", autouse=True)
def _report_outcomes():
    """Where the kills landed, per operation, printed at the end (seen with -s)."""
    yield
    for name, outcomes in OUTCOMES.items():
        counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
        print(f"\n{name}: {len(outcomes)} kills left {counts}", end="")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = OpServer(tmp_path_factory.mktemp("driver-home"))
    yield started
    started.close()


# ---------------------------------------------------------------- states


_DIGESTS: dict[tuple[str, bool], dict[str, tuple[int, str]]] = {}
_CHECKED: dict[str, str | None] = {}
_INTEGRITY: dict[str, list[tuple]] = {}


def _content(database: Path) -> str:
    """A hash of the file's bytes and of its -wal and -journal beside it, when there are."""
    content = hashlib.sha1()
    for suffix in ("", "-wal", "-journal"):
        side = Path(f"{database}{suffix}")
        if suffix and not side.exists():
            continue
        content.update(suffix.encode() + b"\0" + side.read_bytes())
    return content.hexdigest()


def digest(
    database: Path, *, ids: bool = False, content: str | None = None
) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows, IGNORED_COLUMNS and references aside
    (with `ids`, only the timestamps aside).

    Worked out once per content: the same bytes (the world's backup in every copy, the backup
    each seed's run makes of the same database) give the same rows, and hashing the file takes
    ~3 ms of CPU where reading, writing out and sorting its ~6,000 rows takes ~30 ms. (Doing
    that in SQL, quote()d rows sorted and joined by SQLite, measured no cheaper.) `content`:
    the file's _content, when the caller has just worked it out.
    """
    key = (content or _content(database), ids)
    if key not in _DIGESTS:
        _DIGESTS[key] = _digest_rows(database, ids=ids)
    return dict(_DIGESTS[key])


def check_backup(path: Path) -> str | None:
    """storage.backup.check_file (None when the file passes SQLite's quick check), worked out
    once per content: the world's backup, copied unchanged into most seeds' folders, is
    checked once, not twenty times per operation. A file with a -wal or -journal beside it is
    always checked afresh: check_file rolls a hot journal back, which changes the file."""
    if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return check_file(path)
    key = _content(path)
    if key not in _CHECKED:
        _CHECKED[key] = check_file(path)
    return _CHECKED[key]


def _digest_rows(database: Path, *, ids: bool) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        result = {}
        for table in sorted(tables):
            columns = [
                r[1]
                for r in conn.execute(f'PRAGMA table_info("{table}")')
                if r[1] not in (TIMESTAMPS if ids else IGNORED_COLUMNS)
                and (ids or not r[1].endswith("_id"))
            ]
            selected = ", ".join(f'"{c}"' for c in columns) or "1"
            rows = sorted(repr(r) for r in conn.execute(f'SELECT {selected} FROM "{table}"'))
            result[table] = (len(rows), hashlib.sha1("\n".join(rows).encode()).hexdigest())
        return result
    finally:
        conn.close()


def differences(state: dict, before: dict, after: dict) -> str:
    """Which tables match neither the state before nor the state after, with row counts."""
    wrong = []
    for table in sorted(set(state) | set(before) | set(after)):
        now = state.get(table)
        if now != before.get(table) and now != after.get(table):
            counts = [(s.get(table) or (None,))[0] for s in (before, state, after)]
            wrong.append(f"{table}: before {counts[0]} rows, now {counts[1]}, after {counts[2]}")
    mixed = [t for t in state if state[t] != before.get(t)]
    return "; ".join(wrong) or f"each table matches one side, but not the same one ({mixed})"


def reopen(folder: Path, *, ids: bool = False) -> dict:
    """Open the folder as the next start does; check the database it leaves; return its state.

    The check (integrity_check, ~15 ms of CPU on this database) is made once per content of
    the file as the start left it (the -wal and -journal beside it included): of the ~160 the
    module makes, some twenty differ, and the same bytes give the same answer."""
    paths = resolve(folder)
    open_database(paths).close()  # the start: a hot journal rolled back, a purge finished...
    content = _content(paths.database)
    if content not in _INTEGRITY:
        conn = sqlite3.connect(paths.database)
        try:
            _INTEGRITY[content] = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    result = _INTEGRITY[content]
    assert [r[0] for r in result] == ["ok"], f"integrity_check: {result[:3]}"
    return digest(paths.database, ids=ids, content=content)


def files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode()
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )


def leftovers(folder: Path) -> list[str]:
    """Half-written copies a kill can leave: backups being written, their journals, files
    whose secure removal was cut short."""
    return sorted(
        p.name
        for p in folder.rglob("*")
        if ".partial" in p.name or p.name.startswith(REMOVING_PREFIX)
    )


# ---------------------------------------------------------------- the prepared folders


@dataclass(frozen=True)
class World:
    root: Path
    base: Path  # example + extra points, a backup, the sentinel + ballast, one more conference
    without_example: Path  # the same with the example deleted: it is imported back
    heavy: Path  # the same with UNDO_POINTS more points on the example's review board
    example_file: Path  # the example as in `base`
    changed_file: Path  # the example with more points: imported over `base`'s with --replace
    backup_name: str  # the one backup in `base`: the example and the sentinel, not the last


def _fill(db) -> None:
    example_id = add_example(db)
    for meeting in list_meetings(db, example_id):
        add_points(
            db,
            meeting.id,
            "concerns",
            [
                f"{MARK} {meeting.kind} {i}: " + "the underpass lights are out " * 3
                for i in range(EXTRA_POINTS)
            ],
        )
    sentinel = conferences.create_conference(db, SENTINEL)
    add_points(
        db,
        conferences.conference_meetings(db, sentinel)[0],
        "concerns",
        [f"Sentinel point {i}: " + "nothing here may change " * 16 for i in range(BALLAST_POINTS)],
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory, _migrated_template) -> World:
    root = tmp_path_factory.mktemp("operations")
    base = root / "base"
    paths = prepare(resolve(base))
    shutil.copyfile(_migrated_template, paths.database)  # conftest's, migrated once
    make_private(paths.database)
    db = open_database(paths)
    try:
        _fill(db)
        example_id = conferences.find_conference(db, EXAMPLE_TITLE)
        bundle.write_bundle(db, example_id, root / "example.json")
        db.close()
        backup = backup_database(paths.database, paths.backups, "manual")
        added = conferences.create_conference(db, ADDED_AFTER_BACKUP)
        add_points(db, conferences.conference_meetings(db, added)[0], "concerns", ["Later"])
    finally:
        db.close()

    changed = root / "changed"
    shutil.copytree(base, changed)
    db = open_database(resolve(changed))
    try:
        example_id = conferences.find_conference(db, EXAMPLE_TITLE)
        meeting = list_meetings(db, example_id)[0]
        add_points(db, meeting.id, "concerns", [f"Imported point {i}" for i in range(EXTRA_POINTS)])
        bundle.write_bundle(db, example_id, root / "changed.json")
    finally:
        db.close()
    shutil.rmtree(changed)

    without = root / "without-example"
    shutil.copytree(base, without)
    db = open_database(resolve(without))
    try:
        conferences.delete_conference(db, conferences.find_conference(db, EXAMPLE_TITLE))
        reclaim_space(db)
    finally:
        db.close()

    heavy = root / "heavy"
    shutil.copytree(base, heavy)
    db = open_database(resolve(heavy))
    try:
        example_id = conferences.find_conference(db, EXAMPLE_TITLE)
        review = next(m for m in list_meetings(db, example_id) if m.kind == "review")
        add_points(db, review.id, "concerns", [f"{MARK} undo {i}" for i in range(UNDO_POINTS)])
    finally:
        db.close()
    return World(
        root=root,
        base=base,
        without_example=without,
        heavy=heavy,
        example_file=root / "example.json",
        changed_file=root / "changed.json",
        backup_name=backup.name,
    )


# ---------------------------------------------------------------- the operations


@dataclass(frozen=True)
class Operation:
    source: str  # which World folder it starts from
    argv: tuple[str, ...]  # after the data folder; the {names} are filled in by _argv
    again: tuple[str, ...] | None = None  # the second run, when it is not the same argv
    keeps_ids: bool = False  # undo: the rows come back with the ids they had

    @property
    def prepared_once(self) -> bool:
        """An undo: its preparatory step (the delete it undoes, then what was removed kept in a
        file) is the same for every seed, so it is done once, in the reference's dry run; each
        seed starts from a copy of what that left and runs `again`, the same restore from the
        saved file, which is what is killed."""
        return self.keeps_ids

    @property
    def killed(self) -> tuple[str, ...]:
        """What each seed runs (and kills)."""
        return self.again if self.prepared_once and self.again else self.argv


OPERATIONS = {
    "backup": Operation("base", ("cli", "backup")),
    "restore": Operation(
        "base", ("cli", "restore", "--latest"), again=("cli", "restore", "{backup_name}")
    ),
    "import": Operation("without_example", ("cli", "bundle", "import", "{example_file}")),
    "import-replace": Operation("base", ("cli", "bundle", "import", "{changed_file}", "--replace")),
    "delete": Operation("base", ("cli", "delete", EXAMPLE_TITLE, "--yes", "--purge-backups")),
    "undo-delete": Operation(
        "heavy",
        ("undo-delete", EXAMPLE_TITLE, "{saved}"),
        again=("put-back", "conference", "{saved}"),
        keeps_ids=True,
    ),
    "undo-remove-meeting": Operation(
        "heavy",
        ("undo-remove-meeting", EXAMPLE_TITLE, "review", "{saved}"),
        again=("put-back", "meeting", "{saved}"),
        keeps_ids=True,
    ),
}


def _argv(world: World, argv: tuple[str, ...], workdir: Path) -> list[str]:
    values = {
        "saved": workdir / "removed.pickle",
        "example_file": world.example_file,
        "changed_file": world.changed_file,
        "backup_name": world.backup_name,
    }
    return [str(workdir / "data"), *(a.format(**values) for a in argv)]


def _fresh(world: World, op: Operation, workdir: Path) -> Path:
    workdir.mkdir(parents=True)
    shutil.copytree(getattr(world, op.source), workdir / "data")
    return workdir / "data"


def _prepared(ref: Reference, workdir: Path) -> Path:
    """A copy of what an undo's preparatory step left (the data folder and the saved file)."""
    assert ref.prepared is not None
    shutil.copytree(ref.prepared, workdir)
    return workdir / "data"


@dataclass(frozen=True)
class Reference:
    duration: float  # of the run each seed kills
    before: dict
    after: dict
    prepared: Path | None = None  # an undo's: what its preparatory step left, for each seed


_REFERENCES: dict[str, Reference] = {}
OUTCOMES: dict[str, list[str]] = {}  # per operation, what each kill left: for the report


def reference(name: str, world: World, server: OpServer) -> Reference:
    """Run the operation once to the end (and once up to its start) on copies."""
    if name in _REFERENCES:
        return _REFERENCES[name]
    op = OPERATIONS[name]
    measure = world.root / "measure" / name
    dry = measure / "dry"
    _fresh(world, op, dry)
    run = server.run(*_argv(world, op.argv, dry), dry=True)
    assert run.exit_status == 0, run.lines
    prepared = None
    if op.prepared_once:
        prepared = measure / "prepared"
        shutil.copytree(dry, prepared)  # as the dry run left it, before reopen() below
    full = measure / "full"
    _fresh(world, op, full)
    run = server.run(*_argv(world, op.argv, full))
    assert run.done == 0 and run.exit_status == 0, run.lines
    found = Reference(
        duration=run.duration,
        before=reopen(dry / "data", ids=op.keeps_ids),
        after=reopen(full / "data", ids=op.keeps_ids),
        prepared=prepared,
    )
    if prepared is not None:
        # The run each seed kills: the same restore, on a copy of the prepared folder.
        killed = measure / "killed"
        _prepared(found, killed)
        run = server.run(*_argv(world, op.killed, killed))
        assert run.done == 0 and run.exit_status == 0, run.lines
        assert reopen(killed / "data", ids=True) == found.after, "the restore from the file differs"
        found = dataclasses.replace(found, duration=run.duration)
    if name == "backup":
        assert found.after == found.before
    else:
        assert found.after != found.before, "the operation changed nothing: the test proves nothing"
    if op.keeps_ids:
        source = resolve(getattr(world, op.source)).database
        assert found.after == digest(source, ids=True), "undo did not bring back the same rows"
    _REFERENCES[name] = found
    return found


def test_each_operation_lasts_long_enough_to_be_killed_in_the_middle(world, server):
    """Runs first (pytest keeps file order): measures every operation for the kills below."""
    durations = {name: reference(name, world, server).duration for name in OPERATIONS}
    print("un-killed:", ", ".join(f"{n} {d * 1000:.0f} ms" for n, d in durations.items()))
    assert all(d > 0.02 for d in durations.values()), durations


# ---------------------------------------------------------------- the test


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_killed_operation_is_all_or_nothing(name, seed, world, server, tmp_path):
    op = OPERATIONS[name]
    ref = reference(name, world, server)
    workdir = tmp_path / "run"
    folder = _prepared(ref, workdir) if op.prepared_once else _fresh(world, op, workdir)
    paths = resolve(folder)
    backups_before = {b.path.name for b in list_backups(paths.backups)}

    moment = random.Random(seed).uniform(0, ref.duration)
    killed = server.run(*_argv(world, op.killed, workdir), kill_after=moment)
    assert "START" in killed.lines, killed.lines
    assert killed.done in (None, 0), killed.lines

    state = reopen(folder, ids=op.keeps_ids)  # the next start
    assert state in (ref.before, ref.after), (
        f"{name} killed {moment * 1000:.0f} ms in, left it half done: "
        f"{differences(state, ref.before, ref.after)}"
    )
    if name == "backup":  # the database is the same either way: did a backup get made?
        applied = any(b.path.name not in backups_before for b in list_backups(paths.backups))
    else:
        applied = state == ref.after
    if killed.done == 0:
        assert applied, f"{name} said it was done, yet it is not"
    OUTCOMES.setdefault(name, []).append("after" if applied else "before")
    assert not leftovers(folder), f"the next start left half-written copies: {leftovers(folder)}"
    for backup in list_backups(paths.backups):
        problem = check_backup(backup.path)
        assert problem is None, f"{backup.path.name} is listed but unusable: {problem}"
        if backup.path.name not in backups_before:
            # Made by the killed run: a backup, the one before a restore or a replacing import,
            # the one after a delete.
            assert digest(backup.path) in (ref.before, ref.after), backup.path.name
    if name == "restore" and applied:
        assert ref.before in [digest(b.path) for b in list_backups(paths.backups)], (
            "the database that was replaced is in no backup"
        )
    if name == "delete" and applied:
        traces = files_holding(folder, MARK)
        assert not [f for f in traces if f.startswith(paths.database.name)], traces
        # Killed before or during its purge: the next start finished it (storage/purge.py).
        assert traces == [], f"the next start did not finish the purge: {traces}"

    # The same operation again, on what the kill left.
    second = server.run(*_argv(world, op.again or op.argv, workdir))
    if applied and name in ("import", "delete", "undo-delete", "undo-remove-meeting"):
        # Already imported, deleted or put back: refused in one sentence, nothing changed.
        assert second.done == 2, second.lines
    else:
        assert second.done == 0, second.lines
    after_again = digest(paths.database, ids=op.keeps_ids)
    assert after_again == ref.after, differences(after_again, ref.before, ref.after)
    if name == "backup":
        made = [b for b in list_backups(paths.backups) if b.path.name not in backups_before]
        assert made and all(digest(b.path) == ref.before for b in made)
    if name == "restore":
        assert ref.before in [digest(b.path) for b in list_backups(paths.backups)]
    if name == "delete" and not applied:
        assert files_holding(folder, MARK) == [], "a purge that promised no trace left one"


def test_a_delete_killed_before_its_purge_is_finished_by_running_it_again(world, server, tmp_path):
    """Exactly what a kill leaves after run_delete's delete and VACUUM, before its fresh backup."""
    folder = tmp_path / "data"
    shutil.copytree(world.base, folder)
    db = open_database(resolve(folder))
    try:
        conferences.delete_conference(db, conferences.find_conference(db, EXAMPLE_TITLE))
        reclaim_space(db)
    finally:
        db.close()
    assert files_holding(folder, MARK) == [f"backups/{world.backup_name}"]

    server.run(folder, "cli", "delete", EXAMPLE_TITLE, "--yes", "--purge-backups")
    assert files_holding(folder, MARK) == [], "the deleted text outlives the purge"


def test_a_backup_half_overwritten_by_a_killed_purge_does_not_stay(world, server, tmp_path):
    """What a kill during the purge's secure_remove leaves: the note of the pending purge, the
    delete done, the fresh backup made, the older backup renamed to a leftover name
    (encryption.secure_remove renames first) and zeroed from the start but not yet unlinked."""
    folder = tmp_path / "data"
    shutil.copytree(world.base, folder)
    paths = resolve(folder)
    db = open_database(paths)
    try:
        conference_id = conferences.find_conference(db, EXAMPLE_TITLE)
        uid = conferences.get_conference(db, conference_id).uid
        purge.note_pending(paths, purge.PendingPurge(uid, EXAMPLE_TITLE, conference_id))
        conferences.delete_conference(db, conference_id)
        reclaim_space(db)
    finally:
        db.close()
    backup_database(paths.database, paths.backups, "after-delete", thin=False)
    older = paths.backups / world.backup_name
    doomed = older.with_name(REMOVING_PREFIX + older.name)
    os.replace(older, doomed)
    with doomed.open("r+b") as handle:
        handle.write(bytes(OVERWRITE_CHUNK))  # the first of secure_remove's writes
    assert world.backup_name not in [b.path.name for b in list_backups(paths.backups)]

    reopen(folder)  # the next start
    assert files_holding(folder, MARK) == []
    server.run(folder, "cli", "delete", EXAMPLE_TITLE, "--yes", "--purge-backups")
    unusable = [b.path.name for b in list_backups(paths.backups) if check_file(b.path)]
    assert unusable == [], "a backup the purge was destroying is still listed"
    assert files_holding(folder, MARK) == []
