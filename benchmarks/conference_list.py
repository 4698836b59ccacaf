"""Conference list benchmark: 10,000 conferences (Kent: about 800 a year for 12 years).

    .venv/bin/python benchmarks/conference_list.py [--count 10000] [--runs 5]

Measures, offscreen, in one process with the database already open:
- first paint of the list: from building the home page to its table painted (target 100 ms);
- every conference in the list: the home page reads the first screenfuls before that paint
  and the rest just after it; from building the page until all are in (no target);
- each keystroke in the search box: from the key press to the table painted again (target
  16 ms, one frame), for a search typed letter by letter and then erased.
The baseline, measured in the same run, is a bare QTableView over a QStandardItemModel of the
same rows (built beforehand), painted; the ratio is to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AREAS = ("Ashford", "Canterbury", "Dartford", "Dover", "Gravesham", "Maidstone", "Medway")
CONTEXTS = ("school", "neighbourhood", "peer_group", "business", "online", "other")


def add_many(db, count: int) -> list[int]:  # noqa: ANN001
    """`count` conferences, each with its conference meeting and suggested agenda, in one
    transaction through the core's own row helpers (what create_conference does per row)."""
    from csfacilitator.core.meetings import add_meeting_rows
    from csfacilitator.core.model import Conference

    with db.session() as s:
        rows = [
            Conference(
                title=f"{AREAS[index % len(AREAS)]} conference {index:05d}",
                context_name=f"Context {index}",
                context_type=CONTEXTS[index % len(CONTEXTS)],
                area=f"Ward {index % 97}",
            )
            for index in range(count)
        ]
        s.add_all(rows)
        s.flush()  # one multi-row INSERT … RETURNING gives every id
        ids = [row.id for row in rows]
        for conference_id in ids:
            add_meeting_rows(s, conference_id, "conference")
    return ids


class _Painted:
    """Counts paint events on one widget's viewport."""

    def __init__(self, widget):  # noqa: ANN001
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self):
                super().__init__()
                self.count = 0

            def eventFilter(self, _obj, event):  # noqa: ANN001, N802 - Qt API
                if event.type() == QEvent.Type.Paint:
                    self.count += 1
                return False

        self.filter = Filter()
        widget.installEventFilter(self.filter)

    def wait(self, app, before: int, limit: float = 10.0) -> None:  # noqa: ANN001
        started = time.perf_counter()
        while self.filter.count <= before and time.perf_counter() - started < limit:
            app.processEvents()


def measure_app(db, app, word: str, count: int) -> tuple[float, float, list[float]]:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from csfacilitator.gui.home.home_page import HomePage

    started = time.perf_counter()
    home = HomePage(db)
    home.resize(1366, 768)
    home.reload()
    painted = _Painted(home.table.viewport())
    home.show()
    painted.wait(app, 0)
    first = time.perf_counter() - started
    # The first rows are read before the paint and the rest just after it: the search is
    # timed once every conference is in the list.
    while home.model.rowCount() < count and time.perf_counter() - started < 30:
        app.processEvents()
    assert home.model.rowCount() == count
    complete = time.perf_counter() - started
    keys = []
    home.search.setFocus()
    for letter in [*word, *(["\b"] * len(word))]:
        before = painted.filter.count
        started = time.perf_counter()
        if letter == "\b":
            QTest.keyClick(home.search, Qt.Key.Key_Backspace)
        else:
            QTest.keyClick(home.search, letter)
        app.processEvents()  # delivers the update the change asked for
        if painted.filter.count == before:  # not painted yet: draw the frame now
            home.table.viewport().repaint()
        assert painted.filter.count > before
        keys.append(time.perf_counter() - started)
    assert home.proxy.rowCount() > 0
    home.close()
    home.deleteLater()
    app.processEvents()
    return first, complete, keys


def measure_bare(texts: list[tuple[str, ...]], app, word: str) -> tuple[float, list[float]]:  # noqa: ANN001
    """A QTableView over a QStandardItemModel (built before the clock starts) with a
    QSortFilterProxyModel on the title: Qt's own speed for the same rows."""
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

    model = QStandardItemModel(len(texts), len(texts[0]))
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            model.setItem(r, c, QStandardItem(text))
    started = time.perf_counter()
    page = QWidget()
    page.resize(1366, 768)
    search = QLineEdit(page)
    proxy = QSortFilterProxyModel(page)
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    search.textChanged.connect(proxy.setFilterFixedString)
    table = QTableView(page)
    table.setModel(proxy)
    layout = QVBoxLayout(page)
    layout.addWidget(search)
    layout.addWidget(table)
    painted = _Painted(table.viewport())
    page.show()
    painted.wait(app, 0)
    first = time.perf_counter() - started
    keys = []
    search.setFocus()
    for letter in [*word, *(["\b"] * len(word))]:
        before = painted.filter.count
        started = time.perf_counter()
        if letter == "\b":
            QTest.keyClick(search, Qt.Key.Key_Backspace)
        else:
            QTest.keyClick(search, letter)
        app.processEvents()  # delivers the update the change asked for
        if painted.filter.count == before:  # not painted yet: draw the frame now
            table.viewport().repaint()
        assert painted.filter.count > before
        keys.append(time.perf_counter() - started)
    page.close()
    page.deleteLater()
    app.processEvents()
    return first, keys


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from csfacilitator.core.conferences import list_conferences
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    word = "maidstone 0"
    with tempfile.TemporaryDirectory() as data:
        db = open_database(resolve(data))
        started = time.perf_counter()
        add_many(db, args.count)
        built = time.perf_counter() - started
        texts = [
            (r.title, r.context_name, r.area, r.status, "", "", "", "", "")
            for r in list_conferences(db)
        ]
        app_first, app_complete, app_keys, bare_first, bare_keys = [], [], [], [], []
        for _ in range(args.runs):
            first, keys = measure_bare(texts, app, word)
            bare_first.append(first)
            bare_keys.extend(keys)
            first, complete, keys = measure_app(db, app, word, args.count)
            app_first.append(first)
            app_complete.append(complete)
            app_keys.extend(keys)
        db.close()
    rows = [
        (
            "first paint of the list",
            statistics.median(app_first),
            statistics.median(bare_first),
            0.100,
        ),
        (
            "every conference in the list",
            statistics.median(app_complete),
            statistics.median(bare_first),
            None,
        ),
        (
            "keystroke in search, median",
            statistics.median(app_keys),
            statistics.median(bare_keys),
            0.016,
        ),
        ("keystroke in search, p95", _p95(app_keys), _p95(bare_keys), 0.016),
    ]
    print(f"{args.count:,} conferences built through the core in {built:.1f} s")
    print(f"Conference list, {args.runs} runs (offscreen); baseline: bare QTableView + proxy")
    summary = {}
    for label, value, base, target in rows:
        verdict = (
            "no target"
            if target is None
            else f"target <= {target * 1000:.0f} ms: {'met' if value <= target else 'NOT MET'}"
        )
        print(
            f"  {label:<30} {value * 1000:7.1f} ms   baseline {base * 1000:7.1f} ms   "
            f"{value / base:5.2f}x   {verdict}"
        )
        summary[label] = {"ms": round(value * 1000, 1), "ratio": round(value / base, 2)}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
