"""Board typing benchmark: Enter -> point stored and painted, and exporting the minutes.

    .venv/bin/python benchmarks/board_typing.py [--points 500] [--iterations 200] [--exports 5]
                                                [--profile] [--memory-only]

--points 2000 runs the same on a 2,000-point board (500 per column); the targets are the
median and p95 at most 1.0x the Qt floor at both sizes. Also printed: the process's peak RSS
(VmHWM) after the app's Enters with the board and the projector open, against a bare
QMainWindow in a fresh process (target: at most 250 MB and 3x). The database is built in a
fresh interpreter first, and the Qt baselines' windows are deleted before the app opens, so
neither counts. --memory-only prints just that row (the Qt baselines, the SQLite reference and
the exports are left out; the app's Enters are not).

Runs offscreen on two virtual screens (a 1366x768 laptop and a 1920x1080 projector), so the
projector opens full-screen on its own screen as it does in a meeting room. Both parts compare
against a baseline measured in the same run and print the ratio.

1. Typing. A conference whose board holds 500 points (125 per column, some nested two deep) is
   opened in the real main window on the Board tab, and the projector is opened (present()).
   Each iteration puts a sentence in one column's entry field (untimed), then times from
   sending Enter (QTest.keyClick on the entry) until BOTH:
   - the point is committed: keyClick returns only after the synchronous SQLite commit
     (WAL, synchronous=FULL, so it includes the fsync); the row is then checked, untimed,
     through a separate sqlite3 connection;
   - the event loop has delivered AND finished a Paint to the column's view (its viewport) and
     to the projector. A paint spy (event filter) records Paint events arriving after the key;
     the clock stops when the processEvents() call that delivered the later one returns, i.e.
     after the whole top-level window (entry, view, anything else dirty) has been painted into
     its backing store. Each paint necessarily shows the new state: the models and the
     projector's data are updated synchronously inside the Enter handler, before any paint.
     Checked untimed: the new row lies inside the view's viewport, and the projector's layout
     has the new point on the page it shows.
   Not included: the compositor putting the frame on a real screen (offscreen has none).
   The point is then undone (untimed), so every Enter lands on a board of exactly 500 points.
   Baseline: what Qt alone costs for "Enter -> row appended and painted": a bare QLineEdit
   whose returnPressed appends a row to a QStringListModel (500 rows) shown in a QListView,
   scrolls to it, and updates a plain full-screen QWidget on the projector screen that paints
   the newest line; the same clock, spy and undo. It runs before the app's style sheet is set.
   QListView's default (non-uniform rows) measures all 500 rows again on each insert, so a
   second, lighter "floor" runs the same with setUniformItemSizes(True): printed for context.
   The app's figures are split into the Enter handler (until keyClick returns) and the paints,
   and the time spent in SQLite COMMIT (the engine dialect's do_commit, wrapped) and in
   Python's GC (gc.callbacks) inside the timed window is shown, with the five slowest Enters.
   The GUI thread's CPU time (time.thread_time) per Enter is printed too, split the same way,
   for the app and both baselines, with the app/floor ratio: it excludes the fsync's wait and
   other processes' load, so it stays steady (within about 10%) on a busy machine where the
   wall-clock figures do not.
   Also printed, for reference only: one INSERT + commit through a bare sqlite3 connection with
   the app's pragmas, in the same folder (the storage floor of every Enter).
2. Minutes. export_minutes() of that 500-point board: the first run on its own (it imports
   python-docx unless the GUI already did), then the median of --exports runs, against
   python-docx writing the same 500 texts as plain paragraphs into one 4-column table.

With --profile, 100 more Enters run under cProfile (enabled only in the timed window) and the
top costs are printed; the profiler roughly doubles Python-heavy costs.
Targets (from the issue): typing p95 <= 16 ms (one frame at 60 Hz); export <= 1 s.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import os
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCREENS = {
    "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96},
        {"name": "projector", "x": 1366, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96},
    ]
}
POINTS_PER_COLUMN = 125
TYPING_TARGET_MS = 16.0
EXPORT_TARGET_S = 1.0
PAINT_TIMEOUT_S = 2.0

VOCABULARY = (
    "young people report being approached near the bus station after school by older males "
    "offering lifts vapes and cash the shop staff have seen groups gathering late at night "
    "lighting in the underpass is poor CCTV does not cover the back entrance youth workers "
    "have built trust with several of the group parents are worried but unsure who to tell "
    "the park wardens will extend patrols on Friday evenings school to share attendance "
    "patterns with the lead practitioner police to review the licensing of the takeaway "
    "community safety partnership to fund better lighting detached youth work twice weekly"
)
WORDS = tuple(VOCABULARY.split())


def point_text(rng: random.Random, number: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 24))
    return f"{' '.join(words).capitalize()} ({number})."


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# -- event-loop helpers ----------------------------------------------------------------------


def make_spy():
    from PySide6.QtCore import QEvent, QObject

    class PaintSpy(QObject):
        """Remembers which watched widgets received a Paint since the last reset."""

        def __init__(self) -> None:
            super().__init__()
            self.seen: set[int] = set()

        def watch(self, widget) -> None:
            widget.installEventFilter(self)

        def reset(self) -> None:
            self.seen.clear()

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                self.seen.add(id(obj))
            return False

    return PaintSpy()


def settle(app) -> None:
    """Let everything already posted (paints, zero timers) run, so an iteration starts idle."""
    for _ in range(4):
        app.sendPostedEvents()
        app.processEvents()


def delete_later_now(app) -> None:
    """Carry out pending deleteLater()s. An event loop (app.exec()) does this by itself;
    processEvents() outside one never does, so without this they wait for ever here."""
    from PySide6.QtCore import QEvent

    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_painted(app, spy, widgets) -> bool:
    """Process events until every widget has received a Paint (the call that delivered it has
    returned, so the paint is finished). False after PAINT_TIMEOUT_S."""
    wanted = {id(w) for w in widgets}
    deadline = time.perf_counter() + PAINT_TIMEOUT_S
    while not wanted <= spy.seen:
        app.processEvents()
        if time.perf_counter() > deadline:
            return False
    return True


class Stopwatch:
    """Time spent in the app's SQLite COMMITs and in Python's garbage collector, so the
    typing figures can say how much of an Enter was the fsync and how much a GC pause."""

    def __init__(self) -> None:
        self.commit = 0.0
        self.gc = 0.0
        self._gc_start = 0.0

    def reset(self) -> None:
        self.commit = self.gc = 0.0

    def on_gc(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.gc += time.perf_counter() - self._gc_start

    def wrap_commit(self, dialect) -> None:
        original = dialect.do_commit

        def do_commit(dbapi_connection) -> None:
            start = time.perf_counter()
            try:
                original(dbapi_connection)
            finally:
                self.commit += time.perf_counter() - start

        dialect.do_commit = do_commit


STOPWATCH = Stopwatch()
gc.callbacks.append(STOPWATCH.on_gc)


# -- typing: the Qt-only baseline ------------------------------------------------------------


def typing_baseline(
    app, texts: list[str], iterations: int, warmup: int, *, uniform: bool = False
) -> dict:
    from PySide6.QtCore import QStringListModel, Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListView, QVBoxLayout, QWidget

    class PlainProjector(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.text = ""

        def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
            painter = QPainter(self)
            painter.fillRect(self.rect(), Qt.GlobalColor.white)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)
            painter.end()

    window = QWidget()
    window.resize(1366, 768)
    model = QStringListModel(texts[: 4 * POINTS_PER_COLUMN])
    view = QListView()
    view.setModel(model)
    view.setUniformItemSizes(uniform)  # False (Qt's default) measures every row on an insert
    entry = QLineEdit()
    pane = QVBoxLayout()
    pane.addWidget(view, 1)
    pane.addWidget(entry)
    row = QHBoxLayout(window)
    row.addLayout(pane, 1)
    row.addStretch(3)  # the other three columns' room
    projector = PlainProjector()
    screens = app.screens()
    projector.setScreen(screens[-1])
    projector.setGeometry(screens[-1].geometry())

    def on_enter() -> None:
        count = model.rowCount()
        model.insertRows(count, 1)
        index = model.index(count, 0)
        model.setData(index, entry.text())
        entry.clear()
        view.scrollTo(index)
        projector.text = model.data(index)
        projector.update()

    entry.returnPressed.connect(on_enter)
    window.show()
    projector.showFullScreen()
    spy = make_spy()
    spy.watch(view.viewport())
    spy.watch(projector)
    wait_painted(app, spy, [view.viewport(), projector])

    samples, handler, gc_time, timeouts = [], [], [], 0
    cpu_handler, cpu_paint = [], []
    rng = random.Random(7)
    for number in range(warmup + iterations):
        entry.setFocus()
        entry.setText(point_text(rng, number))
        settle(app)
        spy.reset()
        STOPWATCH.reset()
        c0, t0 = time.thread_time(), time.perf_counter()
        QTest.keyClick(entry, Qt.Key.Key_Return)
        c1, t1 = time.thread_time(), time.perf_counter()
        ok = wait_painted(app, spy, [view.viewport(), projector])
        c2, t2 = time.thread_time(), time.perf_counter()
        index = model.index(model.rowCount() - 1, 0)
        assert view.viewport().rect().intersects(view.visualRect(index))
        if number >= warmup:
            samples.append(t2 - t0)
            handler.append(t1 - t0)
            cpu_handler.append(c1 - c0)
            cpu_paint.append(c2 - c1)
            gc_time.append(STOPWATCH.gc)
            timeouts += not ok
        model.removeRows(model.rowCount() - 1, 1)  # back to the board's size
    projector.close()
    window.close()
    projector.deleteLater()
    window.deleteLater()
    settle(app)
    delete_later_now(app)  # else both windows (and their backing stores) live on beside the app
    return {
        "total": samples,
        "handler": handler,
        "gc": gc_time,
        "timeouts": timeouts,
        "cpu_handler": cpu_handler,
        "cpu_paint": cpu_paint,
    }


# -- typing: the app -------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size: VmHWM (Linux). Not getrusage's ru_maxrss, which
    a child keeps from the parent it was forked from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def bare_window_rss_mb() -> float:
    """Peak RSS of a fresh process showing a bare QMainWindow (the memory baseline)."""
    import subprocess

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication(sys.argv[:1]); w = QMainWindow(); w.resize(1366, 768); w.show()\n"
        "for _ in range(20): app.processEvents()\n"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


def fill_board(data_dir: Path) -> tuple[int, list[str]]:
    """A conference whose conference meeting has 500 points; returns its id and the texts."""
    from csfacilitator.core import vocab
    from csfacilitator.core.board import add_points
    from csfacilitator.core.conferences import conference_meetings, create_conference
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    rng = random.Random(2024)
    db = open_database(resolve(data_dir))
    conference_id = create_conference(db, "Benchmark: Riverside Park and the bus station")
    meeting_id = conference_meetings(db, conference_id)[0]
    texts: list[str] = []

    def new(count: int) -> list[str]:
        batch = [point_text(rng, len(texts) + i) for i in range(count)]
        texts.extend(batch)
        return batch

    scale = POINTS_PER_COLUMN // 125
    for column in vocab.BOARD_COLUMNS:
        # 80 top-level points, 40 sub-points (under every other one), 5 sub-sub-points (x4
        # each for --points 2000).
        tops = add_points(db, meeting_id, column, new(80 * scale))
        subs = [
            add_points(db, meeting_id, column, new(1), parent_id=top.id)[0] for top in tops[::2]
        ]
        for sub in subs[: 5 * scale]:
            add_points(db, meeting_id, column, new(1), parent_id=sub.id)
    assert len(texts) == 4 * POINTS_PER_COLUMN
    db.close()
    return conference_id, texts


def fill_board_apart(data_dir: Path) -> tuple[int, list[str]]:
    """fill_board() in a fresh interpreter: building the database (its migrations load Alembic,
    Mako and Pygments; 2,000 points go through the ORM) is the benchmark's set-up, not what
    the app holds with a board open, and it would count in this process's peak RSS."""
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--points", str(4 * POINTS_PER_COLUMN), "--fill", data_dir],
        capture_output=True,
        text=True,
        check=True,
    )
    conference_id, texts = json.loads(out.stdout)
    return conference_id, texts


def open_app(data_dir: Path, conference_id: int):
    from csfacilitator.app import create_window

    window = create_window(data_dir, conference_id)
    window.show()
    window.tabs.setCurrentWidget(window.board)
    window.present()
    STOPWATCH.wrap_commit(window.db.engine.dialect)
    return window


def typing_app(app, window, iterations: int, warmup: int, profiler=None) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    board, projector = window.board, window.projector
    columns = list(board.panes)
    spy = make_spy()
    for pane in board.panes.values():
        spy.watch(pane.view.viewport())
    spy.watch(projector)
    settle(app)
    check = sqlite3.connect(window.paths.database)
    assert board.document.count() == 4 * POINTS_PER_COLUMN, board.document.count()

    samples, handler, commit, gc_time, timeouts = [], [], [], [], 0
    cpu_handler, cpu_paint = [], []
    rng = random.Random(11)
    for number in range(warmup + iterations):
        column = columns[number % len(columns)]
        pane = board.panes[column]
        text = point_text(rng, 10_000 + number)
        pane.entry.setFocus()
        pane.entry.setText(text)
        settle(app)
        spy.reset()
        STOPWATCH.reset()
        if profiler is not None:
            profiler.enable()
        c0, t0 = time.thread_time(), time.perf_counter()
        QTest.keyClick(pane.entry, Qt.Key.Key_Return)
        c1, t1 = time.thread_time(), time.perf_counter()
        ok = wait_painted(app, spy, [pane.view.viewport(), projector])
        c2, t2 = time.thread_time(), time.perf_counter()
        if profiler is not None:
            profiler.disable()

        # Untimed checks: stored, shown in the column, on the projector's current page.
        node = board.document.node(board._last_added[column])
        stored = check.execute("SELECT text FROM board_point WHERE id = ?", (node.id,)).fetchone()
        assert stored == (text,), (stored, text)
        assert pane.entry.text() == ""
        view = pane.view
        rect = view.visualRect(view.column_model.index_of(node))
        assert view.viewport().rect().intersects(rect), "new point not scrolled into view"
        shown = next(c for c in projector._current_layout().columns if c.key == column)
        assert any(shown.entries[i].point_id == node.id for i in shown.page_range())
        if number >= warmup:
            samples.append(t2 - t0)
            handler.append(t1 - t0)
            cpu_handler.append(c1 - c0)
            cpu_paint.append(c2 - c1)
            commit.append(STOPWATCH.commit)
            gc_time.append(STOPWATCH.gc)
            timeouts += not ok
        board.undo_stack.undo()  # back to exactly 500 points
        settle(app)
    assert board.document.count() == 4 * POINTS_PER_COLUMN
    check.close()
    return {
        "total": samples,
        "handler": handler,
        "commit": commit,
        "gc": gc_time,
        "timeouts": timeouts,
        "cpu_handler": cpu_handler,
        "cpu_paint": cpu_paint,
    }


def sqlite_reference(folder: Path, count: int = 100) -> list[float]:
    """One INSERT + commit per sample through bare sqlite3 with the app's pragmas."""
    from csfacilitator.storage.engine import PRAGMAS

    connection = sqlite3.connect(folder / "reference.sqlite3", isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    samples = []
    for number in range(count):
        t0 = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO t (text) VALUES (?)", (f"point {number}",))
        connection.execute("COMMIT")
        samples.append(time.perf_counter() - t0)
    connection.close()
    return samples


def profile_typing(app, window, iterations: int) -> str:
    """cProfile of the timed window only (Enter until both paints), over `iterations` Enters."""
    profiler = cProfile.Profile()
    typing_app(app, window, iterations, 0, profiler)
    return profile_report(profiler, cumulative=40)


def profile_report(profiler: cProfile.Profile, cumulative: int, own: int = 25) -> str:
    """The top costs of a profile: by cumulative time, then by each function's own time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(cumulative)
    stats.sort_stats("tottime").print_stats(own)
    return out.getvalue()


# -- minutes ---------------------------------------------------------------------------------


def docx_baseline(columns: dict[str, list[str]], path: Path) -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=len(columns))
    for cell, (heading, texts) in zip(table.rows[0].cells, columns.items(), strict=True):
        cell.text = heading
        body = table.cell(1, list(columns).index(heading))
        for text in texts:
            body.add_paragraph(text)
    doc.save(str(path))


def export_benchmark(window, conference_id: int, folder: Path, runs: int) -> dict:
    from csfacilitator.core import documents, export_checks, vocab
    from csfacilitator.core.board import board_tree, iter_points
    from csfacilitator.core.conferences import conference_meetings

    kind = documents.kind("minutes")

    def export_minutes(db, conference_id: int, path: Path) -> None:  # noqa: ANN001
        """As the window and the CLI do: gather the read model, then write the file."""
        meeting = export_checks.meeting_for(db, kind, conference_id, None)
        kind.write(kind.gather_data(db, conference_id, meeting), path)

    db = window.db
    docx_loaded = "docx" in sys.modules
    t0 = time.perf_counter()
    export_minutes(db, conference_id, folder / "minutes-first.docx")
    first = time.perf_counter() - t0

    tree = board_tree(db, conference_meetings(db, conference_id)[0])
    columns = {vocab.BOARD_COLUMNS[key]: [p.text for p in iter_points(tree[key])] for key in tree}
    assert sum(len(t) for t in columns.values()) == 4 * POINTS_PER_COLUMN
    app_runs, base_runs = [], []
    for number in range(runs):  # interleaved, so drift hits both alike
        t0 = time.perf_counter()
        docx_baseline(columns, folder / f"baseline-{number}.docx")
        base_runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        export_minutes(db, conference_id, folder / f"minutes-{number}.docx")
        app_runs.append(time.perf_counter() - t0)
    return {"first": first, "docx_loaded_before": docx_loaded, "app": app_runs, "base": base_runs}


# -- main ------------------------------------------------------------------------------------


def cpu_medians(run: dict) -> tuple[float, float, float]:
    """Median GUI-thread CPU per Enter, in ms: the handler, the paints, and both."""
    total = [h + p for h, p in zip(run["cpu_handler"], run["cpu_paint"], strict=True)]
    return tuple(  # type: ignore[return-value]
        statistics.median(samples) * 1000.0
        for samples in (run["cpu_handler"], run["cpu_paint"], total)
    )


def print_memory(points: int, rss_app: float, rss_bare: float) -> None:
    met = rss_app <= 250 and rss_app <= 3 * rss_bare
    print(
        f"Peak RSS, {points}-point board with the projector open: {rss_app:.0f} MB; "
        f"bare QMainWindow {rss_bare:.0f} MB; {rss_app / rss_bare:.2f}x "
        f"(target <= 250 MB and <= 3x: {'met' if met else 'NOT MET'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500, choices=(500, 2000))
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=12)
    parser.add_argument("--exports", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile the app's typing loop")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="only the peak RSS row: the app's Enters run as usual (their memory counts), the "
        "Qt baselines, the SQLite reference and the exports do not",
    )
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # see fill_board_apart
    args = parser.parse_args()
    global POINTS_PER_COLUMN
    POINTS_PER_COLUMN = args.points // 4
    if args.fill:
        print(json.dumps(fill_board(args.fill)))
        return
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="csf-bench-") as tmp:
        folder = Path(tmp)
        config = folder / "screens.json"
        config.write_text(json.dumps(SCREENS))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        def quiet(_kind, _context, message: str) -> None:
            if "propagateSizeHints" not in message:  # offscreen's harmless notice
                print(message, file=sys.stderr)

        qInstallMessageHandler(quiet)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        data_dir = folder / "data"
        conference_id, texts = fill_board_apart(data_dir)

        if not args.memory_only:
            base = typing_baseline(app, texts, args.iterations, args.warmup)
            floor = typing_baseline(app, texts, args.iterations, args.warmup, uniform=True)
        window = open_app(data_dir, conference_id)
        ours = typing_app(app, window, args.iterations, args.warmup)
        rss_board = peak_rss_mb()  # before the export loads python-docx and lxml
        if args.memory_only:
            window.close()
            window.deleteLater()
            settle(app)
            print_memory(args.points, rss_board, bare_window_rss_mb())
            return
        storage = sqlite_reference(data_dir)
        minutes = export_benchmark(window, conference_id, folder, args.exports)
        profile = profile_typing(app, window, 100) if args.profile else ""
        window.close()
        window.deleteLater()
        settle(app)

    ms = 1000.0

    def stats(samples: list[float]) -> tuple[float, float]:
        return statistics.median(samples) * ms, p95(samples) * ms

    b_med, b_p95 = stats(base["total"])
    f_med, f_p95 = stats(floor["total"])
    a_med, a_p95 = stats(ours["total"])
    e_med, x_med = statistics.median(minutes["app"]), statistics.median(minutes["base"])
    paint = [t - h for t, h in zip(ours["total"], ours["handler"], strict=True)]
    slow = sorted(range(len(ours["total"])), key=ours["total"].__getitem__)[-10:]

    print(
        f"Typing: Enter -> stored and painted in the column and on the projector, "
        f"{args.iterations} Enters on a {args.points}-point board (after {args.warmup} warm-up)"
    )
    print(f"  {'':<46} {'median':>8} {'p95':>8}")
    lines = (
        ("Qt baseline (QLineEdit+QListView+QWidget)", base["total"]),
        ("Qt floor (same, setUniformItemSizes(True))", floor["total"]),
        ("app: total", ours["total"]),
        ("app: Enter handler (store, models, feed)", ours["handler"]),
        ("app: then until both paints are done", paint),
        ("app: time in SQLite COMMIT (incl. fsync)", ours["commit"]),
        ("app: time in Python GC", ours["gc"]),
        ("baseline: time in Python GC", base["gc"]),
        ("reference: bare sqlite3 INSERT+COMMIT", storage),
    )
    for name, samples in lines:
        median, high = stats(samples)
        print(f"  {name:<46} {median:6.2f}ms {high:6.2f}ms")
    worst = ", ".join(
        f"{ours['total'][i] * ms:.0f} (gc {ours['gc'][i] * ms:.0f}, commit "
        f"{ours['commit'][i] * ms:.0f})"
        for i in reversed(slow[-5:])
    )
    print(f"  app: slowest 5 Enters, ms: {worst}")
    print(
        "  GUI-thread CPU per Enter (time.thread_time, median ms; steady when the machine is busy):"
    )
    print(f"  {'':<46} {'handler':>8} {'paints':>8} {'total':>8}")
    cpu = {
        name: cpu_medians(run) for name, run in (("base", base), ("floor", floor), ("app", ours))
    }
    for name, label in (
        ("base", "Qt baseline"),
        ("floor", "Qt floor"),
        ("app", "app"),
    ):
        handler_cpu, paint_cpu, total_cpu = cpu[name]
        print(f"  {label:<46} {handler_cpu:6.2f}ms {paint_cpu:6.2f}ms {total_cpu:6.2f}ms")
    ratios = [a / f for a, f in zip(cpu["app"], cpu["floor"], strict=True)]
    print(f"  {'app / floor':<46} {ratios[0]:7.2f}x {ratios[1]:7.2f}x {ratios[2]:7.2f}x")
    timeouts = ours["timeouts"] + base["timeouts"] + floor["timeouts"]
    if timeouts:
        print(f"  WARNING: {timeouts} iterations timed out waiting for a paint")
    print(f"Minutes export of the {args.points}-point board:")
    loaded = "python-docx already imported" if minutes["docx_loaded_before"] else "imports docx"
    print(f"  app, first run ({loaded}){'':<6} {minutes['first'] * ms:7.0f} ms")
    print(f"  app, median of {args.exports}{'':<22} {e_med * ms:7.0f} ms")
    print(f"  python-docx baseline, median of {args.exports}{'':<5} {x_med * ms:7.0f} ms")
    print()
    print(f"{'Summary':<30} {'measured':>10} {'baseline':>10} {'ratio':>7} {'target':>9}  ok")
    rss_app, rss_bare = rss_board, bare_window_rss_mb()
    print_memory(args.points, rss_app, rss_bare)
    print(
        f"Against the Qt floor: median {a_med / f_med:.2f}x, p95 {a_p95 / f_p95:.2f}x (target <= 1.0x)"
    )
    rows = (
        ("typing median", a_med, b_med, None),
        ("typing p95", a_p95, b_p95, TYPING_TARGET_MS),
        ("typing median vs floor", a_med, f_med, None),
        ("typing p95 vs floor", a_p95, f_p95, None),
        ("typing GUI CPU vs floor", cpu["app"][2], cpu["floor"][2], None),
        ("export median", e_med * ms, x_med * ms, EXPORT_TARGET_S * ms),
        ("export first run", minutes["first"] * ms, x_med * ms, EXPORT_TARGET_S * ms),
    )
    for name, value, baseline, target in rows:
        goal = f"<={target:.0f}ms" if target else "-"
        ok = "-" if target is None else ("yes" if value <= target else "NO")
        print(
            f"{name:<30} {value:8.2f}ms {baseline:8.2f}ms {value / baseline:6.2f}x {goal:>9}  {ok}"
        )
    print(
        json.dumps(
            {
                "typing_median_ms": round(a_med, 2),
                "typing_p95_ms": round(a_p95, 2),
                "typing_ratio_median": round(a_med / b_med, 2),
                "typing_ratio_p95": round(a_p95 / b_p95, 2),
                "typing_ratio_median_vs_floor": round(a_med / f_med, 2),
                "typing_ratio_p95_vs_floor": round(a_p95 / f_p95, 2),
                "typing_cpu_ms": round(cpu["app"][2], 2),
                "typing_cpu_ratio_vs_floor": round(ratios[2], 2),
                "peak_rss_mb": round(rss_app),
                "peak_rss_ratio": round(rss_app / rss_bare, 2),
                "export_median_ms": round(e_med * ms),
                "export_ratio": round(e_med / x_med, 2),
            }
        )
    )
    print(f"(whole benchmark: {time.perf_counter() - started:.0f} s)")
    if profile:
        print("\ncProfile of 100 more Enters, timed window only (Enter until both paints):")
        print(profile)


if __name__ == "__main__":
    main()
